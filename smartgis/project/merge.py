"""Merging a save with another writer's save made since the project was opened.

Two designers (or two ``smartgis place`` runs) may change one project file at once.
The save lock (:mod:`smartgis.project.writers`) makes their saves take turns; this
module makes the second save keep the first one's work:

* the design is merged element by element (by ``uid``): elements the other writer
  added, moved or removed stay so, ours are applied on top; when both changed the
  same element differently the save is refused;
* anything else the other writer changed (layers, layer tree, properties, catalog,
  check runs, a data layer we also changed) refuses the save with a message saying
  what, so nothing is silently overwritten.  Review comments merge on their own
  (:mod:`smartgis.review.session`).

The three versions are: the original (the file as opened, still readable through the
pin), the file now on disk, and the project in memory.
"""

from __future__ import annotations

import json
import math

import numpy as np
import shapely

from smartgis.core.design import ElementLayer
from smartgis.core.layers import VectorLayer
from smartgis.core.table import AttributeTable
from smartgis.errors import ProjectFileError
from smartgis.i18n import _, join
from smartgis.project import gpkg, schema
from smartgis.project.names import quote_ident as q

#: Tables whose rows merge by their own rules (review) or are derived (styles).
_SELF_MERGING = {"smartgis_review_comments", "smartgis_review_signoffs", "layer_styles"}
_VOLATILE_META = {"saved", "app_version"}
_VOLATILE_DEF = {"feature_count", "extent", "available", "path_relative"}


class MergeConflict(ProjectFileError):
    """Another writer changed what this save changes too."""


def _structure(conn) -> dict:
    """What of a file must be unchanged for a merge: everything but element rows."""
    meta = {r["key"]: r["value"] for r in gpkg.read_rows(conn, "smartgis_project")
            if r["key"] not in _VOLATILE_META}
    try:
        md = json.loads(meta.get("metadata") or "{}")
        md.pop("modified", None)
        meta["metadata"] = json.dumps(md, sort_keys=True, ensure_ascii=False)
    except ValueError:
        pass
    layers = {}
    for r in gpkg.read_rows(conn, "smartgis_layers"):
        try:
            d = json.loads(r["definition"] or "{}")
        except ValueError:
            d = {"raw": r["definition"]}
        for k in _VOLATILE_DEF:
            d.pop(k, None)
        layers[r["layer_id"]] = (r["name"], r["kind"], r["table_name"], json.dumps(_numbers(d), sort_keys=True))
    out = {_("project properties"): meta, _("layers"): layers,
           _("layer tree"): _rows(gpkg.read_rows(conn, "smartgis_layer_tree")),
           _("element catalog"): _rows(gpkg.read_rows(conn, "smartgis_catalog"))}
    for name in schema.EXTRA_TABLES:
        if name not in _SELF_MERGING:
            out[name] = _rows(gpkg.read_rows(conn, name))
    return out


def _numbers(v):
    """1 and 1.0 alike (a save may write either for the same style value)."""
    if isinstance(v, dict):
        return {k: _numbers(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_numbers(x) for x in v]
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    return v


def _rows(rows: list[dict]) -> list:
    return sorted(json.dumps({k: v for k, v in r.items() if k != "id"}, sort_keys=True, default=str) for r in rows)


def _table_digest(conn, table: str) -> list | None:
    if not gpkg.table_exists(conn, table):
        return None
    return sorted(repr(r) for r in conn.execute(f"SELECT * FROM {q(table)}"))


def _null(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _key(geom, row: dict) -> tuple:
    wkb = None if geom is None else shapely.to_wkb(geom, hex=True)
    vals = json.dumps({k: v for k, v in row.items() if not _null(v)}, sort_keys=True, default=str)
    return (wkb, vals)


def _elements_from_file(conn, lyr: ElementLayer) -> dict:
    """uid -> (fid, geometry, row, key) of an element table in a file."""
    if not gpkg.table_exists(conn, lyr.table_name):
        return {}
    fids, geoms = gpkg.read_geometries(conn, lyr.table_name)
    _n, _g, fields = gpkg.table_columns(conn, lyr.table_name)
    table = gpkg.read_attributes(conn, lyr.table_name, fields)
    return _elements(fids, geoms, table)


def _elements(fids, geoms, table: AttributeTable) -> dict:
    out = {}
    for i in range(len(geoms)):
        row = table.row(i)
        uid = row.get("uid")
        if uid is None:
            uid = f"fid:{int(fids[i])}"
        out[uid] = (int(fids[i]), geoms[i], row, _key(geoms[i], row))
    return out


def merge(project, orig_conn, disk_conn, target) -> list[str]:
    """Bring the other writer's changes into ``project`` before it is saved.

    Returns the names of the element layers merged.  The caller then writes the
    project onto a copy of the file now on disk.

    Raises
    ------
    MergeConflict
        What was changed on both sides, in words.
    """
    theirs, base = _structure(disk_conn), _structure(orig_conn)
    changed = [what for what in base if base[what] != theirs.get(what)]
    if changed:
        raise MergeConflict(_("was changed by another program since it was opened here ({what}); nothing was "
                              "saved: open it again and redo the change", what=join(changed)), target)
    merged, conflicts = [], []
    for lyr in project.layers.values():
        if not isinstance(lyr, VectorLayer) or not lyr.available or not lyr.dirty:
            continue
        if not isinstance(lyr, ElementLayer):
            if _table_digest(orig_conn, lyr.table_name) != _table_digest(disk_conn, lyr.table_name):
                conflicts.append(_("layer {layer!r}", layer=lyr.name))
            continue
        o = _elements_from_file(orig_conn, lyr)
        d = _elements_from_file(disk_conn, lyr)
        if {u: v[3] for u, v in o.items()} == {u: v[3] for u, v in d.items()}:
            continue      # the other writer did not touch this layer: ours is written as it is
        ours = _elements(lyr.fids, lyr.geometries, lyr.table)
        out = dict(d)
        clash = []
        for uid in set(o) | set(ours):
            before, mine = o.get(uid), ours.get(uid)
            if before is not None and mine is not None and before[3] == mine[3]:
                continue                      # not ours to change
            now = d.get(uid)
            if before is None:                # we added it
                if now is not None and now[3] != mine[3]:
                    clash.append(uid)
                else:
                    out[uid] = mine
            elif now is None or now[3] != before[3]:   # they removed or changed it
                if mine is None and now is None:
                    continue                   # both removed it
                if mine is not None and now is not None and now[3] == mine[3]:
                    continue                   # both made the same change
                clash.append(uid)
            elif mine is None:
                out.pop(uid, None)            # we removed it
            else:
                out[uid] = mine               # we changed it
        if clash:
            conflicts.append(_("{n} element(s) of {layer!r} ({uids})", n=len(clash), layer=lyr.name,
                               uids=join(sorted(clash)[:5])))
            continue
        _replace(lyr, out)
        merged.append(lyr.name)
    if conflicts:
        raise MergeConflict(_("was changed by another program since it was opened here, and the same data was "
                              "changed here: {what}; nothing was saved: open it again and redo the change",
                              what=join(conflicts)), target)
    return merged


def _replace(lyr: ElementLayer, rows: dict) -> None:
    """Set the merged elements as the layer's data (theirs in file order, then ours)."""
    items = sorted(rows.values(), key=lambda v: v[0])
    used, fids = set(), []
    top = max((v[0] for v in items), default=0)
    for v in items:
        fid = v[0]
        if fid in used:
            top += 1
            fid = top
        used.add(fid)
        fids.append(fid)
    fields = lyr.fields
    table = AttributeTable.from_records(fields, [{f.name: v[2].get(f.name) for f in fields} for v in items])
    geoms = np.array([v[1] for v in items], dtype=object)
    lyr.set_data(geoms, table, fids=np.asarray(fids, dtype=np.int64))


__all__ = ["merge", "MergeConflict"]
