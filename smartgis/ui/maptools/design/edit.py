"""Editing placed elements on the map.

* :class:`SelectTool` — click an element (Shift/Ctrl adds or removes), drag a box;
  Delete deletes, Ctrl+C / Ctrl+V copy and paste (at the cursor), Enter or a
  double-click edits the attributes of every selected element at once, Esc clears.
* :class:`MoveTool` — drag an element (or the selection it belongs to); the grabbed
  point snaps to other features.
* :class:`RotateTool` — drag the handle at the end of a camera's view to turn its
  azimuth; the sector follows live (Shift: 15° steps).
* :class:`VertexTool` — click a line or area element, drag its vertices (snapped),
  double-click an edge to add a vertex, Delete removes the vertex under the cursor.

Each edit is one step on the project's undo stack.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QCursor, QPen

from smartgis.errors import UserError
from smartgis.ui.maptools.design import actions
from smartgis.ui.maptools.design.common import (
    EDIT_COLOR,
    MAX_OVERLAY,
    PICK_PX,
    DesignTool,
    azimuth_field,
    azimuth_from,
    selected_geometries,
    selected_uids,
)

DRAG_PX = 5
HANDLE_PX = 9


def _modifier_mode(event) -> str:
    mods = event.modifiers()
    if mods & Qt.ShiftModifier:
        return "add"
    if mods & Qt.ControlModifier:
        return "toggle"
    return "replace"


# == select ===========================================================================
class SelectTool(DesignTool):
    """Select design elements (see the module documentation)."""

    title = "select"

    def __init__(self, canvas, window=None):
        super().__init__(canvas, window)
        self.start_px: QPointF | None = None
        self.start_xy = None
        self.box_px: QRectF | None = None

    def activate(self) -> None:
        self.message(self.tr("Select elements: click, Shift+click to add, drag a box. Delete, Ctrl+C, Ctrl+V, "
                             "Enter edits the attributes."), 10000)

    def deactivate(self) -> None:
        self.start_px = self.box_px = None
        super().deactivate()

    def press(self, event, x, y) -> None:
        if event.button() == Qt.LeftButton:
            self.start_px, self.start_xy = event.position(), (x, y)
            self.box_px = None

    def move(self, event, x, y) -> None:
        self.cursor_xy = (x, y)
        if self.start_px is not None and event.buttons() & Qt.LeftButton:
            d = event.position() - self.start_px
            if abs(d.x()) + abs(d.y()) >= DRAG_PX:
                self.box_px = QRectF(self.start_px, event.position()).normalized()
                self.canvas.update()

    def release(self, event, x, y) -> None:
        if event.button() != Qt.LeftButton or self.start_px is None or self.project is None:
            return
        mode = _modifier_mode(event)
        if self.box_px is not None:
            x0, y0 = self.start_xy
            self.select_box((min(x0, x), min(y0, y), max(x0, x), max(y0, y)), mode)
        else:
            self.select_at(x, y, mode)
        self.start_px = self.box_px = None
        self.canvas.update()

    def select_at(self, x: float, y: float, mode: str = "replace") -> str | None:
        hit = self.pick(x, y)
        if hit is None:
            if mode == "replace":
                actions.clear_selection(self.project)
            return None
        lyr, i = hit
        if mode == "replace":
            for other in self.element_layers():
                if other is not lyr and len(other.selection):
                    other.select([])
        lyr.select([i], mode=mode)
        uid = str(lyr.table.column("uid")[i])
        self._report()
        return uid

    def select_box(self, box, mode: str = "replace") -> int:
        layers = self.element_layers()
        self.picker.set_layers(layers)
        hits = self.picker.within(box)
        n = 0
        for lyr in layers:
            idx = hits.get(lyr.id, np.empty(0, dtype=np.int64))
            if mode == "replace":
                lyr.select(idx)
            elif len(idx):
                lyr.select(idx, mode=mode)
            n += len(idx)
        self._report()
        return n

    def _report(self) -> None:
        n = len(selected_uids(self.project))
        self.message(self.tr("{n} elements selected").format(n=n) if n else self.tr("Nothing selected"))

    def double_click(self, event, x, y) -> None:
        if event.button() != Qt.LeftButton or self.window is None:
            return
        hit = self.pick(x, y)
        if hit is not None:
            lyr, i = hit
            if i not in set(lyr.selection.tolist()):
                self.select_at(x, y)
            actions.edit_attributes(self.window)

    def key_press(self, event) -> bool:
        key, mods = event.key(), event.modifiers()
        w = self.window
        if w is None or self.project is None:
            return False
        if key in (Qt.Key_Delete, Qt.Key_Backspace):
            actions.delete_selected(w)
            return True
        if key == Qt.Key_C and mods & Qt.ControlModifier:
            actions.copy_selected(w)
            return True
        if key == Qt.Key_V and mods & Qt.ControlModifier:
            actions.paste(w, at=self.cursor_xy)
            return True
        if key == Qt.Key_A and mods & Qt.ControlModifier:
            for lyr in self.element_layers():
                lyr.select(np.arange(lyr.feature_count))
            self._report()
            return True
        if key in (Qt.Key_Return, Qt.Key_Enter):
            actions.edit_attributes(w)
            return True
        if key == Qt.Key_Escape:
            actions.clear_selection(self.project)
            self.canvas.update()
            return True
        return False

    def paint(self, painter) -> None:
        painter.setRenderHint(painter.RenderHint.Antialiasing, True)
        if self.project is not None:
            for g in selected_geometries(self.project, MAX_OVERLAY):
                self.paint_geometry(painter, g, QColor("#ffd400"), 2.5, 30, 8)
        if self.box_px is not None:
            pen = QPen(QColor("#1e64c8"), 1, Qt.DashLine)
            painter.setPen(pen)
            fill = QColor("#1e64c8")
            fill.setAlpha(35)
            painter.setBrush(fill)
            painter.drawRect(self.box_px)

    def cursor(self) -> QCursor:
        return QCursor(Qt.ArrowCursor)


# == move =============================================================================
class MoveTool(DesignTool):
    """Move elements by dragging them (see the module documentation)."""

    title = "move"

    def __init__(self, canvas, window=None):
        super().__init__(canvas, window)
        self.moving: list[str] = []
        self.geoms: np.ndarray | None = None
        self.ref = None
        self.delta = (0.0, 0.0)
        self.exclude: list[tuple[str, int]] = []

    def activate(self) -> None:
        self.message(self.tr("Move elements: drag an element (or the selection it is in); it snaps to other "
                             "features. Shift: no snapping. Esc cancels."), 10000)

    def deactivate(self) -> None:
        self.moving, self.geoms, self.ref = [], None, None
        super().deactivate()

    def press(self, event, x, y) -> None:
        if event.button() != Qt.LeftButton or self.read_only:
            return
        hit = self.pick(x, y)
        if hit is None:
            return
        lyr, i = hit
        uid = str(lyr.table.column("uid")[i])
        sel = selected_uids(self.project)
        self.moving = sel if uid in sel else [uid]
        found = [self.design.find(u) for u in self.moving]
        self.exclude = [(layer.id, idx) for layer, idx in found]
        self.geoms = np.array([layer.geometries[idx] for layer, idx in found], dtype=object)
        # the grabbed point: the element's vertex nearest the cursor when it is near
        g = lyr.geometries[i]
        xy = shapely.get_coordinates(g)
        d = np.hypot(xy[:, 0] - x, xy[:, 1] - y)
        k = int(np.argmin(d))
        tol = self.tolerance(PICK_PX * 2)
        self.ref = (float(xy[k, 0]), float(xy[k, 1])) if d[k] <= tol or len(xy) == 1 else (x, y)
        self.delta = (0.0, 0.0)

    def move(self, event, x, y) -> None:
        if self.ref is None:
            return
        tx, ty = self.snapped(x, y, exclude=self.exclude)
        self.delta = (tx - self.ref[0], ty - self.ref[1])
        self.canvas.update()

    def release(self, event, x, y) -> None:
        if event.button() != Qt.LeftButton or self.ref is None:
            return
        dx, dy = self.delta
        uids = self.moving
        self.deactivate_drag()
        if uids and (dx or dy):
            n = self.design.move(uids, dx, dy, text=self.tr("Move {n} elements").format(n=len(uids)))
            self.refresh()
            self.message(self.tr("Moved {n} elements by {d:.2f} m").format(n=n, d=math.hypot(dx, dy)))

    def deactivate_drag(self) -> None:
        self.moving, self.geoms, self.ref, self.snap = [], None, None, None
        self.delta = (0.0, 0.0)
        self.canvas.update()

    def key_press(self, event) -> bool:
        if event.key() == Qt.Key_Escape and self.ref is not None:
            self.deactivate_drag()
            return True
        return False

    def paint(self, painter) -> None:
        if self.geoms is None:
            return
        painter.setRenderHint(painter.RenderHint.Antialiasing, True)
        dx, dy = self.delta
        moved = shapely.transform(self.geoms[:MAX_OVERLAY], lambda c: c + (dx, dy))
        for g in moved:
            self.paint_geometry(painter, g, EDIT_COLOR, 2, 50, 7)
        self.paint_snap(painter)

    def cursor(self) -> QCursor:
        return QCursor(Qt.SizeAllCursor)


# == rotate ===========================================================================
class RotateTool(DesignTool):
    """Turn directional elements (cameras) by dragging the handle of their view."""

    title = "rotate"

    def __init__(self, canvas, window=None):
        super().__init__(canvas, window)
        self.target = None          # (layer, index)
        self.dragging = False
        self.azimuth: float | None = None

    def activate(self) -> None:
        self.message(self.tr("Rotate: drag the round handle at the end of a camera's view (Shift: 15° steps)."),
                     10000)

    def deactivate(self) -> None:
        self.target, self.dragging, self.azimuth = None, False, None
        super().deactivate()

    def directional_layers(self):
        return [lyr for lyr in self.element_layers() if azimuth_field(lyr.element_type) and lyr.feature_count]

    def handle_of(self, lyr, i, azimuth: float | None = None) -> QPointF:
        """Widget position of an element's handle: on its view axis, at its range
        (kept between 40 and 160 pixels from the element)."""
        g = lyr.geometries[i]
        field = azimuth_field(lyr.element_type)
        az = float(lyr.table.value(i, field) or 0.0) if azimuth is None else azimuth
        from smartgis.core.design import coverage_parameters
        rng = coverage_parameters(lyr.element_type, lyr.table.row(i))["range"]
        px_len = min(160.0, max(40.0, rng / self.canvas.map_units_per_pixel()))
        c = self.px(g.x, g.y)
        a = math.radians(az)
        return QPointF(c.x() + px_len * math.sin(a), c.y() - px_len * math.cos(a))

    def find_target(self, event, x, y):
        """The element whose handle (preferred) or position is under the cursor."""
        layers = self.directional_layers()
        if not layers:
            return None
        reach = self.tolerance(170)
        self.picker.set_layers(layers)
        hits = self.picker.within((x - reach, y - reach, x + reach, y + reach))
        pos = event.position()
        best, best_d = None, HANDLE_PX
        for lyr in layers:
            for i in hits.get(lyr.id, np.empty(0, dtype=np.int64)).tolist()[:500]:
                h = self.handle_of(lyr, i)
                d = math.hypot(h.x() - pos.x(), h.y() - pos.y())
                if d <= best_d:
                    best, best_d = (lyr, i), d
        if best is not None:
            return best
        return self.pick(x, y, layers=layers)

    def press(self, event, x, y) -> None:
        if event.button() != Qt.LeftButton or self.read_only:
            return
        hit = self.find_target(event, x, y)
        if hit is not None:
            self.target, self.dragging, self.azimuth = hit, True, None
            self.canvas.update()

    def move(self, event, x, y) -> None:
        if self.dragging and self.target is not None:
            lyr, i = self.target
            g = lyr.geometries[i]
            az = azimuth_from(g.x, g.y, x, y)
            if event.modifiers() & Qt.ShiftModifier:
                az = (round(az / 15.0) * 15.0) % 360.0
            self.azimuth = az
        else:
            self.target = self.find_target(event, x, y)
        self.canvas.update()

    def release(self, event, x, y) -> None:
        if event.button() != Qt.LeftButton or not self.dragging:
            return
        self.dragging = False
        if self.target is None or self.azimuth is None:
            return
        lyr, i = self.target
        field = azimuth_field(lyr.element_type)
        uid = str(lyr.table.column("uid")[i])
        az = round(self.azimuth, 1) % 360.0
        self.azimuth = None
        try:
            self.design.update([uid], text=self.tr("Turn {type} to {az:.0f}°").format(
                type=lyr.element_type.label("en"), az=az), **{field: az})
        except UserError as exc:
            if self.window is not None:
                self.window.show_error(exc)
            return
        self.refresh([lyr.id])
        self.message(self.tr("Azimuth {az:.1f}°").format(az=az))

    def key_press(self, event) -> bool:
        if event.key() == Qt.Key_Escape and self.dragging:
            self.dragging, self.azimuth = False, None
            self.canvas.update()
            return True
        return False

    def paint(self, painter) -> None:
        if self.target is None:
            return
        lyr, i = self.target
        if i >= lyr.feature_count:
            self.target = None
            return
        painter.setRenderHint(painter.RenderHint.Antialiasing, True)
        attrs = lyr.table.row(i)
        field = azimuth_field(lyr.element_type)
        if self.azimuth is not None:
            attrs[field] = self.azimuth
        g = lyr.geometries[i]
        self.paint_coverage(painter, lyr.element_type, g, attrs)
        c = self.px(g.x, g.y)
        h = self.handle_of(lyr, i, attrs[field] if attrs.get(field) is not None else 0.0)
        pen = QPen(EDIT_COLOR, 2)
        painter.setPen(pen)
        painter.drawLine(c, h)
        painter.setPen(QPen(QColor("#ffffff"), 2))
        painter.setBrush(EDIT_COLOR)
        painter.drawEllipse(h, 7, 7)
        if self.azimuth is not None:
            painter.setPen(QColor("#202020"))
            painter.drawText(QPointF(h.x() + 10, h.y() - 10), f"{self.azimuth:.0f}°")

    def cursor(self) -> QCursor:
        return QCursor(Qt.PointingHandCursor)


# == vertices =========================================================================
def _rings(geom) -> list[np.ndarray]:
    if shapely.get_type_id(geom) == 3:
        return [shapely.get_coordinates(r).copy() for r in (geom.exterior, *geom.interiors)]
    return [shapely.get_coordinates(geom).copy()]


def _rebuild(kind: int, rings: list[np.ndarray]):
    if kind == 3:
        return shapely.Polygon(rings[0], rings[1:])
    if kind == 0:
        return shapely.Point(rings[0][0])
    return shapely.LineString(rings[0])


class VertexTool(DesignTool):
    """Reshape elements by their vertices (see the module documentation)."""

    title = "vertices"

    def __init__(self, canvas, window=None):
        super().__init__(canvas, window)
        self.uid: str | None = None
        self.drag = None          # (ring, vertex)
        self.hover = None
        self.preview = None

    def activate(self) -> None:
        self.message(self.tr("Edit vertices: click an element, drag its vertices, double-click an edge to add one, "
                             "Delete removes the vertex under the cursor."), 10000)

    def deactivate(self) -> None:
        self.uid, self.drag, self.hover, self.preview = None, None, None, None
        super().deactivate()

    def current(self):
        if self.uid is None or self.design is None:
            return None
        try:
            lyr, i = self.design.find(self.uid)
        except UserError:
            self.uid = None
            return None
        return lyr, i, lyr.geometries[i]

    def vertex_at(self, event, geom):
        pos = event.position()
        best, best_d = None, HANDLE_PX
        for r, ring in enumerate(_rings(geom)):
            n = len(ring) - (1 if shapely.get_type_id(geom) == 3 else 0)
            for v in range(n):
                p = self.px(*ring[v])
                d = math.hypot(p.x() - pos.x(), p.y() - pos.y())
                if d <= best_d:
                    best, best_d = (r, v), d
        return best

    def press(self, event, x, y) -> None:
        if event.button() != Qt.LeftButton or self.read_only:
            return
        cur = self.current()
        if cur is not None:
            v = self.vertex_at(event, cur[2])
            if v is not None:
                self.drag = v
                self.preview = cur[2]
                return
        hit = self.pick(x, y)
        self.uid = str(hit[0].table.column("uid")[hit[1]]) if hit is not None else None
        cur = self.current()
        if cur is not None and shapely.get_type_id(cur[2]) == 0:
            self.drag = (0, 0)  # a point: drag the point itself
            self.preview = cur[2]
        self.canvas.update()

    def _moved(self, geom, ring_i: int, v: int, x: float, y: float):
        kind = shapely.get_type_id(geom)
        rings = _rings(geom)
        ring = rings[ring_i]
        ring[v] = (x, y)
        if kind == 3 and v == 0:
            ring[-1] = (x, y)  # the closing vertex of a ring moves with the first
        return _rebuild(kind, rings)

    def move(self, event, x, y) -> None:
        cur = self.current()
        if self.drag is not None and cur is not None:
            lyr, i, g = cur
            tx, ty = self.snapped(x, y, exclude=[(lyr.id, i)])
            self.preview = self._moved(g, *self.drag, tx, ty)
        elif cur is not None:
            self.hover = self.vertex_at(event, cur[2])
        self.canvas.update()

    def release(self, event, x, y) -> None:
        if event.button() != Qt.LeftButton or self.drag is None:
            return
        cur = self.current()
        new, self.drag, self.preview = self.preview, None, None
        self.snap = None
        if cur is None or new is None or new.equals_exact(cur[2], 0.0):
            self.canvas.update()
            return
        self.commit(cur, new, self.tr("Move a vertex"))

    def commit(self, cur, new, text: str) -> bool:
        lyr, i, old = cur
        if shapely.get_type_id(new) == 3 and not new.is_valid:
            self.message(self.tr("That would make the outline cross itself; not changed."), 8000)
            self.canvas.update()
            return False
        try:
            self.design.set_geometry(self.uid, new, text=text)
        except UserError as exc:
            if self.window is not None:
                self.window.show_error(exc)
            return False
        self.refresh([lyr.id])
        return True

    def double_click(self, event, x, y) -> None:
        cur = self.current()
        if cur is None or self.read_only or shapely.get_type_id(cur[2]) == 0:
            return
        lyr, i, g = cur
        rings = _rings(g)
        p = shapely.Point(x, y)
        best = None
        for r, ring in enumerate(rings):
            for k in range(len(ring) - 1):
                seg = shapely.LineString(ring[k:k + 2])
                d = seg.distance(p)
                if best is None or d < best[0]:
                    best = (d, r, k, seg)
        if best is None or best[0] > self.tolerance(HANDLE_PX):
            return
        _, r, k, seg = best
        on = seg.interpolate(seg.project(p))
        rings[r] = np.insert(rings[r], k + 1, (on.x, on.y), axis=0)
        self.commit(cur, _rebuild(shapely.get_type_id(g), rings), self.tr("Add a vertex"))

    def key_press(self, event) -> bool:
        cur = self.current()
        if event.key() == Qt.Key_Escape:
            if self.drag is not None:
                self.drag, self.preview = None, None
            else:
                self.uid = None
            self.canvas.update()
            return True
        if event.key() in (Qt.Key_Delete, Qt.Key_Backspace) and cur is not None and self.hover is not None:
            lyr, i, g = cur
            kind = shapely.get_type_id(g)
            rings = _rings(g)
            r, v = self.hover
            ring = rings[r]
            if kind == 3:
                core = np.delete(ring[:-1], v, axis=0)
                if len(core) < 3:
                    self.message(self.tr("An area needs at least 3 vertices."))
                    return True
                rings[r] = np.vstack([core, core[:1]])
            else:
                if len(ring) <= 2:
                    self.message(self.tr("A line needs at least 2 vertices."))
                    return True
                rings[r] = np.delete(ring, v, axis=0)
            self.hover = None
            self.commit(cur, _rebuild(kind, rings), self.tr("Remove a vertex"))
            return True
        return False

    def paint(self, painter) -> None:
        cur = self.current()
        if cur is None:
            return
        painter.setRenderHint(painter.RenderHint.Antialiasing, True)
        g = self.preview if self.preview is not None else cur[2]
        self.paint_geometry(painter, g, EDIT_COLOR, 2, 40, 7)
        for r, ring in enumerate(_rings(g)):
            n = len(ring) - (1 if shapely.get_type_id(g) == 3 else 0)
            for v in range(n):
                color = QColor("#1e64c8") if self.hover == (r, v) else EDIT_COLOR
                self.paint_handle(painter, self.px(*ring[v]), color, 4.5)
        self.paint_snap(painter)
