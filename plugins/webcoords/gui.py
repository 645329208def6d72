"""Window features of the web-map coordinates plugin: menu actions, a picker tool, a panel.

Imported only when one of them is used (the plugin's other modules need no Qt).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smartgis.plugins.api import UsageError, VectorLayer, _, transformer

from .files import convert_file, export_layer, import_source
from .transform import convert

def _tr(text: str) -> str:
    return QCoreApplication.translate("WebCoords", text)


SYSTEMS = [("gcj02", "GCJ-02 (Amap / Tencent)"), ("bd09", "BD-09 (Baidu)"), ("wgs84", "WGS84 / CGCS2000")]
FILTER = "Vector files (*.geojson *.json *.csv *.kml *.shp *.gpkg);;All files (*)"


def _choose_system(parent, title: str, allow_wgs: bool = False) -> str | None:
    keys = [key for key, _label in SYSTEMS if allow_wgs or key != "wgs84"]
    items = [_tr(label) for key, label in SYSTEMS if key in keys]
    label, ok = QInputDialog.getItem(parent, title, _tr("Coordinates of the data:"), items, 0, False)
    if not ok:
        return None
    return keys[items.index(label)]


def import_action(ctx, path: str | None = None, system: str | None = None):
    """File → Import web-map data: a GCJ-02/BD-09 file becomes a layer of the project."""
    if ctx.project is None:
        raise UsageError(_("open or create a project first"))
    parent = ctx.window
    if path is None:
        path, _filter = QFileDialog.getOpenFileName(parent, _tr("Import web-map data"), "", FILTER)
        if not path:
            return None
    system = system or _choose_system(parent, _tr("Import web-map data"))
    if system is None:
        return None

    def done(report):
        ctx.refresh_map()
        ctx.message(_("{file}: {n} features ({source} → {crs})", file=Path(path).name, n=report["features"],
                      source=system, crs=ctx.project.crs))

    return ctx.run_task(_tr("Importing {0}").format(Path(path).name), import_source, ctx.project, path,
                        system=system, on_done=done)


def export_action(ctx, layer=None, path: str | None = None, system: str | None = None):
    """File → Export layer to GCJ-02/BD-09."""
    project = ctx.project
    if project is None:
        raise UsageError(_("open a project first"))
    parent = ctx.window
    if layer is None:
        names = [lyr.name for lyr in project.ordered_layers() if isinstance(lyr, VectorLayer)]
        if not names:
            raise UsageError(_("the project has no vector layer to export"))
        layer, ok = QInputDialog.getItem(parent, _tr("Export to web-map coordinates"),
                                         _tr("Layer:"), names, 0, False)
        if not ok:
            return None
    system = system or _choose_system(parent, _tr("Export to web-map coordinates"))
    if system is None:
        return None
    if path is None:
        path, _filter = QFileDialog.getSaveFileName(parent, _tr("Export to web-map coordinates"),
                                              f"{layer}_{system}.geojson", FILTER)
        if not path:
            return None
    return ctx.run_task(_tr("Exporting {0}").format(layer), export_layer, project, layer, path,
                        system=system, on_done=lambda r: ctx.message(_("{file}: {n} features written", file=r["output"],
                                                                        n=r["features"])))


def convert_action(ctx, source_path: str | None = None, output: str | None = None, source: str | None = None,
                   target: str | None = None):
    """Plugins → Convert a GCJ-02/BD-09 file (no project needed)."""
    parent = ctx.window
    if source_path is None:
        source_path, _filter = QFileDialog.getOpenFileName(parent, _tr("Convert a file"), "", FILTER)
        if not source_path:
            return None
    source = source or _choose_system(parent, _tr("From"), allow_wgs=True)
    target = target or _choose_system(parent, _tr("To"), allow_wgs=True)
    if source is None or target is None:
        return None
    if output is None:
        stem = Path(source_path)
        output, _filter = QFileDialog.getSaveFileName(parent, _tr("Save as"),
                                                str(stem.with_name(f"{stem.stem}_{target}{stem.suffix}")), FILTER)
        if not output:
            return None
    return ctx.run_task(_tr("Converting"), convert_file, source_path, output, source, target,
                        on_done=lambda r: ctx.message(_("{file}: {n} features written", file=r["output"],
                                                        n=r["features"])))


class ConverterPanel(QWidget):
    """A dock panel: type a longitude/latitude in one system, read it in the others."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.system = QComboBox()
        for key, label in SYSTEMS:
            self.system.addItem(_tr(label), key)
        self.lon = QDoubleSpinBox()
        self.lat = QDoubleSpinBox()
        for box, lo, hi, val in ((self.lon, -180, 180, 114.057868), (self.lat, -90, 90, 22.543099)):
            box.setDecimals(7)
            box.setRange(lo, hi)
            box.setValue(val)
            box.valueChanged.connect(self.update_table)
        self.system.currentIndexChanged.connect(self.update_table)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([self.tr("System"), self.tr("Coordinates")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        form = QFormLayout()
        form.addRow(self.tr("Input in"), self.system)
        form.addRow(self.tr("Longitude"), self.lon)
        form.addRow(self.tr("Latitude"), self.lat)
        note = QLabel(self.tr("GCJ-02: Amap, Tencent, Google Maps in China. BD-09: Baidu. "
                              "Inverse transforms are solved to 1e-9°."))
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        self.update_table()

    def set_input(self, lon: float, lat: float, system: str) -> None:
        self.system.setCurrentIndex(self.system.findData(system))
        self.lon.setValue(lon)
        self.lat.setValue(lat)
        self.update_table()

    def results(self) -> dict:
        src = self.system.currentData()
        out = {key: convert(self.lon.value(), self.lat.value(), src, key) for key, _label in SYSTEMS}
        project = self.ctx.project
        if project is not None:
            w = out["wgs84"]
            out["project"] = transformer("EPSG:4326", project.crs).transform(*w)
        return out

    def update_table(self) -> None:
        res = self.results()
        rows = [(_tr(label), f"{res[key][0]:.7f}, {res[key][1]:.7f}") for key, label in SYSTEMS]
        if "project" in res:
            rows.append((self.tr("Project CRS") + f" ({self.ctx.project.crs})",
                         f"{res['project'][0]:.2f}, {res['project'][1]:.2f}"))
        self.table.setRowCount(len(rows))
        for r, (a, b) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(a))
            self.table.setItem(r, 1, QTableWidgetItem(b))
