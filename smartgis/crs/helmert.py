"""The grid-to-base formulas of local city grids (numpy, pyproj): helmert2d, affine, helmert7.

See :mod:`smartgis.crs.local` and docs/local-crs.md for the conventions; the same formulas
are what :mod:`smartgis.crs.local_fit` fits and :mod:`smartgis.crs.local_wkt` hands to PROJ.
"""

from __future__ import annotations

import math

import numpy as np
import pyproj

from smartgis.crs.core import crs_to_string, parse_crs, require_projected_metres
from smartgis.errors import CRSError
from smartgis.i18n import _

ARCSEC = math.pi / (180 * 3600)
MODELS = ("helmert2d", "affine", "helmert7")
#: Parameter names of each model, in the order the command line takes them.
PARAMETERS = {
    "helmert2d": ("dx", "dy", "rotation_arcsec", "scale_ppm"),
    "affine": ("a0", "a1", "a2", "b0", "b1", "b2"),
    "helmert7": ("tx", "ty", "tz", "rx_arcsec", "ry_arcsec", "rz_arcsec", "scale_ppm"),
}
CONVENTIONS = ("position_vector", "coordinate_frame")
#: A local system must reproduce its own formulas through PROJ to this tolerance (m).

def helmert2d_matrix(p: dict) -> tuple[np.ndarray, np.ndarray]:
    """(M, t) with ``[E, N] = M @ [x, y] + t`` for helmert2d parameters."""
    m = 1.0 + p["scale_ppm"] * 1e-6
    th = p["rotation_arcsec"] * ARCSEC
    c, s = m * math.cos(th), m * math.sin(th)
    return np.array([[c, -s], [s, c]]), np.array([p["dx"], p["dy"]], dtype=float)


def affine_matrix(p: dict) -> tuple[np.ndarray, np.ndarray]:
    """(M, t) with ``[E, N] = M @ [x, y] + t`` for affine parameters."""
    return (np.array([[p["a1"], p["a2"]], [p["b1"], p["b2"]]], dtype=float),
            np.array([p["a0"], p["b0"]], dtype=float))


def helmert7_apply(p: dict, xyz: np.ndarray) -> np.ndarray:
    """Position-vector 7-parameter transformation of geocentric coordinates (n × 3), the
    linearised rotation matrix PROJ's ``helmert`` uses."""
    rx, ry, rz = (p[k] * ARCSEC for k in ("rx_arcsec", "ry_arcsec", "rz_arcsec"))
    r = np.array([[1.0, -rz, ry], [rz, 1.0, -rx], [-ry, rx, 1.0]])
    t = np.array([p["tx"], p["ty"], p["tz"]], dtype=float)
    return t + (1.0 + p["scale_ppm"] * 1e-6) * (np.asarray(xyz, dtype=float) @ r.T)


def to_position_vector(p: dict, convention: str) -> dict:
    """helmert7 parameters given in ``convention`` as position-vector parameters.

    The coordinate-frame convention (EPSG 9607) differs only in the sign of the three
    rotations.
    """
    if convention not in CONVENTIONS:
        raise CRSError(_("unknown rotation convention {convention!r} (position_vector or coordinate_frame)",
                         convention=convention))
    p = {k: float(p[k]) for k in PARAMETERS["helmert7"]}
    if convention == "coordinate_frame":
        for k in ("rx_arcsec", "ry_arcsec", "rz_arcsec"):
            p[k] = -p[k]
    return p


def _geocentric(base: pyproj.CRS) -> pyproj.Transformer:
    """Base projected coordinates with ellipsoidal height → geocentric X, Y, Z."""
    geocent = pyproj.crs.GeocentricCRS(name="geocentric", datum=base.geodetic_crs.datum)
    return pyproj.Transformer.from_crs(base.to_3d(), geocent, always_xy=True)


def geocentric(base, x, y, z) -> np.ndarray:
    """Geocentric coordinates (n × 3) of base projected ``x, y`` and ellipsoidal height ``z``."""
    t = _geocentric(parse_crs(base))
    X, Y, Z = t.transform(np.asarray(x, float), np.asarray(y, float), np.asarray(z, float))
    return np.column_stack([X, Y, Z])


def from_geocentric(base, xyz: np.ndarray) -> np.ndarray:
    """Base projected ``x, y, z`` (n × 3) of geocentric coordinates."""
    t = _geocentric(parse_crs(base))
    x, y, z = t.transform(xyz[:, 0], xyz[:, 1], xyz[:, 2], direction="INVERSE")
    return np.column_stack([x, y, z])


def apply(model: str, params: dict, base, x, y, z=None) -> np.ndarray:
    """Grid coordinates → base CRS coordinates (n × 2; n × 3 for ``helmert7``)."""
    x = np.atleast_1d(np.asarray(x, dtype=float))
    y = np.atleast_1d(np.asarray(y, dtype=float))
    if model == "helmert2d" or model == "affine":
        m, t = helmert2d_matrix(params) if model == "helmert2d" else affine_matrix(params)
        return np.column_stack([x, y]) @ m.T + t
    if model == "helmert7":
        z = np.zeros_like(x) if z is None else np.atleast_1d(np.asarray(z, dtype=float))
        return from_geocentric(base, helmert7_apply(params, geocentric(base, x, y, z)))
    raise CRSError(_("unknown transformation model {model!r} (helmert2d, affine or helmert7)", model=model))



def base_string(base) -> str:
    """The base CRS as SmartGIS writes it (``EPSG:n`` or WKT); it must be projected, in metres."""
    return crs_to_string(require_projected_metres(base))
