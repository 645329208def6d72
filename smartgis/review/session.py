"""A review of a project: its comments and sign-offs, and how they are saved.

Review sessions open the project read-only; :meth:`Review.save` then writes the two
review tables and nothing else, through the atomic save of
:func:`smartgis.project.store.save_project` with a ``writer`` — every design and data
table keeps each byte.  Rows already in the file that this session did not change are
kept as they are, so comments added meanwhile by another session (the command line, a
colleague on the same file) are merged rather than lost.

Examples
--------
>>> review = Review.open("design.gpkg")                       # doctest: +SKIP
>>> c = review.add_comment("摄像机覆盖不足", author="王建华", at=(544100.0, 3370200.0))  # doctest: +SKIP
>>> review.sign_off("王建华", "revise", note="补充商业街视频监控")  # doctest: +SKIP
>>> review.save()                                              # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import math
import os
import re
import threading
from pathlib import Path

import shapely

from smartgis.core.events import Signal
from smartgis.errors import DamagedProjectError, LayerError, ProjectFileError, UsageError
from smartgis.i18n import _
from smartgis.project import gpkg
from smartgis.project import schema as _schema
from smartgis.project.names import quote_ident as q
from smartgis.review.digest import design_digest
from smartgis.review.records import (
    COMMENT_COLUMNS,
    COMMENTS_TABLE,
    DECISIONS,
    SIGNOFF_COLUMNS,
    SIGNOFFS_TABLE,
    Comment,
    SignOff,
    new_record_id,
    now,
)

#: The attribute a project keeps its review under.  The review lives on the project
#: (a reference cycle the garbage collector frees with the project), not in a table
#: keyed by project: a review refers to its project, so such a table would keep every
#: project ever reviewed alive.
_ATTR = "_smartgis_review"


def _review_if_any(project) -> "Review | None":
    # a frozen copy (the autosave's) is a shallow copy: it carries its origin's review
    return getattr(project, _ATTR, None)


def review_of(project) -> "Review":
    """The one :class:`Review` of a project (the panel, the pin tool and scripts share it)."""
    r = _review_if_any(project)
    if r is None:
        r = Review(project)
        setattr(project, _ATTR, r)
    return r


class Review:
    """Comments and sign-offs of one project.

    Parameters
    ----------
    project : Project
        Usually opened read-only (review mode); a designer's session works the same.

    Signals
    -------
    changed(what)
        ``"comments"`` or ``"signoffs"`` after an edit, ``"saved"`` after :meth:`save`.
    """

    def __init__(self, project):
        self.project = project
        self._comments: dict[str, Comment] = {}
        self._signoffs: dict[str, SignOff] = {}
        #: record id -> edits not yet saved (a counter, so that a save running on a worker
        #: thread can tell which records were edited again meanwhile)
        self._dirty: dict[str, int] = {}
        # edits come from the GUI thread while a save may run on a worker thread
        self._lock = threading.RLock()
        self.changed = Signal()
        self._load()

    @classmethod
    def open(cls, path, progress=None) -> "Review":
        """Open a project file read-only for review."""
        from smartgis.project import open_project
        return review_of(open_project(path, read_only=True, progress=progress))

    # -- loading -----------------------------------------------------------------------
    def _load(self) -> None:
        extra = self.project.extra_tables
        crow, srow = extra.get(COMMENTS_TABLE), extra.get(SIGNOFFS_TABLE)
        if crow is None or srow is None:
            # the project was opened before this module registered its tables
            crow, srow = self._rows_from_file()
        try:
            self._comments = {c.comment_id: c for c in map(Comment.from_row, crow)}
            self._signoffs = {s.signoff_id: s for s in map(SignOff.from_row, srow)}
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            # a hand-edited or hostile row: the file's fault, told in one line
            raise DamagedProjectError(_("the review tables hold an unreadable row ({error})",
                                        error=f"{type(exc).__name__}: {exc}"), self.project.path) from None
        self._sync()

    def _rows_from_file(self) -> tuple[list[dict], list[dict]]:
        base = self.project.base_path or self.project.path
        if not base or not Path(base).exists():
            return [], []
        conn = gpkg.connect(base, readonly=True)
        try:
            return gpkg.read_rows(conn, COMMENTS_TABLE), gpkg.read_rows(conn, SIGNOFFS_TABLE)
        finally:
            conn.close()

    def _sync(self) -> None:
        """Mirror the records into ``project.extra_tables`` (what a full project save writes)."""
        self.project.extra_tables[COMMENTS_TABLE] = [c.to_row() for c in self.comments()]
        self.project.extra_tables[SIGNOFFS_TABLE] = [s.to_row() for s in self.signoffs()]

    # -- reading -----------------------------------------------------------------------
    def comments(self, status: str | None = None, element_uid: str | None = None) -> list[Comment]:
        """Comments by number; ``status`` ``open``/``resolved`` filters."""
        with self._lock:
            out = sorted(self._comments.values(), key=lambda c: (c.number, c.created))
        if status in ("open", "resolved"):
            out = [c for c in out if c.status == status]
        if element_uid:
            out = [c for c in out if c.element_uid == element_uid]
        return out

    def signoffs(self) -> list[SignOff]:
        """Sign-offs, oldest first."""
        with self._lock:
            return sorted(self._signoffs.values(), key=lambda s: (s.created, s.signoff_id))

    def latest_signoff(self) -> SignOff | None:
        s = self.signoffs()
        return s[-1] if s else None

    def comment(self, ref) -> Comment:
        """A comment by number (``3``, ``"#3"``) or id (or a unique prefix of 6+ characters)."""
        key = str(ref).strip()
        m = re.fullmatch(r"#?(\d{1,9})", key)
        with self._lock:
            items = list(self._comments.items())
        if m:
            n = int(m.group(1))
            for _cid, c in items:
                if c.number == n:
                    return c
        elif len(key) >= 6:
            hits = [c for cid, c in items if cid.startswith(key.lower())]
            if len(hits) == 1:
                return hits[0]
        have = ", ".join(c.label for c in self.comments()) or _("none yet")
        raise UsageError(_("no review comment {comment!r} (comments: {comments})", comment=key, comments=have),
                         self.project.path)

    @property
    def is_modified(self) -> bool:
        """True when comments or sign-offs changed since the last :meth:`save`."""
        return bool(self._dirty)

    def summary(self) -> dict:
        cs = self.comments()
        last = self.latest_signoff()
        return {"comments": len(cs), "open": sum(c.is_open for c in cs), "resolved": sum(not c.is_open for c in cs),
                "signoffs": len(self._signoffs), "decision": last.decision if last else None,
                "design_changed_since_signoff": self.design_changed_since(last) if last else None}

    def design_changed_since(self, signoff: SignOff) -> bool | None:
        """Whether the design in the file differs from the one ``signoff`` was made on."""
        path = self.project.path
        if not signoff.design_digest or not path or not Path(path).exists():
            return None
        return design_digest(path) != signoff.design_digest

    def to_dict(self) -> dict:
        """Everything, JSON-ready (the object ``smartgis review --list --json`` prints)."""
        p = self.project
        return {"project": p.name, "path": str(p.path) if p.path else None, "crs": p.crs,
                "comments": [c.to_dict() for c in self.comments()],
                "signoffs": [s.to_dict() for s in self.signoffs()], "summary": self.summary()}

    # -- editing -----------------------------------------------------------------------
    def _next_number(self) -> int:
        return max((c.number for c in self._comments.values()), default=0) + 1

    def _where(self, at) -> tuple[float, float]:
        try:
            x, y = (float(v) for v in at)
        except (TypeError, ValueError):
            raise UsageError(_("a comment location is two numbers x, y; got {at!r}", at=at)) from None
        if not (math.isfinite(x) and math.isfinite(y)):
            raise UsageError(_("a comment location must be finite; got {at!r}", at=at))
        ext = self.project.extent
        if ext:
            w, h = ext[2] - ext[0], ext[3] - ext[1]
            pad = max(w, h, 1000.0)
            if not (ext[0] - pad <= x <= ext[2] + pad and ext[1] - pad <= y <= ext[3] + pad):
                raise UsageError(_(
                    "({x}, {y}) is far outside the project area ({x0}, {y0}) – ({x1}, {y1}); give easting,northing "
                    "in {crs}", x=f"{x:.1f}", y=f"{y:.1f}", x0=f"{ext[0]:.0f}", y0=f"{ext[1]:.0f}",
                    x1=f"{ext[2]:.0f}", y1=f"{ext[3]:.0f}", crs=self.project.crs), self.project.path)
        return x, y

    def add_comment(self, text: str, author: str, at=None, element: str | None = None) -> Comment:
        """Pin a new comment on a map location (``at=(x, y)`` in the project CRS) or on a
        design element (``element=uid``)."""
        text = (text or "").strip()
        author = (author or "").strip()
        if not text:
            raise UsageError(_("a comment needs text"))
        if not author:
            raise UsageError(_("a comment needs an author (the reviewer's name)"))
        if (at is None) == (element is None):
            raise UsageError(_("pin a comment either on a location (x, y) or on an element (its uid)"))
        etype = None
        if element is not None:
            try:
                lyr, i = self.project.design.find(str(element))
            except LayerError as exc:
                raise LayerError(exc.message, self.project.path) from None
            p = shapely.point_on_surface(lyr.geometries[i])
            x, y = float(p.x), float(p.y)
            etype = lyr.type_id
            element = str(element)
        else:
            x, y = self._where(at)
        t = now()
        with self._lock:
            c = Comment(comment_id=new_record_id(), number=self._next_number(), author=author, created=t, updated=t,
                        text=text, status="open", x=x, y=y, element_uid=element, element_type=etype)
            self._comments[c.comment_id] = c
        self._touch(c.comment_id, "comments")
        return c

    def resolve(self, ref, by: str | None = None, note: str = "") -> Comment:
        """Mark a comment resolved (the designer's answer goes in ``note``)."""
        c = self.comment(ref)
        t = now()
        c.status, c.resolved_by, c.resolved_at = "resolved", (by or "").strip() or None, t
        c.resolution = (note or "").strip() or c.resolution
        c.updated = t
        self._touch(c.comment_id, "comments")
        return c

    def reopen(self, ref, by: str | None = None, note: str = "") -> Comment:
        """Open a resolved comment again (the answer did not satisfy the reviewer)."""
        c = self.comment(ref)
        c.status, c.resolved_at = "open", None
        if note:
            c.resolution = f"{c.resolution}\n{by or ''}: {note}".strip() if c.resolution else note
        c.updated = now()
        self._touch(c.comment_id, "comments")
        return c

    def sign_off(self, reviewer: str, decision: str, note: str = "", date: str | None = None) -> SignOff:
        """Record the reviewer's decision (``approve``, ``revise`` or ``reject``) on the design
        as it is in the file now."""
        reviewer = (reviewer or "").strip()
        if not reviewer:
            raise UsageError(_("a sign-off needs the reviewer's name"))
        if decision not in DECISIONS:
            raise UsageError(_("decision {decision!r} is not one of {choices}", decision=decision,
                               choices=", ".join(DECISIONS)))
        if date:
            try:
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(date)):
                    raise ValueError(date)
                date = _dt.date.fromisoformat(str(date)).isoformat()
            except ValueError:
                raise UsageError(_("date {date!r} is not YYYY-MM-DD", date=date)) from None
        else:
            date = _dt.date.today().isoformat()
        path = self.project.path
        digest = design_digest(path) if path and Path(path).exists() else None
        s = SignOff(signoff_id=new_record_id(), reviewer=reviewer, decision=decision, date=date, created=now(),
                    note=(note or "").strip(), open_comments=sum(c.is_open for c in self.comments()),
                    design_digest=digest,
                    element_counts=json.dumps(self.project.design.counts(), ensure_ascii=False))
        with self._lock:
            self._signoffs[s.signoff_id] = s
        self._touch(s.signoff_id, "signoffs")
        return s

    def _touch(self, record_id: str, what: str) -> None:
        with self._lock:
            self._dirty[record_id] = self._dirty.get(record_id, 0) + 1
            self._sync()
        self.changed.emit(what)

    # -- saving ------------------------------------------------------------------------
    def save(self, progress=None) -> Path:
        """Write the review tables, and only them, into the project file (atomically).

        Safe to call from a worker thread while the GUI thread keeps adding comments:
        what was edited during the save stays unsaved (and is written by the next save).

        Returns
        -------
        Path
            The project file.
        """
        from smartgis.project.store import save_project
        if getattr(self.project, "team", None) is not None:
            return self._save_to_server(progress)
        path = self.project.path
        if not path:
            raise UsageError(_("save the project to a file before reviewing it"))
        if not Path(path).exists():
            raise ProjectFileError(_("the project file is gone; cannot save review comments"), path)
        if not os.access(path, os.W_OK):
            raise ProjectFileError(_("is not writable; review comments cannot be saved"), path)
        if self.project.file_format_version is None and self.project.base_path is not None:
            # review tables alone would make a plain GeoPackage look like an empty project
            raise UsageError(_("is a plain GeoPackage, not a SmartGIS project; save it as a project first "
                               "(smartgis import, or Save As in the window) and review that"), path)
        with self._lock:
            comments = {k: dataclasses.replace(v) for k, v in self._comments.items()}
            signoffs = {k: dataclasses.replace(v) for k, v in self._signoffs.items()}
            dirty = dict(self._dirty)
        merged: dict = {}

        def writer(conn):
            merged.update(_write(conn, comments, signoffs, set(dirty)))

        save_project(self.project, path, progress=progress, writer=writer,
                     writer_tables={COMMENTS_TABLE, SIGNOFFS_TABLE})
        with self._lock:
            for store, saved in ((self._comments, merged["comments"]), (self._signoffs, merged["signoffs"])):
                for rid, rec in saved.items():
                    if self._dirty.get(rid, 0) == dirty.get(rid, 0):   # not edited again meanwhile
                        store[rid] = rec
                        self._dirty.pop(rid, None)
            self._sync()
        self.changed.emit("saved")
        return Path(path)

    def _save_to_server(self, progress=None):
        """Save to a team project's server: its store writes the review tables only
        when the project is open for review (all a reviewer role may write)."""
        with self._lock:
            self._sync()
            dirty = dict(self._dirty)
        written = self.project.store(self.project, progress=progress)
        with self._lock:
            for rid, n in dirty.items():
                if self._dirty.get(rid, 0) == n:    # not edited again meanwhile
                    self._dirty.pop(rid, None)
        self.changed.emit("saved")
        return written


def _write(conn, comments: dict, signoffs: dict, dirty: set) -> dict:
    """Merge a session's records with the rows in the file and write what differs
    (inside the save's transaction)."""
    disk_c = {r["comment_id"]: Comment.from_row(r) for r in gpkg.read_rows(conn, COMMENTS_TABLE)}
    disk_s = {r["signoff_id"]: SignOff.from_row(r) for r in gpkg.read_rows(conn, SIGNOFFS_TABLE)}
    out_c = dict(disk_c)
    for cid, c in comments.items():
        d = disk_c.get(cid)
        if d is None:
            out_c[cid] = c
        elif cid in dirty and (c.updated or "") >= (d.updated or ""):
            out_c[cid] = c
    # comments new here whose number another session took meanwhile get the next free one
    taken = {c.number for c in disk_c.values()}
    top = max(taken, default=0)
    for c in sorted((c for cid, c in out_c.items() if cid not in disk_c), key=lambda c: (c.number, c.created)):
        if c.number in taken:
            top += 1
            c.number = top
        taken.add(c.number)
        top = max(top, c.number)
    out_s = dict(disk_s)
    out_s.update({k: v for k, v in signoffs.items() if k not in disk_s})
    _upsert(conn, COMMENTS_TABLE, "comment_id", [c.to_row() for c in out_c.values()],
            {k: v.to_row() for k, v in disk_c.items()})
    _upsert(conn, SIGNOFFS_TABLE, "signoff_id", [s.to_row() for s in out_s.values()],
            {k: v.to_row() for k, v in disk_s.items()})
    return {"comments": out_c, "signoffs": out_s}


def _upsert(conn, table: str, key: str, rows: list[dict], on_disk: dict[str, dict]) -> None:
    """Insert new rows and update changed ones; rows that did not change are not touched."""
    cols = [c for c, _ in (COMMENT_COLUMNS if table == COMMENTS_TABLE else SIGNOFF_COLUMNS)]
    ins = (f"INSERT INTO {q(table)} ({', '.join(q(c) for c in cols)}) "
           f"VALUES ({', '.join('?' for _ in cols)})")
    upd = f"UPDATE {q(table)} SET {', '.join(f'{q(c)}=?' for c in cols if c != key)} WHERE {q(key)}=?"
    for r in rows:
        old = on_disk.get(r[key])
        if old is None:
            conn.execute(ins, [r[c] for c in cols])
        elif old != r:
            conn.execute(upd, [r[c] for c in cols if c != key] + [r[key]])


def _save_with_project(conn, project, rows) -> None:
    """A designer's full save: merge this project's review records with the file's rows
    instead of replacing them, so comments added meanwhile by a reviewer survive."""
    review = _review_if_any(project)
    if review is None:
        return          # never read or edited in this session: the file's rows stay as they are
    with review._lock:
        comments = {k: dataclasses.replace(v) for k, v in review._comments.items()}
        signoffs = {k: dataclasses.replace(v) for k, v in review._signoffs.items()}
        dirty = set(review._dirty)
    _write(conn, comments, signoffs, dirty)


def _saved_with_comments(conn, project, rows) -> None:
    """Sign-offs are merged together with the comments (see :func:`_save_with_project`)."""


for _name, _saver in ((COMMENTS_TABLE, _save_with_project), (SIGNOFFS_TABLE, _saved_with_comments)):
    _cols, _desc = _schema.EXTRA_TABLES[_name]
    _schema.register_table(_name, _cols, _desc, saver=_saver)
