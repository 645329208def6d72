"""Lengths and areas in the project's plane and on the CGCS2000 ellipsoid (no Qt).

Plane values are what the project CRS's coordinates say; in a Gauss-Kruger zone they
are stretched by the projection's scale factor (exactly 1 on the central meridian,
about 1.0003 at 150 km from it, more in wide 6° zones), so surveyors also want the
true values on the ellipsoid.  Those are computed with geodesics on the CGCS2000
ellipsoid (pyproj ``Geod``; CGCS2000's ellipsoid has the GRS80 size and flattening).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pyproj

#: CGCS2000 geographic coordinates.
CGCS2000 = "EPSG:4490"


@lru_cache(maxsize=1)
def cgcs2000_geod() -> pyproj.Geod:
    """The CGCS2000 ellipsoid (a = 6378137 m, 1/f = 298.257222101)."""
    return pyproj.CRS(CGCS2000).get_geod()


def _lonlat(xy: np.ndarray, crs) -> tuple[np.ndarray, np.ndarray]:
    from smartgis.crs import transformer
    t = transformer(crs, CGCS2000)
    lon, lat = t.transform(xy[:, 0], xy[:, 1])
    return np.asarray(lon), np.asarray(lat)


def planar_length(xy) -> float:
    """Length of a polyline in map units."""
    a = np.asarray(xy, dtype=float).reshape(-1, 2)
    if len(a) < 2:
        return 0.0
    return float(np.hypot(np.diff(a[:, 0]), np.diff(a[:, 1])).sum())


def planar_area(xy) -> float:
    """Area of a ring (closed or not) in square map units (shoelace formula)."""
    a = np.asarray(xy, dtype=float).reshape(-1, 2)
    if len(a) < 3:
        return 0.0
    x, y = a[:, 0] - a[0, 0], a[:, 1] - a[0, 1]   # relative: no cancellation at 3e6 m
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2.0)


def ellipsoidal_length(xy, crs) -> float:
    """Length along geodesics on the CGCS2000 ellipsoid, in metres."""
    a = np.asarray(xy, dtype=float).reshape(-1, 2)
    if len(a) < 2:
        return 0.0
    lon, lat = _lonlat(a, crs)
    return float(cgcs2000_geod().line_length(lon, lat))


def ellipsoidal_area(xy, crs) -> float:
    """Area of a ring on the CGCS2000 ellipsoid, in square metres."""
    a = np.asarray(xy, dtype=float).reshape(-1, 2)
    if len(a) < 3:
        return 0.0
    lon, lat = _lonlat(a, crs)
    area, _ = cgcs2000_geod().polygon_area_perimeter(lon, lat)
    return float(abs(area))


def format_length(metres: float) -> str:
    """``123.45 m`` or ``12.346 km``."""
    if not math.isfinite(metres):
        return "-"
    if abs(metres) >= 10_000:
        return f"{metres / 1000:,.3f} km"
    return f"{metres:,.2f} m"


def format_area(m2: float) -> str:
    """``1,234.5 m²``, with hectares or km² when large."""
    if not math.isfinite(m2):
        return "-"
    if m2 >= 1e6:
        return f"{m2 / 1e6:,.4f} km²"
    if m2 >= 1e4:
        return f"{m2:,.1f} m² ({m2 / 1e4:,.3f} ha)"
    return f"{m2:,.2f} m²"
