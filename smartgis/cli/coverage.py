"""``smartgis coverage PROJECT --type TYPE [--radius M] [--network] [--json]`` — the quick answer."""

from __future__ import annotations

ORDER = 72


def register(sub) -> None:
    p = sub.add_parser("coverage", help="how much of the study area one element type covers",
                       description="Share of the study area (and of its population) covered by the design's "
                                   "elements of one type: true circles, camera sectors, or walking distance along "
                                   "the road network (--network).")
    p.add_argument("project", metavar="PROJECT", help="project file (.gpkg)")
    p.add_argument("--type", required=True, metavar="TYPE", help="element type id (camera, primary_school …)")
    p.add_argument("--radius", type=float, metavar="M", help="radius / range / walking distance in metres "
                                                              "(default: each element's own)")
    p.add_argument("--network", action="store_true", help="walking distance along the roads layer")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def run(args) -> int:
    from smartgis.analysis.quick import coverage
    from smartgis.cli.common import open_project, print_json, say
    from smartgis.i18n import _, bilingual, localizable
    project = open_project(args.project)
    out = coverage(project, args.type, radius=args.radius, network=args.network)
    notes = out.pop("notes", [])
    for n in notes:
        say(_("note: {note}", note=localizable(n)), err=True)
    if args.json:
        print_json(out)
        return 0
    t = project.catalog.get(args.type)
    km2 = out["covered_area_m2"] / 1e6
    scope_km2 = out["scope_area_m2"] / 1e6
    ratio = out["area_ratio"] or 0.0
    pop = out["population_ratio"]
    how = _("walking distance") if args.network else _("straight line")
    say(_("{name} ({type}): {n} elements cover {covered:,.3f} of {area:,.3f} km² ({percent:.2f} %), {how}",
          name=bilingual({"en": t.label("en"), "zh": t.label("zh")}), type=args.type, n=out["elements"], covered=km2, area=scope_km2, percent=ratio * 100,
          how=how))
    if pop is None:
        say(_("population covered: — (no population layer)"))
    else:
        say(_("population covered: {percent:.2f} %", percent=pop * 100))
    say(_("computed in {seconds:.3f} s", seconds=out["elapsed_s"]))
    return 0
