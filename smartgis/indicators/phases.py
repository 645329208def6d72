"""The construction phases of a project, in order, and which elements each stage holds.

Elements carry a ``phase`` (建设期次: 一期, 二期, 近期, 远期, 2025 …) and a ``status``
(existing / planned / under construction / retired).  现状 (the current state) is the
existing elements; a phase holds the existing elements plus every element planned in
that phase or an earlier one (phases are cumulative: 二期 is built on 一期).
"""

from __future__ import annotations

import numpy as np

from smartgis.plan.phases import CURRENT, order_phases, phase_names  # noqa: F401 - the stages' names and order


def stage_mask(status: np.ndarray, phase: np.ndarray, stage: str, phases: list[str]) -> np.ndarray:
    """Which elements (by their status and phase) a stage holds."""
    status = np.asarray(status, dtype=object)
    existing = status == "existing"
    if stage == CURRENT:
        return existing
    upto = set(phases[:phases.index(stage) + 1]) if stage in phases else {stage}
    in_phase = np.array([str(p).strip() in upto if p is not None else False for p in phase], dtype=bool)
    return (existing | in_phase) & (status != "retired")
