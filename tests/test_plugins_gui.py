"""Plugins in the window (offscreen): the plugin manager, installed contributions, shipped GUI parts."""

from __future__ import annotations

import json
import sys

import pytest

pytest.importorskip("pytestqt")

from smartgis.plugins import registry as registry_mod

from test_plugins import make_plugin  # noqa: E402  (same folder)

pytestmark = pytest.mark.gui


@pytest.fixture
def plugin_env(tmp_path, monkeypatch):
    extra = tmp_path / "extra"
    extra.mkdir()
    monkeypatch.setenv("SMARTGIS_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("SMARTGIS_PLUGIN_PATH", str(extra))
    reg = registry_mod.reset_registry()
    messages = []
    reg.warn = lambda name, msg: messages.append(msg)
    yield {"extra": extra, "config": tmp_path / "config", "messages": messages}
    monkeypatch.undo()
    registry_mod.reset_registry().warn = registry_mod._default_warning


def test_manager_lists_switches_and_shows_failures(qtbot, plugin_env, tmp_path):
    from PySide6.QtCore import Qt
    from smartgis.ui.plugin_manager import PluginManagerDialog
    make_plugin(plugin_env["extra"], "broken_gui", contributes={"metrics": [{"id": "m", "entry": "m:f"}]},
                files={"m.py": "raise ImportError('vendor SDK missing')\n"})
    make_plugin(plugin_env["extra"], "old_api", plugin_api=0)
    reg = registry_mod.registry()
    with pytest.raises(Exception):
        reg.metrics()["m"]()
    dlg = PluginManagerDialog(reg=reg, lang="en")
    qtbot.addWidget(dlg)
    dlg.show()
    names = [dlg.table.item(r, 0).data(Qt.UserRole) for r in range(dlg.table.rowCount())]
    assert {"webcoords", "fiveg", "sz_smart_pole", "broken_gui", "old_api"} <= set(names)
    row = dlg.row_of("broken_gui")
    assert dlg.table.item(row, 3).text() == "failed"
    assert "vendor SDK missing" in dlg.table.item(row, 3).toolTip()
    dlg.table.setCurrentCell(row, 1)
    assert "vendor SDK missing" in dlg.details.toPlainText()
    assert dlg.table.item(dlg.row_of("old_api"), 3).text() == "incompatible"
    # switching with the check box writes the user setting and tells the window
    with qtbot.waitSignal(dlg.plugins_changed):
        dlg.table.item(dlg.row_of("fiveg"), 0).setCheckState(Qt.Unchecked)
    assert json.loads((plugin_env["config"] / "plugins.json").read_text())["disabled"] == ["fiveg"]
    assert dlg.table.item(dlg.row_of("fiveg"), 3).text() == "disabled"
    assert "fiveg" not in {p.name for p in reg.active()}
    dlg.table.item(dlg.row_of("fiveg"), 0).setCheckState(Qt.Checked)
    assert reg.get("fiveg").state == "enabled"
    dlg.resize(900, 560)
    assert dlg.grab().save(str(tmp_path / "plugin_manager.png"))


def test_converter_panel_and_actions_without_a_window(qtbot, plugin_env, tmp_path, shared_data):
    """The shipped web-map plugin's panel and actions, given a context as the window gives it."""
    from smartgis.core import Project
    from smartgis.plugins.api import PluginContext
    reg = registry_mod.registry()
    panel_entry = reg.contribution("dock_panels", "converter")
    ctx = PluginContext("webcoords", panel_entry.plugin.found.folder, window=None, lang="en")
    panel = panel_entry(ctx)
    qtbot.addWidget(panel)
    panel.set_input(116.404, 39.915, "gcj02")
    res = panel.results()
    assert res["wgs84"] == pytest.approx((116.397755754, 39.913596235), abs=1e-8)
    assert panel.table.rowCount() == 3
    assert panel.grab().save(str(tmp_path / "converter.png"))
    # the import action runs the task at once when there is no window
    project = Project("动作", "EPSG:4547")

    class Session:  # what PluginContext reads from a window: the project
        pass
    session = Session()
    session.project = project
    ctx = PluginContext("webcoords", panel_entry.plugin.found.folder, window=session, lang="en")
    report = reg.contribution("menu_actions", "import")(ctx, path=str(shared_data / "cgcs2000" / "province.geojson"),
                                                        system="gcj02")
    assert report["features"] == 42 and len(project.layers) == 1
    # the 5G plugin's menu action: coverage of the design's cells becomes a layer
    project.design.add("cell_5g_macro", (521600, 3382000))
    fiveg = reg.contribution("menu_actions", "coverage")
    lyr, result = fiveg(PluginContext("fiveg", fiveg.plugin.found.folder, window=session, lang="en"),
                        threshold_dbm=-90.0, dem=None)
    assert lyr.id in project.layers and lyr.table.column("threshold_dbm")[0] == -90.0


def test_plugins_feature_in_the_main_window(qtbot, plugin_env, tmp_path):
    from smartgis.ui.main_window import MainWindow
    make_plugin(plugin_env["extra"], "raiser", contributes={
        "menu_actions": [{"id": "boom", "entry": "m:boom", "menu": "plugins", "label": "Boom"}]},
        files={"m.py": "def boom(ctx):\n    raise RuntimeError('kaput')\n"})
    win = MainWindow()
    qtbot.addWidget(win)
    ui = win.plugin_ui
    titles = [a.text() for a in win.menu("plugins").actions()]
    assert any("Manage plugins" in t or "管理插件" in t for t in titles)
    assert "webcoords" in ui.actions and "fiveg" in ui.actions
    assert not any(m.startswith("smartgis_plugins.raiser") for m in sys.modules)   # nothing imported yet
    boom = next(a for a in ui.actions["raiser"] if a.objectName() == "plugin_raiser_boom")
    boom.trigger()
    qtbot.waitUntil(lambda: "raiser" not in ui.actions)          # removed after it failed
    assert "kaput" in win.statusBar().currentMessage()
    assert registry_mod.registry().get("raiser").state == "failed"
    dlg = ui.open_manager()
    qtbot.addWidget(dlg)
    dlg.set_enabled("webcoords", False)
    assert "webcoords" not in ui.actions
    dlg.set_enabled("webcoords", True)
    assert "webcoords" in ui.actions
    panel_action = next(a for a in ui.actions["webcoords"] if a.objectName() == "plugin_webcoords_panel_converter")
    panel_action.setChecked(True)
    assert ("webcoords", "converter") in ui.docks
    win.resize(1400, 900)
    assert win.grab().save(str(tmp_path / "window_plugins.png"))
