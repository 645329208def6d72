"""A very large population layer is counted from its file, at its buildings' box
centres, without loading it — and agrees with the area-weighted count (real files)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from smartgis.analysis import population as popmod
from smartgis.analysis.context import CheckContext
from smartgis.analysis.footprint import Footprint
from smartgis.core.fields import Field
from smartgis.core.layers import VectorLayer
from smartgis.core.project import Project
from smartgis.core.table import AttributeTable
from smartgis.project import open_project

X0, Y0 = 500_000.0, 3_380_000.0
N = 20_000


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    rng = np.random.default_rng(5)
    x, y = rng.uniform(X0, X0 + 8000, N), rng.uniform(Y0, Y0 + 6000, N)
    w, h = rng.uniform(8, 30, N), rng.uniform(8, 20, N)
    angle = rng.uniform(0, 90, N)
    boxes = shapely.box(x, y, x + w, y + h)
    from shapely import affinity
    geoms = np.array([affinity.rotate(b, a) for b, a in zip(boxes, angle)], dtype=object)
    people = rng.integers(0, 60, N)
    people[::97] = 0                        # some empty buildings
    p = Project("people", "EPSG:4547")
    lyr = VectorLayer("buildings", geoms, AttributeTable([Field("population", "int")], {"population": people.tolist()}),
                      crs="EPSG:4547")
    p.add_layer(lyr)
    lyr.set_role("population", population_field="population")
    return p.save(tmp_path_factory.mktemp("people") / "people.gpkg"), people


@pytest.fixture
def small_threshold(monkeypatch):
    monkeypatch.setattr(popmod, "CENTRE_FEATURES", 1000)
    import smartgis.analysis.context as ctxmod
    monkeypatch.setattr(ctxmod, "CENTRE_FEATURES", 1000)


def test_a_large_population_layer_is_counted_from_its_file(city, small_threshold):
    path, people = city
    q = open_project(path, read_only=True)
    pop = CheckContext(q).population()
    assert pop.kind == "centre" and not q.layer("buildings").loaded
    assert pop.total == pytest.approx(float(people.sum()))
    assert pop.n == int((people > 0).sum())


def test_centre_counts_agree_with_area_weighted_counts(city, small_threshold):
    path, _ = city
    fast = CheckContext(open_project(path, read_only=True)).population()
    full = open_project(path, read_only=True)
    full.layer("buildings").geometries            # loaded: the polygons, weighted by area
    exact = CheckContext(full).population()
    assert exact.kind == "polygon"
    rng = np.random.default_rng(9)
    centres = np.column_stack([rng.uniform(X0, X0 + 8000, 12), rng.uniform(Y0, Y0 + 6000, 12)])
    fp = Footprint(circles=(centres, 600.0))
    region = shapely.box(X0 + 1000, Y0 + 500, X0 + 7000, Y0 + 5000)
    for got, want in [(fast.within(region), exact.within(region)),
                      (fast.covered(fp, region), exact.covered(fp, region)),
                      (fast.covered(fp), exact.covered(fp))]:
        assert want > 10_000
        assert got == pytest.approx(want, rel=0.01)


def test_large_features_are_not_counted_by_centre(tmp_path, small_threshold):
    rng = np.random.default_rng(2)
    x, y = rng.uniform(X0, X0 + 50_000, 2000), rng.uniform(Y0, Y0 + 50_000, 2000)
    zones = shapely.box(x, y, x + 900, y + 700)          # census zones, not buildings
    p = Project("zones", "EPSG:4547")
    lyr = VectorLayer("zones", zones, AttributeTable([Field("pop", "int")], {"pop": [100] * 2000}), crs="EPSG:4547")
    p.add_layer(lyr)
    lyr.set_role("population", population_field="pop")
    q = open_project(p.save(tmp_path / "zones.gpkg"), read_only=True)
    assert CheckContext(q).population().kind == "polygon"      # area-weighted, as before
