"""Print-ready map sheets: a map in a drawing frame with the parts a planning bureau
expects — title, legend built from the layer styles, scale bar, north arrow, a
coordinate grid labelled the surveying way, a CRS note and a title block (标题栏) in
the lower right corner.

QtGui only.  The map itself is drawn by the rendering engine
(:func:`smartgis.render.render_to_painter`), as vectors in a PDF.  The layout follows
the Chinese drawing-sheet convention (GB/T 14689): a 25 mm binding margin on the left,
a bold inner frame, the title block at the bottom right.

Examples
--------
>>> sheet = MapSheet(project, paper="A3", landscape=True, scale=10000)   # doctest: +SKIP
>>> sheet.to_pdf("sheet.pdf"); sheet.to_png("sheet.png", dpi=150)        # doctest: +SKIP
"""

from __future__ import annotations

import datetime as _dt
import math
import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QLinearGradient,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
    QPolygonF,
)

from smartgis.core.layers import geometry_family
from smartgis.errors import ProjectFileError, UsageError
from smartgis.i18n import _, localize, translate

#: Paper sizes (width, height) in millimetres, portrait.
PAPER_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0), "A2": (420.0, 594.0), "A1": (594.0, 841.0),
            "A0": (841.0, 1189.0)}
_PAGE_IDS = {"A4": QPageSize.PageSizeId.A4, "A3": QPageSize.PageSizeId.A3, "A2": QPageSize.PageSizeId.A2,
             "A1": QPageSize.PageSizeId.A1, "A0": QPageSize.PageSizeId.A0}

#: Fonts tried in order; the first one installed wins (Chinese text needs a CJK font).
FONT_FAMILIES = ["Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimHei",
                 "WenQuanYi Micro Hei", "Droid Sans Fallback", "Sans Serif"]

INK = QColor(20, 20, 20)

#: Words on the sheet, as messages shown in the project's language (Chinese in
#: ``messages/sheets.json``).
WORDS = {
    "legend": _("Legend"), "notes": _("Notes"), "institute": _("Institute"), "project": _("Project"),
    "title": _("Title"), "designer": _("Designed"), "reviewer": _("Reviewed"), "scale": _("Scale"),
    "date": _("Date"), "sheet": _("Sheet"), "review": _("Review"), "north": _("N"),
    "default_title": _("Smart-city facilities plan"), "crs": _("Coordinates"), "projection": _("Projection"),
    "units": _("Units: metres"), "gk_axes": _("X is northing, Y is easting"), "source": _("Data"),
    "printed": _("Printed"), "grid": _("Grid interval"), "m": _("m"), "km": _("km"),
    "elements": _("Design elements"),
}
#: The reviewers' decisions, as the title block names them.
DECISION_WORDS = {"approve": _("approved"), "revise": _("revise"), "reject": _("rejected")}
#: Languages a sheet is drawn in (others draw in Chinese).
SHEET_LANGUAGES = ("zh", "en")


def sheet_language(project) -> str:
    """The language a project's sheets are drawn in: its own, Chinese when it has none we know."""
    return project.language if project.language in SHEET_LANGUAGES else "zh"


def sheet_words(lang: str) -> dict[str, str]:
    """The words on a sheet in ``lang`` (``"none"`` is the dash of an empty cell)."""
    out = {k: localize(w, lang) for k, w in WORDS.items()}
    out["none"] = "—"
    return out


# == numbers ==============================================================================
#: Multipliers of the round scales a sheet is drawn at (1:10 000, 1:15 000, 1:20 000 …).
SCALE_STEPS = (1, 1.5, 2, 2.5, 3, 4, 5, 7.5, 10)


def nice_scale(n: float) -> float:
    """The smallest round scale denominator (:data:`SCALE_STEPS` × 10^k) not below ``n``."""
    if not (n > 0 and math.isfinite(n)):
        raise UsageError(_("invalid scale {scale!r}", scale=n))
    k = 10 ** math.floor(math.log10(n))
    for m in SCALE_STEPS:
        if m * k >= n * (1 - 1e-9):
            return float(m * k)
    return float(10 * k)


def nice_step(length: float) -> float:
    """The largest round length (1, 2, 2.5, 5 × 10^k) not above ``length``."""
    k = 10 ** math.floor(math.log10(length))
    for m in (5, 2.5, 2, 1):
        if m * k <= length * (1 + 1e-9):
            return float(m * k)
    return float(k)


def paper_size(paper: str, landscape: bool) -> tuple[float, float]:
    """(width, height) of a paper in millimetres."""
    key = str(paper).upper()
    if key not in PAPER_MM:
        raise UsageError(_("unknown paper {paper!r} (use {choices})", paper=paper, choices=", ".join(PAPER_MM)))
    w, h = PAPER_MM[key]
    return (h, w) if landscape else (w, h)


def _fmt_int(v: float) -> str:
    return f"{v:.0f}" if abs(v - round(v)) < 1e-6 else f"{v:.1f}"


# == layout ==============================================================================
@dataclass
class SheetLayout:
    """Where each part of the sheet goes, in millimetres from the top-left page corner."""

    page: QRectF
    frame: QRectF
    header: QRectF
    map: QRectF
    legend: QRectF
    notes: QRectF
    title_block: QRectF
    side_line: tuple | None   # separator between the map and the side column


def compute_layout(width_mm: float, height_mm: float) -> SheetLayout:
    """The sheet layout for a page: side column on landscape pages, bottom band on portrait."""
    page = QRectF(0, 0, width_mm, height_mm)
    small = min(width_mm, height_mm) <= 297.0
    edge = 5.0 if small else 10.0                       # GB/T 14689: c = 5 (A3, A4), 10 (A0–A2)
    binding = 25.0
    frame = QRectF(binding, edge, width_mm - binding - edge, height_mm - 2 * edge)
    u = min(width_mm, height_mm) / 297.0                # parts grow with the paper
    header_h = 16.0 * max(1.0, u ** 0.6)
    band = 9.0 * max(1.0, u ** 0.5)                     # room for grid labels around the map
    header = QRectF(frame.left(), frame.top(), frame.width(), header_h)
    if width_mm >= height_mm:
        side_w = min(max(0.24 * frame.width(), 82.0), 150.0 * max(1.0, u ** 0.5))
        side = QRectF(frame.right() - side_w, header.bottom(), side_w, frame.bottom() - header.bottom())
        map_rect = QRectF(frame.left() + band, header.bottom() + band,
                          side.left() - frame.left() - 2 * band, frame.bottom() - header.bottom() - 2 * band)
        tb_h = 64.0 * max(1.0, u ** 0.5)
        notes_h = 34.0 * max(1.0, u ** 0.5)
        title_block = QRectF(side.left(), side.bottom() - tb_h, side.width(), tb_h)
        notes = QRectF(side.left(), title_block.top() - notes_h, side.width(), notes_h)
        legend = QRectF(side.left(), side.top(), side.width(), notes.top() - side.top())
        sep = (side.left(), header.bottom(), side.left(), frame.bottom())
    else:
        bottom_h = min(max(0.27 * frame.height(), 80.0), 170.0 * max(1.0, u ** 0.5))
        bottom = QRectF(frame.left(), frame.bottom() - bottom_h, frame.width(), bottom_h)
        map_rect = QRectF(frame.left() + band, header.bottom() + band, frame.width() - 2 * band,
                          bottom.top() - header.bottom() - 2 * band)
        tb_w = min(max(0.42 * frame.width(), 100.0), 180.0 * max(1.0, u ** 0.5))
        title_block = QRectF(bottom.right() - tb_w, bottom.bottom() - 64.0 * max(1.0, u ** 0.5), tb_w,
                             64.0 * max(1.0, u ** 0.5))
        notes = QRectF(title_block.left(), bottom.top(), tb_w, title_block.top() - bottom.top())
        legend = QRectF(bottom.left(), bottom.top(), bottom.width() - tb_w, bottom.height())
        sep = (bottom.left(), bottom.top(), bottom.right(), bottom.top())
    return SheetLayout(page, frame, header, map_rect, legend, notes, title_block, sep)


# == legend content ======================================================================
@dataclass
class LegendEntry:
    kind: str              # "header", "symbol", "raster"
    text: str
    symbol: object = None  # smartgis.core.style.Symbol
    family: str = "polygon"
    layer: object = None


def legend_entries(project, layers, extent=None) -> list[LegendEntry]:
    """Legend entries of the drawn layers, top layer first, from their styles.

    Element layers come first under one heading; a categorised or graduated layer gets
    a heading and one entry per class; layers with nothing inside ``extent`` are left out.
    """
    from smartgis.core.design import ElementLayer
    from smartgis.core.layers import RasterLayer, VectorLayer
    lang = sheet_language(project)
    design, data = [], []

    def inside(lyr) -> bool:
        e = lyr.extent
        if e is None:
            return False
        if extent is None:
            return True
        return not (e[2] < extent[0] or e[0] > extent[2] or e[3] < extent[1] or e[1] > extent[3])

    for lyr in layers:
        if isinstance(lyr, VectorLayer) and (not lyr.available or not lyr.feature_count or not inside(lyr)):
            continue
        if isinstance(lyr, ElementLayer):
            design.append(LegendEntry("symbol", lyr.name, lyr.style.symbol, geometry_family(lyr.geometry_type), lyr))
        elif isinstance(lyr, VectorLayer):
            st, fam = lyr.style, geometry_family(lyr.geometry_type)
            if st.renderer == "categorized" and st.categories:
                data.append(LegendEntry("header", lyr.name))
                data.extend(LegendEntry("symbol", c.label or str(c.value), c.symbol, fam, lyr) for c in st.categories)
            elif st.renderer == "graduated" and st.ranges:
                data.append(LegendEntry("header", lyr.name))
                data.extend(LegendEntry("symbol", r.label or f"{r.lower:g}–{r.upper:g}", r.symbol, fam, lyr)
                            for r in st.ranges)
            else:
                data.append(LegendEntry("symbol", lyr.name, st.symbol, fam, lyr))
        elif isinstance(lyr, RasterLayer) and lyr.available and inside(lyr):
            data.append(LegendEntry("raster", lyr.name, None, "raster", lyr))
    out = []
    if design:
        out.append(LegendEntry("header", localize(WORDS["elements"], lang)))
        out.extend(design)
    return out + data


# == the sheet ===========================================================================
class MapSheet:
    """One map sheet of a project.

    Parameters
    ----------
    project : Project
    paper : {"A4", "A3", "A2", "A1", "A0"}
    landscape : bool
    extent : (xmin, ymin, xmax, ymax), optional
        What must be on the map (project CRS); default: the study area, else everything.
    scale : float, optional
        The N of 1:N; default: the round scale at which ``extent`` fits the map frame.
    title : str, optional
        The sheet title (图名).
    sheet_number : str, optional
        Default: ``<sheet_prefix>-01`` from the project metadata.
    date : str, optional
        Default: today.
    layers : list, optional
        Layers (or ids) to draw, top first; default: the visible ones (or the theme's).
    theme : Theme or str, optional
        A sheet theme (:mod:`smartgis.analysis.themes`): its layers and its title.
    phase : str, optional
        Only the elements of this construction phase.
    gaps : bool
        Print the check gaps (of failed and warned rules only; never by default).
    """

    def __init__(self, project, paper: str = "A3", landscape: bool = False, extent=None, scale: float | None = None,
                 title: str | None = None, sheet_number: str | None = None, date: str | None = None, layers=None,
                 theme=None, phase: str | None = None, gaps: bool = False):
        from smartgis.analysis.themes import find_theme, sheet_title
        self.theme = find_theme(theme) if isinstance(theme, str) else theme
        self.phase = phase
        self.gaps = bool(gaps)
        self.project = project
        self.paper = str(paper).upper()
        self.landscape = bool(landscape)
        w, h = paper_size(self.paper, self.landscape)
        self.layout = compute_layout(w, h)
        self.lang = sheet_language(project)
        self.words = sheet_words(self.lang)
        self.title = title or sheet_title(self.theme, phase, self.lang) or self.words["default_title"]
        prefix = (project.metadata.get("sheet_prefix") or "").strip()
        self.sheet_number = sheet_number or (f"{prefix}-01" if prefix else "01")
        self.date = date or _dt.date.today().isoformat()
        self.layers = self._layers(layers)
        self.extent, self.scale = self._fit(extent, scale)
        self.grid_step = self._grid_step()

    # -- what goes on the map ------------------------------------------------------------
    def _layers(self, layers) -> list:
        from smartgis.analysis.themes import sheet_layers
        return sheet_layers(self.project, self.theme, layers, self.phase, self.gaps)

    def _default_extent(self):
        p = self.project
        for lyr in p.layers_with_role("study_area"):
            if lyr.extent:
                return lyr.extent
        e = p.extent
        if e is None:
            raise UsageError(_("the project has nothing to map (no layer with data)"), p.path)
        return e

    def _fit(self, extent, scale):
        m = self.layout.map
        w_m, h_m = m.width() / 1000.0, m.height() / 1000.0   # map frame in metres of paper
        if extent is not None:
            x0, y0, x1, y1 = (float(v) for v in extent)
            if not (x1 > x0 and y1 > y0 and all(math.isfinite(v) for v in (x0, y0, x1, y1))):
                raise UsageError(_("invalid extent {extent!r}: give xmin,ymin,xmax,ymax with min < max",
                                   extent=extent))
        else:
            x0, y0, x1, y1 = self._default_extent()
            pad = 0.03 * max(x1 - x0, y1 - y0)
            x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
        if scale is None:
            scale = nice_scale(max((x1 - x0) / w_m, (y1 - y0) / h_m, 1.0))
        else:
            scale = float(scale)
            if not (scale >= 1 and math.isfinite(scale)):
                raise UsageError(_("invalid scale {scale!r}: give the N of 1:N, e.g. --scale 10000", scale=scale))
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        hw, hh = w_m * scale / 2, h_m * scale / 2
        return (cx - hw, cy - hh, cx + hw, cy + hh), scale

    def _grid_step(self) -> float:
        width_m = self.extent[2] - self.extent[0]
        return nice_step(width_m / 5.0)

    # -- output --------------------------------------------------------------------------
    def page_size_mm(self) -> tuple[float, float]:
        return self.layout.page.width(), self.layout.page.height()

    def to_pdf(self, path, dpi: int = 300, progress=None) -> Path:
        """Write a one-page PDF; vector layers stay vectors, rasters are drawn at ``dpi``."""
        from smartgis.render.app import ensure_gui_app
        ensure_gui_app()
        path = Path(path)
        _check_output(path, ".pdf")
        tmp = _temp_beside(path)
        writer = QPdfWriter(str(tmp))
        writer.setResolution(int(dpi))
        writer.setTitle(f"{self.project.name} — {self.title}")
        writer.setCreator("SmartGIS")
        size = QPageSize(_PAGE_IDS[self.paper])
        orient = QPageLayout.Orientation.Landscape if self.landscape else QPageLayout.Orientation.Portrait
        writer.setPageLayout(QPageLayout(size, orient, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter))
        painter = QPainter()
        if not painter.begin(writer):
            raise ProjectFileError(_("cannot write the PDF"), path)
        try:
            self.paint(painter, float(dpi), progress=progress)
        except BaseException:
            painter.end()
            writer = None               # dropping the writer closes the file
            tmp.unlink(missing_ok=True)
            raise
        painter.end()
        writer = None                   # closes the file
        os.replace(tmp, path)           # a half-written sheet never appears under the name
        return path

    def to_image(self, dpi: float = 150) -> QImage:
        """The sheet as an image (white paper)."""
        from smartgis.render.app import ensure_gui_app
        ensure_gui_app()
        w_mm, h_mm = self.page_size_mm()
        k = dpi / 25.4
        img = QImage(int(round(w_mm * k)), int(round(h_mm * k)), QImage.Format.Format_ARGB32_Premultiplied)
        if img.isNull():
            raise UsageError(_("a {paper} sheet at {dpi} dpi is too large for memory; lower --dpi", paper=self.paper,
                               dpi=f"{dpi:g}"))
        dpm = int(round(dpi / 0.0254))
        img.setDotsPerMeterX(dpm)
        img.setDotsPerMeterY(dpm)
        img.fill(QColor("white"))
        painter = QPainter(img)
        try:
            self.paint(painter, float(dpi))
        finally:
            painter.end()
        return img

    def to_png(self, path, dpi: float = 150) -> Path:
        path = Path(path)
        _check_output(path, ".png")
        img = self.to_image(dpi)
        tmp = _temp_beside(path)
        if not img.save(str(tmp), "PNG"):
            tmp.unlink(missing_ok=True)
            raise ProjectFileError(_("cannot write the PNG"), path)
        os.replace(tmp, path)
        return path

    # -- drawing -------------------------------------------------------------------------
    def paint(self, painter: QPainter, dpi: float, progress=None) -> None:
        """Draw the whole sheet; the painter's origin is the page's top-left corner and one
        device pixel is 1/``dpi`` inch."""
        self._k = dpi / 25.4
        self._dpi = dpi
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        self._draw_map(painter, progress)
        self._draw_grid(painter)
        self._draw_frames(painter)
        self._draw_header(painter)
        self._draw_north_arrow(painter)
        self._draw_scale_bar(painter)
        self._draw_legend(painter)
        self._draw_notes(painter)
        self._draw_title_block(painter)

    # units
    def _mm(self, v: float) -> float:
        return v * self._k

    def _r(self, rect: QRectF) -> QRectF:
        k = self._k
        return QRectF(rect.x() * k, rect.y() * k, rect.width() * k, rect.height() * k)

    def _font(self, size_mm: float, bold: bool = False) -> QFont:
        f = QFont()
        f.setFamilies(FONT_FAMILIES)
        # text size given as the em height in millimetres; points are 1/72 inch
        f.setPointSizeF(max(size_mm, 0.5) * 72.0 / 25.4)
        f.setBold(bold)
        f.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
        return f

    def _pen(self, width_mm: float, color=INK) -> QPen:
        pen = QPen(QColor(color))
        pen.setWidthF(max(self._mm(width_mm), 0.5))
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        return pen

    def _text(self, painter, rect_mm: QRectF, text: str, size_mm: float, flags=None, bold=False, color=INK,
              fit: bool = True) -> None:
        """Draw text in a rectangle, shrinking it to fit the width when ``fit``."""
        font = self._font(size_mm, bold)
        r = self._r(rect_mm)
        if fit:
            fm = QFontMetricsF(font, painter.device())
            w = fm.horizontalAdvance(text)
            if w > r.width() > 0:
                font = self._font(size_mm * max(r.width() / w, 0.55), bold)
                fm = QFontMetricsF(font, painter.device())
                text = fm.elidedText(text, Qt.TextElideMode.ElideRight, r.width())
        painter.setFont(font)
        painter.setPen(QColor(color))
        painter.drawText(r, int(flags if flags is not None else Qt.AlignmentFlag.AlignCenter), text)

    # the map
    def _draw_map(self, painter, progress) -> None:
        from smartgis.render.cartography import draw_sheet_map
        target = self._r(self.layout.map)
        painter.save()
        painter.setClipRect(target)
        painter.fillRect(target, QColor("white"))
        # symbols to scale, thinned; labels clear of every symbol
        m = self.layout.map
        keep_clear = [QRectF(r.x() - m.x(), r.y() - m.y(), r.width(), r.height())
                      for r in self._decoration_boxes()]          # no label under the north arrow or scale bar
        self.map_result = draw_sheet_map(painter, target, self.project, self.extent, self._dpi, self.layers,
                                         self.scale, keep_clear_mm=keep_clear)
        painter.restore()
        if progress is not None:
            progress(0.8, 1.0, "map drawn")

    def _grid_lines(self) -> tuple[list[float], list[float]]:
        x0, y0, x1, y1 = self.extent
        s = self.grid_step
        xs = [k * s for k in range(math.ceil(x0 / s), math.floor(x1 / s) + 1)]
        ys = [k * s for k in range(math.ceil(y0 / s), math.floor(y1 / s) + 1)]
        return xs, ys

    def _map_to_mm(self, x: float, y: float) -> tuple[float, float]:
        m = self.layout.map
        x0, y0, x1, y1 = self.extent
        return (m.left() + (x - x0) / (x1 - x0) * m.width(), m.top() + (y1 - y) / (y1 - y0) * m.height())

    def _is_gauss_kruger(self) -> tuple[bool, object]:
        from smartgis.crs import gk_zones, parse_crs
        try:
            auth = parse_crs(self.project.crs).to_authority(min_confidence=70)
        except Exception:
            auth = None
        if auth and auth[0] == "EPSG":
            for z in gk_zones():
                if z.epsg == int(auth[1]):
                    return True, z
        try:
            name = parse_crs(self.project.crs).name or ""
        except Exception:
            name = ""
        return ("Gauss-Kruger" in name or "Gauss Kruger" in name), None

    def _draw_grid(self, painter) -> None:
        """Grid lines across the map and their coordinates in the label band around it.

        On a Gauss-Kruger sheet the surveying convention applies: X is the northing
        (labels on the left and right edges), Y the easting (top and bottom).
        """
        xs, ys = self._grid_lines()
        m = self.layout.map
        gk, _ = self._is_gauss_kruger()
        pen = QPen(QColor(60, 60, 60, 150))
        pen.setWidthF(max(self._mm(0.12), 0.5))
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.save()
        painter.setClipRect(self._r(m))
        painter.setPen(pen)
        for x in xs:
            px, _ = self._map_to_mm(x, 0)
            painter.drawLine(QPointF(self._mm(px), self._mm(m.top())), QPointF(self._mm(px), self._mm(m.bottom())))
        for y in ys:
            _, py = self._map_to_mm(0, y)
            painter.drawLine(QPointF(self._mm(m.left()), self._mm(py)), QPointF(self._mm(m.right()), self._mm(py)))
        painter.restore()
        size = 2.0 * max(1.0, (min(self.page_size_mm()) / 297.0) ** 0.5)
        east = (lambda v: f"Y={_fmt_int(v)}") if gk else (lambda v: f"E {_fmt_int(v)}")
        north = (lambda v: f"X={_fmt_int(v)}") if gk else (lambda v: f"N {_fmt_int(v)}")
        tick = 1.6
        painter.setPen(self._pen(0.18))
        for x in xs:
            px, _ = self._map_to_mm(x, 0)
            for edge, sign in ((m.top(), -1), (m.bottom(), 1)):
                painter.drawLine(QPointF(self._mm(px), self._mm(edge)), QPointF(self._mm(px), self._mm(edge + sign * tick)))
                box = QRectF(px - 20, edge + (-tick - size * 1.6 if sign < 0 else tick + 0.2), 40, size * 1.5)
                self._text(painter, box, east(x), size, fit=False)
        for y in ys:
            _, py = self._map_to_mm(0, y)
            for edge, sign in ((m.left(), -1), (m.right(), 1)):
                painter.setPen(self._pen(0.18))
                painter.drawLine(QPointF(self._mm(edge), self._mm(py)), QPointF(self._mm(edge + sign * tick), self._mm(py)))
                # rotated to run along the edge, reading upwards
                painter.save()
                cx = edge + sign * (tick + size * 0.85)
                painter.translate(self._mm(cx), self._mm(py))
                painter.rotate(-90)
                painter.setFont(self._font(size))
                painter.setPen(INK)
                r = QRectF(self._mm(-20), self._mm(-size * 0.75), self._mm(40), self._mm(size * 1.5))
                painter.drawText(r, int(Qt.AlignmentFlag.AlignCenter), north(y))
                painter.restore()

    def _draw_frames(self, painter) -> None:
        L = self.layout
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(self._pen(0.25))
        painter.drawRect(self._r(L.map))
        painter.setPen(self._pen(0.35))
        painter.drawRect(self._r(L.page.adjusted(0.3, 0.3, -0.3, -0.3)))   # trimming line
        painter.setPen(self._pen(0.9))          # the bold drawing frame (图框线)
        painter.drawRect(self._r(L.frame))
        painter.setPen(self._pen(0.35))
        painter.drawLine(QPointF(self._mm(L.frame.left()), self._mm(L.header.bottom())),
                         QPointF(self._mm(L.frame.right()), self._mm(L.header.bottom())))
        if L.side_line:
            x0, y0, x1, y1 = L.side_line
            painter.drawLine(QPointF(self._mm(x0), self._mm(y0)), QPointF(self._mm(x1), self._mm(y1)))

    def _draw_header(self, painter) -> None:
        h = self.layout.header
        size = h.height() * 0.36
        self._text(painter, QRectF(h.left() + 4, h.top() + h.height() * 0.06, h.width() - 8, h.height() * 0.56),
                   self.project.name, size, bold=True)
        self._text(painter, QRectF(h.left() + 4, h.top() + h.height() * 0.6, h.width() - 8, h.height() * 0.36),
                   self.title, size * 0.55)

    def _decoration_boxes(self) -> list[QRectF]:
        """Where the north arrow and the scale bar sit on the map (page mm, generously)."""
        m = self.layout.map
        s = 9.0 * max(1.0, (min(self.page_size_mm()) / 297.0) ** 0.5)
        u = max(1.0, (min(self.page_size_mm()) / 297.0) ** 0.5)
        arrow = QRectF(m.right() - s * 1.6, m.top(), s * 1.6, s * 2.3)
        bar = QRectF(m.left(), m.bottom() - 21.0 * u, min(80.0 * u, m.width() * 0.3) + 22 * u, 21.0 * u)
        return [arrow, bar]

    def _draw_north_arrow(self, painter) -> None:
        m = self.layout.map
        s = 9.0 * max(1.0, (min(self.page_size_mm()) / 297.0) ** 0.5)   # arrow height in mm
        cx, top = m.right() - s * 0.9, m.top() + s * 0.45
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 215))
        painter.drawRoundedRect(self._r(QRectF(cx - s * 0.55, top - s * 0.25, s * 1.1, s * 1.75)),
                                self._mm(1), self._mm(1))
        tip, base, half = (cx, top + s * 0.35), top + s * 1.35, s * 0.32
        left = QPolygonF([QPointF(self._mm(tip[0]), self._mm(tip[1])),
                          QPointF(self._mm(cx - half), self._mm(base)),
                          QPointF(self._mm(cx), self._mm(base - s * 0.28))])
        right = QPolygonF([QPointF(self._mm(tip[0]), self._mm(tip[1])),
                           QPointF(self._mm(cx + half), self._mm(base)),
                           QPointF(self._mm(cx), self._mm(base - s * 0.28))])
        painter.setPen(self._pen(0.2))
        painter.setBrush(INK)
        painter.drawPolygon(left)
        painter.setBrush(QColor("white"))
        painter.drawPolygon(right)
        painter.restore()
        self._text(painter, QRectF(cx - s * 0.5, top - s * 0.22, s, s * 0.55), self.words["north"], s * 0.36,
                   bold=True, fit=False)

    def _draw_scale_bar(self, painter) -> None:
        m = self.layout.map
        u = max(1.0, (min(self.page_size_mm()) / 297.0) ** 0.5)
        target_mm = min(60.0 * u, m.width() * 0.3)
        ground = target_mm / 1000.0 * self.scale          # metres the bar may cover
        step = nice_step(ground / 4.0)
        n = 4
        bar_mm = step * n / self.scale * 1000.0
        use_km = step * n >= 2000
        unit = self.words["km"] if use_km else self.words["m"]
        x0, y0 = m.left() + 5.0 * u, m.bottom() - 13.0 * u
        h = 1.6 * u
        box = QRectF(x0 - 3 * u, y0 - 6.5 * u, bar_mm + 16 * u, 12.0 * u)
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 215))
        painter.drawRoundedRect(self._r(box), self._mm(1), self._mm(1))
        painter.setPen(self._pen(0.2))
        for k in range(n):
            seg = QRectF(x0 + k * bar_mm / n, y0, bar_mm / n, h)
            painter.setBrush(INK if k % 2 == 0 else QColor("white"))
            painter.drawRect(self._r(seg))
        painter.restore()
        size = 2.0 * u
        for k in range(n + 1):
            v = step * k
            label = _fmt_int(v / 1000.0) if use_km else _fmt_int(v)
            if use_km and abs(v / 1000.0 - round(v / 1000.0)) > 1e-9:
                label = f"{v / 1000.0:g}"
            self._text(painter, QRectF(x0 + k * bar_mm / n - 8, y0 + h + 0.4, 16, size * 1.4), label, size, fit=False)
        self._text(painter, QRectF(x0 + bar_mm + 1.0 * u, y0 - 0.6 * u, 12 * u, h + 1.2 * u), unit, size,
                   flags=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, fit=False)
        self._text(painter, QRectF(x0, y0 - 5.8 * u, bar_mm + 10 * u, 4.6 * u),
                   translate("Scale  1:{scale}", self.lang, scale=f"{self.scale:,.0f}".replace(",", " ")), size * 1.1,
                   flags=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, bold=True, fit=False)

    # legend
    def _draw_legend(self, painter) -> None:
        r = self.layout.legend.adjusted(3.0, 2.0, -3.0, -2.0)
        u = max(1.0, (min(self.page_size_mm()) / 297.0) ** 0.5)
        head = 4.2 * u
        self._text(painter, QRectF(r.left(), r.top(), r.width(), head * 1.4), self.words["legend"], head, bold=True)
        body = QRectF(r.left(), r.top() + head * 1.7, r.width(), r.height() - head * 1.7)
        entries = legend_entries(self.project, self.layers, self.extent)
        if not entries:
            return
        max_cols = max(1, int(body.width() // (34.0 * u)))
        chosen = None
        for size in (2.6, 2.4, 2.2, 2.0, 1.85, 1.7, 1.55, 1.4):
            size *= u
            row_h = size * 1.75
            per_col = max(1, int(body.height() // row_h))
            cols = math.ceil(len(entries) / per_col)
            if cols <= max_cols:
                chosen = (size, row_h, per_col, cols)
                break
        if chosen is None:
            size = 1.4 * u
            row_h = size * 1.75
            per_col = max(1, int(body.height() // row_h))
            cols = max_cols
            keep = per_col * cols - 1
            hidden = len(entries) - keep
            entries = entries[:keep] + [LegendEntry("header", translate("… ({n} more)", self.lang, n=hidden))]
            chosen = (size, row_h, per_col, cols)
        size, row_h, per_col, cols = chosen
        slots = _flow(entries, per_col, cols)
        col_w = body.width() / cols
        sw, sh = size * 2.6, size * 1.2      # symbol patch
        for e, (c, k) in zip(entries, slots):
            x = body.left() + c * col_w
            y = body.top() + k * row_h
            if e.kind == "header":
                self._text(painter, QRectF(x, y, col_w - 1, row_h), e.text, size, bold=True,
                           flags=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                continue
            patch = QRectF(x + 0.8, y + (row_h - sh) / 2, sw, sh)
            if e.kind == "raster":
                self._draw_raster_patch(painter, patch, e.layer)
            else:
                self._draw_symbol(painter, patch, e.symbol, e.family)
            self._text(painter, QRectF(x + sw + 2.2, y, col_w - sw - 3.0, row_h), e.text, size,
                       flags=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

    def _draw_symbol(self, painter, patch_mm: QRectF, symbol, family: str) -> None:
        """A legend patch drawn with the renderer's pens, brushes and markers."""
        from smartgis.render.symbols import make_brush, make_pen, marker_path
        r = self._r(patch_mm)
        painter.save()
        if family == "point":
            size = min(self._mm(symbol.size), r.height() * 1.5)
            c = r.center()
            from smartgis.core.symbols import icon_bytes
            data = icon_bytes(symbol.icon)
            if data:
                from PySide6.QtCore import QByteArray
                from PySide6.QtSvg import QSvgRenderer
                svg = QSvgRenderer(QByteArray(data))
                if svg.isValid():
                    svg.render(painter, QRectF(c.x() - size / 2, c.y() - size / 2, size, size))
                    painter.restore()
                    return
            painter.translate(c)
            painter.setBrush(make_brush(symbol.fill))
            painter.setPen(make_pen(symbol.stroke, self._mm(symbol.stroke_width)))
            painter.drawPath(marker_path(symbol.marker, size))
        elif family == "line":
            painter.setPen(make_pen(symbol.stroke, max(self._mm(symbol.stroke_width), 1.0), symbol.dash))
            path = QPainterPath(QPointF(r.left(), r.bottom() - r.height() * 0.2))
            path.cubicTo(QPointF(r.left() + r.width() * 0.35, r.top()), QPointF(r.left() + r.width() * 0.65, r.bottom()),
                         QPointF(r.right(), r.top() + r.height() * 0.2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
        else:
            painter.setBrush(make_brush(symbol.fill))
            painter.setPen(make_pen(symbol.stroke, max(self._mm(symbol.stroke_width), 0.6), symbol.dash))
            painter.drawRect(r)
        painter.restore()

    def _draw_raster_patch(self, painter, patch_mm: QRectF, layer) -> None:
        """A thumbnail of the raster as it is styled (read from its smallest overview)."""
        r = self._r(patch_mm)
        img = _raster_thumbnail(layer, max(8, int(r.width())), max(6, int(r.height())))
        if img is not None:
            painter.drawImage(r, img)
        else:
            g = QLinearGradient(r.topLeft(), r.topRight())
            g.setColorAt(0, QColor(40, 40, 40))
            g.setColorAt(1, QColor(230, 230, 230))
            painter.fillRect(r, QBrush(g))
        painter.setPen(self._pen(0.1, QColor(90, 90, 90)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(r)

    # notes and title block
    def _crs_lines(self) -> list[str]:
        from smartgis.crs import crs_label
        w = self.words
        gk, zone = self._is_gauss_kruger()
        lang = self.lang

        def item(label: str, value) -> str:
            return translate("{label}: {value}", lang, label=label, value=value)
        lines = [item(w["crs"], crs_label(self.project.crs))]
        if zone is not None:
            proj = translate("Gauss-Kruger, {width}° zone, central meridian {meridian}°E", lang, width=zone.width,
                             meridian=zone.central_meridian)
            lines.append(item(w["projection"], proj))
        lines.append(translate("{first}; {second}", lang, first=w["units"], second=w["gk_axes"]) if gk
                     else w["units"])
        lines.append(item(w["grid"], f"{_fmt_int(self.grid_step)} {w['m']}"))
        src = Path(self.project.path).name if self.project.path else self.project.name
        lines.append(translate("{first}; {second}", lang, first=item(w["source"], src),
                               second=f"{w['printed']} {self.date}"))
        return lines

    def _draw_notes(self, painter) -> None:
        r = self.layout.notes
        u = max(1.0, (min(self.page_size_mm()) / 297.0) ** 0.5)
        painter.setPen(self._pen(0.35))
        painter.drawLine(QPointF(self._mm(r.left()), self._mm(r.top())), QPointF(self._mm(r.right()), self._mm(r.top())))
        inner = r.adjusted(3.0, 1.5, -3.0, -1.5)
        size = 2.0 * u
        self._text(painter, QRectF(inner.left(), inner.top(), inner.width(), size * 1.8), self.words["notes"],
                   size * 1.15, bold=True, flags=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        lines = self._crs_lines()
        y = inner.top() + size * 2.0
        row = min(size * 1.65, (inner.bottom() - y) / max(len(lines), 1))
        for k, line in enumerate(lines):
            self._text(painter, QRectF(inner.left(), y + k * row, inner.width(), row), f"{k + 1}. {line}",
                       min(size, row / 1.45), flags=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

    def _review_text(self) -> str:
        try:
            from smartgis.review import review_of
            last = review_of(self.project).latest_signoff()
        except Exception:  # a damaged review table must not stop the sheet
            last = None
        if last is None:
            return self.words["none"]
        d = DECISION_WORDS.get(last.decision)
        return translate("{decision} ({reviewer})", self.lang, decision=localize(d, self.lang) if d else last.decision,
                         reviewer=last.reviewer)

    def _draw_title_block(self, painter) -> None:
        """The title block (标题栏): institute, project, title, people, scale, date, sheet number."""
        r = self.layout.title_block
        w = self.words
        meta = self.project.metadata
        u = r.height() / 64.0
        rows = [
            [(w["institute"], meta.get("institute") or w["none"], 1.0)],
            [(w["project"], self.project.name, 1.0)],
            [(w["title"], self.title, 1.0)],
            [(w["designer"], meta.get("designer") or w["none"], 0.5), (w["reviewer"], meta.get("reviewer") or w["none"], 0.5)],
            [(w["scale"], f"1:{self.scale:,.0f}".replace(",", " "), 0.5), (w["date"], self.date, 0.5)],
            [(w["sheet"], self.sheet_number, 0.5), (w["review"], self._review_text(), 0.5)],
        ]
        heights = [1.35, 1.2, 1.2, 1.0, 1.0, 1.0]
        unit_h = r.height() / sum(heights)
        label_w = min(16.0 * u, r.width() * 0.18)
        painter.save()
        painter.setBrush(QColor("white"))
        painter.setPen(self._pen(0.6))
        painter.drawRect(self._r(r))
        y = r.top()
        for k, (cells, hh) in enumerate(zip(rows, heights)):
            h = unit_h * hh
            x = r.left()
            if k:
                painter.setPen(self._pen(0.2))
                painter.drawLine(QPointF(self._mm(r.left()), self._mm(y)), QPointF(self._mm(r.right()), self._mm(y)))
            for j, (label, value, frac) in enumerate(cells):
                cw = r.width() * frac
                lw = label_w if frac == 1.0 else label_w * 0.8
                painter.setPen(self._pen(0.2))
                if j:
                    painter.drawLine(QPointF(self._mm(x), self._mm(y)), QPointF(self._mm(x), self._mm(y + h)))
                painter.drawLine(QPointF(self._mm(x + lw), self._mm(y)), QPointF(self._mm(x + lw), self._mm(y + h)))
                self._text(painter, QRectF(x + 0.8, y, lw - 1.6, h), label, 2.2 * u)
                big = k == 0 or k == 2
                self._text(painter, QRectF(x + lw + 1.2, y, cw - lw - 2.4, h), value,
                           (2.9 if big else 2.3) * u, bold=big,
                           flags=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter if frac < 1 or k == 1
                           else Qt.AlignmentFlag.AlignCenter)
                x += cw
            y += h
        painter.restore()


def _flow(entries: list, per_col: int, cols: int) -> list[tuple[int, int]]:
    """(column, row) of each legend entry; a heading never ends a column (it moves on
    to the next one with its entries) unless there is no room left for that."""
    slots, c, k = [], 0, 0
    spare = per_col * cols - len(entries)
    for i, e in enumerate(entries):
        if k == per_col - 1 and e.kind == "header" and spare > 0 and c < cols - 1:
            c, k, spare = c + 1, 0, spare - 1
        if k >= per_col:
            c, k = c + 1, 0
        slots.append((c, k))
        k += 1
    return slots


def _raster_thumbnail(layer, width: int, height: int) -> QImage | None:
    """A small image of a raster layer in its display mode (None when it cannot be read)."""
    import numpy as np
    path = getattr(layer, "path", None)
    if not path or not os.path.isfile(path):
        return None
    try:
        import rasterio
        from rasterio.enums import Resampling
        with rasterio.open(path) as src:
            st = layer.style
            h = max(1, int(height))
            w = max(1, int(width))
            # the middle of the raster, as wide as the patch is
            side = min(src.width, src.height) // 3
            win = rasterio.windows.Window((src.width - side * width / height) // 2, (src.height - side) // 2,
                                          side * width / height, side)
            if st.mode == "rgb" and src.count >= 3:
                data = src.read(list(st.bands[:3]), window=win, out_shape=(3, h, w), resampling=Resampling.average)
                rgb = np.clip(data, 0, 255).astype(np.uint8).transpose(1, 2, 0)
            else:
                band = src.read(st.band, window=win, out_shape=(h, w), resampling=Resampling.bilinear).astype(float)
                lo, hi = float(np.nanmin(band)), float(np.nanmax(band))
                t = (band - lo) / (hi - lo) if hi > lo else np.zeros_like(band)
                if st.mode == "hillshade":
                    gy, gx = np.gradient(band * st.z_factor)
                    t = np.clip(0.5 + (gy - gx) / (np.hypot(gx, gy).max() + 1e-9) * 0.5, 0, 1)
                    lut = np.stack([np.arange(256)] * 3, axis=1).astype(np.uint8)
                else:
                    from smartgis.render.colors import ramp_lut
                    lut = ramp_lut(st.ramp)[:, :3]
                rgb = lut[(t * 255).astype(np.uint8)]
    except Exception:  # an unreadable raster just gets a plain patch
        return None
    rgb = np.ascontiguousarray(rgb)
    img = QImage(rgb.data, rgb.shape[1], rgb.shape[0], rgb.shape[1] * 3, QImage.Format.Format_RGB888)
    return img.copy()


def _temp_beside(path: Path) -> Path:
    return path.with_name(f".{path.stem}.{os.getpid()}.writing{path.suffix}")


def _check_output(path: Path, suffix: str) -> None:
    if path.suffix.lower() != suffix:
        raise UsageError(_("the file name should end in {suffix}", suffix=suffix), path)
    if path.is_dir():
        raise ProjectFileError(_("is a folder"), path)
    if not path.parent.exists():
        raise ProjectFileError(_("the folder does not exist"), path.parent)
    if not os.access(path.parent, os.W_OK):
        raise ProjectFileError(_("the folder is not writable"), path.parent)


def export_sheet(project, pdf=None, png=None, *, paper="A3", landscape=False, extent=None, scale=None, dpi=None,
                 title=None, sheet_number=None, date=None, progress=None, layers=None, theme=None, phase=None,
                 gaps=False) -> MapSheet:
    """Write a map sheet as PDF and/or PNG; returns the :class:`MapSheet`.

    ``dpi`` is the PNG resolution (default 150) and the resolution rasters are drawn at
    in the PDF (default 300).
    """
    if not pdf and not png:
        raise UsageError(_("give a PDF or a PNG file to write"))
    sheet = MapSheet(project, paper=paper, landscape=landscape, extent=extent, scale=scale, title=title,
                     sheet_number=sheet_number, date=date, layers=layers, theme=theme, phase=phase, gaps=gaps)
    if pdf:
        sheet.to_pdf(pdf, dpi=int(dpi or 300), progress=progress)
    if png:
        sheet.to_png(png, dpi=float(dpi or 150))
    return sheet


__all__ = ["MapSheet", "SheetLayout", "compute_layout", "export_sheet", "legend_entries", "nice_scale", "nice_step",
           "paper_size", "PAPER_MM"]
