"""``smartgis import PROJECT SOURCE`` — bring surveying and mapping data into a project.

The import runs in memory and on scratch files; the project file is written once, at
the end, by the atomic save.  Any error before that leaves it byte for byte as it was.
"""

from __future__ import annotations

ORDER = 30

AS_CHOICES = ("basemap", "sensor", "network", "facility")


def register(sub) -> None:
    p = sub.add_parser(
        "import", help="import a shapefile, GeoPackage, DXF, CSV, raster ... into a project",
        description="Import surveying and mapping data into a project: Shapefile (also zipped), GeoPackage, "
                    "GeoJSON, DXF, FlatGeobuf, File Geodatabase (folder or zip), MapInfo TAB/MIF, GML, KML, CSV "
                    "of surveyed points, and rasters (GeoTIFF orthophotos and DEMs, any raster GDAL reads). "
                    "Text encodings (UTF-8, GBK/GB18030, Big5-HKSCS) are detected; coordinates are reprojected "
                    "into the project CRS. Prints an import report; on any error the project file is unchanged.",
        epilog="Examples: smartgis import p.gpkg building.shp --crs '+proj=tmerc +lat_0=0 +lon_0=113.283333333 +k=1 "
               "+x_0=39980 +y_0=-2329620 +ellps=GRS80 +units=m' (a local city grid); "
               "smartgis import p.gpkg cams.csv --x-field E --y-field N --crs EPSG:4547 --as sensor --type camera")
    p.add_argument("project", metavar="PROJECT", help="project file (.gpkg)")
    p.add_argument("source", metavar="SOURCE", help="file, zip archive or .gdb folder to import")
    p.add_argument("--source-layer", action="append", dest="source_layers", metavar="L",
                   help="import only this layer of a multi-layer source (a CAD layer for DXF); repeatable")
    p.add_argument("--layer", dest="layer_name", metavar="NAME", help="name of the new layer")
    p.add_argument("--crs", help="CRS of a source that has none: EPSG:4547, a PROJ string or WKT "
                                 "(a local city grid), or the name of one of the project's local systems "
                                 "(smartgis crs PROJECT list)")
    p.add_argument("--encoding", help="text encoding of a shapefile or CSV (UTF-8, GBK, GB18030, Big5-HKSCS ...), "
                                      "overriding .cpg, the DBF code page and detection")
    p.add_argument("--x-field", help="CSV column with X (easting or longitude)")
    p.add_argument("--y-field", help="CSV column with Y (northing or latitude)")
    p.add_argument("--as", dest="as_", choices=AS_CHOICES,
                   help="basemap: mark the layers as base map; sensor/network/facility: add the features as design "
                        "elements of --type")
    p.add_argument("--type", dest="element_type", metavar="TYPE", help="element type id from the catalog (camera ...)")
    p.add_argument("--embed", action="store_true", help="store rasters inside the project file (GeoPackage tiles)")
    p.add_argument("--skip-null", action="store_true", help="leave out features without geometry (default: keep)")
    p.add_argument("--keep-mixed", action="store_true",
                   help="keep a layer of mixed geometry types as one layer (default: split by type)")
    p.add_argument("--drop-z", action="store_true", help="drop Z values (default: keep)")
    p.add_argument("--salvage", action="store_true",
                   help="import the intact part of a damaged file (bytes past a shapefile's declared end, junk "
                        "after a DXF's end) instead of refusing it; the report lists what was cut")
    p.add_argument("--force", action="store_true",
                   help="import even when the data lands outside the project CRS's area of use or farther than "
                        "--max-distance from the project's other data (a wrong CRS, usually)")
    p.add_argument("--max-distance", type=float, metavar="KM", dest="max_distance_km",
                   help="how far (km) from the project's data new data may land without --force (default: the "
                        "project's import_max_distance_km setting, else 200)")
    p.add_argument("--json", action="store_true", help="print the import report as one JSON object")
    p.set_defaults(func=run)


def run(args) -> int:
    import time
    from pathlib import Path

    from smartgis.cli.common import ProgressBar, open_project, print_json, say
    from smartgis.errors import ProjectFileError
    from smartgis.i18n import _, localize
    from smartgis.io import import_source

    path = Path(args.project)
    if not path.exists():
        raise ProjectFileError(_("no such project file (create it with 'smartgis new')"), path)
    t0 = time.monotonic()
    project = open_project(path, read_only=False)
    bar = ProgressBar(_("importing"), enabled=None if not args.json else False)
    report = import_source(project, args.source, source_layers=args.source_layers, layer_name=args.layer_name,
                           crs=args.crs, encoding=args.encoding, x_field=args.x_field, y_field=args.y_field,
                           as_=args.as_, element_type=args.element_type, embed=args.embed,
                           keep_null=not args.skip_null, split_mixed=not args.keep_mixed, keep_z=not args.drop_z,
                           salvage=args.salvage, refuse_far=not args.force, max_distance_km=args.max_distance_km,
                           progress=bar)
    if report.layers or report.design:
        project.save(progress=ProgressBar(_("saving"), enabled=None if not args.json else False))
        report.saved = True
    report.project = str(project.path)
    report.seconds = time.monotonic() - t0
    if args.json:
        print_json(report.to_dict())
        return 0
    for line in report.lines():
        print(localize(line))   # English unless SMARTGIS_LANG=zh
    if report.saved:
        say(_("saved {path} ({seconds:.1f} s)", path=project.path, seconds=report.seconds))
    else:
        say(_("nothing to import; the project was not changed"))
    return 0
