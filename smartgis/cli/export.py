"""``smartgis export PROJECT --pdf sheet.pdf [--png sheet.png]`` — a print-ready map sheet.

::

    smartgis export design.gpkg --pdf sheet.pdf --paper A3 --landscape
    smartgis export design.gpkg --pdf sheet.pdf --png sheet.png --scale 10000 --extent 542000,3368000,546000,3371000
"""

from __future__ import annotations

ORDER = 85


def register(sub) -> None:
    p = sub.add_parser(
        "export", help="export a print-ready map sheet (PDF, PNG)",
        description="Write a map sheet: the map in a drawing frame with title, legend built from the layer "
                    "styles, scale bar, north arrow, labelled coordinate grid, CRS note and title block "
                    "(project, institute, designer, reviewer, date, sheet number). The PDF keeps vector layers "
                    "as vectors.")
    p.add_argument("project", metavar="PROJECT", help="project file (.gpkg)")
    p.add_argument("--pdf", metavar="FILE.pdf", help="PDF file to write")
    p.add_argument("--png", metavar="FILE.png", help="PNG file to write")
    p.add_argument("--paper", default="A3", type=str.upper, choices=["A4", "A3", "A2", "A1", "A0"],
                   help="paper size (default A3)")
    p.add_argument("--landscape", action="store_true", help="landscape orientation (default portrait)")
    p.add_argument("--extent", metavar="XMIN,YMIN,XMAX,YMAX",
                   help="what must be on the map, in the project CRS (default: the study area, else everything)")
    p.add_argument("--scale", type=float, metavar="N", help="map scale 1:N (default: the round scale that fits)")
    p.add_argument("--dpi", type=int, metavar="N",
                   help="PNG resolution (default 150) and resolution of raster layers in the PDF (default 300)")
    p.add_argument("--title", metavar="TEXT", help="sheet title (图名)")
    p.add_argument("--sheet-number", metavar="TEXT", help="sheet number (default: <sheet prefix>-01)")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="date in the title block (default: today)")
    p.add_argument("--json", action="store_true", help="print one JSON object describing the sheet")
    p.set_defaults(func=run)


def _extent(text: str):
    from smartgis.errors import UsageError
    from smartgis.i18n import _
    try:
        vals = [float(v) for v in text.replace(";", ",").split(",")]
    except ValueError:
        vals = []
    if len(vals) != 4 or not (vals[0] < vals[2] and vals[1] < vals[3]):
        raise UsageError(_("--extent {value!r}: give XMIN,YMIN,XMAX,YMAX with min < max, in the project CRS",
                           value=text))
    return tuple(vals)


def run(args) -> int:
    from smartgis.errors import UsageError
    from smartgis.i18n import _, join
    if not args.pdf and not args.png:
        raise UsageError(_("give --pdf FILE.pdf and/or --png FILE.png"))
    if args.dpi is not None and not (30 <= args.dpi <= 1200):
        raise UsageError(_("--dpi {value}: use 30 to 1200", value=args.dpi))
    if args.dpi is not None:
        from smartgis.cli.common import check_pixels
        from smartgis.render.mapsheet import PAPER_MM
        mm = PAPER_MM.get(str(args.paper or "A3").upper())
        if mm:
            check_pixels(mm[0] / 25.4 * args.dpi, mm[1] / 25.4 * args.dpi, f"--paper {args.paper} --dpi {args.dpi}")
    if args.date:
        import datetime as _dt
        import re
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", args.date):
                raise ValueError(args.date)
            _dt.date.fromisoformat(args.date)
        except ValueError:
            raise UsageError(_("--date {value!r}: give YYYY-MM-DD", value=args.date)) from None
    extent = _extent(args.extent) if args.extent else None
    from smartgis.cli.common import open_project, print_json, say
    import smartgis.review  # noqa: F401  (registers the review tables: the title block shows the sign-off)
    project = open_project(args.project, read_only=True)
    from smartgis.render.mapsheet import export_sheet
    sheet = export_sheet(project, pdf=args.pdf, png=args.png, paper=args.paper, landscape=args.landscape,
                         extent=extent, scale=args.scale, dpi=args.dpi, title=args.title,
                         sheet_number=args.sheet_number, date=args.date)
    info = {"pdf": args.pdf, "png": args.png, "paper": sheet.paper,
            "orientation": "landscape" if sheet.landscape else "portrait", "scale": sheet.scale,
            "extent": list(sheet.extent), "grid_interval_m": sheet.grid_step, "title": sheet.title,
            "sheet_number": sheet.sheet_number, "layers": [lyr.name for lyr in sheet.layers]}
    if args.json:
        print_json(info)
        return 0
    outs = join([f for f in (args.pdf, args.png) if f], " and ", "和")
    orientation = _("landscape") if sheet.landscape else _("portrait")
    say(_("wrote {files}: {paper} {orientation}, 1:{scale:,.0f}, {n} layers, sheet {sheet}", files=outs,
          paper=sheet.paper, orientation=orientation, scale=sheet.scale, n=len(sheet.layers),
          sheet=sheet.sheet_number))
    return 0
