"""The control-point dialog: fit a city grid to points known in the grid and the base CRS.

A table of control points (typed, pasted from Excel, read from a CSV, or picked on the
map), the model, and — refitted at every change — the residual of every point, the
RMS, the worst points and the outliers; the residuals are drawn on the map as arrows
(:class:`ResidualArrowsTool`, exaggerated to be visible).  *Save system* keeps the
fitted system and its fit report in the project (:mod:`smartgis.project.local_crs`).
The least squares themselves are :func:`smartgis.crs.local.fit`.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QKeySequence, QPainter, QPen, QPolygonF, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox,
                               QFileDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout)

from smartgis.crs import crs_to_string, same_crs, transformer
from smartgis.crs.local import MIN_POINTS, MODELS, ControlPoint, LocalCRS, fit
from smartgis.errors import SmartGISError, UserError
from smartgis.i18n import localize
from smartgis.ui.maptools.base import MapTool

#: Table columns: key, editable.
COLUMNS = [("use", True), ("id", True), ("src_x", True), ("src_y", True), ("dst_x", True), ("dst_y", True),
           ("src_z", True), ("dst_z", True), ("dx", False), ("dy", False), ("r", False)]
COL = {k: i for i, (k, _e) in enumerate(COLUMNS)}
OUTLIER_COLOUR = QColor(210, 40, 40)
RESIDUAL_COLOUR = QColor(20, 110, 200)


class ResidualArrowsTool(MapTool):
    """Draws the residual of every control point as an arrow at its base position, and
    hands a clicked map point to the dialog while picking.

    Arrows are scaled so the longest is about :attr:`LONGEST_PX` pixels; the factor is
    written beside them.
    """

    LONGEST_PX = 40.0
    picked = Signal(float, float)

    def __init__(self, canvas):
        super().__init__(canvas)
        self.points = np.empty((0, 2))      # project CRS
        self.vectors = np.empty((0, 2))     # metres
        self.flags: list[bool] = []
        self.labels: list[str] = []
        self.picking = False

    def set_residuals(self, points, vectors, flags, labels) -> None:
        self.points = np.asarray(points, dtype=float).reshape(-1, 2)
        self.vectors = np.asarray(vectors, dtype=float).reshape(-1, 2)
        self.flags = list(flags)
        self.labels = list(labels)
        self.canvas.update()

    def exaggeration(self) -> float:
        """Map metres per residual metre: the longest arrow of a point that is not an outlier
        gets :attr:`LONGEST_PX` pixels (an outlier's arrow is cut at three times that)."""
        if not len(self.vectors):
            return 1.0
        r = np.hypot(self.vectors[:, 0], self.vectors[:, 1])
        good = r[~np.asarray(self.flags, dtype=bool)] if any(self.flags) and not all(self.flags) else r
        longest = float(np.max(good)) if len(good) else 0.0
        x0, _y0, x1, _y1 = self.canvas.extent()
        mupp = max((x1 - x0) / max(self.canvas.width(), 1), 1e-12)   # metres per pixel
        if longest <= 0:
            return 1.0
        return self.LONGEST_PX * mupp / longest

    def press(self, event, x, y) -> None:
        if self.picking and event.button() == Qt.MouseButton.LeftButton:
            self.picking = False
            self.picked.emit(x, y)

    def paint(self, painter: QPainter) -> None:
        if not len(self.points):
            return
        k = self.exaggeration()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for (x, y), (dx, dy), bad, label in zip(self.points, self.vectors, self.flags, self.labels):
            colour = OUTLIER_COLOUR if bad else RESIDUAL_COLOUR
            a = self.canvas.to_pixel(x, y)
            b = self.canvas.to_pixel(x + dx * k, y + dy * k)
            length = math.hypot(b.x() - a.x(), b.y() - a.y())
            if length > 3 * self.LONGEST_PX:      # an outlier: cut, its size is in the label
                f = 3 * self.LONGEST_PX / length
                b = QPointF(a.x() + (b.x() - a.x()) * f, a.y() + (b.y() - a.y()) * f)
                label = f"{label} {math.hypot(dx, dy):.3f} m"
            pen = QPen(colour, 2.0)
            painter.setPen(pen)
            painter.setBrush(QBrush(colour))
            painter.drawEllipse(a, 3.5, 3.5)
            painter.drawLine(a, b)
            ang = math.atan2(b.y() - a.y(), b.x() - a.x())
            if math.hypot(b.x() - a.x(), b.y() - a.y()) > 6:
                head = [b, QPointF(b.x() - 9 * math.cos(ang - 0.4), b.y() - 9 * math.sin(ang - 0.4)),
                        QPointF(b.x() - 9 * math.cos(ang + 0.4), b.y() - 9 * math.sin(ang + 0.4))]
                painter.drawPolygon(QPolygonF(head))
            painter.setPen(QPen(QColor(30, 30, 30)))
            painter.drawText(a + QPointF(6, -6), label)
        painter.setPen(QPen(QColor(30, 30, 30)))
        painter.drawText(QPointF(10, 20), self.tr("Residual arrows ×{factor}").format(factor=f"{k:,.0f}"))

    def cursor(self):
        from PySide6.QtGui import QCursor
        return QCursor(Qt.CursorShape.CrossCursor if self.picking else Qt.CursorShape.ArrowCursor)


class ControlPointDialog(QDialog):
    """Fit a local system from control points, see the residuals live, keep it in the project.

    Parameters
    ----------
    project : Project
    canvas : MapCanvas, optional
        Where residual arrows are drawn and points are picked.
    """

    saved = Signal(str)

    def __init__(self, project, canvas=None, parent=None):
        super().__init__(parent)
        self.project = project
        self.canvas = canvas
        self.result = None
        self.error: str | None = None
        self._updating = False
        self.setWindowTitle(self.tr("Local coordinate system from control points"))
        self.name = QLineEdit(self.tr("City grid"))
        self.model = QComboBox()
        labels = {"helmert2d": self.tr("4 parameters (helmert2d: shift, rotation, scale)"),
                  "affine": self.tr("6 parameters (affine)"),
                  "helmert7": self.tr("7 parameters (helmert7, geocentric, position vector)")}
        for m in MODELS:
            self.model.addItem(labels[m], m)
        self.base = QLineEdit(crs_to_string(project.crs))
        self.threshold = QDoubleSpinBox()
        self.threshold.setRange(0, 1000)
        self.threshold.setDecimals(3)
        self.threshold.setSuffix(" m")
        self.threshold.setSpecialValueText(self.tr("3 × RMS"))
        form = QFormLayout()
        form.addRow(self.tr("Name:"), self.name)
        form.addRow(self.tr("Model:"), self.model)
        form.addRow(self.tr("Base CRS (dst):"), self.base)
        form.addRow(self.tr("Outlier above:"), self.threshold)

        self.table = QTableWidget(0, len(COLUMNS))
        heads = {"use": self.tr("Use"), "id": self.tr("Point"), "src_x": self.tr("Grid x"), "src_y": self.tr("Grid y"),
                 "dst_x": self.tr("Base E"), "dst_y": self.tr("Base N"), "src_z": self.tr("Grid h"),
                 "dst_z": self.tr("Base h"), "dx": self.tr("dE (m)"), "dy": self.tr("dN (m)"),
                 "r": self.tr("Residual (m)")}
        self.table.setHorizontalHeaderLabels([heads[k] for k, _e in COLUMNS])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.itemChanged.connect(self._cell_changed)
        QShortcut(QKeySequence.Paste, self.table, activated=self.paste)

        b_add = QPushButton(self.tr("Add point"))
        b_add.clicked.connect(lambda: self.add_row())
        b_del = QPushButton(self.tr("Remove"))
        b_del.clicked.connect(self.remove_selected)
        b_paste = QPushButton(self.tr("Paste from Excel"))
        b_paste.clicked.connect(self.paste)
        b_csv = QPushButton(self.tr("Import CSV…"))
        b_csv.clicked.connect(self.import_csv)
        self.b_pick = QPushButton(self.tr("Pick base point on map"))
        self.b_pick.setToolTip(self.tr("Click the map to set the base coordinates of the selected point"))
        self.b_pick.clicked.connect(self.start_pick)
        self.b_pick.setEnabled(canvas is not None)
        b_zoom = QPushButton(self.tr("Zoom to points"))
        b_zoom.clicked.connect(self.zoom_to_points)
        b_zoom.setEnabled(canvas is not None)
        row = QHBoxLayout()
        for b in (b_add, b_del, b_paste, b_csv, self.b_pick, b_zoom):
            row.addWidget(b)
        row.addStretch(1)

        self.rms = QLabel()
        self.rms.setObjectName("rms_label")
        self.rms.setWordWrap(True)
        self.params = QLabel()
        self.params.setWordWrap(True)
        self.params.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Close)
        self.buttons.button(QDialogButtonBox.Save).setText(self.tr("Save system"))
        self.buttons.accepted.connect(self.save_system)
        self.buttons.rejected.connect(self.reject)

        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addLayout(row)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.rms)
        lay.addWidget(self.params)
        lay.addWidget(self.buttons)
        self.resize(900, 560)

        self.tool = None
        self._previous_tool = None
        if canvas is not None:
            self.tool = ResidualArrowsTool(canvas)
            self.tool.picked.connect(self._picked)
            self._previous_tool = canvas.map_tool()
            canvas.set_map_tool(self.tool)
        self.model.currentIndexChanged.connect(self._model_changed)
        self.threshold.valueChanged.connect(self.refit)
        self.base.editingFinished.connect(self.refit)
        self._model_changed()

    # -- the table ---------------------------------------------------------------------------
    def add_row(self, point: ControlPoint | None = None, use: bool = True) -> int:
        self._updating = True
        r = self.table.rowCount()
        self.table.insertRow(r)
        chk = QTableWidgetItem()
        chk.setFlags(Qt.ItemIsUserCheckable | Qt.ItemIsEnabled | Qt.ItemIsSelectable)
        chk.setCheckState(Qt.Checked if use else Qt.Unchecked)
        self.table.setItem(r, COL["use"], chk)
        pid = point.id if point else f"P{r + 1}"
        vals = {"id": pid}
        if point:
            vals.update({k: f"{getattr(point, k):.4f}" for k in ("src_x", "src_y", "dst_x", "dst_y", "src_z", "dst_z")})
        for key, editable in COLUMNS[1:]:
            it = QTableWidgetItem(vals.get(key, ""))
            if not editable:
                it.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
            elif key != "id":
                it.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            self.table.setItem(r, COL[key], it)
        self._updating = False
        return r

    def set_points(self, points: list[ControlPoint]) -> None:
        self.table.setRowCount(0)
        for p in points:
            self.add_row(p)
        self.refit()

    def points(self) -> tuple[list[ControlPoint], list[str]]:
        """Complete rows as control points, and the ids of rows unticked (excluded)."""
        pts, excluded = [], []
        for r in range(self.table.rowCount()):
            vals = {}
            for k in ("src_x", "src_y", "dst_x", "dst_y", "src_z", "dst_z"):
                it = self.table.item(r, COL[k])
                text = (it.text() if it else "").strip().replace(",", "")
                try:
                    vals[k] = float(text) if text else (0.0 if k.endswith("_z") else math.nan)
                except ValueError:
                    vals[k] = math.nan
            pid = (self.table.item(r, COL["id"]).text() or "").strip() or f"row{r + 1}"
            if not all(math.isfinite(v) for v in vals.values()):
                continue
            pts.append(ControlPoint(pid, **vals))
            if self.table.item(r, COL["use"]).checkState() != Qt.Checked:
                excluded.append(pid)
        return pts, excluded

    def remove_selected(self) -> None:
        for r in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(r)
        self.refit()

    def paste(self, text: str | None = None) -> int:
        """Rows from the clipboard (Excel: tab separated), with or without a header row.

        Without a header the columns are id, grid x, grid y, base E, base N (, grid h,
        base h).  Returns the number of rows added.
        """
        text = QGuiApplication.clipboard().text() if text is None or isinstance(text, bool) else text
        lines = [ln for ln in text.splitlines() if ln.strip()]
        if not lines:
            return 0
        first = lines[0].lower()
        if "src_x" in first:
            from smartgis.io.control_points import parse_points
            try:
                pts = parse_points("\n".join(lines), self.tr("clipboard"))
            except UserError as exc:
                self._show_error(exc.localized())
                return 0
        else:
            pts = []
            for ln in lines:
                cells = [c.strip() for c in (ln.split("\t") if "\t" in ln else ln.split(","))]
                try:
                    nums = [float(c) for c in cells[1:]]
                except ValueError:
                    continue
                if len(nums) >= 4:
                    z = nums[4:6] + [0.0] * (2 - len(nums[4:6]))
                    pts.append(ControlPoint(cells[0], *nums[:4], *z))
        for p in pts:
            self.add_row(p)
        self.refit()
        return len(pts)

    def import_csv(self, path: str | None = None) -> None:
        from smartgis.io.control_points import read_points
        if not path:
            path, _f = QFileDialog.getOpenFileName(self, self.tr("Control points"), "",
                                                   self.tr("CSV files (*.csv *.txt);;All files (*)"))
            if not path:
                return
        try:
            self.set_points(read_points(path, need_z=False))
        except UserError as exc:
            self._show_error(exc.localized())

    def _cell_changed(self, item) -> None:
        if not self._updating and item.column() not in (COL["dx"], COL["dy"], COL["r"]):
            self.refit()

    def _model_changed(self) -> None:
        three_d = self.model.currentData() == "helmert7"
        self.table.setColumnHidden(COL["src_z"], not three_d)
        self.table.setColumnHidden(COL["dst_z"], not three_d)
        self.refit()

    def zoom_to_points(self) -> None:
        """Show every control point (and its arrow) on the map."""
        if self.tool is None or not len(self.tool.points):
            return
        lo, hi = self.tool.points.min(axis=0), self.tool.points.max(axis=0)
        pad = max(float(np.max(hi - lo)) * 0.12, 50.0)
        self.canvas.set_extent((lo[0] - pad, lo[1] - pad, hi[0] + pad, hi[1] + pad))

    # -- picking -------------------------------------------------------------------------------
    def start_pick(self) -> None:
        if self.tool is None:
            return
        if self.table.currentRow() < 0:
            self.add_row()
            self.table.setCurrentCell(self.table.rowCount() - 1, COL["dst_x"])
        self.tool.picking = True
        self.canvas.setCursor(self.tool.cursor())

    def _picked(self, x: float, y: float) -> None:
        """A map click (project CRS) becomes the base coordinates of the current row."""
        r = self.table.currentRow()
        if r < 0:
            r = self.add_row()
        base = self.base.text().strip() or self.project.crs
        if not same_crs(base, self.project.crs):
            x, y = transformer(self.project.crs, base).transform(x, y)
        self._updating = True
        self.table.item(r, COL["dst_x"]).setText(f"{x:.3f}")
        self.table.item(r, COL["dst_y"]).setText(f"{y:.3f}")
        self._updating = False
        self.canvas.setCursor(self.tool.cursor())
        self.refit()

    # -- fitting -------------------------------------------------------------------------------
    def refit(self) -> None:
        """Fit again with the table as it is; update residuals, RMS and arrows."""
        model = self.model.currentData()
        pts, excluded = self.points()
        self.result, self.error = None, None
        threshold = self.threshold.value() or None
        try:
            if len(pts) - len(excluded) < MIN_POINTS[model]:
                raise UserError(self.tr("{model} needs at least {need} control points").format(
                    model=model, need=MIN_POINTS[model]))
            self.result = fit(pts, model, self.base.text().strip() or self.project.crs, exclude=excluded,
                              threshold_m=threshold)
        except SmartGISError as exc:
            self.error = exc.localized()
        self._show_result(pts)

    def _show_result(self, pts) -> None:
        self._updating = True
        by_id = {r["id"]: r for r in (self.result.residuals if self.result else [])}
        for r in range(self.table.rowCount()):
            pid = (self.table.item(r, COL["id"]).text() or "").strip()
            res = by_id.get(pid)
            for k in ("dx", "dy", "r"):
                it = self.table.item(r, COL[k])
                it.setText(f"{res[k]:.4f}" if res else "")
                it.setForeground(QBrush(OUTLIER_COLOUR if res and res["outlier"] else QColor(0, 0, 0)))
        self._updating = False
        self.buttons.button(QDialogButtonBox.Save).setEnabled(self.result is not None)
        if self.result is None:
            self.rms.setText(self.error or "")
            self.params.setText("")
            if self.tool is not None:
                self.tool.set_residuals([], [], [], [])
            return
        res = self.result
        worst = ", ".join(f"{w['id']} {w['r']:.4f}" for w in res.worst(3))
        text = self.tr("RMS {rms} m · {used} of {n} points used · worst: {worst}").format(
            rms=f"{res.rms_m:.4f}", used=res.used, n=len(pts), worst=worst)
        if res.outliers:
            text += " · " + self.tr("outliers: {ids}").format(ids=", ".join(res.outliers))
            text += " " + (self.tr("(refitted without them)") if res.refitted else self.tr("(not refitted)"))
        for note in res.notes:
            text += " · " + localize(note)
        self.rms.setText(text)
        self.params.setText(LocalCRS("preview", res.base, res.model, res.parameters).summary())
        if self.tool is not None:
            base = res.base
            xy = np.array([[p.dst_x, p.dst_y] for p in pts])
            if len(xy) and not same_crs(base, self.project.crs):
                t = transformer(base, self.project.crs)
                xy = np.column_stack(t.transform(xy[:, 0], xy[:, 1]))
            vec = np.array([[by_id[p.id]["dx"], by_id[p.id]["dy"]] for p in pts])
            self.tool.set_residuals(xy, vec, [by_id[p.id]["outlier"] for p in pts], [p.id for p in pts])

    def save_system(self) -> None:
        from smartgis.project.local_crs import put_local_crs
        if self.result is None:
            return
        try:
            system = LocalCRS(self.name.text().strip(), self.result.base, self.result.model, self.result.parameters,
                              fit=self.result.to_dict())
            put_local_crs(self.project, system, replace=True)
        except UserError as exc:
            self._show_error(exc.localized())
            return
        self.saved.emit(system.name)
        self.rms.setText(self.rms.text() + " · " + self.tr("saved as {name}").format(name=system.name))

    def _show_error(self, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox
        QMessageBox.warning(self, self.windowTitle(), message)

    def done(self, code) -> None:
        if self.canvas is not None and self.canvas.map_tool() is self.tool:
            self.canvas.set_map_tool(self._previous_tool)
        super().done(code)
