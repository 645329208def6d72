"""Point icons carried inside the style itself, so a project draws the same anywhere.

A symbol's ``icon`` is either a file path (what older projects stored: the SVG of the
machine that made them) or the SVG itself as ``base64:<data>`` — the form QGIS uses
for embedded SVG markers, so QGIS draws the embedded icon from the project file alone.
New element styles always embed; projects storing paths are migrated when opened.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

#: Prefix of an embedded SVG (QGIS's convention for SVG marker paths).
EMBED_PREFIX = "base64:"

_TITLE = re.compile(rb"<title>\s*([^<]{1,60}?)\s*</title>")


def is_embedded(icon: str | None) -> bool:
    return bool(icon) and str(icon).startswith(EMBED_PREFIX)


def embed_bytes(data: bytes) -> str:
    """``base64:<data>`` of an SVG document."""
    return EMBED_PREFIX + base64.b64encode(data).decode("ascii")


def icon_bytes(icon: str | None) -> bytes | None:
    """The SVG document an icon reference stands for (None when it cannot be read)."""
    if not icon:
        return None
    if is_embedded(icon):
        try:
            return base64.b64decode(icon[len(EMBED_PREFIX):], validate=False)
        except ValueError:
            return None
    try:
        p = Path(icon)
        return p.read_bytes() if p.is_file() else None
    except OSError:
        return None


def icon_name(icon: str | None) -> str | None:
    """A readable name for an icon: the file stem, or the SVG's ``<title>``, or a digest."""
    if not icon:
        return None
    if not is_embedded(icon):
        return Path(icon).stem
    data = icon_bytes(icon) or b""
    m = _TITLE.search(data)
    if m:
        return m.group(1).decode("utf-8", "replace")
    return "svg_" + hashlib.sha256(data).hexdigest()[:12]


def find_icon_file(icon: str, search: tuple = ()) -> Path | None:
    """The SVG file an icon path of another machine means here.

    ``icon`` itself when it exists; otherwise a file of the same name in one of the
    ``search`` folders (beside the project, SmartGIS's own ``resources/icons`` for a
    project made where the program lived elsewhere).
    """
    p = Path(icon)
    try:
        if p.is_file():
            return p
    except OSError:
        pass
    name = p.name
    for folder in search:
        c = Path(folder) / name
        if c.is_file():
            return c
    return None


def embedded_icon(icon: str | None, search: tuple = (), library: dict | None = None) -> str | None:
    """``icon`` made self-contained: embedded as ``base64:`` SVG.

    Parameters
    ----------
    icon : str or None
        A path, a file name, or an already embedded icon.
    search : tuple of folders
        Where else to look for a file of the same name.
    library : dict, optional
        ``{name: svg bytes}`` of the project's stored symbols, looked up by file stem.

    Returns
    -------
    str or None
        The embedded icon, or None when the SVG cannot be found anywhere.
    """
    if not icon or is_embedded(icon):
        return icon or None
    if library:
        data = library.get(Path(icon).stem)
        if data:
            return embed_bytes(data)
    f = find_icon_file(icon, search)
    if f is None:
        return None
    try:
        return embed_bytes(f.read_bytes())
    except OSError:
        return None


def style_symbols(style) -> list:
    """Every :class:`Symbol` of a vector style (single, categories, ranges)."""
    return [style.symbol] + [c.symbol for c in style.categories] + [r.symbol for r in style.ranges]


__all__ = ["EMBED_PREFIX", "is_embedded", "embed_bytes", "icon_bytes", "icon_name", "find_icon_file",
           "embedded_icon", "style_symbols"]
