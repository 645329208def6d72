"""Features below a pixel: the stepped splat draws what the whole-array splat draws."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage, QPainter

from smartgis.core.style import Symbol
from smartgis.render import ensure_gui_app, splat
from smartgis.render.view import MapView


def _boxes(n, seed=5):
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(-50, 1050, n), rng.uniform(-50, 650, n)      # some outside the view
    w, h = rng.uniform(0, 1.8, n), rng.uniform(0, 1.8, n)
    b = np.column_stack([x, y, x + w, y + h])
    b[3] = np.nan                                                      # an empty geometry's box
    return b


def _draw(fn):
    ensure_gui_app()
    img = QImage(400, 240, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(QColor("#ffffff"))
    p = QPainter(img)
    fn(p)
    p.end()
    return img


@pytest.mark.parametrize("polygons", [True, False])
@pytest.mark.parametrize("symbol", [Symbol(fill="#d9c3a5", stroke="#6e5f4b", stroke_width=0.1),
                                    Symbol(fill="#80c03030", stroke="#402060", stroke_width=0.6)])
def test_stepped_splat_draws_the_pixels_of_the_whole_array_splat(monkeypatch, polygons, symbol):
    monkeypatch.setattr(splat, "STEP", 1000)                 # many steps, the last one short
    view = MapView.fit((0, 0, 1000, 600), 400, 240, 96)
    boxes = _boxes(20_500)
    tiny = splat.tiny_mask(boxes, view.mupp)
    inv = 1.0 / view.mupp
    wpx, hpx = (boxes[:, 2] - boxes[:, 0]) * inv, (boxes[:, 3] - boxes[:, 1]) * inv
    assert np.array_equal(tiny, np.maximum(wpx, hpx) < splat.TINY_PX)
    assert 0 < tiny.sum() < len(boxes)
    b = boxes[tiny]
    n = len(b)
    whole = _draw(lambda p: splat.splat_tiny(view, p, b, wpx[tiny], hpx[tiny], np.zeros(n, np.int16),
                                             np.full(n, polygons), [symbol]))
    stepped = _draw(lambda p: splat.splat_boxes(view, p, b, symbol, polygons))
    assert whole == stepped
    assert whole != _draw(lambda p: None)                   # something was drawn


def test_stepped_splat_of_nothing_in_view_draws_nothing():
    view = MapView.fit((0, 0, 1000, 600), 400, 240, 96)
    far = np.array([[5000.0, 5000.0, 5000.5, 5000.5]])
    blank = _draw(lambda p: None)
    assert _draw(lambda p: splat.splat_boxes(view, p, far, Symbol(), True)) == blank
    assert _draw(lambda p: splat.splat_boxes(view, p, np.empty((0, 4)), Symbol(), True)) == blank
