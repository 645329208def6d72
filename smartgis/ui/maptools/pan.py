"""Pan by dragging the map (the canvas's default behaviour, as an explicit tool)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCursor

from smartgis.ui.maptools.base import MapTool


class PanTool(MapTool):
    """Drag with the left button to move the map."""

    def press(self, event, x, y) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.canvas.begin_pan(event.button(), event.position())

    def cursor(self) -> QCursor:
        return QCursor(Qt.CursorShape.OpenHandCursor)
