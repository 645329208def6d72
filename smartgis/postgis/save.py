"""Saving a project opened from a server: only what this session changed, in one
transaction, refused as a whole when a colleague changed the same rows meanwhile.

* Feature rows: new rows are inserted, changed rows updated and removed rows deleted,
  each update and delete naming the version it started from (:mod:`push`).
* SmartGIS's rows: layer definitions, the layer tree and the catalog are written
  where they differ from what was read; rows of other parts' tables (check runs,
  review comments) are added and removed one by one, so colleagues' rows stay.
* Saves of one schema take turns (a transaction-level advisory lock), so two
  designers adding the same new kind of element both land in one table.
"""

from __future__ import annotations

import json
import os
from collections import Counter

import numpy as np
from psycopg import sql

from smartgis.core.design import ElementLayer
from smartgis.core.layers import VectorLayer
from smartgis.core.progress import report
from smartgis.errors import UsageError
from smartgis.i18n import _, join
from smartgis.postgis import ddl, meta
from smartgis.postgis.connect import connect, server_error
from smartgis.postgis.errors import ConflictError
from smartgis.postgis.publish import create_layer_table
from smartgis.postgis.push import Changes, describe, diff, push
from smartgis.postgis.roles import REVIEW_PREFIX, grant_table, stored_roles
from smartgis.postgis.rows import digests, key_of, keys_of
from smartgis.postgis.state import Base
from smartgis.postgis.url import is_url, parse_url


class _Refused(Exception):
    """Rolls the save's transaction back when conflicts were found."""


def who() -> str | None:
    """The name rows are marked changed by: ``SMARTGIS_USER``, else the database user."""
    return os.environ.get("SMARTGIS_USER") or None


def lock(conn, schema: str) -> None:
    """Saves of one schema take turns (released at commit or rollback)."""
    conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", ("smartgis:" + schema,))
    name = who()
    if name:
        conn.execute("SELECT set_config('smartgis.user', %s, true)", (name,))


def save_url(project, path=None, progress=None, overwrite: bool = False):
    """``project.store`` of a project opened from a server.

    A ``.gpkg`` path writes a copy as a project file (Save As) instead.  A project
    opened read-only (a review) writes only the review tables (``smartgis_review_*``),
    which is what a reviewer role may write.

    Raises
    ------
    ConflictError
        Rows this session changed were changed or deleted by someone else since they
        were read (or overwritten with ``overwrite``); nothing was written.
    ServerError
        The server refused (permission denied for this role, unreachable …).
    """
    import psycopg
    state = project.team
    if path is not None and not is_url(path):
        from smartgis.project import save_project
        without_columns(project)
        written = save_project(project, path, progress=progress)
        project.team = None    # from now on a project file like any other (Save As)
        return written
    url = state.url if path is None else parse_url(path)
    if url != state.url:
        raise UsageError(_("a project opened from a server is saved back to it; publish it to another schema with "
                           "smartgis publish"), url)
    report(progress, 0, 1, _("saving"))
    conn = connect(url, state.password)
    done: dict = {}
    try:
        try:
            with conn.transaction():
                lock(conn, url.schema)
                if project.read_only:
                    # a review session: only the review tables (all a reviewer role may write)
                    done["extra"] = _write_extra(conn, project, state, url.schema, REVIEW_PREFIX)
                    done["read_only"] = True
                    conflicts = {}
                else:
                    conflicts = _save(conn, project, state, overwrite, done, progress)
                if conflicts:
                    raise _Refused()
        except _Refused:
            with conn.transaction():
                detailed = []
                for (lid, table, key), items in conflicts.items():
                    lyr = project.layers.get(lid)
                    for c in describe(conn, url.schema, table, key, items):
                        detailed.append({"layer": lyr.name if lyr else table, "table": table, **c,
                                         "label": _label(lyr, c["key"])})
            raise conflict_error(detailed, url) from None
    except psycopg.Error as exc:
        raise server_error(exc, url) from None
    finally:
        conn.close()
    _after(project, state, done)
    report(progress, 1, 1, _("saved"))
    return url


def without_columns(project) -> None:
    """Drop the empty tables of parts not loaded in this process before writing a project
    file: a server table keeps no columns when it has no rows (its owner creates it)."""
    from smartgis.project import schema
    for name in [n for n, rows in project.extra_tables.items() if not rows and n not in schema.EXTRA_TABLES]:
        del project.extra_tables[name]


#: What a colleague did to a row, in words (the conflict message's values).
CHANGE_WORDS = {"changed": _("changed"), "deleted": _("deleted")}


def conflict_error(detailed: list[dict], url) -> ConflictError:
    shown = []
    for c in detailed[:8]:
        when = c["at"] or "?"
        by = c["by"] or "?"
        shown.append(_("{element} ({change} by {by} at {at})", element=c["label"],
                       change=CHANGE_WORDS.get(c["change"], c["change"]), by=by, at=when))
    more = len(detailed) - len(shown)
    if more > 0:
        shown.append(f"… +{more}")
    text = join(shown, "; ", "；")   # each item stays a message: shown in the reader's language
    return ConflictError(_("{n} element(s) were changed by someone else since they were read; nothing was "
                           "saved: {items}", n=len(detailed), items=text), url, conflicts=detailed)


def _label(lyr, key) -> str:
    if isinstance(lyr, ElementLayer):
        return f"{lyr.type_id} {str(key)[:12]}"
    return f"{lyr.name if lyr else '?'} #{key}"


def _save(conn, project, state, overwrite: bool, done: dict, progress) -> dict:
    schema = state.url.schema
    roles = stored_roles(conn, schema)
    styles, styles_ok = ddl.layer_styles_location(conn, schema)
    styles = styles if styles_ok else None
    server_tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,))}
    registered = {r[0]: r[1] for r in conn.execute(sql.SQL("SELECT table_name, layer_id FROM {}").format(
        sql.Identifier(schema, "smartgis_layers")))}
    conflicts: dict = {}
    done["bases"] = {}
    done["adopted"] = dict(state.adopted)
    done["tables"] = {}
    rows_changed = set()
    vectors = [lyr for lyr in project.ordered_layers() if isinstance(lyr, VectorLayer) and lyr.available]
    for n, lyr in enumerate(vectors):
        report(progress, 0.05 + 0.8 * n / max(1, len(vectors)), 1, _("writing {layer}", layer=lyr.name))
        table = lyr.table_name
        if lyr.id not in state.tables:
            if table in server_tables and registered.get(table) not in (None, lyr.id):
                # a colleague added this table since we read (the same new kind of element): join it
                done["adopted"][lyr.id] = registered[table]
                base = _empty_base(lyr)
            else:
                if table in server_tables:   # left by a failed or foreign write, not a SmartGIS layer
                    raise UsageError(_("the schema has a table {table!r} that is no SmartGIS layer; rename the layer",
                                       table=table), state.url)
                create_layer_table(conn, schema, lyr, project.crs)
                grant_table(conn, schema, table, "design" if isinstance(lyr, ElementLayer) else "base", roles)
                meta.write_style(conn, schema, styles, lyr)
                done["tables"][lyr.id] = table
                done["bases"][lyr.id] = _snapshot(lyr, None, {})
                rows_changed.add(lyr.id)
                continue
        else:
            if not lyr.dirty:
                continue
            base = state.bases.get(lyr.id)
            if base is None:
                base = _server_base(conn, schema, lyr)
        lyr.table   # (a large layer reads its attributes, and their base, when first asked)
        base = state.bases.get(lyr.id, base)
        fields = list(lyr.fields)
        cur_keys = keys_of(base.key, lyr.fids, lyr.table)
        ch = diff(base.keys, base.versions, digests(base.geoms, base.attrs, fields), cur_keys,
                  digests(lyr.geometries, lyr.table, fields))
        if not ch:
            done["bases"][lyr.id] = _snapshot(lyr, base, {})
            continue
        got, versions = push(conn, schema, table, base.key, fields, lyr.geometries, lyr.table, cur_keys, lyr.fids,
                             ch, overwrite=overwrite)
        if got:
            conflicts[(lyr.id, table, base.key)] = got
            continue
        done["bases"][lyr.id] = _snapshot(lyr, base, versions)
        rows_changed.add(lyr.id)
    if conflicts:
        return conflicts
    report(progress, 0.9, 1, _("writing the project tables"))
    _write_meta(conn, project, state, schema, styles, rows_changed, done)
    return {}


def _empty_base(lyr) -> Base:
    from smartgis.core.table import AttributeTable
    return Base(key=key_of(lyr), keys=np.empty(0, dtype=object), versions=np.empty(0, np.int64),
                geoms=np.empty(0, dtype=object), attrs=AttributeTable(list(lyr.fields), length=0),
                fields=list(lyr.fields))


def _server_base(conn, schema: str, lyr) -> Base:
    """The rows as the server has them now (for a layer whose data was replaced without
    being read: every row it had is replaced)."""
    from smartgis.postgis.rows import read_table, table_fields
    on_server = {f.name for f in table_fields(conn, schema, lyr.table_name, {})}
    fields = [f for f in lyr.fields if f.name in on_server]
    fids, geoms, attrs, versions = read_table(conn, schema, lyr.table_name, fields)
    key = key_of(lyr)
    return Base(key=key, keys=keys_of(key, fids, attrs), versions=versions, geoms=geoms, attrs=attrs, fields=fields)


def _snapshot(lyr, base: Base | None, versions: dict) -> Base:
    key = key_of(lyr)
    keys = keys_of(key, lyr.fids, lyr.table)
    old = dict(zip(base.keys.tolist(), base.versions.tolist())) if base is not None else {}
    vers = np.array([versions.get(k, old.get(k, 1)) for k in keys.tolist()], dtype=np.int64)
    return Base(key=key, keys=keys, versions=vers, geoms=np.asarray(lyr.geometries, dtype=object).copy(),
                attrs=lyr.table.copy(), fields=list(lyr.fields))


def _plain_def(text: str) -> dict:
    d = json.loads(text)
    for k in ("feature_count", "extent", "fields"):
        d.pop(k, None)
    return d


def _write_meta(conn, project, state, schema: str, styles, rows_changed: set, done: dict) -> None:
    adopted = done["adopted"]
    order = list(project.layers.values())   # the order info and the file keep
    rows = []
    for i, lyr in enumerate(order):
        if lyr.id in adopted:
            continue
        row = meta.layer_definition(lyr, i)
        old = state.layer_rows.get(lyr.id)
        if old is None or lyr.id in rows_changed or _plain_def(old) != _plain_def(row["definition"]):
            rows.append(row)
            if isinstance(lyr, VectorLayer) and lyr.available and old is not None and \
                    json.loads(old).get("style") != json.loads(row["definition"]).get("style"):
                meta.write_style(conn, schema, styles, lyr)
    meta.upsert(conn, schema, "smartgis_layers", "layer_id", rows)
    done["layer_rows"] = {r["layer_id"]: r["definition"] for r in rows}
    # layers removed from the project: their tables go
    gone = [lid for lid in state.layer_rows if lid not in project.layers]
    for lid in gone:
        d = json.loads(state.layer_rows[lid])
        table = d.get("table")
        conn.execute(sql.SQL("DELETE FROM {} WHERE layer_id = %s").format(
            sql.Identifier(schema, "smartgis_layers")), (lid,))
        if table and d.get("kind") in ("vector", "design"):
            conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(schema, table)))
    done["gone"] = gone
    _write_tree(conn, project, state, schema, adopted, done)
    cat = meta.catalog_rows(project)
    changed = [{"type_id": k, "origin": o, "definition": d} for k, (o, d) in cat.items()
               if state.catalog_rows.get(k) != (o, d)]
    meta.upsert(conn, schema, "smartgis_catalog", "type_id", changed)
    done["catalog_rows"] = cat
    meta.write_project_rows(conn, schema, project, state.srid)
    done["extra"] = _write_extra(conn, project, state, schema)


def _tree_rows(project, adopted: dict) -> list[dict]:
    rows = project.tree.to_rows()
    for r in rows:
        if r.get("layer_id") in adopted:
            r["layer_id"] = adopted[r["layer_id"]]
        r["visible"], r["expanded"] = bool(r["visible"]), bool(r["expanded"])
    return rows


def _write_tree(conn, project, state, schema: str, adopted: dict, done: dict) -> None:
    """The tree as this session has it, merged with a colleague's changes since it was read."""
    ours = {r["node_id"]: r for r in _tree_rows(project, adopted)}
    read = {r["node_id"]: {**r, "visible": bool(r["visible"]), "expanded": bool(r["expanded"])}
            for r in state.tree_rows}
    if ours == read:
        done["tree"] = None
        return
    cols = ("node_id", "parent_id", "position", "kind", "name", "layer_id", "visible", "expanded")
    server = {r[0]: dict(zip(cols, r)) for r in conn.execute(sql.SQL(
        "SELECT node_id, parent_id, position, kind, name, layer_id, visible, expanded FROM {}").format(
        sql.Identifier(schema, "smartgis_layer_tree")))}
    merged = dict(server)
    for nid in read:
        if nid not in ours:
            merged.pop(nid, None)
    on_server = {r["layer_id"] for r in server.values() if r["layer_id"]}
    for nid, r in ours.items():
        if nid in read and read[nid] == r:
            continue
        if nid not in server and r["layer_id"] in on_server and r["layer_id"] in adopted.values():
            continue   # the colleague's node for the same layer is there already
        merged[nid] = r
    rows = sorted(merged.values(), key=lambda r: (r["parent_id"] or "", r["position"] or 0))
    meta.write_tree(conn, schema, rows)
    done["tree"] = rows


def _write_extra(conn, project, state, schema: str, prefix: str = "") -> dict:
    """Other parts' rows: those added are inserted, those removed deleted (by row id)."""
    out = {}
    for name, rows in project.extra_tables.items():
        if not name.startswith(prefix):
            continue
        read = state.extra_rows.get(name, [])
        ddl.create_extra_table(conn, schema, name)
        pool: dict = {}
        for rid, r in read:
            pool.setdefault(canonical_row(r), []).append(rid)
        kept = []
        added = []
        for r in rows:
            c = canonical_row(r)
            if pool.get(c):
                kept.append((pool[c].pop(0), r))
            else:
                added.append(r)
        removed = [rid for ids in pool.values() for rid in ids]
        if removed:
            conn.execute(sql.SQL("DELETE FROM {} WHERE {} = ANY(%s)").format(
                sql.Identifier(schema, name), sql.Identifier(ddl.ROWID)), (removed,))
        ids = meta.insert_extra_rows(conn, schema, name, added)
        out[name] = kept + list(zip(ids, added))
    return out


def canonical_row(row: dict) -> str:
    """A row's content, whatever row number a project file gave it."""
    return json.dumps({k: v for k, v in row.items() if k != "id"}, sort_keys=True, ensure_ascii=False, default=str)


def _after(project, state, done: dict) -> None:
    state.bases.update(done.get("bases", {}))
    state.tables.update(done.get("tables", {}))
    for lid, other in done.get("adopted", {}).items():
        state.adopted[lid] = other
        if lid in project.layers:
            state.tables[lid] = project.layers[lid].table_name
    state.layer_rows.update(done.get("layer_rows", {}))
    for lid in done.get("gone", []):
        state.layer_rows.pop(lid, None)
        state.tables.pop(lid, None)
        state.bases.pop(lid, None)
    if done.get("tree") is not None:
        state.tree_rows = [dict(r) for r in done["tree"]]
    if "catalog_rows" in done:
        state.catalog_rows = dict(done["catalog_rows"])
    for name, pairs in done.get("extra", {}).items():
        state.extra_rows[name] = pairs
    project.extra_tables_read = {n: [dict(r) for r in rows] for n, rows in project.extra_tables.items()}
    url = state.url
    if done.get("read_only"):
        return
    project.mark_saved(url)
    project.path = url
    project.base_path = None
    project.file_format_version = project.file_format_version or 1


__all__ = ["save_url", "conflict_error", "who", "lock"]
