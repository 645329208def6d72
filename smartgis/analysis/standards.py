"""The standards library: standards and their rules, read from JSON files.

One file per standard in ``resources/standards/`` (format: ``docs/standards-format.md``);
users add their own (a city's local standard) with ``--standard-file``.  A rule names
the clause it comes from, the element types it is about, the metric measured, the
threshold and its severity tier (mandatory 强制性条文, required 应, recommended 宜,
reference for information).  Numbers not read in
a copy of the standard ship with ``verified: false`` and are shown everywhere as
"reference value — confirm against the purchased standard".
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from smartgis import contributions
from smartgis.core.json_errors import json_problem
from smartgis.errors import StandardsError
from smartgis.i18n import _
from smartgis.resources import resources_dir

KINDS = ("rules", "indicators")
#: Severity tiers, as the codes write them: ``mandatory`` 强制性条文 (bold in the printed
#: code), ``required`` 应/不应 (fails), ``recommended`` 宜/不宜/可 (warns), ``reference``
#: national or sector targets reported for information (never failing a district).
SEVERITIES = ("mandatory", "required", "recommended", "reference")
#: Tiers whose shortfall is a failure (``smartgis check`` exits 1).
FAILING = ("mandatory", "required")
#: Edition states: a withdrawn standard stays loadable, is never mandatory and is not
#: checked by default.
EDITION_STATUS = ("current", "withdrawn")
CONFIDENCE = ("V", "P", "M")
COMPARISONS = (">=", "<=", ">", "<", "==")
REFERENCE_NOTE = {"en": "reference value — confirm against the purchased standard",
                  "zh": "参考值——请以正式出版的标准文本为准"}


def _text(value, what: str) -> dict:
    if isinstance(value, str):
        return {"zh": value, "en": value}
    if isinstance(value, dict) and (value.get("zh") or value.get("en")):
        return {"zh": str(value.get("zh") or value.get("en")), "en": str(value.get("en") or value.get("zh"))}
    raise StandardsError(_("{what} must be a text or {{\"zh\": ..., \"en\": ...}}", what=what))


def _key(where: str, key: str) -> str:
    """``rule GB50180-2018/x: title`` — a key of a rule or standard, in messages."""
    return _("{where}: {key}", where=where, key=key)


@dataclass
class Rule:
    """One checkable requirement of a standard.

    Attributes
    ----------
    id : str
        ``STANDARD/local_id`` (e.g. ``GB50180-2018/primary_school_radius``).
    local_id, standard : str
    clause : str
        Where in the standard (``§4.1.3``, ``Table 3.0.4``, ``App. C``).
    title : dict
        ``{"zh", "en"}``.
    element_types : list of str
        Catalog type ids the rule is about.
    metric : str
        What is measured (see :mod:`smartgis.analysis.metrics`).
    params : dict
        Metric parameters (radius overrides, walking distance, filters ...).
    threshold : float or None
        None: the value is reported, not judged.
    unit, comparison, severity, scope : str
    scope_where : dict or None
        Filter of the scope layers' features (land-use class ...).
    verified : bool
        False for numbers not confirmed in a copy of the standard.
    confidence : {"V", "P", "M"}
    source, note : str / dict
    """

    id: str
    local_id: str
    standard: str
    clause: str
    title: dict
    metric: str
    element_types: list = field(default_factory=list)
    params: dict = field(default_factory=dict)
    threshold: float | None = None
    unit: str = ""
    comparison: str = ">="
    severity: str = "mandatory"
    scope: str = "study_area"
    scope_where: dict | None = None
    verified: bool = False
    confidence: str = "M"
    source: str = ""
    note: dict = field(default_factory=dict)
    # indicator systems
    group: dict = field(default_factory=dict)
    level1: dict = field(default_factory=dict)
    weight: float | None = None
    spatial: bool = True

    def label(self, lang: str = "en") -> str:
        return self.title.get(lang) or self.title.get("en") or self.local_id

    @property
    def mandatory(self) -> bool:
        """A 强制性条文 of the code."""
        return self.severity == "mandatory"

    @property
    def failing(self) -> bool:
        """Whether falling short is a failure (mandatory or required), not a warning."""
        return self.severity in FAILING


@dataclass
class Standard:
    """A standard (or indicator system) and its rules."""

    id: str
    title: dict
    body: str
    year: int | None
    kind: str
    rules: list
    edition: str = ""
    version: int = 1
    note: dict = field(default_factory=dict)
    origin: str = "builtin"
    path: str | None = None
    sha1: str = ""
    #: A local standard names its city; it is checked by default only in that city's projects.
    city: str = ""
    #: ``current`` or ``withdrawn`` (with the date and the successor, as the notice says).
    status: str = "current"
    withdrawn: str = ""
    replaced_by: str = ""

    def applies_to(self, project) -> bool:
        """Whether a default check of ``project`` includes this standard."""
        if self.status == "withdrawn":
            return False
        if not self.city:
            return True
        return self.city in str((project.metadata or {}).get("city") or "")

    def label(self, lang: str = "en") -> str:
        return self.title.get(lang) or self.title.get("en") or self.id

    def describe(self) -> dict:
        """What a check run records about the standard it used."""
        d = {"id": self.id, "edition": self.edition or self.id, "year": self.year, "version": self.version,
             "origin": self.origin, "sha1": self.sha1, "rules": len(self.rules)}
        if self.status != "current":
            d.update(status=self.status, withdrawn=self.withdrawn, replaced_by=self.replaced_by)
        return d


#: Other names a metric may be given by in hand-written files.
METRIC_ALIASES = {"area_coverage": "coverage_area", "population_coverage": "coverage_population"}
#: The compact form's levels: a hand-written rule that must hold is ``required`` (a local
#: rule is not a 强制性条文 of a national code).
LEVELS = {"error": "required", "warning": "recommended", "info": "reference"}


def _compact(d: dict, defaults: dict) -> dict:
    """The compact form of a rule (``name``, ``element``, ``min``/``max``, ``level``,
    ``layer_role``, ``text``, ``where`` as ``{field: [values]}``) in the full form."""
    d = dict(d)
    if "title" not in d and "name" in d:
        d["title"] = d.pop("name")
    if "element_types" not in d and "element" in d:
        d["element_types"] = [d.pop("element")]
    if d.get("threshold") is None and ("min" in d or "max" in d):
        if "min" in d:
            d["threshold"], d["comparison"] = d.pop("min"), ">="
        else:
            d["threshold"], d["comparison"] = d.pop("max"), "<="
    if "severity" not in d and "level" in d:
        d["severity"] = LEVELS.get(d.pop("level"), "?")
    if "scope" not in d and "layer_role" in d:
        d["scope"] = d.pop("layer_role")
    if "note" not in d and "text" in d:
        d["note"] = d.pop("text")
    if "metric" in d:
        d["metric"] = METRIC_ALIASES.get(d["metric"], d["metric"])
    where = d.pop("where", None)
    if where:
        params = dict(d.get("params") or {})
        if isinstance(where, dict) and "field" not in where and len(where) == 1:
            (fname, cond), = where.items()
            if isinstance(cond, dict) and "contains" in cond:
                where = {"field": fname, "contains": cond["contains"]}
            else:
                where = {"field": fname, "values": cond if isinstance(cond, list) else [cond]}
        params["where"] = where
        d["params"] = params
    for k, v in defaults.items():
        d.setdefault(k, v)
    return d


def _rule_from_dict(d: dict, std_id: str, kind: str, defaults: dict | None = None) -> Rule:
    if not isinstance(d, dict):
        raise StandardsError(_("a rule must be an object, not {value!r:.60}", value=d))
    d = _compact(d, defaults or {})
    local = str(d.get("id") or "").strip()
    if not local or "/" in local or not local.isascii():
        raise StandardsError(_("rule id {rule!r} must be ASCII without '/'", rule=local))
    where = _("rule {rule}", rule=f"{std_id}/{local}")
    from smartgis.analysis.metric_table import builtin_metrics, metric_names
    metric = d.get("metric") or ("indicator" if kind == "indicators" else "")
    # the built-in table first: asking the plugins is slower and rarely needed
    if metric not in builtin_metrics() and metric not in metric_names():
        raise StandardsError(_("{where}: unknown metric {metric!r} (metrics: {metrics})", where=where, metric=metric,
                               metrics=", ".join(sorted(metric_names()))))
    severity = d.get("severity", "required" if kind == "rules" else "recommended")
    if severity not in SEVERITIES:
        raise StandardsError(_("{where}: severity must be mandatory, required, recommended or reference, "
                               "not {severity!r}", where=where, severity=severity))
    comparison = d.get("comparison", ">=")
    if comparison not in COMPARISONS:
        raise StandardsError(_("{where}: comparison must be one of {comparisons}", where=where,
                               comparisons=" ".join(COMPARISONS)))
    confidence = str(d.get("confidence", "M")).upper()
    if confidence not in CONFIDENCE:
        raise StandardsError(_("{where}: confidence must be V, P or M", where=where))
    threshold = d.get("threshold")
    if threshold is not None:
        try:
            threshold = float(threshold)
        except (TypeError, ValueError):
            raise StandardsError(_("{where}: threshold {threshold!r} is not a number", where=where,
                                   threshold=threshold)) from None
    types = d.get("element_types", [])
    if isinstance(types, str):
        types = [types]
    params = d.get("params") or {}
    if not isinstance(params, dict):
        raise StandardsError(_("{where}: params must be an object", where=where))
    verified = d.get("verified")
    if verified is None:
        verified = confidence == "V"
    note = d.get("note") or {}
    try:
        return Rule(id=f"{std_id}/{local}", local_id=local, standard=std_id, clause=str(d.get("clause", "")),
                    title=_text(d.get("title") or local, _key(where, "title")), metric=metric,
                    element_types=[str(t) for t in types], params=params, threshold=threshold,
                    unit=str(d.get("unit", "")), comparison=comparison, severity=severity,
                    scope=str(d.get("scope") or "study_area"), scope_where=d.get("scope_where"),
                    verified=bool(verified), confidence=confidence, source=str(d.get("source", "")),
                    note=_text(note, _key(where, "note")) if note else {},
                    group=_text(d["group"], _key(where, "group")) if d.get("group") else {},
                    level1=_text(d["level1"], _key(where, "level1")) if d.get("level1") else {},
                    weight=float(d["weight"]) if d.get("weight") is not None else None,
                    spatial=bool(d.get("spatial", True)))
    except StandardsError as exc:
        if exc.message.startswith(where):
            raise
        raise StandardsError(_("{what}: {problem}", what=where, problem=exc.message)) from None


def standard_from_data(data: dict, origin: str = "builtin", path=None) -> Standard:
    """Validate and build a :class:`Standard` from a parsed standards file."""
    if not isinstance(data, dict):
        raise StandardsError(_("a standards file is a JSON object"))
    sid = str(data.get("id") or "").strip()
    if not sid or "/" in sid or not sid.isascii() or " " in sid:
        raise StandardsError(_("standard id {standard!r} must be ASCII without spaces or '/'", standard=sid))
    kind = data.get("kind", "rules")
    if kind == "local":  # a city's own rules are rules like any other
        kind = "rules"
    if kind not in KINDS:
        raise StandardsError(_("standard {standard}: kind must be 'rules' or 'indicators'", standard=sid))
    rules_data = data.get("rules")
    if not isinstance(rules_data, list) or not rules_data:
        raise StandardsError(_("standard {standard}: 'rules' must be a non-empty list", standard=sid))
    defaults = {"verified": data["verified"]} if "verified" in data else {}
    rules = [_rule_from_dict(r, sid, kind, defaults) for r in rules_data]
    status = str(data.get("status") or "current")
    if status not in EDITION_STATUS:
        raise StandardsError(_("standard {standard}: status must be current or withdrawn, not {status!r}",
                               standard=sid, status=status))
    if status == "withdrawn":
        # a withdrawn code binds nobody: its rules inform, they never fail a design
        for r in rules:
            if r.severity in FAILING:
                r.severity = "recommended"
    seen = set()
    for r in rules:
        if r.local_id in seen:
            raise StandardsError(_("standard {standard}: rule {rule!r} is defined twice", standard=sid, rule=r.local_id))
        seen.add(r.local_id)
    year = data.get("year")
    try:
        year = int(year) if year is not None else None
    except (TypeError, ValueError):
        raise StandardsError(_("standard {standard}: year {year!r} is not a number", standard=sid, year=year)) from None
    scope = data.get("scope") if isinstance(data.get("scope"), dict) else {}
    body = data.get("body") or data.get("source") or ""
    if isinstance(body, dict):
        body = body.get("zh") or body.get("en") or ""
    note = data.get("note") or scope.get("note")
    std_where = _("standard {standard}", standard=sid)
    return Standard(id=sid, title=_text(data.get("title") or data.get("name") or sid, _key(std_where, "title")),
                    body=str(body), year=year, kind=kind, rules=rules,
                    edition=str(data.get("edition", "")), version=int(data.get("version", 1) or 1),
                    note=_text(note, _key(std_where, "note")) if note else {},
                    origin=origin, path=os.fspath(path) if path else None, city=str(scope.get("city") or ""),
                    status=status, withdrawn=str(data.get("withdrawn") or ""),
                    replaced_by=str(data.get("replaced_by") or ""))


def load_standard_file(path, origin: str = "user") -> Standard:
    """Read one standards file; errors name the file and the problem."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise StandardsError(_("standards file not found"), path) from None
    except IsADirectoryError:
        raise StandardsError(_("is a folder, not a standards file"), path) from None
    except OSError as exc:
        raise StandardsError(_("cannot be read ({reason})", reason=exc.strerror), path) from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise StandardsError(_("is not UTF-8 text (save the standards file as UTF-8)"), path) from None
    except json.JSONDecodeError as exc:
        raise StandardsError(_("is not valid JSON (line {line}, column {column}: {problem})", line=exc.lineno,
                               column=exc.colno, problem=json_problem(exc)), path) from None
    try:
        std = standard_from_data(data, origin=origin, path=path)
    except StandardsError as exc:
        raise StandardsError(exc.message, path) from None
    std.sha1 = hashlib.sha1(raw).hexdigest()[:12]
    return std


def plugin_standard_files() -> list:
    """Standards files of the enabled plugins (none when the plugin system is absent)."""
    try:
        return list(contributions.current().standard_files())
    except Exception:  # noqa: BLE001 - plugins are optional: the built-in library always works
        return []


def builtin_dir() -> Path:
    return resources_dir() / "standards"


class Library:
    """Standards by id, with rule lookup.

    Examples
    --------
    >>> lib = Library.builtin()
    >>> lib.rule("GB50180-2018/primary_school_radius").params["distance"]
    500
    """

    def __init__(self, standards=()):
        self.standards: dict[str, Standard] = {}
        for s in standards:
            self.add(s)

    def add(self, std: Standard, replace: bool = True) -> None:
        if std.id in self.standards and not replace:
            raise StandardsError(_("standard {standard} is loaded twice", standard=std.id))
        self.standards[std.id] = std

    @classmethod
    def builtin(cls) -> "Library":
        lib = cls()
        folder = builtin_dir()
        for p in sorted(folder.glob("*.json")):
            lib.add(load_standard_file(p, origin="builtin"))
        return lib

    @classmethod
    def load(cls, files=(), builtin: bool = True, plugins: bool = True) -> "Library":
        """The built-in standards, the enabled plugins' standards and user files (a later
        file replaces a standard with the same id)."""
        lib = cls.builtin() if builtin else cls()
        if plugins:
            for f in plugin_standard_files():
                try:
                    lib.add(load_standard_file(f, origin="plugin"))
                except StandardsError:
                    continue  # a broken plugin file must not stop the built-in checks
        for f in files or ():
            lib.add(load_standard_file(f, origin="user"))
        return lib

    def __iter__(self):
        return iter(self.standards.values())

    def __len__(self) -> int:
        return len(self.standards)

    def get(self, sid: str) -> Standard:
        if sid in self.standards:
            return self.standards[sid]
        low = {k.lower(): k for k in self.standards}
        norm = sid.lower().replace(" ", "").replace("/", "-")
        if norm in low:
            return self.standards[low[norm]]
        import difflib
        close = difflib.get_close_matches(sid, list(self.standards), n=3)
        hint = _("; did you mean {names}?", names=", ".join(close)) if close else ""
        raise StandardsError(_("unknown standard {standard!r}{hint} (standards: {standards})", standard=sid,
                               hint=hint, standards=", ".join(self.standards)))

    def rules(self, standards=None) -> list[Rule]:
        stds = [self.get(s) for s in standards] if standards else list(self)
        return [r for s in stds for r in s.rules]

    def rule(self, rid: str) -> Rule:
        """A rule by full id (``STD/rule``) or by its local id when that is unique."""
        for r in self.rules():
            if r.id == rid:
                return r
        matches = [r for r in self.rules() if r.local_id == rid or r.id.lower() == rid.lower()]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise StandardsError(_("rule id {rule!r} is ambiguous: {rules}", rule=rid,
                                   rules=", ".join(r.id for r in matches)))
        import difflib
        close = difflib.get_close_matches(rid, [r.id for r in self.rules()], n=3)
        hint = _("; did you mean {names}?", names=", ".join(close)) if close else ""
        raise StandardsError(_("unknown rule {rule!r}{hint}", rule=rid, hint=hint))
