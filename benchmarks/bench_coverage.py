#!/usr/bin/env python3
"""Coverage engine and standards check, side by side with the QGIS baseline.

Rows (see ../shared/bench/README.md for QGIS's figures):

1. area covered by the 10,000 benchmark sensors at 300 m — QGIS ``native:buffer`` +
   dissolve: 0.84 s, 1455.8 km² (20-gon circles); the exact union of true circles is
   1466.87 km²;
2. walking-distance coverage of 1,000 facilities (every tenth sensor) at 500 m on the
   50,000-segment road network, road graph built from scratch;
3. a full ``smartgis check`` of the sample project (sample_projects/longquan_lake.gpkg;
   built with tools/build_samples.py into a temporary folder when it is missing).

Usage::

    .venv/bin/python benchmarks/bench_coverage.py [--gpkg benchmarks/data/city_bench.gpkg] [--runs 3]

Times are medians of ``--runs`` runs after one warm-up, in this process (data already
read), except the CLI row, which is the whole ``smartgis check`` process.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyogrio
import shapely

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from smartgis.geometry.circles import circle_polygons, union_area  # noqa: E402
from smartgis.analysis.footprint import Footprint  # noqa: E402
from smartgis.analysis.network import RoadNetwork  # noqa: E402
from smartgis.project import save_project  # noqa: E402

EXACT_KM2 = 1466.87
QGIS_BUFFER_S, QGIS_BUFFER_KM2 = 0.84, 1455.8


def median_time(fn, runs: int):
    fn()  # warm-up
    times, out = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def read_points(gpkg: Path, layer: str) -> np.ndarray:
    _, _, wkb, _ = pyogrio.raw.read(gpkg, layer=layer, read_geometry=True, columns=[])
    return shapely.from_wkb(wkb)


def row(work: str, qgis: str, ours: str, ratio: str = "") -> None:
    print(f"| {work} | {qgis} | {ours} | {ratio} |")


def sample_project() -> tuple[Path, str]:
    path = REPO / "sample_projects" / "longquan_lake.gpkg"
    if path.exists():
        return path, "sample_projects/longquan_lake.gpkg"
    out = Path(tempfile.mkdtemp(prefix="smartgis-bench-"))
    subprocess.run([sys.executable, str(REPO / "tools" / "build_samples.py"), "--out", str(out)], check=True)
    return out / "longquan_lake.gpkg", f"built for this run in {out} (sample_projects/ is missing)"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gpkg", default=str(REPO / "benchmarks" / "data" / "city_bench.gpkg"))
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    gpkg = Path(args.gpkg)
    if not gpkg.exists():
        print(f"{gpkg} is missing: python3 ../shared/bench/gen_city.py {gpkg}", file=sys.stderr)
        return 2

    print("| work | QGIS 3.22 | SmartGIS | QGIS / SmartGIS |")
    print("|---|---|---|---|")

    # 1. the sensors at 300 m ---------------------------------------------------------
    sensors = read_points(gpkg, "sensors")
    xy = shapely.get_coordinates(sensors)
    t_exact, area = median_time(lambda: union_area(xy, 300.0), args.runs)
    km2 = area / 1e6
    err = (km2 - EXACT_KM2) / EXACT_KM2 * 100
    row("area covered by 10,000 sensors at 300 m (exact union of true circles)",
        f"{QGIS_BUFFER_S:.2f} s, {QGIS_BUFFER_KM2} km² (−0.76 %)",
        f"**{t_exact:.3f} s**, {km2:.2f} km² ({err:+.4f} % vs {EXACT_KM2})", f"{QGIS_BUFFER_S / t_exact:.0f}×")
    # the same clipped to a study area (the bench city's extent): only border discs become polygons
    x0, y0, x1, y1 = shapely.total_bounds(sensors)
    study = shapely.box(x0 + 2000, y0 + 2000, x1 - 2000, y1 - 2000)
    fp = Footprint(circles=(xy, np.full(len(xy), 300.0)))
    t_clip, clipped = median_time(lambda: fp.area(study), args.runs)
    row("… clipped to a study area 2 km inside the extent", "—", f"{t_clip:.3f} s, {clipped / 1e6:.2f} km²")
    t_poly, poly = median_time(lambda: shapely.union_all(circle_polygons(xy, 300.0)), 1)
    row("… as one (multi)polygon for the map and the gaps (equal-area 32-gons)", "(the 0.84 s above)",
        f"{t_poly:.2f} s, {poly.area / 1e6:.2f} km² ({(poly.area / 1e6 - EXACT_KM2) / EXACT_KM2 * 100:+.4f} %)",
        f"{QGIS_BUFFER_S / t_poly:.1f}×")

    # the same through the command line: 10,000 design elements in a project file
    with tempfile.TemporaryDirectory() as tmp:
        from smartgis.core import Project, VectorLayer
        proj = Project("bench", "EPSG:4547")
        study_all = shapely.box(x0 - 1000, y0 - 1000, x1 + 1000, y1 + 1000)
        sa = VectorLayer("study area", [study_all], crs=proj.crs)
        proj.add_layer(sa)
        sa.set_role("study_area")
        proj.design.add_many("noise_monitor", sensors, radius_m=300.0)
        path = save_project(proj, Path(tmp) / "bench_sensors.gpkg")
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "smartgis", "coverage", str(path), "--type", "noise_monitor",
                               "--json"], capture_output=True, text=True, check=True)
        wall = time.perf_counter() - t0
        import json
        out = json.loads(proc.stdout)
    row("`smartgis coverage --type noise_monitor --json` on a project of 10,000 elements at 300 m",
        "2.05 s (`qgis_process`, whole process)",
        f"elapsed_s **{out['elapsed_s']:.3f} s**, {out['covered_area_m2'] / 1e6:.2f} km²; whole process {wall:.2f} s",
        f"{2.05 / wall:.1f}× (whole process)")

    # 2. walking distance ----------------------------------------------------------------
    roads = read_points(gpkg, "roads")
    facilities = sensors[::10][:1000]

    def walk():
        t0 = time.perf_counter()
        net = RoadNetwork(roads)
        t1 = time.perf_counter()
        f = net.catchment(facilities, 500.0)
        t2 = time.perf_counter()
        a = f.area()
        t3 = time.perf_counter()
        return net, a, (t1 - t0, t2 - t1, t3 - t2)

    t_walk, (net, walk_area, parts) = median_time(walk, args.runs)
    s = net.summary()
    row(f"walking-distance coverage, 1,000 facilities at 500 m on {len(roads):,} road lines "
        f"({s['nodes']:,} nodes, {s['edges']:,} edges, {s['gap_joins']} gaps joined)", "—",
        f"**{t_walk:.2f} s** (graph {parts[0]:.2f} s, Dijkstra + reach {parts[1]:.2f} s, area {parts[2]:.2f} s), "
        f"{walk_area / 1e6:.1f} km²", "target ≤ 2 s")

    # 3. the sample project ---------------------------------------------------------------
    path, origin = sample_project()
    from smartgis.analysis.check import run_check
    from smartgis.project import open_project
    project = open_project(path, read_only=True)

    def check():
        project_fresh = open_project(path, read_only=True)
        return run_check(project_fresh)

    t_check, result = median_time(check, args.runs)
    sm = result.summary
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / path.name
        copy.write_bytes(path.read_bytes())
        for extra in (path.parent / path.stem).glob("*"):
            (Path(tmp) / path.stem).mkdir(exist_ok=True)
            (Path(tmp) / path.stem / extra.name).write_bytes(extra.read_bytes())
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "smartgis", "check", str(copy), "--json"],
                              capture_output=True, text=True)
        t_cli = time.perf_counter() - t0
    row(f"full `smartgis check` of the sample project ({len(result.rules)} rules of {len(result.standards)} "
        f"standards; {sum(project.design.counts().values())} elements)", "—",
        f"**{t_check:.2f} s** in process (open + check), {t_cli:.2f} s whole CLI with saving (exit {proc.returncode}); "
        f"{sm['pass']} pass, {sm['fail']} fail, {sm['warn']} warn, {sm['na']} n/a", "target ≤ 5 s")
    print(f"\nsample project: {origin}")
    slow = sorted(result.rules, key=lambda r: -r.elapsed_s)[:5]
    print("slowest rules: " + ", ".join(f"{r.rule.id} {r.elapsed_s:.2f} s" for r in slow))
    return 0


if __name__ == "__main__":
    sys.exit(main())
