"""``smartgis check / coverage / suggest / layer`` as a user runs them."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_projects" / "longquan_lake.gpkg"


@pytest.fixture
def sample(tmp_path):
    if not SAMPLE.exists():
        pytest.skip("the sample project is missing (python tools/build_samples.py)")
    shutil.copy(SAMPLE, tmp_path / SAMPLE.name)
    shutil.copytree(SAMPLE.parent / "longquan_lake", tmp_path / "longquan_lake")
    return tmp_path / SAMPLE.name


def test_check_json_exit_codes_and_no_save(cli, sample):
    before = sample.read_bytes()
    r = cli("check", sample, "--standard", "PS-VIDEO-2015", "--standard", "GB55013-2021", "--json", "--no-save")
    assert r.returncode == 1, r.stderr          # key-area video coverage (required) fails
    out = json.loads(r.stdout)
    assert set(out) == {"rules", "summary"} and set(out["summary"]) == {"pass", "fail", "warn", "na"}
    keys = {"id", "standard", "clause", "status", "value", "threshold", "unit", "severity", "verified"}
    assert all(set(rule) == keys for rule in out["rules"])
    key = next(x for x in out["rules"] if x["id"] == "PS-VIDEO-2015/key_area_coverage")
    assert key["status"] == "fail" and key["severity"] == "required" and key["threshold"] == 100.0
    assert 0 < key["value"] < 100 and key["verified"] is True
    assert sample.read_bytes() == before                         # --no-save changes nothing

    ok = cli("check", sample, "--standard", "GUOBAN-2015-73", "--standard", "HJ91.2-2022", "--json", "--no-save")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert json.loads(ok.stdout)["summary"]["fail"] == 0


def test_check_saves_the_run_and_writes_reports(cli, sample, tmp_path, validate_gpkg):
    html, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    r = cli("check", sample, "--standard", "GBT51328-2018", "--standard", "GB50180-2018", "--html", html, "--pdf", pdf,
            "--lang", "zh")
    assert r.returncode == 1, r.stderr
    assert "GBT51328-2018/transit_500m" in r.stdout and "不符合" in r.stdout   # --lang zh: the table in Chinese
    assert "参考值——请以正式出版的标准文本为准" in r.stdout          # unverified numbers are marked
    assert "saved run" in r.stdout
    validate_gpkg(sample)
    assert sample.with_name(sample.name + ".bak").exists()
    from smartgis.analysis import runs
    from smartgis.project import open_project
    p = open_project(sample)
    stored = runs.runs(p)[-1]
    assert {s["id"] for s in stored["standards"]} == {"GBT51328-2018", "GB50180-2018"}
    assert any(r["status"] == "fail" and r["gaps"] is not None for r in runs.run_results(p))
    assert runs.gaps_layer(p).feature_count >= 1

    text = html.read_text(encoding="utf-8")
    assert text.count("<svg") == 2 and "GBT51328-2018/transit_500m" in text
    assert "参考值——请以正式出版的标准文本为准" in text and "未覆盖区域" in text
    # the PDF: A4 pages with the Chinese text embedded, rendered by poppler
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "标准符合性检查报告" in words and "transit_500m" in words
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png"))
    from PySide6.QtGui import QImage
    img = QImage(str(png))
    assert img.width() > 300 and img.height() > 400
    coloured = sum(1 for x in range(0, img.width(), 4) for y in range(0, img.height(), 4)
                   if img.pixelColor(x, y).saturation() > 80)
    assert coloured > 20                                         # the map and status colours are drawn


def test_bad_input_exits_2_with_one_line(cli, sample, tmp_path):
    r = cli("check", sample, "--standard", "GB5018")
    assert r.returncode == 2 and "unknown standard 'GB5018'; did you mean" in r.stderr
    bad = tmp_path / "city.json"
    bad.write_text('{"id": "CITY", "rules": [{"id": "x", "metric": "magic"}]}', encoding="utf-8")
    r = cli("check", sample, "--standard-file", bad)
    assert r.returncode == 2 and str(bad) in r.stderr and "unknown metric 'magic'" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    r = cli("check", tmp_path / "missing.gpkg")
    assert r.returncode == 2 and "no such project file" in r.stderr
    r = cli("coverage", sample, "--type", "camra")
    assert r.returncode == 2 and "did you mean camera" in r.stderr


def test_a_city_rule_file(cli, sample, tmp_path):
    city = tmp_path / "wuhan.json"
    city.write_text(json.dumps({"id": "WH-2024", "title": {"zh": "武汉市规则", "en": "Wuhan rules"}, "year": 2024,
                                "rules": [{"id": "cameras", "element": "camera", "metric": "count", "min": 10,
                                           "level": "error", "clause": "2.1"}]}), encoding="utf-8")
    r = cli("check", sample, "--standard", "WH-2024", "--standard-file", city, "--json", "--no-save")
    assert r.returncode == 0, r.stderr
    (rule,) = json.loads(r.stdout)["rules"]
    assert rule["id"] == "WH-2024/cameras" and rule["status"] == "pass" and rule["value"] >= 10


def test_coverage_json(cli, sample):
    r = cli("coverage", sample, "--type", "bus_stop", "--radius", "500", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert set(out) == {"type", "elements", "scope_area_m2", "covered_area_m2", "area_ratio", "population_ratio",
                        "elapsed_s"}
    assert out["type"] == "bus_stop" and out["elements"] > 100
    assert out["area_ratio"] == pytest.approx(out["covered_area_m2"] / out["scope_area_m2"], rel=1e-5)
    assert 0 < out["population_ratio"] <= 1 and out["elapsed_s"] < 5
    walk = json.loads(cli("coverage", sample, "--type", "bus_stop", "--radius", "500", "--network", "--json").stdout)
    assert walk["covered_area_m2"] < out["covered_area_m2"]
    text = cli("coverage", sample, "--type", "kindergarten")
    assert text.returncode == 0 and "km²" in text.stdout and "population covered" in text.stdout


def test_coverage_without_population_and_layer_roles(cli, shared_data, tmp_path):
    from check_helpers import prague_project, study_area
    p = prague_project(shared_data, with_population=False)
    c = study_area(p).centroid
    p.design.add("public_toilet", (c.x, c.y))
    path = p.save(tmp_path / "prague.gpkg")
    out = json.loads(cli("coverage", path, "--type", "public_toilet", "--json").stdout)
    assert out["population_ratio"] is None and out["elements"] == 1
    listing = cli("layer", path)
    assert listing.returncode == 0 and "study_area" in listing.stdout and "roads" in listing.stdout
    r = cli("layer", path, "建筑", "--role", "population")
    assert r.returncode == 2 and "--population-field" in r.stderr and "people" in r.stderr
    r = cli("layer", path, "建筑", "--role", "population", "--population-field", "persons")
    assert r.returncode == 2 and "no field 'persons'" in r.stderr
    r = cli("layer", path, "建筑", "--role", "population", "--population-field", "people")
    assert r.returncode == 0, r.stderr
    shown = json.loads(cli("layer", path, "建筑", "--json").stdout)
    assert shown["role"] == "population" and shown["props"]["population_field"] == "people"
    out = json.loads(cli("coverage", path, "--type", "public_toilet", "--radius", "120", "--json").stdout)
    assert 0 < out["population_ratio"] < 1


def test_suggest_and_apply(cli, sample):
    rid = "GBT51328-2018/transit_500m"
    r = cli("suggest", sample, "--rule", rid, "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["count"] >= 1 and out["met"] and out["after"] >= 90 > out["before"] and not out["applied"]
    r = cli("suggest", sample, "--rule", rid, "--apply")
    assert r.returncode == 0 and "added" in r.stdout
    check = cli("check", sample, "--rule", rid, "--json", "--no-save")
    assert json.loads(check.stdout)["rules"][0]["status"] == "pass"
    r = cli("suggest", sample, "--rule", "HJ664-2013/station_count")
    assert r.returncode == 2 and "coverage and distance rules" in r.stderr
