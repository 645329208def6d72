"""The design tools on the real map canvas, driven by mouse and key events at pixel
positions computed from map coordinates (``canvas.to_pixel``)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

pytest.importorskip("pytestqt")

from PySide6.QtCore import QPoint, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from smartgis.project import open_project
from smartgis.core import AttributeTable, Field, Project, VectorLayer  # noqa: E402

pytestmark = pytest.mark.gui

X0, Y0 = 500000.0, 3380000.0
#: A road vertex with awkward decimals: snapping must land exactly on it.
VERTEX = (X0 + 100.123456, Y0 + 37.654321)


def make_project() -> Project:
    p = Project("设计工具", "EPSG:4547")
    roads = [shapely.LineString([(X0, Y0), VERTEX, (X0 + 200, Y0)]),
             shapely.LineString([(X0, Y0 + 150), (X0 + 200, Y0 + 150)])]
    t = AttributeTable([Field("class", "str")], {"class": ["primary", "secondary"]})
    p.add_layer(VectorLayer("roads", roads, t, crs="EPSG:4547", role="roads"))
    return p


@pytest.fixture
def win(main_window, qtbot, qt_settings):
    from smartgis.ui.features import design_tools
    from smartgis.ui.maptools.design.attribute_form import set_skip_form
    design_tools.install(main_window)
    set_skip_form(True)
    p = make_project()
    main_window.set_project(p)
    main_window.resize(1200, 800)
    canvas = main_window.canvas
    canvas.set_extent((X0 - 50, Y0 - 50, X0 + 250, Y0 + 200))
    canvas.wait_for_render()
    canvas.setFocus()
    return main_window


def px(canvas, x, y) -> QPoint:
    return canvas.to_pixel(x, y).toPoint()


def choose(win, type_id, variant=None):
    return win.design_tools.start_placing(type_id, variant)


def click(qtbot, canvas, x, y, button=Qt.LeftButton, mods=Qt.NoModifier):
    pos = px(canvas, x, y)
    qtbot.mouseMove(canvas, pos)
    qtbot.mouseClick(canvas, button, mods, pos)


def drag(qtbot, canvas, a, b, steps=4, mods=Qt.NoModifier):
    pa, pb = px(canvas, *a), px(canvas, *b)
    qtbot.mouseMove(canvas, pa)
    qtbot.mousePress(canvas, Qt.LeftButton, mods, pa)
    for k in range(1, steps + 1):
        qtbot.mouseMove(canvas, pa + (pb - pa) * k / steps)
    qtbot.mouseRelease(canvas, Qt.LeftButton, mods, pb)


def when_modal(cls, action, attempts=200):
    """Run ``action(dialog)`` on the next modal dialog of class ``cls``."""
    def poll(left=attempts):
        w = QApplication.activeModalWidget()
        if isinstance(w, cls):
            action(w)
        elif left:
            QTimer.singleShot(20, lambda: poll(left - 1))
    QTimer.singleShot(0, poll)


def only(design, type_id):
    els = list(design.elements(type_id))
    assert len(els) == 1, els
    return els[0]


# == palette ==========================================================================
def test_palette_lists_the_catalog_by_category_with_icons(win, qtbot):
    pal = win.design_tools.palette
    tops = [pal.tree.topLevelItem(i) for i in range(pal.tree.topLevelItemCount())]
    assert [t.childCount() for t in tops] == [len(win.project.catalog.by_category(c)) for c in pal.CATEGORIES]
    item = pal.item_for("camera")
    assert "视频监控摄像机" in item.text(0) and "Video camera" in item.text(0)
    assert not item.icon(0).isNull() and item.childCount() >= 2  # bullet, PTZ ... variants
    # clicking a variant starts placing it
    ptz = pal.item_for("camera", "ptz")
    pal.tree.scrollToItem(ptz)
    item.setExpanded(True)
    rect = pal.tree.visualItemRect(ptz)
    qtbot.mouseClick(pal.tree.viewport(), Qt.LeftButton, Qt.NoModifier, rect.center())
    tool = win.canvas.map_tool()
    assert (tool.type_id, tool.variant) == ("camera", "ptz")
    assert win.design_tools.place_action.isChecked()
    pal.search.setText("学")
    shown = [pal.item_for(t).isHidden() for t in ("primary_school", "middle_school", "camera")]
    assert shown == [False, False, True]


# == placing points ===================================================================
def test_click_places_a_point_and_undo_redo_round_trip(win, qtbot):
    canvas, design = win.canvas, win.project.design
    choose(win, "smart_pole")
    click(qtbot, canvas, X0 + 60, Y0 + 90)
    e = only(design, "smart_pole")
    tol = canvas.map_units_per_pixel()
    assert abs(e.geometry.x - (X0 + 60)) <= tol and abs(e.geometry.y - (Y0 + 90)) <= tol
    assert e.attributes["height_m"] == 10.0  # the type's default
    assert win.undo_stack.count() == 1 and win.windowTitle().startswith("*")
    win.undo_stack.undo()
    assert design.counts() == {}
    win.undo_stack.redo()
    assert only(design, "smart_pole").uid == e.uid


def test_the_attribute_form_opens_prefilled_with_the_defaults(win, qtbot):
    from smartgis.ui.maptools.design.attribute_form import AttributeForm, set_skip_form
    set_skip_form(False)
    seen = {}

    def fill(form):
        seen["range"] = form.editors["range_m"].widget.text()
        seen["mount"] = form.editors["mount"].widget.currentData()
        form.editors["name"].widget.setText("北门球机")
        form.editors["name"].touched = True
        form.accept()
    choose(win, "camera", "ptz")
    when_modal(AttributeForm, fill)
    click(qtbot, win.canvas, X0 + 40, Y0 + 100)
    assert seen == {"range": "100", "mount": "ptz"}
    e = only(win.project.design, "camera")
    assert e.attributes["name"] == "北门球机" and e.attributes["fov_deg"] == 360.0
    # cancelling the form places nothing
    when_modal(AttributeForm, lambda f: f.reject())
    click(qtbot, win.canvas, X0 + 80, Y0 + 100)
    assert win.project.design.counts() == {"camera": 1}


def test_dragging_while_placing_sets_a_cameras_direction(win, qtbot):
    choose(win, "camera")
    drag(qtbot, win.canvas, (X0 + 50, Y0 + 100), (X0 + 90, Y0 + 100))   # due east
    e = only(win.project.design, "camera")
    assert e.attributes["azimuth"] == pytest.approx(90.0, abs=1.0)
    assert abs(e.geometry.x - (X0 + 50)) <= win.canvas.map_units_per_pixel()


def test_snapping_lands_exactly_on_the_vertex_with_a_marker(win, qtbot):
    canvas = win.canvas
    tool = choose(win, "camera")
    mupp = canvas.map_units_per_pixel()
    near = (VERTEX[0] + 3 * mupp, VERTEX[1] - 2 * mupp)
    qtbot.mouseMove(canvas, px(canvas, *near))
    assert tool.snap is not None and tool.snap.kind == "vertex"
    img = canvas.grab().toImage()
    c = px(canvas, *VERTEX)
    marker = [img.pixelColor(c.x() + dx, c.y() - 6).name() for dx in range(-6, 7)]
    assert "#ff00ff" in marker  # the square marker around the vertex
    click(qtbot, canvas, *near)
    e = only(win.project.design, "camera")
    assert (e.geometry.x, e.geometry.y) == VERTEX
    # with snapping off the click stays where it was
    win.design_tools.actions["snapping"].setChecked(False)
    click(qtbot, canvas, *near)
    xs = sorted(el.geometry.x for el in win.project.design.elements("camera"))
    assert xs[1] != VERTEX[0] and abs(xs[1] - near[0]) <= mupp


def test_coverage_is_drawn_live_while_placing(win, qtbot):
    canvas = win.canvas
    choose(win, "camera")   # a 60 m, 90° view to the north by default
    at = (X0 + 120, Y0 + 60)
    qtbot.mouseMove(canvas, px(canvas, *at))
    img = canvas.grab().toImage()
    c = px(canvas, *at)
    r = int(40 / canvas.map_units_per_pixel())       # 40 m in pixels
    inside = img.pixelColor(c.x(), c.y() - r)
    outside = img.pixelColor(c.x(), c.y() + r)
    assert outside.name() == "#ffffff"
    assert inside.red() > inside.blue() + 20   # tinted with the camera's red
    # a gateway's coverage is a circle all round
    choose(win, "iot_gateway")
    qtbot.mouseMove(canvas, px(canvas, X0, Y0))
    qtbot.mouseMove(canvas, px(canvas, *at))
    img = canvas.grab().toImage()
    assert img.pixelColor(c.x(), c.y() + r).name() != "#ffffff"


# == drawing lines and areas ==========================================================
def test_sketch_a_line_backspace_escape_and_double_click(win, qtbot):
    canvas, design = win.canvas, win.project.design
    tool = choose(win, "fibre_access")
    pts = [(X0 + 10, Y0 + 60), (X0 + 60, Y0 + 80), (X0 + 150, Y0 + 70)]
    for p in pts:
        click(qtbot, canvas, *p)
    assert len(tool.vertices) == 3
    qtbot.keyClick(canvas, Qt.Key_Backspace)
    assert len(tool.vertices) == 2
    qtbot.keyClick(canvas, Qt.Key_Escape)
    assert tool.vertices == [] and design.counts() == {}
    for p in pts[:2]:
        click(qtbot, canvas, *p)
    end = (X0 + 190, Y0 + 110)
    qtbot.mouseMove(canvas, px(canvas, *end))
    qtbot.mouseClick(canvas, Qt.LeftButton, Qt.NoModifier, px(canvas, *end))
    qtbot.mouseDClick(canvas, Qt.LeftButton, Qt.NoModifier, px(canvas, *end))
    e = only(design, "fibre_access")
    xy = shapely.get_coordinates(e.geometry)
    assert len(xy) == 3
    expect = np.array([pts[0], pts[1], end])
    assert np.abs(xy - expect).max() <= canvas.map_units_per_pixel()
    assert e.attributes["cores"] == 24 and len(win.project.stack) == 1


def test_sketch_a_polygon_element(win, qtbot):
    canvas = win.canvas
    choose(win, "emergency_shelter", "emergency")
    corners = [(X0 + 20, Y0 + 60), (X0 + 80, Y0 + 60), (X0 + 80, Y0 + 120), (X0 + 20, Y0 + 120)]
    for p in corners[:-1]:
        click(qtbot, canvas, *p)
    qtbot.mouseMove(canvas, px(canvas, *corners[-1]))
    qtbot.mouseClick(canvas, Qt.LeftButton, Qt.NoModifier, px(canvas, *corners[-1]))
    qtbot.mouseDClick(canvas, Qt.LeftButton, Qt.NoModifier, px(canvas, *corners[-1]))
    e = only(win.project.design, "emergency_shelter")
    assert e.geometry.geom_type == "Polygon" and e.geometry.is_valid
    assert e.geometry.area == pytest.approx(3600, rel=0.05)
    assert e.attributes["shelter_class"] == "emergency"


# == selecting, deleting, copying =====================================================
def add_some(win):
    d = win.project.design
    cams = d.add_many("camera", [(X0 + 40, Y0 + 100), (X0 + 120, Y0 + 100)])
    pole = d.add("smart_pole", (X0 + 160, Y0 + 60), phase="二期")
    win.project.stack.clear()
    win.canvas.refresh()
    return cams, pole


def selected(win):
    from smartgis.ui.maptools.design.common import selected_uids
    return set(selected_uids(win.project))


def test_select_click_shift_box_and_delete_one_undo_step(win, qtbot):
    cams, pole = add_some(win)
    canvas = win.canvas
    win.design_tools.activate("select")
    click(qtbot, canvas, X0 + 41, Y0 + 101)
    assert selected(win) == {cams[0]}
    click(qtbot, canvas, X0 + 160, Y0 + 60, mods=Qt.ShiftModifier)
    assert selected(win) == {cams[0], pole}
    click(qtbot, canvas, X0 + 10, Y0 + 180)  # nothing there: clears
    assert selected(win) == set()
    drag(qtbot, canvas, (X0 + 100, Y0 + 120), (X0 + 200, Y0 + 40))
    assert selected(win) == {cams[1], pole}
    qtbot.keyClick(canvas, Qt.Key_Delete)
    assert win.project.design.counts() == {"camera": 1}
    assert win.undo_stack.count() == 1
    win.undo_stack.undo()
    assert win.project.design.counts() == {"camera": 2, "smart_pole": 1}


def test_copy_and_paste_at_the_cursor(win, qtbot):
    cams, pole = add_some(win)
    canvas = win.canvas
    win.design_tools.activate("select")
    click(qtbot, canvas, X0 + 160, Y0 + 60)
    qtbot.keyClick(canvas, Qt.Key_C, Qt.ControlModifier)
    target = (X0 + 30, Y0 + 20)
    qtbot.mouseMove(canvas, px(canvas, *target))
    qtbot.keyClick(canvas, Qt.Key_V, Qt.ControlModifier)
    poles = list(win.project.design.elements("smart_pole"))
    assert len(poles) == 2
    new = [e for e in poles if e.uid != pole][0]
    tol = canvas.map_units_per_pixel() * 1.5
    assert abs(new.geometry.x - target[0]) <= tol and abs(new.geometry.y - target[1]) <= tol
    assert new.attributes["phase"] == "二期"
    assert selected(win) == {new.uid}


def test_edit_the_attributes_of_many_elements_at_once(win, qtbot):
    from smartgis.ui.maptools.design import actions
    cams, pole = add_some(win)
    win.project.design.update([cams[0]], range_m=80)
    win.project.stack.clear()
    win.design_tools.activate("select")
    drag(qtbot, win.canvas, (X0 + 20, Y0 + 130), (X0 + 200, Y0 + 40))
    assert selected(win) == {*cams, pole}
    seen = {}

    def fill(form):
        seen["types"] = len(form.types)
        seen["phase"] = form.editors["phase"].widget.placeholderText()
        assert "range_m" not in form.editors  # only attributes all the selected types have
        form.editors["phase"].widget.setText("三期")
        form.editors["phase"].touched = True
        form.accept()
    actions.edit_attributes(win, form_hook=lambda f: QTimer.singleShot(0, lambda: fill(f)))
    assert seen["types"] == 2 and seen["phase"]   # phases differ: "(several values)"
    els = {e.uid: e for e in win.project.design.elements()}
    assert {e.attributes["phase"] for e in els.values()} == {"三期"}
    assert els[cams[0]].attributes["range_m"] == 80.0 and els[cams[1]].attributes["range_m"] == 60.0
    assert win.undo_stack.count() == 1
    win.undo_stack.undo()
    assert {e.attributes["phase"] for e in win.project.design.elements()} == {"二期", "一期"}
    assert win.project.design.element(pole).attributes["phase"] == "二期"


# == moving, rotating, reshaping ======================================================
def test_move_tool_drags_an_element_onto_a_vertex(win, qtbot):
    cams, pole = add_some(win)
    win.design_tools.activate("move")
    mupp = win.canvas.map_units_per_pixel()
    drag(qtbot, win.canvas, (X0 + 160, Y0 + 60), (VERTEX[0] + 2 * mupp, VERTEX[1] + 2 * mupp))
    e = win.project.design.element(pole)
    assert (e.geometry.x, e.geometry.y) == VERTEX
    assert win.undo_stack.count() == 1
    win.undo_stack.undo()
    assert win.project.design.element(pole).geometry.equals(shapely.Point(X0 + 160, Y0 + 60))


def test_rotate_a_camera_by_dragging_its_handle(win, qtbot):
    cams, _ = add_some(win)
    canvas = win.canvas
    tool = win.design_tools.activate("rotate")
    lyr, i = win.project.design.find(cams[0])
    h = tool.handle_of(lyr, i)        # azimuth 0: the handle is straight above the camera
    start = canvas.to_map(h)
    cam = lyr.geometries[i]
    assert start[0] == pytest.approx(cam.x, abs=canvas.map_units_per_pixel())
    drag(qtbot, canvas, start, (cam.x + 30, cam.y - 30))   # to the south-east
    assert win.project.design.element(cams[0]).attributes["azimuth"] == pytest.approx(135.0, abs=1.5)
    assert win.project.design.element(cams[1]).attributes["azimuth"] == 0.0
    win.undo_stack.undo()
    assert win.project.design.element(cams[0]).attributes["azimuth"] == 0.0


def test_vertex_tool_moves_adds_and_removes_vertices(win, qtbot):
    d = win.project.design
    uid = d.add("water_pipe", [(X0 + 20, Y0 + 100), (X0 + 100, Y0 + 120), (X0 + 180, Y0 + 100)])
    win.project.stack.clear()
    canvas = win.canvas
    tool = win.design_tools.activate("vertices")
    click(qtbot, canvas, X0 + 60, Y0 + 110)             # pick the pipe
    assert tool.uid == uid
    drag(qtbot, canvas, (X0 + 100, Y0 + 120), (X0 + 100, Y0 + 170))
    xy = shapely.get_coordinates(d.element(uid).geometry)
    assert len(xy) == 3 and abs(xy[1][1] - (Y0 + 170)) <= canvas.map_units_per_pixel()
    # double-click on the first edge adds a vertex there
    mid = ((xy[0][0] + xy[1][0]) / 2, (xy[0][1] + xy[1][1]) / 2)
    qtbot.mouseDClick(canvas, Qt.LeftButton, Qt.NoModifier, px(canvas, *mid))
    assert len(shapely.get_coordinates(d.element(uid).geometry)) == 4
    # hover the new vertex and delete it
    qtbot.mouseMove(canvas, px(canvas, *mid))
    qtbot.keyClick(canvas, Qt.Key_Delete)
    assert len(shapely.get_coordinates(d.element(uid).geometry)) == 3
    assert win.undo_stack.count() == 3
    for _ in range(3):
        win.undo_stack.undo()
    assert shapely.get_coordinates(d.element(uid).geometry)[1].tolist() == [X0 + 100, Y0 + 120]


# == batch layout, save and reopen ====================================================
def test_batch_layout_dialog_along_the_roads(win, qtbot):
    def fill(dlg):
        dlg.tabs.setCurrentIndex(0)
        dlg.along_type.setCurrentIndex(dlg.along_type.findData("smart_pole"))
        dlg.spacing.setValue(35)
        dlg.offset.setValue(8)
        dlg.both.setChecked(True)
        QTimer.singleShot(0, dlg.accept)
    uids = win.design_tools.batch_layout(dialog_hook=fill)
    assert len(uids) == win.project.design.counts()["smart_pole"] > 10
    pts = np.array([e.geometry for e in win.project.design.elements("smart_pole")])
    roads = win.project.layer("roads").geometries
    d = shapely.distance(pts[:, None], roads[None, :]).min(axis=1)
    assert np.allclose(d, 8.0, atol=1e-6)
    assert win.undo_stack.count() == 1


def test_gui_edits_survive_save_and_reopen(win, qtbot, tmp_path, validate_gpkg):
    canvas = win.canvas
    choose(win, "camera", "ptz")
    click(qtbot, canvas, X0 + 30, Y0 + 30)
    choose(win, "power_line")
    for p in [(X0 + 10, Y0 + 120), (X0 + 90, Y0 + 130)]:
        click(qtbot, canvas, *p)
    qtbot.keyClick(canvas, Qt.Key_Return)
    before = {e.uid: e for e in win.project.design.elements()}
    assert len(before) == 2
    path = win.project.save(tmp_path / "gui.gpkg")
    validate_gpkg(path)
    assert not win.windowTitle().startswith("*")
    after = {e.uid: e for e in open_project(path).design.elements()}
    assert set(after) == set(before)
    for uid, e in before.items():
        assert after[uid].attributes == e.attributes and after[uid].geometry.equals_exact(e.geometry, 1e-9)


def test_read_only_projects_cannot_be_edited(win, qtbot, tmp_path):
    path = win.project.save(tmp_path / "r.gpkg")
    win.set_project(open_project(path, read_only=True))
    assert not win.design_tools.actions["move"].isEnabled()
    assert win.design_tools.start_placing("camera") is None


def test_design_tools_join_the_window_tool_group(win, qtbot):
    dt = win.design_tools
    dt.activate("move")
    assert win.canvas.map_tool() is dt.tools["move"]
    pan = win.actions_["tool_pan"]
    pan.setChecked(True)
    assert not dt.actions["move"].isChecked() and win.canvas.map_tool() is not dt.tools["move"]
    assert math.isfinite(win.canvas.scale())


def test_batch_layout_that_places_nothing_says_why(win, qtbot):
    def at_intersections(dlg):
        dlg.tabs.setCurrentIndex(2)
        dlg.x_type.setCurrentIndex(dlg.x_type.findData("camera"))
        dlg.degree.setValue(1)                      # every road end: the two roads do not cross
        QTimer.singleShot(0, dlg.accept)
    first = win.design_tools.batch_layout(dialog_hook=at_intersections)
    assert first
    seen = {}

    def again(dlg):
        at_intersections(dlg)

        def check():
            box = getattr(dlg, "nothing_box", None)
            if box is None:
                QTimer.singleShot(20, check)
                return
            seen["text"] = box.informativeText()
            box.close()
            dlg.reject()
        QTimer.singleShot(20, check)
    assert win.design_tools.batch_layout(dialog_hook=again) == []
    assert f"{len(first)} of {len(first)} sites have a camera within 10 m already" in seen["text"]
    assert win.project.design.counts()["camera"] == len(first)
