"""The check panel in the real window: run the check on the sample project, click a rule
to see its gaps on the map, accept proposed elements as one undoable step."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import shapely

pytest.importorskip("pytestqt")

pytestmark = pytest.mark.gui


def _shot(widget, name):
    folder = os.environ.get("SMARTGIS_SCREENSHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / name))


def test_run_check_click_rule_and_accept_proposal(qtbot, window, sample_copy):
    feature = window.check_feature
    panel = feature.panel
    assert window.menu("analysis").findChild(type(feature.run_action), "analysis_run_check") or \
        feature.run_action in window.menu("analysis").actions()
    assert window.open_project(sample_copy, ask=False)
    stored = panel.result   # the sample keeps the run it was built with
    feature.run_action.trigger()
    qtbot.waitUntil(lambda: panel.result is not stored and panel.result is not None, timeout=60000)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=60000)
    result = panel.result
    assert panel.tree.topLevelItemCount() > 0
    assert result.summary["fail"] >= 1 and "fail" in panel.summary.text().lower() or result.failed
    # the run is stored in the project and the gaps are a layer
    from smartgis.analysis.runs import GAPS_TABLE, runs
    assert runs(window.project)[-1]["run_id"] == result.run_id
    assert any(getattr(lyr, "table_name", None) == GAPS_TABLE for lyr in window.project.layers.values())
    assert window.project.is_modified

    # unverified numbers are marked in the list
    texts = []
    for i in range(panel.tree.topLevelItemCount()):
        top = panel.tree.topLevelItem(i)
        texts += [top.child(k).text(0) for k in range(top.childCount())]
    assert any(t.endswith("†") for t in texts)

    # clicking a failed coverage rule highlights its gaps and zooms to them
    rid = "GBT51328-2018/transit_500m"
    res = result.result(rid)
    assert res.status == "fail" and res.gaps is not None
    assert panel.select_rule(rid)
    canvas = window.canvas
    assert canvas._highlight is not None
    x0, y0, x1, y1 = canvas.extent()
    gx0, gy0, gx1, gy1 = res.gaps.bounds
    assert x0 <= gx0 + 1 and y0 <= gy0 + 1 and x1 >= gx1 - 1 and y1 >= gy1 - 1
    assert (x1 - x0) < 3 * (gx1 - gx0) + 500
    assert "†" in panel.detail.text()
    window.wait_for_render()
    _shot(window, "check_window.png")
    _shot(panel, "check_panel.png")

    # suggest, review on the map, accept as one undo step
    assert panel.suggest_button.isEnabled()
    n_before = window.project.design.layers["bus_stop"].feature_count
    panel.suggest_button.click()
    qtbot.waitUntil(lambda: panel.proposal is not None, timeout=60000)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=60000)
    sug = panel.proposal
    assert sug.count >= 1 and sug.met
    assert panel.accept_button.isEnabled()
    window.wait_for_render()
    _shot(window, "check_proposal.png")
    depth = window.project.stack._index
    panel.accept_button.click()
    assert window.project.design.layers["bus_stop"].feature_count == n_before + sug.count
    assert window.project.stack._index == depth + 1
    window.project.stack.undo()
    assert window.project.design.layers["bus_stop"].feature_count == n_before
    window.project.stack.redo()

    # checking again, the rule passes
    panel.standard_box.setCurrentIndex(panel.standard_box.findData("GBT51328-2018"))
    panel.run_button.click()
    qtbot.waitUntil(lambda: panel.result is not result and panel.result is not None, timeout=60000)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=60000)
    assert panel.result.result(rid).status == "pass"
    assert {r.rule.standard for r in panel.result.rules} == {"GBT51328-2018"}


def test_report_from_the_panel(qtbot, window, sample_copy, tmp_path):
    assert window.open_project(sample_copy, ask=False)
    feature = window.check_feature
    stored = feature.panel.result
    feature.run("PS-VIDEO-2015")
    qtbot.waitUntil(lambda: feature.panel.result is not stored and feature.panel.result is not None, timeout=60000)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=60000)
    out = tmp_path / "report.html"
    feature.write_report(str(out))
    html = out.read_text(encoding="utf-8")
    assert "<svg" in html and "PS-VIDEO-2015/key_area_coverage" in html


def test_stored_run_shows_when_the_project_is_opened(qtbot, window, sample_copy):
    from smartgis.analysis import runs as _runs
    from smartgis.analysis.check import run_check
    from smartgis.project import open_project
    from smartgis.ui.check_panel import RULE_ROLE
    p = open_project(sample_copy)
    result = run_check(p, standards=["PS-VIDEO-2015"])
    _runs.save_run(p, result)
    p.save()
    assert window.open_project(sample_copy, ask=False)
    panel = window.check_feature.panel
    assert panel.result is not None and panel.result.run_id == result.run_id
    # the shortfalls first (one group per severity tier), then the other rules under their standard
    tops = [panel.tree.topLevelItem(i).text(0) for i in range(panel.tree.topLevelItemCount())]
    assert len(tops) == 2 and tops[1] == "发改高技〔2015〕996号", tops
    first = panel.tree.topLevelItem(0)
    shown = [first.child(k).data(0, RULE_ROLE) for k in range(first.childCount())]
    assert "PS-VIDEO-2015/key_area_coverage" in shown
    assert all(panel.result.result(rid).status == "fail" for rid in shown)
    assert first.child(0).text(3) == panel.severity_names()["required"]
    # failures only: the rules that pass or do not apply disappear
    panel.failures_only.setChecked(True)
    assert panel.tree.topLevelItemCount() == 1
    listed = [first_child.data(0, RULE_ROLE) for first_child in
              (panel.tree.topLevelItem(0).child(k) for k in range(panel.tree.topLevelItem(0).childCount()))]
    assert listed == shown and "PS-VIDEO-2015/hd_share" not in listed
    _shot(panel, "check_panel_failures_only.png")
    panel.failures_only.setChecked(False)
    res = panel.result.result("PS-VIDEO-2015/key_area_coverage")
    assert res.gaps is not None and shapely.area(res.gaps) > 0
