"""Project URLs: ``postgresql://USER@HOST[:PORT]/DB?schema=NAME``.

A team project lives in one schema of a PostgreSQL/PostGIS database.  Wherever a
command or the window takes a project file it also takes such a URL.  The password
never travels in the URL: libpq finds it in ``PGPASSWORD`` or ``~/.pgpass``, the
window asks for it.  A URL is shown, logged and stored only without one.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from smartgis.errors import UsageError
from smartgis.i18n import _

SCHEMES = ("postgresql", "postgres")

_NAME = re.compile(r"^[^\x00]{1,63}$")


def is_url(text) -> bool:
    """Whether ``text`` names a PostGIS project rather than a file."""
    if isinstance(text, ProjectURL):
        return True
    if not isinstance(text, str):
        return False
    return any(text.lower().startswith(s + "://") for s in SCHEMES)


@dataclass(frozen=True)
class ProjectURL:
    """A parsed project URL (never holding a password).

    Attributes
    ----------
    user, host, dbname, schema : str
    port : int or None
    """

    user: str
    host: str
    port: int | None
    dbname: str
    schema: str

    def __str__(self) -> str:
        return self.text

    def __fspath__(self) -> str:
        # errors name their location through os.fspath: the URL, without a password
        return self.text

    @property
    def text(self) -> str:
        port = f":{self.port}" if self.port else ""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"postgresql://{_q(self.user)}@{host}{port}/{_q(self.dbname)}?schema={_q(self.schema)}"

    @property
    def name(self) -> str:
        """What a file name would be in messages (``saved … as NAME.bak``): the schema."""
        return self.schema

    @property
    def stem(self) -> str:
        return self.schema

    @property
    def suffix(self) -> str:
        return ""

    def conninfo(self) -> dict:
        """Keyword arguments for :func:`psycopg.connect` (libpq finds the password)."""
        kw = {"host": self.host, "dbname": self.dbname, "user": self.user}
        if self.port:
            kw["port"] = self.port
        return kw


def _q(text: str) -> str:
    from urllib.parse import quote
    return quote(text, safe="")


def parse_url(text) -> ProjectURL:
    """Parse ``postgresql://USER@HOST[:PORT]/DB?schema=NAME``.

    A host starting with ``/`` (``postgresql://me@%2Ftmp%2Fpg/db?schema=x``) is a
    Unix socket folder, as libpq takes it.  The user defaults to ``PGUSER`` or the
    login name, the schema to ``public``.

    Raises
    ------
    UsageError
        For a malformed URL or one carrying a password (it would end up in shell
        histories and project files: use ``PGPASSWORD``, ``~/.pgpass`` or the prompt).
    """
    if isinstance(text, ProjectURL):
        return text
    raw = str(text)
    shown = _redact(raw)
    if not is_url(raw):
        raise UsageError(_("not a PostGIS project URL (postgresql://USER@HOST[:PORT]/DB?schema=NAME)"), shown)
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise UsageError(_("not a valid project URL ({error})", error=str(exc)), shown) from None
    if parts.password is not None:
        raise UsageError(_("the URL holds a password; give it in PGPASSWORD or ~/.pgpass (the window asks for it) "
                           "so that it is never stored or shown"), shown)
    host = unquote(parts.hostname or "") if parts.hostname else ""
    # urlsplit lower-cases host names; a socket folder keeps its case from the raw text
    netloc_host = parts.netloc.rsplit("@", 1)[-1]
    if netloc_host.startswith("%2F") or netloc_host.startswith("%2f"):
        host = unquote(netloc_host.split(":")[0] if not port else netloc_host.rsplit(":", 1)[0])
    if not host:
        host = os.environ.get("PGHOST", "localhost")
    user = unquote(parts.username or "") or os.environ.get("PGUSER") or _login()
    dbname = unquote(parts.path.lstrip("/"))
    if not dbname:
        raise UsageError(_("the URL names no database (postgresql://USER@HOST[:PORT]/DB?schema=NAME)"), shown)
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = sorted(k for k in query if k != "schema")
    if unknown:
        raise UsageError(_("unknown URL parameter(s) {names}; only schema=NAME is read", names=", ".join(unknown)),
                         shown)
    schema = (query.get("schema") or ["public"])[-1]
    for what, value in (("database", dbname), ("schema", schema), ("user", user)):
        if not _NAME.match(value):
            raise UsageError(_("the {what} name {name!r} is empty, too long or holds a NUL character", what=what,
                               name=value), shown)
    return ProjectURL(user=user, host=host, port=port, dbname=dbname, schema=schema)


def _login() -> str:
    try:
        import getpass
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (a container): libpq's own default
        return "postgres"


def _redact(text: str) -> str:
    """``text`` with any password of its user part replaced by ``***``."""
    return re.sub(r"^([a-zA-Z]+://[^:@/]*):[^@/]*@", r"\1:***@", str(text))


def redact(text) -> str:
    """A URL (or any text holding one) fit to show: without a password."""
    return _redact(str(text))


__all__ = ["ProjectURL", "is_url", "parse_url", "redact"]
