#!/usr/bin/env python3
"""What one edit of a large layer costs, and what the autosave's picture of it costs.

Layer data is frozen per version: an edit builds a new version, copying only what it
changes (one attribute column for a value, the geometry array for a geometry).  This
prints, for a layer of ``--rows`` points with a number and a text column, the median
milliseconds of: one value set (number, text), one geometry moved, one feature
appended / deleted, and ``frozen_copy`` (what the window's autosave takes on the GUI
thread before saving on a worker).

    .venv/bin/python benchmarks/bench_layer_edit.py [--rows 1000000] [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from smartgis.core import Project  # noqa: E402
from smartgis.core.fields import Field  # noqa: E402
from smartgis.core.layers import VectorLayer  # noqa: E402
from smartgis.core.table import AttributeTable  # noqa: E402
from smartgis.project.snapshot import frozen_copy  # noqa: E402


def median_ms(fn, runs: int) -> float:
    times = []
    for i in range(runs):
        t = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    n = args.rows
    rng = np.random.default_rng(1)
    geoms = shapely.points(rng.uniform(0, 1e5, n), rng.uniform(0, 1e5, n))
    table = AttributeTable([Field("height", "float"), Field("name", "str")],
                           {"height": rng.uniform(3, 90, n), "name": np.array([f"b{i}" for i in range(n)], dtype=object)})
    lyr = VectorLayer("buildings", geoms, table, crs="EPSG:4547")
    lyr.bounds  # the bounds cache is warm in a drawn layer
    project = Project("bench", "EPSG:4547")
    project.add_layer(lyr)
    figures = {
        "set_value (number)": median_ms(lambda i: lyr.set_value(i, "height", 10.0 + i), args.runs),
        "set_value (text)": median_ms(lambda i: lyr.set_value(i, "name", f"x{i}"), args.runs),
        "set_geometry": median_ms(lambda i: lyr.set_geometry(i, shapely.Point(i, i)), args.runs),
        "append 1 feature": median_ms(lambda i: lyr.append([shapely.Point(i, 1)]), args.runs),
        "delete 1 feature": median_ms(lambda i: lyr.delete([i]), args.runs),
        "frozen_copy (autosave picture)": median_ms(lambda i: frozen_copy(project), args.runs),
    }
    print(f"layer of {n:,} points, 2 attribute columns, median of {args.runs} runs")
    for name, ms in figures.items():
        print(f"  {name:32s} {ms:9.2f} ms")


if __name__ == "__main__":
    main()
