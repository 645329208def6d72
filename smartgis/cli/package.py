"""``smartgis package PROJECT [-o OUT.gpkg]`` — one file that carries everything.

Rasters a project references by path (orthophotos, DEMs) are copied into the project
file as GeoPackage tiles (with their zoom levels), and point icons still stored as SVG
paths are embedded in the styles, so the file can go to a reviewer's laptop, or an
archive, without the folders beside it or SmartGIS's resources.  The original project is not
changed: the package is written to a new file.
"""

from __future__ import annotations

ORDER = 87


def register(sub) -> None:
    p = sub.add_parser(
        "package", help="package a project: embed referenced rasters so one file carries everything",
        description="Write a copy of the project with every raster it references embedded as GeoPackage "
                    "tiles and every point icon embedded as SVG, so that the one file carries everything (for review on another machine, offline, "
                    "or for the archive). The original project is not changed.")
    p.add_argument("project", metavar="PROJECT", help="project file (.gpkg)")
    p.add_argument("-o", "--output", metavar="OUT.gpkg",
                   help="the package to write (default: PROJECT_packaged.gpkg beside the project)")
    p.add_argument("--force", action="store_true", help="replace OUT.gpkg if it exists (kept as .bak)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def run(args) -> int:
    from pathlib import Path

    from smartgis.cli.common import ProgressBar, open_project, print_json, say
    from smartgis.io.package import package_project
    from smartgis.errors import ProjectFileError, UsageError
    from smartgis.i18n import _, join

    src = Path(args.project)
    out = Path(args.output) if args.output else src.with_name(f"{src.stem}_packaged.gpkg")
    if out.suffix.lower() != ".gpkg":
        raise UsageError(_("the package is a project file: its name ends in .gpkg"), out)
    if out.exists() and out.resolve() == src.resolve():
        raise UsageError(_("write the package to a new file (-o OUT.gpkg); the project itself stays as it is"), out)
    if out.exists() and not args.force:
        raise ProjectFileError(_("exists already (use --force to replace it)"), out)
    project = open_project(src, read_only=False)
    bar = ProgressBar(_("packaging"))
    embedded = package_project(project, out, progress=bar)
    size = out.stat().st_size
    from smartgis.project import open_project as reopen
    from smartgis.project.portable import external_references
    refs = external_references(reopen(out, read_only=True))
    if args.json:
        print_json({"project": str(src), "package": str(out), "size_bytes": size, "embedded": embedded,
                    "portable": not refs, "external_references": refs})
        return 0
    for d in embedded:
        line = _("embedded {layer} ({file}) as table {table}", layer=d["layer"], file=Path(d["source"]).name,
                 table=d["table"])
        say(_("{what}: {notes}", what=line, notes=join(d["notes"], "; ")) if d["notes"] else line)
    if not embedded:
        say(_("no external rasters: the project file carries everything already"))
    if refs:
        say(_("still not portable: {n} icon(s) could not be found: {refs}", n=len(refs),
              refs=join(r["reference"] for r in refs)))
    say(_("wrote {path} ({size:.1f} MB)", path=out, size=size / 1e6))
    return 0
