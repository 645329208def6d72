"""Extents: the box around many boxes."""

from __future__ import annotations

import math

import numpy as np


def union_bounds(bounds) -> tuple[float, float, float, float] | None:
    """The box ``(minx, miny, maxx, maxy)`` around the rows of an ``(n, 4)`` bounds array.

    Rows of NaN (empty geometries, as ``shapely.bounds`` gives them) are left out;
    None when no row is finite.

    Examples
    --------
    >>> union_bounds([(0, 0, 1, 1), (2, -1, 3, 0.5)])
    (0.0, -1.0, 3.0, 1.0)
    """
    b = np.asarray(bounds, dtype=np.float64).reshape(-1, 4)
    if not len(b) or not np.isfinite(b).any():
        return None
    with np.errstate(all="ignore"):
        ext = (np.nanmin(b[:, 0]), np.nanmin(b[:, 1]), np.nanmax(b[:, 2]), np.nanmax(b[:, 3]))
    if not all(math.isfinite(v) for v in ext):
        return None
    return tuple(float(v) for v in ext)
