"""The attribute form of design elements: one new element, or many at once.

For a new element the form opens prefilled with the type's defaults (or its
variant's); the designer changes what differs and presses OK.  For a selection of
elements — of one type or several — it shows the attributes they share: a value
they all have is filled in, differing values show as *(several values)* and stay
untouched unless the designer types a new one, and only the attributes actually
changed are applied, as one undo step.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QDoubleValidator, QIntValidator
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from smartgis.core.catalog import ElementType
from smartgis.core.fields import Field
from smartgis.errors import UserError
from smartgis.i18n import localize

#: QSettings key: place point elements without opening the form.
SKIP_FORM_KEY = "design/skip_form"


def ui_language() -> str:
    app = QApplication.instance()
    return (app.property("smartgis_language") if app is not None else None) or "zh"


def skip_form() -> bool:
    return QSettings().value(SKIP_FORM_KEY, False, type=bool)


def set_skip_form(value: bool) -> None:
    QSettings().setValue(SKIP_FORM_KEY, bool(value))


class FieldEditor(QWidget):
    """One attribute's editor: a drop-down for choices, a check box for yes/no, a
    line edit (validated for numbers) otherwise.  Remembers whether the user touched it."""

    def __init__(self, field: Field, value=None, mixed: bool = False, parent=None, label=None):
        super().__init__(parent)
        label = label or (lambda v: str(v))
        self.field = field
        self.touched = False
        self.mixed = mixed
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        if field.type == "bool":
            self.widget = QCheckBox()
            if mixed:
                self.widget.setTristate(True)
                self.widget.setCheckState(Qt.PartiallyChecked)
            else:
                self.widget.setChecked(bool(value))
            self.widget.clicked.connect(self._touch)
        elif field.choices:
            self.widget = QComboBox()
            if mixed:
                self.widget.addItem(self.tr("(several values)"), None)
            for c in field.choices:
                self.widget.addItem(label(c), c)
                if label(c) != str(c):
                    self.widget.setItemData(self.widget.count() - 1, str(c), Qt.ToolTipRole)
            if not mixed and value in field.choices:
                self.widget.setCurrentIndex(self.widget.findData(value))
            elif not mixed and value not in (None, ""):
                # a value outside the choices (an older catalog) is kept, not lost
                self.widget.addItem(label(value), value)
                self.widget.setCurrentIndex(self.widget.count() - 1)
            self.widget.activated.connect(self._touch)
        else:
            self.widget = QLineEdit()
            if field.type == "int":
                self.widget.setValidator(QIntValidator(self.widget))
            elif field.type == "float":
                v = QDoubleValidator(self.widget)
                v.setNotation(QDoubleValidator.StandardNotation)
                v.setLocale(self.locale().c())
                self.widget.setValidator(v)
            if mixed:
                self.widget.setPlaceholderText(self.tr("(several values)"))
            else:
                self.widget.setText(_text(value))
            self.widget.textEdited.connect(self._touch)
        lay.addWidget(self.widget, 1)
        if field.unit:
            lay.addWidget(QLabel(field.unit))

    def _touch(self, *_):
        self.touched = True

    def set_value(self, value) -> None:
        """Show a value (a variant's default) without counting it as the user's edit."""
        w = self.widget
        if isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QComboBox):
            i = w.findData(value)
            if i < 0:
                w.addItem(str(value), value)
                i = w.count() - 1
            w.setCurrentIndex(i)
        else:
            w.setText(_text(value))

    def value(self):
        """The value as the field's type (raises UserError for a bad number)."""
        w = self.widget
        if isinstance(w, QCheckBox):
            return None if w.checkState() == Qt.PartiallyChecked else w.isChecked()
        if isinstance(w, QComboBox):
            return w.currentData()
        return self.field.coerce(w.text().strip())


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else repr(value)
    return str(value)


class AttributeForm(QDialog):
    """Edit the attributes of a new element (``values`` a dict) or of several
    elements (``values`` a list of dicts, ``types`` their types).

    Parameters
    ----------
    types : ElementType or list of ElementType
    values : dict or list of dict
        The starting values: the type's defaults for a new element, the elements'
        current values for an edit.
    variant : str, optional
        The variant chosen (new elements of a type with variants get a chooser).
    new : bool
        A new element: shows the variant chooser and the "place without this form" box.
    catalog : Catalog, optional
        Shows attribute values by their labels (球机 for ``ptz``).
    """

    def __init__(self, types, values, *, variant: str | None = None, new: bool = False, catalog=None,
                 plan=None, uids=None, parent=None):
        super().__init__(parent)
        self.setObjectName("design_attribute_form")
        self.types: list[ElementType] = list(types) if isinstance(types, (list, tuple)) else [types]
        self.many = isinstance(values, list)
        rows = values if self.many else [values]
        self.lang = ui_language()
        self.new = new
        t0 = self.types[0]
        names = [f.name for f in t0.attributes if all(t.field(f.name) for t in self.types)]
        self.editors: dict[str, FieldEditor] = {}
        if self.many:
            kinds = sorted({t.label(self.lang) for t in self.types})
            self.setWindowTitle(self.tr("Edit {n} elements").format(n=len(rows)))
            head = self.tr("{n} elements ({kinds}). Fields showing several values stay as they are unless you "
                           "enter a new value.").format(n=len(rows), kinds="、".join(kinds))
        else:
            self.setWindowTitle(self.tr("{type} — attributes").format(type=t0.label(self.lang)))
            head = t0.description.get(self.lang) or t0.description.get("en") or ""
        outer = QVBoxLayout(self)
        if head:
            lab = QLabel(head)
            lab.setWordWrap(True)
            outer.addWidget(lab)
        form_w = QWidget()
        form = QFormLayout(form_w)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.variant_box = None
        if new and not self.many and t0.variants:
            self.variant_box = QComboBox()
            self.variant_box.setObjectName("variant")
            self.variant_box.addItem(self.tr("(type defaults)"), None)
            for v in t0.variants:
                self.variant_box.addItem(v.label(self.lang), v.id)
            if variant:
                self.variant_box.setCurrentIndex(max(0, self.variant_box.findData(variant)))
            self.variant_box.currentIndexChanged.connect(self._variant_changed)
            form.addRow(self.tr("Variant"), self.variant_box)
        for name in names:
            f = t0.field(name)
            vals = {_key(r.get(name)) for r in rows}
            mixed = len(vals) > 1
            label = (lambda v, n=name: catalog.choice_label(n, v, self.lang, t0.id)) if catalog is not None else None
            ed = FieldEditor(f, None if mixed else rows[0].get(name), mixed=mixed, label=label)
            ed.setObjectName(f"field_{name}")
            other = "en" if self.lang == "zh" else "zh"
            lab = QLabel(f.label(self.lang))
            lab.setToolTip(f"{name} — {f.label(other)}")
            form.addRow(lab, ed)
            self.editors[name] = ed
        self.project_box = None
        if plan is not None and uids and plan.projects:
            self._plan_rows(form, plan, list(uids))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_w)
        scroll.setFrameShape(QScrollArea.NoFrame)
        outer.addWidget(scroll, 1)
        self.skip_box = None
        if new:
            self.skip_box = QCheckBox(self.tr("Place the next elements without this form (type defaults)"))
            self.skip_box.setObjectName("skip_form")
            outer.addWidget(self.skip_box)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText(self.tr("OK"))
        buttons.button(QDialogButtonBox.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self.resize(460, min(720, 140 + 34 * len(names)))

    def _plan_rows(self, form, plan, uids) -> None:
        """Key project (editable) and construction phase (follows the project) of the elements."""
        pids = {plan.assignments.get(str(u)) for u in uids}
        self.project_box = QComboBox()
        self.project_box.setObjectName("plan_project")
        if len(pids) > 1:
            self.project_box.addItem(self.tr("(several values)"), "\0several")
        self.project_box.addItem(self.tr("(no key project)"), "")
        for kp in plan.projects.values():
            self.project_box.addItem(f"{kp.id} {kp.name}", kp.id)
        if len(pids) == 1:
            self.project_box.setCurrentIndex(max(0, self.project_box.findData(next(iter(pids)) or "")))
        self._initial_project = self.project_box.currentData()
        phases = sorted({plan.projects[p].phase for p in pids if p in plan.projects})
        phase = QLabel("、".join(phases) or self.tr("(from the element's own phase)"))
        phase.setObjectName("plan_phase")
        form.addRow(QLabel(self.tr("Key project")), self.project_box)
        form.addRow(QLabel(self.tr("Construction phase")), phase)

    def chosen_project(self):
        """``(True, project id or "")`` when the designer changed the key project, else ``(False, None)``."""
        if self.project_box is None or self.project_box.currentData() == self._initial_project:
            return False, None
        pid = self.project_box.currentData()
        return (False, None) if pid == "\0several" else (True, pid)

    @property
    def variant(self) -> str | None:
        return self.variant_box.currentData() if self.variant_box is not None else None

    def _variant_changed(self, *_):
        t = self.types[0]
        for name, value in t.defaults(self.variant).items():
            ed = self.editors.get(name)
            if ed is not None and not ed.touched:
                ed.set_value(value)

    def values(self) -> dict:
        """New element: every attribute.  Several elements: only those the user changed."""
        out = {}
        for name, ed in self.editors.items():
            if self.many and not ed.touched:
                continue
            v = ed.value()
            if self.many and v is None and ed.field.type == "bool":
                continue
            out[name] = v
        return out

    def accept(self) -> None:
        try:
            self.values()
        except UserError as exc:
            QMessageBox.warning(self, self.windowTitle(), localize(exc))
            return
        if self.skip_box is not None and self.skip_box.isChecked():
            set_skip_form(True)
        super().accept()


def _key(v):
    return repr(v) if isinstance(v, float) else v
