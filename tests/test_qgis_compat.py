"""QGIS opens SmartGIS project files as normal layers and draws them with SmartGIS's styles.

Runs only where QGIS's Python bindings are installed (Debian: qgis, python3-qgis);
elsewhere it is skipped with that reason.
"""

from __future__ import annotations

import json
import subprocess
import textwrap

import pytest

from smartgis.core.style import Category, LabelStyle, Symbol, VectorStyle
from tests.helpers import sample_project

QGIS_SCRIPT = textwrap.dedent("""
    import json, os, sys
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import (QgsApplication, QgsVectorLayer, QgsMapSettings, QgsMapRendererSequentialJob)
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor
    app = QgsApplication([], False); app.setPrefixPath("/usr", True); app.initQgis()
    out = {}
    for t in sys.argv[2:]:
        lyr = QgsVectorLayer(f"{sys.argv[1]}|layername={t}", t, "ogr")
        ms = QgsMapSettings(); ms.setLayers([lyr]); ms.setDestinationCrs(lyr.crs())
        e = lyr.extent(); e.grow(20); ms.setExtent(e); ms.setOutputSize(QSize(300, 300))
        ms.setBackgroundColor(QColor(255, 255, 255))
        job = QgsMapRendererSequentialJob(ms); job.start(); job.waitForFinished()
        img = job.renderedImage()
        colours = {img.pixel(x, y) & 0xFFFFFF for x in range(0, 300, 2) for y in range(0, 300, 2)}
        out[t] = {"valid": lyr.isValid(), "count": lyr.featureCount(), "crs": lyr.crs().authid(),
                  "renderer": lyr.renderer().type(), "labels": lyr.labelsEnabled(),
                  "colours": sorted(colours)}
        del lyr, job
    app.exitQgis()
    print(json.dumps(out))
""")


def _has_qgis() -> bool:
    try:
        r = subprocess.run(["/usr/bin/python3", "-c", "import qgis.core"], capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return r.returncode == 0


@pytest.mark.skipif(not _has_qgis(), reason="QGIS Python bindings not installed (Debian: qgis python3-qgis)")
def test_qgis_reads_layers_and_styles(tmp_path):
    path = tmp_path / "qgis.gpkg"
    p = sample_project()
    p.layer("建筑物").style = VectorStyle(
        renderer="categorized", field="公共",
        categories=[Category(True, Symbol(fill="#ff0000"), "公共"), Category(False, Symbol(fill="#00aa00"), "其他")],
        labels=LabelStyle(field="名称", enabled=True))
    p.save(path)
    r = subprocess.run(["/usr/bin/python3", "-c", QGIS_SCRIPT, str(path), "建筑物", "design_camera"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    b = out["建筑物"]
    assert b["valid"] and b["count"] == 100 and b["crs"] == "EPSG:4547"
    assert b["renderer"] == "categorizedSymbol" and b["labels"]
    assert 0xFF0000 in b["colours"] and 0x00AA00 in b["colours"]   # both categories drawn in their colours
    assert out["design_camera"]["valid"] and out["design_camera"]["count"] == 1
