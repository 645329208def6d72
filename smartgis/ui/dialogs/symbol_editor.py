"""Editing one :class:`~smartgis.core.style.Symbol`: fill, outline, width, marker, size."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QFormLayout, QLabel, QWidget

from smartgis.core.layers import geometry_family
from smartgis.core.style import MARKERS, Symbol
from smartgis.ui.dialogs.widgets import ColorButton, svg_pixmap

#: The marker entry standing for an element type's own SVG symbol.
SVG_MARKER = "svg"


geometry_kind = geometry_family   # the kind of symbol a geometry type is drawn with


class SymbolEditor(QWidget):
    """Form for a symbol; shows only what matters for the layer's geometry kind.

    Signals
    -------
    changed()
        After any edit; :meth:`symbol` returns the edited copy.
    """

    changed = Signal()

    def __init__(self, symbol: Symbol, kind: str = "polygon", parent=None):
        super().__init__(parent)
        self.kind = kind
        self._symbol = Symbol.from_dict(symbol.__dict__)
        self.fill = ColorButton(self._symbol.fill)
        self.stroke = ColorButton(self._symbol.stroke)
        self.width = QDoubleSpinBox()
        self.width.setRange(0.0, 20.0)
        self.width.setDecimals(2)
        self.width.setSingleStep(0.1)
        self.width.setSuffix(" mm")
        self.width.setValue(self._symbol.stroke_width)
        self.marker = QComboBox()
        names = {"circle": self.tr("Circle"), "square": self.tr("Square"), "triangle": self.tr("Triangle"),
                 "diamond": self.tr("Diamond"), "star": self.tr("Star"), "cross": self.tr("Cross"),
                 "pentagon": self.tr("Pentagon")}
        # an element type draws its SVG symbol: the editor shows that symbol (choosing a
        # plain marker instead replaces it)
        self.preview = QLabel()
        self.preview.setObjectName("symbol_preview")
        svg = svg_pixmap(self._symbol.icon, 40) if kind == "point" else None
        if svg is not None:
            from PySide6.QtGui import QIcon
            self.marker.addItem(QIcon(svg), self.tr("Element symbol (SVG)"), SVG_MARKER)
            self.preview.setPixmap(svg)
            self.preview.setToolTip(self._symbol.icon)
        for m in MARKERS:
            self.marker.addItem(names.get(m, m), m)
        self.marker.setCurrentIndex(0 if svg is not None else max(0, self.marker.findData(self._symbol.marker)))
        self.size = QDoubleSpinBox()
        self.size.setRange(0.2, 50.0)
        self.size.setDecimals(1)
        self.size.setSuffix(" mm")
        self.size.setValue(self._symbol.size)
        self.dash = QComboBox()
        for key, label in (("solid", self.tr("Solid")), ("dash", self.tr("Dashed")), ("dot", self.tr("Dotted"))):
            self.dash.addItem(label, key)
        self.dash.setCurrentIndex(max(0, self.dash.findData(self._symbol.dash)))
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        if kind != "line":
            form.addRow(self.tr("Fill colour:"), self.fill)
        form.addRow(self.tr("Outline colour:") if kind != "line" else self.tr("Line colour:"), self.stroke)
        form.addRow(self.tr("Outline width:") if kind != "line" else self.tr("Line width:"), self.width)
        if kind == "point":
            if svg is not None:
                form.addRow(self.tr("Symbol:"), self.preview)
            form.addRow(self.tr("Marker:"), self.marker)
            form.addRow(self.tr("Size:"), self.size)
        else:
            form.addRow(self.tr("Stroke style:"), self.dash)
        for w in (self.fill, self.stroke):
            w.color_changed.connect(self._edited)
        for w in (self.width, self.size):
            w.valueChanged.connect(self._edited)
        for w in (self.marker, self.dash):
            w.currentIndexChanged.connect(self._edited)

    def _edited(self, *_args) -> None:
        self.changed.emit()

    def symbol(self) -> Symbol:
        s = Symbol.from_dict(self._symbol.__dict__)
        if self.kind != "line":
            s.fill = self.fill.color()
        s.stroke = self.stroke.color()
        s.stroke_width = float(self.width.value())
        if self.marker.currentData() == SVG_MARKER:
            pass                                   # the SVG symbol (and its fallback marker) stay
        else:
            s.marker = self.marker.currentData()
            s.icon = None
        s.size = float(self.size.value())
        s.dash = self.dash.currentData()
        return s

    def set_symbol(self, symbol: Symbol) -> None:
        self._symbol = Symbol.from_dict(symbol.__dict__)
        self.fill.set_color(symbol.fill)
        self.stroke.set_color(symbol.stroke)
        self.width.setValue(symbol.stroke_width)
        svg = symbol.icon and self.marker.findData(SVG_MARKER) >= 0
        self.marker.setCurrentIndex(self.marker.findData(SVG_MARKER) if svg
                                    else max(0, self.marker.findData(symbol.marker)))
        self.size.setValue(symbol.size)
        self.dash.setCurrentIndex(max(0, self.dash.findData(symbol.dash)))
