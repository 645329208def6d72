"""Checking a design against the standards, rule by rule.

:func:`run_check` evaluates every rule of the chosen standards on a project and returns
a :class:`CheckResult`: per rule the status (pass / fail / warning / na), the measured
value, the threshold, the clause, whether the number is verified, the reason when a
rule does not apply, and the uncovered areas (gaps) as geometry.

A rule passes when its value meets the threshold; a mandatory (强制性条文) or required
(应) rule that does not is a failure, a recommended (宜) or reference one a warning.
A rule applies when its scope exists (the study area, the people, the key areas …),
not when the designer has placed its elements: with the scope present and none of the
rule's elements, it falls short with value 0 and the reason "no Fire station in the
design".  It is not applicable (na) only when it truly does not apply — no population
layer for a per-person rule, no fire station to measure siting distances from — and
the reason says why.  A rule without a threshold reports its value only (na,
"reported value").
"""

from __future__ import annotations

import math
import time
import uuid
from dataclasses import dataclass, field

import shapely

from smartgis.analysis.context import CheckContext
from smartgis.analysis.metric_table import metric_fn
from smartgis.analysis.outcome import NotApplicable, Outcome, compare
from smartgis.analysis.standards import REFERENCE_NOTE, Library, Rule
from smartgis.core.progress import report
from smartgis.core.times import now_utc
from smartgis.errors import SmartGISError, StandardsError
from smartgis.i18n import _, message_of

STATUSES = ("pass", "fail", "warning", "na")
#: Summary keys of the statuses (the JSON summary says "warn").
SUMMARY_KEYS = {"pass": "pass", "fail": "fail", "warning": "warn", "na": "na"}


def _round(v, digits: int = 5):
    """``digits`` significant digits, never rounding away the integer part."""
    if v is None:
        return None
    f = float(v)
    if not math.isfinite(f):
        return None
    if f == 0:
        return 0.0
    mag = int(math.floor(math.log10(abs(f))))
    return round(f, max(0, digits - 1 - mag) if mag < digits else 0)


@dataclass
class RuleResult:
    """The result of one rule."""

    rule: Rule
    status: str
    value: float | None = None
    threshold: float | None = None
    reason: str = ""
    details: list = field(default_factory=list)
    gaps: object = None
    data: dict = field(default_factory=dict)
    elapsed_s: float = 0.0

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def gap_area_m2(self) -> float:
        if self.gaps is None or shapely.is_empty(self.gaps):
            return 0.0
        return float(shapely.area(self.gaps))

    def to_json(self) -> dict:
        """The object ``smartgis check --json`` prints for a rule."""
        r = self.rule
        return {"id": r.id, "standard": r.standard, "clause": r.clause, "status": self.status,
                "value": _round(self.value), "threshold": _round(self.threshold), "unit": r.unit,
                "severity": r.severity, "verified": bool(r.verified)}

    def to_dict(self) -> dict:
        """Everything about the result (reports, stored runs)."""
        d = self.to_json()
        r = self.rule
        d.update({"title": r.title, "comparison": r.comparison, "metric": r.metric,
                  "element_types": list(r.element_types), "scope": r.scope, "confidence": r.confidence,
                  "reason": self.reason, "details": list(self.details), "gap_area_m2": _round(self.gap_area_m2),
                  "note": r.note, "source": r.source, "reference_note": None if r.verified else REFERENCE_NOTE,
                  "elapsed_s": round(self.elapsed_s, 4)})
        if r.group:
            d["group"] = r.group
        return d


@dataclass
class CheckResult:
    """The results of a check run."""

    rules: list
    standards: list
    started: str
    elapsed_s: float
    project_name: str = ""
    project_path: str | None = None
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    type_coverage: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)

    @property
    def summary(self) -> dict:
        out = {k: 0 for k in SUMMARY_KEYS.values()}
        for r in self.rules:
            out[SUMMARY_KEYS[r.status]] += 1
        return out

    @property
    def failed(self) -> bool:
        """True when a mandatory or required rule fails (the CLI exits 1)."""
        return any(r.status == "fail" for r in self.rules)

    def result(self, rule_id: str) -> RuleResult:
        for r in self.rules:
            if r.rule.id == rule_id or r.rule.local_id == rule_id:
                return r
        raise StandardsError(_("no rule {rule!r} in this check", rule=rule_id))

    def to_json(self) -> dict:
        """Exactly the ``smartgis check --json`` object."""
        return {"rules": [r.to_json() for r in self.rules], "summary": self.summary}

    def to_dict(self) -> dict:
        return {"run_id": self.run_id, "started": self.started, "elapsed_s": round(self.elapsed_s, 3),
                "project": self.project_name, "standards": self.standards, "summary": self.summary,
                "notes": self.notes, "type_coverage": self.type_coverage,
                "rules": [r.to_dict() for r in self.rules]}


def evaluate(ctx: CheckContext, rule: Rule) -> RuleResult:
    """Evaluate one rule on a context."""
    t0 = time.perf_counter()
    fn = metric_fn(rule.metric)
    try:
        if fn is None:
            raise NotApplicable(_("unknown metric {metric!r}", metric=rule.metric))
        out: Outcome = fn(ctx, rule)
    except NotApplicable as exc:
        return RuleResult(rule, "na", threshold=rule.threshold, reason=message_of(exc),
                          elapsed_s=time.perf_counter() - t0)
    except SmartGISError as exc:
        # a layer that cannot be read makes this rule inapplicable, not the whole check
        return RuleResult(rule, "na", threshold=rule.threshold, reason=exc.message,
                          elapsed_s=time.perf_counter() - t0)
    threshold = out.threshold if out.threshold is not None else rule.threshold
    status, reason = judge(rule, out.value, threshold, out.missing)
    # gaps only where the rule falls short: one computation decides the status and the map
    gaps = out.gaps if status in ("fail", "warning") else None
    if gaps is not None and shapely.is_empty(gaps):
        gaps = None
    return RuleResult(rule, status, out.value, threshold, reason, list(out.details), gaps, dict(out.data),
                      time.perf_counter() - t0)


def shortfall_status(rule: Rule) -> str:
    """``fail`` for a mandatory or required rule, ``warning`` for a recommended or reference one."""
    return "fail" if rule.failing else "warning"


def judge(rule: Rule, value, threshold, missing: str | None = None) -> tuple[str, str]:
    """Status and reason of a measured value.

    ``missing`` (the design has none of the rule's elements while its scope exists) is
    a shortfall with that reason — unless the value still meets the threshold, which
    would be a vacuous pass and is shown as not applicable instead.
    """
    if threshold is None:
        return "na", _("reported value (the standard sets no threshold)")
    finite = value is not None and math.isfinite(value)
    if missing:
        if finite and compare(value, threshold, rule.comparison):
            return "na", _("{reason}: nothing to judge", reason=missing)
        return shortfall_status(rule), missing
    if not finite:
        return "na", _("no value could be measured")
    if compare(value, threshold, rule.comparison):
        return "pass", ""
    return shortfall_status(rule), ""


def type_coverage(ctx: CheckContext) -> dict:
    """Share of the study area each element type covers by its own model (%), for charts."""
    out = {}
    try:
        scope = ctx.study_area()
    except NotApplicable:
        return out
    for tid, lyr in sorted(ctx.project.design.layers.items()):
        t = lyr.element_type
        if not lyr.feature_count or t.coverage.model == "none":
            continue
        es = ctx.elements([tid])
        if not len(es):
            continue
        try:
            fp = ctx.footprint(es, {}, key=("type", tid))
            out[tid] = round(100.0 * fp.area(scope.geometry) / scope.area, 2)
        except (NotApplicable, SmartGISError):
            continue
    return out


def select_rules(library: Library, standards=None, rule_ids=None) -> list[Rule]:
    rules = library.rules(standards or None)
    if rule_ids:
        wanted = [library.rule(r).id for r in rule_ids]
        rules = [r for r in rules if r.id in wanted]
    return rules


def run_check(project, standards=None, standard_files=(), progress=None, rules=None,
              library: Library | None = None, chart: bool = True, keep=None) -> CheckResult:
    """Check a project's design against standards.

    Parameters
    ----------
    project : Project
    standards : list of str, optional
        Standard ids (``GB50180-2018`` ...); default: the project's
        ``settings["check"]["standards"]`` or else every standard loaded.
    standard_files : list of paths
        User standards files (a city's local standard), added to the built-in library.
    progress : callable, optional
        ``progress(done, total, message)``; returning False cancels.
    rules : list of str, optional
        Only these rule ids.
    chart : bool
        Also measure the coverage of every element type (for report charts).
    keep : callable, optional
        ``keep(elements) -> bool mask``: only these design elements count (the city as
        of a construction phase, see :mod:`smartgis.plan.phasecheck`).

    Returns
    -------
    CheckResult
    """
    t0 = time.perf_counter()
    started = now_utc()   # stored in UTC with its offset, shown in the reader's zone
    lib = library or Library.load(standard_files)
    if not standards:
        standards = (project.settings.get("check") or {}).get("standards") or None
        if standards:
            standards = [s for s in standards if s in lib.standards] or None
    if not standards and rules:
        # rules named one by one are checked whatever standard they belong to (a withdrawn one too)
        standards = list(lib.standards)
    if not standards:
        # by default every current standard, except local standards of other cities; a
        # user's own file is always checked
        user = {s.id for s in lib if s.origin == "user"}
        standards = [s.id for s in lib if s.applies_to(project) or s.id in user]
    chosen = select_rules(lib, standards, rules)
    used = sorted({r.standard for r in chosen})
    ctx = CheckContext(project)
    ctx.keep = keep
    total = len(chosen) + (1 if chart else 0)
    results = []
    for k, rule in enumerate(chosen):
        report(progress, k, total, rule.id)
        results.append(evaluate(ctx, rule))
    cover = {}
    if chart:
        report(progress, len(chosen), total, _("coverage per element type"))
        cover = type_coverage(ctx)
    notes = []
    try:
        sa = ctx.study_area()
        if sa.note:
            notes.append(sa.note)
    except NotApplicable as exc:
        notes.append(message_of(exc))
    report(progress, total, total, _("checked"))
    return CheckResult(rules=results, standards=[lib.get(s).describe() for s in used], started=started,
                       elapsed_s=time.perf_counter() - t0, project_name=project.name,
                       project_path=str(project.path) if project.path else None,
                       type_coverage=cover, notes=notes)


__all__ = ["CheckResult", "RuleResult", "run_check", "evaluate", "compare", "STATUSES"]
