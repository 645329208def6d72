"""The house as it is built: floors enforced, one composition root, tables that travel
with the project whatever was imported first."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from smartgis import contributions
from smartgis.core.catalog import default_catalog
from smartgis.project import open_project, save_project
from tests.helpers import sample_project
from tests.test_plugins import CATALOG, make_plugin, plugin_env  # noqa: F401 - plugin_env is a fixture

ROOT = Path(__file__).resolve().parent.parent


def _python(code: str, *args) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter: only what it imports is loaded."""
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def test_import_contracts_hold():
    """lint-imports (floors, no Qt in the model, no cycle) passes on this checkout."""
    exe = Path(sys.executable).with_name("lint-imports")
    if not exe.exists():
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    r = subprocess.run([str(exe), "--no-cache"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "0 broken" in r.stdout


def test_no_import_cycle_between_packages():
    """grimp's graph of SmartGIS has no cycle between its packages (smartgis.core ↔ smartgis.project ...)."""
    grimp = pytest.importorskip("grimp")
    graph = grimp.build_graph("smartgis", cache_dir=None)
    tops = sorted(m for m in graph.find_children("smartgis"))
    for a in tops:
        for b in tops:
            if a < b and graph.chain_exists(a, b, as_packages=True):
                assert not graph.chain_exists(b, a, as_packages=True), f"import cycle between {a} and {b}"


def test_model_alone_has_built_ins_and_the_session_adds_plugins(plugin_env):
    """Without a session the catalog is the built-in one; the session adds the enabled
    plugins' element types."""
    from smartgis.session import contributions_of_plugins
    make_plugin(plugin_env["extra"], "radar", contributes={"catalogs": ["types.json"]}, files={"types.json": CATALOG})
    previous = contributions.install(contributions.Contributions())
    try:
        alone = default_catalog()
        assert all(t.origin == "builtin" for t in alone)
        contributions.install(contributions_of_plugins())
        with_plugins = default_catalog()
        assert {t.id for t in with_plugins} - {t.id for t in alone} == {"acme_flood_radar"}
        assert with_plugins.get("acme_flood_radar").origin == "plugin:radar"
    finally:
        contributions.install(previous)


def test_new_project_without_a_session_says_how_to_save():
    from smartgis.core import Project
    from smartgis.errors import UsageError
    previous = contributions.install(contributions.Contributions())
    try:
        with pytest.raises(UsageError, match="save_project"):
            Project("新项目", "EPSG:4547").save("/nonexistent/x.gpkg")
    finally:
        contributions.install(previous)


def test_tables_travel_whatever_was_imported(tmp_path):
    """A project saved by a process that never imported the owners of its check-run and
    review tables keeps their rows; a SmartGIS table nobody declares travels too."""
    path = tmp_path / "p.gpkg"
    p = sample_project(path)
    from smartgis.analysis import run_check
    from smartgis.analysis.runs import RESULTS_TABLE, RUNS_TABLE, save_run
    save_run(p, run_check(p))
    p.extra_tables["smartgis_team_notes"] = [{"author": "张工", "note": "东门加一台"}]
    p.save()
    code = ("import sys; from smartgis.project import open_project; p = open_project(sys.argv[1]); "
            "p.set_metadata(city='武汉'); p.save(); "
            "print(sorted(m for m in sys.modules if m.startswith(('smartgis.analysis', 'smartgis.review'))))")
    r = _python(code, path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"      # the owners were never imported
    q = open_project(path)
    assert q.metadata["city"] == "武汉"
    assert len(q.extra_tables[RUNS_TABLE]) == 1
    assert len(q.extra_tables[RESULTS_TABLE]) == len(p.extra_tables[RESULTS_TABLE]) > 0
    assert [(r["author"], r["note"]) for r in q.extra_tables["smartgis_team_notes"]] == [("张工", "东门加一台")]


def test_changed_rows_of_an_undeclared_table_are_written(tmp_path):
    path = tmp_path / "p.gpkg"
    sample_project(path)
    with sqlite3.connect(path) as con:   # another tool added a SmartGIS table
        con.execute("CREATE TABLE smartgis_extra (id INTEGER PRIMARY KEY, k TEXT, v TEXT)")
        con.execute("INSERT INTO smartgis_extra (k, v) VALUES ('a', '1')")
    p = open_project(path)
    assert [(r["k"], r["v"]) for r in p.extra_tables["smartgis_extra"]] == [("a", "1")]
    p.extra_tables["smartgis_extra"] = [{"k": "a", "v": "2"}, {"k": "b", "v": "3"}]
    save_project(p, path)
    assert [(r["k"], r["v"]) for r in open_project(path).extra_tables["smartgis_extra"]] == [("a", "2"), ("b", "3")]


def test_no_module_is_imported_for_its_side_effects():
    """Nothing is imported only to make a table or a metric exist: every ``noqa: F401``
    import of the package names a use, not a registration."""
    offenders = []
    for path in (ROOT / "smartgis").rglob("*.py"):
        for k, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "noqa: F401" in line and "regist" in line:
                offenders.append(f"{path.relative_to(ROOT)}:{k}")
    assert not offenders, offenders


def test_fire_metrics_are_in_the_table_without_importing_fire_first():
    """The standards library loads its fire-service rules in a fresh process that imports
    only the library: the metric table names the fire metrics itself."""
    code = ("from smartgis.analysis.metric_table import metric_fn, metric_names; "
            "from smartgis.analysis.standards import Library; "
            "lib = Library.builtin(); "
            "used = {r.metric for r in lib.rules()}; "
            "print(sorted(m for m in ('response_time', 'road_frontage', 'district_barriers') "
            "if m in used and metric_fn(m) is not None))")
    r = _python(code)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "['district_barriers', 'response_time', 'road_frontage']"
    import smartgis.project
    assert not hasattr(smartgis.project, "_local_crs")
