"""One SmartGIS temporary folder, cleaned on exit and swept on start.

Imports stage their tables, packaging writes tiles, migrations upgrade a copy, a merge
reads the file as it was opened — all in temporary folders.  They all live under

    <system temp>/smartgis-<user id>/<process id>-<random>/

so that one place holds them: this process's folder is removed when it exits, and
:func:`sweep` (run when SmartGIS starts) removes the folders of processes that are
gone (killed, crashed) or that are older than a day.  Folders of the names older
versions used directly in the system temp folder (``smartgis-import-*`` ...) are swept
when older than a day.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

#: Age after which any SmartGIS temporary folder is removed by :func:`sweep`.
MAX_AGE_SECONDS = 24 * 3600
_LEGACY_PREFIXES = ("smartgis-migrate-", "smartgis-import-", "smartgis-src-", "smartgis-tiles-")

_lock = threading.Lock()
_session: Path | None = None


def root() -> Path:
    """``<system temp>/smartgis-<uid>`` (created private to the user)."""
    uid = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    path = Path(tempfile.gettempdir()) / f"smartgis-{uid}"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def session_dir() -> Path:
    """This process's folder (created on first use, removed at exit)."""
    global _session
    with _lock:
        if _session is None or not _session.is_dir() or _session_pid != os.getpid():
            _new_session()
        return _session


_session_pid = -1


def _new_session() -> None:
    global _session, _session_pid
    _session = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=root()))
    _session_pid = os.getpid()
    atexit.register(shutil.rmtree, str(_session), True)


def mkdtemp(prefix: str) -> str:
    """A new folder inside this process's SmartGIS temporary folder."""
    return tempfile.mkdtemp(prefix=prefix, dir=session_dir())


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def sweep(now: float | None = None) -> list[str]:
    """Remove the temporary folders of SmartGIS processes that are gone, and any older
    than a day.  Returns the folders removed."""
    now = time.time() if now is None else now
    removed = []
    try:
        base = root()
        entries = list(base.iterdir())
    except OSError:
        return removed
    for p in entries:
        try:
            pid = int(p.name.split("-", 1)[0])
        except ValueError:
            pid = None
        try:
            old = now - p.stat().st_mtime > MAX_AGE_SECONDS
        except OSError:
            continue
        if p == _session or (pid == os.getpid() and not old):
            continue
        if old or pid is None or not _pid_alive(pid):
            shutil.rmtree(p, ignore_errors=True)
            removed.append(str(p))
    try:
        legacy = [p for p in Path(tempfile.gettempdir()).iterdir() if p.name.startswith(_LEGACY_PREFIXES)]
    except OSError:
        legacy = []
    for p in legacy:
        try:
            st = p.stat()
            mine = not hasattr(os, "getuid") or st.st_uid == os.getuid()
            if mine and now - st.st_mtime > MAX_AGE_SECONDS:
                shutil.rmtree(p, ignore_errors=True)
                removed.append(str(p))
        except OSError:
            continue
    return removed


__all__ = ["root", "session_dir", "mkdtemp", "sweep", "MAX_AGE_SECONDS"]
