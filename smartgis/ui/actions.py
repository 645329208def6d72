"""Making the window's actions: one way to build a ``QAction`` from its parts."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QStyle


def new_action(parent, name: str, text: str, slot=None, shortcut=None, icon=None, tip: str | None = None,
               checkable: bool = False) -> QAction:
    """A ``QAction`` of ``parent`` named ``name`` (its object name, which tests and
    saved tool-bar layouts find it by).

    ``shortcut`` is one key sequence or a list of them; ``icon`` a ``QIcon`` or a
    ``QStyle.StandardPixmap`` (taken from ``parent``'s style); ``tip`` is both the tool
    tip and the status-bar tip; ``slot`` is called without arguments when the action
    is triggered (a checkable action's state is not passed on).
    """
    act = QAction(text, parent)
    act.setObjectName(name)
    if shortcut is not None:
        if isinstance(shortcut, (list, tuple)):
            act.setShortcuts([QKeySequence(s) for s in shortcut])
        else:
            act.setShortcut(QKeySequence(shortcut))
    if icon is not None:
        act.setIcon(parent.style().standardIcon(icon) if isinstance(icon, QStyle.StandardPixmap) else icon)
    if tip:
        act.setStatusTip(tip)
        act.setToolTip(tip)
    act.setCheckable(checkable)
    if slot is not None:
        act.triggered.connect(lambda _checked=False, f=slot: f())
    return act


__all__ = ["new_action"]
