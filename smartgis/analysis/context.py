"""What a check needs to know about a project, computed once per run.

The layer roles tell it where things are: the study area (``study_area``), the
built-up area (``built_up``), key public areas (``key_areas``), land use
(``land_use``), people (``population``), streets (``roads``), building footprints
(``buildings``, which block cameras), sensitive and hazardous sites, water bodies.
Everything is brought to the project CRS and cached, so thirty rules about the same
study area read and union it once.
"""

from __future__ import annotations

import numpy as np
import shapely

from smartgis.analysis.elements import ElementSet, collect, match
from smartgis.analysis.footprint import Footprint
from smartgis.analysis.outcome import NotApplicable
from smartgis.analysis.population import CENTRE_FEATURES, Population, population_from_file, population_from_layer
from smartgis.i18n import _, add_terms, join

#: Defaults of the ``check`` settings a project may override in ``settings["check"]``.
DEFAULT_SETTINGS = {
    "catchment_m": 150.0,   # longest straight walk from a street to a door (blocks are not crossed)
    "access_m": 200.0,      # farthest an element may be from the street it is reached by
    "snap_m": 1.0,          # street vertices closer than this are one node
    "gap_m": 25.0,          # dead ends are joined to a node this close
}

SCOPE_LABELS = {
    "study_area": _("study area"), "built_up": _("built-up area"), "key_areas": _("key public areas"),
    "land_use": _("land-use zones"), "population": _("populated area"),
}

#: Layer roles as messages name them: the role id in English (what ``--role`` takes),
#: the role's name in Chinese.
ROLE_LABELS = {
    "study_area": _("study_area"), "population": _("population"), "roads": _("roads"),
    "land_use": _("land_use"), "key_areas": _("key_areas"), "sensitive_sites": _("sensitive_sites"),
    "hazardous_sites": _("hazardous_sites"), "built_up": _("built_up"), "buildings": _("buildings"),
    "water": _("water"), "basemap": _("basemap"), "railways": _("railways"),
    "waterlogging_points": _("waterlogging_points"), "noise_zones": _("noise_zones"),
}


def role_label(role: str):
    """A layer role for a message (localisable when it is a known role)."""
    return ROLE_LABELS.get(role, role)


def register_type_terms(catalog) -> None:
    """Make the catalog's element type names translatable in text read back from a file
    (a stored check run names types in English)."""
    add_terms({t.name["en"]: t.name["zh"] for t in catalog if t.name.get("en") and t.name.get("zh")})


class Scope:
    """An area a rule is measured over."""

    def __init__(self, geometry, label: str, note: str | None = None):
        self.geometry = geometry
        self.label = label
        self.note = note
        shapely.prepare(geometry)

    @property
    def area(self) -> float:
        return float(self.geometry.area)


def _polygons(geoms) -> np.ndarray:
    g = np.asarray(geoms, dtype=object).reshape(-1)
    if not len(g):
        return g
    g = g[~shapely.is_missing(g)]
    g = g[np.isin(shapely.get_type_id(g), (3, 6))] if len(g) else g
    if len(g):
        g = shapely.make_valid(g)
    return g


class CheckContext:
    """Layers by role, study areas, population, road network and footprints of a project."""

    def __init__(self, project):
        self.project = project
        self.crs = project.crs
        s = dict(DEFAULT_SETTINGS)
        s.update((project.settings or {}).get("check") or {})
        self.settings = s
        self._cache: dict = {}
        register_type_terms(project.catalog)
        #: Elements not (yet) in the design, by type — proposals being evaluated.
        self.proposed: dict[str, ElementSet] = {}
        #: Which design elements count, or None for all: ``keep(elements) -> bool mask``
        #: (the city as of a construction phase).
        self.keep = None

    # -- layers ------------------------------------------------------------------------
    def role_layers(self, role: str, kind: str | None = "vector") -> list:
        from smartgis.core.layers import RasterLayer, VectorLayer
        out = []
        for lyr in self.project.layers_with_role(role):
            if not getattr(lyr, "available", True):
                continue
            if kind == "vector" and not isinstance(lyr, VectorLayer):
                continue
            if kind == "raster" and not isinstance(lyr, RasterLayer):
                continue
            out.append(lyr)
        return out

    def remember(self, key: tuple, build):
        """What ``build()`` gives, computed once per check run for ``key`` (results that
        several rules share; the key names everything they depend on)."""
        key = ("remembered",) + tuple(key)
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def role_versions(self, role: str) -> tuple:
        """``(layer id, version)`` of the layers of a role (for :meth:`remember` keys)."""
        return tuple((lyr.id, getattr(lyr, "version", 0)) for lyr in self.role_layers(role))

    def geometries(self, layer) -> np.ndarray:
        """A vector layer's geometries in the project CRS."""
        key = ("geoms", layer.id, getattr(layer, "version", 0))
        if key not in self._cache:
            from smartgis.crs import same_crs, transform_geometries
            g = np.asarray(layer.geometries, dtype=object)
            if layer.crs and not same_crs(layer.crs, self.crs):
                g = transform_geometries(g, layer.crs, self.crs)
            self._cache[key] = g
        return self._cache[key]

    def role_geometries(self, role: str, where: dict | None = None) -> np.ndarray:
        parts = []
        for lyr in self.role_layers(role):
            g = self.geometries(lyr)
            if where:
                props = lyr.props or {}
                fld = (where.get("field") or props.get("use_field") or props.get("code_field")
                       or props.get(f"{role}_field"))
                if not fld or not lyr.table.has_field(fld):
                    continue
                g = g[match(lyr.table.column(fld), where)]
            parts.append(g)
        return np.concatenate(parts) if parts else np.empty(0, dtype=object)

    # -- areas -------------------------------------------------------------------------
    def study_area(self) -> Scope:
        """The planning boundary: the union of the ``study_area`` layers' polygons.

        Without such a layer, the extent of the project's data layers is used and the
        results say so.
        """
        if "study_area" not in self._cache:
            polys = _polygons(self.role_geometries("study_area"))
            if len(polys):
                self._cache["study_area"] = Scope(shapely.union_all(polys), SCOPE_LABELS["study_area"])
            else:
                ext = self._data_extent()
                if ext is None:
                    raise NotApplicable(_("no study area (set a layer's role to {role})",
                                          role=role_label("study_area")))
                self._cache["study_area"] = Scope(
                    shapely.box(*ext), _("extent of the data layers"),
                    _("no study-area layer (set a layer's role to {role}): the extent of the data layers is used",
                      role=role_label("study_area")))
        return self._cache["study_area"]

    def _data_extent(self):
        from smartgis.core.design import ElementLayer
        layers = [lyr for lyr in self.project.layers.values() if not isinstance(lyr, ElementLayer)
                  and lyr.role not in ("basemap",)] or list(self.project.layers.values())
        ext = self.project.layers_extent(layers)
        if ext is None or ext[2] <= ext[0] or ext[3] <= ext[1]:
            return None
        return ext

    def scope(self, role: str | None = "study_area", where: dict | None = None) -> Scope:
        """The area a rule is measured over (clipped to the study area).

        ``built_up`` falls back to the study area (with a note); ``key_areas``,
        ``land_use`` and other roles without a layer make the rule not applicable.
        """
        role = role or "study_area"
        key = ("scope", role, repr(sorted((where or {}).items())))
        if key in self._cache:
            return self._cache[key]
        study = self.study_area()
        if role == "study_area":
            sc = study
        elif role == "population":
            pop = self.population()
            if pop.kind == "polygon":
                geom = shapely.intersection(shapely.union_all(pop.geoms), study.geometry)
            else:
                geom = study.geometry
            sc = Scope(geom, SCOPE_LABELS["population"])
        else:
            polys = _polygons(self.role_geometries(role, where))
            label = SCOPE_LABELS.get(role, role_label(role))
            if where and where.get("values"):
                label = _("{scope} ({values})", scope=label, values=join(map(str, where["values"])))
            if not len(polys):
                if role == "built_up":
                    sc = Scope(study.geometry, study.label,
                               _("no built-up area layer (set a layer's role to {role}): the study area is used",
                                 role=role_label("built_up")))
                else:
                    what = _("no {scope} layer (set a layer's role to {role})", scope=label, role=role_label(role))
                    if where:
                        what = _("no {scope} in the {role} layers", scope=label, role=role_label(role))
                    raise NotApplicable(what)
            else:
                geom = shapely.union_all(polys)
                # the study area bounds every check, but only when it is a real boundary
                if self.role_layers("study_area"):
                    geom = shapely.intersection(geom, study.geometry)
                sc = Scope(geom, label)
        if sc.geometry.is_empty or sc.area <= 0:
            raise NotApplicable(_("the {scope} is empty", scope=sc.label))
        if study.note and sc is not study and not sc.note:
            sc.note = study.note
        self._cache[key] = sc
        return sc

    # -- people ------------------------------------------------------------------------
    def _population_from_file(self, lyr) -> Population | None:
        """A very large polygon population layer not in memory, counted from its file
        (see :func:`population_from_file`); None to read the layer as usual."""
        if getattr(lyr, "loaded", True) or getattr(lyr, "feature_count", 0) < CENTRE_FEATURES \
                or "polygon" not in (getattr(lyr, "geometry_type", "") or "").lower():
            return None
        from smartgis.project.source import file_table
        try:
            ft = file_table(lyr, self.project)
        except Exception:  # noqa: BLE001 - no readable table: read the layer as usual
            return None
        return population_from_file(lyr, ft, self.crs) if ft is not None else None

    def population(self) -> Population:
        if "population" not in self._cache:
            layers = self.role_layers("population", kind=None)
            if not layers:
                self._cache["population"] = NotApplicable(
                    _("no population layer (set a layer's role to {role})", role=role_label("population")))
            else:
                lyr = layers[0]
                try:
                    pop = self._population_from_file(lyr)
                    if pop is None:
                        geoms = self.geometries(lyr) if hasattr(lyr, "geometries") else None
                        pop = population_from_layer(lyr, self.crs, geoms)
                    self._cache["population"] = pop
                except NotApplicable as exc:
                    self._cache["population"] = exc
        got = self._cache["population"]
        if isinstance(got, NotApplicable):
            raise got
        return got

    # -- streets, buildings, sites -----------------------------------------------------------
    def network(self):
        """The road network of the ``roads`` layers (built once)."""
        if "network" not in self._cache:
            lines = self.role_geometries("roads")
            if not len(lines):
                self._cache["network"] = NotApplicable(
                    _("no road network (set a layer's role to {role})", role=role_label("roads")))
            else:
                from smartgis.analysis.network import RoadNetwork
                net = RoadNetwork(lines, snap_m=float(self.settings["snap_m"]), gap_m=float(self.settings["gap_m"]))
                self._cache["network"] = net if net.edge_count else NotApplicable(
                    _("the {role} layers hold no lines", role=role_label("roads")))
        got = self._cache["network"]
        if isinstance(got, NotApplicable):
            raise got
        return got

    def has_network(self) -> bool:
        try:
            self.network()
            return True
        except NotApplicable:
            return False

    def obstacles(self):
        """Building footprints that block cameras (role ``buildings``), or None."""
        if "obstacles" not in self._cache:
            polys = _polygons(self.role_geometries("buildings"))
            self._cache["obstacles"] = polys if len(polys) else None
        return self._cache["obstacles"]

    def sites(self, role: str) -> np.ndarray:
        key = ("sites", role)
        if key not in self._cache:
            g = self.role_geometries(role)
            self._cache[key] = g[~shapely.is_empty(g)] if len(g) else g
        return self._cache[key]

    # -- elements ----------------------------------------------------------------------
    def elements(self, type_ids=None, where: dict | None = None) -> ElementSet:
        key = ("elements", tuple(type_ids) if type_ids is not None else None, repr(where),
               tuple((t, lyr.version) for t, lyr in sorted(self.project.design.layers.items())),
               tuple((t, len(e)) for t, e in sorted(self.proposed.items())))
        if key not in self._cache:
            es = collect(self.project, type_ids, where)
            if self.keep is not None and len(es):
                es = es.subset(self.keep(es))
            for tid, extra in self.proposed.items():
                if type_ids is None or tid in type_ids:
                    es = es.concat(extra)
            self._cache[key] = es
        return self._cache[key]

    def footprint(self, elements: ElementSet, params: dict | None = None, key=None) -> Footprint:
        """What the elements cover (cached per element selection and parameters)."""
        from smartgis.analysis.models import footprint
        ck = ("fp", key, repr(sorted((params or {}).items()))) if key is not None else None
        if ck is not None and ck in self._cache:
            return self._cache[ck]
        fp = footprint(self, elements, params)
        if ck is not None:
            self._cache[ck] = fp
        return fp
