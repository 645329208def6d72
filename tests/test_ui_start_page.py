"""The window without a project (start page), the Project menu's order, and the window's language."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytest.importorskip("pytestqt")
pytestmark = pytest.mark.gui

from smartgis.core.project import Project  # noqa: E402


@pytest.fixture
def win(qtbot, qt_settings):
    from smartgis.ui.main_window import MainWindow
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1200, 760)
    return w


def test_project_menu_lists_import_export_and_package_before_exit(win):
    names = [a.objectName() or a.text() for a in win.menu("file").actions() if not a.isSeparator()]
    pos = {n: i for i, n in enumerate(names)}
    quit_at = names.index(win.actions_["quit"].objectName() or win.actions_["quit"].text())
    for name in ("action_import_data", "file_export_sheet", "file_package"):
        assert pos[name] < quit_at, names
    # Close project and Exit are the last two entries
    assert [a for a in win.menu("file").actions() if not a.isSeparator()][-2:] == \
        [win.actions_["close_project"], win.actions_["quit"]]
    # an action a plugin adds later also goes in before them
    late = win.menu("file").addAction("Late entry")
    assert win.menu("file").actions()[-1] is win.actions_["quit"] and late in win.menu("file").actions()


def test_start_page_without_a_project(win, qtbot, tmp_path):
    path = tmp_path / "最近.gpkg"
    Project("最近", "EPSG:4547").save(path)
    win.add_recent(path)
    win.set_project(None)
    page = win.start_page
    win.show()
    qtbot.waitExposed(win)
    assert page.isVisible() and page.geometry() == win.canvas.rect()
    assert page.sample_button.isEnabled()
    assert page.recent.item(0).data(256) == os.path.abspath(path)      # Qt.UserRole
    win.grab().save(str(tmp_path / "start_page.png"))
    page.recent.itemActivated.emit(page.recent.item(0))
    qtbot.waitUntil(lambda: win.project is not None, timeout=10000)
    assert not page.isVisible() and win.project.name == "最近"
    win.set_project(None)
    assert page.isVisible()


@pytest.mark.parametrize("env,lang", [({"LANG": "zh_CN.UTF-8"}, "zh"), ({"LANGUAGE": "zh_CN"}, "zh"),
                                      ({"LANG": "en_US.UTF-8"}, "en"),
                                      ({"LANG": "zh_CN.UTF-8", "SMARTGIS_LANG": "en"}, "en")])
def test_window_language_follows_the_system(tmp_path, env, lang):
    # a clean environment: no saved choice (settings under tmp_path), only the locale variables
    clean = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path),
             "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    clean.update(env)
    code = ("from smartgis.ui.app import create_app; app = create_app(); "
            "print(app.property('smartgis_language'))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=clean, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == lang
