"""Least-squares fit of a local grid's transformation to control points, with residuals,
RMS, outliers (and a refit without them) and checks of the point geometry.

Parameters are those of :mod:`smartgis.crs.helmert`; docs/local-crs.md explains the method.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from smartgis.crs.helmert import ARCSEC, MODELS, apply, base_string, geocentric
from smartgis.errors import CRSError
from smartgis.i18n import _

#: Fewest control points that determine each model.
MIN_POINTS = {"helmert2d": 2, "affine": 3, "helmert7": 3}
#: Default outlier factor: a residual above this many times the RMS is flagged.
OUTLIER_FACTOR = 3.0


class DegenerateError(CRSError):
    """Control points too few or placed so that the model is not determined."""



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
    base_s = base_string(base)
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
