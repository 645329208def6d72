"""Errors of team projects, in the one hierarchy of :mod:`smartgis.errors`.

Each names the project URL (without a password) and the problem, so the command line
prints one line and exits 2, and the window shows a dialog.
"""

from __future__ import annotations

from smartgis.errors import ProjectFileError


class ServerError(ProjectFileError):
    """The server cannot be reached or refuses (password, missing schema, no PostGIS, permission)."""


class ConflictError(ProjectFileError):
    """Rows changed by someone else since they were read: nothing was written.

    Attributes
    ----------
    conflicts : list of dict
        One per row: ``layer``, ``table``, ``key`` (uid or fid), ``label`` (what the
        element is), ``by`` and ``at`` (who changed it, when; None when unknown),
        ``change`` (``changed`` or ``deleted``) and ``mine`` (what this save did:
        ``update``, ``delete`` or ``insert``).
    """

    def __init__(self, message, path=None, conflicts=None):
        self.conflicts = list(conflicts or [])
        super().__init__(message, path)


__all__ = ["ServerError", "ConflictError"]
