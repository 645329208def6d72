"""The settings dialog: interface language (and what else the window keeps in QSettings)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout

from smartgis.ui import i18n


class SettingsDialog(QDialog):
    """Language: follow the system, 中文 or English (stored as ``ui/language``).

    A changed language applies when SmartGIS starts next: every window, feature and
    plugin builds its texts once, so switching live would leave some in the old
    language.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.language = QComboBox()
        self.language.addItem(self.tr("Follow the system ({language})").format(
            language=i18n.LANGUAGES[i18n.system_language()]), "")
        for code, name in i18n.LANGUAGES.items():
            self.language.addItem(name, code)
        self._initial = i18n.saved_language()
        self.language.setCurrentIndex(max(0, self.language.findData(self._initial)))
        self.note = QLabel(self.tr("A new language applies the next time SmartGIS starts."))
        self.note.setWordWrap(True)
        self.note.setVisible(False)
        self.language.currentIndexChanged.connect(
            lambda _i: self.note.setVisible(self.language.currentData() != self._initial))
        form = QFormLayout()
        form.addRow(self.tr("Interface language:"), self.language)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.note)
        lay.addStretch(1)
        lay.addWidget(buttons)
        self.resize(420, 160)

    def language_changed(self) -> bool:
        return self.language.currentData() != self._initial

    def accept(self) -> None:
        i18n.save_language(self.language.currentData())
        super().accept()
