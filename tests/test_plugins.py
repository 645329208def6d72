"""Plugins: discovery, manifests, lazy loading, enable/disable, isolation and safety."""

from __future__ import annotations

import json
import os
import sys
import textwrap
from pathlib import Path

import pytest

from smartgis.project import open_project
from smartgis.errors import PluginError
from smartgis.plugins import registry as registry_mod
from smartgis.plugins.discovery import discover
from smartgis.plugins.manifest import read_manifest

SHIPPED = {"webcoords", "fiveg", "sz_smart_pole"}


@pytest.fixture
def plugin_env(tmp_path, monkeypatch):
    """An empty user configuration and a plugin folder on SMARTGIS_PLUGIN_PATH."""
    config = tmp_path / "config"
    extra = tmp_path / "extra_plugins"
    extra.mkdir()
    monkeypatch.setenv("SMARTGIS_CONFIG_DIR", str(config))
    monkeypatch.setenv("SMARTGIS_PLUGIN_PATH", str(extra))
    messages = []
    reg = registry_mod.reset_registry()
    reg.warn = lambda name, msg: messages.append(msg)
    before = set(sys.modules)
    yield {"config": config, "extra": extra, "messages": messages, "env": {
        "SMARTGIS_CONFIG_DIR": str(config), "SMARTGIS_PLUGIN_PATH": str(extra)}}
    for name in set(sys.modules) - before:
        if name.startswith("smartgis_plugins.") and not name.split(".")[1] in SHIPPED:
            sys.modules.pop(name, None)
    monkeypatch.undo()
    registry_mod.reset_registry().warn = registry_mod._default_warning


def make_plugin(root: Path, folder_name: str, contributes: dict | None = None, files: dict | None = None,
                **manifest):
    """Write a plugin folder: plugin.json plus the given files (name -> text)."""
    name = folder_name
    folder = root / folder_name
    folder.mkdir(parents=True, exist_ok=True)
    data = {"name": name, "version": "0.3.1", "plugin_api": 1, "min_smartgis": "0.1",
            "title": {"zh": f"测试{name}", "en": f"Test {name}"}, "description": "test plugin",
            "contributes": contributes or {}}
    data.update(manifest)
    (folder / "plugin.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    for rel, text in (files or {}).items():
        p = folder / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


CATALOG = json.dumps({"format": "smartgis-catalog", "version": 1, "types": [
    {"id": "acme_flood_radar", "category": "sensor", "geometry": "Point", "name": {"zh": "积水雷达", "en": "Flood radar"},
     "attributes": [{"name": "radius_m", "type": "float", "default": 250.0}],
     "coverage": {"model": "circle", "radius": 250, "fields": {"radius": "radius_m"}}}]})


# -- discovery and manifests ----------------------------------------------------------------
def test_shipped_plugins_are_found_with_valid_manifests(plugin_env):
    found = {f.name: f for f in discover()}
    assert SHIPPED <= set(found)
    for name in SHIPPED:
        assert found[name].error is None, found[name].error
        assert found[name].source == "shipped"
        m = found[name].manifest
        assert m.plugin_api == 1 and m.title["zh"] and m.description["en"]
    assert found["fiveg"].manifest.summary()["coverage_models"] == 1
    assert found["sz_smart_pole"].manifest.files["standards"][0].is_file()


def test_plugin_path_user_folder_precedence_and_shadowing(plugin_env):
    make_plugin(plugin_env["extra"], "webcoords", version="9.0.0")       # shadows the shipped one
    user_dir = plugin_env["config"] / "plugins"
    make_plugin(user_dir, "user_tool")
    found = {f.name: f for f in discover()}
    assert found["webcoords"].source == "path" and found["webcoords"].manifest.version == "9.0.0"
    assert len(found["webcoords"].shadowed) == 1 and found["webcoords"].shadowed[0].name == "webcoords"
    assert found["user_tool"].source == "user"
    # a single plugin folder can be put on the path directly, too
    direct = make_plugin(plugin_env["extra"].parent / "direct", "direct_one")
    os.environ["SMARTGIS_PLUGIN_PATH"] = os.pathsep.join([str(plugin_env["extra"]), str(direct)])
    assert "direct_one" in {f.name for f in discover()}


def test_entry_point_plugin(plugin_env, tmp_path, monkeypatch):
    site = tmp_path / "site"
    pkg = site / "acme_sensors"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("raise RuntimeError('imported too early')\n")
    (pkg / "catalog.json").write_text(CATALOG, encoding="utf-8")
    (pkg / "plugin.json").write_text(json.dumps({"name": "acme_sensors", "version": "2.0", "plugin_api": 1,
                                                 "contributes": {"catalogs": ["catalog.json"]}}))
    dist = site / "acme_sensors-2.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-sensors\nVersion: 2.0\n")
    (dist / "entry_points.txt").write_text("[smartgis.plugins]\nacme_sensors = acme_sensors\n")
    monkeypatch.syspath_prepend(str(site))
    reg = registry_mod.reset_registry()
    p = reg.get("acme_sensors")
    assert p.found.source == "entry_point" and p.state == "enabled"
    from smartgis.core import Project
    project = Project("入口点", "EPSG:4547")
    assert project.catalog.get("acme_flood_radar").origin == "plugin:acme_sensors"
    assert "acme_sensors" not in sys.modules  # data contributions import no code


@pytest.mark.parametrize("manifest, problem", [
    ({"name": "Bad Name"}, "'name'"),
    ({"plugin_api": None}, "plugin_api"),
    ({"contributes": {"spells": []}}, "unknown contribution kind"),
    ({"contributes": {"standards": ["../../outside.json"]}}, "outside the plugin folder"),
    ({"contributes": {"importers": [{"id": "x", "entry": "no colon"}]}}, "module:attribute"),
])
def test_invalid_manifest_is_reported_not_fatal(plugin_env, manifest, problem):
    folder = make_plugin(plugin_env["extra"], "broken_manifest", **manifest)
    reg = registry_mod.registry()
    p = reg.get("broken_manifest")
    assert p.state == "invalid"
    assert problem in p.problem and str(folder / "plugin.json") in p.problem
    assert any("broken_manifest" in m for m in plugin_env["messages"])
    assert {"webcoords", "fiveg"} <= {q.name for q in reg.active()}


def test_manifest_in_pyproject(plugin_env):
    folder = plugin_env["extra"] / "tomlplug"
    folder.mkdir()
    (folder / "pyproject.toml").write_text(textwrap.dedent("""
        [project]
        name = "tomlplug"
        version = "1.2.0"
        [tool.smartgis-plugin]
        plugin_api = 1
        min_smartgis = "0.1"
        title = {zh = "TOML 插件", en = "TOML plugin"}
        [[tool.smartgis-plugin.contributes.metrics]]
        id = "answer"
        entry = "metrics:answer"
        """), encoding="utf-8")
    (folder / "metrics.py").write_text("def answer(project=None):\n    return 42\n")
    m = read_manifest(folder / "pyproject.toml")
    assert (m.name, m.version, m.title["zh"]) == ("tomlplug", "1.2.0", "TOML 插件")
    assert registry_mod.metrics()["answer"]() == 42


def test_incompatible_plugins_are_not_loaded(plugin_env):
    make_plugin(plugin_env["extra"], "future_api", plugin_api=99)
    make_plugin(plugin_env["extra"], "future_app", min_smartgis="99.0")
    reg = registry_mod.registry()
    assert reg.get("future_api").state == "incompatible" and "plugin API 99" in reg.get("future_api").problem
    assert reg.get("future_app").state == "incompatible" and "99.0" in reg.get("future_app").problem
    assert {"future_api", "future_app"}.isdisjoint(p.name for p in reg.active())


# -- lazy loading and contributions ------------------------------------------------------------
def test_code_is_imported_only_when_a_contribution_is_used(plugin_env):
    make_plugin(plugin_env["extra"], "lazy_one",
                contributes={"catalogs": ["types.json"], "metrics": [{"id": "count_layers", "entry": "m:count"}],
                             "cli_commands": [{"name": "lazy-one", "entry": "m:register", "help": "x"}]},
                files={"types.json": CATALOG, "m.py": """
                    LOADED = True
                    def count(project):
                        return len(project.layers)
                    def register(sub):
                        p = sub.add_parser("lazy-one")
                        p.set_defaults(func=lambda args: 0)
                    """})
    from smartgis.cli import build_parser
    from smartgis.core import Project
    build_parser()                                   # registers the command from the manifest
    project = Project("懒加载", "EPSG:4547")         # adds the element types from the data file
    assert "acme_flood_radar" in project.catalog
    assert not any(m.startswith("smartgis_plugins.lazy_one") for m in sys.modules)
    assert registry_mod.metrics()["count_layers"](project) == 0
    assert "smartgis_plugins.lazy_one.m" in sys.modules
    assert registry_mod.registry().get("lazy_one").loaded


def test_plugin_element_types_survive_without_the_plugin(plugin_env, tmp_path):
    make_plugin(plugin_env["extra"], "radar", contributes={"catalogs": ["types.json"]}, files={"types.json": CATALOG})
    from smartgis.core import Project
    project = Project("雷达", "EPSG:4547")
    uid = project.design.add("acme_flood_radar", (521600, 3382000), radius_m=300)
    path = project.save(tmp_path / "radar.gpkg")
    registry_mod.registry().set_enabled("radar", False)
    reopened = open_project(path)
    t = reopened.catalog.get("acme_flood_radar")
    assert t.origin == "snapshot"             # kept from the file, usable without the plugin
    assert reopened.design.element(uid).attributes["radius_m"] == 300
    registry_mod.registry().set_enabled("radar", True)
    assert open_project(path).catalog.get("acme_flood_radar").origin == "plugin:radar"


def test_plugin_cannot_replace_builtin_types(plugin_env):
    cat = json.dumps({"types": [{"id": "camera", "category": "sensor", "geometry": "Point", "name": "假摄像机"}]})
    make_plugin(plugin_env["extra"], "hijack", contributes={"catalogs": ["c.json"]}, files={"c.json": cat})
    from smartgis.core import Project
    assert Project("x", "EPSG:4547").catalog.get("camera").origin == "builtin"
    assert any("hijack" in m and "camera" in m for m in plugin_env["messages"])


# -- enable / disable -------------------------------------------------------------------------
def test_enable_disable_round_trip_cli(plugin_env, cli, tmp_path):
    env = plugin_env["env"]
    r = cli("plugins", "disable", "webcoords", env=env)
    assert r.returncode == 0, r.stderr
    state = json.loads((plugin_env["config"] / "plugins.json").read_text())
    assert state["disabled"] == ["webcoords"]
    listed = json.loads(cli("plugins", "list", "--json", env=env).stdout)
    by_name = {p["name"]: p for p in listed["plugins"]}
    assert by_name["webcoords"]["state"] == "disabled" and by_name["fiveg"]["state"] == "enabled"
    r = cli("webcoords", "point", "116.404", "39.915", "--from", "gcj02", env=env)
    assert r.returncode == 2 and "invalid choice: 'webcoords'" in r.stderr
    assert cli("plugins", "enable", "webcoords", env=env).returncode == 0
    r = cli("webcoords", "point", "116.404", "39.915", "--from", "gcj02", "--json", env=env)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["output"][0] == pytest.approx(116.397755754, abs=1e-8)
    assert json.loads((plugin_env["config"] / "plugins.json").read_text()) == {"enabled": ["webcoords"],
                                                                             "disabled": []}
    r = cli("plugins", "enable", "no_such_plugin", env=env)
    assert r.returncode == 2 and "no plugin named 'no_such_plugin'" in r.stderr


def test_plugins_list_text(plugin_env, cli):
    make_plugin(plugin_env["extra"], "zz_bad", plugin_api=7)
    r = cli("plugins", "list", env=plugin_env["env"])
    assert r.returncode == 0
    assert "webcoords" in r.stdout and "incompatible" in r.stdout and "plugin API 7" in r.stdout


# -- isolation --------------------------------------------------------------------------------
BROKEN_IMPORT = {"m.py": "import a_module_that_does_not_exist\n"}


def test_plugin_failing_to_import_is_disabled_for_the_session(plugin_env):
    make_plugin(plugin_env["extra"], "broken_import", contributes={"metrics": [{"id": "b", "entry": "m:f"}]},
                files=BROKEN_IMPORT)
    reg = registry_mod.registry()
    with pytest.raises(PluginError, match="plugin 'broken_import' failed.*ModuleNotFoundError"):
        reg.metrics()["b"]()
    p = reg.get("broken_import")
    assert p.state == "failed" and "a_module_that_does_not_exist" in p.problem
    assert "b" not in reg.metrics()                                   # gone for the session
    assert not any(m.startswith("smartgis_plugins.broken_import") for m in sys.modules)
    assert len([m for m in plugin_env["messages"] if "broken_import" in m]) == 1  # said once
    assert {"webcoords", "fiveg"} <= {q.name for q in reg.active()}
    # switching it on again gives it another chance (and it fails again, cleanly)
    reg.set_enabled("broken_import", True)
    assert reg.get("broken_import").state == "enabled"


def test_exception_in_a_hook_disables_only_that_plugin(plugin_env):
    make_plugin(plugin_env["extra"], "bad_hook", contributes={"element_types": "hook:types"},
                files={"hook.py": "def types():\n    raise ZeroDivisionError('oops')\n"})
    make_plugin(plugin_env["extra"], "good_types", contributes={"catalogs": ["t.json"]}, files={"t.json": CATALOG})
    from smartgis.core import Project
    project = Project("隔离", "EPSG:4547")                      # still made
    assert "acme_flood_radar" in project.catalog               # the good plugin still contributes
    p = registry_mod.registry().get("bad_hook")
    assert p.state == "failed" and "ZeroDivisionError: oops" in p.problem
    assert any(m.startswith("plugin 'bad_hook' failed") for m in plugin_env["messages"])


def test_user_errors_from_plugins_pass_through_and_keep_it_enabled(plugin_env):
    make_plugin(plugin_env["extra"], "strict", contributes={"metrics": [{"id": "s", "entry": "m:f"}]},
                files={"m.py": "from smartgis.plugins.api import UsageError\n"
                               "def f():\n    raise UsageError('give a study area')\n"})
    from smartgis.errors import UsageError
    with pytest.raises(UsageError, match="give a study area"):
        registry_mod.metrics()["s"]()
    assert registry_mod.registry().get("strict").state == "enabled"


def test_broken_plugins_from_the_cli(plugin_env, cli, tmp_path):
    make_plugin(plugin_env["extra"], "broken_cli", contributes={
        "cli_commands": [{"name": "broken-cli", "entry": "m:register", "help": "broken"}]}, files=BROKEN_IMPORT)
    make_plugin(plugin_env["extra"], "raising_cli", contributes={
        "cli_commands": [{"name": "raising-cli", "entry": "m:register", "help": "raises"}]},
        files={"m.py": """
            def register(sub):
                p = sub.add_parser("raising-cli")
                p.set_defaults(func=run)
            def run(args):
                return {}["missing"]
            """})
    make_plugin(plugin_env["extra"], "bad_types", contributes={"element_types": "m:types"}, files=BROKEN_IMPORT)
    env = plugin_env["env"]
    project = tmp_path / "p.gpkg"
    r = cli("new", project, "--crs", "EPSG:4547", env=env)        # builds the catalog: bad_types fails
    assert r.returncode == 0 and project.exists()
    warnings = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(warnings) == 1 and "bad_types" in warnings[0] and warnings[0].startswith("smartgis: warning:")
    r = cli("info", project, "--json", env=env)
    assert r.returncode == 0 and json.loads(r.stdout)["name"] == "p"
    r = cli("broken-cli", "x", env=env)
    assert r.returncode == 2          # a broken plugin is no failed check (exit 1)
    assert "plugin 'broken_cli' failed" in r.stderr and "Traceback" not in r.stderr
    r = cli("raising-cli", env=env)
    assert r.returncode == 2
    assert "plugin 'raising_cli' failed" in r.stderr and "KeyError" in r.stderr and "Traceback" not in r.stderr
    r = cli("plugins", "list", "--json", env=env)                   # the others keep working
    assert r.returncode == 0 and {"webcoords", "fiveg"} <= {p["name"] for p in json.loads(r.stdout)["plugins"]}


# -- safety -----------------------------------------------------------------------------------
def test_project_files_never_carry_or_run_code(plugin_env, tmp_path, cli):
    """A project with code-like tables and a plugin folder beside it: nothing of it runs."""
    import sqlite3
    from smartgis.core import Project
    folder = tmp_path / "received"
    folder.mkdir()
    sentinel = tmp_path / "PWNED"
    payload = f"__import__('pathlib').Path({str(sentinel)!r}).write_text('x')"
    project = Project("来件", "EPSG:4547")
    project.design.add("camera", (521600, 3382000))
    path = project.save(folder / "received.gpkg")
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("CREATE TABLE smartgis_plugins (name TEXT, code TEXT)")
        conn.execute("INSERT INTO smartgis_plugins VALUES ('evil', ?)", (payload,))
        conn.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier) "
                     "VALUES ('smartgis_plugins', 'attributes', 'smartgis_plugins')")
        conn.execute("UPDATE smartgis_catalog SET definition = json_set(definition, '$.entry', ?)", (payload,))
    conn.close()
    # a plugin folder and modules a careless loader might pick up from beside the project
    make_plugin(folder, "evil", contributes={"metrics": [{"id": "e", "entry": "m:f"}]},
                files={"m.py": payload + "\n", "__init__.py": payload + "\n"})
    for name in ("sitecustomize.py", "smartgis_plugins.py", "webcoords.py"):
        (folder / name).write_text(payload + "\n")
    (folder / "plugin.json").write_text(json.dumps({"name": "evil2", "plugin_api": 1, "version": "1"}))

    opened = open_project(path)
    assert opened.design.counts() == {"camera": 1}
    reg = registry_mod.reset_registry()
    assert "evil" not in {p.name for p in reg.plugins()} and "evil2" not in {p.name for p in reg.plugins()}
    assert str(folder) not in sys.path
    for cmd in (["info", path], ["plugins", "list", "--json"], ["webcoords", "point", "1", "2", "--from", "gcj02"]):
        r = cli(*cmd, cwd=folder, env=plugin_env["env"])
        assert r.returncode == 0, r.stderr
        assert "evil" not in r.stdout
    assert not sentinel.exists()
    assert not any(m.startswith(("smartgis_plugins.evil", "sitecustomize")) and "received" in str(
        getattr(sys.modules[m], "__file__", "")) for m in list(sys.modules))
