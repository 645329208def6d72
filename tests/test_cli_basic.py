"""The `smartgis` command: new, info, help, version, exit codes and one-line errors."""

from __future__ import annotations

import json
import sqlite3

import pytest

from smartgis import __version__
from smartgis.cli import command_modules
from tests.helpers import file_hash, sample_project

INFO_LAYER_KEYS = {"id", "name", "table", "kind", "geometry_type", "feature_count", "crs", "extent", "available"}


def test_version_and_help(cli):
    r = cli("--version")
    assert r.returncode == 0 and __version__ in r.stdout
    r = cli("--help")
    assert r.returncode == 0
    for mod in command_modules():
        name = mod.__name__.rsplit(".", 1)[-1].rstrip("_")
        sub = cli(name, "--help")
        assert sub.returncode == 0 and "usage: smartgis" in sub.stdout, name
        assert name in r.stdout


def test_new_and_info_json(cli, tmp_path, validate_gpkg):
    path = tmp_path / "新 项目" / "光谷.gpkg"
    path.parent.mkdir()
    r = cli("new", path, "--crs", "EPSG:4547", "--name", "光谷新区")
    assert r.returncode == 0, r.stderr
    validate_gpkg(path)
    r = cli("info", path, "--json")
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert info == {"format_version": 1, "name": "光谷新区", "crs": "EPSG:4547", "layers": [],
                    "design": {"element_counts": {}}, "portable": True, "external_references": []}


def test_info_json_shape_with_layers(cli, tmp_path):
    path = tmp_path / "p.gpkg"
    sample_project(path)
    r = cli("info", path, "--json")
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("\n") == 1            # exactly one JSON object
    info = json.loads(r.stdout)
    assert set(info) == {"format_version", "name", "crs", "layers", "design", "portable", "external_references"}
    assert info["design"] == {"element_counts": {"camera": 1, "smart_pole": 5}}
    by_name = {lyr["name"]: lyr for lyr in info["layers"]}
    for lyr in info["layers"]:
        assert set(lyr) == INFO_LAYER_KEYS
        assert lyr["kind"] in ("vector", "raster", "design") and lyr["available"] is True
    b = by_name["建筑物"]
    assert (b["table"], b["kind"], b["geometry_type"], b["feature_count"], b["crs"]) == \
        ("建筑物", "vector", "Polygon", 100, "EPSG:4547")
    assert len(b["extent"]) == 4 and b["extent"][0] < b["extent"][2]
    cams = [lyr for lyr in info["layers"] if lyr["table"] == "design_camera"][0]
    assert cams["kind"] == "design" and cams["feature_count"] == 1
    r = cli("info", path)
    assert r.returncode == 0 and "建筑物" in r.stdout and "camera 1" in r.stdout


@pytest.mark.parametrize("args, fragment", [
    (["info", "{tmp}/missing.gpkg"], "no such project file"),
    (["info", "{tmp}/notes.gpkg"], "not a GeoPackage"),
    (["new", "{tmp}/x.gpkg", "--crs", "EPSG:4490"], "not a projected CRS"),
    (["new", "{tmp}/x.gpkg", "--crs", "EPSG:99999999"], "unknown coordinate reference system"),
    (["new", "{tmp}/x.txt", "--crs", "EPSG:4547"], "project files end in .gpkg"),
    (["new", "{tmp}/no/such/dir/x.gpkg", "--crs", "EPSG:4547"], "folder does not exist"),
    (["new", "{tmp}/x.gpkg"], "required: --crs"),
    (["info"], "required"),
    (["frobnicate"], "invalid choice"),
])
def test_user_errors_exit_2_with_one_line(cli, tmp_path, args, fragment):
    (tmp_path / "notes.gpkg").write_text("meeting notes, not a project", encoding="utf-8")
    r = cli(*[a.format(tmp=tmp_path) for a in args])
    assert r.returncode == 2, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert fragment in lines[0] and "Traceback" not in r.stderr


def test_new_refuses_to_overwrite(cli, tmp_path):
    path = tmp_path / "p.gpkg"
    sample_project(path)
    before = file_hash(path)
    r = cli("new", path, "--crs", "EPSG:4547")
    assert r.returncode == 2 and "exists already" in r.stderr
    assert file_hash(path) == before


def test_newer_version_cli_message(cli, tmp_path):
    path = tmp_path / "p.gpkg"
    sample_project(path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE smartgis_project SET value='99' WHERE key='format_version'")
    conn.commit()
    conn.close()
    r = cli("info", path)
    assert r.returncode == 2 and "project format 99" in r.stderr and "Update SmartGIS" in r.stderr


def test_python_dash_m_and_bare_gpkg_argument(cli, tmp_path):
    r = cli("--version")
    assert r.returncode == 0
    path = tmp_path / "p.gpkg"
    sample_project(path)
    r = cli(path, "--screenshot", tmp_path / "w.png", env={"QT_QPA_PLATFORM": "offscreen"})
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "w.png").stat().st_size > 1000
