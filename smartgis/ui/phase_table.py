"""The check phase by phase: a small table ("after 近期: 36 %") shown in the check
panel and run on demand (one standards check per phase, on a worker thread)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


def _phase_task(project, progress=None):
    from smartgis.analysis.check import run_check
    from smartgis.analysis.standards import Library
    from smartgis.plan import plan_of
    from smartgis.plan.phasecheck import phase_table
    lib = Library.load()
    plan = plan_of(project)
    n = len(plan.phases)
    step = (lambda k, _n, name: progress(k, n, name)) if progress is not None else None
    return phase_table(project, plan, lambda keep: run_check(project, library=lib, keep=keep, chart=False),
                       progress=step)


class PhaseTable(QWidget):
    """Per phase: elements, rules passing / failing / warned, and the share of the rules of
    the complete design that pass."""

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.setObjectName("phase_table")
        self.window = window
        self.rows = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.label = QLabel(self.tr("By phase of the plan:"))
        self.button = QPushButton(self.tr("Check each phase"))
        self.button.setObjectName("phase_table_run")
        self.button.setToolTip(self.tr("Check the city after each phase: existing elements and those built up to it"))
        self.button.clicked.connect(self.run)
        top.addWidget(self.label, 1)
        top.addWidget(self.button)
        lay.addLayout(top)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([self.tr("After"), self.tr("Elements"), self.tr("Pass"),
                                              self.tr("Fail"), self.tr("Warn"), self.tr("Met")])
        self.table.verticalHeader().setVisible(False)
        self.table.setMaximumHeight(160)
        self.table.setVisible(False)
        lay.addWidget(self.table)

    def set_project(self, project) -> None:
        from smartgis.plan import plan_of
        has = project is not None and bool(plan_of(project).phases)
        self.setVisible(has)
        self.table.setRowCount(0)
        self.table.setVisible(False)

    def run(self) -> None:
        project = self.window.project
        if project is None:
            return
        self.window.run_task(self.tr("Checking each phase"), _phase_task, project, on_done=self.set_rows,
                             on_error=lambda exc: self.window.show_error(exc, self.tr("Check each phase")))

    def set_rows(self, rows) -> None:
        self.rows = list(rows)
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            pct = "–" if r.compliance_pct is None else f"{r.compliance_pct:.0f} %"
            for j, v in enumerate((r.phase, r.elements, r.passed, r.failed, r.warned, pct)):
                self.table.setItem(i, j, QTableWidgetItem(str(v)))
        self.table.resizeColumnsToContents()
        self.table.setVisible(True)
