"""Saves that honour the file system they write to.

A save writes a new file and renames it over the old one (see
:mod:`smartgis.project.store`).  Done naively that replaces a ``chmod 600`` project by a
world-readable one, another user's read-only file by ours, and a symbolic link by a
regular file.  Here:

* :func:`real_target` — a link is saved through: the file it points to is replaced,
  the link stays a link;
* :func:`check_replaceable` — a file the user cannot write (or that nobody may
  write: mode without any ``w`` bit) is not replaced;
* :func:`keep_attributes` — the new file gets the old one's mode, owner and group
  where the system allows, and its POSIX ACL;
* :func:`backup` — ``NAME.gpkg.bak`` is the previous version as a file of its own (never
  a symbolic link to the live file);
* :func:`os_error` / :func:`sqlite_error` — a full disk, a file-size limit, a name too
  long or a permission problem becomes one line naming the file.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import stat
from pathlib import Path

from smartgis.errors import ProjectFileError
from smartgis.i18n import _

_ACL_XATTRS = ("system.posix_acl_access", "system.posix_acl_default")


def real_target(path: Path) -> Path:
    """The file a save replaces: ``path``, or the file a symbolic link points to."""
    path = Path(path)
    if path.is_symlink():
        return Path(os.path.realpath(path))
    return Path(os.path.realpath(path.parent)) / path.name if path.parent.exists() else path


def check_replaceable(target: Path, given: Path) -> None:
    """Refuse to replace a file the user may not write."""
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(st.st_mode):
        raise ProjectFileError(_("is not a regular file; a project is saved only over a project file"), given)
    if not os.access(target, os.W_OK) or not st.st_mode & 0o222:
        raise ProjectFileError(_("is read-only (permission denied); it was not replaced. Save under another "
                                 "name, or make it writable first"), given)


def keep_attributes(target: Path, new: Path) -> None:
    """Give ``new`` the mode, owner, group and ACL of ``target`` (when it exists)."""
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return
    os.chmod(new, stat.S_IMODE(st.st_mode))
    try:
        os.chown(new, st.st_uid, st.st_gid)
    except (PermissionError, AttributeError):
        try:  # not root: keep at least the group where we belong to it
            os.chown(new, -1, st.st_gid)
        except (PermissionError, AttributeError, OSError):
            pass
    except OSError:
        pass
    for name in _ACL_XATTRS:
        try:
            os.setxattr(new, name, os.getxattr(target, name))
        except (OSError, AttributeError):
            pass   # no ACL, or a file system without extended attributes


def backup(target: Path, bak: Path) -> None:
    """Keep ``target`` as ``bak``, replaced atomically.

    ``target`` is a regular file (links are resolved by :func:`real_target`).  The
    backup is a second name of the previous version's file (a hard link costs no copy);
    the save then renames its new file over ``target``, so from then on the backup is
    a file of its own, which nothing writes.  Where hard links are impossible it is a
    copy with the same mode.
    """
    if bak.is_symlink() or bak.is_dir():
        raise ProjectFileError(_("the backup name is taken by a link or a folder; move it away"), bak)
    tmp = bak.with_name(f".{bak.name}.{os.getpid()}.new")
    try:
        if tmp.exists():
            tmp.unlink()
        try:
            os.link(target, tmp, follow_symlinks=False)
        except (OSError, NotImplementedError):
            shutil.copyfile(target, tmp)
            keep_attributes(target, tmp)
        os.replace(tmp, bak)
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise


_OS_MESSAGES = {
    errno.ENOSPC: lambda e: _("the disk is full ({error}); the project file was not changed", error=e),
    errno.EDQUOT: lambda e: _("the disk quota is exceeded ({error}); the project file was not changed", error=e),
    errno.EFBIG: lambda e: _("the file would exceed the file-size limit ({error}); the project file was not "
                             "changed", error=e),
    errno.ENAMETOOLONG: lambda e: _("the file name is too long ({error})", error=e),
    errno.EACCES: lambda e: _("permission denied ({error}); the project file was not changed", error=e),
    errno.EPERM: lambda e: _("operation not permitted ({error}); the project file was not changed", error=e),
    errno.EROFS: lambda e: _("the file system is read-only ({error}); the project file was not changed", error=e),
    errno.EIO: lambda e: _("input/output error ({error}); the project file was not changed", error=e),
}


def os_error(exc: OSError, path) -> ProjectFileError:
    """A one-line error naming ``path`` for a failed write."""
    text = exc.strerror or str(exc)
    make = _OS_MESSAGES.get(exc.errno)
    if make is None:
        return ProjectFileError(_("cannot be written ({error}); the project file was not changed", error=text), path)
    return ProjectFileError(make(text), path)


def sqlite_error(exc: sqlite3.DatabaseError, path) -> ProjectFileError:
    """SQLite's write errors (``database or disk is full``, ``disk I/O error`` ...)."""
    text = str(exc)
    if "full" in text:
        return ProjectFileError(_("the disk is full ({error}); the project file was not changed", error=text), path)
    return ProjectFileError(_("cannot be written ({error}); the project file was not changed", error=text), path)


__all__ = ["real_target", "check_replaceable", "keep_attributes", "backup", "os_error", "sqlite_error"]
