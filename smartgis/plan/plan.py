"""The plan of a project: phases, key projects, their items, the elements assigned to
them and the project's own unit costs.

The plan lives on the project (like its review) and writes its rows into
``project.extra_tables`` on every change, so a save — the window's autosave copy too —
stores it, and an open reads it back.

Examples
--------
>>> from smartgis.core import Project
>>> p = Project("示例", "EPSG:4547")
>>> plan = plan_of(p)
>>> plan.add_phase("近期", 2026, 2027)
>>> plan.add_project("P01", "城市运行管理中心", phase="近期", lead="新区管委会", layer="platform")
>>> plan.add_item("P01", "城市运行管理平台软件", 12_000_000)
>>> plan.projects["P01"].items[0].cost_cny
12000000.0
"""

from __future__ import annotations

import re
from pathlib import Path

from smartgis.core.commands import Command
from smartgis.core.events import Signal
from smartgis.errors import UsageError
from smartgis.i18n import _
from smartgis.plan import records as rec
from smartgis.plan.costs import CostCatalog, UnitCost, default_costs
from smartgis.plan.layers import check_layer
from smartgis.plan.records import CostOverride, Item, KeyProject, Phase

_ATTR = "_smartgis_plan"

#: How plan edits read in the undo history.
UNDO_TEXT = {"phases": _("Edit the phases of the plan"), "projects": _("Edit the key projects"),
             "assignments": _("Assign elements to key projects"), "costs": _("Set unit costs")}


class EditPlan(Command):
    """One edit of the plan: the plan's rows before and after it (they are small)."""

    def __init__(self, plan: "Plan", what: str, old: dict, new: dict):
        self.plan, self.what, self.old, self.new = plan, what, old, new
        self.text = UNDO_TEXT.get(what) or _("Edit the plan")

    def redo(self) -> None:
        self.plan._restore(self.new, self.what)

    def undo(self) -> None:
        self.plan._restore(self.old, self.what)


def plan_of(project) -> "Plan":
    """The one :class:`Plan` of a project (the dock, the CLI and scripts share it)."""
    p = getattr(project, _ATTR, None)
    if p is None or p.project is not project:
        p = Plan(project)
        setattr(project, _ATTR, p)
    return p


def parse_years(text: str) -> tuple[int, int]:
    """``"2026-2027"`` (or ``2026–2027``, ``2026``) → ``(2026, 2027)``."""
    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-–~至]\s*(\d{4}))?\s*", str(text or ""))
    if not m:
        raise UsageError(_("years {years!r}: write START-END, e.g. 2026-2027", years=text))
    a, b = int(m.group(1)), int(m.group(2) or m.group(1))
    if b < a:
        raise UsageError(_("years {years!r}: the end comes before the start", years=text))
    return a, b


class Plan:
    """Phases, key projects, assignments and unit costs of one project.

    Signals
    -------
    changed(what)
        ``"phases"``, ``"projects"``, ``"assignments"`` or ``"costs"`` after an edit.
    """

    def __init__(self, project, costs: CostCatalog | None = None):
        self.project = project
        self.catalog_costs = costs or default_costs()
        self.phases: list[Phase] = []
        self.projects: dict[str, KeyProject] = {}
        #: element uid → key project id
        self.assignments: dict[str, str] = {}
        #: element uid → its type (kept so a file read by QGIS says what was assigned)
        self._assigned_types: dict[str, str] = {}
        self.costs: dict[tuple[str, str | None], CostOverride] = {}
        self.changed = Signal()
        self._load()

    # -- loading and storing ---------------------------------------------------------------
    def _rows(self) -> dict[str, list[dict]]:
        extra = self.project.extra_tables
        if all(t in extra for t in rec.TABLES):
            return {t: extra[t] for t in rec.TABLES}
        # the project was opened before this package registered its tables: read the file
        base = getattr(self.project, "base_path", None) or getattr(self.project, "path", None)
        out = {t: list(extra.get(t) or []) for t in rec.TABLES}
        if base and Path(base).exists():
            from smartgis.project import gpkg
            conn = gpkg.connect(base, readonly=True)
            try:
                for t in rec.TABLES:
                    if t not in extra:
                        out[t] = gpkg.read_rows(conn, t)
            finally:
                conn.close()
        return out

    def _load(self) -> None:
        self._from_rows(self._rows())
        # every table present from now on: a save writes them even when empty
        self._store(dirty=False)
        self._state = self._rows_now()

    def _from_rows(self, rows: dict) -> None:
        by_pos = lambda r: (r.get("position") or 0)  # noqa: E731
        self.phases = [Phase.from_row(r) for r in sorted(rows[rec.PHASES_TABLE], key=by_pos)]
        self.projects = {}
        self.assignments, self._assigned_types, self.costs = {}, {}, {}
        for r in sorted(rows[rec.PROJECTS_TABLE], key=by_pos):
            kp = KeyProject.from_row(r)
            self.projects[kp.id] = kp
        for r in sorted(rows[rec.ITEMS_TABLE], key=by_pos):
            kp = self.projects.get(str(r.get("project_id")))
            if kp is not None:
                kp.items.append(Item.from_row(r))
        for r in rows[rec.ASSIGN_TABLE]:
            if str(r.get("project_id")) in self.projects:
                self.assignments[str(r["uid"])] = str(r["project_id"])
                self._assigned_types[str(r["uid"])] = str(r.get("element_type") or "")
        for r in rows[rec.COSTS_TABLE]:
            c = CostOverride.from_row(r)
            self.costs[(c.type_id, c.variant)] = c

    def _rows_now(self) -> dict[str, list[dict]]:
        return {rec.PHASES_TABLE: [p.to_row(i) for i, p in enumerate(self.phases)],
                rec.PROJECTS_TABLE: [kp.to_row(i) for i, kp in enumerate(self.projects.values())],
                rec.ITEMS_TABLE: [it.to_row(kp.id, i) for kp in self.projects.values() for i, it in enumerate(kp.items)],
                rec.ASSIGN_TABLE: [{"uid": u, "project_id": pid, "element_type": self._assigned_types.get(u, "")}
                                   for u, pid in self.assignments.items()],
                rec.COSTS_TABLE: [c.to_row() for c in self.costs.values()]}

    def _store(self, dirty: bool = True, rows: dict | None = None) -> None:
        extra = self.project.extra_tables
        for name, table in (rows or self._rows_now()).items():
            extra[name] = [dict(r) for r in table]
        if dirty:
            mark = getattr(self.project, "_set_meta_dirty", None)
            if mark is not None:
                mark()

    def _changed(self, what: str) -> None:
        """Record an edit just made in memory as one step of the project's undo history."""
        new, old = self._rows_now(), self._state
        self._state = new
        stack = getattr(self.project, "stack", None)
        if stack is None:
            self._store(rows=new)
            self.changed.emit(what)
            return
        stack.push(EditPlan(self, what, old, new))

    def _restore(self, rows: dict, what: str) -> None:
        """Bring the plan to a recorded state (an undo or redo; a new edit's own redo)."""
        self._from_rows(rows)
        self._state = rows
        # inside the history the stack's clean mark says whether the project is saved
        self._store(rows=rows)
        self.changed.emit(what)

    @property
    def is_empty(self) -> bool:
        return not (self.phases or self.projects or self.costs)

    # -- phases ----------------------------------------------------------------------------
    def phase_names(self) -> list[str]:
        return [p.name for p in self.phases]

    def phase(self, name: str) -> Phase:
        for p in self.phases:
            if p.name == name:
                return p
        have = ", ".join(self.phase_names()) or _("none")
        raise UsageError(_("no phase {phase!r} in the plan (phases: {phases})", phase=name, phases=have))

    def phase_index(self, name: str) -> int:
        return self.phases.index(self.phase(name))

    def add_phase(self, name: str, start_year: int | None = None, end_year: int | None = None,
                  goal: str = "") -> Phase:
        """Add a phase after the others (or change the years of an existing one)."""
        name = str(name).strip()
        if not name:
            raise UsageError(_("a phase needs a name"))
        if start_year and end_year and end_year < start_year:
            raise UsageError(_("phase {phase!r}: the end year comes before the start year", phase=name))
        for p in self.phases:
            if p.name == name:
                p.start_year, p.end_year = start_year, end_year
                if goal:
                    p.goal = goal
                self._changed("phases")
                return self.phase(name)
        self.phases.append(Phase(name, start_year, end_year, goal))
        self._changed("phases")
        return self.phase(name)

    def remove_phase(self, name: str) -> None:
        p = self.phase(name)
        used = [kp.id for kp in self.projects.values() if kp.phase == name]
        if used:
            raise UsageError(_("phase {phase!r} still has projects: {projects}", phase=name,
                               projects=", ".join(used)))
        self.phases.remove(p)
        self._changed("phases")

    # -- key projects -----------------------------------------------------------------------
    def key_project(self, project_id: str) -> KeyProject:
        kp = self.projects.get(project_id)
        if kp is None:
            have = ", ".join(self.projects) or _("none")
            raise UsageError(_("no key project {id!r} in the plan (projects: {projects})", id=project_id,
                               projects=have))
        return kp

    def add_project(self, project_id: str, name: str, phase: str, lead: str = "", support=(), funding: str = "",
                    layer: str = "", content: str = "") -> KeyProject:
        """Add a key project; its phase must exist, its id must be new."""
        project_id = str(project_id).strip()
        if not project_id:
            raise UsageError(_("a key project needs an id"))
        if project_id in self.projects:
            raise UsageError(_("key project {id!r} exists already", id=project_id))
        if not str(name or "").strip():
            raise UsageError(_("key project {id!r} needs a name", id=project_id))
        self.phase(phase)
        if layer:
            check_layer(layer)
        kp = KeyProject(project_id, str(name).strip(), phase, str(lead or ""), _split(support), str(funding or ""),
                        layer or "", str(content or ""))
        self.projects[project_id] = kp
        self._changed("projects")
        return self.projects[project_id]

    def update_project(self, project_id: str, **values) -> KeyProject:
        kp = self.key_project(project_id)
        for k, v in values.items():
            if k == "phase":
                self.phase(v)
            elif k == "layer" and v:
                check_layer(v)
            elif k == "support":
                v = _split(v)
            elif k not in ("name", "lead", "funding", "content", "layer"):
                raise UsageError(_("a key project has no field {field!r}", field=k))
            setattr(kp, k, v if k == "support" else str(v or ""))
        self._changed("projects")
        return self.projects[project_id]

    def remove_project(self, project_id: str) -> None:
        self.key_project(project_id)
        del self.projects[project_id]
        for u in [u for u, p in self.assignments.items() if p == project_id]:
            del self.assignments[u]
            self._assigned_types.pop(u, None)
        self._changed("projects")

    def add_item(self, project_id: str, name: str, unit_cost_cny: float, quantity: float = 1.0,
                 unit: str = "项", note: str = "") -> Item:
        """Add a non-spatial item (platform, software, data, service) to a key project."""
        kp = self.key_project(project_id)
        try:
            unit_cost_cny, quantity = float(unit_cost_cny), float(quantity)
        except (TypeError, ValueError):
            raise UsageError(_("item {name!r}: cost and quantity are numbers", name=name)) from None
        if unit_cost_cny < 0 or quantity < 0 or unit_cost_cny != unit_cost_cny or quantity != quantity:
            raise UsageError(_("item {name!r}: cost and quantity cannot be negative", name=name))
        it = Item(str(name).strip(), quantity, str(unit or "项"), unit_cost_cny, note)
        kp.items.append(it)
        self._changed("projects")
        return self.projects[project_id].items[-1]

    # -- assignments ------------------------------------------------------------------------
    def assign(self, project_id: str, uids, type_ids=None) -> int:
        """Assign elements (by uid) to a key project; an element belongs to one project."""
        self.key_project(project_id)
        uids = list(uids)
        types = list(type_ids) if type_ids is not None else [None] * len(uids)
        for u, t in zip(uids, types):
            self.assignments[str(u)] = project_id
            self._assigned_types[str(u)] = t or self._assigned_types.get(str(u), "")
        self._changed("assignments")
        return len(uids)

    def unassign(self, uids) -> int:
        n = 0
        for u in uids:
            if self.assignments.pop(str(u), None) is not None:
                self._assigned_types.pop(str(u), None)
                n += 1
        if n:
            self._changed("assignments")
        return n

    def project_of(self, uid: str) -> KeyProject | None:
        pid = self.assignments.get(str(uid))
        return self.projects.get(pid) if pid else None

    # -- unit costs -------------------------------------------------------------------------
    def set_cost(self, type_id: str, variant: str | None, cny: float, source: str = "", year: int | None = None,
                 verified: bool = False) -> CostOverride:
        """Set this project's unit cost of a type (or one variant of it)."""
        self.project.catalog.get(type_id)  # raises naming close type ids
        if cny != cny or cny < 0:
            raise UsageError(_("a unit cost cannot be negative"))
        c = CostOverride(type_id, variant or None, float(cny), source, year, verified)
        self.costs[(type_id, variant or None)] = c
        self._changed("costs")
        return self.costs[(type_id, variant or None)]

    def unit_cost(self, type_id: str, variant: str | None = None) -> UnitCost | None:
        """The unit cost of a type and variant.

        The project's own costs come first (its variant, then the whole type: a project
        cost for ``camera`` replaces the catalog's costs of every camera), then the cost
        catalog's (variant, then type).  None when neither has one.
        """
        for key in ((type_id, variant), (type_id, None)) if variant is not None else ((type_id, None),):
            c = self.costs.get(key)
            if c is not None:
                return UnitCost(c.type_id, c.variant, c.unit_cost_cny, c.source, c.year, c.verified, "project")
        return self.catalog_costs.get(type_id, variant)


def _split(values) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = re.split(r"[,，、;；]", values)
    return [str(v).strip() for v in values if str(v).strip()]
