"""The composition root: where SmartGIS is put together, once, at start-up.

The model keeps only its built-in tables and asks no one for more; the plugin
registry (:mod:`smartgis.plugins.registry`) is a pure index of manifests.  This module
joins the two: :func:`start`, called by :func:`smartgis.cli.main` and by the window's
start-up (:func:`smartgis.ui.app.run_app`), hands the model (through
:mod:`smartgis.contributions`)

* the element types of the enabled plugins, added to every catalog built
  (:func:`extend_catalog`, used by :func:`smartgis.core.catalog.default_catalog` and so
  by new and opened projects),
* their coverage models and metrics, beside the built-in ones of
  :mod:`smartgis.analysis.models` and :mod:`smartgis.analysis.metrics`,
* their standards files, beside the built-in library
  (:meth:`smartgis.analysis.standards.Library.load`),
* and the store that saves a new project (:func:`smartgis.project.save_project`).

Each of them reads the registry when it is asked, so switching a plugin on or off
takes effect at once; nothing heavy is imported here, so start-up stays as fast as
``smartgis --version``.

Floor: above the model (core, project, analysis, io, review), beneath render, ui and
cli, which call it.  A script that wants the same house calls :func:`start` first.
"""

from __future__ import annotations

from smartgis import contributions
from smartgis.i18n import _, message_of


def registry():
    """The session's plugin registry (:func:`smartgis.plugins.registry.registry`), imported
    when first needed: starting the session costs nothing until plugins are asked for."""
    from smartgis.plugins.registry import registry as the_registry
    return the_registry()


def extend_catalog(catalog, reg=None) -> list[str]:
    """Add the element types of the enabled plugins to ``catalog``; returns their ids.

    Idempotent: calling it again on the same catalog changes nothing.  A type whose id
    a built-in (or another plugin's) type has already is left out with a warning; a
    plugin with an invalid type is disabled for the session (the others carry on).
    """
    from smartgis.core.catalog import ElementType
    from smartgis.errors import CatalogError
    reg = reg or registry()
    added = []
    for p in reg.active():
        origin = f"plugin:{p.name}"
        defs = reg.element_type_definitions(p)
        try:
            types = [ElementType.from_dict(d, catalog.common, origin=origin) for d in defs]
        except (CatalogError, TypeError, AttributeError) as exc:
            reg.fail(p, _("invalid element type: {error}", error=message_of(exc)))
            continue
        for t in types:
            if t.id in catalog and catalog.get(t.id).origin not in (origin, "snapshot"):
                reg.notify(f"{p.name}/{t.id}", _("plugin {plugin!r}: element type {type!r} exists already "
                                                 "({origin}); the plugin's version is not used", plugin=p.name,
                                                 type=t.id, origin=catalog.get(t.id).origin))
                continue
            catalog.add(t, replace=True)
            added.append(t.id)
    return added


def _save_new_project(project, path=None, progress=None):
    from smartgis.project import save_project
    return save_project(project, path, progress=progress)


def contributions_of_plugins() -> contributions.Contributions:
    """What the enabled plugins add to the model, read from the session's registry
    each time it is asked (the registry may be reset, plugins switched on or off)."""
    return contributions.Contributions(
        element_types=lambda catalog: extend_catalog(catalog),
        coverage_models=lambda: registry().coverage_models(),
        metrics=lambda: registry().metrics(),
        standard_files=lambda: registry().standard_files(),
        store=_save_new_project,
    )


_started: contributions.Contributions | None = None


def start() -> contributions.Contributions:
    """Put SmartGIS together for this process (idempotent); returns what the model gets."""
    global _started
    if _started is None or contributions.current() is not _started:
        _started = contributions_of_plugins()
        contributions.install(_started)
    return _started
