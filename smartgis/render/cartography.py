"""The map of a printed sheet, drawn the way cartographers draw to scale.

Screen rendering keeps symbols at their style size whatever the zoom; on paper that
turns 10,000 poles at 1:25,000 into solid bands and buries the labels.  A sheet map
therefore:

- **scales point symbols with the map** between limits: full size at
  :data:`ICON_FULL_SCALE` (1:5,000) and larger scales, shrinking with the square root
  of the scale down to :data:`ICON_MIN_MM`;
- draws a layer whose symbols would crowd each other (median nearest-neighbour
  distance on paper below :data:`CROWDED_FACTOR` symbol sizes) as **small dots** in its
  colour (poles along roads at 1:25,000), and icons where there is room (1:2,000);
- **thins** what still overlaps: a symbol covering more than half of one already drawn
  is left out (icons), dots keep a minimum gap;
- **places labels clear of every symbol and label** of every layer: four candidate
  positions round a point (right, left, above, below), the first free one wins; a
  label with no free position is left out.

QtGui only.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import shapely
from PySide6.QtCore import QPointF
from PySide6.QtGui import QFontMetricsF, QPainter, QPainterPath

from smartgis.core.style import Symbol
from smartgis.render.colors import parse_rgba
from smartgis.render.labels import paint_text_path

#: At this scale and larger (1:N with smaller N) point icons have their style size.
ICON_FULL_SCALE = 5000.0
#: Icons never shrink below this (mm): smaller icons cannot be told apart.
ICON_MIN_MM = 1.8
#: ... nor grow beyond this (mm).
ICON_MAX_MM = 8.0
#: Dots drawn for crowded layers (mm).
DOT_MM = 0.9
#: A layer is crowded when its median nearest-neighbour distance on paper is below this
#: many icon sizes.
CROWDED_FACTOR = 1.5
#: Minimum gap between dots (in dot sizes); closer dots are thinned.
DOT_GAP = 0.6
#: Icons overlapping an already drawn icon by more than this fraction are left out.
ICON_OVERLAP = 0.5
#: Gap between a point symbol and its label (mm).
LABEL_GAP_MM = 0.8
#: Occupancy grid cell for label placement (pixels).
CELL = 3


@dataclass
class PointPlan:
    """How a point layer is drawn at a scale: ``mode`` (``icon`` or ``dot``), ``size_mm``."""

    mode: str
    size_mm: float
    median_gap_mm: float | None = None


def icon_size_mm(style_size: float, scale: float) -> float:
    """The printed size of a point icon at 1:``scale`` (mm)."""
    size = float(style_size) * min(1.0, math.sqrt(ICON_FULL_SCALE / max(scale, 1.0)))
    return float(min(ICON_MAX_MM, max(ICON_MIN_MM, size)))


def plan_points(xy_mm: np.ndarray, style_size: float, scale: float) -> PointPlan:
    """Icons or dots for points at paper positions ``xy_mm`` (n × 2, millimetres)."""
    size = icon_size_mm(style_size, scale)
    if len(xy_mm) < 2:
        return PointPlan("icon", size, None)
    from scipy.spatial import cKDTree
    d, _ = cKDTree(xy_mm).query(xy_mm, k=2)
    gap = float(np.median(d[:, 1]))
    if gap < CROWDED_FACTOR * size:
        return PointPlan("dot", DOT_MM, gap)
    return PointPlan("icon", size, gap)


def thin(px: np.ndarray, py: np.ndarray, spacing_px: float) -> np.ndarray:
    """Indices of the points kept so that no two kept points are closer than ``spacing_px``
    (greedy, in input order: earlier points win)."""
    n = len(px)
    if n < 2 or spacing_px <= 0:
        return np.arange(n)
    from scipy.spatial import cKDTree
    tree = cKDTree(np.column_stack([px, py]))
    keep = np.ones(n, dtype=bool)
    for i in range(n):
        if not keep[i]:
            continue
        for j in tree.query_ball_point((px[i], py[i]), spacing_px):
            if j > i:
                keep[j] = False
    return np.flatnonzero(keep)


class Occupancy:
    """Taken areas of the map (pixels) on a coarse grid: symbols, then labels."""

    def __init__(self, width: int, height: int):
        self.w, self.h = width, height
        self.grid = np.zeros((height // CELL + 2, width // CELL + 2), dtype=bool)

    def _cells(self, left, top, right, bottom):
        c0, c1 = max(int(left) // CELL, 0), max(int(math.ceil(right)) // CELL + 1, 0)
        r0, r1 = max(int(top) // CELL, 0), max(int(math.ceil(bottom)) // CELL + 1, 0)
        return self.grid[r0:r1, c0:c1]

    def free(self, left, top, right, bottom) -> bool:
        if left < 0 or top < 0 or right > self.w or bottom > self.h:
            return False
        return not self._cells(left, top, right, bottom).any()

    def take(self, left, top, right, bottom) -> None:
        self._cells(left, top, right, bottom)[...] = True


@dataclass
class DrawnPoints:
    """Point symbols drawn for one layer (pixels), for label placement."""

    snap: object
    idx: np.ndarray          # rows of the layer
    px: np.ndarray
    py: np.ndarray
    half_px: float
    plan: PointPlan | None = None


def _point_layer(snap) -> bool:
    return snap.kind == "vector" and snap.geometry_family == "point" and snap.style.renderer == "single"


def draw_points(snap, prep, view, painter: QPainter, scale: float, occupancy: Occupancy) -> DrawnPoints | None:
    """Draw a single-symbol point layer to scale; returns what was drawn."""
    from smartgis.render.prepared import point_coords
    from smartgis.render.symbols import sprite
    x0, y0, x1, y1 = view.extent
    sym = snap.style.symbol
    m = view.mupp * view.mm(ICON_MAX_MM)
    idx = prep.index.query((x0 - m, y0 - m, x1 + m, y1 + m))
    if not len(idx):
        return None
    coords, owner = point_coords(prep.geoms[idx], np.arange(len(idx)))
    if not len(coords):
        return None
    rows = idx[owner]
    px, py = view.to_pixels(coords[:, 0], coords[:, 1])
    inside = (px >= 0) & (px < view.width) & (py >= 0) & (py < view.height)
    rows, px, py = rows[inside], px[inside], py[inside]
    if not len(rows):
        return None
    px_per_mm = view.mm(1.0)
    plan = plan_points(np.column_stack([px, py]) / px_per_mm, sym.size, scale)
    if plan.mode == "dot":
        draw_sym = Symbol(fill=sym.fill if parse_rgba(sym.fill)[3] else sym.stroke, stroke="#00000000",
                          stroke_width=0.0, marker="circle", size=plan.size_mm)
        keep = thin(px, py, view.mm(plan.size_mm * (1 + DOT_GAP)) * 0.5)
    else:
        draw_sym = Symbol(**{**sym.__dict__, "size": plan.size_mm})
        keep = thin(px, py, view.mm(plan.size_mm) * ICON_OVERLAP)
    rows, px, py = rows[keep], px[keep], py[keep]
    img = sprite(draw_sym, view)
    hw, hh = img.width() / 2.0, img.height() / 2.0
    for x, y in zip(px.tolist(), py.tolist()):
        painter.drawImage(QPointF(x - hw, y - hh), img)
    half = view.mm(plan.size_mm) / 2.0
    for x, y in zip(px.tolist(), py.tolist()):
        occupancy.take(x - half, y - half, x + half, y + half)
    return DrawnPoints(snap, rows, px, py, half, plan)


def place_labels(label_jobs: list, view, painter: QPainter, occupancy: Occupancy) -> list[tuple]:
    """Labels of every layer with labels on, clear of symbols and of each other.

    ``label_jobs`` is ``[(snap, prep, rows, anchors_px | None, half_px)]`` in priority
    order.  Returns the boxes of the labels placed, ``(left, top, right, bottom)`` pixels.
    """
    from smartgis.render.labels import format_value, label_font
    placed: list[tuple] = []
    for snap, prep, rows, anchors, half in label_jobs:
        ls = snap.style.labels
        column = snap.column(ls.field)
        if column is None or not len(rows):
            continue
        font = label_font(view.mm(ls.size))
        fm = QFontMetricsF(font)
        h, ascent = fm.height(), fm.ascent()
        if anchors is None:
            pts = shapely.point_on_surface(prep.geoms[rows])
            ax, ay = view.to_pixels(shapely.get_x(pts), shapely.get_y(pts))
            off = None
        else:
            ax, ay = anchors
            off = half + view.mm(LABEL_GAP_MM)
        path = QPainterPath()
        for i, row in enumerate(rows.tolist()):
            text = format_value(column[row])
            if not text:
                continue
            x, y = float(ax[i]), float(ay[i])
            w = fm.horizontalAdvance(text)
            if off is None:
                cands = [(x - w / 2, y - h / 2)]
            else:
                cands = [(x + off, y - h / 2), (x - off - w, y - h / 2), (x - w / 2, y - off - h),
                         (x - w / 2, y + off)]
            for left, top in cands:
                if occupancy.free(left, top, left + w, top + h):
                    occupancy.take(left, top, left + w, top + h)
                    path.addText(QPointF(left, top + ascent), font, text)
                    placed.append((left, top, left + w, top + h))
                    break
        if path.isEmpty():
            continue
        paint_text_path(painter, path, ls, view)
    return placed


def draw_sheet_map(painter: QPainter, target_rect, project, extent, dpi: float, layers, scale: float,
                   keep_clear_mm=()):
    """Draw ``layers`` (layer objects, top first) to scale inside ``target_rect``.

    ``keep_clear_mm`` are rectangles (millimetres from the map's top-left corner) where no
    label goes: the north arrow, the scale bar.

    Returns
    -------
    RenderResult
        With ``image`` None; ``errors`` per layer id.
    """
    from smartgis.render import RenderResult, ensure_gui_app
    from smartgis.render.cancel import NEVER
    from smartgis.render.job import draw_layer
    from smartgis.render.onto_painter import map_in_rect, one_layer
    from smartgis.render.prepared import prepared_for
    from smartgis.render.snapshot import snapshot_layer
    ensure_gui_app()
    errors, drawn_points, area_labels = {}, [], []
    total = 0
    snaps = [snapshot_layer(lyr, project) for lyr in reversed(list(layers))]   # bottom first
    with map_in_rect(painter, target_rect, extent, dpi) as view:
        occupancy = Occupancy(view.width, view.height)
        for r in keep_clear_mm:
            occupancy.take(view.mm(r.left()), view.mm(r.top()), view.mm(r.right()), view.mm(r.bottom()))
        t0 = time.perf_counter()
        for snap in snaps:
            if snap.error:
                errors[snap.layer_id] = snap.error
                continue
            with one_layer(painter, snap, errors):
                if _point_layer(snap):
                    prep = prepared_for(snap.layer, project.crs)
                    d = draw_points(snap, prep, view, painter, scale, occupancy)
                    if d is not None:
                        total += len(d.idx)
                        drawn_points.append((d, prep))
                else:
                    total += draw_layer(snap, view, painter, NEVER, labels=False)
                    if snap.kind == "vector" and snap.style.labels.enabled and snap.style.labels.field:
                        prep = prepared_for(snap.layer, project.crs)
                        x0, y0, x1, y1 = view.extent
                        area_labels.append((snap, prep, prep.index.query((x0, y0, x1, y1))))
        # labels last, top layer first: point labels round their symbols, then areas and lines
        jobs = [(d.snap, prep, d.idx, (d.px, d.py), d.half_px) for d, prep in reversed(drawn_points)
                if d.snap.style.labels.enabled and d.snap.style.labels.field]
        jobs += [(snap, prep, rows, None, 0.0) for snap, prep, rows in reversed(area_labels)]
        boxes = place_labels(jobs, view, painter, occupancy)
    result = RenderResult(None, time.perf_counter() - t0, total, errors, view, {})
    result.label_boxes = boxes
    result.symbol_boxes = [(x - d.half_px, y - d.half_px, x + d.half_px, y + d.half_px)
                           for d, _prep in drawn_points for x, y in zip(d.px.tolist(), d.py.tolist())]
    result.point_plans = {d.snap.name: d.plan for d, _prep in drawn_points}
    return result


__all__ = ["PointPlan", "icon_size_mm", "plan_points", "thin", "Occupancy", "draw_points", "place_labels",
           "draw_sheet_map", "ICON_FULL_SCALE", "ICON_MIN_MM", "DOT_MM"]
