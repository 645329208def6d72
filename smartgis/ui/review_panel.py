"""The review panel: comments pinned on the map, their answers, and the sign-off.

A reviewer opens a project for review (read-only), pins comments on the map with the
comment tool — on an element under the cursor, or on a place — and signs off.  The
designer sees the same comments here and resolves them with an answer.  Every action
saves the review tables at once (and only them: see :mod:`smartgis.review`).

Pins are drawn by a transparent overlay laid over the map canvas, so they stay on
screen whatever map tool is active.
"""

from __future__ import annotations

import html

import numpy as np
import shapely
from PySide6.QtCore import QDate, QEvent, QObject, QPointF, QRectF, QSettings, Qt, QThread, Signal
from PySide6.QtGui import QBrush, QColor, QCursor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smartgis.errors import SmartGISError, UserError
from smartgis.i18n import localize
from smartgis.review import DECISIONS, Comment, review_of
from smartgis.ui.maptools.base import MapTool

OPEN_COLOR = QColor("#e8590c")
RESOLVED_COLOR = QColor("#2f9e44")
SELECTED_COLOR = QColor("#d6336c")
#: How close (pixels) a click must be to an element to pin the comment on it.
PICK_PX = 8.0

_SETTINGS_AUTHOR = "review/author"


def remembered_author(project) -> str:
    """The name last used for comments, else the project's reviewer."""
    name = QSettings().value(_SETTINGS_AUTHOR, "")
    return str(name or (project.metadata.get("reviewer") if project is not None else "") or "")


def remember_author(name: str) -> None:
    if name:
        QSettings().setValue(_SETTINGS_AUTHOR, name)


def pick_element(project, x: float, y: float, tolerance: float):
    """The design element nearest to (x, y) within ``tolerance`` map units, as
    ``(layer, index)``, or None.  Vectorised per element layer."""
    best, best_d = None, tolerance
    p = shapely.Point(x, y)
    for lyr in project.design.layers.values():
        if not lyr.feature_count:
            continue
        geoms = lyr.geometries
        b = lyr.bounds
        near = np.flatnonzero((b[:, 0] - tolerance <= x) & (b[:, 2] + tolerance >= x)
                              & (b[:, 1] - tolerance <= y) & (b[:, 3] + tolerance >= y))
        if not len(near):
            continue
        d = shapely.distance(geoms[near], p)
        k = int(np.argmin(d))
        if d[k] <= best_d:
            best, best_d = (lyr, int(near[k])), float(d[k])
    return best


def _when(iso: str | None) -> str:
    """``2024-05-20T01:00:00+00:00`` → ``2024-05-20 09:00`` in the user's time zone."""
    from smartgis.core.times import show
    return show(iso)


def _pin_path(tip: QPointF, size: float) -> QPainterPath:
    """A map pin whose point is at ``tip``."""
    r = size / 2
    c = QPointF(tip.x(), tip.y() - size * 1.25)
    path = QPainterPath()
    path.moveTo(tip)
    path.lineTo(c.x() - r * 0.62, c.y() + r * 0.78)
    path.arcTo(QRectF(c.x() - r, c.y() - r, size, size), 218, -256)
    path.closeSubpath()
    return path


def paint_pins(painter: QPainter, canvas, comments, selected: str | None = None) -> None:
    """Numbered pins of comments, in widget pixels of ``canvas``."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    size = 20.0
    font = QFont(painter.font())
    font.setPixelSize(11)
    font.setBold(True)
    painter.setFont(font)
    w, h = canvas.width(), canvas.height()
    for c in comments:
        if c.x is None or c.y is None:
            continue
        tip = canvas.to_pixel(c.x, c.y)
        if not (-size <= tip.x() <= w + size and -size <= tip.y() <= h + 2 * size):
            continue
        color = SELECTED_COLOR if c.comment_id == selected else (OPEN_COLOR if c.is_open else RESOLVED_COLOR)
        painter.setPen(QPen(QColor("white"), 1.6))
        painter.setBrush(QBrush(color))
        painter.drawPath(_pin_path(tip, size))
        centre = QPointF(tip.x(), tip.y() - size * 1.25)
        painter.setPen(QColor("white"))
        painter.drawText(QRectF(centre.x() - size / 2, centre.y() - size / 2, size, size),
                         int(Qt.AlignmentFlag.AlignCenter), str(c.number))
    painter.restore()


class PinOverlay(QWidget):
    """A transparent layer over the map canvas that draws the comment pins."""

    def __init__(self, canvas, panel: "ReviewPanel"):
        super().__init__(canvas)
        self.canvas, self.panel = canvas, panel
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, True)
        self.setGeometry(canvas.rect())
        canvas.installEventFilter(self)
        for sig in ("extent_changed", "scale_changed", "render_finished"):
            s = getattr(canvas, sig, None)
            if s is not None:
                s.connect(self.update)
        self.raise_()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if obj is self.canvas and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.canvas.rect())
            self.raise_()
        return False

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        review = self.panel.review
        if review is None or not self.panel.show_pins:
            return
        p = QPainter(self)
        try:
            paint_pins(p, self.canvas, self.panel.visible_comments(), self.panel.selected_id())
        finally:
            p.end()


class CommentPinTool(MapTool):
    """Click on the map to pin a comment: on the element under the cursor, or on the place."""

    def __init__(self, canvas, panel: "ReviewPanel"):
        super().__init__(canvas)
        self.panel = panel
        self._hover = None

    def cursor(self):
        return QCursor(Qt.CursorShape.CrossCursor)

    def move(self, event, x, y) -> None:
        project = self.panel.project
        if project is None:
            return
        hit = pick_element(project, x, y, PICK_PX * self.canvas.map_units_per_pixel())
        if hit != self._hover:
            self._hover = hit
            self.canvas.update()

    def release(self, event, x, y) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.panel.project is None:
            return
        hit = pick_element(self.panel.project, x, y, PICK_PX * self.canvas.map_units_per_pixel())
        self.panel.add_comment_at(x, y, hit)

    def key_press(self, event) -> bool:
        if event.key() == Qt.Key.Key_Escape:
            self.canvas.set_map_tool(None)
            return True
        return False

    def deactivate(self) -> None:
        self._hover = None
        super().deactivate()
        self.panel.tool_deactivated()

    def paint(self, painter) -> None:
        if self._hover is None:
            return
        lyr, i = self._hover
        g = lyr.geometries[i]
        p = shapely.point_on_surface(g)
        pt = self.canvas.to_pixel(float(p.x), float(p.y))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(SELECTED_COLOR, 2.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(pt, 11.0, 11.0)
        painter.drawText(QPointF(pt.x() + 14, pt.y() - 10), f"{lyr.name} {lyr.table.value(i, 'name') or ''}".strip())
        painter.restore()


class CommentDialog(QDialog):
    """Write a comment: who, what; shows where it is pinned."""

    def __init__(self, parent, target: str, author: str = ""):
        super().__init__(parent)
        self.setWindowTitle(self.tr("New review comment"))
        self.author = QLineEdit(author)
        self.author.setPlaceholderText(self.tr("Your name"))
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(self.tr("What should the designer look at or change?"))
        self.text.setMinimumSize(380, 120)
        form = QFormLayout()
        pinned = QLabel(target)
        pinned.setTextFormat(Qt.TextFormat.PlainText)   # names from the file are text, never markup
        form.addRow(self.tr("Pinned to"), pinned)
        form.addRow(self.tr("Author"), self.author)
        form.addRow(self.tr("Comment"), self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(buttons)
        (self.text if author else self.author).setFocus()

    def _accept(self) -> None:
        if not self.author.text().strip():
            QMessageBox.warning(self, self.windowTitle(), self.tr("Please give your name."))
            return
        if not self.text.toPlainText().strip():
            QMessageBox.warning(self, self.windowTitle(), self.tr("Please write the comment."))
            return
        self.accept()


class SignOffDialog(QDialog):
    """The reviewer's decision: approve, revise and resubmit, or reject."""

    def __init__(self, parent, reviewer: str = "", open_comments: int = 0):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sign off the design"))
        self.reviewer = QLineEdit(reviewer)
        self.reviewer.setPlaceholderText(self.tr("Reviewer's name"))
        self.decisions = QButtonGroup(self)
        box = QVBoxLayout()
        labels = {"approve": self.tr("Approve"), "revise": self.tr("Revise and resubmit"),
                  "reject": self.tr("Reject")}
        for k, d in enumerate(DECISIONS):
            rb = QRadioButton(labels[d])
            rb.setObjectName(f"decision_{d}")
            self.decisions.addButton(rb, k)
            box.addWidget(rb)
        self.decisions.button(1 if open_comments else 0).setChecked(True)
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(self.tr("Opinion of the review (shown in the title block of map sheets)"))
        self.note.setMinimumSize(380, 90)
        form = QFormLayout()
        form.addRow(self.tr("Reviewer"), self.reviewer)
        form.addRow(self.tr("Decision"), box)
        form.addRow(self.tr("Date"), self.date)
        form.addRow(self.tr("Note"), self.note)
        self.warning = QLabel(self.tr("%n comment(s) still open.", "", open_comments) if open_comments else "")
        self.warning.setStyleSheet("color: #c92a2a")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign off"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.warning)
        lay.addWidget(buttons)

    def decision(self) -> str:
        return DECISIONS[max(0, self.decisions.checkedId())]

    def _accept(self) -> None:
        if not self.reviewer.text().strip():
            QMessageBox.warning(self, self.windowTitle(), self.tr("Please give the reviewer's name."))
            return
        self.accept()


class ReviewPanel(QWidget):
    """The list of review comments with their answers, and the sign-off.

    Signals
    -------
    comment_selected(object)
        The selected :class:`smartgis.review.Comment` (or None).
    """

    comment_selected = Signal(object)
    #: Relays the model's ``changed`` to the GUI thread (a save runs on a worker thread).
    _review_changed = Signal(str)

    def __init__(self, window):
        super().__init__()
        self._review_changed.connect(self._on_review_changed_gui, Qt.ConnectionType.QueuedConnection)
        self.setObjectName("review_panel")
        self.window = window
        self.project = None
        self.review = None
        self.show_pins = True
        self.tool: CommentPinTool | None = None
        self.overlay: PinOverlay | None = None
        self._saving = False
        self._save_again = False

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setObjectName("review_banner")
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.filter = QComboBox()
        self.filter.addItem(self.tr("All comments"), "all")
        self.filter.addItem(self.tr("Open"), "open")
        self.filter.addItem(self.tr("Resolved"), "resolved")
        self.filter.currentIndexChanged.connect(self.refresh)

        self.add_button = QToolButton()
        self.add_button.setText(self.tr("Add comment"))
        self.add_button.setToolTip(self.tr("Click on the map (or on an element) to pin a comment"))
        self.add_button.setCheckable(True)
        self.add_button.toggled.connect(self._toggle_tool)
        self.resolve_button = QPushButton(self.tr("Resolve…"))
        self.resolve_button.clicked.connect(self.resolve_selected)
        self.reopen_button = QPushButton(self.tr("Reopen"))
        self.reopen_button.clicked.connect(self.reopen_selected)
        self.signoff_button = QPushButton(self.tr("Sign off…"))
        self.signoff_button.clicked.connect(self.sign_off)

        self.list = QTreeWidget()
        self.list.setObjectName("review_comments")
        self.list.setHeaderLabels([self.tr("#"), self.tr("Status"), self.tr("Author"), self.tr("Comment")])
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setUniformRowHeights(True)
        hdr = self.list.header()
        hdr.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for col in (0, 1, 2):
            hdr.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.setMinimumWidth(300)
        self.list.itemSelectionChanged.connect(self._selection_changed)
        self.list.itemDoubleClicked.connect(lambda *_: self.zoom_to_selected())
        self.detail = QTextBrowser()
        self.detail.setObjectName("review_detail")
        self.signoffs = QLabel()
        # reviewer names and notes come from the file: shown as text, never as markup
        self.signoffs.setTextFormat(Qt.TextFormat.PlainText)
        self.signoffs.setWordWrap(True)
        self.signoffs.setObjectName("review_signoffs")

        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.add_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.resolve_button)
        buttons.addWidget(self.reopen_button)
        buttons.addStretch(1)
        buttons.addWidget(self.signoff_button)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.list)
        split.addWidget(self.detail)
        split.setSizes([300, 120])
        lay = QVBoxLayout(self)
        lay.addWidget(self.banner)
        lay.addWidget(self.summary)
        lay.addLayout(top)
        lay.addWidget(split, 1)
        lay.addLayout(buttons)
        lay.addWidget(self.signoffs)
        self.set_project(getattr(window, "project", None))

    # -- project -----------------------------------------------------------------------
    @property
    def canvas(self):
        return getattr(self.window, "canvas", None)

    def set_project(self, project) -> None:
        if self.review is not None:
            self.review.changed.disconnect(self._on_review_changed)
        self.project = project
        try:
            self.review = review_of(project) if project is not None else None
        except UserError as exc:
            # unreadable review rows: the design still shows, the review does not
            self.review = None
            if hasattr(self.window, "show_error"):
                self.window.show_error(exc)
        if self.review is not None:
            self.review.changed.connect(self._on_review_changed)
        if self.overlay is None and self.canvas is not None:
            self.overlay = PinOverlay(self.canvas, self)
        self.refresh()

    def _on_review_changed(self, what) -> None:
        if QThread.currentThread() is self.thread():
            self.refresh()
        else:
            self._review_changed.emit(str(what))

    def _on_review_changed_gui(self, what: str) -> None:
        self.refresh()

    def read_only(self) -> bool:
        return bool(getattr(self.window, "read_only", False) or (self.project is not None and self.project.read_only))

    # -- list ----------------------------------------------------------------------------
    def visible_comments(self) -> list[Comment]:
        if self.review is None:
            return []
        mode = self.filter.currentData()
        return self.review.comments(None if mode == "all" else mode)

    def selected_comment(self) -> Comment | None:
        items = self.list.selectedItems()
        if not items or self.review is None:
            return None
        cid = items[0].data(0, Qt.ItemDataRole.UserRole)
        return next((c for c in self.review.comments() if c.comment_id == cid), None)

    def selected_id(self) -> str | None:
        c = self.selected_comment()
        return c.comment_id if c else None

    def _target_text(self, c: Comment) -> str:
        if c.element_uid:
            label = c.element_type or ""
            if self.project is not None and c.element_type in self.project.catalog:
                label = self.project.catalog.get(c.element_type).label(self._lang())
            return f"{label} {c.element_uid[:8]}"
        if c.x is None:
            return ""
        return f"X={c.y:.1f}, Y={c.x:.1f}"

    def _lang(self) -> str:
        from PySide6.QtWidgets import QApplication
        return QApplication.instance().property("smartgis_language") or "zh"

    def refresh(self) -> None:
        keep = self.selected_id()
        self.list.blockSignals(True)
        self.list.clear()
        has = self.review is not None
        ro = self.read_only()
        self.banner.setVisible(has)
        if has:
            self.banner.setText(self.tr("Review mode: the design is read-only; comments and sign-offs are saved "
                                        "into the project file.") if ro else
                                self.tr("Comments of the reviewers: resolve them with an answer."))
            self.banner.setStyleSheet("background: #fff3bf; padding: 4px" if ro else "padding: 4px")
        for c in self.visible_comments():
            status = self.tr("Open") if c.is_open else self.tr("Resolved")
            item = QTreeWidgetItem([c.label, status, c.author, c.text.replace("\n", " ")])
            item.setData(0, Qt.ItemDataRole.UserRole, c.comment_id)
            item.setForeground(1, QBrush(OPEN_COLOR if c.is_open else RESOLVED_COLOR))
            # a tooltip renders markup it finds: escape the file's text
            tip = self._esc(f"{c.text}\n{self.tr('Pinned to')}: {self._target_text(c)}")
            item.setToolTip(3, f"<p style='white-space:pre-wrap'>{tip}</p>")
            self.list.addTopLevelItem(item)
            if c.comment_id == keep:
                item.setSelected(True)
        self.list.blockSignals(False)
        if has:
            s = self.review.summary()
            self.summary.setText(self.tr("%1 comment(s): %2 open, %3 resolved").replace("%1", str(s["comments"]))
                                 .replace("%2", str(s["open"])).replace("%3", str(s["resolved"])))
        else:
            self.summary.setText(self.tr("Open a project to see its review comments."))
        self._show_signoffs()
        self._selection_changed()
        for w in (self.add_button, self.signoff_button, self.filter):
            w.setEnabled(has and self.project.path is not None)
        if self.overlay is not None:
            self.overlay.update()

    def _decision_text(self, d: str) -> str:
        return {"approve": self.tr("Approve"), "revise": self.tr("Revise and resubmit"),
                "reject": self.tr("Reject")}.get(d, d)

    def _show_signoffs(self) -> None:
        if self.review is None or not self.review.signoffs():
            self.signoffs.setText(self.tr("Not signed off yet.") if self.review is not None else "")
            return
        lines = []
        for s in self.review.signoffs()[-3:]:
            line = self.tr("Sign-off: %1 by %2 on %3").replace("%1", self._decision_text(s.decision)) \
                .replace("%2", s.reviewer).replace("%3", s.date)
            if self.review.design_changed_since(s):
                line += " " + self.tr("(the design has changed since)")
            if s.note:
                line += f" — {s.note}"
            lines.append(line)
        self.signoffs.setText("\n".join(lines))

    def _selection_changed(self) -> None:
        c = self.selected_comment()
        self.resolve_button.setEnabled(c is not None and c.is_open)
        self.reopen_button.setEnabled(c is not None and not c.is_open)
        if c is None:
            self.detail.setPlainText("")
        else:
            parts = [f"<b>{c.label}</b> {self._esc(c.author)} · {self._esc(_when(c.created))}",
                     f"<p>{self._esc(c.text).replace(chr(10), '<br>')}</p>",
                     f"<p><i>{self.tr('Pinned to')}: {self._esc(self._target_text(c))}</i></p>"]
            if not c.is_open or c.resolution:
                who = " · ".join(v for v in (c.resolved_by or "", _when(c.resolved_at)) if v)
                parts.append(f"<p style='color:#2f9e44'><b>{self.tr('Answer')}</b> {self._esc(who)}<br>"
                             f"{self._esc(c.resolution or '').replace(chr(10), '<br>')}</p>")
            self.detail.setHtml("".join(parts))
        self.comment_selected.emit(c)
        if self.overlay is not None:
            self.overlay.update()

    @staticmethod
    def _esc(s: str) -> str:
        return html.escape(s or "", quote=True)

    def select_comment(self, ref) -> None:
        """Select a comment in the list (by number or id)."""
        c = self.review.comment(ref)
        for i in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(i)
            if item.data(0, Qt.ItemDataRole.UserRole) == c.comment_id:
                self.list.clearSelection()
                self.list.setCurrentItem(item)
                item.setSelected(True)
                return

    # -- actions -----------------------------------------------------------------------
    def zoom_to_selected(self) -> None:
        c = self.selected_comment()
        canvas = self.canvas
        if c is None or canvas is None or c.x is None:
            return
        x0, y0, x1, y1 = canvas.extent()
        hw, hh = (x1 - x0) / 2, (y1 - y0) / 2
        canvas.set_extent((c.x - hw, c.y - hh, c.x + hw, c.y + hh))
        geom = shapely.Point(c.x, c.y)
        if c.element_uid and self.project is not None:
            try:
                lyr, i = self.project.design.find(c.element_uid)
                geom = lyr.geometries[i]
            except SmartGISError:
                pass
        canvas.set_highlight([geom], color=SELECTED_COLOR.name())

    def _toggle_tool(self, on: bool) -> None:
        canvas = self.canvas
        if canvas is None:
            return
        if on:
            if self.tool is None:
                self.tool = CommentPinTool(canvas, self)
            canvas.set_map_tool(self.tool)
        elif canvas.map_tool() is self.tool:
            canvas.set_map_tool(None)

    def tool_deactivated(self) -> None:
        self.add_button.blockSignals(True)
        self.add_button.setChecked(False)
        self.add_button.blockSignals(False)

    def add_comment_at(self, x: float, y: float, hit=None, text: str | None = None, author: str | None = None):
        """Ask for the comment (unless ``text`` and ``author`` are given) and save it."""
        if self.review is None:
            return None
        if hit is not None:
            lyr, i = hit
            name = lyr.table.value(i, "name") or ""
            target = f"{lyr.name} {name}".strip()
        else:
            target = f"X={y:.1f}, Y={x:.1f}"
        if text is None or author is None:
            dlg = CommentDialog(self, target, remembered_author(self.project))
            if dlg.exec() != QDialog.DialogCode.Accepted:
                return None
            text, author = dlg.text.toPlainText(), dlg.author.text()
        try:
            if hit is not None:
                lyr, i = hit
                c = self.review.add_comment(text, author, element=lyr.table.value(i, "uid"))
            else:
                c = self.review.add_comment(text, author, at=(x, y))
        except SmartGISError as exc:
            self._error(exc)
            return None
        remember_author(author.strip())
        self.save()
        self.select_comment(c.comment_id)
        return c

    def resolve_selected(self, note: str | None = None) -> None:
        c = self.selected_comment()
        if c is None:
            return
        if note is None:
            note, ok = QInputDialog.getMultiLineText(self, self.tr("Resolve comment"),
                                                     self.tr("How was %1 resolved?").replace("%1", c.label))
            if not ok:
                return
        by = (self.project.metadata.get("designer") if self.project is not None else "") or remembered_author(
            self.project)
        self.review.resolve(c.comment_id, by=by or None, note=note)
        self.save()

    def reopen_selected(self) -> None:
        c = self.selected_comment()
        if c is None:
            return
        self.review.reopen(c.comment_id, by=remembered_author(self.project) or None)
        self.save()

    def sign_off(self, decision: str | None = None, reviewer: str | None = None, note: str = "") -> None:
        if self.review is None:
            return
        date = None
        if decision is None or reviewer is None:
            dlg = SignOffDialog(self, remembered_author(self.project), self.review.summary()["open"])
            if dlg.exec() != QDialog.DialogCode.Accepted:
                return
            decision, reviewer, note = dlg.decision(), dlg.reviewer.text(), dlg.note.toPlainText()
            date = dlg.date.date().toString("yyyy-MM-dd")
        try:
            self.review.sign_off(reviewer, decision, note=note, date=date)
        except SmartGISError as exc:
            self._error(exc)
            return
        remember_author(reviewer.strip())
        self.save()

    def save(self) -> None:
        """Write the review tables (on a worker thread through the window when it can)."""
        if self.review is None:
            return
        run_task = getattr(self.window, "run_task", None)
        if run_task is None:
            try:
                self.review.save()
            except SmartGISError as exc:
                self._error(exc)
            return
        if self._saving:
            # one save at a time (they share the temporary file); the next one writes
            # whatever was added meanwhile
            self._save_again = True
            return
        self._saving = True
        run_task(self.tr("Saving review comments"), self._save_task, on_done=self._saved, on_error=self._save_failed)

    def _save_task(self, progress=None):
        return self.review.save(progress=progress)

    def _saved(self, _result=None) -> None:
        self._saving = False
        self.refresh()
        if self._save_again:
            self._save_again = False
            self.save()

    def _save_failed(self, exc) -> None:
        self._saving = False
        self._save_again = False
        self._error(exc)
        self.refresh()

    @property
    def is_saving(self) -> bool:
        return self._saving or self._save_again

    def _error(self, exc) -> None:
        show = getattr(self.window, "show_error", None)
        if show is not None:
            show(exc, self.tr("Review"))
        else:
            QMessageBox.warning(self, self.tr("Review"), localize(exc))
