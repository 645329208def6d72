"""``smartgis export PROJECT --pdf sheet.pdf`` — print-ready map sheets, drawing sets,
CAD drawings and equipment lists.

::

    smartgis export design.gpkg --pdf sheet.pdf --paper A3 --landscape
    smartgis export design.gpkg --pdf 视频.pdf --theme 视频监控布局图 --phase 一期
    smartgis export design.gpkg --pdf 图集.pdf --set --paper A3 --landscape
    smartgis export design.gpkg --dxf design.dxf --theme master_plan
    smartgis export design.gpkg --xlsx 设备清单.xlsx
"""

from __future__ import annotations

ORDER = 85


def register(sub) -> None:
    p = sub.add_parser(
        "export", help="export map sheets and drawing sets (PDF, PNG), CAD drawings (DXF), equipment lists (XLSX)",
        description="Write a map sheet: the map in a drawing frame with title, legend built from the layer "
                    "styles, scale bar, north arrow, labelled coordinate grid, CRS note and title block "
                    "(project, institute, designer, reviewer, date, sheet number). The PDF keeps vector layers "
                    "as vectors. Point symbols are drawn to scale (crowded layers as dots, thinned), labels clear "
                    "of symbols. A theme picks the layers and the title of a thematic sheet; --set writes every "
                    "theme as one PDF with a cover and a drawing list. --dxf writes the design for CAD, "
                    "--xlsx the equipment list.")
    p.add_argument("project", metavar="PROJECT", help="project file (.gpkg)")
    p.add_argument("--pdf", metavar="FILE.pdf", help="PDF file to write")
    p.add_argument("--png", metavar="FILE.png", help="PNG file to write")
    p.add_argument("--dxf", metavar="FILE.dxf", help="CAD drawing to write (DXF, metres in the project CRS)")
    p.add_argument("--xlsx", metavar="FILE.xlsx", help="equipment list to write (Excel)")
    p.add_argument("--paper", default="A3", type=str.upper, choices=["A4", "A3", "A2", "A1", "A0"],
                   help="paper size (default A3)")
    p.add_argument("--landscape", action="store_true", help="landscape orientation (default portrait)")
    p.add_argument("--layers", metavar="L1,L2", help="comma-separated layer names or ids to draw (default: the "
                                                    "visible layers, or the theme's)")
    p.add_argument("--theme", metavar="THEME", help="sheet theme by id or title, e.g. video_surveillance or "
                                                   "视频监控布局图 (its layers and title)")
    p.add_argument("--phase", metavar="NAME", help="only the elements of this construction phase (e.g. 一期)")
    p.add_argument("--set", action="store_true", help="write the whole drawing set as one PDF: cover, drawing "
                                                     "list (图纸目录) and one sheet per theme")
    p.add_argument("--gaps", action="store_true", help="print the check gaps (only of rules that failed or warned)")
    p.add_argument("--extent", metavar="XMIN,YMIN,XMAX,YMAX",
                   help="what must be on the map, in the project CRS (default: the study area, else everything)")
    p.add_argument("--extent-crs", metavar="CRS",
                   help="CRS of --extent: EPSG:code, PROJ/WKT, or the name of one of the project's local systems "
                        "(smartgis crs PROJECT list); default the project CRS")
    p.add_argument("--scale", type=float, metavar="N", help="map scale 1:N (default: the round scale that fits)")
    p.add_argument("--dpi", type=int, metavar="N",
                   help="PNG resolution (default 150) and resolution of raster layers in the PDF (default 300)")
    p.add_argument("--title", metavar="TEXT", help="sheet title (图名)")
    p.add_argument("--sheet-number", metavar="TEXT", help="sheet number (default: <sheet prefix>-01)")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="date in the title block (default: today)")
    p.add_argument("--json", action="store_true", help="print one JSON object describing what was written")
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


def _check_args(args) -> None:
    from smartgis.errors import UsageError
    from smartgis.i18n import _
    if not (args.pdf or args.png or args.dxf or args.xlsx):
        raise UsageError(_("give --pdf FILE.pdf, --png FILE.png, --dxf FILE.dxf and/or --xlsx FILE.xlsx"))
    if args.set and not args.pdf:
        raise UsageError(_("--set writes one PDF: give --pdf FILE.pdf"))
    if args.set and (args.theme or args.layers):
        raise UsageError(_("--set draws every theme: leave out --theme and --layers"))
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


def run(args) -> int:
    from smartgis.i18n import _, join
    _check_args(args)
    extent = _extent(args.extent) if args.extent else None
    from smartgis.cli.common import open_project, print_json, say
    project = open_project(args.project, read_only=True)
    if extent is not None and args.extent_crs:
        from smartgis.crs import transform_bounds
        from smartgis.project.local_crs import resolve_crs
        extent = transform_bounds(extent, resolve_crs(project, args.extent_crs), project.crs)
    elif args.extent_crs:
        raise UsageError(_("--extent-crs needs --extent"))
    from smartgis.analysis.themes import find_theme, sheet_layers
    theme = find_theme(args.theme) if args.theme else None
    layers = [s.strip() for s in args.layers.split(",") if s.strip()] if args.layers else None
    if args.phase is not None or layers is not None:
        sheet_layers(project, theme, layers, args.phase)     # unknown layers and phases: one clear line
    info: dict = {}
    lines: list[str] = []
    if args.set:
        from smartgis.render.sheetset import export_sheet_set, list_rows
        sheets = export_sheet_set(project, args.pdf, paper=args.paper, landscape=args.landscape, phase=args.phase,
                                  dpi=int(args.dpi or 300), date=args.date, gaps=args.gaps, extent=extent,
                                  scale=args.scale)
        info["set"] = {"pdf": args.pdf, "pages": len(sheets) + 2, "sheets": list_rows(sheets)}
        lines.append(_("wrote {file}: cover, drawing list and {n} sheets", file=args.pdf, n=len(sheets)))
    elif args.pdf or args.png:
        from smartgis.render.mapsheet import export_sheet
        sheet = export_sheet(project, pdf=args.pdf, png=args.png, paper=args.paper, landscape=args.landscape,
                             extent=extent, scale=args.scale, dpi=args.dpi, title=args.title,
                             sheet_number=args.sheet_number, date=args.date, layers=layers, theme=theme,
                             phase=args.phase, gaps=args.gaps)
        info.update({"pdf": args.pdf, "png": args.png, "paper": sheet.paper,
                     "orientation": "landscape" if sheet.landscape else "portrait", "scale": sheet.scale,
                     "extent": list(sheet.extent), "grid_interval_m": sheet.grid_step, "title": sheet.title,
                     "sheet_number": sheet.sheet_number, "layers": [lyr.name for lyr in sheet.layers]})
        outs = join([f for f in (args.pdf, args.png) if f], " and ", "和")
        orientation = _("landscape") if sheet.landscape else _("portrait")
        lines.append(_("wrote {files}: {paper} {orientation}, 1:{scale:,.0f}, {n} layers, sheet {sheet}",
                       files=outs, paper=sheet.paper, orientation=orientation, scale=sheet.scale,
                       n=len(sheet.layers), sheet=sheet.sheet_number))
    if args.dxf:
        from smartgis.io.dxf_export import export_dxf
        chosen = sheet_layers(project, theme, layers, args.phase) if (theme or layers or args.phase) else None
        d = export_dxf(project, args.dxf, layers=chosen, title=args.title or (theme.label(project.language)
                                                                                 if theme else None),
                       date=args.date)
        info["dxf"] = d
        lines.append(_("wrote {file}: {n} CAD layers, {blocks} blocks, {lines} lines and polygons",
                       file=args.dxf, n=len(d["layers"]), blocks=d["block_references"], lines=d["polylines"]))
    if args.xlsx:
        from smartgis.analysis.equipment import export_equipment_xlsx
        d = export_equipment_xlsx(project, args.xlsx, phase=args.phase)
        info["xlsx"] = d
        lines.append(_("wrote {file}: {n} rows, {sheets} sheets", file=args.xlsx, n=d["rows"],
                       sheets=len(d["sheets"])))
    if args.json:
        print_json(info)
        return 0
    for line in lines:
        say(line)
    return 0
