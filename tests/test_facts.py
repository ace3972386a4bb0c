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
    (job(salary=50000.5), job(salary=50000), "equal"),   # both print as $50,000: equal
    (job(salary=50000.51), job(salary=50000), "a"),      # $50,001 vs $50,000
    (job(salary=90615.4), job(salary=90614.6), "equal"),  # never "$90,615, higher than $90,615"
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


@pytest.mark.parametrize("a,b,expected", [
    # measure, higher, diff, pct
    (job(salary=110000), job(salary=100000), ("salary", "a", 10000, 10)),
    (job(salary=70000), job(salary=84260), ("salary", "b", 14260, 20)),
    (job(salary=100000), job(salary=102900), ("salary", "b", 2900, 3)),    # 2.9% rounds to 3
    (job(salary=100000), job(salary=102400), ("salary", "b", 2400, 2)),    # about the same
    (job(salary=90615.4), job(salary=90614.6), ("salary", None, 0, 0)),    # equal as printed
    (job(hourly_rate=25.5), job(hourly_rate=20.4), ("hourly_rate", "a", 5.1, 25)),  # no annual
    (job(salary=50000, hourly_rate=30), job(hourly_rate=20), ("hourly_rate", "a", 10, 50)),
    (job(salary=1), job(), None),
    (job(salary=1, currency="EUR"), job(salary=2), None),
    (job(salary=0), job(salary=0), ("salary", None, 0, 0)),
    (job(salary=0), job(salary=10), ("salary", "b", 10, 0)),   # no percent of nothing
])
def test_pay_gap(a, b, expected):
    gap = facts.pay_gap(a, b)
    got = None if gap is None else (gap.measure, gap.higher, float(gap.diff), gap.pct)
    assert got == expected


@pytest.mark.parametrize("pct,about", [(0, False), (1, True), (2, True), (3, False), (25, False)])
def test_about_the_same_below_three_percent(pct, about):
    higher = None if pct == 0 else "a"
    assert facts.PayGap("salary", higher, facts.Decimal(pct), pct).about_the_same is about


@pytest.mark.parametrize("a,b,expected", [
    (job(jobs=3300), job(jobs=100), ("a", 33.0)),
    (job(jobs=100), job(jobs=250), ("b", 2.5)),
    (job(jobs=105), job(jobs=100), (None, 1.05)),   # about as many
    (job(jobs=110), job(jobs=100), ("a", 1.1)),
    (job(jobs=0), job(jobs=100), None),
    (job(), job(jobs=100), None),
])
def test_size(a, b, expected):
    s = facts.size(a, b)
    assert (None if s is None else (s.bigger, round(s.ratio, 2))) == expected


@pytest.mark.parametrize("city,state,expected", [
    ("Medford, OR", "Oregon", True),
    ("San Jose-Sunnyvale-Santa Clara, CA", "New York", False),
    ("New York-Newark-Jersey City, NY-NJ", "New Jersey", True),
    ("Trenton-Princeton, NJ", "New York", False),
    ("Somewhere", "Ohio", None),           # no state code: can't tell
    ("Medford, OR", "Puerto Rico", None),  # not a state
    (None, "Ohio", None),
])
def test_city_in_state(city, state, expected):
    assert facts.city_in_state(city, state) is expected
