"""The equipment list (设备清单 / bill of quantities) of a design.

One row per project (when the elements carry a ``project`` field), element type,
variant and construction phase: the count, the length of lines (m) and area of
polygons (m²), the unit and the ids of the elements.  :func:`equipment_rows` gives the
rows to any report; :func:`export_equipment_xlsx` writes them as an Excel workbook with
a summary sheet and one sheet per phase.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

import numpy as np
import shapely

from smartgis.analysis.themes import phase_key
from smartgis.core.outfiles import write_whole
from smartgis.plan import plan_of
from smartgis.plan.phases import CURRENT
from smartgis.errors import ProjectFileError, UsageError
from smartgis.i18n import _

#: Units of a count, by category and geometry (Chinese as institutes write them).
UNITS = {"zh": {"sensor": "台", "network": "条", "facility": "处", "line": "米", "area": "平方米"},
         "en": {"sensor": "unit", "network": "line", "facility": "site", "line": "m", "area": "m²"}}

HEADERS = {
    "zh": {"project": "项目", "type_id": "类型编码", "type": "设备/设施类型", "category": "类别", "variant": "型式",
           "phase": "建设期次", "count": "数量", "unit": "单位", "length_m": "长度（米）", "area_m2": "面积（平方米）",
           "quantity": "工程量", "quantity_unit": "工程量单位", "ids": "要素编号", "summary": "设备清单",
           "total": "合计", "category_names": {"sensor": "感知设备", "network": "网络线路", "facility": "公共设施"}},
    "en": {"project": "Project", "type_id": "Type id", "type": "Type", "category": "Category", "variant": "Variant",
           "phase": "Phase", "count": "Count", "unit": "Unit", "length_m": "Length (m)", "area_m2": "Area (m²)",
           "quantity": "Quantity", "quantity_unit": "Quantity unit", "ids": "Element ids",
           "summary": "Equipment list", "total": "Total",
           "category_names": {"sensor": "Sensors", "network": "Networks", "facility": "Facilities"}},
}

#: Columns of a row, in order.
COLUMNS = ("project", "type_id", "type", "category", "variant", "phase", "count", "unit", "length_m", "area_m2",
           "quantity", "quantity_unit", "ids")


def _s(v) -> str:
    if v is None or (isinstance(v, float) and not np.isfinite(v)):
        return ""
    return str(v)


def equipment_rows(project, phase: str | None = None, lang: str | None = None) -> list[dict]:
    """The equipment list rows, grouped by project, type, variant and phase.

    Parameters
    ----------
    phase : str, optional
        Only elements of this phase.
    lang : {"zh", "en"}, optional
        Language of type names and units (default: the project's).

    Returns
    -------
    list of dict
        Keys :data:`COLUMNS`; ``ids`` is a list; ``quantity`` is the count for points,
        the length for lines and the area for polygons, in ``quantity_unit``.
    """
    lang = lang or (project.language if project.language in UNITS else "zh")
    units = UNITS[lang]
    groups: "OrderedDict[tuple, dict]" = OrderedDict()
    plan = plan_of(project)
    for lyr in project.design.layers.values():
        if not lyr.available or not lyr.feature_count:
            continue
        t = lyr.element_type
        table = lyr.table
        n = lyr.feature_count
        names = table.field_names
        cols = {f: table.column(f).tolist() for f in names}
        geoms = lyr.geometries
        lengths = shapely.length(geoms) if t.geometry == "LineString" else np.zeros(n)
        areas = shapely.area(geoms) if t.geometry == "Polygon" else np.zeros(n)
        for i in range(n):
            row_attrs = {f: cols[f][i] for f in names}
            # existing elements are the current state (现状), built in no phase
            ph = CURRENT if _s(row_attrs.get("status")) == "existing" else _s(row_attrs.get("phase"))
            if phase is not None and ph != phase:
                continue
            kp = plan.project_of(row_attrs.get("uid"))
            proj = kp.name if kp is not None else (_s(row_attrs.get("project")) if "project" in cols else "")
            variant = t.variant_of(row_attrs) or ""
            key = (proj, t.id, variant, ph)
            g = groups.get(key)
            if g is None:
                vlabel = next((v.label(lang) for v in t.variants if v.id == variant), variant)
                g = groups[key] = {"project": proj, "type_id": t.id, "type": t.label(lang),
                                   "category": HEADERS[lang]["category_names"].get(t.category, t.category),
                                   "variant": vlabel, "phase": ph, "count": 0,
                                   "unit": units.get(t.category, units["facility"]),
                                   "length_m": 0.0, "area_m2": 0.0, "ids": [], "_geometry": t.geometry}
            g["count"] += 1
            g["length_m"] += float(lengths[i]) if np.isfinite(lengths[i]) else 0.0
            g["area_m2"] += float(areas[i]) if np.isfinite(areas[i]) else 0.0
            g["ids"].append(_s(row_attrs.get("uid")))
    out = []
    for g in groups.values():
        geom = g.pop("_geometry")
        g["length_m"] = round(g["length_m"], 1) if geom == "LineString" else None
        g["area_m2"] = round(g["area_m2"], 1) if geom == "Polygon" else None
        if geom == "LineString":
            g["quantity"], g["quantity_unit"] = g["length_m"], units["line"]
        elif geom == "Polygon":
            g["quantity"], g["quantity_unit"] = g["area_m2"], units["area"]
        else:
            g["quantity"], g["quantity_unit"] = g["count"], g["unit"]
        out.append({k: g[k] for k in COLUMNS})
    out.sort(key=lambda r: (r["project"], phase_key(r["phase"]), r["category"], r["type_id"], r["variant"]))
    return out


def export_equipment_xlsx(project, path, phase: str | None = None, lang: str | None = None) -> dict:
    """Write the equipment list as an Excel workbook: a summary sheet, then a sheet per phase.

    Returns
    -------
    dict
        ``{"path", "rows", "sheets": [names], "elements"}``.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from smartgis.analysis.themes import phases as project_phases
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UsageError(_("the file name should end in {suffix}", suffix=".xlsx"), path)
    if not path.parent.is_dir():
        raise ProjectFileError(_("the folder does not exist"), path.parent)
    if phase is not None and phase != CURRENT and phase not in project_phases(project):
        raise UsageError(_("no elements of phase {phase!r} (phases: {phases})", phase=phase,
                           phases=", ".join(project_phases(project)) or _("none")), project.path)
    lang = lang or (project.language if project.language in UNITS else "zh")
    h = HEADERS[lang]
    rows = equipment_rows(project, phase, lang)
    has_project = any(r["project"] for r in rows)
    cols = [c for c in COLUMNS if c != "project" or has_project]
    wb = Workbook()
    sheets = [(h["summary"], rows)]
    stages = ([CURRENT] if any(r["phase"] == CURRENT for r in rows) else []) + project_phases(project)
    for ph in ([phase] if phase else stages):
        sheets.append((_sheet_name(ph), [r for r in rows if r["phase"] == ph]))
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE6F0")
    for k, (name, srows) in enumerate(sheets):
        ws = wb.active if k == 0 else wb.create_sheet()
        ws.title = _sheet_name(name)
        ws.append([h[c] for c in cols])
        for cell in ws[1]:
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for r in srows:
            ws.append([", ".join(r[c]) if c == "ids" else r[c] for c in cols])
        total = [h["total"]] + [""] * (len(cols) - 1)
        total[cols.index("count")] = sum(r["count"] for r in srows)
        total[cols.index("length_m")] = round(sum(r["length_m"] or 0 for r in srows), 1)
        total[cols.index("area_m2")] = round(sum(r["area_m2"] or 0 for r in srows), 1)
        ws.append(total)
        for cell in ws[ws.max_row]:
            cell.font = bold
        ws.freeze_panes = "A2"
        widths = {"project": 14, "type_id": 18, "type": 24, "category": 12, "variant": 14, "phase": 10, "count": 8,
                  "unit": 8, "length_m": 12, "area_m2": 14, "quantity": 12, "quantity_unit": 10, "ids": 60}
        for j, c in enumerate(cols, start=1):
            ws.column_dimensions[get_column_letter(j)].width = widths[c]
        for row in ws.iter_rows(min_row=2, max_row=ws.max_row):
            for cell, c in zip(row, cols):
                if c in ("length_m", "area_m2", "quantity") and isinstance(cell.value, float):
                    cell.number_format = "#,##0.0"
    wb.properties.title = f"{project.name} — {h['summary']}"
    wb.properties.creator = "SmartGIS"
    write_whole(path, wb.save, lambda e: _("cannot write the workbook ({error})", error=e))
    return {"path": str(path), "rows": len(rows), "sheets": [ws.title for ws in wb.worksheets],
            "elements": sum(r["count"] for r in rows)}


def _sheet_name(name: str) -> str:
    """An Excel sheet name: at most 31 characters, none of ``[]:*?/\\``."""
    for ch in "[]:*?/\\":
        name = name.replace(ch, "_")
    return (name or "-")[:31]


__all__ = ["equipment_rows", "export_equipment_xlsx", "COLUMNS", "HEADERS", "UNITS"]
