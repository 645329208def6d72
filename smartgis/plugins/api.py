"""The interface plugins get: the one SmartGIS module a plugin needs to import.

Everything a plugin may rely on is re-exported here, and only this is promised to stay
stable within a plugin API version (:data:`API_VERSION`); the rest of SmartGIS may
change under a plugin without notice.  This module imports no Qt, so a plugin that has
no window features works from the command line and in scripts.

Model
    :class:`Project` (``open_project``, ``project.save()``, ``project.layers``,
    ``project.design``, ``project.catalog``, ``project.extra_tables``),
    :class:`VectorLayer`, :class:`RasterLayer`, :class:`AttributeTable`,
    :class:`Field`, :class:`ElementType`, :class:`Catalog`, and
    :func:`vector_layer` to build a result layer from shapely geometries.
Coordinates
    :func:`parse_crs`, :func:`transformer`, :func:`transform_geometries`,
    :data:`WGS84`, :data:`CGCS2000`.
Errors and progress
    :class:`UserError` and its subclasses (raise them for anything the user can fix:
    the CLI prints one line and exits 2, the window shows a dialog, and the plugin
    stays enabled), :class:`Cancelled`, :func:`report` (the progress protocol).
Messages
    :func:`_` marks an English message for translation
    (``raise UsageError(_("layer {name!r} is not a vector layer", name=lyr.name))``),
    :func:`localize` shows one in the user's language, :func:`join` joins names.
    The Chinese is the plugin's own: ``i18n/zh_CN/*.json`` beside its manifest,
    merged by the plugin host (:func:`add_catalogue` does it by hand).
Contributions of other plugins
    :func:`transform`, :func:`coverage_model`, :func:`metric`, :func:`standard_files`.
The session
    :class:`PluginContext`, given to every window contribution (menu actions, dock
    panels, map tools): the current project, the window, messages, background tasks.

See ``docs/plugins.md`` for the manifest and a tutorial.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

import numpy as np

from smartgis import __version__
from smartgis.core import (
    AttributeTable,
    Catalog,
    ElementType,
    Field,
    Project,
    RasterLayer,
    VectorLayer,
)
from smartgis.core.progress import report, scaled
from smartgis.crs import CGCS2000, WGS84, parse_crs, transform_geometries, transformer
from smartgis.errors import (
    Cancelled,
    CRSError,
    LayerError,
    PluginError,
    SourceError,
    StandardsError,
    UsageError,
    UserError,
)
from smartgis.i18n import _, add_catalogue, join, localize
from smartgis.plugins.manifest import API_VERSION

__all__ = [
    "_", "add_catalogue", "join", "localize",
    "API_VERSION", "AttributeTable", "CGCS2000", "CRSError", "Cancelled", "Catalog", "ElementType", "Field",
    "LayerError", "PluginContext", "PluginError", "Project", "RasterLayer", "SMARTGIS_VERSION", "SourceError",
    "StandardsError", "UsageError", "UserError", "VectorLayer", "WGS84", "coverage_model", "metric",
    "open_project", "parse_crs", "report", "scaled", "standard_files", "transform", "transform_geometries",
    "transformer", "vector_layer",
]

SMARTGIS_VERSION = __version__


def open_project(path, read_only: bool = False, progress=None) -> Project:
    """Open a project file (see :func:`smartgis.project.open_project`)."""
    from smartgis.project import open_project as _open
    return _open(path, read_only=read_only, progress=progress)


def vector_layer(name: str, geometries, columns: dict | None = None, *, crs: str,
                 fields: list[Field] | None = None, role: str | None = None) -> VectorLayer:
    """A new vector layer from shapely geometries and plain columns.

    Parameters
    ----------
    name : str
        Layer name shown in the layer tree.
    geometries : sequence of shapely geometries
    columns : dict of str to sequence, optional
        Attribute values by field name; field types are guessed (int, float, bool, str)
        unless ``fields`` gives them.
    crs : str
        The CRS of the coordinates (usually ``project.crs``).
    role : str, optional
        A layer role (``key_areas``, ``study_area`` ...), see :data:`smartgis.core.layers.ROLES`.

    Examples
    --------
    >>> import shapely
    >>> lyr = vector_layer("样点", [shapely.Point(0, 0)], {"value": [1.5]}, crs="EPSG:4547")
    >>> lyr.feature_count, lyr.table.column("value").tolist()
    (1, [1.5])
    """
    geoms = np.asarray(list(geometries), dtype=object)
    columns = dict(columns or {})
    if fields is None:
        fields = []
        for key, values in columns.items():
            arr = np.asarray(values)
            kind = {"i": "int", "u": "int", "f": "float", "b": "bool"}.get(arr.dtype.kind, "str")
            fields.append(Field(key, kind))
    table = AttributeTable(fields, columns, length=len(geoms))
    return VectorLayer(name, geoms, table, crs=crs, role=role)


# -- contributions of other plugins ------------------------------------------------------
def _registry():
    from smartgis.plugins.registry import registry
    return registry()


def transform(name: str):
    """A coordinate transform contributed by a plugin (e.g. ``"gcj02"``), or UsageError."""
    return _registry().transform(name)


def coverage_model(name: str) -> Callable:
    """A coverage model contributed by a plugin, as a callable."""
    return _registry().contribution("coverage_models", name)


def metric(name: str) -> Callable:
    """An analysis metric contributed by a plugin, as a callable."""
    return _registry().contribution("metrics", name)


def standard_files() -> list[Path]:
    """Standards files contributed by the enabled plugins."""
    return _registry().standard_files()


class PluginContext:
    """What a window contribution gets: the session it runs in.

    Parameters
    ----------
    plugin : str
        The plugin's name.
    folder : Path
        The plugin's folder (for its data files, see :meth:`resource`).
    window : object, optional
        The main window (None from the command line).  Plugins should prefer the
        methods below to reaching into it.

    Attributes
    ----------
    lang : str
        The interface language, ``"zh"`` or ``"en"``.
    """

    def __init__(self, plugin: str, folder: Path, window: Any = None, lang: str = "zh"):
        self.plugin = plugin
        self.folder = Path(folder)
        self.window = window
        self.lang = lang

    @property
    def project(self) -> Project | None:
        """The project open in the window (None when there is none)."""
        return getattr(self.window, "project", None)

    @property
    def canvas(self):
        """The map canvas (for map tools), or None."""
        return getattr(self.window, "canvas", None)

    def resource(self, relative: str) -> Path:
        """A file shipped inside the plugin folder."""
        return self.folder / relative

    def text(self, texts: dict | str) -> str:
        """Pick the interface language from ``{"zh": ..., "en": ...}``."""
        if isinstance(texts, str):
            return texts
        return texts.get(self.lang) or texts.get("en") or next(iter(texts.values()), "")

    def message(self, text: str, timeout_ms: int = 8000) -> None:
        """Tell the user something short (status bar in the window, stderr otherwise).

        A message made with :func:`_` is shown in the user's language.
        """
        bar = getattr(self.window, "statusBar", None)
        if callable(bar):
            bar().showMessage(localize(text), timeout_ms)
        else:
            print(localize(text), file=sys.stderr)

    def error(self, exc_or_message) -> None:
        """Show an error (a dialog in the window)."""
        show = getattr(self.window, "show_error", None)
        if callable(show):
            show(exc_or_message)
        else:
            print(f"error: {localize(exc_or_message)}", file=sys.stderr)

    def refresh_map(self, layer_ids=None) -> None:
        refresh = getattr(self.window, "refresh_map", None)
        if callable(refresh):
            refresh(layer_ids)

    def add_layer(self, layer, group: str | None = None) -> None:
        """Add a layer to the current project and redraw the map."""
        if self.project is None:
            raise UsageError(_("open a project first"))
        self.project.add_layer(layer, group=group)
        self.refresh_map()

    def run_task(self, title: str, fn: Callable, *args, on_done: Callable | None = None, **kwargs):
        """Run ``fn(*args, progress=cb, **kwargs)`` in the background (window) or now (CLI)."""
        run = getattr(self.window, "run_task", None)
        if callable(run):
            return run(title, fn, *args, on_done=on_done, **kwargs)
        result = fn(*args, progress=None, **kwargs)
        if on_done is not None:
            on_done(result)
        return result
