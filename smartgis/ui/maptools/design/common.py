"""What the design tools share: snapping with a visible marker, picking elements,
and drawing geometries and coverage as overlays in widget pixels."""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import shapely
from PySide6.QtCore import QPointF, QRectF, QSettings, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen

from smartgis.geometry.placement import coverage_shape
from smartgis.geometry.snapping import Snapper, SnapResult
from smartgis.core.design import ElementLayer, coverage_parameters
from smartgis.core.layers import VectorLayer
from smartgis.ui.maptools.base import MapTool

SNAP_KEY = "design/snapping"
SNAP_PX_KEY = "design/snap_pixels"
#: Snapping tolerance in screen pixels (QGIS's default is 12 px).
DEFAULT_SNAP_PX = 12
#: How near (pixels) the cursor must be to an element to pick it.
PICK_PX = 7
#: Overlays draw at most this many elements (a selection of 10,000 poles is shown by
#: the renderer's selection colour; the overlay only adds emphasis).
MAX_OVERLAY = 3000
SNAP_COLOR = QColor("#ff00ff")
EDIT_COLOR = QColor("#ff6a00")


def snapping_enabled() -> bool:
    return QSettings().value(SNAP_KEY, True, type=bool)


def set_snapping(on: bool) -> None:
    QSettings().setValue(SNAP_KEY, bool(on))


def snap_pixels() -> int:
    try:
        return int(QSettings().value(SNAP_PX_KEY, DEFAULT_SNAP_PX))
    except (TypeError, ValueError):
        return DEFAULT_SNAP_PX


class DesignTool(MapTool):
    """Base of the design tools.

    Parameters
    ----------
    canvas : MapCanvas
    window : MainWindow, optional
        For status messages and refreshing the map.
    """

    #: Short name shown in the status bar.
    title = ""

    def __init__(self, canvas, window=None):
        super().__init__(canvas)
        self.window = window
        self.snapper = Snapper()
        self.picker = Snapper()
        self.snap: SnapResult | None = None
        self.cursor_xy: tuple[float, float] | None = None

    # -- model -----------------------------------------------------------------------------
    @property
    def project(self):
        return self.canvas.project

    @property
    def design(self):
        return self.project.design if self.project is not None else None

    @property
    def read_only(self) -> bool:
        p = self.project
        return p is None or bool(getattr(p, "read_only", False))

    def message(self, text: str, ms: int = 5000) -> None:
        if self.window is not None:
            self.window.statusBar().showMessage(text, ms)

    def refresh(self, layer_ids=None) -> None:
        self.canvas.refresh(layer_ids)
        self.canvas.update()

    def visible_vector_layers(self) -> list[VectorLayer]:
        p = self.project
        if p is None:
            return []
        shown = set(p.tree.render_order())
        # a layer in another CRS is drawn reprojected; its raw vertices are not where
        # they show, so it is not snapped to
        return [lyr for lyr in p.vector_layers() if lyr.available and lyr.id in shown
                and (not lyr.crs or _same_crs(str(lyr.crs), str(p.crs)))]

    def element_layers(self) -> list[ElementLayer]:
        p = self.project
        return [] if p is None else [lyr for lyr in p.design.layers.values() if lyr.id in p.layers]

    # -- snapping --------------------------------------------------------------------------
    def tolerance(self, pixels: float) -> float:
        return pixels * self.canvas.map_units_per_pixel()

    def snapped(self, x: float, y: float, exclude=(), extra=None) -> tuple[float, float]:
        """(x, y) snapped to the nearest vertex or edge of a visible layer within the
        snapping tolerance (the marker shows where); unchanged when nothing is near or
        snapping is off (or Shift is held)."""
        from PySide6.QtWidgets import QApplication
        self.snap = None
        if not snapping_enabled() or QApplication.keyboardModifiers() & Qt.ShiftModifier:
            return x, y
        self.snapper.set_layers(self.visible_vector_layers())
        if extra is not None and len(extra):
            self.snapper.add_source("__sketch__", extra)
        else:
            self.snapper.remove_source("__sketch__")
        self.snap = self.snapper.snap(x, y, self.tolerance(snap_pixels()), exclude=exclude)
        if self.snap is None:
            return x, y
        return self.snap.x, self.snap.y

    def pick(self, x: float, y: float, pixels: float = PICK_PX, layers=None) -> tuple[ElementLayer, int] | None:
        """The design element under (x, y): points first, then lines, then areas."""
        layers = self.element_layers() if layers is None else layers
        if not layers:
            return None
        self.picker.set_layers(layers)
        hit = self.picker.pick(x, y, self.tolerance(pixels))
        if hit is None:
            return None
        by_id = {lyr.id: lyr for lyr in layers}
        return by_id[hit[0]], hit[1]

    # -- painting --------------------------------------------------------------------------
    def px(self, x: float, y: float) -> QPointF:
        return self.canvas.to_pixel(x, y)

    def geometry_path(self, geom) -> QPainterPath:
        """A path in widget pixels (rings closed, parts as subpaths)."""
        path = QPainterPath()
        if geom is None or geom.is_empty:
            return path
        mupp = self.canvas.map_units_per_pixel()
        x0, _, _, y1 = self.canvas.extent()
        for part in shapely.get_parts(geom):
            kind = shapely.get_type_id(part)
            rings = [part.exterior, *part.interiors] if kind == 3 else [part]
            for ring in rings:
                xy = shapely.get_coordinates(ring)
                if not len(xy):
                    continue
                px = (xy[:, 0] - x0) / mupp
                py = (y1 - xy[:, 1]) / mupp
                path.moveTo(px[0], py[0])
                for a, b in zip(px[1:].tolist(), py[1:].tolist()):
                    path.lineTo(a, b)
                if kind == 3:
                    path.closeSubpath()
        return path

    def paint_geometry(self, painter: QPainter, geom, color: QColor = EDIT_COLOR, width: float = 2.0,
                       fill_alpha: int = 40, point_radius: float = 6.0) -> None:
        if geom is None or geom.is_empty:
            return
        pen = QPen(color, width)
        pen.setCosmetic(True)
        painter.setPen(pen)
        fill = QColor(color)
        fill.setAlpha(fill_alpha)
        for part in shapely.get_parts(geom):
            if shapely.get_type_id(part) == 0:
                painter.setBrush(QBrush(fill))
                painter.drawEllipse(self.px(part.x, part.y), point_radius, point_radius)
            else:
                painter.setBrush(QBrush(fill) if shapely.get_type_id(part) == 3 else Qt.NoBrush)
                painter.drawPath(self.geometry_path(part))

    def paint_coverage(self, painter: QPainter, element_type, geometry, attributes: dict) -> None:
        """The element's coverage (circle or sector) as it would be with ``attributes``."""
        if geometry is None or element_type is None:
            return
        p = coverage_parameters(element_type, attributes)
        model = p.pop("model")
        shape = coverage_shape(model, geometry, segments=72, **p)
        if shape is None:
            return
        color = QColor(element_type.color) if QColor.isValidColorName(element_type.color) else QColor("#1f77b4")
        pen = QPen(color.darker(130), 1.5, Qt.DashLine)
        pen.setCosmetic(True)
        fill = QColor(color)
        fill.setAlpha(55)
        painter.setPen(pen)
        painter.setBrush(QBrush(fill))
        painter.drawPath(self.geometry_path(shape))

    def paint_snap(self, painter: QPainter) -> None:
        """The snapping marker: a square on a vertex, an X on an edge."""
        s = self.snap
        if s is None:
            return
        c = self.px(s.x, s.y)
        pen = QPen(SNAP_COLOR, 2)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(Qt.NoBrush)
        r = 6
        if s.kind == "vertex":
            painter.drawRect(QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r))
        else:
            painter.drawLine(QPointF(c.x() - r, c.y() - r), QPointF(c.x() + r, c.y() + r))
            painter.drawLine(QPointF(c.x() - r, c.y() + r), QPointF(c.x() + r, c.y() - r))

    def paint_handle(self, painter: QPainter, point: QPointF, color: QColor = EDIT_COLOR, r: float = 5) -> None:
        pen = QPen(QColor("#ffffff"), 1.5)
        painter.setPen(pen)
        painter.setBrush(QBrush(color))
        painter.drawRect(QRectF(point.x() - r, point.y() - r, 2 * r, 2 * r))

    def deactivate(self) -> None:
        self.snap = None
        self.canvas.update()


@lru_cache(maxsize=64)
def _same_crs(a: str, b: str) -> bool:
    from smartgis.crs import same_crs
    try:
        return bool(same_crs(a, b))
    except Exception:  # noqa: BLE001 - an unreadable CRS is simply not the same
        return False


def azimuth_from(x0: float, y0: float, x1: float, y1: float) -> float:
    """Degrees clockwise from north of the direction (x0, y0) → (x1, y1)."""
    return math.degrees(math.atan2(x1 - x0, y1 - y0)) % 360.0


def azimuth_field(element_type) -> str | None:
    """The attribute holding a directional element's azimuth (cameras), or None."""
    if element_type is None or element_type.coverage.model != "sector":
        return None
    name = element_type.coverage.fields.get("azimuth")
    return name if name and element_type.field(name) is not None else None


def selected_uids(project) -> list[str]:
    """uids of the selected elements of every design layer."""
    out: list[str] = []
    if project is None:
        return out
    for lyr in project.design.layers.values():
        if lyr.id in project.layers and len(lyr.selection):
            uids = lyr.table.column("uid")
            out.extend(str(uids[i]) for i in lyr.selection.tolist())
    return out


def selected_geometries(project, limit: int = MAX_OVERLAY) -> np.ndarray:
    geoms = []
    for lyr in project.design.layers.values():
        if lyr.id in project.layers and len(lyr.selection):
            geoms.append(lyr.geometries[lyr.selection[:limit]])
    return np.concatenate(geoms) if geoms else np.empty(0, dtype=object)
