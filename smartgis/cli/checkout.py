"""``smartgis checkout URL -o local.gpkg [--layers …] [--within LAYER]`` — take a team project
(or part of it) offline as an ordinary project file that remembers where it came from."""

from __future__ import annotations

ORDER = 88


def register(sub) -> None:
    p = sub.add_parser(
        "checkout", help="take a team project (or part of it) offline as a project file",
        description="Write the project of URL (postgresql://USER@HOST[:PORT]/DB?schema=NAME) to an ordinary "
                    "SmartGIS project file that remembers where it came from and the version of every row taken. "
                    "Work on it offline, then 'smartgis checkin FILE' pushes the edits back and 'smartgis pull "
                    "FILE' brings colleagues' edits in.")
    p.add_argument("url", metavar="URL", help="postgresql://USER@HOST[:PORT]/DB?schema=NAME")
    p.add_argument("-o", "--output", required=True, metavar="FILE.gpkg", help="the project file to write")
    p.add_argument("--layers", metavar="A,B", help="comma-separated layer names, tables or ids to take (default: all)")
    p.add_argument("--within", metavar="LAYER", help="take only the features meeting this layer's polygons")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def run(args) -> int:
    from smartgis.cli.common import print_json, say
    from smartgis.i18n import _
    from smartgis.postgis.offline import checkout
    layers = [s.strip() for s in args.layers.split(",") if s.strip()] if args.layers else None
    out = checkout(args.url, args.output, layers=layers, within=args.within)
    if args.json:
        print_json(out)
    else:
        say(_("checked out {n} layers ({rows:,} rows) from {url} into {path}", n=len(out["layers"]),
              rows=sum(out["layers"].values()), url=out["url"], path=out["output"]))
    return 0
