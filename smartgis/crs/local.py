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

Everything here is numpy and pyproj (no Qt, no project).  A system turns into a real
CRS with :meth:`LocalCRS.to_wkt` (a WKT2 derived projected CRS for the 2D models, a
bound CRS for ``helmert7``), checked against the numpy formulas above, so PROJ and GDAL
— imports, raster warping, the status bar, exports — use it like any other CRS.
The math and sign conventions are explained in docs/local-crs.md.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np
import pyproj

from smartgis.crs.core import parse_crs, require_projected_metres
from smartgis.errors import CRSError
from smartgis.i18n import _

ARCSEC = math.pi / (180 * 3600)
MODELS = ("helmert2d", "affine", "helmert7")
#: Fewest control points that determine each model.
MIN_POINTS = {"helmert2d": 2, "affine": 3, "helmert7": 3}
#: Parameter names of each model, in the order the command line takes them.
PARAMETERS = {
    "helmert2d": ("dx", "dy", "rotation_arcsec", "scale_ppm"),
    "affine": ("a0", "a1", "a2", "b0", "b1", "b2"),
    "helmert7": ("tx", "ty", "tz", "rx_arcsec", "ry_arcsec", "rz_arcsec", "scale_ppm"),
}
CONVENTIONS = ("position_vector", "coordinate_frame")
#: A local system must reproduce its own formulas through PROJ to this tolerance (m).
WKT_TOLERANCE_M = 1e-4
#: Default outlier factor: a residual above this many times the RMS is flagged.
OUTLIER_FACTOR = 3.0
_NAME_RE = re.compile(r"^[^\s,;:'\"\[\]{}]+( [^\s,;:'\"\[\]{}]+)*$")


class DegenerateError(CRSError):
    """Control points too few or placed so that the model is not determined."""


def check_name(name: str) -> str:
    """A local system's name: non-empty, no quotes, commas or brackets, not ``EPSG:n``-like."""
    name = (name or "").strip()
    if not name or not _NAME_RE.match(name) or len(name) > 80:
        raise CRSError(_("{name!r} is not a usable name for a coordinate system (no quotes, commas, colons or "
                         "brackets, at most 80 characters)", name=name))
    if name.upper().startswith(("EPSG", "ESRI", "+PROJ")) or name.isdigit():
        raise CRSError(_("{name!r} looks like a CRS code; give the local system a name of its own", name=name))
    return name


# -- the transformations, numpy -----------------------------------------------------------
def helmert2d_matrix(p: dict) -> tuple[np.ndarray, np.ndarray]:
    """(M, t) with ``[E, N] = M @ [x, y] + t`` for helmert2d parameters."""
    m = 1.0 + p["scale_ppm"] * 1e-6
    th = p["rotation_arcsec"] * ARCSEC
    c, s = m * math.cos(th), m * math.sin(th)
    return np.array([[c, -s], [s, c]]), np.array([p["dx"], p["dy"]], dtype=float)


def affine_matrix(p: dict) -> tuple[np.ndarray, np.ndarray]:
    """(M, t) with ``[E, N] = M @ [x, y] + t`` for affine parameters."""
    return (np.array([[p["a1"], p["a2"]], [p["b1"], p["b2"]]], dtype=float),
            np.array([p["a0"], p["b0"]], dtype=float))


def helmert7_apply(p: dict, xyz: np.ndarray) -> np.ndarray:
    """Position-vector 7-parameter transformation of geocentric coordinates (n × 3), the
    linearised rotation matrix PROJ's ``helmert`` uses."""
    rx, ry, rz = (p[k] * ARCSEC for k in ("rx_arcsec", "ry_arcsec", "rz_arcsec"))
    r = np.array([[1.0, -rz, ry], [rz, 1.0, -rx], [-ry, rx, 1.0]])
    t = np.array([p["tx"], p["ty"], p["tz"]], dtype=float)
    return t + (1.0 + p["scale_ppm"] * 1e-6) * (np.asarray(xyz, dtype=float) @ r.T)


def to_position_vector(p: dict, convention: str) -> dict:
    """helmert7 parameters given in ``convention`` as position-vector parameters.

    The coordinate-frame convention (EPSG 9607) differs only in the sign of the three
    rotations.
    """
    if convention not in CONVENTIONS:
        raise CRSError(_("unknown rotation convention {convention!r} (position_vector or coordinate_frame)",
                         convention=convention))
    p = {k: float(p[k]) for k in PARAMETERS["helmert7"]}
    if convention == "coordinate_frame":
        for k in ("rx_arcsec", "ry_arcsec", "rz_arcsec"):
            p[k] = -p[k]
    return p


def _geocentric(base: pyproj.CRS) -> pyproj.Transformer:
    """Base projected coordinates with ellipsoidal height → geocentric X, Y, Z."""
    geocent = pyproj.crs.GeocentricCRS(name="geocentric", datum=base.geodetic_crs.datum)
    return pyproj.Transformer.from_crs(base.to_3d(), geocent, always_xy=True)


def geocentric(base, x, y, z) -> np.ndarray:
    """Geocentric coordinates (n × 3) of base projected ``x, y`` and ellipsoidal height ``z``."""
    t = _geocentric(parse_crs(base))
    X, Y, Z = t.transform(np.asarray(x, float), np.asarray(y, float), np.asarray(z, float))
    return np.column_stack([X, Y, Z])


def from_geocentric(base, xyz: np.ndarray) -> np.ndarray:
    """Base projected ``x, y, z`` (n × 3) of geocentric coordinates."""
    t = _geocentric(parse_crs(base))
    x, y, z = t.transform(xyz[:, 0], xyz[:, 1], xyz[:, 2], direction="INVERSE")
    return np.column_stack([x, y, z])


def apply(model: str, params: dict, base, x, y, z=None) -> np.ndarray:
    """Grid coordinates → base CRS coordinates (n × 2; n × 3 for ``helmert7``)."""
    x = np.atleast_1d(np.asarray(x, dtype=float))
    y = np.atleast_1d(np.asarray(y, dtype=float))
    if model == "helmert2d" or model == "affine":
        m, t = helmert2d_matrix(params) if model == "helmert2d" else affine_matrix(params)
        return np.column_stack([x, y]) @ m.T + t
    if model == "helmert7":
        z = np.zeros_like(x) if z is None else np.atleast_1d(np.asarray(z, dtype=float))
        return from_geocentric(base, helmert7_apply(params, geocentric(base, x, y, z)))
    raise CRSError(_("unknown transformation model {model!r} (helmert2d, affine or helmert7)", model=model))


# -- least squares ------------------------------------------------------------------------
def _spread(a: np.ndarray) -> np.ndarray:
    """Singular values of the centred points (how far they spread in each direction)."""
    return np.linalg.svd(a - a.mean(axis=0), compute_uv=False)


def _check_geometry(model: str, src: np.ndarray, dst: np.ndarray, ids) -> None:
    n = len(src)
    need = MIN_POINTS[model]
    if n < need:
        raise DegenerateError(_("{model} needs at least {need} control points, {n} given", model=model, need=need,
                                n=n))
    seen = {}
    for i, pid in enumerate(ids):
        for j in seen.get(tuple(np.round(src[i, :2], 4)), []):
            raise DegenerateError(_("control points {a} and {b} have the same grid coordinates", a=ids[j], b=pid))
        seen.setdefault(tuple(np.round(src[i, :2], 4)), []).append(i)
    for pts, which in ((src, _("grid")), (dst, _("base"))):
        sv = _spread(pts)
        size = max(float(sv[0]), 1e-12)
        if sv[0] < 1e-3:
            raise DegenerateError(_("the control points coincide in the {which} coordinates; {model} needs points "
                                    "spread over the area", which=which, model=model))
        if model in ("affine", "helmert7") and sv[1] < 1e-9 * max(size, 1.0) * math.sqrt(n) + 1e-6:
            raise DegenerateError(_("the control points lie on one line in the {which} coordinates; {model} needs "
                                    "points that span an area", which=which, model=model))


def _lsq(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    sol, _res, rank, _sv = np.linalg.lstsq(a, b, rcond=None)
    if rank < a.shape[1]:
        raise DegenerateError(_("the control points do not determine the transformation (rank {rank} of {n})",
                                rank=int(rank), n=a.shape[1]))
    return sol


def solve(model: str, src: np.ndarray, dst: np.ndarray, base=None) -> dict:
    """Least-squares parameters of ``model`` taking ``src`` (grid) onto ``dst`` (base).

    ``src`` and ``dst`` are n × 2 (n × 3 with heights for ``helmert7``).  The 2D models
    are solved on coordinates centred on their means (the grid's x≈117,000 would
    otherwise cost digits); ``helmert7`` by Gauss–Newton on centred geocentric
    coordinates.  No checks of the point geometry here: see :func:`fit`.
    """
    src = np.asarray(src, dtype=float)
    dst = np.asarray(dst, dtype=float)
    cs, cd = src[:, :2].mean(axis=0), dst[:, :2].mean(axis=0)
    s, d = src[:, :2] - cs, dst[:, :2] - cd
    n = len(src)
    if model == "helmert2d":
        # E' = a x' - b y', N' = b x' + a y'  (a = m cos θ, b = m sin θ) on centred coordinates
        a_mat = np.zeros((2 * n, 2))
        a_mat[0::2] = np.column_stack([s[:, 0], -s[:, 1]])
        a_mat[1::2] = np.column_stack([s[:, 1], s[:, 0]])
        a, b = _lsq(a_mat, d.reshape(-1))
        m = math.hypot(a, b)
        if m < 1e-9:
            raise DegenerateError(_("the control points give a zero scale"))
        mat = np.array([[a, -b], [b, a]])
        t = cd - mat @ cs
        return {"dx": float(t[0]), "dy": float(t[1]), "rotation_arcsec": math.atan2(b, a) / ARCSEC,
                "scale_ppm": (m - 1.0) * 1e6}
    if model == "affine":
        a_mat = np.column_stack([s, np.ones(n)])
        coef_e = _lsq(a_mat, d[:, 0])
        coef_n = _lsq(a_mat, d[:, 1])
        mat = np.array([coef_e[:2], coef_n[:2]])
        t = cd + np.array([coef_e[2], coef_n[2]]) - mat @ cs
        return {"a0": float(t[0]), "a1": float(mat[0, 0]), "a2": float(mat[0, 1]),
                "b0": float(t[1]), "b1": float(mat[1, 0]), "b2": float(mat[1, 1])}
    if model == "helmert7":
        xs = geocentric(base, src[:, 0], src[:, 1], src[:, 2])
        xd = geocentric(base, dst[:, 0], dst[:, 1], dst[:, 2])
        return _solve_helmert7(xs, xd)
    raise CRSError(_("unknown transformation model {model!r} (helmert2d, affine or helmert7)", model=model))


def _solve_helmert7(xs: np.ndarray, xd: np.ndarray) -> dict:
    """Position-vector 7 parameters (linearised rotations, as PROJ applies them)."""
    cs, cd = xs.mean(axis=0), xd.mean(axis=0)
    s, d = xs - cs, xd - cd
    n = len(xs)
    u = np.zeros(7)      # t' (3), scale s, rotations ω (3); t' absorbs the centring
    for _i in range(8):
        ds, w = u[3], u[4:]
        r = np.array([[1.0, -w[2], w[1]], [w[2], 1.0, -w[0]], [-w[1], w[0], 1.0]])
        rs = s @ r.T
        model = u[:3] + (1 + ds) * rs
        jac = np.zeros((3 * n, 7))
        for k in range(n):
            px, py, pz = s[k]
            jac[3 * k:3 * k + 3, 0:3] = np.eye(3)
            jac[3 * k:3 * k + 3, 3] = rs[k]
            # ∂(R p)/∂ω for the linearised R: ω × p = -[p]× ω
            jac[3 * k:3 * k + 3, 4:7] = (1 + ds) * np.array([[0, pz, -py], [-pz, 0, px], [py, -px, 0]])
        step = _lsq(jac, (d - model).reshape(-1))
        u += step
        if np.max(np.abs(step[3:])) < 1e-15 and np.max(np.abs(step[:3])) < 1e-7:
            break
    ds, w = u[3], u[4:]
    r = np.array([[1.0, -w[2], w[1]], [w[2], 1.0, -w[0]], [-w[1], w[0], 1.0]])
    t = cd + u[:3] - (1 + ds) * (r @ cs)
    return {"tx": float(t[0]), "ty": float(t[1]), "tz": float(t[2]), "rx_arcsec": float(w[0] / ARCSEC),
            "ry_arcsec": float(w[1] / ARCSEC), "rz_arcsec": float(w[2] / ARCSEC), "scale_ppm": float(ds * 1e6)}


@dataclass
class ControlPoint:
    """One control point: grid coordinates (``src``) and base coordinates (``dst``)."""

    id: str
    src_x: float
    src_y: float
    dst_x: float
    dst_y: float
    src_z: float = 0.0
    dst_z: float = 0.0


@dataclass
class FitResult:
    """A least-squares fit with its residuals (``dx = dst − model(src)``, metres, base CRS)."""

    model: str
    base: str
    parameters: dict
    rms_m: float
    residuals: list[dict]
    outliers: list[str]
    excluded: list[str]
    threshold_m: float
    refitted: bool
    first_rms_m: float
    notes: list[str] = field(default_factory=list)

    @property
    def used(self) -> int:
        return sum(1 for r in self.residuals if r["used"])

    def worst(self, k: int = 3) -> list[dict]:
        """The ``k`` points with the largest residuals (used or not)."""
        return sorted(self.residuals, key=lambda r: -r["r"])[:k]

    def to_dict(self) -> dict:
        return {"model": self.model, "base": self.base, "parameters": self.parameters, "rms_m": self.rms_m,
                "residuals": self.residuals, "outliers": self.outliers, "excluded": self.excluded,
                "threshold_m": self.threshold_m, "refitted": self.refitted, "first_rms_m": self.first_rms_m,
                "points_used": self.used, "notes": self.notes}


def _residuals(model, params, base, pts: list[ControlPoint]) -> np.ndarray:
    x = np.array([p.src_x for p in pts])
    y = np.array([p.src_y for p in pts])
    z = np.array([p.src_z for p in pts])
    got = apply(model, params, base, x, y, z)
    want = np.column_stack([[p.dst_x for p in pts], [p.dst_y for p in pts], [p.dst_z for p in pts]])
    return want[:, :got.shape[1]] - got


def _rms(res: np.ndarray) -> float:
    return float(math.sqrt(np.mean(np.sum(res[:, :2] ** 2, axis=1)))) if len(res) else 0.0


def fit(points: list[ControlPoint], model: str, base, *, exclude=(), threshold_m: float | None = None,
        factor: float = OUTLIER_FACTOR) -> FitResult:
    """Fit ``model`` to control points, flag outliers and refit without them.

    Parameters
    ----------
    points : list of ControlPoint
    model : {"helmert2d", "affine", "helmert7"}
    base : str
        The base CRS (projected, metres) the ``dst`` coordinates are in.
    exclude : iterable of str
        Point ids left out of the fit by the user (their residuals are still reported).
    threshold_m : float, optional
        Flag points whose horizontal residual exceeds this (metres) instead of
        ``factor`` × RMS.
    factor : float
        Outlier factor against the RMS of the first fit.  With ``n`` points no residual
        can exceed ``√n`` × RMS, so below 10 points only ``threshold_m`` can flag one.

    Returns
    -------
    FitResult
        Parameters of the final fit (without excluded points and flagged outliers when
        enough points remain), a residual for every point, the RMS over the points used.

    Raises
    ------
    DegenerateError
        Fewer points than the model needs, or points that coincide or lie on one line.
    CRSError
        Unknown model, unusable base CRS, unknown excluded id.
    """
    if model not in MODELS:
        raise CRSError(_("unknown transformation model {model!r} (helmert2d, affine or helmert7)", model=model))
    base_s = _base_string(base)
    ids = [p.id for p in points]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise CRSError(_("control point id {id} is used more than once", id=dup[0]))
    exclude = [str(e) for e in exclude]
    unknown = [e for e in exclude if e not in ids]
    if unknown:
        raise CRSError(_("--exclude names no control point {ids} (ids: {known})", ids=", ".join(unknown),
                         known=", ".join(ids[:20])))
    used = [p for p in points if p.id not in exclude]
    params = _fit_checked(model, used, base_s)
    notes = []
    if model in ("affine", "helmert7"):
        sv = _spread(np.array([[p.src_x, p.src_y] for p in used]))
        if sv[1] < 0.01 * sv[0]:
            notes.append(_("the control points lie almost on one line; {model} is poorly determined across it "
                           "(add points to the side)", model=model))
    res_used = _residuals(model, params, base_s, used)
    first_rms = _rms(res_used)
    limit = float(threshold_m) if threshold_m is not None else factor * first_rms
    r_used = np.hypot(res_used[:, 0], res_used[:, 1])
    outliers = [p.id for p, r in zip(used, r_used) if r > limit and r > 1e-9]
    refitted = False
    if outliers:
        keep = [p for p in used if p.id not in outliers]
        if len(keep) >= MIN_POINTS[model]:
            try:
                params = _fit_checked(model, keep, base_s)
                used, refitted = keep, True
            except DegenerateError as exc:
                notes.append(_("not refitted without the outliers: {problem}", problem=exc.message))
        else:
            notes.append(_("not refitted without the outliers: {n} points would remain, {model} needs {need}",
                           n=len(keep), model=model, need=MIN_POINTS[model]))
    res = _residuals(model, params, base_s, points)
    used_ids = {p.id for p in used}
    rows = []
    for p, v in zip(points, res):
        row = {"id": p.id, "dx": float(v[0]), "dy": float(v[1]), "r": float(math.hypot(v[0], v[1]))}
        if model == "helmert7":
            row["dz"] = float(v[2])
        row.update(used=p.id in used_ids, outlier=p.id in outliers, excluded=p.id in exclude)
        rows.append(row)
    rms = _rms(np.array([[r["dx"], r["dy"]] for r in rows if r["used"]]))
    return FitResult(model, base_s, params, rms, rows, outliers, exclude, limit, refitted, first_rms, notes)


def _fit_checked(model, pts: list[ControlPoint], base) -> dict:
    src = np.array([[p.src_x, p.src_y, p.src_z] for p in pts], dtype=float).reshape(-1, 3)
    dst = np.array([[p.dst_x, p.dst_y, p.dst_z] for p in pts], dtype=float).reshape(-1, 3)
    _check_geometry(model, src[:, :2] if model != "helmert7" else src, dst[:, :2] if model != "helmert7" else dst,
                    [p.id for p in pts])
    return solve(model, src if model == "helmert7" else src[:, :2], dst if model == "helmert7" else dst[:, :2],
                 base)


def _base_string(base) -> str:
    from smartgis.crs.core import crs_to_string
    c = require_projected_metres(base)
    return crs_to_string(c)


# -- the named system and its CRS ---------------------------------------------------------
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
        self.base = _base_string(self.base)
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
        return _wkt_cached(self.name, self.base, self.model, tuple(sorted(self.parameters.items())))

    def to_row(self) -> dict:
        import json
        return {"name": self.name, "base": self.base, "model": self.model,
                "parameters": json.dumps(self.parameters), "convention": self.convention,
                "fit_report": json.dumps(self.fit, ensure_ascii=False) if self.fit else None,
                "description": self.description, "wkt": self.to_wkt()}

    @classmethod
    def from_row(cls, row: dict) -> "LocalCRS":
        import json
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


def _fmt(v: float) -> str:
    return repr(float(v))


_CACHE: dict = {}


def _wkt_cached(name, base, model, items) -> str:
    key = (name, base, model, items)
    if key not in _CACHE:
        lc = LocalCRS.__new__(LocalCRS)
        lc.name, lc.base, lc.model, lc.parameters = name, base, model, dict(items)
        _CACHE[key] = _build_wkt(lc)
    return _CACHE[key]


def _base_body(base: pyproj.CRS) -> str:
    """The base projected CRS as the ``BASEPROJCRS[...]`` of a derived CRS (no CS, no usage)."""
    w = base.to_wkt("WKT2_2019")
    i = w.index(",CS[")
    return "BASEPROJCRS" + w[len("PROJCRS"):i] + "]"


def _build_wkt(lc: LocalCRS) -> str:
    base = parse_crs(lc.base)
    name = lc.name.replace('"', "")
    probe_x = np.array([0.0, 1000.0, 0.0, 117000.0, -50000.0])
    probe_y = np.array([0.0, 0.0, 1000.0, 19000.0, 80000.0])
    if lc.model == "helmert7":
        wkts = [_bound_wkt(lc, base, name, hub) for hub in (base.geodetic_crs, pyproj.CRS("EPSG:4326"))]
        # probe near the base's natural origin region: grid = base projection, so use
        # points inside the base's area of use
        aou = base.area_of_use
        lon = (aou.west + aou.east) / 2 if aou else 0.0
        lat = (aou.south + aou.north) / 2 if aou else 0.0
        e0, n0 = pyproj.Transformer.from_crs(base.geodetic_crs, base, always_xy=True).transform(lon, lat)
        probe_x, probe_y = probe_x / 10 + e0, probe_y / 10 + n0
    else:
        m, t = lc.matrix()
        mi = np.linalg.inv(m)
        ti = -mi @ t
        wkts = []
        for swap in (False, True):
            # The deriving conversion maps base → grid in the base's axis order (EPSG:4547 is
            # northing-first); which order PROJ applies is checked below, not assumed.
            mm = mi @ np.array([[0.0, 1.0], [1.0, 0.0]]) if swap else mi
            ps = [("A0", ti[0], 8623, "L"), ("A1", mm[0, 0], 8624, "S"), ("A2", mm[0, 1], 8625, "S"),
                  ("B0", ti[1], 8639, "L"), ("B1", mm[1, 0], 8640, "S"), ("B2", mm[1, 1], 8641, "S")]
            unit = {"L": 'LENGTHUNIT["metre",1]', "S": 'SCALEUNIT["coefficient",1]'}
            params = ",".join(f'PARAMETER["{n}",{_fmt(v)},{unit[u]},ID["EPSG",{code}]]' for n, v, code, u in ps)
            wkts.append(f'DERIVEDPROJCRS["{name}",{_base_body(base)},DERIVINGCONVERSION["{name} ({lc.model})",'
                        f'METHOD["Affine parametric transformation",ID["EPSG",9624]],{params}],'
                        'CS[Cartesian,2],AXIS["easting (x)",east,ORDER[1],LENGTHUNIT["metre",1]],'
                        'AXIS["northing (y)",north,ORDER[2],LENGTHUNIT["metre",1]]]')
    want = lc.to_base(probe_x, probe_y)[:, :2] if lc.model != "helmert7" else apply(
        "helmert7", lc.parameters, lc.base, probe_x, probe_y)[:, :2]
    for w in wkts:
        try:
            crs = pyproj.CRS.from_wkt(w)
            t = pyproj.Transformer.from_crs(crs, base, always_xy=True)
            gx, gy = t.transform(probe_x, probe_y)
        except pyproj.exceptions.ProjError:
            continue
        if np.all(np.isfinite(gx)) and np.max(np.hypot(gx - want[:, 0], gy - want[:, 1])) < WKT_TOLERANCE_M:
            return w
    raise CRSError(_("PROJ cannot represent the local system {name!r} exactly (base {base})", name=lc.name,
                     base=lc.base))


def _bound_wkt(lc: LocalCRS, base: pyproj.CRS, name: str, hub: pyproj.CRS) -> str:
    """A bound CRS: the base projection on a local datum, bound by 7 parameters to ``hub``."""
    from pyproj.crs import GeographicCRS, ProjectedCRS
    from pyproj.crs.datum import CustomDatum
    datum = CustomDatum(name=f"{name} datum", ellipsoid=base.ellipsoid)
    local = ProjectedCRS(conversion=base.coordinate_operation, name=name,
                         geodetic_crs=GeographicCRS(name=f"{name} geographic", datum=datum))
    p = lc.parameters
    ps = [("X-axis translation", p["tx"], 8605, 'LENGTHUNIT["metre",1]'),
          ("Y-axis translation", p["ty"], 8606, 'LENGTHUNIT["metre",1]'),
          ("Z-axis translation", p["tz"], 8607, 'LENGTHUNIT["metre",1]'),
          ("X-axis rotation", p["rx_arcsec"], 8608, 'ANGLEUNIT["arc-second",4.84813681109536E-06]'),
          ("Y-axis rotation", p["ry_arcsec"], 8609, 'ANGLEUNIT["arc-second",4.84813681109536E-06]'),
          ("Z-axis rotation", p["rz_arcsec"], 8610, 'ANGLEUNIT["arc-second",4.84813681109536E-06]'),
          # PROJ reads an abridged (TOWGS84-style) scale as the factor 1 + s, checked in _build_wkt
          ("Scale difference", 1.0 + p["scale_ppm"] * 1e-6, 8611, 'SCALEUNIT["unity",1]')]
    params = ",".join(f'PARAMETER["{n}",{_fmt(v)},{u},ID["EPSG",{c}]]' for n, v, c, u in ps)
    return (f'BOUNDCRS[SOURCECRS[{local.to_wkt("WKT2_2019")}],TARGETCRS[{hub.to_wkt("WKT2_2019")}],'
            f'ABRIDGEDTRANSFORMATION["{name} to {hub.name}",METHOD["Position Vector transformation (geog2D domain)",'
            f'ID["EPSG",9606]],{params}]]')
