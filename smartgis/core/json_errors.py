"""What is wrong in a JSON file the user wrote (a catalog or standards file), as a message.

Python's :mod:`json` explains a syntax error with one of a handful of fixed English
phrases ("Expecting ',' delimiter").  :func:`json_problem` gives that phrase as a
message, so the English text stays exactly Python's while a Chinese window or
``SMARTGIS_LANG=zh`` shows it in Chinese.
"""

from __future__ import annotations

import json

from smartgis.i18n import _

#: The phrases of :class:`json.JSONDecodeError` (``exc.msg``) of Python 3.11–3.13.
JSON_PROBLEMS = {
    "Expecting value": _("Expecting value"),
    "Expecting property name enclosed in double quotes": _("Expecting property name enclosed in double quotes"),
    "Expecting ':' delimiter": _("Expecting ':' delimiter"),
    "Expecting ',' delimiter": _("Expecting ',' delimiter"),
    "Unterminated string starting at": _("Unterminated string starting at"),
    "Invalid control character at": _("Invalid control character at"),
    "Invalid \\escape": _("Invalid \\escape"),
    "Invalid \\uXXXX escape": _("Invalid \\uXXXX escape"),
    "Extra data": _("Extra data"),
    "Illegal trailing comma before end of object": _("Illegal trailing comma before end of object"),
    "Illegal trailing comma before end of array": _("Illegal trailing comma before end of array"),
}


def json_problem(exc: json.JSONDecodeError) -> str:
    """``exc.msg`` as a message (an unknown phrase stays as it is)."""
    return JSON_PROBLEMS.get(exc.msg, exc.msg)


def json_error(exc: json.JSONDecodeError) -> str:
    """``str(exc)`` — ``"Expecting value: line 1 column 1 (char 0)"`` — as a message."""
    return _("{problem}: line {line} column {column} (char {char})", problem=json_problem(exc),
             line=exc.lineno, column=exc.colno, char=exc.pos)
