"""Walking distance along the road network: by hand, and against networkx on real streets."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
import shapely

from smartgis.analysis.network import RoadNetwork


def _node(net, x, y):
    d = np.hypot(net.nodes[:, 0] - x, net.nodes[:, 1] - y)
    i = int(np.argmin(d))
    assert d[i] < 1e-6, f"no node at {x}, {y}"
    return i


def test_a_three_node_walk_by_hand():
    # A(0,0) —100 m— B(100,0) —80 m— C(100,80)
    net = RoadNetwork([shapely.LineString([(0, 0), (100, 0)]), shapely.LineString([(100, 0), (100, 80)])],
                      gap_m=0)
    a, b, c = _node(net, 0, 0), _node(net, 100, 0), _node(net, 100, 80)
    dist, _ = net.distances([shapely.Point(0, 0)], limit=500.0)
    assert dist[[a, b, c]] == pytest.approx([0, 100, 180], abs=1e-6)
    # from a facility 20 m off the first street, reached at (50, 0)
    dist, (seg, t, acc, _) = net.distances([shapely.Point(50, 20)], limit=500.0)
    assert acc[0] == pytest.approx(20) and t[0] == pytest.approx(50)
    assert dist[[a, b, c]] == pytest.approx([70, 70, 150])
    # 150 m from A: all of AB and 50 m of BC are reachable
    pieces = net.reachable_pieces(*net.distances([shapely.Point(0, 0)], limit=150.0)[:1], limit=150.0)
    assert shapely.length(shapely.union_all(pieces)) == pytest.approx(150.0)
    # walking 150 m and at most 10 m off the street: a 20 m band along the street up to
    # 140 m, with round ends — rectangles 100×20 and 40×20 overlapping 10×10 at B, two
    # half-disc ends and a quarter disc outside the corner
    fp = net.catchment([shapely.Point(0, 0)], 150.0, catchment_m=10.0)
    assert fp.area() == pytest.approx(2000 + 800 - 100 + 125 * math.pi, rel=2e-3)
    # a point 8 m beside the street 100 m away is reached (108 m), one 12 m beside is not
    assert fp.contains_xy(np.array([50.0, 50.0]), np.array([8.0, 12.0])).tolist() == [True, False]


def test_streets_crossing_without_a_shared_vertex_are_joined_and_gaps_closed():
    cross = [shapely.LineString([(0, 50), (100, 50)]), shapely.LineString([(50, 0), (50, 100)])]
    net = RoadNetwork(cross, gap_m=0)
    dist, _ = net.distances([shapely.Point(0, 50)], limit=1000)
    assert dist[_node(net, 50, 100)] == pytest.approx(100.0)
    gap = [shapely.LineString([(0, 0), (100, 0)]), shapely.LineString([(105, 0), (200, 0)])]
    assert RoadNetwork(gap, gap_m=2).components() == 2
    joined = RoadNetwork(gap, gap_m=10)
    assert joined.components() == 1 and joined.gap_edges == 1
    d, _ = joined.distances([shapely.Point(0, 0)], limit=1000)
    assert d[_node(joined, 200, 0)] == pytest.approx(200.0)


def test_per_element_distances():
    line = [shapely.LineString([(0, 0), (1000, 0)])]
    net = RoadNetwork(line, gap_m=0)
    fp = net.catchment([shapely.Point(0, 0), shapely.Point(1000, 0)], [100.0, 300.0], catchment_m=5.0)
    # 100 m from the west end, 300 m from the east end: bands 10 m wide up to 95 and 295 m,
    # round ends (the element's own disc at each end of the street)
    assert fp.area() == pytest.approx(95 * 10 + 295 * 10 + 2 * math.pi * 25, rel=2e-3)


def test_walking_distances_agree_with_networkx_on_the_prague_streets(shared_data):
    from check_helpers import PRAGUE_CRS, read_layer

    from smartgis.crs import transform_geometries
    streets = read_layer(shared_data / "prague-urban" / "bubenec.gpkg", "streets")
    lines = transform_geometries(streets.geometries, streets.crs, PRAGUE_CRS)
    net = RoadNetwork(lines, snap_m=0, gap_m=0)

    # networkx on its own graph: GEOS noding, one edge per pair of consecutive vertices
    g = nx.Graph()
    for part in shapely.get_parts(shapely.union_all(lines)):
        c = np.round(np.asarray(part.coords), 3)
        for p, q in zip(map(tuple, c[:-1]), map(tuple, c[1:])):
            g.add_edge(p, q, weight=float(np.hypot(q[0] - p[0], q[1] - p[1])))
    assert g.number_of_nodes() == net.node_count
    sources = sorted(g.nodes)[::40][:5]
    want = nx.multi_source_dijkstra_path_length(g, sources, cutoff=600.0, weight="weight")
    got, _ = net.distances([shapely.Point(s) for s in sources], limit=600.0)
    lookup = {tuple(np.round(xy, 3)): i for i, xy in enumerate(net.nodes)}
    assert len(want) > 20
    for node, d in want.items():
        assert got[lookup[node]] == pytest.approx(d, abs=5e-3)  # nodes keyed to the millimetre
    reached = np.isfinite(got).sum()
    assert reached == len(want)
