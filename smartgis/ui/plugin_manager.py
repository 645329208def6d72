"""The plugin manager: every plugin found, its state, and a switch for each.

Shows what ``smartgis plugins list`` shows — name, version, where it was found, state
(enabled, disabled, failed, incompatible, invalid), what it contributes and any problem
— and switches plugins on and off (a user setting; the window installs or removes the
plugin's menu actions, tools and panels at once).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
)

from smartgis.errors import SmartGISError
from smartgis.i18n import localize
from smartgis.plugins.registry import PluginRegistry, registry

_STATE_COLOURS = {"enabled": "#2e7d32", "disabled": "#757575", "failed": "#c62828", "incompatible": "#ef6c00",
                  "invalid": "#c62828"}


class PluginManagerDialog(QDialog):
    """Lists the plugins and switches them on and off.

    Signals
    -------
    plugins_changed()
        After a plugin was enabled or disabled, or the list was reloaded.
    """

    plugins_changed = Signal()

    COLUMNS = ("", "Plugin", "Version", "State", "Found in")

    def __init__(self, parent=None, reg: PluginRegistry | None = None, lang: str = "zh"):
        super().__init__(parent)
        self.registry = reg or registry()
        self.lang = lang
        self.setWindowTitle(self.tr("Plugins"))
        self.resize(820, 520)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) if c else "" for c in self.COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        for col in (0, 2, 3, 4):
            header.setSectionResizeMode(col, QHeaderView.ResizeToContents)
        self.details = QTextBrowser()
        self.details.setOpenExternalLinks(False)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.details)
        split.setSizes([300, 200])
        self.note = QLabel(self.tr("Plugins are loaded only from the plugin folders and installed packages, "
                                   "never from a project file."))
        self.note.setWordWrap(True)
        self.reload_button = QPushButton(self.tr("Look for plugins again"))
        self.reload_button.clicked.connect(self.reload)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(self.reload_button)
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.note)
        layout.addLayout(bottom)
        self.table.itemChanged.connect(self._item_changed)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_details(row))
        self._filling = False
        self.fill()

    # -- contents ----------------------------------------------------------------------
    def state_text(self, state: str) -> str:
        return {"enabled": self.tr("enabled"), "disabled": self.tr("disabled"), "failed": self.tr("failed"),
                "incompatible": self.tr("incompatible"), "invalid": self.tr("invalid")}.get(state, state)

    def source_text(self, source: str) -> str:
        return {"path": self.tr("SMARTGIS_PLUGIN_PATH"), "user": self.tr("user folder"),
                "entry_point": self.tr("installed package"), "shipped": self.tr("shipped")}.get(source, source)

    def fill(self) -> None:
        """(Re)build the table from the registry."""
        self._filling = True
        current = self.current_name()
        plugins = self.registry.plugins()
        self.table.setRowCount(len(plugins))
        for row, p in enumerate(plugins):
            m = p.manifest
            check = QTableWidgetItem()
            check.setFlags(Qt.ItemIsUserCheckable | Qt.ItemIsEnabled | Qt.ItemIsSelectable)
            check.setCheckState(Qt.Checked if p.enabled else Qt.Unchecked)
            check.setData(Qt.UserRole, p.name)
            title = QTableWidgetItem(f"{m.label(self.lang)}  ({p.name})" if m else p.name)
            title.setToolTip(localize(p.problem) if p.problem else (m.describe(self.lang) if m else ""))
            state = QTableWidgetItem(self.state_text(p.state))
            state.setForeground(QBrush(QColor(_STATE_COLOURS.get(p.state, "#000000"))))
            if p.problem:
                state.setToolTip(localize(p.problem))
            items = [check, title, QTableWidgetItem(m.version if m else "?"), state,
                     QTableWidgetItem(self.source_text(p.found.source))]
            for col, item in enumerate(items):
                self.table.setItem(row, col, item)
        self._filling = False
        names = [p.name for p in plugins]
        self.table.setCurrentCell(names.index(current) if current in names else (0 if names else -1), 1)
        self._show_details(self.table.currentRow())

    def current_name(self) -> str | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return item.data(Qt.UserRole) if item else None

    def row_of(self, name: str) -> int:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(Qt.UserRole) == name:
                return row
        return -1

    def _show_details(self, row: int) -> None:
        if row < 0 or row >= self.table.rowCount():
            self.details.clear()
            return
        p = self.registry.get(self.table.item(row, 0).data(Qt.UserRole))
        m = p.manifest
        esc = _escape
        html = [f"<h3>{esc(m.label(self.lang) if m else p.name)}</h3>"]
        if m:
            html.append(f"<p>{esc(m.describe(self.lang))}</p>")
        if p.problem:
            html.append(f"<p style='color:#c62828'><b>{esc(self.tr('Problem'))}:</b> {esc(localize(p.problem))}</p>")
        rows = [(self.tr("Name"), p.name), (self.tr("State"), self.state_text(p.state)),
                (self.tr("Folder"), str(p.found.folder))]
        if m:
            rows += [(self.tr("Version"), m.version), (self.tr("Plugin API"), str(m.plugin_api)),
                     (self.tr("Needs SmartGIS"), m.min_smartgis), (self.tr("Author"), m.author)]
            summary = m.summary()
            if summary:
                rows.append((self.tr("Contributes"), ", ".join(f"{k} {v}" for k, v in summary.items())))
        html.append("<table>" + "".join(f"<tr><td><b>{esc(k)}</b>&nbsp;</td><td>{esc(v)}</td></tr>"
                                        for k, v in rows) + "</table>")
        self.details.setHtml("".join(html))

    # -- switching ---------------------------------------------------------------------
    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != 0:
            return
        self.set_enabled(item.data(Qt.UserRole), item.checkState() == Qt.Checked)

    def set_enabled(self, name: str, enabled: bool) -> None:
        """Switch a plugin (as the check box does) and refresh the list."""
        try:
            self.registry.set_enabled(name, enabled)
        except SmartGISError as exc:
            self.details.setHtml(f"<p style='color:#c62828'>{_escape(str(exc))}</p>")
            return
        self.fill()
        self.plugins_changed.emit()

    def reload(self) -> None:
        """Discover the plugins again (after the user copied one into the plugin folder)."""
        from smartgis.plugins.registry import reset_registry
        self.registry = reset_registry()
        self.fill()
        self.plugins_changed.emit()


def _escape(text) -> str:
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
