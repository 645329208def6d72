"""Importing plugin code, only from the plugin's own folder.

A folder plugin is imported as the package ``smartgis_plugins.<name>`` straight from
its folder (``importlib`` with an explicit location): ``sys.path`` is never changed, so
nothing is ever imported from the current directory or from beside a project file.
Inside a plugin, modules import each other relatively (``from .transform import ...``).
An entry-point plugin is imported under its installed package name.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from pathlib import Path

NAMESPACE = "smartgis_plugins"


def _namespace() -> types.ModuleType:
    ns = sys.modules.get(NAMESPACE)
    if ns is None:
        ns = types.ModuleType(NAMESPACE, "Packages of folder plugins (filled in as they load).")
        ns.__path__ = []  # never searched: every plugin package is registered explicitly
        sys.modules[NAMESPACE] = ns
    return ns


def import_package(package: str, folder: Path | None) -> types.ModuleType:
    """Import a plugin's package (from ``folder`` for folder plugins)."""
    if package in sys.modules:
        return sys.modules[package]
    if folder is None or not package.startswith(NAMESPACE + "."):
        return importlib.import_module(package)
    ns = _namespace()
    init = Path(folder) / "__init__.py"
    if init.is_file():
        spec = importlib.util.spec_from_file_location(package, init, submodule_search_locations=[str(folder)])
    else:
        spec = importlib.util.spec_from_loader(package, loader=None, is_package=True)
        spec.submodule_search_locations = [str(folder)]
    module = importlib.util.module_from_spec(spec)
    module.__path__ = [str(folder)]
    sys.modules[package] = module
    try:
        if spec.loader is not None:
            spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(package, None)
        raise
    setattr(ns, package.rsplit(".", 1)[1], module)
    return module


def resolve(package: str, folder: Path | None, entry: str):
    """The object an ``"module:attribute"`` entry names, importing what it needs."""
    import_package(package, folder)
    module_name, _, attr = entry.partition(":")
    obj = importlib.import_module(f"{package}.{module_name}")
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


def forget(package: str) -> None:
    """Drop a plugin's modules from ``sys.modules`` (after a failed load)."""
    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        sys.modules.pop(name, None)
