"""What evaluating one rule yields, and the signal that a rule does not apply."""

from __future__ import annotations

from dataclasses import dataclass, field


class NotApplicable(Exception):
    """A rule cannot be evaluated on this project; the message says why (shown to users)."""


@dataclass
class Outcome:
    """The measurement of one rule, before it is judged against its threshold.

    Attributes
    ----------
    value : float or None
        The measured value, in the rule's unit.
    threshold : float or None
        Set when the metric computes the threshold (a required count); otherwise the
        rule's own threshold applies.
    gaps : shapely geometry or None
        Where the rule is not met (uncovered area, districts too large ...).
    details : list of str
        Plain-language facts shown with the result.
    data : dict
        Numbers the reports and gap filling use (areas, populations, counts).
    missing : str or None
        Set when the rule applies (its scope exists) but the design has none of its
        elements: the reason shown ("no Fire station in the design"); the rule then
        fails (or warns) whatever its threshold — an empty design passes nothing.
    """

    value: float | None = None
    threshold: float | None = None
    gaps: object = None
    details: list = field(default_factory=list)
    data: dict = field(default_factory=dict)
    missing: str | None = None


def compare(value: float, threshold: float, comparison: str) -> bool:
    """Whether ``value`` meets ``threshold`` — the one test that judges a rule and counts
    its shortfalls (areas are measured to about a millionth: 100 % computed as
    99.9999 % passes)."""
    eps = 1e-6 * max(1.0, abs(threshold))
    if comparison == ">=":
        return value >= threshold - eps
    if comparison == "<=":
        return value <= threshold + eps
    if comparison == ">":
        return value > threshold
    if comparison == "<":
        return value < threshold
    return abs(value - threshold) <= eps


#: How comparisons read in tables and reports.
COMPARISON_SIGNS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}


def format_value(v) -> str:
    """A measured value or threshold as tables and reports show it (— for none)."""
    if v is None:
        return "—"
    a = abs(v)
    if a >= 1000:
        return f"{v:,.0f}"
    if a >= 100:
        return f"{v:.1f}"
    return f"{v:.2f}" if a >= 1 or a == 0 else f"{v:.3g}"


def format_threshold(comparison: str, threshold) -> str:
    """``≥ 90.0`` — a rule's threshold with its comparison ('' when it has none)."""
    if threshold is None:
        return ""
    return f"{COMPARISON_SIGNS.get(comparison, comparison)} {format_value(threshold)}"


def format_short(value, threshold) -> str:
    """A value that falls short of its threshold, with as many decimals as it takes to stay
    on its side of the threshold (99.996 % of 100 % shows as 99.996, never as 100.00)."""
    text = format_value(value)
    if value is None or threshold is None or value == threshold:
        return text
    side = 1 if value > threshold else -1

    def ok(t: str) -> bool:
        try:
            return (float(t.replace(",", "")) - threshold) * side > 0
        except ValueError:
            return True
    if ok(text):
        return text
    for digits in range(2, 9):
        t = f"{value:.{digits}f}"
        if ok(t):
            return t
    return repr(float(value))
