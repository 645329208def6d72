"""Deliverables written whole or not at all.

A Word document, a workbook or a drawing is written to a temporary file beside its
target and renamed over it only once complete: a failed write (a full disk, a file open
in another program, a crash) never leaves half a file under the name a user will open.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from smartgis.errors import ProjectFileError
from smartgis.i18n import Message


def write_whole(path, save: Callable[[Path], object], problem: Callable[[str], Message]) -> Path:
    """Write ``path`` through ``save(temporary_path)``; errors name the file.

    Parameters
    ----------
    path : path-like
        The file to write.
    save : callable
        Writes the whole file to the path it is given (keeps the suffix of ``path``).
    problem : callable
        ``problem(error_text) -> Message`` for the one-line error (``cannot write the
        workbook ({error})``).

    Raises
    ------
    ProjectFileError
        When the file cannot be written (nothing is left behind).
    """
    path = Path(path)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.writing{path.suffix}")
    try:
        save(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ProjectFileError(problem(exc.strerror or str(exc)), path) from None
    return path
