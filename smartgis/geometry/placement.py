"""Batch layout geometry: where to put many elements at once.

Pure functions over shapely arrays (no Qt, no project): points at a spacing along
lines with a side offset, a lattice inside polygons, the intersections of a line
network, nearest-neighbour links, and the coverage shape (circle or sector) an
element draws.  :class:`smartgis.core.design.Design` turns their results into
elements with one undo step.

Everything is vectorised: one ``shapely.line_interpolate_point`` call over all
positions of all lines, one ``STRtree.query_nearest`` for all links.  Python loops
run only over polygons (grids) or over the few conflicting points of a thinning.

Examples
--------
>>> import shapely
>>> road = shapely.LineString([(0, 0), (1000, 0)])
>>> lay = points_along([road], spacing=35, offset=8, both_sides=True)
>>> len(lay.points)
58
>>> sorted({round(float(y), 6) for y in shapely.get_y(lay.points)})
[-8.0, 8.0]
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely

from smartgis.errors import UsageError
from smartgis.i18n import _

__all__ = [
    "Layout", "as_lines", "azimuth_deg", "coverage_shape", "grid_points", "intersection_points",
    "nearest_links", "points_along", "sector", "thin",
]


@dataclass
class Layout:
    """Points produced by a layout function, with what each one came from.

    Attributes
    ----------
    points : ndarray of shapely Points
    source : ndarray of int
        Index of the input geometry each point belongs to.
    side : ndarray of int
        +1 left of the line's direction, -1 right, 0 on the line (or not along a line).
    azimuth : ndarray of float
        Direction of the line at the point, degrees clockwise from north (NaN when
        not along a line).
    chainage : ndarray of float
        Distance along the source line (NaN when not along a line).
    """

    points: np.ndarray
    source: np.ndarray
    side: np.ndarray
    azimuth: np.ndarray
    chainage: np.ndarray

    def __len__(self) -> int:
        return len(self.points)

    def take(self, mask_or_index) -> "Layout":
        return Layout(self.points[mask_or_index], self.source[mask_or_index], self.side[mask_or_index],
                      self.azimuth[mask_or_index], self.chainage[mask_or_index])

    @classmethod
    def empty(cls) -> "Layout":
        return cls(np.empty(0, dtype=object), np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int8),
                   np.empty(0), np.empty(0))


def _spacing(spacing) -> float:
    """``spacing`` as a float, refused unless it is a positive finite distance."""
    spacing = float(spacing)
    if not spacing > 0 or not math.isfinite(spacing):
        raise UsageError(_("the spacing must be a positive distance (got {spacing})", spacing=spacing))
    return spacing


def _as_array(geoms) -> np.ndarray:
    if isinstance(geoms, shapely.Geometry):
        return np.array([geoms], dtype=object)
    arr = np.asarray(list(geoms) if not isinstance(geoms, np.ndarray) else geoms, dtype=object)
    return arr.reshape(-1)


def as_lines(geoms) -> tuple[np.ndarray, np.ndarray]:
    """Single-part 2-D lines from any geometries, with the index of their source.

    Multi-lines are split into parts, polygons give their rings (exterior and holes),
    points, empty and missing geometries are dropped.
    """
    arr = _as_array(geoms)
    if not len(arr):
        return np.empty(0, dtype=object), np.empty(0, dtype=np.int64)
    ok = ~shapely.is_missing(arr)
    idx = np.flatnonzero(ok)
    arr = shapely.force_2d(arr[ok])
    parts, pidx = shapely.get_parts(arr, return_index=True)
    src = idx[pidx]
    kind = shapely.get_type_id(parts)
    poly = kind == 3
    if poly.any():
        rings, ridx = shapely.get_rings(parts[poly], return_index=True)
        keep = kind != 3
        parts = np.concatenate([parts[keep], rings])
        src = np.concatenate([src[keep], src[poly][ridx]])
        kind = shapely.get_type_id(parts)
    line = np.isin(kind, (1, 2))
    parts, src = parts[line], src[line]
    nonempty = ~shapely.is_empty(parts)
    return parts[nonempty], src[nonempty].astype(np.int64)


def merge_lines(lines, keys=None, directed: bool = False) -> np.ndarray:
    """Join lines end to end into streets: pieces that share an end node where no other
    line meets (a road digitised in segments) become one line, when their ``keys`` agree.

    Parameters
    ----------
    lines : sequence of geometries
    keys : sequence of hashables, optional
        One per line (its attributes); only lines with equal keys are joined.  All
        lines are one group without it.
    directed : bool
        Join only pieces running the same way (keeps "left of the direction" meaning
        what it meant for each piece).

    Returns
    -------
    ndarray of LineStrings
        Nodes where three or more lines meet (junctions) stay where lines end.
    """
    arr = _as_array(lines)
    parts, src = as_lines(arr)
    if not len(parts):
        return parts
    if keys is None:
        groups = {None: parts}
    else:
        keys = list(keys)
        groups: dict = {}
        for part, i in zip(parts, src):
            groups.setdefault(keys[int(i)], []).append(part)
    out = []
    for members in groups.values():
        merged = shapely.line_merge(shapely.multilinestrings(list(members)), directed=directed)
        out.extend(shapely.get_parts(merged))
    return np.asarray(out, dtype=object)


def azimuth_deg(dx, dy) -> np.ndarray:
    """Direction of (dx, dy) in degrees clockwise from north, in [0, 360)."""
    return np.mod(np.degrees(np.arctan2(dx, dy)), 360.0)


def points_along(lines, spacing: float, offset: float = 0.0, both_sides: bool = False,
                 align: str = "center", start: float = 0.0, min_gap: float | None = None,
                 keep_clear: bool = True) -> Layout:
    """Points every ``spacing`` metres along lines, optionally offset to one or both sides.

    Parameters
    ----------
    lines : geometry or sequence of geometries
        Lines (multi-lines are split, polygons give their rings).
    spacing : float
        Distance between successive points along a line (> 0).
    offset : float
        Distance from the line, to the left of its direction (negative: right).
    both_sides : bool
        Place a second row at ``-offset`` (needs ``offset != 0``).
    align : {"center", "start"}
        ``center``: ``floor(L / spacing) + 1`` points centred on the line, so both ends
        keep the same margin (a line shorter than the spacing gets one point at its
        middle); a closed ring gets ``floor(L / spacing)`` points from its start. ``start``: from ``start`` metres, every ``spacing`` up to the end.
    start : float
        First chainage with ``align="start"``.
    min_gap : float, optional
        Drop points closer than this to an earlier point (poles of two road stretches
        meeting at a junction).
    keep_clear : bool
        With an offset, drop points that come closer than the offset to *another*
        line (near a junction the left row of one street lands in the carriageway of
        the crossing street).

    Returns
    -------
    Layout
    """
    spacing = _spacing(spacing)
    if align not in ("center", "start"):
        raise UsageError(_("align must be 'center' or 'start' (got {align!r})", align=align))
    offset = float(offset)
    if both_sides and offset == 0:
        raise UsageError(_("both sides needs an offset from the line (e.g. offset=8)"))
    parts, src = as_lines(lines)
    length = shapely.length(parts)
    ok = length > 0
    parts, src, length = parts[ok], src[ok], length[ok]
    if not len(parts):
        return Layout.empty()
    if align == "center":
        # a closed ring has no ends: n points, not n + 1 (the first would repeat)
        closed = shapely.is_closed(parts)
        count = np.floor(length / spacing + 1e-9).astype(np.int64) + np.where(closed, 0, 1)
        count = np.maximum(count, 1)
        first = (length - (count - 1) * spacing) / 2.0
        first = np.where(closed & (count > 1), 0.0, first)
    else:
        first = np.full(len(parts), max(0.0, float(start)))
        count = np.where(length >= first, np.floor((length - first) / spacing + 1e-9).astype(np.int64) + 1, 0)
    total = int(count.sum())
    if total > 20_000_000:
        raise UsageError(_("that layout would place {n:,} elements; use a larger spacing or fewer lines", n=total))
    line_of = np.repeat(np.arange(len(parts)), count)
    k = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
    geoms = parts[line_of]
    L = length[line_of]
    # clamp: rounding can put the first position a hair below 0, and shapely reads a
    # negative distance as measured from the end of the line
    s = np.clip(first[line_of] + k * spacing, 0.0, L)
    # The local direction from two points half a metre either side (clamped to the
    # line): at a vertex this is the bisector, so offsets stay clear of both legs.
    h = np.minimum(0.5, L / 4.0)
    a = shapely.get_coordinates(shapely.line_interpolate_point(geoms, np.clip(s - h, 0, L)))
    b = shapely.get_coordinates(shapely.line_interpolate_point(geoms, np.clip(s + h, 0, L)))
    on = shapely.get_coordinates(shapely.line_interpolate_point(geoms, s))
    d = b - a
    norm = np.hypot(d[:, 0], d[:, 1])
    norm[norm == 0] = 1.0
    ux, uy = d[:, 0] / norm, d[:, 1] / norm
    az = azimuth_deg(ux, uy)
    src_pts = src[line_of]
    if offset == 0:
        xy = on
        side = np.zeros(total, dtype=np.int8)
    else:
        nx, ny = -uy, ux  # left normal
        left = _keep_clear(geoms, on, nx, ny, offset)
        sign = 1 if offset > 0 else -1
        if both_sides:
            right = _keep_clear(geoms, on, -nx, -ny, offset)
            # interleave so the two rows of one line stay together in the result
            xy = np.empty((2 * total, 2))
            xy[0::2], xy[1::2] = left, right
            side = np.tile(np.array([sign, -sign], dtype=np.int8), total)
            src_pts, az, s = np.repeat(src_pts, 2), np.repeat(az, 2), np.repeat(s, 2)
        else:
            xy = left
            side = np.full(total, sign, dtype=np.int8)
    lay = Layout(shapely.points(xy), src_pts, side, az, s)
    if keep_clear and offset != 0 and len(parts) > 1:
        # every point is |offset| from its own line by construction; a line nearer
        # than that is another one (the tolerance absorbs rounding of the offset)
        tree = shapely.STRtree(parts)
        hit, _near = tree.query(lay.points, predicate="dwithin", distance=abs(offset) * (1 - 1e-6))
        if len(hit):
            keep = np.ones(len(lay), dtype=bool)
            keep[hit] = False
            lay = lay.take(keep)
    if min_gap:
        lay = lay.take(thin(lay.points, min_gap))
    return lay


def _keep_clear(geoms: np.ndarray, on: np.ndarray, nx: np.ndarray, ny: np.ndarray, offset: float) -> np.ndarray:
    """Points ``offset`` along the normals (nx, ny), pushed out on the inside of bends.

    Along a straight stretch the point is exactly ``|offset|`` from the line.  Near a
    vertex the normal is the bisector, and on the inside of the bend the point would
    come closer to the other leg; it is moved further along the normal (by at most
    3×, like a mitre limit) until it is ``|offset|`` from the line again.  The
    distance grows almost linearly along the normal, so a few fixed-point steps
    ``k ← k · offset / distance(k)`` settle it to rounding precision.
    """
    dist = abs(offset)
    sign = 1.0 if offset > 0 else -1.0
    k = np.full(len(on), dist)
    xy = np.column_stack([on[:, 0] + nx * offset, on[:, 1] + ny * offset])
    d = shapely.distance(shapely.points(xy), geoms)
    idx = np.flatnonzero(d < dist * (1 - 1e-9))
    d = d[idx]
    for _round in range(12):
        if not len(idx):
            break
        k[idx] = np.minimum(k[idx] * dist / np.maximum(d, 1e-12), 3 * dist)
        xy[idx, 0] = on[idx, 0] + nx[idx] * sign * k[idx]
        xy[idx, 1] = on[idx, 1] + ny[idx] * sign * k[idx]
        d = shapely.distance(shapely.points(xy[idx]), geoms[idx])
        todo = (np.abs(d - dist) > 1e-9 * max(1.0, dist)) & (k[idx] < 3 * dist)
        idx, d = idx[todo], d[todo]
    return xy


def thin(points, min_gap: float) -> np.ndarray:
    """Mask keeping each point unless an earlier kept point lies within ``min_gap``.

    The same result as a greedy pass in input order, but only the pairs found by
    one indexed ``dwithin`` query are looped over.
    """
    pts = _as_array(points)
    keep = np.ones(len(pts), dtype=bool)
    if len(pts) < 2 or not min_gap or min_gap <= 0:
        return keep
    tree = shapely.STRtree(pts)
    i, j = tree.query(pts, predicate="dwithin", distance=float(min_gap))
    m = i < j
    i, j = i[m], j[m]
    if not len(i):
        return keep
    order = np.lexsort((j, i))
    for a, b in zip(i[order].tolist(), j[order].tolist()):
        if keep[a]:
            keep[b] = False
    return keep


def grid_points(polygons, spacing: float, pattern: str = "square", angle: float = 0.0,
                margin: float = 0.0, per_polygon: bool = False) -> Layout:
    """A lattice of points inside polygons.

    By default one lattice covers all the polygons together, centred on their union (a
    study area drawn as many parcels gets one grid, not a point per parcel);
    ``per_polygon`` centres a separate lattice on each polygon.

    Parameters
    ----------
    polygons : geometry or sequence of geometries
        Polygons or multi-polygons (other geometries are ignored).
    spacing : float
        Distance between neighbouring points.
    pattern : {"square", "hex"}
        ``hex`` (rows offset by half a spacing, ``spacing·√3/2`` apart) covers an area
        with circles of radius ``spacing/√3`` with no gaps, ~13 % fewer points than a
        square lattice for the same coverage.
    angle : float
        Rotation of the lattice, degrees counter-clockwise (align it with a street grid).
    margin : float
        Keep points at least this far inside the boundary.
    per_polygon : bool
        One lattice per polygon instead of one for all.
    """
    spacing = _spacing(spacing)
    if pattern not in ("square", "hex"):
        raise UsageError(_("pattern must be 'square' or 'hex' (got {pattern!r})", pattern=pattern))
    arr = _as_array(polygons)
    if not per_polygon and len(arr) > 1:
        polys = [g for g in arr if g is not None and shapely.get_type_id(g) in (3, 6) and not g.is_empty]
        if not polys:
            return Layout.empty()
        lay = grid_points([shapely.union_all(polys)], spacing, pattern, angle, margin, per_polygon=True)
        if not len(lay.points):
            return lay
        # which input polygon each point lies in (the first, where parcels overlap)
        tree = shapely.STRtree(arr)
        pt_idx, poly_idx = tree.query(lay.points, predicate="within")
        src = np.full(len(lay.points), -1, dtype=np.int64)
        first = np.unique(pt_idx, return_index=True)[1]
        src[pt_idx[first]] = poly_idx[first]
        if (src < 0).any():        # on a shared edge between parcels: the nearest one
            miss = np.flatnonzero(src < 0)
            src[miss] = tree.query_nearest(lay.points[miss], return_distance=False, all_matches=False)[1]
        return Layout(lay.points, src, lay.side, lay.azimuth, lay.chainage)
    pts_all, src_all = [], []
    rad = math.radians(angle)
    cos, sin = math.cos(rad), math.sin(rad)
    row = spacing * (math.sqrt(3) / 2 if pattern == "hex" else 1.0)
    for i, poly in enumerate(arr):
        if poly is None or shapely.get_type_id(poly) not in (3, 6) or poly.is_empty:
            continue
        area = poly.buffer(-margin) if margin > 0 else poly
        if area.is_empty:
            continue
        c = area.centroid
        cx, cy = c.x, c.y
        # the polygon in lattice coordinates (rotated by -angle about the centroid)
        xy = shapely.get_coordinates(area) - (cx, cy)
        u = xy[:, 0] * cos + xy[:, 1] * sin
        v = -xy[:, 0] * sin + xy[:, 1] * cos
        nu = int(math.ceil(max(abs(u.min()), abs(u.max())) / spacing)) + 1
        nv = int(math.ceil(max(abs(v.min()), abs(v.max())) / row)) + 1
        if (2 * nu + 1) * (2 * nv + 1) > 50_000_000:
            raise UsageError(_("a grid at {spacing} m over polygon {index} is too large; use a larger spacing",
                                spacing=spacing, index=i))
        ku, kv = np.meshgrid(np.arange(-nu, nu + 1), np.arange(-nv, nv + 1))
        gu = ku * spacing
        if pattern == "hex":
            gu = gu + (np.abs(kv) % 2) * spacing / 2.0
        gv = kv * row
        gu, gv = gu.ravel(), gv.ravel()
        x = cx + gu * cos - gv * sin
        y = cy + gu * sin + gv * cos
        shapely.prepare(area)
        inside = shapely.contains_xy(area, x, y)
        if inside.any():
            pts_all.append(shapely.points(x[inside], y[inside]))
            src_all.append(np.full(int(inside.sum()), i, dtype=np.int64))
    if not pts_all:
        return Layout.empty()
    pts = np.concatenate(pts_all)
    n = len(pts)
    return Layout(pts, np.concatenate(src_all), np.zeros(n, dtype=np.int8), np.full(n, np.nan), np.full(n, np.nan))


def intersection_points(lines, min_degree: int = 3, tolerance: float = 0.01) -> tuple[np.ndarray, np.ndarray]:
    """Nodes of a line network where at least ``min_degree`` line ends meet.

    The lines are noded (split wherever they cross or touch) by a unary union, and
    the end points of the noded pieces counted: a crossing has degree 4, a
    T-junction 3, two stretches of one road joined end to end 2, a dead end 1.

    Parameters
    ----------
    lines : geometry or sequence of geometries
    min_degree : int
        3 for intersections (the default), 1 for every node.
    tolerance : float
        Coordinates are snapped to a grid of this size first, so ends that miss each
        other by less still meet (survey data).

    Returns
    -------
    points : ndarray of shapely Points
    degree : ndarray of int
    """
    parts, _ = as_lines(lines)
    if not len(parts):
        return np.empty(0, dtype=object), np.empty(0, dtype=np.int64)
    if tolerance and tolerance > 0:
        parts = shapely.set_precision(parts, float(tolerance))
        parts = parts[~shapely.is_empty(parts)]
    noded = shapely.get_parts(shapely.union_all(parts))
    noded = noded[shapely.get_type_id(noded) == 1]
    if not len(noded):
        return np.empty(0, dtype=object), np.empty(0, dtype=np.int64)
    ends = np.concatenate([shapely.get_coordinates(shapely.get_point(noded, 0)),
                           shapely.get_coordinates(shapely.get_point(noded, -1))])
    grid = float(tolerance) if tolerance and tolerance > 0 else 1e-9
    keys = np.round(ends / grid).astype(np.int64)
    uniq, first, counts = np.unique(keys, axis=0, return_index=True, return_counts=True)
    sel = counts >= int(min_degree)
    xy = ends[first[sel]]
    # a stable order (west to east, then south to north) for reproducible element ids
    order = np.lexsort((xy[:, 1], xy[:, 0]))
    return shapely.points(xy[order]), counts[sel][order].astype(np.int64)


def nearest_links(from_geoms, to_geoms, max_distance: float | None = None,
                  exclusive: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Link each ``from`` geometry to its nearest ``to`` geometry within ``max_distance``.

    Returns
    -------
    from_index, to_index : ndarray of int
        Pairs, one per linked ``from`` geometry (ties: the first ``to`` geometry).
    lines : ndarray of LineStrings
        The shortest line between each pair.
    distance : ndarray of float
    """
    src = _as_array(from_geoms)
    dst = _as_array(to_geoms)
    if not len(src) or not len(dst):
        e = np.empty(0, dtype=np.int64)
        return e, e.copy(), np.empty(0, dtype=object), np.empty(0)
    if max_distance is not None and not max_distance > 0:
        raise UsageError(_("the maximum distance must be positive (got {distance})", distance=max_distance))
    tree = shapely.STRtree(dst)
    (fi, ti), dist = tree.query_nearest(src, max_distance=max_distance, return_distance=True,
                                        all_matches=False, exclusive=exclusive)
    order = np.argsort(fi, kind="stable")
    fi, ti, dist = fi[order], ti[order], dist[order]
    lines = shapely.shortest_line(src[fi], dst[ti])
    return fi.astype(np.int64), ti.astype(np.int64), lines, dist


def sector(x: float, y: float, radius: float, angle: float, azimuth: float, segments: int = 48):
    """A field-of-view sector: apex at (x, y), ``angle`` degrees wide, centred on
    ``azimuth`` (degrees clockwise from north); a full circle when ``angle >= 360``."""
    if radius <= 0:
        return None
    if angle >= 360:
        return shapely.Point(x, y).buffer(radius, quad_segs=max(4, segments // 4))
    n = max(2, int(math.ceil(segments * angle / 360.0)) + 1)
    a = np.radians(azimuth - angle / 2.0 + np.linspace(0.0, angle, n))
    ring = np.column_stack([x + radius * np.sin(a), y + radius * np.cos(a)])
    return shapely.Polygon(np.vstack([[x, y], ring, [x, y]]))


def coverage_shape(model: str, geometry, radius: float = 0.0, range: float = 0.0,  # noqa: A002 - model name
                   angle: float = 360.0, azimuth: float = 0.0, distance: float = 0.0, segments: int = 48):
    """The area an element covers as drawn on the map: a circle, a camera's sector, or
    (for a ``network`` model) the straight-line circle of its walking distance, which
    bounds the network area.  None when the model covers nothing.

    For lines and polygons the shape is a buffer of the geometry.
    """
    if geometry is None or model == "none":
        return None
    if model == "sector":
        if shapely.get_type_id(geometry) != 0:
            return geometry.buffer(range) if range > 0 else None
        return sector(geometry.x, geometry.y, range, angle, azimuth, segments)
    r = radius if model == "circle" else (distance or radius)
    if not r or r <= 0:
        return None
    return geometry.buffer(r, quad_segs=max(4, segments // 4))
