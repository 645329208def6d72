"""Indicators measured on the map, for 现状 and each phase, by the check engine itself.

A derived indicator names a check rule (``{"rule": "PS-VIDEO-2015/key_area_coverage"}``
or a rule written inline in the standards-file format) or the quick coverage answer
(``{"coverage": {"type": "camera", "measure": "area"}}``).  Its value is what
``smartgis check`` / ``smartgis coverage`` report — the same functions are called —
over the elements of the stage: a :class:`StageContext` is a check context that sees
only those elements.
"""

from __future__ import annotations

from dataclasses import dataclass

from smartgis.analysis.check import evaluate
from smartgis.analysis.context import CheckContext
from smartgis.analysis.standards import Library, standard_from_data
from smartgis.errors import SmartGISError, StandardsError
from smartgis.i18n import _
from smartgis.indicators.phases import stage_mask


#: Cache entries that depend on the elements (the rest — study area, population, road
#: network, buildings — is the same for every stage and is shared between them).
_STAGE_KEYS = ("elements", "fp")


class _StageCache(dict):
    """A stage's own cache of element-dependent entries over a cache shared by the stages."""

    def __init__(self, shared: dict):
        super().__init__()
        self.shared = shared

    @staticmethod
    def _own(key) -> bool:
        return isinstance(key, tuple) and bool(key) and key[0] in _STAGE_KEYS

    def __contains__(self, key) -> bool:
        return dict.__contains__(self, key) if self._own(key) else key in self.shared

    def __getitem__(self, key):
        return dict.__getitem__(self, key) if self._own(key) else self.shared[key]

    def __setitem__(self, key, value) -> None:
        if self._own(key):
            dict.__setitem__(self, key, value)
        else:
            self.shared[key] = value

    def get(self, key, default=None):
        return self[key] if key in self else default


class StageContext(CheckContext):
    """A check context holding only the elements of one stage (现状 or a phase).

    Contexts made with the same ``shared`` dict read the study area, population and road
    network once for all stages.
    """

    def __init__(self, project, stage: str, phases: list[str], shared: dict | None = None):
        super().__init__(project)
        self.stage = stage
        self.phases = list(phases)
        if shared is not None:
            self._cache = _StageCache(shared)

    def elements(self, type_ids=None, where=None):
        es = super().elements(type_ids, where)
        if not len(es):
            return es
        keep = stage_mask(es.values("status"), es.values("phase"), self.stage, self.phases)
        return es if keep.all() else es.subset(keep)


@dataclass
class Derived:
    """A measured value (None when it cannot be measured, with the reason)."""

    value: float | None
    unit: str = ""
    reason: str = ""
    rule_id: str = ""
    element_types: tuple = ()


def derive_rule(spec, library: Library, system_id: str):
    """The check rule a ``derive`` spec names (from the library) or writes inline."""
    rule = spec.get("rule")
    if isinstance(rule, str):
        return library.rule(rule)
    if isinstance(rule, dict):
        data = {"id": system_id, "kind": "rules", "rules": [dict({"severity": "recommended"}, **rule)]}
        return standard_from_data(data, origin="user").rules[0]
    raise StandardsError(_("derive: 'rule' must be a rule id or a rule"))


def measure(indicator, ctx: CheckContext, library: Library, system_id: str) -> Derived:
    """Measure one derived indicator on a (stage) context."""
    spec = indicator.derive or {}
    if "coverage" in spec:
        from smartgis.analysis.quick import coverage
        c = dict(spec["coverage"])
        try:
            out = coverage(ctx.project, c["type"], radius=c.get("radius"), network=bool(c.get("network")), ctx=ctx)
        except SmartGISError as exc:
            return Derived(None, "%", exc.message, element_types=(c.get("type"),))
        ratio = out["population_ratio"] if c.get("measure") == "population" else out["area_ratio"]
        if ratio is None:
            return Derived(None, "%", _("no population layer (set a layer's role to {role})", role="population"),
                           element_types=(c["type"],))
        return Derived(round(ratio * 100.0, 4), "%", "", "", (c["type"],))
    rule = derive_rule(spec, library, system_id)
    res = evaluate(ctx, rule)
    if res.value is None:
        return Derived(None, rule.unit, res.reason or _("no value could be measured"),
                       rule.id, tuple(rule.element_types))
    # the value exactly as `smartgis check --json` prints it
    return Derived(res.to_json()["value"], rule.unit, "", rule.id, tuple(rule.element_types))


def derive_all(project, system, stages: list[str], phases: list[str], library: Library | None = None,
               progress=None) -> dict:
    """``{indicator_id: {stage: Derived}}`` for the system's derived indicators."""
    from smartgis.core.progress import report
    lib = library or Library.load()
    derived = [i for i in system.indicators if i.derived]
    out: dict = {i.id: {} for i in derived}
    total = len(stages) * len(derived)
    k = 0
    shared: dict = {}
    for stage in stages:
        ctx = StageContext(project, stage, phases, shared)
        for ind in derived:
            report(progress, k, total, ind.id)
            k += 1
            try:
                out[ind.id][stage] = measure(ind, ctx, lib, system.id)
            except StandardsError as exc:
                out[ind.id][stage] = Derived(None, ind.unit, exc.message)
    report(progress, total, total, "")
    return out
