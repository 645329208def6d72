"""The map canvas: the widget the map is drawn in, and where map tools act.

``MapCanvas`` shows a :class:`~smartgis.core.project.Project` through the rendering
engine (:mod:`smartgis.render`) and never draws layers itself:

* **Rendering** — :meth:`MapCanvas.refresh` only *schedules* a render (a single-shot
  timer coalesces bursts of requests).  A render takes a snapshot of every visible
  layer on the GUI thread and draws each layer on a worker thread into its own image
  (cached per layer and view); a new render cancels the running one.  A layer that
  fails is reported with :attr:`MapCanvas.layer_error` and marked on the map; the
  other layers still draw.  While workers render or load, a timer beats every
  :data:`~smartgis.core.gil.WINDOW_BEAT_MS`: when the beats are late, the window's
  thread is waiting for the GIL and the workers stand back (:mod:`smartgis.core.gil`).
* **Navigation** — drag with the left button (when no tool is active) or the middle
  button (always) to pan, the arrow keys pan, the wheel zooms at the cursor, ``+``/
  ``-`` and PgUp/PgDn zoom at the centre.  While panning and zooming the last
  rendered map is drawn transformed at once, and the fresh render is swapped in when
  ready, so the map never goes blank.
* **Map tools** (:mod:`smartgis.ui.maptools`) receive mouse and key events in map
  coordinates and paint overlays; the canvas keeps wheel zoom and middle-button pan
  whatever tool is active.
* **Decorations** — a scale bar and a north arrow (to true north) are drawn over the
  map; the scale is computed at the screen's logical DPI.

Signals
-------
cursor_moved(float, float)
    Map coordinates (project CRS) under the mouse.
scale_changed(float)
    The N of the scale 1:N.
extent_changed()
render_finished(float, int)
    Seconds the render took and features drawn.
layer_error(str, str)
    Layer id and message of a layer that could not be drawn.
render_started()
map_tool_changed(object)
    The new map tool (or None).

Examples
--------
>>> canvas = MapCanvas()                                   # doctest: +SKIP
>>> canvas.set_project(project); canvas.zoom_full()         # doctest: +SKIP
>>> canvas.set_map_tool(IdentifyTool(canvas))               # doctest: +SKIP
"""

from __future__ import annotations

import math
import weakref

import numpy as np
import shapely
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QCursor, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from smartgis.core.gil import WINDOW_BEAT_MS, window_beat, window_rests
from smartgis.render.cache import ImageCache
from smartgis.render.filesource import streamed
from smartgis.render.job import RenderJob
from smartgis.render.snapshot import snapshot_project
from smartgis.render.view import MapView, mupp_for_scale, scale_denominator

#: Zoom factor of one wheel notch (QGIS's default).
WHEEL_ZOOM_FACTOR = 2.0
#: Delay before rendering after navigation, so a burst of wheel notches or key
#: presses renders once (the transformed old map shows meanwhile).
NAVIGATION_DELAY_MS = 150
#: Delay of an explicit refresh: just enough to coalesce a burst of model changes.
REFRESH_DELAY_MS = 1
#: Fraction of the view an arrow key pans.
KEY_PAN_FRACTION = 0.25
#: Extent grown by this factor when zooming to the full extent or a layer.
ZOOM_MARGIN = 1.05
#: Scale used when zooming to something without size (one point).
POINT_ZOOM_SCALE = 1000.0


class _LayerWatcher:
    """Forwards one layer's model signals to the canvas (held weakly by the model)."""

    def __init__(self, canvas: "MapCanvas", layer):
        self.canvas_ref = weakref.ref(canvas)
        self.layer_id = layer.id
        self.layer_ref = weakref.ref(layer)
        layer.changed.connect(self.changed)
        sig = getattr(layer, "selection_changed", None)
        if sig is not None:
            sig.connect(self.selection)

    def changed(self, what=None):
        c = self.canvas_ref()
        if c is not None:
            c._model_event.emit("layer", (self.layer_id, what))

    def selection(self, *args):
        c = self.canvas_ref()
        if c is not None:
            c._model_event.emit("selection", (self.layer_id, None))

    def disconnect(self):
        layer = self.layer_ref()
        if layer is None:
            return
        layer.changed.disconnect(self.changed)
        sig = getattr(layer, "selection_changed", None)
        if sig is not None:
            sig.disconnect(self.selection)


class MapCanvas(QWidget):
    """The map widget (see the module documentation)."""

    cursor_moved = Signal(float, float)
    scale_changed = Signal(float)
    extent_changed = Signal()
    render_finished = Signal(float, int)
    layer_error = Signal(str, str)
    render_started = Signal()
    map_tool_changed = Signal(object)
    # internal: render threads and model callbacks reach the GUI thread through these
    _job_done = Signal(object)
    _model_event = Signal(str, object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(64, 64)
        self._project = None
        self._centre = (0.0, 0.0)
        self._mupp = 1.0
        self._pending_fit = None
        self._last_scale = None
        self.background = QColor("#ffffff")
        #: Draw the scale bar and the north arrow.
        self.show_scale_bar = True
        self.show_north_arrow = True
        self._cache = ImageCache()
        self._frame: tuple | None = None        # (QImage, MapView) of the last complete render
        self._job: RenderJob | None = None
        self._last_job: RenderJob | None = None
        self._errors: dict[str, str] = {}
        self._tool = None
        self._drag = None                      # (button, start pos, start centre, moved)
        self._highlight = None
        self._watchers: dict[str, _LayerWatcher] = {}
        self._preloading: set[str] = set()
        self._zoom_when_data = False
        self._north = (None, 0.0)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._start_render)
        # While layers render or load on worker threads, this timer tells them that
        # the window's thread runs (smartgis.core.gil): if its beats stop, it is
        # waiting for the GIL, and the workers stand back.
        self._beat = QTimer(self)
        self._beat.setInterval(WINDOW_BEAT_MS)
        self._beat.timeout.connect(self._on_beat)
        self._job_done.connect(self._on_job_done, Qt.ConnectionType.QueuedConnection)
        self._model_event.connect(self._on_model_event, Qt.ConnectionType.QueuedConnection)

    # == project ===========================================================================
    @property
    def project(self):
        """The project shown (None for an empty canvas)."""
        return self._project

    def set_project(self, project) -> None:
        """Show ``project`` (or nothing with None), zoomed to its full extent."""
        old = self._project
        self._disconnect_project()
        if self._job is not None:
            self._job.cancel()
            self._job = None
        if old is not None and old is not project:
            from smartgis.render.prepared import forget
            keep = set(project.layers) if project is not None else set()
            for lid in old.layers:
                if lid not in keep:
                    forget(lid)   # the old project's data can be freed
        self._project = project
        self._cache.invalidate()
        self._frame = None
        self._errors = {}
        self._highlight = None
        if project is not None:
            project.layer_added.connect(self._on_layer_added)
            project.layer_removed.connect(self._on_layer_removed)
            project.tree.changed.connect(self._on_tree_changed)
            for lyr in project.layers.values():
                self._watch(lyr)
            self._zoom_when_data = project.extent is None
            self.zoom_full()
        else:
            self.update()
        self.refresh()

    def _disconnect_project(self) -> None:
        p = self._project
        if p is None:
            return
        p.layer_added.disconnect(self._on_layer_added)
        p.layer_removed.disconnect(self._on_layer_removed)
        p.tree.changed.disconnect(self._on_tree_changed)
        for w in self._watchers.values():
            w.disconnect()
        self._watchers.clear()

    def _watch(self, layer) -> None:
        if layer.id not in self._watchers:
            self._watchers[layer.id] = _LayerWatcher(self, layer)

    # model callbacks may come from any thread: forward them through a queued signal
    def _on_layer_added(self, layer) -> None:
        self._model_event.emit("added", layer)

    def _on_layer_removed(self, layer) -> None:
        self._model_event.emit("removed", layer)

    def _on_tree_changed(self, what=None) -> None:
        self._model_event.emit("tree", what)

    def _on_model_event(self, kind: str, payload) -> None:
        if kind == "added":
            self._watch(payload)
            if self._zoom_when_data and self._project is not None and self._project.extent is not None:
                # like QGIS: the first data added to an empty project is shown whole
                self._zoom_when_data = False
                self.zoom_full()
            self.refresh()
        elif kind == "removed":
            w = self._watchers.pop(payload.id, None)
            if w is not None:
                w.disconnect()
            self._errors.pop(payload.id, None)
            self._cache.invalidate([payload.id])
            self.refresh()
        elif kind == "tree":
            self._schedule(REFRESH_DELAY_MS)   # cached layer images are reused
        elif kind == "layer":
            layer_id, what = payload
            if what in ("name", "role"):
                return
            self._schedule(REFRESH_DELAY_MS)   # opacity: recomposed from the cache
        elif kind == "selection":
            self._schedule(REFRESH_DELAY_MS)
        elif kind == "loaded":
            self._preloading.discard(payload.id)
            self._on_beat()

    # == view ==============================================================================
    def _dpi(self) -> float:
        return float(self.logicalDpiX() or 96)

    def map_units_per_pixel(self) -> float:
        """Map units (project CRS) per widget pixel."""
        return self._mupp

    def _view(self) -> MapView:
        """The view in logical widget pixels."""
        return MapView.centred(self._centre, self._mupp, max(self.width(), 1), max(self.height(), 1), self._dpi())

    def _render_view(self) -> MapView:
        """The view in device pixels (sharp on high-DPI screens)."""
        r = max(self.devicePixelRatioF(), 1.0)
        return MapView.centred(self._centre, self._mupp / r, max(int(round(self.width() * r)), 1),
                               max(int(round(self.height() * r)), 1), self._dpi() * r)

    def extent(self) -> tuple[float, float, float, float]:
        """The visible extent ``(xmin, ymin, xmax, ymax)`` in the project CRS."""
        return self._view().extent

    def set_extent(self, bbox, render_delay: int = REFRESH_DELAY_MS) -> None:
        """Show at least ``bbox`` (widened to the canvas's aspect ratio)."""
        x0, y0, x1, y1 = (float(v) for v in bbox)
        if not all(math.isfinite(v) for v in (x0, y0, x1, y1)):
            return
        if x1 < x0:
            x0, x1 = x1, x0
        if y1 < y0:
            y0, y1 = y1, y0
        w, h = max(self.width(), 1), max(self.height(), 1)
        if x1 - x0 <= 0 and y1 - y0 <= 0:
            mupp = mupp_for_scale(POINT_ZOOM_SCALE, self._dpi())
        else:
            mupp = max((x1 - x0) / w, (y1 - y0) / h)
        self._centre = ((x0 + x1) / 2, (y0 + y1) / 2)
        self._mupp = mupp
        if not self.isVisible():
            self._pending_fit = (x0, y0, x1, y1)   # re-fit once the widget has its real size
        self._view_changed(render_delay)

    def scale(self) -> float:
        """The N of the scale 1:N at the screen's DPI."""
        return scale_denominator(self._mupp, self._dpi())

    def set_scale(self, n: float) -> None:
        """Zoom to the scale 1:``n`` about the centre of the view."""
        n = float(n)
        if not math.isfinite(n) or n <= 0:
            return
        self._mupp = mupp_for_scale(n, self._dpi())
        self._pending_fit = None
        self._view_changed()

    def zoom_by(self, factor: float, anchor: QPointF | None = None, render_delay: int = NAVIGATION_DELAY_MS) -> None:
        """Zoom in by ``factor`` (> 1 in, < 1 out), keeping the map point under
        ``anchor`` (widget pixels; default the centre) where it is."""
        if factor <= 0:
            return
        if anchor is None:
            ax, ay = self._centre
        else:
            ax, ay = self.to_map(anchor)
        cx, cy = self._centre
        self._centre = (ax + (cx - ax) / factor, ay + (cy - ay) / factor)
        self._mupp /= factor
        self._pending_fit = None
        self._view_changed(render_delay)

    def pan_by(self, dx: float, dy: float, render_delay: int = NAVIGATION_DELAY_MS) -> None:
        """Move the map ``dx``, ``dy`` widget pixels (the map follows the hand)."""
        cx, cy = self._centre
        self._centre = (cx - dx * self._mupp, cy + dy * self._mupp)
        self._pending_fit = None
        self._view_changed(render_delay)

    def zoom_full(self) -> None:
        """Zoom to the extent of all layers."""
        ext = self._project.extent if self._project is not None else None
        if ext is not None:
            self.set_extent(_grow(ext, ZOOM_MARGIN))

    def zoom_to_layer(self, layer) -> None:
        """Zoom to a layer's extent (a layer or its id/name)."""
        if self._project is None:
            return
        lyr = self._project.layer(layer)
        ext = lyr.extent
        if not ext:
            return
        if getattr(lyr, "crs", None):
            from smartgis.crs import same_crs, transform_bounds
            try:
                if not same_crs(lyr.crs, self._project.crs):
                    ext = transform_bounds(ext, lyr.crs, self._project.crs)
            except Exception:  # noqa: BLE001 - an odd CRS: zoom to the raw extent
                pass
        self.set_extent(_grow(ext, ZOOM_MARGIN))

    def zoom_to_selection(self, layer=None) -> None:
        """Zoom to the selected features (of ``layer``, or of every vector layer)."""
        if self._project is None:
            return
        from smartgis.core.layers import VectorLayer
        layers = [self._project.layer(layer)] if layer is not None else list(self._project.vector_layers())
        boxes = []
        for lyr in layers:
            if not isinstance(lyr, VectorLayer) or not len(lyr.selection) or not lyr.loaded:
                continue
            from smartgis.render.prepared import peek
            prep = peek(lyr, self._project.crs)
            if prep is not None and prep.crs_key is None and len(prep.bounds) == lyr.feature_count:
                b = prep.bounds[lyr.selection]       # already computed: no GEOS work here
            else:
                b = shapely.bounds(lyr.geometries[lyr.selection])
            b = b[np.isfinite(b).all(axis=1)]
            if len(b):
                ext = (b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max())
                if lyr.crs:
                    from smartgis.crs import same_crs, transform_bounds
                    if not same_crs(lyr.crs, self._project.crs):
                        ext = transform_bounds(ext, lyr.crs, self._project.crs)
                boxes.append(ext)
        if boxes:
            a = np.array(boxes, dtype=float)
            ext = (a[:, 0].min(), a[:, 1].min(), a[:, 2].max(), a[:, 3].max())
            self.set_extent(_grow(ext, 1.2))

    def to_map(self, point) -> tuple[float, float]:
        """Map coordinates of a widget position (QPointF, QPoint or (x, y))."""
        px, py = (point.x(), point.y()) if hasattr(point, "x") else point
        x0, _, _, y1 = self.extent()
        return (x0 + float(px) * self._mupp, y1 - float(py) * self._mupp)

    def to_pixel(self, x: float, y: float) -> QPointF:
        """Widget position of map coordinates."""
        x0, _, _, y1 = self.extent()
        return QPointF((float(x) - x0) / self._mupp, (y1 - float(y)) / self._mupp)

    def _view_changed(self, render_delay: int = REFRESH_DELAY_MS) -> None:
        self.extent_changed.emit()
        s = self.scale()
        if self._last_scale is None or abs(s - self._last_scale) > 1e-9 * max(s, 1.0):
            self._last_scale = s
            self.scale_changed.emit(s)
        self.update()
        if render_delay is not None and render_delay >= 0:
            self._schedule(render_delay)

    # == rendering =========================================================================
    def refresh(self, layer_ids=None) -> None:
        """Schedule a render; the images of ``layer_ids`` (all if None) are redrawn."""
        self._cache.invalidate(None if layer_ids is None else [getattr(i, "id", i) for i in layer_ids])
        self._schedule(REFRESH_DELAY_MS)

    def _schedule(self, delay_ms: int) -> None:
        # Restarting the single-shot timer coalesces bursts into one render.
        if self._timer.isActive() and self._timer.remainingTime() < delay_ms:
            delay_ms = max(delay_ms, self._timer.remainingTime())
        self._timer.start(max(0, int(delay_ms)))

    def is_rendering(self) -> bool:
        """True while a render is scheduled, running, or finished but not yet shown."""
        return self._timer.isActive() or self._job is not None

    def current_job(self) -> RenderJob | None:
        """The render running now (or the last one)."""
        return self._job or self._last_job

    def _start_render(self) -> None:
        if self._job is not None and not self._job.finished:
            self._job.cancel()   # a new view or state: the running render is obsolete
        self._job = None
        if self._project is None or self.width() < 2 or self.height() < 2:
            self._frame = None
            self.update()
            return
        view = self._render_view()
        snaps = snapshot_project(self._project)
        job = RenderJob(snaps, view, cache=self._cache)
        self._job = job
        ref = weakref.ref(self)

        def done(j, ref=ref):
            canvas = ref()
            if canvas is not None:
                try:
                    canvas._job_done.emit(j)
                except RuntimeError:  # the widget was deleted meanwhile
                    pass
        self.render_started.emit()
        self._start_beat()
        job.start(on_finished=done)

    def _on_job_done(self, job: RenderJob) -> None:
        if job is not self._job or job.cancelled:
            return   # superseded by a newer render
        self._job = None
        self._last_job = job
        image = job.compose(background=None)
        image.setDevicePixelRatio(max(self.devicePixelRatioF(), 1.0))
        self._frame = (image, job.view)
        for snap in job.snapshots:
            if snap.drawn_from_file and not streamed(snap.layer):
                self._preload(snap.layer)
        old = self._errors
        self._errors = job.errors
        for lid, msg in self._errors.items():
            if old.get(lid) != msg:
                self.layer_error.emit(lid, msg)
        self.update()
        self.render_finished.emit(float(job.seconds), int(job.features_drawn))

    def _preload(self, layer) -> None:
        """Read a layer drawn straight from its file into memory in the background,
        so that the next views (and identify, selection) have all its data."""
        if layer.id in self._preloading or self._project is None:
            return
        from smartgis.render.chunks import prepare_street_level
        from smartgis.render.job import loader_executor
        from smartgis.render.prepared import prepared_for
        self._preloading.add(layer.id)
        self._start_beat()
        crs = self._project.crs
        ref = weakref.ref(self)

        def load(layer=layer, crs=crs):
            try:
                prepare_street_level(prepared_for(layer, crs))
            except Exception:  # noqa: BLE001 - reported when the layer is drawn next
                pass
            canvas = ref()
            if canvas is not None:
                try:
                    canvas._model_event.emit("loaded", layer)
                except RuntimeError:
                    pass
        loader_executor().submit(load)

    def _start_beat(self) -> None:
        if not self._beat.isActive():
            window_beat()
            self._beat.start()

    def _on_beat(self) -> None:
        if self._job is not None or self._preloading:
            window_beat()
        elif self._beat.isActive():
            self._beat.stop()
            window_rests()

    def layer_errors(self) -> dict[str, str]:
        """``{layer_id: message}`` of the layers the last render could not draw."""
        return dict(self._errors)

    def map_image(self):
        """The last complete rendered map (a QImage, transparent where empty) or None."""
        return self._frame[0] if self._frame else None

    def wait_for_render(self, timeout_s: float = 30.0) -> bool:
        """Process events until no render is pending (scripts and tests)."""
        import time

        from PySide6.QtCore import QCoreApplication
        end = time.monotonic() + timeout_s
        while self.is_rendering() and time.monotonic() < end:
            QCoreApplication.processEvents()
            if self._job is not None:
                self._job.wait(0.005)
        QCoreApplication.processEvents()
        return not self.is_rendering()

    # == highlight =========================================================================
    def set_highlight(self, geometries, color="#ff00ff") -> None:
        """Draw temporary geometries (project CRS) on top of the map."""
        geoms = np.asarray([g for g in np.atleast_1d(np.asarray(geometries, dtype=object))
                            if g is not None and not shapely.is_empty(g)], dtype=object)
        if not len(geoms):
            self.clear_highlight()
            return
        from smartgis.render.paths import PathBuilder
        from smartgis.render.prepared import explode_collections, line_parts, point_coords, polygon_rings
        parts, _ = explode_collections(geoms, np.arange(len(geoms)))
        t = shapely.get_type_id(parts)
        b = shapely.bounds(parts)
        ox, oy = float(np.nanmin(b[:, 0])), float(np.nanmin(b[:, 1]))
        polys, lines, pts = parts[np.isin(t, (3, 6))], parts[np.isin(t, (1, 2, 5))], parts[np.isin(t, (0, 4))]
        poly_path = line_path = None
        if len(polys):
            c, off, _, _ = polygon_rings(polys, np.arange(len(polys)))
            poly_path = PathBuilder(c[:, 0] - ox, c[:, 1] - oy, off, winding=False).path(0, len(off) - 1)
        if len(lines):
            c, off, _ = line_parts(lines, np.arange(len(lines)))
            line_path = PathBuilder(c[:, 0] - ox, c[:, 1] - oy, off, winding=False).path(0, len(off) - 1)
        pc = point_coords(pts, np.arange(len(pts)))[0] if len(pts) else np.empty((0, 2))
        self._highlight = {"origin": (ox, oy), "polys": poly_path, "lines": line_path, "points": pc,
                           "color": QColor(color), "geoms": geoms}
        self.update()

    def clear_highlight(self) -> None:
        """Remove the temporary geometries."""
        if self._highlight is not None:
            self._highlight = None
            self.update()

    def highlighted(self):
        """The geometries set with :meth:`set_highlight` (an array, maybe empty)."""
        return self._highlight["geoms"] if self._highlight else np.empty(0, dtype=object)

    # == map tools =========================================================================
    def set_map_tool(self, tool) -> None:
        """Make ``tool`` (a :class:`~smartgis.ui.maptools.base.MapTool`) or None active."""
        if tool is self._tool:
            return
        old = self._tool
        self._tool = None
        if old is not None:
            old.deactivate()
        self._tool = tool
        if tool is not None:
            tool.activate()
            self.setCursor(tool.cursor())
        else:
            self.setCursor(QCursor(Qt.CursorShape.OpenHandCursor))
        self.update()
        self.map_tool_changed.emit(tool)

    def map_tool(self):
        """The active map tool, or None (then the left button pans)."""
        return self._tool

    # == events ============================================================================
    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._pending_fit is not None and self.isVisible():
            fit, self._pending_fit = self._pending_fit, None
            self.set_extent(fit)
        else:
            self._view_changed(REFRESH_DELAY_MS)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._pending_fit is not None:
            fit, self._pending_fit = self._pending_fit, None
            self.set_extent(fit)

    def mousePressEvent(self, event) -> None:
        pos = event.position()
        x, y = self.to_map(pos)
        button = event.button()
        if button == Qt.MouseButton.MiddleButton or (button == Qt.MouseButton.LeftButton and self._tool is None):
            self.begin_pan(button, pos)
            return
        if self._tool is not None:
            self._tool.press(event, x, y)

    def mouseMoveEvent(self, event) -> None:
        pos = event.position()
        x, y = self.to_map(pos)
        self.cursor_moved.emit(x, y)
        if self._drag is not None:
            self.pan_to(pos)
            return
        if self._tool is not None:
            self._tool.move(event, x, y)

    def mouseReleaseEvent(self, event) -> None:
        pos = event.position()
        if self._drag is not None and event.button() == self._drag[0]:
            self.end_pan(pos)
            return
        if self._tool is not None:
            x, y = self.to_map(pos)
            self._tool.release(event, x, y)

    def mouseDoubleClickEvent(self, event) -> None:
        if self._tool is not None and event.button() != Qt.MouseButton.MiddleButton:
            x, y = self.to_map(event.position())
            self._tool.double_click(event, x, y)

    def wheelEvent(self, event) -> None:
        delta = event.angleDelta().y()
        if not delta:
            return
        self.zoom_by(WHEEL_ZOOM_FACTOR ** (delta / 120.0), event.position())
        event.accept()

    def keyPressEvent(self, event) -> None:
        if self._tool is not None and self._tool.key_press(event):
            return
        key = event.key()
        w, h = self.width(), self.height()
        step = {Qt.Key.Key_Left: (KEY_PAN_FRACTION * w, 0), Qt.Key.Key_Right: (-KEY_PAN_FRACTION * w, 0),
                Qt.Key.Key_Up: (0, KEY_PAN_FRACTION * h), Qt.Key.Key_Down: (0, -KEY_PAN_FRACTION * h)}.get(key)
        if step is not None:
            # the arrow moves the view: Right shows what is east, so the map moves left
            self.pan_by(*step)
            return
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_PageUp):
            self.zoom_by(WHEEL_ZOOM_FACTOR)
            return
        if key in (Qt.Key.Key_Minus, Qt.Key.Key_PageDown):
            self.zoom_by(1 / WHEEL_ZOOM_FACTOR)
            return
        super().keyPressEvent(event)

    # panning by drag ---------------------------------------------------------------------
    def begin_pan(self, button, pos) -> None:
        """Start dragging the map with ``button`` from widget position ``pos``."""
        self._drag = [button, QPointF(pos), self._centre, False]
        self.setCursor(QCursor(Qt.CursorShape.ClosedHandCursor))

    def pan_to(self, pos) -> None:
        """Drag the map so that the point grabbed is under ``pos`` (no render yet)."""
        if self._drag is None:
            return
        button, start, centre, _ = self._drag
        dx, dy = pos.x() - start.x(), pos.y() - start.y()
        if abs(dx) + abs(dy) >= 1:
            self._drag[3] = True
        self._centre = (centre[0] - dx * self._mupp, centre[1] + dy * self._mupp)
        self._view_changed(render_delay=None)   # no render until the drag ends

    def end_pan(self, pos) -> None:
        """Finish a drag at ``pos`` and render the new view."""
        if self._drag is None:
            return
        self.pan_to(pos)
        moved = self._drag[3]
        self._drag = None
        self.setCursor(self._tool.cursor() if self._tool is not None else QCursor(Qt.CursorShape.OpenHandCursor))
        if moved:
            self._schedule(REFRESH_DELAY_MS)

    # == painting ==========================================================================
    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), self.background)
        view = self._view()
        if self._frame is not None:
            image, fview = self._frame
            x, y, w, h = view.map_rect_to_pixels(fview.extent)
            if abs(x) < 1e-6 and abs(y) < 1e-6 and abs(w - view.width) < 1e-6 and abs(h - view.height) < 1e-6:
                p.drawImage(QPointF(0, 0), image)
            else:
                # the last render, moved and scaled to the new view until the new one is ready
                p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
                p.drawImage(QRectF(x, y, w, h), image, QRectF(0, 0, image.width(), image.height()))
        self._paint_highlight(p, view)
        if self._project is not None:
            if self.show_scale_bar:
                from smartgis.render.decorations import draw_scale_bar
                draw_scale_bar(p, view)
            if self.show_north_arrow:
                from smartgis.render.decorations import draw_north_arrow
                draw_north_arrow(p, view, self._north_angle(view))
            if self._errors:
                self._paint_errors(p, view)
        if self._tool is not None:
            p.save()
            self._tool.paint(p)
            p.restore()
        p.end()

    def _north_angle(self, view: MapView) -> float:
        key = (self._project.crs, round(view.centre[0], -2), round(view.centre[1], -2))
        if self._north[0] != key:
            from smartgis.render.decorations import true_north_angle
            self._north = (key, true_north_angle(self._project.crs, *view.centre))
        return self._north[1]

    def _paint_highlight(self, p: QPainter, view: MapView) -> None:
        hl = self._highlight
        if not hl:
            return
        ox, oy = hl["origin"]
        color = QColor(hl["color"])
        pen = QPen(color, 2.0)
        pen.setCosmetic(True)
        fill = QColor(color)
        fill.setAlpha(70)
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.save()
        x0, _, _, y1 = view.extent
        p.translate((ox - x0) / view.mupp, (y1 - oy) / view.mupp)
        p.scale(1 / view.mupp, -1 / view.mupp)
        if hl["polys"] is not None:
            p.setPen(pen)
            p.setBrush(fill)
            p.drawPath(hl["polys"])
        if hl["lines"] is not None:
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(hl["lines"])
        p.restore()
        pts = hl["points"]
        if len(pts):
            px, py = view.to_pixels(pts[:, 0], pts[:, 1])
            p.setPen(pen)
            p.setBrush(fill)
            for x, y in zip(px.tolist(), py.tolist()):
                p.drawEllipse(QPointF(x, y), 7, 7)
        p.restore()

    def _paint_errors(self, p: QPainter, view: MapView) -> None:
        from smartgis.i18n import localize
        from smartgis.render.labels import label_font
        font = label_font(12)
        fm = QFontMetricsF(font)
        lines = []
        for lid, msg in self._errors.items():
            lyr = self._project.layers.get(lid) if self._project is not None else None
            name = lyr.name if lyr is not None else lid
            lines.append(self.tr("Layer \u201c{name}\u201d could not be drawn: {message}").format(
                name=name, message=localize(msg)))
        p.save()
        p.setFont(font)
        y = 8.0
        for text in lines[:6]:
            text = fm.elidedText(text, Qt.TextElideMode.ElideRight, max(view.width - 40, 50))
            w = fm.horizontalAdvance(text) + 26
            box = QRectF(8, y, w, fm.height() + 8)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(180, 30, 30, 220))
            p.drawRoundedRect(box, 4, 4)
            p.setPen(QColor("#ffffff"))
            p.drawText(QPointF(box.left() + 8, box.top() + 4 + fm.ascent()), "!")
            p.drawText(QPointF(box.left() + 20, box.top() + 4 + fm.ascent()), text)
            y += box.height() + 4
        p.restore()

    def closeEvent(self, event) -> None:
        if self._job is not None:
            self._job.cancel()
        if self._beat.isActive():
            self._beat.stop()
            window_rests()
        super().closeEvent(event)


def _grow(ext, factor: float) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = ext
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    hw, hh = (x1 - x0) * factor / 2, (y1 - y0) * factor / 2
    return (cx - hw, cy - hh, cx + hw, cy + hh)


def path_of(points) -> QPainterPath:
    """A polyline path through widget points (for tool overlays)."""
    path = QPainterPath()
    for i, pt in enumerate(points):
        if i == 0:
            path.moveTo(pt)
        else:
            path.lineTo(pt)
    return path
