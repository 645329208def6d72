"""The Plan dock: phases, key projects with their costs, assigning the selection to a
project, the architecture diagram and the timeline, and the phase slider that shows
the city as of a phase."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSlider,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smartgis.errors import UserError
from smartgis.i18n import localize
from smartgis.plan import FUNDING_SOURCES, LAYERS, compute, layer_label, parse_years, plan_of
from smartgis.plan.facts import phase_members
from smartgis.ui.maptools.design.attribute_form import ui_language

PROJECT_ROLE = Qt.UserRole + 1


def _wan(cny: float) -> str:
    return f"{cny / 1e4:,.1f}"


class ProjectDialog(QDialog):
    """A new key project: id, name, phase, layer, lead and supporting departments, funding."""

    def __init__(self, plan, lang: str = "zh", parent=None):
        super().__init__(parent)
        self.setObjectName("plan_project_dialog")
        self.setWindowTitle(self.tr("New key project"))
        form = QFormLayout(self)
        self.id_edit = QLineEdit(f"P{len(plan.projects) + 1:02d}")
        self.name_edit = QLineEdit()
        self.phase_box = QComboBox()
        self.phase_box.addItems(plan.phase_names())
        self.layer_box = QComboBox()
        self.layer_box.addItem(self.tr("(from its elements)"), "")
        for k in LAYERS:
            self.layer_box.addItem(layer_label(k, lang), k)
        self.lead_edit = QLineEdit()
        self.support_edit = QLineEdit()
        self.support_edit.setPlaceholderText(self.tr("departments, separated by commas"))
        self.funding_box = QComboBox()
        self.funding_box.setEditable(True)
        self.funding_box.addItems(FUNDING_SOURCES)
        for label, w in ((self.tr("Id"), self.id_edit), (self.tr("Name"), self.name_edit),
                         (self.tr("Phase"), self.phase_box), (self.tr("Architecture layer"), self.layer_box),
                         (self.tr("Lead department"), self.lead_edit),
                         (self.tr("Supporting departments"), self.support_edit),
                         (self.tr("Funding"), self.funding_box)):
            form.addRow(label, w)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict:
        return {"project_id": self.id_edit.text().strip(), "name": self.name_edit.text().strip(),
                "phase": self.phase_box.currentText(), "layer": self.layer_box.currentData() or "",
                "lead": self.lead_edit.text().strip(), "support": self.support_edit.text(),
                "funding": self.funding_box.currentText().strip()}


class PhaseDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("plan_phase_dialog")
        self.setWindowTitle(self.tr("New phase"))
        form = QFormLayout(self)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("近期, 中期, 远期 or 一期, 二期 …"))
        self.years_edit = QLineEdit()
        self.years_edit.setPlaceholderText("2026-2027")
        self.goal_edit = QLineEdit()
        form.addRow(self.tr("Name"), self.name_edit)
        form.addRow(self.tr("Years"), self.years_edit)
        form.addRow(self.tr("Goal"), self.goal_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class PlanPanel(QWidget):
    """The plan of the window's project.

    Signals
    -------
    phase_shown(index)
        The slider moved: -1 the city today, k the city after phase k.
    """

    phase_shown = Signal(int)

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.setObjectName("plan_panel")
        self.window = window
        self.project = None
        self.plan = None
        self.investment = None
        #: names SmartGIS gives (architecture layers, element types) in the window's language
        self.lang = ui_language()
        #: the plan's pictures preview the deliverables, written in the project's language
        self.doc_lang = "zh"
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(300)
        self._refresh_timer.timeout.connect(self.refresh)
        lay = QVBoxLayout(self)

        row = QHBoxLayout()
        self.phase_label = QLabel()
        self.phase_label.setObjectName("plan_phase_label")
        self.slider = QSlider(Qt.Horizontal)
        self.slider.setObjectName("plan_phase_slider")
        self.slider.setTickPosition(QSlider.TicksBelow)
        self.slider.setPageStep(1)
        self.slider.valueChanged.connect(self._slider_moved)
        row.addWidget(QLabel(self.tr("City after:")))
        row.addWidget(self.slider, 1)
        row.addWidget(self.phase_label)
        lay.addLayout(row)

        self.tabs = QTabWidget()
        self.tree = QTreeWidget()
        self.tree.setObjectName("plan_tree")
        self.tree.setHeaderLabels([self.tr("Phase / project"), self.tr("Layer"), self.tr("Investment (万元)")])
        self.tree.setColumnWidth(0, 230)
        self.tabs.addTab(self.tree, self.tr("Projects"))
        self.arch_label, arch = self._picture_tab()
        self.tabs.addTab(arch, self.tr("Architecture"))
        self.time_label, timeline = self._picture_tab()
        self.tabs.addTab(timeline, self.tr("Timeline"))
        self.tabs.currentChanged.connect(lambda *_: self._pictures())
        lay.addWidget(self.tabs, 1)

        self.summary = QLabel()
        self.summary.setObjectName("plan_summary")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        buttons = QHBoxLayout()
        self.add_phase_button = QPushButton(self.tr("Add phase…"))
        self.add_project_button = QPushButton(self.tr("Add project…"))
        self.assign_button = QPushButton(self.tr("Assign selection"))
        self.assign_button.setObjectName("plan_assign")
        self.assign_button.setToolTip(self.tr("Assign the selected design elements to the project chosen above"))
        for b in (self.add_phase_button, self.add_project_button, self.assign_button):
            buttons.addWidget(b)
        lay.addLayout(buttons)
        self.add_phase_button.clicked.connect(self.add_phase)
        self.add_project_button.clicked.connect(self.add_project)
        self.assign_button.clicked.connect(self.assign_selection)

    def resizeEvent(self, event):  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._pictures()

    @staticmethod
    def _picture_tab():
        label = QLabel()
        label.setAlignment(Qt.AlignTop | Qt.AlignHCenter)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(label)
        return label, scroll

    # -- project -----------------------------------------------------------------------
    def set_project(self, project) -> None:
        if self.plan is not None:
            self.plan.changed.disconnect(self._plan_changed)
        if self.project is not None:
            self.project.stack.changed.disconnect(self._design_changed)
        self.project = project
        self.plan = plan_of(project) if project is not None else None
        if project is not None:
            self.plan.changed.connect(self._plan_changed)
            project.stack.changed.connect(self._design_changed)
            self.lang = ui_language()
            self.doc_lang = project.language if project.language in ("zh", "en") else "zh"
        editable = project is not None and not project.read_only
        for b in (self.add_phase_button, self.add_project_button, self.assign_button):
            b.setEnabled(editable)
        self.refresh()

    def _plan_changed(self, *_):
        self.refresh()

    def _design_changed(self, *_):
        self._refresh_timer.start()

    def refresh(self) -> None:
        """Recompute the investment and fill the tree, the slider and the summary."""
        self.tree.clear()
        if self.project is None:
            self.investment = None
            self.summary.setText("")
            self.slider.setRange(0, 0)
            return
        inv = self.investment = compute(self.project, self.plan)
        by_phase = inv.by_phase()
        items = {}
        for ph in self.plan.phases:
            it = QTreeWidgetItem([f"{ph.name}  {ph.years()}", "", _wan(by_phase.get(ph.name, 0.0))])
            it.setFirstColumnSpanned(False)
            items[ph.name] = it
            self.tree.addTopLevelItem(it)
        for pc in inv.projects:
            kp = pc.project
            parent = items.get(kp.phase)
            it = QTreeWidgetItem([f"{kp.id} {kp.name}", layer_label(pc.layer, self.lang), _wan(pc.investment_cny)])
            it.setData(0, PROJECT_ROLE, kp.id)
            it.setToolTip(0, f"{kp.lead}" + (f" / {'、'.join(kp.support)}" if kp.support else "")
                          + (f" · {kp.funding}" if kp.funding else ""))
            for tid, n in pc.elements.items():
                t = self.project.catalog.get(tid) if tid in self.project.catalog else None
                child = QTreeWidgetItem([f"{t.label(self.lang) if t else tid} × {n}", "", ""])
                child.setData(0, PROJECT_ROLE, kp.id)
                it.addChild(child)
            for item in kp.items:
                child = QTreeWidgetItem([f"{item.name} {item.quantity:g} {item.unit}", "", _wan(item.cost_cny)])
                child.setData(0, PROJECT_ROLE, kp.id)
                it.addChild(child)
            (parent.addChild(it) if parent is not None else self.tree.addTopLevelItem(it))
        self.tree.expandToDepth(0)
        lines = [self.tr("Total investment: %1 万元").replace("%1", _wan(inv.total_cny))]
        if inv.unassigned:
            lines.append(self.tr("Not in a project: %1").replace(
                "%1", "、".join(f"{self._type(t)} {n}" for t, n in inv.unassigned.items())))
        if inv.no_unit_cost:
            lines.append(self.tr("No unit cost: %1").replace("%1", "、".join(map(self._type, inv.no_unit_cost))))
        self.summary.setText("\n".join(lines))
        n = len(self.plan.phases)
        old = self.slider.value() if self.slider.maximum() == n else n
        self.slider.blockSignals(True)
        self.slider.setRange(0, n)
        self.slider.setValue(min(old, n))
        self.slider.blockSignals(False)
        self._update_phase_label()
        self._pictures()
        self.apply_phase_view()

    def _type(self, tid: str) -> str:
        return self.project.catalog.get(tid).label(self.lang) if tid in self.project.catalog else tid

    def _pictures(self) -> None:
        if self.investment is None or self.tabs.currentIndex() == 0:
            return
        from smartgis.render.plan_images import architecture_image, timeline_image
        width = max(300, self.tabs.currentWidget().viewport().width() - 4)
        if self.tabs.currentIndex() == 1:
            img = architecture_image(self.investment, self.doc_lang, width=900)
            self.arch_label.setPixmap(QPixmap.fromImage(img).scaledToWidth(width, Qt.SmoothTransformation))
        else:
            img = timeline_image(self.investment, self.doc_lang, width=1000)
            self.time_label.setPixmap(QPixmap.fromImage(img).scaledToWidth(width, Qt.SmoothTransformation))

    # -- the city as of a phase ---------------------------------------------------------------
    @property
    def shown_phase(self) -> int:
        """-1 the city today, k the city after phase k (the last: the complete design)."""
        return self.slider.value() - 1

    def show_phase(self, index: int) -> None:
        self.slider.setValue(index + 1)

    def _update_phase_label(self) -> None:
        k = self.shown_phase
        if k < 0:
            self.phase_label.setText(self.tr("today (existing)"))
        else:
            ph = self.plan.phases[k]
            self.phase_label.setText(f"{ph.name} {ph.years()}")

    def _slider_moved(self, *_):
        self._update_phase_label()
        self.apply_phase_view()
        self.phase_shown.emit(self.shown_phase)

    def apply_phase_view(self) -> None:
        """Hide on the map the design elements not built by the phase shown."""
        if self.project is None or self.investment is None:
            return
        f = self.investment.facts
        n = len(self.plan.phases)
        everything = self.shown_phase >= n - 1
        member = phase_members(f, self.shown_phase) if len(f) else np.zeros(0, dtype=bool)
        changed = []
        for tid, lyr in self.project.design.layers.items():
            if everything:
                new = None
            else:
                m = member[f.types == tid]
                new = ~m if len(m) == lyr.feature_count else None
            old = lyr.hidden_rows
            if (old is None) != (new is None) or (new is not None and not np.array_equal(old, new)):
                lyr.hidden_rows = new
                changed.append(lyr.id)
        if changed:
            self.window.refresh_map(changed)

    # -- edits ----------------------------------------------------------------------------------
    def _try(self, fn, *args, **kw):
        try:
            return fn(*args, **kw)
        except UserError as exc:
            QMessageBox.warning(self, self.tr("Plan"), localize(exc))
            return None

    def add_phase(self, dialog_hook=None) -> None:
        if self.plan is None:
            return
        d = PhaseDialog(self)
        if dialog_hook is not None:
            dialog_hook(d)
        if d.exec() != QDialog.Accepted:
            return
        years = self._try(parse_years, d.years_edit.text())
        if years is not None:
            self._try(self.plan.add_phase, d.name_edit.text(), years[0], years[1], d.goal_edit.text())

    def add_project(self, dialog_hook=None) -> None:
        if self.plan is None:
            return
        if not self.plan.phases:
            QMessageBox.information(self, self.tr("Plan"), self.tr("Add a phase first."))
            return
        d = ProjectDialog(self.plan, self.lang, self)
        if dialog_hook is not None:
            dialog_hook(d)
        if d.exec() != QDialog.Accepted:
            return
        v = d.values()
        self._try(self.plan.add_project, v.pop("project_id"), v.pop("name"), v.pop("phase"), **v)

    def current_project_id(self) -> str | None:
        it = self.tree.currentItem()
        return it.data(0, PROJECT_ROLE) if it is not None else None

    def select_project(self, project_id: str) -> None:
        for it in self._items():
            if it.data(0, PROJECT_ROLE) == project_id:
                self.tree.setCurrentItem(it)
                return

    def _items(self):
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            it = stack.pop(0)
            yield it
            stack.extend(it.child(i) for i in range(it.childCount()))

    def assign_selection(self) -> int:
        """Assign the selected design elements to the project chosen in the tree."""
        pid = self.current_project_id()
        if self.plan is None or pid is None:
            QMessageBox.information(self, self.tr("Plan"), self.tr("Choose a key project in the list first."))
            return 0
        uids, types = [], []
        for tid, lyr in self.project.design.layers.items():
            if len(lyr.selection):
                sel = np.asarray(lyr.table.column("uid"), dtype=object)[lyr.selection]
                uids.extend(sel.tolist())
                types.extend([tid] * len(sel))
        if not uids:
            QMessageBox.information(self, self.tr("Plan"), self.tr("Select design elements on the map first."))
            return 0
        n = self._try(self.plan.assign, pid, uids, types) or 0
        self.select_project(pid)
        self.window.statusBar().showMessage(self.tr("%1 elements assigned to %2").replace("%1", str(n))
                                            .replace("%2", pid), 8000)
        return n
