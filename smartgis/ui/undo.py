"""A ``QUndoStack`` that mirrors the model's :class:`~smartgis.core.commands.CommandStack`.

The model's stack is the truth: the CLI, scripts and features push commands on
``project.stack``.  This view adds one :class:`QUndoCommand` per model command, so
Qt's undo actions and an undo view show the same history, and undo/redo from the
menu drive ``project.stack``.  When the model stack changes by itself (a command
pushed, undone from a script, the history cleared or trimmed) the mirror is brought
back in line with it.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand, QUndoStack

from smartgis.i18n import localize


class _ModelCommand(QUndoCommand):
    """Stands for one model command; undo/redo call the model stack."""

    def __init__(self, owner: "ModelUndoStack", command):
        # the model's texts are messages: shown in the interface language
        super().__init__(localize(command.text or ""))
        self.owner = owner
        self.command = command

    def redo(self) -> None:  # noqa: D401 - Qt API
        self.owner._drive("redo")

    def undo(self) -> None:  # noqa: D401 - Qt API
        self.owner._drive("undo")


class ModelUndoStack(QUndoStack):
    """The window's undo stack, kept in step with ``project.stack``.

    Call :meth:`set_model_stack` when the project changes.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self._model = None
        self._syncing = 0
        # QUndoStack moves its index after the command ran, so the clean mark is
        # matched once the index has changed.
        self.indexChanged.connect(self._sync_clean)

    @property
    def model_stack(self):
        return self._model

    def set_model_stack(self, stack) -> None:
        if self._model is not None:
            self._model.changed.disconnect(self._on_model_changed)
        self._model = stack
        self._syncing += 1
        try:
            self.clear()
        finally:
            self._syncing -= 1
        if stack is not None:
            stack.changed.connect(self._on_model_changed)
            self._on_model_changed()

    # -- Qt → model --------------------------------------------------------------------------
    def _drive(self, what: str) -> None:
        if self._syncing or self._model is None:
            return
        self._syncing += 1
        try:
            getattr(self._model, what)()
        finally:
            self._syncing -= 1

    # -- model → Qt --------------------------------------------------------------------------
    def _on_model_changed(self) -> None:
        if self._syncing:
            return
        self._syncing += 1
        try:
            self._rebuild()
        finally:
            self._syncing -= 1

    def _rebuild(self) -> None:
        model = self._model
        if model is None:
            return
        model_cmds = [model.command(i) for i in range(len(model))]
        mine = [self.command(i).command for i in range(self.count())]
        same = 0
        for a, b in zip(mine, model_cmds):
            if a is not b:
                break
            same += 1
        if same < len(mine) or same < len(model_cmds):
            if same == 0 and mine:
                self.clear()
            else:
                # setIndex undoes our stand-ins down to the common prefix (they do
                # nothing while syncing); the next push drops what is above it.
                self.setIndex(same)
                if same < len(mine):
                    # nothing new to push but commands to drop: rebuild from scratch
                    if same == len(model_cmds):
                        self.clear()
                        same = 0
            for cmd in model_cmds[same:]:
                self.push(_ModelCommand(self, cmd))
        if self.index() != model.index:
            self.setIndex(model.index)
        self._sync_clean()

    def _sync_clean(self) -> None:
        model = self._model
        if model is None:
            return
        if model.is_clean:
            if not self.isClean():
                self.setClean()
        elif self.isClean():
            self.resetClean()
