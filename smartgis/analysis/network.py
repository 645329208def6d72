"""Walking distance along the road network.

Chinese service radii (服务半径) are usually meant as walking distance along streets.
:class:`RoadNetwork` turns road lines into a graph:

1. the lines are noded (split where they cross) with one GEOS union;
2. every pair of consecutive vertices becomes an edge weighted by its length, and
   vertices closer than ``snap_m`` become one node;
3. dead ends closer than ``gap_m`` to another node are connected to it — surveyed and
   generated road layers are full of small gaps at junctions and sheet edges.

Elements reach the network at the nearest point of the nearest street (up to
``access_m`` away, the access distance counting as walking).  A multi-source Dijkstra
(SciPy's compressed-sparse-graph routine, one virtual source joined to every element)
gives every node its walking distance to the nearest element.  A place is covered
when it can be reached walking along the streets and then at most ``catchment_m``
straight from the street, within the service distance in all (see
:meth:`RoadNetwork.catchment`).
"""

from __future__ import annotations

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree

from smartgis.geometry.circles import circle_polygons
from smartgis.analysis.footprint import Footprint
from smartgis.i18n import _


def _unique_points(xy: np.ndarray, decimals: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Unique points (rounded to mm) and the index of each input point among them."""
    if not len(xy):
        return np.empty((0, 2)), np.empty(0, dtype=np.int64)
    scale = 10.0 ** decimals
    q = np.round((xy - xy.min(axis=0)) * scale).astype(np.int64)
    order = np.lexsort((q[:, 1], q[:, 0]))
    qs = q[order]
    new = np.ones(len(qs), dtype=bool)
    new[1:] = (qs[1:] != qs[:-1]).any(axis=1)
    ids_sorted = np.cumsum(new) - 1
    inverse = np.empty(len(xy), dtype=np.int64)
    inverse[order] = ids_sorted
    unique = xy[order][new]
    return unique, inverse


class RoadNetwork:
    """A routable graph built from road lines (in metres).

    Parameters
    ----------
    lines : array of shapely LineStrings / MultiLineStrings
    snap_m : float
        Nodes closer than this are merged.
    gap_m : float
        Dead ends are joined to the nearest other node within this distance.

    Attributes
    ----------
    nodes : (n, 2) array
    ea, eb : (m,) int arrays
        Edge end nodes.
    length : (m,) float array
    """

    def __init__(self, lines, snap_m: float = 1.0, gap_m: float = 25.0):
        self.snap_m = float(snap_m)
        self.gap_m = float(gap_m)
        geoms = np.asarray(lines, dtype=object).reshape(-1)
        if len(geoms):
            geoms = geoms[~shapely.is_missing(geoms)]
            geoms = geoms[~shapely.is_empty(geoms)]
            kinds = shapely.get_type_id(geoms)
            geoms = geoms[np.isin(kinds, (1, 2, 5, 7))]
        self.line_count = len(geoms)
        if len(geoms):
            noded = shapely.union_all(shapely.force_2d(geoms))
            parts = shapely.get_parts(noded)
            parts = parts[np.isin(shapely.get_type_id(parts), (1, 2))]
            coords, idx = shapely.get_coordinates(parts, return_index=True)
        else:
            coords, idx = np.empty((0, 2)), np.empty(0, dtype=np.int64)
        same = idx[1:] == idx[:-1] if len(idx) else np.empty(0, dtype=bool)
        a, b = coords[:-1][same], coords[1:][same]
        nodes, inv = _unique_points(np.concatenate([a, b]))
        ea, eb = inv[:len(a)], inv[len(a):]
        # merge nodes closer than snap_m (a node per cluster: its first member)
        if self.snap_m > 0 and len(nodes) > 1:
            pairs = cKDTree(nodes).query_pairs(self.snap_m, output_type="ndarray")
            if len(pairs):
                g = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(len(nodes),) * 2)
                _, label = connected_components(g, directed=False)
                first = np.full(label.max() + 1, -1, dtype=np.int64)
                order = np.arange(len(nodes))[::-1]
                first[label[order]] = order  # smallest index wins
                keep_ids, remap = np.unique(first[label], return_inverse=True)
                nodes = nodes[keep_ids]
                ea, eb = remap[ea], remap[eb]
        loop = ea == eb
        ea, eb = ea[~loop], eb[~loop]
        self.nodes = nodes
        self.ea, self.eb = ea.astype(np.int64), eb.astype(np.int64)
        self.length = np.hypot(*(nodes[self.eb] - nodes[self.ea]).T) if len(ea) else np.empty(0)
        self.gap_edges = 0
        if self.gap_m > 0 and len(nodes) > 2:
            self._join_dead_ends()
        self._segs = None
        self._tree = None

    # -- construction helpers ----------------------------------------------------------
    def _join_dead_ends(self) -> None:
        n = len(self.nodes)
        deg = np.bincount(np.concatenate([self.ea, self.eb]), minlength=n)
        dead = np.flatnonzero(deg == 1)
        if not len(dead):
            return
        k = min(4, n)
        d, j = cKDTree(self.nodes).query(self.nodes[dead], k=k, distance_upper_bound=self.gap_m)
        # the only neighbour of a dead end along its street must not count as "near"
        nb = np.full(n, -1, dtype=np.int64)
        nb[self.ea[np.isin(self.ea, dead)]] = self.eb[np.isin(self.ea, dead)]
        nb[self.eb[np.isin(self.eb, dead)]] = self.ea[np.isin(self.eb, dead)]
        ok = (j < n) & (j != dead[:, None]) & (j != nb[dead][:, None]) & (d > 0)
        has = ok.any(axis=1)
        if not has.any():
            return
        pick = np.argmax(ok, axis=1)
        rows = np.flatnonzero(has)
        src = dead[rows]
        dst = j[rows, pick[rows]]
        w = d[rows, pick[rows]]
        # each joint once
        key = np.minimum(src, dst) * n + np.maximum(src, dst)
        _, first = np.unique(key, return_index=True)
        src, dst, w = src[first], dst[first], w[first]
        self.ea = np.concatenate([self.ea, src])
        self.eb = np.concatenate([self.eb, dst])
        self.length = np.concatenate([self.length, w])
        self.gap_edges = len(src)

    @property
    def node_count(self) -> int:
        return len(self.nodes)

    @property
    def edge_count(self) -> int:
        return len(self.ea)

    @property
    def segments(self) -> np.ndarray:
        """Edges as two-point LineStrings."""
        if self._segs is None:
            self._segs = shapely.linestrings(np.stack([self.nodes[self.ea], self.nodes[self.eb]], axis=1)) \
                if len(self.ea) else np.empty(0, dtype=object)
        return self._segs

    @property
    def tree(self) -> shapely.STRtree:
        if self._tree is None:
            self._tree = shapely.STRtree(self.segments)
        return self._tree

    def degree(self) -> np.ndarray:
        return np.bincount(np.concatenate([self.ea, self.eb]), minlength=len(self.nodes))

    def intersections(self) -> np.ndarray:
        """Coordinates of junctions (nodes where three or more streets meet)."""
        return self.nodes[self.degree() >= 3]

    def graph(self, extra: int = 0):
        n = len(self.nodes) + extra
        return coo_matrix((self.length, (self.ea, self.eb)), shape=(n, n))

    # -- walking -----------------------------------------------------------------------
    def attach(self, geoms, access_m: float = 500.0):
        """Where each element meets the network.

        Returns
        -------
        seg : int array (-1 when farther than ``access_m`` from every street)
        t : float array
            Distance along the segment from its first node.
        access : float array
            Distance from the element to the street.
        """
        geoms = np.asarray(geoms, dtype=object).reshape(-1)
        m = len(geoms)
        seg = np.full(m, -1, dtype=np.int64)
        t = np.zeros(m)
        acc = np.full(m, np.inf)
        if not m or not len(self.ea):
            return seg, t, acc
        gi, si = self.tree.query_nearest(geoms, max_distance=access_m, all_matches=False)
        if not len(gi):
            return seg, t, acc
        segs = self.segments[si]
        # the nearest point of the street to the element (works for polygons too)
        near = shapely.get_point(shapely.shortest_line(segs, geoms[gi]), 0)
        seg[gi] = si
        t[gi] = shapely.line_locate_point(segs, near)
        acc[gi] = shapely.distance(segs, geoms[gi])
        return seg, t, acc

    def distances(self, geoms, limit: float, reach=None, access_m: float = 500.0):
        """Walking distance of every node to the nearest element.

        Parameters
        ----------
        geoms : array of geometries
            The elements (sources).
        limit : float
            Largest distance searched (metres).
        reach : array, optional
            Per-element walking distance (≤ ``limit``); an element with a shorter reach
            starts "late", so a node counts as reached when it is within that element's
            own reach.
        access_m : float
            Largest distance from an element to the network.

        Returns
        -------
        dist : (n,) array
            Effective distance of each node (inf beyond ``limit``).
        attach : tuple
            ``(seg, t, access, start)`` of each element as in :meth:`attach` plus its
            starting offset.
        """
        geoms = np.asarray(geoms, dtype=object).reshape(-1)
        m = len(geoms)
        reach = np.full(m, float(limit)) if reach is None else np.asarray(reach, dtype=float)
        seg, t, acc = self.attach(geoms, access_m)
        ok = seg >= 0
        start = acc + (limit - reach)  # offset makes one limit serve every reach
        n = len(self.nodes)
        src = n
        s_ok = seg[ok]
        rows = np.concatenate([np.full(ok.sum(), src), np.full(ok.sum(), src)])
        cols = np.concatenate([self.ea[s_ok], self.eb[s_ok]])
        w = np.concatenate([start[ok] + t[ok], start[ok] + self.length[s_ok] - t[ok]])
        w = np.maximum(w, 1e-9)  # a zero weight would be dropped from the sparse graph
        g = coo_matrix((np.concatenate([self.length, w]),
                        (np.concatenate([self.ea, rows]), np.concatenate([self.eb, cols]))),
                       shape=(n + 1, n + 1)).tocsr()
        if ok.any():
            dist = dijkstra(g, directed=False, indices=src, limit=limit)[:n]
        else:
            dist = np.full(n, np.inf)
        return dist, (seg, t, acc, start)

    def reachable_pieces(self, dist: np.ndarray, limit: float, attach=None) -> np.ndarray:
        """Parts of the streets within ``limit`` (LineStrings)."""
        P, u, d0, length = self._rays(dist, limit, attach)
        ell = np.minimum(length, limit - d0)
        ok = ell > 0
        if not ok.any():
            return np.empty(0, dtype=object)
        return shapely.linestrings(np.stack([P[ok], P[ok] + u[ok] * ell[ok, None]], axis=1))

    def _rays(self, dist, limit, attach=None):
        """Walks along the streets: start point, direction, distance walked so far, room left.

        Each edge is walked from both of its nodes, and each element's own segment both
        ways from where the element reaches it.
        """
        if not len(self.ea):
            return np.empty((0, 2)), np.empty((0, 2)), np.empty(0), np.empty(0)
        A, B = self.nodes[self.ea], self.nodes[self.eb]
        L = self.length
        with np.errstate(invalid="ignore", divide="ignore"):
            unit = (B - A) / np.where(L > 0, L, 1.0)[:, None]
        da, db = dist[self.ea], dist[self.eb]
        fa = np.isfinite(da) & (da < limit) & (L > 0)
        fb = np.isfinite(db) & (db < limit) & (L > 0)
        P = [A[fa], B[fb]]
        U = [unit[fa], -unit[fb]]
        D0 = [da[fa], db[fb]]
        LEN = [L[fa], L[fb]]
        if attach is not None:
            seg, t, _acc, start = attach
            ok = (seg >= 0) & (start < limit)
            if ok.any():
                s, tt, st = seg[ok], t[ok], start[ok]
                at = A[s] + unit[s] * tt[:, None]
                P += [at, at]
                U += [unit[s], -unit[s]]
                D0 += [st, st]
                LEN += [L[s] - tt, tt]
        return np.concatenate(P), np.concatenate(U), np.concatenate(D0), np.concatenate(LEN)

    def catchment(self, geoms, distance, catchment_m: float = 150.0, access_m: float = 200.0,
                  points: int = 16) -> Footprint:
        """The area within walking ``distance`` of the elements.

        A point counts when it is within ``distance`` walking along the streets and then
        straight from the street to the point, the straight part being at most
        ``catchment_m`` (beyond that, blocks are not crossed on foot).  Walking on from a
        street point reached after ``d`` metres covers the disc of radius
        ``min(catchment_m, distance - d)``; along a street the discs shrink exactly as
        fast as one walks, so the covered area is a band of half-width ``catchment_m``
        along the streets up to where less than ``catchment_m`` is left (a capsule per
        street stretch), plus a disc of the distance left at nodes reached with less.
        The elements' own surroundings (walked to directly) count too.  ``distance``
        may be one value or one per element.
        """
        geoms = np.asarray(geoms, dtype=object).reshape(-1)
        reach = np.broadcast_to(np.asarray(distance, dtype=float), (len(geoms),)).copy()
        if not len(geoms) or not len(self.ea):
            return Footprint.empty()
        limit = float(reach.max())
        w = float(catchment_m)
        dist, attach = self.distances(geoms, limit, reach, access_m)
        A, B = self.nodes[self.ea], self.nodes[self.eb]
        L = self.length
        with np.errstate(invalid="ignore", divide="ignore"):
            unit = (B - A) / np.where(L > 0, L, 1.0)[:, None]
        slack_a = np.where(np.isfinite(dist[self.ea]), limit - dist[self.ea], -1.0)
        slack_b = np.where(np.isfinite(dist[self.eb]), limit - dist[self.eb], -1.0)
        ua = np.clip(slack_a - w, 0.0, L)        # band length walked from A with the full width
        ub = np.clip(slack_b - w, 0.0, L)
        whole = (ua + ub >= L) & ((ua > 0) | (ub > 0))
        ends_a = ~whole & (ua > 0)
        ends_b = ~whole & (ub > 0)
        p0 = [A[whole], A[ends_a], B[ends_b]]
        p1 = [B[whole], A[ends_a] + unit[ends_a] * ua[ends_a, None], B[ends_b] - unit[ends_b] * ub[ends_b, None]]
        # nodes reached with less than the width left: a disc of what is left
        slack = np.where(np.isfinite(dist), limit - dist, -1.0)
        near = (slack > 0) & (slack <= w)
        dc, dr = [self.nodes[near]], [slack[near]]
        seg, t, _acc, start = attach
        ok = (seg >= 0) & (start < limit)
        if ok.any():
            s_, t_, left = seg[ok], t[ok], limit - start[ok]
            lo = t_ - np.clip(left - w, 0.0, t_)
            hi = t_ + np.clip(left - w, 0.0, L[s_] - t_)
            band = hi > lo
            p0.append(A[s_][band] + unit[s_][band] * lo[band, None])
            p1.append(A[s_][band] + unit[s_][band] * hi[band, None])
            thin = ~band
            dc.append(A[s_][thin] + unit[s_][thin] * t_[thin, None])
            dr.append(np.minimum(w, left[thin]))
        # the elements' own surroundings, walked to straight
        dc.append(shapely.get_coordinates(shapely.point_on_surface(geoms)))
        dr.append(np.minimum(w, reach))
        p0, p1 = np.concatenate(p0), np.concatenate(p1)
        quad = max(2, points // 4)
        # the bands keep their true width; only their round ends are polygons
        caps = shapely.buffer(shapely.linestrings(np.stack([p0, p1], axis=1)), w, quad_segs=quad) \
            if len(p0) else np.empty(0, dtype=object)
        dc, dr = np.concatenate(dc), np.concatenate(dr)
        keep = dr > 0
        discs = circle_polygons(dc[keep], dr[keep], points=4 * quad) if keep.any() else np.empty(0, dtype=object)
        hulls = np.concatenate([caps, discs])
        fp = Footprint(hulls, min_width=w)
        off = int((attach[0] < 0).sum())
        if off:
            fp.notes.append(_("{n} element(s) farther than {distance} m from the road network cover nothing "
                              "by walking distance", n=off, distance=f"{access_m:g}"))
        fp.node_distances = dist  # for tests and callers wanting the raw distances
        return fp

    def components(self) -> int:
        if not len(self.nodes):
            return 0
        n, _ = connected_components(self.graph(), directed=False)
        return int(n)

    def summary(self) -> dict:
        return {"lines": self.line_count, "nodes": self.node_count, "edges": self.edge_count,
                "gap_joins": self.gap_edges, "components": self.components(),
                "length_km": float(self.length.sum()) / 1000.0 if len(self.length) else 0.0}

