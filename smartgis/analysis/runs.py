"""Check runs kept in the project file, and the gaps layer drawn on the map.

Every run is one row of ``smartgis_check_runs`` (time, standards with their editions
and file hashes, summary) and one row per rule in ``smartgis_check_results``.  The
gaps of the latest run are also kept as a vector layer (``check_gaps``), so the map —
and QGIS opening the file — shows where the design falls short.
"""

from __future__ import annotations

import json

import numpy as np
import shapely

from smartgis.i18n import Matched, _, from_data, localize, to_data
from smartgis.project.schema import register_table

RUNS_TABLE = "smartgis_check_runs"
RESULTS_TABLE = "smartgis_check_results"
GAPS_TABLE = "check_gaps"
#: The name of the gaps layer (in the project's language when it is made).
GAPS_NAME = _("Check gaps")
#: Gaps are simplified to this tolerance (m) before they are stored.
STORE_TOLERANCE = 1.0

RUNS_COLUMNS = [
    ("run_id", "TEXT NOT NULL UNIQUE"), ("started", "TEXT"), ("elapsed_s", "REAL"), ("standards", "TEXT"),
    ("summary", "TEXT"), ("notes", "TEXT"), ("type_coverage", "TEXT"), ("app_version", "TEXT"), ("messages", "TEXT"),
]
RESULTS_COLUMNS = [
    ("run_id", "TEXT NOT NULL"), ("rule_id", "TEXT"), ("standard", "TEXT"), ("clause", "TEXT"),
    ("status", "TEXT"), ("value", "REAL"), ("threshold", "REAL"), ("unit", "TEXT"), ("severity", "TEXT"),
    ("verified", "BOOLEAN"), ("reason", "TEXT"), ("details", "TEXT"), ("gap_area_m2", "REAL"), ("gaps", "BLOB"),
    ("messages", "TEXT"),
]


def _saver(name: str, columns: list):
    """Writes a run table inside the project's save, adding the columns a file written by
    an older SmartGIS lacks (``messages``); a table nobody changed is left as it is."""
    def save(conn, project, rows) -> None:
        from smartgis.core.names import quote_ident
        from smartgis.project import gpkg, schema
        if gpkg.table_exists(conn, name) and rows == getattr(project, "extra_tables_read", {}).get(name):
            return
        schema.ensure_table(conn, name, rows)
        have = {r[1] for r in conn.execute(f"PRAGMA table_info({quote_ident(name)})")}
        for col, sql_type in columns:
            if col not in have:
                conn.execute(f"ALTER TABLE {quote_ident(name)} ADD COLUMN {quote_ident(col)} "
                             f"{sql_type.replace(' NOT NULL', '').replace(' UNIQUE', '')}")
        keys = [c for c, _t in columns]
        gpkg.replace_rows(conn, name, [{k: r.get(k) for k in keys} for r in rows])
    return save


register_table(RUNS_TABLE, RUNS_COLUMNS,
               "SmartGIS standards check runs: time, standards (editions, versions) and summary",
               saver=_saver(RUNS_TABLE, RUNS_COLUMNS))
register_table(RESULTS_TABLE, RESULTS_COLUMNS,
               "SmartGIS standards check results per rule; gaps (WKB, project CRS) for the latest run; "
               "messages: the reason and details as templates and values (JSON)",
               saver=_saver(RESULTS_TABLE, RESULTS_COLUMNS))


def _wkb(g):
    if g is None or shapely.is_empty(g):
        return None
    return shapely.to_wkb(shapely.simplify(g, STORE_TOLERANCE, preserve_topology=True))


def save_run(project, result, gaps_layer: bool = True) -> None:
    """Record a run in ``project.extra_tables`` (saved with the project) and refresh the gaps layer.

    Only the latest run keeps its gap geometries, so the file does not grow with every run.
    """
    from smartgis import __version__
    _load_missing(project)
    runs = list(project.extra_tables.get(RUNS_TABLE) or [])
    results = [dict(r, gaps=None) for r in (project.extra_tables.get(RESULTS_TABLE) or [])]
    d = result.to_dict()
    runs.append({"run_id": result.run_id, "started": result.started, "elapsed_s": round(result.elapsed_s, 3),
                 "standards": json.dumps(result.standards, ensure_ascii=False),
                 "summary": json.dumps(result.summary), "notes": json.dumps(result.notes, ensure_ascii=False),
                 "type_coverage": json.dumps(result.type_coverage), "app_version": __version__,
                 "messages": json.dumps({"notes": [to_data(n) for n in result.notes]}, ensure_ascii=False)})
    for r, rd in zip(result.rules, d["rules"]):
        # the English text for other readers (QGIS, older SmartGIS), the templates to show it in any language
        messages = {"reason": to_data(r.reason) if r.reason else None, "details": [to_data(x) for x in r.details]}
        results.append({"run_id": result.run_id, "rule_id": r.rule.id, "standard": r.rule.standard,
                        "clause": r.rule.clause, "status": r.status, "value": rd["value"],
                        "threshold": rd["threshold"], "unit": r.rule.unit, "severity": r.rule.severity,
                        "verified": bool(r.rule.verified), "reason": r.reason,
                        "details": json.dumps(r.details, ensure_ascii=False),
                        "gap_area_m2": rd["gap_area_m2"], "gaps": _wkb(r.gaps),
                        "messages": json.dumps(messages, ensure_ascii=False)})
    project.extra_tables[RUNS_TABLE] = runs
    project.extra_tables[RESULTS_TABLE] = results
    if gaps_layer:
        update_gaps_layer(project, result)
    mark = getattr(project, "_set_meta_dirty", None)
    if mark is not None:  # the run is a change to save
        mark()


def _load_missing(project) -> None:
    """Read the run tables from the file when the project was opened before they were registered."""
    base = getattr(project, "base_path", None)
    if not base:
        return
    from smartgis.project import gpkg
    for name in (RUNS_TABLE, RESULTS_TABLE):
        if name in project.extra_tables:
            continue
        try:
            conn = gpkg.connect(base, readonly=True)
        except Exception:  # noqa: BLE001 - no file to read: nothing was stored yet
            return
        try:
            project.extra_tables[name] = gpkg.read_rows(conn, name)
        finally:
            conn.close()


def runs(project) -> list[dict]:
    """Stored runs, oldest first (``standards``, ``summary`` decoded)."""
    out = []
    for r in project.extra_tables.get(RUNS_TABLE) or []:
        r = dict(r)
        for k in ("standards", "summary", "notes", "type_coverage"):
            try:
                r[k] = json.loads(r.get(k) or "null")
            except (TypeError, ValueError):
                pass
        out.append(r)
    return out


def run_results(project, run_id: str | None = None) -> list[dict]:
    """Stored results of a run (the latest by default), gaps decoded to geometries."""
    all_runs = runs(project)
    if not all_runs:
        return []
    run_id = run_id or all_runs[-1]["run_id"]
    out = []
    for r in project.extra_tables.get(RESULTS_TABLE) or []:
        if r.get("run_id") != run_id:
            continue
        r = dict(r)
        g = r.get("gaps")
        r["gaps"] = shapely.from_wkb(bytes(g)) if g else None
        try:
            r["details"] = json.loads(r.get("details") or "[]")
        except (TypeError, ValueError):
            pass
        out.append(r)
    return out


def gaps_layer(project):
    """The project's gaps layer, or None."""
    for lyr in project.layers.values():
        if getattr(lyr, "table_name", None) == GAPS_TABLE:
            return lyr
    return None


def update_gaps_layer(project, result):
    """Put the gaps of ``result`` into the ``check_gaps`` layer (created on first use)."""
    from smartgis.core.fields import Field
    from smartgis.core.layers import VectorLayer
    from smartgis.core.style import Symbol, VectorStyle
    from smartgis.core.table import AttributeTable

    rows, geoms = [], []
    lang = project.language if project.language in ("zh", "en") else "en"
    for r in result.rules:
        if r.gaps is None or shapely.is_empty(r.gaps):
            continue
        g = shapely.simplify(r.gaps, STORE_TOLERANCE, preserve_topology=True)
        polys = shapely.get_parts(g)
        polys = polys[np.isin(shapely.get_type_id(polys), (3, 6))]
        if not len(polys):
            continue
        geoms.append(shapely.multipolygons(polys))
        rows.append({"rule_id": r.rule.id, "title": r.rule.label(lang), "status": r.status,
                     "value": r.to_json()["value"], "threshold": r.to_json()["threshold"], "unit": r.rule.unit,
                     "gap_area_m2": round(r.gap_area_m2, 1), "verified": bool(r.rule.verified),
                     "run_id": result.run_id})
    fields = [Field("rule_id", "str"), Field("title", "str"), Field("status", "str"), Field("value", "float"),
              Field("threshold", "float"), Field("unit", "str"), Field("gap_area_m2", "float"),
              Field("verified", "bool"), Field("run_id", "str")]
    table = AttributeTable.from_records(fields, rows)
    geoms = np.array(geoms, dtype=object)
    lyr = gaps_layer(project)
    if lyr is None:
        style = VectorStyle(symbol=Symbol(fill="#e31a1c55", stroke="#b10026", stroke_width=0.4, dash="dash"))
        lyr = VectorLayer(localize(GAPS_NAME, lang), geoms, table, geometry_type="MultiPolygon", table_name=GAPS_TABLE,
                          style=style, crs=project.crs)
        project.add_layer(lyr, index=0)
    else:
        lyr.set_data(geoms, table)
    return lyr


def stored_result(project, run_id: str | None = None, library=None):
    """The latest (or given) stored run as a :class:`~smartgis.analysis.check.CheckResult`.

    Rules no longer in the library (a user's file not loaded now) come back with the
    clause, unit and severity stored with them.  None when nothing was stored.
    """
    from smartgis.analysis.check import CheckResult, RuleResult
    from smartgis.analysis.standards import Library, Rule
    _load_missing(project)
    all_runs = runs(project)
    if not all_runs:
        return None
    run = next((r for r in all_runs if r["run_id"] == run_id), None) if run_id else all_runs[-1]
    if run is None:
        return None
    lib = library or Library.builtin()
    known = {r.id: r for r in lib.rules()}
    from smartgis.analysis.context import register_type_terms
    register_type_terms(project.catalog)
    results = []
    for row in run_results(project, run["run_id"]):
        rule = known.get(row["rule_id"])
        if rule is None:
            sid, _, local = str(row["rule_id"]).partition("/")
            rule = Rule(id=row["rule_id"], local_id=local or sid, standard=row.get("standard") or sid,
                        clause=row.get("clause") or "", title={"zh": local or sid, "en": local or sid},
                        metric="", unit=row.get("unit") or "", severity=row.get("severity") or "mandatory",
                        verified=bool(row.get("verified")))
        reason, details = _messages_of(row)
        results.append(RuleResult(rule, row.get("status") or "na", row.get("value"), row.get("threshold"),
                                  reason, details, row.get("gaps")))
    return CheckResult(rules=results, standards=run.get("standards") or [], started=run.get("started") or "",
                       elapsed_s=float(run.get("elapsed_s") or 0.0), project_name=project.name,
                       project_path=str(project.path) if project.path else None, run_id=run["run_id"],
                       type_coverage=run.get("type_coverage") or {}, notes=_notes_of(run))


def _decoded(raw) -> dict | None:
    try:
        got = json.loads(raw) if isinstance(raw, str) else None
    except ValueError:
        return None
    return got if isinstance(got, dict) else None


def _messages_of(row: dict) -> tuple:
    """A stored result's reason and details as messages: from their templates and values,
    or, in a file written before those were stored, the English text matched against the
    catalogue when shown (:class:`~smartgis.i18n.Matched`)."""
    reason = row.get("reason") or ""
    details = list(row.get("details") or [])
    stored = _decoded(row.get("messages"))
    if stored is not None:
        if stored.get("reason") is not None:
            reason = from_data(stored["reason"])
        if isinstance(stored.get("details"), list) and len(stored["details"]) == len(details):
            details = [from_data(x) for x in stored["details"]]
        return reason, details
    return (Matched(reason) if reason else ""), [Matched(str(x)) for x in details]


def _notes_of(run: dict) -> list:
    notes = list(run.get("notes") or [])
    stored = _decoded(run.get("messages"))
    if stored is not None and isinstance(stored.get("notes"), list) and len(stored["notes"]) == len(notes):
        return [from_data(x) for x in stored["notes"]]
    return [Matched(str(n)) for n in notes]
