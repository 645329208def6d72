"""Drawing a raster layer: only the window in view, at the output resolution.

rasterio reads the window in view straight at the size it will have on screen
(``read(window=..., out_shape=...)``), which lets GDAL use the file's overviews when
zoomed out: a 10,000-pixel-wide orthophoto costs the same as the screen.  A raster
in another CRS than the project is read the same way in its own CRS and reprojected
into the view grid (``rasterio.warp.reproject``).  Then numpy colours it:

* ``rgb`` — three bands, each stretched between its 2 % and 98 % values (QGIS's
  default "cumulative count cut");
* ``singleband`` — one band through a colour ramp (``greys``, ``terrain``,
  ``viridis``, ``spectral``);
* ``hillshade`` — a DEM lit from ``azimuth``/``altitude`` with ``z_factor``.

No-data pixels are transparent.
"""

from __future__ import annotations

import math
import threading

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from smartgis.render.cancel import NEVER
from smartgis.render.colors import ramp_lut
from smartgis.render.images import rgba_to_qimage
from smartgis.render.view import MapView

#: Percent clip of the default stretch.
CLIP_PERCENT = (2.0, 98.0)
#: Longest side of the sample read for the stretch statistics (overviews make it cheap).
STATS_SAMPLE = 512

_stats_lock = threading.Lock()
_stats: dict = {}


def render_raster(snap, view: MapView, painter: QPainter, cancel=NEVER) -> int:
    """Draw a raster layer snapshot; returns 0 (rasters have no features)."""
    import rasterio
    from rasterio.errors import RasterioIOError

    from smartgis.errors import SourceError
    from smartgis.i18n import _
    import os
    src = snap.source
    if isinstance(src, str) and os.path.exists(src) and not os.path.isfile(src) and not os.path.isdir(src):
        raise SourceError(_("raster source {source!r} is not a regular file (a pipe, socket or device)",
                            source=src))
    try:
        with rasterio.Env(GDAL_PAM_ENABLED="NO"), rasterio.open(snap.source) as ds:
            got = _read(ds, snap, view)
            cancel.check()
            if got is None:
                return 0
            data, valid, rect, cell = got
            stats = [_band_stats(ds, snap, b) for b in _bands(ds, snap.style)] if snap.style.mode != "hillshade" else []
            rgba = colourise(data, valid, snap.style, stats, cell)
    except RasterioIOError as exc:
        raise SourceError(_("cannot read the raster ({error})", error=str(exc)), snap.source) from None
    cancel.check()
    img = rgba_to_qimage(rgba, copy=False)
    if snap.style.mode == "hillshade":
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.drawImage(QRectF(*rect), img)
        painter.restore()
    else:
        painter.drawImage(QRectF(*rect), img)
    return 0


def _bands(ds, style) -> list[int]:
    if style.mode == "rgb":
        if ds.count >= 3:
            return [min(max(int(b), 1), ds.count) for b in (list(style.bands) + [1, 2, 3])[:3]]
        return [1, 1, 1]
    return [min(max(int(style.band), 1), ds.count)]


def _src_crs(ds, snap):
    from rasterio.crs import CRS
    if ds.crs is not None:
        return ds.crs
    if snap.raster_crs:
        return CRS.from_user_input(snap.raster_crs)
    return None


def _read(ds, snap, view: MapView):
    """(data (bands, h, w), valid (h, w), target rect in view pixels, cell size in map units)."""
    from rasterio.crs import CRS

    from smartgis.crs import same_crs
    bands = _bands(ds, snap.style)
    src_crs = _src_crs(ds, snap)
    dst_crs = snap.project_crs
    # Slopes of a DEM resampled by nearest neighbour show the resampling grid.
    smooth = snap.style.mode == "hillshade"
    if src_crs is None or dst_crs is None or same_crs(src_crs.to_wkt(), dst_crs):
        if ds.transform.is_rectilinear and ds.transform.e < 0:
            return _read_direct(ds, bands, view, smooth)
        src_crs = src_crs or CRS.from_user_input(dst_crs)
    return _read_warped(ds, bands, view, src_crs, CRS.from_user_input(dst_crs), smooth)


def _read_direct(ds, bands, view: MapView, smooth: bool = False):
    from rasterio.enums import Resampling
    from rasterio.windows import Window
    vx0, vy0, vx1, vy1 = view.extent
    left, bottom, right, top = ds.bounds
    ix0, iy0, ix1, iy1 = max(vx0, left), max(vy0, bottom), min(vx1, right), min(vy1, top)
    if ix0 >= ix1 or iy0 >= iy1:
        return None
    inv = ~ds.transform
    c0, r0 = inv @ (ix0, iy1)
    c1, r1 = inv @ (ix1, iy0)
    c0, r0 = max(int(math.floor(c0)), 0), max(int(math.floor(r0)), 0)
    c1, r1 = min(int(math.ceil(c1)), ds.width), min(int(math.ceil(r1)), ds.height)
    if c1 <= c0 or r1 <= r0:
        return None
    win = Window(c0, r0, c1 - c0, r1 - r0)
    wb = ds.window_bounds(win)
    rect = view.map_rect_to_pixels(wb)
    # Slopes are computed on (up to) twice the screen's resolution and the shade
    # then scaled down smoothly; slopes of resampled elevations show the resampling grid.
    over = 2 if smooth else 1
    out_w = max(1, min(int(math.ceil(rect[2])) * over, win.width))
    out_h = max(1, min(int(math.ceil(rect[3])) * over, win.height))
    how = Resampling.average if smooth else Resampling.nearest
    data = ds.read(bands, window=win, out_shape=(len(bands), out_h, out_w), resampling=how)
    valid = ds.dataset_mask(window=win, out_shape=(out_h, out_w), resampling=Resampling.nearest) > 0
    valid &= _finite(data)
    cell = ((wb[2] - wb[0]) / out_w, (wb[3] - wb[1]) / out_h)
    return data, valid, rect, cell


def _read_warped(ds, bands, view: MapView, src_crs, dst_crs, smooth: bool = False):
    from affine import Affine
    from rasterio.enums import Resampling
    from rasterio.warp import reproject, transform_bounds
    from rasterio.windows import Window
    try:
        vb = transform_bounds(dst_crs, src_crs, *view.extent, densify_pts=21)
    except Exception:  # noqa: BLE001 - rasterio raises several kinds here
        from smartgis.errors import CRSError
        from smartgis.i18n import _
        name = src_crs.to_string() if src_crs.to_epsg() else (src_crs.to_dict().get("proj") or _("a custom CRS"))
        if "LOCAL_CS" in src_crs.to_wkt() or "ENGCRS" in src_crs.to_wkt():
            name = _("a local engineering CRS")
        raise CRSError(_("the raster is in {crs}, which cannot be transformed to the project CRS; "
                         "assign the raster its real CRS", crs=name)) from None
    if not all(map(math.isfinite, vb)):
        return None   # the view lies outside the raster CRS's area of use
    left, bottom, right, top = ds.bounds
    ix0, iy0, ix1, iy1 = max(vb[0], left), max(vb[1], bottom), min(vb[2], right), min(vb[3], top)
    if not all(map(math.isfinite, (ix0, iy0, ix1, iy1))) or ix0 >= ix1 or iy0 >= iy1:
        return None
    inv = ~ds.transform
    xs, ys = zip(*(inv @ (x, y) for x in (ix0, ix1) for y in (iy0, iy1)))
    c0, c1 = max(int(math.floor(min(xs))), 0), min(int(math.ceil(max(xs))), ds.width)
    r0, r1 = max(int(math.floor(min(ys))), 0), min(int(math.ceil(max(ys))), ds.height)
    if c1 <= c0 or r1 <= r0:
        return None
    win = Window(c0, r0, c1 - c0, r1 - r0)
    # Read about as many pixels as the window will cover on screen (never more than exist).
    fx = (ix1 - ix0) / max(vb[2] - vb[0], 1e-12)
    fy = (iy1 - iy0) / max(vb[3] - vb[1], 1e-12)
    out_w = max(1, min(int(math.ceil(view.width * fx * 1.5)), win.width))
    out_h = max(1, min(int(math.ceil(view.height * fy * 1.5)), win.height))
    how = Resampling.bilinear if smooth else Resampling.nearest
    data = ds.read(bands, window=win, out_shape=(len(bands), out_h, out_w), resampling=how)
    valid = (ds.dataset_mask(window=win, out_shape=(out_h, out_w), resampling=Resampling.nearest) > 0)
    valid &= _finite(data)
    src_t = ds.window_transform(win) @ Affine.scale(win.width / out_w, win.height / out_h)
    dst_t = view.affine()
    dest = np.zeros((len(bands), view.height, view.width), dtype=data.dtype)
    reproject(data, dest, src_transform=src_t, src_crs=src_crs, dst_transform=dst_t, dst_crs=dst_crs,
              resampling=how, src_nodata=None, dst_nodata=None)
    vmask = np.zeros((view.height, view.width), dtype=np.uint8)
    reproject(valid.astype(np.uint8) * 255, vmask, src_transform=src_t, src_crs=src_crs, dst_transform=dst_t,
              dst_crs=dst_crs, resampling=Resampling.nearest, src_nodata=None, dst_nodata=None)
    return dest, vmask > 0, (0.0, 0.0, float(view.width), float(view.height)), (view.mupp, view.mupp)


def _finite(data: np.ndarray) -> np.ndarray:
    if data.dtype.kind == "f":
        return np.isfinite(data).all(axis=0)
    return np.ones(data.shape[1:], dtype=bool)


def _band_stats(ds, snap, band: int) -> tuple[float, float]:
    """The 2 %–98 % values of a band (from a small overview read; cached)."""
    from rasterio.enums import Resampling
    key = (snap.source, band, ds.width, ds.height)
    with _stats_lock:
        got = _stats.get(key)
    if got is not None:
        return got
    f = max(ds.width, ds.height) / STATS_SAMPLE
    h, w = max(1, int(ds.height / max(f, 1))), max(1, int(ds.width / max(f, 1)))
    sample = ds.read(band, out_shape=(h, w), resampling=Resampling.nearest, masked=True)
    vals = sample.compressed() if np.ma.isMaskedArray(sample) else sample.ravel()
    if vals.dtype.kind == "f":
        vals = vals[np.isfinite(vals)]
    if not len(vals):
        got = (0.0, 1.0)
    else:
        lo, hi = np.percentile(vals, CLIP_PERCENT)
        if hi <= lo:
            lo, hi = float(vals.min()), float(vals.max())
            if hi <= lo:
                hi = lo + 1.0
        got = (float(lo), float(hi))
    with _stats_lock:
        _stats[key] = got
    return got


def _stretch(band: np.ndarray, lo: float, hi: float) -> np.ndarray:
    t = (band.astype(np.float32) - np.float32(lo)) * np.float32(1.0 / (hi - lo) if hi > lo else 1.0)
    return np.clip(t, 0.0, 1.0)


def colourise(data: np.ndarray, valid: np.ndarray, style, stats, cell) -> np.ndarray:
    """An (h, w, 4) uint8 RGBA image of raster data under a raster style.

    Parameters
    ----------
    data : ndarray (bands, h, w)
    valid : ndarray of bool (h, w)
    style : RasterStyle
    stats : list of (lo, hi)
        Default stretch limits per band (ignored where the style sets vmin/vmax).
    cell : (float, float)
        Pixel size in map units (x, y), for the hillshade's slopes.
    """
    h, w = data.shape[1:]
    out = np.zeros((h, w, 4), dtype=np.uint8)
    if style.mode == "hillshade":
        out[..., :3] = hillshade(data[0], cell, style.azimuth, style.altitude, style.z_factor, valid)[..., None]
    elif style.mode == "rgb":
        for k in range(3):
            lo, hi = stats[k] if k < len(stats) else (0.0, 255.0)
            if style.vmin is not None and style.vmax is not None:
                lo, hi = float(style.vmin), float(style.vmax)
            out[..., k] = np.round(_stretch(data[k], lo, hi) * 255).astype(np.uint8)
    else:
        lo, hi = stats[0] if stats else (0.0, 1.0)
        if style.vmin is not None:
            lo = float(style.vmin)
        if style.vmax is not None:
            hi = float(style.vmax)
        t = _stretch(np.nan_to_num(data[0], nan=lo) if data.dtype.kind == "f" else data[0], lo, hi)
        lut = ramp_lut(style.ramp)
        out[...] = lut[np.round(t * 255).astype(np.uint8)]
    out[..., 3] = np.where(valid, out[..., 3] if style.mode == "singleband" else 255, 0)
    return out


def hillshade(dem: np.ndarray, cell, azimuth: float = 315.0, altitude: float = 45.0,
              z_factor: float = 1.0, valid: np.ndarray | None = None) -> np.ndarray:
    """Grey levels 0..255 of a DEM lit from ``azimuth`` (degrees clockwise from north)
    and ``altitude`` (degrees above the horizon).

    The light falls on each cell's surface normal: ``shade = n · L`` with the normal
    from the elevation gradient (``numpy.gradient``, so edges use one-sided
    differences) and ``L`` the unit vector towards the light.
    """
    z = dem.astype(np.float64)
    if valid is not None and not valid.all():
        fill = float(np.nanmean(z[valid])) if valid.any() else 0.0
        z = np.where(valid, z, fill)
    cx, cy = float(cell[0]) or 1.0, float(cell[1]) or 1.0
    if z.shape[0] < 2 or z.shape[1] < 2:
        return np.full(z.shape, 180, dtype=np.uint8)
    d_row, d_col = np.gradient(z, cy, cx)
    dzde = d_col * z_factor          # rises to the east
    dzdn = -d_row * z_factor         # rows run south, so north is minus rows
    az, alt = math.radians(azimuth), math.radians(altitude)
    lx, ly, lz = math.sin(az) * math.cos(alt), math.cos(az) * math.cos(alt), math.sin(alt)
    shade = (-dzde * lx - dzdn * ly + lz) / np.sqrt(1.0 + dzde * dzde + dzdn * dzdn)
    return np.round(np.clip(shade, 0.0, 1.0) * 255).astype(np.uint8)
