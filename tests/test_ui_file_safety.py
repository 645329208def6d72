"""The window and hostile or shared project files: it warns about objects it does not run,
notices a project changed on disk by someone else, and shows text from the file as text."""

from __future__ import annotations

import sqlite3

import pytest

pytest.importorskip("pytestqt")
from PySide6.QtCore import Qt  # noqa: E402

import smartgis.review  # noqa: E402,F401  (review tables in the files written here)
from smartgis.project import open_project  # noqa: E402
from smartgis.review import Review  # noqa: E402

from helpers import sample_project  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture
def proj(tmp_path):
    path = tmp_path / "city.gpkg"
    sample_project(path)
    return path


@pytest.fixture
def window(qtbot):
    from smartgis.ui.main_window import MainWindow
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    yield w
    w.tasks.cancel_all()
    w.set_project(None)
    w.close()


def test_window_warns_about_foreign_triggers(window, proj):
    conn = sqlite3.connect(proj)
    conn.execute("CREATE TRIGGER evil AFTER INSERT ON smartgis_project BEGIN DELETE FROM design_camera; END")
    conn.commit()
    conn.close()
    assert window.open_project(proj, ask=False)
    box = window.file_safety.last_box
    assert box is not None and "'evil' on smartgis_project" in box.text()
    assert box.textFormat() == Qt.TextFormat.PlainText


def test_window_notices_a_project_changed_on_disk(window, proj):
    assert window.open_project(proj, ask=False)
    assert not window.file_safety.poll()
    other = open_project(proj)
    other.design.add("camera", (500300.0, 3380300.0))
    other.save()
    assert window.file_safety.poll()
    assert "changed on disk" in window.file_safety.last_box.text()
    assert not window.file_safety.poll()        # told once
    # a save here merges and makes the file ours again: no more warning
    window.project.design.add("air_quality", (500400.0, 3380400.0))
    window.project.save()
    assert not window.file_safety.poll()
    q = open_project(proj)
    assert q.design.counts().get("camera") == 2 and q.design.counts().get("air_quality") == 1


def test_review_text_from_the_file_is_plain_text(qtbot, window, proj):
    r = Review.open(proj)
    r.add_comment("<b style='font-size:60px'>大字</b>", author="<i>王</i>", at=(500100, 3380100))
    r.sign_off("<a href='http://x'>李专家</a>", "approve", note="<h1>通过</h1>")
    r.save()
    assert window.open_project(proj, review=True, ask=False)
    panel = window.review_feature.panel if hasattr(window.review_feature, "panel") else None
    if panel is None:
        from smartgis.ui.review_panel import ReviewPanel
        panel = window.findChild(ReviewPanel)
    qtbot.waitUntil(lambda: panel.review is not None, timeout=10000)
    panel.refresh()
    assert panel.signoffs.textFormat() == Qt.TextFormat.PlainText
    assert "<h1>通过</h1>" in panel.signoffs.text()
    panel.list.topLevelItem(0).setSelected(True)
    html = panel.detail.toHtml()
    assert "&lt;b style" in html and "&lt;i&gt;王&lt;/i&gt;" in html
    tip = panel.list.topLevelItem(0).toolTip(3)
    assert "&lt;b" in tip
