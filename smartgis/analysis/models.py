"""Coverage models: how an element covers space.

Built in: ``circle`` (a true disc of the element's radius), ``sector`` (a camera's
field of view, optionally blocked by buildings) and ``network`` (walking distance
along the road network).  Plugins add more with :func:`register_coverage_model`, e.g. a
radio path-loss model::

    from smartgis.analysis import register_coverage_model, Footprint

    def okumura_hata(elements, context, params):
        radius = ...  # per element, from transmit power and terrain
        return Footprint(circles=(elements.xy, radius))

    register_coverage_model("okumura_hata", okumura_hata)

A model is ``fn(elements, context, params) -> Footprint`` where ``elements`` is an
:class:`~smartgis.analysis.elements.ElementSet` of the elements using it, ``context``
the :class:`~smartgis.analysis.context.CheckContext` (study area, road network,
buildings, settings) and ``params`` the rule's parameters (overrides such as
``radius``).  Element types name their model in the catalog (``coverage.model``).
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import shapely

from smartgis import contributions
from smartgis.geometry import circles as _circles
from smartgis.analysis.elements import ElementSet
from smartgis.analysis.footprint import Footprint
from smartgis.analysis.outcome import NotApplicable
from smartgis.errors import UsageError
from smartgis.i18n import _, message_of

CoverageFn = Callable[[ElementSet, object, dict], Footprint]

_MODELS: dict[str, CoverageFn] = {}


def register_coverage_model(name: str, fn: CoverageFn) -> None:
    """Make ``fn`` the coverage model ``name`` (catalog types and rules may then use it)."""
    if not name or not str(name).replace("_", "").isalnum():
        raise UsageError(_("coverage model name {name!r} must be letters, digits and _", name=name))
    _MODELS[str(name)] = fn
    from smartgis.core.catalog import add_coverage_model_name
    add_coverage_model_name(str(name))


def _contributed() -> dict:
    """Models the session contributes (the enabled plugins', imported on first use)."""
    try:
        return dict(contributions.current().coverage_models())
    except Exception:  # noqa: BLE001 - plugins are optional: the built-in models always work
        return {}


def coverage_models() -> list[str]:
    return sorted(set(_MODELS) | set(_contributed()))


def get_model(name: str) -> CoverageFn:
    try:
        return _MODELS.get(name) or _contributed()[name]
    except KeyError:
        raise UsageError(_("unknown coverage model {name!r} (models: {models})", name=name,
                           models=", ".join(coverage_models()))) from None


# -- built-in models ----------------------------------------------------------------------
def circle_model(elements: ElementSet, context, params: dict) -> Footprint:
    """Everything within the element's radius (true discs around points)."""
    r = elements.param("radius", params)
    pts = elements.is_point
    if pts.all():
        return Footprint(circles=(elements.xy, r))
    # lines and polygons (parks, shelters): their outline widened by the radius
    pieces = [shapely.buffer(elements.geoms[~pts], r[~pts], quad_segs=16)]
    if pts.any():
        pieces.append(_circles.circle_polygons(elements.xy[pts], r[pts]))
    return Footprint(np.concatenate(pieces))


def sector_model(elements: ElementSet, context, params: dict) -> Footprint:
    """Camera fields of view: ``range`` metres, ``angle`` degrees about ``azimuth``.

    PTZ cameras (``mount`` = ``ptz``) turn all round and cover the full disc.
    Buildings (layers with the role ``buildings``) block the view unless the rule sets
    ``occlusion: false``.
    """
    rng = elements.param("range", params)
    angle = elements.param("angle", params)
    az = elements.param("azimuth", params)
    angle = np.where(elements.values("mount") == "ptz", 360.0, angle)
    xy = elements.xy
    obstacles = context.obstacles() if (context is not None and params.get("occlusion", True)) else None
    if obstacles is None and (angle >= 360.0).all():
        return Footprint(circles=(xy, rng))
    sectors = _circles.sector_polygons(xy, rng, angle, az)
    if obstacles is not None and len(obstacles):
        from smartgis.geometry.sectors import visible_sectors
        sectors = visible_sectors(xy, sectors, obstacles, rng)
    return Footprint(sectors)


def network_model(elements: ElementSet, context, params: dict) -> Footprint:
    """Within walking ``distance``: along the road network, then at most ``catchment_m``
    (project setting, default 150 m) straight from the street."""
    if context is None:
        raise NotApplicable(_("walking distance needs a road network"))
    net = context.network()
    dist = elements.param("distance", params)
    settings = context.settings
    catchment = float(params.get("catchment_m", settings.get("catchment_m", 150.0)))
    access = float(params.get("access_m", settings.get("access_m", 200.0)))
    return net.catchment(elements.geoms, dist, catchment_m=catchment, access_m=access)


register_coverage_model("circle", circle_model)
register_coverage_model("sector", sector_model)
register_coverage_model("network", network_model)


def footprint(context, elements: ElementSet, params: dict | None = None) -> Footprint:
    """The union of what the elements cover, each type by its own (or the rule's) model.

    ``params["model"]`` forces a model for every type; ``network`` falls back to
    straight-line circles when the project has no road network, with a note saying so.
    """
    params = dict(params or {})
    forced = params.get("model")
    if forced == "auto":
        forced = None
    groups: dict[str, list[str]] = {}
    for tid in elements.type_ids:
        model = forced or elements.catalog[tid].coverage.model
        if model == "none":
            # an element type without a coverage model covers its radius if the rule gives one
            if params.get("radius") or (params.get("radius_by_type") or {}).get(tid):
                model = "circle"
            else:
                continue
        groups.setdefault(model, []).append(tid)
    result = Footprint.empty()
    notes: list[str] = []
    for model, tids in groups.items():
        sub = elements.subset(np.isin(elements.types, tids))
        if model == "network":
            try:
                context.network()
            except NotApplicable as exc:
                notes.append(_("{reason}: straight-line distance used instead of walking distance",
                               reason=message_of(exc)))
                model = "circle"
        fp = get_model(model)(sub, context, params)
        notes.extend(fp.notes)
        result = fp if result.is_empty else result.union(fp)
    result.notes = list(dict.fromkeys(notes))
    return result
