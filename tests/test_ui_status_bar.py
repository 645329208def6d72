"""The status bar: surveying-order coordinates, CGCS2000 lon/lat, the scale box, CRS, render time."""

from __future__ import annotations

import pyproj
import pytest

pytest.importorskip("pytestqt")

from smartgis.ui.status_bar import MapStatusBar, format_scale, is_gauss_kruger, parse_scale  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("text, n", [("1:10000", 10000), ("1:10,000", 10000), ("1：2,500", 2500),
                                     ("5000", 5000), (" 1 : 500 ", 500), ("1:2 000", 2000), ("1:0", None),
                                     ("abc", None), ("", None), ("1:-5", None)])
def test_parse_scale(text, n):
    assert parse_scale(text) == n


def test_gauss_kruger_coordinates_use_the_surveying_order(qtbot):
    sb = MapStatusBar()
    qtbot.addWidget(sb)
    sb.set_crs("EPSG:4547")
    assert is_gauss_kruger("EPSG:4547") and not is_gauss_kruger("EPSG:32650")
    sb.show_cursor(521600.0, 3382000.0)
    assert sb.coords.text() == "X 3382000.00  Y 521600.00"      # X = northing, Y = easting
    assert "northing" in sb.coords.toolTip()
    lon, lat = pyproj.Transformer.from_crs("EPSG:4547", "EPSG:4490", always_xy=True).transform(521600, 3382000)
    assert sb.lonlat.text() == f"{lon:.6f}°E  {lat:.6f}°N"
    assert 114.0 < lon < 114.5 and 30.4 < lat < 30.7               # Wuhan
    sb.set_crs("EPSG:32650")
    sb.show_cursor(500000.0, 2500000.0)
    assert sb.coords.text() == "E 500000.00  N 2500000.00"
    assert sb.crs_button.text() == "EPSG:32650"


def test_scale_box_emits_typed_and_picked_scales(qtbot):
    from PySide6.QtCore import Qt
    sb = MapStatusBar()
    qtbot.addWidget(sb)
    sb.show()
    got = []
    sb.scale_entered.connect(got.append)
    sb.set_scale(12345.6)
    assert sb.scale_box.currentText() == format_scale(12345.6) == "1:12,346" and got == []
    le = sb.scale_box.lineEdit()
    le.selectAll()
    qtbot.keyClicks(le, "1:5000")
    qtbot.keyClick(le, Qt.Key_Return)
    assert got == [5000.0]
    qtbot.waitUntil(lambda: sb.scale_box.currentText() == "1:5,000")
    le.selectAll()
    qtbot.keyClicks(le, "1:10,000")               # exactly a listed scale: emitted once
    qtbot.keyClick(le, Qt.Key_Return)
    assert got == [5000.0, 10000.0]
    sb.scale_box.activated.emit(sb.scale_box.findData(2000.0))
    assert got[-1] == 2000.0
    sb.show_render(0.1234, 20554)
    assert sb.render_time.text() == "Rendered in 0.123 s" and "20,554" in sb.render_time.toolTip()
    sb.set_crs(None)
    assert not sb.crs_button.isEnabled()
