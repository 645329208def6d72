"""Messages of the model in the user's language (no Qt).

The Qt-free packages (analysis, io, render, review, errors) write their messages in
English through :func:`_`::

    from smartgis.i18n import _
    raise NotApplicable(_("no population layer (set a layer's role to {role})", role="population"))

``_(template, **values)`` returns a :class:`Message`: a ``str`` holding the English
text (so scripts, JSON output and logs stay English and stable) that also remembers
its template and values.  Whatever shows it to a person calls :func:`localize`,
which renders the template in the current language (:func:`set_language`, set by the
window from its settings and by the command line from ``SMARTGIS_LANG``).

The Chinese catalogue is ``resources/i18n/zh_CN/messages/*.json``
(``{"English template": "中文模板"}``), merged at first use.  Placeholders are
``str.format`` fields; a translation may drop a field's ``!r`` (Chinese quotes the
value itself) but keeps its name.

A plugin ships its own translations in ``<plugin>/i18n/zh_CN/*.json`` (same format);
the plugin host merges them with :func:`add_catalogue` when it finds the plugin
enabled.  They sit beneath SmartGIS's catalogue: a template SmartGIS translates keeps
SmartGIS's translation whatever a plugin says.

A message kept in a file keeps its template and values (:func:`to_data`,
:func:`from_data`; check runs store them so), so it is shown in the reader's language
directly.  Text that lost its template on the way — a check run written by an older
SmartGIS, a message that went through ``str()`` or a Qt signal — is matched against the
catalogue's templates (:func:`localize` of a plain string).
"""

from __future__ import annotations

import ast
import json
import numbers
import os
import re
import string
import threading
from functools import lru_cache
from pathlib import Path

#: Languages messages can be shown in ("en" is the source language).
LANGUAGES = ("en", "zh")
#: Catalogue folder of each translated language, under ``resources/i18n``.
CATALOGUE_DIRS = {"zh": "zh_CN"}
#: Environment variable that switches the command line's messages to Chinese.
ENV_VAR = "SMARTGIS_LANG"

_language = "en"
_lock = threading.Lock()
_catalogues: dict[str, dict[str, str]] = {}
_added: dict[str, list[Path]] = {}     # lang -> folders of plugin catalogues, in the order added
_terms: dict[str, dict[str, str]] = {}
_patterns: dict[str, list] = {}


# == the current language ==================================================================
def normalise_language(lang) -> str | None:
    """``"zh"``/``"en"`` from a language code or locale name (``zh_CN.UTF-8``, ``en-GB``); None if neither."""
    if not lang:
        return None
    code = str(lang).strip().lower().replace("-", "_")
    if code.startswith("zh"):
        return "zh"
    if code.startswith("en") or code in ("c", "posix"):
        return "en"
    return None


def set_language(lang) -> str:
    """Make ``lang`` (``"zh"`` or ``"en"``) the language messages are shown in; returns it."""
    global _language
    _language = normalise_language(lang) or "en"
    return _language


def get_language() -> str:
    """The language messages are shown in (``"en"`` until :func:`set_language` is called)."""
    return _language


def language_from_environment(environ=None) -> str | None:
    """The language ``SMARTGIS_LANG`` asks for, or None when it is unset or unknown."""
    env = os.environ if environ is None else environ
    return normalise_language(env.get(ENV_VAR))


# == the catalogue ===========================================================================
def catalogue_dir(lang: str = "zh") -> Path:
    from smartgis.resources import resources_dir
    return resources_dir() / "i18n" / CATALOGUE_DIRS.get(lang, lang) / "messages"


def load_catalogue(folder: Path, strict: bool = True) -> dict[str, str]:
    """All ``*.json`` files of ``folder`` merged into one ``{template: translation}``.

    A template translated differently by two files keeps the first file's text (the
    completeness test reports such conflicts).  Not ``strict`` (plugins' catalogues),
    a file that cannot be read as JSON is left out instead of raising.
    """
    merged: dict[str, str] = {}
    for path in sorted(Path(folder).glob("*.json")):
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, UnicodeDecodeError, ValueError):
            if strict:
                raise
            continue
        if not isinstance(data, dict):
            continue
        for source, text in data.items():
            if isinstance(source, str) and isinstance(text, str) and text:
                merged.setdefault(source, text)
    return merged


def catalogue(lang: str) -> dict[str, str]:
    """The translations of ``lang`` (empty for English), loaded once."""
    if lang not in CATALOGUE_DIRS:
        return {}
    got = _catalogues.get(lang)
    if got is None:
        with _lock:
            got = _catalogues.get(lang)
            if got is None:
                folder = catalogue_dir(lang)
                got = load_catalogue(folder) if folder.is_dir() else {}
                for extra in _added.get(lang, ()):
                    # a plugin's broken file leaves its messages in English, nothing more
                    for source, text in load_catalogue(extra, strict=False).items():
                        got.setdefault(source, text)   # SmartGIS's own translation wins
                _catalogues[lang] = got
    return got


def add_catalogue(folder, lang: str = "zh") -> bool:
    """Merge a folder of ``{"English template": "译文"}`` JSON files into ``lang``'s catalogue.

    For plugins, which ship their own translations: the plugin host calls it for
    ``<plugin>/i18n/zh_CN`` when a plugin is enabled, and a plugin used without the
    host may call it itself.  The files are read at the next use of the catalogue.
    A template SmartGIS's own catalogue (or an earlier plugin's) translates keeps that
    translation.  A file that is not valid JSON is skipped.

    Parameters
    ----------
    folder : str or os.PathLike
        The folder of ``*.json`` files.
    lang : str
        The language of the translations (``"zh"``, ``"zh_CN"`` ...).

    Returns
    -------
    bool
        False when the folder was added already (or ``lang`` is English).
    """
    return _change_catalogues(folder, lang, add=True)


def remove_catalogue(folder, lang: str = "zh") -> bool:
    """Take back a folder given to :func:`add_catalogue`; False when it was not there."""
    return _change_catalogues(folder, lang, add=False)


def _change_catalogues(folder, lang: str, add: bool) -> bool:
    code = normalise_language(lang)
    if code not in CATALOGUE_DIRS:
        return False
    folder = Path(folder).resolve()
    with _lock:
        folders = _added.setdefault(code, [])
        if (folder in folders) == add:
            return False            # added already / not there
        if add:
            folders.append(folder)
        else:
            folders.remove(folder)
        _catalogues.pop(code, None)  # read again, in the new order, at next use
        _patterns.clear()
    _lookup.cache_clear()
    return True


def reload() -> None:
    """Forget the loaded catalogues (they are read again at next use, plugin folders included)."""
    with _lock:
        _catalogues.clear()
        _patterns.clear()
    _lookup.cache_clear()


def add_terms(mapping: dict, lang: str = "zh") -> None:
    """Register names whose translation comes from data, not code (element type labels ...).

    They translate exact matches in text matched against the catalogue, e.g. the
    element types named in a check run read back from a project file.
    """
    new = {str(k): str(v) for k, v in mapping.items() if k and v and k != v}
    if not new:
        return
    with _lock:
        have = _terms.setdefault(lang, {})
        if all(have.get(k) == v for k, v in new.items()):
            return
        have.update(new)
    _lookup.cache_clear()


# == messages ==================================================================================
class Localizable(str):
    """A ``str`` holding English text that can also render itself in another language."""

    __slots__ = ()

    def localized(self, lang: str | None = None) -> str:
        raise NotImplementedError


class Message(Localizable):
    """An English message that remembers its template and values (see :func:`_`)."""

    __slots__ = ("template", "values")

    def __new__(cls, template: str, values: dict | None = None):
        values = dict(values or {})
        try:
            text = template.format(**values)
        except (KeyError, IndexError, ValueError):
            text = template
        obj = super().__new__(cls, text)
        obj.template = template
        obj.values = values
        return obj

    def __reduce__(self):
        return (Message, (self.template, self.values))

    def localized(self, lang: str | None = None) -> str:
        lang = lang or _language
        if lang == "en":
            return str.__str__(self)
        values = {k: v.localized(lang) if isinstance(v, Localizable) else v for k, v in self.values.items()}
        target = catalogue(lang).get(self.template, self.template)
        try:
            return target.format(**values)
        except (KeyError, IndexError, ValueError):
            return str.__str__(self)


class Bilingual(Localizable):
    """Text given in every language by data (a catalog label, a standard's note)."""

    __slots__ = ("texts",)

    def __new__(cls, texts: dict):
        texts = {k: str(v) for k, v in (texts or {}).items() if v}
        obj = super().__new__(cls, texts.get("en") or next(iter(texts.values()), ""))
        obj.texts = texts
        return obj

    def __reduce__(self):
        return (Bilingual, (self.texts,))

    def localized(self, lang: str | None = None) -> str:
        lang = lang or _language
        return self.texts.get(lang) or str.__str__(self)


class Joined(Localizable):
    """Items joined by a separator, each localised (``zh_sep`` in Chinese)."""

    __slots__ = ("items", "sep", "zh_sep")

    def __new__(cls, items, sep: str = ", ", zh_sep: str | None = None):
        items = list(items)
        obj = super().__new__(cls, sep.join(str(i) for i in items))
        obj.items, obj.sep = items, sep
        obj.zh_sep = {", ": "、", "; ": "；"}.get(sep, sep) if zh_sep is None else zh_sep
        return obj

    def __reduce__(self):
        return (Joined, (self.items, self.sep, self.zh_sep))

    def localized(self, lang: str | None = None) -> str:
        lang = lang or _language
        sep = self.sep if lang == "en" else self.zh_sep
        return sep.join(localize(i, lang) for i in self.items)


class Matched(Localizable):
    """Plain English text, translated by matching it against the catalogue's templates."""

    __slots__ = ()

    def __reduce__(self):
        return (Matched, (str.__str__(self),))

    def localized(self, lang: str | None = None) -> str:
        lang = lang or _language
        text = str.__str__(self)
        return text if lang == "en" or not text else _lookup(text, lang)


def localizable(text) -> Localizable:
    """``text`` as a :class:`Localizable` (messages as they are, plain text matched later)."""
    return text if isinstance(text, Localizable) else Matched("" if text is None else str(text))


def _(template: str, /, **values) -> Message:
    """Mark an English message for translation and fill in its values.

    The result is the English text (a :class:`Message`); :func:`localize` shows it in
    the current language.  Values that are themselves messages are localised with it.
    """
    return Message(template, values)


def translate(template: str, /, lang: str | None = None, **values) -> str:
    """``template`` with ``values``, in ``lang`` (default: the current language), as a plain str."""
    return Message(template, values).localized(lang)


def join(items, sep: str = ", ", zh_sep: str | None = None) -> Joined:
    """Items (messages or plain text) joined by ``sep``, localisable as a whole."""
    return Joined(items, sep, zh_sep)


def bilingual(texts: dict) -> Bilingual:
    """A localisable text from ``{"en": ..., "zh": ...}``."""
    return Bilingual(texts)


def message_of(exc: BaseException):
    """The message of an exception, keeping its template when it has one.

    :class:`~smartgis.errors.SmartGISError` gives its localisable ``"<file>: <problem>"``;
    other exceptions raised with a :class:`Message` give it; anything else its ``str``.
    """
    loc = getattr(exc, "localizable", None)
    if callable(loc):
        return loc()
    args = getattr(exc, "args", ())
    if len(args) == 1 and isinstance(args[0], Localizable):
        return args[0]
    return str(exc)


def localize(text, lang: str | None = None) -> str:
    """``text`` in ``lang`` (default: the current language).

    A :class:`Message` renders its template's translation; an exception its message;
    plain English text is matched against the catalogue (exactly, then by template)
    and returned as it is when nothing matches.
    """
    if text is None:
        return ""
    lang = lang or _language
    if isinstance(text, BaseException):
        text = message_of(text)
    if isinstance(text, Localizable):
        return text.localized(lang)
    text = str(text)
    if lang == "en" or not text:
        return text
    return _lookup(text, lang)


# == messages kept in files ===================================================================
def to_data(text):
    """A message as plain JSON data (template and values), so a stored message is shown
    in any language when it is read back (:func:`from_data`).

    Plain text stays a string; a number stays a number; anything else becomes its text.
    """
    if isinstance(text, Message):
        return {"template": text.template, "values": {k: to_data(v) for k, v in text.values.items()}}
    if isinstance(text, Bilingual):
        return {"texts": dict(text.texts)}
    if isinstance(text, Joined):
        return {"items": [to_data(i) for i in text.items], "sep": text.sep, "zh_sep": text.zh_sep}
    if isinstance(text, Matched):
        return {"matched": str.__str__(text)}
    if text is None or isinstance(text, bool):
        return text
    if isinstance(text, numbers.Integral):
        return int(text)
    if isinstance(text, numbers.Real):
        return float(text)
    return str(text)


def from_data(data):
    """The message :func:`to_data` stored (plain text comes back as it is)."""
    if isinstance(data, dict):
        if "template" in data:
            return Message(str(data["template"]), {k: from_data(v) for k, v in (data.get("values") or {}).items()})
        if "texts" in data:
            return Bilingual(data["texts"])
        if "items" in data:
            return Joined([from_data(i) for i in data["items"]], data.get("sep", ", "), data.get("zh_sep"))
        if "matched" in data:
            return Matched(str(data["matched"]))
    if isinstance(data, list):
        return [from_data(d) for d in data]
    return data


# == matching plain text against the templates ===============================================
class _Captured(str):
    """Text cut from a message by a template: already formatted, so specs do not apply."""

    __slots__ = ()


class _Formatter(string.Formatter):
    def convert_field(self, value, conversion):
        if isinstance(value, _Captured):
            return value
        return super().convert_field(value, conversion)

    def format_field(self, value, format_spec):
        if isinstance(value, _Captured):
            return str.__str__(value)
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()

#: Field names that always hold a number (matched as one when reading text back, so
#: "study area 12.0 km²" splits as scope "study area" and area "12.0").
NUMERIC_FIELDS = frozenset({
    "n", "total", "count", "area", "people", "distance", "limit", "cell", "x", "y", "step", "spacing",
    "allowed", "largest", "smallest", "low", "high", "need", "over", "empty", "share", "features", "version",
    "size", "width", "height", "seconds", "levels", "percent", "bytes", "zone", "expected", "found",
})
_NUMBER = r"[-+]?(?:\d[\d,]*(?:\.\d+)?|\.\d+|inf|nan)(?:e[-+]?\d+)?%?"
_NUMBER_RX = re.compile(_NUMBER, re.IGNORECASE)
_MAX_DEPTH = 6


def _compile(template: str):
    """A regex matching what ``template`` formats to, and the fields of its groups."""
    parts, fields, literal = [], [], 0
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return None
    for text, name, _spec, conv in parsed:
        if text:
            parts.append(re.escape(text))
            literal += len(text.strip())
        if name is not None:
            if not name or not name.isidentifier():
                return None   # positional or attribute fields are not used by messages
            body = _NUMBER if name in NUMERIC_FIELDS else ".+?"
            parts.append(f"(?P<g{len(fields)}>{body})")
            fields.append((name, conv))
    if not fields:
        return None
    prefix = parsed[0][0] or ""
    suffix = parsed[-1][0] if parsed[-1][1] is None else ""
    return literal, prefix, suffix or "", re.compile("".join(parts), re.DOTALL), fields


def _template_patterns(lang: str) -> list:
    got = _patterns.get(lang)
    if got is None:
        got = []
        for source, text in catalogue(lang).items():
            if "{" not in source:
                continue
            c = _compile(source)
            # a template of almost nothing but fields would match any text, unless a
            # number field pins it down ("{types} × {n}")
            if c is not None and (c[0] >= 3 or (c[0] >= 1 and any(n in NUMERIC_FIELDS for n, _c in c[4]))):
                got.append((c, text))
        got.sort(key=lambda item: -item[0][0])
        _patterns[lang] = got
    return got


def _has_fields(template: str) -> bool:
    try:
        return any(name is not None for _t, name, _s, _c in string.Formatter().parse(template))
    except ValueError:
        return False


def _exact(lang: str) -> dict[str, str]:
    """Translations of the templates without fields, keyed by their formatted text."""
    key = "exact:" + lang
    got = _patterns.get(key)
    if got is None:
        got = {}
        for source, text in catalogue(lang).items():
            if _has_fields(source):
                continue
            try:
                got[source.format()] = text.format()
            except (ValueError, KeyError, IndexError):
                got[source] = text
        _patterns[key] = got
    return got


_PATHLIKE = re.compile(r"([/\\]|\.[A-Za-z0-9]{2,5}$|^[A-Za-z]:)")


@lru_cache(maxsize=8192)
def _lookup(text: str, lang: str, depth: int = 0) -> str:
    exact = _exact(lang)
    if text in exact:
        return exact[text]
    terms = _terms.get(lang, {})
    if text in terms:
        return terms[text]
    if depth >= _MAX_DEPTH:
        return text
    for (_literal, prefix, suffix, rx, fields), target in _template_patterns(lang):
        if not text.startswith(prefix) or not text.endswith(suffix):
            continue
        m = rx.fullmatch(text)
        if m is None:
            continue
        values = {}
        for k, (name, conv) in enumerate(fields):
            if name in values:
                continue
            raw = m.group(f"g{k}")
            if conv == "r":
                try:
                    values[name] = ast.literal_eval(raw)
                    continue
                except (ValueError, SyntaxError):
                    pass
            # anything but a number may be a message itself ("'name' must be …", "<file>: <problem>")
            looked_up = raw[:1].isalpha() or not _NUMBER_RX.fullmatch(raw)
            values[name] = _Captured(_lookup(raw, lang, depth + 1) if looked_up else raw)
        try:
            return _FORMATTER.format(target, **values)
        except (KeyError, IndexError, ValueError):
            continue
    # "<file>: <problem>" of an error that went through str()
    head, sep, tail = text.partition(": ")
    if sep and _PATHLIKE.search(head):
        out = _lookup(tail, lang, depth + 1)
        if out != tail:
            return f"{head}: {out}"
    # sentences joined by "; " (some of them messages), names joined by ", " (all known)
    for sep_en, sep_zh, need_all in (("; ", "；", False), (", ", "、", True)):
        if sep_en in text:
            parts = text.split(sep_en)
            done = [_lookup(p, lang, depth + 1) for p in parts]
            changed = [a != b for a, b in zip(parts, done)]
            if all(changed) if need_all else any(changed):
                return sep_zh.join(done)
    return text


__all__ = ["_", "translate", "localize", "localizable", "join", "bilingual", "message_of", "set_language", "get_language",
           "Message", "Localizable", "Bilingual", "Joined", "Matched", "add_terms", "add_catalogue",
           "remove_catalogue", "catalogue", "reload",
           "language_from_environment", "normalise_language", "LANGUAGES", "to_data", "from_data"]
