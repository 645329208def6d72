"""The map view: which part of the map goes onto how many pixels at what resolution.

A :class:`MapView` is immutable and Qt-free (numpy only), so snapshots and render jobs
can share it between threads.  Pixel ``(0, 0)`` is the top-left corner of the image
and map ``(xmin, ymax)``; pixel rows grow downwards while map ``y`` grows upwards.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from smartgis.errors import UsageError
from smartgis.i18n import _

#: Metres per inch: the scale 1:N is ground metres per metre of screen or paper.
METRES_PER_INCH = 0.0254


def widen_extent(extent, width: int, height: int) -> tuple[float, float, float, float]:
    """Grow ``extent`` about its centre to the aspect ratio of a ``width`` × ``height`` image.

    This is what QGIS does with the requested extent of a map: nothing asked for is
    cut off, and map units stay square.
    """
    xmin, ymin, xmax, ymax = (float(v) for v in extent)
    if not all(math.isfinite(v) for v in (xmin, ymin, xmax, ymax)) or xmax < xmin or ymax < ymin:
        raise UsageError(_("invalid extent {extent!r} (give xmin, ymin, xmax, ymax with min < max)", extent=extent))
    if width <= 0 or height <= 0:
        raise UsageError(_("invalid image size {width}x{height}", width=width, height=height))
    w, h = xmax - xmin, ymax - ymin
    if w <= 0 and h <= 0:
        w = h = 1.0  # a single point: one map unit across
    mupp = max(w / width, h / height)
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    hw, hh = mupp * width / 2, mupp * height / 2
    return (cx - hw, cy - hh, cx + hw, cy + hh)


def scale_denominator(mupp: float, dpi: float) -> float:
    """The N of 1:N for ``mupp`` map units (metres) per pixel at ``dpi`` pixels per inch."""
    return mupp * dpi / METRES_PER_INCH


def mupp_for_scale(scale: float, dpi: float) -> float:
    """Map units (metres) per pixel giving the scale 1:``scale`` at ``dpi``."""
    return scale * METRES_PER_INCH / dpi


@dataclass(frozen=True)
class MapView:
    """An extent drawn onto ``width`` × ``height`` pixels at ``dpi``.

    Build it with :meth:`fit` so that the extent has the image's aspect ratio.

    Parameters
    ----------
    extent : tuple of float
        ``(xmin, ymin, xmax, ymax)`` in the project CRS.
    width, height : int
        Pixels.
    dpi : float
        Pixels per inch of the output; symbol sizes in millimetres scale with it.
    """

    extent: tuple
    width: int
    height: int
    dpi: float = 96.0

    @classmethod
    def fit(cls, extent, width: int, height: int, dpi: float = 96.0) -> "MapView":
        """The view showing at least ``extent`` on a ``width`` × ``height`` image."""
        return cls(widen_extent(extent, width, height), int(width), int(height), float(dpi))

    @classmethod
    def centred(cls, centre, mupp: float, width: int, height: int, dpi: float = 96.0) -> "MapView":
        """The view of ``mupp`` map units per pixel centred on ``centre``."""
        cx, cy = centre
        hw, hh = mupp * width / 2, mupp * height / 2
        return cls((cx - hw, cy - hh, cx + hw, cy + hh), int(width), int(height), float(dpi))

    # -- measures ----------------------------------------------------------------------
    @property
    def mupp(self) -> float:
        """Map units per pixel."""
        return (self.extent[2] - self.extent[0]) / self.width

    @property
    def scale(self) -> float:
        """The N of the scale 1:N."""
        return scale_denominator(self.mupp, self.dpi)

    @property
    def centre(self) -> tuple[float, float]:
        x0, y0, x1, y1 = self.extent
        return ((x0 + x1) / 2, (y0 + y1) / 2)

    def mm(self, millimetres: float) -> float:
        """Pixels for a length in millimetres at this view's DPI."""
        return float(millimetres) * self.dpi / 25.4

    # -- transforms --------------------------------------------------------------------
    def to_pixels(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        """Pixel coordinates of map coordinates (vectorised)."""
        inv = 1.0 / self.mupp
        return ((np.asarray(x, dtype=np.float64) - self.extent[0]) * inv,
                (self.extent[3] - np.asarray(y, dtype=np.float64)) * inv)

    def to_map(self, px, py) -> tuple[np.ndarray, np.ndarray]:
        """Map coordinates of pixel coordinates (vectorised)."""
        m = self.mupp
        return (self.extent[0] + np.asarray(px, dtype=np.float64) * m,
                self.extent[3] - np.asarray(py, dtype=np.float64) * m)

    def map_rect_to_pixels(self, extent) -> tuple[float, float, float, float]:
        """``(left, top, width, height)`` in pixels of a map rectangle."""
        x0, y0, x1, y1 = extent
        inv = 1.0 / self.mupp
        return ((x0 - self.extent[0]) * inv, (self.extent[3] - y1) * inv, (x1 - x0) * inv, (y1 - y0) * inv)

    def key(self) -> tuple:
        """A hashable identity of the view (render caches key on it)."""
        return (tuple(round(v, 6) for v in self.extent), self.width, self.height, round(self.dpi, 3))

    def affine(self):
        """The rasterio/GDAL ``Affine`` of the view grid."""
        from affine import Affine
        return Affine(self.mupp, 0.0, self.extent[0], 0.0, -self.mupp, self.extent[3])
