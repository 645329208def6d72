"""Coordinate reference systems: parsing, cached transformers, Chinese survey CRSs.

Everything here uses pyproj and never imports Qt.  Coordinates in SmartGIS are always
in (x = easting/longitude, y = northing/latitude) order internally (``always_xy``);
surveying order (X = northing) is applied only where coordinates are shown to users.
"""

from smartgis.crs.core import (
    CGCS2000,
    WGS84,
    crs_label,
    crs_to_string,
    is_geographic,
    parse_crs,
    require_projected_metres,
    same_crs,
    transform_bounds,
    transform_geometries,
    transformer,
)
from smartgis.crs.zones import GKZone, crs_catalog, gk_zone_for, gk_zones, suggest_crs

__all__ = [
    "CGCS2000", "WGS84", "GKZone", "crs_catalog", "crs_label", "crs_to_string", "gk_zone_for",
    "gk_zones", "is_geographic", "parse_crs", "require_projected_metres", "same_crs",
    "suggest_crs", "transform_bounds", "transform_geometries", "transformer",
]
