"""The design: the sensors, networks and facilities a designer places.

Elements of one type live in one :class:`ElementLayer` (a vector layer whose schema
comes from the catalog, stored as the feature table ``design_<type>``).  Every edit
made through :class:`Design` is a command on the project's undo stack.

Examples
--------
>>> from smartgis.core import Project
>>> p = Project("示例", "EPSG:4547")
>>> uid = p.design.add("camera", (521600, 3382000), azimuth=45)
>>> p.design.counts()
{'camera': 1}
>>> p.stack.undo(); p.design.counts()
True
{}
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

import numpy as np
import shapely

from smartgis.core.catalog import ElementType
from smartgis.core.commands import Command
from smartgis.core.events import Signal
from smartgis.core.fields import Field
from smartgis.core.layers import VectorLayer
from smartgis.core.style import Symbol, VectorStyle
from smartgis.core.table import AttributeTable
from smartgis.errors import CatalogError, LayerError, UsageError

if TYPE_CHECKING:  # pragma: no cover
    from smartgis.core.project import Project

UID_FIELD = Field("uid", "str", alias={"zh": "元素编号", "en": "Element id"})


def new_uids(n: int) -> list[str]:
    return [uuid.uuid4().hex[:16] for _ in range(n)]


def style_for_type(t: ElementType) -> VectorStyle:
    """Default map style of an element type: its colour and icon."""
    if t.geometry == "Point":
        sym = Symbol(fill=t.color, stroke="#ffffff", stroke_width=0.3, size=3.2,
                     icon=str(t.icon_path()) if t.icon else None)
    elif t.geometry == "LineString":
        sym = Symbol(fill="#00000000", stroke=t.color, stroke_width=0.7)
    else:
        sym = Symbol(fill=t.color + "66", stroke=t.color, stroke_width=0.5)
    return VectorStyle(symbol=sym)


class ElementLayer(VectorLayer):
    """The elements of one catalog type.

    The attribute table has a ``uid`` column (a stable element id, used by links,
    review comments and undo) followed by the type's schema.
    """

    kind = "design"

    def __init__(self, element_type: ElementType, name: str | None = None, **kw):
        self.element_type = element_type
        kw.setdefault("geometry_type", element_type.geometry)
        kw.setdefault("table_name", f"design_{element_type.id}")
        kw.setdefault("style", style_for_type(element_type))
        super().__init__(name or element_type.label("zh"), **kw)
        self._fields = [UID_FIELD] + [Field.from_dict(f.to_dict()) for f in element_type.attributes]
        self._uid_index: dict[str, int] | None = None
        self._uid_version = -1

    @property
    def type_id(self) -> str:
        return self.element_type.id

    def index_of(self, uid: str) -> int | None:
        if self._uid_index is None or self._uid_version != self.version:
            self._uid_index = {u: i for i, u in enumerate(self.table.column("uid").tolist())}
            self._uid_version = self.version
        return self._uid_index.get(uid)

    def uids(self) -> list[str]:
        return self.table.column("uid").tolist()

    def ensure_fields(self) -> None:
        """Add columns for attributes the catalog gained since the layer was saved."""
        have = set(self.table.field_names)
        for f in [UID_FIELD] + list(self.element_type.attributes):
            if f.name not in have:
                self.table.add_field(Field.from_dict(f.to_dict()))

    def definition(self) -> dict:
        d = super().definition()
        d["element_type"] = self.element_type.id
        return d


@dataclass
class Element:
    """One element as plain values (a copy, not a live view)."""

    uid: str
    type_id: str
    geometry: object
    attributes: dict


# -- commands ---------------------------------------------------------------------------
class AddElements(Command):
    def __init__(self, layer: ElementLayer, geoms: np.ndarray, table: AttributeTable, text: str):
        self.layer, self.geoms, self.rows, self.text = layer, geoms, table, text
        self.n_before = 0

    def redo(self) -> None:
        self.n_before = self.layer.feature_count
        self.layer.append(self.geoms, self.rows.copy())

    def undo(self) -> None:
        self.layer.truncate(self.n_before)


class RemoveElements(Command):
    def __init__(self, layer: ElementLayer, indices: np.ndarray, text: str):
        self.layer, self.indices, self.text = layer, np.sort(np.asarray(indices, dtype=np.int64)), text
        self.removed = None

    def redo(self) -> None:
        self.removed = self.layer.delete(self.indices)

    def undo(self) -> None:
        geoms, table, fids = self.removed
        self.layer.insert(self.indices, geoms, table, fids)


class SetAttributes(Command):
    def __init__(self, layer: ElementLayer, indices: np.ndarray, values: dict, text: str):
        self.layer, self.indices, self.values, self.text = layer, np.asarray(indices), values, text
        self.old = {name: [layer.table.value(int(i), name) for i in self.indices] for name in values}

    def redo(self) -> None:
        for name, v in self.values.items():
            for i in self.indices:
                self.layer.table.set_value(int(i), name, v)
        self.layer.version += 1
        self.layer.dirty = True
        self.layer.changed.emit("attributes")

    def undo(self) -> None:
        for name, olds in self.old.items():
            for i, v in zip(self.indices, olds):
                self.layer.table.set_value(int(i), name, v)
        self.layer.version += 1
        self.layer.dirty = True
        self.layer.changed.emit("attributes")


class SetGeometries(Command):
    def __init__(self, layer: ElementLayer, indices, geoms, text: str):
        self.layer, self.indices, self.text = layer, np.asarray(indices, dtype=np.int64), text
        self.new = np.asarray(geoms, dtype=object)
        self.old = layer.geometries[self.indices].copy()

    def _set(self, geoms) -> None:
        g = self.layer.geometries
        g[self.indices] = geoms
        self.layer._changed()

    def redo(self) -> None:
        self._set(self.new)

    def undo(self) -> None:
        self._set(self.old)


# -- the design -------------------------------------------------------------------------
class Design:
    """The elements of a project, by type, with undoable edits.

    Signals
    -------
    changed(type_id)
        After any edit of the elements of that type (also on undo/redo).
    """

    def __init__(self, project: "Project"):
        self.project = project
        self.layers: dict[str, ElementLayer] = {}
        self.changed = Signal()

    @property
    def catalog(self):
        return self.project.catalog

    # -- layers ------------------------------------------------------------------------
    def layer(self, type_id: str, create: bool = True) -> ElementLayer:
        """The element layer of a type, created (empty) on first use."""
        if type_id in self.layers:
            return self.layers[type_id]
        t = self.catalog.get(type_id)
        if not create:
            raise LayerError(f"the design has no {type_id!r} elements")
        lyr = ElementLayer(t, name=t.label(self.project.language))
        lyr.crs = self.project.crs
        lyr.set_data(np.empty(0, dtype=object), AttributeTable(lyr._fields, length=0))
        self.attach(lyr)
        self.project.add_layer(lyr, group=self.project.design_group())
        return lyr

    def attach(self, lyr: ElementLayer) -> None:
        """Register an element layer (new, or read from a project file)."""
        self.layers[lyr.type_id] = lyr
        lyr.changed.connect(lambda what, tid=lyr.type_id: self.changed.emit(tid))

    def detach(self, type_id: str) -> None:
        self.layers.pop(type_id, None)

    # -- editing -----------------------------------------------------------------------
    def _check_geometry(self, t: ElementType, geoms: np.ndarray) -> np.ndarray:
        out = np.empty(len(geoms), dtype=object)
        for i, g in enumerate(geoms):
            if not isinstance(g, shapely.Geometry):
                if t.geometry == "Point":
                    try:
                        g = shapely.Point(float(g[0]), float(g[1]))
                    except (TypeError, ValueError, IndexError):
                        raise UsageError(f"{t.id}: {g!r} is not a point (give x, y)") from None
                elif t.geometry == "LineString":
                    g = shapely.LineString(g)
                else:
                    g = shapely.Polygon(g)
            out[i] = g
        kinds = set(shapely.get_type_id(out).tolist()) if len(out) else set()
        want = {"Point": {0}, "LineString": {1, 2}, "Polygon": {3}}[t.geometry]
        if kinds - want:
            raise UsageError(f"{t.id} elements are {t.geometry}s; got "
                             f"{sorted({g.geom_type for g in out if shapely.get_type_id(g) not in want})}")
        if len(out) and shapely.is_empty(out).any():
            raise UsageError(f"{t.id}: empty geometries cannot be placed")
        return out

    def _rows(self, t: ElementType, n: int, rows: Sequence[dict] | None, attrs: dict) -> AttributeTable:
        valid = {f.name for f in t.attributes}
        unknown = set(attrs) - valid
        for r in rows or ():
            unknown |= set(r) - valid - {"uid"}
        if unknown:
            raise UsageError(f"{t.id} has no attribute {', '.join(sorted(unknown))} "
                             f"(attributes: {', '.join(f.name for f in t.attributes)})")
        lyr = self.layer(t.id)
        cols = {}
        uids = new_uids(n)
        for f in lyr.fields:
            if f.name == "uid":
                cols["uid"] = uids if not rows else [r.get("uid") or u for r, u in zip(rows, uids)]
                continue
            base = f.coerce(attrs.get(f.name, f.default))
            if rows:
                cols[f.name] = [f.coerce(r[f.name]) if f.name in r else base for r in rows]
            else:
                cols[f.name] = [base] * n
        return AttributeTable(lyr.fields, cols, length=n)

    def add(self, type_id: str, geometry, **attrs) -> str:
        """Place one element; attributes not given take the type's defaults.

        Parameters
        ----------
        type_id : str
            A catalog type id (``camera``, ``primary_school`` ...).
        geometry : shapely geometry or (x, y)
            In the project CRS.
        **attrs
            Attribute values, e.g. ``azimuth=45``.

        Returns
        -------
        str
            The new element's uid.
        """
        return self.add_many(type_id, [geometry], **attrs)[0]

    def add_many(self, type_id: str, geometries, rows: Sequence[dict] | None = None,
                 text: str | None = None, **attrs) -> list[str]:
        """Place many elements of one type as one undo step.

        ``rows`` gives per-element attributes (dicts), ``attrs`` values shared by all.
        """
        t = self.catalog.get(type_id)
        geoms = self._check_geometry(t, list(geometries))
        if rows is not None and len(rows) != len(geoms):
            raise UsageError(f"{len(geoms)} geometries but {len(rows)} attribute rows")
        table = self._rows(t, len(geoms), rows, attrs)
        lyr = self.layer(type_id)
        if not len(geoms):
            return []
        label = text or f"Add {len(geoms)} {t.label('en')}"
        self.project.stack.push(AddElements(lyr, geoms, table, label))
        return table.column("uid").tolist()

    def find(self, uid: str) -> tuple[ElementLayer, int]:
        for lyr in self.layers.values():
            i = lyr.index_of(uid)
            if i is not None:
                return lyr, i
        raise LayerError(f"no element with uid {uid!r}")

    def _group(self, uids: Iterable[str]) -> dict[str, tuple[ElementLayer, list[int]]]:
        groups: dict[str, tuple[ElementLayer, list[int]]] = {}
        for u in uids:
            lyr, i = self.find(u)
            groups.setdefault(lyr.type_id, (lyr, []))[1].append(i)
        return groups

    def remove(self, uids: Iterable[str], text: str | None = None) -> int:
        """Delete elements (of any types) as one undo step; returns how many."""
        groups = self._group(list(uids))
        n = sum(len(ix) for _, ix in groups.values())
        if not n:
            return 0
        with self.project.stack.macro(text or f"Delete {n} elements"):
            for lyr, ix in groups.values():
                self.project.stack.push(RemoveElements(lyr, np.array(ix), "delete"))
        return n

    def update(self, uids: Iterable[str], text: str | None = None, **attrs) -> int:
        """Set attributes of many elements at once (one undo step)."""
        groups = self._group(list(uids))
        n = sum(len(ix) for _, ix in groups.values())
        if not n or not attrs:
            return 0
        with self.project.stack.macro(text or f"Edit {', '.join(attrs)} of {n} elements"):
            for lyr, ix in groups.values():
                t = lyr.element_type
                bad = set(attrs) - {f.name for f in t.attributes}
                if bad:
                    raise UsageError(f"{t.id} has no attribute {', '.join(sorted(bad))}")
                vals = {k: t.field(k).coerce(v) for k, v in attrs.items()}
                self.project.stack.push(SetAttributes(lyr, np.array(ix), vals, "edit"))
        return n

    def set_geometry(self, uid: str, geometry, text: str | None = None) -> None:
        """Move or reshape one element (one undo step)."""
        self.set_geometries({uid: geometry}, text=text)

    def set_geometries(self, new: dict, text: str | None = None) -> None:
        """Give several elements new geometries (a move of a selection) as one undo step."""
        groups: dict[str, tuple[ElementLayer, list[int], list]] = {}
        for uid, g in new.items():
            lyr, i = self.find(uid)
            checked = self._check_geometry(lyr.element_type, [g])[0]
            entry = groups.setdefault(lyr.type_id, (lyr, [], []))
            entry[1].append(i)
            entry[2].append(checked)
        with self.project.stack.macro(text or f"Move {len(new)} elements"):
            for lyr, ix, geoms in groups.values():
                self.project.stack.push(SetGeometries(lyr, ix, geoms, "move"))

    # -- reading -----------------------------------------------------------------------
    def element(self, uid: str) -> Element:
        lyr, i = self.find(uid)
        attrs = lyr.table.row(i)
        attrs.pop("uid", None)
        return Element(uid, lyr.type_id, lyr.geometries[i], attrs)

    def elements(self, type_id: str | None = None) -> Iterator[Element]:
        layers = [self.layers[type_id]] if type_id else list(self.layers.values())
        for lyr in layers:
            for i in range(lyr.feature_count):
                attrs = lyr.table.row(i)
                uid = attrs.pop("uid")
                yield Element(uid, lyr.type_id, lyr.geometries[i], attrs)

    def counts(self) -> dict[str, int]:
        """Number of elements per type id (types with none are left out)."""
        return {tid: lyr.feature_count for tid, lyr in sorted(self.layers.items()) if lyr.feature_count}

    def __len__(self) -> int:
        return sum(lyr.feature_count for lyr in self.layers.values())
