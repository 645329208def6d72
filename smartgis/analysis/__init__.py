"""Checking a design against the standards (no Qt).

* :func:`run_check` — every rule of the chosen standards, with status, value,
  threshold, clause, verified flag and the gaps as geometry (:mod:`.check`);
* :func:`coverage` — the quick answer for one element type (:mod:`.quick`);
* the coverage engine — exact union of true circles (:mod:`.circles`), camera sectors
  blocked by buildings (:mod:`.sectors`), walking distance along the road network
  (:mod:`.network`), pluggable models (:func:`register_coverage_model`);
* the standards library (:mod:`.standards`), runs stored in the project (:mod:`.runs`),
  gap filling (:mod:`.suggest`) and the HTML report (:mod:`.report_html`).
"""

from smartgis.analysis.check import CheckResult, RuleResult, run_check
from smartgis.analysis.circles import circle_polygons, sector_polygons, union_area
from smartgis.analysis.context import CheckContext
from smartgis.analysis.footprint import Footprint
from smartgis.analysis.metrics import register_metric
from smartgis.analysis.models import coverage_models, register_coverage_model
from smartgis.analysis.network import RoadNetwork
from smartgis.analysis.outcome import NotApplicable, Outcome
from smartgis.analysis.runs import save_run
from smartgis.analysis.standards import Library, Rule, Standard, load_standard_file

__all__ = [
    "CheckContext", "CheckResult", "Footprint", "Library", "NotApplicable", "Outcome", "RoadNetwork", "Rule",
    "RuleResult", "Standard", "circle_polygons", "coverage_models", "load_standard_file", "register_coverage_model",
    "register_metric", "run_check", "save_run", "sector_polygons", "union_area",
]
