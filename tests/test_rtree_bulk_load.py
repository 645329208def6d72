"""The packed R-tree written straight into SQLite's shadow tables (gpkg.bulk_load_rtree)."""

from __future__ import annotations

import json
import sqlite3

import numpy as np
import pytest

from smartgis.project import gpkg


def _boxes(n: int, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x, y = rng.random(n) * 1e5 + 500_000, rng.random(n) * 1e5 + 3_000_000
    return np.c_[x, y, x + rng.random(n) * 20, y + rng.random(n) * 20]


@pytest.mark.parametrize("ids", [
    np.arange(1, 20_001),                                   # consecutive (one import's table)
    np.arange(1, 40_001, 2),                                # gaps (a layer split by geometry type)
    np.random.default_rng(3).permutation(20_000) + 1,       # not in id order
    np.arange(-5_000, 15_000),                              # negative ids
    np.arange(20_000) * 7 + 2 ** 55,                        # ids too large to pack beside the node
], ids=["consecutive", "gaps", "unordered", "negative", "huge"])
def test_bulk_loaded_tree_is_valid_and_finds_every_box(tmp_path, ids):
    bounds = _boxes(len(ids))
    conn = sqlite3.connect(tmp_path / "r.db")
    conn.execute("CREATE VIRTUAL TABLE r USING rtree(id, minx, maxx, miny, maxy)")
    gpkg.bulk_load_rtree(conn, "r", ids, bounds)
    assert conn.execute("SELECT rtreecheck('r')").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM r_rowid").fetchone()[0] == len(ids)
    rowids = [r[0] for r in conn.execute("SELECT rowid FROM r_rowid ORDER BY rowid")]
    assert rowids == sorted(ids.tolist())
    # the same boxes inserted one by one: SQLite's own tree answers every window alike
    conn.execute("CREATE VIRTUAL TABLE plain USING rtree(id, minx, maxx, miny, maxy)")
    conn.executemany("INSERT INTO plain VALUES (?,?,?,?,?)",
                     zip(ids.tolist(), bounds[:, 0], bounds[:, 2], bounds[:, 1], bounds[:, 3]))
    windows = ((520_000.0, 3_020_000.0, 500.0), (500_000.0, 3_000_000.0, 5_000.0), (590_000.0, 3_050_000.0, 1_500.0))
    for x0, y0, size in windows:
        sql = "SELECT id FROM {} WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ? ORDER BY id"
        args = (x0, x0 + size, y0, y0 + size)
        found = conn.execute(sql.format("r"), args).fetchall()
        assert found == conn.execute(sql.format("plain"), args).fetchall()
        assert found


def test_single_node_tree(tmp_path):
    conn = sqlite3.connect(tmp_path / "r.db")
    conn.execute("CREATE VIRTUAL TABLE r USING rtree(id, minx, maxx, miny, maxy)")
    gpkg.bulk_load_rtree(conn, "r", np.array([4, 9, 11]), _boxes(3))
    assert conn.execute("SELECT rtreecheck('r')").fetchone()[0] == "ok"
    assert [r[0] for r in conn.execute("SELECT id FROM r ORDER BY id")] == [4, 9, 11]


def test_json_integers():
    for values in ([0], [5, 0, 10, 999, 1000], [2 ** 61 + 3, 7], list(range(0, 100_000, 7))):
        assert json.loads(gpkg.json_integers(np.array(values))) == values
    assert gpkg.json_integers(np.array([], dtype=np.int64)) == "[]"
    with pytest.raises(ValueError):
        gpkg.json_integers(np.array([3, -1]))
