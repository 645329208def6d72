"""Investment of a plan: per key project, phase, architecture layer and funding source,
the bill of quantities, and the ``smartgis plan --json`` object.

Investment = Σ quantity × unit cost of the planned elements assigned to key projects
(points by number, lines by length, areas by area; an element's own ``cost`` in 万元
replaces that) + Σ quantity × unit cost of the projects' non-spatial items.  Existing
elements cost nothing.  A type whose planned elements have no unit cost is listed in
``no_unit_cost``, never counted as 0 silently.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np

from smartgis.plan.facts import ElementFacts, element_facts
from smartgis.plan.layers import LAYERS, default_layer

UNSPECIFIED = "unspecified"


def _r(v: float) -> float:
    return round(float(v), 2)


@dataclass
class ProjectCost:
    """One key project's elements and investment."""

    project: object
    layer: str
    elements: dict = field(default_factory=dict)      # type → count
    elements_cny: float = 0.0
    items_cny: float = 0.0

    @property
    def investment_cny(self) -> float:
        return self.elements_cny + self.items_cny


@dataclass
class Investment:
    """Everything the plan adds up (see :func:`compute`)."""

    plan: object
    facts: ElementFacts
    projects: list
    unassigned: dict
    no_unit_cost: list

    @property
    def total_cny(self) -> float:
        return sum(p.investment_cny for p in self.projects)

    def by(self, key) -> dict:
        out: dict = {}
        for pc in self.projects:
            k = key(pc)
            out[k] = out.get(k, 0.0) + pc.investment_cny
        return out

    def by_phase(self) -> dict:
        out = {ph.name: 0.0 for ph in self.plan.phases}
        out.update(self.by(lambda pc: pc.project.phase))
        return out

    def by_layer(self) -> dict:
        out = {k: 0.0 for k in LAYERS if any(pc.layer == k for pc in self.projects)}
        out.update(self.by(lambda pc: pc.layer))
        return out

    def by_funding(self) -> dict:
        return self.by(lambda pc: pc.project.funding or UNSPECIFIED)

    def by_phase_layer(self) -> dict:
        """(phase, layer) → CNY, for the investment tables."""
        return self.by(lambda pc: (pc.project.phase, pc.layer))

    def to_json(self) -> dict:
        """Exactly the ``smartgis plan --json`` object."""
        plan = self.plan
        return {
            "phases": [{"name": p.name, "start_year": p.start_year, "end_year": p.end_year} for p in plan.phases],
            "projects": [{"id": pc.project.id, "name": pc.project.name, "phase": pc.project.phase, "layer": pc.layer,
                          "lead": pc.project.lead, "support": list(pc.project.support),
                          "funding": pc.project.funding, "elements": dict(pc.elements),
                          "items": [it.to_json() for it in pc.project.items],
                          "investment_cny": _r(pc.investment_cny)} for pc in self.projects],
            "investment": {"total_cny": _r(self.total_cny),
                           "by_phase": {k: _r(v) for k, v in self.by_phase().items()},
                           "by_layer": {k: _r(v) for k, v in self.by_layer().items()},
                           "by_funding": {k: _r(v) for k, v in self.by_funding().items()}},
            "unassigned": dict(self.unassigned),
            "no_unit_cost": list(self.no_unit_cost),
        }

    def bill_of_quantities(self) -> list[dict]:
        """设备清单: per type, variant and phase the number, quantity, unit cost and cost of
        the planned elements assigned to key projects (ordered by phase, then type)."""
        f = self.facts
        sel = f.planned & (f.project != None)  # noqa: E711 - numpy element-wise
        groups: dict = defaultdict(lambda: [0, 0.0, 0.0, set()])
        for k in np.flatnonzero(sel):
            key = (int(f.phase_index[k]), f.types[k], f.variant[k] or "")
            g = groups[key]
            g[0] += 1
            g[1] += float(f.quantity[k])
            g[2] += float(f.cost_cny[k])
            g[3].add(float(f.unit_cost_cny[k]) if np.isfinite(f.unit_cost_cny[k]) else None)
        names = self.plan.phase_names()
        rows = []
        for (pi, tid, var), (n, qty, cost, ucs) in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2])):
            uc = next(iter(ucs)) if len(ucs) == 1 else None
            rows.append({"phase": names[pi] if 0 <= pi < len(names) else "", "type": tid, "variant": var,
                         "count": n, "quantity": qty, "unit": _unit(f, tid), "unit_cost_cny": uc, "cost_cny": cost})
        return rows


def _unit(f: ElementFacts, tid: str) -> str:
    from smartgis.plan.costs import UNITS
    return UNITS.get(f.geometry.get(tid, "Point"), "")


def compute(project, plan=None) -> Investment:
    """Add up the plan of a project."""
    from smartgis.plan.plan import plan_of
    plan = plan or plan_of(project)
    f = element_facts(project, plan)
    cat = project.catalog
    projects = []
    index = {kp.id: k for k, kp in enumerate(plan.projects.values())}
    counts = [Counter() for _ in index]
    costs = np.zeros(len(index))
    if len(f):
        pidx = np.array([index.get(p, -1) if p is not None else -1 for p in f.project], dtype=int)
        assigned = pidx >= 0
        np.add.at(costs, pidx[assigned], f.cost_cny[assigned])
        for k, t in zip(pidx[assigned], f.types[assigned]):
            counts[k][t] += 1
        unassigned = Counter(f.types[~assigned & f.planned].tolist())
        missing = sorted(set(f.types[f.planned & ~f.has_cost].tolist()))
    else:
        unassigned, missing = Counter(), []
    for k, kp in enumerate(plan.projects.values()):
        layer = kp.layer or _majority_layer(counts[k], cat) or ("platform" if kp.items else "application")
        projects.append(ProjectCost(kp, layer, dict(sorted(counts[k].items())), float(costs[k]),
                                    float(sum(it.cost_cny for it in kp.items))))
    return Investment(plan, f, projects, dict(sorted(unassigned.items())), missing)


def _majority_layer(counts: Counter, catalog) -> str | None:
    if not counts:
        return None
    votes = Counter()
    for tid, n in counts.items():
        t = catalog.get(tid) if tid in catalog else tid
        votes[default_layer(t)] += n
    return votes.most_common(1)[0][0]
