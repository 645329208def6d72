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
import os
import signal
import sys
import threading
import types
from contextlib import contextmanager
from pathlib import Path

NAMESPACE = "smartgis_plugins"

#: Seconds a plugin's module may take to import (``SMARTGIS_PLUGIN_IMPORT_SECONDS``).
IMPORT_SECONDS = 10.0


class PluginTimeout(BaseException):
    """A plugin's import ran past its time limit (a BaseException so that a plugin's own
    ``except Exception`` cannot swallow it)."""


def import_seconds() -> float:
    try:
        return max(0.1, float(os.environ.get("SMARTGIS_PLUGIN_IMPORT_SECONDS", IMPORT_SECONDS)))
    except ValueError:
        return IMPORT_SECONDS


@contextmanager
def time_limit(seconds: float, what: str):
    """Interrupt the block after ``seconds`` (main thread on Unix, where a timer signal
    can reach Python code; elsewhere the block runs unbounded)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        raise PluginTimeout(f"{what}: import took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    old_delay, _interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if old_delay:
            signal.setitimer(signal.ITIMER_REAL, old_delay)


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
            with time_limit(import_seconds(), package):
                spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(package, None)
        raise
    setattr(ns, package.rsplit(".", 1)[1], module)
    return module


def resolve(package: str, folder: Path | None, entry: str):
    """The object an ``"module:attribute"`` entry names, importing what it needs
    (each import under the time limit of :func:`time_limit`)."""
    import_package(package, folder)
    module_name, _, attr = entry.partition(":")
    with time_limit(import_seconds(), f"{package}.{module_name}"):
        obj = importlib.import_module(f"{package}.{module_name}")
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


def forget(package: str) -> None:
    """Drop a plugin's modules from ``sys.modules`` (after a failed load)."""
    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        sys.modules.pop(name, None)
