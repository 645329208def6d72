"""The map canvas: view, navigation, rendering (coalesced, cancelled, errors), overlays."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from smartgis.core import AttributeTable, Field, Project, VectorLayer
from smartgis.core.style import Symbol, VectorStyle
from smartgis.errors import SourceError
from smartgis.render.images import qimage_to_rgba
from smartgis.ui.canvas import MapCanvas

X0, Y0 = 500_000.0, 3_380_000.0
W, H = 400, 300


def grid_project(n_side=10, size=60.0, fill="#ff0000") -> Project:
    """n_side² squares of ``size`` metres on a 100 m grid from (X0, Y0)."""
    p = Project("grid", "EPSG:4547")
    i, j = np.meshgrid(np.arange(n_side), np.arange(n_side))
    x, y = X0 + i.ravel() * 100.0, Y0 + j.ravel() * 100.0
    t = AttributeTable([Field("code", "int")], {"code": list(range(n_side * n_side))})
    p.add_layer(VectorLayer("squares", shapely.box(x, y, x + size, y + size), t, crs="EPSG:4547",
                            style=VectorStyle(symbol=Symbol(fill=fill, stroke="#000000", stroke_width=0))))
    return p


@pytest.fixture
def canvas(qtbot):
    c = MapCanvas()
    c.resize(W, H)
    qtbot.addWidget(c)
    c.show()
    qtbot.waitExposed(c)
    yield c
    c.set_project(None)


def show(canvas, qtbot, project):
    with qtbot.waitSignal(canvas.render_finished, timeout=20_000):
        canvas.set_project(project)
    assert canvas.wait_for_render(20)


def pixel(canvas, x, y):
    """RGBA of the grabbed canvas at widget pixel (x, y)."""
    img = canvas.grab().toImage()
    return qimage_to_rgba(img)[int(y), int(x)].tolist()


def test_project_is_shown_at_full_extent(canvas, qtbot):
    p = grid_project()
    show(canvas, qtbot, p)
    x0, y0, x1, y1 = canvas.extent()
    ex = p.extent
    assert x0 <= ex[0] and y0 <= ex[1] and x1 >= ex[2] and y1 >= ex[3]
    assert (x1 - x0) / (y1 - y0) == pytest.approx(W / H)
    pt = canvas.to_pixel(X0 + 430, Y0 + 430)           # the middle of a square near the centre
    assert pixel(canvas, pt.x(), pt.y())[:3] == [255, 0, 0]
    assert canvas.map_image() is not None and canvas.layer_errors() == {}


def test_to_map_and_to_pixel_are_inverse(canvas, qtbot):
    show(canvas, qtbot, grid_project())
    x, y = canvas.to_map(QPointF(123.5, 77.25))
    pt = canvas.to_pixel(x, y)
    assert (pt.x(), pt.y()) == pytest.approx((123.5, 77.25))
    assert canvas.map_units_per_pixel() == pytest.approx((canvas.extent()[2] - canvas.extent()[0]) / W)


def test_typed_scale(canvas, qtbot):
    show(canvas, qtbot, grid_project())
    centre = canvas.to_map(QPointF(W / 2, H / 2))
    with qtbot.waitSignal(canvas.scale_changed) as sig:
        canvas.set_scale(2500)
    assert sig.args[0] == pytest.approx(2500)
    assert canvas.scale() == pytest.approx(2500)
    dpi = canvas.logicalDpiX()
    assert canvas.map_units_per_pixel() == pytest.approx(2500 * 0.0254 / dpi)
    assert canvas.to_map(QPointF(W / 2, H / 2)) == pytest.approx(centre)


def test_wheel_zoom_keeps_the_point_under_the_cursor(canvas, qtbot):
    show(canvas, qtbot, grid_project())
    pos = QPointF(100, 80)
    before = canvas.to_map(pos)
    mupp = canvas.map_units_per_pixel()
    ev = QWheelEvent(pos, canvas.mapToGlobal(pos), QPoint(0, 0), QPoint(0, 120), Qt.MouseButton.NoButton,
                     Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(canvas, ev)
    assert canvas.map_units_per_pixel() == pytest.approx(mupp / 2)
    assert canvas.to_map(pos) == pytest.approx(before)
    ev = QWheelEvent(pos, canvas.mapToGlobal(pos), QPoint(0, 0), QPoint(0, -240), Qt.MouseButton.NoButton,
                     Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(canvas, ev)
    assert canvas.map_units_per_pixel() == pytest.approx(mupp * 2)
    assert canvas.to_map(pos) == pytest.approx(before)


@pytest.mark.parametrize("button", [Qt.MouseButton.MiddleButton, Qt.MouseButton.LeftButton])
def test_drag_pans_by_the_dragged_pixels(canvas, qtbot, button):
    show(canvas, qtbot, grid_project())
    grabbed = canvas.to_map(QPointF(100, 100))
    ext = canvas.extent()
    mupp = canvas.map_units_per_pixel()
    QTest.mousePress(canvas, button, Qt.KeyboardModifier.NoModifier, QPoint(100, 100))
    QTest.mouseMove(canvas, QPoint(130, 120))
    QTest.mouseMove(canvas, QPoint(160, 140))
    QTest.mouseRelease(canvas, button, Qt.KeyboardModifier.NoModifier, QPoint(160, 140))
    new = canvas.extent()
    assert new[0] - ext[0] == pytest.approx(-60 * mupp)
    assert new[1] - ext[1] == pytest.approx(40 * mupp)
    assert canvas.to_map(QPointF(160, 140)) == pytest.approx(grabbed)   # the map followed the hand
    with qtbot.waitSignal(canvas.render_finished, timeout=20_000):
        pass
    fview = canvas._frame[1]
    assert fview.extent == pytest.approx(canvas.extent())


def test_panning_shows_the_old_map_moved_at_once(canvas, qtbot):
    show(canvas, qtbot, grid_project())
    pt = canvas.to_pixel(X0 + 430, Y0 + 430)
    canvas.pan_by(25, -15)
    QApplication.processEvents()
    assert canvas.is_rendering()                       # the new render is not done ...
    assert pixel(canvas, pt.x() + 25, pt.y() - 15)[:3] == [255, 0, 0]   # ... but the map is there
    assert canvas.wait_for_render(20)


def test_arrow_keys_pan_a_quarter_of_the_view(canvas, qtbot):
    show(canvas, qtbot, grid_project())
    ext = canvas.extent()
    QTest.keyClick(canvas, Qt.Key.Key_Right)
    assert canvas.extent()[0] - ext[0] == pytest.approx((ext[2] - ext[0]) / 4)
    QTest.keyClick(canvas, Qt.Key.Key_Up)
    assert canvas.extent()[1] - ext[1] == pytest.approx((ext[3] - ext[1]) / 4)
    mupp = canvas.map_units_per_pixel()
    QTest.keyClick(canvas, Qt.Key.Key_PageUp)
    assert canvas.map_units_per_pixel() == pytest.approx(mupp / 2)


def test_zoom_to_layer_selection_and_full(canvas, qtbot):
    p = grid_project()
    show(canvas, qtbot, p)
    lyr = p.layer("squares")
    canvas.set_scale(100_000)
    canvas.zoom_to_layer(lyr.id)
    x0, y0, x1, y1 = canvas.extent()
    e = lyr.extent
    assert x0 <= e[0] and x1 >= e[2] and y0 <= e[1] and y1 >= e[3]
    assert min((x1 - x0) / (e[2] - e[0]), (y1 - y0) / (e[3] - e[1])) < 1.1
    lyr.select([55])
    canvas.zoom_to_selection()
    x0, y0, x1, y1 = canvas.extent()
    assert x0 <= X0 + 500 and x1 >= X0 + 560 and (y1 - y0) < 100
    canvas.zoom_full()
    assert canvas.extent()[0] <= p.extent[0]


def test_refresh_requests_are_coalesced(canvas, qtbot):
    show(canvas, qtbot, grid_project())
    started = []
    canvas.render_started.connect(lambda: started.append(1))
    for _ in range(10):
        canvas.refresh()
    assert canvas.wait_for_render(20)
    assert len(started) == 1


def test_model_changes_redraw_the_map(canvas, qtbot):
    p = grid_project()
    show(canvas, qtbot, p)
    lyr = p.layer("squares")
    pt = canvas.to_pixel(X0 + 430, Y0 + 430)
    with qtbot.waitSignal(canvas.render_finished, timeout=20_000):
        lyr.select([44])                                # the selection lives in the model
    assert pixel(canvas, pt.x(), pt.y())[:3] == [255, 255, 0]
    with qtbot.waitSignal(canvas.render_finished, timeout=20_000):
        p.tree.node_for(lyr.id).visible = False
    assert pixel(canvas, pt.x(), pt.y())[:3] == [255, 255, 255]
    with qtbot.waitSignal(canvas.render_finished, timeout=20_000):
        p.add_layer(VectorLayer("blue", [shapely.box(X0 + 400, Y0 + 400, X0 + 460, Y0 + 460)], crs="EPSG:4547",
                                style=VectorStyle(symbol=Symbol(fill="#0000ff", stroke_width=0))))
    assert pixel(canvas, pt.x(), pt.y())[:3] == [0, 0, 255]


def test_a_layer_failing_shows_an_error_and_the_others_draw(canvas, qtbot, tmp_path):
    p = grid_project()
    broken = VectorLayer("broken", geometry_type="Polygon", crs="EPSG:4547")

    def loader(what):
        raise SourceError("the table is damaged", tmp_path / "p.gpkg")
    broken.attach_loader(loader, {"feature_count": 3, "extent": [X0, Y0, X0 + 900, Y0 + 900]})
    p.add_layer(broken)
    with qtbot.waitSignal(canvas.layer_error, timeout=20_000) as sig:
        canvas.set_project(p)
    assert sig.args[0] == broken.id and "damaged" in sig.args[1]
    assert canvas.wait_for_render(20)
    assert broken.id in canvas.layer_errors()
    pt = canvas.to_pixel(X0 + 430, Y0 + 430)
    assert pixel(canvas, pt.x(), pt.y())[:3] == [255, 0, 0]      # the good layer still draws
    img = qimage_to_rgba(canvas.grab().toImage())
    banner = img[8:30, 8:200, :3]
    assert ((banner[..., 0] > 150) & (banner[..., 1] < 60)).any()  # the red error banner


def test_a_new_view_cancels_the_running_render(canvas, qtbot):
    p = Project("heavy", "EPSG:4547")
    rng = np.random.default_rng(9)
    x, y = X0 + rng.uniform(0, 3000, 150_000), Y0 + rng.uniform(0, 2000, 150_000)
    p.add_layer(VectorLayer("many", shapely.box(x, y, x + 25, y + 25), crs="EPSG:4547",
                            style=VectorStyle(symbol=Symbol(fill="#d9c3a5", stroke="#6e5f4b", stroke_width=0.3))))
    jobs = []
    canvas.render_started.connect(lambda: jobs.append(canvas.current_job()))
    canvas.set_project(p)
    qtbot.waitUntil(lambda: len(jobs) >= 1, timeout=10_000)
    first = jobs[0]
    finished = []
    canvas.render_finished.connect(lambda s, n: finished.append(canvas.current_job()))
    canvas.set_extent((X0 + 1000, Y0 + 500, X0 + 1100, Y0 + 575))   # while the first render runs
    assert canvas.wait_for_render(30)
    assert first.cancelled
    assert finished and finished[-1] is not first
    assert canvas._frame[1].extent == pytest.approx(canvas.extent())


def test_highlight_is_drawn_on_top(canvas, qtbot):
    show(canvas, qtbot, grid_project(fill="#ffffff"))
    canvas.set_highlight([shapely.box(X0 + 200, Y0 + 200, X0 + 500, Y0 + 500)], "#ff00ff")
    pt = canvas.to_pixel(X0 + 350, Y0 + 350)
    r, g, b, _ = pixel(canvas, pt.x(), pt.y())
    assert r > g + 40 and b > g + 40                     # magenta tint
    edge = canvas.to_pixel(X0 + 200, Y0 + 350)
    assert pixel(canvas, edge.x(), edge.y())[:3] == [255, 0, 255]
    assert len(canvas.highlighted()) == 1
    canvas.clear_highlight()
    assert pixel(canvas, pt.x(), pt.y())[:3] != [255, 0, 255]


def test_scale_bar_and_north_arrow_are_drawn(canvas, qtbot):
    show(canvas, qtbot, grid_project(fill="#ffffff"))
    img = qimage_to_rgba(canvas.grab().toImage())
    assert (img[H - 30:H, 0:120, :3].sum(axis=2) < 100).any()     # scale bar, bottom left
    assert (img[0:60, W - 60:W, :3].sum(axis=2) < 100).any()      # north arrow, top right
    canvas.show_scale_bar = canvas.show_north_arrow = False
    canvas.update()
    img = qimage_to_rgba(canvas.grab().toImage())
    assert not (img[0:60, W - 60:W, :3].sum(axis=2) < 100).any()


def test_the_first_data_added_to_an_empty_project_is_shown_whole(canvas, qtbot):
    p = Project("empty", "EPSG:4547")
    canvas.set_project(p)
    assert canvas.wait_for_render(20)
    with qtbot.waitSignal(canvas.render_finished, timeout=20_000):
        p.add_layer(VectorLayer("far", [shapely.box(X0 + 5e4, Y0 + 5e4, X0 + 5e4 + 300, Y0 + 5e4 + 200)],
                                crs="EPSG:4547"))
    x0, y0, x1, y1 = canvas.extent()
    assert x0 <= X0 + 5e4 and x1 >= X0 + 5e4 + 300 and (x1 - x0) < 1000
