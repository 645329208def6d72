"""The plugin registry: which plugins are on, what they contribute, and isolation.

One registry serves a session (:func:`registry`).  It discovers plugins (manifests
only), keeps the user's enabled/disabled choices, hands out contributions, and
imports a plugin's code the first time one of its code contributions is used.

Isolation: plugin code runs through :meth:`PluginRegistry.call`.  A plugin that fails
to import, or raises anything but a :class:`~smartgis.errors.UserError` (bad input the
user can fix) inside a hook, is disabled for the rest of the session; a one-line
warning naming it goes to stderr and to every listener (the window's status bar and
plugin manager); SmartGIS itself carries on.

Translations: a plugin that has ``i18n/zh_CN/*.json`` beside its manifest gets them
merged beneath SmartGIS's message catalogue (:func:`smartgis.i18n.add_catalogue`) as
soon as it is found enabled, so its messages show in Chinese even when they are read
back from a project file in a session that never imported the plugin.

The registry is a pure index: it imports nothing of SmartGIS above :mod:`smartgis.errors`
and :mod:`smartgis.i18n`.  What plugins contribute reaches the rest of SmartGIS through
the composition root, :mod:`smartgis.session` (element types, coverage models, metrics,
standards files), and through the command line (:func:`smartgis.cli.plugins.register_cli_commands`)
and the window (:mod:`smartgis.ui.features.plugins`), which read it from here.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from smartgis import __version__
from smartgis.errors import Cancelled, PluginError, UsageError, UserError
from smartgis.i18n import CATALOGUE_DIRS, _, add_catalogue, join, localize, message_of
from smartgis.plugins import config, loader
from smartgis.plugins.discovery import Found, discover
from smartgis.plugins.manifest import Contribution, Manifest

#: Plugin states shown by ``smartgis plugins list`` and the plugin manager.
STATES = ("enabled", "disabled", "failed", "incompatible", "invalid")


def state_label(state: str):
    """A plugin state as a localisable word (``state_label("failed")`` shows "出错" in Chinese)."""
    return {"enabled": _("enabled"), "disabled": _("disabled"), "failed": _("failed"),
            "incompatible": _("incompatible"), "invalid": _("invalid")}.get(state, state)


def kind_label(kind: str):
    """One contribution of ``kind`` in words (``coverage_models`` → "coverage model"), localisable."""
    return {"importers": _("importer"), "exporters": _("exporter"), "transforms": _("transform"),
            "metrics": _("metric"), "coverage_models": _("coverage model"), "cli_commands": _("cli command"),
            "menu_actions": _("menu action"), "map_tools": _("map tool"), "dock_panels": _("dock panel"),
            }.get(kind, kind[:-1].replace("_", " "))


def add_translations(folder: Path) -> list[str]:
    """Merge the plugin's own message catalogues (``<folder>/i18n/zh_CN/*.json`` ...).

    Returns the languages whose catalogue the plugin has.
    """
    langs = []
    for lang, sub in CATALOGUE_DIRS.items():
        cat = Path(folder) / "i18n" / sub
        if cat.is_dir():
            add_catalogue(cat, lang)
            langs.append(lang)
    return langs


@dataclass
class Plugin:
    """A discovered plugin and its state in this session."""

    found: Found
    enabled: bool = True
    failure: str | None = None       # why it was disabled for this session
    loaded: bool = False

    @property
    def name(self) -> str:
        return self.found.name

    @property
    def manifest(self) -> Manifest | None:
        return self.found.manifest

    @property
    def incompatibility(self) -> str | None:
        return self.manifest.compatibility(__version__) if self.manifest else None

    @property
    def state(self) -> str:
        if self.manifest is None:
            return "invalid"
        if self.incompatibility:
            return "incompatible"
        if not self.enabled:
            return "disabled"
        if self.failure:
            return "failed"
        return "enabled"

    @property
    def active(self) -> bool:
        return self.state == "enabled"

    @property
    def problem(self) -> str | None:
        """The message to show next to the plugin (None when all is well)."""
        return self.found.error or self.incompatibility or self.failure

    def to_dict(self, lang: str = "en") -> dict:
        m = self.manifest
        return {
            "name": self.name,
            "state": self.state,
            "enabled": self.enabled,
            "version": m.version if m else None,
            "plugin_api": m.plugin_api if m else None,
            "min_smartgis": m.min_smartgis if m else None,
            "title": m.title if m else {},
            "description": m.description if m else {},
            "source": self.found.source,
            "folder": str(self.found.folder),
            "package": self.found.package,
            "loaded": self.loaded,
            "gui_only": bool(m and m.needs_gui),
            "contributes": m.summary() if m else {},
            "problem": self.problem,
            "shadowed": [str(p) for p in self.found.shadowed],
        }


class LazyEntry:
    """A plugin's code contribution, imported on its first call.

    Calling it runs the contribution through :meth:`PluginRegistry.call`, so a failure
    disables the plugin and raises :class:`~smartgis.errors.PluginError` naming it.
    """

    def __init__(self, registry: "PluginRegistry", plugin: Plugin, contribution: Contribution):
        self.registry, self.plugin, self.contribution = registry, plugin, contribution

    @property
    def id(self) -> str:
        return self.contribution.id

    def resolve(self):
        """The contributed object itself (imports the plugin)."""
        return self.registry.resolve(self.plugin, self.contribution.entry)

    def __call__(self, *args, **kwargs):
        what = _("{kind} {id!r}", kind=kind_label(self.contribution.kind), id=self.contribution.id)
        return self.registry.call(self.plugin, self.contribution.entry, *args, _what=what, **kwargs)

    def __repr__(self) -> str:
        return f"<plugin {self.plugin.name}: {self.contribution.kind} {self.contribution.id}>"


def _default_warning(name: str, message: str) -> None:
    # in the command line's language (English unless SMARTGIS_LANG=zh)
    print(f"smartgis: warning: {localize(message)}", file=sys.stderr)


class PluginRegistry:
    """The plugins of one session.

    Parameters
    ----------
    warn : callable, optional
        ``warn(plugin_name, message)`` for plugins that fail; the default prints one
        line on stderr.  ``message`` is English text that can be shown in the user's
        language with :func:`smartgis.i18n.localize`.
    """

    def __init__(self, warn: Callable[[str, str], None] | None = _default_warning):
        self._plugins: dict[str, Plugin] | None = None
        self._lock = threading.RLock()
        self._warned: set[str] = set()
        self._types_cache: dict[str, list[dict]] = {}
        self.warn = warn
        #: Callables ``listener(plugin_name, message)`` told about every failure.
        self.listeners: list[Callable[[str, str], None]] = []

    # -- discovery and state -----------------------------------------------------------
    def plugins(self) -> list[Plugin]:
        """Every discovered plugin (any state), in discovery order."""
        with self._lock:
            if self._plugins is None:
                state = config.read_state()
                plugins = {}
                for f in discover():
                    default = f.manifest.enabled_by_default if f.manifest else True
                    enabled = f.name in state["enabled"] or (default and f.name not in state["disabled"])
                    plugins[f.name] = Plugin(f, enabled=enabled)
                self._plugins = plugins
                for p in plugins.values():
                    if p.active:
                        add_translations(p.found.folder)
                for p in plugins.values():
                    if p.enabled and p.problem:
                        self._notify(p.name, _("plugin {plugin!r} cannot be used: {problem}", plugin=p.name,
                                               problem=p.problem))
            return list(self._plugins.values())

    def get(self, name: str) -> Plugin:
        for p in self.plugins():
            if p.name == name:
                return p
        names = [p.name for p in self.plugins()]
        raise UsageError(_("no plugin named {name!r} (plugins: {known})", name=name,
                           known=join(names) if names else _("none found")))

    def active(self) -> list[Plugin]:
        """Plugins that are enabled, compatible and have not failed this session."""
        return [p for p in self.plugins() if p.active]

    def set_enabled(self, name: str, enabled: bool) -> Plugin:
        """Switch a plugin on or off in the user's settings (takes effect at once)."""
        p = self.get(name)
        config.set_enabled(name, enabled)
        p.enabled = enabled
        if enabled:
            p.failure = None  # give it another chance
            self._warned.discard(name)
            if p.active:
                add_translations(p.found.folder)
        return p

    # -- failures ----------------------------------------------------------------------
    def notify(self, name: str, message: str) -> None:
        """Tell the user ``message`` about ``name`` (a plugin, or plugin/contribution) once
        a session: on stderr (``warn``) and to every listener."""
        self._notify(name, message)

    def _notify(self, name: str, message: str) -> None:
        if name in self._warned:
            return
        self._warned.add(name)
        if self.warn is not None:
            self.warn(name, message)
        for listener in list(self.listeners):
            try:
                listener(name, message)
            except Exception:  # a broken listener must not hide the failure
                pass

    def fail(self, plugin: Plugin, message: str) -> PluginError:
        """Disable ``plugin`` for this session; returns the error to raise."""
        plugin.failure = message
        if not plugin.loaded:  # drop half-imported modules so nothing of it lingers
            loader.forget(plugin.found.package)
        text = _("plugin {plugin!r} failed and is disabled for this session: {problem}", plugin=plugin.name,
                 problem=message)
        self._notify(plugin.name, text)
        return PluginError(text)

    # -- running plugin code -----------------------------------------------------------
    def resolve(self, plugin: Plugin, entry: str):
        """Import ``entry`` (``"module:attribute"``) from ``plugin``."""
        if not plugin.active:
            if plugin.problem:
                raise PluginError(_("plugin {plugin!r} is {state}: {problem}", plugin=plugin.name,
                                    state=state_label(plugin.state), problem=plugin.problem))
            raise PluginError(_("plugin {plugin!r} is {state}", plugin=plugin.name, state=state_label(plugin.state)))
        try:
            obj = loader.resolve(plugin.found.package, None if plugin.found.source == "entry_point"
                                 else plugin.found.folder, entry)
        except BaseException as exc:  # noqa: BLE001 - ImportError, SyntaxError, sys.exit, a loop cut short ...
            raise self.fail(plugin, _("cannot load {entry!r} ({error})", entry=entry,
                                      error=f"{type(exc).__name__}: {exc}")) from exc
        plugin.loaded = True
        return obj

    def call(self, plugin: Plugin, entry, *args, _what: str | None = None, **kwargs):
        """Call a plugin's code with isolation.

        User errors (:class:`UserError`) and cancellation pass through unchanged; any
        other exception disables the plugin and becomes a :class:`PluginError`.
        """
        fn = self.resolve(plugin, entry) if isinstance(entry, str) else entry
        try:
            return fn(*args, **kwargs)
        except (UserError, Cancelled, KeyboardInterrupt):
            raise
        except PluginError:
            raise
        except (Exception, SystemExit) as exc:  # sys.exit() in a plugin disables the plugin, not SmartGIS
            what = _what or (entry if isinstance(entry, str) else getattr(fn, "__name__", None) or _("a hook"))
            raise self.fail(plugin, _("{what} raised {error}", what=what,
                                      error=f"{type(exc).__name__}: {exc}")) from exc

    # -- contributions -----------------------------------------------------------------
    def contributions(self, kind: str) -> list[LazyEntry]:
        """Code contributions of one kind from the active plugins, as lazy callables."""
        out = []
        for p in self.active():
            for c in p.manifest.of_kind(kind):
                out.append(LazyEntry(self, p, c))
        return out

    def contribution(self, kind: str, cid: str) -> LazyEntry:
        for e in self.contributions(kind):
            if e.id == cid:
                return e
        have = [e.id for e in self.contributions(kind)]
        raise UsageError(_("no plugin provides the {kind} {id!r} (available: {have})", kind=kind_label(kind), id=cid,
                           have=join(have) if have else _("none")))

    def files(self, kind: str) -> list[tuple[Plugin, Path]]:
        return [(p, f) for p in self.active() for f in p.manifest.files.get(kind, [])]

    def standard_files(self) -> list[Path]:
        """Standards files (``resources/standards`` format) of the active plugins."""
        return [f for _, f in self.files("standards")]

    def element_type_definitions(self, plugin: Plugin) -> list[dict]:
        """Raw element-type definitions of a plugin (its catalog files, then its hook)."""
        import json
        if plugin.name in self._types_cache:
            return self._types_cache[plugin.name]
        types: list[dict] = []
        for f in plugin.manifest.files.get("catalogs", []):
            try:
                data = json.loads(f.read_text(encoding="utf-8"))
                if not isinstance(data, dict) or not isinstance(data.get("types"), list):
                    raise ValueError(_("a catalog file is an object with a 'types' list"))
            except (OSError, ValueError) as exc:
                self.fail(plugin, _("catalog file {file}: {error}", file=f.name, error=message_of(exc)))
                return []
            types.extend(data["types"])
        hook = plugin.manifest.hooks.get("element_types")
        if hook:
            try:
                data = self.call(plugin, hook, _what=_("element_types hook"))
            except (PluginError, UserError) as exc:
                if plugin.failure is None:
                    self.fail(plugin, message_of(exc))
                return []
            got = data.get("types") if isinstance(data, dict) else data
            if not isinstance(got, list):
                self.fail(plugin, _("element_types hook must return a list of element types"))
                return []
            types.extend(got)
        self._types_cache[plugin.name] = types
        return types

    def importers(self) -> list[LazyEntry]:
        return self.contributions("importers")

    def exporters(self) -> list[LazyEntry]:
        return self.contributions("exporters")

    def transform(self, cid: str):
        """A contributed coordinate transform object (``to_wgs84`` / ``from_wgs84``)."""
        return self.contribution("transforms", cid).resolve()

    def coverage_models(self) -> dict[str, LazyEntry]:
        return {e.id: e for e in self.contributions("coverage_models")}

    def metrics(self) -> dict[str, LazyEntry]:
        return {e.id: e for e in self.contributions("metrics")}


# -- the session's registry -------------------------------------------------------------
_registry: PluginRegistry | None = None
_registry_lock = threading.Lock()


def registry() -> PluginRegistry:
    """The registry of this session (created on first use)."""
    global _registry
    with _registry_lock:
        if _registry is None:
            _registry = PluginRegistry()
        return _registry


def reset_registry() -> PluginRegistry:
    """Forget discovery and failures (tests, or after the user changed the plugin folders)."""
    global _registry
    with _registry_lock:
        old = _registry
        _registry = PluginRegistry()
        if old is not None:
            _registry.listeners = list(old.listeners)
            _registry.warn = old.warn
        return _registry


def standard_files() -> list[Path]:
    """Standards files contributed by enabled plugins (for the standards engine)."""
    return registry().standard_files()


def coverage_models() -> dict[str, LazyEntry]:
    """Coverage models contributed by enabled plugins, by name (lazy callables)."""
    return registry().coverage_models()


def metrics() -> dict[str, LazyEntry]:
    """Analysis metrics contributed by enabled plugins, by name (lazy callables)."""
    return registry().metrics()


def plugin_names(states: Iterable[str] = STATES) -> list[str]:
    return [p.name for p in registry().plugins() if p.state in set(states)]
