"""Offline work: ``checkout`` a team project (or part of it) into an ordinary project
file, edit it anywhere, ``checkin`` the edits (all or nothing, conflicts listed) and
``pull`` colleagues' edits into it.

The file remembers where it came from (``settings["team"]``: the URL without a
password, the layers taken, the area) and, per row taken, its key, the version it
had and a digest of its content (table ``smartgis_team_base``).  A row whose digest
changed was edited offline; a row whose server version moved was edited by someone
else — both at once is a conflict.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections import defaultdict

import numpy as np
import shapely
from psycopg import sql

from smartgis.core.design import ElementLayer
from smartgis.core.layers import VectorLayer
from smartgis.core.progress import report
from smartgis.errors import UsageError
from smartgis.i18n import _
from smartgis.postgis import ddl, meta
from smartgis.postgis.connect import connect, server_error
from smartgis.postgis.errors import ConflictError
from smartgis.postgis.publish import create_layer_table
from smartgis.postgis.push import Changes, describe, diff, push
from smartgis.postgis.roles import grant_table, stored_roles
from smartgis.postgis.rows import digests, key_of, keys_of, read_table, table_fields
from smartgis.postgis.save import canonical_row, conflict_error, lock, without_columns
from smartgis.postgis.url import parse_url

BASE_TABLE = "smartgis_team_base"


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


def _area(project, within: str | None):
    if not within:
        return None
    lyr = project.layer(within)
    if not isinstance(lyr, VectorLayer):
        raise UsageError(_("--within takes a vector layer; {layer!r} is not one", layer=within))
    g = lyr.geometries
    area = shapely.union_all(g[~shapely.is_missing(g)]) if len(g) else None
    if area is None or area.is_empty:
        raise UsageError(_("the layer {layer!r} has no geometry to limit the checkout to", layer=within))
    shapely.prepare(area)
    return area


def _base_rows(lyr, keys, versions, dig) -> list[dict]:
    return [{"layer_id": lyr.id, "key": str(k), "version": int(v), "digest": d.hex()}
            for k, v, d in zip(keys.tolist(), np.asarray(versions).tolist(), dig.tolist())]


def checkout(url, output, layers=None, within: str | None = None, password: str | None = None,
             progress=None) -> dict:
    """Write the project of ``url`` (its ``layers``, rows meeting ``within``) to ``output``.

    Returns
    -------
    dict
        ``url``, ``output``, ``layers`` (name → rows taken), ``within``.
    """
    from pathlib import Path

    from smartgis.postgis.read import open_url
    from smartgis.project import save_project
    url = parse_url(url)
    out = Path(output).absolute()
    if out.suffix.lower() != ".gpkg":
        raise UsageError(_("project files end in .gpkg"), out)
    project = open_url(url, read_only=False, password=password)
    if layers:
        keep = {project.layer(k).id for k in layers}
        if within:
            keep.add(project.layer(within).id)
        for lid in [lid for lid in project.layers if lid not in keep]:
            project.remove_layer(lid)
    area = _area(project, within)
    state = project.team
    taken = {}
    base_rows: list[dict] = []
    fields_of = {}
    for i, lyr in enumerate(list(project.vector_layers())):
        report(progress, i, len(project.layers) + 1, _("reading {layer}", layer=lyr.name))
        if not lyr.available or lyr.id not in state.tables:
            continue
        geoms = lyr.geometries
        base = state.bases[lyr.id]
        if area is not None and lyr.name != within and lyr.id != within:
            keep_idx = np.flatnonzero(shapely.intersects(area, geoms))
            if len(keep_idx) != len(geoms):
                lyr.set_data(geoms[keep_idx], lyr.table.take(keep_idx), fids=lyr.fids[keep_idx])
        fields = list(lyr.fields)
        keys = keys_of(base.key, lyr.fids, lyr.table)
        pos = base.positions()
        versions = np.array([base.versions[pos[k]] for k in keys.tolist()], dtype=np.int64)
        base_rows += _base_rows(lyr, keys, versions, digests(lyr.geometries, lyr.table, fields))
        fields_of[lyr.id] = [f.name for f in fields]
        taken[lyr.name] = int(len(keys))
    project.settings["team"] = {"url": str(url), "checked_out": _now(), "layers": list(fields_of),
                                "fields": fields_of, "within": within}
    project.extra_tables[BASE_TABLE] = base_rows
    project.read_only = False
    without_columns(project)
    save_project(project, out, progress=progress)
    return {"url": str(url), "output": str(out), "layers": taken, "within": within}


def _team(local) -> dict:
    team = local.settings.get("team")
    if not isinstance(team, dict) or "url" not in team:
        raise UsageError(_("is not a checkout of a team project (smartgis checkout URL -o FILE.gpkg)"), local.path)
    return team


def _bases(local) -> dict:
    out = defaultdict(lambda: ([], [], []))
    for r in local.extra_tables.get(BASE_TABLE, []):
        k, v, d = out[r["layer_id"]]
        k.append(str(r["key"]))
        v.append(int(r["version"]))
        d.append(bytes.fromhex(r["digest"]))
    return out


def _local_state(lyr, team, base):
    """(fields, keys as text, typed keys, digests) of a local layer now."""
    names = team["fields"].get(lyr.id) or [f.name for f in lyr.fields]
    by_name = {f.name: f for f in lyr.fields}
    fields = [by_name[n] for n in names if n in by_name] + [f for f in lyr.fields if f.name not in names]
    key = key_of(lyr)
    typed = keys_of(key, lyr.fids, lyr.table)
    text = np.array([str(k) for k in typed.tolist()], dtype=object)
    dig = digests(lyr.geometries, lyr.table, [by_name[n] for n in names if n in by_name])
    return fields, text, typed, dig


def checkin(path, password: str | None = None, overwrite: bool = False, progress=None) -> dict:
    """Push the offline edits of a checkout back to its server, all or nothing.

    Raises
    ------
    ConflictError
        Rows edited offline were changed on the server since the checkout (or the
        last pull); nothing was written, and the file is unchanged.
    """
    import psycopg

    from smartgis.project import open_project, save_project
    local = open_project(path)
    team = _team(local)
    url = parse_url(team["url"])
    bases = _bases(local)
    plan = []
    for lid in team["layers"]:
        lyr = local.layers.get(lid)
        if not isinstance(lyr, VectorLayer) or not lyr.available:
            continue
        bk, bv, bd = bases[lid]
        fields, text, typed, dig = _local_state(lyr, team, None)
        ch = diff(np.array(bk, dtype=object), np.array(bv, dtype=np.int64), bd, text, dig)
        if key_of(lyr) == ddl.FID:
            ch.deletes = [(int(k), v) for k, v in ch.deletes]
        plan.append((lyr, fields, text, typed, dig, ch))
    new_layers = [lyr for lyr in local.vector_layers() if isinstance(lyr, ElementLayer) and lyr.available
                  and lyr.id not in team["layers"] and lyr.feature_count]
    conn = connect(url, password)
    written: dict = {}
    conflicts = []
    try:
        try:
            with conn.transaction():
                lock(conn, url.schema)
                for lyr, fields, text, typed, dig, ch in plan:
                    if not ch:
                        continue
                    got, versions = push(conn, url.schema, lyr.table_name, key_of(lyr), fields, lyr.geometries,
                                         lyr.table, typed, lyr.fids, ch, overwrite=overwrite)
                    if got:
                        conflicts.append((lyr, got))
                    written[lyr.id] = (ch, versions)
                if conflicts:
                    raise _Refused()
                added = _new_layers(conn, url.schema, local, new_layers)
                reviews = _review_rows(conn, url.schema, local)
        except _Refused:
            with conn.transaction():
                detailed = []
                for lyr, items in conflicts:
                    for c in describe(conn, url.schema, lyr.table_name, key_of(lyr), items):
                        label = f"{lyr.type_id} {str(c['key'])[:12]}" if isinstance(lyr, ElementLayer) else \
                            f"{lyr.name} #{c['key']}"
                        detailed.append({"layer": lyr.name, "table": lyr.table_name, **c, "label": label})
            raise conflict_error(detailed, url) from None
    except psycopg.Error as exc:
        raise server_error(exc, url) from None
    finally:
        conn.close()
    # the file now knows the server's versions of what it pushed
    rows = [r for r in local.extra_tables.get(BASE_TABLE, []) if r["layer_id"] not in written]
    counts = {}
    for lyr, fields, text, typed, dig, ch in plan:
        bk, bv, _bd = bases[lyr.id]
        old = dict(zip(bk, bv))
        if lyr.id in written:
            versions = {str(k): v for k, v in written[lyr.id][1].items()}
            vers = np.array([versions.get(k, old.get(k, 1)) for k in text.tolist()], dtype=np.int64)
            rows += _base_rows(lyr, text, vers, dig)
        counts[lyr.name] = ch.counts()
    for lyr in added:
        fields, text, typed, dig = _local_state(lyr, {"fields": {}}, None)
        rows += _base_rows(lyr, text, np.ones(len(text), dtype=np.int64), dig)
        team["layers"].append(lyr.id)
        team["fields"][lyr.id] = [f.name for f in lyr.fields]
        counts[lyr.name] = {"inserted": len(text), "updated": 0, "deleted": 0}
    local.extra_tables[BASE_TABLE] = rows
    team["checked_in"] = _now()
    local.settings["team"] = team
    save_project(local, local.path, progress=progress)
    total = {k: sum(c[k] for c in counts.values()) for k in ("inserted", "updated", "deleted")}
    return {"url": str(url), "project": str(local.path), "layers": counts, **total, "review_records": reviews}


def _review_rows(conn, schema: str, local) -> int:
    """Review comments and sign-offs made or changed offline: written by their record id
    (a colleague's records stay).  Returns how many were written."""
    from smartgis.postgis.meta import row_from_json
    from smartgis.postgis.roles import REVIEW_PREFIX
    n = 0
    for name, rows in local.extra_tables.items():
        if not name.startswith(REVIEW_PREFIX) or not rows:
            continue
        key = next((k for k in rows[0] if k.endswith("_id") and k != "id"), None)
        if key is None:
            continue
        ddl.create_extra_table(conn, schema, name)
        server = {}
        for rid, text in conn.execute(sql.SQL("SELECT {}, row::text FROM {}").format(
                sql.Identifier(ddl.ROWID), sql.Identifier(schema, name))):
            r = row_from_json(json.loads(text))
            server[r.get(key)] = (rid, r)
        for r in rows:
            got = server.get(r.get(key))
            if got is not None and canonical_row(got[1]) == canonical_row(r):
                continue
            if got is not None:
                conn.execute(sql.SQL("DELETE FROM {} WHERE {} = %s").format(
                    sql.Identifier(schema, name), sql.Identifier(ddl.ROWID)), (got[0],))
            meta.insert_extra_rows(conn, schema, name, [{k: v for k, v in r.items() if k != "id"}])
            n += 1
    return n


class _Refused(Exception):
    """Rolls a checkin back when conflicts were found."""


def _new_layers(conn, schema: str, local, layers: list) -> list:
    """Design layers made offline (a new kind of element): their tables on the server."""
    if not layers:
        return []
    roles = stored_roles(conn, schema)
    styles, ok = ddl.layer_styles_location(conn, schema)
    existing = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,))}
    pos = conn.execute(sql.SQL("SELECT coalesce(max(position), 0) FROM {}").format(
        sql.Identifier(schema, "smartgis_layers"))).fetchone()[0]
    added = []
    for lyr in layers:
        if lyr.table_name in existing:
            fields, text, typed, dig = _local_state(lyr, {"fields": {}}, None)
            ch = Changes(inserts=list(range(len(text))))
            got, _v = push(conn, schema, lyr.table_name, key_of(lyr), fields, lyr.geometries, lyr.table, typed,
                           lyr.fids, ch)
            if got:
                raise ConflictError(_("elements made offline exist on the server already"), lyr.table_name,
                                    conflicts=got)
        else:
            create_layer_table(conn, schema, lyr, local.crs)
            grant_table(conn, schema, lyr.table_name, "design", roles)
            meta.write_style(conn, schema, styles if ok else None, lyr)
            pos += 1
            meta.upsert(conn, schema, "smartgis_layers", "layer_id", [meta.layer_definition(lyr, pos)])
            conn.execute(sql.SQL("INSERT INTO {} (node_id, parent_id, position, kind, name, layer_id, visible, "
                                 "expanded) VALUES (%s, NULL, -1, 'layer', NULL, %s, true, false) "
                                 "ON CONFLICT DO NOTHING").format(sql.Identifier(schema, "smartgis_layer_tree")),
                         ("n" + lyr.id, lyr.id))
        added.append(lyr)
    return added


def pull(path, password: str | None = None, progress=None) -> dict:
    """Bring colleagues' edits into a checkout; offline edits are kept.

    A row edited offline and on the server is kept as edited offline and listed as
    a conflict (the next checkin refuses it until resolved).
    """
    import psycopg

    from smartgis.project import open_project, save_project
    local = open_project(path)
    team = _team(local)
    url = parse_url(team["url"])
    bases = _bases(local)
    area = None
    if team.get("within"):
        try:
            area = _area(local, team["within"])
        except Exception:  # noqa: BLE001 - the area layer was removed offline: pull everything
            area = None
    conn = connect(url, password)
    result = {"url": str(url), "project": str(local.path), "layers": {}, "conflicts": []}
    rows_out: list[dict] = []
    try:
        with conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            for lid in team["layers"]:
                lyr = local.layers.get(lid)
                if not isinstance(lyr, VectorLayer) or not lyr.available:
                    continue
                got = _pull_layer(conn, url.schema, lyr, team, bases[lid], area, lid == _area_id(local, team))
                rows_out += got.pop("base_rows")
                result["conflicts"] += got.pop("conflicts")
                result["layers"][lyr.name] = got
    except psycopg.Error as exc:
        raise server_error(exc, url) from None
    finally:
        conn.close()
    local.extra_tables[BASE_TABLE] = rows_out
    team["pulled"] = _now()
    local.settings["team"] = team
    save_project(local, local.path, progress=progress)
    return result


def _area_id(local, team):
    try:
        return local.layer(team["within"]).id if team.get("within") else None
    except Exception:  # noqa: BLE001
        return None


def _pull_layer(conn, schema: str, lyr, team, base, area, is_area: bool) -> dict:
    fields, text, typed, dig = _local_state(lyr, team, None)
    bk, bv, bd = base
    bpos = {k: i for i, k in enumerate(bk)}
    on_server = {f.name for f in table_fields(conn, schema, lyr.table_name, {})}
    sfields = [f for f in fields if f.name in on_server]
    s_fids, s_geoms, s_attrs, s_vers = read_table(conn, schema, lyr.table_name, sfields)
    key = key_of(lyr)
    s_keys = np.array([str(k) for k in keys_of(key, s_fids, s_attrs).tolist()], dtype=object)
    if area is not None and not is_area:
        inside = shapely.intersects(area, s_geoms)
        # rows taken before stay followed even when they moved out of the area
        inside |= np.array([k in bpos for k in s_keys.tolist()], dtype=bool)
        idx = np.flatnonzero(inside)
        s_fids, s_geoms, s_attrs, s_vers, s_keys = s_fids[idx], s_geoms[idx], s_attrs.take(idx), s_vers[idx], s_keys[idx]
    lpos = {k: j for j, k in enumerate(text.tolist())}
    local_changed = {k for j, k in enumerate(text.tolist()) if k not in bpos or dig[j] != bd[bpos[k]]}
    local_deleted = {k for k in bk if k not in lpos}
    spos = {k: i for i, k in enumerate(s_keys.tolist())}
    names = team["fields"].get(lyr.id) or [f.name for f in fields]
    sdig = digests(s_geoms, s_attrs, [f for f in fields if f.name in names])
    take_server, take_local = [], []
    conflicts = []
    for i, k in enumerate(s_keys.tolist()):
        b = bpos.get(k)
        moved = b is None or int(s_vers[i]) != bv[b]
        if k in local_changed or k in local_deleted:
            if moved and b is not None:
                conflicts.append({"layer": lyr.name, "key": k, "change": "changed",
                                  "mine": "update" if k in local_changed else "delete"})
            if k in local_changed:
                take_local.append(lpos[k])
            continue
        take_server.append(i)
    # rows made offline, and rows edited offline that the server deleted meanwhile
    for k in local_changed:
        if k not in spos:
            take_local.append(lpos[k])
            if k in bpos:
                conflicts.append({"layer": lyr.name, "key": k, "change": "deleted", "mine": "update"})
    n_local_new = sum(1 for k in local_changed if k not in bpos)
    # the new content: server rows, then the rows kept from the file (in that order)
    ts = np.array(take_server, dtype=np.int64)
    tl = np.array(sorted(set(take_local), key=take_local.index), dtype=np.int64)
    geoms = np.concatenate([s_geoms[ts], lyr.geometries[tl]]) if len(tl) else s_geoms[ts]
    table = s_attrs.take(ts)
    for f in fields:
        if not table.has_field(f.name):
            table.add_field(f)
    local_part = lyr.table.take(tl)
    table.extend(local_part) if len(tl) else None
    fids = np.concatenate([s_fids[ts], lyr.fids[tl]]) if len(tl) else s_fids[ts]
    if key != ddl.FID and len(tl):
        # element fids are the file's own numbering: renumber rows made offline past the server's
        start = int(max(fids.max(initial=0), 0)) + 1
        clash = np.isin(lyr.fids[tl], s_fids[ts])
        newf = lyr.fids[tl].copy()
        newf[clash] = np.arange(start, start + int(clash.sum()))
        fids = np.concatenate([s_fids[ts], newf])
    lyr.set_data(geoms, table, fids=fids)
    if isinstance(lyr, ElementLayer):
        lyr.ensure_fields()
    # server rows: their version now; rows kept from the file: their base as taken
    kept_keys = [text[j] for j in tl.tolist()]
    base_rows = [{"layer_id": lyr.id, "key": str(k), "version": int(v), "digest": d.hex()}
                 for k, v, d in zip(s_keys[ts].tolist(), s_vers[ts].tolist(), sdig[ts].tolist())]
    for k in kept_keys:
        if k in bpos:
            base_rows.append({"layer_id": lyr.id, "key": k, "version": bv[bpos[k]], "digest": bd[bpos[k]].hex()})
    for k in local_deleted:
        if k in bpos and k in spos:
            base_rows.append({"layer_id": lyr.id, "key": k, "version": bv[bpos[k]], "digest": bd[bpos[k]].hex()})
    return {"from_server": int(len(ts)), "kept_local": int(len(tl)), "made_offline": int(max(0, n_local_new)),
            "conflicts": conflicts, "base_rows": base_rows}
