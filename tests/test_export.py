"""Map sheets: layout, the PDF (rendered with poppler) and the PNG of the sample project."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import numpy as np
import pytest
from conftest import copy_sample

from smartgis.errors import UsageError
from smartgis.project import open_project
from smartgis.render.mapsheet import PAPER_MM, MapSheet, compute_layout, nice_scale, nice_step, paper_size


@pytest.fixture(scope="module")
def sample_copy(tmp_path_factory):
    return copy_sample(tmp_path_factory.mktemp("sheet"))


def need(tool: str) -> str:
    exe = shutil.which(tool)
    if exe is None:
        pytest.skip(f"{tool} is not installed (Debian package poppler-utils)")
    return exe


def read_png(path) -> np.ndarray:
    from PySide6.QtGui import QImage
    img = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB888)
    a = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.bytesPerLine())
    return a[:, : img.width() * 3].reshape(img.height(), img.width(), 3).copy()


def region(a: np.ndarray, rect_mm, page_mm) -> np.ndarray:
    h, w = a.shape[:2]
    sx, sy = w / page_mm[0], h / page_mm[1]
    x0, y0 = int(rect_mm.left() * sx), int(rect_mm.top() * sy)
    x1, y1 = int(rect_mm.right() * sx), int(rect_mm.bottom() * sy)
    return a[y0 + 2:y1 - 2, x0 + 2:x1 - 2]


def ink(a: np.ndarray) -> float:
    """Share of clearly non-white pixels."""
    return float((a.min(axis=2) < 160).mean())


# -- layout ------------------------------------------------------------------------------
def test_nice_numbers():
    assert [nice_scale(v) for v in (7300, 10000, 10001, 21000, 26000, 480, 8000)] == [7500, 10000, 15000, 25000,
                                                                                         30000, 500, 10000]
    assert [nice_step(v) for v in (1390, 1000, 260, 4.9)] == [1000, 1000, 250, 2.5]
    with pytest.raises(UsageError):
        nice_scale(0)
    with pytest.raises(UsageError, match="unknown paper"):
        paper_size("B5", False)


@pytest.mark.parametrize("paper", list(PAPER_MM))
@pytest.mark.parametrize("landscape", [False, True])
def test_layout_parts_fit_inside_the_frame(paper, landscape):
    w, h = paper_size(paper, landscape)
    L = compute_layout(w, h)
    assert L.frame.left() == 25.0                              # the binding margin
    for part in (L.header, L.map, L.legend, L.notes, L.title_block):
        assert L.frame.contains(part), part
        assert part.width() > 20 and part.height() > 10
    # the title block sits in the lower right corner
    assert L.title_block.right() == pytest.approx(L.frame.right())
    assert L.title_block.bottom() == pytest.approx(L.frame.bottom())
    for a, b in ((L.map, L.legend), (L.map, L.title_block), (L.map, L.notes), (L.legend, L.title_block)):
        assert not a.intersects(b)
    assert L.map.width() * L.map.height() > 0.4 * L.frame.width() * L.frame.height()


def test_sheet_scale_and_extent(sample_copy):
    p = open_project(sample_copy, read_only=True)
    s = MapSheet(p, paper="A3", landscape=True)
    assert s.scale == 25000                                      # the round scale fitting the study area
    study = p.layers_with_role("study_area")[0].extent
    x0, y0, x1, y1 = s.extent
    assert x0 <= study[0] and y0 <= study[1] and x1 >= study[2] and y1 >= study[3]
    # the map frame at 1:25 000 covers exactly its size on paper
    assert (x1 - x0) == pytest.approx(s.layout.map.width() / 1000 * 25000)
    s2 = MapSheet(p, paper="A4", extent=(543000, 3369000, 545000, 3371000), scale=10000)
    assert s2.scale == 10000
    assert (s2.extent[0] + s2.extent[2]) / 2 == pytest.approx(544000)
    with pytest.raises(UsageError):
        MapSheet(p, extent=(5, 5, 1, 1))
    with pytest.raises(UsageError):
        MapSheet(p, scale=0)


# -- the PDF and the PNG -------------------------------------------------------------------
def test_export_pdf_renders_with_map_legend_and_title_block(sample_copy, cli, tmp_path):
    pdftoppm, pdftotext = need("pdftoppm"), need("pdftotext")
    pdf, png = tmp_path / "sheet.pdf", tmp_path / "sheet.png"
    r = cli("export", sample_copy, "--pdf", pdf, "--png", png, "--paper", "A3", "--landscape", "--dpi", "100",
            "--date", "2024-05-20", "--json")
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert info["paper"] == "A3" and info["orientation"] == "landscape" and info["scale"] == 25000

    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    for s in ("龙泉湖新区智慧城市顶层设计（示例）", "图例", "视频监控摄像机", "智慧灯杆", "主干路", "R2二类居住用地",
              "江城智慧城市规划设计研究院", "李明远", "王建华", "LQH-ZH-01", "1:25000", "2024-05-20", "EPSG:4547",
              "X=3370000", "Y=544000", "比例尺", "设计单位", "图号"):
        assert s in flat, s

    out = tmp_path / "page"
    subprocess.run([pdftoppm, "-r", "40", "-png", "-singlefile", str(pdf), str(out)], check=True)
    page = read_png(str(out) + ".png")
    sheet = MapSheet(open_project(sample_copy, read_only=True), paper="A3", landscape=True)
    L, page_mm = sheet.layout, sheet.page_size_mm()
    assert page.shape[1] > page.shape[0]                      # landscape
    m = region(page, L.map, page_mm)
    assert ink(m) > 0.7 and m.std() > 25                       # the map: imagery and design everywhere
    assert ink(region(page, L.legend, page_mm)) > 0.03         # legend symbols and words
    assert ink(region(page, L.title_block, page_mm)) > 0.03    # the title block's lines and words
    assert ink(region(page, L.header, page_mm)) > 0.01

    # vector layers stay vectors: the one large picture in the PDF is the orthophoto
    images = subprocess.run([shutil.which("pdfimages") or "pdfimages", "-list", str(pdf)], capture_output=True,
                            text=True).stdout.splitlines()[2:]
    big = [ln for ln in images if ln.split()[2] == "image" and int(ln.split()[3]) > 500]
    assert len(big) == 1, big

    a = read_png(png)
    assert a.shape[:2] == (round(297 / 25.4 * 100), round(420 / 25.4 * 100))
    assert ink(region(a, L.map, page_mm)) > 0.7


def test_title_block_shows_the_sign_off(sample_copy, cli, tmp_path):
    pdftotext = need("pdftotext")
    work = tmp_path / "reviewed.gpkg"
    shutil.copy(sample_copy, work)
    shutil.copytree(sample_copy.parent / "longquan_lake", tmp_path / "longquan_lake")
    r = cli("review", work, "--sign-off", "--decision", "revise", "--reviewer", "王建华")
    assert r.returncode == 0, r.stderr
    pdf = tmp_path / "a4.pdf"
    r = cli("export", work, "--pdf", pdf, "--paper", "A4", "--title", "视频监控规划图", "--sheet-number", "ZH-07",
            "--dpi", "60")
    assert r.returncode == 0, r.stderr
    flat = re.sub(r"\s+", "", subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True).stdout)
    assert "修改后再审（王建华）" in flat and "视频监控规划图" in flat and "ZH-07" in flat


@pytest.mark.parametrize("args, message", [
    ([], "--pdf"),
    (["--pdf", "x.pdf", "--extent", "1,2,3"], "XMIN,YMIN,XMAX,YMAX"),
    (["--pdf", "x.pdf", "--scale", "0"], "invalid scale"),
    (["--pdf", "x.pdf", "--dpi", "5"], "--dpi"),
    (["--pdf", "no/such/folder/x.pdf"], "does not exist"),
    (["--pdf", "x.png"], "should end in .pdf"),
    (["--pdf", "x.pdf", "--paper", "B5"], "invalid choice"),
])
def test_export_errors_are_one_line(sample_copy, cli, tmp_path, args, message):
    r = cli("export", sample_copy, *args, cwd=tmp_path)
    assert r.returncode == 2, r.stdout
    assert message in r.stderr and "Traceback" not in r.stderr
