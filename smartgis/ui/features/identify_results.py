"""The "Identify results" panel: what the identify tool finds, in a dock.

The dock stays hidden until the identify tool is used, then lists layer → feature →
attributes of every click (the tool itself lives in :mod:`smartgis.ui.maptools`).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt

from smartgis.ui.maptools.identify import IdentifyResultsView, IdentifyTool


def install(window) -> None:
    view = IdentifyResultsView()
    view.setObjectName("identify_results")
    dock = window.add_dock(view, Qt.DockWidgetArea.RightDockWidgetArea,
                           title=QCoreApplication.translate("IdentifyResults", "Identify results"))
    dock.hide()
    attached: set[int] = set()

    def on_tool(tool) -> None:
        if isinstance(tool, IdentifyTool) and id(tool) not in attached:
            attached.add(id(tool))
            view.attach(tool)
            tool.identified.connect(lambda results: dock.show())

    window.canvas.map_tool_changed.connect(on_tool)
    window.identify_results = view
