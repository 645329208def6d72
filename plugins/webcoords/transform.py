"""GCJ-02 and BD-09, the coordinates of Chinese web maps, to and from WGS84/CGCS2000.

GCJ-02 ("Mars coordinates", used by Amap/Gaode, Tencent and Google Maps in China) adds a
deliberate, smooth offset of up to a few hundred metres to WGS84 longitude/latitude.
BD-09 (Baidu) adds a second offset on top of GCJ-02.  The formulas below are the
well-known public ones (Krasovsky ellipsoid a = 6378245 m, e² = 0.00669342162296594323);
inside China's bounding box they reproduce the web maps' own conversions.

The forward directions (WGS84 → GCJ-02 → BD-09) are closed formulas.  Their inverses
have no closed form: they are solved here by fixed-point iteration until the forward
transform of the answer lands within :data:`TOLERANCE_DEG` (1e-9°, ~0.1 mm) of the
input, so a round trip loses nothing a survey could see.  What remains is the error of
the public formulas themselves against the providers' servers (centimetres to a metre,
documented in ``README.md``).

CGCS2000 and WGS84 longitudes/latitudes differ by centimetres at most, less than the
web maps' own precision: they are treated as the same here, as every web-map SDK does.

Outside China (the bounding box of :func:`in_china`) the web maps apply no offset, and
neither does this module.

All functions take and return numpy arrays (or scalars) of longitude and latitude in
degrees, in that order (x, y).
"""

from __future__ import annotations

import numpy as np

A = 6378245.0                       # Krasovsky 1940 semi-major axis (m)
EE = 0.00669342162296594323         # Krasovsky first eccentricity squared
X_PI = np.pi * 3000.0 / 180.0       # the BD-09 constant
#: Convergence of the inverse transforms, degrees.
TOLERANCE_DEG = 1e-9
MAX_ITERATIONS = 30

#: China's bounding box as the web-map formulas use it (lon_min, lat_min, lon_max, lat_max).
CHINA_BOX = (72.004, 0.8293, 137.8347, 55.8271)


def in_china(lon, lat) -> np.ndarray:
    """True where the web maps apply their offset (China's bounding box)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    return (lon >= CHINA_BOX[0]) & (lon <= CHINA_BOX[2]) & (lat >= CHINA_BOX[1]) & (lat <= CHINA_BOX[3])


def _offset(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The GCJ-02 offset (dlon, dlat) in degrees at WGS84 position (lon, lat)."""
    x = lon - 105.0
    y = lat - 35.0
    px, py = x * np.pi, y * np.pi
    common = (20.0 * np.sin(6.0 * px) + 20.0 * np.sin(2.0 * px)) * 2.0 / 3.0
    dlat = (-100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x)) + common
            + (20.0 * np.sin(py) + 40.0 * np.sin(py / 3.0)) * 2.0 / 3.0
            + (160.0 * np.sin(py / 12.0) + 320.0 * np.sin(py / 30.0)) * 2.0 / 3.0)
    dlon = (300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x)) + common
            + (20.0 * np.sin(px) + 40.0 * np.sin(px / 3.0)) * 2.0 / 3.0
            + (150.0 * np.sin(px / 12.0) + 300.0 * np.sin(px / 30.0)) * 2.0 / 3.0)
    rad = lat / 180.0 * np.pi
    magic = 1.0 - EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = dlat * 180.0 / ((A * (1.0 - EE)) / (magic * sqrt_magic) * np.pi)
    dlon = dlon * 180.0 / (A / sqrt_magic * np.cos(rad) * np.pi)
    return dlon, dlat


def _arrays(lon, lat):
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    scalar = lon.ndim == 0 and lat.ndim == 0
    lon, lat = np.broadcast_arrays(np.atleast_1d(lon), np.atleast_1d(lat))
    return lon.astype(float, copy=True), lat.astype(float, copy=True), scalar


def _out(lon, lat, scalar):
    if scalar:
        return float(lon[0]), float(lat[0])
    return lon, lat


def wgs84_to_gcj02(lon, lat):
    """WGS84 (or CGCS2000) longitude/latitude → GCJ-02."""
    lon, lat, scalar = _arrays(lon, lat)
    m = in_china(lon, lat)
    dlon, dlat = _offset(lon[m], lat[m])
    lon[m] += dlon
    lat[m] += dlat
    return _out(lon, lat, scalar)


def _invert(forward, lon, lat, first_guess):
    """Solve ``forward(w) = (lon, lat)`` by fixed-point iteration from ``first_guess``."""
    wlon, wlat = first_guess
    for _ in range(MAX_ITERATIONS):
        flon, flat = forward(wlon, wlat)
        elon, elat = lon - flon, lat - flat
        wlon = wlon + elon
        wlat = wlat + elat
        if elon.size == 0 or max(np.abs(elon).max(), np.abs(elat).max()) < TOLERANCE_DEG:
            break
    return wlon, wlat


def _gcj_forward(lon, lat):
    dlon, dlat = _offset(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon, lat):
    """GCJ-02 → WGS84 longitude/latitude, solved to 1e-9° (forward residual)."""
    lon, lat, scalar = _arrays(lon, lat)
    m = in_china(lon, lat)
    g_lon, g_lat = lon[m], lat[m]
    dlon, dlat = _offset(g_lon, g_lat)
    w_lon, w_lat = _invert(_gcj_forward, g_lon, g_lat, (g_lon - dlon, g_lat - dlat))
    lon[m], lat[m] = w_lon, w_lat
    return _out(lon, lat, scalar)


def _bd_forward(lon, lat):
    z = np.hypot(lon, lat) + 0.00002 * np.sin(lat * X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def gcj02_to_bd09(lon, lat):
    """GCJ-02 → BD-09 (Baidu) longitude/latitude."""
    lon, lat, scalar = _arrays(lon, lat)
    m = in_china(lon, lat)
    lon[m], lat[m] = _bd_forward(lon[m], lat[m])
    return _out(lon, lat, scalar)


def bd09_to_gcj02(lon, lat):
    """BD-09 → GCJ-02, solved to 1e-9° from the published approximate inverse."""
    lon, lat, scalar = _arrays(lon, lat)
    m = in_china(lon, lat)
    b_lon, b_lat = lon[m], lat[m]
    x, y = b_lon - 0.0065, b_lat - 0.006
    z = np.hypot(x, y) - 0.00002 * np.sin(y * X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * X_PI)
    guess = (z * np.cos(theta), z * np.sin(theta))
    lon[m], lat[m] = _invert(_bd_forward, b_lon, b_lat, guess)
    return _out(lon, lat, scalar)


def wgs84_to_bd09(lon, lat):
    """WGS84 → BD-09."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84(lon, lat):
    """BD-09 → WGS84."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


class WebMapCoordinates:
    """A web-map coordinate system as a transform pair (what the plugin contributes).

    Attributes
    ----------
    id : str
        ``gcj02`` or ``bd09``.
    name : dict
        ``{"zh": ..., "en": ...}``.
    """

    def __init__(self, id: str, name: dict, to_wgs84, from_wgs84):
        self.id, self.name = id, name
        self._to, self._from = to_wgs84, from_wgs84

    def to_wgs84(self, lon, lat):
        """Longitude/latitude in this system → WGS84/CGCS2000."""
        return self._to(lon, lat)

    def from_wgs84(self, lon, lat):
        """WGS84/CGCS2000 longitude/latitude → this system."""
        return self._from(lon, lat)

    def __repr__(self) -> str:
        return f"<WebMapCoordinates {self.id}>"


GCJ02 = WebMapCoordinates("gcj02", {"zh": "GCJ-02（高德/腾讯）", "en": "GCJ-02 (Amap, Tencent)"},
                          gcj02_to_wgs84, wgs84_to_gcj02)
BD09 = WebMapCoordinates("bd09", {"zh": "BD-09（百度）", "en": "BD-09 (Baidu)"}, bd09_to_wgs84, wgs84_to_bd09)
WGS84 = WebMapCoordinates("wgs84", {"zh": "WGS84/CGCS2000 经纬度", "en": "WGS84/CGCS2000 lon/lat"},
                          lambda lon, lat: _out(*_arrays(lon, lat)), lambda lon, lat: _out(*_arrays(lon, lat)))
SYSTEMS = {"wgs84": WGS84, "cgcs2000": WGS84, "gcj02": GCJ02, "bd09": BD09}


def convert(lon, lat, source: str, target: str):
    """Convert longitude/latitude between ``wgs84``/``cgcs2000``, ``gcj02`` and ``bd09``."""
    try:
        src, dst = SYSTEMS[source.lower()], SYSTEMS[target.lower()]
    except KeyError as exc:
        from smartgis.plugins.api import UsageError, _, join
        raise UsageError(_("unknown web-map coordinate system {name!r} (use {systems})", name=exc.args[0],
                           systems=join(SYSTEMS))) from None
    if src is dst:
        return _out(*_arrays(lon, lat))
    return dst.from_wgs84(*src.to_wgs84(lon, lat))
