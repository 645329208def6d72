"""``smartgis plan PROJECT`` — the top-level design plan: phases, key projects, items, costs.

::

    smartgis plan design.gpkg [--json]
    smartgis plan design.gpkg phase add 近期 --years 2026-2027
    smartgis plan design.gpkg project add P01 --name 视频感知 --phase 近期 --lead 公安分局 \\
        [--support 城管局,交通局] [--funding 财政资金] [--layer perception]
    smartgis plan design.gpkg project assign P01 --type camera [--where mount=ptz] [--within 重点区域]
    smartgis plan design.gpkg item add P05 --name 城市运行管理平台 --cost 8000000 [--quantity 1] [--unit 套]
    smartgis plan design.gpkg cost camera:ptz=26000 fibre_backbone=160 …
"""

from __future__ import annotations

ORDER = 76

LAYER_CHOICES = ("perception", "network", "data", "platform", "application", "security")


def register(sub) -> None:
    p = sub.add_parser(
        "plan", help="the plan: phases, key projects, items, unit costs and investment",
        description="The top-level design plan after GB/T 36333: construction phases, key projects (layer, "
                    "phase, lead and supporting departments, funding), the design elements and non-spatial "
                    "items of each, unit costs, and the investment they add up to. Without an action, prints "
                    "the plan.")
    p.add_argument("project", metavar="PROJECT", help="project file (.gpkg)")
    p.add_argument("--json", action="store_true", help="print the plan as one JSON object")
    acts = p.add_subparsers(dest="what", metavar="ACTION", parser_class=type(p))

    ph = acts.add_parser("phase", help="add a construction phase").add_subparsers(
        dest="action", required=True, metavar="add", parser_class=type(p))
    a = ph.add_parser("add", help="add a phase after the others (or change its years)")
    a.add_argument("name", metavar="NAME", help="近期, 中期, 远期, 一期 …")
    a.add_argument("--years", required=True, metavar="START-END", help="e.g. 2026-2027")
    a.add_argument("--goal", default="", help="what the city reaches after the phase (总体目标)")

    pr = acts.add_parser("project", help="add a key project or assign elements to it").add_subparsers(
        dest="action", required=True, metavar="add|assign", parser_class=type(p))
    a = pr.add_parser("add", help="add a key project")
    a.add_argument("id", metavar="ID")
    a.add_argument("--name", required=True, metavar="N")
    a.add_argument("--phase", required=True, metavar="NAME")
    a.add_argument("--lead", required=True, metavar="DEPT", help="lead department (牵头单位)")
    a.add_argument("--support", default="", metavar="D1,D2", help="supporting departments (配合单位)")
    a.add_argument("--funding", default="", metavar="F", help="funding source: 财政资金, 专项债, 社会资本, PPP …")
    a.add_argument("--layer", choices=LAYER_CHOICES, help="architecture layer (default: that of its elements)")
    a.add_argument("--content", default="", help="construction content (建设内容)")
    a = pr.add_parser("assign", help="assign design elements to a key project")
    a.add_argument("id", metavar="ID")
    a.add_argument("--type", required=True, metavar="T", help="element type id (camera, smart_pole …)")
    a.add_argument("--where", metavar="EXPR", help="only elements with FIELD=V[,V][;FIELD=V…]")
    a.add_argument("--within", metavar="LAYER", help="only elements inside the polygons of this layer")

    it = acts.add_parser("item", help="add a non-spatial item to a key project").add_subparsers(
        dest="action", required=True, metavar="add", parser_class=type(p))
    a = it.add_parser("add", help="add a platform, software, data or service item")
    a.add_argument("id", metavar="ID", help="the key project")
    a.add_argument("--name", required=True, metavar="N")
    a.add_argument("--cost", required=True, type=float, metavar="CNY", help="unit cost in yuan")
    a.add_argument("--quantity", type=float, default=1.0, metavar="Q")
    a.add_argument("--unit", default="项", metavar="U")

    c = acts.add_parser("cost", help="set this project's unit costs (CNY per element, metre or m²)")
    c.add_argument("costs", nargs="+", metavar="TYPE[:VARIANT]=CNY")
    c.add_argument("--source", default="", help="where the figures come from")
    c.add_argument("--year", type=int, help="price year")
    p.set_defaults(func=run)


def _yuan(v: float) -> str:
    return f"{v / 1e4:,.1f} 万元"


def print_plan(project, inv, lang: str) -> None:
    from smartgis.plan.layers import layer_label
    plan = inv.plan
    print(f"{project.name}  ({project.path})")
    if plan.is_empty:
        print("no plan yet: add phases with 'smartgis plan PROJECT phase add NAME --years START-END'")
    for ph in plan.phases:
        print(f"phase {ph.name:<6} {ph.years():<10} {_yuan(inv.by_phase().get(ph.name, 0.0)):>16}")
    for pc in inv.projects:
        kp = pc.project
        els = ", ".join(f"{t} {n}" for t, n in pc.elements.items()) or "-"
        print(f"{kp.id:<6} {kp.name}  [{kp.phase} · {layer_label(pc.layer, lang)} · {kp.lead}"
              f"{' / ' + '、'.join(kp.support) if kp.support else ''} · {kp.funding or '-'}]  "
              f"{_yuan(pc.investment_cny)}")
        print(f"{'':6} elements: {els}; items: {len(kp.items)}")
    print(f"total: {_yuan(inv.total_cny)}")
    if inv.unassigned:
        print("unassigned: " + ", ".join(f"{t} {n}" for t, n in inv.unassigned.items()))
    if inv.no_unit_cost:
        print("no unit cost: " + ", ".join(inv.no_unit_cost))


def run(args) -> int:
    from smartgis.cli.common import open_project, print_json
    from smartgis.errors import UserError
    from smartgis.plan import compute, plan_of

    editing = args.what is not None
    project = open_project(args.project, read_only=not editing)
    plan = plan_of(project)
    try:
        _edit(args, project, plan)
    except UserError as exc:
        if exc.path is None:   # the message names the project file it is about
            raise type(exc)(exc.message, project.path) from None
        raise
    if editing:
        project.save()
    inv = compute(project, plan)
    if args.json:
        print_json(inv.to_json())
    elif not editing:
        print_plan(project, inv, project.language if project.language in ("zh", "en") else "zh")
    return 0


def _edit(args, project, plan) -> None:
    from smartgis.cli.common import say
    from smartgis.i18n import _
    from smartgis.plan import parse_cost_spec, parse_years
    if args.what == "phase":
        start, end = parse_years(args.years)
        plan.add_phase(args.name, start, end, args.goal)
        say(_("phase {phase} ({start}–{end})", phase=args.name, start=start, end=end))
    elif args.what == "project" and args.action == "add":
        plan.add_project(args.id, args.name, args.phase, lead=args.lead, support=args.support,
                         funding=args.funding, layer=args.layer or "", content=args.content)
        say(_("key project {id}: {name}", id=args.id, name=args.name))
    elif args.what == "project" and args.action == "assign":
        from smartgis.plan.select import select_elements
        plan.key_project(args.id)
        uids = select_elements(project, args.type, args.where, args.within)
        plan.assign(args.id, uids, [args.type] * len(uids))
        say(_("assigned {n} {type} elements to {id}", n=len(uids), type=args.type, id=args.id))
    elif args.what == "item":
        plan.add_item(args.id, args.name, args.cost, args.quantity, args.unit)
        say(_("item {name} added to {id}", name=args.name, id=args.id))
    elif args.what == "cost":
        specs = [parse_cost_spec(s) for s in args.costs]   # all checked before any is set
        from smartgis.plan.costs import check_variant
        for tid, variant, _cny in specs:
            check_variant(project.catalog.get(tid), variant, plan.catalog_costs)
        for tid, variant, cny in specs:
            plan.set_cost(tid, variant, cny, source=args.source, year=args.year)
        say(_("{n} unit costs set", n=len(specs)))
