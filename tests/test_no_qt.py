"""The model packages never import Qt: they run in scripts and the CLI without a display."""

from __future__ import annotations

import subprocess
import sys

MODEL_PACKAGES = ["smartgis.core", "smartgis.crs", "smartgis.io", "smartgis.project", "smartgis.analysis",
                  "smartgis.indicators", "smartgis.plan"]

SCRIPT = """
import importlib, pkgutil, sys
for name in {packages!r}:
    pkg = importlib.import_module(name)
    for info in pkgutil.walk_packages(pkg.__path__, name + "."):
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
