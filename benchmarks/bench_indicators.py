"""Time of scoring a project against each shipped indicator system (现状 and every phase).

    python benchmarks/bench_indicators.py [PROJECT.gpkg]

Prints, per system, the number of indicators (derived ones in brackets), stages, and the
seconds taken by the scoring (the project's data read beforehand).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from smartgis.analysis.standards import Library
from smartgis.indicators import assess, builtin_systems
from smartgis.project import open_project

REPO = Path(__file__).resolve().parent.parent


def main(argv) -> int:
    path = Path(argv[1]) if len(argv) > 1 else REPO / "sample_projects" / "longquan_lake.gpkg"
    project = open_project(path)
    lib = Library.load()
    for lyr in project.layers.values():   # read the data before the clock starts
        getattr(lyr, "geometries", None)
    print(f"project: {path.name}")
    for sid, system in builtin_systems().items():
        t0 = time.perf_counter()
        a = assess(project, system, library=lib)
        dt = time.perf_counter() - t0
        derived = sum(1 for i in system.indicators if i.derived)
        print(f"{sid:<15} {len(system.indicators):>3} indicators ({derived} derived) × {len(a.stages)} stages: "
              f"{dt:6.2f} s   totals " + " → ".join(f"{s} {a.score(s):.2f}" for s in a.stages))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
