"""Review records: comments pinned on the map and sign-offs, and the tables holding them.

Both live in their own SmartGIS tables of the project file (declared here with
:func:`smartgis.project.schema.register_table`), so a review session can write them
without touching a design or data table.  A project opened where this module was
never imported still carries their rows (the store reads every ``smartgis_*`` table).
"""

from __future__ import annotations

import math
import uuid
from dataclasses import asdict, dataclass, fields

from smartgis.core.times import now_utc
from smartgis.project import schema

COMMENTS_TABLE = "smartgis_review_comments"
SIGNOFFS_TABLE = "smartgis_review_signoffs"

STATUSES = ("open", "resolved")
DECISIONS = ("approve", "revise", "reject")
DECISION_LABELS = {"approve": {"zh": "通过", "en": "Approve"},
                   "revise": {"zh": "修改后再审", "en": "Revise and resubmit"},
                   "reject": {"zh": "不通过", "en": "Reject"}}

COMMENT_COLUMNS = [
    ("comment_id", "TEXT NOT NULL UNIQUE"), ("number", "INTEGER"), ("author", "TEXT"), ("created", "DATETIME"),
    ("updated", "DATETIME"), ("text", "TEXT"), ("status", "TEXT"), ("x", "REAL"), ("y", "REAL"),
    ("element_uid", "TEXT"), ("element_type", "TEXT"), ("resolved_by", "TEXT"), ("resolved_at", "DATETIME"),
    ("resolution", "TEXT"),
]
SIGNOFF_COLUMNS = [
    ("signoff_id", "TEXT NOT NULL UNIQUE"), ("reviewer", "TEXT"), ("decision", "TEXT"), ("date", "DATE"),
    ("created", "DATETIME"), ("note", "TEXT"), ("open_comments", "INTEGER"), ("design_digest", "TEXT"),
    ("element_counts", "TEXT"),
]

schema.register_table(COMMENTS_TABLE, COMMENT_COLUMNS,
                      "SmartGIS review comments: pinned to a map location or a design element")
schema.register_table(SIGNOFFS_TABLE, SIGNOFF_COLUMNS,
                      "SmartGIS review sign-offs: reviewer, decision, date and note")


def now() -> str:
    """UTC with its offset, to the second (``2024-05-20T01:00:00+00:00``); shown in the
    reader's time zone (:func:`smartgis.core.times.show`)."""
    return now_utc()


def new_record_id() -> str:
    return uuid.uuid4().hex


def _float(v):
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


@dataclass
class Comment:
    """A reviewer's comment.

    Attributes
    ----------
    comment_id : str
        Stable id (hex); the same in every copy of the file.
    number : int
        Short number shown to people (``#3``), unique in the project.
    author, created, updated, text : str
    status : {"open", "resolved"}
    x, y : float
        Where the pin is, in the project CRS (for an element: a point on it).
    element_uid, element_type : str or None
        The design element the comment is about, if any.
    resolved_by, resolved_at, resolution : str or None
        Who resolved it, when, and how (the designer's answer).
    """

    comment_id: str
    number: int
    author: str
    created: str
    text: str
    status: str = "open"
    x: float | None = None
    y: float | None = None
    element_uid: str | None = None
    element_type: str | None = None
    resolved_by: str | None = None
    resolved_at: str | None = None
    resolution: str | None = None
    updated: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status != "resolved"

    @property
    def label(self) -> str:
        return f"#{self.number}"

    def to_row(self) -> dict:
        return {c: getattr(self, c) for c, _ in COMMENT_COLUMNS}

    def to_dict(self) -> dict:
        d = asdict(self)
        d["id"] = self.number
        return d

    @classmethod
    def from_row(cls, row: dict) -> "Comment":
        names = {f.name for f in fields(cls)}
        d = {k: row.get(k) for k in names}
        d["number"] = int(d["number"] or 0)
        d["x"], d["y"] = _float(d["x"]), _float(d["y"])
        d["status"] = d["status"] if d["status"] in STATUSES else "open"
        for k in ("author", "created", "text"):
            d[k] = "" if d[k] is None else str(d[k])
        return cls(**d)


@dataclass
class SignOff:
    """A reviewer's decision on the design.

    Attributes
    ----------
    decision : {"approve", "revise", "reject"}
    date : str
        ISO date of the decision.
    open_comments : int
        Comments still open when it was signed.
    design_digest : str
        SHA-256 of the design tables the decision was made on (see :mod:`smartgis.review.digest`).
    element_counts : str
        JSON of the element counts at that time (for the record).
    """

    signoff_id: str
    reviewer: str
    decision: str
    date: str
    created: str
    note: str = ""
    open_comments: int = 0
    design_digest: str | None = None
    element_counts: str | None = None

    def decision_label(self, lang: str = "zh") -> str:
        return DECISION_LABELS.get(self.decision, {}).get(lang, self.decision)

    def to_row(self) -> dict:
        return {c: getattr(self, c) for c, _ in SIGNOFF_COLUMNS}

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_row(cls, row: dict) -> "SignOff":
        names = {f.name for f in fields(cls)}
        d = {k: row.get(k) for k in names}
        d["open_comments"] = int(d["open_comments"] or 0)
        for k in ("reviewer", "decision", "date", "created", "note"):
            d[k] = "" if d[k] is None else str(d[k])
        return cls(**d)
