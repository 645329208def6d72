"""Imports of files that trip simple importers: repeated names, data beyond the project CRS."""

from __future__ import annotations

import json

import pytest

from smartgis.project import open_project
from smartgis.core import Project
from smartgis.errors import CRSError
from smartgis.io import import_source


def _geojson(path, coords, name="points"):
    feats = [{"type": "Feature", "properties": {"名称": f"点{i}"}, "geometry": {"type": "Point", "coordinates": c}}
             for i, c in enumerate(coords)]
    path.write_text(json.dumps({"type": "FeatureCollection", "name": name, "features": feats}, ensure_ascii=False),
                    encoding="utf-8")
    return path


def test_two_layers_with_the_same_name(tmp_path, validate_gpkg):
    """Two sources both called "points" become two layers, "points" and "points_2" (names are
    unique in a project, so commands find the layer they name); the file stays a valid GeoPackage."""
    a = _geojson(tmp_path / "a.geojson", [(114.30, 30.50), (114.31, 30.51)])
    b = _geojson(tmp_path / "b.geojson", [(114.32, 30.52)])
    p = Project("同名", "EPSG:4547")
    import_source(p, a, layer_name="points")
    rep = import_source(p, b, layer_name="points")
    assert any("the new layer is named 'points_2'" in w for w in rep.warnings)
    path = tmp_path / "同名.gpkg"
    p.save(path)
    validate_gpkg(path)
    q = open_project(path)
    assert sorted(lyr.feature_count for lyr in q.vector_layers()) == [1, 2]
    assert sorted(lyr.name for lyr in q.vector_layers()) == ["points", "points_2"]


def test_data_beyond_the_project_crs_is_refused_naming_the_file(tmp_path):
    # 24°E on the equator is 90° from the zone's central meridian: no Transverse Mercator
    # coordinates exist there
    world = _geojson(tmp_path / "world.geojson", [(24.0, 0.0), (114.3, 30.5)])
    p = Project("分带", "EPSG:4547")
    with pytest.raises(CRSError) as exc:
        import_source(p, world)
    assert "world.geojson" in str(exc.value) and "project CRS" in str(exc.value)
    assert not p.layers
