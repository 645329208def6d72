#!/usr/bin/env python3
"""``smartgis info`` on a project holding the 1,000,000-building layer.

Usage::

    .venv/bin/python benchmarks/bench_info.py [--data benchmarks/data/city_bench.gpkg] [--runs 5]

Builds (once, in ``benchmarks/out/info_city.gpkg``) a project with the buildings,
roads and sensors of the benchmark city imported, then runs ``smartgis info PROJECT
--json`` in fresh processes and prints the median wall time (interpreter start-up
included, as a user sees it), the time spent opening the project in-process
(integrity check and metadata, no feature data), and the peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LAUNCHER = r"""
import json, resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({"seconds": time.perf_counter() - t, "rc": r.returncode, "stderr": r.stderr[-400:],
                  "out": json.loads(r.stdout) if r.returncode == 0 else None,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def build(data: Path, out: Path) -> None:
    from smartgis.core.project import Project
    from smartgis.project import save_project
    from smartgis.io import import_source
    p = Project("基准城市", "EPSG:4547")
    for layer in ("buildings", "roads", "sensors"):
        import_source(p, data, source_layers=[layer])
    save_project(p, out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "benchmarks" / "data" / "city_bench.gpkg")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    if not args.data.exists():
        raise SystemExit(f"{args.data}: not found; generate it with python3 ../shared/bench/gen_city.py {args.data}")
    out = ROOT / "benchmarks" / "out" / "info_city.gpkg"
    out.parent.mkdir(parents=True, exist_ok=True)
    if not out.exists():
        t = time.perf_counter()
        build(args.data, out)
        print(f"built {out} ({out.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s")

    from smartgis.project import open_project
    opens = []
    for _ in range(args.runs):
        t = time.perf_counter()
        open_project(out, read_only=True)
        opens.append(time.perf_counter() - t)

    walls, rsses = [], []
    info = None
    for _ in range(args.runs):
        # A small launcher process runs the command, so the peak RSS reported for its
        # child is smartgis's own and not inflated by this process's memory at fork.
        r = subprocess.run([sys.executable, "-c", LAUNCHER, sys.executable, "-m", "smartgis", "info", str(out),
                            "--json"], capture_output=True, text=True, check=True)
        m = json.loads(r.stdout.strip().splitlines()[-1])
        if m["rc"] != 0:
            raise SystemExit(f"smartgis info failed: {m['stderr']}")
        walls.append(m["seconds"])
        rsses.append(m["peak_rss_mb"])
        info = m["out"]
    counts = {lyr["name"]: lyr["feature_count"] for lyr in info["layers"]}
    print(f"project: {out.name}, {out.stat().st_size / 1e6:.0f} MB, layers {counts}")
    print(f"smartgis info --json (whole process, median of {args.runs}): {statistics.median(walls):.3f} s "
          f"(min {min(walls):.3f}, max {max(walls):.3f})")
    print(f"open_project in-process (integrity check + metadata): {statistics.median(opens):.3f} s")
    print(f"peak resident memory of smartgis info: {max(rsses):.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
