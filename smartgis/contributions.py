"""What the session adds to the built-in tables, handed to the model from above.

The model keeps built-in tables — element types (:mod:`smartgis.core.catalog`),
coverage models (:mod:`smartgis.analysis.models`), metrics
(:mod:`smartgis.analysis.metrics`), standards (:mod:`smartgis.analysis.standards`) —
and never asks where anything beyond them comes from.  The composition root,
:func:`smartgis.session.start`, fills one :class:`Contributions` with functions that
read the plugins' contributions when they are asked for, and with the store that
saves a new project; a bare script or a test of the model that never starts a session
sees the built-ins alone.

It sits at the bottom of the house and imports nothing, so every floor can read it
without reaching up: the dependency points from the session down to the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


def _no_types(catalog) -> list:
    return []


@dataclass
class Contributions:
    """The functions the session gives the model (each is called when it is needed,
    so that switching a plugin on or off takes effect at once).

    Attributes
    ----------
    element_types : callable
        ``element_types(catalog) -> list[str]`` adds the contributed element types to
        ``catalog`` and returns their ids.
    coverage_models : callable
        ``coverage_models() -> {name: fn}``, models beside the built-in ones.
    metrics : callable
        ``metrics() -> {name: fn}``, metrics beside the built-in ones.
    standard_files : callable
        ``standard_files() -> [Path]``, standards files beside the built-in library.
    store : callable or None
        ``store(project, path, progress=None) -> Path``: how a new project is saved
        (:meth:`smartgis.core.project.Project.save`).
    """

    element_types: Callable[[object], list] = _no_types
    coverage_models: Callable[[], dict] = dict
    metrics: Callable[[], dict] = dict
    standard_files: Callable[[], list] = list
    store: Callable | None = None


_current = Contributions()


def current() -> Contributions:
    """The contributions of this session (built-ins only until a session starts)."""
    return _current


def install(contributions: Contributions) -> Contributions:
    """Make ``contributions`` current; returns the previous ones (to put back in tests)."""
    global _current
    previous, _current = _current, contributions
    return previous
