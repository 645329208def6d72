"""File → Export map sheet: theme, phase, paper, orientation, scale, extent, title; PDF
and PNG, or the whole drawing set as one PDF.

The sheet itself is :class:`smartgis.render.mapsheet.MapSheet`; this dialog only
collects the options, shows a small preview and runs the export on a worker thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from smartgis.errors import SmartGISError
from smartgis.i18n import localize

SCALES = [1000, 2000, 5000, 10000, 25000, 50000, 100000]
#: Above this many features the preview is drawn only on request.
AUTO_PREVIEW_FEATURES = 200_000


class ExportSheetDialog(QDialog):
    """Options of a map sheet, with a preview."""

    def __init__(self, window, parent=None):
        super().__init__(parent or window)
        self.window = window
        self.project = window.project
        self.setWindowTitle(self.tr("Export map sheet"))
        p = self.project
        from smartgis.render.mapsheet import PAPER_MM, sheet_language, sheet_words
        words = sheet_words(sheet_language(p))

        self.paper = QComboBox()
        self.paper.addItems(list(PAPER_MM))
        self.paper.setCurrentText("A3")
        self.portrait = QRadioButton(self.tr("Portrait"))
        self.landscape = QRadioButton(self.tr("Landscape"))
        self.landscape.setChecked(True)
        orient = QHBoxLayout()
        orient.addWidget(self.portrait)
        orient.addWidget(self.landscape)
        orient.addStretch(1)
        self.scale = QComboBox()
        self.scale.setEditable(True)
        self.scale.addItem(self.tr("Fit to extent"), None)
        for s in SCALES:
            self.scale.addItem(f"1:{s}", s)
        self.extent = QComboBox()
        if p.layers_with_role("study_area"):
            self.extent.addItem(self.tr("Study area"), "study_area")
        self.extent.addItem(self.tr("Whole project"), "project")
        if getattr(window, "canvas", None) is not None:
            self.extent.addItem(self.tr("Current map view"), "view")
        from smartgis.analysis.themes import phases, themes
        lang = p.language if p.language in ("zh", "en") else "zh"
        self.theme = QComboBox()
        self.theme.setObjectName("sheet_theme")
        self.theme.addItem(self.tr("Visible layers"), None)
        for t in themes():
            self.theme.addItem(t.label(lang), t.id)
        self.phase = QComboBox()
        self.phase.setObjectName("sheet_phase")
        self.phase.addItem(self.tr("All phases"), None)
        for ph in phases(p):
            self.phase.addItem(ph, ph)
        self.gaps = QCheckBox(self.tr("Print check gaps (failed and warned rules)"))
        self.gaps.setObjectName("sheet_gaps")
        self.whole_set = QCheckBox(self.tr("Whole drawing set (one PDF)"))
        self.whole_set.setToolTip(self.tr("Cover, drawing list and one sheet per theme, in one PDF"))
        self.whole_set.setObjectName("sheet_set")
        self._default_title = words["default_title"]
        self.title = QLineEdit(words["default_title"])
        prefix = (p.metadata.get("sheet_prefix") or "").strip()
        self.sheet_number = QLineEdit(f"{prefix}-01" if prefix else "01")
        self.date = QDateEdit(QDate.currentDate())
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setCalendarPopup(True)
        base = Path(p.path).with_suffix("") if p.path else Path.home() / "sheet"
        self.pdf_path = QLineEdit(str(base) + "_sheet.pdf")
        browse_pdf = QPushButton(self.tr("Browse…"))
        browse_pdf.clicked.connect(lambda: self._browse(self.pdf_path, "PDF (*.pdf)"))
        pdf_row = QHBoxLayout()
        pdf_row.addWidget(self.pdf_path, 1)
        pdf_row.addWidget(browse_pdf)
        self.png_on = QCheckBox(self.tr("Also write a PNG"))
        self.png_path = QLineEdit(str(base) + "_sheet.png")
        self.png_path.setEnabled(False)
        self.png_on.toggled.connect(self.png_path.setEnabled)
        png_row = QHBoxLayout()
        png_row.addWidget(self.png_on)
        png_row.addWidget(self.png_path, 1)
        self.dpi = QSpinBox()
        self.dpi.setRange(50, 600)
        self.dpi.setValue(200)
        self.dpi.setSuffix(" dpi")

        form = QFormLayout()
        form.addRow(self.tr("Theme"), self.theme)
        form.addRow(self.tr("Phase"), self.phase)
        form.addRow("", self.gaps)
        form.addRow("", self.whole_set)
        form.addRow(self.tr("Paper"), self.paper)
        form.addRow(self.tr("Orientation"), orient)
        form.addRow(self.tr("Scale"), self.scale)
        form.addRow(self.tr("Extent"), self.extent)
        form.addRow(self.tr("Title"), self.title)
        form.addRow(self.tr("Sheet number"), self.sheet_number)
        form.addRow(self.tr("Date"), self.date)
        form.addRow(self.tr("PDF file"), pdf_row)
        form.addRow("", png_row)
        form.addRow(self.tr("Raster resolution"), self.dpi)

        self.preview = QLabel()
        self.preview.setObjectName("sheet_preview")
        self.preview.setFixedSize(520, 368)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet("background: #e9ecef; border: 1px solid #adb5bd")
        self.info = QLabel()
        self.info.setWordWrap(True)
        refresh = QPushButton(self.tr("Preview"))
        refresh.clicked.connect(self.update_preview)
        right = QVBoxLayout()
        right.addWidget(self.preview, 1)
        right.addWidget(self.info)
        right.addWidget(refresh, 0, Qt.AlignmentFlag.AlignRight)
        body = QHBoxLayout()
        left = QWidget()
        left.setLayout(form)
        left.setMinimumWidth(420)
        body.addWidget(left)
        body.addLayout(right, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Export"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(body, 1)
        lay.addWidget(buttons)
        n = sum(getattr(lyr, "feature_count", 0) for lyr in p.layers.values())
        self._auto_preview = n <= AUTO_PREVIEW_FEATURES
        self.theme.currentIndexChanged.connect(self._theme_changed)
        self.phase.currentIndexChanged.connect(self._theme_changed)
        self.gaps.toggled.connect(self._changed)
        for w in (self.paper, self.scale, self.extent):
            w.currentIndexChanged.connect(self._changed)
        self.scale.lineEdit().editingFinished.connect(self._changed)
        self.landscape.toggled.connect(self._changed)
        self.title.editingFinished.connect(self._changed)
        self._changed()

    # -- options -------------------------------------------------------------------------
    def _browse(self, edit: QLineEdit, filt: str) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save map sheet"), edit.text(), filt)
        if path:
            edit.setText(path)

    def scale_value(self) -> float | None:
        data = self.scale.currentData()
        if data is not None and self.scale.currentText() == self.scale.itemText(self.scale.currentIndex()):
            return float(data)
        text = self.scale.currentText().replace(" ", "").replace(",", "")
        if text.startswith("1:"):
            text = text[2:]
        try:
            v = float(text)
        except ValueError:
            return None
        return v if v >= 1 else None

    def _theme_changed(self, *_args) -> None:
        """The title follows the theme and phase unless the designer typed one."""
        from smartgis.analysis.themes import find_theme, sheet_title
        if self.title.text().strip() in ("", self._default_title):
            key = self.theme.currentData()
            lang = self.project.language if self.project.language in ("zh", "en") else "zh"
            t = sheet_title(find_theme(key) if key else None, self.phase.currentData(), lang)
            self._default_title = t or self._default_title
            self.title.setText(self._default_title)
        self._changed()

    def extent_value(self):
        mode = self.extent.currentData()
        if mode == "view":
            return tuple(self.window.canvas.extent())
        if mode == "project":
            return self.project.extent
        return None  # the sheet's default: the study area

    def options(self) -> dict:
        return {"paper": self.paper.currentText(), "landscape": self.landscape.isChecked(),
                "extent": self.extent_value(), "scale": self.scale_value(), "title": self.title.text().strip() or None,
                "sheet_number": self.sheet_number.text().strip() or None,
                "date": self.date.date().toString("yyyy-MM-dd"), "theme": self.theme.currentData(),
                "phase": self.phase.currentData(), "gaps": self.gaps.isChecked()}

    def sheet(self):
        from smartgis.render.mapsheet import MapSheet
        return MapSheet(self.project, **self.options())

    def _changed(self, *_args) -> None:
        if self._describe() and self._auto_preview:
            self.update_preview()

    def _describe(self) -> bool:
        try:
            s = self.sheet()
        except SmartGISError as exc:
            self.info.setText(localize(exc))
            return False
        w, h = s.page_size_mm()
        self.info.setText(self.tr("%1 %2 × %3 mm, scale 1:%4, grid %5 m").replace("%1", s.paper)
                          .replace("%2", f"{w:.0f}").replace("%3", f"{h:.0f}").replace("%4", f"{s.scale:,.0f}")
                          .replace("%5", f"{s.grid_step:g}"))
        return True

    def update_preview(self) -> None:
        try:
            s = self.sheet()
            w_mm, _ = s.page_size_mm()
            dpi = max(12.0, 25.4 * 2 * self.preview.width() / w_mm)   # drawn at twice the size, then smoothed
            img = s.to_image(dpi)
        except SmartGISError as exc:
            self.info.setText(localize(exc))
            return
        self.preview.setPixmap(QPixmap.fromImage(img).scaled(
            self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))

    # -- export --------------------------------------------------------------------------
    def _accept(self) -> None:
        pdf = self.pdf_path.text().strip()
        png = self.png_path.text().strip() if self.png_on.isChecked() else ""
        if not pdf and not png:
            QMessageBox.warning(self, self.windowTitle(), self.tr("Give a PDF file to write."))
            return
        opts = self.options()
        opts["whole_set"] = self.whole_set.isChecked()
        if opts["whole_set"] and not pdf:
            QMessageBox.warning(self, self.windowTitle(), self.tr("Give a PDF file to write."))
            return
        dpi = self.dpi.value()

        def done(sheet):
            msg = self.tr("Map sheet written: %1").replace("%1", " · ".join(f for f in (pdf, png) if f))
            self.window.statusBar().showMessage(msg, 15000)

        run_task = getattr(self.window, "run_task", None)
        if run_task is None:
            try:
                done(_export_task(self.project, pdf or None, png or None, dpi, opts))
            except SmartGISError as exc:
                QMessageBox.warning(self, self.windowTitle(), localize(exc))
                return
        else:
            run_task(self.tr("Exporting map sheet"), _export_task, self.project, pdf or None, png or None, dpi, opts,
                     on_done=done, on_error=lambda exc: self.window.show_error(exc, self.windowTitle()))
        self.accept()


def _export_task(project, pdf, png, dpi, opts, progress=None):
    opts = dict(opts)
    if opts.pop("whole_set", False):
        from smartgis.render.sheetset import export_sheet_set
        return export_sheet_set(project, pdf, paper=opts["paper"], landscape=opts["landscape"], phase=opts["phase"],
                                dpi=dpi, date=opts["date"], gaps=opts["gaps"], extent=opts["extent"],
                                scale=opts["scale"], progress=progress)
    from smartgis.render.mapsheet import export_sheet
    return export_sheet(project, pdf=pdf, png=png, dpi=dpi, progress=progress, **opts)
