"""One writer at a time: the save lock, and knowing that the file changed since it was opened.

* :func:`save_lock` holds an exclusive lock on the project file across a save's
  read-modify-write.  The lock is ``flock`` on the file itself (Windows: a locked byte
  of a ``.lock`` file beside it); since a save replaces the file by a rename, a writer
  that waited re-checks that it locked the file now at the path, and locks again if not.
  SQLite's own locks are separate (they are POSIX record locks): GDAL and QGIS reading
  the file are not held up.
* :func:`stamp` is what "the file changed" means: device, inode, size and
  modification time.  A project remembers the stamp of the file it was opened from.
* :class:`Pin` keeps the opened file's content reachable after another writer replaced
  it (an open descriptor keeps the replaced inode alive): the three-way merge of
  :mod:`smartgis.project.merge` compares the original with the two new versions.
"""

from __future__ import annotations

import errno
import os
import time
import weakref
from contextlib import contextmanager
from pathlib import Path

from smartgis.errors import ProjectFileError
from smartgis.i18n import _

#: Seconds a save waits for another writer's save to finish (``SMARTGIS_LOCK_SECONDS``).
LOCK_SECONDS = 60.0


def stamp(path) -> tuple | None:
    """(device, inode, size, mtime in ns) of ``path``, or None when it does not exist."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


#: flock errors of file systems that have no locks.
_NO_LOCKS = {getattr(errno, n) for n in ("ENOLCK", "EOPNOTSUPP", "ENOTSUP", "EINVAL") if hasattr(errno, n)}


def _lock_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get("SMARTGIS_LOCK_SECONDS", LOCK_SECONDS)))
    except ValueError:
        return LOCK_SECONDS


@contextmanager
def save_lock(target: Path):
    """Hold the exclusive save lock of ``target`` (a project file, existing or not).

    Raises
    ------
    ProjectFileError
        When another save holds the lock for longer than ``SMARTGIS_LOCK_SECONDS``.
    """
    try:
        import fcntl
    except ImportError:  # Windows
        with _lock_windows(target):
            yield
        return
    deadline = time.monotonic() + _lock_seconds()
    while True:
        # An existing file is locked itself; a new one through its folder.
        what = target if target.exists() else target.parent
        try:
            fd = os.open(str(what), os.O_RDONLY)
        except FileNotFoundError:
            continue  # replaced between exists() and open(): look again
        except OSError as exc:
            raise ProjectFileError(_("cannot be locked for saving ({error})", error=exc.strerror or str(exc)),
                                   target) from None
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno in _NO_LOCKS:
                        # a file system without locks (some network shares): save as before,
                        # relying on the change check alone
                        yield
                        return
                    if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                        raise ProjectFileError(_("cannot be locked for saving ({error})",
                                                 error=exc.strerror or str(exc)), target) from None
                    if time.monotonic() > deadline:
                        raise ProjectFileError(_("another program is saving this project; try again when it "
                                                 "has finished"), target) from None
                    time.sleep(0.02)
            # Did we lock what is at the path now?  (Another writer may have renamed a
            # new file over it, or created it, while we waited.)
            now = target if target.exists() else target.parent
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(now))
            except OSError:
                same = False
            if same:
                try:
                    yield
                finally:
                    fcntl.flock(fd, fcntl.LOCK_UN)
                return
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


@contextmanager
def _lock_windows(target: Path):  # pragma: no cover - Windows only
    import msvcrt
    lock = target.with_name(f".{target.name}.lock")
    deadline = time.monotonic() + _lock_seconds()
    fd = os.open(str(lock), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise ProjectFileError(_("another program is saving this project; try again when it "
                                             "has finished"), target) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    finally:
        os.close(fd)


class Pin:
    """An open descriptor on the file a project was read from.

    ``path`` names that very content even after the file was replaced (Linux:
    ``/proc/self/fd/N``); ``None`` where the system has no such path.
    """

    def __init__(self, path):
        #: The file pinned (links resolved): a project whose path was changed since
        #: (a recovered copy filed under its project) has no "as opened" of that path.
        self.source = os.path.realpath(path)
        if os.name == "nt":
            # An open file cannot be replaced on Windows: remember the stamp only (a
            # changed file is then refused, not merged).
            self.fd = None
            self.stamp = stamp(path)
            self._finalizer = weakref.finalize(self, lambda: None)
            return
        self.fd = os.open(str(path), os.O_RDONLY)
        self.stamp = stamp_fd(self.fd)
        self._finalizer = weakref.finalize(self, os.close, self.fd)

    def still_at(self, path) -> bool:
        """Whether ``path`` still names the pinned file (not replaced by another save)."""
        if self.fd is None:
            return stamp(path) == self.stamp
        try:
            return os.path.samestat(os.fstat(self.fd), os.stat(path))
        except OSError:
            return False

    @property
    def path(self) -> str | None:
        if self.fd is None:
            return None
        for base in ("/proc/self/fd", "/dev/fd"):
            p = f"{base}/{self.fd}"
            if os.path.exists(p):
                return p
        return None

    def close(self) -> None:
        self._finalizer()


def stamp_fd(fd: int) -> tuple:
    st = os.fstat(fd)
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def pin(project, path) -> None:
    """Remember the file ``project`` now matches (after an open or a save)."""
    old = getattr(project, "_pin", None)
    try:
        project._pin = Pin(path)
    except OSError:
        project._pin = None
    if old is not None:
        old.close()


def changed_on_disk(project) -> bool:
    """Whether the project's file was replaced or changed since it was opened or saved here."""
    p = getattr(project, "_pin", None)
    if p is None or not project.path or os.path.realpath(project.path) != p.source:
        return False
    return stamp(project.path) != p.stamp


__all__ = ["save_lock", "stamp", "Pin", "pin", "changed_on_disk", "LOCK_SECONDS"]
