"""``smartgis info PROJECT [--json]`` — what a project file holds, without loading its data."""

from __future__ import annotations

ORDER = 20

from smartgis.i18n import _

#: Project metadata keys as the listing names them.
METADATA_WORDS = {"institute": _("institute"), "designer": _("designer"), "reviewer": _("reviewer"),
                  "created": _("created"), "modified": _("modified")}


def register(sub) -> None:
    p = sub.add_parser("info", help="show the layers and design of a project",
                       description="List a project's layers (kind, table, geometry type, feature count, CRS, "
                                   "extent, availability) and its design elements. Reads metadata only. Extents "
                                   "are given in the project CRS; a layer in another CRS (a referenced raster) "
                                   "names it beside its extent (--json: each layer's extent is in its own crs).")
    p.add_argument("project", metavar="PROJECT", help="project file (.gpkg)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def project_info(project) -> dict:
    """The ``info --json`` object of a project."""
    from smartgis.cli.common import finite
    from smartgis.core.layers import RasterLayer
    from smartgis.project.portable import external_references
    layers = []
    for lyr in project.ordered_layers():
        raster = isinstance(lyr, RasterLayer)
        ext = lyr.extent
        layers.append({
            "id": lyr.id,
            "name": lyr.name,
            "table": None if raster else lyr.table_name,
            "kind": lyr.kind,
            "geometry_type": None if raster else lyr.geometry_type,
            "feature_count": None if raster else (lyr.feature_count if lyr.available else None),
            "crs": lyr.crs,
            "extent": [finite(v) for v in ext] if ext else None,
            "available": bool(lyr.available),
        })
    refs = external_references(project)
    out = {
        "format_version": int(project.file_format_version or 0),
        "name": project.name,
        "crs": project.crs,
        "layers": layers,
        "design": {"element_counts": project.design.counts()},
        # hand-over check: does the one file carry everything it draws?
        "portable": not refs,
        "external_references": refs,
    }
    systems = _local_systems(project)
    if systems:   # only then: the object keeps its documented shape for every other project
        out["local_crs"] = systems
    foreign = getattr(project, "foreign_objects", None)
    if foreign:
        # triggers, views and virtual tables that are not a GeoPackage's own (never run by a save)
        out["foreign_objects"] = [o.to_dict() for o in foreign]
    return out


def _local_systems(project) -> list[dict]:
    """The project's local coordinate systems (``smartgis crs PROJECT list --json`` has more)."""
    from smartgis.project.local_crs import local_systems
    return [{"name": s.name, "base": s.base, "model": s.model,
             "rms_m": (s.fit or {}).get("rms_m")} for s in local_systems(project).values()]


def _short(ref: str) -> str:
    """An icon path as stored (embedded data is never a reference; long paths stay whole)."""
    return ref if len(ref) < 160 else ref[:157] + "..."


def run(args) -> int:
    from smartgis.cli.common import open_project, print_json
    from smartgis.crs import crs_label
    from smartgis.i18n import _, localizable, localize
    project = open_project(args.project)
    info = project_info(project)
    if args.json:
        print_json(info)
        return 0
    from smartgis.cli.common import say
    from smartgis.core.times import show
    from smartgis.crs import same_crs, transform_bounds
    print(f"{project.name}  ({project.path})")
    say(_("  CRS: {crs}    format version {version}", crs=crs_label(project.crs), version=info["format_version"]))
    for k in ("institute", "designer", "reviewer"):
        if project.metadata.get(k):
            say(_("  {key}: {value}", key=METADATA_WORDS[k], value=project.metadata[k]))
    for k in ("created", "modified"):
        if project.metadata.get(k):
            say(_("  {key}: {value}", key=METADATA_WORDS[k], value=show(project.metadata[k])))
    say(_("  {n} layers (extents in the project CRS):", n=len(info["layers"])))
    for lyr in info["layers"]:
        ext = lyr["extent"]
        own = lyr["extent"] and lyr["crs"] and not same_crs(lyr["crs"], project.crs)
        if own:
            try:
                ext = transform_bounds(ext, lyr["crs"], project.crs)
            except Exception:  # noqa: BLE001 - not transformable: shown in its own CRS, which is named
                pass
        ext_s = "" if not ext else "  [" + ", ".join(f"{v:.1f}" if v is not None else "-" for v in ext) + "]"
        if own:
            ext_s += localize(_("  (layer CRS: {crs})", crs=crs_label(lyr["crs"])))
        count = "" if lyr["feature_count"] is None else f"{lyr['feature_count']:>10,} "
        flag = "" if lyr["available"] else "  UNAVAILABLE"
        gt = lyr["geometry_type"] or "raster"
        print(f"   {lyr['kind']:<7} {gt:<16} {count}{lyr['name']}{ext_s}{flag}")
    counts = info["design"]["element_counts"]
    if counts:
        say(_("  design: {counts}", counts=", ".join(f"{k} {v}" for k, v in counts.items())))
    else:
        print("  " + localize(_("design: no elements yet")))
    refs = info["external_references"]
    if refs:
        print("  " + localize(_("not portable: {n} external reference(s); 'smartgis package' embeds them",
                                n=len(refs))))
        for r in refs:
            state = "" if r["found"] else "  " + localize(_("(missing)"))
            print(f"    {r['kind']:<7} {r['layer']}: {_short(r['reference'])}{state}")
    else:
        print("  " + localize(_("portable: the file carries all its symbols and rasters")))
    for s in info.get("local_crs", []):
        rms = "" if s["rms_m"] is None else f", RMS {s['rms_m']:.4f} m"
        print("  " + localize(_("local CRS {name}: {model} on {base}{rms}", name=s["name"], model=s["model"],
                                base=s["base"], rms=rms)))
    for lyr in project.layers.values():
        if not lyr.available:
            print("  " + localize(_("warning: layer {layer!r} is unavailable: {problem}", layer=lyr.name,
                                    problem=localizable(lyr.error))))
    for o in info.get("foreign_objects", []):
        on = f" on {o['table']}" if o["type"] == "trigger" and o["table"] else ""
        print("  " + localize(_("warning: the file holds a {kind} SmartGIS does not know: {name!r}{on}; it is "
                                "never run, and a save removes it", kind=o["type"], name=o["name"], on=on)))
    return 0
