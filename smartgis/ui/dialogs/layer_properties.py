"""Layer properties: general (name, opacity, role and the role's field), source,
style, labels.

A layer's role tells the standards checks what it is; a population layer also names
the field holding the number of people, a land-use layer the field holding the
land-use class (GB 50137 codes or names), as ``smartgis layer --population-field`` /
``--use-field`` do.  OK/Apply change the layer as one undoable step on
``project.stack`` (so Ctrl+Z restores the previous style and role), then the map is
refreshed.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSlider,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from smartgis.analysis import roles as _roles
from smartgis.core.edits import SetLayerProperties
from smartgis.core.layers import ROLES, RasterLayer, VectorLayer
from smartgis.crs import crs_label
from smartgis.ui.dialogs.raster_style import RasterStyleWidget
from smartgis.ui.dialogs.vector_style import LabelsWidget, VectorStyleWidget


def role_names() -> dict[str, str]:
    """Display names of the layer roles used by the standards checks."""
    tr = lambda s: QCoreApplication.translate("LayerRoles", s)  # noqa: E731
    return {"study_area": tr("Study area"), "population": tr("Population"), "roads": tr("Roads"),
            "land_use": tr("Land use"), "key_areas": tr("Key areas"), "sensitive_sites": tr("Sensitive sites"),
            "built_up": tr("Built-up area"), "water": tr("Water"), "basemap": tr("Base map"),
            "buildings": tr("Buildings"), "hazardous_sites": tr("Hazardous sites"), "railways": tr("Railways"),
            "waterlogging_points": tr("Waterlogging points"), "noise_zones": tr("Acoustic function zones")}


def apply_layer_changes(project, layer, *, name=None, opacity=None, role="", props=None, style=None) -> bool:
    """Change a layer's name, opacity, role (and its fields) and style as one undoable
    command (:class:`~smartgis.core.edits.SetLayerProperties`, as scripts make it).

    ``role=""`` leaves the role alone; ``None`` clears it.  ``props`` updates the
    layer's properties (``{"population_field": "POP"}``; a None value removes one).
    Returns False when nothing changed (no command is pushed then).
    """
    cmd = SetLayerProperties(project, layer, name=name, opacity=opacity, role=role, props=props, style=style)
    if not cmd.changes:
        return False
    if project is not None:
        project.stack.push(cmd)
    else:
        cmd.redo()
    return True


class LayerPropertiesDialog(QDialog):
    """Tabs General, Source, Style (and Labels for vector layers).

    Signals
    -------
    applied(layer)
        After OK/Apply changed the layer.
    """

    applied = Signal(object)

    def __init__(self, layer, project=None, parent=None):
        super().__init__(parent)
        self.layer = layer
        self.project = project
        self.setWindowTitle(self.tr("Layer properties — {name}").format(name=layer.name))
        self.tabs = QTabWidget()
        self.tabs.addTab(self._general(), self.tr("General"))
        self.tabs.addTab(self._source(), self.tr("Source"))
        self.labels_widget = None
        if isinstance(layer, VectorLayer) and layer.available:
            self.style_widget = VectorStyleWidget(layer)
            self.tabs.addTab(self.style_widget, self.tr("Style"))
            self.labels_widget = LabelsWidget(layer.style.labels, [f.name for f in layer.fields])
            self.tabs.addTab(self.labels_widget, self.tr("Labels"))
        elif isinstance(layer, RasterLayer):
            self.style_widget = RasterStyleWidget(layer)
            self.tabs.addTab(self.style_widget, self.tr("Style"))
        else:
            self.style_widget = None
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel | QDialogButtonBox.Apply)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.Apply).clicked.connect(self.apply)
        lay = QVBoxLayout(self)
        lay.addWidget(self.tabs)
        lay.addWidget(self.buttons)
        self.resize(640, 620)

    # -- pages ----------------------------------------------------------------------------------
    def _general(self) -> QWidget:
        lyr = self.layer
        page = QWidget()
        form = QFormLayout(page)
        self.name = QLineEdit(lyr.name)
        form.addRow(self.tr("Name:"), self.name)
        if isinstance(lyr, VectorLayer):
            kind = self.tr("Vector ({geometry})").format(geometry=lyr.geometry_type or "?")
            form.addRow(self.tr("Type:"), QLabel(kind))
            form.addRow(self.tr("Features:"), QLabel(f"{lyr.feature_count:,}" if lyr.available else "—"))
        else:
            form.addRow(self.tr("Type:"), QLabel(self.tr("Raster")))
        form.addRow(self.tr("CRS:"), self._wrap_label(crs_label(lyr.crs) if lyr.crs else self.tr("unknown")))
        ext = lyr.extent if lyr.available else None
        form.addRow(self.tr("Extent:"), QLabel(", ".join(f"{v:.2f}" for v in ext) if ext else "—"))
        self.opacity_slider = QSlider(Qt.Horizontal)
        self.opacity_slider.setRange(0, 100)
        self.opacity_spin = QSpinBox()
        self.opacity_spin.setRange(0, 100)
        self.opacity_spin.setSuffix(" %")
        self.opacity_slider.valueChanged.connect(self.opacity_spin.setValue)
        self.opacity_spin.valueChanged.connect(self.opacity_slider.setValue)
        self.opacity_slider.setValue(int(round(lyr.opacity * 100)))
        row = QHBoxLayout()
        row.addWidget(self.opacity_slider, 1)
        row.addWidget(self.opacity_spin)
        form.addRow(self.tr("Opacity:"), row)
        self.role = QComboBox()
        self.role.addItem(self.tr("(none)"), None)
        names = role_names()
        for r in ROLES:
            self.role.addItem(names.get(r, r), r)
        self.role.setCurrentIndex(max(0, self.role.findData(lyr.role)) if lyr.role else 0)
        self.role.setToolTip(self.tr("What the layer represents for the standards checks"))
        form.addRow(self.tr("Role:"), self.role)
        self._role_fields(form)
        self.role.currentIndexChanged.connect(self._update_role_fields)
        self._update_role_fields()
        if not lyr.available:
            warn = self._wrap_label(self.tr("Unavailable: {error}").format(error=lyr.error or ""))
            warn.setStyleSheet("color: #a03020")
            form.addRow(warn)
        return page

    def _role_fields(self, form: QFormLayout) -> None:
        """The population field and the land-use field, shown for their roles."""
        lyr = self.layer
        self._form = form
        fields = list(lyr.fields) if isinstance(lyr, VectorLayer) and lyr.available else []
        props = lyr.props or {}
        self.population_field = QComboBox()
        self.population_field.setObjectName("population_field")
        self.population_field.setToolTip(self.tr("The field holding the number of people of each building, "
                                                 "zone or point"))
        numeric = _roles.numeric_fields(fields)
        for f in numeric + [f for f in fields if f not in numeric]:
            self.population_field.addItem(f"{f.name} ({f.type})", f.name)
        chosen = props.get("population_field") or _roles.guess_population_field(fields) or \
            (numeric[0].name if numeric else None)
        self.population_field.setCurrentIndex(max(0, self.population_field.findData(chosen)))
        self.population_hint = self._wrap_label("")
        self.population_hint.setObjectName("population_hint")
        self.population_field.currentIndexChanged.connect(self._update_population_hint)
        self.use_field = QComboBox()
        self.use_field.setObjectName("use_field")
        self.use_field.setToolTip(self.tr("The field holding each zone's land-use class: a GB 50137 code "
                                          "(R2, B1, M1 …) or its name (居住用地 …)"))
        self.use_field.addItem(self.tr("(none)"), None)
        for f in fields:
            self.use_field.addItem(f"{f.name} ({f.type})", f.name)
        chosen = props.get("use_field") or props.get("code_field") or _roles.guess_use_field(fields)
        self.use_field.setCurrentIndex(max(0, self.use_field.findData(chosen)))
        self.use_hint = self._wrap_label("")
        self.use_hint.setObjectName("use_hint")
        self.use_field.currentIndexChanged.connect(self._update_use_hint)
        form.addRow(self.tr("Population field:"), self.population_field)
        form.addRow("", self.population_hint)
        form.addRow(self.tr("Land-use field:"), self.use_field)
        form.addRow("", self.use_hint)

    def _update_role_fields(self) -> None:
        role = self.role.currentData()
        vector = isinstance(self.layer, VectorLayer) and self.layer.available
        for widget, wanted in ((self.population_field, "population"), (self.population_hint, "population"),
                               (self.use_field, "land_use"), (self.use_hint, "land_use")):
            self._form.setRowVisible(widget, vector and role == wanted)
        if vector and role == "population":
            self._update_population_hint()
        elif vector and role == "land_use":
            self._update_use_hint()

    def _update_population_hint(self) -> None:
        name = self.population_field.currentData()
        if not name:
            self.population_hint.setText(self.tr("The layer has no fields; a population layer needs the number "
                                                 "of people of each feature."))
            return
        people, n = _roles.population_total(self.layer.table.column(name))
        if n:
            self.population_hint.setText(self.tr("{people} people in {n} features").format(
                people=f"{people:,.0f}", n=f"{n:,}"))
        else:
            self.population_hint.setText(self.tr("{field} holds no positive numbers; the checks would find "
                                                 "nobody").format(field=name))

    def _update_use_hint(self) -> None:
        name = self.use_field.currentData()
        if not name:
            self.use_hint.setText(self.tr("Choose the field holding the land-use class (a GB 50137 code such "
                                          "as R2, B1, M1, or its name)."))
            return
        from smartgis.ui.i18n import installed_language
        lang = installed_language(QCoreApplication.instance())
        found = _roles.count_land_use(self.layer.table.column(name))
        sep = "、" if lang == "zh" else ", "
        self.use_hint.setText(self.tr("Zones the standards recognise: {classes}").format(
            classes=sep.join(f"{label.get(lang) or label['en']} {n}" for label, n in found)))

    def role_props(self) -> dict:
        """The role's field chosen in the dialog, as layer properties."""
        if not (isinstance(self.layer, VectorLayer) and self.layer.available):
            return {}
        role = self.role.currentData()
        if role == "population" and self.population_field.currentData():
            return {"population_field": self.population_field.currentData()}
        if role == "land_use":
            return {"use_field": self.use_field.currentData()}
        return {}

    @staticmethod
    def _wrap_label(text: str) -> QLabel:
        lab = QLabel(text)
        lab.setWordWrap(True)
        lab.setTextInteractionFlags(Qt.TextSelectableByMouse)
        return lab

    def _source(self) -> QWidget:
        lyr = self.layer
        page = QWidget()
        form = QFormLayout(page)
        src = lyr.source or {}
        if isinstance(lyr, RasterLayer):
            form.addRow(self.tr("File:"), self._wrap_label(lyr.path or self.tr("embedded in the project file")))
            info = lyr.info
            if info.get("width"):
                form.addRow(self.tr("Size:"), QLabel(f"{info.get('width')} × {info.get('height')}"))
            form.addRow(self.tr("Bands:"), QLabel(str(info.get("count", "—"))))
            form.addRow(self.tr("Data type:"), QLabel(str(info.get("dtype", "—"))))
            form.addRow(self.tr("No data value:"), QLabel(str(info.get("nodata", "—"))))
            ovr = info.get("overviews")
            form.addRow(self.tr("Overviews:"), QLabel(", ".join(map(str, ovr)) if ovr else self.tr("none")))
        else:
            form.addRow(self.tr("Table in the project file:"), QLabel(getattr(lyr, "table_name", "") or "—"))
            form.addRow(self.tr("Imported from:"), self._wrap_label(str(src.get("path") or "—")))
            if src.get("driver"):
                form.addRow(self.tr("Format:"), QLabel(str(src.get("driver"))))
            if src.get("layer"):
                form.addRow(self.tr("Source layer:"), QLabel(str(src.get("layer"))))
            if src.get("encoding"):
                form.addRow(self.tr("Encoding:"), QLabel(str(src.get("encoding"))))
            if isinstance(lyr, VectorLayer):
                fields = ", ".join(f"{f.name} ({f.type})" for f in lyr.fields) or "—"
                form.addRow(self.tr("Fields:"), self._wrap_label(fields))
        form.addRow(self.tr("Available:"), QLabel(self.tr("yes") if lyr.available else self.tr("no")))
        if lyr.error:
            form.addRow(self.tr("Problem:"), self._wrap_label(lyr.error))
        return page

    # -- applying -------------------------------------------------------------------------------
    def edited_style(self):
        if self.style_widget is None:
            return None
        if isinstance(self.style_widget, VectorStyleWidget):
            labels = self.labels_widget.labels() if self.labels_widget is not None else None
            return self.style_widget.style(labels)
        return self.style_widget.style()

    def apply(self) -> bool:
        """Apply the edits to the layer (one undo step); True when something changed."""
        changed = apply_layer_changes(self.project, self.layer, name=self.name.text(),
                                      opacity=self.opacity_spin.value() / 100.0,
                                      role=self.role.currentData(), props=self.role_props(),
                                      style=self.edited_style())
        if changed:
            self.setWindowTitle(self.tr("Layer properties — {name}").format(name=self.layer.name))
            self.applied.emit(self.layer)
        return changed

    def accept(self) -> None:
        self.apply()
        super().accept()
