"""Reading the rings of simple polygons straight from GeoPackage geometry blobs.

Drawing a street-level window from the file needs the coordinates of a few tens of
thousands of building outlines.  Going through shapely makes a GEOS geometry of every
blob and asks for its coordinates again; for the commonest case — a polygon of one
ring, two dimensions, little-endian WKB, which is what GDAL and SmartGIS write for
buildings — the vertices are a run of float64 pairs at a fixed place in the blob, and
numpy can take them from all blobs at once.

GeoPackage binary (spec 2.1.3): ``GP``, version, flags (bit 0 byte order of the
header, bits 1-3 envelope code, bit 4 empty), srs_id, envelope, then standard WKB:
byte order (1 = little-endian), uint32 type (3 = Polygon), uint32 ring count, per ring
uint32 point count and the points.
"""

from __future__ import annotations

import numpy as np

#: Header length by envelope code.
_HEADER = np.array([8, 40, 56, 56, 72, -1, -1, -1], dtype=np.int64)


def ranges(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(lo[i], hi[i])`` for all i (empty runs give nothing),
    without a Python loop."""
    lens = hi - lo
    keep = lens > 0
    if not keep.all():
        lo, lens = lo[keep], lens[keep]
    total = int(lens.sum())
    if not total:
        return np.empty(0, dtype=np.int64)
    steps = np.ones(total, dtype=np.int64)
    firsts = np.concatenate([[0], np.cumsum(lens)[:-1]])
    steps[firsts] = lo - np.concatenate([[0], lo[:-1] + lens[:-1] - 1])
    steps[0] = lo[0]
    return np.cumsum(steps)


def u32(buf: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Little-endian uint32 at byte positions ``at``."""
    b = buf[at[:, None] + np.arange(4)].astype(np.int64)
    return b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16) | (b[:, 3] << 24)


def laid_end_to_end(blobs) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """``(buf, starts, lens)``: the blobs joined into one byte array, where each begins
    and how long it is — or None when one of them is null."""
    n = len(blobs)
    try:
        lens = np.fromiter((len(b) for b in blobs), dtype=np.int64, count=n)
        buf = np.frombuffer(b"".join(blobs), dtype=np.uint8)
    except TypeError:   # a null geometry
        return None
    starts = np.zeros(n, dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    return buf, starts, lens


def polygon_rings(buf: np.ndarray, at: np.ndarray, lens: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """``(x, y, offsets)`` of the single ring of each WKB polygon ``buf[at[i]:at[i] + lens[i]]``,
    or None when any of them is not a one-ring 2D little-endian Polygon of at least four
    points filling exactly its ``lens[i]`` bytes.

    The one reader of the WKB behind a GeoPackage header (:func:`simple_polygon_rings`)
    and of the plain WKB a PostGIS server sends
    (:func:`smartgis.postgis.source.polygon_rings_of_wkb`): each caller checks and
    skips its own prefix, this reads what follows.  Ring ``i`` is
    ``x[offsets[i]:offsets[i + 1]]``.
    """
    if not len(at):
        return np.empty(0), np.empty(0), np.zeros(1, np.int64)
    if (lens < 13).any():
        return None                                   # too short for a polygon's header
    if (buf[at] != 1).any() or (u32(buf, at + 1) != 3).any() or (u32(buf, at + 5) != 1).any():
        return None                                   # not little-endian 2D one-ring polygons
    npts = u32(buf, at + 9)
    if (npts < 4).any():
        return None                                   # not a closed ring
    if (13 + 16 * npts != lens).any():
        return None                                   # a Z/M polygon or a malformed blob
    xy = buf[ranges(at + 13, at + 13 + 16 * npts)].view("<f8").reshape(-1, 2)
    offsets = np.concatenate([[0], np.cumsum(npts)])
    return xy[:, 0].copy(), xy[:, 1].copy(), offsets


def simple_polygon_rings(blobs) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """``(x, y, offsets)`` of the single ring of every blob, or None when any blob is not
    a non-empty one-ring 2D little-endian Polygon in a GeoPackage header.

    Ring ``i`` (of blob ``i``) is ``x[offsets[i]:offsets[i + 1]]``.
    """
    laid = laid_end_to_end(blobs)
    if laid is None:
        return None
    buf, starts, lens = laid
    if (lens < 8 + 13).any():
        return None
    if (buf[starts] != 0x47).any() or (buf[starts + 1] != 0x50).any():
        return None                                   # not "GP"
    flags = buf[starts + 3].astype(np.int64)
    if (flags & 16).any():
        return None                                   # empty geometries
    head = _HEADER[(flags >> 1) & 7]
    if (head < 0).any():
        return None
    return polygon_rings(buf, starts + head, lens - head)


#: Envelope code of each GeoPackage header length (the inverse of :data:`_HEADER`).
_ENVELOPE_OF_HEADER = {8: 0, 40: 1, 56: 2, 72: 4}


def split_polygon_rings(prefixes: bytes, coords: bytes, lengths: np.ndarray, head: int):
    """``(x, y, offsets)`` of one-ring polygons whose blobs were read in two pieces, or
    None when any blob is not a non-empty one-ring 2D little-endian Polygon behind a
    GeoPackage header of ``head`` bytes.

    SQLite concatenates, for all blobs of a window, their first ``head + 13`` bytes
    (header, WKB byte order, type, ring count, point count) into ``prefixes`` and the
    rest (the vertices) into ``coords``: the vertices are then one float64 array, with
    no per-byte gather in numpy.  ``lengths`` are the blobs' full lengths.
    """
    return _split_simple(prefixes, coords, lengths, head, POLYGON_PREFIX)


def split_line_parts(prefixes: bytes, coords: bytes, lengths: np.ndarray, head: int):
    """``(x, y, offsets)`` of LineStrings read in two pieces as for
    :func:`split_polygon_rings` (the prefixes are ``head + 9`` bytes: byte order, type,
    point count), or None when any blob is not a 2D little-endian LineString of at
    least two points behind a GeoPackage header of ``head`` bytes."""
    return _split_simple(prefixes, coords, lengths, head, LINE_PREFIX)


#: WKB bytes after the GeoPackage header up to the vertices of a one-ring Polygon
#: (byte order, type 3, ring count 1, point count) and of a LineString (byte order,
#: type 2, point count), with the type, the fixed counts and the fewest points.
POLYGON_PREFIX = (13, 3, (1,), 4)
LINE_PREFIX = (9, 2, (), 2)


def _split_simple(prefixes: bytes, coords: bytes, lengths: np.ndarray, head: int, kind):
    wkb_bytes, wkb_type, counts, min_points = kind
    n = len(lengths)
    if not n:
        return np.empty(0), np.empty(0), np.zeros(1, np.int64)
    code = _ENVELOPE_OF_HEADER.get(int(head))
    width = head + wkb_bytes
    if code is None or len(prefixes) != n * width or (lengths < width).any():
        return None
    pre = np.frombuffer(prefixes, dtype=np.uint8).reshape(n, width)
    if (pre[:, 0] != 0x47).any() or (pre[:, 1] != 0x50).any():
        return None                                   # not "GP"
    flags = pre[:, 3]
    if (flags & 16).any() or (((flags >> 1) & 7) != code).any():
        return None                                   # empty, or another header length
    word = pre[:, head + 1:width].copy().view("<u4")  # type, the fixed counts, point count
    if (pre[:, head] != 1).any() or (word[:, 0] != wkb_type).any():
        return None                                   # not little-endian, or another type
    for k, c in enumerate(counts, start=1):
        if (word[:, k] != c).any():
            return None                               # e.g. a polygon with holes
    npts = word[:, -1].astype(np.int64)
    if (npts < min_points).any() or (lengths != width + 16 * npts).any() or len(coords) != 16 * int(npts.sum()):
        return None                                   # too few points, a Z/M geometry, malformed
    xy = np.frombuffer(coords, dtype="<f8").reshape(-1, 2)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(npts, out=offsets[1:])
    return xy[:, 0].copy(), xy[:, 1].copy(), offsets
