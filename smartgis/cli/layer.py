"""``smartgis layer PROJECT [LAYER] [--role ROLE] [--population-field F] [--rename NEW] [--remove]``.

A project says which layers play which part in the standards checks: the study area,
the population, the road network, land use, key public areas, sensitive sites,
buildings that block cameras …  Without ``--role`` the command lists the layers and
their roles (or shows one layer).  ``--rename`` and ``--remove`` manage the layers
themselves (a design layer that still has elements is removed only with ``--force``).

Changes are the model's named edit commands (:mod:`smartgis.core.edits`), the ones the
window pushes: the command prints their text, the undo text the window shows.
"""

from __future__ import annotations

ORDER = 40

ROLE_HELP = {
    "study_area": "the planning boundary (polygons)",
    "population": "buildings or zones with a population field, or a population raster",
    "roads": "street centre lines (walking distance, spacing along roads)",
    "land_use": "land-use zones (with --use-field)",
    "key_areas": "key public areas (video coverage, toilets in crowded places)",
    "sensitive_sites": "hospitals, schools … kept away from fire stations",
    "hazardous_sites": "hazardous-material sites",
    "built_up": "the built-up area / urban construction land",
    "buildings": "building footprints that block camera views",
    "water": "rivers and lakes (monitoring sections)",
    "basemap": "background only",
    "railways": "railway lines (fire districts should not cross them)",
    "waterlogging_points": "易涝点: places prone to waterlogging (a water-level sensor at each)",
    "noise_zones": "声环境功能区: acoustic function zones with their class 0–4b (a noise monitor in each class)",
}


def register(sub) -> None:
    from smartgis.core.layers import ROLES
    p = sub.add_parser("layer", help="set or show the roles layers play in the checks",
                       description="Set the role a layer plays in the standards checks, or list the layers and "
                                   "their roles. Roles: " + "; ".join(f"{r}: {ROLE_HELP.get(r, '')}" for r in ROLES))
    p.add_argument("project", metavar="PROJECT", help="project file (.gpkg)")
    p.add_argument("layer", metavar="LAYER", nargs="?", help="layer name, id or table (omit to list all layers)")
    p.add_argument("--role", metavar="ROLE", choices=list(ROLES) + ["none"], help="the role (none clears it)")
    p.add_argument("--population-field", metavar="F", help="the field holding the number of people")
    p.add_argument("--use-field", metavar="F", help="the field holding the land-use class (role land_use)")
    p.add_argument("--class-field", metavar="F",
                   help="the field holding the road class (role roads: fire response speeds, arterial frontage) "
                        "or the zone class (role noise_zones: 0, 1, 2, 3, 4a, 4b)")
    p.add_argument("--rename", metavar="NEW", help="rename the layer (names are unique in a project)")
    p.add_argument("--remove", action="store_true",
                   help="remove the layer from the project (a design layer with elements needs --force)")
    p.add_argument("--force", action="store_true", help="with --remove: also remove a design layer's elements")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def _row(lyr) -> dict:
    return {"id": lyr.id, "name": lyr.name, "kind": lyr.kind, "table": getattr(lyr, "table_name", None),
            "role": lyr.role, "props": dict(lyr.props or {})}


def run(args) -> int:
    from smartgis.cli.common import open_project, print_json, say
    from smartgis.core.layers import RasterLayer
    from smartgis.errors import UsageError
    from smartgis.i18n import _, join

    managing = args.rename is not None or args.remove
    changing = args.role is not None or args.population_field or args.use_field or args.class_field
    if (changing or managing) and not args.layer:
        raise UsageError(_("name the LAYER to change"))
    if args.remove and (changing or args.rename is not None):
        raise UsageError(_("--remove cannot be combined with other changes"))
    if args.force and not args.remove:
        raise UsageError(_("--force goes with --remove"))
    project = open_project(args.project, read_only=not (changing or managing))
    if not args.layer:
        rows = [_row(lyr) for lyr in project.ordered_layers()]
        if args.json:
            print_json({"layers": rows})
            return 0
        for r in rows:
            extra = "".join(f"  {k}={v}" for k, v in r["props"].items())
            print(f"{r['role'] or '-':<16} {r['kind']:<7} {r['name']}{extra}")   # ids, as the options name them
        return 0
    lyr = project.layer(args.layer)
    if args.remove:
        return _remove(project, lyr, args)
    if changing or managing:
        # the same named commands the window pushes: one undo step, the same text
        done = []
        if args.rename is not None:
            old = lyr.name
            project.rename_layer(lyr, args.rename)
            if lyr.name != old:
                done.append(project.stack.undo_text)
        if changing:
            role = lyr.role if args.role is None else (None if args.role == "none" else args.role)
            props = {}
            for opt, key in ((args.population_field, "population_field"), (args.use_field, "use_field"),
                             (args.class_field, "class_field")):
                if not opt:
                    continue
                if isinstance(lyr, RasterLayer):
                    raise UsageError(_("layer {layer!r} is a raster; it has no fields", layer=lyr.name))
                props[key] = opt   # the layer checks the field (exists; numeric for population)
            if role == "population" and not isinstance(lyr, RasterLayer) and not (
                    props.get("population_field") or lyr.props.get("population_field")):
                names = [f.name for f in lyr.fields]
                raise UsageError(_("a population layer needs --population-field (fields of {layer!r}: {fields})",
                                   layer=lyr.name, fields=join(names) if names else _("none")))
            n = len(project.stack)
            project.set_layer_role(lyr, role, **props)
            if len(project.stack) > n:
                done.append(project.stack.undo_text)
        project.save()
        _report(args, lyr, done)
        return 0
    row = _row(lyr)
    if args.json:
        print_json(row)
    else:
        say(_("{layer} ({kind}, table {table}): role {role}", layer=row["name"], kind=row["kind"], table=row["table"],
              role=row["role"] or "none"))
        for k, v in row["props"].items():
            print(f"  {k}: {v}")
    return 0


def _report(args, lyr, done: list) -> None:
    """Say what was done: the undo texts of the commands (as the window names them)."""
    from smartgis.cli.common import print_json, say
    from smartgis.i18n import _
    if args.json:
        print_json({"done": [str(t) for t in done], "layer": _row(lyr)})
        return
    for text in done:
        say(text)
    if not done:
        say(_("{layer}: nothing to change", layer=lyr.name))


def _remove(project, lyr, args) -> int:
    from smartgis.cli.common import say
    from smartgis.core.design import ElementLayer
    from smartgis.errors import UsageError
    from smartgis.i18n import _
    if isinstance(lyr, ElementLayer) and lyr.feature_count and not args.force:
        raise UsageError(_("design layer {layer!r} holds {n} elements; remove them too with --force",
                           layer=lyr.name, n=f"{lyr.feature_count:,}"))
    n = lyr.feature_count if isinstance(lyr, ElementLayer) else 0
    project.remove_layers([lyr])
    project.save()
    if args.json:
        from smartgis.cli.common import print_json
        print_json({"done": [str(project.stack.undo_text)], "layer": _row(lyr)})
    elif n:
        say(_("removed design layer {layer!r} and its {n} elements", layer=lyr.name, n=f"{n:,}"))
    else:
        say(project.stack.undo_text)
    return 0
