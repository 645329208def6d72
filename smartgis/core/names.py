"""Names of tables in the project file: a new layer's table, quoting identifiers for SQLite."""

from __future__ import annotations

import re

#: Prefixes reserved for GeoPackage, SQLite and SmartGIS's own tables.
RESERVED_PREFIXES = ("gpkg_", "sqlite_", "rtree_", "smartgis_", "layer_styles", "trigger_")


def table_name_for(name: str, taken: set[str]) -> str:
    """A table name for a layer called ``name``, unique among ``taken``.

    Letters of any script are kept (Chinese layer names make Chinese table names,
    which QGIS and GDAL handle); anything else becomes ``_``.  Comparison is
    case-insensitive because SQLite's table names are.
    """
    base = re.sub(r"[^\w]+", "_", str(name), flags=re.UNICODE).strip("_") or "layer"
    if base[0].isdigit():
        base = "t_" + base
    if base.lower().startswith(RESERVED_PREFIXES):
        base = "layer_" + base
    base = base[:60]
    lower = {t.lower() for t in taken}
    cand, n = base, 2
    while cand.lower() in lower:
        cand = f"{base}_{n}"
        n += 1
    return cand


def quote_ident(name: str) -> str:
    """Quote an SQL identifier (table or column name) for SQLite."""
    return '"' + str(name).replace('"', '""') + '"'
