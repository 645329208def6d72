"""The window's QUndoStack mirrors the model's command stack, both ways."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from helpers import sample_project  # noqa: E402

from smartgis.core.commands import FunctionCommand  # noqa: E402

pytestmark = pytest.mark.gui


def _texts(qstack):
    return [qstack.text(i) for i in range(qstack.count())]


def test_each_model_command_is_one_qundocommand(qapp):
    from smartgis.ui.undo import ModelUndoStack
    p = sample_project()
    p.stack.clear()
    q = ModelUndoStack()
    q.set_model_stack(p.stack)
    assert q.count() == 0 and q.isClean()
    uid = p.design.add("camera", (500_200.0, 3_380_200.0), name="西门")
    with p.stack.macro("布设两根智慧灯杆"):
        p.design.add("smart_pole", (500_300.0, 3_380_300.0))
        p.design.add("smart_pole", (500_330.0, 3_380_300.0))
    assert q.count() == 2 and q.index() == 2
    assert _texts(q)[1] == "布设两根智慧灯杆"
    assert not q.isClean()

    # undo from Qt (the Edit menu) drives the model
    q.undo()
    assert p.stack.index == 1 and p.design.counts().get("smart_pole", 0) == 5
    q.undo()
    with pytest.raises(Exception):
        p.design.find(uid)
    q.redo()
    assert p.design.find(uid)[0].type_id == "camera"
    assert q.index() == p.stack.index == 1

    # undo from the model (a script, the CLI) moves the Qt index
    p.stack.redo()
    assert q.index() == 2
    p.stack.undo()
    p.stack.undo()
    assert q.index() == 0 and q.canRedo()

    # a new command after undo drops the redo branch in both
    p.stack.push(FunctionCommand("改名", lambda: p.set_metadata(name="新名字"), lambda: p.set_metadata(name="旧")))
    assert q.count() == len(p.stack) == 1 and _texts(q) == ["改名"]


def test_clean_mark_and_project_switch(qapp, tmp_path):
    from smartgis.ui.undo import ModelUndoStack
    p = sample_project()
    q = ModelUndoStack()
    q.set_model_stack(p.stack)
    p.design.add("camera", (500_210.0, 3_380_210.0))
    assert not q.isClean()
    p.save(tmp_path / "p.gpkg")
    assert q.isClean()
    q.undo()
    assert not q.isClean() and not p.stack.is_clean
    q.redo()
    assert q.isClean() and p.stack.is_clean
    other = sample_project()
    other.stack.clear()
    q.set_model_stack(other.stack)
    assert q.count() == 0
    p.design.add("camera", (500_220.0, 3_380_220.0))   # the old project no longer reaches the view
    assert q.count() == 0
    q.set_model_stack(None)
    assert q.count() == 0


def test_trimmed_history_rebuilds_the_mirror(qapp):
    from smartgis.core.commands import CommandStack
    from smartgis.ui.undo import ModelUndoStack
    stack = CommandStack(limit=3)
    q = ModelUndoStack()
    q.set_model_stack(stack)
    box = []
    for i in range(5):
        stack.push(FunctionCommand(f"step {i}", lambda i=i: box.append(i), lambda: box.pop()))
    assert _texts(q) == ["step 2", "step 3", "step 4"] and q.index() == 3
    q.undo()
    assert box == [0, 1, 2, 3]
    stack.clear()
    assert q.count() == 0


def test_undo_texts_in_the_interface_language(qapp):
    import shapely
    from smartgis.i18n import set_language
    from smartgis.ui.undo import ModelUndoStack
    p = sample_project()
    p.stack.clear()
    q = ModelUndoStack()
    q.set_model_stack(p.stack)
    set_language("zh")
    try:
        uid = p.design.add("camera", (500_200.0, 3_380_200.0))
        road = shapely.LineString([(500_000, 3_380_000), (501_000, 3_380_000)])
        p.design.place_along("smart_pole", [road], spacing=100)
        p.design.move([uid], 5, 5)
        assert _texts(q) == ["添加 1 个视频监控摄像机", "沿线布设 11 个智慧灯杆", "移动 1 个元素"]
    finally:
        set_language("en")
    # the model keeps its English text (scripts, logs)
    assert p.stack.undo_text == "Move 1 elements"
