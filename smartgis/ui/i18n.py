"""Interface language: Qt translations shipped in ``resources/i18n``.

The language follows the system locale unless the user chose one (settings or
``--lang``).  Chinese (zh_CN) and English ship.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, QSettings, QTranslator

from smartgis.core.catalog import resources_dir

_installed: list[QTranslator] = []


def current_language(explicit: str | None = None) -> str:
    if explicit:
        return explicit
    saved = QSettings().value("ui/language", "")
    if saved in ("zh", "en"):
        return saved
    return "zh" if QLocale.system().language() == QLocale.Language.Chinese else "en"


def install_translator(app, lang: str | None = None) -> str:
    """Install the translator of ``lang`` (or the current language); returns it."""
    lang = current_language(lang)
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    if lang == "zh":
        t = QTranslator(app)
        qm = resources_dir() / "i18n" / "smartgis_zh_CN.qm"
        if qm.exists() and t.load(str(qm)):
            app.installTranslator(t)
            _installed.append(t)
    app.setProperty("smartgis_language", lang)
    return lang
