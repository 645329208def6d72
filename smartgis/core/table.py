"""A columnar attribute table: one numpy array per field.

Columns of numbers without nulls are plain ``int64``/``float64``/``bool`` arrays, so a
million-row table costs a few tens of MB and sorts and filters in vectorised numpy.
A column that gets a null becomes an ``object`` array holding ``None``.

The table of a layer is *frozen* (:meth:`AttributeTable.frozen`): its columns are
read-only arrays and its changing methods raise, so a render or an autosave holding
it sees the same rows whatever is edited meanwhile.  Edits build a new table with the
``with_*``/``concat``/``without``/``head`` methods, which copy only the columns they
change and share the others.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

import numpy as np

from smartgis.core.fields import Field, numpy_dtype
from smartgis.errors import LayerError, UsageError
from smartgis.i18n import _


def _column(values: Sequence, ftype: str) -> np.ndarray:
    """Build the column array for ``values``, falling back to object when nulls occur."""
    dtype = numpy_dtype(ftype)
    if isinstance(values, np.ndarray) and values.dtype != object:
        if dtype is object:
            return values.astype(object)
        if ftype == "float" or values.dtype.kind in "iub":
            return values.astype(dtype, copy=False)
        return values.astype(object)
    vals = list(values)
    if dtype is not object:
        if ftype == "float":
            return np.array([np.nan if v is None else v for v in vals], dtype=np.float64)
        if all(v is not None for v in vals):
            try:
                return np.array(vals, dtype=dtype)
            except (TypeError, ValueError):
                pass
    arr = np.empty(len(vals), dtype=object)
    arr[:] = vals
    return arr


def _is_null(v: Any) -> bool:
    return v is None or (isinstance(v, float) and v != v)


class AttributeTable:
    """Attribute columns of a layer, all of the same length.

    Parameters
    ----------
    fields : sequence of Field
        The schema, in column order.
    columns : dict of str to array-like, optional
        Values per field name; missing fields are filled with nulls.
    length : int, optional
        Number of rows when ``columns`` is empty.
    """

    def __init__(self, fields: Sequence[Field] = (), columns: dict | None = None, length: int | None = None):
        self.fields: list[Field] = list(fields)
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names):
            raise UsageError(_("duplicate field names in {names}", names=str(names)))
        columns = columns or {}
        if length is None:
            length = len(next(iter(columns.values()))) if columns else 0
        self._n = int(length)
        self._frozen = False
        self._cols: dict[str, np.ndarray] = {}
        for f in self.fields:
            if f.name in columns:
                col = _column(columns[f.name], f.type)
                if len(col) != self._n:
                    raise UsageError(_("column {field!r} has {n} values, expected {expected}", field=f.name,
                                         n=len(col), expected=self._n))
            else:
                col = _column([None] * self._n, f.type) if self._n else np.empty(0, dtype=numpy_dtype(f.type))
            self._cols[f.name] = col

    # -- shape -------------------------------------------------------------------------
    def __len__(self) -> int:
        return self._n

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise LayerError(_("no field {field!r} (fields: {fields})", field=name,
                            fields=", ".join(self.field_names) or _("none")))

    def has_field(self, name: str) -> bool:
        return name in self._cols

    # -- reading -----------------------------------------------------------------------
    def column(self, name: str) -> np.ndarray:
        """The values of one field (a view: do not modify it in place)."""
        if name not in self._cols:
            self.field(name)  # raises with the list of fields
        return self._cols[name]

    def value(self, row: int, name: str) -> Any:
        v = self.column(name)[row]
        if isinstance(v, np.generic):
            v = v.item()
        return None if _is_null(v) and self.field(name).type != "float" else v

    def row(self, i: int) -> dict:
        """One row as a dict of Python values (nulls as None)."""
        out = {}
        for f in self.fields:
            v = self._cols[f.name][i]
            if isinstance(v, np.generic):
                v = v.item()
            out[f.name] = None if _is_null(v) else v
        return out

    def rows(self) -> Iterable[dict]:
        for i in range(self._n):
            yield self.row(i)

    def to_pylists(self) -> dict[str, list]:
        """Columns as Python lists with nulls as None (what SQLite wants)."""
        out = {}
        for f in self.fields:
            col = self._cols[f.name]
            if col.dtype.kind == "f":
                lst = col.tolist()
                out[f.name] = [None if v != v else v for v in lst]
            elif col.dtype == object:
                out[f.name] = [None if _is_null(v) else (v.item() if isinstance(v, np.generic) else v)
                               for v in col]
            else:
                out[f.name] = col.tolist()
        return out

    # -- changing ----------------------------------------------------------------------
    def _check_writable(self) -> None:
        if self._frozen:
            raise LayerError(_("the attribute table of a layer is read-only: change it through the layer "
                               "(set_value, add_field, append, delete)"))

    def set_value(self, row: int, name: str, value: Any) -> None:
        self._check_writable()
        f = self.field(name)
        v = f.coerce(value)
        col = self._cols[name]
        if v is None and col.dtype != object and col.dtype.kind != "f":
            col = col.astype(object)
        elif v is not None and col.dtype.kind in "iub" and not isinstance(v, (int, float, bool, np.number)):
            col = col.astype(object)
        elif not col.flags.writeable:
            col = col.copy()      # a column shared with a frozen table: copy on write
        self._cols[name] = col
        col[row] = np.nan if (v is None and col.dtype.kind == "f") else v

    def add_field(self, f: Field, values: Sequence | None = None) -> None:
        self._check_writable()
        self._adopt(self.with_field(f, values))

    def remove_field(self, name: str) -> None:
        self._check_writable()
        self._adopt(self.without_field(name))

    def append_rows(self, rows: Sequence[dict]) -> None:
        """Append rows given as dicts; missing fields get the field default."""
        if not rows:
            return
        new = AttributeTable(self.fields, {f.name: [f.coerce(r.get(f.name, f.default)) for r in rows]
                                           for f in self.fields}, length=len(rows))
        self.extend(new)

    def extend(self, other: "AttributeTable") -> None:
        """Append the rows of a table with the same field names."""
        self._check_writable()
        self._adopt(self.concat(other))

    def delete(self, indices) -> None:
        self._check_writable()
        self._adopt(self.without(indices))

    def truncate(self, n: int) -> None:
        """Keep only the first ``n`` rows (undo of an append)."""
        self._check_writable()
        self._adopt(self.head(n))

    def _adopt(self, other: "AttributeTable") -> None:
        self.fields, self._cols, self._n = list(other.fields), dict(other._cols), other._n

    # -- new tables (copy on write) --------------------------------------------------------
    def frozen(self) -> "AttributeTable":
        """This table made read-only: the same object when it is frozen already, else a
        frozen table sharing the columns (which become read-only arrays; this table
        copies a column before writing into it again)."""
        if self._frozen:
            return self
        t = self._like(self.fields, self._cols, self._n)
        for col in t._cols.values():
            col.flags.writeable = False
        t._frozen = True
        return t

    @property
    def is_frozen(self) -> bool:
        return self._frozen

    def _like(self, fields, cols: dict, n: int) -> "AttributeTable":
        """A table of these columns as they are (no conversion, no copy)."""
        t = AttributeTable.__new__(AttributeTable)
        t.fields, t._cols, t._n, t._frozen = list(fields), dict(cols), int(n), False
        return t

    def _same_state(self, t: "AttributeTable") -> "AttributeTable":
        return t.frozen() if self._frozen else t

    def with_value(self, row: int, name: str, value: Any) -> "AttributeTable":
        """A table with one value changed: copies that one column, shares the others."""
        return self.with_values([row], name, [value])

    def with_values(self, rows, name: str, values: Sequence) -> "AttributeTable":
        """A table with values of one field changed at ``rows`` (one column copied)."""
        t = self._like(self.fields, self._cols, self._n)
        t._cols[name] = self.column(name).copy()
        for r, v in zip(rows, values):
            t.set_value(int(r), name, v)
        return self._same_state(t)

    def with_field(self, f: Field, values: Sequence | None = None) -> "AttributeTable":
        """A table with one more field (``values``, or the field's default)."""
        if f.name in self._cols:
            raise UsageError(_("field {field!r} exists already", field=f.name))
        if values is None:
            values = [f.default] * self._n
        t = self._like(self.fields + [f], self._cols, self._n)
        t._cols[f.name] = _column(values, f.type)
        return self._same_state(t)

    def without_field(self, name: str) -> "AttributeTable":
        """A table without the field ``name``."""
        self.field(name)  # raises naming the fields
        cols = {k: c for k, c in self._cols.items() if k != name}
        return self._same_state(self._like([f for f in self.fields if f.name != name], cols, self._n))

    def concat(self, other: "AttributeTable") -> "AttributeTable":
        """This table's rows followed by those of ``other`` (same field names)."""
        cols = {}
        for f in self.fields:
            a = self._cols[f.name]
            b = other._cols.get(f.name)
            if b is None:
                b = _column([None] * len(other), f.type)
            if a.dtype != b.dtype:
                a, b = a.astype(object), b.astype(object)
            cols[f.name] = np.concatenate([a, b])
        return self._same_state(self._like(self.fields, cols, self._n + len(other)))

    def without(self, indices) -> "AttributeTable":
        """A table without the given rows."""
        keep = np.ones(self._n, dtype=bool)
        keep[np.asarray(indices, dtype=np.int64)] = False
        return self._same_state(self._like(self.fields, {n: c[keep] for n, c in self._cols.items()},
                                           int(keep.sum())))

    def head(self, n: int) -> "AttributeTable":
        """The first ``n`` rows (views of the columns: no copy)."""
        n = min(self._n, int(n))
        return self._same_state(self._like(self.fields, {k: c[:n] for k, c in self._cols.items()}, n))

    def take(self, indices) -> "AttributeTable":
        """A new table with the given rows, in that order."""
        idx = np.asarray(indices, dtype=np.int64)
        return AttributeTable(self.fields, {n: c[idx] for n, c in self._cols.items()}, length=len(idx))

    def copy(self) -> "AttributeTable":
        """A writable deep copy (of a frozen table too)."""
        return AttributeTable([Field.from_dict(f.to_dict()) for f in self.fields],
                              {n: c.copy() for n, c in self._cols.items()}, length=self._n)

    @classmethod
    def from_records(cls, fields: Sequence[Field], records: Sequence[dict]) -> "AttributeTable":
        t = cls(fields, length=0)
        t.append_rows(records)
        return t

    def __repr__(self) -> str:
        return f"AttributeTable({self._n} rows, fields={self.field_names})"
