"""``import_source``: bring a surveyor's file into a project, all or nothing.

The work happens off to the side — vector features stream into a staging
GeoPackage, raster tiles into a scratch file — and only when every layer of the
source has been read without error are the new layers added to the project.  A
failure or a cancel leaves the project exactly as it was; the caller saves
(:meth:`Project.save`, atomic) when it wants the import on disk.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import shapely

from smartgis.core.catalog import GEOMETRY_NAMES
from smartgis.core.layers import RasterLayer, VectorLayer
from smartgis.core.progress import report, scaled
from smartgis.core.style import VectorStyle
from smartgis.crs import crs_to_string, parse_crs
from smartgis.errors import CatalogError, CRSError, LayerError, ReadOnlyProjectError, SourceError, UsageError
from smartgis.i18n import _, bilingual, join
from smartgis.io import encoding as _enc
from smartgis.io.sources import Dataset, resolve
from smartgis.io.staging import StagingDB
from smartgis.project.local_crs import resolve_crs
from smartgis.io.vector import Options, SourceReport, list_layers, stage_layer

#: Catalog geometry types as the import report names them in running text.
_GEOMETRY_WORDS = {"Point": _("point"), "LineString": _("linestring"), "Polygon": _("polygon")}

AS_CHOICES = ("basemap", "sensor", "network", "facility")
#: How the report says a layer's encoding and CRS were decided.
HOW_ENCODING = {"user": _("user"), "cpg": _("cpg"), "ldid": _("ldid"), "detected": _("detected")}
HOW_CRS = {"file": _("from the file"), "user": _("given with --crs"),
           "project (the layer has no coordinates)": _("project (the layer has no coordinates)")}
BASEMAP_GROUP = {"zh": "底图", "en": "Basemap"}


@dataclass
class ImportReport:
    """What an import did (``to_dict()`` is the ``--json`` object, see docs/import.md)."""

    source: str
    sources: list[SourceReport] = field(default_factory=list)
    layers: list[dict] = field(default_factory=list)
    design: dict | None = None
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    project: str | None = None
    saved: bool = False

    @property
    def features_read(self) -> int:
        return sum(s.counters.read for s in self.sources)

    @property
    def features_written(self) -> int:
        return sum(s.written for s in self.sources)

    def to_dict(self) -> dict:
        return {
            "ok": True, "project": self.project, "source": self.source, "saved": self.saved,
            "layers_added": len(self.layers), "features_read": self.features_read,
            "features_written": self.features_written,
            "repaired": sum(s.counters.repaired for s in self.sources),
            "skipped": sum(s.skipped for s in self.sources),
            "layers": self.layers, "design": self.design,
            "sources": [s.to_dict() for s in self.sources],
            "warnings": self.warnings + [w for s in self.sources for w in s.warnings],
            "seconds": round(self.seconds, 3),
        }

    def lines(self) -> list[str]:
        """The report as text lines (what the CLI prints without ``--json``).

        Each line is an English :class:`~smartgis.i18n.Message`; the window shows
        them with :func:`~smartgis.i18n.localize`.
        """
        out = []
        for s in self.sources:
            name = s.source + (f" [{s.source_layer}]" if s.source_layer and s.kind != "raster" else "")
            if s.skipped_reason:
                out.append(_("{name}: skipped ({reason})", name=name, reason=s.skipped_reason))
                continue
            if s.kind == "raster":
                out.append(_("{name}: raster", name=name))
            else:
                c = s.counters
                parts = [_("{n} read", n=f"{c.read:,}"), _("{n} written", n=f"{s.written:,}")]
                if c.repaired:
                    parts.append(_("{n} repaired", n=f"{c.repaired:,}"))
                if c.null or c.empty:
                    parts.append(_("{n} null/empty kept", n=f"{c.null + c.empty:,}") if s.null_policy == "kept"
                                 else _("{n} null/empty skipped", n=f"{c.null + c.empty:,}"))
                if s.skipped:
                    parts.append(_("{n} skipped", n=f"{s.skipped:,}"))
                if c.z_dropped:
                    parts.append(_("Z dropped {n}", n=f"{c.z_dropped:,}"))
                if c.m_dropped:
                    parts.append(_("M dropped {n}", n=f"{c.m_dropped:,}"))
                out.append(_("{name}: {counts}", name=name, counts=join(parts, ", ", "，")))
            if s.encoding and s.encoding.get("how") != "format":
                out.append(_("  encoding: {label} ({how}: {detail})", label=s.encoding["label"],
                             how=HOW_ENCODING.get(s.encoding["how"], s.encoding["how"]),
                             detail=s.encoding["detail"]))
            if s.crs:
                how = HOW_CRS.get(s.crs.get("how"), s.crs.get("how"))
                if s.crs.get("reprojected"):
                    out.append(_("  CRS: {label} ({how}) -> {project}", label=s.crs["label"], how=how,
                                 project=s.crs["project"]))
                else:
                    out.append(_("  CRS: {label} ({how})", label=s.crs["label"], how=how))
            if s.split_by_type:
                out.append(_("  split by type: {counts}",
                             counts=", ".join(f"{k} {v:,}" for k, v in s.split_by_type.items())))
            for w in s.warnings:
                out.append(_("  warning: {warning}", warning=w))
        for lyr in self.layers:
            what = lyr.get("geometry_type") or lyr["kind"]
            table = _(", table {table}", table=lyr["table"]) if lyr.get("table") else ""
            if lyr.get("features") is None:
                out.append(_("added layer {name!r} ({what}{table})", name=lyr["name"], what=what, table=table))
            else:
                out.append(_("added layer {name!r} ({n} features, {what}{table})", name=lyr["name"],
                             n=f"{lyr['features']:,}", what=what, table=table))
        if self.design:
            out.append(_("added {n} design elements of type {type}", n=f"{self.design['added']:,}",
                         type=self.design["type"]))
        for w in self.warnings:
            out.append(_("warning: {warning}", warning=w))
        return out


def _check_options(project, as_, element_type, encoding, crs):
    if project.read_only:
        raise ReadOnlyProjectError(_("the project is open read-only (review mode); nothing can be imported"),
                                   project.path)
    if as_ is not None and as_ not in AS_CHOICES:
        raise UsageError(_("--as must be one of {choices}", choices=", ".join(AS_CHOICES)))
    if element_type is not None and as_ in (None, "basemap"):
        raise UsageError(_("--type needs --as sensor, network or facility"))
    if as_ in ("sensor", "network", "facility"):
        kinds = [t.id for t in project.catalog if t.category == as_]
        if not element_type:
            raise UsageError(_("--as {category} needs --type (one of: {types})", category=as_, types=", ".join(kinds)))
        try:
            et = project.catalog.get(element_type)
        except (CatalogError, KeyError):
            raise UsageError(_("unknown element type {type!r} (types of category {category}: {types})",
                               type=element_type, category=as_, types=", ".join(kinds))) from None
        if et.category != as_:
            raise UsageError(_("{type!r} is a {actual}, not a {category} (types of category {category}: {types})",
                               type=element_type, actual=et.category, category=as_, types=", ".join(kinds)))
    if encoding and _enc.normalise_encoding(encoding) is None:
        raise UsageError(_("unknown encoding {encoding!r} (for example UTF-8, GBK, GB18030, Big5-HKSCS)",
                           encoding=encoding))
    if crs:
        parse_crs(crs)


def import_source(project, path, *, source_layers=None, layer_name=None, crs=None, encoding=None, x_field=None,
                  y_field=None, as_=None, element_type=None, embed=False, keep_null=True, split_mixed=True,
                  keep_z=True, salvage=False, refuse_far=False, max_distance_km=None, progress=None) -> ImportReport:
    """Import a file into ``project`` (in memory; save to keep it).

    Parameters
    ----------
    project : Project
    path : str or Path
        Shapefile (also zipped), GeoPackage, GeoJSON, DXF, FlatGeobuf, File Geodatabase
        (folder or zip), MapInfo TAB/MIF, GML, KML, CSV, or a raster GDAL reads.
    source_layers : list of str, optional
        Layers of a multi-layer source to import (CAD layers for DXF); all by default.
    layer_name : str, optional
        Name of the new layer (a prefix when several are made).
    crs : str, optional
        CRS of a source that has none (``EPSG:4547``, a PROJ string or WKT), or the name
        of one of the project's local systems (:mod:`smartgis.project.local_crs`).
    encoding : str, optional
        Text encoding of a shapefile/CSV, overriding what is declared or detected.
    x_field, y_field : str, optional
        Coordinate columns of a CSV.
    as_ : {"basemap", "sensor", "network", "facility"}, optional
        ``basemap`` marks the layers as base map; the others bring the features in as
        design elements of ``element_type`` (one undo step).
    embed : bool
        Store rasters inside the project file (GeoPackage tiles).
    keep_null : bool
        Keep features without geometry (counted either way).
    split_mixed : bool
        One layer per geometry type when a layer mixes them.
    keep_z : bool
        Keep Z values (M values are always dropped).
    salvage : bool
        Import the intact part of a damaged file (bytes beyond a shapefile's declared
        end, junk after a DXF's end) instead of refusing it; the report says what was cut.
    refuse_far : bool
        Refuse (:class:`CRSError`, nothing imported) data that lands outside the project
        CRS's area of use or far from the project's other data, a wrong CRS usually
        (:mod:`smartgis.io.location`; the command line does unless ``--force``).  Without
        it such data is imported and the report warns.
    max_distance_km : float, optional
        How far from the project's data new data may land (default: the project's
        ``import_max_distance_km`` setting, else 200 km).
    progress : callable, optional
        ``progress(done, total, message)``; returning False cancels.

    Returns
    -------
    ImportReport

    Raises
    ------
    SourceError, CRSError, UsageError, Cancelled
        The project is unchanged.
    """
    prepared = prepare_import(project, path, source_layers=source_layers, layer_name=layer_name, crs=crs,
                              encoding=encoding, x_field=x_field, y_field=y_field, as_=as_,
                              element_type=element_type, embed=embed, keep_null=keep_null,
                              split_mixed=split_mixed, keep_z=keep_z, salvage=salvage, progress=progress)
    problems = prepared.location_problems(max_distance_km)
    if problems and refuse_far:
        prepared.discard()
        raise CRSError(_("{problem} (nothing was imported; check the CRS, or import anyway with --force)",
                         problem=problems[0]), path)
    prepared.report.warnings.extend(problems)
    return prepared.apply()


class PreparedImport:
    """An import read and staged but not yet added to the project.

    :func:`prepare_import` does the long part (on a worker thread in the window);
    :meth:`apply` adds the layers or design elements (on the thread that owns the
    project) and returns the report.  :meth:`discard` throws the work away.
    """

    def __init__(self, project, report: ImportReport, items: list, staging, options: dict, t0: float):
        self.project = project
        self.report = report
        self.items = items
        self.staging = staging
        self.options = options
        self._t0 = t0
        self.applied = False

    def apply(self) -> ImportReport:
        if self.applied:
            raise UsageError(_("this import was applied already"))
        o = self.options
        try:
            if o["as_"] in ("sensor", "network", "facility"):
                self.report.design = _add_elements(self.project, self.items, o["element_type"], self.report)
            else:
                _add_layers(self.project, self.items, o["layer_name"], o["as_"], self.report)
        except BaseException:
            self.discard()
            raise
        self.applied = True
        self.report.seconds = time.monotonic() - self._t0
        return self.report

    def location_problems(self, max_distance_km: float | None = None) -> list[str]:
        """Layers that would land outside the project CRS's area of use or far from the
        project's data (:func:`smartgis.io.location.location_problems`)."""
        from smartgis.crs import same_crs, transform_bounds
        from smartgis.io.location import location_problems
        extents = []
        for _srep, item in self.items:
            if isinstance(item, RasterLayer):
                ext = item.extent
                if ext and item.crs and not same_crs(item.crs, self.project.crs):
                    try:
                        ext = transform_bounds(ext, item.crs, self.project.crs)
                    except Exception:  # noqa: BLE001 - not transformable: nothing to compare
                        continue
                extents.append((item.name, ext))
            else:
                extents.append((item.name, item.staged.extent))
        return location_problems(self.project, extents, max_distance_km)

    def discard(self) -> None:
        if self.staging is not None:
            self.staging.discard()
        self.items = []


def prepare_import(project, path, *, source_layers=None, layer_name=None, crs=None, encoding=None, x_field=None,
                   y_field=None, as_=None, element_type=None, embed=False, keep_null=True, split_mixed=True,
                   keep_z=True, salvage=False, progress=None) -> PreparedImport:
    """Read and stage a source without touching the project (see :func:`import_source`)."""
    t0 = time.monotonic()
    crs = resolve_crs(project, crs)   # the name of one of the project's local systems -> its WKT
    _check_options(project, as_, element_type, encoding, crs)
    opts = Options(crs=crs, keep_null=keep_null, split_mixed=split_mixed, keep_z=keep_z, x_field=x_field,
                   y_field=y_field, source_layers=tuple(source_layers) if source_layers else None)
    rep = ImportReport(str(path), project=str(project.path) if project.path else None)
    staging: StagingDB | None = None
    items: list = []
    try:
        with resolve(path, encoding=encoding, salvage=salvage) as src:
            jobs = _jobs(src.datasets, opts)
            if not jobs:
                raise SourceError(_("holds no layer to import"), path)
            staging = StagingDB() if any(ds.kind != "raster" for ds, _layer in jobs) else None
            for i, (ds, layer) in enumerate(jobs):
                sub = scaled(progress, i / len(jobs), (i + 1) / len(jobs), ds.stem)
                if ds.kind == "raster":
                    items.append(_raster_job(project, ds, opts, layer_name, embed, rep, sub))
                    continue
                filt = opts.source_layers if ds.kind == "dxf" else None
                srep, outputs = stage_layer(ds, layer if ds.kind != "dxf" else None, project_crs=project.crs,
                                            opts=opts, staging=staging, progress=sub, source_layer_filter=filt)
                rep.sources.append(srep)
                for o in outputs:
                    items.append((srep, o))
            report(progress, 1, 1, _("staged"))
            if staging is not None:
                staging.commit()
    except BaseException:
        if staging is not None:
            staging.discard()
        raise
    return PreparedImport(project, rep, items, staging,
                          {"as_": as_, "element_type": element_type, "layer_name": layer_name}, t0)


def _jobs(datasets: list[Dataset], opts: Options) -> list[tuple[Dataset, str | None]]:
    jobs = []
    wanted = set(opts.source_layers or ())
    found = set()
    for ds in datasets:
        if ds.kind == "raster":
            jobs.append((ds, None))
            continue
        if ds.kind == "dxf":
            jobs.append((ds, None))
            found |= wanted  # CAD layers are filtered while reading
            continue
        layers = list_layers(ds)
        for name, _gt in layers:
            if wanted and name not in wanted and ds.stem not in wanted:
                continue
            found.add(name)
            jobs.append((ds, name))
    missing = wanted - found - {ds.stem for ds in datasets}
    if missing:
        have = sorted({n for ds in datasets if ds.kind not in ("raster", "dxf") for n, _gt in list_layers(ds)})
        raise LayerError(_("no layer {names} in the source (layers: {layers})", names=", ".join(sorted(missing)),
                           layers=", ".join(have) or _("none")))
    return jobs


def _raster_job(project, ds: Dataset, opts: Options, layer_name, embed, rep: ImportReport, progress):
    from smartgis.io.raster import EmbeddedTiles, raster_layer
    srep = SourceReport(ds.display, None, kind="raster")
    srep.warnings.extend(ds.notes)
    lyr = raster_layer(ds.gdal_path, layer_name or ds.stem, crs=opts.crs, overviews=not embed, progress=progress,
                       notes=srep.warnings, display=ds.display)
    srep.driver = lyr.info.get("driver")
    srep.raster = {k: lyr.info.get(k) for k in ("width", "height", "count", "dtype", "nodata", "bounds", "overviews",
                                                  "kind", "statistics")}
    srep.crs = {"source": lyr.crs, "label": _label(lyr.crs), "how": lyr.source.get("crs_how", "file"),
                "project": project.crs}
    if opts.crs and lyr.source.get("crs_how") == "file":
        from smartgis.crs import same_crs
        if not same_crs(opts.crs, lyr.crs):
            srep.warnings.append(_("the raster declares its CRS ({crs}); --crs {given} was not used",
                                    crs=_label(lyr.crs), given=opts.crs))
    if embed:
        table = project.unique_table_name(lyr.name)
        taken = {getattr(x, "table_name", None) for x in project.layers.values()}
        while table in taken:
            table += "_r"
        lyr.pending_writer = EmbeddedTiles(ds.gdal_path, table, lyr.info, ds.display, srep.warnings, progress)
        lyr.embedded_table = table
        lyr.path = None
    rep.sources.append(srep)
    return (srep, lyr)


def _label(crs) -> str:
    from smartgis.crs import crs_label
    try:
        return crs_label(crs)
    except Exception:  # a label is decoration; never fail an import on it
        return str(crs)[:60]


def _add_layers(project, new_layers, layer_name, as_, rep: ImportReport) -> None:
    vectors = [x for x in new_layers if not isinstance(x[1], RasterLayer)]
    several = len(vectors) > 1
    group = None
    if as_ == "basemap":
        group = BASEMAP_GROUP.get(project.language, BASEMAP_GROUP["en"])
    added = []
    try:
        for k, (srep, item) in enumerate(new_layers):
            if isinstance(item, RasterLayer):
                lyr = item
            else:
                o = item
                name = o.name
                if layer_name:
                    name = f"{layer_name} {o.name}" if several else layer_name
                staged = o.staged
                lyr = VectorLayer(name, geometry_type=staged.geometry_type, crs=project.crs,
                                  style=VectorStyle.default_for(staged.geometry_type,
                                                                seed=len(project.layers) + k),
                                  source={"path": srep.source, "driver": srep.driver, "layer": srep.source_layer,
                                          "cad_layer": o.key, "encoding": (srep.encoding or {}).get("encoding"),
                                          "crs": (srep.crs or {}).get("source")})
                lyr.attach_loader(staged.loader(lyr), staged.meta())
                lyr.staged = staged
                staged.version = lyr.version
            if as_ == "basemap":
                lyr.role = "basemap"
            wanted = lyr.name
            project.add_layer(lyr, group=group)
            added.append(lyr)
            if lyr.name != wanted:
                rep.warnings.append(_("the project has a layer named {name!r} already; the new layer is named "
                                      "{new!r}", name=wanted, new=lyr.name))
            entry = {"id": lyr.id, "name": lyr.name, "kind": lyr.kind, "table": getattr(lyr, "table_name", None),
                     "geometry_type": getattr(lyr, "geometry_type", None),
                     "features": lyr.feature_count if isinstance(lyr, VectorLayer) else None,
                     "source_layer": srep.source_layer}
            rep.layers.append(entry)
            srep.layers.append({k2: entry[k2] for k2 in ("id", "name", "table", "geometry_type", "features")})
    except BaseException:
        for lyr in added:
            project.remove_layer(lyr.id)
        raise


def _add_elements(project, new_layers, type_id: str, rep: ImportReport) -> dict:
    """Bring staged features in as design elements (attributes mapped by name)."""
    et = project.catalog.get(type_id)
    want = {"Point": (0,), "LineString": (1,), "Polygon": (3,)}[et.geometry]
    geoms_all, rows_all = [], []
    unmatched: set[str] = set()
    mapped: dict[str, str] = {}
    bad_values = 0
    skipped_geom = 0
    for srep, o in new_layers:
        if isinstance(o, RasterLayer):
            raise UsageError(_("a raster cannot be imported as design elements"))
        load = o.staged.loader(None)
        _fids, geoms = load("geometry")
        table = load("attributes")
        lookup = _field_lookup(et, table.field_names)
        mapped.update({src: dst for dst, src in lookup.items()})
        unmatched |= set(table.field_names) - set(lookup.values())
        parts = shapely.get_parts(geoms, return_index=True) if len(geoms) else (geoms, np.empty(0, int))
        pgeoms, pidx = parts
        ok = np.isin(shapely.get_type_id(pgeoms), want) if len(pgeoms) else np.zeros(0, bool)
        skipped_geom += int((~ok).sum()) + int(len(geoms) - len(np.unique(pidx)))
        for g, i in zip(pgeoms[ok], pidx[ok]):
            row = {}
            for dst, src in lookup.items():
                v = table.value(int(i), src)
                if v is None:
                    continue
                try:
                    row[dst] = et.field(dst).coerce(v)
                except UsageError:
                    bad_values += 1
            geoms_all.append(g if not shapely.has_z(g) else shapely.force_2d(g))
            rows_all.append(row)
    if not geoms_all:
        raise SourceError(_("has no {geometry} features to place as {type} elements",
                            geometry=_GEOMETRY_WORDS.get(et.geometry, et.geometry.lower()),
                            type=type_id), rep.source)
    uids = project.design.add_many(type_id, geoms_all, rows=rows_all,
                                   text=_("Import {n} {type}", n=len(geoms_all),
                                         type=bilingual({"en": et.label("en"), "zh": et.label("zh")})))
    if unmatched:
        rep.warnings.append(_("source fields not matching any {type} attribute were not kept: {fields}",
                              type=type_id, fields=", ".join(sorted(unmatched))))
    if bad_values:
        rep.warnings.append(_("{n} attribute values did not fit their field and took the default", n=bad_values))
    if skipped_geom:
        rep.warnings.append(_("{n} features without a {geometry} geometry were not placed", n=skipped_geom,
                              geometry=GEOMETRY_NAMES.get(et.geometry, et.geometry)))
    for srep, _output in new_layers:
        srep.written = 0
    if new_layers:
        new_layers[0][0].written = len(uids)
    return {"type": type_id, "added": len(uids), "mapped_fields": mapped,
            "defaults_filled": sorted(f.name for f in et.attributes if f.name not in mapped.values())}


def _field_lookup(et, names: list[str]) -> dict[str, str]:
    """Catalog attribute → source field, by name, then by Chinese/English label."""
    low = {n.lower(): n for n in names}
    out = {}
    for f in et.attributes:
        for cand in (f.name, f.alias.get("zh"), f.alias.get("en")):
            if cand and cand.lower() in low:
                out[f.name] = low[cand.lower()]
                break
    return out
