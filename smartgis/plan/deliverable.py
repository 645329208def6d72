"""What the Word and Excel deliverables are made of, gathered once.

The writers (:mod:`smartgis.plan.report_docx`, :mod:`smartgis.plan.report_xlsx`) are
Qt-free and take a :class:`Deliverable`: the plan's investment, the check results of
the city today (existing elements only) and after every phase, the indicator rows, and
pictures as PNG bytes (the architecture diagram, the timeline, the maps), drawn by the
caller — the command line or the window — with the rendering engine.

Check results come in as plain dicts (``RuleResult.to_dict()``): this package does not
import the check engine.

The 指标对照 (indicator comparison) rows come through one function,
:func:`indicator_rows`.  Today they are built from the check results, one row per rule;
an indicator system (GB/T 33356, a city's own list) gives its rows to
:class:`Deliverable` as ``indicators`` instead, in the same :class:`IndicatorRow` shape.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

COMPARISON_SIGNS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}
STATUS_ZH = {"pass": "达标", "fail": "不达标", "warning": "未达推荐值", "na": "不适用"}


@dataclass
class IndicatorRow:
    """One row of the indicator comparison (指标对照).

    Attributes
    ----------
    id, name : str
        Indicator (or rule) id and its Chinese name.
    source : str
        Standard and clause (``GB 50180-2018 4.0.1``).
    unit : str
    target : str
        The required value with its comparison (``≥ 90``), "" when none.
    today : float or None
        Value of the city as it is (existing elements only).
    by_phase : dict
        Phase name → value after that phase.
    status : str
        ``pass`` / ``fail`` / ``warning`` / ``na`` after the last phase.
    """

    id: str
    name: str
    source: str
    unit: str
    target: str
    today: float | None
    by_phase: dict = field(default_factory=dict)
    status: str = "na"


def _title(r: dict, lang: str = "zh") -> str:
    t = r.get("title")
    if isinstance(t, dict):
        return t.get(lang) or t.get("en") or r.get("id", "")
    return str(t or r.get("id", ""))


def indicator_rows(today: list[dict], phases: list[tuple[str, list[dict]]], lang: str = "zh") -> list[IndicatorRow]:
    """Indicator rows from check results: one per rule with a threshold that could be
    measured today or after some phase.

    Parameters
    ----------
    today : list of dict
        Rule results of the city today (``RuleResult.to_dict()``).
    phases : list of (phase name, list of dict)
        Rule results after each phase, in order.
    """
    now = {r["id"]: r for r in today}
    after = [(name, {r["id"]: r for r in rules}) for name, rules in phases]
    last = after[-1][1] if after else now
    rows = []
    for rid, r in (last or now).items():
        if r.get("threshold") is None:
            continue
        today_v = (now.get(rid) or {}).get("value")
        by_phase = {name: (m.get(rid) or {}).get("value") for name, m in after}
        if today_v is None and all(v is None for v in by_phase.values()):
            continue   # not measurable in this project (no layer, no element of its types)
        target = f"{COMPARISON_SIGNS.get(r.get('comparison'), r.get('comparison') or '')} {r['threshold']:g}".strip()
        rows.append(IndicatorRow(
            rid, _title(r, lang), f"{r.get('standard', '')} {r.get('clause', '')}".strip(), r.get("unit") or "",
            target, today_v, by_phase, r.get("status", "na")))
    return rows


@dataclass
class Deliverable:
    """Everything the Word and Excel deliverables show.

    Attributes
    ----------
    project : Project
    investment : smartgis.plan.investment.Investment
    today : list of dict
        Rule results of the city today (existing elements).
    final : list of dict
        Rule results after the last phase (the complete design).
    phase_rows : list of smartgis.plan.phasecheck.PhaseRow
    type_coverage_today, type_coverage_final : dict
        Element type → % of the study area covered.
    indicators : list of IndicatorRow
        The 指标对照 rows (see :func:`indicator_rows`).
    images : dict
        ``architecture``, ``timeline``, ``design_map``, ``check_map`` → PNG bytes (any may be missing).
    lang : str
    """

    project: object
    investment: object
    today: list = field(default_factory=list)
    final: list = field(default_factory=list)
    phase_rows: list = field(default_factory=list)
    type_coverage_today: dict = field(default_factory=dict)
    type_coverage_final: dict = field(default_factory=dict)
    indicators: list = field(default_factory=list)
    images: dict = field(default_factory=dict)
    lang: str = "zh"
    date: str = field(default_factory=lambda: _dt.date.today().isoformat())

    @property
    def plan(self):
        return self.investment.plan

    def type_name(self, tid: str) -> str:
        cat = self.project.catalog
        return cat.get(tid).label(self.lang) if tid in cat else tid


def wan(cny: float) -> float:
    """Yuan → 万元 (the unit of Chinese investment tables), two decimals."""
    return round(float(cny) / 1e4, 2)


def fmt_wan(cny: float) -> str:
    return f"{cny / 1e4:,.2f}"
