"""Gathering the deliverable of a plan: the checks of the city today and after every
phase, the indicator rows and the pictures — what ``smartgis report`` and the window's
Plan dock hand to the Word and Excel writers."""

from __future__ import annotations

import numpy as np

from smartgis.core.progress import report
from smartgis.i18n import translate


def make_deliverable(project, lang: str = "zh", pictures: bool = True, progress=None, library=None):
    """A :class:`smartgis.plan.deliverable.Deliverable` of the project.

    The check runs once for the city today (existing elements only) and once after
    every phase; the run after the last phase is the complete design.
    """
    from smartgis.analysis.check import run_check
    from smartgis.analysis.standards import Library
    from smartgis.plan import compute, plan_of
    from smartgis.plan.deliverable import Deliverable, indicator_rows
    from smartgis.plan.facts import phase_members
    from smartgis.plan.phasecheck import phase_table

    plan = plan_of(project)
    inv = compute(project, plan)
    lib = library or Library.load()
    steps = len(plan.phases) + 2
    results = {}

    last = plan.phases[-1].name if plan.phases else None

    def check(keep):
        # the coverage chart of every type is only shown for today and the complete design
        res = run_check(project, library=lib, keep=keep, chart=keep.phase == last)
        results[getattr(keep, "phase", None)] = res
        return res

    report(progress, 0, steps, "现状")
    f = inv.facts
    existing = set(f.uids[phase_members(f, -1)].tolist()) if len(f) else set()
    today = run_check(project, library=lib,
                      keep=lambda es: np.fromiter((u in existing for u in es.uids), dtype=bool, count=len(es.uids)))
    rows = phase_table(project, plan, check,
                       progress=lambda k, n, name: report(progress, k + 1, steps, name))
    final = results[plan.phases[-1].name] if plan.phases else run_check(project, library=lib)
    phases = [(ph.name, [r.to_dict() for r in results[ph.name].rules]) for ph in plan.phases]
    today_rules = [r.to_dict() for r in today.rules]
    d = Deliverable(project, inv, today=today_rules, final=[r.to_dict() for r in final.rules], phase_rows=rows,
                    type_coverage_today=today.type_coverage, type_coverage_final=final.type_coverage,
                    indicators=system_rows(project, lang, lib) + indicator_rows(today_rules, phases, lang),
                    lang=lang)
    if pictures:
        report(progress, steps - 1, steps, "图")
        from smartgis.render.plan_images import plan_pictures
        d.images = plan_pictures(project, inv, final, lang)
    report(progress, steps, steps, "")
    return d


def system_rows(project, lang: str, library) -> list:
    """The rows of the project's indicator system (GB/T 33356-2022 unless chosen), 现状 and
    each phase, as rows of the 指标对照 table: the scored indicators come before the rules."""
    from smartgis.indicators.report import project_table
    from smartgis.plan.deliverable import IndicatorRow
    t = project_table(project, lang, library=library)
    stages = t["stages"]
    rows = []
    for r in t["rows"]:
        values = dict(zip(stages, r["values"]))
        if all(v is None for v in values.values()):
            continue   # neither measured from the map nor entered
        final = r["scores"][-1] if r["scores"] else 0.0
        status = "pass" if r["weight"] and final >= r["weight"] - 1e-9 else ("fail" if not final else "warning")
        rows.append(IndicatorRow(r["id"], r["name"], f"{t['edition']} {r['level1']} / {r['level2']}", r["unit"] or "",
                                 translate("{weight} points", lang, weight=f"{r['weight']:g}"),
                                 values.get(stages[0]), {st: values.get(st) for st in stages[1:]}, status))
    return rows
