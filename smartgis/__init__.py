"""SmartGIS: a desktop GIS for the top-level design of smart cities.

The package is split into a Qt-free model (``core``, ``crs``, ``io``, ``project``,
``analysis``) and the Qt layers that show and edit it (``render``, ``ui``).
Scripts and the command line use the model alone.
"""

__version__ = "0.1.0"

#: Version of the project-file format this build writes.  Files with a higher number
#: were written by a newer SmartGIS and are refused; lower numbers are migrated.
FORMAT_VERSION = 1
