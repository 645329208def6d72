"""Local city grids (城市独立坐标系) defined by a base CRS and a transformation.

A surveying bureau rarely hands over a PROJ string for its city grid; it hands over
four parameters (四参数), seven parameters (七参数) or a table of control points known
in both the city grid and CGCS2000.  A :class:`LocalCRS` is such a grid: a base CRS
(for example EPSG:4547) and one of three transformations from grid coordinates
``(x, y)`` (easting, northing in the grid) to base coordinates ``(E, N)``:

``helmert2d`` (4 parameters; counter-clockwise rotation ``θ`` in the E/N plane)::

    E = dx + m (cos θ · x − sin θ · y)
    N = dy + m (sin θ · x + cos θ · y)        m = 1 + scale_ppm · 1e-6

``affine`` (6 parameters, the EPSG 9624 names)::

    E = a0 + a1 · x + a2 · y
    N = b0 + b1 · x + b2 · y

``helmert7`` (3D, through geocentric coordinates, position-vector convention EPSG 9606;
the grid is the base's projection on a local datum on the same ellipsoid)::

    X_base = T + (1 + s) · R · X_grid,   R = [[1, −rz, ry], [rz, 1, −rx], [−ry, rx, 1]]

The formulas live in :mod:`smartgis.crs.helmert`, the least squares in
:mod:`smartgis.crs.local_fit`, the WKT in :mod:`smartgis.crs.local_wkt`; this module is
the named system and the one place to import them from.  A system turns into a real CRS
with :meth:`LocalCRS.to_wkt` (a WKT2 derived projected CRS for the 2D models, a bound CRS
for ``helmert7``), checked against the numpy formulas, so PROJ and GDAL — imports, raster
warping, the status bar, exports — use it like any other CRS.  Everything is numpy and
pyproj (no Qt, no project).  The math and sign conventions: docs/local-crs.md.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass

import numpy as np
import pyproj

from smartgis.crs.core import parse_crs
from smartgis.crs.helmert import (ARCSEC, CONVENTIONS, MODELS, PARAMETERS, affine_matrix, apply, base_string,
                                  from_geocentric, geocentric, helmert2d_matrix, helmert7_apply, to_position_vector)
from smartgis.crs.local_fit import (MIN_POINTS, OUTLIER_FACTOR, ControlPoint, DegenerateError, FitResult, fit,
                                    solve)
from smartgis.crs.local_wkt import WKT_TOLERANCE_M, local_wkt
from smartgis.errors import CRSError
from smartgis.i18n import _

__all__ = ["ARCSEC", "CONVENTIONS", "MIN_POINTS", "MODELS", "OUTLIER_FACTOR", "PARAMETERS", "WKT_TOLERANCE_M",
           "ControlPoint", "DegenerateError", "FitResult", "LocalCRS", "affine_matrix", "apply", "check_name", "fit",
           "from_geocentric", "geocentric", "helmert2d_matrix", "helmert7_apply", "solve", "to_position_vector"]

_NAME_RE = re.compile(r"^[^\s,;:'\"\[\]{}]+( [^\s,;:'\"\[\]{}]+)*$")


def check_name(name: str) -> str:
    """A local system's name: non-empty, no quotes, commas or brackets, not ``EPSG:n``-like."""
    name = (name or "").strip()
    if not name or not _NAME_RE.match(name) or len(name) > 80:
        raise CRSError(_("{name!r} is not a usable name for a coordinate system (no quotes, commas, colons or "
                         "brackets, at most 80 characters)", name=name))
    if name.upper().startswith(("EPSG", "ESRI", "+PROJ")) or name.isdigit():
        raise CRSError(_("{name!r} looks like a CRS code; give the local system a name of its own", name=name))
    return name


@dataclass
class LocalCRS:
    """A named local grid: base CRS + transformation (+ the fit it came from)."""

    name: str
    base: str
    model: str
    parameters: dict
    convention: str = "position_vector"
    fit: dict | None = None
    description: str = ""

    def __post_init__(self):
        self.name = check_name(self.name)
        if self.model not in MODELS:
            raise CRSError(_("unknown transformation model {model!r} (helmert2d, affine or helmert7)",
                             model=self.model))
        self.base = base_string(self.base)
        missing = [k for k in PARAMETERS[self.model] if k not in self.parameters]
        if missing:
            raise CRSError(_("{model} parameters missing: {names}", model=self.model, names=", ".join(missing)))
        self.parameters = {k: float(self.parameters[k]) for k in PARAMETERS[self.model]}
        if not all(math.isfinite(v) for v in self.parameters.values()):
            raise CRSError(_("{model} parameters must be finite numbers", model=self.model))
        if self.model != "helmert7":
            m, _t = self.matrix()
            if abs(np.linalg.det(m)) < 1e-12:
                raise CRSError(_("the {model} parameters do not describe an invertible transformation",
                                 model=self.model))

    def matrix(self) -> tuple[np.ndarray, np.ndarray]:
        """(M, t) of the 2D models: ``[E, N] = M @ [x, y] + t``."""
        if self.model == "helmert2d":
            return helmert2d_matrix(self.parameters)
        if self.model == "affine":
            return affine_matrix(self.parameters)
        raise CRSError(_("helmert7 is not a plane affine transformation"))

    def to_base(self, x, y, z=None) -> np.ndarray:
        """Grid coordinates → base CRS (numpy formulas)."""
        return apply(self.model, self.parameters, self.base, x, y, z)

    def from_base(self, e, n) -> np.ndarray:
        """Base CRS → grid coordinates (n × 2)."""
        if self.model == "helmert7":
            t = pyproj.Transformer.from_crs(parse_crs(self.base), parse_crs(self.to_wkt()), always_xy=True)
            x, y = t.transform(np.asarray(e, float), np.asarray(n, float))
            return np.column_stack([x, y])
        m, t = self.matrix()
        return (np.column_stack([np.atleast_1d(e), np.atleast_1d(n)]) - t) @ np.linalg.inv(m).T

    def to_wkt(self) -> str:
        """The system as a WKT2 CRS PROJ understands, checked against :meth:`to_base`."""
        return local_wkt(self.name, self.base, self.model, self.parameters)

    def to_row(self) -> dict:
        return {"name": self.name, "base": self.base, "model": self.model,
                "parameters": json.dumps(self.parameters), "convention": self.convention,
                "fit_report": json.dumps(self.fit, ensure_ascii=False) if self.fit else None,
                "description": self.description, "wkt": self.to_wkt()}

    @classmethod
    def from_row(cls, row: dict) -> "LocalCRS":
        return cls(row["name"], row["base"], row["model"], json.loads(row["parameters"]),
                   row.get("convention") or "position_vector",
                   json.loads(row["fit_report"]) if row.get("fit_report") else None, row.get("description") or "")

    def summary(self) -> str:
        p = self.parameters
        if self.model == "helmert2d":
            return (f"helmert2d dx={p['dx']:.4f} m dy={p['dy']:.4f} m rotation={p['rotation_arcsec']:.4f}\" "
                    f"scale={p['scale_ppm']:.4f} ppm")
        if self.model == "affine":
            return "affine " + " ".join(f"{k}={v:.10g}" for k, v in p.items())
        return ("helmert7 (position vector) " + " ".join(f"{k}={v:.6g}" for k, v in p.items()))
