"""The base class of map tools (like QGIS's ``QgsMapTool``).

A map tool receives the canvas's mouse and key events with map coordinates (project
CRS), and may paint an overlay in widget pixels after the map.  Tools never draw
layers.  The canvas keeps wheel zoom and middle-button pan whatever tool is active.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QCursor, QPen


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


class BoxTool(MapTool):
    """A tool that acts on a click or on a box dragged with the left button (zoom,
    select): the rubber band, Esc to drop it, and the click/box decision.

    Subclasses implement :meth:`clicked` and :meth:`boxed`, and may set the band's
    colours (:attr:`band_pen`, :attr:`band_fill`).
    """

    #: A drag shorter than this (pixels) in both directions is a click.
    CLICK_PX = 4
    band_pen = QColor(40, 90, 200)
    band_fill = QColor(40, 90, 200, 40)

    def __init__(self, canvas):
        super().__init__(canvas)
        self._start: QPointF | None = None
        self._end: QPointF | None = None

    def clicked(self, event, x: float, y: float) -> None:
        """A click (no box) at map point (x, y), widget point ``event.position()``."""

    def boxed(self, event, rect: QRectF, box: tuple[float, float, float, float]) -> None:
        """A box dragged: ``rect`` in widget pixels, ``box`` (xmin, ymin, xmax, ymax) on the map."""

    def press(self, event, x, y) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._start = QPointF(event.position())
            self._end = QPointF(event.position())

    def move(self, event, x, y) -> None:
        if self._start is not None:
            self._end = QPointF(event.position())
            self.canvas.update()

    def release(self, event, x, y) -> None:
        if self._start is None or event.button() != Qt.MouseButton.LeftButton:
            return
        rect = QRectF(self._start, QPointF(event.position())).normalized()
        self._start = self._end = None
        if rect.width() < self.CLICK_PX and rect.height() < self.CLICK_PX:
            self.clicked(event, x, y)
        else:
            x0, y1 = self.canvas.to_map(rect.topLeft())
            x1, y0 = self.canvas.to_map(rect.bottomRight())
            self.boxed(event, rect, (x0, y0, x1, y1))
        self.canvas.update()

    def deactivate(self) -> None:
        self._start = self._end = None

    def key_press(self, event) -> bool:
        if event.key() == Qt.Key.Key_Escape and self._start is not None:
            self._start = self._end = None
            self.canvas.update()
            return True
        return False

    def paint(self, painter) -> None:
        if self._start is None or self._end is None:
            return
        painter.setPen(QPen(self.band_pen, 1.0))
        painter.setBrush(self.band_fill)
        painter.drawRect(QRectF(self._start, self._end).normalized())
