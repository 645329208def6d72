"""Does imported data land where the project is?

A wrong CRS does not fail: a local city grid read with the wrong false northing, or a
file in another zone, reprojects without error and lands hundreds or thousands of
kilometres away.  Before new layers join a project, their extents are compared with
the area where the project CRS is meant to be used and with the project's own data;
what looks wrong is reported so that the window can ask and the command line can
refuse unless ``--force`` is given.
"""

from __future__ import annotations

import math

from smartgis.crs import parse_crs, transform_bounds
from smartgis.i18n import _

#: How far (km) from the project's other layers new data may land before the import asks.
DEFAULT_MAX_DISTANCE_KM = 200.0
#: Project setting that overrides :data:`DEFAULT_MAX_DISTANCE_KM`.
SETTING = "import_max_distance_km"


def max_distance_km(project, given: float | None = None) -> float:
    """The distance limit: ``given``, else the project's setting, else the default."""
    if given is not None:
        return float(given)
    try:
        return float(project.settings.get(SETTING, DEFAULT_MAX_DISTANCE_KM))
    except (TypeError, ValueError):
        return DEFAULT_MAX_DISTANCE_KM


def project_data_extent(project) -> tuple[float, float, float, float] | None:
    """Union of the extents of the project's layers and design elements (project CRS)."""
    exts = [project.extent] + [lyr.extent for lyr in project.design.layers.values() if lyr.feature_count]
    exts = [e for e in exts if e and all(math.isfinite(v) for v in e)]
    if not exts:
        return None
    return (min(e[0] for e in exts), min(e[1] for e in exts), max(e[2] for e in exts), max(e[3] for e in exts))


def box_distance(a, b) -> float:
    """Shortest distance between two boxes (0 when they overlap)."""
    dx = max(0.0, a[0] - b[2], b[0] - a[2])
    dy = max(0.0, a[1] - b[3], b[1] - a[3])
    return math.hypot(dx, dy)


def _outside_area_of_use(extent, crs) -> str | None:
    """The name of the CRS's area of use when ``extent`` (in ``crs``) lies wholly outside it."""
    c = parse_crs(crs)
    area = c.area_of_use
    if area is None or c.geodetic_crs is None:
        return None   # a local grid: nothing published to compare with
    name = (area.name or "").rstrip(".")
    try:
        w, s, e, n = transform_bounds(extent, c, c.geodetic_crs)
    except Exception:  # noqa: BLE001 - beyond where the projection can be inverted
        return name
    if not all(math.isfinite(v) for v in (w, s, e, n)):
        return name
    if e < area.west or w > area.east or n < area.south or s > area.north:
        return name
    return None


def location_problems(project, extents: list[tuple[str, tuple]], max_km: float | None = None) -> list[str]:
    """What is wrong with where new layers would land.

    Parameters
    ----------
    project : Project
    extents : list of (layer name, extent in the project CRS)
    max_km : float, optional
        Distance limit from the project's other data (default: :func:`max_distance_km`).

    Returns
    -------
    list of str
        One message per layer that lands outside the project CRS's area of use or
        farther than the limit from the data already in the project; empty when all is well.
    """
    limit = max_distance_km(project, max_km)
    here = project_data_extent(project)
    out = []
    for name, ext in extents:
        if not ext or not all(math.isfinite(v) for v in ext):
            continue
        area = _outside_area_of_use(ext, project.crs)
        if area:
            out.append(_("layer {name!r} lies outside the area where the project CRS is used ({area}); is its CRS "
                         "right?", name=name, area=area))
            continue
        if here is not None:
            km = box_distance(ext, here) / 1000.0
            if km > limit:
                out.append(_("layer {name!r} lies {km} km from the project's other data (more than {limit} km); "
                             "is its CRS right?", name=name, km=f"{km:,.0f}", limit=f"{limit:g}"))
    return out
