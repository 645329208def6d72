"""The command line in Chinese: with ``SMARTGIS_LANG=zh`` errors, warnings and result lines
are Chinese, one line, same exit codes; without it they stay exactly as scripts know them;
``--json`` stays English either way."""

from __future__ import annotations

import json

import pytest

ZH = {"SMARTGIS_LANG": "zh"}


@pytest.fixture
def plugin_env(tmp_path):
    """Environment variables for a clean plugin configuration with an extra plugin folder."""
    extra = tmp_path / "extra_plugins"
    extra.mkdir()
    return {"SMARTGIS_CONFIG_DIR": str(tmp_path / "config"), "SMARTGIS_PLUGIN_PATH": str(extra)}, extra


def test_render_bad_extent_in_chinese_and_english(cli, tmp_path):
    args = ("render", tmp_path / "p.gpkg", "-o", tmp_path / "map.png", "--extent", "1,2,3")
    zh = cli(*args, env=ZH)
    assert zh.returncode == 2
    assert zh.stderr.strip() == "smartgis render: error: --extent '1,2,3'：请按项目坐标系给出四个数 xmin,ymin,xmax,ymax"
    en = cli(*args)
    assert en.returncode == 2
    assert en.stderr.strip() == ("smartgis render: error: --extent '1,2,3': give four numbers xmin,ymin,xmax,ymax "
                                 "in the project CRS")
    zh = cli("render", tmp_path / "p.gpkg", "-o", tmp_path / "map.bmpx", env=ZH)
    assert zh.returncode == 2 and len(zh.stderr.splitlines()) == 1
    assert zh.stderr.strip().endswith("map.bmpx: 未知的输出类型 .bmpx；请使用 .png、.jpg、.tif 或 .pdf")


def test_enabling_an_unknown_plugin_in_chinese(cli, plugin_env):
    env, _extra = plugin_env
    r = cli("plugins", "enable", "no_such_plugin", env={**env, **ZH})
    assert r.returncode == 2
    line = r.stderr.strip()
    assert len(r.stderr.splitlines()) == 1
    assert line.startswith("smartgis plugins: error: 没有名为“no_such_plugin”的插件（现有插件：")
    assert "fiveg、" in line and "webcoords" in line
    r = cli("plugins", "enable", "no_such_plugin", env=env)
    assert r.returncode == 2 and "no plugin named 'no_such_plugin' (plugins: " in r.stderr
    r = cli("plugins", "disable", "fiveg", env={**env, **ZH})
    assert r.returncode == 0 and r.stdout.strip() == "插件“fiveg”已停用"


def test_a_broken_manifest_names_the_plugin_and_its_file_in_chinese(cli, plugin_env):
    env, extra = plugin_env
    folder = extra / "acme_flood"
    folder.mkdir()
    manifest = folder / "plugin.json"
    manifest.write_text(json.dumps({"name": "acme_flood", "version": "0.1", "plugin_api": 1,
                                    "contributes": {"spells": []}}), encoding="utf-8")
    r = cli("plugins", "list", env={**env, **ZH})
    assert r.returncode == 0
    warnings = r.stderr.strip().splitlines()
    assert len(warnings) == 1, r.stderr
    assert warnings[0].startswith("smartgis: warning: 插件“acme_flood”无法使用：")
    assert f"{manifest}: 插件“acme_flood”的清单无效：未知的提供内容类型 spells（可用：catalogs、" in warnings[0]
    assert any(line.strip().startswith("问题：") and "acme_flood" in line for line in r.stdout.splitlines())
    # English for scripts, the same facts
    r = cli("plugins", "list", env=env)
    assert (f"smartgis: warning: plugin 'acme_flood' cannot be used: {manifest}: invalid manifest of plugin "
            "'acme_flood': unknown contribution kind(s) spells (known: catalogs, ") in r.stderr
    # --json stays English whatever the language
    listed = json.loads(cli("plugins", "list", "--json", env={**env, **ZH}).stdout)
    problem = {p["name"]: p for p in listed["plugins"]}["acme_flood"]["problem"]
    assert problem.startswith(f"{manifest}: invalid manifest of plugin 'acme_flood'")


def test_a_broken_manifest_in_the_plugin_manager_and_the_window(tmp_path):
    """What the window shows (``error.localized()``) names the plugin and the file too."""
    from smartgis.errors import PluginError
    from smartgis.plugins.manifest import read_manifest
    folder = tmp_path / "水位计"
    folder.mkdir()
    bad = folder / "plugin.json"
    bad.write_text("{\"name\": ", encoding="utf-8")
    with pytest.raises(PluginError) as info:
        read_manifest(bad)
    assert str(info.value).startswith(f"{bad}: the manifest of plugin '水位计' is not valid JSON (")
    assert info.value.localized("zh").startswith(f"{bad}: 插件“水位计”的清单不是有效的 JSON（")
    bad.write_text(json.dumps({"name": "gauge", "version": "1", "plugin_api": 1, "min_smartgis": "soon"}))
    with pytest.raises(PluginError) as info:
        read_manifest(bad)
    assert info.value.localized("zh") == f"{bad}: 插件“水位计”的清单无效：不是版本号：“soon”"


def test_results_and_usage_errors_in_chinese(cli, tmp_path):
    project = tmp_path / "新区.gpkg"
    r = cli("new", project, "--crs", "EPSG:4547", env=ZH)
    assert r.returncode == 0 and r.stdout.strip() == f"已创建 {project}（新区，EPSG:4547）"
    r = cli("new", project, "--crs", "EPSG:4547", env=ZH)
    assert r.returncode == 2 and r.stderr.strip() == f"smartgis new: error: {project}: 已存在（如要替换请加 --force）"
    r = cli("place", project, "--type", "camera", "--at", "5216,x", env=ZH)
    assert r.returncode == 2
    assert r.stderr.strip() == ("smartgis place: error: --at '5216,x'：请按项目坐标系写成 X,Y，"
                                "例如 --at 521600,3382000")
