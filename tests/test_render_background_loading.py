"""Loading and drawing on worker threads without starving the window's thread.

The event-loop figure itself is measured by ``benchmarks/bench_responsiveness.py``;
these tests check the pieces it relies on: reads in chunks give exactly what one read
would, the garbage collector is left as it was found (and nothing leaks), and worker
threads stand back when the window's heartbeat is late.
"""

from __future__ import annotations

import gc
import threading
import weakref

import numpy as np
import pytest
import shapely

from smartgis.project import open_project
from smartgis.core import AttributeTable, Field, Project, VectorLayer
from smartgis.core import gil
from smartgis.project import gpkg

X0, Y0 = 500_000.0, 3_380_000.0
N = 2_600


@pytest.fixture
def saved(tmp_path):
    """A saved project with one layer of N features: nulls and odd values included."""
    p = Project("chunks", "EPSG:4547")
    rng = np.random.default_rng(3)
    x, y = rng.uniform(X0, X0 + 5_000, N), rng.uniform(Y0, Y0 + 5_000, N)
    geoms = shapely.box(x, y, x + rng.uniform(1, 50, N), y + 20).astype(object)
    geoms[7] = None
    geoms[1500] = shapely.LineString([(X0, Y0), (X0 + 10, Y0 + 10)])     # another kind, same layer
    geoms[2000] = shapely.Polygon([(X0, Y0), (X0 + 9, Y0), (X0 + 9, Y0 + 9), (X0, Y0)],
                                  [[(X0 + 2, Y0 + 1), (X0 + 3, Y0 + 1), (X0 + 3, Y0 + 2), (X0 + 2, Y0 + 1)]])
    floors = [int(v) for v in rng.integers(1, 30, N)]
    floors[2100] = None                                                  # a null in one chunk only
    height = [float(v) for v in rng.uniform(3, 90, N)]
    height[5] = None
    use = [str(v) for v in rng.choice(["住宅", "商业", "学校"], N)]
    table = AttributeTable([Field("floors", "int"), Field("height", "float"), Field("use", "str"),
                            Field("public", "bool")],
                           {"floors": floors, "height": height, "use": use,
                            "public": [bool(i % 3 == 0) for i in range(N)]})
    p.add_layer(VectorLayer("buildings", geoms, table, crs="EPSG:4547"))
    path = p.save(tmp_path / "chunks.gpkg")
    return path, geoms, table


@pytest.fixture
def small_steps(monkeypatch):
    """Chunks much smaller than the table, so that every read takes many steps."""
    monkeypatch.setattr(gpkg, "READ_CHUNK", 700)
    monkeypatch.setattr(gpkg, "FETCH_STEP", 90)
    monkeypatch.setattr(gpkg, "DECODE_BYTES", 5_000)


def _same_geometries(a, b) -> bool:
    a, b = np.asarray(a, dtype=object), np.asarray(b, dtype=object)
    missing = shapely.is_missing(a)
    return len(a) == len(b) and bool((missing == shapely.is_missing(b)).all()) and \
        bool(shapely.equals_exact(a[~missing], b[~missing]).all())


def test_geometries_read_in_chunks_are_those_written(saved, small_steps):
    path, geoms, _ = saved
    conn = gpkg.connect(path, readonly=True)
    try:
        fids, got = gpkg.read_geometries(conn, "buildings")
    finally:
        conn.close()
    assert fids.tolist() == list(range(1, N + 1))
    assert _same_geometries(got, geoms)


def test_attributes_read_in_chunks_are_those_of_one_read(saved, small_steps):
    path, _, table = saved
    conn = gpkg.connect(path, readonly=True)
    try:
        got = gpkg.read_attributes(conn, "buildings")
        rows = conn.execute('SELECT "floors", "height", "use", "public" FROM "buildings" ORDER BY fid').fetchall()
        once = gpkg._attributes_of(rows, got.fields)
    finally:
        conn.close()
    assert len(got) == N
    for f in got.fields:
        a, b = got.column(f.name), once.column(f.name)
        assert a.dtype == b.dtype, f.name
        assert [None if v is None or v != v else v for v in a.tolist()] == \
            [None if v is None or v != v else v for v in b.tolist()], f.name
    # a null in one chunk makes the whole column an object column, as one read would
    assert got.column("floors").dtype == object and got.column("floors")[2100] is None
    assert got.column("floors")[0] == table.column("floors")[0]
    assert np.isnan(got.column("height")[5]) and got.column("use")[3] == table.column("use")[3]


def test_loading_a_layer_leaves_the_collector_as_it_was_and_leaks_nothing(saved, small_steps):
    path, geoms, _ = saved
    assert gc.isenabled()
    q = open_project(path, read_only=True)
    lyr = q.layer("buildings")
    assert _same_geometries(lyr.geometries, geoms)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    # The layer sits in reference cycles (its loader knows it): the collector must
    # still be able to free it once the project is gone.
    gone = weakref.ref(lyr)
    del q, lyr
    gc.collect()
    assert gone() is None


def test_a_paused_collector_stays_paused(saved, small_steps):
    path, _, _ = saved
    gc.disable()
    try:
        conn = gpkg.connect(path, readonly=True)
        gpkg.read_geometries(conn, "buildings")
        conn.close()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_geometries_by_fid_in_chunks_keep_the_order_asked_for(saved, monkeypatch):
    from smartgis.project import source as filesource
    path, geoms, _ = saved
    monkeypatch.setattr(filesource, "FETCH_CHUNK", 64)
    monkeypatch.setattr(gpkg, "FETCH_STEP", 10)
    q = open_project(path, read_only=True)
    ft = filesource.file_table(q.layer("buildings"), q)
    want = np.array([N, 3, 1501, 3, 9_999_999, 8, 2001, 1] + list(range(400, 200, -1)))
    got = filesource.read_geometries(ft, want)
    expected = np.array([geoms[f - 1] if f <= N else None for f in want], dtype=object)
    assert _same_geometries(got, expected)


def test_rtree_walk_in_small_steps_finds_what_sqlite_finds(saved, monkeypatch):
    from smartgis.project import source as filesource
    path, _, _ = saved
    monkeypatch.setattr(filesource, "NODES_PER_STEP", 2)
    q = open_project(path, read_only=True)
    ft = filesource.file_table(q.layer("buildings"), q)
    rect = (X0 + 1_000, Y0 + 500, X0 + 3_000, Y0 + 4_000)
    ids, boxes = filesource.read_boxes(ft, rect)
    conn = gpkg.connect(path, readonly=True)
    rows = conn.execute(f'SELECT id, minx, miny, maxx, maxy FROM "{ft.rtree}" '
                        "WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ? ORDER BY id",
                        (rect[0], rect[2], rect[1], rect[3])).fetchall()
    conn.close()
    assert ids.tolist() == [r[0] for r in rows] and len(ids) > 100
    assert np.allclose(boxes, np.array([r[1:] for r in rows]))


# -- the window's heartbeat --------------------------------------------------------------------
@pytest.fixture
def patient(monkeypatch):
    """Workers wait for a late window for as long as the test needs."""
    monkeypatch.setattr(gil, "WINDOW_WAIT_S", 30.0)
    monkeypatch.setattr(gil, "WINDOW_GONE_S", 60.0)
    yield
    gil.window_rests()


def _worker_sharing_the_gil():
    """A thread that calls share_gil once its time slice is over; ``done`` is set after."""
    done = threading.Event()

    def run():
        gil._slice.t = -1e9          # its slice is long over
        gil.share_gil()
        done.set()
    t = threading.Thread(target=run)
    return t, done


def test_workers_stand_back_until_a_late_window_beats_again(patient, monkeypatch):
    gil.window_beat()
    monkeypatch.setattr(gil, "_last_beat", gil._last_beat - 1.0)   # the window is late
    t, done = _worker_sharing_the_gil()
    t.start()
    assert not done.wait(0.3)          # it waits for the window…
    gil.window_beat()
    t.join(10)
    assert done.is_set()               # …and goes on once the window has run


def test_workers_do_not_wait_for_a_window_at_rest_or_for_themselves(patient, monkeypatch):
    gil.window_beat()
    gil.window_rests()                 # no background work: no beats expected
    t, done = _worker_sharing_the_gil()
    t.start()
    t.join(10)
    assert done.is_set()
    # on the window's own thread (a map sheet drawn there) it never waits
    gil.window_beat()
    monkeypatch.setattr(gil, "_last_beat", gil._last_beat - 1.0)
    gil._slice.t = -1e9
    gil.share_gil()
    # a window that waits for the workers itself releases them
    t, done = _worker_sharing_the_gil()
    t.start()
    assert not done.wait(0.3)          # the beat is late: it waits…
    gil.window_blocks()
    t.join(10)
    assert done.is_set()               # …until the window says it waits for the workers


def test_the_canvas_beats_while_it_renders_and_rests_after(qtbot, monkeypatch):
    from smartgis.ui.canvas import MapCanvas
    beats = []
    real = gil.window_beat
    monkeypatch.setattr("smartgis.ui.canvas.window_beat", lambda: (beats.append(1), real())[1])
    p = Project("beat", "EPSG:4547")
    rng = np.random.default_rng(1)
    x, y = rng.uniform(X0, X0 + 1_000, 500), rng.uniform(Y0, Y0 + 1_000, 500)
    p.add_layer(VectorLayer("b", shapely.box(x, y, x + 5, y + 5), crs="EPSG:4547"))
    canvas = MapCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(300, 200)
    canvas.show()
    canvas.set_project(p)
    assert canvas.wait_for_render()
    assert beats
    qtbot.waitUntil(lambda: not canvas._beat.isActive(), timeout=5000)
    assert gil._last_beat is None      # workers no longer wait for it


def test_a_layer_in_another_crs_is_reprojected_in_steps(monkeypatch):
    from smartgis.crs import transform_geometries
    from smartgis.render import prepared
    monkeypatch.setattr(prepared, "REPROJECT_CHUNK", 100)
    rng = np.random.default_rng(5)
    lon, lat = rng.uniform(114.0, 114.2, 1_050), rng.uniform(22.5, 22.7, 1_050)
    lyr = VectorLayer("wgs84", shapely.points(lon, lat), crs="EPSG:4326")
    p = Project("reproject", "EPSG:4547")
    p.add_layer(lyr)
    prep = prepared.prepared_for(lyr, p.crs)
    whole = transform_geometries(lyr.geometries, "EPSG:4326", "EPSG:4547")
    assert len(prep.geoms) == 1_050 and bool(shapely.equals_exact(prep.geoms, whole, tolerance=1e-6).all())
    assert np.allclose(prep.bounds, shapely.bounds(whole))
