"""Rows of feature tables: bulk writing with COPY, reading into numpy/shapely, and
the row digests that tell which rows a person changed.

A layer's rows are identified by a *key*: ``uid`` for design layers (unique across
colleagues, so two designers adding elements at once never collide), ``fid`` for
other layers.
"""

from __future__ import annotations

import hashlib
import json
import math

import numpy as np
import shapely
from psycopg import sql

from smartgis.core.fields import Field
from smartgis.core.gil import share_gil
from smartgis.core.table import AttributeTable
from smartgis.postgis import ddl
from smartgis.postgis.ddl import FID, GEOM, VERSION

#: psycopg dump types for COPY ... (FORMAT BINARY), by model field type.
COPY_TYPES = {"int": "int8", "float": "float8", "str": "text", "bool": "bool", "date": "text", "datetime": "text",
              "json": "text", "bytes": "bytea"}

#: Rows fetched and decoded per step (the window's thread takes the GIL between steps).
FETCH = 20_000


def key_of(layer) -> str:
    """``uid`` for a design layer, ``fid`` for any other."""
    return "uid" if getattr(layer, "kind", "") == "design" else FID


def ewkb(geoms, srid: int) -> list:
    """Extended WKB (with the SRID) of each geometry; None stays None."""
    g = np.asarray(geoms, dtype=object)
    if not len(g):
        return []
    g = shapely.set_srid(g, int(srid)) if srid else g
    return shapely.to_wkb(g, include_srid=bool(srid), flavor="extended").tolist()


def column_values(col: np.ndarray, f: Field) -> list:
    """A column as plain Python values for the server (NaN and None → NULL)."""
    vals = col.tolist()
    t = f.type
    if t == "float":
        return [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in vals]
    if t == "int":
        return [None if v is None or (isinstance(v, float) and math.isnan(v)) else int(v) for v in vals]
    if t == "bool":
        return [None if v is None else bool(v) for v in vals]
    if t == "bytes":
        return [None if v is None else bytes(v) for v in vals]
    if t == "json":
        return [None if v is None else (v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)) for v in vals]
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v) for v in vals]


def copy_rows(conn, schema: str, table: str, geoms, attrs: AttributeTable, fields: list[Field], srid: int,
              fids=None, rows=None, progress=None) -> int:
    """Write rows with ``COPY … FROM STDIN (FORMAT BINARY)``; returns the row count.

    ``rows`` (indices) limits the write to those rows; ``fids`` writes explicit fids.
    """
    idx = np.arange(len(geoms)) if rows is None else np.asarray(rows, dtype=np.int64)
    if not len(idx):
        return 0
    names = ([FID] if fids is not None else []) + [GEOM] + [f.name for f in fields]
    types = (["int8"] if fids is not None else []) + ["bytea"] + [COPY_TYPES.get(f.type, "text") for f in fields]
    stmt = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
        sql.Identifier(schema, table), sql.SQL(", ").join(sql.Identifier(n) for n in names))
    g = np.asarray(geoms, dtype=object)
    step = 50_000
    with conn.cursor() as cur, cur.copy(stmt) as cp:
        cp.set_types(types)
        for a in range(0, len(idx), step):
            part = idx[a:a + step]
            cols = []
            if fids is not None:
                cols.append(np.asarray(fids, dtype=np.int64)[part].tolist())
            cols.append(ewkb(g[part], srid))
            for f in fields:
                cols.append(column_values(attrs.column(f.name)[part], f))
            for row in zip(*cols):
                cp.write_row(row)
            share_gil()
            if progress is not None:
                progress(a + len(part), len(idx))
    return len(idx)


def read_table(conn, schema: str, table: str, fields: list[Field], where: sql.Composable | None = None,
               params=(), geometry: bool = True) -> tuple[np.ndarray, np.ndarray, AttributeTable, np.ndarray]:
    """``(fids, geometries, attributes, versions)`` of a feature table in fid order
    (without ``geometry``, the geometries are all None: only attributes are sent)."""
    geom = sql.SQL("ST_AsBinary({})").format(sql.Identifier(GEOM)) if geometry else sql.SQL("NULL::bytea")
    cols = [sql.Identifier(FID), geom, sql.Identifier(VERSION)]
    cols += [sql.Identifier(f.name) for f in fields]
    q = sql.SQL("SELECT {} FROM {}").format(sql.SQL(", ").join(cols), sql.Identifier(schema, table))
    if where is not None:
        q = q + sql.SQL(" WHERE ") + where
    q = q + sql.SQL(" ORDER BY {}").format(sql.Identifier(FID))
    fid_parts, geom_parts, ver_parts = [], [], []
    col_parts: list[list] = [[] for _ in fields]
    with conn.cursor(binary=True) as cur:
        cur.execute(q, params)
        while True:
            rows = cur.fetchmany(FETCH)
            if not rows:
                break
            cols_t = list(zip(*rows))
            fid_parts.append(np.asarray(cols_t[0], dtype=np.int64))
            w = np.empty(len(rows), dtype=object)
            w[:] = cols_t[1]
            geom_parts.append(shapely.from_wkb(w, on_invalid="warn"))
            ver_parts.append(np.asarray(cols_t[2], dtype=np.int64))
            for j, f in enumerate(fields):
                col_parts[j].extend(_from_server(cols_t[3 + j], f))
            share_gil()
    if fid_parts:
        fids, geoms, versions = np.concatenate(fid_parts), np.concatenate(geom_parts), np.concatenate(ver_parts)
    else:
        fids, geoms, versions = np.empty(0, np.int64), np.empty(0, object), np.empty(0, np.int64)
    table_ = AttributeTable(fields, {f.name: col_parts[j] for j, f in enumerate(fields)}, length=len(fids))
    return fids, geoms, table_, versions


def _from_server(values, f: Field) -> list:
    if f.type == "json":
        out = []
        for v in values:
            if isinstance(v, str):
                try:
                    v = json.loads(v)
                except ValueError:
                    pass
            out.append(v)
        return out
    if f.type == "bytes":
        return [None if v is None else bytes(v) for v in values]
    return list(values)


def _norm(values: list, f: Field) -> list:
    t = f.type
    out = []
    for v in values:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            out.append(None)
        elif t == "float":
            out.append(float(v))
        elif t == "int":
            out.append(int(v))
        elif t == "bool":
            out.append(bool(v))
        elif t == "json" and not isinstance(v, str):
            out.append(json.dumps(v, sort_keys=True, ensure_ascii=False))
        elif t == "bytes":
            out.append(bytes(v))
        else:
            out.append(str(v))
    return out


def digests(geoms, attrs: AttributeTable, fields: list[Field]) -> np.ndarray:
    """A 16-byte digest of each row (geometry WKB and field values, normalised by type)."""
    g = np.asarray(geoms, dtype=object)
    n = len(g)
    out = np.empty(n, dtype=object)
    if not n:
        return out
    wkb = shapely.to_wkb(g).tolist()
    cols = [_norm(attrs.column(f.name).tolist(), f) if attrs.has_field(f.name) else [None] * n for f in fields]
    for i, row in enumerate(zip(wkb, *cols)):
        out[i] = hashlib.blake2b(repr(row).encode("utf-8", "surrogatepass"), digest_size=16).digest()
    return out


def keys_of(layer_key: str, fids: np.ndarray, attrs: AttributeTable) -> np.ndarray:
    """The key of each row: its uid (design layers) or its fid."""
    if layer_key == FID:
        return np.asarray(fids, dtype=np.int64).astype(object)
    return np.asarray(attrs.column(layer_key), dtype=object)


def table_fields(conn, schema: str, table: str, d: dict) -> list[Field]:
    """The layer's fields: as its definition names them, for the columns the table has."""
    cols = conn.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = %s "
                        "AND table_name = %s ORDER BY ordinal_position", (schema, table)).fetchall()
    declared = {f["name"]: f for f in d.get("fields") or []}
    out = []
    for name, pg in cols:
        if name in (ddl.FID, ddl.GEOM) or name in ddl.ROW_COLUMNS:
            continue
        out.append(Field.from_dict(declared[name]) if name in declared else Field(name, ddl.model_type(pg)))
    return out
