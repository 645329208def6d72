"""``smartgis publish PROJECT.gpkg URL [--force]`` — a project file becomes a team
project in a PostGIS schema (layers as tables with GiST indexes, SmartGIS's tables,
QGIS styles), with rights for designer, reviewer and reader roles."""

from __future__ import annotations

ORDER = 86


def register(sub) -> None:
    p = sub.add_parser(
        "publish", help="publish a project file to a PostGIS schema as a team project",
        description="Create the schema of URL (postgresql://USER@HOST[:PORT]/DB?schema=NAME) from a project file: "
                    "every layer a PostGIS table with a GiST index in the project's CRS, the design layers, the "
                    "smartgis_* tables and the styles in QGIS's layer_styles table. The password comes from "
                    "PGPASSWORD or ~/.pgpass. Every command that takes a project file then takes the URL.")
    p.add_argument("project", metavar="PROJECT.gpkg", help="the project file to publish")
    p.add_argument("url", metavar="URL", help="postgresql://USER@HOST[:PORT]/DB?schema=NAME")
    p.add_argument("--force", action="store_true", help="replace the schema if it exists")
    p.add_argument("--reviewer-role", action="append", default=[], metavar="ROLE",
                   help="a database role that may write only the review tables (repeatable)")
    p.add_argument("--designer-role", action="append", default=[], metavar="ROLE",
                   help="a database role that may write the design tables (repeatable)")
    p.add_argument("--reader-role", action="append", default=[], metavar="ROLE",
                   help="a database role that may only read (repeatable)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def run(args) -> int:
    from smartgis.cli.common import ProgressBar, print_json, say
    from smartgis.errors import UsageError
    from smartgis.i18n import _
    from smartgis.postgis.publish import publish
    from smartgis.postgis.url import is_url, parse_url
    from smartgis.project import open_project
    if is_url(args.project):
        raise UsageError(_("publish takes a project file first, then the URL"), args.project)
    url = parse_url(args.url)   # a malformed URL is refused before the file is read
    project = open_project(args.project, read_only=True)
    out = publish(project, url, force=args.force, reviewer_roles=args.reviewer_role,
                  designer_roles=args.designer_role, reader_roles=args.reader_role,
                  progress=None if args.json else ProgressBar(_("publishing")))
    if args.json:
        print_json(out)
    else:
        say(_("published {layers} layers ({features:,} features) to {url} in {seconds:.1f} s",
              layers=out["layers"], features=out["features"], url=out["url"], seconds=out["seconds"]))
    return 0
