"""Writing a person's changed rows with version checks: the heart of "no lost edits".

An update or a delete names the version it started from (``WHERE key = … AND
smartgis_version = …``); a row someone else changed or deleted since matches
nothing, and that is a *conflict*.  The caller runs everything in one transaction
and rolls it all back when any conflict was found, so nothing is half-written.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

import numpy as np
from psycopg import sql

from smartgis.core.fields import Field
from smartgis.postgis import ddl
from smartgis.postgis.rows import column_values, copy_rows, ewkb

#: Above this many new rows, they are sent with COPY instead of INSERT statements.
COPY_ABOVE = 5000
_UTC = _dt.timezone.utc


@dataclass
class Changes:
    """Rows to write: ``inserts`` (row indices), ``updates`` ((row index, base version)),
    ``deletes`` ((key, base version))."""

    inserts: list = field(default_factory=list)
    updates: list = field(default_factory=list)
    deletes: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.inserts or self.updates or self.deletes)

    def counts(self) -> dict:
        return {"inserted": len(self.inserts), "updated": len(self.updates), "deleted": len(self.deletes)}


def diff(base_keys, base_versions, base_digests, cur_keys, cur_digests) -> Changes:
    """What changed between the rows as read (keys, versions, digests) and now."""
    pos = {k: i for i, k in enumerate(list(base_keys))}
    seen = np.zeros(len(pos), dtype=bool)
    ch = Changes()
    for j, k in enumerate(list(cur_keys)):
        i = pos.get(k)
        if i is None:
            ch.inserts.append(j)
            continue
        seen[i] = True
        if cur_digests[j] != base_digests[i]:
            ch.updates.append((j, int(base_versions[i])))
    for i in np.flatnonzero(~seen).tolist():
        ch.deletes.append((base_keys[i], int(base_versions[i])))
    return ch


def table_srid(conn, schema: str, table: str) -> int:
    row = conn.execute("SELECT srid FROM geometry_columns WHERE f_table_schema = %s AND f_table_name = %s "
                       "AND f_geometry_column = %s", (schema, table, ddl.GEOM)).fetchone()
    return int(row[0]) if row else 0


def ensure_columns(conn, schema: str, table: str, fields: list[Field]) -> None:
    have = {r[0] for r in conn.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = %s "
                                       "AND table_name = %s", (schema, table))}
    for f in fields:
        if f.name not in have:
            conn.execute(sql.SQL("ALTER TABLE {} ADD COLUMN {} {}").format(
                sql.Identifier(schema, table), sql.Identifier(f.name), sql.SQL(ddl.pg_type(f.type))))


def push(conn, schema: str, table: str, key: str, fields: list[Field], geoms, attrs, keys, fids,
         changes: Changes, overwrite: bool = False) -> tuple[list[dict], dict]:
    """Write ``changes``; returns (conflicts, {key: new version}).

    A conflict is ``{"key", "mine"}`` (``update``, ``delete`` or ``insert``).
    """
    ensure_columns(conn, schema, table, fields)
    srid = table_srid(conn, schema, table)
    t = sql.Identifier(schema, table)
    k = sql.Identifier(key)
    v = sql.Identifier(ddl.VERSION)
    conflicts: list[dict] = []
    versions: dict = {}
    g = np.asarray(geoms, dtype=object)
    keys = list(keys)
    cur = conn.cursor()
    if changes.updates:
        idx = np.array([j for j, _ in changes.updates], dtype=np.int64)
        cols = [ewkb(g[idx], srid)] + [column_values(attrs.column(f.name)[idx], f) for f in fields]
        sets = sql.SQL(", ").join([sql.SQL("{} = ST_GeomFromEWKB(%s)").format(sql.Identifier(ddl.GEOM))] +
                                  [sql.SQL("{} = %s").format(sql.Identifier(f.name)) for f in fields])
        cond = sql.SQL("{} = %s").format(k) if overwrite else sql.SQL("{} = %s AND {} = %s").format(k, v)
        stmt = sql.SQL("UPDATE {} SET {} WHERE {} RETURNING {}").format(t, sets, cond, v)
        params = []
        for n, (j, base_version) in enumerate(changes.updates):
            p = [c[n] for c in cols] + [keys[j]]
            if not overwrite:
                p.append(base_version)
            params.append(p)
        for (j, _bv), got in zip(changes.updates, _many(cur, stmt, params)):
            if got is None:
                if overwrite:    # deleted meanwhile: this person's row comes back
                    changes.inserts.append(j)
                else:
                    conflicts.append({"key": keys[j], "mine": "update"})
            else:
                versions[keys[j]] = got[0]
    if changes.deletes:
        cond = sql.SQL("{} = %s").format(k) if overwrite else sql.SQL("{} = %s AND {} = %s").format(k, v)
        stmt = sql.SQL("DELETE FROM {} WHERE {} RETURNING 1").format(t, cond)
        params = [[key_, bv] if not overwrite else [key_] for key_, bv in changes.deletes]
        for (key_, _bv), got in zip(changes.deletes, _many(cur, stmt, params)):
            if got is None and not overwrite:
                conflicts.append({"key": key_, "mine": "delete"})
    if changes.inserts:
        idx = np.array(sorted(changes.inserts), dtype=np.int64)
        explicit = key == ddl.FID
        if len(idx) > COPY_ABOVE:
            copy_rows(conn, schema, table, g, attrs, fields, srid, fids=fids if explicit else None, rows=idx)
            for j in idx.tolist():
                versions[keys[j]] = 1
        else:
            names = ([ddl.FID] if explicit else []) + [ddl.GEOM] + [f.name for f in fields]
            marks = ([sql.SQL("%s")] if explicit else []) + [sql.SQL("ST_GeomFromEWKB(%s)")] + \
                [sql.SQL("%s") for _ in fields]
            stmt = sql.SQL("INSERT INTO {} ({}) VALUES ({}) ON CONFLICT ({}) DO NOTHING RETURNING {}").format(
                t, sql.SQL(", ").join(sql.Identifier(n) for n in names), sql.SQL(", ").join(marks), k, v)
            cols = ([np.asarray(fids, dtype=np.int64)[idx].tolist()] if explicit else []) + [ewkb(g[idx], srid)] + \
                [column_values(attrs.column(f.name)[idx], f) for f in fields]
            params = [list(r) for r in zip(*cols)]
            for j, got in zip(idx.tolist(), _many(cur, stmt, params)):
                if got is None:
                    conflicts.append({"key": keys[j], "mine": "insert"})
                else:
                    versions[keys[j]] = got[0]
        if explicit:
            ddl.bump_identity(conn, schema, table)
    cur.close()
    return conflicts, versions


def _many(cur, stmt, params: list) -> list:
    """The first row returned by each statement of an ``executemany`` (None when none)."""
    if not params:
        return []
    cur.executemany(stmt, params, returning=True)
    out = []
    while True:
        out.append(cur.fetchone())
        if not cur.nextset():
            break
    return out


def describe(conn, schema: str, table: str, key: str, conflicts: list[dict]) -> list[dict]:
    """Who changed (or deleted) each conflicting row, and when."""
    keys = [c["key"] for c in conflicts]
    now = {}
    for row in conn.execute(sql.SQL("SELECT {}, {}, {} FROM {} WHERE {} = ANY(%s)").format(
            sql.Identifier(key), sql.Identifier(ddl.CHANGED_BY), sql.Identifier(ddl.CHANGED_AT),
            sql.Identifier(schema, table), sql.Identifier(key)), (keys,)):
        now[row[0]] = ("changed", row[1], row[2])
    gone = {}
    for kk, by, at in conn.execute(sql.SQL("SELECT key, deleted_by, deleted_at FROM {} WHERE table_name = %s AND "
                                           "key = ANY(%s) ORDER BY deleted_at").format(
            sql.Identifier(schema, "smartgis_deleted")), (table, [str(x) for x in keys])):
        gone[kk] = ("deleted", by, at)
    out = []
    for c in conflicts:
        change, by, at = now.get(c["key"]) or gone.get(str(c["key"])) or ("deleted", None, None)
        if c["mine"] == "insert" and c["key"] in now:
            change = "added"
        out.append({**c, "change": change, "by": by,
                    "at": at.astimezone(_UTC).isoformat(timespec="seconds") if at is not None else None})
    return out
