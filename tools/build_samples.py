#!/usr/bin/env python3
"""Build the sample projects in ``sample_projects/`` from a seed.

The sample is a fictional new district in Wuhan's Optics Valley, 龙泉湖新区
(Longquan Lake New District), in CGCS2000 / 3-degree Gauss-Kruger CM 114E
(EPSG:4547).  Everything is generated: a study-area boundary, a routable road
network (arterials, secondaries, branches, split at every intersection), building
footprints with resident population, land-use zones coded after GB 50137-2011, key
public areas, sensitive sites, an orthophoto-like RGB GeoTIFF and a DEM (both with
overviews, referenced by relative path), and a smart-city design in progress that
meets some standards and misses others, so the check has something to say.

Usage::

    .venv/bin/python tools/build_samples.py                 # rebuild sample_projects/
    .venv/bin/python tools/build_samples.py --out /tmp/s    # somewhere else
    .venv/bin/python tools/build_samples.py --seed 7        # another district

The same seed gives the same district: same geometries, attributes and element ids.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import numpy as np
import rasterio
import shapely
from rasterio import features
from rasterio.enums import Resampling
from rasterio.transform import Affine
from scipy import ndimage

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script from a checkout
    sys.path.insert(0, str(REPO))

from smartgis.core import AttributeTable, Field, Project, RasterLayer, RasterStyle, VectorLayer  # noqa: E402
from smartgis.project import save_project  # noqa: E402
from smartgis.core.style import Category, LabelStyle, Range, Symbol, VectorStyle  # noqa: E402
from smartgis.review.records import COMMENTS_TABLE, SIGNOFFS_TABLE  # noqa: E402
from smartgis.plan import plan_of  # noqa: E402

DEFAULT_SEED = 4547
CRS = "EPSG:4547"
SAMPLE_NAME = "longquan_lake"

#: Where the local grid (u east, v north, metres) sits in EPSG:4547, and its rotation.
ORIGIN = (541800.0, 3367600.0)
ROTATION_DEG = 9.0
CELL = 250.0               # block size: branch roads every 250 m
NU, NV = 24, 20            # 6 km × 5 km
NOTCH = (1000.0, 4000.0)   # the north-west corner beyond these lines lies outside the district

CORE = (3250.0, 2750.0)    # the commercial core (central plaza)
HILL = (2400.0, 700.0, 520.0)  # 马鞍山 forest park: centre and radius
LAKE = (4750.0, 3700.0, 700.0, 430.0)  # 龙泉湖: centre and semi-axes

CN_DIGITS = "零一二三四五六七八九十"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (street and building names)."""
    if n <= 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return (CN_DIGITS[tens] if tens > 1 else "") + "十" + (CN_DIGITS[ones] if ones else "")


# == coordinates ========================================================================
def to_world(coords: np.ndarray) -> np.ndarray:
    """Local (u, v) → EPSG:4547 (x, y): a gentle warp (streets are not ruler-straight),
    a rotation and a shift.  Works on (n, 2) arrays, as ``shapely.transform`` wants."""
    u, v = coords[:, 0], coords[:, 1]
    wu = u + 42.0 * np.sin(2 * np.pi * v / 3300.0)
    wv = v + 34.0 * np.sin(2 * np.pi * u / 4200.0 + 0.7)
    a = math.radians(ROTATION_DEG)
    x = ORIGIN[0] + wu * math.cos(a) - wv * math.sin(a)
    y = ORIGIN[1] + wu * math.sin(a) + wv * math.cos(a)
    return np.column_stack([x, y])


def world(geoms, segment: float | None = 25.0) -> np.ndarray:
    """Geometries in local coordinates → world, densified first so that the warp
    bends long edges instead of moving only their ends."""
    g = np.asarray(geoms, dtype=object)
    if segment:
        g = shapely.segmentize(g, segment)
    return shapely.transform(g, to_world)


def world_points(uv: np.ndarray) -> np.ndarray:
    return shapely.points(to_world(np.asarray(uv, dtype=float).reshape(-1, 2)))


def azimuth_world(uv: np.ndarray, target_uv: np.ndarray) -> np.ndarray:
    """Azimuths (degrees clockwise from grid north) from points towards targets, in world coordinates."""
    a, b = to_world(np.asarray(uv, float).reshape(-1, 2)), to_world(np.asarray(target_uv, float).reshape(-1, 2))
    d = b - a
    return np.round(np.degrees(np.arctan2(d[:, 0], d[:, 1])) % 360.0, 1)


# == the district (local coordinates) ===================================================
@dataclass
class District:
    """Everything generated, in local coordinates until :func:`world` is applied."""

    rng: np.random.Generator
    boundary: shapely.Polygon = None
    lake: shapely.Polygon = None
    hill: shapely.Polygon = None
    graph: nx.Graph = None
    roads: list = field(default_factory=list)      # dicts with geometry + attributes
    cells: dict = field(default_factory=dict)      # (i, j) -> land-use code
    land_use: list = field(default_factory=list)
    buildings: list = field(default_factory=list)
    key_areas: list = field(default_factory=list)
    sensitive: list = field(default_factory=list)
    hazardous: list = field(default_factory=list)
    ortho_extras: list = field(default_factory=list)  # (geometry, rgb) drawn on the orthophoto only


ROAD_CLASSES = {
    # class: (Chinese, width m, lanes, design speed km/h)
    "arterial": ("主干路", 50.0, 6, 60),
    "secondary": ("次干路", 32.0, 4, 40),
    "branch": ("支路", 18.0, 2, 30),
}


def road_class(k: int, n: int) -> str:
    if k % 4 == 0 or k == n:
        return "arterial"
    return "secondary" if k % 2 == 0 else "branch"


def inside_district(u: float, v: float) -> bool:
    return 0 <= u <= NU * CELL and 0 <= v <= NV * CELL and not (u < NOTCH[0] and v > NOTCH[1])


def _lake_polygon(rng) -> shapely.Polygon:
    cx, cy, a, b = LAKE
    t = np.linspace(0, 2 * np.pi, 97)[:-1]
    wobble = 1 + 0.09 * np.sin(3 * t + rng.uniform(0, 6)) + 0.05 * np.sin(5 * t + rng.uniform(0, 6))
    return shapely.Polygon(np.column_stack([cx + a * wobble * np.cos(t), cy + b * wobble * np.sin(t)]))


def build_outline(d: District) -> None:
    W, H = NU * CELL, NV * CELL
    d.boundary = shapely.Polygon([(0, 0), (W, 0), (W, H), (NOTCH[0], H), (NOTCH[0], NOTCH[1]), (0, NOTCH[1])])
    d.lake = _lake_polygon(d.rng)
    d.hill = shapely.Point(HILL[0], HILL[1]).buffer(HILL[2], quad_segs=24)


ARTERIAL_EW = ["南环大道", "青龙大道", "高新大道", "龙泉大道", "未来大道", "北环大道"]
SECONDARY_EW = ["明德路", "博学路", "思源路", "致远路", "创新路", "启航路", "求是路", "格物路", "慧谷路", "星河路"]
ARTERIAL_NS = ["光谷{}路"]
SECONDARY_NS = ["科创{}路"]
BRANCH_NS = "新竹{}街"
BRANCH_EW = "桂园{}街"


def _road_name(vertical: bool, k: int, cls: str) -> str:
    if vertical:
        if cls == "arterial":
            return ARTERIAL_NS[0].format(cn_number(k // 4 + 1))
        if cls == "secondary":
            return SECONDARY_NS[0].format(cn_number(k // 4 + 1))
        return BRANCH_NS.format(cn_number(k // 2 + 1))
    if cls == "arterial":
        return ARTERIAL_EW[min(k // 4, len(ARTERIAL_EW) - 1)]
    if cls == "secondary":
        return SECONDARY_EW[(k // 2) % len(SECONDARY_EW)]
    return BRANCH_EW.format(cn_number(k // 2 + 1))


def build_roads(d: District) -> None:
    """A grid of streets split at every intersection (a routable graph), thinned where
    the lake and the forest park are and, at random, among branch streets."""
    g = nx.Graph()
    lake_zone = d.lake.buffer(35)
    for vertical, n_lines, n_steps in ((True, NU, NV), (False, NV, NU)):
        for k in range(n_lines + 1):
            cls = road_class(k, n_lines)
            name = _road_name(vertical, k, cls)
            for s in range(n_steps):
                a = (k, s) if vertical else (s, k)
                b = (k, s + 1) if vertical else (s + 1, k)
                pa = (a[0] * CELL, a[1] * CELL)
                pb = (b[0] * CELL, b[1] * CELL)
                mid = ((pa[0] + pb[0]) / 2, (pa[1] + pb[1]) / 2)
                if not (inside_district(*pa) and inside_district(*pb) and inside_district(*mid)):
                    continue
                seg = shapely.LineString([pa, pb])
                if seg.intersects(lake_zone):
                    continue
                if cls != "arterial" and d.hill.contains(shapely.Point(mid)):
                    continue
                g.add_edge(a, b, cls=cls, name=name)
    # thin the branch streets without ever disconnecting the network
    branch_edges = sorted((e for e in g.edges if g.edges[e]["cls"] == "branch"))
    order = d.rng.permutation(len(branch_edges))
    for idx in order[: int(0.22 * len(branch_edges))]:
        a, b = branch_edges[idx]
        data = dict(g.edges[a, b])
        g.remove_edge(a, b)
        if not nx.has_path(g, a, b):
            g.add_edge(a, b, **data)
    g.remove_nodes_from([n for n in list(g.nodes) if g.degree(n) == 0])
    main = max(nx.connected_components(g), key=len)
    g = g.subgraph(main).copy()
    d.graph = g
    for a, b in sorted(g.edges):
        e = g.edges[a, b]
        zh, width, lanes, speed = ROAD_CLASSES[e["cls"]]
        d.roads.append({"geometry": shapely.LineString([(a[0] * CELL, a[1] * CELL), (b[0] * CELL, b[1] * CELL)]),
                        "name": e["name"], "class": e["cls"], "class_zh": zh, "width_m": width,
                        "lanes": lanes, "speed_kmh": speed, "from_node": f"N{a[0]:02d}{a[1]:02d}",
                        "to_node": f"N{b[0]:02d}{b[1]:02d}"})


# -- land use ---------------------------------------------------------------------------
#: GB 50137-2011 major classes (the land_use_field the standards checks read).
MAJOR_CLASS = {"R": "居住用地", "A": "公共管理与公共服务用地", "B": "商业服务业设施用地", "M": "工业用地",
               "U": "公用设施用地", "G": "绿地与广场用地", "E": "水域", "H": "村庄建设用地"}
ENGLISH_CLASS = {"R": "residential", "A": "public", "B": "commercial", "M": "industrial", "U": "utilities",
                 "G": "green", "E": "water", "H": "village"}

LAND_USE = {
    # code: (Chinese name, English name, map colour after the GB 50137 convention)
    "R2": ("二类居住用地", "Residential", "#f6e27f"),
    "H14": ("村庄建设用地", "Village", "#e8c27a"),
    "A1": ("行政办公用地", "Administration", "#f09cc6"),
    "A33": ("中小学用地", "Schools", "#f3a6d0"),
    "A51": ("医院用地", "Hospital", "#e88ab5"),
    "A4": ("体育用地", "Sports", "#d98fc0"),
    "B1": ("商业用地", "Commercial", "#f08a7e"),
    "B2": ("商务用地", "Business", "#e56f6f"),
    "M1": ("一类工业用地", "R&D / light industry", "#c9a27e"),
    "U1": ("供应设施用地", "Utilities", "#7fb2e5"),
    "G1": ("公园绿地", "Parks", "#8ccf7e"),
    "G3": ("广场用地", "Plazas", "#c8e0b4"),
    "E1": ("水域", "Water", "#9fd3f0"),
}

#: Cells (i, j) with a fixed use: existing and planned public facilities.
FIXED_CELLS = {
    (13, 10): "G3", (12, 11): "A1", (15, 12): "A51", (9, 14): "A4", (3, 2): "U1",
    (17, 2): "H14", (18, 2): "H14", (17, 3): "H14",
    # schools: existing and planned sites
    (7, 6): "A33", (14, 6): "A33", (19, 9): "A33", (10, 17): "A33", (21, 10): "A33", (6, 12): "A33",
    (17, 17): "A33", (22, 5): "A33",
}


def build_land_use(d: District) -> None:
    rng = d.rng
    for (i, j), code in FIXED_CELLS.items():
        if shapely.box(i * CELL, j * CELL, (i + 1) * CELL, (j + 1) * CELL).intersects(d.lake.buffer(40)):
            raise ValueError(f"fixed {code} cell {(i, j)} lies in the lake")
    for i in range(NU):
        for j in range(NV):
            c = ((i + 0.5) * CELL, (j + 0.5) * CELL)
            if not inside_district(*c):
                continue
            cell = shapely.box(i * CELL, j * CELL, (i + 1) * CELL, (j + 1) * CELL)
            p = shapely.Point(c)
            if (i, j) in FIXED_CELLS:
                code = FIXED_CELLS[(i, j)]
            elif d.lake.buffer(60).contains(p) or cell.intersection(d.lake).area > 0.45 * cell.area:
                code = "E1"
            elif d.lake.buffer(160).intersects(cell):
                code = "G1"
            elif d.hill.contains(p):
                code = "G1"
            elif math.dist(c, CORE) < 650:
                code = "B1" if (i + j) % 2 else "B2"
            elif c[0] < 1500:
                code = "M1"
            else:
                code = "G1" if rng.random() < 0.07 else "R2"
            d.cells[(i, j)] = code
    for (i, j), code in sorted(d.cells.items()):
        half = {}
        # set back from the street centre lines by half the street width, where a street is
        sides = {"w": ((i, j), (i, j + 1), i, NU), "e": ((i + 1, j), (i + 1, j + 1), i + 1, NU),
                 "s": ((i, j), (i + 1, j), j, NV), "n": ((i, j + 1), (i + 1, j + 1), j + 1, NV)}
        for side, (a, b, k, n) in sides.items():
            half[side] = ROAD_CLASSES[road_class(k, n)][1] / 2 if d.graph.has_edge(a, b) else 0.0
        parcel = shapely.box(i * CELL + half["w"], j * CELL + half["s"],
                             (i + 1) * CELL - half["e"], (j + 1) * CELL - half["n"])
        parts = []
        if code in ("E1", "G1") and parcel.intersects(d.lake):
            water = parcel.intersection(d.lake)
            land = parcel.difference(d.lake)
            if water.area > 50:
                parts.append(("E1", water))
            if land.area > 200:
                parts.append(("G1", land))
        else:
            parts.append((code, parcel))
        for c, geom in parts:
            zh, en, _ = LAND_USE[c]
            d.land_use.append({"geometry": geom, "code": c, "category": c[0], "category_zh": MAJOR_CLASS[c[0]],
                               "use": ENGLISH_CLASS[c[0]], "name_zh": zh, "name_en": en,
                               "block": f"{cn_letter(i)}{j + 1:02d}", "area_ha": 0.0,
                               "cell": (i, j)})


def cn_letter(i: int) -> str:
    return "ABCDEFGHJKLMNPQRSTUVWXYZ"[i % 24]


# -- buildings ----------------------------------------------------------------------------
def _boxes(cx, cy, w, h) -> np.ndarray:
    cx, cy, w, h = (np.asarray(a, float) for a in (cx, cy, w, h))
    return shapely.box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _add_buildings(d: District, geoms, use: str, floors, pop_per_m2: float, block: str, year) -> None:
    geoms = np.asarray(geoms, dtype=object)
    floors = np.broadcast_to(np.asarray(floors, dtype=int), geoms.shape)
    year = np.broadcast_to(np.asarray(year, dtype=int), geoms.shape)
    area = shapely.area(geoms)
    for k, g in enumerate(geoms):
        d.buildings.append({"geometry": g, "use": use, "floors": int(floors[k]),
                            "height_m": round(float(floors[k]) * (3.0 if use in ("residential", "village") else 4.2), 1),
                            "population": int(round(area[k] * floors[k] * pop_per_m2)),
                            "block": block, "year_built": int(year[k])})


USE_ZH = {"residential": "住宅", "village": "村民住宅", "commercial": "商业", "office": "商务办公",
          "industrial": "研发厂房", "public": "公共设施", "school": "学校", "hospital": "医院", "utility": "市政设施"}


def build_buildings(d: District) -> None:
    """Footprints by land use: residential slabs facing south, towers and podiums in the
    core, R&D halls in the west, a dense old village, school and hospital blocks."""
    rng = d.rng
    for lu in d.land_use:
        code, parcel = lu["code"], lu["geometry"]
        x0, y0, x1, y1 = parcel.bounds
        w, h = x1 - x0, y1 - y0
        block = lu["block"]
        if code == "R2":
            kind = rng.choice(["high", "mid", "low", "vacant"], p=[0.26, 0.3, 0.2, 0.24])
            if kind == "vacant":
                d.ortho_extras.append((parcel.buffer(-8), (171, 151, 116)))  # graded land awaiting construction
                continue
            floors_choice, depth, rows, cols = {"high": ((18, 26, 33), 15.0, 3, 3), "mid": ((11, 11, 14), 14.0, 4, 3),
                                                "low": ((6, 6, 7), 12.0, 6, 4)}[kind]
            floors = int(rng.choice(floors_choice))
            length = (w - 30) / cols * rng.uniform(0.62, 0.78)
            xs = x0 + 15 + (np.arange(cols) + 0.5) * (w - 30) / cols
            ys = y0 + 15 + depth / 2 + np.arange(rows) * (h - 30 - depth) / max(rows - 1, 1)
            gx, gy = np.meshgrid(xs, ys)
            gx = gx.ravel() + rng.normal(0, 1.5, gx.size)
            n = gx.size
            keep = rng.random(n) > 0.06
            _add_buildings(d, _boxes(gx[keep], gy.ravel()[keep], np.full(keep.sum(), length), depth),
                           "residential", floors, 1 / 40.0, block, rng.integers(2012, 2024, keep.sum()))
        elif code == "H14":
            xs = np.arange(x0 + 10, x1 - 10, 15.0)
            ys = np.arange(y0 + 10, y1 - 10, 16.0)
            gx, gy = np.meshgrid(xs, ys)
            gx, gy = gx.ravel(), gy.ravel()
            keep = rng.random(gx.size) > 0.18
            n = int(keep.sum())
            geoms = _boxes(gx[keep] + rng.normal(0, 1.2, n), gy[keep] + rng.normal(0, 1.2, n),
                           rng.uniform(8, 12, n), rng.uniform(9, 13, n))
            _add_buildings(d, geoms, "village", rng.integers(3, 7, n), 1 / 30.0, block, rng.integers(1985, 2012, n))
        elif code in ("B1", "B2"):
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            podium = shapely.box(x0 + 20, y0 + 20, x1 - 20, cy - 10)
            towers = _boxes([x0 + 55, x1 - 55], [cy + 45, cy + 45], [40, 40], [40, 40])
            _add_buildings(d, [podium], "commercial" if code == "B1" else "office", int(rng.integers(3, 6)), 0.0,
                           block, 2018)
            _add_buildings(d, towers, "office" if code == "B2" else "commercial", rng.integers(24, 46, 2), 0.0,
                           block, 2020)
        elif code == "M1":
            xs = x0 + 20 + (np.arange(2) + 0.5) * (w - 40) / 2
            ys = y0 + 20 + (np.arange(3) + 0.5) * (h - 40) / 3
            gx, gy = np.meshgrid(xs, ys)
            n = gx.size
            _add_buildings(d, _boxes(gx.ravel(), gy.ravel(), rng.uniform(60, 80, n), rng.uniform(32, 44, n)),
                           "industrial", rng.integers(2, 7, n), 0.0, block, rng.integers(2010, 2022, n))
        elif code == "A33":
            # teaching blocks along the north edge, a 200 m running track to the south
            _add_buildings(d, [shapely.box(x0 + 25, y1 - 45, x1 - 25, y1 - 25),
                               shapely.box(x0 + 25, y1 - 110, x0 + 45, y1 - 45)], "school", 5, 0.0, block, 2016)
            track = shapely.LineString([(x0 + 80, y0 + 70), (x1 - 70, y0 + 70)]).buffer(38, quad_segs=16)
            d.ortho_extras.append((track, (190, 82, 70)))
            d.ortho_extras.append((track.buffer(-7), (96, 160, 82)))
        elif code == "A51":
            _add_buildings(d, [shapely.box(x0 + 30, y0 + 30, x1 - 30, y0 + 80),
                               shapely.box(x0 + 30, y0 + 100, x0 + 90, y1 - 30),
                               shapely.box(x1 - 90, y0 + 100, x1 - 30, y1 - 30)], "hospital",
                           [6, 16, 12], 0.0, block, 2015)
        elif code == "A4":
            stadium = shapely.LineString([(x0 + 70, (y0 + y1) / 2), (x1 - 70, (y0 + y1) / 2)]).buffer(60, quad_segs=16)
            _add_buildings(d, [stadium], "public", 3, 0.0, block, 2019)
        elif code == "A1":
            _add_buildings(d, [shapely.box(x0 + 40, y0 + 50, x1 - 40, y1 - 50)], "public", 12, 0.0, block, 2017)
        elif code == "U1":
            _add_buildings(d, [shapely.box(x0 + 30, y0 + 30, x0 + 110, y0 + 80)], "utility", 2, 0.0, block, 2014)
        elif code == "G3":
            d.ortho_extras.append((parcel.buffer(-12), (214, 205, 186)))


# -- key areas and sensitive sites ----------------------------------------------------------
def _cell_parcel(d: District, ij) -> shapely.Polygon:
    for lu in d.land_use:
        if lu["cell"] == tuple(ij):
            return lu["geometry"]
    raise KeyError(ij)


def build_key_areas(d: District) -> None:
    """Key public areas where CCTV must see everything (雪亮工程: 100 % coverage)."""
    plaza = _cell_parcel(d, (13, 10)).buffer(-30)
    hx0, hy0, hx1, hy1 = _cell_parcel(d, (15, 12)).bounds
    sx0, sy0, sx1, sy1 = _cell_parcel(d, (9, 14)).bounds
    areas = [
        ("中心广场", "plaza", plaza),
        ("地铁光谷三路站站前广场", "station", shapely.box(2015, 2930, 2095, 2990)),
        ("地铁龙泉湖站站前广场", "station", shapely.box(4010, 2930, 4090, 2990)),
        ("科创商业步行街", "street", shapely.box(3030, 2350, 3470, 2380)),
        ("市第三人民医院门诊入口", "hospital", shapely.box(hx0 + 60, hy0 - 10, hx0 + 130, hy0 + 25)),
        ("体育中心东广场", "plaza", shapely.box(sx1 - 60, sy0 + 60, sx1 - 5, sy1 - 60)),
        ("光谷第一小学校门", "school_gate", shapely.box(1800, 1740, 1850, 1765)),
        ("龙泉湖公园南入口", "park_gate", shapely.box(4560, 3050, 4640, 3100)),
    ]
    for name, kind, geom in areas:
        d.key_areas.append({"geometry": geom, "name": name, "kind": kind,
                            "kind_zh": {"plaza": "广场", "station": "交通枢纽", "street": "商业街",
                                        "hospital": "医院出入口", "school_gate": "学校出入口",
                                        "park_gate": "公园出入口"}[kind],
                            "required_coverage": 100.0})
        if kind != "street":
            d.ortho_extras.append((geom, (205, 198, 182)))
        else:
            d.ortho_extras.append((geom, (176, 150, 128)))


def build_sensitive_sites(d: District) -> None:
    """Existing hospitals, schools, kindergartens and care homes (sensitive sites a fire
    station keeps 50 m from), and hazardous sites (200 m)."""
    sites = [
        ("市第三人民医院", "hospital", (15, 12), 0),
        ("光谷第一小学", "school", (7, 6), 0),
        ("龙泉湖中学", "school", (14, 6), 0),
        ("新竹小学", "school", (19, 9), 0),
        ("桂园幼儿园", "kindergarten", (11, 8), 60),
        ("科创幼儿园", "kindergarten", (5, 15), 60),
        ("龙泉社区养老院", "elderly", (20, 11), 55),
        ("光谷加油站", "hazardous", (2, 9), 35),
        ("科技园危险化学品仓库", "hazardous", (1, 4), 45),
    ]
    zh = {"hospital": "医院", "school": "学校", "kindergarten": "幼儿园", "elderly": "养老机构",
          "hazardous": "危险品场所"}
    for name, kind, ij, size in sites:
        parcel = _cell_parcel(d, ij)
        if size:
            c = parcel.centroid
            geom = shapely.box(c.x - size, c.y - size * 0.7, c.x + size, c.y + size * 0.7)
        else:
            geom = parcel.buffer(-5)
        (d.hazardous if kind == "hazardous" else d.sensitive).append(
            {"geometry": geom, "name": name, "kind": kind, "kind_zh": zh[kind], "status": "existing"})


def generate(seed: int = DEFAULT_SEED) -> District:
    d = District(rng=np.random.default_rng(seed))
    build_outline(d)
    build_roads(d)
    build_land_use(d)
    build_buildings(d)
    build_key_areas(d)
    build_sensitive_sites(d)
    return d


# == layers ==============================================================================
def _table(records: list[dict], fields: list[Field]) -> AttributeTable:
    return AttributeTable(fields, {f.name: [r[f.name] for r in records] for f in fields}, length=len(records))


def F(name: str, ftype: str, zh: str, en: str, unit: str | None = None) -> Field:
    return Field(name, ftype, alias={"zh": zh, "en": en}, unit=unit)


def _vector(name: str, records: list[dict], fields: list[Field], style: VectorStyle, *, role=None, props=None,
            geometry_type=None, segment=25.0, table_name=None) -> VectorLayer:
    geoms = world([r["geometry"] for r in records], segment)
    return VectorLayer(name, geoms, _table(records, fields), geometry_type=geometry_type, style=style, crs=CRS,
                       role=role, props=props, table_name=table_name)


def land_use_style() -> VectorStyle:
    cats = [Category(code, Symbol(fill=col + "b3", stroke="#8c8c8c", stroke_width=0.1), f"{code} {zh}")
            for code, (zh, _en, col) in LAND_USE.items()]
    return VectorStyle(renderer="categorized", field="code", categories=cats,
                       symbol=Symbol(fill="#dddddd", stroke="#8c8c8c", stroke_width=0.1))


def road_style() -> VectorStyle:
    return VectorStyle(renderer="categorized", field="class", categories=[
        Category("arterial", Symbol(stroke="#e8893a", stroke_width=1.1, fill="#00000000"), "主干路"),
        Category("secondary", Symbol(stroke="#f2b950", stroke_width=0.75, fill="#00000000"), "次干路"),
        Category("branch", Symbol(stroke="#9a9a9a", stroke_width=0.4, fill="#00000000"), "支路"),
    ], symbol=Symbol(stroke="#9a9a9a", stroke_width=0.3, fill="#00000000"))


def building_style() -> VectorStyle:
    sym = lambda c: Symbol(fill=c, stroke="#6b5e50", stroke_width=0.1)  # noqa: E731
    return VectorStyle(renderer="graduated", field="floors", ranges=[
        Range(1, 6, sym("#e9dfcf"), "1–6 层"),
        Range(7, 18, sym("#cdb99b"), "7–18 层"),
        Range(19, 33, sym("#a88c6a"), "19–33 层"),
        Range(34, 100, sym("#7c6248"), "34 层以上"),
    ], symbol=sym("#d9c3a5"))


def key_area_style() -> VectorStyle:
    return VectorStyle(symbol=Symbol(fill="#e31a1c40", stroke="#e31a1c", stroke_width=0.5, dash="dash"),
                       labels=LabelStyle(field="name", enabled=True, size=2.6, color="#a50f15"))


def sensitive_style() -> VectorStyle:
    mk = lambda c: Symbol(fill=c + "59", stroke=c, stroke_width=0.45)  # noqa: E731
    return VectorStyle(renderer="categorized", field="kind", categories=[
        Category("hospital", mk("#c51b7d"), "医院"),
        Category("school", mk("#7b3294"), "学校"),
        Category("kindergarten", mk("#9e6cc2"), "幼儿园"),
        Category("elderly", mk("#d6604d"), "养老机构"),
    ], symbol=mk("#7b3294"))


def make_layers(d: District) -> dict[str, VectorLayer]:
    boundary_geom = d.boundary
    layers = {}
    layers["study_area"] = _vector(
        "研究范围", [{"geometry": boundary_geom, "name": "龙泉湖新区", "area_km2": 0.0}],
        [F("name", "str", "名称", "Name"), F("area_km2", "float", "面积", "Area", "km²")],
        VectorStyle(symbol=Symbol(fill="#00000000", stroke="#d7191c", stroke_width=0.9, dash="dash")),
        role="study_area", table_name="study_area")
    g = layers["study_area"]
    g.set_value(0, "area_km2", round(float(shapely.area(g.geometries[0])) / 1e6, 3))

    layers["water"] = _vector("水系", [{"geometry": d.lake, "name": "龙泉湖", "kind": "lake"}],
                              [F("name", "str", "名称", "Name"), F("kind", "str", "类型", "Kind")],
                              VectorStyle(symbol=Symbol(fill="#9fd3f0", stroke="#4a90c2", stroke_width=0.3)),
                              role="water", table_name="water")

    lu = _vector("用地规划", d.land_use,
                 [F("code", "str", "用地代码", "Land-use code"), F("category", "str", "用地大类", "Major class"),
                  F("category_zh", "str", "大类名称", "Major class name"), F("use", "str", "用途", "Use"),
                  F("name_zh", "str", "用地名称", "Land use"),
                  F("name_en", "str", "用地名称（英文）", "Land use (English)"), F("block", "str", "地块编号", "Block"),
                  F("area_ha", "float", "面积", "Area", "ha")],
                 land_use_style(), role="land_use", props={"land_use_field": "use", "code_field": "code"},
                 table_name="land_use")
    lu.table._cols["area_ha"] = np.round(shapely.area(lu.geometries) / 1e4, 2)
    lu.opacity = 0.55
    layers["land_use"] = lu

    # urban construction land (城市建设用地, GB 50137): every class but water
    built = shapely.union_all(world([r["geometry"].buffer(20) for r in d.land_use if r["code"] != "E1"]))
    built = shapely.intersection(built.buffer(-20), shapely.transform(shapely.segmentize(d.boundary, 25), to_world))
    layers["built_up"] = VectorLayer("建成区", [built], AttributeTable([F("name", "str", "名称", "Name"),
                                                                        F("area_km2", "float", "面积", "Area", "km²")],
                                                                       {"name": ["城市建设用地"],
                                                                        "area_km2": [round(built.area / 1e6, 3)]}),
                                     style=VectorStyle(symbol=Symbol(fill="#00000000", stroke="#636363",
                                                                     stroke_width=0.3, dash="dot")),
                                     crs=CRS, role="built_up", table_name="built_up")

    roads = _vector("道路", d.roads,
                    [F("name", "str", "道路名称", "Name"), F("class", "str", "道路等级", "Class"),
                     F("class_zh", "str", "等级（中文）", "Class (Chinese)"), F("width_m", "float", "红线宽度", "Width", "m"),
                     F("lanes", "int", "车道数", "Lanes"), F("speed_kmh", "int", "设计车速", "Design speed", "km/h"),
                     F("from_node", "str", "起点", "From node"), F("to_node", "str", "终点", "To node")],
                    road_style(), role="roads", props={"class_field": "class"}, table_name="roads")
    roads.add_field(F("length_m", "float", "长度", "Length", "m"), np.round(shapely.length(roads.geometries), 1))
    layers["roads"] = roads

    bfields = [F("use", "str", "用途", "Use"), F("use_zh", "str", "用途（中文）", "Use (Chinese)"),
               F("floors", "int", "层数", "Floors"), F("height_m", "float", "高度", "Height", "m"),
               F("population", "int", "常住人口", "Population", "人"), F("block", "str", "地块编号", "Block"),
               F("year_built", "int", "建成年份", "Year built")]
    for b in d.buildings:
        b["use_zh"] = USE_ZH[b["use"]]
    layers["buildings"] = _vector("建筑", d.buildings, bfields, building_style(), role="population",
                                  props={"population_field": "population"}, segment=None, table_name="buildings")

    layers["key_areas"] = _vector("重点公共区域", d.key_areas,
                                  [F("name", "str", "名称", "Name"), F("kind", "str", "类型", "Kind"),
                                   F("kind_zh", "str", "类型（中文）", "Kind (Chinese)"),
                                   F("required_coverage", "float", "视频覆盖要求", "Required CCTV coverage", "%")],
                                  key_area_style(), role="key_areas", segment=None, table_name="key_areas")
    layers["sensitive_sites"] = _vector("敏感目标", d.sensitive,
                                        [F("name", "str", "名称", "Name"), F("kind", "str", "类型", "Kind"),
                                         F("kind_zh", "str", "类型（中文）", "Kind (Chinese)"),
                                         F("status", "str", "状态", "Status")],
                                        sensitive_style(), role="sensitive_sites", segment=None,
                                        table_name="sensitive_sites")
    layers["hazardous_sites"] = _vector("危险品场所", d.hazardous,
                                        [F("name", "str", "名称", "Name"), F("kind", "str", "类型", "Kind"),
                                         F("kind_zh", "str", "类型（中文）", "Kind (Chinese)"),
                                         F("status", "str", "状态", "Status")],
                                        VectorStyle(symbol=Symbol(fill="#b2182b66", stroke="#b2182b",
                                                                  stroke_width=0.5, dash="dash")),
                                        role="hazardous_sites", segment=None, table_name="hazardous_sites")
    return layers


# == rasters ==============================================================================
@dataclass
class Grid:
    transform: object
    width: int
    height: int

    def xy(self):
        """World coordinates of the pixel centres, as two (height, width) arrays."""
        cols, rows = np.meshgrid(np.arange(self.width) + 0.5, np.arange(self.height) + 0.5)
        t = self.transform
        return t.c + cols * t.a, t.f + rows * t.e


def raster_grid(layers, resolution: float, margin: float = 150.0) -> Grid:
    x0, y0, x1, y1 = layers["study_area"].extent
    x0 = math.floor((x0 - margin) / 50) * 50
    y0 = math.floor((y0 - margin) / 50) * 50
    x1 = math.ceil((x1 + margin) / 50) * 50
    y1 = math.ceil((y1 + margin) / 50) * 50
    return Grid(Affine(resolution, 0.0, x0, 0.0, -resolution, y1), int(round((x1 - x0) / resolution)),
                int(round((y1 - y0) / resolution)))


def _smooth_noise(rng, shape, sigma: float) -> np.ndarray:
    n = ndimage.gaussian_filter(rng.standard_normal(shape).astype(np.float32), sigma)
    return n / (n.std() + 1e-9)


def _local_uv(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Approximate inverse of :func:`to_world` (rotation and shift; the warp is ignored)."""
    a = math.radians(ROTATION_DEG)
    dx, dy = x - ORIGIN[0], y - ORIGIN[1]
    return dx * math.cos(a) + dy * math.sin(a), -dx * math.sin(a) + dy * math.cos(a)


def make_dem(d: District, layers, path: Path, seed: int) -> None:
    """A 10 m DEM: a plain falling gently towards the lake, a forested hill in the south,
    low ridges, the lake surface flat at 17.5 m."""
    rng = np.random.default_rng(seed + 1)
    grid = raster_grid(layers, 10.0)
    x, y = grid.xy()
    u, v = _local_uv(x, y)
    hu, hv, hr = HILL
    elev = 23.0 + 0.0018 * (NU * CELL - u) * 0.5 + 0.0012 * v
    hill = np.exp(-(((u - hu) / (hr * 0.95)) ** 2 + ((v - hv) / (hr * 0.8)) ** 2))
    elev += 105.0 * hill + 30.0 * hill * _smooth_noise(rng, u.shape, 5)
    elev += 38.0 * np.exp(-(((u - hu - 480) / 260) ** 2 + ((v - hv + 60) / 210) ** 2))
    elev += 14.0 * np.exp(-(((u - 700) / 500) ** 2 + ((v - 4300) / 400) ** 2))
    elev += 2.5 * _smooth_noise(rng, u.shape, 18) + 0.6 * _smooth_noise(rng, u.shape, 4)
    lake = features.rasterize([(layers["water"].geometries[0], 1)], out_shape=(grid.height, grid.width),
                              transform=grid.transform, dtype="uint8").astype(bool)
    dist = ndimage.distance_transform_edt(~lake) * 10.0
    shore = np.clip(dist / 220.0, 0, 1) ** 0.8
    elev = 17.5 + shore * (elev - 17.5)
    elev[lake] = 17.5
    elev = np.round(elev / 0.05) * 0.05
    _write_tif(path, elev.astype(np.float32)[None], grid, nodata=-9999.0, compress="deflate", predictor=3)


def _hillshade(elev: np.ndarray, res: float, azimuth=315.0, altitude=45.0) -> np.ndarray:
    gy, gx = np.gradient(elev, res)
    slope = np.pi / 2 - np.arctan(np.hypot(gx, gy))
    aspect = np.arctan2(-gx, gy)
    az, alt = np.radians(azimuth), np.radians(altitude)
    return np.clip(np.sin(alt) * np.sin(slope) + np.cos(alt) * np.cos(slope) * np.cos(az - aspect), 0, 1)


def make_ortho(d: District, layers, dem_path: Path, path: Path, seed: int, resolution: float = 2.5) -> None:
    """An orthophoto-like RGB image drawn from the district itself: fields around it,
    land-use ground colours with texture, trees in the parks, the lake, asphalt streets,
    buildings with roofs and shadows, relief from the DEM."""
    rng = np.random.default_rng(seed + 2)
    grid = raster_grid(layers, resolution)
    shape = (grid.height, grid.width)
    rz = lambda shapes, dtype="uint16", fill=0: features.rasterize(  # noqa: E731
        shapes, out_shape=shape, transform=grid.transform, dtype=dtype, fill=fill)

    # farmland patchwork around the district
    x, y = grid.xy()
    u, v = _local_uv(x, y)
    # rows of fields of varying depth, each row cut into fields of its own width
    row_edges = np.cumsum(rng.uniform(60, 150, 400)) - 9000.0
    row = np.searchsorted(row_edges, v)
    field_w = rng.uniform(70, 220, row_edges.size + 1)[row]
    shift = rng.uniform(0, 300, row_edges.size + 1)[row]
    col = np.floor((u + shift) / field_w).astype(np.int64)
    pick = (col * 7919 + row * 104729) % 997
    palette = np.array([(122, 146, 84), (143, 158, 92), (168, 160, 108), (104, 130, 76), (152, 140, 98),
                        (132, 150, 100), (176, 168, 120)], np.float32)
    img = palette[pick % len(palette)].copy()
    img *= (1 + 0.05 * _smooth_noise(rng, shape, 2.0))[..., None]
    district = rz([(layers["study_area"].geometries[0], 1)], "uint8").astype(bool)
    img[district] = (172, 168, 158)   # pavements and verges between parcels

    # land-use ground colours
    ground = {"R2": (150, 152, 140), "H14": (139, 126, 110), "A1": (160, 160, 150), "A33": (150, 150, 140),
              "A51": (165, 165, 158), "A4": (150, 154, 140), "B1": (168, 166, 160), "B2": (170, 170, 166),
              "M1": (158, 156, 148), "U1": (150, 150, 146), "G1": (78, 112, 62), "G3": (200, 196, 186),
              "E1": (64, 104, 116)}
    codes = list(ground)
    lu_layer = layers["land_use"]
    lu_codes = lu_layer.table.column("code")
    shapes = [(g, codes.index(c) + 1) for g, c in zip(lu_layer.geometries, lu_codes)]
    lu_idx = rz(shapes, "uint8")
    inside = lu_idx > 0
    lut = np.array([(0, 0, 0)] + [ground[c] for c in codes], np.float32)
    img[inside] = lut[lu_idx[inside]]

    # texture: trees in green spaces, fine grain everywhere
    fine = _smooth_noise(rng, shape, 0.8)
    trees = _smooth_noise(rng, shape, 1.6)
    green = lu_idx == codes.index("G1") + 1
    img *= (1 + 0.04 * fine)[..., None]
    img[green] *= (1 + 0.16 * trees[green])[:, None]
    # street trees: a green band along residential parcels
    lu_rims = [g.boundary.buffer(4) for g, c in zip(lu_layer.geometries, lu_codes) if c in ("R2", "A33", "A1", "B1", "B2")]
    rim = rz([(g, 1) for g in lu_rims], "uint8").astype(bool)
    img[rim] = img[rim] * 0.35 + np.array((70, 104, 58), np.float32) * 0.65 * (1 + 0.15 * trees[rim])[:, None]

    for geom, rgb in d.ortho_extras:
        mask = rz([(world([geom], 10.0)[0], 1)], "uint8").astype(bool)
        img[mask] = np.array(rgb, np.float32) * (1 + 0.03 * fine[mask])[:, None]

    # water
    lake = rz([(layers["water"].geometries[0], 1)], "uint8").astype(bool)
    wave = _smooth_noise(rng, shape, 6)
    img[lake] = np.array((58, 98, 112), np.float32) * (1 + 0.05 * wave[lake])[:, None]

    # streets: asphalt at their real width, light kerbs
    rl = layers["roads"]
    widths = rl.table.column("width_m")
    asphalt = shapely.buffer(rl.geometries, np.asarray(widths, float) * 0.36, cap_style="flat")
    road_mask = rz([(g, 1) for g in asphalt], "uint8").astype(bool)
    img[road_mask] = np.array((92, 92, 96), np.float32) * (1 + 0.05 * fine[road_mask])[:, None]
    paint = shapely.buffer(rl.geometries[rl.table.column("class") != "branch"], 0.4)
    pm = rz([(g, 1) for g in paint], "uint8").astype(bool)
    img[pm] = (212, 206, 170)

    # buildings: shadows to the north-east of the footprint (sun in the south-west), then roofs
    bl = layers["buildings"]
    heights = np.asarray(bl.table.column("height_m"), float)
    off = np.minimum(heights * 0.45, 60.0)
    # the shadow of a block is the footprint swept along the sun direction
    shadows = [shapely.convex_hull(shapely.MultiPolygon([g, shapely.affinity.translate(g, o * 0.45, o * 0.9)]))
               for g, o in zip(bl.geometries, off)]
    sh = rz([(g, 1) for g in shadows], "uint8").astype(bool) & ~lake
    img[sh] *= 0.55
    roof_palette = np.array([(198, 196, 190), (176, 172, 166), (150, 94, 80), (210, 210, 206), (120, 132, 140),
                             (186, 170, 140), (146, 150, 154)], np.float32)
    bid = rz([(g, i + 1) for i, g in enumerate(bl.geometries)], "int32")
    has = bid > 0
    roof_of = np.vstack([np.zeros((1, 3), np.float32),
                         roof_palette[rng.integers(0, len(roof_palette), len(bl.geometries))]])
    img[has] = roof_of[bid[has]] * (1 + 0.025 * fine[has])[:, None]

    # relief from the DEM
    with rasterio.open(dem_path) as src:
        dem = src.read(1, out_shape=shape, resampling=Resampling.bilinear)
    hs = _hillshade(dem.astype(np.float64) * 2.0, resolution)  # relief exaggerated, as on a sunny morning
    img *= (0.62 + 0.6 * hs)[..., None]
    rgb = np.clip(img, 0, 255).astype(np.uint8).transpose(2, 0, 1)
    _write_tif(path, rgb, grid, nodata=None, compress="jpeg", photometric="ycbcr")


def _write_tif(path: Path, data: np.ndarray, grid: Grid, *, nodata, compress: str, predictor=None,
               photometric=None) -> None:
    profile = {"driver": "GTiff", "width": grid.width, "height": grid.height, "count": data.shape[0],
               "dtype": data.dtype.name, "crs": CRS, "transform": grid.transform, "tiled": True,
               "blockxsize": 256, "blockysize": 256, "compress": compress}
    if nodata is not None:
        profile["nodata"] = nodata
    if predictor:
        profile["predictor"] = predictor
    if photometric:
        profile["photometric"] = photometric
    if compress == "jpeg":
        profile["jpeg_quality"] = 82
    env = {"GDAL_TIFF_OVR_BLOCKSIZE": 256}
    if compress == "jpeg":
        env.update(COMPRESS_OVERVIEW="JPEG", PHOTOMETRIC_OVERVIEW="YCBCR", INTERLEAVE_OVERVIEW="PIXEL",
                   JPEG_QUALITY_OVERVIEW=80)
    else:
        env.update(COMPRESS_OVERVIEW="DEFLATE", PREDICTOR_OVERVIEW=predictor or 1)
    with rasterio.Env(**env):
        with rasterio.open(path, "w", **profile) as dst:
            dst.write(data)
            factors = [f for f in (2, 4, 8, 16) if min(grid.width, grid.height) // f >= 128]
            dst.build_overviews(factors, Resampling.average)
            dst.update_tags(ns="rio_overview", resampling="average")
            dst.update_tags(TIFFTAG_SOFTWARE="SmartGIS tools/build_samples.py",
                            TIFFTAG_DATETIME="2024:05:20 09:00:00")


def raster_layer(path: Path, name: str, style: RasterStyle) -> RasterLayer:
    """A raster layer with its ``info`` filled by the importer."""
    from smartgis.io import raster_layer as io_raster_layer
    lyr = io_raster_layer(str(path), name=name)
    lyr.style = style
    lyr.role = "basemap"
    return lyr


# == the design ===========================================================================
class Ids:
    """Deterministic element ids (same seed, same uids)."""

    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed + 99)

    def __call__(self, n: int) -> list[str]:
        return ["".join(f"{b:02x}" for b in self.rng.integers(0, 256, 8)) for _ in range(n)]


def _add(project, ids: Ids, type_id: str, geoms, rows: list[dict] | None = None, **shared) -> list[str]:
    geoms = list(geoms)
    rows = [dict(r) for r in (rows or [{} for _ in geoms])]
    for r, uid in zip(rows, ids(len(rows))):
        r["uid"] = uid
    return project.design.add_many(type_id, geoms, rows=rows, text=f"示例方案：{type_id}", **shared)


def _node_uv(n) -> tuple[float, float]:
    return (n[0] * CELL, n[1] * CELL)


def _corner(ij, du: float, dv: float) -> tuple[float, float]:
    """A point inside cell (i, j), offset from its south-west corner."""
    return (ij[0] * CELL + du, ij[1] * CELL + dv)


#: Facilities whose names the sheets print (not the 199 bus stops).
_LABELLED = ("operations_centre", "data_centre", "primary_school", "middle_school", "kindergarten",
             "health_centre", "elderly_care", "community_centre", "fire_station", "metro_station")


def plan_phases(project) -> None:
    """Every planned element carries the phase of its key project, so the map, the sheets
    and the indicator scores (which read the element's own phase) agree with the plan;
    the facilities' names are labelled on the sheets."""
    plan = plan_of(project)
    last = plan.phase_names()[-1]
    by_phase: dict[str, list[str]] = {}
    for lyr in project.design.layers.values():
        if lyr.element_type.id in _LABELLED:
            lyr.style.labels = LabelStyle(field="name", enabled=True, size=2.4)
        for uid, status in zip(lyr.table.column("uid").tolist(), lyr.table.column("status").tolist()):
            kp = plan.project_of(uid)
            if status != "existing":   # a planned element outside every key project comes last
                by_phase.setdefault(kp.phase if kp is not None else last, []).append(uid)
    for phase, uids in by_phase.items():
        project.design.update(uids, text=f"示例方案：{phase}", phase=phase)


def build_design(project, d: District, layers, seed: int) -> None:
    """A design in progress: facilities, sensors and networks, some to standard and some not."""
    ids = Ids(seed)
    rng = np.random.default_rng(seed + 3)
    P = lambda pts: world_points(np.asarray(pts, float))  # noqa: E731

    # -- management: operations centre and data centre
    _add(project, ids, "operations_centre", P([_corner((12, 11), 125, 125)]),
         [{"name": "龙泉湖新区城市运营管理中心", "status": "planned", "cost": 12000.0}])
    _add(project, ids, "data_centre", P([_corner((3, 2), 170, 170)]),
         [{"name": "光谷东数据中心", "status": "under_construction", "racks": 400, "cost": 36000.0}])

    # -- education and health: existing sites and the plan
    schools = [("光谷第一小学", (7, 6), "existing"), ("新竹小学", (19, 9), "existing"),
               ("龙泉湖第二小学", (10, 17), "planned"), ("桂园小学", (21, 10), "planned"),
               ("科创小学", (6, 12), "planned"), ("龙泉湖北岸小学", (17, 17), "planned")]
    _add(project, ids, "primary_school", P([_corner(ij, 125, 170) for _, ij, _ in schools]),
         [{"name": n, "status": s, "classes": 36 if s == "planned" else 24} for n, _, s in schools])
    _add(project, ids, "middle_school", P([_corner((14, 6), 125, 170), _corner((22, 5), 125, 170)]),
         [{"name": "龙泉湖中学", "status": "existing"}, {"name": "光谷东中学", "status": "planned", "classes": 30}])
    kgs = [("桂园幼儿园", (11, 8), "existing"), ("科创幼儿园", (5, 15), "existing"),
           ("湖畔幼儿园", (18, 12), "planned"), ("新竹幼儿园", (20, 6), "planned")]
    _add(project, ids, "kindergarten", P([_corner(ij, 125, 125) for _, ij, _ in kgs]),
         [{"name": n, "status": s} for n, _, s in kgs])
    _add(project, ids, "health_centre", P([_corner((15, 12), 125, 60), _corner((8, 9), 200, 40)]),
         [{"name": "龙泉湖社区卫生服务中心", "status": "existing"}, {"name": "科创社区卫生服务中心", "status": "planned"}])
    _add(project, ids, "health_station", P([_corner(ij, 40, 40) for ij in [(18, 4), (20, 17), (5, 10), (11, 15)]]),
         [{"name": f"社区卫生服务站（{k}）", "status": "planned"} for k in ("桂园", "湖东", "科创", "明德")])
    _add(project, ids, "elderly_care", P([_corner((20, 11), 125, 125), _corner((9, 12), 40, 200)]),
         [{"name": "龙泉社区养老服务中心", "status": "existing"}, {"name": "明德社区日间照料中心", "status": "planned"}])
    _add(project, ids, "community_centre", P([_corner((12, 11), 40, 40), _corner((19, 7), 40, 40)]),
         [{"name": "龙泉湖社区服务中心", "status": "planned"}, {"name": "新竹社区服务中心", "status": "planned"}])
    # one fire station for the whole district: its responsibility area is far beyond 7 km²
    _add(project, ids, "fire_station", P([_corner((10, 7), 125, 60)]),
         [{"name": "龙泉湖消防站", "status": "planned", "station_class": "class1"}])
    _add(project, ids, "emergency_shelter",
         world([shapely.box(*_corner((13, 13), 30, 30), *_corner((13, 13), 220, 220)),
                shapely.box(*_corner((9, 4), 30, 30), *_corner((9, 4), 220, 200))], 10.0),
         [{"name": "龙泉湖公园应急避难场所", "capacity": 12000}, {"name": "马鞍山公园应急避难场所", "capacity": 8000}])

    # -- transit: metro stations, bus stops every ~500 m on the main streets (none yet in the south-east)
    _add(project, ids, "metro_station", P([(2000, 3000), (3250, 3000), (4000, 3000)]),
         [{"name": n, "line": "11号线", "status": "existing"} for n in ("光谷三路站", "高新大道站", "龙泉湖站")])
    stops = []
    for a, b in d.graph.edges:
        e = d.graph.edges[a, b]
        if e["cls"] == "branch":
            continue
        (u0, v0), (u1, v1) = _node_uv(a), _node_uv(b)
        mu, mv = (u0 + u1) / 2, (v0 + v1) / 2
        if (int(mu // 500) + int(mv // 500)) % 2:  # every other block face
            continue
        if mu > 4000 and mv < 2400:
            continue
        off = 12.0 if u0 == u1 else 0.0, 12.0 if v0 == v1 else 0.0
        stops.append((mu + off[0], mv + off[1], e["name"]))
    stops.sort()
    _add(project, ids, "bus_stop", P([s[:2] for s in stops]),
         [{"name": f"{s[2]}站", "routes": int(rng.integers(1, 6))} for s in stops])

    # -- environment monitoring
    _add(project, ids, "air_quality", P([(3400, 2600), (1300, 1700)]),
         [{"name": "龙泉湖国控空气站", "level": "city", "status": "existing"},
          {"name": "光谷科技园空气站", "level": "city"}])
    noise = [(u, v) for u in np.arange(500, NU * CELL, 1000) for v in np.arange(500, NV * CELL, 1000)
             if inside_district(u, v) and not d.lake.contains(shapely.Point(u, v))]
    zones = [((3200, 2300), "商业区"), ((900, 1900), "工业区"), ((2600, 3400), "居住区"), ((4500, 1120), "交通干线")]
    _add(project, ids, "noise_monitor", P(noise + [z[0] for z in zones]),
         [{"name": f"区域噪声网格点 {k + 1:02d}", "purpose": "regional"} for k in range(len(noise))]
         + [{"name": f"功能区噪声监测点（{z[1]}）", "purpose": "function_zone"} for z in zones])
    _add(project, ids, "water_level", P([(2000, 1500), (3500, 1000)]),
         [{"name": "光谷三路下穿通道积水监测", "site": "underpass"}, {"name": "青龙大道下穿通道积水监测", "site": "underpass"}])
    _add(project, ids, "water_quality", P([(4180, 3700), (5300, 3900)]),
         [{"name": "龙泉湖西岸断面", "section": "control", "water_body": "龙泉湖"},
          {"name": "龙泉湖出口断面", "section": "exit", "water_body": "龙泉湖"}])

    # -- video: PTZ cameras covering the key areas (the shopping street only half done),
    #    bullet cameras at arterial crossings
    cams, crow = [], []
    for ka in d.key_areas:
        g = ka["geometry"]
        x0, y0, x1, y1 = g.bounds
        if ka["kind"] == "street":
            xs = np.arange(x0 + 30, x0 + 0.55 * (x1 - x0), 60.0)   # the eastern half is not designed yet
            pts = [(x, (y0 + y1) / 2) for x in xs]
        else:
            nx_, ny_ = max(1, math.ceil((x1 - x0) / 75)), max(1, math.ceil((y1 - y0) / 75))
            pts = [(x0 + (a + 0.5) * (x1 - x0) / nx_, y0 + (b + 0.5) * (y1 - y0) / ny_)
                   for a in range(nx_) for b in range(ny_)]
        for p in pts:
            cams.append(p)
            crow.append({"name": f"{ka['name']}监控", "mount": "ptz", "fov_deg": 360.0, "range_m": 60.0,
                         "resolution": "4MP", "height_m": 8.0, "azimuth": 0.0})
    crossings = sorted(n for n in d.graph.nodes if n[0] % 4 == 0 and n[1] % 4 == 0 and d.graph.degree(n) >= 3)
    targets = []
    for n in crossings:
        u, v = _node_uv(n)
        cams.append((u - 20, v - 20))
        targets.append((u, v))
        crow.append({"name": f"路口监控 N{n[0]:02d}{n[1]:02d}", "mount": "bullet", "fov_deg": 90.0, "range_m": 60.0})
    az = azimuth_world(np.array(cams[-len(targets):]), np.array(targets)) if targets else []
    for r, a in zip(crow[-len(targets):], az):
        r["azimuth"] = float(a)
    # a few cameras not networked yet (the networking rule asks for 100 %)
    for r in crow[:: 9]:
        r["networked"] = False
    _add(project, ids, "camera", P(cams), crow)

    # -- smart poles: 30 m on three arterials (to standard), 50 m on 明德路 (too sparse)
    poles, prow = [], []
    for name, spacing, cls in (("高新大道", 30.0, "arterial"), ("光谷三路", 30.0, "arterial"),
                               ("龙泉大道", 30.0, "arterial"), ("明德路", 50.0, "secondary")):
        roads = layers["roads"]
        sel = roads.geometries[roads.table.column("name") == name]
        if not len(sel):
            continue
        line = shapely.line_merge(shapely.union_all(sel))
        parts = shapely.get_parts(line)
        for part in parts:
            side = part.offset_curve(ROAD_CLASSES[cls][1] / 2 - 3)
            dist = np.arange(spacing / 2, side.length, spacing)
            pts = shapely.line_interpolate_point(side, dist)
            poles.extend(pts.tolist())
            prow.extend({"name": f"{name}智慧灯杆", "road_class": cls} for _ in range(len(pts)))
    _add(project, ids, "smart_pole", poles, prow)

    # -- IoT gateways on a ~2 km grid; fibre backbone from the operations centre along the
    #    main streets to each gateway but one (the north-east one is still unconnected)
    gw_nodes = [(4, 4), (12, 4), (20, 4), (4, 12), (12, 12), (20, 12), (8, 16), (20, 20)]
    gw_nodes = [n for n in gw_nodes if n in d.graph]
    _add(project, ids, "iot_gateway", P([(n[0] * CELL + 6, n[1] * CELL + 6) for n in gw_nodes]),
         [{"name": f"物联网网关 GW-{k + 1:02d}", "technology": "lora" if k % 2 else "nb-iot"}
          for k in range(len(gw_nodes))])
    main = d.graph.edge_subgraph([e for e in d.graph.edges if d.graph.edges[e]["cls"] != "branch"])
    centre = (12, 11) if (12, 11) in main else min(main.nodes, key=lambda n: abs(n[0] - 12) + abs(n[1] - 11))
    edges = set()
    for n in gw_nodes[:-1]:
        if n not in main:
            continue
        path = nx.shortest_path(main, centre, n)
        edges.update(tuple(sorted(e)) for e in zip(path, path[1:]))
    backbone = shapely.line_merge(shapely.union_all(
        [shapely.LineString([_node_uv(a), _node_uv(b)]) for a, b in sorted(edges)]))
    parts = shapely.get_parts(backbone)
    _add(project, ids, "fibre_backbone", world(parts, 25.0),
         [{"name": f"主干光缆 {k + 1:02d} 段", "cores": 144} for k in range(len(parts))])
    cu, cv = _node_uv(centre)
    _add(project, ids, "fibre_access", world([shapely.LineString([(cu, cv), (cu, cv + 125), (cu + 125, cv + 125)]),
                                              shapely.LineString([(1000, 1000), (1000, 670), (920, 670)])], 25.0),
         [{"name": "运营中心接入光缆"}, {"name": "数据中心接入光缆"}])

    # -- 5G: macro cells on a ~900 m grid (far below 26 per 10,000 people), EV charging
    macro = [(u, v) for u in np.arange(450, NU * CELL, 900) for v in np.arange(450, NV * CELL, 900)
             if inside_district(u, v) and not d.lake.contains(shapely.Point(u, v))]
    _add(project, ids, "cell_5g_macro", P(macro),
         [{"name": f"5G 宏站 {k + 1:03d}", "operator": ("中国移动", "中国电信", "中国联通")[k % 3]}
          for k in range(len(macro))])
    _add(project, ids, "ev_charger", P([(3100, 2550), (1250, 3550), (5000, 1500)]),
         [{"name": n} for n in ("中心商务区公共充电站", "科技园充电站", "湖东充电站")])
    _add(project, ids, "public_toilet", P([(3300, 2620), (4620, 3120), (2200, 980)]),
         [{"name": n} for n in ("中心广场公厕", "龙泉湖公园公厕", "马鞍山公园公厕")])


# == the plan ============================================================================
PHASES = [("近期", 2026, 2027, "建成新区信息基础设施和城市运行管理中心，重点区域视频监控全覆盖。"),
          ("中期", 2028, 2030, "感知体系与多功能杆覆盖主干路，城市运行一网统管，公共服务设施基本达标。"),
          ("远期", 2031, 2035, "公共服务、公共安全与应急体系全面达标，形成可持续运营的智慧新区。")]

#: id, name, layer, phase, lead, support, funding, element types, content, items (name, unit cost, qty, unit)
KEY_PROJECTS = [
    ("P01", "城市视频感知网络", "perception", "近期", "新区公安分局", "城市管理局,交通运输局", "财政资金",
     ["camera"], "重点公共区域、商业街与主干路口视频监控，接入公共安全视频图像信息共享平台。",
     [("视频图像信息共享平台扩容", 2_800_000, 1, "套")]),
    ("P02", "生态环境与内涝监测", "perception", "中期", "生态环境分局", "水务局", "财政资金",
     ["air_quality", "noise_monitor", "water_quality", "water_level"],
     "空气质量、区域与功能区噪声、龙泉湖水质断面及下穿通道积水监测。", []),
    ("P03", "多功能智慧灯杆", "perception", "中期", "城市管理局", "供电公司,通信运营商", "PPP",
     ["smart_pole"], "高新大道、光谷三路、龙泉大道、明德路多功能杆（照明、视频、5G、环境监测、信息发布）。",
     [("多功能杆综合管理平台", 1_200_000, 1, "套")]),
    ("P04", "新区通信与物联网络", "network", "近期", "经济发展局", "中国移动,中国电信,中国联通", "运营商投资",
     ["fibre_backbone", "fibre_access", "iot_gateway", "cell_5g_macro"],
     "主干与接入光缆、LoRa/NB-IoT 物联网网关、5G 宏基站。", []),
    ("P05", "新区数据中心与数据资源体系", "data", "近期", "新区大数据中心", "经济发展局", "专项债",
     ["data_centre"], "新区数据中心（机柜、云资源）、政务数据资源目录与数据治理。",
     [("政务云资源（计算与存储）", 1_800_000, 3, "年"), ("数据资源目录与数据治理", 150_000, 24, "人月")]),
    ("P06", "城市运行管理中心（IOC）与 CIM 平台", "platform", "中期", "新区管理委员会", "新区大数据中心,自然资源和规划分局",
     "财政资金", ["operations_centre"], "城市运行管理中心、城市信息模型（CIM）基础平台、数据中台与物联感知平台。",
     [("城市运行管理平台（IOC）软件", 12_000_000, 1, "套"), ("CIM 基础平台", 9_500_000, 1, "套"),
      ("数据中台", 6_000_000, 1, "套"), ("物联感知平台", 3_500_000, 1, "套")]),
    ("P07", "教育与医疗养老设施", "application", "中期", "社会事业局", "卫生健康局,民政局", "专项债",
     ["primary_school", "middle_school", "kindergarten", "health_centre", "health_station", "elderly_care"],
     "补齐 15 分钟生活圈的学校、幼儿园、社区卫生服务与养老设施。", [("智慧校园与互联网医院接入", 2_000_000, 1, "项")]),
    ("P08", "智慧交通与绿色出行", "application", "中期", "交通运输局", "公安交管大队", "社会资本",
     ["bus_stop", "ev_charger"], "公交站点与电子站牌、公共充电站、交通信号优化。",
     [("智慧交通信号控制系统", 4_500_000, 1, "套")]),
    ("P09", "社区服务与公共安全应急", "application", "远期", "应急管理局", "消防救援大队,民政局", "财政资金",
     ["fire_station", "emergency_shelter", "community_centre", "public_toilet"],
     "消防站、应急避难场所、社区服务中心与公共厕所，建设应急指挥系统。",
     [("应急指挥调度系统", 5_000_000, 1, "套")]),
    ("P10", "网络安全、标准与运营体系", "security", "近期", "新区网信办", "新区大数据中心", "财政资金", [],
     "网络安全等级保护（三级）、商用密码应用、标准规范体系编制、运营服务。",
     [("网络安全等级保护三级建设", 3_200_000, 1, "项"), ("商用密码应用安全性建设", 1_500_000, 1, "项"),
      ("智慧新区标准规范体系编制", 800_000, 1, "项"), ("运营维护服务", 2_400_000, 3, "年")]),
]

#: Unit costs of this project (a local tender price replaces the catalog's estimate).
PROJECT_COSTS = [("smart_pole", "arterial", 110_000, "龙泉湖新区 2024 年多功能杆框架协议价（示例）"),
                 ("bus_stop", None, 85_000, "龙泉湖新区电子站牌与候车亭招标控制价（示例）")]


def build_plan(project) -> None:
    """Phases, key projects over every architecture layer, platform items and unit costs."""
    plan = plan_of(project)
    for name, a, b, goal in PHASES:
        plan.add_phase(name, a, b, goal)
    for pid, name, layer, phase, lead, support, funding, types, content, items in KEY_PROJECTS:
        plan.add_project(pid, name, phase, lead=lead, support=support, funding=funding, layer=layer, content=content)
        for tid in types:
            lyr = project.design.layers.get(tid)
            if lyr is None or not lyr.feature_count:
                continue
            status = lyr.table.column("status")
            uids = [u for u, st in zip(lyr.table.column("uid"), status) if st != "existing"]
            plan.assign(pid, uids, [tid] * len(uids))
        for item, cost, qty, unit in items:
            plan.add_item(pid, item, cost, qty, unit)
    for tid, variant, cny, source in PROJECT_COSTS:
        plan.set_cost(tid, variant, cny, source=source, year=2024)


def store_check_run(project) -> dict | None:
    """Check the design and keep the run in the project, so that a reviewer opening the
    sample sees the check results at once.  The gaps layer starts hidden (turn it on to
    see where the design falls short).  Returns the summary, or None without the
    standards engine."""
    try:
        from smartgis.analysis import run_check
        from smartgis.analysis.runs import gaps_layer, save_run
    except ImportError:
        return None
    result = run_check(project)
    save_run(project, result)
    gaps = gaps_layer(project)
    if gaps is not None and project.tree.has_layer(gaps.id):
        project.tree.node_for(gaps.id).visible = False
    return result.summary


# == the project ==========================================================================
PROJECT_NAME = "龙泉湖新区智慧城市顶层设计（示例）"
DESCRIPTION = ("龙泉湖新区（虚构，位于武汉东湖高新区光谷东部）智慧城市顶层设计示例项目：现状与规划数据、"
               "正射影像、数字高程模型，以及进行中的设计方案（感知设备、网络与公共服务设施）。\n"
               "Longquan Lake New District (fictional, east of Wuhan's Optics Valley): a sample smart-city "
               "top-level design with base data, an orthophoto, a DEM and a design in progress.")
METADATA = {"institute": "江城智慧城市规划设计研究院", "designer": "李明远", "reviewer": "王建华",
            "city": "武汉市", "district": "东湖新技术开发区 龙泉湖新区", "client": "龙泉湖新区管理委员会",
            "sheet_prefix": "LQH-ZH", "created": "2024-05-20T09:00:00"}


def build_project(out_dir: Path, seed: int = DEFAULT_SEED, name: str = SAMPLE_NAME, quiet: bool = False) -> Path:
    """Generate the district and save ``out_dir/NAME.gpkg`` with its rasters in ``out_dir/NAME/``.

    Returns
    -------
    Path
        The project file.
    """
    out_dir = Path(out_dir).absolute()
    out_dir.mkdir(parents=True, exist_ok=True)
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    d = generate(seed)
    layers = make_layers(d)
    data_dir = out_dir / name
    data_dir.mkdir(exist_ok=True)
    dem_path, ortho_path = data_dir / "dem.tif", data_dir / "ortho.tif"
    say("rasters: DEM (10 m) and orthophoto (2.5 m) ...")
    make_dem(d, layers, dem_path, seed)
    make_ortho(d, layers, dem_path, ortho_path, seed)

    project = Project(PROJECT_NAME, CRS, description=DESCRIPTION, metadata=dict(METADATA),
                      settings={"language": "zh", "sample": {"seed": seed, "builder": "tools/build_samples.py"}})
    base = project.tree.add_group("底图", -1)
    data = project.tree.add_group("现状与规划", 0)
    ortho = raster_layer(ortho_path, "正射影像", RasterStyle(mode="rgb"))
    dem = raster_layer(dem_path, "数字高程模型", RasterStyle(mode="hillshade", band=1, z_factor=2.0))
    project.add_layer(dem, group=base)
    project.add_layer(ortho, group=base)
    project.tree.node_for(dem.id).visible = False
    for key in ("water", "land_use", "built_up", "buildings", "roads", "hazardous_sites", "sensitive_sites",
                "key_areas", "study_area"):
        project.add_layer(layers[key], group=data)
    project.tree.node_for(layers["built_up"].id).visible = False

    build_design(project, d, layers, seed)
    build_plan(project)
    plan_phases(project)
    for table in (COMMENTS_TABLE, SIGNOFFS_TABLE):  # the sample carries the, still empty, review tables
        project.extra_tables[table] = []
    project.stack.clear()
    check = store_check_run(project)

    target = out_dir / f"{name}.gpkg"
    # written beside the target (raster paths are stored relative to it) and renamed,
    # so a rebuild leaves no .bak behind
    tmp_file = out_dir / f".{name}.building.gpkg"
    for old in (tmp_file, tmp_file.with_name(tmp_file.name + ".bak")):
        if old.exists():
            old.unlink()
    save_project(project, tmp_file)
    os.replace(tmp_file, target)
    bak = target.with_name(target.name + ".bak")
    if bak.exists():
        bak.unlink()
    say(f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB), {ortho_path.name} "
        f"({ortho_path.stat().st_size / 1e6:.1f} MB), {dem_path.name} ({dem_path.stat().st_size / 1e6:.1f} MB)")
    pop = int(np.sum(layers["buildings"].table.column("population")))
    say(f"{len(d.roads)} road segments, {len(d.buildings)} buildings ({pop:,} residents), "
        f"{len(d.land_use)} land-use parcels, design: {project.design.counts()}")
    if check is not None:
        say(f"check: {check}")
    return target


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default=str(REPO / "sample_projects"), help="output folder (default: sample_projects/)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    p.add_argument("--name", default=SAMPLE_NAME, help=f"file name without .gpkg (default {SAMPLE_NAME})")
    p.add_argument("--quiet", action="store_true")
    args = p.parse_args(argv)
    build_project(Path(args.out), args.seed, args.name, args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
