"""Render jobs: every layer drawn from its snapshot on a worker thread into its own image.

This is the shape of ``QgsMapRendererParallelJob``: the snapshots are taken on the
GUI thread, each layer is drawn into a transparent image on a thread of a shared
pool, errors are kept per layer (a layer that raises shows an error and the others
still draw), and a job can be cancelled — the drawing code checks the job's
:class:`~smartgis.render.cancel.CancelToken` between batches.  Finished images are
composed bottom to top with each layer's opacity.

Qt's painter holds Python's GIL while it rasterises, so two layers do not draw at
the same time; the threads still overlap the numpy, shapely and GDAL work (which
release the GIL) and, above all, keep the GUI thread free — for which the drawing
code hands the GIL over between batches (:func:`smartgis.core.gil.share_gil`, called
by the token's ``check``).
"""

from __future__ import annotations

import os
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from PySide6.QtGui import QImage, QPainter

from smartgis.core.gil import begin_slice, window_blocks
from smartgis.errors import SmartGISError
from smartgis.i18n import _
from smartgis.render.cancel import CancelToken, RenderCancelled
from smartgis.render.colors import qcolor
from smartgis.render.images import new_image
from smartgis.render.view import MapView

_executor: ThreadPoolExecutor | None = None
_loader: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def executor() -> ThreadPoolExecutor:
    """The shared pool of render threads (one per core, at least two)."""
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=max(2, min(8, os.cpu_count() or 2)),
                                           thread_name_prefix="smartgis-render")
        return _executor


def loader_executor() -> ThreadPoolExecutor:
    """One thread for reading whole layers in the background, so that a long read
    never holds up the render threads."""
    global _loader
    with _executor_lock:
        if _loader is None:
            _loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="smartgis-load")
        return _loader


@dataclass
class LayerResult:
    """What drawing one layer gave."""

    layer_id: str
    name: str
    image: QImage | None
    features: int = 0
    seconds: float = 0.0
    error: str | None = None
    from_cache: bool = False
    cancelled: bool = False
    details: str | None = None


def describe_error(exc: BaseException) -> str:
    """One line for the user: our own errors as they are (translatable), others with their type."""
    if isinstance(exc, SmartGISError):
        return exc.localizable()
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def draw_layer(snap, view: MapView, painter: QPainter, cancel, labels: bool = True) -> int:
    """Draw one snapshot with the painter (the view's pixel coordinates); features drawn."""
    if snap.kind == "vector":
        from smartgis.render.vector import render_vector
        return render_vector(snap, view, painter, cancel, labels=labels)
    if snap.kind == "raster":
        from smartgis.render.raster import render_raster
        return render_raster(snap, view, painter, cancel)
    raise SmartGISError(snap.error or _("cannot draw a {kind} layer", kind=snap.kind))


class RenderJob:
    """Draw a list of layer snapshots into per-layer images.

    Parameters
    ----------
    snapshots : list of LayerSnapshot
        Bottom layer first.
    view : MapView
    cache : ImageCache, optional
        Reused and filled when given.
    labels : bool
        Draw labels (on by default).
    """

    def __init__(self, snapshots, view: MapView, cache=None, labels: bool = True):
        self.snapshots = list(snapshots)
        self.view = view
        self.cache = cache
        self.labels = labels
        self.token = CancelToken()
        self.results: dict[str, LayerResult] = {}
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._remaining = len(self.snapshots)
        self._on_layer = None
        self._on_finished = None
        self.started = None
        self.seconds = 0.0
        if not self.snapshots:
            self._done.set()

    # -- running ---------------------------------------------------------------------------
    def start(self, on_layer=None, on_finished=None) -> "RenderJob":
        """Submit every layer to the render threads and return at once.

        ``on_layer(result)`` and ``on_finished(job)`` are called on a render thread
        (the canvas forwards them to the GUI thread through a queued Qt signal).
        """
        self._on_layer, self._on_finished = on_layer, on_finished
        self.started = time.perf_counter()
        if not self.snapshots:
            if on_finished is not None:
                on_finished(self)
            return self
        pool = executor()
        for snap in self.snapshots:
            pool.submit(self._run_one, snap)
        return self

    def run(self) -> "RenderJob":
        """Draw every layer and wait for them (synchronous use)."""
        self.start()
        self.wait()
        return self

    def direct(self) -> bool:
        """Whether :meth:`run_into` can draw this job: one opaque layer and no image
        cache — then the layer is drawn straight onto the map image, on the calling
        thread, saving a layer image, its clearing, its composition and a thread hand-over
        (together more than a millisecond at 1920×1080, which is most of a street-level
        render)."""
        return self.cache is None and len(self.snapshots) == 1 and self.snapshots[0].opacity >= 1.0

    def run_into(self, background="#ffffff") -> QImage:
        """Draw a :meth:`direct` job on this thread straight into the map image."""
        snap = self.snapshots[0]
        img = new_image(self.view.width, self.view.height, None if background is None else qcolor(background))
        self.started = time.perf_counter()
        t0 = self.started
        begin_slice()
        result = None
        if snap.error:
            result = LayerResult(snap.layer_id, snap.name, None, error=snap.error)
        else:
            painter = QPainter(img)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            try:
                n = draw_layer(snap, self.view, painter, self.token, self.labels)
                result = LayerResult(snap.layer_id, snap.name, img, n, time.perf_counter() - t0)
            except RenderCancelled:
                result = LayerResult(snap.layer_id, snap.name, None, cancelled=True)
            except Exception as exc:  # noqa: BLE001 - one bad layer must not blank the map
                result = LayerResult(snap.layer_id, snap.name, None, error=describe_error(exc),
                                     details=traceback.format_exc())
            finally:
                painter.end()
            if result.image is None and background is not None:
                img.fill(qcolor(background))   # nothing half-drawn stays on the map
            elif result.image is None:
                img.fill(0)
        self.results[snap.layer_id] = result
        self._remaining = 0
        self.seconds = time.perf_counter() - t0
        self._done.set()
        return img

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every layer is drawn (or ``timeout`` seconds passed)."""
        window_blocks()   # the render threads must not wait for this thread meanwhile
        return self._done.wait(timeout)

    def cancel(self) -> None:
        """Ask the drawing to stop; finished layers are kept, the others dropped."""
        self.token.cancel()

    @property
    def cancelled(self) -> bool:
        return self.token.cancelled

    @property
    def finished(self) -> bool:
        return self._done.is_set()

    def _run_one(self, snap) -> None:
        try:
            result = self._render(snap)
        except BaseException as exc:  # noqa: BLE001 - never lose a layer's completion
            result = LayerResult(snap.layer_id, snap.name, None, error=describe_error(exc))
        with self._lock:
            self.results[snap.layer_id] = result
            self._remaining -= 1
            last = self._remaining == 0
        if self._on_layer is not None and not result.cancelled:
            self._on_layer(result)
        if last:
            self.seconds = time.perf_counter() - (self.started or time.perf_counter())
            self._done.set()
            if self._on_finished is not None:
                self._on_finished(self)

    def _render(self, snap) -> LayerResult:
        t0 = time.perf_counter()
        begin_slice()
        if snap.error:
            return LayerResult(snap.layer_id, snap.name, None, error=snap.error)
        if self.token.cancelled:
            return LayerResult(snap.layer_id, snap.name, None, cancelled=True)
        key = snap.cache_key()
        vkey = self.view.key()
        if self.cache is not None:
            hit = self.cache.get(key, vkey)
            if hit is not None:
                return LayerResult(snap.layer_id, snap.name, hit[0], hit[1], time.perf_counter() - t0,
                                   from_cache=True)
        img = new_image(self.view.width, self.view.height)
        painter = QPainter(img)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        try:
            n = draw_layer(snap, self.view, painter, self.token, self.labels)
        except RenderCancelled:
            return LayerResult(snap.layer_id, snap.name, None, cancelled=True)
        except Exception as exc:  # noqa: BLE001 - one bad layer must not blank the map
            return LayerResult(snap.layer_id, snap.name, None, error=describe_error(exc),
                               details=traceback.format_exc())
        finally:
            painter.end()
        if self.token.cancelled:
            return LayerResult(snap.layer_id, snap.name, None, cancelled=True)
        if self.cache is not None:
            self.cache.put(key, vkey, img, n)
        return LayerResult(snap.layer_id, snap.name, img, n, time.perf_counter() - t0)

    # -- results ---------------------------------------------------------------------------
    @property
    def features_drawn(self) -> int:
        return sum(r.features for r in self.results.values())

    @property
    def errors(self) -> dict[str, str]:
        return {lid: r.error for lid, r in self.results.items() if r.error}

    def compose(self, background="#ffffff", into: QImage | None = None) -> QImage:
        """The map: the finished layer images over ``background``, bottom first."""
        img = into if into is not None else new_image(self.view.width, self.view.height)
        if background is not None:
            img.fill(qcolor(background))
        elif into is None:
            img.fill(0)
        p = QPainter(img)
        for snap in self.snapshots:
            r = self.results.get(snap.layer_id)
            if r is None or r.image is None:
                continue
            p.setOpacity(max(0.0, min(1.0, snap.opacity)))
            p.drawImage(0, 0, r.image)
        p.end()
        return img
