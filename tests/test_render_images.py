"""Rendered maps compared with expected images (tests/images), with a tolerance.

Regenerate the expected images after an intended change of the drawing with
``SMARTGIS_REGENERATE_IMAGES=1 pytest tests/test_render_images.py`` and look at them
before committing.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import shapely

from smartgis.core import AttributeTable, Field, Project, RasterLayer, VectorLayer
from smartgis.core.style import Category, LabelStyle, RasterStyle, Symbol, VectorStyle
from smartgis.render import render_map
from smartgis.render.imagecompare import assert_matches, compare_images

IMAGES = Path(__file__).parent / "images"
X0, Y0 = 500_000.0, 3_380_000.0


@pytest.fixture(autouse=True)
def _gui(qapp):
    return qapp


def town() -> Project:
    """A small deterministic town: blocks with a courtyard, categorised buildings,
    roads of two classes, sensors, labels and a selection."""
    p = Project("town", "EPSG:4547")
    rng = np.random.default_rng(4547)
    blocks = []
    for i in range(4):
        for j in range(3):
            x, y = X0 + i * 250, Y0 + j * 250
            outer = [(x, y), (x + 200, y), (x + 200, y + 200), (x, y + 200)]
            hole = [(x + 70, y + 70), (x + 130, y + 70), (x + 130, y + 130), (x + 70, y + 130)]
            blocks.append(shapely.Polygon(outer, [hole] if (i + j) % 2 == 0 else []))
    p.add_layer(VectorLayer("blocks", blocks, crs="EPSG:4547",
                            style=VectorStyle(symbol=Symbol(fill="#ece6d8", stroke="#b0a58c", stroke_width=0.3))))
    n = 120
    bx = X0 + rng.uniform(0, 950, n)
    by = Y0 + rng.uniform(0, 700, n)
    bw, bh = rng.uniform(8, 30, n), rng.uniform(8, 30, n)
    use = rng.choice(["residential", "commercial", "public"], n)
    t = AttributeTable([Field("use", "str"), Field("name", "str")],
                       {"use": use.tolist(), "name": [f"B{i}" for i in range(n)]})
    style = VectorStyle(renderer="categorized", field="use", symbol=Symbol(fill="#cccccc"),
                        categories=[Category("residential", Symbol(fill="#e6b37a", stroke="#8a6a48")),
                                    Category("commercial", Symbol(fill="#7fa8d1", stroke="#4c6580")),
                                    Category("public", Symbol(fill="#b99ad6", stroke="#6f5c80"))])
    b = p.add_layer(VectorLayer("buildings", shapely.box(bx, by, bx + bw, by + bh), t, crs="EPSG:4547",
                                style=style))
    b.select([3, 17, 40])
    roads = [shapely.LineString([(X0 - 50, Y0 + 225 + 250 * k), (X0 + 1050, Y0 + 225 + 250 * k)]) for k in range(2)]
    roads += [shapely.LineString([(X0 + 225 + 250 * k, Y0 - 50), (X0 + 225 + 250 * k, Y0 + 800)]) for k in range(3)]
    rt = AttributeTable([Field("class", "str")], {"class": ["primary"] * 2 + ["secondary"] * 3})
    p.add_layer(VectorLayer("roads", roads, rt, crs="EPSG:4547", style=VectorStyle(
        renderer="categorized", field="class", symbol=Symbol(stroke="#999999", stroke_width=0.5),
        categories=[Category("primary", Symbol(fill="#00000000", stroke="#d9534f", stroke_width=1.2)),
                    Category("secondary", Symbol(fill="#00000000", stroke="#f0ad4e", stroke_width=0.7,
                                                 dash="dash"))])))
    sx, sy = X0 + rng.uniform(0, 950, 15), Y0 + rng.uniform(0, 700, 15)
    st = AttributeTable([Field("sid", "int")], {"sid": list(range(1, 16))})
    p.add_layer(VectorLayer("sensors", shapely.points(sx, sy), st, crs="EPSG:4547", style=VectorStyle(
        symbol=Symbol(fill="#2a9d8f", stroke="#ffffff", stroke_width=0.3, marker="triangle", size=3.0),
        labels=LabelStyle(field="sid", enabled=True, size=2.6))))
    return p


def test_town_full_extent_matches_the_expected_image():
    r = render_map(town(), (320, 240), scale_bar=True, north_arrow=True)
    assert r.errors == {}
    assert_matches(r.image, IMAGES / "town_full.png")


def test_town_zoomed_in_matches_the_expected_image():
    r = render_map(town(), (320, 240), extent=(X0 + 150, Y0 + 150, X0 + 450, Y0 + 375))
    assert r.errors == {}
    assert_matches(r.image, IMAGES / "town_zoom.png")


def test_the_comparison_notices_a_real_change():
    p = town()
    a = render_map(p, (320, 240)).image
    p.layer("roads").style.categories[0].symbol.stroke = "#0000ff"
    b = render_map(p, (320, 240)).image
    assert not compare_images(a, b).ok
    assert compare_images(a, a).ok


def write_dem(path) -> None:
    """A 400 x 300 DEM (EPSG:4547, 10 m cells) of two hills and a valley, with overviews."""
    import rasterio
    from rasterio.transform import from_origin
    yy, xx = np.mgrid[0:300, 0:400].astype(float)
    z = (120 * np.exp(-((xx - 120) ** 2 + (yy - 110) ** 2) / (2 * 45 ** 2))
         + 80 * np.exp(-((xx - 290) ** 2 + (yy - 190) ** 2) / (2 * 60 ** 2))
         - 25 * np.exp(-((yy - 240 + 0.3 * xx) ** 2) / (2 * 12 ** 2)) + 40)
    z[:12, :12] = -9999
    with rasterio.open(path, "w", driver="GTiff", width=400, height=300, count=1, dtype="float32",
                       crs="EPSG:4547", transform=from_origin(X0, Y0 + 3000, 10, 10), nodata=-9999) as ds:
        ds.write(z.astype(np.float32), 1)
        ds.build_overviews([2, 4])


def test_hillshade_and_ramp_rasters_match_the_expected_images(tmp_path):
    dem = tmp_path / "dem.tif"
    write_dem(dem)
    p = Project("dem", "EPSG:4547")
    lyr = p.add_layer(RasterLayer("dem", str(dem), crs="EPSG:4547", style=RasterStyle(mode="hillshade", z_factor=4)))
    extent = (X0, Y0, X0 + 4000, Y0 + 3000)
    r = render_map(p, (320, 240), extent=extent)
    assert r.errors == {}
    assert_matches(r.image, IMAGES / "raster_hillshade.png")
    lyr.style = RasterStyle(mode="singleband", ramp="terrain")
    r = render_map(p, (320, 240), extent=extent)
    assert_matches(r.image, IMAGES / "raster_terrain.png")


def test_rgb_raster_matches_the_expected_image(shared_data):
    src = shared_data / "raster" / "RGB.byte.tif"
    p = Project("rgb", "EPSG:32618")
    p.add_layer(RasterLayer("rgb", str(src), crs="EPSG:32618", style=RasterStyle(mode="rgb")))
    r = render_map(p, (240, 220), extent=(101985, 2611485, 339315, 2826915))
    assert r.errors == {}
    assert_matches(r.image, IMAGES / "raster_rgb.png")
