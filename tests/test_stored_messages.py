"""One message catalogue: check results kept as template and values, old files still
read (their text matched against the catalogue), and the words of reports and map
sheets translated like every other message."""

from __future__ import annotations

import json
import re
import sqlite3

import numpy as np
import pytest
from conftest import copy_sample

from smartgis.i18n import Bilingual, Joined, Matched, Message, _, from_data, join, localize, to_data
from smartgis.project import open_project

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_messages_survive_json():
    msg = _("{share} % of the {scope} reached within {limit} min", share="28.2", limit=np.int64(5),
            scope=join([_("built-up area"), Bilingual({"en": "Fire station", "zh": "消防站"})]))
    back = from_data(json.loads(json.dumps(to_data(msg))))
    assert isinstance(back, Message) and isinstance(back.values["scope"], Joined)
    assert str(back) == str(msg) == "28.2 % of the built-up area, Fire station reached within 5 min"
    assert localize(back, "zh") == localize(msg, "zh")
    assert CJK.search(localize(back, "zh"))
    assert from_data(to_data("plain text")) == "plain text"
    assert isinstance(from_data(to_data(Matched("no road"))), Matched)


def test_a_run_written_before_templates_were_stored_still_reads(tmp_path):
    """The sample project's stored run predates the templates: its text is matched."""
    from smartgis.analysis.runs import RESULTS_TABLE, stored_result
    path = copy_sample(tmp_path)
    with sqlite3.connect(path) as conn:
        cols = {r[1] for r in conn.execute(f"PRAGMA table_info({RESULTS_TABLE})")}
        if "messages" in cols:
            conn.execute(f"UPDATE {RESULTS_TABLE} SET messages = NULL")
    result = stored_result(open_project(path, read_only=True))
    texts = [r.reason for r in result.rules if r.reason] + [d for r in result.rules for d in r.details]
    assert texts and all(type(t) is Matched for t in texts)
    # matched against the catalogue: most of them come out in Chinese
    zh = [localize(t, "zh") for t in texts]
    assert sum(bool(CJK.search(z)) for z in zh) > 0.8 * len(zh)


def test_a_new_run_keeps_template_and_values(tmp_path):
    from smartgis.analysis import run_check
    from smartgis.analysis.runs import RESULTS_TABLE, RUNS_TABLE, save_run, stored_result
    path = copy_sample(tmp_path)
    p = open_project(path)
    live = run_check(p, ["GB51080-2015", "GB50180-2018"])
    save_run(p, live)
    p.save()
    stored = stored_result(open_project(path, read_only=True))
    pairs = []
    for a, b in zip(live.rules, stored.rules):
        assert a.rule.id == b.rule.id
        pairs += [(a.reason, b.reason)] if a.reason else []
        pairs += list(zip(a.details, b.details))
    assert len(pairs) > 5
    for a, b in pairs:
        assert isinstance(b, Message) and b.template == a.template
        assert str(b) == str(a)                              # the English text is the same
        assert localize(b, "zh") == localize(a, "zh")        # shown in Chinese straight from the template
    # the columns other readers know keep their shapes: English text, a JSON list of strings
    with sqlite3.connect(path) as conn:
        row = conn.execute(f"SELECT reason, details, messages FROM {RESULTS_TABLE} WHERE run_id = ? "
                           "AND details != '[]' LIMIT 1", (live.run_id,)).fetchone()
        assert all(isinstance(d, str) for d in json.loads(row[1]))
        assert json.loads(row[2])["details"][0]["template"]
        runs = conn.execute(f"SELECT COUNT(*) FROM {RUNS_TABLE}").fetchone()[0]
    assert runs >= 2   # the old run is kept beside the new one


def test_cli_check_json_keeps_its_shape(tmp_path, cli):
    path = copy_sample(tmp_path)
    r = cli("check", path, "--standard", "GB51080-2015", "--json")
    assert r.returncode in (0, 1), r.stderr     # 1: a rule fails
    out = json.loads(r.stdout)
    rule = out["rules"][0]
    assert set(rule) == {"id", "standard", "clause", "status", "value", "threshold", "unit", "severity",
                         "verified"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_and_sheet_words_come_from_the_catalogue(lang, tmp_path):
    from smartgis.analysis.report_html import html_report, unit_text
    from smartgis.analysis.runs import stored_result
    from smartgis.render.mapsheet import sheet_words
    p = open_project(copy_sample(tmp_path), read_only=True)
    html = html_report(stored_result(p), p, lang)
    words = sheet_words(lang)
    if lang == "en":
        assert "Smart-city design: standards compliance report" in html and "Results rule by rule" in html
        assert unit_text("× allowed", "en") == "× allowed" and unit_text("per km²", "en") == "per km²"
        assert words["legend"] == "Legend" and words["default_title"] == "Smart-city facilities plan"
        assert not any(CJK.search(w) for w in words.values())
    else:
        assert "智慧城市顶层设计标准符合性检查报告" in html and "逐条检查结果" in html
        assert unit_text("× allowed", "zh") == "×允许值"
        assert words["legend"] == "图例" and words["scale"] == "比例"


@pytest.mark.gui
def test_the_check_panel_shows_units_in_its_language(qtbot, tmp_path):
    """CJJ 45's spacing rule is measured in "× allowed": English in the English panel,
    允许值 only in the Chinese one."""
    from PySide6.QtWidgets import QTreeWidgetItemIterator
    from smartgis.analysis import run_check
    from smartgis.ui.check_panel import CheckPanel
    p = open_project(copy_sample(tmp_path), read_only=True)
    result = run_check(p, ["CJJ45"])
    for lang, unit in (("en", "× allowed"), ("zh", "×允许值")):
        panel = CheckPanel()
        qtbot.addWidget(panel)
        panel.hide_na.setChecked(False)
        panel.set_result(result, lang)
        texts = []
        it = QTreeWidgetItemIterator(panel.tree)
        while it.value():
            texts += [it.value().text(c) for c in range(it.value().columnCount())]
            it += 1
        shown = [t for t in texts if "≤ 1.00" in t]
        assert shown and all(t.endswith(unit) for t in shown), shown
