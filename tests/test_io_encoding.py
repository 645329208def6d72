"""Encoding decisions for DBF text: declared (.cpg, code-page byte), detected, damaged."""

from __future__ import annotations

import io
import struct

import pytest

from smartgis.errors import UsageError
from smartgis.io import dbf, encoding


def _dbf_bytes(values: list[bytes], ldid: int = 0, width: int = 40) -> bytes:
    """A minimal one-field DBF table holding ``values``."""
    header_len = 32 + 32 + 1
    rec_len = 1 + width
    head = struct.pack("<BBBBIHH", 3, 124, 1, 1, len(values), header_len, rec_len) + b"\x00" * 17 + bytes([ldid]) \
        + b"\x00\x00"
    field = b"NAME".ljust(11, b"\x00") + b"C" + b"\x00" * 4 + bytes([width, 0]) + b"\x00" * 14
    body = b"".join(b" " + v.ljust(width, b" ") for v in values)
    return head + field + b"\r" + body + b"\x1a"


def test_header_and_samples_read_raw_bytes():
    raw = _dbf_bytes(["北京市".encode("gbk"), b"ASCII"], ldid=0x4D)
    fh = io.BytesIO(raw)
    h = dbf.read_header(fh)
    assert (h.n_records, h.ldid, h.fields[0].name, h.fields[0].length) == (2, 0x4D, b"NAME", 40)
    assert dbf.text_samples(fh, h) == ["北京市".encode("gbk")]


@pytest.mark.parametrize("text", ["北京市朝阳区建国路", "深圳市南山区科技园", "武汉市光谷大道"])
def test_detects_gbk_big5_and_utf8(text):
    assert encoding.detect([text.encode("gbk")]).codec == "gb18030"
    assert encoding.detect([text.encode("utf-8")]).codec == "utf-8"


@pytest.mark.parametrize("text", ["沙田區大圍村", "香港特別行政區", "九龍城區何文田"])
def test_detects_big5_hkscs(text):
    assert encoding.detect([text.encode("big5hkscs")]).codec == "big5hkscs"


def test_latin_text_is_recognised():
    assert encoding.detect(["Ñandú".encode("cp1252"), "Zürich".encode("cp1252")]).codec == "cp1252"


def test_declared_encodings_in_order():
    gbk = ["北京".encode("gbk")]
    assert encoding.decide(gbk, ldid=0x4D).how == "ldid"
    d = encoding.decide(gbk, cpg="936", ldid=0)
    assert (d.codec, d.how) == ("gb18030", "cpg")
    d = encoding.decide(gbk, user="GBK", cpg="UTF-8")
    assert (d.codec, d.how) == ("gb18030", "user")
    # a .cpg that contradicts the bytes is overridden, with a warning
    d = encoding.decide([t.encode("gbk") for t in ("北京", "上海市", "广州")], cpg="UTF-8")
    assert d.codec == "gb18030" and d.warnings
    # ANSI (0x57) says nothing: detect
    assert encoding.decide(["中国".encode("utf-8")], ldid=0x57).codec == "utf-8"


def test_unknown_user_encoding_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown encoding"):
        encoding.decide([], user="klingon-8")


def test_damaged_text_is_spotted():
    assert encoding.is_damaged("锟斤拷鲁锟阶猴拷")
    assert encoding.is_damaged("��³")
    assert not encoding.is_damaged("长江")


def test_real_dbf_files(shared_data):
    cases = {"cn-encodings/beijing.dbf": ("gb18030", "ldid"), "cn-encodings/china_country.dbf": ("utf-8", "detected"),
             "hongkong-census/dcca.dbf": ("big5hkscs", "ldid"), "shenzhen-buildings/building.dbf": ("utf-8", None)}
    for rel, (codec, how) in cases.items():
        with open(shared_data / rel, "rb") as fh:
            h = dbf.read_header(fh)
            samples = dbf.text_samples(fh, h)
        d = encoding.decide(samples, ldid=h.ldid)
        assert d.codec == codec, rel
        if how:
            assert d.how == how, rel
    # without its code-page byte, dcca's Big5-HKSCS is still recognised from the bytes
    with open(shared_data / "hongkong-census/dcca.dbf", "rb") as fh:
        h = dbf.read_header(fh)
        assert encoding.detect(dbf.text_samples(fh, h)).codec == "big5hkscs"
