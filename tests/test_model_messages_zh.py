"""Errors a Chinese engineer can run into — a bad catalog or standards file, a wrong
attribute-table filter, a mistyped element type — read in Chinese, name the file or
field at fault, and keep their English text for scripts."""

from __future__ import annotations

import json

import pytest
import shapely

from check_helpers import read_layer
from smartgis.analysis.standards import Library, load_standard_file
from smartgis.core import Project
from smartgis.errors import CatalogError, SourceError, StandardsError, UsageError
from smartgis.i18n import localize
from smartgis.ui.table_query import ExpressionError, evaluate


def _json_error(text: str) -> json.JSONDecodeError:
    with pytest.raises(json.JSONDecodeError) as info:
        json.loads(text)
    return info.value


# == element catalog files ================================================================
def test_a_bad_user_catalog_file_is_explained_in_chinese(tmp_path):
    p = Project("龙泉湖", "EPSG:4547")
    path = tmp_path / "城市家具.json"
    path.write_text(json.dumps({"types": [{"id": "bench", "name": {"zh": "座椅", "en": "Bench"},
                                           "category": "furniture", "geometry": "Point"}]}, ensure_ascii=False),
                    encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        p.design.import_catalog(path)
    exc = info.value
    assert str(exc) == f"{path}: element type 'bench': category 'furniture' is not one of sensor, network, facility"
    assert localize(exc, "zh") == f"{path}: 元素类型 'bench'：类别 'furniture' 无效，应为以下之一：sensor, network, facility"
    assert "bench" not in p.catalog


def test_a_catalog_file_with_a_json_mistake_says_where_in_chinese(tmp_path):
    path = tmp_path / "types.json"
    text = '{"types": [{"id": "bench",}]}'
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        Project("x", "EPSG:4547").design.import_catalog(path)
    # the English text is Python's own explanation, as before
    assert str(info.value) == f"{path}: not a valid catalog file: {_json_error(text)}"
    assert info.value.localized("zh") == (f"{path}: 不是有效的元素库文件：第 1 行第 27 列（字符位置 26）："
                                          "此处应为双引号括起的属性名，或是多了一个逗号")


def test_a_catalog_file_that_is_not_utf8_or_not_a_file(tmp_path):
    gbk = tmp_path / "gbk.json"
    gbk.write_bytes('{"types": [{"id": "bench", "name": "座椅"}]}'.encode("gbk"))
    with pytest.raises(CatalogError) as info:
        Project("x", "EPSG:4547").design.import_catalog(gbk)
    assert localize(info.value, "zh") == f"{gbk}: 不是有效的元素库文件：文件不是 UTF-8 文本（请另存为 UTF-8 编码）"
    with pytest.raises(CatalogError) as info:
        Project("x", "EPSG:4547").design.import_catalog(tmp_path)
    assert str(info.value) == f"{tmp_path}: is a folder, not a catalog file"
    assert localize(info.value, "zh") == f"{tmp_path}: 是文件夹，不是元素库文件"


# == standards files ======================================================================
BAD_STANDARDS = [
    ('{"id": "SZ-LOCAL", "rules": [{"id": "cam", "metric": "coverrage", "threshold": 0.9}]}',
     "rule SZ-LOCAL/cam: unknown metric 'coverrage' (metrics: ",
     "条款 SZ-LOCAL/cam：未知的计算指标 'coverrage'（可用："),
    ('{"id": "SZ-LOCAL", "rules": [{"id": "cam", "metric": "count", "threshold": "九成"}]}',
     "rule SZ-LOCAL/cam: threshold '九成' is not a number",
     "条款 SZ-LOCAL/cam：限值 '九成' 不是数字"),
    ('{"id": "SZ-LOCAL", "rules": [{"id": "cam", "metric": "count", "title": 5}]}',
     'rule SZ-LOCAL/cam: title must be a text or {"zh": ..., "en": ...}',
     '条款 SZ-LOCAL/cam：title 应为文本或 {"zh": ..., "en": ...}'),
    ('{"id": "SZ-LOCAL", "year": "二〇二三", "rules": [{"id": "cam", "metric": "count"}]}',
     "standard SZ-LOCAL: year '二〇二三' is not a number",
     "标准 SZ-LOCAL：年份 '二〇二三' 不是数字"),
    ('{"id": "SZ-LOCAL", "rules": []}',
     "standard SZ-LOCAL: 'rules' must be a non-empty list",
     "标准 SZ-LOCAL：'rules' 应为非空列表"),
    ('{"id": "SZ-LOCAL", "rules": [{"id": "cam", "metric": "count"},]}',
     "is not valid JSON (line 1, column 63: Expecting value)",
     "不是有效的 JSON（第 1 行第 63 列：此处缺少值，或是多了一个逗号）"),
]


@pytest.mark.parametrize("text, english, chinese", BAD_STANDARDS)
def test_a_bad_standards_file_is_explained_in_chinese(tmp_path, text, english, chinese):
    path = tmp_path / "深圳地方标准.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StandardsError) as info:
        Library.load([path], builtin=False, plugins=False)
    assert str(info.value).startswith(f"{path}: {english}")
    assert localize(info.value, "zh").startswith(f"{path}: {chinese}")


def test_standards_files_that_cannot_be_read(tmp_path):
    missing = tmp_path / "none.json"
    with pytest.raises(StandardsError) as info:
        load_standard_file(missing)
    assert localize(info.value, "zh") == f"{missing}: 找不到标准文件"
    gbk = tmp_path / "gbk.json"
    gbk.write_bytes('{"id": "SZ", "title": "深圳"}'.encode("gbk"))
    with pytest.raises(StandardsError) as info:
        load_standard_file(gbk)
    assert localize(info.value, "zh") == f"{gbk}: 不是 UTF-8 文本（请将标准文件另存为 UTF-8 编码）"


def test_unknown_rules_and_standards_suggest_the_close_ones_in_chinese():
    lib = Library.builtin()
    with pytest.raises(StandardsError) as info:
        lib.rule("GB50180-2018/primary_scool_radius")
    assert str(info.value).startswith("unknown rule 'GB50180-2018/primary_scool_radius'; did you mean "
                                      "GB50180-2018/primary_school_radius")
    assert info.value.localized("zh").startswith("未知的条款 'GB50180-2018/primary_scool_radius'；"
                                                 "是否是指 GB50180-2018/primary_school_radius")


def test_cli_prints_the_chinese_error_for_a_bad_standards_file(cli, tmp_path):
    project = tmp_path / "龙泉湖.gpkg"
    Project("龙泉湖", "EPSG:4547").save(project)
    bad = tmp_path / "local.json"
    bad.write_text('{"id": "SZ-LOCAL", "rules": [{"id": "cam", "metric": "count", "severity": "must"}]}',
                   encoding="utf-8")
    zh = cli("check", project, "--standard-file", bad, "--no-save", env={"SMARTGIS_LANG": "zh"})
    assert zh.returncode == 2
    assert zh.stderr.strip() == (f"smartgis check: error: {bad}: 条款 SZ-LOCAL/cam：severity 应为 mandatory（强制性条文）、"
                                 "required（应）、recommended（宜）或 reference（参考指标），而不是 'must'")
    en = cli("check", project, "--standard-file", bad, "--no-save")
    assert en.returncode == 2
    assert en.stderr.strip() == (f"smartgis check: error: {bad}: rule SZ-LOCAL/cam: severity must be mandatory, "
                                 "required, recommended or reference, not 'must'")


# == the attribute table's filter ===========================================================
def test_a_bad_filter_expression_on_real_plots_names_the_field_in_chinese(shared_data):
    plots = read_layer(shared_data / "prague-urban" / "bubenec.gpkg", "plots")
    table = plots.table
    with pytest.raises(ExpressionError) as info:
        evaluate(table, "KATUZE > 730000")
    assert str(info.value) == f"no field 'KATUZE' (fields: {', '.join(table.field_names)})"
    assert localize(info.value, "zh") == f"没有字段“KATUZE”（现有字段：{', '.join(table.field_names)}）"
    with pytest.raises(ExpressionError) as info:
        evaluate(table, "KATUZE_KOD >")
    assert str(info.value) == "expected a field, a number or a text but found the end"
    assert localize(info.value, "zh") == "此处应为字段、数字或文本，但遇到的是 表达式结尾"
    with pytest.raises(ExpressionError) as info:
        evaluate(table, "ID = '760' )")
    assert localize(info.value, "zh") == "多余的 ')'"
    assert int(evaluate(table, "KATUZE_KOD > 0").sum()) == len(table)    # a good expression still works


# == the design ===========================================================================
def test_design_errors_name_the_type_in_chinese():
    p = Project("龙泉湖", "EPSG:4547")
    with pytest.raises(CatalogError) as info:
        p.design.add("camra", (500_000, 3_380_000))
    assert str(info.value) == "unknown element type 'camra'; did you mean camera?"
    assert localize(info.value, "zh") == "未知的元素类型 'camra'；是否是指 camera？"
    with pytest.raises(UsageError) as info:
        p.design.add("camera", (500_000, 3_380_000), colour="red")
    assert localize(info.value, "zh").startswith("元素类型 camera 没有属性 colour（现有属性：")
    road = shapely.LineString([(500_000, 3_380_000), (501_000, 3_380_000)])
    with pytest.raises(UsageError) as info:
        p.design.place_along("fibre_access", [road], spacing=50)
    assert str(info.value) == "placing along lines places point elements; fibre_access elements are LineStrings"
    assert localize(info.value, "zh") == "沿线布设只适用于点状元素，而 fibre_access 元素是线几何"
    assert p.design.counts() == {}


def test_importing_real_polygons_as_point_elements_says_so_in_chinese(shared_data):
    src = shared_data / "shenzhen-buildings" / "building.shp"
    with pytest.raises(SourceError) as info:
        from smartgis.io import import_source
        import_source(Project("深圳", "EPSG:4547"), src, crs="EPSG:4547", as_="sensor", element_type="camera")
    assert str(info.value) == f"{src}: has no point features to place as camera elements"
    assert localize(info.value, "zh") == f"{src}: 没有可作为 camera 元素布设的点要素"
