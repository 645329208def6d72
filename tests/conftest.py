"""Shared fixtures: real data from ../shared/data, temporary projects, offscreen Qt."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent


def shared_data_dir() -> Path:
    """``SMARTGIS_TEST_DATA`` or ``../shared/data`` beside the repository."""
    return Path(os.environ.get("SMARTGIS_TEST_DATA") or (REPO.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real test data; tests using it are skipped (with the reason) when it is absent."""
    d = shared_data_dir()
    if not d.is_dir():
        pytest.skip(f"real test data not found at {d} (set SMARTGIS_TEST_DATA)")
    return d


def gpkg_validator() -> list[str] | None:
    """Command running GDAL's GeoPackage validator, or None when python3-gdal is missing."""
    for py in ("/usr/bin/python3", shutil.which("python3") or ""):
        if py and os.path.exists(py):
            r = subprocess.run([py, "-c", "import osgeo_utils.samples.validate_gpkg"], capture_output=True)
            if r.returncode == 0:
                return [py, "-m", "osgeo_utils.samples.validate_gpkg"]
    return None


@pytest.fixture(scope="session")
def validate_gpkg():
    """``validate_gpkg(path)`` asserts that GDAL's validator passes on a file."""
    cmd = gpkg_validator()
    if cmd is None:
        pytest.skip("GDAL's GeoPackage validator is not installed (Debian package python3-gdal)")

    def _validate(path):
        r = subprocess.run([*cmd, str(path)], capture_output=True, text=True)
        assert r.returncode == 0 and not r.stdout.strip(), f"validate_gpkg {path}:\n{r.stdout}\n{r.stderr}"
    return _validate


def run_cli(*args, cwd=None, env=None, timeout=300):
    """Run ``python -m smartgis ARGS`` in a subprocess; returns CompletedProcess (text)."""
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "smartgis", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=e, timeout=timeout)


@pytest.fixture
def cli():
    return run_cli
