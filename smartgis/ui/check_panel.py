"""The check panel: the design checked against the standards, rule by rule.

The rules that fall short come first, grouped by severity tier (mandatory clauses
强制性条文, required 应, recommended 宜, reference), then the other rules under their
standard; each with a status icon (pass, fail, warning, not applicable), the measured
value, the threshold and its tier.  "Failures only" hides everything that does not
fall short.  Numbers not verified in a copy of the standard carry a † and say so in
their tooltip.  Clicking a rule zooms the map to
its gaps and draws them on top of the map.  For a failed coverage rule, "Suggest
elements" proposes new elements, shown on the map; "Accept" adds them to the design
as one undoable step.
"""

from __future__ import annotations

from html import escape

import numpy as np
import shapely
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smartgis.analysis.outcome import format_short, format_threshold, format_value
from smartgis.analysis.report_html import SEVERITY_ORDER, STATUS_ORDER, unit_text, verdict
from smartgis.core.times import show as show_time
from smartgis.i18n import get_language, localize

STATUS_COLOURS = {"pass": "#1a9850", "fail": "#d73027", "warning": "#f39c12", "na": "#9e9e9e"}
GAP_COLOUR = "#e31a1c"
PROPOSAL_COLOUR = "#1f78b4"
RULE_ROLE = Qt.UserRole + 1


def status_icon(status: str, size: int = 14) -> QIcon:
    """A filled disc in the status colour (a tick or cross drawn in white)."""
    pm = QPixmap(size, size)
    pm.fill(Qt.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.Antialiasing)
    p.setBrush(QBrush(QColor(STATUS_COLOURS.get(status, "#9e9e9e"))))
    p.setPen(Qt.NoPen)
    p.drawEllipse(1, 1, size - 2, size - 2)
    p.setPen(QColor("white"))
    mark = {"pass": "✓", "fail": "✕", "warning": "!", "na": "–"}.get(status, "")
    f = p.font()
    f.setPixelSize(int(size * 0.7))
    f.setBold(True)
    p.setFont(f)
    p.drawText(pm.rect(), Qt.AlignCenter, mark)
    p.end()
    return QIcon(pm)




class CheckPanel(QWidget):
    """Dock content: run the check, list the results, show gaps and proposals on the map.

    Signals
    -------
    run_requested(standard_id_or_None)
        The user asked for a check run (the feature runs it on a worker thread).
    suggest_requested(rule_id)
    report_requested(path)
    """

    run_requested = Signal(object)
    suggest_requested = Signal(str)
    accept_requested = Signal()
    report_requested = Signal(str)

    def __init__(self, window=None, parent=None):
        super().__init__(parent)
        self.window = window
        self.setObjectName("CheckPanel")
        self.setWindowTitle(self.tr("Standards check"))
        self.result = None
        # the window's language (it sets the messages' language), until a result names its own
        self.lang = get_language()
        self.proposal = None
        self.standard_files: list[str] = []

        self.standard_box = QComboBox()
        self.standard_box.setObjectName("check_standard")
        self.standard_box.setToolTip(self.tr("Standards to check against"))
        self.run_button = QPushButton(self.tr("Run check"))
        self.run_button.setObjectName("check_run")
        self.run_button.clicked.connect(lambda: self.run_requested.emit(self.standard_box.currentData()))
        top = QHBoxLayout()
        top.addWidget(self.standard_box, 1)
        top.addWidget(self.run_button)

        self.summary = QLabel(self.tr("No check run yet."))
        self.summary.setObjectName("check_summary")
        self.summary.setWordWrap(True)
        self.hide_na = QCheckBox(self.tr("Hide rules that do not apply"))
        self.hide_na.setObjectName("check_hide_na")
        self.hide_na.setChecked(True)
        self.hide_na.toggled.connect(self._fill)
        self.failures_only = QCheckBox(self.tr("Failures only"))
        self.failures_only.setObjectName("check_failures_only")
        self.failures_only.setToolTip(self.tr("Show only the rules that fail or warn"))
        self.failures_only.toggled.connect(self._fill)

        self.tree = QTreeWidget()
        self.tree.setObjectName("check_rules")
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels([self.tr("Rule"), self.tr("Value"), self.tr("Threshold"), self.tr("Severity")])
        self.tree.setIconSize(QSize(14, 14))
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setMinimumHeight(260)
        hdr = self.tree.header()
        hdr.setMinimumSectionSize(60)
        hdr.setSectionResizeMode(0, QHeaderView.Stretch)
        for c in (1, 2, 3):
            hdr.setSectionResizeMode(c, QHeaderView.ResizeToContents)
        hdr.setStretchLastSection(False)
        self.tree.currentItemChanged.connect(self._on_current)

        self.detail = QLabel()
        self.detail.setObjectName("check_detail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.detail.setStyleSheet("color: #444;")

        self.suggest_button = QPushButton(self.tr("Suggest elements"))
        self.suggest_button.setObjectName("check_suggest")
        self.suggest_button.setToolTip(self.tr("Propose the fewest new elements that make this rule pass"))
        self.suggest_button.clicked.connect(self._suggest)
        self.accept_button = QPushButton(self.tr("Accept"))
        self.accept_button.setObjectName("check_accept")
        self.accept_button.setToolTip(self.tr("Add the proposed elements to the design (one undo step)"))
        self.accept_button.clicked.connect(self.accept_requested.emit)
        self.discard_button = QPushButton(self.tr("Discard"))
        self.discard_button.setObjectName("check_discard")
        self.discard_button.clicked.connect(self.clear_proposal)
        self.report_button = QPushButton(self.tr("Report…"))
        self.report_button.setObjectName("check_report")
        self.report_button.setToolTip(self.tr("Write the report as HTML or PDF"))
        self.report_button.clicked.connect(self._report)
        buttons = QHBoxLayout()
        for b in (self.suggest_button, self.accept_button, self.discard_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.report_button)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addWidget(self.summary)
        filters = QHBoxLayout()
        filters.addWidget(self.failures_only)
        filters.addWidget(self.hide_na)
        filters.addStretch(1)
        lay.addLayout(filters)
        lay.addWidget(self.tree, 1)
        lay.addWidget(self.detail)
        lay.addLayout(buttons)
        self._update_buttons()

    # -- content ---------------------------------------------------------------------------
    def set_standards(self, library) -> None:
        """Fill the standards selector from a :class:`~smartgis.analysis.standards.Library`."""
        current = self.standard_box.currentData()
        self.standard_box.clear()
        self.standard_box.addItem(self.tr("All standards"), None)
        for std in library:
            self.standard_box.addItem(f"{std.edition or std.id}  {std.label(self.lang)}", std.id)
        k = self.standard_box.findData(current)
        self.standard_box.setCurrentIndex(max(0, k))

    def set_result(self, result, lang: str | None = None) -> None:
        """Show a :class:`~smartgis.analysis.check.CheckResult` (None clears the panel)."""
        if lang:
            self.lang = lang
        self.result = result
        self.clear_proposal()
        self._fill()

    def _fill(self) -> None:
        self.tree.clear()
        self._clear_map()
        r = self.result
        if r is None:
            self.summary.setText(self.tr("No check run yet."))
            self.detail.clear()
            self._update_buttons()
            return
        s = r.summary
        text = self.tr("{p} pass, {f} fail, {w} warnings, {n} not applicable").format(
            p=s["pass"], f=s["fail"], w=s["warn"], n=s["na"])
        key = verdict(r)
        words = {"verdict_mandatory": self.tr("Mandatory clauses fail."),
                 "verdict_required": self.tr("Required rules fail."),
                 "verdict_pass": self.tr("Every mandatory and required rule passes."),
                 "verdict_none": self.tr("No mandatory or required rule could be judged.")}
        colour = STATUS_COLOURS["fail" if r.failed else "pass" if key == "verdict_pass" else "na"]
        notes = "".join(f"<br><span style='color:#666'>{escape(localize(n, self.lang))}</span>" for n in r.notes)
        self.summary.setText(f"<b style='color:{colour}'>{words[key]}</b> {text}"
                             f"<br><span style='color:#666'>{show_time(r.started)}</span>{notes}")
        tiers = self.severity_names()
        groups: dict[str, QTreeWidgetItem] = {}

        def group(key: str, label: str, tip: str, colour: str | None = None) -> QTreeWidgetItem:
            parent = groups.get(key)
            if parent is None:
                parent = QTreeWidgetItem([label])
                f = parent.font(0)
                f.setBold(True)
                parent.setFont(0, f)
                parent.setToolTip(0, tip)
                if colour:
                    parent.setForeground(0, QBrush(QColor(colour)))
                self.tree.addTopLevelItem(parent)
                parent.setFirstColumnSpanned(True)
                groups[key] = parent
            return parent

        short = [x for x in r.rules if x.status in ("fail", "warning")]
        rest = [x for x in r.rules if x.status not in ("fail", "warning")]
        rank = {t: k for k, t in enumerate(SEVERITY_ORDER)}
        # the shortfalls first, most binding tier first; within a tier failures before warnings
        short.sort(key=lambda x: (rank.get(x.rule.severity, 9), STATUS_ORDER[x.status]))
        rows = [(x, True) for x in short]
        if not self.failures_only.isChecked():
            rows += [(x, False) for x in rest if not (self.hide_na.isChecked() and x.status == "na")]
        reference = self.tr("reference value — confirm against the purchased standard")
        for res, falls_short in rows:
            rule = res.rule
            if falls_short:
                parent = group("short:" + rule.severity, self.tr("Falls short — {tier}").format(
                    tier=tiers.get(rule.severity, rule.severity)), rule.severity, STATUS_COLOURS["fail"])
            else:
                std = next((sd for sd in r.standards if sd.get("id") == rule.standard), {})
                parent = group(rule.standard, std.get("edition") or rule.standard, rule.standard)
            title = rule.label(self.lang) + ("" if rule.verified else " †")
            thr = format_threshold(rule.comparison, res.threshold)
            unit = f" {unit_text(rule.unit, self.lang)}" if rule.unit else ""
            shown = format_short(res.value, res.threshold) if res.status in ("fail", "warning") \
                else format_value(res.value)
            value = "—" if res.value is None else f"{shown}{unit}"
            item = QTreeWidgetItem([title, value, f"{thr}{unit}" if thr else "", tiers.get(rule.severity, "")])
            item.setIcon(0, status_icon(res.status))
            item.setData(0, RULE_ROLE, rule.id)
            if rule.severity in ("mandatory", "required"):
                f = item.font(3)
                f.setBold(True)
                item.setFont(3, f)
            tip = [f"<b>{rule.id}</b> · {escape(rule.clause)}", rule.label(self.lang)]
            if not rule.verified:
                tip.append(f"<i style='color:#b35806'>† {reference}</i>")
            if res.reason:
                tip.append(escape(localize(res.reason, self.lang)))
            tip.extend(escape(localize(d, self.lang)) for d in res.details[:4])
            item.setToolTip(0, "<br>".join(tip))
            if not rule.verified:
                item.setForeground(2, QBrush(QColor("#b35806")))
            parent.addChild(item)
        self.tree.expandAll()
        self.detail.clear()
        self._update_buttons()

    def severity_names(self) -> dict:
        """The severity tiers as the panel names them."""
        return {"mandatory": self.tr("mandatory clause"), "required": self.tr("required"),
                "recommended": self.tr("recommended"), "reference": self.tr("reference")}

    def current_result(self):
        item = self.tree.currentItem()
        rid = item.data(0, RULE_ROLE) if item is not None else None
        if not rid or self.result is None:
            return None
        return next((r for r in self.result.rules if r.rule.id == rid), None)

    def select_rule(self, rule_id: str) -> bool:
        """Make a rule current (as a click would); False when it is not listed."""
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for k in range(top.childCount()):
                it = top.child(k)
                if it.data(0, RULE_ROLE) == rule_id:
                    self.tree.setCurrentItem(it)
                    return True
        return False

    # -- map -------------------------------------------------------------------------------
    def _canvas(self):
        return getattr(self.window, "canvas", None) if self.window is not None else None

    def _clear_map(self) -> None:
        canvas = self._canvas()
        if canvas is not None:
            canvas.clear_highlight()

    def _on_current(self, *_args) -> None:
        res = self.current_result()
        if res is None:
            self.detail.clear()
            self._update_buttons()
            return
        lines = [f"<b>{res.rule.id}</b> · {escape(res.rule.clause)} · "
                 + self.severity_names().get(res.rule.severity, res.rule.severity)]
        if not res.rule.verified:
            lines.append("<span style='color:#b35806'>† "
                         + self.tr("reference value — confirm against the purchased standard") + "</span>")
        if res.reason:
            lines.append(escape(localize(res.reason, self.lang)))
        lines.extend(escape(localize(d, self.lang)) for d in res.details[:3])
        note = (res.rule.note.get(self.lang) or res.rule.note.get("en", "")) if res.rule.note else ""
        if note:
            lines.append(f"<i>{escape(note)}</i>")
        if res.gaps is not None and not shapely.is_empty(res.gaps):
            lines.append(self.tr("Gaps: {area} km²").format(area=f"{shapely.area(res.gaps) / 1e6:,.3f}"))
        self.detail.setText("<br>".join(lines))
        if self.proposal is None:
            self.show_gaps(res)
        self._update_buttons()

    def show_gaps(self, res) -> None:
        """Draw a rule's gaps on the map and zoom to them."""
        canvas = self._canvas()
        if canvas is None:
            return
        if res is None or res.gaps is None or shapely.is_empty(res.gaps):
            canvas.clear_highlight()
            return
        canvas.set_highlight([res.gaps], color=GAP_COLOUR)
        x0, y0, x1, y1 = res.gaps.bounds
        pad = max(x1 - x0, y1 - y0) * 0.08 + 20.0
        canvas.set_extent((x0 - pad, y0 - pad, x1 + pad, y1 + pad))

    def show_proposal(self, suggestion) -> None:
        """Show proposed elements (with the rule's gaps) on the map; Accept/Discard decide."""
        self.proposal = suggestion
        canvas = self._canvas()
        res = self.current_result()
        if canvas is not None and suggestion is not None and suggestion.count:
            pts = shapely.points(suggestion.points)
            # each proposed site with its service area (walking distance drawn as its straight-line bound)
            reach = shapely.boundary(shapely.buffer(pts, max(suggestion.radius, 1.0), quad_segs=16))
            marks = shapely.buffer(pts, max(6.0, suggestion.radius / 20.0), quad_segs=6)
            geoms = [res.gaps] if res is not None and res.gaps is not None else []
            canvas.set_highlight(list(geoms) + list(reach) + list(marks), color=PROPOSAL_COLOUR)
            b = np.asarray(shapely.bounds(np.concatenate([np.asarray(geoms, dtype=object), reach])))
            x0, y0 = b[:, 0].min(), b[:, 1].min()
            x1, y1 = b[:, 2].max(), b[:, 3].max()
            pad = max(x1 - x0, y1 - y0) * 0.05 + 20.0
            canvas.set_extent((x0 - pad, y0 - pad, x1 + pad, y1 + pad))
        if suggestion is not None:
            sep = "；" if self.lang == "zh" else "; "
            unit = unit_text(suggestion.rule.unit, self.lang)
            state = self.tr("meets the threshold") if suggestion.met else self.tr("still short of the threshold")
            after = format_value(suggestion.after) if suggestion.met else \
                format_short(suggestion.after, suggestion.threshold)
            self.detail.setText(self.tr("{n} new elements proposed: {before} → {after} {unit} ({state}). "
                                        "Accept adds them to the design.").format(
                n=suggestion.count, before=format_value(suggestion.before), after=after, unit=unit,
                state=state) if suggestion.count else
                self.tr("Nothing to propose: ") + sep.join(localize(n, self.lang) for n in suggestion.notes))
        self._update_buttons()

    def clear_proposal(self) -> None:
        had = self.proposal is not None
        self.proposal = None
        if had:
            self.show_gaps(self.current_result())
        self._update_buttons()

    def _update_buttons(self) -> None:
        from smartgis.analysis.suggest import SUPPORTED
        res = self.current_result()
        can = (res is not None and res.status in ("fail", "warning") and res.rule.metric in SUPPORTED
               and not res.rule.params.get("all_types"))
        writable = not bool(getattr(self.window, "read_only", False))
        self.suggest_button.setEnabled(bool(can) and self.proposal is None and writable)
        has_proposal = self.proposal is not None and self.proposal.count > 0
        self.accept_button.setEnabled(has_proposal and writable)
        self.discard_button.setEnabled(self.proposal is not None)
        self.report_button.setEnabled(self.result is not None)

    def _suggest(self) -> None:
        res = self.current_result()
        if res is not None:
            self.suggest_requested.emit(res.rule.id)

    def _report(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Write check report"), "check-report.html",
                                              self.tr("HTML report (*.html);;PDF report (*.pdf)"))
        if path:
            self.report_requested.emit(path)
