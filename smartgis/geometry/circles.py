"""Exact areas of unions of circles, and circles and sectors as polygons.

A buffer of a point is a polygon with a few vertices per quarter circle: QGIS's
20-gon is 0.76 % short of the true circle on a city of sensors.  Coverage here is
measured on true circles:

* :func:`union_area` computes the area of a union of discs exactly, by Green's
  theorem over the arcs of the union's boundary (no polygons at all);
* :func:`circle_polygons` and :func:`sector_polygons` give polygons (for maps, gaps and
  intersections with a study area) whose radius is enlarged so that each polygon has
  exactly the area of its circle or sector; the union of such polygons differs from
  the union of the true discs only near the corners where circles meet, a few
  millionths of the area (tested against :func:`union_area`).
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from scipy.spatial import cKDTree

TWO_PI = 2.0 * math.pi
#: Points per full turn of an arc (before equal-area correction), i.e. 8 per quarter.
ARC_POINTS = 32


def _as_radii(r, n: int) -> np.ndarray:
    return np.broadcast_to(np.asarray(r, dtype=float), (n,)).astype(float, copy=True)


def union_area(xy, r) -> float:
    """Area of the union of discs, exact up to floating-point rounding.

    Parameters
    ----------
    xy : (n, 2) array
        Centres.
    r : float or (n,) array
        Radii (discs with r <= 0 are ignored).

    Returns
    -------
    float

    Notes
    -----
    The boundary of a union of discs is made of arcs of the circles that no other disc
    covers.  For each circle, the angular intervals covered by its neighbours (found
    with a KD-tree) are merged; the uncovered arcs are integrated with
    ``A = 1/2 ∮ (x dy - y dx)``.  For an arc of circle (cx, cy, R) from a to b the
    integral is ``R²(b-a) + cx·R(sin b - sin a) - cy·R(cos b - cos a)``.  Coordinates
    are shifted to their mean first, so Gauss-Krüger eastings of 500 km lose nothing.

    Examples
    --------
    >>> round(union_area([[0, 0], [1, 0]], 1.0), 6)  # two unit discs, centres 1 apart
    5.054815
    """
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    r = _as_radii(r, len(xy))
    keep = (r > 0) & np.isfinite(xy).all(axis=1)
    xy, r = xy[keep], r[keep]
    n = len(xy)
    if n == 0:
        return 0.0
    p = xy - xy.mean(axis=0)
    pairs = cKDTree(p).query_pairs(2.0 * r.max(), output_type="ndarray")
    i = np.concatenate([pairs[:, 0], pairs[:, 1]])
    j = np.concatenate([pairs[:, 1], pairs[:, 0]])
    d = p[j] - p[i]
    dist = np.hypot(d[:, 0], d[:, 1])
    ri, rj = r[i], r[j]
    touch = dist < ri + rj
    i, j, d, dist, ri, rj = i[touch], j[touch], d[touch], dist[touch], ri[touch], rj[touch]

    # A circle inside another contributes no boundary; of two identical circles keep one.
    inside = dist + ri <= rj
    mutual = inside & (dist + rj <= ri)
    inside &= ~mutual | (i > j)
    hidden = np.zeros(n, dtype=bool)
    hidden[i[inside]] = True
    # neighbours inside circle i cover none of its boundary
    crossing = ~inside & ~(dist + rj <= ri) & ~hidden[i]
    i, d, dist, ri, rj = i[crossing], d[crossing], dist[crossing], ri[crossing], rj[crossing]

    alpha = np.arctan2(d[:, 1], d[:, 0])
    beta = np.arccos(np.clip((dist ** 2 + ri ** 2 - rj ** 2) / (2.0 * dist * ri), -1.0, 1.0))
    start = np.mod(alpha - beta, TWO_PI)
    end = start + 2.0 * beta
    wrap = end > TWO_PI
    start = np.concatenate([start, np.zeros(int(wrap.sum()))])
    end = np.concatenate([np.minimum(end, TWO_PI), end[wrap] - TWO_PI])
    circle = np.concatenate([i, i[wrap]])

    free = ~hidden
    free[circle] = False
    area = math.pi * float((r[free] ** 2).sum())  # circles no other circle crosses
    if len(circle) == 0:
        return area

    order = np.lexsort((start, circle))
    start, end, circle = start[order], end[order], circle[order]
    # running maximum of interval ends within each circle: offsetting each circle's
    # angles by 8*id (> 2π) makes one cumulative maximum serve all circles at once
    offset = circle * 8.0
    reach = np.maximum.accumulate(end + offset) - offset
    first = np.ones(len(circle), dtype=bool)
    first[1:] = circle[1:] != circle[:-1]
    last = np.ones(len(circle), dtype=bool)
    last[:-1] = circle[1:] != circle[:-1]
    prev = np.empty(len(circle))
    prev[0] = 0.0
    prev[1:] = reach[:-1]
    prev[first] = 0.0
    gap = start > prev
    tail = last & (reach < TWO_PI)
    ga = np.concatenate([prev[gap], reach[tail]])
    gb = np.concatenate([start[gap], np.full(int(tail.sum()), TWO_PI)])
    gc = np.concatenate([circle[gap], circle[tail]])
    R, cx, cy = r[gc], p[gc, 0], p[gc, 1]
    area += 0.5 * float(np.sum(R * R * (gb - ga) + cx * R * (np.sin(gb) - np.sin(ga))
                               - cy * R * (np.cos(gb) - np.cos(ga))))
    return area


def equal_area_factor(step: float) -> float:
    """Radius factor making a polygon with arc steps of ``step`` radians as large as its arc.

    A chord-polygon with steps δ has area ``n·R²·sin δ / 2`` where the arc sector has
    ``n·R²·δ / 2``; scaling the radius by ``sqrt(δ / sin δ)`` makes them equal.
    """
    if step <= 0:
        return 1.0
    return math.sqrt(step / math.sin(step))


def circle_polygons(xy, r, points: int = ARC_POINTS) -> np.ndarray:
    """Equal-area polygons of discs (array of shapely Polygons, None where r <= 0)."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    r = _as_radii(r, len(xy))
    quad = max(2, int(points) // 4)
    k = equal_area_factor(TWO_PI / (4 * quad))
    out = np.full(len(xy), None, dtype=object)
    ok = r > 0
    if ok.any():
        out[ok] = shapely.buffer(shapely.points(xy[ok]), r[ok] * k, quad_segs=quad)
    return out


def sector_polygons(xy, radius, angle_deg, azimuth_deg, points: int = ARC_POINTS) -> np.ndarray:
    """Equal-area polygons of circular sectors (camera fields of view).

    Parameters
    ----------
    xy : (n, 2) array
        Apexes.
    radius : float or array
        Range in metres.
    angle_deg : float or array
        Opening angle in degrees; 360 or more gives the full disc.
    azimuth_deg : float or array
        Direction of the sector's axis, degrees clockwise from north.
    points : int
        Arc points per full turn.

    Returns
    -------
    array of shapely Polygons (None where the radius or the angle is 0)
    """
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    n = len(xy)
    R = _as_radii(radius, n)
    A = np.radians(np.clip(_as_radii(angle_deg, n), 0.0, 360.0))
    az = np.radians(_as_radii(azimuth_deg, n))
    out = np.full(n, None, dtype=object)
    full = (A >= TWO_PI - 1e-9) & (R > 0)
    if full.any():
        out[full] = circle_polygons(xy[full], R[full], points)
    part = ~full & (R > 0) & (A > 0)
    if not part.any():
        return out
    idx = np.flatnonzero(part)
    Ap, Rp, azp, c = A[idx], R[idx], az[idx], xy[idx]
    k = np.maximum(2, np.ceil(Ap / (TWO_PI / points))).astype(int)  # arc steps
    step = Ap / k
    scale = np.sqrt(step / np.sin(step))
    # math angle of the axis: azimuth is clockwise from north
    theta0 = (math.pi / 2.0 - azp) - Ap / 2.0
    nv = k + 1  # arc vertices per sector
    owner = np.repeat(np.arange(len(idx)), nv)
    pos = np.arange(int(nv.sum())) - np.repeat(np.cumsum(nv) - nv, nv)
    t = theta0[owner] + pos * step[owner]
    rr = (Rp * scale)[owner]
    ax = c[owner, 0] + rr * np.cos(t)
    ay = c[owner, 1] + rr * np.sin(t)
    # ring: apex, arc vertices, apex
    ring_len = nv + 2
    ring_owner = np.repeat(np.arange(len(idx)), ring_len)
    starts = np.cumsum(ring_len) - ring_len
    coords = np.empty((int(ring_len.sum()), 2))
    arc_slots = np.ones(len(coords), dtype=bool)
    arc_slots[starts] = False
    arc_slots[starts + ring_len - 1] = False
    coords[starts] = c
    coords[starts + ring_len - 1] = c
    coords[arc_slots] = np.column_stack([ax, ay])
    out[idx] = shapely.polygons(shapely.linearrings(coords, indices=ring_owner))
    return out


def disc_inside(xy, r, polygon) -> np.ndarray:
    """True where the disc (centre, radius) lies entirely inside ``polygon``."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    r = _as_radii(r, len(xy))
    if polygon is None or shapely.is_empty(polygon):
        return np.zeros(len(xy), dtype=bool)
    shapely.prepare(polygon)
    inside = shapely.contains_xy(polygon, xy[:, 0], xy[:, 1])
    if inside.any():
        pts = shapely.points(xy[inside])
        inside[inside] = shapely.distance(pts, polygon.boundary) >= r[inside]
    return inside
