"""Drawing one vector layer from its snapshot into a QPainter.

The steps, all vectorised over the features in view:

1. the grid index picks the features whose boxes meet the view;
2. features smaller than :data:`TINY_PX` pixels are not drawn as shapes: their box
   centres are binned into an RGBA buffer with ``np.bincount`` (a million in a few
   tens of milliseconds) and the buffer is drawn as one image;
3. the rest have their coordinates pulled out of GEOS in one call, mapped to pixels
   by one affine, thinned to the pixel grid, and drawn in batches of
   :data:`~smartgis.render.paths.RINGS_PER_PATH` rings per QPainterPath, one batch
   series per symbol class;
4. points are stamped with a pre-drawn marker image;
5. the selection is drawn again on top in the selection colour, then labels.
"""

from __future__ import annotations

import weakref

import numpy as np
import shapely
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QPainter

from smartgis.core.style import Symbol
from smartgis.render import paths
from smartgis.render.cancel import NEVER, CancelToken
from smartgis.render.chunks import kept_paths
from smartgis.render.classify import class_key, classify, needs_field, symbols_of
from smartgis.render.colors import parse_rgba
from smartgis.render.fill_stroke import fills_fast, outline_pen, paint_paths
from smartgis.render.images import rgba_to_qimage
from smartgis.render.index import ranges
from smartgis.render.prepared import (
    COLLECTION,
    LINE_TYPES,
    POINT_TYPES,
    POLYGON_TYPES,
    explode_collections,
    line_parts,
    point_coords,
    polygon_rings,
    prepared_for,
)
from smartgis.render.splat import TINY_PX, splat_boxes, splat_tiny, tiny_mask
from smartgis.render.symbols import SELECTION_COLOR, make_brush, make_pen, sprite
from smartgis.render.view import MapView

#: Drawing a layer that is not loaded yet straight from its file pays off only while
#: fewer features than this need their geometry read one by one — or, for polygons
#: and lines read straight from their blobs, on the layer's first render only.
DIRECT_MAX_GEOMETRIES = 150_000
#: Large layers drawn once straight from their file: reading a layer whole costs about
#: three reads of its shapes, so a process drawing one again (a sheet set) loads it.
_drawn_from_file: "weakref.WeakSet" = weakref.WeakSet()
#: When more than this share of a window's features are drawn as shapes, a layer
#: drawn from its file reads them in one pass joining its R-tree and table.
WINDOW_READ_SHARE = 0.5
#: When a window holds at least this share of a file table's features, those drawn
#: as shapes are read by a scan of the table (leaving out the ones splatted) rather
#: than through the R-tree.  Features the scan reads outside the view are clipped.
WHOLE_TABLE_SHARE = 0.9
#: A window of a polygon layer drawn from its file covering at most this share of the
#: layer's extent is counted in the R-tree and read in one aggregate statement.
SMALL_WINDOW_SHARE = 1 / 16
#: From this many polygons (or lines) in view on, a loaded layer's rings are gathered
#: from its flat ring arrays (:class:`~smartgis.render.prepared.PolygonRings`, built on
#: first use); once built, smaller views use them too (228 buildings: 1.46 ms a render
#: instead of 1.54).
RING_CACHE_MIN = 1000
#: More points than this in view are drawn as the union of their markers (one
#: image) rather than marker by marker.
MAX_STAMPED_POINTS = 200_000


def render_vector(snap, view: MapView, painter: QPainter, cancel: CancelToken = NEVER,
                  labels: bool = True) -> int:
    """Draw a vector layer snapshot; returns the number of features drawn.

    ``painter`` draws in the view's pixel coordinates (its origin at the view's
    top-left corner), with antialiasing set by the caller.
    """
    if snap.file_source is not None and not snap.layer.loaded and snap.hidden is None:
        n = render_from_file(snap, view, painter, cancel)
        if n is not None:
            snap.drawn_from_file = True
            return n
    prep = prepared_for(snap.layer, snap.project_crs)
    cancel.check()
    style = snap.style
    symbols = symbols_of(style)
    margin = 2.0 + max(max(view.mm(s.size), 2.0) if prep.has_points else 0.0
                       for s in symbols) + max(view.mm(s.stroke_width) for s in symbols)
    m = margin * view.mupp
    x0, y0, x1, y1 = view.extent
    idx = prep.index.query((x0 - m, y0 - m, x1 + m, y1 + m))
    hidden = snap.hidden if snap.hidden is not None and len(snap.hidden) == len(prep.geoms) else None
    if hidden is not None:
        idx = idx[~hidden[idx]]
    if not len(idx):
        return 0
    cancel.check()
    all_cls = _classes(prep, snap)
    cls = all_cls[idx]
    # street level: whole chunks from kept paths, the rest of the view the general way
    kept = kept_paths(prep, idx, all_cls, class_key(style), view, painter, cancel, hidden)
    rest = idx if kept is None else idx[~kept.drawn]
    drawn = len(idx) - len(rest) + _draw(prep, rest, all_cls[rest], symbols, view, painter, cancel,
                                         selected=False, kept=kept)
    sel = snap.selection
    if sel is not None and len(sel):
        pos = np.minimum(np.searchsorted(sel, idx), len(sel) - 1)
        hit = sel[pos] == idx
        if hit.any():
            sel_symbols = [selection_symbol(s, snap.geometry_family) for s in symbols]
            _draw(prep, idx[hit], cls[hit], sel_symbols, view, painter, cancel, selected=True)
    if labels and style.labels.enabled and style.labels.field:
        from smartgis.render.labels import draw_labels
        draw_labels(snap, prep, idx, view, painter, cancel)
    return drawn


def render_from_file(snap, view: MapView, painter: QPainter, cancel: CancelToken = NEVER) -> int | None:
    """Draw a layer that is not loaded yet straight from its GeoPackage table.

    Reads the boxes of the features in view from the table's R-tree, draws those
    smaller than a pixel from their boxes alone, and reads geometries only for the
    others — the first frame of a large layer does not wait for the whole layer.
    Returns None (the caller then loads the layer) when that would not be cheaper:
    styles needing attributes, labels, a selection, another CRS, or too many
    features large enough to need their geometry.
    """
    from smartgis.crs import same_crs
    from smartgis.render.filesource import (
        FileTable,
        box_index,
        read_boxes,
        read_geometries,
        read_window_geometries,
        streamed,
    )
    from smartgis.render.prepared import PreparedVector
    ft = snap.file_source
    style = snap.style
    if ft is None or ft.rtree is None or needs_field(style) or (style.labels.enabled and style.labels.field) \
            or (snap.selection is not None and len(snap.selection)):
        return None
    tcrs = ft.crs
    if snap.project_crs and tcrs and not same_crs(tcrs, snap.project_crs):
        return None
    symbols = symbols_of(style)
    family = snap.geometry_family
    markers = family in ("point", None)
    m = (2.0 + max(max(view.mm(s.size), 2.0) if markers else 0.0 for s in symbols)
         + max(view.mm(s.stroke_width) for s in symbols)) * view.mupp
    x0, y0, x1, y1 = view.extent
    stream = streamed(snap.layer)
    window = (x0 - m, y0 - m, x1 + m, y1 + m)
    # the one-statement reads below are SQLite's; a server table takes the general way
    on_file = isinstance(ft, FileTable)
    if family == "polygon" and not stream and on_file and _small_window(snap.layer, window):
        drawn = _street_level_polygons(ft, window, symbols, view, painter, cancel)
        if drawn is not None:
            return drawn
    if stream:
        fids, boxes = box_index(ft, cancel).query((x0 - m, y0 - m, x1 + m, y1 + m))
    else:
        fids, boxes = read_boxes(ft, (x0 - m, y0 - m, x1 + m, y1 + m), sort=False, cancel=cancel)
    cancel.check()
    if not len(fids):
        return 0
    # stepped: a province's millions of boxes make no layer-sized temporaries
    tiny = tiny_mask(boxes, view.mupp)
    if family == "point":
        tiny[:] = False
    big = np.sort(fids[~tiny])           # file order is drawing order
    share = len(big) > WINDOW_READ_SHARE * len(fids)
    many = len(big) > DIRECT_MAX_GEOMETRIES and not stream
    if many and snap.layer in _drawn_from_file:
        return None        # drawn from the file before: this process draws it again, load it
    # buildings and roads: their vertices straight from the blobs, no GEOS on the way
    skip = None
    total = int(getattr(snap.layer, "feature_count", 0) or 0)
    if share and on_file and total > 0 and len(fids) >= WHOLE_TABLE_SHARE * total:
        skip = fids[tiny]                # all but these: one scan of the table
    shapes = _read_shapes(ft, family, big, share, window, view, on_file, cancel, skip) if len(big) else None
    if shapes is None and many:
        return None
    if many:
        _drawn_from_file.add(snap.layer)
    if tiny.all():
        # every feature below a pixel (a province at full extent): no copies of the boxes
        splat_boxes(view, painter, boxes, symbols[0], family != "line")
    elif tiny.any():
        splat_boxes(view, painter, boxes[tiny], symbols[0], family != "line")
    if shapes is not None:
        cancel.check()
        x, y, offsets = shapes
        one_class = np.zeros(len(offsets) - 1, np.int16)
        if family == "line":
            _stroke_parts(x, y, offsets, one_class, symbols, view, painter, cancel)
        else:
            x, y = paths.orient(x, y, offsets, np.ones(len(offsets) - 1, bool))
            _draw_rings(x, y, offsets, one_class, symbols, view, painter, cancel)
    elif len(big):
        if share:
            # Most of the window is drawn as shapes: one pass through the R-tree and
            # the table.  The R-tree's float32 boxes are the ones the split used.
            # the same split as above: points are never left to their boxes
            min_size = 0.0 if family == "point" else TINY_PX * view.mupp
            got, geoms = read_window_geometries(ft, window, min_size, cancel)
        else:
            geoms = read_geometries(ft, big, cancel)
        cancel.check()
        prep = PreparedVector(geoms, -1)
        keep = np.flatnonzero(np.isfinite(prep.bounds).all(axis=1))
        _draw(prep, keep, np.zeros(len(keep), np.int16), symbols, view, painter, cancel, selected=False)
    return int(len(fids))


def _read_shapes(ft, family, big, share: bool, window, view: MapView, on_file: bool, cancel, skip=None):
    """``(x, y, offsets)`` of the features of a view drawn as shapes — one-ring polygons
    or line strings read straight from their blobs in one aggregate statement — or None
    (another kind of geometry, or a source that cannot: then geometries are read).
    With ``skip`` (the view holds the whole table), every feature but those is read."""
    from smartgis.render.filesource import (
        read_lines,
        read_rings,
        read_table_rings,
        read_window_lines,
        read_window_rings,
    )
    lines = family == "line"
    if family not in ("polygon", "line") or (lines and not on_file):
        return None
    if share and skip is not None:
        got = read_table_rings(ft, skip, cancel, lines=lines)
    elif share:
        got = (read_window_lines if lines else read_window_rings)(ft, window, TINY_PX * view.mupp, cancel)
    elif on_file:
        got = (read_lines if lines else read_rings)(ft, big, cancel)
    else:
        return None
    return None if got is None else got[1:]


def _small_window(layer, window) -> bool:
    """Whether a window covers at most :data:`SMALL_WINDOW_SHARE` of the layer's extent
    (then counting its features in the R-tree is cheaper than reading all their boxes)."""
    ext = getattr(layer, "extent", None)
    if not ext:
        return False
    area = (ext[2] - ext[0]) * (ext[3] - ext[1])
    w = max(0.0, min(window[2], ext[2]) - max(window[0], ext[0])) * max(0.0, min(window[3], ext[3]) - max(window[1], ext[1]))
    return area > 0 and w <= SMALL_WINDOW_SHARE * area


def _street_level_polygons(ft, window, symbols, view: MapView, painter: QPainter, cancel) -> int | None:
    """Draw a street-level window of a polygon layer from its file: one aggregate
    statement counts the window's features in the R-tree and reads the rings of those
    drawn as shapes (no per-feature rows, no GEOS).  None when most are smaller than a
    pixel or a feature is not a simple polygon (the caller then takes the general way)."""
    from smartgis.render.filesource import read_boxes, read_street_window
    min_size = TINY_PX * view.mupp
    n_all, rings = read_street_window(ft, window, min_size, cancel, ordered=not _order_free(symbols))
    if not n_all:
        return 0
    if rings is None:
        return None
    n_big = len(rings[3]) - 1
    if n_big <= WINDOW_READ_SHARE * n_all or n_big > DIRECT_MAX_GEOMETRIES:
        return None
    cancel.check()
    if n_all > n_big:
        # the few features smaller than a pixel: from their boxes, as in the general way
        _, boxes = read_boxes(ft, window, sort=False, cancel=cancel)
        tiny = tiny_mask(boxes, view.mupp)
        if tiny.any():
            splat_boxes(view, painter, boxes[tiny], symbols[0], True)
    _, x, y, offsets = rings
    x, y = paths.orient(x, y, offsets, np.ones(len(offsets) - 1, bool))
    _draw_rings(x, y, offsets, np.zeros(len(offsets) - 1, np.int16), symbols, view, painter, cancel)
    return int(n_all)


def _order_free(symbols) -> bool:
    """Whether the features of one symbol look the same drawn in any order.

    All fills are drawn before any outline; one opaque colour over itself (or no fill)
    is the same whichever feature comes first.  A translucent fill is not: rings of
    one path are filled once where they overlap, rings of two paths twice.
    """
    return len(symbols) == 1 and parse_rgba(symbols[0].fill)[3] in (0, 255)


def selection_symbol(s: Symbol, family: str | None = None) -> Symbol:
    """How a selected feature of symbol ``s`` is drawn (QGIS's yellow)."""
    if family == "line":
        return Symbol(fill="#00000000", stroke=SELECTION_COLOR, stroke_width=max(s.stroke_width * 1.6, 0.6),
                      marker=s.marker, size=s.size)
    return Symbol(fill=SELECTION_COLOR, stroke="#9c8a00", stroke_width=max(s.stroke_width, 0.3),
                  marker=s.marker, size=s.size * 1.15, icon=s.icon)


def _classes(prep, snap) -> np.ndarray:
    style = snap.style
    field = needs_field(style)

    def compute():
        column = snap.column(field) if field else None
        if column is not None and len(column) != prep.n:
            column = None  # the table changed under us; the next render catches up
        return classify(style, column, prep.n)
    return prep.classes(class_key(style), compute)


def _draw(prep, idx, cls, symbols, view: MapView, painter: QPainter, cancel, selected: bool, kept=None) -> int:
    """Draw features ``idx`` (classes ``cls``); ``kept`` (:class:`~smartgis.render.chunks.KeptPaths`)
    are drawn with the polygons, class by class, so that classes stay in their order."""
    geoms = prep.geoms[idx]
    types = prep.type_ids[idx]
    bounds = prep.bounds[idx]
    coll = types == COLLECTION
    if coll.any():
        members, owner = explode_collections(geoms[coll], np.flatnonzero(coll))
        keep = np.flatnonzero(~coll)
        geoms = np.concatenate([geoms[keep], members])
        pos = np.concatenate([keep, owner])
        types = np.concatenate([types[keep], shapely.get_type_id(members).astype(np.int8)])
        bounds = np.concatenate([bounds[keep], shapely.bounds(members)])
        cls = cls[pos]
        ok = np.isfinite(bounds).all(axis=1)
        geoms, types, bounds, cls = geoms[ok], types[ok], bounds[ok], cls[ok]
    inv = 1.0 / view.mupp
    wpx = (bounds[:, 2] - bounds[:, 0]) * inv
    hpx = (bounds[:, 3] - bounds[:, 1]) * inv
    fam = _FAMILY_OF_TYPE[types]        # one lookup instead of three set tests
    is_poly = fam == 1
    is_line = fam == 2
    is_point = fam == 3
    tiny = (np.maximum(wpx, hpx) < TINY_PX) & (is_poly | is_line)

    if tiny.any():
        splat_tiny(view, painter, bounds[tiny], wpx[tiny], hpx[tiny], cls[tiny], is_poly[tiny], symbols)
    cancel.check()
    big_poly = np.flatnonzero(is_poly & ~tiny)
    if len(big_poly):
        if not coll.any() and prep.version >= 0 and (len(big_poly) >= RING_CACHE_MIN or prep.kept("rings")):
            # a loaded layer: its rings, gathered from the layer's flat arrays
            feat = idx[big_poly]
            x, y, offsets, owner = prep.rings().of(feat)
            pos = np.searchsorted(feat, owner) if len(owner) else owner
            _draw_rings(x, y, offsets, cls[big_poly][pos], symbols, view, painter, cancel, kept)
        else:
            _draw_polygons(geoms[big_poly], cls[big_poly], symbols, view, painter, cancel, kept)
    elif kept is not None:
        _fill_and_outline(np.empty(0), np.empty(0), np.zeros(1, np.int64), np.empty(0, np.int16), symbols, view,
                          painter, cancel, kept)
    big_line = np.flatnonzero(is_line & ~tiny)
    if len(big_line):
        if not coll.any() and prep.version >= 0 and (len(big_line) >= RING_CACHE_MIN or prep.kept("lines")):
            # a loaded layer: its line parts, gathered from the layer's flat arrays
            feat = idx[big_line]
            x, y, offsets, owner = prep.lines().of(feat)
            _stroke_parts(x, y, offsets, cls[big_line][np.searchsorted(feat, owner)], symbols, view, painter,
                          cancel)
        else:
            _draw_lines(geoms[big_line], cls[big_line], symbols, view, painter, cancel)
    pts = np.flatnonzero(is_point)
    if len(pts):
        _draw_points(geoms[pts], cls[pts], symbols, view, painter, cancel, selected)
    return int(len(idx))


#: Family of each shapely type id: 1 polygon, 2 line, 3 point, 0 none (collections,
#: and -1 — a missing geometry — which reads the last entry).
_FAMILY_OF_TYPE = np.zeros(9, dtype=np.int8)
for _t in POLYGON_TYPES:
    _FAMILY_OF_TYPE[_t] = 1
for _t in LINE_TYPES:
    _FAMILY_OF_TYPE[_t] = 2
for _t in POINT_TYPES:
    _FAMILY_OF_TYPE[_t] = 3


# -- polygons and lines ---------------------------------------------------------------------
def _group_by_class(px, py, offsets, sub_cls, extra=None):
    """Reorder subpaths so that each class's are contiguous; yields (k, px, py, offsets)."""
    if not len(sub_cls):
        return
    lo = sub_cls.min()
    if lo == sub_cls.max():
        # one class (a single-symbol style): no sorting (np.unique's first call in a
        # process also imports numpy.ma, 20 ms)
        yield int(lo), px, py, offsets
        return
    order = np.argsort(sub_cls, kind="stable")
    starts, ends = offsets[:-1][order], offsets[1:][order]
    sel = ranges(starts, ends)
    px, py = px[sel], py[sel]
    lens = ends - starts
    off = np.concatenate([[0], np.cumsum(lens)])
    sc = sub_cls[order]
    bounds = np.flatnonzero(np.diff(sc)) + 1
    cuts = np.concatenate([[0], bounds, [len(sc)]])
    for a, b in zip(cuts[:-1], cuts[1:]):
        o = off[a:b + 1]
        yield int(sc[a]), px[o[0]:o[-1]], py[o[0]:o[-1]], o - o[0]


def _draw_batches(painter, px, py, offsets, cancel, winding=True, per_path=paths.RINGS_PER_PATH) -> None:
    for path in paths.PathBuilder(px, py, offsets, winding).paths(per_path, cancel):
        cancel.check()
        painter.drawPath(path)


def _draw_polygons(geoms, cls, symbols, view, painter, cancel, kept=None) -> None:
    coords, offsets, owner, exterior = polygon_rings(geoms, np.arange(len(geoms)))
    if not len(coords):
        _draw_rings(np.empty(0), np.empty(0), offsets, cls[:0], symbols, view, painter, cancel, kept)
        return
    px, py = view.to_pixels(coords[:, 0], coords[:, 1])
    px, py, offsets, n_kept = paths.thin(px, py, offsets, 0.5, min_vertices=4)
    ok = n_kept >= 4
    owner, exterior = owner[ok], exterior[ok]
    px, py = paths.orient(px, py, offsets, exterior)
    _fill_and_outline(px, py, offsets, cls[owner], symbols, view, painter, cancel, kept)


def _draw_rings(x, y, offsets, ring_cls, symbols, view, painter, cancel, kept=None) -> None:
    """Draw rings already oriented (exteriors one way, holes the other)."""
    if not len(x):
        if kept is not None:
            _fill_and_outline(x, y, np.zeros(1, np.int64), ring_cls[:0], symbols, view, painter, cancel, kept)
        return
    px, py = view.to_pixels(x, y)
    px, py, offsets, n_kept = paths.thin(px, py, offsets, 0.5, min_vertices=4)
    _fill_and_outline(px, py, offsets, ring_cls[n_kept >= 4], symbols, view, painter, cancel, kept)


def _fill_and_outline(px, py, offsets, ring_cls, symbols, view, painter, cancel, kept=None) -> None:
    groups = {k: (kx, ky, ko) for k, kx, ky, ko in _group_by_class(px, py, offsets, ring_cls)}
    for k in sorted(set(groups) | (set(kept.by_class) if kept is not None else set())):
        s = symbols[k]
        mapped = kept.mapped(k) if kept is not None else None
        if k not in groups:
            paint_paths(painter, [], s, view, cancel, mapped=mapped)
            continue
        kx, ky, ko = groups[k]
        n = len(ko) - 1
        # aliased fills of many small rings take longer paths well, antialiased fills
        # and the few large rings of a close view do not (see paths)
        pen = outline_pen(s, view)
        fast = fills_fast(painter, pen[1], n) and n >= paths.FEW_RINGS
        per = paths.RINGS_PER_PATH_FAST if fast else paths.RINGS_PER_PATH
        paint_paths(painter, paths.PathBuilder(kx, ky, ko).paths(per, cancel), s, view, cancel, rings=n,
                    mapped=mapped, pen=pen)


def _draw_lines(geoms, cls, symbols, view, painter, cancel) -> None:
    coords, offsets, owner = line_parts(geoms, np.arange(len(geoms)))
    if len(coords):
        _stroke_parts(coords[:, 0], coords[:, 1], offsets, cls[owner], symbols, view, painter, cancel)


def _stroke_parts(x, y, offsets, part_cls, symbols, view, painter, cancel) -> None:
    """Stroke line parts given as vertices (map coordinates) and their classes."""
    px, py = view.to_pixels(x, y)
    px, py, offsets, kept = paths.thin(px, py, offsets, 0.5, min_vertices=2)
    part_cls = part_cls[kept >= 2]
    px, py, offsets = paths.straighten(px, py, offsets)
    painter.setBrush(QBrush())
    for k, kx, ky, ko in _group_by_class(px, py, offsets, part_cls):
        s = symbols[k]
        painter.setPen(make_pen(s.stroke, view.mm(s.stroke_width), s.dash))
        _draw_batches(painter, kx, ky, ko, cancel, winding=False, per_path=paths.PARTS_PER_LINE_PATH)


def _draw_points(geoms, cls, symbols, view, painter, cancel, selected) -> None:
    coords, owner = point_coords(geoms, np.arange(len(geoms)))
    if not len(coords):
        return
    px, py = view.to_pixels(coords[:, 0], coords[:, 1])
    pcls = cls[owner]
    for k in np.unique(pcls):
        img = sprite(symbols[int(k)], view, selected=selected)
        half_w, half_h = img.width() // 2, img.height() // 2
        m = pcls == k
        xs = np.round(px[m]).astype(np.int64) - half_w
        ys = np.round(py[m]).astype(np.int64) - half_h
        inside = (xs > -img.width()) & (xs < view.width) & (ys > -img.height()) & (ys < view.height)
        if inside.sum() > MAX_STAMPED_POINTS:
            _stamp_many(view, painter, xs[inside] + half_w, ys[inside] + half_h, img)
            continue
        xs, ys = xs[inside].tolist(), ys[inside].tolist()
        draw = painter.drawImage
        for a in range(0, len(xs), 4096):
            cancel.check()
            for x, y in zip(xs[a:a + 4096], ys[a:a + 4096]):
                draw(x, y, img)


def _stamp_many(view, painter, cx, cy, sprite_img) -> None:
    """Draw very many markers at once: the markers' footprints convolved with the
    point positions, in the marker's main colour (its outline detail is lost, which
    cannot be seen when hundreds of thousands of markers cover each other)."""
    from scipy.signal import fftconvolve

    from smartgis.render.images import qimage_to_rgba
    W, H = view.width, view.height
    occ = np.zeros(H * W, dtype=np.float32)
    ok = (cx >= 0) & (cx < W) & (cy >= 0) & (cy < H)
    occ[np.unique(cy[ok] * W + cx[ok])] = 1.0
    spr = qimage_to_rgba(sprite_img).astype(np.float32)
    alpha = spr[..., 3] / 255.0
    weight = alpha.sum() or 1.0
    colour = (spr[..., :3] * alpha[..., None]).reshape(-1, 3).sum(axis=0) / weight
    cover = np.clip(fftconvolve(occ.reshape(H, W), alpha, mode="same"), 0.0, 1.0)
    out = np.empty((H, W, 4), dtype=np.uint8)
    out[..., :3] = np.clip(np.round(colour[None, None, :] * cover[..., None]), 0, 255).astype(np.uint8)
    out[..., 3] = np.round(cover * 255).astype(np.uint8)
    painter.drawImage(0, 0, rgba_to_qimage(out, premultiplied=True, copy=False))
