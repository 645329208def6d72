"""The project: one top-level design with its layers, layer tree, design and settings.

A project is saved as one GeoPackage file (see :mod:`smartgis.project`).  This class
holds the model only; reading and writing the file is done by
:func:`smartgis.project.open_project` and :func:`smartgis.project.save_project`; an
opened or saved project keeps that store (``project.store``), so :meth:`Project.save`
writes it again without the model importing the file format.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from smartgis import contributions
from smartgis.core.catalog import Catalog, default_catalog
from smartgis.core.commands import CommandStack
from smartgis.core.edits import RenameLayer, SetLayerProperties, SetRole, remove_layers
from smartgis.core.design import Design, ElementLayer
from smartgis.core.events import Signal
from smartgis.core.layers import Layer, RasterLayer, VectorLayer
from smartgis.core.layertree import LayerTree, LayerTreeGroup
from smartgis.crs import crs_to_string, require_projected_metres
from smartgis.errors import LayerError, ReadOnlyProjectError, UsageError
from smartgis.geometry.extent import union_bounds
from smartgis.i18n import _

#: Metadata keys every project has (all strings, may be empty).
METADATA_KEYS = ("institute", "designer", "reviewer", "city", "district", "client", "sheet_prefix",
                 "created", "modified")

DESIGN_GROUP = {"zh": "设计方案", "en": "Design"}


def _now() -> str:
    from smartgis.core.times import now_utc
    return now_utc()


class Project:
    """A top-level design.

    Parameters
    ----------
    name : str
        Project name (Chinese is fine).
    crs : str
        A projected CRS in metres: ``EPSG:4547`` (CGCS2000 / 3-degree Gauss-Kruger CM
        114E), another Gauss-Kruger zone, UTM, or a local grid as WKT/PROJ text.
    description : str, optional
    metadata : dict, optional
        ``institute``, ``designer``, ``reviewer``, ``city`` ... (see :data:`METADATA_KEYS`).
    catalog : Catalog, optional
        Element types; the built-in catalog by default.

    Attributes
    ----------
    layers : dict
        Layers by id, in the order they were added (the tree gives drawing order).
    tree : LayerTree
    design : Design
    stack : CommandStack
        Undo history of edits.
    settings : dict
        Free, JSON-serialisable settings (``language``, check options ...).
    path : Path or None
        The file the project was opened from or last saved to.
    read_only : bool
        True for review sessions: :meth:`save` refuses.

    Examples
    --------
    >>> p = Project("光谷新区", "EPSG:4547")
    >>> p.crs
    'EPSG:4547'
    """

    def __init__(self, name: str = "未命名项目", crs: str = "EPSG:4547", *, description: str = "",
                 metadata: dict | None = None, catalog: Catalog | None = None,
                 settings: dict | None = None):
        self.name = str(name)
        self.crs = crs_to_string(require_projected_metres(crs))
        self.description = description
        self.metadata: dict = {k: "" for k in METADATA_KEYS}
        self.metadata["created"] = _now()
        self.metadata.update(metadata or {})
        self.settings: dict = {"language": "zh"}
        self.settings.update(settings or {})
        self.catalog = catalog or default_catalog()
        self.layers: dict[str, Layer] = {}
        self.tree = LayerTree()
        self.stack = CommandStack()
        self.design = Design(self)
        self.path: Path | None = None
        self.read_only = False
        #: What writes the project to its file, ``store(project, path, progress=...)``:
        #: given by the project file API when the project is opened or saved, so that the
        #: model needs no import of the file format.
        self.store = None
        #: Format version of the file the project was read from (None for a new project).
        self.file_format_version: int | None = None
        #: Where the tables of layers that were not loaded are read from (the project
        #: file, or a migrated temporary copy of it).
        self.base_path: Path | None = None
        #: Extra SmartGIS tables other parts keep in the file (check runs, comments ...),
        #: name → rows; written back unchanged unless their owner changed them.
        self.extra_tables: dict[str, list[dict]] = {}
        #: The rows of ``extra_tables`` as the file had them when it was opened or last
        #: saved: a save writes back only the tables whose rows changed.
        self.extra_tables_read: dict[str, list[dict]] = {}
        self._meta_dirty = False
        #: Layer data changed outside the undo history (an import, a script's set_data).
        self._data_dirty = False
        self.layer_added = Signal()
        self.layer_removed = Signal()
        self.modified_changed = Signal()
        self.metadata_changed = Signal()
        self.stack.changed.connect(self._on_stack)
        self.tree.changed.connect(self._on_tree)

    # -- identity ----------------------------------------------------------------------
    @property
    def language(self) -> str:
        return self.settings.get("language", "zh")

    def set_metadata(self, **values) -> None:
        """Change name, description or metadata keys; marks the project modified."""
        for k, v in values.items():
            if k == "name":
                self.name = str(v)
            elif k == "description":
                self.description = str(v)
            else:
                self.metadata[k] = "" if v is None else str(v)
        self._set_meta_dirty()
        self.metadata_changed.emit()

    def _set_meta_dirty(self) -> None:
        if self.stack.executing:
            return  # an undoable edit: the history's clean mark says whether it is saved
        was = self.is_modified
        self._meta_dirty = True
        if not was:
            self.modified_changed.emit(True)

    def _on_stack(self) -> None:
        self.modified_changed.emit(self.is_modified)

    def _on_tree(self, what) -> None:
        self._set_meta_dirty()

    @property
    def is_modified(self) -> bool:
        """True when the project differs from the file it was last saved to.

        Edits made through the undo history count while the history is away from
        the state last saved (placing an element and undoing it leaves the project
        unmodified); other changes count until the next save.
        """
        return self._meta_dirty or self._data_dirty or not self.stack.is_clean

    def mark_saved(self, path: Path) -> None:
        self.path = Path(path)
        self.base_path = Path(path)
        self._meta_dirty = self._data_dirty = False
        for lyr in self.layers.values():
            if isinstance(lyr, VectorLayer):
                lyr.dirty = False
        self.stack.set_clean()
        self.modified_changed.emit(False)

    # -- layers ------------------------------------------------------------------------
    def add_layer(self, layer: Layer, group: LayerTreeGroup | str | None = None, index: int = 0) -> Layer:
        """Add a layer at the top of the tree (or of ``group``)."""
        if layer.id in self.layers:
            raise LayerError(_("layer {layer!r} is in the project already", layer=layer.name))
        # names are unique: commands and checks find a layer by its name
        layer.name = self.unique_layer_name(layer.name)
        if isinstance(layer, VectorLayer):
            if not layer.table_name:
                layer.table_name = self.unique_table_name(layer.name)
            elif layer.table_name in self.table_names():
                if isinstance(layer, ElementLayer):
                    raise LayerError(_("the design has a {type!r} layer already", type=layer.type_id))
                layer.table_name = self.unique_table_name(layer.table_name)
        if isinstance(group, str):
            group = self.tree.find_group(group) or self.tree.add_group(group, 0)
        self.layers[layer.id] = layer
        if isinstance(layer, ElementLayer) and layer.type_id not in self.design.layers:
            self.design.attach(layer)
        (group or self.tree).add_layer(layer.id, index)
        layer.changed.connect(self._on_layer_changed)
        self.layer_added.emit(layer)
        self._set_meta_dirty()
        return layer

    def _on_layer_changed(self, what) -> None:
        if what in ("name", "style", "opacity", "role"):
            self._set_meta_dirty()
        elif what in ("data", "attributes") and not self.stack.executing:
            was = self.is_modified
            self._data_dirty = True
            if not was:
                self.modified_changed.emit(True)

    def remove_layer(self, key) -> Layer:
        lyr = self.layer(key)
        if self.tree.has_layer(lyr.id):
            self.tree.remove_layer(lyr.id)
        del self.layers[lyr.id]
        if isinstance(lyr, ElementLayer):
            self.design.detach(lyr.type_id)
        self.layer_removed.emit(lyr)
        self._set_meta_dirty()
        return lyr

    def layer(self, key) -> Layer:
        """A layer by id, name, table name or (a design layer) element type.

        Raises
        ------
        LayerError
            With the list of layer names when nothing matches.
        """
        if isinstance(key, Layer):
            return key
        if key in self.layers:
            return self.layers[key]
        named = [lyr for lyr in self.layers.values() if lyr.name == key]
        if len(named) > 1:   # a project written before names were unique
            raise LayerError(_("several layers are named {layer!r}; give its table ({tables}) or rename one with "
                               "'smartgis layer PROJECT LAYER --rename NEW'", layer=key,
                               tables=", ".join(str(getattr(lyr, "table_name", None) or lyr.id) for lyr in named)))
        if named:
            return named[0]
        for lyr in self.layers.values():
            if getattr(lyr, "table_name", None) == key:
                return lyr
        if key in self.design.layers:   # a design layer by its element type (camera …)
            return self.design.layers[key]
        names = ", ".join(repr(lyr.name) for lyr in self.layers.values()) or "none"
        raise LayerError(_("no layer {layer!r} in the project (layers: {layers})", layer=key, layers=names))

    def ordered_layers(self) -> list[Layer]:
        """Layers in tree order, top first; layers missing from the tree come last."""
        order = [self.layers[i] for i in self.tree.layer_order() if i in self.layers]
        seen = {lyr.id for lyr in order}
        return order + [lyr for lid, lyr in self.layers.items() if lid not in seen]

    def vector_layers(self) -> Iterator[VectorLayer]:
        return (lyr for lyr in self.ordered_layers() if isinstance(lyr, VectorLayer))

    def raster_layers(self) -> Iterator[RasterLayer]:
        return (lyr for lyr in self.ordered_layers() if isinstance(lyr, RasterLayer))

    def layers_with_role(self, role: str) -> list[Layer]:
        return [lyr for lyr in self.ordered_layers() if lyr.role == role]

    def table_names(self) -> set[str]:
        return {t for t in (getattr(lyr, "table_name", None) for lyr in self.layers.values()) if t}

    def unique_layer_name(self, name: str, exclude=None) -> str:
        """``name``, or ``name_2``, ``name_3`` … when another layer (not ``exclude``) has it."""
        taken = {lyr.name for lyr in self.layers.values() if lyr is not exclude}
        if name not in taken:
            return name
        k = 2
        while f"{name}_{k}" in taken:
            k += 1
        return f"{name}_{k}"

    def rename_layer(self, key, name: str) -> Layer:
        """Rename a layer (one undo step: :class:`~smartgis.core.edits.RenameLayer`).

        Raises
        ------
        LayerError
            When the name is empty or another layer has it.
        """
        lyr = self.layer(key)
        cmd = RenameLayer(self, lyr, name)
        if cmd.new != lyr.name:
            self.stack.push(cmd)
        return lyr

    def set_layer_role(self, key, role: str | None, **props) -> Layer:
        """Set the role a layer plays in the checks, with the fields it reads (one undo
        step: :class:`~smartgis.core.edits.SetRole`); None clears the role.

        Raises
        ------
        UsageError
            For an unknown role, or a field the layer does not have (or a text field as population).
        """
        lyr = self.layer(key)
        cmd = SetRole(lyr, role, self, **props)
        if cmd.changes:
            self.stack.push(cmd)
        return lyr

    def set_layer_properties(self, key, **changes) -> bool:
        """Change a layer's name, opacity, visibility, role, properties or style as one undo
        step (:class:`~smartgis.core.edits.SetLayerProperties`); False when nothing changed."""
        cmd = SetLayerProperties(self, self.layer(key), **changes)
        if not cmd.changes:
            return False
        self.stack.push(cmd)
        return True

    def remove_layers(self, keys) -> None:
        """Remove layers (names, ids or layer objects) as one undo step
        (:class:`~smartgis.core.edits.RemoveNodes`)."""
        self.stack.push(remove_layers(self, [self.layer(k) for k in keys]))

    def unique_table_name(self, name: str) -> str:
        from smartgis.core.names import table_name_for
        return table_name_for(name, self.table_names())

    def design_group(self) -> LayerTreeGroup:
        name = DESIGN_GROUP.get(self.language, DESIGN_GROUP["en"])
        for n in self.tree.children:
            if isinstance(n, LayerTreeGroup) and n.name in DESIGN_GROUP.values():
                return n
        return self.tree.add_group(name, 0)

    @property
    def extent(self) -> tuple[float, float, float, float] | None:
        """Union of the extents of every layer (in the project CRS)."""
        return self.layers_extent(self.layers.values())

    def layers_extent(self, layers) -> tuple[float, float, float, float] | None:
        """Union of the extents of ``layers`` in the project CRS (None when none has data).

        A layer whose extent cannot be brought into the project CRS is left out.
        """
        from smartgis.crs import same_crs, transform_bounds
        exts = []
        for lyr in layers:
            e = lyr.extent
            if not e:
                continue
            if lyr.crs and not same_crs(lyr.crs, self.crs):
                try:
                    e = transform_bounds(e, lyr.crs, self.crs)
                except Exception:  # an odd raster CRS must not break "zoom to full"
                    continue
            exts.append(e)
        return union_bounds(exts)

    # -- files -------------------------------------------------------------------------
    def save(self, path: str | os.PathLike | None = None, progress=None) -> Path:
        """Save atomically to ``path`` (default: where it was opened from).

        The model does not know the file format: the project file API
        (:func:`smartgis.project.open_project` / :func:`smartgis.project.save_project`)
        gives an opened or saved project its ``store``, which this calls.  A new project
        uses the session's store (:mod:`smartgis.contributions`, set by
        :func:`smartgis.session.start`); in a bare script, save it the first time with
        ``save_project(project, path)``.
        """
        if self.read_only:
            raise ReadOnlyProjectError(_("the project is open read-only (review mode)"), self.path)
        store = self.store or contributions.current().store
        if store is None:
            raise UsageError(_("a new project is saved the first time with "
                               "smartgis.project.save_project(project, path)"), path or self.name)
        return store(self, path, progress=progress)

    def __repr__(self) -> str:
        return f"<Project {self.name!r} {self.crs} {len(self.layers)} layers>"
