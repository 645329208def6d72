"""Snapping to vertices and edges of layers (smartgis.geometry.snapping)."""

from __future__ import annotations

import shapely

from smartgis.project import open_project
from smartgis.geometry.snapping import Snapper
from smartgis.core import Project, VectorLayer


def layer(name, geoms):
    return VectorLayer(name, geoms, crs="EPSG:4547")


def test_snaps_exactly_onto_a_vertex():
    v = (521600.123456789, 3382000.987654321)
    lyr = layer("b", [shapely.Polygon([v, (v[0] + 20, v[1]), (v[0] + 20, v[1] + 10), (v[0], v[1] + 10)])])
    r = Snapper([lyr]).snap(v[0] + 0.7, v[1] - 0.4, tolerance=1.0)
    assert r.kind == "vertex" and (r.x, r.y) == v and r.source == lyr.id and r.index == 0


def test_vertex_wins_over_a_nearer_edge_and_edges_of_polygons():
    lyr = layer("b", [shapely.box(0, 0, 100, 100)])
    s = Snapper([lyr])
    r = s.snap(2.0, 0.5, tolerance=3)
    assert r.kind == "vertex" and (r.x, r.y) == (0.0, 0.0)
    r = s.snap(50, 1.5, tolerance=3)  # a point inside the polygon snaps to its boundary
    assert r.kind == "edge" and (r.x, r.y) == (50.0, 0.0)
    assert s.snap(50, 50, tolerance=3) is None
    assert Snapper([lyr], vertices=False).snap(2.0, 0.5, 3).kind == "edge"


def test_nearest_of_several_layers_and_exclusion():
    a = layer("a", [shapely.Point(0, 0), shapely.Point(5, 0)])
    b = layer("b", [shapely.LineString([(0, 2), (10, 2)])])
    s = Snapper([a, b])
    r = s.snap(4.0, 0.5, tolerance=3)
    assert (r.source, r.index, r.x) == (a.id, 1, 5.0)
    r = s.snap(4.0, 0.5, tolerance=4.1, exclude=[(a.id, 1)])
    assert (r.source, r.index, r.x, r.y) == (a.id, 0, 0.0, 0.0)
    r = s.snap(4.0, 1.5, tolerance=1, exclude=[(a.id, 0), (a.id, 1)])
    assert (r.kind, r.source, r.x, r.y) == ("edge", b.id, 4.0, 2.0)
    assert s.snap(4.0, 0.5, tolerance=3, sources=[b.id]).source == b.id


def test_index_follows_layer_edits():
    p = Project("p", "EPSG:4547")
    uid = p.design.add("camera", (10, 10))
    lyr = p.design.layers["camera"]
    s = Snapper([lyr])
    assert s.snap(10.5, 10, 1).kind == "vertex"
    p.design.move([uid], 100, 0)
    assert s.snap(10.5, 10, 1) is None
    assert (s.snap(110.2, 10, 1).x, s.snap(110.2, 10, 1).y) == (110.0, 10.0)
    p.stack.undo()
    assert s.snap(10.5, 10, 1).x == 10.0


def test_extra_sources_and_lazy_project_layers(tmp_path, shared_data):
    # the real Prague streets, opened lazily from the GeoPackage
    src = shared_data / "prague-urban" / "bubenec.gpkg"
    p = open_project(src)
    streets = p.layer("streets")
    first = shapely.get_coordinates(streets.geometries[0])[1]
    s = Snapper([streets])
    r = s.snap(first[0] + 0.3, first[1] - 0.2, tolerance=1.0)
    assert r.kind == "vertex" and (r.x, r.y) == (first[0], first[1])
    s.add_source("sketch", [shapely.MultiPoint([(0, 0), (3, 3)])])
    assert s.snap(2.5, 2.9, 1).source == "sketch"
    s.remove_source("sketch")
    assert s.snap(2.5, 2.9, 1) is None


def test_pick_prefers_points_over_the_polygon_they_stand_in_and_box_select():
    park = layer("park", [shapely.box(0, 0, 100, 100)])
    cams = layer("cams", [shapely.Point(50, 50), shapely.Point(90, 90)])
    s = Snapper([park, cams])
    assert s.pick(50.5, 50, tolerance=2) == (cams.id, 0, 0.5)
    assert s.pick(20, 20, tolerance=2) == (park.id, 0, 0.0)
    assert s.pick(200, 200, tolerance=2) is None
    hits = s.within((40, 40, 95, 95))
    assert hits[cams.id].tolist() == [0, 1] and hits[park.id].tolist() == [0]
    assert s.within((40, 40, 95, 95), sources=[cams.id]).keys() == {cams.id}
