"""A loaded polygon layer drawn from its flat ring arrays looks as drawn through GEOS."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from smartgis.core.layers import VectorLayer
from smartgis.core.project import Project
from smartgis.core.style import Symbol, VectorStyle
from smartgis.render import render_map, vector
from smartgis.render.imagecompare import compare_images
from smartgis.render.prepared import prepared_for

X0, Y0 = 500_000.0, 3_380_000.0


def _project():
    rng = np.random.default_rng(4)
    n = 3000
    x, y = rng.uniform(X0, X0 + 3000, n), rng.uniform(Y0, Y0 + 2000, n)
    geoms = shapely.box(x, y, x + rng.uniform(5, 40, n), y + rng.uniform(5, 30, n))
    # holes, multipolygons, a missing geometry and rings drawn clockwise in the file
    geoms[0] = shapely.Polygon([(X0, Y0), (X0 + 300, Y0), (X0 + 300, Y0 + 300), (X0, Y0 + 300)],
                               [[(X0 + 100, Y0 + 100), (X0 + 200, Y0 + 100), (X0 + 200, Y0 + 200), (X0 + 100, Y0 + 200)]])
    geoms[1] = shapely.MultiPolygon([shapely.box(X0 + 400, Y0, X0 + 500, Y0 + 80),
                                     shapely.box(X0 + 520, Y0, X0 + 600, Y0 + 80)])
    geoms[2] = None
    geoms[3] = shapely.Polygon([(X0 + 700, Y0), (X0 + 700, Y0 + 90), (X0 + 800, Y0 + 90), (X0 + 800, Y0)])
    p = Project("rings", "EPSG:4547")
    lyr = VectorLayer("b", geoms, crs="EPSG:4547",
                      style=VectorStyle(symbol=Symbol(fill="#d9c3a5", stroke="#6e5f4b", stroke_width=0.3)))
    p.add_layer(lyr)
    return p, lyr


@pytest.mark.parametrize("extent", [(X0 - 10, Y0 - 10, X0 + 900, Y0 + 400), (X0, Y0, X0 + 3000, Y0 + 2000)])
def test_ring_arrays_draw_what_geos_draws(monkeypatch, extent):
    p, lyr = _project()
    monkeypatch.setattr(vector, "RING_CACHE_MIN", 10**9)
    through_geos = render_map(p, (800, 500), extent=extent)
    monkeypatch.setattr(vector, "RING_CACHE_MIN", 1)
    from_rings = render_map(p, (800, 500), extent=extent)
    assert prepared_for(lyr, p.crs).kept("rings")         # the arrays were used
    assert from_rings.features_drawn == through_geos.features_drawn > 0
    c = compare_images(from_rings.image, through_geos.image, pixel_tolerance=8, max_fraction=0.001)
    assert c.ok, c.message


def test_ring_arrays_group_rings_by_feature():
    p, lyr = _project()
    rings = prepared_for(lyr, p.crs).rings()
    x, y, offsets, owner = rings.of(np.array([0, 1, 3]))
    assert owner.tolist() == [0, 0, 1, 1, 3]                    # exterior + hole, two parts, one ring
    assert len(x) == offsets[-1] == 5 + 5 + 5 + 5 + 5


def test_flat_rings_built_in_steps_equal_those_built_at_once(monkeypatch):
    # a layer's rings are built in steps (the window's thread gets the GIL between them):
    # the steps must not change a ring, its orientation, its owner or the feature index
    from smartgis.render import prepared as P
    rng = np.random.default_rng(1)
    gs = []
    for i in range(1200):
        x, y = rng.uniform(0, 1000, 2)
        if i % 7 == 0:
            gs.append(shapely.MultiPolygon([shapely.box(x, y, x + 3, y + 3), shapely.box(x + 5, y, x + 8, y + 2)]))
        elif i % 11 == 0:
            gs.append(shapely.Polygon(shapely.box(x, y, x + 10, y + 10).exterior.coords,
                                      [shapely.box(x + 2, y + 2, x + 4, y + 4).exterior.coords]))
        elif i % 13 == 0:
            gs.append(shapely.LineString([(x, y), (x + 1, y + 1)]))
        else:
            gs.append(shapely.box(x, y, x + 2, y + 1))
    g = np.array(gs, dtype=object)
    t = shapely.get_type_id(g)
    monkeypatch.setattr(P, "RINGS_CHUNK", 10 ** 9)
    whole = P.PolygonRings(g, t)
    monkeypatch.setattr(P, "RINGS_CHUNK", 97)
    steps = P.PolygonRings(g, t)
    for k in ("x", "y", "offsets", "owner", "first"):
        assert np.array_equal(getattr(whole, k), getattr(steps, k)), k
    # 862 boxes (1 ring), 94 polygons with a hole and 172 two-part multipolygons (2 rings each); lines have none
    assert len(whole.offsets) - 1 == 862 + 2 * 94 + 2 * 172


def test_line_parts_draw_what_geos_draws(monkeypatch):
    rng = np.random.default_rng(9)
    lines = [shapely.LineString(np.column_stack([X0 + np.cumsum(rng.normal(0, 40, 4)) + rng.uniform(0, 3000),
                                                 Y0 + np.cumsum(rng.normal(0, 40, 4)) + rng.uniform(0, 2000)]))
             for _ in range(2500)]
    lines[5] = shapely.MultiLineString([[(X0, Y0), (X0 + 500, Y0 + 300)], [(X0 + 600, Y0), (X0 + 900, Y0 + 50)]])
    lines[6] = None
    p = Project("lines", "EPSG:4547")
    lyr = VectorLayer("r", np.array(lines, dtype=object), crs="EPSG:4547",
                      style=VectorStyle(symbol=Symbol(fill="#00000000", stroke="#55724c", stroke_width=0.5)))
    p.add_layer(lyr)
    extent = (X0 - 100, Y0 - 100, X0 + 3100, Y0 + 2100)
    monkeypatch.setattr(vector, "RING_CACHE_MIN", 10**9)
    through_geos = render_map(p, (800, 500), extent=extent)
    monkeypatch.setattr(vector, "RING_CACHE_MIN", 1)
    from_parts = render_map(p, (800, 500), extent=extent)
    assert prepared_for(lyr, p.crs).kept("lines")
    assert from_parts.features_drawn == through_geos.features_drawn > 0
    c = compare_images(from_parts.image, through_geos.image, pixel_tolerance=8, max_fraction=0.001)
    assert c.ok, c.message
    parts = prepared_for(lyr, p.crs).lines()
    x, y, offsets, owner = parts.of(np.array([4, 5, 7]))
    assert owner.tolist() == [4, 5, 5, 7]                        # the multi-line string's two parts
