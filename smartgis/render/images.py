"""numpy arrays ⇄ QImage without per-pixel Python.

The renderer composes sub-pixel features, rasters and hillshades in numpy and hands
the result to QPainter as a ``QImage`` over the same memory (RGBA8888 byte order is
the same on every platform, so no channel swizzling is needed).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage


def rgba_to_qimage(rgba: np.ndarray, premultiplied: bool = False, copy: bool = True) -> QImage:
    """A QImage of an (h, w, 4) uint8 RGBA array.

    Parameters
    ----------
    rgba : ndarray
        Straight (not premultiplied) alpha unless ``premultiplied``.
    premultiplied : bool
        True when the colour channels are already multiplied by alpha.
    copy : bool
        Detach the image from the array (set False only when the array outlives the
        image, e.g. inside one drawing call).
    """
    arr = np.ascontiguousarray(rgba, dtype=np.uint8)
    h, w = arr.shape[:2]
    if not premultiplied:
        arr = premultiply(arr)
    img = QImage(arr.data, w, h, w * 4, QImage.Format.Format_RGBA8888_Premultiplied)
    if copy:
        return img.copy()
    img._keepalive = arr  # the QImage points into the array's memory
    return img


def premultiply(rgba: np.ndarray) -> np.ndarray:
    """RGBA with colour multiplied by alpha (what Qt's premultiplied formats hold)."""
    out = rgba.copy()
    a = rgba[..., 3:4].astype(np.uint16)
    out[..., :3] = ((rgba[..., :3].astype(np.uint16) * a + 127) // 255).astype(np.uint8)
    return out


def qimage_to_rgba(img: QImage) -> np.ndarray:
    """An (h, w, 4) uint8 array of straight RGBA (a copy)."""
    conv = img.convertToFormat(QImage.Format.Format_RGBA8888)
    h, w = conv.height(), conv.width()
    buf = np.frombuffer(conv.constBits(), dtype=np.uint8, count=conv.bytesPerLine() * h)
    return buf.reshape(h, conv.bytesPerLine())[:, :w * 4].reshape(h, w, 4).copy()


def new_image(width: int, height: int, fill=None) -> QImage:
    """A transparent (or ``fill``-coloured) ARGB32 premultiplied image, the fastest
    format for QPainter's raster engine."""
    img = QImage(int(width), int(height), QImage.Format.Format_ARGB32_Premultiplied)
    if fill is None:
        img.fill(0)
    else:
        img.fill(fill)
    return img
