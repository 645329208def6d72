"""Metrics: what a rule measures.

A metric is ``fn(context, rule) -> Outcome``; it raises
:class:`~smartgis.analysis.outcome.NotApplicable` (with the reason users see) when the
project lacks what the rule needs.  The rule's ``params`` tune it; the parameters of
each metric are listed in ``docs/standards-format.md``.  The table a check looks
metrics up in is :mod:`smartgis.analysis.metric_table` (these, the fire-service ones of
:mod:`smartgis.analysis.fire`, and those the session contributes); a script adds one
with :func:`register_metric`.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np
import shapely
from scipy.spatial import cKDTree

from smartgis.analysis.context import role_label
from smartgis.analysis.elements import ElementSet, match
from smartgis.analysis.footprint import Footprint
from smartgis.analysis.outcome import NotApplicable, Outcome, compare
from smartgis.i18n import _, add_terms, bilingual, join, message_of

MetricFn = Callable[[object, object], Outcome]
METRICS: dict[str, MetricFn] = {}
#: The statistics ``nearest_spacing`` reports, as words in a message.
STAT_WORDS = {"mean": _("mean"), "median": _("median"), "max": _("max")}


def register_metric(name: str, fn: MetricFn) -> None:
    """Make ``fn(context, rule) -> Outcome`` the metric ``name``."""
    METRICS[str(name)] = fn


def metric(name: str):
    def deco(fn):
        register_metric(name, fn)
        return fn
    return deco


# -- helpers ---------------------------------------------------------------------------------
def type_labels(ctx, type_ids, lang: str | None = None) -> str:
    """The element types' names: in ``lang`` when given, else a localisable list
    (English text, Chinese where it is shown in Chinese)."""
    cat = ctx.project.catalog
    names = [dict(cat.get(t).name) if t in cat else {"en": t} for t in type_ids]
    if lang is not None:
        return ", ".join(n.get(lang) or n.get("en") or n.get("zh") or t for n, t in zip(names, type_ids))
    # stored runs lose the labels' Chinese; registering them lets those be translated too
    add_terms({n["en"]: n["zh"] for n in names if n.get("en") and n.get("zh")})
    return join([bilingual(n) for n in names])


def elements_of(ctx, rule, types=None, required: bool = True) -> ElementSet:
    """The rule's elements; NotApplicable when the design has none (and they are required)."""
    types = list(types if types is not None else rule.element_types)
    unknown = [t for t in types if t not in ctx.project.catalog]
    if unknown and len(unknown) == len(types):
        raise NotApplicable(_("unknown element type {types} (not in the catalog)", types=", ".join(unknown)))
    es = ctx.elements(types, rule.params.get("where"))
    if required and not len(es):
        raise NotApplicable(_("the design has no {types} ({ids})", types=type_labels(ctx, types),
                                ids=", ".join(types)))
    return es


def absent(ctx, types, where: dict | None = None) -> str:
    """The reason a rule falls short when the design has none of its elements (of the
    kind the rule's ``where`` asks for: "no Emergency shelter with shelter_class
    short_term, long_term in the design")."""
    labels = type_labels(ctx, list(types))
    if where and where.get("field") and (where.get("values") or where.get("contains")):
        values = where.get("values") or [where.get("contains")]
        return _("no {types} with {field} {values} in the design", types=labels, field=where["field"],
                 values=", ".join(map(str, values)))
    return _("no {types} in the design", types=labels)


def missing_reason(ctx, rule) -> str:
    """:func:`absent` for a rule: its element types and its ``where`` filter."""
    return absent(ctx, rule.element_types, rule.params.get("where"))


def in_scope(es: ElementSet, scope) -> np.ndarray:
    if not len(es):
        return np.zeros(0, dtype=bool)
    g = scope.geometry
    xy = es.xy
    inside = shapely.contains_xy(g, xy[:, 0], xy[:, 1])
    if not es.is_point.all():
        inside |= shapely.intersects(g, es.geoms)
    return inside


def merge_notes(*items) -> list[str]:
    out = []
    for it in items:
        if not it:
            continue
        if isinstance(it, str):
            out.append(it)
        else:
            out.extend(x for x in it if x)
    return list(dict.fromkeys(out))


def _rule_footprint(ctx, rule, es: ElementSet, params: dict | None = None) -> Footprint:
    p = dict(rule.params)
    p.update(params or {})
    p.pop("where", None)
    key = (tuple(sorted(set(es.types.tolist()))), repr(rule.params.get("where")), len(es))
    return ctx.footprint(es, p, key=key)


def _population_in(ctx, scope) -> float:
    # scopes are kept by the context for the whole run: one object per scope
    return ctx.remember(("pop_in", id(scope)), lambda: ctx.population().within(scope.geometry))


def _residents(ctx, scope) -> float:
    """People living in ``scope``; a rule per person does not apply where nobody lives."""
    people = _population_in(ctx, scope)
    if people <= 0:
        raise NotApplicable(_("nobody lives in the {scope} according to the population layer", scope=scope.label))
    return people


def percent(part: float, whole: float) -> float:
    return 100.0 * part / whole if whole > 0 else 0.0


def sample_grid(geometry, target: int = 60_000) -> tuple[np.ndarray, float]:
    """Regular points inside a polygon (about ``target`` of them) and their spacing."""
    area = geometry.area
    if area <= 0:
        return np.empty((0, 2)), 0.0
    step = math.sqrt(area / target)
    x0, y0, x1, y1 = geometry.bounds
    xs = np.arange(x0 + step / 2, x1, step)
    ys = np.arange(y0 + step / 2, y1, step)
    gx, gy = np.meshgrid(xs, ys)
    gx, gy = gx.ravel(), gy.ravel()
    shapely.prepare(geometry)
    inside = shapely.contains_xy(geometry, gx, gy)
    pts = np.column_stack([gx[inside], gy[inside]])
    if not len(pts):  # a sliver thinner than the grid: use a point on it
        p = shapely.point_on_surface(geometry)
        pts = np.array([[p.x, p.y]])
    return pts, step


def element_targets(es: ElementSet, step: float) -> np.ndarray:
    """Points standing for the elements when measuring distances to them.

    Points as they are; lines and polygon outlines densified to ``step``.
    """
    pts = es.is_point
    parts = [es.xy[pts]]
    if (~pts).any():
        g = es.geoms[~pts]
        outline = np.where(np.isin(shapely.get_type_id(g), (3, 6)), shapely.boundary(g), g)
        parts.append(shapely.get_coordinates(shapely.segmentize(outline, max(step, 1.0))))
    return np.concatenate(parts) if parts else np.empty((0, 2))


def _buffer_points(xy, r: float):
    if not len(xy):
        return shapely.Polygon()
    return shapely.union_all(shapely.buffer(shapely.points(np.asarray(xy)), r, quad_segs=8))


# -- coverage ----------------------------------------------------------------------------------
def _coverage_footprint(ctx, rule) -> tuple[Footprint, list[str], str | None]:
    """What the rule's elements cover, the notes, and the reason when the design has none."""
    params = rule.params
    if params.get("all_types"):
        # a complete living circle: the area every listed type serves
        present = [t for t in rule.element_types if len(ctx.elements([t], params.get("where")))]
        missing = [t for t in rule.element_types if t not in present]
        if missing:
            # one service missing leaves nobody in a complete living circle
            return Footprint.empty(), [], absent(ctx, missing, params.get("where"))
        fp = None
        notes: list[str] = []
        for t in present:
            f = _rule_footprint(ctx, rule, ctx.elements([t], params.get("where")))
            notes += f.notes
            fp = f if fp is None else fp.intersection(f)
        return fp, notes, None
    es = elements_of(ctx, rule, required=False)
    if not len(es):
        return Footprint.empty(), [], missing_reason(ctx, rule)
    fp = _rule_footprint(ctx, rule, es)
    return fp, list(fp.notes), None


def _with_scope(rule, scope: str):
    import dataclasses
    return dataclasses.replace(rule, scope=scope, scope_where=None)


@metric("coverage_area")
def coverage_area(ctx, rule) -> Outcome:
    """Share of the scope's area covered (%); ``complement: true`` reports the uncovered share."""
    scope = ctx.scope(rule.scope, rule.scope_where)
    fp, notes, missing = _coverage_footprint(ctx, rule)
    covered = fp.area(scope.geometry) if not fp.is_empty else 0.0
    value = percent(covered, scope.area)
    if rule.params.get("complement"):
        value = 100.0 - value
    gaps = _uncovered(fp, scope) if covered < scope.area * 0.99999 else None
    return Outcome(value=value, gaps=gaps, details=merge_notes(scope.note, notes,
                                                         _("{covered} of {total} km² covered",
                                                           covered=f"{covered / 1e6:,.2f}",
                                                           total=f"{scope.area / 1e6:,.2f}")),
                   data={"scope": scope.label, "scope_area_m2": scope.area, "covered_area_m2": covered},
                   missing=missing)


def _uncovered(fp: Footprint, scope):
    """Where the scope is not covered (the whole scope when nothing covers it)."""
    return scope.geometry if fp.is_empty else fp.gaps(scope.geometry)


@metric("coverage_population")
def coverage_population(ctx, rule) -> Outcome:
    """Share of the people in the scope who are covered (%)."""
    scope = ctx.scope(rule.scope, rule.scope_where)
    try:
        pop = ctx.population()
    except NotApplicable as exc:
        if rule.params.get("fallback") != "area":
            raise
        # without people, the share of the built-up area served is the next best answer
        out = coverage_area(ctx, _with_scope(rule, "built_up"))
        out.details.insert(0, _("{reason}: share of the built-up area instead of the population",
                                reason=message_of(exc)))
        return out
    total = _population_in(ctx, scope)
    if total <= 0:
        raise NotApplicable(_("nobody lives in the {scope} according to the population layer {layer!r}",
                              scope=scope.label, layer=pop.name))
    fp, notes, missing = _coverage_footprint(ctx, rule)
    covered = pop.covered(fp, scope.geometry) if not fp.is_empty else 0.0
    value = percent(covered, total)
    gaps = _uncovered(fp, scope) if value < 99.9999 else None
    return Outcome(value=value, gaps=gaps,
                   details=merge_notes(scope.note, notes, _("{covered} of {total} people covered",
                                                       covered=f"{covered:,.0f}", total=f"{total:,.0f}")),
                   data={"scope": scope.label, "population": total, "covered_population": covered,
                         "scope_area_m2": scope.area}, missing=missing)


@metric("point_coverage")
def point_coverage(ctx, rule) -> Outcome:
    """Share of street junctions in the scope that the elements cover (%)."""
    scope = ctx.scope(rule.scope, rule.scope_where)
    net = ctx.network()
    pts = net.intersections()
    if len(pts):
        pts = pts[shapely.contains_xy(scope.geometry, pts[:, 0], pts[:, 1])]
    if not len(pts):
        raise NotApplicable(_("no street junctions in the {scope}", scope=scope.label))
    es = elements_of(ctx, rule, required=False)
    fp = _rule_footprint(ctx, rule, es) if len(es) else Footprint.empty()
    hit = fp.contains_xy(pts[:, 0], pts[:, 1]) if len(es) else np.zeros(len(pts), dtype=bool)
    value = percent(hit.sum(), len(pts))
    gaps = _buffer_points(pts[~hit], 15.0) if (~hit).any() else None
    return Outcome(value=value, gaps=gaps,
                   details=merge_notes(scope.note, fp.notes, _("{n} of {total} junctions uncovered",
                                                          n=int((~hit).sum()), total=len(pts))),
                   data={"points": len(pts), "covered_points": int(hit.sum())},
                   missing=None if len(es) else missing_reason(ctx, rule))


# -- counts and densities --------------------------------------------------------------------
def _required(ctx, scope, spec: list) -> tuple[int | None, list[str]]:
    """Required count from steps over population (10 000) and/or area (km²); the larger wins."""
    best, notes = None, []
    for basis in spec:
        kind = basis.get("basis")
        if kind == "population_10k":
            try:
                x = _population_in(ctx, scope) / 1e4
            except NotApplicable as exc:
                notes.append(_("{reason}: the requirement by population is not applied", reason=message_of(exc)))
                continue
            label = _("population {people} ×10⁴", people=f"{x:,.1f}")
        elif kind == "area_km2":
            x = scope.area / 1e6
            label = _("{scope} {area} km²", scope=scope.label, area=f"{x:,.1f}")
        else:
            continue
        need = None
        for upper, count in basis.get("steps", []):
            if x < float(upper):
                need = int(count)
                break
        if need is None:
            # above the last step: one element per so many km² of the scope, and a minimum
            beyond = basis.get("beyond") or {}
            per = float(beyond.get("per_km2", 0) or 0)
            need = max(int(beyond.get("min", 0) or 0), math.ceil(scope.area / 1e6 / per) if per else 0)
        notes.append(_("{basis} → at least {n}", basis=label, n=need))
        best = need if best is None else max(best, need)
    return best, notes


@metric("count_required")
def count_required(ctx, rule) -> Outcome:
    """Number of elements in the scope against a count required by population or area."""
    scope = ctx.scope(rule.scope, rule.scope_where)
    es = elements_of(ctx, rule, required=False)
    n = int(in_scope(es, scope).sum())
    need, notes = _required(ctx, scope, rule.params.get("required_by") or [])
    if need is None:
        raise NotApplicable(_("the required count cannot be worked out: {reasons}",
                              reasons=join(notes or [_("no basis")], "; ")))
    # the message names the real cause: how many there are, how many are needed and why
    head = _("{n} {types} in the {scope}; {need} needed", n=n, types=type_labels(ctx, rule.element_types),
             scope=scope.label, need=need)
    return Outcome(value=float(n), threshold=float(need), details=merge_notes(head, scope.note, notes),
                   data={"count": n, "required": need},
                   missing=missing_reason(ctx, rule) if not n and need > 0 else None)


@metric("count")
def count(ctx, rule) -> Outcome:
    """Number of elements in the scope."""
    scope = ctx.scope(rule.scope, rule.scope_where)
    es = elements_of(ctx, rule, required=False)
    n = int(in_scope(es, scope).sum())
    return Outcome(value=float(n), details=merge_notes(scope.note), data={"count": n},
                   missing=None if n else missing_reason(ctx, rule))


@metric("density_area")
def density_area(ctx, rule) -> Outcome:
    """Elements per km² of the scope."""
    scope = ctx.scope(rule.scope, rule.scope_where)
    es = elements_of(ctx, rule, required=False)
    n = int(in_scope(es, scope).sum())
    km2 = scope.area / 1e6
    return Outcome(value=n / km2, details=merge_notes(scope.note, _("{n} in {area} km²", n=n, area=f"{km2:,.2f}")),
                   data={"count": n, "area_km2": km2}, missing=None if n else missing_reason(ctx, rule))


@metric("density_population")
def density_population(ctx, rule) -> Outcome:
    """Elements per 10 000 people in the scope."""
    scope = ctx.scope(rule.scope, rule.scope_where)
    people = _residents(ctx, scope)
    es = elements_of(ctx, rule, required=False)
    n = int(in_scope(es, scope).sum())
    return Outcome(value=n / (people / 1e4),
                   details=merge_notes(scope.note, _("{n} for {people} people", n=n, people=f"{people:,.0f}")),
                   data={"count": n, "population": people}, missing=None if n else missing_reason(ctx, rule))


def _beyond(values: np.ndarray, threshold, comparison: str) -> np.ndarray:
    """Which values fall short of the threshold — by the very test that judges the rule,
    so a rule never passes while its message counts spacings "too long"."""
    if threshold is None:
        return np.zeros(len(values), dtype=bool)
    return np.array([not compare(float(v), float(threshold), comparison) for v in values], dtype=bool)


# -- distances ---------------------------------------------------------------------------------
@metric("max_distance")
def max_distance(ctx, rule) -> Outcome:
    """Largest straight-line distance from the scope (or from the people) to the nearest element (m).

    The scope is sampled with a regular grid of about 60 000 points (the result is
    exact to half a grid step); ``over: population`` measures from every building,
    zone or cell of the population layer instead.
    """
    scope = ctx.scope(rule.scope, rule.scope_where)
    es = elements_of(ctx, rule, required=False)
    if not len(es):
        return Outcome(value=None, gaps=scope.geometry, details=merge_notes(scope.note),
                       missing=missing_reason(ctx, rule))
    if rule.params.get("over") == "population":
        pop = ctx.population()
        pts = pop.xy[shapely.contains_xy(scope.geometry, pop.xy[:, 0], pop.xy[:, 1])]
        step = 0.0
        if not len(pts):
            raise NotApplicable(_("nobody lives in the {scope}", scope=scope.label))
    else:
        pts, step = sample_grid(scope.geometry, int(rule.params.get("samples", 60_000)))
    targets = element_targets(es, max(step, 5.0))
    d, _nearest = cKDTree(targets).query(pts)
    if (~es.is_point).any():  # points inside an element's polygon are at distance 0
        polys = es.geoms[np.isin(shapely.get_type_id(es.geoms), (3, 6))]
        if len(polys):
            inside = shapely.contains_xy(shapely.union_all(polys), pts[:, 0], pts[:, 1])
            d[inside] = 0.0
    k = int(np.argmax(d))
    value = float(d[k])
    gaps = None
    thr = rule.threshold
    if thr is not None and value > thr:
        reach = Footprint(circles=(targets, np.full(len(targets), thr)))
        gaps = reach.gaps(scope.geometry)
    return Outcome(value=value, gaps=gaps,
                   details=merge_notes(scope.note,
                                       _("farthest point ({x}, {y}), grid step {step} m", x=f"{pts[k, 0]:.0f}",
                                         y=f"{pts[k, 1]:.0f}", step=f"{step:.0f}") if step else
                                       _("farthest point ({x}, {y})", x=f"{pts[k, 0]:.0f}", y=f"{pts[k, 1]:.0f}")),
                   data={"farthest_xy": [float(pts[k, 0]), float(pts[k, 1])], "grid_step_m": step})


@metric("min_distance")
def min_distance(ctx, rule) -> Outcome:
    """Smallest distance from the elements to sensitive sites (m).

    ``sites``: ``{"roles": [...], "types": [...]}`` — layers by role and design
    element types that must be kept at a distance.
    """
    es = elements_of(ctx, rule)
    spec = rule.params.get("sites") or {"roles": ["sensitive_sites"]}
    parts, labels = [], []
    for role in spec.get("roles", []):
        g = ctx.sites(role)
        if len(g):
            parts.append(g)
            labels.append(role_label(role))
    types = [t for t in spec.get("types", []) if t in ctx.project.design.layers]
    if types:
        other = ctx.elements(types)
        if len(other):
            parts.append(other.geoms)
            labels.append(type_labels(ctx, other.type_ids))
    if not parts:
        want = join([_("a layer with the role {role}", role=role_label(r)) for r in spec.get("roles", [])]
                    + ([type_labels(ctx, spec.get("types", []))] if spec.get("types") else []), " or ", "或")
        raise NotApplicable(_("no sites to keep away from ({what})", what=want))
    sites = np.concatenate(parts)
    tree = shapely.STRtree(sites)
    (ei, si), dist = tree.query_nearest(es.geoms, return_distance=True, all_matches=False)
    per = np.full(len(es), np.inf)
    per[ei] = dist
    k = int(np.argmin(per))
    value = float(per[k])
    gaps = None
    thr = rule.threshold
    if thr is not None and value < thr:
        bad = per < thr
        gaps = shapely.union_all(shapely.buffer(es.geoms[bad], thr, quad_segs=8))
    return Outcome(value=value, gaps=gaps,
                   details=[_("{n} element(s) closer than {limit} m to {sites}", n=int((per < (thr or 0)).sum()),
                              limit=f"{thr:g}", sites=join(labels)) if thr is not None
                            else _("sites: {sites}", sites=join(labels))],
                   data={"closest_uid": es.uids[k]})


@metric("nearest_spacing")
def nearest_spacing(ctx, rule) -> Outcome:
    """Distance between neighbouring elements (m): ``stat`` mean (default), median or max."""
    es = elements_of(ctx, rule)
    if len(es) < 2:
        raise NotApplicable(_("fewer than two elements"))
    xy = es.xy
    d, _idx = cKDTree(xy).query(xy, k=2)
    nn = d[:, 1]
    stat = rule.params.get("stat", "mean")
    value = float({"mean": np.mean, "median": np.median, "max": np.max}.get(stat, np.mean)(nn))
    return Outcome(value=value, details=[_("{stat} nearest-neighbour distance of {n} sites",
                                           stat=STAT_WORDS.get(stat, stat), n=len(es))],
                   data={"stat": stat})


#: Up to this many street stretches the gap of a rule with no elements along the
#: streets is their exact buffered union; beyond, the buffers are kept side by side.
GAP_UNION_MAX = 10_000


def street_gaps(lines: np.ndarray, scope):
    """The streets of ``scope`` as a 3 m band: where elements along them are missing.

    The union of a province's 200,000 street stretches takes minutes in GEOS; past
    :data:`GAP_UNION_MAX` stretches the bands are returned as a collection (drawn the
    same; where streets cross, the crossing is counted twice in its area).
    """
    shapely.prepare(scope)
    lines = lines[shapely.intersects(scope, lines)]
    if not len(lines):
        return shapely.GeometryCollection()
    inside = lines.copy()
    cut = ~shapely.contains(scope, lines)        # only stretches crossing the edge are cut
    if cut.any():
        inside[cut] = shapely.intersection(lines[cut], scope)
    inside = inside[~shapely.is_empty(inside)]
    bands = shapely.buffer(inside, 3.0, cap_style="flat")
    if len(bands) <= GAP_UNION_MAX:
        return shapely.union_all(bands)
    return shapely.geometrycollections(bands[~shapely.is_empty(bands)])


@metric("spacing")
def spacing(ctx, rule) -> Outcome:
    """Largest spacing between consecutive elements along the streets.

    Elements within ``tolerance_m`` (default 20) of a street are placed on it, each
    side of the street on its own (poles on both sides are counted per side).  With
    ``height_field`` and ``factor_by`` (street lights: S ≤ 3H / 3.5H / 4H by cut-off) the
    value is the largest spacing divided by the allowed one (1.0 = at the limit).
    """
    scope = ctx.scope(rule.scope, rule.scope_where)
    p = rule.params
    lines = ctx.role_geometries("roads", p.get("road_where"))
    if not len(lines):
        raise NotApplicable(_("no road network (set a layer's role to {role})", role=role_label("roads")))
    es = elements_of(ctx, rule, required=False)
    if not len(es):
        # streets and none of the elements along them: every stretch is a gap (the same
        # band for every such rule over these streets and this scope: built once)
        # (keyed by the scope's geometry itself: a built-up area falling back to the study
        # area shares its band)
        key = ("street_gaps", scope.geometry, repr(p.get("road_where")), ctx.role_versions("roads"))
        return Outcome(value=None, gaps=ctx.remember(key, lambda: street_gaps(lines, scope.geometry)),
                       details=merge_notes(scope.note),
                       missing=missing_reason(ctx, rule))
    lines = shapely.line_merge(lines) if len(lines) else lines
    tol = float(p.get("tolerance_m", 20.0))
    pts = shapely.points(es.xy)
    tree = shapely.STRtree(lines)
    pi, li = tree.query_nearest(pts, max_distance=tol, all_matches=False)
    if len(pi) < 2:
        return Outcome(value=None, details=merge_notes(scope.note),
                       missing=_("fewer than two {types} within {distance} m of a street",
                                 types=type_labels(ctx, rule.element_types), distance=f"{tol:g}"))
    ln = lines[li]
    pos = shapely.line_locate_point(ln, pts[pi])
    length = shapely.length(ln)
    ahead = np.minimum(pos + 0.5, length)
    behind = np.maximum(ahead - 1.0, 0.0)
    a = shapely.get_coordinates(shapely.line_interpolate_point(ln, behind))
    b = shapely.get_coordinates(shapely.line_interpolate_point(ln, ahead))
    q = es.xy[pi]
    cross = (b[:, 0] - a[:, 0]) * (q[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (q[:, 0] - a[:, 0])
    off = shapely.distance(ln, pts[pi])
    side = np.where(off < 0.5, 0, np.sign(cross)).astype(int)
    order = np.lexsort((pos, side, li))
    li_s, side_s, pos_s, idx_s = li[order], side[order], pos[order], pi[order]
    same = (li_s[1:] == li_s[:-1]) & (side_s[1:] == side_s[:-1])
    gap = (pos_s[1:] - pos_s[:-1])[same]
    i0, i1 = idx_s[:-1][same], idx_s[1:][same]
    # on the scope only
    mid = (es.xy[i0] + es.xy[i1]) / 2.0
    keep = shapely.contains_xy(scope.geometry, mid[:, 0], mid[:, 1])
    gap, i0, i1 = gap[keep], i0[keep], i1[keep]
    if not len(gap):
        raise NotApplicable(_("no two consecutive elements on the same side of a street"))
    if p.get("height_field"):
        h = es.numbers(p["height_field"])
        fb = p.get("factor_by") or {}
        fvals = es.values(fb.get("field", "")) if fb else np.full(len(es), None, dtype=object)
        factor = np.array([float((fb.get("values") or {}).get(str(v), fb.get("default", 3.0)))
                           for v in fvals]) if fb else np.full(len(es), float(p.get("factor", 3.0)))
        allowed = factor[i0] * np.nanmean(np.vstack([h[i0], h[i1]]), axis=0)
        ratio = gap / np.where(allowed > 0, allowed, np.nan)
        ratio = np.nan_to_num(ratio, nan=0.0)
        worst = int(np.argmax(ratio))
        value = float(ratio[worst])
        over = _beyond(ratio, rule.threshold if rule.threshold is not None else 1.0, rule.comparison)
        details = [_("largest spacing {spacing} m where {allowed} m is allowed", spacing=f"{gap[worst]:.1f}",
                     allowed=f"{allowed[worst]:.1f}")]
    else:
        worst = int(np.argmax(gap))
        value = float(gap[worst])
        over = _beyond(gap, rule.threshold, rule.comparison)
        details = []
    details.append(_("{n} spacings measured, {over} too long", n=len(gap), over=int(over.sum())))
    gaps = None
    if over.any():
        segs = shapely.linestrings(np.stack([es.xy[i0[over]], es.xy[i1[over]]], axis=1))
        gaps = shapely.union_all(shapely.buffer(segs, 3.0, cap_style="flat"))
    return Outcome(value=value, gaps=gaps, details=merge_notes(scope.note, details),
                   data={"spacings": int(len(gap)), "too_long": int(over.sum())})


@metric("district_area")
def district_area(ctx, rule) -> Outcome:
    """Area of each element's district (its Voronoi cell in the scope), km².

    Without ``limits_by`` the value is the largest district; with ``limits_by``
    (``{"field": "station_class", "limits_km2": {...}, "default": 7}``) each district is
    held to its own class's limit and the value is the number of districts too large.
    """
    scope = ctx.scope(rule.scope, rule.scope_where)
    es = elements_of(ctx, rule, required=False)
    es = es.subset(in_scope(es, scope))
    if not len(es):
        # nobody's district: the whole scope is without a station
        return Outcome(value=None, threshold=0.0 if rule.params.get("limits_by") else None, gaps=scope.geometry,
                       details=merge_notes(scope.note), missing=missing_reason(ctx, rule))
    xy = es.xy
    # Voronoi cells, clipped to the scope; one point gets the whole scope
    if len(xy) == 1:
        cells = np.array([scope.geometry], dtype=object)
        owner = np.array([0])
    else:
        env = shapely.buffer(shapely.envelope(scope.geometry), 10.0)
        vor = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(xy), extend_to=env))
        cells = shapely.intersection(vor, scope.geometry)
        tree = shapely.STRtree(shapely.points(xy))
        ci, pi = tree.query(vor, predicate="contains")
        owner = np.full(len(vor), -1)
        owner[ci] = pi
    areas = np.zeros(len(es))
    np.add.at(areas, owner[owner >= 0], shapely.area(cells[owner >= 0]) / 1e6)
    lb = rule.params.get("limits_by")
    if lb:
        limits = np.array([float((lb.get("limits_km2") or {}).get(str(v), lb.get("default", 7.0)))
                           for v in es.values(lb.get("field", ""))])
        over = areas > limits
        value = float(over.sum())
        threshold = 0.0
        worst = int(np.argmax(areas / limits))
        details = [_("largest district relative to its limit: {area} km² (limit {limit} km², {kind})",
                     area=f"{areas[worst]:.2f}", limit=f"{limits[worst]:g}",
                     kind=es.values(lb.get('field', ''))[worst])]
    else:
        value = float(areas.max())
        threshold = None
        over = _beyond(areas, rule.threshold, rule.comparison)
        details = [_("{n} districts, largest {largest} km², smallest {smallest} km²", n=len(es),
                     largest=f"{areas.max():.2f}", smallest=f"{areas.min():.2f}")]
    gaps = None
    if over.any():
        bad = np.isin(owner, np.flatnonzero(over))
        gaps = shapely.union_all(cells[bad])
    return Outcome(value=value, threshold=threshold, gaps=gaps, details=merge_notes(scope.note, details),
                   data={"districts_km2": [round(float(a), 3) for a in areas]})


# -- networks -----------------------------------------------------------------------------------
@metric("sensor_gateway")
def sensor_gateway(ctx, rule) -> Outcome:
    """Share of sensors within radio range of a gateway (%)."""
    p = rule.params
    gw_types = p.get("gateway_types", ["iot_gateway"])
    types = rule.element_types or [t.id for t in ctx.project.catalog.by_category("sensor")
                                   if t.id not in gw_types]
    sensors = elements_of(ctx, rule, types)
    gws = ctx.elements(gw_types)
    if not len(gws):
        value, hit = 0.0, np.zeros(len(sensors), dtype=bool)
        details = [_("the design has no {types}", types=type_labels(ctx, gw_types))]
    else:
        r = gws.param("radius", {"radius": p["range_m"]} if p.get("range_m") else None)
        fp = Footprint(circles=(gws.xy, r))
        xy = sensors.xy
        hit = fp.contains_xy(xy[:, 0], xy[:, 1])
        value = percent(hit.sum(), len(sensors))
        details = [_("{n} of {total} sensors out of range", n=int((~hit).sum()), total=len(sensors))]
    gaps = _buffer_points(sensors.xy[~hit], 25.0) if (~hit).any() else None
    return Outcome(value=value, gaps=gaps, details=details,
                   data={"sensors": len(sensors), "linked": int(hit.sum())})


@metric("gateway_centre")
def gateway_centre(ctx, rule) -> Outcome:
    """Share of gateways linked to an operations centre through network lines (%).

    The lines of ``line_types`` form a graph (joined where they meet or come within
    ``tolerance_m``, default 10 m); a gateway is linked when a line within the
    tolerance leads to a line within the tolerance of a centre.
    """
    from scipy.sparse.csgraph import connected_components

    from smartgis.analysis.network import RoadNetwork

    p = rule.params
    tol = float(p.get("tolerance_m", 10.0))
    gws = elements_of(ctx, rule)
    centre_types = p.get("centre_types", ["operations_centre"])
    centres = ctx.elements(centre_types)
    if not len(centres):
        raise NotApplicable(_("the design has no {types}", types=type_labels(ctx, centre_types)))
    line_types = p.get("line_types", ["fibre_backbone", "fibre_access", "link"])
    lines = ctx.elements(line_types)
    linked = shapely.dwithin(gws.geoms[:, None], centres.geoms[None, :], tol).any(axis=1)
    if len(lines):
        net = RoadNetwork(lines.geoms, snap_m=tol, gap_m=tol)
        if net.edge_count:
            _count, label = connected_components(net.graph(), directed=False)
            gseg, _gd, _gp = net.attach(gws.geoms, tol)
            cseg, _cd, _cp = net.attach(centres.geoms, tol)
            centre_comp = set(label[net.ea[cseg[cseg >= 0]]].tolist())
            ok = gseg >= 0
            comp = np.full(len(gws), -1)
            comp[ok] = label[net.ea[gseg[ok]]]
            linked |= np.isin(comp, list(centre_comp)) & ok
    value = percent(linked.sum(), len(gws))
    gaps = _buffer_points(gws.xy[~linked], 40.0) if (~linked).any() else None
    return Outcome(value=value, gaps=gaps,
                   details=[_("{n} of {total} gateways not linked", n=int((~linked).sum()), total=len(gws))
                            if len(lines) else
                            _("{n} of {total} gateways not linked (the design has no {types})", n=int((~linked).sum()),
                              total=len(gws), types=type_labels(ctx, line_types))],
                   data={"gateways": len(gws), "linked": int(linked.sum())})


# -- attributes and areas ----------------------------------------------------------------------
@metric("attribute_share")
def attribute_share(ctx, rule) -> Outcome:
    """Share of elements whose ``field`` matches ``values`` / ``not`` / ``true`` (%); with a
    scope other than the study area, of the elements in that scope (cameras of key areas)."""
    es = elements_of(ctx, rule)
    if rule.scope and rule.scope != "study_area":
        scope = ctx.scope(rule.scope, rule.scope_where)
        es = es.subset(in_scope(es, scope))
        if not len(es):
            raise NotApplicable(_("no {types} in the {scope}", types=type_labels(ctx, rule.element_types),
                                  scope=scope.label))
    p = rule.params
    ok = match(es.values(p.get("field", "")), p)
    gaps = _buffer_points(es.xy[~ok], 20.0) if (~ok).any() else None
    return Outcome(value=percent(ok.sum(), len(es)), gaps=gaps,
                   details=[_("{n} of {total} elements", n=int(ok.sum()), total=len(es))],
                   data={"matching": int(ok.sum())})


@metric("attribute_values_present")
def attribute_values_present(ctx, rule) -> Outcome:
    """Share of the required ``values`` of ``field`` that some element has (%)."""
    es = elements_of(ctx, rule)
    p = rule.params
    need = [str(v) for v in p.get("values", [])]
    if not need:
        raise NotApplicable(_("the rule lists no required values"))
    have = {str(v) for v in es.values(p.get("field", ""))}
    missing = [v for v in need if v not in have]
    return Outcome(value=percent(len(need) - len(missing), len(need)),
                   details=[_("missing: {values}", values=", ".join(missing)) if missing else _("all present")])


@metric("attribute_range")
def attribute_range(ctx, rule) -> Outcome:
    """Share of elements whose numeric ``field`` lies within [``min``, ``max``] (%)."""
    es = elements_of(ctx, rule)
    p = rule.params
    v = es.numbers(p.get("field", ""))
    lo, hi = float(p.get("min", -np.inf)), float(p.get("max", np.inf))
    ok = (v >= lo) & (v <= hi)
    gaps = _buffer_points(es.xy[~ok], 20.0) if (~ok).any() else None
    return Outcome(value=percent(ok.sum(), len(es)), gaps=gaps,
                   details=[_("{n} of {total} outside {low}–{high}", n=int((~ok).sum()), total=len(es),
                              low=f"{lo:g}", high=f"{hi:g}")])


@metric("attribute_ratio")
def attribute_ratio(ctx, rule) -> Outcome:
    """``sum(numerator) / sum(denominator)`` over the elements, in %."""
    es = elements_of(ctx, rule)
    p = rule.params
    num = np.nansum(es.numbers(p.get("numerator", "")))
    den = np.nansum(es.numbers(p.get("denominator", "")))
    if den <= 0:
        raise NotApplicable(_("no {field} given for the elements", field=p.get('denominator')))
    return Outcome(value=100.0 * num / den, details=[f"{num:,.0f} / {den:,.0f}"])


def _element_areas(es: ElementSet, field: str | None = None) -> np.ndarray:
    a = shapely.area(es.geoms)
    if field:
        given = es.numbers(field)
        a = np.where((a <= 0) & np.isfinite(given), given, a)
    return a


@metric("area_per_person")
def area_per_person(ctx, rule) -> Outcome:
    """Area of the elements in the scope per person living there (m²/person)."""
    scope = ctx.scope(rule.scope, rule.scope_where)
    people = _residents(ctx, scope)
    es = elements_of(ctx, rule, required=False)
    sel = in_scope(es, scope)
    field = rule.params.get("area_field_ha")
    areas = _element_areas(es.subset(sel))
    if field:  # points carry their area as an attribute (hectares)
        ha = es.subset(sel).numbers(field) * 1e4
        areas = np.where(areas > 0, areas, np.nan_to_num(ha))
    total = float(areas.sum())
    return Outcome(value=total / people,
                   details=merge_notes(scope.note, _("{area} ha for {people} people", area=f"{total / 1e4:,.2f}",
                                                people=f"{people:,.0f}")),
                   data={"area_m2": total, "population": people},
                   missing=None if sel.any() else missing_reason(ctx, rule))


@metric("element_area_min")
def element_area_min(ctx, rule) -> Outcome:
    """Smallest element area (ha); points use the attribute ``area_field_ha``."""
    es = elements_of(ctx, rule)
    a = shapely.area(es.geoms) / 1e4
    field = rule.params.get("area_field_ha")
    if field:
        given = es.numbers(field)
        a = np.where(a > 0, a, given)
    if not np.isfinite(a).any() or (np.nan_to_num(a) <= 0).all():
        raise NotApplicable(_("the elements have no area (draw them as polygons or fill in their area)"))
    a = np.where(np.isfinite(a), a, np.inf)
    k = int(np.argmin(a))
    thr = rule.threshold
    gaps = None
    if thr is not None and (a < thr).any():
        bad = a < thr
        gaps = shapely.union_all(shapely.buffer(es.geoms[bad], 10.0))
    return Outcome(value=float(a[k]), gaps=gaps, details=[_("{n} elements", n=len(es))],
                   data={"smallest_uid": es.uids[k]})


@metric("element_width_min")
def element_width_min(ctx, rule) -> Outcome:
    """Smallest width (m) of the polygon elements: the diameter of the largest circle
    that fits inside each (a park 200 m × 30 m is 30 m wide)."""
    es = elements_of(ctx, rule)
    polys = np.isin(shapely.get_type_id(es.geoms), (3, 6))
    if not polys.any():
        raise NotApplicable(_("the elements are points (draw them as polygons to measure their width)"))
    g = es.geoms[polys]
    widths = np.array([2.0 * shapely.length(shapely.maximum_inscribed_circle(x, tolerance=0.5)) for x in g])
    k = int(np.argmin(widths))
    bad = _beyond(widths, rule.threshold, rule.comparison)
    gaps = shapely.union_all(shapely.buffer(g[bad], 10.0)) if bad.any() else None
    return Outcome(value=float(widths[k]), gaps=gaps,
                   details=[_("{n} of {total} narrower than {limit} m", n=int(bad.sum()), total=len(g),
                              limit=f"{rule.threshold:g}") if rule.threshold is not None
                            else _("{n} elements", n=len(g))],
                   data={"narrowest_uid": es.uids[np.flatnonzero(polys)[k]]})


def _grid(geometry, cell: float, min_share: float):
    """Squares of ``cell`` metres over a polygon: (boxes, valid, nx, ny, x0, y0)."""
    x0, y0, x1, y1 = geometry.bounds
    nx, ny = max(1, math.ceil((x1 - x0) / cell)), max(1, math.ceil((y1 - y0) / cell))
    if nx * ny > 2_000_000:
        return None
    ix, iy = np.meshgrid(np.arange(nx), np.arange(ny))
    ix, iy = ix.ravel(), iy.ravel()
    boxes = shapely.box(x0 + ix * cell, y0 + iy * cell, x0 + (ix + 1) * cell, y0 + (iy + 1) * cell)
    share = shapely.area(shapely.intersection(boxes, geometry)) / (cell * cell)
    return boxes, share >= min_share, nx, ny, x0, y0


@metric("grid_cells")
def grid_cells(ctx, rule) -> Outcome:
    """Share of valid grid cells holding at least one element (%).

    The scope is covered with squares of ``cell_m`` (default 1000); a cell is valid
    when at least ``min_share`` (default 0.5) of it lies in the scope (HJ 640's
    regional noise grid).  With ``min_cells`` the grid must have more valid cells than
    that: the cell is shrunk (in steps of ``cell_step_m``, default 50 m, down to
    ``min_cell_m``, default 100 m) until it has; if even the smallest cell does not
    reach it, the rule fails.
    """
    scope = ctx.scope(rule.scope, rule.scope_where)
    p = rule.params
    first = cell = float(p.get("cell_m", 1000.0))
    min_share = float(p.get("min_share", 0.5))
    min_cells = int(p.get("min_cells") or 0)
    step = float(p.get("cell_step_m", 50.0))
    smallest = float(p.get("min_cell_m", 100.0))
    grid = _grid(scope.geometry, cell, min_share)
    first_valid = int(grid[1].sum()) if grid else 0
    while grid and min_cells and int(grid[1].sum()) <= min_cells and cell - step >= smallest:
        finer = _grid(scope.geometry, cell - step, min_share)
        if finer is None:
            break
        cell, grid = cell - step, finer
    if grid is None:
        raise NotApplicable(_("a {cell} m grid over the {scope} would have too many cells", cell=f"{cell:g}",
                              scope=scope.label))
    boxes, valid, nx, ny, x0, y0 = grid
    n_valid = int(valid.sum())
    if not n_valid:
        raise NotApplicable(_("no grid cell of {cell} m is at least {share} inside the {scope}", cell=f"{cell:g}",
                              share=f"{min_share:.0%}", scope=scope.label))
    es = elements_of(ctx, rule, required=False)
    has = np.zeros(nx * ny, dtype=bool)
    if len(es):
        xy = es.xy
        cx = np.floor((xy[:, 0] - x0) / cell).astype(int)
        cy = np.floor((xy[:, 1] - y0) / cell).astype(int)
        inside = (cx >= 0) & (cx < nx) & (cy >= 0) & (cy < ny)
        has[cy[inside] * nx + cx[inside]] = True
    ok = valid & has
    value = percent(ok.sum(), n_valid)
    missing = valid & ~has
    gaps = shapely.union_all(boxes[missing]) if missing.any() else None
    details = [_("{n} valid cells of {cell} m, {empty} without a monitor", n=n_valid, cell=f"{cell:g}",
                 empty=int(missing.sum()))]
    short = None
    if min_cells:
        if cell != first:
            details.append(_("a {first} m grid has only {k} valid cells; the standard asks for more than {n}, "
                             "so the cell is {cell} m", first=f"{first:g}", k=first_valid, n=min_cells,
                             cell=f"{cell:g}"))
        if n_valid <= min_cells:
            short = _("only {k} valid cells even with {cell} m squares; the standard asks for more than {n}",
                      k=n_valid, cell=f"{cell:g}", n=min_cells)
    if not len(es):
        short = missing_reason(ctx, rule)
    return Outcome(value=value, gaps=gaps if gaps is not None or not short else scope.geometry,
                   details=merge_notes(scope.note, details),
                   data={"valid_cells": n_valid, "cells_with_element": int(ok.sum()), "cell_m": cell},
                   missing=short)


@metric("per_feature_count")
def per_feature_count(ctx, rule) -> Outcome:
    """Share of the features of a role layer (water bodies ...) with at least ``min_count``
    elements within ``tolerance_m`` (%)."""
    p = rule.params
    role = p.get("role", "water")
    feats = ctx.role_geometries(role)
    if not len(feats):
        raise NotApplicable(_("no layer with the role {role}", role=role_label(role)))
    scope = ctx.scope(rule.scope, rule.scope_where)
    feats = feats[shapely.intersects(feats, scope.geometry)]
    if not len(feats):
        raise NotApplicable(_("no {role} features in the {scope}", role=role_label(role), scope=scope.label))
    es = elements_of(ctx, rule, required=False)
    tol = float(p.get("tolerance_m", 200.0))
    counts = np.zeros(len(feats), dtype=int)
    if len(es):
        fi, _near = shapely.STRtree(es.geoms).query(feats, predicate="dwithin", distance=tol)
        counts = np.bincount(fi, minlength=len(feats))
    need = int(p.get("min_count", 1))
    ok = counts >= need
    gaps = shapely.union_all(shapely.buffer(feats[~ok], 20.0)) if (~ok).any() else None
    return Outcome(value=percent(ok.sum(), len(feats)), gaps=gaps,
                   details=merge_notes(scope.note, _("{n} of {total} {role} features with fewer than {need} within "
                                                "{distance} m", n=int((~ok).sum()), total=len(feats),
                                                role=role_label(role),
                                                need=need, distance=f"{tol:g}")),
                   data={"features": len(feats), "served": int(ok.sum())},
                   missing=None if len(es) else missing_reason(ctx, rule))


#: Layer properties naming a role layer's class field, in the order they are looked for.
CLASS_PROPS = ("class_field", "zone_field", "use_field", "code_field")


def _role_classes(ctx, role: str, field: str | None):
    """Features of the role layers and each one's class value (layers without the field are skipped)."""
    geoms, values = [], []
    for lyr in ctx.role_layers(role):
        props = lyr.props or {}
        names = [field] if field else [props.get(k) for k in CLASS_PROPS] + ["class"]
        fld = next((f for f in names if f and lyr.table.has_field(f)), None)
        if not fld:
            continue
        geoms.append(ctx.geometries(lyr))
        values.append(np.array(["" if v is None else str(v).strip() for v in lyr.table.column(fld)], dtype=object))
    if not geoms:
        return np.empty(0, dtype=object), np.empty(0, dtype=object)
    return np.concatenate(geoms), np.concatenate(values)


@metric("per_class_count")
def per_class_count(ctx, rule) -> Outcome:
    """Share of the classes of a role layer (声环境功能区 0–4b, road classes …) with at least
    ``min_count`` elements on features of that class (%).

    ``role`` names the layer role, ``field`` the class field (default: the layer's
    ``class_field``/``zone_field``/``use_field``/``code_field`` property, else ``class``),
    ``classes`` limits which values count, ``tolerance_m`` how near a feature an element
    may be (0: inside the polygon).
    """
    p = rule.params
    role = p.get("role", "noise_zones")
    if not ctx.role_layers(role):
        raise NotApplicable(_("no layer with the role {role}", role=role_label(role)))
    feats, vals = _role_classes(ctx, role, p.get("field"))
    if not len(feats):
        raise NotApplicable(_("the {role} layers have no class field", role=role_label(role)))
    scope = ctx.scope(rule.scope, rule.scope_where)
    keep = shapely.intersects(feats, scope.geometry) & (vals != "")
    wanted = p.get("classes")
    if wanted:
        keep &= np.isin(np.char.lower(vals.astype(str)), [str(c).lower() for c in wanted])
    feats, vals = feats[keep], vals[keep]
    classes = sorted(set(vals.tolist()))
    if not classes:
        raise NotApplicable(_("no {role} features in the {scope}", role=role_label(role), scope=scope.label))
    es = elements_of(ctx, rule, required=False)
    tol = float(p.get("tolerance_m", 0.0))
    counts = np.zeros(len(feats), dtype=int)
    if len(es):
        if tol > 0:
            fi, _e = shapely.STRtree(es.geoms).query(feats, predicate="dwithin", distance=tol)
        else:
            fi, _e = shapely.STRtree(es.geoms).query(feats, predicate="intersects")
        counts = np.bincount(fi, minlength=len(feats))
    per = {c: int(counts[vals == c].sum()) for c in classes}
    need = int(p.get("min_count", 1))
    short = [c for c in classes if per[c] < need]
    gaps = shapely.union_all(shapely.buffer(feats[np.isin(vals, short)], max(tol, 1.0))) if short else None
    details = [_("{n} of {total} classes without {types}: {classes}", n=len(short), total=len(classes),
                 types=type_labels(ctx, rule.element_types), classes=", ".join(short)) if short
               else _("every class has {types}: {counts}", types=type_labels(ctx, rule.element_types),
                      counts=", ".join(f"{c} × {per[c]}" for c in classes))]
    return Outcome(value=percent(len(classes) - len(short), len(classes)), gaps=gaps,
                   details=merge_notes(scope.note, details), data={"classes": per},
                   missing=None if len(es) else missing_reason(ctx, rule))


# -- indicator systems ----------------------------------------------------------------------------
@metric("indicator")
def indicator(ctx, rule) -> Outcome:
    """Whether the design addresses an indicator: some placed element type lists it in
    its catalog ``indicators``.  Value 1 (addressed) or 0 (open)."""
    if not rule.spatial:
        raise NotApplicable(_("not a spatial element of the design (addressed in the design text)"))
    counts = ctx.project.design.counts()
    by = [t.id for t in ctx.project.catalog if rule.id in (t.indicators or [])]
    have = [t for t in by if counts.get(t)]
    if have:
        return Outcome(value=1.0, threshold=1.0,
                       details=[join([_("{types} × {n}", types=type_labels(ctx, [t]), n=counts[t]) for t in have])],
                       data={"types": have})
    hint = _("place {types}", types=type_labels(ctx, by)) if by else _("no element type of the catalog addresses it")
    return Outcome(value=0.0, threshold=1.0, details=[_("open: {hint}", hint=hint)], data={"types": []})
