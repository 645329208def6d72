"""Choosing the elements a key project gets: a type, a filter on its attributes, an area."""

from __future__ import annotations

import numpy as np
import shapely

from smartgis.errors import LayerError, UsageError
from smartgis.i18n import _


def select_elements(project, type_id: str, where: str | None = None, within: str | None = None) -> list[str]:
    """Uids of the elements of ``type_id`` matching ``where`` (``FIELD=V[,V];…``) inside
    the polygons of the layer ``within`` (a layer name or id).

    Raises
    ------
    CatalogError, LayerError, UsageError
        For an unknown type, a layer that does not exist or has no polygons, a bad filter.
    """
    from smartgis.core.design import layer_mask
    from smartgis.core.layers import VectorLayer
    project.catalog.get(type_id)   # an unknown type names the close ones
    lyr = project.design.layers.get(type_id)
    if lyr is None or not lyr.feature_count:
        return []
    mask = np.ones(lyr.feature_count, dtype=bool)
    if where:
        mask &= layer_mask(lyr, where)
    if within:
        area = project.layer(within)
        if not isinstance(area, VectorLayer):
            raise LayerError(_("layer {layer!r} is not a vector layer", layer=area.name))
        polys = np.asarray(area.geometries, dtype=object)
        if area.crs and project.crs and len(polys):
            from smartgis.crs import same_crs, transform_geometries
            if not same_crs(area.crs, project.crs):
                polys = transform_geometries(polys, area.crs, project.crs)
        polys = polys[np.isin(shapely.get_type_id(polys), (3, 6))] if len(polys) else polys
        if not len(polys):
            raise UsageError(_("layer {layer!r} has no polygons to select within", layer=area.name))
        region = shapely.union_all(shapely.make_valid(polys))
        shapely.prepare(region)
        geoms = np.asarray(lyr.geometries, dtype=object)
        mask &= shapely.intersects(region, geoms)
    return np.asarray(lyr.table.column("uid"), dtype=object)[mask].tolist()
