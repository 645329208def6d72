"""Opening checks a file for damage without reading its large feature tables
(real SQLite files; the size limit of the whole-file check is lowered to test the
large-file path on a small file)."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest
import shapely

from smartgis.core.layers import VectorLayer
from smartgis.core.project import Project
from smartgis.errors import DamagedProjectError, SmartGISError
from smartgis.project import integrity, open_project

X0, Y0 = 500_000.0, 3_380_000.0
N = 60_000


@pytest.fixture(scope="module")
def big_file(tmp_path_factory):
    rng = np.random.default_rng(3)
    x, y = rng.uniform(X0, X0 + 20_000, N), rng.uniform(Y0, Y0 + 20_000, N)
    p = Project("large", "EPSG:4547")
    p.add_layer(VectorLayer("buildings", shapely.box(x, y, x + 10, y + 8), crs="EPSG:4547"))
    p.add_layer(VectorLayer("sites", shapely.points(x[:50], y[:50]), crs="EPSG:4547"))
    return p.save(tmp_path_factory.mktemp("integrity") / "large.gpkg")


@pytest.fixture
def large_path(monkeypatch):
    monkeypatch.setattr(integrity, "WHOLE_FILE_BYTES", 0)


def _bytes_read() -> int:
    """Bytes this process has read through read()/pread() (page cache hits included)."""
    with open("/proc/self/io") as fh:
        for line in fh:
            if line.startswith("rchar:"):
                return int(line.split()[1])
    raise AssertionError("no rchar in /proc/self/io")


def _read_during_open(path) -> int:
    before = _bytes_read()
    p = open_project(path, read_only=True)
    after = _bytes_read()
    assert p.layer("buildings").feature_count == N
    return after - before


def test_opening_a_large_file_does_not_read_its_feature_tables(big_file, large_path):
    size = big_file.stat().st_size
    assert [t for t in integrity.tables_to_check(sqlite3.connect(big_file)) if "buildings" in t.lower()] == []
    assert _read_during_open(big_file) < size * 0.1


def test_a_small_file_is_still_checked_whole(big_file):
    # the same file under the whole-file limit: every page is read (the test above can fail)
    assert big_file.stat().st_size <= integrity.WHOLE_FILE_BYTES
    assert _read_during_open(big_file) >= big_file.stat().st_size * 0.9


def test_small_feature_tables_are_checked_in_large_files(big_file):
    conn = sqlite3.connect(big_file)
    names = {t.lower() for t in integrity.tables_to_check(conn)}
    conn.close()
    assert "sites" in names and "smartgis_layers" in names and "gpkg_contents" in names
    assert not any(n.startswith("rtree_buildings_") for n in names)


def _page_of(path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name=?", (table,)).fetchone()[0]
        page = conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()
    return (root - 1) * page, page


def test_damage_in_a_project_table_of_a_large_file_is_refused(big_file, large_path, tmp_path):
    data = bytearray(big_file.read_bytes())
    off, page = _page_of(big_file, "smartgis_layers")
    start = off + (100 if off == 0 else 0)
    for k in range(start + 8, start + page - 8, 7):     # scramble the cell pointers and cells
        data[k] ^= 0x5A
    bad = tmp_path / "damaged.gpkg"
    bad.write_bytes(bytes(data))
    with pytest.raises(DamagedProjectError, match="damaged"):
        open_project(bad)


def test_a_truncated_large_file_is_refused_from_its_header(big_file, large_path, tmp_path):
    data = big_file.read_bytes()
    cut = tmp_path / "cut.gpkg"
    cut.write_bytes(data[: len(data) - 3 * 4096])      # the last pages lost, the schema intact
    with pytest.raises(DamagedProjectError, match="cut short"):
        open_project(cut)


def test_damage_in_a_large_feature_table_is_reported_when_the_layer_is_read(big_file, large_path, tmp_path):
    data = bytearray(big_file.read_bytes())
    conn = sqlite3.connect(big_file)
    try:
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        # a leaf page in the middle of the table (not on the path to its last row)
        leaves = [r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name='buildings' AND pagetype='leaf' "
                                             "ORDER BY path")]
    finally:
        conn.close()
    off = (leaves[len(leaves) // 2] - 1) * page
    for k in range(off + 8, off + page - 8, 5):
        data[k] ^= 0xA5
    bad = tmp_path / "bad_table.gpkg"
    bad.write_bytes(bytes(data))
    p = open_project(bad, read_only=True)          # opens: the table is not read yet
    with pytest.raises(SmartGISError, match="buildings"):
        p.layer("buildings").geometries
