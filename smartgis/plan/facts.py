"""What the plan needs to know about every design element, as arrays.

One pass over the element layers gives, per element: type, uid, status, key project,
phase, variant, quantity (1, metres or square metres), unit cost and cost.  Point
layers are not even drawn for this (their quantity is 1), so a plan of thousands of
sensors costs a few column reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely

from smartgis.plan.costs import UNITS, variant_field

#: Statuses that cost nothing: the element is there already (or goes away).
FREE_STATUSES = ("existing", "retired")
#: Statuses in every phase of the city.
EXISTING = "existing"


@dataclass
class ElementFacts:
    """Arrays, one entry per design element.

    Attributes
    ----------
    phase_index : int array
        -1 for existing elements (in every phase), else the index of the phase the
        element is built in: its key project's, else its own ``phase`` attribute when
        that names a phase of the plan, else the last phase.
    cost_cny : float array
        0 for existing and retired elements; the element's own ``cost`` (万元) when set,
        else quantity × unit cost, else 0 with ``has_cost`` False.
    """

    types: np.ndarray
    uids: np.ndarray
    status: np.ndarray
    project: np.ndarray
    phase_index: np.ndarray
    variant: np.ndarray
    quantity: np.ndarray
    unit: np.ndarray
    unit_cost_cny: np.ndarray
    cost_cny: np.ndarray
    has_cost: np.ndarray
    geometry: dict = field(default_factory=dict)   # type id → geometry kind

    def __len__(self) -> int:
        return len(self.uids)

    @property
    def planned(self) -> np.ndarray:
        return ~np.isin(self.status, FREE_STATUSES)


def _column(table, name: str, n: int, default=None) -> np.ndarray:
    if table.has_field(name):
        return np.asarray(table.column(name), dtype=object)
    return np.full(n, default, dtype=object)


def _quantity(lyr, geometry: str, n: int) -> np.ndarray:
    if geometry == "LineString":
        return np.asarray(shapely.length(np.asarray(lyr.geometries, dtype=object)), dtype=float)
    if geometry == "Polygon":
        return np.asarray(shapely.area(np.asarray(lyr.geometries, dtype=object)), dtype=float)
    return np.ones(n)


def element_facts(project, plan) -> ElementFacts:
    """The facts of every element of the project's design (retired ones included)."""
    n_phases = len(plan.phases)
    phase_pos = {p.name: i for i, p in enumerate(plan.phases)}
    project_phase = {kp.id: phase_pos.get(kp.phase, n_phases - 1) for kp in plan.projects.values()}
    assign = plan.assignments
    parts: dict[str, list] = {k: [] for k in ("types", "uids", "status", "project", "phase_index", "variant",
                                              "quantity", "unit", "unit_cost_cny", "cost_cny", "has_cost")}
    geometry = {}
    for tid, lyr in sorted(project.design.layers.items()):
        n = lyr.feature_count
        if not n:
            continue
        t = lyr.element_type
        geometry[tid] = t.geometry
        table = lyr.table
        uids = _column(table, "uid", n)
        status = np.array([s if s else "planned" for s in _column(table, "status", n, "planned")], dtype=object)
        proj = np.array([assign.get(u) for u in uids], dtype=object)
        own_phase = _column(table, "phase", n)
        phase_idx = np.array([project_phase[p] if p is not None else phase_pos.get(op, n_phases - 1)
                              for p, op in zip(proj, own_phase)], dtype=int)
        free = np.isin(status, FREE_STATUSES)
        phase_idx[free] = -1
        vf = variant_field(t, plan.catalog_costs)
        variant = _column(table, vf, n) if vf else np.full(n, None, dtype=object)
        variant = np.array([None if v is None or v == "" else str(v) for v in variant], dtype=object)
        qty = _quantity(lyr, t.geometry, n) if not free.all() else np.zeros(n)
        unit_cost = np.full(n, np.nan)
        for v in set(variant.tolist()):
            uc = plan.unit_cost(tid, v)
            if uc is not None:
                unit_cost[variant == v] = uc.cny
        own = np.array([_float(c) for c in _column(table, "cost", n, 0.0)], dtype=float)
        has_own = own > 0
        cost = np.where(has_own, own * 1e4, np.nan_to_num(qty * unit_cost, nan=0.0))
        has_cost = has_own | np.isfinite(unit_cost) | free
        cost[free] = 0.0
        parts["types"].append(np.full(n, tid, dtype=object))
        parts["uids"].append(uids)
        parts["status"].append(status)
        parts["project"].append(proj)
        parts["phase_index"].append(phase_idx)
        parts["variant"].append(variant)
        parts["quantity"].append(qty)
        parts["unit"].append(np.full(n, UNITS.get(t.geometry, ""), dtype=object))
        parts["unit_cost_cny"].append(unit_cost)
        parts["cost_cny"].append(cost)
        parts["has_cost"].append(has_cost)
    if not parts["uids"]:
        e = np.empty(0, dtype=object)
        return ElementFacts(e, e, e, e, np.empty(0, dtype=int), e, np.empty(0), e, np.empty(0), np.empty(0),
                            np.empty(0, dtype=bool), geometry)
    cat = {k: np.concatenate(v) for k, v in parts.items()}
    return ElementFacts(**cat, geometry=geometry)


def _float(v) -> float:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return 0.0
    return f if f == f else 0.0


def phase_members(facts: ElementFacts, phase_index: int) -> np.ndarray:
    """Elements of the city after phase ``phase_index`` (existing ones and those built up
    to it; retired ones are gone)."""
    return (facts.phase_index <= phase_index) & (facts.status != "retired")
