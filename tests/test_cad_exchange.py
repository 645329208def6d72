"""CAD drawings: the design as DXF (layers, blocks with attributes, XDATA, labels, title
block, metres), ezdxf's audit, and the drawing imported back with the same counts."""

from __future__ import annotations

import json

import ezdxf
import pytest
from conftest import copy_sample

from smartgis.core import Project
from smartgis.io import import_source
from smartgis.io.dxf_export import APPID, ATTRIBUTES, export_dxf
from smartgis.project import open_project
from tests.conftest import REPO


@pytest.fixture(scope="module")
def sample_copy(tmp_path_factory):
    return copy_sample(tmp_path_factory.mktemp("cad"))


def test_sample_dxf_passes_audit_and_round_trips(sample_copy, cli, tmp_path):
    out = tmp_path / "design.dxf"
    r = cli("export", sample_copy, "--dxf", out, "--json")
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)["dxf"]
    assert info["audit_errors"] == 0 and info["units"] == "m"

    doc = ezdxf.readfile(out)
    auditor = doc.audit()
    assert not auditor.has_errors
    assert doc.units == ezdxf.units.M and doc.header["$INSUNITS"] == 6
    assert doc.header.custom_vars.get("SMARTGIS_CRS") == "EPSG:4547"
    p = open_project(sample_copy, read_only=True)
    msp = doc.modelspace()
    cams = msp.query('INSERT[name=="camera"]')
    assert len(cams) == p.design.counts()["camera"]
    ref = cams[0]
    tags = {a.dxf.tag: a.dxf.text for a in ref.attribs}
    assert tuple(tags) == ATTRIBUTES and tags["TYPE"] == "camera" and tags["PHASE"] in ("近期", "中期", "远期")
    assert tags["ID"] in set(p.design.layers["camera"].uids())
    cam_layer = doc.layers.get(p.design.layers["camera"].element_type.label("zh"))
    assert cam_layer.rgb == (0xd6, 0x27, 0x28)                       # the catalog colour
    fibre = msp.query('LWPOLYLINE[layer=="主干光缆"]')
    assert len(fibre) == p.design.counts()["fibre_backbone"]
    xd = dict(s.split("=", 1) for _code, s in fibre[0].get_xdata(APPID))
    assert xd["type"] == "fibre_backbone" and xd["uid"] in set(p.design.layers["fibre_backbone"].uids())
    assert len(msp.query('TEXT[layer=="标注-小学"]')) == p.design.counts()["primary_school"]
    texts = " ".join(t.dxf.text for t in msp.query('TEXT[layer=="图框"]'))
    assert p.name in texts and "EPSG:4547" in texts

    # back into SmartGIS: one point per block reference, with its block name and attributes
    q = Project("back", "EPSG:4547")
    import_source(q, out, crs="EPSG:4547")
    back = {lyr.name.split(" ", 1)[1]: lyr for lyr in q.layers.values()}
    for lyr in p.design.layers.values():
        cad = lyr.element_type.label("zh").replace("/", "_")
        assert back[cad].feature_count == lyr.feature_count, cad
    cams_back = back[p.design.layers["camera"].element_type.label("zh")]
    assert cams_back.geometry_type == "Point"
    assert set(cams_back.table.column("BlockName").tolist()) == {"camera"}
    attrs = [v if isinstance(v, dict) else json.loads(v) for v in cams_back.table.column("BlockAttributes").tolist()]
    assert {a["ID"] for a in attrs} == set(p.design.layers["camera"].uids())
    assert back["建筑"].feature_count == p.layer("建筑").feature_count
    assert back["道路"].feature_count == p.layer("道路").feature_count


def test_dxf_of_a_theme_and_phase(sample_copy, cli, tmp_path):
    out = tmp_path / "video.dxf"
    r = cli("export", sample_copy, "--dxf", out, "--theme", "video_surveillance", "--phase", "近期", "--json")
    assert r.returncode == 0, r.stderr
    doc = ezdxf.readfile(out)
    names = {b.dxf.name for b in doc.modelspace().query("INSERT")}
    assert names == {"camera"}        # the theme's cameras and poles; the poles come in 中期
    phases = {a.dxf.text for ref in doc.modelspace().query("INSERT") for a in ref.attribs if a.dxf.tag == "PHASE"}
    assert phases == {"近期"}
    assert "用地规划" not in doc.layers                              # not a layer of this theme


def test_dxf_errors(sample_copy, cli, tmp_path):
    r = cli("export", sample_copy, "--dxf", tmp_path / "x.txt")
    assert r.returncode == 2 and "should end in .dxf" in r.stderr and r.stderr.count("\n") == 1
    r = cli("export", sample_copy, "--dxf", tmp_path / "nope" / "x.dxf")
    assert r.returncode == 2 and "does not exist" in r.stderr


def test_empty_project_has_nothing_to_export(tmp_path):
    from smartgis.errors import UsageError
    with pytest.raises(UsageError, match="nothing to export"):
        export_dxf(Project("e", "EPSG:4547"), tmp_path / "e.dxf")
