"""Classifying a column for categorized and graduated styles (numpy, no Qt).

The helpers work on the whole column at once, so classifying a million buildings
by use or by height takes a few tens of milliseconds.
"""

from __future__ import annotations

import colorsys

import numpy as np

from smartgis.core.style import Category, Range, Symbol, VectorStyle
from smartgis.errors import UsageError
from smartgis.i18n import _

#: Colour ramps for graduated styles: name → colour stops from low to high.
RAMPS: dict[str, list[str]] = {
    "YlOrRd": ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"],
    "Reds": ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"],
    "Blues": ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"],
    "Greens": ["#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"],
    "Viridis": ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"],
    "Spectral": ["#d7191c", "#fdae61", "#ffffbf", "#abdda4", "#2b83ba"],
    "Greys": ["#f7f7f7", "#cccccc", "#969696", "#636363", "#252525"],
}

#: Qualitative palettes for categories.
PALETTES: dict[str, list[str]] = {
    "Set3": ["#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5",
             "#d9d9d9", "#bc80bd", "#ccebc5", "#ffed6f"],
    "Tableau": ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                "#9c755f", "#bab0ac"],
    "Pastel": ["#fbb4ae", "#b3cde3", "#ccebc5", "#decbe4", "#fed9a6", "#ffffcc", "#e5d8bd", "#fddaec"],
}

#: Raster colour ramps the renderer understands (RasterStyle.ramp).
RASTER_RAMPS = ("greys", "terrain", "viridis", "spectral")

#: Graduated classification methods.
METHODS = ("equal_interval", "quantile")

MAX_CATEGORIES = 500


class TooManyValues(UsageError):
    """A field has too many distinct values for a categorized style."""

    def __init__(self, count: int, limit: int):
        self.count, self.limit = count, limit
        super().__init__(_("{count} distinct values (more than {limit}); use a graduated style", count=count,
                           limit=limit))


class NoNumbers(UsageError):
    """A field has no numeric values to classify."""

    def __init__(self):
        super().__init__(_("the field has no numeric values"))


def _hex(r: float, g: float, b: float) -> str:
    return "#%02x%02x%02x" % tuple(int(round(max(0.0, min(1.0, v)) * 255)) for v in (r, g, b))


def _rgb(color: str) -> tuple[float, float, float]:
    c = color.lstrip("#")
    return tuple(int(c[i:i + 2], 16) / 255 for i in (0, 2, 4))


def ramp_colors(name: str, n: int) -> list[str]:
    """``n`` colours evenly spaced along ramp ``name`` (linear RGB interpolation)."""
    stops = np.array([_rgb(c) for c in RAMPS[name]])
    if n <= 0:
        return []
    if n == 1:
        return [_hex(*stops[len(stops) // 2])]
    pos = np.linspace(0, len(stops) - 1, n)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, len(stops) - 1)
    t = (pos - lo)[:, None]
    rgb = stops[lo] * (1 - t) + stops[hi] * t
    return [_hex(*c) for c in rgb]


def palette_colors(name: str, n: int) -> list[str]:
    """``n`` distinct colours: the palette first, then evenly spread hues."""
    base = list(PALETTES[name])
    if n <= len(base):
        return base[:n]
    extra = n - len(base)
    golden = 0.61803398875
    out = []
    for i in range(extra):
        h = (i * golden) % 1.0
        out.append(_hex(*colorsys.hsv_to_rgb(h, 0.45, 0.92)))
    return base + out


def _valid(values: np.ndarray) -> np.ndarray:
    """The non-null values of a column (None and NaN removed)."""
    values = np.asarray(values)
    if values.dtype.kind == "f":
        return values[~np.isnan(values)]
    if values.dtype == object:
        return values[_object_notnull(values)]
    return values


def _object_notnull(values: np.ndarray) -> np.ndarray:
    # `values == None` is vectorised for object arrays; NaN is the only value unequal to itself.
    notnone = values != None  # noqa: E711 - elementwise comparison on purpose
    with np.errstate(invalid="ignore"):
        selfeq = values == values
    return np.asarray(notnone & selfeq, dtype=bool)


def unique_values(values, limit: int = MAX_CATEGORIES) -> tuple[list, list[int]]:
    """Distinct non-null values (sorted) and how many features have each.

    Raises
    ------
    TooManyValues
        When there are more than ``limit`` distinct values (not a categorical field).
    """
    v = _valid(values)
    if v.dtype == object:
        # Hashing beats sorting strings: a Counter over a million names takes ~0.1 s,
        # np.unique (a string sort) several times that.
        from collections import Counter
        counter = Counter(v.tolist())
        if len(counter) > limit:
            raise TooManyValues(len(counter), limit)
        try:
            keys = sorted(counter)
        except TypeError:  # mixed types: order by their text
            keys = sorted(counter, key=str)
        return keys, [counter[k] for k in keys]
    uniq, counts = np.unique(v, return_counts=True)
    if len(uniq) > limit:
        raise TooManyValues(len(uniq), limit)
    return [u.item() if isinstance(u, np.generic) else u for u in uniq], [int(c) for c in counts]


def numeric(values) -> np.ndarray:
    """The column as float64 with NaN for nulls and for text that is no number."""
    arr = np.asarray(values)
    if arr.dtype.kind in "iufb":
        return arr.astype(np.float64)
    out = np.full(len(arr), np.nan)
    for_num = _object_notnull(arr) if arr.dtype == object else np.ones(len(arr), bool)
    try:
        out[for_num] = arr[for_num].astype(np.float64)
    except (TypeError, ValueError):
        import contextlib
        for i in np.flatnonzero(for_num):
            with contextlib.suppress(TypeError, ValueError):
                out[i] = float(arr[i])
    return out


def is_numeric(values) -> bool:
    """True for number columns and for text columns whose values all read as numbers."""
    arr = np.asarray(values)
    if arr.dtype.kind in "iuf":
        return True
    if arr.dtype != object:
        return False
    sample = _valid(arr[:2000])
    if not len(sample) or any(isinstance(v, bool) for v in sample):
        return False
    try:
        sample.astype(np.float64)
    except (TypeError, ValueError):
        return False
    return True


def breaks(values, classes: int, method: str = "equal_interval") -> list[float]:
    """Class limits (``classes + 1`` ascending numbers) of a numeric column.

    Parameters
    ----------
    method : {"equal_interval", "quantile"}
        Equal widths between the minimum and maximum, or (about) equal feature counts.
    """
    x = numeric(values)
    x = x[np.isfinite(x)]
    if not len(x):
        raise NoNumbers()
    classes = max(1, int(classes))
    lo, hi = float(x.min()), float(x.max())
    if lo == hi:  # one value: one class, not several empty ones
        return [lo, hi]
    if method == "equal_interval":
        edges = np.linspace(lo, hi, classes + 1)
    elif method == "quantile":
        edges = np.quantile(x, np.linspace(0, 1, classes + 1))
        edges = np.unique(edges)  # ties collapse classes rather than make empty ones
        if len(edges) == 1:
            edges = np.array([lo, hi])
    else:
        raise UsageError(_("unknown classification method {method!r} (use {methods})", method=method,
                           methods=", ".join(METHODS)))
    return [float(e) for e in edges]


def class_counts(values, edges: list[float]) -> list[int]:
    """Features per class for the limits ``edges`` (the last class includes its top)."""
    x = numeric(values)
    x = x[np.isfinite(x)]
    e = np.asarray(edges, dtype=float)
    idx = np.clip(np.searchsorted(e, x, side="right") - 1, 0, len(e) - 2)
    inside = (x >= e[0]) & (x <= e[-1])
    return [int(c) for c in np.bincount(idx[inside], minlength=len(e) - 1)]


def _fmt(v: float) -> str:
    return f"{v:.6g}"


def categorized(values, base: Symbol, palette: str = "Set3") -> list[Category]:
    """One category per distinct value, coloured from ``palette``; the outline is kept."""
    return categories_for(unique_values(values)[0], base, palette)


def categories_for(distinct: list, base: Symbol, palette: str = "Set3") -> list[Category]:
    """Categories for already known distinct values."""
    colors = palette_colors(palette, len(distinct))
    cats = []
    for v, c in zip(distinct, colors):
        sym = Symbol.from_dict({**base.__dict__, "fill": c})
        if _is_line(base):
            sym.stroke = c
        cats.append(Category(v, sym, str(v)))
    return cats


def graduated(values, base: Symbol, classes: int = 5, method: str = "equal_interval",
              ramp: str = "YlOrRd") -> list[Range]:
    """Ranges of a numeric column coloured along ``ramp``."""
    edges = breaks(values, classes, method)
    colors = ramp_colors(ramp, len(edges) - 1)
    out = []
    for lo, hi, c in zip(edges[:-1], edges[1:], colors):
        sym = Symbol.from_dict({**base.__dict__, "fill": c})
        if _is_line(base):
            sym.stroke = c
        out.append(Range(lo, hi, sym, f"{_fmt(lo)} – {_fmt(hi)}"))
    return out


def _is_line(sym: Symbol) -> bool:
    """Lines are drawn with the stroke only (their fill is transparent)."""
    f = sym.fill.lstrip("#")
    return len(f) == 8 and f[6:] == "00"


def style_with_renderer(style: VectorStyle, renderer: str) -> VectorStyle:
    """A copy of ``style`` using ``renderer`` (classes kept so switching back loses nothing)."""
    s = style.copy()
    s.renderer = renderer
    return s
