"""Analysis ▸ Indicators: the city scored against GB/T 33356 or the MOHURD 2012 pilot index.

Adds the indicator panel as a dock; scores on a worker thread when the project opens,
when asked, and after a value is entered (entered values are saved with the project).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction

from smartgis.ui.i18n import results_language


def _assess_task(project, system_id, progress=None):
    from smartgis.analysis.standards import Library
    from smartgis.indicators import assess
    return assess(project, system_id or None, library=Library.load(), progress=progress)


class IndicatorFeature(QObject):
    """Owns the indicator dock and its menu action."""

    def __init__(self, window):
        super().__init__(window)
        from smartgis.indicators import builtin_systems
        from smartgis.ui.indicator_panel import IndicatorPanel
        self.window = window
        self.panel = IndicatorPanel(window)
        self.dock = window.add_dock(self.panel, Qt.DockWidgetArea.RightDockWidgetArea, title=self.tr("Indicators"))
        self.dock.setObjectName("indicator_dock")
        self.dock.setVisible(False)
        self.systems = builtin_systems()
        self.panel.set_systems(self.systems)
        self.action = QAction(self.tr("Score indicators…"), self)
        self.action.setObjectName("analysis_indicators")
        self.action.setToolTip(self.tr("Score the city against GB/T 33356 or the MOHURD 2012 pilot index: "
                                       "现状, targets per phase, maturity"))
        self.action.triggered.connect(self.open_and_score)
        window.menu("analysis").addAction(self.action)
        self.panel.recalculate_requested.connect(self.choose)
        self.panel.value_entered.connect(self.enter)
        self.task = None
        window.project_changed.connect(self.on_project_changed)
        self.on_project_changed(window.project)

    def _lang(self) -> str:
        return results_language(self.window.project)

    def on_project_changed(self, project) -> None:
        self.action.setEnabled(project is not None)
        self.panel.set_enabled(project is not None)
        self.panel.set_assessment(None, self._lang())
        if project is not None and self.dock.isVisible():
            self.score()

    def show_panel(self) -> None:
        """Show the dock as a tab over the other panels on the right (the tree and charts need height)."""
        self.window.show_dock_as_tab(self.dock)

    def open_and_score(self) -> None:
        self.show_panel()
        self.score()

    def choose(self, system_id: str) -> None:
        """Score against the system chosen in the panel; it becomes the project's system
        (the one the check report's indicator table shows)."""
        project = self.window.project
        if project is None:
            return
        settings = project.settings.setdefault("indicators", {})
        if system_id and settings.get("system") != system_id and not getattr(project, "read_only", False):
            settings["system"] = system_id
            project._set_meta_dirty()   # a project setting: saved with the project
        self.score(system_id)

    def score(self, system_id: str = "") -> None:
        project = self.window.project
        if project is None:
            return
        system_id = system_id or ((project.settings.get("indicators") or {}).get("system") or "")
        self.task = self.window.run_task(self.tr("Scoring indicators"), _assess_task, project, system_id,
                                         on_done=self._scored,
                                         on_error=lambda exc: self.window.show_error(exc, self.tr("Indicators")))

    def _scored(self, assessment) -> None:
        if self.window.project is None:
            return
        self.panel.set_assessment(assessment, self._lang())

    def enter(self, system_id, indicator_id, stage, value, evidence) -> None:
        project = self.window.project
        if project is None:
            return
        if getattr(project, "read_only", False):
            self.window.show_error(self.tr("The project is open read-only: values cannot be entered."),
                                   self.tr("Indicators"))
            return
        from smartgis.indicators import set_value
        set_value(project, system_id, indicator_id, stage, value, evidence)
        self.window.statusBar().showMessage(self.tr("{indicator}: value entered; save the project to keep it")
                                            .format(indicator=indicator_id), 10000)
        self.score(system_id)


def install(window) -> IndicatorFeature:
    feature = IndicatorFeature(window)
    window.indicator_feature = feature
    return feature
