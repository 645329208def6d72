"""Pictures of the plan for the deliverables and the window: the architecture diagram,
the implementation timeline, the map of the design, the map of the check results.

Drawn with QtGui (QPainter on a QImage) and returned as PNG bytes, so the Qt-free
writers of :mod:`smartgis.plan` can put them into Word.
"""

from __future__ import annotations

from smartgis.plan.layers import LAYERS, layer_label

FONT_FAMILY = "WenQuanYi Micro Hei"
#: Colours of the layers (bottom up) and of the phases.
LAYER_COLOURS = {"perception": "#4e79a7", "network": "#59a14f", "data": "#9c755f", "platform": "#f28e2b",
                 "application": "#e15759", "security": "#76b7b2"}
PHASE_COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1")


def _png(image) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.WriteOnly)
    image.save(buf, "PNG")
    buf.close()
    return bytes(data.data())


def _canvas(w: int, h: int):
    from PySide6.QtGui import QColor, QImage, QPainter
    from smartgis.render.app import ensure_gui_app
    ensure_gui_app()
    img = QImage(w, h, QImage.Format_ARGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setRenderHint(QPainter.Antialiasing, True)
    p.setRenderHint(QPainter.TextAntialiasing, True)
    return img, p


def _font(px: int, bold: bool = False):
    from PySide6.QtGui import QFont
    f = QFont(FONT_FAMILY)
    f.setPixelSize(px)
    f.setBold(bold)
    return f


def _box(p, rect, fill: str, text: str, px: int, text_colour: str = "#ffffff", bold: bool = False) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QPen
    p.setPen(QPen(QColor("#333333"), 1))
    p.setBrush(QColor(fill))
    p.drawRoundedRect(rect, 6, 6)
    p.setPen(QColor(text_colour))
    p.setFont(_font(px, bold))
    p.drawText(rect.adjusted(6, 4, -6, -4), Qt.AlignCenter | Qt.TextWordWrap, text)


def architecture_image(investment, lang: str = "zh", width: int = 1600):
    """The architecture diagram: one band per layer (perception at the bottom), the key
    projects of each layer as boxes with their investment, security across all bands."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor
    bands = [k for k in LAYERS if k != "security"][::-1]     # application on top
    by_layer = {k: [pc for pc in investment.projects if pc.layer == k] for k in LAYERS}
    band_h, gap, label_w, side_w, margin = 130, 14, 190, 150, 20
    title_h = 60
    h = title_h + len(bands) * (band_h + gap) + margin
    img, p = _canvas(width, h)
    p.setFont(_font(30, True))
    p.setPen(QColor("#222222"))
    p.drawText(QRectF(0, 8, width, title_h - 10), 0x84, "智慧城市总体架构" if lang == "zh" else "Architecture")
    inner_w = width - 2 * margin - label_w - side_w - 2 * gap
    for i, k in enumerate(bands):
        y = title_h + i * (band_h + gap)
        colour = LAYER_COLOURS[k]
        band = QRectF(margin, y, width - 2 * margin - side_w - gap, band_h)
        p.setPen(QColor(colour))
        p.setBrush(QColor(colour).lighter(185))
        p.drawRoundedRect(band, 8, 8)
        _box(p, QRectF(margin + 6, y + 6, label_w - 12, band_h - 12), colour, layer_label(k, lang), 24, bold=True)
        pcs = by_layer[k]
        if not pcs:
            p.setPen(QColor("#777777"))
            p.setFont(_font(20))
            p.drawText(QRectF(margin + label_w, y, inner_w, band_h), 0x84, "（暂无重点项目）" if lang == "zh" else "(none)")
            continue
        bw = (inner_w - gap * (len(pcs) - 1)) / len(pcs)
        for j, pc in enumerate(pcs):
            r = QRectF(margin + label_w + j * (bw + gap), y + 14, bw, band_h - 28)
            text = f"{pc.project.name}\n{pc.investment_cny / 1e4:,.0f} 万元"
            _box(p, r, "#ffffff", text, 19 if bw > 180 else 15, text_colour="#222222")
    # security, standards and operations across every band
    sec = QRectF(width - margin - side_w, title_h, side_w, len(bands) * (band_h + gap) - gap)
    names = "\n".join(pc.project.name for pc in by_layer["security"])
    _box(p, sec, LAYER_COLOURS["security"], layer_label("security", lang) + ("\n\n" + names if names else ""), 22,
         bold=True)
    p.end()
    return img


def timeline_image(investment, lang: str = "zh", width: int = 1600):
    """The implementation timeline: one bar per key project over the years of its phase,
    phases as shaded bands."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QPen
    plan = investment.plan
    phases = [ph for ph in plan.phases if ph.start_year]
    years = [y for ph in phases for y in (ph.start_year, ph.end_year or ph.start_year)]
    y0, y1 = (min(years), max(years)) if years else (2026, 2030)
    projects = investment.projects
    row_h, top, left, right = 40, 90, 360, 30
    h = top + max(1, len(projects)) * row_h + 40
    img, p = _canvas(width, h)
    span = (width - left - right) / (y1 - y0 + 1)
    x_of = lambda y: left + (y - y0) * span  # noqa: E731
    colour = {ph.name: PHASE_COLOURS[i % len(PHASE_COLOURS)] for i, ph in enumerate(plan.phases)}
    p.setFont(_font(28, True))
    p.setPen(QColor("#222222"))
    p.drawText(QRectF(0, 4, width, 40), Qt.AlignCenter, "实施进度计划" if lang == "zh" else "Timeline")
    for ph in phases:
        a, b = x_of(ph.start_year), x_of((ph.end_year or ph.start_year) + 1)
        band = QColor(colour[ph.name])
        band.setAlpha(40)
        p.fillRect(QRectF(a, top - 36, b - a, h - top - 4 + 36), band)
        p.setPen(QColor(colour[ph.name]))
        p.setFont(_font(20, True))
        p.drawText(QRectF(a, top - 36, b - a, 30), Qt.AlignCenter, f"{ph.name} {ph.years()}")
    p.setPen(QPen(QColor("#999999"), 1))
    p.setFont(_font(16))
    for y in range(y0, y1 + 2):
        p.drawLine(int(x_of(y)), top - 4, int(x_of(y)), h - 30)
        if y <= y1:
            p.drawText(QRectF(x_of(y), h - 30, span, 26), Qt.AlignCenter, str(y))
    by_name = {ph.name: ph for ph in plan.phases}
    for i, pc in enumerate(projects):
        y = top + i * row_h
        p.setPen(QColor("#222222"))
        p.setFont(_font(17))
        p.drawText(QRectF(8, y, left - 16, row_h), Qt.AlignVCenter | Qt.AlignRight,
                   f"{pc.project.id} {pc.project.name}")
        ph = by_name.get(pc.project.phase)
        if ph is None or not ph.start_year:
            continue
        a, b = x_of(ph.start_year), x_of((ph.end_year or ph.start_year) + 1)
        _box(p, QRectF(a + 4, y + 6, b - a - 8, row_h - 12), colour[ph.name],
             f"{pc.investment_cny / 1e4:,.0f} 万元", 15)
    p.end()
    return img


def design_map_image(project, size=(1600, 1100)):
    """The map of the design over the planning data (study area, water, roads)."""
    from smartgis.render import render_map
    roles = ("study_area", "water", "roads", "key_areas")
    layers = [lyr.id for r in roles for lyr in project.layers_with_role(r)]
    layers += [lyr.id for lyr in project.design.layers.values() if lyr.feature_count and lyr.id in project.layers]
    if not layers:
        return None
    extent = None
    study = project.layers_with_role("study_area")
    if study and study[0].extent:
        x0, y0, x1, y1 = study[0].extent
        m = 0.03 * max(x1 - x0, y1 - y0)
        extent = (x0 - m, y0 - m, x1 + m, y1 + m)
    return render_map(project, size, extent=extent, layers=layers, scale_bar=True, north_arrow=True,
                      labels=False).image


def svg_image(svg: str, width: int = 1600):
    from smartgis.render.report_pdf import _svg_image
    return _svg_image(svg, width)


def plan_pictures(project, investment, final_result=None, lang: str = "zh") -> dict:
    """All pictures of the deliverable as PNG bytes (``architecture``, ``timeline``,
    ``design_map``, ``check_map``)."""
    out = {"architecture": _png(architecture_image(investment, lang)),
           "timeline": _png(timeline_image(investment, lang))}
    img = design_map_image(project)
    if img is not None:
        out["design_map"] = _png(img)
    if final_result is not None:
        from smartgis.analysis.svg import map_svg
        out["check_map"] = _png(svg_image(map_svg(project, final_result, lang=lang), 1600))
    return out
