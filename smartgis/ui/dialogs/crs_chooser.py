"""A searchable list of coordinate reference systems.

It offers :func:`smartgis.crs.crs_catalog` (CGCS2000 and every Gauss-Kruger zone of
the Chinese datums first, then UTM and a few others) and accepts any other definition
typed into the search box (``EPSG:n``, a PROJ string or WKT), the way a local city
grid arrives.  Every word typed must match the code, the EPSG name, the description
or its Chinese search terms (``国家2000``, ``西安80``, ``3度带``, ``114``).
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QTreeView, QVBoxLayout, QWidget

from smartgis.crs import crs_catalog, crs_label, gk_zones, parse_crs, require_projected_metres
from smartgis.errors import CRSError
from smartgis.i18n import localize

#: Search terms users type for each datum (in both languages and the usual abbreviations).
_DATUM_TERMS = {
    "cgcs2000": "cgcs2000 国家2000 2000国家大地坐标系 cgcs",
    "xian1980": "xian 1980 西安80 西安1980 1980西安坐标系",
    "beijing1954": "beijing 1954 北京54 北京1954 1954北京坐标系",
    "newbeijing": "new beijing 新北京54 新1954北京坐标系",
}

CODE_ROLE = Qt.UserRole + 1
SEARCH_ROLE = Qt.UserRole + 2
ENABLED_ROLE = Qt.UserRole + 3


@lru_cache(maxsize=1)
def _zones_by_code() -> dict:
    return {z.code: z for z in gk_zones()}


class CrsFilterModel(QSortFilterProxyModel):
    """Keeps the rows whose search text contains every word of the filter."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._terms: list[str] = []

    def set_terms(self, text: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.9 (invalidateFilter is deprecated there)
            self.beginFilterChange()
            self._terms = [t for t in text.lower().replace(",", " ").split() if t]
            self.endFilterChange()
        else:  # pragma: no cover - older Qt
            self._terms = [t for t in text.lower().replace(",", " ").split() if t]
            self.invalidateFilter()

    def filterAcceptsRow(self, row, parent):  # noqa: N802 - Qt API
        if not self._terms:
            return True
        idx = self.sourceModel().index(row, 0, parent)
        hay = idx.data(SEARCH_ROLE) or ""
        return all(t in hay for t in self._terms)


class CrsChooser(QWidget):
    """Search box, list of CRSs and a details line.

    Parameters
    ----------
    projected_only : bool
        Offer only projected CRSs in metres (what a project needs); geographic ones are
        listed but disabled, with the reason as tooltip.

    Signals
    -------
    crs_changed(str)
        The chosen CRS (``EPSG:n`` or WKT), or ``""`` when nothing valid is chosen.
    """

    crs_changed = Signal(str)

    def __init__(self, parent=None, projected_only: bool = True):
        super().__init__(parent)
        self.projected_only = projected_only
        self._custom: str | None = None
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search: code, name, 国家2000, 3度带, 114 … or paste PROJ/WKT"))
        self.search.setClearButtonEnabled(True)
        self.model = QStandardItemModel(0, 3, self)
        self.model.setHorizontalHeaderLabels([self.tr("Code"), self.tr("Name"), self.tr("Description")])
        self.proxy = CrsFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTreeView()
        self.view.setModel(self.proxy)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.details.setMinimumHeight(48)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.search)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.details)
        self._fill()
        self.view.setColumnWidth(0, 95)
        self.view.setColumnWidth(1, 300)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self._apply_search)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.view.selectionModel().currentChanged.connect(self._on_current)

    # -- content -------------------------------------------------------------------------
    def _description(self, code: str, name: str) -> str:
        z = _zones_by_code().get(code)
        datum_names = {"cgcs2000": self.tr("CGCS2000"), "xian1980": self.tr("Xian 1980"),
                       "beijing1954": self.tr("Beijing 1954"), "newbeijing": self.tr("New Beijing 1954")}
        if z is not None:
            if z.prefixed:
                return self.tr("{datum} Gauss-Kruger {width}-degree zone {zone} (CM {cm}°E, zone number "
                               "in the easting)").format(datum=datum_names[z.datum], width=z.width,
                                                         zone=z.zone, cm=z.central_meridian)
            return self.tr("{datum} Gauss-Kruger {width}-degree zone, CM {cm}°E").format(
                datum=datum_names[z.datum], width=z.width, cm=z.central_meridian)
        if code == "EPSG:4490":
            return self.tr("CGCS2000 geographic coordinates (longitude/latitude)")
        if code == "EPSG:4326":
            return self.tr("WGS 84 geographic coordinates (GPS longitude/latitude)")
        if "UTM" in name:
            return self.tr("WGS 84 UTM zone {zone} north").format(zone=name.rsplit(" ", 1)[-1].rstrip("N"))
        if code == "EPSG:2326":
            return self.tr("Hong Kong 1980 Grid")
        if code == "EPSG:3857":
            return self.tr("Web Mercator (web map tiles)")
        return ""

    @staticmethod
    def _search_text(code: str, name: str, description: str) -> str:
        words = [code, code.split(":")[-1], name, description]
        z = _zones_by_code().get(code)
        if z is not None:
            words += [_DATUM_TERMS[z.datum], "gauss kruger 高斯 高斯-克吕格 高斯克吕格",
                      f"{z.width}度带 {z.width}-degree {z.central_meridian}e 中央经线{z.central_meridian}",
                      f"zone {z.zone} {z.zone}带" if z.prefixed else ""]
        elif code in ("EPSG:4490", "EPSG:4326"):
            words += ["地理坐标 经纬度 geographic lon lat", _DATUM_TERMS["cgcs2000"] if code.endswith("4490") else "gps"]
        elif "UTM" in name:
            words.append("utm 通用横轴墨卡托")
        return " ".join(words).lower()

    def _fill(self) -> None:
        for code, name in crs_catalog():
            self._append(code, name, custom=False)

    def _append(self, code: str, name: str, custom: bool, row: int | None = None) -> None:
        desc = self.tr("Custom definition") if custom else self._description(code, name)
        items = [QStandardItem(code if not custom else self.tr("custom")), QStandardItem(name), QStandardItem(desc)]
        ok, why = self._usable(code)
        for it in items:
            it.setEditable(False)
            it.setData(code, CODE_ROLE)
            it.setData(ok, ENABLED_ROLE)
            if not ok:
                it.setEnabled(False)
                it.setToolTip(why)
        items[0].setData(self._search_text(code, name, desc), SEARCH_ROLE)
        if row is None:
            self.model.appendRow(items)
        else:
            self.model.insertRow(row, items)

    def _usable(self, code: str) -> tuple[bool, str]:
        if not self.projected_only:
            return True, ""
        try:
            require_projected_metres(code)
        except CRSError as exc:
            return False, localize(exc)
        return True, ""

    # -- search ----------------------------------------------------------------------------
    def _apply_search(self) -> None:
        text = self.search.text().strip()
        if self._custom is not None:
            self.model.removeRow(0)
            self._custom = None
        code = self._typed_definition(text)
        problem = self._definition_problem(text) if code is None else None
        if problem:
            # a pasted grid PROJ cannot mean as written: say why instead of searching for it
            self.proxy.set_terms(text)
            self.view.clearSelection()
            self.details.setText(problem)
            return
        if code is not None:
            self.proxy.set_terms("")
            row = self._find_source_row(code)
            if row is None:
                self._custom = code
                self._append(code, crs_label(code), custom=True, row=0)
                row = 0
            self._select_row(row, code)
            return
        self.proxy.set_terms(text)
        self._select_first_enabled()

    @staticmethod
    def _typed_definition(text: str) -> str | None:
        """The CRS typed or pasted as a definition (PROJ, WKT, EPSG:n), else None."""
        if len(text) < 6:
            return None
        looks_like = text.startswith(("+proj", "PROJCS", "PROJCRS", "GEOGCS", "GEOGCRS", "{")) or \
            text.upper().startswith(("EPSG:", "ESRI:"))
        if not looks_like:
            return None
        try:
            from smartgis.crs import crs_to_string
            return crs_to_string(parse_crs(text))
        except CRSError:
            return None

    @staticmethod
    def _definition_problem(text: str) -> str | None:
        """Why a pasted PROJ string is refused (in the interface language), else None."""
        if not text.lstrip().startswith(("+proj", "proj=")):
            return None
        try:
            parse_crs(text)
        except CRSError as exc:
            return exc.localized()
        return None

    def _find_source_row(self, code: str) -> int | None:
        for r in range(self.model.rowCount()):
            if self.model.item(r, 0).data(CODE_ROLE) == code:
                return r
        return None

    def _select_row(self, source_row: int, code: str) -> None:
        idx = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if idx.isValid():
            self.view.setCurrentIndex(idx)
            self.view.scrollTo(idx)

    def _select_first_enabled(self) -> None:
        for r in range(self.proxy.rowCount()):
            idx = self.proxy.index(r, 0)
            if idx.data(ENABLED_ROLE):
                self.view.setCurrentIndex(idx)
                self.view.scrollTo(idx)
                return
        # only unusable CRSs match: say why the first one cannot be chosen
        self.view.setCurrentIndex(self.proxy.index(-1, 0))
        if self.proxy.rowCount():
            self._show_details(self.proxy.index(0, 0).data(CODE_ROLE))
        self.crs_changed.emit("")

    # -- selection ---------------------------------------------------------------------------
    def _on_current(self, current, _previous) -> None:
        code = current.data(CODE_ROLE) if current.isValid() else None
        ok = bool(current.data(ENABLED_ROLE)) if current.isValid() else False
        self._show_details(code)
        self.crs_changed.emit(code if (code and ok) else "")

    def _show_details(self, code: str | None) -> None:
        if not code:
            self.details.setText(self.tr("No CRS chosen."))
            return
        crs = parse_crs(code)
        area = crs.area_of_use.name if crs.area_of_use else ""
        ok, why = self._usable(code)
        text = crs_label(code)
        if area:
            text += "\n" + self.tr("Area of use: {area}").format(area=area)
        if not ok:
            text += "\n" + why
        self.details.setText(text)

    def selected_crs(self) -> str | None:
        """The chosen CRS (``EPSG:n`` or WKT), or None."""
        idx = self.view.currentIndex()
        if not idx.isValid() or not idx.data(ENABLED_ROLE):
            return None
        return idx.data(CODE_ROLE)

    def set_crs(self, code: str) -> bool:
        """Select ``code`` (adding it as a custom entry when it is not listed)."""
        from smartgis.crs import crs_to_string
        code = crs_to_string(parse_crs(code))
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.proxy.set_terms("")
        row = self._find_source_row(code)
        if row is None:
            if self._custom is not None:
                self.model.removeRow(0)
            self._custom = code
            self._append(code, crs_label(code), custom=True, row=0)
            row = 0
        self._select_row(row, code)
        return self.selected_crs() == code

    def visible_codes(self) -> list[str]:
        """Codes of the rows the current search shows (in order)."""
        return [self.proxy.index(r, 0).data(CODE_ROLE) for r in range(self.proxy.rowCount())]

    def visible_names(self) -> list[str]:
        return [self.proxy.index(r, 1).data() for r in range(self.proxy.rowCount())]

    def set_search(self, text: str) -> None:
        """Type ``text`` into the search box and apply it at once (no debounce)."""
        self.search.setText(text)
        self._debounce.stop()
        self._apply_search()
