"""``smartgis checkin local.gpkg`` — push the offline edits of a checkout back to its team
project: all or nothing, conflicts listed."""

from __future__ import annotations

ORDER = 89


def register(sub) -> None:
    p = sub.add_parser(
        "checkin", help="push the offline edits of a checkout back to its team project",
        description="Write the rows changed, added and deleted in a checked-out project file back to its server, "
                    "in one transaction: all or nothing. Rows a colleague changed since the checkout (or the last "
                    "pull) are conflicts: they are listed and nothing is written.")
    p.add_argument("project", metavar="FILE.gpkg", help="a project file written by 'smartgis checkout'")
    p.add_argument("--overwrite", action="store_true",
                   help="write the offline version of conflicting rows over the colleagues' edits")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def run(args) -> int:
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
