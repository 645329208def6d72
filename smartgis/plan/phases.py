"""The construction phases of a project, in order: one answer for the plan, the indicator
scores, the map sheets and the equipment list.

A plan names its phases (近期/中期/远期, 一期/二期 …) in the order they are built; elements
carry a ``phase`` of their own as well.  The phases of a project are the plan's, in the
plan's order, followed by any other phase a planned element carries (sorted by
:func:`phase_order_key`); without a plan, the elements' phases alone.
"""

from __future__ import annotations

import re

import numpy as np

from smartgis.plan.plan import plan_of

_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NEAR = {"近期": 1, "short": 1, "中期": 2, "mid": 2}
_FAR = {"远期": 0, "long": 0, "远景": 1}
#: The name of the current state (现状): never a construction phase.
CURRENT = "现状"


def phase_order_key(name: str):
    """Sort key of a phase name: 近期 < 中期 and 一期 < 二期 (2025 < 2030), then 远期 < 远景,
    then other names."""
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
    digits = re.search(r"[一二三四五六七八九十]+", s)
    if digits:
        return (0, sum(_NUMERALS[c] for c in digits.group()), s)
    return (2, 0, s)


def order_phases(names) -> list[str]:
    """Distinct phase names in a sensible order (empty names and 现状 dropped)."""
    return sorted({str(n).strip() for n in names if n is not None and str(n).strip()
                   and str(n).strip() != CURRENT}, key=phase_order_key)


def element_phases(project) -> list[str]:
    """The distinct ``phase`` of the elements that are planned (not existing or retired), in order."""
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


def phase_names(project) -> list[str]:
    """The ordered phases of a project: the plan's, then any other phase a planned element carries."""
    named = plan_of(project).phase_names()
    return named + [p for p in element_phases(project) if p not in named]
