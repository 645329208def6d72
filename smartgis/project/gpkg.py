"""Low-level GeoPackage access with the standard library's ``sqlite3``.

SmartGIS writes its project files itself rather than through GDAL so that a save is
one SQLite transaction on a temporary copy (see :mod:`smartgis.project.store`) and
bulk writes go at SQLite speed.  What is written follows OGC GeoPackage 1.3 — the
same tables, R-tree index and triggers GDAL writes — and is checked against GDAL's
validator in the tests.

The R-tree triggers call ``ST_IsEmpty``/``ST_MinX``... which plain SQLite lacks;
:func:`register_functions` adds them to every connection made here, so that rows can
be inserted or updated after the index exists.
"""

from __future__ import annotations

import gc
import json
import math
import os
import sqlite3
import struct
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Sequence
from urllib.parse import quote

import numpy as np
import shapely

from smartgis.core.fields import Field, type_from_sql
from smartgis.core.gil import share_gil
from smartgis.core.table import AttributeTable
from smartgis.crs import parse_crs, same_crs
from smartgis.errors import DamagedProjectError
from smartgis.geometry.extent import union_bounds
from smartgis.i18n import _
from smartgis.project import guard
from smartgis.project.names import quote_ident as q

APPLICATION_ID = 0x47504B47  # "GPKG"
USER_VERSION = 10300         # GeoPackage 1.3
GEOM_COLUMN = "geom"
FID_COLUMN = "fid"
_ENV_LEN = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
_GEOM_SQL = {"Point": "POINT", "LineString": "LINESTRING", "Polygon": "POLYGON",
             "MultiPoint": "MULTIPOINT", "MultiLineString": "MULTILINESTRING",
             "MultiPolygon": "MULTIPOLYGON", "GeometryCollection": "GEOMETRYCOLLECTION",
             "Geometry": "GEOMETRY"}


def geometry_sql_type(geometry_type: str | None) -> str:
    return _GEOM_SQL.get(geometry_type or "Geometry", "GEOMETRY")


def geometry_model_type(sql_type: str) -> str:
    for k, v in _GEOM_SQL.items():
        if v == (sql_type or "").upper():
            return k
    return "Geometry"


# -- connections ------------------------------------------------------------------------
def connect(path: str | os.PathLike, readonly: bool = False) -> sqlite3.Connection:
    """Open a GeoPackage with the ``ST_*`` functions registered.

    ``readonly=True`` opens with ``mode=ro&immutable=1``: SQLite then never writes,
    locks or creates a journal, so reading a reviewer's file changes no byte of it.
    Reads of a file holding views run under a time limit (see
    :mod:`smartgis.project.guard`; saves add ``trusted_schema=OFF``).
    """
    path = Path(path)
    if readonly:
        uri = "file:" + quote(str(path.resolve())) + "?mode=ro&immutable=1"
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False, factory=Connection)
    else:
        conn = sqlite3.connect(str(path), check_same_thread=False, factory=Connection)
    try:
        if readonly:
            conn.limit = guard.bound_reads(conn)
    except sqlite3.DatabaseError:
        pass  # not a database: the caller's first query says so
    register_functions(conn)
    return conn


class Connection(sqlite3.Connection):
    """An SQLite connection that knows the read limit installed on it (if any)."""

    limit = None

    def timed_out(self) -> bool:
        """Whether the last ``interrupted`` error came from the read limit."""
        return bool(self.limit is not None and self.limit.hit)


def read_error(exc: BaseException, conn, path, what: str):
    """The user-facing error for a failed read: a read limit names the views that ran."""
    limit = getattr(conn, "limit", None)
    if limit is not None and limit.hit:
        return DamagedProjectError(_("reading {what} took more than {seconds:g} s and was stopped; the file "
                                     "holds objects SmartGIS does not run: {objects}", what=what,
                                     seconds=limit.seconds, objects=guard.describe(limit.objects)), path)
    return DamagedProjectError(_("{what} cannot be read ({error})", what=what, error=str(exc)), path)


def _envelope(blob: bytes):
    """(minx, maxx, miny, maxy, empty) of a GeoPackage geometry blob."""
    if blob is None or len(blob) < 8:
        return None
    flags = blob[3]
    empty = bool(flags & 0x10)
    env = (flags >> 1) & 7
    if env:
        fmt = "<4d" if flags & 1 else ">4d"
        return (*struct.unpack(fmt, blob[8:40]), empty)
    if empty:
        return (math.nan,) * 4 + (True,)
    g = shapely.from_wkb(blob[8:])
    if g is None or g.is_empty:
        return (math.nan,) * 4 + (True,)
    x0, y0, x1, y1 = g.bounds
    return (x0, x1, y0, y1, False)


def register_functions(conn: sqlite3.Connection) -> None:
    """Add the functions GeoPackage R-tree triggers call."""
    def is_empty(b):
        e = _envelope(b)
        return 1 if e is None or e[4] else 0

    def part(i):
        def f(b):
            e = _envelope(b)
            return None if e is None or e[4] else e[i]
        return f

    kw = {"deterministic": True}
    conn.create_function("ST_IsEmpty", 1, is_empty, **kw)
    for i, name in enumerate(("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY")):
        conn.create_function(name, 1, part(i), **kw)


# -- geometry blobs ---------------------------------------------------------------------
def encode_geometries(geoms: np.ndarray, srs_id: int, bounds: np.ndarray | None = None,
                      wkb: np.ndarray | None = None) -> list:
    """GeoPackage binary blobs (header + ISO WKB) for an array of shapely geometries.

    Points carry no envelope (as GDAL writes them); everything else an XY envelope.
    Null geometries become None.  Empty geometries are stored as NULL too: GDAL's
    validator misreads the empty flag, and a feature without geometry is what every
    reader understands.  ``wkb``: the 2D WKB the geometries were parsed from, unchanged
    since — used as it is instead of writing it again.
    """
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    out: list = [None] * n
    if not n:
        return out
    missing = shapely.is_missing(geoms)
    empty = np.zeros(n, dtype=bool)
    empty[~missing] = shapely.is_empty(geoms[~missing])
    ok = ~missing & ~empty
    if not ok.any():
        return out
    idx = np.flatnonzero(ok)
    wkb = shapely.to_wkb(geoms[idx], byte_order=1, flavor="iso") if wkb is None else np.asarray(wkb)[idx]
    b = shapely.bounds(geoms[idx]) if bounds is None else np.asarray(bounds)[idx]
    blobs = wkb_blobs(wkb, b, shapely.get_type_id(geoms[idx]) == 0, srs_id)
    if len(idx) == n:
        return blobs
    for i, blob in zip(idx.tolist(), blobs):
        out[i] = blob
    return out


def wkb_blobs(wkb, bounds: np.ndarray, is_point: np.ndarray, srs_id: int) -> list:
    """GeoPackage blobs: each WKB (none of them None) behind its header.

    ``bounds`` (minx, miny, maxx, maxy per row) fill the XY envelope; points carry none
    (as GDAL writes them).
    """
    pt_head = struct.pack("<2sBBi", b"GP", 0, 0x01, srs_id)
    # All envelope headers at once with numpy (GP, version, flags, srs_id, minx, maxx,
    # miny, maxy); a Python struct.pack per row took a second per million rows.
    heads = np.zeros(len(wkb), dtype=_ENVELOPE_HEAD)
    heads["magic"] = b"GP"
    heads["flags"] = 0x01 | (1 << 1)
    heads["srs_id"] = srs_id
    heads["env"] = np.asarray(bounds, dtype=np.float64)[:, [0, 2, 1, 3]]
    raw = heads.tobytes()
    size = _ENVELOPE_HEAD.itemsize
    wkb = wkb.tolist() if isinstance(wkb, np.ndarray) else list(wkb)
    if not np.any(is_point):
        return [raw[a:a + size] + w for a, w in zip(range(0, len(raw), size), wkb)]
    return [pt_head + w if p else raw[a:a + size] + w
            for a, w, p in zip(range(0, len(raw), size), wkb, np.asarray(is_point).tolist())]


#: The 40-byte GeoPackage header with an XY envelope, little-endian.
_ENVELOPE_HEAD = np.dtype([("magic", "S2"), ("version", "u1"), ("flags", "u1"), ("srs_id", "<i4"),
                           ("env", "<f8", (4,))])


def decode_geometries(blobs: Sequence) -> np.ndarray:
    """Shapely geometries from GeoPackage blobs (None stays None)."""
    wkbs = [None] * len(blobs)
    for i, b in enumerate(blobs):
        if b is None or len(b) < 8 or b[0:2] != b"GP":
            continue
        flags = b[3]
        wkbs[i] = b[8 + _ENV_LEN.get((flags >> 1) & 7, 0):]
    return shapely.from_wkb(np.array(wkbs, dtype=object), on_invalid="warn")


# -- structure --------------------------------------------------------------------------
_CORE_SQL = [
    """CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER
       NOT NULL PRIMARY KEY, organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,
       definition TEXT NOT NULL, description TEXT)""",
    """CREATE TABLE IF NOT EXISTS gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type
       TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME NOT
       NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, max_x DOUBLE,
       max_y DOUBLE, srs_id INTEGER, CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES
       gpkg_spatial_ref_sys(srs_id))""",
    """CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT
       NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m
       TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT
       uk_gc_table_name UNIQUE (table_name), CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES
       gpkg_contents(table_name), CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES
       gpkg_spatial_ref_sys (srs_id))""",
    """CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT, column_name TEXT, extension_name
       TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE
       (table_name, column_name, extension_name))""",
    """CREATE TABLE IF NOT EXISTS gpkg_ogr_contents (table_name TEXT NOT NULL PRIMARY KEY,
       feature_count INTEGER DEFAULT NULL)""",
]

_DEFAULT_SRS = [
    ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate reference system"),
    ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system"),
    ("WGS 84 geodetic", 4326, "EPSG", 4326,
     'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],'
     'AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",'
     '0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],'
     'AUTHORITY["EPSG","4326"]]', "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid"),
]


def init_gpkg(conn: sqlite3.Connection) -> None:
    """Make an empty database a GeoPackage (idempotent)."""
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    if conn.execute("PRAGMA user_version").fetchone()[0] < USER_VERSION:
        conn.execute(f"PRAGMA user_version = {USER_VERSION}")
    for sql in _CORE_SQL:
        conn.execute(sql)
    for row in _DEFAULT_SRS:
        _insert_srs(conn, *row, wkt2=None, ignore=True)


def _srs_columns(conn: sqlite3.Connection) -> set[str]:
    return {r[1] for r in conn.execute("PRAGMA table_info(gpkg_spatial_ref_sys)")}


def _insert_srs(conn, name, srs_id, org, code, definition, description, wkt2=None, ignore=False) -> None:
    """Insert an SRS row; files with the CRS WKT extension also get ``definition_12_063``."""
    cols = ["srs_name", "srs_id", "organization", "organization_coordsys_id", "definition", "description"]
    vals = [name, srs_id, org, code, definition, description]
    if "definition_12_063" in _srs_columns(conn):
        cols.append("definition_12_063")
        vals.append(wkt2 or "undefined")
    verb = "INSERT OR IGNORE" if ignore else "INSERT"
    conn.execute(f"{verb} INTO gpkg_spatial_ref_sys ({', '.join(cols)}) VALUES ({','.join('?' * len(vals))})", vals)


def is_geopackage(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name='gpkg_contents'").fetchone() is not None


def table_exists(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type IN ('table','view') AND lower(name)=lower(?)",
                        (name,)).fetchone() is not None


def ensure_srs(conn: sqlite3.Connection, crs) -> int:
    """The ``srs_id`` of ``crs`` in the file, adding it when missing.

    EPSG systems keep their code as id; others (local city grids) get ids from 100000
    with organisation ``NONE``, matched again by definition on later saves.
    """
    c = parse_crs(crs)
    auth = c.to_authority(min_confidence=100)
    if auth and auth[0] == "EPSG":
        code = int(auth[1])
        if conn.execute("SELECT 1 FROM gpkg_spatial_ref_sys WHERE srs_id=?", (code,)).fetchone() is None:
            _insert_srs(conn, c.name, code, "EPSG", code, c.to_wkt("WKT1_GDAL"), c.name, wkt2=c.to_wkt())
        return code
    for srs_id, definition in conn.execute(
            "SELECT srs_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id >= 100000"):
        try:
            if same_crs(definition, c):
                return int(srs_id)
        except Exception:  # an unparsable foreign definition is simply not a match
            continue
    srs_id = max(100000, (conn.execute("SELECT max(srs_id) FROM gpkg_spatial_ref_sys").fetchone()[0] or 0) + 1)
    try:
        wkt = c.to_wkt("WKT1_GDAL")
    except Exception:
        wkt = c.to_wkt()
    _insert_srs(conn, c.name or "custom", srs_id, "NONE", srs_id, wkt, c.name or "custom CRS", wkt2=c.to_wkt())
    return srs_id


def srs_definition(conn: sqlite3.Connection, srs_id: int) -> str | None:
    """``EPSG:n`` or the stored WKT of an ``srs_id`` (None for the undefined systems)."""
    row = conn.execute("SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys "
                       "WHERE srs_id=?", (srs_id,)).fetchone()
    if row is None or srs_id in (-1, 0) or row[2] == "undefined":
        return None
    org, code, definition = row
    if str(org).upper() == "EPSG":
        return f"EPSG:{code}"
    return definition


def drop_table(conn: sqlite3.Connection, table: str) -> None:
    """Remove a table and everything that refers to it (index, triggers, registrations)."""
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger' AND "
                                "lower(tbl_name)=lower(?)", (table,)).fetchall():
        conn.execute(f"DROP TRIGGER IF EXISTS {q(name)}")
    for (col,) in conn.execute("SELECT column_name FROM gpkg_geometry_columns WHERE lower(table_name)=lower(?)",
                               (table,)).fetchall():
        conn.execute(f"DROP TABLE IF EXISTS {q(f'rtree_{table}_{col}')}")
    conn.execute(f"DROP TABLE IF EXISTS {q(table)}")
    for meta in ("gpkg_geometry_columns", "gpkg_extensions", "gpkg_ogr_contents", "gpkg_tile_matrix",
                 "gpkg_tile_matrix_set", "gpkg_contents"):
        if table_exists(conn, meta):
            conn.execute(f"DELETE FROM {meta} WHERE lower(table_name)=lower(?)", (table,))
    if table_exists(conn, "layer_styles"):
        conn.execute("DELETE FROM layer_styles WHERE lower(f_table_name)=lower(?)", (table,))
    if table_exists(conn, "gpkg_data_columns"):
        conn.execute("DELETE FROM gpkg_data_columns WHERE lower(table_name)=lower(?)", (table,))


# -- feature tables ---------------------------------------------------------------------
def _sql_value(v, ftype: str):
    if v is None:
        return None
    if isinstance(v, float) and v != v:
        return None
    if ftype == "json" and not isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if ftype == "bool":
        return int(bool(v))
    if isinstance(v, np.generic):
        return v.item()
    return v


def _rtree_triggers(t: str, c: str, i: str = FID_COLUMN, version: int = USER_VERSION) -> list[str]:
    """The R-tree maintenance triggers of GeoPackage 1.3, or of 1.4 for 1.4 files.

    GeoPackage 1.4 replaced ``update1``/``update3`` by ``update5``–``update7`` (an
    UPSERT issue); a file declaring 1.4 gets that set so it stays consistent.
    """
    if version >= 10400:
        return _rtree_triggers_14(t, c, i)
    return _rtree_triggers_13(t, c, i)


def _rtree_triggers_14(t: str, c: str, i: str) -> list[str]:
    r = q(f"rtree_{t}_{c}")
    tq, cq, iq = q(t), q(c), q(i)
    vals = f"(NEW.{iq}, ST_MinX(NEW.{cq}), ST_MaxX(NEW.{cq}), ST_MinY(NEW.{cq}), ST_MaxY(NEW.{cq}))"
    ok_new = f"(NEW.{cq} NOTNULL AND NOT ST_IsEmpty(NEW.{cq}))"
    name = lambda s: q(f"rtree_{t}_{c}_{s}")  # noqa: E731
    return [
        f"CREATE TRIGGER {name('insert')} AFTER INSERT ON {tq} WHEN {ok_new} BEGIN "
        f"INSERT OR REPLACE INTO {r} VALUES {vals}; END",
        f"CREATE TRIGGER {name('update6')} AFTER UPDATE OF {cq} ON {tq} WHEN OLD.{iq} = NEW.{iq} AND {ok_new} "
        f"AND (OLD.{cq} NOTNULL AND NOT ST_IsEmpty(OLD.{cq})) BEGIN UPDATE {r} SET minx = ST_MinX(NEW.{cq}), "
        f"maxx = ST_MaxX(NEW.{cq}), miny = ST_MinY(NEW.{cq}), maxy = ST_MaxY(NEW.{cq}) WHERE id = NEW.{iq}; END",
        f"CREATE TRIGGER {name('update7')} AFTER UPDATE OF {cq} ON {tq} WHEN OLD.{iq} = NEW.{iq} AND {ok_new} "
        f"AND (OLD.{cq} ISNULL OR ST_IsEmpty(OLD.{cq})) BEGIN INSERT INTO {r} VALUES {vals}; END",
        f"CREATE TRIGGER {name('update2')} AFTER UPDATE OF {cq} ON {tq} WHEN OLD.{iq} = NEW.{iq} AND "
        f"(NEW.{cq} ISNULL OR ST_IsEmpty(NEW.{cq})) BEGIN DELETE FROM {r} WHERE id = OLD.{iq}; END",
        f"CREATE TRIGGER {name('update5')} AFTER UPDATE ON {tq} WHEN OLD.{iq} != NEW.{iq} AND {ok_new} BEGIN "
        f"DELETE FROM {r} WHERE id = OLD.{iq}; INSERT OR REPLACE INTO {r} VALUES {vals}; END",
        f"CREATE TRIGGER {name('update4')} AFTER UPDATE ON {tq} WHEN OLD.{iq} != NEW.{iq} AND "
        f"(NEW.{cq} ISNULL OR ST_IsEmpty(NEW.{cq})) BEGIN DELETE FROM {r} WHERE id IN (OLD.{iq}, NEW.{iq}); END",
        f"CREATE TRIGGER {name('delete')} AFTER DELETE ON {tq} WHEN OLD.{cq} NOT NULL BEGIN "
        f"DELETE FROM {r} WHERE id = OLD.{iq}; END",
    ]


def _rtree_triggers_13(t: str, c: str, i: str) -> list[str]:
    r = q(f"rtree_{t}_{c}")
    tq, cq, iq = q(t), q(c), q(i)
    vals = f"(NEW.{iq}, ST_MinX(NEW.{cq}), ST_MaxX(NEW.{cq}), ST_MinY(NEW.{cq}), ST_MaxY(NEW.{cq}))"
    name = lambda s: q(f"rtree_{t}_{c}_{s}")  # noqa: E731
    return [
        f"CREATE TRIGGER {name('insert')} AFTER INSERT ON {tq} WHEN (NEW.{cq} NOT NULL AND NOT "
        f"ST_IsEmpty(NEW.{cq})) BEGIN INSERT OR REPLACE INTO {r} VALUES {vals}; END",
        f"CREATE TRIGGER {name('update1')} AFTER UPDATE OF {cq} ON {tq} WHEN OLD.{iq} = NEW.{iq} AND "
        f"(NEW.{cq} NOTNULL AND NOT ST_IsEmpty(NEW.{cq})) BEGIN INSERT OR REPLACE INTO {r} VALUES {vals}; END",
        f"CREATE TRIGGER {name('update2')} AFTER UPDATE OF {cq} ON {tq} WHEN OLD.{iq} = NEW.{iq} AND "
        f"(NEW.{cq} IS NULL OR ST_IsEmpty(NEW.{cq})) BEGIN DELETE FROM {r} WHERE id = OLD.{iq}; END",
        f"CREATE TRIGGER {name('update3')} AFTER UPDATE ON {tq} WHEN OLD.{iq} != NEW.{iq} AND "
        f"(NEW.{cq} NOTNULL AND NOT ST_IsEmpty(NEW.{cq})) BEGIN DELETE FROM {r} WHERE id = OLD.{iq}; "
        f"INSERT OR REPLACE INTO {r} VALUES {vals}; END",
        f"CREATE TRIGGER {name('update4')} AFTER UPDATE ON {tq} WHEN OLD.{iq} != NEW.{iq} AND "
        f"(NEW.{cq} IS NULL OR ST_IsEmpty(NEW.{cq})) BEGIN DELETE FROM {r} WHERE id IN (OLD.{iq}, NEW.{iq}); END",
        f"CREATE TRIGGER {name('delete')} AFTER DELETE ON {tq} WHEN OLD.{cq} NOT NULL BEGIN "
        f"DELETE FROM {r} WHERE id = OLD.{iq}; END",
    ]


def _count_triggers(t: str) -> list[str]:
    tq = q(t)
    lit = t.replace("'", "''")
    return [
        f"CREATE TRIGGER {q('trigger_insert_feature_count_' + t)} AFTER INSERT ON {tq} BEGIN UPDATE "
        f"gpkg_ogr_contents SET feature_count = feature_count + 1 WHERE lower(table_name) = lower('{lit}'); END",
        f"CREATE TRIGGER {q('trigger_delete_feature_count_' + t)} AFTER DELETE ON {tq} BEGIN UPDATE "
        f"gpkg_ogr_contents SET feature_count = feature_count - 1 WHERE lower(table_name) = lower('{lit}'); END",
    ]


def _create_feature_table(conn: sqlite3.Connection, table: str, crs, geometry_type: str,
                          fields: Sequence[Field]) -> tuple[int, str]:
    """Create the empty table (replacing one of that name): fid, geometry and ``fields``.

    Returns the ``srs_id`` of ``crs`` in the file (added when missing) and the
    geometry column's SQL type.
    """
    drop_table(conn, table)
    srs_id = ensure_srs(conn, crs)
    gsql = geometry_sql_type(geometry_type)
    cols = [f"{q(FID_COLUMN)} INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL", f"{q(GEOM_COLUMN)} {gsql}"]
    # Text widths from shapefiles are not carried over: they count bytes, and a
    # TEXT(n) column would invite readers to cut Chinese text.
    cols += [f"{q(f.name)} {f.sql_type}" for f in fields]
    conn.execute(f"CREATE TABLE {q(table)} ({', '.join(cols)})")
    return srs_id, gsql


def write_feature_table(conn: sqlite3.Connection, table: str, geometries: np.ndarray,
                        attributes: AttributeTable, *, crs, geometry_type: str, fids=None,
                        identifier: str | None = None, description: str = "",
                        progress=None) -> dict:
    """Create (or replace) a feature table and fill it in bulk.

    Rows are inserted before the R-tree and triggers exist; the index is then filled
    from the bounds in one pass and the triggers created, which is several times
    faster than inserting through the triggers.

    Returns
    -------
    dict
        ``feature_count``, ``extent`` and ``srs_id`` of the written table.
    """
    fields = attributes.fields
    srs_id, gsql = _create_feature_table(conn, table, crs, geometry_type, fields)
    geoms = np.asarray(geometries, dtype=object)
    n = len(geoms)
    fids = np.arange(1, n + 1, dtype=np.int64) if fids is None else np.asarray(fids, dtype=np.int64)
    present = ~shapely.is_missing(geoms)
    has_z = bool(n and present.any() and shapely.has_z(geoms[present]).any())

    bounds = shapely.bounds(geoms) if n else np.empty((0, 4))
    ext = union_bounds(bounds)
    _register_feature_table(conn, table, gsql, srs_id, has_z, ext, identifier, description)

    values = attributes.to_pylists()
    conv = [[_sql_value(v, f.type) for v in values[f.name]] if f.type in ("json", "bool") else values[f.name]
            for f in fields]
    placeholders = ",".join("?" * (len(fields) + 2))
    sql = f"INSERT INTO {q(table)} VALUES ({placeholders})"
    chunk = 50_000
    fid_list = fids.tolist()
    for a in range(0, n, chunk):
        b = min(a + chunk, n)
        blobs = encode_geometries(geoms[a:b], srs_id, bounds[a:b])
        conn.executemany(sql, zip(fid_list[a:b], blobs, *(c[a:b] for c in conv)))
        if progress is not None:
            progress(b, n)

    _index_feature_table(conn, table, n, fids, bounds)
    return {"feature_count": n, "extent": ext, "srs_id": srs_id}


def unique_identifier(conn: sqlite3.Connection, wanted: str | None, table: str) -> str:
    """``wanted`` (a layer's display name) if no other table uses it, else the table name.

    ``gpkg_contents.identifier`` is UNIQUE, while two layers of a project may share a
    name (two imports of "points"); the table name is unique by construction.
    """
    wanted = wanted or table
    taken = conn.execute("SELECT 1 FROM gpkg_contents WHERE identifier = ? AND lower(table_name) != lower(?)",
                         (wanted, table)).fetchone()
    if taken is None:
        return wanted
    taken = conn.execute("SELECT 1 FROM gpkg_contents WHERE identifier = ? AND lower(table_name) != lower(?)",
                         (table, table)).fetchone()
    return table if taken is None else f"{wanted} ({table})"


def _register_feature_table(conn, table: str, gsql: str, srs_id: int, has_z: bool, ext, identifier, description):
    identifier = unique_identifier(conn, identifier, table)
    conn.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, "
                 "max_x, max_y, srs_id) VALUES (?,?,?,?,?,?,?,?,?)",
                 (table, "features", identifier or table, description, *(ext or [None] * 4), srs_id))
    conn.execute("INSERT INTO gpkg_geometry_columns VALUES (?,?,?,?,?,?)",
                 (table, GEOM_COLUMN, gsql, srs_id, 1 if has_z else 0, 0))


def _index_feature_table(conn, table: str, n: int, fids: np.ndarray, bounds: np.ndarray) -> None:
    """R-tree (bulk loaded from ``bounds``), its triggers and the feature-count triggers."""
    rtree = q(f"rtree_{table}_{GEOM_COLUMN}")
    conn.execute(f"CREATE VIRTUAL TABLE {rtree} USING rtree(id, minx, maxx, miny, maxy)")
    ok = np.isfinite(bounds).all(axis=1) if n else np.zeros(0, dtype=bool)
    if ok.any():
        bulk_load_rtree(conn, f"rtree_{table}_{GEOM_COLUMN}", fids[ok], bounds[ok])
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    for sql in _rtree_triggers(table, GEOM_COLUMN, version=version):
        conn.execute(sql)
    conn.execute("INSERT INTO gpkg_extensions VALUES (?,?,?,?,?)",
                 (table, GEOM_COLUMN, "gpkg_rtree_index", "http://www.geopackage.org/spec120/#extension_rtree",
                  "write-only"))
    conn.execute("INSERT OR REPLACE INTO gpkg_ogr_contents VALUES (?,?)", (table, n))
    for sql in _count_triggers(table):
        conn.execute(sql)


def copy_feature_table(conn: sqlite3.Connection, schema: str, source_table: str, table: str, *, crs,
                       geometry_type: str, fields: Sequence[Field], fids: np.ndarray, bounds: np.ndarray,
                       has_z: bool = False, source_srs_id: int | None = None, identifier: str | None = None,
                       description: str = "") -> dict:
    """Create (or replace) a feature table as a copy of a table in an attached database.

    Used for layers staged by an import: the rows go across with one
    ``INSERT … SELECT`` inside SQLite, never through Python.  ``fids`` and ``bounds``
    (one row per feature of the source table, NaN bounds for null geometries) feed
    the R-tree bulk load.  When the project file numbers the CRS differently from the
    source database, the ``srs_id`` in each geometry header is rewritten on the way.

    Returns
    -------
    dict
        ``feature_count``, ``extent`` and ``srs_id`` of the written table.
    """
    srs_id, gsql = _create_feature_table(conn, table, crs, geometry_type, fields)
    n = len(fids)
    bounds = np.asarray(bounds, dtype=np.float64).reshape(-1, 4)
    ext = union_bounds(bounds)
    _register_feature_table(conn, table, gsql, srs_id, has_z, ext, identifier, description)
    geom = q(GEOM_COLUMN)
    if source_srs_id is not None and source_srs_id != srs_id:
        # Blobs written by SmartGIS are little-endian (flag bit 0 set): bytes 5-8 hold the srs_id.
        # (|| yields text; the cast gives the same bytes back as a blob)
        geom = (f"CASE WHEN {geom} IS NULL THEN NULL ELSE CAST(substr({geom}, 1, 4) || "
                f"X'{struct.pack('<i', srs_id).hex()}' || substr({geom}, 9) AS BLOB) END")
    names = ", ".join(q(f.name) for f in fields)
    sel = f"{q(FID_COLUMN)}, {geom}" + (f", {names}" if names else "")
    conn.execute(f"INSERT INTO {q(table)} ({q(FID_COLUMN)}, {q(GEOM_COLUMN)}{', ' + names if names else ''}) "
                 f"SELECT {sel} FROM {q(schema)}.{q(source_table)} ORDER BY {q(FID_COLUMN)}")
    _index_feature_table(conn, table, n, np.asarray(fids, dtype=np.int64), bounds)
    return {"feature_count": n, "extent": ext, "srs_id": srs_id}


def _f32_down(v: np.ndarray) -> np.ndarray:
    f = v.astype(np.float32)
    over = f.astype(np.float64) > v
    f[over] = np.nextafter(f[over], np.float32(-np.inf))
    return f


def _f32_up(v: np.ndarray) -> np.ndarray:
    f = v.astype(np.float32)
    under = f.astype(np.float64) < v
    f[under] = np.nextafter(f[under], np.float32(np.inf))
    return f


_CELL = np.dtype([("id", ">i8"), ("x0", ">f4"), ("x1", ">f4"), ("y0", ">f4"), ("y1", ">f4")])


def bulk_load_rtree(conn: sqlite3.Connection, rtree: str, ids: np.ndarray, bounds: np.ndarray) -> None:
    """Fill an empty SQLite R*Tree (minx, maxx, miny, maxy) with a packed tree.

    Inserting a million boxes through the virtual table costs ~10 s, because every
    insert descends and splits nodes.  Like GDAL's bulk loader, this builds the tree
    bottom-up from boxes sorted along a Z-order curve and writes the node blobs into
    the R*Tree's shadow tables (``_node``, ``_rowid``, ``_parent``) directly, in the
    format SQLite's rtree module reads: per node a 2-byte depth (root only), a 2-byte
    cell count and cells of (int64 id, 4 × float32), big-endian.  Coordinates are
    rounded outwards to float32 exactly as SQLite rounds them.  Tests check the result
    with SQLite's ``rtreecheck()``.
    """
    node_size = len(conn.execute(f"SELECT data FROM {q(rtree + '_node')} WHERE nodeno = 1").fetchone()[0])
    cap = (node_size - 4) // _CELL.itemsize
    order = _morton_order(bounds)
    cells = np.empty(len(ids), dtype=_CELL)
    cells["id"] = np.asarray(ids, dtype=np.int64)[order]
    cells["x0"] = _f32_down(bounds[order, 0])
    cells["x1"] = _f32_up(bounds[order, 2])
    cells["y0"] = _f32_down(bounds[order, 1])
    cells["y1"] = _f32_up(bounds[order, 3])

    # Bottom-up: level 0 holds the leaf cells; each higher level holds one cell per node
    # of the level below (its bounding box).  Node i of a level is cells[i*cap:(i+1)*cap].
    levels = [cells]
    while len(levels[-1]) > cap:
        below = levels[-1]
        starts = np.arange(0, len(below), cap)
        up = np.empty(len(starts), dtype=_CELL)
        up["x0"] = np.minimum.reduceat(below["x0"], starts)
        up["x1"] = np.maximum.reduceat(below["x1"], starts)
        up["y0"] = np.minimum.reduceat(below["y0"], starts)
        up["y1"] = np.maximum.reduceat(below["y1"], starts)
        levels.append(up)
    n_nodes = [-(-len(lv) // cap) for lv in levels]      # nodes per level (the top level: 1)
    # Node numbers: the root is 1, then the levels below it from the top down.
    first = {len(levels) - 1: 1}
    nxt = 2
    for k in range(len(levels) - 2, -1, -1):
        first[k] = nxt
        nxt += n_nodes[k]
    for k in range(1, len(levels)):                      # parent cells point at child nodes
        levels[k]["id"] = np.arange(first[k - 1], first[k - 1] + n_nodes[k - 1])
    height = len(levels) - 1
    node_rows, parent_rows = [], []
    for k, lv in enumerate(levels):
        # All nodes of a level as rows of one byte array: head (depth, cell count), cells, zeros.
        m = n_nodes[k]
        pages = np.zeros((m, node_size), dtype=np.uint8)
        counts = np.full(m, cap, dtype=">u2")
        counts[-1] = len(lv) - (m - 1) * cap
        pages[:, 2:4] = counts.view(np.uint8).reshape(m, 2)
        if k == height:
            pages[0, 0:2] = np.frombuffer(height.to_bytes(2, "big"), dtype=np.uint8)
        body = np.zeros(m * cap, dtype=_CELL)
        body[:len(lv)] = lv
        pages[:, 4:4 + cap * _CELL.itemsize] = body.view(np.uint8).reshape(m, -1)
        nodenos = range(first[k], first[k] + m)
        node_rows.extend(zip(nodenos, (bytes(p) for p in pages)))
        if k + 1 < len(levels):
            parent_rows.extend(zip(nodenos, (first[k + 1] + np.arange(m) // cap).tolist()))
    conn.executemany(f"INSERT OR REPLACE INTO {q(rtree + '_node')} VALUES (?, ?)", node_rows)
    conn.executemany(f"INSERT INTO {q(rtree + '_parent')} VALUES (?, ?)", parent_rows)
    # The leaf of each box, in id order: SQLite then appends to the B-tree instead of
    # inserting at random places (a million rows in less than half the time).
    leaf = np.empty(len(cells), dtype=np.int64)
    leaf[order] = first[0] + np.arange(len(cells), dtype=np.int64) // cap
    ids = np.asarray(ids, dtype=np.int64)
    by_id = None if (len(ids) < 2 or bool((ids[1:] > ids[:-1]).all())) else np.argsort(ids, kind="stable")
    if by_id is not None:
        ids, leaf = ids[by_id], leaf[by_id]
    _insert_rowids(conn, rtree + "_rowid", ids, leaf)


def _insert_rowids(conn: sqlite3.Connection, table: str, ids: np.ndarray, nodes: np.ndarray) -> None:
    """Fill an R*Tree's ``_rowid`` table (id → leaf node) with one statement.

    ``ids`` are increasing.  Each pair travels as one integer, ``id << shift | node``
    (or the node alone when the ids are consecutive), in a JSON array that SQLite's
    ``json_each`` unpacks: one statement instead of a million bound rows
    (0.6-1.0 s → 0.25 s a million features).  Ids that do not fit beside the node
    number (negative, or beyond 2**62 >> shift) go row by row.
    """
    sql = f"INSERT INTO {q(table)} (rowid, nodeno)"
    if not len(ids):
        return
    if int(ids[-1]) - int(ids[0]) == len(ids) - 1:     # consecutive ids (the usual case): nodes only
        conn.execute(sql + " SELECT ? + key, value FROM json_each(?)", (int(ids[0]), json_integers(nodes)))
        return
    shift = max(int(nodes.max()).bit_length(), 1)
    if int(ids.min()) < 0 or int(ids.max()) >= (1 << (62 - shift)):
        conn.executemany(sql + " VALUES (?, ?)", zip(ids.tolist(), nodes.tolist()))
        return
    packed = (ids << np.int64(shift)) | nodes
    conn.execute(sql + f" SELECT value >> {shift}, value & {(1 << shift) - 1} FROM json_each(?)",
                 (json_integers(packed),))


def json_integers(values: np.ndarray) -> str:
    """A JSON array of non-negative integers, written by numpy: every number padded with
    spaces to the width of the largest (JSON allows the spaces), a tenth of the time of
    ``",".join(map(str, ...))``."""
    v = np.asarray(values, dtype=np.int64)
    if not len(v):
        return "[]"
    if int(v.min()) < 0:
        raise ValueError("json_integers takes non-negative integers")
    width = len(str(int(v.max())))
    text = np.full((len(v), width + 1), ord(" "), dtype=np.uint8)
    text[:, width] = ord(",")
    rest = v.copy()
    for col in range(width - 1, -1, -1):
        digit = (rest % 10).astype(np.uint8) + ord("0")
        shown = (rest > 0) | (col == width - 1)      # no leading zeros; 0 itself is "0"
        text[shown, col] = digit[shown]
        rest //= 10
    text[-1, width] = ord("]")
    return "[" + text.tobytes().decode("ascii")


def _morton_order(bb: np.ndarray) -> np.ndarray:
    cx = (bb[:, 0] + bb[:, 2]) * 0.5
    cy = (bb[:, 1] + bb[:, 3]) * 0.5
    span = max(np.ptp(cx), np.ptp(cy), 1e-9)
    ix = ((cx - cx.min()) / span * 65535).astype(np.uint64)
    iy = ((cy - cy.min()) / span * 65535).astype(np.uint64)
    code = _spread(ix) | (_spread(iy) << np.uint64(1))
    return np.argsort(code)   # introsort (SIMD): a quarter of a stable sort's time; ties in any order


def _spread(v: np.ndarray) -> np.ndarray:
    v = v & np.uint64(0xFFFF)
    v = (v | (v << np.uint64(8))) & np.uint64(0x00FF00FF)
    v = (v | (v << np.uint64(4))) & np.uint64(0x0F0F0F0F)
    v = (v | (v << np.uint64(2))) & np.uint64(0x33333333)
    v = (v | (v << np.uint64(1))) & np.uint64(0x55555555)
    return v


# -- reading feature tables -------------------------------------------------------------
def feature_tables(conn: sqlite3.Connection) -> list[dict]:
    """Registered feature tables with geometry column, type, srs and extent."""
    rows = conn.execute(
        "SELECT c.table_name, c.identifier, c.description, c.min_x, c.min_y, c.max_x, c.max_y, c.srs_id, "
        "g.column_name, g.geometry_type_name, g.z, g.m FROM gpkg_contents c JOIN gpkg_geometry_columns g "
        "ON lower(c.table_name) = lower(g.table_name) WHERE c.data_type = 'features' ORDER BY c.rowid").fetchall()
    out = []
    for (t, ident, desc, x0, y0, x1, y1, srs, col, gtype, z, m) in rows:
        ext = [x0, y0, x1, y1] if None not in (x0, y0, x1, y1) else None
        out.append({"table": t, "identifier": ident or t, "description": desc or "", "extent": ext,
                    "srs_id": srs, "geometry_column": col, "geometry_type": geometry_model_type(gtype),
                    "z": z, "m": m})
    return out


def table_columns(conn: sqlite3.Connection, table: str) -> tuple[str, str | None, list[Field]]:
    """(primary key column, geometry column, attribute fields) of a table."""
    info = conn.execute(f"PRAGMA table_info({q(table)})").fetchall()
    if not info:
        raise DamagedProjectError(_("table {table!r} is missing", table=table))
    geom_col = conn.execute("SELECT column_name FROM gpkg_geometry_columns WHERE lower(table_name)=lower(?)",
                            (table,)).fetchone()
    geom_col = geom_col[0] if geom_col else None
    pk = next((r[1] for r in info if r[5] == 1), "rowid")
    fields = [Field(r[1], type_from_sql(r[2])) for r in info
              if r[1] != pk and (geom_col is None or r[1].lower() != geom_col.lower())]
    return pk, geom_col, fields


def feature_count(conn: sqlite3.Connection, table: str) -> int:
    """Number of rows, from ``gpkg_ogr_contents`` when it is maintained, else COUNT(*)."""
    if table_exists(conn, "gpkg_ogr_contents"):
        row = conn.execute("SELECT feature_count FROM gpkg_ogr_contents WHERE lower(table_name)=lower(?)",
                           (table,)).fetchone()
        has_trigger = conn.execute("SELECT 1 FROM sqlite_master WHERE type='trigger' AND name=?",
                                   (f"trigger_insert_feature_count_{table}",)).fetchone()
        if row and row[0] is not None and has_trigger:
            return int(row[0])
    return int(conn.execute(f"SELECT COUNT(*) FROM {q(table)}").fetchone()[0])


#: Rows decoded per step when reading a table (about 10 ms of work each).
READ_CHUNK = 10_000

_collector_lock = threading.Lock()
_collector_pauses = 0
_collector_was_enabled = False


@contextmanager
def many_lasting_objects():
    """Pause Python's cyclic garbage collector while a million objects are made.

    Shapely geometries are tracked by the collector.  While a large layer loads, its
    new geometries keep triggering collections, and the full ones walk every tracked
    object of the process with the GIL held — up to 50–150 ms during which no other
    thread, the window's included, runs.  So the collector is paused while the layer
    is read; at the end, what was made is moved straight into the oldest generation
    (``gc.freeze()`` then ``gc.unfreeze()``: a list splice, no walk), instead of being
    walked by the young collections that would follow.  Nothing stays frozen, so
    garbage cycles are still collected.  Nested and concurrent reads share one pause.
    """
    global _collector_pauses, _collector_was_enabled
    with _collector_lock:
        if _collector_pauses == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _collector_pauses += 1
    try:
        yield
    finally:
        with _collector_lock:
            _collector_pauses -= 1
            if _collector_pauses == 0:
                gc.freeze()
                gc.unfreeze()
                if _collector_was_enabled:
                    gc.enable()


#: Rows fetched per sqlite call by :func:`fetch_rows`.
FETCH_STEP = 500


def fetch_rows(cursor: sqlite3.Cursor, n: int) -> list:
    """Up to ``n`` rows of ``cursor``, fetched :data:`FETCH_STEP` at a time with
    :func:`~smartgis.core.gil.share_gil` between.

    sqlite gives the GIL up for every row, too briefly for a waiting thread to take
    it; a long fetch on a worker thread would starve the window's thread.
    """
    rows: list = []
    while len(rows) < n:
        part = cursor.fetchmany(min(FETCH_STEP, n - len(rows)))
        if not part:
            break
        rows += part
        share_gil()
    return rows


def wkb_sql(geom_col: str) -> str:
    """An SQL expression giving the WKB of a GeoPackage geometry column.

    The header is stripped inside SQLite (its length follows from the envelope code
    in the flags byte), so Python only hands WKB to shapely.  NULL for null and empty
    geometries and for blobs that are not GeoPackage geometries.
    """
    g = q(geom_col)
    strip = (f"substr({g}, CASE hex(substr({g}, 4, 1)) WHEN '01' THEN 9 WHEN '00' THEN 9 "
             f"WHEN '03' THEN 41 WHEN '02' THEN 41 WHEN '05' THEN 57 WHEN '04' THEN 57 WHEN '07' THEN 57 "
             f"WHEN '06' THEN 57 WHEN '09' THEN 73 WHEN '08' THEN 73 ELSE NULL END)")
    return (f"CASE WHEN {g} IS NULL OR substr({g}, 1, 2) != X'4750' "
            f"OR (unicode(substr({g}, 4, 1)) & 16) THEN NULL ELSE {strip} END")


def read_geometries(conn: sqlite3.Connection, table: str) -> tuple[np.ndarray, np.ndarray]:
    """(fids, geometries) of a feature table, in primary-key order.

    The GeoPackage header is stripped inside SQLite (:func:`wkb_sql`).  The rows
    are read and decoded in chunks of :data:`READ_CHUNK`, handing the GIL to other
    threads between chunks; for a large table the garbage collector is paused
    meanwhile (see :func:`many_lasting_objects`).
    """
    pk, geom_col, _ = table_columns(conn, table)
    sql = f"SELECT {q(pk)}, {wkb_sql(geom_col)} FROM {q(table)} ORDER BY {q(pk)}"
    fid_parts: list = []
    geom_parts: list = []
    cur = conn.execute(sql)
    rows = fetch_rows(cur, READ_CHUNK)
    if len(rows) < READ_CHUNK:
        # one chunk: nothing to pause or hand over
        return decode_rows(rows)
    with many_lasting_objects():
        while rows:
            # Small chunks: decoding holds the GIL, and a layer loading on a worker
            # thread must let the window's thread run every few milliseconds.
            f, g = decode_rows(rows)
            fid_parts.append(f)
            geom_parts.append(g)
            del rows
            share_gil()
            rows = fetch_rows(cur, READ_CHUNK)
        return np.concatenate(fid_parts), np.concatenate(geom_parts)


#: WKB bytes decoded per shapely call (a few milliseconds of holding the GIL).
DECODE_BYTES = 256 * 1024


def decode_rows(rows: list) -> tuple[np.ndarray, np.ndarray]:
    """(fids, geometries) of ``(fid, wkb)`` rows (``wkb`` from :func:`wkb_sql`).

    Decoded :data:`DECODE_BYTES` at a time with
    :func:`~smartgis.core.gil.share_gil` between: ``from_wkb`` holds the GIL.
    """
    if not rows:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=object)
    f, w = zip(*rows)
    arr = np.empty(len(w), dtype=object)
    arr[:] = w
    fids = np.asarray(f, dtype=np.int64)
    ends = np.cumsum([len(b) if b else 0 for b in w])
    if ends[-1] <= DECODE_BYTES:
        return fids, shapely.from_wkb(arr, on_invalid="warn")
    cuts = np.searchsorted(ends, np.arange(DECODE_BYTES, ends[-1], DECODE_BYTES), side="right")
    bounds = np.unique(np.concatenate([[0], cuts, [len(arr)]]))
    parts = []
    for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        parts.append(shapely.from_wkb(arr[a:b], on_invalid="warn"))
        share_gil()
    return fids, np.concatenate(parts)


#: Length of a GeoPackage geometry header by envelope code (flags bits 1-3).
_HEADER_LENGTH = {0: 8, 1: 40, 2: 56, 3: 56, 4: 72}


def strip_headers(blobs) -> np.ndarray:
    """WKB of raw GeoPackage geometry blobs (an object array; None where
    :func:`wkb_sql` gives NULL: null, empty or not a GeoPackage geometry).

    Stripping in Python costs less than SQLite's ``substr``/``CASE`` per row when
    the blobs share one header layout (files written by one program always do).
    """
    out = np.empty(len(blobs), dtype=object)
    if not len(blobs):
        return out
    cut = None
    first = blobs[0]
    if first is not None and len(first) > 8:
        cut = _HEADER_LENGTH.get((first[3] >> 1) & 7)
    if cut is not None:
        flags = first[3]
        try:
            out[:] = [b[cut:] if b[3] == flags and b[:2] == b"GP" else _strip_one(b) for b in blobs]
            return out
        except (TypeError, IndexError):
            pass   # a null or short blob somewhere: the careful way below
    out[:] = [_strip_one(b) for b in blobs]
    return out


def _strip_one(b):
    if not isinstance(b, (bytes, bytearray, memoryview)) or len(b) < 8 or bytes(b[:2]) != b"GP" or b[3] & 16:
        return None
    cut = _HEADER_LENGTH.get((b[3] >> 1) & 7)
    return None if cut is None else bytes(b[cut:])


def read_attributes(conn: sqlite3.Connection, table: str, fields: list[Field] | None = None) -> AttributeTable:
    """The attribute columns of a table, in primary-key order.

    Read in chunks of :data:`READ_CHUNK` rows, handing the GIL to other threads
    between chunks (attributes load on a worker thread while the window runs).
    """
    pk, _geom, cols = table_columns(conn, table)
    fields = fields or cols
    if not fields:
        n = conn.execute(f"SELECT COUNT(*) FROM {q(table)}").fetchone()[0]
        return AttributeTable([], length=n)
    sel = ", ".join(q(f.name) for f in fields)
    cur = conn.execute(f"SELECT {sel} FROM {q(table)} ORDER BY {q(pk)}")
    parts = []
    while True:
        rows = fetch_rows(cur, READ_CHUNK)
        if not rows:
            break
        parts.append(_attributes_of(rows, fields))
        del rows
        share_gil()
    if len(parts) <= 1:
        return parts[0] if parts else _attributes_of([], fields)
    # A column takes the type of its chunks, or object when a chunk had nulls or
    # odd values: what one table built from all rows at once would hold.
    columns = {f.name: np.concatenate([p.column(f.name) for p in parts]) for f in fields}
    return AttributeTable(fields, columns, length=sum(len(p) for p in parts))


def _attributes_of(rows: list, fields: list[Field]) -> AttributeTable:
    """An attribute table of rows of field values (in ``fields`` order)."""
    columns = {}
    for j, f in enumerate(fields):
        vals = [r[j] for r in rows]
        if f.type == "bool":
            vals = [None if v is None else bool(v) for v in vals]
        elif f.type == "json":
            vals = [_json_or_text(v) for v in vals]
        elif f.type == "int":
            vals = [int(v) if isinstance(v, (int, float)) and v == v else (None if v is None else v) for v in vals]
        columns[f.name] = vals
    return AttributeTable(fields, columns, length=len(rows))


def _json_or_text(v):
    if not isinstance(v, str):
        return v
    try:
        return json.loads(v)
    except ValueError:
        return v


# -- attribute (non-spatial) tables -----------------------------------------------------
def create_attributes_table(conn: sqlite3.Connection, table: str, columns: Sequence[tuple[str, str]],
                            description: str = "") -> None:
    """Create a non-spatial table registered in ``gpkg_contents`` as ``attributes``.

    Registration matters: GDAL and QGIS ignore, and ``ogr2ogr`` silently drops,
    unregistered tables once other tables are registered.
    """
    if table_exists(conn, table):
        return
    cols = ", ".join(f"{q(n)} {t}" for n, t in columns)
    conn.execute(f"CREATE TABLE {q(table)} (id INTEGER PRIMARY KEY AUTOINCREMENT, {cols})")
    conn.execute("INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, description) "
                 "VALUES (?, 'attributes', ?, ?)", (table, table, description))


def replace_rows(conn: sqlite3.Connection, table: str, rows: Sequence[dict]) -> None:
    """Replace the content of an attributes table with ``rows`` (dicts of column values)."""
    conn.execute(f"DELETE FROM {q(table)}")
    if not rows:
        return
    names = [c for c in rows[0].keys() if c != "id"]
    sql = f"INSERT INTO {q(table)} ({', '.join(q(c) for c in names)}) VALUES ({','.join('?' * len(names))})"
    conn.executemany(sql, ([_plain(r.get(c)) for c in names] for r in rows))


def _plain(v):
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, np.generic):
        return v.item()
    return v


def read_rows(conn: sqlite3.Connection, table: str, order: str = "id") -> list[dict]:
    if not table_exists(conn, table):
        return []
    cur = conn.execute(f"SELECT * FROM {q(table)} ORDER BY {q(order)}")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]
