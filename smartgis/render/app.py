"""The Qt application object the renderer needs (QImage text and SVG drawing do).

The window creates its ``QApplication`` before anything draws; the command line and
scripts call :func:`ensure_gui_app`, which creates an offscreen ``QGuiApplication``
so that rendering never needs a display.
"""

from __future__ import annotations

import sys


def ensure_gui_app():
    """The running ``QGuiApplication``, or a new offscreen one when none exists.

    Returns
    -------
    QGuiApplication
        Also a ``QApplication`` when the window made one.
    """
    from PySide6.QtGui import QGuiApplication
    app = QGuiApplication.instance()
    if app is None:
        prog = sys.argv[0] if sys.argv and sys.argv[0] else "smartgis"
        # "-platform offscreen" wins over QT_QPA_PLATFORM: headless rendering must not
        # depend on (or connect to) a display even when one is there.
        app = QGuiApplication([prog, "-platform", "offscreen"])
        app.setApplicationName("SmartGIS")
        app.setOrganizationName("SmartGIS")
    return app
