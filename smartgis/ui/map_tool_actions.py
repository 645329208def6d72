"""Actions for the canvas's map tools (pan, zoom box, identify, select, measure).

The tools live in :mod:`smartgis.ui.maptools` (each a :class:`MapTool` taking the
canvas); here they become checkable actions in one exclusive group, in the View ▸ Map
tools menu and the navigation tool bar, with QGIS's shortcuts.  A tool whose module
is missing is left out rather than breaking the window.
"""

from __future__ import annotations

import importlib
import logging

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from smartgis.ui import icons

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("MapTools", text)


def tool_specs() -> list[dict]:
    """(key, module, class, keyword arguments, text, icon, shortcut) of the tools offered."""
    return [
        dict(key="pan", module="pan", cls="PanTool", kwargs={}, text=_tr("Pan"), icon="pan",
             shortcut="Ctrl+Shift+P", tip=_tr("Drag the map (arrow keys pan too)")),
        dict(key="zoom_box", module="zoom", cls="ZoomTool", kwargs={"zoom_in": True}, text=_tr("Zoom by box"),
             icon="zoom_box", shortcut=None, tip=_tr("Drag a box to zoom into it")),
        dict(key="identify", module="identify", cls="IdentifyTool", kwargs={}, text=_tr("Identify features"),
             icon="identify", shortcut="Ctrl+Shift+I", tip=_tr("Click a feature to see its attributes")),
        dict(key="select", module="select", cls="SelectTool", kwargs={}, text=_tr("Select features"),
             icon="select", shortcut=None, tip=_tr("Click or drag a box to select features of the current layer")),
        dict(key="measure_line", module="measure", cls="MeasureTool", kwargs={"mode": "distance"},
             text=_tr("Measure distance"), icon="measure_line", shortcut="Ctrl+Shift+M",
             tip=_tr("Click points; double-click to finish (planar and on the CGCS2000 ellipsoid)")),
        dict(key="measure_area", module="measure", cls="MeasureTool", kwargs={"mode": "area"},
             text=_tr("Measure area"), icon="measure_area", shortcut="Ctrl+Shift+J",
             tip=_tr("Click the corners; double-click to finish (planar and on the CGCS2000 ellipsoid)")),
    ]


def _tool_class(spec: dict):
    try:
        mod = importlib.import_module(f"smartgis.ui.maptools.{spec['module']}")
    except ImportError as exc:
        log.info("map tool %s not available: %s", spec["key"], exc)
        return None
    return getattr(mod, spec["cls"], None)


def _connect_results(window, key: str, tool) -> None:
    """Show measurements in the status bar (identify results have their own panel,
    :mod:`smartgis.ui.features.identify_results`)."""
    if key.startswith("measure") and hasattr(tool, "measured"):
        tool.measured.connect(lambda m, t=tool: window.statusBar().showMessage("    ".join(t.text(False)), 30000)
                              if len(m.get("points", ())) >= 2 else None)


def add_map_tool_actions(window, toolbar, menu) -> dict[str, QAction]:
    """Create the map tool actions of ``window``; returns them by key.

    The window gets ``window.map_tools`` (key → tool instance, made on first use) and
    ``window.map_tool_group``; choosing an action sets the canvas's tool, and a tool set
    by other code checks its action.
    """
    group = QActionGroup(window)
    group.setExclusive(True)
    window.map_tool_group = group
    window.map_tools = {}
    made = {}
    for spec in tool_specs():
        cls = _tool_class(spec)
        if cls is None:
            continue
        act = QAction(icons.icon(spec["icon"]), spec["text"], window)
        act.setObjectName(f"action_tool_{spec['key']}")
        act.setCheckable(True)
        act.setToolTip(spec["tip"])
        act.setStatusTip(spec["tip"])
        if spec["shortcut"]:
            act.setShortcut(QKeySequence(spec["shortcut"]))
        group.addAction(act)

        def activate(checked, spec=spec, cls=cls):
            if not checked:
                return
            tool = window.map_tools.get(spec["key"])
            if tool is None:
                tool = cls(window.canvas, **spec["kwargs"])
                window.map_tools[spec["key"]] = tool
                _connect_results(window, spec["key"], tool)
            window.canvas.set_map_tool(tool)

        act.toggled.connect(activate)
        toolbar.addAction(act)
        menu.addAction(act)
        window.actions_[f"tool_{spec['key']}"] = act
        made[spec["key"]] = act
    if made:
        toolbar.addSeparator()
        first = made.get("pan") or next(iter(made.values()))
        first.setChecked(True)
    return made
