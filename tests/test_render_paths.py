"""Paths made from numpy arrays: many at once from one serialised buffer, as one by one."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from PySide6.QtCore import Qt

from smartgis.render import paths
from smartgis.render.app import ensure_gui_app


@pytest.fixture(autouse=True)
def _app():
    ensure_gui_app()


def _elements(path):
    return [(path.elementAt(i).type, path.elementAt(i).x, path.elementAt(i).y) for i in range(path.elementCount())]


@pytest.mark.parametrize("winding", [True, False])
@pytest.mark.parametrize("per", [1, 3, 16])
def test_paths_in_one_buffer_equal_paths_built_one_by_one(winding, per):
    rng = np.random.default_rng(5)
    sizes = rng.integers(2, 9, 50)
    sizes[[4, 5, 17]] = 0                       # subpaths left empty by thinning
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    x, y = rng.uniform(0, 500, offsets[-1]), rng.uniform(0, 300, offsets[-1])
    got = paths.PathBuilder(x, y, offsets, winding).paths(per)
    assert len(got) == -(-50 // per)
    rule = Qt.FillRule.WindingFill if winding else Qt.FillRule.OddEvenFill
    for k, path in enumerate(got):
        a, b = k * per, min(k * per + per, 50)
        want = paths.build_path(x[offsets[a]:offsets[b]], y[offsets[a]:offsets[b]], offsets[a:b + 1] - offsets[a], winding)
        assert _elements(path) == _elements(want)
        if path.elementCount():
            assert path.fillRule() == rule
    # every subpath starts with a move: the vertices of subpath 6 open the third path of 3
    if per == 3:
        assert got[2].elementAt(0).type == got[2].elementAt(0).type.MoveToElement


def test_no_subpaths_give_no_paths():
    assert paths.PathBuilder(np.empty(0), np.empty(0), np.zeros(1, np.int64)).paths(8) == []


def test_straighten_drops_only_vertices_a_stroke_cannot_show():
    from smartgis.render.paths import straighten
    parts = [
        [(0, 0), (5, 0.1), (10, 0)],                   # 0.1 px off the chord: goes
        [(0, 10), (5, 11), (10, 10)],                  # 1 px off: stays
        [(0, 20), (10, 20), (4, 20)],                  # turns back along itself: stays
        [(0, 30), (1, 30), (2, 30), (3, 30), (4, 30)],  # a straight run: every other, then again
        [(0, 40), (9, 40)],                            # nothing inner
    ]
    xy = np.array([p for part in parts for p in part], dtype=float)
    offsets = np.concatenate([[0], np.cumsum([len(p) for p in parts])])
    x, y, off = straighten(xy[:, 0], xy[:, 1], offsets, tolerance=0.25)
    got = [list(zip(x[a:b], y[a:b])) for a, b in zip(off[:-1], off[1:])]
    assert got[0] == [(0, 0), (10, 0)]
    assert got[1] == parts[1] and got[2] == parts[2] and got[4] == parts[4]
    assert got[3] == [(0, 30), (4, 30)]                # two passes
    once = straighten(xy[:, 0], xy[:, 1], offsets, tolerance=0.25, passes=1)
    a, b = once[2][3], once[2][4]
    assert list(zip(once[0][a:b], once[1][a:b])) == [(0, 30), (2, 30), (4, 30)]


def test_straighten_keeps_every_vertex_within_tolerance_of_the_new_line():
    from smartgis.render.paths import straighten
    rng = np.random.default_rng(9)
    n = 2000
    t = np.cumsum(rng.uniform(0.2, 3.0, n))
    x, y = t, np.sin(t / 40.0) * 30 + rng.normal(0, 0.1, n)
    offsets = np.array([0, 700, 701 + 600, n])
    sx, sy, so = straighten(x, y, offsets, tolerance=0.3)
    assert len(sx) < n * 0.7
    for k in range(3):
        a, b = offsets[k], offsets[k + 1]
        c, d = so[k], so[k + 1]
        assert (sx[c], sx[d - 1]) == (x[a], x[b - 1])      # ends stay
        # every original vertex lies within the tolerance (plus a pass's worth) of the kept line
        kept = shapely.LineString(np.column_stack([sx[c:d], sy[c:d]]))
        dist = shapely.distance(kept, shapely.points(x[a:b], y[a:b]))
        assert dist.max() <= 0.6 + 1e-9


def test_orient_turns_rings_without_holes_the_way_most_of_them_turn():
    from smartgis.render.paths import orient
    one = [(0, 0), (0, 4), (4, 4), (4, 0), (0, 0)]
    other = one[::-1]
    rings = [one, one, other]
    xy = np.array([p for r in rings for p in r], dtype=float)
    offsets = np.arange(0, 16, 5)

    def signs(x, y):
        return [np.sign(np.sum(x[a:b - 1] * y[a + 1:b] - x[a + 1:b] * y[a:b - 1])) for a, b in zip(offsets[:-1], offsets[1:])]
    x, y = orient(xy[:, 0], xy[:, 1], offsets, np.ones(3, bool))
    assert signs(x, y) == signs(xy[:, 0], xy[:, 1])[:1] * 3     # the third turned like the two others
    # all one way already: the arrays come back as they are
    same = np.array([p for r in [other, other] for p in r], dtype=float)
    x2, y2 = orient(same[:, 0], same[:, 1], offsets[:3], np.ones(2, bool))
    assert np.shares_memory(x2, same) and np.shares_memory(y2, same)
    # with a hole, exteriors and holes turn opposite ways whatever the majority
    x3, y3 = orient(xy[:, 0], xy[:, 1], offsets, np.array([True, False, False]))
    s = signs(x3, y3)
    assert s[0] != s[1] and s[1] == s[2]
