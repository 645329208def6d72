"""The batch layout dialog: many elements at once, the same operations as
``smartgis place`` and ``project.design.place_along`` / ``place_grid`` /
``place_at_intersections`` / ``connect_nearest``.  Each run is one undo step."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from smartgis.core.layers import VectorLayer
from smartgis.errors import UserError
from smartgis.ui.maptools.design.attribute_form import ui_language
from smartgis.ui.maptools.design.palette import type_icon


def _spin(value: float, lo: float, hi: float, suffix: str = " m", decimals: int = 1) -> QDoubleSpinBox:
    s = QDoubleSpinBox()
    s.setRange(lo, hi)
    s.setDecimals(decimals)
    s.setValue(value)
    s.setSuffix(suffix)
    return s


class BatchLayoutDialog(QDialog):
    """Lay out elements along lines, on a grid, at intersections, or link them."""

    def __init__(self, window, type_id: str | None = None, variant: str | None = None):
        super().__init__(window)
        self.setObjectName("batch_layout")
        self.window = window
        self.project = window.project
        self.lang = ui_language()
        self.result_uids: list[str] = []
        self.setWindowTitle(self.tr("Batch layout"))
        outer = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("modes")
        outer.addWidget(self.tabs)

        # along lines
        w = QWidget()
        f = QFormLayout(w)
        self.along_type = self._type_box(type_id, variant)
        self.along_layer = self._layer_box(("LineString", "MultiLineString", "Polygon", "MultiPolygon"))
        self.spacing = _spin(35, 0.1, 1e5)
        self.offset = _spin(8, -1e4, 1e4)
        self.both = QCheckBox(self.tr("Both sides of the line"))
        self.both.setChecked(True)
        self.min_gap = _spin(0, 0, 1e4)
        self.min_gap.setSpecialValueText(self.tr("off"))
        self.orient = QComboBox()
        for text, data in ((self.tr("keep the default direction"), None), (self.tr("along the line"), "along"),
                           (self.tr("towards the line"), "road"), (self.tr("away from the line"), "away")):
            self.orient.addItem(text, data)
        f.addRow(self.tr("Element type"), self.along_type)
        f.addRow(self.tr("Along the lines of"), self.along_layer)
        f.addRow(self.tr("Spacing"), self.spacing)
        f.addRow(self.tr("Offset from the line"), self.offset)
        f.addRow("", self.both)
        f.addRow(self.tr("Minimum gap"), self.min_gap)
        f.addRow(self.tr("Cameras face"), self.orient)
        self.tabs.addTab(w, self.tr("Along lines"))

        # grid
        w = QWidget()
        f = QFormLayout(w)
        self.grid_type = self._type_box(type_id, variant)
        self.grid_layer = self._layer_box(("Polygon", "MultiPolygon"))
        self.grid_spacing = _spin(500, 1, 1e6)
        self.pattern = QComboBox()
        self.pattern.addItem(self.tr("square"), "square")
        self.pattern.addItem(self.tr("hexagonal (densest cover)"), "hex")
        self.angle = _spin(0, -180, 180, "°")
        self.margin = _spin(0, 0, 1e5)
        f.addRow(self.tr("Element type"), self.grid_type)
        f.addRow(self.tr("Inside the polygons of"), self.grid_layer)
        f.addRow(self.tr("Spacing"), self.grid_spacing)
        f.addRow(self.tr("Pattern"), self.pattern)
        f.addRow(self.tr("Rotation"), self.angle)
        f.addRow(self.tr("Margin inside"), self.margin)
        self.tabs.addTab(w, self.tr("Grid"))

        # intersections
        w = QWidget()
        f = QFormLayout(w)
        self.x_type = self._type_box(type_id or "camera", variant or ("ptz" if not type_id else None))
        self.x_layer = self._layer_box(("LineString", "MultiLineString"))
        self.degree = QSpinBox()
        self.degree.setRange(1, 12)
        self.degree.setValue(3)
        self.tolerance = _spin(0.01, 0, 100, " m", 3)
        f.addRow(self.tr("Element type"), self.x_type)
        f.addRow(self.tr("At the intersections of"), self.x_layer)
        f.addRow(self.tr("Lines meeting (at least)"), self.degree)
        f.addRow(self.tr("Ends closer than"), self.tolerance)
        self.tabs.addTab(w, self.tr("Intersections"))

        # connect
        w = QWidget()
        f = QFormLayout(w)
        self.from_types = QListWidget()
        self.from_types.setSelectionMode(QAbstractItemView.MultiSelection)
        counts = self.project.design.counts()
        for t in self.project.catalog:
            if t.geometry == "LineString" and t.id == "link":
                continue
            it = QListWidgetItem(type_icon(t), f"{t.label(self.lang)} ({counts.get(t.id, 0)})")
            it.setData(Qt.UserRole, t.id)
            self.from_types.addItem(it)
            it.setHidden(not counts.get(t.id))
        self.to_type = QComboBox()
        for t in self.project.catalog:
            if counts.get(t.id):
                self.to_type.addItem(type_icon(t), t.label(self.lang), t.id)
        i = self.to_type.findData("iot_gateway")
        if i >= 0:
            self.to_type.setCurrentIndex(i)
        self.max_distance = _spin(2000, 0, 1e6)
        self.max_distance.setSpecialValueText(self.tr("no limit"))
        self.relink = QCheckBox(self.tr("Also elements that already have a link"))
        f.addRow(self.tr("Connect"), self.from_types)
        f.addRow(self.tr("To the nearest"), self.to_type)
        f.addRow(self.tr("Within"), self.max_distance)
        f.addRow("", self.relink)
        self.tabs.addTab(w, self.tr("Connect to nearest"))

        self.note = QLabel(self.tr("The new elements take the type's default attributes. One undo step."))
        self.note.setWordWrap(True)
        outer.addWidget(self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText(self.tr("Place"))
        buttons.button(QDialogButtonBox.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self.resize(480, 420)

    # -- widgets -------------------------------------------------------------------------
    def _type_box(self, type_id, variant) -> QComboBox:
        box = QComboBox()
        for t in self.project.catalog:
            if t.geometry != "Point":
                continue
            box.addItem(type_icon(t), t.label(self.lang), t.id)
            for v in t.variants:
                box.addItem(type_icon(t), f"    {v.label(self.lang)}", f"{t.id}:{v.id}")
        want = f"{type_id}:{variant}" if type_id and variant else (type_id or "smart_pole")
        i = box.findData(want)
        box.setCurrentIndex(max(0, i))
        return box

    def _layer_box(self, geometry_types) -> QComboBox:
        box = QComboBox()
        for lyr in self.project.vector_layers():
            if lyr.kind == "design" or not lyr.available:
                continue
            if lyr.geometry_type in geometry_types:
                box.addItem(lyr.name, lyr.id)
        roads = [lyr for lyr in self.project.layers_with_role("roads") if isinstance(lyr, VectorLayer)]
        if roads:
            i = box.findData(roads[0].id)
            if i >= 0:
                box.setCurrentIndex(i)
        return box

    # -- running -------------------------------------------------------------------------
    def run(self) -> list[str]:
        """Do the layout of the current tab; returns the new uids."""
        d = self.project.design
        mode = self.tabs.currentIndex()
        if mode == 0:
            self._need(self.along_layer)
            return d.place_along(self.along_type.currentData(), self.along_layer.currentData(),
                                 spacing=self.spacing.value(), offset=self.offset.value(),
                                 both_sides=self.both.isChecked(), min_gap=self.min_gap.value() or None,
                                 orient=self.orient.currentData())
        if mode == 1:
            self._need(self.grid_layer)
            return d.place_grid(self.grid_type.currentData(), self.grid_layer.currentData(),
                                self.grid_spacing.value(), pattern=self.pattern.currentData(),
                                angle=self.angle.value(), margin=self.margin.value())
        if mode == 2:
            self._need(self.x_layer)
            return d.place_at_intersections(self.x_type.currentData(), self.x_layer.currentData(),
                                            min_degree=self.degree.value(), tolerance=self.tolerance.value())
        froms = [it.data(Qt.UserRole) for it in self.from_types.selectedItems()]
        if not froms or self.to_type.currentData() is None:
            raise UserError(self.tr("Choose the elements to connect and the type to connect them to."))
        return d.connect_nearest(froms, self.to_type.currentData(), self.max_distance.value() or None,
                                 skip_linked=not self.relink.isChecked())

    def _need(self, box: QComboBox) -> None:
        if box.currentData() is None:
            raise UserError(self.tr("The project has no suitable layer for this layout; import one first."))

    def accept(self) -> None:
        try:
            self.result_uids = self.run()
        except UserError as exc:
            self.window.show_error(exc, self.windowTitle())
            return
        notes = list(self.project.design.last_notes)
        if not self.result_uids and notes:
            # nothing was placed: say why and leave the dialog open to change the layout
            from PySide6.QtWidgets import QMessageBox
            from smartgis.i18n import localize
            box = QMessageBox(QMessageBox.Information, self.windowTitle(), self.tr("Nothing was placed."),
                              QMessageBox.Ok, self)
            box.setObjectName("batch_nothing_placed")
            box.setInformativeText("\n".join(localize(n) for n in notes))
            box.open()
            self.nothing_box = box
            return
        super().accept()
