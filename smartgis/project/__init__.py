"""The project file: one conformant GeoPackage holding the whole top-level design.

See :mod:`smartgis.project.store` for the safety rules (atomic saves, read-only
opens, version checks) and :mod:`smartgis.project.gpkg` for the GeoPackage layer.
"""

from smartgis.project.store import BACKUP_SUFFIX, open_project, save_project

__all__ = ["BACKUP_SUFFIX", "open_project", "save_project"]
