#!/usr/bin/env python3
"""Import the 1,000,000-building layer into a new project, beside ``ogr2ogr -f GPKG``.

Usage::

    .venv/bin/python benchmarks/bench_import.py [--data benchmarks/data/city_bench.gpkg] [--runs 3]

Three measurements on the same machine, each in its own process so peak memory is
the process's own:

* ``ogr2ogr -f GPKG out.gpkg city_bench.gpkg buildings`` (GDAL's command line);
* ``smartgis new`` + ``smartgis import PROJECT city_bench.gpkg --source-layer buildings``
  (the import command, which also saves the project atomically);
* the Python API: ``import_source`` + ``Project.save``.

The three run in turn, ``--runs`` times.  Prints the median times (and every run's),
the ratio SmartGIS / ogr2ogr of the medians, SmartGIS's peak RSS and where the API's
time goes (reading and staging the source, saving the project).  Target: at most half
ogr2ogr's time, peak memory under 2 GB.  The code measured is the one ``smartgis``
imports (``PYTHONPATH=.`` for a working copy).  On a shared machine the medians of a few runs
(and the ratio of the same run) are what to compare, not a single time.  Regenerate the data with
``python3 ../shared/bench/gen_city.py benchmarks/data/city_bench.gpkg``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
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
t1 = time.perf_counter()
save_project(p, sys.argv[2])
dt = time.perf_counter() - t
print(json.dumps({"seconds": dt, "import_s": t1 - t, "save_s": dt - (t1 - t), "features": rep.features_written,
                  "cpu_s": time.process_time(),
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
    ap.add_argument("--runs", type=int, default=3, help="runs of each (medians are compared)")
    args = ap.parse_args()
    data = Path(args.data).resolve()   # the API step runs in a scratch folder
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
            # run in the scratch folder: `python -c` puts the current folder first on the
            # path, and the API must measure the same code as the command (PYTHONPATH's)
            o = subprocess.run([sys.executable, "-c", API_SNIPPET, str(data), str(api_out)], capture_output=True,
                               text=True, check=True, cwd=work)
            results["api"].append(json.loads(o.stdout.strip().splitlines()[-1]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    med = {k: {f: statistics.median(r[f] for r in v) for f in v[0] if isinstance(v[0][f], (int, float))}
           for k, v in results.items()}
    ogr = med["ogr2ogr"]["seconds"]
    print(f"Import of the 1,000,000-building layer ({data.name}, {os.cpu_count()} CPUs), "
          f"median of {args.runs} run(s), load average {os.getloadavg()[0]:.1f}:")
    print(f"{'':32}{'seconds':>9}{'ratio':>8}{'peak RSS':>11}   runs")
    for key, label in (("ogr2ogr", "ogr2ogr -f GPKG (GDAL)"), ("cli", "smartgis import (CLI, saved)"),
                       ("api", "import_source + save (API)")):
        m = med[key]
        runs = " ".join(f"{r['seconds']:.2f}" for r in results[key])
        print(f"{label:32}{m['seconds']:9.2f}{m['seconds'] / ogr:8.2f}{m['peak_rss_mb']:9.0f} MB   {runs}")
    ratios = [c["seconds"] / o["seconds"] for c, o in zip(results["cli"], results["ogr2ogr"])]
    print(f"CLI / ogr2ogr of each run: {' '.join(f'{r:.2f}' for r in ratios)}")
    api = med["api"]
    print(f"where the API's time goes: reading, checking and staging {api['import_s']:.2f} s, saving the project "
          f"(copy, R-tree, fsync) {api['save_s']:.2f} s; CPU {api['cpu_s']:.2f} s")
    cli = med["cli"]
    ok = cli["seconds"] <= TARGET_RATIO * ogr and max(cli["peak_rss_mb"], api["peak_rss_mb"]) < 2048
    print(f"target (at most {TARGET_RATIO:g} x ogr2ogr's time, peak < 2 GB): {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
