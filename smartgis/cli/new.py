"""``smartgis new PROJECT.gpkg --crs EPSG:4547 [--name NAME]`` — create an empty project."""

from __future__ import annotations

ORDER = 10

from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("new", help="create a new, empty project file",
                       description="Create a new project file (a GeoPackage) with a projected CRS in metres.")
    p.add_argument("project", metavar="PROJECT.gpkg", help="the project file to create")
    p.add_argument("--crs", required=True,
                   help="project CRS: EPSG:4547 (CGCS2000 / 3-degree Gauss-Kruger CM 114E), another zone, UTM, "
                        "or a local grid as PROJ/WKT text")
    p.add_argument("--name", help="project name (default: the file name)")
    p.add_argument("--description", default="", help="a description")
    p.add_argument("--institute", default="", help="design institute")
    p.add_argument("--designer", default="", help="designer")
    p.add_argument("--force", action="store_true", help="replace an existing file (kept as .bak)")
    p.set_defaults(func=run)


def run(args) -> int:
    from smartgis.core.project import Project
    from smartgis.project import save_project
    from smartgis.cli.common import say
    from smartgis.errors import ProjectFileError
    from smartgis.i18n import _
    path = Path(args.project)
    if path.exists() and not args.force:
        raise ProjectFileError(_("exists already (use --force to replace it)"), path)
    project = Project(args.name or path.stem, args.crs, description=args.description,
                      metadata={"institute": args.institute, "designer": args.designer})
    out = save_project(project, path)
    say(_("created {path} ({name}, {crs})", path=out, name=project.name, crs=project.crs))
    return 0
