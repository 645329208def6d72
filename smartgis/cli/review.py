"""``smartgis review PROJECT`` — review comments and sign-offs, for scripted reviews.

::

    smartgis review design.gpkg --list [--json] [--status open]
    smartgis review design.gpkg --add-comment "摄像机覆盖不足" --at 544300,3370300 --author 王建华
    smartgis review design.gpkg --add-comment "未联网" --element 3fa2c81e0b9d4471 --author 王建华
    smartgis review design.gpkg --resolve 3 --author 李明远 --note "已补充"
    smartgis review design.gpkg --sign-off --decision revise --reviewer 王建华 --note "补充后再审"

The project is opened read-only; only the review tables are written.
"""

from __future__ import annotations

from smartgis.i18n import _

ORDER = 80


def register(sub) -> None:
    p = sub.add_parser(
        "review", help="list, add and resolve review comments; sign off a design",
        description="Review comments pinned to a map location or a design element, and sign-offs "
                    "(approve / revise / reject). The project is opened read-only: only the review tables "
                    "are written, every design and data table keeps each byte. Without an action, lists.")
    p.add_argument("project", metavar="PROJECT", help="project file (.gpkg)")
    act = p.add_mutually_exclusive_group()
    act.add_argument("--list", action="store_true", help="list comments and sign-offs (the default)")
    act.add_argument("--add-comment", metavar="TEXT", help="add a comment (with --at or --element, and --author)")
    act.add_argument("--resolve", metavar="ID", help="mark comment ID (its number, e.g. 3 or #3) resolved")
    act.add_argument("--reopen", metavar="ID", help="open a resolved comment again")
    act.add_argument("--sign-off", action="store_true", help="record a decision (with --decision and --reviewer)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--at", metavar="X,Y", help="pin the comment here: easting,northing in the project CRS")
    where.add_argument("--element", metavar="UID", help="pin the comment on this design element")
    p.add_argument("--author", metavar="NAME", help="who writes the comment (or resolves it)")
    p.add_argument("--decision", choices=["approve", "revise", "reject"], help="the sign-off decision")
    p.add_argument("--reviewer", metavar="NAME", help="who signs off")
    p.add_argument("--note", default="", help="sign-off note, or the answer when resolving")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="sign-off date (default: today)")
    p.add_argument("--status", choices=["open", "resolved", "all"], default="all", help="which comments to list")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def _xy(text: str):
    from smartgis.errors import UsageError
    from smartgis.i18n import _
    parts = text.replace(";", ",").split(",")
    try:
        x, y = (float(v) for v in parts)
    except ValueError:
        raise UsageError(_("--at {value!r}: give X,Y (easting,northing), e.g. --at 544300,3370300",
                           value=text)) from None
    return x, y


def _check(args) -> None:
    from smartgis.errors import UsageError
    from smartgis.i18n import _
    if args.add_comment is not None:
        if not args.at and not args.element:
            raise UsageError(_("--add-comment needs --at X,Y or --element UID"))
        if not args.author:
            raise UsageError(_("--add-comment needs --author NAME"))
    elif args.at or args.element:
        raise UsageError(_("--at and --element go with --add-comment"))
    if args.sign_off:
        if not args.decision:
            raise UsageError(_("--sign-off needs --decision approve|revise|reject"))
        if not args.reviewer:
            raise UsageError(_("--sign-off needs --reviewer NAME"))
    elif args.decision or args.reviewer:
        raise UsageError(_("--decision and --reviewer go with --sign-off"))


def run(args) -> int:
    _check(args)
    from smartgis.cli.common import open_project, print_json, say
    from smartgis.i18n import _
    from smartgis.review import Review, review_of
    project = open_project(args.project, read_only=True)
    review: Review = review_of(project)
    done = None
    if args.add_comment is not None:
        at = _xy(args.at) if args.at else None
        c = review.add_comment(args.add_comment, args.author, at=at, element=args.element)
        done = ("comment_added", c)
    elif args.resolve:
        c = review.resolve(args.resolve, by=args.author or project.metadata.get("designer") or None, note=args.note)
        done = ("comment_resolved", c)
    elif args.reopen:
        c = review.reopen(args.reopen, by=args.author, note=args.note)
        done = ("comment_reopened", c)
    elif args.sign_off:
        s = review.sign_off(args.reviewer, args.decision, note=args.note, date=args.date)
        done = ("signed_off", s)
    if done is not None:
        review.save()
    if args.json:
        obj = review.to_dict()
        if args.status != "all":
            obj["comments"] = [c for c in obj["comments"] if c["status"] == args.status]
        if done is not None:
            obj["action"] = {"kind": done[0], "record": done[1].to_dict()}
        print_json(obj)
        return 0
    if done is not None:
        kind, rec = done
        if kind == "signed_off":
            say(_("signed off: {decision} by {reviewer} on {date} ({n} comment(s) open) — saved to {path}",
                  decision=rec.decision, reviewer=rec.reviewer, date=rec.date, n=rec.open_comments,
                  path=project.path))
        else:
            done_text = {"comment_added": _("comment added"), "comment_resolved": _("comment resolved"),
                         "comment_reopened": _("comment reopened")}[kind]
            say(_("{done}: {comment} [{status}] {text} — saved to {path}", done=done_text, comment=rec.label,
                  status=rec.status, text=rec.text, path=project.path))
        return 0
    _print_listing(review, args.status)
    return 0


#: Words of the listing that are values (comment status, sign-off decision).
STATUS_WORDS = {"open": _("open"), "resolved": _("resolved")}
DECISION_WORDS = {"approve": _("approve"), "revise": _("revise"), "reject": _("reject")}


def _print_listing(review, status: str) -> None:
    """The comments and sign-offs in the command line's language, times in the local zone."""
    from smartgis.cli.common import say
    from smartgis.core.times import show
    s = review.summary()
    p = review.project
    print(f"{p.name}  ({p.path})")
    say(_("  {n} comment(s): {open} open, {resolved} resolved; {signoffs} sign-off(s)", n=s["comments"],
          open=s["open"], resolved=s["resolved"], signoffs=s["signoffs"]))
    for c in review.comments(None if status == "all" else status):
        where = (_("element {type} {uid}", type=c.element_type, uid=c.element_uid) if c.element_uid
                 else _("at {x},{y}", x=f"{c.x:.1f}", y=f"{c.y:.1f}") if c.x is not None else "")
        say(_("  {label} [{status}] {author} {time}  {where}", label=f"{c.label:>4}",
              status=STATUS_WORDS.get(c.status, c.status), author=c.author, time=show(c.created), where=where))
        print(f"       {c.text}")
        if c.resolution or c.resolved_by:
            print(f"       → {c.resolved_by or ''} {show(c.resolved_at)}: {c.resolution or ''}".rstrip())
    for so in review.signoffs():
        changed = review.design_changed_since(so)
        flag = _("  (the design changed since)") if changed else ""
        say(_("  sign-off: {decision} by {reviewer} on {date}, {n} open{flag}",
              decision=DECISION_WORDS.get(so.decision, so.decision), reviewer=so.reviewer, date=so.date,
              n=so.open_comments, flag=flag))
        if so.note:
            print(f"       {so.note}")
