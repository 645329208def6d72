"""Interface language: Qt translations shipped in ``resources/i18n``.

The language follows the system locale unless the user chose one (the settings
dialog stores it in ``QSettings`` under ``ui/language``, or ``--lang`` on the command
line).  Chinese (zh_CN) and English (the source strings) ship.

Translations are written per area as ``resources/i18n/zh_CN/*.json``
(``{"Context": {"English source": "中文"}}``); ``tools/build_translations.py`` merges
them into ``smartgis_zh_CN.ts`` and compiles ``smartgis_zh_CN.qm``, which is what Qt
loads.  When a JSON file is newer than the ``.qm`` (someone added strings and has not
rebuilt yet) the merged JSON is used directly, so a fresh string is never shown in
English by accident.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator

from smartgis.resources import resources_dir

#: The languages that ship: code → name shown in the settings (in that language).
LANGUAGES = {"zh": "中文", "en": "English"}

#: The QSettings key holding the user's choice ("" = follow the system).
SETTINGS_KEY = "ui/language"

_installed: list[QTranslator] = []


def i18n_dir() -> Path:
    return resources_dir() / "i18n"


def qm_path() -> Path:
    return i18n_dir() / "smartgis_zh_CN.qm"


def saved_language() -> str:
    """The language chosen in the settings, or "" to follow the system locale."""
    value = QSettings().value(SETTINGS_KEY, "")
    return value if value in LANGUAGES else ""


def save_language(lang: str) -> None:
    """Store the user's choice ("" to follow the system); applied on the next start."""
    QSettings().setValue(SETTINGS_KEY, lang if lang in LANGUAGES else "")


def system_language() -> str:
    """The language of the system's user interface: its preferred UI languages
    (``LANGUAGE``, ``LC_MESSAGES``, ``LANG`` on Linux; the display language elsewhere),
    not the locale of numbers and dates, which may be "C" on a Chinese desktop."""
    for tag in QLocale.system().uiLanguages():
        code = tag.replace("_", "-").split("-")[0].lower()
        if code in LANGUAGES:
            return code
        if code not in ("c", "posix"):
            return "en"
    return "zh" if QLocale.system().language() == QLocale.Language.Chinese else "en"


def current_language(explicit: str | None = None) -> str:
    """``explicit`` if given, else ``SMARTGIS_LANG`` (the language of the command line
    too), else the choice saved in the settings, else the system's UI language."""
    if explicit in LANGUAGES:
        return explicit
    env = os.environ.get("SMARTGIS_LANG", "").lower()[:2]
    if env in LANGUAGES:
        return env
    return saved_language() or system_language()


def merged_translations(folder: Path | None = None) -> dict[str, dict[str, str]]:
    """All ``zh_CN/*.json`` files merged into one ``{context: {source: translation}}``."""
    folder = Path(folder or i18n_dir() / "zh_CN")
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.json")):
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        for context, messages in data.items():
            merged.setdefault(context, {}).update(messages)
    return merged


class JsonTranslator(QTranslator):
    """A translator reading the merged JSON files (used while the .qm is out of date)."""

    def __init__(self, messages: dict[str, dict[str, str]], parent=None):
        super().__init__(parent)
        self._messages = messages

    def isEmpty(self) -> bool:  # noqa: N802 - Qt API
        return not self._messages

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: D401 - Qt API
        # None (a null QString) tells Qt "not here": it then asks other translators or
        # falls back to the source; an empty string would be taken as the translation.
        return self._messages.get(context, {}).get(source_text) or None


def _qm_is_current() -> bool:
    qm = qm_path()
    if not qm.exists():
        return False
    stamp = qm.stat().st_mtime
    return all(p.stat().st_mtime <= stamp for p in (i18n_dir() / "zh_CN").glob("*.json"))


def install_translator(app, lang: str | None = None) -> str:
    """Install the translators of ``lang`` (or the current language); returns it.

    Besides SmartGIS's own strings this loads Qt's translation of its standard
    dialogs and buttons (Save, Discard, Cancel ...).
    """
    lang = current_language(lang)
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    if lang == "zh":
        ours: QTranslator | None = None
        if _qm_is_current():
            ours = QTranslator(app)
            if not ours.load(str(qm_path())):
                ours = None
        if ours is None:
            ours = JsonTranslator(merged_translations(), app)
        qt = QTranslator(app)
        if qt.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt)
            _installed.append(qt)
        app.installTranslator(ours)
        _installed.append(ours)
    app.setProperty("smartgis_language", lang)
    # the model's messages (check results, import reports, errors) follow the window
    from smartgis.i18n import set_language
    set_language(lang)
    return lang


def installed_language(app) -> str:
    """The language installed by :func:`install_translator` ("en" before it ran)."""
    return app.property("smartgis_language") or "en"


def results_language(project) -> str:
    """The language a panel shows its results in and writes its reports in: the
    window's ("zh"/"en"), else the project's, else Chinese."""
    from PySide6.QtCore import QCoreApplication
    app = QCoreApplication.instance()
    lang = app.property("smartgis_language") if app is not None else None
    if lang in ("zh", "en"):
        return lang
    return project.language if project is not None and project.language in ("zh", "en") else "zh"
