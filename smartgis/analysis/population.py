"""Where people live: population from a polygon layer or a population raster.

A layer with the role ``population`` supplies the people:

* **polygons** (buildings or zones) with a population field
  (``layer.props["population_field"]``): a polygon's people are assumed spread evenly
  over it and are **assigned by area of intersection** — a building or census zone
  half inside the covered area counts half.  Buildings are small, so this is in
  practice the same as counting them by centroid; zones need the weighting.
* **points** with a population field: counted where they are.
* **a raster** of people per cell: each cell's value counts where its centre is.

A polygon layer of :data:`CENTRE_FEATURES` features or more that is not in memory —
a province's buildings — is not read whole: its people count where the centres of
their buildings' boxes are (the boxes come from the file's R-tree, the numbers from
one column), provided the features are small (median box side under
:data:`CENTRE_MAX_SIZE_M`).  A building cut by a region's edge then counts wholly on
the side of its centre instead of by area; over thousands of buildings along an edge
the two agree, and reading 4 million polygons (and repairing, measuring and indexing
them) takes a minute where the boxes take a second.
"""

from __future__ import annotations

import numpy as np
import shapely

from smartgis.analysis.outcome import NotApplicable
from smartgis.errors import LayerError
from smartgis.i18n import _


class Population:
    """People as weighted polygons, points or raster cells, in the project CRS."""

    def __init__(self, name: str, geoms=None, weights=None, kind: str = "polygon"):
        self.name = name
        self.kind = kind
        geoms = np.asarray(geoms if geoms is not None else [], dtype=object).reshape(-1)
        w = np.asarray(weights if weights is not None else [], dtype=float).reshape(-1)
        ok = ~shapely.is_missing(geoms) & np.isfinite(w) & (w > 0)
        if len(geoms):
            ok &= ~shapely.is_empty(geoms)
        self.geoms, self.weights = geoms[ok], w[ok]
        if kind == "polygon" and len(self.geoms):
            self.geoms = shapely.make_valid(self.geoms)
            self.areas = shapely.area(self.geoms)
            keep = self.areas > 0
            self.geoms, self.weights, self.areas = self.geoms[keep], self.weights[keep], self.areas[keep]
        else:
            self.areas = None
        self._tree = None
        self._xy = None

    @classmethod
    def from_centres(cls, name: str, xy: np.ndarray, weights: np.ndarray) -> "Population":
        """People counted at points given as coordinates (kind ``centre``): the centres
        of buildings too many to hold as polygons."""
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        w = np.asarray(weights, dtype=float).reshape(-1)
        ok = np.isfinite(w) & (w > 0) & np.isfinite(xy).all(axis=1)
        pop = cls.__new__(cls)
        pop.name, pop.kind = name, "centre"
        pop.geoms, pop.areas, pop._tree = None, None, None
        pop._xy, pop.weights = xy[ok], w[ok]
        return pop

    @property
    def n(self) -> int:
        """Number of weighted polygons, points or cells."""
        return len(self.weights)

    @property
    def total(self) -> float:
        return float(self.weights.sum())

    @property
    def tree(self) -> shapely.STRtree:
        if self._tree is None:
            self._tree = shapely.STRtree(self.geoms)
        return self._tree

    @property
    def xy(self) -> np.ndarray:
        if self._xy is None:
            pts = self.geoms if self.kind != "polygon" else shapely.point_on_surface(self.geoms)
            self._xy = shapely.get_coordinates(pts)
        return self._xy

    def within(self, region) -> float:
        """People inside ``region`` (a polygon); None region means everyone."""
        if region is None:
            return self.total
        if shapely.is_empty(region) or not self.n:
            return 0.0
        shapely.prepare(region)
        if self.kind != "polygon":
            xy = self.xy
            return float(self.weights[shapely.contains_xy(region, xy[:, 0], xy[:, 1])].sum())
        cand = self.tree.query(region, predicate="intersects")
        if not len(cand):
            return 0.0
        g = self.geoms[cand]
        full = shapely.contains(region, g)
        people = float(self.weights[cand[full]].sum())
        part = cand[~full]
        if len(part):
            inter = shapely.area(shapely.intersection(self.geoms[part], region))
            people += float(np.sum(self.weights[part] * np.clip(inter / self.areas[part], 0.0, 1.0)))
        return people

    def covered(self, footprint, region=None) -> float:
        """People inside both the footprint and ``region``."""
        if footprint.is_empty:
            return 0.0
        if self.kind != "polygon" and footprint.circles is not None:
            # points in true discs: exact and fast without building the union polygon
            xy = self.xy
            inside = footprint.contains_xy(xy[:, 0], xy[:, 1])
            if region is not None:
                shapely.prepare(region)
                inside &= shapely.contains_xy(region, xy[:, 0], xy[:, 1])
            return float(self.weights[inside].sum())
        g = footprint.geometry
        if region is not None:
            g = shapely.intersection(g, region)
        return self.within(g)

    def sample_points(self):
        """(xy, weights) — one point per polygon/point/cell, for placement and distances."""
        return self.xy, self.weights


def population_from_layer(layer, project_crs, geometries=None) -> Population:
    """Build the :class:`Population` of a layer with the role ``population``.

    Raises
    ------
    NotApplicable
        The layer has no usable population field or values.
    """
    from smartgis.core.layers import RasterLayer
    if isinstance(layer, RasterLayer):
        return _from_raster(layer, project_crs)
    field = (layer.props or {}).get("population_field")
    if not field:
        raise NotApplicable(_("population layer {layer!r} has no population field "
                              "(smartgis layer PROJECT {layer!r} --role population --population-field FIELD)",
                              layer=layer.name))
    try:
        values = layer.table.column(field)
    except (KeyError, LayerError):
        raise NotApplicable(_("population layer {layer!r} has no field {field!r}", layer=layer.name,
                              field=field)) from None
    w = np.array([_num(v) for v in values], dtype=float) if values.dtype == object else values.astype(float)
    geoms = geometries if geometries is not None else layer.geometries
    kinds = shapely.get_type_id(geoms[~shapely.is_missing(geoms)]) if len(geoms) else np.empty(0)
    kind = "point" if len(kinds) and np.isin(kinds, (0, 4)).all() else "polygon"
    if kind == "polygon" and len(kinds) and not np.isin(kinds, (3, 6)).all():
        raise NotApplicable(_("population layer {layer!r} must hold polygons (buildings, zones) or points",
                              layer=layer.name))
    pop = Population(layer.name, geoms, w, kind)
    if not len(pop.geoms):
        raise NotApplicable(_("population layer {layer!r} has no positive values in {field!r}", layer=layer.name,
                              field=field))
    return pop


#: Polygon layers of at least this many features, not in memory, count by box centres.
CENTRE_FEATURES = 1_000_000
#: ... when their features are this small (median box side, metres, in the layer's units).
CENTRE_MAX_SIZE_M = 100.0


def population_from_file(layer, ft, project_crs) -> Population | None:
    """The people of a large polygon layer counted at its features' box centres, read
    from its file table ``ft`` (a :class:`smartgis.project.source.FileTable`); None when
    that does not apply (another CRS, large features, no R-tree) — then the caller
    reads the layer.
    """
    from smartgis.crs import same_crs
    from smartgis.project import source
    field = (layer.props or {}).get("population_field")
    if not field or ft is None or ft.rtree is None:
        return None
    if project_crs and ft.crs and not same_crs(ft.crs, project_crs):
        return None
    fids, boxes = source.read_boxes(ft, (-np.inf, -np.inf, np.inf, np.inf), sort=True)
    if not len(fids):
        return None
    side = np.maximum(boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1])
    if float(np.median(side)) > CENTRE_MAX_SIZE_M:
        return None
    try:
        cfids, values = source.read_column(ft, field)
    except Exception:  # noqa: BLE001 - a missing column: the caller reads the layer and says so
        return None
    if values.dtype == object:
        values = np.array([_num(v) for v in values], dtype=float)
    pos = np.searchsorted(cfids, fids)
    pos = np.minimum(pos, len(cfids) - 1)
    found = cfids[pos] == fids
    w = np.where(found, values[pos], np.nan)
    xy = np.column_stack([(boxes[:, 0] + boxes[:, 2]) * 0.5, (boxes[:, 1] + boxes[:, 3]) * 0.5])
    pop = Population.from_centres(layer.name, xy, w)
    if not pop.n:
        raise NotApplicable(_("population layer {layer!r} has no positive values in {field!r}", layer=layer.name,
                              field=field))
    return pop


def _num(v) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return np.nan


#: Largest number of raster cells read; bigger rasters are read summed onto a coarser grid.
MAX_CELLS = 4_000_000


def _from_raster(layer, project_crs) -> Population:
    import math

    import rasterio
    from rasterio.enums import Resampling

    from smartgis.crs import same_crs, transformer

    path = layer.path
    if not path:
        raise NotApplicable(_("population raster {layer!r} is embedded; export it to a GeoTIFF to use it",
                              layer=layer.name))
    try:
        with rasterio.open(path) as src:
            h, w = src.height, src.width
            f = max(1.0, math.sqrt(h * w / MAX_CELLS))
            oh, ow = max(1, int(h / f)), max(1, int(w / f))
            if (oh, ow) != (h, w):
                data = src.read(1, out_shape=(oh, ow), resampling=Resampling.sum, masked=True)
            else:
                data = src.read(1, masked=True)
            transform = src.transform @ src.transform.scale(w / ow, h / oh)
            crs = src.crs.to_wkt() if src.crs else layer.crs
    except rasterio.errors.RasterioError as exc:
        raise NotApplicable(_("population raster {layer!r} cannot be read: {error}", layer=layer.name,
                              error=str(exc))) from None
    vals = np.ma.filled(data.astype(float), 0.0)
    rows, cols = np.nonzero(vals > 0)
    xs, ys = rasterio.transform.xy(transform, rows, cols)
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    if crs and not same_crs(crs, project_crs):
        xs, ys = transformer(crs, project_crs).transform(xs, ys)
    pop = Population(layer.name, shapely.points(xs, ys), vals[rows, cols], kind="cell")
    if not len(pop.geoms):
        raise NotApplicable(_("population raster {layer!r} has no positive cells", layer=layer.name))
    return pop
