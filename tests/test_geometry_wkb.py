"""Rings of simple polygons read straight from GeoPackage blobs (written by GDAL)."""

from __future__ import annotations

import numpy as np
import pyogrio
import pytest
import shapely

from smartgis.geometry.wkb import simple_polygon_rings


def _blobs(tmp_path, geoms, name="t"):
    path = tmp_path / f"{name}.gpkg"
    pyogrio.raw.write(path, shapely.to_wkb(geoms), [], [], layer=name, driver="GPKG",
                      geometry_type="Unknown", crs="EPSG:4547")
    import sqlite3
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute(f"SELECT geom FROM {name} ORDER BY fid")]
    finally:
        conn.close()


def test_rings_are_the_polygons_coordinates(tmp_path):
    rng = np.random.default_rng(1)
    x, y = rng.uniform(500_000, 510_000, 300), rng.uniform(3_380_000, 3_390_000, 300)
    geoms = shapely.box(x, y, x + 12.5, y + 7.25)
    geoms[5] = shapely.Polygon([(x[5], y[5]), (x[5] + 9, y[5]), (x[5] + 4, y[5] + 6), (x[5] + 1, y[5] + 3)])
    blobs = _blobs(tmp_path, geoms)
    got = simple_polygon_rings(blobs)
    assert got is not None
    gx, gy, offsets = got
    for i in (0, 5, 299):
        ring = np.column_stack([gx[offsets[i]:offsets[i + 1]], gy[offsets[i]:offsets[i + 1]]])
        assert np.array_equal(ring, shapely.get_coordinates(shapely.get_exterior_ring(geoms[i])))
    assert offsets[-1] == len(shapely.get_coordinates(geoms))


@pytest.mark.parametrize("odd", [
    shapely.Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(2, 2), (4, 2), (4, 4), (2, 4)]]),   # a hole
    shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(2, 2, 3, 3)]),
    shapely.Polygon([(0, 0, 1), (10, 0, 1), (10, 10, 1), (0, 0, 1)]),                          # Z
    shapely.Polygon(),                                                                          # empty
    shapely.LineString([(0, 0), (1, 1)]),
])
def test_anything_but_a_simple_polygon_gives_none(tmp_path, odd):
    geoms = np.array([shapely.box(0, 0, 5, 5), odd, shapely.box(1, 1, 2, 2)], dtype=object)
    assert simple_polygon_rings(_blobs(tmp_path, geoms)) is None
    assert simple_polygon_rings([None]) is None
    assert simple_polygon_rings([b"GP\x00\x01"]) is None
