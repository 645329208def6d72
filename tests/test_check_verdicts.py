"""Verdicts an expert panel can sign: missing elements fail, severity tiers, corrected
clauses, the fire response time on a hand-computable road graph, one truth per rule."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import shapely

from smartgis.analysis import run_check
from smartgis.analysis.standards import Library, load_standard_file
from smartgis.core import AttributeTable, Field, Project, VectorLayer

from test_analysis_check import R, X0, Y0, check, square_project

W, H = 6000.0, 8000.0          # a 48 km² new district


def lines_layer(name, lines, classes, crs) -> VectorLayer:
    table = AttributeTable([Field("class", "str")], {"class": np.array(classes, dtype=object)}, length=len(lines))
    return VectorLayer(name, lines, table, crs=crs)


def new_district() -> Project:
    """48 km², 360 000 residents in 48 zones, a grid of arterial, secondary and branch
    roads, two key public areas — and no design element at all."""
    p = Project("新区（空白设计）", "EPSG:4547", metadata={"city": "武汉市"})
    sa = VectorLayer("规划范围", [shapely.box(X0, Y0, X0 + W, Y0 + H)], crs=p.crs)
    p.add_layer(sa)
    sa.set_role("study_area")
    zx, zy = np.meshgrid(np.arange(0, W, 1000) + X0, np.arange(0, H, 1000) + Y0)
    zones = shapely.box(zx.ravel(), zy.ravel(), zx.ravel() + 1000, zy.ravel() + 1000)
    people = AttributeTable([Field("people", "int")], {"people": np.full(len(zones), 7500)}, length=len(zones))
    pop = VectorLayer("人口", zones, people, crs=p.crs)
    p.add_layer(pop)
    pop.set_role("population", population_field="people")
    lines, classes = [], []
    for k, x in enumerate(np.arange(0, W + 1, 500)):
        lines.append(shapely.LineString([(X0 + x, Y0), (X0 + x, Y0 + H)]))
        classes.append("arterial" if k % 4 == 0 else "secondary" if k % 2 == 0 else "branch")
    for k, y in enumerate(np.arange(0, H + 1, 500)):
        lines.append(shapely.LineString([(X0, Y0 + y), (X0 + W, Y0 + y)]))
        classes.append("arterial" if k % 4 == 0 else "secondary" if k % 2 == 0 else "branch")
    roads = lines_layer("道路", lines, classes, p.crs)
    p.add_layer(roads)
    roads.set_role("roads", class_field="class")
    key = VectorLayer("重点公共区域", [shapely.box(X0 + 1000, Y0 + 1000, X0 + 1600, Y0 + 1400),
                                   shapely.box(X0 + 4000, Y0 + 6000, X0 + 4500, Y0 + 6500)], crs=p.crs)
    p.add_layer(key)
    key.set_role("key_areas")
    return p


# -- 1. missing is not "not applicable" ---------------------------------------------------
def test_an_empty_design_of_a_new_district_fails(cli, tmp_path):
    path = tmp_path / "empty.gpkg"
    new_district().save(path)
    r = cli("check", path, "--json", "--no-save")
    assert r.returncode == 1, r.stdout[-2000:] + r.stderr
    out = json.loads(r.stdout)
    # the JSON contract: the same keys, the four tiers and the four statuses
    assert set(out) == {"rules", "summary"}
    keys = {"id", "standard", "clause", "status", "value", "threshold", "unit", "severity", "verified"}
    assert all(set(x) == keys for x in out["rules"])
    assert {x["severity"] for x in out["rules"]} <= {"mandatory", "required", "recommended", "reference"}
    assert {x["status"] for x in out["rules"]} <= {"pass", "fail", "warning", "na"}
    by = {x["id"]: x for x in out["rules"]}
    for rid in ("GB51080-2015/response_5min", "GB51080-2015/district_area_edge", "PS-VIDEO-2015/key_area_coverage",
                "GBT51328-2018/transit_500m", "GB50974-2014/hydrant_spacing", "GB55013-2021/toilet_radius"):
        assert by[rid]["status"] == "fail", (rid, by[rid])
    for rid in ("GB50180-2018/primary_school_radius", "GB50180-2018/middle_school_radius",
                "GB50180-2018/kindergarten_radius", "GB50180-2018/bus_radius"):
        assert by[rid]["status"] == "warning" and by[rid]["value"] == 0, (rid, by[rid])
    # the withdrawn GB 50220-95 is not checked by default; its successor is
    assert not any(x["standard"] == "GB50220-95" for x in out["rules"])
    # an empty design passes nothing
    assert out["summary"]["pass"] == 0, [x["id"] for x in out["rules"] if x["status"] == "pass"]
    # siting distances have no fire station to measure from: not applicable, with the reason
    assert by["GB51080-2015/siting_distance"]["status"] == "na"


def test_missing_elements_give_value_zero_and_the_real_reason():
    p = new_district()
    res = run_check(p, standards=["GB51080-2015", "PS-VIDEO-2015", "GB50180-2018"], chart=False)
    fire = res.result("GB51080-2015/response_5min")
    assert fire.status == "fail" and fire.value == 0
    assert fire.reason == "no Fire station in the design"
    assert fire.gaps is not None and shapely.area(fire.gaps) == pytest.approx(W * H)
    edge = res.result("GB51080-2015/district_area_edge")
    assert edge.status == "fail" and edge.reason == "no Fire station in the design"
    school = res.result("GB50180-2018/primary_school_radius")
    assert school.status == "warning" and school.value == 0 and "no Primary school in the design" in school.reason
    assert res.result("PS-VIDEO-2015/hd_share").status == "na"        # no camera: no HD share
    for r in res.rules:                                                 # n/a always says why
        assert r.status != "na" or r.reason, r.rule.id
    assert res.failed


def test_missing_with_a_filter_names_the_kind_missing(tmp_path):
    p = square_project()
    p.design.add("emergency_shelter", shapely.box(X0 + 450, Y0 + 450, X0 + 550, Y0 + 550), shelter_class="emergency")
    res = run_check(p, standards=["GB50413-2007"], chart=False)
    fixed = res.result("GB50413-2007/fixed_shelter_per_person")
    assert fixed.status == "fail" and fixed.value == 0
    assert fixed.reason.startswith("no Emergency shelter with shelter_class short_term")


# -- 2. severity tiers -----------------------------------------------------------------------
def test_severity_tiers_and_exit_codes(tmp_path, cli):
    p = square_project()
    p.design.add("air_quality", (X0 + 1000, Y0 + 1000), radius_m=500.0)
    res = check(p, tmp_path, [
        R("m", "coverage_area", ["air_quality"], 50, params={"model": "circle"}, severity="mandatory"),
        R("q", "coverage_area", ["air_quality"], 50, params={"model": "circle"}, severity="required"),
        R("r", "coverage_area", ["air_quality"], 50, params={"model": "circle"}, severity="recommended"),
        R("i", "coverage_area", ["air_quality"], 50, params={"model": "circle"}, severity="reference"),
    ])
    st = {r.rule.local_id: r.status for r in res.rules}
    assert st == {"m": "fail", "q": "fail", "r": "warning", "i": "warning"}
    # only recommended and reference shortfalls: the check does not fail
    res2 = check(p, tmp_path, [R("r", "coverage_area", ["air_quality"], 50, params={"model": "circle"},
                                 severity="recommended"),
                               R("i", "coverage_area", ["air_quality"], 50, params={"model": "circle"},
                                 severity="reference")])
    assert not res2.failed
    with pytest.raises(Exception, match="mandatory, required, recommended or reference"):
        load_standard_file(_write(tmp_path, {"id": "X", "rules": [R("a", "count", ["camera"], 1, severity="strong")]}))


def _write(tmp_path, data, name="s.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_report_says_mandatory_clause_only_for_mandatory_clauses():
    from smartgis.analysis.report_html import html_report, report_data
    p = new_district()
    res = run_check(p, standards=["GB51080-2015", "GBT51328-2018"], chart=False)
    d = report_data(res, p, "zh")
    # failures first, grouped by tier: required shortfalls before the recommended ones
    heads = [g["heading"] for g in d["groups"]]
    assert heads[0].endswith("应") and any(h.endswith("宜") for h in heads)
    assert d["groups"][0]["shortfalls"] and all(row["status"] == "fail" for row in d["groups"][0]["rows"])
    html = html_report(res, p, "zh")
    assert "有应满足的条款不符合" in html and "有强制性条文不符合" not in html
    # no mandatory clause fails here (4.1.5 has no station to measure): the word stays out of the verdict
    mandatory = [r for r in res.rules if r.rule.severity == "mandatory"]
    assert mandatory and all(r.status == "na" for r in mandatory)


# -- 3. corrections --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def lib():
    return Library.builtin()


def test_gb50413_clauses_and_mandatory_per_person_areas(lib):
    per = lib.rule("GB50413-2007/shelter_per_person")
    assert (per.clause, per.severity, per.threshold) == ("§8.2.8", "mandatory", 1.0)
    fixed = lib.rule("GB50413-2007/fixed_shelter_per_person")
    assert (fixed.clause, fixed.severity, fixed.threshold) == ("§8.2.8", "mandatory", 2.0)
    assert lib.rule("GB50413-2007/shelter_radius").clause == "§8.2.10"
    assert lib.rule("GB50413-2007/fixed_shelter_radius").clause == "§8.2.10"
    assert lib.rule("GB50413-2007/shelter_area").clause == "§8.2.9"
    central = lib.rule("GB50413-2007/central_shelter_area")
    assert (central.clause, central.threshold) == ("§8.2.9", 50.0)
    near = lib.rule("GB50413-2007/shelter_fire_distance")
    far = lib.rule("GB50413-2007/shelter_hazard_distance")
    assert (near.clause, near.severity, near.threshold) == ("§8.2.7", "mandatory", 30.0)
    assert (far.clause, far.severity, far.threshold) == ("§8.2.7", "mandatory", 1000.0)
    assert far.params["sites"]["roles"] == ["hazardous_sites"]


def test_hazard_distance_of_shelters_is_measured():
    p = square_project()
    hz = VectorLayer("危险源", [shapely.Point(X0 + 1500, Y0 + 1000)], crs=p.crs)
    p.add_layer(hz)
    hz.set_role("hazardous_sites")
    p.design.add("emergency_shelter", shapely.box(X0 + 950, Y0 + 950, X0 + 1050, Y0 + 1050), shelter_class="emergency")
    res = run_check(p, standards=["GB50413-2007"], chart=False)
    far = res.result("GB50413-2007/shelter_hazard_distance")
    assert far.status == "fail" and far.value == pytest.approx(450.0, abs=1)     # from the shelter's edge
    assert res.result("GB50413-2007/shelter_fire_distance").status == "pass"


def test_other_corrections(lib):
    assert lib.rule("GB55013-2021/toilet_radius").clause == "§5.0.1"
    # GB 50220-95: withdrawn, loadable, never mandatory, not checked by default
    old = lib.get("GB50220-95")
    assert old.status == "withdrawn" and old.withdrawn == "2019-03-01" and old.replaced_by == "GB/T 51328-2018"
    assert all(r.severity == "recommended" and r.clause == "§3.3.2" for r in old.rules)
    assert not old.applies_to(square_project())
    bus = lib.rule("GBT51328-2018/transit_500m")
    assert (bus.threshold, bus.severity, bus.params["radius"]) == (90.0, "required", 500)
    # GB 50180-2018: bus stops only at 500 m; the park table as checked rules
    br = lib.rule("GB50180-2018/bus_radius")
    assert br.element_types == ["bus_stop"] and br.params["distance"] == 500
    assert lib.rule("GB50180-2018/park_per_person").threshold == 1.0
    assert lib.rule("GB50180-2018/park_per_person_15min").threshold == 2.0
    assert [lib.rule(f"GB50180-2018/park_width{s}").threshold for s in ("_15min", "", "_5min")] == [80, 50, 30]
    # GB/T 50337-2018 toilet densities by land-use class
    t = {r.local_id: r for r in lib.get("GBT50337").rules}
    assert t["toilet_density_commercial"].threshold == 4 and t["toilet_density_commercial"].scope_where["prefix"] == [
        "A", "B", "S"]
    assert t["toilet_density_green"].threshold == 5 and t["toilet_density_industrial"].scope_where["prefix"] == [
        "M", "W"]
    # 发改高技〔2015〕996号: targets in 一、主要目标; networking counted in key public areas
    v = {r.local_id: r for r in lib.get("PS-VIDEO-2015").rules}
    assert {r.clause for r in v.values() if r.local_id != "junction_coverage"} == {"一、主要目标"}
    assert v["networked_share"].scope == "key_areas" and "new and rebuilt" in v["hd_share"].title["en"].lower()
    # ISO 37122:2019 sections
    assert lib.rule("ISO37122/camera_area").clause.startswith("§15")
    assert lib.rule("ISO37122/telecom_uncovered").clause.startswith("§18")
    # national targets are reference values, never failing a district
    assert lib.rule("MIIT-5G-2021/sites_per_10k").severity == "reference"
    # HJ 664-2013: the §3.1 definition is no rule
    assert [r.local_id for r in lib.get("HJ664-2013").rules] == ["station_count"]
    # GB 51080-2015: only §4.1.5 is a mandatory clause
    f = {r.local_id: r for r in lib.get("GB51080-2015").rules}
    assert {k for k, r in f.items() if r.severity == "mandatory"} == {"siting_distance", "siting_hazard",
                                                                       "arterial_frontage"}
    assert f["district_area_edge"].severity == "required" and f["district_barriers"].severity == "recommended"


def test_hj664_message_shows_the_count_it_uses():
    p = square_project()
    res = run_check(p, rules=["HJ664-2013/station_count"], chart=False)
    r = res.rules[0]
    assert r.status == "fail" and r.threshold == 1 and r.value == 0
    assert r.details[0] == "0 Air-quality station in the built-up area; 1 needed" or "1 needed" in r.details[0]


def test_hj640_monitor_count_by_city_size_counts_every_monitor():
    p = new_district()                                  # 360 000 people: a small city, 7 monitors
    for k in range(4):
        p.design.add("noise_monitor", (X0 + 500 + 1000 * k, Y0 + 500), purpose="regional")
    res = run_check(p, rules=["HJ640-2012/function_zone_count"], chart=False)
    r = res.rules[0]
    assert (r.value, r.threshold, r.status) == (4.0, 7.0, "warning")
    assert "4 Noise monitor in the study area; 7 needed" in r.details[0]   # no built-up layer: the study area


def test_hj640_grid_shrinks_to_more_than_100_valid_cells():
    p = square_project()                                # 4 km²: four 1000 m cells
    for x in np.arange(50, 2000, 100):
        for y in np.arange(50, 2000, 100):
            p.design.add("noise_monitor", (X0 + x, Y0 + y))
    res = run_check(p, rules=["HJ640-2012/regional_grid"], chart=False)
    r = res.rules[0]
    assert r.data["valid_cells"] > 100 and r.data["cell_m"] < 1000
    # 400 monitors in a regular 100 m lattice fill every cell of 150 m or more
    assert r.status == "pass" and any("has only 4 valid cells" in str(d) for d in r.details)
    empty = run_check(square_project(), rules=["HJ640-2012/regional_grid"], chart=False).rules[0]
    assert empty.status == "warning" and empty.value == 0 and empty.data["valid_cells"] > 100


def test_one_monitor_in_every_acoustic_function_zone_class():
    p = square_project()
    zones = [shapely.box(X0, Y0, X0 + 1000, Y0 + 2000), shapely.box(X0 + 1000, Y0, X0 + 2000, Y0 + 2000)]
    t = AttributeTable([Field("class", "str")], {"class": np.array(["1", "4a"], dtype=object)}, length=2)
    lyr = VectorLayer("声环境功能区", zones, t, crs=p.crs)
    p.add_layer(lyr)
    lyr.set_role("noise_zones")
    p.design.add("noise_monitor", (X0 + 500, Y0 + 500))
    r = run_check(p, rules=["HJ640-2012/function_zone_classes"], chart=False).rules[0]
    assert (r.value, r.status) == (50.0, "fail") and "4a" in r.details[0]
    p.design.add("noise_monitor", (X0 + 1500, Y0 + 500))
    assert run_check(p, rules=["HJ640-2012/function_zone_classes"], chart=False).rules[0].status == "pass"


def test_water_level_sensor_at_every_waterlogging_point():
    p = square_project()
    pts = VectorLayer("易涝点", [shapely.Point(X0 + 300, Y0 + 300), shapely.Point(X0 + 1700, Y0 + 1700)], crs=p.crs)
    p.add_layer(pts)
    pts.set_role("waterlogging_points")
    empty = run_check(p, rules=["GB51222-2017/waterlogging_sensors"], chart=False).rules[0]
    assert empty.status == "fail" and empty.value == 0 and "no Water-level / flood sensor" in empty.reason
    p.design.add("water_level", (X0 + 310, Y0 + 300))
    r = run_check(p, rules=["GB51222-2017/waterlogging_sensors"], chart=False).rules[0]
    assert (r.value, r.status) == (50.0, "fail")


# -- 4. the fire rules on a hand-computable road graph ---------------------------------------
def corridor(classes=("arterial",), lengths=(5000.0,)) -> Project:
    """A 5 km long, 100 m wide built-up strip along one road, made of stretches of the given classes."""
    p = Project("走廊", "EPSG:4547")
    sa = VectorLayer("规划范围", [shapely.box(X0, Y0 - 50, X0 + sum(lengths), Y0 + 50)], crs=p.crs)
    p.add_layer(sa)
    sa.set_role("study_area")
    xs = np.concatenate([[0.0], np.cumsum(lengths)]) + X0
    lines = [shapely.LineString([(a, Y0), (b, Y0)]) for a, b in zip(xs[:-1], xs[1:])]
    roads = lines_layer("道路", lines, list(classes), p.crs)
    p.add_layer(roads)
    roads.set_role("roads", class_field="class")
    return p


def fire_rule(tmp_path, speeds):
    return [R("resp", "response_time", ["fire_station"], 100, severity="required",
              params={"turnout_s": 60, "drive_s": 240, "speed_kmh_by_class": speeds, "default_speed_kmh": 10})]


def test_five_minute_response_on_a_straight_road(tmp_path):
    # 36 km/h = 10 m/s: 240 s of driving reach 2400 m of the 5000 m strip (48 %)
    p = corridor()
    p.design.add("fire_station", (X0, Y0))
    r = check(p, tmp_path, fire_rule(tmp_path, {"arterial": 36}))
    res = r.rules[0]
    assert res.status == "fail" and res.value == pytest.approx(48.0, abs=0.6)
    gx0, _gy0, gx1, _gy1 = res.gaps.bounds
    assert gx0 == pytest.approx(X0 + 2400, abs=40) and gx1 == pytest.approx(X0 + 5000, abs=1)
    # a station in the middle reaches 2 × 2400 m of it: 96 %
    p2 = corridor()
    p2.design.add("fire_station", (X0 + 2500, Y0))
    assert check(p2, tmp_path, fire_rule(tmp_path, {"arterial": 36})).rules[0].value == pytest.approx(96.0, abs=0.6)


def test_five_minute_response_with_road_class_speeds(tmp_path):
    # 1000 m of arterial at 36 km/h (100 s), then branch road at 18 km/h: 140 s × 5 m/s = 700 m more
    p = corridor(("arterial", "branch"), (1000.0, 4000.0))
    p.design.add("fire_station", (X0, Y0))
    res = check(p, tmp_path, fire_rule(tmp_path, {"arterial": 36, "branch": 18})).rules[0]
    assert res.value == pytest.approx(100 * 1700 / 5000, abs=0.6)
    # two stations 3400 m apart along the strip cover it all
    p.design.add("fire_station", (X0 + 5000, Y0))
    both = check(p, tmp_path, fire_rule(tmp_path, {"arterial": 36, "branch": 18})).rules[0]
    assert both.value == pytest.approx(100 * (1700 + 1200) / 5000, abs=0.6)


def test_station_on_arterial_frontage_and_districts_across_barriers():
    p = new_district()
    p.design.add("fire_station", (X0 + 250, Y0 + 250))         # on no arterial: between branch roads
    p.design.add("fire_station", (X0 + 2010, Y0 + 4000))       # on the arterial x = 2000
    res = run_check(p, rules=["GB51080-2015/arterial_frontage", "GB51080-2015/district_barriers"], chart=False)
    front = res.result("GB51080-2015/arterial_frontage")
    assert front.status == "fail" and front.value == 50.0 and front.rule.severity == "mandatory"
    assert res.result("GB51080-2015/district_barriers").status == "na"   # no railway, river or expressway
    rail = VectorLayer("铁路", [shapely.LineString([(X0 - 10, Y0 + 3000), (X0 + W + 10, Y0 + 3000)])], crs=p.crs)
    p.add_layer(rail)
    rail.set_role("railways")
    barriers = run_check(p, rules=["GB51080-2015/district_barriers"], chart=False).rules[0]
    assert barriers.status == "warning" and barriers.value >= 1 and "railways" in str(barriers.details[0])


def test_hydrant_spacing_along_roads(tmp_path):
    p = corridor()
    for x in (0, 100, 200, 450):
        p.design.add("hydrant", (X0 + x, Y0 + 5))
    res = run_check(p, rules=["GB50974-2014/hydrant_spacing"], chart=False).rules[0]
    assert res.status == "fail" and res.value == pytest.approx(250.0, abs=1)
    assert "3 spacings measured, 1 too long" in str(res.details)


# -- 5. one truth per rule ---------------------------------------------------------------------
def test_spacing_at_its_limit_passes_with_nothing_too_long(tmp_path):
    p = corridor()
    for x in np.arange(0, 176, 35.0):
        p.design.add("smart_pole", (X0 + x, Y0 + 5))
    res = check(p, tmp_path, [R("s", "spacing", ["smart_pole"], 35, "<=", severity="recommended")]).rules[0]
    assert res.status == "pass" and res.gaps is None
    assert "0 too long" in str(res.details) and res.value == pytest.approx(35.0, abs=1e-6)


def test_gaps_only_for_rules_that_fall_short(tmp_path):
    p = square_project()
    p.design.add("air_quality", (X0 + 1000, Y0 + 1000), radius_m=500.0)
    res = check(p, tmp_path, [R("ok", "coverage_area", ["air_quality"], 10, params={"model": "circle"}),
                              R("short", "coverage_area", ["air_quality"], 90, params={"model": "circle"}),
                              R("rep", "coverage_area", ["air_quality"], None, params={"model": "circle"})])
    by = {r.rule.local_id: r for r in res.rules}
    assert by["ok"].status == "pass" and by["ok"].gaps is None
    assert by["rep"].status == "na" and by["rep"].gaps is None
    assert by["short"].gaps is not None
    assert by["short"].gap_area_m2 == pytest.approx(4e6 - math.pi * 500 ** 2, rel=1e-3)


def test_a_value_short_of_its_threshold_never_reads_as_it():
    from smartgis.analysis.outcome import format_short
    assert format_short(99.996, 100.0) == "99.996"
    assert format_short(50.0, 90.0) == "50.00"
    assert format_short(120.004, 120.0) == "120.004"


# -- 6. the table in Chinese; withdrawn codes on request ---------------------------------------
def test_check_table_in_chinese_under_smartgis_lang(cli, tmp_path):
    path = tmp_path / "empty.gpkg"
    new_district().save(path)
    zh = cli("check", path, "--standard", "GB51080-2015", "--no-save", env={"SMARTGIS_LANG": "zh"})
    assert zh.returncode == 1
    lines = zh.stdout.splitlines()
    header = next(x for x in lines if x.startswith("结果"))
    assert header.split()[:6] == ["结果", "性质", "条款编号", "条文", "实测值", "限值"]
    assert any(x.startswith("不符合 应") and "GB51080-2015/response_5min" in x for x in lines)
    assert "设计方案中没有消防站" in zh.stdout
    assert lines[-1].startswith("汇总：符合 0，不符合 2，")
    en = cli("check", path, "--standard", "GB51080-2015", "--no-save")
    assert "STATUS SEVERITY" in en.stdout and en.stdout.splitlines()[-1].startswith("summary: 0 pass, 2 fail")


def test_a_withdrawn_code_is_checked_only_when_asked_and_never_fails(tmp_path):
    p = new_district()
    res = run_check(p, rules=["GB50220-95/bus_catchment_500"], chart=False)
    r = res.rules[0]
    assert r.status == "warning" and r.rule.severity == "recommended" and not res.failed
    assert res.standards[0]["status"] == "withdrawn" and res.standards[0]["replaced_by"] == "GB/T 51328-2018"


def test_the_road_class_field_is_named_with_smartgis_layer(cli, tmp_path):
    p = corridor(("branch",))                  # the field "class" says branch road, "dldj" 主干路
    lyr = next(iter(p.layers_with_role("roads")))
    lyr.add_field(Field("dldj", "str"), np.array(["主干路"], dtype=object))
    lyr.props.pop("class_field")
    p.design.add("fire_station", (X0 + 2500, Y0 + 20))
    path = tmp_path / "c.gpkg"
    p.save(path)
    before = json.loads(cli("check", path, "--rule", "GB51080-2015/arterial_frontage", "--json", "--no-save").stdout)
    assert before["rules"][0]["status"] == "fail"
    r = cli("layer", path, "道路", "--class-field", "dldj")
    assert r.returncode == 0, r.stderr
    out = json.loads(cli("check", path, "--rule", "GB51080-2015/arterial_frontage", "--json", "--no-save").stdout)
    assert out["rules"][0]["status"] == "pass"
    bad = cli("layer", path, "道路", "--class-field", "nope")
    assert bad.returncode == 2 and "no field 'nope'" in bad.stderr


def test_rules_sharing_streets_and_scope_build_the_street_band_once(monkeypatch):
    # three spacing rules over the same streets and study area, with none of their
    # elements: every street is their gap, and that band is built once per check
    from smartgis.analysis import metrics
    calls = []
    real = metrics.street_gaps

    def counted(lines, scope):
        calls.append(len(lines))
        return real(lines, scope)
    monkeypatch.setattr(metrics, "street_gaps", counted)
    ids = ["CJJ45/spacing", "LOCAL-POLE/spacing", "LOCAL-POLE/branch_spacing"]
    res = run_check(new_district(), rules=ids, chart=False).rules
    assert len(res) == 3 and all(r.status in ("fail", "warning") for r in res)
    gaps = [r.gaps for r in res]
    assert all(g is not None for g in gaps) and len(calls) == 1
    assert all(shapely.equals(g, gaps[0]) for g in gaps)
    assert shapely.equals(gaps[0], real(new_district().layer("道路").geometries, shapely.box(X0, Y0, X0 + W, Y0 + H)))
