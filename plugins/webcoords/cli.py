"""``smartgis webcoords point|convert|import|export`` — web-map coordinates from the command line.

Messages follow the command line's language (English unless ``SMARTGIS_LANG=zh``);
``--json`` output stays English.
"""

from __future__ import annotations

from smartgis.plugins.api import _, localize

SYSTEM_CHOICES = ["wgs84", "cgcs2000", "gcj02", "bd09"]


def register(sub) -> None:
    p = sub.add_parser("webcoords", help="convert GCJ-02 / BD-09 web-map coordinates (plugin webcoords)",
                       description="Chinese web maps (Amap, Tencent: GCJ-02; Baidu: BD-09) shift their "
                                   "longitudes/latitudes away from WGS84/CGCS2000. Convert points and files, "
                                   "import such files into a project, export layers for web maps.")
    acts = p.add_subparsers(dest="action", metavar="ACTION")

    pt = acts.add_parser("point", help="convert one longitude/latitude")
    pt.add_argument("lon", type=float)
    pt.add_argument("lat", type=float)
    pt.add_argument("--from", dest="source", choices=SYSTEM_CHOICES, required=True)
    pt.add_argument("--to", dest="target", choices=SYSTEM_CHOICES, default="wgs84")
    pt.add_argument("--json", action="store_true", help="print one JSON object")
    pt.set_defaults(func=run_point)

    cv = acts.add_parser("convert", help="convert a vector file (GeoJSON, shapefile, GPKG, KML ...)")
    cv.add_argument("source_file", metavar="SOURCE")
    cv.add_argument("output", metavar="OUTPUT", help="output file (format from its extension)")
    cv.add_argument("--from", dest="source", choices=SYSTEM_CHOICES, required=True)
    cv.add_argument("--to", dest="target", choices=SYSTEM_CHOICES, default="wgs84")
    cv.add_argument("--layer", help="layer of a multi-layer source")
    cv.add_argument("--driver", help="GDAL driver of the output (default: from the extension)")
    cv.add_argument("--json", action="store_true", help="print one JSON object")
    cv.set_defaults(func=run_convert)

    im = acts.add_parser("import", help="import a GCJ-02/BD-09 file into a project (saved)")
    im.add_argument("project", metavar="PROJECT")
    im.add_argument("source_file", metavar="SOURCE")
    im.add_argument("--from", dest="source", choices=["gcj02", "bd09", "wgs84", "cgcs2000"], required=True)
    im.add_argument("--name", help="layer name (default: the file name)")
    im.add_argument("--layer", help="layer of a multi-layer source")
    im.add_argument("--json", action="store_true", help="print one JSON object")
    im.set_defaults(func=run_import)

    ex = acts.add_parser("export", help="export a project layer in GCJ-02/BD-09 for web maps")
    ex.add_argument("project", metavar="PROJECT")
    ex.add_argument("layer", metavar="LAYER", help="layer name, id or table")
    ex.add_argument("output", metavar="OUTPUT")
    ex.add_argument("--to", dest="target", choices=SYSTEM_CHOICES, required=True)
    ex.add_argument("--driver", help="GDAL driver (default: from the extension)")
    ex.add_argument("--json", action="store_true", help="print one JSON object")
    ex.set_defaults(func=run_export)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def _print(args, obj, text):
    if args.json:
        from smartgis.cli.common import print_json
        print_json(obj)
    else:
        print(localize(text))


def run_point(args) -> int:
    from .transform import convert
    lon, lat = convert(args.lon, args.lat, args.source, args.target)
    _print(args, {"from": args.source, "to": args.target, "input": [args.lon, args.lat], "output": [lon, lat]},
           f"{lon:.8f} {lat:.8f}")
    return 0


def run_convert(args) -> int:
    from .files import convert_file
    r = convert_file(args.source_file, args.output, args.source, args.target, layer=args.layer, driver=args.driver)
    text = _("wrote {path}: {n} features, {source} → {target}", path=r["output"], n=r["features"],
             source=args.source, target=args.target)
    if r["outside_china_vertices"]:
        text = _("{done}; {n} vertices outside China left as they were", done=text, n=r["outside_china_vertices"])
    _print(args, r, text)
    return 0


def run_import(args) -> int:
    from smartgis.cli.common import open_project
    from .files import import_source
    project = open_project(args.project, read_only=False)
    r = import_source(project, args.source_file, system=args.source, name=args.name, layer=args.layer)
    project.save()
    _print(args, r, _("imported {n} features from {path} ({source} → {crs}) as layer {layer!r}", n=r["features"],
                      path=args.source_file, source=args.source, crs=project.crs, layer=r["layers"][0]))
    return 0


def run_export(args) -> int:
    from smartgis.cli.common import open_project
    from .files import export_layer
    project = open_project(args.project)
    r = export_layer(project, args.layer, args.output, system=args.target, driver=args.driver)
    _print(args, r, _("wrote {path}: {n} features of {layer!r} in {target}", path=r["output"], n=r["features"],
                      layer=r["layer"], target=args.target))
    return 0
