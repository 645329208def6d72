"""Plugins in the window: the Plugins menu, the plugin manager, and what plugins contribute.

Installs, through the main window's API, the menu actions, map tools and dock panels
of the enabled plugins.  Nothing of a plugin is imported until the user triggers one
of its actions: menu entries and tool buttons are made from the manifest alone.  A
plugin that fails is disabled for the session, its entries are removed, and a message
naming it appears in the status bar and in the plugin manager.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup

from smartgis.errors import PluginError, UserError
from smartgis.i18n import localize
from smartgis.plugins.api import PluginContext
from smartgis.plugins.registry import LazyEntry, registry

#: Menus a plugin's ``menu_actions`` may name (the main window's menu keys).
MENUS = ("file", "edit", "view", "layer", "design", "analysis", "review", "plugins", "settings", "help")
_AREAS = {"left": Qt.LeftDockWidgetArea, "right": Qt.RightDockWidgetArea, "top": Qt.TopDockWidgetArea,
          "bottom": Qt.BottomDockWidgetArea}


class PluginUi(QObject):
    """Keeps the window's plugin entries in step with the registry.

    Signals
    -------
    failed(str, str)
        A plugin failed (name, message) — relayed from the registry to the GUI thread.
    """

    failed = Signal(str, str)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.actions: dict[str, list[QAction]] = {}       # plugin -> its actions
        self.docks: dict[tuple[str, str], object] = {}    # (plugin, panel id) -> QDockWidget
        self.tools: dict[tuple[str, str], object] = {}    # (plugin, tool id) -> MapTool
        self.tool_group = QActionGroup(self)
        self.tool_group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        self.manager = None
        self.failed.connect(self._show_failure, Qt.QueuedConnection)
        registry().listeners.append(self._relay_failure)
        menu = window.menu("plugins")
        self.manage_action = menu.addAction(self.tr("Manage plugins…"))
        self.manage_action.setObjectName("plugins_manage")
        self.manage_action.triggered.connect(self.open_manager)
        menu.addSeparator()
        self.install_all()

    # -- contexts and isolation --------------------------------------------------------
    def lang(self) -> str:
        from PySide6.QtWidgets import QApplication
        return QApplication.instance().property("smartgis_language") or "zh"

    def context(self, entry: LazyEntry) -> PluginContext:
        return PluginContext(entry.plugin.name, entry.plugin.found.folder, self.window, self.lang())

    def run(self, entry: LazyEntry, *args):
        """Run a contribution; user errors show a dialog, plugin failures disable it."""
        try:
            return entry(*args)
        except UserError as exc:
            self.window.show_error(exc)
        except PluginError:
            pass  # reported through the registry listener; the entries are removed there
        return None

    def _relay_failure(self, name: str, message: str) -> None:
        self.failed.emit(name, message)  # listeners may be called from worker threads

    def _show_failure(self, name: str, message: str) -> None:
        # (the message crossed a signal as plain text: matched back to its template)
        self.window.statusBar().showMessage(localize(message), 15000)
        plugin_name = name.split("/", 1)[0]
        try:
            p = registry().get(plugin_name)
        except UserError:
            return
        if not p.active:
            self.remove(plugin_name)
        if self.manager is not None:
            self.manager.fill()

    # -- installing ----------------------------------------------------------------------
    def install_all(self) -> None:
        for p in registry().active():
            self.install(p.name)

    def install(self, name: str) -> None:
        """Add one plugin's menu actions, map tools and dock panels (from its manifest)."""
        if name in self.actions:
            return
        reg = registry()
        acts: list[QAction] = []
        plugins_menu = self.window.menu("plugins")
        for e in [e for e in reg.contributions("menu_actions") if e.plugin.name == name]:
            key = e.contribution.options.get("menu", "plugins")
            menu = self.window.menu(key if key in MENUS else "plugins")
            act = menu.addAction(e.contribution.text(self.lang()))
            act.setObjectName(f"plugin_{name}_{e.id}")
            act.setToolTip(self.tr("From the plugin {0}").format(name))
            act.triggered.connect(lambda _=False, e=e: self.run(e, self.context(e)))
            acts.append(act)
        tools = [e for e in reg.contributions("map_tools") if e.plugin.name == name]
        panels = [e for e in reg.contributions("dock_panels") if e.plugin.name == name]
        if tools or panels:
            acts.append(plugins_menu.addSeparator())
        for e in tools:
            act = plugins_menu.addAction(e.contribution.text(self.lang()))
            act.setObjectName(f"plugin_{name}_tool_{e.id}")
            act.setCheckable(True)
            self.tool_group.addAction(act)
            act.toggled.connect(lambda on, e=e: self.activate_tool(e, on))
            try:
                self.window.toolbar("plugins").addAction(act)
            except Exception:  # a window without a plugins tool bar still has the menu entry
                pass
            acts.append(act)
        for e in panels:
            act = plugins_menu.addAction(e.contribution.text(self.lang()))
            act.setObjectName(f"plugin_{name}_panel_{e.id}")
            act.setCheckable(True)
            act.toggled.connect(lambda on, e=e: self.show_panel(e, on))
            acts.append(act)
        self.actions[name] = acts

    def remove(self, name: str) -> None:
        """Take one plugin's entries, tools and panels out of the window."""
        for act in self.actions.pop(name, []):
            for w in list(act.associatedObjects()):
                if hasattr(w, "removeAction"):
                    w.removeAction(act)
            self.tool_group.removeAction(act)
            act.deleteLater()
        for key in [k for k in self.tools if k[0] == name]:
            tool = self.tools.pop(key)
            canvas = getattr(self.window, "canvas", None)
            if canvas is not None and canvas.map_tool() is tool:
                canvas.set_map_tool(None)
        for key in [k for k in self.docks if k[0] == name]:
            dock = self.docks.pop(key)
            self.window.removeDockWidget(dock)
            dock.deleteLater()

    def refresh(self) -> None:
        """Bring the window in line with the registry after plugins were switched."""
        active = {p.name for p in registry().active()}
        for name in list(self.actions):
            if name not in active:
                self.remove(name)
        for name in sorted(active):
            self.install(name)

    # -- tools and panels ----------------------------------------------------------------
    def activate_tool(self, entry: LazyEntry, on: bool) -> None:
        canvas = getattr(self.window, "canvas", None)
        if canvas is None:
            return
        key = (entry.plugin.name, entry.id)
        if not on:
            if canvas.map_tool() is self.tools.get(key):
                canvas.set_map_tool(None)
            return
        tool = self.tools.get(key)
        if tool is None:
            tool = self.run(entry, self.context(entry))
            if tool is None:
                return
            self.tools[key] = tool
        canvas.set_map_tool(tool)

    def show_panel(self, entry: LazyEntry, on: bool):
        key = (entry.plugin.name, entry.id)
        dock = self.docks.get(key)
        if dock is None and on:
            widget = self.run(entry, self.context(entry))
            if widget is None:
                return None
            area = _AREAS.get(str(entry.contribution.options.get("area", "right")), Qt.RightDockWidgetArea)
            dock = self.window.add_dock(widget, area, entry.contribution.text(self.lang()))
            dock.setObjectName(f"plugin_{entry.plugin.name}_{entry.id}")
            self.docks[key] = dock
        if dock is not None:
            dock.setVisible(on)
        return dock

    # -- the manager -----------------------------------------------------------------------
    def open_manager(self):
        from smartgis.ui.plugin_manager import PluginManagerDialog
        if self.manager is None:
            self.manager = PluginManagerDialog(self.window, lang=self.lang())
            self.manager.plugins_changed.connect(self.refresh)
        self.manager.fill()
        self.manager.show()
        self.manager.raise_()
        return self.manager


def install(window) -> None:
    """Feature entry point: the Plugins menu and the plugins' contributions."""
    window.plugin_ui = PluginUi(window)
