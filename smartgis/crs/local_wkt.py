"""Local city grids as CRSs PROJ and GDAL understand (WKT2), checked against our formulas.

* helmert2d and affine: a ``DERIVEDPROJCRS`` on the base with an EPSG 9624 *Affine parametric
  transformation* as deriving conversion (the inverse of grid → base: a derived CRS's
  conversion goes from its base).
* helmert7: a ``BOUNDCRS`` — the base projection on a local datum, bound to the base's
  geographic CRS by a *Position Vector transformation* (EPSG 9606).

Every WKT is run through PROJ on test points and compared with :func:`smartgis.crs.helmert.apply`
before it is used: axis orders and parameter units are checked, never assumed.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pyproj

from smartgis.crs.core import parse_crs
from smartgis.crs.helmert import affine_matrix, apply, helmert2d_matrix
from smartgis.errors import CRSError
from smartgis.i18n import _

#: A local system must reproduce its own formulas through PROJ to this tolerance (m).
WKT_TOLERANCE_M = 1e-4


def _fmt(v: float) -> str:
    return repr(float(v))


@lru_cache(maxsize=64)
def _cached(name: str, base: str, model: str, items: tuple) -> str:
    return _build(name, base, model, dict(items))


def local_wkt(name: str, base: str, model: str, parameters: dict) -> str:
    """The WKT2 CRS of a local system, checked through PROJ against :func:`helmert.apply`.

    Raises
    ------
    CRSError
        PROJ does not reproduce the formulas to :data:`WKT_TOLERANCE_M`.
    """
    return _cached(name, base, model, tuple(sorted(parameters.items())))


def _base_body(base: pyproj.CRS) -> str:
    """The base projected CRS as the ``BASEPROJCRS[...]`` of a derived CRS (no CS, no usage)."""
    w = base.to_wkt("WKT2_2019")
    i = w.index(",CS[")
    return "BASEPROJCRS" + w[len("PROJCRS"):i] + "]"


def _build(lc_name: str, lc_base: str, model: str, params: dict) -> str:
    base = parse_crs(lc_base)
    name = lc_name.replace('"', "")
    probe_x = np.array([0.0, 1000.0, 0.0, 117000.0, -50000.0])
    probe_y = np.array([0.0, 0.0, 1000.0, 19000.0, 80000.0])
    if model == "helmert7":
        wkts = [_bound_wkt(params, base, name, hub) for hub in (base.geodetic_crs, pyproj.CRS("EPSG:4326"))]
        # probe near the base's natural origin region: grid = base projection, so use
        # points inside the base's area of use
        aou = base.area_of_use
        lon = (aou.west + aou.east) / 2 if aou else 0.0
        lat = (aou.south + aou.north) / 2 if aou else 0.0
        e0, n0 = pyproj.Transformer.from_crs(base.geodetic_crs, base, always_xy=True).transform(lon, lat)
        probe_x, probe_y = probe_x / 10 + e0, probe_y / 10 + n0
    else:
        m, t = helmert2d_matrix(params) if model == "helmert2d" else affine_matrix(params)
        mi = np.linalg.inv(m)
        ti = -mi @ t
        wkts = []
        for swap in (False, True):
            # The deriving conversion maps base → grid in the base's axis order (EPSG:4547 is
            # northing-first); which order PROJ applies is checked below, not assumed.
            mm = mi @ np.array([[0.0, 1.0], [1.0, 0.0]]) if swap else mi
            ps = [("A0", ti[0], 8623, "L"), ("A1", mm[0, 0], 8624, "S"), ("A2", mm[0, 1], 8625, "S"),
                  ("B0", ti[1], 8639, "L"), ("B1", mm[1, 0], 8640, "S"), ("B2", mm[1, 1], 8641, "S")]
            unit = {"L": 'LENGTHUNIT["metre",1]', "S": 'SCALEUNIT["coefficient",1]'}
            text = ",".join(f'PARAMETER["{n}",{_fmt(v)},{unit[u]},ID["EPSG",{code}]]' for n, v, code, u in ps)
            wkts.append(f'DERIVEDPROJCRS["{name}",{_base_body(base)},DERIVINGCONVERSION["{name} ({model})",'
                        f'METHOD["Affine parametric transformation",ID["EPSG",9624]],{text}],'
                        'CS[Cartesian,2],AXIS["easting (x)",east,ORDER[1],LENGTHUNIT["metre",1]],'
                        'AXIS["northing (y)",north,ORDER[2],LENGTHUNIT["metre",1]]]')
    want = apply(model, params, lc_base, probe_x, probe_y)[:, :2]
    for w in wkts:
        try:
            crs = pyproj.CRS.from_wkt(w)
            t = pyproj.Transformer.from_crs(crs, base, always_xy=True)
            gx, gy = t.transform(probe_x, probe_y)
        except pyproj.exceptions.ProjError:
            continue
        if np.all(np.isfinite(gx)) and np.max(np.hypot(gx - want[:, 0], gy - want[:, 1])) < WKT_TOLERANCE_M:
            return w
    raise CRSError(_("PROJ cannot represent the local system {name!r} exactly (base {base})", name=lc_name,
                     base=lc_base))


def _bound_wkt(p: dict, base: pyproj.CRS, name: str, hub: pyproj.CRS) -> str:
    """A bound CRS: the base projection on a local datum, bound by 7 parameters to ``hub``."""
    from pyproj.crs import GeographicCRS, ProjectedCRS
    from pyproj.crs.datum import CustomDatum
    datum = CustomDatum(name=f"{name} datum", ellipsoid=base.ellipsoid)
    local = ProjectedCRS(conversion=base.coordinate_operation, name=name,
                         geodetic_crs=GeographicCRS(name=f"{name} geographic", datum=datum))
    ps = [("X-axis translation", p["tx"], 8605, 'LENGTHUNIT["metre",1]'),
          ("Y-axis translation", p["ty"], 8606, 'LENGTHUNIT["metre",1]'),
          ("Z-axis translation", p["tz"], 8607, 'LENGTHUNIT["metre",1]'),
          ("X-axis rotation", p["rx_arcsec"], 8608, 'ANGLEUNIT["arc-second",4.84813681109536E-06]'),
          ("Y-axis rotation", p["ry_arcsec"], 8609, 'ANGLEUNIT["arc-second",4.84813681109536E-06]'),
          ("Z-axis rotation", p["rz_arcsec"], 8610, 'ANGLEUNIT["arc-second",4.84813681109536E-06]'),
          # PROJ reads an abridged (TOWGS84-style) scale as the factor 1 + s, checked in _build_wkt
          ("Scale difference", 1.0 + p["scale_ppm"] * 1e-6, 8611, 'SCALEUNIT["unity",1]')]
    params = ",".join(f'PARAMETER["{n}",{_fmt(v)},{u},ID["EPSG",{c}]]' for n, v, c, u in ps)
    return (f'BOUNDCRS[SOURCECRS[{local.to_wkt("WKT2_2019")}],TARGETCRS[{hub.to_wkt("WKT2_2019")}],'
            f'ABRIDGEDTRANSFORMATION["{name} to {hub.name}",METHOD["Position Vector transformation (geog2D domain)",'
            f'ID["EPSG",9606]],{params}]]')
