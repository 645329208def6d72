"""Map tools on the canvas: identify, measure, select, zoom box, pan."""

from __future__ import annotations

import numpy as np
import pyproj
import pytest
import shapely
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from smartgis.project import open_project
from smartgis.core import AttributeTable, Field, Project, RasterLayer, VectorLayer
from smartgis.core.style import RasterStyle, Symbol, VectorStyle
from smartgis.ui.canvas import MapCanvas
from smartgis.ui.maptools import IdentifyResultsView, IdentifyTool, MeasureTool, PanTool, SelectTool, ZoomTool
from smartgis.ui.maptools.geodesy import ellipsoidal_area, ellipsoidal_length, planar_area, planar_length

X0, Y0 = 500_000.0, 3_380_000.0
W, H = 400, 300


def grid_project(n_side=10) -> Project:
    p = Project("grid", "EPSG:4547")
    i, j = np.meshgrid(np.arange(n_side), np.arange(n_side))
    x, y = X0 + i.ravel() * 100.0, Y0 + j.ravel() * 100.0
    n = n_side * n_side
    t = AttributeTable([Field("code", "int"), Field("名称", "str")],
                       {"code": list(range(n)), "名称": [f"楼{k}" for k in range(n)]})
    p.add_layer(VectorLayer("squares", shapely.box(x, y, x + 60, y + 60), t, crs="EPSG:4547",
                            style=VectorStyle(symbol=Symbol(fill="#ff0000", stroke="#000000", stroke_width=0.2))))
    return p


@pytest.fixture
def canvas(qtbot):
    c = MapCanvas()
    c.resize(W, H)
    qtbot.addWidget(c)
    c.show()
    qtbot.waitExposed(c)
    yield c
    c.set_map_tool(None)
    c.set_project(None)


def show(canvas, qtbot, project):
    with qtbot.waitSignal(canvas.render_finished, timeout=20_000):
        canvas.set_project(project)
    assert canvas.wait_for_render(20)


def click(canvas, x, y, button=Qt.MouseButton.LeftButton, modifiers=Qt.KeyboardModifier.NoModifier):
    pt = canvas.to_pixel(x, y)
    QTest.mouseClick(canvas, button, modifiers, QPoint(round(pt.x()), round(pt.y())))


# -- identify ---------------------------------------------------------------------------------
def test_identify_finds_the_feature_under_the_cursor(canvas, qtbot):
    p = grid_project()
    show(canvas, qtbot, p)
    tool = IdentifyTool(canvas)
    canvas.set_map_tool(tool)
    view = IdentifyResultsView()
    qtbot.addWidget(view)
    view.attach(tool)
    with qtbot.waitSignal(tool.identified) as sig:
        click(canvas, X0 + 230, Y0 + 340)               # square (2, 3): code 32
    results = sig.args[0]
    assert len(results) == 1
    r = results[0]
    assert r.layer_name == "squares" and r.index == 32 and r.attributes == {"code": 32, "名称": "楼32"}
    assert r.fid == p.layer("squares").fids[32]
    assert len(canvas.highlighted()) == 1
    assert view.topLevelItemCount() == 1 and view.topLevelItem(0).child(0).childCount() == 2
    with qtbot.waitSignal(tool.identified) as sig:
        click(canvas, X0 + 280, Y0 + 380)               # between squares, beyond the tolerance
    assert sig.args[0] == []
    assert len(canvas.highlighted()) == 0


def test_identify_tolerance_and_topmost_first(canvas, qtbot):
    p = grid_project()
    p.add_layer(VectorLayer("points", [shapely.Point(X0 + 230, Y0 + 330)], crs="EPSG:4547"))
    show(canvas, qtbot, p)
    tool = IdentifyTool(canvas)
    mupp = canvas.map_units_per_pixel()
    res = tool.identify_at(X0 + 230 + 3 * mupp, Y0 + 330)      # 3 px from the point, inside the square
    assert [r.layer_name for r in res] == ["points", "squares"]
    res = tool.identify_at(X0 + 230 + 8 * mupp, Y0 + 330)      # 8 px: beyond the 5-pixel tolerance
    assert [r.layer_name for r in res] == ["squares"]


def test_identify_reads_only_the_rows_it_needs_from_a_saved_project(canvas, qtbot, tmp_path):
    path = grid_project(30).save(tmp_path / "grid.gpkg")
    p = open_project(path, read_only=True)
    lyr = p.layer("squares")
    show(canvas, qtbot, p)
    from smartgis.render.prepared import is_ready
    qtbot.waitUntil(lambda: is_ready(lyr, p.crs), timeout=20_000)   # read in the background after drawing
    res = IdentifyTool(canvas).identify_at(X0 + 1530, Y0 + 2230)     # square (15, 22)
    assert [r.attributes["code"] for r in res] == [22 * 30 + 15]
    assert res[0].attributes["名称"] == "楼675"
    assert not lyr.attributes_loaded


def test_identify_a_raster_value(canvas, qtbot, tmp_path):
    import rasterio
    from rasterio.transform import from_origin
    tif = tmp_path / "values.tif"
    data = np.arange(100, dtype=np.float32).reshape(10, 10)
    with rasterio.open(tif, "w", driver="GTiff", width=10, height=10, count=1, dtype="float32", crs="EPSG:4547",
                       transform=from_origin(X0, Y0 + 1000, 100, 100)) as ds:
        ds.write(data, 1)
    p = Project("r", "EPSG:4547")
    p.add_layer(RasterLayer("values", str(tif), crs="EPSG:4547", style=RasterStyle(mode="singleband"),
                            info={"bounds": [X0, Y0, X0 + 1000, Y0 + 1000], "count": 1}))
    show(canvas, qtbot, p)
    res = IdentifyTool(canvas).identify_at(X0 + 350, Y0 + 850)       # row 1, column 3
    assert len(res) == 1 and list(res[0].attributes.values()) == [13.0]


# -- measure -----------------------------------------------------------------------------------
def test_measure_planar_and_on_the_ellipsoid_away_from_the_central_meridian():
    """150 km east of the central meridian of EPSG:4547 the plane stretches lengths by the
    projection's scale factor k (~1.00028) and areas by k²; the ellipsoid values undo it."""
    crs = "EPSG:4547"
    x = 500_000 + 150_000
    line = [(x, 3_380_000), (x, 3_390_000)]
    lon, lat = pyproj.Transformer.from_crs(crs, "EPSG:4490", always_xy=True).transform(x, 3_385_000)
    f = pyproj.Proj(crs).get_factors(lon, lat)
    assert planar_length(line) == pytest.approx(10_000)
    assert ellipsoidal_length(line, crs) == pytest.approx(10_000 / f.meridional_scale, rel=2e-6)
    assert f.meridional_scale > 1.0002
    square = [(x, 3_384_500), (x + 1000, 3_384_500), (x + 1000, 3_385_500), (x, 3_385_500)]
    assert planar_area(square) == pytest.approx(1e6)
    assert ellipsoidal_area(square, crs) == pytest.approx(1e6 / f.areal_scale, rel=1e-5)
    # on the central meridian, plane and ellipsoid agree
    cm = [(500_000, 3_380_000), (500_000, 3_390_000)]
    assert ellipsoidal_length(cm, crs) == pytest.approx(10_000, rel=2e-6)


def test_measure_tool_by_clicks(canvas, qtbot):
    show(canvas, qtbot, grid_project())
    tool = MeasureTool(canvas, "distance")
    canvas.set_map_tool(tool)
    mupp = canvas.map_units_per_pixel()
    a, b = canvas.to_pixel(X0 + 100, Y0 + 100), canvas.to_pixel(X0 + 700, Y0 + 100)
    QTest.mouseClick(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a.toPoint())
    # a double click ends the line: its first click adds the last vertex
    QTest.mouseClick(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b.toPoint())
    with qtbot.waitSignal(tool.measured) as sig:
        QTest.mouseDClick(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b.toPoint())
    m = sig.args[0]
    assert m["finished"] and len(m["points"]) == 2
    assert m["planar"] == pytest.approx(600, abs=2 * mupp)
    assert m["ellipsoidal"] == pytest.approx(m["planar"], rel=1e-4)
    img = canvas.grab()                                  # the line and the result box are painted
    assert not img.isNull()
    area = MeasureTool(canvas, "area")
    canvas.set_map_tool(area)
    for pt in [(X0, Y0), (X0 + 500, Y0), (X0 + 500, Y0 + 400), (X0, Y0 + 400)]:
        area.add_point(*pt)
    area.finish()
    assert area.measurement()["planar"] == pytest.approx(200_000)
    assert "200,000.00 m²" in area.text()[0] or "200,000.0 m²" in area.text()[0]
    QTest.keyClick(canvas, Qt.Key.Key_Escape)
    assert area.points == []


# -- select -----------------------------------------------------------------------------------------
def test_select_by_click_shift_and_ctrl(canvas, qtbot):
    p = grid_project()
    show(canvas, qtbot, p)
    lyr = p.layer("squares")
    tool = SelectTool(canvas)
    canvas.set_map_tool(tool)
    changed = []
    lyr.selection_changed.connect(lambda: changed.append(1))
    click(canvas, X0 + 230, Y0 + 330)
    assert lyr.selection.tolist() == [32]
    click(canvas, X0 + 530, Y0 + 530, modifiers=Qt.KeyboardModifier.ShiftModifier)
    assert lyr.selection.tolist() == [32, 55]
    click(canvas, X0 + 230, Y0 + 330, modifiers=Qt.KeyboardModifier.ControlModifier)
    assert lyr.selection.tolist() == [55]
    click(canvas, X0 + 280, Y0 + 380)                    # nothing there: the selection is cleared
    assert lyr.selection.tolist() == []
    assert len(changed) == 4


def test_select_by_box(canvas, qtbot):
    p = grid_project()
    show(canvas, qtbot, p)
    lyr = p.layer("squares")
    tool = SelectTool(canvas, layer=lambda: lyr)
    canvas.set_map_tool(tool)
    a, b = canvas.to_pixel(X0 + 150, Y0 + 250), canvas.to_pixel(X0 + 320, Y0 + 120)
    with qtbot.waitSignal(tool.selection_made) as sig:
        QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a.toPoint())
        QTest.mouseMove(canvas, b.toPoint())
        QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b.toPoint())
    # the box reaches squares in columns 1..3 and rows 1..2
    assert lyr.selection.tolist() == [11, 12, 13, 21, 22, 23]
    assert sig.args[0] == {lyr.id: 6}
    with qtbot.waitSignal(canvas.render_finished, timeout=20_000):
        pass                                             # the selection is drawn
    pt = canvas.to_pixel(X0 + 230, Y0 + 230)
    from smartgis.render.images import qimage_to_rgba
    assert qimage_to_rgba(canvas.grab().toImage())[round(pt.y()), round(pt.x())].tolist()[:3] == [255, 255, 0]


# -- zoom and pan tools ----------------------------------------------------------------------------
def test_zoom_box_in_and_out(canvas, qtbot):
    show(canvas, qtbot, grid_project())
    tool = ZoomTool(canvas)
    canvas.set_map_tool(tool)
    a, b = canvas.to_pixel(X0 + 200, Y0 + 600), canvas.to_pixel(X0 + 400, Y0 + 450)
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a.toPoint())
    QTest.mouseMove(canvas, b.toPoint())
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b.toPoint())
    x0, y0, x1, y1 = canvas.extent()
    mupp = canvas.map_units_per_pixel()
    assert x0 == pytest.approx(X0 + 200, abs=3 * mupp) and x1 == pytest.approx(X0 + 400, abs=3 * mupp)
    assert (x0 + x1) / 2 == pytest.approx(X0 + 300, abs=3 * mupp) and (y0 + y1) / 2 == pytest.approx(Y0 + 525, abs=3)
    before = canvas.map_units_per_pixel()
    out = ZoomTool(canvas, zoom_in=False)
    canvas.set_map_tool(out)
    c = canvas.to_pixel(*canvas.to_map((W / 2, H / 2)))
    QTest.mouseClick(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, c.toPoint())
    assert canvas.map_units_per_pixel() == pytest.approx(before * 2)


def test_pan_tool_and_middle_button_with_any_tool(canvas, qtbot):
    show(canvas, qtbot, grid_project())
    canvas.set_map_tool(PanTool(canvas))
    ext = canvas.extent()
    mupp = canvas.map_units_per_pixel()
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(200, 150))
    QTest.mouseMove(canvas, QPoint(180, 170))
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(180, 170))
    assert canvas.extent()[0] - ext[0] == pytest.approx(20 * mupp)
    canvas.set_map_tool(MeasureTool(canvas))
    ext = canvas.extent()
    QTest.mousePress(canvas, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier, QPoint(200, 150))
    QTest.mouseMove(canvas, QPoint(210, 150))
    QTest.mouseRelease(canvas, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier, QPoint(210, 150))
    assert canvas.extent()[0] - ext[0] == pytest.approx(-10 * mupp)
    assert canvas.map_tool().points == []               # the measure tool saw no click
