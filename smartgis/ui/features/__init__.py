"""Features of the window: each module here defines ``install(window)``.

A feature (design tools, the review panel, import, checks ...) adds its menu actions,
tool bars and docks through the window's API (:class:`smartgis.ui.main_window.MainWindow`:
``menu(key)``, ``toolbar(key)``, ``add_dock(...)``, ``run_task(...)``); it never edits
the window's code.  Features are installed once, after the window is built, in
module-name order.  An exception in one feature is reported and the others still
load, so a broken feature never stops the window from opening.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import traceback
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass
class FeatureReport:
    """What :func:`install_features` did."""

    installed: list[str] = field(default_factory=list)
    #: module name → (one-line message, traceback text)
    failed: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: (module name, action text, key) of shortcuts a feature tried to take that were in use
    shortcut_conflicts: list[tuple[str, str, str]] = field(default_factory=list)


def feature_modules(package: str = __name__) -> list[str]:
    """Names of the feature modules of ``package``, in install order."""
    pkg = importlib.import_module(package)
    names = [info.name for info in pkgutil.iter_modules(pkg.__path__) if not info.name.startswith("_")]
    return [f"{package}.{n}" for n in sorted(names)]


def install_features(window, package: str = __name__) -> FeatureReport:
    """Import every feature module of ``package`` and call its ``install(window)``.

    Returns
    -------
    FeatureReport
        Installed module names and, for each failure, its message and traceback.
    """
    report = FeatureReport()
    taken = _shortcuts(window)
    for name in feature_modules(package):
        short = name.rsplit(".", 1)[-1]
        try:
            mod = importlib.import_module(name)
            install = getattr(mod, "install", None)
            if install is None:
                continue
            install(window)
        except Exception as exc:  # noqa: BLE001 - one feature must not stop the others
            report.failed[short] = (f"{type(exc).__name__}: {exc}", traceback.format_exc())
            log.error("feature %s failed to install:\n%s", name, traceback.format_exc())
            continue
        finally:
            _guard_shortcuts(window, short, taken, report)
        report.installed.append(short)
    return report


def _shortcuts(window) -> dict[str, object]:
    """Key → action of every action of the window with a shortcut."""
    from PySide6.QtGui import QAction
    out: dict[str, object] = {}
    for act in window.findChildren(QAction):
        for seq in act.shortcuts():
            if not seq.isEmpty():
                out.setdefault(seq.toString(), act)
    return out


def _guard_shortcuts(window, feature: str, taken: dict, report: FeatureReport) -> None:
    """Keep the shortcuts already in use: a key bound to two actions fires neither (Qt
    calls it ambiguous), so a feature's action loses a key that is taken and the
    conflict is logged.  The window's own keys (QGIS's habits) and earlier features win."""
    from PySide6.QtGui import QAction
    for act in window.findChildren(QAction):
        seqs = [q for q in act.shortcuts() if not q.isEmpty()]
        if not seqs:
            continue
        keep = []
        for seq in seqs:
            key = seq.toString()
            owner = taken.get(key)
            if owner is None or owner is act:
                taken[key] = act
                keep.append(seq)
            else:
                text = act.text().replace("&", "")
                report.shortcut_conflicts.append((feature, text, key))
                log.warning("feature %s: shortcut %s of %r is already used by %r; left out", feature, key, text,
                            owner.text().replace("&", ""))
        if len(keep) != len(seqs):
            act.setShortcuts(keep)
