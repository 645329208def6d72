"""Convex one-ring polygons proven valid from their WKB (io.simple_polygons), and the
import that writes them without GEOS: the same rows, checks and reports as through shapely."""

from __future__ import annotations

import sqlite3
import struct

import numpy as np
import pyarrow as pa
import pyogrio
from pyogrio.raw import write
import pytest
import shapely

from smartgis.core.project import Project
from smartgis.io import import_source
from smartgis.io.simple_polygons import convex_polygons
from smartgis.project import save_project


def _rotated_rectangles(n: int, seed: int = 0) -> list:
    rng = np.random.default_rng(seed)
    out = []
    for x, y, w, h, a in zip(rng.random(n) * 5e4 + 5e5, rng.random(n) * 5e4 + 3.3e6, rng.random(n) * 30 + 3,
                             rng.random(n) * 20 + 3, rng.random(n) * np.pi):
        c, s = np.cos(a), np.sin(a)
        pts = [(x + c * dx - s * dy, y + s * dx + c * dy) for dx, dy in ((0, 0), (w, 0), (w, h), (0, h))]
        out.append(shapely.Polygon(pts))
    return out


def _odd_shapes() -> dict:
    """Shapes the quick check must leave to GEOS (valid or not)."""
    star = [(np.cos(a), np.sin(a)) for a in np.arange(5) * 4 * np.pi / 5]
    return {
        "pentagram": shapely.Polygon(star),                                        # winds twice: invalid
        "bow-tie": shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)]),
        "L-shape": shapely.Polygon([(0, 0), (2, 0), (2, 1), (1, 1), (1, 2), (0, 2)]),  # valid, not convex
        "repeated point": shapely.Polygon([(0, 0), (1, 0), (1, 0), (1, 1), (0, 1)]),
        "spike": shapely.Polygon([(0, 0), (2, 0), (1, 0), (1, 1)]),
        "collinear": shapely.Polygon([(0, 0), (1, 0), (2, 0), (2, 1), (0, 1)]),
        "flat": shapely.Polygon([(0, 0), (1, 0), (2, 0)]),
        "hole": shapely.box(0, 0, 10, 10).difference(shapely.box(2, 2, 3, 3)),
        "multi": shapely.MultiPolygon([shapely.box(0, 0, 1, 1)]),
        "z": shapely.Polygon([(0, 0, 1), (1, 0, 1), (1, 1, 1), (0, 0, 1)]),
        "line": shapely.LineString([(0, 0), (1, 1)]),
        "nan": shapely.Polygon([(0, 0), (1, 0), (np.nan, 1), (0, 0)]),
        "inf": shapely.Polygon([(0, 0), (1, 0), (np.inf, 1), (0, 0)]),
        "empty": shapely.Polygon(),
    }


def test_every_proven_polygon_is_valid_for_geos():
    rng = np.random.default_rng(7)
    shapes = _rotated_rectangles(2000)
    # random quadrilaterals and hexagons: convex, concave and self-intersecting alike
    for k in (3, 4, 5, 6, 7):
        for _ in range(800):
            pts = rng.random((k, 2)) * 10
            shapes.append(shapely.Polygon(pts))
    # convex polygons with a nearly collinear vertex (the tolerance must not let one through wrongly)
    for eps in (1e-3, 1e-9, 1e-13, 0.0):
        shapes.append(shapely.Polygon([(0, 0), (1, eps), (2, 0), (2, 2), (0, 2)]))
    odd = _odd_shapes()
    shapes += list(odd.values())
    wkb = [shapely.to_wkb(g, flavor="iso", byte_order=1) for g in shapes]
    wkb.insert(5, None)                                       # a null row
    wkb.append(shapely.to_wkb(shapely.box(0, 0, 1, 1), byte_order=0))   # big-endian: left to GEOS
    column = pa.array(wkb, type=pa.binary())
    mask, bounds = convex_polygons(column)
    geoms = shapely.from_wkb(np.array(wkb, dtype=object))
    assert mask.sum() > 2500, "rectangles and random convex shapes should be proven"
    assert shapely.is_valid(geoms[mask]).all()
    assert np.array_equal(bounds[mask], shapely.bounds(geoms[mask]))
    assert np.isnan(bounds[~mask]).all()
    assert mask[:5].all()                                     # rotated rectangles
    odd_rows = mask[len(wkb) - 1 - len(odd):len(wkb) - 1]
    assert not odd_rows.any(), dict(zip(odd, odd_rows))
    assert not mask[5] and not mask[-1]
    # a slice of a column (Arrow offsets not starting at 0) reads the same rows
    sub_mask, sub_bounds = convex_polygons(column.slice(100, 500))
    assert np.array_equal(sub_mask, mask[100:600])
    assert np.array_equal(sub_bounds[sub_mask], bounds[100:600][sub_mask])


def _write_source(path, geoms, n_field=True):
    wkb = np.array([None if g is None else shapely.to_wkb(g, flavor="iso") for g in geoms], dtype=object)
    fields = [np.arange(len(geoms)), np.array([f"楼{i}" for i in range(len(geoms))], dtype=object)]
    write(str(path), wkb, fields, ["n", "名称"], driver="GPKG", layer="buildings",
                  geometry_type="Polygon", crs="EPSG:4547", promote_to_multi=False)


def _saved(tmp_path, geoms, **kw):
    src = tmp_path / "楼.gpkg"
    _write_source(src, geoms)
    project = Project("p", "EPSG:4547")
    rep = import_source(project, src, **kw)
    out = tmp_path / "p.gpkg"
    save_project(project, out)
    return rep, src, out


def test_import_writes_the_source_wkb_of_valid_polygons(tmp_path):
    rects = _rotated_rectangles(3000, seed=3)
    odd = _odd_shapes()
    others = [odd["L-shape"], odd["hole"], None, odd["repeated point"], odd["collinear"]]
    geoms = rects[:1000] + others + rects[1000:]
    rep, src, out = _saved(tmp_path, geoms)
    s = rep.sources[0]
    assert s.counters.repaired == 0 and s.counters.null == 1 and s.counters.read == len(geoms)
    conn = sqlite3.connect(out)
    rows = conn.execute("SELECT fid, geom, n, 名称 FROM buildings ORDER BY fid").fetchall()
    assert [r[0] for r in rows] == list(range(1, len(geoms) + 1))
    assert [r[2] for r in rows] == list(range(len(geoms))) and rows[1003][3] == "楼1003"
    src_blobs = [r[0] for r in sqlite3.connect(src).execute("SELECT geom FROM buildings ORDER BY fid")]
    for (_fid, blob, _n, _name), g, sblob in zip(rows, geoms, src_blobs):
        if g is None:
            assert blob is None
            continue
        # SmartGIS's header (little-endian, XY envelope, the project's srs) and GDAL's WKB
        assert blob[:2] == b"GP" and blob[3] == 0x03 and struct.unpack("<i", blob[4:8])[0] == 4547
        head = {0: 8, 1: 40, 2: 56, 3: 56, 4: 72}[(sblob[3] >> 1) & 7]
        assert blob[40:] == sblob[head:]
        x0, x1, y0, y1 = struct.unpack("<4d", blob[8:40])
        assert [x0, y0, x1, y1] == shapely.bounds(g).tolist()
    assert conn.execute("SELECT rtreecheck('rtree_buildings_geom')").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM rtree_buildings_geom").fetchone()[0] == len(geoms) - 1
    ext = conn.execute("SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name='buildings'").fetchone()
    assert list(ext) == shapely.total_bounds(np.array([g for g in geoms if g is not None], dtype=object)).tolist()
    conn.close()
    info = pyogrio.read_info(str(out), layer="buildings")
    assert info["features"] == len(geoms) and info["geometry_type"] == "Polygon"


def test_invalid_polygons_among_proven_ones_are_repaired_and_reported(tmp_path):
    rects = _rotated_rectangles(2000, seed=4)
    odd = _odd_shapes()
    geoms = rects[:700] + [odd["bow-tie"], odd["pentagram"], odd["L-shape"]] + rects[700:]
    rep, _src, out = _saved(tmp_path, geoms)
    s = rep.sources[0]
    assert s.counters.repaired == 2
    assert any("2 invalid geometries were repaired" in str(w) for w in s.warnings)
    got = shapely.from_wkb([r[0][40:] for r in sqlite3.connect(out).execute("SELECT geom FROM buildings ORDER BY fid")])
    # the repaired bow-tie is two triangles: the layer became MultiPolygon, every row promoted
    assert (shapely.get_type_id(got) == 6).all() and shapely.is_valid(got).all()
    valid = [i for i, g in enumerate(geoms) if shapely.is_valid(g)]
    assert shapely.equals(got[valid], np.array(geoms, dtype=object)[valid]).all()


def test_a_later_multipolygon_promotes_the_proven_rows(tmp_path, monkeypatch):
    from smartgis.io import vector
    monkeypatch.setattr(vector, "BATCH", 100)    # the multipolygon arrives in a later batch
    rects = _rotated_rectangles(250, seed=5)
    geoms = rects + [shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(2, 2, 3, 3)])]
    src = tmp_path / "mixed.gpkg"
    wkb = np.array([shapely.to_wkb(g, flavor="iso") for g in geoms], dtype=object)
    write(str(src), wkb, [np.arange(len(geoms))], ["n"], driver="GPKG", layer="b",
                  geometry_type="Unknown", crs="EPSG:4547", promote_to_multi=False)
    project = Project("p", "EPSG:4547")
    import_source(project, src)
    (lyr,) = project.vector_layers()
    assert lyr.geometry_type == "MultiPolygon" and lyr.feature_count == len(geoms)
    got = lyr.geometries
    assert (shapely.get_type_id(got) == 6).all()
    assert shapely.equals(got[:250], np.array(rects, dtype=object)).all()


def test_null_rows_left_out_beside_proven_rows(tmp_path):
    rects = _rotated_rectangles(50, seed=9)
    geoms = rects[:20] + [None, None] + rects[20:]
    src = tmp_path / "n.gpkg"
    _write_source(src, geoms)
    project = Project("p", "EPSG:4547")
    rep = import_source(project, src, keep_null=False)
    (lyr,) = project.vector_layers()
    assert rep.sources[0].skipped == 2 and lyr.feature_count == 50
    assert shapely.equals(lyr.geometries, np.array(rects, dtype=object)).all()
    assert lyr.table.column("n").tolist() == list(range(20)) + list(range(22, 52))


@pytest.mark.parametrize("project_crs", ["EPSG:4547", "EPSG:4546"])
def test_reprojected_import_checks_through_geos(tmp_path, project_crs):
    """Reprojected rows change: every row goes through GEOS and is written anew."""
    rects = _rotated_rectangles(30, seed=11)
    src = tmp_path / "r.gpkg"
    _write_source(src, rects)
    project = Project("p", project_crs)
    import_source(project, src)
    (lyr,) = project.vector_layers()
    assert lyr.feature_count == 30 and shapely.is_valid(lyr.geometries).all()
