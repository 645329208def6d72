"""Where a layer's rows live, and reading them straight from there (no Qt).

A layer of a saved project (or of an import not yet saved) keeps its data in a
GeoPackage table until something loads it: :func:`file_table` names that table (the
project file's, or the staging file's) as a :class:`FileTable`.  Like a QGIS data
provider, this module asks the table for just what is needed — the boxes of the
features in a rectangle (through the table's R-tree), the geometries of some
features or of a window, the attributes of some rows, one column — so that the first
frame of a freshly opened million-feature project, identifying a feature in it, and
counting the people of a province's buildings do not wait for the whole layer to load.

``cancel`` arguments take any object with a ``check()`` method (the renderer's
cancel token); long reads also hand the GIL to the window's thread between steps.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

from smartgis.core.gil import share_gil
from smartgis.project import gpkg
from smartgis.project.names import quote_ident as q


class _Never:
    """A cancel token nobody cancels."""

    @staticmethod
    def check() -> None:
        share_gil()


_NEVER = _Never()


@dataclass(frozen=True)
class FileTable:
    """Where the current data of a layer sits."""

    path: str
    table: str
    fid: str
    geom: str
    rtree: str | None
    srs_id: int | None
    crs: str | None = None


def file_table(layer, project=None) -> FileTable | None:
    """The GeoPackage table holding exactly the layer's current data, or None.

    That is the project file's table of a layer not changed since it was opened or
    saved, or the staging table of a layer imported and not changed since.
    """
    if getattr(layer, "dirty", False):
        return None
    staged = getattr(layer, "staged", None)
    path = table = None
    if staged is not None:
        try:
            if staged.usable_for(layer):
                path, table = str(staged.path), staged.table
        except Exception:  # noqa: BLE001 - an odd staging object: read nothing from it
            path = None
    if path is None and project is not None and project.base_path is not None and layer.table_name \
            and getattr(layer, "version", 0) == 0:
        path, table = str(project.base_path), layer.table_name
    if path is None or not Path(path).exists():
        return None
    return _describe(path, table)


_described: dict = {}


def _describe(path: str, table: str) -> FileTable | None:
    try:
        mtime = Path(path).stat().st_mtime_ns
    except OSError:
        return None
    key = (path, table, mtime)
    if key in _described:
        return _described[key]
    conn = gpkg.connect(path, readonly=True)
    try:
        pk, geom, _ = gpkg.table_columns(conn, table)
        if geom is None:
            return None
        rtree = f"rtree_{table}_{geom}"
        if not gpkg.table_exists(conn, rtree):
            rtree = None
        row = conn.execute("SELECT srs_id FROM gpkg_geometry_columns WHERE lower(table_name)=lower(?)",
                           (table,)).fetchone()
        srs_id = int(row[0]) if row else None
        crs = gpkg.srs_definition(conn, srs_id) if srs_id is not None else None
        ft = FileTable(path, table, pk, geom, rtree, srs_id, crs)
    except (sqlite3.Error, gpkg.DamagedProjectError):
        ft = None
    finally:
        conn.close()
    _described[key] = ft
    return ft


def read_boxes(ft: FileTable, rect, sort: bool = True, cancel=None) -> tuple[np.ndarray, np.ndarray]:
    """``(fids, bounds (n, 4))`` of the features whose boxes meet ``rect``, from the R-tree.

    Box coordinates are the R-tree's (rounded outwards to float32).  With ``sort``
    the features come in fid order (the file's drawing order), else in tree order.
    ``cancel`` is checked as the
    tree is read.
    """
    x0, y0, x1, y1 = (float(v) for v in rect)
    conn = gpkg.connect(ft.path, readonly=True)
    try:
        got = _walk_rtree(conn, ft.rtree, (x0, y0, x1, y1), cancel)
        if got is None:
            rows = conn.execute(f"SELECT id, minx, miny, maxx, maxy FROM {q(ft.rtree)} "
                                "WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?",
                                (x0, x1, y0, y1)).fetchall()
            a = np.array(rows, dtype=np.float64).reshape(-1, 5)
            got = (a[:, 0].astype(np.int64), a[:, 1:5])
    finally:
        conn.close()
    ids, boxes = got
    if sort:
        order = np.argsort(ids, kind="stable")
        ids, boxes = ids[order], boxes[order]
    return ids, boxes


_CELL = np.dtype([("id", ">i8"), ("minx", ">f4"), ("maxx", ">f4"), ("miny", ">f4"), ("maxy", ">f4")])
_CELL_NATIVE = np.dtype([("id", "<i8"), ("minx", "<f4"), ("maxx", "<f4"), ("miny", "<f4"), ("maxy", "<f4")])


#: R-tree nodes read and searched per step (a few hundred kB of blobs).
NODES_PER_STEP = 256


def _walk_rtree(conn, rtree: str, rect, cancel=None):
    """Search an SQLite R*Tree by reading its node blobs with numpy.

    Going through the virtual table hands Python one tuple per feature (a second for
    a million); the nodes are a few thousand blobs in SQLite's documented layout —
    a 2-byte depth (root only), a 2-byte cell count, then cells of an 8-byte id and
    four 4-byte floats, all big-endian — searched level by level here, in steps of
    :data:`NODES_PER_STEP` nodes with ``cancel`` checked between them.  Returns None
    when the tree is not laid out that way (then the caller asks SQLite).
    """
    cancel = cancel or _NEVER
    node_table = q(rtree + "_node")
    try:
        root = conn.execute(f"SELECT data FROM {node_table} WHERE nodeno = 1").fetchone()
    except sqlite3.Error:
        return None
    if root is None or len(root[0]) < 4:
        return None
    size = len(root[0])
    cap = (size - 4) // _CELL.itemsize
    depth = int.from_bytes(root[0][0:2], "big")
    if depth > 40 or cap < 2:
        return None
    found = _cells(np.frombuffer(root[0], dtype=np.uint8).reshape(1, size), cap, rect)
    # a step's nodes come as one concatenated blob (no row per node to hand to Python)
    # where SQLite passes blobs through group_concat unchanged: in UTF-8 files
    joined = conn.execute("PRAGMA encoding").fetchone()[0] == "UTF-8"
    for _level in range(depth - 1, -1, -1):
        if found is None:
            return None
        children = _unique(found[0])
        ids_parts, box_parts = [], []
        for a in range(0, len(children), NODES_PER_STEP):
            cancel.check()
            nodes = _node_rows(conn, node_table, children[a:a + NODES_PER_STEP], size, joined)
            got = None if nodes is None else _cells(nodes, cap, rect)
            if got is None:
                return None
            ids_parts.append(got[0])
            box_parts.append(got[1])
        if not ids_parts:
            found = (np.empty(0, np.int64), np.empty((0, 4), np.float32))
        elif len(ids_parts) == 1:
            found = (ids_parts[0], box_parts[0])
        else:
            found = (np.concatenate(ids_parts), np.concatenate(box_parts))
    if found is None:
        return None
    ids, f = found
    boxes = np.empty((len(ids), 4))
    boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3] = f[:, 0], f[:, 2], f[:, 1], f[:, 3]
    return ids, boxes


def _cells(nodes: np.ndarray, cap: int, rect):
    """The cells of R-tree nodes (rows of a uint8 array) whose boxes meet ``rect``:
    ``(ids int64, boxes float32 (n, 4) as minx, maxx, miny, maxy)`` in native byte
    order, or None when a node holds more cells than it can."""
    x0, y0, x1, y1 = rect
    counts = (nodes[:, 2].astype(np.int64) << 8) | nodes[:, 3]
    if (counts > cap).any():
        return None
    cell = _CELL.itemsize
    raw = nodes[:, 4:4 + cap * cell].reshape(len(nodes) * cap, cell)
    used = (np.arange(cap)[None, :] < counts[:, None]).ravel()
    raw = raw if used.all() else raw[used]
    # one contiguous byte-swapping pass per column kind, no structured arrays
    f = np.ascontiguousarray(raw[:, 8:]).view(">f4").astype(np.float32)
    hit = (f[:, 1] >= x0) & (f[:, 0] <= x1) & (f[:, 3] >= y0) & (f[:, 2] <= y1)
    if not hit.all():
        raw, f = raw[hit], f[hit]
    ids = np.ascontiguousarray(raw[:, :8]).view(">i8").astype(np.int64).ravel()
    return ids, f


def _unique(a: np.ndarray) -> np.ndarray:
    """Sorted distinct values of an integer array (``np.unique`` without its generality:
    a sort and a comparison; its first call in a process also imports ``numpy.ma``)."""
    s = np.sort(a)
    if len(s) < 2:
        return s
    keep = np.empty(len(s), dtype=bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]


def _node_rows(conn, node_table: str, nodenos: np.ndarray, size: int, joined: bool):
    """The blobs of R-tree nodes ``nodenos`` as rows of a uint8 array (``size`` bytes
    each), or None when a node is missing or of another size."""
    nodenos = _unique(nodenos)
    lo, hi = int(nodenos[0]), int(nodenos[-1])
    if hi - lo + 1 <= 2 * len(nodenos):
        # a dense range (always, for a packed tree): one range scan
        if joined:
            factory = conn.text_factory
            conn.text_factory = bytes
            try:
                numbers, data, count = conn.execute(
                    f"SELECT group_concat(nodeno), group_concat(data, ''), count(*) FROM {node_table} "
                    "WHERE nodeno BETWEEN ? AND ?", (lo, hi)).fetchone()
            finally:
                conn.text_factory = factory
            if not count or data is None or len(data) != count * size:
                return None
            got = np.fromstring(numbers, dtype=np.int64, sep=",")
            nodes = np.frombuffer(data, dtype=np.uint8).reshape(count, size)
            if len(got) != count:
                return None
            if count != len(nodenos):
                # nodes of other levels in the range: keep the wanted ones (both sorted)
                pos = np.minimum(np.searchsorted(nodenos, got), len(nodenos) - 1)
                nodes = nodes[nodenos[pos] == got]
            return nodes if len(nodes) == len(nodenos) else None
        cur = conn.execute(f"SELECT nodeno, data FROM {node_table} WHERE nodeno BETWEEN ? AND ?", (lo, hi))
        rows = gpkg.fetch_rows(cur, hi - lo + 1)
        want = set(nodenos.tolist())
        rows = [r for r in rows if r[0] in want]
    else:
        rows = []
        ids = nodenos.tolist()
        for a in range(0, len(ids), 500):
            part = ids[a:a + 500]
            cur = conn.execute(f"SELECT nodeno, data FROM {node_table} WHERE nodeno IN ({','.join('?' * len(part))})",
                               part)
            rows += gpkg.fetch_rows(cur, len(part))
    if len(rows) != len(nodenos):
        return None
    buf = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.uint8)
    if len(buf) != len(rows) * size:
        return None   # nodes of unequal size: not the layout assumed here
    return buf.reshape(len(rows), size)


#: Features read and decoded per query by :func:`read_geometries`.
FETCH_CHUNK = 5000


def read_geometries(ft: FileTable, fids: np.ndarray, cancel=None) -> np.ndarray:
    """Shapely geometries of the given fids (in that order; None for missing fids).

    Read in chunks of :data:`FETCH_CHUNK` fids, ``cancel``
    checked between them — which also
    lets the window's thread take the GIL (sqlite gives it up for every row, too
    briefly for a waiting thread to take it).
    """
    cancel = cancel or _NEVER
    fids = np.asarray(fids, dtype=np.int64)
    if not len(fids):
        return np.empty(0, dtype=object)
    want, inverse = np.unique(fids, return_inverse=True)
    out = np.full(len(want), None, dtype=object)
    select = f"SELECT {q(ft.fid)}, {gpkg.wkb_sql(ft.geom)} FROM {q(ft.table)} WHERE {q(ft.fid)} IN "
    conn = gpkg.connect(ft.path, readonly=True)
    try:
        for a in range(0, len(want), FETCH_CHUNK):
            cancel.check()
            rows = _rows_of(conn, select, want[a:a + FETCH_CHUNK])
            got, geoms = gpkg.decode_rows(rows)
            if len(got):
                out[np.searchsorted(want, got)] = geoms
    finally:
        conn.close()
    return out[inverse]


def read_window_geometries(ft: FileTable, rect, min_size: float = 0.0, cancel=None) -> tuple[np.ndarray, np.ndarray]:
    """``(fids, geometries)`` of the features whose R-tree boxes meet ``rect`` and are
    at least ``min_size`` wide or high, in fid order — one statement joining the
    R-tree to the table.

    When most features of a window are to be drawn, this reads each row once, where
    asking for a list of fids makes SQLite parse the list and search the table's
    B-tree for each; smaller boxes are answered from the R-tree alone (their blob is
    never copied).
    """
    cancel = cancel or _NEVER
    x0, y0, x1, y1 = (float(v) for v in rect)
    sql = _window_sql(ft)
    conn = gpkg.connect(ft.path, readonly=True)
    fid_parts, geom_parts = [], []
    # tens of thousands of rows become objects: no collector passes over them meanwhile
    try:
        with gpkg.many_lasting_objects():
            cur = conn.execute(sql, (x0, x1, y0, y1, float(min_size), float(min_size)))
            while True:
                cancel.check()
                rows = gpkg.fetch_rows(cur, FETCH_CHUNK)
                if not rows:
                    break
                fids, blobs = zip(*rows)
                arr = np.empty(len(blobs), dtype=object)
                arr[:] = blobs
                fid_parts.append(np.asarray(fids, dtype=np.int64))
                geom_parts.append(shapely.from_wkb(gpkg.strip_headers(arr), on_invalid="warn"))
    finally:
        conn.close()
    if not fid_parts:
        return np.empty(0, np.int64), np.empty(0, dtype=object)
    fids, geoms = np.concatenate(fid_parts), np.concatenate(geom_parts)
    order = np.argsort(fids, kind="stable")
    return fids[order], geoms[order]


def _rows_of(conn, select: str, fids: np.ndarray) -> list:
    """Rows of ``select`` + a list of fids (one parameter: a JSON array when SQLite
    has JSON, else one parameter per fid, in slices SQLite accepts)."""
    try:
        cur = conn.execute(select + "(SELECT value FROM json_each(?))", (json.dumps(fids.tolist()),))
    except sqlite3.OperationalError:
        rows = []
        ids = fids.tolist()
        for a in range(0, len(ids), 500):
            part = ids[a:a + 500]
            rows += gpkg.fetch_rows(conn.execute(select + f"({','.join('?' * len(part))})", part), len(part))
        return rows
    return gpkg.fetch_rows(cur, len(fids))


def read_window_rings(ft: FileTable, rect, min_size: float = 0.0, cancel=None, lines: bool = False):
    """``(fids, x, y, offsets)``: the features of :func:`read_window_geometries` (in
    fid order) as the vertices of their single ring, taken from the blobs without GEOS
    — or None when a feature of the window is not a simple one-ring polygon (then read
    geometries).

    One aggregate statement: SQLite concatenates the fids, the blob lengths, the
    blobs' heads and their vertices into four values, so Python handles four objects
    instead of a row per feature, and the vertices arrive as one float64 array
    (:func:`smartgis.geometry.wkb.split_polygon_rings`).
    """
    x0, y0, x1, y1 = (float(v) for v in rect)
    return _aggregate_rings(ft, f"{q(ft.rtree)} r JOIN {q(ft.table)} t ON t.{q(ft.fid)} = r.id "
                                "WHERE r.maxx >= ? AND r.minx <= ? AND r.maxy >= ? AND r.miny <= ? "
                                "AND (r.maxx - r.minx >= ? OR r.maxy - r.miny >= ?)",
                            (x0, x1, y0, y1, float(min_size), float(min_size)), "r.id", cancel, lines=lines)


def read_rings(ft: FileTable, fids, cancel=None, lines: bool = False):
    """``(fids, x, y, offsets)`` of the given features (in fid order; missing fids are
    left out) as :func:`read_window_rings` gives them, or None when one of them is not a
    simple one-ring polygon."""
    fids = _unique(np.asarray(fids, dtype=np.int64))
    if not len(fids):
        return np.empty(0, np.int64), np.empty(0), np.empty(0), np.zeros(1, np.int64)
    return _aggregate_rings(ft, f"{q(ft.table)} t WHERE t.{q(ft.fid)} IN (SELECT value FROM json_each(?))",
                            (json.dumps(fids.tolist()),), f"t.{q(ft.fid)}", cancel, lines=lines)


def read_table_rings(ft: FileTable, skip, cancel=None, lines: bool = False):
    """``(fids, x, y, offsets)`` of every feature of the table but those in ``skip``, as
    :func:`read_window_rings` gives them (None when one is not a simple one-ring
    polygon, or with ``lines`` a simple LineString).

    For a view that holds the whole layer: one scan of the table in file order instead
    of a look-up of every feature through the R-tree (a province's 200,000 roads:
    0.13-0.19 s instead of 0.25-0.27 s), and the rings come in fid order already.
    """
    skip = _unique(np.asarray(skip, dtype=np.int64))
    return _aggregate_rings(ft, f"{q(ft.table)} t WHERE t.{q(ft.fid)} NOT IN (SELECT value FROM json_each(?))",
                            (json.dumps(skip.tolist()),), f"t.{q(ft.fid)}", cancel, lines=lines)


def read_window_lines(ft: FileTable, rect, min_size: float = 0.0, cancel=None):
    """``(fids, x, y, offsets)``: the line strings of :func:`read_window_geometries` as
    their vertices, read as :func:`read_window_rings` reads rings (None when a feature
    of the window is not a simple 2D LineString)."""
    return read_window_rings(ft, rect, min_size, cancel, lines=True)


def read_lines(ft: FileTable, fids, cancel=None):
    """``(fids, x, y, offsets)`` of the given line strings, as :func:`read_rings` gives
    polygons (None when one is not a simple 2D LineString)."""
    return read_rings(ft, fids, cancel, lines=True)


def read_street_window(ft: FileTable, rect, min_size: float, cancel=None, ordered: bool = True):
    """``(all, rings)``: how many features' R-tree boxes meet ``rect``, and the rings of
    those at least ``min_size`` wide or high as :func:`read_window_rings` gives them
    (None when one is not a simple one-ring polygon) — one statement: the R-tree is
    searched once, and the table is read only for the large features.  With
    ``ordered=False`` the rings come in R-tree order, without fids."""
    x0, y0, x1, y1 = (float(v) for v in rect)
    counted = []
    rings = _aggregate_rings(
        ft, f"{q(ft.rtree)} r LEFT JOIN {q(ft.table)} t ON t.{q(ft.fid)} = r.id "
            "AND (r.maxx - r.minx >= ? OR r.maxy - r.miny >= ?) "
            "WHERE r.maxx >= ? AND r.minx <= ? AND r.maxy >= ? AND r.miny <= ?",
        (float(min_size), float(min_size), x0, x1, y0, y1), "r.id", cancel,
        present=f"t.{q(ft.fid)} IS NOT NULL", counted=counted, ordered=ordered)
    return (counted[0] if counted else 0), rings


def _aggregate_rings(ft: FileTable, source: str, params: tuple, fid: str, cancel, present: str | None = None,
                     counted: list | None = None, lines: bool = False, ordered: bool = True):
    """Rings of the rows of ``source`` in one aggregate statement.  With ``present``,
    only the rows where it holds are read (the others are only counted, into
    ``counted``).  With ``lines``, the rows are LineStrings and their vertices are read
    the same way.  With ``ordered=False`` the rings come in the order SQLite finds
    them and no fids are read (the fids returned are None).

    SQLite checks that every blob starts as the first one does (magic, version,
    flags: so one header length), and hands over three pieces per window: the WKB
    bytes before each blob's vertices, the vertices, and the sum of the blobs' lengths
    (:func:`smartgis.geometry.wkb.split_polygon_rings` checks the rest).
    """
    from smartgis.geometry.wkb import LINE_PREFIX, POLYGON_PREFIX, ranges, split_line_parts, split_polygon_rings
    cancel = cancel or _NEVER
    kind, split = (LINE_PREFIX, split_line_parts) if lines else (POLYGON_PREFIX, split_polygon_rings)
    conn = gpkg.connect(ft.path, readonly=True)
    try:
        first = _header_start(conn, ft)
        if first is None or conn.execute("PRAGMA encoding").fetchone()[0] != "UTF-8":
            return None                    # group_concat hands blobs over unchanged in UTF-8 files only
        head, start = first
        conn.text_factory = bytes          # the concatenated blobs are not text
        g, k = f"t.{q(ft.geom)}", kind[0]
        only = f" FILTER (WHERE {present})" if present else ""
        n_sql = f"count(*) FILTER (WHERE {present})" if present else "count(*)"
        ids = f"group_concat({fid}){only}" if ordered else "NULL"
        # the header's first bytes are compared as a blob literal (hex digits only)
        sql = (f"SELECT {ids}, group_concat(substr({g}, {head + 1}, {k}), ''), "
               f"group_concat(substr({g}, {head + k + 1}), ''), total(length({g})), {n_sql}, count({g}), count(*), "
               f"count({g}) FILTER (WHERE substr({g}, 1, 4) = X'{start.hex()}') FROM {source}")
        try:
            got = conn.execute(sql, params).fetchone()
        except sqlite3.OperationalError:
            return None                    # no FILTER (or no JSON functions) in this SQLite
    finally:
        conn.close()
    ids, starts, coords, total, n, n_geom, n_all, n_head = got
    if counted is not None:
        counted.append(int(n_all))
    cancel.check()
    if not n:
        return (np.empty(0, np.int64) if ordered else None), np.empty(0), np.empty(0), np.zeros(1, np.int64)
    if n_geom != n or n_head != n or starts is None or coords is None:
        return None                        # null geometries, or another header
    got = split(starts, coords, head, int(total))
    if got is None or len(got[2]) != n + 1:
        return None
    x, y, offsets = got
    if not ordered:
        return None, x, y, offsets
    fids = np.fromstring(ids, dtype=np.int64, sep=",")
    if len(fids) != n:
        return None
    order = np.argsort(fids, kind="stable")
    if (np.diff(order) != 1).any():
        lo, hi = offsets[:-1][order], offsets[1:][order]
        sel = ranges(lo, hi)
        x, y = x[sel], y[sel]
        offsets = np.concatenate([[0], np.cumsum(hi - lo)])
    return fids[order], x, y, offsets


def _header_start(conn, ft: FileTable) -> tuple[int, bytes] | None:
    """``(header length, first four bytes)`` of the table's first geometry (None: no
    usable one); the aggregate read checks every blob against it."""
    from smartgis.geometry.wkb import header_start
    row = conn.execute(f"SELECT substr({q(ft.geom)}, 1, 4) FROM {q(ft.table)} "
                       f"WHERE {q(ft.geom)} IS NOT NULL LIMIT 1").fetchone()
    if row is None or not isinstance(row[0], bytes):
        return None
    return header_start(row[0])


def count_window(ft: FileTable, rect, min_size: float = 0.0) -> tuple[int, int]:
    """``(all, large)``: how many features' R-tree boxes meet ``rect``, and how many of
    those are at least ``min_size`` wide or high — counted inside SQLite, no rows."""
    x0, y0, x1, y1 = (float(v) for v in rect)
    conn = gpkg.connect(ft.path, readonly=True)
    try:
        n, big = conn.execute(f"SELECT count(*), total(maxx - minx >= ? OR maxy - miny >= ?) FROM {q(ft.rtree)} "
                              "WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?",
                              (float(min_size), float(min_size), x0, x1, y0, y1)).fetchone()
    finally:
        conn.close()
    return int(n), int(big)


def _window_sql(ft: FileTable) -> str:
    return (f"SELECT r.id, t.{q(ft.geom)} FROM {q(ft.rtree)} r JOIN {q(ft.table)} t ON t.{q(ft.fid)} = r.id "
            "WHERE r.maxx >= ? AND r.minx <= ? AND r.maxy >= ? AND r.miny <= ? "
            "AND (r.maxx - r.minx >= ? OR r.maxy - r.miny >= ?)")


#: Rows per step of :func:`read_column` (a fid range).
COLUMN_STEP = 1_000_000


def read_column(ft: FileTable, name: str, cancel=None) -> tuple[np.ndarray, np.ndarray]:
    """``(fids, values)`` of one attribute column, in fid order.

    A numeric column (nulls allowed, as NaN) comes back as float64, read a million rows
    per statement as two comma-joined texts that numpy parses — ten times faster than a
    Python tuple per row; a column holding any text comes back as an object array of
    the values as SQLite gives them.
    """
    cancel = cancel or _NEVER
    conn = gpkg.connect(ft.path, readonly=True)
    try:
        lo, hi = conn.execute(f"SELECT min({q(ft.fid)}), max({q(ft.fid)}) FROM {q(ft.table)}").fetchone()
        if lo is None:
            return np.empty(0, np.int64), np.empty(0, np.float64)
        col = q(name)
        sql = (f"SELECT group_concat(f), group_concat(v), count(*) FROM (SELECT {q(ft.fid)} AS f, "
               f"CASE typeof({col}) WHEN 'integer' THEN {col} WHEN 'real' THEN {col} WHEN 'null' THEN 'nan' "
               f"ELSE NULL END AS v FROM {q(ft.table)} WHERE {q(ft.fid)} BETWEEN ? AND ? ORDER BY {q(ft.fid)})")
        fid_parts, parts = [], []
        for a in range(int(lo), int(hi) + 1, COLUMN_STEP):
            cancel.check()
            f, v, n = conn.execute(sql, (a, a + COLUMN_STEP - 1)).fetchone()
            if not n:
                continue
            # numpy parses the joined texts itself (no Python string per value)
            fids = np.fromstring(f, dtype=np.int64, sep=",")
            values = np.fromstring(v, dtype=np.float64, sep=",") if v is not None else np.empty(0)
            if len(fids) != n or len(values) != n:
                return _read_column_rows(conn, ft, name, cancel)    # text in the column
            fid_parts.append(fids)
            parts.append(values)
    finally:
        conn.close()
    if not parts:
        return np.empty(0, np.int64), np.empty(0, np.float64)
    return np.concatenate(fid_parts), np.concatenate(parts)


def _read_column_rows(conn, ft: FileTable, name: str, cancel) -> tuple[np.ndarray, np.ndarray]:
    cur = conn.execute(f"SELECT {q(ft.fid)}, {q(name)} FROM {q(ft.table)} ORDER BY {q(ft.fid)}")
    fid_parts, parts = [], []
    while True:
        cancel.check()
        rows = cur.fetchmany(gpkg.READ_CHUNK * 10)
        if not rows:
            break
        f, v = zip(*rows)
        fid_parts.append(np.asarray(f, dtype=np.int64))
        col = np.empty(len(v), dtype=object)
        col[:] = v
        parts.append(col)
    if not parts:
        return np.empty(0, np.int64), np.empty(0, dtype=object)
    return np.concatenate(fid_parts), np.concatenate(parts)


def read_rows(ft: FileTable, fids, fields) -> list[dict]:
    """Attribute rows (dicts) of the given fids, in that order (missing fids give {})."""
    fids = [int(f) for f in fids]
    if not fids:
        return []
    names = [f.name for f in fields]
    conn = gpkg.connect(ft.path, readonly=True)
    try:
        cols = ", ".join([q(ft.fid)] + [q(n) for n in names])
        marks = ",".join("?" * len(fids))
        rows = conn.execute(f"SELECT {cols} FROM {q(ft.table)} WHERE {q(ft.fid)} IN ({marks})", fids).fetchall()
    finally:
        conn.close()
    by_fid = {r[0]: dict(zip(names, r[1:])) for r in rows}
    return [by_fid.get(f, {}) for f in fids]
