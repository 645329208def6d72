"""``smartgis catalog [PROJECT] --list | --add FILE.json | --remove TYPE | --export FILE.json``.

The element catalog: the built-in types plus the types a user defined for one
project.  User types travel inside the project file (table ``smartgis_catalog``,
origin ``project``), so a colleague opening the project sees them without the
catalog file.  The file format is described in ``docs/catalog-format.md``.
"""

from __future__ import annotations

ORDER = 45


def register(sub) -> None:
    p = sub.add_parser(
        "catalog", help="list the element types, or add/remove a project's own types",
        description="List the element types a design can use (built-in and the project's own), add the types "
                    "of a catalog file to a project (kept inside the project file), remove a project type, or "
                    "export the project's types to a catalog file. See docs/catalog-format.md.")
    p.add_argument("project", nargs="?", metavar="PROJECT",
                   help="project file (.gpkg); without it --list shows the built-in catalog")
    act = p.add_mutually_exclusive_group()
    act.add_argument("--list", action="store_true", help="list the types (the default)")
    act.add_argument("--add", metavar="FILE.json", help="add the types of a catalog file to the project")
    act.add_argument("--remove", metavar="TYPE", help="remove one of the project's own types")
    act.add_argument("--export", metavar="FILE.json", help="write the project's own types to a catalog file")
    p.add_argument("--replace", action="store_true",
                   help="--add: let the file's types replace types of the same id (built-in ones included)")
    p.add_argument("--category", choices=["sensor", "network", "facility"], help="--list: only this category")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def type_summary(t) -> dict:
    """One type of the ``--list --json`` output."""
    cov = t.coverage.to_dict()
    return {"id": t.id, "name": t.name, "category": t.category, "geometry": t.geometry,
            "origin": t.origin, "coverage": cov, "rules": list(t.rules),
            "attributes": [f.name for f in t.attributes],
            "variants": [{"id": v.id, "name": v.name} for v in t.variants], "icon": t.icon}


def _list(catalog, args) -> int:
    from smartgis.cli.common import print_json
    from smartgis.i18n import _, localize
    types = [t for t in catalog if not args.category or t.category == args.category]
    if args.json:
        print_json({"project": args.project, "count": len(types), "types": [type_summary(t) for t in types]})
        return 0
    cats = {"sensor": "sensors 感知设施", "network": "networks 网络管线", "facility": "facilities 服务设施"}
    for cat, title in cats.items():
        group = [t for t in types if t.category == cat]
        if not group:
            continue
        print(f"{title} ({len(group)})")
        for t in group:
            cov = t.coverage
            if cov.model == "sector":
                c = f"sector {cov.range:g} m {cov.angle:g}°"
            elif cov.model == "circle":
                c = f"circle {cov.radius:g} m"
            elif cov.model == "network":
                c = f"network {cov.distance:g} m"
            else:
                c = "-"
            origin = "" if t.origin == "builtin" else f"  [{t.origin}]"
            print(f"  {t.id:<20} {t.geometry:<10} {c:<22} {t.label('zh')} / {t.label('en')}{origin}")
            if t.variants:
                print(f"  {'':<20} " + localize(_("variants: {variants}",
                                                   variants=", ".join(f"{t.id}:{v.id}" for v in t.variants))))
    return 0


def run(args) -> int:
    from pathlib import Path

    from smartgis.cli.common import open_project, print_json, say
    from smartgis.core.catalog import default_catalog
    from smartgis.errors import UsageError
    from smartgis.i18n import _, join

    editing = args.add or args.remove
    if args.project is None:
        if editing or args.export:
            raise UsageError(_("--add, --remove and --export work on a project: give PROJECT"))
        return _list(default_catalog(), args)
    project = open_project(args.project, read_only=not editing)
    if args.add:
        ids = project.design.import_catalog(Path(args.add), replace=args.replace)
        project.save()
        if args.json:
            print_json({"project": str(project.path), "added": ids})
        else:
            say(_("added {n} type(s) to {path}: {types}", n=len(ids), path=project.path, types=join(ids)))
        return 0
    if args.remove:
        t = project.design.remove_type(args.remove)
        project.save()
        if args.json:
            print_json({"project": str(project.path), "removed": t.id})
        else:
            say(_("removed type {type} ({name}) from {path}", type=t.id, name=f"{t.label('zh')} / {t.label('en')}",
                  path=project.path))
        return 0
    if args.export:
        import json
        data = project.catalog.to_data(origin="project")
        data.pop("common_attributes", None)  # the built-in common attributes apply anyway
        out = Path(args.export)
        out.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        if args.json:
            print_json({"project": str(project.path), "exported": [t["id"] for t in data["types"]],
                        "file": str(out)})
        else:
            say(_("wrote {n} project type(s) to {path}", n=len(data["types"]), path=out))
        return 0
    return _list(project.catalog, args)
