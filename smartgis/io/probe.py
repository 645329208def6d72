"""What an import would find, without importing: for the import dialog's preview."""

from __future__ import annotations

from smartgis.errors import SmartGISError
from smartgis.io import dbf as _dbf
from smartgis.io.sources import resolve


def _samples(ds, limit: int = 6) -> list[str]:
    """A few decoded text values, so the user sees whether the encoding is right."""
    out: list[str] = []
    if ds.kind == "shapefile" and ds.encoding is not None:
        from pathlib import Path
        p = Path(ds.gdal_path).with_suffix(".dbf")
        if p.exists():
            with open(p, "rb") as fh:
                h = _dbf.read_header(fh, str(p))
                raw = _dbf.text_samples(fh, h, max_records=200)
            names = {f.name for f in h.fields}
            raw = [r for r in raw if r not in names] + [r for r in raw if r in names]  # values first
            for r in raw:
                t = r.decode(ds.encoding.codec, "replace")
                if t not in out:
                    out.append(t)
                if len(out) >= limit:
                    break
            return out
    try:
        from pyogrio.raw import read
        from smartgis.io.gdal import gdal_config
        import warnings
        with gdal_config(ds.config), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            meta, _, _, values = read(ds.gdal_path, max_features=50, read_geometry=False, **ds.open_options)
        codec = ds.encoding.codec if ds.kind == "shapefile" and ds.encoding else None
        for col in values:
            for v in col:
                if isinstance(v, str) and any(ord(c) > 127 for c in v):
                    if codec:
                        v = v.encode("latin-1", "replace").decode(codec, "replace")
                    if v not in out:
                        out.append(v)
                if len(out) >= limit:
                    return out
    except Exception:  # a preview never fails on samples
        pass
    return out


def probe_source(path, *, encoding: str | None = None, x_field=None, y_field=None, salvage: bool = False) -> dict:
    """Layers, feature counts, encoding (with decoded samples) and CRS of a source.

    Returns
    -------
    dict
        ``{"source", "datasets": [{"display", "kind", "notes", "encoding", "samples",
        "layers": [{"name", "geometry_type", "features", "crs", "bounds", "suggested_crs",
        "suggestion"}]}]}``; raises :class:`SourceError` like the import would.
    """
    import pyogrio
    from smartgis.crs import crs_to_string, suggest_crs
    from smartgis.io.gdal import gdal_config, gdal_errors
    from smartgis.io.vector import Options, layer_info, list_layers

    out = {"source": str(path), "datasets": []}
    opts = Options(x_field=x_field, y_field=y_field)
    with resolve(path, encoding=encoding, salvage=salvage) as src:
        for ds in src.datasets:
            entry = {"display": ds.display, "kind": ds.kind, "notes": list(ds.notes),
                     "encoding": ds.encoding.to_dict() if ds.encoding else None, "samples": [], "layers": []}
            if ds.kind == "raster":
                import rasterio
                with gdal_errors(ds), rasterio.open(ds.gdal_path) as r:
                    crs = crs_to_string(r.crs.to_wkt()) if r.crs else None
                    b = list(r.bounds)
                    entry["layers"].append({"name": ds.stem, "geometry_type": None, "features": None,
                                            "raster": f"{r.width} x {r.height} x {r.count} {r.dtypes[0]}",
                                            "crs": crs, "bounds": b})
                    if crs is None:
                        code, why = suggest_crs(b)
                        entry["layers"][-1].update(suggested_crs=code, suggestion=why)
                out["datasets"].append(entry)
                continue
            entry["samples"] = _samples(ds)
            if ds.kind == "dxf":
                entry["layers"] = _dxf_layers(ds)
                out["datasets"].append(entry)
                continue
            names = list_layers(ds)
            for name, gtype in names:
                try:
                    info = layer_info(ds, name, opts)
                except SmartGISError as exc:
                    entry["layers"].append({"name": name, "error": exc.localizable()})
                    continue
                crs = info.get("crs") if ds.kind != "dxf" else None
                bounds = info.get("total_bounds")
                bounds = [float(v) for v in bounds] if bounds is not None else None
                item = {"name": name or ds.stem, "geometry_type": info.get("geometry_type") or gtype,
                        "features": int(info.get("features", -1)), "crs": crs_to_string(crs) if crs else None,
                        "bounds": bounds, "fields": [str(f) for f in info.get("fields", [])]}
                if item["crs"] is None and bounds is not None:
                    code, why = suggest_crs(bounds)
                    item.update(suggested_crs=code, suggestion=why)
                entry["layers"].append(item)
            out["datasets"].append(entry)
    del pyogrio, gdal_config
    return out


def _dxf_layers(ds) -> list[dict]:
    """The CAD layers of a drawing, with their entity counts and geometry types."""
    import shapely
    from collections import Counter
    from pyogrio.raw import read
    from smartgis.crs import suggest_crs
    from smartgis.io.gdal import gdal_config, gdal_errors
    from smartgis.io.vector import _dxf_text, gdal_layer
    with gdal_errors(ds), gdal_config(ds.config):
        _meta, _fids, wkb, values = read(ds.gdal_path, layer=gdal_layer(ds, None), columns=["Layer"])
    geoms = shapely.from_wkb(wkb, on_invalid="ignore")
    names = [_dxf_text(v) or "0" for v in values[0]] if len(values) else ["0"] * len(geoms)
    counts = Counter(names)
    types: dict[str, set] = {}
    for n, g in zip(names, geoms):
        if g is not None:
            types.setdefault(n, set()).add(g.geom_type.replace("Multi", ""))
    bounds = shapely.total_bounds(geoms) if len(geoms) else None
    code, why = suggest_crs(bounds) if bounds is not None and len(geoms) else (None, "")
    return [{"name": n, "geometry_type": ", ".join(sorted(types.get(n, []))) or None, "features": c, "crs": None,
             "bounds": [float(v) for v in bounds] if bounds is not None else None, "suggested_crs": code,
             "suggestion": why} for n, c in sorted(counts.items())]
