"""``smartgis place`` and ``smartgis catalog`` on real project files."""

from __future__ import annotations

import hashlib
import json
import shutil

import numpy as np
import pytest
import shapely

from smartgis.project import open_project
from smartgis.core import AttributeTable, Field, Project, VectorLayer

X0, Y0 = 500000.0, 3380000.0


@pytest.fixture
def roads_project(tmp_path):
    """A project with a 'roads' layer: a 1000 m avenue crossed by two streets, and a district polygon."""
    p = Project("道路测试", "EPSG:4547")
    roads = [shapely.LineString([(X0, Y0), (X0 + 1000, Y0)]),
             shapely.LineString([(X0 + 300, Y0 - 200), (X0 + 300, Y0 + 200)]),
             shapely.LineString([(X0 + 700, Y0 - 200), (X0 + 700, Y0 + 200)])]
    t = AttributeTable([Field("class", "str")], {"class": ["primary", "residential", "residential"]})
    p.add_layer(VectorLayer("roads", roads, t, crs="EPSG:4547"))
    p.add_layer(VectorLayer("district", [shapely.box(X0, Y0 - 200, X0 + 1000, Y0 + 200)], crs="EPSG:4547"))
    return p.save(tmp_path / "city.gpkg")


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_place_along_both_sides_prints_and_saves(cli, roads_project, validate_gpkg):
    r = cli("place", roads_project, "--type", "smart_pole", "--along", "roads", "--where", "class=primary",
            "--spacing", "35", "--offset", "8", "--both-sides")
    assert r.returncode == 0, r.stderr
    assert "added 58 smart_pole (智慧灯杆 / Smart pole) along 'roads' every 35 m, 8 m offset, both sides" in r.stdout
    assert "saved" in r.stdout
    validate_gpkg(roads_project)
    p = open_project(roads_project)
    pts = np.array([e.geometry for e in p.design.elements("smart_pole")])
    avenue = shapely.LineString([(X0, Y0), (X0 + 1000, Y0)])
    np.testing.assert_allclose(shapely.distance(pts, avenue), 8.0, atol=1e-9)
    assert (roads_project.parent / "city.gpkg.bak").exists()


def test_place_json_output_and_attributes(cli, roads_project):
    r = cli("place", roads_project, "--type", "camera:ptz", "--intersections", "roads", "--set", "phase=二期",
            "--set", "range_m=150", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["operation"] == "intersections" and out["added"] == 2 and len(out["uids"]) == 2
    assert out["added_by_type"] == {"camera": 2} and out["counts"] == {"camera": 2} and out["saved"]
    assert set(out["seconds"]) == {"open", "place", "save", "total"}
    p = open_project(roads_project)
    for e in p.design.elements("camera"):
        assert e.attributes["phase"] == "二期" and e.attributes["range_m"] == 150.0
        assert e.attributes["mount"] == "ptz"
    assert sorted(round(e.geometry.x - X0) for e in p.design.elements("camera")) == [300, 700]


def test_place_grid_at_and_connect(cli, roads_project):
    r = cli("place", roads_project, "--type", "air_quality", "--grid", "district", "--spacing", "250", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["added"] == 3  # 3 × 1 inside 1000 × 400, centred
    r = cli("place", roads_project, "--type", "iot_gateway:lora_urban", "--at", f"{X0 + 500},{Y0}", "--json")
    assert json.loads(r.stdout)["added"] == 1
    r = cli("place", roads_project, "--connect", "air_quality", "--to", "iot_gateway", "--max-distance", "2000",
            "--set", "medium=wireless")
    assert r.returncode == 0, r.stderr
    # the sensor standing on the gateway needs no line
    assert "added 2 link (连接链路 / Link) linking air_quality to the nearest iot_gateway within 2000 m" in r.stdout
    p = open_project(roads_project)
    assert sorted(e.attributes["length_m"] for e in p.design.elements("link")) == [250.0, 250.0]
    # running it again adds no second link to the same sensors
    r = cli("place", roads_project, "--connect", "air_quality", "--to", "iot_gateway", "--json")
    assert json.loads(r.stdout)["added"] == 0


def test_dry_run_changes_nothing(cli, roads_project):
    before = digest(roads_project)
    r = cli("place", roads_project, "--type", "street_light", "--along", "roads", "--spacing", "30", "--dry-run")
    assert r.returncode == 0, r.stderr
    assert "dry run" in r.stdout and "added 62 street_light" in r.stdout  # 34 + 2 × 14
    assert digest(roads_project) == before


@pytest.mark.parametrize("args, message", [
    (["--type", "smart_pol", "--along", "roads"], "unknown element type 'smart_pol'; did you mean smart_pole?"),
    (["--type", "smart_pole", "--along", "rivers"], "no layer 'rivers' in the project"),
    (["--type", "fibre_access", "--along", "roads"], "fibre_access elements are LineStrings"),
    (["--type", "smart_pole", "--along", "roads", "--both-sides"], "both sides needs an offset"),
    (["--type", "smart_pole", "--grid", "district"], "--grid needs --spacing"),
    (["--type", "smart_pole", "--along", "roads", "--set", "heigth_m=12"], "smart_pole has no attribute heigth_m"),
    (["--connect", "air_quality"], "--connect needs --to"),
    (["--type", "camera:fisheye", "--at", "1,2"], "has no variant 'fisheye'"),
    (["--type", "camera", "--at", "1;2"], "write X,Y"),
])
def test_user_errors_exit_2_with_one_line(cli, roads_project, args, message):
    before = digest(roads_project)
    r = cli("place", roads_project, *args)
    assert r.returncode == 2
    assert message in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert digest(roads_project) == before


def test_missing_project_is_a_clear_error(cli, tmp_path):
    r = cli("place", tmp_path / "nope.gpkg", "--type", "camera", "--at", "1,2")
    assert r.returncode == 2 and "no such project file" in r.stderr


def test_catalog_list_add_export_remove(cli, roads_project, tmp_path):
    r = cli("catalog", "--list", "--json")
    assert r.returncode == 0, r.stderr
    ids = {t["id"] for t in json.loads(r.stdout)["types"]}
    assert {"camera", "smart_pole", "utility_tunnel"} <= ids
    r = cli("catalog", "--category", "sensor")
    assert "camera:ptz" in r.stdout and "视频监控摄像机 / Video camera" in r.stdout
    user = {"types": [{"id": "smart_bench", "category": "facility", "geometry": "Point",
                       "name": {"zh": "智慧座椅", "en": "Smart bench"},
                       "attributes": [{"name": "solar", "type": "bool", "default": True}]}]}
    f = tmp_path / "mine.json"
    f.write_text(json.dumps(user, ensure_ascii=False), encoding="utf-8")
    r = cli("catalog", roads_project, "--add", f)
    assert r.returncode == 0, r.stderr and "added 1 type(s)" in r.stdout
    r = cli("catalog", roads_project, "--add", f)
    assert r.returncode == 2 and "smart_bench exist already" in r.stderr
    r = cli("catalog", roads_project, "--list")
    assert "smart_bench" in r.stdout and "[project]" in r.stdout
    r = cli("place", roads_project, "--type", "smart_bench", "--along", "roads", "--spacing", "100", "--json")
    assert r.returncode == 0, r.stderr
    out = tmp_path / "export.json"
    assert cli("catalog", roads_project, "--export", out).returncode == 0
    assert [t["id"] for t in json.loads(out.read_text(encoding="utf-8"))["types"]] == ["smart_bench"]
    r = cli("catalog", roads_project, "--remove", "smart_bench")
    assert r.returncode == 2 and "delete them before removing the type" in r.stderr
    r = cli("catalog", roads_project, "--remove", "camera")
    assert r.returncode == 2 and "only the project's own types" in r.stderr
    p = open_project(roads_project)
    p.design.remove(p.design.layers["smart_bench"].uids())
    p.save()
    r = cli("catalog", roads_project, "--remove", "smart_bench")
    assert r.returncode == 0, r.stderr
    assert "smart_bench" not in open_project(roads_project).catalog


def test_place_along_the_prague_streets(cli, shared_data, tmp_path, validate_gpkg):
    """The real streets of Bubeneč (Prague, momepy sample data), opened as a project."""
    path = tmp_path / "bubenec.gpkg"
    shutil.copyfile(shared_data / "prague-urban" / "bubenec.gpkg", path)
    r = cli("place", path, "--type", "smart_pole", "--along", "streets", "--spacing", "35", "--offset", "8",
            "--both-sides", "--min-gap", "10", "--json")
    assert r.returncode == 0, r.stderr
    n_poles = json.loads(r.stdout)["added"]
    assert n_poles > 200
    r = cli("place", path, "--type", "camera:ptz", "--intersections", "streets", "--json")
    n_cams = json.loads(r.stdout)["added"]
    assert n_cams > 5
    validate_gpkg(path)
    p = open_project(path)
    assert p.design.counts() == {"camera": n_cams, "smart_pole": n_poles}
    streets = p.layer("streets").geometries
    pts = np.array([e.geometry for e in p.design.elements("smart_pole")])
    d = shapely.distance(pts[:, None], streets[None, :]).min(axis=1)
    assert (d > 8 - 1e-6).all() and np.median(d) == pytest.approx(8.0, abs=1e-6)
    # every pole keeps 10 m from every other (--min-gap)
    _, dist = shapely.STRtree(pts).query_nearest(pts, exclusive=True, return_distance=True)
    assert dist.min() >= 10 - 1e-9
    # cameras sit on street nodes
    cams = np.array([e.geometry for e in p.design.elements("camera")])
    assert shapely.distance(cams[:, None], streets[None, :]).min(axis=1).max() < 0.01


@pytest.fixture
def segmented_road(tmp_path):
    """A 119.75 km arterial digitised in 479 segments of 250 m, with an id and a length per segment,
    crossed by a branch road made of two segments."""
    p = Project("分段道路", "EPSG:4547")
    segs = [shapely.LineString([(X0 + 250 * i, Y0), (X0 + 250 * (i + 1), Y0)]) for i in range(479)]
    segs += [shapely.LineString([(X0 + 1000, Y0 - 300), (X0 + 1000, Y0)]),
             shapely.LineString([(X0 + 1000, Y0), (X0 + 1000, Y0 + 300)])]
    n = len(segs)
    t = AttributeTable([Field("fid_seg", "int"), Field("class", "str"), Field("length_m", "float")],
                       {"fid_seg": np.arange(n), "class": ["arterial"] * 479 + ["branch"] * 2,
                        "length_m": shapely.length(np.array(segs, dtype=object))}, length=n)
    p.add_layer(VectorLayer("道路", segs, t, crs="EPSG:4547"))
    return p.save(tmp_path / "road.gpkg")


def test_along_spaces_elements_along_the_street_not_per_segment(cli, segmented_road):
    r = cli("place", segmented_road, "--type", "bus_stop", "--along", "道路", "--spacing", "500",
            "--where", "class=arterial", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["added"] == 240                        # 119,750 m / 500 m + 1, not 479
    pts = shapely.get_coordinates(np.array(
        [e.geometry for e in open_project(segmented_road).design.elements("bus_stop")], dtype=object))
    gaps = np.diff(np.sort(pts[:, 0]))
    assert np.allclose(gaps, 500.0)
    # --no-merge spaces per digitised segment, as before
    r = cli("place", segmented_road, "--type", "bus_stop", "--along", "道路", "--spacing", "500",
            "--where", "class=arterial", "--no-merge", "--dry-run", "--json")
    assert json.loads(r.stdout)["added"] == 479
    # only lines whose fields agree are joined: the branch road is a street of its own
    r = cli("place", segmented_road, "--type", "smart_pole", "--along", "道路", "--spacing", "100",
            "--merge-by", "class", "--dry-run", "--json")
    assert json.loads(r.stdout)["added"] == 1198 + 7
    r = cli("place", segmented_road, "--type", "smart_pole", "--along", "道路", "--merge-by", "nope", "--dry-run")
    assert r.returncode == 2 and "nope" in r.stderr


def test_intersections_twice_adds_nothing_and_says_why(cli, roads_project):
    r = cli("place", roads_project, "--type", "camera:ptz", "--intersections", "roads", "--json")
    first = json.loads(r.stdout)
    assert first["added"] == 2 and first["notes"] == []
    before = digest(roads_project)
    r = cli("place", roads_project, "--type", "camera:ptz", "--intersections", "roads")
    assert r.returncode == 0 and "added nothing" in r.stdout
    assert "2 of 2 sites have a camera within 10 m already" in r.stdout
    assert digest(roads_project) == before            # nothing added, nothing saved
    r = cli("place", roads_project, "--type", "camera:ptz", "--intersections", "roads", "--allow-duplicates",
            "--json")
    assert json.loads(r.stdout)["added"] == 2


def test_place_that_adds_nothing_says_why(cli, roads_project):
    r = cli("place", roads_project, "--type", "bus_stop", "--along", "roads", "--where", "class=主干路")
    assert r.returncode == 0, r.stderr
    assert "--where class=主干路 matched 0 of 3 features of 'roads' (values present: class: residential, primary)" \
        in r.stdout
    r = cli("place", roads_project, "--connect", "air_quality", "--to", "iot_gateway", "--json")
    assert json.loads(r.stdout)["notes"] == ["there are no air_quality elements yet to connect",
                                             "there are no iot_gateway elements yet to connect to"]
    r = cli("place", roads_project, "--connect", "air_quality", "--to", "iot_gateway", env={"SMARTGIS_LANG": "zh"})
    assert "还没有" in r.stdout
