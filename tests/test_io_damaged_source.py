"""A damaged GeoPackage source is refused whole, also when it is large enough that
only its small tables are checked before the import reads it."""

from __future__ import annotations

import sqlite3

import numpy as np
import pyogrio
import pytest
import shapely

from smartgis.core.project import Project
from smartgis.errors import SourceError
from smartgis.io import import_source
from smartgis.project import integrity

N = 60_000


def _source(tmp_path):
    path = tmp_path / "src.gpkg"
    x = np.arange(N) % 300 * 20.0 + 500_000
    y = np.arange(N) // 300 * 20.0 + 3_380_000
    pyogrio.raw.write(path, shapely.to_wkb(shapely.box(x, y, x + 10, y + 10)), [np.arange(N)], ["k"], layer="b",
                      driver="GPKG", geometry_type="Polygon", crs="EPSG:4547")
    return path


def _damage_a_leaf_page(path):
    conn = sqlite3.connect(path)
    try:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = [r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name='b' AND pagetype='leaf'")]
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table")
    finally:
        conn.close()
    data = bytearray(path.read_bytes())
    at = (pages[len(pages) // 2] - 1) * size
    data[at:at + size] = b"\xff" * size
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("large", [False, True])
def test_a_damaged_feature_page_refuses_the_whole_source(tmp_path, monkeypatch, large):
    path = _source(tmp_path)
    _damage_a_leaf_page(path)
    if large:   # checked like a large file: the feature table is left to the read
        monkeypatch.setattr(integrity, "WHOLE_FILE_BYTES", 1000)
    project = Project()
    with pytest.raises(SourceError, match="damaged"):
        import_source(project, path)
    assert not project.layers


def test_a_sound_large_source_imports_every_feature(tmp_path, monkeypatch):
    monkeypatch.setattr(integrity, "WHOLE_FILE_BYTES", 1000)
    project = Project()
    rep = import_source(project, _source(tmp_path))
    assert rep.layers[0]["features"] == N


def test_a_truncated_source_is_refused_from_its_header(tmp_path):
    path = _source(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])
    with pytest.raises(SourceError, match="cut short"):
        import_source(Project(), path)
