"""A project file that nothing can turn against its user: hostile schema objects, two
writers, real file systems, bounded work, exit codes, geometry sanity, no leaks.

Real SQLite files, real parallel processes, real FIFOs and symbolic links.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time

import numpy as np
import pytest

import smartgis.review  # noqa: F401  (its tables are in every project file these tests write)
from smartgis.errors import DamagedProjectError, ProjectFileError, UsageError
from smartgis.project import gpkg, guard, open_project, writers

from helpers import sample_project

# Every check below that SmartGIS refuses must be refused within this many seconds.
QUICK = 15


@pytest.fixture
def proj(tmp_path):
    path = tmp_path / "city.gpkg"
    sample_project(path)
    return path


def _sql(path, *statements):
    conn = sqlite3.connect(path)
    try:
        for s in statements:
            conn.execute(s)
        conn.commit()
    finally:
        conn.close()


def _count(path, table):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    finally:
        conn.close()


def _objects(path, kind):
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type=?", (kind,))}
    finally:
        conn.close()


# == 1. a project file is data ===========================================================
EVIL = ("CREATE TRIGGER evil AFTER INSERT ON smartgis_project BEGIN "
        "DELETE FROM design_camera; DELETE FROM \"建筑物\"; END")


def test_own_and_spec_triggers_are_recognised(proj):
    conn = sqlite3.connect(proj)
    assert guard.foreign_objects(conn) == []
    assert _objects(proj, "trigger")          # R-tree triggers are there, and known
    conn.close()


def test_a_trigger_named_like_an_rtree_trigger_but_doing_harm_is_foreign(proj):
    _sql(proj, 'CREATE TRIGGER "rtree_建筑物_geom_insert9" AFTER INSERT ON "建筑物" BEGIN DELETE FROM gpkg_contents; END',
         "DROP TRIGGER IF EXISTS trigger_insert_feature_count_design_camera",
         "CREATE TRIGGER trigger_insert_feature_count_design_camera AFTER INSERT ON design_camera BEGIN "
         "UPDATE gpkg_ogr_contents SET feature_count = length(zeroblob(100000000)); END")
    names = {o.name for o in guard.foreign_objects(sqlite3.connect(proj))}
    assert names == {"rtree_建筑物_geom_insert9", "trigger_insert_feature_count_design_camera"}


def test_a_hostile_trigger_never_runs_on_save_and_is_removed(proj, cli):
    _sql(proj, EVIL)
    cameras, buildings = _count(proj, "design_camera"), _count(proj, "建筑物")
    r = cli("info", proj)
    assert r.returncode == 0 and "'evil' on smartgis_project" in r.stdout
    info = json.loads(cli("info", proj, "--json").stdout)
    assert info["foreign_objects"] == [{"type": "trigger", "name": "evil", "table": "smartgis_project"}]
    r = cli("place", proj, "--type", "camera", "--at", "500300,3380300")
    assert r.returncode == 0, r.stderr
    assert _count(proj, "design_camera") == cameras + 1
    assert _count(proj, "建筑物") == buildings
    assert "evil" not in _objects(proj, "trigger")


def test_a_review_comment_cannot_wipe_the_design(proj):
    """Review writes touch only the review tables: SQLite's authorizer refuses the rest."""
    from smartgis.review import Review
    _sql(proj, "CREATE TRIGGER evil2 AFTER INSERT ON smartgis_review_comments BEGIN DELETE FROM design_smart_pole; END")
    poles = _count(proj, "design_smart_pole")
    r = Review.open(proj)
    r.add_comment("东门缺少摄像机", author="王建华", at=(500100, 3380100))
    r.save()
    assert _count(proj, "design_smart_pole") == poles
    assert _count(proj, "smartgis_review_comments") == 1


def test_review_writer_may_not_write_other_tables(tmp_path, proj):
    from smartgis.project.store import save_project
    p = open_project(proj)

    def writer(conn):
        conn.execute("DELETE FROM design_camera")
    with pytest.raises(Exception, match="not authorized"):
        save_project(p, proj, writer=writer, writer_tables={"smartgis_review_comments"})
    assert _count(proj, "design_camera") == 1


def test_a_recursive_view_in_place_of_a_table_is_refused_at_once(proj, cli):
    _sql(proj, "ALTER TABLE smartgis_layers RENAME TO old_layers",
         "CREATE VIEW smartgis_layers AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
         "SELECT l.* FROM old_layers l, r")
    for cmd in (["info"], ["check"], ["review"]):
        t0 = time.monotonic()
        r = cli(*cmd, proj, timeout=QUICK * 2)
        assert time.monotonic() - t0 < QUICK
        assert r.returncode == 2, (cmd, r.stderr)
        assert "view 'smartgis_layers'" in r.stderr and "Traceback" not in r.stderr


def test_a_hostile_view_registered_as_a_layer_is_stopped_within_seconds(proj, monkeypatch):
    """A view that is read as a layer's table runs under the read limit and ends as an
    error naming it."""
    _sql(proj, "CREATE VIEW slow AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
               "SELECT n AS fid FROM r")
    monkeypatch.setenv("SMARTGIS_QUERY_SECONDS", "1")
    conn = gpkg.connect(proj, readonly=True)
    t0 = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="interrupt"):
        conn.execute("SELECT count(*) FROM slow").fetchone()
    assert time.monotonic() - t0 < 5
    assert conn.timed_out()
    err = gpkg.read_error(sqlite3.OperationalError("interrupted"), conn, proj, "layer 'x'")
    assert "view 'slow'" in str(err) and isinstance(err, DamagedProjectError)


def test_a_raster_path_to_a_fifo_is_unavailable_not_a_hang(tmp_path, proj, cli):
    fifo = tmp_path / "dem.tif"
    os.mkfifo(fifo)
    p = open_project(proj)
    from smartgis.core.layers import RasterLayer
    p.add_layer(RasterLayer("DEM", str(fifo), crs="EPSG:4547", info={"bounds": [500000, 3380000, 501000, 3381000],
                                                                      "count": 1, "dtype": "float32"}))
    p.save()
    q = open_project(proj)
    dem = next(lyr for lyr in q.layers.values() if lyr.name == "DEM")
    assert not dem.available and "not a regular file" in str(dem.error)
    r = cli("render", proj, "-o", tmp_path / "x.png", "--size", "200x200", timeout=QUICK * 4)
    assert r.returncode in (0, 2) and "Traceback" not in r.stderr


def test_unreadable_json_in_a_smartgis_table_is_exit_2(proj, cli):
    _sql(proj, "UPDATE smartgis_project SET value='{bad' WHERE key='metadata'")
    r = cli("info", proj)
    assert r.returncode == 2 and str(proj) in r.stderr and "unreadable data" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


# == 2. one writer at a time, no lost update =============================================
def test_two_parallel_place_commands_both_land(proj):
    before = _count(proj, "design_camera")
    env = dict(os.environ)
    procs = [subprocess.Popen([sys.executable, "-m", "smartgis", "place", str(proj), "--type", "camera", "--at",
                               f"{500200 + 10 * i},3380200"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in range(4)]
    outs = [p.communicate(timeout=120) for p in procs]
    codes = [p.returncode for p in procs]
    assert codes == [0, 0, 0, 0], [err for (_out, err), c in zip(outs, codes) if c]
    assert _count(proj, "design_camera") == before + 4


def test_merge_keeps_elements_added_by_another_writer(proj):
    a, b = open_project(proj), open_project(proj)
    ua = a.design.add("camera", (500300.0, 3380300.0))
    ub = b.design.add("air_quality", (500400.0, 3380400.0))
    uc = b.design.add("camera", (500500.0, 3380500.0))
    a.save()
    assert writers.changed_on_disk(b)
    b.save()
    q = open_project(proj)
    uids = {u for lyr in q.design.layers.values() for u in lyr.uids()}
    assert {ua, ub, uc} <= uids
    assert b.merged_layers == [b.design.layers["camera"].name]
    assert not writers.changed_on_disk(b)


def test_merge_refuses_when_both_change_one_element(proj):
    a, b = open_project(proj), open_project(proj)
    uid = a.design.layers["camera"].uids()[0]
    a.design.update([uid], azimuth=90)
    b.design.update([uid], azimuth=270)
    a.save()
    with pytest.raises(ProjectFileError, match="changed by another program"):
        b.save()
    q = open_project(proj)
    lyr = q.design.layers["camera"]
    assert lyr.table.value(lyr.index_of(uid), "azimuth") == 90


def test_merge_refuses_when_the_other_writer_changed_layers(proj):
    from helpers import buildings_layer
    a, b = open_project(proj), open_project(proj)
    a.add_layer(buildings_layer(5, name="新建筑"))
    a.save()
    b.design.add("camera", (500300.0, 3380300.0))
    with pytest.raises(ProjectFileError, match="layers"):
        b.save()
    assert "新建筑" in {lyr.name for lyr in open_project(proj).layers.values()}


def test_save_lock_makes_a_second_writer_wait(proj):
    code = ("import sys, time; from pathlib import Path; from smartgis.project.writers import save_lock\n"
            "with save_lock(Path(sys.argv[1])):\n    print('locked', flush=True); time.sleep(1.5)\n")
    holder = subprocess.Popen([sys.executable, "-c", code, str(proj)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    t0 = time.monotonic()
    with writers.save_lock(proj):
        waited = time.monotonic() - t0
    holder.wait(timeout=30)
    assert waited > 0.5


# == 3. saves honour the file system ====================================================
def test_save_keeps_mode(proj):
    os.chmod(proj, 0o600)
    p = open_project(proj)
    p.design.add("camera", (500300.0, 3380300.0))
    p.save()
    assert stat.S_IMODE(os.stat(proj).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(str(proj) + ".bak").st_mode) == 0o600


def test_save_refuses_a_read_only_file(proj):
    os.chmod(proj, 0o444)
    before = proj.read_bytes()
    p = open_project(proj)
    p.design.add("camera", (500300.0, 3380300.0))
    with pytest.raises(ProjectFileError, match="read-only"):
        p.save()
    assert proj.read_bytes() == before and not os.path.exists(str(proj) + ".bak")


def test_save_through_a_symlink_replaces_its_target(tmp_path, proj):
    link = tmp_path / "link.gpkg"
    link.symlink_to(proj)
    p = open_project(link)
    uid = p.design.add("camera", (500300.0, 3380300.0))
    p.save()
    assert link.is_symlink() and os.readlink(link) == str(proj)
    assert uid in open_project(proj).design.layers["camera"].uids()
    bak = proj.with_name(proj.name + ".bak")
    assert bak.exists() and not bak.is_symlink()
    previous = tmp_path / "previous.gpkg"          # the backup is the version before the save
    previous.write_bytes(bak.read_bytes())
    assert uid not in open_project(previous).design.layers["camera"].uids()


def test_backup_is_a_real_copy(proj):
    p = open_project(proj)
    p.design.add("camera", (500300.0, 3380300.0))
    p.save()
    bak = proj.with_name(proj.name + ".bak")
    assert os.stat(bak).st_ino != os.stat(proj).st_ino and os.stat(bak).st_nlink == 1


@pytest.mark.skipif(os.geteuid() != 0, reason="changing a file's owner needs root")
def test_save_keeps_owner_as_root(proj):
    os.chown(proj, 65534, 65534)
    p = open_project(proj)
    p.design.add("camera", (500300.0, 3380300.0))
    p.save()
    st = os.stat(proj)
    assert (st.st_uid, st.st_gid) == (65534, 65534)


def test_disk_errors_are_one_line_exit_2(proj, cli):
    """A file-size limit (ulimit -f) makes the save fail: exit 2 naming the file, the file intact."""
    before = proj.read_bytes()
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_FSIZE, (200000, 200000));"
            "from smartgis.cli import main; sys.exit(main(sys.argv[1:]))")
    r = subprocess.run([sys.executable, "-c", code, "place", str(proj), "--type", "smart_pole", "--at",
                        "500300,3380300"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2, r.stderr
    assert str(proj) in r.stderr and "Traceback" not in r.stderr and "internal error" not in r.stderr
    assert proj.read_bytes() == before


def test_a_name_too_long_is_exit_2(tmp_path, cli):
    r = cli("new", tmp_path / ("项" * 200 + ".gpkg"), "--crs", "EPSG:4547")
    assert r.returncode == 2 and "internal error" not in r.stderr and "Traceback" not in r.stderr


# == 4. bounded work ======================================================================
def test_pixel_budgets(proj, cli, tmp_path):
    for args in (["render", proj, "-o", tmp_path / "x.png", "--size", "20000x20000"],
                 ["export", proj, "--paper", "A0", "--dpi", "1200", "--png", tmp_path / "x.png"],
                 ["gui", proj, "--size", "12000x12000", "--screenshot", tmp_path / "x.png"]):
        t0 = time.monotonic()
        r = cli(*args, timeout=QUICK * 2)
        assert r.returncode == 2 and "M pixels" in r.stderr, (args, r.stderr)
        assert time.monotonic() - t0 < QUICK


def test_import_from_a_fifo_is_refused(tmp_path, proj, cli):
    fifo = tmp_path / "roads.shp"
    os.mkfifo(fifo)
    r = cli("import", proj, fifo, timeout=QUICK * 2)
    assert r.returncode == 2 and "not a regular file" in r.stderr


# == 5. exit codes =========================================================================
@pytest.mark.parametrize("args, words", [
    (["place", "{p}", "--type", "smart_pole", "--grid", "建筑物", "--spacing", "50", "--angle", "nan"], "finite"),
    (["coverage", "{p}", "--type", "camera", "--radius", "inf"], "finite"),
    (["place", "{p}", "--type", "smart_pole", "--along", ""], "layer name"),
    (["place", "{p}", "--type", "camera", "--at", "1e308,1e308"], "not on the Earth"),
    (["place", "{p}", "--type", "camera", "--at", "nan,1"], "--at"),
])
def test_bad_values_are_exit_2(proj, cli, args, words):
    r = cli(*[a.replace("{p}", str(proj)) for a in args])
    assert r.returncode == 2, r.stderr
    assert words in r.stderr and "internal error" not in r.stderr


def test_catalog_export_to_a_folder_is_exit_2(proj, cli, tmp_path):
    r = cli("catalog", proj, "--export", tmp_path)
    assert r.returncode == 2 and "internal error" not in r.stderr


def test_csv_with_overflowing_coordinates_is_refused(tmp_path, proj, cli):
    csv = tmp_path / "points.csv"
    csv.write_text("name,x,y\na,1e400,3380000\nb,500000,3380000\n", encoding="utf-8")
    r = cli("import", proj, csv, "--x-field", "x", "--y-field", "y", "--crs", "EPSG:4547")
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "internal error" not in r.stderr


def test_deeply_nested_standards_file_is_exit_2(tmp_path, proj, cli):
    f = tmp_path / "deep.json"
    f.write_text("[" * 100000 + "]" * 100000, encoding="utf-8")
    r = cli("check", proj, "--standards", f)
    assert r.returncode == 2, r.stderr
    assert "internal error" not in r.stderr and "Traceback" not in r.stderr


def test_version_works_whatever_the_plugin_set_up(tmp_path, cli):
    r = cli("--version", env={"SMARTGIS_PLUGIN_PATH": "/x" * 3000})
    assert r.returncode == 0 and "SmartGIS" in r.stdout
    noread = tmp_path / "home"
    noread.mkdir(mode=0)
    r = cli("--version", env={"HOME": str(noread), "XDG_CONFIG_HOME": str(noread / "cfg")})
    assert r.returncode == 0 and "SmartGIS" in r.stdout


def test_internal_errors_are_exit_70_with_a_log():
    from smartgis.cli import EXIT_INTERNAL, classify
    code, msg = classify(ZeroDivisionError("boom"))
    assert code == EXIT_INTERNAL == 70 and "internal error" in msg
    assert classify(OSError(28, "No space left on device", "/x/p.gpkg"))[0] == 2
    assert classify(sqlite3.OperationalError("database or disk is full"))[0] == 2
    assert classify(RecursionError())[0] == 2


def test_gui_screenshot_of_a_bad_file_says_why(tmp_path, proj, cli):
    _sql(proj, "UPDATE smartgis_project SET value='{bad' WHERE key='metadata'")
    for extra in ([], ["--review"]):
        r = cli("gui", proj, *extra, "--screenshot", tmp_path / "x.png", env={"QT_QPA_PLATFORM": "offscreen"},
                timeout=120)
        assert r.returncode == 2 and str(proj) in r.stderr and "Traceback" not in r.stderr


# == 6. plugins ===========================================================================
def _plugin(root, name, init):
    d = root / name
    d.mkdir(parents=True)
    (d / "plugin.json").write_text(json.dumps({
        "name": name, "version": "1.0.0", "plugin_api": 1, "min_smartgis": "0.1.0",
        "title": {"zh": name, "en": name}, "description": {"zh": name, "en": name},
        "contributes": {"metrics": [{"id": f"{name}_m", "entry": "m:metric", "label": {"zh": "m", "en": "m"},
                                     "unit": "%"}]}}), encoding="utf-8")
    (d / "__init__.py").write_text(init, encoding="utf-8")
    (d / "m.py").write_text("def metric(*a):\n    return 1\n", encoding="utf-8")
    return d


@pytest.mark.parametrize("init, words", [("while True:\n    pass\n", "PluginTimeout"),
                                         ("import sys\nsys.exit(7)\n", "SystemExit"),
                                         ("raise KeyboardInterrupt\n", "KeyboardInterrupt")])
def test_a_broken_plugin_is_disabled_not_the_app(tmp_path, monkeypatch, init, words):
    from smartgis.errors import PluginError
    from smartgis.plugins.registry import PluginRegistry
    _plugin(tmp_path / "plugins", "broken", init)
    monkeypatch.setenv("SMARTGIS_PLUGIN_PATH", str(tmp_path / "plugins"))
    monkeypatch.setenv("SMARTGIS_PLUGIN_IMPORT_SECONDS", "1")
    reg = PluginRegistry(warn=None)
    entry = reg.metrics()["broken_m"]
    with pytest.raises(PluginError, match=words):
        entry.resolve()
    assert reg.get("broken").state == "failed"


def test_a_plugin_calling_sys_exit_does_not_end_a_command(tmp_path, proj, cli):
    _plugin(tmp_path / "plugins", "exiter", "import sys\nsys.exit(7)\n")
    r = cli("info", proj, env={"SMARTGIS_PLUGIN_PATH": str(tmp_path / "plugins")})
    assert r.returncode == 0


# == 7. geometry sanity ===================================================================
def test_non_finite_and_impossible_placements_are_refused(proj):
    p = open_project(proj)
    for pt in ((float("inf"), 3380000.0), (1e308, 1e308), (5e8, 3380000.0)):
        with pytest.raises(UsageError):
            p.design.add("camera", pt)


def test_out_of_area_placement_needs_force(proj, cli):
    r = cli("place", proj, "--type", "camera", "--at", "9000000,3380000")
    assert r.returncode == 2 and "--force" in r.stderr
    r = cli("place", proj, "--type", "camera", "--at", "9000000,3380000", "--force")
    assert r.returncode == 0, r.stderr


def test_geotiff_with_infinite_origin_is_refused(tmp_path, proj, cli):
    rasterio = pytest.importorskip("rasterio")
    from rasterio.transform import Affine
    tif = tmp_path / "inf.tif"
    with rasterio.open(tif, "w", driver="GTiff", width=4, height=4, count=1, dtype="uint8", crs="EPSG:4547",
                       transform=Affine(1.0, 0, float("inf"), 0, -1.0, 3380000.0)) as ds:
        ds.write(np.zeros((1, 4, 4), dtype="uint8"))
    r = cli("import", proj, tif)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "internal error" not in r.stderr


# == 8. no leaks ============================================================================
def test_temporary_folders_are_swept(tmp_path, monkeypatch):
    from smartgis.core import tempfiles
    root = tempfiles.root()
    dead = root / "999999999-abc"
    dead.mkdir()
    old = root / f"{os.getpid()}-old"
    old.mkdir()
    os.utime(old, (time.time() - 2 * 86400, time.time() - 2 * 86400))
    removed = tempfiles.sweep()
    assert str(dead) in removed and str(old) in removed
    assert not dead.exists() and not old.exists()


def test_commands_leave_no_temporary_copies(proj, cli):
    from smartgis.core import tempfiles
    before = set(tempfiles.root().iterdir())
    for _ in range(3):
        assert cli("info", proj).returncode == 0
    after = {p for p in tempfiles.root().iterdir() if p not in before}
    assert not after


def test_migration_copy_is_removed_with_the_project(proj, monkeypatch):
    import gc

    from smartgis.project import schema
    _sql(proj, "UPDATE smartgis_project SET value='0' WHERE key='format_version'")
    monkeypatch.setitem(schema.MIGRATIONS, 0, lambda conn: None)
    p = open_project(proj)
    base = p.base_path
    assert base != proj and base.exists()
    del p
    gc.collect()
    assert not base.exists()


def test_unreadable_review_rows_are_exit_2_everywhere(tmp_path, proj, cli):
    _sql(proj, "INSERT INTO smartgis_review_comments (comment_id, number, x, y, status) "
               "VALUES ('c', 'notnum', 'a', 'b', 3)")
    r = cli("review", proj)
    assert r.returncode == 2 and "review tables" in r.stderr and "internal error" not in r.stderr
    r = cli("gui", proj, "--review", "--screenshot", tmp_path / "x.png", env={"QT_QPA_PLATFORM": "offscreen"},
            timeout=120)
    assert r.returncode == 2 and "review tables" in r.stderr and "Traceback" not in r.stderr


@pytest.fixture
def small_disk(tmp_path):
    """A 600 kB file system (tmpfs, needs root); skipped where it cannot be mounted."""
    d = tmp_path / "small"
    d.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(d)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({r.stderr.strip()})")
    yield d
    import gc
    gc.collect()            # projects keep a descriptor on the file they were opened from
    subprocess.run(["umount", "-l", str(d)], capture_output=True)


def test_disk_full_is_exit_2_and_the_file_is_intact(small_disk, cli):
    path = small_disk / "s.gpkg"
    sample_project(path, n=300)._pin.close()
    before = path.read_bytes()
    r = cli("place", path, "--type", "smart_pole", "--grid", "建筑物", "--spacing", "5")
    assert r.returncode == 2 and "disk is full" in r.stderr and str(path) in r.stderr
    assert path.read_bytes() == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["s.gpkg"]


def test_stale_save_files_of_killed_writers_are_removed(proj):
    dead = 999999999
    for name in (f".{proj.name}.{dead}.saving", f".{proj.name}.bak.{dead}.new"):
        (proj.parent / name).write_bytes(b"x")
    p = open_project(proj)
    p.design.add("camera", (500300.0, 3380300.0))
    p.save()
    assert not [q for q in proj.parent.iterdir() if q.name.startswith(".")]


def test_a_layer_whose_table_is_a_hostile_view_opens_unavailable_at_once(proj, cli):
    _sql(proj, "CREATE VIEW hostile AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
               "SELECT n AS fid, NULL AS geom FROM r",
         "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('hostile', 'features', "
         "'hostile', 0)",
         "INSERT INTO gpkg_geometry_columns VALUES ('hostile', 'geom', 'POINT', 0, 0, 0)",
         "UPDATE smartgis_layers SET table_name='hostile', definition=json_set(definition, '$.table', 'hostile') "
         "WHERE kind='vector'")
    t0 = time.monotonic()
    r = cli("info", proj, "--json", timeout=QUICK * 2)
    assert time.monotonic() - t0 < QUICK and r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert [lyr["available"] for lyr in info["layers"] if lyr["table"] == "hostile"] == [False]
    assert {"type": "view", "name": "hostile", "table": "hostile"} in info["foreign_objects"]


def test_after_a_merged_save_layers_show_the_other_writers_changes(proj):
    a, b = open_project(proj), open_project(proj)
    assert b.design.counts()["smart_pole"] == 5          # loaded before the other save
    a.design.add_many("smart_pole", [(500500.0, 3380500.0), (500600.0, 3380500.0)])
    a.save()
    b.design.add("camera", (500300.0, 3380300.0))
    b.save()
    assert b.design.counts() == {"camera": 2, "smart_pole": 7}
    assert len(b.design.layers["smart_pole"].geometries) == 7


def test_the_temporary_copy_of_a_private_project_is_private(proj, monkeypatch):
    """While a save writes, its temporary file is readable by the owner only."""
    from smartgis.project import store
    os.chmod(proj, 0o600)
    seen = []
    real = store._write_project

    def spy(conn, project, target, progress, attached=None):
        seen.extend(stat.S_IMODE(os.stat(p).st_mode) for p in target.parent.glob(f".{target.name}.*.saving"))
        return real(conn, project, target, progress, attached)
    monkeypatch.setattr(store, "_write_project", spy)
    p = open_project(proj)
    p.design.add("camera", (500300.0, 3380300.0))
    p.save()
    assert seen == [0o600] and stat.S_IMODE(os.stat(proj).st_mode) == 0o600


def test_a_pin_knows_when_another_save_replaced_the_file(proj):
    # opening reads again when a save renames a new file over the path between the pin
    # and the read, so that the tables and "as opened" are one version of the file
    from smartgis.project.writers import Pin
    pin = Pin(proj)
    assert pin.still_at(proj)
    new = proj.with_name("new.gpkg")
    shutil.copy(proj, new)
    os.replace(new, proj)                 # what an atomic save does
    assert not pin.still_at(proj)
    assert Pin(proj).still_at(proj)
    assert len(open_project(proj).layers) > 0
