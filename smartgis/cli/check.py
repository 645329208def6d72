"""``smartgis check PROJECT [--standard ID]… [--standard-file F] [--json] [--html F] [--pdf F]``.

Checks the design against the standards, rule by rule.  Exit code 0 when every
mandatory rule passes, 1 when one fails, 2 on bad input.  The run is saved into the
project (with the gaps as a layer) unless ``--no-save``.
"""

from __future__ import annotations

from smartgis.analysis.outcome import format_threshold, format_value

ORDER = 70

STATUS_LABEL = {"pass": "PASS", "fail": "FAIL", "warning": "WARN", "na": "n/a"}


def register(sub) -> None:
    p = sub.add_parser("check", help="check the design against the standards",
                       description="Check the design against the standards library (GB 50180, GB 51080, HJ 664 …) "
                                   "rule by rule: status, value, threshold, clause. Numbers not verified in a copy "
                                   "of the standard are marked as reference values. Exit code 0 when every mandatory "
                                   "rule passes, 1 when one fails, 2 on bad input.")
    p.add_argument("project", metavar="PROJECT", help="project file (.gpkg)")
    p.add_argument("--standard", action="append", default=[], metavar="ID",
                   help="check only this standard (repeatable; default: all, or the project's choice)")
    p.add_argument("--standard-file", action="append", default=[], metavar="F",
                   help="a standards file of your own (JSON, see docs/standards-format.md); repeatable")
    p.add_argument("--rule", action="append", default=[], metavar="ID", help="check only this rule (repeatable)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--html", metavar="F", help="write an HTML report")
    p.add_argument("--pdf", metavar="F", help="write a PDF report")
    p.add_argument("--no-save", action="store_true", help="do not store the run in the project file")
    p.add_argument("--lang", choices=("zh", "en"),
                   help="language of titles and reports (default: the project's); given, also of the reasons "
                        "in the table (default: English, or SMARTGIS_LANG)")
    p.add_argument("--list", action="store_true", help="list the standards and rules, check nothing")
    p.set_defaults(func=run)




def print_table(result, lang: str, messages: str | None = None) -> None:
    """The results as a table; titles in ``lang``, reasons and notes in ``messages``
    (default: the messages' language, English unless ``SMARTGIS_LANG=zh``)."""
    import sys

    from smartgis.analysis.report_html import unit_text
    from smartgis.analysis.standards import REFERENCE_NOTE
    from smartgis.i18n import localize
    print(f"{result.project_name}  ({result.project_path or 'not saved'})")
    print("standards: " + ", ".join(f"{s['edition']}" for s in result.standards))
    for n in result.notes:
        print(f"note: {localize(n, messages)}")
    rows = []
    for r in result.rules:
        rule = r.rule
        thr = format_threshold(rule.comparison, r.threshold)
        mark = "*" if not rule.verified else " "
        text = rule.label(lang)
        extra = localize(r.reason, messages) or "; ".join(localize(d, messages) for d in r.details[:2])
        rows.append((STATUS_LABEL[r.status], rule.id, rule.clause, format_value(r.value), thr, unit_text(rule.unit, lang),
                     mark, text, extra))
    w_id = max([len(x[1]) for x in rows] + [4])
    w_cl = min(max([len(x[2]) for x in rows] + [6]), 16)
    print(f"{'STATUS':<6} {'RULE':<{w_id}} {'CLAUSE':<{w_cl}} {'VALUE':>10} {'THRESHOLD':>11} UNIT")
    for st, rid, cl, val, thr, unit, mark, text, extra in rows:
        print(f"{st:<6} {rid:<{w_id}} {cl[:w_cl]:<{w_cl}} {val:>10} {thr:>11} {unit} {mark}".rstrip())
        line = f"{'':6} {text}"
        if extra:
            line += f" — {extra}"
        print(line[:240])
    s = result.summary
    if any(not r.rule.verified for r in result.rules):
        print(f"* {REFERENCE_NOTE[lang]}")
    print(f"summary: {s['pass']} pass, {s['fail']} fail, {s['warn']} warn, {s['na']} n/a "
          f"({result.elapsed_s:.2f} s)")
    sys.stdout.flush()


def list_rules(lib, lang: str) -> None:
    from smartgis.analysis.standards import REFERENCE_NOTE
    for std in lib:
        print(f"{std.id}  {std.edition}  {std.label(lang)}  ({std.kind}, {len(std.rules)} rules, {std.origin})")
        for r in std.rules:
            mark = "" if r.verified else f"  [{REFERENCE_NOTE[lang]}]"
            thr = "" if r.threshold is None else f" {r.comparison} {r.threshold:g} {r.unit}"
            print(f"    {r.local_id:<28} {r.clause:<14} {r.severity:<12} {r.metric}{thr}{mark}")


def run(args) -> int:
    from pathlib import Path

    from smartgis.analysis import runs as _runs
    from smartgis.analysis.check import run_check
    from smartgis.analysis.standards import Library
    from smartgis.cli.common import ProgressBar, open_project, print_json, say
    from smartgis.errors import UsageError
    from smartgis.i18n import _

    lib = Library.load(args.standard_file)
    if args.list:
        list_rules(lib, args.lang or "zh")
        return 0
    for flag, path in (("--html", args.html), ("--pdf", args.pdf)):
        if path and not Path(path).absolute().parent.is_dir():
            raise UsageError(_("{option}: the folder of {path} does not exist", option=flag, path=path))
    standards = list(args.standard)
    for s in standards:
        lib.get(s)  # unknown ids fail before the project is read
    project = open_project(args.project, read_only=args.no_save)
    lang = args.lang or (project.language if project.language in ("zh", "en") else "zh")
    bar = ProgressBar(_("checking"), enabled=None if not args.json else False)
    result = run_check(project, standards=standards or None, progress=bar, rules=args.rule or None, library=lib)
    if args.json:
        print_json(result.to_json())
    else:
        print_table(result, lang, args.lang)
    if args.html:
        from smartgis.analysis.report_html import write_html
        write_html(result, project, args.html, lang=lang)
        say(_("wrote {path}", path=args.html), err=args.json)
    if args.pdf:
        from smartgis.render.report_pdf import write_pdf
        write_pdf(result, project, args.pdf, lang=lang)
        say(_("wrote {path}", path=args.pdf), err=args.json)
    if not args.no_save:
        _runs.save_run(project, result)
        project.save()
        say(_("saved run {run} into {path}", run=result.run_id, path=project.path), err=args.json)
    return 1 if result.failed else 0
