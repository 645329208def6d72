"""SVG drawings for the reports: the map of the gaps and the coverage chart.

Plain SVG (paths, circles, text), so the HTML report embeds it inline and the PDF
report renders the same drawing with Qt's SVG renderer.
"""

from __future__ import annotations

from html import escape

import numpy as np
import shapely

from smartgis.i18n import translate

FONT = "WenQuanYi Micro Hei, Microsoft YaHei, PingFang SC, Noto Sans CJK SC, sans-serif"
STATUS_COLOURS = {"pass": "#1a9850", "fail": "#d73027", "warning": "#f39c12", "na": "#9e9e9e"}
GAP_COLOURS = ["#d73027", "#f46d43", "#fdae61", "#e7298a", "#7570b3", "#66a61e", "#e6ab02", "#a6761d"]


class _Frame:
    """Project coordinates → SVG pixels (y down), keeping the aspect ratio."""

    def __init__(self, bounds, width: float, height: float, margin: float = 10.0):
        x0, y0, x1, y1 = bounds
        w, h = max(x1 - x0, 1e-9), max(y1 - y0, 1e-9)
        self.s = min((width - 2 * margin) / w, (height - 2 * margin) / h)
        self.x0, self.y1 = x0, y1
        self.ox = margin + ((width - 2 * margin) - w * self.s) / 2
        self.oy = margin + ((height - 2 * margin) - h * self.s) / 2

    def xy(self, coords: np.ndarray) -> np.ndarray:
        c = np.asarray(coords, dtype=float).reshape(-1, 2)
        return np.column_stack([self.ox + (c[:, 0] - self.x0) * self.s, self.oy + (self.y1 - c[:, 1]) * self.s])

    def tolerance(self) -> float:
        return 0.6 / self.s  # about half a pixel


#: Qt's SVG reader takes a path of at most 32767 elements (it truncates a longer one and
#: warns "Invalid path data"); a city's roads drawn as one path have more, so a drawing
#: is split into several paths under this many elements each.
MAX_PATH_ELEMENTS = 30_000


def _ring_path(frame: _Frame, coords) -> tuple[str, int]:
    p = frame.xy(coords)
    if len(p) < 2:
        return "", 0
    return "M" + " L".join(f"{x:.1f} {y:.1f}" for x, y in p) + " Z", len(p) + 1


def _part_paths(frame: _Frame, geom):
    """(path data, element count) of each polygon (with its holes: they stay in the
    polygon's path for the even-odd fill) and each line of ``geom``."""
    for g in shapely.get_parts(geom):
        t = shapely.get_type_id(g)
        if t == 3:
            rings = [_ring_path(frame, shapely.get_coordinates(r)) for r in (g.exterior, *g.interiors)]
            rings = [r for r in rings if r[1]]
            if rings:
                yield " ".join(d for d, _ in rings), sum(n for _, n in rings)
        elif t in (1, 2):
            p = frame.xy(shapely.get_coordinates(g))
            if len(p) >= 2:
                yield "M" + " L".join(f"{x:.1f} {y:.1f}" for x, y in p), len(p)
        elif t == 7:
            yield from _part_paths(frame, g)


def geometry_paths(frame: _Frame, geom, limit: int = MAX_PATH_ELEMENTS) -> list[str]:
    """SVG path data of polygons (holes drawn with fill-rule evenodd) and lines, as
    few paths as possible of at most ``limit`` elements each (none when the geometry
    is empty or simplifies away)."""
    if geom is None or shapely.is_empty(geom):
        return []
    geom = shapely.simplify(geom, frame.tolerance(), preserve_topology=True)
    out, chunk, size = [], [], 0
    for d, n in _part_paths(frame, geom):
        if chunk and size + n > limit:
            out.append(" ".join(chunk))
            chunk, size = [], 0
        chunk.append(d)
        size += n
    if chunk:
        out.append(" ".join(chunk))
    return out


def path_elements(frame: _Frame, geom, attrs: str, inner: str = "") -> list[str]:
    """``<path>`` elements drawing ``geom`` with the given attributes."""
    return [f'<path d="{d}" {attrs}>{inner}</path>' if inner else f'<path d="{d}" {attrs}/>'
            for d in geometry_paths(frame, geom)]


def map_gaps(result, limit: int = 6) -> list:
    """The gaps a report map shows: those of failed rules, mandatory clauses first and
    within a tier the smallest gaps first (a rule with no element at all has the whole
    district as its gap and would hide the rest); when none fail, the warnings with the
    smallest gaps (the ones closest to passing)."""
    have = [r for r in result.rules if r.gaps is not None and not shapely.is_empty(r.gaps)]
    fails = sorted((r for r in have if r.status == "fail"),
                   key=lambda r: (0 if r.rule.severity == "mandatory" else 1, r.gap_area_m2))
    pick = fails or sorted((r for r in have if r.status == "warning"), key=lambda r: r.gap_area_m2)
    return [(r, r.gaps) for r in pick[:limit]]


def map_svg(project, result, width: int = 900, height: int = 620, lang: str = "zh", roads: bool = True) -> str:
    """The study area, roads, design elements and the gaps of the failed rules."""
    from smartgis.analysis.context import CheckContext
    from smartgis.analysis.outcome import NotApplicable
    ctx = CheckContext(project)
    try:
        study = ctx.study_area().geometry
    except NotApplicable:
        study = None
    gaps = map_gaps(result)
    bounds = study.bounds if study is not None else (project.extent or (0, 0, 1, 1))
    frame = _Frame(bounds, width, height - 44, margin=30.0)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="{FONT}">',
           f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>']
    if study is not None:
        out += path_elements(frame, study, 'fill="#f4f1ea" stroke="#555" stroke-width="1.2" fill-rule="evenodd"')
    if roads:
        lines = ctx.role_geometries("roads")
        if len(lines):
            merged = shapely.union_all(lines[:50_000])
            if study is not None:
                merged = shapely.intersection(merged, shapely.buffer(study, 1.0))
            out += path_elements(frame, merged, 'fill="none" stroke="#c8c8c8" stroke-width="0.7"')
    legend = []
    for k, (r, g) in enumerate(gaps[:len(GAP_COLOURS)]):
        col = GAP_COLOURS[k % len(GAP_COLOURS)]
        out += path_elements(frame, g, f'fill="{col}" fill-opacity="0.35" stroke="{col}" stroke-width="0.6" '
                             'fill-rule="evenodd"', inner=f"<title>{escape(r.rule.id)}</title>")
        legend.append((col, r.rule.id))
    # design elements: small dots (lines as strokes) in their type's colour
    for tid, lyr in sorted(project.design.layers.items()):
        if not lyr.feature_count:
            continue
        col = lyr.element_type.color
        geoms = np.asarray(lyr.geometries, dtype=object)
        pts = geoms[shapely.get_type_id(geoms) == 0]
        if len(pts):
            p = frame.xy(shapely.get_coordinates(pts))
            out.append(f'<g fill="{col}" stroke="#ffffff" stroke-width="0.4">'
                       + "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.2"/>' for x, y in p[:20_000]) + "</g>")
        other = geoms[shapely.get_type_id(geoms) != 0]
        if len(other):
            fill = col if lyr.element_type.geometry == "Polygon" else "none"
            out += path_elements(frame, shapely.union_all(other),
                                 f'fill="{fill}" fill-opacity="0.5" stroke="{col}" stroke-width="1.2"')
    # legend (wrapping), scale bar and north arrow at the top
    x, y = 12.0, height - 34.0
    for col, rid in legend:
        step = 28 + 6.0 * len(rid)
        if x + step > width - 10:
            x, y = 12.0, y + 16
        out.append(f'<rect x="{x:.0f}" y="{y:.0f}" width="12" height="12" fill="{col}" fill-opacity="0.5" '
                   f'stroke="{col}"/>')
        out.append(f'<text x="{x + 16:.0f}" y="{y + 10:.0f}" font-size="10" fill="#333">{escape(rid)}</text>')
        x += step
    metres = _nice(120 / frame.s)
    px = metres * frame.s
    sx, sy = 14.0, 24.0
    out.append(f'<g stroke="#333" stroke-width="1.5"><line x1="{sx:.1f}" y1="{sy}" x2="{sx + px:.1f}" y2="{sy}"/>'
               f'<line x1="{sx:.1f}" y1="{sy - 5}" x2="{sx:.1f}" y2="{sy + 5}"/>'
               f'<line x1="{sx + px:.1f}" y1="{sy - 5}" x2="{sx + px:.1f}" y2="{sy + 5}"/></g>')
    label = f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m"
    out.append(f'<text x="{sx + px / 2:.1f}" y="{sy - 8}" font-size="10" text-anchor="middle" '
               f'fill="#333">{label}</text>')
    out.append('<text x="{0}" y="24" font-size="16" text-anchor="end" fill="#333">N ↑</text>'.format(width - 14))
    out.append("</svg>")
    return "\n".join(out)


def _nice(x: float) -> float:
    if x <= 0:
        return 1.0
    mag = 10 ** np.floor(np.log10(x))
    for m in (1, 2, 5, 10):
        if m * mag >= x:
            return float(m * mag)
    return float(10 * mag)


def chart_svg(type_coverage: dict, catalog, lang: str = "zh", width: int = 900) -> str:
    """Horizontal bars: share of the study area each element type covers."""
    items = sorted(type_coverage.items(), key=lambda kv: -kv[1])
    bar_h, gap, left, top = 18, 6, 210, 28
    height = top + len(items) * (bar_h + gap) + 30
    title = translate("Share of the study area each element type covers", lang)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="{FONT}">',
           f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
           f'<text x="10" y="18" font-size="13" fill="#222">{escape(title)}</text>']
    span = width - left - 70
    for pct in (0, 25, 50, 75, 100):
        x = left + span * pct / 100
        out.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 24}" stroke="#e0e0e0"/>')
        out.append(f'<text x="{x:.1f}" y="{height - 10}" font-size="10" text-anchor="middle" fill="#666">{pct}%</text>')
    for k, (tid, pct) in enumerate(items):
        y = top + k * (bar_h + gap)
        t = catalog.get(tid) if tid in catalog else None
        name = t.label(lang) if t else tid
        col = t.color if t else "#1f77b4"
        w = span * min(max(pct, 0.0), 100.0) / 100
        out.append(f'<text x="{left - 8}" y="{y + bar_h - 5}" font-size="11" text-anchor="end" fill="#222">'
                   f'{escape(name)}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{col}"/>')
        out.append(f'<text x="{left + w + 6:.1f}" y="{y + bar_h - 5}" font-size="11" fill="#222">{pct:.1f}%</text>')
    if not items:
        none = translate("no element with a coverage model in the design", lang)
        out.append(f'<text x="{left}" y="{top + 12}" font-size="11" fill="#666">{escape(none)}</text>')
    out.append("</svg>")
    return "\n".join(out)
