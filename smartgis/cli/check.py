"""``smartgis check PROJECT [--standard ID]… [--standard-file F] [--json] [--html F] [--pdf F]``.

Checks the design against the standards, rule by rule.  Exit code 0 when every
mandatory and required rule passes, 1 when one fails, 2 on bad input.  The run is saved into the
project (with the gaps as a layer) unless ``--no-save``.
"""

from __future__ import annotations

from smartgis.analysis.outcome import format_threshold, format_value
from smartgis.i18n import _

ORDER = 70

#: The words of the results table, as messages (Chinese with ``SMARTGIS_LANG=zh`` or
#: ``--lang zh``; catalogue ``messages/reports.json``).
STATUS_LABEL = {"pass": _("PASS"), "fail": _("FAIL"), "warning": _("WARN"), "na": _("n/a")}
SEVERITY_LABEL = {"mandatory": _("mandatory"), "required": _("required"), "recommended": _("recommended"),
                  "reference": _("reference")}
HEADERS = (_("STATUS"), _("SEVERITY"), _("RULE"), _("CLAUSE"), _("VALUE"), _("THRESHOLD"), _("UNIT"))


def _width(text: str) -> int:
    """Columns a text takes in a terminal (CJK characters take two)."""
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def register(sub) -> None:
    p = sub.add_parser("check", help="check the design against the standards",
                       description="Check the design against the standards library (GB 50180, GB 51080, HJ 664 …) "
                                   "rule by rule: status, value, threshold, clause. Numbers not verified in a copy "
                                   "of the standard are marked as reference values. Severity tiers: mandatory "
                                   "(强制性条文), required (应), recommended (宜), reference. Exit code 0 when every "
                                   "mandatory and required rule passes, 1 when one fails, 2 on bad input.")
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
    p.add_argument("--phase", metavar="NAME",
                   help="check the city after this construction phase of the plan: existing elements and "
                        "those of the phases up to NAME")
    p.set_defaults(func=run)




def print_table(result, lang: str, messages: str | None = None) -> None:
    """The results as a table; titles in ``lang``, reasons, notes, headers and the summary
    in ``messages`` (default: the messages' language, English unless ``SMARTGIS_LANG=zh``)."""
    import sys

    from smartgis.analysis.report_html import unit_text
    from smartgis.analysis.standards import REFERENCE_NOTE
    from smartgis.i18n import get_language, localize, translate
    table_lang = "zh" if (messages or get_language()) == "zh" else "en"
    print(f"{result.project_name}  ({result.project_path or translate('not saved', table_lang)})")
    print(translate("standards: {editions}", table_lang,
                    editions=", ".join(f"{s['edition']}" for s in result.standards)))
    for n in result.notes:
        print(translate("note: {note}", table_lang, note=localize(n, messages)))
    rows = []
    for r in result.rules:
        rule = r.rule
        thr = format_threshold(rule.comparison, r.threshold)
        mark = "*" if not rule.verified else " "
        text = rule.label(lang)
        extra = localize(r.reason, messages) or "; ".join(localize(d, messages) for d in r.details[:2])
        status = localize(STATUS_LABEL[r.status], table_lang)
        severity = localize(SEVERITY_LABEL[rule.severity], table_lang) if rule.severity in SEVERITY_LABEL \
            else rule.severity
        rows.append((status, severity, rule.id, rule.clause, format_value(r.value), thr,
                     unit_text(rule.unit, table_lang), mark, text, extra))
    h = [localize(w, table_lang) for w in HEADERS]
    w_st = max([_width(x[0]) for x in rows] + [_width(h[0])])
    w_sev = max([_width(x[1]) for x in rows] + [_width(h[1])])
    w_id = max([len(x[2]) for x in rows] + [_width(h[2])])
    w_cl = min(max([_width(x[3]) for x in rows] + [6]), 16)
    print(f"{_pad(h[0], w_st)} {_pad(h[1], w_sev)} {_pad(h[2], w_id)} {_pad(h[3], w_cl)} {_pad(h[4], 10, True)} "
          f"{_pad(h[5], 11, True)} {h[6]}")
    for st, sev, rid, cl, val, thr, unit, mark, text, extra in rows:
        print(f"{_pad(st, w_st)} {_pad(sev, w_sev)} {rid:<{w_id}} {_pad(cl[:w_cl], w_cl)} {val:>10} {thr:>11} "
              f"{unit} {mark}".rstrip())
        line = f"{'':{w_st}} {text}"
        if extra:
            line += f" — {extra}"
        print(line[:240])
    s = result.summary
    if any(not r.rule.verified for r in result.rules):
        print(f"* {REFERENCE_NOTE[table_lang]}")
    print(translate("summary: {passed} pass, {failed} fail, {warned} warn, {na} n/a ({seconds} s)", table_lang,
                    passed=s["pass"], failed=s["fail"], warned=s["warn"], na=s["na"],
                    seconds=f"{result.elapsed_s:.2f}"))
    sys.stdout.flush()


def list_rules(lib, lang: str) -> None:
    from smartgis.analysis.standards import REFERENCE_NOTE
    for std in lib:
        state = f", withdrawn {std.withdrawn} → {std.replaced_by}" if std.status == "withdrawn" else ""
        print(f"{std.id}  {std.edition}  {std.label(lang)}  ({std.kind}, {len(std.rules)} rules, {std.origin}{state})")
        for r in std.rules:
            mark = "" if r.verified else f"  [{REFERENCE_NOTE[lang]}]"
            thr = "" if r.threshold is None else f" {r.comparison} {r.threshold:g} {r.unit}"
            print(f"    {r.local_id:<28} {r.clause:<14} {r.severity:<12} {r.metric}{thr}{mark}")


def _indicator_table(project, lang: str, lib):
    """The indicator table for the report (None, with a note, when the system cannot be read)."""
    from smartgis.cli.common import say
    from smartgis.errors import SmartGISError
    from smartgis.indicators.report import project_table
    try:
        return project_table(project, lang, library=lib)
    except SmartGISError as exc:
        say(exc.message, err=True)
        return None


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
    keep = None
    if args.phase:
        from smartgis.plan import plan_of
        from smartgis.plan.phasecheck import phase_keep
        try:
            keep = phase_keep(project, plan_of(project), args.phase)
        except UsageError as exc:
            raise UsageError(exc.message, project.path) from None
    result = run_check(project, standards=standards or None, progress=bar, rules=args.rule or None, library=lib,
                       keep=keep)
    if keep is not None:
        result.notes.insert(0, _("the city after phase {phase}: existing elements and those built up to it "
                                 "({n} elements)", phase=args.phase, n=keep.count))
    if args.json:
        print_json(result.to_json())
    else:
        print_table(result, lang, args.lang)
        if keep is not None:
            s = result.summary
            print(f"after {args.phase}: {s['pass']} pass, {s['fail']} fail, {s['warn']} warn "
                  f"({keep.count} elements; 'smartgis report' compares the phases)")
    table = _indicator_table(project, lang, lib) if (args.html or args.pdf) else None
    if args.html:
        from smartgis.analysis.report_html import write_html
        write_html(result, project, args.html, lang=lang, indicators=table)
        say(_("wrote {path}", path=args.html), err=args.json)
    if args.pdf:
        from smartgis.render.report_pdf import write_pdf
        write_pdf(result, project, args.pdf, lang=lang, indicators=table)
        say(_("wrote {path}", path=args.pdf), err=args.json)
    if not args.no_save:
        _runs.save_run(project, result)
        project.save()
        say(_("saved run {run} into {path}", run=result.run_id, path=project.path), err=args.json)
    return 1 if result.failed else 0
