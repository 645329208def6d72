"""``smartgis fiveg coverage|range`` — 5G radio coverage from the command line.

Messages follow the command line's language (English unless ``SMARTGIS_LANG=zh``);
``--json`` output stays English.
"""

from __future__ import annotations

from smartgis.plugins.api import _, localize


def _radio_args(p) -> None:
    p.add_argument("--threshold", type=float, default=-95.0, help="RSRP threshold in dBm (default -95)")
    p.add_argument("--model", default="auto", choices=["auto", "uma", "umi", "cost231"],
                   help="path-loss model: auto = 3GPP 38.901 UMa for macro cells, UMi for small cells")
    p.add_argument("--ue-height", type=float, default=1.5, help="receiver height in m (default 1.5)")
    p.add_argument("--gain", type=float, help="antenna gain in dBi (default 18 macro, 5 small)")
    p.add_argument("--losses", type=float, help="feeder and other losses in dB (default 3 macro, 0 small)")
    p.add_argument("--bandwidth", type=float, default=100.0, help="carrier bandwidth in MHz (default 100)")
    p.add_argument("--los", action="store_true", help="line-of-sight formulas (open areas)")


def _params(args):
    from .coverage import RadioParams
    return RadioParams(threshold_dbm=args.threshold, model=args.model, ue_height_m=args.ue_height,
                       gain_dbi=args.gain, losses_db=args.losses, bandwidth_mhz=args.bandwidth,
                       los=args.los, radials=getattr(args, "radials", 72), samples=getattr(args, "samples", 120))


def register(sub) -> None:
    p = sub.add_parser("fiveg", help="5G coverage of base stations (plugin fiveg)",
                       description="Radio coverage of the 5G cells of a design (cell_5g_macro, cell_5g_small): "
                                   "3GPP TR 38.901 UMa/UMi or COST-231 Hata path loss, RSRP threshold, and "
                                   "terrain obstruction over a DEM.")
    acts = p.add_subparsers(dest="action", metavar="ACTION")
    cov = acts.add_parser("coverage", help="coverage polygons of the project's 5G cells")
    cov.add_argument("project", metavar="PROJECT")
    cov.add_argument("--dem", help="DEM file or raster layer name (default: a DEM layer of the project, if any)")
    cov.add_argument("--no-dem", action="store_true", help="flat ground even when the project has a DEM")
    cov.add_argument("--radials", type=int, default=72, help="directions per cell over a DEM (default 72)")
    cov.add_argument("--samples", type=int, default=120, help="points per direction over a DEM (default 120)")
    _radio_args(cov)
    cov.add_argument("--save", action="store_true", help="add the coverage layer to the project and save it")
    cov.add_argument("--update-radius", action="store_true",
                     help="also set each cell's radius_m to its mean reach (with --save)")
    cov.add_argument("--json", action="store_true", help="print one JSON object")
    cov.set_defaults(func=run_coverage)

    rng = acts.add_parser("range", help="flat-ground range of one cell (a quick link budget)")
    rng.add_argument("--freq", type=float, default=3500.0, help="frequency in MHz (default 3500)")
    rng.add_argument("--height", type=float, default=30.0, help="antenna height in m (default 30)")
    rng.add_argument("--power", type=float, default=53.0, help="carrier transmit power in dBm (default 53)")
    rng.add_argument("--type", default="cell_5g_macro", choices=["cell_5g_macro", "cell_5g_small"])
    _radio_args(rng)
    rng.add_argument("--json", action="store_true", help="print one JSON object")
    rng.set_defaults(func=run_range)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def run_range(args) -> int:
    import numpy as np
    from .coverage import flat_ranges
    params = _params(args)
    params.check()
    st = {"x": np.zeros(1), "y": np.zeros(1), "type": np.array([args.type], dtype=object), "uid": np.zeros(1),
          "band_mhz": np.array([args.freq]), "height_m": np.array([args.height]), "power_dbm": np.array([args.power])}
    rng, models = flat_ranges(st, params)
    out = {"type": args.type, "model": models[0], "freq_mhz": args.freq, "height_m": args.height,
           "power_dbm": args.power, "threshold_dbm": args.threshold, "range_m": round(float(rng[0]), 1)}
    if models[0] == "cost231" and not 1500 <= args.freq <= 2000:
        out["note"] = _("COST-231 Hata is defined for 1500-2000 MHz; this is an extrapolation")
    if args.json:
        from smartgis.cli.common import print_json
        print_json(out)
    else:
        line = _("{type}: {model} model, {freq:g} MHz, {height:g} m, {power:g} dBm → range {range:.0f} m at "
                 "RSRP {threshold:g} dBm", type=args.type, model=models[0], freq=args.freq, height=args.height,
                 power=args.power, range=out["range_m"], threshold=args.threshold)
        print(localize(_("{line} ({note})", line=line, note=out["note"]) if "note" in out else line))
    return 0


def run_coverage(args) -> int:
    import time
    from smartgis.cli.common import ProgressBar, open_project, print_json
    from smartgis.plugins.api import UsageError
    from .coverage import coverage_layer, find_dem, update_radius
    if args.update_radius and not args.save:
        raise UsageError(_("--update-radius changes the project: add --save"))
    project = open_project(args.project, read_only=not args.save)
    dem = None if args.no_dem else find_dem(project, args.dem)
    t0 = time.perf_counter()
    lyr, r = coverage_layer(project, _params(args), dem, progress=ProgressBar(_("5G coverage")))
    secs = time.perf_counter() - t0
    st = r["stations"]
    n = len(st["x"])
    if not n:
        raise UsageError(_("the design has no 5G cells (cell_5g_macro, cell_5g_small)"), args.project)
    import shapely
    union = shapely.union_all(r["polygons"])
    by_type = {}
    for t in sorted(set(st["type"].tolist())):
        sel = st["type"] == t
        by_type[t] = {"cells": int(sel.sum()), "flat_range_m": round(float(r["flat_range"][sel].mean()), 1),
                      "mean_reach_m": round(float(r["reach"][sel].mean()), 1)}
    out = {"project": str(project.path), "cells": n, "threshold_dbm": args.threshold, "dem": dem,
           "covered_km2": round(union.area / 1e6, 4), "by_type": by_type, "seconds": round(secs, 3)}
    if args.save:
        project.add_layer(lyr)
        out["layer"] = lyr.name
        if args.update_radius:
            out["updated_cells"] = update_radius(project, r)
        project.save()
    if args.json:
        print_json(out)
        return 0
    terrain = _("over DEM {dem}", dem=dem) if dem else _("flat ground")
    print(localize(_("{n} cells, RSRP ≥ {threshold:g} dBm, {terrain}: {area:.3f} km² covered ({seconds:.2f} s)",
                     n=n, threshold=args.threshold, terrain=terrain, area=out["covered_km2"], seconds=secs)))
    for t, v in by_type.items():
        print("  " + localize(_("{type}: {n} cells, flat range {flat:.0f} m, mean reach {reach:.0f} m", type=t,
                                n=v["cells"], flat=v["flat_range_m"], reach=v["mean_reach_m"])))
    if args.save:
        if args.update_radius:
            done = _("added layer {layer!r}, updated radius_m of {n} cells; saved {path}", layer=lyr.name,
                     n=out["updated_cells"], path=project.path)
        else:
            done = _("added layer {layer!r}; saved {path}", layer=lyr.name, path=project.path)
        print("  " + localize(done))
    return 0
