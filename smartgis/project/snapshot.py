"""A frozen copy of a project that a worker thread can save while editing goes on.

Saving reads every changed layer; when the save runs on a worker (the autosave
of the window), the designer keeps editing on the GUI thread meanwhile.  A vector
layer's data is a frozen :class:`~smartgis.core.layers.LayerData` that every edit
replaces (copy on write), so :func:`frozen_copy` shares it: nothing is copied, and
the copy keeps the rows of the moment it was taken.  Layers, tree rows and review
records can come and go, so those are copied (they are small).
"""

from __future__ import annotations

import copy

from smartgis.core.events import Signal
from smartgis.core.layers import VectorLayer
from smartgis.core.project import Project


class _FrozenTree:
    """The layer tree as the rows the save writes."""

    def __init__(self, rows: list[dict]):
        self._rows = rows

    def to_rows(self) -> list[dict]:
        return [dict(r) for r in self._rows]


def _frozen_layer(lyr):
    snap = copy.copy(lyr)
    # a frozen copy never tells anybody anything: listeners live on the GUI thread
    snap.changed = Signal()
    snap.source = copy.deepcopy(lyr.source)
    if hasattr(lyr, "style"):
        snap.style = copy.deepcopy(lyr.style)
    if isinstance(lyr, VectorLayer):
        snap.selection_changed = Signal()
        snap.freeze_from(lyr)
    return snap


def frozen_copy(project: Project) -> Project:
    """A copy of ``project`` for :func:`~smartgis.project.store.save_project` with ``copy=True``.

    Parameters
    ----------
    project : Project
        The project being edited (call this on the thread that edits it).

    Returns
    -------
    Project
        A shallow copy whose layers, tree, metadata, settings and extra tables no
        longer change with ``project``; ``origin`` names the project it was taken
        from (review records are looked up through it).  Only for saving a copy:
        it has no undo history and emits no signals.
    """
    snap = copy.copy(project)
    snap.origin = project
    snap.metadata = copy.deepcopy(project.metadata)
    snap.settings = copy.deepcopy(project.settings)
    snap.extra_tables = {k: [dict(r) for r in rows] for k, rows in project.extra_tables.items()}
    snap.layers = {k: _frozen_layer(lyr) for k, lyr in project.layers.items()}
    snap.tree = _FrozenTree(project.tree.to_rows())
    for name in ("layer_added", "layer_removed", "modified_changed", "metadata_changed"):
        setattr(snap, name, Signal())
    return snap
