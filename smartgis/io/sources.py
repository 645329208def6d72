"""Finding what a path holds, before GDAL reads it: formats, archives, damage.

:func:`resolve` turns the path a user gives into :class:`Dataset` objects GDAL can
open (a zip of three shapefiles gives three), and refuses, with one sentence naming
the file, what cannot be imported right:

* missing, unreadable or empty files, folders that are not File Geodatabases;
* a content that contradicts the extension (a PNG named ``.shp``), judged from the
  first bytes;
* truncated shapefiles and DBF tables (the headers say how long they must be), DXF
  drawings without their end marker, empty or damaged zip archives.

It repairs what can be repaired and says so: a missing ``.shx`` index is rebuilt in a
temporary folder (the source folder is never written), junk after a DXF's end is cut
off on a temporary copy, a CSV in GBK is recoded to UTF-8 for GDAL.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from smartgis.errors import SourceError
from smartgis.i18n import _, localizable
from smartgis.io import dbf as _dbf
from smartgis.io import encoding as _enc

#: Extension → the kind of source we expect behind it.
EXTENSIONS = {
    ".shp": "shapefile", ".gpkg": "gpkg", ".geojson": "geojson", ".json": "geojson", ".geojsonl": "geojson",
    ".dxf": "dxf", ".fgb": "fgb", ".gdb": "filegdb", ".tab": "mapinfo", ".mif": "mapinfo", ".gml": "gml",
    ".kml": "kml", ".kmz": "kml", ".csv": "csv", ".tsv": "csv", ".zip": "zip",
    ".tif": "raster", ".tiff": "raster", ".img": "raster", ".jp2": "raster", ".asc": "raster", ".vrt": "raster",
    ".dem": "raster", ".hgt": "raster", ".bil": "raster", ".nc": "raster", ".ecw": "raster", ".sid": "raster",
}
RASTER_KINDS = {"raster"}
#: What each kind's files start with (see :func:`sniff`).
_EXPECTED = {"shapefile": {"shp"}, "gpkg": {"sqlite"}, "geojson": {"json"}, "dxf": {"dxf", "dxf-binary"},
             "fgb": {"fgb"}, "kml": {"xml", "zip"}, "gml": {"xml"}, "zip": {"zip", "zip-empty"},
             "mapinfo": {"mapinfo-tab", "mapinfo-mif", "text"}, "csv": {"text", "json"},
             "raster": None}
_SNIFF_NAMES = {"shp": _("a shapefile (.shp)"), "sqlite": _("an SQLite database / GeoPackage"),
                "tiff": _("a TIFF image"), "zip": _("a zip archive"), "zip-empty": _("an empty zip archive"),
                "fgb": _("a FlatGeobuf file"), "png": _("a PNG image"), "jpeg": _("a JPEG image"),
                "pdf": _("a PDF document"), "gif": _("a GIF image"), "dxf": _("a DXF drawing"),
                "dxf-binary": _("a binary DXF drawing"), "json": _("a JSON text"), "xml": _("an XML text"),
                "mapinfo-tab": _("a MapInfo table"), "mapinfo-mif": _("a MapInfo MIF file"),
                "text": _("plain text"), "binary": _("binary data of an unknown kind"), "empty": _("empty"),
                "dwg": "an AutoCAD DWG drawing (save it as DXF)", "rar": "a RAR archive", "7z": "a 7-Zip archive"}


@dataclass
class Dataset:
    """One thing GDAL opens, and what we learnt about it on the way.

    Attributes
    ----------
    gdal_path : str
        Path GDAL opens (may be ``/vsizip/...`` or a temporary copy).
    display : str
        The file as the user knows it (for messages and the report).
    kind : str
        ``shapefile``, ``gpkg``, ``geojson``, ``dxf``, ``fgb``, ``filegdb``, ``mapinfo``,
        ``gml``, ``kml``, ``csv``, ``raster`` or ``vector`` (any other GDAL vector).
    encoding : EncodingDecision or None
        For shapefiles and CSV: the decided encoding (GDAL reads the bytes as Latin-1
        and SmartGIS decodes them, so every byte is accounted for).
    notes : list of str
        Repairs and observations for the import report.
    open_options : dict
        GDAL dataset open options.
    config : dict
        GDAL configuration options to set while reading.
    """

    gdal_path: str
    display: str
    kind: str
    encoding: _enc.EncodingDecision | None = None
    notes: list[str] = field(default_factory=list)
    open_options: dict = field(default_factory=dict)
    config: dict = field(default_factory=dict)
    stem: str = ""


class SourceSet:
    """The datasets behind one user path, and the temporary files made for them."""

    def __init__(self, salvage: bool = False):
        self.datasets: list[Dataset] = []
        self._tmp: list[str] = []
        #: Import the intact part of a damaged file (with a warning) instead of refusing it.
        self.salvage = salvage

    def tempdir(self) -> str:
        from smartgis.core import tempfiles
        d = tempfiles.mkdtemp("src-")
        self._tmp.append(d)
        return d

    def close(self) -> None:
        for d in self._tmp:
            shutil.rmtree(d, ignore_errors=True)
        self._tmp.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# -- sniffing ---------------------------------------------------------------------------
def sniff(head: bytes) -> str:
    """What the first bytes of a file say it is (a key of ``_SNIFF_NAMES``)."""
    if not head:
        return "empty"
    if head.startswith(b"SQLite format 3\x00"):
        return "sqlite"
    if head[:4] == b"\x00\x00\x27\x0a":
        return "shp"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if head[:4] == b"PK\x03\x04":
        return "zip"
    if head[:4] == b"PK\x05\x06":
        return "zip-empty"
    if head[:4] == b"fgb\x03":
        return "fgb"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if head[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if head[:4] == b"%PDF":
        return "pdf"
    if head[:4] == b"GIF8":
        return "gif"
    if head[:4] == b"Rar!":
        return "rar"
    if head[:6] == b"7z\xbc\xaf\x27\x1c":
        return "7z"
    if head[:2] == b"AC" and head[2:6].isdigit():
        return "dwg"
    if head.startswith(b"AutoCAD Binary DXF"):
        return "dxf-binary"
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if b"\x00" in head[:512] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    if text.startswith((b"{", b"[")):
        return "json"
    if text.startswith(b"<"):
        return "xml"
    lines = [ln.strip() for ln in text.splitlines()[:4]]
    if len(lines) >= 2 and lines[0] in (b"0", b"999") and (lines[1] == b"SECTION" or lines[0] == b"999"):
        return "dxf"
    low = text[:64].lower()
    if low.startswith(b"!table"):
        return "mapinfo-tab"
    if low.startswith(b"version"):
        return "mapinfo-mif"
    return "text"


def _head(path: Path, n: int = 4096) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(n)


def _check_readable(path: Path) -> None:
    if not path.exists() and not path.is_symlink():
        raise SourceError(_("no such file or folder"), path)
    if path.is_symlink() and not path.exists():
        raise SourceError(_("is a broken link"), path)
    if not path.is_dir() and not path.is_file():
        # reading a pipe or a device would wait for ever, or never end
        raise SourceError(_("is not a regular file (a pipe, socket or device); import files and folders only"),
                          path)
    if not os.access(path, os.R_OK) or (path.is_dir() and not os.access(path, os.X_OK)):
        raise SourceError(_("cannot be read (permission denied)"), path)
    if path.is_file():
        try:
            with open(path, "rb") as fh:
                fh.read(1)
        except OSError as exc:
            raise SourceError(_("cannot be read ({reason})", reason=str(exc.strerror or exc)), path) from None


def kind_of(path: Path) -> str:
    """The kind a path's extension promises (``vector`` when it promises nothing)."""
    if path.is_dir():
        return "filegdb" if path.suffix.lower() == ".gdb" else "folder"
    return EXTENSIONS.get(path.suffix.lower(), "vector")


def _check_content(path: Path, kind: str) -> str:
    head = _head(path)
    what = sniff(head)
    if what == "empty":
        raise SourceError(_("the file is empty (0 bytes)"), path)
    expected = _EXPECTED.get(kind)
    if expected and what not in expected:
        looks = _SNIFF_NAMES.get(what, what)
        raise SourceError(_("the name ends in {suffix} but the content is {content}; "
                            "check the file or give it the right extension", suffix=path.suffix, content=looks), path)
    if kind == "raster" and what in ("json", "xml", "text") and path.suffix.lower() in (".tif", ".tiff"):
        raise SourceError(_("the name ends in {suffix} but the content is {content}", suffix=path.suffix,
                            content=_SNIFF_NAMES[what]), path)
    if kind == "raster" and what in ("shp", "sqlite", "zip", "dxf", "pdf") and path.suffix.lower() in (".tif", ".tiff"):
        raise SourceError(_("the name ends in {suffix} but the content is {content}", suffix=path.suffix,
                            content=_SNIFF_NAMES[what]), path)
    return what


# -- resolving --------------------------------------------------------------------------
def resolve(path, *, encoding: str | None = None, sources: SourceSet | None = None,
            salvage: bool = False) -> SourceSet:
    """The datasets behind ``path`` (see module doc).

    A file with bytes beyond its declared end (a corrupt shapefile, junk after a DXF's
    end-of-file marker) is refused unless ``salvage`` is true; then its intact part is
    imported and the report says what was cut.

    Raises
    ------
    SourceError
        With the file and the problem, for anything that cannot be imported right.
    """
    p = Path(path).expanduser()
    p = p if p.is_absolute() else Path.cwd() / p
    src = sources or SourceSet(salvage=salvage)
    try:
        _check_readable(p)
        kind = kind_of(p)
        if kind == "folder":
            raise SourceError(_("is a folder; give a file (or a File Geodatabase folder ending in .gdb)"), p)
        if kind == "filegdb":
            if not any(x.suffix.lower() == ".gdbtable" for x in p.iterdir()):
                raise SourceError(_("is not a File Geodatabase (no .gdbtable files inside)"), p)
            src.datasets.append(Dataset(str(p), str(p), "filegdb", _format_encoding("File Geodatabase"),
                                        stem=p.stem))
            return src
        if p.suffix.lower() == ".dbf":
            shp = _sibling(p, ".shp")
            if shp is None:
                raise SourceError(_("is a dBase table without geometry (no .shp beside it); nothing to place "
                                    "on the map"), p)
            p, kind = shp, "shapefile"
        what = _check_content(p, kind)
        if kind == "vector" and what in ("tiff", "png", "jpeg", "gif"):
            kind = "raster"
        elif kind == "vector":
            kind = {"sqlite": "gpkg", "shp": "shapefile", "zip": "zip", "zip-empty": "zip", "fgb": "fgb",
                    "dxf": "dxf", "dxf-binary": "dxf", "json": "geojson"}.get(what, "vector")
        if kind == "zip":
            _resolve_zip(p, src, encoding)
        elif kind == "shapefile":
            src.datasets.append(_shapefile(p, src, encoding))
        elif kind == "dxf":
            src.datasets.append(_dxf(p, src, what))
        elif kind == "csv":
            src.datasets.append(_csv(p, src, encoding))
        elif kind == "gpkg":
            _check_sqlite(p)
            src.datasets.append(Dataset(str(p), str(p), "gpkg", _format_encoding("GeoPackage"), stem=p.stem))
        elif kind == "kml" and what == "zip":
            src.datasets.append(Dataset(str(p), str(p), "kml", _format_encoding("KML"), stem=p.stem))
        else:
            enc = _format_encoding({"geojson": "GeoJSON", "fgb": "FlatGeobuf", "kml": "KML", "gml": "GML",
                                    "mapinfo": "MapInfo"}.get(kind, "")) if kind != "raster" else None
            src.datasets.append(Dataset(str(p), str(p), kind, enc, stem=p.stem))
    except BaseException:
        if sources is None:
            src.close()
        raise
    return src


def _format_encoding(fmt: str) -> _enc.EncodingDecision | None:
    if not fmt:
        return None
    if fmt == "MapInfo":
        return _enc.EncodingDecision("utf-8", "format", _("declared by the MapInfo file's Charset; recoded by GDAL"))
    return _enc.EncodingDecision("utf-8", "format", _("{format} text is UTF-8 by definition", format=fmt))


def _check_sqlite(p: Path) -> None:
    """Refuse a damaged or foreign SQLite file before GDAL reads it.

    A large GeoPackage is checked the way a project file is opened
    (:mod:`smartgis.project.integrity`): its header against its length, and every table
    but the large feature tables; the import reads every row of those, and a damaged
    page there stops the read with SQLite's error (``PRAGMA quick_check`` over the
    whole file would read every page twice: a third of a second per 250 MB).
    """
    import sqlite3
    from urllib.parse import quote

    from smartgis.errors import DamagedProjectError
    from smartgis.project import integrity
    from smartgis.project.names import quote_ident
    try:
        integrity.check_header(p)
    except DamagedProjectError as exc:
        raise SourceError(_("the GeoPackage is damaged or truncated ({error})", error=localizable(exc.message)),
                          p) from None
    try:
        conn = sqlite3.connect("file:" + quote(str(p)) + "?mode=ro&immutable=1", uri=True)
        try:
            has = conn.execute("SELECT 1 FROM sqlite_master WHERE name='gpkg_contents'").fetchone()
            if p.stat().st_size <= integrity.WHOLE_FILE_BYTES or not has:
                checks = [conn.execute("PRAGMA quick_check(1)").fetchone()]
            else:
                checks = [conn.execute(f"PRAGMA quick_check({quote_ident(t)})").fetchone()
                          for t in integrity.tables_to_check(conn)]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise SourceError(_("the GeoPackage is damaged or truncated ({error})", error=str(exc)), p) from None
    bad = next((ok for ok in checks if ok is None or ok[0] != "ok"), False)
    if bad is not False:
        raise SourceError(_("the GeoPackage is damaged ({problem})",
                            problem=bad[0] if bad else _("integrity check failed")), p)
    if not has:
        raise SourceError(_("is an SQLite database but not a GeoPackage (no gpkg_contents table)"), p)


def check_rows_read(path: str, display: str, table: str, read: int, declared: int) -> None:
    """Refuse a GeoPackage layer GDAL read only part of.

    GDAL ends a layer's read quietly at a damaged page of its table (the large tables
    are not checked beforehand, :func:`_check_sqlite`): when fewer rows came than the
    layer declares, the table is counted, and a read error or a larger count means
    the file is damaged — nothing of it is imported.
    """
    import sqlite3
    from urllib.parse import quote

    from smartgis.project.names import quote_ident
    if declared <= read:
        return
    try:
        conn = sqlite3.connect("file:" + quote(str(path)) + "?mode=ro&immutable=1", uri=True)
        try:
            have = conn.execute(f"SELECT count(*) FROM {quote_ident(table)}").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise SourceError(_("the GeoPackage is damaged ({problem})", problem=str(exc)), display) from None
    if have > read:
        raise SourceError(_("the GeoPackage is damaged ({problem})",
                            problem=_("only {read:,} of the {total:,} features of layer {layer} could be read",
                                      read=read, total=have, layer=table)), display)


# -- shapefiles -------------------------------------------------------------------------
def _sibling(p: Path, ext: str) -> Path | None:
    for cand in (p.with_suffix(ext), p.with_suffix(ext.upper())):
        if cand.exists():
            return cand
    for cand in p.parent.glob(p.stem + ".*"):
        if cand.suffix.lower() == ext:
            return cand
    return None


def _damaged(problem: str, display: str, notes: list[str], salvage: bool) -> None:
    """Refuse a damaged file, or (``salvage``) note what of it is left out."""
    if not salvage:
        raise SourceError(_("{problem}; the file is damaged (use --salvage to import its intact part)",
                            problem=problem), display)
    notes.append(_("{problem}: ignored (salvaged)", problem=problem))


def _check_shp_lengths(shp_size: int, head: bytes, display: str, notes: list[str], salvage: bool = False) -> None:
    if len(head) < 100:
        raise SourceError(_("the .shp file is truncated (shorter than its 100-byte header)"), display)
    declared = struct.unpack(">i", head[24:28])[0] * 2
    if shp_size < declared:
        raise SourceError(_("the .shp file is truncated: its header says {expected} bytes, the file has {found}",
                            expected=declared, found=shp_size), display)
    if shp_size > declared:
        _damaged(_("the .shp file has {n} bytes after the end its header declares", n=shp_size - declared), display,
                 notes, salvage)


def _check_dbf(header: _dbf.DbfHeader, size: int, display: str, notes: list[str], salvage: bool = False) -> None:
    if size < header.declared_size:
        complete = max(0, (size - header.header_length) // header.record_length)
        raise SourceError(_("the .dbf table is truncated: {expected} records declared, {found} complete",
                            expected=header.n_records, found=complete), display)
    extra = size - header.declared_size - 1  # the optional 0x1A end-of-file mark
    if extra > 0:
        _damaged(_("the .dbf table has {n} bytes after the last of its {total} records", n=extra,
                   total=header.n_records), display, notes, salvage)


def _shapefile(p: Path, src: SourceSet, user_encoding: str | None) -> Dataset:
    display = str(p)
    notes: list[str] = []
    with open(p, "rb") as fh:
        head = fh.read(100)
    _check_shp_lengths(p.stat().st_size, head, display, notes, src.salvage)
    dbf = _sibling(p, ".dbf")
    shx = _sibling(p, ".shx")
    cpg = _sibling(p, ".cpg")
    decision = None
    if dbf is None:
        notes.append(_("no .dbf table beside the .shp: the features have no attributes"))
        decision = _enc.EncodingDecision("utf-8", "format", _("no attribute table"))
    else:
        with open(dbf, "rb") as fh:
            header = _dbf.read_header(fh, str(dbf))
            samples = _dbf.text_samples(fh, header)
        _check_dbf(header, dbf.stat().st_size, str(dbf), notes, src.salvage)
        cpg_text = cpg.read_bytes().decode("ascii", "replace") if cpg else None
        decision = _enc.decide(samples, user=user_encoding, cpg=cpg_text, ldid=header.ldid, source=display)
        notes.extend(decision.warnings)
    gdal_path = str(p)
    config = {}
    if shx is None:
        # GDAL writes the rebuilt index beside the .shp; do that in a scratch folder
        # (links to the originals) so the user's folder is never written.
        tmp = Path(src.tempdir())
        for f in p.parent.glob(p.stem + ".*"):
            if f.suffix.lower() in (".shp", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx"):
                try:
                    os.symlink(f, tmp / (p.stem + f.suffix.lower()))
                except OSError:
                    shutil.copyfile(f, tmp / (p.stem + f.suffix.lower()))
        gdal_path = str(tmp / (p.stem + ".shp"))
        config["SHAPE_RESTORE_SHX"] = "YES"
        notes.append(_("the .shx index was missing; it was rebuilt from the .shp (in a temporary folder)"))
    return Dataset(gdal_path, display, "shapefile", decision, notes, {"ENCODING": _gdal_latin1()}, config,
                   stem=p.stem)


def _gdal_latin1() -> str:
    return "ISO-8859-1"


def _resolve_zip(p: Path, src: SourceSet, user_encoding: str | None) -> None:
    try:
        zf = zipfile.ZipFile(p)
    except zipfile.BadZipFile as exc:
        raise SourceError(_("is not a readable zip archive ({error})", error=str(exc)), p) from None
    with zf:
        names = [n for n in zf.namelist() if not n.endswith("/") and "__MACOSX" not in n]
        if not names:
            raise SourceError(_("the zip archive is empty"), p)
        bad = zf.testzip()
        if bad is not None:
            raise SourceError(_("the zip archive is damaged ({member} fails its checksum)", member=bad), p)
        lower = {n.lower(): n for n in names}
        gdbs = sorted({n[:n.lower().index(".gdb/") + 4] for n in names if ".gdb/" in n.lower()})
        found = 0
        for g in gdbs:
            src.datasets.append(Dataset(f"/vsizip/{p}/{g}", f"{p}!{g}", "filegdb",
                                        _format_encoding("File Geodatabase"), stem=PurePosixPath(g).stem))
            found += 1
        for n in sorted(names):
            low = n.lower()
            if any(low.startswith(g.lower() + "/") for g in gdbs):
                continue
            ext = PurePosixPath(low).suffix
            kind = EXTENSIONS.get(ext)
            if kind is None or kind == "zip":
                continue
            display = f"{p}!{n}"
            stem = PurePosixPath(n).stem
            if kind == "shapefile":
                src.datasets.append(_zipped_shapefile(p, zf, n, lower, src, user_encoding))
            elif kind == "mapinfo" and ext == ".mif" and low[:-4] + ".tab" in lower:
                continue
            elif kind in ("csv", "dxf"):
                # Recoding and end-of-file repairs need a real file.
                tmp = Path(src.tempdir()) / PurePosixPath(n).name
                with zf.open(n) as fi, open(tmp, "wb") as fo:
                    shutil.copyfileobj(fi, fo)
                ds = _csv(tmp, src, user_encoding) if kind == "csv" else _dxf(tmp, src, sniff(_head(tmp)))
                ds.display = display
                src.datasets.append(ds)
            else:
                enc = None if kind == "raster" else _format_encoding(
                    {"gpkg": "GeoPackage", "geojson": "GeoJSON", "fgb": "FlatGeobuf", "kml": "KML",
                     "gml": "GML", "mapinfo": "MapInfo"}.get(kind, ""))
                src.datasets.append(Dataset(f"/vsizip/{p}/{n}", display, kind, enc, stem=stem))
            found += 1
        if not found:
            listing = ", ".join(names[:8]) + (" ..." if len(names) > 8 else "")
            raise SourceError(_("the zip archive holds nothing SmartGIS can import ({files})", files=listing), p)


def _zipped_shapefile(p: Path, zf: zipfile.ZipFile, n: str, lower: dict, src: SourceSet,
                      user_encoding: str | None) -> Dataset:
    base = n[:-4]
    display = f"{p}!{n}"
    notes: list[str] = []

    def member(ext):
        return lower.get((base + ext).lower())

    info = zf.getinfo(n)
    with zf.open(n) as fh:
        head = fh.read(100)
    _check_shp_lengths(info.file_size, head, display, notes, src.salvage)
    decision = _enc.EncodingDecision("utf-8", "format", _("no attribute table"))
    if member(".dbf"):
        with zf.open(member(".dbf")) as fh:
            import io
            data = io.BytesIO(fh.read())
        header = _dbf.read_header(data, f"{p}!{member('.dbf')}")
        samples = _dbf.text_samples(data, header)
        _check_dbf(header, len(data.getvalue()), f"{p}!{member('.dbf')}", notes, src.salvage)
        cpg = zf.read(member(".cpg")).decode("ascii", "replace") if member(".cpg") else None
        decision = _enc.decide(samples, user=user_encoding, cpg=cpg, ldid=header.ldid, source=display)
        notes.extend(decision.warnings)
    else:
        notes.append(_("no .dbf table beside the .shp: the features have no attributes"))
    gdal_path = f"/vsizip/{p}/{n}"
    config = {}
    if not member(".shx"):
        tmp = Path(src.tempdir())
        stem = PurePosixPath(n).stem
        for ext in (".shp", ".dbf", ".prj", ".cpg"):
            m = member(ext)
            if m:
                with zf.open(m) as fi, open(tmp / (stem + ext), "wb") as fo:
                    shutil.copyfileobj(fi, fo)
        gdal_path = str(tmp / (stem + ".shp"))
        config["SHAPE_RESTORE_SHX"] = "YES"
        notes.append(_("the .shx index was missing; it was rebuilt from the .shp (in a temporary folder)"))
    return Dataset(gdal_path, display, "shapefile", decision, notes, {"ENCODING": _gdal_latin1()}, config,
                   stem=PurePosixPath(n).stem)


# -- DXF --------------------------------------------------------------------------------
_EOF_RE = re.compile(rb"(?:^|\n)[ \t]*0[ \t]*\r?\n[ \t]*EOF[ \t]*(?:\r?\n|$)")
_CODEPAGE_RE = re.compile(rb"\$DWGCODEPAGE[ \t]*\r?\n[ \t]*3[ \t]*\r?\n[ \t]*([^\r\n]+)")


def _dxf(p: Path, src: SourceSet, what: str) -> Dataset:
    notes: list[str] = []
    data = p.read_bytes()
    gdal_path = str(p)
    if what == "dxf-binary":
        if b"EOF\x00" not in data[-64:]:
            raise SourceError(_("the binary DXF drawing is truncated (no end-of-file marker)"), p)
        detail = _("binary DXF: GDAL reads its text as stored")
    else:
        last = None
        for m in _EOF_RE.finditer(data):
            last = m
        if last is None:
            raise SourceError(_("the DXF drawing is truncated: it ends without its end-of-file marker (0 / EOF)"), p)
        tail = data[last.end():]
        if tail.strip(b" \t\r\n\x00\x1a"):
            _damaged(_("the DXF drawing has {n} bytes of junk after its end-of-file marker", n=len(tail)), str(p),
                     notes, src.salvage)
            tmp = Path(src.tempdir()) / p.name
            tmp.write_bytes(data[:last.end()])
            gdal_path = str(tmp)
        cp = _CODEPAGE_RE.search(data[:200_000])
        page = cp.group(1).strip().decode("ascii", "replace") if cp else None
        detail = (_("from the drawing's $DWGCODEPAGE ({page}); recoded by GDAL", page=page) if page
                  else _("no $DWGCODEPAGE in the drawing; read as GDAL's default"))
    enc = _enc.EncodingDecision("utf-8", "format", detail)
    return Dataset(gdal_path, str(p), "dxf", enc, notes, stem=p.stem, config=dxf_config(data, what))


#: In a drawing whose blocks carry attributes (symbols of an equipment library, as
#: SmartGIS writes them) each block reference is read as ONE point with its block name
#: and attributes, not exploded into the block's lines.
DXF_SYMBOL_BLOCKS = {"DXF_INLINE_BLOCKS": "FALSE"}
_ACADVER_RE = re.compile(rb"\$ACADVER\s*\r?\n\s*1\s*\r?\n\s*AC(\d{4})")
_ATTRIB_RE = re.compile(rb"\n\s*0\s*\r?\nATTRIB\s*\r?\n")


def dxf_config(data: bytes, what: str) -> dict:
    """GDAL options for reading a drawing: attributed blocks as points; text of AutoCAD
    2007+ files (always UTF-8, whatever $DWGCODEPAGE says) read as UTF-8.

    Drawings without block attributes keep their blocks exploded: there a block is
    usually part of the drawing (a dimension, a hatch, a title block), not a symbol.
    """
    config = {}
    if what != "dxf-binary" and _ATTRIB_RE.search(data):
        config.update(DXF_SYMBOL_BLOCKS)
    m = _ACADVER_RE.search(data[:20_000]) if what != "dxf-binary" else None
    if m and int(m.group(1)) >= 1021:
        config["DXF_ENCODING"] = "UTF-8"
    return config


# -- CSV --------------------------------------------------------------------------------
def _csv(p: Path, src: SourceSet, user_encoding: str | None) -> Dataset:
    notes: list[str] = []
    with open(p, "rb") as fh:
        head = fh.read(1 << 20)
    if head.startswith(b"\xef\xbb\xbf"):
        decision = _enc.EncodingDecision("utf-8", "detected", _("UTF-8 (byte-order mark)"))
        if user_encoding:
            decision = _enc.decide([], user=user_encoding)
    else:
        lines = [ln for ln in head.splitlines() if any(b > 127 for b in ln)]
        decision = _enc.decide(lines[:2000], user=user_encoding)
        notes.extend(decision.warnings)
    gdal_path = str(p)
    if decision.codec not in ("utf-8", "ascii"):
        tmp = Path(src.tempdir()) / (p.stem + ".csv")
        with open(p, "r", encoding=decision.codec, errors="replace", newline="") as fi, \
                open(tmp, "w", encoding="utf-8", newline="") as fo:
            shutil.copyfileobj(fi, fo)
        gdal_path = str(tmp)
    return Dataset(gdal_path, str(p), "csv", decision, notes, stem=p.stem)
