"""The equipment list: counts, lengths, areas and ids per type, variant, phase (and project)."""

from __future__ import annotations

import json
import shutil

import openpyxl
import pytest
import shapely

from smartgis.analysis.equipment import equipment_rows, export_equipment_xlsx
from smartgis.core import Project
from smartgis.errors import UsageError
from smartgis.project import open_project
from tests.conftest import REPO

SAMPLE = REPO / "sample_projects" / "longquan_lake.gpkg"


def _design():
    p = Project("清单", "EPSG:4547")
    p.design.add("camera:ptz", (521000, 3382000), phase="一期")
    p.design.add("camera:ptz", (521100, 3382000), phase="一期")
    p.design.add("camera:bullet", (521200, 3382000), phase="二期")
    p.design.add("fibre_backbone", shapely.LineString([(521000, 3382000), (521300, 3382400)]), phase="一期")
    p.design.add("fibre_backbone", shapely.LineString([(521000, 3382000), (521000, 3382100)]), phase="二期")
    p.design.add("emergency_shelter", shapely.box(521000, 3382000, 521100, 3382050), phase="二期")
    return p


def test_rows_group_by_type_variant_and_phase():
    p = _design()
    rows = equipment_rows(p, lang="en")
    by = {(r["type_id"], r["variant"], r["phase"]): r for r in rows}
    ptz = next(v.label("en") for v in p.catalog.get("camera").variants if v.id == "ptz")
    bullet = next(v.label("en") for v in p.catalog.get("camera").variants if v.id == "bullet")
    assert by[("camera", ptz, "一期")]["count"] == 2 and by[("camera", bullet, "二期")]["count"] == 1
    assert set(by[("camera", ptz, "一期")]["ids"]) == set(p.design.layers["camera"].uids()[:2])
    f1 = by[("fibre_backbone", "", "一期")]
    assert f1["length_m"] == 500.0 and f1["quantity"] == 500.0 and f1["quantity_unit"] == "m"
    assert by[("fibre_backbone", "", "二期")]["length_m"] == 100.0
    shelter = next(r for r in rows if r["type_id"] == "emergency_shelter")
    assert shelter["phase"] == "二期" and shelter["count"] == 1
    assert shelter["area_m2"] == 5000.0 and shelter["length_m"] is None
    assert sum(r["count"] for r in equipment_rows(p, phase="二期")) == 3


def test_project_field_splits_rows():
    p = _design()
    cams = p.design.layers["camera"]
    from smartgis.core.fields import Field
    cams.add_field(Field("project", "str"), ["智慧安防", "智慧交通", "智慧安防"])
    rows = [r for r in equipment_rows(p) if r["type_id"] == "camera"]
    assert {(r["project"], r["count"]) for r in rows} == {("智慧安防", 1), ("智慧交通", 1), ("智慧安防", 1)}
    assert {r["project"] for r in rows} == {"智慧安防", "智慧交通"}


def test_sample_workbook_has_a_sheet_per_phase(tmp_path, cli):
    d = tmp_path / "s"
    d.mkdir()
    shutil.copy(SAMPLE, d / SAMPLE.name)
    out = tmp_path / "设备清单.xlsx"
    r = cli("export", d / SAMPLE.name, "--xlsx", out, "--json")
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)["xlsx"]
    # the existing elements (现状), then the plan's phases
    assert info["sheets"] == ["设备清单", "现状", "近期", "中期", "远期"]
    p = open_project(d / SAMPLE.name, read_only=True)
    assert info["elements"] == sum(p.design.counts().values())
    wb = openpyxl.load_workbook(out)
    ws = wb["设备清单"]
    header = [c.value for c in ws[1]]
    # the key project of each element comes from the plan
    assert header[:7] == ["项目", "类型编码", "设备/设施类型", "类别", "型式", "建设期次", "数量"] and "要素编号" in header
    col = {name: header.index(name) for name in ("项目", "类型编码", "建设期次", "数量")}
    values = list(ws.iter_rows(min_row=2, values_only=True))
    assert values[-1][0] == "合计" and values[-1][col["数量"]] == sum(p.design.counts().values())
    poles = [v for v in values[:-1] if v[col["类型编码"]] == "smart_pole"]
    assert sum(v[col["数量"]] for v in poles) == p.design.counts()["smart_pole"]
    assert {v[col["项目"]] for v in poles if v[col["建设期次"]] != "现状"} == {"多功能智慧灯杆"}
    ids = {i for v in poles for i in v[-1].split(", ")}
    assert ids == set(p.design.layers["smart_pole"].uids())
    stages = {name: list(wb[name].iter_rows(min_row=2, values_only=True)) for name in info["sheets"][1:]}
    assert sum(rows[-1][col["数量"]] for rows in stages.values()) == values[-1][col["数量"]]
    assert {v[col["建设期次"]] for v in stages["近期"][:-1]} == {"近期"}


def test_xlsx_errors(tmp_path):
    p = _design()
    with pytest.raises(UsageError, match="should end in .xlsx"):
        export_equipment_xlsx(p, tmp_path / "x.csv")
    with pytest.raises(UsageError, match="no elements of phase '九期'"):
        export_equipment_xlsx(p, tmp_path / "x.xlsx", phase="九期")
    assert not (tmp_path / "x.xlsx").exists()
