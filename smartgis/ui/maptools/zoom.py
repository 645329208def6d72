"""Zoom in or out by dragging a box (or by a click)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QCursor, QPen

from smartgis.ui.maptools.base import MapTool

#: A drag shorter than this (pixels) is a click: zoom by 2 at the point.
CLICK_PX = 4


class ZoomTool(MapTool):
    """Drag a box to zoom to it (or, zooming out, to fit the view into it).

    Parameters
    ----------
    canvas : MapCanvas
    zoom_in : bool
        False makes it a zoom-out tool.
    """

    def __init__(self, canvas, zoom_in: bool = True):
        super().__init__(canvas)
        self.zoom_in = zoom_in
        self._start: QPointF | None = None
        self._end: QPointF | None = None

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
        start, end = self._start, QPointF(event.position())
        self._start = self._end = None
        rect = QRectF(start, end).normalized()
        if rect.width() < CLICK_PX and rect.height() < CLICK_PX:
            self.canvas.zoom_by(2.0 if self.zoom_in else 0.5, end)
            return
        x0, y1 = self.canvas.to_map(rect.topLeft())
        x1, y0 = self.canvas.to_map(rect.bottomRight())
        if self.zoom_in:
            self.canvas.set_extent((x0, y0, x1, y1))
        else:
            # the whole view shrinks into the box: the map gets smaller by the box's ratio
            f = max(min(rect.width() / max(self.canvas.width(), 1), rect.height() / max(self.canvas.height(), 1)),
                    1e-6)
            cx, cy = self.canvas.to_map(rect.center())
            ex = self.canvas.extent()
            hw, hh = (ex[2] - ex[0]) / f / 2, (ex[3] - ex[1]) / f / 2
            self.canvas.set_extent((cx - hw, cy - hh, cx + hw, cy + hh))
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
        rect = QRectF(self._start, self._end).normalized()
        pen = QPen(QColor(40, 90, 200), 1.0)
        painter.setPen(pen)
        painter.setBrush(QColor(40, 90, 200, 40))
        painter.drawRect(rect)

    def cursor(self) -> QCursor:
        return QCursor(Qt.CursorShape.CrossCursor)
