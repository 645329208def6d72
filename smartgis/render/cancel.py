"""Cancelling a running render, and sharing the GIL with the window's thread.

Drawing code calls :meth:`CancelToken.check` between batches.  That is where a render
stops when it is cancelled, and also where a drawing thread lets the window's thread
run (:func:`smartgis.core.gil.share_gil`).
"""

from __future__ import annotations

import threading

from smartgis.core.gil import share_gil
from smartgis.errors import Cancelled

__all__ = ["NEVER", "CancelToken", "RenderCancelled", "share_gil"]


class RenderCancelled(Cancelled):
    """The render was cancelled (the view changed); its images are thrown away."""

    def __init__(self, message: str = "render cancelled", path=None):
        super().__init__(message, path)


class CancelToken:
    """Set once by :meth:`cancel`; :meth:`check` then raises :class:`RenderCancelled`."""

    __slots__ = ("_event",)

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise :class:`RenderCancelled` when cancelled; else maybe :func:`share_gil`."""
        if self._event.is_set():
            raise RenderCancelled()
        share_gil()


#: A token nobody cancels (synchronous renders).
class _Never(CancelToken):
    def cancel(self) -> None:  # pragma: no cover - never used
        pass


NEVER = _Never()
