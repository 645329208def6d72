"""The rendering engine (QtGui only — no widgets): layers drawn from snapshots on
worker threads into per-layer images, a per-layer image cache, cancellation.

The same engine draws the map canvas, ``smartgis render`` and map sheets.

Public API
----------
render_map(project, size=(w, h), extent=None, layers=None, dpi=96, background="#ffffff")
    Draw a project into a ``QImage``; returns a :class:`RenderResult`.
render_to_painter(painter, target_rect, project, extent, dpi=96, layers=None)
    Draw onto any ``QPainter`` (PDF, print) — vector layers as vector graphics.
ensure_gui_app()
    Create an offscreen ``QGuiApplication`` when none exists.

Both drawing functions need a ``QGuiApplication``; they call :func:`ensure_gui_app`.

Examples
--------
>>> from smartgis.render import render_map                      # doctest: +SKIP
>>> r = render_map(project, size=(1920, 1080))                   # doctest: +SKIP
>>> r.image.save("map.png"); r.render_s, r.features_drawn        # doctest: +SKIP
"""

from __future__ import annotations

import time
from concurrent.futures import wait as _wait
from dataclasses import dataclass, field

from smartgis.i18n import _
from smartgis.render.app import ensure_gui_app
from smartgis.render.view import MapView, scale_denominator, widen_extent

__all__ = ["MapView", "RenderResult", "ensure_gui_app", "prepare_layers", "render_map", "render_to_painter",
           "scale_denominator", "widen_extent"]


@dataclass
class RenderResult:
    """A rendered map.

    Attributes
    ----------
    image : QImage or None
        None for :func:`render_to_painter`.
    render_s : float
        Seconds spent drawing (including reading layer data that was not loaded yet).
    features_drawn : int
    errors : dict
        ``{layer_id: message}`` of layers that could not be drawn.
    view : MapView
        The extent actually drawn (widened to the image's aspect ratio) and its scale.
    layer_seconds : dict
        ``{layer_id: seconds}`` per layer.
    """

    image: object
    render_s: float
    features_drawn: int
    errors: dict = field(default_factory=dict)
    view: MapView | None = None
    layer_seconds: dict = field(default_factory=dict)


def _extent_for(project, extent):
    from smartgis.errors import UsageError
    if extent is not None:
        return tuple(float(v) for v in extent)
    ext = project.extent if project is not None else None
    if ext is None:
        raise UsageError(_("nothing to draw: the project has no layer with data (give an extent)"),
                         getattr(project, "path", None))
    return ext


_warm = False


def warm_up() -> None:
    """Load the drawing code once per process, before any render is timed.

    The first render of a process would otherwise also pay for importing the drawing
    modules and for PySide creating, on first use, the Python classes of the Qt enums
    the painter code names (several tens of milliseconds): loading code, not drawing.
    """
    global _warm
    if _warm:
        return
    import numpy as np
    from PySide6.QtGui import QPainter

    from smartgis.render import filesource, job, vector  # noqa: F401 - loaded here, used by the render threads
    from smartgis.render.colors import qcolor
    from smartgis.render.images import new_image
    from smartgis.render.paths import PathBuilder
    from smartgis.render.symbols import make_brush, make_pen
    img = new_image(4, 4, qcolor("#ffffff"))
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setBrush(make_brush("#808080"))
    p.setPen(make_pen("#000000", 0.4, outline=True))
    p.drawPath(PathBuilder(np.array([0.0, 3.0, 3.0, 0.0]), np.array([0.0, 0.0, 3.0, 0.0]),
                           np.array([0, 4])).path(0, 1))
    p.setPen(make_pen("#000000", 0.4))
    p.drawImage(0, 0, new_image(1, 1))
    p.end()
    _warm = True


def prepare_layers(project, layers=None) -> float:
    """Read and index the data of the vector layers to draw (on the render threads).

    Rendering does this by itself on first draw; calling it first separates the time
    spent reading data from the time spent drawing.  Returns the seconds taken.
    """
    from smartgis.core.gil import window_blocks
    from smartgis.core.layers import VectorLayer
    from smartgis.render.job import executor
    from smartgis.render.prepared import prepared_for
    from smartgis.render.snapshot import snapshot_project
    t0 = time.perf_counter()
    futures = []
    for snap in snapshot_project(project, layers):
        if isinstance(snap.layer, VectorLayer) and not snap.error:
            futures.append(executor().submit(prepared_for, snap.layer, project.crs))
    window_blocks()   # the render threads must not wait for this thread meanwhile
    _wait(futures)
    for f in futures:
        exc = f.exception()
        if exc is not None:
            # reported again, per layer, when the layer is drawn
            continue
    return time.perf_counter() - t0


def render_map(project, size=(800, 600), extent=None, layers=None, dpi: float = 96, background="#ffffff", *,
               scale_bar: bool = False, north_arrow: bool = False, labels: bool = True, cache=None) -> RenderResult:
    """Draw a project into an image.

    Parameters
    ----------
    project : Project
    size : (int, int)
        Width and height in pixels.
    extent : (xmin, ymin, xmax, ymax), optional
        In the project CRS; widened to the image's aspect ratio.  Default: the
        project's full extent.
    layers : list, optional
        Layer ids or names to draw (default: the visible layers of the tree).
    dpi : float
        Output resolution: symbol sizes in millimetres and the scale follow it.
    background : str or None
        Colour under the layers; None for a transparent image.
    scale_bar, north_arrow : bool
        Draw a scale bar (bottom left) and a north arrow (top right).
    labels : bool
        Draw layer labels.
    cache : ImageCache, optional
        Reuse per-layer images of earlier renders of the same view.

    Returns
    -------
    RenderResult
    """
    ensure_gui_app()
    from smartgis.errors import UsageError
    from smartgis.render.job import RenderJob
    from smartgis.render.snapshot import snapshot_project
    try:
        w, h = (int(v) for v in size)
    except (TypeError, ValueError):
        raise UsageError(_("invalid image size {size!r}", size=size)) from None
    if w <= 0 or h <= 0 or w * h > 400_000_000:
        raise UsageError(_("invalid image size {width}x{height}", width=w, height=h))
    view = MapView.fit(_extent_for(project, extent), w, h, dpi)
    warm_up()
    snaps = snapshot_project(project, layers)
    t0 = time.perf_counter()
    job = RenderJob(snaps, view, cache=cache, labels=labels)
    if job.direct():
        image = job.run_into(background)
    else:
        image = job.run().compose(background)
    if scale_bar or north_arrow:
        _decorate(image, view, project, scale_bar, north_arrow)
    render_s = time.perf_counter() - t0
    return RenderResult(image, render_s, job.features_drawn, job.errors, view,
                        {lid: r.seconds for lid, r in job.results.items()})


def _decorate(image, view, project, scale_bar, north_arrow) -> None:
    from PySide6.QtGui import QPainter

    from smartgis.render.decorations import draw_north_arrow, draw_scale_bar, true_north_angle
    p = QPainter(image)
    if scale_bar:
        draw_scale_bar(p, view)
    if north_arrow:
        draw_north_arrow(p, view, true_north_angle(project.crs, *view.centre) if project is not None else 0.0)
    p.end()


def render_to_painter(painter, target_rect, project, extent, dpi: float = 96, layers=None, *,
                      labels: bool = True, scale_bar: bool = False, north_arrow: bool = False) -> RenderResult:
    """Draw a project onto ``painter`` inside ``target_rect`` (painter units).

    Layers are drawn directly with the painter, on the calling thread, so a PDF or
    SVG painter receives vector graphics for vector layers (features smaller than a
    pixel at ``dpi`` and rasters go in as images).  ``dpi`` is the resolution of the
    painter's units: pass the PDF writer's resolution.

    Returns
    -------
    RenderResult
        With ``image`` None.
    """
    ensure_gui_app()
    from smartgis.render.cancel import NEVER
    from smartgis.render.job import draw_layer
    from smartgis.render.onto_painter import map_in_rect, one_layer
    from smartgis.render.snapshot import snapshot_project
    extent = _extent_for(project, extent)
    snaps = snapshot_project(project, layers)
    errors, seconds = {}, {}
    total = 0
    t0 = time.perf_counter()
    with map_in_rect(painter, target_rect, extent, dpi) as view:
        for snap in snaps:
            t1 = time.perf_counter()
            if snap.error:
                errors[snap.layer_id] = snap.error
                continue
            with one_layer(painter, snap, errors):
                total += draw_layer(snap, view, painter, NEVER, labels)
            seconds[snap.layer_id] = time.perf_counter() - t1
        if scale_bar or north_arrow:
            from smartgis.render.decorations import draw_north_arrow, draw_scale_bar, true_north_angle
            if scale_bar:
                draw_scale_bar(painter, view)
            if north_arrow:
                draw_north_arrow(painter, view, true_north_angle(project.crs, *view.centre))
    return RenderResult(None, time.perf_counter() - t0, total, errors, view, seconds)
