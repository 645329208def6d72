"""Parsing and transforming coordinate reference systems (pyproj), with caches.

Creating a pyproj ``CRS`` or ``Transformer`` costs milliseconds; a project asks for
the same few many times (every import batch, every status-bar update), so both are
cached by their text.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pyproj
import shapely
from pyproj.exceptions import CRSError as _PyprojCRSError

from smartgis.errors import CRSError
from smartgis.i18n import _

CGCS2000 = "EPSG:4490"
WGS84 = "EPSG:4326"


@lru_cache(maxsize=256)
def _parse_text(text: str) -> pyproj.CRS:
    return pyproj.CRS.from_user_input(text)


def parse_crs(value) -> pyproj.CRS:
    """Turn ``EPSG:4547``, ``4547``, a PROJ string, WKT or a pyproj CRS into a CRS.

    Raises
    ------
    CRSError
        When pyproj does not understand the value.
    """
    if isinstance(value, pyproj.CRS):
        return value
    if value is None or (isinstance(value, str) and not value.strip()):
        raise CRSError(_("no coordinate reference system given"))
    text = str(value).strip()
    if text.isdigit():
        text = f"EPSG:{text}"
    try:
        return _parse_text(text)
    except _PyprojCRSError as exc:
        short = text if len(text) < 80 else text[:77] + "..."
        raise CRSError(_("unknown coordinate reference system {crs!r} (give EPSG:code, a PROJ string or WKT)",
                         crs=short)) from exc


@lru_cache(maxsize=256)
def _to_string(wkt: str) -> str:
    crs = pyproj.CRS.from_wkt(wkt)
    auth = crs.to_authority(min_confidence=95)
    if auth and auth[0] == "EPSG":
        # Only call it EPSG:n when the definitions really agree, so a local grid that
        # happens to resemble a zone keeps its own parameters.
        if pyproj.CRS.from_epsg(int(auth[1])).equals(crs, ignore_axis_order=True):
            return f"EPSG:{auth[1]}"
    return crs.to_wkt()


def crs_to_string(crs) -> str:
    """``EPSG:n`` when the CRS is exactly an EPSG one, else its WKT2 text."""
    return _to_string(parse_crs(crs).to_wkt())


def crs_label(crs) -> str:
    """A short human label: ``EPSG:4547 CGCS2000 / 3-degree Gauss-Kruger CM 114E``."""
    c = parse_crs(crs)
    s = crs_to_string(c)
    return f"{s} {c.name}" if s.startswith("EPSG:") else c.name or "custom CRS"


def is_geographic(crs) -> bool:
    return parse_crs(crs).is_geographic


def same_crs(a, b) -> bool:
    """True when two CRS definitions describe the same system (axis order ignored)."""
    if a is None or b is None:
        return a is b
    return parse_crs(a).equals(parse_crs(b), ignore_axis_order=True)


def require_projected_metres(crs) -> pyproj.CRS:
    """Return the CRS if it is projected with metre units, else raise :class:`CRSError`.

    A project's coverage, distances and areas are computed in its CRS, so it must be
    a projected system in metres (a Gauss-Kruger zone, UTM, or a local city grid).
    """
    c = parse_crs(crs)
    if not c.is_projected:
        raise CRSError(_("{crs} is not a projected CRS; a project needs one in metres "
                         "(for example EPSG:4547, CGCS2000 / 3-degree Gauss-Kruger CM 114E)", crs=crs_label(c)))
    units = {a.unit_name for a in c.axis_info}
    if not units <= {"metre", "meter", "m"}:
        raise CRSError(_("{crs} uses {units}; a project CRS must be in metres", crs=crs_label(c),
                         units=", ".join(sorted(units))))
    return c


@lru_cache(maxsize=128)
def _transformer(src_wkt: str, dst_wkt: str) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(pyproj.CRS.from_wkt(src_wkt), pyproj.CRS.from_wkt(dst_wkt),
                                       always_xy=True)


def transformer(src, dst) -> pyproj.Transformer:
    """A cached ``always_xy`` transformer from ``src`` to ``dst``."""
    return _transformer(parse_crs(src).to_wkt(), parse_crs(dst).to_wkt())


def transform_geometries(geoms: np.ndarray, src, dst) -> np.ndarray:
    """Reproject an array of shapely geometries (vectorised over all coordinates)."""
    if src is None or dst is None or same_crs(src, dst):
        return geoms
    t = transformer(src, dst)

    def _fn(coords: np.ndarray) -> np.ndarray:
        x, y = t.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    has_z = bool(np.any(shapely.has_z(geoms[~shapely.is_missing(geoms)]))) if len(geoms) else False
    if has_z:
        def _fn3(coords):
            x, y, z = t.transform(coords[:, 0], coords[:, 1], coords[:, 2])
            return np.column_stack([x, y, z])
        out = shapely.transform(geoms, _fn3, include_z=True)
    else:
        out = shapely.transform(geoms, _fn)
    bad = ~shapely.is_missing(out) & ~shapely.is_empty(out)
    if bad.any():
        b = shapely.bounds(out[bad])
        if not np.isfinite(b).all():
            raise CRSError(_("coordinates could not be transformed from {source} to {target} (outside the valid "
                             "area?)", source=crs_label(src), target=crs_label(dst)))
    return out


def transform_bounds(bounds, src, dst) -> tuple[float, float, float, float]:
    """Transform a bounding box, densifying its edges so curved edges are enclosed."""
    if same_crs(src, dst):
        return tuple(float(v) for v in bounds)
    return tuple(float(v) for v in transformer(src, dst).transform_bounds(*bounds, densify_pts=21))
