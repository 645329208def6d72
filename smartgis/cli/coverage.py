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
    import sys

    from smartgis.analysis.quick import coverage
    from smartgis.cli.common import open_project, print_json
    project = open_project(args.project)
    out = coverage(project, args.type, radius=args.radius, network=args.network)
    notes = out.pop("notes", [])
    for n in notes:
        print(f"note: {n}", file=sys.stderr)
    if args.json:
        print_json(out)
        return 0
    t = project.catalog.get(args.type)
    km2 = out["covered_area_m2"] / 1e6
    scope_km2 = out["scope_area_m2"] / 1e6
    ratio = out["area_ratio"] or 0.0
    pop = out["population_ratio"]
    how = "walking distance" if args.network else "straight line"
    print(f"{t.label('en')} ({args.type}): {out['elements']} elements cover {km2:,.3f} of {scope_km2:,.3f} km² "
          f"({ratio * 100:.2f} %), {how}")
    print("population covered: " + ("— (no population layer)" if pop is None else f"{pop * 100:.2f} %"))
    print(f"computed in {out['elapsed_s']:.3f} s")
    return 0
