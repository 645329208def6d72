"""Starting the Qt application: translations, the main window, screenshots."""

from __future__ import annotations

import sys


def create_app(lang: str | None = None):
    """The QApplication (created once), with the interface language installed.

    ``lang`` ("zh" or "en") overrides the saved choice and the system locale.
    """
    from PySide6.QtWidgets import QApplication

    from smartgis.session import start
    start()   # the house put together: plugins' contributions, the project store
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setApplicationName("SmartGIS")
        app.setOrganizationName("SmartGIS")
        app.setApplicationDisplayName("SmartGIS")
    from smartgis.ui.i18n import install_translator
    install_translator(app, lang)
    return app


def run_app(project_path=None, review: bool = False, lang: str | None = None, screenshot: str | None = None,
            size=(1600, 1000)) -> int:
    """Open the main window; with ``screenshot``, save a PNG of it once the map is drawn and return."""
    app = create_app(lang)
    from smartgis.ui.main_window import MainWindow
    win = MainWindow()
    if not screenshot:
        win.restore_layout()
    win.resize(*size)
    win.show()
    if project_path:
        if not win.open_project(project_path, review=review) and screenshot:
            # no one sees the dialog of a screenshot run: say why on the terminal
            import sys
            box = getattr(win, "last_error_box", None)
            text = box.text() if box is not None else str(project_path)
            print(f"smartgis gui: error: {text}", file=sys.stderr)
            win.close()
            return 2
    if screenshot:
        ok = win.save_screenshot(screenshot)
        win.close()
        return 0 if ok else 1
    return app.exec()
