"""The tables of a project schema: feature tables with row versions, SmartGIS's own
tables and QGIS's ``layer_styles``.

Every feature table has ``fid`` (primary key), ``geom`` (typed, with the project's
SRID and a GiST index), the layer's fields, and three row-version columns kept by
the database itself, so that an edit made by QGIS or by hand counts as well:

* ``smartgis_version`` — 1 when inserted, +1 on every update (a trigger);
* ``smartgis_changed_by`` — who changed it last (the SmartGIS user name a client
  sets as ``smartgis.user`` for its transaction, else the database user);
* ``smartgis_changed_at`` — when.

A deleted row leaves a tombstone in ``smartgis_deleted`` (table, key, who, when), so
that a colleague's conflict message can say who deleted it.  Identifiers are always
quoted with :class:`psycopg.sql.Identifier`; values are always bound.
"""

from __future__ import annotations

from psycopg import sql

#: The row-version columns; never shown as layer fields.
VERSION = "smartgis_version"
CHANGED_BY = "smartgis_changed_by"
CHANGED_AT = "smartgis_changed_at"
ROW_COLUMNS = (VERSION, CHANGED_BY, CHANGED_AT)
FID = "fid"
GEOM = "geom"
ROWID = "smartgis_rowid"

#: Model field type → PostgreSQL column type.
PG_TYPES = {"int": "bigint", "float": "double precision", "str": "text", "bool": "boolean", "date": "text",
            "datetime": "text", "json": "text", "bytes": "bytea"}
_FROM_PG = {"bigint": "int", "integer": "int", "smallint": "int", "double precision": "float", "real": "float",
            "numeric": "float", "boolean": "bool", "bytea": "bytes"}

_GEOM_TYPES = {"Point": "Point", "LineString": "LineString", "Polygon": "Polygon", "MultiPoint": "MultiPoint",
               "MultiLineString": "MultiLineString", "MultiPolygon": "MultiPolygon",
               "GeometryCollection": "GeometryCollection"}

#: SmartGIS's core tables: name → columns (the first is the key).
CORE_TABLES = {
    "smartgis_project": [("key", "text PRIMARY KEY"), ("value", "text")],
    "smartgis_layers": [("layer_id", "text PRIMARY KEY"), ("name", "text"), ("kind", "text"),
                        ("table_name", "text UNIQUE"), ("definition", "text"), ("position", "integer")],
    "smartgis_layer_tree": [("node_id", "text PRIMARY KEY"), ("parent_id", "text"), ("position", "integer"),
                            ("kind", "text"), ("name", "text"), ("layer_id", "text"), ("visible", "boolean"),
                            ("expanded", "boolean")],
    "smartgis_catalog": [("type_id", "text PRIMARY KEY"), ("origin", "text"), ("definition", "text")],
    "smartgis_deleted": [("table_name", "text NOT NULL"), ("key", "text NOT NULL"), ("deleted_by", "text"),
                         ("deleted_at", "timestamptz DEFAULT now()")],
}

#: Who made a change: the name a client gives, else the database user.
WHO = "coalesce(nullif(current_setting('smartgis.user', true), ''), session_user)"


def pg_type(ftype: str) -> str:
    return PG_TYPES.get(ftype, "text")


def model_type(pg: str) -> str:
    return _FROM_PG.get(pg, "str")


def geometry_column_type(geometry_type: str | None, srid: int) -> sql.Composable:
    t = _GEOM_TYPES.get(geometry_type or "", "Geometry")
    return sql.SQL("geometry({}, {})").format(sql.SQL(t), sql.Literal(int(srid)))


def create_schema(conn, schema: str) -> None:
    """The schema, SmartGIS's tables and the row-version trigger functions."""
    conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
    for name, cols in CORE_TABLES.items():
        body = sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(t)) for c, t in cols)
        conn.execute(sql.SQL("CREATE TABLE IF NOT EXISTS {} ({})").format(sql.Identifier(schema, name), body))
    conn.execute(sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} (table_name, key)").format(
        sql.Identifier("smartgis_deleted_key"), sql.Identifier(schema, "smartgis_deleted")))
    conn.execute(sql.SQL(
        "CREATE OR REPLACE FUNCTION {}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "NEW.smartgis_version := coalesce(OLD.smartgis_version, 0) + 1; "
        "NEW.smartgis_changed_by := " + WHO + "; NEW.smartgis_changed_at := now(); RETURN NEW; END $$").format(
        sql.Identifier(schema, "smartgis_row_version")))
    # the key of a deleted row (its uid for design tables, else its fid) and who deleted it
    conn.execute(sql.SQL(
        "CREATE OR REPLACE FUNCTION {}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
        "SET search_path = pg_catalog, pg_temp AS $$ BEGIN "
        "EXECUTE format('INSERT INTO %I.smartgis_deleted (table_name, key, deleted_by) VALUES ($1, $2, $3)', "
        "TG_TABLE_SCHEMA) USING TG_TABLE_NAME, (to_jsonb(OLD) ->> TG_ARGV[0]), " + WHO + "; "
        "RETURN OLD; END $$").format(sql.Identifier(schema, "smartgis_row_deleted")))


def create_feature_table(conn, schema: str, table: str, fields, geometry_type: str | None, srid: int,
                         key: str) -> None:
    """A feature table with row versions (no index yet: :func:`finish_feature_table`)."""
    cols = [sql.SQL("{} bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY").format(sql.Identifier(FID)),
            sql.SQL("{} {}").format(sql.Identifier(GEOM), geometry_column_type(geometry_type, srid))]
    for f in fields:
        cols.append(sql.SQL("{} {}").format(sql.Identifier(f.name), sql.SQL(pg_type(f.type))))
    cols += [sql.SQL("{} integer NOT NULL DEFAULT 1").format(sql.Identifier(VERSION)),
             sql.SQL("{} text DEFAULT " + WHO).format(sql.Identifier(CHANGED_BY)),
             sql.SQL("{} timestamptz DEFAULT now()").format(sql.Identifier(CHANGED_AT))]
    conn.execute(sql.SQL("CREATE TABLE {} ({})").format(sql.Identifier(schema, table), sql.SQL(", ").join(cols)))


def finish_feature_table(conn, schema: str, table: str, key: str) -> None:
    """GiST index, unique key, row-version triggers, statistics, identity past the fids."""
    t = sql.Identifier(schema, table)
    conn.execute(sql.SQL("CREATE INDEX {} ON {} USING gist ({})").format(
        sql.Identifier(_index_name(table, "geom")), t, sql.Identifier(GEOM)))
    if key != FID:
        conn.execute(sql.SQL("CREATE UNIQUE INDEX {} ON {} ({})").format(
            sql.Identifier(_index_name(table, key)), t, sql.Identifier(key)))
    conn.execute(sql.SQL("CREATE TRIGGER smartgis_row_version BEFORE UPDATE ON {} FOR EACH ROW "
                         "EXECUTE FUNCTION {}()").format(t, sql.Identifier(schema, "smartgis_row_version")))
    conn.execute(sql.SQL("CREATE TRIGGER smartgis_row_deleted AFTER DELETE ON {} FOR EACH ROW "
                         "EXECUTE FUNCTION {}({})").format(t, sql.Identifier(schema, "smartgis_row_deleted"),
                                                           sql.Literal(key)))
    bump_identity(conn, schema, table)
    conn.execute(sql.SQL("ANALYZE {}").format(t))


def bump_identity(conn, schema: str, table: str) -> None:
    """Let the fid identity continue past the fids written explicitly."""
    conn.execute(sql.SQL("SELECT setval(pg_get_serial_sequence(%s, 'fid'), greatest(coalesce(max({}), 0), 1)) "
                         "FROM {}").format(sql.Identifier(FID), sql.Identifier(schema, table)),
                 (sql.Identifier(schema, table).as_string(conn),))


def _index_name(table: str, what: str) -> str:
    import hashlib
    name = f"{table}_{what}_idx"
    if len(name.encode()) <= 63:
        return name
    return f"smartgis_{hashlib.sha1(name.encode()).hexdigest()[:16]}_{what}"[:63]


def create_extra_table(conn, schema: str, name: str) -> None:
    """A table of rows of another part of SmartGIS (check runs, review comments …).

    Each row is kept whole as JSON (its column order and value types survive) under
    a ``smartgis_rowid``, so that rows added at once by several people all land.
    """
    if conn.execute("SELECT 1 FROM pg_tables WHERE schemaname = %s AND tablename = %s", (schema, name)).fetchone():
        return   # (CREATE … IF NOT EXISTS still needs the right to create: a reviewer has none)
    conn.execute(sql.SQL("CREATE TABLE IF NOT EXISTS {} ({} bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
                         "row json NOT NULL)").format(sql.Identifier(schema, name), sql.Identifier(ROWID)))


def layer_styles_location(conn, schema: str) -> tuple[str, bool]:
    """Where QGIS finds styles: ``public.layer_styles`` (QGIS reads the ``layer_styles``
    of the connection's search path).  Returns (schema of the table, whether it can be
    written)."""
    where = conn.execute("SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                         "WHERE c.relname = 'layer_styles' AND n.nspname = ANY(current_schemas(false)) "
                         "ORDER BY array_position(current_schemas(false), n.nspname) LIMIT 1").fetchone()
    return (where[0] if where else "public"), where is not None


def create_layer_styles(conn) -> str | None:
    """QGIS's ``layer_styles`` table in ``public`` (as QGIS itself creates it), when missing.

    Returns the schema holding it, or None when it cannot be created (no right to
    create tables in ``public``: the styles then go into the project schema only).
    """
    where, exists = layer_styles_location(conn, "public")
    if exists:
        return where
    conn.execute("SAVEPOINT styles")
    try:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS public.layer_styles (id serial PRIMARY KEY, f_table_catalog varchar, "
            "f_table_schema varchar, f_table_name varchar, f_geometry_column varchar, stylename text, "
            "styleqml xml, stylesld xml, useasdefault boolean, description text, owner varchar(63) "
            "DEFAULT CURRENT_USER, ui xml, update_time timestamp DEFAULT CURRENT_TIMESTAMP, type varchar)")
        conn.execute("GRANT SELECT ON public.layer_styles TO PUBLIC")
        conn.execute("RELEASE SAVEPOINT styles")
        return "public"
    except Exception:  # noqa: BLE001 - psycopg.Error: no right in public
        conn.execute("ROLLBACK TO SAVEPOINT styles")
        return None
