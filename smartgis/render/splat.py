"""Features smaller than a pixel, drawn as the coverage they add to their pixel.

At a province's full extent millions of buildings fall below a pixel.  Drawing each
as a shape would cost seconds and show nothing more: each adds its share of colour
to the pixel its centre falls in, and the pixels are drawn as one image.

A layer of millions of features is worked through in steps of :data:`STEP`: the
temporaries of one step are reused by the next, instead of arrays of the whole
layer's size that a fresh process must page in (4,000,000 boxes: 0.7 s in a fresh
process before, 0.1 s once the memory had been used).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QPainter

from smartgis.render.colors import parse_rgba
from smartgis.render.images import rgba_to_qimage
from smartgis.render.symbols import splat_colour
from smartgis.render.view import MapView

#: A feature whose box is narrower and lower than this many pixels is splatted.
TINY_PX = 1.0
#: Above this many pixels a splat buffer is drawn at a reduced resolution (print).
MAX_SPLAT_PIXELS = 16_000_000
#: Features worked on at once by the stepped functions (their temporaries, 2 MB each,
#: stay in the processor's cache).
STEP = 1 << 18


def tiny_mask(boxes: np.ndarray, mupp: float) -> np.ndarray:
    """Which boxes ``(minx, miny, maxx, maxy)`` are smaller than :data:`TINY_PX` both
    ways at ``mupp`` map units per pixel."""
    n = len(boxes)
    out = np.empty(n, dtype=bool)
    inv = 1.0 / mupp
    w = np.empty(min(n, STEP))
    h = np.empty_like(w)
    for s in range(0, n, STEP):
        e = min(n, s + STEP)
        k = e - s
        wk, hk = w[:k], h[:k]
        np.subtract(boxes[s:e, 2], boxes[s:e, 0], out=wk)
        np.multiply(wk, inv, out=wk)
        np.subtract(boxes[s:e, 3], boxes[s:e, 1], out=hk)
        np.multiply(hk, inv, out=hk)
        np.maximum(wk, hk, out=wk)
        np.less(wk, TINY_PX, out=out[s:e])
    return out


def splat_boxes(view: MapView, painter: QPainter, boxes: np.ndarray, symbol, polygons: bool) -> None:
    """Splat features of one symbol from their boxes alone.

    The same pixels as :func:`splat_tiny` with one symbol, worked through in steps.
    """
    n = len(boxes)
    if not n:
        return
    width, height = view.width, view.height
    if (width + 1) * (height + 1) > MAX_SPLAT_PIXELS:
        inv = 1.0 / view.mupp
        splat_tiny(view, painter, boxes, (boxes[:, 2] - boxes[:, 0]) * inv, (boxes[:, 3] - boxes[:, 1]) * inv,
                   np.zeros(n, np.int16), np.full(n, polygons), [symbol])
        return
    fam = "polygon" if polygons else "line"
    col = np.asarray(splat_colour(symbol, fam)[0], dtype=np.float64)
    lw = view.mm(symbol.stroke_width) if parse_rgba(symbol.stroke)[3] else 0.0
    alpha = col[3] / 255.0
    inv = 1.0 / view.mupp
    x0, y1 = view.extent[0], view.extent[3]
    m = min(n, STEP)
    px, py, wx, hy = (np.empty(m) for _ in range(4))
    inside, more = np.empty(m, dtype=bool), np.empty(m, dtype=bool)
    pix = np.empty(n, dtype=np.intp)
    weight = np.empty(n)
    got = 0
    for s in range(0, n, STEP):
        e = min(n, s + STEP)
        k = e - s
        b = boxes[s:e]
        x, y, w, h, ins, tmp = px[:k], py[:k], wx[:k], hy[:k], inside[:k], more[:k]
        # the pixel of each centre, computed as MapView.to_pixels computes it
        np.add(b[:, 0], b[:, 2], out=x)
        np.multiply(x, 0.5, out=x)
        np.subtract(x, x0, out=x)
        np.multiply(x, inv, out=x)
        np.floor(x, out=x)
        np.add(b[:, 1], b[:, 3], out=y)
        np.multiply(y, 0.5, out=y)
        np.subtract(y1, y, out=y)
        np.multiply(y, inv, out=y)
        np.floor(y, out=y)
        np.greater_equal(x, 0, out=ins)
        np.less(x, width, out=tmp)
        ins &= tmp
        np.greater_equal(y, 0, out=tmp)
        ins &= tmp
        np.less(y, height, out=tmp)
        ins &= tmp
        # how much of its pixel a feature covers: its box grown by the outline width
        np.subtract(b[:, 2], b[:, 0], out=w)
        np.multiply(w, inv, out=w)
        np.subtract(b[:, 3], b[:, 1], out=h)
        np.multiply(h, inv, out=h)
        if polygons:
            w += lw
            h += lw
            np.multiply(w, h, out=w)
        else:
            np.maximum(w, h, out=w)
            np.maximum(w, 0.5, out=w)
            np.multiply(w, max(lw, 0.5), out=w)
        np.clip(w, 0.15, 1.0, out=w)
        np.multiply(w, alpha, out=w)
        np.greater(w, 0, out=tmp)
        ins &= tmp
        np.multiply(y, width, out=y)
        y += x
        c = int(np.count_nonzero(ins))
        pix[got:got + c] = y[ins]
        weight[got:got + c] = w[ins]
        got += c
    if not got:
        return
    a = np.bincount(pix[:got], weights=weight[:got], minlength=width * height)
    _draw_coverage(painter, a, col[None, :3], 0, 0, width, height)


def splat_tiny(view, painter, bounds, wpx, hpx, cls, is_poly, symbols) -> None:
    """Splat features smaller than a pixel from their boxes (``wpx``, ``hpx``: the
    boxes' sizes in pixels), each in the splat colour of its class ``cls`` and kind
    (``is_poly``: polygon, else line)."""
    cx = (bounds[:, 0] + bounds[:, 2]) * 0.5
    cy = (bounds[:, 1] + bounds[:, 3]) * 0.5
    px, py = view.to_pixels(cx, cy)
    nsym = len(symbols)
    colours = np.zeros((nsym, 2, 4))
    lw = np.zeros((nsym, 2))
    for k, s in enumerate(symbols):
        for fam_i, fam in enumerate(("line", "polygon")):
            colours[k, fam_i] = splat_colour(s, fam)[0]
        lw[k, :] = view.mm(s.stroke_width) if parse_rgba(s.stroke)[3] else 0.0
    uniform = nsym == 1 and (is_poly.all() or not is_poly.any())
    if uniform:
        # one symbol, one kind of geometry: scalars instead of per-feature lookups
        fam = int(bool(is_poly[0])) if len(is_poly) else 1
        col = colours[0, fam]
        w = lw[0, fam]
        if fam:
            cover = (wpx + w) * (hpx + w)
        else:
            cover = np.maximum(np.maximum(wpx, hpx), 0.5) * max(w, 0.5)
        weight = np.clip(cover, 0.15, 1.0) * (col[3] / 255.0)
        splat(view, painter, px, py, weight, col[None, :3])
        return
    fam = is_poly.astype(np.int64)
    col = colours[cls, fam]
    w = lw[cls, fam]
    # How much of its pixel a feature covers: its box grown by the outline width.
    cover = np.where(is_poly, (wpx + w) * (hpx + w), np.maximum(np.maximum(wpx, hpx), 0.5) * np.maximum(w, 0.5))
    weight = np.clip(cover, 0.15, 1.0) * (col[:, 3] / 255.0)
    splat(view, painter, px, py, weight, col[:, :3])


def splat(view: MapView, painter: QPainter, px, py, weight, rgb) -> None:
    """Accumulate point-like items into pixels and draw them as one image.

    Parameters
    ----------
    px, py : ndarray
        Pixel positions (any float; outside the view is ignored).
    weight : ndarray
        Coverage 0..1 of each item; a pixel's opacity is the sum, capped at 1.
    rgb : ndarray (n, 3) or (1, 3)
        Colour of each item (or of all); a pixel takes the weighted mean colour.
    """
    W, H = view.width, view.height
    ix = np.floor(px).astype(np.int64)
    iy = np.floor(py).astype(np.int64)
    inside = (ix >= 0) & (ix < W) & (iy >= 0) & (iy < H) & (weight > 0)
    if not inside.any():
        return
    uniform = len(rgb) == 1
    if not inside.all():
        ix, iy, weight = ix[inside], iy[inside], weight[inside]
        if not uniform:
            rgb = rgb[inside]
    c0, c1, r0, r1 = int(ix.min()), int(ix.max()), int(iy.min()), int(iy.max())
    bw, bh = c1 - c0 + 1, r1 - r0 + 1
    f = 1
    while (bw // f + 1) * (bh // f + 1) > MAX_SPLAT_PIXELS:
        f *= 2
    if f > 1:
        ix, iy = (ix - c0) // f, (iy - r0) // f
        bw, bh = (bw + f - 1) // f, (bh + f - 1) // f
        weight = weight / (f * f)
    else:
        ix, iy = ix - c0, iy - r0
    pix = iy * bw + ix
    npx = bw * bh
    a = np.bincount(pix, weights=weight, minlength=npx)
    if uniform:
        _draw_coverage(painter, a, rgb, c0, r0, bw, bh, f)
        return
    alpha = np.minimum(a, 1.0).astype(np.float32)
    out = np.empty((npx, 4), dtype=np.uint8)
    inv = np.divide(alpha, a, out=np.zeros(npx, dtype=np.float32), where=a > 0)
    for k in range(3):
        mean_x_alpha = np.bincount(pix, weights=weight * rgb[:, k], minlength=npx).astype(np.float32) * inv
        out[:, k] = np.minimum(mean_x_alpha + 0.5, 255).astype(np.uint8)
    out[:, 3] = (alpha * 255 + 0.5).astype(np.uint8)
    _draw_pixels(painter, out, c0, r0, bw, bh, f)


def _draw_coverage(painter, a, rgb, c0, r0, bw, bh, f=1) -> None:
    """Draw the summed coverage ``a`` of a ``bw`` × ``bh`` block in one colour.

    The opacity is quantised to a byte first and the pixels are looked up from the
    256 premultiplied shades of the colour: one pass over the block's pixels instead
    of one per channel (a 1920×1080 view: 0.04 s in a fresh process before).
    """
    np.minimum(a, 1.0, out=a)
    a *= 255.0
    a += 0.5
    level = a.astype(np.uint8)
    shades = np.arange(256, dtype=np.float64) / 255.0
    lut = np.empty((256, 4), dtype=np.uint8)
    for k in range(3):
        lut[:, k] = (shades * float(rgb[0, k]) + 0.5).astype(np.uint8)
    lut[:, 3] = np.arange(256)
    out = lut.view("<u4")[:, 0][level].view(np.uint8).reshape(-1, 4)
    _draw_pixels(painter, out, c0, r0, bw, bh, f)


def _draw_pixels(painter, out, c0, r0, bw, bh, f) -> None:
    img = rgba_to_qimage(out.reshape(bh, bw, 4), premultiplied=True, copy=False)
    if f == 1:
        painter.drawImage(c0, r0, img)
    else:
        from PySide6.QtCore import QRectF
        painter.drawImage(QRectF(c0, r0, bw * f, bh * f), img)
