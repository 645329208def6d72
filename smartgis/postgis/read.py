"""Opening a project from a PostGIS schema as an ordinary :class:`~smartgis.core.project.Project`.

Layers are built through the model's public constructors, as the GeoPackage store
builds them, and load their rows lazily: geometries, attributes and row versions come
in one query on first use (one consistent reading of the table).
"""

from __future__ import annotations

import json

import numpy as np
from psycopg import sql

from smartgis import FORMAT_VERSION, __version__
from smartgis.core.catalog import ElementType, default_catalog
from smartgis.core.design import ElementLayer
from smartgis.core.layers import RasterLayer, VectorLayer, layer_from_definition
from smartgis.core.layertree import LayerTree
from smartgis.core.progress import report
from smartgis.core.project import Project
from smartgis.core.style import VectorStyle
from smartgis.errors import CRSError, DamagedProjectError, ProjectVersionError
from smartgis.i18n import _
from smartgis.postgis import ddl
from smartgis.postgis.meta import row_from_json
from smartgis.postgis.connect import connect, schema_exists, table_exists
from smartgis.postgis.errors import ServerError
from smartgis.postgis.rows import key_of, keys_of, read_table, table_fields
from smartgis.postgis.state import Base, TeamState
from smartgis.postgis.url import parse_url

#: Layers with up to this many rows get an exact extent from the server when opened
#: (larger ones use the extent stored with the layer at its last save).
EXACT_EXTENT_ROWS = 200_000


def open_url(url, read_only: bool = False, progress=None, password: str | None = None) -> Project:
    """Open the project of a schema.

    Raises
    ------
    ServerError
        The server, the database, the schema or the project is not there, or the
        user may not read it.
    """
    from smartgis.postgis.save import save_url
    url = parse_url(url)
    report(progress, 0, 1, _("opening"))
    conn = connect(url, password)
    keep = False
    try:
        with conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            project, state = _read(conn, url)
        keep = state.reader is not None
    except ServerError:
        raise
    except Exception as exc:
        import psycopg
        if isinstance(exc, psycopg.Error):
            from smartgis.postgis.connect import server_error
            raise server_error(exc, url) from None
        raise
    finally:
        if not keep:
            conn.close()
    state._password = password
    if keep:
        # the layers drawn from the server read through this connection, now idle
        conn.autocommit = True
        state.reader.adopt(conn)
    project.team = state
    project.path = url
    project.base_path = None
    project.read_only = read_only
    project.store = save_url
    project._meta_dirty = False
    project.stack.set_clean()
    report(progress, 1, 1, _("opened"))
    return project


def _read(conn, url):
    schema = url.schema
    if not schema_exists(conn, schema):
        raise ServerError(_("the schema {schema!r} does not exist (publish a project into it: smartgis publish "
                            "PROJECT.gpkg URL)", schema=schema), url)
    if not table_exists(conn, schema, "smartgis_project"):
        raise ServerError(_("the schema {schema!r} holds no SmartGIS project", schema=schema), url)
    meta = {k: v for k, v in conn.execute(sql.SQL("SELECT key, value FROM {}").format(
        sql.Identifier(schema, "smartgis_project"))).fetchall()}
    version = int(meta.get("format_version") or FORMAT_VERSION)
    if version > FORMAT_VERSION:
        raise ProjectVersionError(_(
            "was written by {by} (project format {version}); this SmartGIS {ours} reads formats up to "
            "{newest}. Update SmartGIS to open it; the file was not changed.", by=f"SmartGIS {meta.get('app_version')}",
            version=version, ours=__version__, newest=FORMAT_VERSION), url)
    catalog_rows = {r[0]: (r[1], r[2]) for r in conn.execute(sql.SQL(
        "SELECT type_id, origin, definition FROM {} ORDER BY type_id").format(
        sql.Identifier(schema, "smartgis_catalog")))}
    catalog = default_catalog()
    for tid, (origin, definition) in catalog_rows.items():
        try:
            d = json.loads(definition)
            origin = origin or "project"
            if origin == "project" or d["id"] not in catalog:
                catalog.add(ElementType.from_dict(d, catalog.common, origin=origin if origin == "project" else "snapshot"),
                            replace=True)
        except Exception:  # noqa: BLE001 - a broken snapshot entry falls back to the built-in type
            continue
    try:
        project = Project(meta.get("name") or schema, meta.get("crs") or "EPSG:4547",
                          description=meta.get("description", "") or "",
                          metadata=json.loads(meta.get("metadata") or "{}"),
                          settings=json.loads(meta.get("settings") or "{}"), catalog=catalog)
    except CRSError as exc:
        raise DamagedProjectError(_("the project CRS is unusable ({error})", error=exc.message), url) from None
    project.file_format_version = version
    state = TeamState(url=url, srid=int(meta.get("srid") or 0), meta=meta,
                      catalog_rows={k: v for k, v in catalog_rows.items()})
    tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,))}
    layer_rows = conn.execute(sql.SQL("SELECT layer_id, definition FROM {} ORDER BY position, layer_id").format(
        sql.Identifier(schema, "smartgis_layers"))).fetchall()
    for layer_id, definition in layer_rows:
        d = json.loads(definition)
        state.layer_rows[layer_id] = definition
        lyr = _layer(project, d, url)
        if isinstance(lyr, VectorLayer):
            if lyr.table_name in tables:
                state.tables[lyr.id] = lyr.table_name
                _attach(conn, project, state, lyr, d)
            else:
                lyr.available = False
                lyr.error = _("table {table!r} is missing from the schema", table=lyr.table_name)
        project.layers[lyr.id] = lyr
        lyr.changed.connect(project._on_layer_changed)
    tree_rows = [dict(zip(("node_id", "parent_id", "position", "kind", "name", "layer_id", "visible", "expanded"), r))
                 for r in conn.execute(sql.SQL("SELECT node_id, parent_id, position, kind, name, layer_id, visible, "
                                               "expanded FROM {} ORDER BY position, node_id").format(
                     sql.Identifier(schema, "smartgis_layer_tree")))]
    state.tree_rows = [dict(r) for r in tree_rows]
    project.tree = LayerTree.from_rows([{**r, "visible": int(bool(r["visible"])), "expanded": int(bool(r["expanded"]))}
                                        for r in tree_rows if r["kind"] == "group" or r["layer_id"] in project.layers])
    project.tree.changed.connect(project._on_tree)
    for lyr in project.layers.values():
        if not project.tree.has_layer(lyr.id):
            project.tree.add_layer(lyr.id, len(project.tree.children))
    for name in sorted(tables):
        if name.startswith("smartgis_") and name not in ddl.CORE_TABLES:
            rows = conn.execute(sql.SQL("SELECT {}, row::text FROM {} ORDER BY {}").format(
                sql.Identifier(ddl.ROWID), sql.Identifier(schema, name), sql.Identifier(ddl.ROWID))).fetchall()
            state.extra_rows[name] = [(rid, row_from_json(json.loads(text))) for rid, text in rows]
            project.extra_tables[name] = [dict(r) for _rid, r in state.extra_rows[name]]
    project.extra_tables_read = {n: [dict(r) for r in rows] for n, rows in project.extra_tables.items()}
    return project, state


def _layer(project: Project, d: dict, url):
    if d.get("kind") == "design":
        tid = d.get("element_type")
        et = project.catalog.get(tid) if tid in project.catalog else ElementType(
            tid or "unknown", {"zh": d.get("name", tid), "en": d.get("name", tid)}, "facility",
            d.get("geometry_type") or "Point", origin="missing")
        return ElementLayer(et, name=d.get("name"), id=d.get("id"), crs=d.get("crs"), source=d.get("source"),
                            opacity=d.get("opacity", 1.0), role=d.get("role"), props=d.get("props"),
                            style=VectorStyle.from_dict(d.get("style")), table_name=d.get("table"))
    lyr = layer_from_definition(d)
    if isinstance(lyr, RasterLayer):
        # rasters stay files beside the server (their path was made absolute when published)
        from pathlib import Path
        if lyr.embedded_table or not lyr.path or not Path(lyr.path).is_file():
            lyr.available = False
            lyr.error = _("raster source {source!r} not found", source=lyr.path or lyr.embedded_table)
    return lyr


def _attach(conn, project: Project, state: TeamState, lyr: VectorLayer, d: dict) -> None:
    schema = state.url.schema
    fields = table_fields(conn, schema, lyr.table_name, d)
    t = sql.Identifier(schema, lyr.table_name)
    n = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(t)).fetchone()[0]
    ext = d.get("extent")
    if n <= EXACT_EXTENT_ROWS:
        g = sql.Identifier(ddl.GEOM)
        row = conn.execute(sql.SQL("SELECT min(ST_XMin({g}::box3d)), min(ST_YMin({g}::box3d)), "
                                   "max(ST_XMax({g}::box3d)), max(ST_YMax({g}::box3d)) FROM {t} "
                                   "WHERE NOT ST_IsEmpty({g})").format(g=g, t=t)).fetchone()
        ext = list(row) if row and row[0] is not None else None
    if lyr.crs is None:
        lyr.crs = project.crs
    lyr.geometry_type = lyr.geometry_type or d.get("geometry_type") or "Geometry"
    meta = {"feature_count": int(n), "extent": ext, "fields": [f.to_dict() for f in fields]}
    lyr.attach_loader(_loader(project, state, lyr), meta)
    if isinstance(lyr, ElementLayer):
        project.design.attach(lyr)
    elif key_of(lyr) == ddl.FID:
        # until it is loaded, the map reads the layer window by window from its table
        from smartgis.postgis.source import ServerReader, ServerTable
        if state.reader is None:
            state.reader = ServerReader(state)
        row = conn.execute("SELECT srid FROM geometry_columns WHERE f_table_schema = %s AND f_table_name = %s "
                           "AND f_geometry_column = %s", (schema, lyr.table_name, ddl.GEOM)).fetchone()
        lyr.data_source = ServerTable(state.reader, schema, lyr.table_name, int(row[0]) if row else state.srid,
                                      lyr.crs, int(n), ext)


#: Layers with more rows than this read their geometries first (what a map needs) and
#: their attributes when something asks for them.
SPLIT_ROWS = 50_000


def _loader(project: Project, state: TeamState, lyr: VectorLayer):
    """Read a layer's rows and their versions on first use.

    Design layers (and small layers) come in one query: geometries, attributes and
    versions of one moment.  A large base layer reads its geometries and versions
    first; its attributes follow when asked for, matched by fid — a row changed in
    between keeps the version read with its geometry, so saving an edit of it is
    refused as a conflict rather than overwriting the newer row.
    """
    cache: dict = {}

    def load(what: str):
        if what not in cache:
            if what == "geometry" and key_of(lyr) == ddl.FID and lyr.feature_count > SPLIT_ROWS:
                _geometry_first(cache)
            elif what == "attributes" and lyr.id in state.bases and state.bases[lyr.id].attrs is None:
                _attributes_after(cache)
            else:
                _fill(cache)
        out = cache.pop(what)
        return out

    def _read(fields, geometry=True):
        import psycopg

        from smartgis.postgis.connect import server_error
        conn = connect(state.url, state.password)
        try:
            with conn.transaction():
                return read_table(conn, state.url.schema, lyr.table_name, fields, geometry=geometry)
        except psycopg.Error as exc:
            raise server_error(exc, state.url) from None
        finally:
            conn.close()

    def _fill(cache):
        fields = (lyr.declared_fields or [])
        fids, geoms, attrs, versions = _read(fields)
        key = key_of(lyr)
        state.bases[lyr.id] = Base(key=key, keys=keys_of(key, fids, attrs), versions=versions, geoms=geoms.copy(),
                                   attrs=attrs.copy(), fields=list(fields))
        cache["geometry"] = (fids, geoms)
        cache["attributes"] = attrs

    def _geometry_first(cache):
        fids, geoms, _none, versions = _read([])
        state.bases[lyr.id] = Base(key=ddl.FID, keys=fids.astype(object), versions=versions, geoms=geoms.copy(),
                                   attrs=None, fields=(lyr.declared_fields or []))
        cache["geometry"] = (fids, geoms)

    def _attributes_after(cache):
        base = state.bases[lyr.id]
        fields = list(base.fields)
        fids, _geoms, attrs, _versions = _read(fields, geometry=False)
        want = np.asarray(base.keys, dtype=np.int64)
        if not np.array_equal(fids, want):     # rows added or deleted meanwhile: follow the geometries
            pos = np.searchsorted(fids, want)
            pos = np.clip(pos, 0, max(0, len(fids) - 1))
            found = (fids[pos] == want) if len(fids) else np.zeros(len(want), dtype=bool)
            cols = {}
            for f in fields:
                col = attrs.column(f.name)[pos].astype(object) if len(fids) else np.full(len(want), None, object)
                col[~found] = None
                cols[f.name] = col.tolist()
            from smartgis.core.table import AttributeTable
            attrs = AttributeTable(fields, cols, length=len(want))
        base.attrs = attrs.copy()
        cache["attributes"] = attrs
    return load


__all__ = ["open_url", "EXACT_EXTENT_ROWS"]
