"""Attribute fields: a name, a type and how they map to GeoPackage column types."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from smartgis.errors import UsageError
from smartgis.i18n import _

#: The field types of the model and the GeoPackage (SQLite) column type each is stored as.
SQL_TYPES = {
    "int": "INTEGER",
    "float": "REAL",
    "str": "TEXT",
    "bool": "BOOLEAN",
    "date": "DATE",
    "datetime": "DATETIME",
    "json": "TEXT",
    "bytes": "BLOB",
}

_SQL_TO_TYPE = {
    "INTEGER": "int", "INT": "int", "MEDIUMINT": "int", "SMALLINT": "int", "TINYINT": "int",
    "BIGINT": "int", "REAL": "float", "FLOAT": "float", "DOUBLE": "float", "NUMERIC": "float",
    "TEXT": "str", "BOOLEAN": "bool", "DATE": "date", "DATETIME": "datetime", "BLOB": "bytes",
}


def type_from_sql(decl: str) -> str:
    """Model type of an SQLite column declaration (``TEXT(80)`` → ``str``)."""
    base = (decl or "TEXT").upper().split("(")[0].strip()
    return _SQL_TO_TYPE.get(base, "str")


def numpy_dtype(ftype: str):
    """The numpy dtype a column of this type is held in when it has no nulls."""
    return {"int": np.int64, "float": np.float64, "bool": np.bool_}.get(ftype, object)


#: Field types as messages name them.
TYPE_WORDS = {"int": _("int"), "float": _("float"), "str": _("str"), "bool": _("bool"), "date": _("date"),
              "datetime": _("datetime")}


@dataclass
class Field:
    """One attribute column.

    Parameters
    ----------
    name : str
        Column name; Chinese names are fine.
    type : str
        One of ``int``, ``float``, ``str``, ``bool``, ``date``, ``datetime``, ``json``, ``bytes``.
    width : int, optional
        Text width for ``str`` (0 = unlimited), kept for round trips to shapefiles.
    alias : dict, optional
        Display names by language, e.g. ``{"zh": "人口", "en": "Population"}``.
    default : Any, optional
        Value given to new features.
    choices : list, optional
        Allowed values (a drop-down in forms).
    unit : str, optional
        Unit shown next to the value (``m``, ``deg``, ``CNY``).
    """

    name: str
    type: str = "str"
    width: int = 0
    alias: dict = field(default_factory=dict)
    default: Any = None
    choices: list | None = None
    unit: str | None = None

    def __post_init__(self):
        if self.type not in SQL_TYPES:
            raise UsageError(_("field {field!r}: unknown type {type!r} (use one of {types})", field=self.name,
                               type=self.type, types=", ".join(SQL_TYPES)))
        if not self.name or not str(self.name).strip():
            raise UsageError(_("a field needs a name"))

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.type]

    def label(self, lang: str = "en") -> str:
        """The display name in ``lang``, falling back to the other language and the name."""
        return self.alias.get(lang) or self.alias.get("en") or self.alias.get("zh") or self.name

    def coerce(self, value: Any) -> Any:
        """Convert ``value`` to this field's Python type; None and '' stay null."""
        if value is None or (isinstance(value, float) and np.isnan(value) and self.type != "float"):
            return None
        if isinstance(value, str) and value == "" and self.type not in ("str", "json"):
            return None
        try:
            if self.type == "int":
                return int(float(value)) if isinstance(value, str) else int(value)
            if self.type == "float":
                return float(value)
            if self.type == "bool":
                if isinstance(value, str):
                    return value.strip().lower() in ("1", "true", "yes", "y", "是", "t")
                return bool(value)
            if self.type in ("str", "date", "datetime"):
                return str(value)
            return value
        except (TypeError, ValueError) as exc:
            raise UsageError(_("field {field!r}: {value!r} is not a valid {type}", field=self.name, value=value,
                               type=TYPE_WORDS.get(self.type, self.type))) from exc

    def to_dict(self) -> dict:
        d = {"name": self.name, "type": self.type}
        if self.width:
            d["width"] = self.width
        for k in ("alias", "default", "choices", "unit"):
            v = getattr(self, k)
            if v is not None and v != {} and v != []:
                d[k] = v
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Field":
        return cls(name=d["name"], type=d.get("type", "str"), width=int(d.get("width", 0) or 0),
                   alias=dict(d.get("alias") or d.get("label") or {}), default=d.get("default"),
                   choices=d.get("choices"), unit=d.get("unit"))
