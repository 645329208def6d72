"""The element catalog: the smart-city element types a design is made of.

Types are data, not code: JSON files in ``resources/catalog/`` (and in a project, or
contributed by plugins) give each type its Chinese and English name, category
(sensor / network / facility), geometry type, attribute schema with defaults, default
coverage model and the standard rules it serves.  The format is documented in
``docs/catalog-format.md``.
"""

from __future__ import annotations

import difflib
import json
import os
from dataclasses import dataclass
from dataclasses import field as dc_field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from smartgis import contributions
from smartgis.core.fields import Field
from smartgis.core.json_errors import json_error
from smartgis.errors import CatalogError
from smartgis.i18n import _
from smartgis.resources import resources_dir

CATEGORIES = ("sensor", "network", "facility")
COVERAGE_MODELS = ("circle", "sector", "network", "none")
#: Names an element type may not use for attributes (``uid`` is the element id column;
#: ``variant`` is the keyword of :meth:`Design.add`).
RESERVED_ATTRIBUTES = frozenset({"uid", "fid", "geom", "variant"})
_GEOMETRIES = {"point": "Point", "linestring": "LineString", "line": "LineString", "polygon": "Polygon"}
#: The geometry types as messages name them (点 / 线 / 面 in Chinese).
GEOMETRY_NAMES = {"Point": _("Point"), "LineString": _("LineString"), "Polygon": _("Polygon")}
#: Models added at run time (``smartgis.analysis.register_coverage_model``), e.g. by plugins.
_EXTRA_COVERAGE_MODELS: set[str] = set()


def _contributed_models() -> set[str]:
    try:
        return set(contributions.current().coverage_models())
    except Exception:  # noqa: BLE001 - contributions are optional: built-in models always work
        return set()


def add_coverage_model_name(name: str) -> None:
    """Let catalog types name a coverage model registered by the analysis package."""
    _EXTRA_COVERAGE_MODELS.add(str(name))


@dataclass
class CoverageModel:
    """How an element covers space.

    Parameters
    ----------
    model : {"circle", "sector", "network", "none"}
        ``circle``: everything within ``radius`` metres; ``sector``: a camera's field of
        view (``range`` metres, ``angle`` degrees, centred on ``azimuth`` clockwise from
        north); ``network``: within ``distance`` metres walking along the road network.
    radius, range, angle, azimuth, distance : float
        Defaults; an element overrides them with the attributes named in ``fields``.
    fields : dict
        Attribute that overrides each parameter per element, e.g. ``{"range": "range_m"}``.
    """

    model: str = "none"
    radius: float = 0.0
    range: float = 0.0
    angle: float = 360.0
    azimuth: float = 0.0
    distance: float = 0.0
    fields: dict = dc_field(default_factory=dict)

    def __post_init__(self):
        if self.model not in COVERAGE_MODELS and self.model not in _EXTRA_COVERAGE_MODELS \
                and self.model not in _contributed_models():
            known = sorted(set(COVERAGE_MODELS) | _EXTRA_COVERAGE_MODELS | _contributed_models())
            raise CatalogError(_("unknown coverage model {model!r} (use one of {models})", model=self.model,
                                 models=", ".join(known)))

    def to_dict(self) -> dict:
        d = {"model": self.model}
        for k in ("radius", "range", "angle", "azimuth", "distance"):
            v = getattr(self, k)
            if v and not (k == "angle" and v == 360.0):
                d[k] = v
        if self.fields:
            d["fields"] = dict(self.fields)
        return d

    @classmethod
    def from_dict(cls, d: dict | None) -> "CoverageModel":
        d = dict(d or {})
        try:
            return cls(model=d.get("model", "none"), radius=float(d.get("radius", 0) or 0),
                       range=float(d.get("range", 0) or 0), angle=float(d.get("angle", 360) or 360),
                       azimuth=float(d.get("azimuth", 0) or 0), distance=float(d.get("distance", 0) or 0),
                       fields=dict(d.get("fields") or {}))
        except (TypeError, ValueError) as exc:
            raise CatalogError(_("invalid coverage model {model!r}: {error}", model=d, error=str(exc))) from exc

    @property
    def reach(self) -> float:
        """The largest distance the element covers (for spatial queries)."""
        return max(self.radius, self.range, self.distance)


@dataclass
class Variant:
    """A named set of attribute values of a type: a PTZ camera, a class-2 fire station.

    A variant is not a type of its own: its elements are elements of the type (same
    layer, same rules), starting from different default values.

    Parameters
    ----------
    id : str
        Identifier within the type (``ptz``); the CLI and scripts write ``camera:ptz``.
    name : dict
        ``{"zh": ..., "en": ...}``.
    values : dict
        Attribute values that replace the type's defaults.
    """

    id: str
    name: dict
    values: dict = dc_field(default_factory=dict)

    def label(self, lang: str = "zh") -> str:
        return self.name.get(lang) or self.name.get("en") or self.name.get("zh") or self.id

    def to_dict(self) -> dict:
        return {"id": self.id, "name": dict(self.name), "values": dict(self.values)}


@dataclass
class ElementType:
    """One kind of element a designer places: a camera, a school, a fibre line ...

    Attributes
    ----------
    id : str
        Stable identifier (``camera``, ``primary_school``), used in files and the CLI.
    name : dict
        ``{"zh": ..., "en": ...}``.
    category : {"sensor", "network", "facility"}
    geometry : {"Point", "LineString", "Polygon"}
    attributes : list of Field
        The schema: the catalog's common attributes followed by the type's own.
    coverage : CoverageModel
    rules : list of str
        Ids of the standard rules the type serves (``GB50180-2018/primary_school_radius``).
    icon : str
        SVG file name in ``resources/icons/`` (or a path).
    color : str
        Map colour of the element and its coverage.
    origin : str
        ``builtin``, ``project`` (a user catalog kept with the project) or ``plugin:<name>``.
    variants : list of Variant
        Named sets of default values (``bullet``/``ptz`` cameras, fire-station classes).
    """

    id: str
    name: dict
    category: str
    geometry: str
    attributes: list[Field] = dc_field(default_factory=list)
    coverage: CoverageModel = dc_field(default_factory=CoverageModel)
    rules: list[str] = dc_field(default_factory=list)
    icon: str | None = None
    color: str = "#1f77b4"
    description: dict = dc_field(default_factory=dict)
    indicators: list[str] = dc_field(default_factory=list)
    origin: str = "builtin"
    variants: list[Variant] = dc_field(default_factory=list)
    #: Display names of the values of the type's own attributes, ``{field: {value:
    #: {"zh", "en"}}}`` (the ``labels`` of an attribute in the catalog file).
    choice_labels: dict = dc_field(default_factory=dict)

    def label(self, lang: str = "zh") -> str:
        return self.name.get(lang) or self.name.get("en") or self.name.get("zh") or self.id

    def field(self, name: str) -> Field | None:
        for f in self.attributes:
            if f.name == name:
                return f
        return None

    def defaults(self, variant: str | None = None) -> dict:
        """Attribute values a new element of this type (or of one variant) starts with."""
        d = {f.name: f.default for f in self.attributes}
        if variant:
            d.update(self.variant(variant).values)
        return d

    def variant_of(self, attrs: dict) -> str | None:
        """The variant whose values an element's attributes carry (None: no variant matches)."""
        for v in self.variants:
            if v.values and all(str(attrs.get(k)) == str(val) for k, val in v.values.items()):
                return v.id
        return None

    def variant(self, variant_id: str) -> Variant:
        """A variant by id.

        Raises
        ------
        CatalogError
            Naming the variants the type has.
        """
        for v in self.variants:
            if v.id == variant_id:
                return v
        have = ", ".join(v.id for v in self.variants) or _("none")
        raise CatalogError(_("element type {type!r} has no variant {variant!r} (variants: {variants})",
                             type=self.id, variant=variant_id, variants=have))

    def icon_path(self) -> Path | None:
        """The icon's SVG file (None for no icon or an icon embedded as ``base64:``)."""
        if not self.icon or self.icon.startswith("base64:"):
            return None
        p = Path(self.icon)
        return p if p.is_absolute() else resources_dir() / "icons" / p

    def icon_embedded(self) -> str | None:
        """The icon as a self-contained ``base64:`` SVG, for styles written into projects."""
        from smartgis.core.symbols import embedded_icon
        if not self.icon:
            return None
        return embedded_icon(self.icon if self.icon.startswith("base64:") else str(self.icon_path()))

    def to_dict(self, common: Iterable[str] = ()) -> dict:
        common = set(common)
        attrs = []
        for f in self.attributes:
            if f.name in common and f.name not in self.choice_labels:
                continue
            a = f.to_dict()
            if f.name in self.choice_labels:
                a["labels"] = self.choice_labels[f.name]
            attrs.append(a)
        d = {"id": self.id, "name": self.name, "category": self.category, "geometry": self.geometry,
             "attributes": attrs,
             "coverage": self.coverage.to_dict(), "rules": list(self.rules), "color": self.color}
        if self.icon:
            d["icon"] = self.icon
        if self.description:
            d["description"] = self.description
        if self.indicators:
            d["indicators"] = list(self.indicators)
        if self.variants:
            d["variants"] = [v.to_dict() for v in self.variants]
        return d

    @classmethod
    def from_dict(cls, d: dict, common: list[Field] = (), origin: str = "builtin") -> "ElementType":
        try:
            tid = str(d["id"]).strip()
            if not tid.replace("_", "").isalnum() or not tid.isascii():
                raise CatalogError(_("element type id {type!r} must be ASCII letters, digits and _", type=tid))
            name = d.get("name") or {}
            if isinstance(name, str):
                name = {"zh": name, "en": name}
            category = d.get("category", "")
            if category not in CATEGORIES:
                raise CatalogError(_("element type {type!r}: category {category!r} is not one of {categories}",
                                     type=tid, category=category, categories=", ".join(CATEGORIES)))
            geometry = _GEOMETRIES.get(str(d.get("geometry", "")).lower())
            if geometry is None:
                raise CatalogError(_("element type {type!r}: geometry {geometry!r} is not "
                                     "Point, LineString or Polygon", type=tid, geometry=d.get("geometry")))
            own = [Field.from_dict(a) for a in d.get("attributes", [])]
            labels = {}
            for a in d.get("attributes", []):
                if a.get("labels"):
                    if not isinstance(a["labels"], dict):
                        raise CatalogError(_("element type {type!r}: labels of {attribute!r} map values to "
                                             "{{\"zh\": ..., \"en\": ...}}", type=tid, attribute=a["name"]))
                    labels[a["name"]] = {str(k): ({"zh": v, "en": v} if isinstance(v, str) else dict(v))
                                         for k, v in a["labels"].items()}
            names = {f.name for f in own}
            attrs = [Field.from_dict(f.to_dict()) for f in common if f.name not in names] + own
            if len({f.name for f in attrs}) != len(attrs):
                raise CatalogError(_("element type {type!r}: an attribute is defined twice", type=tid))
            if {f.name for f in attrs} & RESERVED_ATTRIBUTES:
                raise CatalogError(_("element type {type!r}: attribute names {names} are reserved",
                                     type=tid, names=", ".join(sorted(RESERVED_ATTRIBUTES))))
            coverage = CoverageModel.from_dict(d.get("coverage"))
            all_names = {f.name for f in attrs}
            for param, fname in coverage.fields.items():
                if fname not in all_names:
                    raise CatalogError(_("element type {type!r}: coverage {param!r} reads attribute "
                                         "{attribute!r}, which the type does not have",
                                         type=tid, param=param, attribute=fname))
            variants = []
            for v in d.get("variants", []):
                vname = v.get("name") or v["id"]
                if isinstance(vname, str):
                    vname = {"zh": vname, "en": vname}
                values = dict(v.get("values") or {})
                unknown = set(values) - all_names
                if unknown:
                    raise CatalogError(_("element type {type!r}: variant {variant!r} sets unknown "
                                         "attributes {attributes}", type=tid, variant=v["id"],
                                         attributes=", ".join(sorted(unknown))))
                variants.append(Variant(str(v["id"]), dict(vname), values))
            if len({v.id for v in variants}) != len(variants):
                raise CatalogError(_("element type {type!r}: a variant id is used twice", type=tid))
            return cls(id=tid, name=dict(name), category=category, geometry=geometry, attributes=attrs,
                       coverage=coverage, rules=list(d.get("rules", [])),
                       icon=d.get("icon"), color=d.get("color", "#1f77b4"),
                       description=dict(d.get("description") or {}),
                       indicators=list(d.get("indicators", [])), origin=origin, variants=variants,
                       choice_labels=labels)
        except KeyError as exc:
            raise CatalogError(_("element type is missing {key!r}: {data!r:.120}", key=exc.args[0], data=d)) from exc


class Catalog:
    """A set of element types, looked up by id.

    Examples
    --------
    >>> cat = default_catalog()
    >>> cat.get("camera").coverage.model
    'sector'
    """

    def __init__(self, types: Iterable[ElementType] = (), common: Iterable[Field] = ()):
        self.common: list[Field] = list(common)
        #: Display names of attribute values: ``{field: {value: {"zh": ..., "en": ...}}}``
        #: (``ptz`` → 球机 / PTZ), shown by forms and legends instead of the stored value.
        self.choice_labels: dict[str, dict[str, dict]] = {}
        self._types: dict[str, ElementType] = {}
        for t in types:
            self.add(t)

    def add(self, t: ElementType, replace: bool = False) -> None:
        if t.id in self._types and not replace:
            raise CatalogError(_("element type {type!r} is defined twice", type=t.id))
        self._types[t.id] = t

    def get(self, type_id: str) -> ElementType:
        try:
            return self._types[type_id]
        except KeyError:
            close = difflib.get_close_matches(type_id, list(self._types), n=3)
            hint = _("; did you mean {names}?", names=", ".join(close)) if close else ""
            raise CatalogError(_("unknown element type {type!r}{hint}", type=type_id, hint=hint)) from None

    def __contains__(self, type_id: str) -> bool:
        return type_id in self._types

    def resolve(self, spec: str) -> tuple[ElementType, str | None]:
        """The type and variant of ``"camera"`` or ``"camera:ptz"``."""
        tid, _, var = str(spec).partition(":")
        t = self.get(tid.strip())
        var = var.strip() or None
        if var is not None:
            t.variant(var)  # raises with the list of variants
        return t, var

    def remove(self, type_id: str) -> ElementType:
        """Take a type out of the catalog; returns it."""
        t = self.get(type_id)
        del self._types[type_id]
        return t

    def __iter__(self):
        return iter(self._types.values())

    def __len__(self) -> int:
        return len(self._types)

    def ids(self) -> list[str]:
        return list(self._types)

    def by_category(self, category: str) -> list[ElementType]:
        return [t for t in self._types.values() if t.category == category]

    def copy(self) -> "Catalog":
        c = Catalog(common=self.common)
        c._types = dict(self._types)
        c.choice_labels = {k: dict(v) for k, v in self.choice_labels.items()}
        return c

    def choice_label(self, field: str, value, lang: str = "zh", type_id: str | None = None) -> str:
        """How an attribute value is shown: its label in ``lang`` (the type's own
        labels first, then the catalog's), else the value itself."""
        own = self._types[type_id].choice_labels if type_id in self._types else {}
        lab = own.get(field, {}).get(str(value)) or self.choice_labels.get(field, {}).get(str(value))
        if not lab:
            return "" if value is None else str(value)
        return lab.get(lang) or lab.get("en") or lab.get("zh") or str(value)

    # -- files -------------------------------------------------------------------------
    def load_file(self, path: str | os.PathLike, origin: str = "builtin", replace: bool = False) -> list[str]:
        """Add the types of one catalog JSON file; returns their ids."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CatalogError(_("catalog file not found"), path) from None
        except IsADirectoryError:
            raise CatalogError(_("is a folder, not a catalog file"), path) from None
        except OSError as exc:
            raise CatalogError(_("cannot be read ({reason})", reason=exc.strerror), path) from None
        except UnicodeDecodeError:
            raise CatalogError(_("not a valid catalog file: {error}",
                                 error=_("the file is not UTF-8 text (save it as UTF-8)")), path) from None
        except json.JSONDecodeError as exc:
            raise CatalogError(_("not a valid catalog file: {error}", error=json_error(exc)), path) from None
        try:
            return self.load_data(data, origin=origin, replace=replace)
        except CatalogError as exc:
            raise CatalogError(exc.message, path) from None

    def load_data(self, data: dict, origin: str = "builtin", replace: bool = False) -> list[str]:
        if not isinstance(data, dict) or "types" not in data:
            raise CatalogError(_("a catalog file is an object with a 'types' list"))
        common = [Field.from_dict(f) for f in data.get("common_attributes", [])] or self.common
        if data.get("common_attributes"):
            self.common = common
        labels = data.get("choice_labels") or {}
        if not isinstance(labels, dict):
            raise CatalogError(_("'choice_labels' is an object: {{field: {{value: {{\"zh\": ..., \"en\": ...}}}}}}"))
        for fname, values in labels.items():
            if not isinstance(values, dict):
                raise CatalogError(_("choice_labels of {field!r}: give {{value: {{\"zh\": ..., \"en\": ...}}}}",
                                     field=fname))
            mine = self.choice_labels.setdefault(str(fname), {})
            for value, lab in values.items():
                mine[str(value)] = {"zh": lab, "en": lab} if isinstance(lab, str) else dict(lab)
        ids = []
        for d in data["types"]:
            t = ElementType.from_dict(d, common, origin=origin)
            self.add(t, replace=replace)
            ids.append(t.id)
        return ids

    def to_data(self, origin: str | None = None) -> dict:
        """The catalog (or the types of one origin) as a catalog-file object."""
        types = [t for t in self if origin is None or t.origin == origin]
        common = [f.name for f in self.common]
        return {"format": "smartgis-catalog", "version": 1,
                "common_attributes": [f.to_dict() for f in self.common],
                "types": [t.to_dict(common) for t in types]}


@lru_cache(maxsize=1)
def _builtin() -> Catalog:
    cat = Catalog()
    folder = resources_dir() / "catalog"
    files = sorted(folder.glob("*.json"))
    if not files:
        raise CatalogError(_("no element catalog files found"), folder)
    # common.json first so every type gets the shared attributes
    files.sort(key=lambda p: (p.name != "common.json", p.name))
    for p in files:
        cat.load_file(p)
    return cat


def default_catalog(plugins: bool = True) -> Catalog:
    """A fresh copy of the built-in catalog (``resources/catalog/*.json``).

    With ``plugins`` (the default), the element types of the enabled plugins are added
    (the session's :func:`smartgis.contributions.current` ``element_types``, see
    :func:`smartgis.session.extend_catalog`); a failing plugin never stops it.
    """
    cat = _builtin().copy()
    if plugins:
        try:
            contributions.current().element_types(cat)
        except Exception:  # plugins are optional: the built-in catalog always works
            pass
    return cat
