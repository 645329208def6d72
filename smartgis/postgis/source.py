"""Reading a layer of a team project straight from its server table, window by window (no Qt).

The counterpart of :mod:`smartgis.project.source` for layers that live in a PostGIS
schema: like QGIS's postgres provider, a :class:`ServerTable` asks the server for just
what a view needs — the boxes of the features meeting a rectangle and their
geometries (``geom && ST_MakeEnvelope(…)``, answered from the table's GiST index, sent
as WKB through a binary cursor and decoded in bulk), some attribute rows, one column —
so that the first frame of a million-building layer does not wait for the layer to
load, and a layer of at least :data:`STREAM_ROWS` rows is never loaded just to be
drawn.

A :class:`ServerTable` offers the reads of a :class:`~smartgis.project.source.FileTable`
as methods of the same names (the renderer calls them through
:mod:`smartgis.render.filesource`).  What it reads is the table as it is now: a
colleague's saved edits show in the next frame.  Nothing read here becomes a *base*
of a save (see :mod:`smartgis.postgis.state`): a layer drawn this way and never
loaded has no local edits, and the rows of a layer edited later are read, with their
versions, when the edit loads it.
"""

from __future__ import annotations

import threading
import weakref

import numpy as np
import shapely
from psycopg import sql

from smartgis.core.gil import share_gil
from smartgis.geometry.wkb import laid_end_to_end, polygon_rings, u32
from smartgis.postgis import ddl
from smartgis.postgis.rows import _from_server

#: Layers of at least this many rows are streamed: the map never loads them, each view
#: asks the server for its window (a million buildings would take ~5 s and ~1 GB to
#: load; a window of 20,000 of them comes in ~0.1 s).  Smaller layers are drawn from
#: the server until they are loaded in the background, like layers in a project file.
STREAM_ROWS = 200_000

#: Rows fetched and decoded per step (cancel is checked, the GIL shared, between steps).
FETCH = 20_000

#: A window expected to hold at most this many features is read with its geometries
#: in one query (most of them are then drawn as shapes); a larger one reads its boxes
#: first and sends only the geometries of features large enough to be drawn as shapes.
WINDOW_READ_MAX = 100_000

#: A window whose share of the layer's extent would hold more features than this
#: reads the boxes of the whole layer once (kept in memory) instead of asking the
#: server for the boxes of every view.
WINDOW_BOXES_MAX = 300_000


class _Never:
    @staticmethod
    def check() -> None:
        share_gil()


_NEVER = _Never()


class ServerReader:
    """One connection to a project's server, shared by the layers of one opened project
    and by the render threads (queries take turns).

    The connection is opened on first use, in autocommit (each read sees the table as
    saved now), and reopened once when the server dropped it.
    """

    def __init__(self, state):
        #: the project's :class:`~smartgis.postgis.state.TeamState` (URL, and the
        #: password the window asked for, read when connecting)
        self._state = state
        self._conn = None
        self._lock = threading.Lock()
        #: Rows received from the server by the reads of this reader (the tests and the
        #: benchmark count them).
        self.rows_fetched = 0
        weakref.finalize(self, ServerReader._close_conn, self.__dict__)

    @staticmethod
    def _close_conn(d: dict) -> None:
        conn = d.get("_conn")
        if conn is not None:
            try:
                conn.close()
            except Exception:  # noqa: BLE001 - closing at exit: nothing to report
                pass

    def close(self) -> None:
        with self._lock:
            ServerReader._close_conn(self.__dict__)
            self._conn = None

    def adopt(self, conn) -> None:
        """Read through ``conn`` (an idle autocommit connection to the project's
        database, such as the one the project was opened with)."""
        with self._lock:
            self._drop()
            self._conn = conn

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # noqa: BLE001 - a connection being thrown away
                pass

    def _connection(self):
        from smartgis.postgis.connect import connect
        if self._conn is None or self._conn.closed:
            self._conn = connect(self._state.url, self._state.password, autocommit=True)
        return self._conn

    def _read(self, read):
        """``read(connection)`` on the shared connection, taking turns with the other
        threads.  A connection the server dropped (restart, idle timeout) is replaced
        and the read tried once more; server errors become one-line messages."""
        import psycopg

        from smartgis.postgis.connect import server_error
        with self._lock:
            for attempt in (0, 1):
                try:
                    return read(self._connection())
                except psycopg.OperationalError as exc:
                    self._conn = None
                    if attempt:
                        raise server_error(exc, self._state.url) from None
                except psycopg.Error as exc:
                    raise server_error(exc, self._state.url) from None

    def run(self, query, params=(), each=None, cancel=None) -> list:
        """Rows of ``query`` (a binary cursor), fetched :data:`FETCH` at a time; ``each``
        turns a list of rows into the part kept (default: the rows)."""
        cancel = cancel or _NEVER

        def read(conn) -> list:
            parts = []
            with conn.cursor(binary=True) as cur:
                cur.execute(query, params)
                while True:
                    cancel.check()
                    rows = cur.fetchmany(FETCH)
                    if not rows:
                        break
                    self.rows_fetched += len(rows)
                    parts.append(each(rows) if each is not None else rows)
            return parts
        return self._read(read)

    def copy_out(self, query, params=(), cancel=None) -> bytes:
        """The bytes of ``COPY (query) TO STDOUT (FORMAT BINARY)``."""
        cancel = cancel or _NEVER
        stmt = sql.SQL("COPY ({}) TO STDOUT (FORMAT BINARY)").format(query)

        def read(conn) -> bytes:
            chunks = []
            try:
                with conn.cursor() as cur, cur.copy(stmt, params or None) as cp:
                    for n, data in enumerate(cp):
                        chunks.append(bytes(data))
                        if n % 64 == 0:
                            cancel.check()
            except BaseException:
                # a COPY left half-read (a cancelled render): the connection is dropped
                self._drop()
                raise
            return b"".join(chunks)
        return self._read(read)


#: One row of a binary COPY of ``(fid int8, xmin, ymin, xmax, ymax float8)``.
_BOX_ROW = np.dtype([("n", ">i2"), ("l0", ">i4"), ("fid", ">i8"), ("l1", ">i4"), ("x0", ">f8"), ("l2", ">i4"),
                     ("y0", ">f8"), ("l3", ">i4"), ("x1", ">f8"), ("l4", ">i4"), ("y1", ">f8")])
#: Signature, flags and header-extension length of a binary COPY.
_COPY_HEAD = 11 + 4 + 4


def _parse_boxes(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """``(fids, boxes)`` from a binary COPY of fixed-width box rows (read with numpy:
    a million rows in a few milliseconds where a cursor hands Python a tuple a row)."""
    ext = int.from_bytes(data[15:19], "big") if len(data) >= _COPY_HEAD else 0
    body = data[_COPY_HEAD + ext:-2]        # the trailer is a field count of -1
    if not body:
        return np.empty(0, np.int64), np.empty((0, 4))
    rows = np.frombuffer(body, dtype=_BOX_ROW)
    boxes = np.empty((len(rows), 4))
    boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3] = rows["x0"], rows["y0"], rows["x1"], rows["y1"]
    return rows["fid"].astype(np.int64), boxes


def _meets(boxes: np.ndarray, rect) -> np.ndarray:
    """Which exact boxes meet ``rect`` (the GiST's boxes are rounded outwards to float4:
    ``&&`` also passes features a hair outside)."""
    x0, y0, x1, y1 = (float(v) for v in rect)
    return (boxes[:, 2] >= x0) & (boxes[:, 0] <= x1) & (boxes[:, 3] >= y0) & (boxes[:, 1] <= y1)


def _meeting(fids: np.ndarray, boxes: np.ndarray, rect) -> tuple[np.ndarray, np.ndarray]:
    keep = _meets(boxes, rect)
    return (fids, boxes) if keep.all() else (fids[keep], boxes[keep])


class ServerTable:
    """A layer's table on the server, read as the renderer and identify need it.

    Attributes
    ----------
    schema, table : str
    srid : int
        The SRID of the table's ``geom`` column (envelopes are built in it).
    crs : str
        The layer's CRS (the renderer draws from here only in the project's CRS).
    feature_count : int
        Rows when the project was opened (decides streaming).
    extent : tuple or None
    """

    #: The renderer reads from a source only when it has a spatial index: the GiST.
    rtree = "gist"

    def __init__(self, reader: ServerReader, schema: str, table: str, srid: int, crs: str | None,
                 feature_count: int, extent=None):
        self.reader = reader
        self.schema = schema
        self.table = table
        self.srid = int(srid or 0)
        self.crs = crs
        self.feature_count = int(feature_count)
        self.extent = tuple(extent) if extent else None
        self._boxes = None
        self._window = None
        self._boxes_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"ServerTable({self.schema!r}, {self.table!r})"

    # -- what the renderer asks -----------------------------------------------------------
    @property
    def stream_features(self) -> int:
        """From this many features on, a layer read from here is streamed, never loaded."""
        return STREAM_ROWS

    def _t(self):
        return sql.Identifier(self.schema, self.table)

    def _envelope(self, rect) -> tuple[sql.Composable, tuple]:
        x0, y0, x1, y1 = (float(v) for v in rect)
        if not np.isfinite([x0, y0, x1, y1]).any():
            return sql.SQL("TRUE"), ()         # the whole layer
        big = 1e30
        x0, y0, x1, y1 = max(x0, -big), max(y0, -big), min(x1, big), min(y1, big)
        return (sql.SQL("{g} && ST_MakeEnvelope(%s, %s, %s, %s, %s)").format(g=sql.Identifier(ddl.GEOM)),
                (x0, y0, x1, y1, self.srid))

    def read_boxes(self, rect, sort: bool = True, cancel=None) -> tuple[np.ndarray, np.ndarray]:
        """``(fids, bounds (n, 4))`` of the features whose boxes meet ``rect`` (the GiST
        answers), in fid order with ``sort``.

        A window expected to hold at most :data:`WINDOW_READ_MAX` features is read with
        its geometries (:meth:`read_window`), which the view's next read takes."""
        if np.isfinite(np.asarray(rect, dtype=float)).all() and self.expected(rect) <= WINDOW_READ_MAX:
            return self.read_window(rect, cancel)
        where, params = self._envelope(rect)
        q = sql.SQL("SELECT {f}, ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM "
                    "(SELECT {f}, {g}::box2d AS b FROM {t} WHERE {w}) s WHERE b IS NOT NULL{o}").format(
            f=sql.Identifier(ddl.FID), g=sql.Identifier(ddl.GEOM), t=self._t(), w=where,
            o=sql.SQL(" ORDER BY 1") if sort else sql.SQL(""))
        data = self.reader.copy_out(q, params, cancel)
        fids, boxes = _parse_boxes(data)
        self.reader.rows_fetched += len(fids)
        return _meeting(fids, boxes, rect)

    def read_window(self, rect, cancel=None) -> tuple[np.ndarray, np.ndarray]:
        """``(fids, boxes)`` of the features meeting ``rect``, in fid order — read in one
        query with their geometries, which the next read of the same window takes
        (a view asks for its boxes, then for the geometries of those not drawn as
        pixels: one pass through the index instead of two)."""
        where, params = self._envelope(rect)
        q = sql.SQL("SELECT {f}, ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b), ST_AsBinary({g}) FROM "
                    "(SELECT {f}, {g}, {g}::box2d AS b FROM {t} WHERE {w}) s WHERE b IS NOT NULL ORDER BY 1").format(
            f=sql.Identifier(ddl.FID), g=sql.Identifier(ddl.GEOM), t=self._t(), w=where)
        fid_parts, box_parts, blobs = [], [], []

        def take(rows):
            cols = list(zip(*rows))
            fid_parts.append(np.asarray(cols[0], dtype=np.int64))
            box_parts.append(np.column_stack([np.asarray(c, dtype=np.float64) for c in cols[1:5]]))
            blobs.extend(cols[5])
        self.reader.run(q, params, each=take, cancel=cancel)
        fids = np.concatenate(fid_parts) if fid_parts else np.empty(0, np.int64)
        boxes = np.concatenate(box_parts) if box_parts else np.empty((0, 4))
        keep = _meets(boxes, rect)
        if not keep.all():
            fids, boxes, blobs = fids[keep], boxes[keep], [b for b, k in zip(blobs, keep.tolist()) if k]
        with self._boxes_lock:
            self._window = (tuple(float(v) for v in rect), fids, boxes, blobs)
        return fids, boxes

    def _take_window(self, rect, keep: bool = False):
        """The window :meth:`read_window` read last, when it is ``rect`` (taken once,
        unless ``keep``)."""
        key = tuple(float(v) for v in rect)
        with self._boxes_lock:
            got = self._window
            if got is None or got[0] != key:
                return None
            if not keep:
                self._window = None
        return got[1:]

    def expected(self, rect) -> float:
        """How many features ``rect`` holds if they spread evenly over the layer's extent."""
        if not self.extent:
            return float(self.feature_count)
        ex0, ey0, ex1, ey1 = self.extent
        x0, y0, x1, y1 = (float(v) for v in rect)
        w, h = max(ex1 - ex0, 1e-9), max(ey1 - ey0, 1e-9)
        share = max(0.0, min(x1, ex1) - max(x0, ex0)) * max(0.0, min(y1, ey1) - max(y0, ey0)) / (w * h)
        return share * self.feature_count

    def box_index(self, cancel=None) -> "WindowBoxes":
        """What a streamed layer asks for the boxes of each view (see :class:`WindowBoxes`)."""
        return WindowBoxes(self, cancel)

    def _window_query(self, rect, min_size: float):
        where, params = self._envelope(rect)
        q = sql.SQL("SELECT {f}, ST_AsBinary({g}) FROM {t} WHERE {w}").format(
            f=sql.Identifier(ddl.FID), g=sql.Identifier(ddl.GEOM), t=self._t(), w=where)
        if min_size > 0:
            # what is smaller than a pixel is drawn from its box: its geometry is not sent
            q = q + sql.SQL(" AND (ST_XMax({g}) - ST_XMin({g}) >= %s OR ST_YMax({g}) - ST_YMin({g}) >= %s)").format(
                g=sql.Identifier(ddl.GEOM))
            params = params + (float(min_size), float(min_size))
        q = q + sql.SQL(" ORDER BY {f}").format(f=sql.Identifier(ddl.FID))
        return q, params

    def _window_blobs(self, rect, min_size: float, cancel, keep: bool = False) -> tuple[np.ndarray, list]:
        got = self._take_window(rect, keep)
        if got is not None:
            fids, boxes, blobs = got
            keep = np.flatnonzero((boxes[:, 2] - boxes[:, 0] >= min_size) | (boxes[:, 3] - boxes[:, 1] >= min_size))
            return fids[keep], [blobs[i] for i in keep.tolist()]
        q, params = self._window_query(rect, min_size)
        fid_parts, blobs = [], []

        def take(rows):
            f, b = zip(*rows)
            fid_parts.append(np.asarray(f, dtype=np.int64))
            blobs.extend(b)
        self.reader.run(q, params, each=take, cancel=cancel)
        fids = np.concatenate(fid_parts) if fid_parts else np.empty(0, np.int64)
        return fids, blobs

    def read_window_geometries(self, rect, min_size: float = 0.0, cancel=None) -> tuple[np.ndarray, np.ndarray]:
        """``(fids, geometries)`` of the features meeting ``rect`` that are at least
        ``min_size`` wide or high, in fid order."""
        fids, blobs = self._window_blobs(rect, min_size, cancel)
        arr = np.empty(len(blobs), dtype=object)
        arr[:] = [None if b is None else bytes(b) for b in blobs]
        return fids, shapely.from_wkb(arr, on_invalid="warn")

    def read_window_rings(self, rect, min_size: float = 0.0, cancel=None):
        """``(fids, x, y, offsets)`` of :meth:`read_window_geometries` as single rings,
        taken from the WKB without GEOS — or None when a feature is not a one-ring polygon."""
        # the window stays for read_window_geometries when its features are not all simple rings
        fids, blobs = self._window_blobs(rect, min_size, cancel, keep=True)
        got = polygon_rings_of_wkb(blobs)
        if got is None:
            return None
        self._take_window(rect)
        x, y, offsets = got
        return fids, x, y, offsets

    def read_geometries(self, fids, cancel=None) -> np.ndarray:
        """Geometries of the given fids, in that order (None for fids not there)."""
        fids = np.asarray(fids, dtype=np.int64)
        if not len(fids):
            return np.empty(0, dtype=object)
        want, inverse = np.unique(fids, return_inverse=True)
        out = np.full(len(want), None, dtype=object)
        with self._boxes_lock:
            last = self._window
        if last is not None and len(last[1]):
            # the features of the window just read (a view drawing few of them as shapes)
            pos = np.clip(np.searchsorted(last[1], want), 0, len(last[1]) - 1)
            if (last[1][pos] == want).all():
                blobs = last[3]
                arr = np.empty(len(want), dtype=object)
                arr[:] = [None if blobs[i] is None else bytes(blobs[i]) for i in pos.tolist()]
                with self._boxes_lock:
                    self._window = None
                return shapely.from_wkb(arr, on_invalid="warn")[inverse]
        q = sql.SQL("SELECT {f}, ST_AsBinary({g}) FROM {t} WHERE {f} = ANY(%s)").format(
            f=sql.Identifier(ddl.FID), g=sql.Identifier(ddl.GEOM), t=self._t())
        for a in range(0, len(want), 50_000):
            for rows in self.reader.run(q, (want[a:a + 50_000].tolist(),), cancel=cancel):
                f, b = zip(*rows)
                arr = np.empty(len(b), dtype=object)
                arr[:] = [None if v is None else bytes(v) for v in b]
                out[np.searchsorted(want, np.asarray(f, dtype=np.int64))] = shapely.from_wkb(arr, on_invalid="warn")
        return out[inverse]

    # -- rows and columns ------------------------------------------------------------------
    def read_rows(self, fids, fields) -> list[dict]:
        """Attribute rows (dicts) of the given fids, in that order (missing fids give {})."""
        fids = [int(f) for f in fids]
        if not fids:
            return []
        names = [f.name for f in fields]
        q = sql.SQL("SELECT {} FROM {} WHERE {} = ANY(%s)").format(
            sql.SQL(", ").join([sql.Identifier(ddl.FID)] + [sql.Identifier(n) for n in names]), self._t(),
            sql.Identifier(ddl.FID))
        by_fid = {}
        for rows in self.reader.run(q, (fids,)):
            for r in rows:
                by_fid[r[0]] = {f.name: _from_server([v], f)[0] for f, v in zip(fields, r[1:])}
        return [by_fid.get(f, {}) for f in fids]

    def read_column(self, name: str, cancel=None) -> tuple[np.ndarray, np.ndarray]:
        """``(fids, values)`` of one attribute column in fid order (numbers as float64,
        NULL as NaN; a column of text as objects)."""
        q = sql.SQL("SELECT {f}, {c} FROM {t} ORDER BY {f}").format(
            f=sql.Identifier(ddl.FID), c=sql.Identifier(name), t=self._t())
        fid_parts, parts = [], []

        def take(rows):
            f, v = zip(*rows)
            fid_parts.append(np.asarray(f, dtype=np.int64))
            col = np.empty(len(v), dtype=object)
            col[:] = v
            parts.append(col)
        self.reader.run(q, (), each=take, cancel=cancel)
        if not parts:
            return np.empty(0, np.int64), np.empty(0, np.float64)
        values = np.concatenate(parts)
        if all(v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in values.tolist()):
            values = np.array([np.nan if v is None else v for v in values.tolist()], dtype=np.float64)
        return np.concatenate(fid_parts), values


class WindowBoxes:
    """The boxes of a streamed server layer, as the renderer's box index answers them.

    A view holding a small share of the layer asks the server for its window's boxes
    (the GiST answers in milliseconds); a view over most of the layer reads the boxes
    of the whole layer once and keeps them (40 bytes a feature) for the next ones.
    """

    def __init__(self, table: ServerTable, cancel=None):
        self.table = table
        self.cancel = cancel


    def query(self, rect) -> tuple[np.ndarray, np.ndarray]:
        """``(fids, boxes)`` meeting ``rect``."""
        t = self.table
        with t._boxes_lock:
            whole = t._boxes
        if whole is None and t.expected(rect) > WINDOW_BOXES_MAX:
            fids, boxes = t.read_boxes((-np.inf, -np.inf, np.inf, np.inf), sort=False, cancel=self.cancel)
            whole = (fids, boxes)
            with t._boxes_lock:
                t._boxes = whole
        if whole is not None:
            return _meeting(whole[0], whole[1], rect)
        return t.read_boxes(rect, sort=False, cancel=self.cancel)


def polygon_rings_of_wkb(blobs) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """``(x, y, offsets)`` of the single ring of every WKB blob (a little-endian 2D
    Polygon, or MultiPolygon of one such polygon), or None when any blob is not one.

    Ring ``i`` is ``x[offsets[i]:offsets[i + 1]]``.
    """
    laid = laid_end_to_end(blobs)
    if laid is None:
        return None
    buf, starts, lens = laid
    if (lens < 13).any():
        return None
    if (buf[starts] != 1).any():
        return None                                           # big-endian
    # a MultiPolygon of one polygon: its polygon's WKB follows the count, 9 bytes in
    at = starts.copy()
    multi = np.flatnonzero(u32(buf, starts + 1) == 6)
    if len(multi):
        if (u32(buf, starts[multi] + 5) != 1).any():
            return None                                       # not exactly one polygon
        at[multi] += 9
    return polygon_rings(buf, at, starts + lens - at)


__all__ = ["ServerReader", "ServerTable", "WindowBoxes", "polygon_rings_of_wkb", "STREAM_ROWS", "WINDOW_READ_MAX",
           "WINDOW_BOXES_MAX"]
