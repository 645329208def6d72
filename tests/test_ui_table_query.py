"""Vectorised sort, search and filter expressions over attribute tables (no Qt)."""

from __future__ import annotations

import numpy as np
import pytest

from smartgis.core import AttributeTable, Field
from smartgis.ui import table_query as tq


@pytest.fixture
def table():
    return AttributeTable(
        [Field("名称", "str"), Field("floors", "int"), Field("height_m", "float"), Field("use", "str"),
         Field("FLOOR", "str")],
        {"名称": ["光谷路1号", "珞喻路", None, "光谷广场", "关山大道"],
         "floors": [3, 12, 7, 30, 1],
         "height_m": [9.3, 37.2, None, 96.0, 3.1],
         "use": ["residential", "office", "residential", None, "Mixed"],
         "FLOOR": ["3", "12", "7", "30", None]})


@pytest.mark.parametrize("expr, rows", [
    ("floors > 10", [1, 3]),
    ('"floors" >= 7 AND use = \'residential\'', [2]),
    ("use = 'residential' OR floors < 2", [0, 2, 4]),
    ("NOT floors < 10", [1, 3]),
    ("名称 LIKE '%路%'", [0, 1]),
    ("名称 LIKE '光谷%'", [0, 3]),
    ("use ILIKE 'MIX%'", [4]),
    ("use LIKE 'r_sidential'", [0, 2]),
    ("use NOT LIKE 'res%'", [1, 4]),
    ("use IS NULL", [3]),
    ("height_m IS NOT NULL AND height_m / floors > 3.05", [0, 1, 3, 4]),
    ("NOT (use = 'office')", [0, 2, 4]),     # rows without a use are neither
    ("use = 'office' OR NOT (floors > 5)", [0, 1, 4]),
    ("use IN ('office', 'Mixed')", [1, 4]),
    ("floors NOT IN (1, 3)", [1, 2, 3]),
    ("FLOOR > 10", [1, 3]),             # numbers stored as text compare as numbers
    ("(floors + 1) * 2 = 8", [0]),
    ("use <> 'office'", [0, 2, 4]),    # NULL is neither equal nor unequal (SQL)
])
def test_expressions(table, expr, rows):
    assert np.flatnonzero(tq.evaluate(table, expr)).tolist() == rows


@pytest.mark.parametrize("expr, message", [
    ("floors >", "expected a field"),
    ("flors > 3", "no field 'flors'"),
    ("floors > 3 AND", "expected a field"),
    ("use LIKE 5", "expected 'str'"),
    ("floors @ 2", "cannot read"),
    ("", "empty"),
])
def test_bad_expressions_name_the_problem(table, expr, message):
    with pytest.raises(tq.ExpressionError, match=message):
        tq.evaluate(table, expr)


def test_search_is_case_insensitive_over_all_fields(table):
    assert np.flatnonzero(tq.search(table, "光谷")).tolist() == [0, 3]
    assert np.flatnonzero(tq.search(table, "MIXED")).tolist() == [4]
    assert np.flatnonzero(tq.search(table, "37.2")).tolist() == [1]
    assert tq.search(table, "  ").all()


def test_sort_puts_nulls_last_both_ways(table):
    assert tq.sort_order(table.column("height_m")).tolist() == [4, 0, 1, 3, 2]
    assert tq.sort_order(table.column("height_m"), descending=True).tolist() == [3, 1, 0, 4, 2]
    assert tq.sort_order(table.column("use")).tolist() == [4, 1, 0, 2, 3]
    # a stable descending sort keeps ties in their previous order
    assert tq.sort_order(table.column("use"), descending=True).tolist() == [0, 2, 1, 4, 3]
    assert tq.sort_order(table.column("floors"), rows=np.array([4, 0, 3])).tolist() == [4, 0, 3]


def test_a_million_rows_stay_vectorised():
    n = 1_000_000
    rng = np.random.default_rng(3)
    uses = np.array(["residential", "office", "public", "mixed"], dtype=object)[rng.integers(0, 4, n)]
    t = AttributeTable([Field("use", "str"), Field("floors", "int"), Field("h", "float")],
                       {"use": uses, "floors": rng.integers(1, 40, n), "h": rng.random(n) * 100}, length=n)
    cache = tq.ColumnCache(t)
    m = tq.evaluate(t, "use = 'office' AND floors > 20 AND h < 50", cache)
    expect = (uses == "office") & (t.column("floors") > 20) & (t.column("h") < 50)
    assert np.array_equal(m, expect)
    assert tq.search(t, "PUBL", cache=cache).sum() == (uses == "public").sum()
    order = tq.sort_order(t.column("h"), descending=True)
    assert np.all(np.diff(t.column("h")[order]) <= 0)
