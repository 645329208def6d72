"""Named local coordinate systems kept in the project file (``smartgis_local_crs``).

One row per system: its name, base CRS, model, parameters (JSON), rotation convention,
the fit report it came from (JSON) and its WKT — so the file is portable: another
machine, or GDAL reading the table, needs nothing else.  Rows live in
``project.extra_tables`` like every SmartGIS table and are written by a full save; the
table's columns are declared with the project's own in :mod:`smartgis.project.schema`.

Wherever a CRS is asked for, :func:`resolve_crs` turns the name of one of the
project's systems into its WKT; everything downstream (reprojection, raster warping,
labels) then sees an ordinary CRS.
"""

from __future__ import annotations

from smartgis.crs.local import LocalCRS, check_name
from smartgis.errors import CRSError
from smartgis.i18n import _
from smartgis.project.schema import LOCAL_CRS_TABLE as TABLE


def _rows(project) -> list[dict]:
    rows = project.extra_tables.get(TABLE)
    if rows is None:
        rows = _read_from_file(project)
        project.extra_tables[TABLE] = rows
    return rows


def _read_from_file(project) -> list[dict]:
    """Rows of a project opened before this table was registered (nothing else reads them)."""
    path = getattr(project, "base_path", None) or getattr(project, "path", None)
    if not path:
        return []
    from smartgis.project import gpkg
    try:
        conn = gpkg.connect(path, readonly=True)
    except Exception:  # noqa: BLE001 - no file yet: no systems stored
        return []
    try:
        return gpkg.read_rows(conn, TABLE)
    finally:
        conn.close()


def local_systems(project) -> dict[str, LocalCRS]:
    """The project's local systems by name (file order)."""
    return {r["name"]: LocalCRS.from_row(r) for r in _rows(project)}


def get_local_crs(project, name: str) -> LocalCRS:
    systems = local_systems(project)
    if name not in systems:
        raise CRSError(_("no local coordinate system {name!r} in the project (systems: {names})", name=name,
                         names=", ".join(systems) or _("none")))
    return systems[name]


def put_local_crs(project, system: LocalCRS, replace: bool = False) -> None:
    """Add (or with ``replace`` overwrite) a system; the project is saved by the caller."""
    if project.read_only:
        from smartgis.errors import ReadOnlyProjectError
        raise ReadOnlyProjectError(_("the project is open read-only (review mode); nothing can be changed"),
                                   project.path)
    row = system.to_row()          # builds and checks the WKT before anything changes
    rows = [dict(r) for r in _rows(project)]
    at = next((i for i, r in enumerate(rows) if r["name"] == system.name), None)
    if at is not None and not replace:
        raise CRSError(_("the project already has a local coordinate system {name!r} (use --replace to "
                         "overwrite it)", name=system.name))
    if at is None:
        rows.append(row)
    else:
        rows[at] = row
    project.extra_tables[TABLE] = rows
    _mark_dirty(project)


def remove_local_crs(project, name: str) -> None:
    get_local_crs(project, name)
    project.extra_tables[TABLE] = [dict(r) for r in _rows(project) if r["name"] != name]
    _mark_dirty(project)


def _mark_dirty(project) -> None:
    project._set_meta_dirty()   # the window asks to save; saving writes extra_tables


def resolve_crs(project, crs):
    """``crs`` with the name of one of the project's local systems replaced by its WKT.

    Anything else (EPSG codes, PROJ strings, WKT, None) is returned unchanged.
    """
    if project is None or not isinstance(crs, str):
        return crs
    name = crs.strip()
    try:
        check_name(name)
    except CRSError:
        return crs
    for r in _rows(project):
        if r["name"] == name:
            return r.get("wkt") or LocalCRS.from_row(r).to_wkt()
    return crs
