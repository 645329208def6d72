"""Checking a project file for damage when it is opened, in a time that does not grow
with its feature tables.

SQLite's ``PRAGMA integrity_check`` reads every page of the file: 5 s for a
900 MB province project read from disk.  Opening checks instead

* the file header: page size, and the page count it records against the file's length
  (a truncated copy, the most common damage, is caught here);
* with ``PRAGMA integrity_check(TABLE)``, every table that is not a large feature table:
  the SmartGIS and GeoPackage tables (layers, styles, the design, reviews ...), tiles
  and attribute tables, and feature tables of fewer than :data:`SMALL_TABLE_ROWS` rows;
* files up to :data:`WHOLE_FILE_BYTES` entirely, as before (a few tens of milliseconds).

The pages of a large feature table are checked by SQLite as they are read: the R-tree
walk and the geometry reads that draw and analyse a layer report a damaged page as a
read error naming the layer.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from smartgis.errors import DamagedProjectError
from smartgis.i18n import _
from smartgis.project.names import quote_ident as q

#: Files up to this size are checked whole (``PRAGMA integrity_check``).
WHOLE_FILE_BYTES = 64 * 1024 * 1024
#: Feature tables with fewer rows than this are checked whole in large files too.
SMALL_TABLE_ROWS = 50_000


def check_file(conn: sqlite3.Connection, path: Path) -> None:
    """Raise :class:`DamagedProjectError` when the file is found damaged."""
    path = Path(path)
    try:
        size = os.path.getsize(path)
    except OSError:
        size = 0
    check_header(path)
    try:
        if size <= WHOLE_FILE_BYTES:
            _verdict(conn.execute("PRAGMA integrity_check(5)").fetchall(), path)
            return
        for table in tables_to_check(conn):
            _verdict(conn.execute(f"PRAGMA integrity_check({q(table)})").fetchall(), path)
    except sqlite3.DatabaseError as exc:
        raise DamagedProjectError(_("the database is damaged ({error})", error=str(exc)), path) from None


def _verdict(rows, path) -> None:
    msgs = [r[0] for r in rows]
    if msgs != ["ok"]:
        raise DamagedProjectError(_("the database is damaged (integrity check: {problems})",
                                    problems="; ".join(msgs[:3])), path)


def check_header(path: Path) -> None:
    """The page size and recorded page count of an SQLite file against its length."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as fh:
            head = fh.read(100)
    except OSError:
        return   # the caller's own read reports it
    if len(head) < 100:
        raise DamagedProjectError(_("the database is damaged (the file is cut short)"), path)
    page = int.from_bytes(head[16:18], "big")
    page = 65536 if page == 1 else page
    if page < 512 or page & (page - 1):
        raise DamagedProjectError(_("the database is damaged (invalid page size {size})", size=page), path)
    pages = int.from_bytes(head[28:32], "big")
    # The recorded count is valid when the "version valid for" number matches the
    # change counter (SQLite 3.7.0 and later always keep it so).
    if pages and head[24:28] == head[92:96] and pages * page > size:
        raise DamagedProjectError(_("the database is damaged (the file is cut short: {have:,} of {want:,} bytes)",
                                    have=size, want=pages * page), path)


def tables_to_check(conn: sqlite3.Connection) -> list[str]:
    """The tables a large file's check reads: all but large feature tables and their
    R-tree shadow tables (``rtree_*_node/_parent/_rowid``)."""
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
        "AND upper(substr(ltrim(sql), 1, 14)) != 'CREATE VIRTUAL'")]
    big = _large_feature_tables(conn)
    skip = set(big)
    for t in big:
        for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name LIKE ? ESCAPE '\\'",
                              (_like_escape(f"rtree_{t}_") + "%",)):
            skip.add(r[0].lower())
    return [n for n in names if n.lower() not in skip]


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _large_feature_tables(conn: sqlite3.Connection) -> list[str]:
    """Feature tables of at least :data:`SMALL_TABLE_ROWS` rows (lower-case names).

    The row count comes from the R-tree's ``_rowid`` table's largest rowid or the
    table's own largest rowid (one B-tree descent each), never from a count."""
    try:
        tables = [r[0] for r in conn.execute("SELECT table_name FROM gpkg_contents WHERE data_type='features'")]
    except sqlite3.DatabaseError:
        return []
    out = []
    for t in tables:
        try:
            row = conn.execute(f"SELECT max(rowid) FROM {q(t)}").fetchone()
        except sqlite3.DatabaseError:
            continue   # a missing or odd table: the layer reports it when opened
        if row and row[0] is not None and int(row[0]) >= SMALL_TABLE_ROWS:
            out.append(t.lower())
    return out
