"""Placing elements on the map: points with one click, lines and areas by their vertices.

* :class:`PlacePointTool` — a click places one element (snapped); pressing and
  dragging before releasing sets a camera's direction.  The element's coverage
  (circle or sector) follows the cursor while placing.  The attribute form opens
  prefilled with the type's defaults, unless "place without the form" is on.
* :class:`SketchTool` — click the vertices of a line or polygon element; double-click
  (or Enter) finishes, Backspace removes the last vertex, Esc cancels.

Every element placed is one step on the project's undo stack.
"""

from __future__ import annotations

import shapely
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QCursor, QPen

from smartgis.errors import UserError
from smartgis.ui.canvas import path_of
from smartgis.ui.maptools.design.attribute_form import AttributeForm, skip_form
from smartgis.ui.maptools.design.common import DesignTool, azimuth_field, azimuth_from

#: A press and release further apart than this (pixels) is a drag, not a click.
DRAG_PX = 6


class _PlaceBase(DesignTool):
    def __init__(self, canvas, window, type_id: str, variant: str | None = None):
        super().__init__(canvas, window)
        self.type_id = type_id
        self.variant = variant
        self.element_type = self.design.catalog.get(type_id) if self.design is not None else None
        self.last_uid: str | None = None

    @property
    def label(self) -> str:
        from smartgis.ui.maptools.design.attribute_form import ui_language
        t = self.element_type
        lang = ui_language()
        text = t.label(lang) if t else self.type_id
        if self.variant and t is not None:
            text += " · " + t.variant(self.variant).label(lang)
        return text

    def defaults(self) -> dict:
        return self.element_type.defaults(self.variant) if self.element_type else {}

    def ask_attributes(self, values: dict) -> tuple[dict, str | None] | None:
        """The attribute form (unless skipped): (values, variant), or None if cancelled."""
        if skip_form():
            return values, self.variant
        form = AttributeForm(self.element_type, dict(values), variant=self.variant, new=True,
                             catalog=self.design.catalog, parent=self.window or self.canvas)
        try:
            if form.exec() != AttributeForm.Accepted:
                return None
            return form.values(), form.variant
        finally:
            form.deleteLater()

    def place(self, geometry, values: dict, variant: str | None) -> str | None:
        try:
            uid = self.design.add(self.type_id, geometry, variant=variant,
                                  **{k: v for k, v in values.items() if self.element_type.field(k) is not None})
        except UserError as exc:
            if self.window is not None:
                self.window.show_error(exc)
            return None
        self.last_uid = uid
        lyr = self.design.layers[self.type_id]
        self.refresh([lyr.id])
        self.message(self.tr("Placed {type} ({n} in the design)").format(type=self.label, n=lyr.feature_count))
        return uid

    def activate(self) -> None:
        if self.read_only:
            self.message(self.tr("The project is open read-only; elements cannot be placed."))


class PlacePointTool(_PlaceBase):
    """Place point elements of one type (see the module documentation)."""

    title = "place"

    def __init__(self, canvas, window, type_id: str, variant: str | None = None):
        super().__init__(canvas, window, type_id, variant)
        self.az_field = azimuth_field(self.element_type)
        self.anchor: tuple[float, float] | None = None   # press position (snapped)
        self.anchor_px: QPointF | None = None
        self.azimuth: float | None = None

    def activate(self) -> None:
        super().activate()
        hint = self.tr("click to place; drag to set the direction") if self.az_field else self.tr("click to place")
        self.message(self.tr("Placing {type}: {hint}. Esc stops.").format(type=self.label, hint=hint), 10000)

    def deactivate(self) -> None:
        self.anchor = self.anchor_px = self.azimuth = None
        self.cursor_xy = None
        super().deactivate()

    def preview_values(self) -> dict:
        vals = self.defaults()
        if self.az_field and self.azimuth is not None:
            vals[self.az_field] = self.azimuth
        return vals

    def press(self, event, x, y) -> None:
        if event.button() != Qt.LeftButton or self.read_only:
            return
        self.anchor = self.snapped(x, y)
        self.anchor_px = event.position()
        self.azimuth = None

    def move(self, event, x, y) -> None:
        if self.anchor is not None and self.az_field:
            d = event.position() - self.anchor_px
            if abs(d.x()) + abs(d.y()) >= DRAG_PX:
                self.azimuth = azimuth_from(self.anchor[0], self.anchor[1], x, y)
            self.cursor_xy = self.anchor
        else:
            self.cursor_xy = self.snapped(x, y)
        self.canvas.update()

    def release(self, event, x, y) -> None:
        if event.button() != Qt.LeftButton or self.anchor is None:
            return
        pt = self.anchor
        values = self.preview_values()
        self.anchor = self.anchor_px = None
        answer = self.ask_attributes(values)
        self.azimuth = None
        if answer is None:
            self.canvas.update()
            return
        vals, variant = answer
        self.place(shapely.Point(*pt), vals, variant)

    def key_press(self, event) -> bool:
        if event.key() == Qt.Key_Escape:
            if self.anchor is not None:
                self.anchor = self.anchor_px = self.azimuth = None
                self.canvas.update()
                return True
            if self.window is not None and hasattr(self.window, "design_tools"):
                self.window.design_tools.stop_placing()
                return True
        return False

    def paint(self, painter) -> None:
        if self.cursor_xy is None or self.element_type is None:
            return
        painter.setRenderHint(painter.RenderHint.Antialiasing, True)
        pt = shapely.Point(*self.cursor_xy)
        self.paint_coverage(painter, self.element_type, pt, self.preview_values())
        c = self.px(*self.cursor_xy)
        color = QColor(self.element_type.color) if QColor.isValidColorName(self.element_type.color) else QColor("red")
        pen = QPen(QColor("#ffffff"), 2)
        painter.setPen(pen)
        painter.setBrush(color)
        painter.drawEllipse(c, 6, 6)
        if self.anchor is not None and self.azimuth is not None:
            pen = QPen(color.darker(140), 2)
            painter.setPen(pen)
            import math
            r = 40
            a = math.radians(self.azimuth)
            painter.drawLine(c, QPointF(c.x() + r * math.sin(a), c.y() - r * math.cos(a)))
        self.paint_snap(painter)

    def cursor(self) -> QCursor:
        return QCursor(Qt.CrossCursor)


class SketchTool(_PlaceBase):
    """Draw a line or polygon element vertex by vertex (see the module documentation)."""

    title = "sketch"

    def __init__(self, canvas, window, type_id: str, variant: str | None = None):
        super().__init__(canvas, window, type_id, variant)
        self.polygon = self.element_type is not None and self.element_type.geometry == "Polygon"
        self.vertices: list[tuple[float, float]] = []
        self._last_click_px: QPointF | None = None
        self._after_double = False

    def activate(self) -> None:
        super().activate()
        self.message(self.tr("Drawing {type}: click the vertices, double-click or Enter to finish, Backspace "
                             "removes the last vertex, Esc cancels.").format(type=self.label), 15000)

    def deactivate(self) -> None:
        self.vertices = []
        self.cursor_xy = None
        super().deactivate()

    @property
    def minimum(self) -> int:
        return 3 if self.polygon else 2

    def _sketch_points(self):
        return [shapely.MultiPoint(self.vertices)] if self.vertices else None

    def press(self, event, x, y) -> None:
        pass

    def move(self, event, x, y) -> None:
        self.cursor_xy = self.snapped(x, y, extra=self._sketch_points())
        self.canvas.update()

    def release(self, event, x, y) -> None:
        if self.read_only:
            return
        if self._after_double:
            self._after_double = False  # the release of the double click's second press
            return
        if event.button() == Qt.RightButton:
            self.finish()
            return
        if event.button() != Qt.LeftButton:
            return
        pt = self.snapped(x, y, extra=self._sketch_points())
        if self.vertices and self.vertices[-1] == pt:
            return
        self.vertices.append(pt)
        self._last_click_px = event.position()
        self.cursor_xy = pt
        self.canvas.update()

    def double_click(self, event, x, y) -> None:
        if event.button() != Qt.LeftButton or self.read_only:
            return
        self._after_double = True
        pos = event.position()
        if self._last_click_px is None or (pos - self._last_click_px).manhattanLength() > DRAG_PX:
            pt = self.snapped(x, y, extra=self._sketch_points())
            if not self.vertices or self.vertices[-1] != pt:
                self.vertices.append(pt)
        self.finish()

    def key_press(self, event) -> bool:
        key = event.key()
        if key == Qt.Key_Backspace or (key == Qt.Key_Z and event.modifiers() & Qt.ControlModifier and self.vertices):
            if self.vertices:
                self.vertices.pop()
                self.canvas.update()
            return True
        if key == Qt.Key_Escape:
            if self.vertices:
                self.vertices = []
                self.message(self.tr("Drawing cancelled."))
                self.canvas.update()
            elif self.window is not None and hasattr(self.window, "design_tools"):
                self.window.design_tools.stop_placing()
            return True
        if key in (Qt.Key_Return, Qt.Key_Enter):
            self.finish()
            return True
        return False

    def geometry(self):
        """The sketch as a geometry, or None when it has too few vertices."""
        pts = self.vertices
        if len(pts) < self.minimum:
            return None
        if self.polygon:
            return shapely.Polygon(pts)
        return shapely.LineString(pts)

    def finish(self) -> str | None:
        geom = self.geometry()
        if geom is None:
            if self.vertices:
                self.message(self.tr("A {what} needs at least {n} vertices.").format(
                    what=self.tr("polygon") if self.polygon else self.tr("line"), n=self.minimum))
            return None
        if self.polygon and not geom.is_valid:
            self.message(self.tr("The outline crosses itself; move or remove a vertex (Backspace)."), 8000)
            return None
        answer = self.ask_attributes(self.defaults())
        if answer is None:
            return None
        vals, variant = answer
        uid = self.place(geom, vals, variant)
        if uid is not None:
            self.vertices = []
            self.snap = None
            self.canvas.update()
        return uid

    def paint(self, painter) -> None:
        painter.setRenderHint(painter.RenderHint.Antialiasing, True)
        color = QColor(self.element_type.color) if self.element_type and \
            QColor.isValidColorName(self.element_type.color) else QColor("#d62728")
        pts = [self.px(*v) for v in self.vertices]
        live = pts + ([self.px(*self.cursor_xy)] if self.cursor_xy is not None else [])
        if len(live) >= 2:
            if self.polygon and len(live) >= 3:
                fill = QColor(color)
                fill.setAlpha(50)
                painter.setPen(Qt.NoPen)
                painter.setBrush(fill)
                painter.drawPolygon(live)
            pen = QPen(color, 2)
            painter.setPen(pen)
            painter.setBrush(Qt.NoBrush)
            painter.drawPath(path_of(pts))
            dash = QPen(color, 1.5, Qt.DashLine)
            painter.setPen(dash)
            if self.cursor_xy is not None and pts:
                painter.drawLine(pts[-1], live[-1])
                if self.polygon and len(pts) >= 2:
                    painter.drawLine(live[-1], pts[0])
        for p in pts:
            self.paint_handle(painter, p, color, 4)
        self.paint_snap(painter)


def tool_for_type(canvas, window, type_id: str, variant: str | None = None) -> _PlaceBase:
    """The tool placing elements of a type: points by click, lines and areas by sketch."""
    t = canvas.project.design.catalog.get(type_id)
    cls = PlacePointTool if t.geometry == "Point" else SketchTool
    return cls(canvas, window, type_id, variant)
