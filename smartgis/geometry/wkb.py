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


def split_polygon_rings(starts: bytes, coords: bytes, head: int, total: int):
    """``(x, y, offsets)`` of one-ring polygons whose blobs SQLite read in pieces, or
    None when a blob is not a 2D little-endian one-ring Polygon or the pieces do not
    add up.

    For all blobs of a window SQLite concatenates the WKB bytes before their vertices
    (byte order, type, ring count, point count: ``starts``) and their vertices
    (``coords``), and sums their lengths (``total``); the vertices are then one float64
    array, with no per-byte gather in numpy.  The reader has checked in SQLite that
    every blob has the GeoPackage header of ``head`` bytes that :func:`header_start`
    read from the first one.
    """
    return _split_simple(starts, coords, head, total, POLYGON_PREFIX)


def split_line_parts(starts: bytes, coords: bytes, head: int, total: int):
    """``(x, y, offsets)`` of LineStrings read in pieces as for
    :func:`split_polygon_rings` (``starts``: byte order, type, point count), or None
    when a blob is not a 2D little-endian LineString of at least two points."""
    return _split_simple(starts, coords, head, total, LINE_PREFIX)


#: WKB bytes after the GeoPackage header up to the vertices of a one-ring Polygon
#: (byte order, type 3, ring count 1, point count) and of a LineString (byte order,
#: type 2, point count), with the type, the fixed counts and the fewest points.
POLYGON_PREFIX = (13, 3, (1,), 4)
LINE_PREFIX = (9, 2, (), 2)


def simple_start(kind) -> bytes:
    """The WKB bytes every blob of ``kind`` (:data:`POLYGON_PREFIX` or
    :data:`LINE_PREFIX`) has right after its GeoPackage header, before its point
    count: byte order 1 (little-endian), the type and the fixed counts."""
    _, wkb_type, counts, _ = kind
    return b"\x01" + np.array((wkb_type, *counts), dtype="<u4").tobytes()


def header_start(first: bytes) -> tuple[int, bytes] | None:
    """``(header length, first four bytes)`` of a table's blobs, from the first four
    bytes of one of them (magic, version, flags), or None when those do not start a
    non-empty GeoPackage geometry with a known envelope."""
    first = bytes(first)
    if len(first) != 4 or first[:2] != b"GP" or first[3] & 16:
        return None
    head = int(_HEADER[(first[3] >> 1) & 7])
    return (head, first) if head > 0 else None


def _split_simple(starts: bytes, coords: bytes, head: int, total: int, kind):
    wkb_bytes, _, _, min_points = kind
    if len(starts) % wkb_bytes:
        return None
    n = len(starts) // wkb_bytes
    if not n:
        return np.empty(0), np.empty(0), np.zeros(1, np.int64)
    pre = np.frombuffer(starts, dtype=np.uint8).reshape(n, wkb_bytes)
    want = np.frombuffer(simple_start(kind), dtype=np.uint8)
    if (pre[:, :len(want)] != want).any():
        return None                                   # not little-endian, another type, holes, Z/M
    npts = pre[:, -4:].copy().view("<u4")[:, 0].astype(np.int64)
    points = int(npts.sum())
    if (npts < min_points).any() or len(coords) != 16 * points or int(total) != n * (head + wkb_bytes) + 16 * points:
        return None                                   # too few points, or blobs longer than their vertices
    xy = np.frombuffer(coords, dtype="<f8").reshape(-1, 2)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(npts, out=offsets[1:])
    # views into the one buffer: whatever draws them makes new arrays of them anyway
    return xy[:, 0], xy[:, 1], offsets
