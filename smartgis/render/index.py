"""A uniform grid index over feature bounding boxes (numpy only, built in ~0.1 s per
million features).

Features no larger than a cell are filed under the cell of their lower-left corner
and sorted by cell, so the features of one row of cells are one contiguous slice; a
window query reads one slice per row and filters the candidates by their boxes.  The
few features larger than a cell (long roads, district outlines) are kept apart and
tested directly.  This is the same idea as QGIS's use of the GeoPackage R-tree, with
no per-feature Python anywhere.
"""

from __future__ import annotations

import math

import numpy as np

from smartgis.geometry.wkb import ranges  # noqa: F401 - also the renderer's address for it

#: Aim for this many features per cell.
FEATURES_PER_CELL = 16


class GridIndex:
    """Answer "which features' boxes meet this rectangle?" fast.

    Parameters
    ----------
    bounds : ndarray
        (n, 4) ``xmin, ymin, xmax, ymax`` per feature; rows with NaN (null or empty
        geometries) are never returned.
    """

    def __init__(self, bounds: np.ndarray):
        b = np.asarray(bounds, dtype=np.float64).reshape(-1, 4)
        self.bounds = b
        self.n = len(b)
        valid = np.isfinite(b).all(axis=1)
        self.valid = np.flatnonzero(valid)
        if not len(self.valid):
            self.extent = None
            self._large = np.empty(0, dtype=np.int64)
            self._sorted = np.empty(0, dtype=np.int64)
            return
        vb = b[self.valid]
        x0, y0 = float(vb[:, 0].min()), float(vb[:, 1].min())
        x1, y1 = float(vb[:, 2].max()), float(vb[:, 3].max())
        self.extent = (x0, y0, x1, y1)
        w, h = max(x1 - x0, 1e-9), max(y1 - y0, 1e-9)
        cell = math.sqrt(w * h * FEATURES_PER_CELL / max(len(vb), 1))
        # Cells no smaller than the typical feature, and no more than ~4M of them.
        sizes = np.maximum(vb[:, 2] - vb[:, 0], vb[:, 3] - vb[:, 1])
        cell = max(cell, float(np.median(sizes)) * 2, max(w, h) / 2048, 1e-9)
        self.cell = cell
        self.ncols = int(w // cell) + 1
        self.nrows = int(h // cell) + 1
        large = sizes > cell
        self._large = self.valid[large]
        small = self.valid[~large]
        sb = b[small]
        col = ((sb[:, 0] - x0) // cell).astype(np.int64)
        row = ((sb[:, 1] - y0) // cell).astype(np.int64)
        np.clip(col, 0, self.ncols - 1, out=col)
        np.clip(row, 0, self.nrows - 1, out=row)
        cid = row * self.ncols + col
        order = np.argsort(cid, kind="stable")
        self._sorted = small[order]
        self._starts = np.searchsorted(cid[order], np.arange(self.nrows * self.ncols + 1))

    def query(self, rect, sort: bool = True) -> np.ndarray:
        """Indices of the features whose boxes intersect ``rect`` (xmin, ymin, xmax, ymax).

        Parameters
        ----------
        sort : bool
            Return them in feature order (the order they are drawn in); False returns
            them in grid order, which is cheaper when order does not matter.
        """
        if self.extent is None:
            return np.empty(0, dtype=np.int64)
        qx0, qy0, qx1, qy1 = (float(v) for v in rect)
        ex0, ey0, ex1, ey1 = self.extent
        if qx0 > ex1 or qx1 < ex0 or qy0 > ey1 or qy1 < ey0:
            return np.empty(0, dtype=np.int64)
        if qx0 <= ex0 and qy0 <= ey0 and qx1 >= ex1 and qy1 >= ey1:
            return self.valid.copy()  # everything: already in feature order
        c = self.cell
        # A small feature filed under cell (r, k) reaches at most one cell up and right.
        c0 = max(int((qx0 - ex0) // c) - 1, 0)
        c1 = min(int((qx1 - ex0) // c), self.ncols - 1)
        r0 = max(int((qy0 - ey0) // c) - 1, 0)
        r1 = min(int((qy1 - ey0) // c), self.nrows - 1)
        parts = []
        if c1 >= c0 and r1 >= r0:
            rows = np.arange(r0, r1 + 1)
            lo = self._starts[rows * self.ncols + c0]
            hi = self._starts[rows * self.ncols + c1 + 1]
            parts.append(self._sorted[ranges(lo, hi)])
        if len(self._large):
            parts.append(self._large)
        cand = np.concatenate(parts) if len(parts) > 1 else (parts[0] if parts else np.empty(0, np.int64))
        if not len(cand):
            return cand
        b = self.bounds[cand]
        hit = (b[:, 0] <= qx1) & (b[:, 2] >= qx0) & (b[:, 1] <= qy1) & (b[:, 3] >= qy0)
        out = cand[hit]
        if sort:
            out.sort()
        return out


