"""Long work off the GUI thread: a worker thread, a progress dialog, Cancel.

``fn(*args, progress=cb, **kwargs)`` runs on a :class:`QThread`; ``cb`` follows the
progress protocol of :mod:`smartgis.core.progress` (``cb(done, total, message)``
returns ``False`` once the user pressed Cancel, and the operation raises
:class:`~smartgis.errors.Cancelled`).  Results and errors come back to the GUI thread
through queued signals, as in napari's request → worker → response pattern, so the
callbacks may touch widgets and the model freely.

The callback may be called millions of times; it only stores the figures and lets a
GUI-thread timer show them, so a chatty operation never floods the event loop.
"""

from __future__ import annotations

import threading
import time
import traceback
from typing import Any, Callable

from PySide6.QtCore import QEventLoop, QObject, QThread, QTimer, Qt, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from smartgis.errors import Cancelled
from smartgis.i18n import localize

#: How long a task runs before its progress dialog appears (ms): quick work shows none.
DIALOG_DELAY_MS = 400
#: How often the dialog shows the latest progress (ms).
POLL_MS = 50


class _Worker(QThread):
    """Runs one call and remembers its outcome (the thread never touches widgets)."""

    def __init__(self, task: "Task"):
        super().__init__()
        self._task = task

    def run(self) -> None:  # noqa: D401 - QThread API
        t = self._task
        try:
            t.result = t.fn(*t.args, progress=t.progress_callback, **t.kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
            t.exception = exc
            t.traceback = traceback.format_exc()


class Task(QObject):
    """One background call.

    Signals
    -------
    finished(task)
        On the GUI thread once the call returned, raised or was cancelled.

    Attributes
    ----------
    result : Any
        What ``fn`` returned.
    exception : BaseException or None
        What it raised (:class:`Cancelled` after a cancel).
    """

    finished = Signal(object)

    def __init__(self, title: str, fn: Callable, args=(), kwargs=None, parent: QObject | None = None):
        super().__init__(parent)
        self.title = title
        self.fn = fn
        self.args = tuple(args)
        self.kwargs = dict(kwargs or {})
        self.result: Any = None
        self.exception: BaseException | None = None
        self.traceback = ""
        self.started_at = 0.0
        self._lock = threading.Lock()
        self._fraction = 0.0
        self._message = ""
        self._cancel = threading.Event()
        self._done = False
        self._thread = _Worker(self)
        self._thread.finished.connect(self._on_thread_finished, Qt.QueuedConnection)

    # -- called on the worker thread -------------------------------------------------------
    def progress_callback(self, done=0.0, total=1.0, message: str = "") -> bool | None:
        """The ``progress`` argument given to ``fn`` (thread-safe)."""
        try:
            frac = float(done) / float(total) if total else 1.0
        except (TypeError, ValueError, ZeroDivisionError):
            frac = 0.0
        with self._lock:
            self._fraction = min(1.0, max(0.0, frac))
            if message:
                # a model message keeps its template, to be shown in the interface language
                self._message = message if isinstance(message, str) else str(message)
        return False if self._cancel.is_set() else None

    # -- GUI thread --------------------------------------------------------------------------
    def start(self) -> "Task":
        self.started_at = time.monotonic()
        self._thread.start()
        return self

    def cancel(self) -> None:
        """Ask the operation to stop at its next progress report."""
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    @property
    def running(self) -> bool:
        return not self._done

    @property
    def cancelled(self) -> bool:
        return isinstance(self.exception, Cancelled)

    def progress(self) -> tuple[float, str]:
        """The latest (fraction 0..1, message) reported by the worker."""
        with self._lock:
            return self._fraction, self._message

    def wait(self, timeout_ms: int | None = None) -> bool:
        """Keep the event loop running until the task has finished; True if it did.

        The window stays responsive meanwhile (this is a nested event loop, not a
        blocking join), so a caller that needs the result before returning — such as
        :meth:`MainWindow.open_project` — never freezes the interface.
        """
        if self._done:
            return True
        loop = QEventLoop()
        self.finished.connect(loop.quit)
        if timeout_ms is not None:
            QTimer.singleShot(int(timeout_ms), loop.quit)
        loop.exec()
        return self._done

    def _on_thread_finished(self) -> None:
        self._thread.wait()
        self._done = True
        self.finished.emit(self)


class TaskDialog(QProgressDialog):
    """The progress dialog of one task, shown after :data:`DIALOG_DELAY_MS`."""

    def __init__(self, task: Task, parent: QWidget | None = None):
        super().__init__(parent)
        self.task = task
        self.setWindowTitle(task.title)
        self.setLabelText(task.title)
        self.setCancelButtonText(self.tr("Cancel"))
        self.setRange(0, 1000)
        self.setMinimumDuration(DIALOG_DELAY_MS)
        self.setWindowModality(Qt.WindowModal)  # the model must not change under the worker
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumWidth(380)
        self.canceled.connect(self._on_cancel)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._timer.start()
        self.setValue(0)

    def _poll(self) -> None:
        if self.task.cancel_requested:
            return
        frac, message = self.task.progress()
        if message:
            self.setLabelText(f"{self.task.title}\n{localize(message)}")
        self.setValue(int(frac * 999))  # 1000 would auto-close; finishing does that

    def _on_cancel(self) -> None:
        self.task.cancel()
        self.setLabelText(self.tr("Cancelling…"))
        # QProgressDialog hides itself on cancel; keep it up until the worker stops so
        # the window stays locked while the operation unwinds.
        self.show()

    def finish(self) -> None:
        self._timer.stop()
        self.hide()
        self.deleteLater()


class TaskRunner(QObject):
    """Starts tasks for a window and delivers their outcome on the GUI thread.

    Parameters
    ----------
    parent : QWidget
        The window; progress dialogs are modal to it.
    on_error : callable
        ``on_error(exception, task)`` for failures without their own handler.
    on_cancelled : callable, optional
        ``on_cancelled(task)`` after a cancel (e.g. a status bar message).
    """

    task_started = Signal(object)
    task_finished = Signal(object)

    def __init__(self, parent: QWidget, on_error: Callable, on_cancelled: Callable | None = None):
        super().__init__(parent)
        self._widget = parent
        self._on_error = on_error
        self._on_cancelled = on_cancelled
        self.tasks: list[Task] = []

    def run(self, title: str, fn: Callable, *args, on_done: Callable | None = None,
            on_error: Callable | None = None, show_progress: bool = True, **kwargs) -> Task:
        """Run ``fn(*args, progress=cb, **kwargs)`` on a worker thread; see the module doc."""
        task = Task(title, fn, args, kwargs, parent=self)
        dialog = TaskDialog(task, self._widget) if show_progress else None

        def finished(t: Task) -> None:
            if dialog is not None:
                dialog.finish()
            if t in self.tasks:
                self.tasks.remove(t)
            try:
                if t.exception is None:
                    if on_done is not None:
                        on_done(t.result)
                elif isinstance(t.exception, Cancelled):
                    if self._on_cancelled is not None:
                        self._on_cancelled(t)
                elif on_error is not None:
                    on_error(t.exception)
                else:
                    self._on_error(t.exception, t)
            finally:
                self.task_finished.emit(t)
                t.deleteLater()

        task.finished.connect(finished)
        self.tasks.append(task)
        task.start()
        self.task_started.emit(task)
        return task

    def cancel_all(self, wait_ms: int = 10000) -> bool:
        """Cancel every running task and wait (event loop running) until they stop."""
        deadline = time.monotonic() + wait_ms / 1000
        for t in list(self.tasks):
            t.cancel()
        while self.tasks and time.monotonic() < deadline:
            QApplication.processEvents(QEventLoop.AllEvents, 50)
            time.sleep(0.005)
        return not self.tasks

    @property
    def busy(self) -> bool:
        """True while work the user started runs (quiet background work such as the
        autosave does not count: closing just cancels it)."""
        return any(not getattr(t, "quiet", False) for t in self.tasks)
