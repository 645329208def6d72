"""The Plan dock in the real window: the sample's plan, the phase slider hiding what is
not built yet, adding a phase and a project, assigning the selection, the element form."""

from __future__ import annotations


import numpy as np
import pytest

pytest.importorskip("pytestqt")
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

pytestmark = pytest.mark.gui


def test_plan_dock_shows_the_sample_plan_and_the_city_by_phase(qtbot, window, sample_copy, tmp_path):
    assert window.open_project(sample_copy, ask=False)
    feature = window.plan_feature
    panel = feature.panel
    assert feature.dock.isVisible()
    top = [panel.tree.topLevelItem(i).text(0).split()[0] for i in range(panel.tree.topLevelItemCount())]
    assert top == ["近期", "中期", "远期"]
    assert "113,413.5" in panel.summary.text()
    cams = window.project.design.layers["camera"]
    poles = window.project.design.layers["smart_pole"]
    panel.show_phase(0)                                 # after 近期: cameras built, poles (中期) not yet
    assert poles.hidden_rows is not None and poles.hidden_rows.all()
    assert cams.hidden_rows is None or not cams.hidden_rows.any()
    panel.show_phase(-1)                                # today: only existing elements
    metro = window.project.design.layers["metro_station"]
    assert metro.hidden_rows is None or not metro.hidden_rows.any()
    assert cams.hidden_rows.all()
    panel.show_phase(2)                                 # the complete design: nothing hidden
    assert all(lyr.hidden_rows is None for lyr in window.project.design.layers.values())
    panel.tabs.setCurrentIndex(1)
    assert panel.arch_label.pixmap() is not None and not panel.arch_label.pixmap().isNull()
    window.grab().save(str(tmp_path / "plan.png"))


def test_add_phase_and_project_then_assign_the_selection(qtbot, window, sample_copy):
    assert window.open_project(sample_copy, ask=False)
    panel = window.plan_feature.panel
    plan = panel.plan

    def fill_phase(d):
        d.name_edit.setText("后期")
        d.years_edit.setText("2036-2040")
        QTimer.singleShot(0, d.accept)
    panel.add_phase(dialog_hook=fill_phase)
    assert plan.phase_names()[-1] == "后期"

    def fill_project(d):
        d.id_edit.setText("P99")
        d.name_edit.setText("智慧停车")
        d.phase_box.setCurrentText("后期")
        d.lead_edit.setText("交通运输局")
        QTimer.singleShot(0, d.accept)
    panel.add_project(dialog_hook=fill_project)
    assert plan.projects["P99"].lead == "交通运输局"
    cams = window.project.design.layers["camera"]
    cams.select(np.arange(3))
    panel.select_project("P99")
    assert panel.assign_button.isEnabled()
    assert panel.assign_selection() == 3
    uids = list(np.asarray(cams.table.column("uid"))[:3])
    assert all(plan.assignments[u] == "P99" for u in uids)
    item = panel.tree.currentItem()
    # element types are named in the window's language (whatever an earlier test set)
    camera = window.project.catalog.get("camera").label(panel.lang)
    assert item.data(0, Qt_role()) == "P99" and camera in item.child(0).text(0)
    assert window.project.is_modified
    window.save_project()
    from smartgis.plan import plan_of
    from smartgis.project import open_project
    again = plan_of(open_project(sample_copy, read_only=True))
    assert again.assignments[uids[0]] == "P99"


def Qt_role():
    from smartgis.ui.plan_panel import PROJECT_ROLE
    return PROJECT_ROLE


def test_element_form_moves_an_element_to_another_project(qtbot, window, sample_copy):
    from smartgis.ui.maptools.design.actions import edit_attributes
    assert window.open_project(sample_copy, ask=False)
    plan = window.plan_feature.panel.plan
    uid = window.project.design.layers["camera"].table.column("uid")[0]
    assert plan.assignments[uid] == "P01"

    def hook(form):
        from PySide6.QtWidgets import QLabel
        assert form.findChild(QLabel, "plan_phase").text() == "近期"
        form.project_box.setCurrentIndex(form.project_box.findData("P03"))
        QTimer.singleShot(0, form.accept)
    assert edit_attributes(window, [uid], form_hook=hook) == 1
    assert plan.assignments[uid] == "P03"
    assert window.project.is_modified
    window.save_project()
    QApplication.processEvents()


def test_check_panel_checks_each_phase(qtbot, window, sample_copy, tmp_path):
    assert window.open_project(sample_copy, ask=False)
    table = window.plan_feature.phase_table
    assert table is not None and not table.isHidden()
    window.check_feature.dock.setVisible(True)
    table.button.click()
    qtbot.waitUntil(lambda: len(table.rows) == 3, timeout=120_000)
    assert [table.table.item(i, 0).text() for i in range(3)] == ["近期", "中期", "远期"]
    passed = [r.passed for r in table.rows]
    assert passed == sorted(passed)
    assert table.table.item(2, 5).text().endswith("%")
    window.grab().save(str(tmp_path / "check_phases.png"))


def test_plan_names_follow_the_window_language(qtbot, window, sample_copy):
    # architecture layers are SmartGIS's names: shown in the window's language; the
    # plan's pictures preview the deliverables, written in the project's language
    from smartgis.plan import LAYERS, layer_label
    app = QApplication.instance()
    old = app.property("smartgis_language")
    app.setProperty("smartgis_language", "en")
    try:
        assert window.open_project(sample_copy, ask=False)
        panel = window.plan_feature.panel
        shown = set()
        for i in range(panel.tree.topLevelItemCount()):
            phase = panel.tree.topLevelItem(i)
            shown |= {phase.child(k).text(1) for k in range(phase.childCount())}
        english = {layer_label(k, "en") for k in LAYERS}
        assert shown and shown <= english, shown
        assert not shown & {layer_label(k, "zh") for k in LAYERS}
        assert panel.doc_lang == window.project.language == "zh"
    finally:
        app.setProperty("smartgis_language", old)
