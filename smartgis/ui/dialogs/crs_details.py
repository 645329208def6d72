"""Details of the project CRS (shown from the status bar)."""

from __future__ import annotations

import warnings

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QPlainTextEdit, QVBoxLayout

from smartgis.crs import crs_label, parse_crs


class CrsDetailsDialog(QDialog):
    """Name, code, area of use, PROJ string and WKT of a CRS."""

    def __init__(self, crs: str, parent=None):
        super().__init__(parent)
        c = parse_crs(crs)
        self.setWindowTitle(self.tr("Coordinate reference system"))
        form = QFormLayout()
        label = QLabel(crs_label(crs))
        label.setWordWrap(True)
        form.addRow(self.tr("CRS:"), label)
        units = ", ".join(sorted({a.unit_name for a in c.axis_info}))
        form.addRow(self.tr("Units:"), QLabel(units))
        if c.area_of_use is not None:
            area = QLabel(c.area_of_use.name)
            area.setWordWrap(True)
            form.addRow(self.tr("Area of use:"), area)
        if "Gauss-Kruger" in (c.name or ""):
            note = QLabel(self.tr("Surveying convention: X is the northing and Y the easting."))
            note.setWordWrap(True)
            form.addRow(note)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        with warnings.catch_warnings():  # pyproj warns that PROJ strings lose information
            warnings.simplefilter("ignore")
            proj = c.to_proj4() or ""
        self.text.setPlainText(f"PROJ: {proj}\n\n{c.to_wkt(pretty=True)}")
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.text, 1)
        lay.addWidget(buttons)
        self.resize(620, 480)
