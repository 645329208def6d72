"""The deliverables read back: the Word document with python-docx, the workbook with
openpyxl; and the check of the city phase by phase."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_projects" / "longquan_lake.gpkg"

CHAPTERS = ["1 现状评估", "2 需求分析", "3 总体目标", "4 总体架构", "5 重点项目", "6 实施路径", "7 投资估算", "8 保障措施"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    if not SAMPLE.exists():
        pytest.skip("the sample project is missing (python tools/build_samples.py)")
    folder = tmp_path_factory.mktemp("report")
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    shutil.copytree(SAMPLE.parent / "longquan_lake", folder / "longquan_lake")
    import smartgis.plan  # noqa: F401
    from smartgis.project import open_project
    return open_project(folder / SAMPLE.name, read_only=True)


@pytest.fixture(scope="module")
def deliverable(sample):
    from smartgis.render.plan_report import make_deliverable
    return make_deliverable(sample)


@pytest.fixture(scope="module")
def files(deliverable, tmp_path_factory):
    from smartgis.plan.report_docx import write_docx
    from smartgis.plan.report_xlsx import write_xlsx
    out = tmp_path_factory.mktemp("out")
    return write_docx(deliverable, out / "设计.docx"), write_xlsx(deliverable, out / "设计.xlsx")


def test_word_document_has_the_chapters_tables_and_pictures(files, deliverable):
    import docx
    doc = docx.Document(str(files[0]))
    heads = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert [h for h in heads if h in CHAPTERS] == CHAPTERS
    inv = deliverable.investment
    # one table per key project, read back field by field
    tables = {t.rows[1].cells[1].text: t for t in doc.tables
              if t.rows[0].cells[0].text == "项目" and t.rows[1].cells[0].text == "项目编号"}
    assert set(tables) == {pc.project.id for pc in inv.projects}
    for pc in inv.projects:
        fields = {r.cells[0].text: r.cells[1].text for r in tables[pc.project.id].rows}
        assert fields["项目名称"] == pc.project.name and fields["牵头单位"] == pc.project.lead
        assert fields["建设期次"] == pc.project.phase
        assert float(fields["投资估算（万元）"].replace(",", "")) == pytest.approx(pc.investment_cny / 1e4, abs=0.01)
    # the investment by phase adds up to the total row
    by_phase = next(t for t in doc.tables if t.rows[0].cells[0].text == "阶段" and len(t.columns) == 2)
    values = [float(r.cells[1].text.replace(",", "")) for r in by_phase.rows[1:]]
    assert by_phase.rows[-1].cells[0].text == "合计"
    assert sum(values[:-1]) == pytest.approx(values[-1], abs=0.05)
    assert values[-1] == pytest.approx(inv.total_cny / 1e4, abs=0.01)
    # architecture, timeline, design map, check map
    pics = [r for r in doc.part.rels.values() if "image" in r.reltype]
    assert len(pics) == 4


def test_workbook_sheets_and_formulas(files, deliverable):
    import openpyxl
    wb = openpyxl.load_workbook(str(files[1]))
    assert wb.sheetnames == ["项目表", "投资估算", "设备清单", "指标对照"]
    inv = deliverable.investment
    ws = wb["项目表"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    body, total = rows[:-1], rows[-1]
    assert [r[0] for r in body] == [pc.project.id for pc in inv.projects]
    for r, pc in zip(body, inv.projects):
        assert r[9] + r[10] == pytest.approx(pc.investment_cny / 1e4, abs=0.011)
        assert str(r[11]).startswith("=J")
    assert total[0] == "合计" and total[11] == f"=SUM(L2:L{len(body) + 1})"
    inv_ws = wb["投资估算"]
    formulas = [c.value for row in inv_ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert any(f.startswith("=SUMIFS('项目表'!") for f in formulas) and any(f.startswith("=SUM(") for f in formulas)
    bill = wb["设备清单"]
    brows = list(bill.iter_rows(min_row=2, values_only=True))
    assert brows[-1][0] == "合计" and brows[-1][8].startswith("=SUM(I2:")
    # the bill of quantities (Excel's formulas computed here) adds up to the element investment
    got = 0.0
    for r in brows[:-1]:
        got += r[5] * r[7] / 1e4 if isinstance(r[8], str) else r[8]
    assert got == pytest.approx(sum(pc.elements_cny for pc in inv.projects) / 1e4, rel=1e-6)
    assert {r[0] for r in brows[:-1]} <= set(deliverable.plan.phase_names())
    ind = list(wb["指标对照"].iter_rows(min_row=1, values_only=True))
    assert ind[0][:6] == ("指标编号", "指标", "依据", "单位", "要求", "现状") and len(ind) > 5


def test_the_city_gets_better_phase_by_phase(sample):
    from smartgis.analysis.check import run_check
    from smartgis.plan import plan_of
    from smartgis.plan.phasecheck import phase_table
    plan = plan_of(sample)
    rows = phase_table(sample, plan, lambda keep: run_check(sample, keep=keep))
    assert [r.phase for r in rows] == ["近期", "中期", "远期"]
    assert [r.elements for r in rows] == sorted(r.elements for r in rows)
    assert [r.passed for r in rows] == sorted(r.passed for r in rows)
    pct = [r.compliance_pct for r in rows]
    assert pct == sorted(pct) and 0 < pct[0] < pct[-1] <= 100
    for a, b in zip(rows, rows[1:]):     # no element type covers less after a later phase
        for tid, v in a.type_coverage.items():
            assert b.type_coverage.get(tid, 0.0) >= v - 1e-6, tid
