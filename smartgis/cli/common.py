"""Helpers shared by the subcommands: JSON output, messages, progress bars, opening projects."""

from __future__ import annotations

import json
import math
import sys
import time

from smartgis.errors import ProjectFileError
from smartgis.i18n import _, localize


def print_json(obj) -> None:
    """Print exactly one JSON object (UTF-8, Chinese unescaped) and a newline."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=_default, allow_nan=False) + "\n")
    sys.stdout.flush()


def say(message, err: bool = False) -> None:
    """Print one message line in the command line's language (English unless ``SMARTGIS_LANG=zh``).

    ``message`` is made with :func:`smartgis.i18n._`; plain text is printed as it is
    (or matched against the catalogue).  ``err`` prints on stderr (beside ``--json``).
    """
    print(localize(message), file=sys.stderr if err else sys.stdout)


def _default(o):
    try:
        import numpy as np
        if isinstance(o, np.generic):
            return o.item()
        if isinstance(o, np.ndarray):
            return o.tolist()
    except ImportError:  # pragma: no cover
        pass
    if hasattr(o, "__fspath__"):
        return str(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def finite(v):
    """None for NaN/inf (JSON has no NaN)."""
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return v
    return f if math.isfinite(f) else None


class ProgressBar:
    """A progress callback drawing a bar on stderr when it is a terminal."""

    def __init__(self, label: str = "", enabled: bool | None = None):
        self.label = label
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._last = 0.0

    def __call__(self, done, total, message=""):
        if not self.enabled:
            return None
        now = time.monotonic()
        frac = (done / total) if total else 1.0
        if now - self._last < 0.1 and frac < 1:
            return None
        self._last = now
        width = 30
        fill = int(width * min(1.0, max(0.0, frac)))
        label, message = localize(self.label), localize(message)   # English unless SMARTGIS_LANG=zh
        sys.stderr.write(f"\r{label} [{'#' * fill}{'.' * (width - fill)}] {frac * 100:5.1f}% {message[:40]:<40}")
        if frac >= 1:
            sys.stderr.write("\n")
        sys.stderr.flush()
        return None

    def close(self):
        if self.enabled:
            sys.stderr.write("\n")


#: Largest image a command draws (``SMARTGIS_MAX_PIXELS``): about 140 bytes a pixel are
#: in use while rendering, so 100 M pixels already need some 14 GB.
MAX_PIXELS = 100_000_000


def max_pixels() -> int:
    import os
    try:
        return max(1, int(float(os.environ.get("SMARTGIS_MAX_PIXELS", MAX_PIXELS))))
    except ValueError:
        return MAX_PIXELS


def check_pixels(width: float, height: float, option: str) -> None:
    """Refuse an image of ``width`` × ``height`` pixels beyond the pixel budget."""
    from smartgis.errors import UsageError
    budget = max_pixels()
    n = float(width) * float(height)
    if n > budget:
        raise UsageError(_("{option}: {width:.0f} × {height:.0f} is {mp:,.0f} M pixels, more than the {budget:,.0f} M "
                           "pixels SmartGIS draws at once; ask for a smaller image", option=option, width=width,
                           height=height, mp=n / 1e6, budget=budget / 1e6))


def open_project(path, read_only=True, progress=None):
    """Open a project for a command (read-only unless the command saves).

    ``path`` is a project file or a team project's URL
    (``postgresql://USER@HOST[:PORT]/DB?schema=NAME``, see :mod:`smartgis.postgis`).
    """
    if path is None:
        raise ProjectFileError(_("no project file given"))
    from smartgis.postgis.url import is_url
    if is_url(path):
        from smartgis.postgis import open_url
        return open_url(path, read_only=read_only, progress=progress)
    from smartgis.project import open_project as _open
    return _open(path, read_only=read_only, progress=progress)
