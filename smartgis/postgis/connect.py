"""Connecting to a project's server with psycopg 3, and turning what libpq says into
one clear line naming the URL (never a password: libpq takes it from ``PGPASSWORD``,
``~/.pgpass`` or the window's prompt, and none of them is stored)."""

from __future__ import annotations

import psycopg
from psycopg import sql

from smartgis.i18n import _
from smartgis.postgis.errors import ServerError
from smartgis.postgis.url import ProjectURL, parse_url

#: Seconds to wait for a server before saying it cannot be reached.
CONNECT_TIMEOUT = 10


def connect(url, password: str | None = None, autocommit: bool = False) -> psycopg.Connection:
    """An open connection to the URL's database, with PostGIS checked.

    Parameters
    ----------
    url : str or ProjectURL
    password : str, optional
        Asked by the window; used for this connection only, never kept.

    Raises
    ------
    ServerError
        Unreachable server, wrong password, missing database, no PostGIS extension.
    """
    url = parse_url(url)
    kw = url.conninfo()
    if password:
        kw["password"] = password
    try:
        conn = psycopg.connect(connect_timeout=CONNECT_TIMEOUT, application_name="SmartGIS", autocommit=autocommit,
                               **kw)
    except psycopg.Error as exc:
        raise server_error(exc, url) from None
    try:
        has = conn.execute("SELECT extversion FROM pg_extension WHERE extname = 'postgis'").fetchone()
        if not autocommit:
            conn.rollback()
    except psycopg.Error as exc:
        conn.close()
        raise server_error(exc, url) from None
    if has is None:
        conn.close()
        raise ServerError(_("the database has no PostGIS extension (CREATE EXTENSION postgis, as its owner)"), url)
    return conn


def server_error(exc: BaseException, url: ProjectURL) -> ServerError:
    """One line for what the server or libpq said."""
    text = str(exc).strip()
    low = text.lower()
    if "password authentication failed" in low or "authentication failed" in low:
        msg = _("the server refused the user {user!r}: wrong password (PGPASSWORD, ~/.pgpass)", user=url.user)
    elif "no password supplied" in low or "password is required" in low:
        msg = _("the server asks for a password: set PGPASSWORD or ~/.pgpass (the window asks for it)")
    elif "database" in low and "does not exist" in low:
        msg = _("the database {db!r} does not exist on the server", db=url.dbname)
    elif "role" in low and "does not exist" in low:
        msg = _("the server knows no user {user!r}", user=url.user)
    elif "permission denied" in low or getattr(exc, "sqlstate", None) == "42501":
        first = text.splitlines()[0] if text else ""
        msg = _("permission denied by the server ({error})", error=first)
    elif any(w in low for w in ("could not connect", "connection refused", "timeout expired", "could not translate",
                                "no such file or directory", "connection failed", "server closed")):
        msg = _("cannot reach the server at {host} (is PostgreSQL running there and accepting connections?)",
                host=url.host + (f":{url.port}" if url.port else ""))
    else:
        msg = _("the server said: {error}", error=(text.splitlines() or [type(exc).__name__])[0])
    return ServerError(msg, url)


def schema_exists(conn, schema: str) -> bool:
    return conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone() is not None


def table_exists(conn, schema: str, table: str) -> bool:
    return conn.execute("SELECT 1 FROM pg_tables WHERE schemaname = %s AND tablename = %s",
                        (schema, table)).fetchone() is not None


def ident(schema: str, name: str) -> sql.Composed:
    """``"schema"."name"``, quoted whatever the name holds."""
    return sql.Identifier(schema, name)


__all__ = ["connect", "server_error", "schema_exists", "table_exists", "ident", "CONNECT_TIMEOUT"]
