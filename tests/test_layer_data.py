"""Layer data is frozen per version: an edit swaps in a new LayerData, a picture taken
before it (render, autosave) never changes, and nobody can write into the arrays."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from smartgis.core import Project
from smartgis.core.fields import Field
from smartgis.core.layers import LayerData, VectorLayer
from smartgis.core.table import AttributeTable
from smartgis.errors import LayerError
from smartgis.project import open_project
from smartgis.project.snapshot import frozen_copy

X0, Y0 = 500000.0, 3380000.0


def make_layer(n: int = 5) -> VectorLayer:
    geoms = shapely.points(np.arange(n, dtype=float), np.zeros(n))
    table = AttributeTable([Field("name", "str"), Field("height", "float")],
                           {"name": [f"b{i}" for i in range(n)], "height": np.arange(n, dtype=float)})
    return VectorLayer("楼", geoms, table, crs="EPSG:4547")


def picture(data: LayerData) -> tuple:
    """Everything a LayerData holds, as plain values (to compare before and after)."""
    return (shapely.to_wkt(data.geometries).tolist(), data.fids.tolist(), data.table.to_pylists(), data.version,
            data.bounds.tolist())


def test_the_arrays_of_the_data_are_read_only():
    lyr = make_layer()
    d = lyr.data
    for arr in (d.geometries, d.fids, d.bounds, d.table.column("height"), d.table.column("name"),
                lyr.geometries, lyr.fids, lyr.bounds):
        assert not arr.flags.writeable
    with pytest.raises(ValueError):
        lyr.geometries[0] = shapely.Point(9, 9)
    with pytest.raises(ValueError):
        lyr.table.column("height")[0] = 99.0
    with pytest.raises(LayerError, match="read-only"):
        lyr.table.set_value(0, "height", 99.0)
    with pytest.raises(AttributeError):
        d.version = 7
    assert lyr.table.value(0, "height") == 0.0


def test_a_picture_taken_before_an_edit_never_changes():
    lyr = make_layer()
    edits = [
        lambda: lyr.set_geometry(1, shapely.Point(50, 50)),
        lambda: lyr.set_value(2, "height", 42.5),
        lambda: lyr.set_value(3, "name", None),
        lambda: lyr.add_field(Field("floors", "int"), [1, 2, 3, 4, 5]),
        lambda: lyr.remove_field("floors"),
        lambda: lyr.append([shapely.Point(7, 7)]),
        lambda: lyr.delete([0, 2]),
        lambda: lyr.truncate(2),
        lambda: lyr.set_data([shapely.Point(1, 1)]),
    ]
    for edit in edits:
        before = lyr.data
        seen = picture(before)
        edit()
        assert lyr.data is not before
        assert lyr.data.version == before.version + 1 == lyr.version
        assert picture(before) == seen


def test_a_one_value_edit_copies_one_column_only():
    lyr = make_layer()
    before = lyr.data
    lyr.set_value(1, "height", 3.5)
    after = lyr.data
    assert after.table.column("height") is not before.table.column("height")
    assert after.table.column("name") is before.table.column("name")
    assert after.geometries is before.geometries and after.fids is before.fids
    assert after.table.value(1, "height") == 3.5 and before.table.value(1, "height") == 1.0
    # the geometry edit keeps the bounds cache up to date without recomputing the others
    lyr.set_geometry(0, shapely.Point(100, 200))
    assert lyr.bounds[0].tolist() == [100.0, 200.0, 100.0, 200.0]
    assert lyr.data.table is after.table


def test_the_version_counts_every_edit():
    lyr = make_layer()
    versions = [lyr.version]
    lyr.set_value(0, "height", 1.0)
    versions.append(lyr.version)
    lyr.set_values([0, 1], {"height": 2.0})
    versions.append(lyr.version)
    lyr.set_geometries([0, 1], [shapely.Point(0, 1), shapely.Point(1, 1)])
    versions.append(lyr.version)
    removed = lyr.delete([4])
    versions.append(lyr.version)
    lyr.insert([4], *removed)
    versions.append(lyr.version)
    assert versions == list(range(versions[0], versions[0] + 6))
    assert lyr.data.version == lyr.version
    assert lyr.table.value(4, "name") == "b4" and lyr.fids.tolist() == [1, 2, 3, 4, 5]


def test_undo_and_redo_leave_earlier_pictures_alone():
    p = Project("快照", "EPSG:4547")
    p.design.add("camera", (X0, Y0), name="一号")
    p.design.add("camera", (X0 + 50, Y0), name="二号")
    lyr = p.design.layer("camera")
    pictures = [(lyr.data, picture(lyr.data))]
    p.design.move([lyr.uids()[0]], 10, 10)
    pictures.append((lyr.data, picture(lyr.data)))
    p.design.update([lyr.uids()[1]], name="改名")
    pictures.append((lyr.data, picture(lyr.data)))
    p.design.remove([lyr.uids()[0]])
    pictures.append((lyr.data, picture(lyr.data)))
    for _ in range(3):
        p.stack.undo()
    assert lyr.table.column("name").tolist() == ["一号", "二号"]
    for _ in range(3):
        p.stack.redo()
    assert lyr.table.column("name").tolist() == ["改名"]
    for data, seen in pictures:
        assert picture(data) == seen
    assert len({id(d) for d, _ in pictures}) == len(pictures)


def test_the_autosave_copy_shares_the_data_until_an_edit(tmp_path):
    p = Project("自动保存", "EPSG:4547")
    p.design.add("camera", (X0, Y0), name="一号")
    lyr = p.design.layer("camera")
    snap = frozen_copy(p)
    copy_lyr = snap.layers[lyr.id]
    assert copy_lyr.data is lyr.data                      # shared, not copied
    p.design.update(lyr.uids(), name="改过")
    p.design.add("camera", (X0 + 100, Y0), name="新的")
    assert copy_lyr.data is not lyr.data
    assert copy_lyr.table.column("name").tolist() == ["一号"]
    assert copy_lyr.feature_count == 1 and lyr.feature_count == 2
    # the copy saves what it holds: the project of the moment it was taken
    from smartgis.project.store import save_project
    save_project(snap, tmp_path / "copy.gpkg", copy=True)
    back = open_project(tmp_path / "copy.gpkg")
    assert back.design.layer("camera").table.column("name").tolist() == ["一号"]


def test_a_layer_read_from_the_file_fills_its_data_once(tmp_path):
    p = Project("懒加载", "EPSG:4547")
    p.add_layer(make_layer(50))
    p.save(tmp_path / "lazy.gpkg")
    back = open_project(tmp_path / "lazy.gpkg")
    lyr = next(x for x in back.layers.values() if x.name == "楼")
    assert not lyr.loaded
    version = lyr.version
    t = lyr.table                       # the attributes first ...
    assert t.is_frozen and len(t) == 50 and not lyr.loaded
    d = lyr.data                        # ... then the geometries join them
    assert d.table is t and d.version == version == lyr.version and not lyr.dirty
    assert lyr.data is d
    snap = frozen_copy(back)
    assert snap.layers[lyr.id].data is d
