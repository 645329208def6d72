"""Measure distances and areas, in the project's plane and on the CGCS2000 ellipsoid.

Click to add vertices; the last segment follows the mouse.  Double-click or
right-click ends the measurement (the result stays shown), Backspace removes the
last vertex, Esc starts over.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QFontMetricsF, QPen, QPolygonF

from smartgis.ui.maptools.base import MapTool
from smartgis.ui.maptools.geodesy import (
    ellipsoidal_area,
    ellipsoidal_length,
    format_area,
    format_length,
    planar_area,
    planar_length,
)


class MeasureTool(MapTool):
    """Measure a distance (``mode="distance"``) or an area (``mode="area"``).

    Signals
    -------
    measured(dict)
        After every change: ``mode``, ``points`` (map coordinates), ``planar`` and
        ``ellipsoidal`` (metres or square metres), ``finished``.
    """

    measured = Signal(dict)

    def __init__(self, canvas, mode: str = "distance"):
        super().__init__(canvas)
        if mode not in ("distance", "area"):
            raise ValueError(f"unknown measure mode {mode!r}")
        self.mode = mode
        self.points: list[tuple[float, float]] = []
        self._hover: tuple[float, float] | None = None
        self.finished = False

    # -- results ---------------------------------------------------------------------------
    def _pts(self, with_hover: bool = True) -> list[tuple[float, float]]:
        pts = list(self.points)
        if with_hover and not self.finished and self._hover is not None and pts:
            pts.append(self._hover)
        return pts

    def measurement(self, with_hover: bool = False) -> dict:
        """The current measurement (without the vertex following the mouse unless asked)."""
        pts = self._pts(with_hover)
        crs = self.canvas.project.crs if self.canvas.project is not None else None
        if self.mode == "distance":
            planar = planar_length(pts)
            ell = ellipsoidal_length(pts, crs) if crs and len(pts) >= 2 else 0.0
        else:
            planar = planar_area(pts)
            ell = ellipsoidal_area(pts, crs) if crs and len(pts) >= 3 else 0.0
        return {"mode": self.mode, "points": pts, "planar": planar, "ellipsoidal": ell, "finished": self.finished}

    def text(self, with_hover: bool = True) -> list[str]:
        m = self.measurement(with_hover)
        if self.mode == "distance":
            return [self.tr("Distance: {value}").format(value=format_length(m["planar"])),
                    self.tr("On the CGCS2000 ellipsoid: {value}").format(value=format_length(m["ellipsoidal"]))]
        return [self.tr("Area: {value}").format(value=format_area(m["planar"])),
                self.tr("On the CGCS2000 ellipsoid: {value}").format(value=format_area(m["ellipsoidal"]))]

    # -- events ----------------------------------------------------------------------------
    def press(self, event, x, y) -> None:
        if event.button() == Qt.MouseButton.RightButton:
            self.finish()
            return
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if self.finished:
            self.reset()
        self.add_point(x, y)

    def add_point(self, x: float, y: float) -> None:
        """Add a vertex (as a click at map point x, y does)."""
        if self.points and self.points[-1] == (x, y):
            return
        self.points.append((float(x), float(y)))
        self._changed()

    def move(self, event, x, y) -> None:
        self._hover = (x, y)
        if self.points and not self.finished:
            self.canvas.update()

    def double_click(self, event, x, y) -> None:
        self.finish()

    def finish(self) -> None:
        """End the measurement (the result stays until the next click)."""
        if self.points:
            self.finished = True
            self._changed()

    def reset(self) -> None:
        self.points.clear()
        self.finished = False
        self._hover = None
        self.canvas.update()

    def key_press(self, event) -> bool:
        if event.key() == Qt.Key.Key_Escape:
            self.reset()
            return True
        if event.key() == Qt.Key.Key_Backspace and self.points and not self.finished:
            self.points.pop()
            self._changed()
            return True
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.finish()
            return True
        return False

    def deactivate(self) -> None:
        self.reset()

    def _changed(self) -> None:
        self.measured.emit(self.measurement())
        self.canvas.update()

    # -- drawing ---------------------------------------------------------------------------
    def paint(self, painter) -> None:
        pts = self._pts(True)
        if not pts:
            return
        poly = QPolygonF([self.canvas.to_pixel(x, y) for x, y in pts])
        painter.setRenderHint(painter.RenderHint.Antialiasing, True)
        pen = QPen(QColor(220, 40, 40), 2.0)
        painter.setPen(pen)
        if self.mode == "area" and len(pts) >= 3:
            painter.setBrush(QColor(220, 40, 40, 50))
            painter.drawPolygon(poly)
        else:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPolyline(poly)
        painter.setBrush(QColor(255, 255, 255))
        for pt in poly:
            painter.drawEllipse(pt, 3, 3)
        lines = self.text(True)
        fm = QFontMetricsF(painter.font())
        w = max(fm.horizontalAdvance(t) for t in lines) + 12
        h = fm.height() * len(lines) + 8
        anchor = poly[len(poly) - 1] + QPointF(12, 12)
        box = QRectF(anchor, anchor + QPointF(w, h))
        if box.right() > self.canvas.width():
            box.moveRight(anchor.x() - 24)
        if box.bottom() > self.canvas.height():
            box.moveBottom(anchor.y() - 24)
        painter.setPen(QPen(QColor(120, 120, 120)))
        painter.setBrush(QColor(255, 255, 255, 230))
        painter.drawRoundedRect(box, 3, 3)
        painter.setPen(QColor(20, 20, 20))
        for i, t in enumerate(lines):
            painter.drawText(QPointF(box.left() + 6, box.top() + 4 + fm.ascent() + i * fm.height()), t)

    def cursor(self) -> QCursor:
        return QCursor(Qt.CursorShape.CrossCursor)
