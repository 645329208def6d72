"""The layer tree: groups and layers, their order and visibility (no Qt).

As in QGIS, the first child of a group is drawn on top.  The widget in the window is a
view of this tree; the renderer asks it for :meth:`LayerTree.render_order`.
"""

from __future__ import annotations

import uuid
from typing import Iterator

from smartgis.core.events import Signal
from smartgis.errors import LayerError, UsageError
from smartgis.i18n import _


class LayerTreeNode:
    kind = "node"

    def __init__(self, *, visible: bool = True, expanded: bool = True, node_id: str | None = None):
        self.node_id = node_id or uuid.uuid4().hex[:12]
        self.parent: LayerTreeGroup | None = None
        self._visible = bool(visible)
        self.expanded = bool(expanded)

    @property
    def tree(self) -> "LayerTree | None":
        n = self
        while n.parent is not None:
            n = n.parent
        return n if isinstance(n, LayerTree) else None

    @property
    def visible(self) -> bool:
        return self._visible

    @visible.setter
    def visible(self, value: bool) -> None:
        value = bool(value)
        if value != self._visible:
            self._visible = value
            t = self.tree
            if t is not None:
                t.changed.emit("visibility")

    def is_visible(self) -> bool:
        """Visible itself and through every ancestor group."""
        n = self
        while n is not None:
            if not n._visible:
                return False
            n = n.parent
        return True


class LayerTreeLayer(LayerTreeNode):
    """A tree node pointing to a project layer by id."""

    kind = "layer"

    def __init__(self, layer_id: str, **kw):
        super().__init__(**kw)
        self.layer_id = layer_id

    def __repr__(self) -> str:
        return f"<LayerTreeLayer {self.layer_id} visible={self.visible}>"


class LayerTreeGroup(LayerTreeNode):
    """A named group of nodes."""

    kind = "group"

    def __init__(self, name: str, **kw):
        super().__init__(**kw)
        self.name = name
        self.children: list[LayerTreeNode] = []

    def insert(self, index: int, node: LayerTreeNode) -> LayerTreeNode:
        if node.parent is not None:
            node.parent.children.remove(node)
        index = max(0, min(index, len(self.children))) if index >= 0 else len(self.children)
        self.children.insert(index, node)
        node.parent = self
        t = self.tree
        if t is not None:
            t.changed.emit("structure")
        return node

    def add_group(self, name: str, index: int = -1) -> "LayerTreeGroup":
        return self.insert(index, LayerTreeGroup(name))

    def add_layer(self, layer_id: str, index: int = 0, visible: bool = True) -> LayerTreeLayer:
        return self.insert(index, LayerTreeLayer(layer_id, visible=visible))

    def remove(self, node: LayerTreeNode) -> None:
        self.children.remove(node)
        node.parent = None
        t = self.tree
        if t is not None:
            t.changed.emit("structure")

    def find_group(self, name: str) -> "LayerTreeGroup | None":
        for n in self.walk():
            if isinstance(n, LayerTreeGroup) and n.name == name:
                return n
        return None

    def walk(self) -> Iterator[LayerTreeNode]:
        """Every node below this group, depth first, top (drawn last) first."""
        for c in self.children:
            yield c
            if isinstance(c, LayerTreeGroup):
                yield from c.walk()

    def layer_nodes(self) -> list[LayerTreeLayer]:
        return [n for n in self.walk() if isinstance(n, LayerTreeLayer)]

    def __repr__(self) -> str:
        return f"<LayerTreeGroup {self.name!r} {len(self.children)} children>"


class LayerTree(LayerTreeGroup):
    """The root of a project's layer tree.

    Signals
    -------
    changed(what)
        ``"structure"`` (add/remove/move) or ``"visibility"``.
    """

    def __init__(self):
        self.changed = Signal()
        super().__init__("")

    @property
    def tree(self) -> "LayerTree":
        return self

    def node_for(self, layer_id: str) -> LayerTreeLayer:
        for n in self.walk():
            if isinstance(n, LayerTreeLayer) and n.layer_id == layer_id:
                return n
        raise LayerError(_("layer {layer!r} is not in the layer tree", layer=layer_id))

    def has_layer(self, layer_id: str) -> bool:
        return any(isinstance(n, LayerTreeLayer) and n.layer_id == layer_id for n in self.walk())

    def remove_layer(self, layer_id: str) -> None:
        node = self.node_for(layer_id)
        node.parent.remove(node)

    def move(self, node: LayerTreeNode, parent: LayerTreeGroup, index: int) -> None:
        """Move ``node`` under ``parent`` at ``index`` (drag and drop in the tree)."""
        p = parent
        while p is not None:
            if p is node:
                raise UsageError(_("a group cannot be moved into itself"))
            p = p.parent
        if node.parent is parent and parent.children.index(node) < index:
            index -= 1
        parent.insert(index, node)

    def layer_order(self) -> list[str]:
        """Layer ids from top (drawn last) to bottom."""
        return [n.layer_id for n in self.layer_nodes()]

    def render_order(self) -> list[str]:
        """Visible layer ids from bottom (drawn first) to top."""
        return [n.layer_id for n in reversed(self.layer_nodes()) if n.is_visible()]

    # -- storage -----------------------------------------------------------------------
    def to_rows(self) -> list[dict]:
        """Flat rows (node, parent, position) for the ``smartgis_layer_tree`` table."""
        rows = []

        def visit(group: LayerTreeGroup, parent_id: str | None):
            for pos, n in enumerate(group.children):
                rows.append({"node_id": n.node_id, "parent_id": parent_id, "position": pos,
                             "kind": n.kind, "name": getattr(n, "name", None),
                             "layer_id": getattr(n, "layer_id", None), "visible": int(n.visible),
                             "expanded": int(n.expanded)})
                if isinstance(n, LayerTreeGroup):
                    visit(n, n.node_id)

        visit(self, None)
        return rows

    @classmethod
    def from_rows(cls, rows: list[dict]) -> "LayerTree":
        tree = cls()
        nodes: dict[str, LayerTreeNode] = {}
        for r in rows:
            if r["kind"] == "group":
                n = LayerTreeGroup(r.get("name") or "", visible=bool(r["visible"]),
                                   expanded=bool(r["expanded"]), node_id=r["node_id"])
            else:
                n = LayerTreeLayer(r["layer_id"], visible=bool(r["visible"]),
                                   expanded=bool(r["expanded"]), node_id=r["node_id"])
            nodes[r["node_id"]] = n
        with tree.changed.blocked():
            for r in sorted(rows, key=lambda r: r["position"]):
                parent = nodes.get(r["parent_id"]) if r["parent_id"] else tree
                if not isinstance(parent, LayerTreeGroup):
                    parent = tree
                parent.insert(len(parent.children), nodes[r["node_id"]])
        return tree
