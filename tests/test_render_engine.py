"""The rendering engine: view transform, grid index, paths, styles, rasters, jobs, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from smartgis.project import open_project
from smartgis.core import AttributeTable, Field, Project, RasterLayer, VectorLayer
from smartgis.core.style import Category, LabelStyle, Range, RasterStyle, Symbol, VectorStyle
from smartgis.errors import SourceError, UsageError
from smartgis.render import MapView, render_map, render_to_painter, widen_extent
from smartgis.render.images import qimage_to_rgba
from smartgis.render.index import GridIndex, ranges

X0, Y0 = 500_000.0, 3_380_000.0


@pytest.fixture(autouse=True)
def _gui(qapp):
    """Every test here draws, so it needs the (offscreen) Qt application."""
    return qapp


def rgba(img):
    return qimage_to_rgba(img).astype(int)


def square_project(style=None, n=1):
    """A project with one 100 m square at (X0..X0+100, Y0..Y0+100) (and n-1 others east of it)."""
    p = Project("test", "EPSG:4547")
    geoms = [shapely.box(X0 + 200 * i, Y0, X0 + 200 * i + 100, Y0 + 100) for i in range(n)]
    t = AttributeTable([Field("kind", "str"), Field("h", "float")],
                       {"kind": (["a", "b", "c"] * n)[:n], "h": [10.0 * (i + 1) for i in range(n)]})
    lyr = p.add_layer(VectorLayer("squares", geoms, t, crs="EPSG:4547",
                                  style=style or VectorStyle(symbol=Symbol(fill="#ff0000", stroke="#000000",
                                                                           stroke_width=0.0))))
    return p, lyr


# -- view --------------------------------------------------------------------------------
def test_widen_extent_keeps_centre_and_takes_the_image_aspect():
    ext = widen_extent((0, 0, 100, 100), 200, 100)
    assert ext == pytest.approx((-50, 0, 150, 100))
    ext = widen_extent((0, 0, 400, 100), 100, 100)
    assert ext == pytest.approx((0, -150, 400, 250))
    with pytest.raises(UsageError):
        widen_extent((0, 0, float("nan"), 1), 10, 10)


def test_view_transform_round_trip_and_scale():
    v = MapView.fit((X0, Y0, X0 + 1000, Y0 + 500), 1000, 500, dpi=96)
    assert v.mupp == pytest.approx(1.0)
    px, py = v.to_pixels([X0, X0 + 1000], [Y0 + 500, Y0])
    assert px.tolist() == pytest.approx([0, 1000]) and py.tolist() == pytest.approx([0, 500])
    x, y = v.to_map(px, py)
    assert x.tolist() == pytest.approx([X0, X0 + 1000])
    # 1 m per pixel at 96 dpi: a pixel is 0.2646 mm, so the scale is 1:3779.5
    assert v.scale == pytest.approx(1 / 0.0254 * 96, rel=1e-9)
    assert v.mm(25.4) == pytest.approx(96)


# -- index ---------------------------------------------------------------------------------
def test_grid_index_matches_a_brute_force_box_test():
    rng = np.random.default_rng(1)
    n = 20_000
    x, y = rng.uniform(0, 10_000, n), rng.uniform(0, 8_000, n)
    w, h = rng.uniform(1, 30, n), rng.uniform(1, 30, n)
    b = np.column_stack([x, y, x + w, y + h])
    b[:50, 2] += 5000                    # a few long features
    b[100:110] = np.nan                  # empty geometries
    idx = GridIndex(b)
    for _ in range(25):
        qx, qy = rng.uniform(-500, 10_000), rng.uniform(-500, 8_000)
        q = (qx, qy, qx + rng.uniform(1, 3000), qy + rng.uniform(1, 3000))
        got = idx.query(q)
        ok = np.isfinite(b).all(axis=1)
        want = np.flatnonzero(ok & (b[:, 0] <= q[2]) & (b[:, 2] >= q[0]) & (b[:, 1] <= q[3]) & (b[:, 3] >= q[1]))
        assert np.array_equal(got, want)
    assert len(idx.query((-1e9, -1e9, 1e9, 1e9))) == n - 10
    assert len(idx.query((1e6, 1e6, 1e6 + 1, 1e6 + 1))) == 0


def test_ranges_concatenates_aranges():
    got = ranges(np.array([5, 0, 9, 3]), np.array([8, 0, 11, 4]))
    assert got.tolist() == [5, 6, 7, 9, 10, 3]


# -- paths ---------------------------------------------------------------------------------
def test_thin_drops_vertices_inside_one_pixel_and_keeps_ends():
    from smartgis.render.paths import thin
    x = np.array([0.0, 0.1, 0.2, 5.0, 5.1, 10.0, 0.0, 0.05])
    y = np.zeros(8)
    off = np.array([0, 6, 8])
    tx, ty, toff, kept = thin(x, y, off, tolerance=0.5, min_vertices=2)
    assert tx.tolist() == [0.0, 5.0, 10.0, 0.0, 0.05]
    assert toff.tolist() == [0, 3, 5]
    assert kept.tolist() == [3, 2]


def test_orient_gives_exteriors_and_holes_opposite_turns():
    from smartgis.render.paths import orient
    ring = np.array([[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], float)
    x = np.concatenate([ring[:, 0], ring[::-1, 0]])
    y = np.concatenate([ring[:, 1], ring[::-1, 1]])
    off = np.array([0, 5, 10])
    ox, oy = orient(x, y, off, np.array([True, True]))
    a1 = shapely.LinearRing(np.column_stack([ox[:5], oy[:5]])).is_ccw
    a2 = shapely.LinearRing(np.column_stack([ox[5:], oy[5:]])).is_ccw
    assert a1 == a2                      # both exteriors now turn the same way
    hx, hy = orient(x, y, off, np.array([True, False]))
    assert shapely.LinearRing(np.column_stack([hx[:5], hy[:5]])).is_ccw != \
        shapely.LinearRing(np.column_stack([hx[5:], hy[5:]])).is_ccw


# -- vector drawing ------------------------------------------------------------------------------
def test_a_polygon_is_drawn_where_it_is():
    p, _ = square_project()
    # 1 m per pixel; the square covers pixels 50..150 (x) and 50..150 (y)
    r = render_map(p, (200, 200), extent=(X0 - 50, Y0 - 50, X0 + 150, Y0 + 150), background="#ffffff")
    a = rgba(r.image)
    assert r.errors == {} and r.features_drawn == 1
    assert a[100, 100, :3].tolist() == [255, 0, 0]
    assert a[20, 20, :3].tolist() == [255, 255, 255]
    assert a[55, 145, :3].tolist() == [255, 0, 0]      # near the top-right corner, inside
    assert a[45, 155, :3].tolist() == [255, 255, 255]  # just outside


def test_polygon_holes_stay_empty():
    p = Project("holes", "EPSG:4547")
    outer = [(X0, Y0), (X0 + 100, Y0), (X0 + 100, Y0 + 100), (X0, Y0 + 100)]
    hole = [(X0 + 30, Y0 + 30), (X0 + 70, Y0 + 30), (X0 + 70, Y0 + 70), (X0 + 30, Y0 + 70)]
    p.add_layer(VectorLayer("h", [shapely.Polygon(outer, [hole])], crs="EPSG:4547",
                            style=VectorStyle(symbol=Symbol(fill="#0000ff", stroke="#000000", stroke_width=0))))
    a = rgba(render_map(p, (100, 100), extent=(X0, Y0, X0 + 100, Y0 + 100)).image)
    assert a[50, 50, :3].tolist() == [255, 255, 255]
    assert a[10, 10, :3].tolist() == [0, 0, 255]


def test_features_smaller_than_a_pixel_are_drawn_as_pixels():
    p = Project("tiny", "EPSG:4547")
    rng = np.random.default_rng(3)
    x, y = rng.uniform(X0, X0 + 10_000, 5000), rng.uniform(Y0, Y0 + 10_000, 5000)
    geoms = shapely.box(x, y, x + 5, y + 5)              # 5 m at 100 m per pixel
    p.add_layer(VectorLayer("tiny", geoms, crs="EPSG:4547",
                            style=VectorStyle(symbol=Symbol(fill="#00aa00", stroke="#00aa00", stroke_width=0.2))))
    r = render_map(p, (100, 100), extent=(X0, Y0, X0 + 10_000, Y0 + 10_000), background=None)
    a = rgba(r.image)
    assert r.features_drawn == 5000
    drawn = a[..., 3] > 0
    assert drawn.mean() > 0.3                            # ~5000 dots on 10,000 pixels
    assert (a[drawn][:, 1] > a[drawn][:, 0]).all()       # green


def test_categorized_and_graduated_styles_colour_by_attribute():
    cat = VectorStyle(renderer="categorized", field="kind",
                      symbol=Symbol(fill="#000000", stroke_width=0),
                      categories=[Category("a", Symbol(fill="#ff0000", stroke_width=0)),
                                  Category("b", Symbol(fill="#00ff00", stroke_width=0))])
    p, _ = square_project(cat, n=3)
    a = rgba(render_map(p, (500, 100), extent=(X0, Y0, X0 + 500, Y0 + 100)).image)
    assert a[50, 50, :3].tolist() == [255, 0, 0]
    assert a[50, 250, :3].tolist() == [0, 255, 0]
    assert a[50, 450, :3].tolist() == [0, 0, 0]          # "c": no category → the default symbol
    grad = VectorStyle(renderer="graduated", field="h", symbol=Symbol(fill="#000000", stroke_width=0),
                       ranges=[Range(0, 15, Symbol(fill="#0000ff", stroke_width=0)),
                               Range(15, 100, Symbol(fill="#ffff00", stroke_width=0))])
    p, _ = square_project(grad, n=3)
    a = rgba(render_map(p, (500, 100), extent=(X0, Y0, X0 + 500, Y0 + 100)).image)
    assert a[50, 50, :3].tolist() == [0, 0, 255]
    assert a[50, 250, :3].tolist() == [255, 255, 0]


def test_selected_features_are_drawn_in_the_selection_colour():
    p, lyr = square_project(n=2)
    lyr.select([1])
    a = rgba(render_map(p, (300, 100), extent=(X0, Y0, X0 + 300, Y0 + 100)).image)
    assert a[50, 50, :3].tolist() == [255, 0, 0]
    assert a[50, 250, :3].tolist() == [255, 255, 0]


def test_points_get_markers_and_svg_icons(tmp_path):
    svg = tmp_path / "icon.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" viewBox="0 0 10 10">'
                   '<rect width="10" height="10" fill="#00ff00"/></svg>')
    p = Project("pts", "EPSG:4547")
    p.add_layer(VectorLayer("m", [shapely.Point(X0 + 25, Y0 + 50)], crs="EPSG:4547",
                            style=VectorStyle(symbol=Symbol(fill="#0000ff", stroke="#0000ff", size=4))))
    p.add_layer(VectorLayer("i", [shapely.Point(X0 + 75, Y0 + 50)], crs="EPSG:4547",
                            style=VectorStyle(symbol=Symbol(icon=str(svg), size=4))))
    p.add_layer(VectorLayer("missing", [shapely.Point(X0 + 50, Y0 + 20)], crs="EPSG:4547",
                            style=VectorStyle(symbol=Symbol(fill="#ff0000", stroke="#ff0000", size=4,
                                                            icon=str(tmp_path / "no-such.svg")))))
    a = rgba(render_map(p, (100, 100), extent=(X0, Y0, X0 + 100, Y0 + 100)).image)
    assert a[50, 25, :3].tolist() == [0, 0, 255]
    assert a[50, 75, :3].tolist() == [0, 255, 0]
    assert a[80, 50, :3].tolist() == [255, 0, 0]         # a missing icon falls back to the marker


def test_labels_are_drawn_with_a_halo_and_do_not_overlap():
    from PySide6.QtGui import QImage, QPainter

    from smartgis.render.cancel import NEVER
    from smartgis.render.labels import draw_labels
    from smartgis.render.prepared import prepared_for
    from smartgis.render.snapshot import snapshot_project
    style = VectorStyle(symbol=Symbol(fill="#ffffff", stroke_width=0),
                        labels=LabelStyle(field="kind", enabled=True, size=4, color="#000000", halo="#ff0000"))
    p, lyr = square_project(style, n=1)
    a = rgba(render_map(p, (200, 200), extent=(X0 - 50, Y0 - 50, X0 + 150, Y0 + 150)).image)
    core = a[80:120, 80:120, :3]
    assert (core.sum(axis=2) < 100).any()                       # black text
    assert ((core[..., 0] > 200) & (core[..., 1] < 80)).any()   # red halo
    # 50 identical squares on one spot: one label only
    p2 = Project("stack", "EPSG:4547")
    p2.add_layer(VectorLayer("s", [shapely.box(X0, Y0, X0 + 100, Y0 + 100)] * 50,
                             AttributeTable([Field("kind", "str")], {"kind": ["x"] * 50}), crs="EPSG:4547",
                             style=style))
    view = MapView.fit((X0 - 50, Y0 - 50, X0 + 150, Y0 + 150), 200, 200)
    snap = snapshot_project(p2)[0]
    img = QImage(200, 200, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(0)
    painter = QPainter(img)
    placed = draw_labels(snap, prepared_for(snap.layer), np.arange(50), view, painter, NEVER)
    painter.end()
    assert placed == 1


def test_layers_in_another_crs_are_reprojected():
    p = Project("reproj", "EPSG:4547")
    from smartgis.crs import transformer
    lon, lat = transformer("EPSG:4547", "EPSG:4490").transform(X0 + 50, Y0 + 50)
    p.add_layer(VectorLayer("geo", [shapely.Point(lon, lat)], crs="EPSG:4490",
                            style=VectorStyle(symbol=Symbol(fill="#0000ff", stroke="#0000ff", size=3))))
    a = rgba(render_map(p, (100, 100), extent=(X0, Y0, X0 + 100, Y0 + 100)).image)
    assert a[50, 50, :3].tolist() == [0, 0, 255]


# -- rasters -------------------------------------------------------------------------------
def test_hillshade_lights_slopes_facing_the_light():
    from smartgis.render.raster import hillshade
    yy, xx = np.mgrid[0:101, 0:101]
    cone = 100.0 - np.hypot(xx - 50, yy - 50)           # a cone, 1 m per cell
    shade = hillshade(cone, (1.0, 1.0), azimuth=315, altitude=45)
    nw, se = int(shade[25, 25]), int(shade[75, 75])     # row 25 is north of the peak
    assert nw > 240 and se < 60
    flat = hillshade(np.zeros((10, 10)), (1, 1), altitude=45)
    assert int(flat[5, 5]) == round(255 * math.sin(math.radians(45)))


def test_colour_ramps_and_stretch():
    from smartgis.render.raster import colourise
    data = np.linspace(0, 100, 256, dtype=np.float32).reshape(1, 16, 16)
    valid = np.ones((16, 16), bool)
    valid[0, 0] = False
    out = colourise(data, valid, RasterStyle(mode="singleband", ramp="greys", vmin=0, vmax=100), [(0, 100)], (1, 1))
    assert out[15, 15, :3].tolist() == [255, 255, 255] and out[0, 1, 0] < 5
    assert out[0, 0, 3] == 0 and out[5, 5, 3] == 255
    terrain = colourise(data, valid, RasterStyle(mode="singleband", ramp="terrain"), [(0, 100)], (1, 1))
    assert terrain[1, 0, 1] > terrain[1, 0, 0]          # low ground is green


def test_rgb_raster_reprojected_into_the_view(shared_data):
    """Landsat scene (UTM 18N) shown in a Web Mercator project: it lands where it belongs."""
    src = shared_data / "raster" / "RGB.byte.tif"
    p = Project("r", "EPSG:3857")
    lyr = p.add_layer(RasterLayer("rgb", str(src), crs="EPSG:32618", style=RasterStyle(mode="rgb")))
    from smartgis.crs import transform_bounds
    import rasterio
    with rasterio.open(src) as ds:
        b = transform_bounds(tuple(ds.bounds), "EPSG:32618", "EPSG:3857")
    r = render_map(p, (400, 400), extent=b, background=None)
    assert r.errors == {}
    a = rgba(r.image)
    seen = a[..., 3] > 0
    assert 0.3 < seen.mean() < 0.95                     # a rotated scene with nodata corners
    # where the map shows data, the source has data at that place (and the reverse)
    rows, cols = np.mgrid[5:400:10, 5:400:10]
    mx, my = r.view.to_map(cols.ravel() + 0.5, rows.ravel() + 0.5)
    from smartgis.crs import transformer
    ux, uy = transformer("EPSG:3857", "EPSG:32618").transform(mx, my)
    with rasterio.open(src) as ds:
        mask = ds.dataset_mask()
        c, rr = ~ds.transform @ (np.asarray(ux), np.asarray(uy))
        c, rr = np.floor(c).astype(int), np.floor(rr).astype(int)
        inside = (c >= 0) & (c < ds.width) & (rr >= 0) & (rr < ds.height)
        src_valid = np.zeros(len(c), bool)
        src_valid[inside] = mask[rr[inside], c[inside]] > 0
    agree = (seen[rows.ravel(), cols.ravel()] == src_valid).mean()
    assert agree > 0.97
    assert lyr.id not in r.errors


def test_rasters_are_read_for_the_view_only_at_screen_resolution(shared_data):
    """Zoomed out on the cloud-optimised GeoTIFF, the read is screen-sized (overviews do the rest)."""
    import rasterio

    from smartgis.render.raster import _read_direct
    src = shared_data / "raster" / "cogeo.tif"
    with rasterio.open(src) as ds:
        assert ds.overviews(1)
        view = MapView.fit(tuple(ds.bounds), 100, 100)
        data, valid, rect, cell = _read_direct(ds, [1, 2, 3], view)
        assert data.shape[1] <= 101 and data.shape[2] <= 101
        # a window of a quarter of the raster reads only that quarter
        l, b, r, t = ds.bounds
        view = MapView.fit((l, b, (l + r) / 2, (b + t) / 2), 50, 50)
        data, valid, rect, cell = _read_direct(ds, [1], view)
        assert data.shape[1:] == (50, 50) or max(data.shape[1:]) <= 51
        assert rect[0] == pytest.approx(0, abs=1) and rect[2] == pytest.approx(50, abs=1.5)


# -- errors, cancel, cache ---------------------------------------------------------------------
def test_a_broken_layer_shows_an_error_and_the_others_still_draw(tmp_path):
    p, good = square_project()
    bad_tif = tmp_path / "broken.tif"
    bad_tif.write_bytes(b"II*\x00 this is not a real tiff" * 10)
    bad = p.add_layer(RasterLayer("broken raster", str(bad_tif), crs="EPSG:4547",
                                  info={"bounds": [X0, Y0, X0 + 100, Y0 + 100], "count": 1}))
    broken = VectorLayer("broken vector", geometry_type="Polygon", crs="EPSG:4547")

    def loader(what):
        raise SourceError("the table is damaged", tmp_path / "project.gpkg")
    broken.attach_loader(loader, {"feature_count": 10, "extent": [X0, Y0, X0 + 100, Y0 + 100]})
    p.add_layer(broken)
    r = render_map(p, (200, 200), extent=(X0 - 50, Y0 - 50, X0 + 150, Y0 + 150))
    assert set(r.errors) == {bad.id, broken.id}
    assert "damaged" in r.errors[broken.id]
    assert rgba(r.image)[100, 100, :3].tolist() == [255, 0, 0]    # the good layer is there
    assert good.id not in r.errors


def test_a_cancelled_job_keeps_no_images():
    from smartgis.render.job import RenderJob
    from smartgis.render.snapshot import snapshot_project
    p = Project("big", "EPSG:4547")
    rng = np.random.default_rng(0)
    x, y = rng.uniform(X0, X0 + 5000, 60_000), rng.uniform(Y0, Y0 + 5000, 60_000)
    p.add_layer(VectorLayer("many", shapely.box(x, y, x + 20, y + 20), crs="EPSG:4547"))
    view = MapView.fit((X0, Y0, X0 + 5000, Y0 + 5000), 1000, 1000)
    job = RenderJob(snapshot_project(p), view)
    job.cancel()
    job.run()
    assert job.cancelled and all(r.cancelled and r.image is None for r in job.results.values())
    assert job.compose("#ffffff").pixel(500, 500) == 0xffffffff


def test_the_image_cache_is_reused_for_the_same_view_and_state():
    from smartgis.render.cache import ImageCache
    from smartgis.render.job import RenderJob
    from smartgis.render.snapshot import snapshot_project
    p, lyr = square_project()
    cache = ImageCache()
    view = MapView.fit((X0, Y0, X0 + 100, Y0 + 100), 50, 50)
    j1 = RenderJob(snapshot_project(p), view, cache=cache).run()
    j2 = RenderJob(snapshot_project(p), view, cache=cache).run()
    assert not j1.results[lyr.id].from_cache and j2.results[lyr.id].from_cache
    lyr.style = VectorStyle(symbol=Symbol(fill="#00ff00"))    # another style: drawn again
    j3 = RenderJob(snapshot_project(p), view, cache=cache).run()
    assert not j3.results[lyr.id].from_cache
    lyr.select([0])                                           # the selection too
    j4 = RenderJob(snapshot_project(p), view, cache=cache).run()
    assert not j4.results[lyr.id].from_cache


def test_opacity_and_layer_order():
    p, red = square_project()
    blue = p.add_layer(VectorLayer("blue", [shapely.box(X0, Y0, X0 + 100, Y0 + 100)], crs="EPSG:4547",
                                   style=VectorStyle(symbol=Symbol(fill="#0000ff", stroke_width=0))))
    a = rgba(render_map(p, (10, 10), extent=(X0, Y0, X0 + 100, Y0 + 100)).image)
    assert a[5, 5, :3].tolist() == [0, 0, 255]               # the layer added last is on top
    blue.opacity = 0.5
    a = rgba(render_map(p, (10, 10), extent=(X0, Y0, X0 + 100, Y0 + 100)).image)
    assert a[5, 5, 0] == pytest.approx(128, abs=2) and a[5, 5, 2] == pytest.approx(127, abs=2)
    p.tree.node_for(blue.id).visible = False
    a = rgba(render_map(p, (10, 10), extent=(X0, Y0, X0 + 100, Y0 + 100)).image)
    assert a[5, 5, :3].tolist() == [255, 0, 0]


def test_render_to_painter_writes_vector_pdf(tmp_path):
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QPainter, QPdfWriter
    p, _ = square_project(n=3)
    out = tmp_path / "map.pdf"
    writer = QPdfWriter(str(out))
    writer.setResolution(300)
    painter = QPainter(writer)
    r = render_to_painter(painter, QRectF(0, 0, 1200, 600), p, (X0, Y0, X0 + 600, Y0 + 100), dpi=300,
                          scale_bar=True)
    painter.end()
    assert r.errors == {} and r.features_drawn == 3
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 500


def test_render_map_rejects_bad_sizes_and_empty_projects():
    with pytest.raises(UsageError):
        render_map(Project("empty", "EPSG:4547"), (100, 100))
    p, _ = square_project()
    with pytest.raises(UsageError):
        render_map(p, (0, 100))


# -- drawing straight from the project file ------------------------------------------------------
def test_a_saved_layer_is_drawn_from_its_file_before_it_is_loaded(tmp_path):
    from smartgis.render.job import RenderJob
    from smartgis.render.snapshot import snapshot_project
    p = Project("saved", "EPSG:4547")
    rng = np.random.default_rng(7)
    x, y = rng.uniform(X0, X0 + 20_000, 20_000), rng.uniform(Y0, Y0 + 20_000, 20_000)
    size = np.where(np.arange(20_000) < 100, 400.0, 8.0)     # 100 large ones need their geometry
    p.add_layer(VectorLayer("b", shapely.box(x, y, x + size, y + size), crs="EPSG:4547",
                            style=VectorStyle(symbol=Symbol(fill="#d9c3a5", stroke="#6e5f4b", stroke_width=0.1))))
    path = p.save(tmp_path / "saved.gpkg")
    loaded = render_map(p, (400, 400), extent=(X0, Y0, X0 + 20_000, Y0 + 20_000))

    q = open_project(path, read_only=True)
    lyr = q.layer("b")
    view = loaded.view
    job = RenderJob(snapshot_project(q), view).run()
    snap = job.snapshots[0]
    assert snap.drawn_from_file and not lyr.loaded
    assert job.results[lyr.id].features == 20_000
    from smartgis.render.imagecompare import compare_images
    c = compare_images(job.compose("#ffffff"), loaded.image, pixel_tolerance=40, max_fraction=0.01)
    assert c.ok, c.message


def test_rtree_walk_matches_sqlite(tmp_path):
    from smartgis.project import gpkg
    from smartgis.render.filesource import _walk_rtree, file_table
    p = Project("rt", "EPSG:4547")
    rng = np.random.default_rng(2)
    x, y = rng.uniform(0, 1e5, 30_000) + X0, rng.uniform(0, 1e5, 30_000) + Y0
    p.add_layer(VectorLayer("b", shapely.box(x, y, x + 10, y + 10), crs="EPSG:4547"))
    path = p.save(tmp_path / "rt.gpkg")
    q = open_project(path, read_only=True)
    ft = file_table(q.layer("b"), q)
    conn = gpkg.connect(path, readonly=True)
    rect = (X0 + 20_000, Y0 + 30_000, X0 + 50_000, Y0 + 45_000)
    ids, boxes = _walk_rtree(conn, ft.rtree, rect)
    rows = conn.execute(f'SELECT id FROM "{ft.rtree}" WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?',
                        (rect[0], rect[2], rect[1], rect[3])).fetchall()
    conn.close()
    assert sorted(ids.tolist()) == sorted(r[0] for r in rows) and len(ids) > 1000


def test_very_many_points_are_drawn_as_the_union_of_their_markers(monkeypatch):
    from smartgis.render import vector
    monkeypatch.setattr(vector, "MAX_STAMPED_POINTS", 10)   # take the many-points path with 40 points
    p = Project("pts", "EPSG:4547")
    xs = X0 + 5 + 10 * np.arange(40) % 100
    ys = Y0 + 5 + 10 * (np.arange(40) // 10)
    p.add_layer(VectorLayer("p", shapely.points(xs, ys), crs="EPSG:4547",
                            style=VectorStyle(symbol=Symbol(fill="#0000ff", stroke="#0000ff", size=1.0))))
    r = render_map(p, (100, 100), extent=(X0, Y0, X0 + 100, Y0 + 100), background=None)
    a = rgba(r.image)
    assert r.features_drawn == 40
    for x, y in zip(xs[:5], ys[:5]):
        px, py = r.view.to_pixels(x, y)
        assert a[int(py), int(px), 2] > 200 and a[int(py), int(px), 3] > 200
    assert a[5, 5, 3] == 0                               # no point up there
