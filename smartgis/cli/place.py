"""``smartgis place PROJECT --type TYPE ...`` — batch layout of design elements.

One of ``--along LAYER``, ``--grid LAYER``, ``--intersections LAYER``,
``--connect FROM_TYPE --to TYPE`` or ``--at X,Y`` says where the elements go; the
project is saved atomically afterwards (``--dry-run`` leaves it unchanged).

Examples::

    smartgis place city.gpkg --type smart_pole --along roads --spacing 35 --offset 8 --both-sides
    smartgis place city.gpkg --type camera:ptz --intersections roads
    smartgis place city.gpkg --type air_quality --grid 规划范围 --spacing 2000 --pattern hex
    smartgis place city.gpkg --connect air_quality,noise_monitor --to iot_gateway --max-distance 2000
"""

from __future__ import annotations

ORDER = 50


def register(sub) -> None:
    p = sub.add_parser(
        "place", help="place design elements in bulk (along lines, on a grid, at intersections, links)",
        description="Place elements of one catalog type along the lines of a layer at a spacing (with a side "
                    "offset, on one or both sides), on a lattice inside polygons, at every intersection of a "
                    "line network, at given coordinates, or connect elements to the nearest element of "
                    "another type with link lines. Prints what was added and saves the project atomically "
                    "(the previous file is kept as PROJECT.bak).",
        epilog="Examples:\n"
               "  smartgis place city.gpkg --type smart_pole --along roads --spacing 35 --offset 8 --both-sides\n"
               "  smartgis place city.gpkg --type camera:ptz --intersections roads\n"
               "  smartgis place city.gpkg --type air_quality --grid district --spacing 2000 --pattern hex\n"
               "  smartgis place city.gpkg --connect air_quality,noise_monitor --to iot_gateway --max-distance 2000",
        formatter_class=__import__("argparse").RawDescriptionHelpFormatter)
    p.add_argument("project", metavar="PROJECT", help="project file (.gpkg)")
    p.add_argument("--type", dest="type_id", metavar="TYPE",
                   help="element type id, optionally with a variant: smart_pole, camera:ptz, fire_station:class2 "
                        "(see 'smartgis catalog --list')")
    where = p.add_argument_group("where the elements go (choose one)")
    mode = where.add_mutually_exclusive_group(required=True)
    mode.add_argument("--along", metavar="LAYER", help="every --spacing metres along the lines of LAYER")
    mode.add_argument("--grid", metavar="LAYER", help="on a lattice every --spacing metres inside the polygons of LAYER")
    mode.add_argument("--intersections", metavar="LAYER",
                      help="at every node of the line network LAYER where --min-degree or more lines meet")
    mode.add_argument("--connect", metavar="FROM_TYPE[,TYPE...]",
                      help="link every element of these types to the nearest --to element (creates link lines)")
    mode.add_argument("--at", metavar="X,Y", action="append",
                      help="at this point in the project CRS (repeat for several)")
    opt = p.add_argument_group("layout options")
    opt.add_argument("--spacing", type=float, help="distance between elements in metres (--along: 35; --grid: required)")
    opt.add_argument("--offset", type=float, default=0.0,
                     help="--along: distance from the line in metres, to the left of its direction (negative: right)")
    opt.add_argument("--both-sides", action="store_true", help="--along: a row on each side of the line (needs --offset)")
    opt.add_argument("--align", choices=["center", "start"], default="center",
                     help="--along: centre the elements on each line (default) or start at its first vertex")
    opt.add_argument("--min-gap", type=float, metavar="M",
                     help="--along: leave out elements closer than M metres to one already placed (junctions)")
    opt.add_argument("--keep-all", action="store_true",
                     help="--along: keep elements that come closer than --offset to another line (by default "
                          "they are left out: they would stand in a crossing street)")
    opt.add_argument("--merge-by", metavar="FIELD[,FIELD]",
                     help="--along: join lines that meet end to end into streets when these fields agree "
                          "(default: all fields but per-feature ids and lengths), so the spacing runs along the "
                          "street and not per digitised segment")
    opt.add_argument("--no-merge", action="store_true", help="--along: space along every line on its own")
    opt.add_argument("--orient", choices=["along", "road", "away"],
                     help="--along: turn directional elements (cameras) along the line, towards it or away from it")
    opt.add_argument("--pattern", choices=["square", "hex"], default="square", help="--grid: lattice pattern")
    opt.add_argument("--angle", type=float, default=0.0, help="--grid: lattice rotation, degrees counter-clockwise")
    opt.add_argument("--margin", type=float, default=0.0, help="--grid: keep elements this far inside the polygons")
    opt.add_argument("--per-polygon", action="store_true",
                     help="--grid: one lattice centred on each polygon (default: one lattice over all of them)")
    opt.add_argument("--min-degree", type=int, default=3,
                     help="--intersections: lines meeting at a node (3 = T-junctions and crossings; default 3)")
    opt.add_argument("--tolerance", type=float, default=0.01,
                     help="--intersections: line ends closer than this (metres) meet (default 0.01)")
    opt.add_argument("--allow-duplicates", action="store_true",
                     help="--intersections: place an element even where one of the same type stands within "
                          "--duplicate-distance already (default: such sites are left out, so running it twice "
                          "adds nothing)")
    opt.add_argument("--duplicate-distance", type=float, default=10.0, metavar="M",
                     help="--intersections: an element of the same type this close counts as present (default 10)")
    opt.add_argument("--to", dest="to_type", metavar="TYPE", help="--connect: the type to connect to")
    opt.add_argument("--max-distance", type=float, metavar="M", help="--connect: longest link in metres")
    opt.add_argument("--link-type", default="link", help="--connect: line type of the links (default: link)")
    opt.add_argument("--relink", action="store_true",
                     help="--connect: also link elements that already have a link (default: only unlinked ones)")
    opt.add_argument("--where", metavar="FIELD=V[,V];...",
                     help="use only the features of LAYER matching, e.g. class=primary,secondary")
    opt.add_argument("--set", metavar="KEY=VALUE", action="append", default=[],
                     help="attribute value for every new element (repeatable), e.g. --set phase=二期")
    p.add_argument("--force", action="store_true",
                   help="place --at points even outside the area of use of the project CRS")
    p.add_argument("--dry-run", action="store_true", help="report what would be added; do not save")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def _attrs(pairs: list[str]) -> dict:
    from smartgis.errors import UsageError
    from smartgis.i18n import _
    out = {}
    for kv in pairs:
        k, sep, v = kv.partition("=")
        if not sep or not k.strip():
            raise UsageError(_("--set {value!r}: write KEY=VALUE", value=kv))
        out[k.strip()] = v
    return out


def _point(text: str):
    import math

    from smartgis.errors import UsageError
    from smartgis.i18n import _
    try:
        x, y = (float(v) for v in text.replace(" ", "").split(","))
        if not (math.isfinite(x) and math.isfinite(y)):
            raise ValueError(text)
    except ValueError:
        raise UsageError(_("--at {value!r}: write X,Y in the project CRS, e.g. --at 521600,3382000",
                           value=text)) from None
    return (x, y)


def place(project, args) -> tuple[str, list[str], str]:
    """Do the layout the arguments ask for; returns (operation, new uids, a description).

    The description is a localisable message (:mod:`smartgis.i18n`).
    """
    from smartgis.errors import UsageError
    from smartgis.i18n import _, join
    d = project.design
    attrs = _attrs(args.set)
    if args.connect:
        if not args.to_type:
            raise UsageError(_("--connect needs --to TYPE (the elements to connect to)"))
        if args.type_id:
            raise UsageError(_("--connect makes links of --link-type; leave out --type"))
        from_types = [t.strip() for t in args.connect.split(",") if t.strip()]
        uids = d.connect_nearest(from_types, args.to_type, args.max_distance, link_type=args.link_type,
                                 skip_linked=not args.relink, **attrs)
        if args.max_distance:
            desc = _("linking {types} to the nearest {target} within {distance:g} m", types=join(from_types),
                     target=args.to_type, distance=args.max_distance)
        else:
            desc = _("linking {types} to the nearest {target}", types=join(from_types), target=args.to_type)
        return "connect", uids, desc
    if not args.type_id:
        raise UsageError(_("give the element type with --type (see 'smartgis catalog --list')"))
    for opt in ("along", "grid", "intersections"):
        if getattr(args, opt) is not None and not getattr(args, opt).strip():
            raise UsageError(_("--{option} needs a layer name (see 'smartgis info PROJECT')", option=opt))
    if args.at:
        points = [_point(a) for a in args.at]
        uids = d.add_many(args.type_id, points, **attrs)
        outside = d.outside_area(__import__("shapely").points(points))
        if outside and not getattr(args, "force", False):   # raised before any save: nothing is written
            raise UsageError(_("{n} --at point(s) lie outside the area of use of the project CRS {crs}; check the "
                               "coordinates (X,Y = easting,northing), or add --force", n=outside, crs=project.crs),
                             project.path)
        return "at", uids, _("at {n} given point(s)", n=len(args.at))
    if args.along:
        spacing = 35.0 if args.spacing is None else args.spacing
        uids = d.place_along(args.type_id, args.along, spacing=spacing, offset=args.offset,
                             both_sides=args.both_sides, align=args.align, min_gap=args.min_gap,
                             keep_clear=not args.keep_all, orient=args.orient, where=args.where,
                             merge_by=False if args.no_merge else (args.merge_by or True), **attrs)
        extras = ([_("{offset:g} m offset", offset=args.offset)] if args.offset else []) + \
            ([_("both sides")] if args.both_sides else [])
        desc = _("along {layer!r} every {spacing:g} m", layer=args.along, spacing=spacing)
        return "along", uids, join([desc, *extras]) if extras else desc
    if args.grid:
        if args.spacing is None:
            raise UsageError(_("--grid needs --spacing (metres between elements)"))
        uids = d.place_grid(args.type_id, args.grid, args.spacing, pattern=args.pattern, angle=args.angle,
                            per_polygon=args.per_polygon,
                            margin=args.margin, where=args.where, **attrs)
        pattern = _("square") if args.pattern == "square" else _("hex")
        return "grid", uids, _("on a {pattern} grid of {spacing:g} m in {layer!r}", pattern=pattern,
                               spacing=args.spacing, layer=args.grid)
    uids = d.place_at_intersections(args.type_id, args.intersections, min_degree=args.min_degree,
                                    tolerance=args.tolerance, where=args.where,
                                    allow_duplicates=args.allow_duplicates,
                                    duplicate_distance=args.duplicate_distance, **attrs)
    return "intersections", uids, _("at the intersections of {layer!r}", layer=args.intersections)


def run(args) -> int:
    import time

    from smartgis.cli.common import ProgressBar, open_project, print_json, say
    from smartgis.i18n import _, join
    t0 = time.perf_counter()
    project = open_project(args.project, read_only=args.dry_run)
    t_open = time.perf_counter()
    before = project.design.counts()
    op, uids, desc = place(project, args)
    t_place = time.perf_counter()
    after = project.design.counts()
    added = {k: v - before.get(k, 0) for k, v in after.items() if v != before.get(k, 0)}
    saved = False
    if uids and not args.dry_run:
        project.save(progress=None if args.json else ProgressBar(_("saving")))
        saved = True
        if getattr(project, "merged_layers", None):   # another writer's elements came in
            after = project.design.counts()
    t_save = time.perf_counter()
    notes = list(project.design.last_notes)
    if args.json:
        print_json({"project": str(project.path), "operation": op, "type": args.type_id or args.link_type,
                    "added": len(uids), "added_by_type": added, "uids": uids, "counts": after, "notes": notes,
                    "saved": saved, "dry_run": bool(args.dry_run),
                    "seconds": {"open": round(t_open - t0, 4), "place": round(t_place - t_open, 4),
                                "save": round(t_save - t_place, 4), "total": round(t_save - t0, 4)}})
        return 0
    names = []
    for tid, n in added.items():
        t = project.catalog.get(tid)
        names.append(f"{n:,} {tid} ({t.label('zh')} / {t.label('en')})")
    what = join(names) if names else _("nothing")
    say(_("added {what} {how} in {seconds:.2f} s", what=what, how=desc, seconds=t_place - t_open))
    for note in notes:
        say(_("  note: {note}", note=note))
    if saved and getattr(project, "team", None) is not None:
        # a team project: only the changed rows were written, there is no backup file
        say(_("saved to {path} in {seconds:.2f} s", path=project.path, seconds=t_save - t_place))
    elif saved:
        say(_("saved {path} in {seconds:.2f} s (previous version kept as {backup})", path=project.path,
              seconds=t_save - t_place, backup=f"{project.path.name}.bak"))
    elif args.dry_run:
        say(_("dry run: the project was not changed"))
    say(_("design now: {total:,} elements ({counts})", total=sum(after.values()),
          counts=join(f"{k} {v:,}" for k, v in after.items())))
    return 0
