"""The indicator panel: the city scored against an indicator system.

A tree by level (一级 › 二级 › indicator) with weight, 现状, the chosen phase's target
and the score; indicators measured on the map show their elements on the map when
selected; entered values (现状, the phase's target, the evidence) are edited in place and
saved with the project.  Below: a radar of the domains (现状 against the phase) and the
total score from 现状 to the last phase.  Values that are not verified carry a †.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QPushButton, QSplitter, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from smartgis.ui.indicator_charts import CURRENT_COLOUR, TARGET_COLOUR, RadarChart, StageBarChart

COL_NAME, COL_UNIT, COL_WEIGHT, COL_CURRENT, COL_TARGET, COL_SCORE, COL_EVIDENCE = range(7)
ROLE_ID = Qt.UserRole + 1
DERIVED_BRUSH = QBrush(QColor("#e8f0fa"))
HIGHLIGHT = QColor(33, 102, 172, 150)


def _num(v) -> str:
    if v is None:
        return "—"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


class IndicatorPanel(QWidget):
    """Shows an :class:`~smartgis.indicators.Assessment`; asks for recalculation and edits."""

    #: the system id to score (empty: the project's or the default)
    recalculate_requested = Signal(str)
    #: system id, indicator id, stage, value (None keeps it), evidence (None keeps it)
    value_entered = Signal(str, str, str, object, object)

    def __init__(self, window=None, parent=None):
        super().__init__(parent)
        self.window = window
        self.assessment = None
        self.lang = "zh"
        self._filling = False

        self.system_box = QComboBox()
        self.system_box.setObjectName("indicator_system")
        self.system_box.setToolTip(self.tr("Indicator system the city is scored against"))
        self.phase_box = QComboBox()
        self.phase_box.setObjectName("indicator_phase")
        self.phase_box.setToolTip(self.tr("Stage whose targets and scores are shown"))
        self.recalc_button = QPushButton(self.tr("Recalculate"))
        self.recalc_button.setObjectName("indicator_recalculate")
        self.recalc_button.setToolTip(self.tr("Measure the map-derived indicators again and rescore"))
        top = QHBoxLayout()
        top.addWidget(self.system_box, 1)
        top.addWidget(QLabel(self.tr("Phase")))
        top.addWidget(self.phase_box)
        top.addWidget(self.recalc_button)

        self.summary = QLabel()
        self.summary.setObjectName("indicator_summary")
        self.summary.setWordWrap(True)

        self.tree = QTreeWidget()
        self.tree.setObjectName("indicator_tree")
        self.tree.setColumnCount(7)
        self.tree.setHeaderLabels([self.tr("Indicator"), self.tr("Unit"), self.tr("Weight"), self.tr("Current"),
                                   self.tr("Target"), self.tr("Score"), self.tr("Evidence")])
        self.tree.setAlternatingRowColors(True)
        self.tree.setEditTriggers(QTreeWidget.DoubleClicked | QTreeWidget.EditKeyPressed | QTreeWidget.SelectedClicked)
        self.tree.header().resizeSection(COL_NAME, 230)
        for col, width in ((COL_UNIT, 64), (COL_WEIGHT, 46), (COL_CURRENT, 58), (COL_TARGET, 58), (COL_SCORE, 52)):
            self.tree.header().resizeSection(col, width)

        self.detail = QLabel()
        self.detail.setObjectName("indicator_detail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.RichText)
        self.detail.setAlignment(Qt.AlignTop | Qt.AlignLeft)

        self.radar = RadarChart()
        self.radar.setObjectName("indicator_radar")
        self.bars = StageBarChart()
        self.bars.setObjectName("indicator_bars")
        charts = QWidget()
        row = QHBoxLayout(charts)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.radar, 1)
        row.addWidget(self.bars, 1)

        split = QSplitter(Qt.Vertical)
        split.addWidget(self.tree)
        split.addWidget(self.detail)
        split.addWidget(charts)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 1)
        split.setStretchFactor(2, 3)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addWidget(self.summary)
        lay.addWidget(split, 1)

        self.recalc_button.clicked.connect(lambda: self.recalculate_requested.emit(self.system_box.currentData() or ""))
        self.system_box.activated.connect(lambda _i: self.recalculate_requested.emit(self.system_box.currentData() or ""))
        self.phase_box.currentIndexChanged.connect(lambda _i: self._fill())
        self.tree.currentItemChanged.connect(self._on_current)
        self.tree.itemChanged.connect(self._on_edited)
        self.set_enabled(False)

    # -- filling ---------------------------------------------------------------------------
    def set_systems(self, systems: dict, current: str | None = None) -> None:
        self.system_box.blockSignals(True)
        self.system_box.clear()
        for sid, s in systems.items():
            self.system_box.addItem(f"{s.edition}  {s.label(self.lang)}", sid)
        if current:
            k = self.system_box.findData(current)
            if k >= 0:
                self.system_box.setCurrentIndex(k)
        self.system_box.blockSignals(False)

    def set_enabled(self, on: bool) -> None:
        for w in (self.system_box, self.phase_box, self.recalc_button, self.tree):
            w.setEnabled(on)

    def set_assessment(self, assessment, lang: str | None = None) -> None:
        """Show a new assessment (None: empty panel)."""
        if lang:
            self.lang = lang
        self.assessment = assessment
        keep = self.phase_box.currentText()
        self.phase_box.blockSignals(True)
        self.phase_box.clear()
        if assessment is not None:
            k = self.system_box.findData(assessment.system.id)
            if k >= 0:
                self.system_box.setCurrentIndex(k)
            for st in assessment.stages:
                self.phase_box.addItem(st, st)
            pick = self.phase_box.findText(keep) if keep else -1
            self.phase_box.setCurrentIndex(pick if pick >= 0 else self.phase_box.count() - 1)
        self.phase_box.blockSignals(False)
        self._fill()

    def stage(self) -> str | None:
        return self.phase_box.currentData()

    def _fill(self) -> None:
        a = self.assessment
        self._filling = True
        self.tree.clear()
        if a is None:
            self.summary.setText(self.tr("No project, or not scored yet."))
            self.radar.set_data([], [])
            self.bars.set_data([], [], [])
            self._filling = False
            return
        from smartgis.indicators import CURRENT
        stage = self.stage() or a.stages[-1]
        self.tree.headerItem().setText(COL_TARGET, stage)
        self.tree.headerItem().setText(COL_CURRENT, CURRENT)
        bold = QFont(self.tree.font())
        bold.setBold(True)
        lang = self.lang
        for d, subs in a.groups():
            got, most = a.domain_score(d.id, stage)
            top = QTreeWidgetItem([d.label(lang), "", _num(most), "", "", _num(got),
                                   a.domain_level(d.id, stage).label(lang)])
            for c in range(7):
                top.setFont(c, bold)
            top.setToolTip(COL_SCORE, self.tr("Score of this stage out of the domain's weight"))
            top.setToolTip(COL_EVIDENCE, self.tr("Maturity level of the domain"))
            self.tree.addTopLevelItem(top)
            for label, rows in subs:
                parent = top
                if len(rows) > 1 or rows[0].indicator.label(lang) != (label.get(lang) or label["zh"]):
                    sw = sum(r.indicator.weight for r in rows)
                    parent = QTreeWidgetItem([label.get(lang) or label["zh"], "", _num(sw), "", "",
                                              _num(sum(r.scores.get(stage, 0.0) for r in rows)), ""])
                    top.addChild(parent)
                for r in rows:
                    parent.addChild(self._row_item(r, stage))
            top.setExpanded(True)
            for k in range(top.childCount()):
                top.child(k).setExpanded(True)
        self.summary.setText(self.tr("{edition}: {stage} {score} / {most} — {level}").format(
            edition=a.system.edition, stage=stage, score=_num(a.score(stage)), most=_num(a.system.total_weight),
            level=a.level(stage).label(lang)) + "  ·  " + "  →  ".join(
            f"{st} {_num(a.score(st))}" for st in a.stages))
        self.radar.set_data([d.label(lang) for d in a.system.domains],
                            [(CURRENT, [a.domain_percent(d.id, CURRENT) for d in a.system.domains], CURRENT_COLOUR)]
                            + ([(stage, [a.domain_percent(d.id, stage) for d in a.system.domains], TARGET_COLOUR)]
                               if stage != CURRENT else []))
        self.bars.set_data(a.stages, [a.score(st) for st in a.stages], [a.level(st).label(lang) for st in a.stages],
                           a.system.total_weight)
        self._filling = False

    def _row_item(self, r, stage) -> QTreeWidgetItem:
        from smartgis.indicators import CURRENT
        ind = r.indicator
        name = ind.label(self.lang) + ("" if ind.verified else " †")
        it = QTreeWidgetItem([name, ind.unit, _num(ind.weight), _num(r.values.get(CURRENT)),
                              _num(r.values.get(stage)), _num(r.scores.get(stage, 0.0)), r.evidence])
        it.setData(COL_NAME, ROLE_ID, ind.id)
        for c in (COL_WEIGHT, COL_CURRENT, COL_TARGET, COL_SCORE):
            it.setTextAlignment(c, Qt.AlignRight | Qt.AlignVCenter)
        if ind.derived:
            for c in range(7):
                it.setBackground(c, DERIVED_BRUSH)
            it.setToolTip(COL_NAME, self.tr("Measured on the map; select it to see its elements"))
            reason = r.reasons.get(stage) or r.reasons.get(CURRENT)
            if reason:
                from smartgis.i18n import localize
                it.setToolTip(COL_TARGET, localize(reason, self.lang))
        else:
            it.setFlags(it.flags() | Qt.ItemIsEditable)
            it.setToolTip(COL_NAME, self.tr("Entered by hand: double-click 现状, the target or the evidence to edit"))
        return it

    # -- interaction -------------------------------------------------------------------------
    def item_of(self, indicator_id: str) -> QTreeWidgetItem | None:
        it = self.tree.invisibleRootItem()
        stack = [it]
        while stack:
            node = stack.pop()
            for k in range(node.childCount()):
                ch = node.child(k)
                if ch.data(COL_NAME, ROLE_ID) == indicator_id:
                    return ch
                stack.append(ch)
        return None

    def _on_current(self, item, _prev=None) -> None:
        a = self.assessment
        iid = item.data(COL_NAME, ROLE_ID) if item is not None else None
        if a is None or not iid:
            self.detail.clear()
            self._show_on_map(None)
            return
        r = a.row(iid)
        ind = r.indicator
        lines = [f"<b>{escape(ind.id)} {escape(ind.label(self.lang))}</b> · {escape(ind.scoring.describe(self.lang))}",
                 escape(ind.definition.get(self.lang) or ind.definition.get("zh", ""))]
        if not ind.verified:
            lines.append("<span style='color:#b35806'>† " + escape(self.tr("Reference value: weight or item not "
                                                                           "verified in a published copy")) + "</span>")
        if r.evidence:
            lines.append(escape(self.tr("Evidence: {evidence}").format(evidence=r.evidence)))
        lines.append(f"<span style='color:#666'>{escape(ind.source)}</span>")
        self.detail.setText("<br>".join(lines))
        self._show_on_map(r if ind.derived else None)

    def _show_on_map(self, row) -> None:
        """Highlight the elements a derived indicator counts at the chosen stage and zoom to them."""
        canvas = getattr(self.window, "canvas", None) if self.window is not None else None
        if canvas is None:
            return
        project = getattr(self.window, "project", None)
        if row is None or project is None or not row.element_types:
            canvas.clear_highlight()
            return
        import numpy as np
        import shapely

        from smartgis.indicators.derive import StageContext
        a = self.assessment
        ctx = StageContext(project, self.stage() or a.stages[-1], a.phases)
        geoms = ctx.elements(list(row.element_types)).geoms
        if not len(geoms):
            canvas.clear_highlight()
            return
        shapes = list(shapely.buffer(np.asarray(geoms, dtype=object), 6.0))
        canvas.set_highlight(shapes, color=HIGHLIGHT)
        x0, y0, x1, y1 = shapely.total_bounds(np.asarray(shapes, dtype=object))
        pad = max(x1 - x0, y1 - y0) * 0.1 + 50.0
        canvas.set_extent((x0 - pad, y0 - pad, x1 + pad, y1 + pad))

    def _on_edited(self, item, column: int) -> None:
        if self._filling or self.assessment is None:
            return
        iid = item.data(COL_NAME, ROLE_ID)
        if not iid or column not in (COL_CURRENT, COL_TARGET, COL_EVIDENCE):
            return
        from smartgis.indicators import CURRENT
        stage = CURRENT if column == COL_CURRENT else (self.stage() or self.assessment.stages[-1])
        sid = self.assessment.system.id
        if column == COL_EVIDENCE:
            self.value_entered.emit(sid, iid, CURRENT, None, item.text(COL_EVIDENCE))
            return
        text = item.text(column).strip().replace(",", "")
        try:
            value = float(text)
        except ValueError:
            self._fill()  # not a number: back to the stored value
            return
        self.value_entered.emit(sid, iid, stage, value, None)
