"""Indicator systems and scoring: shipped systems are sound, scores are computed as the
methods say (checked against hand-computed numbers), map-measured indicators equal what
`smartgis check` / `smartgis coverage` report, entered values survive save and open."""

from __future__ import annotations

import json

import pytest
import shapely

from check_helpers import prague_project, study_area
from smartgis.analysis.check import run_check
from smartgis.analysis.standards import Library
from smartgis.errors import StandardsError
from smartgis.indicators import (CURRENT, assess, builtin_systems, get_system, load_system_file, order_phases,
                                 phase_names, set_value, stored)
from smartgis.indicators.levels import load_levels
from smartgis.project import open_project


# == the shipped systems ============================================================================
def test_shipped_systems_weigh_100_and_name_real_rules():
    systems = builtin_systems()
    assert set(systems) == {"GBT33356-2022", "GBT33356-2016", "MOHURD-2012"}
    assert get_system().id == "GBT33356-2022"            # the default
    lib = Library.load()
    for s in systems.values():
        assert s.total_weight == pytest.approx(100.0, abs=1e-6), s.id
        assert sum(s.weight_of(d.id) for d in s.domains) == pytest.approx(100.0, abs=1e-6)
        for i in s.indicators:
            assert i.name["zh"] and i.name["en"] and i.unit is not None and i.source, i.id
            if i.derived and isinstance(i.derive.get("rule"), str):
                lib.rule(i.derive["rule"])              # every derived indicator names a real check rule
    mohurd = systems["MOHURD-2012"]
    assert (len(mohurd.domains), len({i.level2["zh"] for i in mohurd.indicators}), len(mohurd.indicators)) == (4, 11, 57)
    g16 = systems["GBT33356-2016"]
    assert len(g16.domains) == 8 and g16.weight_of("L1") == pytest.approx(37)
    assert len(systems["GBT33356-2022"].domains) == 9
    # nothing unconfirmed ships as verified: the 2022 weights and the maturity bands are not confirmed
    assert not any(i.verified for i in systems["GBT33356-2022"].indicators)
    assert not load_levels().verified


def test_phase_order():
    assert order_phases(["远期", "二期", "一期", "", None, "三期"]) == ["一期", "二期", "三期", "远期"]
    assert order_phases(["远期", "近期", "中期"]) == ["近期", "中期", "远期"]
    assert order_phases(["2030", "2025"]) == ["2025", "2030"]


# == scoring, by hand =================================================================================
HAND = {
    "format": "smartgis-indicators", "id": "CITY-TEST", "title": "测试体系", "verified": True,
    "domains": [{"id": "A", "name": {"zh": "甲", "en": "A"}}, {"id": "B", "name": {"zh": "乙", "en": "B"}}],
    "indicators": [
        {"id": "lin", "level1": "A", "level2": "甲一", "name": "线性", "unit": "%", "weight": 50,
         "scoring": {"method": "linear", "baseline": 20, "target": 100}},
        {"id": "steps", "level1": "A", "level2": "甲二", "name": "分档", "unit": "分", "weight": 30,
         "scoring": {"method": "thresholds", "steps": [[50, 0.5], [80, 1.0]]}},
        {"id": "yes", "level1": "B", "level2": "乙一", "name": "有无", "unit": "", "weight": 20,
         "scoring": {"method": "yesno"}},
    ]}


@pytest.fixture
def hand_file(tmp_path):
    path = tmp_path / "city.json"
    path.write_text(json.dumps(HAND, ensure_ascii=False), encoding="utf-8")
    return path


def test_hand_computed_scores(tmp_path, hand_file):
    from tests.helpers import sample_project
    p = sample_project(tmp_path / "p.gpkg", n=5)
    s = load_system_file(hand_file)
    set_value(p, s.id, "lin", CURRENT, 60)          # (60 - 20) / (100 - 20) × 50 = 25
    set_value(p, s.id, "steps", CURRENT, 70)        # ≥ 50 → 0.5 × 30 = 15
    set_value(p, s.id, "yes", CURRENT, 0)           # no → 0
    set_value(p, s.id, "lin", "远期", 120)           # capped at full marks: 50
    set_value(p, s.id, "steps", "远期", 85)          # ≥ 80 → 30
    set_value(p, s.id, "yes", "远期", 1)             # 20
    a = assess(p, s)
    # the sample design's planned elements are in 一期; a phase without targets keeps the values before it
    assert a.stages == [CURRENT, "一期", "远期"]
    assert a.score("一期") == 40.0
    assert [a.row(i).scores[CURRENT] for i in ("lin", "steps", "yes")] == [25.0, 15.0, 0.0]
    assert a.score(CURRENT) == 40.0 and a.domain_score("A") == (40.0, 80.0) and a.domain_score("B") == (0.0, 20.0)
    assert a.score("远期") == 100.0
    # five levels by share of the maximum: 40 → 成长期 (40–60), 100 → 领军期; domain B at 0 % → 准备期
    assert a.level().label("zh") == "成长期" and a.level("远期").label("zh") == "领军期"
    assert a.domain_level("B").label("zh") == "准备期" and a.domain_level("A").label("zh") == "成长期"  # 50 %
    j = a.to_json("远期")
    assert (j["system"], j["phase"], j["score"], j["max_score"], j["level"]) == ("CITY-TEST", "远期", 100.0, 100.0, "领军期")
    assert set(j["indicators"][0]) == {"id", "level1", "level2", "name", "unit", "weight", "current", "target",
                                       "derived", "score", "evidence"}
    assert j["indicators"][0]["current"] == 60 and j["indicators"][0]["target"] == 120


def test_bad_system_file_is_one_line_naming_the_file(tmp_path, cli):
    from tests.helpers import sample_project
    sample_project(tmp_path / "p.gpkg", n=3)
    bad = dict(HAND, indicators=[dict(HAND["indicators"][0], weight=40)] + HAND["indicators"][1:])
    f = tmp_path / "bad.json"
    f.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(StandardsError, match="add up to 90"):
        load_system_file(f)
    r = cli("indicators", tmp_path / "p.gpkg", "--system-file", f)
    assert r.returncode == 2 and "bad.json" in r.stderr and "90" in r.stderr and "Traceback" not in r.stderr
    r = cli("indicators", tmp_path / "p.gpkg", "--system", "GBT-9999")
    assert r.returncode == 2 and "GBT33356-2022" in r.stderr


# == derived from the map ============================================================================
def _cameras(p, *specs):
    """Cameras in the key public areas (the networking rule counts only those), near the centre."""
    from shapely.ops import nearest_points
    c = study_area(p).centroid
    key = p.layers_with_role("key_areas")[0].geometries[0].buffer(-2.0)   # inside, not on the edge
    for dx, status, phase, networked in specs:
        at = nearest_points(key, shapely.Point(c.x + dx, c.y))[0]
        p.design.add("camera", (at.x, at.y), status=status, phase=phase, networked=networked, azimuth=90)


def test_derived_equal_check_for_each_stage(shared_data):
    p = prague_project(shared_data)
    _cameras(p, (0, "existing", "一期", True), (40, "planned", "一期", True), (-40, "planned", "二期", False))
    assert phase_names(p) == ["一期", "二期"]
    a = assess(p)
    cov, net = a.row("L2P2-A1"), a.row("L2P2-A2")
    assert cov.derived and cov.rule_id == "PS-VIDEO-2015/key_area_coverage"
    # the last phase holds every element: exactly what `smartgis check` measures
    full = run_check(p, rules=["PS-VIDEO-2015/key_area_coverage", "PS-VIDEO-2015/networked_share"], chart=False)
    assert cov.values["二期"] == full.to_json()["rules"][0]["value"]
    # by hand: all three cameras stand in the key public areas, two of them networked
    assert net.values["二期"] == full.to_json()["rules"][1]["value"] == pytest.approx(200 / 3, abs=1e-3)
    # 现状 = the existing camera alone, 一期 = existing + 一期: checked on designs holding just those
    for stage, keep in ((CURRENT, 1), ("一期", 2)):
        q = prague_project(shared_data)
        _cameras(q, *[(0, "existing", "一期", True), (40, "planned", "一期", True)][:keep])
        want = run_check(q, rules=["PS-VIDEO-2015/key_area_coverage"], chart=False).to_json()["rules"][0]["value"]
        assert cov.values[stage] == want
    assert cov.values[CURRENT] < cov.values["一期"] < cov.values["二期"]
    assert net.values[CURRENT] == 100.0 and net.scores["二期"] == pytest.approx(2 * 2 / 3, abs=1e-3)


def test_score_rises_when_a_camera_is_added(shared_data):
    p = prague_project(shared_data)
    _cameras(p, (0, "existing", "一期", True))
    before = assess(p)
    # enough cameras that the total (shown to 0.01 points) moves too
    _cameras(p, *[(dx, "existing", "一期", True) for dx in (80, 160, 240, 320, -160, -240)])
    after = assess(p)
    assert after.row("L2P2-A1").values[CURRENT] > before.row("L2P2-A1").values[CURRENT]
    assert after.score(CURRENT) > before.score(CURRENT)
    # a planned camera raises its phase, not 现状
    _cameras(p, (-60, "planned", "一期", True))
    planned = assess(p)
    assert planned.score(CURRENT) == after.score(CURRENT) and planned.score("一期") > after.score(CURRENT)


def test_derived_equal_cli_check_and_coverage(shared_data, tmp_path, cli):
    p = prague_project(shared_data)
    _cameras(p, (0, "existing", "一期", True), (50, "existing", "一期", False))
    path = tmp_path / "p.gpkg"
    p.save(path)
    sysfile = tmp_path / "mine.json"
    sysfile.write_text(json.dumps({
        "format": "smartgis-indicators", "id": "MINE", "title": "本市体系",
        "domains": [{"id": "S", "name": "安全"}],
        "indicators": [
            {"id": "cov", "level1": "S", "level2": "视频", "name": "视频覆盖", "unit": "%", "weight": 60,
             "derive": {"rule": "PS-VIDEO-2015/key_area_coverage"}},
            {"id": "quick", "level1": "S", "level2": "视频", "name": "研究范围覆盖", "unit": "%", "weight": 40,
             "derive": {"coverage": {"type": "camera", "measure": "area"}}}]}, ensure_ascii=False), encoding="utf-8")
    r = cli("indicators", path, "--system-file", sysfile, "--json")
    assert r.returncode == 0, r.stderr
    got = {i["id"]: i for i in json.loads(r.stdout)["indicators"]}
    chk = cli("check", path, "--rule", "PS-VIDEO-2015/key_area_coverage", "--json", "--no-save")
    assert chk.returncode in (0, 1), chk.stderr
    assert got["cov"]["current"] == json.loads(chk.stdout)["rules"][0]["value"] and got["cov"]["derived"]
    cov = cli("coverage", path, "--type", "camera", "--json")
    assert got["quick"]["current"] == pytest.approx(json.loads(cov.stdout)["area_ratio"] * 100, abs=1e-4)
    assert got["cov"]["evidence"] == "PS-VIDEO-2015/key_area_coverage"
    # the score of an indicator is its weight × its share of the target (100 %)
    assert got["cov"]["score"] == pytest.approx(60 * got["cov"]["current"] / 100, abs=1e-3)


# == entered values ==================================================================================
def test_entered_values_survive_save_and_open(tmp_path, cli, validate_gpkg):
    from tests.helpers import sample_project
    path = tmp_path / "p.gpkg"
    sample_project(path, n=5)
    r = cli("indicators", path, "--set", "L1P1", "--current", "62.5", "--evidence", "政务服务事项清单.xlsx")
    assert r.returncode == 0, r.stderr
    r = cli("indicators", path, "--set", "L1P1", "--target", "90", "--phase", "远期")
    assert r.returncode == 0, r.stderr
    validate_gpkg(path)
    p = open_project(path)
    assert stored(p, "GBT33356-2022")["L1P1"] == {
        CURRENT: {"value": 62.5, "evidence": "政务服务事项清单.xlsx"}, "远期": {"value": 90.0, "evidence": ""}}
    j = json.loads(cli("indicators", path, "--json", "--phase", "远期").stdout)
    row = next(i for i in j["indicators"] if i["id"] == "L1P1")
    assert (row["current"], row["target"], row["score"], row["evidence"]) == (62.5, 90.0, 4.5, "政务服务事项清单.xlsx")
    # the total is the sum of the indicators' scores (the sample's cameras score too)
    assert j["score"] == pytest.approx(sum(i["score"] for i in j["indicators"]), abs=0.01) and j["phase"] == "远期"
    # saved again by the model (another edit) the value is still there
    p = open_project(path, read_only=False)
    set_value(p, "GBT33356-2022", "L2P3", CURRENT, 50)
    p.save()
    p = open_project(path)
    assert stored(p, "GBT33356-2022")["L1P1"][CURRENT]["value"] == 62.5
    assert stored(p, "GBT33356-2022")["L2P3"][CURRENT]["value"] == 50


def test_cli_refuses_what_it_cannot_store(tmp_path, cli):
    from tests.helpers import sample_project
    path = tmp_path / "p.gpkg"
    sample_project(path, n=3)
    for args, words in ((["--set", "L2P2-A1", "--current", "5"], "measured on the map"),
                        (["--set", "L1P1", "--target", "5"], "--phase"),
                        (["--current", "5"], "--set"),
                        (["--set", "NOPE", "--current", "5"], "no indicator"),
                        (["--phase", "九期"], "no phase")):
        r = cli("indicators", path, *args)
        assert r.returncode == 2 and words in r.stderr and "Traceback" not in r.stderr, (args, r.stderr)


def test_check_report_carries_the_indicator_table(tmp_path, cli):
    from tests.helpers import sample_project
    path = tmp_path / "p.gpkg"
    sample_project(path, n=5)
    assert cli("indicators", path, "--set", "L2P3", "--current", "64", "--evidence", "信用平台年报").returncode == 0
    r = cli("check", path, "--standard", "PS-VIDEO-2015", "--html", tmp_path / "r.html", "--no-save")
    assert r.returncode in (0, 1), r.stderr
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "指标对照表" in html and "GB/T 33356-2022" in html and "社会信用" in html
    # the entered 现状 and its score (64 % of 3 points) are in the table
    row = html[html.index("社会信用"):].split("</tr>")[0]
    assert ">64<" in row and ">1.92<" in row


def test_level_file_is_pluggable(tmp_path, cli, hand_file):
    from tests.helpers import sample_project
    path = tmp_path / "p.gpkg"
    sample_project(path, n=3)
    levels = tmp_path / "levels.json"
    levels.write_text(json.dumps({"format": "smartgis-maturity", "id": "two", "levels": [
        {"level": 1, "name": "未达标", "min": 0}, {"level": 2, "name": "达标", "min": 20}]}), encoding="utf-8")
    assert cli("indicators", path, "--system-file", hand_file, "--set", "lin", "--current", "60").returncode == 0
    r = cli("indicators", path, "--system-file", hand_file, "--level-file", levels, "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["level"] == "达标"            # 25 points ≥ 20
    levels.write_text("{}", encoding="utf-8")
    r = cli("indicators", path, "--system-file", hand_file, "--level-file", levels)
    assert r.returncode == 2 and "levels.json" in r.stderr and "smartgis-maturity" in r.stderr
