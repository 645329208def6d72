#!/usr/bin/env python3
"""Batch layout speed: smart poles along the benchmark city's roads, through the
Python API and through ``smartgis place``, and the time of one undo of the batch.

Target (issue 5): 10,000 poles in under 2 s, API and CLI (the CLI figure without the
interpreter's start-up).  Also prints the figures for every road of the city
(~1M poles) to show how it scales.

    .venv/bin/python benchmarks/bench_place.py [--data benchmarks/data/city_bench.gpkg] [--runs 3]

The roads come from benchmarks/data/city_bench.gpkg (regenerate it with
../shared/bench/gen_city.py).  Projects are written to benchmarks/out/.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyogrio
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from smartgis.project import open_project, save_project  # noqa: E402
from smartgis.core import AttributeTable, Field, Project, VectorLayer  # noqa: E402

CENTRE = (521600.0, 3382000.0)
SPACING, OFFSET = 35.0, 8.0


def read_roads(path: Path):
    _, _, wkb, fields = pyogrio.raw.read(path, layer="roads")
    geoms = shapely.from_wkb(wkb)
    return geoms, fields


def roads_project(geoms, fields, out: Path, name: str) -> Path:
    """A project file with one 'roads' layer (role roads), as a designer would have."""
    p = Project(name, "EPSG:4547")
    t = AttributeTable([Field("rid", "int"), Field("class", "str"), Field("lanes", "int"), Field("speed_kmh", "int")],
                       {"rid": fields[0], "class": fields[1], "lanes": fields[2], "speed_kmh": fields[3]})
    lyr = VectorLayer("roads", geoms, t, crs="EPSG:4547", role="roads")
    p.add_layer(lyr)
    if out.exists():
        out.unlink()
    return save_project(p, out)


def nearest_roads_for(geoms, n_poles: int) -> np.ndarray:
    """Indices of the fewest roads nearest the city centre that take ``n_poles`` poles
    (poles that would stand in a crossing street are left out, so count for real)."""
    from smartgis.geometry.placement import points_along
    c = shapely.centroid(geoms)
    d = np.hypot(shapely.get_x(c) - CENTRE[0], shapely.get_y(c) - CENTRE[1])
    order = np.argsort(d)
    lo, hi = 1, len(order)
    while lo < hi:
        k = (lo + hi) // 2
        if len(points_along(geoms[order[:k]], SPACING, OFFSET, both_sides=True)) >= n_poles:
            hi = k
        else:
            lo = k + 1
    return np.sort(order[:lo])


def bench_api(path: Path, runs: int) -> dict:
    p = open_project(path)
    t0 = time.perf_counter()
    _ = p.layer("roads").geometries  # the lazy load from the project file, timed apart
    load = time.perf_counter() - t0
    place, undo, redo, n = [], [], [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        uids = p.design.place_along("smart_pole", "roads", spacing=SPACING, offset=OFFSET, both_sides=True)
        place.append(time.perf_counter() - t0)
        n = len(uids)
        t0 = time.perf_counter()
        p.stack.undo()
        undo.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        p.stack.redo()
        redo.append(time.perf_counter() - t0)
        p.stack.undo()
    return {"poles": n, "load_s": load, "place_s": statistics.median(place), "undo_s": statistics.median(undo),
            "redo_s": statistics.median(redo)}


def bench_cli(path: Path, runs: int) -> dict:
    exe = [sys.executable, "-m", "smartgis"]
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    startup = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([*exe, "--version"], check=True, capture_output=True, env=env)
        startup.append(time.perf_counter() - t0)
    wall, own, place, save, n = [], [], [], [], 0
    work = path.with_name(path.stem + "-cli.gpkg")
    for _ in range(runs):
        shutil.copyfile(path, work)
        t0 = time.perf_counter()
        r = subprocess.run([*exe, "place", str(work), "--type", "smart_pole", "--along", "roads",
                            "--spacing", str(SPACING), "--offset", str(OFFSET), "--both-sides", "--json"],
                           capture_output=True, text=True, env=env)
        wall.append(time.perf_counter() - t0)
        if r.returncode != 0:
            raise SystemExit(f"smartgis place failed: {r.stderr}")
        out = json.loads(r.stdout)
        n = out["added"]
        own.append(out["seconds"]["total"])
        place.append(out["seconds"]["place"])
        save.append(out["seconds"]["save"])
    for f in work.parent.glob(work.name + "*"):
        f.unlink()
    return {"poles": n, "wall_s": statistics.median(wall), "startup_s": statistics.median(startup),
            "command_s": statistics.median(own), "place_s": statistics.median(place), "save_s": statistics.median(save)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(ROOT / "benchmarks" / "data" / "city_bench.gpkg"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--poles", type=int, default=10_000)
    ap.add_argument("--skip-city", action="store_true", help="leave out the whole-city (~1M poles) figures")
    args = ap.parse_args()
    data = Path(args.data)
    if not data.exists():
        raise SystemExit(f"{data}: not found; run ../shared/bench/gen_city.py {data}")
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    geoms, fields = read_roads(data)
    sel = nearest_roads_for(geoms, args.poles)
    district = roads_project(geoms[sel], [f[sel] for f in fields], out / "place_district.gpkg", "placement district")
    print(f"district: {len(sel):,} roads nearest ({CENTRE[0]:.0f}, {CENTRE[1]:.0f}), "
          f"{shapely.length(geoms[sel]).sum() / 1000:.1f} km; spacing {SPACING:g} m, offset {OFFSET:g} m, both sides")
    rows = []
    api = bench_api(district, args.runs)
    cli = bench_cli(district, args.runs)
    rows.append(("district", api, cli))
    if not args.skip_city:
        city = roads_project(geoms, fields, out / "place_city.gpkg", "placement city")
        rows.append(("whole city", bench_api(city, max(1, args.runs - 1)), bench_cli(city, 1)))
    print()
    print(f"{'roads':<11} {'poles':>9} | {'API place':>9} {'undo':>8} {'redo':>8} | {'CLI wall':>8} "
          f"{'start-up':>8} {'w/o start':>9} {'command':>8} {'place':>6} {'save':>6}")
    for name, a, c in rows:
        print(f"{name:<11} {a['poles']:>9,} | {a['place_s']:>8.3f}s {a['undo_s']:>7.4f}s {a['redo_s']:>7.4f}s | "
              f"{c['wall_s']:>7.2f}s {c['startup_s']:>7.2f}s {c['wall_s'] - c['startup_s']:>8.2f}s "
              f"{c['command_s']:>7.2f}s {c['place_s']:>5.2f}s {c['save_s']:>5.2f}s")
    a, c = rows[0][1], rows[0][2]
    print()
    print(f"target: {args.poles:,} poles in under 2 s — API {a['place_s']:.3f} s, "
          f"CLI {c['wall_s'] - c['startup_s']:.2f} s without start-up ({c['wall_s']:.2f} s with), "
          f"one undo of the batch {a['undo_s'] * 1000:.2f} ms")
    print("columns: 'w/o start' = CLI wall time minus 'smartgis --version' (interpreter + imports); 'command' = "
          "the command's own time from open to saved file, as it reports in --json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
