"""Plugins speak Chinese from their own catalogues: every ``_("…")`` template of a shipped
plugin is translated in ``<plugin>/i18n/zh_CN``, the plugin host merges that catalogue
beneath SmartGIS's (never over it), and the plugins' errors show in Chinese."""

from __future__ import annotations

import ast
import json
import string
from pathlib import Path

import pytest

from conftest import REPO
from test_model_translations import shadowed_marker
from smartgis import i18n
from smartgis.i18n import _, localize
from smartgis.plugins import registry as registry_mod

SHIPPED_DIR = REPO / "plugins"
#: Modules a plugin may take the marker ``_`` from.
MARKER_MODULES = ("smartgis.i18n", "smartgis.plugins.api")


# == scanning a plugin's sources ===============================================================
def marker_names(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in MARKER_MODULES:
            names.update(a.asname or "_" for a in node.names if a.name == "_")
    return names


def plugin_templates(folder: Path) -> dict[str, str]:
    """``{template: "file:line"}`` of the ``_("…")`` calls in a plugin's Python files."""
    out = {}
    for f in sorted(folder.rglob("*.py")):
        tree = ast.parse(f.read_text(encoding="utf-8"), filename=str(f))
        names = marker_names(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names
                    and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                out.setdefault(node.args[0].value, f"{f.relative_to(folder.parent)}:{node.lineno}")
    return out


def fields(template: str) -> set[str]:
    return {name for _t, name, _s, _c in string.Formatter().parse(template) if name is not None}


def code_plugins() -> list[Path]:
    return [d for d in sorted(SHIPPED_DIR.iterdir()) if d.is_dir() and any(d.glob("*.py"))]


@pytest.fixture
def fresh_catalogues():
    """Plugin catalogues added by a test are taken back afterwards."""
    before = {lang: list(folders) for lang, folders in i18n._added.items()}
    yield
    for lang, folders in list(i18n._added.items()):
        for folder in list(folders):
            if folder not in before.get(lang, []):
                i18n.remove_catalogue(folder, lang)


# == the shipped plugins' catalogues ===========================================================
def test_scanner_sees_the_marker_from_the_plugin_api(tmp_path):
    (tmp_path / "m.py").write_text("from smartgis.plugins.api import UsageError, _\n"
                                   "def f(x):\n    raise UsageError(_('no {x} here', x=x))\n", encoding="utf-8")
    assert list(plugin_templates(tmp_path)) == ["no {x} here"]


@pytest.mark.parametrize("folder", code_plugins(), ids=lambda d: d.name)
def test_every_plugin_message_is_translated_by_the_plugin_itself(folder):
    found = plugin_templates(folder)
    assert found, f"{folder.name} marks no message with _()"
    cat_dir = folder / "i18n" / "zh_CN"
    assert cat_dir.is_dir(), f"{folder.name} has no catalogue {cat_dir.relative_to(REPO)}"
    cat = i18n.load_catalogue(cat_dir)
    missing = [f"{where} {t!r}" for t, where in found.items() if not cat.get(t)]
    assert not missing, f"{len(missing)} messages of {folder.name} without a Chinese translation:\n" + \
        "\n".join(missing)
    stale = [t for t in cat if t not in found]
    assert not stale, f"translations {folder.name} no longer uses: {stale}"
    bad = [f"{t!r} has {sorted(fields(t))}, the translation {sorted(fields(z))}"
           for t, z in cat.items() if fields(t) != fields(z)]
    assert not bad, "\n".join(bad)


def test_data_only_plugins_need_no_catalogue():
    pole = SHIPPED_DIR / "sz_smart_pole"
    assert not list(pole.rglob("*.py")) and not plugin_templates(pole)


@pytest.mark.parametrize("folder", code_plugins(), ids=lambda d: d.name)
def test_marker_is_never_shadowed_in_plugin_code(folder):
    bad = shadowed_marker(sorted(folder.rglob("*.py")), marker_names, folder.parent)
    assert not bad, "functions assigning _ while calling _(): " + ", ".join(bad)


# == the hook ==================================================================================
def test_a_plugin_catalogue_adds_translations_but_never_overrides_smartgis(tmp_path, fresh_catalogues):
    folder = tmp_path / "i18n" / "zh_CN"
    folder.mkdir(parents=True)
    (folder / "a.json").write_text(json.dumps({
        "no such project file": "假的译文",                       # SmartGIS translates this itself
        "the flood radar {name!r} is offline": "积水雷达“{name}”离线",
    }, ensure_ascii=False), encoding="utf-8")
    (folder / "broken.json").write_text("{not json", encoding="utf-8")   # skipped, nothing else breaks
    msg = _("the flood radar {name!r} is offline", name="R-7")
    assert localize(msg, "zh") == msg == "the flood radar 'R-7' is offline"   # unknown until added
    assert i18n.add_catalogue(folder, "zh_CN") is True
    assert i18n.add_catalogue(folder) is False                               # once only
    assert localize(msg, "zh") == "积水雷达“R-7”离线"
    assert localize("the flood radar 'R-9' is offline", "zh") == "积水雷达“R-9”离线"   # text read back
    assert localize(_("no such project file"), "zh") == "项目文件不存在"
    i18n.reload()                                                            # survives a reload
    assert localize(msg, "zh") == "积水雷达“R-7”离线"
    assert i18n.remove_catalogue(folder) is True
    assert localize(msg, "zh") == "the flood radar 'R-7' is offline"


def test_the_host_merges_the_catalogue_of_an_enabled_plugin_only(tmp_path, monkeypatch, fresh_catalogues):
    extra = tmp_path / "plugins"
    for name in ("acme_on", "acme_off"):
        folder = extra / name
        (folder / "i18n" / "zh_CN").mkdir(parents=True)
        (folder / "plugin.json").write_text(json.dumps({"name": name, "version": "1.0", "plugin_api": 1}))
        (folder / "i18n" / "zh_CN" / "messages.json").write_text(json.dumps(
            {f"{name} says {{n}} sensors are down": f"{name} 报告 {{n}} 个传感器离线"}, ensure_ascii=False),
            encoding="utf-8")
    config = tmp_path / "config"
    config.mkdir()
    (config / "plugins.json").write_text(json.dumps({"disabled": ["acme_off"]}))
    monkeypatch.setenv("SMARTGIS_CONFIG_DIR", str(config))
    monkeypatch.setenv("SMARTGIS_PLUGIN_PATH", str(extra))
    reg = registry_mod.reset_registry()
    try:
        assert {p.name: p.state for p in reg.plugins()}["acme_off"] == "disabled"
        assert localize(_("acme_on says {n} sensors are down", n=3), "zh") == "acme_on 报告 3 个传感器离线"
        off = _("acme_off says {n} sensors are down", n=2)
        assert localize(off, "zh") == str(off)
        reg.set_enabled("acme_off", True)                       # switched on: its catalogue comes with it
        assert localize(off, "zh") == "acme_off 报告 2 个传感器离线"
    finally:
        monkeypatch.undo()
        registry_mod.reset_registry()


# == the shipped plugins' messages in Chinese ==================================================
def test_fiveg_and_webcoords_errors_in_chinese(tmp_path, monkeypatch, fresh_catalogues):
    from smartgis.errors import SourceError, UsageError
    monkeypatch.setenv("SMARTGIS_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("SMARTGIS_PLUGIN_PATH", raising=False)
    reg = registry_mod.reset_registry()
    try:
        model = reg.coverage_models()["radio_5g"].resolve()
        import sys
        coverage = sys.modules[model.__module__]
        with pytest.raises(UsageError) as info:
            coverage.RadioParams(model="okumura").check()
        assert str(info.value) == "unknown path-loss model 'okumura' (use auto, uma, umi, cost231)"
        assert info.value.localized("zh") == "未知的路径损耗模型“okumura”（可用：auto、uma、umi、cost231）"
        importer = next(e for e in reg.importers() if e.plugin.name == "webcoords")
        files = sys.modules[importer.resolve().__module__]
        missing = tmp_path / "高德点位.geojson"
        with pytest.raises(SourceError) as info:
            files.read_file(missing, "gcj02")
        assert str(info.value) == f"{missing}: no such file"
        assert info.value.localized("zh") == f"{missing}: 文件不存在"
        with pytest.raises(UsageError) as info:
            files.read_file(missing, "wgs72")
        assert info.value.localized("zh") == "未知的坐标系“wgs72”（可用：wgs84、cgcs2000、gcj02、bd09）"
    finally:
        registry_mod.reset_registry()


def test_plugin_commands_print_chinese_errors(cli, tmp_path):
    env = {"SMARTGIS_CONFIG_DIR": str(tmp_path / "config"), "SMARTGIS_PLUGIN_PATH": "", "SMARTGIS_LANG": "zh"}
    r = cli("fiveg", "coverage", tmp_path / "p.gpkg", "--update-radius", env=env)
    assert r.returncode == 2
    assert r.stderr.strip() == "smartgis fiveg: error: --update-radius 会修改项目，请加上 --save"
    missing = tmp_path / "missing.json"
    r = cli("webcoords", "convert", missing, tmp_path / "out.geojson", "--from", "gcj02", env=env)
    assert r.returncode == 2
    assert r.stderr.strip() == f"smartgis webcoords: error: {missing}: 文件不存在"
    r = cli("webcoords", "convert", missing, tmp_path / "out.geojson", "--from", "gcj02",
            env={**env, "SMARTGIS_LANG": "en"})
    assert r.stderr.strip() == f"smartgis webcoords: error: {missing}: no such file"
