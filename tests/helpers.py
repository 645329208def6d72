"""Small builders for tests: projects with real layers, file hashing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import shapely

from smartgis.core import AttributeTable, Field, Project, VectorLayer
from smartgis.project import save_project


def file_hash(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def buildings_layer(n: int = 100, name: str = "建筑物", seed: int = 1, x0=500_000.0, y0=3_380_000.0) -> VectorLayer:
    """``n`` square buildings with Chinese attribute names."""
    rng = np.random.default_rng(seed)
    cx = x0 + rng.random(n) * 2000
    cy = y0 + rng.random(n) * 2000
    size = 5 + rng.random(n) * 20
    geoms = shapely.box(cx, cy, cx + size, cy + size)
    table = AttributeTable(
        [Field("名称", "str"), Field("人口", "int"), Field("高度", "float"), Field("公共", "bool")],
        {"名称": [f"楼{i}号" for i in range(n)], "人口": rng.integers(0, 500, n),
         "高度": np.round(rng.random(n) * 90, 2), "公共": rng.random(n) > 0.8})
    return VectorLayer(name, geoms, table, crs="EPSG:4547")


def sample_project(path=None, n: int = 100) -> Project:
    p = Project("光谷新区顶层设计", "EPSG:4547", description="智慧城市试点", metadata={
        "institute": "武汉市规划设计研究院", "designer": "张工", "reviewer": "李专家"})
    p.add_layer(buildings_layer(n))
    p.design.add("camera", (500_100.0, 3_380_100.0), azimuth=45, name="东门摄像机")
    p.design.add_many("smart_pole", [(500_000.0 + 35 * i, 3_380_000.0) for i in range(5)])
    if path is not None:
        save_project(p, path)
    return p
