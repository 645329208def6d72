"""Drawing layers straight from their GeoPackage table: the reads (from
:mod:`smartgis.project.source`) and, for layers too large to load, the streaming.

A layer of at least :data:`STREAM_FEATURES` features is never read whole into
memory: the renderer keeps the boxes of its features (:class:`BoxIndex`, built once
from the table's R-tree) and reads from the file, at every view, the geometries of
the features large enough to be drawn as shapes.

A layer of a team project carries its own source instead (``layer.data_source``, a
table on a PostGIS server: :mod:`smartgis.postgis.source`) with the same reads as
methods; the functions here hand the renderer whichever the layer has.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from smartgis.project import source as _source
from smartgis.project.source import (  # noqa: F401 - the reads the renderer uses, under their old address
    FileTable,
    _walk_rtree,
    count_window,
    read_lines,
    read_rings,
    read_street_window,
    read_table_rings,
    read_window_lines,
)


def file_table(layer, project=None):
    """Where to read a layer not loaded yet: its GeoPackage table (see
    :func:`smartgis.project.source.file_table`), else the source it carries (a table on
    a server, with reads of the same names), else None."""
    ft = _source.file_table(layer, project)
    if ft is None and getattr(layer, "data_source", None) is not None and not getattr(layer, "dirty", False):
        return layer.data_source
    return ft


def _read(name: str):
    on_file = getattr(_source, name)

    def read(ft, *args, **kw):
        # a source that is not a file table reads itself (the methods have the same names)
        return on_file(ft, *args, **kw) if isinstance(ft, FileTable) else getattr(ft, name)(*args, **kw)
    read.__name__, read.__doc__ = name, on_file.__doc__
    return read


read_boxes = _read("read_boxes")
read_geometries = _read("read_geometries")
read_rows = _read("read_rows")
read_window_geometries = _read("read_window_geometries")
read_window_rings = _read("read_window_rings")

#: Layers of at least this many features are streamed: never read whole into memory;
#: the canvas keeps only the boxes of their features (:class:`BoxIndex`, 40 bytes a
#: feature) and reads the geometries each view draws as shapes from the file.
STREAM_FEATURES = 2_000_000


def streamed(layer) -> bool:
    """Whether a layer not loaded yet is drawn from its file at every view instead of
    being loaded (a layer the size of a province's buildings would take gigabytes)."""
    if getattr(layer, "loaded", True):
        return False
    src = getattr(layer, "data_source", None)
    at = STREAM_FEATURES if src is None else min(STREAM_FEATURES, int(src.stream_features))
    return int(getattr(layer, "feature_count", 0) or 0) >= at


class BoxIndex:
    """The boxes of every feature of a file table, in memory, with a grid index.

    Built once per file version from the table's R-tree; answers "which features'
    boxes meet this rectangle" without reading the file again.  The grid is built on
    the second query: a one-off render (``smartgis render``) asks once, and a plain
    comparison over the boxes answers one query faster than building a grid.
    """

    def __init__(self, fids: np.ndarray, boxes: np.ndarray):
        self.fids = fids
        self.boxes = boxes
        self._grid = None
        self._asked = 0
        #: the union of the boxes, or None when there is none or one is not finite (then
        #: every query filters): the R-tree has no NaN boxes, and four column reductions are cheap
        self.extent = None
        if len(boxes):
            # column by column: a reduction along the rows of an (n, 2) slice takes
            # six times longer (4M boxes: 0.18 s instead of 0.03 s)
            e = (boxes[:, 0].min(), boxes[:, 1].min(), boxes[:, 2].max(), boxes[:, 3].max())
            if np.isfinite(e).all():
                self.extent = tuple(float(v) for v in e)

    def query(self, rect) -> tuple[np.ndarray, np.ndarray]:
        """``(fids, boxes)`` meeting ``rect``, in no particular order (the R-tree's)."""
        x0, y0, x1, y1 = (float(v) for v in rect)
        e = self.extent
        if e is not None and x0 <= e[0] and y0 <= e[1] and x1 >= e[2] and y1 >= e[3]:
            # the whole layer in view (a province's full extent): no copy of 4M boxes
            return self.fids, self.boxes
        self._asked += 1
        if self._grid is None and self._asked > 1:
            from smartgis.render.index import GridIndex
            self._grid = GridIndex(self.boxes)
        if self._grid is not None:
            idx = self._grid.query(rect, sort=False)
            return self.fids[idx], self.boxes[idx]
        b = self.boxes
        hit = (b[:, 2] >= x0) & (b[:, 0] <= x1) & (b[:, 3] >= y0) & (b[:, 1] <= y1)
        if hit.all():
            return self.fids, self.boxes
        return self.fids[hit], self.boxes[hit]


_box_indexes: dict = {}
_box_lock = threading.Lock()
#: Box indexes kept (of the most recently used tables).
MAX_BOX_INDEXES = 4


def box_index(ft: FileTable, cancel=None) -> BoxIndex:
    """The :class:`BoxIndex` of a file table (built on first use, on the caller's thread);
    a source of another kind answers with its own."""
    if not isinstance(ft, FileTable):
        return ft.box_index(cancel)
    try:
        key = (ft.path, ft.table, Path(ft.path).stat().st_mtime_ns)
    except OSError:
        key = (ft.path, ft.table, None)
    with _box_lock:
        got = _box_indexes.pop(key, None)
        if got is not None:
            _box_indexes[key] = got    # most recently used last
            return got
    fids, boxes = _source.read_boxes(ft, (-np.inf, -np.inf, np.inf, np.inf), sort=False, cancel=cancel)
    got = BoxIndex(fids, boxes)
    with _box_lock:
        _box_indexes[key] = got
        while len(_box_indexes) > MAX_BOX_INDEXES:
            _box_indexes.pop(next(iter(_box_indexes)))
    return got


