"""``smartgis import`` on the real files: counts, text, coordinates; bad input refused
with exit 2 and the project file byte for byte unchanged."""

from __future__ import annotations

import hashlib
import json
import os
import re

import pytest

from smartgis.project import open_project
from smartgis.core.project import Project

SHENZHEN_GRID = "+proj=tmerc +lat_0=22.5 +lon_0=114 +k=1 +x_0=100000 +y_0=0 +ellps=GRS80 +units=m +no_defs"


@pytest.fixture
def proj(tmp_path):
    path = tmp_path / "城市设计.gpkg"
    Project("城市设计", "EPSG:4547").save(path)
    return path


def _sha(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def _import(cli, proj, *args):
    r = cli("import", proj, *args, "--json")
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    return json.loads(r.stdout)


@pytest.mark.parametrize("rel,args,counts", [
    ("cn-encodings/beijing.shp", ["--crs", "EPSG:4490"], {"beijing": 1}),
    ("cn-encodings/china_country.shp", ["--crs", "EPSG:4490"], {"china_country": 1}),
    ("cn-encodings/rivers.shp", ["--crs", "EPSG:4490"], {"rivers": 594}),
    ("cgcs2000/province.geojson", [], {"province polygons": 34, "province lines": 8}),
    ("shenzhen-buildings/building.shp", ["--crs", SHENZHEN_GRID], {"building": 350}),
    ("hongkong-census/dcca.shp", ["--crs", "EPSG:2326"], {"dcca": 390}),
    # data from abroad (or a drawing at 0,0) lands outside CGCS2000 zone 38: --force
    ("prague-urban/bubenec.gpkg", ["--force"], {"buildings": 144, "plots": 407, "streets": 35, "tessellation": 144}),
    ("formats/coutwildrnp.zip", ["--force"], {"coutwildrnp": 67}),
    ("formats/gre.shp", ["--force"], {"gre": 1}),
    ("formats/dxf/Leica_Disto_S910.dxf", ["--crs", "EPSG:4547", "--force"],
     {"Leica_Disto_S910 LEICA_DISTO_3D": 10, "Leica_Disto_S910 LEICA_DISTO_ID": 11,
      "Leica_Disto_S910 LEICA_DISTO_POINT_ENTITY": 11}),
    ("raster/cogeo.tif", ["--force"], {"cogeo": None}),
])
def test_real_files(cli, proj, shared_data, validate_gpkg, rel, args, counts):
    out = _import(cli, proj, shared_data / rel, *args)
    assert out["saved"] and {lyr["name"]: lyr["features"] for lyr in out["layers"]} == counts
    info = json.loads(cli("info", proj, "--json").stdout)
    assert {lyr["name"]: lyr["feature_count"] for lyr in info["layers"]} == counts
    validate_gpkg(proj)


def test_report_shape_and_chinese_text(cli, proj, shared_data):
    out = _import(cli, proj, shared_data / "hongkong-census/dcca.shp", "--crs", "EPSG:2326")
    for key in ("ok", "project", "source", "saved", "layers_added", "features_read", "features_written",
                "repaired", "skipped", "layers", "design", "sources", "warnings", "seconds"):
        assert key in out
    s = out["sources"][0]
    assert s["encoding"]["encoding"] == "big5hkscs" and s["encoding"]["how"] == "ldid"
    assert s["crs"] == {"source": "EPSG:2326", "label": s["crs"]["label"], "how": "user", "project": "EPSG:4547",
                        "reprojected": True}
    assert s["features_read"] == 390 and s["features_written"] == 390 and s["repaired"] == 2
    assert any(".shx" in w for w in out["warnings"])
    p = open_project(proj)
    assert "船灣" in p.layer("dcca").table.column("DCCA_CHIN").tolist()
    # the plain report names the same things
    r = cli("import", proj, shared_data / "cn-encodings/beijing.shp", "--crs", "EPSG:4490", "--max-distance", "3000")
    assert r.returncode == 0 and "GB18030" in r.stdout and "0x4D" in r.stdout


def test_design_elements_from_csv(cli, proj, tmp_path):
    csv = tmp_path / "摄像机.csv"
    csv.write_text("编号,x,y,azimuth,fov_deg,备注\nC1,521600,3382000,45,60,路口\nC2,521700,3382100,,,\n",
                   encoding="utf-8")
    out = _import(cli, proj, csv, "--crs", "EPSG:4547", "--as", "sensor", "--type", "camera")
    assert out["design"]["type"] == "camera" and out["design"]["added"] == 2
    # by name, and by the Chinese label of a catalog attribute (备注 is the label of "note")
    assert out["design"]["mapped_fields"] == {"azimuth": "azimuth", "fov_deg": "fov_deg", "备注": "note"}
    p = open_project(proj)
    els = sorted(p.design.elements("camera"), key=lambda e: e.geometry.x)
    assert els[0].attributes["azimuth"] == 45 and els[0].attributes["fov_deg"] == 60
    assert els[1].attributes["fov_deg"] == 90.0  # the catalog default filled in
    assert (els[0].geometry.x, els[0].geometry.y) == (521600, 3382000)
    bad = cli("import", proj, csv, "--crs", "EPSG:4547", "--as", "sensor", "--type", "primary_school")
    assert bad.returncode == 2 and "not a sensor" in bad.stderr


def _truncate(src, dst, n):
    dst.write_bytes(src.read_bytes()[:n])
    return dst


def _bad_inputs(shared_data, tmp_path):
    b = shared_data / "formats/shapefile-broken"
    cut_shp = tmp_path / "cut.shp"
    _truncate(shared_data / "cn-encodings/rivers.shp", cut_shp, 20_000)
    for ext in (".shx", ".dbf"):
        (tmp_path / f"cut{ext}").write_bytes((shared_data / f"cn-encodings/rivers{ext}").read_bytes())
    cut_dbf_dir = tmp_path / "dbf"
    cut_dbf_dir.mkdir()
    for ext in (".shp", ".shx"):
        (cut_dbf_dir / f"r{ext}").write_bytes((shared_data / f"cn-encodings/rivers{ext}").read_bytes())
    _truncate(shared_data / "cn-encodings/rivers.dbf", cut_dbf_dir / "r.dbf", 5000)
    png = tmp_path / "photo.shp"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 300)
    tif_as_json = tmp_path / "image.geojson"
    tif_as_json.write_bytes((shared_data / "raster/cogeo.tif").read_bytes()[:5000])
    cut_gpkg = _truncate(shared_data / "prague-urban/bubenec.gpkg", tmp_path / "cut.gpkg", 30_000)
    cut_dxf = _truncate(shared_data / "formats/dxf/ASCII_R12.dxf", tmp_path / "cut.dxf", 3000)
    cut_tif = _truncate(shared_data / "raster/RGB.byte.tif", tmp_path / "cut.tif", 100_000)
    zdir = tmp_path / "中文路径"
    zdir.mkdir()
    empty_zip = zdir / "空.zip"
    empty_zip.write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    return {
        "empty zip from shapefile-broken": ([b / "empty_zipfile.zip"], "nothing SmartGIS can import"),
        "corrupt shapefile (too long)": ([b / "corrupt_too_long.shp", "--crs", "EPSG:4547"], "--salvage"),
        "junk after the DXF's end": ([shared_data / "formats/dxf/R12_with_trash_beyond_EOF.dxf", "--crs",
                                      "EPSG:4547"], "junk after its end-of-file marker"),
        "zip without entries, non-ASCII path": ([empty_zip], "empty"),
        "truncated .shp": ([cut_shp, "--crs", "EPSG:4490"], "truncated"),
        "truncated .dbf": ([cut_dbf_dir / "r.shp", "--crs", "EPSG:4490"], "truncated"),
        "PNG named .shp": ([png], "PNG"),
        "TIFF named .geojson": ([tif_as_json], "TIFF"),
        "truncated GeoPackage": ([cut_gpkg], "GeoPackage"),
        "truncated DXF": ([cut_dxf, "--crs", "EPSG:4547"], "truncated"),
        "truncated GeoTIFF": ([cut_tif], "raster"),
        "no CRS": ([shared_data / "shenzhen-buildings/building.shp"], "--crs"),
        "missing file": ([tmp_path / "nothing.shp"], "no such file"),
        "a folder": ([tmp_path], "folder"),
        "bad encoding": ([shared_data / "cn-encodings/beijing.shp", "--crs", "EPSG:4490", "--encoding", "nope"],
                         "unknown encoding"),
        "bad CRS": ([shared_data / "cn-encodings/beijing.shp", "--crs", "EPSG:999999"], "coordinate reference"),
        "unknown layer": ([shared_data / "prague-urban/bubenec.gpkg", "--source-layer", "roads"], "no layer"),
    }


def test_bad_input_leaves_the_project_unchanged(cli, proj, shared_data, tmp_path):
    before = _sha(proj)
    failures = []
    for what, (args, expected) in _bad_inputs(shared_data, tmp_path).items():
        r = cli("import", proj, *args)
        lines = r.stderr.strip().splitlines()
        ok = (r.returncode == 2 and len(lines) == 1 and lines[0].startswith("smartgis import: error: ")
              and expected.lower() in lines[0].lower() and _sha(proj) == before)
        if not ok:
            failures.append(f"{what}: rc={r.returncode} stderr={r.stderr.strip()!r}")
    assert not failures, "\n".join(failures)
    assert not [f for f in os.listdir(proj.parent) if f.endswith(".saving")]


@pytest.mark.skipif(os.geteuid() == 0, reason="the superuser reads files whatever their permissions")
def test_unreadable_file(cli, proj, shared_data, tmp_path):
    f = tmp_path / "secret.geojson"
    f.write_bytes((shared_data / "cgcs2000/province.geojson").read_bytes())
    f.chmod(0)
    before = _sha(proj)
    r = cli("import", proj, f)
    assert r.returncode == 2 and "permission denied" in r.stderr and _sha(proj) == before


def test_a_crs_that_cannot_be_right_is_refused(cli, tmp_path, shared_data):
    # the placeholder of a local grid, and a grid without its ellipsoid (PROJ would take WGS 84)
    r = cli("new", tmp_path / "bad.gpkg", "--crs", "+proj=tmerc +lon_0=114 ...")
    assert r.returncode == 2 and "'...'" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "bad.gpkg").exists()
    r = cli("new", tmp_path / "bad.gpkg", "--crs", "+proj=tmerc +lon_0=114 +x_0=500000")
    assert r.returncode == 2 and "no ellipsoid or datum" in r.stderr
    good = tmp_path / "深圳.gpkg"
    assert cli("new", good, "--crs", "EPSG:4547").returncode == 0
    before = _sha(good)
    r = cli("import", good, shared_data / "shenzhen-buildings/building.shp", "--crs", "+proj=tmerc +lon_0=114 ...")
    assert r.returncode == 2 and "building.shp" not in r.stdout and _sha(good) == before
    r = cli("import", good, shared_data / "shenzhen-buildings/building.shp", "--crs",
            "+proj=tmerc +lon_0=114 +ellps=GRS80 +foo=1")
    assert r.returncode == 2 and "+foo" in r.stderr and _sha(good) == before


def test_data_that_lands_away_from_the_project_needs_force(cli, proj, shared_data, tmp_path):
    # Hong Kong districts (EPSG:2326) are in the area of zone 38 (EPSG:4547): imported
    assert _import(cli, proj, shared_data / "hongkong-census/dcca.shp", "--crs", "EPSG:2326")["saved"]
    before = _sha(proj)
    # the Shenzhen buildings read in a grid with the wrong false northing land 2,500 km south
    wrong = "+proj=tmerc +lat_0=0 +lon_0=114 +k=1 +x_0=0 +y_0=0 +ellps=GRS80 +units=m"
    r = cli("import", proj, shared_data / "shenzhen-buildings/building.shp", "--crs", wrong)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "building.shp" in r.stderr and "--force" in r.stderr and _sha(proj) == before
    # Beijing is in the zone's area of use but 1,900 km from Hong Kong: farther than the 200 km default
    r = cli("import", proj, shared_data / "cn-encodings/beijing.shp", "--crs", "EPSG:4490")
    assert r.returncode == 2 and re.search(r"lies 1,\d{3} km from the project's other data \(more than 200 km\)",
                                           r.stderr), r.stderr
    assert _sha(proj) == before
    # a wider limit, or --force, lets it in (the report still says so)
    out = _import(cli, proj, shared_data / "cn-encodings/beijing.shp", "--crs", "EPSG:4490", "--max-distance", "2500")
    assert out["saved"] and not any("km from" in w for w in out["warnings"])
    out = _import(cli, proj, shared_data / "shenzhen-buildings/building.shp", "--crs", wrong, "--force")
    assert out["saved"] and any("outside the area where the project CRS is used" in w for w in out["warnings"])
    # the limit is a project setting too
    p = open_project(proj)
    p.settings["import_max_distance_km"] = 5000
    p.save()
    r = cli("import", proj, shared_data / "cn-encodings/beijing.shp", "--crs", "EPSG:4490", "--layer", "北京2")
    assert r.returncode == 0, r.stderr
    # Chinese messages name the same problem
    r = cli("import", proj, shared_data / "prague-urban/bubenec.gpkg", env={"SMARTGIS_LANG": "zh"})
    assert r.returncode == 2 and "适用范围" in r.stderr
