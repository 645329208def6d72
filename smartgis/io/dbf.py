"""Reading the raw bytes of dBase (.dbf) tables, the attribute part of a shapefile.

GDAL decodes DBF text with one code page; to *choose* that code page we read the
header (its language-driver byte) and samples of the raw text ourselves.  The format
is simple: a 32-byte header, 32-byte field descriptors ended by 0x0D, then fixed-width
records, each starting with a deletion flag.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import BinaryIO

from smartgis.errors import SourceError
from smartgis.i18n import _

#: Language-driver id (byte 29 of the header) → Python codec, after the table ESRI and
#: GDAL use.  ``None`` marks ids that name no code page (0x00) or the writer's "ANSI"
#: code page (0x57), which depends on the machine that wrote the file.
LDID_CODECS: dict[int, str | None] = {
    0x00: None, 0x01: "cp437", 0x02: "cp850", 0x03: "cp1252", 0x04: "mac_roman", 0x08: "cp865",
    0x09: "cp437", 0x0A: "cp850", 0x0B: "cp437", 0x0D: "cp437", 0x0E: "cp850", 0x0F: "cp437",
    0x10: "cp850", 0x11: "cp437", 0x12: "cp850", 0x13: "cp932", 0x14: "cp850", 0x15: "cp437",
    0x16: "cp850", 0x17: "cp865", 0x18: "cp437", 0x19: "cp437", 0x1A: "cp850", 0x1B: "cp437",
    0x1C: "cp863", 0x1D: "cp850", 0x1F: "cp852", 0x22: "cp852", 0x23: "cp852", 0x24: "cp860",
    0x25: "cp850", 0x26: "cp866", 0x37: "cp850", 0x40: "cp852", 0x4D: "gb18030", 0x4E: "cp949",
    0x4F: "big5hkscs", 0x50: "cp874", 0x57: None, 0x58: "cp1252", 0x59: "cp1252", 0x64: "cp852",
    0x65: "cp866", 0x66: "cp865", 0x67: "cp861", 0x6A: "cp737", 0x6B: "cp857", 0x78: "big5hkscs",
    0x79: "cp949", 0x7A: "gb18030", 0x7B: "cp932", 0x7C: "cp874", 0x7D: "cp1255", 0x7E: "cp1256",
    0x86: "cp737", 0x87: "cp852", 0x88: "cp857", 0xC8: "cp1250", 0xC9: "cp1251", 0xCA: "cp1254",
    0xCB: "cp1253", 0xCC: "cp1257",
}

#: What the Chinese code-page ids are called by the people who write them.
LDID_NAMES = {0x4D: "GBK/936", 0x7A: "GBK/936", 0x4F: "Big5/950", 0x78: "Big5/950", 0x57: "ANSI",
              0x00: "none"}


@dataclass
class DbfField:
    name: bytes
    type: str
    length: int
    decimals: int
    offset: int  # within a record, after the deletion flag


@dataclass
class DbfHeader:
    """What the header of a DBF file says."""

    version: int
    n_records: int
    header_length: int
    record_length: int
    ldid: int
    fields: list[DbfField] = field(default_factory=list)

    @property
    def declared_size(self) -> int:
        """Bytes the header and all records take (without the optional 0x1A end mark)."""
        return self.header_length + self.n_records * self.record_length


def read_header(fh: BinaryIO, name: str = "") -> DbfHeader:
    """Parse the header and field descriptors.

    Raises
    ------
    SourceError
        When the bytes are not a DBF header.
    """
    head = fh.read(32)
    if len(head) < 32:
        raise SourceError(_("the .dbf table is truncated (shorter than its header)"), name)
    version = head[0]
    n_records, header_length, record_length = struct.unpack("<IHH", head[4:12])
    if header_length < 33 or record_length < 1:
        raise SourceError(_("the .dbf table has a damaged header"), name)
    fields: list[DbfField] = []
    offset = 1
    raw = fh.read(header_length - 32)
    for i in range(0, len(raw) - 31, 32):
        desc = raw[i:i + 32]
        if desc[0] == 0x0D:
            break
        fname = desc[:11].split(b"\x00", 1)[0]
        ftype = chr(desc[11]) if 32 <= desc[11] < 127 else "?"
        length = desc[16]
        decimals = desc[17]
        if ftype == "C":  # text fields longer than 255 keep the high byte in "decimals"
            length = desc[16] + 256 * desc[17]
            decimals = 0
        fields.append(DbfField(fname, ftype, length, decimals, offset))
        offset += length
    return DbfHeader(version, n_records, header_length, record_length, head[29], fields)


def header_of(path: str, opener=open) -> DbfHeader:
    with opener(path, "rb") as fh:
        return read_header(fh, str(path))


def text_samples(fh: BinaryIO, header: DbfHeader, max_records: int = 2000, max_bytes: int = 1 << 20) -> list[bytes]:
    """Raw bytes of text fields (and field names) that are not plain ASCII.

    Records are sampled evenly through the file so a table whose first rows are
    ASCII codes still shows its Chinese names.  Trailing blanks are stripped.
    """
    out: list[bytes] = [f.name for f in header.fields if any(b > 127 for b in f.name)]
    text_fields = [f for f in header.fields if f.type in "CM" and f.type != "M"]
    if not text_fields or header.n_records == 0:
        return out
    n = header.n_records
    want = min(n, max_records, max(1, max_bytes // max(1, header.record_length)))
    step = max(1, n // want)
    for k in range(0, n, step):
        fh.seek(header.header_length + k * header.record_length)
        rec = fh.read(header.record_length)
        if len(rec) < header.record_length:
            break
        for f in text_fields:
            v = rec[f.offset:f.offset + f.length].rstrip(b" \x00")
            if v and any(b > 127 for b in v):
                out.append(v)
        if len(out) > 5000:
            break
    return out
