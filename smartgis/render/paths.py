"""Many polygons or lines as a few QPainterPaths, built from numpy arrays.

Building a path element by element from Python costs microseconds per vertex.  Like
pyqtgraph's ``arrayToQPath``, :func:`build_path` writes the path's serialised form
(element count, then per element its type and x, y as doubles, then the current
subpath start and the fill rule) into one byte buffer with numpy and lets
``QDataStream`` read it in C++.

Filling one path of tens of thousands of antialiased rings is slow in Qt's
rasteriser (its cost grows faster than the ring count), so callers draw batches of
about :data:`RINGS_PER_PATH` rings.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QByteArray, QDataStream, Qt
from PySide6.QtGui import QPainterPath

from smartgis.render.index import ranges

#: Rings (or line parts) per path when drawing batches: antialiased fills slow down
#: sharply with more rings per path; aliased fills and thin strokes do not (measured).
RINGS_PER_PATH = 32
RINGS_PER_PATH_FAST = 128
#: Below this many rings (a close view: rings tens of pixels wide) aliased fills too
#: are faster in paths of :data:`RINGS_PER_PATH` (228 buildings: 0.06–0.1 ms less).
FEW_RINGS = 1000
#: Line parts per path when stroking lines: Qt's stroker slows down with more parts per
#: path (CPU per render, 8 / 16 / 64 parts a path: the 200,000 roads of a province at
#: full extent 257 / 261 / 359 ms; the benchmark city's 50,000 roads at full extent
#: 149 / 144 / 166 ms, a window 0.3 wide 47 / 48 / 67 ms, 0.1 wide 9.6 / 10.9 / 17.3 ms).
PARTS_PER_LINE_PATH = 16
#: A vertex of a line closer than this (pixels) to the straight line between the
#: vertices either side of it is not stroked: Qt's stroker pays per segment and join,
#: and a quarter of a pixel cannot be seen in a stroke (QGIS simplifies rendered
#: geometries to a whole pixel by default).
STRAIGHT_PX = 0.25

_ELEMENT = np.dtype([("type", "<i4"), ("x", "<f8"), ("y", "<f8")])


def build_path(x: np.ndarray, y: np.ndarray, offsets: np.ndarray, winding: bool = True) -> QPainterPath:
    """One QPainterPath of the subpaths ``x[offsets[i]:offsets[i+1]]``.

    Parameters
    ----------
    x, y : ndarray
        Vertex coordinates (pixels), subpath after subpath.
    offsets : ndarray
        ``len + 1`` start offsets of the subpaths into ``x``/``y`` (the first 0).
    winding : bool
        Winding fill (rings oriented outer-positive) rather than odd-even.
    """
    n = len(x)
    path = QPainterPath()
    if n == 0:
        return path
    el = np.empty(n, dtype=_ELEMENT)
    el["type"] = 1                      # LineTo
    el["type"][offsets[:-1][offsets[:-1] < n]] = 0   # MoveTo at each subpath start
    el["x"] = x
    el["y"] = y
    head = np.array([n], dtype="<i4").tobytes()
    tail = np.array([0, 1 if winding else 0], dtype="<i4").tobytes()
    ba = QByteArray(head + el.tobytes() + tail)
    ds = QDataStream(ba)
    ds.setByteOrder(QDataStream.ByteOrder.LittleEndian)
    ds >> path
    path.setFillRule(Qt.FillRule.WindingFill if winding else Qt.FillRule.OddEvenFill)
    return path


class PathBuilder:
    """Paths of consecutive subpaths, from one serialised buffer built once.

    Parameters
    ----------
    x, y, offsets, winding
        As for :func:`build_path`.
    """

    def __init__(self, x: np.ndarray, y: np.ndarray, offsets: np.ndarray, winding: bool = True):
        n = len(x)
        el = np.empty(n, dtype=_ELEMENT)
        el["type"] = 1
        starts = offsets[:-1]
        el["type"][starts[starts < n]] = 0
        el["x"] = x
        el["y"] = y
        self._buf = el.view(np.uint8)
        self._offsets = offsets
        self._tail = np.array([0, 1 if winding else 0], dtype="<i4").tobytes()
        self._rule = Qt.FillRule.WindingFill if winding else Qt.FillRule.OddEvenFill

    @property
    def count(self) -> int:
        """Number of subpaths."""
        return len(self._offsets) - 1

    def path(self, first: int, last: int) -> QPainterPath:
        """The path of subpaths ``first`` .. ``last - 1``."""
        a, b = int(self._offsets[first]), int(self._offsets[last])
        path = QPainterPath()
        if b <= a:
            return path
        size = _ELEMENT.itemsize
        data = np.array([b - a], dtype="<i4").tobytes() + self._buf[a * size:b * size].tobytes() + self._tail
        ds = QDataStream(QByteArray(data))
        ds.setByteOrder(QDataStream.ByteOrder.LittleEndian)
        ds >> path
        path.setFillRule(self._rule)
        return path

    def paths(self, per_path: int = RINGS_PER_PATH, cancel=None):
        """All subpaths as a list of paths of ``per_path`` subpaths each.

        The paths are serialised one after the other into one buffer that one
        ``QDataStream`` reads (the stream carries each path's fill rule): two Qt calls
        a path instead of six — building the 12,000 paths of a province's roads took
        longer than drawing them.  ``cancel`` (a
        :class:`~smartgis.render.cancel.CancelToken`) is checked as they are read.
        """
        count = self.count
        if count <= 0:
            return []
        cuts = self._offsets[list(range(0, count, per_path)) + [count]].tolist()
        size = _ELEMENT.itemsize
        raw = self._buf.data.cast("B")         # no copy: slices below copy only their bytes
        pieces = []
        for a, b in zip(cuts[:-1], cuts[1:]):
            n = b - a
            if n > 0:
                pieces += (n.to_bytes(4, "little", signed=True), raw[a * size:b * size], self._tail)
            else:
                pieces.append(b"\0\0\0\0")    # an empty path: Qt reads nothing more of it
        ds = QDataStream(QByteArray(b"".join(pieces)))
        ds.setByteOrder(QDataStream.ByteOrder.LittleEndian)
        out = []
        for k in range(len(cuts) - 1):
            if cancel is not None and not k % 64:
                cancel.check()
            path = QPainterPath()
            ds >> path
            out.append(path)
        return out


def batches(offsets: np.ndarray, per_path: int = RINGS_PER_PATH):
    """Yield ``(first_subpath, last_subpath_exclusive)`` batches of subpaths."""
    count = len(offsets) - 1
    for a in range(0, count, per_path):
        yield a, min(a + per_path, count)


def thin(x: np.ndarray, y: np.ndarray, offsets: np.ndarray, tolerance: float = 0.5,
         min_vertices: int = 2) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Drop vertices that fall in the same ``tolerance``-pixel cell as the one before.

    This is simplification to the pixel grid: what it removes cannot be seen.  First
    and last vertices of every subpath stay, so rings stay closed.

    Returns
    -------
    x, y, offsets, kept
        The thinned vertices, their subpath offsets, and for every input subpath the
        number of vertices kept (subpaths with fewer than ``min_vertices`` are dropped
        from the output; ``kept`` tells the caller which).
    """
    n = len(x)
    nsub = len(offsets) - 1
    if n == 0 or nsub == 0:
        return x, y, offsets, np.zeros(nsub, dtype=np.int64)
    inv = 1.0 / tolerance
    qx = x * inv
    np.floor(qx, out=qx)
    qy = y * inv
    np.floor(qy, out=qy)
    keep = np.ones(n, dtype=bool)
    keep[1:] = (qx[1:] != qx[:-1]) | (qy[1:] != qy[:-1])
    starts = offsets[:-1]
    ends = offsets[1:]
    nonempty = ends > starts
    keep[starts[nonempty]] = True
    keep[ends[nonempty] - 1] = True
    if keep.all():
        # nothing to drop (a street-level view of buildings): no copies
        kept = ends - starts
        if (kept >= min_vertices).all():
            return x, y, offsets, kept
    csum = np.concatenate([[0], np.cumsum(keep)])
    kept = csum[ends] - csum[starts]
    ok = kept >= min_vertices
    if not ok.all():
        drop = ranges(starts[~ok], ends[~ok])
        keep[drop] = False
    sel = np.flatnonzero(keep)
    new_off = np.concatenate([[0], np.cumsum(kept[ok])])
    return x[sel], y[sel], new_off, kept


def straighten(x: np.ndarray, y: np.ndarray, offsets: np.ndarray, tolerance: float = STRAIGHT_PX,
               passes: int = 2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Drop the inner vertices of line parts that lie within ``tolerance`` pixels of
    the segment joining the vertices either side of them.

    Each pass drops a vertex only if both its neighbours stay, so every dropped vertex
    is within ``tolerance`` of the segment that replaces it; first and last vertices
    always stay.  Parts must hold at least two vertices each (as :func:`thin` leaves
    them).
    """
    tol2 = float(tolerance) ** 2
    for _ in range(passes):
        n = len(x)
        inner = np.ones(n, dtype=bool)
        inner[offsets[:-1]] = False
        inner[offsets[1:] - 1] = False
        i = np.flatnonzero(inner)
        if not len(i):
            break
        ax, ay = x[i - 1], y[i - 1]
        dx, dy = x[i + 1] - ax, y[i + 1] - ay
        vx, vy = x[i] - ax, y[i] - ay
        cross = dx * vy - dy * vx
        dot = dx * vx + dy * vy
        chord2 = dx * dx + dy * dy
        # near the segment itself, not only its line: a vertex beyond either end (a
        # turn back) stays
        cand = i[(cross * cross <= tol2 * chord2) & (dot >= 0) & (dot <= chord2)]
        if not len(cand):
            break
        # in a run of neighbouring candidates every other one goes
        run_start = np.ones(len(cand), dtype=bool)
        run_start[1:] = np.diff(cand) != 1
        first = np.maximum.accumulate(np.where(run_start, np.arange(len(cand)), 0))
        drop = cand[(np.arange(len(cand)) - first) % 2 == 0]
        keep = np.ones(n, dtype=bool)
        keep[drop] = False
        csum = np.concatenate([[0], np.cumsum(keep)])
        offsets = csum[offsets]
        x, y = x[keep], y[keep]
    return x, y, offsets


def orient(x: np.ndarray, y: np.ndarray, offsets: np.ndarray, exterior: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Reverse rings so that exteriors turn one way and holes the other.

    With that, a winding fill draws holes as holes and overlapping features of one
    batch both filled (an odd-even fill would punch holes where they overlap).
    """
    starts, ends = offsets[:-1], offsets[1:]
    if not len(starts):
        return x, y
    # Shoelace sum per ring (closed rings: the last vertex repeats the first).
    cross = np.zeros(len(x))
    cross[:-1] = x[:-1] * y[1:] - x[1:] * y[:-1]
    csum = np.concatenate([[0.0], np.cumsum(cross)])
    area2 = csum[np.maximum(ends - 1, starts)] - csum[starts]
    # In pixel space (y down) a positive shoelace sum is clockwise on screen.
    if exterior.all():
        # no holes: any one turning sense fills the same, so only the rings turning
        # against the most are reversed (a layer's buildings all turn one way: no copy)
        neg = area2 < 0
        flip = neg if 2 * int(np.count_nonzero(neg)) <= len(neg) else ~neg
    else:
        flip = (area2 < 0) == exterior
    if not flip.any():
        return x, y
    idx = np.arange(len(x))
    fs, fe = starts[flip], ends[flip]
    pos = ranges(fs, fe)
    lens = fe - fs
    first = np.repeat(fs, lens)
    last = np.repeat(fe - 1, lens)
    idx[pos] = first + last - pos
    return x[idx], y[idx]
