"""What a person can do about a conflict (the window offers the three):

* **reload** — open the project again from the server (this session's edits go);
* **merge** — take the colleague's version of the conflicting rows and keep every
  other edit of this session, then save again (:func:`take_theirs`);
* **overwrite** — save with this session's version winning
  (``save_url(project, overwrite=True)``).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from psycopg import sql

from smartgis.postgis.connect import connect
from smartgis.postgis.rows import keys_of, read_table, table_fields
from smartgis.postgis.state import Base


def take_theirs(project, conflicts: list[dict]) -> int:
    """Replace the conflicting rows of ``project`` by the server's (or drop them where
    the server deleted them); returns how many rows were taken.  The rows' base
    becomes the server's version, so the next save writes only the other edits."""
    state = project.team
    by_table = defaultdict(list)
    for c in conflicts:
        by_table[c["table"]].append(c["key"])
    layers = {getattr(lyr, "table_name", None): lyr for lyr in project.layers.values()}
    n = 0
    conn = connect(state.url, state.password)
    try:
        with conn.transaction():
            for table, keys in by_table.items():
                lyr = layers.get(table)
                base = state.bases.get(getattr(lyr, "id", None))
                if lyr is None or base is None:
                    continue
                on_server = {f.name for f in table_fields(conn, state.url.schema, table, {})}
                fields = [f for f in lyr.fields if f.name in on_server]
                fids, geoms, attrs, versions = read_table(
                    conn, state.url.schema, table, fields,
                    sql.SQL("{} = ANY(%s)").format(sql.Identifier(base.key)), (list(keys),))
                theirs = {k: i for i, k in enumerate(keys_of(base.key, fids, attrs).tolist())}
                n += _apply(lyr, base, state, keys, theirs, geoms, attrs, versions, fields)
    finally:
        conn.close()
    return n


def _apply(lyr, base: Base, state, keys, theirs, geoms, attrs, versions, fields) -> int:
    cur = {k: i for i, k in enumerate(keys_of(base.key, lyr.fids, lyr.table).tolist())}
    bpos = base.positions()
    gone_local = []
    drop_base = []
    rows, picks = [], []              # local row ← server row, applied as one edit below
    for k in keys:
        i = cur.get(k)
        j = theirs.get(k)
        if j is None:                      # deleted on the server: it goes here too
            if i is not None:
                gone_local.append(i)
            if k in bpos:
                drop_base.append(bpos[k])
            continue
        if i is None:                      # deleted here, changed there: theirs stays (seen after a reload)
            if k in bpos:
                drop_base.append(bpos[k])
            continue
        rows.append(i)
        picks.append(j)
        if k in bpos:
            b = bpos[k]
            base.versions[b] = versions[j]
            base.geoms[b] = geoms[j]
            for f in fields:
                if base.attrs is not None and base.attrs.has_field(f.name):
                    base.attrs.set_value(b, f.name, attrs.column(f.name)[j])
    if rows:
        # one new version of the layer, not one per row and field (each would copy a column)
        take = np.asarray(picks, dtype=np.int64)
        lyr.set_geometries(rows, np.asarray(geoms, dtype=object)[take])
        if fields:
            lyr.set_values(rows, {f.name: [attrs.column(f.name)[j] for j in picks] for f in fields}, per_row=True)
    if gone_local:
        lyr.delete(np.array(sorted(gone_local), dtype=np.int64))
    if drop_base:
        keep = np.setdiff1d(np.arange(len(base.keys)), np.array(drop_base, dtype=np.int64))
        state.bases[lyr.id] = Base(key=base.key, keys=base.keys[keep], versions=base.versions[keep],
                                   geoms=base.geoms[keep], attrs=base.attrs.take(keep), fields=base.fields)
    return len(keys)


__all__ = ["take_theirs"]
