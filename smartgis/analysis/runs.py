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

from smartgis.project.schema import register_table

RUNS_TABLE = "smartgis_check_runs"
RESULTS_TABLE = "smartgis_check_results"
GAPS_TABLE = "check_gaps"
GAPS_NAME = {"zh": "检查缺口", "en": "Check gaps"}
#: Gaps are simplified to this tolerance (m) before they are stored.
STORE_TOLERANCE = 1.0

register_table(RUNS_TABLE, [
    ("run_id", "TEXT NOT NULL UNIQUE"), ("started", "TEXT"), ("elapsed_s", "REAL"), ("standards", "TEXT"),
    ("summary", "TEXT"), ("notes", "TEXT"), ("type_coverage", "TEXT"), ("app_version", "TEXT"),
], "SmartGIS standards check runs: time, standards (editions, versions) and summary")
register_table(RESULTS_TABLE, [
    ("run_id", "TEXT NOT NULL"), ("rule_id", "TEXT"), ("standard", "TEXT"), ("clause", "TEXT"),
    ("status", "TEXT"), ("value", "REAL"), ("threshold", "REAL"), ("unit", "TEXT"), ("severity", "TEXT"),
    ("verified", "BOOLEAN"), ("reason", "TEXT"), ("details", "TEXT"), ("gap_area_m2", "REAL"), ("gaps", "BLOB"),
], "SmartGIS standards check results per rule; gaps (WKB, project CRS) for the latest run")


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
                 "type_coverage": json.dumps(result.type_coverage), "app_version": __version__})
    for r, rd in zip(result.rules, d["rules"]):
        results.append({"run_id": result.run_id, "rule_id": r.rule.id, "standard": r.rule.standard,
                        "clause": r.rule.clause, "status": r.status, "value": rd["value"],
                        "threshold": rd["threshold"], "unit": r.rule.unit, "severity": r.rule.severity,
                        "verified": bool(r.rule.verified), "reason": r.reason,
                        "details": json.dumps(r.details, ensure_ascii=False),
                        "gap_area_m2": rd["gap_area_m2"], "gaps": _wkb(r.gaps)})
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
        lyr = VectorLayer(GAPS_NAME[lang], geoms, table, geometry_type="MultiPolygon", table_name=GAPS_TABLE,
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
        results.append(RuleResult(rule, row.get("status") or "na", row.get("value"), row.get("threshold"),
                                  row.get("reason") or "", list(row.get("details") or []), row.get("gaps")))
    return CheckResult(rules=results, standards=run.get("standards") or [], started=run.get("started") or "",
                       elapsed_s=float(run.get("elapsed_s") or 0.0), project_name=project.name,
                       project_path=str(project.path) if project.path else None, run_id=run["run_id"],
                       type_coverage=run.get("type_coverage") or {}, notes=run.get("notes") or [])
