"""Radio path loss and link budget for 5G base stations (numpy, vectorised).

Models
------
``uma``
    3GPP TR 38.901 V17 Table 7.4.1-1, Urban Macro.  LOS: PL1 = 28.0 + 22 log10(d3D)
    + 20 log10(fc) up to the breakpoint d'BP = 4 h'BS h'UT fc / c (h' = h − 1 m), then
    PL2 = 28.0 + 40 log10(d3D) + 20 log10(fc) − 9 log10(d'BP² + (hBS − hUT)²).  NLOS:
    max(PL_LOS, 13.54 + 39.08 log10(d3D) + 20 log10(fc) − 0.6 (hUT − 1.5)).
    Valid 0.5–100 GHz, 10 m ≤ d2D ≤ 5 km, hBS ≈ 25 m.
``umi``
    TR 38.901 Urban Micro street canyon (small cells).  LOS: 32.4 + 21 log10(d3D)
    + 20 log10(fc) (with the 40 log10 branch past the breakpoint); NLOS:
    max(PL_LOS, 22.4 + 35.3 log10(d3D) + 21.3 log10(fc) − 0.3 (hUT − 1.5)).
``cost231``
    COST-231 Hata: 46.3 + 33.9 log10(f) − 13.82 log10(hb) − a(hm) + (44.9 − 6.55 log10(hb))
    log10(d_km) + Cm, a(hm) = (1.1 log10 f − 0.7) hm − (1.56 log10 f − 0.8), Cm = 3 dB
    in metropolitan centres, 0 elsewhere.  Defined for 1500–2000 MHz, 30–200 m masts,
    1–20 km; used above 2 GHz it is an extrapolation (reported as such).

fc is in GHz for the 3GPP models, f in MHz for COST-231; distances in metres.

Terrain: :func:`knife_edge_loss` is the single knife-edge diffraction loss J(v) of
ITU-R P.526 (eq. 31), applied to the dominant terrain obstacle along a path.

Link budget: the coverage threshold is an RSRP (dBm per resource element, −95 dBm in
many local 5G plans); the transmit power of a cell (``power_dbm``, the whole carrier)
is spread over ``12 × N_RB`` subcarriers, N_RB from the bandwidth and subcarrier
spacing (273 RBs for 100 MHz at 30 kHz).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from smartgis.plugins.api import _, join

C = 299_792_458.0
MODELS = ("uma", "umi", "cost231")


def _log(x):
    return np.log10(np.maximum(x, 1e-9))


class _Tr38901(NamedTuple):
    """The coefficients of one TR 38.901 scenario: LOS ``los0 + los_d log10(d3D) +
    20 log10(fc)`` up to the breakpoint, then ``los0 + 40 log10(d3D) + 20 log10(fc) −
    bp log10(d'BP² + (hBS − hUT)²)``; NLOS ``max(PL_LOS, nlos0 + nlos_d log10(d3D) +
    nlos_f log10(fc) − nlos_h (hUT − 1.5))``."""

    los0: float
    los_d: float
    bp: float
    nlos0: float
    nlos_d: float
    nlos_f: float
    nlos_h: float


#: Table 7.4.1-1, UMa and UMi street canyon.
_UMA = _Tr38901(los0=28.0, los_d=22.0, bp=9.0, nlos0=13.54, nlos_d=39.08, nlos_f=20.0, nlos_h=0.6)
_UMI = _Tr38901(los0=32.4, los_d=21.0, bp=9.5, nlos0=22.4, nlos_d=35.3, nlos_f=21.3, nlos_h=0.3)


def _tr38901(k: _Tr38901, d2d, fc_ghz, h_bs, h_ut, los):
    """Path loss (dB) of the TR 38.901 scenario ``k`` at 2-D distance ``d2d`` (m)."""
    d2d = np.maximum(np.asarray(d2d, dtype=float), 10.0)
    d3d = np.hypot(d2d, h_bs - h_ut)
    d_bp = 4.0 * (h_bs - 1.0) * (h_ut - 1.0) * fc_ghz * 1e9 / C
    pl1 = k.los0 + k.los_d * _log(d3d) + 20.0 * _log(fc_ghz)
    pl2 = k.los0 + 40.0 * _log(d3d) + 20.0 * _log(fc_ghz) - k.bp * _log(d_bp ** 2 + (h_bs - h_ut) ** 2)
    pl_los = np.where(d2d <= d_bp, pl1, pl2)
    if los:
        return pl_los
    pl_nlos = k.nlos0 + k.nlos_d * _log(d3d) + k.nlos_f * _log(fc_ghz) - k.nlos_h * (h_ut - 1.5)
    return np.maximum(pl_los, pl_nlos)


def uma(d2d, fc_ghz, h_bs=25.0, h_ut=1.5, los=False):
    """3GPP TR 38.901 UMa path loss (dB) at 2-D distance ``d2d`` (m)."""
    return _tr38901(_UMA, d2d, fc_ghz, h_bs, h_ut, los)


def umi(d2d, fc_ghz, h_bs=10.0, h_ut=1.5, los=False):
    """3GPP TR 38.901 UMi street-canyon path loss (dB)."""
    return _tr38901(_UMI, d2d, fc_ghz, h_bs, h_ut, los)


def cost231(d2d, f_mhz, h_bs=30.0, h_ut=1.5, metropolitan=True):
    """COST-231 Hata path loss (dB); ``d2d`` in metres (clamped to ≥ 20 m)."""
    d_km = np.maximum(np.asarray(d2d, dtype=float), 20.0) / 1000.0
    lf = _log(f_mhz)
    a_hm = (1.1 * lf - 0.7) * h_ut - (1.56 * lf - 0.8)
    cm = 3.0 if metropolitan else 0.0
    return 46.3 + 33.9 * lf - 13.82 * _log(h_bs) - a_hm + (44.9 - 6.55 * _log(h_bs)) * _log(d_km) + cm


def path_loss(model: str, d2d, freq_mhz, h_bs, h_ut=1.5, los=False):
    """Path loss (dB) of ``model`` (``uma``, ``umi``, ``cost231``)."""
    if model == "uma":
        return uma(d2d, freq_mhz / 1000.0, h_bs, h_ut, los=los)
    if model == "umi":
        return umi(d2d, freq_mhz / 1000.0, h_bs, h_ut, los=los)
    if model == "cost231":
        return cost231(d2d, freq_mhz, h_bs, h_ut)
    raise ValueError(_("unknown path-loss model {model!r} (use {models})", model=model, models=join(MODELS)))


def knife_edge_loss(v):
    """ITU-R P.526 single knife-edge diffraction loss J(v) in dB (0 for v ≤ −0.78)."""
    v = np.maximum(np.asarray(v, dtype=float), -1.0)  # below -0.78 the loss is 0 anyway
    j = 6.9 + 20.0 * _log(np.sqrt((v - 0.1) ** 2 + 1.0) + v - 0.1)
    return np.where(v > -0.78, j, 0.0)


def resource_elements(bandwidth_mhz: float = 100.0, scs_khz: float = 30.0) -> int:
    """Subcarriers of a carrier: 12 × N_RB, N_RB per 3GPP TS 38.101-1 Table 5.3.2-1 (approx.)."""
    n_rb = int(np.floor(bandwidth_mhz * 1000.0 * 0.98 / (scs_khz * 12.0)))  # ~2 % guard bands
    return 12 * max(n_rb, 1)


def rsrp(power_dbm, gain_dbi, losses_db, pl_db, bandwidth_mhz=100.0, scs_khz=30.0):
    """RSRP (dBm per resource element) from carrier power, antenna gain, losses and path loss."""
    per_re = np.asarray(power_dbm, dtype=float) - 10.0 * np.log10(resource_elements(bandwidth_mhz, scs_khz))
    return per_re + gain_dbi - losses_db - pl_db


def max_range(model: str, freq_mhz, h_bs, power_dbm, threshold_dbm=-95.0, gain_dbi=18.0, losses_db=3.0,
              h_ut=1.5, bandwidth_mhz=100.0, scs_khz=30.0, los=False, limit_m=20_000.0):
    """The distance (m) at which RSRP falls to ``threshold_dbm`` on flat ground.

    Vectorised over stations (every argument may be an array); solved by bisection on
    log-distance (path loss grows monotonically with distance in all three models).
    """
    freq, hb, pw, gain, loss = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in
                                                     (freq_mhz, h_bs, power_dbm, gain_dbi, losses_db)))
    budget = rsrp(pw, gain, loss, 0.0, bandwidth_mhz, scs_khz) - threshold_dbm  # allowed path loss
    lo = np.full(freq.shape, np.log10(1.0))
    hi = np.full(freq.shape, np.log10(limit_m))
    for _step in range(50):
        mid = (lo + hi) / 2.0
        pl = path_loss(model, 10.0 ** mid, freq, hb, h_ut, los=los)
        ok = pl <= budget
        lo = np.where(ok, mid, lo)
        hi = np.where(ok, hi, mid)
    out = 10.0 ** lo
    # below the models' minimum distance the budget does not even cover 1 m
    return np.where(path_loss(model, 1.0, freq, hb, h_ut, los=los) > budget, 0.0, out)
