"""The indicator table (指标对照表) of a report, as plain values.

Reports (the HTML/PDF check report, the plan's Word/Excel deliverables) take this dict,
so they need not know how indicators are scored.
"""

from __future__ import annotations

from smartgis.i18n import _, localize
from smartgis.indicators.phases import CURRENT

#: The table's words, as messages (Chinese in ``messages/reports.json``).
TITLE = _("Indicator table")
REFERENCE = _("reference value — weight or item not verified in a published copy")


def report_table(a, lang: str = "zh") -> dict:
    """``{"title", "system", "edition", "stages", "totals", "levels", "max_score", "rows", "reference"}``.

    ``rows`` carry per stage the value and the score; ``totals`` and ``levels`` are by stage.
    """
    s = a.system
    rows = []
    for d, subs in a.groups():
        for _label, group in subs:
            for r in group:
                ind = r.indicator
                rows.append({"id": ind.id, "level1": d.label(lang), "level2": ind.level2.get(lang) or ind.level2["zh"],
                             "name": ind.label(lang), "unit": ind.unit, "weight": ind.weight,
                             "values": [r.values.get(st) for st in a.stages],
                             "scores": [round(r.scores.get(st, 0.0), 2) for st in a.stages],
                             "derived": ind.derived, "verified": ind.verified, "evidence": r.evidence})
    return {"title": localize(TITLE, lang), "system": s.id, "edition": s.edition,
            "name": s.label(lang), "stages": list(a.stages), "max_score": round(s.total_weight, 2),
            "totals": [a.score(st) for st in a.stages], "levels": [a.level(st).label(lang) for st in a.stages],
            "rows": rows, "reference": localize(REFERENCE, lang), "current": CURRENT}


def project_table(project, lang: str = "zh", library=None) -> dict:
    """The table of the project's indicator system (``settings["indicators"]["system"]``,
    default GB/T 33356-2022)."""
    from smartgis.indicators.assess import assess
    sid = ((project.settings or {}).get("indicators") or {}).get("system")
    return report_table(assess(project, sid, library=library), lang)
