"""The start page: what the window shows while no project is open.

A first-time user sees an empty map and a menu bar; the start page offers the ways
in instead — the recent projects, the sample district, a new project, and importing
data (into a new project).  It covers the map canvas and goes away as soon as a
project is open.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QStandardPaths, Qt
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton,
                               QVBoxLayout)


def sample_project_path() -> Path | None:
    """The sample project shipped beside the resources (``sample_projects/*.gpkg``)."""
    from smartgis.core.catalog import resources_dir
    for folder in (resources_dir().parent / "sample_projects", resources_dir() / "sample_projects"):
        found = sorted(folder.glob("*.gpkg")) if folder.is_dir() else []
        if found:
            return found[0]
    return None


class StartPage(QFrame):
    """Recent projects, the sample, New project and Import data, over the empty canvas."""

    def __init__(self, window):
        super().__init__(window.canvas)
        self.window = window
        self.setObjectName("start_page")
        self.setAutoFillBackground(True)
        self.setFrameShape(QFrame.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 40, 48, 40)
        title = QLabel(self.tr("SmartGIS — top-level design of smart cities"))
        title.setObjectName("start_title")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        outer.addWidget(title)
        hint = QLabel(self.tr("Open a project, start from the sample district, or create a new project and "
                              "import the surveyors' data."))
        hint.setWordWrap(True)
        outer.addWidget(hint)
        row = QHBoxLayout()
        outer.addLayout(row, 1)
        buttons = QVBoxLayout()
        row.addLayout(buttons)
        self.new_button = self._button(self.tr("New project…"), "start_new", window.new_project)
        self.open_button = self._button(self.tr("Open project…"), "start_open", window.choose_and_open)
        self.sample_button = self._button(self.tr("Open the sample project (龙泉湖新区)"), "start_sample",
                                          self.open_sample)
        self.import_button = self._button(self.tr("Import data into a new project…"), "start_import",
                                          self.import_data)
        self.sample_button.setEnabled(sample_project_path() is not None)
        for b in (self.new_button, self.open_button, self.sample_button, self.import_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        recent = QVBoxLayout()
        row.addLayout(recent, 1)
        recent.addWidget(QLabel(self.tr("Recent projects")))
        self.recent = QListWidget(self)
        self.recent.setObjectName("start_recent")
        self.recent.itemActivated.connect(lambda item: window.open_project(item.data(Qt.UserRole)))
        recent.addWidget(self.recent, 1)
        self.refresh()

    def _button(self, text: str, name: str, slot) -> QPushButton:
        b = QPushButton(text, self)
        b.setObjectName(name)
        b.setMinimumWidth(280)
        b.clicked.connect(lambda _checked=False: slot())
        return b

    def refresh(self) -> None:
        """Fill the list of recent projects (those that still exist)."""
        self.recent.clear()
        for path in self.window.recent_files():
            if not os.path.exists(path):
                continue
            item = QListWidgetItem(f"{Path(path).name}    {Path(path).parent}")
            item.setData(Qt.UserRole, path)
            item.setToolTip(path)
            self.recent.addItem(item)
        if not self.recent.count():
            item = QListWidgetItem(self.tr("(no recent projects)"))
            item.setFlags(Qt.NoItemFlags)
            self.recent.addItem(item)

    def open_sample(self) -> bool:
        """Open a copy of the sample project (in the user's documents; the shipped file stays as it is)."""
        src = sample_project_path()
        if src is None:
            return False
        docs = QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation) or str(Path.home())
        dst = Path(docs) / "SmartGIS" / src.name
        if not dst.exists():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
        return self.window.open_project(dst)

    def import_data(self) -> None:
        """A new project first (imports go into a project), then the import dialog."""
        if self.window.project is None and not self.window.new_project():
            return
        feature = getattr(self.window, "import_feature", None)
        if feature is not None:
            feature.open_dialog()


class _Follow(QObject):
    """Keeps the start page the size of the canvas."""

    def __init__(self, page: StartPage):
        super().__init__(page)
        self.page = page
        page.window.canvas.installEventFilter(self)

    def eventFilter(self, obj, event):  # noqa: N802 - Qt API
        if event.type() == QEvent.Resize:
            self.page.setGeometry(obj.rect())
        return False


def install(window) -> None:
    page = StartPage(window)
    page._follow = _Follow(page)
    page.setGeometry(window.canvas.rect())

    def on_project(project) -> None:
        page.setVisible(project is None)
        if project is None:
            page.refresh()
            page.raise_()
    window.project_changed.connect(on_project)
    window.start_page = page
    on_project(window.project)
