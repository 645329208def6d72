"""Camera sectors blocked by buildings: cases computable by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from smartgis.geometry.circles import sector_polygons
from smartgis.geometry.sectors import visible_sectors
from smartgis.core import Project


def test_a_sector_against_a_wall_of_buildings_sees_only_the_triangle_before_it():
    # camera at the origin looking north, 90° wide, 100 m range; a wall of buildings
    # 50 m north spans the whole field of view: it sees the triangle of base 100, height 50
    cam = np.array([[0.0, 0.0]])
    sector = sector_polygons(cam, 100.0, 90.0, 0.0)
    wall = [shapely.box(x, 50, x + 20, 62) for x in range(-120, 120, 20)]  # touching footprints
    seen = visible_sectors(cam, sector, np.array(wall, dtype=object), np.array([100.0]))[0]
    assert seen.area == pytest.approx(50 * 50, rel=1e-9)
    assert seen.bounds[3] == pytest.approx(50.0)


def test_one_building_casts_a_shadow_between_its_tangent_rays():
    # a 10 m square centred 40 m north: its shadow within 100 m is the region behind it
    cam = np.array([[0.0, 0.0]])
    sector = sector_polygons(cam, 100.0, 360.0, 0.0)
    b = shapely.box(-5, 35, 5, 45)
    seen = visible_sectors(cam, sector, np.array([b], dtype=object), np.array([100.0]))[0]
    # hand computation: the hidden part of the disc is the building plus the region between
    # the rays through (±5, 35), beyond the near face, out to the circle
    half = math.atan2(5, 35)
    wedge = 100 ** 2 * half            # sector of angle 2*half
    tri = 35 * 5                       # triangle camera–(±5,35) (area 0.5*10*35)
    hidden = wedge - tri
    full = math.pi * 100 ** 2
    assert seen.area == pytest.approx(full - hidden, rel=2e-4)


def test_a_camera_on_a_wall_is_not_blinded_by_its_own_building():
    cam = np.array([[0.0, 0.2]])       # mounted on the north face of its building
    sector = sector_polygons(cam, 60.0, 90.0, 0.0)   # looking away from the wall
    own = shapely.box(-10, -20, 10, 0)
    seen = visible_sectors(cam, sector, np.array([own], dtype=object), np.array([60.0]))[0]
    assert seen.area == pytest.approx(sector[0].area, rel=1e-9)


def test_sector_model_uses_azimuth_fov_range_and_ptz():
    p = Project("cams", "EPSG:4547")
    p.design.add("camera", (500000, 3380000), azimuth=90, fov_deg=60, range_m=100, mount="bullet")
    p.design.add("camera", (501000, 3380000), range_m=50, mount="ptz")
    from smartgis.analysis.context import CheckContext
    ctx = CheckContext(p)
    es = ctx.elements(["camera"])
    fp = ctx.footprint(es, {})
    assert fp.area() == pytest.approx(100 ** 2 * math.pi / 6 + math.pi * 50 ** 2, rel=1e-9)
    # the bullet camera looks east
    assert fp.contains_xy(np.array([500080.0, 499920.0]), np.array([3380000.0, 3380000.0])).tolist() == [True, False]
