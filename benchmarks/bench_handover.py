#!/usr/bin/env python3
"""Hand-over deliverables on the sample district with 10,000 smart poles added:
a map sheet at 1:25,000 and at 1:2,000 (how poles are drawn, how many are thinned,
labels placed), the whole drawing set, the DXF (with its audit) and the equipment list.

    .venv/bin/python benchmarks/bench_handover.py [--out benchmarks/out/handover]

Prints one line per deliverable: seconds, and what was drawn or written.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(REPO / "benchmarks" / "out" / "handover"))
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from smartgis.project import open_project
    from smartgis.render.app import ensure_gui_app
    ensure_gui_app()
    src = REPO / "sample_projects" / "longquan_lake.gpkg"
    shutil.copy(src, out / src.name)
    shutil.copytree(src.parent / "longquan_lake", out / "longquan_lake", dirs_exist_ok=True)
    p = open_project(out / src.name)
    roads = p.layer("道路")
    before = p.design.counts().get("smart_pole", 0)
    t = time.perf_counter()
    p.design.place_along("smart_pole", roads.id, spacing=40, offset=8, both_sides=True)
    n_poles = p.design.counts()["smart_pole"]
    print(f"placed {n_poles - before:,} more poles ({n_poles:,} in all) in {time.perf_counter() - t:.2f} s")

    from smartgis.render.mapsheet import MapSheet
    for scale, extent in ((25000, None), (2000, (543700, 3370300, 544400, 3370800))):
        sheet = MapSheet(p, paper="A3", landscape=True, scale=scale, extent=extent, theme="video_surveillance")
        t = time.perf_counter()
        sheet.to_pdf(out / f"sheet_{scale}.pdf", dpi=300)
        dt = time.perf_counter() - t
        r = sheet.map_result
        plans = {k: f"{v.mode} {v.size_mm:.1f} mm" for k, v in r.point_plans.items()}
        print(f"sheet 1:{scale:,}: {dt:.2f} s, {r.features_drawn:,} symbols drawn, {plans}, "
              f"{len(r.label_boxes)} labels")
    from smartgis.render.sheetset import export_sheet_set
    t = time.perf_counter()
    sheets = export_sheet_set(p, out / "set.pdf", dpi=200)
    print(f"drawing set: {len(sheets) + 2} pages in {time.perf_counter() - t:.2f} s")
    from smartgis.io.dxf_export import export_dxf
    t = time.perf_counter()
    d = export_dxf(p, out / "design.dxf")
    print(f"DXF: {time.perf_counter() - t:.2f} s, {d['block_references']:,} blocks, {d['polylines']:,} polylines, "
          f"audit errors {d['audit_errors']}, {(out / 'design.dxf').stat().st_size / 1e6:.1f} MB")
    from smartgis.analysis.equipment import export_equipment_xlsx
    t = time.perf_counter()
    x = export_equipment_xlsx(p, out / "equipment.xlsx")
    print(f"equipment list: {time.perf_counter() - t:.2f} s, {x['rows']} rows, {x['elements']:,} elements, "
          f"sheets {x['sheets']}")


if __name__ == "__main__":
    main()
