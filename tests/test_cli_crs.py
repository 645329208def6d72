"""``smartgis crs PROJECT fit|add|list`` and ``import --crs NAME``: city grids kept in the project.

The Shenzhen buildings (``shenzhen-buildings/building.shp``, a Shenzhen planning-bureau
1:10,000 map, from the public repository ltyrapha/map-generalization) carry no ``.prj``.
No published relation of the Shenzhen independent grid to CGCS2000 could be found, so
the control points here are SYNTHETIC, built from a stated assumption: the grid is taken
to be a transverse Mercator on the CGCS2000 ellipsoid through 114°03'E (lat_0 22.5°N,
x_0 100 km) on a projection surface raised by 35 ppm — what a city grid typically is.
Twelve grid points converted by PROJ to EPSG:4547, with 5 mm of noise, are the control
points; the fitted 4-parameter grid must place the buildings where that definition
does.
"""

from __future__ import annotations

import hashlib
import json
import shutil

import numpy as np
import pyproj
import pytest

from tests.conftest import run_cli

ASSUMED_SZ_GRID = ("+proj=tmerc +lat_0=22.5 +lon_0=114.05 +k=1.000035 +x_0=100000 +y_0=0 +ellps=GRS80 "
                   "+units=m +no_defs")


@pytest.fixture
def proj(tmp_path):
    path = tmp_path / "city.gpkg"
    r = run_cli("new", str(path), "--crs", "EPSG:4547")
    assert r.returncode == 0, r.stderr
    return path


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def shenzhen_control_points(path, noise=0.005, blunder=None):
    t = pyproj.Transformer.from_crs(ASSUMED_SZ_GRID, "EPSG:4547", always_xy=True)
    rng = np.random.default_rng(21)
    lines = ["id,src_x,src_y,dst_x,dst_y"]
    k = 0
    for x in np.linspace(110_000, 125_000, 4):
        for y in np.linspace(12_000, 26_000, 3):
            k += 1
            e, n = t.transform(x, y)
            e, n = e + rng.normal(0, noise), n + rng.normal(0, noise)
            if blunder and f"K{k:02d}" == blunder:
                e += 0.6
            lines.append(f"K{k:02d},{x:.3f},{y:.3f},{e:.4f},{n:.4f}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_fit_json_shape_and_outlier(proj, tmp_path):
    pts = shenzhen_control_points(tmp_path / "pts.csv", blunder="K05")
    r = run_cli("crs", str(proj), "fit", "--points", str(pts), "--model", "helmert2d", "--name", "SZ", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert list(out) == ["name", "model", "base", "parameters", "rms_m", "residuals", "outliers"]
    assert out["name"] == "SZ" and out["model"] == "helmert2d" and out["base"] == "EPSG:4547"
    assert set(out["parameters"]) == {"dx", "dy", "rotation_arcsec", "scale_ppm"}
    assert set(out["residuals"][0]) == {"id", "dx", "dy", "r"} and len(out["residuals"]) == 12
    assert out["outliers"] == ["K05"]
    assert out["rms_m"] < 0.02
    # meridian convergence between 114°E and 114°03'E at 22.6°N ≈ 0.05° × sin φ ≈ 69"
    assert out["parameters"]["rotation_arcsec"] == pytest.approx(69, abs=3)
    assert out["parameters"]["scale_ppm"] == pytest.approx(-35, abs=5)
    # excluding it by hand gives the same fit without an outlier
    r = run_cli("crs", str(proj), "fit", "--points", str(pts), "--model", "helmert2d", "--name", "SZ",
                "--exclude", "K05", "--json")
    out2 = json.loads(r.stdout)
    assert out2["outliers"] == [] and out2["parameters"] == pytest.approx(out["parameters"])
    # the system and its fit report are stored; list and info show it
    lst = json.loads(run_cli("crs", str(proj), "list", "--json").stdout)
    assert [s["name"] for s in lst["local_crs"]] == ["SZ"]
    assert lst["local_crs"][0]["rms_m"] == pytest.approx(out2["rms_m"])
    info = json.loads(run_cli("info", str(proj), "--json").stdout)
    assert info["local_crs"][0]["name"] == "SZ" and info["local_crs"][0]["model"] == "helmert2d"
    text = run_cli("crs", str(proj), "fit", "--points", str(pts), "--model", "affine", "--name", "SZ6")
    assert "worst points: K05" in text.stdout and "refitted without them" in text.stdout


def test_shenzhen_buildings_placed_by_a_fitted_grid(proj, tmp_path, shared_data, validate_gpkg):
    pts = shenzhen_control_points(tmp_path / "pts.csv")
    r = run_cli("crs", str(proj), "fit", "--points", str(pts), "--model", "helmert2d", "--name", "深圳独立坐标系")
    assert r.returncode == 0, r.stderr
    r = run_cli("import", str(proj), str(shared_data / "shenzhen-buildings/building.shp"), "--crs", "深圳独立坐标系",
                "--json")
    assert r.returncode == 0, r.stderr
    rep = json.loads(r.stdout)
    assert rep["features_written"] == 350 and rep["sources"][0]["crs"]["label"] == "深圳独立坐标系"
    from smartgis.project import open_project
    lyr = open_project(proj).layer("building")
    got = lyr.geometries
    # the same buildings placed by the stated grid definition itself
    import shapely
    from smartgis.crs import transform_geometries
    import pyogrio.raw
    _meta, _fids, wkb, _fields = pyogrio.raw.read(shared_data / "shenzhen-buildings/building.shp")
    want = transform_geometries(shapely.from_wkb(wkb), ASSUMED_SZ_GRID, "EPSG:4547")
    a = shapely.get_coordinates(got)
    b = shapely.get_coordinates(want)
    assert a.shape == b.shape
    assert np.max(np.hypot(*(a - b).T)) < 0.01      # within 1 cm everywhere (measured 2.4 mm)
    x0, y0, x1, y1 = lyr.extent
    assert 515_000 < x0 < x1 < 530_000 and 2_500_000 < y0 < y1 < 2_515_000
    assert lyr.crs.startswith("DERIVEDPROJCRS") or lyr.source["crs"].startswith("DERIVEDPROJCRS")
    validate_gpkg(proj)
    # portable: a copy elsewhere still knows the grid (its WKT is stored, nothing else is needed)
    copy = tmp_path / "elsewhere" / "copy.gpkg"
    copy.parent.mkdir()
    shutil.copy(proj, copy)
    lst = json.loads(run_cli("crs", str(copy), "list", "--json").stdout)
    assert lst["local_crs"][0]["name"] == "深圳独立坐标系"
    import sqlite3
    with sqlite3.connect(copy) as conn:
        wkt, = conn.execute("SELECT wkt FROM smartgis_local_crs").fetchone()
    assert pyproj.CRS.from_wkt(wkt).name == "深圳独立坐标系"


def test_raster_in_a_local_grid(proj, tmp_path):
    """A GeoTIFF without CRS takes the grid's CRS; GDAL warps it onto the project CRS."""
    import rasterio
    from rasterio.transform import from_origin
    tif = tmp_path / "ortho.tif"
    data = np.zeros((1, 100, 100), np.uint8)
    data[0, 40:60, 40:60] = 255
    with rasterio.open(tif, "w", driver="GTiff", width=100, height=100, count=1, dtype="uint8",
                       transform=from_origin(117_000, 19_000, 10, 10)) as ds:
        ds.write(data)
    assert run_cli("crs", str(proj), "add", "SZ4", "--helmert2d", "405148.05,2489134.52,69.3,-32.4").returncode == 0
    r = run_cli("import", str(proj), str(tif), "--crs", "SZ4", "--json")
    assert r.returncode == 0, r.stderr
    from smartgis.crs.local import LocalCRS
    from smartgis.project import open_project
    p = open_project(proj)
    lyr = next(iter(p.layers.values()))
    assert pyproj.CRS.from_wkt(lyr.crs).name == "SZ4"
    lc = LocalCRS("SZ4", "EPSG:4547", "helmert2d", {"dx": 405148.05, "dy": 2489134.52, "rotation_arcsec": 69.3,
                                                    "scale_ppm": -32.4})
    # the white square's centre (grid 117500, 18500) rendered where the grid puts it
    from rasterio.crs import CRS
    from rasterio.warp import reproject
    cx, cy = lc.to_base(117_500, 18_500)[0]
    dst = np.zeros((60, 60), np.uint8)
    with rasterio.open(tif) as ds:
        reproject(ds.read(1), dst, src_transform=ds.transform, src_crs=CRS.from_wkt(lyr.crs),
                  dst_transform=from_origin(cx - 300, cy + 300, 10, 10), dst_crs=CRS.from_epsg(4547))
    ys, xs = np.nonzero(dst)
    assert abs(xs.mean() - 29.5) < 1.5 and abs(ys.mean() - 29.5) < 1.5


def test_add_helmert7_and_affine_and_list(proj):
    assert run_cli("crs", str(proj), "add", "H7", "--helmert7", "100,-50,20,1.5,-2,3,4",
                   "--convention", "coordinate_frame").returncode == 0
    assert run_cli("crs", str(proj), "add", "A6", "--base", "EPSG:4547",
                   "--affine", "391000,1.00002,-0.0015,2490000,0.0014,0.99997").returncode == 0
    lst = json.loads(run_cli("crs", str(proj), "list", "--json").stdout)["local_crs"]
    h7 = lst[0]
    assert h7["model"] == "helmert7" and h7["convention"] == "position_vector"
    assert h7["parameters"]["rx_arcsec"] == -1.5 and h7["parameters"]["rz_arcsec"] == -3   # stored position vector
    assert lst[1]["parameters"]["a1"] == 1.00002
    text = run_cli("crs", str(proj), "list").stdout
    assert "H7" in text and "A6" in text


@pytest.mark.parametrize("content,encoding,pattern", [
    ("id,src_x,src_y,dst_x\nP1,1,2,3\n", "utf-8", r"pts\.csv: line 1: missing column\(s\) dst_y"),
    ("id,src_x,src_y,dst_x,dst_y\nP1,1,2,3,4\nP2,1,abc,3,4\n", "utf-8", r"pts\.csv: line 3: src_y is not a number"),
    ("点号,源X,源Y,目标X,目标Y\nP1,1,2,3,4\n", "gbk", r"pts\.csv: line 1: missing column\(s\) id, src_x.*found: 点号"),
    ("id,src_x,src_y,dst_x,dst_y\nP1,1,2,3,4\nP1,5,6,7,8\n", "utf-8", r"pts\.csv: line 3: point id 'P1' was already used"),
    ("id,src_x,src_y,dst_x,dst_y\n", "utf-8", r"pts\.csv: the control-point table has no points"),
])
def test_bad_csv_exit_2_naming_file_and_line(proj, tmp_path, content, encoding, pattern):
    pts = tmp_path / "pts.csv"
    pts.write_bytes(content.encode(encoding))
    before = _sha(proj)
    r = run_cli("crs", str(proj), "fit", "--points", str(pts), "--model", "helmert2d", "--name", "X")
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    import re
    assert re.search(pattern, r.stderr), r.stderr
    assert _sha(proj) == before


def test_gbk_file_with_chinese_ids_is_read(proj, tmp_path):
    pts = tmp_path / "控制点.csv"
    text = shenzhen_control_points(tmp_path / "u.csv").read_text().replace("K0", "控制点").replace("K1", "图根")
    pts.write_bytes(text.encode("gbk"))
    r = run_cli("crs", str(proj), "fit", "--points", str(pts), "--model", "affine", "--name", "SZ", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["residuals"][0]["id"] == "控制点1"


@pytest.mark.parametrize("args,pattern", [
    (["fit", "--model", "affine", "--name", "X"], "collinear|one line"),
    (["fit", "--model", "helmert7", "--name", "X"], "missing column"),
    (["fit", "--model", "helmert2d", "--name", "X", "--exclude", "Z9"], "no control point Z9"),
    (["add", "X", "--helmert2d", "1,2,3"], "needs 4 numbers"),
    (["add", "EPSG:4547", "--helmert2d", "1,2,3,4"], "not a usable name"),
    (["fit", "--model", "helmert2d", "--name", "X", "--base", "EPSG:4326"], "not a projected CRS"),
])
def test_bad_usage_exit_2(proj, tmp_path, args, pattern):
    pts = tmp_path / "line.csv"
    pts.write_text("id,src_x,src_y,dst_x,dst_y\nA,0,0,10,10\nB,100,100,110,110\nC,200,200,210,210\n")
    if args[0] == "fit":
        args = [*args, "--points", str(pts)]
    before = _sha(proj)
    r = run_cli("crs", str(proj), *args)
    assert r.returncode == 2, (r.stdout, r.stderr)
    import re
    assert re.search(pattern, r.stderr), r.stderr
    assert _sha(proj) == before


def test_import_with_an_unknown_name_still_says_so(proj, shared_data):
    r = run_cli("import", str(proj), str(shared_data / "shenzhen-buildings/building.shp"), "--crs", "NoSuchGrid")
    assert r.returncode == 2 and "NoSuchGrid" in r.stderr


def test_export_extent_given_in_a_local_grid(proj, tmp_path):
    assert run_cli("crs", str(proj), "add", "SZ4", "--helmert2d", "405148.05,2489134.52,69.3,-32.4").returncode == 0
    r = run_cli("export", str(proj), "--png", str(tmp_path / "s.png"), "--paper", "A4", "--extent",
                "116800,18800,117300,19300", "--extent-crs", "SZ4", "--json")
    assert r.returncode == 0, r.stderr
    x0, y0, x1, y1 = json.loads(r.stdout)["extent"]
    from smartgis.crs.local import LocalCRS
    lc = LocalCRS("SZ4", "EPSG:4547", "helmert2d", {"dx": 405148.05, "dy": 2489134.52, "rotation_arcsec": 69.3,
                                                    "scale_ppm": -32.4})
    corners = lc.to_base([116800, 117300, 116800, 117300], [18800, 18800, 19300, 19300])
    assert x0 <= corners[:, 0].min() and corners[:, 0].max() <= x1
    assert y0 <= corners[:, 1].min() and corners[:, 1].max() <= y1
    assert (x0 + x1) / 2 == pytest.approx(lc.to_base(117050, 19050)[0, 0], abs=50)
