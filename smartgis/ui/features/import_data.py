"""File → Import… and drag-and-drop of files onto the window.

The dialog (:class:`smartgis.ui.import_dialog.ImportDialog`) collects the options;
the reading and staging run on a worker thread through ``window.run_task`` with a
progress dialog and Cancel; the new layers are added on the GUI thread when the work
is done.  An error or a cancel leaves the project as it was.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from smartgis.i18n import localize


def tr(text: str) -> str:
    return QCoreApplication.translate("ImportFeature", text)


class ImportFeature(QObject):
    """The import action and the drop target of one main window."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.last_report = None
        self.dialog = None
        self.action = window.menu("file").addAction(tr("Import data…"))
        self.action.setObjectName("action_import_data")
        self.action.setShortcut(QKeySequence("Ctrl+I"))
        self.action.setStatusTip(tr("Import shapefiles, GeoPackages, DXF, CSV, rasters … into the project"))
        self.action.triggered.connect(lambda: self.open_dialog())
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    # -- drag and drop ------------------------------------------------------------------
    def eventFilter(self, obj, event):  # noqa: N802 - Qt API
        t = event.type()
        if t in (QEvent.DragEnter, QEvent.DragMove):
            if self._dropped_files(event):
                event.acceptProposedAction()
                return True
        elif t == QEvent.Drop:
            files = self._dropped_files(event)
            if files:
                event.acceptProposedAction()
                self.open_dialog(files[0])
                return True
        return False

    @staticmethod
    def _dropped_files(event) -> list[str]:
        md = event.mimeData()
        if not md or not md.hasUrls():
            return []
        return [u.toLocalFile() for u in md.urls() if u.isLocalFile()]

    # -- importing ----------------------------------------------------------------------
    def open_dialog(self, path=None, exec_=True):
        """Show the import dialog (for ``path`` if given); returns it."""
        from smartgis.ui.import_dialog import ImportDialog
        project = self.window.project
        if project is None:
            self.window.show_error(tr("Open or create a project before importing data."), tr("Import data"))
            return None
        if getattr(project, "read_only", False):
            self.window.show_error(tr("The project is open for review (read-only); data cannot be imported."),
                                   tr("Import data"))
            return None
        dlg = ImportDialog(project, path, self.window)
        self.dialog = dlg
        if exec_ and dlg.exec():
            self.start(dlg.options())
        return dlg

    def start(self, options: dict):
        """Run an import with ``options`` (:meth:`ImportDialog.options`) on a worker thread."""
        from smartgis.io import prepare_import
        project = self.window.project
        opts = dict(options)
        path = opts.pop("path")
        title = tr("Importing {name}").format(name=Path(path).name)
        return self.window.run_task(title, prepare_import, project, path, on_done=self._done, **opts)

    def _done(self, prepared) -> None:
        if prepared.project is not self.window.project:  # the project changed meanwhile
            prepared.discard()
            return
        was_empty = not prepared.project.layers
        problems = prepared.location_problems()
        if problems and not self.confirm_location(problems):
            prepared.discard()
            self.window.statusBar().showMessage(tr("Nothing was imported"), 10000)
            return
        prepared.report.warnings.extend(problems)
        try:
            report = prepared.apply()
        except Exception as exc:  # noqa: BLE001 - shown to the user
            self.window.show_error(exc, tr("Import failed"))
            return
        self.last_report = report
        self.window.refresh_map()
        if was_empty and report.layers:
            # the first data of a project: show it (later imports keep the user's view)
            self.window.canvas.zoom_full()
        n = len(report.layers)
        msg = (tr("Imported {n} layer(s), {features} features").format(n=n, features=f"{report.features_written:,}")
               if not report.design else
               tr("Imported {n} design elements").format(n=report.design["added"]))
        self.window.statusBar().showMessage(msg, 10000)
        warnings = report.to_dict()["warnings"]
        if warnings:
            box = QMessageBox(QMessageBox.Information, tr("Import data"), msg, QMessageBox.Ok, self.window)
            box.setInformativeText(tr("{n} note(s) about the import; see the details.").format(n=len(warnings)))
            box.setDetailedText("\n".join(localize(line) for line in report.lines()))
            box.open()
            self.report_box = box

    def confirm_location(self, problems: list[str]) -> bool:
        """Ask whether data that lands away from the project (a wrong CRS, usually)
        is imported all the same."""
        box = QMessageBox(QMessageBox.Warning, tr("Import data"),
                          tr("The imported data would not land where the project is."),
                          QMessageBox.Yes | QMessageBox.No, self.window)
        box.setObjectName("import_location_question")
        box.setInformativeText("\n".join(localize(p) for p in problems) + "\n\n"
                               + tr("Import it anyway? (Choose No and import again with the right CRS.)"))
        box.setDefaultButton(QMessageBox.No)
        self.location_box = box
        return box.exec() == QMessageBox.Yes


def install(window) -> None:
    window.import_feature = ImportFeature(window)
