"""A project file that carries its own symbols and no path of the author's machine.

- ``smartgis_symbols`` holds every SVG icon, label font and colour ramp the styles use
  (one row each), so the symbols can be listed, reused and restored from the file.
  The icons themselves are also embedded in the styles (``base64:`` SVG, as QGIS
  writes them), which is what SmartGIS and QGIS draw from.
- :func:`migrate_symbols` embeds the icons of an older project, which stored the SVG
  files' absolute paths, when it is opened (the file changes on the next save).
- :func:`external_references` lists what a project still needs from outside its file
  (``info`` reports it; ``package`` removes it).
- :func:`relative_definition` writes paths relative to the project's folder.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from smartgis.core.layers import RasterLayer, VectorLayer
from smartgis.core.symbols import embedded_icon, icon_bytes, icon_name, is_embedded, style_symbols
from smartgis.project import gpkg, schema

TABLE = "smartgis_symbols"


def _symbol_rows(project) -> list[dict]:
    """One row per distinct icon, label font and colour ramp of the project's styles."""
    icons: dict[str, dict] = {}
    fonts: dict[str, dict] = {}
    ramps: list[dict] = []
    for lyr in project.layers.values():
        if not isinstance(lyr, VectorLayer):
            continue
        for sym in style_symbols(lyr.style):
            data = icon_bytes(sym.icon) if is_embedded(sym.icon) else None
            if not data:
                continue
            digest = hashlib.sha256(data).hexdigest()
            row = icons.get(digest)
            if row is None:
                row = icons[digest] = {"name": icon_name(sym.icon), "kind": "svg", "mime": "image/svg+xml",
                                       "data": data.decode("utf-8", "replace"), "sha256": digest, "used_by": []}
            if lyr.name not in row["used_by"]:
                row["used_by"].append(lyr.name)
        if lyr.style.labels.enabled and lyr.style.labels.field:
            f = fonts.setdefault(LABEL_FONT, {"name": LABEL_FONT, "kind": "font", "mime": None, "data": None,
                                              "sha256": None, "used_by": []})
            f["used_by"].append(lyr.name)
        if lyr.style.renderer == "graduated" and lyr.style.ranges:
            colours = [r.symbol.fill for r in lyr.style.ranges]
            ramps.append({"name": f"ramp:{lyr.name}", "kind": "ramp", "mime": "application/json",
                          "data": json.dumps(colours), "sha256": None, "used_by": [lyr.name]})
    names: set[str] = set()
    out = []
    for row in [*icons.values(), *fonts.values(), *ramps]:
        base, k = row["name"], 2
        while row["name"] in names:   # two different SVGs titled alike
            row["name"] = f"{base}_{k}"
            k += 1
        names.add(row["name"])
        out.append({**row, "used_by": json.dumps(row["used_by"], ensure_ascii=False)})
    return out


#: The label font the QML styles name (a CJK font QGIS finds on Chinese systems).
LABEL_FONT = "Noto Sans CJK SC"


def save_symbols(conn, project, _rows=None) -> None:
    """Write ``smartgis_symbols`` from the styles (inside a save's transaction)."""
    rows = _symbol_rows(project)
    gpkg.replace_rows(conn, TABLE, rows)
    project.extra_tables[TABLE] = rows


schema.register_table(TABLE, [("name", "TEXT NOT NULL UNIQUE"), ("kind", "TEXT"), ("mime", "TEXT"),
                              ("data", "TEXT"), ("sha256", "TEXT"), ("used_by", "TEXT")],
                      "Symbols the styles use (SVG icons, label fonts, colour ramps), so the file draws "
                      "the same without SmartGIS's resources", saver=save_symbols)


def symbol_library(project) -> dict[str, bytes]:
    """``{name: svg bytes}`` of the icons stored in the project file."""
    return {r["name"]: r["data"].encode("utf-8") for r in project.extra_tables.get(TABLE) or []
            if r.get("kind") == "svg" and r.get("data")}


def migrate_symbols(project) -> list[dict]:
    """Embed the icons an opened project refers to by path (older files).

    The icons are looked up at the stored path, beside the project, in the project's
    own symbol table and in SmartGIS's resources by file name.  Nothing is written:
    the next save stores the embedded icons.

    Returns
    -------
    list of dict
        ``{"kind": "icon", "layer", "reference", "found"}`` for every path the file
        stored (``found``: whether it could be embedded).
    """
    library = symbol_library(project)
    search = _search_folders(project)
    found: list[dict] = []
    for t in project.catalog:
        if t.icon and not is_embedded(t.icon) and t.icon_path() is not None and not t.icon_path().exists():
            emb = embedded_icon(t.icon, search, library)
            if emb:
                t.icon = emb
    for lyr in project.layers.values():
        if not isinstance(lyr, VectorLayer):
            continue
        for sym in style_symbols(lyr.style):
            if not sym.icon or is_embedded(sym.icon):
                continue
            emb = embedded_icon(sym.icon, search, library)
            found.append({"kind": "icon", "layer": lyr.name, "reference": sym.icon, "found": emb is not None})
            if emb:
                sym.icon = emb
    return found


def _search_folders(project) -> tuple:
    """Where icons stored by path are looked for by name: beside the project, then in
    SmartGIS's resources."""
    from smartgis.core.catalog import resources_dir
    here = (Path(project.path).parent,) if project.path else ()
    return (*here, resources_dir() / "icons")


def external_references(project) -> list[dict]:
    """What the project file needs from outside itself.

    Icons stored as paths (in the file as opened, even if already embedded in memory)
    and rasters referenced by path.  Each entry: ``kind`` (``icon`` / ``raster``),
    ``layer``, ``reference`` (as stored, relative to the project folder for rasters)
    and ``found``.
    """
    refs = [dict(r) for r in getattr(project, "symbol_migrations", [])]
    for lyr in project.layers.values():
        if isinstance(lyr, VectorLayer):
            for sym in style_symbols(lyr.style):
                if sym.icon and not is_embedded(sym.icon):
                    refs.append({"kind": "icon", "layer": lyr.name, "reference": sym.icon,
                                 "found": icon_bytes(sym.icon) is not None})
        elif isinstance(lyr, RasterLayer) and not lyr.embedded_table:
            ref = lyr.path or ""
            if project.path and lyr.path:
                ref = _relative(lyr.path, Path(project.path).parent)
            refs.append({"kind": "raster", "layer": lyr.name, "reference": ref,
                         "found": bool(lyr.path) and Path(lyr.path).exists()})
    return refs


def _relative(path: str, folder: Path) -> str:
    """``path`` relative to ``folder`` (the file name alone across drives)."""
    try:
        return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(folder))).as_posix()
    except ValueError:
        return Path(path).name


def relative_definition(d: dict, folder: Path) -> dict:
    """A layer definition with every file path made relative to ``folder``.

    The raster ``path`` and the paths of ``source`` (where a layer was imported from,
    kept for information) would otherwise carry the author's folders into the file.
    """
    d = dict(d)
    if d.get("path") and os.path.isabs(str(d["path"])):
        d["path"] = _relative(d["path"], folder)
    src = dict(d.get("source") or {})
    for k, v in src.items():
        if isinstance(v, str) and k in ("path", "packaged_from") and os.path.isabs(v):
            src[k] = _relative(v, folder)
    d["source"] = src
    return d


def embed_all_icons(project) -> int:
    """Embed every icon still referenced by path (``package``); returns how many."""
    n = 0
    library = symbol_library(project)
    for lyr in project.layers.values():
        if isinstance(lyr, VectorLayer):
            for sym in style_symbols(lyr.style):
                if sym.icon and not is_embedded(sym.icon):
                    emb = embedded_icon(sym.icon, _search_folders(project), library)
                    if emb:
                        sym.icon = emb
                        n += 1
    return n


__all__ = ["TABLE", "LABEL_FONT", "migrate_symbols", "external_references", "relative_definition",
           "embed_all_icons", "symbol_library"]
