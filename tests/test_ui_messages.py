"""The model's messages in the Chinese window: check explanations in the check panel
(also for a run read back from the project file), error dialogs, layer errors on the
map, the import dialog; and the role fields of the layer properties dialog."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest
import shapely

pytest.importorskip("pytestqt")

from check_helpers import prague_project  # noqa: E402

from smartgis.project import open_project
from smartgis.i18n import Matched, Message, localize, set_language  # noqa: E402

pytestmark = pytest.mark.gui


def _shot(widget, name):
    folder = os.environ.get("SMARTGIS_SCREENSHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / name))


def _children(panel):
    out = []
    for i in range(panel.tree.topLevelItemCount()):
        top = panel.tree.topLevelItem(i)
        out += [top.child(k) for k in range(top.childCount())]
    return out


@pytest.fixture(scope="module")
def no_population_run(shared_data):
    from smartgis.analysis.check import run_check
    p = prague_project(shared_data, with_population=False)
    return p, run_check(p, chart=False)


# == check panel ================================================================================
def test_check_panel_explains_results_in_chinese(qtbot, no_population_run):
    from smartgis.ui.check_panel import RULE_ROLE, CheckPanel
    project, result = no_population_run
    res = next(r for r in result.rules if r.status == "na" and "no population layer" in r.reason)
    assert isinstance(res.reason, Message)
    set_language("zh")
    panel = CheckPanel()
    qtbot.addWidget(panel)
    panel.resize(520, 640)
    panel.hide_na.setChecked(False)
    panel.set_result(result, "zh")
    assert panel.select_rule(res.rule.id)
    detail = panel.detail.text()
    assert "没有人口图层（请将一个图层的用途设为“人口”）" in detail
    assert "no population layer" not in detail
    item = next(it for it in _children(panel) if it.data(0, RULE_ROLE) == res.rule.id)
    assert "没有人口图层" in item.toolTip(0)
    # a rule that applies shows its measured facts in Chinese too
    measured = next(r for r in result.rules if r.status in ("pass", "fail", "warning") and r.details)
    assert panel.select_rule(measured.rule.id)
    assert localize(measured.details[0], "zh") in panel.detail.text()
    _shot(panel, "check_panel_zh.png")
    # the same result in an English panel stays English
    panel.set_result(result, "en")
    assert panel.select_rule(res.rule.id)
    assert "no population layer (set a layer&#x27;s role to population)" in panel.detail.text()


def test_a_run_read_back_from_the_project_file_is_explained_in_chinese(qtbot, shared_data, tmp_path,
                                                                    no_population_run):
    from smartgis.analysis import runs
    from smartgis.core import Project
    from smartgis.ui.check_panel import CheckPanel
    project, result = no_population_run
    path = tmp_path / "布本内奇.gpkg"
    runs.save_run(project, result)
    project.save(path)
    stored = runs.stored_result(open_project(path, read_only=True))
    res = next(r for r in stored.rules if r.status == "na" and "no population layer" in r.reason)
    assert isinstance(res.reason, Message) and "{role}" in res.reason.template   # stored with its values
    # a file written before templates were stored: the English text is matched against the catalogue
    import sqlite3
    old_path = tmp_path / "旧版.gpkg"
    shutil.copy(path, old_path)
    with sqlite3.connect(old_path) as conn:
        conn.execute("UPDATE smartgis_check_results SET messages = NULL")
    old = runs.stored_result(open_project(old_path, read_only=True))
    old_res = next(r for r in old.rules if r.rule.id == res.rule.id)
    assert type(old_res.reason) is Matched and old_res.reason == res.reason
    set_language("zh")
    for shown in (stored, old):
        panel = CheckPanel()
        qtbot.addWidget(panel)
        panel.hide_na.setChecked(False)
        panel.set_result(shown, "zh")
        assert panel.select_rule(res.rule.id)
        assert "没有人口图层（请将一个图层的用途设为“人口”）" in panel.detail.text()


# == window: error dialogs and layer errors ======================================================
def test_error_dialog_shows_the_problem_in_chinese(main_window, tmp_path):
    from smartgis.project.store import open_project
    set_language("zh")
    missing = tmp_path / "规划.gpkg"
    with pytest.raises(Exception) as info:
        open_project(missing)
    box = main_window.show_error(info.value)
    assert box.text() == f"{missing}: 项目文件不存在"
    box.close()
    set_language("en")
    box = main_window.show_error(info.value)
    assert box.text() == f"{missing}: no such project file"
    box.close()


def _local_grid_raster(path):
    import rasterio
    from rasterio.crs import CRS
    from rasterio.transform import from_origin
    crs = CRS.from_wkt('LOCAL_CS["site grid",LOCAL_DATUM["site",0],UNIT["metre",1],AXIS["X",EAST],AXIS["Y",NORTH]]')
    with rasterio.open(path, "w", driver="GTiff", width=64, height=64, count=1, dtype="uint8", crs=crs,
                       transform=from_origin(1000, 2000, 10, 10)) as ds:
        ds.write(np.arange(64 * 64, dtype=np.uint8).reshape(64, 64), 1)
    return path


def test_a_layer_that_cannot_be_drawn_says_why_in_chinese(main_window, qtbot, tmp_path):
    from smartgis.core import Project, VectorLayer
    from smartgis.io.raster import raster_layer
    set_language("zh")
    p = Project("工程坐标", "EPSG:4547")
    p.add_layer(VectorLayer("范围", [shapely.box(500_000, 3_000_000, 501_000, 3_001_000)], crs="EPSG:4547"))
    lyr = raster_layer(_local_grid_raster(tmp_path / "site.tif"), "现场栅格")
    p.add_layer(lyr)
    with qtbot.waitSignal(main_window.canvas.layer_error, timeout=30_000):
        main_window.set_project(p)
    msg = main_window.canvas.layer_errors()[lyr.id]
    assert isinstance(msg, Message) and msg.startswith("the raster is in a local engineering CRS")
    assert main_window.layer_dock.model.errors[lyr.id] == \
        "栅格采用局部工程坐标系，无法转换到项目坐标系；请为栅格指定其真实的坐标参照系"
    assert "局部工程坐标系" in main_window.statusBar().currentMessage()
    _shot(main_window, "layer_error_zh.png")


# == import dialog ================================================================================
def test_import_dialog_explains_the_source_in_chinese(qtbot, shared_data, tmp_path):
    from smartgis.core import Project
    from smartgis.ui.import_dialog import ImportDialog
    set_language("zh")
    dlg = ImportDialog(Project("深圳", "EPSG:4547"), shared_data / "shenzhen-buildings" / "building.shp")
    qtbot.addWidget(dlg)
    assert "城市独立坐标系" in dlg.crs_hint.text()
    _shot(dlg, "import_dialog_zh.png")
    broken = tmp_path / "路网.shp"
    broken.write_bytes(b"")
    dlg.set_path(broken)
    assert dlg.error_label.text() == f"{broken}: 文件为空（0 字节）"


# == layer properties: the role's field ===========================================================
def _zones():
    from smartgis.core import AttributeTable, Field, VectorLayer
    geoms = [shapely.box(i * 100.0, 0, i * 100.0 + 90, 90) for i in range(5)]
    table = AttributeTable([Field("YDDM", "str"), Field("RK", "int"), Field("name", "str")],
                           {"YDDM": np.array(["R2", "R21", "B1", "M1", "G1"], dtype=object),
                            "RK": np.array([120, 80, 0, 0, 0]),
                            "name": np.array(list("abcde"), dtype=object)}, length=5)
    return VectorLayer("地块", geoms, table, crs="EPSG:4547")


def test_layer_properties_set_the_population_field(qtbot):
    from smartgis.core import Project
    from smartgis.ui.dialogs.layer_properties import LayerPropertiesDialog
    p = Project("t", "EPSG:4547")
    lyr = _zones()
    p.add_layer(lyr)
    d = LayerPropertiesDialog(lyr, p)
    qtbot.addWidget(d)
    d.show()
    assert not d.population_field.isVisible() and not d.use_field.isVisible()
    d.role.setCurrentIndex(d.role.findData("population"))
    assert d.population_field.isVisible() and not d.use_field.isVisible()
    assert d.population_field.currentData() == "RK"          # guessed: a numeric field named like people
    assert d.population_hint.text() == "200 people in 2 features"
    d.accept()
    assert lyr.role == "population" and lyr.props["population_field"] == "RK"
    from smartgis.analysis.context import CheckContext
    assert CheckContext(p).population().weights.sum() == pytest.approx(200)
    p.stack.undo()                                           # one step takes role and field back
    assert lyr.role is None and "population_field" not in lyr.props


def test_layer_properties_set_the_land_use_field_the_standards_read(qtbot):
    from smartgis.analysis.context import CheckContext
    from smartgis.core import Project, VectorLayer
    from smartgis.ui.dialogs.layer_properties import LayerPropertiesDialog
    p = Project("t", "EPSG:4547")
    lyr = _zones()
    p.add_layer(lyr)
    study = VectorLayer("范围", [shapely.box(-10, -10, 600, 100)], crs="EPSG:4547")
    p.add_layer(study)
    study.set_role("study_area")
    d = LayerPropertiesDialog(lyr, p)
    qtbot.addWidget(d)
    d.show()
    d.role.setCurrentIndex(d.role.findData("land_use"))
    assert d.use_field.isVisible() and d.use_field.currentData() == "YDDM"
    assert d.use_hint.text() == ("Zones the standards recognise: residential (R…) 2, commercial (A…/B…/S…) 1, "
                                 "green (G…) 1, industrial (M…/W…) 1")
    _shot(d, "layer_properties_land_use.png")
    d.accept()
    assert lyr.role == "land_use" and lyr.props["use_field"] == "YDDM"
    scope = CheckContext(p).scope("land_use", {"values": ["residential"], "prefix": ["R"]})
    assert scope.area == pytest.approx(2 * 90 * 90)
    d2 = LayerPropertiesDialog(lyr, p)
    qtbot.addWidget(d2)
    d2.use_field.setCurrentIndex(0)                          # (none): the checks then find no zones
    d2.accept()
    assert "use_field" not in lyr.props
    p.stack.undo()
    assert lyr.props["use_field"] == "YDDM"
