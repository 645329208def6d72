"""The top-level design plan (GB/T 36333): phases, architecture layers, key projects,
unit costs and investment.

Qt-free.  Importing this package registers the ``smartgis_plan_*`` tables with the
project file, so import it before opening a project whose plan you want in
``project.extra_tables``; :func:`plan_of` also reads them straight from the file when
the project was opened earlier.

Examples
--------
>>> from smartgis.plan import compute, plan_of               # doctest: +SKIP
>>> plan = plan_of(project)                                   # doctest: +SKIP
>>> plan.add_phase("近期", 2026, 2027)                        # doctest: +SKIP
>>> compute(project).to_json()["investment"]["total_cny"]     # doctest: +SKIP
"""

from smartgis.plan.costs import CostCatalog, UnitCost, default_costs, parse_cost_spec
from smartgis.plan.facts import ElementFacts, element_facts, phase_members
from smartgis.plan.investment import Investment, compute
from smartgis.plan.layers import LAYER_LABELS, LAYERS, default_layer, layer_label
from smartgis.plan.plan import Plan, parse_years, plan_of
from smartgis.plan.records import FUNDING_SOURCES, Item, KeyProject, Phase

__all__ = ["CostCatalog", "ElementFacts", "FUNDING_SOURCES", "Investment", "Item", "KeyProject", "LAYERS",
           "LAYER_LABELS", "Phase", "Plan", "UnitCost", "compute", "default_costs", "default_layer",
           "element_facts", "layer_label", "parse_cost_spec", "parse_years", "phase_members", "plan_of"]
