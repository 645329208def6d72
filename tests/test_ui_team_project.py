"""The window on a team project: opened by URL with a password prompt (never stored), and a
save that meets a colleague's edit offers reload, merge or overwrite."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.pg_cluster import PASSWORD, PASSWORD_USER, pg  # noqa: F401 - the session's cluster fixture

pytestmark = pytest.mark.gui
SAMPLE = Path(__file__).resolve().parent.parent / "sample_projects" / "longquan_lake.gpkg"


@pytest.fixture(scope="module")
def team_url(pg):  # noqa: F811
    url = pg.url("ui_team")
    assert run_cli("publish", SAMPLE, url, "--force").returncode == 0
    pg.psql(f"GRANT USAGE ON SCHEMA ui_team TO {PASSWORD_USER}; "
            f"GRANT SELECT ON ALL TABLES IN SCHEMA ui_team TO {PASSWORD_USER}")
    return url


def test_window_asks_for_the_password_and_never_keeps_it(window, team_url, pg, qtbot, monkeypatch, tmp_path):  # noqa: F811
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication
    from smartgis.ui.dialogs.team_project import TeamProjectDialog
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    url = pg.url("ui_team", user=PASSWORD_USER)
    seen = []

    def answer():
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, TeamProjectDialog):
            QTimer.singleShot(50, answer)
            return
        from PySide6.QtWidgets import QLabel
        seen.append(dlg.findChild(QLabel, "team_problem").text())
        dlg.grab().save(str(tmp_path / "team_dialog.png"))
        dlg.password.setText(PASSWORD)
        dlg.accept()
    QTimer.singleShot(50, answer)
    assert window.open_project(url, ask=False)
    assert window.project.path == window.project.team.url and window.project.layer("建筑").feature_count == 3496
    assert "password" in str(seen[0]).lower()
    assert (tmp_path / "team_dialog.png").stat().st_size > 0
    window.save_project()   # nothing changed: nothing refused, nothing written
    settings = Path(QSettings().fileName())
    stored = settings.read_text() if settings.exists() else ""
    assert PASSWORD not in stored and PASSWORD not in repr(window.project.team)


def test_a_conflict_in_the_window_offers_merge(window, team_url, qtbot):
    from smartgis.postgis import open_url
    from smartgis.ui.dialogs.team_project import save_team_project
    assert window.open_project(team_url, ask=False)
    p = window.project
    uids = p.design.layers["camera"].uids()
    other = open_url(team_url)
    assert other.design.layers["camera"].uids() == uids
    p.design.move([uids[0]], 4, 0)
    p.design.move([uids[1]], 4, 0)
    other.design.move([uids[0]], 0, -6)
    other.save()
    offered = []

    def ask(box):
        offered.extend(b.text() for b in box.buttons())
        return "merge"
    assert save_team_project(window, ask=ask)
    assert {"Reload", "Merge", "Overwrite"} <= set(offered)
    fresh = open_url(team_url).design.layers["camera"]
    g = dict(zip(fresh.uids(), fresh.geometries))
    theirs = dict(zip(other.design.layers["camera"].uids(), other.design.layers["camera"].geometries))
    mine = dict(zip(p.design.layers["camera"].uids(), p.design.layers["camera"].geometries))
    assert g[uids[0]].equals(theirs[uids[0]]) and g[uids[1]].equals(mine[uids[1]])
    assert not window.project.is_modified
