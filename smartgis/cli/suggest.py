"""``smartgis suggest PROJECT --rule ID [--apply] [--json]`` — close the gaps of a failed rule."""

from __future__ import annotations

ORDER = 74


def register(sub) -> None:
    p = sub.add_parser("suggest", help="propose new elements that make a failed rule pass",
                       description="For a failed coverage or distance rule, propose the fewest new elements "
                                   "(greedy maximal covering over sites on the road network or a grid, keeping the "
                                   "existing elements) that lift it to its threshold. --apply adds them to the design "
                                   "as one undoable step and saves the project.")
    p.add_argument("project", metavar="PROJECT", help="project file (.gpkg)")
    p.add_argument("--rule", required=True, metavar="ID", help="rule id, e.g. GB50180-2018/primary_school_radius")
    p.add_argument("--standard-file", action="append", default=[], metavar="F", help="a standards file of your own")
    p.add_argument("--max", type=int, default=500, metavar="N", help="at most N new elements (default 500)")
    p.add_argument("--apply", action="store_true", help="add the proposed elements and save the project")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def run(args) -> int:
    from smartgis.analysis.outcome import format_short
    from smartgis.analysis.suggest import apply, suggest
    from smartgis.cli.common import ProgressBar, open_project, print_json
    from smartgis.errors import UsageError
    from smartgis.i18n import _, bilingual, join, localizable, localize

    if args.max < 1:
        raise UsageError(_("--max must be at least 1"))
    project = open_project(args.project, read_only=not args.apply)
    s = suggest(project, args.rule, standard_files=args.standard_file, max_new=args.max,
                progress=ProgressBar(_("choosing"), enabled=None if not args.json else False))
    out = s.to_json()
    uids = []
    if args.apply and s.count:
        uids = apply(project, s)
        project.save()
    out["applied"] = bool(uids)
    if args.json:
        print_json(out)
        return 0
    from smartgis.i18n import get_language
    t = project.catalog.get(s.type_id)
    from smartgis.analysis.report_html import unit_message
    unit = unit_message(s.rule.unit)     # in the messages' language, like the rest of the line
    fmt = (lambda v: "—" if v is None else f"{v:.2f}")
    # a value short of the threshold never reads as the threshold ("100.00 … still short")
    after = fmt(s.after) if s.met or s.after is None or s.threshold is None else format_short(s.after, s.threshold)
    print(f"{s.rule.id}: {s.rule.label(get_language())}")
    if not s.count:
        print("  " + localize(join(s.notes, "; ") if s.notes else _("nothing to propose")))
        return 0
    proposal = _("{n} new {type} ({id}): {before} → {after} {unit} (threshold {threshold} {unit})", n=s.count,
                 type=bilingual({"en": t.label("en"), "zh": t.label("zh")}), id=s.type_id, before=fmt(s.before), after=after, unit=unit,
                 threshold=fmt(s.threshold))
    print("  " + localize(proposal if s.met else _("{proposal} — still short", proposal=proposal)))
    for x, y in s.points:
        print(f"  {x:.1f} {y:.1f}")
    for n in s.notes:
        print("  " + localize(_("note: {note}", note=localizable(n))))
    if uids:
        print("  " + localize(_("added {n} elements to the design (one undo step) and saved {path}", n=len(uids),
                                path=project.path)))
    else:
        print("  " + localize(_("(use --apply to add them to the design)")))
    return 0
