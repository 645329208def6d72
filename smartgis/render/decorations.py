"""Scale bar and north arrow, drawn over a map by the canvas and by ``smartgis render``.

The scale bar's length is a round number (1, 2 or 5 × 10ⁿ metres) near a fifth of
the map's width.  The north arrow points to true north: in a Gauss-Kruger zone grid
north and true north differ by the meridian convergence (up to ~1° at the edge of a
3° zone), computed here at the centre of the view.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF

from smartgis.render.labels import label_font
from smartgis.render.view import MapView


def nice_length(limit: float) -> float:
    """The largest 1, 2 or 5 × 10ⁿ not above ``limit`` (> 0)."""
    if limit <= 0 or not math.isfinite(limit):
        return 1.0
    e = math.floor(math.log10(limit))
    for m in (5, 2, 1):
        v = m * 10 ** e
        if v <= limit:
            return float(v)
    return float(10 ** (e - 1) * 5)


def format_distance(metres: float) -> str:
    if metres >= 1000:
        km = metres / 1000
        return f"{km:g} km"
    if metres >= 1:
        return f"{metres:g} m"
    return f"{metres * 100:g} cm"


def true_north_angle(crs, x: float, y: float) -> float:
    """Degrees clockwise from grid north (up) to true north at map point (x, y)."""
    try:
        from smartgis.crs import parse_crs, transformer
        c = parse_crs(crs)
        if not c.is_projected:
            return 0.0
        geo = c.geodetic_crs
        to_geo = transformer(c, geo)
        to_map = transformer(geo, c)
        lon, lat = to_geo.transform(x, y)
        x2, y2 = to_map.transform(lon, min(lat + 0.01, 89.99))
        ang = math.degrees(math.atan2(x2 - x, y2 - y))
        return ang if math.isfinite(ang) else 0.0
    except Exception:  # a custom CRS pyproj cannot invert: show grid north
        return 0.0


def draw_scale_bar(painter: QPainter, view: MapView, margin: float | None = None) -> QRectF:
    """Draw a scale bar at the bottom left; returns the rectangle it took."""
    dpi_f = view.dpi / 96.0
    margin = 10 * dpi_f if margin is None else margin
    length = nice_length(view.width * 0.22 * view.mupp)
    px = length / view.mupp
    font = label_font(11 * dpi_f)
    fm = QFontMetricsF(font)
    label = format_distance(length)
    pad = 6 * dpi_f
    bar_h = 5 * dpi_f
    text_h = fm.height()
    x0 = margin + pad
    y_bar = view.height - margin - pad - bar_h
    right = x0 + px + fm.horizontalAdvance(label) / 2 + pad
    top = y_bar - 2 * dpi_f - text_h - pad / 2
    box = QRectF(margin, top, right - margin, view.height - margin - top)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(255, 255, 255, 200))
    painter.drawRoundedRect(box, 3 * dpi_f, 3 * dpi_f)
    seg = px / 4
    for i in range(4):
        painter.setBrush(QColor("#202020") if i % 2 == 0 else QColor("#ffffff"))
        painter.drawRect(QRectF(x0 + i * seg, y_bar, seg, bar_h))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(QColor("#202020"), max(1.0, dpi_f)))
    painter.drawRect(QRectF(x0, y_bar, px, bar_h))
    painter.setFont(font)
    base = y_bar - 2 * dpi_f - fm.descent()
    painter.drawText(QPointF(x0 - fm.horizontalAdvance("0") / 2, base), "0")
    painter.drawText(QPointF(x0 + px - fm.horizontalAdvance(label) / 2, base), label)
    painter.restore()
    return box


def draw_north_arrow(painter: QPainter, view: MapView, angle: float = 0.0, margin: float | None = None) -> QRectF:
    """Draw a north arrow at the top right, rotated ``angle`` degrees clockwise."""
    dpi_f = view.dpi / 96.0
    margin = 10 * dpi_f if margin is None else margin
    size = 44 * dpi_f
    cx = view.width - margin - size / 2
    cy = margin + size / 2
    box = QRectF(cx - size / 2, cy - size / 2, size, size)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(255, 255, 255, 190))
    painter.drawEllipse(box)
    painter.translate(cx, cy)
    painter.rotate(angle)
    # The arrow sits in the lower part of the disc, the "N" above its tip.
    tip, base, notch, half = -size * 0.12, size * 0.38, size * 0.22, size * 0.17
    left = QPolygonF([QPointF(0, tip), QPointF(-half, base), QPointF(0, notch)])
    right = QPolygonF([QPointF(0, tip), QPointF(half, base), QPointF(0, notch)])
    painter.setPen(QPen(QColor("#202020"), max(1.0, dpi_f)))
    painter.setBrush(QBrush(QColor("#202020")))
    painter.drawPolygon(left)
    painter.setBrush(QBrush(QColor("#ffffff")))
    painter.drawPolygon(right)
    font = label_font(10 * dpi_f)
    font.setBold(True)
    path = QPainterPath()
    fm = QFontMetricsF(font)
    path.addText(QPointF(-fm.horizontalAdvance("N") / 2, tip - 2 * dpi_f), font, "N")
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#202020"))
    painter.drawPath(path)
    painter.restore()
    return box
