"""The design as a CAD drawing (DXF, for AutoCAD and the CAD tools of design institutes).

- one CAD layer per element type and per base-map layer, in the catalog / style colour
  (true colour, with the nearest AutoCAD colour index for older programs);
- point elements as **blocks** (one block per element type, named by the type id) whose
  references carry the attributes ``TYPE``, ``ID``, ``VARIANT``, ``PHASE`` and ``NAME``;
- lines and polygons as polylines carrying their attributes as XDATA
  (application ``SMARTGIS``, one ``field=value`` string each);
- label texts on ``标注-<layer>`` layers, a drawing frame and a title block (project,
  title, CRS, units, date) on ``图框``;
- drawing units metres, coordinates in the project CRS (``$INSUNITS`` = 6, the CRS in
  the custom header property ``SMARTGIS_CRS``).

The file passes ezdxf's audit.  DWG: convert with the ODA File Converter (see
``docs/cad-exchange.md``).
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

import numpy as np
import shapely

from smartgis.core.design import ElementLayer
from smartgis.core.layers import VectorLayer, geometry_family
from smartgis.core.outfiles import write_whole
from smartgis.errors import ProjectFileError, UsageError
from smartgis.i18n import _

APPID = "SMARTGIS"
#: Block symbol radius in drawing units (metres): legible at 1:1,000–1:2,000.
BLOCK_RADIUS = 2.5
#: Attribute tags of an element block, in order.
ATTRIBUTES = ("TYPE", "ID", "VARIANT", "PHASE", "NAME")
FRAME_LAYER = "图框"
#: Title block captions by project language; the last is the unit.
_TITLE_WORDS = {"zh": ("项目名称", "图名", "坐标系统", "坐标单位", "设计单位", "日期", "米"),
                "en": ("Project", "Title", "Coordinates", "Units", "Institute", "Date", "metres")}
LABEL_PREFIX = "标注-"
_BAD = re.compile(r'[<>/\\":;?*|=`,]')


def cad_name(name: str) -> str:
    """A layer or block name AutoCAD accepts (its forbidden characters become ``_``)."""
    return _BAD.sub("_", str(name)).strip() or "0"


def _rgb(color: str) -> tuple[int, int, int]:
    c = (color or "#000000").lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def _layer_colour(lyr: VectorLayer) -> str:
    if isinstance(lyr, ElementLayer):
        return lyr.element_type.color
    sym = lyr.style.symbol
    fam = geometry_family(lyr.geometry_type)
    if fam == "polygon" and len(sym.fill.lstrip("#")) == 6:
        return sym.fill
    return sym.stroke if fam != "point" else sym.fill


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return "" if not np.isfinite(v) else (str(int(v)) if v.is_integer() else f"{v:.6g}")
    if isinstance(v, np.generic):
        v = v.item()
    return str(v)


def _xdata(row: dict) -> list[tuple[int, str]]:
    """``field=value`` strings (DXF strings are at most 255 bytes)."""
    out = []
    for k, v in row.items():
        s = f"{k}={_text(v)}"
        while len(s.encode("utf-8")) > 250:
            s = s[:-1]
        out.append((1000, s))
    return out


def _block(doc, name: str, color: str) -> None:
    blk = doc.blocks.new(name=name, base_point=(0, 0))
    rgb = _rgb(color)
    blk.add_circle((0, 0), BLOCK_RADIUS, dxfattribs={"layer": "0", "true_color": _truecolor(rgb)})
    blk.add_circle((0, 0), BLOCK_RADIUS * 0.35, dxfattribs={"layer": "0", "true_color": _truecolor(rgb)})
    for k, tag in enumerate(ATTRIBUTES):
        blk.add_attdef(tag, (BLOCK_RADIUS * 1.3, -k * BLOCK_RADIUS), dxfattribs={"height": BLOCK_RADIUS * 0.6,
                                                                                  "flags": 1})   # invisible


def _truecolor(rgb) -> int:
    from ezdxf.colors import rgb2int
    return rgb2int(rgb)


def _aci(rgb) -> int:
    """The nearest AutoCAD colour index (1–255) of an RGB colour."""
    from ezdxf.colors import DXF_DEFAULT_COLORS, int2rgb
    best, dist = 7, 1e18
    for i in range(1, 256):
        r, g, b = int2rgb(DXF_DEFAULT_COLORS[i])
        d = (r - rgb[0]) ** 2 + (g - rgb[1]) ** 2 + (b - rgb[2]) ** 2
        if d < dist:
            best, dist = i, d
    return best


def _label_anchor(geom):
    if geom is None or shapely.is_empty(geom):
        return None
    p = shapely.point_on_surface(geom)
    return float(p.x), float(p.y)


def export_dxf(project, path, layers=None, title: str | None = None, date: str | None = None) -> dict:
    """Write ``layers`` (default: the visible vector layers and every element layer) as DXF.

    Parameters
    ----------
    project : Project
    path : str or Path
        The ``.dxf`` file (written beside and renamed: never half-written).
    layers : list of VectorLayer, optional
        Top first, as a sheet lists them (theme and phase selections included).
    title : str, optional
        The title in the title block.

    Returns
    -------
    dict
        ``{"path", "layers": {cad layer: entity count}, "block_references", "polylines",
        "points", "texts", "audit_errors"}``.
    """
    import ezdxf
    from ezdxf import units

    path = Path(path)
    if path.suffix.lower() != ".dxf":
        raise UsageError(_("the file name should end in {suffix}", suffix=".dxf"), path)
    if not path.parent.is_dir():
        raise ProjectFileError(_("the folder does not exist"), path.parent)
    if layers is None:
        layers = [lyr for lyr in project.ordered_layers() if isinstance(lyr, VectorLayer)
                  and getattr(lyr, "table_name", None) != "check_gaps"]
    layers = [lyr for lyr in layers if isinstance(lyr, VectorLayer) and lyr.available and lyr.feature_count]
    if not layers:
        raise UsageError(_("nothing to export: no vector layer with features"), project.path)

    doc = ezdxf.new("R2010", setup=True)
    doc.units = units.M
    doc.header["$MEASUREMENT"] = 1
    doc.header["$LUNITS"] = 2
    doc.header.custom_vars.append("SMARTGIS_CRS", str(project.crs))
    doc.header.custom_vars.append("SMARTGIS_PROJECT", project.name)
    doc.appids.add(APPID)
    msp = doc.modelspace()
    counts: dict[str, int] = {}
    stats = {"block_references": 0, "polylines": 0, "points": 0, "texts": 0}
    text_h = 3.0
    for lyr in reversed(layers):          # bottom first, as CAD draws
        name = cad_name(lyr.element_type.label("zh") if isinstance(lyr, ElementLayer) else lyr.name)
        rgb = _rgb(_layer_colour(lyr))
        if name not in doc.layers:
            cl = doc.layers.add(name, color=_aci(rgb))
            cl.rgb = rgb
            if isinstance(lyr, ElementLayer):
                cl.description = f"{lyr.element_type.id}: {lyr.element_type.label('en')}"
        n_before = len(msp)
        geoms = lyr.geometries
        table = lyr.table
        fields = table.field_names
        cols = {f: table.column(f).tolist() for f in fields}
        is_el = isinstance(lyr, ElementLayer)
        fam = geometry_family(lyr.geometry_type)
        block = None
        if is_el and fam == "point":
            block = cad_name(lyr.element_type.id)
            if block not in doc.blocks:
                _block(doc, block, lyr.element_type.color)
        for i, g in enumerate(geoms):
            if g is None or shapely.is_empty(g):
                continue
            row = {f: cols[f][i] for f in fields}
            attrs = {"layer": name}
            if block is not None:
                values = (lyr.element_type.id, _text(row.get("uid")), lyr.element_type.variant_of(row) or "",
                          _text(row.get("phase")), _text(row.get("name")))
                for p in shapely.get_parts(g):
                    x, y = float(p.x), float(p.y)
                    ref = msp.add_blockref(block, (x, y), dxfattribs=attrs)
                    # attributes placed as the block's ATTDEFs (what ATTSYNC would do), invisible
                    for k, (tag, value) in enumerate(zip(ATTRIBUTES, values)):
                        ref.add_attrib(tag, value, (x + BLOCK_RADIUS * 1.3, y - k * BLOCK_RADIUS),
                                       dxfattribs={"height": BLOCK_RADIUS * 0.6, "flags": 1, "layer": name})
                    stats["block_references"] += 1
                continue
            xd = _xdata({"type": lyr.element_type.id, **row} if is_el else row)
            for part in shapely.get_parts(g):
                if part.geom_type == "Point":
                    e = msp.add_point((part.x, part.y), dxfattribs=attrs)
                    stats["points"] += 1
                elif part.geom_type == "LineString":
                    e = msp.add_lwpolyline(list(part.coords), format="xy", dxfattribs=attrs)
                    stats["polylines"] += 1
                else:   # polygon: the outer ring carries the attributes, holes follow it
                    e = msp.add_lwpolyline(list(part.exterior.coords)[:-1], format="xy", close=True,
                                           dxfattribs=attrs)
                    stats["polylines"] += 1
                    for hole in part.interiors:
                        msp.add_lwpolyline(list(hole.coords)[:-1], format="xy", close=True, dxfattribs=attrs)
                e.set_xdata(APPID, xd)
        counts[name] = len(msp) - n_before
        ls = lyr.style.labels
        if ls.enabled and ls.field and ls.field in cols:
            lname = cad_name(LABEL_PREFIX + name)
            if lname not in doc.layers:
                doc.layers.add(lname, color=7)
            k = 0
            for i, g in enumerate(geoms):
                txt = _text(cols[ls.field][i])
                a = _label_anchor(g) if txt else None
                if a is None:
                    continue
                off = BLOCK_RADIUS * 1.4 if fam == "point" else 0.0
                msp.add_text(txt, height=text_h, dxfattribs={"layer": lname}).set_placement(
                    (a[0] + off, a[1]), align=ezdxf.enums.TextEntityAlignment.MIDDLE_LEFT if off
                    else ezdxf.enums.TextEntityAlignment.MIDDLE_CENTER)
                k += 1
            counts[lname] = k
            stats["texts"] += k
    _title_block(doc, msp, project, layers, title, date)
    auditor = doc.audit()
    write_whole(path, lambda tmp: doc.saveas(tmp, encoding="utf-8"), lambda e: _("cannot write the DXF ({error})", error=e))
    return {"path": str(path), "layers": counts, **stats, "audit_errors": len(auditor.errors),
            "units": "m", "crs": str(project.crs)}


def _title_block(doc, msp, project, layers, title, date) -> None:
    """A frame round the drawing and a title block at its lower right (model space, metres)."""
    b = np.array([lyr.extent for lyr in layers if lyr.extent is not None], dtype=float)
    x0, y0 = b[:, 0].min(), b[:, 1].min()
    x1, y1 = b[:, 2].max(), b[:, 3].max()
    pad = 0.05 * max(x1 - x0, y1 - y0, 100.0)
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    if FRAME_LAYER not in doc.layers:
        doc.layers.add(FRAME_LAYER, color=7)
    at = {"layer": FRAME_LAYER}
    msp.add_lwpolyline([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], close=True, dxfattribs=at)
    w = 0.28 * (x1 - x0)
    words = _TITLE_WORDS.get(project.language, _TITLE_WORDS["zh"])
    values = (project.name, title or project.name, str(project.crs), words[-1],
              project.metadata.get("institute") or "", date or _dt.date.today().isoformat())
    rows = list(zip(words[:-1], values))
    rh = w / 9.0
    h = rh * len(rows)
    bx, by = x1 - w, y0
    msp.add_lwpolyline([(bx, by), (x1, by), (x1, by + h), (bx, by + h)], close=True, dxfattribs=at)
    for k, (label, value) in enumerate(rows):
        y = by + h - (k + 1) * rh
        if k:
            msp.add_line((bx, y + rh), (x1, y + rh), dxfattribs=at)
        msp.add_text(str(label), height=rh * 0.45, dxfattribs=at).set_placement((bx + rh * 0.3, y + rh * 0.5),
                                                                               align=_middle_left())
        msp.add_text(str(value), height=rh * 0.45, dxfattribs=at).set_placement((bx + w * 0.3, y + rh * 0.5),
                                                                               align=_middle_left())
    msp.add_line((bx + w * 0.28, by), (bx + w * 0.28, by + h), dxfattribs=at)


def _middle_left():
    from ezdxf.enums import TextEntityAlignment
    return TextEntityAlignment.MIDDLE_LEFT


__all__ = ["export_dxf", "cad_name", "ATTRIBUTES", "APPID"]
