"""The element catalog: the types the issue asks for, their schema, variants, icons,
and user catalog files kept with the project."""

from __future__ import annotations

import json

import pytest

from smartgis.project import open_project
from smartgis.core import Project
from smartgis.core.catalog import COVERAGE_MODELS, Catalog, default_catalog
from smartgis.resources import resources_dir
from smartgis.errors import CatalogError, UsageError

REQUIRED = {
    # sensors
    "camera", "air_quality", "noise_monitor", "water_quality", "water_level", "traffic_detector",
    "smart_pole", "street_light", "iot_gateway", "cell_5g_macro", "cell_5g_small",
    # facilities
    "ev_charger", "fire_station", "kindergarten", "primary_school", "middle_school", "health_centre",
    "health_station", "elderly_care", "community_centre", "emergency_shelter", "bus_stop",
    "metro_station", "public_toilet", "refuse_point", "park", "data_centre", "operations_centre",
    # networks
    "fibre_backbone", "fibre_access", "power_line", "water_pipe", "drainage_pipe", "gas_pipe",
    "heat_pipe", "utility_tunnel", "link",
}
COMMON = {"model", "status", "phase", "cost", "owner"}


@pytest.fixture(scope="module")
def catalog():
    return default_catalog()


def test_catalog_has_every_required_type(catalog):
    assert REQUIRED <= set(catalog.ids())


def test_every_type_is_complete(catalog):
    for t in catalog:
        assert t.name.get("zh") and t.name.get("en"), t.id
        assert t.geometry in ("Point", "LineString", "Polygon"), t.id
        names = [f.name for f in t.attributes]
        assert COMMON <= set(names), (t.id, COMMON - set(names))
        assert len(names) == len(set(names)), t.id
        assert t.coverage.model in COVERAGE_MODELS
        status = t.field("status")
        assert {"existing", "planned"} <= set(status.choices)
        for f in t.attributes:
            if f.default is not None:
                assert f.coerce(f.default) == f.default or f.type == "float", (t.id, f.name)
            if f.choices and f.default not in (None, ""):
                assert f.default in f.choices, (t.id, f.name, f.default)
        for v in t.variants:
            for name, value in v.values.items():
                fld = t.field(name)
                assert fld is not None, (t.id, v.id, name)
                if fld.choices:
                    assert value in fld.choices, (t.id, v.id, name, value)


def test_coverage_models_by_kind(catalog):
    cam = catalog.get("camera")
    assert cam.coverage.model == "sector"
    assert cam.coverage.fields == {"range": "range_m", "angle": "fov_deg", "azimuth": "azimuth"}
    assert catalog.get("iot_gateway").coverage.model == "circle"
    assert catalog.get("primary_school").coverage.model == "network"
    assert catalog.get("data_centre").coverage.model == "none"
    for tid in ("fibre_backbone", "power_line", "utility_tunnel"):
        assert catalog.get(tid).geometry == "LineString"
    # a type-specific field such as the mounting height
    assert catalog.get("camera").field("height_m").unit == "m"
    assert catalog.get("street_light").field("lamp_power_w") is not None


def test_camera_bullet_and_ptz_variants(catalog):
    cam = catalog.get("camera")
    assert {"bullet", "ptz"} <= {v.id for v in cam.variants}
    ptz = cam.defaults("ptz")
    assert ptz["mount"] == "ptz" and ptz["fov_deg"] == 360.0
    assert cam.defaults("bullet")["fov_deg"] < 180
    t, v = catalog.resolve("camera:ptz")
    assert (t.id, v) == ("camera", "ptz")
    with pytest.raises(CatalogError, match="variants: .*ptz"):
        catalog.resolve("camera:fisheye")


def test_fire_station_and_shelter_classes(catalog):
    fs = catalog.get("fire_station")
    areas = {v.id: v.values["district_km2"] for v in fs.variants}
    assert areas["class1"] == 7.0 and areas["class2"] == 4.0 and areas["small"] == 2.0 and areas["suburban"] == 15.0
    for v in fs.variants:  # the equivalent radius is that of a circle of the district area
        r = (v.values["district_km2"] * 1e6 / 3.141592653589793) ** 0.5
        assert abs(v.values["radius_m"] - r) < 1.0, v.id
    sh = catalog.get("emergency_shelter")
    radii = {v.id: v.values["radius_m"] for v in sh.variants}
    assert radii["emergency"] == 500.0 and radii["long_term"] == 2500.0


def test_icons_exist_for_every_type(catalog):
    for t in catalog:
        p = t.icon_path()
        assert p is not None and p.exists(), t.id
        text = p.read_text(encoding="utf-8")
        assert 'viewBox="0 0 24 24"' in text, t.id


def test_rule_ids_follow_the_standard_slash_rule_pattern(catalog):
    for t in catalog:
        for r in t.rules + t.indicators:
            std, _, rule = r.partition("/")
            assert std and rule and " " not in r, (t.id, r)


def test_bad_catalog_files_name_the_file_and_problem(tmp_path):
    cat = Catalog()
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(CatalogError, match="bad.json: not a valid catalog file"):
        cat.load_file(bad)
    cases = [
        ({"id": "x y", "category": "sensor", "geometry": "Point"}, "ASCII"),
        ({"id": "x", "category": "robot", "geometry": "Point"}, "category"),
        ({"id": "x", "category": "sensor", "geometry": "Curve"}, "geometry"),
        ({"id": "x", "category": "sensor", "geometry": "Point",
          "coverage": {"model": "circle", "fields": {"radius": "nope"}}}, "does not have"),
        ({"id": "x", "category": "sensor", "geometry": "Point",
          "variants": [{"id": "v", "values": {"nope": 1}}]}, "unknown attributes"),
        ({"id": "x", "category": "sensor", "geometry": "Point",
          "attributes": [{"name": "uid", "type": "str"}]}, "reserved"),
        ({"id": "x", "category": "sensor", "geometry": "Point", "coverage": {"model": "cone"}}, "coverage model"),
    ]
    for d, msg in cases:
        f = tmp_path / "t.json"
        f.write_text(json.dumps({"types": [d]}), encoding="utf-8")
        with pytest.raises(CatalogError, match=msg) as ei:
            Catalog().load_file(f)
        assert str(f) in str(ei.value)


USER_CATALOG = {
    "format": "smartgis-catalog", "version": 1,
    "types": [{
        "id": "smart_bin", "category": "sensor", "geometry": "Point", "color": "#2e7d32",
        "name": {"zh": "智能垃圾桶", "en": "Smart bin"},
        "attributes": [{"name": "capacity_l", "type": "int", "default": 240, "unit": "L",
                        "alias": {"zh": "容量", "en": "Capacity"}}],
        "coverage": {"model": "circle", "radius": 50},
        "variants": [{"id": "large", "name": {"zh": "大号", "en": "Large"}, "values": {"capacity_l": 660}}],
        "rules": [],
    }],
}


def test_user_types_are_kept_in_the_project_file(tmp_path, validate_gpkg):
    f = tmp_path / "my_types.json"
    f.write_text(json.dumps(USER_CATALOG, ensure_ascii=False), encoding="utf-8")
    p = Project("用户类型", "EPSG:4547")
    assert p.design.import_catalog(f) == ["smart_bin"]
    uid = p.design.add("smart_bin:large", (500000, 3380000))
    path = p.save(tmp_path / "p.gpkg")
    validate_gpkg(path)
    # the catalog file is not needed to open the project again
    f.unlink()
    q = open_project(path)
    t = q.catalog.get("smart_bin")
    assert t.origin == "project" and t.label("zh") == "智能垃圾桶"
    assert {f.name for f in t.attributes} >= COMMON | {"capacity_l"}
    assert q.design.element(uid).attributes["capacity_l"] == 660
    assert [v.id for v in t.variants] == ["large"]
    # a type in use cannot be removed; an unused one can, and stays removed
    with pytest.raises(CatalogError, match="delete them"):
        q.design.remove_type("smart_bin")
    q.design.remove(q.design.layers["smart_bin"].uids())
    q.design.remove_type("smart_bin")
    q.save()
    assert "smart_bin" not in open_project(path).catalog


def test_builtin_types_cannot_be_removed_or_silently_replaced(tmp_path):
    p = Project("p", "EPSG:4547")
    with pytest.raises(CatalogError, match="only the project's own types"):
        p.design.remove_type("camera")
    f = tmp_path / "cam.json"
    f.write_text(json.dumps({"types": [{"id": "camera", "category": "sensor", "geometry": "Point"}]}),
                 encoding="utf-8")
    with pytest.raises(CatalogError, match="exist already"):
        p.design.import_catalog(f)
    assert p.catalog.get("camera").origin == "builtin"


def test_unknown_attribute_is_a_usage_error():
    p = Project("p", "EPSG:4547")
    with pytest.raises(UsageError, match="camera has no attribute colour"):
        p.design.add("camera", (0, 0), colour="red")


def test_icons_folder_is_the_resources_icons_folder():
    assert (resources_dir() / "icons").is_dir()


def test_rules_and_indicators_exist_in_the_standards_library(catalog):
    """Every rule id a type serves is a rule of resources/standards/, and every rule
    that names a type is listed by that type (the two libraries stay in step)."""
    folder = resources_dir() / "standards"
    files = sorted(folder.glob("*.json"))
    if not files:
        pytest.skip("no standards library in resources/standards")
    rules: dict[str, list] = {}
    for f in files:
        d = json.loads(f.read_text(encoding="utf-8"))
        for r in d.get("rules", []):
            rules[f"{d['id']}/{r['id']}"] = r.get("element_types", [])
    for t in catalog:
        for rid in t.rules + t.indicators:
            assert rid in rules, (t.id, rid)
    for rid, types in rules.items():
        for tid in types:
            if tid in catalog:
                assert rid in catalog.get(tid).rules, (tid, rid)
