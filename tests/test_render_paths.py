"""Paths made from numpy arrays: many at once from one serialised buffer, as one by one."""

from __future__ import annotations

import numpy as np
import pytest
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
