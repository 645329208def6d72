"""Messages of the model in Chinese: every ``_("…")`` template of the Qt-free packages
has a translation with the same fields, and messages render, match and fall back as
documented in :mod:`smartgis.i18n`."""

from __future__ import annotations

import ast
import json
import os
import pickle
import string
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO
from smartgis import i18n
from smartgis.i18n import _, localize

MESSAGES_DIR = REPO / "resources" / "i18n" / "zh_CN" / "messages"
SCAN_DIRS = [REPO / "smartgis"]


# == scanning the sources ======================================================================
@dataclass(frozen=True)
class Template:
    source: str
    file: str
    line: int


def _marker_names(tree: ast.AST) -> set[str]:
    """Names ``_`` and ``translate`` (a template shown at once in a given language) are
    imported under from :mod:`smartgis.i18n` in a module."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "smartgis.i18n":
            for alias in node.names:
                if alias.name in ("_", "translate"):
                    names.add(alias.asname or alias.name)
    return names


def scan_file(path: Path) -> list[Template]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = _marker_names(tree)
    if path.name == "i18n.py" and path.parent.name == "smartgis":
        return []
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                out.append(Template(arg.value, os.path.relpath(path, REPO), node.lineno))
    return out


def scan(dirs=None) -> list[Template]:
    out = []
    for d in dirs or SCAN_DIRS:
        for f in sorted(Path(d).rglob("*.py")):
            out.extend(scan_file(f))
    return out


def fields(template: str) -> set[str]:
    return {name for _t, name, _s, _c in string.Formatter().parse(template) if name is not None}


# == the catalogue =============================================================================
def test_scanner_finds_marked_templates_only(tmp_path):
    src = tmp_path / "m.py"
    src.write_text("from smartgis.i18n import _\n"
                   "def f(x):\n    a = _('the {n} roads', n=x)\n    b = _(x)\n    return _('done')\n"
                   "gettext = lambda s: s\nc = gettext('not ours')\n", encoding="utf-8")
    assert [t.source for t in scan_file(src)] == ["the {n} roads", "done"]
    plain = tmp_path / "p.py"
    plain.write_text("def _(s):\n    return s\nx = _('another _ function')\n", encoding="utf-8")
    assert scan_file(plain) == []


def test_every_model_message_has_a_chinese_translation():
    found = scan()
    assert len({t.source for t in found}) > 250
    cat = i18n.load_catalogue(MESSAGES_DIR)
    missing = [t for t in found if not cat.get(t.source)]
    listing = "\n".join(f"{t.file}:{t.line} {t.source!r}" for t in missing[:60])
    assert not missing, f"{len(missing)} model messages without a Chinese translation:\n{listing}"


def test_translations_keep_the_fields_of_their_template():
    bad = []
    for path in sorted(MESSAGES_DIR.glob("*.json")):
        for source, text in json.loads(path.read_text(encoding="utf-8")).items():
            try:
                if fields(source) != fields(text):
                    bad.append(f"{path.name}: {source!r} has {sorted(fields(source))}, "
                               f"the translation {sorted(fields(text))}")
            except ValueError as exc:
                bad.append(f"{path.name}: {source!r}: {exc}")
    assert not bad, "\n".join(bad)


def test_catalogue_files_do_not_contradict_each_other():
    seen: dict[str, tuple[str, str]] = {}
    problems = []
    for path in sorted(MESSAGES_DIR.glob("*.json")):
        for source, text in json.loads(path.read_text(encoding="utf-8")).items():
            if source in seen and seen[source][1] != text:
                problems.append(f"{source!r}: {seen[source][0]} {seen[source][1]!r}, {path.name} {text!r}")
            seen.setdefault(source, (path.name, text))
    assert not problems, "\n".join(problems)


def test_no_stale_translations():
    used = {t.source for t in scan()}
    stale = [s for s in i18n.load_catalogue(MESSAGES_DIR) if s not in used]
    assert not stale, f"translations of templates no source uses any more: {stale[:20]}"


def shadowed_marker(files, markers, root: Path) -> list[str]:
    """``file:line`` of functions that assign ``_`` and also call ``_("…")``.

    ``markers(tree)`` gives the names the marker is imported under in a module.
    """
    bad = []
    for f in files:
        tree = ast.parse(f.read_text(encoding="utf-8"))
        if "_" not in markers(tree):
            continue
        for fn in ast.walk(tree):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue
            calls = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_"
                        for n in ast.walk(fn))
            binds = any(isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store)
                        for n in ast.walk(fn))
            if calls and binds:
                bad.append(f"{f.relative_to(root)}:{fn.lineno}")
    return bad


def test_marker_is_never_shadowed_where_it_is_called():
    """``d, _ = tree.query(...)`` in a function that also calls ``_("…")`` breaks it."""
    bad = shadowed_marker(sorted((REPO / "smartgis").rglob("*.py")), _marker_names, REPO)
    assert not bad, "functions assigning _ while calling _(): " + ", ".join(bad)


# == messages ==================================================================================
def test_a_message_is_its_english_text_and_renders_in_chinese():
    m = _("no population layer (set a layer's role to {role})", role=_("population"))
    assert m == "no population layer (set a layer's role to population)"
    assert json.dumps({"reason": m}) == '{"reason": "no population layer (set a layer\'s role to population)"}'
    assert localize(m) == str(m)                       # English until a language is chosen
    assert localize(m, "zh") == "没有人口图层（请将一个图层的用途设为“人口”）"
    i18n.set_language("zh")
    assert localize(m) == "没有人口图层（请将一个图层的用途设为“人口”）"
    assert str(m).startswith("no population layer")    # str() stays English for scripts
    again = pickle.loads(pickle.dumps(m))
    assert again == m and localize(again) == localize(m)


def test_translations_drop_repr_quotes_and_keep_values():
    m = _("population layer {layer!r} has no field {field!r}", layer="Pop 2020", field="POP")
    assert m == "population layer 'Pop 2020' has no field 'POP'"
    assert localize(m, "zh") == "人口图层“Pop 2020”没有字段“POP”"


def test_text_read_back_from_a_file_is_matched_against_the_templates():
    """A check run stored in a project keeps its reasons as plain English text."""
    import smartgis.analysis.context  # noqa: F401 - its templates are in the catalogue anyway
    stored = ("the required count cannot be worked out: no population layer (set a layer's role to population): "
              "the requirement by population is not applied; study area 12.0 km² → at least 3")
    assert localize(stored, "zh") == ("无法确定应设数量：没有人口图层（请将一个图层的用途设为“人口”）：未按人口规模确定要求；"
                                      "研究范围 12.0 km² → 至少 3 个")
    # an error that went through str(): the file name stays, the problem is translated
    assert localize("/data/城区.gpkg: no such project file", "zh") == "/data/城区.gpkg: 项目文件不存在"
    assert localize("something SmartGIS never says", "zh") == "something SmartGIS never says"
    i18n.add_terms({"Camera": "摄像机"})
    assert localize("the design has no Camera (camera)", "zh") == "设计方案中没有摄像机（camera）"


def test_errors_stay_english_and_localize_on_request(tmp_path):
    from smartgis.errors import ProjectFileError
    from smartgis.project.store import open_project
    missing = tmp_path / "规划.gpkg"
    with pytest.raises(ProjectFileError) as info:
        open_project(missing)
    exc = info.value
    assert str(exc) == f"{missing}: no such project file"
    assert exc.localized("zh") == f"{missing}: 项目文件不存在"
    assert localize(exc.localizable(), "zh") == exc.localized("zh")
    assert localize(exc, "en") == str(exc)


def test_crs_errors_and_guesses_in_chinese():
    from smartgis.crs import parse_crs, require_projected_metres, suggest_crs
    from smartgis.errors import CRSError
    with pytest.raises(CRSError) as info:
        parse_crs("EPSG:999999")
    assert localize(info.value, "zh").startswith("未知的坐标参照系 'EPSG:999999'")
    with pytest.raises(CRSError) as info:
        require_projected_metres("EPSG:4490")
    assert "不是投影坐标系" in info.value.localized("zh")
    code, why = suggest_crs((38_500_000, 3_400_000, 38_520_000, 3_420_000))
    assert code == "EPSG:4526"
    assert localize(why, "zh").startswith("东坐标以带号 38 开头：3度带高斯-克吕格投影第 38 带，中央经线 114°E")


def test_import_report_lines_are_english_for_the_cli_and_chinese_in_the_window(shared_data, tmp_path):
    from smartgis.core import Project
    from smartgis.io import import_source
    p = Project("深圳", "EPSG:4547")
    rep = import_source(p, shared_data / "shenzhen-buildings" / "building.shp", crs="EPSG:4547")
    lines = rep.lines()
    assert any(line.startswith("added layer 'building' (350 features") for line in lines)
    zh = [localize(line, "zh") for line in lines]
    assert any(line.startswith("已添加图层“building”（350 个要素") for line in zh)
    assert any("字符编码：" in line for line in zh)
    assert json.loads(json.dumps(rep.to_dict()))["layers_added"] == 1


def test_missing_crs_error_names_the_likely_crs_in_chinese(shared_data):
    from smartgis.core import Project
    from smartgis.errors import CRSError
    from smartgis.io import import_source
    with pytest.raises(CRSError) as info:
        import_source(Project("深圳", "EPSG:4547"), shared_data / "shenzhen-buildings" / "building.shp")
    assert "has no coordinate reference system (no .prj); give one with --crs" in str(info.value)
    zh = info.value.localized("zh")
    assert "没有坐标参照系（没有 .prj 文件），请在导入对话框中选择或用 --crs 指定" in zh
    assert "城市独立坐标系" in zh


def test_check_reasons_in_the_html_report_follow_its_language(shared_data, tmp_path):
    from check_helpers import prague_project
    from smartgis.analysis.check import run_check
    from smartgis.analysis.report_html import write_html
    p = prague_project(shared_data, with_population=False)
    result = run_check(p, chart=False)
    na = [r for r in result.rules if r.status == "na" and "no population layer" in r.reason]
    assert na, "the check should say which rules need a population layer"
    zh = write_html(result, p, tmp_path / "zh.html", lang="zh").read_text(encoding="utf-8")
    en = write_html(result, p, tmp_path / "en.html", lang="en").read_text(encoding="utf-8")
    assert "没有人口图层（请将一个图层的用途设为“人口”）" in zh and "no population layer" not in zh
    assert "no population layer (set a layer&#x27;s role to population)" in en


def test_cli_errors_follow_smartgis_lang(cli, tmp_path):
    missing = tmp_path / "none.gpkg"
    en = cli("info", missing)
    assert en.returncode == 2 and en.stderr.strip() == f"smartgis info: error: {missing}: no such project file"
    zh = cli("info", missing, env={"SMARTGIS_LANG": "zh_CN.UTF-8"})
    assert zh.returncode == 2 and zh.stderr.strip() == f"smartgis info: error: {missing}: 项目文件不存在"


def test_messages_load_without_qt():
    import subprocess
    import sys
    code = ("import sys; from smartgis.i18n import localize; import smartgis.analysis.check, smartgis.io; "
            "print(localize('no such project file', 'zh')); "
            "print('QT' if any(m.startswith('PySide6') for m in sys.modules) else 'NOQT')")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["项目文件不存在", "NOQT"]


def test_check_table_reasons_are_english_unless_a_language_is_asked_for(cli, tmp_path):
    sample = REPO / "sample_projects" / "longquan_lake.gpkg"
    if not sample.exists():
        pytest.skip("the sample project is missing (python tools/build_samples.py)")
    en = cli("check", sample, "--no-save", "--rule", "CJJ27/refuse_radius")
    assert "no Refuse collection point in the design" in en.stdout
    zh = cli("check", sample, "--no-save", "--rule", "CJJ27/refuse_radius", "--lang", "zh")
    assert "设计方案中没有生活垃圾收集点" in zh.stdout
    assert en.returncode == zh.returncode
