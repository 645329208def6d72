"""The export dialog offers the sheet themes, phases and the drawing set, with a preview."""

from __future__ import annotations

import shutil
import subprocess

import pytest

pytest.importorskip("pytestqt")

pytestmark = pytest.mark.gui


def test_export_dialog_themes_phase_and_set(qtbot, main_window, sample_copy, tmp_path):
    from smartgis.ui.dialogs.export_sheet import ExportSheetDialog
    assert main_window.open_project(sample_copy, ask=False)
    dlg = ExportSheetDialog(main_window)
    qtbot.addWidget(dlg)
    labels = [dlg.theme.itemText(i) for i in range(dlg.theme.count())]
    assert "视频监控布局图" in labels and "分期建设图" in labels
    assert [dlg.phase.itemData(i) for i in range(dlg.phase.count())] == [None, "近期", "中期", "远期"]
    before = dlg.preview.pixmap().toImage()
    dlg.theme.setCurrentIndex(dlg.theme.findData("video_surveillance"))
    dlg.phase.setCurrentIndex(dlg.phase.findData("近期"))
    assert dlg.title.text() == "视频监控布局图（近期）"
    sheet = dlg.sheet()
    names = {lyr.name for lyr in sheet.layers}
    assert "视频监控摄像机" in names and "小学" not in names and "检查缺口" not in names
    assert dlg.preview.pixmap().toImage() != before          # the preview follows the theme
    dlg.gaps.setChecked(True)
    assert "检查缺口" in {lyr.name for lyr in dlg.sheet().layers}
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.grab().save(str(tmp_path / "export_dialog.png"))
    assert (tmp_path / "export_dialog.png").stat().st_size > 10_000

    dlg.whole_set.setChecked(True)
    dlg.gaps.setChecked(False)
    dlg.phase.setCurrentIndex(0)
    dlg.pdf_path.setText(str(tmp_path / "set.pdf"))
    dlg.dpi.setValue(60)
    dlg._accept()
    qtbot.waitUntil(lambda: (tmp_path / "set.pdf").exists(), timeout=120000)
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(tmp_path / "set.pdf")], capture_output=True, text=True).stdout
        pages = int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))
        assert pages >= 9                                    # cover, list and at least 7 sheets
