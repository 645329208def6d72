"""The table of metrics a check looks a rule's metric up in.

It joins, each time it is asked, the built-in metrics (:mod:`smartgis.analysis.metrics`,
:mod:`smartgis.analysis.fire`) and those the session contributes (the enabled plugins',
handed in by :func:`smartgis.session.start`).  No metric module registers itself by
being imported: the table names its modules.
"""

from __future__ import annotations

from smartgis import contributions
from smartgis.analysis import fire, metrics


def builtin_metrics() -> dict:
    """The metrics SmartGIS ships, by name (and those a script added with
    :func:`~smartgis.analysis.metrics.register_metric`)."""
    return {**fire.METRICS, **metrics.METRICS}   # small dicts: joined when asked


def _plugin_metrics() -> dict:
    """Metrics the session contributes (the enabled plugins'), by name."""
    try:
        return dict(contributions.current().metrics())
    except Exception:  # noqa: BLE001 - plugins are optional
        return {}


def metric_fn(name: str):
    """The metric ``name``: built in, registered, or contributed by an enabled plugin; None if unknown."""
    fn = metrics.METRICS.get(name) or fire.METRICS.get(name)
    return fn if fn is not None else _plugin_metrics().get(name)


def metric_names() -> set:
    return set(builtin_metrics()) | set(_plugin_metrics())
