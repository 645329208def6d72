"""The city as of a phase, for checks: which elements count, and the table of check
results phase by phase ("after 近期: 62 %, after 远期: 100 %").

This package does not import the check engine (it sits on the same floor); the caller
passes its check function, ``check(keep) -> result``, where ``keep(elements)`` returns
the mask of the elements that exist after the phase and ``result`` has ``rules`` with a
``status`` each and a ``type_coverage`` dict (:class:`smartgis.analysis.CheckResult`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from smartgis.plan.facts import element_facts, phase_members


def phase_keep(project, plan, phase: str) -> Callable:
    """``keep(elements) -> bool mask``: existing elements and those built up to ``phase``."""
    k = plan.phase_index(phase)
    f = element_facts(project, plan)
    allowed = set(f.uids[phase_members(f, k)].tolist())

    def keep(elements) -> np.ndarray:
        uids = elements.uids
        return np.fromiter((u in allowed for u in uids), dtype=bool, count=len(uids))

    keep.phase = phase
    keep.count = len(allowed)
    return keep


@dataclass
class PhaseRow:
    """Check results of the city after one phase."""

    phase: str
    elements: int
    passed: int
    failed: int
    warned: int
    na: int
    type_coverage: dict = field(default_factory=dict)
    #: Rules that apply to the complete design (after the last phase): the measure of 100 %.
    target: int | None = None

    @property
    def applicable(self) -> int:
        return self.passed + self.failed + self.warned

    @property
    def compliance_pct(self) -> float | None:
        """Rules passing after this phase, as a share of the rules that apply to the
        complete design (%): an earlier phase is measured against where the plan ends."""
        total = self.target if self.target else self.applicable
        return 100.0 * self.passed / total if total else None

    def to_dict(self) -> dict:
        pct = self.compliance_pct
        return {"phase": self.phase, "elements": self.elements, "pass": self.passed, "fail": self.failed,
                "warn": self.warned, "na": self.na, "target": self.target, "compliance_pct": None if pct is None else round(pct, 1),
                "type_coverage": dict(self.type_coverage)}


def phase_table(project, plan, check: Callable, progress=None) -> list[PhaseRow]:
    """Check the city after each phase of the plan, in order.

    Parameters
    ----------
    check : callable
        ``check(keep)`` runs the standards check counting only the elements ``keep``
        selects and returns its result.
    progress : callable, optional
        ``progress(done, total, phase)``.
    """
    rows = []
    for k, ph in enumerate(plan.phases):
        if progress is not None:
            progress(k, len(plan.phases), ph.name)
        keep = phase_keep(project, plan, ph.name)
        result = check(keep)
        st = [r.status for r in result.rules]
        rows.append(PhaseRow(ph.name, keep.count, st.count("pass"), st.count("fail"), st.count("warning"),
                             st.count("na"), dict(getattr(result, "type_coverage", {}) or {})))
    if rows:
        final = rows[-1].applicable
        for r in rows:
            r.target = final
    return rows


def format_row(row: PhaseRow, lang: str = "en") -> str:
    """``after 近期: 62 %`` (``近期后：62 %``)."""
    pct = "–" if row.compliance_pct is None else f"{row.compliance_pct:.0f} %"
    total = row.target or row.applicable
    if lang == "zh":
        return f"{row.phase}后：{pct}（{row.passed}/{total} 条达标，{row.elements} 个要素）"
    return f"after {row.phase}: {pct} ({row.passed}/{total} rules pass, {row.elements} elements)"
