"""The control-point dialog in the real window: paste points, live RMS and residual table,
outliers in red, residual arrows on the map, picking a base point, saving the system,
and the import dialog and status bar offering it.

Control points are SYNTHETIC, from the stated grid assumption of tests/test_cli_crs.py
(no published Shenzhen grid relation was found); the buildings are the real Shenzhen
1:10,000 footprints of ../shared/data.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

pytest.importorskip("pytestqt")

pytestmark = pytest.mark.gui

from tests.test_cli_crs import shenzhen_control_points  # noqa: E402


@pytest.fixture
def shenzhen_project(tmp_path, shared_data):
    """A project with the Shenzhen buildings placed by the assumed grid's PROJ definition."""
    from smartgis.core.project import Project
    from smartgis.io import import_source
    from tests.test_cli_crs import ASSUMED_SZ_GRID
    p = Project("深圳", "EPSG:4547")
    import_source(p, shared_data / "shenzhen-buildings/building.shp", crs=ASSUMED_SZ_GRID)
    path = tmp_path / "sz.gpkg"
    p.save(path)
    return path


def _shot(widget, name):
    folder = os.environ.get("SMARTGIS_SCREENSHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / name))


def test_control_point_dialog_fits_live_and_saves(qtbot, window, shenzhen_project, tmp_path):
    assert window.open_project(shenzhen_project, ask=False)
    feature = window.local_crs_feature
    assert feature.action in window.menu("file").actions()
    dlg = feature.open_dialog()
    qtbot.addWidget(dlg)
    assert window.canvas.map_tool() is dlg.tool
    csv = shenzhen_control_points(tmp_path / "pts.csv", blunder="K05")
    rows = csv.read_text().splitlines()[1:]
    # Excel puts tab-separated cells on the clipboard, no header
    from PySide6.QtGui import QGuiApplication
    QGuiApplication.clipboard().setText("\n".join(r.replace(",", "\t") for r in rows))
    assert dlg.paste() == 12
    assert dlg.table.rowCount() == 12
    res = dlg.result
    assert res is not None and res.outliers == ["K05"] and res.refitted
    assert "RMS 0.0" in dlg.rms.text() and "K05" in dlg.rms.text()
    from smartgis.ui.dialogs.control_points import COL
    r5 = dlg.table.item(4, COL["r"])
    assert float(r5.text()) > 0.5 and r5.foreground().color().red() > 200
    # arrows: one per point, at the base positions, drawn on the canvas
    assert len(dlg.tool.points) == 12 and dlg.tool.flags[4]
    window.canvas.zoom_full()
    # unticking the blunder: it is excluded, no outlier any more, RMS stays small
    dlg.table.item(4, COL["use"]).setCheckState(Qt.Unchecked)
    assert dlg.result.outliers == [] and dlg.result.excluded == ["K05"] and dlg.result.rms_m < 0.02
    # the model choice refits: affine
    dlg.model.setCurrentIndex(dlg.model.findData("affine"))
    assert dlg.result.model == "affine" and "a1=" in dlg.params.text()
    dlg.model.setCurrentIndex(dlg.model.findData("helmert2d"))
    # picking a base point on the map fills the selected row's base coordinates
    dlg.table.setCurrentCell(0, COL["dst_x"])
    dlg.start_pick()
    cx, cy = window.canvas.to_map(QPointF(300, 200))
    qtbot.mouseClick(window.canvas, Qt.LeftButton, pos=QPointF(300, 200).toPoint())
    assert float(dlg.table.item(0, COL["dst_x"]).text()) == pytest.approx(cx, abs=0.01)
    assert float(dlg.table.item(0, COL["dst_y"]).text()) == pytest.approx(cy, abs=0.01)
    assert "K01" in dlg.result.outliers or dlg.result.worst(1)[0]["id"] == "K01"
    # take it back, save the system
    dlg.set_points([])
    dlg.import_csv(str(csv))
    assert dlg.table.rowCount() == 12 and dlg.result.outliers == ["K05"]
    dlg.name.setText("深圳独立坐标系")
    dlg.zoom_to_points()
    x0, y0, x1, y1 = window.canvas.extent()
    assert all(x0 < x < x1 and y0 < y < y1 for x, y in dlg.tool.points)
    qtbot.wait(300)
    _shot(window, "control-points-map.png")
    _shot(dlg, "control-points-dialog.png")
    dlg.save_system()
    from smartgis.project.local_crs import local_systems
    systems = local_systems(window.project)
    assert list(systems) == ["深圳独立坐标系"] and systems["深圳独立坐标系"].fit["outliers"] == ["K05"]
    assert window.project.is_modified
    # the status bar offers the grid and shows the cursor in it
    sb = window.statusBar()
    grid = feature.grid
    grid.setCurrentIndex(grid.findData("深圳独立坐标系"))
    x, y = systems["深圳独立坐标系"].to_base(117_000, 19_000)[0]
    sb.show_cursor(x, y)
    text = sb.grid_coords.text()
    assert "117000.0" in text.replace(",", "") and "19000.0" in text.replace(",", "")
    # the import dialog offers the project's local systems
    from smartgis.ui.import_dialog import ImportDialog
    imp = ImportDialog(window.project, None, window)
    qtbot.addWidget(imp)
    i = imp.crs.findData("深圳独立坐标系")
    assert i > 0
    imp.crs.setCurrentIndex(i)
    assert imp.chosen_crs() == "深圳独立坐标系"
    dlg.reject()
    assert window.canvas.map_tool() is not dlg.tool


def test_dialog_says_what_is_wrong_with_too_few_or_collinear_points(qtbot, window, tmp_path):
    from smartgis.core.project import Project
    p = Project("t", "EPSG:4547")
    path = tmp_path / "t.gpkg"
    p.save(path)
    assert window.open_project(path, ask=False)
    dlg = window.local_crs_feature.open_dialog()
    qtbot.addWidget(dlg)
    dlg.paste("A\t0\t0\t10\t10\nB\t100\t100\t110\t110")
    dlg.model.setCurrentIndex(dlg.model.findData("affine"))
    assert dlg.result is None and "at least 3" in dlg.rms.text()
    dlg.paste("C\t200\t200\t210\t210")
    assert dlg.result is None and "one line" in dlg.rms.text()
    assert not dlg.buttons.button(dlg.buttons.StandardButton.Save).isEnabled()
    dlg.reject()
