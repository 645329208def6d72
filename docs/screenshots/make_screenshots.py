#!/usr/bin/env python3
"""Make the window screenshots of the README from real projects (offscreen).

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/make_screenshots.py

* ``main-window.png`` — the benchmark city (``benchmarks/data/city_bench.gpkg``, made by
  ``../shared/bench/gen_city.py``: 1,000,000 buildings, roads, sensors, EPSG:4547),
  buildings categorized by use, roads by class, the attribute table filtered.
* ``sample-project-zh.png`` — the sample project (``sample_projects/longquan_lake.gpkg``) in the
  Chinese interface, with the standards check panel showing the gaps of a failed rule.
* ``main-window-zh.png`` — the Prague quarter of ``../shared/data/prague-urban/bubenec.gpkg``
  in the Chinese interface.

Both projects are copies in a temporary folder; the sources are never changed.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CITY = REPO / "benchmarks" / "data" / "city_bench.gpkg"
SAMPLE = REPO / "sample_projects" / "longquan_lake.gpkg"
BUBENEC = Path(os.environ.get("SMARTGIS_TEST_DATA") or REPO.parent / "shared" / "data") / "prague-urban" / "bubenec.gpkg"


def _style_city(win) -> None:
    from smartgis.core.style import Symbol
    from smartgis.ui.dialogs import classify
    from smartgis.ui.dialogs.layer_properties import apply_layer_changes
    p = win.project
    b = p.layer("buildings")
    st = b.style.copy()
    st.renderer, st.field = "categorized", "use"
    base = Symbol(fill="#cccccc", stroke="#6b6b6b", stroke_width=0.1)
    st.categories = classify.categorized(b.table.column("use"), base, "Set3")
    apply_layer_changes(p, b, style=st)
    r = p.layer("roads")
    st = r.style.copy()
    st.renderer, st.field = "categorized", "class"
    widths = {"primary": 1.1, "secondary": 0.7, "residential": 0.35}
    colors = {"primary": "#d9534f", "secondary": "#f0ad4e", "residential": "#8a8a8a"}
    cats = classify.categorized(r.table.column("class"), Symbol(fill="#00000000", stroke="#808080"))
    for c in cats:
        c.symbol.stroke = colors.get(c.value, "#808080")
        c.symbol.stroke_width = widths.get(c.value, 0.3)
    st.categories = cats
    apply_layer_changes(p, r, style=st)
    s = p.layer("sensors")
    st = s.style.copy()
    st.symbol = Symbol(fill="#2c7fb8", stroke="#ffffff", stroke_width=0.2, marker="circle", size=2.2)
    apply_layer_changes(p, s, style=st)


def _wait(app, win, seconds=120):
    app.processEvents()
    win.canvas.wait_for_render(seconds)
    app.processEvents()


def city_screenshot(app, out: Path) -> None:
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    from smartgis.ui.main_window import MainWindow
    tmp = Path(tempfile.mkdtemp())
    path = tmp / "光谷新城_顶层设计.gpkg"
    os.link(CITY, path) if os.stat(CITY).st_dev == os.stat(tmp).st_dev else shutil.copy(CITY, path)
    win = MainWindow()
    win.resize(1600, 1000)
    win.show()
    win.open_project(path)
    win.project.set_metadata(name="光谷新城 智慧城市顶层设计")
    _style_city(win)
    win.resizeDocks([win.table_dock], [250], Qt.Vertical)
    win.canvas.set_extent((519_600, 3_380_900, 523_600, 3_383_300))
    _wait(app, win)
    b = win.project.layer("buildings")
    win.set_current_layer(b)
    win.open_attribute_table(b)
    dock = win.table_dock
    while win.tasks.busy:
        app.processEvents()
    dock.mode.setCurrentIndex(dock.mode.findData("expression"))
    dock.filter.setText("use = 'public' AND floors >= 12")
    dock.apply_filter()
    while win.tasks.busy:
        app.processEvents()
    dock.view.sortByColumn(2, Qt.DescendingOrder)
    while win.tasks.busy:
        app.processEvents()
    dock.view.selectRow(0)
    _wait(app, win)
    c = win.canvas
    QTest.mouseMove(c, QPoint(int(c.width() * 0.62), int(c.height() * 0.4)))
    _wait(app, win)
    win.statusBar().clearMessage()
    win.grab().save(str(out))
    win.project.read_only = True   # a screenshot, not an edit: close without asking
    win.close()
    shutil.rmtree(tmp, ignore_errors=True)


def bubenec_screenshot(app, out: Path) -> None:
    from PySide6.QtCore import QPoint
    from PySide6.QtTest import QTest
    from smartgis.core.style import Symbol
    from smartgis.ui.app import create_app
    from smartgis.ui.dialogs.layer_properties import apply_layer_changes
    from smartgis.ui.main_window import MainWindow
    create_app("zh")
    tmp = Path(tempfile.mkdtemp())
    path = tmp / "bubenec.gpkg"
    shutil.copy(BUBENEC, path)
    win = MainWindow()
    win.resize(1400, 900)
    win.show()
    win.open_project(path)
    p = win.project
    p.tree.node_for(p.layer("tessellation").id).visible = False
    plots = p.layer("plots")
    st = plots.style.copy()
    st.symbol = Symbol(fill="#dcebc8", stroke="#9bb58a", stroke_width=0.2)
    apply_layer_changes(p, plots, style=st)
    bld = p.layer("buildings")
    st = bld.style.copy()
    st.symbol = Symbol(fill="#e8a86b", stroke="#8a5a2b", stroke_width=0.2)
    st.labels.enabled, st.labels.field = True, "uID"
    apply_layer_changes(p, bld, style=st)
    win.set_current_layer(bld)
    win.open_attribute_table(bld)
    bld.select([3, 4, 5, 40])
    _wait(app, win)
    c = win.canvas
    QTest.mouseMove(c, QPoint(int(c.width() * 0.5), int(c.height() * 0.45)))
    _wait(app, win)
    win.statusBar().clearMessage()
    win.grab().save(str(out))
    win.project.read_only = True
    win.close()
    shutil.rmtree(tmp, ignore_errors=True)
    create_app("en")


def sample_screenshot(app, out: Path) -> None:
    from PySide6.QtWidgets import QDockWidget
    from smartgis.ui.app import create_app
    from smartgis.ui.main_window import MainWindow
    create_app("zh")
    tmp = Path(tempfile.mkdtemp())
    shutil.copytree(SAMPLE.parent, tmp / "sample")
    path = tmp / "sample" / SAMPLE.name
    win = MainWindow()
    win.resize(1600, 1000)
    win.show()
    win.open_project(path)
    dock = win.findChild(QDockWidget, "check_dock")
    others = [d for d in win.findChildren(QDockWidget) if d is not dock and d.isVisible()
              and win.dockWidgetArea(d) == win.dockWidgetArea(dock)]
    if others:
        win.tabifyDockWidget(others[0], dock)
    dock.setVisible(True)
    dock.raise_()
    panel = dock.widget()
    result = panel.current_result()
    failed = [r for r in result.rules if r.status == "fail" and r.gaps is not None] if result else []
    if failed:
        panel.select_rule(failed[0].rule.id)
    _wait(app, win)
    win.statusBar().clearMessage()
    win.grab().save(str(out))
    win.project.read_only = True
    win.close()
    shutil.rmtree(tmp, ignore_errors=True)
    create_app("en")


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(REPO))
    from PySide6.QtCore import QSettings
    settings = Path(tempfile.mkdtemp())
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(settings))
    from smartgis.ui.app import create_app
    app = create_app("en")
    if CITY.exists():
        city_screenshot(app, HERE / "main-window.png")
        print(f"wrote {HERE / 'main-window.png'}")
    else:
        print(f"skipped main-window.png: {CITY} missing (python3 ../shared/bench/gen_city.py {CITY})")
    sample_screenshot(app, HERE / "sample-project-zh.png")
    print(f"wrote {HERE / 'sample-project-zh.png'}")
    if BUBENEC.exists():
        bubenec_screenshot(app, HERE / "main-window-zh.png")
        print(f"wrote {HERE / 'main-window-zh.png'}")
    shutil.rmtree(settings, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
