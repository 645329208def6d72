"""The style page of a raster: RGB bands, one band through a colour ramp, or hillshade."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from smartgis.core.style import RasterStyle
from smartgis.ui.dialogs.classify import RASTER_RAMPS

MODES = ("rgb", "singleband", "hillshade")


def _band_spin(count: int, value: int) -> QSpinBox:
    s = QSpinBox()
    s.setRange(1, max(1, count))
    s.setValue(min(max(1, value), max(1, count)))
    return s


class RasterStyleWidget(QWidget):
    """Edits a copy of a :class:`~smartgis.core.style.RasterStyle`."""

    def __init__(self, layer, parent=None):
        super().__init__(parent)
        self.layer = layer
        st: RasterStyle = layer.style.copy()
        self._style = st
        count = int(layer.info.get("count") or 1)
        self.mode = QComboBox()
        for key, label in (("rgb", self.tr("RGB colour (three bands)")),
                           ("singleband", self.tr("One band through a colour ramp")),
                           ("hillshade", self.tr("Hillshade (elevation model)"))):
            self.mode.addItem(label, key)
        self.stack = QStackedWidget()

        rgb = QWidget()
        bands = list(st.bands or [1, 2, 3]) + [1, 2, 3]
        self.red, self.green, self.blue = (_band_spin(count, bands[i]) for i in range(3))
        f = QFormLayout(rgb)
        f.addRow(self.tr("Red band:"), self.red)
        f.addRow(self.tr("Green band:"), self.green)
        f.addRow(self.tr("Blue band:"), self.blue)
        if count < 3:
            f.addRow(QLabel(self.tr("This raster has only {n} band(s).").format(n=count)))

        single = QWidget()
        self.band = _band_spin(count, st.band)
        self.ramp = QComboBox()
        ramp_names = {"greys": self.tr("Greys"), "terrain": self.tr("Terrain"), "viridis": self.tr("Viridis"),
                      "spectral": self.tr("Spectral")}
        for r in RASTER_RAMPS:
            self.ramp.addItem(ramp_names[r], r)
        self.ramp.setCurrentIndex(max(0, self.ramp.findData(st.ramp)))
        self.auto = QCheckBox(self.tr("Stretch from the statistics"))
        self.auto.setChecked(st.vmin is None or st.vmax is None)
        self.vmin, self.vmax = QDoubleSpinBox(), QDoubleSpinBox()
        for w, v in ((self.vmin, st.vmin), (self.vmax, st.vmax)):
            w.setRange(-1e12, 1e12)
            w.setDecimals(3)
            w.setValue(0.0 if v is None else float(v))
        lo, hi = self._stats_range()
        if st.vmin is None and lo is not None:
            self.vmin.setValue(lo)
        if st.vmax is None and hi is not None:
            self.vmax.setValue(hi)
        f = QFormLayout(single)
        f.addRow(self.tr("Band:"), self.band)
        f.addRow(self.tr("Colour ramp:"), self.ramp)
        f.addRow(self.auto)
        mm = QHBoxLayout()
        mm.addWidget(self.vmin)
        mm.addWidget(QLabel("–"))
        mm.addWidget(self.vmax)
        f.addRow(self.tr("Min – max:"), mm)
        self.auto.toggled.connect(lambda on: (self.vmin.setEnabled(not on), self.vmax.setEnabled(not on)))
        self.vmin.setEnabled(not self.auto.isChecked())
        self.vmax.setEnabled(not self.auto.isChecked())

        shade = QWidget()
        self.shade_band = _band_spin(count, st.band)
        self.azimuth = QDoubleSpinBox()
        self.azimuth.setRange(0, 360)
        self.azimuth.setSuffix("°")
        self.azimuth.setValue(st.azimuth)
        self.altitude = QDoubleSpinBox()
        self.altitude.setRange(0, 90)
        self.altitude.setSuffix("°")
        self.altitude.setValue(st.altitude)
        self.z_factor = QDoubleSpinBox()
        self.z_factor.setRange(0.01, 100)
        self.z_factor.setDecimals(2)
        self.z_factor.setValue(st.z_factor)
        f = QFormLayout(shade)
        f.addRow(self.tr("Band:"), self.shade_band)
        f.addRow(self.tr("Light azimuth:"), self.azimuth)
        f.addRow(self.tr("Light altitude:"), self.altitude)
        f.addRow(self.tr("Vertical exaggeration:"), self.z_factor)

        for w in (rgb, single, shade):
            self.stack.addWidget(w)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Render type:")))
        top.addWidget(self.mode, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.stack)
        lay.addStretch(1)
        self.mode.currentIndexChanged.connect(lambda i: self.stack.setCurrentIndex(i))
        self.mode.setCurrentIndex(MODES.index(st.mode) if st.mode in MODES else 0)
        self.stack.setCurrentIndex(self.mode.currentIndex())

    def _stats_range(self) -> tuple[float | None, float | None]:
        """Minimum and maximum of the band from ``info["stats"]`` when the import stored them."""
        stats = self.layer.info.get("stats") or self.layer.info.get("statistics")
        band = self._style.band
        entry = None
        if isinstance(stats, list) and stats:
            entry = stats[min(band, len(stats)) - 1]
        elif isinstance(stats, dict):
            entry = stats.get(str(band)) or stats.get(band) or stats
        if isinstance(entry, dict):
            lo, hi = entry.get("min"), entry.get("max")
            try:
                return (float(lo) if lo is not None else None, float(hi) if hi is not None else None)
            except (TypeError, ValueError):
                return None, None
        return None, None

    def style(self) -> RasterStyle:
        s = self._style.copy()
        s.mode = self.mode.currentData()
        if s.mode == "rgb":
            s.bands = [self.red.value(), self.green.value(), self.blue.value()]
        elif s.mode == "singleband":
            s.band = self.band.value()
            s.ramp = self.ramp.currentData()
            if self.auto.isChecked():
                s.vmin = s.vmax = None
            else:
                s.vmin, s.vmax = float(self.vmin.value()), float(self.vmax.value())
        else:
            s.band = self.shade_band.value()
            s.azimuth = float(self.azimuth.value())
            s.altitude = float(self.altitude.value())
            s.z_factor = float(self.z_factor.value())
        return s
