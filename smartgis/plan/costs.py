"""Unit costs: the cost catalog in ``resources/costs/*.json`` and a project's own costs.

A unit cost is CNY per element (points), per metre (lines) or per square metre
(areas), for an element type and optionally one variant of it.  The variant is the
value of the type's ``variant_field`` attribute (``mount`` for cameras: ``camera:ptz``).
Every cost says where it comes from (``source``, ``year``) and whether the figure was
checked against that source (``verified``).  Format: ``docs/plan.md``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from smartgis.errors import CatalogError, UsageError
from smartgis.i18n import _

#: Quantity unit by geometry: what a unit cost is per.
UNITS = {"Point": "个", "LineString": "m", "Polygon": "m²"}
UNITS_EN = {"Point": "each", "LineString": "m", "Polygon": "m²"}


@dataclass(frozen=True)
class UnitCost:
    type_id: str
    variant: str | None
    cny: float
    source: str = ""
    year: int | None = None
    verified: bool = False
    origin: str = "catalog"   # "catalog" or "project"


def costs_dir() -> Path:
    from smartgis.core.catalog import resources_dir
    return resources_dir() / "costs"


class CostCatalog:
    """Unit costs by (type, variant), with the variant field of each type."""

    def __init__(self):
        self.costs: dict[tuple[str, str | None], UnitCost] = {}
        self.variant_fields: dict[str, str] = {}

    def add_file(self, path) -> None:
        path = Path(path)
        try:
            d = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise CatalogError(_("cannot read the cost file ({error})", error=exc.strerror or str(exc)), path) from None
        except json.JSONDecodeError as exc:
            from smartgis.core.json_errors import json_error
            raise CatalogError(json_error(exc), path) from None
        if not isinstance(d, dict) or d.get("format") != "smartgis-costs":
            raise CatalogError(_("not a SmartGIS cost file (\"format\": \"smartgis-costs\" is missing)"), path)
        for tid, spec in (d.get("types") or {}).items():
            if spec.get("variant_field"):
                self.variant_fields[tid] = str(spec["variant_field"])
            for c in spec.get("costs") or []:
                try:
                    cny = float(c["cny"])
                except (KeyError, TypeError, ValueError):
                    raise CatalogError(_("type {type!r}: a cost without a number in \"cny\"", type=tid), path) from None
                if cny < 0:
                    raise CatalogError(_("type {type!r}: a negative cost", type=tid), path)
                v = c.get("variant") or None
                self.costs[(tid, v)] = UnitCost(tid, v, cny, str(c.get("source") or d.get("source") or ""),
                                                c.get("year") or d.get("year"), bool(c.get("verified", False)))

    def get(self, type_id: str, variant: str | None = None) -> UnitCost | None:
        if variant is not None and (type_id, variant) in self.costs:
            return self.costs[(type_id, variant)]
        return self.costs.get((type_id, None))

    def types(self) -> set[str]:
        return {t for t, _v in self.costs}

    def __len__(self) -> int:
        return len(self.costs)


@lru_cache(maxsize=1)
def default_costs() -> CostCatalog:
    """The cost catalog shipped with SmartGIS (``resources/costs/*.json``)."""
    cat = CostCatalog()
    folder = costs_dir()
    for f in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        cat.add_file(f)
    return cat


def parse_cost_spec(spec: str) -> tuple[str, str | None, float]:
    """``"camera:ptz=18000"`` → ``("camera", "ptz", 18000.0)``."""
    key, sep, value = spec.partition("=")
    if not sep or not key.strip():
        raise UsageError(_("cost {spec!r}: write TYPE[:VARIANT]=CNY", spec=spec))
    tid, _c, variant = key.strip().partition(":")
    try:
        cny = float(value.replace(",", "").strip())
    except ValueError:
        raise UsageError(_("cost {spec!r}: {value!r} is not a number of yuan", spec=spec, value=value)) from None
    if cny < 0 or cny != cny:
        raise UsageError(_("cost {spec!r}: a cost cannot be negative", spec=spec))
    return tid.strip(), (variant.strip() or None), cny


def variant_field(element_type, catalog: CostCatalog | None = None) -> str | None:
    """The attribute whose value names an element's variant for costing.

    The cost catalog says it (``variant_field``); otherwise it is the attribute every
    catalog variant of the type sets to its own id (``station_class`` for fire stations).
    """
    cat = catalog or default_costs()
    tid = element_type.id
    if tid in cat.variant_fields:
        return cat.variant_fields[tid]
    variants = getattr(element_type, "variants", None) or []
    if not variants:
        return None
    names = set.intersection(*(set(k for k, val in v.values.items() if str(val) == v.id) for v in variants))
    return sorted(names)[0] if names else None


def check_variant(element_type, variant: str | None, catalog: CostCatalog | None = None) -> None:
    """Raise :class:`~smartgis.errors.UsageError` unless ``variant`` can price elements of the type:
    the type has a variant field and, when that field has choices, ``variant`` is one."""
    if variant is None:
        return
    fld = variant_field(element_type, catalog)
    if fld is None:
        raise UsageError(_("element type {type!r} has no variants to price separately", type=element_type.id))
    f = element_type.field(fld) if hasattr(element_type, "field") else None
    choices = list(getattr(f, "choices", None) or [])
    if choices and variant not in choices:
        raise UsageError(_("{type}:{variant}: {field} is one of {choices}", type=element_type.id, variant=variant,
                           field=fld, choices=", ".join(map(str, choices))))
