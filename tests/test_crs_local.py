"""Local city grids: the transformations, their least-squares fit and their CRS (no project)."""

from __future__ import annotations

import math

import numpy as np
import pyproj
import pytest

from smartgis.crs.local import (ARCSEC, ControlPoint, DegenerateError, LocalCRS, apply, fit, geocentric,
                                to_position_vector)
from smartgis.errors import CRSError

BASE = "EPSG:4547"


def _points(src, dst, z_src=None, z_dst=None):
    n = len(src)
    zs = np.zeros(n) if z_src is None else z_src
    zd = np.zeros(n) if z_dst is None else z_dst
    return [ControlPoint(f"P{i + 1}", *src[i], *dst[i], zs[i], zd[i]) for i in range(n)]


# -- hand-computable cases ------------------------------------------------------------------
def test_pure_rotation_of_90_degrees_by_hand():
    """Rotating (1000, 0) by +90° (counter-clockwise) about the origin gives (0, 1000)."""
    src = np.array([[1000.0, 0.0], [0.0, 1000.0], [-1000.0, 0.0]])
    dst = np.array([[0.0, 1000.0], [-1000.0, 0.0], [0.0, -1000.0]])
    r = fit(_points(src, dst), "helmert2d", BASE)
    p = r.parameters
    assert p["rotation_arcsec"] == pytest.approx(90 * 3600, abs=1e-6)
    assert p["scale_ppm"] == pytest.approx(0, abs=1e-6)
    assert p["dx"] == pytest.approx(0, abs=1e-6) and p["dy"] == pytest.approx(0, abs=1e-6)
    assert r.rms_m == pytest.approx(0, abs=1e-9)


def test_pure_scale_by_hand():
    """Every distance 100 ppm longer, about the point (500, 500): dx = dy = -0.05 m."""
    src = np.array([[0.0, 0.0], [1000.0, 0.0], [0.0, 1000.0], [1000.0, 1000.0]])
    dst = 500 + (src - 500) * (1 + 100e-6)
    p = fit(_points(src, dst), "helmert2d", BASE).parameters
    assert p["scale_ppm"] == pytest.approx(100, abs=1e-6)
    assert p["rotation_arcsec"] == pytest.approx(0, abs=1e-6)
    assert p["dx"] == pytest.approx(-0.05, abs=1e-9) and p["dy"] == pytest.approx(-0.05, abs=1e-9)


def test_helmert2d_formula_and_sign():
    """A 1-arc-second counter-clockwise rotation moves a point 100 km east by 0.4848 m north."""
    lc = LocalCRS("t", BASE, "helmert2d", {"dx": 0, "dy": 0, "rotation_arcsec": 1, "scale_ppm": 0})
    e, n = lc.to_base(100_000, 0)[0]
    assert n == pytest.approx(100_000 * ARCSEC, abs=1e-9) and n == pytest.approx(0.4848, abs=1e-4)
    assert e == pytest.approx(100_000 * math.cos(ARCSEC), abs=1e-9)


def test_two_points_determine_helmert2d_exactly():
    src = np.array([[0.0, 0.0], [100.0, 0.0]])
    dst = np.array([[10.0, 20.0], [10.0, 120.0]])     # turned 90°, shifted
    r = fit(_points(src, dst), "helmert2d", BASE)
    assert r.parameters["rotation_arcsec"] == pytest.approx(324000, abs=1e-6)
    assert (r.parameters["dx"], r.parameters["dy"]) == pytest.approx((10, 20), abs=1e-9)


# -- synthetic fits with known parameters and noise ------------------------------------------
@pytest.mark.parametrize("model,truth", [
    ("helmert2d", {"dx": 391_234.5, "dy": 2_489_876.25, "rotation_arcsec": -123.4, "scale_ppm": 27.5}),
    ("affine", {"a0": 391_234.5, "a1": 1.0000275, "a2": -0.0006, "b0": 2_489_876.25, "b1": 0.00058,
                "b2": 0.99998}),
])
def test_synthetic_fit_recovers_known_parameters(model, truth):
    rng = np.random.default_rng(7)
    n = 30
    src = np.column_stack([rng.uniform(105_000, 130_000, n), rng.uniform(8_000, 30_000, n)])
    dst = apply(model, truth, BASE, src[:, 0], src[:, 1]) + rng.normal(0, 0.01, (n, 2))
    r = fit(_points(src, dst), model, BASE)
    assert 0.007 < r.rms_m < 0.02            # the 1 cm noise (2D RMS ≈ 1.4 cm), not more
    assert not r.outliers
    got = LocalCRS("fit", BASE, model, r.parameters)
    want = LocalCRS("truth", BASE, model, truth)
    probe = np.array([[105_000, 8_000], [130_000, 30_000], [117_000, 19_000]])
    diff = got.to_base(probe[:, 0], probe[:, 1]) - want.to_base(probe[:, 0], probe[:, 1])
    assert np.max(np.hypot(diff[:, 0], diff[:, 1])) < 0.02   # positions agree within the noise
    if model == "helmert2d":
        assert r.parameters["rotation_arcsec"] == pytest.approx(truth["rotation_arcsec"], abs=0.5)
        assert r.parameters["scale_ppm"] == pytest.approx(truth["scale_ppm"], abs=2)


def test_outlier_flagged_and_refitted_without_it():
    truth = {"dx": 400_000.0, "dy": 2_480_000.0, "rotation_arcsec": 60.0, "scale_ppm": -15.0}
    rng = np.random.default_rng(3)
    n = 15
    src = np.column_stack([rng.uniform(100_000, 130_000, n), rng.uniform(10_000, 30_000, n)])
    dst = apply("helmert2d", truth, BASE, src[:, 0], src[:, 1]) + rng.normal(0, 0.005, (n, 2))
    dst[6] += [0.40, -0.30]                  # a blunder of 0.5 m on P7
    r = fit(_points(src, dst), "helmert2d", BASE)
    assert r.outliers == ["P7"] and r.refitted
    assert r.rms_m < 0.012 < r.first_rms_m
    row = next(x for x in r.residuals if x["id"] == "P7")
    assert row["outlier"] and not row["used"] and row["r"] == pytest.approx(0.5, abs=0.03)
    assert r.worst(1)[0]["id"] == "P7"
    # a user threshold flags more; --exclude leaves a point out by hand
    r2 = fit(_points(src, dst), "helmert2d", BASE, threshold_m=0.0001)
    assert len(r2.outliers) == n
    assert r2.notes and not r2.refitted
    r3 = fit(_points(src, dst), "helmert2d", BASE, exclude=["P7"])
    assert r3.outliers == [] and r3.excluded == ["P7"] and r3.used == n - 1


def test_helmert7_synthetic_fit_recovers_parameters():
    truth = {"tx": 85.3, "ty": -42.1, "tz": 17.9, "rx_arcsec": 1.2, "ry_arcsec": -2.4, "rz_arcsec": 3.1,
             "scale_ppm": 4.2}
    rng = np.random.default_rng(11)
    n = 10
    x = rng.uniform(380_000, 420_000, n)
    y = rng.uniform(2_470_000, 2_520_000, n)
    z = rng.uniform(0, 400, n)
    d = apply("helmert7", truth, BASE, x, y, z)
    r = fit(_points(np.column_stack([x, y]), d[:, :2], z, d[:, 2]), "helmert7", BASE)
    for k, v in truth.items():
        assert r.parameters[k] == pytest.approx(v, abs=1e-4), k
    assert r.rms_m < 1e-6


def test_coordinate_frame_is_position_vector_with_rotations_reversed():
    cf = {"tx": 1, "ty": 2, "tz": 3, "rx_arcsec": 1, "ry_arcsec": -2, "rz_arcsec": 3, "scale_ppm": 4}
    pv = to_position_vector(cf, "coordinate_frame")
    assert (pv["rx_arcsec"], pv["ry_arcsec"], pv["rz_arcsec"]) == (-1, 2, -3)
    # and what PROJ's coordinate_frame helmert computes equals our position-vector formula
    xyz = geocentric(BASE, [400_000.0], [2_500_000.0], [50.0])
    t = pyproj.Transformer.from_pipeline("+proj=helmert +x=1 +y=2 +z=3 +rx=1 +ry=-2 +rz=3 +s=4 "
                                         "+convention=coordinate_frame")
    got = np.array(t.transform(*xyz[0]))
    from smartgis.crs.local import helmert7_apply
    assert np.allclose(got, helmert7_apply(pv, xyz)[0], atol=1e-6)


# -- too few and degenerate points -----------------------------------------------------------
@pytest.mark.parametrize("model,n", [("helmert2d", 1), ("affine", 2), ("helmert7", 2)])
def test_too_few_points(model, n):
    src = np.array([[100.0, 200.0], [300.0, 500.0]])[:n]
    with pytest.raises(DegenerateError, match=f"{model} needs at least"):
        fit(_points(src, src + 1000), model, BASE)


def test_coincident_points_are_refused():
    src = np.array([[100.0, 200.0], [100.0, 200.0], [100.0, 200.0]])
    with pytest.raises(DegenerateError, match="same grid coordinates|coincide"):
        fit(_points(src, src + [[0, 0], [1, 1], [2, 2]]), "helmert2d", BASE)


def test_collinear_points_are_refused_by_affine_and_helmert7():
    src = np.array([[0.0, 0.0], [100.0, 100.0], [200.0, 200.0], [300.0, 300.0]]) + [400_000, 2_500_000]
    with pytest.raises(DegenerateError, match="one line"):
        fit(_points(src, src + 10), "affine", BASE)
    with pytest.raises(DegenerateError, match="one line"):
        fit(_points(src, src + 10), "helmert7", BASE)
    # helmert2d is determined by points on a line
    assert fit(_points(src, src + 10), "helmert2d", BASE).rms_m < 1e-9


def test_bad_input_to_fit():
    src = np.array([[0.0, 0.0], [100.0, 0.0], [0.0, 100.0]])
    with pytest.raises(CRSError, match="no control point"):
        fit(_points(src, src), "affine", BASE, exclude=["Q9"])
    with pytest.raises(CRSError, match="unknown transformation model"):
        fit(_points(src, src), "polynomial", BASE)
    with pytest.raises(CRSError, match="not a projected CRS"):
        fit(_points(src, src), "affine", "EPSG:4490")
    with pytest.raises(DegenerateError, match="needs at least 3"):
        fit(_points(src, src), "affine", BASE, exclude=["P1"])


# -- the CRS PROJ and GDAL use ------------------------------------------------------------------
@pytest.mark.parametrize("base", ["EPSG:4547", "EPSG:32650",
                                  "+proj=tmerc +lon_0=114 +k=1 +x_0=500000 +ellps=GRS80 +units=m +no_defs"])
@pytest.mark.parametrize("model,params", [
    ("helmert2d", {"dx": 391_000, "dy": 2_490_000, "rotation_arcsec": 300, "scale_ppm": 25}),
    ("affine", {"a0": 391_000, "a1": 1.00002, "a2": -0.0015, "b0": 2_490_000, "b1": 0.0014, "b2": 0.99997}),
])
def test_wkt_reproduces_the_formulas_through_proj(base, model, params):
    """Whatever the base's axis order (EPSG:4547 is northing first), PROJ gives our numbers."""
    lc = LocalCRS("城市独立坐标系", base, model, params)
    crs = pyproj.CRS.from_wkt(lc.to_wkt())
    t = pyproj.Transformer.from_crs(crs, pyproj.CRS.from_user_input(base), always_xy=True)
    x, y = np.array([117_000.0, 100_000.0]), np.array([19_000.0, 30_000.0])
    e, n = t.transform(x, y)
    want = lc.to_base(x, y)
    assert np.allclose(np.column_stack([e, n]), want, atol=1e-6)
    back = lc.from_base(want[:, 0], want[:, 1])
    assert np.allclose(back, np.column_stack([x, y]), atol=1e-6)
    assert crs.name == "城市独立坐标系"


def test_helmert7_wkt_is_a_bound_crs_that_applies_the_parameters():
    p = {"tx": 100, "ty": -50, "tz": 20, "rx_arcsec": 1.5, "ry_arcsec": -2, "rz_arcsec": 3, "scale_ppm": 4}
    lc = LocalCRS("H7", BASE, "helmert7", p)
    crs = pyproj.CRS.from_wkt(lc.to_wkt())
    assert crs.is_bound
    e, n = pyproj.Transformer.from_crs(crs, BASE, always_xy=True).transform(400_000, 2_500_000)
    want = lc.to_base(400_000, 2_500_000)[0]
    assert math.hypot(e - want[0], n - want[1]) < 1e-4
    assert math.hypot(e - 400_000, n - 2_500_000) > 10     # the parameters really moved the point


def test_names_and_parameters_are_checked():
    with pytest.raises(CRSError, match="not a usable name"):
        LocalCRS('bad"name', BASE, "helmert2d", {"dx": 0, "dy": 0, "rotation_arcsec": 0, "scale_ppm": 0})
    with pytest.raises(CRSError, match="looks like a CRS code"):
        LocalCRS("EPSG9999", BASE, "helmert2d", {"dx": 0, "dy": 0, "rotation_arcsec": 0, "scale_ppm": 0})
    with pytest.raises(CRSError, match="parameters missing: scale_ppm"):
        LocalCRS("a", BASE, "helmert2d", {"dx": 0, "dy": 0, "rotation_arcsec": 0})
    with pytest.raises(CRSError, match="invertible"):
        LocalCRS("a", BASE, "affine", {"a0": 0, "a1": 1, "a2": 2, "b0": 0, "b1": 2, "b2": 4})


def test_nearly_collinear_points_fit_with_a_warning():
    src = np.array([[0.0, 0.0], [500.0, 1.0], [1000.0, -1.0], [1500.0, 0.5]])
    r = fit(_points(src, src + 100), "affine", BASE)
    assert any("almost on one line" in n for n in r.notes)
    r = fit(_points(np.array([[0.0, 0.0], [1000.0, 0.0], [0.0, 1000.0]]), np.array([[0.0, 0.0], [1000.0, 0.0],
                                                                                   [0.0, 1000.0]])), "affine", BASE)
    assert r.notes == []
