#!/usr/bin/env python3
"""Build the province-sized benchmark project: four benchmark cities side by side.

From the benchmark city (``../shared/bench/gen_city.py``: 1,000,000 buildings,
50,000 roads, 10,000 sensors in EPSG:4547) this writes a SmartGIS project with

* ``buildings`` — 4,000,000 polygons (the city's buildings, four times, each copy moved
  east by one city width plus 2 km), with a ``population`` field: floor area
  (footprint × floors) at 40 m² per person, rounded;
* ``roads`` — 200,000 lines (the four copies of the city's roads);
* 10,000 sensors (every fourth sensor of each copy, so they spread over the province
  as the same number of sensors would), brought in as design elements of the
  catalogue's sensor types (air quality, noise, street lights ...; the city's parking
  sensors become cameras), one design layer per type;

the buildings carry the role ``population`` (field ``population``), the roads the role
``roads``.  The layers are written by GDAL into a plain GeoPackage first and then
imported and saved as a project, as a user would.

Usage::

    .venv/bin/python benchmarks/make_province.py [--city benchmarks/data/city_bench.gpkg]
                                                 [--out benchmarks/data/province.gpkg]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyogrio
import shapely

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

COPIES = 4
GAP_M = 2000.0
PEOPLE_PER_M2 = 1 / 40.0
#: The city's sensor kinds and the catalogue's element types they become.
SENSOR_TYPES = {"air_quality": "air_quality", "noise": "noise_monitor", "parking": "camera",
                "streetlight": "street_light", "traffic_counter": "traffic_detector", "water_level": "water_level"}


def _read(city: Path, layer: str):
    meta, _fids, wkb, fields = pyogrio.raw.read(city, layer=layer, read_geometry=True)
    return meta, shapely.from_wkb(wkb), fields


def _copies(geoms, fields, dx: float, every: int = 1):
    out_g, out_f = [], [[] for _ in fields]
    for k in range(COPIES):
        sel = slice(k % every, None, every) if every > 1 else slice(None)
        g = geoms[sel]
        out_g.append(shapely.transform(g, lambda c, k=k: c + np.array([k * dx, 0.0])))
        for i, f in enumerate(fields):
            out_f[i].append(f[sel])
    return np.concatenate(out_g), [np.concatenate(f) for f in out_f]


def build_data(city: Path, data: Path) -> dict:
    """Write the province's layers into a plain GeoPackage; returns feature counts."""
    counts = {}
    info = pyogrio.read_info(city, layer="buildings")
    x0, _y0, x1, _y1 = info["total_bounds"]
    dx = (x1 - x0) + GAP_M
    for layer, every in (("buildings", 1), ("roads", 1), ("sensors", COPIES)):
        t = time.perf_counter()
        meta, geoms, fields = _read(city, layer)
        names = list(meta["fields"])
        geoms, fields = _copies(geoms, fields, dx, every)
        if layer == "buildings":
            floors = np.asarray(fields[names.index("floors")], dtype=float)
            people = np.round(shapely.area(geoms) * np.maximum(floors, 1) * PEOPLE_PER_M2).astype(np.int64)
            names.append("population")
            fields.append(people)
        if layer == "sensors":
            kinds = np.asarray(fields[names.index("stype")], dtype=object)
            for kind in SENSOR_TYPES:
                m = kinds == kind
                pyogrio.raw.write(data, shapely.to_wkb(geoms[m]), [f[m] for f in fields], names,
                                  layer=f"sensors_{kind}", driver="GPKG", geometry_type=meta["geometry_type"],
                                  crs=meta["crs"], append=True)
        else:
            pyogrio.raw.write(data, shapely.to_wkb(geoms), fields, names, layer=layer, driver="GPKG",
                              geometry_type=meta["geometry_type"], crs=meta["crs"], append=data.exists())
        counts[layer] = len(geoms)
        print(f"  {layer}: {len(geoms):,} features written in {time.perf_counter() - t:.1f} s", flush=True)
    return counts


def build_project(data: Path, out: Path) -> None:
    """Import the layers into a new SmartGIS project, give them their roles and save it."""
    import smartgis.session
    from smartgis.core.project import Project
    from smartgis.io import import_source
    from smartgis.project import save_project
    smartgis.session.start()
    t = time.perf_counter()
    p = Project("省域基准", "EPSG:4547")
    for layer in ("buildings", "roads"):
        import_source(p, data, source_layers=[layer])
    for kind, element_type in SENSOR_TYPES.items():
        import_source(p, data, source_layers=[f"sensors_{kind}"], as_="sensor", element_type=element_type)
    p.layer("buildings").set_role("population", population_field="population")
    p.layer("roads").set_role("roads")
    print(f"  imported in {time.perf_counter() - t:.1f} s", flush=True)
    t = time.perf_counter()
    save_project(p, out)
    print(f"  saved {out} ({out.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - t:.1f} s", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--city", type=Path, default=REPO / "benchmarks" / "data" / "city_bench.gpkg")
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks" / "data" / "province.gpkg")
    args = ap.parse_args()
    if not args.city.exists():
        print(f"{args.city} is missing: generate it with ../shared/bench/gen_city.py", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    print(f"province from {args.city} → {args.out}")
    with tempfile.TemporaryDirectory(dir=args.out.parent) as tmp:
        data = Path(tmp) / "province_layers.gpkg"
        build_data(args.city, data)
        build_project(data, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
