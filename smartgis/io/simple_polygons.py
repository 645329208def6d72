"""Building outlines that are valid by construction, found in the WKB without GEOS.

Most buildings of a survey are one-ring polygons, and most of those are convex
(rectangles, mostly).  An import must know of every geometry that it is valid (or
repair and report it), its bounds for the R-tree, its type and dimensions — for such
a polygon all of that can be read from its WKB with numpy, for a whole batch at once,
in half the time GEOS takes to parse the WKB and check validity.

A ring is taken as proven valid only when all of this holds (anything else goes
through shapely as before, so the set of invalid geometries reported is unchanged):

* little-endian WKB of a 2D ``Polygon`` (type 3) with exactly one ring, the blob's
  length matching its point count (no Z/M, no trailing bytes);
* at least 4 points, the first equal to the last (closed);
* at every vertex the ring turns the same way, by a cross product clearly away from
  zero (``|cross| > 1e-12 × (|a₁b₂| + |a₂b₁|)``, far above float64 rounding, so GEOS's
  exact orientation test agrees): no repeated point, spike or collinear vertex;
* the turning adds up to one full turn (a ring of five or more turns could wind twice,
  a pentagram; four turns of less than 180° cannot).

A closed polygonal ring that turns the same way at every vertex and once in all is
a convex simple polygon — valid for GEOS (closed, at least three distinct points,
no self-intersection, no holes).  NaN or infinite coordinates fail the comparisons
and go through shapely too.
"""

from __future__ import annotations

import numpy as np

#: Smallest WKB of a one-ring polygon: byte order, type, ring count, point count, 4 points.
_MIN_LEN = 13 + 4 * 16


def convex_polygons(column) -> tuple[np.ndarray, np.ndarray]:
    """Rows of a WKB column proven to be valid convex one-ring 2D polygons.

    Parameters
    ----------
    column : pyarrow.BinaryArray or pyarrow.LargeBinaryArray
        The geometry column of a batch, as GDAL hands it (ISO WKB).

    Returns
    -------
    (mask, bounds)
        ``mask[i]`` is True for a proven row; ``bounds[i]`` its (minx, miny, maxx,
        maxy) (NaN for the other rows).
    """
    import pyarrow as pa

    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if isinstance(column, pa.ExtensionArray):      # geoarrow.wkb: the bytes are its storage
        column = column.storage
    n = len(column)
    mask = np.zeros(n, dtype=bool)
    bounds = np.full((n, 4), np.nan)
    if not n or not (pa.types.is_binary(column.type) or pa.types.is_large_binary(column.type)):
        return mask, bounds
    _validity, offsets_buf, data_buf = column.buffers()
    if data_buf is None:
        return mask, bounds
    off_type = np.int64 if pa.types.is_large_binary(column.type) else np.int32
    offsets = np.frombuffer(offsets_buf, dtype=off_type, count=column.offset + n + 1)[column.offset:].astype(np.int64)
    data = np.frombuffer(data_buf, dtype=np.uint8)
    lengths = np.diff(offsets)
    ok = lengths >= _MIN_LEN
    if column.null_count:
        ok &= column.is_valid().to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(ok)
    if not len(rows):
        return mask, bounds
    starts = offsets[rows]
    head = data[starts[:, None] + np.arange(13)]
    words = head[:, 1:13].copy().view("<u4")                 # type, ring count, point count
    npts = words[:, 2].astype(np.int64)
    simple = (head[:, 0] == 1) & (words[:, 0] == 3) & (words[:, 1] == 1) & (npts >= 4) \
        & (lengths[rows] == 13 + 16 * npts)
    rows, starts, npts = rows[simple], starts[simple], npts[simple]
    for k in np.unique(npts).tolist():
        same = npts == k
        r = rows[same]
        if len(r) and r[-1] - r[0] == len(r) - 1:
            # rows next to each other (all rings of the batch have k points — rectangles):
            # their bytes are one block of equal records, read without a gather
            x, y = _block_points(data, int(starts[same][0]), len(r), k)
        else:
            x, y = _points(data, starts[same] + 13, k)       # (k, m): vertex j of every ring in row j
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            # NaN and infinite coordinates give NaN below and fail every test
            closed = (x[0] == x[-1]) & (y[0] == y[-1])
            ex, ey = x[1:] - x[:-1], y[1:] - y[:-1]              # the k - 1 edges
            px, py = np.roll(ex, 1, axis=0), np.roll(ey, 1, axis=0)  # the edge coming into each vertex
            p1, p2 = px * ey, py * ex
            # the turn at each vertex against the rounding of its terms (NaN for a
            # repeated point: fails both tests)
            turn = (p1 - p2) / (np.abs(p1) + np.abs(p2))
            good = closed & ((turn.min(axis=0) > 1e-12) | (turn.max(axis=0) < -1e-12))
            if k - 1 > 4:
                turning = np.arctan2(p1 - p2, px * ex + py * ey).sum(axis=0)
                good &= np.abs(np.abs(turning) - 2 * np.pi) < 1.0
        if not good.any():
            continue
        g = r[good]
        mask[g] = True
        xg, yg = x[:, good], y[:, good]
        bounds[g, 0], bounds[g, 1] = xg.min(axis=0), yg.min(axis=0)
        bounds[g, 2], bounds[g, 3] = xg.max(axis=0), yg.max(axis=0)
    return mask, bounds


def _points(data: np.ndarray, at: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` (x, y) float64 pairs starting at byte ``at`` of each of m rows, as two
    (k, m) arrays: vertex j of all rings in one contiguous row, so that the arithmetic
    and the reductions run across rings.

    Gathered as whole float64 values, one view of the buffer per byte alignment
    (WKB in a column is not 8-byte aligned), not byte by byte.
    """
    out = np.empty((2 * k, len(at)))
    residue = at % 8
    for r in np.unique(residue).tolist():
        sel = residue == r
        values = np.frombuffer(data.data, dtype="<f8", offset=r, count=(len(data) - r) // 8)
        out[:, sel] = values[np.arange(2 * k)[:, None] + ((at[sel] - r) // 8)[None, :]]
    return out[0::2], out[1::2]


def _block_points(data: np.ndarray, start: int, m: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_points` of ``m`` one-ring polygons of ``k`` points stored one after the
    other from byte ``start`` (each ``13 + 16 k`` bytes long)."""
    size = 13 + 16 * k
    records = data[start:start + m * size].reshape(m, size)[:, 13:]
    xy = np.ascontiguousarray(records).view("<f8")                # (m, 2k)
    return np.ascontiguousarray(xy[:, 0::2].T), np.ascontiguousarray(xy[:, 1::2].T)
