"""Package project: the rasters a project references go into the file, so one file
carries everything (offline review, archive)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import rasterio

from smartgis.project import open_project
from smartgis.review import Review

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_projects" / "longquan_lake.gpkg"


def copy_sample(folder: Path) -> Path:
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    shutil.copytree(SAMPLE.parent / "longquan_lake", folder / "longquan_lake")
    return folder / SAMPLE.name


def test_package_embeds_rasters_and_travels_alone(tmp_path, cli, validate_gpkg):
    src = copy_sample(tmp_path)
    r = Review.open(src)
    r.add_comment("请补充视频监控", author="王建华", at=(544300, 3370300))
    r.save()
    before = src.read_bytes()
    out = tmp_path / "package.gpkg"
    res = cli("package", src, "-o", out, "--json")
    assert res.returncode == 0, res.stderr
    info = json.loads(res.stdout)
    assert {d["layer"] for d in info["embedded"]} == {"正射影像", "数字高程模型"}
    assert src.read_bytes() == before                          # the project itself is unchanged
    validate_gpkg(out)

    # the package alone, far from the raster folder
    alone = tmp_path / "elsewhere"
    alone.mkdir()
    shutil.move(out, alone / "package.gpkg")
    p = open_project(alone / "package.gpkg", read_only=True)
    rasters = {lyr.name: lyr for lyr in p.raster_layers()}
    assert set(rasters) == {"正射影像", "数字高程模型"}
    for name, lyr in rasters.items():
        assert lyr.available and lyr.embedded_table and lyr.path is None, name
    # the tiles hold the source's pixels: the orthophoto as JPEG (quality 90, so within a
    # few grey levels), the DEM losslessly
    with rasterio.open(f"GPKG:{alone / 'package.gpkg'}:{rasters['正射影像'].embedded_table}") as a, \
            rasterio.open(SAMPLE.parent / "longquan_lake" / "ortho.tif") as b:
        assert a.bounds == pytest.approx(b.bounds)
        win = ((1000, 1064), (1200, 1264))
        diff = np.abs(a.read([1, 2, 3], window=win).astype(int) - b.read(window=win).astype(int))
        assert diff.mean() < 3 and np.percentile(diff, 99) < 20
    with rasterio.open(f"GPKG:{alone / 'package.gpkg'}:{rasters['数字高程模型'].embedded_table}") as a, \
            rasterio.open(SAMPLE.parent / "longquan_lake" / "dem.tif") as b:
        win = ((100, 164), (120, 184))
        assert np.array_equal(a.read(1, window=win), b.read(1, window=win))
        assert a.overviews(1)
    # the design, the data and the review travel too
    assert p.design.counts() == open_project(src, read_only=True).design.counts()
    assert [c.text for c in Review.open(alone / "package.gpkg").comments()] == ["请补充视频监控"]


def test_package_refuses_missing_rasters_and_overwrites(tmp_path, cli):
    from rasterio.transform import Affine

    from smartgis.core import Project
    from smartgis.io import raster_layer
    tif = tmp_path / "data" / "dem.tif"
    tif.parent.mkdir()
    with rasterio.open(tif, "w", driver="GTiff", width=64, height=64, count=1, dtype="float32", crs="EPSG:4547",
                       transform=Affine(10, 0, 544000, 0, -10, 3371000)) as ds:
        ds.write(np.arange(64 * 64, dtype="float32").reshape(1, 64, 64))
    p = Project("缺图项目", "EPSG:4547")
    p.add_layer(raster_layer(tif, name="高程"))
    src = tmp_path / "missing.gpkg"
    p.save(src)
    shutil.rmtree(tif.parent)
    r = cli("package", src, "-o", tmp_path / "p.gpkg")
    assert r.returncode == 2 and "missing" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "p.gpkg").exists()
    r = cli("package", src, "-o", src)
    assert r.returncode == 2 and "new file" in r.stderr
    (tmp_path / "p.gpkg").write_bytes(b"x")
    r = cli("package", src, "-o", tmp_path / "p.gpkg")
    assert r.returncode == 2 and "--force" in r.stderr
