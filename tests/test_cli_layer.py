"""``smartgis layer``: unique layer names, rename, remove, and the fields roles name."""

from __future__ import annotations

import pytest

from smartgis.core.project import Project
from smartgis.project import open_project
from smartgis.errors import LayerError, UsageError
from smartgis.io import import_source

SHENZHEN_GRID = "+proj=tmerc +lat_0=22.5 +lon_0=114 +k=1 +x_0=100000 +y_0=0 +ellps=GRS80 +units=m +no_defs"


@pytest.fixture
def proj(tmp_path, shared_data, cli):
    path = tmp_path / "深圳.gpkg"
    Project("深圳", "EPSG:4547").save(path)
    for _ in range(2):
        r = cli("import", path, shared_data / "shenzhen-buildings/building.shp", "--crs", SHENZHEN_GRID)
        assert r.returncode == 0, r.stderr
    assert "the new layer is named 'building_2'" in r.stdout
    return path


def test_a_second_import_gets_a_unique_name(proj):
    p = open_project(proj)
    assert sorted(lyr.name for lyr in p.layers.values()) == ["building", "building_2"]
    assert p.layer("building") is not p.layer("building_2")


def test_population_field_must_be_numeric(cli, proj):
    r = cli("layer", proj, "building", "--role", "population", "--population-field", "FLOOR")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "'FLOOR'" in r.stderr and "numeric" in r.stderr and "Shape_Area" in r.stderr
    assert open_project(proj).layer("building").role is None
    r = cli("layer", proj, "building", "--role", "population", "--population-field", "Shape_Area")
    assert r.returncode == 0, r.stderr
    # the model refuses it the same way (the window and scripts too)
    p = open_project(proj)
    with pytest.raises(UsageError, match="numeric"):
        p.layer("building_2").set_role("population", population_field="FLOOR")


def test_rename_and_remove(cli, proj):
    r = cli("layer", proj, "building_2", "--rename", "building")
    assert r.returncode == 2 and "there is a layer named 'building' already" in r.stderr
    r = cli("layer", proj, "building_2", "--rename", "建筑2009")
    assert r.returncode == 0 and "建筑2009" in r.stdout
    assert sorted(lyr.name for lyr in open_project(proj).layers.values()) == ["building", "建筑2009"]
    r = cli("layer", proj, "建筑2009", "--remove")
    assert r.returncode == 0, r.stderr
    p = open_project(proj)
    assert [lyr.name for lyr in p.layers.values()] == ["building"]
    assert "building_2" not in p.table_names()


def test_design_layer_with_elements_needs_force(cli, proj):
    p = open_project(proj)
    p.design.add("camera", (517500, 2508500))
    p.save()
    r = cli("layer", proj, "camera", "--remove")
    assert r.returncode == 2 and "holds 1 elements" in r.stderr and "--force" in r.stderr
    assert open_project(proj).design.counts() == {"camera": 1}
    r = cli("layer", proj, "camera", "--remove", "--force")
    assert r.returncode == 0, r.stderr
    assert not open_project(proj).design.counts()


def test_rename_is_one_undo_step_and_checks_names():
    p = Project("p", "EPSG:4547")
    from smartgis.core.layers import VectorLayer
    import shapely
    a = p.add_layer(VectorLayer("道路", [shapely.Point(0, 0)], crs=p.crs))
    b = p.add_layer(VectorLayer("道路", [shapely.Point(1, 1)], crs=p.crs))
    assert b.name == "道路_2"
    with pytest.raises(LayerError):
        p.rename_layer(b, "道路")
    p.rename_layer(b, "主干路")
    assert b.name == "主干路"
    p.stack.undo()
    assert b.name == "道路_2" and a.name == "道路"
