"""In review mode the design palette gives its place to the review panel."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")
pytestmark = pytest.mark.gui

from smartgis.project import open_project  # noqa: E402

SAMPLE = Path(__file__).resolve().parents[1] / "sample_projects/longquan_lake.gpkg"


def test_review_mode_hides_the_palette_and_design_mode_brings_it_back(qtbot, qt_settings, tmp_path):
    from smartgis.ui.main_window import MainWindow
    path = tmp_path / "评审.gpkg"
    shutil.copyfile(SAMPLE, path)
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1400, 860)
    win.show()
    qtbot.waitExposed(win)
    palette = win.design_tools.dock
    review = win.findChild(type(palette), "review_dock")
    win.set_project(open_project(path))
    assert palette.isVisible()
    win.set_project(open_project(path, read_only=True))
    qtbot.waitUntil(lambda: review.isVisible())
    assert not palette.isVisible()
    # the review panel has the right-hand side to itself: (nearly) the full height of the map
    qtbot.waitUntil(lambda: review.height() > 0.8 * win.canvas.height())
    win.grab().save(str(tmp_path / "review_mode.png"))
    win.set_project(open_project(path))
    assert palette.isVisible()
