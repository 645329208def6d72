"""``smartgis render PROJECT -o map.png`` — draw a project's map without a window.

Uses the same rendering engine as the map canvas.  The requested extent is widened
to the image's aspect ratio (as QGIS does); ``--json`` prints one object with
``render_s`` (the seconds spent rendering, including reading the data the view
needs from the project file), ``features_drawn``, ``width`` and ``height`` (and more).
"""

from __future__ import annotations

ORDER = 60

import os
import sys
from pathlib import Path

IMAGE_SUFFIXES = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".tif": "TIFF", ".tiff": "TIFF", ".bmp": "BMP",
                  ".webp": "WEBP"}


def register(sub) -> None:
    p = sub.add_parser("render", help="draw the map of a project into an image or PDF",
                       description="Draw a project's map (the visible layers of its layer tree, or --layers) into a "
                                   "PNG/JPEG/TIFF image or a PDF (vector), with the same engine as the window. "
                                   "Prints the render time.")
    p.add_argument("project", metavar="PROJECT", help="project file (.gpkg)")
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="output file: .png, .jpg, .tif or .pdf (vector graphics)")
    p.add_argument("--size", default="1920x1080", metavar="WxH", help="image size in pixels (default 1920x1080)")
    p.add_argument("--extent", metavar="XMIN,YMIN,XMAX,YMAX",
                   help="area to draw in the project CRS (default: all layers); widened to the image's aspect ratio")
    p.add_argument("--layers", metavar="A,B", help="comma-separated layer names or ids to draw, whatever their "
                                                      "visibility (default: the visible layers)")
    p.add_argument("--dpi", type=float, default=96.0, help="output resolution for symbol sizes and the scale "
                                                           "(default 96)")
    p.add_argument("--background", default="#ffffff", help="background colour, or 'none' for transparent")
    p.add_argument("--scale-bar", action="store_true", help="draw a scale bar")
    p.add_argument("--north-arrow", action="store_true", help="draw a north arrow")
    p.add_argument("--no-labels", action="store_true", help="leave out layer labels")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def parse_size(text: str) -> tuple[int, int]:
    from smartgis.errors import UsageError
    from smartgis.i18n import _
    try:
        w, h = (int(v) for v in str(text).lower().replace("×", "x").split("x"))
    except ValueError:
        raise UsageError(_("--size {value!r}: give WIDTHxHEIGHT in pixels, e.g. 1920x1080", value=text)) from None
    if not (0 < w <= 20000 and 0 < h <= 20000):
        raise UsageError(_("--size {value!r}: width and height must be between 1 and 20000 pixels", value=text))
    from smartgis.cli.common import check_pixels
    check_pixels(w, h, "--size")
    return w, h


def parse_extent(text: str) -> tuple[float, float, float, float]:
    import math

    from smartgis.errors import UsageError
    from smartgis.i18n import _
    try:
        vals = [float(v) for v in str(text).replace(" ", "").split(",")]
    except ValueError:
        vals = []
    if len(vals) != 4 or not all(math.isfinite(v) for v in vals):
        raise UsageError(_("--extent {value!r}: give four numbers xmin,ymin,xmax,ymax in the project CRS", value=text))
    x0, y0, x1, y1 = vals
    if x1 <= x0 or y1 <= y0:
        raise UsageError(_("--extent {value!r}: xmax must exceed xmin and ymax must exceed ymin", value=text))
    return x0, y0, x1, y1


def _check_output(path: Path) -> str:
    from smartgis.errors import UsageError
    from smartgis.i18n import _
    suffix = path.suffix.lower()
    if suffix != ".pdf" and suffix not in IMAGE_SUFFIXES:
        raise UsageError(_("unknown output type {suffix}; use .png, .jpg, .tif or .pdf",
                           suffix=suffix or _("(none)")), path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(_("the output folder does not exist"), folder)
    if not os.access(folder, os.W_OK):
        raise UsageError(_("the output folder is not writable"), folder)
    return suffix


def run(args) -> int:
    import time

    from smartgis.cli.common import open_project, print_json, say
    from smartgis.errors import SmartGISError, UsageError
    from smartgis.i18n import _, localizable, localize
    w, h = parse_size(args.size)
    extent = parse_extent(args.extent) if args.extent else None
    out = Path(args.output)
    suffix = _check_output(out)
    background = None if str(args.background).lower() in ("none", "transparent") else args.background
    if args.dpi <= 0 or args.dpi > 2400:
        raise UsageError(_("--dpi {value}: give a resolution between 1 and 2400", value=args.dpi))

    t0 = time.perf_counter()
    project = open_project(args.project)
    open_s = time.perf_counter() - t0
    layers = None
    if args.layers:
        names = [n.strip() for n in args.layers.split(",") if n.strip()]
        if not names:
            raise UsageError(_("--layers: give at least one layer name or id"))
        layers = [project.layer(n).id for n in names]   # LayerError names the layers there are

    from smartgis.render import ensure_gui_app, render_map, render_to_painter
    ensure_gui_app()
    if extent is None and project.extent is None:
        raise UsageError(_("nothing to draw: the project has no layer with data (give --extent)"), project.path)
    # No loading beforehand: the renderer reads what the view needs (for a large layer
    # of a saved project, only the boxes and the geometries of the features in view).
    if suffix == ".pdf":
        result = _render_pdf(out, project, w, h, extent, layers, args, render_to_painter)
    else:
        result = render_map(project, (w, h), extent=extent, layers=layers, dpi=args.dpi, background=background,
                            scale_bar=args.scale_bar, north_arrow=args.north_arrow, labels=not args.no_labels)
        t_save = time.perf_counter()
        if not result.image.save(str(out), IMAGE_SUFFIXES[suffix]):
            raise SmartGISError(_("the image could not be written"), out)
        save_s = time.perf_counter() - t_save
    if suffix == ".pdf":
        save_s = 0.0
    names = {lid: project.layers[lid].name for lid in result.errors if lid in project.layers}
    view = result.view
    info = {"render_s": round(result.render_s, 4), "features_drawn": int(result.features_drawn), "width": w,
            "height": h, "output": str(out), "extent": [round(v, 3) for v in view.extent],
            "scale": round(view.scale, 1), "crs": project.crs, "open_s": round(open_s, 4), "save_s": round(save_s, 4),
            "errors": {names.get(k, k): v for k, v in result.errors.items()}}
    if args.json:
        print_json(info)
    else:
        say(_("rendered {path} ({width}x{height}, 1:{scale:,.0f}, {features:,} features) in {seconds:.3f} s",
              path=out, width=w, height=h, scale=view.scale, features=int(result.features_drawn),
              seconds=result.render_s))
    for k, msg in result.errors.items():
        problem = localize(_("layer {layer!r} was not drawn: {problem}", layer=names.get(k, k),
                             problem=localizable(msg)))
        print("smartgis render: " + localize(_("warning: {warning}", warning=problem)), file=sys.stderr)
    return 0


def _render_pdf(out: Path, project, w: int, h: int, extent, layers, args, render_to_painter):
    """A one-page PDF of w × h pixels at --dpi, vector layers as vector graphics."""
    from PySide6.QtCore import QMarginsF, QRectF, QSizeF
    from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

    from smartgis.errors import SmartGISError
    from smartgis.i18n import _
    from smartgis.render.colors import qcolor
    writer = QPdfWriter(str(out))
    dpi = int(round(args.dpi))
    writer.setResolution(dpi)
    size_mm = QSizeF(w / dpi * 25.4, h / dpi * 25.4)
    writer.setPageLayout(QPageLayout(QPageSize(size_mm, QPageSize.Unit.Millimeter), QPageLayout.Orientation.Portrait,
                                     QMarginsF(0, 0, 0, 0)))
    writer.setTitle(project.name)
    writer.setCreator("SmartGIS")
    painter = QPainter()
    if not painter.begin(writer):
        raise SmartGISError(_("the PDF could not be written"), out)
    try:
        rect = QRectF(0, 0, writer.width(), writer.height())
        if str(args.background).lower() not in ("none", "transparent"):
            painter.fillRect(rect, qcolor(args.background))
        result = render_to_painter(painter, rect, project, extent if extent is not None else project.extent,
                                   dpi=dpi, layers=layers, labels=not args.no_labels, scale_bar=args.scale_bar,
                                   north_arrow=args.north_arrow)
    finally:
        painter.end()
    return result
