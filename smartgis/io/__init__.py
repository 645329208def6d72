"""Importing surveying and mapping data (no Qt).

``import_source(project, path, ...)`` reads shapefiles (also zipped), GeoPackages,
GeoJSON, DXF, FlatGeobuf, File Geodatabases, MapInfo, GML/KML, CSV and rasters into a
project, all or nothing, and returns an :class:`ImportReport`.  ``raster_layer(path)``
makes a :class:`RasterLayer` with its ``info`` filled.  ``probe_source(path)`` says what
an import would find (layers, counts, encoding with decoded samples, CRS) without
importing.  See docs/import.md.
"""

from smartgis.io.importer import AS_CHOICES, ImportReport, PreparedImport, import_source, prepare_import
from smartgis.io.probe import probe_source
from smartgis.io.raster import raster_layer

__all__ = ["AS_CHOICES", "ImportReport", "PreparedImport", "import_source", "prepare_import", "probe_source",
           "raster_layer"]
