"""Autosave to a recovery file, and the offer to recover after a crash.

Every few minutes (``design/autosave_minutes`` in the settings, 3 by default) a
modified project is written to a recovery file in the user's data folder — never
over the project file, which changes only when the designer saves.  A save or a
clean close removes the recovery file.  When SmartGIS did not close cleanly, the
next time that project is opened (or, for a project never saved, the next start)
the window offers to recover the unsaved work: the recovered project keeps the
original file name and shows as modified, so *Save* writes it where it belongs.

A recovery file is a complete project file (GeoPackage) with a JSON note beside it
naming the project it belongs to and the process that wrote it.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QStandardPaths, QTimer
from PySide6.QtWidgets import QMessageBox

from smartgis.project.store import pid_alive

MINUTES_KEY = "design/autosave_minutes"
DEFAULT_MINUTES = 3.0


# == the recovery files (no widgets) ===================================================
def recovery_dir() -> Path:
    """Where recovery files live (``SMARTGIS_RECOVERY_DIR`` overrides it)."""
    env = os.environ.get("SMARTGIS_RECOVERY_DIR")
    if env:
        d = Path(env)
    else:
        base = QStandardPaths.writableLocation(QStandardPaths.AppLocalDataLocation) or str(Path.home() / ".smartgis")
        d = Path(base) / "recovery"
    d.mkdir(parents=True, exist_ok=True)
    return d


def _key(project) -> str:
    if project.path:
        return hashlib.sha1(str(Path(project.path).absolute()).encode("utf-8")).hexdigest()[:16]
    return f"untitled-{os.getpid()}-{id(project):x}"


@dataclass
class Recovery:
    """One recovery file and what it belongs to."""

    path: Path            # the recovery GeoPackage
    note: Path            # its JSON note
    project_path: str | None
    name: str
    pid: int
    saved: str
    elements: int

    @property
    def orphaned(self) -> bool:
        """Its writer is gone (a crash), so nobody is going to remove it."""
        return self.pid != os.getpid() and not pid_alive(self.pid)

    def newer_than_project(self) -> bool:
        if not self.project_path or not Path(self.project_path).exists():
            return True
        return self.path.stat().st_mtime > Path(self.project_path).stat().st_mtime

    def discard(self) -> None:
        for p in (self.path, self.note, self.path.with_name(self.path.name + ".bak")):
            try:
                p.unlink()
            except OSError:
                pass

    def open(self):
        """The recovered project: the original file name, shown as modified."""
        from smartgis.project import open_project
        project = open_project(self.path)
        project.path = Path(self.project_path) if self.project_path else None
        project._set_meta_dirty()
        return project


def write_recovery(project, folder: Path | None = None, progress=None) -> Recovery:
    """Write a recovery copy of ``project``; the project itself is left as it was.

    ``project`` may be a :func:`~smartgis.project.snapshot.frozen_copy` (the window
    writes one on a worker thread): the copy is filed under the project it was taken
    from.  ``progress`` follows :mod:`smartgis.core.progress` (False cancels).
    """
    from smartgis.project.store import save_project
    origin = getattr(project, "origin", None) or project
    folder = folder or recovery_dir()
    key = _key(origin)
    path = folder / f"{key}.gpkg"
    save_project(project, path, progress, copy=True)
    bak = path.with_name(path.name + ".bak")
    if bak.exists():
        bak.unlink()
    note = folder / f"{key}.json"
    info = {"project_path": str(Path(project.path).absolute()) if project.path else None, "name": project.name,
            "pid": os.getpid(), "saved": _dt.datetime.now().replace(microsecond=0).isoformat(),
            "elements": len(project.design)}
    tmp = note.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, note)
    return _recovery(note)


def _recovery(note: Path) -> Recovery | None:
    try:
        info = json.loads(note.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    path = note.with_suffix(".gpkg")
    if not path.exists():
        return None
    return Recovery(path, note, info.get("project_path"), info.get("name") or path.stem, int(info.get("pid") or 0),
                    info.get("saved") or "", int(info.get("elements") or 0))


def recoveries(folder: Path | None = None) -> list[Recovery]:
    """Every recovery file, newest first."""
    folder = folder or recovery_dir()
    found = [r for r in (_recovery(n) for n in folder.glob("*.json")) if r is not None]
    return sorted(found, key=lambda r: r.path.stat().st_mtime, reverse=True)


def recovery_for(project_path, folder: Path | None = None) -> Recovery | None:
    """The crash recovery of a project file, if one is waiting."""
    want = str(Path(project_path).absolute())
    for r in recoveries(folder):
        if r.project_path == want and r.orphaned and r.newer_than_project():
            return r
    return None


# == the window part ===================================================================
class AutoSave(QObject):
    """Writes recovery files on a timer and offers recovery when a project opens."""

    def __init__(self, window):
        super().__init__(window)
        self.setObjectName("autosave")
        self.window = window
        self.project = None
        self._written: Recovery | None = None
        self._signature = None
        self._declined: set[str] = set()
        self._task = None      # the recovery copy being written, if any
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.autosave)
        self.set_interval(self.interval_minutes())
        window.project_changed.connect(self._project_changed)
        # (the window closes its project on a clean close, which drops the copy; and
        # a quitting application counts as a clean close too)
        from PySide6.QtWidgets import QApplication
        QApplication.instance().aboutToQuit.connect(self.discard)
        self.recover_action = window.menu("file").addAction(self.tr("Recover unsaved work…"))
        self.recover_action.setObjectName("action_recover_unsaved")
        self.recover_action.setStatusTip(self.tr("Open the recovery copy of a project that was not saved "
                                                 "when SmartGIS stopped"))
        self.recover_action.triggered.connect(self.offer_orphans)
        QTimer.singleShot(0, self, self._announce_orphans)

    # -- settings ------------------------------------------------------------------------
    @staticmethod
    def interval_minutes() -> float:
        try:
            return float(QSettings().value(MINUTES_KEY, DEFAULT_MINUTES))
        except (TypeError, ValueError):
            return DEFAULT_MINUTES

    def set_interval(self, minutes: float) -> None:
        """Autosave every ``minutes`` (0 turns autosave off)."""
        if minutes and minutes > 0:
            self.timer.start(int(minutes * 60_000))
        else:
            self.timer.stop()

    # -- the project ---------------------------------------------------------------------
    def _project_changed(self, project) -> None:
        if self.project is not None and project is not self.project:
            self.discard()  # the previous project was saved or dropped on purpose
        if self.project is not None:
            try:
                self.project.modified_changed.disconnect(self._modified_changed)
            except Exception:  # noqa: BLE001 - already gone
                pass
        self.project = project
        self._signature = None
        if project is None:
            return
        project.modified_changed.connect(self._modified_changed)
        if project.path and not getattr(project, "read_only", False):
            if project.base_path and Path(project.base_path).parent == recovery_dir():
                return  # this is the recovered project itself
            r = recovery_for(project.path)
            if r is not None and str(r.path) not in self._declined:
                QTimer.singleShot(0, self, lambda r=r: self.offer(r))

    def _modified_changed(self, modified: bool) -> None:
        if not modified:
            self.discard()  # saved: nothing left to recover

    def _state(self):
        p = self.project
        versions = tuple(getattr(lyr, "version", 0) for lyr in p.layers.values())
        return (p.stack.index, len(p.stack), len(p.layers), versions, p.name)

    def autosave(self, wait: bool = False) -> Recovery | None:
        """Write the recovery file if the project changed since the last one.

        The copy is written on a worker thread from a frozen copy of the project
        (:func:`~smartgis.project.snapshot.frozen_copy`), so a large project never
        stalls editing; ``wait`` keeps the event loop running until it is written.
        Returns the recovery file when it is written by the time this returns.
        """
        from smartgis.project.snapshot import frozen_copy
        p = self.project
        if p is None or getattr(p, "read_only", False) or not p.is_modified:
            return None
        state = self._state()
        if state == self._signature and self._written is not None and self._written.path.exists():
            return self._written
        task = self._task
        if task is None:  # one copy at a time
            task = self._task = self.window.run_task(
                self.tr("Autosave"), write_recovery, frozen_copy(p), show_progress=False,
                on_done=lambda r, p=p, state=state: self._written_copy(p, state, r),
                on_error=self._failed)
            task.quiet = True   # never "work in progress" when the window closes
            task.finished.connect(self._task_over)
        if wait:
            task.wait()
        return self._written if self._signature is not None else None

    def _task_over(self, task) -> None:
        if task is self._task:
            self._task = None

    def _written_copy(self, project, state, r: Recovery) -> None:
        if project is not self.project or not project.is_modified:
            # saved, closed or replaced while the copy was written: nothing to recover
            if r is not None and (self._written is None or r.path != self._written.path):
                r.discard()
            return
        self._written, self._signature = r, state
        self.window.statusBar().showMessage(
            self.tr("Autosaved a recovery copy at {time}").format(time=_dt.datetime.now().strftime("%H:%M")), 4000)

    def _failed(self, exc) -> None:
        # autosave must never disturb editing: a status bar message, and another try next time
        self.window.statusBar().showMessage(self.tr("Autosave failed: {error}").format(error=exc), 8000)

    def discard(self) -> None:
        if self._written is not None:
            self._written.discard()
        self._written = None
        self._signature = None

    # -- recovering ----------------------------------------------------------------------
    def offer(self, r: Recovery) -> bool:
        """Ask whether to recover ``r``; returns True when the recovered project is open."""
        box = QMessageBox(self.window)
        box.setObjectName("recovery_offer")
        box.setIcon(QMessageBox.Question)
        box.setWindowTitle(self.tr("Recover unsaved work"))
        what = r.project_path or self.tr("an unsaved project ({name})").format(name=r.name)
        box.setText(self.tr("SmartGIS did not close normally. A recovery copy of {what} from {time} "
                            "({n} design elements) holds changes that were not saved.").format(
            what=what, time=r.saved.replace("T", " "), n=r.elements))
        box.setInformativeText(self.tr("Recover opens the copy; save it to keep it. Discard deletes the copy."))
        recover = box.addButton(self.tr("Recover"), QMessageBox.AcceptRole)
        recover.setObjectName("recover")
        discard = box.addButton(self.tr("Discard"), QMessageBox.DestructiveRole)
        discard.setObjectName("discard")
        later = box.addButton(self.tr("Not now"), QMessageBox.RejectRole)
        later.setObjectName("later")
        box.setDefaultButton(recover)
        box.exec()
        clicked = box.clickedButton()
        if clicked is discard:
            r.discard()
            return False
        if clicked is not recover:
            self._declined.add(str(r.path))
            return False
        try:
            project = r.open()
        except Exception as exc:  # noqa: BLE001 - a damaged copy is reported, not fatal
            self.window.show_error(exc, self.tr("Recover unsaved work"))
            return False
        self.window.set_project(project)
        self._written = r  # a later save or close removes it
        return True

    def orphans(self) -> list[Recovery]:
        """Recovery copies left by a SmartGIS that stopped without saving, newest first."""
        return [r for r in recoveries() if r.orphaned and str(r.path) not in self._declined]

    def _announce_orphans(self) -> None:
        # a message, not a dialog: the window must open without anyone answering;
        # the copy of a named project is offered when that project is opened
        found = self.orphans()
        self.recover_action.setEnabled(bool(found))
        if found:
            self.window.statusBar().showMessage(
                self.tr("Unsaved work from an earlier session can be recovered: Project ▸ Recover unsaved work…"),
                20000)

    def offer_orphans(self) -> bool:
        """Offer the newest orphaned recovery copy (File ▸ Recover unsaved work)."""
        found = self.orphans()
        if not found:
            self.window.statusBar().showMessage(self.tr("There is no unsaved work to recover."), 5000)
            self.recover_action.setEnabled(False)
            return False
        done = self.offer(found[0])
        self.recover_action.setEnabled(bool(self.orphans()))
        return done


def install(window) -> AutoSave:
    window.autosave = AutoSave(window)
    return window.autosave
