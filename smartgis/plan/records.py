"""The records of a plan (phases, key projects, items, assignments, unit costs) and the
``smartgis_plan_*`` tables of the project file that hold them.

Importing this module registers the tables with :mod:`smartgis.project.schema`, so a
project opened afterwards carries their rows in ``project.extra_tables``; a file made
before plans existed simply has no such tables, which reads as an empty plan.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from smartgis.project import schema

PHASES_TABLE = "smartgis_plan_phases"
PROJECTS_TABLE = "smartgis_plan_projects"
ITEMS_TABLE = "smartgis_plan_items"
ASSIGN_TABLE = "smartgis_plan_assignments"
COSTS_TABLE = "smartgis_plan_costs"
TABLES = (PHASES_TABLE, PROJECTS_TABLE, ITEMS_TABLE, ASSIGN_TABLE, COSTS_TABLE)

PHASE_COLUMNS = [("name", "TEXT NOT NULL UNIQUE"), ("position", "INTEGER"), ("start_year", "INTEGER"),
                 ("end_year", "INTEGER"), ("goal", "TEXT")]
PROJECT_COLUMNS = [("project_id", "TEXT NOT NULL UNIQUE"), ("position", "INTEGER"), ("name", "TEXT"),
                   ("content", "TEXT"), ("layer", "TEXT"), ("phase", "TEXT"), ("lead", "TEXT"),
                   ("support", "TEXT"), ("funding", "TEXT")]
ITEM_COLUMNS = [("project_id", "TEXT NOT NULL"), ("position", "INTEGER"), ("name", "TEXT"), ("quantity", "REAL"),
                ("unit", "TEXT"), ("unit_cost_cny", "REAL"), ("note", "TEXT")]
ASSIGN_COLUMNS = [("uid", "TEXT NOT NULL UNIQUE"), ("project_id", "TEXT NOT NULL"), ("element_type", "TEXT")]
COST_COLUMNS = [("type_id", "TEXT NOT NULL"), ("variant", "TEXT"), ("unit_cost_cny", "REAL"), ("source", "TEXT"),
                ("year", "INTEGER"), ("verified", "BOOLEAN")]

schema.register_table(PHASES_TABLE, PHASE_COLUMNS, "SmartGIS plan: construction phases (name, years, order)")
schema.register_table(PROJECTS_TABLE, PROJECT_COLUMNS,
                      "SmartGIS plan: key projects (content, architecture layer, phase, lead and supporting "
                      "departments, funding)")
schema.register_table(ITEMS_TABLE, ITEM_COLUMNS,
                      "SmartGIS plan: non-spatial items of key projects (platforms, software, data, services)")
schema.register_table(ASSIGN_TABLE, ASSIGN_COLUMNS, "SmartGIS plan: design elements assigned to key projects")
schema.register_table(COSTS_TABLE, COST_COLUMNS, "SmartGIS plan: unit costs of this project (CNY), overriding "
                                                  "the cost catalog")

#: Funding sources the window offers (any text is accepted).
FUNDING_SOURCES = ("财政资金", "专项债", "社会资本", "PPP", "运营商投资", "企业自筹")


def _num(v, default=None):
    try:
        f = float(v)
    except (TypeError, ValueError):
        return default
    return f if math.isfinite(f) else default


def _int(v):
    f = _num(v)
    return None if f is None else int(f)


@dataclass
class Phase:
    """A construction phase (近期 / 中期 / 远期, or 一期 / 二期 ...)."""

    name: str
    start_year: int | None = None
    end_year: int | None = None
    goal: str = ""

    def years(self) -> str:
        if self.start_year and self.end_year and self.end_year != self.start_year:
            return f"{self.start_year}–{self.end_year}"
        return str(self.start_year or self.end_year or "")

    def to_row(self, position: int) -> dict:
        return {"name": self.name, "position": position, "start_year": self.start_year,
                "end_year": self.end_year, "goal": self.goal}

    @classmethod
    def from_row(cls, r: dict) -> "Phase":
        return cls(str(r.get("name") or ""), _int(r.get("start_year")), _int(r.get("end_year")),
                   str(r.get("goal") or ""))


@dataclass
class Item:
    """A non-spatial part of a key project: a platform, software, data, a service."""

    name: str
    quantity: float = 1.0
    unit: str = "项"
    unit_cost_cny: float = 0.0
    note: str = ""

    @property
    def cost_cny(self) -> float:
        return float(self.quantity) * float(self.unit_cost_cny)

    def to_json(self) -> dict:
        return {"name": self.name, "quantity": self.quantity, "unit": self.unit,
                "unit_cost_cny": self.unit_cost_cny, "cost_cny": round(self.cost_cny, 2)}

    def to_row(self, project_id: str, position: int) -> dict:
        return {"project_id": project_id, "position": position, "name": self.name, "quantity": self.quantity,
                "unit": self.unit, "unit_cost_cny": self.unit_cost_cny, "note": self.note}

    @classmethod
    def from_row(cls, r: dict) -> "Item":
        return cls(str(r.get("name") or ""), _num(r.get("quantity"), 1.0), str(r.get("unit") or "项"),
                   _num(r.get("unit_cost_cny"), 0.0), str(r.get("note") or ""))


@dataclass
class KeyProject:
    """A key project (重点项目).

    Attributes
    ----------
    id, name : str
    content : str
        建设内容, free text.
    layer : str
        An architecture layer key (:data:`smartgis.plan.layers.LAYERS`), or "" to take
        the layer most of its elements belong to.
    phase : str
        The name of its phase.
    lead : str
        牵头单位.
    support : list of str
        配合单位.
    funding : str
        资金来源 (财政资金, 专项债, 社会资本, PPP, 运营商投资 ...).
    items : list of Item
    """

    id: str
    name: str
    phase: str
    lead: str = ""
    support: list = field(default_factory=list)
    funding: str = ""
    layer: str = ""
    content: str = ""
    items: list = field(default_factory=list)

    def to_row(self, position: int) -> dict:
        return {"project_id": self.id, "position": position, "name": self.name, "content": self.content,
                "layer": self.layer, "phase": self.phase, "lead": self.lead,
                "support": json.dumps(list(self.support), ensure_ascii=False), "funding": self.funding}

    @classmethod
    def from_row(cls, r: dict) -> "KeyProject":
        try:
            support = json.loads(r.get("support") or "[]")
            if not isinstance(support, list):
                support = [str(support)]
        except (TypeError, ValueError):
            support = [s for s in str(r.get("support")).split(",") if s]
        return cls(str(r.get("project_id") or ""), str(r.get("name") or ""), str(r.get("phase") or ""),
                   str(r.get("lead") or ""), [str(s) for s in support], str(r.get("funding") or ""),
                   str(r.get("layer") or ""), str(r.get("content") or ""))


@dataclass
class CostOverride:
    """A unit cost the project sets itself (CNY per element, metre or square metre)."""

    type_id: str
    variant: str | None
    unit_cost_cny: float
    source: str = ""
    year: int | None = None
    verified: bool = False

    def to_row(self) -> dict:
        return {"type_id": self.type_id, "variant": self.variant, "unit_cost_cny": self.unit_cost_cny,
                "source": self.source, "year": self.year, "verified": bool(self.verified)}

    @classmethod
    def from_row(cls, r: dict) -> "CostOverride":
        return cls(str(r.get("type_id") or ""), r.get("variant") or None, _num(r.get("unit_cost_cny"), 0.0),
                   str(r.get("source") or ""), _int(r.get("year")), bool(r.get("verified")))
