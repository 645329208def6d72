"""Streaming one vector layer of a source into staging tables.

GDAL reads the source as an Arrow stream (pyogrio ``open_arrow``) in batches of
:data:`BATCH` features; each batch is parsed, repaired, reprojected, classified by
geometry family and written to a staging table (:mod:`smartgis.io.staging`) before
the next is read, so memory holds one batch whatever the size of the source.
"""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass, field

import numpy as np
import shapely

from smartgis.core.fields import Field
from smartgis.core.progress import report
from smartgis.crs import crs_label, crs_to_string, same_crs, suggest_crs, transform_geometries
from smartgis.errors import CRSError, SourceError
from smartgis.i18n import _
from smartgis.io import encoding as _enc
from smartgis.io import hygiene
from smartgis.io.gdal import gdal_config, gdal_errors
from smartgis.io.sources import Dataset
from smartgis.io.simple_polygons import convex_polygons
from smartgis.io.staging import PreparedRows, StagedTable, StagingDB, TableWriter, prepared_rows
from smartgis.project import gpkg

BATCH = 65_536
RESERVED = {"fid", "geom", "ogc_fid"}
_DXF_UNICODE = re.compile(r"\\U\+([0-9A-Fa-f]{4})")
_DXF_MBCS = re.compile(r"\\M\+([1-5])([0-9A-Fa-f]{4})")
_MBCS = {"1": "cp932", "2": "big5", "3": "cp949", "4": "johab", "5": "gb2312"}


@dataclass
class Output:
    """One layer an import creates from (part of) a source layer."""

    name: str
    staged: StagedTable
    key: str | None
    family: str


@dataclass
class SourceReport:
    """What happened to one source layer (see docs/import.md for the JSON)."""

    source: str
    source_layer: str | None
    driver: str | None = None
    kind: str = "vector"
    counters: hygiene.Counters = field(default_factory=hygiene.Counters)
    written: int = 0
    skipped: int = 0
    null_policy: str = "kept"
    split_by_type: dict | None = None
    encoding: dict | None = None
    crs: dict | None = None
    fields: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    skipped_reason: str | None = None
    damaged_text: int = 0
    damaged_sample: str | None = None
    layers: list[dict] = field(default_factory=list)
    raster: dict | None = None

    def to_dict(self) -> dict:
        d = {"source": self.source, "source_layer": self.source_layer, "driver": self.driver, "kind": self.kind}
        d.update(self.counters.to_dict())
        d.update({"features_written": self.written, "skipped": self.skipped, "null_empty": self.null_policy,
                  "split_by_type": self.split_by_type, "encoding": self.encoding, "crs": self.crs,
                  "renamed_fields": self.fields or None, "damaged_text_values": self.damaged_text,
                  "damaged_text_sample": self.damaged_sample, "warnings": list(self.warnings),
                  "skipped_reason": self.skipped_reason, "layers": list(self.layers)})
        if self.raster is not None:
            d["raster"] = self.raster
        return d


@dataclass
class Options:
    """The options of :func:`smartgis.io.import_source` that reach the vector reader."""

    crs: str | None = None
    keep_null: bool = True
    split_mixed: bool = True
    keep_z: bool = True
    x_field: str | None = None
    y_field: str | None = None
    source_layers: tuple | None = None


def list_layers(ds: Dataset) -> list[tuple[str, str | None]]:
    """(name, geometry type or None) of the layers of a dataset."""
    import pyogrio
    with gdal_errors(ds), gdal_config(ds.config), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # M types are handled (and reported) by the reader
        layers = pyogrio.list_layers(ds.gdal_path, **_list_opts(ds))
    return [(str(n), None if g is None else str(g)) for n, g in layers]


def _list_opts(ds: Dataset) -> dict:
    return {}


def _open_opts(ds: Dataset, opts: Options | None = None) -> dict:
    o = dict(ds.open_options)
    if ds.kind == "csv":
        o.setdefault("AUTODETECT_TYPE", "YES")
        o.setdefault("KEEP_GEOM_COLUMNS", "NO")
        o.setdefault("GEOM_POSSIBLE_NAMES", "WKT,wkt,geom,geometry,the_geom,wkt_geom,shape,SHAPE,几何")
        if opts is not None and opts.x_field and opts.y_field:
            o["X_POSSIBLE_NAMES"] = opts.x_field
            o["Y_POSSIBLE_NAMES"] = opts.y_field
        else:
            xs, ys = detect_xy(ds)
            if xs and ys:
                o["X_POSSIBLE_NAMES"] = xs
                o["Y_POSSIBLE_NAMES"] = ys
    return o


_X_NAMES = ("x", "lon", "lng", "long", "longitude", "经度", "easting", "east", "e", "x坐标", "东坐标", "point_x")
_Y_NAMES = ("y", "lat", "latitude", "纬度", "northing", "north", "n", "y坐标", "北坐标", "point_y")


def csv_header(ds: Dataset) -> list[str]:
    import csv
    with open(ds.gdal_path, encoding="utf-8-sig", errors="replace", newline="") as fh:
        sample = fh.read(65536)
    try:
        dialect = csv.Sniffer().sniff(sample.split("\n", 1)[0], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    return [h.strip() for h in next(csv.reader([sample.split("\n", 1)[0]], dialect), [])]


def detect_xy(ds: Dataset) -> tuple[str | None, str | None]:
    """Coordinate columns of a CSV, by name (``x``/``y``, ``lon``/``lat``, ``经度``/``纬度`` ...)."""
    header = csv_header(ds)
    low = {h.lower(): h for h in header}
    x = next((low[n] for n in _X_NAMES if n in low), None)
    y = next((low[n] for n in _Y_NAMES if n in low), None)
    return x, y


#: GDAL's layer of a drawing's model-space entities (the other one, ``blocks``, holds
#: the block definitions when block references are read as points).
DXF_ENTITIES = "entities"


def gdal_layer(ds: Dataset, layer: str | None):
    return DXF_ENTITIES if ds.kind == "dxf" and layer is None else layer


def layer_info(ds: Dataset, layer: str | None, opts: Options | None = None) -> dict:
    import pyogrio
    with gdal_errors(ds), gdal_config(ds.config), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pyogrio.read_info(ds.gdal_path, layer=gdal_layer(ds, layer), force_total_bounds=True, **_open_opts(ds, opts))


def _field_type(arrow_type, ogr_type: str | None) -> str:
    import pyarrow as pa
    if ogr_type in ("OFTDate",):
        return "date"
    if ogr_type in ("OFTDateTime",):
        return "datetime"
    if ogr_type and ogr_type.endswith("List"):
        return "json"
    if pa.types.is_boolean(arrow_type):
        return "bool"
    if pa.types.is_integer(arrow_type):
        return "int"
    if pa.types.is_floating(arrow_type) or pa.types.is_decimal(arrow_type):
        return "float"
    if pa.types.is_binary(arrow_type) or pa.types.is_large_binary(arrow_type):
        return "bytes"
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type) or pa.types.is_struct(arrow_type):
        return "json"
    if pa.types.is_date(arrow_type):
        return "date"
    if pa.types.is_timestamp(arrow_type):
        return "datetime"
    return "str"


def _unique_name(name: str, taken: set[str]) -> str:
    base = name.strip() or "field"
    cand, n = base, 1
    while cand.lower() in taken or cand.lower() in RESERVED:
        cand = f"{base}_{n}"
        n += 1
    taken.add(cand.lower())
    return cand


def _dxf_text(s):
    if not isinstance(s, str) or "\\" not in s:
        return s
    s = _DXF_UNICODE.sub(lambda m: chr(int(m.group(1), 16)), s)
    return _DXF_MBCS.sub(lambda m: bytes.fromhex(m.group(2)).decode(_MBCS[m.group(1)], "replace"), s)


def _block_attributes(values: list) -> dict:
    """GDAL's ``["TAG value", ...]`` of a block reference as ``{TAG: value}``."""
    out = {}
    for item in values:
        tag, _sep, value = _dxf_text(str(item)).partition(" ")
        out[tag] = value
    return out


class _Columns:
    """Turns Arrow columns into SQLite-ready lists (decoding text where we must)."""

    def __init__(self, schema, meta: dict, ds: Dataset, rep: SourceReport, skip: set[str]):
        self.ds = ds
        self.rep = rep
        self.codec = None
        if ds.kind == "shapefile" and ds.encoding is not None and ds.encoding.codec not in ("latin-1", "iso8859-1"):
            self.codec = ds.encoding.codec
        ogr_types = dict(zip([str(f) for f in meta.get("fields", [])], meta.get("ogr_types") or []))
        taken: set[str] = set()
        self.columns: list[tuple[str, Field]] = []
        for f in schema:
            if f.name in skip:
                continue
            shown = self._decode_name(f.name)
            out = _unique_name(shown, taken)
            if out != shown:
                rep.fields[shown] = out
            ftype = _field_type(f.type, ogr_types.get(f.name))
            self.columns.append((f.name, Field(out, ftype)))
        self.fields = [fl for _, fl in self.columns]

    def _decode_name(self, name: str) -> str:
        if self.codec:
            try:
                return name.encode("latin-1").decode(self.codec, "replace")
            except UnicodeEncodeError:
                return name
        if self.ds.kind == "dxf":
            return _dxf_text(name)
        return name

    def convert(self, batch) -> list[list]:
        out = []
        for src_name, fl in self.columns:
            col = batch.column(src_name)
            vals = col.to_pylist()
            if fl.type == "str":
                if self.codec:
                    codec = self.codec
                    vals = [v if v is None else v.encode("latin-1", "replace").decode(codec, "replace")
                            for v in vals]
                elif self.ds.kind == "dxf":
                    vals = [_dxf_text(v) for v in vals]
                self._check_damage(vals)
            elif fl.type in ("date", "datetime"):
                vals = [None if v is None else (v if isinstance(v, str) else v.isoformat()) for v in vals]
            elif fl.type == "json" and self.ds.kind == "dxf" and src_name == "BlockAttributes":
                vals = [None if not v else json.dumps(_block_attributes(v), ensure_ascii=False) for v in vals]
            elif fl.type == "json":
                vals = [None if v is None else json.dumps(v, ensure_ascii=False, default=str) for v in vals]
            elif fl.type == "bool":
                vals = [None if v is None else int(bool(v)) for v in vals]
            elif fl.type == "float" and "decimal" in str(col.type):
                vals = [None if v is None else float(v) for v in vals]  # SQLite cannot bind Decimal
            out.append(vals)
        return out

    def _check_damage(self, vals: list) -> None:
        n, first = _enc.damaged_values(vals)
        if n:
            self.rep.damaged_text += n
            if self.rep.damaged_sample is None:
                self.rep.damaged_sample = first[:60]


def _decide_crs(ds: Dataset, info: dict, opts: Options, rep: SourceReport, layer=None, project_crs=None) -> str:
    file_crs = info.get("crs")
    if ds.kind == "dxf":
        file_crs = None  # DXF carries no CRS; GDAL's guess is not one
    if file_crs:
        try:
            src = crs_to_string(file_crs)
        except CRSError:
            src = None
            rep.warnings.append(_("the file's CRS could not be understood ({crs})", crs=str(file_crs)[:60]))
        if src:
            how = "file"
            if opts.crs and not same_crs(opts.crs, src):
                rep.warnings.append(_("the file declares its CRS ({crs}); --crs {given} was not used",
                                      crs=crs_label(src), given=opts.crs))
            rep.crs = {"source": src, "label": crs_label(src), "how": how}
            return src
    if opts.crs:
        src = crs_to_string(opts.crs)
        rep.crs = {"source": src, "label": crs_label(src), "how": "user"}
        return src
    bounds = info.get("total_bounds")
    if bounds is None or not np.all(np.isfinite(np.asarray(bounds, dtype=float))) or int(info.get("features") or 0) == 0:
        # No coordinates at all (an empty layer, only null geometries): nothing to place.
        rep.crs = {"source": project_crs, "label": crs_label(project_crs), "how": "project (the layer has no "
                   "coordinates)"}
        return project_crs
    code, why = suggest_crs(bounds)
    what = _("no .prj") if ds.kind == "shapefile" else (_("a DXF drawing carries none") if ds.kind == "dxf" else
                                                         _("none declared"))
    where = ds.display + (f" [{layer}]" if layer and ds.kind in ("gpkg", "filegdb", "vector") else "")
    raise CRSError(missing_crs_message(code, why, what), where)


def missing_crs_message(code, why, what=None):
    """"has no coordinate reference system …; give one with --crs" with the likely CRS."""
    if code:
        hint = _("; a likely CRS: {code} ({why})", code=code, why=why)
    else:
        hint = _("; {why}", why=why) if why else ""
    if what:
        return _("has no coordinate reference system ({what}); give one with --crs{hint}", what=what, hint=hint)
    return _("has no coordinate reference system; give one with --crs{hint}", hint=hint)


def stage_layer(ds: Dataset, layer: str | None, *, project_crs: str, opts: Options, staging: StagingDB,
                progress=None, source_layer_filter=None) -> tuple[SourceReport, list[Output]]:
    """Read one source layer into staging tables.

    Returns the report and the outputs (one per CAD layer and geometry family when
    the layer is split).  Raises :class:`SourceError`/:class:`CRSError` for problems
    the user must fix, :class:`Cancelled` when the progress callback says so.
    """
    import pyarrow as pa  # noqa: F401 - make a missing pyarrow fail here, clearly
    from pyogrio.raw import open_arrow

    rep = SourceReport(ds.display, layer, kind="vector")
    rep.null_policy = "kept" if opts.keep_null else "skipped"
    rep.encoding = ds.encoding.to_dict() if ds.encoding else None
    rep.warnings.extend(ds.notes)
    info = layer_info(ds, layer, opts)
    rep.driver = info.get("driver")
    total = int(info.get("features") or 0)
    if info.get("geometry_type") is None and ds.kind != "csv":
        rep.skipped_reason = _("a table without geometry")
        rep.counters.read = max(total, 0)
        return rep, []
    if ds.kind == "csv" and info.get("geometry_type") is None:
        cols = ", ".join(csv_header(ds)[:12])
        raise SourceError(_("no coordinate columns found (columns: {columns}); name them with --x-field and "
                            "--y-field, or give a WKT column", columns=cols), ds.display)
    src_crs = _decide_crs(ds, info, opts, rep, layer, project_crs)
    rep.crs["project"] = project_crs
    transform = not same_crs(src_crs, project_crs)
    swap_xy = _csv_surveying_order(ds, info, opts, rep)

    writers: dict[tuple, TableWriter] = {}
    state = {"cols": None, "fid": 0}
    srs_id = gpkg.ensure_srs(staging.conn, project_crs)   # every table of the import shares it

    def prepare(batch) -> _Batch:
        """Everything but the writing, for one batch: parse, check, repair, reproject, encode."""
        n = batch.num_rows
        if state["cols"] is None:
            state["cols"] = _Columns(batch.schema, meta, ds, rep, {gname})
        cols = state["cols"]
        col = batch.column(gname) if gname in batch.schema.names else None
        wkb = col.to_numpy(zero_copy_only=False) if col is not None else np.full(n, None, dtype=object)
        # Convex one-ring polygons (most buildings) are proven valid from their WKB
        # with numpy; only the others are parsed and checked by GEOS.
        if col is not None and not (swap_xy or transform):
            quick, quick_bounds = convex_polygons(col)
        else:
            quick, quick_bounds = np.zeros(n, dtype=bool), None
        values = cols.convert(batch)
        fid = state["fid"]
        fids = np.arange(fid + 1, fid + n + 1, dtype=np.int64)
        state["fid"] = fid + n
        rep.counters.read += n
        keys = None
        if ds.kind == "dxf":
            lay = next((v for (s, fl), v in zip(cols.columns, values) if s == "Layer"), None)
            keys = np.array(["0" if k is None else k for k in (lay or ["0"] * n)], dtype=object)
            if source_layer_filter:
                keep = np.isin(keys, list(source_layer_filter))
                if not keep.all():
                    idx = np.flatnonzero(keep)
                    wkb, fids, keys, quick = wkb[idx], fids[idx], keys[idx], quick[idx]
                    quick_bounds = quick_bounds[idx] if quick_bounds is not None else None
                    values = [[v[i] for i in idx] for v in values]
        rest = np.flatnonzero(~quick)
        sub_wkb = wkb[rest]
        odd_before = rep.counters.linearised + rep.counters.unreadable
        sub = parsed = hygiene.parse_wkb(sub_wkb, rep.counters)
        odd = rep.counters.linearised + rep.counters.unreadable > odd_before
        hygiene.require_finite(sub, ds.display)
        sub = hygiene.drop_m(sub, rep.counters)
        if not opts.keep_z:
            sub = hygiene.drop_z(sub, rep.counters)
        if swap_xy:
            sub = shapely.transform(sub, lambda c: c[:, ::-1])
        sub = hygiene.repair(sub, rep.counters)
        if transform:
            try:
                sub = transform_geometries(sub, src_crs, project_crs)
            except CRSError as exc:
                if exc.path:
                    raise
                raise CRSError(_("{problem}; the data reaches beyond the area the project CRS "
                                 "is made for (import a part of it, or use a project CRS that "
                                 "covers it)", problem=exc.message), ds.display) from None
        # Nothing above changed a geometry (every step hands back the same array
        # then): the WKB GDAL gave is written as it is, not written again.
        unchanged = not (odd or swap_xy or transform or sub is not parsed)
        fams = np.full(len(wkb), "polygon", dtype=object)
        fams[rest] = hygiene.families(sub)
        missing = np.zeros(len(wkb), dtype=bool)
        missing[rest] = hygiene.null_and_empty(sub, rep.counters)
        geoms = np.full(len(wkb), None, dtype=object)
        geoms[rest] = sub
        if not opts.keep_null and missing.any():
            keep = ~missing
            rep.skipped += int(missing.sum())
            idx = np.flatnonzero(keep)
            geoms, fids, fams, wkb, quick = geoms[idx], fids[idx], fams[idx], wkb[idx], quick[idx]
            quick_bounds = quick_bounds[idx] if quick_bounds is not None else None
            keys = keys[idx] if keys is not None else None
            values = [[v[i] for i in idx] for v in values]
        rows = prepared_rows(geoms, srs_id, wkb if unchanged else None,
                             quick=quick if quick.any() else None, quick_bounds=quick_bounds, source_wkb=wkb)
        return _Batch(n, geoms, fids, fams, keys, values, rows)

    done = 0
    with gdal_errors(ds), gdal_config(ds.config), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with open_arrow(ds.gdal_path, layer=gdal_layer(ds, layer), batch_size=BATCH, use_pyarrow=True, datetime_as_string=True,
                        **_open_opts(ds, opts)) as (meta, reader):
            gname = meta.get("geometry_name") or "wkb_geometry"
            for batch in reader:
                b = prepare(batch)
                _write_groups(writers, staging, state["cols"].fields, project_crs, opts, b)
                done += b.n
                report(progress, done, max(total, done), _("{name}: {n} features", name=ds.stem or layer,
                                                            n=f"{done:,}"))
    cols = state["cols"]
    if ds.kind == "gpkg" and source_layer_filter is None:
        from smartgis.io.sources import check_rows_read
        check_rows_read(ds.gdal_path, ds.display, gdal_layer(ds, layer), rep.counters.read, total)
    if cols is None and ds.kind == "dxf":
        rep.warnings.append(_("the drawing has no entities in model space; nothing to import"))
        return rep, []
    if cols is None:  # no batch at all: an empty layer keeps its schema
        cols = _empty_columns(ds, layer, info, rep)
    outputs = _finish(writers, staging, cols.fields, project_crs, opts, info, ds, layer, rep)
    rep.written = sum(o.staged.feature_count for o in outputs)
    if rep.damaged_text:
        rep.warnings.append(_("{n} text values were already damaged in the source file (for example {sample!r}); "
                              "they were imported as they are", n=rep.damaged_text, sample=rep.damaged_sample))
    if rep.counters.repaired:
        rep.warnings.append(_("{n} invalid geometries were repaired (make_valid)", n=rep.counters.repaired))
    if rep.counters.m_dropped:
        rep.warnings.append(_("M values of {n} geometries were dropped (SmartGIS keeps X, Y, Z)",
                              n=rep.counters.m_dropped))
    if rep.counters.z_dropped:
        rep.warnings.append(_("Z values of {n} geometries were dropped, as asked", n=rep.counters.z_dropped))
    if rep.counters.linearised:
        rep.warnings.append(_("{n} curved or surface geometries (arcs, multipatch) were converted to lines and "
                              "polygons", n=rep.counters.linearised))
    if rep.counters.unreadable:
        rep.warnings.append(_("{n} geometries could not be read and were imported as null",
                              n=rep.counters.unreadable))
    if transform:
        rep.crs["reprojected"] = True
    return rep, outputs


def _csv_surveying_order(ds: Dataset, info: dict, opts: Options, rep: SourceReport) -> bool:
    """True when a CSV's X/Y columns follow the Chinese surveying order (X = northing)."""
    if ds.kind != "csv" or (opts.x_field and opts.y_field):
        return False
    b = info.get("total_bounds")
    if b is None or not np.all(np.isfinite(b)):
        return False
    x0, y0, x1, y1 = (float(v) for v in b)
    x_north = 1_000_000 <= x0 and x1 <= 6_000_000
    y_east = (100_000 <= y0 and y1 <= 900_000) or (13_000_000 <= y0 and y1 <= 46_000_000)
    if x_north and y_east:
        rep.warnings.append(_("the X column holds northings and Y eastings (surveying order); they were swapped"))
        return True
    return False


def _empty_columns(ds: Dataset, layer, info: dict, rep: SourceReport) -> _Columns:
    import pyarrow as pa
    names = [str(f) for f in info.get("fields", [])]
    types = {"int64": pa.int64(), "int32": pa.int32(), "float64": pa.float64(), "bool": pa.bool_()}
    schema = pa.schema([(n, types.get(str(t), pa.string())) for n, t in zip(names, info.get("dtypes", []))])
    return _Columns(schema, info, ds, rep, set())


@dataclass
class _Batch:
    """One batch read, checked and ready to be written (see ``stage_layer``)."""

    n: int                      # features read (before any was left out)
    geoms: np.ndarray
    fids: np.ndarray
    fams: np.ndarray
    keys: np.ndarray | None
    values: list[list]
    rows: PreparedRows          # types, bounds and blobs, ready for the table writer


def _write_groups(writers, staging, fields, crs, opts, b: _Batch) -> None:
    geoms, fams = b.geoms, b.fams
    keys = b.keys if b.keys is not None else np.full(len(geoms), None, dtype=object)
    group_fam = fams if opts.split_mixed else np.full(len(geoms), "mixed", dtype=object)
    pairs = {}
    for k in set(keys.tolist()):
        kmask = keys == k
        for f in set(group_fam[kmask].tolist()):
            pairs[(k, f)] = np.flatnonzero(kmask & (group_fam == f))
    for (k, f), idx in pairs.items():
        w = writers.get((k, f))
        if w is None:
            w = writers[(k, f)] = TableWriter(staging, fields, crs, f if f != "none" else "collection")
        if len(idx) == len(geoms):
            w.append(b.fids, geoms, b.values, rows=b.rows)
        else:
            w.append(b.fids[idx], geoms[idx], [[v[i] for i in idx] for v in b.values], rows=b.rows.subset(idx))


def _finish(writers: dict, staging, fields, crs, opts, info, ds: Dataset, layer, rep: SourceReport) -> list[Output]:
    declared = _declared_type(info.get("geometry_type"))
    by_key: dict = {}
    for (k, f), w in writers.items():
        by_key.setdefault(k, {})[f] = w
    if not by_key:  # nothing read: an empty layer
        w = TableWriter(staging, fields, crs, "collection")
        by_key[None] = {"none": w}
    outputs: list[Output] = []
    split_counts: dict = {}
    for k, fam_writers in by_key.items():
        nulls = fam_writers.pop("none", None)
        if nulls is not None:
            if fam_writers:
                target = max(fam_writers.values(), key=lambda w: w.count)
                _absorb(target, nulls)
            else:
                fam_writers["none"] = nulls
        real = {f: w for f, w in fam_writers.items()}
        for f, w in sorted(real.items()):
            split_counts[f] = split_counts.get(f, 0) + w.count
        for f, w in sorted(real.items()):
            staged = w.finish(declared if f in ("none", "mixed") or len(real) == 1 else None)
            outputs.append(Output(_output_name(ds, layer, k, f, len(real) > 1), staged, k, f))
    families = {f for f in split_counts if f not in ("none", "mixed")}
    if len(families) > 1 or (ds.kind == "dxf" and len(by_key) > 1):
        rep.split_by_type = {hygiene.FAMILY_NAMES.get(f, f): n for f, n in sorted(split_counts.items())
                             if f != "none"}
        mixed_keys = [k for k, fw in by_key.items() if len([f for f in fw if f not in ("none", "mixed")]) > 1]
        if mixed_keys and opts.split_mixed:
            rep.warnings.append(_("the layer mixes geometry types; split into one layer per type")
                                if ds.kind != "dxf" else
                                _("CAD layers mix geometry types; split into one layer per type"))
    return outputs


def _absorb(target: TableWriter, nulls: TableWriter) -> None:
    conn = target.db.conn
    from smartgis.project.names import quote_ident as q
    conn.execute(f"INSERT INTO {q(target.table)} SELECT * FROM {q(nulls.table)}")
    conn.execute(f"DROP TABLE {q(nulls.table)}")
    target._fids.extend(nulls._fids)
    target._bounds.extend(nulls._bounds)
    target.count += nulls.count
    # rows were inserted out of fid order; sorting keeps fids and bounds aligned
    fids = np.concatenate(target._fids)
    bounds = np.vstack(target._bounds)
    order = np.argsort(fids, kind="stable")
    target._fids, target._bounds = [fids[order]], [bounds[order]]


def _declared_type(gt: str | None) -> str | None:
    if not gt:
        return None
    from smartgis.core.layers import normalise_geometry_type
    t = normalise_geometry_type(gt)
    return None if t == "Geometry" else t


def _output_name(ds: Dataset, layer, key, family: str, several: bool) -> str:
    if ds.kind == "dxf":
        base = f"{ds.stem} {key if key is not None else '0'}"
    elif ds.kind in ("gpkg", "filegdb") or (layer and layer != ds.stem and ds.kind not in (
            "shapefile", "geojson", "csv", "fgb")):
        base = str(layer) if layer else ds.stem
    else:
        base = ds.stem or str(layer)
    if several:
        base = f"{base} {hygiene.FAMILY_NAMES.get(family, family)}"
    return base
