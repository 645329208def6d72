"""``smartgis plan``, ``smartgis check --phase`` and ``smartgis report`` as a user runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_projects" / "longquan_lake.gpkg"
BEFORE = Path(__file__).parent / "data" / "project_before_plan.gpkg"

PROJECT_KEYS = {"id", "name", "phase", "layer", "lead", "support", "funding", "elements", "items", "investment_cny"}
ITEM_KEYS = {"name", "quantity", "unit", "unit_cost_cny", "cost_cny"}


@pytest.fixture
def sample(tmp_path):
    if not SAMPLE.exists():
        pytest.skip("the sample project is missing (python tools/build_samples.py)")
    shutil.copy(SAMPLE, tmp_path / SAMPLE.name)
    shutil.copytree(SAMPLE.parent / "longquan_lake", tmp_path / "longquan_lake")
    return tmp_path / SAMPLE.name


@pytest.fixture
def old(tmp_path):
    path = tmp_path / "old.gpkg"
    shutil.copy(BEFORE, path)
    return path


def plan_json(cli, path) -> dict:
    r = cli("plan", path, "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_building_a_plan_from_the_command_line(cli, old, validate_gpkg):
    j = plan_json(cli, old)
    assert j == {"phases": [], "projects": [], "investment": {"total_cny": 0.0, "by_phase": {}, "by_layer": {},
                                                              "by_funding": {}},
                 "unassigned": {"camera": 1, "fibre_backbone": 1, "park": 1, "smart_pole": 5}, "no_unit_cost": []}
    for args in (["phase", "add", "近期", "--years", "2026-2027"], ["phase", "add", "远期", "--years", "2028-2030"],
                 ["project", "add", "P01", "--name", "视频感知", "--phase", "近期", "--lead", "公安分局",
                  "--support", "城管局,交通局", "--funding", "财政资金", "--layer", "perception"],
                 ["project", "add", "P02", "--name", "智慧灯杆", "--phase", "远期", "--lead", "城管局", "--funding", "PPP"],
                 ["project", "assign", "P01", "--type", "camera"],
                 ["project", "assign", "P02", "--type", "smart_pole", "--within", "建筑物"],
                 ["project", "assign", "P02", "--type", "fibre_backbone"],
                 ["item", "add", "P01", "--name", "视频联网平台", "--cost", "500000", "--quantity", "2", "--unit", "套"],
                 ["cost", "smart_pole=80000", "camera:bullet=10000"]):
        r = cli("plan", old, *args)
        assert r.returncode == 0, (args, r.stderr)
    validate_gpkg(old)
    j = plan_json(cli, old)
    assert j["phases"] == [{"name": "近期", "start_year": 2026, "end_year": 2027},
                           {"name": "远期", "start_year": 2028, "end_year": 2030}]
    p1, p2 = j["projects"]
    assert set(p1) == PROJECT_KEYS and set(p1["items"][0]) == ITEM_KEYS
    assert p1["support"] == ["城管局", "交通局"] and p1["elements"] == {"camera": 1}
    assert p1["investment_cny"] == 10_000 + 2 * 500_000           # the sample camera is a bullet camera
    fibre = p2["investment_cny"] - 80_000 * p2["elements"].get("smart_pole", 0)
    assert p2["elements"]["fibre_backbone"] == 1 and fibre == pytest.approx(500 * 160, rel=1e-6)
    assert p2["layer"] in ("network", "perception")             # taken from its elements
    inv = j["investment"]
    assert inv["total_cny"] == pytest.approx(p1["investment_cny"] + p2["investment_cny"])
    assert inv["by_phase"] == pytest.approx({"近期": p1["investment_cny"], "远期": p2["investment_cny"]})
    assert inv["by_funding"] == pytest.approx({"财政资金": p1["investment_cny"], "PPP": p2["investment_cny"]})
    assert "park" in j["unassigned"]
    text = cli("plan", old)
    assert text.returncode == 0 and "P01" in text.stdout and "total:" in text.stdout


@pytest.mark.parametrize("args, words", [
    (["phase", "add", "近期", "--years", "2027-2026"], "before the start"),
    (["project", "add", "P9", "--name", "x", "--phase", "后期", "--lead", "y"], "no phase"),
    (["project", "assign", "P9", "--type", "camera"], "no key project"),
    (["project", "assign", "P01", "--type", "camerra"], "unknown element type"),
    (["project", "assign", "P01", "--type", "camera", "--within", "no-such-layer"], "no layer"),
    (["item", "add", "P9", "--name", "x", "--cost", "1"], "no key project"),
    (["cost", "camera=abc"], "not a number"),
    (["cost", "camera:gold=1"], "mount is one of"),
])
def test_bad_input_exits_2_with_one_line(cli, sample, args, words):
    before = sample.read_bytes()
    r = cli("plan", sample, *args)
    assert r.returncode == 2 and words in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert sample.read_bytes() == before


def test_sample_plan_covers_every_layer(cli, sample):
    j = plan_json(cli, sample)
    assert len(j["phases"]) == 3 and 8 <= len(j["projects"]) <= 12
    assert {p["layer"] for p in j["projects"]} == {"perception", "network", "data", "platform", "application",
                                                   "security"}
    assert any(p["items"] and not p["elements"] for p in j["projects"])   # a non-spatial project
    assert j["unassigned"] == {} and j["no_unit_cost"] == []
    total = sum(p["investment_cny"] for p in j["projects"])
    assert j["investment"]["total_cny"] == pytest.approx(total)
    assert sum(j["investment"]["by_phase"].values()) == pytest.approx(total)
    assert sum(j["investment"]["by_layer"].values()) == pytest.approx(total)


def test_check_phase_counts_only_the_city_of_that_phase(cli, sample):
    counts = []
    for phase in ("近期", "远期"):
        r = cli("check", sample, "--phase", phase, "--no-save")
        assert r.returncode in (0, 1), r.stderr
        line = [x for x in r.stdout.splitlines() if x.startswith(f"after {phase}:")][0]
        counts.append(int(line.split("(")[1].split()[0]))
    assert counts[0] < counts[1]
    r = cli("check", sample, "--phase", "后期", "--no-save")
    assert r.returncode == 2 and "no phase" in r.stderr


def test_report_needs_an_output_and_a_plan(cli, old, tmp_path):
    r = cli("report", old)
    assert r.returncode == 2 and "--docx" in r.stderr
    r = cli("report", old, "--docx", tmp_path / "a.docx")
    assert r.returncode == 2 and "no plan" in r.stderr and not (tmp_path / "a.docx").exists()
    r = cli("report", old, "--xlsx", tmp_path / "a.docx")
    assert r.returncode == 2 and ".xlsx" in r.stderr
