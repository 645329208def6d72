"""Rasters: orthophotos, DEMs and anything else GDAL reads, through rasterio.

A raster is referenced by path by default (the project file stores the path relative
to itself).  On import SmartGIS builds overviews when the raster has none, so a
zoomed-out view never reads full resolution, and computes statistics (exactly, block
by block, for single-band rasters such as DEMs; from an overview for the others).
``embed=True`` copies the raster into the project file as GeoPackage tiles: GDAL
writes them (with their zoom levels) into a scratch GeoPackage, and the next save
copies those tables into the project file inside its transaction.
"""

from __future__ import annotations

import math
import os
import re
import sqlite3
from pathlib import Path

import numpy as np

from smartgis.core.layers import RasterLayer
from smartgis.core.progress import report
from smartgis.crs import crs_to_string
from smartgis.errors import CRSError, SourceError
from smartgis.i18n import _

#: Overviews are built down to this size (pixels on the longer side).
OVERVIEW_MIN = 256
#: Rasters smaller than this need no overviews.
OVERVIEW_THRESHOLD = 512


def _open(path, display=None):
    import rasterio
    if isinstance(path, (str, os.PathLike)) and os.path.exists(path) and not os.path.isfile(path) \
            and not os.path.isdir(path):
        # a pipe or a device would wait for ever inside GDAL
        raise SourceError(_("is not a regular file (a pipe, socket or device); import files and folders only"),
                          display or path)
    try:
        return rasterio.open(path)
    except rasterio.errors.RasterioIOError as exc:
        from smartgis.io.gdal import clean_message
        msg = clean_message(exc)
        name = os.path.basename(str(path))
        if msg.startswith(name + ": "):
            msg = msg[len(name) + 2:]
        raise SourceError(_("the raster cannot be opened: damaged, truncated or not a raster ({error})", error=msg),
                          display or path) from None


def overview_factors(width: int, height: int) -> list[int]:
    """Powers of two down to :data:`OVERVIEW_MIN` pixels on the longer side."""
    longest = max(width, height)
    out, f = [], 2
    while longest / f >= OVERVIEW_MIN / 2 and longest > OVERVIEW_THRESHOLD:
        out.append(f)
        f *= 2
    return out


def _stats_exact(ds, band: int, progress=None) -> dict:
    """Exact statistics of one band, read in strips (bounded memory)."""
    from rasterio.windows import Window
    n = 0
    s = s2 = 0.0
    vmin, vmax = math.inf, -math.inf
    rows = max(1, min(ds.height, (16 << 20) // max(1, ds.width * 8)))
    for r0 in range(0, ds.height, rows):
        h = min(rows, ds.height - r0)
        a = ds.read(band, window=Window(0, r0, ds.width, h), masked=True)
        v = a.compressed().astype(np.float64)
        v = v[np.isfinite(v)]
        if v.size:
            n += v.size
            s += float(v.sum())
            s2 += float((v * v).sum())
            vmin = min(vmin, float(v.min()))
            vmax = max(vmax, float(v.max()))
        report(progress, r0 + h, ds.height, _("statistics"))
    if not n:
        return {"min": None, "max": None, "mean": None, "std": None, "valid_count": 0, "approximate": False}
    mean = s / n
    return {"min": vmin, "max": vmax, "mean": mean, "std": math.sqrt(max(0.0, s2 / n - mean * mean)),
            "valid_count": n, "approximate": False}


def _stats_approx(ds) -> list[dict]:
    scale = max(1, int(math.ceil(max(ds.width, ds.height) / 1024)))
    shape = (ds.count, max(1, ds.height // scale), max(1, ds.width // scale))
    a = ds.read(out_shape=shape, masked=True)
    out = []
    for b in range(ds.count):
        v = a[b].compressed().astype(np.float64)
        v = v[np.isfinite(v)]
        if not v.size:
            out.append({"min": None, "max": None, "mean": None, "std": None, "valid_count": 0, "approximate": True})
            continue
        out.append({"min": float(v.min()), "max": float(v.max()), "mean": float(v.mean()), "std": float(v.std()),
                    "valid_count": int(v.size) * scale * scale, "approximate": True})
    return out


def raster_info(ds, progress=None) -> dict:
    """The ``RasterLayer.info`` of an open rasterio dataset (statistics included)."""
    t = ds.transform
    dem = ds.count == 1 and np.dtype(ds.dtypes[0]).kind in "fiu" and ds.colorinterp[0].name != "palette"
    dem = dem and (np.dtype(ds.dtypes[0]).kind == "f" or np.dtype(ds.dtypes[0]).itemsize >= 2)
    try:
        if ds.count == 1:
            stats = [_stats_exact(ds, 1, progress)]
        else:
            stats = _stats_approx(ds)
    except Exception as exc:  # a truncated or damaged file fails when its blocks are read
        from smartgis.io.gdal import clean_message
        raise SourceError(_("the raster's data cannot be read (damaged or truncated: {error})",
                            error=clean_message(exc)), ds.name) from None
    info = {
        "width": ds.width, "height": ds.height, "count": ds.count, "dtype": ds.dtypes[0], "dtypes": list(ds.dtypes),
        "nodata": None if ds.nodata is None or (isinstance(ds.nodata, float) and math.isnan(ds.nodata))
        else float(ds.nodata),
        "bounds": [float(v) for v in ds.bounds],
        "transform": [t.a, t.b, t.c, t.d, t.e, t.f],
        "res": [float(ds.res[0]), float(ds.res[1])],
        "crs": crs_to_string(ds.crs.to_wkt()) if ds.crs else None,
        "driver": ds.driver,
        "colorinterp": [c.name for c in ds.colorinterp],
        "block": list(ds.block_shapes[0]) if ds.block_shapes else None,
        "compression": ds.compression.name if ds.compression else None,
        "overviews": list(ds.overviews(1)) if ds.count else [],
        "kind": "dem" if dem else ("rgb" if ds.count >= 3 else "grey"),
        "stats": stats,
    }
    info["statistics"] = info["stats"]
    return info


def _writable(p: Path) -> bool:
    """Writable by permission *and* by mode bits: the superuser passes every access
    check, and must still not write into a folder marked read-only."""
    try:
        return os.access(p, os.W_OK) and bool(p.stat().st_mode & 0o222)
    except OSError:
        return False


def build_overviews(path: str, display: str, info: dict, notes: list[str]) -> None:
    """External overviews (``.ovr`` beside the raster) when it has none."""
    factors = overview_factors(info["width"], info["height"])
    if info.get("overviews") or not factors:
        return
    p = Path(path)
    if path.startswith("/vsi") or not _writable(p.parent) or not _writable(p):
        notes.append(_("the raster has no overviews and its file or folder is not writable, so none were built "
                       "(zoomed-out views read it at full resolution; --embed stores it with overviews)"))
        return
    import rasterio
    from rasterio.enums import Resampling
    resampling = Resampling.nearest if info["colorinterp"] and info["colorinterp"][0] == "palette" \
        else Resampling.average
    try:
        # Update mode only to reach GDAL's overview builder: TIFF_USE_OVR sends the
        # overviews to an external .ovr, and the raster file itself is not written.
        with rasterio.Env(TIFF_USE_OVR=True, GDAL_PAM_ENABLED=False), rasterio.open(path, "r+") as ds:
            ds.build_overviews(factors, resampling)
        with rasterio.open(path) as ds:
            info["overviews"] = list(ds.overviews(1))
        notes.append(_("overviews built ({factors}) in {file}", factors=", ".join(map(str, factors)),
                       file=f"{p.name}.ovr"))
    except Exception as exc:  # the raster stays usable without overviews
        notes.append(_("overviews could not be built ({error})", error=str(exc)))


def raster_layer(path, name: str | None = None, *, crs: str | None = None, overviews: bool = True,
                 progress=None, notes: list[str] | None = None, display: str | None = None) -> RasterLayer:
    """A :class:`RasterLayer` for a raster file, with ``info`` filled.

    Parameters
    ----------
    path : str or Path
        Any raster GDAL reads (``/vsizip/`` paths too).
    crs : str, optional
        The CRS of a raster that has none.
    overviews : bool
        Build external overviews when the raster has none (and its folder is writable).

    Raises
    ------
    SourceError, CRSError
    """
    notes = notes if notes is not None else []
    path = str(path)
    display = display or path
    with _open(path, display) as ds:
        if ds.count == 0:
            raise SourceError(_("the raster has no bands"), display)
        info = raster_info(ds, progress)
        georef = not ds.transform.is_identity or ds.gcps[0]
    if not georef:
        raise SourceError(_("the raster is not georeferenced (no geotransform or world file)"), display)
    if not all(math.isfinite(v) for v in info["bounds"] + info["transform"]):
        raise SourceError(_("the raster's georeferencing is not finite (origin or pixel size {values}); fix its "
                            "geotransform", values=", ".join(f"{v:g}" for v in info["transform"])), display)
    layer_crs = info["crs"]
    how = "file"
    if layer_crs is None:
        if not crs:
            from smartgis.crs import suggest_crs
            from smartgis.io.vector import missing_crs_message
            code, why = suggest_crs(info["bounds"])
            raise CRSError(missing_crs_message(code, why), display)
        layer_crs = crs_to_string(crs)
        info["crs"] = layer_crs
        how = "user"
    if overviews:
        build_overviews(path, display, info, notes)
    lyr = RasterLayer(name or Path(display.split("!")[-1]).stem,
                      path if path.startswith("/vsi") else os.path.abspath(path), info=info, crs=layer_crs,
                      source={"path": display, "driver": info["driver"], "crs": layer_crs, "crs_how": how})
    lyr.role = "basemap"
    return lyr


# -- embedding as GeoPackage tiles ------------------------------------------------------
class EmbeddedTiles:
    """GeoPackage tiles of one raster, written by GDAL into a scratch file, waiting
    for the save that copies them into the project (``RasterLayer.pending_writer``)."""

    def __init__(self, path: str, table: str, info: dict, display: str, notes: list[str], progress=None):
        import tempfile
        import weakref
        import shutil
        import rasterio
        import rasterio.shutil
        from smartgis.core import tempfiles
        self.dir = tempfiles.mkdtemp("tiles-")
        weakref.finalize(self, shutil.rmtree, self.dir, True)
        self.gpkg = os.path.join(self.dir, "tiles.gpkg")
        self.table = table
        kind = np.dtype(info["dtype"]).kind
        opts = {"RASTER_TABLE": table, "BLOCKSIZE": 256}
        if info["dtype"] == "uint8" and int(info.get("count", 1)) >= 3:
            # Orthophotos: JPEG for opaque tiles, PNG where a tile has transparent pixels
            # (GDAL's AUTO) — a fifth of the size of all-PNG tiles for aerial imagery.
            opts.update(TILE_FORMAT="AUTO", QUALITY=90)
        else:
            # Single bands (classes, DEMs) stay lossless.
            opts["TILE_FORMAT"] = "TIFF" if kind == "f" else "PNG"
        report(progress, 0, 1, _("writing tiles"))
        try:
            rasterio.shutil.copy(path, self.gpkg, driver="GPKG", **opts)
            # GDAL lays out the zoom levels (down to one tile); fill exactly those, since a
            # level smaller than a tile would not match the tile matrix set.
            con = sqlite3.connect(self.gpkg)
            try:
                levels = con.execute("SELECT count(*) FROM gpkg_tile_matrix").fetchone()[0]
            finally:
                con.close()
            factors = [2 ** k for k in range(1, levels)]
            if factors:
                from rasterio.enums import Resampling
                with rasterio.open(self.gpkg, "r+") as ds:
                    ds.build_overviews(factors, Resampling.average)
        except Exception as exc:
            from smartgis.io.gdal import clean_message
            raise SourceError(_("the raster cannot be stored as GeoPackage tiles ({error})",
                                error=clean_message(exc)), display) from None
        if factors:
            notes.append(_("embedded as GeoPackage tiles with {n} overview zoom levels", n=len(factors)))
        else:
            notes.append(_("embedded as GeoPackage tiles"))
        report(progress, 1, 1, _("tiles written"))

    def __call__(self, conn: sqlite3.Connection, target) -> None:
        copy_tiles(self.gpkg, self.table, conn)


_TILE_TABLES = ("gpkg_tile_matrix_set", "gpkg_tile_matrix")
_COVERAGE = ("gpkg_2d_gridded_coverage_ancillary", "gpkg_2d_gridded_tile_ancillary")


def copy_tiles(src_path: str, table: str, conn: sqlite3.Connection) -> None:
    """Copy the tiles table of ``src_path`` (and everything describing it) into ``conn``
    under the name ``table``.

    GDAL names the table as it likes (upper case through rasterio's option handling),
    so the source table is found in ``gpkg_contents`` and renamed on the way.
    """
    from smartgis.project import gpkg
    from smartgis.project.names import quote_ident as q
    src = sqlite3.connect(src_path)
    try:
        row = src.execute("SELECT table_name, srs_id FROM gpkg_contents WHERE data_type IN "
                          "('tiles', '2d-gridded-coverage') ORDER BY rowid LIMIT 1").fetchone()
        if row is None:
            raise SourceError(_("no tiles were written for the embedded raster"), src_path)
        old, srs_id = row
        gpkg.drop_table(conn, table)
        for t, col in (("gpkg_2d_gridded_coverage_ancillary", "tile_matrix_set_name"),
                       ("gpkg_2d_gridded_tile_ancillary", "tpudt_name")):
            if gpkg.table_exists(conn, t):
                conn.execute(f"DELETE FROM {t} WHERE lower({col}) = lower(?)", (table,))
        org, code, definition = src.execute(
            "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id=?",
            (srs_id,)).fetchone()
        new_srs = gpkg.ensure_srs(conn, f"EPSG:{code}" if str(org).upper() == "EPSG" else definition)
        # GDAL's gridded coverages also need the EPSG systems it registered (4979 ...).
        cur = src.execute("SELECT * FROM gpkg_spatial_ref_sys WHERE upper(organization) = 'EPSG' AND srs_id > 0")
        names = [d[0] for d in cur.description]
        have = {r[1] for r in conn.execute("PRAGMA table_info(gpkg_spatial_ref_sys)")}
        cols = [n for n in names if n in have]
        for r in cur.fetchall():
            row = dict(zip(names, r))
            conn.execute(f"INSERT OR IGNORE INTO gpkg_spatial_ref_sys ({', '.join(cols)}) VALUES "
                         f"({','.join('?' * len(cols))})", [row[c] for c in cols])
        for name in _TILE_TABLES + _COVERAGE:
            if gpkg.table_exists(src, name) and not gpkg.table_exists(conn, name):
                conn.execute(src.execute("SELECT sql FROM sqlite_master WHERE name=?", (name,)).fetchone()[0])
                if name in _COVERAGE:
                    conn.execute("INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, "
                                 "description) VALUES (?, 'attributes', ?, '')", (name, name))

        def renamed(sql: str) -> str:
            return re.sub(rf'(["`\[]?){re.escape(old)}(["`\]]?)', lambda m: q(table), sql, count=1)

        conn.execute(renamed(src.execute("SELECT sql FROM sqlite_master WHERE type='table' AND name=?",
                                         (old,)).fetchone()[0]))

        def copy_rows(tname, where, args, fix):
            cur = src.execute(f"SELECT * FROM {q(tname)} WHERE {where}", args)
            names = [d[0] for d in cur.description]
            rows = [fix(dict(zip(names, r))) for r in cur.fetchall()]
            names = [n for n in names if n != "id"]
            conn.executemany(f"INSERT INTO {q(tname)} ({', '.join(q(n) for n in names)}) VALUES "
                             f"({','.join('?' * len(names))})", [[r[n] for n in names] for r in rows])

        def fix(r):
            for k in ("table_name", "tile_matrix_set_name", "tpudt_name"):
                if k in r and r[k] == old:
                    r[k] = table
            if "identifier" in r:
                r["identifier"] = table
            if "srs_id" in r:
                r["srs_id"] = new_srs
            return r

        copy_rows("gpkg_contents", "table_name = ?", (old,), fix)
        copy_rows("gpkg_tile_matrix_set", "table_name = ?", (old,), fix)
        copy_rows("gpkg_tile_matrix", "table_name = ?", (old,), fix)
        cur = src.execute(f"SELECT * FROM {q(old)}")
        names = [d[0] for d in cur.description]
        while True:
            rows = cur.fetchmany(2000)
            if not rows:
                break
            conn.executemany(f"INSERT INTO {q(table)} ({', '.join(q(n) for n in names)}) VALUES "
                             f"({','.join('?' * len(names))})", rows)
        for r in src.execute("SELECT table_name, column_name, extension_name, definition, scope FROM gpkg_extensions "
                             "WHERE table_name = ? OR table_name IN (?, ?)", (old, *_COVERAGE)).fetchall():
            r = (table if r[0] == old else r[0],) + tuple(r[1:])
            if not conn.execute("SELECT 1 FROM gpkg_extensions WHERE table_name IS ? AND column_name IS ? AND "
                                "extension_name = ?", (r[0], r[1], r[2])).fetchone():
                conn.execute("INSERT INTO gpkg_extensions VALUES (?,?,?,?,?)", r)
        if gpkg.table_exists(src, _COVERAGE[0]):
            copy_rows(_COVERAGE[0], "tile_matrix_set_name = ?", (old,), fix)
        if gpkg.table_exists(src, _COVERAGE[1]):
            copy_rows(_COVERAGE[1], "tpudt_name = ?", (old,), fix)
    finally:
        src.close()
