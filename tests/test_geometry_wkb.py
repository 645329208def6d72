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


def assert_rings_are(got, geoms, some):
    """``got`` holds the exterior rings of ``geoms`` (checked at the indices ``some``)."""
    assert got is not None
    gx, gy, offsets = got
    for i in some:
        ring = np.column_stack([gx[offsets[i]:offsets[i + 1]], gy[offsets[i]:offsets[i + 1]]])
        assert np.array_equal(ring, shapely.get_coordinates(shapely.get_exterior_ring(geoms[i])))
    assert offsets[-1] == len(shapely.get_coordinates(geoms))


def test_rings_are_the_polygons_coordinates(tmp_path):
    rng = np.random.default_rng(1)
    x, y = rng.uniform(500_000, 510_000, 300), rng.uniform(3_380_000, 3_390_000, 300)
    geoms = shapely.box(x, y, x + 12.5, y + 7.25)
    geoms[5] = shapely.Polygon([(x[5], y[5]), (x[5] + 9, y[5]), (x[5] + 4, y[5] + 6), (x[5] + 1, y[5] + 3)])
    blobs = _blobs(tmp_path, geoms)
    assert_rings_are(simple_polygon_rings(blobs), geoms, (0, 5, 299))


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


def _split(blobs, head, prefix=13):
    """What SQLite's aggregate hands over: the WKB starts, the vertices, the header
    length and the sum of the blobs' lengths."""
    w = head + prefix
    return (b"".join(b[head:w] for b in blobs), b"".join(b[w:] for b in blobs), head, sum(len(b) for b in blobs))


def test_split_rings_are_the_polygons_coordinates(tmp_path):
    from smartgis.geometry.wkb import split_polygon_rings
    rng = np.random.default_rng(2)
    x, y = rng.uniform(500_000, 510_000, 200), rng.uniform(3_380_000, 3_390_000, 200)
    geoms = shapely.box(x, y, x + 12.5, y + 7.25)
    blobs = _blobs(tmp_path, geoms)
    got = split_polygon_rings(*_split(blobs, 40))
    assert got is not None
    gx, gy, offsets = got
    ref = simple_polygon_rings(blobs)
    assert np.array_equal(gx, ref[0]) and np.array_equal(gy, ref[1]) and np.array_equal(offsets, ref[2])
    # another header length than the blobs': refused, not misread
    assert split_polygon_rings(*_split(blobs, 8)) is None


@pytest.mark.parametrize("odd", [
    shapely.Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(2, 2), (4, 2), (4, 4), (2, 4)]]),   # a hole
    shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(2, 2, 3, 3)]),
    shapely.Polygon([(0, 0, 1), (10, 0, 1), (10, 10, 1), (0, 0, 1)]),                          # Z
    shapely.LineString([(0, 0), (1, 1), (2, 0), (3, 3), (4, 4)]),
])
def test_split_rings_refuse_anything_but_a_simple_polygon(tmp_path, odd):
    from smartgis.geometry.wkb import split_polygon_rings
    geoms = np.array([shapely.box(0, 0, 5, 5), odd, shapely.box(1, 1, 2, 2)], dtype=object)
    assert split_polygon_rings(*_split(_blobs(tmp_path, geoms), 40)) is None


def test_split_lines_are_the_line_strings_coordinates(tmp_path):
    from smartgis.geometry.wkb import split_line_parts
    rng = np.random.default_rng(4)
    geoms = np.array([shapely.LineString(rng.uniform(0, 1000, (int(k), 2))) for k in rng.integers(2, 9, 300)])
    got = split_line_parts(*_split(_blobs(tmp_path, geoms), 40, prefix=9))
    assert got is not None
    gx, gy, offsets = got
    for i in (0, 17, 299):
        assert np.array_equal(np.column_stack([gx[offsets[i]:offsets[i + 1]], gy[offsets[i]:offsets[i + 1]]]),
                              shapely.get_coordinates(geoms[i]))


@pytest.mark.parametrize("odd", [
    shapely.MultiLineString([[(0, 0), (1, 1)], [(2, 2), (3, 3)]]),
    shapely.LineString([(0, 0, 1), (10, 0, 1), (10, 10, 1)]),                                    # Z
    shapely.box(0, 0, 3, 3),
])
def test_split_lines_refuse_anything_but_a_line_string(tmp_path, odd):
    from smartgis.geometry.wkb import split_line_parts
    geoms = np.array([shapely.LineString([(0, 0), (5, 5)]), odd], dtype=object)
    assert split_line_parts(*_split(_blobs(tmp_path, geoms), 40, prefix=9)) is None


def test_a_blob_shorter_than_its_header_is_refused(tmp_path):
    blobs = _blobs(tmp_path, shapely.box(np.arange(3.0), 0, np.arange(3.0) + 1, 1))
    # the last blob says it has a 40-byte envelope but ends inside it
    assert simple_polygon_rings(blobs[:2] + [blobs[2][:30]]) is None


def test_plain_wkb_rings_are_the_polygons_coordinates():
    """The server's plain WKB: Polygons, and MultiPolygons of one polygon, read alike."""
    from smartgis.postgis.source import polygon_rings_of_wkb
    rng = np.random.default_rng(3)
    x, y = rng.uniform(500_000, 510_000, 50), rng.uniform(3_380_000, 3_390_000, 50)
    geoms = shapely.box(x, y, x + 12.5, y + 7.25)
    blobs = list(shapely.to_wkb(geoms[:25])) + list(shapely.to_wkb(shapely.multipolygons([[g] for g in geoms[25:]])))
    assert_rings_are(polygon_rings_of_wkb(blobs), geoms, (0, 24, 25, 49))


@pytest.mark.parametrize("odd", [
    shapely.Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(2, 2), (4, 2), (4, 4), (2, 4)]]),   # a hole
    shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(2, 2, 3, 3)]),
    shapely.Polygon([(0, 0, 1), (10, 0, 1), (10, 10, 1), (0, 0, 1)]),                          # Z
    shapely.Polygon(),                                                                          # empty
    shapely.LineString([(0, 0), (1, 1), (2, 0), (3, 3), (4, 4)]),
])
def test_plain_wkb_refuses_anything_but_a_simple_polygon(odd):
    from smartgis.postgis.source import polygon_rings_of_wkb
    box = shapely.to_wkb(shapely.box(0, 0, 5, 5))
    assert polygon_rings_of_wkb([box, shapely.to_wkb(odd), box]) is None
    assert polygon_rings_of_wkb([box, shapely.to_wkb(shapely.box(0, 0, 5, 5), byte_order=0)]) is None   # big-endian
    assert polygon_rings_of_wkb([box, None]) is None
    assert polygon_rings_of_wkb([box, box[:12]]) is None
