"""The model packages never import Qt: they run in scripts and the CLI without a display."""

from __future__ import annotations

import subprocess
import sys

import pkgutil
import tomllib
from pathlib import Path

import smartgis

#: Every package and module of SmartGIS but the Qt floors (render, ui) and the command
#: line above them: the model, the plugin index and the composition root.
MODEL_PACKAGES = ["smartgis.errors", "smartgis.i18n", "smartgis.resources", "smartgis.contributions",
                  "smartgis.crs", "smartgis.geometry", "smartgis.core", "smartgis.project", "smartgis.io",
                  "smartgis.analysis", "smartgis.review", "smartgis.postgis", "smartgis.plan", "smartgis.indicators", "smartgis.plugins",
                  "smartgis.session"]
QT_FLOORS = {"smartgis.render", "smartgis.ui", "smartgis.cli", "smartgis.__main__"}
ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import importlib, pkgutil, sys
for name in {packages!r}:
    pkg = importlib.import_module(name)
    for info in pkgutil.walk_packages(getattr(pkg, "__path__", []), name + "."):
        importlib.import_module(info.name)
qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6"))
print(",".join(qt))
"""


def test_model_packages_do_not_import_qt():
    r = subprocess.run([sys.executable, "-c", SCRIPT.format(packages=MODEL_PACKAGES)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "", f"Qt modules imported by the model: {r.stdout.strip()}"


def test_cli_info_runs_without_qt(tmp_path):
    """`smartgis info` is usable on a server: it must not load Qt."""
    from tests.helpers import sample_project
    path = tmp_path / "p.gpkg"
    sample_project(path)
    code = ("import sys; from smartgis.cli import main; rc = main(['info', sys.argv[1]]); "
            "print('QT' if any(m.startswith('PySide6') for m in sys.modules) else 'NOQT'); sys.exit(rc)")
    r = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "NOQT"


def test_every_package_is_model_or_qt_floor():
    """A new package of SmartGIS is listed here (and so checked for Qt) or is a Qt floor."""
    top = {f"smartgis.{m.name}" for m in pkgutil.iter_modules(smartgis.__path__)}
    assert top - set(MODEL_PACKAGES) - QT_FLOORS == set(), "add the new package to MODEL_PACKAGES or QT_FLOORS"
    assert set(MODEL_PACKAGES) <= top


def test_import_linter_no_qt_contract_covers_the_model():
    """The import-linter contract run in CI covers the same packages as this test."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if "never import Qt" in c["name"])
    sources = set(contract["source_modules"])
    covered = {m for m in MODEL_PACKAGES if m in sources or any(s.startswith(m + ".") for s in sources)}
    assert covered == set(MODEL_PACKAGES)
    assert "PySide6" in contract["forbidden_modules"]
