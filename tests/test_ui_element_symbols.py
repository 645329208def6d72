"""An element type's SVG symbol is what the layer tree and the style dialog show, as the map
draws it; a graduated or categorised style opened again counts its classes."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from helpers import sample_project  # noqa: E402

pytestmark = pytest.mark.gui


def _image(icon_or_pixmap, size=16):
    pm = icon_or_pixmap.pixmap(size, size) if hasattr(icon_or_pixmap, "pixmap") else icon_or_pixmap
    return pm.toImage().convertToFormat(pm.toImage().Format.Format_ARGB32)


def test_layer_tree_icon_is_the_svg_symbol(qapp):
    from smartgis.core.symbols import is_embedded
    from smartgis.ui.dialogs.widgets import svg_pixmap
    from smartgis.ui.layer_tree import symbol_icon
    p = sample_project()
    cams = p.design.layer("camera")
    assert is_embedded(cams.style.symbol.icon)          # the project carries its icons
    icon = symbol_icon(cams.style.symbol, "point")
    assert _image(icon) == _image(svg_pixmap(cams.style.symbol.icon, 16))
    # a plain point symbol still gets its marker
    plain = symbol_icon(type(cams.style.symbol).from_dict({**cams.style.symbol.__dict__, "icon": None}), "point")
    assert _image(plain) != _image(icon)


def test_style_dialog_shows_the_element_symbol(qtbot, tmp_path):
    from smartgis.ui.dialogs.symbol_editor import SVG_MARKER
    from smartgis.ui.dialogs.vector_style import VectorStyleWidget
    p = sample_project()
    cams = p.design.layer("camera")
    w = VectorStyleWidget(cams)
    qtbot.addWidget(w)
    assert w.renderer.currentData() == "single"
    assert w.single.marker.currentData() == SVG_MARKER and not w.single.preview.pixmap().isNull()
    assert w.style().symbol.icon == cams.style.symbol.icon            # unchanged when not edited
    w.grab().save(str(tmp_path / "style_camera.png"))
    w.single.marker.setCurrentIndex(w.single.marker.findData("square"))
    st = w.style()
    assert st.symbol.marker == "square" and st.symbol.icon is None


def test_reopened_graduated_and_categorized_styles_count_their_classes(qtbot):
    from smartgis.ui.dialogs.vector_style import VectorStyleWidget
    p = sample_project()
    lyr = p.layer("建筑物")
    w = VectorStyleWidget(lyr)
    qtbot.addWidget(w)
    w.renderer.setCurrentIndex(w.renderer.findData("graduated"))
    w.grad_field.setCurrentText("高度")
    w.grad_classes.setValue(4)
    assert w.classify_ranges()
    before = [w.grad_table.item(r, 4).text() for r in range(4)]
    lyr.style = w.style()
    again = VectorStyleWidget(lyr)
    qtbot.addWidget(again)
    assert [again.grad_table.item(r, 4).text() for r in range(4)] == before
    assert sum(int(c.replace(",", "")) for c in before) == lyr.feature_count
