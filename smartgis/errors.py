"""The one error hierarchy of SmartGIS.

Every error SmartGIS raises on purpose derives from :class:`SmartGISError`.  Like
rasterio's errors, each class also derives from the matching builtin (``OSError``,
``ValueError`` ...), so callers can catch either.  Errors that a user can cause and
fix (a bad file, a wrong option) are :class:`UserError` subclasses: the command line
prints them as one line and exits with code 2, the window shows them in a dialog.
"""

from __future__ import annotations

import os


class SmartGISError(Exception):
    """Base class of every error SmartGIS raises on purpose.

    Parameters
    ----------
    message : str
        What went wrong, in words a user understands.
    path : str or os.PathLike, optional
        The file the problem is about; it is named first in ``str(error)``.
    """

    def __init__(self, message: str, path: "str | os.PathLike | None" = None):
        self.message = message
        self.path = os.fspath(path) if path is not None else None
        super().__init__(self.__str__())

    def __str__(self) -> str:
        if self.path:
            return f"{self.path}: {self.message}"
        return str(self.message)

    def localizable(self):
        """``str(self)`` as a :class:`~smartgis.i18n.Localizable`: English text that can be
        shown in the user's language."""
        from smartgis.i18n import Message, localizable
        problem = localizable(self.message)
        if not self.path:
            return problem
        return Message("{path}: {problem}", {"path": self.path, "problem": problem})

    def localized(self, lang: str | None = None) -> str:
        """The error in ``lang`` (default: the current language, see :mod:`smartgis.i18n`).

        ``str(error)`` stays English for scripts and logs; the window shows this.
        """
        from smartgis.i18n import localize
        problem = localize(self.message, lang)
        return f"{self.path}: {problem}" if self.path else problem


class UserError(SmartGISError):
    """An error caused by input the user can correct (exit code 2 on the CLI)."""


class UsageError(UserError, ValueError):
    """A command or API call was used wrongly (missing option, bad value)."""


class CRSError(UserError, ValueError):
    """A coordinate reference system is unknown, unsuitable or missing."""


class CatalogError(UserError, ValueError):
    """An element catalog file or an element type is invalid or unknown."""


class ProjectFileError(UserError, OSError):
    """A project file cannot be read or written."""


class ProjectVersionError(ProjectFileError):
    """The project file was written by a newer SmartGIS than this one."""


class DamagedProjectError(ProjectFileError):
    """The project file is not a readable SQLite/GeoPackage database."""


class ReadOnlyProjectError(ProjectFileError, PermissionError):
    """A write was attempted on a project opened read-only (review mode)."""


class SourceError(UserError, OSError):
    """A data source (shapefile, raster, CAD drawing ...) cannot be imported."""


class LayerError(UserError, KeyError):
    """A layer named by the user does not exist or cannot be used that way."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return SmartGISError.__str__(self)


class StandardsError(UserError, ValueError):
    """A standards file or rule is invalid."""


class PluginError(SmartGISError, RuntimeError):
    """A plugin failed to load or raised inside one of its hooks."""


class Cancelled(SmartGISError):
    """A long operation was cancelled by the user; nothing was changed."""

    def __init__(self, message: str = "cancelled", path=None):
        super().__init__(message, path)
