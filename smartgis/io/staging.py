"""Staging GeoPackages: where an import writes its features before the project owns them.

A million-building import must not hold a million shapely geometries: batches read
from the source are repaired, reprojected and written at once into a table of a
temporary GeoPackage.  The imported layer reads its data from there lazily (like a
layer of a saved project), and the next :meth:`Project.save` copies the table into
the project file with one ``INSERT … SELECT`` (:func:`smartgis.project.gpkg.copy_feature_table`),
then points the layer at the project file.  The temporary file goes away once no
layer needs it.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import weakref
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

from smartgis.core import tempfiles
from smartgis.core.fields import Field
from smartgis.geometry.extent import union_bounds
from smartgis.project import gpkg
from smartgis.project.names import quote_ident as q

#: Single → multi type ids (shapely's numbering).
_MULTI_OF = {0: 4, 1: 5, 2: 5, 3: 6}
_SINGLE_NAMES = {0: "Point", 1: "LineString", 2: "LineString", 3: "Polygon"}
_MULTI_NAMES = {4: "MultiPoint", 5: "MultiLineString", 6: "MultiPolygon", 7: "GeometryCollection"}


def _remove_dir(path: str) -> None:
    shutil.rmtree(path, ignore_errors=True)


#: SQLite page cache of a staging file (kB).
STAGING_CACHE_KB = 262_144


class StagingDB:
    """A temporary GeoPackage holding the tables of one import.

    The file is deleted when the object is garbage-collected (every layer staged in it
    was saved or dropped), at interpreter exit, or by :meth:`discard`.
    """

    def __init__(self, directory: str | None = None):
        self.dir = tempfile.mkdtemp(prefix="import-", dir=directory or tempfiles.session_dir())
        self.path = Path(self.dir) / "staging.gpkg"
        self._finalizer = weakref.finalize(self, _remove_dir, self.dir)
        self.conn: sqlite3.Connection | None = gpkg.connect(self.path)
        # A scratch file: nothing to roll back to, so no journal and no fsync.
        self.conn.execute("PRAGMA journal_mode=OFF")
        self.conn.execute("PRAGMA synchronous=OFF")
        # Pages stay in memory until the commit instead of going out to the file as a
        # large table grows (a quarter less time inserting a million rows); memory is
        # taken only as the file grows.
        self.conn.execute(f"PRAGMA cache_size=-{STAGING_CACHE_KB}")
        self.conn.execute("BEGIN")
        gpkg.init_gpkg(self.conn)
        self._n = 0

    def new_table_name(self) -> str:
        self._n += 1
        return f"staged_{self._n}"

    def commit(self) -> None:
        """End writing: commit and close the writing connection."""
        if self.conn is not None:
            self.conn.execute("COMMIT")
            self.conn.close()
            self.conn = None

    def discard(self) -> None:
        """Throw everything away (a failed or cancelled import)."""
        if self.conn is not None:
            try:
                self.conn.close()
            except sqlite3.Error:
                pass
            self.conn = None
        self._finalizer()


class TableWriter:
    """Appends processed batches to one staging table.

    Single and multi geometries of one kind may arrive mixed (a shapefile's polygons
    are either); a GeoPackage table declares one type, so once a multi geometry has
    been seen later singles are promoted on the fly, and :meth:`finish` promotes the
    singles written before.
    """

    def __init__(self, db: StagingDB, fields: list[Field], crs: str, family: str):
        self.db = db
        self.table = db.new_table_name()
        self.fields = fields
        self.crs = crs
        self.family = family          # point | line | polygon | collection | mixed
        self.srs_id = gpkg.ensure_srs(db.conn, crs)
        cols = [f"{q(gpkg.FID_COLUMN)} INTEGER PRIMARY KEY NOT NULL", f"{q(gpkg.GEOM_COLUMN)} GEOMETRY"]
        cols += [f"{q(f.name)} {f.sql_type}" for f in fields]
        db.conn.execute(f"CREATE TABLE {q(self.table)} ({', '.join(cols)})")
        self._sql = f"INSERT INTO {q(self.table)} VALUES ({','.join('?' * (len(fields) + 2))})"
        named = ", ".join(q(c) for c in [gpkg.GEOM_COLUMN, *(f.name for f in fields)])
        self._sql_no_fid = f"INSERT INTO {q(self.table)} ({named}) VALUES ({','.join('?' * (len(fields) + 1))})"
        self._fids: list[np.ndarray] = []
        self._bounds: list[np.ndarray] = []
        self.type_ids: set[int] = set()
        self.has_z = False
        self.promote = False
        self._last_fid_before_promotion: int | None = None
        self.count = 0

    def append(self, fids: np.ndarray, geoms: np.ndarray, columns: list[list], wkb: np.ndarray | None = None,
               rows: PreparedRows | None = None) -> None:
        """Write rows; ``columns`` are Python lists ready for SQLite, one per field.
        ``wkb``: the WKB ``geoms`` were parsed from, when nothing changed them since (it
        is written as it is for 2D geometries not promoted to multi).  ``rows``: the
        batch as :func:`prepared_rows` made it (computed here when not given)."""
        n = len(fids)
        if not n:
            return
        if rows is None:
            rows = prepared_rows(geoms, self.srs_id, wkb)
        blobs = rows.blobs
        present = rows.type_ids >= 0
        if present.any():
            new_ids = set(np.unique(rows.type_ids[present]).tolist())
            if self.family != "mixed":
                if not self.promote and any(i in (4, 5, 6) for i in new_ids) and any(
                        i in (0, 1, 2, 3) for i in self.type_ids | new_ids):
                    self.promote = True
                    self._last_fid_before_promotion = int(self._fids[-1][-1]) if self._fids else None
                elif not self.promote and any(i in (4, 5, 6) for i in self.type_ids) and any(
                        i in (0, 1, 2, 3) for i in new_ids):
                    self.promote = True
                    self._last_fid_before_promotion = int(self._fids[-1][-1]) if self._fids else None
                if self.promote:
                    blobs = gpkg.encode_geometries(promote_to_multi(rows.geometries(geoms)), self.srs_id,
                                                   rows.bounds)
            self.type_ids |= new_ids
            self.has_z = self.has_z or bool(rows.has_z[present].any())
        if self._appends(fids):
            # rowids that follow the table's last one: SQLite numbers them itself, one
            # value less to hand over per row
            self.db.conn.executemany(self._sql_no_fid, zip(blobs, *columns))
        else:
            self.db.conn.executemany(self._sql, zip(fids.tolist(), blobs, *columns))
        self._fids.append(np.asarray(fids, dtype=np.int64))
        self._bounds.append(rows.bounds)
        self.count += n

    def _appends(self, fids: np.ndarray) -> bool:
        """Whether ``fids`` are consecutive and follow the largest fid written so far."""
        last = int(self._fids[-1][-1]) if self._fids else 0
        return int(fids[0]) == last + 1 and int(fids[-1]) - int(fids[0]) == len(fids) - 1

    def _promote_earlier(self) -> None:
        last = self._last_fid_before_promotion
        if last is None:
            return
        conn = self.db.conn
        cur = conn.execute(f"SELECT {q(gpkg.FID_COLUMN)}, {q(gpkg.GEOM_COLUMN)} FROM {q(self.table)} "
                           f"WHERE {q(gpkg.FID_COLUMN)} <= ? AND {q(gpkg.GEOM_COLUMN)} IS NOT NULL", (last,))
        while True:
            rows = cur.fetchmany(50_000)
            if not rows:
                break
            fids = np.array([r[0] for r in rows], dtype=np.int64)
            geoms = gpkg.decode_geometries([r[1] for r in rows])
            single = np.isin(shapely.get_type_id(geoms), (0, 1, 2, 3))
            if not single.any():
                continue
            multi = promote_to_multi(geoms[single])
            blobs = gpkg.encode_geometries(multi, self.srs_id)
            conn.executemany(f"UPDATE {q(self.table)} SET {q(gpkg.GEOM_COLUMN)} = ? WHERE {q(gpkg.FID_COLUMN)} = ?",
                             zip(blobs, fids[single].tolist()))

    def geometry_type(self, declared: str | None = None) -> str:
        """The one type the table declares."""
        ids = self.type_ids
        if self.family == "mixed":
            fams = {family_of_id(i) for i in ids}
            if len(fams) > 1:
                return "Geometry"
        if not ids:
            return declared or "Geometry"
        if self.promote or (ids and all(i in (4, 5, 6, 7) for i in ids)):
            multis = {_MULTI_OF.get(i, i) for i in ids}
            return _MULTI_NAMES[multis.pop()] if len(multis) == 1 else "Geometry"
        singles = {_SINGLE_NAMES[i] for i in ids if i in _SINGLE_NAMES}
        return singles.pop() if len(singles) == 1 else "Geometry"

    def finish(self, declared: str | None = None) -> "StagedTable":
        if self.promote:
            self._promote_earlier()
        gtype = self.geometry_type(declared)
        fids = np.concatenate(self._fids) if self._fids else np.empty(0, dtype=np.int64)
        bounds = np.vstack(self._bounds) if self._bounds else np.empty((0, 4))
        ext = union_bounds(bounds)
        gpkg._register_feature_table(self.db.conn, self.table, gpkg.geometry_sql_type(gtype), self.srs_id,
                                     self.has_z, ext, self.table, "SmartGIS import staging")
        return StagedTable(self.db, self.table, self.fields, gtype, self.crs, self.srs_id, self.has_z,
                           fids, bounds, ext)


@dataclass(eq=False)
class PreparedRows:
    """A batch's geometries as the table writer needs them, computed before writing.

    ``type_ids`` (shapely's, -1 for null), ``has_z`` and ``bounds`` per row (NaN for
    null), the GeoPackage ``blobs``, and for the rows proven valid from their WKB
    (``quick``, see :mod:`smartgis.io.simple_polygons`) the WKB itself: their shapely
    geometry is made only if a table needs it (promotion to multi).
    """

    type_ids: np.ndarray
    has_z: np.ndarray
    bounds: np.ndarray
    blobs: list
    quick: np.ndarray | None = None
    wkb: np.ndarray | None = None

    def subset(self, idx: np.ndarray) -> "PreparedRows":
        blobs = [self.blobs[i] for i in idx.tolist()]
        quick = None if self.quick is None else self.quick[idx]
        return PreparedRows(self.type_ids[idx], self.has_z[idx], self.bounds[idx], blobs, quick,
                            None if quick is None else self.wkb[idx])

    def geometries(self, geoms: np.ndarray) -> np.ndarray:
        """``geoms`` with the rows proven from their WKB parsed too."""
        if self.quick is None or not self.quick.any():
            return geoms
        out = np.array(geoms, dtype=object, copy=True)
        out[self.quick] = shapely.from_wkb(self.wkb[self.quick])
        return out


def prepared_rows(geoms: np.ndarray, srs_id: int, wkb: np.ndarray | None = None, *,
                  quick: np.ndarray | None = None, quick_bounds: np.ndarray | None = None,
                  source_wkb: np.ndarray | None = None) -> PreparedRows:
    """Type ids, Z flags, bounds and GeoPackage blobs of a batch.

    ``wkb``: the source WKB of every row, when no geometry changed since it was read —
    written as it is unless the batch has Z (ISO and other WKB flavours differ in 3D).
    ``quick``: rows proven valid from their WKB (``geoms`` holds None there), with
    their bounds and ``source_wkb`` (written as it is: 2D little-endian polygons are
    the bytes shapely would write).
    """
    n = len(geoms)
    type_ids = np.full(n, 3, dtype=np.int64)
    bounds = np.empty((n, 4))
    rest = np.arange(n) if quick is None else np.flatnonzero(~quick)
    sub = geoms[rest]
    type_ids[rest] = shapely.get_type_id(sub)
    bounds[rest] = shapely.bounds(sub)
    if quick is not None:
        bounds[quick] = quick_bounds[quick]
    present = type_ids >= 0
    present[rest] &= ~shapely.is_empty(sub)      # empty geometries are stored as NULL
    has_z = np.zeros(n, dtype=bool)
    if len(rest):
        sub_present = present[rest]
        has_z[rest[sub_present]] = shapely.has_z(sub[sub_present])
    out = np.empty(n, dtype=object)
    rest_present = rest[present[rest]]
    if wkb is not None and not has_z.any():
        out[rest_present] = np.asarray(wkb, dtype=object)[rest_present]
    else:
        out[rest_present] = shapely.to_wkb(geoms[rest_present], byte_order=1, flavor="iso")
    if quick is not None:
        out[quick] = source_wkb[quick]
    idx = np.flatnonzero(present)
    blobs: list = [None] * n
    if len(idx) == n:
        blobs = gpkg.wkb_blobs(out, bounds, type_ids == 0, srs_id)
    elif len(idx):
        for i, blob in zip(idx.tolist(), gpkg.wkb_blobs(out[idx], bounds[idx], type_ids[idx] == 0, srs_id)):
            blobs[i] = blob
    return PreparedRows(type_ids, has_z, bounds, blobs, quick, source_wkb if quick is not None else None)


@dataclass(eq=False)
class StagedTable:
    """A finished staging table and what the project needs to adopt it."""

    db: StagingDB                # keeps the staging file alive while the layer needs it
    table: str
    fields: list[Field]
    geometry_type: str
    crs: str
    srs_id: int
    has_z: bool
    fids: np.ndarray
    bounds: np.ndarray
    extent: object
    version: int = 0

    @property
    def path(self) -> Path:
        return self.db.path

    @property
    def feature_count(self) -> int:
        return len(self.fids)

    def usable_for(self, layer) -> bool:
        """True while the layer's data is still exactly what was staged."""
        return getattr(layer, "version", None) == self.version and Path(self.path).exists()

    def copy_into(self, conn: sqlite3.Connection, schema: str, table: str, *, crs, identifier: str,
                  description: str) -> dict:
        """Copy the staged rows into ``table`` of the project being saved (see module doc)."""
        return gpkg.copy_feature_table(conn, schema, self.table, table, crs=crs, geometry_type=self.geometry_type,
                                       fields=self.fields, fids=self.fids, bounds=self.bounds, has_z=self.has_z,
                                       source_srs_id=self.srs_id, identifier=identifier, description=description)

    def loader(self, layer):
        """A lazy loader reading the staged table (see :meth:`VectorLayer.attach_loader`)."""
        path, table = self.path, self.table

        def load(what: str):
            conn = gpkg.connect(path, readonly=True)
            try:
                if what == "geometry":
                    return gpkg.read_geometries(conn, table)
                return gpkg.read_attributes(conn, table, list(self.fields) or None)
            finally:
                conn.close()
        return load

    def meta(self) -> dict:
        return {"feature_count": self.feature_count, "extent": self.extent,
                "fields": [f.to_dict() for f in self.fields]}


def family_of_id(type_id: int) -> str:
    return {0: "point", 4: "point", 1: "line", 2: "line", 5: "line", 3: "polygon", 6: "polygon"}.get(
        int(type_id), "collection")


def promote_to_multi(geoms: np.ndarray) -> np.ndarray:
    """Single points/lines/polygons become one-part multis; others are unchanged."""
    geoms = np.asarray(geoms, dtype=object)
    out = geoms.copy()
    present = ~shapely.is_missing(geoms)
    ids = np.full(len(geoms), -1)
    ids[present] = shapely.get_type_id(geoms[present])
    for single, make in ((0, shapely.multipoints), (1, shapely.multilinestrings), (2, shapely.multilinestrings),
                         (3, shapely.multipolygons)):
        idx = np.flatnonzero(ids == single)
        if len(idx):
            src = geoms[idx]
            if single == 2:  # a linear ring is a closed line string
                src = shapely.linestrings(shapely.get_coordinates(src, include_z=True),
                                          indices=np.repeat(np.arange(len(idx)), shapely.get_num_coordinates(src)))
            out[idx] = make(src, indices=np.arange(len(idx)))
    return out
