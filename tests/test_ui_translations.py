"""Two languages: every translatable string of the window has a Chinese translation,
the shipped .ts/.qm match the JSON files, and the Chinese interface loads."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from conftest import REPO


@pytest.fixture(scope="module")
def build():
    spec = importlib.util.spec_from_file_location("build_translations", REPO / "tools" / "build_translations.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["build_translations"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_scanner_finds_tr_translate_and_forwarding_helpers(build, tmp_path):
    src = tmp_path / "x.py"
    src.write_text(
        "from PySide6.QtCore import QCoreApplication\n"
        "def _tr(text):\n    return QCoreApplication.translate('Helpers', text)\n"
        "class Panel:\n"
        "    def build(self):\n        self.tr('Open')\n        self.tr(variable)\n"
        "        QCoreApplication.translate('Other', 'Close')\n        _tr('Save')\n"
        "tr = lambda s: QCoreApplication.translate('Roles', s)\n"
        "names = [tr('Roads')]\n", encoding="utf-8")
    found = {(m.context, m.source) for m in build.scan([src])}
    assert found == {("Panel", "Open"), ("Other", "Close"), ("Helpers", "Save"), ("Roles", "Roads")}


def test_every_window_string_has_a_chinese_translation(build):
    merged = build.merge()
    messages = build.scan()
    assert len(messages) > 300
    missing = build.missing(merged, messages)
    listing = "\n".join(f"{m.file}:{m.line} [{m.context}] {m.source!r}" for m in missing[:40])
    assert not missing, f"{len(missing)} strings without a Chinese translation:\n{listing}"


def test_shipped_ts_and_qm_are_built_from_the_json(build, tmp_path):
    merged = build.merge()
    fresh = build.write_ts(merged, tmp_path / "fresh.ts")
    assert build.TS_PATH.read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8"), \
        "run: python tools/build_translations.py"
    qm = build.compile_qm(fresh, tmp_path / "fresh.qm")
    assert qm.stat().st_size > 1000 and build.QM_PATH.exists()


def test_conflicting_translations_are_refused(build, tmp_path):
    (tmp_path / "a.json").write_text('{"MainWindow": {"Save": "保存"}}', encoding="utf-8")
    (tmp_path / "b.json").write_text('{"MainWindow": {"Save": "存储"}}', encoding="utf-8")
    with pytest.raises(build.TranslationError, match="conflicting"):
        build.merge(tmp_path)


@pytest.mark.gui
def test_qm_translates_the_window(qapp):
    from PySide6.QtCore import QTranslator
    from smartgis.ui import i18n
    t = QTranslator()
    assert t.load(str(i18n.qm_path()))
    assert t.translate("MainWindow", "Zoom &full") == "全图显示(&F)"
    assert t.translate("CrsChooser", "Xian 1980") == "西安80"
    assert t.translate("MainWindow", "no such source") in ("", None)
