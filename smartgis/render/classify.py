"""Which symbol each feature gets: single symbol, categories or graduated ranges.

Classes are computed for all features at once (vectorised) and cached with the
layer's prepared data, so a re-render of a categorised million-feature layer only
looks classes up.
"""

from __future__ import annotations

import numpy as np

from smartgis.core.style import Symbol, VectorStyle


def symbols_of(style: VectorStyle) -> list[Symbol]:
    """The symbols of a style, one per class; the last is the "other values" symbol."""
    if style.renderer == "categorized" and style.field:
        return [c.symbol for c in style.categories] + [style.symbol]
    if style.renderer == "graduated" and style.field:
        return [r.symbol for r in style.ranges] + [style.symbol]
    return [style.symbol]


def class_key(style: VectorStyle) -> tuple:
    """What the classes depend on (colours do not change them)."""
    if style.renderer == "categorized" and style.field:
        return ("cat", style.field, tuple(repr(c.value) for c in style.categories))
    if style.renderer == "graduated" and style.field:
        return ("grad", style.field, tuple((r.lower, r.upper) for r in style.ranges))
    return ("single",)


def needs_field(style: VectorStyle) -> str | None:
    return style.field if style.renderer in ("categorized", "graduated") and style.field else None


def classify(style: VectorStyle, column: np.ndarray | None, n: int) -> np.ndarray:
    """An int16 array: the index into :func:`symbols_of` for every feature."""
    nsym = len(symbols_of(style))
    out = np.full(n, nsym - 1, dtype=np.int16)
    if nsym == 1 or column is None:
        return out
    col = np.asarray(column)
    unassigned = np.ones(n, dtype=bool)
    if style.renderer == "categorized":
        numeric = col.dtype.kind in "iufb"
        strs = None
        isnull = None
        for k, cat in enumerate(style.categories):
            v = cat.value
            if v is None:
                if isnull is None:
                    isnull = _nulls(col)
                mask = isnull
            elif numeric:
                try:
                    mask = col == float(v)
                except (TypeError, ValueError):
                    continue
            else:
                if strs is None:
                    strs = col.astype(str)
                mask = strs == str(v)
            mask = mask & unassigned
            out[mask] = k
            unassigned &= ~mask
    else:
        vals = _floats(col)
        for k, r in enumerate(style.ranges):
            mask = (vals >= r.lower) & (vals <= r.upper) & unassigned
            out[mask] = k
            unassigned &= ~mask
    return out


def _nulls(col: np.ndarray) -> np.ndarray:
    if col.dtype.kind == "f":
        return np.isnan(col)
    if col.dtype == object:
        return np.frompyfunc(lambda v: v is None or (isinstance(v, float) and v != v), 1, 1)(col).astype(bool)
    return np.zeros(len(col), dtype=bool)


def _floats(col: np.ndarray) -> np.ndarray:
    if col.dtype.kind in "iufb":
        return col.astype(np.float64)

    def conv(v):
        try:
            return float(v)
        except (TypeError, ValueError):
            return np.nan
    return np.frompyfunc(conv, 1, 1)(col).astype(np.float64)
