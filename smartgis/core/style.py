"""Layer styles as plain data: vector renderers, symbols, labels and raster display.

Sizes are in millimetres like QGIS's defaults, so a style written as QML draws the
same in QGIS; the renderer converts them with the output DPI.  Colours are
``#rrggbb`` or ``#rrggbbaa`` strings.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, replace
from dataclasses import field as dc_field
from typing import Any

#: Marker shapes understood by the renderer and written to QML.
MARKERS = ("circle", "square", "triangle", "diamond", "star", "cross", "pentagon")


@dataclass
class Symbol:
    """How one class of features is drawn."""

    fill: str = "#d9c3a5"
    stroke: str = "#6e5f4b"
    stroke_width: float = 0.26   # mm
    marker: str = "circle"
    size: float = 2.6            # mm (point markers)
    icon: str | None = None      # SVG path for point markers (element types)
    dash: str = "solid"          # solid | dash | dot

    @classmethod
    def from_dict(cls, d: dict | None) -> "Symbol":
        d = dict(d or {})
        return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})


@dataclass
class Category:
    value: Any
    symbol: Symbol
    label: str = ""


@dataclass
class Range:
    lower: float
    upper: float
    symbol: Symbol
    label: str = ""


@dataclass
class LabelStyle:
    field: str | None = None
    enabled: bool = False
    size: float = 3.0            # mm
    color: str = "#202020"
    halo: str | None = "#ffffff"
    halo_width: float = 0.6      # mm


@dataclass
class VectorStyle:
    """The renderer of a vector layer: a single symbol, categories or graduated ranges.

    Parameters
    ----------
    renderer : {"single", "categorized", "graduated"}
    symbol : Symbol
        The symbol for ``single``, and for values in no category or range.
    field : str, optional
        The attribute ``categorized`` and ``graduated`` classify by.
    categories, ranges : list
        The classes.
    labels : LabelStyle
    """

    renderer: str = "single"
    symbol: Symbol = dc_field(default_factory=Symbol)
    field: str | None = None
    categories: list[Category] = dc_field(default_factory=list)
    ranges: list[Range] = dc_field(default_factory=list)
    labels: LabelStyle = dc_field(default_factory=LabelStyle)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict | None) -> "VectorStyle":
        d = dict(d or {})
        return cls(
            renderer=d.get("renderer", "single"),
            symbol=Symbol.from_dict(d.get("symbol")),
            field=d.get("field"),
            categories=[Category(c.get("value"), Symbol.from_dict(c.get("symbol")), c.get("label", ""))
                        for c in d.get("categories", [])],
            ranges=[Range(float(r["lower"]), float(r["upper"]), Symbol.from_dict(r.get("symbol")),
                          r.get("label", "")) for r in d.get("ranges", [])],
            labels=LabelStyle(**{k: v for k, v in (d.get("labels") or {}).items()
                                 if k in LabelStyle.__dataclass_fields__}),
        )

    def copy(self) -> "VectorStyle":
        """An independent copy (every render takes one: field by field is ten times
        faster than ``deepcopy``; category values are scalars)."""
        return replace(self, symbol=replace(self.symbol),
                       categories=[replace(c, symbol=replace(c.symbol)) for c in self.categories],
                       ranges=[replace(r, symbol=replace(r.symbol)) for r in self.ranges],
                       labels=replace(self.labels))

    @classmethod
    def default_for(cls, geometry_type: str | None, seed: int = 0) -> "VectorStyle":
        """A pleasant default for a new layer, different colours for successive layers."""
        palette = ["#e6b37a", "#8fbf7f", "#7fa8d1", "#d18f8f", "#b99ad6", "#d6c36b", "#7fc9c0"]
        fill = palette[seed % len(palette)]
        gt = (geometry_type or "").lower()
        if "line" in gt:
            return cls(symbol=Symbol(fill="#00000000", stroke=_darken(fill), stroke_width=0.5))
        if "point" in gt:
            return cls(symbol=Symbol(fill=fill, stroke="#404040", stroke_width=0.2, size=2.4))
        return cls(symbol=Symbol(fill=fill, stroke=_darken(fill), stroke_width=0.2))


def _darken(color: str, f: float = 0.6) -> str:
    c = color.lstrip("#")
    r, g, b = (int(c[i:i + 2], 16) for i in (0, 2, 4))
    return "#%02x%02x%02x" % (int(r * f), int(g * f), int(b * f))


@dataclass
class RasterStyle:
    """How a raster is displayed.

    Parameters
    ----------
    mode : {"rgb", "singleband", "hillshade"}
    bands : list of int
        Bands for red, green, blue (1-based) in ``rgb`` mode.
    band : int
        The band of ``singleband`` and ``hillshade``.
    ramp : str
        Colour ramp name for ``singleband`` (``greys``, ``terrain``, ``viridis``, ``spectral``).
    vmin, vmax : float, optional
        Stretch limits; None takes them from the statistics.
    azimuth, altitude, z_factor : float
        Hillshade light and vertical exaggeration.
    """

    mode: str = "rgb"
    bands: list[int] = dc_field(default_factory=lambda: [1, 2, 3])
    band: int = 1
    ramp: str = "greys"
    vmin: float | None = None
    vmax: float | None = None
    azimuth: float = 315.0
    altitude: float = 45.0
    z_factor: float = 1.0

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict | None) -> "RasterStyle":
        d = dict(d or {})
        return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})

    def copy(self) -> "RasterStyle":
        return copy.deepcopy(self)
