"""Finding plugins: the configured folders and the ``smartgis.plugins`` entry points.

Plugins are looked for, in this order (the first plugin of a name wins; later ones of
the same name are reported as shadowed):

1. every path in ``SMARTGIS_PLUGIN_PATH`` (``os.pathsep``-separated): a plugin folder,
   or a folder of plugin folders;
2. the user's plugin folder, ``<config dir>/plugins`` (see :mod:`smartgis.plugins.config`);
3. installed Python distributions declaring an entry point in the group
   ``smartgis.plugins`` whose value is the plugin's package (``name = "my_pkg"``);
4. the ``plugins/`` folder shipped with SmartGIS.

Discovery reads manifests only; no plugin code runs.  Nothing is ever looked for
beside a project file or in the current directory.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
from dataclasses import dataclass, field
from pathlib import Path

from smartgis.errors import PluginError
from smartgis.i18n import _, message_of
from smartgis.plugins.config import user_plugin_dir
from smartgis.plugins.manifest import Manifest, find_manifest, read_manifest

ENTRY_POINT_GROUP = "smartgis.plugins"
SOURCES = ("path", "user", "entry_point", "shipped")


def shipped_plugin_dir() -> Path:
    """The ``plugins/`` folder beside the ``smartgis`` package (the repository's)."""
    return Path(__file__).resolve().parent.parent.parent / "plugins"


@dataclass
class Found:
    """A plugin found on disk: its manifest, or why it could not be read.

    Attributes
    ----------
    name : str
        The manifest's name (the folder's name when the manifest is unreadable).
    source : {"path", "user", "entry_point", "shipped"}
    folder : Path
    package : str
        The Python package name its code is imported as.
    manifest : Manifest or None
    error : str or None
        Why it cannot be used (a localisable message, see :mod:`smartgis.i18n`).
    shadowed : list of Path
        Folders of plugins with the same name that this one hides.
    """

    name: str
    source: str
    folder: Path
    package: str
    manifest: Manifest | None = None
    error: str | None = None
    shadowed: list = field(default_factory=list)


def _env_paths() -> list[Path]:
    raw = os.environ.get("SMARTGIS_PLUGIN_PATH", "")
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()]


def _folder_candidates(root: Path) -> list[Path]:
    """``root`` itself when it is a plugin, else its sub-folders that are plugins.

    A folder that cannot be read (permissions, a name too long) holds no plugins: it
    must not stop SmartGIS from starting.
    """
    try:
        return _candidates(root)
    except (OSError, ValueError):
        return []


def _candidates(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    if find_manifest(root):
        return [root]
    out = []
    for child in sorted(root.iterdir()):
        if child.is_dir() and not child.name.startswith((".", "_")) and find_manifest(child):
            out.append(child)
    return out


def _read(folder: Path, source: str, package: str | None = None) -> Found:
    mpath = find_manifest(folder)
    try:
        if mpath is None:
            raise PluginError(_("no plugin.json or [tool.smartgis-plugin] manifest"), folder)
        m = read_manifest(mpath)
    except PluginError as exc:
        return Found(folder.name, source, folder, package or "", error=message_of(exc))
    return Found(m.name, source, folder, package or f"smartgis_plugins.{m.name}", manifest=m)


def _entry_point_folders() -> list[tuple[Path, str, str]]:
    """(folder, package, entry-point name) of installed plugin distributions."""
    out = []
    try:
        eps = importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    except Exception:  # a broken installed distribution must not stop discovery
        return out
    for ep in eps:
        package = ep.value.split(":", 1)[0].strip()
        top, *rest = package.split(".")
        try:
            spec = importlib.util.find_spec(top)  # a top-level spec imports nothing
        except (ImportError, ValueError):
            spec = None
        if spec is None or not spec.submodule_search_locations:
            out.append((Path(ep.name), package, ep.name))
            continue
        folder = Path(list(spec.submodule_search_locations)[0]).joinpath(*rest)
        out.append((folder, package, ep.name))
    return out


def discover() -> list[Found]:
    """Every plugin in the configured locations, first-found wins, in discovery order."""
    found: dict[str, Found] = {}
    order: list[Found] = []

    def add(f: Found) -> None:
        key = f.name
        if key in found:
            found[key].shadowed.append(f.folder)
            return
        found[key] = f
        order.append(f)

    for root in _env_paths():
        for folder in _folder_candidates(root):
            add(_read(folder, "path"))
    try:
        user_dir = user_plugin_dir()
    except (OSError, RuntimeError, KeyError):   # no usable home folder
        user_dir = None
    for folder in _folder_candidates(user_dir) if user_dir is not None else []:
        add(_read(folder, "user"))
    for folder, package, ep_name in _entry_point_folders():
        if not folder.is_dir():
            add(Found(ep_name, "entry_point", folder, package,
                      error=_("entry point {name!r}: package {package!r} is not installed",
                              name=ep_name, package=package)))
            continue
        add(_read(folder, "entry_point", package))
    for folder in _folder_candidates(shipped_plugin_dir()):
        add(_read(folder, "shipped"))
    return order
