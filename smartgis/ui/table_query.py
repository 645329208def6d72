"""Sorting, searching and filtering an :class:`~smartgis.core.table.AttributeTable`
with whole-column numpy operations (no Qt; no Python loop over rows).

Filter expressions use the QGIS subset that users type most::

    "floors" > 10 AND use = 'residential'
    name LIKE '%路%' OR name IS NULL
    height_m / floors >= 3.5
    class IN ('primary', 'secondary') AND NOT lanes < 2

Field names are bare words (Chinese is fine) or in double quotes; text is in single
quotes.  Operators: ``= == != <> < <= > >=``, ``AND OR NOT``, ``LIKE`` / ``ILIKE``
(``%`` any text, ``_`` one character), ``IS [NOT] NULL``, ``[NOT] IN (...)``,
``+ - * /`` and parentheses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from smartgis.errors import UsageError
from smartgis.i18n import _


class ExpressionError(UsageError):
    """A filter expression cannot be read, or names a field the layer lacks."""


# == column helpers ============================================================================
def null_mask(col: np.ndarray) -> np.ndarray:
    """True where a value is null (None, or NaN in a float column)."""
    if col.dtype.kind == "f":
        return np.isnan(col)
    if col.dtype == object:
        isnone = np.asarray(col == None, dtype=bool)  # noqa: E711 - elementwise
        with np.errstate(invalid="ignore"):
            nan = np.asarray(col != col, dtype=bool)
        return isnone | nan
    return np.zeros(len(col), dtype=bool)


def as_numbers(col: np.ndarray) -> np.ndarray:
    """The column as float64 with NaN for nulls and values that are not numbers."""
    if col.dtype.kind in "iufb":
        return col.astype(np.float64)
    out = np.full(len(col), np.nan)
    ok = ~null_mask(col)
    try:
        out[ok] = col[ok].astype(np.float64)
        return out
    except (TypeError, ValueError):
        pass
    # Mixed text: convert the distinct values once, then spread the results.
    vals = col[ok].astype(str)
    uniq, inv = np.unique(vals, return_inverse=True)
    conv = np.full(len(uniq), np.nan)
    for i, u in enumerate(uniq):
        try:
            conv[i] = float(u)
        except ValueError:
            pass
    out[ok] = conv[inv]
    return out


_TEXT = np.dtypes.StringDType()


def as_text(col: np.ndarray) -> np.ndarray:
    """The column as a numpy string array ('' for nulls), for text search and sorting."""
    if col.dtype.kind in "UST":
        return col
    nulls = null_mask(col)
    if col.dtype.kind == "f":
        vals = np.where(nulls, 0.0, col)
        uniq, inv = np.unique(vals, return_inverse=True)
        if len(uniq) <= len(vals) // 4:  # measured values repeat: format each one once
            txt = np.char.mod("%.10g", uniq).astype(_TEXT)[inv]
        else:
            txt = np.char.mod("%.10g", vals).astype(_TEXT)
    elif col.dtype == object:
        txt = np.where(nulls, "", col).astype(_TEXT)
        return txt
    else:
        txt = col.astype(_TEXT)
    if nulls.any():
        txt[nulls] = ""
    return txt


def _number_like(col: np.ndarray) -> bool:
    return col.dtype.kind in "iufb"


class ColumnCache:
    """Text and number versions of a table's columns, computed once per table state.

    Converting a million values to text costs a few hundred milliseconds; a user
    refining a search types several times over the same columns.  Make a new cache
    when the layer's data changes (``layer.version``).
    """

    def __init__(self, table):
        self.table = table
        self._text: dict[str, np.ndarray] = {}
        self._lower: dict[str, np.ndarray] = {}
        self._nums: dict[str, np.ndarray] = {}

    def text(self, name: str) -> np.ndarray:
        if name not in self._text:
            self._text[name] = as_text(self.table.column(name))
        return self._text[name]

    def lower(self, name: str) -> np.ndarray:
        if name not in self._lower:
            self._lower[name] = np.strings.lower(self.text(name))
        return self._lower[name]

    def numbers(self, name: str) -> np.ndarray:
        if name not in self._nums:
            self._nums[name] = as_numbers(self.table.column(name))
        return self._nums[name]


_NUMBER_CHARS = set("0123456789.-+e")


# == sorting =====================================================================================
def sort_order(col: np.ndarray, descending: bool = False, rows: np.ndarray | None = None) -> np.ndarray:
    """Row indices ordering ``col`` (restricted to ``rows``); nulls always come last.

    The sort is stable, so sorting by one column then another keeps ties in order.
    """
    rows = np.arange(len(col)) if rows is None else np.asarray(rows, dtype=np.int64)
    sub = col[rows]
    nulls = null_mask(sub)
    if _number_like(sub) or sub.dtype.kind == "f":
        key = sub.astype(np.float64)
    else:
        try:
            key = as_numbers(sub) if _all_numbers(sub, nulls) else as_text(sub)
        except (TypeError, ValueError):
            key = as_text(sub)
    valid = np.flatnonzero(~nulls)
    k = key[valid]
    if descending:
        # a stable descending sort: sort the reversed array ascending, then reverse back
        order = valid[::-1][np.argsort(k[::-1], kind="stable")][::-1]
    else:
        order = valid[np.argsort(k, kind="stable")]
    return rows[np.concatenate([order, np.flatnonzero(nulls)])]


def _all_numbers(sub: np.ndarray, nulls: np.ndarray) -> bool:
    vals = sub[~nulls][:1000]
    return len(vals) > 0 and all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in vals)


# == text search ===================================================================================
def search(table, text: str, fields: list[str] | None = None, cache: ColumnCache | None = None) -> np.ndarray:
    """Rows where any field contains ``text`` (case-insensitive); a boolean mask."""
    n = len(table)
    needle = text.strip().lower()
    if not needle:
        return np.ones(n, dtype=bool)
    cache = cache or ColumnCache(table)
    could_be_number = set(needle) <= _NUMBER_CHARS
    hit = np.zeros(n, dtype=bool)
    for name in fields or table.field_names:
        if not could_be_number and _number_like(table.column(name)):
            continue  # the text of a number never contains letters
        hit |= np.strings.find(cache.lower(name), needle) >= 0
    return hit


# == expressions ===================================================================================
_TOKEN = re.compile(r"""
    \s*(?:
      (?P<num>\d+\.\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|\d+(?:[eE][-+]?\d+)?)
    | (?P<str>'(?:[^']|'')*')
    | (?P<qname>"(?:[^"]|"")*")
    | (?P<op><>|!=|==|<=|>=|=|<|>|\+|-|\*|/|\(|\)|,)
    | (?P<word>[^\W\d]\w*)
    )""", re.VERBOSE | re.UNICODE)

_KEYWORDS = {"and", "or", "not", "like", "ilike", "is", "null", "in", "true", "false"}


@dataclass
class _Tok:
    kind: str
    value: Any


def _tokens(text: str) -> list[_Tok]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ExpressionError(_("cannot read the expression at {text!r}", text=text[pos:pos + 12]))
        pos = m.end()
        kind = m.lastgroup
        v = m.group(kind)
        if kind == "num":
            out.append(_Tok("num", float(v) if any(c in v for c in ".eE") else int(v)))
        elif kind == "str":
            out.append(_Tok("str", v[1:-1].replace("''", "'")))
        elif kind == "qname":
            out.append(_Tok("name", v[1:-1].replace('""', '"')))
        elif kind == "word":
            low = v.lower()
            out.append(_Tok("kw", low) if low in _KEYWORDS else _Tok("name", v))
        else:
            out.append(_Tok("op", v))
    out.append(_Tok("end", None))
    return out


class _Parser:
    """Recursive descent: or → and → not → comparison → sum → product → unary → atom."""

    def __init__(self, text: str):
        self.toks = _tokens(text)
        self.i = 0

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        t = self.toks[self.i]
        self.i += 1
        return t

    def accept(self, kind: str, value=None) -> bool:
        t = self.peek()
        if t.kind == kind and (value is None or t.value == value):
            self.i += 1
            return True
        return False

    def expect(self, kind: str, value=None) -> _Tok:
        t = self.take()
        if t.kind != kind or (value is not None and t.value != value):
            want = value if value is not None else kind
            got = _("the end") if t.kind == "end" else repr(t.value)
            raise ExpressionError(_("expected {want!r} but found {got}", want=want, got=got))
        return t

    def parse(self):
        node = self.or_()
        if self.peek().kind != "end":
            raise ExpressionError(_("unexpected {token!r}", token=self.peek().value))
        return node

    def or_(self):
        node = self.and_()
        while self.accept("kw", "or"):
            node = ("or", node, self.and_())
        return node

    def and_(self):
        node = self.not_()
        while self.accept("kw", "and"):
            node = ("and", node, self.not_())
        return node

    def not_(self):
        if self.accept("kw", "not"):
            return ("not", self.not_())
        return self.comparison()

    def comparison(self):
        left = self.sum_()
        t = self.peek()
        if t.kind == "op" and t.value in ("=", "==", "!=", "<>", "<", "<=", ">", ">="):
            self.take()
            op = {"=": "==", "<>": "!="}.get(t.value, t.value)
            return ("cmp", op, left, self.sum_())
        negate = False
        if t.kind == "kw" and t.value == "not" and self.toks[self.i + 1].kind == "kw" and \
                self.toks[self.i + 1].value in ("like", "ilike", "in"):
            self.take()
            negate = True
            t = self.peek()
        if t.kind == "kw" and t.value in ("like", "ilike"):
            self.take()
            pat = self.expect("str").value
            node = ("like", left, pat, t.value == "ilike")
            return ("not", node) if negate else node
        if t.kind == "kw" and t.value == "in":
            self.take()
            self.expect("op", "(")
            items = [self.sum_()]
            while self.accept("op", ","):
                items.append(self.sum_())
            self.expect("op", ")")
            node = ("in", left, items)
            return ("not", node) if negate else node
        if t.kind == "kw" and t.value == "is":
            self.take()
            neg = self.accept("kw", "not")
            self.expect("kw", "null")
            node = ("isnull", left)
            return ("not", node) if neg else node
        return left

    def sum_(self):
        node = self.product()
        while self.peek().kind == "op" and self.peek().value in ("+", "-"):
            node = ("arith", self.take().value, node, self.product())
        return node

    def product(self):
        node = self.unary()
        while self.peek().kind == "op" and self.peek().value in ("*", "/"):
            node = ("arith", self.take().value, node, self.unary())
        return node

    def unary(self):
        if self.accept("op", "-"):
            return ("neg", self.unary())
        return self.atom()

    def atom(self):
        t = self.take()
        if t.kind == "num":
            return ("const", t.value)
        if t.kind == "str":
            return ("const", t.value)
        if t.kind == "kw" and t.value in ("true", "false"):
            return ("const", t.value == "true")
        if t.kind == "kw" and t.value == "null":
            return ("const", None)
        if t.kind == "name":
            return ("field", t.value)
        if t.kind == "op" and t.value == "(":
            node = self.or_()
            self.expect("op", ")")
            return node
        got = _("the end") if t.kind == "end" else repr(t.value)
        raise ExpressionError(_("expected a field, a number or a text but found {got}", got=got))


def parse_expression(text: str):
    """Parse a filter expression into a small tree (raises :class:`ExpressionError`)."""
    if not text or not text.strip():
        raise ExpressionError(_("the expression is empty"))
    return _Parser(text).parse()


def expression_fields(tree) -> set[str]:
    """Field names an expression tree refers to."""
    out: set[str] = set()

    def visit(n):
        if isinstance(n, tuple):
            if n[0] == "field":
                out.add(n[1])
            for c in n[1:]:
                visit(c)
        elif isinstance(n, list):
            for c in n:
                visit(c)
    visit(tree)
    return out


def _like_mask(txt: np.ndarray, pattern: str, ignore_case: bool) -> np.ndarray:
    if ignore_case:
        txt = np.strings.lower(txt)
        pattern = pattern.lower()
    core = pattern.strip("%")
    if "_" not in pattern and "%" not in core:
        starts, ends = pattern.startswith("%"), pattern.endswith("%")
        if starts and ends:
            return np.strings.find(txt, core) >= 0
        if ends:
            return np.strings.startswith(txt, core)
        if starts:
            return np.strings.endswith(txt, core)
        return txt == core
    # general pattern: test each distinct value once with a regular expression
    rx = re.compile("^" + "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern) + "$",
                    re.DOTALL)
    uniq, inv = np.unique(txt, return_inverse=True)
    hits = np.fromiter((rx.match(u) is not None for u in uniq), dtype=bool, count=len(uniq))
    return hits[inv]


class _Evaluator:
    def __init__(self, table, cache: ColumnCache | None = None):
        self.table = table
        self.cache = cache or ColumnCache(table)
        self.n = len(table)
        self.names = {name: name for name in table.field_names}
        self.lower = {name.lower(): name for name in table.field_names}
        self._ids: dict[int, str] = {}

    def txt(self, v: np.ndarray) -> np.ndarray:
        name = self._ids.get(id(v))
        return self.cache.text(name) if name else as_text(v)

    def num(self, v: np.ndarray) -> np.ndarray:
        name = self._ids.get(id(v))
        return self.cache.numbers(name) if name else as_numbers(v)

    def column(self, name: str) -> np.ndarray:
        real = self.names.get(name) or self.lower.get(name.lower())
        if real is None:
            raise ExpressionError(_("no field {field!r} (fields: {fields})", field=name,
                                    fields=", ".join(self.table.field_names) or _("none")))
        col = self.table.column(real)
        self._ids[id(col)] = real
        return col

    def value(self, node):
        kind = node[0]
        if kind == "const":
            return node[1]
        if kind == "field":
            return self.column(node[1])
        if kind == "neg":
            return -self.number(node[1])
        if kind == "arith":
            a, b = self.number(node[2]), self.number(node[3])
            with np.errstate(all="ignore"):
                return {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.true_divide}[node[1]](a, b)
        return self.mask(node)

    def number(self, node):
        v = self.value(node)
        if isinstance(v, np.ndarray):
            return self.num(v)
        if v is None:
            return np.nan
        if isinstance(v, str):
            try:
                return float(v)
            except ValueError:
                raise ExpressionError(_("{value!r} is not a number", value=v)) from None
        return float(v)

    def mask(self, node) -> np.ndarray:
        """Rows where the condition is true (false and unknown rows are left out)."""
        return self.logic(node)[0]

    def logic(self, node) -> tuple[np.ndarray, np.ndarray]:
        """(true, false) masks in SQL's three-valued logic: a comparison with NULL is
        neither, so ``NOT (use = 'office')`` leaves rows without a use out, as QGIS does."""
        kind = node[0]
        if kind == "and":
            (at, af), (bt, bf) = self.logic(node[1]), self.logic(node[2])
            return at & bt, af | bf
        if kind == "or":
            (at, af), (bt, bf) = self.logic(node[1]), self.logic(node[2])
            return at | bt, af & bf
        if kind == "not":
            t, f = self.logic(node[1])
            return f, t
        if kind == "isnull":
            v = self.value(node[1])
            nulls = null_mask(v) if isinstance(v, np.ndarray) else np.full(self.n, v is None)
            return nulls, ~nulls
        if kind == "cmp":
            res, unknown = self.compare(node[1], node[2], node[3])
            return res & ~unknown, ~res & ~unknown
        if kind == "like":
            v = self.value(node[1])
            txt = self.txt(v) if isinstance(v, np.ndarray) else np.full(self.n, "" if v is None else str(v))
            nulls = null_mask(v) if isinstance(v, np.ndarray) else np.full(self.n, v is None)
            hit = _like_mask(txt, node[2], node[3])
            return hit & ~nulls, ~hit & ~nulls
        if kind == "in":
            t = np.zeros(self.n, dtype=bool)
            f = np.ones(self.n, dtype=bool)
            for item in node[2]:
                res, unknown = self.compare("==", node[1], item)
                t |= res & ~unknown
                f &= ~res & ~unknown
            return t, f
        if kind in ("field", "const", "arith", "neg"):
            v = self.value(node)
            if isinstance(v, np.ndarray):
                if v.dtype == bool:
                    return v, ~v
                nums = self.num(v)
                known = ~np.isnan(nums)
                return known & (nums != 0), known & (nums == 0)
            if v is None:
                return np.zeros(self.n, bool), np.zeros(self.n, bool)
            return np.full(self.n, bool(v)), np.full(self.n, not bool(v))
        raise ExpressionError(f"cannot evaluate {kind!r}")  # pragma: no cover - parser makes no other nodes

    def compare(self, op: str, left, right) -> tuple[np.ndarray, np.ndarray]:
        """(result, unknown): ``unknown`` marks rows where an operand is NULL."""
        a, b = self.value(left), self.value(right)
        if a is None or b is None:  # comparing with NULL is unknown (SQL)
            return np.zeros(self.n, dtype=bool), np.ones(self.n, dtype=bool)
        numeric = all(
            (isinstance(v, np.ndarray) and (_number_like(v) or _all_numbers(v, null_mask(v))))
            or (not isinstance(v, np.ndarray) and isinstance(v, (int, float, np.number)) and not isinstance(v, bool))
            for v in (a, b))
        fn = {"==": np.equal, "!=": np.not_equal, "<": np.less, "<=": np.less_equal, ">": np.greater,
              ">=": np.greater_equal}[op]

        def full(x):
            return np.broadcast_to(np.asarray(x, dtype=bool), (self.n,)).copy()

        if numeric or (isinstance(b, (int, float)) and not isinstance(b, bool)) or \
                (isinstance(a, (int, float)) and not isinstance(a, bool)):
            x = self.num(a) if isinstance(a, np.ndarray) else float(a)
            y = self.num(b) if isinstance(b, np.ndarray) else float(b)
            with np.errstate(invalid="ignore"):
                res = fn(x, y)
            return full(res), full(np.isnan(x) | np.isnan(y))
        if isinstance(a, bool) or isinstance(b, bool):
            x = a if not isinstance(a, np.ndarray) else a.astype(bool)
            y = b if not isinstance(b, np.ndarray) else b.astype(bool)
            return full(fn(x, y)), np.zeros(self.n, dtype=bool)
        nulls = np.zeros(self.n, dtype=bool)
        if isinstance(a, np.ndarray):
            nulls |= null_mask(a)
            a = self.txt(a)
        else:
            a = str(a)
        if isinstance(b, np.ndarray):
            nulls |= null_mask(b)
            b = self.txt(b)
        else:
            b = str(b)
        return full(fn(a, b)), nulls


def evaluate(table, expression: str, cache: ColumnCache | None = None) -> np.ndarray:
    """The boolean row mask of a filter expression over ``table``.

    Raises
    ------
    ExpressionError
        For a syntax error or an unknown field (the message names it).
    """
    tree = parse_expression(expression)
    ev = _Evaluator(table, cache)
    for name in expression_fields(tree):
        ev.column(name)  # unknown fields fail before any work
    return np.asarray(ev.mask(tree), dtype=bool)
