"""The fields the checks read from a layer with a role.

A ``population`` layer names the field holding the number of people
(``layer.props["population_field"]``); a ``land_use`` layer the field holding the
land-use class (``layer.props["use_field"]``), whose values the standards match by
GB 50137 code prefix (``R``, ``B``, ``M`` …) or by name (``居住用地``, ``residential``).
The layer properties dialog and ``smartgis layer`` set them; these helpers propose a
field and say what the standards will find in it.
"""

from __future__ import annotations

import re

import numpy as np

#: Property holding each role's field.
ROLE_FIELDS = {"population": "population_field", "land_use": "use_field"}

_POPULATION_NAMES = re.compile(r"^(pop(ulation)?|people|persons|residents?|inhabitants|rk|renkou)(_?\d{2,4})?$"
                               r"|人口|人数", re.IGNORECASE)
_USE_NAMES = re.compile(r"^(land_?use|use|use_?(class|code|type)|yd(dm|lx|xz|fl)|dl(bm|mc)|zoning)$"
                        r"|用地|地类", re.IGNORECASE)
NUMERIC_TYPES = ("int", "float")


def numeric_fields(fields) -> list:
    return [f for f in fields if getattr(f, "type", None) in NUMERIC_TYPES]


def guess_population_field(fields) -> str | None:
    """The field of ``fields`` most likely to hold the number of people (numeric only)."""
    nums = numeric_fields(fields)
    for f in nums:
        if _POPULATION_NAMES.search(str(f.name)):
            return f.name
    return None


def guess_use_field(fields) -> str | None:
    """The field of ``fields`` most likely to hold the land-use class."""
    for f in fields:
        if _USE_NAMES.search(str(f.name)):
            return f.name
    return None


def population_total(values) -> tuple[float, int]:
    """(people, features with people) of a population field's values."""
    v = np.asarray(values)
    if v.dtype == object:
        v = np.array([_num(x) for x in v], dtype=float)
    v = v.astype(float)
    ok = np.isfinite(v) & (v > 0)
    return float(v[ok].sum()), int(ok.sum())


def _num(x) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return np.nan


def land_use_classes(library=None) -> list[dict]:
    """The land-use classes the standards' rules measure over, each once.

    Returns ``[{"label": {"en", "zh"}, "where": {...}, "rules": [rule ids]}]`` for the
    rules with ``scope: land_use`` that match by the layer's use field.
    """
    if library is None:
        from smartgis.analysis.standards import Library
        library = Library.builtin()
    out: dict[str, dict] = {}
    for rule in library.rules():
        w = rule.scope_where
        if rule.scope != "land_use" or not w or w.get("field"):
            continue
        key = repr((sorted(map(str, w.get("values", []))), sorted(map(str, w.get("prefix", [])))))
        if key not in out:
            values = [str(v) for v in w.get("values", [])]
            zh = next((v for v in values if re.search(r"[\u4e00-\u9fff]", v)), values[0] if values else "")
            en = next((v for v in values if v.isascii()), zh)
            codes = "/".join(f"{p}…" for p in w.get("prefix", []))
            out[key] = {"label": {"en": f"{en} ({codes})" if codes else en, "zh": f"{zh}（{codes}）" if codes else zh},
                        "where": dict(w), "rules": []}
        out[key]["rules"].append(rule.id)
    return list(out.values())


def count_land_use(values, library=None) -> list[tuple[dict, int]]:
    """How many zones of a use field's ``values`` each land-use class of the standards finds."""
    from smartgis.analysis.elements import match
    vals = np.asarray(values, dtype=object)
    return [(c["label"], int(match(vals, c["where"]).sum())) for c in land_use_classes(library)]
