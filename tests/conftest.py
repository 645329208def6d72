"""Shared fixtures: real data from ../shared/data, temporary projects, offscreen Qt."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Windows opened by tests write their autosave copies here, never into the user's data
# folder; and no copy left by an earlier run can make a window offer a recovery.
os.environ["SMARTGIS_RECOVERY_DIR"] = tempfile.mkdtemp(prefix="smartgis-test-recovery-")

REPO = Path(__file__).resolve().parent.parent

# In-process tests get the house the command line and the window get: the plugins'
# contributions and the store of new projects (the model alone has only built-ins).
from smartgis.session import start as _start_session  # noqa: E402

_start_session()


def shared_data_dir() -> Path:
    """``SMARTGIS_TEST_DATA`` or ``../shared/data`` beside the repository."""
    return Path(os.environ.get("SMARTGIS_TEST_DATA") or (REPO.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real test data; tests using it are skipped (with the reason) when it is absent."""
    d = shared_data_dir()
    if not d.is_dir():
        pytest.skip(f"real test data not found at {d} (set SMARTGIS_TEST_DATA)")
    return d


def gpkg_validator() -> list[str] | None:
    """Command running GDAL's GeoPackage validator, or None when python3-gdal is missing."""
    for py in ("/usr/bin/python3", shutil.which("python3") or ""):
        if py and os.path.exists(py):
            r = subprocess.run([py, "-c", "import osgeo_utils.samples.validate_gpkg"], capture_output=True)
            if r.returncode == 0:
                return [py, "-m", "osgeo_utils.samples.validate_gpkg"]
    return None


@pytest.fixture(scope="session")
def validate_gpkg():
    """``validate_gpkg(path)`` asserts that GDAL's validator passes on a file."""
    cmd = gpkg_validator()
    if cmd is None:
        pytest.skip("GDAL's GeoPackage validator is not installed (Debian package python3-gdal)")

    def _validate(path):
        r = subprocess.run([*cmd, str(path)], capture_output=True, text=True)
        assert r.returncode == 0 and not r.stdout.strip(), f"validate_gpkg {path}:\n{r.stdout}\n{r.stderr}"
    return _validate


def run_cli(*args, cwd=None, env=None, timeout=300):
    """Run ``python -m smartgis ARGS`` in a subprocess; returns CompletedProcess (text)."""
    e = dict(os.environ)
    e.pop("SMARTGIS_LANG", None)   # messages in English unless a test asks for Chinese
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "smartgis", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=e, timeout=timeout)


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture(autouse=True)
def _messages_in_english():
    """Every test starts with the model's messages in English, whatever one before it chose."""
    from smartgis.i18n import set_language
    set_language("en")
    yield
    set_language("en")


@pytest.fixture(scope="session", autouse=True)
def _a_qapplication_from_the_start(qapp):
    """The one Qt application of the run is a QApplication from the first test on.

    Rendering without a window creates a bare QGuiApplication when none exists; a test
    drawing a map before any window test would leave that one behind, and the next
    widget would abort the whole run ("Must construct a QApplication before a QWidget").
    Tests run in any order, so the application the windows need comes first.
    """
    return qapp


SAMPLE = REPO / "sample_projects" / "longquan_lake.gpkg"


def copy_sample(folder: Path) -> Path:
    """The sample project and its rasters copied into ``folder`` (tests never change the original)."""
    if not SAMPLE.exists():
        pytest.skip("the sample project is missing (python tools/build_samples.py)")
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    shutil.copytree(SAMPLE.parent / "longquan_lake", folder / "longquan_lake")
    return folder / SAMPLE.name


@pytest.fixture
def sample_copy(tmp_path):
    """A copy of the sample project in ``tmp_path``."""
    return copy_sample(tmp_path)


# == Qt window fixtures ==========================================================================
@pytest.fixture
def qt_settings(tmp_path, qapp):
    """QSettings kept under ``tmp_path`` (the user's own settings are never read or written)."""
    from PySide6.QtCore import QSettings
    folder = tmp_path / "qsettings"
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(folder))
    QSettings().clear()
    yield folder
    QSettings().clear()


def _top_level_widgets() -> dict:
    import shiboken6
    from PySide6.QtWidgets import QApplication
    return {shiboken6.getCppPointer(w)[0]: w for w in QApplication.topLevelWidgets()
            if shiboken6.isValid(w) and w.metaObject().className() != "QTipLabel"}


@pytest.fixture
def main_window(qapp, qtbot, qt_settings):
    """A main window (without feature modules) that is closed afterwards; the test fails
    if top-level widgets were left behind (dialogs or menus without a parent leak)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication
    from smartgis.ui.main_window import MainWindow
    before = set(_top_level_widgets())
    win = MainWindow(load_features=False)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.tasks.cancel_all()
    win.set_project(None)   # no unsaved-changes prompt at teardown
    win.close()
    win.deleteLater()
    for _ in range(3):
        QApplication.sendPostedEvents(None, QEvent.DeferredDelete)
        QApplication.processEvents()
    leaked = {k: w for k, w in _top_level_widgets().items() if k not in before}
    names = [f"{w.metaObject().className()}({w.objectName() or w.windowTitle()!r})" for w in leaked.values()]
    for w in leaked.values():
        w.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    assert not names, f"top-level widgets leaked by the window: {names}"


@pytest.fixture
def window(qtbot, qt_settings):
    """The whole main window (with its feature modules), closed afterwards."""
    from smartgis.ui.main_window import MainWindow
    w = MainWindow()   # closed here, not by qtbot: its teardown runs before ours and would ask to save
    w.resize(1500, 950)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.tasks.cancel_all(wait_ms=60000)
    w.set_project(None)   # no unsaved-changes prompt at teardown
    w.close()
    w.deleteLater()


@pytest.fixture
def canvas_showing(qtbot):
    """``canvas_showing(project)``: a 600×400 map canvas showing ``project``, its first
    frame drawn."""
    from smartgis.ui.canvas import MapCanvas
    made = []

    def show(project):
        canvas = MapCanvas()
        qtbot.addWidget(canvas)
        canvas.resize(600, 400)
        canvas.show()
        canvas.set_project(project)
        assert canvas.wait_for_render(30)
        made.append(canvas)
        return canvas
    yield show
    for canvas in made:
        canvas.set_project(None)


@pytest.fixture
def answer_dialog(qapp):
    """``answer_dialog(button)`` presses ``button`` (a QMessageBox.StandardButton) on the
    next modal message box, so code that asks a question can be tested."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox
    seen = []

    def schedule(button, attempts: int = 200):
        def poll(left=attempts):
            box = QApplication.activeModalWidget()
            if isinstance(box, QMessageBox):
                seen.append(box.text())
                box.button(button).click()
            elif left > 0:
                QTimer.singleShot(25, lambda: poll(left - 1))
        QTimer.singleShot(0, poll)
        return seen
    return schedule


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item):
    """A question left open by a failed GUI test is dismissed at teardown.

    A test that fails half-way can leave a window with unsaved changes or running work;
    closing it at teardown asks a modal question that nobody answers offscreen, and the
    whole run would hang there (a timeout does not cover pytest-qt's own teardown).  The
    watchdog rejects such a dialog, so the failure is reported and the run goes on.
    """
    timer = None
    if "PySide6.QtWidgets" in sys.modules:
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        if QApplication.instance() is not None:
            def dismiss():
                box = QApplication.activeModalWidget()
                if box is not None:
                    box.reject() if hasattr(box, "reject") else box.close()
            timer = QTimer()
            timer.setInterval(2000)
            timer.timeout.connect(dismiss)
            timer.start()
    try:
        return (yield)
    finally:
        if timer is not None:
            timer.stop()
