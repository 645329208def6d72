#!/usr/bin/env python3
"""Import the 1,000,000-building layer into a new project, beside ``ogr2ogr -f GPKG``.

Usage::

    .venv/bin/python benchmarks/bench_import.py [--data benchmarks/data/city_bench.gpkg] [--runs 1]

Three measurements on the same machine, each in its own process so peak memory is
the process's own:

* ``ogr2ogr -f GPKG out.gpkg city_bench.gpkg buildings`` (GDAL's command line);
* ``smartgis new`` + ``smartgis import PROJECT city_bench.gpkg --source-layer buildings``
  (the import command, which also saves the project atomically);
* the Python API: ``import_source`` + ``Project.save``.

Prints the times, the ratio SmartGIS / ogr2ogr and SmartGIS's peak RSS.  Target: at
most half ogr2ogr's time, peak memory under 2 GB.  Regenerate the data with
``python3 ../shared/bench/gen_city.py benchmarks/data/city_bench.gpkg``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: SmartGIS's import (command line, saved) against ogr2ogr's time.
TARGET_RATIO = 0.5

API_SNIPPET = r"""
import json, resource, sys, time
from smartgis.core.project import Project
from smartgis.project import save_project
from smartgis.io import import_source
t = time.perf_counter()
p = Project("bench", "EPSG:4547")
rep = import_source(p, sys.argv[1], source_layers=["buildings"])
save_project(p, sys.argv[2])
dt = time.perf_counter() - t
print(json.dumps({"seconds": dt, "features": rep.features_written,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

RSS_SNIPPET = r"""
import resource, subprocess, sys, time, json
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], capture_output=True, text=True)
dt = time.perf_counter() - t
print(json.dumps({"seconds": dt, "rc": r.returncode, "stderr": r.stderr[-400:],
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def timed(cmd: list[str]) -> dict:
    """Run a command in a fresh process; its wall time and peak RSS."""
    out = subprocess.run([sys.executable, "-c", RSS_SNIPPET, *cmd], capture_output=True, text=True, check=True)
    res = json.loads(out.stdout)
    if res["rc"] != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {res['stderr']}")
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(ROOT / "benchmarks" / "data" / "city_bench.gpkg"))
    ap.add_argument("--runs", type=int, default=1, help="runs of each (the best is kept)")
    args = ap.parse_args()
    data = Path(args.data)
    if not data.exists():
        print(f"{data} is missing; generate it with: python3 ../shared/bench/gen_city.py {data}", file=sys.stderr)
        return 1
    ogr2ogr = shutil.which("ogr2ogr") or "/usr/bin/ogr2ogr"
    smartgis = str(Path(sys.executable).with_name("smartgis"))
    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    results: dict[str, list[dict]] = {"ogr2ogr": [], "cli": [], "api": []}
    try:
        for _ in range(args.runs):
            out = work / "ogr.gpkg"
            out.unlink(missing_ok=True)
            results["ogr2ogr"].append(timed([ogr2ogr, "-f", "GPKG", str(out), str(data), "buildings"]))
            proj = work / "cli.gpkg"
            for f in work.glob("cli.gpkg*"):
                f.unlink()
            t = time.perf_counter()
            subprocess.run([smartgis, "new", str(proj), "--crs", "EPSG:4547"], check=True, capture_output=True)
            new_s = time.perf_counter() - t
            r = timed([smartgis, "import", str(proj), str(data), "--source-layer", "buildings", "--json"])
            r["seconds_with_new"] = r["seconds"] + new_s
            results["cli"].append(r)
            api_out = work / "api.gpkg"
            for f in work.glob("api.gpkg*"):
                f.unlink()
            o = subprocess.run([sys.executable, "-c", API_SNIPPET, str(data), str(api_out)], capture_output=True,
                               text=True, check=True)
            results["api"].append(json.loads(o.stdout.strip().splitlines()[-1]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    best = {k: min(v, key=lambda r: r["seconds"]) for k, v in results.items()}
    ogr = best["ogr2ogr"]["seconds"]
    print(f"Import of the 1,000,000-building layer ({data.name}, {os.cpu_count()} CPUs), best of {args.runs}:")
    print(f"{'':32}{'seconds':>9}{'ratio':>8}{'peak RSS':>11}")
    print(f"{'ogr2ogr -f GPKG (GDAL)':32}{ogr:9.2f}{1.0:8.2f}{best['ogr2ogr']['peak_rss_mb']:9.0f} MB")
    cli = best["cli"]
    print(f"{'smartgis import (CLI, saved)':32}{cli['seconds']:9.2f}{cli['seconds'] / ogr:8.2f}"
          f"{cli['peak_rss_mb']:9.0f} MB")
    api = best["api"]
    print(f"{'import_source + save (API)':32}{api['seconds']:9.2f}{api['seconds'] / ogr:8.2f}"
          f"{api['peak_rss_mb']:9.0f} MB")
    ok = cli["seconds"] <= TARGET_RATIO * ogr and max(cli["peak_rss_mb"], api["peak_rss_mb"]) < 2048
    print(f"target (at most {TARGET_RATIO:g} x ogr2ogr's time, peak < 2 GB): {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
