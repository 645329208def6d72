"""Dialogs: the searchable CRS chooser and New project, layer properties with
categorized / graduated / label / raster styles (stored in the project file), settings."""

from __future__ import annotations

import shutil
import sqlite3

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from helpers import sample_project  # noqa: E402

from smartgis.project import open_project  # noqa: E402

pytestmark = pytest.mark.gui


# == CRS chooser and New project =================================================================
def test_crs_search_finds_the_gauss_kruger_zone(qtbot):
    from smartgis.ui.dialogs.crs_chooser import CrsChooser
    c = CrsChooser()
    qtbot.addWidget(c)
    c.set_search("CGCS2000 / 3-degree Gauss-Kruger CM 114E")
    assert c.visible_names()[0] == "CGCS2000 / 3-degree Gauss-Kruger CM 114E"
    assert c.selected_crs() == "EPSG:4547"
    # the Chinese names and abbreviations surveyors type
    c.set_search("国家2000 3度带 114")
    assert "EPSG:4547" in c.visible_codes()
    c.set_search("西安80 6度带")
    assert c.visible_codes() and all("Xian 1980" in n for n in c.visible_names())
    assert len(c.visible_codes()) == 22          # 11 zones, with and without the zone prefix
    c.set_search("4549")
    assert c.selected_crs() == "EPSG:4549"
    # geographic CRSs are listed but cannot be a project CRS
    c.set_search("4490")
    assert c.visible_codes() == ["EPSG:4490"] and c.selected_crs() is None
    assert "not a projected CRS" in c.details.text()


def test_crs_chooser_accepts_a_pasted_local_grid(qtbot):
    from smartgis.ui.dialogs.crs_chooser import CrsChooser
    c = CrsChooser()
    qtbot.addWidget(c)
    local = "+proj=tmerc +lat_0=0 +lon_0=114.05 +k=1 +x_0=0 +y_0=-2450000 +ellps=GRS80 +units=m +no_defs"
    c.set_search(local)
    crs = c.selected_crs()
    assert crs and crs.startswith("PROJCRS")
    assert "114.05" in crs
    c.set_search("EPSG:32650")                   # a listed one typed as a code
    assert c.selected_crs() == "EPSG:32650"
    # a grid without its ellipsoid is explained, not taken
    c.set_search("+proj=tmerc +lon_0=114 +x_0=500000")
    assert c.selected_crs() is None and "no ellipsoid or datum" in c.details.text()


def test_new_project_dialog_builds_the_project(qtbot):
    from smartgis.ui.dialogs.new_project import NewProjectDialog
    from PySide6.QtWidgets import QDialogButtonBox
    d = NewProjectDialog()
    qtbot.addWidget(d)
    ok = d.buttons.button(QDialogButtonBox.Ok)
    assert d.crs.selected_crs() == "EPSG:4547" and ok.isEnabled()
    d.name.setText("")
    assert not ok.isEnabled()
    d.name.setText("武汉光谷 智慧城市顶层设计")
    d.institute.setText("武汉市规划研究院")
    d.crs.set_search("CGCS2000 3-degree CM 120E")
    p = d.project()
    assert p.name == "武汉光谷 智慧城市顶层设计" and p.crs == "EPSG:4549"
    assert p.metadata["institute"] == "武汉市规划研究院"
    d.crs.set_search("4326")
    assert not ok.isEnabled()


# == layer properties and styles ==================================================================
@pytest.fixture
def bubenec_project(shared_data, tmp_path):
    from smartgis.core import Project
    dst = tmp_path / "bubenec.gpkg"
    shutil.copy(shared_data / "prague-urban" / "bubenec.gpkg", dst)
    return open_project(dst)


def test_categorized_style_round_trips_through_the_project_file(bubenec_project, qtbot, tmp_path):
    from smartgis.core import Project
    from smartgis.ui.dialogs.layer_properties import LayerPropertiesDialog
    p = bubenec_project
    plots = p.layer("plots")
    d = LayerPropertiesDialog(plots, p)
    qtbot.addWidget(d)
    w = d.style_widget
    w.renderer.setCurrentIndex(w.renderer.findData("categorized"))
    w.cat_field.setCurrentText("KATUZE_KOD")
    assert w.classify_categories()
    values = np.unique(plots.table.column("KATUZE_KOD"))
    assert w.cat_table.rowCount() == len(values)
    counts = [int(w.cat_table.item(r, 3).text().replace(",", "")) for r in range(w.cat_table.rowCount())]
    assert sum(counts) == plots.feature_count
    d.labels_widget.enabled.setChecked(True)
    d.labels_widget.field.setCurrentText("ID")
    d.opacity_spin.setValue(80)
    d.role.setCurrentIndex(d.role.findData("land_use"))
    d.name.setText("地块")
    d.accept()
    assert plots.name == "地块" and plots.opacity == pytest.approx(0.8) and plots.role == "land_use"
    st = plots.style
    assert st.renderer == "categorized" and st.field == "KATUZE_KOD"
    assert sorted(c.value for c in st.categories) == sorted(values.tolist())
    assert st.labels.enabled and st.labels.field == "ID"
    assert len({c.symbol.fill for c in st.categories}) == len(values)
    # one undo step restores everything
    assert p.stack.undo_text.startswith("Change properties of plots")
    p.stack.undo()
    assert plots.name == "plots" and plots.style.renderer == "single" and plots.opacity == 1.0
    p.stack.redo()
    out = tmp_path / "styled.gpkg"
    p.save(out)
    again = open_project(out).layer("地块")
    assert again.style.to_dict() == st.to_dict()
    # and QGIS gets it as QML
    with sqlite3.connect(out) as conn:
        qml = conn.execute("SELECT styleQML FROM layer_styles WHERE f_table_name=?",
                           (again.table_name,)).fetchone()[0]
    assert "categorizedSymbol" in qml and "KATUZE_KOD" in qml


def test_graduated_classes_equal_interval_and_quantile(qtbot):
    from smartgis.ui.dialogs.vector_style import VectorStyleWidget
    p = sample_project()
    lyr = p.layer("建筑物")
    w = VectorStyleWidget(lyr)
    qtbot.addWidget(w)
    w.renderer.setCurrentIndex(w.renderer.findData("graduated"))
    assert w.grad_field.findText("名称") < 0 and w.grad_field.findText("高度") >= 0
    w.grad_field.setCurrentText("高度")
    w.grad_classes.setValue(4)
    w.grad_method.setCurrentIndex(w.grad_method.findData("quantile"))
    assert w.classify_ranges()
    st = w.style()
    h = lyr.table.column("高度")
    assert st.renderer == "graduated" and len(st.ranges) == 4
    assert st.ranges[0].lower == pytest.approx(h.min()) and st.ranges[-1].upper == pytest.approx(h.max())
    counts = [int(w.grad_table.item(r, 4).text()) for r in range(4)]
    assert sum(counts) == len(h) and max(counts) - min(counts) <= 2      # about equal counts
    w.grad_method.setCurrentIndex(w.grad_method.findData("equal_interval"))
    w.classify_ranges()
    st = w.style()
    widths = [r.upper - r.lower for r in st.ranges]
    assert max(widths) == pytest.approx(min(widths))
    assert st.ranges[0].symbol.fill != st.ranges[-1].symbol.fill


def test_single_symbol_editor_for_points(qtbot):
    from smartgis.ui.dialogs.vector_style import VectorStyleWidget
    p = sample_project()
    cams = p.design.layer("camera")
    w = VectorStyleWidget(cams)
    qtbot.addWidget(w)
    w.renderer.setCurrentIndex(w.renderer.findData("single"))
    w.single.marker.setCurrentIndex(w.single.marker.findData("triangle"))
    w.single.size.setValue(5.5)
    w.single.fill.set_color("#ff000080")
    st = w.style()
    assert st.symbol.marker == "triangle" and st.symbol.size == 5.5 and st.symbol.fill == "#ff000080"


def test_too_many_categories_is_explained(qtbot):
    from smartgis.ui.dialogs.vector_style import VectorStyleWidget
    from smartgis.ui.dialogs import classify
    p = sample_project(n=classify.MAX_CATEGORIES + 20)
    w = VectorStyleWidget(p.layer("建筑物"))
    qtbot.addWidget(w)
    w.cat_field.setCurrentText("名称")
    assert not w.classify_categories()
    assert "520 distinct values" in w.message.text() and "graduated" in w.message.text()


def test_raster_style_page(shared_data, qtbot):
    import rasterio
    from smartgis.core.layers import RasterLayer
    from smartgis.ui.dialogs.layer_properties import LayerPropertiesDialog
    path = shared_data / "raster" / "shade.tif"
    with rasterio.open(path) as ds:
        info = {"width": ds.width, "height": ds.height, "count": ds.count, "dtype": ds.dtypes[0],
                "bounds": list(ds.bounds), "nodata": ds.nodata,
                "stats": [{"min": 0.0, "max": 255.0}]}
    lyr = RasterLayer("hillshade", str(path), info=info, crs="EPSG:3857")
    p = sample_project()
    p.add_layer(lyr)
    d = LayerPropertiesDialog(lyr, p)
    qtbot.addWidget(d)
    w = d.style_widget
    assert w.mode.currentData() == "singleband"            # one band: not RGB
    assert w.vmax.value() == 255.0 and not w.vmax.isEnabled()
    w.ramp.setCurrentIndex(w.ramp.findData("terrain"))
    w.auto.setChecked(False)
    w.vmin.setValue(20)
    d.apply()
    assert lyr.style.mode == "singleband" and lyr.style.ramp == "terrain" and lyr.style.vmin == 20.0
    w.mode.setCurrentIndex(w.mode.findData("hillshade"))
    w.azimuth.setValue(270)
    w.z_factor.setValue(2.5)
    d.apply()
    assert lyr.style.mode == "hillshade" and lyr.style.azimuth == 270 and lyr.style.z_factor == 2.5
    p.stack.undo()
    assert lyr.style.mode == "singleband"


def test_settings_dialog_stores_the_language(qt_settings, qtbot):
    from PySide6.QtCore import QSettings
    from smartgis.ui import i18n
    from smartgis.ui.dialogs.settings import SettingsDialog
    d = SettingsDialog()
    qtbot.addWidget(d)
    assert d.language.currentData() == ""
    d.language.setCurrentIndex(d.language.findData("zh"))
    assert d.note.isVisibleTo(d) and d.language_changed()
    d.accept()
    assert QSettings().value("ui/language") == "zh"
    assert i18n.current_language() == "zh" and i18n.current_language("en") == "en"
    i18n.save_language("")
    assert i18n.current_language() == i18n.system_language()


def test_classify_helpers_on_a_real_column(bubenec_project):
    from smartgis.ui.dialogs import classify
    col = bubenec_project.layer("plots").table.column("TYPPPD_KOD")
    values, counts = classify.unique_values(col)
    assert sum(counts) + int(np.sum([v is None for v in col])) == len(col)
    edges = classify.breaks(np.array([1, 2, 3, 4, 100.0]), 2, "quantile")
    assert edges == [1.0, 3.0, 100.0]
    assert classify.breaks(np.array([5, 5, 5]), 4) == [5.0, 5.0]
    assert classify.ramp_colors("Blues", 3) == ["#eff3ff", "#6baed6", "#08519c"]
    assert len(set(classify.palette_colors("Set3", 30))) == 30
    assert classify.is_numeric(np.array(["3", "12", None], dtype=object))
    assert not classify.is_numeric(np.array(["3", "x"], dtype=object))
