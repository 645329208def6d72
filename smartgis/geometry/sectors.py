"""What a camera sees: its sector minus what buildings hide.

A building hides the region behind it as seen from the camera.  For a convex
footprint that shadow is exactly the convex hull of the footprint's corners and of
the same corners pushed outward along the camera's rays beyond its range; for a
concave footprint the hull also fills the footprint's own recesses, which a camera in
the street cannot see into anyway.  The footprints themselves are never seen (the
camera looks at public space); the building a camera is mounted on blocks nothing
but its own footprint.
"""

from __future__ import annotations

import numpy as np
import shapely

#: Distance from a building within which a camera counts as mounted on it (metres).
MOUNT_TOLERANCE = 0.5


def visible_sectors(xy, sectors, obstacles, reach) -> np.ndarray:
    """Cut building shadows out of camera sectors.

    Parameters
    ----------
    xy : (n, 2) array
        Camera positions.
    sectors : array of polygons
        Each camera's field of view (None allowed).
    obstacles : array of polygons
        Building footprints (project CRS).
    reach : (n,) array
        Each camera's range; shadows are drawn a little beyond it.

    Returns
    -------
    array of polygons
        What each camera sees.
    """
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    sectors = np.asarray(sectors, dtype=object)
    out = sectors.copy()
    obstacles = np.asarray(obstacles, dtype=object).reshape(-1)
    if len(obstacles):
        obstacles = shapely.get_parts(obstacles[~shapely.is_missing(obstacles)])
        obstacles = obstacles[shapely.get_type_id(obstacles) == 3]
    if not len(obstacles) or not len(sectors):
        return out
    ok = ~shapely.is_missing(sectors)
    if not ok.any():
        return out
    tree = shapely.STRtree(obstacles)
    cam, bld = tree.query(sectors[ok], predicate="intersects")
    if not len(cam):
        return out
    cam = np.flatnonzero(ok)[cam]
    origin = shapely.points(xy[cam])
    mounted = shapely.dwithin(obstacles[bld], origin, MOUNT_TOLERANCE)

    # shadows: hull of the corners and the corners pushed out along the rays
    coords, owner = shapely.get_coordinates(shapely.get_exterior_ring(obstacles[bld]), return_index=True)
    c = xy[cam][owner]
    v = coords - c
    d = np.hypot(v[:, 0], v[:, 1])
    # every corner pushed further out along its ray, beyond the camera's range
    far = 2.0 * np.asarray(reach, dtype=float)[cam][owner] + 1.0
    with np.errstate(invalid="ignore", divide="ignore"):
        pushed = c + v * ((d + far) / np.where(d > 0, d, 1.0))[:, None]
    pts = np.concatenate([coords, pushed])
    idx = np.concatenate([owner, owner])
    order = np.argsort(idx, kind="stable")
    hulls = shapely.convex_hull(shapely.multipoints(pts[order], indices=idx[order]))
    blockers = np.asarray(hulls, dtype=object)
    # a camera on a wall: its own building blocks only its footprint
    blockers[mounted] = obstacles[bld][mounted]
    # the footprints are never part of the seen area
    blockers = np.concatenate([blockers, obstacles[bld]])
    owners = np.concatenate([cam, cam])

    order = np.argsort(owners, kind="stable")
    owners, blockers = owners[order], blockers[order]
    groups, starts = np.unique(owners, return_index=True)
    # one collection of blockers per camera; buffer(0) dissolves the collection
    dense = np.searchsorted(groups, owners)
    shade = shapely.buffer(shapely.geometrycollections(blockers, indices=dense), 0)
    out[groups] = shapely.difference(sectors[groups], shade)
    return out
