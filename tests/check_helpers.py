"""Projects for the standards-check tests, built from the real Prague quarter.

``bubenec.gpkg`` (momepy 0.11.0, BSD-3) holds 144 buildings, 35 streets and a
morphological tessellation in EPSG:3857.  The project uses UTM 33N (EPSG:32633), so
every layer is reprojected on the fly by the checks — as with surveyors' files.
"""

from __future__ import annotations

import numpy as np
import pyogrio
import shapely

from smartgis.core import AttributeTable, Field, Project, VectorLayer

PRAGUE_CRS = "EPSG:32633"


def read_layer(path, layer: str, name: str | None = None) -> VectorLayer:
    """A layer of a GeoPackage, read with GDAL (through pyogrio), in its own CRS."""
    meta, _fids, wkb, fields = pyogrio.raw.read(path, layer=layer, return_fids=True)
    geoms = shapely.from_wkb(wkb)
    names = list(meta["fields"])
    kinds = {"f": "float", "i": "int", "u": "int"}
    table = AttributeTable([Field(n, kinds.get(np.asarray(c).dtype.kind, "str")) for n, c in zip(names, fields)],
                           {n: np.asarray(c) for n, c in zip(names, fields)}, length=len(geoms))
    return VectorLayer(name or layer, geoms, table, crs=meta["crs"])


def prague_project(shared_data, with_population: bool = True) -> Project:
    """Roads, buildings (with people), study area and key public areas of the Prague quarter."""
    src = shared_data / "prague-urban" / "bubenec.gpkg"
    p = Project("布本内奇", PRAGUE_CRS)
    study = read_layer(src, "tessellation", "规划范围")
    p.add_layer(study)
    study.set_role("study_area")
    streets = read_layer(src, "streets", "道路")
    p.add_layer(streets)
    streets.set_role("roads")
    bld = read_layer(src, "buildings", "建筑")
    # people: four floors of 35 m² flats, areas measured in metres on the ground (UTM)
    from smartgis.crs import transform_geometries
    ground = shapely.area(transform_geometries(bld.geometries, bld.crs, PRAGUE_CRS))
    people = np.round(ground * 4 / 35.0).astype(np.int64)
    bld.add_field(Field("people", "int"), people)
    p.add_layer(bld)
    if with_population:
        bld.set_role("population", population_field="people")
    # key public areas: the street space (10 m either side of the centre lines) inside the quarter
    st = transform_geometries(streets.geometries, streets.crs, PRAGUE_CRS)
    area = shapely.intersection(shapely.union_all(shapely.buffer(st, 10.0)),
                                shapely.union_all(transform_geometries(study.geometries, study.crs, PRAGUE_CRS)))
    key = VectorLayer("重点公共区域", [area], crs=PRAGUE_CRS)
    p.add_layer(key)
    key.set_role("key_areas")
    return p


def study_area(project):
    from smartgis.analysis.context import CheckContext
    return CheckContext(project).study_area().geometry
