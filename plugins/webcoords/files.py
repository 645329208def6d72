"""Reading, writing and converting vector files whose coordinates are GCJ-02 or BD-09.

Web-map data (points picked on Amap or Baidu, POIs from their APIs, tracks from phone
apps) arrive as GeoJSON, CSV, KML or shapefiles in longitude/latitude whose numbers
are GCJ-02 or BD-09 although the file says WGS84 (or nothing).  These functions read
such a file through GDAL (pyogrio), move every vertex to WGS84/CGCS2000 with the
vectorised formulas of :mod:`.transform`, and either write a corrected file or add a
layer to a project; the export does the reverse.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import shapely

from smartgis.plugins.api import (
    AttributeTable,
    Field,
    SourceError,
    UsageError,
    VectorLayer,
    _,
    join,
    parse_crs,
    report,
    transform_geometries,
)

from .transform import SYSTEMS, convert, in_china

_KINDS = {"i": "int", "u": "int", "f": "float", "b": "bool"}
#: GDAL drivers by extension, where GDAL would otherwise ask (.kml has two drivers).
DRIVERS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".kml": "KML", ".csv": "CSV", ".gpkg": "GPKG",
           ".shp": "ESRI Shapefile", ".gml": "GML", ".gpx": "GPX"}
_MULTI = {"Point": shapely.multipoints, "LineString": shapely.multilinestrings, "Polygon": shapely.multipolygons}


def uniform_type(geoms: np.ndarray) -> tuple[np.ndarray, str]:
    """Geometries of one type: a mix of X and MultiX becomes all MultiX (GeoPackage wants one type)."""
    present = ~shapely.is_missing(geoms)
    types = sorted({g.geom_type for g in geoms[present]}) if present.any() else []
    if len(types) == 1:
        return geoms, types[0]
    bases = {t.replace("Multi", "") for t in types}
    if len(bases) != 1 or next(iter(bases)) not in _MULTI:
        return geoms, "Unknown"
    base = next(iter(bases))
    parts, index = shapely.get_parts(geoms[present], return_index=True)
    out = geoms.copy()
    out[present] = _MULTI[base](parts, indices=index)
    return out, "Multi" + base


def _check_system(name: str) -> str:
    key = (name or "").lower().replace("-", "")
    if key not in SYSTEMS:
        raise UsageError(_("unknown coordinate system {name!r} (use {systems})", name=name, systems=join(SYSTEMS)))
    return key


def convert_geometries(geoms: np.ndarray, source: str, target: str) -> np.ndarray:
    """Every vertex of ``geoms`` (lon/lat) from ``source`` to ``target`` in one vectorised pass."""
    source, target = _check_system(source), _check_system(target)
    geoms = np.asarray(geoms, dtype=object)
    if SYSTEMS[source] is SYSTEMS[target] or not len(geoms):
        return geoms

    def move(coords: np.ndarray) -> np.ndarray:
        lon, lat = convert(coords[:, 0], coords[:, 1], source, target)
        return np.column_stack([lon, lat])

    return shapely.transform(geoms, move)


def _lonlat_crs(path: Path, meta: dict) -> None:
    """Refuse files that are not in longitude/latitude (the offsets are defined on lon/lat)."""
    crs = meta.get("crs")
    if not crs:
        return
    try:
        parsed = parse_crs(crs)
    except Exception:
        return
    if not parsed.is_geographic:
        raise SourceError(_("is in {crs} (projected); GCJ-02/BD-09 data are longitudes and latitudes — "
                            "convert the original web-map coordinates, not a projected copy", crs=parsed.name), path)


def read_file(path, system: str, layer: str | None = None, progress=None) -> dict:
    """Read a vector file in ``system`` coordinates; geometries come back in WGS84 lon/lat.

    Returns
    -------
    dict
        ``geometries`` (WGS84), ``fields`` (list of Field), ``columns`` (dict of arrays),
        ``geometry_type``, ``count``, ``outside_china`` (vertices left unshifted),
        ``layer``.
    """
    import pyogrio
    import pyogrio.raw
    system = _check_system(system)
    path = Path(path)
    if not path.exists():
        raise SourceError(_("no such file"), path)
    report(progress, 0, 3, _("reading"))
    try:
        meta, _fids, wkb, field_data = pyogrio.raw.read(str(path), layer=layer, datetime_as_string=True)
    except Exception as exc:  # GDAL's errors, as one line naming the file
        raise SourceError(_("cannot be read as vector data ({error})", error=str(exc).splitlines()[0]),
                          path) from None
    _lonlat_crs(path, meta)
    geoms = shapely.from_wkb(wkb) if wkb is not None else np.empty(0, dtype=object)
    valid = ~shapely.is_missing(geoms)
    if valid.any():
        xmin, ymin, xmax, ymax = shapely.total_bounds(geoms[valid])
        if xmin < -180 or xmax > 180 or ymin < -90 or ymax > 90:
            raise SourceError(_("coordinates ({xmin:.1f}, {ymin:.1f}) … ({xmax:.1f}, {ymax:.1f}) are not "
                                "longitudes/latitudes", xmin=xmin, ymin=ymin, xmax=xmax, ymax=ymax), path)
    report(progress, 1, 3, _("converting"))
    coords = shapely.get_coordinates(geoms[valid])
    outside = int((~in_china(coords[:, 0], coords[:, 1])).sum()) if len(coords) else 0
    out = geoms.copy()
    out[valid] = convert_geometries(geoms[valid], system, "wgs84")
    fields, columns = [], {}
    for name, dtype, values in zip(meta["fields"], meta["dtypes"], field_data):
        kind = _KINDS.get(np.dtype(dtype).kind, "str")
        fields.append(Field(str(name), kind))
        columns[str(name)] = values if kind != "str" else np.array(
            [None if v is None else str(v) for v in values], dtype=object)
    report(progress, 3, 3, _("read"))
    return {"geometries": out, "fields": fields, "columns": columns, "geometry_type": meta.get("geometry_type"),
            "count": len(out), "outside_china": outside, "layer": layer or path.stem}


def write_file(path, geometries, fields, columns, system: str, driver: str | None = None,
               layer: str | None = None) -> Path:
    """Write WGS84 lon/lat geometries to ``path`` with coordinates in ``system``."""
    import pyogrio.raw
    system = _check_system(system)
    path = Path(path)
    geoms = np.asarray(geometries, dtype=object)
    moved, gtype = uniform_type(convert_geometries(geoms, "wgs84", system))
    driver = driver or DRIVERS.get(path.suffix.lower())
    options = {"GEOMETRY": "AS_WKT"} if driver == "CSV" else None
    data, names = [], []
    for f in fields:
        col = np.asarray(columns[f.name])
        if col.dtype == object:
            col = np.array(["" if v is None else str(v) for v in col], dtype=object)
        data.append(col)
        names.append(f.name)
    if path.exists():
        path.unlink()  # GDAL drivers refuse to overwrite some formats
    # GCJ-02/BD-09 have no EPSG code; the file says "lon/lat" and the format is in its name.
    crs = "EPSG:4490" if system == "cgcs2000" else "EPSG:4326"
    try:
        pyogrio.raw.write(str(path), shapely.to_wkb(moved), data, names, driver=driver, geometry_type=gtype,
                          crs=crs, encoding="UTF-8", layer=layer, layer_options=options)
    except Exception as exc:
        raise SourceError(_("cannot be written ({error})", error=str(exc).splitlines()[0]), path) from None
    return path


def convert_file(src, dst, source: str, target: str, layer: str | None = None, driver: str | None = None,
                 progress=None) -> dict:
    """Convert a vector file's coordinates from ``source`` to ``target`` (both lon/lat)."""
    data = read_file(src, source, layer=layer, progress=progress)
    write_file(dst, data["geometries"], data["fields"], data["columns"], target, driver=driver, layer=layer)
    return {"source": os.fspath(src), "output": os.fspath(dst), "from": source, "to": target,
            "features": data["count"], "outside_china_vertices": data["outside_china"]}


def import_source(project, path, progress=None, system: str = "gcj02", name: str | None = None,
                  layer: str | None = None, **_options) -> dict:
    """Importer: add a GCJ-02/BD-09 file to ``project`` as a layer in the project CRS.

    Follows the import contract ``import_source(project, path, progress=None, **options)``
    (all or nothing: the project is changed only when the whole file was read).
    """
    data = read_file(path, system, layer=layer, progress=progress)
    geoms, gtype = uniform_type(transform_geometries(data["geometries"], "EPSG:4326", project.crs))
    table = AttributeTable(data["fields"], data["columns"], length=len(geoms))
    lyr = VectorLayer(name or data["layer"], geoms, table, crs=project.crs,
                      geometry_type=None if gtype == "Unknown" else gtype,
                      source={"path": os.fspath(Path(path).absolute()), "layer": data["layer"],
                              "coordinates": system})
    project.add_layer(lyr)
    return {"layers": [lyr.name], "layer_ids": [lyr.id], "features": data["count"], "from": system,
            "outside_china_vertices": data["outside_china"]}


def export_layer(project, layer_key, path, progress=None, system: str = "gcj02", driver: str | None = None,
                 **_options) -> dict:
    """Exporter: write one project layer to a file in GCJ-02/BD-09 (or WGS84) lon/lat."""
    lyr = project.layer(layer_key)
    if not isinstance(lyr, VectorLayer):
        raise UsageError(_("layer {layer!r} is not a vector layer", layer=lyr.name))
    report(progress, 0, 2, _("transforming"))
    geoms = transform_geometries(lyr.geometries, lyr.crs or project.crs, "EPSG:4326")
    table = lyr.table
    report(progress, 1, 2, _("writing"))
    write_file(path, geoms, list(table.fields), {f.name: table.column(f.name) for f in table.fields}, system,
               driver=driver)
    report(progress, 2, 2, _("written"))
    return {"layer": lyr.name, "output": os.fspath(path), "to": system, "features": lyr.feature_count}
