"""Street-level views of a loaded polygon layer drawn from its kept chunk paths look
as drawn the general way (paths made in pixels for the view)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from smartgis.core.layers import VectorLayer
from smartgis.core.fields import Field
from smartgis.core.table import AttributeTable
from smartgis.core.project import Project
from smartgis.core.style import Category, Symbol, VectorStyle
from smartgis.render import chunks, render_map, render_to_painter
from smartgis.render.imagecompare import compare_images
from smartgis.render.prepared import prepared_for

X0, Y0 = 500_000.0, 3_380_000.0


def _project(n=6000, style=None):
    rng = np.random.default_rng(7)
    x, y = rng.uniform(X0, X0 + 4000, n), rng.uniform(Y0, Y0 + 2500, n)
    w, h = rng.uniform(6, 30, n), rng.uniform(6, 25, n)
    # quadrilaterals turned 17 degrees, as buildings are not axis-aligned
    c, s = np.cos(np.radians(17)), np.sin(np.radians(17))
    dx = np.array([0, 1, 1, 0, 0])[None, :] * w[:, None]
    dy = np.array([0, 0, 1, 1, 0])[None, :] * h[:, None]
    ring = np.stack([x[:, None] + c * dx - s * dy, y[:, None] + s * dx + c * dy], axis=-1)
    geoms = shapely.polygons(ring)
    geoms[0] = shapely.Polygon([(X0, Y0), (X0 + 300, Y0), (X0 + 300, Y0 + 300), (X0, Y0 + 300)],
                               [[(X0 + 100, Y0 + 100), (X0 + 200, Y0 + 100), (X0 + 200, Y0 + 200), (X0 + 100, Y0 + 200)]])
    geoms[1] = shapely.MultiPolygon([shapely.box(X0 + 400, Y0, X0 + 500, Y0 + 80),
                                     shapely.box(X0 + 520, Y0, X0 + 600, Y0 + 80)])
    geoms[2] = None
    geoms[3] = shapely.box(X0 + 1000, Y0 + 1000, X0 + 1000.05, Y0 + 1000.05)   # below a pixel
    p = Project("chunks", "EPSG:4547")
    kinds = np.array(["住宅", "商业", "工业"])[np.arange(n) % 3]
    lyr = VectorLayer("b", geoms, AttributeTable([Field("kind", "str")], {"kind": kinds.tolist()}), crs="EPSG:4547",
                      style=style or VectorStyle(symbol=Symbol(fill="#d9c3a5", stroke="#6e5f4b", stroke_width=0.2)))
    p.add_layer(lyr)
    return p, lyr


CATEGORIZED = VectorStyle(renderer="categorized", field="kind", categories=[
    Category(value="住宅", symbol=Symbol(fill="#f4d03f", stroke="#7d6608", stroke_width=0.2)),
    Category(value="商业", symbol=Symbol(fill="#e74c3c", stroke="#78281f", stroke_width=0.3)),
    Category(value="工业", symbol=Symbol(fill="#5dade2", stroke="#1b4f72", stroke_width=0.2))])


def _both(monkeypatch, p, extent, size=(900, 600)):
    monkeypatch.setattr(chunks, "MIN_FEATURES", 10**9)
    general = render_map(p, size, extent=extent)
    monkeypatch.setattr(chunks, "MIN_FEATURES", 1)
    kept = render_map(p, size, extent=extent)
    return general, kept


@pytest.mark.parametrize("style", [None, CATEGORIZED], ids=["single", "categorized"])
@pytest.mark.parametrize("extent", [(X0 - 10, Y0 - 10, X0 + 1200, Y0 + 800), (X0 + 900, Y0 + 900, X0 + 1300, Y0 + 1150)])
def test_chunk_paths_draw_what_the_general_way_draws(monkeypatch, style, extent):
    p, lyr = _project(style=style)
    general, kept = _both(monkeypatch, p, extent)
    assert prepared_for(lyr, p.crs).kept("chunk_paths")          # the chunks were used
    assert kept.features_drawn == general.features_drawn > 0
    c = compare_images(kept.image, general.image, pixel_tolerance=8, max_fraction=0.001)
    assert c.ok, c.message


def test_hidden_and_selected_features_are_honoured(monkeypatch):
    p, lyr = _project()
    lyr.hidden_rows = np.arange(lyr.feature_count) % 5 == 0        # a filter hides every fifth
    lyr.selection = np.arange(10, 400, 3)
    extent = (X0 - 10, Y0 - 10, X0 + 1200, Y0 + 800)
    general, kept = _both(monkeypatch, p, extent)
    c = compare_images(kept.image, general.image, pixel_tolerance=8, max_fraction=0.001)
    assert c.ok, c.message
    # and the filter does hide something: without it the map differs
    lyr.hidden_rows = None
    shown = render_map(p, (900, 600), extent=extent)
    assert not compare_images(shown.image, kept.image, pixel_tolerance=8, max_fraction=0.001).ok


def test_an_edit_is_drawn_at_once(monkeypatch):
    p, lyr = _project()
    extent = (X0 - 10, Y0 - 10, X0 + 1200, Y0 + 800)
    monkeypatch.setattr(chunks, "MIN_FEATURES", 1)
    before = render_map(p, (900, 600), extent=extent)
    lyr.set_geometries(np.array([0]), np.array([shapely.box(X0 + 600, Y0 + 400, X0 + 900, Y0 + 700)], dtype=object))
    after = render_map(p, (900, 600), extent=extent)
    monkeypatch.setattr(chunks, "MIN_FEATURES", 10**9)
    general = render_map(p, (900, 600), extent=extent)
    assert not compare_images(after.image, before.image, pixel_tolerance=8, max_fraction=0.001).ok
    assert compare_images(after.image, general.image, pixel_tolerance=8, max_fraction=0.001).ok


def test_every_polygon_is_in_one_chunk_inside_its_box():
    p, lyr = _project(n=1000)
    prep = prepared_for(lyr, p.crs)
    ch = chunks.chunk_paths(prep)
    members = ch.members
    assert sorted(members.tolist()) == sorted(np.flatnonzero(shapely.get_type_id(prep.geoms) >= 3).tolist())
    assert ch.chunk_of[2] == -1                                     # the missing geometry
    for c in range(len(ch.starts) - 1):
        m = members[ch.starts[c]:ch.starts[c + 1]]
        assert (ch.chunk_of[m] == c).all()
        b = prep.bounds[m]
        assert (b[:, 0] >= ch.box[c, 0]).all() and (b[:, 2] <= ch.box[c, 2]).all()
        assert (b[:, 1] >= ch.box[c, 1]).all() and (b[:, 3] <= ch.box[c, 3]).all()
    # neighbours share a chunk: a chunk covers about its share of the layer, not a strip across it
    span = (ch.box[:, 2] - ch.box[:, 0]) * (ch.box[:, 3] - ch.box[:, 1])
    assert np.median(span) < 2 * 4000 * 2500 / len(span)


def test_a_map_sheet_painter_draws_the_chunks_where_the_view_is(monkeypatch):
    # a sheet draws the map into a rectangle of a larger page: the chunks' transform
    # must add to the painter's own
    p, lyr = _project()
    extent = (X0 - 10, Y0 - 10, X0 + 1200, Y0 + 800)

    def sheet():
        img = QImage(1200, 900, QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(0xFFFFFFFF)
        painter = QPainter(img)
        render_to_painter(painter, QRectF(150, 120, 900, 600), p, extent)
        painter.end()
        return img

    monkeypatch.setattr(chunks, "MIN_FEATURES", 10**9)
    general = sheet()
    monkeypatch.setattr(chunks, "MIN_FEATURES", 1)
    kept = sheet()
    c = compare_images(kept, general, pixel_tolerance=8, max_fraction=0.001)
    assert c.ok, c.message


def test_a_pdf_gets_the_outlines_at_their_width(monkeypatch, tmp_path):
    # a PDF painter would write the kept paths' cosmetic pens as device hairlines: the
    # general way draws there, so the PDF is the same with or without kept paths
    from PySide6.QtGui import QPageSize, QPdfWriter
    p, lyr = _project()
    extent = (X0 - 10, Y0 - 10, X0 + 1200, Y0 + 800)
    monkeypatch.setattr(chunks, "MIN_FEATURES", 1)
    writer = QPdfWriter(str(tmp_path / "map.pdf"))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(300)
    painter = QPainter(writer)
    r = render_to_painter(painter, QRectF(0, 0, 2000, 1400), p, extent, dpi=300)
    painter.end()
    assert r.features_drawn > 0 and not r.errors
    assert not prepared_for(lyr, p.crs).kept("chunk_paths")
    assert (tmp_path / "map.pdf").stat().st_size > 10_000


def test_a_layer_without_polygons_has_no_chunks(monkeypatch):
    monkeypatch.setattr(chunks, "MIN_FEATURES", 1)
    p = Project("lines", "EPSG:4547")
    rng = np.random.default_rng(2)
    x, y = rng.uniform(X0, X0 + 1000, 500), rng.uniform(Y0, Y0 + 1000, 500)
    lyr = VectorLayer("r", shapely.linestrings(np.stack([np.column_stack([x, y]), np.column_stack([x + 20, y + 5])],
                                                        axis=1)), crs="EPSG:4547")
    p.add_layer(lyr)
    r = render_map(p, (400, 300))
    assert r.features_drawn == 500 and not r.errors
    assert len(chunks.chunk_paths(prepared_for(lyr, p.crs)).starts) == 1       # no chunk


def test_a_new_style_draws_new_classes_from_the_same_chunks(monkeypatch):
    p, lyr = _project()
    extent = (X0 - 10, Y0 - 10, X0 + 1200, Y0 + 800)
    monkeypatch.setattr(chunks, "MIN_FEATURES", 1)
    single = render_map(p, (900, 600), extent=extent)
    lyr.style = CATEGORIZED
    categorized = render_map(p, (900, 600), extent=extent)
    monkeypatch.setattr(chunks, "MIN_FEATURES", 10**9)
    general = render_map(p, (900, 600), extent=extent)
    assert not compare_images(categorized.image, single.image, pixel_tolerance=8, max_fraction=0.001).ok
    assert compare_images(categorized.image, general.image, pixel_tolerance=8, max_fraction=0.001).ok


def test_the_canvas_prepares_street_level_views_while_the_layer_loads(qtbot, canvas_showing, monkeypatch,
                                                                       tmp_path):
    # a layer drawn from its file loads in the background; the loader then also builds
    # what street-level views draw from, so the first zoom-in does not wait for it
    from smartgis.project import open_project
    from smartgis.render.prepared import peek
    monkeypatch.setattr(chunks, "MIN_FEATURES", 100)
    p, _ = _project()
    q = open_project(p.save(tmp_path / "city.gpkg"), read_only=True)
    canvas_showing(q)
    lyr = q.layer("b")
    qtbot.waitUntil(lambda: peek(lyr, q.crs) is not None and peek(lyr, q.crs).kept("chunk_paths"), timeout=30000)
    assert peek(lyr, q.crs).kept("rings")


def test_kept_paths_beyond_the_cap_are_dropped_and_built_again(monkeypatch):
    p, lyr = _project()
    monkeypatch.setattr(chunks, "MIN_FEATURES", 1)
    monkeypatch.setattr(chunks, "MAX_CACHED_VERTICES", 2000)
    views = [(X0 - 10, Y0 - 10, X0 + 1200, Y0 + 800), (X0 + 2000, Y0 + 1000, X0 + 3200, Y0 + 1800)]
    first = [render_map(p, (900, 600), extent=v) for v in views]
    ch = chunks.chunk_paths(prepared_for(lyr, p.crs))
    assert len(ch._paths) < len(ch.starts) - 1               # not every chunk kept
    again = render_map(p, (900, 600), extent=views[0])          # rebuilt where dropped
    assert compare_images(again.image, first[0].image, pixel_tolerance=0, max_fraction=0.0).ok
