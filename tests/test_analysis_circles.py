"""Exact areas of unions of true circles, and equal-area circle and sector polygons."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from smartgis.geometry.circles import circle_polygons, disc_inside, sector_polygons, union_area
from smartgis.analysis.footprint import Footprint, grid_area


def lens_union(r: float, d: float) -> float:
    """Area of the union of two discs of radius r, centres d apart (textbook formula)."""
    lens = 2 * r * r * math.acos(d / (2 * r)) - d / 2 * math.sqrt(4 * r * r - d * d)
    return 2 * math.pi * r * r - lens


def test_one_circle_is_pi_r_squared():
    assert union_area([[521600.0, 3382000.0]], 300.0) == pytest.approx(math.pi * 300 ** 2, rel=1e-12)


@pytest.mark.parametrize("d", [0.1, 50.0, 150.0, 299.0, 599.0])
def test_two_circles_match_the_lens_formula(d):
    got = union_area([[500000.0, 3380000.0], [500000.0 + d, 3380000.0]], 300.0)
    assert got == pytest.approx(lens_union(300.0, d), rel=1e-10)


def test_disjoint_identical_and_nested_circles():
    assert union_area([[0, 0], [1000, 0]], 10.0) == pytest.approx(2 * math.pi * 100)
    assert union_area([[5, 5], [5, 5], [5, 5]], 10.0) == pytest.approx(math.pi * 100)
    # a small disc inside a large one adds nothing
    assert union_area([[0, 0], [3, 0]], [10.0, 2.0]) == pytest.approx(math.pi * 100)
    assert union_area(np.empty((0, 2)), 5.0) == 0.0
    assert union_area([[0, 0]], 0.0) == 0.0


def test_three_circles_through_one_point_and_random_sets_agree_with_fine_polygons():
    rng = np.random.default_rng(4547)
    xy = rng.uniform(0, 2000, (400, 2)) + [521000, 3381000]
    r = rng.uniform(20, 160, 400)
    fine = shapely.union_all(shapely.buffer(shapely.points(xy), r, quad_segs=512)).area
    # a 2048-gon is 1.6e-6 short of its circle: the exact value lies just above
    assert union_area(xy, r) == pytest.approx(fine, rel=3e-6)
    assert union_area(xy, r) > fine


def test_equal_area_polygons_have_the_area_of_their_circle():
    polys = circle_polygons([[0, 0], [10, 10]], [100.0, 3.0])
    assert shapely.area(polys) == pytest.approx([math.pi * 1e4, math.pi * 9], rel=1e-12)
    # and their union is within a few millionths of the exact union
    rng = np.random.default_rng(1)
    xy = rng.uniform(0, 5000, (2000, 2))
    exact = union_area(xy, 300.0)
    approx = shapely.union_all(circle_polygons(xy, 300.0)).area
    assert approx == pytest.approx(exact, rel=2e-5)


def test_sector_area_is_r_squared_theta_over_two_and_points_the_right_way():
    s = sector_polygons([[0, 0]], 100.0, 90.0, 45.0)[0]   # north-east quadrant
    assert s.area == pytest.approx(100 ** 2 * math.pi / 4, rel=1e-12)
    c = s.centroid
    assert c.x > 0 and c.y > 0 and c.x == pytest.approx(c.y)
    east = sector_polygons([[0, 0]], 50.0, 30.0, 90.0)[0]
    assert east.centroid.x > 0 and abs(east.centroid.y) < 1e-9
    full = sector_polygons([[0, 0]], 10.0, 360.0, 0.0)[0]
    assert full.area == pytest.approx(math.pi * 100, rel=1e-12)
    assert sector_polygons([[0, 0]], 0.0, 90.0, 0.0)[0] is None


def test_one_circle_in_a_square_clipped_exactly():
    sq = shapely.box(0, 0, 1000, 1000)
    inside = Footprint(circles=([[500, 500]], [200.0]))
    assert inside.area(sq) == pytest.approx(math.pi * 200 ** 2, rel=1e-12)
    # centred on an edge: exactly half is inside; on a corner: a quarter
    edge = Footprint(circles=([[0, 500]], [200.0]))
    assert edge.area(sq) == pytest.approx(math.pi * 200 ** 2 / 2, rel=1e-5)
    corner = Footprint(circles=([[0, 0]], [200.0]))
    assert corner.area(sq) == pytest.approx(math.pi * 200 ** 2 / 4, rel=1e-5)
    assert disc_inside([[500, 500], [100, 500]], [200, 200], sq).tolist() == [True, False]


def test_points_in_true_discs():
    fp = Footprint(circles=([[0, 0], [100, 0]], [10.0, 30.0]))
    x = np.array([0, 9.99, 10.01, 71, 69.9, 200])
    assert fp.contains_xy(x, np.zeros(6)).tolist() == [True, True, False, True, False, False]


def test_grid_area_of_many_pieces_is_close_to_the_polygon_union():
    rng = np.random.default_rng(3)
    a = rng.uniform(0, 3000, (3000, 2))
    segs = shapely.linestrings(np.stack([a, a + rng.uniform(-80, 80, (3000, 2))], axis=1))
    caps = shapely.buffer(segs, 25.0, quad_segs=8)
    exact = shapely.union_all(caps).area
    assert grid_area(caps, None, 50.0) == pytest.approx(exact, rel=2e-3)
    scope = shapely.box(500, 500, 2000, 2500)
    assert grid_area(caps, scope, 50.0) == pytest.approx(shapely.intersection(shapely.union_all(caps), scope).area,
                                                         rel=3e-3)
