"""Identify: the attributes of the features (and raster values) under the cursor.

:func:`identify` finds candidates with each layer's grid index and keeps those
within the click tolerance of the point (``shapely.dwithin``); the topmost layer
comes first, and within a layer the nearest feature (the last drawn on ties).
Attributes of a layer whose table is not loaded yet are read for just those rows
from its GeoPackage table; a layer too large to load (streamed from its file or its
PostGIS table) is searched in that table around the point.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from smartgis.ui.maptools.base import MapTool

#: Click tolerance in pixels.
TOLERANCE_PX = 5
#: At most this many features per layer.
MAX_PER_LAYER = 50


@dataclass
class IdentifyResult:
    """One feature (or raster cell) under the cursor."""

    layer_id: str
    layer_name: str
    index: int | None            # row in the layer (None for rasters)
    fid: int | None
    attributes: dict = field(default_factory=dict)
    geometry: object = None
    distance: float = 0.0


def _layers_top_first(project, layers):
    if layers is not None:
        return [project.layer(k) for k in layers]
    return [project.layers[i] for i in reversed(project.tree.render_order()) if i in project.layers]


def identify(project, x: float, y: float, tolerance: float, layers=None,
             limit: int = MAX_PER_LAYER) -> list[IdentifyResult]:
    """Features within ``tolerance`` map units of (x, y), top layer first.

    Parameters
    ----------
    project : Project
    x, y : float
        In the project CRS.
    tolerance : float
        Search radius in map units.
    layers : list, optional
        Layers (ids, names or layers) to search; default the visible ones.
    """
    from smartgis.core.layers import RasterLayer, VectorLayer
    out: list[IdentifyResult] = []
    for lyr in _layers_top_first(project, layers):
        if not getattr(lyr, "available", True):
            continue
        if isinstance(lyr, VectorLayer):
            out.extend(_identify_vector(project, lyr, x, y, tolerance, limit))
        elif isinstance(lyr, RasterLayer):
            r = _identify_raster(project, lyr, x, y)
            if r is not None:
                out.append(r)
    return out


def features_near(project, layer, x: float, y: float, tolerance: float) -> tuple[np.ndarray, np.ndarray]:
    """Rows of ``layer`` within ``tolerance`` of (x, y) and their distances (sorted,
    nearest first; among equals the topmost — last drawn — first).

    Layers whose data is still being read give nothing.
    """
    from smartgis.render.prepared import peek, prepared_for
    prep = peek(layer, project.crs)
    if prep is None:
        if not layer.loaded or layer.feature_count > 200_000:
            return np.empty(0, np.int64), np.empty(0)
        prep = prepared_for(layer, project.crs)   # small and in memory: quick
    cand = prep.index.query((x - tolerance, y - tolerance, x + tolerance, y + tolerance), sort=False)
    if not len(cand):
        return cand, np.empty(0)
    d = shapely.distance(prep.geoms[cand], shapely.Point(x, y))
    hit = d <= tolerance
    cand, d = cand[hit], d[hit]
    order = np.lexsort((-cand, d))
    return cand[order], d[order]


def _identify_vector(project, lyr, x, y, tol, limit) -> list[IdentifyResult]:
    from smartgis.render.filesource import streamed
    if streamed(lyr):
        return _identify_streamed(project, lyr, x, y, tol, limit)
    rows, dist = features_near(project, lyr, x, y, tol)
    if not len(rows):
        return []
    rows, dist = rows[:limit], dist[:limit]
    from smartgis.render.prepared import peek
    prep = peek(lyr, project.crs)
    fids = lyr.fids[rows]
    attrs = _attributes(project, lyr, rows, fids)
    return [IdentifyResult(lyr.id, lyr.name, int(r), int(f), a, prep.geoms[r] if prep is not None else None, float(d))
            for r, f, a, d in zip(rows.tolist(), fids.tolist(), attrs, dist.tolist())]


def _identify_streamed(project, lyr, x, y, tol, limit) -> list[IdentifyResult]:
    """A layer too large to load (drawn view by view from its file or server table):
    the features near the point and their attributes, read from where the layer lives
    (their row in the layer is not known: ``index`` is None)."""
    from smartgis.crs import same_crs
    from smartgis.render.filesource import file_table, read_rows, read_window_geometries
    ft = file_table(lyr, project)
    if ft is None or (ft.crs and project.crs and not same_crs(ft.crs, project.crs)):
        return []
    fids, geoms = read_window_geometries(ft, (x - tol, y - tol, x + tol, y + tol), 0.0)
    if not len(fids):
        return []
    d = shapely.distance(geoms, shapely.Point(x, y))
    hit = np.flatnonzero(d <= tol)
    hit = hit[np.lexsort((-fids[hit], d[hit]))][:limit]
    attrs = read_rows(ft, fids[hit], lyr.fields)
    return [IdentifyResult(lyr.id, lyr.name, None, int(fids[i]), a, geoms[i], float(d[i]))
            for i, a in zip(hit.tolist(), attrs)]


def _attributes(project, lyr, rows, fids) -> list[dict]:
    if not lyr.attributes_loaded:
        from smartgis.render.filesource import file_table, read_rows
        ft = file_table(lyr, project)
        if ft is not None:
            # a few rows from the file instead of loading a whole large table on the GUI thread
            return read_rows(ft, fids, lyr.fields)
    return [lyr.table.row(int(r)) for r in rows]


def _identify_raster(project, lyr, x, y) -> IdentifyResult | None:
    from smartgis.render.snapshot import raster_source
    src = raster_source(lyr, project)
    if src is None:
        return None
    import rasterio

    from smartgis.crs import same_crs, transformer
    try:
        with rasterio.Env(GDAL_PAM_ENABLED="NO"), rasterio.open(src) as ds:
            px, py = x, y
            if ds.crs is not None and not same_crs(ds.crs.to_wkt(), project.crs):
                px, py = transformer(project.crs, ds.crs.to_wkt()).transform(x, y)
            left, bottom, right, top = ds.bounds
            if not (left <= px <= right and bottom <= py <= top):
                return None
            vals = next(ds.sample([(px, py)], masked=True))
            nodata = np.ma.getmaskarray(vals)
            attrs = {}
            for i, v in enumerate(vals.data.tolist()):
                name = ds.descriptions[i] if ds.descriptions and ds.descriptions[i] else f"band {i + 1}"
                attrs[name] = None if nodata[i] else v
    except Exception:  # noqa: BLE001 - an unreadable raster identifies nothing
        return None
    return IdentifyResult(lyr.id, lyr.name, None, None, attrs, shapely.Point(x, y), 0.0)


class IdentifyTool(MapTool):
    """Click to list the attributes of what is under the cursor.

    The features found are highlighted on the canvas and sent with
    :attr:`identified`; connect an :class:`IdentifyResultsView` (or your own
    widget) to show them.

    Signals
    -------
    identified(list)
        A list of :class:`IdentifyResult`, top layer first (empty when nothing).
    """

    identified = Signal(list)

    def __init__(self, canvas, tolerance_px: float = TOLERANCE_PX, layers=None):
        super().__init__(canvas)
        self.tolerance_px = tolerance_px
        self.layers = layers
        self.results: list[IdentifyResult] = []

    def press(self, event, x, y) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.canvas.project is None:
            return
        self.identify_at(x, y)

    def identify_at(self, x: float, y: float) -> list[IdentifyResult]:
        """Identify at map point (x, y), as a click there does."""
        tol = self.tolerance_px * self.canvas.map_units_per_pixel()
        self.results = identify(self.canvas.project, x, y, tol, self.layers)
        geoms = [r.geometry for r in self.results if r.geometry is not None and r.fid is not None]
        if geoms:
            self.canvas.set_highlight(geoms, "#ff00ff")
        else:
            self.canvas.clear_highlight()
        self.identified.emit(self.results)
        return self.results

    def deactivate(self) -> None:
        self.canvas.clear_highlight()

    def cursor(self) -> QCursor:
        return QCursor(Qt.CursorShape.WhatsThisCursor)


class IdentifyResultsView(QTreeWidget):
    """A tree of identify results: layer → feature → attribute: value."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setColumnCount(2)
        self.setHeaderLabels([self.tr("Feature"), self.tr("Value")])
        self.setAlternatingRowColors(True)

    def show_results(self, results) -> None:
        self.clear()
        by_layer: dict[str, QTreeWidgetItem] = {}
        for r in results:
            top = by_layer.get(r.layer_id)
            if top is None:
                top = QTreeWidgetItem([r.layer_name, ""])
                self.addTopLevelItem(top)
                by_layer[r.layer_id] = top
            label = self.tr("Feature {fid}").format(fid=r.fid) if r.fid is not None else self.tr("Raster value")
            item = QTreeWidgetItem([label, ""])
            top.addChild(item)
            for k, v in r.attributes.items():
                item.addChild(QTreeWidgetItem([str(k), "" if v is None else str(v)]))
            item.setExpanded(True)
            top.setExpanded(True)
        if not results:
            self.addTopLevelItem(QTreeWidgetItem([self.tr("Nothing found here"), ""]))
        self.resizeColumnToContents(0)

    def attach(self, tool: IdentifyTool) -> None:
        """Show the results of ``tool`` from now on."""
        tool.identified.connect(self.show_results)
