"""The plan as an Excel workbook (openpyxl): 项目表, 投资估算, 设备清单, 指标对照.

Amounts are in 万元.  Every total is a formula (``SUM``, ``SUMIFS`` over the project
sheet), so a designer who changes a project's figure in Excel sees the investment
tables follow.
"""

from __future__ import annotations

from pathlib import Path

from smartgis.core.outfiles import write_whole
from smartgis.i18n import _
from smartgis.plan.deliverable import STATUS_ZH, Deliverable, wan
from smartgis.plan.layers import LAYERS, layer_label

PROJECT_HEADER = ["项目编号", "项目名称", "建设内容", "架构层级", "建设期次", "牵头单位", "配合单位", "资金来源",
                  "空间要素", "要素投资（万元）", "非空间内容投资（万元）", "投资估算（万元）"]


def _style_header(ws, row: int, n: int) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    for c in range(1, n + 1):
        cell = ws.cell(row=row, column=c)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="334455")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _widths(ws, widths) -> None:
    from openpyxl.utils import get_column_letter
    for k, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(k)].width = w


def _bold_row(ws, row: int, n: int) -> None:
    from openpyxl.styles import Font
    for c in range(1, n + 1):
        ws.cell(row=row, column=c).font = Font(bold=True)


def _project_sheet(wb, d: Deliverable) -> tuple[str, int, int]:
    ws = wb.active
    ws.title = "项目表"
    ws.append(PROJECT_HEADER)
    _style_header(ws, 1, len(PROJECT_HEADER))
    first = 2
    for pc in d.investment.projects:
        kp = pc.project
        r = ws.max_row + 1
        ws.append([kp.id, kp.name, kp.content, layer_label(pc.layer), kp.phase, kp.lead, "、".join(kp.support),
                   kp.funding or "未定", "；".join(f"{d.type_name(t)} {n}" for t, n in pc.elements.items()),
                   wan(pc.elements_cny), wan(pc.items_cny), f"=J{r}+K{r}"])
    last = ws.max_row
    ws.append(["合计", "", "", "", "", "", "", "", "", f"=SUM(J{first}:J{max(first, last)})",
               f"=SUM(K{first}:K{max(first, last)})", f"=SUM(L{first}:L{max(first, last)})"])
    _bold_row(ws, ws.max_row, len(PROJECT_HEADER))
    _widths(ws, (10, 26, 30, 14, 10, 16, 22, 12, 36, 14, 16, 14))
    ws.freeze_panes = "C2"
    for row in ws.iter_rows(min_row=2, min_col=10, max_col=12):
        for cell in row:
            cell.number_format = "#,##0.00"
    return ws.title, first, last


def _investment_sheet(wb, d: Deliverable, ref: tuple[str, int, int]) -> None:
    """Phase × layer and funding tables, every cell a SUMIFS over the project sheet."""
    from openpyxl.utils import get_column_letter
    name, first, last = ref
    last = max(first, last)
    rng = lambda col: f"'{name}'!${col}${first}:${col}${last}"  # noqa: E731
    ws = wb.create_sheet("投资估算")
    inv, plan = d.investment, d.plan
    layers = [k for k in LAYERS if any(pc.layer == k for pc in inv.projects)] or list(LAYERS)
    ws.append(["投资估算（万元）：按阶段与架构层级"])
    header = ["阶段 \\ 架构层级"] + [layer_label(k) for k in layers] + ["合计"]
    ws.append(header)
    _style_header(ws, 2, len(header))
    top = ws.max_row + 1
    for ph in plan.phases:
        r = ws.max_row + 1
        row = [ph.name]
        for k in layers:
            row.append(f'=SUMIFS({rng("L")},{rng("E")},"{ph.name}",{rng("D")},"{layer_label(k)}")')
        row.append(f"=SUM(B{r}:{get_column_letter(1 + len(layers))}{r})")
        ws.append(row)
    bottom = ws.max_row
    ws.append(["合计"] + [f"=SUM({get_column_letter(c)}{top}:{get_column_letter(c)}{max(top, bottom)})"
                          for c in range(2, len(layers) + 3)])
    _bold_row(ws, ws.max_row, len(header))
    ws.append([])
    ws.append(["投资估算（万元）：按资金来源"])
    ws.append(["资金来源", "投资（万元）", "占比"])
    _style_header(ws, ws.max_row, 3)
    top = ws.max_row + 1
    funds = list(inv.by_funding())
    for k, f in enumerate(funds):
        label = "未定" if f == "unspecified" else f
        r = top + k
        ws.append([label, f'=SUMIFS({rng("L")},{rng("H")},"{label}")',
                   f"=IF(B{top + len(funds)}=0,0,B{r}/B{top + len(funds)})"])
        ws.cell(row=r, column=3).number_format = "0.0%"
    bottom = ws.max_row
    ws.append(["合计", f"=SUM(B{top}:B{max(top, bottom)})", f"=SUM(C{top}:C{max(top, bottom)})"])
    ws.cell(row=ws.max_row, column=3).number_format = "0.0%"
    _bold_row(ws, ws.max_row, 3)
    _widths(ws, [18] + [16] * (len(layers) + 1))
    for row in ws.iter_rows(min_row=3, min_col=2, max_col=len(layers) + 2):
        for cell in row:
            if cell.number_format == "General":
                cell.number_format = "#,##0.00"


def _bill_sheet(wb, d: Deliverable) -> None:
    ws = wb.create_sheet("设备清单")
    header = ["建设期次", "要素类型", "类型编号", "规格", "数量（个）", "工程量", "单位", "单价（元）", "合价（万元）", "说明"]
    ws.append(header)
    _style_header(ws, 1, len(header))
    first = 2
    for b in d.investment.bill_of_quantities():
        r = ws.max_row + 1
        uc = b["unit_cost_cny"]
        formula = uc is not None and abs(b["quantity"] * uc - b["cost_cny"]) < 0.01
        note = "" if formula else ("缺少单价" if uc is None and b["cost_cny"] == 0 else "含要素自定投资")
        ws.append([b["phase"], d.type_name(b["type"]), b["type"], b["variant"] or "—", b["count"],
                   round(b["quantity"], 2), b["unit"], uc if uc is not None else None,
                   f"=F{r}*H{r}/10000" if formula else wan(b["cost_cny"]), note])
    last = max(first, ws.max_row)
    ws.append(["合计", "", "", "", f"=SUM(E{first}:E{last})", "", "", "", f"=SUM(I{first}:I{last})", ""])
    _bold_row(ws, ws.max_row, len(header))
    _widths(ws, (10, 22, 18, 12, 10, 14, 6, 14, 14, 16))
    ws.freeze_panes = "A2"
    for row in ws.iter_rows(min_row=2, min_col=6, max_col=9):
        for cell in row:
            cell.number_format = "#,##0.00"


def _indicator_sheet(wb, d: Deliverable) -> None:
    ws = wb.create_sheet("指标对照")
    names = d.plan.phase_names()
    header = ["指标编号", "指标", "依据", "单位", "要求", "现状"] + [f"{n}后" for n in names] + ["规划实施后"]
    ws.append(header)
    _style_header(ws, 1, len(header))
    for r in d.indicators:
        ws.append([r.id, r.name, r.source, r.unit, r.target, r.today] + [r.by_phase.get(n) for n in names]
                  + [STATUS_ZH.get(r.status, r.status)])
    _widths(ws, [30, 36, 24, 8, 10, 10] + [10] * len(names) + [12])
    ws.freeze_panes = "C2"


def build_workbook(d: Deliverable):
    """The :class:`openpyxl.Workbook` of a deliverable."""
    from openpyxl import Workbook
    wb = Workbook()
    ref = _project_sheet(wb, d)
    _investment_sheet(wb, d, ref)
    _bill_sheet(wb, d)
    _indicator_sheet(wb, d)
    # no cached values are stored with the formulas: the spreadsheet computes them on opening
    wb.calculation.fullCalcOnLoad = True
    return wb


def write_xlsx(d: Deliverable, path) -> Path:
    """Write the workbook (through a temporary file: a failed write leaves no half file)."""
    path = Path(path)
    wb = build_workbook(d)
    write_whole(path, lambda tmp: wb.save(str(tmp)), lambda e: _("cannot write the workbook ({error})", error=e))
    return path
