"""A fingerprint of the design in a project file, kept with each sign-off.

A sign-off approves one state of the design.  Its ``design_digest`` is the SHA-256 of
the rows of every design table (geometry blobs and attributes, in ``fid`` order), read
from the file; when the designer later changes an element, the digest of the file no
longer matches and the sign-off is shown as made on an earlier design.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3

from smartgis.project import gpkg
from smartgis.project.names import quote_ident as q


def design_tables(conn: sqlite3.Connection) -> list[str]:
    """Names of the design (element) tables recorded in a project file, sorted."""
    if not gpkg.table_exists(conn, "smartgis_layers"):
        return []
    rows = conn.execute("SELECT table_name FROM smartgis_layers WHERE kind='design' AND table_name IS NOT NULL")
    return sorted({r[0] for r in rows if gpkg.table_exists(conn, r[0])})


def _feed(h, value) -> None:
    if value is None:
        h.update(b"\x00N")
    elif isinstance(value, bytes):
        h.update(b"\x00B" + len(value).to_bytes(8, "little") + value)
    else:
        s = repr(value).encode("utf-8")
        h.update(b"\x00" + type(value).__name__[:1].encode() + len(s).to_bytes(8, "little") + s)


def table_digest(conn: sqlite3.Connection, table: str, h=None):
    """Feed (or start) a hash with every row of ``table`` in primary-key order."""
    h = h or hashlib.sha256()
    pk, _, _ = gpkg.table_columns(conn, table)
    h.update(b"\x01" + table.encode("utf-8"))
    for row in conn.execute(f"SELECT * FROM {q(table)} ORDER BY {q(pk)}"):
        for v in row:
            _feed(h, v)
        h.update(b"\x02")
    return h


def design_digest(path: str | os.PathLike) -> str | None:
    """SHA-256 (hex) of the design tables of a project file, or None when it has no design."""
    conn = gpkg.connect(path, readonly=True)
    try:
        tables = design_tables(conn)
        if not tables:
            return None
        h = hashlib.sha256()
        for t in tables:
            table_digest(conn, t, h)
        return h.hexdigest()
    finally:
        conn.close()
