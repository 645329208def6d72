"""Parsing and transforming coordinate reference systems (pyproj), with caches.

Creating a pyproj ``CRS`` or ``Transformer`` costs milliseconds; a project asks for
the same few many times (every import batch, every status-bar update), so both are
cached by their text.
"""

from __future__ import annotations

import re
import warnings
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
    crs = pyproj.CRS.from_user_input(text)
    if _is_proj_string(text):
        _check_proj_string(text, crs)
    return crs


#: A PROJ parameter: ``+key`` or ``+key=value`` (the ``+`` may be left out).
_PROJ_TOKEN = re.compile(r"\+?([A-Za-z_][A-Za-z0-9_]*)(=\S+)?")
#: Parameters that name the ellipsoid (or a datum, which has one).
_ELLIPSOID_KEYS = {"ellps", "datum", "a", "R", "b", "rf", "f", "es", "e"}
#: Parameters PROJ takes but does not echo back in the definition it builds.
_UNECHOED_KEYS = {"no_defs", "type", "wktext", "over", "init", "title", "nadgrids", "geoidgrids", "to_meter",
                  "axis", "pm", "lon_wrap", "approx", "algo", "R_A", "lat_ts", "towgs84", "units", "vunits"}
#: Parameters PROJ renames when it builds the definition.
_SYNONYMS = {"k_0": "k"}
#: Projections whose central meridian (``+lon_0``) the user must say (PROJ's default 0° is
#: never the one of a city in China).
_NEEDS_LON_0 = {"tmerc", "etmerc", "gstmerc", "cass", "aeqd", "lcc", "aea", "stere", "sterea", "omerc"}


def _is_proj_string(text: str) -> bool:
    return text.lstrip().startswith(("+", "proj="))


def _check_proj_string(text: str, crs: pyproj.CRS) -> None:
    """Refuse a PROJ string that PROJ reads but that cannot be what the user meant.

    PROJ skips what it does not understand and fills in what is missing: a placeholder
    (``...``) or a misspelt parameter is ignored, and without ``+ellps``/``+datum`` the
    WGS 84 ellipsoid is assumed — a Transverse Mercator grid defined that way puts a
    Chinese city's data hundreds of kilometres away without a word.
    """
    short = text if len(text) < 80 else text[:77] + "..."
    params: dict[str, str] = {}
    for token in text.split():
        m = _PROJ_TOKEN.fullmatch(token)
        if not m:
            raise CRSError(_("PROJ string {crs!r}: {token!r} is not a +parameter=value (write out every parameter "
                             "of the grid)", crs=short, token=token))
        params[m.group(1)] = (m.group(2) or "=")[1:]
    if "init" in params:  # +init=epsg:n takes its definition from the EPSG database
        return
    if "proj" not in params:
        raise CRSError(_("PROJ string {crs!r} names no projection (+proj=…)", crs=short))
    if not _ELLIPSOID_KEYS & set(params):
        raise CRSError(_("PROJ string {crs!r} names no ellipsoid or datum, so PROJ would assume WGS 84 (add "
                         "+ellps=GRS80 for CGCS2000, +ellps=IAU76 for Xian 1980 or +ellps=krass for Beijing 1954)",
                         crs=short))
    if params["proj"] in _NEEDS_LON_0 and not {"lon_0", "lonc"} & set(params):
        raise CRSError(_("PROJ string {crs!r} names no central meridian (+lon_0=…)", crs=short))
    try:
        with warnings.catch_warnings():   # "you will likely lose information": only the keys are compared
            warnings.simplefilter("ignore", UserWarning)
            built = {m.group(1) for m in map(_PROJ_TOKEN.fullmatch, (crs.to_proj4() or "").split()) if m}
    except Exception:  # noqa: BLE001 - no PROJ-string form to compare with: nothing more to check
        return
    unknown = [k for k in params if k not in built and _SYNONYMS.get(k) not in built
               and k not in _UNECHOED_KEYS and k not in _ELLIPSOID_KEYS]
    if unknown:
        raise CRSError(_("PROJ string {crs!r}: PROJ does not know the parameter {names} (it would be ignored)",
                         crs=short, names=", ".join(f"+{k}" for k in unknown)))


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
