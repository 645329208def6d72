"""The compliance report as a PDF (A4), drawn with Qt.

The content is the HTML report's (:func:`smartgis.analysis.report_html.report_data`):
text and tables laid out by ``QTextDocument`` (vector text in the installed Chinese
font), the map of the gaps and the coverage chart rendered from the same SVG by
``QSvgRenderer`` at print resolution.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from smartgis.analysis.report_html import report_data, t
from smartgis.analysis.svg import STATUS_COLOURS, chart_svg, map_svg
from smartgis.errors import ProjectFileError
from smartgis.i18n import _

#: Resolution the drawings are rendered at (dots per inch).
DPI = 200
FONT_FAMILY = "WenQuanYi Micro Hei"


def _svg_image(svg: str, width_px: int):
    from PySide6.QtCore import QByteArray, QRectF
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer
    r = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    size = r.defaultSize()
    h = max(1, int(width_px * size.height() / max(1, size.width())))
    img = QImage(width_px, h, QImage.Format_ARGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setRenderHint(QPainter.Antialiasing, True)
    p.setRenderHint(QPainter.TextAntialiasing, True)
    r.render(p, QRectF(0, 0, width_px, h))
    p.end()
    return img


def _qt_html(d: dict, lang: str) -> str:
    """The report in the HTML subset QTextDocument lays out."""
    s = d["summary"]
    out = [f"<h1 style='font-size:17pt'>{escape(d['title'])}</h1><table cellspacing='0' cellpadding='2'>"]
    for key in ("project", "institute", "designer", "reviewer", "checked", "run", "standards"):
        if d.get(key):
            out.append(f"<tr><td style='color:#555'>{escape(t(key, lang))}</td>"
                       f"<td>{escape(str(d[key]))}</td></tr>")
    out.append("</table>")
    out.append(f"<h2 style='font-size:13pt'>{escape(t('summary', lang))}</h2><p>")
    for st, key in (("pass", "pass"), ("fail", "fail"), ("warning", "warn"), ("na", "na")):
        out.append(f"<span style='background-color:{STATUS_COLOURS[st]}; color:#ffffff; font-weight:bold'>"
                   f"&nbsp;{escape(t(st, lang))} {s[key]}&nbsp;</span>&nbsp;&nbsp;")
    out.append("</p>")
    colour = STATUS_COLOURS["pass" if d["verdict_ok"] else "fail" if d["failed"] else "na"]
    out.append(f"<p style='font-weight:bold; color:{colour}'>{escape(d['verdict'])}</p>")
    for n in d["notes"]:
        out.append(f"<p style='color:#555; font-size:8pt'>{escape(n)}</p>")
    out.append(f"<h2 style='font-size:13pt'>{escape(t('map', lang))}</h2><p><img src='report://map' width='640'></p>")
    out.append(f"<h2 style='font-size:13pt'>{escape(t('chart', lang))}</h2>"
               f"<p><img src='report://chart' width='640'></p>")
    out.append(f"<h2 style='font-size:13pt'>{escape(t('rules', lang))}</h2>")
    out.append(f"<p style='font-size:8pt'><span style='color:#b35806; font-weight:bold'>†</span> "
               f"{escape(d['reference'])}</p>")
    heads = "".join(f"<th style='background-color:#334455; color:#ffffff'>{escape(t(k, lang))}</th>"
                    for k in ("status", "rule", "clause", "value", "threshold", "severity"))
    others = False
    for g in d["groups"]:
        if not g["shortfalls"] and not others:
            others = True
            out.append(f"<h3 style='font-size:12pt'>{escape(t('others', lang))}</h3>")
        colour = "#b2182b" if g["shortfalls"] else "#222222"
        out.append(f"<h3 style='font-size:11pt; color:{colour}'>{escape(g['heading'])}</h3>")
        out.append(f"<table width='100%' cellspacing='0' cellpadding='3' border='0.5' style='font-size:7.5pt'>"
                   f"<tr>{heads}</tr>")
        for r in g["rows"]:
            ref = "" if r["verified"] else " <span style='color:#b35806; font-weight:bold'>†</span>"
            notes = "<br>".join(escape(n) for n in r["notes"])
            notes_html = f"<br><span style='color:#555555'>{notes}</span>" if notes else ""
            thr = f"{escape(r['threshold'])} {escape(r['unit'])}" if r["threshold"] else ""
            out.append(
                f"<tr><td style='background-color:{STATUS_COLOURS[r['status']]}; color:#ffffff; font-weight:bold' "
                f"align='center'>{escape(r['status_text'])}</td>"
                f"<td><b>{escape(r['title'])}</b>{ref}<br><span style='color:#555555'>{escape(r['id'])}</span>"
                f"{notes_html}</td><td>{escape(r['edition'] + ' ' if g['shortfalls'] else '')}"
                f"{escape(r['clause'])}</td>"
                f"<td align='right'>{escape(r['value'])} {escape(r['unit'])}</td><td align='right'>{thr}</td>"
                f"<td style='font-weight:{'bold' if r['severity_id'] in ('mandatory', 'required') else 'normal'}'>"
                f"{escape(r['severity'])}</td></tr>")
        out.append("</table>")
    out.append(f"<p style='color:#777; font-size:7pt'>{escape(t('generated', lang))}</p>")
    return "".join(out)


def write_pdf(result, project, path, lang: str = "zh", indicators: dict | None = None) -> Path:
    """Write the report as an A4 PDF; errors name the file.  ``indicators`` adds the
    indicator table (:func:`smartgis.indicators.report.report_table`)."""
    from PySide6.QtCore import QMarginsF, QSizeF, QUrl
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

    from smartgis.render.app import ensure_gui_app

    ensure_gui_app()
    path = Path(path)
    if not path.absolute().parent.is_dir():
        raise ProjectFileError(_("the folder does not exist"), path.absolute().parent)
    d = report_data(result, project, lang)
    writer = QPdfWriter(str(path))
    writer.setResolution(DPI)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.A4), QPageLayout.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Millimeter))
    writer.setTitle(f"{d['title']} — {d['project']}")
    writer.setCreator("SmartGIS")
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)  # point sizes at the printer's resolution
    font = QFont(FONT_FAMILY)
    font.setPointSizeF(9.0)
    doc.setDefaultFont(font)
    page = writer.pageLayout().paintRectPixels(DPI)
    doc.setPageSize(QSizeF(page.width(), page.height()))
    doc.addResource(QTextDocument.ImageResource, QUrl("report://map"),
                    _svg_image(map_svg(project, result, lang=lang), 1800))
    doc.addResource(QTextDocument.ImageResource, QUrl("report://chart"),
                    _svg_image(chart_svg(result.type_coverage, project.catalog, lang), 1800))
    html = _qt_html(d, lang)
    if indicators:
        from smartgis.analysis.report_indicators import indicators_html
        html += indicators_html(indicators, lang).replace("<h2>", "<h2 style='font-size:13pt'>")
    # image widths are in 96-dpi pixels; the page is measured in printer pixels
    html = html.replace("width='640'", f"width='{int(page.width() * 96 / DPI) - 4}'")
    doc.setHtml(html)
    doc.print_(writer)
    del writer  # finishes the file
    if not path.exists() or path.stat().st_size == 0:
        raise ProjectFileError(_("the PDF could not be written"), path)
    return path
