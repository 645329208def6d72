"""Undo and redo for the model, without Qt.

Every edit of a design goes through a :class:`Command` pushed on the project's
:class:`CommandStack`.  The window wraps the same stack in a ``QUndoStack`` view, so
the menu, the CLI and scripts undo the same way.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable

from smartgis.core.events import Signal


class Command:
    """One undoable edit.  Subclasses implement :meth:`redo` and :meth:`undo`.

    ``redo`` is called when the command is pushed, so a command does its work once
    whether it is new or redone.
    """

    text: str = ""

    def redo(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def undo(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class FunctionCommand(Command):
    """A command made of two callables (handy for small edits)."""

    def __init__(self, text: str, redo: Callable[[], None], undo: Callable[[], None]):
        self.text = text
        self._redo, self._undo = redo, undo

    def redo(self) -> None:
        self._redo()

    def undo(self) -> None:
        self._undo()


class MacroCommand(Command):
    """Several commands undone and redone as one step."""

    def __init__(self, text: str):
        self.text = text
        self.children: list[Command] = []

    def redo(self) -> None:
        for c in self.children:
            c.redo()

    def undo(self) -> None:
        for c in reversed(self.children):
            c.undo()


class CommandStack:
    """A linear undo history with a clean mark (the state last saved).

    Signals
    -------
    changed()
        After push, undo, redo, clear or a change of the clean mark.
    """

    def __init__(self, limit: int = 0):
        self._commands: list[Command] = []
        self._index = 0
        self._clean = 0
        self._limit = limit
        self._macros: list[MacroCommand] = []
        #: Depth of commands being done or undone right now: changes they make are the
        #: stack's to account for (see :attr:`Project.is_modified`).
        self.executing = 0
        self.changed = Signal()

    @contextmanager
    def _executing(self):
        self.executing += 1
        try:
            yield
        finally:
            self.executing -= 1

    # -- editing -------------------------------------------------------------------------
    def push(self, cmd: Command) -> Command:
        """Do ``cmd`` and record it (inside a macro, it joins the macro)."""
        with self._executing():
            cmd.redo()
        if self._macros:
            self._macros[-1].children.append(cmd)
            return cmd
        del self._commands[self._index:]
        if self._clean > self._index:
            self._clean = -1  # the saved state can no longer be reached by undo/redo
        self._commands.append(cmd)
        self._index += 1
        if self._limit and len(self._commands) > self._limit:
            drop = len(self._commands) - self._limit
            del self._commands[:drop]
            self._index -= drop
            self._clean = self._clean - drop if self._clean >= drop else -1
        self.changed.emit()
        return cmd

    @contextmanager
    def macro(self, text: str):
        """Group the commands pushed inside the ``with`` block into one undo step.

        If the block raises, the commands done so far are undone and nothing is recorded.
        """
        m = MacroCommand(text)
        self._macros.append(m)
        try:
            yield m
        except BaseException:
            self._macros.pop()
            with self._executing():
                m.undo()
            raise
        self._macros.pop()
        if m.children:
            if self._macros:
                self._macros[-1].children.append(m)
            else:
                # already done: record without redoing
                del self._commands[self._index:]
                if self._clean > self._index:
                    self._clean = -1
                self._commands.append(m)
                self._index += 1
                self.changed.emit()

    def undo(self) -> bool:
        if not self.can_undo:
            return False
        self._index -= 1
        with self._executing():
            self._commands[self._index].undo()
        self.changed.emit()
        return True

    def redo(self) -> bool:
        if not self.can_redo:
            return False
        with self._executing():
            self._commands[self._index].redo()
        self._index += 1
        self.changed.emit()
        return True

    def clear(self) -> None:
        self._commands.clear()
        self._index = self._clean = 0
        self.changed.emit()

    # -- state ---------------------------------------------------------------------------
    @property
    def can_undo(self) -> bool:
        return self._index > 0 and not self._macros

    @property
    def can_redo(self) -> bool:
        return self._index < len(self._commands) and not self._macros

    @property
    def undo_text(self) -> str:
        return self._commands[self._index - 1].text if self._index > 0 else ""

    @property
    def redo_text(self) -> str:
        return self._commands[self._index].text if self.can_redo else ""

    @property
    def index(self) -> int:
        return self._index

    def __len__(self) -> int:
        return len(self._commands)

    def command(self, i: int) -> Command:
        return self._commands[i]

    def set_clean(self) -> None:
        self._clean = self._index
        self.changed.emit()

    @property
    def is_clean(self) -> bool:
        return self._clean == self._index
