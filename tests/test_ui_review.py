"""The review panel in the real window: a reviewer pins comments and signs off in review
mode, the designer resolves them; File → Export map sheet writes a sheet."""

from __future__ import annotations


import pytest
import shapely

pytest.importorskip("pytestqt")
from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from smartgis.review import Review  # noqa: E402

from test_review import assert_only_review_tables_changed, table_fingerprints  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot):
    from smartgis.ui.main_window import MainWindow
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    yield w
    w.tasks.cancel_all()
    w.set_project(None)   # no unsaved-changes or work-in-progress question at teardown
    w.close()


def fill_dialog_later(qtbot, fill):
    """Fill in and accept the next modal dialog (dialogs run their own event loop)."""
    def go():
        dlg = QApplication.activeModalWidget()
        if dlg is None:
            QTimer.singleShot(50, go)
            return
        fill(dlg)
    QTimer.singleShot(50, go)


def test_reviewer_pins_comments_and_signs_off(qtbot, window, sample_copy):
    before = table_fingerprints(sample_copy)
    assert window.open_project(sample_copy, review=True, ask=False)
    feature = window.review_feature
    panel = feature.panel
    assert window.read_only and feature.dock.isVisible()
    assert panel.banner.isVisible() and panel.list.topLevelItemCount() == 0
    window.canvas.wait_for_render()

    # the comment tool: click on a camera on the map → a comment pinned on that element
    feature.comment_action.setChecked(True)
    assert window.canvas.map_tool() is panel.tool
    cams = window.project.design.layers["camera"]
    target = cams.geometries[0]
    window.canvas.set_extent((target.x - 150, target.y - 100, target.x + 150, target.y + 100))
    qtbot.wait(50)
    pos = window.canvas.to_pixel(target.x, target.y).toPoint()

    def fill(dlg):
        dlg.author.setText("王建华")
        dlg.text.setPlainText("该摄像机视场被建筑遮挡，建议调整朝向")
        dlg.accept()
    fill_dialog_later(qtbot, fill)
    qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.waitUntil(lambda: panel.list.topLevelItemCount() == 1, timeout=20000)

    # a comment on a place (no element there)
    panel.add_comment_at(target.x + 120, target.y + 90, None, text="此处缺少公共厕所", author="王建华")
    qtbot.waitUntil(lambda: panel.list.topLevelItemCount() == 2, timeout=20000)
    panel.sign_off("revise", "王建华", note="补充后再审")
    qtbot.waitUntil(lambda: "王建华" in panel.signoffs.text(), timeout=20000)
    # the sign-off is written by a later save on a worker thread than the comments: wait for it too
    qtbot.waitUntil(lambda: not Review.open(sample_copy).is_modified and len(Review.open(sample_copy).comments()) == 2
                    and Review.open(sample_copy).latest_signoff() is not None, timeout=20000)

    saved = Review.open(sample_copy)
    c1, c2 = saved.comments()
    assert c1.element_uid == cams.uids()[0] and c1.element_type == "camera" and c1.author == "王建华"
    assert c2.element_uid is None and shapely.Point(c2.x, c2.y).distance(target) > 100
    assert saved.latest_signoff().decision == "revise"
    # the review wrote its own tables only
    assert_only_review_tables_changed(sample_copy, before)
    # the pins are drawn over the map: an orange pin head above the camera
    img = window.canvas.grab().toImage()
    head = window.canvas.to_pixel(target.x, target.y)
    colours = [img.pixelColor(int(head.x()) + dx, int(head.y()) - 25 + dy) for dx in range(-3, 4) for dy in range(-3, 4)]
    assert any(c.red() > 180 and c.green() < 140 and c.blue() < 100 for c in colours)
    window.grab().save(str(sample_copy.parent / "review_window.png"))


def test_designer_sees_and_resolves_comments(qtbot, window, sample_copy):
    r = Review.open(sample_copy)
    r.add_comment("幼儿园服务半径不足", author="王建华", at=(545500, 3370800))
    r.save()
    assert window.open_project(sample_copy, review=False, ask=False)
    panel = window.review_feature.panel
    assert window.review_feature.dock.isVisible()       # comments are waiting for the designer
    assert not window.read_only
    assert panel.list.topLevelItemCount() == 1
    panel.list.topLevelItem(0).setSelected(True)
    assert panel.resolve_button.isEnabled()
    assert "幼儿园服务半径不足" in panel.detail.toPlainText()
    panel.zoom_to_selected()
    x0, y0, x1, y1 = window.canvas.extent()
    assert x0 < 545500 < x1 and y0 < 3370800 < y1
    panel.resolve_selected(note="已在湖东片区增设幼儿园")
    qtbot.waitUntil(lambda: Review.open(sample_copy).comments()[0].status == "resolved", timeout=20000)
    c = Review.open(sample_copy).comments()[0]
    assert c.resolution == "已在湖东片区增设幼儿园" and c.resolved_by == "李明远"
    # the panel shows it resolved: still selected, Reopen offered instead of Resolve
    qtbot.waitUntil(lambda: panel.reopen_button.isEnabled() and not panel.resolve_button.isEnabled(), timeout=20000)


def test_export_map_sheet_dialog(qtbot, window, sample_copy, tmp_path):
    from smartgis.ui.dialogs.export_sheet import ExportSheetDialog
    assert window.open_project(sample_copy, review=True, ask=False)
    dlg = ExportSheetDialog(window)
    qtbot.addWidget(dlg)
    assert not dlg.preview.pixmap().isNull()                   # the sample is small: previewed at once
    dlg.paper.setCurrentText("A4")
    dlg.portrait.setChecked(True)
    dlg.scale.setCurrentIndex(dlg.scale.findData(10000))
    dlg.pdf_path.setText(str(tmp_path / "a4.pdf"))
    dlg.png_on.setChecked(True)
    dlg.png_path.setText(str(tmp_path / "a4.png"))
    dlg.dpi.setValue(60)
    assert "1:10,000" in dlg.info.text() or "1:10 000" in dlg.info.text() or "10,000" in dlg.info.text()
    dlg._accept()
    qtbot.waitUntil(lambda: (tmp_path / "a4.pdf").exists() and (tmp_path / "a4.png").exists(), timeout=60000)
    assert (tmp_path / "a4.pdf").read_bytes()[:5] == b"%PDF-"
    from PySide6.QtGui import QImage
    img = QImage(str(tmp_path / "a4.png"))
    assert img.width() < img.height()                          # portrait
