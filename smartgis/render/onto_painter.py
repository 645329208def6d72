"""Drawing a map straight onto a caller's painter, inside a rectangle (QtGui only).

A PDF, a print or a map sheet hands over its own painter: the layers are drawn with it
on the calling thread (vector graphics stay vectors), not into per-layer images as on
the canvas.  :func:`smartgis.render.render_to_painter` and
:func:`smartgis.render.cartography.draw_sheet_map` both set the painter up the same
way and guard each layer the same way; this is that set-up.
"""

from __future__ import annotations

from contextlib import contextmanager

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from smartgis.render.job import describe_error
from smartgis.render.view import MapView


@contextmanager
def map_in_rect(painter: QPainter, target_rect, extent, dpi: float):
    """Set ``painter`` up to draw the map ``extent`` inside ``target_rect`` (painter units);
    yields the :class:`MapView` whose pixels are the rectangle's units.

    The painter is clipped to the rectangle, moved to its corner and scaled from whole
    view pixels to the rectangle's (possibly fractional) size, antialiased; its state is
    restored on leaving.
    """
    rect = QRectF(target_rect)
    w, h = max(1, int(round(rect.width()))), max(1, int(round(rect.height())))
    view = MapView.fit(extent, w, h, dpi)
    painter.save()
    painter.setClipRect(rect)
    painter.translate(rect.topLeft())
    painter.scale(rect.width() / w, rect.height() / h)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    try:
        yield view
    finally:
        painter.restore()


@contextmanager
def one_layer(painter: QPainter, snap, errors: dict):
    """Draw one layer's snapshot with its opacity; an exception raised inside is kept
    as the layer's error in ``errors`` (one bad layer must not spoil the sheet) and the
    painter's state is restored either way."""
    painter.save()
    painter.setOpacity(max(0.0, min(1.0, snap.opacity)))
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - one bad layer must not spoil the sheet
        errors[snap.layer_id] = describe_error(exc)
    finally:
        painter.restore()


__all__ = ["map_in_rect", "one_layer"]
