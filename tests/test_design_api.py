"""The design's Python API: placing, batch layout, links, copy/paste, undo/redo, and
save/reopen keeping every element and attribute."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from smartgis.project import open_project
from smartgis.core import AttributeTable, Field, Project, VectorLayer
from smartgis.errors import UsageError

X0, Y0 = 500000.0, 3380000.0


def project_with_roads(geoms, crs="EPSG:4547", classes=None) -> Project:
    p = Project("道路", "EPSG:4547")
    classes = classes or ["primary"] * len(geoms)
    table = AttributeTable([Field("class", "str"), Field("rid", "int")],
                           {"class": classes, "rid": list(range(1, len(geoms) + 1))})
    p.add_layer(VectorLayer("roads", list(geoms), table, crs=crs))
    return p


def test_add_with_defaults_variant_and_attributes():
    p = Project("p", "EPSG:4547")
    uid = p.design.add("camera", (X0, Y0), azimuth=45)
    e = p.design.element(uid)
    assert e.type_id == "camera" and (e.geometry.x, e.geometry.y) == (X0, Y0)
    assert e.attributes["azimuth"] == 45.0 and e.attributes["range_m"] == 60.0
    assert e.attributes["status"] == "planned"
    ptz = p.design.element(p.design.add("camera", (X0, Y0), variant="ptz", range_m=120))
    assert ptz.attributes["mount"] == "ptz" and ptz.attributes["range_m"] == 120.0
    assert p.design.counts() == {"camera": 2}


def test_every_add_is_one_undo_step_and_redo_restores_it():
    p = Project("p", "EPSG:4547")
    a = p.design.add("air_quality", (X0, Y0))
    b = p.design.add_many("noise_monitor", [(X0 + 10, Y0), (X0 + 20, Y0)])
    assert len(p.stack) == 2 and len(p.design) == 3
    p.stack.undo()
    assert p.design.counts() == {"air_quality": 1}
    p.stack.undo()
    assert p.design.counts() == {}
    p.stack.redo()
    p.stack.redo()
    assert p.design.element(a).type_id == "air_quality"
    assert [e.uid for e in p.design.elements("noise_monitor")] == b


def test_move_update_remove_round_trip():
    p = Project("p", "EPSG:4547")
    uids = p.design.add_many("smart_pole", [(X0, Y0), (X0 + 35, Y0)], phase="一期")
    cam = p.design.add("camera", (X0, Y0 + 10))
    p.design.move(uids, 5, -2)
    assert p.design.element(uids[1]).geometry.equals(shapely.Point(X0 + 40, Y0 - 2))
    n = p.design.update(uids + [cam], status="existing", phase="二期")
    assert n == 3 and {e.attributes["phase"] for e in p.design.elements()} == {"二期"}
    p.design.remove([uids[0], cam])
    assert p.design.counts() == {"smart_pole": 1}
    for _ in range(3):
        p.stack.undo()
    els = {e.uid: e for e in p.design.elements()}
    assert els[uids[0]].geometry.equals(shapely.Point(X0, Y0))
    assert {e.attributes["phase"] for e in els.values()} == {"一期"}
    for _ in range(3):
        p.stack.redo()
    assert p.design.counts() == {"smart_pole": 1}
    assert p.design.element(uids[1]).attributes["status"] == "existing"


def test_place_along_a_straight_1000m_road_both_sides():
    road = shapely.LineString([(X0, Y0), (X0 + 1000, Y0)])
    p = project_with_roads([road])
    uids = p.design.place_along("smart_pole", "roads", spacing=35, offset=8, both_sides=True)
    # floor(1000 / 35) + 1 = 29 positions on each side, centred: 10 m margin at both ends
    assert len(uids) == 58 and len(p.stack) == 1
    pts = np.array([(e.geometry.x, e.geometry.y) for e in p.design.elements("smart_pole")])
    dist = shapely.distance(shapely.points(pts), road)
    np.testing.assert_allclose(dist, 8.0, atol=1e-9)
    for side_y in (Y0 + 8, Y0 - 8):
        row = np.sort(pts[np.abs(pts[:, 1] - side_y) < 1e-6][:, 0])
        assert len(row) == 29
        np.testing.assert_allclose(np.diff(row), 35.0, atol=1e-9)
        assert math.isclose(row[0] - X0, 10.0) and math.isclose(X0 + 1000 - row[-1], 10.0)
    p.stack.undo()
    assert p.design.counts() == {}
    p.stack.redo()
    assert len(p.design) == 58


def test_place_along_a_bent_road_keeps_the_offset_and_the_spacing_along_it():
    road = shapely.LineString([(X0, Y0), (X0 + 350, Y0), (X0 + 350, Y0 + 350)])
    p = project_with_roads([road])
    p.design.place_along("street_light", "roads", spacing=30, offset=6, both_sides=True)
    pts = np.array([e.geometry for e in p.design.elements("street_light")])
    assert len(pts) == 2 * 24  # floor(700 / 30) + 1 on each side
    np.testing.assert_allclose(shapely.distance(pts, road), 6.0, atol=1e-6)
    # consecutive lights are 30 m apart along the road, 5 m from each end
    for side in (1, -1):
        row = pts[shapely.distance(pts, shapely.offset_curve(road, 6 * side)) < 1e-6]
        ch = np.sort(shapely.line_locate_point(road, row))
        assert len(ch) == 24 and abs(ch[0] - 5) < 1e-6
        np.testing.assert_allclose(np.diff(ch), 30.0, atol=1e-6)


def test_a_light_at_the_corner_stays_clear_of_both_legs():
    road = shapely.LineString([(X0, Y0), (X0 + 350, Y0), (X0 + 350, Y0 + 350)])
    p = project_with_roads([road])
    p.design.place_along("street_light", "roads", spacing=25, offset=6, both_sides=True)
    pts = np.array([e.geometry for e in p.design.elements("street_light")])
    assert len(pts) == 2 * 29
    np.testing.assert_allclose(shapely.distance(pts, road), 6.0, atol=1e-6)
    corner = {(round(g.x - X0, 6), round(g.y - Y0, 6)) for g in pts if abs(g.x - X0 - 350) < 9 and abs(g.y - Y0) < 9}
    # inside the bend: 6 m from both legs; outside: 6 m from the corner, on the bisector
    r = 6 / math.sqrt(2)
    assert corner == {(344.0, 6.0), (round(350 + r, 6), round(-r, 6))}


def test_place_along_with_filter_orientation_and_attributes():
    roads = [shapely.LineString([(X0, Y0), (X0 + 100, Y0)]),
             shapely.LineString([(X0, Y0 + 500), (X0 + 100, Y0 + 500)])]
    p = project_with_roads(roads, classes=["primary", "residential"])
    uids = p.design.place_along("camera", "roads", spacing=50, offset=5, both_sides=True, orient="road",
                                where="class=primary", phase="二期")
    assert len(uids) == 6
    for e in p.design.elements("camera"):
        assert abs(e.geometry.y - Y0) == 5  # only the primary road
        assert e.attributes["phase"] == "二期"
        # facing the road: the left row (north of an eastward road) looks south, the right row north
        assert e.attributes["azimuth"] == (180.0 if e.geometry.y > Y0 else 0.0)
    with pytest.raises(UsageError, match="no direction"):
        p.design.place_along("smart_pole", "roads", orient="road")
    with pytest.raises(UsageError, match="places point elements"):
        p.design.place_along("fibre_access", "roads")


def test_place_along_reprojects_a_layer_in_another_crs():
    # a road given in lon/lat: the spacing is still in metres of the project CRS
    from smartgis.crs import transform_geometries
    road_m = shapely.LineString([(X0, Y0), (X0 + 700, Y0)])
    road_ll = transform_geometries(np.array([road_m]), "EPSG:4547", "EPSG:4490")[0]
    p = project_with_roads([road_ll], crs="EPSG:4490")
    uids = p.design.place_along("smart_pole", "roads", spacing=35)
    assert len(uids) == 21
    x = np.sort([e.geometry.x for e in p.design.elements("smart_pole")])
    np.testing.assert_allclose(np.diff(x), 35.0, atol=0.01)


def test_place_grid_counts_and_stays_inside():
    area = shapely.box(X0, Y0, X0 + 2000, Y0 + 1000)
    p = Project("p", "EPSG:4547")
    sq = p.design.place_grid("air_quality", area, spacing=400)
    assert len(sq) == 15  # 5 × 3, centred, none on the boundary
    pts = np.array([e.geometry for e in p.design.elements("air_quality")])
    assert shapely.contains(area, pts).all()
    p.stack.undo()
    hexa = p.design.place_grid("iot_gateway", area, spacing=400, pattern="hex", margin=100)
    pts = np.array([e.geometry for e in p.design.elements("iot_gateway")])
    assert len(hexa) == len(pts) > 0
    assert (shapely.distance(pts, area.exterior) >= 100 - 1e-9).all()
    # neighbours of a hexagonal lattice are all one spacing apart
    tree = shapely.STRtree(pts)
    _, d = tree.query_nearest(pts, exclusive=True, return_distance=True)
    np.testing.assert_allclose(d, 400.0, atol=1e-6)


def test_place_at_intersections_of_a_street_grid():
    # 3 east-west and 4 north-south streets crossing: 12 crossings; ends are not intersections
    ew = [shapely.LineString([(X0, Y0 + k * 100), (X0 + 400, Y0 + k * 100)]) for k in range(1, 4)]
    ns = [shapely.LineString([(X0 + k * 80, Y0), (X0 + k * 80, Y0 + 400)]) for k in range(1, 5)]
    # and a side street ending on the first avenue (a T-junction), in two stretches
    side = [shapely.LineString([(X0 + 40, Y0 + 100), (X0 + 40, Y0 + 50)]),
            shapely.LineString([(X0 + 40, Y0 + 50), (X0 + 40, Y0)])]
    p = project_with_roads(ew + ns + side)
    uids = p.design.place_at_intersections("camera:ptz", "roads")
    assert len(uids) == 13
    got = {(round(e.geometry.x - X0), round(e.geometry.y - Y0)) for e in p.design.elements("camera")}
    assert (40, 100) in got and (40, 50) not in got  # a joint of two stretches is not a junction
    assert {(k * 80, j * 100) for k in range(1, 5) for j in range(1, 4)} <= got


def test_connect_nearest_creates_links_within_range():
    p = Project("p", "EPSG:4547")
    gw = p.design.add_many("iot_gateway", [(X0, Y0), (X0 + 3000, Y0)])
    s = p.design.add_many("air_quality", [(X0 + 300, Y0 + 400), (X0 + 2900, Y0), (X0 + 10000, Y0)])
    n = p.design.add("noise_monitor", (X0 - 600, Y0 - 800))
    links = p.design.connect_nearest(["air_quality", "noise_monitor"], "iot_gateway", max_distance=2000,
                                     medium="wireless")
    assert len(links) == 3 and len(p.stack) == 4
    got = {e.attributes["from_uid"]: e for e in p.design.elements("link")}
    assert set(got) == {s[0], s[1], n}
    assert got[s[0]].attributes["to_uid"] == gw[0] and got[s[0]].attributes["length_m"] == 500.0
    assert got[s[1]].attributes["to_uid"] == gw[1] and got[s[1]].attributes["length_m"] == 100.0
    assert got[n].attributes["length_m"] == 1000.0
    assert got[s[0]].geometry.equals(shapely.LineString([(X0 + 300, Y0 + 400), (X0, Y0)]))
    # running again links only what is not linked yet
    p.design.add("air_quality", (X0 + 100, Y0))
    assert len(p.design.connect_nearest("air_quality", "iot_gateway", max_distance=2000)) == 1
    p.stack.undo()
    p.stack.undo()
    assert p.design.counts()["link"] == 3
    p.stack.undo()
    assert "link" not in p.design.counts()


def test_copy_paste_duplicates_with_attributes():
    p = Project("p", "EPSG:4547")
    a = p.design.add("camera:ptz", (X0, Y0), name="北门", azimuth=30)
    b = p.design.add("fibre_access", [(X0, Y0), (X0 + 100, Y0 + 50)], cores=48)
    payload = p.design.copy([a, b])
    import json
    payload = json.loads(json.dumps(payload))  # what goes through the clipboard
    new = p.design.paste(payload, dx=20, dy=10)
    assert len(new) == 2 and len(p.stack) == 3
    ca, cb = p.design.element(new[0]), p.design.element(new[1])
    assert ca.attributes["name"] == "北门" and ca.attributes["mount"] == "ptz"
    assert (ca.geometry.x, ca.geometry.y) == (X0 + 20, Y0 + 10)
    assert cb.attributes["cores"] == 48 and cb.geometry.coords[1] == (X0 + 120, Y0 + 60)
    p.stack.undo()
    assert len(p.design) == 2


def test_coverage_shapes_follow_the_attributes():
    p = Project("p", "EPSG:4547")
    cam = p.design.add("camera", (X0, Y0), azimuth=90, fov_deg=60, range_m=100)
    sec = p.design.coverage(cam)
    assert math.isclose(sec.area, math.pi * 100 ** 2 * 60 / 360, rel_tol=0.01)
    assert sec.centroid.x > X0 + 50 and abs(sec.centroid.y - Y0) < 1  # pointing east
    ptz = p.design.coverage(p.design.add("camera:ptz", (X0, Y0)))
    assert math.isclose(ptz.area, math.pi * 100 ** 2, rel_tol=0.01)
    gw = p.design.coverage(p.design.add("iot_gateway", (X0, Y0), radius_m=500))
    assert math.isclose(gw.area, math.pi * 500 ** 2, rel_tol=0.01)
    assert p.design.coverage(p.design.add("data_centre", (X0, Y0))) is None


def test_bad_geometries_are_refused_with_a_clear_message():
    p = Project("p", "EPSG:4547")
    with pytest.raises(UsageError, match="camera elements are Points"):
        p.design.add("camera", shapely.LineString([(0, 0), (1, 1)]))
    with pytest.raises(UsageError, match="not a point"):
        p.design.add("camera", "here")
    with pytest.raises(UsageError, match="spacing must be a positive"):
        p.design.place_along("smart_pole", [shapely.LineString([(0, 0), (1, 0)])], spacing=0)
    with pytest.raises(UsageError, match="both sides needs an offset"):
        p.design.place_along("smart_pole", [shapely.LineString([(0, 0), (1, 0)])], both_sides=True)
    assert len(p.stack) == 0


def test_save_and_reopen_keeps_every_element_and_attribute(tmp_path, validate_gpkg):
    road = shapely.LineString([(X0, Y0), (X0 + 500, Y0), (X0 + 500, Y0 + 300)])
    p = project_with_roads([road])
    p.design.place_along("smart_pole:branch", "roads", spacing=30, offset=6, both_sides=True, owner="城投公司")
    p.design.add("camera:ptz", (X0 + 500, Y0), name="路口球机", networked=False)
    p.design.add("fire_station:class2", (X0 + 200, Y0 + 200), cost=1250.5)
    p.design.add("emergency_shelter:medium_term",
                 shapely.Polygon([(X0, Y0 + 50), (X0 + 100, Y0 + 50), (X0 + 100, Y0 + 150), (X0, Y0 + 150)]))
    p.design.add("utility_tunnel", [(X0, Y0 - 20), (X0 + 500, Y0 - 20)], compartments=4)
    p.design.add_many("iot_gateway", [(X0 + 250, Y0 + 100)])
    p.design.connect_nearest("smart_pole", "iot_gateway", max_distance=1000)
    before = {e.uid: e for e in p.design.elements()}
    path = p.save(tmp_path / "设计.gpkg")
    validate_gpkg(path)
    q = open_project(path)
    after = {e.uid: e for e in q.design.elements()}
    assert set(after) == set(before)
    for uid, e in before.items():
        f = after[uid]
        assert f.type_id == e.type_id
        assert f.geometry.equals_exact(e.geometry, 1e-9), uid
        assert f.attributes == e.attributes, uid
    assert q.design.counts() == p.design.counts()
    assert not q.is_modified
    # edits after reopening are undoable and save again
    q.design.remove([next(iter(after))])
    q.stack.undo()
    q.design.add("bus_stop", (X0 + 10, Y0 + 10))
    q.save()
    assert open_project(path).design.counts()["bus_stop"] == 1


def test_undoing_the_first_elements_of_a_type_leaves_no_empty_layer(tmp_path):
    p = Project("p", "EPSG:4547")
    p.design.add("camera", (X0, Y0))
    p.design.place_along("smart_pole", [shapely.LineString([(X0, Y0), (X0 + 100, Y0)])], spacing=35)
    names = {lyr.name for lyr in p.layers.values()}
    assert names == {"视频监控摄像机", "智慧灯杆"}
    p.stack.undo()
    assert {lyr.name for lyr in p.layers.values()} == {"视频监控摄像机"} and "smart_pole" not in p.design.layers
    path = p.save(tmp_path / "half.gpkg")
    q = open_project(path)
    assert [lyr.name for lyr in q.layers.values()] == ["视频监控摄像机"]
    p.stack.redo()
    assert p.design.counts() == {"camera": 1, "smart_pole": 3}
    assert p.tree.has_layer(p.design.layers["smart_pole"].id)


def test_undoing_back_to_the_saved_state_leaves_the_project_unmodified(tmp_path):
    p = Project("p", "EPSG:4547")
    p.design.add("camera", (X0, Y0))
    p.save(tmp_path / "saved.gpkg")
    seen = []

    def record(modified):
        seen.append(modified)
    p.modified_changed.connect(record)
    uid = p.design.add("camera", (X0 + 50, Y0))              # a type the file has
    p.design.add("iot_gateway", (X0, Y0 + 50))                # a type new to the file
    p.design.update([uid], name="东门")
    assert p.is_modified
    for _ in range(3):
        p.stack.undo()
    assert not p.is_modified and seen[-1] is False            # back at the saved state
    p.stack.redo()
    assert p.is_modified and seen[-1] is True
    p.stack.undo()
    assert not p.is_modified
    # a change outside the history counts until the next save, undo or not
    roads = VectorLayer("道路", [shapely.LineString([(X0, Y0), (X0 + 100, Y0)])])
    p.add_layer(roads)
    p.save()
    roads.set_data([shapely.LineString([(X0, Y0), (X0 + 200, Y0)])])
    assert p.is_modified
    p.design.add("camera", (X0 + 90, Y0))
    p.stack.undo()
    assert p.is_modified
    p.save()
    assert not p.is_modified
