"""The attribute table dock: sort, filter, edit with undo, selection synchronised
with the layer (and so the map) both ways — on real data and on a million rows."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import shapely

pytest.importorskip("pytestqt")

from helpers import sample_project  # noqa: E402

from smartgis.core import AttributeTable, Field, VectorLayer  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture
def plots_window(main_window, shared_data, tmp_path):
    dst = tmp_path / "bubenec.gpkg"
    shutil.copy(shared_data / "prague-urban" / "bubenec.gpkg", dst)
    assert main_window.open_project(dst)
    layer = main_window.project.layer("plots")
    main_window.open_attribute_table(layer)
    return main_window, layer


def _column(model, name):
    c = [f.name for f in model.fields].index(name)
    return [model.index(r, c).data() for r in range(model.rowCount())]


def test_shows_the_real_attributes(plots_window):
    win, plots = plots_window
    dock = win.table_dock
    m = dock.model
    assert dock.isVisible() and dock.layer is plots
    assert m.rowCount() == 407 and [f.name for f in m.fields] == plots.table.field_names
    assert _column(m, "ID")[:3] == [str(v) for v in plots.table.column("ID")[:3]]
    assert m.headerData(0, 2) is not None
    assert "407 features, 0 selected" in dock.count.text()


def test_sort_by_header_click(plots_window, qtbot):
    from PySide6.QtCore import Qt
    win, plots = plots_window
    dock = win.table_dock
    header = dock.view.horizontalHeader()
    col = plots.table.field_names.index("ID_2")
    dock.view.sortByColumn(col, Qt.AscendingOrder)
    values = _column(dock.model, "ID_2")           # a text field: sorted as text, like QGIS
    assert values == sorted(values) and len(values) == 407
    dock.view.sortByColumn(col, Qt.DescendingOrder)
    assert _column(dock.model, "ID_2") == sorted(values, reverse=True)
    num = plots.table.field_names.index("KATUZE_KOD")
    dock.view.sortByColumn(num, Qt.DescendingOrder)
    ints = [int(v) for v in _column(dock.model, "KATUZE_KOD")]
    assert ints == sorted(ints, reverse=True)
    assert header.isSortIndicatorShown()


def test_text_search_and_expression_filter(plots_window):
    win, plots = plots_window
    dock = win.table_dock
    target = str(plots.table.column("ID")[10])
    dock.filter.setText(target)
    dock.apply_filter()
    assert dock.model.rowCount() >= 1 and target in _column(dock.model, "ID")
    assert "shown" in dock.count.text()
    dock.mode.setCurrentIndex(dock.mode.findData("expression"))
    dock.filter.setText(f"ID = '{target}' OR ID_2 IS NULL")
    dock.apply_filter()
    expect = np.flatnonzero((plots.table.column("ID") == target) | (plots.table.column("ID_2") == None))  # noqa
    assert np.array_equal(np.sort(dock.model.order), expect)
    dock.filter.setText("nosuchfield > 3")
    dock.apply_filter()
    assert "no field 'nosuchfield'" in dock.message.text()
    dock.filter.clear()
    assert dock.model.rowCount() == 407


def test_selection_table_to_layer_and_back(plots_window, qtbot):
    from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
    win, plots = plots_window
    dock = win.table_dock
    col = plots.table.field_names.index("ID")
    dock.view.sortByColumn(col, Qt.DescendingOrder)
    sm = dock.view.selectionModel()
    sel = QItemSelection(dock.model.index(0, 0), dock.model.index(2, 0))
    sel.select(dock.model.index(10, 0), dock.model.index(10, 0))
    sm.select(sel, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
    expect = np.sort(dock.model.order[[0, 1, 2, 10]])
    assert np.array_equal(plots.selection, expect)
    assert "4 selected" in dock.count.text()
    # the map draws the selection: the canvas re-renders with it
    qtbot.waitUntil(lambda: not win.canvas.is_rendering(), timeout=30_000)
    # a selection made on the map (layer.select) selects the rows
    plots.select([3, 4, 5, 100])
    rows = dock.selected_view_rows()
    assert sorted(dock.model.order[rows].tolist()) == [3, 4, 5, 100]
    assert dock.model.index(int(rows[0]), 0).data(Qt.BackgroundRole) is not None     # painted selected
    unselected = next(r for r in range(10) if r not in rows)
    assert dock.model.index(unselected, 0).data(Qt.BackgroundRole) is None
    # "selected only" shows just those, and follows later map selections
    dock.selected_only.setChecked(True)
    assert sorted(dock.model.order.tolist()) == [3, 4, 5, 100]
    plots.select([7])
    assert dock.model.order.tolist() == [7]
    dock.selected_only.setChecked(False)
    dock.invert_selection()
    assert len(plots.selection) == 406 and 7 not in plots.selection
    win.action("deselect_all").trigger()
    assert len(plots.selection) == 0 and not len(dock.selected_view_rows())


def test_edit_a_cell_with_undo(main_window):
    from PySide6.QtCore import Qt
    p = sample_project()
    main_window.set_project(p)
    lyr = p.layer("建筑物")
    main_window.open_attribute_table(lyr)
    m = main_window.table_dock.model
    c = [f.name for f in m.fields].index("人口")
    assert m.flags(m.index(0, c)) & Qt.ItemIsEditable
    assert m.setData(m.index(0, c), "1234", Qt.EditRole)
    assert lyr.table.value(0, "人口") == 1234 and m.index(0, c).data() == "1234"
    main_window.action("undo").trigger()
    assert lyr.table.value(0, "人口") != 1234
    assert not m.setData(m.index(0, c), "many", Qt.EditRole)      # not a number
    assert "not a valid int" in main_window.last_error_box.text()
    main_window.last_error_box.close()


def test_a_million_rows(main_window, qtbot):
    """Sorting, filtering and selecting a million rows happen off the GUI thread and the
    model holds no per-row objects."""
    from PySide6.QtCore import Qt
    n = 1_000_000
    rng = np.random.default_rng(11)
    uses = np.array(["residential", "office", "public", "mixed"], dtype=object)[rng.integers(0, 4, n)]
    table = AttributeTable([Field("bid", "int"), Field("use", "str"), Field("height_m", "float")],
                           {"bid": np.arange(n), "use": uses, "height_m": np.round(rng.random(n) * 150, 1)},
                           length=n)
    xy = rng.random((n, 2)) * 20000 + (500_000, 3_370_000)
    lyr = VectorLayer("buildings", shapely.points(xy), table, crs="EPSG:4547")
    p = sample_project()
    p.add_layer(lyr)
    win = main_window
    win.set_project(p)
    win.open_attribute_table(lyr)
    dock = win.table_dock
    assert dock.model.rowCount() == n
    started = []
    win.tasks.task_started.connect(started.append)
    dock.view.sortByColumn(2, Qt.DescendingOrder)        # descending height: a background task
    assert len(started) == 1
    qtbot.waitUntil(lambda: not win.tasks.busy, timeout=60_000)
    h = table.column("height_m")[dock.model.order]
    assert np.all(np.diff(h) <= 0) and dock.model.index(0, 2).data() == f"{h[0]:.10g}"
    dock.mode.setCurrentIndex(dock.mode.findData("expression"))
    dock.filter.setText("use = 'office' AND height_m > 100")
    dock.apply_filter()
    expect = (uses == "office") & (table.column("height_m") > 100)
    qtbot.waitUntil(lambda: not win.tasks.busy, timeout=60_000)
    assert dock.model.rowCount() == expect.sum(), dock.message.text()
    assert np.all(np.diff(table.column("height_m")[dock.model.order]) <= 0)   # still sorted
    # select every shown row from the table, then the layer knows them
    dock.view.selectAll()
    assert len(lyr.selection) == expect.sum()
    assert np.array_equal(lyr.selection, np.flatnonzero(expect))
    # and a selection from the map highlights the rows
    pick = np.flatnonzero(expect)[:50]
    lyr.select(pick)
    assert len(dock.selected_view_rows()) == 50
    # Qt keeps no selection ranges of its own: the header never walks a million rows
    assert not dock.view.selectionModel().hasSelection()


def test_mouse_and_keyboard_selection(plots_window, qtbot):
    """Click, Shift-click, Ctrl-click, drag and Ctrl+A select like any Qt table — in the layer."""
    from PySide6.QtCore import Qt
    win, plots = plots_window
    dock = win.table_dock
    view, m = dock.view, dock.model

    def click(row, modifier=Qt.NoModifier):
        rect = view.visualRect(m.index(row, 1))
        qtbot.mouseClick(view.viewport(), Qt.LeftButton, modifier, rect.center())

    click(2)
    assert plots.selection.tolist() == [int(m.order[2])]
    click(5, Qt.ShiftModifier)
    assert sorted(plots.selection.tolist()) == sorted(m.order[2:6].tolist())
    click(8, Qt.ControlModifier)
    assert len(plots.selection) == 5 and int(m.order[8]) in plots.selection
    click(3, Qt.ControlModifier)                  # Ctrl-click again: off
    assert int(m.order[3]) not in plots.selection and len(plots.selection) == 4
    # a drag selects the rows passed over
    a, b = view.visualRect(m.index(1, 0)).center(), view.visualRect(m.index(4, 0)).center()
    qtbot.mousePress(view.viewport(), Qt.LeftButton, Qt.NoModifier, a)
    qtbot.mouseMove(view.viewport(), b)
    qtbot.mouseRelease(view.viewport(), Qt.LeftButton, Qt.NoModifier, b)
    assert sorted(plots.selection.tolist()) == sorted(m.order[1:5].tolist())
    view.setFocus()
    qtbot.keyClick(view, Qt.Key_A, Qt.ControlModifier)
    assert len(plots.selection) == 407
    qtbot.keyClick(view, Qt.Key_Down)             # moving the current row selects it alone
    assert len(plots.selection) == 1
    assert not view.selectionModel().hasSelection()
