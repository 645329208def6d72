"""Filling and outlining ready-made polygon paths with one symbol.

Used for paths made in pixel coordinates for one view and for the kept paths of a
layer in map coordinates (the painter's transform maps those).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPen

from smartgis.render.symbols import make_brush, make_pen

#: With more rings than this in one class, outlined polygons are filled without
#: antialiasing under antialiased outlines (the outline covers the fill's edge, so
#: the two look the same; filling without antialiasing is five times faster).
FAST_FILL_RINGS = 0
#: Paths drawn between two looks at the cancel token (each path takes tens of
#: microseconds; a look, one).
CHECK_EVERY = 8


def outline_pen(symbol, view):
    """``(pen, outlined)``: the outline pen of ``symbol`` in pixels, and whether it is
    strong enough to hide a fill's edge."""
    pen = make_pen(symbol.stroke, view.mm(symbol.stroke_width), symbol.dash, outline=True)
    outlined = pen.style() != Qt.PenStyle.NoPen and pen.color().alphaF() * pen.widthF() >= 0.25
    return pen, outlined


def fills_fast(painter: QPainter, outlined: bool, rings: int | None) -> bool:
    """Whether rings are filled without antialiasing under their antialiased outline."""
    return painter.testRenderHint(QPainter.RenderHint.Antialiasing) and outlined \
        and (rings is None or rings > FAST_FILL_RINGS)


def paint_paths(painter: QPainter, batch: list, symbol, view, cancel, rings: int | None = None,
                mapped: tuple | None = None, pen: tuple | None = None) -> None:
    """Fill and outline ``batch`` (QPainterPaths of closed rings, in pixels) with ``symbol``.

    Parameters
    ----------
    rings : int, optional
        How many rings the paths hold (for :data:`FAST_FILL_RINGS`); default: many.
    mapped : (QTransform, list), optional
        More paths of the same symbol in other coordinates: the transform to pixels
        and the paths.  Drawn in the same passes (all fills before any outline, as
        for one batch), outlined with the same pen in pixels (a cosmetic pen: Qt then
        strokes the mapped path in pixels, as it strokes the others).
    pen : (QPen, bool), optional
        :func:`outline_pen` of ``symbol``, when the caller has made it already.
    """
    brush = make_brush(symbol.fill)
    pen, outlined = pen if pen is not None else outline_pen(symbol, view)
    passes = [(None, pen, batch)]
    if mapped is not None and mapped[1]:
        transform, more = mapped
        in_pixels = QPen(pen)
        in_pixels.setCosmetic(True)
        passes.insert(0, (transform, in_pixels, more))
    if fills_fast(painter, outlined, rings):
        # Many rings: fill without antialiasing, then draw the antialiased outlines
        # over the edges — twice as fast, and the outline hides the difference.
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(brush)
        _each(painter, passes, None, cancel)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        _each(painter, passes, True, cancel)
    else:
        painter.setBrush(brush)
        _each(painter, passes, True, cancel)


def _each(painter: QPainter, passes, with_pen, cancel) -> None:
    for transform, pen, paths in passes:
        if not paths:
            continue
        if with_pen:
            painter.setPen(pen)
        if transform is not None:
            painter.save()
            painter.setWorldTransform(transform, True)
        try:
            draw = painter.drawPath
            for k, path in enumerate(paths):
                if not k % CHECK_EVERY:
                    cancel.check()
                draw(path)
        finally:
            if transform is not None:
                painter.restore()
