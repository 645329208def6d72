"""Analysis ▸ Run check…: the standards check in the window.

Adds the check panel as a dock, runs checks on a worker thread (with progress and
Cancel), stores each run in the project (saved with it; the gaps become the "Check
gaps" layer), proposes new elements for failed coverage rules and adds accepted
proposals to the design as one undoable step.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction

from smartgis.ui.i18n import results_language


def _check_task(project, standard, standard_files, progress=None):
    from smartgis.analysis.check import run_check
    return run_check(project, standards=[standard] if standard else None, standard_files=standard_files,
                     progress=progress)


def _suggest_task(project, rule_id, standard_files, progress=None):
    from smartgis.analysis.suggest import suggest
    return suggest(project, rule_id, standard_files=standard_files, progress=progress)


def _indicator_table(project, lang, library):
    """The indicator table (指标对照表) of the report; None when the system cannot be scored."""
    from smartgis.errors import SmartGISError
    from smartgis.indicators.report import project_table
    try:
        return project_table(project, lang, library=library)
    except SmartGISError:
        return None


class CheckFeature(QObject):
    """Owns the check dock and the Analysis menu actions."""

    def __init__(self, window):
        super().__init__(window)
        from smartgis.ui.check_panel import CheckPanel
        self.window = window
        self.panel = CheckPanel(window)
        self.dock = window.add_dock(self.panel, Qt.DockWidgetArea.RightDockWidgetArea, title=self.tr("Standards check"))
        self.dock.setObjectName("check_dock")
        self.dock.setVisible(False)
        self.standard_files: list[str] = []

        menu = window.menu("analysis")
        self.run_action = QAction(self.tr("Run check…"), self)
        self.run_action.setObjectName("analysis_run_check")
        self.run_action.setToolTip(self.tr("Check the design against the standards, rule by rule"))
        self.run_action.triggered.connect(self.open_and_run)
        self.files_action = QAction(self.tr("Load standards file…"), self)
        self.files_action.setObjectName("analysis_standards_file")
        self.files_action.setToolTip(self.tr("Add a standards file of your own (a city's local standard)"))
        self.files_action.triggered.connect(self.load_standards_file)
        show = self.dock.toggleViewAction()
        show.setText(self.tr("Check panel"))
        show.setObjectName("analysis_check_panel")
        menu.addAction(self.run_action)
        menu.addAction(self.files_action)
        menu.addAction(show)
        try:
            window.toolbar("analysis").addAction(self.run_action)
        except Exception:  # noqa: BLE001 - a window without that tool bar keeps the menu entry
            pass

        self.panel.run_requested.connect(self.run)
        self.panel.suggest_requested.connect(self.suggest)
        self.panel.accept_requested.connect(self.accept)
        self.panel.report_requested.connect(self.write_report)
        window.project_changed.connect(self.on_project_changed)
        self._reload_library()
        self.on_project_changed(window.project)

    # -- state -------------------------------------------------------------------------------
    def _lang(self) -> str:
        return results_language(self.window.project)

    def _reload_library(self) -> None:
        from smartgis.analysis.standards import Library
        try:
            self.library = Library.load(self.standard_files)
        except Exception as exc:  # noqa: BLE001 - a bad user file must not stop the panel
            self.window.show_error(exc, self.tr("Standards"))
            self.standard_files = []
            self.library = Library.builtin()
        self.panel.lang = self._lang()
        self.panel.set_standards(self.library)

    def on_project_changed(self, project) -> None:
        has = project is not None
        self.run_action.setEnabled(has)
        self.panel.run_button.setEnabled(has)
        result = None
        if has:
            from smartgis.analysis.runs import stored_result
            try:
                result = stored_result(project, library=self.library)
            except Exception:  # noqa: BLE001 - an unreadable old run only means an empty panel
                result = None
        self.panel.set_result(result, self._lang())

    # -- actions -----------------------------------------------------------------------------
    def show_panel(self) -> None:
        """Show the check dock, as a tab over the other panels on the right (it needs height)."""
        self.window.show_dock_as_tab(self.dock)

    def open_and_run(self) -> None:
        self.show_panel()
        self.run(self.panel.standard_box.currentData())

    def run(self, standard=None) -> None:
        project = self.window.project
        if project is None:
            return
        self.show_panel()
        self.window.run_task(self.tr("Checking the design"), _check_task, project, standard, list(self.standard_files),
                             on_done=self._checked,
                             on_error=lambda exc: self.window.show_error(exc, self.tr("Standards check")))

    def _checked(self, result) -> None:
        project = self.window.project
        if project is None:
            return
        if not project.read_only:
            from smartgis.analysis.runs import GAPS_TABLE, save_run
            save_run(project, result)
            lyr = next((lyr for lyr in project.layers.values() if getattr(lyr, "table_name", None) == GAPS_TABLE), None)
            self.window.refresh_map([lyr.id] if lyr is not None else None)
        self.panel.set_result(result, self._lang())
        s = result.summary
        self.window.statusBar().showMessage(
            self.tr("Check: {p} pass, {f} fail, {w} warnings, {n} not applicable ({t:.1f} s)").format(
                p=s["pass"], f=s["fail"], w=s["warn"], n=s["na"], t=result.elapsed_s), 15000)

    def suggest(self, rule_id: str) -> None:
        project = self.window.project
        if project is None:
            return
        self.window.run_task(self.tr("Choosing sites for new elements"), _suggest_task, project, rule_id,
                             list(self.standard_files), on_done=self.panel.show_proposal,
                             on_error=lambda exc: self.window.show_error(exc, self.tr("Suggest elements")))

    def accept(self) -> None:
        project = self.window.project
        sug = self.panel.proposal
        if project is None or sug is None or not sug.count:
            return
        from smartgis.analysis.suggest import apply
        try:
            apply(project, sug)
        except Exception as exc:  # noqa: BLE001 - shown to the user, the design is unchanged
            self.window.show_error(exc, self.tr("Suggest elements"))
            return
        self.panel.clear_proposal()
        lyr = project.design.layers.get(sug.type_id)
        self.window.refresh_map([lyr.id] if lyr is not None else None)
        self.window.statusBar().showMessage(
            self.tr("Added {n} elements to the design; Edit ▸ Undo removes them. Run the check again to see "
                    "the effect.").format(n=sug.count), 15000)

    def load_standards_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog
        path, _ = QFileDialog.getOpenFileName(self.window, self.tr("Load standards file"), "",
                                              self.tr("Standards file (*.json)"))
        if not path:
            return
        from smartgis.analysis.standards import load_standard_file
        try:
            load_standard_file(path)
        except Exception as exc:  # noqa: BLE001 - the error names the file and the problem
            self.window.show_error(exc, self.tr("Load standards file"))
            return
        if path not in self.standard_files:
            self.standard_files.append(path)
        self._reload_library()

    def write_report(self, path: str) -> None:
        result = self.panel.result
        project = self.window.project
        if result is None or project is None:
            return
        try:
            table = _indicator_table(project, self._lang(), self.library)
            if Path(path).suffix.lower() == ".pdf":
                from smartgis.render.report_pdf import write_pdf
                write_pdf(result, project, path, lang=self._lang(), indicators=table)
            else:
                from smartgis.analysis.report_html import write_html
                write_html(result, project, path, lang=self._lang(), indicators=table)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            self.window.show_error(exc, self.tr("Write check report"))
            return
        self.window.statusBar().showMessage(self.tr("Report written: {path}").format(path=path), 15000)


def install(window) -> CheckFeature:
    feature = CheckFeature(window)
    window.check_feature = feature
    return feature
