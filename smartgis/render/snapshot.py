"""Layer snapshots: what a render job needs of a layer, taken on the GUI thread.

Like ``QgsMapLayer::createMapRenderer()``, a snapshot copies the style, opacity,
selection and version of a layer when the render starts, so that the worker thread
never reads a style or selection that the user is changing.  Geometries are not
copied: they are read through :func:`smartgis.render.prepared.prepared_for`, which
is keyed on the layer version (an edit makes a new version, and the next render
picks it up).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from smartgis.core.layers import RasterLayer, VectorLayer, geometry_family
from smartgis.i18n import _


@dataclass
class LayerSnapshot:
    """An immutable picture of one layer for one render.

    Attributes
    ----------
    layer_id, name, kind : str
        ``kind`` is ``vector`` (also for design layers) or ``raster``.
    opacity : float
    version : int
    style : VectorStyle or RasterStyle
        A deep copy.
    project_crs : str
        Layers in another CRS are reprojected into it.
    layer : VectorLayer
        The live layer, read only through the prepared-data cache and :meth:`column`.
    selection : ndarray
        Sorted selected rows (vector layers).
    source, raster_crs, info : raster layers only
    error : str or None
        Why the layer cannot be drawn (missing source ...), known before drawing.
    """

    layer_id: str
    name: str
    kind: str
    opacity: float
    version: int
    style: Any
    project_crs: str | None
    layer: Any = None
    selection: np.ndarray | None = None
    geometry_family: str | None = None
    source: str | None = None
    raster_crs: str | None = None
    info: dict = field(default_factory=dict)
    error: str | None = None
    #: The GeoPackage table holding the data of a layer not loaded yet (see filesource).
    file_source: Any = None
    #: Set by the renderer when it drew the layer straight from ``file_source``.
    drawn_from_file: bool = False
    #: Rows not to draw (bool mask over the layer's rows), or None.
    hidden: np.ndarray | None = None
    #: The layer's frozen data when the snapshot was taken (None: not loaded yet);
    #: attribute columns are read from it, so an edit meanwhile is not half seen.
    data: Any = None
    _key: tuple | None = None

    def column(self, name: str) -> np.ndarray | None:
        """The values of one attribute (loads the attributes on first use)."""
        if self.layer is None or not name:
            return None
        table = self.data.table if self.data is not None and self.data.table is not None else self.layer.table
        if not table.has_field(name):
            return None
        return table.column(name)

    def cache_key(self) -> tuple:
        """Identity of what this layer would draw (render caches key on it)."""
        if self._key is None:
            style = json.dumps(self.style.to_dict(), sort_keys=True, default=str) if self.style else ""
            sel = ""
            if self.selection is not None and len(self.selection):
                sel = hashlib.blake2b(self.selection.tobytes(), digest_size=8).hexdigest()
            hid = ""
            if self.hidden is not None:
                hid = hashlib.blake2b(np.packbits(self.hidden).tobytes(), digest_size=8).hexdigest()
            self._key = (self.layer_id, self.kind, self.version, style, sel, self.source, self.project_crs, hid)
        return self._key


def raster_source(layer: RasterLayer, project=None) -> str | None:
    """The path GDAL opens for a raster layer: its file, or its tiles in the project file."""
    if layer.path and (os.path.exists(layer.path) or "://" in layer.path or layer.path.startswith("/vsi")):
        return str(layer.path)
    if layer.embedded_table and project is not None and project.base_path is not None:
        return f"GPKG:{project.base_path}:{layer.embedded_table}"
    return None


def snapshot_layer(layer, project) -> LayerSnapshot:
    """Take the snapshot of a layer (cheap; call on the GUI thread)."""
    common = dict(layer_id=layer.id, name=layer.name, opacity=float(layer.opacity),
                  version=int(getattr(layer, "version", 0)), project_crs=project.crs if project else None)
    error = None if getattr(layer, "available", True) else (layer.error or _("the layer's data is unavailable"))
    if isinstance(layer, VectorLayer):
        sel = np.asarray(layer.selection, dtype=np.int64)
        source = None
        if not layer.loaded and error is None:
            from smartgis.render.filesource import file_table
            try:
                source = file_table(layer, project)
            except Exception:  # noqa: BLE001 - then the layer is simply loaded
                source = None
        hidden = getattr(layer, "hidden_rows", None)
        if hidden is not None:
            # a mask made for another version of the layer (rows added or removed) is ignored
            hidden = np.array(hidden, dtype=bool) if len(hidden) == layer.feature_count else None
        return LayerSnapshot(kind="vector", style=layer.style.copy(), layer=layer, selection=sel.copy(),
                             geometry_family=geometry_family(layer.geometry_type, default=None), error=error,
                             file_source=source, hidden=hidden, data=layer.data if layer.loaded else None,
                             **common)
    if isinstance(layer, RasterLayer):
        src = raster_source(layer, project)
        if src is None and error is None:
            error = _("raster source {source!r} not found", source=layer.path or layer.embedded_table)
        return LayerSnapshot(kind="raster", style=layer.style.copy(), source=src, raster_crs=layer.crs,
                             info=dict(layer.info), error=error, **common)
    return LayerSnapshot(kind=getattr(layer, "kind", "layer"), style=None,
                         error=_("cannot draw layers of kind {kind!r}", kind=getattr(layer, 'kind', '?')), **common)


def snapshot_project(project, layers=None) -> list[LayerSnapshot]:
    """Snapshots of the layers to draw, bottom first.

    Parameters
    ----------
    layers : list, optional
        Layer ids, names or layers to draw (in tree order, whatever their
        visibility); default: the visible layers of the layer tree.
    """
    if project is None:
        return []
    if layers is None:
        ids = project.tree.render_order()
    else:
        wanted = {project.layer(k).id for k in layers}
        order = [lyr.id for lyr in project.ordered_layers()]
        ids = [i for i in reversed(order) if i in wanted]
    return [snapshot_layer(project.layers[i], project) for i in ids if i in project.layers]
