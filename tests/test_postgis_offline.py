"""Offline work on a team project: checkout → edit offline → checkin gives the same design as
editing online; conflicts are listed and nothing is written; pull brings colleagues' edits."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import psycopg
import pytest
import shapely

from tests.conftest import run_cli
from tests.pg_cluster import pg  # noqa: F401 - the session's cluster fixture

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_projects" / "longquan_lake.gpkg"


def publish(pg, schema):  # noqa: F811
    url = pg.url(schema)
    r = run_cli("publish", SAMPLE, url, "--force")
    assert r.returncode == 0, r.stderr
    return url


def open_url(url):
    from smartgis.cli.common import open_project
    return open_project(url, read_only=False)


def design_state(project) -> dict:
    """type → {uid: (wkb, attributes)}: the design, whatever the row order or fids."""
    out = {}
    for tid, lyr in sorted(project.design.layers.items()):
        names = [f.name for f in lyr.fields]
        rows = {}
        for i, uid in enumerate(lyr.uids()):
            attrs = tuple(None if (isinstance(v, float) and v != v) else v
                          for v in (lyr.table.column(n)[i] for n in names))
            rows[uid] = (shapely.to_wkb(lyr.geometries[i]), attrs)
        out[tid] = rows
    return out


def _edit(project, new_point):
    """The same edits, online or offline: move one camera, delete another, set an attribute, add one."""
    cams = project.design.layers["camera"]
    uids = cams.uids()
    project.design.move([uids[0]], 12.5, -4.0)
    project.design.remove([uids[1]])
    field = next(f.name for f in cams.fields if f.type == "str" and f.name != "uid")
    project.design.update([uids[2]], **{field: "离线修改"})
    return project.design.add("camera", new_point)


def test_checkout_edit_offline_checkin_equals_editing_online(pg, tmp_path):  # noqa: F811
    online, offline = publish(pg, "edit_online"), publish(pg, "edit_offline")
    p = open_url(online)
    new_online = _edit(p, (543210.0, 3370123.0))
    p.save()

    local = tmp_path / "site.gpkg"
    r = run_cli("checkout", offline, "-o", local, "--json")
    assert r.returncode == 0, r.stderr
    from smartgis.project import open_project
    q = open_project(local)
    assert q.settings["team"]["url"] == offline
    new_offline = _edit(q, (543210.0, 3370123.0))
    q.save()
    r = run_cli("checkin", local, "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert (out["inserted"], out["updated"], out["deleted"]) == (1, 2, 1)

    a, b = design_state(open_url(online)), design_state(open_url(offline))
    # the new cameras have their own uids: compare them apart
    a_new, b_new = a["camera"].pop(new_online), b["camera"].pop(new_offline)
    names = [f.name for f in open_url(online).design.layers["camera"].fields]
    without_uid = [i for i, n in enumerate(names) if n != "uid"]
    assert a_new[0] == b_new[0] and [a_new[1][i] for i in without_uid] == [b_new[1][i] for i in without_uid]
    assert a == b
    # a second checkin has nothing left to write
    again = json.loads(run_cli("checkin", local, "--json").stdout)
    assert (again["inserted"], again["updated"], again["deleted"]) == (0, 0, 0)


def test_checkin_is_all_or_nothing_and_lists_conflicts(pg, tmp_path):  # noqa: F811
    url = publish(pg, "offline_conflict")
    local = tmp_path / "laptop.gpkg"
    assert run_cli("checkout", url, "-o", local).returncode == 0
    from smartgis.project import open_project
    q = open_project(local)
    uids = q.design.layers["camera"].uids()
    q.design.move([uids[0]], 5, 5)
    q.design.move([uids[1]], 5, 5)
    q.design.add("camera", (543300.0, 3370300.0))
    q.save()
    # meanwhile a colleague moves camera 0 online
    p = open_url(url)
    p.design.move([uids[0]], -9, 0)
    p.save()
    with psycopg.connect(host="127.0.0.1", port=pg.port, dbname=pg.dbname, user=pg.superuser) as conn:
        before = conn.execute("SELECT uid, smartgis_version, ST_AsText(geom) FROM offline_conflict.design_camera "
                              "ORDER BY uid").fetchall()
    file_before = local.read_bytes()
    r = run_cli("checkin", local)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert uids[0][:12] in r.stderr and uids[1][:12] not in r.stderr and "nothing was saved" in r.stderr
    with psycopg.connect(host="127.0.0.1", port=pg.port, dbname=pg.dbname, user=pg.superuser) as conn:
        after = conn.execute("SELECT uid, smartgis_version, ST_AsText(geom) FROM offline_conflict.design_camera "
                             "ORDER BY uid").fetchall()
    assert after == before
    assert local.read_bytes() == file_before
    # pull: the colleague's other edits come in, ours stay, the conflict is listed
    p.design.move([uids[3]], 0, 30)
    p.save()
    r = run_cli("pull", local, "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert [c["key"] for c in out["conflicts"]] == [uids[0]]
    q2 = open_project(local)
    cams = q2.design.layers["camera"]
    g = dict(zip(cams.uids(), cams.geometries))
    server = dict(zip(open_url(url).design.layers["camera"].uids(), open_url(url).design.layers["camera"].geometries))
    assert g[uids[3]].equals(server[uids[3]])            # the colleague's edit came in
    assert not g[uids[1]].equals(server[uids[1]])        # ours stayed
    assert len(cams.uids()) == len(server) + 1           # with our new camera
    # overwrite settles it: the offline version wins
    r = run_cli("checkin", local, "--overwrite", "--json")
    assert r.returncode == 0, r.stderr
    final = dict(zip(open_url(url).design.layers["camera"].uids(), open_url(url).design.layers["camera"].geometries))
    assert final[uids[0]].equals(g[uids[0]]) and len(final) == len(server) + 1


def test_checkout_of_some_layers_within_an_area(pg, tmp_path):  # noqa: F811
    url = publish(pg, "partial")
    local = tmp_path / "part.gpkg"
    r = run_cli("checkout", url, "-o", local, "--layers", "视频监控摄像机,建筑", "--within", "重点公共区域", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    full = open_url(url)
    area = shapely.union_all(full.layer("重点公共区域").geometries)
    inside = int(shapely.intersects(area, full.layer("建筑").geometries).sum())
    assert out["layers"]["建筑"] == inside < full.layer("建筑").feature_count
    from smartgis.project import open_project
    q = open_project(local)
    assert {lyr.name for lyr in q.layers.values()} == {"视频监控摄像机", "建筑", "重点公共区域"}
    # deleting nothing offline deletes nothing on the server: the rows not taken are not "missing"
    r = run_cli("checkin", local, "--json")
    assert json.loads(r.stdout)["deleted"] == 0
    assert open_url(url).layer("建筑").feature_count == full.layer("建筑").feature_count
    assert np.array_equal(open_url(url).layer("建筑").fids, full.layer("建筑").fids)


def test_checkin_of_a_file_that_is_no_checkout_is_one_line(tmp_path):
    import shutil
    local = tmp_path / "plain.gpkg"
    shutil.copy(SAMPLE, local)
    r = run_cli("checkin", local)
    assert r.returncode == 2 and "not a checkout" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_review_comments_made_offline_are_checked_in(pg, tmp_path):  # noqa: F811
    url = publish(pg, "offline_review")
    local = tmp_path / "reviewer.gpkg"
    assert run_cli("checkout", url, "-o", local).returncode == 0
    r = run_cli("review", local, "--add-comment", "北门缺少摄像机", "--author", "王审查", "--at", "543000,3370000")
    assert r.returncode == 0, r.stderr
    r = run_cli("checkin", local, "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["review_records"] == 1
    listing = json.loads(run_cli("review", url, "--json").stdout)
    assert [c["text"] for c in listing["comments"]] == ["北门缺少摄像机"]
    again = json.loads(run_cli("checkin", local, "--json").stdout)
    assert again["review_records"] == 0
