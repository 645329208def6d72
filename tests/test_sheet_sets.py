"""Thematic sheets and drawing sets: layer choice, phases, check gaps, symbols to scale,
labels clear of symbols, and the multi-page set with its drawing list (read back with poppler)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import numpy as np
import pytest
from conftest import copy_sample
import shapely

from smartgis.analysis.themes import find_theme, phases, sheet_layers, themes
from smartgis.core import Project
from smartgis.core.style import LabelStyle
from smartgis.errors import UsageError
from smartgis.project import open_project
from smartgis.render.cartography import DOT_MM, ICON_MIN_MM, draw_sheet_map, icon_size_mm, plan_points, thin
from tests.conftest import REPO


@pytest.fixture(scope="module")
def sample_copy(tmp_path_factory):
    return copy_sample(tmp_path_factory.mktemp("sheets"))


def need(tool: str) -> str:
    exe = shutil.which(tool)
    if exe is None:
        pytest.skip(f"{tool} is not installed (Debian package poppler-utils)")
    return exe


def test_themes_are_data_with_chinese_titles():
    titles = {t.label("zh") for t in themes()}
    assert {"视频监控布局图", "物联网感知布局图", "通信网络规划图", "公共服务设施布局图", "现状图", "规划总图",
            "分期建设图"} <= titles
    assert find_theme("视频监控布局图").id == find_theme("video_surveillance").id
    with pytest.raises(UsageError, match="unknown sheet theme 'nope'.*video_surveillance"):
        find_theme("nope")


def test_theme_layers_phase_and_gaps(sample_copy):
    p = open_project(sample_copy, read_only=True)
    video = sheet_layers(p, find_theme("video_surveillance"))
    types = {getattr(lyr, "element_type", None) and lyr.element_type.id for lyr in video} - {None}
    assert types == {"camera", "smart_pole"}
    assert all(lyr.role in (None, "study_area", "roads", "water", "built_up", "key_areas") for lyr in video)

    # the plan's phases, in the plan's order: the cameras come first (近期), the poles next (中期)
    assert phases(p) == ["近期", "中期", "远期"]
    full = {lyr.name: lyr.feature_count for lyr in sheet_layers(p, find_theme("master_plan"))}
    stage = {ph: {lyr.name: lyr.feature_count for lyr in sheet_layers(p, find_theme("master_plan"), phase=ph)}
             for ph in phases(p)}
    pole, cam = p.design.layers["smart_pole"].name, p.design.layers["camera"].name
    assert stage["近期"][cam] == full[cam] and cam not in stage["中期"]
    assert stage["中期"][pole] == full[pole] and pole not in stage["近期"]
    with pytest.raises(UsageError, match="no elements of phase '三期'.*近期, 中期, 远期"):
        sheet_layers(p, None, phase="三期")

    # the gaps layer prints only when asked, and only gaps of failed/warned rules
    gaps = next(lyr for lyr in p.layers.values() if lyr.table_name == "check_gaps")
    status = set(gaps.table.column("status").tolist())
    assert not any(lyr.table_name == "check_gaps" for lyr in sheet_layers(p))
    printed = [lyr for lyr in sheet_layers(p, gaps=True) if lyr.table_name == "check_gaps"]
    assert len(printed) == 1
    assert set(printed[0].table.column("status").tolist()) <= {"fail", "warn"}
    if status - {"fail", "warn"}:
        assert printed[0].feature_count < gaps.feature_count


def test_point_symbols_follow_the_scale():
    # poles every 35 m along a road: dots at 1:25,000, icons at 1:2,000
    x = np.arange(300) * 35.0
    for scale, mode in ((25000, "dot"), (2000, "icon")):
        xy_mm = np.column_stack([x, np.zeros_like(x)]) / scale * 1000.0
        plan = plan_points(xy_mm, 3.2, scale)
        assert plan.mode == mode, scale
    assert plan_points(np.column_stack([x, x]) / 25000 * 1000, 3.2, 25000).size_mm == DOT_MM
    assert icon_size_mm(3.2, 2000) == 3.2 and icon_size_mm(3.2, 1e6) == ICON_MIN_MM
    assert icon_size_mm(3.2, 20000) < icon_size_mm(3.2, 10000) < 3.2
    # thinning keeps points at least the spacing apart
    px = np.array([0.0, 1.0, 2.0, 10.0, 10.5])
    keep = thin(px, np.zeros(5), 3.0)
    assert keep.tolist() == [0, 3]


def test_labels_clear_of_symbols_and_each_other(qapp):
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter
    p = Project("labels", "EPSG:4547")
    rng = np.random.default_rng(3)
    pts = [(521000 + float(a), 3382000 + float(b)) for a, b in rng.uniform(0, 400, (60, 2))]
    uids = p.design.add_many("primary_school", shapely.points(pts),
                             rows=[{"name": f"第{k}小学"} for k in range(60)])
    assert len(uids) == 60
    lyr = p.design.layers["primary_school"]
    lyr.style.labels = LabelStyle(field="name", enabled=True, size=2.5)
    img = QImage(800, 800, QImage.Format.Format_ARGB32)
    img.fill(0xFFFFFFFF)
    painter = QPainter(img)
    r = draw_sheet_map(painter, QRectF(0, 0, 800, 800), p, (520950, 3381950, 521450, 3382450), 150,
                       [lyr], scale=2000)
    painter.end()
    assert r.point_plans[lyr.name].mode == "icon"
    assert r.label_boxes and len(r.label_boxes) < 60          # crowded: some labels are left out

    def overlap(a, b):
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    for i, a in enumerate(r.label_boxes):
        assert not any(overlap(a, s) for s in r.symbol_boxes)
        assert not any(overlap(a, b) for b in r.label_boxes[i + 1:])


def test_drawing_set_pdf_has_cover_list_and_sheets(sample_copy, cli, tmp_path):
    need("pdfinfo")
    out = tmp_path / "图集.pdf"
    r = cli("export", sample_copy, "--pdf", out, "--set", "--landscape", "--date", "2026-12-07", "--dpi", "100",
            "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)["set"]
    titles = [s["title"] for s in d["sheets"]]
    assert titles[:2] == ["现状图", "规划总图"] and "分期建设图（中期）" in titles
    assert "视频监控布局图" in titles and "公共服务设施布局图" in titles
    pages = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert re.search(rf"^Pages:\s+{len(titles) + 2}$", pages, re.M), pages
    text = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(out), "-"], capture_output=True, text=True).stdout
    assert "图纸目录" in text
    for s in d["sheets"]:
        assert s["sheet"] in text and s["title"].replace("（", "(")[:4] in text.replace("（", "(")
    cover = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(out), "-"], capture_output=True, text=True).stdout
    assert "智慧城市顶层设计图集" in cover


def test_export_theme_phase_layers_cli(sample_copy, cli, tmp_path):
    r = cli("export", sample_copy, "--pdf", tmp_path / "v.pdf", "--theme", "视频监控布局图", "--phase", "近期",
            "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["title"] == "视频监控布局图（近期）"
    assert "视频监控摄像机" in d["layers"] and "检查缺口" not in d["layers"]
    r = cli("export", sample_copy, "--pdf", tmp_path / "l.pdf", "--layers", "道路,研究范围", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["layers"] == ["研究范围", "道路"]
    r = cli("export", sample_copy, "--pdf", tmp_path / "g.pdf", "--gaps", "--json")
    assert "检查缺口" in json.loads(r.stdout)["layers"]
    for args, msg in ((["--theme", "nope"], "unknown sheet theme 'nope'"),
                      (["--phase", "九期"], "no elements of phase '九期'"),
                      (["--layers", "无此图层"], "无此图层"),
                      (["--set"], "--set writes one PDF")):
        extra = ["--png", tmp_path / "x.png"] if args == ["--set"] else ["--pdf", tmp_path / "x.pdf"]
        r = cli("export", sample_copy, *extra, *args)
        assert r.returncode == 2 and msg in r.stderr and r.stderr.count("\n") == 1, r.stderr
