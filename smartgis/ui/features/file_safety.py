"""What the window tells about the project file itself.

* A file holding triggers, views or virtual tables that are not a GeoPackage's own
  (see :mod:`smartgis.project.guard`) opens with a warning naming them: SmartGIS never
  runs them, and the next save removes them.
* A project changed on disk by another program (another window, ``smartgis place``, a
  reviewer) is noticed within seconds: the status bar and a message say so, and that
  saving merges the design changes where they do not collide.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QMessageBox

from smartgis.project import guard, writers

#: How often the project file is looked at (milliseconds).
POLL_MS = 2000


class FileSafety(QObject):
    """Warnings about the open project's file (installed on the main window)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.warned_changed = False
        self.last_box: QMessageBox | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        window.project_changed.connect(self._on_project)

    def _box(self, text: str) -> QMessageBox:
        box = QMessageBox(self.window)
        box.setIcon(QMessageBox.Warning)
        box.setWindowTitle(self.tr("Project file"))
        box.setTextFormat(Qt.TextFormat.PlainText)   # names from the file are text
        box.setText(text)
        # a notice, not a question: never modal, so it blocks nothing and no dialog
        # the user (or a script) is answering is mistaken for it
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.show()
        self.last_box = box
        return box

    def _on_project(self, project) -> None:
        self.warned_changed = False
        objs = getattr(project, "foreign_objects", None) if project is not None else None
        if objs:
            text = self.tr("{path} holds database objects SmartGIS does not know: {objects}. They are never run, "
                           "and saving removes them from the file.").format(
                path=project.path, objects=guard.describe(objs))
            self.window.statusBar().showMessage(text, 15000)
            self._box(text)

    def poll(self) -> bool:
        """Look whether the project file changed on disk; True when the user was told now."""
        p = self.window.project
        if p is None:
            return False
        if not writers.changed_on_disk(p):
            self.warned_changed = False   # saved here since: warn again at the next change
            return False
        if self.warned_changed:
            return False
        self.warned_changed = True
        text = self.tr("{path} was changed on disk by another program. Saving here merges your design changes "
                       "with theirs where they do not collide; open the file again to see their changes.").format(
            path=p.path)
        self.window.statusBar().showMessage(text, 30000)
        self._box(text)
        return True


def install(window) -> FileSafety:
    feature = FileSafety(window)
    window.file_safety = feature
    return feature
