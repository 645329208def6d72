"""Who may write what, enforced by the database with GRANTs (never by the client).

* **designer** roles read everything and write the design tables (``design_*``),
  SmartGIS's own tables (checks, plans …) and the styles; they may add design tables;
* **reviewer** roles read everything and write only the review tables
  (``smartgis_review_*``);
* **reader** roles read everything;
* base layers (survey data) are written only by the schema's owner.

The roles are remembered in ``smartgis_project`` (key ``roles``), so that a design
table a designer adds later is granted the same way.
"""

from __future__ import annotations

import json

from psycopg import sql

from smartgis.postgis import ddl

#: The review tables (written by reviewers): created at publish so reviewers can write them.
REVIEW_TABLES = ("smartgis_review_comments", "smartgis_review_signoffs")
REVIEW_PREFIX = "smartgis_review_"
KINDS = ("designer", "reviewer", "reader")


def stored_roles(conn, schema: str) -> dict:
    row = conn.execute(sql.SQL("SELECT value FROM {} WHERE key = 'roles'").format(
        sql.Identifier(schema, "smartgis_project"))).fetchone()
    try:
        got = json.loads(row[0]) if row and row[0] else {}
    except ValueError:
        got = {}
    return {k: list(got.get(k) or []) for k in KINDS}


def table_kinds(conn, schema: str) -> dict:
    """table → ``design``, ``base``, ``review`` or ``smartgis`` for the tables of the schema."""
    design = {r[0] for r in conn.execute(sql.SQL("SELECT table_name FROM {} WHERE kind = 'design'").format(
        sql.Identifier(schema, "smartgis_layers")))}
    out = {}
    for (t,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,)):
        if t in design:
            out[t] = "design"
        elif t.startswith(REVIEW_PREFIX):
            out[t] = "review"
        elif t.startswith("smartgis_"):
            out[t] = "smartgis"
        else:
            out[t] = "base"
    return out


def writers_of(kind: str, roles: dict) -> list[str]:
    if kind in ("design", "smartgis"):
        return roles["designer"]
    if kind == "review":
        return roles["reviewer"] + roles["designer"]   # designers answer comments
    return []


def grant_roles(conn, schema: str, roles: dict) -> None:
    """Give ``roles`` (kind → role names) their rights on every table of the schema."""
    roles = {k: list(dict.fromkeys(roles.get(k) or [])) for k in KINDS}
    old = stored_roles(conn, schema)
    merged = {k: list(dict.fromkeys(old[k] + roles[k])) for k in KINDS}
    for t in REVIEW_TABLES:
        ddl.create_extra_table(conn, schema, t)
    conn.execute(sql.SQL("INSERT INTO {} (key, value) VALUES ('roles', %s) ON CONFLICT (key) DO UPDATE SET "
                         "value = EXCLUDED.value").format(sql.Identifier(schema, "smartgis_project")),
                 (json.dumps(merged),))
    everyone = list(dict.fromkeys(merged["designer"] + merged["reviewer"] + merged["reader"]))
    s = sql.Identifier(schema)
    for role in everyone:
        conn.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(s, sql.Identifier(role)))
    for role in merged["designer"]:
        conn.execute(sql.SQL("GRANT CREATE ON SCHEMA {} TO {}").format(s, sql.Identifier(role)))
        conn.execute(sql.SQL("GRANT USAGE ON ALL SEQUENCES IN SCHEMA {} TO {}").format(s, sql.Identifier(role)))
        _styles_rights(conn, role)
    for table, kind in table_kinds(conn, schema).items():
        grant_table(conn, schema, table, kind, merged)


def grant_table(conn, schema: str, table: str, kind: str, roles: dict) -> None:
    """Rights on one table (also used for a design table added by a save)."""
    t = sql.Identifier(schema, table)
    everyone = list(dict.fromkeys(roles["designer"] + roles["reviewer"] + roles["reader"]))
    for role in everyone:
        conn.execute(sql.SQL("GRANT SELECT ON {} TO {}").format(t, sql.Identifier(role)))
    for role in writers_of(kind, roles):
        conn.execute(sql.SQL("GRANT INSERT, UPDATE, DELETE ON {} TO {}").format(t, sql.Identifier(role)))
        for (seq,) in conn.execute("SELECT pg_get_serial_sequence(%s, a.attname) FROM pg_attribute a "
                                   "WHERE a.attrelid = %s::regclass AND a.attidentity <> ''",
                                   (t.as_string(conn), t.as_string(conn))):
            if seq:
                conn.execute(sql.SQL("GRANT USAGE ON SEQUENCE {} TO {}").format(sql.SQL(seq), sql.Identifier(role)))


def _styles_rights(conn, role: str) -> None:
    where, exists = ddl.layer_styles_location(conn, "public")
    if not exists:
        return
    conn.execute("SAVEPOINT styles_grant")
    try:
        conn.execute(sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON {} TO {}").format(
            sql.Identifier(where, "layer_styles"), sql.Identifier(role)))
        seq = conn.execute("SELECT pg_get_serial_sequence(%s, 'id')",
                           (sql.Identifier(where, "layer_styles").as_string(conn),)).fetchone()
        if seq and seq[0]:
            conn.execute(sql.SQL("GRANT USAGE ON SEQUENCE {} TO {}").format(sql.SQL(seq[0]), sql.Identifier(role)))
        conn.execute("RELEASE SAVEPOINT styles_grant")
    except Exception:  # noqa: BLE001 - psycopg.Error: the styles table is not ours to grant
        conn.execute("ROLLBACK TO SAVEPOINT styles_grant")
