"""Every vector format through real GDAL: files written by GDAL here, then imported."""

from __future__ import annotations

import struct
import zipfile

import numpy as np
import pytest
import shapely
from pyogrio.raw import write

from smartgis.core.project import Project
from smartgis.errors import CRSError, SourceError
from smartgis.io import import_source

NAMES = np.array(["光谷广场", "武汉大学", "黄鹤楼"], dtype=object)
# three points near Wuhan (lon/lat) and the same in EPSG:4547
LONLAT = [(114.40, 30.50), (114.36, 30.54), (114.30, 30.55)]


def _points():
    return np.array([shapely.to_wkb(shapely.Point(x, y)) for x, y in LONLAT], dtype=object)


@pytest.fixture
def project():
    return Project("格式", "EPSG:4547")


@pytest.mark.parametrize("driver,ext", [("FlatGeobuf", ".fgb"), ("MapInfo File", ".tab"), ("MapInfo File", ".mif"),
                                        ("GML", ".gml"), ("KML", ".kml"), ("GeoJSON", ".geojson"),
                                        ("GPKG", ".gpkg"), ("ESRI Shapefile", ".shp")])
def test_vector_formats(tmp_path, project, driver, ext):
    path = tmp_path / f"点位{ext}"
    write(str(path), _points(), [NAMES], ["name"], driver=driver, geometry_type="Point", crs="EPSG:4326",
          encoding="UTF-8" if driver == "ESRI Shapefile" else None)
    rep = import_source(project, path)
    (lyr,) = project.vector_layers()
    assert lyr.feature_count == 3
    assert set(lyr.table.column("name" if driver != "KML" else "Name").tolist()) == set(NAMES)
    x, y = shapely.get_coordinates(lyr.geometries[0])[0]
    assert 535_000 < x < 540_000 and 3_370_000 < y < 3_380_000, (x, y)  # 114.40E 30.50N in CM 114E
    assert rep.sources[0].crs["how"] == "file"


def test_csv_lonlat_detected_and_gbk(tmp_path, project):
    text = "名称,经度,纬度\n" + "".join(f"{n},{x},{y}\n" for n, (x, y) in zip(NAMES, LONLAT))
    path = tmp_path / "points.csv"
    path.write_bytes(text.encode("gbk"))
    with pytest.raises(CRSError, match="EPSG:4490"):
        import_source(project, path)
    rep = import_source(project, path, crs="EPSG:4490")
    lyr = project.layer("points")
    assert lyr.feature_count == 3 and set(lyr.table.column("名称").tolist()) == set(NAMES)
    assert rep.sources[0].encoding["encoding"] == "gb18030"


def test_csv_named_columns_wkt_and_surveying_order(tmp_path, project):
    path = tmp_path / "surveyed.csv"
    path.write_text("id,X,Y\n1,3382000.5,521600.25\n2,3382100,521700\n", encoding="utf-8")
    rep = import_source(project, path, crs="EPSG:4547")
    x, y = shapely.get_coordinates(project.layer("surveyed").geometries[0])[0]
    assert (x, y) == (521600.25, 3382000.5)
    assert any("surveying order" in w for w in rep.sources[0].warnings)
    p2 = Project("p", "EPSG:4547")
    path2 = tmp_path / "named.csv"
    path2.write_text("E,N\n521600,3382000\n", encoding="utf-8")
    import_source(p2, path2, crs="EPSG:4547", x_field="E", y_field="N")
    assert shapely.get_coordinates(p2.layer("named").geometries[0])[0].tolist() == [521600, 3382000]
    path3 = tmp_path / "wkt.csv"
    path3.write_text('WKT,name\n"LINESTRING (521600 3382000, 521700 3382100)",a\n', encoding="utf-8")
    import_source(p2, path3, crs="EPSG:4547")
    assert p2.layer("wkt").geometry_type == "LineString"
    path4 = tmp_path / "nocoords.csv"
    path4.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(SourceError, match="--x-field"):
        import_source(p2, path4, crs="EPSG:4547")


def test_zip_with_several_shapefiles_and_chinese_path(tmp_path, project):
    folder = tmp_path / "测绘成果"
    folder.mkdir()
    for name in ("道路", "水系"):
        write(str(folder / f"{name}.shp"), _points(), [NAMES], ["name"], driver="ESRI Shapefile",
              geometry_type="Point", crs="EPSG:4326", encoding="GBK")
    z = folder / "成果.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for f in folder.glob("*.*"):
            if f.suffix != ".zip":
                zf.write(f, f"data/{f.name}")
    rep = import_source(project, z)
    assert sorted(lyr.name for lyr in project.vector_layers()) == ["水系", "道路"]
    assert all(s.encoding["encoding"] == "gb18030" for s in rep.sources)
    assert set(project.layer("道路").table.column("name").tolist()) == set(NAMES)


def test_mixed_invalid_null_z_m(tmp_path, project):
    geoms = [shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2)]),         # bow-tie: invalid
             shapely.MultiPolygon([shapely.box(5, 5, 6, 6)]),
             shapely.Point(1, 1), None,
             shapely.from_wkt("LINESTRING Z (0 0 5, 1 1 6)"),
             shapely.Polygon()]
    wkb = np.array([None if g is None else shapely.to_wkb(g, flavor="iso") for g in geoms], dtype=object)
    path = tmp_path / "mixed.geojson"
    write(str(path), wkb, [np.arange(6)], ["n"], driver="GeoJSON", geometry_type="Unknown", crs="EPSG:4547")
    rep = import_source(project, path)
    s = rep.sources[0]
    assert s.counters.repaired == 1 and s.counters.null + s.counters.empty == 2
    kinds = {lyr.name: (lyr.geometry_type, lyr.feature_count) for lyr in project.vector_layers()}
    # the polygons (plus the two null/empty rows) stay together, promoted to multi
    assert kinds["mixed polygons"] == ("MultiPolygon", 4)
    assert kinds["mixed points"] == ("Point", 1)
    assert kinds["mixed lines"] == ("LineString", 1)
    assert shapely.has_z(project.layer("mixed lines").geometries[0])
    assert all(shapely.is_valid(g) for g in project.layer("mixed polygons").geometries if g is not None)
    p2 = Project("p", "EPSG:4547")
    rep = import_source(p2, path, keep_z=False, keep_null=False, split_mixed=False)
    (only,) = p2.vector_layers()
    assert only.geometry_type == "Geometry" and only.feature_count == 4
    assert rep.sources[0].counters.z_dropped == 1


def test_curves_are_linearised():
    from smartgis.io.wkb import linearise
    arc = struct.pack("<BII6d", 1, 8, 3, 0, 0, 1, 1, 2, 0)
    g = linearise(arc)
    assert g.geom_type == "LineString" and abs(g.length - np.pi) < 0.01
    curvepoly = struct.pack("<BII", 1, 10, 1) + struct.pack("<BII10d", 1, 8, 5, 0, 0, 1, 1, 2, 0, 1, -1, 0, 0)
    p = linearise(curvepoly)
    assert p.geom_type == "Polygon" and abs(p.area - np.pi) < 0.02


def test_bad_inputs_are_refused(tmp_path, project, shared_data):
    png = tmp_path / "fake.shp"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    with pytest.raises(SourceError, match="PNG"):
        import_source(project, png)
    trunc = tmp_path / "cut.shp"
    data = (shared_data / "cn-encodings/rivers.shp").read_bytes()
    trunc.write_bytes(data[: len(data) // 2])
    for ext in (".shx", ".dbf"):
        (tmp_path / f"cut{ext}").write_bytes((shared_data / f"cn-encodings/rivers{ext}").read_bytes())
    with pytest.raises(SourceError, match="truncated"):
        import_source(project, trunc, crs="EPSG:4490")
    dxf = tmp_path / "cut.dxf"
    dxf.write_bytes((shared_data / "formats/dxf/Leica_Disto_S910.dxf").read_bytes()[:5000])
    with pytest.raises(SourceError, match="truncated"):
        import_source(project, dxf, crs="EPSG:4547")
    empty = tmp_path / "empty.geojson"
    empty.write_bytes(b"")
    with pytest.raises(SourceError, match="empty"):
        import_source(project, empty)
    gj = tmp_path / "cut.geojson"
    gj.write_bytes((shared_data / "cgcs2000/province.geojson").read_bytes()[:3000])
    with pytest.raises(SourceError):
        import_source(project, gj)
    with pytest.raises(SourceError, match="no such file"):
        import_source(project, tmp_path / "missing.shp")
    with pytest.raises(SourceError, match="folder"):
        import_source(project, tmp_path)
    assert not project.layers
