"""Where the user's plugin settings live, and which plugins are switched off.

The configuration directory is platform-appropriate (``~/.config/smartgis`` on Linux,
``~/Library/Application Support/SmartGIS`` on macOS, ``%APPDATA%\\SmartGIS`` on
Windows); ``SMARTGIS_CONFIG_DIR`` overrides it (tests, portable installs).  The
enabled/disabled state is one small JSON file there, ``plugins.json``::

    {"disabled": ["fiveg"], "enabled": ["my_vendor_sensors"]}

A plugin that appears in neither list follows its manifest's ``enabled_by_default``.
The state is the user's, never the project's: a project file cannot switch a plugin on.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from smartgis.errors import UserError
from smartgis.i18n import _

STATE_FILE = "plugins.json"


def config_dir() -> Path:
    """The user's SmartGIS configuration directory (it may not exist yet)."""
    env = os.environ.get("SMARTGIS_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    home = Path.home()
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming") / "SmartGIS"
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "SmartGIS"
    return Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config") / "smartgis"


def user_plugin_dir() -> Path:
    """The folder of plugins the user installed by hand (``<config>/plugins``)."""
    return config_dir() / "plugins"


def state_path() -> Path:
    return config_dir() / STATE_FILE


class ConfigError(UserError, OSError):
    """The plugin state file cannot be read or written."""


def read_state() -> dict:
    """``{"enabled": set, "disabled": set}`` from the state file (empty when absent).

    A damaged state file is treated as empty rather than stopping SmartGIS: the user
    loses their choices, not their work.
    """
    path = state_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        data = {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    return {"enabled": {str(n) for n in data.get("enabled", []) if isinstance(n, str)},
            "disabled": {str(n) for n in data.get("disabled", []) if isinstance(n, str)}}


def write_state(state: dict) -> Path:
    """Write the state file atomically (a temporary file renamed over it)."""
    path = state_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"enabled": sorted(state.get("enabled", ())), "disabled": sorted(state.get("disabled", ()))}
        fd, tmp = tempfile.mkstemp(prefix=".plugins.", suffix=".json", dir=str(path.parent))
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
        os.replace(tmp, path)
    except OSError as exc:
        raise ConfigError(_("cannot save the plugin settings ({error})", error=str(exc.strerror or exc)),
                          path) from None
    return path


def set_enabled(name: str, enabled: bool) -> Path:
    """Record the user's choice for one plugin."""
    state = read_state()
    state["enabled"].discard(name)
    state["disabled"].discard(name)
    state["enabled" if enabled else "disabled"].add(name)
    return write_state(state)
