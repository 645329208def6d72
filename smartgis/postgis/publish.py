"""``publish``: a project file becomes a project schema on a PostGIS server.

Every vector and design layer becomes a table (``fid``, a typed ``geom`` column in
the layer's CRS with a GiST index, its fields, row versions), SmartGIS's tables come
along, and each layer's style goes into QGIS's ``layer_styles`` so QGIS draws the
same symbols.  Rows are sent with binary ``COPY``.  All in one transaction: a failed
publish leaves nothing behind.
"""

from __future__ import annotations

import time

import numpy as np
import shapely
from psycopg import sql

from smartgis.core.design import ElementLayer
from smartgis.core.layers import VectorLayer
from smartgis.core.progress import report
from smartgis.i18n import _
from smartgis.postgis import ddl, meta
from smartgis.postgis.connect import connect, schema_exists, server_error
from smartgis.postgis.errors import ServerError
from smartgis.postgis.roles import grant_roles
from smartgis.postgis.rows import copy_rows, key_of
from smartgis.postgis.url import parse_url

_TYPE_IDS = {"Point": {0}, "LineString": {1}, "Polygon": {3}, "MultiPoint": {4}, "MultiLineString": {5},
             "MultiPolygon": {6}, "GeometryCollection": {7}}


def column_geometry_type(lyr: VectorLayer) -> str:
    """The layer's type when every geometry has it (else ``Geometry``: PostGIS refuses
    a polygon in a multipolygon column, a GeoPackage does not)."""
    want = _TYPE_IDS.get(lyr.geometry_type or "")
    if want is None:
        return "Geometry"
    g = lyr.geometries
    present = g[~shapely.is_missing(g)] if len(g) else g
    if len(present) and not set(np.unique(shapely.get_type_id(present)).tolist()) <= want:
        return "Geometry"
    return lyr.geometry_type


def create_layer_table(conn, schema: str, lyr: VectorLayer, project_crs, progress=None) -> int:
    """Create the table of a layer and send its rows; returns the row count."""
    if isinstance(lyr, ElementLayer):
        lyr.ensure_fields()
    srid = meta.srid_for(conn, lyr.crs or project_crs)
    fields = list(lyr.fields)
    key = key_of(lyr)
    ddl.create_feature_table(conn, schema, lyr.table_name, fields, column_geometry_type(lyr), srid, key)
    n = copy_rows(conn, schema, lyr.table_name, lyr.geometries, lyr.table, fields, srid, fids=lyr.fids,
                  progress=progress)
    ddl.finish_feature_table(conn, schema, lyr.table_name, key)
    return n


def publish(project, url, force: bool = False, reviewer_roles=(), designer_roles=(), reader_roles=(),
            progress=None, password: str | None = None) -> dict:
    """Write ``project`` into the schema of ``url``.

    Parameters
    ----------
    force : bool
        Replace a schema that exists (its tables and styles are dropped first).
    reviewer_roles, designer_roles, reader_roles : sequence of str
        Database roles given rights (see :mod:`smartgis.postgis.roles`).

    Returns
    -------
    dict
        ``url``, ``schema``, ``layers``, ``features``, ``seconds``.

    Raises
    ------
    ServerError
        The schema exists (without ``force``), or the server refuses.
    """
    import psycopg
    url = parse_url(url)
    t0 = time.perf_counter()
    conn = connect(url, password)
    try:
        with conn.transaction():
            if schema_exists(conn, url.schema):
                if not force:
                    raise ServerError(_("the schema {schema!r} exists already; give --force to replace it",
                                        schema=url.schema), url)
                meta.drop_styles(conn, url.schema)
                conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(url.schema)))
            out = _publish(conn, project, url, progress, reviewer_roles, designer_roles, reader_roles)
    except psycopg.Error as exc:
        raise server_error(exc, url) from None
    finally:
        conn.close()
    out["seconds"] = round(time.perf_counter() - t0, 3)
    report(progress, 1, 1, _("published"))
    return out


def _publish(conn, project, url, progress, reviewer_roles, designer_roles, reader_roles) -> dict:
    schema = url.schema
    ddl.create_schema(conn, schema)
    styles = ddl.create_layer_styles(conn)
    srid = meta.srid_for(conn, project.crs)
    vectors = [lyr for lyr in project.ordered_layers() if isinstance(lyr, VectorLayer) and lyr.available]
    total = sum(max(1, lyr.feature_count) for lyr in vectors) or 1
    done = 0
    features = 0
    for lyr in vectors:
        def prog(k, n, _done=done, _lyr=lyr):
            report(progress, 0.9 * (_done + k) / total, 1, _("writing {layer}", layer=_lyr.name))
        features += create_layer_table(conn, schema, lyr, project.crs, prog)
        done += max(1, lyr.feature_count)
        meta.write_style(conn, schema, styles, lyr)
    layer_rows = [meta.layer_definition(lyr, i) for i, lyr in enumerate(project.layers.values())]
    meta.upsert(conn, schema, "smartgis_layers", "layer_id", layer_rows)
    meta.write_project_rows(conn, schema, project, srid)
    meta.write_tree(conn, schema, project.tree.to_rows())
    meta.upsert(conn, schema, "smartgis_catalog", "type_id",
                [{"type_id": k, "origin": o, "definition": d} for k, (o, d) in meta.catalog_rows(project).items()])
    for name, rows in project.extra_tables.items():
        ddl.create_extra_table(conn, schema, name)
        meta.insert_extra_rows(conn, schema, name, rows)
    roles = {"reviewer": list(reviewer_roles), "designer": list(designer_roles), "reader": list(reader_roles)}
    grant_roles(conn, schema, roles)
    return {"url": str(url), "schema": schema, "layers": len(project.layers), "tables": len(vectors),
            "features": int(features), "styles": styles is not None, "roles": roles}


__all__ = ["publish", "create_layer_table", "column_geometry_type"]
