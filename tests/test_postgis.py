"""Team projects on PostGIS: publish, open by URL, row versions and conflicts, roles.

A throwaway PostgreSQL/PostGIS cluster is started for the session (``tests/pg_cluster.py``);
the tests are skipped, with the reason, where the server packages are missing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from tests.conftest import run_cli
from tests.pg_cluster import PASSWORD, PASSWORD_USER, pg  # noqa: F401 - the session's cluster fixture

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_projects" / "longquan_lake.gpkg"


def _info(target) -> dict:
    r = run_cli("info", target, "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def _without_raster_refs(info: dict) -> dict:
    # rasters stay files beside the server: their reference is to the file, not to a project folder
    out = dict(info)
    out["external_references"] = [{k: v for k, v in r.items() if k != "reference"}
                                  for r in info["external_references"]]
    return out


@pytest.fixture(scope="module")
def published(pg):  # noqa: F811
    """The sample published once into schema ``sample`` (tests that change it use their own schema)."""
    url = pg.url("sample")
    r = run_cli("publish", SAMPLE, url, "--json")
    assert r.returncode == 0, r.stderr
    return url, json.loads(r.stdout)


def publish_copy(pg, schema: str, *extra) -> str:  # noqa: F811
    url = pg.url(schema)
    r = run_cli("publish", SAMPLE, url, "--force", *extra)
    assert r.returncode == 0, r.stderr
    return url


def sql(pg, url_schema: str, query: str, params=(), user=None):  # noqa: F811
    with psycopg.connect(host="127.0.0.1", port=pg.port, dbname=pg.dbname, user=user or pg.superuser,
                         autocommit=True) as conn:
        return conn.execute(query, params).fetchall()


# == URLs ===================================================================================
def test_project_urls_parse_and_never_carry_a_password():
    from smartgis.errors import UsageError
    from smartgis.postgis.url import parse_url, redact
    u = parse_url("postgresql://wang@db.example.cn:6543/city?schema=lq_2026")
    assert (u.user, u.host, u.port, u.dbname, u.schema) == ("wang", "db.example.cn", 6543, "city", "lq_2026")
    assert str(u) == "postgresql://wang@db.example.cn:6543/city?schema=lq_2026"
    sock = parse_url("postgresql://wang@%2Ftmp%2Fpg/city?schema=a")
    assert sock.host == "/tmp/pg" and sock.port is None
    with pytest.raises(UsageError) as e:
        parse_url("postgresql://wang:hunter2@db/city?schema=a")
    assert "hunter2" not in str(e.value) and "PGPASSWORD" in str(e.value)
    assert redact("postgresql://wang:hunter2@db/city") == "postgresql://wang:***@db/city"
    with pytest.raises(UsageError):
        parse_url("postgresql://wang@db/?schema=a")
    with pytest.raises(UsageError):
        parse_url("postgresql://wang@db/city?schema=a&sslmode=disable&x=1")


# == publish and open =======================================================================
def test_published_sample_gives_the_same_info_as_the_file(published):
    url, out = published
    assert out["features"] > 5000 and out["styles"] is True
    assert _without_raster_refs(_info(url)) == _without_raster_refs(_info(SAMPLE))


def test_published_tables_have_crs_gist_index_and_qgis_styles(pg, published):  # noqa: F811
    url, _ = published
    srids = dict(sql(pg, url, "SELECT f_table_name, srid FROM geometry_columns WHERE f_table_schema = 'sample'"))
    assert srids["buildings"] == 4547 and srids["design_camera"] == 4547
    gist = {r[0] for r in sql(pg, url, "SELECT tablename FROM pg_indexes WHERE schemaname = 'sample' "
                                       "AND indexdef ILIKE %s", ("%USING gist%",))}
    assert {"buildings", "roads", "design_camera", "study_area"} <= gist
    styles = dict(sql(pg, url, "SELECT f_table_name, styleqml::text FROM public.layer_styles "
                               "WHERE f_table_schema = 'sample' AND useasdefault"))
    assert "<qgis" in styles["design_camera"] and "buildings" in styles
    tables = {r[0] for r in sql(pg, url, "SELECT tablename FROM pg_tables WHERE schemaname = 'sample'")}
    assert {"smartgis_project", "smartgis_layers", "smartgis_layer_tree", "smartgis_catalog",
            "smartgis_check_runs", "smartgis_review_comments"} <= tables


def test_publish_refuses_an_existing_schema_without_force(pg, published):  # noqa: F811
    url, _ = published
    r = run_cli("publish", SAMPLE, url)
    assert r.returncode == 2
    assert "exists already" in r.stderr and "--force" in r.stderr and "Traceback" not in r.stderr


def test_layers_read_from_the_server_equal_the_file(published):
    import numpy as np
    import shapely

    from smartgis.cli.common import open_project
    from smartgis.project import open_project as open_file
    url, _ = published
    a, b = open_file(SAMPLE, read_only=True), open_project(url)
    for name in ("建筑", "道路", "视频监控摄像机", "用地规划"):
        la, lb = a.layer(name), b.layer(name)
        assert np.array_equal(la.fids, lb.fids)
        assert shapely.equals_exact(la.geometries, lb.geometries, 0).all()
        assert [f.name for f in la.fields] == [f.name for f in lb.fields]
        for f in la.fields:
            assert la.table.column(f.name).tolist() == lb.table.column(f.name).tolist(), (name, f.name)
    assert a.extra_tables.keys() == b.extra_tables.keys()
    for name, rows in a.extra_tables.items():
        assert rows == b.extra_tables[name], name


def test_qgis_opens_a_published_layer_with_its_style(pg, published):  # noqa: F811
    probe = subprocess.run(["/usr/bin/python3", "-c", "import qgis.core"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("QGIS Python bindings not installed (Debian: qgis python3-qgis)")
    script = f"""
import json, os
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from qgis.core import QgsApplication, QgsVectorLayer, QgsDataSourceUri
app = QgsApplication([], False); app.setPrefixPath("/usr", True); app.initQgis()
out = {{}}
for t in ("design_camera", "buildings"):
    uri = QgsDataSourceUri()
    uri.setConnection("127.0.0.1", "{pg.port}", "{pg.dbname}", "{pg.superuser}", "")
    uri.setDataSource("sample", t, "geom", "", "fid")
    lyr = QgsVectorLayer(uri.uri(False), t, "postgres")
    msg, ok = lyr.loadDefaultStyle()
    r = lyr.renderer()
    sym = r.symbol() if hasattr(r, "symbol") else None
    out[t] = {{"valid": lyr.isValid(), "count": lyr.featureCount(), "crs": lyr.crs().authid(), "style": ok,
              "colour": sym.color().name() if sym else None}}
app.exitQgis()
print(json.dumps(out))
"""
    r = subprocess.run(["/usr/bin/python3", "-c", script], capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout.strip().splitlines()[-1])
    from smartgis.cli.common import open_project
    p = open_project(published[0])
    cam = p.layer("视频监控摄像机")
    assert got["design_camera"] == {"valid": True, "count": cam.feature_count, "crs": "EPSG:4547", "style": True,
                                    "colour": cam.style.symbol.fill if hasattr(cam.style, "symbol") and
                                    cam.style.symbol.fill else got["design_camera"]["colour"]}
    assert got["design_camera"]["colour"] == "#d62728"   # the catalog's camera colour, not QGIS's random one
    assert got["buildings"]["valid"] and got["buildings"]["count"] == p.layer("建筑").feature_count


# == bad input ==============================================================================
def _one_clean_line(r, *words):
    assert r.returncode == 2, (r.stdout, r.stderr)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    for w in words:
        assert w in lines[0], lines[0]
    return lines[0]


def test_bad_servers_and_schemas_give_one_line_naming_the_url(pg, published):  # noqa: F811
    closed = f"postgresql://{pg.superuser}@127.0.0.1:1/{pg.dbname}?schema=sample"
    _one_clean_line(run_cli("info", closed), closed, "cannot reach the server")
    _one_clean_line(run_cli("info", pg.url("no_such_schema")), pg.url("no_such_schema"), "does not exist")
    _one_clean_line(run_cli("info", pg.url("sample", db="nodb")), "'nodb' does not exist")
    pg.psql("CREATE DATABASE plain", db="postgres")
    plain = pg.url("x", db="plain")
    _one_clean_line(run_cli("info", plain), plain, "no PostGIS extension")
    _one_clean_line(run_cli("publish", SAMPLE, plain), "no PostGIS extension")
    line = _one_clean_line(run_cli("info", "postgresql://me:topsecret@127.0.0.1/city?schema=a"), "PGPASSWORD")
    assert "topsecret" not in line


def test_wrong_or_missing_password_is_one_line_and_no_password_is_ever_shown(pg, published, tmp_path):  # noqa: F811
    url = pg.url("sample", user=PASSWORD_USER)
    home = {"HOME": str(tmp_path), "PGPASSFILE": str(tmp_path / "none")}
    line = _one_clean_line(run_cli("info", url, env={**home, "PGPASSWORD": "wrong-guess"}), url, "wrong password")
    assert "wrong-guess" not in line
    _one_clean_line(run_cli("info", url, env=home), "password")
    # the right one, from PGPASSWORD and from ~/.pgpass: nowhere in what SmartGIS prints or stores
    pg.psql(f"GRANT USAGE ON SCHEMA sample TO {PASSWORD_USER}; "
            f"GRANT SELECT ON ALL TABLES IN SCHEMA sample TO {PASSWORD_USER}")
    r = run_cli("info", url, env={**home, "PGPASSWORD": PASSWORD})
    assert r.returncode == 0, r.stderr
    pgpass = tmp_path / ".pgpass"
    pgpass.write_text(f"127.0.0.1:{pg.port}:*:{PASSWORD_USER}:{PASSWORD}\n")
    pgpass.chmod(0o600)
    r2 = run_cli("checkout", url, "-o", tmp_path / "local.gpkg", "--json", env={"HOME": str(tmp_path),
                                                                               "PGPASSFILE": str(pgpass)})
    assert r2.returncode == 0, r2.stderr
    for out in (r.stdout, r.stderr, r2.stdout, r2.stderr, (tmp_path / "local.gpkg").read_bytes().decode("latin-1")):
        assert PASSWORD not in out
    dump = pg.psql("SELECT string_agg(value, ' ') FROM sample.smartgis_project")
    assert PASSWORD not in dump


# == row versions, changed rows only, conflicts =============================================
def _open(url):
    from smartgis.cli.common import open_project
    return open_project(url, read_only=False)


def test_a_save_writes_only_the_changed_rows(pg):  # noqa: F811
    url = publish_copy(pg, "rows_only")
    p = _open(url)
    cams = p.design.layers["camera"]
    uid = cams.uids()[3]
    p.design.move([uid], 5, 0)
    p.save()
    versions = dict(sql(pg, url, "SELECT uid, smartgis_version FROM rows_only.design_camera"))
    assert versions.pop(uid) == 2
    assert set(versions.values()) == {1}
    assert {r[0] for r in sql(pg, url, "SELECT DISTINCT smartgis_version FROM rows_only.buildings")} == {1}
    assert not p.is_modified


def test_a_conflicting_edit_is_refused_with_nothing_written(pg):  # noqa: F811
    from smartgis.postgis import ConflictError
    url = publish_copy(pg, "conflict")
    a, b = _open(url), _open(url)
    uids = a.design.layers["camera"].uids()
    assert b.design.layers["camera"].uids() == uids      # both have read the cameras (they load on first use)
    x, y = uids[0], uids[1]
    a.design.move([x], 10, 0)
    os.environ["SMARTGIS_USER"] = "张设计"
    try:
        a.save()
    finally:
        os.environ.pop("SMARTGIS_USER")
    b.design.move([x], 0, 25)             # the same camera: a conflict
    b.design.move([y], 0, 25)             # another one: must not be written either
    b.design.add("camera", (543100.0, 3370100.0))
    before = sql(pg, url, "SELECT uid, smartgis_version, ST_AsText(geom) FROM conflict.design_camera ORDER BY uid")
    with pytest.raises(ConflictError) as e:
        b.save()
    msg = str(e.value)
    assert url in msg and x[:12] in msg and "张设计" in msg and "nothing was saved" in msg
    assert [c["key"] for c in e.value.conflicts] == [x] and e.value.conflicts[0]["by"] == "张设计"
    after = sql(pg, url, "SELECT uid, smartgis_version, ST_AsText(geom) FROM conflict.design_camera ORDER BY uid")
    assert after == before
    assert b.is_modified
    # overwrite: this person's version wins (the window's third choice)
    from smartgis.postgis.save import save_url
    save_url(b, overwrite=True)
    n = sql(pg, url, "SELECT count(*) FROM conflict.design_camera")[0][0]
    assert n == len(before) + 1


def test_a_deleted_element_is_a_conflict_naming_who_deleted_it(pg):  # noqa: F811
    from smartgis.postgis import ConflictError
    url = publish_copy(pg, "deleted")
    a, b = _open(url), _open(url)
    x = a.design.layers["camera"].uids()[5]
    assert x in b.design.layers["camera"].uids()
    a.design.remove([x])
    a.save()
    b.design.move([x], 3, 3)
    with pytest.raises(ConflictError) as e:
        b.save()
    assert e.value.conflicts[0]["change"] == "deleted" and e.value.conflicts[0]["by"] == pg.superuser


def test_edits_to_different_rows_by_different_people_all_land(pg):  # noqa: F811
    url = publish_copy(pg, "different")
    a, b = _open(url), _open(url)
    uids = a.design.layers["camera"].uids()
    a.design.move([uids[0]], 7, 0)
    b.design.move([uids[1]], 0, 7)
    b_new = b.design.add("camera", (543500.0, 3370500.0))
    a.save()
    b.save()
    c = _open(url)
    layer = c.design.layers["camera"]
    geoms = dict(zip(layer.uids(), layer.geometries))
    mine_a = dict(zip(a.design.layers["camera"].uids(), a.design.layers["camera"].geometries))
    mine_b = dict(zip(b.design.layers["camera"].uids(), b.design.layers["camera"].geometries))
    assert geoms[uids[0]].equals(mine_a[uids[0]]) and not geoms[uids[0]].equals(mine_b[uids[0]])
    assert geoms[uids[1]].equals(mine_b[uids[1]]) and not geoms[uids[1]].equals(mine_a[uids[1]])
    assert b_new in geoms and len(geoms) == len(uids) + 1
    assert dict(sql(pg, url, "SELECT uid, smartgis_version FROM different.design_camera WHERE uid = ANY(%s)",
                    ([uids[0], uids[1]],))) == {uids[0]: 2, uids[1]: 2}


def test_two_place_commands_at_once_both_land_in_full(pg):  # noqa: F811
    url = publish_copy(pg, "together")
    before = _info(url)["design"]["element_counts"]
    env = dict(os.environ)
    cmds = [[sys.executable, "-m", "smartgis", "place", url, "--type", "smart_pole", "--along", "道路",
             "--spacing", "150", "--json"],
            [sys.executable, "-m", "smartgis", "place", url, "--type", "camera", "--along", "道路",
             "--spacing", "400", "--json"],
            # a kind of element the project has no layer for yet, by both at once
            [sys.executable, "-m", "smartgis", "place", url, "--type", "traffic_detector", "--at", "543000,3370000", "--json"],
            [sys.executable, "-m", "smartgis", "place", url, "--type", "traffic_detector", "--at", "543200,3370200", "--json"]]
    procs = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for c in cmds]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
    added = [json.loads(o)["added_by_type"] for o, _ in outs]
    after = _info(url)["design"]["element_counts"]
    assert after["smart_pole"] == before["smart_pole"] + added[0]["smart_pole"]
    assert after["camera"] == before["camera"] + added[1]["camera"]
    assert after["traffic_detector"] == 2
    layers = [lyr for lyr in _info(url)["layers"] if lyr["table"] == "design_traffic_detector"]
    assert len(layers) == 1
    # the plain listing says where it saved and names no backup file a server does not have
    r = run_cli("place", url, "--type", "traffic_detector", "--at", "543400,3370400")
    assert r.returncode == 0 and "together" in r.stdout and ".bak" not in r.stdout, r.stdout + r.stderr


def test_a_hostile_layer_name_is_just_a_name(pg, tmp_path):  # noqa: F811
    from smartgis.cli.common import open_project
    from smartgis.project import open_project as open_file
    from smartgis.project import save_project
    p = open_file(SAMPLE)
    evil = 'x"; drop table study_area; --'
    lyr = p.layer("水系")
    lyr.name = evil
    path = tmp_path / "evil.gpkg"
    save_project(p, path)
    schema = 'evil"; drop schema sample cascade; --'
    url = pg.url("s").replace("schema=s", "schema=" + schema.replace(" ", "%20").replace(";", "%3B"))
    r = run_cli("publish", path, url)
    assert r.returncode == 0, r.stderr
    q = open_project(url)
    assert q.layer(evil).feature_count == 1
    assert sql(pg, url, "SELECT count(*) FROM sample.study_area")[0][0] == 1


# == roles ==================================================================================
def test_roles_are_enforced_by_the_database(pg):  # noqa: F811
    pg.psql("DO $$ BEGIN CREATE ROLE reviewer1 LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$; "
            "DO $$ BEGIN CREATE ROLE designer1 LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;")
    url = publish_copy(pg, "roles", "--reviewer-role", "reviewer1", "--designer-role", "designer1")

    def as_role(role, query, params=()):
        with psycopg.connect(host="127.0.0.1", port=pg.port, dbname=pg.dbname, user=role, autocommit=True) as c:
            return c.execute(query, params).rowcount

    # the reviewer reads everything, writes review tables, and nothing else
    assert as_role("reviewer1", "SELECT 1 FROM roles.buildings LIMIT 1") == 1
    assert as_role("reviewer1", "INSERT INTO roles.smartgis_review_comments (row) VALUES (%s::json)",
                   ('{"comment_id": "c1", "text": "请核实"}',)) == 1
    for q in ("UPDATE roles.design_camera SET geom = geom", "DELETE FROM roles.design_smart_pole",
              "UPDATE roles.buildings SET geom = geom", "UPDATE roles.smartgis_project SET value = value",
              "CREATE TABLE roles.sneaky (a int)"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            as_role("reviewer1", q)
    # designers write design tables (row versions and tombstones work for them), not base layers
    assert as_role("designer1", "UPDATE roles.design_camera SET geom = geom WHERE fid = 1") == 1
    assert as_role("designer1", "DELETE FROM roles.design_camera WHERE fid = 2") == 1
    assert sql(pg, url, "SELECT smartgis_version, smartgis_changed_by FROM roles.design_camera WHERE fid = 1") == \
        [(2, "designer1")]
    assert sql(pg, url, "SELECT deleted_by FROM roles.smartgis_deleted") == [("designer1",)]
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        as_role("designer1", "UPDATE roles.buildings SET geom = geom")
    # through SmartGIS: the reviewer's save is refused by the server, in one line
    rev = pg.url("roles", user="reviewer1")
    r = run_cli("place", rev, "--type", "camera", "--at", "543000,3370000")
    line = _one_clean_line(r, rev, "permission denied")
    assert "design_camera" in line
    # the designer places, also a kind of element new to the project; the reviewer can read it
    des = pg.url("roles", user="designer1")
    assert run_cli("place", des, "--type", "camera", "--at", "543000,3370000").returncode == 0
    r = run_cli("place", des, "--type", "traffic_detector", "--at", "543100,3370100")
    assert r.returncode == 0, r.stderr
    counts = _info(rev)["design"]["element_counts"]
    assert counts["traffic_detector"] == 1
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        as_role("reviewer1", "DELETE FROM roles.design_traffic_detector")


def test_merge_takes_the_colleagues_rows_and_keeps_the_other_edits(pg):  # noqa: F811
    from smartgis.postgis import ConflictError
    from smartgis.postgis.resolve import take_theirs
    url = publish_copy(pg, "merge")
    a, b = _open(url), _open(url)
    uids = a.design.layers["camera"].uids()
    assert b.design.layers["camera"].uids() == uids
    a.design.move([uids[0]], 10, 0)
    a.save()
    b.design.move([uids[0]], 0, 10)
    b.design.move([uids[1]], 0, 10)
    with pytest.raises(ConflictError) as e:
        b.save()
    assert take_theirs(b, e.value.conflicts) == 1
    b.save()
    c = _open(url)
    g = dict(zip(c.design.layers["camera"].uids(), c.design.layers["camera"].geometries))
    ga = dict(zip(uids, a.design.layers["camera"].geometries))
    gb = dict(zip(b.design.layers["camera"].uids(), b.design.layers["camera"].geometries))
    assert g[uids[0]].equals(ga[uids[0]])      # the colleague's edit stands
    assert g[uids[1]].equals(gb[uids[1]])      # and so does this session's other edit


def test_a_reviewer_session_writes_only_the_review_tables(pg):  # noqa: F811
    pg.psql("DO $$ BEGIN CREATE ROLE reviewer2 LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;")
    url = publish_copy(pg, "reviewing", "--reviewer-role", "reviewer2")
    from smartgis.cli.common import open_project
    from smartgis.review import review_of
    p = open_project(pg.url("reviewing", user="reviewer2"), read_only=True)
    review = review_of(p)
    review.add_comment("摄像机覆盖不足", "王审查", at=(543000.0, 3370000.0))
    p.store(p)     # what a review session's save does for a team project
    rows = sql(pg, url, "SELECT row::text FROM reviewing.smartgis_review_comments")
    assert len(rows) == 1 and "摄像机覆盖不足" in rows[0][0]
    q = open_project(url)
    assert [c.text for c in review_of(q).comments()] == ["摄像机覆盖不足"]


def test_a_reviewer_comments_on_the_url_from_the_command_line(pg):  # noqa: F811
    pg.psql("DO $$ BEGIN CREATE ROLE reviewer3 LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;")
    url = publish_copy(pg, "reviewing_cli", "--reviewer-role", "reviewer3")
    as_reviewer = pg.url("reviewing_cli", user="reviewer3")
    for text, x in (("路口缺少摄像机", "543000"), ("此处缺少公共厕所", "543500")):
        r = run_cli("review", as_reviewer, "--add-comment", text, "--at", f"{x},3370000", "--author", "王审查")
        assert r.returncode == 0, r.stderr
    r = run_cli("review", as_reviewer, "--sign-off", "--decision", "revise", "--reviewer", "王审查")
    assert r.returncode == 0, r.stderr
    rows = sql(pg, url, "SELECT row::text FROM reviewing_cli.smartgis_review_comments")
    assert sorted("路口" in t for (t,) in rows) == [False, True] and len(rows) == 2
    r = run_cli("review", url, "--list", "--json")
    assert r.returncode == 0, r.stderr
    listed = json.loads(r.stdout)
    assert sorted(c["text"] for c in listed["comments"]) == ["此处缺少公共厕所", "路口缺少摄像机"]
    assert listed["signoffs"][-1]["decision"] == "revise"
    # the design tables were not touched by the reviewer
    assert sql(pg, url, "SELECT count(*) FROM reviewing_cli.smartgis_deleted")[0][0] == 0


def test_a_large_layer_reads_geometries_first_and_still_sees_conflicts(pg, monkeypatch):  # noqa: F811
    from smartgis.postgis import ConflictError
    from smartgis.postgis import read as pg_read
    monkeypatch.setattr(pg_read, "SPLIT_ROWS", 100)
    url = publish_copy(pg, "split")
    a = _open(url)
    blds = a.layer("建筑")
    assert len(blds.geometries) == 3496 and not blds.attributes_loaded
    field = next(f.name for f in blds.fields if f.type in ("int", "float"))
    pg.psql(f'UPDATE split.buildings SET "{field}" = 99 WHERE fid IN (10, 11)')   # a colleague, meanwhile
    assert blds.table.column(field)[list(blds.fids).index(10)] == 99         # attributes read now
    i12 = list(blds.fids).index(12)
    blds.set_value(i12, field, 7)
    a.save()                                                                  # row 12: nobody else touched it
    assert sql(pg, url, f'SELECT "{field}", smartgis_version FROM split.buildings WHERE fid = 12') == [(7, 2)]
    blds.set_value(list(blds.fids).index(10), field, 5)
    with pytest.raises(ConflictError):
        a.save()                                                              # row 10 changed after its geometry was read
