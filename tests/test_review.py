"""Review sessions: comments and sign-offs go into their own tables and nothing else changes."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import numpy as np
import pytest
import shapely

from smartgis.core import AttributeTable, Field, Project, VectorLayer
from smartgis.errors import LayerError, ReadOnlyProjectError, UsageError
from smartgis.project import open_project
from smartgis.review import COMMENTS_TABLE, SIGNOFFS_TABLE, Review, review_of

REVIEW_TABLES = {COMMENTS_TABLE, SIGNOFFS_TABLE}


def table_fingerprints(path, only: set | None = None) -> dict[str, str]:
    """SHA-256 of every table's rows (and of each schema entry) except the review tables.

    Registry tables (``gpkg_contents`` ...) are compared on the rows of the tables in
    ``only`` (default: all but the review tables), so that tables a save adds do not
    hide changes to the others.
    """
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        out = {}
        names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        keep = (only if only is not None else names) - REVIEW_TABLES
        for name, kind, tbl, sql in conn.execute("SELECT name, type, tbl_name, sql FROM sqlite_master ORDER BY name"):
            if tbl not in keep:
                continue
            out[f"schema:{name}"] = hashlib.sha256((sql or "").encode()).hexdigest()
            if kind != "table":
                continue
            cur = conn.execute(f'SELECT * FROM "{name}"')
            cols = [d[0] for d in cur.description]
            rows = cur.fetchall()
            for reg, col in (("gpkg_contents", "table_name"), ("gpkg_ogr_contents", "table_name"),
                             ("gpkg_extensions", "table_name"), ("sqlite_sequence", "name")):
                if name == reg:
                    rows = [r for r in rows if r[cols.index(col)] in keep]
            h = hashlib.sha256()
            for r in sorted(rows, key=repr):
                h.update(repr(r).encode("utf-8"))
            out[name] = h.hexdigest()
        return out
    finally:
        conn.close()


def tables_of(fingerprints: dict) -> set:
    return {k for k in fingerprints if not k.startswith("schema:")}


def assert_only_review_tables_changed(path, before: dict) -> None:
    """Every table there was is byte-identical; tables added are empty SmartGIS tables
    (the save creates the tables registered by the parts of SmartGIS that are loaded)."""
    assert table_fingerprints(path, only=tables_of(before)) == before
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        now = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for t in now - tables_of(before) - REVIEW_TABLES:
            assert t.startswith("smartgis_"), t
            assert conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] == 0, t
    finally:
        conn.close()


@pytest.fixture
def project_file(tmp_path):
    """A small real project: a vector layer and design elements of three types."""
    p = Project("评审测试项目", "EPSG:4547", metadata={"designer": "李明远", "reviewer": "王建华"})
    boxes = shapely.box(np.arange(5) * 100 + 544000, 3370000, np.arange(5) * 100 + 544060, 3370040)
    table = AttributeTable([Field("population", "int")], {"population": [120, 80, 0, 300, 45]})
    p.add_layer(VectorLayer("建筑", boxes, table, crs="EPSG:4547", role="population",
                            props={"population_field": "population"}))
    p.design.add_many("camera", [(544010, 3370100), (544210, 3370100), (544410, 3370100)], azimuth=180)
    p.design.add("primary_school", (544300, 3370300), name="第一小学")
    p.design.add("fibre_backbone", [(544000, 3370200), (544500, 3370200)])
    path = tmp_path / "design.gpkg"
    p.save(path)
    return path


def test_review_session_writes_only_review_tables(project_file, validate_gpkg):
    before = table_fingerprints(project_file)
    review = Review.open(project_file)
    assert review.project.read_only
    cam = review.project.design.layers["camera"].uids()[1]
    c1 = review.add_comment("商业街东段没有视频覆盖", author="王建华", at=(544250.0, 3370050.0))
    c2 = review.add_comment("这台摄像机朝向错误", author="王建华", element=cam)
    review.sign_off("王建华", "revise", note="补充后再审", date="2024-05-20")
    assert review.is_modified
    review.save()
    assert not review.is_modified

    assert_only_review_tables_changed(project_file, before)
    validate_gpkg(project_file)

    again = Review.open(project_file)
    got = {c.number: c for c in again.comments()}
    assert got[1].text == c1.text and got[1].author == "王建华" and got[1].status == "open"
    assert (got[1].x, got[1].y) == (544250.0, 3370050.0) and got[1].element_uid is None
    assert got[2].element_uid == cam and got[2].element_type == "camera"
    assert got[2].comment_id == c2.comment_id
    # an element comment is pinned on the element itself
    assert shapely.Point(got[2].x, got[2].y).distance(shapely.Point(544210, 3370100)) < 1e-6
    [s] = again.signoffs()
    assert (s.reviewer, s.decision, s.date, s.note, s.open_comments) == ("王建华", "revise", "2024-05-20",
                                                                          "补充后再审", 2)
    assert json.loads(s.element_counts) == {"camera": 3, "fibre_backbone": 1, "primary_school": 1}
    assert again.summary()["design_changed_since_signoff"] is False


def test_cli_review_session_writes_only_review_tables(project_file, cli):
    before = table_fingerprints(project_file)
    p = open_project(project_file)
    school = p.design.layers["primary_school"].uids()[0]
    r = cli("review", project_file, "--add-comment", "幼儿园服务半径不足", "--at", "544100,3370300", "--author", "王建华")
    assert r.returncode == 0, r.stderr
    assert "#1" in r.stdout
    r = cli("review", project_file, "--add-comment", "学校规模偏小", "--element", school, "--author", "赵敏")
    assert r.returncode == 0, r.stderr
    r = cli("review", project_file, "--resolve", "#1", "--author", "李明远", "--note", "已在湖东片区增设幼儿园")
    assert r.returncode == 0, r.stderr
    r = cli("review", project_file, "--sign-off", "--decision", "approve", "--reviewer", "王建华", "--note", "同意")
    assert r.returncode == 0, r.stderr
    assert_only_review_tables_changed(project_file, before)

    r = cli("review", project_file, "--list", "--json")
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("\n") == 1
    data = json.loads(r.stdout)
    assert data["summary"] == {"comments": 2, "open": 1, "resolved": 1, "signoffs": 1, "decision": "approve",
                               "design_changed_since_signoff": False}
    c1, c2 = data["comments"]
    assert (c1["id"], c1["status"], c1["resolved_by"], c1["resolution"]) == (1, "resolved", "李明远",
                                                                           "已在湖东片区增设幼儿园")
    assert (c1["x"], c1["y"]) == (544100.0, 3370300.0)
    assert (c2["id"], c2["author"], c2["element_uid"], c2["element_type"]) == (2, "赵敏", school, "primary_school")
    assert data["signoffs"][0]["decision"] == "approve" and data["signoffs"][0]["open_comments"] == 1

    r = cli("review", project_file, "--status", "open")
    assert r.returncode == 0 and "学校规模偏小" in r.stdout and "幼儿园服务半径不足" not in r.stdout


@pytest.mark.parametrize("args, message", [
    (["--add-comment", "x", "--at", "544100,3370300"], "--author"),
    (["--add-comment", "x", "--author", "a"], "--at X,Y or --element"),
    (["--add-comment", "x", "--at", "3370300,544100", "--author", "a"], "far outside"),
    (["--add-comment", "x", "--at", "abc", "--author", "a"], "give X,Y"),
    (["--add-comment", "x", "--element", "nope", "--author", "a"], "no element with uid 'nope'"),
    (["--resolve", "7"], "no review comment '7'"),
    (["--sign-off", "--reviewer", "王建华"], "--decision"),
    (["--sign-off", "--decision", "approve", "--reviewer", "王", "--date", "20240520"], "YYYY-MM-DD"),
])
def test_cli_review_errors_are_one_line(project_file, cli, args, message):
    before = project_file.read_bytes()
    r = cli("review", project_file, *args)
    assert r.returncode == 2
    assert message in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert project_file.read_bytes() == before


def test_opening_for_review_changes_no_byte(project_file):
    before = project_file.read_bytes()
    review = Review.open(project_file)
    review.to_dict()
    review.add_comment("未保存的意见", author="王建华", at=(544100, 3370100))  # not saved
    with pytest.raises(ReadOnlyProjectError):
        review.project.save()
    assert project_file.read_bytes() == before


def test_two_sessions_merge_their_comments(project_file):
    a = Review.open(project_file)
    b = Review.open(project_file)      # a second reviewer, opened before the first saved
    assert a.project is not b.project
    a.add_comment("意见甲", author="甲", at=(544100, 3370100))
    a.save()
    b.add_comment("意见乙", author="乙", at=(544200, 3370100))
    b.save()
    merged = Review.open(project_file).comments()
    assert [(c.number, c.text) for c in merged] == [(1, "意见甲"), (2, "意见乙")]
    assert [c.number for c in b.comments()] == [1, 2]   # the saving session sees both


def test_designer_resolves_and_a_full_save_keeps_the_review(project_file):
    r = Review.open(project_file)
    r.add_comment("补充智慧灯杆", author="王建华", at=(544100, 3370100))
    r.sign_off("王建华", "revise")
    r.save()
    designer = open_project(project_file)            # the designer's session (not read-only)
    rev = review_of(designer)
    rev.resolve(1, by="李明远", note="已补充")
    designer.design.add("camera", (544450, 3370150))
    designer.save()                                  # a full project save
    back = Review.open(project_file)
    [c] = back.comments()
    assert (c.status, c.resolved_by, c.resolution) == ("resolved", "李明远", "已补充")
    assert len(back.signoffs()) == 1
    # the design changed after the sign-off: the sign-off is shown as made on an earlier design
    assert back.summary()["design_changed_since_signoff"] is True


def test_full_save_keeps_comments_added_meanwhile(project_file):
    """A designer who opened the project before a reviewer commented does not wipe the
    comment with a full save, whether or not the designer looked at the review."""
    designer = open_project(project_file)
    seen = open_project(project_file)
    review_of(seen)                                  # this session loaded the review panel
    r = Review.open(project_file)
    r.add_comment("东门缺少摄像机", author="王建华", at=(544100, 3370100))
    r.save()
    designer.design.add("camera", (544450, 3370150))
    designer.save()
    assert [c.text for c in Review.open(project_file).comments()] == ["东门缺少摄像机"]
    seen.design.add("air_quality", (544300, 3370300))
    seen.save()
    assert [c.text for c in Review.open(project_file).comments()] == ["东门缺少摄像机"]


def test_reopen_and_comment_lookup(project_file):
    r = Review.open(project_file)
    c = r.add_comment("请核对", author="王建华", at=(544100, 3370100))
    assert r.comment("#1") is c and r.comment(1) is c and r.comment(c.comment_id[:8]) is c
    r.resolve(1, by="李明远", note="已核对")
    r.reopen("1", by="王建华", note="仍有问题")
    assert c.status == "open" and "仍有问题" in c.resolution
    with pytest.raises(UsageError, match="no review comment"):
        r.comment("#9")


@pytest.mark.parametrize("kwargs, error", [
    ({"text": "", "author": "a", "at": (544100, 3370100)}, UsageError),
    ({"text": "x", "author": " ", "at": (544100, 3370100)}, UsageError),
    ({"text": "x", "author": "a"}, UsageError),
    ({"text": "x", "author": "a", "at": (544100, 3370100), "element": "u"}, UsageError),
    ({"text": "x", "author": "a", "at": (float("nan"), 1)}, UsageError),
    ({"text": "x", "author": "a", "element": "no-such-uid"}, LayerError),
])
def test_add_comment_validates(project_file, kwargs, error):
    r = Review.open(project_file)
    with pytest.raises(error):
        r.add_comment(**kwargs)
    assert r.comments() == []


def test_sign_off_validates(project_file):
    r = Review.open(project_file)
    with pytest.raises(UsageError, match="decision"):
        r.sign_off("王建华", "maybe")
    with pytest.raises(UsageError, match="name"):
        r.sign_off("", "approve")
    assert r.signoffs() == []


def test_review_tables_are_registered_attributes(project_file):
    Review.open(project_file).add_comment("x", author="a", at=(544100, 3370100))
    r = Review.open(project_file)
    r.add_comment("y", author="a", at=(544100, 3370100))
    r.save()
    conn = sqlite3.connect(project_file)
    kinds = dict(conn.execute("SELECT table_name, data_type FROM gpkg_contents"))
    assert kinds[COMMENTS_TABLE] == "attributes" and kinds[SIGNOFFS_TABLE] == "attributes"
    assert conn.execute(f"SELECT count(*) FROM {COMMENTS_TABLE}").fetchone()[0] == 1


def test_edits_made_while_saving_are_kept_for_the_next_save(project_file):
    r = Review.open(project_file)
    r.add_comment("第一条", author="王建华", at=(544100, 3370100))
    added = []

    def progress(done, total, message=""):
        # the window saves on a worker thread while the reviewer keeps writing
        if message == "copying" and not added:
            added.append(r.add_comment("保存期间写的", author="王建华", at=(544200, 3370100)))

    r.save(progress=progress)
    assert added and r.is_modified                          # the second comment is not saved yet
    assert [c.text for c in Review.open(project_file).comments()] == ["第一条"]
    assert [c.text for c in r.comments()] == ["第一条", "保存期间写的"]
    r.save()
    assert not r.is_modified
    assert [c.text for c in Review.open(project_file).comments()] == ["第一条", "保存期间写的"]


def test_review_runs_without_qt(project_file):
    """Scripted reviews work on a server: neither the package nor the command loads Qt."""
    import subprocess
    import sys
    code = ("import sys; from smartgis.cli import main; "
            "rc = main(['review', sys.argv[1], '--add-comment', 'x', '--at', '544100,3370100', '--author', 'a']); "
            "import smartgis.review; "
            "print('QT' if any(m.split('.')[0] in ('PySide6', 'shiboken6') for m in sys.modules) else 'NOQT'); "
            "sys.exit(rc)")
    r = subprocess.run([sys.executable, "-c", code, str(project_file)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "NOQT"


def test_plain_geopackage_is_not_turned_into_an_empty_project(tmp_path, shared_data, cli):
    """Review tables alone would make a plain GeoPackage open as a project without layers."""
    src = shared_data / "prague-urban" / "bubenec.gpkg"
    plain = tmp_path / "bubenec.gpkg"
    plain.write_bytes(src.read_bytes())
    r = cli("review", plain, "--add-comment", "x", "--at", "1604000,6464000", "--author", "a")
    assert r.returncode == 2 and "plain GeoPackage" in r.stderr
    assert plain.read_bytes() == src.read_bytes()
    assert len(open_project(plain).layers) == len(open_project(src).layers) > 0


def test_a_frozen_copy_carries_the_review_of_its_project(project_file, tmp_path):
    """The autosave writes a frozen copy of the project: the designer's unsaved
    resolution of a comment is in it, and later edits are not."""
    from smartgis.project.snapshot import frozen_copy
    from smartgis.project.store import save_project
    r = Review.open(project_file)
    r.add_comment("补充智慧灯杆", author="王建华", at=(544100, 3370100))
    r.save()
    designer = open_project(project_file)
    review_of(designer).resolve(1, by="李明远", note="已补充")
    snap = frozen_copy(designer)
    designer.design.add("camera", (544450, 3370150))      # after the copy was taken
    save_project(snap, tmp_path / "copy.gpkg", copy=True)
    [c] = Review.open(tmp_path / "copy.gpkg").comments()
    assert (c.status, c.resolved_by) == ("resolved", "李明远")
    assert open_project(tmp_path / "copy.gpkg").design.counts().get("camera", 0) == \
        designer.design.counts()["camera"] - 1
    assert designer.is_modified and designer.path == project_file


def test_a_reviewed_project_is_freed_with_its_review(project_file):
    """The review lives with its project: a closed project (and its million buildings)
    is not kept alive by having been reviewed."""
    import gc
    import weakref
    p = open_project(project_file)
    review_of(p).add_comment("请核对", author="王建华", at=(544100, 3370100))
    gone = weakref.ref(p)
    del p
    gc.collect()
    assert gone() is None
