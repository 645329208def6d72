"""Linear versions of the WKB geometries GEOS cannot read.

File Geodatabases, GML and some DXF files carry curves (circular strings, compound
curves, curve polygons, multi-curves and multi-surfaces) and surfaces (multipatch
as TIN / polyhedral surfaces / triangles).  GDAL hands them over as ISO WKB which
shapely refuses.  :func:`linearise` reads such WKB and returns an equivalent linear
shapely geometry: arcs become segments every 4 degrees (GDAL's default step),
polyhedral surfaces and TINs become multipolygons.  M values are dropped.

Only the rows shapely failed to parse come here, so a plain Python reader is enough.
"""

from __future__ import annotations

import math
import struct

import numpy as np
import shapely

ARC_STEP_DEG = 4.0


class _Reader:
    def __init__(self, data: bytes):
        self.data = memoryview(data)
        self.pos = 0

    def byte(self) -> int:
        v = self.data[self.pos]
        self.pos += 1
        return v

    def uint(self, endian: str) -> int:
        v = struct.unpack_from(endian + "I", self.data, self.pos)[0]
        self.pos += 4
        return v

    def coords(self, endian: str, n: int, dims: int) -> np.ndarray:
        arr = np.frombuffer(self.data, dtype=np.dtype(endian + "f8"), count=n * dims, offset=self.pos)
        self.pos += 8 * n * dims
        return arr.reshape(n, dims).astype(np.float64)


def _arc_points(p0, p1, p2, has_z: bool) -> np.ndarray:
    """Points along the circular arc through p0, p1, p2 (p0 included, p2 included)."""
    (x0, y0), (x1, y1), (x2, y2) = p0[:2], p1[:2], p2[:2]
    d = 2 * (x0 * (y1 - y2) + x1 * (y2 - y0) + x2 * (y0 - y1))
    if abs(d) < 1e-12 or (x0 == x2 and y0 == y2 and (x0, y0) == (x1, y1)):
        return np.array([p0, p1, p2])
    if x0 == x2 and y0 == y2:  # a full circle: p1 is the opposite point
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        r = math.hypot(x0 - cx, y0 - cy)
        a0 = math.atan2(y0 - cy, x0 - cx)
        sweep = 2 * math.pi
    else:
        s0, s1, s2 = x0 * x0 + y0 * y0, x1 * x1 + y1 * y1, x2 * x2 + y2 * y2
        cx = (s0 * (y1 - y2) + s1 * (y2 - y0) + s2 * (y0 - y1)) / d
        cy = (s0 * (x2 - x1) + s1 * (x0 - x2) + s2 * (x1 - x0)) / d
        r = math.hypot(x0 - cx, y0 - cy)
        a0 = math.atan2(y0 - cy, x0 - cx)
        a1 = math.atan2(y1 - cy, x1 - cx)
        a2 = math.atan2(y2 - cy, x2 - cx)
        ccw = (x1 - x0) * (y2 - y0) - (y1 - y0) * (x2 - x0) > 0
        if ccw:
            sweep = (a2 - a0) % (2 * math.pi)
        else:
            sweep = -((a0 - a2) % (2 * math.pi))
        del a1
    n = max(2, int(math.ceil(abs(math.degrees(sweep)) / ARC_STEP_DEG)))
    t = np.linspace(0.0, 1.0, n + 1)
    ang = a0 + sweep * t
    xs, ys = cx + r * np.cos(ang), cy + r * np.sin(ang)
    xs[0], ys[0] = x0, y0
    xs[-1], ys[-1] = p2[0], p2[1]
    if has_z:
        zs = p0[2] + (p2[2] - p0[2]) * t
        return np.column_stack([xs, ys, zs])
    return np.column_stack([xs, ys])


def _circular_to_coords(pts: np.ndarray, has_z: bool) -> np.ndarray:
    if len(pts) < 3:
        return pts
    parts = []
    for i in range(0, len(pts) - 2, 2):
        seg = _arc_points(pts[i], pts[i + 1], pts[i + 2], has_z)
        parts.append(seg if not parts else seg[1:])
    return np.vstack(parts)


def _parse(r: _Reader):
    """(kind, payload, has_z): kind is point/line/polygon/multi*/collection."""
    order = r.byte()
    endian = "<" if order == 1 else ">"
    code = r.uint(endian)
    has_z = bool(code & 0x80000000)
    has_m = bool(code & 0x40000000)
    if code & 0x20000000:  # EWKB SRID
        r.uint(endian)
    code &= 0x0FFFFFFF
    base, dim = code % 1000, code // 1000
    has_z = has_z or dim in (1, 3)
    has_m = has_m or dim in (2, 3)
    dims = 2 + has_z + has_m
    keep = 3 if has_z else 2

    def line():
        n = r.uint(endian)
        return r.coords(endian, n, dims)[:, :keep]

    if base == 1:
        c = r.coords(endian, 1, dims)[:, :keep]
        return ("point", c[0], has_z)
    if base == 2:
        return ("line", line(), has_z)
    if base == 8:
        return ("line", _circular_to_coords(line(), has_z), has_z)
    if base in (3, 17):
        rings = [line() for _ in range(r.uint(endian))]
        return ("polygon", rings, has_z)
    n = r.uint(endian)
    members = [_parse(r) for _ in range(n)]
    if base == 9:  # compound curve: consecutive lines sharing end points
        pts = [m[1] for m in members if m[0] == "line" and len(m[1])]
        coords = np.vstack([pts[0]] + [p[1:] for p in pts[1:]]) if pts else np.empty((0, keep))
        return ("line", coords, has_z)
    if base == 10:  # curve polygon: rings are any curves
        return ("polygon", [m[1] for m in members if m[0] == "line"], has_z)
    if base in (4, 5, 6, 11, 12, 15, 16):
        return ("multi", members, has_z)
    return ("collection", members, has_z)


def _build(node):
    kind, payload, _ = node
    if kind == "point":
        return shapely.Point(payload)
    if kind == "line":
        return shapely.LineString(payload) if len(payload) >= 2 else shapely.LineString()
    if kind == "polygon":
        rings = [r for r in payload if len(r) >= 4]
        if not rings:
            return shapely.Polygon()
        return shapely.Polygon(rings[0], rings[1:])
    parts = [_build(m) for m in payload]
    parts = [p for p in parts if p is not None]
    if kind == "collection" and parts and all(p.geom_type in ("Polygon", "MultiPolygon") for p in parts):
        # A multipatch: its faces (TINs, polyhedral surfaces) together are one surface.
        kind, parts = "multi", [q for p in parts for q in getattr(p, "geoms", [p])]
    if kind == "multi" and parts:
        kinds = {p.geom_type for p in parts}
        if kinds == {"Point"}:
            return shapely.MultiPoint(parts)
        if kinds == {"LineString"}:
            return shapely.MultiLineString(parts)
        if kinds == {"Polygon"}:
            return shapely.MultiPolygon([p for p in parts if not p.is_empty]) if any(
                not p.is_empty for p in parts) else shapely.MultiPolygon()
    return shapely.GeometryCollection(parts)


def linearise(wkb: bytes):
    """A linear shapely geometry for WKB with curves or surfaces, or None if unreadable.

    Examples
    --------
    >>> wkb = struct.pack("<BII6d", 1, 8, 3, 0, 0, 1, 1, 2, 0)  # CIRCULARSTRING (0 0, 1 1, 2 0)
    >>> g = linearise(wkb)
    >>> g.geom_type, round(g.length, 3)
    ('LineString', 3.141)
    """
    if wkb is None:
        return None
    try:
        return _build(_parse(_Reader(bytes(wkb))))
    except (struct.error, ValueError, IndexError, shapely.errors.GEOSException):
        return None
