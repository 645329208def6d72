"""The standards library: every rule of the research notes, with its confidence, and
user files read with clear errors."""

from __future__ import annotations

import json

import pytest

from smartgis.analysis.standards import Library, load_standard_file
from smartgis.core.catalog import default_catalog
from smartgis.errors import StandardsError

#: Rules of ../shared/docs/standards.md (row → rule ids that carry it) and their confidence.
RESEARCH_ROWS = {
    1: ["GB50180-2018/living_circle_15min"], 2: ["GB50180-2018/living_circle_10min"],
    3: ["GB50180-2018/living_circle_5min"], 4: ["GB50180-2018/park_area", "GB50180-2018/park_per_person"],
    5: ["GB50180-2018/middle_school_radius"], 6: ["GB50180-2018/primary_school_radius"],
    7: ["GB50180-2018/kindergarten_radius"], 8: ["GB50180-2018/health_centre_radius"],
    9: ["GB50180-2018/health_station_radius", "GB50180-2018/elderly_care_radius"],
    10: ["GB50180-2018/sports_radius"], 11: ["GB50180-2018/food_market_radius"],
    12: ["GB50180-2018/metro_radius", "GB50180-2018/bus_radius"],
    13: ["GB50220-95/bus_catchment_300", "GB50220-95/bus_catchment_500"],
    14: ["GB51080-2015/district_area", "GB51080-2015/district_area_edge"], 15: ["JB152-2017/district_by_class"],
    16: ["GB51080-2015/siting_distance", "GB51080-2015/siting_hazard"], 17: ["HJ664-2013/station_count"],
    18: ["HJ664-2013/station_count"], 19: ["HJ640-2012/regional_grid"],
    20: ["HJ640-2012/function_zone_count"],
    21: ["PS-VIDEO-2015/key_area_coverage", "PS-VIDEO-2015/hd_share", "PS-VIDEO-2015/networked_share"],
    22: ["PS-VIDEO-2015/junction_coverage"], 23: ["MIIT-5G-2021/sites_per_10k"], 24: ["LOCAL-5G/outdoor_coverage"],
    25: ["LOCAL-5G/inter_site_distance"], 26: ["GUOBAN-2015-73/public_chargers"],
    27: ["LOCAL-POLE/spacing", "LOCAL-POLE/branch_spacing"], 28: ["CJJ45/spacing"],
    29: ["GB50413-2007/shelter_radius", "GB50413-2007/shelter_area", "GB50413-2007/shelter_per_person"],
    30: ["GB51143-2015/evacuation_distance"], 31: ["GBT50337/toilet_density"], 32: ["GB55013-2021/toilet_radius"],
    33: ["CJJ27/refuse_radius"], 34: ["HJ91.2-2022/sections"],
}
#: Rows whose numbers are from memory (M) or partial copies (P): they must ship unverified.
UNVERIFIED_ROWS = {1, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 19, 25, 27, 28, 30, 31, 33}


@pytest.fixture(scope="module")
def lib():
    return Library.builtin()


def test_every_researched_rule_ships_with_its_confidence(lib):
    for row, ids in RESEARCH_ROWS.items():
        for rid in ids:
            r = lib.rule(rid)
            if row in UNVERIFIED_ROWS:
                assert not r.verified, rid
                assert r.confidence in ("P", "M"), rid
            assert r.clause and r.title["zh"] and r.title["en"], rid
    for sid in ("SDG-11.2.1", "U4SSC", "ISO37122", "MOHURD-2012", "GBT33356-2016"):
        assert lib.get(sid).rules
    # M numbers never ship as verified, anywhere in the library
    assert all(not r.verified for r in lib.rules() if r.confidence == "M")


def test_indicator_systems(lib):
    mohurd = lib.get("MOHURD-2012")
    assert mohurd.kind == "indicators" and len(mohurd.rules) == 57
    assert {r.level1["zh"] for r in mohurd.rules} == {"保障体系与基础设施", "智慧建设与宜居", "智慧管理与服务", "智慧产业与经济"}
    assert len({r.group["zh"] for r in mohurd.rules}) == 11
    gbt = lib.get("GBT33356-2016")
    weights = {r.level1["en"]: r.weight for r in gbt.rules}
    assert sum(weights.values()) == 100 and weights["Citizen services"] == 37


def test_catalog_rule_and_indicator_ids_exist(lib):
    ids = {r.id for r in lib.rules()}
    for t in default_catalog():
        for rid in t.rules + t.indicators:
            assert rid in ids, f"{t.id} names {rid}"
    for r in lib.rules():
        for t in r.element_types:
            assert t in default_catalog(), f"{r.id} names unknown type {t}"


def test_rule_lookup(lib):
    assert lib.rule("primary_school_radius").id == "GB50180-2018/primary_school_radius"
    with pytest.raises(StandardsError, match="ambiguous"):
        lib.rule("spacing")
    with pytest.raises(StandardsError, match="did you mean"):
        lib.rule("GB50180-2018/primary_school_radios")
    with pytest.raises(StandardsError, match="unknown standard"):
        lib.get("GB9999")


def _write(tmp_path, data, name="local.json"):
    p = tmp_path / name
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return p


def test_user_files_full_and_compact_forms(tmp_path):
    full = {"id": "WH-LOCAL-2024", "title": {"zh": "武汉市地方规则", "en": "Wuhan local rules"}, "year": 2024,
            "rules": [{"id": "camera_density", "clause": "3.1", "title": {"zh": "摄像机密度", "en": "Camera density"},
                       "element_types": ["camera"], "metric": "density_area", "threshold": 20, "unit": "per km²",
                       "severity": "mandatory", "verified": True, "confidence": "V"}]}
    std = load_standard_file(_write(tmp_path, full))
    assert std.rules[0].id == "WH-LOCAL-2024/camera_density" and std.sha1 and std.origin == "user"
    compact = {"id": "SZ-X", "name": {"zh": "深圳", "en": "Shenzhen"}, "verified": False, "scope": {"city": "深圳"},
               "rules": [{"id": "poles", "element": "smart_pole", "metric": "spacing", "max": 35, "level": "warning",
                          "where": {"road_class": ["arterial"]}},
                         {"id": "cams", "element": "camera", "metric": "area_coverage", "min": 100, "level": "error",
                          "layer_role": "key_areas"}]}
    std = load_standard_file(_write(tmp_path, compact, "c.json"))
    poles, cams = std.rules
    assert (poles.comparison, poles.threshold, poles.severity) == ("<=", 35.0, "recommended")
    assert poles.params["where"] == {"field": "road_class", "values": ["arterial"]} and not poles.verified
    # a hand-written rule that must hold is required (a local rule is no 强制性条文)
    assert (cams.metric, cams.scope, cams.severity) == ("coverage_area", "key_areas", "required")
    assert std.city == "深圳"
    lib = Library.load([tmp_path / "c.json"])
    assert "SZ-X" in lib.standards and "GB50180-2018" in lib.standards


@pytest.mark.parametrize("data, message", [
    ({"id": "X", "rules": [{"id": "a", "metric": "nonsense"}]}, "unknown metric 'nonsense'"),
    ({"id": "X", "rules": [{"id": "a", "metric": "count", "severity": "must"}]}, "severity"),
    ({"id": "X", "rules": [{"id": "a", "metric": "count", "threshold": "ten"}]}, "not a number"),
    ({"id": "X", "rules": [{"id": "a", "metric": "count"}, {"id": "a", "metric": "count"}]}, "defined twice"),
    ({"id": "bad id", "rules": [{"id": "a", "metric": "count"}]}, "standard id"),
    ({"id": "X", "rules": []}, "non-empty list"),
])
def test_bad_user_files_name_the_file_and_the_problem(tmp_path, data, message):
    p = _write(tmp_path, data)
    with pytest.raises(StandardsError, match=message) as exc:
        load_standard_file(p)
    assert str(exc.value).startswith(str(p))


def test_unreadable_files(tmp_path):
    p = tmp_path / "broken.json"
    p.write_text('{"id": "X", "rules": [', encoding="utf-8")
    with pytest.raises(StandardsError, match="not valid JSON"):
        load_standard_file(p)
    gbk = tmp_path / "gbk.json"
    gbk.write_bytes('{"id": "X", "title": "地方"}'.encode("gbk"))
    with pytest.raises(StandardsError, match="UTF-8"):
        load_standard_file(gbk)
    with pytest.raises(StandardsError, match="not found"):
        load_standard_file(tmp_path / "missing.json")
