"""Qt drawing objects for style symbols: pens, brushes and marker sprites.

Sizes in a :class:`smartgis.core.style.Symbol` are millimetres; they become pixels
with the output DPI.  Point markers (built-in shapes or SVG icons) are drawn once per
symbol and size into a small image — a *sprite* — and stamped at every point, which
costs about a microsecond per point.
"""

from __future__ import annotations

import math
import threading
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QImage, QPainter, QPainterPath, QPen, QPolygonF

from smartgis.core.symbols import icon_bytes
from smartgis.render.colors import parse_rgba, qcolor

#: QGIS's default selection colour.
SELECTION_COLOR = "#ffff00"
#: Below this width in pixels a line is drawn as a 1-pixel cosmetic line whose
#: opacity stands for the missing width — much faster, and it looks the same.
THIN_LINE_PX = 1.0
#: The thinnest polygon outline drawn (pixels): thinner ones would vanish.
MIN_OUTLINE_PX = 0.15


def visible(color) -> bool:
    return parse_rgba(color)[3] > 0


def make_pen(color, width_px: float, dash: str = "solid", alpha_factor: float = 1.0, outline: bool = False) -> QPen:
    """A pen of ``width_px`` pixels; hair-thin widths become faint cosmetic lines.

    ``outline``: the pen outlines polygons.  A hair-thin outline keeps its true width
    (at least :data:`MIN_OUTLINE_PX`): Qt's antialiased stroker draws the closed rings
    of a polygon outline three times faster than its cosmetic line, and the pixels come
    out the same (a 0.4 px line covers 40 % of the pixels it crosses).
    """
    if width_px <= 0 or not visible(color):
        return QPen(Qt.PenStyle.NoPen)
    if outline and width_px < THIN_LINE_PX and dash == "solid":
        pen = QPen(qcolor(color, alpha_factor))
        pen.setWidthF(max(width_px, MIN_OUTLINE_PX))
    elif width_px < THIN_LINE_PX:
        pen = QPen(qcolor(color, alpha_factor * max(width_px, 0.15)))
        pen.setWidthF(1.0)
        pen.setCosmetic(True)
    else:
        pen = QPen(qcolor(color, alpha_factor))
        pen.setWidthF(width_px)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap if width_px >= 2 else Qt.PenCapStyle.FlatCap)
    if dash == "dash":
        pen.setStyle(Qt.PenStyle.DashLine)
    elif dash == "dot":
        pen.setStyle(Qt.PenStyle.DotLine)
    return pen


def make_brush(color) -> QBrush:
    if not visible(color):
        return QBrush(Qt.BrushStyle.NoBrush)
    return QBrush(qcolor(color))


def marker_path(marker: str, size: float) -> QPainterPath:
    """The outline of a built-in marker shape of ``size`` pixels, centred on (0, 0)."""
    r = size / 2.0
    path = QPainterPath()
    if marker == "square":
        path.addRect(QRectF(-r, -r, size, size))
    elif marker in ("triangle", "diamond", "pentagon", "star"):
        if marker == "triangle":
            pts = [(math.sin(a) * r, -math.cos(a) * r) for a in (0, 2 * math.pi / 3, 4 * math.pi / 3)]
        elif marker == "diamond":
            pts = [(0, -r), (r, 0), (0, r), (-r, 0)]
        elif marker == "pentagon":
            pts = [(math.sin(k * 2 * math.pi / 5) * r, -math.cos(k * 2 * math.pi / 5) * r) for k in range(5)]
        else:
            pts = []
            for k in range(10):
                rr = r if k % 2 == 0 else r * 0.45
                a = k * math.pi / 5
                pts.append((math.sin(a) * rr, -math.cos(a) * rr))
        path.addPolygon(QPolygonF([QPointF(x, y) for x, y in pts]))
        path.closeSubpath()
    elif marker == "cross":
        w = max(size * 0.18, 1.0)
        path.addRect(QRectF(-r, -w / 2, size, w))
        path.addRect(QRectF(-w / 2, -r, w, size))
        path.setFillRule(Qt.FillRule.WindingFill)
    else:
        path.addEllipse(QPointF(0, 0), r, r)
    return path


_sprite_lock = threading.Lock()


@lru_cache(maxsize=256)
def _sprite(marker: str, size_px: float, fill: str, stroke: str, stroke_px: float,
            icon: str | None, selected: bool) -> QImage:
    margin = max(stroke_px, 1.0) + 1.0
    side = int(math.ceil(size_px + 2 * margin))
    side += (side + 1) % 2  # odd: the centre falls on a pixel centre
    img = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(0)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    c = side / 2.0
    drawn = False
    data = icon_bytes(icon)
    if data:
        from PySide6.QtCore import QByteArray
        from PySide6.QtSvg import QSvgRenderer
        r = QSvgRenderer(QByteArray(data))
        if r.isValid():
            if selected:
                p.setPen(QPen(qcolor(SELECTION_COLOR), 2.0))
                p.setBrush(QBrush(qcolor(SELECTION_COLOR, 0.5)))
                p.drawEllipse(QPointF(c, c), size_px / 2 + 1, size_px / 2 + 1)
            r.render(p, QRectF(c - size_px / 2, c - size_px / 2, size_px, size_px))
            drawn = True
    if not drawn:
        p.translate(c, c)
        p.setBrush(make_brush(fill))
        p.setPen(make_pen(stroke, stroke_px))
        p.drawPath(marker_path(marker, size_px))
    p.end()
    return img


def sprite(symbol, view, selected: bool = False) -> QImage:
    """The marker image of a point symbol at the view's DPI (cached; thread-safe)."""
    size = max(view.mm(symbol.size), 2.0)
    stroke_px = view.mm(symbol.stroke_width) if visible(symbol.stroke) else 0.0
    fill, stroke = symbol.fill, symbol.stroke
    if selected:
        fill, stroke = SELECTION_COLOR, "#8a7d00"
    with _sprite_lock:
        return _sprite(symbol.marker, round(size, 2), fill, stroke, round(stroke_px, 2),
                       symbol.icon or None, selected)


def splat_colour(symbol, family: str) -> tuple[tuple[int, int, int, int], float]:
    """The colour of a feature smaller than a pixel, and how strongly it covers it.

    At that size QGIS's output is mostly outline with a little fill, so the two are
    mixed; a symbol without one of them takes the other.
    """
    f = parse_rgba(symbol.fill) if family == "polygon" else (0, 0, 0, 0)
    s = parse_rgba(symbol.stroke) if symbol.stroke_width > 0 else (0, 0, 0, 0)
    if f[3] and s[3]:
        rgba = tuple(int(round((a + b) / 2)) for a, b in zip(f, s))
    elif f[3]:
        rgba = f
    else:
        rgba = s
    return rgba, 1.0
