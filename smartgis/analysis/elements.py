"""The design elements a rule is about, gathered from the project's element layers."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely

from smartgis.core.catalog import ElementType

#: Coverage parameters an element type's coverage model gives (see CoverageModel).
PARAMS = ("radius", "range", "angle", "azimuth", "distance")
#: Where a parameter falls back to when the type's model leaves it at 0.
FALLBACK = {"radius": ("distance", "range"), "distance": ("radius", "range"), "range": ("radius", "distance")}


@dataclass
class ElementSet:
    """Elements of one or more catalog types, as arrays.

    Attributes
    ----------
    types : array of str
        Type id of each element.
    geoms : array of shapely geometries (project CRS)
    uids : array of str
    attrs : dict
        Attribute name → object array (None where an element's type lacks it).
    catalog : dict
        Type id → :class:`ElementType`.
    """

    types: np.ndarray
    geoms: np.ndarray
    uids: np.ndarray
    attrs: dict = field(default_factory=dict)
    catalog: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.geoms)

    @classmethod
    def empty(cls) -> "ElementSet":
        return cls(np.empty(0, dtype=object), np.empty(0, dtype=object), np.empty(0, dtype=object))

    def concat(self, other: "ElementSet") -> "ElementSet":
        """Both sets' elements (attributes missing on one side are None)."""
        if not len(other):
            return self
        if not len(self):
            return other
        names = set(self.attrs) | set(other.attrs)
        attrs = {k: np.concatenate([self.values(k), other.values(k)]) for k in names}
        return ElementSet(np.concatenate([self.types, other.types]), np.concatenate([self.geoms, other.geoms]),
                          np.concatenate([self.uids, other.uids]), attrs, {**self.catalog, **other.catalog})

    def subset(self, mask) -> "ElementSet":
        mask = np.asarray(mask)
        return ElementSet(self.types[mask], self.geoms[mask], self.uids[mask],
                          {k: v[mask] for k, v in self.attrs.items()}, self.catalog)

    @property
    def type_ids(self) -> list[str]:
        return sorted(set(self.types.tolist()))

    @property
    def is_point(self) -> np.ndarray:
        return np.isin(shapely.get_type_id(self.geoms), (0,)) if len(self.geoms) else np.zeros(0, dtype=bool)

    @property
    def xy(self) -> np.ndarray:
        """One point per element: the point itself, or a point on the line/polygon."""
        if not len(self.geoms):
            return np.empty((0, 2))
        pts = np.where(self.is_point, self.geoms, shapely.point_on_surface(self.geoms))
        return shapely.get_coordinates(pts)

    def values(self, name: str) -> np.ndarray:
        col = self.attrs.get(name)
        return col if col is not None else np.full(len(self), None, dtype=object)

    def numbers(self, name: str) -> np.ndarray:
        """An attribute as floats (NaN where missing or not a number)."""
        out = np.full(len(self), np.nan)
        for i, v in enumerate(self.values(name)):
            try:
                out[i] = float(v)
            except (TypeError, ValueError):
                pass
        return out

    def param(self, name: str, overrides: dict | None = None) -> np.ndarray:
        """A coverage parameter per element (radius, range, angle, azimuth, distance).

        Order of precedence: the rule's ``<name>_by_type`` and ``<name>`` overrides,
        the attribute the type's coverage model names for it, the model's default, and
        for distances the model's other distances.
        """
        overrides = overrides or {}
        out = np.zeros(len(self))
        by_type = overrides.get(f"{name}_by_type") or {}
        for tid in self.type_ids:
            sel = self.types == tid
            t: ElementType = self.catalog[tid]
            cm = t.coverage
            if tid in by_type:
                out[sel] = float(by_type[tid])
                continue
            if overrides.get(name) is not None:
                out[sel] = float(overrides[name])
                continue
            default = float(getattr(cm, name, 0.0) or 0.0)
            if not default and name == "angle":
                default = 360.0
            for alt in FALLBACK.get(name, ()):
                if default:
                    break
                default = float(getattr(cm, alt, 0.0) or 0.0)
            vals = np.full(int(sel.sum()), default)
            fld = cm.fields.get(name)
            if not fld:
                for alt in FALLBACK.get(name, ()):
                    fld = cm.fields.get(alt)
                    if fld:
                        break
            if fld and fld in self.attrs:
                given = self.subset(sel).numbers(fld)
                use = np.isfinite(given) & ((given > 0) | (name == "azimuth"))
                vals[use] = given[use]
            out[sel] = vals
        return out


def collect(project, type_ids=None, where: dict | None = None) -> ElementSet:
    """The design elements of the given types (all types when None).

    Parameters
    ----------
    project : Project
    type_ids : list of str, optional
    where : dict, optional
        ``{"field": name, "values": [...]}`` or ``{"field": name, "not": [...]}`` keeps
        only matching elements (``status`` not ``retired`` is always applied).
    """
    layers = project.design.layers
    wanted = list(layers) if type_ids is None else [t for t in type_ids if t in layers]
    types, geoms, uids = [], [], []
    attr_lists: dict[str, list] = {}
    cat = {}
    n = 0
    for tid in wanted:
        lyr = layers[tid]
        if not lyr.feature_count:
            continue
        g = np.asarray(lyr.geometries, dtype=object)
        table = lyr.table
        m = len(g)
        types.append(np.full(m, tid, dtype=object))
        geoms.append(g)
        uids.append(np.asarray(table.column("uid"), dtype=object) if table.has_field("uid")
                    else np.full(m, None, dtype=object))
        for name in table.field_names:
            if name == "uid":
                continue
            col = np.asarray(table.column(name), dtype=object)
            attr_lists.setdefault(name, [np.full(n, None, dtype=object)]).append(col)
        for name, parts in attr_lists.items():
            if not table.has_field(name):
                parts.append(np.full(m, None, dtype=object))
        n += m
        cat[tid] = lyr.element_type
    if not n:
        es = ElementSet.empty()
        es.catalog = cat
        return es
    es = ElementSet(np.concatenate(types), np.concatenate(geoms), np.concatenate(uids),
                    {k: np.concatenate(v) for k, v in attr_lists.items()}, cat)
    ok = ~shapely.is_missing(es.geoms)
    ok[ok] &= ~shapely.is_empty(es.geoms[ok])
    status = es.values("status")
    ok &= status != "retired"
    if where:
        ok &= match(es.values(where.get("field", "")), where)
    return es.subset(ok) if not ok.all() else es


def match(values: np.ndarray, where: dict) -> np.ndarray:
    """Rows whose value is in ``where["values"]`` (or not in ``where["not"]``)."""
    vals = np.asarray(values, dtype=object)
    if "values" in where or "prefix" in where:
        allowed = {str(v) for v in where.get("values", [])}
        prefixes = tuple(str(p) for p in where.get("prefix", []))
        return np.array([str(v) in allowed or (bool(prefixes) and v is not None and str(v).startswith(prefixes))
                         for v in vals], dtype=bool)
    if "not" in where:
        banned = {str(v) for v in where["not"]}
        return np.array([str(v) not in banned for v in vals], dtype=bool)
    if "contains" in where:
        part = str(where["contains"])
        return np.array([v is not None and part in str(v) for v in vals], dtype=bool)
    if "true" in where:
        want = bool(where["true"])
        return np.array([bool(v) == want if v is not None else False for v in vals], dtype=bool)
    return np.ones(len(vals), dtype=bool)
