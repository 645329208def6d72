"""Review and delivery in the window: the review panel and comment tool, sign-off,
File → Export map sheet and File → Package project.

File → Open for review belongs to the main window; a project opened that way is
read-only and this feature shows the review panel for it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox


class ReviewFeature(QObject):
    """Owns the review dock and the actions of this feature."""

    def __init__(self, window):
        super().__init__(window)
        from smartgis.ui.review_panel import ReviewPanel
        self.window = window
        self.panel = ReviewPanel(window)
        self.dock = window.add_dock(self.panel, Qt.DockWidgetArea.RightDockWidgetArea, title=self.tr("Review"))
        self.dock.setObjectName("review_dock")
        self.dock.setVisible(False)

        review = window.menu("review")
        self.comment_action = QAction(self.tr("Add comment on the map"), self)
        self.comment_action.setObjectName("review_add_comment")
        self.comment_action.setCheckable(True)
        self.comment_action.setToolTip(self.tr("Click on the map or on an element to pin a review comment"))
        self.comment_action.toggled.connect(self._comment_tool)
        self.panel.add_button.toggled.connect(self.comment_action.setChecked)
        self.signoff_action = QAction(self.tr("Sign off…"), self)
        self.signoff_action.setObjectName("review_sign_off")
        self.signoff_action.triggered.connect(self._sign_off)
        show = self.dock.toggleViewAction()
        show.setText(self.tr("Review panel"))
        show.setObjectName("review_panel_toggle")
        review.addAction(show)
        review.addAction(self.comment_action)
        review.addAction(self.signoff_action)

        file_menu = window.menu("file")
        file_menu.addSeparator()
        self.export_action = QAction(self.tr("Export map sheet…"), self)
        self.export_action.setObjectName("file_export_sheet")
        self.export_action.triggered.connect(self.export_sheet)
        self.package_action = QAction(self.tr("Package project…"), self)
        self.package_action.setObjectName("file_package")
        self.package_action.setToolTip(self.tr("Write a copy of the project with its rasters embedded, so one file "
                                               "carries everything"))
        self.package_action.triggered.connect(self.package)
        file_menu.addAction(self.export_action)
        file_menu.addAction(self.package_action)
        try:
            bar = window.toolbar("review")
            bar.addAction(self.comment_action)
            bar.addAction(self.signoff_action)
        except Exception:  # a window without that tool bar still gets the menu entries
            pass

        window.project_changed.connect(self.on_project_changed)
        self.on_project_changed(window.project)

    # -- state ---------------------------------------------------------------------------
    def on_project_changed(self, project) -> None:
        self.panel.set_project(project)
        has = project is not None
        for a in (self.comment_action, self.signoff_action, self.export_action, self.package_action):
            a.setEnabled(has and project.path is not None)
        if not has:
            self.dock.setVisible(False)
            return
        ro = bool(getattr(self.window, "read_only", False) or project.read_only)
        if ro or (self.panel.review is not None and self.panel.review.comments()):
            self.dock.setVisible(True)
            if ro:
                # the plan (when shown) becomes a tab beside the review panel, which keeps the side
                from PySide6.QtWidgets import QDockWidget
                plan = self.window.findChild(QDockWidget, "plan_dock")
                if plan is not None and plan.isVisible() and plan not in self.window.tabifiedDockWidgets(self.dock):
                    self.window.tabifyDockWidget(self.dock, plan)
            self.dock.raise_()

    def _comment_tool(self, on: bool) -> None:
        if on:
            self.dock.setVisible(True)
        if self.panel.add_button.isChecked() != on:
            self.panel.add_button.setChecked(on)

    def _sign_off(self) -> None:
        self.dock.setVisible(True)
        self.panel.sign_off()

    # -- delivery ------------------------------------------------------------------------
    def export_sheet(self) -> None:
        if self.window.project is None:
            return
        from smartgis.ui.dialogs.export_sheet import ExportSheetDialog
        ExportSheetDialog(self.window).exec()

    def package(self) -> None:
        project = self.window.project
        if project is None or project.path is None:
            return
        if project.is_modified and not project.read_only:
            QMessageBox.information(self.window, self.tr("Package project"),
                                    self.tr("The package is made from the saved project file; save your changes "
                                            "first to include them."))
        src = Path(project.path)
        out, _ = QFileDialog.getSaveFileName(self.window, self.tr("Package project"),
                                             str(src.with_name(f"{src.stem}_packaged.gpkg")),
                                             self.tr("SmartGIS project (*.gpkg)"))
        if not out:
            return
        if Path(out).resolve() == src.resolve():
            QMessageBox.warning(self.window, self.tr("Package project"),
                                self.tr("Choose a new file: the project itself is not changed."))
            return
        self.window.run_task(self.tr("Packaging project"), _package_task, str(src), out,
                             on_done=lambda n: self.window.statusBar().showMessage(
                                 self.tr("Packaged into %1 (%2 raster(s) embedded)").replace("%1", out)
                                 .replace("%2", str(n)), 15000),
                             on_error=lambda exc: self.window.show_error(exc, self.tr("Package project")))


def _package_task(src: str, out: str, progress=None) -> int:
    from smartgis.io.package import package_project
    from smartgis.project import open_project
    return len(package_project(open_project(src), out, progress=progress))


def install(window) -> ReviewFeature:
    feature = ReviewFeature(window)
    window.review_feature = feature
    return feature
