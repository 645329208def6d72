"""A project file carries its own icons and no path of the machine that wrote it.

A project is built here, moved to another folder and drawn by a separate process
whose SmartGIS has no icons at all (its resources are a copy without ``icons/``):
the icons must come out pixel for pixel the same as where they were made.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess

import numpy as np
import pytest

from smartgis.core import Project
from smartgis.project import open_project
from smartgis.project.portable import external_references
from tests.conftest import REPO, run_cli

CAMERA = (521600.0, 3382000.0)
POLE = (521700.0, 3382000.0)
EXTENT = "521500,3381900,521800,3382100"


def _project(path):
    p = Project("便携", "EPSG:4547")
    p.design.add("camera", CAMERA)
    p.design.add("smart_pole", POLE)
    p.save(path)
    return path


def _resources_without_icons(tmp_path):
    """SmartGIS's resources as another machine might lack them: no ``icons/``."""
    res = tmp_path / "res"
    for sub in ("catalog", "i18n", "standards"):
        shutil.copytree(REPO / "resources" / sub, res / sub)
    return res


def _render(project, png, cwd, env=None, layers=None):
    more = ["--layers", layers] if layers else []
    r = run_cli("render", project, "-o", png, "--size", "900x600", "--dpi", "288", "--extent", EXTENT,
                "--no-labels", *more, cwd=cwd, env=env)
    assert r.returncode == 0, r.stderr
    from PySide6.QtGui import QImage
    img = QImage(str(png)).convertToFormat(QImage.Format.Format_RGB32)
    a = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.bytesPerLine())[:, :img.width() * 4]
    return a.reshape(img.height(), img.width(), 4)[:, :, :3].copy()


def _red_icon_pixels(a) -> int:
    """Pixels of the camera icon's dark red ring (#9a1c1c); the plain dot drawn for a
    missing icon has a white outline instead."""
    r, g, b = (a[:, :, k].astype(int) for k in (2, 1, 0))
    return int(np.sum((np.abs(r - 0x9a) < 14) & (np.abs(g - 0x1c) < 14) & (np.abs(b - 0x1c) < 14)))


def test_new_project_stores_icons_and_no_machine_path(tmp_path):
    path = _project(tmp_path / "a.gpkg")
    data = path.read_bytes()
    assert str(REPO).encode() not in data and str(tmp_path).encode() not in data
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT name, kind, data, used_by FROM smartgis_symbols ORDER BY name").fetchall()
    qml = conn.execute("SELECT styleQML FROM layer_styles WHERE f_table_name='design_camera'").fetchone()[0]
    conn.close()
    assert [(r[0], r[1]) for r in rows] == [("camera", "svg"), ("smart_pole", "svg")]
    assert rows[0][2] == (REPO / "resources/icons/camera.svg").read_text()
    assert "视频监控摄像机" in json.loads(rows[0][3])
    assert 'value="base64:' in qml          # QGIS draws the embedded SVG
    info = json.loads(run_cli("info", path, "--json").stdout)
    assert info["portable"] is True and info["external_references"] == []


def test_moved_project_draws_same_icons_without_resources(tmp_path):
    (tmp_path / "made").mkdir()
    src = _project(tmp_path / "made" / "a.gpkg")
    here = _render(src, tmp_path / "here.png", cwd=tmp_path / "made")
    assert _red_icon_pixels(here) > 40       # the camera is drawn as its icon, not as a dot

    other = tmp_path / "laptop"
    other.mkdir()
    shutil.copy(src, other / "moved.gpkg")
    shutil.rmtree(tmp_path / "made")
    env = {"SMARTGIS_RESOURCES": str(_resources_without_icons(tmp_path))}
    there = _render(other / "moved.gpkg", other / "there.png", cwd=other, env=env)
    assert np.array_equal(here, there)


def _make_old(path, icon_dir="/home/designer/smartgis/resources/icons"):
    """Rewrite a file as older SmartGIS wrote it: icons as absolute SVG paths of its machine."""
    conn = sqlite3.connect(path)
    for lid, d in conn.execute("SELECT layer_id, definition FROM smartgis_layers").fetchall():
        d = json.loads(d)
        if d.get("element_type"):
            d["style"]["symbol"]["icon"] = f"{icon_dir}/{d['element_type']}.svg"
            conn.execute("UPDATE smartgis_layers SET definition=? WHERE layer_id=?", (json.dumps(d), lid))
    conn.execute("DELETE FROM smartgis_symbols")
    conn.commit()
    conn.close()


def test_old_project_is_migrated_and_package_makes_it_portable(tmp_path):
    path = _project(tmp_path / "old.gpkg")
    _make_old(path)
    info = json.loads(run_cli("info", path, "--json").stdout)
    assert info["portable"] is False
    refs = {(r["kind"], r["reference"], r["found"]) for r in info["external_references"]}
    assert ("icon", "/home/designer/smartgis/resources/icons/camera.svg", True) in refs
    human = run_cli("info", path).stdout
    assert "not portable: 2 external reference(s)" in human and "camera.svg" in human

    p = open_project(path, read_only=True)     # migrated on open: the icons are drawn
    assert all(lyr.style.symbol.icon.startswith("base64:") for lyr in p.design.layers.values())
    assert len(external_references(p)) == 2     # ... but the file still holds the paths

    r = run_cli("package", path, "-o", tmp_path / "pkg.gpkg", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["portable"] is True and out["external_references"] == []
    assert b"/home/designer" not in (tmp_path / "pkg.gpkg").read_bytes()
    env = {"SMARTGIS_RESOURCES": str(_resources_without_icons(tmp_path))}
    lost = _render(path, tmp_path / "old.png", cwd=tmp_path, env=env)
    assert _red_icon_pixels(lost) == 0          # the old file elsewhere: a plain dot
    moved = _render(tmp_path / "pkg.gpkg", tmp_path / "pkg.png", cwd=tmp_path, env=env)
    assert _red_icon_pixels(moved) > 40


def test_raster_beside_the_file_is_referenced_relatively(tmp_path, shared_data):
    tifs = sorted(shared_data.rglob("*.tif"))
    if not tifs:
        pytest.skip("no GeoTIFF in the shared data")
    folder = tmp_path / "proj"
    (folder / "img").mkdir(parents=True)
    shutil.copy(tifs[0], folder / "img" / "ortho.tif")
    p = Project("r", "EPSG:4547")
    from smartgis.io import import_source
    import_source(p, folder / "img" / "ortho.tif")
    p.save(folder / "r.gpkg")
    assert str(tmp_path).encode() not in (folder / "r.gpkg").read_bytes()
    shutil.move(str(folder), str(tmp_path / "moved"))
    q = open_project(tmp_path / "moved" / "r.gpkg")
    lyr = [lyr for lyr in q.layers.values()][0]
    assert lyr.available and lyr.path.endswith("img/ortho.tif")
    refs = external_references(q)
    assert refs == [{"kind": "raster", "layer": lyr.name, "reference": "img/ortho.tif", "found": True}]


QGIS_SCRIPT = """
import sys, os
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from qgis.core import QgsApplication, QgsVectorLayer, QgsMapSettings, QgsMapRendererSequentialJob, QgsRectangle
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor
app = QgsApplication([], False); app.setPrefixPath("/usr", True); app.initQgis()
lyr = QgsVectorLayer(sys.argv[1] + "|layername=design_camera", "c", "ogr")
assert lyr.isValid() and lyr.renderer().symbol().symbolLayer(0).layerType() == "SvgMarker"
ms = QgsMapSettings(); ms.setLayers([lyr]); ms.setDestinationCrs(lyr.crs())
ms.setExtent(QgsRectangle(521500, 3381900, 521800, 3382100)); ms.setOutputSize(QSize(900, 600))
ms.setOutputDpi(288); ms.setBackgroundColor(QColor(255, 255, 255))
job = QgsMapRendererSequentialJob(ms); job.start(); job.waitForFinished()
job.renderedImage().save(sys.argv[2])
del lyr, job
app.exitQgis()
"""


def _has_qgis() -> bool:
    try:
        return subprocess.run(["/usr/bin/python3", "-c", "import qgis.core"], capture_output=True,
                              timeout=60).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _icon_crop(a, half=25):
    """The pixels round the one drawn symbol of an image."""
    ys, xs = np.nonzero(a.astype(int).sum(axis=2) < 740)
    cy, cx = (ys.min() + ys.max()) // 2, (xs.min() + xs.max()) // 2
    return a[cy - half:cy + half + 1, cx - half:cx + half + 1].astype(int)


@pytest.mark.skipif(not _has_qgis(), reason="QGIS Python bindings not installed (Debian: qgis python3-qgis)")
def test_qgis_draws_the_same_icon_as_smartgis(tmp_path):
    """QGIS and SmartGIS, on a machine without SmartGIS's icons, draw the same icon from the file."""
    (tmp_path / "made").mkdir()
    path = _project(tmp_path / "made" / "a.gpkg")
    moved = tmp_path / "elsewhere" / "a.gpkg"
    moved.parent.mkdir()
    shutil.move(str(path), str(moved))
    shutil.rmtree(tmp_path / "made")
    r = subprocess.run(["/usr/bin/python3", "-c", QGIS_SCRIPT, str(moved), str(tmp_path / "q.png")],
                       capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    from PySide6.QtGui import QImage
    img = QImage(str(tmp_path / "q.png")).convertToFormat(QImage.Format.Format_RGB32)
    a = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.bytesPerLine())[:, :img.width() * 4]
    qgis = a.reshape(img.height(), img.width(), 4)[:, :, :3].copy()
    assert _red_icon_pixels(qgis) > 40           # the red camera icon, not QGIS's "missing SVG" square
    env = {"SMARTGIS_RESOURCES": str(_resources_without_icons(tmp_path))}
    ours = _render(moved, tmp_path / "s.png", cwd=tmp_path, env=env, layers="design_camera")
    diff = np.abs(_icon_crop(qgis) - _icon_crop(ours))
    assert diff.mean() < 15 and (diff.max(axis=2) > 64).mean() < 0.12, (diff.mean(), (diff.max(axis=2) > 64).mean())
