"""The named edit commands of a project: every undoable change of its layers and tree.

The window, the command line and scripts make a change by pushing one of these on
``project.stack``, so the same change is the same command with the same undo text
wherever it was made.  A command's :attr:`~smartgis.core.commands.Command.text` is a
message (:func:`smartgis.i18n._`): English for scripts and logs, shown in Chinese by
the window and by ``SMARTGIS_LANG=zh`` (catalogue ``messages/edits.json``).

Each command captures what it needs to go back when it is made, and does its work in
:meth:`redo` (called by :meth:`CommandStack.push <smartgis.core.commands.CommandStack.push>`),
so doing, undoing and redoing it leaves the model exactly as it was at each step.

Design elements have their own commands in :mod:`smartgis.core.design`.
"""

from __future__ import annotations

import numpy as np

from smartgis.core.commands import Command, MacroCommand
from smartgis.core.layertree import LayerTreeGroup, LayerTreeLayer, LayerTreeNode
from smartgis.errors import LayerError
from smartgis.i18n import _, join

#: How many names a "Remove …" text lists before it says "…".
NAMES_SHOWN = 3


def _names(names: list[str]):
    shown = [str(n) for n in names[:NAMES_SHOWN]]
    if len(names) > NAMES_SHOWN:
        shown.append("…")
    return join(shown)


def is_ancestor(a: LayerTreeNode, b: LayerTreeNode) -> bool:
    """True when node ``a`` is an ancestor of node ``b``."""
    p = b.parent
    while p is not None:
        if p is a:
            return True
        p = p.parent
    return False


def outermost(nodes) -> list[LayerTreeNode]:
    """``nodes`` without those inside another of them (a group taken whole takes its children)."""
    nodes = list(nodes)
    return [n for n in nodes if not any(m is not n and is_ancestor(m, n) for m in nodes)]


# == features and values ========================================================================
class DeleteFeatures(Command):
    """Delete rows of a vector layer; undo puts them back at the same rows with the same ids."""

    def __init__(self, layer, indices):
        self.layer = layer
        self.indices = np.unique(np.asarray(indices, dtype=np.int64))
        self.removed = None
        self.text = _("Delete {n} features of {layer}", n=len(self.indices), layer=layer.name)

    def redo(self) -> None:
        self.removed = self.layer.delete(self.indices)

    def undo(self) -> None:
        geoms, table, fids = self.removed
        self.layer.insert(self.indices, geoms, table, fids)


class SetValue(Command):
    """Set one attribute value of one row (the value is coerced to the field's type)."""

    def __init__(self, layer, row: int, field: str, value):
        self.layer, self.row, self.field = layer, int(row), field
        self.new = layer.table.field(field).coerce(value)
        self.old = layer.table.value(self.row, field)
        if isinstance(self.old, float) and self.old != self.old:
            self.old = None
        self.text = _("Edit {field} of feature {fid}", field=field, fid=int(layer.fids[self.row]))

    @property
    def changes(self) -> bool:
        """False when the value is the one the row holds already."""
        return self.old != self.new

    def redo(self) -> None:
        self.layer.set_value(self.row, self.field, self.new)

    def undo(self) -> None:
        self.layer.set_value(self.row, self.field, self.old)


# == layer properties ===========================================================================
def layer_state(layer, project=None) -> dict:
    """What :class:`SetLayerProperties` changes: name, opacity, role, its fields, style
    (labels included) and, in ``project``'s tree, visibility."""
    state = {"name": layer.name, "opacity": layer.opacity, "role": layer.role,
             "props": dict(layer.props or {}), "style": layer.style.copy()}
    if project is not None and project.tree.has_layer(layer.id):
        state["visible"] = project.tree.node_for(layer.id).visible
    return state


def _same_state(a: dict, b: dict) -> bool:
    return all(a.get(k) == b.get(k) for k in ("name", "opacity", "role", "props", "visible")) and \
        a["style"].to_dict() == b["style"].to_dict()


class SetLayerProperties(Command):
    """Change a layer's name, opacity, visibility, role (with its fields) and style in one step.

    Parameters
    ----------
    project : Project or None
        The project holding the layer (its tree holds the visibility); None for a
        loose layer.
    layer : Layer
    name, opacity, visible, style :
        New values; None leaves one as it is.
    role : str or None
        ``""`` leaves the role alone; None clears it.
    props : dict
        Updates the layer's properties (``{"population_field": "POP"}``); a None value
        removes one.  The layer checks the fields a role names when the command is done.
    """

    def __init__(self, project, layer, *, name=None, opacity=None, visible=None, role="", props=None,
                 style=None, text=None):
        self.project, self.layer = project, layer
        self.before = layer_state(layer, project)
        after = dict(self.before)
        if name is not None and str(name).strip():
            after["name"] = str(name).strip()
        if opacity is not None:
            after["opacity"] = min(1.0, max(0.0, float(opacity)))
        if visible is not None and "visible" in after:
            after["visible"] = bool(visible)
        if role != "":
            after["role"] = role
        if props:
            merged = dict(self.before["props"])
            for k, v in props.items():
                if v is None:
                    merged.pop(k, None)
                else:
                    merged[k] = v
            after["props"] = merged
        if style is not None:
            after["style"] = style.copy()
        self.after = after
        if text is None:
            differ = {k for k in ("name", "opacity", "role", "props", "visible") if after.get(k) != self.before.get(k)}
            if after["style"].to_dict() != self.before["style"].to_dict():
                differ.add("style")
            if differ and differ <= {"role", "props"}:
                # only the role (and its fields): named as the command line names it
                text = _("Set the role of {layer} to {role}", layer=self.before["name"], role=after["role"] or _("none"))
        self.text = text or _("Change properties of {layer}", layer=self.before["name"])

    @property
    def changes(self) -> bool:
        """False when every value is the one the layer has already (nothing to push)."""
        return not _same_state(self.before, self.after)

    def _apply(self, state: dict) -> None:
        lyr = self.layer
        if lyr.role != state["role"] or dict(lyr.props or {}) != state["props"]:
            old_props = dict(lyr.props or {})
            new = dict(state["props"])
            changed = {k: v for k, v in new.items() if old_props.get(k) != v}
            lyr.props = {k: v for k, v in new.items() if k not in changed}
            try:
                lyr.set_role(state["role"], **changed)   # checks the fields it is given
            except Exception:
                lyr.props = old_props
                raise
        lyr.name = state["name"]
        lyr.opacity = state["opacity"]
        if "visible" in state and self.project is not None and self.project.tree.has_layer(lyr.id):
            self.project.tree.node_for(lyr.id).visible = state["visible"]
        lyr.style = state["style"].copy()
        lyr.changed.emit("style")

    def redo(self) -> None:
        self._apply(self.after)

    def undo(self) -> None:
        self._apply(self.before)


class SetRole(SetLayerProperties):
    """Set the part a layer plays in the standards checks (None clears it), with the
    fields that role reads (``population_field``, ``use_field``, ``class_field``)."""

    def __init__(self, layer, role: str | None, project=None, **props):
        super().__init__(project, layer, role=role, props=props,
                         text=_("Set the role of {layer} to {role}", layer=layer.name, role=role or _("none")))



class RenameLayer(Command):
    """Rename a layer; names are unique in a project.

    Raises
    ------
    LayerError
        When made, if the name is empty or another layer has it.
    """

    def __init__(self, project, layer, name: str):
        name = str(name).strip()
        if not name:
            raise LayerError(_("a layer name cannot be empty"))
        if project is not None and name != layer.name and project.unique_layer_name(name, exclude=layer) != name:
            raise LayerError(_("there is a layer named {layer!r} already", layer=name))
        self.layer, self.old, self.new = layer, layer.name, name
        self.text = _("Rename layer {old} to {new}", old=self.old, new=name)

    def redo(self) -> None:
        self.layer.name = self.new

    def undo(self) -> None:
        self.layer.name = self.old


# == the layer tree =============================================================================
class RenameGroup(Command):
    def __init__(self, project, group: LayerTreeGroup, name: str):
        self.tree, self.group, self.old, self.new = project.tree, group, group.name, str(name)
        self.text = _("Rename group {old} to {new}", old=self.old, new=self.new)

    def _set(self, value: str) -> None:
        self.group.name = value
        self.tree.changed.emit("name")

    def redo(self) -> None:
        self._set(self.new)

    def undo(self) -> None:
        self._set(self.old)


class AddGroup(Command):
    """Add an empty group at ``index`` of ``parent`` (the tree's top by default)."""

    def __init__(self, project, name: str, parent: LayerTreeGroup | None = None, index: int = 0):
        self.parent = parent or project.tree
        self.index = index
        self.group = LayerTreeGroup(str(name))
        self.text = _("Add group {name}", name=self.group.name)

    def redo(self) -> None:
        self.parent.insert(self.index, self.group)

    def undo(self) -> None:
        self.parent.remove(self.group)


class RemoveLayer(Command):
    """Take one layer out of the project, remembering where it sat in the tree."""

    def __init__(self, project, layer):
        self.project, self.layer = project, layer
        self.text = _("Remove {names}", names=_names([layer.name]))
        self.node, self.group, self.index = None, None, 0

    def redo(self) -> None:
        p = self.project
        if p.tree.has_layer(self.layer.id):
            self.node = p.tree.node_for(self.layer.id)
            self.group, self.index = self.node.parent, self.node.parent.children.index(self.node)
        p.remove_layer(self.layer.id)
        # undo adds the layer again, and with it the project's watcher
        self.layer.changed.disconnect(p._on_layer_changed)

    def undo(self) -> None:
        self.project.add_layer(self.layer, self.group, self.index)
        if self.node is not None:
            # the very node it had (its id, visibility, expansion), not a new one
            fresh = self.project.tree.node_for(self.layer.id)
            fresh.parent.remove(fresh)
            self.group.insert(self.index, self.node)


class RemoveGroupNode(Command):
    """Take an (emptied) group out of its parent."""

    def __init__(self, group: LayerTreeGroup):
        self.group, self.parent = group, group.parent
        self.index = self.parent.children.index(group)
        self.text = _("Remove {names}", names=_names([group.name]))

    def redo(self) -> None:
        self.parent.remove(self.group)

    def undo(self) -> None:
        self.parent.insert(self.index, self.group)


class RemoveNodes(MacroCommand):
    """Remove layers and groups (with all they hold) as one step."""

    def __init__(self, project, nodes):
        nodes = outermost(nodes)
        names = [project.layers[n.layer_id].name if isinstance(n, LayerTreeLayer) else n.name for n in nodes]
        super().__init__(_("Remove {names}", names=_names(names)))
        self.project, self.nodes = project, nodes
        self._built = False

    def _build(self) -> None:
        # the steps are made when first done: a group's layers are those it holds then
        for n in self.nodes:
            layer_nodes = [n] if isinstance(n, LayerTreeLayer) else n.layer_nodes()
            steps = [RemoveLayer(self.project, self.project.layers[ln.layer_id]) for ln in layer_nodes]
            for s in steps:
                s.redo()
                self.children.append(s)
            if isinstance(n, LayerTreeGroup):
                s = RemoveGroupNode(n)
                s.redo()
                self.children.append(s)
        self._built = True

    def redo(self) -> None:
        if not self._built:
            self._build()
        else:
            super().redo()


def remove_layers(project, layers) -> RemoveNodes:
    """The command removing ``layers`` (layer objects or names) from ``project``."""
    nodes = [project.tree.node_for(project.layer(lyr).id) for lyr in layers]
    return RemoveNodes(project, nodes)


class Ungroup(Command):
    """Move a group's children up to its parent, where the group was, and drop the group."""

    def __init__(self, project, group: LayerTreeGroup):
        self.tree, self.group, self.parent = project.tree, group, group.parent
        self.index = self.parent.children.index(group)
        self.children = list(group.children)
        self.text = _("Ungroup {name}", name=group.name)

    def redo(self) -> None:
        for k, c in enumerate(self.children):
            self.tree.move(c, self.parent, self.index + 1 + k)
        self.parent.remove(self.group)

    def undo(self) -> None:
        self.parent.insert(self.index, self.group)
        for k, c in enumerate(self.children):
            self.tree.move(c, self.group, k)


class MoveNodes(Command):
    """Move tree nodes under ``group`` starting at ``row``, keeping their order (drag and drop)."""

    def __init__(self, project, nodes, group: LayerTreeGroup, row: int):
        self.tree = project.tree
        self.nodes = outermost(nodes)
        if any(n is group or is_ancestor(n, group) for n in self.nodes):
            raise LayerError(_("a group cannot be moved into itself"))
        self.group, self.row = group, max(0, int(row))
        self.where = [(n, n.parent, n.parent.children.index(n)) for n in self.nodes]
        names = [project.layers[n.layer_id].name if isinstance(n, LayerTreeLayer) else n.name
                 for n in self.nodes]
        self.text = _("Move {names}", names=_names(names))

    def redo(self) -> None:
        row = self.row
        for n in self.nodes:
            self.tree.move(n, self.group, row)
            row = self.group.children.index(n) + 1

    def undo(self) -> None:
        # put them back from the last taken, so every index is the one it had
        for n, _parent, _idx in self.where:
            n.parent.remove(n)
        for n, parent, idx in sorted(self.where, key=lambda w: (id(w[1]), w[2])):
            parent.insert(idx, n)
