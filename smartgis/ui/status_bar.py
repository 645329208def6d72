"""The status bar: cursor coordinates, CGCS2000 lon/lat, an editable scale, the CRS,
and the time of the last render.

Coordinates in a Gauss-Kruger CRS are labelled the surveying way: **X is the
northing and Y the easting** (the reverse of the mathematical x/y that SmartGIS uses
internally, see :mod:`smartgis.crs`).  Other projected CRSs show E/N.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from PySide6.QtCore import Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QComboBox, QLabel, QStatusBar, QToolButton

from smartgis.crs import CGCS2000, crs_label, gk_zones, parse_crs, transformer

#: Scales offered in the scale box: the Chinese basic survey map series first.
STANDARD_SCALES = (500, 1000, 2000, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000)

_SCALE_RE = re.compile(r"^\s*(?:1\s*[:：]\s*)?([0-9][0-9,， _]*(?:\.[0-9]+)?)\s*$")


def parse_scale(text: str) -> float | None:
    """The N of ``1:N`` typed as ``1:10000``, ``1：10,000`` or ``10000``; None if unreadable."""
    m = _SCALE_RE.match(text or "")
    if not m:
        return None
    try:
        n = float(re.sub(r"[,， _]", "", m.group(1)))
    except ValueError:
        return None
    return n if n > 0 and math.isfinite(n) else None


def format_scale(n: float) -> str:
    return f"1:{int(round(n)):,}"


@lru_cache(maxsize=64)
def is_gauss_kruger(crs: str) -> bool:
    """True for a Gauss-Kruger CRS (listed zones, or a transverse Mercator so named)."""
    codes = {z.code for z in gk_zones()}
    if crs in codes:
        return True
    try:
        name = parse_crs(crs).name or ""
    except Exception:  # noqa: BLE001 - an unreadable CRS simply is not Gauss-Kruger
        return False
    return "gauss" in name.lower() or "高斯" in name


class ScaleValidator(QValidator):
    def validate(self, text, pos):  # noqa: D401 - Qt API
        if not text or re.fullmatch(r"\s*(1\s*[:：]?\s*)?[0-9,， _.]*", text):
            return (QValidator.Acceptable if parse_scale(text) else QValidator.Intermediate), text, pos
        return QValidator.Invalid, text, pos


class MapStatusBar(QStatusBar):
    """The window's status bar.

    Signals
    -------
    scale_entered(float)
        The user typed or picked a scale (the N of 1:N).
    crs_clicked()
        The CRS button was clicked (the window shows the CRS details).
    """

    scale_entered = Signal(float)
    crs_clicked = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.crs: str | None = None
        self._gk = False
        self._shown: float | None = None
        self.coords = QLabel()
        self.coords.setMinimumWidth(270)
        self.lonlat = QLabel()
        self.lonlat.setMinimumWidth(210)
        self.lonlat.setToolTip(self.tr("Cursor position in CGCS2000 longitude/latitude (EPSG:4490)"))
        self.scale_box = QComboBox()
        self.scale_box.setEditable(True)
        self.scale_box.setInsertPolicy(QComboBox.NoInsert)
        self.scale_box.setMinimumWidth(130)
        self.scale_box.setToolTip(self.tr("Map scale: type 1:N and press Enter"))
        self.scale_box.lineEdit().setValidator(ScaleValidator(self))
        for n in STANDARD_SCALES:
            self.scale_box.addItem(format_scale(n), float(n))
        self.scale_box.setCurrentIndex(-1)
        self.scale_box.lineEdit().returnPressed.connect(self._scale_typed)
        self.scale_box.activated.connect(self._scale_picked)
        self.crs_button = QToolButton()
        self.crs_button.setAutoRaise(True)
        self.crs_button.clicked.connect(self.crs_clicked)
        self.render_time = QLabel()
        self.render_time.setMinimumWidth(120)
        self.grid: str | None = None       # a local system of the project the cursor is also shown in
        self._grid_crs: str | None = None
        self.grid_coords = QLabel()
        self.grid_coords.setVisible(False)
        self.addPermanentWidget(self.coords)
        self.addPermanentWidget(self.grid_coords)
        self.addPermanentWidget(self.lonlat)
        self.addPermanentWidget(QLabel(self.tr("Scale")))
        self.addPermanentWidget(self.scale_box)
        self.addPermanentWidget(self.crs_button)
        self.addPermanentWidget(self.render_time)
        self.set_crs(None)

    # -- CRS -------------------------------------------------------------------------------------
    def set_crs(self, crs: str | None) -> None:
        self.crs = crs
        self._gk = bool(crs) and is_gauss_kruger(crs)
        self.coords.clear()
        self.lonlat.clear()
        if not crs:
            self.crs_button.setText(self.tr("No CRS"))
            self.crs_button.setToolTip("")
            self.crs_button.setEnabled(False)
            return
        self.crs_button.setEnabled(True)
        short = crs if crs.startswith("EPSG:") else self.tr("Custom CRS")
        self.crs_button.setText(short)
        tip = crs_label(crs)
        if self._gk:
            tip += "\n" + self.tr("Surveying convention: X is the northing, Y the easting.")
        self.crs_button.setToolTip(tip + "\n" + self.tr("Click for details"))
        self.coords.setToolTip(self.tr("Cursor position in the project CRS") +
                               ("\n" + self.tr("Surveying convention: X is the northing, Y the easting.")
                                if self._gk else ""))

    # -- cursor ----------------------------------------------------------------------------------
    def coordinate_text(self, x: float, y: float) -> str:
        """The project-CRS text for map coordinates (x = easting, y = northing)."""
        if self._gk:
            return self.tr("X {northing}  Y {easting}").format(northing=f"{y:.2f}", easting=f"{x:.2f}")
        return self.tr("E {easting}  N {northing}").format(easting=f"{x:.2f}", northing=f"{y:.2f}")

    def lonlat_text(self, x: float, y: float) -> str:
        if not self.crs:
            return ""
        try:
            lon, lat = transformer(self.crs, CGCS2000).transform(x, y)
        except Exception:  # noqa: BLE001 - outside the CRS's valid area
            return ""
        if not (math.isfinite(lon) and math.isfinite(lat)):
            return ""
        ew = "E" if lon >= 0 else "W"
        ns = "N" if lat >= 0 else "S"
        return f"{abs(lon):.6f}°{ew}  {abs(lat):.6f}°{ns}"

    def show_cursor(self, x: float, y: float) -> None:
        self.coords.setText(self.coordinate_text(x, y))
        self.lonlat.setText(self.lonlat_text(x, y))
        if self.grid:
            self.grid_coords.setText(self.grid_text(x, y))

    # -- a local grid ------------------------------------------------------------------------------
    def set_grid(self, name: str | None, crs: str | None) -> None:
        """Also show the cursor in ``crs`` (the WKT of the project's local system ``name``)."""
        self.grid, self._grid_crs = (name, crs) if name and crs else (None, None)
        self.grid_coords.clear()
        self.grid_coords.setVisible(self.grid is not None)
        if self.grid:
            self.grid_coords.setToolTip(self.tr("Cursor position in the local coordinate system {name}").format(
                name=name))

    def grid_text(self, x: float, y: float) -> str:
        """The cursor (project CRS) in the chosen local grid: ``NAME x … y …``."""
        if not (self.grid and self.crs):
            return ""
        try:
            gx, gy = transformer(self.crs, self._grid_crs).transform(x, y)
        except Exception:  # noqa: BLE001 - outside the valid area
            return ""
        if not (math.isfinite(gx) and math.isfinite(gy)):
            return ""
        return self.tr("{name}: x {x}  y {y}").format(name=self.grid, x=f"{gx:.3f}", y=f"{gy:.3f}")

    # -- scale -----------------------------------------------------------------------------------
    def set_scale(self, n: float) -> None:
        """Show the map's scale (does not emit :attr:`scale_entered`)."""
        if not (n and math.isfinite(n) and n > 0):
            return
        self._shown = float(n)
        le = self.scale_box.lineEdit()
        if le.hasFocus() and le.isModified():
            return  # the user is typing a scale: do not overwrite it
        self.scale_box.blockSignals(True)
        self.scale_box.setCurrentIndex(-1)
        self.scale_box.setEditText(format_scale(n))
        self.scale_box.blockSignals(False)

    def scale(self) -> float | None:
        return parse_scale(self.scale_box.currentText())

    def _same_as_shown(self, n: float) -> bool:
        return self._shown is not None and abs(n - self._shown) <= 1e-9 * max(n, 1.0)

    def _scale_typed(self) -> None:
        text = self.scale_box.currentText()
        if self.scale_box.findText(text) >= 0:
            return  # one of the listed scales: the combo box emits activated for it
        n = parse_scale(text)
        if not n:
            return
        self.scale_box.lineEdit().setModified(False)   # typed text is now the scale shown
        self._shown = n
        self.scale_entered.emit(n)
        if self.scale_box.currentText() == text:       # nobody re-formatted it: tidy it here
            self.set_scale(n)

    def _scale_picked(self, index: int) -> None:
        n = self.scale_box.itemData(index)
        if not n or self._same_as_shown(float(n)):
            return  # already the scale (the Enter that typed it also activates the item)
        self._shown = float(n)
        self.scale_entered.emit(float(n))

    # -- render ----------------------------------------------------------------------------------
    def show_render(self, seconds: float, features: int) -> None:
        self.render_time.setText(self.tr("Rendered in {seconds} s").format(seconds=f"{seconds:.3f}"))
        self.render_time.setToolTip(self.tr("{features} features drawn").format(features=f"{features:,}"))
