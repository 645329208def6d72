"""Autosave to a recovery file (never over the project file) and recovery after a crash."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from smartgis.project import open_project
from smartgis.core import Project  # noqa: E402

pytestmark = pytest.mark.gui

X0, Y0 = 500000.0, 3380000.0


@pytest.fixture
def recovery(tmp_path, monkeypatch):
    folder = tmp_path / "recovery"
    monkeypatch.setenv("SMARTGIS_RECOVERY_DIR", str(folder))
    return folder


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def press_on_offer(name: str, attempts: int = 250):
    """Press the button ``name`` (recover / discard / later) of the next recovery offer."""
    seen = []

    def poll(left=attempts):
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.objectName() == "recovery_offer":
            seen.append(box.text())
            for b in box.buttons():
                if b.objectName() == name:
                    b.click()
                    return
        if left:
            QTimer.singleShot(20, lambda: poll(left - 1))
    QTimer.singleShot(0, poll)
    return seen


def saved_project(tmp_path):
    p = Project("自动保存", "EPSG:4547")
    p.design.add("camera", (X0, Y0), name="一号")
    return p.save(tmp_path / "city.gpkg")


def test_autosave_writes_a_recovery_copy_and_never_the_project_file(main_window, recovery, tmp_path, qtbot,
                                                                    validate_gpkg):
    from smartgis.ui.features import autosave
    auto = autosave.install(main_window)
    path = saved_project(tmp_path)
    before = digest(path)
    main_window.set_project(open_project(path))
    assert auto.autosave(wait=True) is None            # nothing changed: nothing written
    main_window.project.design.add_many("smart_pole", [(X0 + 35, Y0), (X0 + 70, Y0)])
    r = auto.autosave(wait=True)
    assert r is not None and r.path.parent == recovery and r.path.exists()
    validate_gpkg(r.path)
    assert digest(path) == before                                     # the project file is untouched
    assert main_window.project.is_modified and main_window.project.path == path
    copy = open_project(r.path)
    assert copy.design.counts() == {"camera": 1, "smart_pole": 2}
    assert r.project_path == str(path) and r.elements == 3
    # saving for real removes the recovery copy
    main_window.project.save()
    assert not r.path.exists() and not r.note.exists()


def test_the_timer_autosaves_a_modified_project(main_window, recovery, qtbot, qt_settings):
    from PySide6.QtCore import QSettings

    from smartgis.ui.features import autosave
    QSettings().setValue(autosave.MINUTES_KEY, 0.002)   # every 120 ms
    autosave.install(main_window)
    p = Project("未保存", "EPSG:4547")
    main_window.set_project(p)
    p.design.add("iot_gateway", (X0, Y0))
    qtbot.waitUntil(lambda: main_window.autosave._written is not None, timeout=5000)
    found = autosave.recoveries()
    assert len(found) == 1 and found[0].project_path is None and not found[0].orphaned
    # closing the project on purpose drops the copy
    main_window.set_project(None)
    assert autosave.recoveries() == []


CRASH = textwrap.dedent("""
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from smartgis.project import open_project
    from smartgis.ui.main_window import MainWindow
    from smartgis.ui.features import autosave
    win = MainWindow(load_features=False)
    auto = autosave.install(win)
    project = open_project(sys.argv[1])
    win.set_project(project)
    project.design.place_along("smart_pole", [__import__("shapely").LineString([(500000, 3380100), (501000, 3380100)])],
                               spacing=35, offset=8, both_sides=True)
    assert auto.autosave(wait=True) is not None
    os._exit(3)   # the crash: no save, no clean close
""")


def test_recovery_is_offered_after_a_crash(main_window, recovery, tmp_path, qtbot):
    from smartgis.ui.features import autosave
    path = saved_project(tmp_path)
    before = digest(path)
    env = dict(os.environ, SMARTGIS_RECOVERY_DIR=str(recovery), QT_QPA_PLATFORM="offscreen")
    r = subprocess.run([sys.executable, "-c", CRASH, str(path)], env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 3, r.stderr
    assert digest(path) == before
    waiting = autosave.recovery_for(path)
    assert waiting is not None and waiting.orphaned and waiting.elements == 59
    auto = autosave.install(main_window)
    seen = press_on_offer("recover")
    main_window.set_project(open_project(path))
    qtbot.waitUntil(lambda: bool(seen), timeout=3000)    # offered once the project is open
    qtbot.waitUntil(lambda: main_window.project is not None and len(main_window.project.design) == 59,
                    timeout=5000)
    p = main_window.project
    assert p.path == path and p.is_modified and main_window.windowTitle().startswith("*")
    assert "did not close normally" in seen[0] or "没有正常关闭" in seen[0]
    # saving puts the recovered work into the project file and drops the copy
    p.save()
    assert open_project(path).design.counts() == {"camera": 1, "smart_pole": 58}
    assert autosave.recoveries() == []
    assert auto is main_window.autosave


def test_discarding_the_offer_deletes_the_copy(main_window, recovery, tmp_path, qtbot):
    from smartgis.ui.features import autosave
    path = saved_project(tmp_path)
    p = open_project(path)
    p.design.add("camera", (X0 + 5, Y0))
    r = autosave.write_recovery(p)
    # make it look like the copy of a process that is gone
    import json
    info = json.loads(r.note.read_text(encoding="utf-8"))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    info["pid"] = int(dead.stdout)
    r.note.write_text(json.dumps(info), encoding="utf-8")
    os.utime(r.path, (r.path.stat().st_mtime + 5,) * 2)
    autosave.install(main_window)
    seen = press_on_offer("discard")
    main_window.set_project(open_project(path))
    qtbot.waitUntil(lambda: bool(seen), timeout=3000)
    qtbot.waitUntil(lambda: not r.path.exists(), timeout=3000)
    assert main_window.project.design.counts() == {"camera": 1}
    assert autosave.recoveries() == []


def test_an_unsaved_project_is_recovered_from_the_file_menu(main_window, recovery, qtbot):
    from smartgis.ui.features import autosave
    p = Project("从未保存", "EPSG:4547")
    p.design.add_many("kindergarten", [(X0, Y0), (X0 + 300, Y0)])
    r = autosave.write_recovery(p)
    import json
    info = json.loads(r.note.read_text(encoding="utf-8"))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    info["pid"] = int(dead.stdout)
    r.note.write_text(json.dumps(info), encoding="utf-8")
    auto = autosave.install(main_window)
    qtbot.waitUntil(lambda: auto.recover_action.isEnabled(), timeout=3000)
    seen = press_on_offer("recover")
    auto.recover_action.trigger()
    assert seen and main_window.project is not None
    assert main_window.project.path is None and main_window.project.design.counts() == {"kindergarten": 2}
    assert main_window.project.name == "从未保存" and main_window.project.is_modified


def test_editing_goes_on_while_the_copy_is_written(main_window, recovery, tmp_path, qtbot):
    """The copy is written on a worker from a frozen copy: edits made meanwhile, in
    place or not, wait for the next autosave instead of tearing this one."""
    from smartgis.ui.features import autosave
    auto = autosave.install(main_window)
    path = saved_project(tmp_path)
    main_window.set_project(open_project(path))
    p = main_window.project
    p.design.add_many("smart_pole", [(X0 + 35 * i, Y0) for i in range(1, 2001)])
    assert auto.autosave() is None                     # started, not finished: no copy yet
    (camera,) = p.design.layer("camera").uids()
    p.design.update([camera], name="二号")             # an attribute changed in place
    p.design.move([camera], 10.0, 0.0)                 # a geometry changed in place
    p.design.add("air_quality", (X0, Y0 + 50))
    qtbot.waitUntil(lambda: auto._task is None, timeout=20000)
    first = open_project(auto._written.path)
    assert first.design.counts() == {"camera": 1, "smart_pole": 2000}
    assert first.design.element(camera).attributes["name"] == "一号"
    assert first.design.element(camera).geometry.x == X0
    second = auto.autosave(wait=True)                  # the edits made meanwhile come next
    copy = open_project(second.path)
    assert copy.design.counts() == {"camera": 1, "smart_pole": 2000, "air_quality": 1}
    assert copy.design.element(camera).attributes["name"] == "二号"
    assert copy.design.element(camera).geometry.x == X0 + 10
    assert p.is_modified and digest(path) != digest(second.path)


def test_a_copy_finished_after_a_save_is_thrown_away(main_window, recovery, tmp_path, qtbot):
    from smartgis.ui.features import autosave
    auto = autosave.install(main_window)
    path = saved_project(tmp_path)
    main_window.set_project(open_project(path))
    main_window.project.design.add("iot_gateway", (X0, Y0))
    auto.autosave()
    main_window.project.save()                         # saved while the copy is written
    qtbot.waitUntil(lambda: auto._task is None, timeout=20000)
    assert autosave.recoveries() == []


def test_closing_the_window_never_waits_for_an_autosave(main_window, recovery, tmp_path, qtbot):
    """An autosave copy being written is quiet background work: closing the window
    cancels it without asking about "work in progress", and leaves no copy behind."""
    from smartgis.ui.features import autosave
    auto = autosave.install(main_window)
    path = saved_project(tmp_path)
    main_window.set_project(open_project(path))
    p = main_window.project
    p.design.add_many("smart_pole", [(X0 + 35 * i, Y0) for i in range(1, 2001)])
    auto.autosave()
    assert auto._task is not None and not main_window.tasks.busy
    p.stack.set_clean()                                # as if saved: no unsaved-changes question
    asked = []

    def dismiss():
        box = QApplication.activeModalWidget()
        if box is not None:
            asked.append(box.objectName() or box.windowTitle())
            box.reject()
    timer = QTimer()
    timer.timeout.connect(dismiss)
    timer.start(20)
    try:
        assert main_window.close()
    finally:
        timer.stop()
    assert asked == []
    qtbot.waitUntil(lambda: auto._task is None, timeout=20000)
    assert autosave.recoveries() == []
