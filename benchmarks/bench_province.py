#!/usr/bin/env python3
"""A province-sized project on one workstation: four benchmark cities side by side.

The project is built by ``make_province.py`` (4,000,000 buildings with a population
field and the role ``population``, 200,000 roads, 10,000 sensors; about 0.9 GB).
Rows, each against its target:

1. open → first frame: in the map canvas (1920×1080), from opening the file to the
   ``render_finished`` signal of the first complete frame;
2. resident memory with the project open, after the canvas has finished whatever it
   does in the background (loading or not loading layers) — and the longest gap of
   the window's event loop meanwhile (a 20 ms timer; target under 100 ms);
3. full extent render (all layers): ``render_map`` in this process (median of
   ``--runs`` after a warm-up) and ``smartgis render --json`` ``render_s`` in fresh
   processes (median);
4. ``smartgis check PROJECT --no-save --json`` with the 4M buildings as the population
   layer (whole process, median of ``--check-runs``);
5. ``smartgis info PROJECT --json`` with the project file dropped from the page cache
   before each run (``posix_fadvise(POSIX_FADV_DONTNEED)``; the Python installation
   stays cached, as on a workstation that has run SmartGIS before), and warm.

Usage::

    .venv/bin/python benchmarks/bench_province.py [--project benchmarks/data/province.gpkg] [--runs 3]
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

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

TARGET = {"first_frame": 3.0, "memory_gb": 2.0, "gap": 0.1, "full": 0.5, "check": 15.0, "info_cold": 1.0}
BASELINE = {"first_frame": None, "memory_gb": 0.84, "full": 1.43, "check": 55.0, "info_cold": 5.28}


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def drop_from_cache(path: Path) -> None:
    """Evict a file's pages from the page cache (clean pages of a file we only read)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def cli(*args, env=None) -> tuple[float, subprocess.CompletedProcess]:
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "smartgis", *args], capture_output=True, text=True, env=env)
    return time.perf_counter() - t, r


def canvas_rows(path: Path, runs: int) -> dict:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from smartgis.project import open_project
    from smartgis.render import render_map
    from smartgis.ui.canvas import MapCanvas
    app = QApplication.instance() or QApplication([sys.argv[0]])
    canvas = MapCanvas()
    canvas.resize(1920, 1080)
    canvas.show()
    app.processEvents()
    rss0 = rss_mb()
    done = []
    canvas.render_finished.connect(lambda s, n: done.append((s, n)))
    stamps = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: stamps.append(time.perf_counter()))
    t0 = time.perf_counter()
    project = open_project(path, read_only=True)
    open_s = time.perf_counter() - t0
    canvas.set_project(project)
    timer.start()
    while not done:
        app.processEvents()
        time.sleep(0.001)
    first = time.perf_counter() - t0
    # whatever the canvas does after the first frame (background loads), until it rests
    t1 = time.perf_counter()
    while (canvas._preloading and any(not lyr.loaded for lyr in project.layers.values())) \
            and time.perf_counter() - t1 < 120:
        app.processEvents()
        time.sleep(0.005)
    end = time.perf_counter() + 1.0
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.005)
    timer.stop()
    settle = time.perf_counter() - t1
    canvas.grab().save(str(HERE / "out" / "province_canvas.png"))   # after the gaps are counted: PNG encoding
    gaps = [b - a for a, b in zip(stamps, stamps[1:])]
    worst_at = (stamps[gaps.index(max(gaps))] - t0) if gaps else 0.0
    rss = rss_mb()
    r = render_map(project, (1920, 1080))
    r.image.save(str(HERE / "out" / "province_full.png"))
    times = [render_map(project, (1920, 1080)).render_s for _ in range(runs)]
    rss_after = rss_mb()
    loaded = sorted(lyr.name for lyr in project.layers.values() if getattr(lyr, "loaded", False))
    canvas.close()
    return {"open_s": open_s, "first_frame": first, "features_first": done[0][1], "rss_mb": rss,
            "rss_after_renders_mb": rss_after, "rss0_mb": rss0, "settle_s": settle,
            "gap_s": max(gaps) if gaps else 0.0, "gap_at": worst_at, "full_inproc": statistics.median(times), "full_runs": times,
            "full_features": r.features_drawn, "loaded": loaded}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--project", type=Path, default=HERE / "data" / "province.gpkg")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--check-runs", type=int, default=1)
    ap.add_argument("--skip-check", action="store_true")
    args = ap.parse_args()
    if not args.project.exists():
        print(f"{args.project} is missing: build it with benchmarks/make_province.py", file=sys.stderr)
        return 2
    (HERE / "out").mkdir(exist_ok=True)
    size_mb = args.project.stat().st_size / 1e6
    print(f"SmartGIS province benchmark — {args.project} ({size_mb:,.0f} MB), {os.cpu_count()} cores")
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))

    # 5. info, cold and warm (first: nothing of the file in this process's cache yet)
    cold, warm = [], []
    for _ in range(max(args.runs, 3)):
        drop_from_cache(args.project)
        s, r = cli("info", str(args.project), "--json", env=env)
        if r.returncode != 0:
            print(r.stderr, file=sys.stderr)
            return 1
        cold.append(s)
        warm.append(cli("info", str(args.project), "--json", env=env)[0])

    # 3b. render in fresh processes
    fresh, fresh_rss = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.runs):
            png = Path(tmp) / "full.png"
            s, r = cli("render", str(args.project), "-o", str(png), "--json", env=env)
            if r.returncode != 0:
                print(r.stderr, file=sys.stderr)
                return 1
            fresh.append(json.loads(r.stdout)["render_s"])

        # 4. check (on a copy: a check run is stored in the project otherwise)
        checks = []
        if not args.skip_check:
            copy = Path(tmp) / "province.gpkg"
            shutil.copyfile(args.project, copy)
            for _ in range(args.check_runs):
                s, r = cli("check", str(copy), "--no-save", "--json", env=env)
                if r.returncode not in (0, 1):
                    print(r.stderr, file=sys.stderr)
                    return 1
                checks.append(s)

    # 1-3a. the window
    c = canvas_rows(args.project, args.runs)

    print()
    print(f"{'work':<46}{'SmartGIS':>11}{'before':>10}{'target':>9}  verdict")

    def row(label, value, key, fmt="{:.2f}", unit=" s"):
        target = TARGET.get(key)
        before = BASELINE.get(key)
        verdict = "" if target is None else ("meets" if value <= target else f"misses by {value / target:.1f}x")
        b = (fmt.format(before) + unit) if before else "—"
        print(f"{label:<46}{fmt.format(value) + unit:>11}{b:>10}{fmt.format(target) + unit:>9}  {verdict}")

    row(f"open → first frame ({c['features_first']:,} features)", c["first_frame"], "first_frame")
    row("resident memory, project open", c["rss_mb"] / 1024, "memory_gb", unit=" GB")
    row("longest event-loop gap, open → rest", c["gap_s"], "gap", "{:.3f}")
    row(f"full extent, canvas process ({c['full_features']:,})", c["full_inproc"], "full", "{:.3f}")
    row("full extent, `smartgis render` render_s", statistics.median(fresh), "full", "{:.3f}")
    if checks:
        row("`smartgis check`, 4M-building population", statistics.median(checks), "check", "{:.1f}")
    row("`smartgis info`, file not in page cache", statistics.median(cold), "info_cold")
    print(f"{'`smartgis info`, file in page cache':<46}{statistics.median(warm):>9.2f} s")
    print()
    print(f"  opening the file {c['open_s']:.3f} s; background work after the first frame {c['settle_s']:.1f} s; "
          f"layers in memory: {', '.join(c['loaded']) or 'none'}")
    print(f"  the longest event-loop gap began {c['gap_at']:.2f} s after opening (first frame at "
          f"{c['first_frame']:.2f} s)")
    print(f"  memory before opening {c['rss0_mb']:,.0f} MB, after the full-extent renders "
          f"{c['rss_after_renders_mb']:,.0f} MB")
    print(f"  full extent in process: {', '.join(f'{t:.3f}' for t in c['full_runs'])} s; "
          f"fresh processes: {', '.join(f'{t:.3f}' for t in fresh)} s")
    if checks:
        print(f"  check runs: {', '.join(f'{t:.1f}' for t in checks)} s")
    print(f"  info cold: {', '.join(f'{t:.2f}' for t in cold)} s; warm: {', '.join(f'{t:.2f}' for t in warm)} s")
    print(f"  images in {HERE / 'out'}/province_*.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
