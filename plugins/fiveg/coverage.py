"""Coverage of 5G base stations: where RSRP stays above a threshold, on flat ground or over a DEM.

Flat ground (no DEM): each cell covers a circle whose radius is the distance at which
the path-loss model's RSRP reaches the threshold (:func:`.pathloss.max_range`),
computed for all cells at once.

Over a DEM: for each cell, RSRP is evaluated along ``radials`` directions at
``samples`` points out to the flat-ground range.  The terrain profile along each radial
(sampled from the DEM with rasterio) gives, for every receiver point, the dominant
obstacle between it and the antenna; its knife-edge diffraction loss
(:func:`.pathloss.knife_edge_loss`) is added to the path loss.  A radial's reach is
the distance to the first point that falls below the threshold; the coverage polygon
joins the radials' ends.  Terrain only adds loss, so a DEM never makes a cell reach
further than on flat ground.  Buildings are not modelled: the 3GPP NLOS formulas
already carry the average clutter of an urban area.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely

from smartgis.plugins.api import (
    Field,
    LayerError,
    RasterLayer,
    SourceError,
    UsageError,
    _,
    join,
    report,
    transformer,
    vector_layer,
)

from .pathloss import C, MODELS, knife_edge_loss, max_range, path_loss, rsrp

CELL_TYPES = ("cell_5g_macro", "cell_5g_small")
#: Defaults per cell type: path-loss model, antenna gain (dBi), feeder/other losses (dB).
TYPE_DEFAULTS = {"cell_5g_macro": ("uma", 18.0, 3.0), "cell_5g_small": ("umi", 5.0, 0.0)}


@dataclass
class RadioParams:
    """Parameters of the radio coverage model (defaults suit a 3.5 GHz urban plan).

    Attributes
    ----------
    threshold_dbm : float
        RSRP a point needs to count as covered (−95 dBm; central areas often −90).
    model : str
        ``auto`` (UMa for macro cells, UMi for small cells), ``uma``, ``umi`` or ``cost231``.
    ue_height_m : float
        Receiver height (1.5 m, a handset).
    gain_dbi, losses_db : float or None
        Antenna gain and feeder losses; None takes the cell type's default.
    bandwidth_mhz, scs_khz : float
        Carrier bandwidth and subcarrier spacing (for the power per resource element).
    radials, samples : int
        Directions and points per direction when a DEM is used.
    los : bool
        Use the line-of-sight formulas (open areas); default NLOS (built-up areas).
    """

    threshold_dbm: float = -95.0
    model: str = "auto"
    ue_height_m: float = 1.5
    gain_dbi: float | None = None
    losses_db: float | None = None
    bandwidth_mhz: float = 100.0
    scs_khz: float = 30.0
    radials: int = 72
    samples: int = 120
    los: bool = False
    extra: dict = field(default_factory=dict)

    def check(self) -> None:
        if self.model != "auto" and self.model not in MODELS:
            raise UsageError(_("unknown path-loss model {model!r} (use {models})", model=self.model,
                               models=join(("auto",) + MODELS)))
        if not 8 <= self.radials <= 720 or not 10 <= self.samples <= 1000:
            raise UsageError(_("radials must be 8–720 and samples 10–1000"))
        if not -150 <= self.threshold_dbm <= -30:
            raise UsageError(_("threshold {threshold} dBm is not a plausible RSRP (−150 … −30 dBm)",
                               threshold=self.threshold_dbm))


# -- stations ------------------------------------------------------------------------------
def stations(project, types=CELL_TYPES) -> dict:
    """The 5G cells of a project's design as arrays (x, y, type, uid, band, height, power)."""
    xs, ys, kinds, uids, freq, height, power = [], [], [], [], [], [], []
    for tid in types:
        lyr = project.design.layers.get(tid)
        if lyr is None or not lyr.feature_count:
            continue
        pts = lyr.geometries
        xs.append(shapely.get_x(pts))
        ys.append(shapely.get_y(pts))
        n = len(pts)
        kinds.append(np.full(n, tid, dtype=object))
        uids.append(np.asarray(lyr.table.column("uid"), dtype=object))
        for out, name, default in ((freq, "band_mhz", 3500.0), (height, "height_m", 30.0),
                                   (power, "power_dbm", 46.0)):
            col = lyr.table.column(name) if lyr.table.has_field(name) else np.full(n, default)
            out.append(np.where(np.isnan(col.astype(float)), default, col.astype(float)))
    if not xs:
        return {"x": np.empty(0), "y": np.empty(0), "type": np.empty(0, dtype=object),
                "uid": np.empty(0, dtype=object), "band_mhz": np.empty(0), "height_m": np.empty(0),
                "power_dbm": np.empty(0)}
    return {"x": np.concatenate(xs), "y": np.concatenate(ys), "type": np.concatenate(kinds),
            "uid": np.concatenate(uids), "band_mhz": np.concatenate(freq), "height_m": np.concatenate(height),
            "power_dbm": np.concatenate(power)}


def _per_station(st: dict, params: RadioParams):
    n = len(st["x"])
    models = np.empty(n, dtype=object)
    gain = np.empty(n)
    loss = np.empty(n)
    for i, t in enumerate(st["type"]):
        m, g, lo = TYPE_DEFAULTS.get(t, ("uma", 18.0, 3.0))
        models[i] = m if params.model == "auto" else params.model
        gain[i] = g if params.gain_dbi is None else params.gain_dbi
        loss[i] = lo if params.losses_db is None else params.losses_db
    return models, gain, loss


def flat_ranges(st: dict, params: RadioParams) -> tuple[np.ndarray, np.ndarray]:
    """Flat-ground range (m) of every station, and its path-loss model name."""
    models, gain, loss = _per_station(st, params)
    out = np.zeros(len(st["x"]))
    for m in set(models.tolist()):
        sel = models == m
        out[sel] = max_range(m, st["band_mhz"][sel], st["height_m"][sel], st["power_dbm"][sel],
                             params.threshold_dbm, gain[sel], loss[sel], params.ue_height_m,
                             params.bandwidth_mhz, params.scs_khz, los=params.los)
    return out, models


# -- the DEM -------------------------------------------------------------------------------
class Dem:
    """A DEM read once around the stations, sampled in the project CRS.

    Parameters
    ----------
    path : str
        A single-band elevation raster (GeoTIFF ...), any CRS.
    crs : str
        The CRS of the points that will be sampled (the project CRS).
    bounds : tuple
        (xmin, ymin, xmax, ymax) in ``crs`` that the samples fall in.
    max_cells : int
        Reading is decimated (GDAL uses the overviews) above this many cells.
    """

    def __init__(self, path, crs: str, bounds, max_cells: int = 16_000_000):
        import rasterio
        from rasterio.windows import from_bounds
        self.path = str(path)
        try:
            src = rasterio.open(self.path)
        except Exception as exc:
            raise SourceError(_("cannot be read as a DEM ({error})", error=str(exc)), path) from None
        with src:
            if src.crs is None:
                raise SourceError(_("the DEM has no CRS"), path)
            self._to_dem = transformer(crs, src.crs.to_wkt())
            xs = np.array([bounds[0], bounds[2], bounds[0], bounds[2]])
            ys = np.array([bounds[1], bounds[1], bounds[3], bounds[3]])
            dx, dy = self._to_dem.transform(xs, ys)
            win = from_bounds(dx.min(), dy.min(), dx.max(), dy.max(), src.transform)
            win = win.round_offsets().round_lengths()
            full = rasterio.windows.Window(0, 0, src.width, src.height)
            try:
                win = win.intersection(full)
            except Exception:
                raise SourceError(_("the DEM does not cover the 5G cells"), path) from None
            h, w = int(win.height), int(win.width)
            scale = max(1.0, np.sqrt(h * w / max_cells))
            shape = (max(1, int(h / scale)), max(1, int(w / scale)))
            data = src.read(1, window=win, out_shape=shape, masked=True).astype(float)
            self.z = np.ma.filled(data, np.nan)
            wt = src.window_transform(win)
            self.transform = wt @ wt.scale(w / shape[1], h / shape[0])
            self.resolution = abs(self.transform.a)

    def sample(self, x, y) -> np.ndarray:
        """Elevation at points (project CRS); NaN outside the DEM or on nodata."""
        x = np.asarray(x, dtype=float)
        dx, dy = self._to_dem.transform(x.ravel(), np.asarray(y, dtype=float).ravel())
        inv = ~self.transform
        dx, dy = np.asarray(dx), np.asarray(dy)
        col = inv.a * dx + inv.b * dy + inv.c
        row = inv.d * dx + inv.e * dy + inv.f
        col = np.floor(col).astype(np.int64)
        row = np.floor(row).astype(np.int64)
        inside = (row >= 0) & (row < self.z.shape[0]) & (col >= 0) & (col < self.z.shape[1])
        out = np.full(col.shape, np.nan)
        out[inside] = self.z[row[inside], col[inside]]
        return out.reshape(x.shape)


def find_dem(project, name: str | None = None) -> str | None:
    """A DEM path: ``name`` (a file or a raster layer of the project), else a raster layer
    whose name or role says it is a DEM; None when there is none."""
    from pathlib import Path
    if name:
        if Path(name).exists():
            return str(name)
        try:
            lyr = project.layer(name)
        except LayerError:
            raise UsageError(_("--dem {name!r} is neither a file nor a raster layer of the project",
                               name=name)) from None
        if not isinstance(lyr, RasterLayer) or not lyr.path:
            raise UsageError(_("layer {layer!r} is not a raster file layer", layer=lyr.name))
        return lyr.path
    for lyr in project.raster_layers():
        label = f"{lyr.name} {lyr.role or ''} {lyr.props.get('kind', '')}".lower()
        if lyr.path and any(k in label for k in ("dem", "elevation", "高程", "地形", "dtm")):
            return lyr.path
    return None


def terrain_ranges(st: dict, params: RadioParams, dem: Dem, flat: np.ndarray, models: np.ndarray,
                   progress=None) -> np.ndarray:
    """Reach (m) of every station along every radial over the DEM: shape (stations, radials)."""
    _models, gain, loss = _per_station(st, params)
    k, n = params.radials, params.samples
    az = np.radians(np.arange(k) * 360.0 / k)
    sin_az, cos_az = np.sin(az)[:, None], np.cos(az)[:, None]
    out = np.zeros((len(st["x"]), k))
    i_idx, j_idx = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    before = i_idx < j_idx                      # obstacle i lies between the antenna and receiver j
    for s in range(len(st["x"])):             # one vectorised (radials × samples²) pass per cell
        report(progress, s, len(st["x"]), _("terrain"))
        reach = flat[s]
        if reach <= 0:
            continue
        d = np.linspace(reach / n, reach, n)            # (n,)
        xs = st["x"][s] + sin_az * d                   # (k, n)
        ys = st["y"][s] + cos_az * d
        z = dem.sample(xs, ys)
        z0 = dem.sample(np.array([st["x"][s]]), np.array([st["y"][s]]))[0]
        if np.isnan(z0):
            z0 = np.nanmean(z) if np.isfinite(z).any() else 0.0
        z = np.where(np.isnan(z), z0, z)
        top = z0 + st["height_m"][s]
        rx = z + params.ue_height_m                    # (k, n)
        lam = C / (st["band_mhz"][s] * 1e6)
        di = d[:, None]                                 # obstacle distance (n, 1)
        dj = d[None, :]                                 # receiver distance (1, n)
        frac = np.where(before, di / dj, 0.0)           # (n, n)
        line = top + (rx[:, None, :] - top) * frac[None]            # (k, n_i, n_j) line height at obstacle i
        clearance = z[:, :, None] - line
        with np.errstate(divide="ignore", invalid="ignore"):
            geom = np.sqrt(2.0 * dj / (lam * di * np.maximum(dj - di, 1e-9)))
        v = np.where(before[None], clearance * geom[None], -np.inf)
        j_loss = knife_edge_loss(v.max(axis=1))         # (k, n)
        pl = path_loss(models[s], d, st["band_mhz"][s], st["height_m"][s], params.ue_height_m, los=params.los)
        level = rsrp(st["power_dbm"][s], gain[s], loss[s], pl[None, :] + j_loss, params.bandwidth_mhz,
                     params.scs_khz)
        ok = level >= params.threshold_dbm
        first_bad = np.where(ok.all(axis=1), n, np.argmin(ok, axis=1))   # index of the first failing point
        out[s] = np.where(first_bad > 0, d[np.maximum(first_bad - 1, 0)], 0.0)
    report(progress, len(st["x"]), len(st["x"]), _("terrain"))
    return out


def radial_polygons(x, y, reach: np.ndarray) -> np.ndarray:
    """Polygons joining the radial reaches (stations × radials) around each station."""
    k = reach.shape[1]
    az = np.radians(np.arange(k) * 360.0 / k)
    r = np.maximum(reach, 0.01)  # keep a valid ring where a radial is blocked at once
    px = x[:, None] + np.sin(az)[None] * r
    py = y[:, None] + np.cos(az)[None] * r
    ring = np.stack([np.concatenate([px, px[:, :1]], axis=1), np.concatenate([py, py[:, :1]], axis=1)], axis=-1)
    return shapely.make_valid(shapely.polygons(ring))


# -- what the plugin offers ----------------------------------------------------------------
def compute(project, params: RadioParams | None = None, dem: str | None = None, progress=None) -> dict:
    """Coverage of every 5G cell of the project.

    Returns
    -------
    dict
        ``stations`` (arrays), ``polygons`` (one per cell), ``reach`` (stations × radials, or
        the flat range as one column), ``flat_range``, ``models``, ``dem`` (path or None).
    """
    params = params or RadioParams()
    params.check()
    st = stations(project)
    flat, models = flat_ranges(st, params)
    if dem and len(st["x"]):
        pad = float(flat.max()) + 100.0
        bounds = (st["x"].min() - pad, st["y"].min() - pad, st["x"].max() + pad, st["y"].max() + pad)
        reach = terrain_ranges(st, params, Dem(dem, project.crs, bounds), flat, models, progress)
        polys = radial_polygons(st["x"], st["y"], reach) if len(st["x"]) else np.empty(0, dtype=object)
    else:
        reach = flat[:, None]
        polys = shapely.buffer(shapely.points(st["x"], st["y"]), flat, quad_segs=16) if len(st["x"]) \
            else np.empty(0, dtype=object)
    return {"stations": st, "polygons": polys, "reach": reach, "flat_range": flat, "models": models,
            "dem": dem, "params": params}


def coverage_layer(project, params: RadioParams | None = None, dem: str | None = None, progress=None,
                   name: str | None = None):
    """A vector layer of the cells' coverage polygons (not yet added to the project)."""
    r = compute(project, params, dem, progress)
    p = r["params"]
    st = r["stations"]
    reach = r["reach"]
    columns = {"uid": st["uid"].astype(object), "type": st["type"].astype(object),
               "model": r["models"].astype(object), "threshold_dbm": np.full(len(st["x"]), p.threshold_dbm),
               "flat_range_m": np.round(r["flat_range"], 1),
               "reach_min_m": np.round(reach.min(axis=1), 1) if len(st["x"]) else np.empty(0),
               "reach_mean_m": np.round(reach.mean(axis=1), 1) if len(st["x"]) else np.empty(0),
               "area_m2": np.round(shapely.area(r["polygons"]), 1) if len(st["x"]) else np.empty(0),
               "dem": np.full(len(st["x"]), bool(dem))}
    fields = [Field("uid", "str"), Field("type", "str"), Field("model", "str"),
              Field("threshold_dbm", "float", unit="dBm"), Field("flat_range_m", "float", unit="m"),
              Field("reach_min_m", "float", unit="m"), Field("reach_mean_m", "float", unit="m"),
              Field("area_m2", "float", unit="m²"), Field("dem", "bool")]
    label = name or f"5G 覆盖 RSRP ≥ {p.threshold_dbm:g} dBm"
    lyr = vector_layer(label, r["polygons"], columns, crs=project.crs, fields=fields)
    lyr.props["fiveg"] = {"threshold_dbm": p.threshold_dbm, "model": p.model, "dem": dem}
    return lyr, r


def update_radius(project, result: dict) -> int:
    """Write each cell's mean reach into its ``radius_m`` (one undo step), so the built-in
    circle coverage and the standards checks use the radio model's ranges."""
    st, reach = result["stations"], result["reach"]
    if not len(st["x"]):
        return 0
    means = np.round(reach.mean(axis=1), 1)
    with project.stack.macro(_("Set 5G cell ranges from the radio model")):
        for uid, value in zip(st["uid"], means):  # one command per cell: tens to hundreds
            project.design.update([uid], radius_m=float(value))
    return len(means)


def radio_coverage(geometries, attributes: dict | None = None, element_type=None, dem: str | None = None,
                   crs: str | None = None, **params) -> np.ndarray:
    """Coverage-model entry for the coverage engine: polygons for point cells.

    Parameters
    ----------
    geometries : array of shapely Points
        Cell positions in a projected CRS (metres).
    attributes : dict of arrays
        ``band_mhz``, ``height_m``, ``power_dbm`` (missing ones take the defaults).
    element_type : str or ElementType, optional
        ``cell_5g_macro`` or ``cell_5g_small`` (picks model, gain and losses).
    dem : str, optional
        A DEM file; ``crs`` must then give the CRS of ``geometries``.
    **params
        :class:`RadioParams` fields (``threshold_dbm`` ...).
    """
    geoms = np.asarray(geometries, dtype=object)
    attrs = attributes or {}
    n = len(geoms)
    tid = getattr(element_type, "id", element_type) or "cell_5g_macro"

    def col(name, default):
        v = attrs.get(name)
        return np.full(n, default) if v is None else np.asarray(v, dtype=float)

    st = {"x": shapely.get_x(geoms), "y": shapely.get_y(geoms), "type": np.full(n, tid, dtype=object),
          "uid": np.arange(n).astype(object), "band_mhz": col("band_mhz", 3500.0),
          "height_m": col("height_m", 30.0 if tid != "cell_5g_small" else 8.0),
          "power_dbm": col("power_dbm", 53.0 if tid != "cell_5g_small" else 37.0)}
    p = RadioParams(**{k: v for k, v in params.items() if k in RadioParams.__dataclass_fields__ and k != "extra"})
    p.check()
    flat, models = flat_ranges(st, p)
    if dem and n:
        if crs is None:
            raise UsageError(_("a DEM needs the CRS of the cells"))
        pad = float(flat.max()) + 100.0
        bounds = (st["x"].min() - pad, st["y"].min() - pad, st["x"].max() + pad, st["y"].max() + pad)
        reach = terrain_ranges(st, p, Dem(dem, crs, bounds), flat, models)
        return radial_polygons(st["x"], st["y"], reach)
    return shapely.buffer(shapely.points(st["x"], st["y"]), flat, quad_segs=16)


def outdoor_coverage(project, threshold_dbm: float = -95.0, dem: str | None = None, area=None, **params) -> dict:
    """Metric: share of the study area (or built-up area) with RSRP ≥ threshold.

    The area is ``area`` (a shapely geometry) or the union of the layers with role
    ``study_area`` (else ``built_up``); without one, the metric cannot be computed.
    """
    if area is None:
        for role in ("study_area", "built_up"):
            layers = project.layers_with_role(role)
            if layers:
                area = shapely.union_all(np.concatenate([lyr.geometries for lyr in layers]))
                break
    if area is None or area.is_empty:
        raise UsageError(_("the 5G coverage metric needs a layer with the role study_area or built_up"))
    p = RadioParams(threshold_dbm=threshold_dbm, **{k: v for k, v in params.items()
                                                     if k in RadioParams.__dataclass_fields__})
    r = compute(project, p, dem)
    covered = shapely.union_all(r["polygons"]) if len(r["polygons"]) else shapely.Polygon()
    inside = shapely.intersection(covered, area)
    total = float(area.area)
    return {"metric": "5g_outdoor_coverage", "threshold_dbm": threshold_dbm, "cells": int(len(r["polygons"])),
            "area_km2": total / 1e6, "covered_km2": float(inside.area) / 1e6,
            "percent": 100.0 * float(inside.area) / total if total else 0.0, "dem": bool(dem)}


def engine_model(elements, context, params: dict):
    """The ``radio_5g`` coverage model for the coverage engine (``smartgis.analysis``).

    ``fn(elements, context, params) -> Footprint``: ``elements`` an ElementSet of 5G
    cells, ``context`` the check context (its project's DEM layer is used when there is
    one, unless ``params["dem"]`` is False or a path), ``params`` :class:`RadioParams`
    fields from the rule (``threshold_dbm`` ...).
    """
    from smartgis.analysis.footprint import Footprint
    project = getattr(context, "project", None)
    dem = params.get("dem", True)
    if dem is True:
        dem = find_dem(project) if project is not None else None
    elif dem is False:
        dem = None
    polys = np.empty(0, dtype=object)
    pieces = []
    for tid in elements.type_ids:                    # per type: model, gain and losses differ
        sub = elements.subset(elements.types == tid)
        attrs = {k: sub.numbers(k) for k in ("band_mhz", "height_m", "power_dbm")}
        attrs = {k: (None if np.isnan(v).all() else v) for k, v in attrs.items()}
        radio = {k: v for k, v in params.items() if k in RadioParams.__dataclass_fields__}
        pieces.append(radio_coverage(shapely.points(sub.xy), attrs, element_type=tid, dem=dem,
                                     crs=getattr(context, "crs", None), **radio))
    if pieces:
        polys = np.concatenate(pieces)
    return Footprint(polys)
