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

import os
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

import numpy as np
import shapely

from smartgis.core.catalog import GEOMETRY_NAMES, ElementType
from smartgis.core.commands import Command
from smartgis.core.events import Signal
from smartgis.core.fields import Field
from smartgis.core.layers import VectorLayer
from smartgis.core.style import Symbol, VectorStyle
from smartgis.core.table import AttributeTable
from smartgis.errors import CatalogError, LayerError, UsageError
from smartgis.i18n import _

# ``Project`` in annotations is smartgis.core.project.Project; it is not imported, not
# even for type checkers, because the project owns its design (the import goes one way).

#: No projected CRS in metres has coordinates beyond this (Gauss-Kruger with a zone
#: prefix stays below 5e7): larger values are impossible geometry, never placed.
MAX_COORDINATE = 1e8

#: Metres within which an element of the same type counts as standing at a site already.
DUPLICATE_DISTANCE = 10.0
UID_FIELD = Field("uid", "str", alias={"zh": "元素编号", "en": "Element id"})


def new_uids(n: int) -> list[str]:
    """``n`` random element ids (16 hex digits, 64 random bits each).

    Made from one ``os.urandom`` call: a batch layout of a million poles needs a
    million ids, and ``uuid4()`` one by one costs seconds.
    """
    if n <= 0:
        return []
    h = os.urandom(8 * n).hex()
    return [h[i:i + 16] for i in range(0, 16 * n, 16)]


def style_for_type(t: ElementType) -> VectorStyle:
    """Default map style of an element type: its colour and icon."""
    if t.geometry == "Point":
        sym = Symbol(fill=t.color, stroke="#ffffff", stroke_width=0.3, size=3.2,
                     icon=t.icon_embedded())
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

    def with_catalog_fields(self, table: AttributeTable) -> AttributeTable:
        """``table`` with columns for the attributes the catalog gained since the layer
        was saved (a new table when any is missing)."""
        have = set(table.field_names)
        for f in [UID_FIELD] + list(self.element_type.attributes):
            if f.name not in have:
                table = table.with_field(Field.from_dict(f.to_dict()))
        return table

    def _loaded_attributes(self, table: AttributeTable) -> AttributeTable:
        return self.with_catalog_fields(table)

    def ensure_fields(self) -> None:
        """Add columns for attributes the catalog gained since the layer was saved (not an
        edit: the version stays and the layer is not marked changed)."""
        d = self.full_data
        t = self.with_catalog_fields(d.table)
        if t is not d.table:
            self.adopt_data(d.replace(table=t))

    def definition(self) -> dict:
        d = super().definition()
        d["element_type"] = self.element_type.id
        return d


def coverage_parameters(t: ElementType, attributes: dict) -> dict:
    """A type's coverage model with per-element values taken from ``attributes``
    (the attributes named in ``coverage.fields``; missing or empty values keep the
    type's default)."""
    cov = t.coverage
    out = {"model": cov.model, "radius": cov.radius, "range": cov.range, "angle": cov.angle,
           "azimuth": cov.azimuth, "distance": cov.distance}
    for param, name in cov.fields.items():
        v = attributes.get(name)
        if v is None or param not in out:
            continue
        try:
            fv = float(v)
        except (TypeError, ValueError):
            continue
        if fv == fv:
            out[param] = fv
    return out


def layer_mask(layer: VectorLayer, where: dict | str) -> np.ndarray:
    """Rows of a layer matching ``{"field": value or [values]}`` or ``"field=v1,v2;f2=v"``."""
    if isinstance(where, str):
        cond: dict = {}
        for part in where.replace("；", ";").split(";"):
            if not part.strip():
                continue
            name, sep, vals = part.partition("=")
            if not sep:
                raise UsageError(_("filter {part!r}: write FIELD=VALUE[,VALUE...]", part=part))
            cond[name.strip()] = [v.strip() for v in vals.split(",")]
        where = cond
    mask = np.ones(layer.feature_count, dtype=bool)
    for name, vals in where.items():
        f = layer.table.field(name)  # raises naming the fields
        vals = vals if isinstance(vals, (list, tuple, set)) else [vals]
        col = layer.table.column(name)
        want = [f.coerce(v) for v in vals]
        if col.dtype == object:
            mask &= np.isin(np.array([str(v) for v in col.tolist()], dtype=object),
                            [str(v) for v in want])
        else:
            mask &= np.isin(col, np.array(want))
    return mask


def _type_name(t: ElementType):
    """An element type's name in the language the text is shown in."""
    from smartgis.i18n import bilingual
    return bilingual({"en": t.label("en"), "zh": t.label("zh")})


def _where_dict(where: dict | str) -> dict:
    if not isinstance(where, str):
        return dict(where)
    out = {}
    for part in where.replace("；", ";").split(";"):
        name, _sep, vals = part.partition("=")
        if name.strip():
            out[name.strip()] = [v.strip() for v in vals.split(",")]
    return out


def where_note(layer: VectorLayer, where: dict | str, most: int = 8) -> str:
    """Why a filter found nothing: how many features there are, and the values present."""
    text = where if isinstance(where, str) else ";".join(
        f"{k}={','.join(map(str, v)) if isinstance(v, (list, tuple, set)) else v}" for k, v in where.items())
    present = []
    for name in _where_dict(where):
        values: dict = {}
        for v in layer.table.column(name).tolist():
            if v is not None:
                values[str(v)] = values.get(str(v), 0) + 1
        common = sorted(values, key=lambda v: -values[v])
        shown = ", ".join(common[:most]) + (" …" if len(common) > most else "")
        present.append(f"{name}: {shown or '-'}")
    return _("--where {where} matched 0 of {n} features of {layer!r} (values present: {values})", where=text,
             n=f"{layer.feature_count:,}", layer=layer.name, values="; ".join(present))


@dataclass
class Element:
    """One element as plain values (a copy, not a live view)."""

    uid: str
    type_id: str
    geometry: object
    attributes: dict


# -- commands ---------------------------------------------------------------------------
class AddElements(Command):
    """Append elements; with ``design``, the layer is new and comes and goes with them
    (undoing the first elements of a type leaves no empty layer behind)."""

    def __init__(self, layer: ElementLayer, geoms: np.ndarray, table: AttributeTable, text: str,
                 design: "Design | None" = None):
        self.layer, self.geoms, self.rows, self.text = layer, geoms, table, text
        self.design = design
        self.n_before = 0

    def redo(self) -> None:
        if self.design is not None and self.layer.id not in self.design.project.layers:
            self.design._add_to_project(self.layer)
        self.n_before = self.layer.feature_count
        self.layer.append(self.geoms, self.rows.copy())

    def undo(self) -> None:
        self.layer.truncate(self.n_before)
        if self.design is not None and self.n_before == 0 and self.layer.id in self.design.project.layers:
            project = self.design.project
            project.remove_layer(self.layer.id)
            # redo adds the layer again, and with it the project's watcher
            self.layer.changed.disconnect(project._on_layer_changed)


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
        self.layer.set_values(self.indices, self.values)

    def undo(self) -> None:
        self.layer.set_values(self.indices, self.old, per_row=True)


class SetGeometries(Command):
    def __init__(self, layer: ElementLayer, indices, geoms, text: str):
        self.layer, self.indices, self.text = layer, np.asarray(indices, dtype=np.int64), text
        self.new = np.asarray(geoms, dtype=object)
        self.old = layer.geometries[self.indices].copy()

    def _set(self, geoms) -> None:
        self.layer.set_geometries(self.indices, geoms)

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
        #: Why the last batch placement added fewer elements than it might have (messages):
        #: a filter that matched nothing, sites that have an element already, nothing to link.
        self.last_notes: list[str] = []
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
            raise LayerError(_("the design has no {type!r} elements", type=type_id))
        lyr = self._new_layer(t)
        self._add_to_project(lyr)
        return lyr

    def _new_layer(self, t: ElementType) -> ElementLayer:
        """An empty element layer of a type, not yet in the project."""
        lyr = ElementLayer(t, name=t.label(self.project.language))
        lyr.crs = self.project.crs
        lyr.set_data(np.empty(0, dtype=object), AttributeTable(lyr.declared_fields, length=0))
        return lyr

    def _add_to_project(self, lyr: ElementLayer) -> None:
        group = self.project.design_group()
        self.project.add_layer(lyr, group=group, index=self._tree_index(group, lyr.element_type.geometry))
        self.attach(lyr)

    _DRAW_RANK = {"Point": 0, "LineString": 1, "Polygon": 2}

    def _tree_index(self, group, geometry: str) -> int:
        """Where a new element layer goes in the design group: points above lines above
        areas, so links and pipes never hide the cameras and gateways they join."""
        rank = self._DRAW_RANK.get(geometry, 1)
        index = 0
        for node in group.children:
            lyr = self.project.layers.get(getattr(node, "layer_id", None))
            other = self._DRAW_RANK.get(getattr(getattr(lyr, "element_type", None), "geometry", None), 1)
            if lyr is not None and other <= rank:
                index += 1
            else:
                break
        return index

    def attach(self, lyr: ElementLayer) -> None:
        """Register an element layer (new, or read from a project file)."""
        self.layers[lyr.type_id] = lyr
        if not getattr(lyr, "_design_watched", False):  # a layer re-added by redo keeps one watcher
            lyr.changed.connect(lambda what, tid=lyr.type_id: self.changed.emit(tid))
            lyr._design_watched = True

    def detach(self, type_id: str) -> None:
        self.layers.pop(type_id, None)

    # -- the project's own types ------------------------------------------------------
    def import_catalog(self, path, replace: bool = False) -> list[str]:
        """Add the types of a catalog file to the project (origin ``project``, saved in
        the project file); returns their ids.

        Icons named relative to the catalog file are resolved against it.  An id that
        exists already is refused unless ``replace``; elements of a replaced type keep
        their values and gain the new attributes with their defaults.
        """
        from pathlib import Path

        from smartgis.core.catalog import Catalog
        from smartgis.core.symbols import embedded_icon
        path = Path(path)
        staging = Catalog(common=self.catalog.common)
        ids = staging.load_file(path, origin="project")
        if not ids:
            raise CatalogError(_("the catalog file defines no types"), path)
        clash = [i for i in ids if i in self.catalog]
        if clash and not replace:
            raise CatalogError(_("type(s) {types} exist already (replace them explicitly)", types=", ".join(clash)), path)
        for tid in ids:
            t = staging.get(tid)
            if t.icon and not Path(t.icon).is_absolute() and (path.parent / t.icon).exists():
                # kept inside the project: no path of this machine goes into the file
                t.icon = embedded_icon(str(path.parent / t.icon))
            self.catalog.add(t, replace=True)
            lyr = self.layers.get(tid)
            if lyr is not None:
                lyr.element_type = t
                lyr.ensure_fields()
                lyr.dirty = True
        self.project._set_meta_dirty()
        return ids

    def remove_type(self, type_id: str) -> ElementType:
        """Remove one of the project's own types that no element uses; returns it."""
        t = self.catalog.get(type_id)
        if t.origin != "project":
            raise CatalogError(_("{type} is a {origin} type; only the project's own types can be removed",
                                 type=type_id, origin=t.origin), self.project.path)
        n = self.counts().get(type_id, 0)
        if n:
            raise CatalogError(_("the design has {n} {type} element(s); delete them before removing the type",
                                 n=n, type=type_id), self.project.path)
        if type_id in self.layers:
            self.project.remove_layer(self.layers[type_id].id)
        self.project._set_meta_dirty()
        return self.catalog.remove(type_id)

    # -- editing -----------------------------------------------------------------------
    def _check_geometry(self, t: ElementType, geoms) -> np.ndarray:
        if isinstance(geoms, np.ndarray) and geoms.dtype == object and len(geoms) \
                and bool(shapely.is_geometry(geoms).all()):
            out = geoms  # the batch-layout path: already shapely, no per-element work
        else:
            out = self._to_geometries(t, list(geoms))
        kinds = set(np.unique(shapely.get_type_id(out)).tolist()) if len(out) else set()
        want = {"Point": {0}, "LineString": {1, 2}, "Polygon": {3}}[t.geometry]
        if kinds - want:
            got = sorted({g.geom_type for g in out if shapely.get_type_id(g) not in want})
            raise UsageError(_("{type} elements are {geometry}s; got {got}", type=t.id,
                               geometry=GEOMETRY_NAMES[t.geometry], got=str(got)))
        if len(out) and shapely.is_empty(out).any():
            raise UsageError(_("{type}: empty geometries cannot be placed", type=t.id))
        if len(out) and not np.isfinite(shapely.bounds(out)).all():
            raise UsageError(_("{type}: coordinates must be finite numbers", type=t.id))
        if len(out) and (np.abs(shapely.bounds(out)) > MAX_COORDINATE).any():
            raise UsageError(_("{type}: coordinates beyond ±{limit:g} m are not on the Earth in any projected CRS",
                               type=t.id, limit=MAX_COORDINATE))
        return out

    def outside_area(self, geoms) -> int:
        """How many of ``geoms`` (project CRS) lie outside the area of use of the
        project's CRS (widened by a tenth on each side); 0 when the CRS states none."""
        from smartgis.crs import parse_crs, transform_bounds
        geoms = np.asarray(geoms, dtype=object).reshape(-1)
        if not len(geoms) or not self.project.crs:
            return 0
        try:
            aou = parse_crs(self.project.crs).area_of_use
            if aou is None:
                return 0
            x0, y0, x1, y1 = transform_bounds(aou.bounds, "EPSG:4326", self.project.crs)
        except Exception:  # noqa: BLE001 - a CRS without a usable area is not checked
            return 0
        mx, my = (x1 - x0) * 0.1, (y1 - y0) * 0.1
        b = shapely.bounds(geoms)
        out = (b[:, 0] < x0 - mx) | (b[:, 2] > x1 + mx) | (b[:, 1] < y0 - my) | (b[:, 3] > y1 + my)
        return int(out.sum())

    @staticmethod
    def _to_geometries(t: ElementType, geoms: list) -> np.ndarray:
        out = np.empty(len(geoms), dtype=object)
        for i, g in enumerate(geoms):
            if not isinstance(g, shapely.Geometry):
                if t.geometry == "Point":
                    try:
                        g = shapely.Point(float(g[0]), float(g[1]))
                    except (TypeError, ValueError, IndexError):
                        raise UsageError(_("{type}: {value!r} is not a point (give x, y)", type=t.id, value=g)) from None
                elif t.geometry == "LineString":
                    try:
                        g = shapely.LineString(g)
                    except (TypeError, ValueError, shapely.errors.GEOSException) as exc:
                        raise UsageError(_("{type}: {value!r:.60} is not a line ({error})", type=t.id, value=g,
                                           error=str(exc))) from None
                else:
                    try:
                        g = shapely.Polygon(g)
                    except (TypeError, ValueError, shapely.errors.GEOSException) as exc:
                        raise UsageError(_("{type}: {value!r:.60} is not a polygon ({error})", type=t.id, value=g,
                                           error=str(exc))) from None
            elif shapely.get_type_id(g) == 6 and t.geometry == "Polygon" and len(g.geoms) == 1:
                g = g.geoms[0]
            elif shapely.get_type_id(g) == 5 and t.geometry == "LineString" and len(g.geoms) == 1:
                g = g.geoms[0]
            out[i] = shapely.force_2d(g)
        return out

    def _rows(self, t: ElementType, n: int, rows: Sequence[dict] | None, attrs: dict,
              variant: str | None = None, columns: dict | None = None, layer: ElementLayer | None = None
              ) -> AttributeTable:
        valid = {f.name for f in t.attributes}
        unknown = (set(attrs) | set(columns or {})) - valid
        for r in rows or ():
            unknown |= set(r) - valid - {"uid"}
        if unknown:
            raise UsageError(_("{type} has no attribute {names} (attributes: {attributes})", type=t.id,
                               names=", ".join(sorted(unknown)),
                               attributes=", ".join(f.name for f in t.attributes)))
        defaults = t.defaults(variant)
        lyr = layer if layer is not None else self.layer(t.id)
        cols = {}
        uids = new_uids(n)
        for f in lyr.fields:
            if f.name == "uid":
                cols["uid"] = uids if not rows else [r.get("uid") or u for r, u in zip(rows, uids)]
                continue
            if columns and f.name in columns:
                col = columns[f.name]
                if len(col) != n:
                    raise UsageError(_("{n} values of {field!r} for {count} elements", n=len(col), field=f.name,
                                       count=n))
                if isinstance(col, np.ndarray) and col.dtype.kind in "fiub" and f.type in ("float", "int", "bool"):
                    cols[f.name] = col.astype({"float": np.float64, "int": np.int64, "bool": np.bool_}[f.type])
                else:
                    cols[f.name] = [f.coerce(v) for v in col]
                continue
            base = f.coerce(attrs.get(f.name, defaults.get(f.name, f.default)))
            if rows:
                cols[f.name] = [f.coerce(r[f.name]) if f.name in r else base for r in rows]
            else:
                cols[f.name] = [base] * n
        return AttributeTable(lyr.fields, cols, length=n)

    def resolve(self, type_id: str, variant: str | None = None) -> tuple[ElementType, str | None]:
        """The element type and variant of ``"camera"``, ``"camera:ptz"`` or
        ``("camera", variant="ptz")``."""
        t, v = self.catalog.resolve(type_id)
        if variant:
            t.variant(variant)
            v = variant
        return t, v

    def add(self, type_id: str, geometry, variant: str | None = None, **attrs) -> str:
        """Place one element; attributes not given take the type's defaults.

        Parameters
        ----------
        type_id : str
            A catalog type id (``camera``, ``primary_school`` ...), optionally with a
            variant: ``camera:ptz``.
        geometry : shapely geometry or (x, y)
            In the project CRS; a list of (x, y) for lines and polygons.
        variant : str, optional
            A variant of the type (``ptz``) whose values replace the defaults.
        **attrs
            Attribute values, e.g. ``azimuth=45``.

        Returns
        -------
        str
            The new element's uid.

        Examples
        --------
        >>> from smartgis.core import Project
        >>> p = Project("示例", "EPSG:4547")
        >>> uid = p.design.add("camera:ptz", (521600, 3382000))
        >>> p.design.element(uid).attributes["fov_deg"]
        360.0
        """
        return self.add_many(type_id, [geometry], variant=variant, **attrs)[0]

    def add_many(self, type_id: str, geometries, rows: Sequence[dict] | None = None,
                 text: str | None = None, variant: str | None = None, columns: dict | None = None,
                 **attrs) -> list[str]:
        """Place many elements of one type as one undo step.

        ``rows`` gives per-element attributes (dicts), ``columns`` per-element values by
        attribute (arrays, the fast way for thousands), ``attrs`` values shared by all.
        """
        t, variant = self.resolve(type_id, variant)
        if isinstance(geometries, np.ndarray) and geometries.dtype == object:
            geoms = self._check_geometry(t, geometries.reshape(-1))
        else:
            geoms = self._check_geometry(t, list(geometries))
        if rows is not None and len(rows) != len(geoms):
            raise UsageError(_("{n} geometries but {count} attribute rows", n=len(geoms), count=len(rows)))
        lyr = self.layers.get(t.id)
        created = lyr is None or lyr.id not in self.project.layers
        if lyr is None:
            lyr = self._new_layer(t)
        table = self._rows(t, len(geoms), rows, attrs, variant, columns, layer=lyr)
        if not len(geoms):
            return []
        label = text or _("Add {n} {type}", n=len(geoms), type=_type_name(t))
        self.project.stack.push(AddElements(lyr, geoms, table, label, design=self if created else None))
        return table.column("uid").tolist()

    def find(self, uid: str) -> tuple[ElementLayer, int]:
        for lyr in self.layers.values():
            i = lyr.index_of(uid)
            if i is not None:
                return lyr, i
        raise LayerError(_("no element with uid {uid!r}", uid=uid))

    def _group(self, uids: Iterable[str]) -> dict[str, tuple[ElementLayer, list[int]]]:
        groups: dict[str, tuple[ElementLayer, list[int]]] = {}
        for u in uids:
            lyr, i = self.find(u)
            groups.setdefault(lyr.type_id, (lyr, []))[1].append(i)
        return groups

    def remove(self, uids: Iterable[str], text: str | None = None) -> int:
        """Delete elements (of any types) as one undo step; returns how many."""
        groups = self._group(list(uids))
        n = sum(len(ix) for _lyr, ix in groups.values())
        if not n:
            return 0
        with self.project.stack.macro(text or _("Delete {n} elements", n=n)):
            for lyr, ix in groups.values():
                self.project.stack.push(RemoveElements(lyr, np.array(ix), "delete"))
        return n

    def update(self, uids: Iterable[str], text: str | None = None, **attrs) -> int:
        """Set attributes of many elements at once (one undo step)."""
        groups = self._group(list(uids))
        n = sum(len(ix) for _lyr, ix in groups.values())
        if not n or not attrs:
            return 0
        with self.project.stack.macro(text or _("Edit {fields} of {n} elements", fields=", ".join(attrs), n=n)):
            for lyr, ix in groups.values():
                t = lyr.element_type
                bad = set(attrs) - {f.name for f in t.attributes}
                if bad:
                    raise UsageError(_("{type} has no attribute {names}", type=t.id, names=", ".join(sorted(bad))))
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
        with self.project.stack.macro(text or _("Move {n} elements", n=len(new))):
            for lyr, ix, geoms in groups.values():
                self.project.stack.push(SetGeometries(lyr, ix, geoms, "move"))

    def move(self, uids: Iterable[str], dx: float, dy: float, text: str | None = None) -> int:
        """Shift elements by (dx, dy) metres (one undo step); returns how many."""
        uids = list(uids)
        if not uids or (dx == 0 and dy == 0):
            return 0
        new = {}
        for u in uids:
            lyr, i = self.find(u)
            new[u] = shapely.transform(lyr.geometries[i], lambda c: c + (dx, dy))
        self.set_geometries(new, text=text or _("Move {n} elements", n=len(new)))
        return len(new)

    # -- copy and paste ----------------------------------------------------------------
    def copy(self, uids: Iterable[str]) -> dict:
        """The elements as a clipboard payload (JSON-ready: type, WKT, attributes).

        Examples
        --------
        >>> from smartgis.core import Project
        >>> p = Project("示例", "EPSG:4547")
        >>> a = p.design.add("camera", (0, 0), azimuth=30)
        >>> new = p.design.paste(p.design.copy([a]), dx=10, dy=0)
        >>> p.design.element(new[0]).attributes["azimuth"], p.design.element(new[0]).geometry.x
        (30.0, 10.0)
        """
        items = []
        for u in uids:
            e = self.element(u)
            items.append({"type": e.type_id, "wkt": shapely.to_wkt(e.geometry, rounding_precision=-1),
                          "attributes": e.attributes})
        return {"format": "smartgis-elements", "version": 1, "crs": self.project.crs, "elements": items}

    def paste(self, payload: dict, dx: float = 0.0, dy: float = 0.0, text: str | None = None) -> list[str]:
        """Add copies of the elements of a :meth:`copy` payload, shifted by (dx, dy),
        as one undo step; returns the new uids (in the payload's order)."""
        if not isinstance(payload, dict) or payload.get("format") != "smartgis-elements":
            raise UsageError(_("the clipboard holds no SmartGIS elements"))
        items = payload.get("elements") or []
        by_type: dict[str, list[int]] = {}
        for k, it in enumerate(items):
            by_type.setdefault(it["type"], []).append(k)
        out: list[str | None] = [None] * len(items)
        with self.project.stack.macro(text or _("Paste {n} elements", n=len(items))):
            for tid, ks in by_type.items():
                t = self.catalog.get(tid)
                names = {f.name for f in t.attributes}
                geoms = shapely.from_wkt([items[k]["wkt"] for k in ks])
                if dx or dy:
                    geoms = shapely.transform(geoms, lambda c: c + (dx, dy))
                rows = [{n: v for n, v in (items[k].get("attributes") or {}).items() if n in names} for k in ks]
                for k, u in zip(ks, self.add_many(tid, geoms, rows=rows, text="paste")):
                    out[k] = u
        return [u for u in out if u is not None]

    # -- batch layout ------------------------------------------------------------------
    def _source_geometries(self, source, where: dict | str | None = None) -> np.ndarray:
        """Geometries (in the project CRS) of a layer, a layer name/id, or geometries."""
        from smartgis.core.layers import VectorLayer as _VL
        if isinstance(source, str) or isinstance(source, _VL):
            lyr = self.project.layer(source)
            if not isinstance(lyr, _VL):
                raise LayerError(_("layer {layer!r} is not a vector layer", layer=lyr.name))
            geoms = lyr.geometries
            if where:
                mask = layer_mask(lyr, where)
                if not mask.any():
                    self.last_notes.append(where_note(lyr, where))
                geoms = geoms[mask]
            if lyr.crs and self.project.crs and len(geoms):
                from smartgis.crs import same_crs, transform_geometries
                if not same_crs(lyr.crs, self.project.crs):
                    geoms = transform_geometries(geoms, lyr.crs, self.project.crs)
            return np.asarray(geoms, dtype=object)
        if where:
            raise UsageError(_("'where' filters a layer; give a layer, not geometries"))
        if isinstance(source, shapely.Geometry):
            return np.array([source], dtype=object)
        return np.asarray(list(source) if not isinstance(source, np.ndarray) else source, dtype=object).reshape(-1)

    def _without_present(self, t: ElementType, points, distance: float) -> np.ndarray:
        """The points with no element of type ``t`` within ``distance`` metres (noted)."""
        points = np.asarray(points, dtype=object)
        have = self.layers.get(t.id)
        if have is None or not have.feature_count or not len(points):
            return points
        tree = shapely.STRtree(have.geometries)
        hit = np.zeros(len(points), dtype=bool)
        found, _near = tree.query(points, predicate="dwithin", distance=float(distance))
        hit[np.unique(found)] = True
        if hit.any():
            self.last_notes.append(_("{n} of {total} sites have a {type} within {distance:g} m already and got none "
                                     "(allow duplicates to place them anyway)", n=f"{int(hit.sum()):,}",
                                     total=f"{len(points):,}", type=t.id, distance=distance))
        return points[~hit]

    def _merge_keys(self, source, where, merge_by) -> list | None:
        """Per feature of a layer, the attribute values lines must share to be joined."""
        from smartgis.core.layers import VectorLayer as _VL
        if not (isinstance(source, str) or isinstance(source, _VL)):
            return None   # bare geometries: one group
        lyr = self.project.layer(source)
        mask = layer_mask(lyr, where) if where else np.ones(lyr.feature_count, dtype=bool)
        n = int(mask.sum())
        if merge_by is True:
            # the fields that describe the street (name, class, lanes …): not measures (float
            # lengths, areas), not those (nearly) unique per feature (ids, node numbers)
            names = []
            for f in lyr.fields:
                if f.type not in ("str", "int", "bool"):
                    continue
                col = lyr.table.column(f.name)[mask]
                distinct = len({str(v) for v in col.tolist()})
                if distinct <= max(1, n // 2):
                    names.append(f.name)
        else:
            names = [merge_by] if isinstance(merge_by, str) else list(merge_by)
            names = [s.strip() for name in names for s in str(name).split(",") if s.strip()]
            for name in names:
                lyr.table.field(name)   # raises naming the fields
        if not names:
            return None
        cols = [lyr.table.column(name)[mask].tolist() for name in names]
        return [tuple(str(c[i]) for c in cols) for i in range(n)]

    def _point_type(self, type_id: str, variant: str | None, what: str) -> tuple[ElementType, str | None]:
        t, v = self.resolve(type_id, variant)
        if t.geometry != "Point":
            raise UsageError(_("{what} places point elements; {type} elements are {geometry}s", what=what,
                               type=t.id, geometry=GEOMETRY_NAMES[t.geometry]))
        return t, v

    def _orientation(self, t: ElementType, orient: str | None, lay) -> dict:
        if not orient:
            return {}
        if orient not in ("along", "road", "away"):
            raise UsageError(_("orient must be 'along', 'road' or 'away' (got {orient!r})", orient=orient))
        field = t.coverage.fields.get("azimuth") or ("azimuth" if t.field("azimuth") else None)
        if not field:
            raise UsageError(_("{type} elements have no direction to orient (no azimuth attribute)", type=t.id))
        az = lay.azimuth.copy()
        side = lay.side.astype(float)
        if orient == "along":
            # the right-hand row looks the other way, so both directions are watched
            az = np.where(side < 0, az + 180.0, az)
        else:
            # facing the line from the left means looking 90° clockwise of its direction
            towards = np.where(side >= 0, az + 90.0, az - 90.0)
            az = towards if orient == "road" else towards + 180.0
        return {field: np.mod(az, 360.0)}

    def place_along(self, type_id: str, lines, spacing: float = 35.0, offset: float = 0.0,
                    both_sides: bool = False, *, align: str = "center", min_gap: float | None = None,
                    keep_clear: bool = True, orient: str | None = None, where: dict | str | None = None, variant: str | None = None,
                    merge_by: bool | str | list | None = True, text: str | None = None, **attrs) -> list[str]:
        """Place point elements every ``spacing`` metres along lines (one undo step).

        Parameters
        ----------
        type_id : str
            A point type (``smart_pole``, ``street_light:arterial``, ``camera``).
        lines : VectorLayer, layer name or id, or geometries
            The lines to follow (a road layer); polygons follow their boundary.
        spacing, offset, both_sides, align, min_gap, keep_clear
            See :func:`smartgis.geometry.placement.points_along`: ``offset`` metres to the
            left of each line (negative: right), a second row on the right with
            ``both_sides``; elements that would stand closer than the offset to another
            line (in a crossing street) are left out unless ``keep_clear=False``.
        orient : {"along", "road", "away"}, optional
            Set the azimuth of directional elements (cameras): along the line (the
            right-hand row looking the other way), towards it, or away from it.
        where : dict or str, optional
            Only the layer's features matching ``{"class": "primary"}`` or
            ``"class=primary,secondary"``.
        merge_by : True, field name(s) or False
            The spacing runs along streets, not along the pieces a road was digitised
            in: lines of a layer that meet end to end (no third line at the node) are
            joined first when their attributes agree — by default the text, integer and
            yes/no fields not unique to each feature (name, class, lanes; not ids, node
            numbers or float measures such as lengths), else the named fields, or none
            (``False``: every piece on its own).
        **attrs
            Attribute values for all the new elements.

        Returns
        -------
        list of str
            The new uids.

        Examples
        --------
        >>> import shapely
        >>> from smartgis.core import Project
        >>> p = Project("示例", "EPSG:4547")
        >>> road = shapely.LineString([(500000, 3380000), (501000, 3380000)])
        >>> uids = p.design.place_along("smart_pole", [road], spacing=35, offset=8, both_sides=True)
        >>> len(uids)
        58
        """
        from smartgis.geometry.placement import merge_lines, points_along
        self.last_notes = []
        t, variant = self._point_type(type_id, variant, _("placing along lines"))
        geoms = self._source_geometries(lines, where)
        if merge_by is not False and merge_by is not None and len(geoms):
            keys = self._merge_keys(lines, where, merge_by)
            geoms = merge_lines(geoms, keys, directed=bool(offset) and not both_sides)
        lay = points_along(geoms, spacing, offset, both_sides, align=align, min_gap=min_gap,
                           keep_clear=keep_clear)
        columns = self._orientation(t, orient, lay)
        return self.add_many(t.id, lay.points, text=text or _("Place {n} {type} along lines", n=len(lay), type=_type_name(t)),
                             variant=variant, columns=columns, **attrs)

    def place_grid(self, type_id: str, polygons, spacing: float, *, pattern: str = "square",
                   angle: float = 0.0, margin: float = 0.0, per_polygon: bool = False,
                   where: dict | str | None = None, variant: str | None = None, text: str | None = None,
                   **attrs) -> list[str]:
        """Place point elements on a lattice inside polygons (one undo step).

        ``pattern="hex"`` gives the densest coverage for circular ranges; ``angle``
        turns the lattice (degrees counter-clockwise); ``margin`` keeps points that far
        inside; one lattice covers all the polygons unless ``per_polygon``.  See
        :func:`smartgis.geometry.placement.grid_points`.

        Examples
        --------
        >>> import shapely
        >>> from smartgis.core import Project
        >>> p = Project("示例", "EPSG:4547")
        >>> area = shapely.box(500000, 3380000, 502000, 3381000)
        >>> len(p.design.place_grid("air_quality", area, spacing=400))
        15
        """
        from smartgis.geometry.placement import grid_points
        self.last_notes = []
        t, variant = self._point_type(type_id, variant, _("a grid"))
        geoms = self._source_geometries(polygons, where)
        lay = grid_points(geoms, spacing, pattern=pattern, angle=angle, margin=margin, per_polygon=per_polygon)
        return self.add_many(t.id, lay.points, text=text or _("Place {n} {type} on a grid", n=len(lay), type=_type_name(t)),
                             variant=variant, **attrs)

    def place_at_intersections(self, type_id: str, lines, *, min_degree: int = 3, tolerance: float = 0.01,
                               where: dict | str | None = None, variant: str | None = None,
                               allow_duplicates: bool = False, duplicate_distance: float = DUPLICATE_DISTANCE,
                               text: str | None = None, **attrs) -> list[str]:
        """Place a point element at every node where ``min_degree`` or more lines meet
        (crossings and T-junctions; one undo step).

        A site that has an element of the same type within ``duplicate_distance`` metres
        already gets none (running it again adds nothing), unless ``allow_duplicates``.
        See :func:`smartgis.geometry.placement.intersection_points`.

        Examples
        --------
        >>> import shapely
        >>> from smartgis.core import Project
        >>> p = Project("示例", "EPSG:4547")
        >>> cross = [shapely.LineString([(0, 0), (100, 0)]), shapely.LineString([(50, -50), (50, 50)])]
        >>> len(p.design.place_at_intersections("camera:ptz", cross))
        1
        """
        from smartgis.geometry.placement import intersection_points
        self.last_notes = []
        t, variant = self._point_type(type_id, variant, _("placing at intersections"))
        geoms = self._source_geometries(lines, where)
        pts, _degree = intersection_points(geoms, min_degree=min_degree, tolerance=tolerance)
        if not allow_duplicates:
            pts = self._without_present(t, pts, duplicate_distance)
        return self.add_many(t.id, pts, text=text or _("Place {n} {type} at intersections", n=len(pts), type=_type_name(t)),
                             variant=variant, **attrs)

    def connect_nearest(self, from_type, to_type: str, max_distance: float | None = None,
                        link_type: str = "link", *, skip_linked: bool = True, text: str | None = None,
                        **attrs) -> list[str]:
        """Link every element of ``from_type`` to the nearest ``to_type`` element within
        ``max_distance`` metres (sensors to gateways), creating ``link_type`` line
        elements with ``from_uid``, ``to_uid`` and ``length_m`` (one undo step).

        Parameters
        ----------
        from_type : str or list of str
            Type id(s) of the elements to connect.
        to_type : str
            Type id of the elements they connect to.
        max_distance : float, optional
            Elements with nothing within this distance stay unconnected.
        link_type : str
            A line type with ``from_uid``, ``to_uid`` and ``length_m`` attributes.
        skip_linked : bool
            Leave out elements that already have a ``link_type`` link starting at them,
            so running it again after adding sensors links only the new ones.

        An element standing exactly on its nearest target gets no link (a line of no
        length is not a geometry GIS software accepts).

        Examples
        --------
        >>> from smartgis.core import Project
        >>> p = Project("示例", "EPSG:4547")
        >>> gw = p.design.add("iot_gateway", (0, 0))
        >>> s = p.design.add_many("air_quality", [(300, 400), (5000, 0)])
        >>> links = p.design.connect_nearest("air_quality", "iot_gateway", max_distance=2000)
        >>> [(e.attributes["from_uid"] == s[0], e.attributes["length_m"]) for e in p.design.elements("link")]
        [(True, 500.0)]
        """
        from smartgis.geometry.placement import nearest_links
        from_types = [from_type] if isinstance(from_type, str) else list(from_type)
        for tid in from_types + [to_type]:
            self.catalog.get(tid)
        lt = self.catalog.get(link_type)
        need = {"from_uid", "to_uid", "length_m"}
        if lt.geometry != "LineString" or need - {f.name for f in lt.attributes}:
            raise UsageError(_("{type} cannot be a link type: it needs to be a line type with "
                               "attributes {attributes}", type=link_type, attributes=", ".join(sorted(need))))
        src_geoms, src_uids = [], []
        for tid in from_types:
            lyr = self.layers.get(tid)
            if lyr is not None and lyr.feature_count:
                src_geoms.append(lyr.geometries)
                src_uids.append(lyr.table.column("uid"))
        dst = self.layers.get(to_type)
        self.last_notes = []
        if not src_geoms:
            self.last_notes.append(_("there are no {types} elements yet to connect", types=", ".join(from_types)))
        if dst is None or not dst.feature_count:
            self.last_notes.append(_("there are no {type} elements yet to connect to", type=to_type))
        if not src_geoms or dst is None or not dst.feature_count:
            return []
        sg = np.concatenate(src_geoms)
        su = np.concatenate(src_uids).astype(object)
        if skip_linked and link_type in self.layers and self.layers[link_type].feature_count:
            linked = set(self.layers[link_type].table.column("from_uid").tolist())
            keep = np.array([u not in linked for u in su.tolist()], dtype=bool)
            if not keep.any():
                self.last_notes.append(_("all {n} elements are linked already (relink to link them again)",
                                         n=f"{len(su):,}"))
            sg, su = sg[keep], su[keep]
        same = to_type in from_types
        fi, ti, lines, dist = nearest_links(sg, dst.geometries, max_distance, exclusive=same)
        if len(sg) and not len(fi) and max_distance:
            self.last_notes.append(_("none of the {n} elements has a {type} within {distance:g} m", n=f"{len(sg):,}",
                                     type=to_type, distance=max_distance))
        ok = dist > 0  # an element on top of its target needs no line
        fi, ti, lines, dist = fi[ok], ti[ok], lines[ok], dist[ok]
        du = dst.table.column("uid").astype(object)
        columns = {"from_uid": su[fi], "to_uid": du[ti], "length_m": np.round(dist, 2)}
        return self.add_many(link_type, lines, columns=columns,
                             text=text or _("Connect {n} elements to the nearest {type}", n=len(fi),
                                                   type=_type_name(self.catalog.get(to_type))), **attrs)

    # -- coverage ----------------------------------------------------------------------
    def coverage_parameters(self, type_id: str, attributes: dict | None = None) -> dict:
        """The coverage model of a type with an element's attributes applied:
        ``{"model", "radius", "range", "angle", "azimuth", "distance"}``."""
        t = self.catalog.get(type_id)
        return coverage_parameters(t, attributes or {})

    def coverage(self, uid: str, segments: int = 48):
        """The area an element covers as drawn on the map (circle or sector), or None."""
        from smartgis.geometry.placement import coverage_shape
        e = self.element(uid)
        p = self.coverage_parameters(e.type_id, e.attributes)
        return coverage_shape(p.pop("model"), e.geometry, segments=segments, **p)

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
