"""The rules as tables: each row is a situation and what the article must decide."""

from __future__ import annotations

import pytest

from narrator import facts
from narrator.schema import Job, TimeToQualify


def job(**kw) -> Job:
    return Job(id=kw.pop("id", "x"), title=kw.pop("title", "x"), **kw)


@pytest.mark.parametrize("a,b,expected", [
    (job(salary=90615), job(salary=79670), "a"),
    (job(salary=41643), job(salary=54339), "b"),          # higher-paid second in the record
    (job(salary=50000), job(salary=50000), "equal"),
    (job(salary=50000.5), job(salary=50000), "a"),
    (job(salary=0), job(salary=1), "b"),
    (job(), job(salary=1), None),
    (job(salary=1), job(), None),
    (job(), job(), None),
    (job(salary=1, currency="EUR"), job(salary=2), None),   # different money: no comparison
])
def test_pay_order(a, b, expected):
    assert facts.pay_order(a, b) == expected


Y12 = TimeToQualify(min=1, max=2, unit="years")
M612 = TimeToQualify(min=6, max=12, unit="months")


@pytest.mark.parametrize("a,b,expected", [
    (Y12, Y12, "same"),
    (Y12, M612, "different"),
    (M612, TimeToQualify(min=6, max=12), "different"),   # same numbers, other unit
    (Y12, TimeToQualify(min=1, max=3), "different"),
    (Y12, None, "a"),
    (None, M612, "b"),
    (None, None, None),
])
def test_qualify_order(a, b, expected):
    assert facts.qualify_order(job(time_to_qualify=a), job(time_to_qualify=b)) == expected


@pytest.mark.parametrize("skills,expected", [
    (["java", "architecture", "digital transformation", "sql"], ["java", "architecture", "digital transformation"]),
    (["java", "Java", "sql"], ["java", "sql"]),
    (["java"], ["java"]),
    ([], []),
    (None, []),
])
def test_top_skills(skills, expected):
    assert facts.top_skills(job(skills=skills)) == expected


ROW = ("label", "x", "y")
EMPTY = ("empty", None, None)
HALF = ("half", "x", None)


@pytest.mark.parametrize("rows,expected", [
    ([ROW] * 7 + [EMPTY], [ROW] * 7 + [EMPTY]),     # the seed's overview: layout kept
    ([ROW] * 5 + [EMPTY], [ROW] * 5),               # one empty row in six: dropped
    ([ROW, EMPTY, EMPTY, HALF], [ROW, HALF]),       # thin data: only rows with data
    ([EMPTY, EMPTY], []),                           # nothing: no table at all
    ([HALF], [HALF]),
    ([], []),
])
def test_table_rows(rows, expected):
    assert facts.table_rows(rows) == expected
