"""Indicator systems: the evaluation indicators a city is scored against, read from JSON.

One file per system in ``resources/indicators/`` (format: ``docs/indicators-format.md``);
a city's own system is one more file (``smartgis indicators P --system-file F``).  Every
indicator names its level-1 domain and level-2 group, its definition (指标说明), unit,
weight (points out of 100, as published), how it is scored and, when the map can
measure it, how its value is derived from the design.  Weights and items not read in a
published copy ship with ``verified: false``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from smartgis.core.catalog import resources_dir
from smartgis.core.json_errors import json_problem
from smartgis.errors import StandardsError
from smartgis.i18n import _

#: The system scored when none is chosen.
DEFAULT_SYSTEM = "GBT33356-2022"
METHODS = ("linear", "thresholds", "yesno")
#: Weights of a system must add up to this (points).
TOTAL = 100.0


def _text(value, where: str) -> dict:
    if isinstance(value, str) and value:
        return {"zh": value, "en": value}
    if isinstance(value, dict) and (value.get("zh") or value.get("en")):
        return {"zh": str(value.get("zh") or value.get("en")), "en": str(value.get("en") or value.get("zh"))}
    raise StandardsError(_("{where}: a text or {{\"zh\": ..., \"en\": ...}} is needed", where=where))


@dataclass
class Scoring:
    """How a value becomes a share of the indicator's weight (0 … 1).

    ``linear``: ``(value - baseline) / (target - baseline)`` clipped to 0 … 1 (a target
    below the baseline means lower is better); ``thresholds``: the share of the highest
    step reached (``steps`` = ``[[value, share], …]``, ``better`` higher or lower);
    ``yesno``: 1 when the value is non-zero.
    """

    method: str = "linear"
    target: float = 100.0
    baseline: float = 0.0
    steps: list = field(default_factory=list)
    better: str = "higher"

    def fraction(self, value) -> float:
        if value is None or not math.isfinite(float(value)):
            return 0.0
        v = float(value)
        if self.method == "yesno":
            return 1.0 if v != 0 else 0.0
        if self.method == "thresholds":
            best = 0.0
            for limit, share in self.steps:
                reached = v >= limit if self.better == "higher" else v <= limit
                if reached:
                    best = max(best, float(share))
            return min(1.0, best)
        span = self.target - self.baseline
        if span == 0:
            return 1.0 if v == self.target else 0.0
        return min(1.0, max(0.0, (v - self.baseline) / span))

    def describe(self, lang: str = "zh") -> str:
        if self.method == "yesno":
            return "是/否" if lang == "zh" else "yes/no"
        if self.method == "thresholds":
            cmp = "≥" if self.better == "higher" else "≤"
            return "; ".join(f"{cmp}{a:g}: {b * 100:g}%" for a, b in self.steps)
        return (f"线性，{self.baseline:g} → {self.target:g} 满分" if lang == "zh"
                else f"linear, {self.baseline:g} → {self.target:g} full marks")


@dataclass
class Indicator:
    """One scored indicator (the leaf of the system's tree)."""

    id: str
    level1: str            # domain id
    level2: dict
    name: dict
    definition: dict
    unit: str
    weight: float
    scoring: Scoring
    source: str = ""
    verified: bool = False
    #: how the map measures it: ``{"rule": "STD/rule" | {rule}}`` or ``{"coverage": {...}}``
    derive: dict | None = None

    @property
    def derived(self) -> bool:
        return bool(self.derive)

    def label(self, lang: str = "zh") -> str:
        return self.name.get(lang) or self.name.get("en") or self.id


@dataclass
class Domain:
    """A level-1 indicator (一级指标)."""

    id: str
    name: dict
    verified: bool = False

    def label(self, lang: str = "zh") -> str:
        return self.name.get(lang) or self.name.get("en") or self.id


@dataclass
class IndicatorSystem:
    """An indicator system: domains, indicators, and where they come from."""

    id: str
    edition: str
    title: dict
    domains: list
    indicators: list
    body: str = ""
    year: int | None = None
    verified: bool = False
    source: str = ""
    note: dict = field(default_factory=dict)
    structure: dict = field(default_factory=dict)
    levels: str = "maturity-5"
    origin: str = "builtin"
    path: str | None = None

    def label(self, lang: str = "zh") -> str:
        return self.title.get(lang) or self.title.get("en") or self.id

    def domain(self, did: str) -> Domain:
        for d in self.domains:
            if d.id == did:
                return d
        raise KeyError(did)

    def indicator(self, iid: str) -> Indicator:
        for i in self.indicators:
            if i.id == iid or i.id.lower() == iid.lower():
                return i
        import difflib
        close = difflib.get_close_matches(iid, [i.id for i in self.indicators], n=3)
        hint = _("; did you mean {names}?", names=", ".join(close)) if close else ""
        raise StandardsError(_("no indicator {indicator!r} in {system}{hint}", indicator=iid, system=self.id,
                               hint=hint))

    def weight_of(self, did: str) -> float:
        return sum(i.weight for i in self.indicators if i.level1 == did)

    @property
    def total_weight(self) -> float:
        return sum(i.weight for i in self.indicators)


def _scoring(d, where: str) -> Scoring:
    d = d or {}
    if not isinstance(d, dict):
        raise StandardsError(_("{where}: scoring must be an object", where=where))
    method = d.get("method", "linear")
    if method not in METHODS:
        raise StandardsError(_("{where}: scoring method must be linear, thresholds or yesno, not {method!r}",
                               where=where, method=method))
    try:
        steps = [[float(a), float(b)] for a, b in d.get("steps", [])]
        s = Scoring(method, float(d.get("target", 100.0)), float(d.get("baseline", 0.0)), steps,
                    str(d.get("better", "higher")))
    except (TypeError, ValueError):
        raise StandardsError(_("{where}: scoring numbers must be numbers", where=where)) from None
    if method == "thresholds" and not steps:
        raise StandardsError(_("{where}: thresholds scoring needs steps", where=where))
    return s


def system_from_data(data, origin: str = "builtin", path=None) -> IndicatorSystem:
    """Validate and build an :class:`IndicatorSystem` from a parsed file."""
    if not isinstance(data, dict) or data.get("format") != "smartgis-indicators":
        raise StandardsError(_("not an indicator system file (\"format\": \"smartgis-indicators\" is missing)"))
    sid = str(data.get("id") or "").strip()
    if not sid or "/" in sid or " " in sid or not sid.isascii():
        raise StandardsError(_("system id {system!r} must be ASCII without spaces or '/'", system=sid))
    default_verified = bool(data.get("verified", False))
    domains = []
    for k, d in enumerate(data.get("domains") or []):
        where = _("system {system}, domain {n}", system=sid, n=k + 1)
        if not isinstance(d, dict) or not d.get("id"):
            raise StandardsError(_("{where}: a domain needs an id", where=where))
        domains.append(Domain(str(d["id"]), _text(d.get("name"), where), bool(d.get("verified", default_verified))))
    if not domains:
        raise StandardsError(_("system {system}: 'domains' must be a non-empty list", system=sid))
    ids = {d.id for d in domains}
    indicators, seen = [], set()
    for k, d in enumerate(data.get("indicators") or []):
        if not isinstance(d, dict):
            raise StandardsError(_("system {system}: indicator {n} must be an object", system=sid, n=k + 1))
        iid = str(d.get("id") or "").strip()
        where = _("indicator {indicator}", indicator=f"{sid}/{iid or k + 1}")
        if not iid or iid in seen:
            raise StandardsError(_("{where}: missing or repeated id", where=where))
        seen.add(iid)
        if d.get("level1") not in ids:
            raise StandardsError(_("{where}: level1 {domain!r} is not one of the domains", where=where,
                                   domain=d.get("level1")))
        try:
            weight = float(d.get("weight"))
        except (TypeError, ValueError):
            raise StandardsError(_("{where}: weight must be a number", where=where)) from None
        if weight < 0 or not math.isfinite(weight):
            raise StandardsError(_("{where}: weight must not be negative", where=where))
        derive = d.get("derive")
        if derive is not None and not (isinstance(derive, dict) and ("rule" in derive or "coverage" in derive)):
            raise StandardsError(_("{where}: derive must be {{\"rule\": …}} or {{\"coverage\": …}}", where=where))
        indicators.append(Indicator(
            id=iid, level1=str(d["level1"]), level2=_text(d.get("level2") or d.get("name"), where),
            name=_text(d.get("name"), where),
            definition=_text(d["definition"], where) if d.get("definition") else {"zh": "", "en": ""},
            unit=str(d.get("unit", "")), weight=weight, scoring=_scoring(d.get("scoring"), where),
            source=str(d.get("source") or data.get("source") or ""),
            verified=bool(d.get("verified", default_verified)), derive=derive))
    if not indicators:
        raise StandardsError(_("system {system}: 'indicators' must be a non-empty list", system=sid))
    total = sum(i.weight for i in indicators)
    if abs(total - TOTAL) > 0.01:
        raise StandardsError(_("system {system}: the weights add up to {total:g}, not 100", system=sid,
                               total=round(total, 4)))
    year = data.get("year")
    return IndicatorSystem(
        id=sid, edition=str(data.get("edition") or sid), title=_text(data.get("title") or sid, sid),
        domains=domains, indicators=indicators, body=str(data.get("body", "")),
        year=int(year) if isinstance(year, (int, float)) else None, verified=default_verified,
        source=str(data.get("source", "")), note=_text(data["note"], sid) if data.get("note") else {},
        structure=dict(data.get("structure") or {}), levels=str(data.get("levels") or "maturity-5"),
        origin=origin, path=str(path) if path else None)


def read_json(path, what: str):
    """A JSON file's content; errors name the file and the problem."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise StandardsError(_("{what} not found", what=what), path) from None
    except IsADirectoryError:
        raise StandardsError(_("is a folder, not a {what}", what=what), path) from None
    except OSError as exc:
        raise StandardsError(_("cannot be read ({reason})", reason=exc.strerror), path) from None
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise StandardsError(_("is not UTF-8 text"), path) from None
    except json.JSONDecodeError as exc:
        raise StandardsError(_("is not valid JSON (line {line}, column {column}: {problem})", line=exc.lineno,
                               column=exc.colno, problem=json_problem(exc)), path) from None


def load_system_file(path, origin: str = "user") -> IndicatorSystem:
    """Read one indicator system file; errors name the file and the problem."""
    data = read_json(path, _("indicator system file"))
    try:
        return system_from_data(data, origin=origin, path=path)
    except StandardsError as exc:
        raise StandardsError(exc.message, Path(path)) from None


def builtin_dir() -> Path:
    return resources_dir() / "indicators"


def builtin_systems() -> dict[str, IndicatorSystem]:
    out = {}
    for p in sorted(builtin_dir().glob("*.json")):
        s = load_system_file(p, origin="builtin")
        out[s.id] = s
    return out


def get_system(system_id: str | None = None, system_file=None) -> IndicatorSystem:
    """The system to score: a user's file, else the built-in one by id (default GB/T 33356-2022)."""
    if system_file:
        s = load_system_file(system_file)
        if system_id and system_id != s.id:
            raise StandardsError(_("{path} holds system {system}, not {wanted}", path=str(system_file),
                                   system=s.id, wanted=system_id))
        return s
    systems = builtin_systems()
    sid = system_id or DEFAULT_SYSTEM
    if sid in systems:
        return systems[sid]
    low = {k.lower().replace("-", "").replace("/", ""): k for k in systems}
    key = sid.lower().replace("-", "").replace("/", "").replace(" ", "")
    if key in low:
        return systems[low[key]]
    raise StandardsError(_("unknown indicator system {system!r} (systems: {systems})", system=sid,
                           systems=", ".join(systems)))
