"""Colours: style strings to RGBA, and the colour ramps of single-band rasters.

Style colours are ``#rrggbb`` or ``#rrggbbaa`` (and, for convenience, any name Qt
knows).  Ramps are 256-entry RGBA lookup tables built by linear interpolation between
a few stops, so colouring a raster is one numpy ``take``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

#: Ramp stops (position 0..1, "#rrggbb").
RAMPS: dict[str, list[tuple[float, str]]] = {
    "greys": [(0.0, "#000000"), (1.0, "#ffffff")],
    # a hypsometric tint: sea-level green, lowland yellow, upland brown, summit white
    "terrain": [(0.0, "#336633"), (0.15, "#4f9a4f"), (0.35, "#c9d17a"), (0.55, "#d9b36b"),
                (0.75, "#a3773f"), (0.9, "#b9aba0"), (1.0, "#ffffff")],
    "viridis": [(0.0, "#440154"), (0.125, "#472d7b"), (0.25, "#3b528b"), (0.375, "#2c728e"),
                (0.5, "#21918c"), (0.625, "#28ae80"), (0.75, "#5ec962"), (0.875, "#addc30"),
                (1.0, "#fde725")],
    "spectral": [(0.0, "#9e0142"), (0.1, "#d53e4f"), (0.2, "#f46d43"), (0.3, "#fdae61"),
                 (0.4, "#fee08b"), (0.5, "#ffffbf"), (0.6, "#e6f598"), (0.7, "#abdda4"),
                 (0.8, "#66c2a5"), (0.9, "#3288bd"), (1.0, "#5e4fa2")],
}


def parse_rgba(color) -> tuple[int, int, int, int]:
    """``(r, g, b, a)`` 0..255 of ``#rgb``, ``#rrggbb``, ``#rrggbbaa`` or a tuple.

    Unknown text gives opaque black rather than an error: a typo in a style must not
    stop a map from drawing.
    """
    if color is None:
        return (0, 0, 0, 0)
    if isinstance(color, (tuple, list)):
        c = [int(v) for v in color] + [255]
        return (c[0], c[1], c[2], c[3] if len(color) > 3 else 255)
    s = str(color).strip()
    if s.startswith("#"):
        h = s[1:]
        try:
            if len(h) == 3:
                return (int(h[0] * 2, 16), int(h[1] * 2, 16), int(h[2] * 2, 16), 255)
            if len(h) in (6, 8):
                r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
                a = int(h[6:8], 16) if len(h) == 8 else 255
                return (r, g, b, a)
        except ValueError:
            pass
        return (0, 0, 0, 255)
    return _named(s)


@lru_cache(maxsize=64)
def _named(name: str) -> tuple[int, int, int, int]:
    from PySide6.QtGui import QColor
    c = QColor(name)
    if not c.isValid():
        return (0, 0, 0, 255)
    return (c.red(), c.green(), c.blue(), c.alpha())


def qcolor(color, alpha_factor: float = 1.0):
    """A ``QColor`` of a style colour, its alpha multiplied by ``alpha_factor``."""
    from PySide6.QtGui import QColor
    r, g, b, a = parse_rgba(color)
    return QColor(r, g, b, max(0, min(255, int(round(a * alpha_factor)))))


@lru_cache(maxsize=16)
def ramp_lut(name: str) -> np.ndarray:
    """A (256, 4) uint8 RGBA table of a ramp (``greys`` for unknown names)."""
    stops = RAMPS.get(str(name).lower(), RAMPS["greys"])
    pos = np.array([p for p, _ in stops])
    cols = np.array([parse_rgba(c) for _, c in stops], dtype=np.float64)
    t = np.linspace(0.0, 1.0, 256)
    lut = np.empty((256, 4), dtype=np.uint8)
    for k in range(4):
        lut[:, k] = np.round(np.interp(t, pos, cols[:, k])).astype(np.uint8)
    lut.flags.writeable = False
    return lut
