"""Charts of the indicator panel, drawn with QPainter: a radar of the domains'
attainment (现状 against a phase) and the total score from 现状 to the last phase."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

CURRENT_COLOUR = QColor("#e08214")
TARGET_COLOUR = QColor("#2166ac")
GRID = QColor("#c8c8c8")


class RadarChart(QWidget):
    """Attainment (0–100 %) of each domain; one polygon per series."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.axes: list[str] = []
        self.series: list[tuple[str, list, QColor]] = []
        self.setMinimumSize(220, 200)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(280, 240)

    def set_data(self, axes: list[str], series: list[tuple[str, list, QColor]]) -> None:
        self.axes, self.series = list(axes), list(series)
        self.update()

    def _point(self, cx, cy, r, k, n, share) -> QPointF:
        a = -math.pi / 2 + 2 * math.pi * k / n
        return QPointF(cx + r * share * math.cos(a), cy + r * share * math.sin(a))

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing, True)
        p.fillRect(self.rect(), self.palette().base())
        n = len(self.axes)
        if n < 3:
            p.setPen(self.palette().text().color())
            p.drawText(self.rect(), Qt.AlignCenter, self.tr("No domains to chart"))
            return
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
        p.setFont(font)
        legend_h = 18
        cx, cy = self.width() / 2, (self.height() - legend_h) / 2 + 4
        r = max(20.0, min(self.width() / 2 - 62, (self.height() - legend_h) / 2 - 22))
        p.setPen(QPen(GRID, 1))
        for ring in (0.2, 0.4, 0.6, 0.8, 1.0):
            p.drawPolygon(QPolygonF([self._point(cx, cy, r, k, n, ring) for k in range(n)]))
        for k, name in enumerate(self.axes):
            p.setPen(QPen(GRID, 1))
            p.drawLine(QPointF(cx, cy), self._point(cx, cy, r, k, n, 1.0))
            at = self._point(cx, cy, r + 12, k, n, 1.0)
            box = QRectF(at.x() - 55, at.y() - 9, 110, 18)
            align = Qt.AlignCenter
            if at.x() < cx - 5:
                box.moveRight(at.x() + 8)
                align = Qt.AlignRight | Qt.AlignVCenter
            elif at.x() > cx + 5:
                box.moveLeft(at.x() - 8)
                align = Qt.AlignLeft | Qt.AlignVCenter
            p.setPen(self.palette().text().color())
            p.drawText(box, align, name)
        for _label, values, colour in self.series:
            pts = [self._point(cx, cy, r, k, n, max(0.0, min(1.0, (v or 0.0) / 100.0))) for k, v in enumerate(values)]
            fill = QColor(colour)
            fill.setAlpha(60)
            p.setBrush(fill)
            p.setPen(QPen(colour, 2))
            p.drawPolygon(QPolygonF(pts))
        p.setBrush(Qt.NoBrush)
        x = 8
        for label, _values, colour in self.series:
            p.fillRect(QRectF(x, self.height() - legend_h + 4, 10, 10), colour)
            p.setPen(self.palette().text().color())
            p.drawText(QRectF(x + 14, self.height() - legend_h, 120, legend_h), Qt.AlignLeft | Qt.AlignVCenter, label)
            x += 24 + p.fontMetrics().horizontalAdvance(label)
        p.end()


class StageBarChart(QWidget):
    """Total score of each stage (现状 → the last phase), with its maturity level."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.stages: list[str] = []
        self.totals: list[float] = []
        self.levels: list[str] = []
        self.maximum = 100.0
        self.setMinimumSize(200, 180)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(260, 240)

    def set_data(self, stages, totals, levels, maximum: float = 100.0) -> None:
        self.stages, self.totals, self.levels = list(stages), list(totals), list(levels)
        self.maximum = maximum or 100.0
        self.update()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing, True)
        p.fillRect(self.rect(), self.palette().base())
        if not self.stages:
            p.end()
            return
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
        p.setFont(font)
        left, right, top, bottom = 34, 8, 16, 36
        w, h = self.width() - left - right, self.height() - top - bottom
        text = self.palette().text().color()
        for v in (0, 25, 50, 75, 100):
            y = top + h * (1 - v / 100.0)
            p.setPen(QPen(GRID, 1))
            p.drawLine(QPointF(left, y), QPointF(left + w, y))
            p.setPen(text)
            p.drawText(QRectF(0, y - 8, left - 4, 16), Qt.AlignRight | Qt.AlignVCenter, f"{v * self.maximum / 100:g}")
        n = len(self.stages)
        slot = w / n
        bw = min(46.0, slot * 0.6)
        for k, (stage, total, level) in enumerate(zip(self.stages, self.totals, self.levels)):
            x = left + slot * k + (slot - bw) / 2
            bh = h * max(0.0, min(1.0, total / self.maximum))
            p.fillRect(QRectF(x, top + h - bh, bw, bh), CURRENT_COLOUR if k == 0 else TARGET_COLOUR)
            p.setPen(text)
            p.drawText(QRectF(x - 20, top + h - bh - 15, bw + 40, 14), Qt.AlignCenter, f"{total:.1f}")
            p.drawText(QRectF(left + slot * k, top + h + 2, slot, 16), Qt.AlignCenter, stage)
            p.drawText(QRectF(left + slot * k, top + h + 17, slot, 16), Qt.AlignCenter, level)
        p.end()
