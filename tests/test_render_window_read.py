"""Reading a window of a layer straight from its GeoPackage table (real SQLite files)."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest
import shapely

from smartgis.core.layers import VectorLayer
from smartgis.core.project import Project
from smartgis.core.style import Symbol, VectorStyle
from smartgis.project import gpkg, open_project
from smartgis.render import render_map
from smartgis.render.filesource import file_table, read_boxes, read_geometries, read_window_geometries

X0, Y0 = 500_000.0, 3_380_000.0


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A saved project: 5,000 boxes of mixed sizes (some large, some sub-metre)."""
    rng = np.random.default_rng(11)
    n = 5000
    x, y = rng.uniform(X0, X0 + 10_000, n), rng.uniform(Y0, Y0 + 10_000, n)
    w = rng.choice([0.3, 5.0, 40.0, 900.0], n)
    h = rng.choice([0.3, 5.0, 40.0], n)
    geoms = shapely.box(x, y, x + w, y + h)
    geoms[7] = shapely.Polygon([(X0, Y0), (X0 + 50, Y0), (X0 + 50, Y0 + 50)],
                               [[(X0 + 10, Y0 + 5), (X0 + 20, Y0 + 5), (X0 + 20, Y0 + 8)]])   # a hole
    p = Project("window", "EPSG:4547")
    p.add_layer(VectorLayer("b", geoms, crs="EPSG:4547",
                            style=VectorStyle(symbol=Symbol(fill="#d9c3a5", stroke="#6e5f4b", stroke_width=0.1))))
    path = p.save(tmp_path_factory.mktemp("window") / "window.gpkg")
    return path, geoms


def _opened(path, layer="b"):
    """The saved project opened for reading, and its layer's file table."""
    q = open_project(path, read_only=True)
    return q, file_table(q.layer(layer), q)


def _expected(path, rect, min_size, table="b"):
    """The fids SQLite's own R-tree module returns for the window and size."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(f"SELECT id FROM rtree_{table}_geom WHERE maxx >= ? AND minx <= ? AND maxy >= ? "
                            "AND miny <= ? AND (maxx - minx >= ? OR maxy - miny >= ?)",
                            (rect[0], rect[2], rect[1], rect[3], min_size, min_size)).fetchall()
    finally:
        conn.close()
    return np.sort(np.array([r[0] for r in rows], dtype=np.int64))


@pytest.mark.parametrize("rect, min_size", [
    ((X0 + 2000, Y0 + 2000, X0 + 4000, Y0 + 3000), 0.0),
    ((X0 + 2000, Y0 + 2000, X0 + 4000, Y0 + 3000), 1.0),
    ((X0 - 100, Y0 - 100, X0 + 20_000, Y0 + 20_000), 30.0),
    ((X0 + 50_000, Y0, X0 + 60_000, Y0 + 10), 0.0),
])
def test_window_read_returns_exactly_the_r_tree_answer(saved, rect, min_size):
    path, geoms = saved
    q, ft = _opened(path)
    fids, got = read_window_geometries(ft, rect, min_size)
    want = _expected(path, rect, min_size)
    assert np.array_equal(fids, want)
    assert np.all(np.diff(fids) > 0)          # fid order: the file's drawing order
    # the same geometries the per-fid read gives (and the ones saved: fid = row + 1)
    assert shapely.equals(got, read_geometries(ft, fids)).all()
    assert shapely.equals(got, geoms[fids - 1]).all()
    assert not q.layer("b").loaded


def test_window_read_agrees_with_the_box_read(saved):
    path, _ = saved
    q, ft = _opened(path)
    rect = (X0 + 1000, Y0 + 1000, X0 + 6000, Y0 + 4000)
    ids, _boxes = read_boxes(ft, rect)
    fids, _ = read_window_geometries(ft, rect, 0.0)
    assert np.array_equal(np.sort(ids), fids)


def test_strip_headers_matches_sqlite_stripping(saved):
    path, _ = saved
    conn = gpkg.connect(path, readonly=True)
    try:
        rows = conn.execute(f"SELECT geom, {gpkg.wkb_sql('geom')} FROM b ORDER BY fid LIMIT 50").fetchall()
    finally:
        conn.close()
    raw = np.empty(len(rows) + 3, dtype=object)
    raw[:len(rows)] = [r[0] for r in rows]
    raw[len(rows):] = [None, b"XX-not-a-geometry", rows[0][0][:3] + bytes([rows[0][0][3] | 16]) + rows[0][0][4:]]
    stripped = gpkg.strip_headers(raw)
    assert list(stripped[:len(rows)]) == [r[1] for r in rows]
    assert list(stripped[len(rows):]) == [None, None, None]     # null, foreign blob, empty geometry


def test_a_window_drawn_from_the_file_matches_the_loaded_layer(saved):
    from smartgis.render.imagecompare import compare_images
    path, _ = saved
    rect = (X0 + 2000, Y0 + 2000, X0 + 2600, Y0 + 2400)      # street level: most boxes drawn as shapes
    q = open_project(path, read_only=True)
    from_file = render_map(q, (600, 400), extent=rect)
    assert not q.layer("b").loaded
    q.layer("b").geometries    # loads the layer
    loaded = render_map(q, (600, 400), extent=rect)
    assert from_file.features_drawn == loaded.features_drawn > 0
    c = compare_images(from_file.image, loaded.image, pixel_tolerance=40, max_fraction=0.01)
    assert c.ok, c.message


# -- streamed layers: only their boxes in memory ------------------------------------------------
@pytest.fixture
def stream_small_layers(monkeypatch):
    from smartgis.render import filesource
    monkeypatch.setattr(filesource, "STREAM_FEATURES", 1000)
    filesource._box_indexes.clear()
    yield
    filesource._box_indexes.clear()


def test_a_streamed_layer_is_drawn_from_its_boxes_and_file_at_every_zoom(saved, stream_small_layers):
    from smartgis.render import filesource
    from smartgis.render.imagecompare import compare_images
    path, _ = saved
    q = open_project(path, read_only=True)
    lyr = q.layer("b")
    assert filesource.streamed(lyr)
    views = [None, (X0 + 2000, Y0 + 2000, X0 + 4000, Y0 + 3200), (X0 + 2000, Y0 + 2000, X0 + 2300, Y0 + 2170)]
    streamed = [render_map(q, (600, 400), extent=v) for v in views]
    assert not lyr.loaded                       # never read whole
    assert len(filesource._box_indexes) == 1    # one box index, built once for all views
    ref = open_project(path, read_only=True)
    ref.layer("b").geometries
    for v, s in zip(views, streamed):
        r = render_map(ref, (600, 400), extent=v)
        assert s.features_drawn == r.features_drawn > 0
        c = compare_images(s.image, r.image, pixel_tolerance=40, max_fraction=0.01)
        assert c.ok, c.message


def test_the_box_index_answers_as_the_r_tree(saved, stream_small_layers):
    from smartgis.render import filesource
    path, _ = saved
    q, ft = _opened(path)
    bi = filesource.box_index(ft)
    for rect in [(X0 + 100, Y0 + 100, X0 + 900, Y0 + 5000), (X0 - 10, Y0 - 10, X0 + 1e5, Y0 + 1e5)]:
        fids, boxes = bi.query(rect)
        order = np.argsort(fids)
        want, wboxes = read_boxes(ft, rect)
        assert np.array_equal(fids[order], want) and np.allclose(boxes[order], wboxes)


def test_the_canvas_does_not_load_a_streamed_layer(saved, stream_small_layers, qtbot, canvas_showing):
    path, _ = saved
    q = open_project(path, read_only=True)
    canvas = canvas_showing(q)
    qtbot.wait(300)
    assert not canvas._preloading and not q.layer("b").loaded
    canvas.set_extent((X0 + 2000, Y0 + 2000, X0 + 2300, Y0 + 2170))
    assert canvas.wait_for_render(30)
    assert not q.layer("b").loaded and canvas.current_job().features_drawn > 0


def test_read_column_gives_numbers_fast_and_text_as_it_is(tmp_path):
    from smartgis.core.fields import Field
    from smartgis.core.table import AttributeTable
    from smartgis.project.source import read_column
    import smartgis.project.source as src
    n = 2500
    geoms = shapely.points(np.arange(n, dtype=float) + X0, np.full(n, Y0))
    nums = [None if k % 7 == 0 else k * 1.5 for k in range(n)]
    words = ["x" if k == 3 else k for k in range(n)]
    p = Project("cols", "EPSG:4547")
    p.add_layer(VectorLayer("pts", geoms, AttributeTable([Field("num", "float"), Field("mixed", "str")],
                                                         {"num": nums, "mixed": words}), crs="EPSG:4547"))
    q = open_project(p.save(tmp_path / "cols.gpkg"), read_only=True)
    ft = file_table(q.layer("pts"), q)
    old = src.COLUMN_STEP
    src.COLUMN_STEP = 1000                       # several steps
    try:
        fids, vals = read_column(ft, "num")
        fids2, mixed = read_column(ft, "mixed")
    finally:
        src.COLUMN_STEP = old
    assert np.array_equal(fids, np.arange(1, n + 1)) and vals.dtype == np.float64
    assert np.isnan(vals[0]) and vals[1] == 1.5 and np.nansum(vals) == pytest.approx(sum(v for v in nums if v))
    assert np.array_equal(fids2, fids) and mixed.dtype == object and mixed[3] == "x"


@pytest.mark.parametrize("rect", [(X0 + 2000, Y0 + 2000, X0 + 2600, Y0 + 2400),   # simple polygons only
                                  (X0 - 20, Y0 - 20, X0 + 300, Y0 + 200)])        # a polygon with a hole
def test_street_level_windows_from_rings_or_geometries_match_the_loaded_layer(saved, rect):
    from smartgis.project.source import read_window_rings
    from smartgis.render.imagecompare import compare_images
    path, _ = saved
    q, ft = _opened(path)
    simple = read_window_rings(ft, rect, 0.0) is not None
    assert simple == (rect[0] > X0)
    from_file = render_map(q, (600, 400), extent=rect)
    assert not q.layer("b").loaded
    q.layer("b").geometries
    loaded = render_map(q, (600, 400), extent=rect)
    assert from_file.features_drawn == loaded.features_drawn > 0
    c = compare_images(from_file.image, loaded.image, pixel_tolerance=40, max_fraction=0.005)
    assert c.ok, c.message


def test_points_drawn_from_the_file_in_a_window_are_all_drawn(tmp_path):
    # points have boxes of no size: the window read must not leave them to their boxes
    from smartgis.render.imagecompare import compare_images
    rng = np.random.default_rng(8)
    pts = shapely.points(rng.uniform(X0, X0 + 300, 40), rng.uniform(Y0, Y0 + 200, 40))
    p = Project("pts", "EPSG:4547")
    p.add_layer(VectorLayer("p", pts, crs="EPSG:4547", style=VectorStyle(symbol=Symbol(fill="#c00000", size=3.0))))
    q = open_project(p.save(tmp_path / "pts.gpkg"), read_only=True)
    rect = (X0, Y0, X0 + 300, Y0 + 200)
    from_file = render_map(q, (600, 400), extent=rect)
    assert not q.layer("p").loaded
    q.layer("p").geometries
    loaded = render_map(q, (600, 400), extent=rect)
    assert from_file.features_drawn == loaded.features_drawn == 40
    c = compare_images(from_file.image, loaded.image, pixel_tolerance=40, max_fraction=0.002)
    assert c.ok, c.message


def test_rings_read_by_fid_and_by_window_are_the_polygons_vertices(saved):
    from smartgis.project.source import count_window, read_rings, read_window_rings
    path, geoms = saved
    q, ft = _opened(path)
    rect = (X0 + 2000, Y0 + 2000, X0 + 4000, Y0 + 3000)
    fids, x, y, offsets = read_window_rings(ft, rect, 1.0)
    assert np.array_equal(fids, _expected(path, rect, 1.0))
    assert count_window(ft, rect, 1.0) == (len(_expected(path, rect, 0.0)), len(fids))
    want = fids[::-1][::3]                     # any order, any subset
    got, gx, gy, go = read_rings(ft, want)
    assert np.array_equal(got, np.sort(want))
    for k, fid in enumerate(got):
        ring = np.column_stack([gx[go[k]:go[k + 1]], gy[go[k]:go[k + 1]]])
        assert np.array_equal(ring, shapely.get_coordinates(geoms[fid - 1]))
    # the polygon with a hole is not a one-ring polygon: the caller reads geometries
    assert read_rings(ft, [1, 8]) is None


def test_a_scan_of_the_table_reads_what_the_whole_window_reads_but_the_features_left_out(saved):
    from smartgis.project.source import read_table_rings, read_window_rings
    path, geoms = saved
    q, ft = _opened(path)
    assert read_table_rings(ft, []) is None                       # the polygon with a hole (fid 8)
    skip = np.concatenate([[8], np.arange(1, 5001, 7)])
    fids, x, y, offsets = read_table_rings(ft, skip)
    assert np.array_equal(fids, np.setdiff1d(np.arange(1, 5001), skip))
    wf, wx, wy, wo = read_window_rings(ft, (X0 + 100, Y0 + 100, X0 + 20_000, Y0 + 20_000), 0.0)
    keep = np.isin(wf, fids)
    assert np.array_equal(wf[keep], fids[np.isin(fids, wf)])
    k = int(np.flatnonzero(fids == wf[keep][0])[0])
    j = int(np.flatnonzero(wf == fids[k])[0])
    assert np.array_equal(x[offsets[k]:offsets[k + 1]], wx[wo[j]:wo[j + 1]])
    assert np.array_equal(y[offsets[k]:offsets[k + 1]], shapely.get_coordinates(geoms[fids[k] - 1])[:, 1])


@pytest.mark.parametrize("kind", ["line", "polygon"])
def test_a_view_of_the_whole_layer_scans_the_table_and_draws_what_the_r_tree_read_draws(tmp_path, monkeypatch, kind):
    from smartgis.render import filesource, vector
    from smartgis.render.imagecompare import compare_images
    rng = np.random.default_rng(21)
    n = 3000
    x, y = rng.uniform(X0, X0 + 5000, n), rng.uniform(Y0, Y0 + 4000, n)
    size = rng.choice([2.0, 40.0, 90.0], n, p=[0.05, 0.5, 0.45])     # a few below a pixel
    if kind == "line":
        geoms = shapely.linestrings(np.stack([np.column_stack([x, y]), np.column_stack([x + size, y + size / 2]),
                                              np.column_stack([x + 2 * size, y])], axis=1))
    else:
        geoms = shapely.box(x, y, x + size, y + size * 0.6)
    p = Project("whole", "EPSG:4547")
    p.add_layer(VectorLayer("w", geoms, crs="EPSG:4547",
                            style=VectorStyle(symbol=Symbol(fill="#d9c3a5", stroke="#6e5f4b", stroke_width=0.5))))
    path = p.save(tmp_path / "whole.gpkg")
    scans = []
    real = filesource.read_table_rings
    monkeypatch.setattr(filesource, "read_table_rings", lambda *a, **k: scans.append(1) or real(*a, **k))
    rect = (X0 - 300, Y0 - 300, X0 + 5500, Y0 + 4300)
    images = []
    for share in (0.9, 2.0):                        # a scan of the table, then the R-tree join
        monkeypatch.setattr(vector, "WHOLE_TABLE_SHARE", share)
        q = open_project(path, read_only=True)
        images.append(render_map(q, (600, 450), extent=rect))
        assert not q.layer("w").loaded
    assert len(scans) == 1
    assert images[0].features_drawn == images[1].features_drawn == n
    c = compare_images(images[0].image, images[1].image, pixel_tolerance=0, max_fraction=0.0)
    assert c.ok, c.message


def test_a_street_window_read_in_r_tree_order_holds_the_same_rings(saved):
    from smartgis.project.source import read_street_window
    path, geoms = saved
    q, ft = _opened(path)
    rect = (X0 + 2000, Y0 + 2000, X0 + 5000, Y0 + 4000)
    n_all, (fids, x, y, offsets) = read_street_window(ft, rect, 1.0)
    n_all2, (none, x2, y2, offsets2) = read_street_window(ft, rect, 1.0, ordered=False)
    assert none is None and n_all == n_all2 == len(_expected(path, rect, 0.0))
    assert len(offsets) == len(offsets2) == len(_expected(path, rect, 1.0)) + 1

    def rings(x, y, offsets):
        return sorted(tuple(map(tuple, np.column_stack([x[a:b], y[a:b]]))) for a, b in zip(offsets[:-1], offsets[1:]))
    assert rings(x, y, offsets) == rings(x2, y2, offsets2)
    assert rings(x, y, offsets) == rings(*shapely.get_coordinates(geoms[fids - 1]).T,
                                         np.concatenate([[0], np.cumsum(shapely.get_num_coordinates(geoms[fids - 1]))]))


def test_a_blob_with_another_header_is_read_as_a_geometry_not_misread(saved, tmp_path):
    # SQLite compares every blob's first bytes with the first blob's: one blob without
    # an envelope (8 bytes of header instead of 40) sends the window the general way
    import shutil

    from smartgis.project.source import read_street_window, read_window_rings
    path, geoms = saved
    copy = tmp_path / "mixed.gpkg"
    shutil.copy(path, copy)
    q = open_project(copy, read_only=True)
    ft = file_table(q.layer("b"), q)
    rect = (X0 + 2000, Y0 + 2000, X0 + 5000, Y0 + 4000)
    fid = int(read_window_rings(ft, rect, 1.0)[0][3])
    conn = gpkg.connect(copy)
    blob = conn.execute('SELECT geom FROM "b" WHERE fid = ?', (fid,)).fetchone()[0]
    assert (blob[3] >> 1) & 7 == 1                               # an xy envelope: 40 bytes of header
    bare = blob[:3] + bytes([blob[3] & ~0x0E]) + blob[4:8] + blob[40:]      # the same polygon, no envelope
    conn.execute('UPDATE "b" SET geom = ? WHERE fid = ?', (bare, fid))
    conn.commit()
    conn.close()
    q = open_project(copy, read_only=True)
    ft = file_table(q.layer("b"), q)
    assert read_window_rings(ft, rect, 1.0) is None
    assert read_street_window(ft, rect, 1.0, ordered=False)[1] is None
    from_file = render_map(q, (300, 200), extent=rect)
    q.layer("b").geometries                        # noqa: B018 - load, then draw again
    loaded = render_map(q, (300, 200), extent=rect)
    assert from_file.features_drawn == loaded.features_drawn > 0
    from smartgis.render.imagecompare import compare_images
    c = compare_images(from_file.image, loaded.image, pixel_tolerance=40, max_fraction=0.005)
    assert c.ok, c.message


def test_a_full_extent_of_buildings_from_the_file_matches_the_loaded_layer(saved):
    from smartgis.render.imagecompare import compare_images
    path, _ = saved
    q = open_project(path, read_only=True)
    lyr = q.layer("b")
    lyr.geometries                                 # noqa: B018 - load, then draw from the file again
    q2 = open_project(path, read_only=True)
    from_file = render_map(q2, (120, 120), extent=(X0, Y0 + 100, X0 + 10_000, Y0 + 10_000))
    assert not q2.layer("b").loaded
    loaded = render_map(q, (120, 120), extent=(X0, Y0 + 100, X0 + 10_000, Y0 + 10_000))
    assert from_file.features_drawn == loaded.features_drawn > 0
    c = compare_images(from_file.image, loaded.image, pixel_tolerance=40, max_fraction=0.005)
    assert c.ok, c.message


def test_a_box_index_over_the_whole_layer_gives_every_finite_box():
    from smartgis.render.filesource import BoxIndex
    boxes = np.array([[0, 0, 1, 1], [5, 5, 6, 7], [2, 3, 4, 4]], dtype=float)
    bi = BoxIndex(np.array([10, 11, 12]), boxes)
    assert bi.extent == (0.0, 0.0, 6.0, 7.0)
    fids, got = bi.query((-1, -1, 10, 10))
    assert fids.tolist() == [10, 11, 12] and np.array_equal(got, boxes)
    assert bi.query((0.5, 0.5, 2.5, 3.5))[0].tolist() == [10, 12]
    # an empty geometry's box (NaN) is never an answer, even for the whole extent
    with_nan = BoxIndex(np.array([10, 11]), np.array([[0, 0, 1, 1], [np.nan] * 4]))
    assert with_nan.query((-1, -1, 10, 10))[0].tolist() == [10]
    assert BoxIndex(np.empty(0, np.int64), np.empty((0, 4))).query((0, 0, 1, 1))[0].tolist() == []


@pytest.mark.parametrize("encoding", ["UTF-8", "UTF-16le"])
def test_the_r_tree_nodes_read_in_steps_give_the_virtual_tables_answer(tmp_path, encoding, monkeypatch):
    # nodes are read a step at a time as one concatenated blob (UTF-8 files) or row by
    # row (other encodings, where SQLite would convert blobs passed through text)
    import sqlite3

    from smartgis.project import source
    monkeypatch.setattr(source, "NODES_PER_STEP", 7)     # many steps, and ranges holding other levels' nodes
    conn = sqlite3.connect(tmp_path / "t.sqlite")
    conn.execute(f"PRAGMA encoding = '{encoding}'")
    conn.execute("CREATE VIRTUAL TABLE rtree_t_geom USING rtree(id, minx, maxx, miny, maxy)")
    rng = np.random.default_rng(3)
    x, y = rng.uniform(0, 1000, 5000), rng.uniform(0, 1000, 5000)
    conn.executemany("INSERT INTO rtree_t_geom VALUES (?, ?, ?, ?, ?)",
                     [(i + 1, a, a + 3, b, b + 2) for i, (a, b) in enumerate(zip(x, y))])
    conn.commit()
    for rect in [(-1e9, -1e9, 1e9, 1e9), (100, 200, 400, 300), (999, 999, 1000, 1000)]:
        ids, boxes = source._walk_rtree(conn, "rtree_t_geom", rect)
        want = conn.execute("SELECT id, minx, miny, maxx, maxy FROM rtree_t_geom "
                            "WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?",
                            (rect[0], rect[2], rect[1], rect[3])).fetchall()
        want.sort()
        order = np.argsort(ids)
        assert ids[order].tolist() == [w[0] for w in want]
        assert np.allclose(boxes[order], np.array([w[1:] for w in want]).reshape(-1, 4), atol=1e-3)
    conn.close()


# -- line strings straight from their blobs --------------------------------------------------
@pytest.fixture(scope="module")
def saved_lines(tmp_path_factory):
    """A saved project of 4,000 roads: two to six vertices, a few metres to a kilometre."""
    rng = np.random.default_rng(21)
    lines = []
    for _ in range(4000):
        x, y = rng.uniform(X0, X0 + 10_000), rng.uniform(Y0, Y0 + 10_000)
        k = int(rng.integers(2, 7))
        step = rng.choice([0.5, 30.0, 200.0])
        lines.append(shapely.LineString(np.column_stack([x + np.cumsum(rng.normal(0, step, k)),
                                                         y + np.cumsum(rng.normal(0, step, k))])))
    geoms = np.array(lines, dtype=object)
    p = Project("lines", "EPSG:4547")
    p.add_layer(VectorLayer("r", geoms, crs="EPSG:4547",
                            style=VectorStyle(symbol=Symbol(fill="#00000000", stroke="#55724c", stroke_width=0.5))))
    return p.save(tmp_path_factory.mktemp("lines") / "lines.gpkg"), geoms


def test_line_strings_read_by_window_and_by_fid_are_their_vertices(saved_lines):
    from smartgis.project.source import read_lines, read_window_lines
    path, geoms = saved_lines
    q = open_project(path, read_only=True)
    ft = file_table(q.layer("r"), q)
    rect = (X0 + 2000, Y0 + 2000, X0 + 6000, Y0 + 5000)
    fids, x, y, offsets = read_window_lines(ft, rect, 1.0)
    assert np.array_equal(fids, _expected(path, rect, 1.0, table="r"))
    for k in (0, len(fids) // 2, len(fids) - 1):
        xy = shapely.get_coordinates(geoms[fids[k] - 1])
        assert np.array_equal(np.column_stack([x[offsets[k]:offsets[k + 1]], y[offsets[k]:offsets[k + 1]]]), xy)
    some = np.array([5, 3, 900, 3999])
    f2, x2, y2, o2 = read_lines(ft, some)
    assert f2.tolist() == [3, 5, 900, 3999]
    assert np.array_equal(x2[o2[2]:o2[3]], shapely.get_coordinates(geoms[899])[:, 0])


def test_roads_drawn_from_their_blobs_match_the_loaded_layer(saved_lines, monkeypatch):
    from smartgis.render import filesource, vector
    from smartgis.render.imagecompare import compare_images
    path, _ = saved_lines
    # past the count from which geometries would be loaded instead of read one by one
    monkeypatch.setattr(vector, "DIRECT_MAX_GEOMETRIES", 10)

    def no_geos(*a, **k):
        raise AssertionError("line strings are read from their blobs, not parsed by GEOS")
    monkeypatch.setattr(filesource, "read_geometries", no_geos)
    monkeypatch.setattr(filesource, "read_window_geometries", no_geos)
    ref = open_project(path, read_only=True)
    ref.layer("r").geometries
    for view in [None, (X0 + 2000, Y0 + 2000, X0 + 4000, Y0 + 3200)]:
        q = open_project(path, read_only=True)
        s = render_map(q, (700, 450), extent=view)
        assert not s.errors and not q.layer("r").loaded          # drawn straight from the file
        r = render_map(ref, (700, 450), extent=view)
        assert s.features_drawn == r.features_drawn > 0
        c = compare_images(s.image, r.image, pixel_tolerance=24, max_fraction=0.002)
        assert c.ok, c.message
    # drawn again in the same process (a sheet set): then the layer is loaded once
    again = render_map(q, (700, 450))
    assert q.layer("r").loaded and again.features_drawn == 4000

