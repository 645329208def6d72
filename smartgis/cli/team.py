"""``smartgis checkout URL -o local.gpkg [--layers …] [--within LAYER]``,
``smartgis checkin local.gpkg`` and ``smartgis pull local.gpkg`` — offline work on a
team project: an ordinary project file that remembers where it came from."""

from __future__ import annotations

ORDER = 89


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
    p.set_defaults(func=run_checkout)

    p = sub.add_parser(
        "checkin", help="push the offline edits of a checkout back to its team project",
        description="Write the rows changed, added and deleted in a checked-out project file back to its server, "
                    "in one transaction: all or nothing. Rows a colleague changed since the checkout (or the last "
                    "pull) are conflicts: they are listed and nothing is written.")
    p.add_argument("project", metavar="FILE.gpkg", help="a project file written by 'smartgis checkout'")
    p.add_argument("--overwrite", action="store_true",
                   help="write the offline version of conflicting rows over the colleagues' edits")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run_checkin)

    p = sub.add_parser(
        "pull", help="bring colleagues' edits into a checkout (offline edits are kept)",
        description="Refresh a checked-out project file from its server: rows not edited offline take the server's "
                    "version, rows edited offline are kept (a row edited on both sides is listed as a conflict).")
    p.add_argument("project", metavar="FILE.gpkg", help="a project file written by 'smartgis checkout'")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run_pull)


def run_checkout(args) -> int:
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


def run_checkin(args) -> int:
    from smartgis.cli.common import print_json, say
    from smartgis.i18n import _
    from smartgis.postgis.offline import checkin
    out = checkin(args.project, overwrite=args.overwrite)
    if args.json:
        print_json(out)
    else:
        say(_("checked in to {url}: {inserted} added, {updated} changed, {deleted} deleted", url=out["url"],
              inserted=out["inserted"], updated=out["updated"], deleted=out["deleted"]))
    return 0


def run_pull(args) -> int:
    from smartgis.cli.common import print_json, say
    from smartgis.i18n import _
    from smartgis.postgis.offline import pull
    out = pull(args.project)
    if args.json:
        print_json(out)
        return 0
    rows = sum(v["from_server"] for v in out["layers"].values())
    kept = sum(v["kept_local"] for v in out["layers"].values())
    say(_("pulled {rows:,} rows from {url}; {kept} rows edited offline kept", rows=rows, url=out["url"], kept=kept))
    for c in out["conflicts"]:
        say(_("  conflict: {layer} {key} was {change} on the server and edited here", layer=c["layer"],
              key=c["key"], change=c["change"]))
    return 0
