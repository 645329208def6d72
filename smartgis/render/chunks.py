"""A loaded polygon layer's outlines kept as ready-made paths, in spatial chunks.

At street level most of a render's time went into making the view's paths: gathering
the rings of the 20,000 buildings in view, mapping them to pixels, thinning, and
having Qt read the paths in (a third of the time).  None of that depends on the view
as long as every vertex counts — when the features are several pixels wide, as they
are at street level.  So the rings of a loaded layer are kept as QPainterPaths in map
coordinates, in chunks of :data:`PER_CHUNK` neighbouring features (Morton order of
their box centres), built the first time a chunk is in view; a view draws the
chunks it meets with the painter's transform doing the mapping.  Qt's rasteriser
gives the same pixels as for paths made in pixel coordinates.

A chunk is drawn this way only when it can be drawn whole and as it is: none of its
features smaller than a pixel (those go to the pixel splat), none hidden, and its
vertices on average at least :data:`MIN_SEGMENT_PX` apart (otherwise thinning to the
pixel grid draws far fewer vertices).  The other features of the view take the
general way.
"""

from __future__ import annotations

import threading

import numpy as np
from PySide6.QtGui import QPaintEngine, QTransform

from smartgis.core.gil import share_gil
from smartgis.render import paths
from smartgis.render.index import ranges
from smartgis.render.prepared import MULTIPOLYGON, POLYGON

#: Features per chunk: small enough that chunks half in view draw little off-screen,
#: large enough that a street-level view is a few hundred drawPath calls (measured on
#: the benchmark city, window 1/10: 64 → 20.1 ms, 128 → 18.8 ms, 256 → 22.9 ms).
PER_CHUNK = 128
#: Views with fewer polygons than this take the general way (a chunk half in view
#: costs more than gathering a few hundred rings).
MIN_FEATURES = 4000
#: Average vertex spacing (pixels) from which a chunk's rings are drawn unthinned.
MIN_SEGMENT_PX = 1.0
#: Kept path vertices of one layer at most (24 bytes each in Qt: 144 MB; a street-level
#: view of the benchmark city draws 130,000); beyond, the chunks built for earlier
#: views are dropped.
MAX_CACHED_VERTICES = 6_000_000


class ChunkPaths:
    """The polygon features of one prepared layer version, grouped into chunks.

    Parameters
    ----------
    prep : PreparedVector
        A loaded layer's prepared data (its rings are built on first use).
    """

    def __init__(self, prep):
        self._prep = prep
        n = prep.n
        b = prep.bounds
        t = prep.type_ids
        poly = np.flatnonzero(((t == POLYGON) | (t == MULTIPOLYGON)) & np.isfinite(b).all(axis=1))
        share_gil()
        bp = b[poly]
        order = poly[np.argsort(_morton((bp[:, 0] + bp[:, 2]) * 0.5, (bp[:, 1] + bp[:, 3]) * 0.5), kind="stable")]
        share_gil()
        self.members = order
        #: chunk c holds ``members[starts[c]:starts[c + 1]]``
        self.starts = np.append(np.arange(0, len(order), PER_CHUNK), len(order))
        nch = len(self.starts) - 1
        #: each feature's chunk (-1: not in one)
        self.chunk_of = np.full(n, -1, dtype=np.int32)
        self.chunk_of[order] = np.arange(len(order), dtype=np.int32) // PER_CHUNK
        share_gil()
        sb = b[order]
        first = self.starts[:-1]
        w, h = sb[:, 2] - sb[:, 0], sb[:, 3] - sb[:, 1]
        if nch:
            self.box = np.column_stack([np.minimum.reduceat(sb[:, 0], first), np.minimum.reduceat(sb[:, 1], first),
                                        np.maximum.reduceat(sb[:, 2], first), np.maximum.reduceat(sb[:, 3], first)])
            #: the smallest feature of each chunk (the larger side of its box)
            self.min_size = np.minimum.reduceat(np.maximum(w, h), first)
            # vertex spacing, from the box perimeters (a ring is at least as long)
            nverts = self._vertex_counts(order)
            self.spacing = np.add.reduceat(2.0 * (w + h), first) / np.maximum(np.add.reduceat(nverts, first), 1)
        else:
            self.box = np.empty((0, 4))
            self.min_size = self.spacing = np.empty(0)
        self._paths: dict = {}
        self._vertices = 0
        self._lock = threading.Lock()

    def _vertex_counts(self, order: np.ndarray) -> np.ndarray:
        rings = self._prep.rings()
        per_ring = np.diff(rings.offsets)
        csum = np.concatenate([[0], np.cumsum(per_ring)])
        return (csum[rings.first[order + 1]] - csum[rings.first[order]]).astype(np.float64)

    def drawable(self, extent, mupp: float, hidden=None) -> np.ndarray:
        """Chunks meeting ``extent`` that a view of ``mupp`` map units a pixel can draw whole
        (``hidden``: a mask of the features not to draw, or None)."""
        x0, y0, x1, y1 = extent
        bx = self.box
        ok = (bx[:, 2] >= x0) & (bx[:, 0] <= x1) & (bx[:, 3] >= y0) & (bx[:, 1] <= y1)
        ok &= self.min_size >= mupp          # no feature below a pixel
        ok &= self.spacing >= MIN_SEGMENT_PX * mupp
        if hidden is not None:
            c = self.chunk_of[hidden]
            ok[c[c >= 0]] = False
        return np.flatnonzero(ok)

    def paths_of(self, chunk: int, classes: np.ndarray, key) -> list:
        """``[(class, QPainterPath)]`` of one chunk's rings in map coordinates."""
        k = (chunk, key)
        got = self._paths.get(k)
        if got is not None:
            return got
        feat = np.sort(self.members[self.starts[chunk]:self.starts[chunk + 1]])
        x, y, offsets, owner = self._prep.rings().of(feat)
        ring_cls = classes[owner]
        got = []
        if len(ring_cls) and ring_cls.min() == ring_cls.max():
            got.append((int(ring_cls[0]), paths.PathBuilder(x, y, offsets).path(0, len(offsets) - 1)))
        elif len(ring_cls):
            order = np.argsort(ring_cls, kind="stable")
            lo, hi = offsets[:-1][order], offsets[1:][order]
            sel = ranges(lo, hi)
            off = np.concatenate([[0], np.cumsum(hi - lo)])
            builder = paths.PathBuilder(x[sel], y[sel], off)
            sc = ring_cls[order]
            cuts = np.concatenate([[0], np.flatnonzero(np.diff(sc)) + 1, [len(sc)]])
            got = [(int(sc[a]), builder.path(int(a), int(z))) for a, z in zip(cuts[:-1], cuts[1:])]
        with self._lock:
            if self._vertices > MAX_CACHED_VERTICES:
                self._paths.clear()
                self._vertices = 0
            self._paths[k] = got
            self._vertices += len(x)
        return got


def _morton(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Z-order codes of points on a 65,536² grid over their extent."""
    if not len(x):
        return np.empty(0, np.uint64)

    def spread(v):
        lo = v.min()
        span = v.max() - lo
        q = ((v - lo) * (65535.0 / span)).astype(np.uint64) if span > 0 else np.zeros(len(v), np.uint64)
        for shift, mask in ((8, 0x00FF00FF), (4, 0x0F0F0F0F), (2, 0x33333333), (1, 0x55555555)):
            q = (q | (q << np.uint64(shift))) & np.uint64(mask)
        return q
    return spread(x) | (spread(y) << np.uint64(1))


def prepare_street_level(prep) -> None:
    """Build, ahead of the first street-level view of a loaded layer, what such views
    draw from: the flat rings and the chunk index of its polygons, the flat parts of its
    lines (the layer's loader calls this on its background thread: the first view after
    loading a million buildings then takes 0.1 s instead of a second)."""
    from smartgis.render.prepared import LINE_TYPES, POLYGON_TYPES
    if prep.version < 0:
        return
    t = prep.type_ids
    if int(np.isin(t, POLYGON_TYPES).sum()) >= MIN_FEATURES:
        chunk_paths(prep)                 # builds the flat rings on the way
    if int(np.isin(t, LINE_TYPES).sum()) >= MIN_FEATURES:
        prep.lines()


def chunk_paths(prep) -> ChunkPaths:
    """The chunks of a prepared layer version (built on first use, kept with it)."""
    return prep.memo("chunk_paths", lambda: ChunkPaths(prep))


class KeptPaths:
    """The chunk paths a view draws, by symbol class, with the transform that maps them.

    Attributes
    ----------
    by_class : dict
        ``{class: [QPainterPath]}`` in map coordinates.
    drawn : ndarray of bool
        Which of the view's features they hold (the others take the general way).
    """

    def __init__(self, by_class: dict, drawn: np.ndarray, view):
        self.by_class = by_class
        self.drawn = drawn
        inv = 1.0 / view.mupp
        x0, _, _, y1 = view.extent
        self.transform = QTransform(inv, 0.0, 0.0, -inv, -x0 * inv, y1 * inv)

    def mapped(self, k: int) -> tuple | None:
        """``(transform, paths)`` of class ``k`` for :func:`~smartgis.render.fill_stroke.paint_paths`."""
        batch = self.by_class.get(k)
        return (self.transform, batch) if batch else None


def kept_paths(prep, idx: np.ndarray, classes: np.ndarray, key, view, painter, cancel,
               hidden=None) -> KeptPaths | None:
    """The chunks of a street-level view that can be drawn whole from kept paths
    (None when the view takes the general way).

    Only onto images: a PDF or SVG painter writes the outlines' cosmetic pens as
    hairlines of the output device, not at the symbol's width.
    """
    if prep.version < 0 or len(idx) < MIN_FEATURES or painter.paintEngine().type() != QPaintEngine.Type.Raster:
        return None
    chunks = chunk_paths(prep)
    margin = 2.0 * view.mupp
    x0, y0, x1, y1 = view.extent
    ids = chunks.drawable((x0 - margin, y0 - margin, x1 + margin, y1 + margin), view.mupp, hidden)
    if not len(ids):
        return None
    by_class: dict[int, list] = {}
    for c in ids:
        cancel.check()
        for k, path in chunks.paths_of(int(c), classes, key):
            by_class.setdefault(k, []).append(path)
    flag = np.zeros(len(chunks.starts), dtype=bool)
    flag[ids] = True
    c = chunks.chunk_of[idx]
    return KeptPaths(by_class, (c >= 0) & flag[c], view)
