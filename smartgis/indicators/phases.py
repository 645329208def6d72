"""The construction phases of a project, in order, and which elements each stage holds.

Elements carry a ``phase`` (建设期次: 一期, 二期, 近期, 远期, 2025 …) and a ``status``
(existing / planned / under construction / retired).  现状 (the current state) is the
existing elements; a phase holds the existing elements plus every element planned in
that phase or an earlier one (phases are cumulative: 二期 is built on 一期).
"""

from __future__ import annotations

import re

import numpy as np

#: The stage of the existing elements.
CURRENT = "现状"
_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NEAR = {"近期": 1, "short": 1, "中期": 2, "mid": 2}
_FAR = {"远期": 0, "long": 0, "远景": 1}


def _order_key(name: str):
    """近期 < 中期 and 一期 < 二期 (2025 < 2030) …, then 远期 < 远景, then other names."""
    s = str(name).strip()
    low = s.lower()
    for term, rank in _FAR.items():
        if term in low:
            return (1, rank, s)
    for term, rank in _NEAR.items():
        if term in low:
            return (0, rank, s)
    m = re.search(r"\d+", s)
    if m:
        return (0, int(m.group()), s)
    for ch in s:
        if ch in _NUMERALS:
            return (0, _NUMERALS[ch], s)
    return (2, 0, s)


def order_phases(names) -> list[str]:
    """Distinct phase names in a sensible order (empty names dropped)."""
    return sorted({str(n).strip() for n in names if n is not None and str(n).strip()
                   and str(n).strip() != CURRENT}, key=_order_key)


def phase_names(project) -> list[str]:
    """The ordered phases of a project: the distinct ``phase`` of its elements that are not
    existing or retired.  (The one place phases come from; a plan's own phases table can
    replace it.)"""
    names = []
    for lyr in project.design.layers.values():
        if not lyr.feature_count or not lyr.table.has_field("phase"):
            continue
        phase = np.asarray(lyr.table.column("phase"), dtype=object)
        status = (np.asarray(lyr.table.column("status"), dtype=object) if lyr.table.has_field("status")
                  else np.full(len(phase), "planned", dtype=object))
        keep = (status != "existing") & (status != "retired")
        names.extend(phase[keep].tolist())
    return order_phases(names)


def stage_mask(status: np.ndarray, phase: np.ndarray, stage: str, phases: list[str]) -> np.ndarray:
    """Which elements (by their status and phase) a stage holds."""
    status = np.asarray(status, dtype=object)
    existing = status == "existing"
    if stage == CURRENT:
        return existing
    upto = set(phases[:phases.index(stage) + 1]) if stage in phases else {stage}
    in_phase = np.array([str(p).strip() in upto if p is not None else False for p in phase], dtype=bool)
    return (existing | in_phase) & (status != "retired")
