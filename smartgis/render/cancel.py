"""Cancelling a running render: a flag the drawing code checks between batches."""

from __future__ import annotations

import threading

from smartgis.errors import Cancelled


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
        if self._event.is_set():
            raise RenderCancelled()


#: A token nobody cancels (synchronous renders).
class _Never(CancelToken):
    def cancel(self) -> None:  # pragma: no cover - never used
        pass


NEVER = _Never()
