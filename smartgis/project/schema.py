"""SmartGIS's own tables in the project file, the format version and migrations.

Every table here is registered in ``gpkg_contents`` as ``attributes`` so GDAL, QGIS
and ``ogr2ogr`` keep them.  Other parts of SmartGIS (check results, review comments)
declare their tables with :func:`register_table` (columns, description, an optional
saver).  Declaring is not needed for a table to travel with the project: opening
reads the rows of every ``smartgis_*`` table in the file into ``Project.extra_tables``
(:func:`extra_tables_in`), and saving writes back the tables whose rows changed, so
no part has to be imported before a project is opened.
"""

from __future__ import annotations

import sqlite3
from typing import Callable

from smartgis import FORMAT_VERSION
from smartgis.core.names import quote_ident
from smartgis.project import gpkg

CORE_TABLES: dict[str, tuple[list[tuple[str, str]], str]] = {
    "smartgis_project": ([("key", "TEXT NOT NULL UNIQUE"), ("value", "TEXT")],
                         "SmartGIS project properties (format version, name, CRS, metadata, settings)"),
    "smartgis_layers": ([("layer_id", "TEXT NOT NULL UNIQUE"), ("name", "TEXT"), ("kind", "TEXT"),
                         ("table_name", "TEXT"), ("definition", "TEXT")],
                        "SmartGIS layer definitions: source, CRS, style, role"),
    "smartgis_layer_tree": ([("node_id", "TEXT NOT NULL UNIQUE"), ("parent_id", "TEXT"), ("position", "INTEGER"),
                             ("kind", "TEXT"), ("name", "TEXT"), ("layer_id", "TEXT"), ("visible", "BOOLEAN"),
                             ("expanded", "BOOLEAN")],
                            "SmartGIS layer tree: groups, order and visibility"),
    "smartgis_catalog": ([("type_id", "TEXT NOT NULL UNIQUE"), ("origin", "TEXT"), ("definition", "TEXT")],
                         "Element types used by the design (a snapshot of the catalog) and user types"),
}

LOCAL_CRS_TABLE = "smartgis_local_crs"
#: Optional tables of the project package itself (:mod:`smartgis.project.local_crs`),
#: declared here so that no module has to be imported for its table to be known.
PROJECT_TABLES: dict[str, tuple[list[tuple[str, str]], str]] = {
    LOCAL_CRS_TABLE: ([("name", "TEXT NOT NULL UNIQUE"), ("base", "TEXT NOT NULL"), ("model", "TEXT NOT NULL"),
                       ("parameters", "TEXT NOT NULL"), ("convention", "TEXT"), ("fit_report", "TEXT"),
                       ("description", "TEXT"), ("wkt", "TEXT")],
                      "SmartGIS local coordinate systems (city grids): base CRS, transformation, parameters "
                      "and fit report"),
}

#: Tables beyond the core ones: name -> (columns, description); the project's own, then
#: those other parts register.
EXTRA_TABLES: dict[str, tuple[list[tuple[str, str]], str]] = dict(PROJECT_TABLES)


#: Tables whose owner writes them itself on a full save: name -> saver(conn, project, rows).
TABLE_SAVERS: dict[str, Callable] = {}


def register_table(name: str, columns: list[tuple[str, str]], description: str, saver: Callable | None = None) -> None:
    """Declare a SmartGIS table whose rows are kept in ``Project.extra_tables[name]``.

    A full save replaces the table's rows with those in memory, unless ``saver`` is
    given: then ``saver(conn, project, rows)`` writes the table inside the save's
    transaction (review comments merge with rows another session added meanwhile).
    """
    if not name.startswith("smartgis_"):
        raise ValueError("SmartGIS tables are named smartgis_*")
    EXTRA_TABLES[name] = (list(columns), description)
    if saver is not None:
        TABLE_SAVERS[name] = saver


def extra_tables_in(conn: sqlite3.Connection) -> list[str]:
    """The ``smartgis_*`` tables of the file beyond the core ones (declared or not)."""
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                        "AND name LIKE 'smartgis\\_%' ESCAPE '\\' ORDER BY name")]
    return [n for n in names if n not in CORE_TABLES]


def read_extra_rows(conn: sqlite3.Connection, name: str) -> list[dict]:
    """The rows of a SmartGIS table, in the order they were written."""
    cols = {r[1] for r in conn.execute(f"PRAGMA table_info({quote_ident(name)})")}
    return gpkg.read_rows(conn, name, order="id" if "id" in cols else "rowid")


def ensure_table(conn: sqlite3.Connection, name: str, rows=()) -> None:
    """Create the SmartGIS table ``name`` when the file lacks it: with its declared columns,
    or, for a table nobody declared in this process, with the columns of its rows."""
    if gpkg.table_exists(conn, name):
        return
    if name in EXTRA_TABLES:
        cols, desc = EXTRA_TABLES[name]
    else:
        keys = list(dict.fromkeys(k for r in rows for k in r if k != "id"))
        cols, desc = [(k, "") for k in keys], "SmartGIS table"
    gpkg.create_attributes_table(conn, name, cols, desc)


def create_tables(conn: sqlite3.Connection) -> None:
    for name, (cols, desc) in {**CORE_TABLES, **EXTRA_TABLES}.items():
        gpkg.create_attributes_table(conn, name, cols, desc)
    create_layer_styles(conn)


def create_layer_styles(conn: sqlite3.Connection) -> None:
    """QGIS's ``layer_styles`` table (the schema QGIS and GDAL create)."""
    if gpkg.table_exists(conn, "layer_styles"):
        return
    conn.execute(
        "CREATE TABLE layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), "
        "f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), "
        "styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), "
        "update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))")
    conn.execute("INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, description) "
                 "VALUES ('layer_styles', 'attributes', 'layer_styles', 'Layer styles for QGIS')")


def has_smartgis_tables(conn: sqlite3.Connection) -> bool:
    return gpkg.table_exists(conn, "smartgis_project")


def file_format_version(conn: sqlite3.Connection) -> int | None:
    if not has_smartgis_tables(conn):
        return None
    row = conn.execute("SELECT value FROM smartgis_project WHERE key='format_version'").fetchone()
    try:
        return int(row[0]) if row else 1
    except (TypeError, ValueError):
        return None


#: Migrations: ``MIGRATIONS[v]`` upgrades a file of format ``v`` to ``v + 1`` in place
#: (on a temporary copy — the user's file is only replaced by a later save).
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {}


def migrate(conn: sqlite3.Connection, from_version: int) -> list[int]:
    """Apply the migrations from ``from_version`` up to :data:`FORMAT_VERSION`, in order.

    Returns the versions migrated from.
    """
    done = []
    v = from_version
    while v < FORMAT_VERSION:
        step = MIGRATIONS.get(v)
        if step is None:
            raise KeyError(f"no migration from project format {v}")
        step(conn)
        v += 1
        conn.execute("INSERT OR REPLACE INTO smartgis_project (key, value) VALUES ('format_version', ?)", (str(v),))
        done.append(v - 1)
    return done
