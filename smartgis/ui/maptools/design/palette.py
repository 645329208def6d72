"""The element palette: the catalog's types by category, with icons and both names.

Choosing a type (or one of its variants) starts placing it on the map: a point
type with one click per element, a line or polygon type by drawing its vertices.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smartgis.ui.maptools.design.attribute_form import set_skip_form, skip_form, ui_language

TYPE_ROLE = Qt.UserRole
VARIANT_ROLE = Qt.UserRole + 1

_icon_cache: dict[tuple, QIcon] = {}


def type_icon(t) -> QIcon:
    """The type's SVG icon; a disc in its colour when it has none (user types)."""
    from smartgis.core.symbols import icon_bytes
    path = t.icon_path()
    key = (t.id, str(path) if path is not None else t.icon, t.color)
    if key in _icon_cache:
        return _icon_cache[key]
    data = icon_bytes(str(path) if path is not None else t.icon)
    icon = QIcon()
    if data:
        from PySide6.QtCore import QByteArray
        from PySide6.QtSvg import QSvgRenderer
        svg = QSvgRenderer(QByteArray(data))
        if svg.isValid():
            pm = QPixmap(48, 48)
            pm.fill(Qt.transparent)
            p = QPainter(pm)
            svg.render(p)
            p.end()
            icon = QIcon(pm)
    if icon.isNull():
        pm = QPixmap(48, 48)
        pm.fill(Qt.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.Antialiasing)
        color = QColor(t.color) if QColor.isValidColorName(t.color) else QColor("#1f77b4")
        p.setBrush(QBrush(color))
        p.setPen(QPen(color.darker(140), 2))
        if t.category == "sensor":
            p.drawEllipse(3, 3, 42, 42)
        else:
            p.drawRoundedRect(3, 3, 42, 42, 10, 10)
        p.setBrush(QBrush(QColor("#ffffff")))
        p.setPen(Qt.NoPen)
        p.drawEllipse(18, 18, 12, 12)
        p.end()
        icon = QIcon(pm)
    _icon_cache[key] = icon
    return icon


class ElementPalette(QWidget):
    """The catalog as a tree: category → type → variants.

    Signals
    -------
    chosen(str, object)
        The user picked a type (id, variant id or None) to place.
    """

    chosen = Signal(str, object)

    CATEGORIES = ("sensor", "network", "facility")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("design_palette")
        self.catalog = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.search = QLineEdit()
        self.search.setObjectName("palette_search")
        self.search.setPlaceholderText(self.tr("Search types (中文 / English / id)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        lay.addWidget(self.search)
        self.tree = QTreeWidget()
        self.tree.setObjectName("palette_tree")
        self.tree.setHeaderHidden(True)
        self.tree.setIconSize(QSize(22, 22))
        self.tree.setUniformRowHeights(True)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._activated)
        lay.addWidget(self.tree, 1)
        self.fast = QCheckBox(self.tr("Place without the attribute form"))
        self.fast.setObjectName("palette_fast")
        self.fast.setToolTip(self.tr("New elements take the type's default attributes; edit them later"))
        self.fast.setChecked(skip_form())
        self.fast.toggled.connect(set_skip_form)
        lay.addWidget(self.fast)
        self.hint = QLabel(self.tr("Pick a type, then click on the map. Lines and areas: click the vertices, "
                                   "double-click to finish, Backspace removes the last vertex, Esc cancels."))
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        lay.addWidget(self.hint)

    def category_title(self, cat: str) -> str:
        return {"sensor": self.tr("Sensing and communication"), "network": self.tr("Networks"),
                "facility": self.tr("Facilities")}[cat]

    def set_catalog(self, catalog) -> None:
        """Fill the tree from a catalog (the project's: built-in and its own types)."""
        self.catalog = catalog
        self.tree.clear()
        if catalog is None:
            return
        lang = ui_language()
        other = "en" if lang == "zh" else "zh"
        for cat in self.CATEGORIES:
            types = catalog.by_category(cat)
            if not types:
                continue
            top = QTreeWidgetItem([f"{self.category_title(cat)} ({len(types)})"])
            top.setFlags(Qt.ItemIsEnabled)
            f = top.font(0)
            f.setBold(True)
            top.setFont(0, f)
            self.tree.addTopLevelItem(top)
            for t in types:
                item = QTreeWidgetItem([f"{t.label(lang)}  {t.label(other)}"])
                item.setIcon(0, type_icon(t))
                item.setData(0, TYPE_ROLE, t.id)
                item.setData(0, VARIANT_ROLE, None)
                desc = t.description.get(lang) or t.description.get("en") or ""
                tip = f"{t.id} · {t.geometry}" + (f"\n{desc}" if desc else "")
                if t.origin != "builtin":
                    tip += f"\n[{t.origin}]"
                item.setToolTip(0, tip)
                top.addChild(item)
                for v in t.variants:
                    vi = QTreeWidgetItem([v.label(lang)])
                    vi.setIcon(0, type_icon(t))
                    vi.setData(0, TYPE_ROLE, t.id)
                    vi.setData(0, VARIANT_ROLE, v.id)
                    vi.setToolTip(0, f"{t.id}:{v.id} — {v.label(other)}")
                    item.addChild(vi)
            top.setExpanded(True)
        self._filter(self.search.text())

    def item_for(self, type_id: str, variant: str | None = None) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount()):
                it = top.child(j)
                if it.data(0, TYPE_ROLE) != type_id:
                    continue
                if variant is None:
                    return it
                for k in range(it.childCount()):
                    if it.child(k).data(0, VARIANT_ROLE) == variant:
                        return it.child(k)
        return None

    def _activated(self, item: QTreeWidgetItem, _col: int = 0) -> None:
        tid = item.data(0, TYPE_ROLE)
        if tid:
            self.chosen.emit(tid, item.data(0, VARIANT_ROLE))

    def _filter(self, text: str) -> None:
        text = text.strip().lower()
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            shown = 0
            for j in range(top.childCount()):
                it = top.child(j)
                t = self.catalog.get(it.data(0, TYPE_ROLE)) if self.catalog else None
                hay = " ".join([it.text(0), t.id if t else "", " ".join(t.name.values()) if t else "",
                                " ".join(v.label("zh") + v.label("en") for v in (t.variants if t else []))]).lower()
                hit = not text or text in hay
                it.setHidden(not hit)
                shown += hit
            top.setHidden(shown == 0)
