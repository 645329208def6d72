"""Times stored in UTC and shown in the reader's zone; listings in the command line's language;
``info`` saying which CRS an extent is in."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from smartgis.core import times
from smartgis.core.project import Project
from smartgis.io import import_source


def test_times_are_stored_in_utc_and_shown_in_the_local_zone(monkeypatch):
    import time
    stamp = times.now_utc()
    assert stamp.endswith("+00:00")
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        # 23:30 UTC on the 6th is 07:30 on the 7th in Beijing
        assert times.show("2026-12-06T23:30:00+00:00") == "2026-12-07 07:30"
        assert times.show("2026-12-07T07:30:00+08:00") == "2026-12-07 07:30"
        assert times.show("2024-05-20T09:00:00") == "2024-05-20 09:00"       # no offset: local as written
        assert times.show("not a time") == "not a time" and times.show(None) == ""
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_check_runs_are_stamped_in_utc_and_the_report_in_the_local_zone(monkeypatch, tmp_path):
    import time
    from smartgis.analysis import run_check
    from smartgis.analysis.report_html import write_html
    p = Project("时间", "EPSG:4547")
    result = run_check(p, standards=["GB50180-2018"], chart=False)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", result.started)
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        result.started = "2026-12-06T23:30:00+00:00"
        html = write_html(result, p, tmp_path / "r.html", lang="zh").read_text(encoding="utf-8")
        assert "2026-12-07 07:30:00" in html and "2026-12-06T23:30" not in html
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


@pytest.fixture
def sample_copy(tmp_path):
    from pathlib import Path
    src = Path(__file__).resolve().parents[1] / "sample_projects/longquan_lake.gpkg"
    dst = tmp_path / "样例.gpkg"
    shutil.copyfile(src, dst)
    return dst


def test_review_listing_local_time_and_chinese(cli, sample_copy):
    r = cli("review", sample_copy, "--add-comment", "路口缺摄像机", "--author", "王工", "--at", "544000,3370000")
    assert r.returncode == 0, r.stderr
    created = json.loads(cli("review", sample_copy, "--json").stdout)["comments"][0]["created"]
    assert created.endswith("+00:00")
    from smartgis.core.times import parse
    utc = parse(created)
    import datetime as dt
    beijing = (utc + dt.timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")
    r = cli("review", sample_copy, "--list", env={"TZ": "Asia/Shanghai", "SMARTGIS_LANG": "zh"})
    assert r.returncode == 0, r.stderr
    assert beijing in r.stdout
    assert "1 条意见：1 条未处理" in r.stdout and "[未处理] 王工" in r.stdout and "位于 544000.0,3370000.0" in r.stdout
    r = cli("review", sample_copy, "--list", env={"TZ": "UTC"})
    assert utc.strftime("%Y-%m-%d %H:%M") in r.stdout and "1 comment(s): 1 open" in r.stdout
    # --json stays English and UTC
    r = cli("review", sample_copy, "--json", env={"SMARTGIS_LANG": "zh"})
    assert json.loads(r.stdout)["comments"][0]["status"] == "open"


def test_info_names_the_crs_of_each_extent(cli, tmp_path, shared_data):
    path = tmp_path / "p.gpkg"
    p = Project("p", "EPSG:32618")
    import_source(p, shared_data / "raster/RGB.byte.tif")        # UTM 18N, the project's CRS
    p.save(path)
    p = Project("q", "EPSG:3857")
    import_source(p, shared_data / "raster/RGB.byte.tif")        # a referenced raster stays in its CRS
    p.save(tmp_path / "q.gpkg")
    out = json.loads(cli("info", tmp_path / "q.gpkg", "--json").stdout)
    lyr = out["layers"][0]
    assert lyr["crs"] == "EPSG:32618" and lyr["extent"][0] > 0   # --json: the extent in the layer's own crs
    r = cli("info", tmp_path / "q.gpkg")
    assert "extents in the project CRS" in r.stdout and "(layer CRS: EPSG:32618" in r.stdout
    # the text gives it in the project CRS: web mercator metres, west of Greenwich
    assert re.search(r"\[-8\d{6}\.\d, ", r.stdout), r.stdout
    r = cli("info", path)
    assert "layer CRS" not in r.stdout
    r = cli("info", tmp_path / "q.gpkg", env={"SMARTGIS_LANG": "zh"})
    assert "坐标系" in r.stdout and "图层坐标系：EPSG:32618" in r.stdout


def test_more_human_output_in_chinese(cli, sample_copy):
    zh = {"SMARTGIS_LANG": "zh"}
    r = cli("catalog", "--list", env=zh)
    assert r.returncode == 0 and "变体：camera:" in r.stdout and "variants:" not in r.stdout
    r = cli("layer", sample_copy, "道路", env=zh)
    assert r.returncode == 0 and "数据表" in r.stdout and "：用途 roads" in r.stdout
    r = cli("layer", sample_copy, "道路", "--json", env=zh)
    assert json.loads(r.stdout)["role"] == "roads"
    r = cli("plugins", "list", env=zh)
    assert r.returncode == 0 and "5G 规划" in r.stdout
    assert "5G planning" in cli("plugins", "list").stdout
