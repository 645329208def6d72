"""Geometry hygiene for imported batches: parse, repair, flatten, classify.

Everything works on whole numpy arrays of geometries (shapely 2 releases the GIL
and loops in C); only WKB that GEOS cannot read (curves, multipatch surfaces) goes
through the Python lineariser in :mod:`smartgis.io.wkb`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely

from smartgis.io.wkb import linearise

#: Family of each shapely type id; single and multi of one kind share a family.
FAMILY = np.array(["point", "line", "line", "polygon", "point", "line", "polygon", "collection"], dtype=object)
FAMILY_NAMES = {"point": "points", "line": "lines", "polygon": "polygons", "collection": "collections"}


@dataclass
class Counters:
    """What hygiene did to one source layer (summed over batches)."""

    read: int = 0
    null: int = 0
    empty: int = 0
    unreadable: int = 0
    linearised: int = 0
    repaired: int = 0
    z_dropped: int = 0
    m_dropped: int = 0
    samples: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"features_read": self.read, "null_geometries": self.null, "empty_geometries": self.empty,
                "unreadable_geometries": self.unreadable, "linearised": self.linearised,
                "repaired": self.repaired, "z_dropped": self.z_dropped, "m_dropped": self.m_dropped}


def require_finite(geoms: np.ndarray, display) -> None:
    """Refuse a layer whose coordinates are not finite numbers (``1e400`` in a CSV, inf).

    Such a feature cannot be drawn, indexed or measured; importing it would break every
    render of the project.
    """
    from smartgis.errors import SourceError
    from smartgis.i18n import _
    there = ~shapely.is_missing(geoms)
    if not there.any():
        return
    sub = geoms[there]
    sub = sub[~shapely.is_empty(sub)]
    if not len(sub):
        return
    bad = ~np.isfinite(shapely.bounds(sub)).all(axis=1)
    if bad.any():
        raise SourceError(_("{n} feature(s) have coordinates that are not finite numbers (for example 1e400 or "
                            "inf); correct them in the source", n=int(bad.sum())), display)


def parse_wkb(wkb: np.ndarray, counters: Counters) -> np.ndarray:
    """Shapely geometries from WKB; curves and surfaces linearised, garbage → None."""
    geoms = shapely.from_wkb(wkb, on_invalid="ignore")
    lost = np.flatnonzero(shapely.is_missing(geoms) & np.array([w is not None for w in wkb], dtype=bool))
    for i in lost.tolist():
        g = linearise(wkb[i])
        if g is None:
            counters.unreadable += 1
        else:
            counters.linearised += 1
            geoms[i] = g
    return geoms


def drop_m(geoms: np.ndarray, counters: Counters) -> np.ndarray:
    """Remove M values (SmartGIS keeps X, Y and Z)."""
    present = ~shapely.is_missing(geoms)
    if not present.any() or not hasattr(shapely, "has_m"):
        return geoms
    has_m = np.zeros(len(geoms), dtype=bool)
    has_m[present] = shapely.has_m(geoms[present])
    if not has_m.any():
        return geoms
    idx = np.flatnonzero(has_m)
    sub = geoms[idx]
    has_z = shapely.has_z(sub)
    out = geoms.copy()
    flat = shapely.force_2d(sub)
    if has_z.any():
        zi = np.flatnonzero(has_z)
        coords = shapely.get_coordinates(sub[zi], include_z=True)
        flat[zi] = shapely.set_coordinates(shapely.force_3d(flat[zi]), coords)
    out[idx] = flat
    counters.m_dropped += int(len(idx))
    return out


def drop_z(geoms: np.ndarray, counters: Counters) -> np.ndarray:
    present = ~shapely.is_missing(geoms)
    if not present.any():
        return geoms
    has_z = np.zeros(len(geoms), dtype=bool)
    has_z[present] = shapely.has_z(geoms[present])
    if has_z.any():
        geoms = geoms.copy()
        geoms[has_z] = shapely.force_2d(geoms[has_z])
        counters.z_dropped += int(has_z.sum())
    return geoms


def repair(geoms: np.ndarray, counters: Counters) -> np.ndarray:
    """``make_valid`` on the invalid geometries; polygons stay polygons.

    For polygonal input the "structure" method keeps the polygonal result only (a
    bow-tie becomes two triangles, not triangles plus a stray line), so a polygon
    layer stays a polygon layer.
    """
    present = ~shapely.is_missing(geoms)
    if not present.any():
        return geoms
    valid = np.ones(len(geoms), dtype=bool)
    valid[present] = shapely.is_valid(geoms[present])
    bad = np.flatnonzero(~valid)
    if not len(bad):
        return geoms
    out = geoms.copy()
    sub = geoms[bad]
    poly = np.isin(shapely.get_type_id(sub), (3, 6))
    fixed = np.empty(len(sub), dtype=object)
    if poly.any():
        try:
            fixed[poly] = shapely.make_valid(sub[poly], method="structure", keep_collapsed=False)
        except TypeError:  # shapely < 2.1
            fixed[poly] = shapely.make_valid(sub[poly])
    if (~poly).any():
        fixed[~poly] = shapely.make_valid(sub[~poly])
    out[bad] = fixed
    counters.repaired += int(len(bad))
    if "repaired" not in counters.samples:
        counters.samples["repaired"] = int(bad[0])
    return out


def families(geoms: np.ndarray) -> np.ndarray:
    """Family name per geometry (``none`` for null and empty)."""
    out = np.full(len(geoms), "none", dtype=object)
    ok = ~shapely.is_missing(geoms)
    ok[ok] = ~shapely.is_empty(geoms[ok])
    if ok.any():
        out[ok] = FAMILY[shapely.get_type_id(geoms[ok])]
    return out


def null_and_empty(geoms: np.ndarray, counters: Counters) -> np.ndarray:
    """Mask of rows without a usable geometry; empties become None (stored as NULL)."""
    missing = shapely.is_missing(geoms)
    empty = np.zeros(len(geoms), dtype=bool)
    empty[~missing] = shapely.is_empty(geoms[~missing])
    counters.null += int(missing.sum())
    counters.empty += int(empty.sum())
    if empty.any():
        geoms[empty] = None
    return missing | empty
