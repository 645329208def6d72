"""Fire-service metrics: response time along the road network, arterial frontage,
districts split by barriers (GB 51080-2015 §4.1.3, §4.1.5).

The response time of a point is the turnout (``turnout_s``, 1 min) plus the drive
from the nearest station along the streets, each street driven at the speed of its
class (``speed_kmh_by_class`` of the rule; the class is read from the roads layer's
``class_field`` property, else a field named ``class``/``road_class``/``grade``).  A
point is reached when a street within ``access_m`` of it is reached in time.
"""

from __future__ import annotations

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra

from smartgis.analysis.context import role_label
from smartgis.analysis.metrics import (elements_of, in_scope, merge_notes, missing_reason, percent, sample_grid,
                                       type_labels)
from smartgis.analysis.outcome import NotApplicable, Outcome
from smartgis.i18n import _, join

#: Fields a roads layer's class is looked for in, when its ``class_field`` property is not set.
CLASS_FIELDS = ("class", "road_class", "grade", "level", "等级", "道路等级")


def _class_field(lyr) -> str | None:
    props = lyr.props or {}
    name = props.get("class_field")
    if name and lyr.table.has_field(name):
        return name
    for f in CLASS_FIELDS:
        if lyr.table.has_field(f):
            return f
    return None


def road_classes(ctx) -> tuple[np.ndarray, np.ndarray]:
    """The road lines of the ``roads`` layers and each line's class ('' when unknown)."""
    def build():
        geoms, classes = [], []
        for lyr in ctx.role_layers("roads"):
            g = ctx.geometries(lyr)
            fld = _class_field(lyr)
            c = np.asarray(lyr.table.column(fld), dtype=object) if fld else np.full(len(g), "", dtype=object)
            geoms.append(g)
            classes.append(np.array(["" if v is None else str(v).strip() for v in c], dtype=object))
        return ((np.concatenate(geoms), np.concatenate(classes)) if geoms
                else (np.empty(0, dtype=object), np.empty(0, dtype=object)))
    return ctx.remember(("road_classes", ctx.role_versions("roads")), build)


def _has_classes(classes: np.ndarray) -> bool:
    return bool(len(classes)) and any(c for c in classes)


def edge_speeds(ctx, net, params: dict) -> tuple[np.ndarray, list[str]]:
    """Speed (m/s) of every edge of the road network, by the class of its road line."""
    speeds = {str(k).lower(): float(v) for k, v in (params.get("speed_kmh_by_class") or {}).items()}
    default = float(params.get("default_speed_kmh", 30.0))
    lines, classes = road_classes(ctx)
    v = np.full(net.edge_count, default)
    notes = []
    if len(lines) and net.edge_count and _has_classes(classes):
        mid = shapely.line_interpolate_point(net.segments, 0.5, normalized=True)
        ei, li = shapely.STRtree(lines).query_nearest(mid, all_matches=False)
        kmh = np.array([speeds.get(str(c).lower(), default) for c in classes], dtype=float)
        v[ei] = kmh[li]
        unknown = sorted({str(c) for c in classes if c and str(c).lower() not in speeds})
        if unknown:
            notes.append(_("road classes without a speed in the rule, driven at {speed} km/h: {classes}",
                           speed=f"{default:g}", classes=", ".join(unknown[:6])))
    else:
        notes.append(_("the roads have no class field: every street driven at {speed} km/h", speed=f"{default:g}"))
    return v / 3.6, notes


def drive_times(net, speeds: np.ndarray, sources, limit_s: float, access_m: float = 500.0):
    """Driving time (s) from the nearest source to every node, and where the sources join
    the network (``seg``, ``t``, ``start`` time at the joining point)."""
    seg, t, acc = net.attach(sources, access_m)
    ok = seg >= 0
    n = len(net.nodes)
    w = net.length / speeds
    s = seg[ok]
    start = np.zeros(len(seg))  # the station stands on its street: driving starts at the door
    rows = np.full(2 * ok.sum(), n)
    cols = np.concatenate([net.ea[s], net.eb[s]])
    ws = np.concatenate([t[ok] / speeds[s], (net.length[s] - t[ok]) / speeds[s]])
    g = coo_matrix((np.concatenate([w, np.maximum(ws, 1e-9)]),
                    (np.concatenate([net.ea, rows]), np.concatenate([net.eb, cols]))), shape=(n + 1, n + 1)).tocsr()
    if ok.any():
        times = dijkstra(g, directed=False, indices=n, limit=limit_s)[:n]
    else:
        times = np.full(n, np.inf)
    return times, (seg, t, start)


def point_times(net, speeds, times, attach, pts: np.ndarray, access_m: float) -> np.ndarray:
    """Driving time (s) to the street point nearest each of ``pts`` (inf beyond ``access_m``)."""
    out = np.full(len(pts), np.inf)
    if not len(pts):
        return out
    geoms = shapely.points(pts)
    seg, t, _acc = net.attach(geoms, access_m)
    ok = seg >= 0
    s, tt = seg[ok], t[ok]
    v = speeds[s]
    via_a = times[net.ea[s]] + tt / v
    via_b = times[net.eb[s]] + (net.length[s] - tt) / v
    best = np.minimum(via_a, via_b)
    # a point on the station's own street is reached along it directly
    sseg, st, sstart = attach
    for k in np.flatnonzero(sseg >= 0):
        same = s == sseg[k]
        if same.any():
            best[same] = np.minimum(best[same], sstart[k] + np.abs(tt[same] - st[k]) / v[same])
    out[ok] = best
    return out


def cells_union(pts: np.ndarray, step: float):
    """The union of the grid cells (side ``step``) centred on ``pts`` — the points of a
    regular grid.  Cells are first merged into runs along each row: a few hundred
    rectangles to union instead of tens of thousands of squares."""
    h = step / 2.0
    order = np.lexsort((pts[:, 0], pts[:, 1]))
    x, y = pts[order, 0], pts[order, 1]
    brk = np.flatnonzero((np.abs(np.diff(y)) > 1e-6 * max(step, 1.0)) | (np.diff(x) > step * 1.5)) + 1
    first = np.concatenate([[0], brk])
    last = np.concatenate([brk, [len(x)]]) - 1
    return shapely.union_all(shapely.box(x[first] - h, y[first] - h, x[last] + h, y[last] + h))


def response_time(ctx, rule) -> Outcome:
    """Share of the scope reached within the response time (%): ``turnout_s`` plus
    ``drive_s`` along the road network from the nearest element, at road-class speeds."""
    scope = ctx.scope(rule.scope, rule.scope_where)
    p = rule.params
    net = ctx.network()
    turnout = float(p.get("turnout_s", 60.0))
    drive = float(p.get("drive_s", 240.0))
    access = float(p.get("access_m", 200.0))
    pts, step = sample_grid(scope.geometry, int(p.get("samples", 20_000)))
    speeds, notes = edge_speeds(ctx, net, p)
    # stations outside the district serve it too (a neighbour's station may be nearest)
    es = elements_of(ctx, rule, required=False)
    head = _("{turnout} s turnout + {drive} s drive", turnout=f"{turnout:g}", drive=f"{drive:g}")
    if not len(es):
        return Outcome(value=0.0, gaps=scope.geometry, details=merge_notes(head, scope.note, notes),
                       missing=missing_reason(ctx, rule))
    times, attach = drive_times(net, speeds, es.geoms, drive, float(p.get("station_access_m", 500.0)))
    tp = point_times(net, speeds, times, attach, pts, access)
    reached = tp <= drive + 1e-6
    value = percent(reached.sum(), len(pts))
    details = [head, _("{share} % of the {scope} reached within {limit} min", share=f"{value:.1f}",
                       scope=scope.label, limit=f"{(turnout + drive) / 60:g}")]
    far = int((np.isinf(tp)).sum())
    if far:
        details.append(_("{share} % of the {scope} lies farther than {distance} m from any street reached",
                         share=f"{100.0 * far / len(pts):.1f}", scope=scope.label, distance=f"{access:g}"))
    gaps = None
    if (~reached).any():
        gaps = shapely.intersection(cells_union(pts[~reached], step), scope.geometry)
    worst = tp[reached].max() + turnout if reached.any() else None
    return Outcome(value=value, gaps=gaps, details=merge_notes(details, scope.note, notes),
                   data={"grid_step_m": step, "unreached_points": int((~reached).sum()),
                         "beyond_streets": far, "slowest_reached_s": worst})


def road_frontage(ctx, rule) -> Outcome:
    """Share of the elements within ``tolerance_m`` of a road of the ``classes`` listed (%)."""
    es = elements_of(ctx, rule)
    p = rule.params
    lines, classes = road_classes(ctx)
    if not len(lines):
        raise NotApplicable(_("no road network (set a layer's role to {role})", role=role_label("roads")))
    if not _has_classes(classes):
        raise NotApplicable(_("the roads have no class field (name it in the roads layer's properties)"))
    want = {str(c).lower() for c in p.get("classes", [])}
    sel = np.array([str(c).lower() in want for c in classes], dtype=bool)
    tol = float(p.get("tolerance_m", 60.0))
    ok = np.zeros(len(es), dtype=bool)
    if sel.any():
        ei, _li = shapely.STRtree(lines[sel]).query(es.geoms, predicate="dwithin", distance=tol)
        ok[np.unique(ei)] = True
    gaps = shapely.union_all(shapely.buffer(es.geoms[~ok], 50.0)) if (~ok).any() else None
    return Outcome(value=percent(ok.sum(), len(es)), gaps=gaps,
                   details=[_("{n} of {total} {types} more than {distance} m from a road of class {classes}",
                              n=int((~ok).sum()), total=len(es), types=type_labels(ctx, rule.element_types),
                              distance=f"{tol:g}", classes=join(p.get("classes", [])[:2], " or ", "或"))],
                   data={"on_frontage": int(ok.sum())})


def _barriers(ctx, p) -> tuple[np.ndarray, list]:
    """Lines and polygons a district should not cross: roads of the barrier classes,
    the ``railways`` and ``water`` layers."""
    parts, labels = [], []
    lines, classes = road_classes(ctx)
    want = {str(c).lower() for c in p.get("barrier_classes", [])}
    if len(lines) and want:
        sel = np.array([str(c).lower() in want for c in classes], dtype=bool)
        if sel.any():
            parts.append(lines[sel])
            labels.append(join(sorted({str(c) for c in classes[sel]})))
    for role in p.get("barrier_roles", ["railways", "water"]):
        g = ctx.sites(role)
        if len(g):
            parts.append(g)
            labels.append(role_label(role))
    return (np.concatenate(parts) if parts else np.empty(0, dtype=object)), labels


def district_barriers(ctx, rule) -> Outcome:
    """Number of districts (each element's Voronoi cell in the scope) split by a barrier
    into pieces of at least ``min_piece_km2`` (default 0.05)."""
    scope = ctx.scope(rule.scope, rule.scope_where)
    p = rule.params
    barriers, labels = _barriers(ctx, p)
    if not len(barriers):
        raise NotApplicable(_("no expressway, railway or river in the project (roads of the barrier classes, "
                              "layers with the role {railways} or {water})", railways=role_label("railways"),
                              water=role_label("water")))
    es = elements_of(ctx, rule)
    es = es.subset(in_scope(es, scope))
    if not len(es):
        raise NotApplicable(_("no {types} inside the {scope}", types=type_labels(ctx, rule.element_types),
                              scope=scope.label))
    xy = es.xy
    if len(xy) == 1:
        cells = np.array([scope.geometry], dtype=object)
    else:
        env = shapely.buffer(shapely.envelope(scope.geometry), 10.0)
        vor = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(xy), extend_to=env))
        cells = shapely.intersection(vor, scope.geometry)
    cut = shapely.union_all(shapely.buffer(barriers, 1.0))
    min_piece = float(p.get("min_piece_km2", 0.05)) * 1e6
    split = np.zeros(len(cells), dtype=bool)
    for k, cell in enumerate(cells):
        pieces = shapely.get_parts(shapely.difference(cell, cut))
        split[k] = int((shapely.area(pieces) >= min_piece).sum()) > 1
    gaps = shapely.union_all(cells[split]) if split.any() else None
    return Outcome(value=float(split.sum()), gaps=gaps,
                   details=[_("{n} of {total} districts crossed by {barriers}", n=int(split.sum()), total=len(cells),
                              barriers=join(labels))],
                   data={"districts": len(cells), "split": int(split.sum())})


#: The fire-service metrics, by name (joined to the others by :mod:`smartgis.analysis.metric_table`).
METRICS = {"response_time": response_time, "road_frontage": road_frontage, "district_barriers": district_barriers}
