"""The plan model: phases, key projects, items, unit costs, investment by hand, phases of
the city, storage in the project file and files made before plans existed."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
import shapely

from smartgis.core import Project
from smartgis.errors import UsageError
from smartgis.plan import compute, element_facts, parse_cost_spec, parse_years, phase_members, plan_of
from smartgis.plan.records import TABLES
from smartgis.project import open_project

BEFORE = Path(__file__).parent / "data" / "project_before_plan.gpkg"


def small_design() -> Project:
    p = Project("规划测试", "EPSG:4547")
    d = p.design
    d.add_many("camera", [(500_000.0 + 10 * i, 3_380_000.0) for i in range(4)], rows=[
        {"mount": "ptz"}, {"mount": "bullet"}, {"mount": "dome"}, {"mount": "bullet", "status": "existing"}])
    d.add("fibre_backbone", [(500_000.0, 3_380_000.0), (500_300.0, 3_380_400.0)])        # 500 m
    d.add("park", [(500_000.0, 3_381_000.0), (500_100.0, 3_381_000.0), (500_100.0, 3_381_050.0),
                   (500_000.0, 3_381_050.0)])                                          # 5,000 m²
    d.add("metro_station", (500_050.0, 3_380_050.0))                                    # no unit cost
    d.add("smart_pole", (500_010.0, 3_380_010.0), cost=12.5)                            # own cost 12.5 万元
    return p


def uids(p, tid):
    return list(p.design.layers[tid].table.column("uid"))


def build_plan(p):
    plan = plan_of(p)
    plan.add_phase("近期", 2026, 2027)
    plan.add_phase("中期", 2028, 2029)
    plan.add_phase("远期", 2030, 2035)
    plan.add_project("P1", "视频感知", "近期", lead="公安分局", support="城管局,交通局", funding="财政资金",
                     layer="perception")
    plan.add_project("P2", "通信与公园", "中期", lead="工信局", funding="专项债")
    plan.add_project("P3", "城市运行管理中心", "远期", lead="大数据局", funding="PPP", layer="platform")
    plan.assign("P1", uids(p, "camera"))
    plan.assign("P2", uids(p, "fibre_backbone") + uids(p, "park") + uids(p, "smart_pole"))
    plan.add_item("P3", "城市运行管理平台", 8_000_000)
    plan.add_item("P3", "数据治理服务", 150_000, quantity=12, unit="人月")
    return plan


def test_totals_by_hand():
    p = small_design()
    build_plan(p)
    j = compute(p).to_json()
    cams = 26_000 + 12_000 + 4_500           # the existing bullet costs nothing
    p2 = 500 * 160 + 5_000 * 320 + 125_000     # fibre per metre, park per m², pole by its own cost
    p3 = 8_000_000 + 12 * 150_000
    got = {pr["id"]: pr["investment_cny"] for pr in j["projects"]}
    assert got == {"P1": cams, "P2": pytest.approx(p2), "P3": p3}
    inv = j["investment"]
    assert inv["total_cny"] == pytest.approx(cams + p2 + p3)
    assert inv["by_phase"] == pytest.approx({"近期": cams, "中期": p2, "远期": p3})
    assert inv["by_funding"] == pytest.approx({"财政资金": cams, "专项债": p2, "PPP": p3})
    # P2 has no layer of its own: most of its elements are network (fibre) … or a park and a pole: one each
    assert set(inv["by_layer"]) == {"perception", "platform", j["projects"][1]["layer"]}
    assert j["projects"][0]["support"] == ["城管局", "交通局"]
    assert j["projects"][0]["elements"] == {"camera": 4}
    assert j["projects"][2]["items"][1] == {"name": "数据治理服务", "quantity": 12.0, "unit": "人月",
                                            "unit_cost_cny": 150_000.0, "cost_cny": 1_800_000.0}
    assert j["unassigned"] == {"metro_station": 1}
    assert j["no_unit_cost"] == ["metro_station"]


def test_project_costs_override_the_catalog():
    p = small_design()
    plan = build_plan(p)
    plan.set_cost("camera", None, 10_000)             # every camera …
    plan.set_cost("camera", "ptz", 30_000)            # … but PTZ ones
    plan.set_cost("metro_station", None, 1.5e8)
    j = compute(p).to_json()
    assert j["projects"][0]["investment_cny"] == 30_000 + 10_000 + 10_000
    assert j["no_unit_cost"] == []
    assert parse_cost_spec("camera:ptz=18,000") == ("camera", "ptz", 18000.0)
    with pytest.raises(UsageError):
        parse_cost_spec("camera")
    with pytest.raises(Exception, match="unknown element type"):
        plan.set_cost("camerra", None, 1)


def test_phases_of_the_city_grow():
    p = small_design()
    plan = build_plan(p)
    f = element_facts(p, plan)
    sizes = [int(phase_members(f, k).sum()) for k in range(-1, len(plan.phases))]
    assert sizes == sorted(sizes)
    assert sizes[0] == 1                              # the existing camera only
    assert sizes[-1] == len(f)                        # the unassigned metro station comes last
    near = set(f.uids[phase_members(f, 0)])
    assert set(uids(p, "camera")) <= near and not set(uids(p, "park")) & near


def test_bad_input_is_refused():
    p = small_design()
    plan = build_plan(p)
    with pytest.raises(UsageError, match="no phase"):
        plan.add_project("P9", "x", "后期")
    with pytest.raises(UsageError, match="exists already"):
        plan.add_project("P1", "x", "近期")
    with pytest.raises(UsageError, match="architecture layer"):
        plan.add_project("P9", "x", "近期", layer="cloud")
    with pytest.raises(UsageError, match="no key project"):
        plan.add_item("P9", "x", 1)
    with pytest.raises(UsageError):
        parse_years("2027-2026")
    assert parse_years("2026–2030") == (2026, 2030) and parse_years("2026") == (2026, 2026)


def test_plan_round_trips_through_the_file(tmp_path, validate_gpkg):
    p = small_design()
    build_plan(p)
    before = compute(p).to_json()
    path = tmp_path / "plan.gpkg"
    p.save(path)
    validate_gpkg(path)
    again = open_project(path)
    assert compute(again).to_json() == before
    # edits after opening are saved too
    plan_of(again).add_item("P1", "视频联网平台扩容", 300_000)
    again.save()
    third = open_project(path, read_only=True)
    assert compute(third).to_json()["projects"][0]["investment_cny"] == before["projects"][0]["investment_cny"] + 300_000


def test_file_made_before_plans_opens_with_an_empty_plan(tmp_path, validate_gpkg):
    path = tmp_path / "old.gpkg"
    shutil.copy(BEFORE, path)
    with sqlite3.connect(path) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert not names & set(TABLES)                    # really a file from before
    p = open_project(path)
    plan = plan_of(p)
    assert plan.is_empty
    j = compute(p).to_json()
    assert j["projects"] == [] and j["investment"]["total_cny"] == 0
    assert j["unassigned"] == {"camera": 1, "fibre_backbone": 1, "park": 1, "smart_pole": 5}
    plan.add_phase("一期", 2026, 2026)
    plan.add_project("A", "一期工程", "一期")
    plan.assign("A", list(p.design.layers["camera"].table.column("uid")))
    p.save()
    validate_gpkg(path)
    with sqlite3.connect(path) as conn:
        kinds = dict(conn.execute("SELECT table_name, data_type FROM gpkg_contents"))
    assert all(kinds.get(t) == "attributes" for t in TABLES)
    j = compute(open_project(path, read_only=True)).to_json()
    assert j["projects"][0]["elements"] == {"camera": 1}
    assert j["projects"][0]["investment_cny"] == 12_000


def test_lengths_follow_the_geometry():
    p = small_design()
    plan = build_plan(p)
    f = element_facts(p, plan)
    line = f.types == "fibre_backbone"
    assert f.quantity[line][0] == pytest.approx(shapely.length(p.design.layers["fibre_backbone"].geometries[0]))
    assert f.unit[line][0] == "m"


def test_plan_edits_are_undone_and_redone_with_the_design():
    p = small_design()
    p.stack.clear()
    plan = build_plan(p)
    before = compute(p).to_json()
    assert p.is_modified
    p.stack.set_clean()
    assert not p.is_modified
    cams = uids(p, "camera")
    plan.assign("P3", cams[:2])
    plan.add_item("P1", "补充", 1_000)
    assert compute(p).to_json() != before
    p.stack.undo()
    assert len(plan.projects["P1"].items) == 0
    p.stack.undo()
    assert plan.assignments[cams[0]] == "P1"
    assert compute(p).to_json() == before
    p.stack.redo()
    assert plan.assignments[cams[0]] == "P3"
    # the rows a save writes follow the undo history
    from smartgis.plan.records import ASSIGN_TABLE
    rows = {r["uid"]: r["project_id"] for r in p.extra_tables[ASSIGN_TABLE]}
    assert rows[cams[0]] == "P3"
    while p.stack.can_undo:
        p.stack.undo()
    assert plan.is_empty and compute(p).to_json()["projects"] == []
    assert p.is_modified       # away from the state marked clean
