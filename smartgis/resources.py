"""Where SmartGIS's data files live: the ``resources/`` folder (catalog, standards,
message catalogues, icons).

It sits at the bottom of the house, beneath :mod:`smartgis.i18n`, so that every floor
can find its files without importing the floor that owns them.
"""

from __future__ import annotations

import os
from pathlib import Path


def resources_dir() -> Path:
    """The ``resources/`` folder (``SMARTGIS_RESOURCES`` overrides it)."""
    env = os.environ.get("SMARTGIS_RESOURCES")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for cand in (here.parent / "resources", here / "resources"):
        if cand.is_dir():
            return cand
    return here.parent / "resources"
