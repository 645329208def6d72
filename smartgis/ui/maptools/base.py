"""The base class of map tools (like QGIS's ``QgsMapTool``).

A map tool receives the canvas's mouse and key events with map coordinates (project
CRS), and may paint an overlay in widget pixels after the map.  Tools never draw
layers.  The canvas keeps wheel zoom and middle-button pan whatever tool is active.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QCursor


class MapTool(QObject):
    """A tool acting on a :class:`~smartgis.ui.canvas.MapCanvas`.

    Parameters
    ----------
    canvas : MapCanvas
    """

    def __init__(self, canvas):
        super().__init__(canvas)
        self.canvas = canvas

    def activate(self) -> None:
        """Called when the tool becomes the canvas's tool."""

    def deactivate(self) -> None:
        """Called when another tool (or none) replaces it; drop temporary state."""

    def press(self, event, x: float, y: float) -> None:
        """A mouse button went down at map point (x, y)."""

    def move(self, event, x: float, y: float) -> None:
        """The mouse moved (with or without a button down)."""

    def release(self, event, x: float, y: float) -> None:
        """A mouse button went up."""

    def double_click(self, event, x: float, y: float) -> None:
        """A double click."""

    def key_press(self, event) -> bool:
        """A key was pressed; return True when the tool handled it."""
        return False

    def paint(self, painter) -> None:
        """Paint an overlay in widget pixels (called after the map is drawn); call
        ``canvas.update()`` to have it repainted."""

    def cursor(self) -> QCursor:
        """The mouse cursor over the canvas while the tool is active."""
        return QCursor(Qt.CursorShape.CrossCursor)

    def is_active(self) -> bool:
        return self.canvas.map_tool() is self
