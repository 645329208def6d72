"""The style page of a vector layer: single symbol, categorized, graduated, and labels.

The page edits a copy of the layer's :class:`~smartgis.core.style.VectorStyle`;
:meth:`VectorStyleWidget.style` returns the result, which the properties dialog
applies to the layer as one undoable step.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smartgis.core.style import Category, LabelStyle, Range, Symbol, VectorStyle
from smartgis.ui.dialogs import classify
from smartgis.ui.dialogs.symbol_editor import SymbolEditor, geometry_kind
from smartgis.ui.dialogs.widgets import ColorButton, from_qcolor, swatch_icon, to_qcolor

RENDERERS = ("single", "categorized", "graduated")


def _fmt(v) -> str:
    return f"{v:.6g}" if isinstance(v, float) else str(v)


class _ClassTable(QTableWidget):
    """Rows of classes: a colour swatch (double-click to change), values, legend, count."""

    def __init__(self, headers: list[str], parent=None):
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(headers)
        self.verticalHeader().setVisible(False)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.symbols: list[Symbol] = []
        self.cellDoubleClicked.connect(self._double_clicked)

    def set_symbol(self, row: int, sym: Symbol) -> None:
        self.symbols[row] = sym
        item = self.item(row, 0)
        item.setIcon(swatch_icon(sym.fill if not _is_line(sym) else sym.stroke, sym.stroke))

    def add_row(self, sym: Symbol, cells: list[str], editable: set[int] = frozenset()) -> None:
        r = self.rowCount()
        self.insertRow(r)
        self.symbols.append(sym)
        first = QTableWidgetItem("")
        first.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
        self.setItem(r, 0, first)
        for c, text in enumerate(cells, start=1):
            it = QTableWidgetItem(text)
            flags = Qt.ItemIsEnabled | Qt.ItemIsSelectable
            if c in editable:
                flags |= Qt.ItemIsEditable
            it.setFlags(flags)
            self.setItem(r, c, it)
        self.set_symbol(r, sym)

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.selectedIndexes()}, reverse=True)
        for r in rows:
            self.removeRow(r)
            del self.symbols[r]

    def clear_rows(self) -> None:
        self.setRowCount(0)
        self.symbols.clear()

    def _double_clicked(self, row: int, col: int) -> None:
        if col != 0:
            return
        sym = self.symbols[row]
        line = _is_line(sym)
        q = QColorDialog.getColor(to_qcolor(sym.stroke if line else sym.fill), self, self.tr("Class colour"))
        if q.isValid():
            new = Symbol.from_dict(sym.__dict__)
            if line:
                new.stroke = from_qcolor(q)
            else:
                new.fill = from_qcolor(q)
            self.set_symbol(row, new)


def _is_line(sym: Symbol) -> bool:
    f = sym.fill.lstrip("#")
    return len(f) == 8 and f.endswith("00")


class LabelsWidget(QWidget):
    """Labels from a field: on/off, field, size, colour, halo."""

    def __init__(self, labels: LabelStyle, field_names: list[str], parent=None):
        super().__init__(parent)
        self.enabled = QCheckBox(self.tr("Show labels"))
        self.enabled.setChecked(bool(labels.enabled))
        self.field = QComboBox()
        self.field.addItems(field_names)
        if labels.field in field_names:
            self.field.setCurrentText(labels.field)
        self.size = QDoubleSpinBox()
        self.size.setRange(0.5, 30)
        self.size.setDecimals(1)
        self.size.setSuffix(" mm")
        self.size.setValue(labels.size)
        self.color = ColorButton(labels.color)
        self.halo = QCheckBox(self.tr("Halo"))
        self.halo.setChecked(labels.halo is not None)
        self.halo_color = ColorButton(labels.halo or "#ffffff")
        self.halo_width = QDoubleSpinBox()
        self.halo_width.setRange(0, 5)
        self.halo_width.setDecimals(2)
        self.halo_width.setSuffix(" mm")
        self.halo_width.setValue(labels.halo_width)
        form = QFormLayout(self)
        form.addRow(self.enabled)
        form.addRow(self.tr("Label field:"), self.field)
        form.addRow(self.tr("Text size:"), self.size)
        form.addRow(self.tr("Text colour:"), self.color)
        halo_row = QHBoxLayout()
        halo_row.addWidget(self.halo)
        halo_row.addWidget(self.halo_color)
        halo_row.addWidget(self.halo_width)
        halo_row.addStretch(1)
        form.addRow(self.tr("Halo:"), halo_row)
        if not field_names:
            self.enabled.setEnabled(False)
            self.enabled.setToolTip(self.tr("The layer has no attribute fields."))

    def labels(self) -> LabelStyle:
        return LabelStyle(field=self.field.currentText() or None,
                          enabled=self.enabled.isChecked() and bool(self.field.currentText()),
                          size=float(self.size.value()), color=self.color.color(),
                          halo=self.halo_color.color() if self.halo.isChecked() else None,
                          halo_width=float(self.halo_width.value()))


class VectorStyleWidget(QWidget):
    """Renderer choice and the classes of a vector layer.

    Parameters
    ----------
    layer : VectorLayer
        Its style is copied; the layer is only read (attribute columns for classes).
    """

    def __init__(self, layer, parent=None):
        super().__init__(parent)
        self.layer = layer
        self._style: VectorStyle = layer.style.copy()
        self.kind = geometry_kind(layer.geometry_type)
        self.field_names = [f.name for f in layer.fields]
        self.renderer = QComboBox()
        for key, label in (("single", self.tr("Single symbol")), ("categorized", self.tr("Categorized")),
                           ("graduated", self.tr("Graduated"))):
            self.renderer.addItem(label, key)
        self.stack = QStackedWidget()
        self.single = SymbolEditor(self._style.symbol, self.kind)
        self.stack.addWidget(self._wrap(self.single))
        self.stack.addWidget(self._build_categorized())
        self.stack.addWidget(self._build_graduated())
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a03020")
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Renderer:")))
        top.addWidget(self.renderer, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.stack, 1)
        lay.addWidget(self.message)
        self.renderer.currentIndexChanged.connect(self._renderer_changed)
        self.renderer.setCurrentIndex(max(0, RENDERERS.index(self._style.renderer)
                                          if self._style.renderer in RENDERERS else 0))
        self._renderer_changed()

    @staticmethod
    def _wrap(w: QWidget) -> QWidget:
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 6, 0, 0)
        lay.addWidget(w)
        lay.addStretch(1)
        return box

    # -- categorized ---------------------------------------------------------------------------
    def _build_categorized(self) -> QWidget:
        page = QWidget()
        self.cat_field = QComboBox()
        self.cat_field.addItems(self.field_names)
        self.cat_palette = QComboBox()
        self.cat_palette.addItems(list(classify.PALETTES))
        self.cat_classify = QPushButton(self.tr("Classify"))
        self.cat_delete = QPushButton(self.tr("Delete"))
        self.cat_table = _ClassTable([self.tr("Symbol"), self.tr("Value"), self.tr("Legend"), self.tr("Count")])
        self.cat_other = SymbolEditor(self._style.symbol, self.kind)
        form = QFormLayout()
        form.addRow(self.tr("Field:"), self.cat_field)
        form.addRow(self.tr("Colours:"), self.cat_palette)
        _class_page(page, form, self.cat_table, self.cat_classify, self.cat_delete,
                    self.tr("Symbol for other values:"), self.cat_other)
        self.cat_classify.clicked.connect(self.classify_categories)
        if self._style.field in self.field_names:
            self.cat_field.setCurrentText(self._style.field)
        counts = self._category_counts(self._style.field, self._style.categories)
        for c, n in zip(self._style.categories, counts):
            self.cat_table.add_row(c.symbol, [_fmt(c.value), c.label or _fmt(c.value), n], editable={2})
        return page

    def _column(self, name):
        if not name or name not in self.field_names:
            return None
        try:
            return self.layer.table.column(name)
        except Exception:  # noqa: BLE001 - a layer whose data cannot be read shows no counts
            return None

    def _category_counts(self, name, categories) -> list[str]:
        """How many features each saved category has (the Count column of a style opened again)."""
        col = self._column(name)
        if col is None:
            return [""] * len(categories)
        try:
            values, counts = classify.unique_values(col)
        except classify.TooManyValues:
            return [""] * len(categories)
        by_value = {_fmt(v): n for v, n in zip(values, counts)}
        return [f"{by_value.get(_fmt(c.value), 0):,}" for c in categories]

    def _range_counts(self, name, ranges) -> list[str]:
        """How many features fall in each saved class (the last class includes its top)."""
        col = self._column(name)
        if col is None or not ranges:
            return [""] * len(ranges)
        x = classify.numeric(col)
        x = x[np.isfinite(x)]
        top = max(r.upper for r in ranges)
        out = []
        for r in ranges:
            inside = (x >= r.lower) & ((x < r.upper) | ((x == r.upper) & (r.upper == top)))
            out.append(f"{int(inside.sum()):,}")
        return out

    def classify_categories(self) -> bool:
        """Fill the table with one class per distinct value of the chosen field."""
        name = self.cat_field.currentText()
        if not name:
            self.message.setText(self.tr("The layer has no attribute fields to classify by."))
            return False
        try:
            values, counts = classify.unique_values(self.layer.table.column(name))
        except classify.TooManyValues as exc:
            self.message.setText(self.tr("{field} has {count} distinct values, more than {limit}: use a graduated "
                                         "style").format(field=name, count=f"{exc.count:,}", limit=exc.limit))
            return False
        cats = classify.categories_for(values, self.cat_other.symbol(), self.cat_palette.currentText())
        self.message.clear()
        self.cat_table.clear_rows()
        for cat, n in zip(cats, counts):
            self.cat_table.add_row(cat.symbol, [_fmt(cat.value), cat.label, f"{n:,}"], editable={2})
        self._cat_raw = [c.value for c in cats]
        return True

    def _categories(self) -> list[Category]:
        raw = getattr(self, "_cat_raw", None) or [c.value for c in self._style.categories]
        out = []
        for r in range(self.cat_table.rowCount()):
            shown = self.cat_table.item(r, 1).text()
            value = next((v for v in raw if _fmt(v) == shown), shown)
            out.append(Category(value, self.cat_table.symbols[r], self.cat_table.item(r, 2).text()))
        return out

    # -- graduated -------------------------------------------------------------------------------
    def _numeric_fields(self) -> list[str]:
        out = []
        for f in self.layer.fields:
            if f.type in ("int", "float"):
                out.append(f.name)
            elif f.type == "str" and self.layer.feature_count and classify.is_numeric(self.layer.table.column(f.name)):
                out.append(f.name)
        return out

    def _build_graduated(self) -> QWidget:
        page = QWidget()
        self.grad_field = QComboBox()
        self.grad_field.addItems(self._numeric_fields())
        self.grad_method = QComboBox()
        self.grad_method.addItem(self.tr("Equal interval"), "equal_interval")
        self.grad_method.addItem(self.tr("Quantile (equal count)"), "quantile")
        self.grad_classes = QSpinBox()
        self.grad_classes.setRange(1, 20)
        self.grad_classes.setValue(max(1, len(self._style.ranges)) if self._style.ranges else 5)
        self.grad_ramp = QComboBox()
        for name in classify.RAMPS:
            colors = classify.ramp_colors(name, 2)
            self.grad_ramp.addItem(swatch_icon(colors[1], colors[0]), name)
        self.grad_classify = QPushButton(self.tr("Classify"))
        self.grad_delete = QPushButton(self.tr("Delete"))
        self.grad_table = _ClassTable([self.tr("Symbol"), self.tr("From"), self.tr("To"), self.tr("Legend"),
                                       self.tr("Count")])
        self.grad_base = SymbolEditor(self._style.symbol, self.kind)
        form = QFormLayout()
        form.addRow(self.tr("Field:"), self.grad_field)
        form.addRow(self.tr("Method:"), self.grad_method)
        form.addRow(self.tr("Classes:"), self.grad_classes)
        form.addRow(self.tr("Colour ramp:"), self.grad_ramp)
        _class_page(page, form, self.grad_table, self.grad_classify, self.grad_delete,
                    self.tr("Outline and symbol of the classes:"), self.grad_base)
        self.grad_classify.clicked.connect(self.classify_ranges)
        if self._style.field and self.grad_field.findText(self._style.field) >= 0:
            self.grad_field.setCurrentText(self._style.field)
        counts = self._range_counts(self._style.field, self._style.ranges)
        for r, n in zip(self._style.ranges, counts):
            self.grad_table.add_row(r.symbol, [_fmt(r.lower), _fmt(r.upper), r.label, n], editable={1, 2, 3})
        return page

    def classify_ranges(self) -> bool:
        """Compute the class limits of the chosen numeric field and colour them."""
        name = self.grad_field.currentText()
        if not name:
            self.message.setText(self.tr("The layer has no numeric field to classify by."))
            return False
        col = self.layer.table.column(name)
        try:
            ranges = classify.graduated(col, self.grad_base.symbol(), self.grad_classes.value(),
                                        self.grad_method.currentData(), self.grad_ramp.currentText())
        except classify.NoNumbers:
            self.message.setText(self.tr("{field} has no numeric values to classify.").format(field=name))
            return False
        self.message.clear()
        counts = classify.class_counts(col, [r.lower for r in ranges] + [ranges[-1].upper])
        self.grad_table.clear_rows()
        for rng, n in zip(ranges, counts):
            self.grad_table.add_row(rng.symbol, [_fmt(rng.lower), _fmt(rng.upper), rng.label, f"{n:,}"],
                                    editable={1, 2, 3})
        return True

    def _ranges(self) -> list[Range]:
        out = []
        for r in range(self.grad_table.rowCount()):
            try:
                lo = float(self.grad_table.item(r, 1).text())
                hi = float(self.grad_table.item(r, 2).text())
            except ValueError:
                continue
            out.append(Range(lo, hi, self.grad_table.symbols[r], self.grad_table.item(r, 3).text()))
        return out

    # -- result ---------------------------------------------------------------------------------
    def _renderer_changed(self, *_args) -> None:
        key = self.renderer.currentData()
        self.stack.setCurrentIndex(RENDERERS.index(key))
        self.message.clear()

    def current_renderer(self) -> str:
        return self.renderer.currentData()

    def style(self, labels: LabelStyle | None = None) -> VectorStyle:
        """The edited style (classes of the other renderers are kept for switching back)."""
        s = self._style.copy()
        s.renderer = self.current_renderer()
        if s.renderer == "single":
            s.symbol = self.single.symbol()
        elif s.renderer == "categorized":
            s.symbol = self.cat_other.symbol()
            s.field = self.cat_field.currentText() or None
            s.categories = self._categories()
        else:
            s.symbol = self.grad_base.symbol()
            s.field = self.grad_field.currentText() or None
            s.ranges = self._ranges()
        if labels is not None:
            s.labels = labels
        return s


def _class_page(page, form, table, classify, delete, caption: str, symbol_editor) -> None:
    """Lay out a categorised or graduated page: options, the class table, Classify and
    Delete buttons, and the symbol editor under its caption."""
    buttons = QHBoxLayout()
    buttons.addWidget(classify)
    buttons.addWidget(delete)
    buttons.addStretch(1)
    lay = QVBoxLayout(page)
    lay.setContentsMargins(0, 6, 0, 0)
    lay.addLayout(form)
    lay.addWidget(table, 1)
    lay.addLayout(buttons)
    lay.addWidget(QLabel(caption))
    lay.addWidget(symbol_editor)
    delete.clicked.connect(table.remove_selected)
