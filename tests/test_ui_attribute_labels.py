"""The attribute table of a design layer speaks the interface language: column titles from
the catalog (with units), values of enumerations by their labels."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")
pytestmark = pytest.mark.gui

SAMPLE = Path(__file__).resolve().parents[1] / "sample_projects/longquan_lake.gpkg"


@pytest.mark.parametrize("lang,fov,status,planned,uid", [
    ("zh", "视场角(°)", "状态", "规划", "元素编号"),
    ("en", "Field of view (°)", "Status", "Planned", "Element id")])
def test_design_layer_columns_and_values_in_the_interface_language(main_window, qapp, tmp_path, lang, fov, status,
                                                                   planned, uid):
    from PySide6.QtCore import Qt
    from smartgis.ui.i18n import install_translator
    path = tmp_path / "样例.gpkg"
    shutil.copyfile(SAMPLE, path)
    install_translator(qapp, lang)
    try:
        assert main_window.open_project(path)
        cams = main_window.project.design.layers["camera"]     # read back from the file: column names only
        main_window.open_attribute_table(cams)
        m = main_window.table_dock.model
        titles = [m.headerData(c, Qt.Horizontal) for c in range(m.columnCount())]
        names = [f.name for f in m.fields]
        assert titles[names.index("fov_deg")] == fov
        assert titles[names.index("status")] == status and titles[names.index("uid")] == uid
        col = names.index("status")
        shown = {m.index(r, col).data() for r in range(m.rowCount())}
        assert planned in shown and "planned" not in shown
        assert m.index(0, col).data(Qt.EditRole) == "planned"             # the stored value
        main_window.table_dock.grab().save(str(tmp_path / f"attribute_table_{lang}.png"))
    finally:
        install_translator(qapp, "en")
