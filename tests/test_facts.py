"""The rules as tables: each row is a situation and what the article must decide."""

from __future__ import annotations

import pytest

from narrator import facts
from narrator.schema import Activity, Job, Pay, Place, SalaryRange, TimeToQualify
from tests.conftest import job


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


def _paid(mean: float | None, median: float | None, hourly: bool = False) -> Job:
    if hourly:
        return job(hourly_rate=mean, median_hourly_rate=median)
    return job(salary=mean, median_salary=median)


@pytest.mark.parametrize("a, b, expected", [
    # (mean, median) of each job: the medians decide who earns more; the sentence is due only
    # where the means order them the other way by 3% or more (of the lower mean), as printed
    ((60000, 50000), (48000, 52000), "a"),        # medians: b 4% more; means: a 25% more
    ((48000, 52000), (60000, 50000), "b"),        # the same, sides swapped
    ((60000, 50000), (58500, 52000), "a"),        # means 2.56% apart: printed 3%, enough
    ((60000, 50000), (58600, 52000), None),       # 2.39%: printed 2%, about the same
    ((60000, 50000), (60000, 52000), None),       # means equal
    ((59999.6, 50000), (60000.4, 52000), None),   # means print alike ($60,000)
    ((48000, 50000), (60000, 52000), None),       # means agree with the medians
    ((60000, 50000), (48000, 51000), None),       # medians 2% apart: "about the same" pay
    ((60000, 50000), (None, 52000), None),        # a mean missing
    ((60000, None), (48000, 52000), None),        # a median missing: the means lead, no flip
    ((30.0, 25.0, True), (24.0, 26.0, True), "a"),  # hourly: medians b, means a 25% more
    ((24.5, 25.0, True), (24.0, 26.0, True), None),  # hourly means 2.08% apart
    ((61500.4, 50000), (60000, 52000), None),     # printed $61,500: 2.5%, rounds to 2%
    ((25.625, 25.0, True), (25.0, 26.0, True), None),   # printed $25.62 (cents): 2.48%
    ((25.6251, 25.0, True), (25.0, 26.0, True), "a"),   # printed $25.63: 2.52%, rounds to 3%
    ((25.0, 26.0, True), (25.6251, 25.0, True), "b"),   # the same, sides swapped
    ((25.0, 26.0, True), (25.625, 25.0, True), None),   # b printed $25.62: 2.48%, swapped
    ((None, None), (None, None), None),           # no pay at all: no gap, no claim
])
def test_rule_means_that_reverse_the_medians_are_said(a, b, expected):
    assert facts.means_disagree(_paid(*a), _paid(*b)) == expected


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
    (["java", "architecture", "digital transformation", "sql"],
     ["java", "architecture", "digital transformation"]),
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
    # measure, higher, diff, pct (of the LOWER figure), times (the ratio rule's multiple)
    (job(salary=94750), job(salary=57210), ("salary", "a", 37540, 66, None)),
    (job(salary=54610), job(salary=79220), ("salary", "b", 24610, 45, None)),  # not 31%: of lower
    (job(salary=269630), job(salary=134940), ("salary", "a", 134690, 100, "2.0")),  # twice
    (job(salary=100000), job(salary=199000), ("salary", "b", 99000, 99, None)),
    (job(salary=29400), job(salary=85260), ("salary", "b", 55860, 190, "2.9")),
    (job(salary=10000), job(salary=123400), ("salary", "b", 113400, 1134, "12")),
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
    if expected is not None and len(expected) == 5:
        assert gap is not None and str(gap.times) == str(expected[4])
        expected = expected[:4]
    assert got == expected


@pytest.mark.parametrize(("high", "low", "pct", "times"), [
    # the ratio rule: "N% more" of the lower figure while N rounds below 100, then a multiple
    # (one decimal below 10, whole from 10; the template says 2 as "twice")
    ("102", "100", 2, None), ("145", "100", 45, None), ("199.4", "100", 99, None),
    ("199.5", "100", 100, "2.0"), ("204", "100", 104, "2.0"), ("205", "100", 105, "2.0"),
    ("206", "100", 106, "2.1"), ("294", "100", 194, "2.9"), ("994", "100", 894, "9.9"),
    ("996", "100", 896, "10"), ("5240", "100", 5140, "52"), ("1", "0", None, None),
])
def test_ratio_rule(high, low, pct, times):
    high, low = facts.Decimal(high), facts.Decimal(low)
    assert facts.percent_more(high, low) == pct
    assert str(facts.times_as_much(high, low)) == str(times)


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


# -- the editorial style's sentence choices (issue 11) -------------------------------------------

@pytest.mark.parametrize(("sa", "sb", "band"), [
    (50000, 50000, "equal"), (50000, 51000, "about_the_same"), (50000, 53000, "small"),
    (50000, 55000, "clear"), (50000, 62500, "large"), (50000, 99000, "wide"),
    (50000, 100000, "times"), (None, 100000, None),
])
def test_gap_band(sa, sb, band) -> None:
    a, b = Job(id="a", title="a", salary=sa), Job(id="b", title="b", salary=sb)
    assert facts.gap_band(facts.pay_gap(a, b)) == band


@pytest.mark.parametrize(("ja", "jb", "band"), [
    (100, 105, "about_as_many"), (100, 150, "more"), (100, 250, "times"), (100, 994, "times"),
    (100, 999, "far"),  # 9.99 is said "10 times": a whole multiple, so the "far" band
    (100, 199, "more"), (1000, 1995, "times"),  # 99.5% rounds to 100%: "twice"
    (100, 1000, "far"), (0, 1000, None), (None, 5, None),
])
def test_size_band(ja, jb, band) -> None:
    a, b = Job(id="a", title="a", jobs=ja), Job(id="b", title="b", jobs=jb)
    assert facts.size_band(facts.size(a, b)) == band


@pytest.mark.parametrize(("a", "b", "answer"), [
    (dict(salary=60000, jobs=300), dict(salary=40000, jobs=100), "same"),
    (dict(salary=60000, jobs=100), dict(salary=40000, jobs=300), "opposite"),
    (dict(salary=40000, jobs=100), dict(salary=60000, jobs=300), "same"),
    (dict(salary=50000, jobs=100), dict(salary=50500, jobs=300), None),  # about the same pay
    (dict(salary=60000, jobs=100), dict(salary=40000, jobs=105), None),  # about as many
    (dict(salary=60000), dict(salary=40000, jobs=105), None),
])
def test_pay_and_size(a, b, answer) -> None:
    assert facts.pay_and_size(Job(id="a", title="a", **a), Job(id="b", title="b", **b)) == answer


def ranged(salary, low, high, top=False):
    return Job(id=f"j{salary}", title="j", salary=salary,
               salary_range=SalaryRange(min=low, max=high, max_top_coded=top))


@pytest.mark.parametrize(("a", "b", "answer"), [
    (ranged(100, 80, 120), ranged(50, 30, 70), "apart"),
    (ranged(50, 30, 70), ranged(100, 80, 120), "apart"),
    (ranged(100, 60, 130), ranged(80, 50, 110), "past_average"),
    (ranged(100, 60, 130), ranged(70, 50, 90), "overlap"),
    (ranged(100, 60, 130), ranged(100, 50, 90), None),  # equal pay: no higher job
    (ranged(100, 60, 130), ranged(80, 50, 100), None),  # 90th percentile = the average
    (ranged(100, 60, 130), ranged(80, 50, 60), None),  # 90th percentile = the other's 10th
    (ranged(100, 60, 130), Job(id="x", title="x", salary=50), None),
])
def test_range_overlap(a, b, answer) -> None:
    assert facts.range_overlap(a, b) == answer


@pytest.mark.parametrize(("a", "b", "answer"), [
    (ranged(1, 30, 120), ranged(1, 50, 100), "a"), (ranged(1, 50, 100), ranged(1, 30, 120), "b"),
    (ranged(1, 50, 100), ranged(1, 30, 76), "same"),  # $50 and $46 wide: within 10%
    (ranged(1, 50, 100), ranged(1, 30, 62), "a"),  # same 90th/10th ratio, $50 against $32
    (ranged(1, 100, 200), ranged(1, 10, 100), "a"),  # 2x against 10x, but $100 against $90
    (ranged(1, 50, 100, top=True), ranged(1, 30, 62), None),  # a top-coded 90th percentile
    (ranged(1, 0, 100), ranged(1, 30, 62), "a"),  # a zero 10th percentile still has a width
    (ranged(1, 50, 50), ranged(1, 30, 62), None),  # a zero width: no comparison
])
def test_wider_spread(a, b, answer) -> None:  # by the widths in money (90th - 10th)
    assert facts.wider_spread(a, b) == answer


def test_places() -> None:
    a = Job(id="a", title="a", highest_paying_state="Ohio", highest_paying_state_pay=Pay(salary=1),
            highest_paying_city="Akron, OH", most_jobs_state=Place(name="Texas", jobs=3),
            most_concentrated_state=Place(name="Utah", jobs=3),  # no location quotient
            most_jobs_industry=Place(name="Retail Trade", jobs=9))
    b = Job(id="b", title="b", highest_paying_state="Ohio", highest_paying_state_pay=Pay(salary=2),
            most_jobs_state=Place(name="Iowa", jobs=3),
            most_jobs_industry=Place(name="Retail Trade"))
    assert facts.places(a, b) == {"state": "same", "city": None,  # a city needs its wage
                                  "jobs_state": "different", "conc_state": None, "industry": "same"}
    assert facts.places(b, Job(id="c", title="c"))["state"] == "a"


def acts(*numbers: int) -> list[Activity]:
    return [Activity(id=f"4.A.1.a.1.I01.D{n:02}", text=f"do {n}") for n in numbers]


@pytest.mark.parametrize(("a", "b", "expected"), [
    (None, acts(1), None),  # a job without a profile: no section
    (acts(1, 2), acts(3, 4), None),  # nothing shared
    (acts(1, 2, 3), acts(3, 4, 1), (2, ("do 1", "do 3"), ("do 2",), ("do 4",))),
    # the most central to both first: place sums 0+5=5 (do 1), 1+0=1 (do 2), 5+1=6 (do 6)
    (acts(1, 2, 7, 8, 9, 6), acts(2, 6, 10, 11, 12, 1), (3, ("do 2", "do 1", "do 6"),
                                                         ("do 7", "do 8"), ("do 10", "do 11"))),
    # at most five listed; one profile inside the other: nothing only b's
    (acts(*range(1, 10)), acts(*range(1, 8)), (7, ("do 1", "do 2", "do 3", "do 4", "do 5"),
                                               ("do 8", "do 9"), ())),
])
def test_common_ground(a, b, expected) -> None:
    found = facts.common_ground(job("x", "x", activities=a), job("y", "y", activities=b))
    assert (found and (found.count, found.shared, found.only_a, found.only_b)) == expected


# -- rules the mutation run found unguarded (benchmarks/mutation.py, group "facts") -------------

@pytest.mark.parametrize("a, b, stat", [
    (job(salary=50000, median_salary=40000), job(salary=60000, median_salary=45000), "median"),
    (job(salary=50000, median_salary=40000), job(salary=60000), "mean"),  # one median missing
    (job(salary=50000), job(salary=60000), "mean"),
    (job(median_salary=45000), job(median_salary=45000), "median"),  # equal pay keeps its stat
    (job(salary=45000), job(salary=45000), "mean"),
])
def test_rule_a_gap_says_whether_it_compares_medians_or_means(a, b, stat):
    assert facts.pay_gap(a, b).stat == stat


@pytest.mark.parametrize("a, b, higher, diff", [
    (job(hourly_rate=20.004), job(hourly_rate=20.001), None, "0"),    # $20.00 both, as printed
    (job(hourly_rate=20.006), job(hourly_rate=20.001), "a", "0.01"),  # $20.01 vs $20.00
    (job(hourly_rate=20.0049), job(hourly_rate=20.0), None, "0"),     # cents, not tenths of one
])
def test_rule_hourly_gaps_are_in_printed_cents(a, b, higher, diff):
    gap = facts.pay_gap(a, b)
    assert (gap.measure, gap.higher, str(gap.diff)) == ("hourly_rate", higher, diff)


@pytest.mark.parametrize("pct, times, band", [
    (0, None, "about_the_same"), (2, None, "about_the_same"), (3, None, "small"),
    (9, None, "small"), (10, None, "clear"), (24, None, "clear"), (25, None, "large"),
    (49, None, "large"), (50, None, "wide"), (99, None, "wide"),
    (150, None, "wide"),  # past the last bound without a multiple: still "wide"
    (150, facts.Decimal("2.5"), "times"),
])
def test_rule_gap_bands_by_percent_of_the_lower_figure(pct, times, band):
    gap = facts.PayGap("salary", "a", facts.Decimal(pct), pct, times=times)
    assert facts.gap_band(gap) == band


def test_rule_equal_counts_have_no_bigger_side_and_no_percent():
    sz = facts.size(job(jobs=1200), job(jobs=1200))
    assert (sz.bigger, sz.pct, sz.times) == (None, 0, None)


def test_rule_about_as_many_keeps_its_percent_of_the_smaller_count():
    sz = facts.size(job(jobs=1050), job(jobs=1000))
    assert (sz.bigger, sz.pct) == (None, 5)  # under 1.1 times: "about as many", 5% more


@pytest.mark.parametrize("a_range, b_range, expected", [
    ((50_000, 100_000), (50_000, 110_000), "b"),      # widths 50,000 and 60,000: 1.2 times
    ((50_000, 105_000), (50_000, 100_000), "a"),      # 55,000 and 50,000: 1.1 times, named
    ((50_000, 104_999), (50_000, 100_000), "same"),   # just under 1.1 times: about as wide
    ((10, 11), (10, 12), "b"),                        # widths of 1 and 2 money units
    ((10, 10), (10, 12), None),                       # a zero width: no claim
])
def test_rule_a_spread_is_wider_from_1_1_times_the_other(a_range, b_range, expected):
    a = job(salary_range=SalaryRange(min=a_range[0], max=a_range[1]))
    b = job(salary_range=SalaryRange(min=b_range[0], max=b_range[1]))
    assert facts.wider_spread(a, b) == expected


def _place_job(**fields):
    pay = Pay(salary=90000, jobs=5000, wage_rse=2.0)
    return job(**{"highest_paying_state": "Texas", "highest_paying_state_pay": pay,
                  "highest_paying_city": "Austin, TX", "highest_paying_city_pay": pay,
                  "most_concentrated_state": Place(name="Ohio", jobs=900, location_quotient=2.0),
                  **fields})


@pytest.mark.parametrize("b_fields, fact, expected", [
    ({}, "state", "same"), ({}, "city", "same"), ({}, "conc_state", "same"),
    ({"highest_paying_state": "Utah"}, "state", "different"),
    ({"highest_paying_state_pay": None}, "state", "a"),        # a place without its wage: unnamed
    ({"highest_paying_city": "Provo, UT"}, "city", "different"),
    ({"highest_paying_city_pay": None}, "city", "a"),
    ({"most_concentrated_state": Place(name="Iowa", location_quotient=1.5)}, "conc_state",
     "different"),
    ({"most_concentrated_state": Place(name="Ohio")}, "conc_state", "a"),  # no quotient
    ({"most_concentrated_state": None}, "conc_state", "a"),
])
def test_rule_a_place_is_compared_only_with_the_figure_that_names_it(b_fields, fact, expected):
    assert facts.places(_place_job(), _place_job(**b_fields))[fact] == expected
    flipped = {"a": "b"}.get(expected, expected)
    assert facts.places(_place_job(**b_fields), _place_job())[fact] == flipped


@pytest.mark.parametrize("city, state, expected", [
    ("Medford, OR", "Oregon", True), ("Medford, OR", "Ohio", False),
    ("New York-Newark-Jersey City, NY-NJ-PA", "Pennsylvania", True),
    ("Washington-Arlington-Alexandria, DC-VA-MD-WV", "West Virginia", True),
    ("Louisville/Jefferson County, KY-IN", "Indiana", True),
    ("Lafayette, Louisiana, LA", "Louisiana", True),      # the codes follow the last comma
    ("Nonmetropolitan area, Ohio", "Ohio", None),          # no codes: no claim
    ("Somewhere, Tx", "Texas", None),                      # not a code
    ("Somewhere, TXX", "Texas", None),
    ("Somewhere, NY NJ", "New Jersey", None),              # codes are dash-separated
    ("Somewhere", "Texas", None), (None, "Texas", None), ("Medford, OR", None, None),
])
def test_rule_a_metro_area_lies_in_the_states_its_codes_name(city, state, expected):
    assert facts.city_in_state(city, state) is expected


@pytest.mark.parametrize("filled, total, kept", [
    (8, 8, 8),    # full: every row
    (0, 8, 0),    # empty: no table
    (7, 8, 8),    # one of 8 empty (12.5%): kept, with its "-"
    (6, 8, 6),    # two empty: only the rows with data
])
def test_rule_a_table_keeps_its_empty_rows_only_when_they_are_few(filled, total, kept):
    rows = [(f"r{i}", "x" if i < filled else None, None) for i in range(total)]
    assert len(facts.table_rows(rows)) == kept
