"""The Design menu and tool bar, and the element palette.

Installs through the window's API:

* the **element palette** (a dock): the catalog's types by category with icons and
  Chinese and English names; choosing one starts placing it;
* the **design tools**: select, move, rotate (cameras), edit vertices — map tools in
  the window's tool group, so choosing one leaves pan or identify;
* **edits of the selection**: delete, copy, paste (Ctrl+C / Ctrl+V on the map), edit
  the attributes of many elements at once;
* **batch layout** (along lines, grid, intersections, connect to nearest), importing
  a catalog file of the project's own types, and snapping on/off.

Every edit goes through ``project.design`` and is one undo step; the window's undo
stack mirrors ``project.stack``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QCursor, QKeySequence
from PySide6.QtWidgets import QFileDialog

from smartgis.errors import UserError
from smartgis.ui import icons
from smartgis.ui.actions import new_action
from smartgis.ui.maptools.design import actions
from smartgis.ui.maptools.design.common import set_snapping, snapping_enabled
from smartgis.ui.maptools.design.edit import MoveTool, RotateTool, SelectTool, VertexTool
from smartgis.ui.maptools.design.palette import ElementPalette
from smartgis.ui.maptools.design.place import tool_for_type

#: Keys the active design tool takes before the window's shortcuts (Delete deletes
#: the selected *elements* of every design layer, not only the current layer's).
_TOOL_KEYS = {Qt.Key_Delete, Qt.Key_Backspace, Qt.Key_Escape, Qt.Key_Return, Qt.Key_Enter}


class DesignTools(QObject):
    """The design part of the window (one per window, ``window.design_tools``)."""

    def __init__(self, window):
        super().__init__(window)
        self.setObjectName("design_tools")
        self.window = window
        canvas = window.canvas
        self.canvas = canvas
        self.cursor_xy = None
        canvas.cursor_moved.connect(self._cursor_moved)
        self.tools = {"select": SelectTool(canvas, window), "move": MoveTool(canvas, window),
                      "rotate": RotateTool(canvas, window), "vertices": VertexTool(canvas, window)}
        self.place_tool = None

        # palette dock
        self.palette = ElementPalette()
        self.palette.chosen.connect(self.start_placing)
        self.dock = window.add_dock(self.palette, Qt.RightDockWidgetArea, self.tr("Design elements"))
        self.dock.setObjectName("dock_design_palette")
        #: Whether the palette was shown when a review began (None: not reviewing).
        self._palette_shown_before_review: bool | None = None

        # actions
        group = getattr(window, "map_tool_group", None)
        if group is None:
            group = QActionGroup(self)
            group.setExclusive(True)
        self.group = group
        self.actions: dict[str, QAction] = {}
        a = self._action
        self.place_action = a("place", self.tr("Place element"), icons.icon("design_palette"), checkable=True,
                              tip=self.tr("Place the type chosen in the element palette"))
        self.place_action.toggled.connect(self._place_toggled)
        a("select", self.tr("Select elements"), icons.icon("design_select"), checkable=True,
          tip=self.tr("Click or drag a box; Shift adds; Delete, Ctrl+C/V, Enter edits attributes"))
        a("move", self.tr("Move elements"), icons.icon("design_move"), checkable=True,
          tip=self.tr("Drag an element or the selection; snaps to other features"))
        a("rotate", self.tr("Rotate camera view"), icons.icon("design_rotate"), checkable=True,
          tip=self.tr("Drag the handle of a camera's view to turn its azimuth"))
        a("vertices", self.tr("Edit vertices"), icons.icon("design_vertices"), checkable=True,
          tip=self.tr("Drag, add (double-click an edge) and delete vertices of lines and areas"))
        for key in ("place", "select", "move", "rotate", "vertices"):
            group.addAction(self.actions[key])
        for key in ("select", "move", "rotate", "vertices"):
            self.actions[key].toggled.connect(lambda on, k=key: on and self.canvas.set_map_tool(self.tools[k]))
        a("delete", self.tr("Delete selected elements"), icons.icon("delete"),
          slot=lambda: actions.delete_selected(window), tip=self.tr("Delete the selected design elements"))
        a("copy", self.tr("Copy elements"), icons.icon("design_copy"), slot=lambda: actions.copy_selected(window),
          shortcut=QKeySequence.Copy, tip=self.tr("Copy the selected elements"))
        a("paste", self.tr("Paste elements"), icons.icon("design_paste"), slot=self.paste,
          shortcut=QKeySequence.Paste, tip=self.tr("Paste copied elements at the mouse position"))
        a("attributes", self.tr("Edit attributes of selected…"), icons.icon("design_attributes"),
          slot=lambda: actions.edit_attributes(window),
          tip=self.tr("Edit the attributes of every selected element at once"))
        a("batch", self.tr("Batch layout…"), icons.icon("design_batch"), slot=self.batch_layout,
          tip=self.tr("Place many elements along lines, on a grid, at intersections, or link them"))
        a("import_catalog", self.tr("Import element types…"), icons.icon("design_import_catalog"),
          slot=self.import_catalog, tip=self.tr("Add the types of a catalog file to this project"))
        snap = a("snapping", self.tr("Snapping"), icons.icon("design_snap"), checkable=True,
                 tip=self.tr("Snap to vertices and edges of visible layers (hold Shift to place freely)"))
        snap.setChecked(snapping_enabled())
        snap.toggled.connect(set_snapping)
        # copy and paste answer on the map only (the attribute table copies its cells)
        for key in ("copy", "paste"):
            self.actions[key].setShortcutContext(Qt.WidgetWithChildrenShortcut)
            canvas.addAction(self.actions[key])

        menu = window.menu("design")
        menu.addAction(self.dock.toggleViewAction())
        self.dock.toggleViewAction().setText(self.tr("Element palette"))
        menu.addSeparator()
        for key in ("place", "select", "move", "rotate", "vertices"):
            menu.addAction(self.actions[key])
        menu.addSeparator()
        for key in ("attributes", "copy", "paste", "delete"):
            menu.addAction(self.actions[key])
        menu.addSeparator()
        menu.addAction(self.actions["batch"])
        menu.addAction(self.actions["import_catalog"])
        menu.addSeparator()
        menu.addAction(self.actions["snapping"])
        tb = window.toolbar("design")
        for key in ("select", "move", "rotate", "vertices"):
            tb.addAction(self.actions[key])
        tb.addSeparator()
        for key in ("attributes", "copy", "paste", "delete"):
            tb.addAction(self.actions[key])
        tb.addSeparator()
        for key in ("batch", "snapping"):
            tb.addAction(self.actions[key])

        canvas.installEventFilter(self)
        window.project_changed.connect(self.on_project)
        self.on_project(window.project)

    def _action(self, key, text, icon=None, slot=None, shortcut=None, tip=None, checkable=False) -> QAction:
        act = new_action(self.window, f"action_design_{key}", text, slot, shortcut, icon, tip, checkable)
        self.actions[key] = act
        return act

    # -- project -------------------------------------------------------------------------
    def on_project(self, project) -> None:
        has = project is not None
        writable = has and not project.read_only
        self.palette.set_catalog(project.catalog if has else None)
        self.palette.setEnabled(writable)
        # a reviewer places nothing: the palette gives its place to the review panel, and
        # comes back as it was when a project is open for design again
        reviewing = has and project.read_only
        if reviewing and self._palette_shown_before_review is None:
            self._palette_shown_before_review = self.dock.isVisible() or not self.window.isVisible()
            self.dock.hide()
        elif not reviewing and self._palette_shown_before_review is not None:
            self.dock.setVisible(self._palette_shown_before_review)
            self._palette_shown_before_review = None
        for key in ("place", "move", "rotate", "vertices", "delete", "paste", "batch", "import_catalog"):
            self.actions[key].setEnabled(writable)
        for key in ("select", "copy", "attributes"):
            self.actions[key].setEnabled(has)
        if self.place_tool is not None:
            if self.canvas.map_tool() is self.place_tool:
                self.canvas.set_map_tool(None)
            self.place_tool = None
            self.place_action.setChecked(False)

    # -- placing -------------------------------------------------------------------------
    def start_placing(self, type_id: str, variant=None):
        """Make the placing tool of a type (and variant) the map tool; returns it."""
        p = self.window.project
        if p is None or p.read_only:
            return None
        try:
            tool = tool_for_type(self.canvas, self.window, type_id, variant)
        except UserError as exc:
            self.window.show_error(exc)
            return None
        old = self.place_tool
        self.place_tool = tool
        if self.place_action.isChecked():
            self.canvas.set_map_tool(tool)
        else:
            self.place_action.setChecked(True)   # sets the tool through _place_toggled
        if old is not None and old is not tool:
            old.deleteLater()
        self.place_action.setText(self.tr("Place {type}").format(type=tool.label))
        self.canvas.setFocus()
        return tool

    def _place_toggled(self, on: bool) -> None:
        if not on:
            return
        if self.place_tool is None:
            self.palette.search.setFocus()
            self.window.statusBar().showMessage(self.tr("Choose an element type in the palette first."), 5000)
            self.dock.show()
            return
        self.canvas.set_map_tool(self.place_tool)

    def stop_placing(self) -> None:
        """Leave placing (Esc): the select tool takes over."""
        self.actions["select"].setChecked(True)

    def activate(self, key: str):
        """Make one of the design tools active (``select``, ``move``, ``rotate``, ``vertices``)."""
        self.actions[key].setChecked(True)
        return self.tools[key]

    # -- edits ---------------------------------------------------------------------------
    def _cursor_moved(self, x: float, y: float) -> None:
        self.cursor_xy = (x, y)

    def paste(self):
        pos = self.canvas.mapFromGlobal(QCursor.pos())
        at = self.canvas.to_map(pos) if self.canvas.rect().contains(pos) else self.cursor_xy
        return actions.paste(self.window, at=at)

    def batch_layout(self, type_id=None, variant=None, dialog_hook=None):
        """Open the batch layout dialog; returns the new uids."""
        p = self.window.project
        if p is None or p.read_only:
            return []
        from smartgis.ui.maptools.design.batch_dialog import BatchLayoutDialog
        tool = self.place_tool
        dlg = BatchLayoutDialog(self.window, type_id or getattr(tool, "type_id", None),
                                variant if type_id else getattr(tool, "variant", None))
        if dialog_hook is not None:
            dialog_hook(dlg)
        try:
            if dlg.exec() != BatchLayoutDialog.Accepted:
                return []
            uids = dlg.result_uids
        finally:
            dlg.deleteLater()
        self.window.refresh_map()
        self.window.statusBar().showMessage(self.tr("Placed {n} elements (one undo step).").format(n=len(uids)), 8000)
        return uids

    def import_catalog(self, path=None) -> list[str]:
        p = self.window.project
        if p is None or p.read_only:
            return []
        if path is None:
            start = QSettings().value("design/catalog_dir", "")
            path, _ = QFileDialog.getOpenFileName(self.window, self.tr("Import element types"), start,
                                                  self.tr("Catalog files (*.json)"))
            if not path:
                return []
        try:
            ids = p.design.import_catalog(path)
        except UserError as exc:
            self.window.show_error(exc, self.tr("Import element types"))
            return []
        QSettings().setValue("design/catalog_dir", str(__import__("pathlib").Path(path).parent))
        self.palette.set_catalog(p.catalog)
        self.window.statusBar().showMessage(self.tr("Added element types: {ids}").format(ids=", ".join(ids)), 8000)
        return ids

    # -- keys ----------------------------------------------------------------------------
    def eventFilter(self, obj, event):  # noqa: N802 - Qt API
        if obj is self.canvas and event.type() == QEvent.ShortcutOverride:
            tool = self.canvas.map_tool()
            if tool is not None and tool in (*self.tools.values(), self.place_tool) and \
                    event.key() in _TOOL_KEYS and event.modifiers() in (Qt.NoModifier, Qt.KeypadModifier):
                event.accept()   # deliver it to the canvas, which hands it to the tool
                return True
        return False


def install(window) -> DesignTools:
    window.design_tools = DesignTools(window)
    return window.design_tools
