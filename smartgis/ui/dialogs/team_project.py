"""Team projects in the window: open a project by its PostGIS URL (asking for the
password, which is used for this session and never stored), and, when a save meets
a colleague's edits, offer reload, merge or overwrite."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QMessageBox,
                               QVBoxLayout)


def tr(text: str) -> str:
    return QCoreApplication.translate("TeamProject", text)


class TeamProjectDialog(QDialog):
    """The URL of a team project and, when the server asks for one, a password."""

    def __init__(self, parent=None, url: str = "", ask_password: bool = True, problem: str = ""):
        super().__init__(parent)
        self.setObjectName("team_project_dialog")
        self.setWindowTitle(tr("Open team project"))
        form = QFormLayout()
        self.url = QLineEdit(url)
        self.url.setObjectName("team_url")
        self.url.setPlaceholderText("postgresql://USER@HOST[:PORT]/DB?schema=NAME")
        self.url.setMinimumWidth(460)
        form.addRow(tr("Project URL:"), self.url)
        self.password = QLineEdit()
        self.password.setObjectName("team_password")
        self.password.setEchoMode(QLineEdit.Password)
        self.password.setPlaceholderText(tr("empty: PGPASSWORD or ~/.pgpass"))
        self.password.setVisible(ask_password)
        form.addRow(tr("Password:"), self.password)
        note = QLabel(tr("The password is used for this session only; it is never saved, shown or logged."))
        note.setWordWrap(True)
        lay = QVBoxLayout(self)
        if problem:
            warn = QLabel(problem)
            warn.setObjectName("team_problem")
            warn.setWordWrap(True)
            warn.setStyleSheet("color: #b00020")
            lay.addWidget(warn)
        lay.addLayout(form)
        lay.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.Open | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        if url:
            self.password.setFocus()

    def values(self) -> tuple[str, str | None]:
        return self.url.text().strip(), (self.password.text() or None)


def _open(url, review, password, progress=None):
    from smartgis.postgis import open_url
    return open_url(url, read_only=review, progress=progress, password=password)


def open_team_project(window, url: str | None = None, review: bool = False) -> bool:
    """Open a team project in ``window``: from ``url`` (asking for the password when
    the server wants one), or as typed in the dialog.  True when it is shown."""
    from smartgis.postgis import ServerError
    password = None
    problem = ""
    while True:
        if url is None or problem:
            dlg = TeamProjectDialog(window, url or "", problem=problem)
            if dlg.exec() != QDialog.Accepted:
                return False
            url, password = dlg.values()
            if not url:
                return False
        failed: list = []
        task = window.run_task(tr("Opening {url}").format(url=url), _open, url, review, password,
                               on_error=failed.append)
        task.wait()
        if task.exception is None and not failed:
            window.set_project(task.result)
            window.statusBar().showMessage(tr("Opened {url}").format(url=str(task.result.path)), 5000)
            return True
        exc = task.exception or failed[0]
        if isinstance(exc, ServerError) and "password" in str(exc.message):
            problem = exc.localized()      # ask (again) for the password
            password = None
            continue
        window.show_error(exc)
        return False


def _save(project, overwrite, progress=None):
    from smartgis.postgis.save import save_url
    return save_url(project, progress=progress, overwrite=overwrite)


def _merge_and_save(project, conflicts, progress=None):
    from smartgis.postgis.resolve import take_theirs
    take_theirs(project, conflicts)
    return _save(project, False, progress)


def _reload(project, progress=None):
    from smartgis.postgis import open_url
    return open_url(project.team.url, read_only=project.read_only, progress=progress,
                    password=project.team.password)


class ConflictBox(QMessageBox):
    """Rows changed by a colleague: reload, merge or overwrite."""

    def __init__(self, exc, parent=None):
        super().__init__(parent)
        self.setObjectName("team_conflict_dialog")
        self.setIcon(QMessageBox.Warning)
        self.setWindowTitle(tr("Edited by a colleague"))
        self.setText(exc.localized())
        self.setInformativeText(tr("Reload: discard your edits and show the project as it is now.\n"
                                   "Merge: take your colleagues' version of these elements, keep your other edits, "
                                   "and save.\nOverwrite: save your version of these elements over theirs."))
        lines = [f"{c['label']}: {c['change']} — {c.get('by') or '?'} {c.get('at') or ''}" for c in exc.conflicts]
        self.setDetailedText("\n".join(lines))
        self.reload_button = self.addButton(tr("Reload"), QMessageBox.DestructiveRole)
        self.merge_button = self.addButton(tr("Merge"), QMessageBox.AcceptRole)
        self.overwrite_button = self.addButton(tr("Overwrite"), QMessageBox.ApplyRole)
        self.addButton(QMessageBox.Cancel)
        self.setDefaultButton(self.merge_button)

    def choice(self) -> str | None:
        clicked = self.clickedButton()
        return {id(self.reload_button): "reload", id(self.merge_button): "merge",
                id(self.overwrite_button): "overwrite"}.get(id(clicked))


def save_team_project(window, ask=None) -> bool:
    """Save the window's team project; on a conflict, offer reload, merge or overwrite.

    ``ask(box) -> str | None`` replaces the dialog (tests)."""
    from smartgis.postgis import ConflictError
    p = window.project
    failed: list = []
    task = window.run_task(tr("Saving {name}").format(name=p.name), _save, p, False, on_error=failed.append)
    task.wait()
    exc = task.exception or (failed[0] if failed else None)
    if exc is None:
        window.statusBar().showMessage(tr("Saved {url}").format(url=str(p.path)), 5000)
        window._update_title()
        return True
    if not isinstance(exc, ConflictError):
        window.show_error(exc)
        return False
    box = ConflictBox(exc, window)
    if ask is not None:
        choice = ask(box)
    else:
        box.exec()
        choice = box.choice()
    box.deleteLater()
    if choice is None:
        return False
    if choice == "reload":
        task = window.run_task(tr("Reloading {name}").format(name=p.name), _reload, p)
        task.wait()
        if task.exception is None:
            window.set_project(task.result)
            return True
        return False
    fn = (lambda project, progress=None: _merge_and_save(project, exc.conflicts, progress)) if choice == "merge" \
        else (lambda project, progress=None: _save(project, True, progress))
    task = window.run_task(tr("Saving {name}").format(name=p.name), fn, p)
    task.wait()
    if task.exception is None:
        window.refresh_map()
        window._update_title()
        return True
    return False
