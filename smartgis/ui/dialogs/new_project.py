"""The New project dialog: a name, a projected CRS and who made it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
)

from smartgis.core.project import Project
from smartgis.ui.dialogs.crs_chooser import CrsChooser

DEFAULT_CRS = "EPSG:4547"  # CGCS2000 / 3-degree Gauss-Kruger CM 114E


class NewProjectDialog(QDialog):
    """Ask for the project name, CRS and metadata; :meth:`project` builds it."""

    def __init__(self, parent=None, crs: str = DEFAULT_CRS):
        super().__init__(parent)
        self.setWindowTitle(self.tr("New project"))
        self.name = QLineEdit(self.tr("Untitled project"))
        self.name.selectAll()
        self.institute = QLineEdit()
        self.designer = QLineEdit()
        self.description = QPlainTextEdit()
        self.description.setFixedHeight(54)
        form = QFormLayout()
        form.addRow(self.tr("Name:"), self.name)
        form.addRow(self.tr("Design institute:"), self.institute)
        form.addRow(self.tr("Designer:"), self.designer)
        form.addRow(self.tr("Description:"), self.description)
        box = QGroupBox(self.tr("Coordinate reference system (projected, in metres)"))
        self.crs = CrsChooser(box, projected_only=True)
        QVBoxLayout(box).addWidget(self.crs)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText(self.tr("Create"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(box, 1)
        lay.addWidget(self.buttons)
        self.crs.crs_changed.connect(self._update_ok)
        self.name.textChanged.connect(self._update_ok)
        self.crs.set_crs(crs)
        self._update_ok()
        self.resize(720, 560)

    def _update_ok(self, *_args) -> None:
        ok = bool(self.name.text().strip()) and self.crs.selected_crs() is not None
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(ok)

    def project(self) -> Project:
        """The new (unsaved) project."""
        return Project(self.name.text().strip(), self.crs.selected_crs(),
                       description=self.description.toPlainText().strip(),
                       metadata={"institute": self.institute.text().strip(),
                                 "designer": self.designer.text().strip()})
