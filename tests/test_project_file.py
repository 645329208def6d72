"""The project file: round trips, GDAL's validator, versions, read-only, damage, missing sources."""

from __future__ import annotations

import shutil
import sqlite3

import numpy as np
import pytest
import shapely

from smartgis.project import open_project
from smartgis import FORMAT_VERSION
from smartgis.core import RasterLayer, VectorLayer
from smartgis.core.catalog import ElementType
from smartgis.core.style import Category, LabelStyle, RasterStyle, Symbol, VectorStyle
from smartgis.errors import DamagedProjectError, ProjectFileError, ProjectVersionError, ReadOnlyProjectError
from smartgis.project import gpkg, schema
from tests.helpers import buildings_layer, file_hash, sample_project

SHENZHEN_GRID = ("+proj=tmerc +lat_0=22.5 +lon_0=114.1 +k=1 +x_0=100000 +y_0=0 +ellps=GRS80 "
                 "+units=m +no_defs")


def test_every_model_field_round_trips(tmp_path):
    folder = tmp_path / "项目 文件夹"
    folder.mkdir()
    path = folder / "光谷 新区.gpkg"
    p = sample_project()
    p.set_metadata(city="武汉", district="东湖高新区", sheet_prefix="GG-")
    p.settings.update({"language": "en", "autosave_minutes": 5, "检查": {"标准": ["GB50180-2018"]}})
    lyr = p.layer("建筑物")
    lyr.opacity = 0.55
    lyr.set_role("population", population_field="人口")
    lyr.style = VectorStyle(renderer="categorized", field="公共",
                            categories=[Category(True, Symbol(fill="#ff0000"), "公共建筑"),
                                        Category(False, Symbol(fill="#00ff00"), "其他")],
                            labels=LabelStyle(field="名称", enabled=True, size=2.5))
    group = p.tree.add_group("底图 Basemap", index=-1)
    p.tree.move(p.tree.node_for(lyr.id), group, 0)
    group.expanded = False
    raster = RasterLayer("正射影像", str(tmp_path / "影像.tif"), crs="EPSG:4547",
                         info={"count": 3, "bounds": [500000, 3380000, 501000, 3381000]},
                         style=RasterStyle(mode="rgb", bands=[3, 2, 1]))
    p.add_layer(raster, group=group, index=1)
    p.tree.node_for(raster.id).visible = False
    local = VectorLayer("深圳建筑", shapely.points([117000.0, 117100.0], [19000.0, 19100.0]), crs=SHENZHEN_GRID)
    p.add_layer(local)
    custom = ElementType.from_dict({"id": "flood_gauge", "name": {"zh": "易涝点标尺", "en": "Flood gauge"},
                                    "category": "sensor", "geometry": "Point",
                                    "attributes": [{"name": "刻度", "type": "float", "default": 1.5}],
                                    "coverage": {"model": "circle", "radius": 120}}, p.catalog.common,
                                   origin="project")
    p.catalog.add(custom)
    uid = p.design.add("flood_gauge", (500_500.0, 3_380_500.0), 刻度=2.0)
    p.save(path)

    q = open_project(path)
    assert (q.name, q.description, q.crs) == (p.name, p.description, "EPSG:4547")
    for k in ("institute", "designer", "reviewer", "city", "district", "sheet_prefix"):
        assert q.metadata[k] == p.metadata[k]
    assert q.settings == p.settings
    ql = q.layer("建筑物")
    assert ql.id == lyr.id and ql.opacity == pytest.approx(0.55)
    assert ql.role == "population" and ql.props["population_field"] == "人口"
    assert ql.style.to_dict() == lyr.style.to_dict()
    assert [f.name for f in ql.fields] == ["名称", "人口", "高度", "公共"]
    assert ql.feature_count == 100
    assert ql.table.column("名称").tolist() == lyr.table.column("名称").tolist()
    assert ql.table.column("人口").tolist() == lyr.table.column("人口").tolist()
    assert np.allclose(ql.table.column("高度"), lyr.table.column("高度"))
    assert ql.table.column("公共").tolist() == lyr.table.column("公共").tolist()
    assert all(shapely.equals(ql.geometries, lyr.geometries))
    assert q.tree.to_rows() == p.tree.to_rows()
    assert [n.layer_id for n in q.tree.layer_nodes()] == [n.layer_id for n in p.tree.layer_nodes()]
    qr = q.layer("正射影像")
    assert isinstance(qr, RasterLayer) and qr.style.bands == [3, 2, 1] and not q.tree.node_for(qr.id).is_visible()
    ql2 = q.layer("深圳建筑")
    assert "tmerc" in ql2.crs.lower() or "Transverse Mercator" in ql2.crs
    assert np.allclose(shapely.get_x(ql2.geometries), [117000.0, 117100.0])
    assert q.catalog.get("flood_gauge").origin == "project"
    assert q.design.element(uid).attributes["刻度"] == 2.0
    assert q.design.counts() == {"camera": 1, "flood_gauge": 1, "smart_pole": 5}
    cam = next(q.design.elements("camera"))
    assert cam.attributes["azimuth"] == 45.0 and cam.attributes["name"] == "东门摄像机"
    assert cam.attributes["status"] == "planned" and cam.attributes["cost"] == 0.0


def test_saved_files_pass_gdal_validator(tmp_path, validate_gpkg):
    path = tmp_path / "校验.gpkg"
    p = sample_project(path)
    validate_gpkg(path)
    p.layer("建筑物").set_value(0, "名称", "改名")
    p.design.remove([next(p.design.elements("camera")).uid])     # an empty design table
    p.add_layer(VectorLayer("空图层", np.empty(0, dtype=object), geometry_type="LineString", crs="EPSG:4547"))
    p.save()
    validate_gpkg(path)
    conn = sqlite3.connect(path)
    for (t,) in conn.execute("SELECT table_name FROM gpkg_contents WHERE data_type='features'"):
        assert conn.execute(f"SELECT rtreecheck('rtree_{t}_geom')").fetchone()[0] == "ok"
    kinds = dict(conn.execute("SELECT table_name, data_type FROM gpkg_contents"))
    for t in ("smartgis_project", "smartgis_layers", "smartgis_layer_tree", "smartgis_catalog", "layer_styles"):
        assert kinds[t] == "attributes"


def test_qgis_style_rows(tmp_path):
    path = tmp_path / "style.gpkg"
    sample_project(path)
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT f_table_name, f_table_catalog, f_table_schema, f_geometry_column, useAsDefault, "
                        "styleQML FROM layer_styles").fetchall()
    tables = {r[0] for r in rows}
    assert {"建筑物", "design_camera", "design_smart_pole"} <= tables
    for t, cat, sch, col, default, qml in rows:
        assert (cat, sch, col, default) == ("", "", "geom", 1)
        assert qml.startswith("<!DOCTYPE qgis") and "renderer-v2" in qml


def test_rtree_index_answers_queries(tmp_path):
    path = tmp_path / "rtree.gpkg"
    p = sample_project(path, n=2000)
    b = p.layer("建筑物").bounds
    conn = sqlite3.connect(path)
    got = {r[0] for r in conn.execute('SELECT id FROM "rtree_建筑物_geom" WHERE maxx >= 500500 AND minx <= 501000 '
                                      'AND maxy >= 3380500 AND miny <= 3381000')}
    fids = p.layer("建筑物").fids
    want = set(fids[(b[:, 2] >= 500500) & (b[:, 0] <= 501000) & (b[:, 3] >= 3380500) & (b[:, 1] <= 3381000)].tolist())
    assert got == want and len(want) > 0


def test_rows_inserted_later_update_the_index(tmp_path):
    """A table written by SmartGIS stays editable with plain SQL (as QGIS edits it)."""
    path = tmp_path / "edit.gpkg"
    sample_project(path)
    conn = gpkg.connect(path)
    blob = gpkg.encode_geometries(np.array([shapely.box(0, 0, 1, 1)], dtype=object), 4547)[0]
    conn.execute('INSERT INTO "建筑物" (geom, "名称") VALUES (?, ?)', (blob, "新"))
    conn.commit()
    assert conn.execute('SELECT count(*) FROM "rtree_建筑物_geom" WHERE minx = 0').fetchone()[0] == 1
    assert conn.execute("SELECT feature_count FROM gpkg_ogr_contents WHERE table_name='建筑物'").fetchone()[0] == 101
    conn.close()
    assert open_project(path).layer("建筑物").feature_count == 101


def test_newer_format_is_refused_and_untouched(tmp_path):
    path = tmp_path / "未来.gpkg"
    sample_project(path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE smartgis_project SET value=? WHERE key='format_version'", (str(FORMAT_VERSION + 1),))
    conn.execute("UPDATE smartgis_project SET value='9.0' WHERE key='app_version'")
    conn.commit()
    conn.close()
    before = file_hash(path)
    with pytest.raises(ProjectVersionError) as exc:
        open_project(path)
    assert "SmartGIS 9.0" in str(exc.value) and str(path) in str(exc.value)
    assert file_hash(path) == before


def test_older_format_is_migrated_in_order(tmp_path, monkeypatch):
    path = tmp_path / "old.gpkg"
    sample_project(path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE smartgis_project SET value='0' WHERE key='format_version'")
    conn.execute("UPDATE smartgis_project SET value='旧名' WHERE key='name'")
    conn.commit()
    conn.close()
    before = file_hash(path)
    calls = []

    def m0(c):   # a real migration: rename a key that changed meaning
        calls.append(0)
        c.execute("UPDATE smartgis_project SET value = value || '（已升级）' WHERE key='name'")
    monkeypatch.setitem(schema.MIGRATIONS, 0, m0)
    p = open_project(path)
    assert calls == [0] and p.name == "旧名（已升级）"
    assert file_hash(path) == before                     # opening did not write
    assert p.layer("建筑物").feature_count == 100 and len(p.layer("建筑物").geometries) == 100
    p.save()
    q = open_project(path)
    assert q.file_format_version == FORMAT_VERSION and q.name == "旧名（已升级）"


def test_read_only_open_changes_no_byte(tmp_path):
    path = tmp_path / "评审.gpkg"
    sample_project(path)
    before = file_hash(path)
    listing = sorted(x.name for x in tmp_path.iterdir())
    p = open_project(path, read_only=True)
    for lyr in p.vector_layers():
        lyr.geometries, lyr.table  # load everything
    p.layer("建筑物").set_value(0, "名称", "x")
    with pytest.raises(ReadOnlyProjectError):
        p.save()
    assert file_hash(path) == before
    assert sorted(x.name for x in tmp_path.iterdir()) == listing   # no -journal/-wal/-shm left


def test_damaged_files_give_clear_errors(tmp_path):
    path = tmp_path / "坏.gpkg"
    sample_project(path)
    data = bytearray(path.read_bytes())
    bad = tmp_path / "truncated.gpkg"
    bad.write_bytes(bytes(data[: len(data) // 3]))
    with pytest.raises(DamagedProjectError) as exc:
        open_project(bad)
    assert "truncated.gpkg" in str(exc.value)
    garbage = tmp_path / "garbage.gpkg"
    garbage.write_bytes(b"PK\x03\x04 this is a zip, not a project" * 10)
    with pytest.raises(DamagedProjectError, match="not a GeoPackage"):
        open_project(garbage)
    empty = tmp_path / "empty.gpkg"
    empty.write_bytes(b"")
    with pytest.raises(DamagedProjectError, match="empty"):
        open_project(empty)
    with pytest.raises(ProjectFileError, match="no such project file"):
        open_project(tmp_path / "missing.gpkg")
    # corrupt pages in the middle of a valid file
    middle = bytearray(data)
    for off in range(8192, min(len(middle), 8192 * 4), 97):
        middle[off] ^= 0xFF
    broken = tmp_path / "corrupt.gpkg"
    broken.write_bytes(bytes(middle))
    with pytest.raises(DamagedProjectError):
        open_project(broken)


def test_missing_external_source_round_trips(tmp_path):
    folder = tmp_path / "项目"
    folder.mkdir()
    path = folder / "p.gpkg"
    p = sample_project()
    tif = tmp_path / "影像" / "dom.tif"
    p.add_layer(RasterLayer("DOM 影像", str(tif), crs="EPSG:4547", info={"count": 3, "bounds": [0, 0, 10, 10]}))
    p.save(path)
    q = open_project(path)
    r = q.layer("DOM 影像")
    assert r.available is False and "dom.tif" in r.error
    q.set_metadata(designer="王工")
    q.save()
    z = open_project(path)
    r2 = z.layer("DOM 影像")
    assert r2.available is False and r2.info["bounds"] == [0, 0, 10, 10] and r2.id == r.id
    # once the file appears beside the project (relative path), the layer is available again
    tif.parent.mkdir()
    tif.write_bytes(b"placeholder")
    assert open_project(path).layer("DOM 影像").available is True


def test_missing_table_keeps_layer_definition(tmp_path):
    path = tmp_path / "p.gpkg"
    sample_project(path)
    conn = sqlite3.connect(path)
    conn.execute('DROP TABLE "建筑物"')
    conn.commit()
    conn.close()
    p = open_project(path)
    lyr = p.layer("建筑物")
    assert lyr.available is False and "missing" in lyr.error
    p.save()
    assert open_project(path).layer("建筑物").available is False


def test_plain_geopackage_opens_as_project(tmp_path, shared_data, validate_gpkg):
    src = shared_data / "prague-urban" / "bubenec.gpkg"
    path = tmp_path / "bubenec.gpkg"
    shutil.copyfile(src, path)   # a user's own, writable copy
    before = file_hash(path)
    p = open_project(path)
    assert file_hash(path) == before
    names = {lyr.name for lyr in p.layers.values()}
    assert {"buildings", "plots", "streets", "tessellation"} <= names
    assert p.layer("streets").feature_count == 35 and p.layer("buildings").feature_count == 144
    assert p.crs == "EPSG:3857"
    p.design.add("camera", p.layer("streets").geometries[0].interpolate(0.5, normalized=True))
    p.save()
    validate_gpkg(path)
    q = open_project(path)
    assert q.design.counts() == {"camera": 1} and q.layer("streets").feature_count == 35


def test_save_as_moves_relative_paths_and_keeps_backup(tmp_path):
    a = tmp_path / "a.gpkg"
    p = sample_project(a)
    p.set_metadata(designer="赵工")
    p.save()
    assert (tmp_path / "a.gpkg.bak").exists()
    assert open_project(tmp_path / "a.gpkg.bak").metadata["designer"] == "张工"
    sub = tmp_path / "另存"
    sub.mkdir()
    p.save(sub / "b.gpkg")
    assert open_project(sub / "b.gpkg").layer("建筑物").feature_count == 100
    assert not list(tmp_path.glob(".*saving")) and not list(sub.glob(".*saving"))


def test_removed_layer_drops_its_table(tmp_path, validate_gpkg):
    path = tmp_path / "p.gpkg"
    p = sample_project(path)
    p.remove_layer("建筑物")
    p.save()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name LIKE '%建筑物%'").fetchone()[0] == 0
    conn.close()
    validate_gpkg(path)


def test_unsaved_changes_are_tracked(tmp_path):
    path = tmp_path / "p.gpkg"
    p = sample_project(path)
    assert not p.is_modified
    p.design.add("air_quality", (500_200.0, 3_380_200.0))
    assert p.is_modified
    p.save()
    assert not p.is_modified
    p.stack.undo()
    assert p.is_modified
