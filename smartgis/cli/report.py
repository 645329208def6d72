"""``smartgis report PROJECT [--docx F] [--xlsx F]`` — the top-level design as Word and Excel.

The Word document has the chapters of GB/T 36333-2018 (现状评估, 需求分析, 总体目标,
总体架构, 重点项目, 实施路径, 投资估算, 保障措施) with the architecture diagram, the
timeline and the maps; the workbook has the sheets 项目表, 投资估算, 设备清单, 指标对照
with totals as formulas.
"""

from __future__ import annotations

ORDER = 78


def register(sub) -> None:
    p = sub.add_parser("report", help="write the top-level design as Word (.docx) and Excel (.xlsx)",
                       description="Write the top-level design of the project: a Word document with the chapters "
                                   "of GB/T 36333 and an Excel workbook (projects, investment, bill of quantities, "
                                   "indicators). The standards check runs for the city today and after every phase.")
    p.add_argument("project", metavar="PROJECT", help="project file (.gpkg)")
    p.add_argument("--docx", metavar="F", help="write the Word document here")
    p.add_argument("--xlsx", metavar="F", help="write the Excel workbook here")
    p.add_argument("--json", action="store_true", help="print what was written as one JSON object")
    p.set_defaults(func=run)


def run(args) -> int:
    import time
    from pathlib import Path

    from smartgis.cli.common import ProgressBar, open_project, print_json, say
    from smartgis.errors import UsageError
    from smartgis.i18n import _

    if not args.docx and not args.xlsx:
        raise UsageError(_("give --docx F and/or --xlsx F"))
    for flag, path, suffix in (("--docx", args.docx, ".docx"), ("--xlsx", args.xlsx, ".xlsx")):
        if not path:
            continue
        if Path(path).suffix.lower() != suffix:
            raise UsageError(_("{option}: the file must end in {suffix}", option=flag, suffix=suffix), path)
        if not Path(path).absolute().parent.is_dir():
            raise UsageError(_("{option}: the folder of {path} does not exist", option=flag, path=path))
    t0 = time.perf_counter()
    project = open_project(args.project)
    from smartgis.plan import plan_of
    if not plan_of(project).phases:
        raise UsageError(_("the project has no plan yet: add phases with 'smartgis plan PROJECT phase add'"),
                         project.path)
    from smartgis.render.plan_report import make_deliverable
    d = make_deliverable(project, pictures=bool(args.docx),
                         progress=ProgressBar(_("report"), enabled=None if not args.json else False))
    out = {}
    if args.docx:
        from smartgis.plan.report_docx import write_docx
        write_docx(d, args.docx)
        out["docx"] = str(args.docx)
        say(_("wrote {path}", path=args.docx), err=args.json)
    if args.xlsx:
        from smartgis.plan.report_xlsx import write_xlsx
        write_xlsx(d, args.xlsx)
        out["xlsx"] = str(args.xlsx)
        say(_("wrote {path}", path=args.xlsx), err=args.json)
    if args.json:
        out.update({"investment_cny": round(d.investment.total_cny, 2), "seconds": round(time.perf_counter() - t0, 2),
                    "phases": [r.to_dict() for r in d.phase_rows]})
        print_json(out)
    return 0
