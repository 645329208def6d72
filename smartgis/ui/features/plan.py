"""The plan in the window: the Plan dock (phases, key projects, costs, the phase slider,
architecture and timeline) and Plan ▸ Write design report (Word and Excel)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog


class PlanFeature(QObject):
    def __init__(self, window):
        super().__init__(window)
        from smartgis.ui.plan_panel import PlanPanel
        self.window = window
        self.panel = PlanPanel(window)
        self.dock = window.add_dock(self.panel, Qt.DockWidgetArea.RightDockWidgetArea, title=self.tr("Plan"))
        self.dock.setObjectName("plan_dock")
        self.dock.setVisible(False)
        # a tab beside the design palette: the project tree needs the dock's height
        from PySide6.QtWidgets import QDockWidget
        palette = window.findChild(QDockWidget, "dock_design_palette")
        if palette is not None:
            window.tabifyDockWidget(palette, self.dock)
        menu = window.menu("plan", self.tr("&Plan"))
        show = self.dock.toggleViewAction()
        show.setText(self.tr("Plan panel"))
        show.setObjectName("plan_panel_toggle")
        menu.addAction(show)
        self.report_action = QAction(self.tr("Write design report (Word, Excel)…"), self)
        self.report_action.setObjectName("plan_write_report")
        self.report_action.triggered.connect(self.write_report)
        menu.addAction(self.report_action)
        # the check panel gets the table of the check phase by phase
        self.phase_table = None
        check = getattr(window, "check_feature", None)
        if check is not None and check.panel.layout() is not None:
            from smartgis.ui.phase_table import PhaseTable
            self.phase_table = PhaseTable(window)
            lay = check.panel.layout()
            lay.insertWidget(max(0, lay.indexOf(check.panel.summary) + 1), self.phase_table)
        window.project_changed.connect(self.on_project_changed)
        self.on_project_changed(window.project)

    def on_project_changed(self, project) -> None:
        self.panel.set_project(project)
        if self.phase_table is not None:
            self.phase_table.set_project(project)
        self.report_action.setEnabled(project is not None)
        if project is not None and not self.panel.plan.is_empty:
            from PySide6.QtWidgets import QDockWidget
            review = self.window.findChild(QDockWidget, "review_dock")
            if project.read_only and review is not None and review.isVisible():
                # a reviewer reads the plan in a tab beside the review panel, which keeps the side
                self.window.tabifyDockWidget(review, self.dock)
                self.dock.setVisible(True)
                review.raise_()
            else:
                self.dock.setVisible(True)
                self.dock.raise_()

    def write_report(self, path: str | None = None) -> None:
        project = self.window.project
        if project is None:
            return
        if path is None:
            base = Path(project.path).with_suffix(".docx") if project.path else Path("design.docx")
            path, _ = QFileDialog.getSaveFileName(self.window, self.tr("Write design report"), str(base),
                                                  self.tr("Word document (*.docx)"))
            if not path:
                return
        docx = Path(path).with_suffix(".docx")
        xlsx = docx.with_suffix(".xlsx")
        self.window.run_task(self.tr("Writing the design report"), _report_task, project, str(docx), str(xlsx),
                             on_done=lambda _r: self.window.statusBar().showMessage(
                                 self.tr("Wrote %1 and %2").replace("%1", str(docx)).replace("%2", str(xlsx)),
                                 15000),
                             on_error=lambda exc: self.window.show_error(exc, self.tr("Write design report")))


def _report_task(project, docx: str, xlsx: str, progress=None):
    from smartgis.plan.report_docx import write_docx
    from smartgis.plan.report_xlsx import write_xlsx
    from smartgis.render.plan_report import make_deliverable
    d = make_deliverable(project, progress=progress)
    write_docx(d, docx)
    write_xlsx(d, xlsx)
    return docx


def install(window) -> PlanFeature:
    feature = PlanFeature(window)
    window.plan_feature = feature
    return feature
