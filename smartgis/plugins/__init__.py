"""Plugins: element types, standards, importers, analyses and window tools from outside the core.

* :mod:`smartgis.plugins.discovery` finds plugins (folders and entry points) and reads
  their manifests (:mod:`smartgis.plugins.manifest`) without running any code;
* :mod:`smartgis.plugins.registry` keeps which are enabled, hands out what they
  contribute, imports their code lazily (:mod:`smartgis.plugins.loader`) and disables
  a plugin that fails;
* :mod:`smartgis.plugins.api` is the one module plugins import to reach SmartGIS.

Nothing here imports Qt: the window's side lives in :mod:`smartgis.ui.features.plugins`.
The reference and a tutorial are in ``docs/plugins.md``.
"""
