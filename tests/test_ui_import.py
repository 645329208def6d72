"""The import dialog and File → Import… / drag-and-drop in the main window (offscreen)."""

from __future__ import annotations

import os

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.gui

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QDropEvent  # noqa: E402

from smartgis.core.project import Project  # noqa: E402


@pytest.fixture
def project(tmp_path):
    p = Project("导入", "EPSG:4547")
    p.save(tmp_path / "导入.gpkg")
    return p


def test_dialog_previews_encoding_and_crs(qtbot, project, shared_data, tmp_path):
    from smartgis.ui.import_dialog import ImportDialog
    dlg = ImportDialog(project, shared_data / "hongkong-census/dcca.shp")
    qtbot.addWidget(dlg)
    assert dlg.tree.topLevelItemCount() == 1
    item = dlg.tree.topLevelItem(0)
    assert item.text(0) == "dcca" and item.text(2) == "390"
    assert "沙打" in dlg.sample.text() and "Big5" in dlg.encoding_how.text()
    assert "rebuilt" in dlg.notes.text()
    assert dlg.chosen_crs() is None or dlg.chosen_crs() != "EPSG:4490"
    dlg.set_crs("EPSG:2326")
    assert dlg.chosen_crs() == "EPSG:2326"
    # a wrong encoding chosen by hand shows at once in the sample
    dlg.encoding.setCurrentIndex(dlg.encoding.findData("gb18030"))
    assert "沙打" not in dlg.sample.text()
    dlg.encoding.setCurrentIndex(dlg.encoding.findData("big5hkscs"))
    assert "沙打" in dlg.sample.text()
    dlg.grab().save(str(tmp_path / "import_dialog.png"))
    opts = dlg.options()
    assert opts["crs"] == "EPSG:2326" and opts["encoding"] == "big5hkscs"


def test_dialog_suggests_a_crs_and_refuses_bad_files(qtbot, project, shared_data):
    from smartgis.ui.import_dialog import ImportDialog
    dlg = ImportDialog(project, shared_data / "cn-encodings/beijing.shp")
    qtbot.addWidget(dlg)
    assert dlg.chosen_crs() == "EPSG:4490" and "北京" in dlg.sample.text()
    assert dlg.buttons.button(dlg.buttons.StandardButton.Ok).isEnabled()
    dlg.set_path(shared_data / "formats/shapefile-broken/empty_zipfile.zip")
    assert "nothing SmartGIS can import" in dlg.error_label.text()
    assert not dlg.buttons.button(dlg.buttons.StandardButton.Ok).isEnabled()
    dlg.set_path(shared_data / "prague-urban/bubenec.gpkg")
    assert dlg.tree.topLevelItemCount() == 4
    dlg.tree.topLevelItem(0).setCheckState(0, Qt.Unchecked)
    assert len(dlg.options()["source_layers"]) == 3


def _window():
    from smartgis.ui import main_window
    return main_window.MainWindow()


def test_menu_action_and_worker_import(qtbot, project, shared_data, tmp_path):
    win = _window()
    qtbot.addWidget(win)
    win.set_project(project)
    feat = win.import_feature
    assert feat.action in win.menu("file").actions()
    dlg = feat.open_dialog(shared_data / "shenzhen-buildings/building.shp", exec_=False)
    qtbot.addWidget(dlg)
    dlg.set_crs("+proj=tmerc +lat_0=22.5 +lon_0=114 +k=1 +x_0=100000 +y_0=0 +ellps=GRS80 +units=m +no_defs")
    feat.start(dlg.options())
    qtbot.waitUntil(lambda: feat.last_report is not None, timeout=20000)
    assert project.layer("building").feature_count == 350
    win.resize(1200, 800)
    win.show()
    qtbot.wait(300)
    win.grab().save(str(tmp_path / "after_import.png"))
    project.save()  # the staged layer goes into the project file; nothing is left unsaved
    assert project.layer("building").staged is None and not project.is_modified


def test_drop_opens_the_dialog(qtbot, project, shared_data):
    win = _window()
    qtbot.addWidget(win)
    win.set_project(project)
    md = QMimeData()
    md.setUrls([QUrl.fromLocalFile(str(shared_data / "cgcs2000/province.geojson"))])
    feat = win.import_feature
    feat.open_dialog = lambda path=None, exec_=True: setattr(feat, "dropped", path)
    ev = QDropEvent(QPoint(10, 10), Qt.CopyAction, md, Qt.LeftButton, Qt.NoModifier)
    assert feat.eventFilter(win, ev)
    assert feat.dropped.endswith("province.geojson")


def _answer_location_question(qtbot, feat, button, seen):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    def answer():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.objectName() == "import_location_question":
            seen.append(box.informativeText())
            box.button(button).click()
        else:
            QTimer.singleShot(50, answer)
    QTimer.singleShot(50, answer)


def test_data_landing_away_from_the_project_asks_first(qtbot, project, shared_data):
    from PySide6.QtWidgets import QMessageBox
    win = _window()
    qtbot.addWidget(win)
    win.set_project(project)
    feat = win.import_feature
    seen = []
    # Prague in CGCS2000 zone 38: the window asks; "No" imports nothing
    _answer_location_question(qtbot, feat, QMessageBox.No, seen)
    feat.start({"path": str(shared_data / "prague-urban/bubenec.gpkg")})
    qtbot.waitUntil(lambda: bool(seen), timeout=20000)
    qtbot.waitUntil(lambda: "Nothing was imported" in win.statusBar().currentMessage()
                    or "未导入" in win.statusBar().currentMessage(), timeout=5000)
    assert not project.layers and feat.last_report is None
    assert "streets" in seen[0] or "buildings" in seen[0] or "plots" in seen[0]
    # "Yes" imports it, and the report keeps the warning
    _answer_location_question(qtbot, feat, QMessageBox.Yes, seen)
    feat.start({"path": str(shared_data / "prague-urban/bubenec.gpkg"), "source_layers": ["streets"]})
    qtbot.waitUntil(lambda: feat.last_report is not None, timeout=20000)
    assert len(seen) == 2 and [lyr.name for lyr in project.layers.values()] == ["streets"]
    assert any("outside the area" in w for w in feat.last_report.to_dict()["warnings"])
    project.save()   # nothing left unsaved for the window to ask about when it closes
