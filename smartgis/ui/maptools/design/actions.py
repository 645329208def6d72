"""Edits of the selected design elements: delete, copy, paste, edit attributes.

Shared by the Design menu and the keys of the selection tools.  The selection is
the ``selection`` of each element layer, so the attribute table, the renderer and
these edits see the same elements.  Every edit is one undo step.
"""

from __future__ import annotations

import json

import numpy as np
import shapely
from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QApplication

from smartgis.errors import UserError
from smartgis.ui.maptools.design.attribute_form import AttributeForm
from smartgis.ui.maptools.design.common import selected_uids

#: Clipboard format of copied elements (the JSON of ``Design.copy``).
MIME = "application/x-smartgis-elements"


def _tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication
    return QCoreApplication.translate("DesignActions", text)


def _status(window, text: str, ms: int = 5000) -> None:
    if window is not None:
        window.statusBar().showMessage(text, ms)


def clear_selection(project) -> list[str]:
    changed = []
    for lyr in project.design.layers.values():
        if len(lyr.selection):
            lyr.select([])
            changed.append(lyr.id)
    return changed


def select_uids(project, uids, mode: str = "replace") -> None:
    """Select elements by uid (``mode``: replace, add, remove, toggle)."""
    by_layer: dict = {}
    for u in uids:
        lyr, i = project.design.find(u)
        by_layer.setdefault(lyr.type_id, (lyr, []))[1].append(i)
    if mode == "replace":
        for tid, lyr in project.design.layers.items():
            if tid not in by_layer and len(lyr.selection):
                lyr.select([])
    for lyr, idx in by_layer.values():
        lyr.select(idx, mode=mode)


def delete_selected(window) -> int:
    p = window.project
    if p is None or p.read_only:
        return 0
    uids = selected_uids(p)
    if not uids:
        _status(window, _tr("Select elements first (Design ▸ Select elements)."))
        return 0
    n = p.design.remove(uids, text=_tr("Delete {n} elements").format(n=len(uids)))
    window.refresh_map()
    _status(window, _tr("Deleted {n} elements (Ctrl+Z undoes).").format(n=n))
    return n


def copy_selected(window) -> int:
    p = window.project
    uids = selected_uids(p) if p is not None else []
    if not uids:
        _status(window, _tr("Select elements to copy first."))
        return 0
    payload = p.design.copy(uids)
    text = json.dumps(payload, ensure_ascii=False)
    mime = QMimeData()
    mime.setData(MIME, text.encode("utf-8"))
    mime.setText(text)
    QApplication.clipboard().setMimeData(mime)
    _clear_clipboard_at_exit()
    _status(window, _tr("Copied {n} elements.").format(n=len(uids)))
    return len(uids)


_exit_hook = False


def _clear_clipboard_at_exit() -> None:
    """Hand the clipboard's data back to Qt before Python shuts down.

    The clipboard owns the QMimeData; left alone, Qt destroys it while the
    interpreter is already finalising, which crashes the process on exit.
    """
    global _exit_hook
    if not _exit_hook:
        import atexit

        def _clear():
            app = QApplication.instance()
            if app is not None:
                app.clipboard().clear()
        atexit.register(_clear)
        _exit_hook = True


def clipboard_payload() -> dict | None:
    mime = QApplication.clipboard().mimeData()
    if mime is None:
        return None
    raw = bytes(mime.data(MIME)).decode("utf-8") if mime.hasFormat(MIME) else mime.text()
    try:
        data = json.loads(raw)
    except (TypeError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == "smartgis-elements" else None


def paste(window, at: tuple[float, float] | None = None) -> list[str]:
    """Paste copied elements: centred on ``at`` (the cursor), else shifted a little."""
    p = window.project
    if p is None or p.read_only:
        return []
    payload = clipboard_payload()
    if payload is None:
        _status(window, _tr("The clipboard holds no SmartGIS elements."))
        return []
    geoms = shapely.from_wkt([e["wkt"] for e in payload.get("elements", [])])
    if not len(geoms):
        return []
    b = shapely.total_bounds(geoms)
    if at is not None:
        dx, dy = at[0] - (b[0] + b[2]) / 2, at[1] - (b[1] + b[3]) / 2
    else:
        step = 20 * window.canvas.map_units_per_pixel()
        dx, dy = step, -step
    try:
        uids = p.design.paste(payload, dx=dx, dy=dy)
    except UserError as exc:
        window.show_error(exc)
        return []
    select_uids(p, uids)
    window.refresh_map()
    _status(window, _tr("Pasted {n} elements.").format(n=len(uids)))
    return uids


def edit_attributes(window, uids=None, form_hook=None) -> int:
    """Edit the attributes of the selected elements (or ``uids``) in one form.

    ``form_hook(form)`` is called with the dialog before it runs (tests fill it in).
    Returns the number of elements changed.
    """
    p = window.project
    if p is None:
        return 0
    uids = list(uids) if uids is not None else selected_uids(p)
    if not uids:
        _status(window, _tr("Select elements first (Design ▸ Select elements)."))
        return 0
    els = [p.design.element(u) for u in uids]
    types = []
    for e in els:
        t = p.design.catalog.get(e.type_id)
        if t not in types:
            types.append(t)
    values = [e.attributes for e in els]
    from smartgis.plan import plan_of
    plan = plan_of(p)
    form = AttributeForm(types, values if len(els) > 1 else values[0], catalog=p.design.catalog, plan=plan,
                         uids=uids, parent=window)
    if p.read_only:
        form.setEnabled(False)
    if form_hook is not None:
        form_hook(form)
    try:
        if form.exec() != AttributeForm.Accepted or p.read_only:
            return 0
        changed = form.values()
        if len(els) == 1:
            old = values[0]
            changed = {k: v for k, v in changed.items() if v != old.get(k)}
        moved, pid = form.chosen_project()
    finally:
        form.deleteLater()
    if not changed and not moved:
        return 0
    n = len(uids)
    fields = ", ".join(list(changed) + (["project"] if moved else []))
    try:
        # the attributes and the key project change as one undo step
        with p.stack.macro(_tr("Edit {fields} of {n} elements").format(fields=fields, n=len(uids))):
            if moved and pid:
                plan.assign(pid, uids, [e.type_id for e in els])
            elif moved:
                plan.unassign(uids)
            if changed:
                n = p.design.update(uids, text=_tr("Edit {fields} of {n} elements").format(
                    fields=", ".join(changed), n=len(uids)), **changed)
    except UserError as exc:
        window.show_error(exc)
        return 0
    window.refresh_map()
    _status(window, _tr("Changed {fields} of {n} elements.").format(fields=fields, n=n))
    return n


def selection_bounds(project):
    boxes = []
    for lyr in project.design.layers.values():
        if len(lyr.selection):
            boxes.append(shapely.total_bounds(lyr.geometries[lyr.selection]))
    if not boxes:
        return None
    a = np.array(boxes)
    return (a[:, 0].min(), a[:, 1].min(), a[:, 2].max(), a[:, 3].max())
