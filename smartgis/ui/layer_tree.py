"""The layer tree dock: a Qt view of the model's :class:`~smartgis.core.layertree.LayerTree`.

As in QGIS the tree itself is plain model objects (``project.tree``); this module is
only a view and a controller over it:

* check boxes set ``node.visible``; drag and drop is a :class:`~smartgis.core.edits.MoveNodes`;
* groups can be added, renamed, ungrouped and removed;
* a layer shows its symbol (and the classes of a categorized or graduated style as
  legend rows beneath it), a warning icon with the error as tooltip when it is
  unavailable or failed to draw;
* the context menu offers zoom to layer, attribute table, opacity, rename, remove
  and properties.

Renaming, removing, adding, ungrouping and moving are the model's named commands
(:mod:`smartgis.core.edits`) on ``project.stack``.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QByteArray, QMimeData, QModelIndex, QPointF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSlider,
    QStyle,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from smartgis.core.edits import (AddGroup, MoveNodes, RemoveNodes, RenameGroup, SetLayerProperties, Ungroup,
                                 is_ancestor, outermost)
from smartgis.core.layers import RasterLayer, VectorLayer
from smartgis.core.layertree import LayerTreeGroup, LayerTreeLayer
from smartgis.core.style import Symbol
from smartgis.errors import LayerError
from smartgis.ui.dialogs.widgets import svg_pixmap, to_qcolor

MIME_TYPE = "application/x-smartgis-layertree-nodes"
LAYER_ROLE = Qt.UserRole + 10
NODE_ROLE = Qt.UserRole + 11


# == icons ===================================================================================
def symbol_icon(symbol: Symbol, kind: str, size: int = 16) -> QIcon:
    """A legend icon drawn from a symbol: a patch, a line or a marker — an element
    type's SVG symbol when it has one, as the map draws it."""
    if kind == "point" and symbol.icon:
        svg = svg_pixmap(symbol.icon, size)
        if svg is not None:
            return QIcon(svg)
    pm = QPixmap(size, size)
    pm.fill(QColor(0, 0, 0, 0))
    p = QPainter(pm)
    p.setRenderHint(QPainter.Antialiasing)
    pen = QPen(to_qcolor(symbol.stroke))
    if kind == "line":
        pen.setWidthF(2.0)
        if symbol.dash == "dash":
            pen.setStyle(Qt.DashLine)
        elif symbol.dash == "dot":
            pen.setStyle(Qt.DotLine)
        p.setPen(pen)
        p.drawLine(QPointF(2, size - 3), QPointF(size - 2, 3))
    elif kind == "point":
        p.setPen(pen)
        p.setBrush(to_qcolor(symbol.fill))
        r = size * 0.32
        c = QPointF(size / 2, size / 2)
        if symbol.marker == "square":
            p.drawRect(int(c.x() - r), int(c.y() - r), int(2 * r), int(2 * r))
        elif symbol.marker in ("triangle", "diamond"):
            pts = [QPointF(c.x(), c.y() - r), QPointF(c.x() + r, c.y() + r * 0.8), QPointF(c.x() - r, c.y() + r * 0.8)]
            if symbol.marker == "diamond":
                pts = [QPointF(c.x(), c.y() - r), QPointF(c.x() + r, c.y()), QPointF(c.x(), c.y() + r),
                       QPointF(c.x() - r, c.y())]
            p.drawPolygon(QPolygonF(pts))
        else:
            p.drawEllipse(c, r, r)
    else:
        pen.setWidthF(1.0)
        p.setPen(pen)
        p.setBrush(to_qcolor(symbol.fill))
        p.drawRect(2, 3, size - 5, size - 6)
    p.end()
    return QIcon(pm)


def raster_icon(size: int = 16) -> QIcon:
    pm = QPixmap(size, size)
    pm.fill(QColor(0, 0, 0, 0))
    p = QPainter(pm)
    colors = ["#3d6b35", "#8cb369", "#f4e285", "#f4a259", "#bc4b51", "#5b8e7d", "#a7c957", "#e9c46a", "#6a994e"]
    step = (size - 2) / 3
    for i in range(3):
        for j in range(3):
            p.fillRect(int(1 + i * step), int(1 + j * step), int(step) + 1, int(step) + 1, QColor(colors[i * 3 + j]))
    p.setPen(QColor("#404040"))
    p.drawRect(1, 1, size - 3, size - 3)
    p.end()
    return QIcon(pm)


def _kind(layer) -> str:
    gt = (getattr(layer, "geometry_type", None) or "").lower()
    return "point" if "point" in gt else "line" if "line" in gt else "polygon"


# == model ===================================================================================
class LegendEntry:
    """A legend row under a layer: one class of a categorized or graduated style."""

    kind = "legend"

    def __init__(self, layer_node: LayerTreeLayer, row: int, label: str, symbol: Symbol):
        self.parent_node = layer_node
        self.row = row
        self.label = label
        self.symbol = symbol


class LayerTreeModel(QAbstractItemModel):
    """Item model over ``project.tree`` (one column).

    Signals
    -------
    rename_requested(node, name)
        Emitted instead of renaming directly so the controller can make it undoable.
    """

    # Model events arrive through these Qt signals: direct on the GUI thread, queued
    # when a model object changed on a worker thread (widgets only change on the GUI thread).
    _tree_event = Signal(str)
    _layers_event = Signal()
    _layer_event = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._tree_event.connect(self._on_tree)
        self._layers_event.connect(self._connect_layers)
        self._layer_event.connect(self._on_layer_changed)
        self.project = None
        self.errors: dict[str, str] = {}
        self._legend: dict[str, list[LegendEntry]] = {}
        self._batch = 0
        self._connected: list = []

    # -- project ---------------------------------------------------------------------------------
    def set_project(self, project) -> None:
        self.beginResetModel()
        self._disconnect()
        self.project = project
        self.errors.clear()
        if project is not None:
            project.tree.changed.connect(self._model_tree)
            project.layer_added.connect(self._model_layers)
            project.layer_removed.connect(self._model_layers)
            self._connect_layers()
        self._rebuild_legend()
        self.endResetModel()

    def _disconnect(self) -> None:
        p = self.project
        if p is None:
            return
        p.tree.changed.disconnect(self._model_tree)
        p.layer_added.disconnect(self._model_layers)
        p.layer_removed.disconnect(self._model_layers)
        for lyr in self._connected:
            lyr.changed.disconnect(self._model_layer)
        self._connected = []

    def _model_tree(self, what) -> None:
        self._tree_event.emit(str(what))

    def _model_layers(self, _layer=None) -> None:
        self._layers_event.emit()

    def _model_layer(self, what) -> None:
        self._layer_event.emit(str(what))

    def _connect_layers(self) -> None:
        for lyr in self._connected:
            lyr.changed.disconnect(self._model_layer)
        self._connected = list(self.project.layers.values()) if self.project else []
        for lyr in self._connected:
            lyr.changed.connect(self._model_layer)

    def _on_tree(self, what) -> None:
        if self._batch:
            return
        if what in ("visibility", "name"):
            self._emit_all_changed()
        else:
            self.reset()

    def _on_layer_changed(self, what) -> None:
        if what == "style":
            self.reset()  # the legend rows under the layer may change
        else:
            self._emit_all_changed()

    def reset(self) -> None:
        self.beginResetModel()
        self._rebuild_legend()
        self.endResetModel()

    def _emit_all_changed(self) -> None:
        def visit(parent: QModelIndex):
            n = self.rowCount(parent)
            if n:
                self.dataChanged.emit(self.index(0, 0, parent), self.index(n - 1, 0, parent))
                for r in range(n):
                    visit(self.index(r, 0, parent))
        visit(QModelIndex())

    def set_layer_error(self, layer_id: str, message: str | None) -> None:
        """Mark a layer that failed to draw (shown with a warning icon)."""
        if message:
            self.errors[layer_id] = message
        else:
            self.errors.pop(layer_id, None)
        self._emit_all_changed()

    def _rebuild_legend(self) -> None:
        self._legend = {}
        if self.project is None:
            return
        for node in self.project.tree.layer_nodes():
            lyr = self.project.layers.get(node.layer_id)
            if not isinstance(lyr, VectorLayer):
                continue
            st = lyr.style
            entries = []
            if st.renderer == "categorized":
                entries = [LegendEntry(node, i, c.label or str(c.value), c.symbol) for i, c in enumerate(st.categories)]
            elif st.renderer == "graduated":
                entries = [LegendEntry(node, i, r.label or f"{r.lower:g} – {r.upper:g}", r.symbol)
                           for i, r in enumerate(st.ranges)]
            if entries:
                self._legend[node.node_id] = entries

    # -- structure -------------------------------------------------------------------------------
    def node(self, index: QModelIndex):
        """The tree node (or legend entry) of an index; the root for an invalid index."""
        if not index.isValid():
            return self.project.tree if self.project is not None else None
        return index.internalPointer()

    def _children(self, node) -> list:
        if isinstance(node, LayerTreeGroup):
            return node.children
        if isinstance(node, LayerTreeLayer):
            return self._legend.get(node.node_id, [])
        return []

    def index(self, row, column, parent=QModelIndex()):  # noqa: B008 - Qt API
        if self.project is None or column != 0:
            return QModelIndex()
        children = self._children(self.node(parent))
        if 0 <= row < len(children):
            return self.createIndex(row, 0, children[row])
        return QModelIndex()

    def parent(self, index=QModelIndex()):  # noqa: B008 - Qt API
        if not index.isValid():
            return QModelIndex()
        node = index.internalPointer()
        par = node.parent_node if isinstance(node, LegendEntry) else node.parent
        if par is None or par is self.project.tree:
            return QModelIndex()
        return self.index_for(par)

    def index_for(self, node) -> QModelIndex:
        """The index of a tree node (invalid for the root or a node not in the tree)."""
        if self.project is None or node is None or node is self.project.tree:
            return QModelIndex()
        par = node.parent_node if isinstance(node, LegendEntry) else node.parent
        if par is None:
            return QModelIndex()
        siblings = self._children(par)
        try:
            row = siblings.index(node)
        except ValueError:
            return QModelIndex()
        return self.createIndex(row, 0, node)

    def index_for_layer(self, layer_id: str) -> QModelIndex:
        if self.project is None or not self.project.tree.has_layer(layer_id):
            return QModelIndex()
        return self.index_for(self.project.tree.node_for(layer_id))

    def rowCount(self, parent=QModelIndex()):  # noqa: N802, B008 - Qt API
        if self.project is None:
            return 0
        return len(self._children(self.node(parent)))

    def columnCount(self, parent=QModelIndex()):  # noqa: N802, B008 - Qt API
        return 1

    def layer(self, index: QModelIndex):
        node = self.node(index)
        if isinstance(node, LayerTreeLayer):
            return self.project.layers.get(node.layer_id)
        return None

    # -- data ------------------------------------------------------------------------------------
    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or self.project is None:
            return None
        node = index.internalPointer()
        if isinstance(node, LegendEntry):
            lyr = self.project.layers.get(node.parent_node.layer_id)
            if role == Qt.DisplayRole:
                return node.label
            if role == Qt.DecorationRole:
                return symbol_icon(node.symbol, _kind(lyr))
            return None
        if role == NODE_ROLE:
            return node
        if isinstance(node, LayerTreeGroup):
            if role in (Qt.DisplayRole, Qt.EditRole):
                return node.name
            if role == Qt.CheckStateRole:
                return Qt.Checked if node.visible else Qt.Unchecked
            if role == Qt.DecorationRole:
                return QApplication.style().standardIcon(QStyle.SP_DirIcon)
            if role == Qt.FontRole:
                f = QFont()
                f.setBold(True)
                return f
            return None
        lyr = self.project.layers.get(node.layer_id)
        if lyr is None:
            return None
        problem = (lyr.error or self.tr("unavailable")) if not lyr.available else self.errors.get(lyr.id)
        if role == LAYER_ROLE:
            return lyr
        if role in (Qt.DisplayRole, Qt.EditRole):
            return lyr.name
        if role == Qt.CheckStateRole:
            return Qt.Checked if node.visible else Qt.Unchecked
        if role == Qt.DecorationRole:
            if problem:
                return QApplication.style().standardIcon(QStyle.SP_MessageBoxWarning)
            if isinstance(lyr, RasterLayer):
                return raster_icon()
            if lyr.style.renderer != "single" and node.node_id in self._legend:
                return symbol_icon(Symbol(fill="#ffffff", stroke="#808080"), _kind(lyr))
            return symbol_icon(lyr.style.symbol, _kind(lyr))
        if role == Qt.ToolTipRole:
            return self._tooltip(lyr, problem)
        if role == Qt.ForegroundRole and problem:
            return QColor("#a03020")
        if role == Qt.FontRole and lyr.opacity < 1:
            f = QFont()
            f.setItalic(True)
            return f
        return None

    def _tooltip(self, lyr, problem: str | None) -> str:
        lines = [f"<b>{lyr.name}</b>"]
        if problem:
            lines.append(self.tr("Problem: {error}").format(error=problem))
        if isinstance(lyr, VectorLayer):
            lines.append(self.tr("{geometry}, {count} features").format(
                geometry=lyr.geometry_type or "?", count=f"{lyr.feature_count:,}" if lyr.available else "?"))
        else:
            lines.append(self.tr("Raster {width} × {height}, {bands} band(s)").format(
                width=lyr.info.get("width", "?"), height=lyr.info.get("height", "?"), bands=lyr.info.get("count", "?")))
        if lyr.crs:
            lines.append(lyr.crs if len(lyr.crs) < 40 else lyr.crs[:37] + "…")
        if lyr.opacity < 1:
            lines.append(self.tr("Opacity {percent} %").format(percent=int(round(lyr.opacity * 100))))
        return "<br>".join(lines)

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemIsDropEnabled
        node = index.internalPointer()
        if isinstance(node, LegendEntry):
            return Qt.ItemIsEnabled
        f = Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsUserCheckable | Qt.ItemIsEditable | Qt.ItemIsDragEnabled
        if isinstance(node, LayerTreeGroup):
            f |= Qt.ItemIsDropEnabled
        return f

    def setData(self, index, value, role=Qt.EditRole):  # noqa: N802 - Qt API
        if not index.isValid():
            return False
        node = index.internalPointer()
        if isinstance(node, LegendEntry):
            return False
        if role == Qt.CheckStateRole:
            node.visible = Qt.CheckState(value) == Qt.Checked if not isinstance(value, bool) else value
            return True
        if role == Qt.EditRole:
            name = str(value).strip()
            if not name:
                return False
            if isinstance(node, LayerTreeGroup):
                rename_group(self.project, node, name)
            else:
                try:
                    rename_layer(self.project, self.project.layers[node.layer_id], name)
                except LayerError:   # another layer has the name: the edit is refused
                    return False
            return True
        return False

    # -- drag and drop -----------------------------------------------------------------------------
    def supportedDropActions(self):  # noqa: N802 - Qt API
        return Qt.MoveAction

    def supportedDragActions(self):  # noqa: N802 - Qt API
        return Qt.MoveAction

    def mimeTypes(self):  # noqa: N802 - Qt API
        return [MIME_TYPE]

    def mimeData(self, indexes):  # noqa: N802 - Qt API
        ids = []
        for idx in indexes:
            node = idx.internalPointer() if idx.isValid() else None
            if node is not None and not isinstance(node, LegendEntry) and node.node_id not in ids:
                ids.append(node.node_id)
        md = QMimeData()
        md.setData(MIME_TYPE, QByteArray("\n".join(ids).encode()))
        return md

    def canDropMimeData(self, data, action, row, column, parent):  # noqa: N802 - Qt API
        return data.hasFormat(MIME_TYPE) and not isinstance(self.node(parent), LegendEntry)

    def dropMimeData(self, data, action, row, column, parent):  # noqa: N802 - Qt API
        if self.project is None or not data.hasFormat(MIME_TYPE):
            return False
        ids = bytes(data.data(MIME_TYPE)).decode().split("\n")
        target = self.node(parent)
        if isinstance(target, LegendEntry):
            return False
        if isinstance(target, LayerTreeLayer):  # dropped onto a layer: above it
            row = target.parent.children.index(target)
            target = target.parent
        if row < 0:
            row = 0
        nodes = {n.node_id: n for n in self.project.tree.walk()}
        moving = [nodes[i] for i in ids if i in nodes]
        # a group dropped together with its own children moves once, as a whole
        moving = [n for n in moving if not any(is_ancestor(m, n) for m in moving if m is not n)]
        return self.move_nodes(moving, target, row)

    def move_nodes(self, nodes: list, group: LayerTreeGroup, row: int) -> bool:
        """Move nodes under ``group`` starting at ``row`` (keeping their order): one undo
        step, one reset."""
        if not nodes or any(is_ancestor(n, group) or n is group for n in nodes):
            return False
        self._batch += 1
        try:
            self.project.stack.push(MoveNodes(self.project, nodes, group, row))
        finally:
            self._batch -= 1
        self.reset()
        return True

    def removeRows(self, row, count, parent=QModelIndex()):  # noqa: N802, B008 - Qt API
        # Moves are done in dropMimeData; the view must not delete the dragged rows.
        return False


# == undoable tree edits ========================================================================
# The window's tree edits are the model's named commands (smartgis.core.edits): the
# command line and scripts make the same change with the same undo text.
def rename_layer(project, layer, name: str) -> None:
    """Rename a layer (one undo step); :class:`LayerError` when another layer has the name."""
    project.rename_layer(layer, name)


def rename_group(project, group: LayerTreeGroup, name: str) -> None:
    if group.name != name:
        project.stack.push(RenameGroup(project, group, name))


def remove_nodes(project, nodes: list) -> None:
    """Remove layers and groups (with what they contain) as one undoable step."""
    if outermost(nodes):
        project.stack.push(RemoveNodes(project, nodes))


def ungroup(project, group: LayerTreeGroup) -> None:
    """Move a group's children up to its parent and drop the group (undoable)."""
    project.stack.push(Ungroup(project, group))


def add_group(project, name: str, parent: LayerTreeGroup | None = None, index: int = 0) -> LayerTreeGroup:
    """Add an empty group (undoable); returns it."""
    return project.stack.push(AddGroup(project, name, parent, index)).group


# == view and dock ================================================================================
class LayerTreeView(QTreeView):
    """The tree view: checkboxes, internal drag and drop, F2 rename, Del remove."""

    delete_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setDragDropMode(QAbstractItemView.InternalMove)
        self.setDefaultDropAction(Qt.MoveAction)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditKeyPressed | QAbstractItemView.SelectedClicked)
        self.setContextMenuPolicy(Qt.CustomContextMenu)
        self.setUniformRowHeights(True)
        self.setAnimated(False)

    def keyPressEvent(self, event):  # noqa: N802 - Qt API
        if event.key() == Qt.Key_Delete and self.state() != QAbstractItemView.EditingState:
            self.delete_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class LayerTreeDock(QDockWidget):
    """The "Layers" dock.  ``window`` provides the map actions (zoom, table, properties).

    Signals
    -------
    current_layer_changed(layer_or_None)
    """

    current_layer_changed = Signal(object)

    def __init__(self, window, parent=None):
        super().__init__(self.tr("Layers"), parent or window)
        self.setObjectName("LayersDock")
        self.window_ = window
        self.model = LayerTreeModel(self)
        self.view = LayerTreeView()
        self.view.setModel(self.model)
        self.toolbar = QToolBar()
        self.toolbar.setIconSize(self.toolbar.iconSize() * 0.8)
        st = QApplication.style()
        self.act_add_group = QAction(st.standardIcon(QStyle.SP_FileDialogNewFolder), self.tr("Add group"), self)
        self.act_expand = QAction(self.tr("Expand all"), self)
        self.act_collapse = QAction(self.tr("Collapse all"), self)
        self.act_remove = QAction(st.standardIcon(QStyle.SP_TrashIcon), self.tr("Remove"), self)
        self.act_remove.setToolTip(self.tr("Remove the selected layers or groups (Del)"))
        for a in (self.act_add_group, self.act_remove, self.act_expand, self.act_collapse):
            self.toolbar.addAction(a)
        self.act_add_group.triggered.connect(self.add_group)
        self.act_remove.triggered.connect(self.remove_selected)
        self.act_expand.triggered.connect(self.view.expandAll)
        self.act_collapse.triggered.connect(self.view.collapseAll)
        self.view.delete_requested.connect(self.remove_selected)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.expanded.connect(lambda idx: self._set_expanded(idx, True))
        self.view.collapsed.connect(lambda idx: self._set_expanded(idx, False))
        self.view.doubleClicked.connect(self._double_clicked)
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._restore_after_reset)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.toolbar)
        lay.addWidget(self.view)
        self.setWidget(box)
        self._saved_ids: list[str] = []
        self._saved_current: str | None = None
        self._current = None

    # -- project -------------------------------------------------------------------------------
    @property
    def project(self):
        return self.model.project

    def set_project(self, project) -> None:
        self.model.set_project(project)
        self._current = None
        if project is not None and project.tree.children:
            first = project.tree.layer_nodes()
            if first:
                self.view.setCurrentIndex(self.model.index_for(first[0]))
        self._emit_current()

    def _set_expanded(self, index, value: bool) -> None:
        node = self.model.node(index)
        if node is not None and hasattr(node, "expanded"):
            node.expanded = value

    def _remember_selection(self) -> None:
        sel = self.view.selectionModel()
        self._saved_ids = [self.model.node(i).node_id for i in sel.selectedRows()
                           if hasattr(self.model.node(i), "node_id")]
        cur = self.model.node(sel.currentIndex()) if sel.currentIndex().isValid() else None
        self._saved_current = getattr(cur, "node_id", None)

    def _restore_after_reset(self) -> None:
        if self.project is None:
            return
        from PySide6.QtCore import QItemSelection, QItemSelectionModel
        nodes = {n.node_id: n for n in self.project.tree.walk()}
        self.view.blockSignals(True)
        for n in nodes.values():
            idx = self.model.index_for(n)
            self.view.setExpanded(idx, bool(getattr(n, "expanded", True)))
        self.view.blockSignals(False)
        sel = QItemSelection()
        for nid in self._saved_ids:
            if nid in nodes:
                idx = self.model.index_for(nodes[nid])
                sel.select(idx, idx)
        sm = self.view.selectionModel()
        if self._saved_current in nodes:
            sm.setCurrentIndex(self.model.index_for(nodes[self._saved_current]), QItemSelectionModel.NoUpdate)
        sm.select(sel, QItemSelectionModel.ClearAndSelect)
        self._emit_current()

    def _current_changed(self, *_args) -> None:
        self._emit_current()

    def _emit_current(self) -> None:
        layer = self.current_layer()
        if layer is not self._current:
            self._current = layer
            self.current_layer_changed.emit(layer)

    # -- selection -------------------------------------------------------------------------------
    def current_layer(self):
        """The layer of the current row (a layer row or a legend row of a layer)."""
        if self.project is None:
            return None
        idx = self.view.currentIndex()
        node = self.model.node(idx) if idx.isValid() else None
        if isinstance(node, LegendEntry):
            node = node.parent_node
        if isinstance(node, LayerTreeLayer):
            return self.project.layers.get(node.layer_id)
        return None

    def set_current_layer(self, layer) -> None:
        idx = self.model.index_for_layer(layer.id)
        if idx.isValid():
            self.view.setCurrentIndex(idx)

    def selected_nodes(self) -> list:
        out = []
        for idx in self.view.selectionModel().selectedRows():
            node = self.model.node(idx)
            if isinstance(node, (LayerTreeLayer, LayerTreeGroup)):
                out.append(node)
        return out

    def selected_layers(self) -> list:
        return [self.project.layers[n.layer_id] for n in self.selected_nodes()
                if isinstance(n, LayerTreeLayer) and n.layer_id in self.project.layers]

    # -- actions -----------------------------------------------------------------------------------
    def add_group(self) -> LayerTreeGroup | None:
        if self.project is None:
            return None
        idx = self.view.currentIndex()
        node = self.model.node(idx) if idx.isValid() else None
        parent = node if isinstance(node, LayerTreeGroup) else self.project.tree
        group = add_group(self.project, self.tr("New group"), parent, 0)
        gidx = self.model.index_for(group)
        self.view.setCurrentIndex(gidx)
        if self.isVisible():
            self.view.edit(gidx)
        return group

    def remove_selected(self) -> None:
        if self.project is None or self.window_.read_only:
            return
        nodes = self.selected_nodes()
        if not nodes:
            return
        if not self.window_.confirm(self.tr("Remove layers"),
                                    self.tr("Remove {n} selected item(s) from the project? "
                                            "(Edit ▸ Undo brings them back.)").format(n=len(nodes))):
            return
        remove_nodes(self.project, nodes)

    def _double_clicked(self, index) -> None:
        layer = self.model.layer(index)
        if layer is not None:
            self.window_.show_layer_properties(layer)

    def _context_menu(self, pos) -> None:
        menu = self.build_context_menu(self.view.indexAt(pos))
        if menu is not None:
            menu.exec(self.view.viewport().mapToGlobal(pos))
            menu.deleteLater()

    def build_context_menu(self, index) -> QMenu | None:
        """The context menu for a row (a separate method so tests can inspect it)."""
        if self.project is None:
            return None
        menu = QMenu(self)
        node = self.model.node(index) if index.isValid() else None
        w = self.window_
        if isinstance(node, LayerTreeLayer):
            layer = self.project.layers.get(node.layer_id)
            menu.addAction(self.tr("Zoom to layer"), lambda: w.zoom_to_layer(layer))
            if isinstance(layer, VectorLayer):
                menu.addAction(self.tr("Open attribute table"), lambda: w.open_attribute_table(layer))
            menu.addSeparator()
            menu.addAction(self.opacity_action(layer, menu))
            menu.addAction(self.tr("Rename"), lambda: self.view.edit(index))
            act = menu.addAction(self.tr("Remove"), self.remove_selected)
            act.setEnabled(not w.read_only)
            menu.addSeparator()
            menu.addAction(self.tr("Properties…"), lambda: w.show_layer_properties(layer))
        elif isinstance(node, LayerTreeGroup):
            menu.addAction(self.tr("Rename"), lambda: self.view.edit(index))
            menu.addAction(self.tr("Add subgroup"), self.add_group)
            menu.addAction(self.tr("Ungroup"), lambda: ungroup(self.project, node))
            act = menu.addAction(self.tr("Remove group and its layers"), self.remove_selected)
            act.setEnabled(not w.read_only)
        else:
            menu.addAction(self.tr("Add group"), self.add_group)
            menu.addAction(self.tr("Expand all"), self.view.expandAll)
            menu.addAction(self.tr("Collapse all"), self.view.collapseAll)
        return menu

    def opacity_action(self, layer, parent) -> QWidgetAction:
        """A slider in the context menu changing the layer's opacity live; closing the
        menu makes the change one undo step (:class:`~smartgis.core.edits.SetLayerProperties`)."""
        act = QWidgetAction(parent)
        box = QWidget()
        lay = QHBoxLayout(box)
        lay.setContentsMargins(28, 2, 8, 2)
        lay.addWidget(QLabel(self.tr("Opacity")))
        slider = QSlider(Qt.Horizontal)
        slider.setRange(0, 100)
        slider.setValue(int(round(layer.opacity * 100)))
        value = QLabel(f"{slider.value()} %")
        value.setMinimumWidth(40)

        start = [layer.opacity]

        def changed(v):
            layer.opacity = v / 100.0   # the canvas recomposes from its cache
            value.setText(f"{v} %")

        def commit():
            # the slider changes the map live; where it stops is one undo step
            final = layer.opacity
            if final == start[0] or self.project is None or layer.id not in self.project.layers:
                return
            layer.opacity = start[0]
            self.project.stack.push(SetLayerProperties(self.project, layer, opacity=final))
            start[0] = final
        slider.valueChanged.connect(changed)
        if isinstance(parent, QMenu):
            parent.aboutToHide.connect(commit)
        lay.addWidget(slider, 1)
        lay.addWidget(value)
        act.setDefaultWidget(box)
        act.slider = slider
        act.commit = commit
        return act
