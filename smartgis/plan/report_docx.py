"""The top-level design as a Word document (python-docx), chapters after GB/T 36333-2018.

The document is meant to be edited by the design institute: real headings (the
navigation pane and a table of contents pick them up), real tables, pictures as
pictures, and the chapters SmartGIS cannot write (保障措施, the narrative of 需求分析)
as marked placeholders.
"""

from __future__ import annotations

import io
from pathlib import Path

from smartgis.core.outfiles import write_whole
from smartgis.i18n import _
from smartgis.plan.deliverable import STATUS_ZH, Deliverable, fmt_wan
from smartgis.plan.layers import LAYER_LABELS, LAYERS, layer_label

PLACEHOLDER = "【待编制】"
FONT = "宋体"
HEADING_FONT = "黑体"

#: 保障措施 sections (GB/T 36333-2018 names organisation, policy, funding, talent,
#: security and operation among the safeguards; the text is the designer's).
SAFEGUARDS = ("组织保障", "政策与制度保障", "资金保障", "标准规范保障", "人才保障", "网络与数据安全保障", "运营维护保障")


def _fmt(v, digits: int = 2) -> str:
    if v is None:
        return "—"
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    if abs(f) >= 1000:
        return f"{f:,.0f}"
    return f"{f:.{digits}f}".rstrip("0").rstrip(".") if "." in f"{f:.{digits}f}" else f"{f:.{digits}f}"


def _fonts(doc) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Caption"):
        try:
            st = doc.styles[name]
        except KeyError:
            continue
        rpr = st.element.get_or_add_rPr()
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(rfonts)
        rfonts.set(qn("w:eastAsia"), FONT if name == "Normal" else HEADING_FONT)
        if name == "Normal":
            st.font.size = Pt(10.5)


def _table(doc, header: list[str], rows: list[list], widths=None, total: list | None = None):
    from docx.shared import Cm
    t = doc.add_table(rows=1, cols=len(header))
    t.style = "Table Grid"
    for cell, text in zip(t.rows[0].cells, header):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for r in rows + ([total] if total else []):
        cells = t.add_row().cells
        for cell, v in zip(cells, r):
            cell.text = "" if v is None else str(v)
    if total:
        for run in (p for c in t.rows[-1].cells for p in c.paragraphs[0].runs):
            run.bold = True
    if widths:
        for row in t.rows:
            for cell, w in zip(row.cells, widths):
                cell.width = Cm(w)
    doc.add_paragraph()
    return t


def _picture(doc, data: bytes | None, caption: str, width_cm: float = 16.0) -> None:
    from docx.shared import Cm
    if not data:
        doc.add_paragraph(f"{PLACEHOLDER}{caption}")
        return
    doc.add_picture(io.BytesIO(data), width=Cm(width_cm))
    doc.add_paragraph(caption, style="Caption")


def _placeholder(doc, text: str) -> None:
    p = doc.add_paragraph()
    run = p.add_run(f"{PLACEHOLDER}{text}")
    run.italic = True


def build_document(d: Deliverable):
    """The :class:`docx.Document` of a deliverable."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    project, inv, plan = d.project, d.investment, d.plan
    doc = docx.Document()
    _fonts(doc)
    meta = project.metadata
    title = doc.add_heading(f"{project.name}", level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = doc.add_paragraph("智慧城市顶层设计（依据 GB/T 36333-2018《智慧城市 顶层设计指南》）")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    info = [("编制单位", meta.get("institute")), ("委托单位", meta.get("client")), ("城市 / 区域",
            " ".join(x for x in (meta.get("city"), meta.get("district")) if x)), ("设计", meta.get("designer")),
            ("审核", meta.get("reviewer")), ("编制日期", d.date)]
    _table(doc, ["项目", "内容"], [[k, v or ""] for k, v in info], widths=(4, 12))

    # 1 现状评估 -------------------------------------------------------------------------
    doc.add_heading("1 现状评估", level=1)
    f = inv.facts
    existing = int((f.status == "existing").sum()) if len(f) else 0
    doc.add_paragraph(f"现状要素 {existing} 个，规划要素 {int(f.planned.sum()) if len(f) else 0} 个。下表为仅计现状"
                      f"要素时对照标准条文的检查结果（现状指标与覆盖）。")
    st = [r.get("status") for r in d.today]
    doc.add_paragraph(f"现状检查：达标 {st.count('pass')} 条，不达标 {st.count('fail')} 条，未达推荐值 "
                      f"{st.count('warning')} 条，不适用 {st.count('na')} 条。")
    doc.add_heading("1.1 现状覆盖", level=2)
    types = sorted(set(d.type_coverage_today) | set(d.type_coverage_final))
    _table(doc, ["要素类型", "现状覆盖率（%）", "规划实施后覆盖率（%）"],
           [[d.type_name(t), _fmt(d.type_coverage_today.get(t, 0.0), 1), _fmt(d.type_coverage_final.get(t), 1)]
            for t in types], widths=(7, 4.5, 4.5))
    _picture(doc, d.images.get("design_map"), "图 1-1 设计方案总图（现状与规划要素）")

    # 2 需求分析 -------------------------------------------------------------------------
    doc.add_heading("2 需求分析", level=1)
    doc.add_paragraph("现状未达标、规划实施后仍需关注的标准条文如下，是本次设计的主要需求来源：")
    gaps = [r for r in d.today if r.get("status") in ("fail", "warning")]
    _table(doc, ["条文", "标准", "现状值", "要求", "状态"],
           [[_title(r), f"{r.get('standard', '')} {r.get('clause', '')}", _fmt(r.get("value")),
             _threshold(r), STATUS_ZH.get(r.get("status"), r.get("status"))] for r in gaps[:60]],
           widths=(6, 4, 2, 2, 2))
    _placeholder(doc, "城市发展战略、政府部门与市民、企业的需求调研（访谈、问卷）结论。")

    # 3 总体目标 -------------------------------------------------------------------------
    doc.add_heading("3 总体目标", level=1)
    for ph in plan.phases:
        doc.add_paragraph(f"{ph.name}（{ph.years()}）：{ph.goal or PLACEHOLDER + '阶段目标'}")
    if d.phase_rows:
        doc.add_heading("3.1 分期达标情况", level=2)
        _table(doc, ["阶段", "要素数", "达标条文", "不达标", "未达推荐值", "达标率（%）"],
               [[f"{r.phase}后", r.elements, r.passed, r.failed, r.warned, _fmt(r.compliance_pct, 1)]
                for r in d.phase_rows], widths=(3, 2.5, 2.5, 2.5, 2.5, 3))
        doc.add_paragraph("达标率：各阶段实施后达标的条文数占规划全部实施后适用条文数的比例。")
    doc.add_heading("3.2 指标目标", level=2)
    names = plan.phase_names()
    _table(doc, ["指标", "依据", "要求", "现状"] + [f"{n}后" for n in names],
           [[r.name, r.source, f"{r.target} {r.unit}".strip(), _fmt(r.today)] + [_fmt(r.by_phase.get(n)) for n in names]
            for r in d.indicators[:80]])

    # 4 总体架构 -------------------------------------------------------------------------
    doc.add_heading("4 总体架构", level=1)
    doc.add_paragraph("总体架构依据 GB/T 34678-2017《智慧城市 技术参考模型》分为感知层、网络层、计算与存储层、"
                      "平台支撑层、智慧应用层，以及贯穿各层的安全、标准与运营体系。")
    _picture(doc, d.images.get("architecture"), "图 4-1 总体架构图")
    by_layer = {k: [pc for pc in inv.projects if pc.layer == k] for k in LAYERS}
    _table(doc, ["架构层级", "重点项目", "投资（万元）"],
           [[LAYER_LABELS[k]["zh"], "；".join(f"{pc.project.id} {pc.project.name}" for pc in pcs) or "—",
             fmt_wan(sum(pc.investment_cny for pc in pcs))] for k, pcs in by_layer.items()], widths=(4, 9, 3))

    # 5 重点项目 -------------------------------------------------------------------------
    doc.add_heading("5 重点项目", level=1)
    for pc in inv.projects:
        kp = pc.project
        doc.add_heading(f"5.{inv.projects.index(pc) + 1} {kp.id} {kp.name}", level=2)
        scale = "；".join(f"{d.type_name(t)} {n} 个" for t, n in pc.elements.items()) or "—"
        items = "；".join(f"{it.name} {_fmt(it.quantity)} {it.unit}" for it in kp.items) or "—"
        _table(doc, ["项目", "内容"], [
            ["项目编号", kp.id], ["项目名称", kp.name], ["建设内容", kp.content or PLACEHOLDER],
            ["架构层级", layer_label(pc.layer)], ["建设期次", kp.phase], ["牵头单位", kp.lead or "—"],
            ["配合单位", "、".join(kp.support) or "—"], ["资金来源", kp.funding or "—"],
            ["空间要素", scale], ["非空间内容", items],
            ["投资估算（万元）", fmt_wan(pc.investment_cny)]], widths=(4, 12))

    # 6 实施路径 -------------------------------------------------------------------------
    doc.add_heading("6 实施路径", level=1)
    by_phase = inv.by_phase()
    _table(doc, ["阶段", "年份", "重点项目", "投资（万元）"],
           [[ph.name, ph.years(), "、".join(pc.project.id for pc in inv.projects if pc.project.phase == ph.name) or "—",
             fmt_wan(by_phase.get(ph.name, 0.0))] for ph in plan.phases], widths=(3, 3, 7, 3))
    _picture(doc, d.images.get("timeline"), "图 6-1 实施进度计划")

    # 7 投资估算 -------------------------------------------------------------------------
    doc.add_heading("7 投资估算", level=1)
    doc.add_paragraph(f"总投资估算 {fmt_wan(inv.total_cny)} 万元。空间要素按数量（点）、长度（线，米）、面积（面，"
                      f"平方米）乘以单价计算，非空间内容按数量乘以单价计算；现状要素不计投资。")
    total = ["合计", fmt_wan(inv.total_cny)]
    doc.add_heading("7.1 按阶段", level=2)
    _table(doc, ["阶段", "投资（万元）"], [[k, fmt_wan(v)] for k, v in inv.by_phase().items()], total=total)
    doc.add_heading("7.2 按架构层级", level=2)
    _table(doc, ["架构层级", "投资（万元）"], [[layer_label(k), fmt_wan(v)] for k, v in inv.by_layer().items()],
           total=total)
    doc.add_heading("7.3 按资金来源", level=2)
    _table(doc, ["资金来源", "投资（万元）"],
           [["未定" if k == "unspecified" else k, fmt_wan(v)] for k, v in inv.by_funding().items()], total=total)
    doc.add_heading("7.4 单价依据", level=2)
    _table(doc, ["要素类型", "规格", "单价（元）", "单位", "来源", "年份", "核实"], _unit_cost_rows(d))
    if inv.no_unit_cost:
        doc.add_paragraph("以下要素类型缺少单价，未计入投资：" + "、".join(d.type_name(t) for t in inv.no_unit_cost))
    if inv.unassigned:
        doc.add_paragraph("以下规划要素尚未归入重点项目，未计入投资：" +
                          "、".join(f"{d.type_name(t)} {n} 个" for t, n in inv.unassigned.items()))

    # 8 保障措施 -------------------------------------------------------------------------
    doc.add_heading("8 保障措施", level=1)
    for k, name in enumerate(SAFEGUARDS, 1):
        doc.add_heading(f"8.{k} {name}", level=2)
        _placeholder(doc, f"{name}的具体措施。")

    # 附图 -----------------------------------------------------------------------------
    doc.add_heading("附图", level=1)
    _picture(doc, d.images.get("check_map"), "附图 1 标准检查结果（覆盖缺口）")
    return doc


def _title(r: dict) -> str:
    t = r.get("title")
    return (t.get("zh") or t.get("en") or r.get("id", "")) if isinstance(t, dict) else str(t or r.get("id", ""))


def _threshold(r: dict) -> str:
    from smartgis.plan.deliverable import COMPARISON_SIGNS
    if r.get("threshold") is None:
        return "—"
    return f"{COMPARISON_SIGNS.get(r.get('comparison'), '')} {_fmt(r['threshold'])} {r.get('unit') or ''}".strip()


def _unit_cost_rows(d: Deliverable) -> list[list]:
    rows = []
    seen = set()
    for b in d.investment.bill_of_quantities():
        key = (b["type"], b["variant"])
        if key in seen:
            continue
        seen.add(key)
        uc = d.plan.unit_cost(b["type"], b["variant"] or None)
        if uc is None:
            rows.append([d.type_name(b["type"]), b["variant"] or "—", "—", b["unit"], "缺少单价", "", ""])
            continue
        rows.append([d.type_name(b["type"]), b["variant"] or "—", _fmt(uc.cny), b["unit"],
                     uc.source + ("（本项目）" if uc.origin == "project" else ""), uc.year or "",
                     "是" if uc.verified else "未核实"])
    return rows


def write_docx(d: Deliverable, path) -> Path:
    """Write the Word document (through a temporary file: a failed write leaves no half file)."""
    path = Path(path)
    doc = build_document(d)
    write_whole(path, lambda tmp: doc.save(str(tmp)), lambda e: _("cannot write the document ({error})", error=e))
    return path
