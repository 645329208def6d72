"""Closing the gaps: the fewest new elements that lift a failed rule to its threshold.

The method is the greedy heuristic for maximal covering / set covering (Church and
ReVelle's MCLP, Toregas' LSCP, as in pysal ``spopt.locate``), honouring the elements
already placed:

1. **demand** — what the rule counts, not yet covered: the people of the population
   layer (each building, zone or cell with its weight) or, for area rules, a regular
   grid over the uncovered part of the scope (each point weighing its cell's area);
2. **candidates** — street nodes of the road network inside the scope (thinned to a
   quarter of the service radius), or a grid when there is no road network; sites
   closer than half a radius to an existing element of the type are left out;
3. **greedy** — repeatedly take the candidate covering the most uncovered demand
   (a sparse candidate × demand matrix makes each step one matrix-vector product)
   until the covered share reaches the threshold;
4. the proposal is measured again with the rule's own model (walking distance,
   sectors …); if it still falls short, the greedy continues on what is left.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.spatial import cKDTree

from smartgis.analysis.check import evaluate
from smartgis.analysis.context import CheckContext
from smartgis.analysis.elements import ElementSet
from smartgis.analysis.metrics import sample_grid
from smartgis.analysis.outcome import NotApplicable
from smartgis.analysis.standards import Library
from smartgis.core.progress import report
from smartgis.errors import UsageError
from smartgis.i18n import _

SUPPORTED = ("coverage_area", "coverage_population", "max_distance")
#: Straight-line radius used for walking-distance rules while choosing (typical detour 1.3).
DETOUR = 1.3


@dataclass
class Suggestion:
    """New elements proposed for a rule."""

    rule: object
    type_id: str
    points: np.ndarray                  # (n, 2) project CRS
    before: float | None
    after: float | None
    threshold: float | None
    attributes: dict = field(default_factory=dict)
    met: bool = False
    notes: list = field(default_factory=list)
    #: Service radius of a new element under the rule (metres; walking distance for network rules).
    radius: float = 0.0

    @property
    def count(self) -> int:
        return len(self.points)

    def geometries(self, catalog) -> list:
        """The new elements' geometries (points, or small squares for polygon types)."""
        t = catalog.get(self.type_id)
        pts = shapely.points(self.points)
        if t.geometry == "Point":
            return list(pts)
        side = math.sqrt(max(float(self.attributes.get("area_ha") or 0.1), 0.01) * 1e4)
        return list(shapely.buffer(pts, side / 2.0, cap_style="square"))

    def to_json(self) -> dict:
        return {"rule": self.rule.id, "type": self.type_id, "count": self.count,
                "before": _r(self.before), "after": _r(self.after), "threshold": _r(self.threshold),
                "unit": self.rule.unit, "met": self.met,
                "points": [[round(float(x), 2), round(float(y), 2)] for x, y in self.points],
                "attributes": self.attributes, "radius_m": round(self.radius, 1), "notes": self.notes}


def _r(v):
    return None if v is None or not math.isfinite(v) else round(float(v), 4)


def _service_radius(ctx, rule, type_id) -> tuple[float, str]:
    """Radius of a new element under the rule, and its model."""
    cat = ctx.project.catalog
    t = cat.get(type_id)
    p = rule.params
    model = p.get("model") or t.coverage.model
    if model == "network" and not ctx.has_network():
        model = "circle"
    if rule.metric == "max_distance":
        return float(rule.threshold), "circle"
    probe = ElementSet(np.array([type_id], dtype=object), np.array([shapely.Point(0, 0)], dtype=object),
                       np.array([None], dtype=object), {}, {type_id: t})
    name = {"network": "distance", "sector": "range"}.get(model, "radius")
    r = float(probe.param(name, p)[0])
    if r <= 0:
        raise UsageError(_("{type} has no service radius to place new elements by", type=type_id))
    return r, model


def _demand(ctx, rule, scope, fp):
    """Uncovered demand points, their weights, and the total weight of the scope."""
    by_people = rule.metric == "coverage_population" or (rule.metric == "max_distance"
                                                          and rule.params.get("over") == "population")
    if by_people:
        try:
            pop = ctx.population()
            xy, w = pop.sample_points()
            inside = shapely.contains_xy(scope.geometry, xy[:, 0], xy[:, 1])
            xy, w = xy[inside], w[inside]
            covered = fp.contains_xy(xy[:, 0], xy[:, 1]) if not fp.is_empty else np.zeros(len(xy), dtype=bool)
            return xy[~covered], w[~covered], float(w.sum()), float(w[covered].sum())
        except NotApplicable:
            if rule.params.get("fallback") != "area" and rule.metric != "max_distance":
                raise
    pts, step = sample_grid(scope.geometry, 40_000)
    w = np.full(len(pts), step * step)
    covered = fp.contains_xy(pts[:, 0], pts[:, 1]) if not fp.is_empty else np.zeros(len(pts), dtype=bool)
    return pts[~covered], w[~covered], float(w.sum()), float(w[covered].sum())


def _candidates(ctx, scope, radius: float, existing: np.ndarray) -> np.ndarray:
    """Street nodes in the scope (one per quarter radius) and a grid of a third of a radius."""
    step = max(radius / 4.0, 1.0)
    parts = []
    if ctx.has_network():
        nodes = ctx.network().nodes
        nodes = nodes[shapely.contains_xy(scope.geometry, nodes[:, 0], nodes[:, 1])]
        if len(nodes):
            key = np.floor(nodes / step).astype(np.int64)
            _, first = np.unique(key, axis=0, return_index=True)
            parts.append(nodes[np.sort(first)])
    grid_step = max(radius / 3.0, 1.0)
    grid, _ = sample_grid(scope.geometry, int(min(200_000, max(100, scope.area / (grid_step * grid_step)))))
    parts.append(grid)
    cand = np.concatenate(parts)
    if len(existing):
        d, _ = cKDTree(existing).query(cand)
        cand = cand[d >= radius / 2.0]
    return cand


def _greedy(cand, demand, weights, radius, need, max_new):
    """Indices of chosen candidates (greedy maximal covering until ``need`` weight is covered)."""
    if not len(cand) or not len(demand) or need <= 0:
        return []
    pairs = cKDTree(demand).sparse_distance_matrix(cKDTree(cand), radius, output_type="coo_matrix")
    a = coo_matrix((np.ones(pairs.nnz), (pairs.row, pairs.col)), shape=(len(demand), len(cand))).tocsc()
    w = weights.astype(float).copy()
    chosen, got = [], 0.0
    while got < need and len(chosen) < max_new:
        gains = a.T @ w
        j = int(np.argmax(gains))
        if gains[j] <= 0:
            break
        rows = a.indices[a.indptr[j]:a.indptr[j + 1]]
        got += float(w[rows].sum())
        w[rows] = 0.0
        chosen.append(j)
    return chosen


def suggest(project, rule_id: str, standard_files=(), max_new: int = 500, progress=None,
            library: Library | None = None) -> Suggestion:
    """Propose the fewest new elements that make a failed rule pass.

    Parameters
    ----------
    project : Project
    rule_id : str
        Full (``GB50180-2018/primary_school_radius``) or unique local rule id.
    max_new : int
        Stop after this many new elements.

    Returns
    -------
    Suggestion
        Empty when the rule already passes.

    Raises
    ------
    UsageError
        The rule is not a coverage or distance rule, or does not apply to the project.
    """
    lib = library or Library.load(standard_files)
    rule = lib.rule(rule_id)
    if rule.metric not in SUPPORTED:
        raise UsageError(_("rule {rule} measures {metric}; new elements can be proposed for coverage "
                           "and distance rules ({metrics})", rule=rule.id, metric=rule.metric,
                           metrics=", ".join(SUPPORTED)))
    if rule.params.get("all_types"):
        raise UsageError(_("rule {rule} needs several element types together; check the rule of each type instead",
                           rule=rule.id))
    types = [t for t in rule.element_types if t in project.catalog]
    if not types:
        raise UsageError(_("rule {rule} names no element type of the catalog", rule=rule.id))
    type_id = types[0]
    ctx = CheckContext(project)
    first = evaluate(ctx, rule)
    if first.status == "na":
        raise UsageError(_("rule {rule} does not apply to this project: {reason}", rule=rule.id, reason=first.reason))
    attrs = {}
    where = rule.params.get("where") or {}
    if where.get("field") and where.get("values"):
        attrs[where["field"]] = where["values"][0]
    t_type = project.catalog.get(type_id)
    if (rule.params.get("model") or t_type.coverage.model) == "sector" and t_type.field("mount") is not None:
        # a fixed camera's view depends on where it looks: propose PTZ cameras, which turn all round
        attrs.setdefault("mount", "ptz")
    thr = first.threshold
    if first.status == "pass":
        return Suggestion(rule, type_id, np.empty((0, 2)), first.value, first.value, thr, attrs, met=True,
                          notes=[_("the rule already passes")])
    radius, model = _service_radius(ctx, rule, type_id)
    choose_r = radius / DETOUR if model == "network" else radius
    scope_role = rule.scope
    if rule.metric == "coverage_population" and "built-up area instead" in " ".join(first.details):
        scope_role = "built_up"
    scope = ctx.scope(scope_role, rule.scope_where if scope_role == rule.scope else None)
    existing = ctx.elements([type_id])
    chosen_xy = np.empty((0, 2))
    after = first.value
    notes = []
    rounds = 8
    for round_ in range(rounds):
        report(progress, round_, rounds, _("choosing sites"))
        cur = ctx.elements(rule.element_types, where or None)
        if rule.metric == "max_distance":
            fp = _circle_fp(cur.xy, radius)
        else:
            fp = ctx.footprint(cur, {k: v for k, v in rule.params.items() if k != "where"})
        dem, w, total, covered = _demand(ctx, rule, scope, fp)
        target = (thr / 100.0 if rule.metric != "max_distance" else 1.0) * total
        need = target - covered
        cand = _candidates(ctx, scope, radius, np.concatenate([existing.xy, chosen_xy]))
        budget = max_new - len(chosen_xy)
        # later rounds aim closer in: what the straight-line guess missed lies far along the streets
        picks = _greedy(cand, dem, w, choose_r / (1.0 + 0.15 * round_), need * (1 + 1e-9), budget)
        if not picks:
            notes.append(_("no candidate site covers the remaining gaps"))
            break
        chosen_xy = np.concatenate([chosen_xy, cand[picks]])
        # measure again with the rule's own model
        ctx = CheckContext(project)
        t = project.catalog.get(type_id)
        geoms = Suggestion(rule, type_id, chosen_xy, None, None, None, attrs).geometries(project.catalog)
        new = ElementSet(np.full(len(chosen_xy), type_id, dtype=object), np.array(geoms, dtype=object),
                         np.full(len(chosen_xy), None, dtype=object),
                         {k: np.full(len(chosen_xy), v, dtype=object) for k, v in {**t.defaults(), **attrs}.items()},
                         {type_id: t})
        ctx.proposed = {type_id: new}
        res = evaluate(ctx, rule)
        after = res.value
        if res.status == "pass" or len(chosen_xy) >= max_new:
            break
    report(progress, rounds, rounds, _("done"))
    met = after is not None and thr is not None and evaluate_met(after, thr, rule.comparison)
    if not met and len(chosen_xy) >= max_new:
        notes.append(_("stopped at {n} new elements", n=max_new))
    return Suggestion(rule, type_id, chosen_xy, first.value, after, thr, attrs, met=met, notes=notes, radius=radius)


def _circle_fp(xy, r):
    from smartgis.analysis.footprint import Footprint
    return Footprint(circles=(xy, np.full(len(xy), r)))


def evaluate_met(value, threshold, comparison) -> bool:
    from smartgis.analysis.check import compare
    return compare(value, threshold, comparison)


def apply(project, suggestion: Suggestion) -> list[str]:
    """Add the proposed elements to the design as one undoable step; returns their uids."""
    if not suggestion.count:
        return []
    t = project.catalog.get(suggestion.type_id)
    text = f"Add {suggestion.count} suggested {t.label('en')} ({suggestion.rule.id})"
    return project.design.add_many(suggestion.type_id, suggestion.geometries(project.catalog), text=text,
                                   **suggestion.attributes)
