"""The web-map coordinate picker: a map tool (needs the map canvas of the window)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPen

from smartgis.plugins.api import transformer
from smartgis.ui.maptools.base import MapTool

from .gui import SYSTEMS
from .transform import convert


class PickTool(MapTool):
    """Click the map to read the point's WGS84, GCJ-02 and BD-09 longitude/latitude.

    The values go to the status bar and the clipboard (``lon,lat`` in GCJ-02, what
    Amap and Tencent expect), so a designer can paste a site into a web map.
    """

    def __init__(self, ctx):
        super().__init__(ctx.canvas)
        self.ctx = ctx
        self.last: tuple[float, float] | None = None
        self.values: dict[str, tuple[float, float]] = {}

    def cursor(self):
        return Qt.CrossCursor

    def pick(self, x: float, y: float) -> dict:
        """The web-map coordinates of map point (x, y) in the project CRS."""
        project = self.ctx.project
        lon, lat = transformer(project.crs, "EPSG:4326").transform(x, y)
        self.values = {key: convert(lon, lat, "wgs84", key) for key, _label in SYSTEMS}
        self.last = (x, y)
        return self.values

    def release(self, event, x, y):
        if self.ctx.project is None:
            return
        v = self.pick(x, y)
        g, b, w = v["gcj02"], v["bd09"], v["wgs84"]
        self.ctx.message(f"WGS84 {w[0]:.6f},{w[1]:.6f}   GCJ-02 {g[0]:.6f},{g[1]:.6f}   BD-09 {b[0]:.6f},{b[1]:.6f}",
                         30000)
        QGuiApplication.clipboard().setText(f"{g[0]:.6f},{g[1]:.6f}")
        self.canvas.update()

    def paint(self, painter):
        if self.last is None:
            return
        p: QPointF = self.canvas.to_pixel(*self.last)
        painter.setPen(QPen(QColor("#e040fb"), 2))
        painter.drawLine(QPointF(p.x() - 8, p.y()), QPointF(p.x() + 8, p.y()))
        painter.drawLine(QPointF(p.x(), p.y() - 8), QPointF(p.x(), p.y() + 8))
