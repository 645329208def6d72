"""Values entered by hand — 现状 and targets per phase, with their evidence — kept in the
project file (table ``smartgis_indicator_values``, one row per system, indicator and
stage), so they travel with the design and survive save and open.
"""

from __future__ import annotations

import datetime as _dt
import math

from smartgis.project.schema import register_table

VALUES_TABLE = "smartgis_indicator_values"
#: The stored stage of a 现状 value (a phase name otherwise).
CURRENT_KEY = ""

register_table(VALUES_TABLE, [
    ("system", "TEXT NOT NULL"), ("indicator", "TEXT NOT NULL"), ("phase", "TEXT NOT NULL"), ("value", "REAL"),
    ("evidence", "TEXT"), ("updated", "TEXT"),
], "SmartGIS indicator values: 现状 (phase '') and targets per phase, entered by hand, with evidence")


def _load_missing(project) -> None:
    """Read the table from the file when the project was opened before it was registered."""
    if VALUES_TABLE in project.extra_tables:
        return
    base = getattr(project, "base_path", None)
    rows = []
    if base:
        from smartgis.project import gpkg
        try:
            conn = gpkg.connect(base, readonly=True)
        except Exception:  # noqa: BLE001 - no file yet: nothing was stored
            conn = None
        if conn is not None:
            try:
                if gpkg.table_exists(conn, VALUES_TABLE):
                    rows = gpkg.read_rows(conn, VALUES_TABLE)
            finally:
                conn.close()
    project.extra_tables[VALUES_TABLE] = rows


def stored(project, system_id: str) -> dict:
    """``{indicator: {stage: {"value", "evidence"}}}`` of a system (stage ``现状`` for current)."""
    from smartgis.indicators.phases import CURRENT
    _load_missing(project)
    out: dict = {}
    for r in project.extra_tables.get(VALUES_TABLE) or []:
        if r.get("system") != system_id:
            continue
        stage = r.get("phase") or CURRENT
        v = r.get("value")
        try:
            v = float(v) if v is not None else None
        except (TypeError, ValueError):
            v = None
        if v is not None and not math.isfinite(v):
            v = None
        out.setdefault(r["indicator"], {})[stage] = {"value": v, "evidence": r.get("evidence") or ""}
    return out


def set_value(project, system_id: str, indicator_id: str, stage: str, value=None, evidence: str | None = None) -> None:
    """Enter a value (and/or evidence) for one indicator and stage; marks the project changed.

    ``value`` None keeps the stored value; ``evidence`` None keeps the stored evidence.
    """
    from smartgis.indicators.phases import CURRENT
    _load_missing(project)
    key = CURRENT_KEY if stage == CURRENT else stage
    rows = [dict(r) for r in project.extra_tables.get(VALUES_TABLE) or []]
    now = _dt.datetime.now().astimezone().replace(microsecond=0).isoformat()
    for r in rows:
        if r.get("system") == system_id and r.get("indicator") == indicator_id and (r.get("phase") or "") == key:
            if value is not None:
                r["value"] = float(value)
            if evidence is not None:
                r["evidence"] = evidence
            r["updated"] = now
            break
    else:
        rows.append({"system": system_id, "indicator": indicator_id, "phase": key,
                     "value": float(value) if value is not None else None, "evidence": evidence or "",
                     "updated": now})
    project.extra_tables[VALUES_TABLE] = rows
    mark = getattr(project, "_set_meta_dirty", None)
    if mark is not None:  # the value is a change to save
        mark()
