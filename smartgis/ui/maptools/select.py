"""Select features by clicking or by dragging a box.

A click selects the nearest feature within a few pixels (the topmost when they
tie); a drag selects every feature meeting the box.  Shift adds to the selection,
Ctrl removes from it — QGIS's habits.  The selection lives in the model
(``layer.select``), so the attribute table follows through ``selection_changed``.
"""

from __future__ import annotations

import numpy as np
import shapely
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QCursor

from smartgis.ui.maptools.base import BoxTool
from smartgis.ui.maptools.identify import TOLERANCE_PX, features_near


def features_in_box(project, layer, box) -> np.ndarray:
    """Rows of ``layer`` whose geometries meet ``box`` (xmin, ymin, xmax, ymax), sorted."""
    from smartgis.render.prepared import peek, prepared_for
    prep = peek(layer, project.crs)
    if prep is None:
        if not layer.loaded:
            return np.empty(0, np.int64)
        prep = prepared_for(layer, project.crs)
    cand = prep.index.query(box)
    if not len(cand):
        return cand
    b = prep.bounds[cand]
    x0, y0, x1, y1 = box
    inside = (b[:, 0] >= x0) & (b[:, 2] <= x1) & (b[:, 1] >= y0) & (b[:, 3] <= y1)
    rest = cand[~inside]
    if len(rest):
        # boxes poking out of the rectangle: test the geometry itself
        hit = shapely.intersects(prep.geoms[rest], shapely.box(x0, y0, x1, y1))
        return np.sort(np.concatenate([cand[inside], rest[hit]]))
    return cand


class SelectTool(BoxTool):
    """Click or drag to select features.

    Parameters
    ----------
    canvas : MapCanvas
    layer : layer, id, callable or None
        The layer to select in (or a callable returning it).  None: the window's
        current layer when it is a vector layer (``window.current_layer()``), else
        every visible vector layer.

    Signals
    -------
    selection_made(dict)
        ``{layer_id: number selected}`` after each click or box.
    """

    selection_made = Signal(dict)

    band_pen = QColor(200, 160, 0)
    band_fill = QColor(255, 230, 0, 50)

    def __init__(self, canvas, layer=None):
        super().__init__(canvas)
        self.layer = layer

    def target_layers(self) -> list:
        from smartgis.core.layers import VectorLayer
        project = self.canvas.project
        if project is None:
            return []
        target = self.layer() if callable(self.layer) else self.layer
        if target is None:
            # like QGIS: the current layer of the window, when it is a vector layer
            current = getattr(self.canvas.window(), "current_layer", None)
            target = current() if callable(current) else None
            if target is not None and not isinstance(target, VectorLayer):
                target = None
        if target is not None:
            lyr = project.layer(target)
            return [lyr] if isinstance(lyr, VectorLayer) else []
        return [project.layers[i] for i in reversed(project.tree.render_order())
                if isinstance(project.layers.get(i), VectorLayer)]

    @staticmethod
    def mode_for(modifiers) -> str:
        if modifiers & Qt.KeyboardModifier.ShiftModifier:
            return "add"
        if modifiers & Qt.KeyboardModifier.ControlModifier:
            return "remove"
        return "replace"

    def clicked(self, event, x, y) -> None:
        self.select_at(x, y, self.mode_for(event.modifiers()))

    def boxed(self, event, rect, box) -> None:
        self.select_box(box, self.mode_for(event.modifiers()))

    def select_at(self, x: float, y: float, mode: str = "replace") -> dict:
        """Select the feature nearest to (x, y) (the topmost layer having one)."""
        project = self.canvas.project
        tol = TOLERANCE_PX * self.canvas.map_units_per_pixel()
        done = {}
        found = False
        for lyr in self.target_layers():
            rows = np.empty(0, np.int64)
            if not found:
                near, _ = features_near(project, lyr, x, y, tol)
                if len(near):
                    rows, found = near[:1], True
            if len(rows) or mode == "replace":
                lyr.select(rows, mode)
            done[lyr.id] = int(len(lyr.selection))
        self.selection_made.emit(done)
        return done

    def select_box(self, box, mode: str = "replace") -> dict:
        """Select the features meeting ``box`` (xmin, ymin, xmax, ymax) in the target layers."""
        project = self.canvas.project
        done = {}
        for lyr in self.target_layers():
            rows = features_in_box(project, lyr, box)
            if len(rows) or mode == "replace":
                lyr.select(rows, mode)
            done[lyr.id] = int(len(lyr.selection))
        self.selection_made.emit(done)
        return done

    def cursor(self) -> QCursor:
        return QCursor(Qt.CursorShape.PointingHandCursor)
