"""A project file is data, never behaviour.

A GeoPackage is an SQLite database, and an SQLite database can carry code: triggers
run on writes, views run on reads.  A file mailed to a reviewer may hold a trigger
that deletes the design when a comment is added, or a recursive view named like one
of our tables that never returns.  This module

* recognises the schema objects a GeoPackage may legitimately hold — the R-tree
  index triggers of the GeoPackage specification, GDAL's feature-count triggers,
  the specification's tile and metadata triggers, R-tree virtual tables — and
  reports every other trigger, view and virtual table (:func:`foreign_objects`);
* removes the foreign ones from a copy before anything is written to it
  (:func:`disarm`), with ``PRAGMA trusted_schema=OFF`` so no function in the schema
  runs with more than "innocuous" rights;
* bounds reads of a file holding views with a time limit (:func:`bound_reads`), so a
  hostile view ends as an error naming it instead of a hang;
* lets a writer touch only the tables it names (:func:`only_tables`): review
  sessions write the review tables and nothing else, enforced by SQLite's
  authorizer, not by convention.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass

#: Seconds a single read of a file holding views may take (``SMARTGIS_QUERY_SECONDS``).
QUERY_SECONDS = 5.0

#: SQL functions a recognised trigger may call (R-tree maintenance, spec constraints).
_TRIGGER_FUNCTIONS = {"st_isempty", "st_minx", "st_maxx", "st_miny", "st_maxy", "raise", "lower", "upper",
                      "strftime", "julianday", "typeof", "max", "min", "coalesce", "ifnull", "length",
                      "exists", "in", "not", "and", "or", "values", "where", "when", "on", "as", "select"}
_RTREE_NAME = re.compile(r"^rtree_(?P<rest>.+)_(?:insert|update\d|delete)$", re.I)
_COUNT_NAME = re.compile(r"^trigger_(?:insert|delete)_feature_count_(?P<table>.+)$", re.I)
_TILE_SUFFIX = re.compile(r"^(?P<table>.+)_(?:zoom|tile_column|tile_row)_(?:insert|update)$", re.I)
_WRITE_TARGET = re.compile(r"\b(?:insert\s+(?:or\s+\w+\s+)?into|replace\s+into|update(?:\s+or\s+\w+)?|delete\s+from)"
                           r"\s+(\"(?:[^\"]|\"\")+\"|`[^`]+`|\[[^\]]+\]|[\w.]+)", re.I)
_CALL = re.compile(r"(\"(?:[^\"]|\"\")+\"|[A-Za-z_][\w$]*)\s*\(")
_STRING = re.compile(r"'(?:[^']|'')*'")


@dataclass(frozen=True)
class SchemaObject:
    """A trigger, view or virtual table found in a project file."""

    type: str
    name: str
    table: str
    sql: str

    def to_dict(self) -> dict:
        return {"type": self.type, "name": self.name, "table": self.table}


def _unquote(name: str) -> str:
    name = name.strip()
    if name[:1] in "\"`[" and len(name) > 1:
        name = name[1:-1].replace('""', '"')
    return name.split(".")[-1].lower()


def _writes_and_calls(sql: str) -> tuple[set[str], set[str]]:
    text = _STRING.sub("''", sql or "")
    # writes are in the body; the header's "AFTER UPDATE OF col ON t" is no write
    m = re.search(r"\bbegin\b", text, re.I)
    body = text[m.end():] if m else text
    writes = {_unquote(m.group(1)) for m in _WRITE_TARGET.finditer(body)}
    calls = {_unquote(m.group(1)) for m in _CALL.finditer(text)}
    return writes, calls


def _known_trigger(name: str, table: str, sql: str, tables: set[str]) -> bool:
    """Whether a trigger is one the GeoPackage specification or GDAL defines, by name
    *and* by what it does: it may only write the one table its kind maintains and
    call the functions that kind needs."""
    lname, ltable = name.lower(), table.lower()
    writes, calls = _writes_and_calls(sql)
    # a column list after a table name looks like a call: ``INSERT INTO t (a, b)``
    calls -= writes | {"trigger", "begin", "end", "for", "each", "row", "after", "before", "instead", "of",
                       lname, ltable}
    if not calls <= _TRIGGER_FUNCTIONS:
        return False
    m = _RTREE_NAME.match(lname)
    if m and m.group("rest").startswith(ltable + "_"):
        return writes <= {f"rtree_{m.group('rest')}"} and f"rtree_{m.group('rest')}" in tables
    m = _COUNT_NAME.match(lname)
    if m and m.group("table") == ltable:
        return writes <= {"gpkg_ogr_contents"}
    if lname.startswith(("gpkg_tile_matrix", "gpkg_metadata", "gpkg_data_columns", "gpkg_2d_gridded")) \
            and ltable.startswith("gpkg_"):
        return not writes
    m = _TILE_SUFFIX.match(lname)
    if m and m.group("table") == ltable:
        return not writes
    return False


def _known_virtual(name: str, sql: str) -> bool:
    return name.lower().startswith("rtree_") and re.search(r"using\s+rtree\s*\(", sql or "", re.I) is not None


def foreign_objects(conn: sqlite3.Connection) -> list[SchemaObject]:
    """Triggers, views and virtual tables of the file that are not a GeoPackage's own.

    Reads ``sqlite_master`` only (which cannot itself be a view), so it is safe on any
    file.
    """
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                        "WHERE type IN ('table', 'trigger', 'view')").fetchall()
    tables = {n.lower() for t, n, _tb, _s in rows if t == "table"}
    out = []
    for typ, name, table, sql in rows:
        if typ == "trigger" and not _known_trigger(name, table or "", sql or "", tables):
            out.append(SchemaObject("trigger", name, table or "", sql or ""))
        elif typ == "view":
            out.append(SchemaObject("view", name, table or "", sql or ""))
        elif typ == "table" and (sql or "").lstrip().upper().startswith("CREATE VIRTUAL") \
                and not _known_virtual(name, sql):
            out.append(SchemaObject("virtual table", name, table or "", sql or ""))
    return out


def describe(objects: list[SchemaObject]) -> str:
    """``trigger 'evil' on smartgis_project, view 'x'`` — for messages."""
    parts = []
    for o in objects:
        on = f" on {o.table}" if o.type == "trigger" and o.table else ""
        parts.append(f"{o.type} {o.name!r}{on}")
    return ", ".join(parts)


def harden(conn: sqlite3.Connection) -> None:
    """Settings for every connection that writes: functions used in the schema (views,
    triggers, CHECK and DEFAULT expressions) run only when SQLite deems them innocuous."""
    conn.execute("PRAGMA trusted_schema=OFF")
    conn.execute("PRAGMA recursive_triggers=OFF")


def disarm(conn: sqlite3.Connection) -> list[SchemaObject]:
    """Remove the foreign triggers, views and virtual tables from a (temporary) copy.

    Run on the copy a save writes, before the first write: nothing of the file's own
    code runs, and the saved file carries none of it.  Returns what was removed.
    """
    objs = foreign_objects(conn)
    for o in objs:
        qn = '"' + o.name.replace('"', '""') + '"'
        if o.type == "trigger":
            conn.execute(f"DROP TRIGGER IF EXISTS {qn}")
    for o in objs:
        qn = '"' + o.name.replace('"', '""') + '"'
        if o.type == "view":
            conn.execute(f"DROP VIEW IF EXISTS {qn}")
        elif o.type == "virtual table":
            # Dropping a virtual table calls its module; an unknown module cannot be
            # loaded, so the schema row goes directly (writable_schema on this copy only).
            try:
                conn.execute(f"DROP TABLE IF EXISTS {qn}")
            except sqlite3.DatabaseError:
                conn.execute("PRAGMA writable_schema=ON")
                conn.execute("DELETE FROM sqlite_master WHERE type='table' AND name=?", (o.name,))
                conn.execute("PRAGMA writable_schema=OFF")
        for reg in ("gpkg_contents", "gpkg_geometry_columns", "gpkg_extensions"):
            if o.type != "trigger" and _has_table(conn, reg):
                conn.execute(f"DELETE FROM {reg} WHERE lower(table_name)=lower(?)", (o.name,))
    return objs


def check_core_tables(conn: sqlite3.Connection, path) -> list[SchemaObject]:
    """The foreign objects of a file; refuses at once a file where a view stands in for a
    table SmartGIS or the GeoPackage specification defines (``smartgis_layers``,
    ``gpkg_contents`` ...): reading it would run the file's own query."""
    from smartgis.errors import DamagedProjectError
    from smartgis.i18n import _
    objs = foreign_objects(conn)
    bad = [o for o in objs if o.type != "trigger" and o.name.lower().startswith(("smartgis_", "gpkg_", "rtree_"))]
    if bad:
        raise DamagedProjectError(_("{objects} stands where a table belongs; the file is not opened (it would run "
                                    "the file's own query)", objects=describe(bad)), path)
    return objs


def _has_table(conn, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,)).fetchone() is not None


def query_seconds() -> float:
    try:
        return max(0.1, float(os.environ.get("SMARTGIS_QUERY_SECONDS", QUERY_SECONDS)))
    except ValueError:
        return QUERY_SECONDS


class QueryLimit:
    """A progress handler ending any statement that runs past a deadline.

    ``conn.interrupted`` tells, after an ``OperationalError('interrupted')``, that the
    limit (not the user) ended it.
    """

    def __init__(self, seconds: float, objects: list[SchemaObject]):
        self.seconds = seconds
        self.objects = objects
        self.deadline = time.monotonic() + seconds
        self.hit = False

    def restart(self) -> None:
        self.deadline = time.monotonic() + self.seconds

    def __call__(self) -> int:
        if time.monotonic() > self.deadline:
            self.hit = True
            return 1
        return 0


def bound_reads(conn: sqlite3.Connection) -> QueryLimit | None:
    """Limit reads when the file holds views (the only schema code a read can run).

    Tables are bounded by their size; a view may recurse forever.  Returns the limit
    installed (``None`` for files without views).
    """
    # only views and virtual tables matter here: a cheaper look than foreign_objects()
    views = []
    for typ, name, table, sql in conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type='view' OR "
            "(type='table' AND upper(substr(ltrim(sql), 1, 14))='CREATE VIRTUAL')"):
        if typ == "view":
            views.append(SchemaObject("view", name, table or "", sql or ""))
        elif not _known_virtual(name, sql):
            views.append(SchemaObject("virtual table", name, table or "", sql or ""))
    if not views:
        return None
    limit = QueryLimit(query_seconds(), views)
    conn.set_progress_handler(limit, 10_000)
    return limit


_READ_ACTIONS = {sqlite3.SQLITE_READ, sqlite3.SQLITE_SELECT, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_PRAGMA,
                 sqlite3.SQLITE_TRANSACTION, sqlite3.SQLITE_SAVEPOINT, sqlite3.SQLITE_RECURSIVE}
_WRITE_ACTIONS = {sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE}


@contextmanager
def only_tables(conn: sqlite3.Connection, tables: set[str]):
    """Within the block, SQLite refuses any write except rows of ``tables``.

    Creating, dropping or altering anything is refused too; so is a write a trigger
    would make to another table (SQLite asks the authorizer for trigger statements).
    """
    allowed = {t.lower() for t in tables}

    def auth(action, arg1, arg2, dbname, source):
        if action in _READ_ACTIONS:
            return sqlite3.SQLITE_OK
        if action in _WRITE_ACTIONS and (arg1 or "").lower() in allowed and source is None:
            return sqlite3.SQLITE_OK
        return sqlite3.SQLITE_DENY

    conn.set_authorizer(auth)
    try:
        yield
    finally:
        conn.set_authorizer(None)


__all__ = ["SchemaObject", "foreign_objects", "describe", "disarm", "harden", "bound_reads", "only_tables",
           "QueryLimit", "query_seconds"]
