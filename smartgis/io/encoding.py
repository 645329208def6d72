"""Choosing the text encoding of a source, and spotting text damaged at source.

Shapefiles from Chinese offices come in UTF-8, GBK/GB18030 or Big5(-HKSCS), often
with nothing saying which.  The decision, in order:

1. the user's choice (``--encoding``);
2. a ``.cpg`` file beside the ``.dbf``;
3. the DBF language-driver byte (0x4D GBK, 0x4F Big5 ...);
4. detection from the raw bytes: strict UTF-8 first (multi-byte UTF-8 is almost never
   valid by accident), then a Latin code page when high bytes stand alone between
   letters, then GB18030 against Big5-HKSCS by how many decoded characters are among
   the frequently used ones of each standard (level 1 of GB 2312 and of Big5): text
   decoded with the wrong one of the two comes out as rare characters and symbols.

A declared encoding that the bytes contradict (a ``.cpg`` saying UTF-8 over GBK text)
is overridden, with a warning.  Text whose damage happened before the file was written
(``锟斤拷`` runs left by a UTF-8/GBK round trip, U+FFFD) decodes fine and is reported.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from smartgis.i18n import _

#: Names users and ``.cpg`` files give, mapped to the Python codec used to read them.
#: GBK and GB2312 are read as GB18030 and Big5 as Big5-HKSCS: each is a superset that
#: decodes everything the smaller one does, plus characters real files contain.
_ALIASES = {
    "UTF8": "utf-8", "UTF-8": "utf-8", "65001": "utf-8", "UTF-8-SIG": "utf-8",
    "GBK": "gb18030", "GB2312": "gb18030", "GB18030": "gb18030", "CP936": "gb18030", "936": "gb18030",
    "EUC-CN": "gb18030", "ANSI 936": "gb18030", "MS936": "gb18030",
    "BIG5": "big5hkscs", "BIG5-HKSCS": "big5hkscs", "BIG5HKSCS": "big5hkscs", "CP950": "big5hkscs",
    "950": "big5hkscs", "ANSI 950": "big5hkscs", "MS950": "big5hkscs",
    "LATIN1": "latin-1", "LATIN-1": "latin-1", "ISO-8859-1": "latin-1", "ISO8859-1": "latin-1",
    "88591": "latin-1", "8859-1": "latin-1", "ISO 88591": "latin-1",
    "1252": "cp1252", "ANSI 1252": "cp1252", "CP1252": "cp1252", "WINDOWS-1252": "cp1252",
    "SHIFT_JIS": "cp932", "SJIS": "cp932", "932": "cp932", "949": "cp949", "EUC-KR": "cp949",
}

#: Display names of the codecs we choose.
LABELS = {"utf-8": "UTF-8", "gb18030": "GB18030 (GBK)", "big5hkscs": "Big5-HKSCS", "latin-1": "ISO-8859-1",
          "cp1252": "Windows-1252"}

#: Marks of text damaged before it reached us: U+FFFD, and what U+FFFD becomes when
#: its UTF-8 bytes are read as GBK (锟斤拷) or as Latin-1 (ï¿½).
_DAMAGE_RE = re.compile("\ufffd|锟斤拷|锟|ï¿½")


def label(codec: str) -> str:
    return LABELS.get(codec, codec)


def normalise_encoding(name: str) -> str | None:
    """The Python codec for a user's or ``.cpg`` encoding name, or None if unknown.

    Examples
    --------
    >>> normalise_encoding("GBK"), normalise_encoding("65001"), normalise_encoding("Big5")
    ('gb18030', 'utf-8', 'big5hkscs')
    """
    if name is None:
        return None
    key = str(name).strip().strip("\x00").upper()
    if not key:
        return None
    if key in _ALIASES:
        return _ALIASES[key]
    if key.startswith("CP") and key[2:].isdigit() and key[2:] in _ALIASES:
        return _ALIASES[key[2:]]
    try:
        return codecs.lookup(key.lower()).name
    except LookupError:
        return None


def is_damaged(text) -> bool:
    """True when a string carries marks of damage that happened at source."""
    return isinstance(text, str) and _DAMAGE_RE.search(text) is not None


def damaged_values(values) -> tuple[int, str | None]:
    """``(count, first)``: how many of ``values`` carry marks of damage (see
    :func:`is_damaged`), and the first such value.

    The marks are looked for in all texts joined at once (no mark holds a line break,
    so none can span two texts): a million clean values take one regex scan instead
    of a million calls; only a column with damage is looked at value by value.
    """
    try:
        joined = "\n".join(filter(None, values))      # C loops: no call per value
    except TypeError:                                   # a value that is not text
        joined = "\n".join(v for v in values if isinstance(v, str))
    if _DAMAGE_RE.search(joined) is None:
        return 0, None
    texts = [v for v in values if isinstance(v, str)]
    bad = [t for t in texts if _DAMAGE_RE.search(t) is not None]
    return len(bad), (bad[0] if bad else None)


@lru_cache(maxsize=65536)
def _common_gb(ch: str) -> bool:
    try:
        b = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(b) == 2 and 0xB0 <= b[0] <= 0xD7


@lru_cache(maxsize=65536)
def _common_big5(ch: str) -> bool:
    try:
        b = ch.encode("big5")
    except UnicodeEncodeError:
        return False
    return len(b) == 2 and 0xA4 <= b[0] <= 0xC6


def _score(samples: list[bytes], codec: str, common) -> tuple[float, int]:
    """(share of frequently used characters among the non-ASCII ones, failures)."""
    good = total = failures = 0
    for s in samples:
        try:
            text = s.decode(codec)
        except UnicodeDecodeError:
            failures += 1
            text = s.decode(codec, "replace")
        for ch in text:
            if ord(ch) < 128 or unicodedata.category(ch) in ("Zs", "Po", "Ps", "Pe", "Pd"):
                continue
            total += 1
            if common(ch):
                good += 1
    return (good / total if total else 0.0), failures


def _latin_like(samples: list[bytes]) -> float:
    """How much the high bytes look like accented letters in a Latin text (0..1)."""
    singles = letters = runs = 0
    for s in samples:
        for m in re.finditer(rb"[\x80-\xff]+", s):
            runs += 1
            if len(m.group()) == 1:
                singles += 1
                if unicodedata.category(m.group().decode("cp1252", "replace"))[0] == "L":
                    letters += 1
    if not runs:
        return 0.0
    return (singles / runs) * (letters / max(1, singles))


@dataclass
class Detection:
    """The outcome of :func:`detect`."""

    codec: str
    confidence: float
    detail: str
    scores: dict = field(default_factory=dict)


def detect(samples: list[bytes]) -> Detection:
    """Guess the encoding of raw text samples (DBF values, CSV lines).

    Examples
    --------
    >>> detect(["北京".encode("gbk")]).codec
    'gb18030'
    >>> detect(["沙田".encode("big5")]).codec
    'big5hkscs'
    >>> detect(["中国".encode("utf-8")]).codec
    'utf-8'
    """
    high = [s for s in samples if any(b > 127 for b in s)]
    if not high:
        return Detection("utf-8", 1.0, _("all text is ASCII"))
    bad_utf8 = 0
    for s in high:
        try:
            s.decode("utf-8")
        except UnicodeDecodeError:
            bad_utf8 += 1
    if bad_utf8 == 0:
        return Detection("utf-8", 1.0, _("all {n} non-ASCII values are valid UTF-8", n=len(high)))
    latin = _latin_like(high)
    if latin >= 0.8:
        return Detection("cp1252", latin, _("accented letters between ASCII letters (a Latin code page)"))
    gb, gb_fail = _score(high, "gb18030", _common_gb)
    b5, b5_fail = _score(high, "big5hkscs", _common_big5)
    n = len(high)
    gb_s = gb - gb_fail / n
    b5_s = b5 - b5_fail / n
    scores = {"utf-8": round(1 - bad_utf8 / n, 3), "gb18030": round(gb_s, 3), "big5hkscs": round(b5_s, 3)}
    if b5_s > gb_s + 0.05:
        codec, conf = "big5hkscs", b5_s
    else:
        codec, conf = "gb18030", gb_s
    detail = _("{encoding} fits best: {share} of the decoded Chinese characters are frequently used ones "
               "(GB18030 {gb}, Big5-HKSCS {big5}; {bad} of {total} values are not UTF-8)", encoding=label(codec),
               share=f"{conf:.0%}", gb=f"{gb_s:.0%}", big5=f"{b5_s:.0%}", bad=bad_utf8, total=n)
    return Detection(codec, max(0.0, conf), detail, scores)


def decodes_cleanly(samples: list[bytes], codec: str) -> bool:
    try:
        for s in samples:
            s.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


@dataclass
class EncodingDecision:
    """The encoding a source is read with, and why.

    Attributes
    ----------
    codec : str
        Python codec name (``utf-8``, ``gb18030``, ``big5hkscs`` ...).
    how : str
        ``user``, ``cpg``, ``ldid``, ``detected`` or ``format`` (the format fixes it).
    detail : str
        A sentence for the report.
    warnings : list of str
    """

    codec: str
    how: str
    detail: str
    warnings: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return label(self.codec)

    def to_dict(self) -> dict:
        return {"encoding": self.codec, "label": self.label, "how": self.how, "detail": self.detail}


def decide(samples: list[bytes], *, user: str | None = None, cpg: str | None = None,
           ldid: int | None = None, source: str = "") -> EncodingDecision:
    """Decide the encoding of DBF-like text from what is declared and the bytes.

    Parameters
    ----------
    samples : list of bytes
        Raw non-ASCII text values (see :func:`smartgis.io.dbf.text_samples`).
    user : str, optional
        The user's choice; always wins.
    cpg : str, optional
        Content of the ``.cpg`` file.
    ldid : int, optional
        The DBF language-driver byte.
    """
    from smartgis.errors import UsageError
    from smartgis.io.dbf import LDID_CODECS, LDID_NAMES

    if user:
        codec = normalise_encoding(user)
        if codec is None:
            raise UsageError(_("unknown encoding {encoding!r} (for example UTF-8, GBK, GB18030, Big5-HKSCS)",
                               encoding=user))
        d = EncodingDecision(codec, "user", _("{encoding}, as given", encoding=label(codec)))
        if samples and not decodes_cleanly(samples, codec):
            d.warnings.append(_("some text does not decode as {encoding}; undecodable bytes became U+FFFD",
                                encoding=label(codec)))
        return d
    high = [s for s in samples if any(b > 127 for b in s)]
    declared: tuple[str, str, str] | None = None
    notes: list[str] = []
    if cpg is not None:
        codec = normalise_encoding(cpg)
        if codec:
            declared = (codec, "cpg", _("{encoding}, from the .cpg file ({cpg})", encoding=label(codec),
                                        cpg=cpg.strip()))
        else:
            notes.append(_("the .cpg file names an unknown encoding ({cpg!r}); detected instead", cpg=cpg.strip()))
    if declared is None and ldid is not None and LDID_CODECS.get(ldid):
        codec = LDID_CODECS[ldid]
        name = LDID_NAMES.get(ldid, codec)
        declared = (codec, "ldid", _("{encoding}, from the DBF code-page byte {byte} ({name})", encoding=label(codec),
                                     byte=f"0x{ldid:02X}", name=name))
    if declared is not None:
        codec, how, detail = declared
        if high and codec != "utf-8" and len(high) >= 3 and decodes_cleanly(high, "utf-8"):
            notes.append(_("the file declares {encoding} ({how}) but its text is valid UTF-8; read as UTF-8",
                           encoding=label(codec), how=how))
            return EncodingDecision("utf-8", "detected", _("UTF-8 (the declared encoding does not fit the bytes)"),
                                    notes)
        if high and not decodes_cleanly(high, codec):
            det = detect(high)
            if det.codec != codec and decodes_cleanly(high, det.codec) and det.confidence >= 0.6:
                notes.append(_("the file declares {encoding} ({how}) but its text does not decode as that; "
                               "read as {used}", encoding=label(codec), how=how, used=label(det.codec)))
                return EncodingDecision(det.codec, "detected", det.detail, notes)
        return EncodingDecision(codec, how, detail, notes)
    det = detect(high)
    what = _("no .cpg file") if cpg is None else _(".cpg unusable")
    if ldid is not None:
        what = _("{what}, code-page byte {byte}", what=what, byte=f"0x{ldid:02X}" + (" (ANSI)" if ldid == 0x57 else ""))
    return EncodingDecision(det.codec, "detected", _("{detail} [{what}]", detail=det.detail, what=what), notes)
