"""Control-point tables: ``id,src_x,src_y,dst_x,dst_y`` (``src_z,dst_z`` for helmert7).

``src`` is the city grid, ``dst`` the base CRS.  The file may be UTF-8 (with or without
BOM), GBK/GB18030 or Big5 (detected like every other text SmartGIS reads), comma,
semicolon or tab separated — what Excel and survey software write.  Every problem is
reported with the file and the line: a missing column, a number that is not one, a
point id used twice.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from smartgis.crs.local import ControlPoint
from smartgis.errors import SourceError
from smartgis.i18n import _
from smartgis.io import encoding as _enc

COLUMNS = ("id", "src_x", "src_y", "dst_x", "dst_y")
Z_COLUMNS = ("src_z", "dst_z")


def decode(raw: bytes) -> str:
    """Text of a control-point file, whatever the encoding it was saved in."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    det = _enc.detect([line for line in raw.splitlines() if line.strip()][:200])
    return raw.decode(det.codec, errors="replace")


def parse_points(text: str, source: str = "<table>", need_z: bool = False) -> list[ControlPoint]:
    """Control points from CSV text (``source`` names it in errors).

    Raises
    ------
    SourceError
        ``"<source>: line N: <problem>"``.
    """
    lines = text.splitlines()
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is None:
        raise SourceError(_("the control-point table is empty"), source)
    try:
        dialect = csv.Sniffer().sniff(lines[first], delimiters=",;\t")
        delim = dialect.delimiter
    except csv.Error:
        delim = ","
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delim)
    header = None
    points = []
    seen = {}
    want = COLUMNS + (Z_COLUMNS if need_z else ())
    for lineno, row in enumerate(reader, start=1):
        if not any(c.strip() for c in row):
            continue
        if header is None:
            header = [c.strip().lower() for c in row]
            missing = [c for c in want if c not in header]
            if missing:
                raise SourceError(_("line {line}: missing column(s) {missing} (the header must have {columns}; "
                                    "found: {found})", line=lineno, missing=", ".join(missing),
                                    columns=",".join(want), found=",".join(c.strip() for c in row)[:120]), source)
            col = {c: header.index(c) for c in want}
            continue
        if len(row) < len(header):
            raise SourceError(_("line {line}: {n} values, the header has {m} columns", line=lineno, n=len(row),
                                m=len(header)), source)
        pid = row[col["id"]].strip()
        if not pid:
            raise SourceError(_("line {line}: the point has no id", line=lineno), source)
        if pid in seen:
            raise SourceError(_("line {line}: point id {id!r} was already used on line {other}", line=lineno,
                                id=pid, other=seen[pid]), source)
        seen[pid] = lineno
        vals = {}
        for c in want[1:]:
            cell = row[col[c]].strip()
            try:
                v = float(cell.replace("，", ".")) if cell else math.nan
            except ValueError:
                v = math.nan
            if not math.isfinite(v):
                raise SourceError(_("line {line}: {column} is not a number ({value!r})", line=lineno, column=c,
                                    value=cell[:30]), source)
            vals[c] = v
        points.append(ControlPoint(pid, **vals))
    if header is None or not points:
        raise SourceError(_("the control-point table has no points under its header"), source)
    return points


def read_points(path, need_z: bool = False) -> list[ControlPoint]:
    """Control points from a CSV file (see :func:`parse_points`)."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise SourceError(_("cannot read the control-point file ({error})", error=exc.strerror or str(exc)),
                          path) from None
    return parse_points(decode(raw), str(path), need_z)
