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

import importlib

# Names are imported on first use (PEP 562): the placement and snapping modules of this
# package are used by quick commands (``smartgis place``) that need none of the check
# engine, whose imports (scipy, networkx) cost a large part of a second.
_EXPORTS = {
    "CheckResult": "check", "RuleResult": "check", "run_check": "check",
    "circle_polygons": "circles", "sector_polygons": "circles", "union_area": "circles",
    "CheckContext": "context", "Footprint": "footprint", "register_metric": "metrics",
    "coverage_models": "models", "register_coverage_model": "models", "RoadNetwork": "network",
    "NotApplicable": "outcome", "Outcome": "outcome", "save_run": "runs",
    "Library": "standards", "Rule": "standards", "Standard": "standards", "load_standard_file": "standards",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'smartgis.analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
