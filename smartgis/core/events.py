"""A small, Qt-free signal for the model.

The model emits; views (Qt widgets, the renderer bridge, tests) subscribe.  Like
napari's evented models, a signal is emitted only when a value really changed, and
callbacks are held weakly when they are bound methods, so a closed view does not keep
the model alive or receive events after it is gone.
"""

from __future__ import annotations

import weakref
from typing import Any, Callable


class Signal:
    """A list of callbacks called with the emitted arguments.

    Examples
    --------
    >>> s = Signal()
    >>> seen = []
    >>> s.connect(seen.append)
    >>> s.emit(3)
    >>> seen
    [3]
    """

    __slots__ = ("_slots", "_blocked")

    def __init__(self) -> None:
        self._slots: list[Any] = []
        self._blocked = 0

    def connect(self, callback: Callable) -> Callable:
        """Call ``callback(*args)`` on every emit; bound methods are held weakly."""
        ref = weakref.WeakMethod(callback) if hasattr(callback, "__self__") else callback
        self._slots.append(ref)
        return callback

    def disconnect(self, callback: Callable | None = None) -> None:
        """Remove one callback, or all of them when ``callback`` is None."""
        if callback is None:
            self._slots.clear()
            return
        self._slots = [s for s in self._slots if self._resolve(s) not in (callback, None)]

    @staticmethod
    def _resolve(slot):
        return slot() if isinstance(slot, weakref.WeakMethod) else slot

    def emit(self, *args: Any) -> None:
        """Call every live callback; dead weak references are dropped."""
        if self._blocked:
            return
        alive = []
        for slot in list(self._slots):
            fn = self._resolve(slot)
            if fn is None:
                continue
            alive.append(slot)
            fn(*args)
        if len(alive) != len(self._slots):
            self._slots = [s for s in self._slots if self._resolve(s) is not None]

    def blocked(self) -> "_Blocker":
        """Context manager that suppresses emits (for bulk changes that emit once)."""
        return _Blocker(self)

    def __len__(self) -> int:
        return len(self._slots)


class _Blocker:
    def __init__(self, signal: Signal):
        self.signal = signal

    def __enter__(self):
        self.signal._blocked += 1
        return self.signal

    def __exit__(self, *exc):
        self.signal._blocked -= 1
        return False
