#!/usr/bin/env python3
"""Map rendering, side by side with the QGIS baseline.

The 1,000,000 buildings of the benchmark city (``../shared/bench/gen_city.py``), drawn
at 1920×1080, 96 dpi, with QGIS's bench style (fill 217,195,165, outline 110,95,75,
0.1 mm), antialiasing on.  Rows (QGIS 3.22 figures from ``../shared/bench/README.md``):

1. open the project to the first complete frame — in the map canvas, from opening the
   file to the ``render_finished`` signal;
2. resident memory with the million-building layer open (after its data is loaded and
   the canvas's loader has built what street-level views draw from);
3. full extent (71 × 40 km visible): QGIS 3.94 s;
4. a window 1/10 wide and high centred on (521600, 3382000), ~20,000 buildings:
   QGIS 0.105 s;
5. a window 1/100 wide (226 buildings): QGIS 0.003 s;
6. a pan step on the canvas until the moved map is on screen (cached image);
7. ``smartgis render --json`` in fresh processes (``render_s``: reading what the view
   needs from the file and drawing it), full extent and window 1/10.

Rows 3–5 are medians of ``--runs`` renders after one warm-up, with no image cache
(every render draws everything), timing the drawing only (``render_map``'s
``render_s``).  The benchmark GeoPackage is opened as a project (it is a plain
GeoPackage: its tables become layers read lazily, as for a saved project).

With ``--qgis`` the QGIS baseline (``../shared/bench/qgis_render_bench.py``, run by
Debian's ``/usr/bin/python3``) is measured in the same run, just before SmartGIS, and
the ratios use those figures (the machines are shared: compare within one run);
otherwise the README's QGIS figures are used.

Usage::

    .venv/bin/python benchmarks/bench_render.py [--gpkg benchmarks/data/city_bench.gpkg] [--runs 3] [--qgis]

PNGs of each view go to ``benchmarks/out/`` for a look.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HERE = Path(__file__).resolve().parent
QGIS = {"full": 3.94, "window_10": 0.105, "window_100": 0.003}
TARGET = {"first_frame": 3.0, "memory_gb": 1.5, "full": 0.4, "window_10": 0.02, "window_100": 0.0015, "pan": 0.016,
          "cli_full": 0.15, "cli_window_10": 0.035}
QGIS_BENCH = Path("/work/shared/bench/qgis_render_bench.py")


def qgis_medians(gpkg: str, layer: str, runs: int) -> dict:
    """The QGIS baseline measured now: median seconds per view (sequential job)."""
    import json
    import subprocess
    import tempfile
    script = HERE.parent.parent / "shared" / "bench" / "qgis_render_bench.py"
    script = script if script.exists() else QGIS_BENCH
    with tempfile.TemporaryDirectory() as tmp:
        r = subprocess.run(["/usr/bin/python3", str(script), "--gpkg", gpkg, "--layer", layer, "--runs", str(runs),
                            "--zoom", "1", "--zoom", "0.1", "--zoom", "0.01", "--jobs", "sequential", "--out", tmp],
                           capture_output=True, text=True, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    got = {}
    for line in r.stdout.splitlines():
        if line.startswith("{") and '"median_s"' in line:
            d = json.loads(line)
            got[{1.0: "full", 0.1: "window_10", 0.01: "window_100"}[d["zoom"]]] = d["median_s"]
    if len(got) != 3:
        print(f"  QGIS baseline failed ({r.returncode}): {r.stderr[-300:]}; using the README's figures",
              file=sys.stderr)
        return dict(QGIS)
    return got


def cli_render_s(gpkg: str, layer: str, extent, runs: int) -> list[float]:
    """``render_s`` of ``smartgis render --json`` in fresh processes."""
    import json
    import subprocess
    import tempfile
    env = dict(os.environ, PYTHONPATH=str(HERE.parent) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            cmd = [sys.executable, "-m", "smartgis", "render", gpkg, "-o", str(Path(tmp) / "m.png"), "--layers", layer,
                   "--json"]
            if extent is not None:
                cmd += ["--extent", ",".join(f"{v:.3f}" for v in extent)]
            r = subprocess.run(cmd, capture_output=True, text=True, env=env)
            if r.returncode != 0:
                raise SystemExit(f"smartgis render failed: {r.stderr[-400:]}")
            out.append(json.loads(r.stdout)["render_s"])
    return out
CENTRE = (521600.0, 3382000.0)
SIZE = (1920, 1080)


def rss_mb() -> float:
    """Current resident memory of this process (MB)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def bench_style():
    from smartgis.core.style import Symbol, VectorStyle
    return VectorStyle(symbol=Symbol(fill="#d9c3a5", stroke="#6e5f4b", stroke_width=0.1))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gpkg", default=str(HERE / "data" / "city_bench.gpkg"))
    ap.add_argument("--layer", default="buildings")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default=str(HERE / "out"))
    ap.add_argument("--qgis", action="store_true", help="measure the QGIS baseline in this run")
    args = ap.parse_args()
    if not Path(args.gpkg).exists():
        print(f"{args.gpkg} is missing: generate it with ../shared/bench/gen_city.py", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    qgis = qgis_medians(args.gpkg, args.layer, max(args.runs, 3)) if args.qgis else dict(QGIS)
    qgis_label = "QGIS now" if args.qgis else "QGIS 3.22"

    t_imp = time.perf_counter()
    from PySide6.QtWidgets import QApplication

    from smartgis.project import open_project
    from smartgis.render import render_map
    from smartgis.render.prepared import is_ready, peek
    from smartgis.ui.canvas import MapCanvas
    app = QApplication.instance() or QApplication([sys.argv[0]])
    import_s = time.perf_counter() - t_imp
    print(f"SmartGIS render benchmark — {args.gpkg}, {SIZE[0]}x{SIZE[1]}, {os.cpu_count()} cores "
          f"(imports {import_s:.2f} s)")
    rss0 = rss_mb()

    # 1. open the project to the first complete frame, in the canvas ---------------------
    canvas = MapCanvas()
    canvas.resize(*SIZE)
    canvas.show()
    app.processEvents()
    done = []
    canvas.render_finished.connect(lambda s, n: done.append((s, n)))
    t0 = time.perf_counter()
    project = open_project(args.gpkg, read_only=True)
    layer = project.layer(args.layer)
    for other in project.layers.values():
        if other is not layer:
            project.tree.node_for(other.id).visible = False
    layer.style = bench_style()
    open_s = time.perf_counter() - t0
    canvas.set_project(project)
    while not done:
        app.processEvents()
        time.sleep(0.001)
    first_frame = time.perf_counter() - t0
    canvas.grab().save(str(out / "render_first_frame.png"))
    print(f"  first frame: {first_frame:.2f} s = opening the file {open_s:.2f} s + drawing {first_frame - open_s:.2f} s ({done[0][1]:,} features drawn straight from "
          f"the file; the layer then loads in the background)")

    # 2. memory once the layer is in memory -----------------------------------------------
    t1 = time.perf_counter()
    while not is_ready(layer, project.crs):
        app.processEvents()
        time.sleep(0.01)
    load_s = time.perf_counter() - t1 + first_frame
    # then the loader builds what street-level views draw from (flat rings, chunk index)
    while not peek(layer, project.crs).kept("chunk_paths"):
        app.processEvents()
        time.sleep(0.01)
    street_s = time.perf_counter() - t1 + first_frame
    rss = rss_mb()
    print(f"  layer in memory {load_s:.2f} s after opening, ready for street level at {street_s:.2f} s; "
          f"resident memory {rss:,.0f} MB (of which {rss0:,.0f} MB before opening)")

    # 3-5. render_map ------------------------------------------------------------------------
    # the canvas redraws once the layer is in memory: the renders below do not share the
    # machine with it
    canvas.wait_for_render(60)
    ext = layer.extent
    w, h = ext[2] - ext[0], ext[3] - ext[1]
    views = {"full": ext}
    for name, f in (("window_10", 0.1), ("window_100", 0.01)):
        views[name] = (CENTRE[0] - w * f / 2, CENTRE[1] - h * f / 2, CENTRE[0] + w * f / 2, CENTRE[1] + h * f / 2)
    results = {}
    for name, extent in views.items():
        r = render_map(project, SIZE, extent=extent, layers=[layer.id])        # warm-up
        r.image.save(str(out / f"render_{name}.png"))
        times = [render_map(project, SIZE, extent=extent, layers=[layer.id]).render_s for _ in range(args.runs)]
        results[name] = (statistics.median(times), r.features_drawn, times)

    # 6. a pan step on the canvas ---------------------------------------------------------------
    canvas.set_extent(views["window_10"])
    canvas.wait_for_render(60)
    steps = []
    for k in range(20):
        t = time.perf_counter()
        canvas.pan_by(12 if k % 2 else -12, 7, render_delay=None)
        canvas.repaint()               # synchronous: returns when the moved map is painted
        steps.append(time.perf_counter() - t)
    pan_s = statistics.median(steps)
    canvas.grab().save(str(out / "render_pan.png"))
    # the canvas re-renders after the pans: let it finish and close it, so that no work
    # of this process competes with the fresh processes measured next
    canvas.wait_for_render(60)
    canvas.close()
    app.processEvents()

    # 7. smartgis render in fresh processes -------------------------------------------------------
    cli = {"cli_full": cli_render_s(args.gpkg, args.layer, None, args.runs),
           "cli_window_10": cli_render_s(args.gpkg, args.layer, views["window_10"], args.runs)}

    # report ------------------------------------------------------------------------------------
    print()
    print(f"{'view':<34}{'SmartGIS':>12}{qgis_label:>12}{'ratio':>9}{'target':>10}  verdict")

    def row(label, value, unit, qgis=None, target=None, fmt="{:.3f}"):
        v = fmt.format(value) + unit
        q = (fmt.format(qgis) + unit) if qgis else "—"
        ratio = f"{qgis / value:.1f}x" if qgis and value > 0 else ""
        t = (fmt.format(target) + unit) if target is not None else ""
        verdict = "" if target is None else ("meets" if value <= target else f"misses by {value / target:.1f}x")
        print(f"{label:<34}{v:>12}{q:>12}{ratio:>9}{t:>10}  {verdict}")

    row("open → first complete frame", first_frame, " s", None, TARGET["first_frame"], "{:.2f}")
    row("resident memory, 1M layer open", rss / 1024, " GB", None, TARGET["memory_gb"], "{:.2f}")
    n_full = results["full"][1]
    row(f"full extent ({n_full:,} features)", results["full"][0], " s", qgis["full"], TARGET["full"])
    row(f"window 1/10 ({results['window_10'][1]:,} features)", results["window_10"][0], " s",
        qgis["window_10"], TARGET["window_10"])
    row(f"window 1/100 ({results['window_100'][1]:,} features)", results["window_100"][0], " s",
        qgis["window_100"], TARGET["window_100"], "{:.4f}")
    row("pan step (moved map on screen)", pan_s, " s", None, TARGET["pan"], "{:.4f}")
    row("`render` fresh process, full", statistics.median(cli["cli_full"]), " s", qgis["full"], TARGET["cli_full"])
    row("`render` fresh process, 1/10", statistics.median(cli["cli_window_10"]), " s", qgis["window_10"],
        TARGET["cli_window_10"])
    print()
    for name, (_, _, times) in results.items():
        print(f"  {name}: runs {', '.join(f'{t:.3f}' for t in times)} s")
    for name, times in cli.items():
        print(f"  {name}: runs {', '.join(f'{t:.3f}' for t in times)} s")
    print(f"  pan steps: min {min(steps) * 1000:.1f} ms, max {max(steps) * 1000:.1f} ms")
    print(f"  images in {out}/render_*.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
