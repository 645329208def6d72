"""Plugin manifests: what a plugin is and what it contributes, read without running it.

A plugin is a folder (a Python package) holding a manifest, ``plugin.json`` or a
``pyproject.toml`` with a ``[tool.smartgis-plugin]`` table.  The manifest names the
plugin, its version, the plugin API it was written for, the lowest SmartGIS it needs,
a description in Chinese and English, and every contribution.  Contributions that are
data (element-type catalogs, standards files) are used without importing any code;
contributions that are code name an ``"module:attribute"`` entry inside the plugin,
imported only when that contribution is first used.  The format is documented in
``docs/plugins.md``.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from smartgis.errors import PluginError
from smartgis.i18n import _, join, message_of

MANIFEST_JSON = "plugin.json"
MANIFEST_TOML = "pyproject.toml"

#: The version of the plugin API (:mod:`smartgis.plugins.api`) this SmartGIS offers.
API_VERSION = 1
#: Plugin API versions this SmartGIS can still load.
SUPPORTED_API = {1}

#: Contribution kinds that are lists of data files, relative to the plugin folder.
FILE_KINDS = ("catalogs", "standards")
#: Contribution kinds that are lists of objects with an ``entry`` (code).
ENTRY_KINDS = ("importers", "exporters", "transforms", "metrics", "coverage_models", "cli_commands",
               "menu_actions", "map_tools", "dock_panels")
#: Kinds that need Qt (the window); a plugin with none of them works from the CLI.
GUI_KINDS = ("menu_actions", "map_tools", "dock_panels")
#: Single ``"module:attribute"`` hooks.
HOOK_KINDS = ("element_types",)
ALL_KINDS = FILE_KINDS + ENTRY_KINDS + HOOK_KINDS

_NAME = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
_ENTRY = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*:[A-Za-z_][A-Za-z0-9_.]*$")
_ID = re.compile(r"^[A-Za-z0-9_.-]{1,60}$")


def parse_version(text: str) -> tuple[int, ...]:
    """``"0.10.2"`` → ``(0, 10, 2)``; trailing labels (``rc1``, ``.dev0``) are ignored."""
    parts = []
    for piece in str(text).strip().lstrip("vV").split("."):
        m = re.match(r"\d+", piece)
        if not m:
            break
        parts.append(int(m.group()))
    if not parts:
        raise ValueError(_("not a version number: {text!r}", text=str(text)))
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def _text(value, what: str) -> dict:
    """A ``{"zh": ..., "en": ...}`` text (a plain string serves both languages)."""
    if value is None:
        return {}
    if isinstance(value, str):
        return {"zh": value, "en": value}
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return {str(k): v for k, v in value.items()}
    raise ValueError(_("{what} must be a text or an object {{\"zh\": ..., \"en\": ...}}", what=what))


@dataclass
class Contribution:
    """One contributed item: an importer, a coverage model, a menu action ...

    Attributes
    ----------
    kind : str
        One of :data:`ENTRY_KINDS`.
    id : str
        Its name (unique within the kind and plugin); for CLI commands, the command.
    entry : str
        ``"module:attribute"`` inside the plugin package.
    label : dict
        ``{"zh": ..., "en": ...}`` shown in menus and lists.
    options : dict
        Everything else the manifest says about it (``menu``, ``extensions``, ``area`` ...).
    """

    kind: str
    id: str
    entry: str
    label: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        return self.label.get(lang) or self.label.get("en") or self.label.get("zh") or self.id


@dataclass
class Manifest:
    """A validated plugin manifest."""

    name: str
    version: str
    plugin_api: int
    min_smartgis: str
    title: dict
    description: dict
    folder: Path
    manifest_path: Path
    author: str = ""
    license: str = ""
    homepage: str = ""
    enabled_by_default: bool = True
    files: dict = field(default_factory=dict)            # kind -> [Path]
    contributions: list = field(default_factory=list)    # [Contribution]
    hooks: dict = field(default_factory=dict)            # kind -> "module:attr"

    def label(self, lang: str = "en") -> str:
        return self.title.get(lang) or self.title.get("en") or self.title.get("zh") or self.name

    def describe(self, lang: str = "en") -> str:
        return self.description.get(lang) or self.description.get("en") or self.description.get("zh") or ""

    def of_kind(self, kind: str) -> list[Contribution]:
        return [c for c in self.contributions if c.kind == kind]

    @property
    def needs_gui(self) -> bool:
        """True when every code contribution is a window feature (no CLI use)."""
        kinds = {c.kind for c in self.contributions}
        return bool(kinds) and kinds <= set(GUI_KINDS)

    def summary(self) -> dict:
        """Counts of contributions by kind (files and code), for listings."""
        out = {k: len(v) for k, v in self.files.items() if v}
        for c in self.contributions:
            out[c.kind] = out.get(c.kind, 0) + 1
        for k in self.hooks:
            out[k] = out.get(k, 0) + 1
        return out

    def compatibility(self, app_version: str) -> str | None:
        """Why this SmartGIS cannot load the plugin, or None when it can."""
        if self.plugin_api not in SUPPORTED_API:
            return _("written for plugin API {api}; this SmartGIS offers API {offered}", api=self.plugin_api,
                     offered=", ".join(map(str, sorted(SUPPORTED_API))))
        if parse_version(self.min_smartgis) > parse_version(app_version):
            return _("needs SmartGIS {needed} or newer (this is {running})", needed=self.min_smartgis,
                     running=app_version)
        return None


def find_manifest(folder: Path) -> Path | None:
    """The manifest file of a plugin folder, or None when the folder is not a plugin."""
    j = folder / MANIFEST_JSON
    if j.is_file():
        return j
    t = folder / MANIFEST_TOML
    if t.is_file():
        try:
            if "smartgis-plugin" in tomllib.loads(t.read_text(encoding="utf-8")).get("tool", {}):
                return t
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return t  # a plugin folder with a broken manifest: reported when it is read
    return None


def read_manifest(path: Path) -> Manifest:
    """Read and validate a manifest file.

    Raises
    ------
    PluginError
        Naming the file, the plugin (its folder's name: the manifest may not say) and
        the first problem found.
    """
    path = Path(path)
    plugin = path.parent.name
    try:
        text = path.read_text(encoding="utf-8")
        if path.name == MANIFEST_TOML:
            doc = tomllib.loads(text)
            data = dict(doc.get("tool", {}).get("smartgis-plugin", {}))
            project = doc.get("project", {})
            data.setdefault("name", project.get("name", "").replace("-", "_"))
            if "version" in project:
                data.setdefault("version", project["version"])
            if "description" in project:
                data.setdefault("description", project["description"])
        else:
            data = json.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise PluginError(_("cannot read the manifest of plugin {plugin!r} ({error})", plugin=plugin,
                            error=str(exc)), path) from None
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PluginError(_("the manifest of plugin {plugin!r} is not valid {format} ({error})", plugin=plugin,
                            format=path.suffix[1:].upper(), error=str(exc)), path) from None
    if not isinstance(data, dict):
        raise PluginError(_("the manifest of plugin {plugin!r} must be an object", plugin=plugin), path)
    try:
        return _validate(data, path)
    except ValueError as exc:
        raise PluginError(_("invalid manifest of plugin {plugin!r}: {problem}", plugin=plugin,
                            problem=message_of(exc)), path) from None


def _validate(data: dict, path: Path) -> Manifest:
    folder = path.parent
    name = data.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(_("'name' {name!r} must be 2-40 lowercase ASCII letters, digits or _, starting with a letter",
                           name=name))
    version = str(data.get("version", ""))
    parse_version(version)
    api = data.get("plugin_api")
    if not isinstance(api, int) or isinstance(api, bool):
        raise ValueError(_("'plugin_api' (the plugin API version, an integer) is required"))
    min_sg = str(data.get("min_smartgis", "0"))
    parse_version(min_sg)
    m = Manifest(name=name, version=version, plugin_api=api, min_smartgis=min_sg,
                 title=_text(data.get("title"), "'title'") or {"en": name, "zh": name},
                 description=_text(data.get("description"), "'description'"),
                 folder=folder, manifest_path=path, author=str(data.get("author", "")),
                 license=str(data.get("license", "")), homepage=str(data.get("homepage", "")),
                 enabled_by_default=bool(data.get("enabled_by_default", True)))
    contributes = data.get("contributes") or {}
    if not isinstance(contributes, dict):
        raise ValueError(_("'contributes' must be an object"))
    unknown = set(contributes) - set(ALL_KINDS)
    if unknown:
        raise ValueError(_("unknown contribution kind(s) {kinds} (known: {known})",
                           kinds=join(sorted(unknown)), known=join(ALL_KINDS)))
    for kind in FILE_KINDS:
        files = contributes.get(kind, [])
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            raise ValueError(_("'{kind}' must be a list of file names", kind=kind))
        resolved = []
        for f in files:
            p = (folder / f).resolve()
            # data files must stay inside the plugin: a manifest cannot point elsewhere
            if folder.resolve() not in p.parents:
                raise ValueError(_("'{kind}' file {file!r} is outside the plugin folder", kind=kind, file=f))
            if not p.is_file():
                raise ValueError(_("'{kind}' file {file!r} does not exist", kind=kind, file=f))
            resolved.append(p)
        m.files[kind] = resolved
    for kind in HOOK_KINDS:
        if kind in contributes:
            entry = contributes[kind]
            if not isinstance(entry, str) or not _ENTRY.match(entry):
                raise ValueError(_("'{kind}' must be a \"module:function\" entry", kind=kind))
            m.hooks[kind] = entry
    for kind in ENTRY_KINDS:
        items = contributes.get(kind, [])
        if not isinstance(items, list):
            raise ValueError(_("'{kind}' must be a list of objects", kind=kind))
        seen = set()
        for item in items:
            if not isinstance(item, dict):
                raise ValueError(_("each of '{kind}' must be an object with 'id' and 'entry'", kind=kind))
            cid = item.get("name" if kind == "cli_commands" else "id", item.get("id"))
            entry = item.get("entry")
            if not isinstance(cid, str) or not _ID.match(cid):
                raise ValueError(_("'{kind}': id {id!r} must be 1-60 letters, digits, '_', '-' or '.'",
                                   kind=kind, id=cid))
            if cid in seen:
                raise ValueError(_("'{kind}': {id!r} is listed twice", kind=kind, id=cid))
            seen.add(cid)
            if not isinstance(entry, str) or not _ENTRY.match(entry):
                raise ValueError(_("'{kind}' {id!r}: 'entry' must be \"module:attribute\"", kind=kind, id=cid))
            label = _text(item.get("label") or item.get("title") or item.get("help"),
                          _("the label of '{kind}' {id!r}", kind=kind, id=cid))
            options = {k: v for k, v in item.items() if k not in ("id", "name", "entry", "label")}
            m.contributions.append(Contribution(kind, cid, entry, label, options))
    return m
