"""The import dialog: preview a source, check its encoding and CRS, choose options.

It shows what :func:`smartgis.io.probe_source` finds — layers, feature counts, the
detected encoding with a sample of decoded text, the CRS — and lets the user change
the encoding (the sample follows), give a CRS where the file has none (the likely
one is preselected), pick layers and options.  :meth:`ImportDialog.options` returns
the keyword arguments of :func:`smartgis.io.prepare_import`; the import itself runs
on a worker thread (see :mod:`smartgis.ui.features.import_data`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from smartgis.crs import crs_catalog, crs_label
from smartgis.errors import SmartGISError
from smartgis.i18n import localize

#: Encodings offered besides automatic detection (Python codec, label).
ENCODINGS = (("utf-8", "UTF-8"), ("gb18030", "GB18030 / GBK"), ("big5hkscs", "Big5-HKSCS"),
             ("cp1252", "Windows-1252 (Latin)"))

FILE_FILTER = ("*.shp *.zip *.gpkg *.geojson *.json *.dxf *.fgb *.gdb *.tab *.mif *.gml *.kml *.kmz *.csv *.txt "
               "*.tif *.tiff *.img *.jp2 *.asc *.vrt")


class ImportDialog(QDialog):
    """Preview and options of one import.

    Parameters
    ----------
    project : Project
        The project receiving the data (its CRS and catalog are shown and used).
    path : str, optional
        The source to preview at once (a dropped file).
    """

    def __init__(self, project, path=None, parent=None):
        super().__init__(parent)
        self.project = project
        self.probe: dict | None = None
        self.error: str | None = None
        self.setWindowTitle(self.tr("Import data"))
        self.resize(780, 760)

        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("Shapefile, zip, GeoPackage, DXF, CSV, GeoTIFF …"))
        self.path_edit.editingFinished.connect(lambda: self.set_path(self.path_edit.text()))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Layer"), self.tr("Geometry"), self.tr("Features"), self.tr("CRS")])
        self.tree.setRootIsDecorated(False)
        self.tree.setColumnWidth(0, 240)
        self.tree.setColumnWidth(1, 130)
        self.tree.setColumnWidth(2, 90)
        self.tree.setMinimumHeight(90)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")

        self.encoding = QComboBox()
        self.encoding.addItem(self.tr("Automatic"), None)
        for codec, label in ENCODINGS:
            self.encoding.addItem(label, codec)
        self.encoding.currentIndexChanged.connect(self._encoding_changed)
        self.encoding_how = QLabel()
        self.encoding_how.setWordWrap(True)
        self.sample = QLabel()
        self.sample.setWordWrap(True)
        self.sample.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.crs = QComboBox()
        self.crs.setEditable(True)
        self.crs.setInsertPolicy(QComboBox.NoInsert)
        self.crs.addItem(self.tr("(from the file)"), None)
        from smartgis.project.local_crs import local_systems
        for name, system in local_systems(project).items():   # the project's city grids first
            self.crs.addItem(self.tr("{name}  (local system: {model} on {base})").format(
                name=name, model=system.model, base=system.base), name)
        for code, name in crs_catalog():
            self.crs.addItem(f"{code}  {name}", code)
        self.crs.lineEdit().setPlaceholderText(self.tr("EPSG code, PROJ string or WKT"))
        self.crs_hint = QLabel()
        self.crs_hint.setWordWrap(True)

        self.as_ = QComboBox()
        self.as_.addItem(self.tr("Layers"), None)
        self.as_.addItem(self.tr("Basemap layers"), "basemap")
        self.as_.addItem(self.tr("Design elements: sensors"), "sensor")
        self.as_.addItem(self.tr("Design elements: networks"), "network")
        self.as_.addItem(self.tr("Design elements: facilities"), "facility")
        self.as_.currentIndexChanged.connect(self._as_changed)
        self.element_type = QComboBox()
        self.element_type.setEnabled(False)
        self.layer_name = QLineEdit()
        self.layer_name.setPlaceholderText(self.tr("(the source's name)"))
        self.keep_null = QCheckBox(self.tr("Keep features without geometry"))
        self.keep_null.setChecked(True)
        self.split_mixed = QCheckBox(self.tr("One layer per geometry type when types are mixed"))
        self.split_mixed.setChecked(True)
        self.keep_z = QCheckBox(self.tr("Keep Z values"))
        self.keep_z.setChecked(True)
        self.embed = QCheckBox(self.tr("Store rasters inside the project file"))
        self.salvage = QCheckBox(self.tr("Salvage the intact part of a damaged file"))
        self.salvage.toggled.connect(lambda _on: self.set_path(self.path_edit.text(),
                                                               encoding=self.encoding.currentData()))

        enc_box = QGroupBox(self.tr("Text encoding"))
        f1 = QFormLayout(enc_box)
        f1.addRow(self.tr("Encoding:"), self.encoding)
        f1.addRow("", self.encoding_how)
        f1.addRow(self.tr("Sample:"), self.sample)
        crs_box = QGroupBox(self.tr("Coordinate reference system"))
        f2 = QFormLayout(crs_box)
        f2.addRow(self.tr("Source CRS:"), self.crs)
        f2.addRow("", self.crs_hint)
        f2.addRow(self.tr("Project CRS:"), QLabel(crs_label(project.crs)))
        opt_box = QGroupBox(self.tr("Options"))
        f3 = QFormLayout(opt_box)
        f3.addRow(self.tr("Import as:"), self.as_)
        f3.addRow(self.tr("Element type:"), self.element_type)
        f3.addRow(self.tr("Layer name:"), self.layer_name)
        for cb in (self.keep_null, self.split_mixed, self.keep_z, self.embed, self.salvage):
            f3.addRow("", cb)

        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText(self.tr("Import"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addWidget(self.tree, 2)
        lay.addWidget(self.notes)
        lay.addWidget(self.error_label)
        lay.addWidget(enc_box)
        lay.addWidget(crs_box)
        lay.addWidget(opt_box)
        lay.addWidget(self.buttons)
        self._update_buttons()
        if path:
            self.set_path(path)

    # -- source -------------------------------------------------------------------------
    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import data"), "",
                                              self.tr("GIS data ({patterns});;All files (*)").format(
                                                  patterns=FILE_FILTER))
        if path:
            self.set_path(path)

    def set_path(self, path, encoding: str | None = None) -> None:
        """Preview ``path`` (re-reading the samples with ``encoding`` when given)."""
        from smartgis.io import probe_source
        path = str(path or "").strip()
        self.path_edit.setText(path)
        self.tree.clear()
        self.probe, self.error = None, None
        self.error_label.clear()
        self.notes.clear()
        if not path:
            self._update_buttons()
            return
        try:
            self.probe = probe_source(path, encoding=encoding, salvage=self.salvage.isChecked())
        except SmartGISError as exc:
            self.error = exc.localized()
        except Exception as exc:  # noqa: BLE001 - a preview shows the problem, never crashes the dialog
            self.error = f"{path}: {localize(exc)}"
        if self.error:
            self.error_label.setText(self.error)
        else:
            self._fill()
        self._update_buttons()

    def _fill(self) -> None:
        notes, missing_crs, suggestion, why = [], False, None, ""
        enc, samples = None, []
        multi = sum(len(d["layers"]) for d in self.probe["datasets"]) > 1
        for ds in self.probe["datasets"]:
            notes += ds["notes"]
            if ds["encoding"] and ds["encoding"]["how"] != "format":
                enc = ds["encoding"]
            samples += ds["samples"]
            for lyr in ds["layers"]:
                if "error" in lyr:
                    notes.append(localize(lyr["error"]))
                    continue
                feats = lyr.get("features")
                item = QTreeWidgetItem([str(lyr["name"]), str(lyr.get("geometry_type") or lyr.get("raster") or ""),
                                        "" if feats is None or feats < 0 else f"{feats:,}",
                                        lyr.get("crs") or self.tr("none")])
                item.setData(0, Qt.UserRole, lyr["name"])
                if multi and ds["kind"] != "raster":
                    item.setCheckState(0, Qt.Checked)
                self.tree.addTopLevelItem(item)
                if lyr.get("crs") is None and (lyr.get("bounds") or ds["kind"] == "raster"):
                    missing_crs = True
                    suggestion = suggestion or lyr.get("suggested_crs")
                    why = why or lyr.get("suggestion", "")
        self.notes.setText("\n".join(localize(n) for n in notes))
        if enc is not None and enc["how"] == "user":
            self.encoding_how.setText(self.tr("Chosen: {label}").format(label=enc["label"]))
        elif enc is not None:
            self.encoding_how.setText(self.tr("Detected: {label} — {detail}").format(
                label=enc["label"], detail=localize(enc["detail"])))
        else:
            self.encoding_how.setText(self.tr("Fixed by the format"))
        self.encoding.setEnabled(enc is not None)
        self.sample.setText("  ·  ".join(samples[:6]) if samples else self.tr("(no non-ASCII text)"))
        if missing_crs:
            self.crs_hint.setText(self.tr("The source has no CRS; choose the one its coordinates are in.") +
                                  (" " + self.tr("Likely: {why}").format(why=localize(why)) if why else ""))
            if suggestion:
                self.set_crs(suggestion)
            elif self.crs.currentData() is None:
                self.crs.setCurrentIndex(-1)
                self.crs.setEditText("")
        else:
            self.crs_hint.setText(self.tr("Taken from the file."))
            self.crs.setCurrentIndex(0)

    def _encoding_changed(self) -> None:
        if self.probe is not None or self.error:
            self.set_path(self.path_edit.text(), encoding=self.encoding.currentData())

    # -- options ------------------------------------------------------------------------
    def set_crs(self, code: str) -> None:
        i = self.crs.findData(code)
        if i >= 0:
            self.crs.setCurrentIndex(i)
        else:
            self.crs.setEditText(code)

    def chosen_crs(self) -> str | None:
        text = self.crs.currentText().strip()
        data = self.crs.currentData()
        if data is not None and text.startswith(str(data)):
            return data
        if not text or text == self.crs.itemText(0):
            return None
        return text.split("  ", 1)[0]

    def _as_changed(self) -> None:
        cat = self.as_.currentData()
        self.element_type.clear()
        if cat in ("sensor", "network", "facility"):
            lang = getattr(self.project, "language", "zh")
            for t in self.project.catalog:
                if t.category == cat:
                    self.element_type.addItem(f"{t.label(lang)} ({t.id})", t.id)
        self.element_type.setEnabled(self.element_type.count() > 0)

    def chosen_layers(self) -> list[str] | None:
        out, checked_any = [], False
        for i in range(self.tree.topLevelItemCount()):
            it = self.tree.topLevelItem(i)
            if it.data(0, Qt.CheckStateRole) is None:
                return None
            checked_any = True
            if it.checkState(0) == Qt.Checked:
                out.append(str(it.data(0, Qt.UserRole)))
        return out if checked_any and len(out) < self.tree.topLevelItemCount() else None

    def options(self) -> dict:
        """Keyword arguments of :func:`smartgis.io.prepare_import` (``path`` included)."""
        return {"path": self.path_edit.text().strip(), "source_layers": self.chosen_layers(),
                "layer_name": self.layer_name.text().strip() or None, "crs": self.chosen_crs(),
                "encoding": self.encoding.currentData(), "as_": self.as_.currentData(),
                "element_type": self.element_type.currentData() if self.element_type.isEnabled() else None,
                "embed": self.embed.isChecked(), "keep_null": self.keep_null.isChecked(),
                "split_mixed": self.split_mixed.isChecked(), "keep_z": self.keep_z.isChecked(),
                "salvage": self.salvage.isChecked()}

    def _update_buttons(self) -> None:
        ok = self.probe is not None and not self.error and Path(self.path_edit.text().strip()).exists()
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(bool(ok))
