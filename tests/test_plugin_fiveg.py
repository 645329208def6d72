"""The shipped 5G planning plugin: path-loss models, coverage over flat ground and a DEM, CLI."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest
import shapely

from smartgis.project import open_project
from smartgis.plugins import registry as registry_mod


@pytest.fixture
def fiveg(tmp_path, monkeypatch):
    """The plugin's modules, loaded through the registry (``pathloss``, ``coverage``)."""
    monkeypatch.setenv("SMARTGIS_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("SMARTGIS_PLUGIN_PATH", raising=False)
    reg = registry_mod.reset_registry()
    model = reg.coverage_models()["radio_5g"].resolve()
    cov = sys.modules[model.__module__]
    pl = sys.modules[cov.__name__.rsplit(".", 1)[0] + ".pathloss"]
    yield {"coverage": cov, "pathloss": pl, "registry": reg}
    registry_mod.reset_registry()


def ridge_dem(path, x_ridge=521800.0, height=80.0):
    """A 20 m DEM (EPSG:4547) of a plain at 20 m with a north-south ridge at ``x_ridge``."""
    import rasterio
    from rasterio.transform import from_origin
    x0, y0, res, n = 519600.0, 3384000.0, 20.0, 200
    x = x0 + (np.arange(n) + 0.5) * res
    z = 20.0 + height * np.exp(-((x - x_ridge) ** 2) / (2 * 40.0 ** 2))
    z = np.tile(z, (n, 1)).astype("float32")
    with rasterio.open(path, "w", driver="GTiff", width=n, height=n, count=1, dtype="float32", crs="EPSG:4547",
                       transform=from_origin(x0, y0, res, res), nodata=-9999) as ds:
        ds.write(z, 1)
    return path


def test_path_loss_values(fiveg):
    pl = fiveg["pathloss"]
    # 38.901 UMa NLOS, 3.5 GHz, 1 km, hBS 25 m, hUT 1.5 m: 13.54 + 39.08 log10(1000.28) + 20 log10(3.5)
    assert pl.uma(1000.0, 3.5, 25.0, 1.5) == pytest.approx(13.54 + 39.08 * np.log10(np.hypot(1000, 23.5))
                                                            + 20 * np.log10(3.5), abs=1e-9)
    assert float(pl.uma(1000.0, 3.5, 25.0, 1.5)) == pytest.approx(141.67, abs=0.01)
    # COST-231 Hata, 1800 MHz, hb 30 m, hm 1.5 m, 1 km, medium city (Cm = 0): 136.2 dB
    assert float(pl.cost231(1000.0, 1800.0, 30.0, 1.5, metropolitan=False)) == pytest.approx(136.2, abs=0.05)
    # ITU-R P.526 eq. 31 (an approximation of the Fresnel integral, which gives 6.02 dB at v = 0)
    assert float(pl.knife_edge_loss(0.0)) == pytest.approx(6.03, abs=0.005)
    assert float(pl.knife_edge_loss(-1.0)) == 0.0
    assert float(pl.knife_edge_loss(2.4)) == pytest.approx(6.9 + 20 * np.log10(np.hypot(2.3, 1) + 2.3), abs=1e-9)
    # LOS never loses more than NLOS, loss grows with distance
    d = np.linspace(20, 3000, 200)
    assert np.all(pl.uma(d, 3.5, 25, 1.5, los=True) <= pl.uma(d, 3.5, 25, 1.5) + 1e-9)
    assert np.all(np.diff(pl.umi(d, 3.5, 10, 1.5)) > 0)


def test_range_is_where_rsrp_meets_the_threshold(fiveg):
    pl = fiveg["pathloss"]
    r = pl.max_range("uma", np.array([3500.0, 2600.0]), np.array([30.0, 30.0]), 53.0, -95.0, 18.0, 3.0)
    level = pl.rsrp(53.0, 18.0, 3.0, pl.uma(r, np.array([3.5, 2.6]), 30.0, 1.5))
    assert level == pytest.approx([-95.0, -95.0], abs=1e-6)
    assert r[1] > r[0]                      # lower band reaches further
    assert 300 < r[0] < 600                 # the 300-500 m urban rule of thumb at 3.5 GHz
    assert pl.max_range("uma", 3500.0, 30.0, 53.0, -90.0, 18.0, 3.0) < r[0]


def _project_with_cells():
    from smartgis.core import Project
    p = Project("5G 规划", "EPSG:4547")
    p.design.add("cell_5g_macro", (521600, 3382000))
    p.design.add("cell_5g_small", (520400, 3381000), height_m=8)
    return p


def test_flat_coverage_circles(fiveg):
    cov = fiveg["coverage"]
    project = _project_with_cells()
    lyr, r = cov.coverage_layer(project)
    assert lyr.feature_count == 2 and set(lyr.table.column("type")) == {"cell_5g_macro", "cell_5g_small"}
    macro = lyr.table.column("type").tolist().index("cell_5g_macro")
    radius = lyr.table.column("flat_range_m")[macro]
    assert lyr.geometries[macro].area == pytest.approx(np.pi * radius ** 2, rel=0.01)
    small = 1 - macro
    assert lyr.table.column("model")[small] == "umi" and 50 < lyr.table.column("flat_range_m")[small] < 150


def test_dem_ridge_blocks_coverage_beyond_it(fiveg, tmp_path):
    cov = fiveg["coverage"]
    dem = ridge_dem(tmp_path / "ridge.tif")         # ridge 200 m east of the macro cell
    project = _project_with_cells()
    flat, _ = cov.coverage_layer(project)
    hilly, r = cov.coverage_layer(project, dem=str(dem))
    reach = r["reach"][list(r["stations"]["type"]).index("cell_5g_macro")]
    east, west = reach[18], reach[54]                # radials are clockwise from north: 90° and 270°
    assert west == pytest.approx(r["flat_range"][0], rel=0.02)
    assert 150 < east < 230                          # stops at the ridge, 200 m away
    assert hilly.geometries[0].area < 0.9 * flat.geometries[0].area
    assert shapely.contains_xy(hilly.geometries[0], 521600 - 300, 3382000)
    assert not shapely.contains_xy(hilly.geometries[0], 521600 + 300, 3382000)


def test_coverage_model_entry_and_metric(fiveg):
    reg = fiveg["registry"]
    polys = fiveg["coverage"].radio_coverage(shapely.points([[0, 0], [1000, 0]]), {"power_dbm": np.array([53.0, 43.0])},
                                             element_type="cell_5g_macro", threshold_dbm=-95.0)
    assert len(polys) == 2 and polys[0].area > polys[1].area > 0
    project = _project_with_cells()
    from smartgis.plugins.api import vector_layer
    area = shapely.box(521000, 3381400, 522200, 3382600)        # 1.2 x 1.2 km around the macro cell
    project.add_layer(vector_layer("研究范围", [area], crs=project.crs, role="study_area"))
    m = reg.metrics()["5g_outdoor_coverage"](project)
    assert m["area_km2"] == pytest.approx(1.44)
    assert 0 < m["percent"] < 100 and m["covered_km2"] < m["area_km2"]


def test_cli_coverage_save_and_update_radius(fiveg, tmp_path, cli, validate_gpkg):
    project = _project_with_cells()
    path = project.save(tmp_path / "cells.gpkg")
    dem = ridge_dem(tmp_path / "ridge.tif")
    env = {"SMARTGIS_CONFIG_DIR": str(tmp_path / "config")}
    r = cli("fiveg", "coverage", path, "--dem", dem, "--json", env=env)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["cells"] == 2 and out["dem"] == str(dem) and out["covered_km2"] > 0.3
    r = cli("fiveg", "coverage", path, "--dem", dem, "--update-radius", env=env)
    assert r.returncode == 2 and "--save" in r.stderr
    r = cli("fiveg", "coverage", path, "--dem", dem, "--save", "--update-radius", env=env)
    assert r.returncode == 0, r.stderr
    validate_gpkg(path)
    from smartgis.core import Project
    p = open_project(path)
    lyr = next(lyr for lyr in p.vector_layers() if lyr.name.startswith("5G 覆盖"))
    assert lyr.feature_count == 2
    radius = p.design.layers["cell_5g_macro"].table.column("radius_m")[0]
    assert radius == pytest.approx(out["by_type"]["cell_5g_macro"]["mean_reach_m"], abs=0.1)
    r = cli("fiveg", "range", "--model", "cost231", "--json", env=env)
    assert r.returncode == 0 and "extrapolation" in json.loads(r.stdout)["note"]
    empty = tmp_path / "empty.gpkg"
    assert cli("new", empty, "--crs", "EPSG:4547", env=env).returncode == 0
    r = cli("fiveg", "coverage", empty, env=env)
    assert r.returncode == 2 and "no 5G cells" in r.stderr


def test_coverage_engine_gets_the_radio_model(fiveg):
    """The session hands the plugin's model to the coverage engine (smartgis.analysis), which uses it."""
    from smartgis.analysis import models
    from smartgis.analysis.elements import collect
    assert "radio_5g" in models.coverage_models()
    project = _project_with_cells()
    footprint = models.get_model("radio_5g")(collect(project), None, {"threshold_dbm": -95.0, "dem": False})
    flat, _ = fiveg["coverage"].flat_ranges(fiveg["coverage"].stations(project), fiveg["coverage"].RadioParams())
    areas = sorted(g.area for g in footprint.pieces)
    assert areas == pytest.approx(sorted(np.pi * flat ** 2), rel=0.01)
    from smartgis.core.catalog import CoverageModel
    assert CoverageModel.from_dict({"model": "radio_5g"}).model == "radio_5g"   # catalog types may name it
