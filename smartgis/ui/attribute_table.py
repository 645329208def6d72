"""The attribute table dock: a Qt table model over a layer's columnar attributes.

The model holds no per-row Python objects.  It keeps the layer's column arrays and
one numpy array ``order`` mapping view rows to layer rows; sorting
(:func:`~smartgis.ui.table_query.sort_order`), searching and expression filters
(:mod:`smartgis.ui.table_query`) only compute a new ``order``, so a million rows cost
a few megabytes and the view asks only for the cells on screen.  On big layers that
work runs through the window's ``run_task`` so the interface never stalls.

Selection is synchronised both ways with the map, and it lives in one place: the
layer.  As in QGIS (``QgsFeatureSelectionModel``), :class:`LayerSelectionModel` turns
the view's selection commands (click, Shift/Ctrl-click, drag, Ctrl+A, arrow keys) into
``layer.select`` and keeps Qt's own selection ranges empty; the model paints selected
rows from a boolean mask.  Qt's header re-checks every row of a selection when it
paints, which made selecting a million rows take seconds; this way it costs a numpy
mask.  ``layer.selection_changed`` (a selection made on the map) repaints the rows.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QItemSelection, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smartgis.core.edits import SetValue
from smartgis.core.design import ElementLayer
from smartgis.core.layers import VectorLayer
from smartgis.errors import UserError
from smartgis.i18n import localize
from smartgis.ui import table_query
from smartgis.ui.i18n import installed_language

#: Above this many rows, sorting and filtering run as background tasks.
BACKGROUND_ROWS = 100_000


def _format(v) -> str | None:
    """Cell text; None for a null."""
    if v is None:
        return None
    if isinstance(v, (float, np.floating)):
        if v != v:
            return None
        return f"{float(v):.10g}"
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, np.generic):
        return str(v.item())
    return str(v)


def selection_rows(selection: QItemSelection) -> np.ndarray:
    """View rows covered by a Qt selection (an array, maybe with repeats)."""
    parts = [np.arange(r.top(), r.bottom() + 1, dtype=np.int64) for r in selection if r.isValid()]
    if not parts:
        return np.empty(0, dtype=np.int64)
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


_SF = QItemSelectionModel.SelectionFlag


class LayerSelectionModel(QItemSelectionModel):
    """Applies the view's selection commands to the layer's selection.

    It follows :meth:`QItemSelectionModel.select`'s rules — a finished selection plus
    a "current" part that a drag or Shift-click keeps replacing (``Current``), combined
    by ``Select``, ``Deselect`` or ``Toggle``, ``Clear`` first — on boolean masks over
    the layer's rows, and hands the result to ``apply(rows)``.  Qt's ranges stay empty.
    """

    def __init__(self, model: "AttributeTableModel", apply, parent=None):
        super().__init__(model, parent)
        self._apply = apply
        self._final: np.ndarray | None = None
        self._current: tuple[np.ndarray, object] | None = None

    def reset_base(self) -> None:
        """Forget the selection state (the layer's selection changed elsewhere)."""
        self._final = None
        self._current = None

    def _effective(self) -> np.ndarray:
        m = self._final.copy()
        if self._current is not None:
            cur, cmd = self._current
            if cmd & _SF.Toggle:
                m ^= cur
            elif cmd & _SF.Select:
                m |= cur
            elif cmd & _SF.Deselect:
                m &= ~cur
        return m

    def select(self, selection, command):  # noqa: D401 - Qt API (both overloads)
        model = self.model()
        layer = getattr(model, "layer", None)
        if layer is None:
            return
        cmd = _SF(command) if not isinstance(command, _SF) else command
        if cmd & _SF.NoUpdate or cmd == _SF.NoUpdate:
            return
        if isinstance(selection, QModelIndex):
            selection = QItemSelection(selection, selection) if selection.isValid() else QItemSelection()
        n = len(model.selected_mask)
        if self._final is None or len(self._final) != n:
            self._final = model.selected_mask.copy()
            self._current = None
        if cmd & _SF.Clear:
            self._final[:] = False
            self._current = None
        if not cmd & _SF.Current:
            self._final = self._effective()
            self._current = None
        if cmd & (_SF.Toggle | _SF.Select | _SF.Deselect):
            cur = np.zeros(n, dtype=bool)
            cur[model.layer_rows(selection_rows(selection))] = True
            self._current = (cur, cmd)
        self._apply(np.flatnonzero(self._effective()))


class AttributeTableView(QTableView):
    """The table view; Ctrl-click on a selected row deselects it.

    Qt decides what a Ctrl-click does by asking its selection model whether the row is
    selected (a non-virtual call); with the selection kept in the layer it would always
    answer no, so that one case is handled here.
    """

    def mousePressEvent(self, event):  # noqa: N802 - Qt API
        model = self.model()
        idx = self.indexAt(event.position().toPoint())
        if (event.button() == Qt.LeftButton and event.modifiers() & Qt.ControlModifier and idx.isValid()
                and isinstance(model, AttributeTableModel) and model.layer is not None
                and model.selected_mask[model.order[idx.row()]]):
            self.selectionModel().setCurrentIndex(idx, QItemSelectionModel.NoUpdate)
            self.selectionModel().select(idx, _SF.Deselect | _SF.Rows)
            event.accept()
            return
        super().mousePressEvent(event)


class AttributeTableModel(QAbstractTableModel):
    """Rows of one vector layer in the order of :attr:`order`.

    Parameters
    ----------
    editable : bool
        Cells can be edited (each edit is an undoable command on ``project.stack``).
    """

    edit_failed = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.layer: VectorLayer | None = None
        self.project = None
        self.editable = False
        self.fields = []
        #: per column: (title in the interface language, unit); per column with choices: value → label
        self._titles: list[tuple[str, str | None]] = []
        self._value_labels: dict[int, dict[str, str]] = {}
        self._cols: list[np.ndarray] = []
        self.order = np.empty(0, dtype=np.int64)
        self._fids = np.empty(0, dtype=np.int64)
        self._lang = "en"
        #: ``sorter(column, descending)`` set by the dock to sort in the background
        self.sorter = None
        #: selected layer rows as a boolean mask (painted as selected)
        self.selected_mask = np.zeros(0, dtype=bool)
        self._highlight = QColor("#3875d7")
        self._highlight_text = QColor("#ffffff")
        self.sort_column = -1
        self.sort_descending = False

    def set_layer(self, layer: VectorLayer | None, order: np.ndarray | None = None, project=None) -> None:
        """Show ``layer`` (its attributes must be loaded) in ``order`` (all rows if None)."""
        self.beginResetModel()
        self.layer = layer
        self.project = project
        self._lang = "zh" if installed_language(_app()) == "zh" else "en"
        if layer is None:
            self.fields, self._cols = [], []
            self._titles, self._value_labels = [], {}
            self.order = np.empty(0, dtype=np.int64)
            self._fids = self.order
            self.selected_mask = np.zeros(0, dtype=bool)
        else:
            table = layer.table
            self.fields = list(table.fields)
            self._cols = [table.column(f.name) for f in self.fields]
            self._describe_fields(layer, project)
            self._fids = layer.fids
            self.order = np.arange(len(table), dtype=np.int64) if order is None else np.asarray(order, np.int64)
            self.selected_mask = np.zeros(len(table), dtype=bool)
            self.selected_mask[layer.selection[layer.selection < len(table)]] = True
        self.sort_column, self.sort_descending = -1, False
        self.endResetModel()

    def _describe_fields(self, layer, project) -> None:
        """Column titles and shown values in the interface language: a design layer's
        fields are described by its element type in the catalog (a layer read back from
        the project file keeps only the column names), values of a field with choices
        show their labels (``planned`` → 规划); editing still works on the stored value."""
        from smartgis.core.design import UID_FIELD
        et = getattr(layer, "element_type", None)
        catalog = getattr(project, "catalog", None) if project is not None else None
        self._titles, self._value_labels = [], {}
        for i, f in enumerate(self.fields):
            described = UID_FIELD if (et is not None and f.name == UID_FIELD.name) else \
                (et.field(f.name) if et is not None else None)
            source = described if described is not None and described.alias else f
            unit = source.unit or f.unit
            title = source.label(self._lang)
            if unit:
                title += f"({unit})" if self._lang == "zh" else f" ({unit})"
            self._titles.append((title, unit))
            choices = (described.choices if described is not None else None) or f.choices
            if choices and catalog is not None:
                tid = et.id if et is not None else None
                self._value_labels[i] = {str(v): catalog.choice_label(f.name, v, self._lang, tid) for v in choices}

    def set_selected(self, layer_rows: np.ndarray) -> None:
        """Mark the selected layer rows and repaint (one signal, whatever the count)."""
        mask = np.zeros(len(self.selected_mask), dtype=bool)
        rows = np.asarray(layer_rows, dtype=np.int64)
        mask[rows[(rows >= 0) & (rows < len(mask))]] = True
        self.selected_mask = mask
        if self.rowCount() and self.columnCount():
            last = self.rowCount() - 1
            self.dataChanged.emit(self.index(0, 0), self.index(last, self.columnCount() - 1),
                                  [Qt.BackgroundRole, Qt.ForegroundRole])
            self.headerDataChanged.emit(Qt.Vertical, 0, last)

    def set_palette(self, highlight: QColor, text: QColor) -> None:
        self._highlight, self._highlight_text = QColor(highlight), QColor(text)

    def set_order(self, order: np.ndarray) -> None:
        self.beginResetModel()
        self.order = np.asarray(order, dtype=np.int64)
        self.endResetModel()

    def refresh_columns(self) -> None:
        """Re-read the column arrays (after an attribute edit replaced one)."""
        if self.layer is not None:
            table = self.layer.table
            self._cols = [table.column(f.name) for f in self.fields]
            if self.rowCount():
                self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    # -- Qt model --------------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()):  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.order)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.fields)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.BackgroundRole:
            return self._highlight if self.selected_mask[self.order[index.row()]] else None
        if role in (Qt.DisplayRole, Qt.EditRole, Qt.ForegroundRole, Qt.FontRole, Qt.TextAlignmentRole):
            row = self.order[index.row()]
            col = self._cols[index.column()]
            v = col[row]
            text = _format(v)
            if role == Qt.DisplayRole:
                if text is None:
                    return "NULL"
                labels = self._value_labels.get(index.column())
                return labels.get(text, text) if labels else text
            if role == Qt.EditRole:
                return "" if text is None else text
            if role == Qt.ForegroundRole:
                if self.selected_mask[row]:
                    return self._highlight_text
                return QColor("#909090") if text is None else None
            if role == Qt.FontRole:
                if text is None:
                    f = QFont()
                    f.setItalic(True)
                    return f
                return None
            if role == Qt.TextAlignmentRole:
                return int(Qt.AlignRight | Qt.AlignVCenter) if col.dtype.kind in "iuf" else None
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802 - Qt API
        if orientation == Qt.Horizontal:
            if section >= len(self.fields):
                return None
            f = self.fields[section]
            title, unit = self._titles[section] if section < len(self._titles) else (f.label(self._lang), f.unit)
            if role == Qt.DisplayRole:
                return title
            if role == Qt.ToolTipRole:
                return f"{f.name} ({f.type})" + (f" [{unit}]" if unit else "")
            return None
        if section >= len(self.order):
            return None
        if role == Qt.DisplayRole:
            return str(int(self._fids[self.order[section]])) if len(self._fids) else str(section + 1)
        if role == Qt.FontRole and self.selected_mask[self.order[section]]:
            f = QFont()
            f.setBold(True)
            return f
        return None

    def flags(self, index):
        f = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        if self.editable and index.isValid():
            f |= Qt.ItemIsEditable
        return f

    def setData(self, index, value, role=Qt.EditRole):  # noqa: N802 - Qt API
        if role != Qt.EditRole or not index.isValid() or self.layer is None:
            return False
        row = int(self.order[index.row()])
        field = self.fields[index.column()]
        try:
            set_attribute(self.project, self.layer, row, field.name, value)
        except UserError as exc:
            self.edit_failed.emit(exc)
            return False
        return True

    def sort(self, column, order=Qt.AscendingOrder):
        if self.layer is None or column < 0 or column >= len(self.fields):
            return
        descending = order == Qt.DescendingOrder
        if (column, descending) == (self.sort_column, self.sort_descending):
            return  # QTableView.sortByColumn asks twice for the same sort
        self.sort_column = column
        self.sort_descending = descending
        if self.sorter is not None:
            self.sorter(column, self.sort_descending)
        else:
            col = self._cols[column]
            self.set_order(table_query.sort_order(col, self.sort_descending, self.order))

    # -- helpers ---------------------------------------------------------------------------------
    def layer_rows(self, view_rows: np.ndarray) -> np.ndarray:
        return self.order[np.asarray(view_rows, dtype=np.int64)]

    def first_view_row(self, layer_rows: np.ndarray) -> int | None:
        """The first view row showing one of ``layer_rows`` (None if none is shown)."""
        if not len(layer_rows) or not len(self.order):
            return None
        hits = np.flatnonzero(self.selected_mask[self.order]) if len(self.selected_mask) else []
        return int(hits[0]) if len(hits) else None

    def view_rows(self, layer_rows: np.ndarray) -> np.ndarray:
        """Sorted view rows of the given layer rows (those filtered out are dropped)."""
        if not len(self.order) or not len(layer_rows):
            return np.empty(0, dtype=np.int64)
        n = len(self._cols[0]) if self._cols else int(self.order.max()) + 1
        pos = np.full(max(n, int(np.max(layer_rows)) + 1), -1, dtype=np.int64)
        pos[self.order] = np.arange(len(self.order), dtype=np.int64)
        rows = pos[np.asarray(layer_rows, dtype=np.int64)]
        return np.sort(rows[rows >= 0])


def _app():
    from PySide6.QtWidgets import QApplication
    return QApplication.instance()


def set_attribute(project, layer, row: int, field: str, value) -> None:
    """Change one attribute value as an undoable command.

    Design elements go through ``project.design.update`` (their own command); other
    layers get a :class:`~smartgis.core.edits.SetValue`.
    """
    f = layer.table.field(field)
    cmd = SetValue(layer, row, field, value if value != "" or f.type in ("str", "json") else None)
    if not cmd.changes:
        return
    if isinstance(layer, ElementLayer) and project is not None and "uid" in layer.table.field_names:
        project.design.update([layer.table.value(row, "uid")], **{field: cmd.new})
        return
    if project is not None:
        project.stack.push(cmd)
    else:
        cmd.redo()


class AttributeTableDock(QDockWidget):
    """The "Attribute table" dock, showing the window's current vector layer.

    Parameters
    ----------
    window : MainWindow
        Gives ``run_task`` (background sorts and filters), ``canvas`` (zoom to the
        selection), ``project`` and ``read_only``.
    """

    layer_shown = Signal(object)
    # model events, queued to the GUI thread when they happen on a worker thread
    _selection_event = Signal()
    _layer_event = Signal(str)

    def __init__(self, window, parent=None):
        super().__init__(self.tr("Attribute table"), parent or window)
        self._selection_event.connect(self._on_layer_selection)
        self._layer_event.connect(self._on_layer_changed)
        self.setObjectName("AttributeTableDock")
        self.window_ = window
        self.layer: VectorLayer | None = None
        self._cache: table_query.ColumnCache | None = None
        self._cache_version = None
        self._syncing = False
        self._compute_seq = 0
        self.model = AttributeTableModel(self)
        self.model.sorter = self._sort_in_background
        self.model.edit_failed.connect(lambda exc: window.show_error(exc))
        self.view = AttributeTableView()
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicatorShown(False)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        vh = self.view.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.Fixed)  # fixed heights keep a million rows cheap
        vh.setDefaultSectionSize(self.view.fontMetrics().height() + 6)
        self.view.horizontalHeader().setDefaultSectionSize(110)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.selection_model = LayerSelectionModel(self.model, self._select_from_view, self)
        self.view.setSelectionModel(self.selection_model)
        pal = self.view.palette()
        self.model.set_palette(pal.color(pal.ColorRole.Highlight), pal.color(pal.ColorRole.HighlightedText))

        self.title = QLabel()
        self.mode = QComboBox()
        self.mode.addItem(self.tr("Search"), "text")
        self.mode.addItem(self.tr("Expression"), "expression")
        self.mode.setToolTip(self.tr("Search: rows containing the text in any field.\n"
                                     "Expression: e.g. \"floors\" > 10 AND use = 'residential'"))
        self.filter = QLineEdit()
        self.filter.setClearButtonEnabled(True)
        self.filter.setPlaceholderText(self.tr("Filter rows (Enter to apply)"))
        self.filter.returnPressed.connect(self.apply_filter)
        self.filter.textChanged.connect(lambda t: t or self.apply_filter())
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.selected_only = QToolButton()
        self.selected_only.setText(self.tr("Selected only"))
        self.selected_only.setCheckable(True)
        self.selected_only.toggled.connect(lambda _on: self.apply_filter())
        self.toolbar = QToolBar()
        self.act_select_filtered = QAction(self.tr("Select shown rows"), self)
        self.act_invert = QAction(self.tr("Invert selection"), self)
        self.act_clear = QAction(self.tr("Deselect all"), self)
        self.act_zoom = QAction(self.tr("Zoom to selection"), self)
        self.act_select_filtered.triggered.connect(self.select_shown)
        self.act_invert.triggered.connect(self.invert_selection)
        self.act_clear.triggered.connect(lambda: self.layer is not None and self.layer.select([]))
        self.act_zoom.triggered.connect(self._zoom_to_selection)
        for a in (self.act_select_filtered, self.act_invert, self.act_clear, self.act_zoom):
            self.toolbar.addAction(a)
        self.count = QLabel()
        self.message = QLabel()
        self.message.setStyleSheet("color: #a03020")

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.mode)
        top.addWidget(self.filter, 1)
        top.addWidget(self.selected_only)
        bottom = QHBoxLayout()
        bottom.addWidget(self.toolbar)
        bottom.addStretch(1)
        bottom.addWidget(self.message)
        bottom.addWidget(self.count)
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(4, 2, 4, 2)
        lay.setSpacing(2)
        lay.addLayout(top)
        lay.addWidget(self.view, 1)
        lay.addLayout(bottom)
        self.setWidget(box)
        self._update_count()

    # -- layer -----------------------------------------------------------------------------------
    def set_layer(self, layer) -> None:
        """Show a vector layer's attributes (loading them in the background if needed)."""
        if not isinstance(layer, VectorLayer) or not layer.available:
            layer = None
        if layer is self.layer:
            return
        self._detach()
        self.layer = layer
        if layer is None:
            self.model.set_layer(None)
            self._update_count()
            self.layer_shown.emit(None)
            return
        self.title.setText(f"<b>{layer.name}</b>")
        layer.selection_changed.connect(self._model_selection)
        layer.changed.connect(self._model_changed)
        if layer.feature_count >= BACKGROUND_ROWS and not layer.attributes_loaded:
            self.model.set_layer(None)
            self.count.setText(self.tr("Loading attributes…"))

            def loaded(_table, lyr=layer):
                if lyr is self.layer:
                    self._show_layer()
            self.window_.run_task(self.tr("Reading the attributes of {layer}").format(layer=layer.name),
                                  _load_attributes, layer, on_done=loaded)
        else:
            self._show_layer()

    def _show_layer(self) -> None:
        layer = self.layer
        self.model.editable = not self.window_.read_only
        self.model.set_layer(layer, project=self.window_.project)
        self.view.horizontalHeader().setSortIndicatorShown(False)
        self.message.clear()
        if self.filter.text().strip() or self.selected_only.isChecked():
            self.apply_filter()
        else:
            self._apply_layer_selection()
            self._update_count()
        self.layer_shown.emit(layer)

    def _detach(self) -> None:
        if self.layer is not None:
            self.layer.selection_changed.disconnect(self._model_selection)
            self.layer.changed.disconnect(self._model_changed)
        self._cache = None

    def _model_selection(self) -> None:
        self._selection_event.emit()

    def _model_changed(self, what) -> None:
        self._layer_event.emit(str(what))

    def _on_layer_changed(self, what) -> None:
        if what == "data":
            self._cache = None
            self._show_layer()
        elif what == "attributes":
            self._cache = None
            self.model.refresh_columns()
        elif what == "name" and self.layer is not None:
            self.title.setText(f"<b>{self.layer.name}</b>")

    def column_cache(self) -> table_query.ColumnCache:
        if self._cache is None or self._cache_version != self.layer.version:
            self._cache = table_query.ColumnCache(self.layer.table)
            self._cache_version = self.layer.version
        return self._cache

    # -- filtering and sorting ---------------------------------------------------------------------
    def _mode_changed(self, *_args) -> None:
        expr = self.mode.currentData() == "expression"
        self.filter.setPlaceholderText(self.tr("e.g. \"floors\" > 10 AND use = 'residential'") if expr
                                       else self.tr("Filter rows (Enter to apply)"))
        if self.filter.text().strip():
            self.apply_filter()

    def apply_filter(self) -> None:
        """Recompute the shown rows from the filter text, "selected only" and the sort."""
        if self.layer is None or self.model.layer is None:
            return
        spec = dict(mode=self.mode.currentData(), text=self.filter.text().strip(),
                    selected_only=self.selected_only.isChecked(),
                    selection=self.layer.selection.copy(),
                    sort_field=(self.model.fields[self.model.sort_column].name
                                if 0 <= self.model.sort_column < len(self.model.fields) else None),
                    descending=self.model.sort_descending)
        self._compute(spec)

    def _sort_in_background(self, column: int, descending: bool) -> None:
        self.view.horizontalHeader().setSortIndicatorShown(True)
        self.apply_filter()

    def _compute(self, spec: dict) -> None:
        layer = self.layer
        table = layer.table
        cache = self.column_cache()
        self._compute_seq += 1
        seq = self._compute_seq

        def done(order, lyr=layer):
            if lyr is not self.layer or seq != self._compute_seq:
                return  # superseded by a later filter or sort
            self.message.clear()
            self.model.set_order(order)
            self._apply_layer_selection()
            self._update_count()

        def failed(exc):
            if seq == self._compute_seq:
                self.message.setText(localize(exc))

        if len(table) >= BACKGROUND_ROWS:
            self.window_.run_task(self.tr("Filtering {layer}").format(layer=layer.name), compute_order,
                                  table, cache, on_done=done, on_error=failed, **spec)
        else:
            try:
                done(compute_order(table, cache, **spec))
            except UserError as exc:
                failed(exc)

    # -- selection -----------------------------------------------------------------------------------
    def _select_from_view(self, layer_rows: np.ndarray) -> None:
        """The view selected rows (click, drag, keys, Ctrl+A): select them in the layer."""
        if self.layer is None or self.model.layer is None:
            return
        self._syncing = True
        try:
            self.layer.select(layer_rows)
        finally:
            self._syncing = False
        self.model.set_selected(self.layer.selection)
        self._update_count()

    def _on_layer_selection(self) -> None:
        if self._syncing:
            return
        self.selection_model.reset_base()
        if self.selected_only.isChecked():
            self.apply_filter()
        else:
            self._apply_layer_selection()
        self._update_count()

    def _apply_layer_selection(self) -> None:
        """Paint the rows of ``layer.selection`` (a selection made on the map) as selected."""
        if self.layer is None or self.model.layer is None:
            return
        self.selection_model.reset_base()
        self.model.set_selected(self.layer.selection)
        first = self.model.first_view_row(self.layer.selection)
        if first is not None:
            self.view.scrollTo(self.model.index(first, 0), QAbstractItemView.EnsureVisible)

    def selected_view_rows(self) -> np.ndarray:
        """View rows shown as selected (sorted)."""
        return self.model.view_rows(self.layer.selection) if self.layer is not None else np.empty(0, np.int64)

    def select_shown(self) -> None:
        """Select the rows the filter shows (QGIS "select all matching")."""
        if self.layer is not None:
            self.layer.select(self.model.order)

    def invert_selection(self) -> None:
        if self.layer is not None:
            self.layer.select(np.arange(self.layer.feature_count), mode="toggle")

    def _zoom_to_selection(self) -> None:
        canvas = getattr(self.window_, "canvas", None)
        if canvas is not None and self.layer is not None and len(self.layer.selection):
            canvas.zoom_to_selection()

    def _update_count(self) -> None:
        if self.layer is None or self.model.layer is None:
            if self.layer is None:
                self.title.setText(self.tr("No vector layer chosen"))
                self.count.clear()
            return
        total = self.layer.feature_count
        shown = self.model.rowCount()
        sel = len(self.layer.selection)
        text = self.tr("{total} features, {selected} selected").format(total=f"{total:,}", selected=f"{sel:,}")
        if shown != total:
            text += self.tr(", {shown} shown").format(shown=f"{shown:,}")
        self.count.setText(text)


def _load_attributes(layer, progress=None):
    """Read a layer's attributes (the first access loads them from the project file)."""
    if progress is not None:
        progress(0, 1, "")
    return layer.table


def compute_order(table, cache, *, mode="text", text="", selected_only=False, selection=None,
                  sort_field=None, descending=False, progress=None) -> np.ndarray:
    """The layer rows to show, in order: filter, then "selected only", then sort.

    Raises
    ------
    ExpressionError
        For a bad filter expression (the message names the problem).
    """
    n = len(table)
    mask = np.ones(n, dtype=bool)
    if text:
        if mode == "expression":
            mask &= table_query.evaluate(table, text, cache)
        else:
            mask &= table_query.search(table, text, cache=cache)
    if progress is not None and progress(0.5, 1, "") is False:
        from smartgis.errors import Cancelled
        raise Cancelled()
    if selected_only:
        sel_mask = np.zeros(n, dtype=bool)
        if selection is not None and len(selection):
            sel_mask[np.asarray(selection, dtype=np.int64)] = True
        mask &= sel_mask
    rows = np.flatnonzero(mask)
    if sort_field:
        rows = table_query.sort_order(table.column(sort_field), descending, rows)
    return rows
