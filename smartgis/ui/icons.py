"""Icons of the window's actions: SVG files in ``resources/icons/ui``.

Features and plugins may use them too (``icon("zoom_full")``).  A missing file falls
back to a Qt standard icon, or to no icon, never to an error.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

from smartgis.resources import resources_dir


def icon_path(name: str):
    return resources_dir() / "icons" / "ui" / f"{name}.svg"


@lru_cache(maxsize=128)
def _svg_icon(name: str) -> QIcon | None:
    path = icon_path(name)
    return QIcon(str(path)) if path.exists() else None


def icon(name: str, fallback: QStyle.StandardPixmap | None = None) -> QIcon:
    """The icon ``name`` (``zoom_full``, ``identify`` ...), else the standard ``fallback``."""
    found = _svg_icon(name)
    if found is not None:
        return found
    if fallback is not None:
        return QApplication.style().standardIcon(fallback)
    return QIcon()
