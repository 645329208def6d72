"""Snapping: the nearest vertex or edge of any vector layer within a tolerance.

No Qt.  The map tools convert their pixel tolerance to map units and ask
:meth:`Snapper.snap` where the cursor should land.  Each layer gets one
``shapely.STRtree``, built on first use and rebuilt only when the layer's
``version`` changes, so a query near the cursor looks at a handful of features
even in a layer of a million buildings.

A vertex within the tolerance wins over a nearer edge (the designer aiming at a
corner gets the corner), as in QGIS.

Examples
--------
>>> import shapely
>>> s = Snapper()
>>> s.add_source("roads", [shapely.LineString([(0, 0), (100, 0)])])
>>> r = s.snap(98.5, 1.0, tolerance=3)
>>> (r.kind, r.x, r.y)
('vertex', 100.0, 0.0)
>>> r = s.snap(40.0, 2.0, tolerance=3)
>>> (r.kind, r.x, r.y)
('edge', 40.0, 0.0)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

import numpy as np
import shapely

__all__ = ["SnapResult", "Snapper"]


@dataclass(frozen=True)
class SnapResult:
    """Where a position snapped to.

    Attributes
    ----------
    x, y : float
        The snapped position (exactly the vertex's coordinates for a vertex).
    kind : {"vertex", "edge"}
    source : str
        The layer id (or source key) snapped to.
    index : int
        Row of the feature in that layer.
    distance : float
        From the queried position, in map units.
    """

    x: float
    y: float
    kind: str
    source: str
    index: int
    distance: float


class _Source:
    __slots__ = ("key", "layer", "geoms", "version", "tree", "edges")

    def __init__(self, key, layer=None, geoms=None):
        self.key, self.layer = key, layer
        self.geoms = geoms
        self.version = None
        self.tree = None
        self.edges = None

    def current(self):
        """(geometries, tree, edge geometries), rebuilt when the layer changed."""
        if self.layer is not None:
            v = getattr(self.layer, "version", 0)
            if self.tree is None or v != self.version:
                self.geoms = np.asarray(self.layer.geometries, dtype=object)
                self.version = v
                self.tree = None
        if self.tree is None:
            g = self.geoms if self.geoms is not None else np.empty(0, dtype=object)
            self.tree = shapely.STRtree(g)
            self.edges = None
        return self.geoms, self.tree


class Snapper:
    """Snap positions to the vertices and edges of layers.

    Parameters
    ----------
    layers : iterable of VectorLayer, optional
        Layers to snap to (anything with ``id``, ``geometries`` and ``version``).
    vertices, edges : bool
        What to snap to.
    """

    def __init__(self, layers: Iterable = (), vertices: bool = True, edges: bool = True):
        self.vertices = vertices
        self.edges = edges
        self._sources: dict[str, _Source] = {}
        self.set_layers(layers)

    # -- sources -------------------------------------------------------------------------
    def set_layers(self, layers: Iterable) -> None:
        """Snap to these layers (indexes of layers kept from before are reused)."""
        keep = {}
        for lyr in layers:
            key = str(lyr.id)
            src = self._sources.get(key)
            keep[key] = src if src is not None and src.layer is lyr else _Source(key, layer=lyr)
        extra = {k: s for k, s in self._sources.items() if s.layer is None}
        self._sources = {**keep, **extra}

    def add_source(self, key: str, geometries) -> None:
        """Snap also to plain geometries under ``key`` (e.g. the vertices being drawn)."""
        self._sources[str(key)] = _Source(str(key), geoms=np.asarray(list(geometries), dtype=object)
                                          if not isinstance(geometries, np.ndarray) else geometries)

    def remove_source(self, key: str) -> None:
        self._sources.pop(str(key), None)

    @property
    def sources(self) -> list[str]:
        return list(self._sources)

    def _searched(self, sources: Iterable[str] | None) -> Iterator[tuple[str, np.ndarray, object]]:
        """``(key, geometries, index)`` of the sources to search (``sources``, or all of
        them) that hold any geometry."""
        keys = list(self._sources) if sources is None else [str(s) for s in sources if str(s) in self._sources]
        for key in keys:
            geoms, tree = self._sources[key].current()
            if len(geoms):
                yield key, geoms, tree

    # -- snapping ------------------------------------------------------------------------
    def snap(self, x: float, y: float, tolerance: float, exclude: Iterable[tuple[str, int]] = (),
             sources: Iterable[str] | None = None) -> SnapResult | None:
        """The vertex (preferred) or edge nearest to (x, y) within ``tolerance``.

        Parameters
        ----------
        x, y : float
            Position in map units (the project CRS).
        tolerance : float
            Search radius in map units (a pixel tolerance times map units per pixel).
        exclude : iterable of (source, index)
            Features not to snap to (the element being moved or reshaped).
        sources : iterable of str, optional
            Only these sources (layer ids).

        Returns
        -------
        SnapResult or None
        """
        if tolerance <= 0 or not (self.vertices or self.edges):
            return None
        excluded = {(str(k), int(i)) for k, i in exclude}
        box = shapely.box(x - tolerance, y - tolerance, x + tolerance, y + tolerance)
        best_v: SnapResult | None = None
        best_e: SnapResult | None = None
        for key, geoms, tree in self._searched(sources):
            cand = tree.query(box)
            if excluded and len(cand):
                cand = np.array([c for c in cand.tolist() if (key, c) not in excluded], dtype=np.int64)
            if not len(cand):
                continue
            cand = np.sort(cand)
            sub = geoms[cand]
            if self.vertices:
                xy, idx = shapely.get_coordinates(sub, return_index=True)
                if len(xy):
                    d = np.hypot(xy[:, 0] - x, xy[:, 1] - y)
                    k = int(np.argmin(d))
                    if d[k] <= tolerance and (best_v is None or d[k] < best_v.distance):
                        best_v = SnapResult(float(xy[k, 0]), float(xy[k, 1]), "vertex", key,
                                            int(cand[idx[k]]), float(d[k]))
            if self.edges and best_v is None:
                kind = shapely.get_type_id(sub)
                lines = np.where(np.isin(kind, (3, 6)), shapely.boundary(sub), sub)
                has_edges = np.isin(kind, (1, 2, 3, 5, 6, 7))
                if has_edges.any():
                    lines, sel = lines[has_edges], cand[has_edges]
                    p = shapely.Point(x, y)
                    d = shapely.distance(lines, p)
                    k = int(np.nanargmin(d))
                    if d[k] <= tolerance and (best_e is None or d[k] < best_e.distance):
                        on = shapely.get_coordinates(shapely.shortest_line(lines[k], p))[0]
                        best_e = SnapResult(float(on[0]), float(on[1]), "edge", key, int(sel[k]), float(d[k]))
        return best_v or best_e

    # -- picking -------------------------------------------------------------------------
    def pick(self, x: float, y: float, tolerance: float, sources: Iterable[str] | None = None
             ) -> tuple[str, int, float] | None:
        """The feature nearest to (x, y) within ``tolerance`` (0 inside a polygon).

        Returns
        -------
        (source, index, distance) or None
            Points within the tolerance win over lines, lines over polygons (a camera
            standing in a park is picked, not the park); then the nearest.
        """
        box = shapely.box(x - tolerance, y - tolerance, x + tolerance, y + tolerance)
        p = shapely.Point(x, y)
        best = None
        for key, geoms, tree in self._searched(sources):
            cand = tree.query(box)
            if not len(cand):
                continue
            d = shapely.distance(geoms[cand], p)
            dim = shapely.get_dimensions(geoms[cand])
            ok = d <= tolerance
            if not ok.any():
                continue
            cand, d, dim = cand[ok], d[ok], dim[ok]
            # rank by dimension (0 points, 1 lines, 2 polygons), then by distance
            k = int(np.lexsort((d, dim))[0])
            score = (int(dim[k]), float(d[k]))
            if best is None or score < best[0]:
                best = (score, key, int(cand[k]))
        if best is None:
            return None
        return best[1], best[2], best[0][1]

    def within(self, box: tuple[float, float, float, float], sources: Iterable[str] | None = None
               ) -> dict[str, np.ndarray]:
        """Indices of the features of each source intersecting a rectangle
        (xmin, ymin, xmax, ymax), for rubber-band selection."""
        rect = shapely.box(*box)
        out = {}
        for key, geoms, tree in self._searched(sources):
            hit = tree.query(rect, predicate="intersects")
            if len(hit):
                out[key] = np.sort(hit)
        return out
