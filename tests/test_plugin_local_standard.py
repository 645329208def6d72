"""The shipped local-standard plugin: data only, found by the standards engine, never imports code."""

from __future__ import annotations

import json
import sys

import pytest

from smartgis.plugins import registry as registry_mod


@pytest.fixture
def reg(tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTGIS_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("SMARTGIS_PLUGIN_PATH", raising=False)
    yield registry_mod.reset_registry()
    registry_mod.reset_registry()


def test_standards_file_is_offered_and_well_formed(reg):
    files = [f for f in registry_mod.standard_files() if f.parent.parent.name == "sz_smart_pole"]
    assert len(files) == 1
    data = json.loads(files[0].read_text(encoding="utf-8"))
    assert data["id"] and data["name"]["zh"] and data["verified"] is False
    ids = [r["id"] for r in data["rules"]]
    assert len(ids) == len(set(ids)) >= 3
    from smartgis.core.catalog import default_catalog
    cat = default_catalog()
    for rule in data["rules"]:
        assert rule["element"] in cat, rule["id"]             # every rule names a real element type
        assert rule["level"] in ("error", "warning") and rule["text"]["zh"] and rule["text"]["en"]
        assert ("max" in rule) or ("min" in rule)
    spacing = {r["id"]: r["max"] for r in data["rules"] if r["metric"] == "spacing"}
    assert spacing == {"pole_spacing_arterial": 35, "pole_spacing_branch": 30}
    assert not any(m.startswith("smartgis_plugins.sz_smart_pole") for m in sys.modules)


def test_disabling_the_plugin_withdraws_its_standard(reg):
    reg.set_enabled("sz_smart_pole", False)
    assert not any(f.parent.parent.name == "sz_smart_pole" for f in registry_mod.standard_files())
    reg.set_enabled("sz_smart_pole", True)
    assert any(f.parent.parent.name == "sz_smart_pole" for f in registry_mod.standard_files())


def test_the_standards_engine_runs_it(reg):
    from smartgis import analysis
    from smartgis.core import Project
    project = Project("深圳样例", "EPSG:4547", metadata={"city": "深圳"})
    for i in range(4):                                      # poles 50 m apart on an arterial road
        project.design.add("smart_pole", (521600 + 50 * i, 3382000), road_class="arterial")
    files = [f for f in registry_mod.standard_files() if f.parent.parent.name == "sz_smart_pole"]
    result = analysis.run_check(project, standard_files=files)
    text = json.dumps(result.to_json(), ensure_ascii=False)
    assert "pole_spacing_arterial" in text
