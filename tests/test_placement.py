"""Batch-layout geometry (smartgis.geometry.placement) checked against geometry."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from smartgis.geometry.placement import (
    as_lines,
    coverage_shape,
    grid_points,
    intersection_points,
    nearest_links,
    points_along,
    sector,
    thin,
)
from smartgis.errors import UsageError


def test_points_along_on_the_line_centred():
    lay = points_along(shapely.LineString([(0, 0), (100, 0)]), 30)
    assert np.allclose(shapely.get_x(lay.points), [5, 35, 65, 95])
    assert (lay.side == 0).all() and np.allclose(lay.azimuth, 90.0)
    assert np.allclose(lay.chainage, [5, 35, 65, 95])


def test_points_along_start_alignment_and_short_lines():
    lay = points_along([shapely.LineString([(0, 0), (0, 100)])], 30, align="start")
    assert np.allclose(shapely.get_y(lay.points), [0, 30, 60, 90]) and np.allclose(lay.azimuth, 0.0)
    short = points_along([shapely.LineString([(0, 0), (10, 0)])], 30)
    assert len(short) == 1 and short.points[0].equals(shapely.Point(5, 0))


def test_offset_sides_follow_the_direction_of_the_line():
    west = shapely.LineString([(100, 0), (0, 0)])  # drawn westwards: its left is south
    left = points_along(west, 50, offset=4)
    assert np.allclose(shapely.get_y(left.points), -4) and (left.side == 1).all()
    right = points_along(west, 50, offset=-4)
    assert np.allclose(shapely.get_y(right.points), 4) and (right.side == -1).all()
    both = points_along(west, 50, offset=4, both_sides=True)
    assert len(both) == 2 * len(left)
    assert sorted(set(np.round(shapely.get_y(both.points), 9))) == [-4, 4]


def test_multilines_polygons_and_rings():
    ml = shapely.MultiLineString([[(0, 0), (100, 0)], [(0, 50), (100, 50)]])
    lay = points_along([ml, None, shapely.Point(1, 1)], 50)
    assert len(lay) == 6 and (lay.source == 0).all()
    ring = points_along(shapely.box(0, 0, 100, 100), 10)
    assert len(ring) == 40  # closed: no doubled point where the ring starts
    assert len(thin(ring.points, 9.99)) == 40 and thin(ring.points, 9.99).all()
    lines, src = as_lines([shapely.box(0, 0, 10, 10).difference(shapely.box(2, 2, 4, 4))])
    assert len(lines) == 2 and (src == 0).all()


def test_min_gap_drops_poles_doubled_at_a_junction():
    a = shapely.LineString([(0, 0), (100, 0)])
    b = shapely.LineString([(100, 0), (200, 0)])
    full = points_along([a, b], 20, align="start")
    assert len(full) == 12  # 0..100 and 100..200: a pole twice at x = 100
    thinned = points_along([a, b], 20, align="start", min_gap=5)
    assert len(thinned) == 11
    x = np.sort(shapely.get_x(thinned.points))
    assert np.allclose(np.diff(x), 20)


def test_thin_is_greedy_in_order():
    pts = shapely.points([(0, 0), (1, 0), (2, 0), (3, 0)])
    # 1 is dropped (near 0), 2 is kept (1 was dropped, 0 is 2 away), 3 dropped (near 2)
    assert thin(pts, 1.5).tolist() == [True, False, True, False]


def test_grid_square_and_hex_and_rotation():
    area = shapely.box(0, 0, 1000, 1000)
    sq = grid_points(area, 100)
    assert len(sq) == 81  # the lattice is centred: x = 100..900
    hx = grid_points(area, 100, pattern="hex")
    assert len(hx) > len(sq) * 0.9
    turned = grid_points(area, 100, angle=45)
    assert shapely.contains(area, turned.points).all()
    d = shapely.distance(turned.points[0], turned.points[1:]).min()
    assert math.isclose(d, 100.0)
    assert len(grid_points(area, 100, margin=150)) == 49
    with pytest.raises(UsageError):
        grid_points(area, 100, pattern="triangle")


def test_intersections_and_degrees():
    lines = [shapely.LineString([(0, 0), (100, 0)]), shapely.LineString([(50, -50), (50, 50)]),
             shapely.LineString([(100, 0), (200, 0)]), shapely.LineString([(100, 0), (100, 80)])]
    pts, deg = intersection_points(lines)
    assert [(p.x, p.y) for p in pts] == [(50, 0), (100, 0)] and deg.tolist() == [4, 3]
    all_nodes, deg1 = intersection_points(lines, min_degree=1)
    assert len(all_nodes) == 7 and sorted(deg1.tolist()) == [1, 1, 1, 1, 1, 3, 4]


def test_intersections_tolerance_joins_near_misses():
    lines = [shapely.LineString([(0, 0), (100, 0)]), shapely.LineString([(50, 0.004), (50, 50)])]
    assert len(intersection_points(lines, tolerance=0.01)[0]) == 1
    assert len(intersection_points(lines, tolerance=0.0)[0]) == 0


def test_nearest_links_with_max_distance_and_lines():
    src = shapely.points([(0, 0), (10, 0), (100, 0)])
    dst = shapely.points([(3, 4), (13, 0)])
    fi, ti, lines, d = nearest_links(src, dst, max_distance=10)
    assert fi.tolist() == [0, 1] and ti.tolist() == [0, 1] and np.allclose(d, [5, 3])
    assert lines[0].equals(shapely.LineString([(0, 0), (3, 4)]))
    line_dst = [shapely.LineString([(0, 10), (200, 10)])]
    fi, ti, lines, d = nearest_links(src, line_dst)
    assert np.allclose(d, 10) and lines[2].equals(shapely.LineString([(100, 0), (100, 10)]))


def test_sector_geometry():
    s = sector(0, 0, 100, 90, 0)
    assert math.isclose(s.area, math.pi * 100 ** 2 / 4, rel_tol=0.01)
    minx, miny, maxx, maxy = s.bounds
    assert math.isclose(maxy, 100) and math.isclose(minx, -70.71, rel_tol=1e-3)
    east = sector(0, 0, 100, 30, 90)
    assert east.centroid.x > 50 and abs(east.centroid.y) < 1e-6
    assert math.isclose(sector(0, 0, 10, 360, 0).area, math.pi * 100, rel_tol=0.01)
    assert coverage_shape("none", shapely.Point(0, 0), radius=5) is None
    assert coverage_shape("network", shapely.Point(0, 0), distance=300).bounds[2] == pytest.approx(300)


def test_keep_clear_leaves_out_points_standing_in_a_crossing_street():
    a = shapely.LineString([(0, 0), (100, 0)])
    b = shapely.LineString([(50, -50), (50, 50)])
    every = points_along([a, b], 10, offset=4, both_sides=True, align="start", keep_clear=False)
    clear = points_along([a, b], 10, offset=4, both_sides=True, align="start")
    d_every = shapely.distance(every.points[:, None], np.array([a, b])[None, :]).min(axis=1)
    d_clear = shapely.distance(clear.points[:, None], np.array([a, b])[None, :]).min(axis=1)
    assert (d_every < 4 - 1e-6).sum() == 4  # the four poles at (50, ±4) and (±4 + 50, 0)
    assert len(clear) == len(every) - 4 and (d_clear >= 4 - 1e-6).all()


def test_grid_over_many_parcels_is_one_lattice():
    """A study area drawn as parcels gets one grid over the whole area, not one point per parcel."""
    from smartgis.geometry.placement import grid_points
    parcels = [shapely.box(x, y, x + 100, y + 100) for x in range(0, 1000, 100) for y in range(0, 1000, 100)]
    one = grid_points(parcels, 400)
    assert len(one.points) == 9                     # a 3 x 3 lattice centred on (500, 500)
    xs = sorted({round(p.x) for p in one.points})
    assert xs == [100, 500, 900]
    for p, src in zip(one.points, one.source):      # each point knows the parcel it lies in
        assert parcels[src].covers(p)
    each = grid_points(parcels, 400, per_polygon=True)
    assert len(each.points) == 100                  # the old per-parcel behaviour, on request
