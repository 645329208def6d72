"""Project ▸ Local coordinate systems: the control-point dialog, and the status bar's
choice of showing the cursor in one of the project's city grids."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QComboBox


def tr(text: str) -> str:
    return QCoreApplication.translate("LocalCrsFeature", text)


class LocalCrsFeature(QObject):
    """The menu action, the dialog and the status-bar grid choice of one window."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.dialog = None
        self.action = window.menu("file").addAction(tr("Local coordinate systems from control points…"))
        self.action.setObjectName("action_local_crs")
        self.action.setStatusTip(tr("Fit a city grid (4, 6 or 7 parameters) to control points and keep it in "
                                    "the project"))
        self.action.triggered.connect(lambda: self.open_dialog())
        self.grid = QComboBox()
        self.grid.setObjectName("status_grid")
        self.grid.setToolTip(tr("Also show the cursor position in one of the project's local coordinate systems"))
        window.statusBar().addPermanentWidget(self.grid)
        self.grid.currentIndexChanged.connect(self._grid_chosen)
        window.project_changed.connect(lambda _p: self.refresh_grids())
        self.refresh_grids()

    def open_dialog(self, exec_: bool = False):
        from smartgis.ui.dialogs.control_points import ControlPointDialog
        project = self.window.project
        if project is None:
            self.window.show_error(tr("Open or create a project first."), tr("Local coordinate systems"))
            return None
        dlg = ControlPointDialog(project, self.window.canvas, self.window)
        dlg.saved.connect(lambda _name: self.refresh_grids())
        self.dialog = dlg
        if exec_:
            dlg.exec()
        else:
            dlg.show()
        return dlg

    def refresh_grids(self) -> None:
        from smartgis.project.local_crs import local_systems
        project = self.window.project
        current = self.grid.currentData()
        self.grid.blockSignals(True)
        self.grid.clear()
        self.grid.addItem(tr("Grid: none"), None)
        systems = local_systems(project) if project is not None else {}
        for name in systems:
            self.grid.addItem(tr("Grid: {name}").format(name=name), name)
        i = self.grid.findData(current)
        self.grid.setCurrentIndex(max(i, 0))
        self.grid.blockSignals(False)
        self.grid.setVisible(bool(systems))
        self._grid_chosen()

    def _grid_chosen(self) -> None:
        from smartgis.project.local_crs import resolve_crs
        name = self.grid.currentData()
        project = self.window.project
        sb = self.window.statusBar()
        if hasattr(sb, "set_grid"):
            sb.set_grid(name, resolve_crs(project, name) if name and project is not None else None)


def install(window) -> LocalCrsFeature:
    feature = LocalCrsFeature(window)
    window.local_crs_feature = feature
    return feature
