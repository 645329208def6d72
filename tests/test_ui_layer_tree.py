"""The layer tree dock: visibility, drag and drop order, groups, legend, warnings,
context menu, removal with undo."""

from __future__ import annotations

import shutil

import pytest

pytest.importorskip("pytestqt")

from helpers import buildings_layer, sample_project  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture
def tree_window(main_window):
    p = sample_project()
    p.add_layer(buildings_layer(30, name="学校", seed=2))
    p.add_layer(buildings_layer(20, name="医院", seed=3))
    main_window.set_project(p)
    return main_window


def _names(model, parent=None):
    from PySide6.QtCore import QModelIndex
    parent = parent or QModelIndex()
    return [model.index(r, 0, parent).data() for r in range(model.rowCount(parent))]


def test_rows_follow_the_model_tree(tree_window):
    win = tree_window
    p, model = win.project, win.layer_dock.model
    assert _names(model) == [n.name if hasattr(n, "name") else p.layers[n.layer_id].name for n in p.tree.children]
    assert "医院" in _names(model) and "学校" in _names(model)
    # a layer added from code (an import, a script) appears at once
    p.add_layer(buildings_layer(5, name="公园", seed=4))
    assert _names(model)[0] == "公园"


def test_checkbox_toggles_visibility_both_ways(tree_window):
    from PySide6.QtCore import Qt
    win = tree_window
    p, model = win.project, win.layer_dock.model
    school = p.layer("学校")
    idx = model.index_for_layer(school.id)
    assert idx.data(Qt.CheckStateRole) == Qt.Checked
    assert model.setData(idx, Qt.Unchecked, Qt.CheckStateRole)
    assert school.id not in p.tree.render_order()
    p.tree.node_for(school.id).visible = True      # changed from code: the box follows
    assert model.index_for_layer(school.id).data(Qt.CheckStateRole) == Qt.Checked
    win.action("hide_all").trigger()
    assert p.tree.render_order() == []
    win.action("show_all").trigger()
    assert len(p.tree.render_order()) == len(p.layers)


def test_drag_and_drop_reorders_and_groups(tree_window):
    from PySide6.QtCore import QModelIndex, Qt
    win = tree_window
    p, model = win.project, win.layer_dock.model
    hospital, school = p.layer("医院"), p.layer("学校")
    # move the hospital layer to the bottom of the root
    data = model.mimeData([model.index_for_layer(hospital.id)])
    assert model.canDropMimeData(data, Qt.MoveAction, model.rowCount(), 0, QModelIndex())
    assert model.dropMimeData(data, Qt.MoveAction, model.rowCount(), 0, QModelIndex())
    assert p.tree.children[-1].layer_id == hospital.id
    assert p.tree.layer_order()[-1] == hospital.id
    # a new group, then drop two layers onto it (they keep their order)
    group = win.layer_dock.add_group()
    assert _names(model)[0] == "New group"
    assert model.setData(model.index_for(group), "公共服务设施", Qt.EditRole)
    assert group.name == "公共服务设施"
    data = model.mimeData([model.index_for_layer(school.id), model.index_for_layer(hospital.id)])
    assert model.dropMimeData(data, Qt.MoveAction, -1, 0, model.index_for(group))
    assert [c.layer_id for c in group.children] == [school.id, hospital.id]
    gidx = model.index_for(group)
    assert _names(model, gidx) == ["学校", "医院"]
    # the group hides its layers
    model.setData(gidx, Qt.Unchecked, Qt.CheckStateRole)
    assert school.id not in p.tree.render_order() and hospital.id not in p.tree.render_order()
    # a group cannot be dropped into itself
    data = model.mimeData([gidx])
    assert not model.dropMimeData(data, Qt.MoveAction, 0, 0, gidx)
    # dropping a layer onto another layer puts it above that layer
    design_cam = p.design.layer("camera")
    data = model.mimeData([model.index_for_layer(design_cam.id)])
    assert model.dropMimeData(data, Qt.MoveAction, -1, 0, model.index_for_layer(hospital.id))
    assert [c.layer_id for c in group.children] == [school.id, design_cam.id, hospital.id]


def test_group_rename_ungroup_and_remove_are_undoable(tree_window, answer_dialog):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox
    from smartgis.ui.layer_tree import ungroup
    win = tree_window
    p, model, dock = win.project, win.layer_dock.model, win.layer_dock
    school, hospital = p.layer("学校"), p.layer("医院")
    group = dock.add_group()
    model.move_nodes([p.tree.node_for(school.id), p.tree.node_for(hospital.id)], group, 0)
    model.setData(model.index_for(group), "设施", Qt.EditRole)
    win.action("undo").trigger()
    assert group.name == "New group"
    win.action("redo").trigger()
    ungroup(p, group)
    assert group not in p.tree.children and p.tree.node_for(school.id).parent is p.tree
    win.action("undo").trigger()
    assert group in p.tree.children and [c.layer_id for c in group.children] == [school.id, hospital.id]
    # remove the group with its layers (after a question), then undo brings all back
    dock.view.setCurrentIndex(model.index_for(group))
    answer_dialog(QMessageBox.Yes)
    dock.remove_selected()
    assert school.id not in p.layers and hospital.id not in p.layers and group not in p.tree.children
    assert "学校" not in _names(model)
    win.action("undo").trigger()
    assert school.id in p.layers and hospital.id in p.layers
    assert [c.layer_id for c in group.children] == [school.id, hospital.id]
    # answering No keeps everything
    dock.view.setCurrentIndex(model.index_for_layer(school.id))
    answer_dialog(QMessageBox.No)
    dock.remove_selected()
    assert school.id in p.layers


def test_remove_layer_keeps_tree_position_and_visibility_on_undo(tree_window, answer_dialog):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox
    win = tree_window
    p, model, dock = win.project, win.layer_dock.model, win.layer_dock
    school = p.layer("学校")
    pos = [c for c in p.tree.children].index(p.tree.node_for(school.id))
    model.setData(model.index_for_layer(school.id), Qt.Unchecked, Qt.CheckStateRole)
    dock.view.setCurrentIndex(model.index_for_layer(school.id))
    dock.view.setFocus()
    answer_dialog(QMessageBox.Yes)
    from PySide6.QtTest import QTest
    QTest.keyClick(dock.view, Qt.Key_Delete)
    assert school.id not in p.layers
    win.action("undo").trigger()
    node = p.tree.node_for(school.id)
    assert p.tree.children.index(node) == pos and not node.visible


def test_unavailable_and_failed_layers_show_a_warning(tree_window, shared_data, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage
    from smartgis.core.layers import RasterLayer
    win = tree_window
    p, model = win.project, win.layer_dock.model
    missing = RasterLayer("正射影像", "/no/such/ortho.tif", info={"count": 3, "width": 10, "height": 10})
    missing.available = False
    missing.error = "raster source '/no/such/ortho.tif' not found"
    p.add_layer(missing)
    idx = model.index_for_layer(missing.id)
    assert "not found" in idx.data(Qt.ToolTipRole)
    assert idx.data(Qt.ForegroundRole) is not None
    icon = idx.data(Qt.DecorationRole)
    warn = win.style().standardIcon(win.style().StandardPixmap.SP_MessageBoxWarning)
    assert QImage(icon.pixmap(16).toImage()) == QImage(warn.pixmap(16).toImage())
    # a layer the renderer could not draw is marked the same way
    school = p.layer("学校")
    win.canvas.layer_error.emit(school.id, "bad geometry blob")
    assert "bad geometry blob" in model.index_for_layer(school.id).data(Qt.ToolTipRole)
    assert "bad geometry blob" in win.statusBar().currentMessage()


def test_categorized_style_shows_legend_rows(tree_window):
    from PySide6.QtCore import Qt
    from smartgis.ui.dialogs.layer_properties import apply_layer_changes
    from smartgis.ui.dialogs import classify
    win = tree_window
    p, model = win.project, win.layer_dock.model
    lyr = p.layer("建筑物")
    st = lyr.style.copy()
    st.renderer, st.field = "categorized", "公共"
    st.categories = classify.categorized(lyr.table.column("公共"), st.symbol)
    apply_layer_changes(p, lyr, style=st)
    idx = model.index_for_layer(lyr.id)
    assert _names(model, idx) == ["False", "True"]
    assert model.flags(model.index(0, 0, idx)) == Qt.ItemIsEnabled      # legend rows are not layers
    win.action("undo").trigger()
    assert model.rowCount(model.index_for_layer(lyr.id)) == 0


def test_context_menu_and_opacity_slider(tree_window):
    win = tree_window
    p, model, dock = win.project, win.layer_dock.model, win.layer_dock
    school = p.layer("学校")
    menu = dock.build_context_menu(model.index_for_layer(school.id))
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts[:2] == ["Zoom to layer", "Open attribute table"]
    assert "Properties…" in texts and "Remove" in texts
    opacity = dock.opacity_action(school, menu)
    opacity.slider.setValue(40)
    assert school.opacity == pytest.approx(0.4)
    assert win.windowTitle().startswith("*")
    opacity.slider.setValue(55)
    opacity.commit()                  # the menu closes: where the slider stopped is one undo step
    assert school.opacity == pytest.approx(0.55)
    assert p.stack.undo_text == "Change properties of 学校"
    n = len(p.stack)
    opacity.commit()
    assert len(p.stack) == n          # nothing more to record
    p.stack.undo()
    assert school.opacity == 1.0
    p.stack.redo()
    assert school.opacity == pytest.approx(0.55)
    menu.deleteLater()
    group_menu = dock.build_context_menu(model.index_for(dock.add_group()))
    assert "Ungroup" in [a.text() for a in group_menu.actions()]
    group_menu.deleteLater()


def test_current_layer_follows_the_tree(tree_window, qtbot):
    win = tree_window
    p, model, dock = win.project, win.layer_dock.model, win.layer_dock
    seen = []
    win.current_layer_changed.connect(seen.append)
    hospital, school = p.layer("医院"), p.layer("学校")
    assert win.current_layer() is hospital            # the top layer is current after opening
    dock.view.setCurrentIndex(model.index_for_layer(school.id))
    assert win.current_layer() is school and seen == [school]
    dock.view.setCurrentIndex(model.index_for_layer(hospital.id))
    assert win.current_layer() is hospital and seen[-1] is hospital
    assert win.action("attribute_table").isEnabled()
    # after a reset of the model (a move) the current layer stays
    model.move_nodes([p.tree.node_for(hospital.id)], p.tree, len(p.tree.children))
    assert win.current_layer() is hospital


def test_real_geopackage_layers(main_window, shared_data, tmp_path):
    from PySide6.QtCore import Qt
    dst = tmp_path / "bubenec.gpkg"
    shutil.copy(shared_data / "prague-urban" / "bubenec.gpkg", dst)
    assert main_window.open_project(dst)
    model = main_window.layer_dock.model
    tips = {model.index(r, 0).data(): model.index(r, 0).data(Qt.ToolTipRole) for r in range(model.rowCount())}
    assert "144 features" in tips["buildings"] and "Polygon" in tips["buildings"]
    assert "LineString" in tips["streets"]
