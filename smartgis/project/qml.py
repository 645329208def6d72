"""Vector styles as QGIS QML, so QGIS draws a project file's layers as SmartGIS does.

QGIS applies the ``layer_styles`` row of a GeoPackage table when ``styleQML`` is
filled and ``useAsDefault`` is 1.  Symbol properties are written both as ``<Option>``
maps (QGIS ≥ 3.26) and as ``<prop>`` elements (QGIS 3.0–3.24).
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from smartgis.core.layers import geometry_family
from smartgis.core.style import Symbol, VectorStyle

_MARKER_NAMES = {"circle": "circle", "square": "square", "triangle": "triangle", "diamond": "diamond",
                 "star": "star", "cross": "cross", "pentagon": "pentagon"}
_DASH = {"solid": "solid", "dash": "dash", "dot": "dot"}


def qgis_color(color: str) -> str:
    """``#rrggbb[aa]`` → QGIS's ``r,g,b,a``."""
    c = (color or "#000000").lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    r, g, b = (int(c[i:i + 2], 16) for i in (0, 2, 4))
    a = int(c[6:8], 16) if len(c) >= 8 else 255
    return f"{r},{g},{b},{a}"


def _props(props: dict) -> str:
    opts = "".join(f'<Option type="QString" name={quoteattr(k)} value={quoteattr(str(v))}/>'
                   for k, v in props.items())
    old = "".join(f"<prop k={quoteattr(k)} v={quoteattr(str(v))}/>" for k, v in props.items())
    return f'<Option type="Map">{opts}</Option>{old}'


def _symbol(sym: Symbol, kind: str, name: str) -> str:
    if kind == "fill":
        layer = ("SimpleFill", {"color": qgis_color(sym.fill), "outline_color": qgis_color(sym.stroke),
                                "outline_width": sym.stroke_width, "outline_width_unit": "MM",
                                "outline_style": _DASH.get(sym.dash, "solid") if sym.stroke_width else "no",
                                "style": "solid", "joinstyle": "miter"})
    elif kind == "line":
        layer = ("SimpleLine", {"line_color": qgis_color(sym.stroke), "line_width": sym.stroke_width,
                                "line_width_unit": "MM", "line_style": _DASH.get(sym.dash, "solid"),
                                "capstyle": "round", "joinstyle": "round"})
    elif sym.icon:
        layer = ("SvgMarker", {"name": sym.icon, "size": sym.size, "size_unit": "MM",
                               "color": qgis_color(sym.fill), "outline_color": qgis_color(sym.stroke),
                               "outline_width": sym.stroke_width, "scale_method": "diameter"})
    else:
        layer = ("SimpleMarker", {"name": _MARKER_NAMES.get(sym.marker, "circle"), "color": qgis_color(sym.fill),
                                  "outline_color": qgis_color(sym.stroke), "outline_width": sym.stroke_width,
                                  "outline_width_unit": "MM", "size": sym.size, "size_unit": "MM",
                                  "scale_method": "diameter"})
    cls, props = layer
    return (f'<symbol type="{kind}" name={quoteattr(name)} alpha="1" clip_to_extent="1" force_rhr="0">'
            f'<layer class="{cls}" enabled="1" pass="0" locked="0">{_props(props)}</layer></symbol>')


def symbol_kind(geometry_type: str | None) -> str:
    """QGIS's symbol type for a geometry type: ``marker``, ``line`` or ``fill``."""
    return {"point": "marker", "line": "line", "polygon": "fill"}[geometry_family(geometry_type)]


def _value_text(v) -> str:
    """A category value as QGIS writes it (QVariant::toString): booleans are true/false."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _renderer(style: VectorStyle, kind: str) -> str:
    if style.renderer == "categorized" and style.field and style.categories:
        cats = "".join(f'<category render="true" symbol="{i}" value={quoteattr(_value_text(c.value))} '
                       f'label={quoteattr(c.label or _value_text(c.value))}/>' for i, c in enumerate(style.categories))
        syms = "".join(_symbol(c.symbol, kind, str(i)) for i, c in enumerate(style.categories))
        return (f'<renderer-v2 type="categorizedSymbol" attr={quoteattr(style.field)} symbollevels="0" '
                f'enableorderby="0" forceraster="0"><categories>{cats}</categories><symbols>{syms}</symbols>'
                f'</renderer-v2>')
    if style.renderer == "graduated" and style.field and style.ranges:
        rngs = "".join(f'<range render="true" symbol="{i}" lower="{r.lower}" upper="{r.upper}" '
                       f'label={quoteattr(r.label or f"{r.lower:g} - {r.upper:g}")}/>'
                       for i, r in enumerate(style.ranges))
        syms = "".join(_symbol(r.symbol, kind, str(i)) for i, r in enumerate(style.ranges))
        return (f'<renderer-v2 type="graduatedSymbol" attr={quoteattr(style.field)} graduatedMethod="GraduatedColor" '
                f'symbollevels="0" enableorderby="0" forceraster="0"><ranges>{rngs}</ranges><symbols>{syms}'
                f'</symbols><mode name="manual"/></renderer-v2>')
    return (f'<renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0">'
            f'<symbols>{_symbol(style.symbol, kind, "0")}</symbols></renderer-v2>')


def _labeling(style: VectorStyle, kind: str) -> str:
    lab = style.labels
    if not (lab.enabled and lab.field):
        return ""
    placement = {"marker": 0, "line": 2, "fill": 1}[kind]
    buffer = (f'<text-buffer bufferDraw="1" bufferSize="{lab.halo_width}" bufferSizeUnits="MM" '
              f'bufferColor="{qgis_color(lab.halo)}" bufferOpacity="1"/>' if lab.halo else
              '<text-buffer bufferDraw="0"/>')
    return (f'<labeling type="simple"><settings calloutType="simple">'
            f'<text-style fieldName={quoteattr(lab.field)} isExpression="0" fontSize="{lab.size}" '
            f'fontSizeUnit="MM" textColor="{qgis_color(lab.color)}" textOpacity="1" '
            f'fontFamily="Noto Sans CJK SC">{buffer}</text-style>'
            f'<placement placement="{placement}" dist="1" distUnits="MM"/>'
            f'<rendering obstacle="1" scaleVisibility="0" drawLabels="1"/></settings></labeling>')


def style_to_qml(style: VectorStyle, geometry_type: str | None, opacity: float = 1.0,
                 layer_name: str = "") -> str:
    """A QGIS QML document for a vector style."""
    kind = symbol_kind(geometry_type)
    labels = _labeling(style, kind)
    return ("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
            f'<qgis version="3.22.16-Białowieża" styleCategories="Symbology|Labeling|Rendering" '
            f'labelsEnabled="{1 if labels else 0}">'
            f"{_renderer(style, kind)}{labels}"
            f"<layerOpacity>{opacity:g}</layerOpacity>"
            f"<layerGeometryType>{ {'marker': 0, 'line': 1, 'fill': 2}[kind] }</layerGeometryType>"
            "</qgis>\n")
