"""The package metadata: what pip reads when it installs SmartGIS."""

from __future__ import annotations

from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_licence_is_an_spdx_expression_setuptools_accepts_without_warning():
    meta = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    # a TOML table ({ text = ... }) is deprecated since setuptools 77 and warns at every install
    assert isinstance(meta["project"]["license"], str)
    requires = meta["build-system"]["requires"]
    setuptools = next(r for r in requires if r.startswith("setuptools"))
    assert tuple(int(x) for x in setuptools.split(">=")[1].split(".")) >= (77,)
