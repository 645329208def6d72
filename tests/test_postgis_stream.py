"""Drawing a team project's layers straight from the server, window by window.

A throwaway PostgreSQL/PostGIS cluster (``tests/pg_cluster.py``); a saved project of
5,000 boxes of mixed sizes (a hole in one), lines and points is published, and the
same windows are drawn from the server and from the GeoPackage.
"""

from __future__ import annotations

import numpy as np
import psycopg
import pytest
import shapely

from smartgis.core.layers import VectorLayer
from smartgis.core.project import Project
from smartgis.core.style import Symbol, VectorStyle
from smartgis.core.table import AttributeTable
from smartgis.core.fields import Field
from tests.conftest import run_cli
from tests.pg_cluster import pg  # noqa: F401 - the session's cluster fixture

X0, Y0 = 500_000.0, 3_380_000.0
N = 5000
WINDOW = (X0 + 2000, Y0 + 2000, X0 + 5000, Y0 + 4000)       # holds the polygon with a hole
PLAIN = (X0 + 6000, Y0 + 6000, X0 + 9000, Y0 + 8000)        # boxes only: rings read from the WKB bytes


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    rng = np.random.default_rng(7)
    x, y = rng.uniform(X0, X0 + 10_000, N), rng.uniform(Y0, Y0 + 10_000, N)
    w = rng.choice([0.3, 5.0, 40.0, 300.0], N)
    h = rng.choice([0.3, 5.0, 40.0], N)
    geoms = shapely.box(x, y, x + w, y + h)
    geoms[7] = shapely.Polygon([(X0 + 2500, Y0 + 2500), (X0 + 2600, Y0 + 2500), (X0 + 2600, Y0 + 2600)],
                               [[(X0 + 2580, Y0 + 2505), (X0 + 2590, Y0 + 2505), (X0 + 2590, Y0 + 2530)]])
    table = AttributeTable([Field("floors", "int"), Field("use", "str")],
                           {"floors": rng.integers(1, 30, N).tolist(), "use": [f"u{i % 7}" for i in range(N)]},
                           length=N)
    p = Project("stream", "EPSG:4547")
    p.add_layer(VectorLayer("buildings", geoms, table, crs="EPSG:4547", geometry_type="Polygon",
                            style=VectorStyle(symbol=Symbol(fill="#d9c3a5", stroke="#6e5f4b", stroke_width=0.1))))
    lx = rng.uniform(X0, X0 + 10_000, 400)
    ly = rng.uniform(Y0, Y0 + 10_000, 400)
    lines = shapely.linestrings(np.stack([np.stack([lx, ly], 1), np.stack([lx + 500, ly + 80], 1)], 1))
    p.add_layer(VectorLayer("roads", lines, crs="EPSG:4547", geometry_type="LineString",
                            style=VectorStyle(symbol=Symbol(stroke="#404040", stroke_width=0.5))))
    p.add_layer(VectorLayer("sensors", shapely.points(rng.uniform(X0, X0 + 10_000, 300),
                                                       rng.uniform(Y0, Y0 + 10_000, 300)), crs="EPSG:4547",
                            geometry_type="Point", style=VectorStyle(symbol=Symbol(fill="#c03030", size=2.0))))
    path = p.save(tmp_path_factory.mktemp("stream") / "stream.gpkg")
    return path, geoms


@pytest.fixture(scope="module")
def published(pg, saved):  # noqa: F811
    path, _ = saved
    url = pg.url("stream")
    r = run_cli("publish", path, url)
    assert r.returncode == 0, r.stderr
    return url


def _open_url(url, read_only=True):
    from smartgis.postgis import open_url
    return open_url(url, read_only=read_only)


def _pixels(image) -> np.ndarray:
    from smartgis.render.images import qimage_to_rgba
    return qimage_to_rgba(image)


def _render(project, extent=WINDOW):
    from smartgis.render import render_map
    ids = [project.layer(n).id for n in ("buildings", "roads", "sensors")]
    return render_map(project, (960, 640), extent=extent, layers=ids)


def _window_count(pg, schema, rect) -> int:  # noqa: F811
    with psycopg.connect(host="127.0.0.1", port=pg.port, dbname=pg.dbname, user=pg.superuser) as conn:
        return conn.execute(f"SELECT count(*) FROM {schema}.buildings WHERE geom && "
                            "ST_MakeEnvelope(%s, %s, %s, %s, 4547)", rect).fetchone()[0]


@pytest.mark.parametrize("stream_rows, read_max", [
    (1000, 100_000),     # streamed: boxes and shapes of the window in one query
    (1000, 0),           # streamed: boxes first, then only the shapes larger than a pixel
    (10**9, 100_000),    # not streamed: drawn from the server until loaded
])
@pytest.mark.parametrize("window", [WINDOW, PLAIN])
def test_a_window_drawn_from_the_server_equals_the_geopackage(pg, saved, published, monkeypatch,  # noqa: F811
                                                              stream_rows, read_max, window):
    from smartgis.postgis import source
    from smartgis.project import open_project
    from smartgis.render.filesource import streamed
    monkeypatch.setattr(source, "STREAM_ROWS", stream_rows)
    monkeypatch.setattr(source, "WINDOW_READ_MAX", read_max)
    path, _ = saved
    q = _open_url(published)
    lyr = q.layer("buildings")
    assert lyr.data_source is not None and streamed(lyr) == (stream_rows < N)
    got = _render(q, window)
    assert not lyr.loaded and not lyr.attributes_loaded          # drawn without loading the layer
    # only the window's buildings came (with the margin of a stroke), not the 5,000; the
    # reader is the project's: its roads (400) and sensors (300) count too
    m = 20.0
    in_window = _window_count(pg, "stream", (window[0] - m, window[1] - m, window[2] + m, window[3] + m))
    assert in_window < N / 5
    fetched = lyr.data_source.reader.rows_fetched
    assert fetched <= (in_window + 400 + 300) * (2 if read_max == 0 else 1)   # boxes, then some shapes
    g = open_project(path, read_only=True)
    for name in ("buildings", "roads", "sensors"):
        assert len(g.layer(name).geometries)                      # the file's layers drawn from memory
    want = _render(g, window)
    assert got.features_drawn == want.features_drawn
    a, b = _pixels(got.image), _pixels(want.image)
    differing = int((np.abs(a.astype(int) - b.astype(int)).max(axis=2) > 24).sum())
    assert differing <= a.shape[0] * a.shape[1] * 0.0005, differing
    assert (a != 255).any()                                       # something was drawn


@pytest.mark.parametrize("window", [WINDOW, PLAIN])
def test_a_streamed_window_is_one_read_of_its_rows(pg, published, monkeypatch, window):  # noqa: F811
    from smartgis.postgis import source
    from smartgis.render import render_map
    monkeypatch.setattr(source, "STREAM_ROWS", 1000)
    q = _open_url(published)
    lyr = q.layer("buildings")
    render_map(q, (960, 640), extent=window, layers=[lyr.id])
    fetched = lyr.data_source.reader.rows_fetched
    m = 20.0
    assert _window_count(pg, "stream", window) <= fetched <= _window_count(
        pg, "stream", (window[0] - m, window[1] - m, window[2] + m, window[3] + m))
    assert not lyr.loaded


def test_a_streamed_layer_is_never_loaded_by_the_map_at_any_zoom(pg, published, monkeypatch):  # noqa: F811
    from smartgis.postgis import source
    monkeypatch.setattr(source, "STREAM_ROWS", 1000)
    monkeypatch.setattr(source, "WINDOW_BOXES_MAX", 2000)
    q = _open_url(published)
    lyr = q.layer("buildings")
    reader = lyr.data_source.reader
    full = _render(q, extent=None)                 # most of the layer: its boxes are read once and kept
    assert full.features_drawn > N * 0.9 and not lyr.loaded
    first = reader.rows_fetched
    _render(q, extent=None)
    again = reader.rows_fetched - first
    assert again <= first - N                      # the 5,000 boxes were not read again, only the shapes
    small = (X0 + 3000, Y0 + 3000, X0 + 3300, Y0 + 3200)
    n = reader.rows_fetched
    got = _render(q, extent=small)
    assert 0 < got.features_drawn < 200 and reader.rows_fetched - n < 600 and not lyr.loaded


def test_render_on_the_url_reads_the_window_and_gives_the_files_picture(published, saved, tmp_path):
    path, _ = saved
    ext = ",".join(str(v) for v in WINDOW)
    out = {}
    for label, target in (("url", published), ("file", path)):
        png = tmp_path / f"{label}.png"
        r = run_cli("render", target, "-o", png, "--extent", ext, "--size", "800x600", "--json")
        assert r.returncode == 0, r.stderr
        from PySide6.QtGui import QImage
        out[label] = _pixels(QImage(str(png)))
    a, b = out["url"], out["file"]
    assert a.shape == b.shape
    assert int((np.abs(a.astype(int) - b.astype(int)).max(axis=2) > 24).sum()) <= a.shape[0] * a.shape[1] * 0.0005


def test_identify_rows_and_columns_come_from_the_server(published, saved):
    from smartgis.project import open_project
    from smartgis.render.filesource import file_table, read_rows
    q = _open_url(published)
    lyr = q.layer("buildings")
    src = file_table(lyr, q)
    assert src is lyr.data_source
    g = open_project(saved[0], read_only=True).layer("buildings")
    fids = [3, 4000, 17, 999_999]
    assert read_rows(src, fids, lyr.fields) == [g.table.row(2), g.table.row(3999), g.table.row(16), {}]
    f, v = src.read_column("floors")
    assert np.array_equal(f, g.fids) and np.array_equal(v, np.asarray(g.table.column("floors"), dtype=float))
    assert not lyr.loaded


def test_reads_go_on_after_the_server_drops_the_connection(pg, published):  # noqa: F811
    """Both kinds of read (rows, and the binary COPY of boxes) reconnect once when the
    server ended the shared connection (a restart, an idle timeout)."""
    q = _open_url(published)
    src = q.layer("buildings").data_source
    reader = src.reader

    def drop():
        pid = reader._connection().info.backend_pid
        with psycopg.connect(host="127.0.0.1", port=pg.port, dbname=pg.dbname, user=pg.superuser) as conn:
            assert conn.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()[0]
    fids, boxes = src.read_boxes(WINDOW)
    drop()
    again = src.read_boxes(WINDOW)
    assert np.array_equal(again[0], fids) and np.array_equal(again[1], boxes)
    f, v = src.read_column("floors")
    drop()
    f2, v2 = src.read_column("floors")
    assert np.array_equal(f2, f) and np.array_equal(v2, v) and len(f) == N


def test_identify_on_a_streamed_layer_reads_the_features_under_the_cursor(published, saved, monkeypatch):
    from smartgis.postgis import source
    from smartgis.ui.maptools.identify import identify
    monkeypatch.setattr(source, "STREAM_ROWS", 1000)
    _, geoms = saved
    q = _open_url(published)
    lyr = q.layer("buildings")
    target = 1234                                      # fid 1235
    c = shapely.get_coordinates(shapely.centroid(geoms[target]))[0]
    tol = 0.05
    got = [r for r in identify(q, float(c[0]), float(c[1]), tol, layers=[lyr.id])]
    want = np.flatnonzero(shapely.distance(geoms, shapely.Point(c)) <= tol) + 1
    assert sorted(r.fid for r in got) == sorted(want.tolist()) and target + 1 in want
    mine = next(r for r in got if r.fid == target + 1)
    from smartgis.project import open_project
    assert mine.attributes == open_project(saved[0], read_only=True).layer("buildings").table.row(target)
    assert mine.geometry.equals(geoms[target]) and mine.index is None
    assert not lyr.loaded and not lyr.attributes_loaded


def test_edits_after_streaming_save_and_conflict_exactly(pg, saved):  # noqa: F811
    from smartgis.postgis import ConflictError, source
    from smartgis.postgis.save import save_url
    url = pg.url("stream_edit")
    r = run_cli("publish", saved[0], url)
    assert r.returncode == 0, r.stderr
    old = source.STREAM_ROWS
    source.STREAM_ROWS = 1000
    try:
        a = _open_url(url, read_only=False)
        blds, roads = a.layer("buildings"), a.layer("roads")
        _render(a)
        assert not blds.loaded and not roads.loaded
        # a colleague changes a building this session has drawn but never loaded
        pg.psql("UPDATE stream_edit.buildings SET floors = 77 WHERE fid = 20")
        # a layer never loaded has no local edits: saving an edit of another layer leaves it alone
        roads.set_geometry(0, shapely.LineString([(X0, Y0), (X0 + 1, Y0 + 1)]))
        save_url(a)
        assert pg.psql("SELECT floors, smartgis_version FROM stream_edit.buildings WHERE fid = 20") == "77|2"
        # editing it now loads it with the versions of now: the colleague's row is not a conflict
        i20 = int(np.flatnonzero(blds.fids == 20)[0])
        assert blds.table.column("floors")[i20] == 77
        blds.set_value(i20, "floors", 78)
        i30 = int(np.flatnonzero(blds.fids == 30)[0])
        blds.set_value(i30, "floors", 5)
        save_url(a)
        assert pg.psql("SELECT floors, smartgis_version FROM stream_edit.buildings WHERE fid IN (20, 30) "
                       "ORDER BY fid") == "78|3\n5|2"
        # a colleague's edit after the load is a conflict, and nothing is written
        pg.psql("UPDATE stream_edit.buildings SET floors = 1 WHERE fid = 30")
        blds.set_value(i30, "floors", 6)
        blds.set_value(i20, "floors", 79)
        with pytest.raises(ConflictError) as e:
            save_url(a)
        assert [c["key"] for c in e.value.conflicts] == [30]
        assert pg.psql("SELECT floors FROM stream_edit.buildings WHERE fid IN (20, 30) ORDER BY fid") == "78\n1"
        # a fresh session streams the saved state
        b = _open_url(url)
        img = _render(b)
        assert not b.layer("buildings").loaded and img.features_drawn
    finally:
        source.STREAM_ROWS = old
