"""Starting the Qt application: translations, the main window, screenshots."""

from __future__ import annotations

import sys


def create_app(lang: str | None = None):
    """The QApplication (created once), with the interface language installed."""
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setApplicationName("SmartGIS")
        app.setOrganizationName("SmartGIS")
    from smartgis.ui.i18n import install_translator
    install_translator(app, lang)
    return app


def run_app(project_path=None, review: bool = False, lang: str | None = None, screenshot: str | None = None,
            size=(1600, 1000)) -> int:
    """Open the main window; with ``screenshot``, save a PNG of it and return."""
    app = create_app(lang)
    from smartgis.ui.main_window import MainWindow
    win = MainWindow()
    win.resize(*size)
    if project_path:
        if not win.open_project(project_path, review=review):
            return 2
    win.show()
    if screenshot:
        return 0 if win.save_screenshot(screenshot) else 1
    return app.exec()
