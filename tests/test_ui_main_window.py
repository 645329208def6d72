"""The main window on a real project: open, layers, zoom, status bar, save, prompts,
review mode, features, recent files (offscreen, real widgets, real files)."""

from __future__ import annotations

import shutil
import sys

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from helpers import sample_project  # noqa: E402

from smartgis.project import open_project

pytestmark = pytest.mark.gui


@pytest.fixture
def bubenec(shared_data, tmp_path):
    """A copy of the Prague quarter GeoPackage (a plain GeoPackage opens as a project)."""
    dst = tmp_path / "bubenec.gpkg"
    shutil.copy(shared_data / "prague-urban" / "bubenec.gpkg", dst)
    return dst


def _settle(win):
    """Wait until the map is drawn (model events reach the canvas queued, so let them in first)."""
    from PySide6.QtWidgets import QApplication
    QApplication.processEvents()
    assert win.canvas.wait_for_render(60)


def _open(win, path, **kw):
    assert win.open_project(path, **kw)
    _settle(win)
    return win.project


def test_open_project_shows_layers_map_and_status(main_window, bubenec, qtbot):
    win = main_window
    seen = []
    win.project_changed.connect(seen.append)
    with qtbot.waitSignal(win.canvas.render_finished, timeout=60_000):
        assert win.open_project(bubenec)
    p = win.project
    assert seen == [p] and p.path == bubenec
    names = [win.layer_dock.model.index(r, 0).data() for r in range(win.layer_dock.model.rowCount())]
    assert names == [lyr.name for lyr in p.ordered_layers()]
    assert {"buildings", "plots", "streets"} <= set(names)
    assert win.windowTitle().startswith("bubenec") and "*" not in win.windowTitle()
    sb = win.statusBar()
    assert sb.crs_button.text() == "EPSG:3857"
    assert "s" in sb.render_time.text() and sb.render_time.text()[0].isalpha()
    assert sb.scale() == pytest.approx(win.canvas.scale(), rel=1e-3)
    # the map shows the whole quarter and is not blank
    img = win.canvas.map_image()
    assert img is not None and not img.isNull()
    ext = win.canvas.extent()
    px0, py0, px1, py1 = p.extent
    assert ext[0] <= px0 and ext[1] <= py0 and ext[2] >= px1 and ext[3] >= py1
    assert win.recent_files()[0] == str(bubenec)


def test_cursor_coordinates_in_status_bar(main_window, bubenec, qtbot):
    from PySide6.QtCore import QPointF
    from PySide6.QtTest import QTest
    win = main_window
    _open(win, bubenec)
    c = win.canvas
    QTest.mouseMove(c, QPointF(c.width() / 2, c.height() / 2).toPoint())
    x, y = c.to_map(QPointF(c.width() / 2, c.height() / 2))
    qtbot.waitUntil(lambda: bool(win.statusBar().coords.text()), timeout=5000)
    text = win.statusBar().coords.text()
    assert text.startswith("E ") and f"{x:.0f}"[:5] in text.replace(",", "")
    assert "°E" in win.statusBar().lonlat.text() and "°N" in win.statusBar().lonlat.text()


def test_zoom_actions_and_typed_scale(main_window, bubenec, qtbot):
    from PySide6.QtCore import Qt
    win = main_window
    p = _open(win, bubenec)
    c = win.canvas
    full = c.scale()
    win.action("zoom_in").trigger()
    assert c.scale() == pytest.approx(full / 2, rel=1e-6)
    win.action("zoom_out").trigger()
    win.action("zoom_out").trigger()
    assert c.scale() == pytest.approx(full * 2, rel=1e-6)
    # typing a scale in the status bar
    box = win.statusBar().scale_box
    box.lineEdit().setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), "1:2,500")
    qtbot.keyClick(box.lineEdit(), Qt.Key_Return)
    assert c.scale() == pytest.approx(2500, rel=1e-6)
    # zoom to a layer, to the selection, back to full
    streets = p.layer("streets")
    win.set_current_layer(streets)
    win.action("zoom_layer").trigger()
    e = c.extent()
    sx0, sy0, sx1, sy1 = streets.extent
    assert e[0] <= sx0 and e[2] >= sx1 and e[1] <= sy0 and e[3] >= sy1
    assert min(e[2] - e[0] - (sx1 - sx0), e[3] - e[1] - (sy1 - sy0)) < 0.2 * (sx1 - sx0)
    plots = p.layer("plots")
    plots.geometries  # noqa: B018 - loaded (zoom to selection needs the geometries)
    plots.select([5])
    win.action("zoom_selection").trigger()
    b = plots.bounds[5]
    e = c.extent()
    assert e[0] <= b[0] and e[2] >= b[2] and (e[2] - e[0]) < (sx1 - sx0) / 2
    qtbot.keyClick(c, Qt.Key_F, Qt.ControlModifier | Qt.ShiftModifier)
    assert c.scale() == pytest.approx(full, rel=1e-6)
    _settle(win)
    assert win.statusBar().scale() == pytest.approx(full, rel=1e-3)


def test_visibility_and_order_changes_mark_the_project_modified(main_window, bubenec, qtbot):
    from PySide6.QtCore import Qt
    win = main_window
    p = _open(win, bubenec)
    model = win.layer_dock.model
    idx = model.index_for_layer(p.layer("plots").id)
    assert model.setData(idx, Qt.Unchecked, Qt.CheckStateRole)
    assert p.layer("plots").id not in p.tree.render_order()
    assert win.windowTitle().startswith("*")
    _settle(win)
    before = p.tree.layer_order()
    data = model.mimeData([model.index_for_layer(p.layer("plots").id)])
    assert model.dropMimeData(data, Qt.MoveAction, 0, 0, model.index_for(p.tree))
    assert p.tree.layer_order()[0] == p.layer("plots").id
    assert sorted(p.tree.layer_order()) == sorted(before)


def test_unsaved_changes_prompt_save_discard_cancel(main_window, tmp_path, answer_dialog):
    from PySide6.QtWidgets import QMessageBox
    win = main_window
    p = sample_project(tmp_path / "p.gpkg")
    win.set_project(p)
    assert win.maybe_save()                       # nothing changed: no question
    p.design.add("camera", (500_500.0, 3_380_500.0), name="北门")
    assert win.windowTitle().startswith("*")
    seen = answer_dialog(QMessageBox.Cancel)
    assert not win.maybe_save()
    assert seen and "unsaved" in seen[0]
    seen = answer_dialog(QMessageBox.Cancel)
    assert not win.close() and win.isVisible()    # closing asks too
    answer_dialog(QMessageBox.Save)
    assert win.maybe_save()
    assert not p.is_modified and not win.windowTitle().startswith("*")
    from smartgis.core import Project
    assert open_project(tmp_path / "p.gpkg").design.counts()["camera"] == 2
    p.design.add("camera", (500_600.0, 3_380_600.0))
    answer_dialog(QMessageBox.Discard)
    assert win.maybe_save() and p.is_modified     # discarded: nothing written
    assert open_project(tmp_path / "p.gpkg").design.counts()["camera"] == 2


def test_undo_redo_from_the_edit_menu_and_delete(main_window, tmp_path, qtbot):
    from PySide6.QtCore import Qt
    win = main_window
    p = sample_project(tmp_path / "p.gpkg")
    win.set_project(p)
    lyr = p.layer("建筑物")
    win.set_current_layer(lyr)
    lyr.select([0, 1, 2])
    n = lyr.feature_count
    win.canvas.setFocus()
    qtbot.keyClick(win.canvas, Qt.Key_Delete)
    assert lyr.feature_count == n - 3
    assert win.action("undo").isEnabled() and "3" in win.action("undo").text()
    win.action("undo").trigger()
    assert lyr.feature_count == n and lyr.table.value(0, "名称") == "楼0号"
    win.action("redo").trigger()
    assert lyr.feature_count == n - 3
    win.action("undo").trigger()
    # Del in the layer tree removes the layer instead (after a question)
    assert p.stack.can_undo


def test_save_as_and_review_mode(main_window, tmp_path, qtbot):
    win = main_window
    p = sample_project()
    win.set_project(p)
    assert win.windowTitle().startswith("*")
    out = tmp_path / "saved.gpkg"
    assert win.save_project_as(out)
    assert out.exists() and p.path == out and not win.windowTitle().startswith("*")
    assert win.recent_files()[0] == str(out)
    assert win.open_project(out, review=True)
    assert win.read_only and win.project.read_only
    assert "[review" in win.windowTitle()
    assert not win.action("save").isEnabled() and not win.action("delete_selected").isEnabled()
    assert not win.save_project()
    box = win.last_error_box
    assert "read-only" in box.text()
    box.close()


def test_new_project_dialog_from_the_menu(main_window, qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from smartgis.ui.dialogs.new_project import NewProjectDialog
    win = main_window

    def fill():
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, NewProjectDialog):
            QTimer.singleShot(20, fill)
            return
        dlg.name.setText("光谷智慧城市")
        dlg.crs.set_search("CGCS2000 / 3-degree Gauss-Kruger CM 114E")
        dlg.accept()
    QTimer.singleShot(0, fill)
    win.action("new").trigger()
    assert win.project is not None and win.project.name == "光谷智慧城市"
    assert win.project.crs == "EPSG:4547"
    assert win.statusBar().crs_button.text() == "EPSG:4547"
    win.canvas.cursor_moved.emit(521600.0, 3382000.0)
    assert win.statusBar().coords.text() == "X 3382000.00  Y 521600.00"


def test_large_open_runs_off_the_gui_thread(main_window, tmp_path, qtbot):
    """Opening reads the file on a worker: the GUI thread keeps serving its timers."""
    import time
    from PySide6.QtCore import QTimer
    p = sample_project(tmp_path / "big.gpkg", n=20000)
    del p
    stamps = []
    t = QTimer()
    t.timeout.connect(lambda: stamps.append(time.perf_counter()))
    t.start(10)
    assert main_window.open_project(tmp_path / "big.gpkg")
    t.stop()
    assert main_window.project.layer("建筑物").feature_count == 20000
    assert len(stamps) >= 1


def test_opening_another_project_frees_the_first(qapp, qtbot, qt_settings, tmp_path):
    """Nothing in the window (review and check panels, canvas caches, undo) keeps a
    closed project alive: a million-building project must not stay in memory."""
    import gc
    import weakref
    from smartgis.ui.main_window import MainWindow
    sample_project(tmp_path / "a.gpkg", n=500)
    sample_project(tmp_path / "b.gpkg", n=500)
    win = MainWindow()                       # with every feature: review panel, check panel …
    qtbot.addWidget(win)
    win.show()
    try:
        first = _open(win, tmp_path / "a.gpkg")
        first.design.add("camera", (521600.0, 3382000.0))
        win.undo_stack.undo()
        first = weakref.ref(first)
        _open(win, tmp_path / "b.gpkg")
        gc.collect()
        assert first() is None
    finally:
        win.tasks.cancel_all()   # no "work in progress" question when qtbot closes it
        win.set_project(None)


def test_features_install_and_a_broken_one_is_reported(main_window, tmp_path, monkeypatch):
    pkg = tmp_path / "extra_features"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a_good.py").write_text(
        "from PySide6.QtGui import QAction\n"
        "def install(window):\n"
        "    act = QAction('Good thing', window)\n"
        "    act.setObjectName('good_thing')\n"
        "    act.setShortcuts(['Ctrl+S', 'Ctrl+Alt+G'])\n"
        "    window.menu('analysis').addAction(act)\n"
        "    window.toolbar('analysis').addAction(act)\n")
    (pkg / "b_broken.py").write_text("def install(window):\n    raise RuntimeError('vendor SDK missing')\n")
    (pkg / "c_after.py").write_text(
        "from PySide6.QtWidgets import QLabel\n"
        "def install(window):\n"
        "    window.add_dock(QLabel('panel'), title='After panel')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    win = main_window
    assert not win.menu("analysis").menuAction().isVisible()     # empty menus are hidden
    report = win.install_features("extra_features")
    assert report.installed == ["a_good", "c_after"]
    assert "vendor SDK missing" in report.failed["b_broken"][0]
    assert "b_broken" in win.statusBar().currentMessage()
    assert "vendor SDK missing" in win.last_error_box.text()
    win.last_error_box.close()
    assert win.menu("analysis").menuAction().isVisible()
    good = next(a for a in win.menu("analysis").actions() if a.objectName() == "good_thing")
    # Ctrl+S stays Save: a feature cannot make a built-in shortcut ambiguous
    assert [k.toString() for k in good.shortcuts()] == ["Ctrl+Alt+G"]
    assert report.shortcut_conflicts == [("a_good", "Good thing", "Ctrl+S")]
    assert win.action("save").shortcut().toString() == "Ctrl+S"
    assert any(a.text() == "After panel" for a in win.panels_menu.actions())
    sys.modules.pop("extra_features", None)


def test_window_api_for_features(main_window, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel
    win = main_window
    for key in ("file", "edit", "view", "layer", "design", "analysis", "review", "plugins", "settings", "help"):
        assert win.menu(key) is win.menu(key)
    tb = win.toolbar("design")
    assert tb is win.toolbar("design") and tb.windowTitle() == "Design"
    dock = win.add_dock(QLabel("x"), Qt.RightDockWidgetArea, "Element palette")
    assert win.dockWidgetArea(dock) == Qt.RightDockWidgetArea
    results = []
    task = win.run_task("Sum", lambda a, b, progress=None: a + b, 2, 3, on_done=results.append)
    qtbot.waitUntil(lambda: results == [5], timeout=10_000)
    assert not task.running
    shortcuts = dict(win.shortcut_rows())
    assert shortcuts["Save"] == "Ctrl+S" and shortcuts["Zoom full"] == "Ctrl+Shift+F"
    assert shortcuts["Refresh"] == "F5" and shortcuts["Open attribute table"] == "F6"
    assert "Ctrl+Z" in shortcuts["Undo"] and "Ctrl+Y" in shortcuts["Redo"]


def test_chinese_interface(qapp, qtbot, qt_settings):
    from smartgis.ui.app import create_app
    from smartgis.ui.main_window import MainWindow
    create_app("zh")
    win = None
    try:
        win = MainWindow(load_features=False)
        qtbot.addWidget(win)
        titles = [win.menu(k).title() for k in ("file", "edit", "view", "layer", "help")]
        assert titles == ["项目(&P)", "编辑(&E)", "视图(&V)", "图层(&L)", "帮助(&H)"]
        assert win.action("zoom_full").text() == "全图显示(&F)"
        assert win.layer_dock.windowTitle() == "图层"
        assert win.statusBar().crs_button.text() == "无坐标系"
        win.set_project(sample_project())
        win.canvas.cursor_moved.emit(521600.0, 3382000.0)
        assert win.statusBar().coords.text() == "X 3382000.00  Y 521600.00"
    finally:
        if win is not None:
            win.set_project(None)   # closing must not stop at the unsaved-changes question
        create_app("en")


def test_screenshot_command(tmp_path, bubenec, cli):
    out = tmp_path / "window.png"
    r = cli("gui", bubenec, "--screenshot", out, "--size", "1200x800", "--lang", "en",
            env={"QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "cfg")})
    assert r.returncode == 0, r.stderr
    from PySide6.QtGui import QImage
    img = QImage(str(out))
    assert img.width() == 1200 and img.height() == 800
    # the map area is not blank: many distinct colours
    ptr = img.convertToFormat(QImage.Format_RGB32).constBits()
    arr = np.frombuffer(ptr, dtype=np.uint32).reshape(img.height(), -1)
    assert len(np.unique(arr[200:700, 400:1100])) > 20


def test_map_tools_identify_select_measure(main_window, bubenec, qtbot):
    from PySide6.QtCore import QPoint, Qt
    from smartgis.ui.maptools import IdentifyTool, MeasureTool, PanTool, SelectTool
    win = main_window
    p = _open(win, bubenec)
    c = win.canvas
    assert isinstance(c.map_tool(), PanTool) and win.action("tool_pan").isChecked()
    buildings = p.layer("buildings")
    for lyr in p.vector_layers():            # only the buildings visible, for unambiguous clicks
        p.tree.node_for(lyr.id).visible = lyr is buildings
    _settle(win)
    # identify the building under a point: results in the dock, highlight on the map
    from smartgis.ui.features import identify_results
    identify_results.install(win)
    win.action("tool_identify").trigger()
    tool = c.map_tool()
    assert isinstance(tool, IdentifyTool)
    centre = buildings.geometries[0].representative_point()
    results = tool.identify_at(centre.x, centre.y)
    assert results and results[0].layer_name == "buildings" and results[0].index == 0
    view = win.identify_results
    assert view.isVisible() and view.topLevelItem(0).text(0) == "buildings"
    assert len(c.highlighted()) == 1
    # select with the select tool on the current layer: the table follows
    win.set_current_layer(buildings)
    win.open_attribute_table(buildings)
    win.action("tool_select").trigger()
    assert isinstance(c.map_tool(), SelectTool)
    c.set_extent(buildings.extent)
    _settle(win)
    qtbot.mousePress(c, Qt.LeftButton, pos=QPoint(2, 2))
    qtbot.mouseMove(c, QPoint(c.width() - 2, c.height() - 2))
    qtbot.mouseRelease(c, Qt.LeftButton, pos=QPoint(c.width() - 2, c.height() - 2))
    assert len(buildings.selection) == buildings.feature_count
    assert len(win.table_dock.selected_view_rows()) == buildings.feature_count
    # measure a distance: the result shows in the status bar
    win.action("tool_measure_line").trigger()
    tool = c.map_tool()
    assert isinstance(tool, MeasureTool) and tool.mode == "distance"
    a, b = c.to_pixel(*buildings.extent[:2]), c.to_pixel(buildings.extent[2], buildings.extent[1])
    qtbot.mouseClick(c, Qt.LeftButton, pos=a.toPoint())
    qtbot.mouseClick(c, Qt.LeftButton, pos=b.toPoint())
    qtbot.mouseClick(c, Qt.RightButton, pos=b.toPoint())
    m = tool.measurement()
    assert m["finished"] and m["planar"] == pytest.approx(buildings.extent[2] - buildings.extent[0], rel=0.02)
    assert "Distance" in win.statusBar().currentMessage()
