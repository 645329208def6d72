"""The main window (a first version: opens a project and lists its layers)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox, QTreeWidget, QTreeWidgetItem

from smartgis.errors import SmartGISError


class MainWindow(QMainWindow):
    def __init__(self):
        super().__init__()
        self.project = None
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Layer"), self.tr("Kind"), self.tr("Features")])
        self.setCentralWidget(self.tree)
        self.setWindowTitle("SmartGIS")

    def open_project(self, path, review: bool = False) -> bool:
        from smartgis.project import open_project
        try:
            self.project = open_project(path, read_only=review)
        except SmartGISError as exc:
            QMessageBox.critical(self, self.tr("Cannot open project"), str(exc))
            return False
        self._fill()
        self.setWindowTitle(f"{self.project.name} — SmartGIS")
        return True

    def _fill(self):
        self.tree.clear()
        for lyr in self.project.ordered_layers():
            n = getattr(lyr, "feature_count", None)
            item = QTreeWidgetItem([lyr.name, lyr.kind, "" if n is None else str(n)])
            item.setCheckState(0, Qt.Checked)
            self.tree.addTopLevelItem(item)

    def save_screenshot(self, path) -> bool:
        from PySide6.QtWidgets import QApplication
        QApplication.processEvents()
        return self.grab().save(str(path))
