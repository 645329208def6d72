"""SmartGIS's rows in a project schema (project properties, layer definitions, layer
tree, catalog snapshot, other parts' tables) and QGIS styles — written by a publish
and by saves alike."""

from __future__ import annotations

import base64
import datetime as _dt
import json
import os

import numpy as np
from psycopg import sql

from smartgis import FORMAT_VERSION, __version__
from smartgis.core.design import ElementLayer
from smartgis.core.layers import RasterLayer, VectorLayer
from smartgis.crs import crs_to_string, parse_crs
from smartgis.postgis import ddl
from smartgis.project.qml import style_to_qml

STYLE_NAME = "smartgis"


def srid_for(conn, crs) -> int:
    """The SRID of a CRS on the server: its EPSG code when the server knows it, else a
    system SmartGIS adds to ``spatial_ref_sys`` (from 910000 up; 0 when not allowed)."""
    c = parse_crs(crs)
    auth = c.to_authority(min_confidence=100)
    if auth and auth[0] == "EPSG":
        code = int(auth[1])
        if conn.execute("SELECT 1 FROM spatial_ref_sys WHERE srid = %s", (code,)).fetchone():
            return code
    wkt = c.to_wkt("WKT1_GDAL") if c.is_projected else c.to_wkt()
    proj = c.to_proj4() or ""
    row = conn.execute("SELECT srid FROM spatial_ref_sys WHERE auth_name = 'SMARTGIS' AND srtext = %s",
                       (wkt,)).fetchone()
    if row:
        return int(row[0])
    conn.execute("SAVEPOINT srs")
    try:
        srid = conn.execute("SELECT greatest(coalesce(max(srid), 909999), 909999) + 1 FROM spatial_ref_sys "
                            "WHERE srid >= 910000 AND srid < 998999").fetchone()[0]
        conn.execute("INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text) "
                     "VALUES (%s, 'SMARTGIS', %s, %s, %s)", (srid, srid, wkt, proj))
        conn.execute("RELEASE SAVEPOINT srs")
        return int(srid)
    except Exception:  # noqa: BLE001 - psycopg.Error: no right to add a system; the CRS stays in the definition
        conn.execute("ROLLBACK TO SAVEPOINT srs")
        return 0


def layer_definition(lyr, position: int) -> dict:
    """The ``smartgis_layers`` row of a layer (its definition as the GeoPackage keeps it,
    with its fields, and raster paths made absolute: the server has no project folder)."""
    d = lyr.definition()
    if isinstance(lyr, RasterLayer) and lyr.path:
        d["path"] = os.path.abspath(lyr.path)
    if isinstance(lyr, VectorLayer):
        d["feature_count"] = lyr.feature_count
        d["extent"] = [float(v) for v in lyr.extent] if lyr.extent else None
        d["fields"] = [f.to_dict() for f in lyr.fields]
    d["available"] = lyr.available
    return {"layer_id": lyr.id, "name": lyr.name, "kind": lyr.kind, "table_name": getattr(lyr, "table_name", None),
            "definition": json.dumps(d, ensure_ascii=False, default=_plain), "position": position}


def _plain(o):
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, (bytes, bytearray, memoryview)):
        # a BLOB (the WKB of check gaps) travels in the row's JSON as base64
        return {BYTES_KEY: base64.b64encode(bytes(o)).decode("ascii")}
    raise TypeError(type(o).__name__)


#: How a BLOB value is marked in a row kept as JSON.
BYTES_KEY = "$smartgis_bytes"


def row_from_json(row: dict) -> dict:
    """A row as its part wrote it (BLOBs back from base64)."""
    return {k: base64.b64decode(v[BYTES_KEY]) if isinstance(v, dict) and len(v) == 1 and BYTES_KEY in v else v
            for k, v in row.items()}


def project_rows(project, srid: int) -> dict:
    now = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()
    project.metadata["modified"] = now
    return {"format_version": str(FORMAT_VERSION), "app_version": __version__, "name": project.name,
            "description": project.description, "crs": crs_to_string(project.crs),
            "metadata": json.dumps(project.metadata, ensure_ascii=False),
            "settings": json.dumps({k: v for k, v in project.settings.items() if k != "team"}, ensure_ascii=False),
            "saved": now, "srid": str(srid)}


def catalog_rows(project) -> dict:
    used = {lyr.element_type.id for lyr in project.layers.values() if isinstance(lyr, ElementLayer)}
    common = [f.name for f in project.catalog.common]
    return {t.id: (t.origin, json.dumps(t.to_dict(common), ensure_ascii=False))
            for t in project.catalog if t.id in used or t.origin == "project"}


def upsert(conn, schema: str, table: str, key: str, rows: list[dict]) -> None:
    """Insert or update rows by their key column."""
    if not rows:
        return
    names = list(rows[0])
    stmt = sql.SQL("INSERT INTO {t} ({cols}) VALUES ({vals}) ON CONFLICT ({key}) DO UPDATE SET {sets}").format(
        t=sql.Identifier(schema, table), cols=sql.SQL(", ").join(sql.Identifier(n) for n in names),
        vals=sql.SQL(", ").join(sql.Placeholder() for _ in names), key=sql.Identifier(key),
        sets=sql.SQL(", ").join(sql.SQL("{} = EXCLUDED.{}").format(sql.Identifier(n), sql.Identifier(n))
                                for n in names if n != key))
    with conn.cursor() as cur:
        cur.executemany(stmt, [[r[n] for n in names] for r in sorted(rows, key=lambda r: str(r[key]))])


def write_project_rows(conn, schema: str, project, srid: int) -> None:
    rows = project_rows(project, srid)
    upsert(conn, schema, "smartgis_project", "key", [{"key": k, "value": v} for k, v in rows.items()])


def write_tree(conn, schema: str, rows: list[dict]) -> None:
    t = sql.Identifier(schema, "smartgis_layer_tree")
    conn.execute(sql.SQL("DELETE FROM {}").format(t))
    if rows:
        with conn.cursor() as cur:
            cur.executemany(sql.SQL("INSERT INTO {} (node_id, parent_id, position, kind, name, layer_id, visible, "
                                    "expanded) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)").format(t),
                            [(r["node_id"], r["parent_id"], r["position"], r["kind"], r["name"], r["layer_id"],
                              bool(r["visible"]), bool(r["expanded"])) for r in rows])


def insert_extra_rows(conn, schema: str, name: str, rows: list[dict]) -> list[int]:
    """Append rows to another part's table; returns their row ids."""
    if not rows:
        return []
    ddl.create_extra_table(conn, schema, name)
    with conn.cursor() as cur:
        cur.executemany(sql.SQL("INSERT INTO {} (row) VALUES (%s::json) RETURNING {}").format(
            sql.Identifier(schema, name), sql.Identifier(ddl.ROWID)),
            [(json.dumps(r, ensure_ascii=False, default=_plain),) for r in rows], returning=True)
        ids = []
        while True:
            ids.append(cur.fetchone()[0])
            if not cur.nextset():
                break
    return ids


def write_style(conn, schema: str, styles_schema: str | None, lyr: VectorLayer) -> None:
    """The layer's style as the default QML style QGIS finds for its table."""
    if styles_schema is None:
        return
    qml = style_to_qml(lyr.style, lyr.geometry_type, lyr.opacity, lyr.name)
    t = sql.Identifier(styles_schema, "layer_styles")
    db = conn.info.dbname
    conn.execute(sql.SQL("DELETE FROM {} WHERE f_table_catalog = %s AND f_table_schema = %s AND f_table_name = %s "
                         "AND stylename = %s").format(t), (db, schema, lyr.table_name, STYLE_NAME))
    conn.execute(sql.SQL("UPDATE {} SET useasdefault = false WHERE f_table_catalog = %s AND f_table_schema = %s "
                         "AND f_table_name = %s").format(t), (db, schema, lyr.table_name))
    conn.execute(sql.SQL("INSERT INTO {} (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
                         "stylename, styleqml, stylesld, useasdefault, description, owner, ui, update_time) "
                         "VALUES (%s, %s, %s, %s, %s, %s::xml, NULL, true, %s, 'SmartGIS', NULL, now())").format(t),
                 (db, schema, lyr.table_name, ddl.GEOM, STYLE_NAME, qml, f"{lyr.name} (SmartGIS)"))


def drop_styles(conn, schema: str) -> None:
    where, exists = ddl.layer_styles_location(conn, schema)
    if exists:
        conn.execute(sql.SQL("DELETE FROM {} WHERE f_table_catalog = %s AND f_table_schema = %s").format(
            sql.Identifier(where, "layer_styles")), (conn.info.dbname, schema))
