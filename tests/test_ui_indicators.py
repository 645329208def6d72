"""The indicator panel in the real window: score the sample project, see a derived
indicator's elements on the map, enter a value in place and find it after save and open."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

pytestmark = pytest.mark.gui


def test_score_select_and_enter_a_value(qtbot, window, sample_copy):
    from smartgis.indicators import CURRENT, assess, stored
    from smartgis.project import open_project
    from smartgis.ui.indicator_panel import COL_CURRENT, COL_TARGET
    window.open_project(str(sample_copy))
    feature = window.indicator_feature
    panel = feature.panel
    window.findChild(type(feature.action), "analysis_indicators").trigger()
    qtbot.waitUntil(lambda: panel.assessment is not None, timeout=120000)
    a = panel.assessment
    assert a.system.id == "GBT33356-2022" and a.stages[0] == CURRENT
    # the derived value shown is the model's, for the stage chosen (the last phase by default)
    want = assess(window.project).row("L2P2-A1").values[a.stages[-1]]
    item = panel.item_of("L2P2-A1")
    assert item.text(COL_TARGET) == f"{want:,.2f}".rstrip("0").rstrip(".")
    # selecting it shows its cameras on the map
    panel.tree.setCurrentItem(item)
    assert len(window.canvas.highlighted()) == len(window.project.design.layers["camera"].geometries)
    assert "PS-VIDEO-2015/key_area_coverage" in panel.detail.text()
    folder = os.environ.get("SMARTGIS_SCREENSHOTS")
    if folder:
        window.grab().save(str(Path(folder) / "indicator_panel.png"))
    # a value entered in place is stored, rescored and saved with the project
    before = a.score(CURRENT)
    panel.item_of("L1P1").setText(COL_CURRENT, "80")
    qtbot.waitUntil(lambda: panel.assessment is not a and panel.assessment.row("L1P1").values[CURRENT] == 80,
                    timeout=120000)
    assert panel.assessment.score(CURRENT) == pytest.approx(before + 4.0, abs=0.01)   # 80 % of 5 points
    window.project.save()
    assert stored(open_project(sample_copy), "GBT33356-2022")["L1P1"][CURRENT]["value"] == 80
    # another system chosen in the panel is scored and becomes the project's (the report's) system
    k = panel.system_box.findData("MOHURD-2012")
    panel.system_box.setCurrentIndex(k)
    panel.system_box.activated.emit(k)
    qtbot.waitUntil(lambda: panel.assessment.system.id == "MOHURD-2012", timeout=120000)
    assert window.project.settings["indicators"]["system"] == "MOHURD-2012" and window.project.is_modified
    assert panel.tree.topLevelItemCount() == 4
