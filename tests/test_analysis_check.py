"""The standards check, metric by metric, on cases computable by hand and on real data."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import shapely

from smartgis.analysis import run_check
from smartgis.analysis import runs as check_runs
from smartgis.core import AttributeTable, Field, Project, VectorLayer

X0, Y0 = 520000.0, 3380000.0   # a 2 km × 2 km study area in EPSG:4547


def square_project(population: bool = True) -> Project:
    p = Project("检查测试", "EPSG:4547", metadata={"city": "武汉市"})
    sa = VectorLayer("规划范围", [shapely.box(X0, Y0, X0 + 2000, Y0 + 2000)], crs=p.crs)
    p.add_layer(sa)
    sa.set_role("study_area")
    # one 10 m × 10 m house with 10 people in the middle of every 100 m cell: people spread evenly
    cx, cy = np.meshgrid(np.arange(50, 2000, 100) + X0, np.arange(50, 2000, 100) + Y0)
    houses = shapely.box(cx.ravel() - 5, cy.ravel() - 5, cx.ravel() + 5, cy.ravel() + 5)
    table = AttributeTable([Field("people", "int")], {"people": np.full(400, 10)}, length=400)
    b = VectorLayer("建筑", houses, table, crs=p.crs)
    p.add_layer(b)
    if population:
        b.set_role("population", population_field="people")
    return p


def rules_file(tmp_path, rules, sid="TEST-STD"):
    path = tmp_path / f"{sid}.json"
    path.write_text(json.dumps({"id": sid, "title": {"zh": "测试", "en": "Test"}, "year": 2024, "rules": rules},
                               ensure_ascii=False), encoding="utf-8")
    return path


def R(rid, metric, types, threshold, comparison=">=", severity="mandatory", **kw):
    d = {"id": rid, "clause": "1.0", "title": {"zh": rid, "en": rid}, "element_types": types, "metric": metric,
         "threshold": threshold, "comparison": comparison, "severity": severity, "verified": True, "confidence": "V"}
    d.update(kw)
    return d


def check(project, tmp_path, rules, **kw):
    path = rules_file(tmp_path, rules)
    return run_check(project, standards=["TEST-STD"], standard_files=[path], **kw)


def test_statuses_values_and_reasons(tmp_path):
    p = square_project()
    p.design.add("air_quality", (X0 + 1000, Y0 + 1000), radius_m=500.0)
    res = check(p, tmp_path, [
        R("area", "coverage_area", ["air_quality"], 50, params={"model": "circle"}),
        R("area_rec", "coverage_area", ["air_quality"], 50, severity="recommended", params={"model": "circle"}),
        R("people", "coverage_population", ["air_quality"], 10, params={"model": "circle"}),
        R("key", "coverage_area", ["air_quality"], 100, scope="key_areas"),
        R("none_placed", "coverage_area", ["fire_station"], 100),
        R("reported", "density_area", ["air_quality"], None, unit="per km²"),
        R("far", "max_distance", ["air_quality"], 1500, "<="),
    ])
    by = {r.rule.local_id: r for r in res.rules}
    disc = math.pi * 500 ** 2 / 4e6 * 100          # a 500 m disc in a 4 km² square
    assert by["area"].value == pytest.approx(disc, rel=1e-9) and by["area"].status == "fail"
    assert by["area_rec"].status == "warning"
    # 78 of the 400 houses lie inside the disc (their centres within 500 m of the middle)
    cx = np.arange(50, 2000, 100) - 1000.0
    inside = (np.hypot(*np.meshgrid(cx, cx)) <= 500).sum()
    assert by["people"].value == pytest.approx(100 * inside / 400, abs=0.6) and by["people"].status == "pass"
    assert by["key"].status == "na"
    assert "no key public areas layer (set a layer's role to key_areas)" in by["key"].reason
    # the scope exists and the design has none: a failure with value 0, not "not applicable"
    assert by["none_placed"].status == "fail" and by["none_placed"].value == 0
    assert by["none_placed"].reason == "no Fire station in the design"
    assert by["reported"].status == "na" and by["reported"].value == pytest.approx(0.25)
    # the farthest point is a corner, 1414 m away (to half a grid step)
    assert by["far"].value == pytest.approx(1000 * math.sqrt(2), abs=8) and by["far"].status == "pass"
    assert res.summary == {"pass": 2, "fail": 2, "warn": 1, "na": 2}
    assert res.failed
    # gaps: the square minus the disc
    assert by["area"].gap_area_m2 == pytest.approx(4e6 - math.pi * 500 ** 2, rel=1e-3)


def test_json_shape_is_exactly_the_documented_one(tmp_path):
    p = square_project()
    p.design.add("air_quality", (X0 + 1000, Y0 + 1000))
    res = check(p, tmp_path, [R("area", "coverage_area", ["air_quality"], 50)])
    out = res.to_json()
    assert set(out) == {"rules", "summary"}
    assert set(out["summary"]) == {"pass", "fail", "warn", "na"}
    assert set(out["rules"][0]) == {"id", "standard", "clause", "status", "value", "threshold", "unit", "severity",
                                    "verified"}
    assert out["rules"][0]["id"] == "TEST-STD/area" and out["rules"][0]["standard"] == "TEST-STD"
    json.dumps(out, allow_nan=False)


def test_no_population_layer_is_not_applicable_with_the_reason(tmp_path):
    p = square_project(population=False)
    p.design.add("bus_stop", (X0 + 1000, Y0 + 1000))
    res = check(p, tmp_path, [R("people", "coverage_population", ["bus_stop"], 90),
                              R("fallback", "coverage_population", ["bus_stop"], 90, params={"fallback": "area"}),
                              R("per10k", "density_population", ["bus_stop"], 1)])
    by = {r.rule.local_id: r for r in res.rules}
    assert by["people"].status == "na"
    assert by["people"].reason == "no population layer (set a layer's role to population)"
    assert by["per10k"].status == "na"
    assert by["fallback"].status == "fail" and "built-up area instead" in by["fallback"].details[0]


def test_districts_siting_spacing_links_and_counts(tmp_path):
    p = square_project()
    # two fire stations symmetric about the middle: each district is half the square
    p.design.add_many("fire_station", [(X0 + 500, Y0 + 1000), (X0 + 1500, Y0 + 1000)], station_class="class2")
    p.design.add("kindergarten", (X0 + 530, Y0 + 1000))          # 30 m from a station
    road = VectorLayer("道路", [shapely.LineString([(X0, Y0 + 100), (X0 + 2000, Y0 + 100)])], crs=p.crs)
    p.add_layer(road)
    road.set_role("roads")
    xs = [30 * i for i in range(10)] + [330, 360]                 # poles 30 m apart, one gap of 60 m
    p.design.add_many("smart_pole", [(X0 + 100 + x, Y0 + 108) for x in xs])
    p.design.add("iot_gateway", (X0 + 1000, Y0 + 1000), radius_m=600.0)
    p.design.add("noise_monitor", (X0 + 1300, Y0 + 1000))          # within range
    p.design.add("noise_monitor", (X0 + 1900, Y0 + 1900))          # out of range
    p.design.add("operations_centre", (X0 + 1000, Y0 + 1800))
    p.design.add("fibre_backbone", shapely.LineString([(X0 + 1002, Y0 + 1000), (X0 + 1002, Y0 + 1795)]))
    res = check(p, tmp_path, [
        R("district", "district_area", ["fire_station"], 2.5, "<="),
        R("by_class", "district_area", ["fire_station"], 0, "<=",
          params={"limits_by": {"field": "station_class", "limits_km2": {"class1": 7, "class2": 1.5}}}),
        R("siting", "min_distance", ["fire_station"], 50,
          params={"sites": {"roles": ["sensitive_sites"], "types": ["kindergarten"]}}),
        R("spacing", "spacing", ["smart_pole"], 35, "<="),
        R("gateways", "sensor_gateway", ["noise_monitor"], 100),
        R("centre", "gateway_centre", ["iot_gateway"], 100),
        R("count", "count_required", ["noise_monitor"], None,
          params={"required_by": [{"basis": "population_10k", "steps": [[1, 3]]}]}),
        R("density", "density_population", ["noise_monitor"], 4, unit="per 10⁴ people"),
    ])
    by = {r.rule.local_id: r for r in res.rules}
    assert by["district"].value == pytest.approx(2.0, rel=1e-6) and by["district"].status == "pass"
    assert by["by_class"].value == 2 and by["by_class"].status == "fail"
    assert by["siting"].value == pytest.approx(30.0) and by["siting"].status == "fail"
    assert by["siting"].gaps is not None
    assert by["spacing"].value == pytest.approx(60.0) and by["spacing"].status == "fail"
    assert by["gateways"].value == pytest.approx(50.0)
    assert by["centre"].value == pytest.approx(100.0) and by["centre"].status == "pass"
    assert (by["count"].value, by["count"].threshold, by["count"].status) == (2, 3, "fail")
    assert by["density"].value == pytest.approx(2 / 0.4)          # 2 monitors for 4,000 people


def test_indicators_and_unverified_marks(tmp_path):
    p = square_project()
    p.design.add("camera", (X0 + 10, Y0 + 10))
    res = run_check(p, standards=["GBT33356-2016", "GB50180-2018"])
    by = {r.rule.id: r for r in res.rules}
    assert by["GBT33356-2016/cctv_coverage"].status == "pass"
    assert by["GBT33356-2016/utility_tunnel"].status == "warning"
    assert by["GBT33356-2016/cyber_security"].status == "na"
    assert by["GB50180-2018/kindergarten_radius"].to_json()["verified"] is False
    assert by["GB50180-2018/kindergarten_radius"].to_dict()["reference_note"]["en"].startswith("reference value")


def test_camera_sectors_blocked_by_buildings(tmp_path):
    p = square_project(population=False)
    key = VectorLayer("重点区域", [shapely.box(X0 + 900, Y0 + 900, X0 + 1100, Y0 + 1100)], crs=p.crs)
    p.add_layer(key)
    key.set_role("key_areas")
    p.design.add("camera", (X0 + 1000, Y0 + 900), azimuth=0, fov_deg=90, range_m=100, mount="bullet")
    rule = [R("cams", "coverage_area", ["camera"], 100, scope="key_areas")]
    free = check(p, tmp_path, rule).rules[0].value
    # the open view is the 90° sector inside the 200 m square: r²π/4 = 7854 m² of 40,000
    assert free == pytest.approx(100 * math.pi * 100 ** 2 / 4 / 4e4, rel=1e-6)
    wall = VectorLayer("墙", [shapely.box(X0 + 800, Y0 + 950, X0 + 1200, Y0 + 955)], crs=p.crs)
    p.add_layer(wall)
    wall.set_role("buildings")
    blocked = check(p, tmp_path, rule).rules[0].value
    # a wall 50 m north of the camera: only the triangle in front of it is seen
    assert blocked == pytest.approx(100 * 50 * 50 / 4e4, rel=1e-6)


def test_runs_are_stored_in_the_project_file(tmp_path, validate_gpkg):
    p = square_project()
    p.design.add("air_quality", (X0 + 1000, Y0 + 1000), radius_m=500.0)
    first = check(p, tmp_path, [R("area", "coverage_area", ["air_quality"], 99)])
    check_runs.save_run(p, first)
    path = p.save(tmp_path / "proj.gpkg")
    second = check(p, tmp_path, [R("area", "coverage_area", ["air_quality"], 99)])
    check_runs.save_run(p, second)
    p.save()
    validate_gpkg(path)
    from smartgis.project import open_project
    q = open_project(path)
    stored = check_runs.runs(q)
    assert [r["run_id"] for r in stored] == [first.run_id, second.run_id]
    assert stored[-1]["standards"][0]["id"] == "TEST-STD" and stored[-1]["standards"][0]["year"] == 2024
    assert stored[-1]["standards"][0]["sha1"]
    old, new = check_runs.run_results(q, first.run_id), check_runs.run_results(q)
    assert old[0]["gaps"] is None and new[0]["gaps"] is not None      # only the latest keeps its gaps
    assert new[0]["status"] == "fail" and new[0]["verified"] == 1
    again = check_runs.stored_result(q)
    assert again.run_id == second.run_id and again.rules[0].gaps.area == pytest.approx(
        second.rules[0].gaps.area, rel=1e-3)
    gaps = check_runs.gaps_layer(q)
    assert gaps is not None and gaps.feature_count == 1
    assert gaps.table.column("rule_id")[0] == "TEST-STD/area"


def test_real_quarter_walking_versus_straight_line(shared_data, tmp_path):
    from check_helpers import prague_project, study_area
    p = prague_project(shared_data)
    c = study_area(p).centroid
    p.design.add("kindergarten", (c.x, c.y))
    res = check(p, tmp_path, [
        R("walk", "coverage_population", ["kindergarten"], 100, params={"model": "network", "distance": 300}),
        R("line", "coverage_population", ["kindergarten"], 100, params={"model": "circle", "radius": 300}),
        R("walk_area", "coverage_area", ["kindergarten"], 100, params={"model": "network", "distance": 300}),
        R("line_area", "coverage_area", ["kindergarten"], 100, params={"model": "circle", "radius": 300}),
    ])
    by = {r.rule.local_id: r for r in res.rules}
    # walking reaches less than the crow flies, and both cover some of the quarter
    assert 0 < by["walk_area"].value < by["line_area"].value <= 100
    assert 0 < by["walk"].value <= by["line"].value <= 100
    # the disc lies inside the UTM project: its area is exact
    disc = shapely.Point(c.x, c.y).buffer(300, quad_segs=256).intersection(study_area(p)).area
    assert by["line_area"].data["covered_area_m2"] == pytest.approx(disc, rel=1e-4)
