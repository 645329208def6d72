"""Scoring a project against an indicator system: 现状 and each phase, per indicator,
per level and in total (out of 100), with the maturity level per domain and overall.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from smartgis.errors import StandardsError
from smartgis.i18n import _
from smartgis.indicators import values as _values
from smartgis.indicators.derive import derive_all
from smartgis.indicators.levels import LevelScale, load_levels
from smartgis.indicators.phases import CURRENT, order_phases, phase_names
from smartgis.indicators.systems import Indicator, IndicatorSystem, get_system


@dataclass
class Row:
    """One indicator's values and scores, by stage (``现状`` and the phases)."""

    indicator: Indicator
    values: dict = field(default_factory=dict)
    scores: dict = field(default_factory=dict)
    reasons: dict = field(default_factory=dict)
    evidence: str = ""
    rule_id: str = ""
    element_types: tuple = ()

    @property
    def derived(self) -> bool:
        return self.indicator.derived


@dataclass
class Assessment:
    """The scores of a project (see :func:`assess`)."""

    system: IndicatorSystem
    stages: list
    rows: list
    scale: LevelScale

    @property
    def phases(self) -> list:
        return [s for s in self.stages if s != CURRENT]

    def stage(self, name: str | None) -> str:
        """A stage by name (None: 现状); unknown names are an error listing the stages."""
        if name is None or name in (CURRENT, "current", "existing"):
            return CURRENT
        if name in self.stages:
            return name
        raise StandardsError(_("no phase {phase!r} (phases: {phases})", phase=name,
                               phases=", ".join(self.stages)))

    def row(self, indicator_id: str) -> Row:
        ind = self.system.indicator(indicator_id)
        return next(r for r in self.rows if r.indicator.id == ind.id)

    def score(self, stage: str = CURRENT) -> float:
        return round(sum(r.scores.get(stage, 0.0) for r in self.rows), 2)

    def domain_score(self, domain_id: str, stage: str = CURRENT) -> tuple[float, float]:
        rows = [r for r in self.rows if r.indicator.level1 == domain_id]
        return (round(sum(r.scores.get(stage, 0.0) for r in rows), 2),
                round(sum(r.indicator.weight for r in rows), 2))

    def domain_percent(self, domain_id: str, stage: str = CURRENT) -> float:
        """A domain's attainment (%): its score over its weight; without weight, the mean
        attainment of its indicators."""
        got, most = self.domain_score(domain_id, stage)
        if most > 0:
            return 100.0 * got / most
        rows = [r for r in self.rows if r.indicator.level1 == domain_id]
        if not rows:
            return 0.0
        return 100.0 * sum(r.indicator.scoring.fraction(r.values.get(stage)) for r in rows) / len(rows)

    def groups(self) -> list:
        """``[(domain, [(level2 label dict, [rows])])]`` in the system's order."""
        out = []
        for d in self.system.domains:
            subs: dict = {}
            for r in self.rows:
                if r.indicator.level1 == d.id:
                    subs.setdefault(r.indicator.level2["zh"], (r.indicator.level2, []))[1].append(r)
            out.append((d, list(subs.values())))
        return out

    def level(self, stage: str = CURRENT):
        return self.scale.of(self.score(stage))

    def domain_level(self, domain_id: str, stage: str = CURRENT):
        return self.scale.of(self.domain_percent(domain_id, stage))

    def target_stage(self, phase: str | None) -> str:
        """The stage whose value is the target shown: the phase asked for, else the last one."""
        if phase is not None:
            return self.stage(phase)
        return self.stages[-1]

    def to_json(self, phase: str | None = None, lang: str = "zh") -> dict:
        """Exactly the ``smartgis indicators --json`` object."""
        stage = self.stage(phase)
        target = self.target_stage(phase)
        rows = []
        for r in self.rows:
            ind = r.indicator
            rows.append({"id": ind.id, "level1": self.system.domain(ind.level1).label(lang),
                         "level2": ind.level2.get(lang) or ind.level2["zh"], "name": ind.label(lang),
                         "unit": ind.unit, "weight": ind.weight, "current": r.values.get(CURRENT),
                         "target": r.values.get(target), "derived": ind.derived,
                         "score": round(r.scores.get(stage, 0.0), 4), "evidence": r.evidence})
        return {"system": self.system.id, "phase": stage, "score": self.score(stage),
                "max_score": round(self.system.total_weight, 2), "level": self.level(stage).label(lang),
                "indicators": rows}


def stages_of(project, system_id: str) -> list:
    """现状, then the project's phases and the phases targets were entered for, in order."""
    entered = {s for per in _values.stored(project, system_id).values() for s in per}
    return [CURRENT] + order_phases(list(phase_names(project)) + [s for s in entered if s != CURRENT])


def assess(project, system: IndicatorSystem | str | None = None, system_file=None, levels=None, library=None,
           progress=None) -> Assessment:
    """Score a project against an indicator system for 现状 and every phase.

    Parameters
    ----------
    project : Project
    system : IndicatorSystem or str, optional
        A system or its id (default GB/T 33356-2022); ``system_file`` reads a city's own.
    levels : str or path, optional
        The maturity level file (default: the system's, else ``maturity-5``).
    library : Library, optional
        The standards library the derived indicators' rules come from.
    progress : callable, optional
        ``progress(done, total, message)``.
    """
    if not isinstance(system, IndicatorSystem):
        system = get_system(system, system_file)
    scale = load_levels(levels or system.levels)
    stages = stages_of(project, system.id)
    phases = [s for s in stages if s != CURRENT]
    entered = _values.stored(project, system.id)
    measured = derive_all(project, system, stages, phases, library=library, progress=progress)
    rows = []
    for ind in system.indicators:
        row = Row(ind)
        mine = entered.get(ind.id, {})
        if ind.derived:
            for s in stages:
                d = measured[ind.id][s]
                row.values[s] = d.value
                if d.reason:
                    row.reasons[s] = d.reason
                row.rule_id = row.rule_id or d.rule_id
                row.element_types = row.element_types or d.element_types
        else:
            last = None
            for s in stages:
                if s in mine and mine[s]["value"] is not None:
                    last = mine[s]["value"]
                # a phase without a target of its own keeps the value of the stage before it
                row.values[s] = last
        texts = [mine[s]["evidence"] for s in stages if s in mine and mine[s]["evidence"]]
        row.evidence = texts[-1] if texts else (row.rule_id or "")
        for s in stages:
            row.scores[s] = round(ind.weight * ind.scoring.fraction(row.values[s]), 4)
        rows.append(row)
    return Assessment(system, stages, rows, scale)
