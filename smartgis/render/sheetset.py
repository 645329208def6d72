"""A drawing set (图集): one multi-page PDF with a cover, a drawing list (图纸目录) and
one sheet per theme (:mod:`smartgis.analysis.themes`), numbered in order.

QtGui only; the sheets are :class:`smartgis.render.mapsheet.MapSheet` pages.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

from smartgis.errors import ProjectFileError, UsageError
from smartgis.i18n import _, localize, translate
from smartgis.render.mapsheet import _PAGE_IDS, MapSheet, _check_output, _temp_beside

#: Words of the cover and the drawing list, as messages shown in the sheets' language
#: (Chinese in ``messages/mapsheet.json``).
WORDS = {"set": _("Smart-city top-level design — drawing set"), "list": _("List of drawings"), "no": _("No."),
         "sheet": _("Sheet"), "title": _("Title"), "scale": _("Scale"), "note": _("Note"), "institute": _("Institute"),
         "designer": _("Designed"), "reviewer": _("Reviewed"), "date": _("Date"), "phase": _("Phase")}


def set_words(lang: str) -> dict[str, str]:
    """The words of the cover and the drawing list in ``lang``."""
    return {k: localize(w, lang) for k, w in WORDS.items()}


def plan_set(project, paper: str = "A3", landscape: bool = True, phase: str | None = None, date: str | None = None,
             gaps: bool = False, extent=None, scale=None) -> list[MapSheet]:
    """The sheets of the project's drawing set, numbered ``<sheet_prefix>-01`` … in theme order.

    Raises
    ------
    UsageError
        When no theme has anything to draw.
    """
    from smartgis.analysis.themes import set_sheets
    plan = set_sheets(project, phase)
    if not plan:
        raise UsageError(_("no sheet of the set has design elements to draw"), project.path)
    prefix = (project.metadata.get("sheet_prefix") or "").strip()
    sheets = []
    for k, (theme, ph) in enumerate(plan, start=1):
        number = f"{prefix}-{k:02d}" if prefix else f"{k:02d}"
        sheets.append(MapSheet(project, paper=paper, landscape=landscape, extent=extent, scale=scale,
                               sheet_number=number, date=date, theme=theme, phase=ph, gaps=gaps))
    return sheets


def export_sheet_set(project, pdf, paper: str = "A3", landscape: bool = True, phase: str | None = None,
                     dpi: int = 300, date: str | None = None, gaps: bool = False, extent=None, scale=None,
                     progress=None) -> list[MapSheet]:
    """Write the drawing set as one PDF: cover, drawing list, then the sheets.

    Returns the sheets (in page order after the cover and the list).
    """
    from smartgis.core.progress import report
    from smartgis.render.app import ensure_gui_app
    ensure_gui_app()
    path = Path(pdf)
    _check_output(path, ".pdf")
    sheets = plan_set(project, paper, landscape, phase, date, gaps, extent, scale)
    tmp = _temp_beside(path)
    writer = QPdfWriter(str(tmp))
    writer.setResolution(int(dpi))
    first = sheets[0]
    writer.setTitle(f"{project.name} — {set_words(first.lang)['set']}")
    writer.setCreator("SmartGIS")
    orient = QPageLayout.Orientation.Landscape if first.landscape else QPageLayout.Orientation.Portrait
    writer.setPageLayout(QPageLayout(QPageSize(_PAGE_IDS[first.paper]), orient, QMarginsF(0, 0, 0, 0),
                                     QPageLayout.Unit.Millimeter))
    painter = QPainter()
    if not painter.begin(writer):
        raise ProjectFileError(_("cannot write the PDF"), path)
    try:
        first._k = dpi / 25.4
        paint_cover(painter, first, sheets)
        writer.newPage()
        paint_list(painter, first, sheets)
        for k, sheet in enumerate(sheets):
            report(progress, k, len(sheets), _("drawing {title}", title=sheet.title))
            writer.newPage()
            sheet.paint(painter, float(dpi))
    except BaseException:
        painter.end()
        writer = None
        tmp.unlink(missing_ok=True)
        raise
    painter.end()
    writer = None
    os.replace(tmp, path)
    return sheets


def _frame(painter: QPainter, s: MapSheet) -> None:
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(s._pen(0.25))
    page = s.layout.page
    painter.drawRect(s._r(QRectF(page.left() + 2, page.top() + 2, page.width() - 4, page.height() - 4)))
    painter.setPen(s._pen(0.9))
    painter.drawRect(s._r(s.layout.frame))


def paint_cover(painter: QPainter, s: MapSheet, sheets: list[MapSheet]) -> None:
    """The cover: project, set title, institute, people, date and the number of sheets."""
    w = set_words(s.lang)
    p = s.project
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    _frame(painter, s)
    f = s.layout.frame
    u = min(f.width(), f.height()) / 280.0
    s._text(painter, QRectF(f.left(), f.top() + f.height() * 0.22, f.width(), 22 * u), p.name, 14 * u, bold=True)
    s._text(painter, QRectF(f.left(), f.top() + f.height() * 0.22 + 26 * u, f.width(), 14 * u), w["set"], 8 * u)
    s._text(painter, QRectF(f.left(), f.top() + f.height() * 0.22 + 44 * u, f.width(), 10 * u),
            translate("{n} sheets", s.lang, n=len(sheets)), 5 * u)
    rows = [(w["institute"], p.metadata.get("institute")), (w["designer"], p.metadata.get("designer")),
            (w["reviewer"], p.metadata.get("reviewer")), (w["date"], s.date)]
    y = f.top() + f.height() * 0.62
    for label, value in rows:
        if not value:
            continue
        s._text(painter, QRectF(f.left(), y, f.width() / 2 - 4 * u, 9 * u), label, 4.5 * u,
                flags=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        s._text(painter, QRectF(f.left() + f.width() / 2 + 4 * u, y, f.width() / 2 - 4 * u, 9 * u), str(value),
                4.5 * u, flags=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        y += 11 * u


def list_rows(sheets: list[MapSheet]) -> list[dict]:
    """The drawing list: number, sheet number, title, scale and phase of every sheet."""
    return [{"no": k, "sheet": s.sheet_number, "title": s.title, "scale": f"1:{s.scale:,.0f}",
             "phase": s.phase or ""} for k, s in enumerate(sheets, start=1)]


def paint_list(painter: QPainter, s: MapSheet, sheets: list[MapSheet]) -> None:
    """图纸目录: a ruled table of the sheets."""
    w = set_words(s.lang)
    _frame(painter, s)
    f = s.layout.frame
    u = min(f.width(), f.height()) / 280.0
    s._text(painter, QRectF(f.left(), f.top() + 10 * u, f.width(), 14 * u), w["list"], 8 * u, bold=True)
    cols = [(w["no"], 0.08), (w["sheet"], 0.16), (w["title"], 0.46), (w["scale"], 0.15), (w["note"], 0.15)]
    tw = min(f.width() - 40 * u, 230 * u)
    x0 = f.left() + (f.width() - tw) / 2
    y = f.top() + 32 * u
    rh = 9 * u
    rows = [[c for c, _w in cols]] + [[str(r["no"]), r["sheet"], r["title"], r["scale"],
                                       f"{w['phase']} {r['phase']}" if r["phase"] else ""]
                                      for r in list_rows(sheets)]
    for i, row in enumerate(rows):
        x = x0
        for text, (_name, frac) in zip(row, cols):
            cw = tw * frac
            s._text(painter, QRectF(x + 1.5 * u, y, cw - 3 * u, rh), text, 3.6 * u, bold=i == 0,
                    flags=(Qt.AlignmentFlag.AlignLeft if frac > 0.3 else Qt.AlignmentFlag.AlignHCenter)
                    | Qt.AlignmentFlag.AlignVCenter)
            x += cw
        painter.setPen(s._pen(0.35 if i <= 1 else 0.18))
        painter.drawLine(QPointF(s._mm(x0), s._mm(y)), QPointF(s._mm(x0 + tw), s._mm(y)))
        y += rh
    painter.setPen(s._pen(0.35))
    painter.drawLine(QPointF(s._mm(x0), s._mm(y)), QPointF(s._mm(x0 + tw), s._mm(y)))
    x = x0
    top = f.top() + 32 * u
    for _c, frac in cols + [("", 0)]:
        painter.drawLine(QPointF(s._mm(x), s._mm(top)), QPointF(s._mm(x), s._mm(y)))
        x += tw * frac


__all__ = ["export_sheet_set", "plan_set", "list_rows", "paint_cover", "paint_list"]
