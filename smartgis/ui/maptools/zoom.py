"""Zoom in or out by dragging a box (or by a click)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QCursor

from smartgis.ui.maptools.base import BoxTool


class ZoomTool(BoxTool):
    """Drag a box to zoom to it (or, zooming out, to fit the view into it); a click zooms
    by 2 at the point.

    Parameters
    ----------
    canvas : MapCanvas
    zoom_in : bool
        False makes it a zoom-out tool.
    """

    def __init__(self, canvas, zoom_in: bool = True):
        super().__init__(canvas)
        self.zoom_in = zoom_in

    def clicked(self, event, x, y) -> None:
        self.canvas.zoom_by(2.0 if self.zoom_in else 0.5, QPointF(event.position()))

    def boxed(self, event, rect, box) -> None:
        if self.zoom_in:
            self.canvas.set_extent(box)
            return
        # the whole view shrinks into the box: the map gets smaller by the box's ratio
        f = max(min(rect.width() / max(self.canvas.width(), 1), rect.height() / max(self.canvas.height(), 1)),
                1e-6)
        cx, cy = self.canvas.to_map(rect.center())
        ex = self.canvas.extent()
        hw, hh = (ex[2] - ex[0]) / f / 2, (ex[3] - ex[1]) / f / 2
        self.canvas.set_extent((cx - hw, cy - hh, cx + hw, cy + hh))

    def cursor(self) -> QCursor:
        return QCursor(Qt.CursorShape.CrossCursor)
