"""``smartgis render``: the image, the --json object, the options and bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely

from smartgis.core import AttributeTable, Field, Project, VectorLayer
from smartgis.core.style import Symbol, VectorStyle

X0, Y0 = 500_000.0, 3_380_000.0


@pytest.fixture(scope="module")
def project_file(tmp_path_factory):
    p = Project("渲染测试", "EPSG:4547")
    rng = np.random.default_rng(5)
    x, y = X0 + rng.uniform(0, 2000, 500), Y0 + rng.uniform(0, 1000, 500)
    t = AttributeTable([Field("h", "float")], {"h": rng.uniform(3, 60, 500)})
    p.add_layer(VectorLayer("楼房", shapely.box(x, y, x + 15, y + 12), t, crs="EPSG:4547",
                            style=VectorStyle(symbol=Symbol(fill="#e6b37a", stroke="#8a6a48", stroke_width=0.2))))
    p.add_layer(VectorLayer("roads", [shapely.LineString([(X0, Y0 + 500), (X0 + 2000, Y0 + 500)])],
                            crs="EPSG:4547", style=VectorStyle.default_for("LineString")))
    return p.save(tmp_path_factory.mktemp("cli") / "town.gpkg")


def _json(r):
    lines = [ln for ln in r.stdout.splitlines() if ln.strip()]
    assert len(lines) == 1, r.stdout
    return json.loads(lines[0])


def test_render_json_keys_and_image(cli, project_file, tmp_path, qapp):
    out = tmp_path / "map.png"
    r = cli("render", project_file, "-o", out, "--size", "320x200", "--json", "--scale-bar", "--north-arrow")
    assert r.returncode == 0, r.stderr
    info = _json(r)
    assert {"render_s", "features_drawn", "width", "height"} <= set(info)
    assert info["width"] == 320 and info["height"] == 200 and info["features_drawn"] == 501
    assert isinstance(info["render_s"], float) and info["render_s"] > 0
    assert info["errors"] == {}
    from PySide6.QtGui import QImage
    img = QImage(str(out))
    assert (img.width(), img.height()) == (320, 200)


def test_render_extent_is_widened_and_layers_are_chosen(cli, project_file, tmp_path):
    out = tmp_path / "part.png"
    r = cli("render", project_file, "-o", out, "--size", "400x100", "--extent",
            f"{X0},{Y0},{X0 + 500},{Y0 + 500}", "--layers", "roads", "--json")
    assert r.returncode == 0, r.stderr
    info = _json(r)
    x0, y0, x1, y1 = info["extent"]
    assert (x1 - x0) / (y1 - y0) == pytest.approx(4.0, rel=1e-6)
    assert (x0 + x1) / 2 == pytest.approx(X0 + 250) and y1 - y0 == pytest.approx(500)
    assert info["features_drawn"] == 1


def test_render_text_output_and_pdf(cli, project_file, tmp_path):
    out = tmp_path / "map.pdf"
    r = cli("render", project_file, "-o", out, "--size", "600x400")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("rendered ") and " s" in r.stdout
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("args, words", [
    (["--size", "12x"], "--size"),
    (["--extent", "1,2,3"], "--extent"),
    (["--extent", "5,5,1,1"], "--extent"),
    (["--layers", "nope"], "no layer 'nope'"),
    (["-o", "/no/such/folder/map.png"], "does not exist"),
    (["-o", "map.xyz"], "unknown output type"),
])
def test_render_bad_input_gives_one_line_and_exit_2(cli, project_file, tmp_path, args, words):
    base = ["render", project_file, "-o", tmp_path / "x.png"]
    if "-o" in args:
        base = ["render", project_file]
    r = cli(*base, *args, cwd=tmp_path)
    assert r.returncode == 2
    err = r.stderr.strip().splitlines()
    assert len(err) == 1 and words in err[0] and "Traceback" not in r.stderr


def test_render_missing_project(cli, tmp_path):
    r = cli("render", tmp_path / "none.gpkg", "-o", tmp_path / "x.png")
    assert r.returncode == 2 and "no such project file" in r.stderr


def test_render_real_geopackage_reports_a_layer_it_cannot_draw(cli, shared_data, tmp_path):
    """Prague quarter (EPSG:3857) with a DTM in a local Krovak grid: the vectors draw, the
    DTM is reported, and the command still succeeds."""
    out = tmp_path / "prague.png"
    r = cli("render", shared_data / "prague-urban" / "bubenec.gpkg", "-o", out, "--size", "480x320", "--json")
    assert r.returncode == 0, r.stderr
    info = _json(r)
    assert info["features_drawn"] == 144 + 144 + 35 + 407
    assert list(info["errors"]) == ["dtm"] and "CRS" in info["errors"]["dtm"]
    assert "dtm" in r.stderr and out.exists()
