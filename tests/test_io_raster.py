"""Rasters: referenced by path (relative when saved), overviews, DEM statistics, embedding."""

from __future__ import annotations

import hashlib
import os
import shutil

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from smartgis.core.project import Project
from smartgis.errors import CRSError, SourceError
from smartgis.io import import_source, raster_layer
from smartgis.project import open_project


def _dem(path, crs="EPSG:4547", size=(1200, 1500)):
    h, w = size
    yy, xx = np.mgrid[0:h, 0:w]
    z = (50 + 30 * np.sin(xx / 90.0) + 20 * np.cos(yy / 70.0)).astype("float32")
    z[:40, :40] = -9999
    with rasterio.open(path, "w", driver="GTiff", width=w, height=h, count=1, dtype="float32", nodata=-9999,
                       crs=crs, transform=from_origin(520000, 3390000, 10, 10), tiled=True) as ds:
        ds.write(z, 1)
    valid = z[z != -9999].astype(np.float64)
    return valid


def test_dem_statistics_and_overviews(tmp_path):
    valid = _dem(tmp_path / "dem.tif")
    before = hashlib.sha256((tmp_path / "dem.tif").read_bytes()).hexdigest()
    lyr = raster_layer(tmp_path / "dem.tif")
    st = lyr.info["statistics"][0]
    assert st["valid_count"] == valid.size and not st["approximate"]
    assert st["min"] == pytest.approx(valid.min()) and st["max"] == pytest.approx(valid.max())
    assert st["mean"] == pytest.approx(valid.mean(), rel=1e-9) and st["std"] == pytest.approx(valid.std(), rel=1e-6)
    assert lyr.info["kind"] == "dem" and lyr.info["nodata"] == -9999
    assert lyr.info["overviews"] == [2, 4, 8] and (tmp_path / "dem.tif.ovr").exists()
    assert hashlib.sha256((tmp_path / "dem.tif").read_bytes()).hexdigest() == before  # the raster itself untouched


def test_reference_by_relative_path(tmp_path, shared_data, validate_gpkg):
    data = tmp_path / "影像"
    data.mkdir()
    shutil.copy(shared_data / "raster/RGB.byte.tif", data / "RGB.byte.tif")
    os.chmod(data / "RGB.byte.tif", 0o644)
    p = Project("影像", "EPSG:4547")
    rep = import_source(p, data / "RGB.byte.tif")
    lyr = p.layer("RGB.byte")
    assert lyr.info["count"] == 3 and lyr.crs == "EPSG:32618" and lyr.info["overviews"] == [2, 4]
    assert rep.sources[0].raster["width"] == 791
    p.save(tmp_path / "p.gpkg")
    validate_gpkg(tmp_path / "p.gpkg")
    moved = tmp_path / "moved"
    shutil.copytree(tmp_path, moved, ignore=shutil.ignore_patterns("moved"))
    p2 = open_project(moved / "p.gpkg")
    r2 = p2.layer("RGB.byte")
    assert r2.available and r2.path == str(moved / "影像" / "RGB.byte.tif")


def test_read_only_folder_gets_a_note(shared_data, tmp_path):
    # the test makes its own read-only folder: the shared data may be writable, and nothing
    # is ever written beside it
    folder = tmp_path / "readonly"
    folder.mkdir()
    for name in ("shade.tif", "cogeo.tif"):
        shutil.copyfile(shared_data / "raster" / name, folder / name)
        os.chmod(folder / name, 0o444)
    os.chmod(folder, 0o555)
    try:
        if os.stat(folder).st_mode & 0o222:
            pytest.skip("this file system ignores permission bits")
        p = Project("p", "EPSG:4547")
        rep = import_source(p, folder / "shade.tif")
        assert any("not writable" in w for w in rep.sources[0].warnings)
        assert sorted(f.name for f in folder.iterdir()) == ["cogeo.tif", "shade.tif"]
        # the cloud-optimised GeoTIFF has overviews already
        rep = import_source(p, folder / "cogeo.tif")
        assert p.layer("cogeo").info["overviews"] == [2, 4, 8, 16, 32, 64]
        assert not any("not writable" in w for w in rep.sources[0].warnings)
    finally:
        os.chmod(folder, 0o755)
    # the same file in a writable folder gets its overviews beside it
    writable = tmp_path / "writable"
    writable.mkdir()
    shutil.copyfile(shared_data / "raster/shade.tif", writable / "shade.tif")
    rep = import_source(Project("p", "EPSG:4547"), writable / "shade.tif")
    assert not any("not writable" in w for w in rep.sources[0].warnings)
    assert (writable / "shade.tif.ovr").exists()


def test_embedded_tiles_open_in_gdal(tmp_path, shared_data, validate_gpkg):
    _dem(tmp_path / "dem.tif")
    p = Project("p", "EPSG:4547")
    import_source(p, shared_data / "raster/RGB.byte.tif", embed=True)
    import_source(p, tmp_path / "dem.tif", embed=True, layer_name="高程")
    out = p.save(tmp_path / "embedded.gpkg")
    validate_gpkg(out)
    rgb = p.layer("RGB.byte")
    assert rgb.embedded_table and rgb.path is None
    with rasterio.open(f"GPKG:{out}:{rgb.embedded_table}") as ds:
        assert (ds.width, ds.height, ds.count) == (791, 718, 4) and ds.overviews(1)
        assert ds.read(1, window=((300, 310), (300, 310))).any()
    dem = p.layer("高程")
    with rasterio.open(f"GPKG:{out}:{dem.embedded_table}") as ds:
        assert ds.dtypes[0] == "float32"
        assert abs(float(ds.read(1)[600, 700]) - (50 + 30 * np.sin(700 / 90) + 20 * np.cos(600 / 70))) < 1e-3
    p2 = open_project(out)
    assert p2.layer("高程").available


def test_raster_problems(tmp_path, shared_data):
    p = Project("p", "EPSG:4547")
    cut = tmp_path / "cut.tif"
    cut.write_bytes((shared_data / "raster/RGB.byte.tif").read_bytes()[:200_000])
    with pytest.raises(SourceError):
        import_source(p, cut)
    with rasterio.open(tmp_path / "nocrs.tif", "w", driver="GTiff", width=10, height=10, count=1, dtype="uint8",
                       transform=from_origin(114.0, 30.6, 0.001, 0.001)) as ds:
        ds.write(np.ones((1, 10, 10), dtype="uint8"))
    with pytest.raises(CRSError, match="EPSG:4490"):
        import_source(p, tmp_path / "nocrs.tif")
    import_source(p, tmp_path / "nocrs.tif", crs="EPSG:4490")
    assert p.layer("nocrs").crs == "EPSG:4490"
    assert len(p.layers) == 1
