"""Small widgets shared by the dialogs: a colour button, colour conversions."""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QColorDialog, QToolButton


def to_qcolor(color: str | None) -> QColor:
    """A model colour (``#rrggbb`` or ``#rrggbbaa``) as a QColor."""
    c = (color or "#000000").lstrip("#")
    if len(c) == 8:
        return QColor(int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16), int(c[6:8], 16))
    q = QColor("#" + c)
    return q if q.isValid() else QColor(0, 0, 0)


def from_qcolor(q: QColor) -> str:
    """A QColor as a model colour: ``#rrggbb``, or ``#rrggbbaa`` when not opaque."""
    base = "#%02x%02x%02x" % (q.red(), q.green(), q.blue())
    return base if q.alpha() == 255 else base + "%02x" % q.alpha()


def svg_pixmap(icon: str | None, size: int = 16) -> QPixmap | None:
    """An element type's SVG symbol drawn at ``size`` pixels, as the map draws it: the
    icon embedded in the project (``base64:``) or a file (None when there is no such
    icon or it is not a valid SVG)."""
    from smartgis.core.symbols import icon_bytes
    data = icon_bytes(icon)
    if not data:
        return None
    from PySide6.QtCore import QByteArray, QRectF
    from PySide6.QtSvg import QSvgRenderer
    r = QSvgRenderer(QByteArray(data))
    if not r.isValid():
        return None
    pm = QPixmap(size, size)
    pm.fill(QColor(0, 0, 0, 0))
    p = QPainter(pm)
    p.setRenderHint(QPainter.Antialiasing)
    r.render(p, QRectF(0, 0, size, size))
    p.end()
    return pm


def swatch_icon(fill: str, stroke: str | None = None, size: int = 16) -> QIcon:
    """A small square of ``fill`` framed with ``stroke`` (legend entries, buttons)."""
    pm = QPixmap(size, size)
    pm.fill(QColor(0, 0, 0, 0))
    p = QPainter(pm)
    p.setBrush(to_qcolor(fill))
    p.setPen(to_qcolor(stroke or "#404040"))
    p.drawRect(1, 1, size - 3, size - 3)
    p.end()
    return QIcon(pm)


class ColorButton(QToolButton):
    """A button showing a colour; clicking opens a colour dialog.

    Signals
    -------
    color_changed(str)
        The new colour as ``#rrggbb`` / ``#rrggbbaa``.
    """

    color_changed = Signal(str)

    def __init__(self, color: str = "#000000", parent=None, alpha: bool = True):
        super().__init__(parent)
        self._alpha = alpha
        self._color = color
        self.setIconSize(QSize(36, 14))
        self.setMinimumWidth(56)
        self.clicked.connect(self._choose)
        self._update()

    def color(self) -> str:
        return self._color

    def set_color(self, color: str) -> None:
        if color != self._color:
            self._color = color
            self._update()
            self.color_changed.emit(color)

    def _update(self) -> None:
        pm = QPixmap(36, 14)
        pm.fill(QColor(255, 255, 255))
        p = QPainter(pm)
        # a checkerboard behind shows transparency
        for x in range(0, 36, 6):
            for y in range(0, 14, 6):
                if (x // 6 + y // 6) % 2:
                    p.fillRect(x, y, 6, 6, QColor(200, 200, 200))
        p.fillRect(0, 0, 36, 14, to_qcolor(self._color))
        p.setPen(QColor(90, 90, 90))
        p.drawRect(0, 0, 35, 13)
        p.end()
        self.setIcon(QIcon(pm))
        self.setToolTip(self._color)

    def _choose(self) -> None:
        opts = QColorDialog.ShowAlphaChannel if self._alpha else QColorDialog.ColorDialogOption(0)
        q = QColorDialog.getColor(to_qcolor(self._color), self, self.tr("Choose colour"), opts)
        if q.isValid():
            self.set_color(from_qcolor(q))
