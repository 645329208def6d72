"""Per-layer data prepared once per layer version: boxes, a grid index, classes.

Rendering a view asks for the features in the view (:class:`GridIndex`), then pulls
the coordinates of just those features out of the shapely array, vectorised.  What
does not depend on the view — bounds, the index, the class of each feature under
the style — is built once per ``layer.version`` (on a worker thread: for a layer
stored in the project file this is also where its geometries are first read) and
kept here, keyed by layer id.

Geometries in another CRS than the project are reprojected once per version.
"""

from __future__ import annotations

import threading
import weakref

import numpy as np
import shapely

from smartgis.core.gil import share_gil
from smartgis.render.index import GridIndex

# shapely type ids
POINT, LINESTRING, LINEARRING, POLYGON, MULTIPOINT, MULTILINESTRING, MULTIPOLYGON, COLLECTION = range(8)
POINT_TYPES = (POINT, MULTIPOINT)
LINE_TYPES = (LINESTRING, LINEARRING, MULTILINESTRING)
POLYGON_TYPES = (POLYGON, MULTIPOLYGON)


class PreparedVector:
    """The view-independent drawing data of one version of a vector layer.

    Attributes
    ----------
    geoms : ndarray of shapely geometries (in the project CRS)
    bounds : ndarray (n, 4)
    index : GridIndex
    type_ids : ndarray of int8 (-1 for missing geometries)
    """

    def __init__(self, geoms: np.ndarray, version: int, crs_key=None, bounds: np.ndarray | None = None):
        self.geoms = geoms
        #: The layer's own geometry array this was built from (before reprojection).
        self.source = geoms
        self.version = version
        self.crs_key = crs_key
        if bounds is None or len(bounds) != len(geoms):
            bounds = shapely.bounds(geoms) if len(geoms) else np.empty((0, 4))
        self.bounds = bounds
        share_gil()
        self.index = GridIndex(self.bounds)
        share_gil()
        self.type_ids = shapely.get_type_id(geoms).astype(np.int8) if len(geoms) else np.empty(0, np.int8)
        #: Whether any feature is drawn with a marker (points, or points in collections).
        self.has_points = bool(np.isin(self.type_ids, (POINT, MULTIPOINT, COLLECTION)).any())
        self._classes: dict = {}
        self._lock = threading.Lock()
        self._memo: dict = {}

    @property
    def n(self) -> int:
        return len(self.geoms)

    def families(self, idx: np.ndarray) -> dict[str, np.ndarray]:
        """Split feature indices into ``polygon``, ``line``, ``point`` and ``collection``."""
        t = self.type_ids[idx]
        return {"polygon": idx[(t == POLYGON) | (t == MULTIPOLYGON)],
                "line": idx[(t == LINESTRING) | (t == LINEARRING) | (t == MULTILINESTRING)],
                "point": idx[(t == POINT) | (t == MULTIPOINT)],
                "collection": idx[t == COLLECTION]}

    def rings(self) -> "PolygonRings":
        """The rings of every polygon, as flat arrays (built on first use, kept)."""
        return self.memo("rings", lambda: PolygonRings(self.geoms, self.type_ids))

    def lines(self) -> "LineParts":
        """The parts of every line string, as flat arrays (built on first use, kept)."""
        return self.memo("lines", lambda: LineParts(self.geoms, self.type_ids))

    def memo(self, name: str, build):
        """What ``build()`` gives, built once for this version and kept with it
        (two threads asking at once may both build; the first kept wins)."""
        got = self._memo.get(name)
        if got is None:
            got = build()
            with self._lock:
                got = self._memo.setdefault(name, got)
        return got

    def kept(self, name: str) -> bool:
        """Whether :meth:`memo` has built ``name`` for this version."""
        return name in self._memo

    def classes(self, key, compute) -> np.ndarray:
        """The class of every feature under a style (cached by ``key``)."""
        with self._lock:
            got = self._classes.get(key)
        if got is None:
            got = compute()
            with self._lock:
                self._classes[key] = got
        return got


class FlatParts:
    """Every ring (or line part) of a layer's polygons (or lines) as flat arrays, grouped
    by feature, built once.

    Drawing a street-level view then gathers the vertices of the features in view with
    numpy instead of asking GEOS for their coordinates (and orienting rings) each time
    (a third of a 20,000-building view).  About 20 bytes a vertex.

    Parameters
    ----------
    geoms, type_ids
        The layer's geometries and their shapely type ids.
    types : tuple
        The type ids taken.
    parts_of : callable
        ``(geoms, owners) -> (x, y, offsets, owner)`` for a step of features.
    """

    def __init__(self, geoms: np.ndarray, type_ids: np.ndarray, types: tuple, parts_of):
        sel = np.flatnonzero(np.isin(type_ids, types))
        # In steps: GEOS and numpy hold the GIL for the whole of a call, and a million
        # buildings in one call would freeze the window's thread for a tenth of a second.
        parts = [parts_of(geoms[sel[a:a + RINGS_CHUNK]], sel[a:a + RINGS_CHUNK])
                 for a in range(0, len(sel), RINGS_CHUNK)]
        if parts:
            xs, ys, offs, owners = zip(*parts)
            shift = np.cumsum([0] + [len(x) for x in xs[:-1]])
            offsets = np.concatenate([[0]] + [o[1:] + k for o, k in zip(offs, shift)])
            x, y, owner = np.concatenate(xs), np.concatenate(ys), np.concatenate(owners)
        else:
            x = y = np.empty(0)
            offsets, owner = np.zeros(1, np.int64), np.empty(0, np.int64)
        self.x, self.y = np.ascontiguousarray(x), np.ascontiguousarray(y)
        self.offsets = offsets
        self.owner = owner
        n = len(geoms)
        self.first = np.searchsorted(owner, np.arange(n + 1))     # parts of feature i: first[i]:first[i+1]

    def of(self, idx: np.ndarray):
        """``(x, y, offsets, part_owner)`` of the parts of features ``idx``."""
        from smartgis.render.index import ranges
        lo, hi = self.first[idx], self.first[idx + 1]
        rings = ranges(lo, hi)
        starts, ends = self.offsets[rings], self.offsets[rings + 1]
        verts = ranges(starts, ends)
        offsets = np.concatenate([[0], np.cumsum(ends - starts)])
        return self.x[verts], self.y[verts], offsets, self.owner[rings]


class PolygonRings(FlatParts):
    """The rings of a layer's polygons, oriented once (exteriors one way, holes the other)."""

    def __init__(self, geoms: np.ndarray, type_ids: np.ndarray):
        super().__init__(geoms, type_ids, POLYGON_TYPES, _rings_of)


class LineParts(FlatParts):
    """The parts of a layer's line strings."""

    def __init__(self, geoms: np.ndarray, type_ids: np.ndarray):
        super().__init__(geoms, type_ids, LINE_TYPES, _line_parts_of)


def _line_parts_of(geoms: np.ndarray, owners: np.ndarray):
    coords, offsets, owner = line_parts(geoms, owners)
    share_gil()
    return coords[:, 0].copy(), coords[:, 1].copy(), offsets, owner


#: Features whose rings are read per step when the flat rings of a layer are built.
RINGS_CHUNK = 50_000


def _rings_of(geoms: np.ndarray, owners: np.ndarray):
    """``(x, y, offsets, owner)`` of the rings of ``geoms``, oriented, grouped by owner."""
    from smartgis.render.paths import orient
    coords, offsets, owner, exterior = polygon_rings(geoms, owners)
    # rings grouped by feature (polygon_rings lists simple polygons first)
    order = np.argsort(owner, kind="stable")
    if len(order) and (np.diff(order) != 1).any():
        from smartgis.render.index import ranges
        starts, ends = offsets[:-1][order], offsets[1:][order]
        coords = coords[ranges(starts, ends)]
        offsets = np.concatenate([[0], np.cumsum(ends - starts)])
        owner, exterior = owner[order], exterior[order]
    share_gil()
    x, y = orient(coords[:, 0], coords[:, 1], offsets, exterior) if len(coords) else (coords[:, 0], coords[:, 1])
    share_gil()
    return x, y, offsets, owner


# -- coordinates of a subset, vectorised --------------------------------------------------
def polygon_rings(geoms: np.ndarray, owners: np.ndarray):
    """Rings of (multi)polygons as flat arrays.

    Parameters
    ----------
    geoms : ndarray of Polygon/MultiPolygon
    owners : ndarray of int
        What to report as the owner of each geometry's rings (e.g. its feature index).

    Returns
    -------
    coords : ndarray (m, 2)
    offsets : ndarray (r + 1,)
    ring_owner : ndarray (r,)
    exterior : ndarray of bool (r,)
    """
    if not len(geoms):
        return np.empty((0, 2)), np.zeros(1, np.int64), np.empty(0, np.int64), np.empty(0, bool)
    t = shapely.get_type_id(geoms)
    simple = (t == POLYGON) & (shapely.get_num_interior_rings(geoms) == 0)
    out = []
    if simple.any():
        # The common case — one ring per polygon — needs a single GEOS call.
        g = geoms[simple]
        c, k = shapely.get_coordinates(g, return_index=True)
        cnt = np.bincount(k, minlength=len(g))
        out.append((c, cnt, owners[simple], np.ones(len(g), bool)))
    rest = ~simple
    if rest.any():
        parts, pi = shapely.get_parts(geoms[rest], return_index=True)
        polys = shapely.get_type_id(parts) == POLYGON
        parts, pi = parts[polys], pi[polys]
        if len(parts):
            rings, ri = shapely.get_rings(parts, return_index=True)
            c, k = shapely.get_coordinates(rings, return_index=True)
            cnt = np.bincount(k, minlength=len(rings))
            # get_rings lists each polygon's exterior first.
            first = np.ones(len(rings), bool)
            first[1:] = ri[1:] != ri[:-1]
            out.append((c, cnt, owners[rest][pi[ri]], first))
    if not out:
        return np.empty((0, 2)), np.zeros(1, np.int64), np.empty(0, np.int64), np.empty(0, bool)
    coords = np.concatenate([o[0] for o in out]) if len(out) > 1 else out[0][0]
    cnt = np.concatenate([o[1] for o in out])
    offsets = np.concatenate([[0], np.cumsum(cnt)])
    return coords, offsets, np.concatenate([o[2] for o in out]), np.concatenate([o[3] for o in out])


def line_parts(geoms: np.ndarray, owners: np.ndarray):
    """Parts of (multi)linestrings: ``coords, offsets, part_owner``."""
    if not len(geoms):
        return np.empty((0, 2)), np.zeros(1, np.int64), np.empty(0, np.int64)
    t = shapely.get_type_id(geoms)
    multi = t == MULTILINESTRING
    if multi.any():
        parts, pi = shapely.get_parts(geoms, return_index=True)
        geoms, owners = parts, owners[pi]
    c, k = shapely.get_coordinates(geoms, return_index=True)
    cnt = np.bincount(k, minlength=len(geoms))
    return c, np.concatenate([[0], np.cumsum(cnt)]), owners


def point_coords(geoms: np.ndarray, owners: np.ndarray):
    """Coordinates of (multi)points and the owner of each: ``coords, owner``."""
    if not len(geoms):
        return np.empty((0, 2)), np.empty(0, np.int64)
    c, k = shapely.get_coordinates(geoms, return_index=True)
    return c, owners[k]


def explode_collections(geoms: np.ndarray, owners: np.ndarray):
    """Members of geometry collections, with their owners (nested ones flattened)."""
    parts, pi = shapely.get_parts(geoms, return_index=True)
    owners = owners[pi]
    for _ in range(4):  # collections inside collections are rare and shallow
        nested = shapely.get_type_id(parts) == COLLECTION
        if not nested.any():
            break
        sub, si = shapely.get_parts(parts[nested], return_index=True)
        parts = np.concatenate([parts[~nested], sub])
        owners = np.concatenate([owners[~nested], owners[nested][si]])
    return parts, owners


# -- the cache -------------------------------------------------------------------------
_cache: dict[str, PreparedVector] = {}
_locks: dict[str, threading.Lock] = {}
_guard = threading.Lock()


def _layer_lock(layer_id: str) -> threading.Lock:
    with _guard:
        lock = _locks.get(layer_id)
        if lock is None:
            lock = _locks[layer_id] = threading.Lock()
        return lock


def _current(layer, crs_key) -> PreparedVector | None:
    p = _cache.get(layer.id)
    if p is None or p.version != layer.version or p.crs_key != crs_key:
        return None
    if not layer.loaded:
        return None
    return p


def prepared_for(layer, project_crs=None) -> PreparedVector:
    """The prepared data of a vector layer, built (and its data loaded) when needed.

    Call this from a worker thread for layers that may not be loaded yet: loading a
    layer of a million features takes seconds.
    """
    crs_key = _crs_key(layer, project_crs)
    with _layer_lock(layer.id):
        p = _current(layer, crs_key)
        if p is not None and p.source is layer.geometries:
            return p
        # one frozen version of the data: its version, geometries and bounds belong
        # together even if the window's thread edits the layer meanwhile
        data = layer.data
        version = data.version
        source = geoms = data.geometries
        bounds = None
        if crs_key is not None:
            geoms = _reprojected(geoms, layer.crs, project_crs)
        else:
            # the data's own bounds: computed here, on a worker thread, and then
            # known to the layer (its extent, zoom to layer) on the window's thread
            bounds = data.bounds
        p = PreparedVector(geoms, version, crs_key, bounds)
        p.source = source
        collect_garbage()
        with _guard:
            _cache[layer.id] = p
            _owners[layer.id] = weakref.ref(layer)
        return p


#: Geometries reprojected per step (each step holds the GIL for a few milliseconds).
REPROJECT_CHUNK = 10_000


def _reprojected(geoms: np.ndarray, src, dst) -> np.ndarray:
    """``geoms`` in ``dst``, in steps that let other threads run between them."""
    from smartgis.crs import transform_geometries
    if len(geoms) <= REPROJECT_CHUNK:
        return transform_geometries(geoms, src, dst)
    parts = []
    for a in range(0, len(geoms), REPROJECT_CHUNK):
        share_gil()
        parts.append(transform_geometries(geoms[a:a + REPROJECT_CHUNK], src, dst))
    return np.concatenate(parts)


def peek(layer, project_crs=None) -> PreparedVector | None:
    """The prepared data if it is ready for the layer's current version, else None
    (never loads or builds anything: safe on the GUI thread)."""
    p = _current(layer, _crs_key(layer, project_crs))
    if p is not None and p.source is not layer.geometries:
        return None
    return p


def is_ready(layer, project_crs=None) -> bool:
    return peek(layer, project_crs) is not None


def forget(layer_id: str | None = None) -> None:
    """Drop prepared data (of one layer, or all) to free memory."""
    with _guard:
        if layer_id is None:
            _cache.clear()
            _owners.clear()
        else:
            _cache.pop(layer_id, None)
            _owners.pop(layer_id, None)


_owners: dict[str, "weakref.ref"] = {}


def collect_garbage() -> None:
    """Forget layers that no longer exist (their project was closed)."""
    with _guard:
        dead = [k for k, r in _owners.items() if r() is None]
        for k in dead:
            _cache.pop(k, None)
            _owners.pop(k, None)


def _crs_key(layer, project_crs):
    """None when the layer needs no reprojection into the project CRS."""
    if project_crs is None or not getattr(layer, "crs", None):
        return None
    from smartgis.crs import same_crs
    try:
        if same_crs(layer.crs, project_crs):
            return None
    except Exception:  # an unreadable layer CRS: draw the coordinates as they are
        return None
    return str(project_crs)
