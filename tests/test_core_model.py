"""The Qt-free model: attribute tables, layers, layer tree, design edits with undo."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from smartgis.core import AttributeTable, Field, Project, default_catalog
from smartgis.core.layertree import LayerTree
from smartgis.errors import CatalogError, CRSError, LayerError, UsageError
from tests.helpers import buildings_layer


def test_attribute_table_nulls_and_types():
    t = AttributeTable([Field("n", "int"), Field("x", "float"), Field("s", "str")],
                       {"n": [1, 2, 3], "x": [0.5, None, 2.0], "s": ["甲", None, "丙"]})
    assert t.column("n").dtype == np.int64 and np.isnan(t.column("x")[1])
    t.set_value(1, "n", None)
    assert t.row(1) == {"n": None, "x": None, "s": None}
    t.append_rows([{"n": "7", "s": "丁"}])
    assert len(t) == 4 and t.value(3, "n") == 7
    assert t.take([3, 0]).column("s").tolist() == ["丁", "甲"]
    with pytest.raises(UsageError):
        t.set_value(0, "n", "not a number")
    with pytest.raises(LayerError, match="fields: n, x, s"):
        t.column("missing")


def test_project_requires_projected_metres():
    with pytest.raises(CRSError):
        Project("x", "EPSG:4490")
    assert Project("x", "4547").crs == "EPSG:4547"


def test_layer_tree_order_and_visibility():
    tree = LayerTree()
    tree.add_layer("a")
    tree.add_layer("b")          # on top
    g = tree.add_group("组")
    tree.move(tree.node_for("a"), g, 0)
    assert tree.layer_order() == ["b", "a"]
    assert tree.render_order() == ["a", "b"]
    g.visible = False
    assert tree.render_order() == ["b"]
    restored = LayerTree.from_rows(tree.to_rows())
    assert restored.to_rows() == tree.to_rows()
    with pytest.raises(UsageError):
        tree.move(g, g, 0)


def test_design_add_undo_redo_and_validation():
    p = Project("设计", "EPSG:4547")
    uid = p.design.add("camera", (1.0, 2.0), azimuth=30, mount="ptz")
    uids = p.design.add_many("smart_pole", shapely.points(np.arange(10.0), np.zeros(10)), height_m=12)
    assert p.design.counts() == {"camera": 1, "smart_pole": 10}
    assert p.design.element(uids[3]).attributes["height_m"] == 12.0
    p.design.update(uids[:4], status="existing")
    p.design.set_geometry(uid, shapely.Point(5, 5))
    p.design.remove(uids[5:])
    assert p.design.counts() == {"camera": 1, "smart_pole": 5}
    assert p.stack.undo() and p.design.counts()["smart_pole"] == 10       # remove undone
    assert p.design.element(uids[7]).geometry.equals(shapely.Point(7, 0))
    assert p.stack.undo() and p.design.element(uid).geometry.equals(shapely.Point(1, 2))
    assert p.stack.undo() and p.design.element(uids[0]).attributes["status"] == "planned"
    assert p.stack.redo() and p.design.element(uids[0]).attributes["status"] == "existing"
    while p.stack.undo():
        pass
    assert p.design.counts() == {}
    while p.stack.redo():
        pass
    assert p.design.counts() == {"camera": 1, "smart_pole": 5}
    assert p.design.element(uids[2]).attributes["status"] == "existing"
    with pytest.raises(UsageError, match="no attribute"):
        p.design.add("camera", (0, 0), colour="red")
    with pytest.raises(CatalogError, match="did you mean"):
        p.design.add("camra", (0, 0))
    with pytest.raises(UsageError, match="LineStrings"):
        p.design.add("fibre_backbone", shapely.Point(0, 0))


def test_macro_failure_rolls_back():
    p = Project("x", "EPSG:4547")
    stack = p.stack
    uids = p.design.add_many("bus_stop", [(0, 0), (1, 1)])
    with pytest.raises(UsageError):
        with stack.macro("bad batch"):
            p.design.update(uids, routes=3)
            p.design.update(uids, no_such_field=1)
    assert p.design.element(uids[0]).attributes["routes"] == 2
    assert stack.undo_text.startswith("Add 2")


def test_vector_layer_delete_insert_round_trip():
    lyr = buildings_layer(20)
    before = [lyr.table.row(i) for i in range(20)]
    removed = lyr.delete([3, 7, 11])
    assert lyr.feature_count == 17
    lyr.insert([3, 7, 11], *removed)
    assert [lyr.table.row(i) for i in range(20)] == before
    assert lyr.extent is not None


def test_catalog_is_complete_and_bilingual():
    cat = default_catalog()
    for t in cat:
        assert t.name.get("zh") and t.name.get("en"), t.id
        assert t.category in ("sensor", "network", "facility")
        names = [f.name for f in t.attributes]
        assert {"name", "model", "status", "phase", "cost", "owner"} <= set(names), t.id
        assert len(names) == len(set(names)), t.id
    assert cat.get("camera").coverage.model == "sector"
    assert cat.get("primary_school").coverage.distance == 500
