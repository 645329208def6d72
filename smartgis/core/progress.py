"""Progress reporting and cancellation for long operations (imports, saves, checks).

One callback serves the CLI's progress bar and the window's progress dialog::

    def progress(done: float, total: float, message: str = "") -> bool | None

Returning ``False`` asks the operation to stop; it then raises
:class:`smartgis.errors.Cancelled` having changed nothing.
"""

from __future__ import annotations

from typing import Callable, Optional

from smartgis.errors import Cancelled

ProgressCallback = Callable[..., Optional[bool]]


def report(callback: ProgressCallback | None, done: float, total: float, message: str = "") -> None:
    """Call ``callback`` and raise :class:`Cancelled` if it returned False."""
    if callback is not None and callback(done, total, message) is False:
        raise Cancelled(f"cancelled: {message}" if message else "cancelled")


def scaled(callback: ProgressCallback | None, start: float, stop: float, message: str = "") -> ProgressCallback | None:
    """A callback mapping a sub-task's 0..total onto ``start..stop`` of 0..1."""
    if callback is None:
        return None

    def _cb(done, total, msg=""):
        frac = (done / total) if total else 1.0
        return callback(start + (stop - start) * frac, 1.0, msg or message)

    return _cb
