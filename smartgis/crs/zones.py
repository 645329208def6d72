"""Chinese survey coordinate systems: Gauss-Kruger zones of CGCS2000, Xian 1980 and
Beijing 1954, a searchable list of the CRSs a design institute uses, and a guess of
the CRS of coordinates that come without one.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from pyproj.database import query_crs_info
from pyproj.enums import PJType

from smartgis.i18n import _

_DATUMS = {"CGCS2000": "cgcs2000", "Xian 1980": "xian1980", "Beijing 1954": "beijing1954",
           "New Beijing": "newbeijing"}
_NAME_RE = re.compile(r"^(?P<datum>CGCS2000|Xian 1980|Beijing 1954|New Beijing) / "
                      r"(?P<three>3-degree )?Gauss-Kruger (?:zone (?P<zone>\d+)|CM (?P<cm>\d+)E)$")


@dataclass(frozen=True)
class GKZone:
    """One Gauss-Kruger CRS from the EPSG database."""

    epsg: int
    name: str
    datum: str          # cgcs2000 | xian1980 | beijing1954 | newbeijing
    width: int          # 3 or 6 degrees
    central_meridian: int
    zone: int
    prefixed: bool      # easting carries the zone number (x = zone * 1e6 + 500000)

    @property
    def code(self) -> str:
        return f"EPSG:{self.epsg}"


@lru_cache(maxsize=1)
def gk_zones() -> tuple[GKZone, ...]:
    """Every Gauss-Kruger zone of the Chinese datums in the EPSG database."""
    out = []
    for info in query_crs_info(auth_name="EPSG", pj_types=PJType.PROJECTED_CRS):
        m = _NAME_RE.match(info.name)
        if not m or info.deprecated:
            continue
        width = 3 if m.group("three") else 6
        if m.group("zone"):
            zone = int(m.group("zone"))
            cm = zone * 3 if width == 3 else zone * 6 - 3
            prefixed = True
        else:
            cm = int(m.group("cm"))
            zone = cm // 3 if width == 3 else (cm + 3) // 6
            prefixed = False
        out.append(GKZone(int(info.code), info.name, _DATUMS[m.group("datum")], width, cm, zone, prefixed))
    out.sort(key=lambda z: (z.datum, z.width, z.prefixed, z.central_meridian))
    return tuple(out)


def gk_zone_for(lon: float, width: int = 3, datum: str = "cgcs2000", prefixed: bool = False) -> GKZone:
    """The Gauss-Kruger zone whose central meridian is nearest to ``lon``.

    Examples
    --------
    >>> gk_zone_for(114.3).epsg   # Wuhan, 3-degree CM 114E
    4547
    """
    if width == 3:
        cm = 3 * round(lon / 3)
    else:
        cm = 6 * math.floor(lon / 6) + 3
    for z in gk_zones():
        if z.datum == datum and z.width == width and z.prefixed == prefixed and z.central_meridian == cm:
            return z
    raise ValueError(f"no {width}-degree {datum} Gauss-Kruger zone for longitude {lon}")


@lru_cache(maxsize=1)
def crs_catalog() -> tuple[tuple[str, str], ...]:
    """(code, name) of the CRSs offered in the CRS chooser, most used first.

    CGCS2000 geographic and every Gauss-Kruger zone, then WGS84 / UTM north zones of
    China, Hong Kong 1980 Grid, Web Mercator.
    """
    items = [("EPSG:4490", "CGCS2000 (geographic, lon/lat)"), ("EPSG:4326", "WGS 84 (geographic, lon/lat)")]
    items += [(z.code, z.name) for z in gk_zones() if z.datum == "cgcs2000"]
    items += [(z.code, z.name) for z in gk_zones() if z.datum != "cgcs2000"]
    items += [(f"EPSG:{32600 + n}", f"WGS 84 / UTM zone {n}N") for n in range(43, 54)]
    items += [("EPSG:2326", "Hong Kong 1980 Grid System"), ("EPSG:3857", "WGS 84 / Pseudo-Mercator")]
    return tuple(items)


def suggest_crs(bounds) -> tuple[str | None, str]:
    """Guess a likely CRS from coordinates that came without one.

    Parameters
    ----------
    bounds : (xmin, ymin, xmax, ymax)

    Returns
    -------
    (code or None, explanation)
        ``EPSG:4490`` for degrees; the matching zone for Gauss-Kruger eastings that carry
        a zone prefix; a hint for unprefixed Gauss-Kruger/UTM values and local grids.
    """
    xmin, ymin, xmax, ymax = (float(v) for v in bounds)
    if not all(map(math.isfinite, (xmin, ymin, xmax, ymax))):
        return None, _("the layer has no coordinates to guess from")
    if -180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90:
        return "EPSG:4490", _("coordinates look like longitude/latitude in degrees: "
                              "CGCS2000 geographic (EPSG:4490)")
    zone = int(xmin // 1_000_000)
    if zone == int(xmax // 1_000_000) and 0 <= ymin and ymax < 10_000_000:
        rest = (xmin - zone * 1e6, xmax - zone * 1e6)
        if 13 <= zone <= 23 and 0 < rest[0] < 1e6:
            z = gk_zone_for(zone * 6 - 3, 6, prefixed=True)
            return z.code, _("eastings start with zone number {zone}: 6-degree Gauss-Kruger zone {zone}, "
                             "CM {meridian}E ({code} {name})", zone=zone, meridian=z.central_meridian,
                             code=z.code, name=z.name)
        if 25 <= zone <= 45 and 0 < rest[0] < 1e6:
            z = gk_zone_for(zone * 3, 3, prefixed=True)
            return z.code, _("eastings start with zone number {zone}: 3-degree Gauss-Kruger zone {zone}, "
                             "CM {meridian}E ({code} {name})", zone=zone, meridian=z.central_meridian,
                             code=z.code, name=z.name)
    if 795_000 <= xmin and xmax <= 875_000 and 795_000 <= ymin and ymax <= 850_000:
        return "EPSG:2326", _("coordinates fall in Hong Kong's grid: Hong Kong 1980 Grid System (EPSG:2326)")
    if 100_000 <= xmin and xmax <= 900_000 and 1_000_000 <= ymin and ymax <= 6_000_000:
        return None, _("coordinates look like a Gauss-Kruger or UTM zone without a zone prefix; "
                       "the central meridian cannot be read from them (for example EPSG:4547 is "
                       "CGCS2000 3-degree CM 114E, EPSG:4549 CM 120E)")
    return None, _("coordinates look like a local city grid; give its definition as a PROJ "
                   "string or WKT (or the EPSG code if it has one)")
