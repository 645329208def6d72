"""Team projects on PostgreSQL/PostGIS (no Qt).

A project can live in a schema of an institute's PostGIS server as well as in a
GeoPackage: ``postgresql://USER@HOST[:PORT]/DB?schema=NAME`` opens it wherever a
project file is taken.  Every row carries a version; a save writes only the changed
rows in one transaction and refuses, naming them, rows a colleague changed since
they were read.  Checkout/checkin take part of a project offline as an ordinary
project file and bring the edits back.  Rights are the database's GRANTs.
"""

from smartgis.postgis.errors import ConflictError, ServerError
from smartgis.postgis.url import ProjectURL, is_url, parse_url, redact


def open_url(url, read_only: bool = False, progress=None, password=None):
    """Open the project of a schema (see :func:`smartgis.postgis.read.open_url`)."""
    from smartgis.postgis.read import open_url as _open
    return _open(url, read_only=read_only, progress=progress, password=password)


__all__ = ["ConflictError", "ServerError", "ProjectURL", "is_url", "parse_url", "redact", "open_url"]
