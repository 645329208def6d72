"""Thematic map sheets: which layers a sheet draws, and which elements of them.

A theme (``resources/sheets/themes.json``) is a named layer selection with its title —
视频监控布局图, 物联网感知布局图, 通信网络规划图, 公共服务设施布局图, 现状图, 规划总图, 分期建设图.
:func:`sheet_layers` turns a theme (or an explicit list of layers) into the layers a
sheet draws, top first; elements can be narrowed to one construction phase (the
elements' ``phase`` attribute) or to a status.  The check-gaps layer is drawn only
when asked for, and then only the gaps of rules that failed or warned.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from smartgis.analysis.runs import GAPS_TABLE
from smartgis.core.catalog import resources_dir
from smartgis.core.design import ElementLayer
from smartgis.core.layers import RasterLayer, VectorLayer
from smartgis.errors import UsageError
from smartgis.i18n import _, translate
from smartgis.plan.phases import phase_names, phase_order_key

#: Gaps of rules with these statuses are printed (n/a and passed rules never are).
PRINTED_GAP_STATUSES = ("fail", "warn")


@dataclass
class Theme:
    """One thematic sheet.  See the format note in ``resources/sheets/themes.json``."""

    id: str
    title: dict
    types: list | None = None
    categories: list | None = None
    roles: list = field(default_factory=list)
    rasters: bool = False
    status: list | None = None
    by_phase: bool = False

    def label(self, lang: str = "zh") -> str:
        return self.title.get(lang) or self.title.get("zh") or self.id

    def wants_type(self, element_type) -> bool:
        if self.types is not None and element_type.id not in self.types:
            return False
        if self.categories is not None and element_type.category not in self.categories:
            return False
        return True


@lru_cache(maxsize=1)
def _builtin() -> tuple:
    path = resources_dir() / "sheets" / "themes.json"
    d = json.loads(path.read_text(encoding="utf-8"))
    return tuple(Theme(id=t["id"], title=t["title"], types=t.get("types"), categories=t.get("categories"),
                       roles=list(t.get("roles") or []), rasters=bool(t.get("rasters")), status=t.get("status"),
                       by_phase=bool(t.get("by_phase"))) for t in d["themes"])


def themes() -> list[Theme]:
    """The sheet themes, in drawing-set order."""
    return list(_builtin())


def find_theme(key: str) -> Theme:
    """A theme by id or by its Chinese or English title.

    Raises
    ------
    UsageError
        Naming the themes there are.
    """
    k = str(key).strip()
    for t in themes():
        if k in (t.id, t.title.get("zh"), t.title.get("en")):
            return t
    raise UsageError(_("unknown sheet theme {theme!r} (themes: {themes})", theme=key,
                       themes=", ".join(f"{t.id} ({t.label('zh')})" for t in themes())))


def phase_key(p: str):
    """Sort key of a phase name (近期 < 中期 < 远期, 一期 < 二期 …)."""
    return phase_order_key(p)


def phases(project) -> list[str]:
    """The construction phases of the design, in order (the plan's, then the elements' own)."""
    return phase_names(project)


def _subset(lyr: VectorLayer, mask: np.ndarray) -> VectorLayer:
    """A drawing copy of ``lyr`` with the rows of ``mask`` (same name, style and id)."""
    if mask.all():
        return lyr
    idx = np.flatnonzero(mask)
    kw = dict(geometries=lyr.geometries[idx], table=lyr.table.take(idx), geometry_type=lyr.geometry_type,
              style=lyr.style.copy(), id=lyr.id, crs=lyr.crs, opacity=lyr.opacity, role=lyr.role)
    if isinstance(lyr, ElementLayer):
        return ElementLayer(lyr.element_type, name=lyr.name, table_name=lyr.table_name, **kw)
    return VectorLayer(lyr.name, table_name=lyr.table_name, **kw)


def element_mask(lyr: VectorLayer, phase: str | None = None, status=None) -> np.ndarray:
    """Rows of an element layer in ``phase`` and with one of ``status``."""
    n = lyr.feature_count
    mask = np.ones(n, dtype=bool)
    if phase is not None:
        col = lyr.table.column("phase") if lyr.table.has_field("phase") else np.array([None] * n, dtype=object)
        mask &= np.array([str(v) == phase for v in col.tolist()], dtype=bool)
    if status is not None:
        col = lyr.table.column("status") if lyr.table.has_field("status") else np.array([None] * n, dtype=object)
        mask &= np.isin(np.array([str(v) for v in col.tolist()], dtype=object), list(status))
    return mask


def gaps_for_print(lyr: VectorLayer) -> VectorLayer | None:
    """The gaps layer with only the gaps of failed and warned rules (None when none)."""
    if not lyr.available or not lyr.feature_count or not lyr.table.has_field("status"):
        return None
    mask = np.isin(np.array([str(v) for v in lyr.table.column("status").tolist()], dtype=object),
                   PRINTED_GAP_STATUSES)
    return _subset(lyr, mask) if mask.any() else None


def is_gaps_layer(lyr) -> bool:
    return getattr(lyr, "table_name", None) == GAPS_TABLE


def sheet_layers(project, theme: Theme | None = None, layers=None, phase: str | None = None,
                 gaps: bool = False) -> list:
    """The layers a sheet draws, top first.

    Parameters
    ----------
    theme : Theme, optional
        Element types and base-map roles to draw; default: the visible layers of the
        layer tree (or ``layers``).
    layers : list, optional
        Layer names or ids, drawn whatever their visibility (narrowed by ``theme``
        when both are given).
    phase : str, optional
        Only elements of this construction phase.
    gaps : bool
        Draw the check gaps (of failed and warned rules only).

    Raises
    ------
    UsageError
        An unknown layer, or an unknown phase (naming those there are).
    """
    if phase is not None and phase not in phases(project):
        raise UsageError(_("no elements of phase {phase!r} (phases: {phases})", phase=phase,
                           phases=", ".join(phases(project)) or _("none")), project.path)
    if layers is not None:
        chosen = {project.layer(k).id for k in layers}
        base = [lyr for lyr in project.ordered_layers() if lyr.id in chosen]
    elif theme is not None:
        base = list(project.ordered_layers())
    else:
        base = []
        for lyr in project.ordered_layers():
            node = project.tree.node_for(lyr.id) if project.tree.has_layer(lyr.id) else None
            if node is None or node.is_visible():
                base.append(lyr)
    out = []
    for lyr in base:
        if is_gaps_layer(lyr):
            continue
        if isinstance(lyr, ElementLayer):
            if theme is not None and not theme.wants_type(lyr.element_type):
                continue
            if not lyr.available or not lyr.feature_count:
                continue
            mask = element_mask(lyr, phase, theme.status if theme is not None else None)
            if mask.any():
                out.append(_subset(lyr, mask))
            continue
        if theme is not None:
            if isinstance(lyr, RasterLayer):
                if not theme.rasters:
                    continue
            elif lyr.role not in theme.roles:
                continue
        out.append(lyr)
    if gaps:
        g = next((lyr for lyr in project.layers.values() if is_gaps_layer(lyr)), None)
        printable = gaps_for_print(g) if g is not None else None
        if printable is not None:
            out.insert(0, printable)
    return out


def sheet_title(theme: Theme | None, phase: str | None, lang: str = "zh") -> str | None:
    """``规划总图`` / ``分期建设图（二期）``; None without a theme or phase."""
    if theme is None:
        return None if phase is None else translate("Phase {phase}", lang, phase=phase)
    t = theme.label(lang)
    if phase:
        return translate("{title} ({phase})", lang, title=t, phase=phase)
    return t


def set_sheets(project, phase: str | None = None) -> list[tuple[Theme, str | None]]:
    """The sheets of a drawing set: ``(theme, phase)`` for every theme with something to
    draw (a phasing theme gives one sheet per phase)."""
    out = []
    all_phases = phases(project)
    for t in themes():
        wanted = [phase] if phase else (all_phases if t.by_phase else [None])
        for ph in wanted:
            if ph is not None and ph not in all_phases:
                continue
            lyrs = sheet_layers(project, t, phase=ph)
            if any(isinstance(lyr, VectorLayer) and getattr(lyr, "element_type", None) is not None for lyr in lyrs):
                out.append((t, ph))
    return out


__all__ = ["Theme", "themes", "find_theme", "phases", "sheet_layers", "sheet_title", "set_sheets",
           "gaps_for_print", "element_mask", "PRINTED_GAP_STATUSES"]
