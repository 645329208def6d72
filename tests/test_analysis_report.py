"""The HTML report: summary, map of the gaps, coverage chart and rules table, in one file."""

from __future__ import annotations

import re

import numpy as np

from smartgis.analysis import run_check
from smartgis.analysis.report_html import html_report, write_html
from smartgis.analysis.svg import chart_svg, map_svg

from test_analysis_check import X0, Y0, square_project


def _result():
    p = square_project()
    p.design.add("bus_stop", (X0 + 300, Y0 + 300), radius_m=300.0)
    p.design.add("camera", (X0 + 1000, Y0 + 1000))
    return p, run_check(p, standards=["GBT51328-2018", "GB50180-2018", "MOHURD-2012"])


def test_html_report_content(tmp_path):
    p, res = _result()
    html = html_report(res, p, lang="zh")
    assert html.startswith("<!DOCTYPE html>") and "</html>" in html
    assert "智慧城市顶层设计标准符合性检查报告" in html and p.name in html
    # GB/T 51328 bus catchment (required) fails; no mandatory clause does: the verdict says which
    assert "有应满足的条款不符合" in html and "有强制性条文不符合" not in html
    # every rule is in the table, unverified ones marked
    for r in res.rules:
        assert r.rule.id in html
    assert html.count("class='ref'") >= sum(1 for r in res.rules if not r.rule.verified)
    assert "参考值——请以正式出版的标准文本为准" in html
    # self-contained: two inline SVG drawings, no external resources
    assert html.count("<svg") == 2 and not re.search(r"(src|href)=['\"]http", html)
    en = html_report(res, p, lang="en")
    assert "Every mandatory and required rule passes." not in en and "Required rules fail" in en
    out = write_html(res, p, tmp_path / "r.html", lang="en")
    assert out.read_text(encoding="utf-8") .count("<svg") == 2


def test_map_shows_the_gaps_of_failed_rules_and_the_chart_every_type():
    p, res = _result()
    svg = map_svg(p, res)
    failed = [r for r in res.rules if r.status == "fail" and r.gaps is not None]
    assert failed and all(f"<title>{r.rule.id}</title>" in svg for r in failed[:6])
    assert svg.count("<circle") >= 2                              # the two elements
    chart = chart_svg(res.type_coverage, p.catalog, "en")
    assert "Bus stop" in chart and "Video camera" in chart
    assert set(res.type_coverage) == {"bus_stop", "camera"}


def _path_elements(d: str) -> int:
    return len(re.findall(r"[MLZ]", d))


def test_map_of_a_dense_road_network_stays_valid_svg(qapp):
    # Qt's SVG reader truncates (and warns about) one path of more than 32767 elements;
    # a city's roads drawn as one path have more than that
    from PySide6.QtCore import QByteArray, qInstallMessageHandler
    from PySide6.QtSvg import QSvgRenderer
    from smartgis.core.layers import VectorLayer
    import shapely
    p, res = _result()
    rng = np.random.default_rng(7)
    x = X0 + rng.uniform(0, 2000, 30_000)
    y = Y0 + rng.uniform(0, 2000, 30_000)
    roads = VectorLayer("道路", shapely.linestrings(np.stack([np.stack([x, y], 1), np.stack([x + 3, y + 3], 1)], 1)),
                        crs=p.crs)
    p.add_layer(roads)
    roads.set_role("roads")
    svg = map_svg(p, res)
    paths = re.findall(r' d="([^"]*)"', svg)
    assert sum(_path_elements(d) for d in paths) > 40_000          # the network is all there
    assert max(_path_elements(d) for d in paths) <= 32_767
    warnings = []
    previous = qInstallMessageHandler(lambda kind, ctx, text: warnings.append(text))
    try:
        renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    finally:
        qInstallMessageHandler(previous)
    assert renderer.isValid() and not [w for w in warnings if "path" in w], warnings[:3]
