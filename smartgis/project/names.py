"""Names of tables in the project file (defined in :mod:`smartgis.core.names`, where the
model names a new layer's table)."""

from smartgis.core.names import RESERVED_PREFIXES, quote_ident, table_name_for

__all__ = ["RESERVED_PREFIXES", "quote_ident", "table_name_for"]
