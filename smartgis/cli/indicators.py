"""``smartgis indicators PROJECT [--system ID] [--phase NAME] [--json]`` and
``smartgis indicators PROJECT --set ID --current V [--target V --phase NAME] [--evidence TEXT]``.

Scores the city against an indicator system (GB/T 33356-2022 by default): per indicator,
per level and in total out of 100, for 现状 and each construction phase, with the
maturity level.  Indicators the map measures are derived from the design; the others
are entered with ``--set`` and saved in the project file.
"""

from __future__ import annotations

ORDER = 71


def register(sub) -> None:
    p = sub.add_parser("indicators", help="score the city against an indicator system (GB/T 33356, MOHURD 2012)",
                       description="Score the city against an indicator system: GB/T 33356-2022 (default), "
                                   "GB/T 33356-2016 or the MOHURD 2012 pilot index. Per indicator 现状 and target, "
                                   "score per level and in total (out of 100) for 现状 and each phase, and the "
                                   "maturity level. Indicators the map measures are derived from the design (the "
                                   "same computation as `smartgis check`); enter the others with --set.")
    p.add_argument("project", metavar="PROJECT", help="project file (.gpkg)")
    p.add_argument("--system", metavar="ID", help="indicator system id (GBT33356-2022, GBT33356-2016, MOHURD-2012)")
    p.add_argument("--system-file", metavar="F", help="an indicator system file of your own "
                                                       "(JSON, see docs/indicators-format.md)")
    p.add_argument("--level-file", metavar="F", help="a maturity level file of your own (default: the shipped "
                                                      "five levels)")
    p.add_argument("--phase", metavar="NAME", help="score this phase (default: 现状); with --set, the phase "
                                                   "of --target")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--set", metavar="ID", dest="set_id", help="enter values of this indicator")
    p.add_argument("--current", type=float, metavar="V", help="with --set: the current value (现状)")
    p.add_argument("--target", type=float, metavar="V", help="with --set and --phase: the target of that phase")
    p.add_argument("--evidence", metavar="TEXT", help="with --set: evidence (a text, a file name or a check rule id)")
    p.set_defaults(func=run)


def _fmt(v) -> str:
    if v is None:
        return "—"
    return f"{v:,.2f}".rstrip("0").rstrip(".") if abs(v) < 1e6 else f"{v:,.0f}"


def print_table(a, phase, lang: str) -> None:
    from smartgis.indicators import CURRENT
    stage = a.stage(phase)
    target = a.target_stage(phase)
    s = a.system
    print(f"{s.edition}  {s.label(lang)}  ({len(s.indicators)} indicators)")
    print(f"{'ID':<10} {'WEIGHT':>6} {CURRENT:>9} {target:>9} {'SCORE':>7}  INDICATOR")
    for d, subs in a.groups():
        got, most = a.domain_score(d.id, stage)
        print(f"== {d.label(lang)}  {_fmt(got)} / {_fmt(most)}  ({a.domain_level(d.id, stage).label(lang)})")
        for _label, rows in subs:
            for r in rows:
                ind = r.indicator
                mark = "" if ind.verified else " *"
                how = " [map]" if ind.derived else ""
                print(f"{ind.id:<10} {ind.weight:>6g} {_fmt(r.values.get(CURRENT)):>9} {_fmt(r.values.get(target)):>9} "
                      f"{r.scores.get(stage, 0.0):>7.2f}  {ind.label(lang)} ({ind.unit}){how}{mark}")
    print("totals: " + " → ".join(f"{st} {a.score(st):.2f} ({a.level(st).label(lang)})" for st in a.stages))
    print(f"score ({stage}): {a.score(stage):.2f} / {s.total_weight:g}, level {a.level(stage).label(lang)}")
    print("* weight or item not verified in a published copy — reference value; [map] derived from the design")


def run(args) -> int:
    from smartgis.analysis.standards import Library
    from smartgis.cli.common import open_project, print_json, say
    from smartgis.errors import UsageError
    from smartgis.i18n import _
    from smartgis.indicators import CURRENT, assess, get_system, set_value, stages_of

    system = get_system(args.system, args.system_file)   # a bad system fails before the project is read
    if args.set_id is None:
        for flag, v in (("--current", args.current), ("--target", args.target), ("--evidence", args.evidence)):
            if v is not None:
                raise UsageError(_("{option} needs --set ID", option=flag))
        project = open_project(args.project)
        lang = project.language if project.language in ("zh", "en") else "zh"
        a = assess(project, system, levels=args.level_file, library=Library.load())
        a.stage(args.phase)  # an unknown phase is an error naming the phases
        if args.json:
            print_json(a.to_json(args.phase, lang))
        else:
            print_table(a, args.phase, lang)
        return 0
    ind = system.indicator(args.set_id)
    if args.target is not None and not args.phase:
        raise UsageError(_("--target needs --phase NAME"))
    if args.current is None and args.target is None and args.evidence is None:
        raise UsageError(_("--set needs --current, --target or --evidence"))
    if ind.derived and (args.current is not None or args.target is not None):
        raise UsageError(_("indicator {indicator} is measured on the map; its values cannot be entered "
                           "(add or edit elements instead)", indicator=ind.id))
    if args.phase in (CURRENT, "current"):
        raise UsageError(_("--phase: give a construction phase; 现状 is entered with --current"))
    project = open_project(args.project, read_only=False)
    if args.current is not None or (args.evidence is not None and args.target is None):
        set_value(project, system.id, ind.id, CURRENT, args.current, args.evidence)
    if args.target is not None:
        set_value(project, system.id, ind.id, args.phase, args.target, args.evidence)
    project.save()
    stages = stages_of(project, system.id)
    say(_("saved {indicator} into {path} (stages: {stages})", indicator=ind.id, path=project.path,
          stages=", ".join(stages)))
    return 0
