"""Labels from an attribute, with a halo, placed greedily without overlaps.

Candidates are the features in view, largest first (at most
:data:`MAX_CANDIDATES`); each label takes the cells of a coarse occupancy grid and a
label that would touch taken cells is left out — simple, and like QGIS's default it
never draws labels over each other.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPainterPath, QPen

from smartgis.render.colors import parse_rgba, qcolor

MAX_CANDIDATES = 4000
#: Occupancy grid cell (pixels).
CELL = 4
#: Font families tried in order; the first two carry Chinese.
FONT_FAMILIES = ["Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC",
                 "Source Han Sans SC", "DejaVu Sans", "Sans Serif"]


def label_font(pixel_size: float) -> QFont:
    f = QFont()
    f.setFamilies(FONT_FAMILIES)
    f.setPixelSize(max(1, int(round(pixel_size))))
    return f


def format_value(v) -> str:
    """A label text: integers without ``.0``, others as written."""
    if v is None:
        return ""
    if isinstance(v, (float, np.floating)):
        if not math.isfinite(v):
            return ""
        if float(v).is_integer():
            return str(int(v))
        return f"{float(v):.6g}"
    if isinstance(v, np.generic):
        v = v.item()
    return str(v)


def draw_labels(snap, prep, idx, view, painter: QPainter, cancel) -> int:
    """Draw the labels of the features ``idx``; returns how many were placed."""
    ls = snap.style.labels
    column = snap.column(ls.field)
    if column is None or len(column) != prep.n or not len(idx):
        return 0
    b = prep.bounds[idx]
    size = np.maximum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1])
    order = np.argsort(-size, kind="stable")[:MAX_CANDIDATES]
    cand = idx[order]
    anchors = shapely.point_on_surface(prep.geoms[cand])
    ax, ay = view.to_pixels(shapely.get_x(anchors), shapely.get_y(anchors))
    is_point = np.isin(prep.type_ids[cand], (0, 4))
    cancel.check()

    font = label_font(view.mm(ls.size))
    fm = QFontMetricsF(font)
    h = fm.height()
    ascent = fm.ascent()
    sym = snap.style.symbol
    offset = view.mm(sym.size) / 2 + view.mm(0.8)
    W, H = view.width, view.height
    occ = np.zeros((H // CELL + 2, W // CELL + 2), dtype=bool)
    path = QPainterPath()
    placed = 0
    for i in range(len(cand)):
        x, y = float(ax[i]), float(ay[i])
        if not (0 <= x < W and 0 <= y < H):
            continue
        text = format_value(column[cand[i]])
        if not text:
            continue
        w = fm.horizontalAdvance(text)
        if is_point[i]:
            left, top = x + offset, y - h / 2
        else:
            left, top = x - w / 2, y - h / 2
        if left < 0 or top < 0 or left + w > W or top + h > H:
            continue
        c0, c1 = int(left) // CELL, int(left + w) // CELL + 1
        r0, r1 = int(top) // CELL, int(top + h) // CELL + 1
        cells = occ[r0:r1, c0:c1]
        if cells.any():
            continue
        cells[...] = True
        path.addText(QPointF(left, top + ascent), font, text)
        placed += 1
        if placed % 256 == 0:
            cancel.check()
    if not placed:
        return 0
    paint_text_path(painter, path, ls, view)
    return placed


def paint_text_path(painter: QPainter, path, ls, view) -> None:
    """Fill the outlines of label text in the label colour over its halo (the map and sheets)."""
    painter.save()
    if ls.halo and parse_rgba(ls.halo)[3]:
        pen = QPen(qcolor(ls.halo), 2 * view.mm(ls.halo_width))
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.strokePath(path, pen)
    painter.fillPath(path, qcolor(ls.color))
    painter.restore()
