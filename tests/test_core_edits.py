"""The named edit commands: each one done, undone and redone leaves the model exactly as
it was at each step (no Qt); the window and the command line make the same command
with the same undo text, in Chinese under zh."""

from __future__ import annotations

import json

import numpy as np
import pytest
from helpers import buildings_layer, sample_project

from smartgis.core.edits import (AddGroup, DeleteFeatures, MoveNodes, RemoveNodes, RenameGroup, RenameLayer,
                                 SetLayerProperties, SetRole, SetValue, Ungroup, remove_layers)
from smartgis.core.layertree import LayerTreeGroup
from smartgis.errors import LayerError, UsageError
from smartgis.i18n import localize, set_language

SHENZHEN_GRID = "+proj=tmerc +lat_0=22.5 +lon_0=114 +k=1 +x_0=100000 +y_0=0 +ellps=GRS80 +units=m +no_defs"


def state(p) -> dict:
    """Everything an edit may change: the tree, every layer's name, properties, style and rows."""
    layers = {}
    for lid, lyr in p.layers.items():
        d = {"name": lyr.name, "opacity": lyr.opacity, "role": lyr.role, "props": dict(lyr.props or {}),
             "style": json.dumps(lyr.style.to_dict(), sort_keys=True, default=str)}
        if hasattr(lyr, "table"):
            d["fids"] = [int(f) for f in lyr.fids]
            d["wkb"] = [g.wkb_hex if g is not None else None for g in lyr.geometries]
            d["rows"] = [[lyr.table.value(i, f) for f in lyr.table.field_names] for i in range(lyr.feature_count)]
        layers[lid] = d
    tree = [{k: v for k, v in r.items()} for r in p.tree.to_rows()]
    return {"layers": layers, "tree": tree}


def project():
    p = sample_project(n=12)
    p.add_layer(buildings_layer(8, name="学校", seed=2))
    p.add_layer(buildings_layer(6, name="医院", seed=3))
    p.stack.clear()
    return p


def exactly(p, make):
    """Push ``make(p)``; undo and redo it twice, comparing the whole model each time."""
    before = state(p)
    cmd = p.stack.push(make(p))
    after = state(p)
    assert after != before, "the command changed nothing"
    for _ in range(2):
        assert p.stack.undo()
        assert state(p) == before
        assert p.stack.redo()
        assert state(p) == after
    return cmd


def test_delete_features_puts_rows_back_in_place():
    p = project()
    lyr = p.layer("学校")
    cmd = exactly(p, lambda p: DeleteFeatures(lyr, [5, 1, 3]))
    assert lyr.feature_count == 5 and cmd.text == "Delete 3 features of 学校"


def test_set_value_coerces_and_restores():
    p = project()
    lyr = p.layer("学校")
    field = next(f.name for f in lyr.fields if f.type in ("int", "float"))
    old = lyr.table.value(2, field)
    cmd = exactly(p, lambda p: SetValue(lyr, 2, field, "4321"))
    assert lyr.table.value(2, field) == 4321 and cmd.changes
    p.stack.undo()
    assert lyr.table.value(2, field) == old
    assert cmd.text == f"Edit {field} of feature {int(lyr.fids[2])}"
    assert not SetValue(lyr, 2, field, old).changes


def test_set_layer_properties_style_opacity_visibility_name():
    p = project()
    lyr = p.layer("医院")
    style = lyr.style.copy()
    style.symbol.fill = "#ff000080"
    cmd = exactly(p, lambda p: SetLayerProperties(p, lyr, name="综合医院", opacity=0.4, visible=False, style=style))
    assert (lyr.name, lyr.opacity, p.tree.node_for(lyr.id).visible) == ("综合医院", 0.4, False)
    assert cmd.text == "Change properties of 医院"
    assert not SetLayerProperties(p, lyr, opacity=0.4).changes


def test_set_role_checks_the_field_and_undoes():
    p = project()
    lyr = p.layer("学校")
    numeric = next(f.name for f in lyr.fields if f.type in ("int", "float"))
    text = next((f.name for f in lyr.fields if f.type == "str"), None)
    if text is not None:
        with pytest.raises(UsageError, match="numeric"):
            p.stack.push(SetRole(lyr, "population", p, population_field=text))
        assert lyr.role is None and "population_field" not in lyr.props and len(p.stack) == 0
    cmd = exactly(p, lambda p: SetRole(lyr, "population", p, population_field=numeric))
    assert lyr.role == "population" and lyr.props["population_field"] == numeric
    assert cmd.text == "Set the role of 学校 to population"
    p.stack.undo()
    assert lyr.role is None and "population_field" not in lyr.props


def test_rename_layer_refuses_a_taken_name():
    p = project()
    lyr = p.layer("学校")
    with pytest.raises(LayerError):
        RenameLayer(p, lyr, "医院")
    with pytest.raises(LayerError):
        RenameLayer(p, lyr, "  ")
    cmd = exactly(p, lambda p: RenameLayer(p, lyr, "小学"))
    assert cmd.text == "Rename layer 学校 to 小学"


def test_groups_add_rename_move_ungroup():
    p = project()
    add = exactly(p, lambda p: AddGroup(p, "公共服务"))
    group = add.group
    assert p.tree.children[0] is group and add.text == "Add group 公共服务"
    nodes = [p.tree.node_for(p.layer(n).id) for n in ("医院", "学校")]
    move = exactly(p, lambda p: MoveNodes(p, nodes, group, 0))
    assert [p.layers[n.layer_id].name for n in group.children] == ["医院", "学校"]
    assert move.text == "Move 医院, 学校"
    exactly(p, lambda p: RenameGroup(p, group, "设施"))
    with pytest.raises(LayerError):
        MoveNodes(p, [group], group, 0)
    ug = exactly(p, lambda p: Ungroup(p, group))
    assert group not in p.tree.children and ug.text == "Ungroup 设施"
    assert [p.layers[n.layer_id].name for n in p.tree.children[:2]] == ["医院", "学校"]


def test_remove_nodes_takes_layers_and_groups_whole():
    p = project()
    group = p.stack.push(AddGroup(p, "公共服务")).group
    for name in ("学校", "医院"):
        p.stack.push(MoveNodes(p, [p.tree.node_for(p.layer(name).id)], group, 0))
    school = p.layer("学校")
    # the group and a layer inside it: the group is removed once, with its layers
    cmd = exactly(p, lambda p: RemoveNodes(p, [group, p.tree.node_for(school.id)]))
    assert cmd.text == "Remove 公共服务" and "学校" not in [lyr.name for lyr in p.layers.values()]
    p.stack.undo()
    assert p.layer("学校") is school and school.id in [n.layer_id for n in group.layer_nodes()]
    # a design layer and its elements come back with the design
    exactly(p, lambda p: remove_layers(p, [p.layer("camera")]))
    p.stack.undo()
    assert p.design.counts()["camera"] == 1


def test_python_api_pushes_the_same_commands():
    p = project()
    lyr = p.layer("学校")
    p.rename_layer(lyr, "小学")
    assert p.stack.undo_text == "Rename layer 学校 to 小学"
    numeric = next(f.name for f in lyr.fields if f.type in ("int", "float"))
    p.set_layer_role("小学", "population", population_field=numeric)
    assert p.stack.undo_text == "Set the role of 小学 to population"
    assert p.set_layer_properties("小学", opacity=0.5) and p.stack.undo_text == "Change properties of 小学"
    p.remove_layers(["小学", "医院"])
    assert p.stack.undo_text == "Remove 小学, 医院"
    for _ in range(4):
        p.stack.undo()
    assert (lyr.name, lyr.role, lyr.opacity) == ("学校", None, 1.0) and p.layer("医院")


def test_undo_texts_in_chinese():
    p = project()
    lyr = p.layer("学校")
    p.stack.push(DeleteFeatures(lyr, [0]))
    p.stack.push(RenameLayer(p, lyr, "小学"))
    group = p.stack.push(AddGroup(p, "设施")).group
    p.stack.push(Ungroup(p, group))
    p.remove_layers(["小学", "医院"])
    texts = [p.stack.command(i).text for i in range(len(p.stack))]
    set_language("zh")
    try:
        zh = [localize(t) for t in texts]
    finally:
        set_language("en")
    assert zh == ["删除 学校 的 1 个要素", "将图层 学校 重命名为 小学", "添加组 设施", "取消分组 设施", "移除 小学、医院"]


@pytest.fixture
def buildings_project(tmp_path, shared_data, cli):
    from smartgis.core.project import Project
    path = tmp_path / "深圳.gpkg"
    Project("深圳", "EPSG:4547").save(path)
    r = cli("import", path, shared_data / "shenzhen-buildings/building.shp", "--crs", SHENZHEN_GRID)
    assert r.returncode == 0, r.stderr
    return path


@pytest.mark.gui
def test_window_and_command_line_make_the_same_command(buildings_project, tmp_path, cli, main_window,
                                                       answer_dialog):
    """Rename, role and removal: the command line prints the undo text the window shows,
    in English and in Chinese."""
    import shutil
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox
    from smartgis.project import open_project
    from smartgis.ui.dialogs.layer_properties import apply_layer_changes
    mine = tmp_path / "window.gpkg"
    shutil.copy(buildings_project, mine)
    win = main_window
    win.set_project(open_project(mine))
    p, model, dock = win.project, win.layer_dock.model, win.layer_dock
    lyr = p.layer("building")
    window = []
    # F2 in the tree (English), the properties dialog's role, Del (Chinese)
    assert model.setData(model.index_for_layer(lyr.id), "建筑2009", Qt.EditRole)
    window.append(win.undo_stack.undoText())
    assert apply_layer_changes(p, lyr, role="population", props={"population_field": "Shape_Area"})
    window.append(win.undo_stack.undoText())
    set_language("zh")
    try:
        dock.view.setCurrentIndex(model.index_for_layer(lyr.id))
        answer_dialog(QMessageBox.Yes)
        dock.remove_selected()
        window.append(win.undo_stack.undoText())
    finally:
        set_language("en")
    assert lyr.id not in p.layers
    assert window[:2] == ["Rename layer building to 建筑2009", "Set the role of 建筑2009 to population"]
    assert window[2] == "移除 建筑2009"

    r = cli("layer", buildings_project, "building", "--rename", "建筑2009", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["done"] == [window[0]]
    r = cli("layer", buildings_project, "建筑2009", "--role", "population", "--population-field", "Shape_Area")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == window[1]
    r = cli("layer", buildings_project, "建筑2009", "--remove", env={"SMARTGIS_LANG": "zh"})
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == window[2]
