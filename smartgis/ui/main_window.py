"""The main window: map canvas, layer tree, attribute table, status bar, menus.

The window shows and edits the Qt-free model (:mod:`smartgis.core`); everything that
a save needs lives in the project.  Other parts of SmartGIS plug in as feature
modules (:mod:`smartgis.ui.features`) through this API:

``menu(key)``, ``toolbar(key)``, ``add_dock(widget, area, title)``,
``run_task(title, fn, *args, on_done=None, on_error=None, **kwargs)``, ``undo_stack``,
``show_error(...)``, ``refresh_map(layer_ids)``, ``set_project(project)``,
``open_project(path, review)``, ``save_project()``, ``current_layer()``, and the
signals ``project_changed(object)`` and ``current_layer_changed(object)``.

Shortcuts follow QGIS where it has one (Ctrl+N/O/S, Ctrl+Shift+S, Ctrl+Z/Y,
Ctrl+Shift+F zoom full, Ctrl+J zoom to selection, F5 refresh, F6 attribute table,
Ctrl+Shift+I identify, Ctrl+Shift+M measure, Ctrl+Shift+A deselect all ...).
"""

from __future__ import annotations

import logging
import os
import traceback
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QToolBar,
    QVBoxLayout,
)

from smartgis import __version__
from smartgis.core.edits import DeleteFeatures
from smartgis.core.design import ElementLayer
from smartgis.core.layers import VectorLayer
from smartgis.errors import SmartGISError, UserError
from smartgis.i18n import localize
from smartgis.ui.actions import new_action
from smartgis.ui.attribute_table import AttributeTableDock
from smartgis.ui.canvas import MapCanvas
from smartgis.ui.layer_tree import LayerTreeDock
from smartgis.ui.status_bar import MapStatusBar
from smartgis.ui.tasks import TaskRunner
from smartgis.ui.undo import ModelUndoStack

log = logging.getLogger(__name__)

#: Menu keys in menu-bar order (``menu(key)``).
MENU_KEYS = ("file", "edit", "view", "layer", "design", "analysis", "review", "plugins", "settings", "help")
#: How many recent project files the File menu remembers.
MAX_RECENT = 10
RECENT_KEY = "ui/recent_files"
#: Above this many features, attributes are read in the background before a dialog needs them.
BACKGROUND_FEATURES = 100_000


def _open_for_window(path, review: bool, progress=None):
    """Open a project; in review mode also read its review, so that an unreadable review
    table is an error of the open (a message), not of the panel showing it."""
    from smartgis.postgis.url import is_url
    if is_url(path):
        from smartgis.postgis import open_url
        project = open_url(path, read_only=review, progress=progress)
    else:
        from smartgis.project import open_project
        project = open_project(path, read_only=review, progress=progress)
    if review:
        from smartgis.review import review_of
        review_of(project)
    return project


class TailMenu(QMenu):
    """A menu whose last entries stay last: after :meth:`set_tail`, actions, menus and
    separators added go in before the tail (Close and Exit in the Project menu)."""

    _tail: QAction | None = None

    def set_tail(self, action: QAction) -> None:
        self._tail = action

    def _before_tail(self, action):
        if action is not None and self._tail is not None and action is not self._tail:
            self.removeAction(action)
            self.insertAction(self._tail, action)
        return action

    def addAction(self, *args, **kwargs):  # noqa: N802 - Qt API
        if len(args) == 1 and isinstance(args[0], QAction) and not kwargs:
            super().addAction(args[0])
            self._before_tail(args[0])
            return None
        return self._before_tail(super().addAction(*args, **kwargs))

    def addMenu(self, *args):  # noqa: N802 - Qt API
        menu = super().addMenu(*args)
        self._before_tail(menu.menuAction())
        return menu

    def addSeparator(self):  # noqa: N802 - Qt API
        return self._before_tail(super().addSeparator())


class MainWindow(QMainWindow):
    """The SmartGIS main window.

    Parameters
    ----------
    load_features : bool
        Install the feature modules of :mod:`smartgis.ui.features` (tests of the bare
        window pass False).

    Signals
    -------
    project_changed(project_or_None)
    current_layer_changed(layer_or_None)
    """

    project_changed = Signal(object)
    current_layer_changed = Signal(object)
    # model → window, queued to the GUI thread when the model changes on a worker
    _modified_event = Signal()
    _structure_event = Signal()

    def __init__(self, load_features: bool = True, parent=None):
        super().__init__(parent)
        self.setObjectName("SmartGISMainWindow")
        self.project = None
        self.read_only = False
        self._menus: dict[str, QMenu] = {}
        self._toolbars: dict[str, QToolBar] = {}
        self.actions_: dict[str, QAction] = {}
        self._first_render_done = False
        self.undo_stack = ModelUndoStack(self)
        self.tasks = TaskRunner(self, on_error=self._task_failed, on_cancelled=self._task_cancelled)
        self._modified_event.connect(self._update_title)
        self._modified_event.connect(self._update_actions)
        self._structure_event.connect(self._on_structure)

        self.canvas = MapCanvas(self)
        self.setCentralWidget(self.canvas)
        self.setStatusBar(MapStatusBar(self))
        self.layer_dock = LayerTreeDock(self)
        self.addDockWidget(Qt.LeftDockWidgetArea, self.layer_dock)
        self.table_dock = AttributeTableDock(self)
        self.addDockWidget(Qt.BottomDockWidgetArea, self.table_dock)
        self.table_dock.hide()
        self.setDockOptions(QMainWindow.AnimatedDocks | QMainWindow.AllowTabbedDocks | QMainWindow.AllowNestedDocks)

        self._build_actions()
        self._build_menus()
        self._build_toolbars()
        self._connect()
        self.feature_report = None
        if load_features:
            self.install_features()
        self._update_menu_visibility()
        self._update_title()
        self._update_actions()
        self.resize(1400, 900)

    # == building ===================================================================================
    def _action(self, key: str, text: str, slot=None, shortcut=None, icon=None, tip: str | None = None,
                checkable: bool = False) -> QAction:
        act = new_action(self, f"action_{key}", text, slot, shortcut, icon, tip, checkable)
        self.actions_[key] = act
        return act

    def action(self, key: str) -> QAction:
        """A built-in action by key (``new``, ``open``, ``save``, ``zoom_full`` ...)."""
        return self.actions_[key]

    def _build_actions(self) -> None:
        from smartgis.ui import icons
        sp = QStyle.StandardPixmap
        a = self._action
        # file
        a("new", self.tr("&New project…"), self.new_project, QKeySequence.New, icons.icon("new", sp.SP_FileIcon),
          self.tr("Create a new project (name and coordinate reference system)"))
        a("open", self.tr("&Open project…"), self.choose_and_open, QKeySequence.Open,
          icons.icon("open", sp.SP_DialogOpenButton), self.tr("Open a project file (.gpkg)"))
        a("open_review", self.tr("Open for &review…"), lambda: self.choose_and_open(review=True), None,
          icons.icon("review", sp.SP_FileDialogInfoView),
          self.tr("Open a project read-only, for review comments and sign-off"))
        a("open_team", self.tr("Open &team project…"), lambda: self.open_team_project(), None, None,
          self.tr("Open a team project on a PostGIS server (postgresql://USER@HOST/DB?schema=NAME)"))
        a("save", self.tr("&Save"), self.save_project, QKeySequence.Save, icons.icon("save", sp.SP_DialogSaveButton),
          self.tr("Save the project"))
        a("save_as", self.tr("Save &as…"), lambda: self.save_project_as(), "Ctrl+Shift+S", None,
          self.tr("Save the project to another file"))
        a("close_project", self.tr("&Close project"), self.close_project, None, None,
          self.tr("Close the project (asks to save changes)"))
        a("quit", self.tr("E&xit"), self.close, QKeySequence.Quit)
        self.actions_["quit"].setMenuRole(QAction.QuitRole)
        # edit
        undo = self.undo_stack.createUndoAction(self, self.tr("Undo"))
        undo.setShortcut(QKeySequence.Undo)
        undo.setIcon(icons.icon("undo", sp.SP_ArrowBack))
        redo = self.undo_stack.createRedoAction(self, self.tr("Redo"))
        redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        redo.setIcon(icons.icon("redo", sp.SP_ArrowForward))
        self.actions_["undo"], self.actions_["redo"] = undo, redo
        a("delete_selected", self.tr("&Delete selected features"), self.delete_selected, QKeySequence.Delete,
          icons.icon("delete", sp.SP_TrashIcon), self.tr("Delete the selected features of the current layer"))
        # Del also removes layers in the layer tree: the action only answers on the map and the table.
        self.actions_["delete_selected"].setShortcutContext(Qt.WidgetWithChildrenShortcut)
        a("select_all", self.tr("Select &all features"), self.select_all, "Ctrl+Alt+A", None,
          self.tr("Select every feature of the current layer"))
        a("invert_selection", self.tr("&Invert selection"), self.invert_selection, None, None,
          self.tr("Select the unselected features of the current layer"))
        a("deselect_all", self.tr("D&eselect all"), self.deselect_all, "Ctrl+Shift+A",
          icons.icon("deselect", None), self.tr("Clear the selection of every layer"))
        # view
        a("zoom_full", self.tr("Zoom &full"), self.zoom_full, "Ctrl+Shift+F", icons.icon("zoom_full", None),
          self.tr("Zoom to the extent of all layers"))
        a("zoom_in", self.tr("Zoom &in"), lambda: self.zoom_by(2.0), [QKeySequence.ZoomIn, "Ctrl+="],
          icons.icon("zoom_in", None), self.tr("Zoom in"))
        a("zoom_out", self.tr("Zoom &out"), lambda: self.zoom_by(0.5), QKeySequence.ZoomOut,
          icons.icon("zoom_out", None), self.tr("Zoom out"))
        a("zoom_layer", self.tr("Zoom to &layer"), lambda: self.zoom_to_layer(self.current_layer()), None,
          icons.icon("zoom_layer", None), self.tr("Zoom to the extent of the current layer"))
        a("zoom_selection", self.tr("Zoom to &selection"), self.zoom_to_selection, "Ctrl+J",
          icons.icon("zoom_selection", None), self.tr("Zoom to the selected features"))
        a("refresh", self.tr("&Refresh"), lambda: self.refresh_map(), QKeySequence.Refresh,
          icons.icon("refresh", sp.SP_BrowserReload), self.tr("Redraw the map"))
        a("full_screen", self.tr("&Full screen"), self.toggle_full_screen, "F11", None, None, checkable=True)
        # layer
        a("attribute_table", self.tr("Open &attribute table"), lambda: self.open_attribute_table(self.current_layer()),
          "F6", icons.icon("table", sp.SP_FileDialogDetailedView), self.tr("Show the attributes of the current layer"))
        a("layer_properties", self.tr("Layer &properties…"), lambda: self.show_layer_properties(self.current_layer()),
          None, icons.icon("properties", None), self.tr("Style, labels and source of the current layer"))
        a("remove_layer", self.tr("&Remove layer/group"), self.layer_dock.remove_selected, "Ctrl+D",
          icons.icon("remove_layer", None), self.tr("Remove the selected layers or groups from the project"))
        a("add_group", self.tr("Add &group"), self.layer_dock.add_group, None,
          icons.icon("group", sp.SP_FileDialogNewFolder), self.tr("Add a group to the layer tree"))
        a("show_all", self.tr("&Show all layers"), lambda: self.set_all_visible(True), "Ctrl+Shift+U")
        a("hide_all", self.tr("&Hide all layers"), lambda: self.set_all_visible(False), "Ctrl+Shift+H")
        # settings, help
        a("settings", self.tr("&Options…"), self.show_settings, None, None,
          self.tr("Interface language and other settings"))
        self.actions_["settings"].setMenuRole(QAction.PreferencesRole)
        a("shortcuts", self.tr("&Keyboard shortcuts"), self.show_shortcuts)
        a("about", self.tr("&About SmartGIS"), self.show_about)
        self.actions_["about"].setMenuRole(QAction.AboutRole)

    def _build_menus(self) -> None:
        titles = {"file": self.tr("&Project"), "edit": self.tr("&Edit"), "view": self.tr("&View"),
                  "layer": self.tr("&Layer"), "design": self.tr("&Design"), "analysis": self.tr("&Analysis"),
                  "review": self.tr("Re&view"), "plugins": self.tr("&Plugins"), "settings": self.tr("&Settings"),
                  "help": self.tr("&Help")}
        bar = self.menuBar()
        for key in MENU_KEYS:
            m = TailMenu(titles[key], self)
            bar.addMenu(m)
            m.setObjectName(f"menu_{key}")
            self._menus[key] = m
            m.installEventFilter(self)
        act = self.actions_
        f = self._menus["file"]
        for k in ("new", "open"):
            f.addAction(act[k])
        self.recent_menu = f.addMenu(self.tr("Open &recent"))
        self.recent_menu.setObjectName("menu_recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        f.addAction(act["open_review"])
        f.addAction(act["open_team"])
        f.addSeparator()
        for k in ("save", "save_as"):
            f.addAction(act[k])
        # what features add to the Project menu (import, export, package …) comes before
        # Close and Exit, which end the menu as they do in every desktop application
        tail = f.addSeparator()
        f.addAction(act["close_project"])
        f.addAction(act["quit"])
        f.set_tail(tail)
        e = self._menus["edit"]
        for k in ("undo", "redo"):
            e.addAction(act[k])
        e.addSeparator()
        for k in ("select_all", "invert_selection", "deselect_all"):
            e.addAction(act[k])
        e.addSeparator()
        e.addAction(act["delete_selected"])
        v = self._menus["view"]
        self.map_tools_menu = v.addMenu(self.tr("Map &tools"))
        self.map_tools_menu.setObjectName("menu_map_tools")
        v.addSeparator()
        for k in ("zoom_full", "zoom_in", "zoom_out", "zoom_layer", "zoom_selection"):
            v.addAction(act[k])
        v.addSeparator()
        v.addAction(act["refresh"])
        v.addSeparator()
        self.panels_menu = v.addMenu(self.tr("&Panels"))
        self.panels_menu.setObjectName("menu_panels")
        self.toolbars_menu = v.addMenu(self.tr("&Toolbars"))
        self.toolbars_menu.setObjectName("menu_toolbars")
        v.addAction(act["full_screen"])
        for dock in (self.layer_dock, self.table_dock):
            self.panels_menu.addAction(dock.toggleViewAction())
        lay = self._menus["layer"]
        for k in ("attribute_table", "layer_properties", "zoom_layer"):
            lay.addAction(act[k])
        lay.addSeparator()
        for k in ("add_group", "remove_layer"):
            lay.addAction(act[k])
        lay.addSeparator()
        for k in ("show_all", "hide_all"):
            lay.addAction(act[k])
        self._menus["settings"].addAction(act["settings"])
        h = self._menus["help"]
        h.addAction(act["shortcuts"])
        h.addSeparator()
        h.addAction(act["about"])
        # The delete action answers where features are shown, not in the layer tree.
        self.canvas.addAction(act["delete_selected"])
        self.table_dock.view.addAction(act["delete_selected"])

    def _build_toolbars(self) -> None:
        act = self.actions_
        tb = self.toolbar("file")
        for k in ("new", "open", "save"):
            tb.addAction(act[k])
        tb.addSeparator()
        tb.addAction(act["undo"])
        tb.addAction(act["redo"])
        nav = self.toolbar("navigation")
        self._build_map_tools(nav)
        for k in ("zoom_in", "zoom_out", "zoom_full", "zoom_layer", "zoom_selection", "refresh"):
            nav.addAction(act[k])
        attrs = self.toolbar("attributes")
        for k in ("attribute_table", "deselect_all", "layer_properties"):
            attrs.addAction(act[k])

    def _build_map_tools(self, toolbar: QToolBar) -> None:
        """Pan, identify, select and measure tools from :mod:`smartgis.ui.maptools`."""
        from smartgis.ui.map_tool_actions import add_map_tool_actions
        add_map_tool_actions(self, toolbar, self.map_tools_menu)

    def _connect(self) -> None:
        c = self.canvas
        sb: MapStatusBar = self.statusBar()
        c.cursor_moved.connect(sb.show_cursor)
        c.scale_changed.connect(sb.set_scale)
        c.render_finished.connect(self._on_render_finished)
        c.layer_error.connect(self._on_layer_error)
        sb.scale_entered.connect(c.set_scale)
        sb.crs_clicked.connect(self.show_crs_details)
        self.layer_dock.current_layer_changed.connect(self._on_current_layer)

    # == API for features ===========================================================================
    def menu(self, key: str, title: str | None = None) -> QMenu:
        """The menu ``key`` (see :data:`MENU_KEYS`); an unknown key adds a menu before Help."""
        if key not in self._menus:
            m = QMenu(title or key, self)
            m.setObjectName(f"menu_{key}")
            self.menuBar().insertMenu(self._menus["help"].menuAction(), m)
            m.installEventFilter(self)
            self._menus[key] = m
        return self._menus[key]

    def toolbar(self, key: str, title: str | None = None) -> QToolBar:
        """The tool bar ``key``, created on first use (listed under View ▸ Toolbars)."""
        if key not in self._toolbars:
            titles = {"file": self.tr("Project"), "navigation": self.tr("Map navigation"),
                      "attributes": self.tr("Attributes"), "design": self.tr("Design"),
                      "analysis": self.tr("Analysis"), "review": self.tr("Review")}
            tb = QToolBar(title or titles.get(key, key), self)
            tb.setObjectName(f"toolbar_{key}")
            self.addToolBar(Qt.TopToolBarArea, tb)
            self._toolbars[key] = tb
            self.toolbars_menu.addAction(tb.toggleViewAction())
        return self._toolbars[key]

    def add_dock(self, widget, area=Qt.RightDockWidgetArea, title: str = "") -> QDockWidget:
        """Add a panel as a dock (a QDockWidget is added as it is); listed under View ▸ Panels."""
        if isinstance(widget, QDockWidget):
            dock = widget
            if title:
                dock.setWindowTitle(title)
        else:
            dock = QDockWidget(title or widget.windowTitle(), self)
            dock.setWidget(widget)
        if not dock.objectName():
            dock.setObjectName(f"dock_{title or widget.__class__.__name__}")
        self.addDockWidget(area, dock)
        self.panels_menu.addAction(dock.toggleViewAction())
        return dock

    def show_dock_as_tab(self, dock: QDockWidget) -> None:
        """Show a panel as a tab over the other panels of its side (a tree or a chart needs
        the side's height more than a share of it), and bring it to the front."""
        if not dock.isVisible():
            others = [d for d in self.findChildren(QDockWidget) if d is not dock and d.isVisible()
                      and self.dockWidgetArea(d) == self.dockWidgetArea(dock) and not d.isFloating()]
            if others and not self.tabifiedDockWidgets(dock):
                self.tabifyDockWidget(others[0], dock)
            dock.setVisible(True)
        dock.raise_()

    def run_task(self, title: str, fn, *args, on_done=None, on_error=None, **kwargs):
        """Run ``fn(*args, progress=cb, **kwargs)`` on a worker thread (see :mod:`smartgis.ui.tasks`).

        A progress dialog with Cancel appears when the work takes longer than a moment;
        ``on_done(result)`` / ``on_error(exception)`` are called on the GUI thread.
        Errors without ``on_error`` are shown with :meth:`show_error`; a cancel shows a
        status bar message.  Returns the :class:`~smartgis.ui.tasks.Task`.
        """
        return self.tasks.run(title, fn, *args, on_done=on_done, on_error=on_error, **kwargs)

    def show_error(self, exc_or_message, title: str | None = None) -> QMessageBox:
        """Show an error in a dialog (window-modal, not blocking); returns the message box.

        A :class:`~smartgis.errors.UserError` shows its one-line message in the
        interface language; anything else is an internal error and also shows the
        traceback under "Show Details".
        """
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Critical)
        box.setWindowTitle(title or self.tr("SmartGIS"))
        if isinstance(exc_or_message, BaseException):
            exc = exc_or_message
            if isinstance(exc, (UserError, SmartGISError)):
                box.setText(exc.localized())
            else:
                box.setText(self.tr("Unexpected error: {error}").format(error=f"{type(exc).__name__}: {exc}"))
                details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
                box.setDetailedText(details)
                log.error("unexpected error:\n%s", details)
        else:
            box.setText(localize(exc_or_message))
        box.setAttribute(Qt.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModal)
        box.open()
        self.last_error_box = box
        return box

    def confirm(self, title: str, text: str) -> bool:
        """Ask a yes/no question (blocking, the event loop keeps running)."""
        r = QMessageBox.question(self, title, text, QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        return r == QMessageBox.Yes

    def refresh_map(self, layer_ids=None) -> None:
        """Schedule a re-render (coalesced by the canvas) of some layers, all if None."""
        self.canvas.refresh(layer_ids)

    def current_layer(self):
        """The layer selected in the layer tree, or None."""
        return self.layer_dock.current_layer()

    def set_current_layer(self, layer) -> None:
        self.layer_dock.set_current_layer(layer)

    def install_features(self, package: str = "smartgis.ui.features"):
        """Install the feature modules; failures are reported and the others still load."""
        from smartgis.ui.features import install_features
        report = install_features(self, package)
        self.feature_report = report
        if report.failed:
            names = ", ".join(sorted(report.failed))
            self.statusBar().showMessage(self.tr("Some features failed to load: {names}").format(names=names), 15000)
            lines = [f"{name}: {msg}" for name, (msg, _tb) in sorted(report.failed.items())]
            box = self.show_error(self.tr("Some features failed to load; the others work:\n{details}").format(
                details="\n".join(lines)), self.tr("Features"))
            box.setIcon(QMessageBox.Warning)
            box.setDetailedText("\n\n".join(tb for _msg, tb in report.failed.values()))
        self._update_menu_visibility()
        return report

    # == project ====================================================================================
    def _project_signals(self, project) -> list:
        """(signal, slot) pairs through which the window follows ``project``: connected
        when it is shown, disconnected when another takes its place."""
        return [(project.modified_changed, self._model_modified), (project.metadata_changed, self._model_modified),
                (project.tree.changed, self._model_structure), (project.layer_added, self._model_structure),
                (project.layer_removed, self._model_structure)]

    def set_project(self, project) -> None:
        """Show ``project`` (or nothing with None); does not ask about unsaved changes."""
        old = self.project
        if old is not None:
            for signal, slot in self._project_signals(old):
                signal.disconnect(slot)
        self.project = project
        self.read_only = bool(project is not None and project.read_only)
        self._first_render_done = False
        self.undo_stack.set_model_stack(project.stack if project is not None else None)
        self.table_dock.set_layer(None)
        self.canvas.set_project(project)
        self.layer_dock.set_project(project)
        self.statusBar().set_crs(project.crs if project is not None else None)
        if project is not None:
            for signal, slot in self._project_signals(project):
                signal.connect(slot)
        self._update_title()
        self._update_actions()
        self.project_changed.emit(project)

    def _model_modified(self, *_args) -> None:
        self._modified_event.emit()

    def _model_structure(self, *_args) -> None:
        self._structure_event.emit()

    def _on_structure(self) -> None:
        # the canvas watches the model itself; the window only updates its own state
        self._update_actions()
        if self.table_dock.layer is not None and self.project is not None and \
                self.table_dock.layer.id not in self.project.layers:
            self.table_dock.set_layer(None)

    def new_project(self) -> bool:
        """File ▸ New: ask for a name and CRS (after the unsaved-changes prompt)."""
        if not self.maybe_save():
            return False
        from smartgis.ui.dialogs.new_project import NewProjectDialog
        dlg = NewProjectDialog(self)
        try:
            if dlg.exec() != QDialog.Accepted:
                return False
            project = dlg.project()
        finally:
            dlg.deleteLater()
        self.set_project(project)
        self.statusBar().showMessage(self.tr("New project {name} ({crs})").format(name=project.name,
                                                                                   crs=project.crs), 5000)
        return True

    def choose_and_open(self, review: bool = False) -> bool:
        if not self.maybe_save():
            return False
        start = str(Path(self.recent_files()[0]).parent) if self.recent_files() else ""
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open project for review") if review else self.tr("Open project"), start,
            self.tr("SmartGIS projects and GeoPackages (*.gpkg)"))
        if not path:
            return False
        return self.open_project(path, review=review, ask=False)

    def open_project(self, path, review: bool = False, ask: bool = True) -> bool:
        """Open a project file (read-only for review); True when it is shown.

        The file is read on a worker thread; the window stays responsive meanwhile.
        """
        if ask and not self.maybe_save():
            return False
        path = os.fspath(path)
        from smartgis.postgis.url import is_url
        if is_url(path):   # a team project: asks for the password when the server wants one
            return self.open_team_project(path, review=review)
        title = self.tr("Opening {name}").format(name=os.path.basename(path))
        task = self.run_task(title, _open_for_window, path, review)
        task.wait()
        if task.exception is not None:
            return False
        self.set_project(task.result)
        self.add_recent(path)
        self.statusBar().showMessage(self.tr("Opened {path}").format(path=path), 5000)
        return True

    def save_project(self) -> bool:
        """Save to the project's file (Save As when it has none); True when saved."""
        p = self.project
        if p is None:
            return False
        if p.read_only:
            self.show_error(self.tr("The project is open for review (read-only); it cannot be saved here."))
            return False
        if p.path is None:
            return self.save_project_as()
        return self._save_to(p.path)

    def save_project_as(self, path=None) -> bool:
        """Save to ``path`` (asked in a file dialog when None); True when saved."""
        p = self.project
        if p is None or p.read_only:
            return False
        if path is None:
            start = str(p.path) if p.path else os.path.join(str(Path.home()), f"{p.name}.gpkg")
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Save project as"), start,
                                                  self.tr("SmartGIS projects (*.gpkg)"))
            if not path:
                return False
        path = os.fspath(path)
        if not path.lower().endswith(".gpkg"):
            path += ".gpkg"
        return self._save_to(path)

    def open_team_project(self, url=None, review: bool = False) -> bool:
        """Open a team project by its PostGIS URL (see :mod:`smartgis.ui.dialogs.team_project`)."""
        from smartgis.ui.dialogs.team_project import open_team_project
        return open_team_project(self, url, review=review)

    def _save_to(self, path) -> bool:
        p = self.project
        if getattr(p, "team", None) is not None and os.fspath(path) == os.fspath(p.path):
            from smartgis.ui.dialogs.team_project import save_team_project   # conflicts: reload/merge/overwrite
            return save_team_project(self)
        task = self.run_task(self.tr("Saving {name}").format(name=p.name), p.save, os.fspath(path))
        task.wait()
        if task.exception is not None:
            return False
        self.add_recent(str(task.result))
        self._update_title()
        self.statusBar().showMessage(self.tr("Saved {path}").format(path=task.result), 5000)
        return True

    def close_project(self) -> bool:
        if not self.maybe_save():
            return False
        self.set_project(None)
        return True

    def maybe_save(self) -> bool:
        """Ask Save / Discard / Cancel when the project has unsaved changes; False = stop."""
        p = self.project
        if p is None or p.read_only or not p.is_modified:
            return True
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Warning)
        box.setWindowTitle(self.tr("Unsaved changes"))
        box.setText(self.tr("The project {name} has unsaved changes.").format(name=p.name))
        box.setInformativeText(self.tr("Save them before continuing?"))
        box.setStandardButtons(QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel)
        box.setDefaultButton(QMessageBox.Save)
        box.setObjectName("unsaved_changes_prompt")
        answer = box.exec()
        box.deleteLater()
        if answer == QMessageBox.Save:
            return self.save_project()
        return answer == QMessageBox.Discard

    # == recent files =================================================================================
    def recent_files(self) -> list[str]:
        value = QSettings().value(RECENT_KEY, [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or []) if v]

    def add_recent(self, path) -> None:
        path = os.path.abspath(os.fspath(path))
        files = [path] + [f for f in self.recent_files() if os.path.abspath(f) != path]
        QSettings().setValue(RECENT_KEY, files[:MAX_RECENT])

    def _fill_recent_menu(self) -> None:
        m = self.recent_menu
        m.clear()
        files = self.recent_files()
        for i, f in enumerate(files):
            act = m.addAction(f"&{i + 1}  {os.path.basename(f)}", lambda p=f: self.open_project(p))
            act.setToolTip(f)
            act.setStatusTip(f)
            act.setEnabled(os.path.exists(f))
        if files:
            m.addSeparator()
            m.addAction(self.tr("Clear list"), lambda: QSettings().setValue(RECENT_KEY, []))
        else:
            m.addAction(self.tr("(no recent projects)")).setEnabled(False)

    # == map ========================================================================================
    def zoom_full(self) -> None:
        self.canvas.zoom_full()

    def zoom_by(self, factor: float) -> None:
        """Zoom in by ``factor`` (> 1 in, < 1 out) about the centre of the map."""
        self.canvas.zoom_by(factor)

    def zoom_to_layer(self, layer) -> None:
        if layer is not None:
            self.canvas.zoom_to_layer(layer)

    def zoom_to_selection(self) -> None:
        self.canvas.zoom_to_selection()

    def set_all_visible(self, visible: bool) -> None:
        if self.project is None:
            return
        with self.project.tree.changed.blocked():
            for n in self.project.tree.walk():
                n.visible = visible
        self.project.tree.changed.emit("visibility")

    def toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def _on_render_finished(self, seconds: float, features: int) -> None:
        self.statusBar().show_render(seconds, features)
        self._first_render_done = True

    def _on_layer_error(self, layer_id: str, message: str) -> None:
        message = localize(message)
        self.layer_dock.model.set_layer_error(layer_id, message)
        name = self.project.layers[layer_id].name if self.project and layer_id in self.project.layers else layer_id
        self.statusBar().showMessage(self.tr("Layer {name} could not be drawn: {error}").format(
            name=name, error=message), 10000)

    # == layers ======================================================================================
    def _on_current_layer(self, layer) -> None:
        if self.table_dock.isVisible():
            self.table_dock.set_layer(layer)
        self._update_actions()
        self.current_layer_changed.emit(layer)

    def open_attribute_table(self, layer=None) -> None:
        layer = layer or self.current_layer()
        if not isinstance(layer, VectorLayer):
            self.statusBar().showMessage(self.tr("Choose a vector layer in the layer tree first."), 5000)
            return
        self.table_dock.show()
        self.table_dock.raise_()
        self.table_dock.set_layer(layer)

    def show_layer_properties(self, layer=None):
        """Open the properties dialog of a layer (window-modal); returns it (None if no layer)."""
        layer = layer or self.current_layer()
        if layer is None:
            return None
        from smartgis.ui.dialogs.layer_properties import LayerPropertiesDialog
        if isinstance(layer, VectorLayer) and layer.available and not layer.attributes_loaded and \
                layer.feature_count >= BACKGROUND_FEATURES:
            # classification reads the attributes: load them off the GUI thread first
            task = self.run_task(self.tr("Reading the attributes of {layer}").format(layer=layer.name),
                                 lambda progress=None: layer.table)
            task.wait()
            if task.exception is not None:
                return None
        dlg = LayerPropertiesDialog(layer, self.project, self)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.setWindowModality(Qt.WindowModal)
        dlg.open()
        return dlg

    # == selection and editing ===========================================================================
    def _selection_layer(self):
        layer = self.current_layer()
        return layer if isinstance(layer, VectorLayer) and layer.available else None

    def select_all(self) -> None:
        layer = self._selection_layer()
        if layer is not None:
            layer.select(np.arange(layer.feature_count))

    def invert_selection(self) -> None:
        layer = self._selection_layer()
        if layer is not None:
            layer.select(np.arange(layer.feature_count), mode="toggle")

    def deselect_all(self) -> None:
        if self.project is None:
            return
        for layer in self.project.vector_layers():
            if len(layer.selection):
                layer.select([])

    def delete_selected(self) -> bool:
        """Delete the selected features of the current layer (one undoable step)."""
        layer = self._selection_layer()
        if layer is None or self.read_only or not len(layer.selection):
            return False
        idx = layer.selection.copy()
        if isinstance(layer, ElementLayer) and "uid" in layer.table.field_names:
            uids = [layer.table.value(int(i), "uid") for i in idx]
            self.project.design.remove(uids)
        else:
            self.project.stack.push(DeleteFeatures(layer, idx))
        return True

    # == dialogs =====================================================================================
    def show_settings(self) -> None:
        from smartgis.ui.dialogs.settings import SettingsDialog
        dlg = SettingsDialog(self)
        if dlg.exec() == QDialog.Accepted and dlg.language_changed():
            self.statusBar().showMessage(self.tr("The new language applies when SmartGIS starts next."), 10000)
        dlg.deleteLater()

    def show_crs_details(self) -> None:
        if self.project is None:
            return
        from smartgis.ui.dialogs.crs_details import CrsDetailsDialog
        dlg = CrsDetailsDialog(self.project.crs, self)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.open()

    def show_about(self) -> None:
        QMessageBox.about(self, self.tr("About SmartGIS"), self.tr(
            "<b>SmartGIS {version}</b><p>Top-level design of smart cities: place sensors, networks and "
            "facilities on the map and check them against the standards.</p>").format(version=__version__))

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(action, shortcut) of every menu action that has a shortcut, in menu order."""
        rows, seen = [], set()

        def visit(menu: QMenu):
            for a in menu.actions():
                if a.menu() is not None:
                    visit(a.menu())
                elif a.shortcut() and not a.shortcut().isEmpty() and id(a) not in seen:
                    seen.add(id(a))
                    keys = ", ".join(s.toString(QKeySequence.NativeText) for s in a.shortcuts())
                    rows.append((a.text().replace("&", ""), keys))
        for m in self._menus.values():
            visit(m)
        return rows

    def show_shortcuts(self) -> None:
        dlg = QDialog(self)
        dlg.setWindowTitle(self.tr("Keyboard shortcuts"))
        rows = self.shortcut_rows()
        table = QTableWidget(len(rows), 2)
        table.setHorizontalHeaderLabels([self.tr("Action"), self.tr("Shortcut")])
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        for r, (name, keys) in enumerate(rows):
            table.setItem(r, 0, QTableWidgetItem(name))
            table.setItem(r, 1, QTableWidgetItem(keys))
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(dlg.reject)
        lay = QVBoxLayout(dlg)
        lay.addWidget(table)
        lay.addWidget(buttons)
        dlg.resize(460, 520)
        dlg.setAttribute(Qt.WA_DeleteOnClose)
        dlg.open()

    # == state ======================================================================================
    def _update_title(self) -> None:
        p = self.project
        if p is None:
            self.setWindowTitle("SmartGIS")
            return
        mark = "*" if (p.is_modified and not p.read_only) else ""
        review = " " + self.tr("[review, read-only]") if p.read_only else ""
        where = f" ({p.path})" if p.path else ""
        self.setWindowTitle(f"{mark}{p.name}{review}{where} — SmartGIS")

    def _update_actions(self) -> None:
        p = self.project
        has = p is not None
        writable = has and not p.read_only
        layer = self.current_layer() if has else None
        vector = isinstance(layer, VectorLayer)
        en = {
            "save": writable, "save_as": writable, "close_project": has,
            "zoom_full": has, "zoom_in": has, "zoom_out": has, "refresh": has,
            "zoom_layer": layer is not None, "zoom_selection": has, "attribute_table": vector,
            "layer_properties": layer is not None, "remove_layer": writable, "add_group": has,
            "show_all": has, "hide_all": has, "select_all": vector, "invert_selection": vector,
            "deselect_all": has, "delete_selected": writable and vector,
        }
        for key, on in en.items():
            self.actions_[key].setEnabled(bool(on))
        self.undo_stack.setActive(True)

    def _update_menu_visibility(self) -> None:
        """Hide menus nothing has been added to (design, analysis ... until their features load)."""
        for m in self._menus.values():
            m.menuAction().setVisible(bool(m.actions()))

    def eventFilter(self, obj, event):  # noqa: N802 - Qt API
        from PySide6.QtCore import QEvent
        if event.type() in (QEvent.ActionAdded, QEvent.ActionRemoved) and isinstance(obj, QMenu):
            QTimer.singleShot(0, self._update_menu_visibility)
        return super().eventFilter(obj, event)

    def _task_failed(self, exc, task) -> None:
        self.show_error(exc, task.title)

    def _task_cancelled(self, task) -> None:
        self.statusBar().showMessage(self.tr("{title}: cancelled; nothing was changed.").format(title=task.title),
                                     8000)

    # == window ======================================================================================
    def restore_layout(self) -> None:
        """Restore the dock and tool bar layout saved when the window last closed."""
        s = QSettings()
        geom, state = s.value("ui/geometry"), s.value("ui/window_state")
        if geom is not None:
            self.restoreGeometry(geom)
        if state is not None:
            self.restoreState(state)

    def closeEvent(self, event):  # noqa: N802 - Qt API
        if self.tasks.busy:
            if not self.confirm(self.tr("Work in progress"),
                                self.tr("Some work is still running. Cancel it and close?")):
                event.ignore()
                return
            self.tasks.cancel_all()
        if not self.maybe_save():
            event.ignore()
            return
        self.tasks.cancel_all()   # quiet background work (an autosave copy) stops unasked
        s = QSettings()
        s.setValue("ui/geometry", self.saveGeometry())
        s.setValue("ui/window_state", self.saveState())
        job = self.canvas.current_job()
        self.set_project(None)
        if job is not None:
            # a render thread must not outlive the widgets it reports to
            job.cancel()
            job.wait(5.0)
        event.accept()

    def wait_for_render(self, timeout_ms: int = 30000) -> bool:
        """Keep the event loop running until the map has been drawn once (or time runs out)."""
        from PySide6.QtCore import QEventLoop, QElapsedTimer
        if self.project is None:
            return True
        t = QElapsedTimer()
        t.start()
        while not self._first_render_done and t.elapsed() < timeout_ms:
            QApplication.processEvents(QEventLoop.AllEvents, 50)
        return self._first_render_done

    def save_screenshot(self, path) -> bool:
        """Save a PNG of the window once the map is drawn."""
        QApplication.processEvents()
        self.wait_for_render()
        QApplication.processEvents()
        return self.grab().save(str(path))
