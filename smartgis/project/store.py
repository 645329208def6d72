"""Reading and writing project files: one GeoPackage per project.

Safety rules, each with a test:

* **Never write in place.**  A save copies the current file to a temporary file beside
  the target, applies the changes there in one transaction, flushes it to disk and
  renames it over the target.  The previous version stays as ``NAME.gpkg.bak`` (a hard
  link, so keeping it costs no copy).  A process killed at any instant leaves the old
  or the new project, both complete.
* **Opening never writes.**  Files are read through ``mode=ro&immutable=1`` SQLite
  connections; a reviewer's file keeps every byte.
* **Refuse what we cannot read right**: a newer format version, a damaged database.
* **Keep what we cannot show**: a layer whose source is missing opens as unavailable
  and keeps its definition through saves.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import shutil
import sqlite3
import weakref
from pathlib import Path

import numpy as np

from smartgis import FORMAT_VERSION, __version__
from smartgis.core import tempfiles
from smartgis.core.catalog import Catalog, ElementType
from smartgis.core.design import ElementLayer
from smartgis.core.gil import share_gil
from smartgis.core.layers import Layer, RasterLayer, VectorLayer, layer_from_definition
from smartgis.core.layertree import LayerTree
from smartgis.core.progress import report
from smartgis.core.project import Project
from smartgis.core.style import VectorStyle
from smartgis.crs import crs_to_string, gk_zone_for, parse_crs, same_crs, transform_bounds, transform_geometries
from smartgis.errors import (
    CRSError,
    DamagedProjectError,
    ProjectFileError,
    ProjectVersionError,
    UsageError,
)
from smartgis.i18n import _
from smartgis.project import fsafety, gpkg, guard, integrity, portable, schema, writers
from smartgis.project.qml import style_to_qml

BACKUP_SUFFIX = ".bak"


# == opening ============================================================================
def _check_file(path: Path) -> None:
    if not path.exists():
        raise ProjectFileError(_("no such project file"), path)
    if path.is_dir():
        raise ProjectFileError(_("is a folder, not a project file"), path)
    if not os.access(path, os.R_OK):
        raise ProjectFileError(_("cannot be read (permission denied)"), path)
    with open(path, "rb") as fh:
        head = fh.read(16)
    if len(head) < 16 or head != b"SQLite format 3\x00":
        what = _("is empty") if not head else _("is not a GeoPackage (not an SQLite database)")
        raise DamagedProjectError(what, path)
    integrity.check_header(path)


def _integrity(conn: sqlite3.Connection, path: Path) -> None:
    # header, schema and every table but the large feature tables: opening a
    # province-sized file costs what opening a small one does
    integrity.check_file(conn, path)


#: Times an open starts again when another save replaces the file while it is opened.
OPEN_ATTEMPTS = 5


def open_project(path, read_only: bool = False, progress=None) -> Project:
    """Open a project file, or a plain GeoPackage as a new project.

    Parameters
    ----------
    path : str or Path
    read_only : bool
        Review mode: the project refuses :meth:`Project.save` (review tables excepted,
        see :mod:`smartgis.review`).  The file is never written either way.

    Raises
    ------
    ProjectFileError, DamagedProjectError, ProjectVersionError
    """
    path = Path(path).absolute()
    _check_file(path)
    report(progress, 0, 1, _("opening"))
    for _attempt in range(OPEN_ATTEMPTS):
        pinned = writers.Pin(path)   # before reading: a later save knows what "as opened" was
        try:
            conn = gpkg.connect(path, readonly=True)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            raise DamagedProjectError(_("cannot be read as a database ({error})", error=str(exc)), path) from None
        if pinned.still_at(path) or _attempt == OPEN_ATTEMPTS - 1:
            break
        # another program's save replaced the file between the pin and the read: the
        # tables would come from one version and "as opened" from another; read again
        conn.close()
    try:
        foreign = guard.check_core_tables(conn, path)
        _integrity(conn, path)
        if not gpkg.is_geopackage(conn):
            raise DamagedProjectError(_("is an SQLite database but not a GeoPackage (no gpkg_contents table)"), path)
        version = schema.file_format_version(conn)
        base = path
        if version is not None and version > FORMAT_VERSION:
            app = conn.execute("SELECT value FROM smartgis_project WHERE key='app_version'").fetchone()
            by = f"SmartGIS {app[0]}" if app else _("a newer SmartGIS")
            raise ProjectVersionError(_(
                "was written by {by} (project format {version}); this SmartGIS {ours} reads formats up to "
                "{newest}. Update SmartGIS to open it; the file was not changed.", by=by, version=version,
                ours=__version__, newest=FORMAT_VERSION), path)
        if version is not None and version < FORMAT_VERSION:
            conn.close()
            base = _migrated_copy(path, version)
            conn = gpkg.connect(base, readonly=True)
        project = None
        try:
            if version is None:
                project = _project_from_plain(conn, path)
            else:
                project = _project_from_smartgis(conn, path)
        except sqlite3.DatabaseError as exc:
            raise gpkg.read_error(exc, conn, path, _("the project tables")) from None
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            # json.JSONDecodeError is a ValueError: a hand-edited or hostile smartgis_* row
            raise DamagedProjectError(_("a SmartGIS table holds unreadable data ({error})",
                                        error=f"{type(exc).__name__}: {exc}"), path) from None
        finally:
            if base != path and project is None:    # the migrated copy is of no use now
                shutil.rmtree(base.parent, ignore_errors=True)
    except sqlite3.DatabaseError as exc:
        raise gpkg.read_error(exc, conn, path, _("the project tables")) from None
    finally:
        conn.close()
    #: Triggers, views and virtual tables that are not a GeoPackage's own: reported by
    #: ``info`` and the window, removed from the copy every save writes.
    project.foreign_objects = foreign
    project.path = path
    project.base_path = base
    # icons stored as paths by older files are embedded (written on the next save)
    project.symbol_migrations = portable.migrate_symbols(project)
    project._pin = pinned
    if base != path:  # the migrated copy lives as long as the project reads from it
        weakref.finalize(project, shutil.rmtree, str(base.parent), True)
    project.read_only = read_only
    project.file_format_version = version
    project.store = save_project  # project.save() writes it back through this file API
    project._meta_dirty = False
    project.stack.set_clean()
    report(progress, 1, 1, _("opened"))
    return project


def _migrated_copy(path: Path, version: int) -> Path:
    tmpdir = Path(tempfiles.mkdtemp("migrate-"))
    copy = tmpdir / path.name
    shutil.copyfile(path, copy)
    conn = gpkg.connect(copy)
    try:
        with conn:
            schema.migrate(conn, version)
    except KeyError as exc:
        raise ProjectFileError(_("cannot upgrade project format {version}: {error}", version=version,
                                 error=exc.args[0]), path) from None
    finally:
        conn.close()
    return copy


def _meta(conn) -> dict:
    return {k: v for k, v in conn.execute("SELECT key, value FROM smartgis_project")}


def _project_from_smartgis(conn: sqlite3.Connection, path: Path) -> Project:
    meta = _meta(conn)
    crs = meta.get("crs") or "EPSG:4547"
    catalog = _catalog_from_file(conn)
    try:
        project = Project(meta.get("name") or path.stem, crs, description=meta.get("description", ""),
                          metadata=json.loads(meta.get("metadata") or "{}"),
                          settings=json.loads(meta.get("settings") or "{}"), catalog=catalog)
    except CRSError as exc:
        raise DamagedProjectError(_("the project CRS is unusable ({error})", error=exc.message), path) from None
    tables = {t["table"].lower(): t for t in gpkg.feature_tables(conn)}
    tree_rows = gpkg.read_rows(conn, "smartgis_layer_tree")
    for row in gpkg.read_rows(conn, "smartgis_layers"):
        d = json.loads(row["definition"])
        lyr = _layer_from_row(project, d, conn, tables, path)
        project.layers[lyr.id] = lyr
        lyr.changed.connect(project._on_layer_changed)
    project.tree = LayerTree.from_rows([dict(r) for r in tree_rows])
    project.tree.changed.connect(project._on_tree)
    for lyr in project.layers.values():  # layers missing from the tree are shown, not lost
        if not project.tree.has_layer(lyr.id):
            project.tree.add_layer(lyr.id, len(project.tree.children))
    # Every SmartGIS table of the file comes along as rows, whether or not the part that
    # owns it has declared it in this process: nothing depends on what was imported first.
    for name in schema.extra_tables_in(conn):
        project.extra_tables[name] = schema.read_extra_rows(conn, name)
    project.extra_tables_read = {n: [dict(r) for r in rows] for n, rows in project.extra_tables.items()}
    return project


def _catalog_from_file(conn) -> Catalog:
    """The built-in catalog plus the types stored in the file that it lacks.

    Types the user defined for this project (origin ``project``) come from the file;
    a type a plugin contributed stays usable in a session without that plugin.
    """
    from smartgis.core.catalog import default_catalog
    cat = default_catalog()   # built-in types and those of the enabled plugins
    for row in gpkg.read_rows(conn, "smartgis_catalog"):
        try:
            d = json.loads(row["definition"])
            origin = row.get("origin") or "project"
            if origin == "project" or d["id"] not in cat:
                cat.add(ElementType.from_dict(d, cat.common, origin=origin if origin == "project" else "snapshot"),
                        replace=True)
        except Exception:  # a broken snapshot entry falls back to the built-in type
            continue
    return cat


def _layer_from_row(project: Project, d: dict, conn, tables: dict, path: Path) -> Layer:
    kind = d.get("kind")
    if kind == "design":
        tid = d.get("element_type")
        et = project.catalog.get(tid) if tid in project.catalog else ElementType(
            tid or "unknown", {"zh": d.get("name", tid), "en": d.get("name", tid)}, "facility",
            d.get("geometry_type") or "Point", origin="missing")
        lyr = ElementLayer(et, name=d.get("name"), id=d.get("id"), crs=d.get("crs"), source=d.get("source"),
                           opacity=d.get("opacity", 1.0), role=d.get("role"), props=d.get("props"),
                           style=VectorStyle.from_dict(d.get("style")), table_name=d.get("table"))
    else:
        lyr = layer_from_definition(d)
    if isinstance(lyr, VectorLayer):
        _attach_table(project, lyr, conn, tables)
    elif isinstance(lyr, RasterLayer):
        _resolve_raster(lyr, d, path, conn)
    return lyr


def _attach_table(project: Project, lyr: VectorLayer, conn, tables: dict) -> None:
    info = tables.get((lyr.table_name or "").lower())
    if info is None or not gpkg.table_exists(conn, info["table"]):
        lyr.available = False
        lyr.error = _("table {table!r} is missing from the project file", table=lyr.table_name)
        return
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type='view' AND lower(name)=lower(?)",
                    (info["table"],)).fetchone():
        # a view runs the file's own query on every read: never read, the layer is unavailable
        lyr.available = False
        lyr.error = _("{table!r} is a view, not a table; SmartGIS does not run the file's own queries",
                      table=info["table"])
        return
    table_crs = gpkg.srs_definition(conn, info["srs_id"]) or lyr.crs or project.crs
    if lyr.crs is None:
        lyr.crs = table_crs
    _name, _geom, fields = gpkg.table_columns(conn, info["table"])
    ext = info["extent"]
    if ext and lyr.crs and table_crs and not same_crs(table_crs, lyr.crs):
        ext = list(transform_bounds(ext, table_crs, lyr.crs))
    meta = {"feature_count": gpkg.feature_count(conn, info["table"]), "extent": ext,
            "fields": [f.to_dict() for f in fields]}
    lyr.geometry_type = lyr.geometry_type or info["geometry_type"]
    lyr.attach_loader(_loader(project, info["table"], table_crs, lyr), meta)
    if isinstance(lyr, ElementLayer):
        lyr.declared_fields = fields and [f for f in fields]
        project.design.attach(lyr)


def _read_source(project: Project) -> Path:
    """The file a layer loads from: the project's base file — or, when another program
    replaced it since it was opened, a copy of the content as opened (still readable
    through the pin), so that every layer of a project comes from one version."""
    base = Path(project.base_path)
    pin = getattr(project, "_pin", None)
    if pin is None or not project.path or base != Path(project.path) or writers.stamp(base) == pin.stamp:
        return base
    copy = getattr(project, "_as_opened", None)
    if copy is None or getattr(project, "_as_opened_stamp", None) != pin.stamp:
        src = pin.path
        if src is None:
            return base
        folder = Path(tempfiles.mkdtemp("opened-"))
        copy = folder / "opened.gpkg"
        with open(src, "rb") as fh, open(copy, "wb") as out:
            shutil.copyfileobj(fh, out, 1 << 20)
        weakref.finalize(project, shutil.rmtree, str(folder), True)
        project._as_opened, project._as_opened_stamp = copy, pin.stamp
    return copy


def _loader(project: Project, table: str, table_crs, lyr: VectorLayer):
    """Read a layer's data from the project's current base file on first use."""
    def load(what: str):
        conn = gpkg.connect(_read_source(project), readonly=True)
        try:
            return _load(conn, what)
        except sqlite3.DatabaseError as exc:
            raise gpkg.read_error(exc, conn, project.path or project.base_path,
                                  _("layer {layer!r}", layer=lyr.name)) from None
        finally:
            conn.close()

    def _load(conn, what: str):
        if what == "geometry":
            fids, geoms = gpkg.read_geometries(conn, table)
            if table_crs and lyr.crs and not same_crs(table_crs, lyr.crs):
                geoms = _reprojected(geoms, table_crs, lyr.crs)
            return fids, geoms
        fields = lyr.declared_fields or None
        return gpkg.read_attributes(conn, table, fields)
    return load


def _reprojected(geoms, src, dst):
    """``geoms`` reprojected in steps of :data:`gpkg.READ_CHUNK`, handing the GIL to
    other threads between steps: a layer loads on a worker thread while the window
    keeps running."""
    if len(geoms) <= gpkg.READ_CHUNK:
        return transform_geometries(geoms, src, dst)
    parts = []
    for a in range(0, len(geoms), gpkg.READ_CHUNK):
        share_gil()
        parts.append(transform_geometries(geoms[a:a + gpkg.READ_CHUNK], src, dst))
    return np.concatenate(parts)


def _resolve_raster(lyr: RasterLayer, d: dict, path: Path, conn) -> None:
    if lyr.embedded_table:
        if not gpkg.table_exists(conn, lyr.embedded_table):
            lyr.available = False
            lyr.error = _("embedded raster table {table!r} is missing", table=lyr.embedded_table)
        return
    candidates = []
    rel = d.get("path_relative")
    if rel:
        candidates.append((path.parent / rel).resolve())
    if lyr.path:
        candidates.append(path.parent / lyr.path)   # relative paths are to the project folder
    for c in candidates:
        if c.is_file():
            lyr.path = str(c)
            return
    lyr.available = False
    shown = rel or lyr.path
    special = next((c for c in candidates if c.exists() and not c.is_dir()), None)
    if special is not None:
        # a pipe or a device would hang every read of the layer
        lyr.error = _("raster source {source!r} is not a regular file (a pipe, socket or device)", source=shown)
        return
    lyr.error = _("raster source {source!r} not found", source=shown)


def _project_from_plain(conn: sqlite3.Connection, path: Path) -> Project:
    """A GeoPackage without SmartGIS tables: a new project whose layers are its tables."""
    tables = gpkg.feature_tables(conn)
    crs = None
    for t in tables:
        c = gpkg.srs_definition(conn, t["srs_id"])
        if c is None:
            continue
        pc = parse_crs(c)
        if pc.is_projected and {a.unit_name for a in pc.axis_info} <= {"metre", "meter"}:
            crs = c
            break
        if pc.is_geographic and t["extent"]:
            lon = (t["extent"][0] + t["extent"][2]) / 2
            lat = (t["extent"][1] + t["extent"][3]) / 2
            lon_lat = transform_bounds(t["extent"], c, "EPSG:4326") if not same_crs(c, "EPSG:4326") else None
            if lon_lat:
                lon = (lon_lat[0] + lon_lat[2]) / 2
            if 72 <= lon <= 136 and 0 <= lat <= 56:
                crs = gk_zone_for(lon).code
            else:
                zone = int((lon + 180) // 6) + 1
                crs = f"EPSG:{(32600 if lat >= 0 else 32700) + zone}"
            break
    project = Project(path.stem, crs or "EPSG:4547")
    by_name = {t["table"].lower(): t for t in tables}
    for i, t in enumerate(tables):
        lyr = VectorLayer(t["identifier"] or t["table"], geometry_type=t["geometry_type"], table_name=t["table"],
                          style=VectorStyle.default_for(t["geometry_type"], seed=i), crs=project.crs,
                          source={"path": str(path), "driver": "GPKG", "layer": t["table"]})
        _attach_table(project, lyr, conn, by_name)
        project.layers[lyr.id] = lyr
        lyr.changed.connect(project._on_layer_changed)
        project.tree.add_layer(lyr.id, len(project.tree.children))
    for t, ident, x0, y0, x1, y1, srs_id in conn.execute(
            "SELECT table_name, identifier, min_x, min_y, max_x, max_y, srs_id FROM gpkg_contents "
            "WHERE data_type IN ('tiles', '2d-gridded-coverage') ORDER BY rowid").fetchall():
        bounds = [x0, y0, x1, y1] if None not in (x0, y0, x1, y1) else None
        lyr = RasterLayer(ident or t, None, embedded_table=t, crs=gpkg.srs_definition(conn, srs_id),
                          info={"bounds": bounds, "count": 1})
        project.layers[lyr.id] = lyr
        lyr.changed.connect(project._on_layer_changed)
        project.tree.add_layer(lyr.id, len(project.tree.children))
    return project


# == saving =============================================================================
def _fsync(path: Path) -> None:
    fd = os.open(str(path), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(str(path), os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _temp_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.saving")


def _remove_stale_temps(target: Path) -> None:
    """Remove what killed saves of ``target`` left: ``.NAME.gpkg.<pid>.saving`` and the
    backup copies in progress (``.NAME.gpkg.bak.<pid>.new``)."""
    stale = [*target.parent.glob(f".{target.name}.*.saving"), *target.parent.glob(f".{target.name}.bak.*.new")]
    for p in stale:
        try:
            pid = int(p.name.rsplit(".", 2)[-2])
        except ValueError:
            continue
        if pid == os.getpid() or not pid_alive(pid):
            try:
                p.unlink()
            except OSError:
                pass


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (temporary and recovery files name their writer)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # not ours to signal (PermissionError): it runs
        return True
    return True


def save_project(project: Project, path=None, progress=None, *, writer=None, copy: bool = False,
                 writer_tables=()) -> Path:
    """Write the project atomically to ``path`` (default: ``project.path``).

    Parameters
    ----------
    project : Project
    path : str or Path, optional
        Target ``.gpkg`` file.  A symbolic link is saved through: its target file is
        replaced, the link stays.
    progress : callable, optional
        ``progress(done, total, message)``; returning False cancels (nothing changes).
    writer : callable, optional
        ``writer(conn)`` instead of the full project write — used by review sessions
        to write only their own tables.
    writer_tables : iterable of str
        The only tables ``writer`` may write rows of; SQLite refuses anything else
        (a trigger's write included).
    copy : bool
        Write a copy (an autosave recovery file): the project keeps its path, its
        base file and its modified state.

    Returns
    -------
    Path
        The file written (the path given, not the target of a link).

    Raises
    ------
    ProjectFileError
        The file or its folder cannot be written (permissions, disk full, file too
        large, name too long), or another program changed it in a way that cannot be
        merged (:class:`smartgis.project.merge.MergeConflict`).
    """
    given = Path(path if path is not None else (project.path or "")).absolute() if (path or project.path) else None
    if given is None:
        raise UsageError(_("the project has no file name yet; give one (Save As)"))
    if given.suffix.lower() != ".gpkg":
        raise UsageError(_("project files end in .gpkg"), given)
    try:
        return _save(project, given, progress, writer, copy, set(writer_tables))
    except OSError as exc:
        if isinstance(exc, ProjectFileError):
            raise
        raise fsafety.os_error(exc, given) from None
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, (sqlite3.ProgrammingError, sqlite3.InterfaceError)):
            raise
        raise fsafety.sqlite_error(exc, given) from None


def _save(project: Project, given: Path, progress, writer, copy: bool, writer_tables: set) -> Path:
    target = fsafety.real_target(given)
    if target.is_dir():
        raise ProjectFileError(_("is a folder"), given)
    if not target.parent.is_dir():
        raise ProjectFileError(_("the folder does not exist"), target.parent)
    if not os.access(target.parent, os.W_OK):
        raise ProjectFileError(_("the folder is not writable"), target.parent)
    fsafety.check_replaceable(target, given)
    _remove_stale_temps(target)
    tmp = _temp_name(target)
    same_file = project.path is not None and fsafety.real_target(Path(project.path)) == target
    with writers.save_lock(target):
        merged = []
        base = project.base_path if project.base_path and Path(project.base_path).exists() else None
        changed = same_file and writers.changed_on_disk(project)
        unchanged = []
        if changed:
            # Another program saved this file since we opened it: start from its
            # version, and bring our element changes onto it (or refuse).
            base = target
            if writer is None and not copy:
                merged = _merge_with_disk(project, target)
                unchanged = [lyr for lyr in project.layers.values() if isinstance(lyr, VectorLayer)
                             and lyr.available and not lyr.dirty and lyr.has_loader]
        try:
            if target.exists():
                # Private while it is written: a chmod 600 project is never readable by
                # others through its temporary copy (its own mode is given before the rename).
                os.close(os.open(str(tmp), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
                os.chmod(tmp, 0o600)
            if base is not None:
                report(progress, 0, 1, _("copying"))
                shutil.copyfile(base, tmp)
            conn = gpkg.connect(tmp)
            try:
                guard.harden(conn)
                # The temporary file is thrown away on any failure, so it needs no
                # rollback journal; durability comes from the fsync before the rename.
                conn.execute("PRAGMA journal_mode=OFF")
                conn.execute("PRAGMA synchronous=OFF")
                # Imported layers still in their staging GeoPackage are copied table to
                # table; SQLite attaches databases only outside a transaction.
                attached = _attach_staged(conn, project) if writer is None else {}
                conn.execute("BEGIN")
                # Nothing of the file's own code runs, and the saved file carries none of it.
                guard.disarm(conn)
                gpkg.init_gpkg(conn)
                schema.create_tables(conn)
                if writer is not None:
                    with guard.only_tables(conn, writer_tables):
                        writer(conn)
                else:
                    _write_project(conn, project, target, progress, attached)
                conn.execute("COMMIT")
                _maybe_vacuum(conn)
            finally:
                conn.close()
            report(progress, 0.98, 1, _("flushing"))
            fsafety.keep_attributes(target, tmp)
            _fsync(tmp)
            if target.exists():
                fsafety.backup(target, target.with_name(target.name + BACKUP_SUFFIX))
            os.replace(tmp, target)
            _fsync_dir(target.parent)
        except BaseException:
            try:
                tmp.unlink()
            except OSError:
                pass
            raise
        if not copy and (writer is None or not changed):
            # What we wrote is what we now know the file to be.
            writers.pin(project, target)
    if writer is None and not copy:
        _after_save(project, given)
        if unchanged:
            _reload_unchanged(project, unchanged, target)
    project.merged_layers = merged
    report(progress, 1, 1, _("saved"))
    return given


def _merge_with_disk(project: Project, target: Path) -> list[str]:
    from smartgis.project.merge import MergeConflict, merge
    orig = getattr(project, "_pin", None)
    orig_path = orig.path if orig is not None else None
    if orig_path is None or project.base_path is None or \
            fsafety.real_target(Path(project.base_path)) != target:
        # no original to compare with (a migrated copy, or no /proc): refuse rather than guess
        raise MergeConflict(_("was changed by another program since it was opened here; nothing was saved: "
                              "open it again and redo the change"), target)
    # SQLite resolves /proc/self/fd links to the (now deleted) name: read a copy
    folder = Path(tempfiles.mkdtemp("merge-"))
    try:
        copy = folder / "opened.gpkg"
        with open(orig_path, "rb") as src, open(copy, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        oc = gpkg.connect(copy, readonly=True)
        dc = gpkg.connect(target, readonly=True)
        try:
            return merge(project, oc, dc, target)
        finally:
            oc.close()
            dc.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _reload_unchanged(project: Project, layers: list, target: Path) -> None:
    """After a merged save, ``layers`` (those this session did not change) read the file
    again when next used: the other writer may have changed them."""
    conn = gpkg.connect(target, readonly=True)
    try:
        tables = {t["table"].lower(): t for t in gpkg.feature_tables(conn)}
        for lyr in layers:
            info = tables.get((lyr.table_name or "").lower())
            if info is None:
                continue
            meta = {"feature_count": gpkg.feature_count(conn, info["table"]), "extent": info["extent"],
                    "fields": [f.to_dict() for f in gpkg.table_columns(conn, info["table"])[2]]}
            table_crs = gpkg.srs_definition(conn, info["srs_id"]) or lyr.crs or project.crs
            lyr.attach_loader(_loader(project, info["table"], table_crs, lyr), meta)
            lyr.version += 1
    finally:
        conn.close()


def _maybe_vacuum(conn: sqlite3.Connection) -> None:
    """Reclaim space when dropped or rewritten tables left much of the file free."""
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    free = conn.execute("PRAGMA freelist_count").fetchone()[0]
    if pages and free / pages > 0.3:
        conn.execute("VACUUM")


def _attach_staged(conn: sqlite3.Connection, project: Project) -> dict:
    """Attach the staging databases of imported layers; returns {layer id: schema}."""
    schemas: dict[str, str] = {}
    out: dict[str, str] = {}
    for lyr in project.layers.values():
        staged = getattr(lyr, "staged", None)
        if staged is None or not lyr.available or not staged.usable_for(lyr):
            continue
        key = str(staged.path)
        if key not in schemas:
            schemas[key] = f"staged{len(schemas)}"
            conn.execute("ATTACH DATABASE ? AS " + schemas[key], (key,))
        out[lyr.id] = schemas[key]
    return out


def _after_save(project: Project, target: Path) -> None:
    for lyr in project.layers.values():
        if isinstance(lyr, RasterLayer):
            lyr.pending_writer = None
        if isinstance(lyr, VectorLayer) and getattr(lyr, "staged", None) is not None:
            # The data now lives in the project file: read it from there from now on.
            if not lyr.loaded or not lyr.attributes_loaded:
                lyr.move_loader(_loader(project, lyr.table_name, lyr.crs, lyr))
            lyr.staged = None
    project.file_format_version = FORMAT_VERSION
    project.symbol_migrations = []
    project.store = save_project  # from now on project.save() writes it here again
    project.extra_tables_read = {n: [dict(r) for r in rows] for n, rows in project.extra_tables.items()}
    project.mark_saved(target)


def _layer_rows(project: Project, target: Path) -> list[dict]:
    rows = []
    for lyr in project.layers.values():
        d = portable.relative_definition(lyr.definition(), target.parent)
        if isinstance(lyr, RasterLayer) and lyr.path:
            try:
                d["path_relative"] = os.path.relpath(lyr.path, target.parent)
            except ValueError:  # another drive on Windows
                d["path_relative"] = None
        if isinstance(lyr, VectorLayer):
            d["feature_count"] = lyr.feature_count
            d["extent"] = lyr.extent
        d["available"] = lyr.available
        rows.append({"layer_id": lyr.id, "name": lyr.name, "kind": lyr.kind,
                     "table_name": getattr(lyr, "table_name", None), "definition": json.dumps(d, ensure_ascii=False)})
    return rows


def _write_project(conn: sqlite3.Connection, project: Project, target: Path, progress,
                   attached: dict | None = None) -> None:
    # 0. icons set by path (a style dialog, a script) go into the file, not their paths
    portable.embed_all_icons(project)
    # 1. tables of layers that left the project
    old_tables = {r["table_name"] for r in gpkg.read_rows(conn, "smartgis_layers") if r.get("table_name")}
    if not old_tables and project.file_format_version is None:
        old_tables = {t["table"] for t in gpkg.feature_tables(conn)}
    keep = {t.lower() for t in project.table_names()}
    for t in old_tables:
        if t.lower() not in keep:
            gpkg.drop_table(conn, t)

    # 2. vector and design tables that changed (or are new to this file)
    existing = {t["table"].lower() for t in gpkg.feature_tables(conn)}
    todo = [lyr for lyr in project.layers.values() if isinstance(lyr, VectorLayer) and lyr.available
            and (lyr.dirty or lyr.table_name.lower() not in existing)]
    total = sum(max(1, lyr.feature_count) for lyr in todo) or 1
    done = 0
    for lyr in todo:
        def prog(k, n, _done=done, _lyr=lyr):
            report(progress, 0.05 + 0.9 * (_done + k) / total, 1, _("writing {layer}", layer=_lyr.name))
        if isinstance(lyr, ElementLayer):
            lyr.ensure_fields()
        if attached and lyr.id in attached and lyr.staged.usable_for(lyr):
            lyr.staged.copy_into(conn, attached[lyr.id], lyr.table_name, crs=lyr.crs or project.crs,
                                 identifier=lyr.name, description=f"SmartGIS {lyr.kind} layer")
            done += max(1, lyr.feature_count)
            prog(0, 1)
            continue
        gpkg.write_feature_table(conn, lyr.table_name, lyr.geometries, lyr.table, crs=lyr.crs or project.crs,
                                 geometry_type=lyr.geometry_type, fids=lyr.fids, identifier=lyr.name,
                                 description=f"SmartGIS {lyr.kind} layer", progress=prog)
        done += max(1, lyr.feature_count)
    for lyr in project.layers.values():  # names shown by QGIS follow renames
        if isinstance(lyr, VectorLayer) and lyr.available and lyr not in todo:
            conn.execute("UPDATE gpkg_contents SET identifier=? WHERE lower(table_name)=lower(?) AND "
                         "NOT EXISTS (SELECT 1 FROM gpkg_contents WHERE identifier=? AND lower(table_name)!=lower(?))",
                         (lyr.name, lyr.table_name, lyr.name, lyr.table_name))
    for lyr in project.layers.values():
        writer = getattr(lyr, "pending_writer", None)
        if writer is not None:
            writer(conn, target)

    # 3. SmartGIS tables
    now = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()   # UTC with its offset
    project.metadata["modified"] = now
    meta = {"format_version": str(FORMAT_VERSION), "app_version": __version__, "name": project.name,
            "description": project.description, "crs": crs_to_string(project.crs),
            "metadata": json.dumps(project.metadata, ensure_ascii=False),
            "settings": json.dumps(project.settings, ensure_ascii=False), "saved": now}
    gpkg.replace_rows(conn, "smartgis_project", [{"key": k, "value": v} for k, v in meta.items()])
    gpkg.replace_rows(conn, "smartgis_layers", _layer_rows(project, target))
    gpkg.replace_rows(conn, "smartgis_layer_tree", project.tree.to_rows())
    used = {lyr.element_type.id for lyr in project.layers.values() if isinstance(lyr, ElementLayer)}
    common = [f.name for f in project.catalog.common]
    cat_rows = [{"type_id": t.id, "origin": t.origin, "definition": json.dumps(t.to_dict(common), ensure_ascii=False)}
                for t in project.catalog if t.id in used or t.origin == "project"]
    gpkg.replace_rows(conn, "smartgis_catalog", cat_rows)
    for name, rows in project.extra_tables.items():
        if name in schema.TABLE_SAVERS:
            schema.TABLE_SAVERS[name](conn, project, rows)
        elif rows != project.extra_tables_read.get(name) or not gpkg.table_exists(conn, name):
            # rows nobody changed stay as the file has them (another session may have
            # added some meanwhile); changed ones replace the table's content
            schema.ensure_table(conn, name, rows)
            gpkg.replace_rows(conn, name, rows)

    # 4. styles for QGIS, and the symbols they use
    for lyr in project.layers.values():
        if isinstance(lyr, VectorLayer) and lyr.available:
            write_qgis_style(conn, lyr)
    portable.save_symbols(conn, project)


def write_qgis_style(conn: sqlite3.Connection, lyr: VectorLayer) -> None:
    """Store the layer's style as the default QML style of its table."""
    qml = style_to_qml(lyr.style, lyr.geometry_type, lyr.opacity, lyr.name)
    conn.execute("DELETE FROM layer_styles WHERE lower(f_table_name)=lower(?) AND styleName=?",
                 (lyr.table_name, "smartgis"))
    conn.execute("UPDATE layer_styles SET useAsDefault=0 WHERE lower(f_table_name)=lower(?)", (lyr.table_name,))
    conn.execute("INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
                 "styleName, styleQML, styleSLD, useAsDefault, description, owner, ui) "
                 "VALUES ('', '', ?, ?, 'smartgis', ?, '', 1, ?, 'SmartGIS', '')",
                 (lyr.table_name, gpkg.GEOM_COLUMN, qml, f"{lyr.name} (SmartGIS)"))


def file_layer_count(path) -> int:
    """Number of layers in a project file (used by quick listings)."""
    conn = gpkg.connect(path, readonly=True)
    try:
        return len(gpkg.read_rows(conn, "smartgis_layers")) or len(gpkg.feature_tables(conn))
    finally:
        conn.close()


__all__ = ["open_project", "save_project", "write_qgis_style", "BACKUP_SUFFIX"]
