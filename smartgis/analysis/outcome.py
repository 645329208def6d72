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
    """

    value: float | None = None
    threshold: float | None = None
    gaps: object = None
    details: list = field(default_factory=list)
    data: dict = field(default_factory=dict)
