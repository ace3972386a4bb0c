"""The rules: what an article says, decided from two jobs. Pure functions, no wording.

Every function answers ``None`` when the data cannot support a claim; templates then leave
the sentence out rather than write around a hole.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Literal, TypeVar

from .schema import Job

Side = Literal["a", "b"]
PayMeasure = Literal["salary", "hourly_rate"]
PayStat = Literal["median", "mean"]
T = TypeVar("T")

TOP_SKILLS = 3
# A table keeps its fixed layout (a "-" for a missing cell, even a row of "-") while at most one
# row in eight is empty, as on the seed page; past that it drops its empty rows instead.
MAX_EMPTY_ROW_SHARE = 0.125


def pay_order(a: Job, b: Job) -> Literal["a", "b", "equal"] | None:
    """Which job pays more by average (mean) salary, as the seed style says it: "a", "b",
    "equal", or None if not comparable.

    >>> from narrator.schema import Job
    >>> pay_order(Job(id="x", title="x", salary=2), Job(id="y", title="y", salary=1))
    'a'
    """
    if a.salary is None or b.salary is None or a.currency != b.currency:
        return None
    sa, sb = shown(a.salary), shown(b.salary)  # equal as printed is equal
    if sa == sb:
        return "equal"
    return "a" if sa > sb else "b"


@functools.lru_cache(maxsize=65536)  # a job's amounts come back in every pair it is in
def shown(amount: float, places: int = 0) -> Decimal:
    """An amount as an article prints it: rounded half-even, as Babel rounds.

    >>> shown(90615.5), shown(90614.5), shown(45.555, 2)
    (Decimal('90616'), Decimal('90614'), Decimal('45.56'))
    """
    return Decimal(repr(amount)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_EVEN)


#: Pay within this share of the lower figure is written as "about the same" (editorial style).
ABOUT_THE_SAME_PCT = 3
#: A job with less than this many times the other's employment has "about as many" jobs.
ABOUT_AS_MANY = 1.1


#: THE RATIO RULE, one for every claim a page makes about two amounts (pay in the H1, SEO
#: title, meta description and body; job counts in the body): while the difference, as a
#: percentage of the *smaller* amount, rounds below 100 it is said "N% more" (the smaller amount
#: is the base, always named); from there it is said as a multiple of the smaller amount, one
#: decimal below 10 and whole numbers from 10 ("2.7 times", "12 times"), and 2 is said "twice".
#: A sentence that says "less" gives the gap in money only: no percentage rests on the higher
#: figure, so a page never holds two percentages for one gap.
TIMES_FROM_PCT = 100
#: A multiple of 10 or more is rounded to a whole number ("about 52 accountants for every ...").
WHOLE_TIMES_FROM = 10


def percent_more(high: Decimal, low: Decimal) -> int | None:
    """How much more ``high`` is than ``low``, in percent of ``low``, rounded half-even (as
    Babel rounds); None when ``low`` is zero.

    >>> percent_more(Decimal(94750), Decimal(57210)), percent_more(Decimal(1), Decimal(0))
    (66, None)
    """
    if not low:
        return None
    return int(((high - low) * 100 / low).quantize(Decimal(1), ROUND_HALF_EVEN))


def times_as_much(high: Decimal, low: Decimal) -> Decimal | None:
    """``high`` as a multiple of ``low`` by the ratio rule: None while the percentage more rounds
    below ``TIMES_FROM_PCT``, else the ratio to one decimal (below 10) or whole (from 10).

    >>> [times_as_much(Decimal(h), Decimal(100)) for h in (199, 200, 270, 999, 5240)]
    [None, Decimal('2.0'), Decimal('2.7'), Decimal('10'), Decimal('52')]
    """
    pct = percent_more(high, low)
    if pct is None or pct < TIMES_FROM_PCT:
        return None
    ratio = high / low
    tenths = ratio.quantize(Decimal("0.1"), ROUND_HALF_EVEN)
    if tenths < WHOLE_TIMES_FROM:
        return tenths
    return ratio.quantize(Decimal(1), ROUND_HALF_EVEN)


@dataclass(frozen=True, slots=True)
class PayGap:
    """How two jobs' pay compares, in the figures the article prints: the medians where both
    jobs have one (OEWS's headline figure; the mean misleads for skewed pay), else the means."""

    measure: PayMeasure  # annual where both have it, else hourly
    higher: Side | None  # None: equal as printed
    diff: Decimal  # higher - lower, as printed (whole units a year, cents an hour)
    pct: int  # diff as a percentage of the LOWER figure, rounded (0 when equal or over nothing)
    times: Decimal | None = None  # the ratio rule's multiple; None: said as "pct% more"
    stat: PayStat = "mean"  # which figures: "median" or "mean"

    @property
    def about_the_same(self) -> bool:
        return self.higher is not None and self.pct < ABOUT_THE_SAME_PCT


#: Each measure with the field of its median, annual first.
_MEASURES: tuple[tuple[PayMeasure, str], ...] = (("salary", "median_salary"),
                                                 ("hourly_rate", "median_hourly_rate"))


def pay_figures(a: Job, b: Job) -> tuple[PayMeasure, PayStat, float, float] | None:
    """The two figures a pay comparison rests on: annual where both jobs have an annual figure,
    else hourly; of that measure the medians where both have one, else the means. None when no
    measure has a figure on both sides (or the currencies differ).

    >>> j = Job(id="x", title="x", salary=251110, median_salary=100770)
    >>> pay_figures(j, Job(id="y", title="y", salary=90000, median_salary=80000))
    ('salary', 'median', 100770, 80000)
    """
    if a.currency != b.currency:
        return None
    for measure, median in _MEASURES:
        ma, mb = getattr(a, median), getattr(b, median)
        if ma is not None and mb is not None:
            return measure, "median", ma, mb
        va, vb = getattr(a, measure), getattr(b, measure)
        if va is not None and vb is not None:
            return measure, "mean", va, vb
    return None


def pay_gap(a: Job, b: Job) -> PayGap | None:
    """The gap in pay (``pay_figures``: medians first, annual first); None when the jobs can't
    be compared (missing figure, two currencies). ``pct`` is of the lower figure; ``times`` is
    set from twice the lower figure on (the ratio rule).

    >>> from narrator.schema import Job
    >>> g = pay_gap(Job(id="x", title="x", salary=110000), Job(id="y", title="y", salary=100000))
    >>> g.stat, g.higher, g.diff, g.pct, g.times
    ('mean', 'a', Decimal('10000'), 10, None)
    """
    figures = pay_figures(a, b)
    if figures is None:
        return None
    measure, stat, va, vb = figures
    places = 0 if measure == "salary" else 2
    sa, sb = shown(va, places), shown(vb, places)
    if sa == sb:
        return PayGap(measure, None, Decimal(0), 0, stat=stat)
    side: Side = "a" if sa > sb else "b"
    high, low = (sa, sb) if sa > sb else (sb, sa)
    pct = percent_more(high, low)
    return PayGap(measure, side, high - low, pct or 0, times_as_much(high, low), stat)


#: Pay-gap bands (editorial style): upper bounds in percent of the lower figure.
GAP_BANDS = ((ABOUT_THE_SAME_PCT, "about_the_same"), (10, "small"), (25, "clear"), (50, "large"),
             (TIMES_FROM_PCT, "wide"))


def gap_band(gap: PayGap | None) -> str | None:
    """How big a pay gap reads: "equal", "about_the_same" (< 3%), "small" (< 10%), "clear"
    (< 25%), "large" (< 50%), "wide" (< 100%), "times" (twice or more: the ratio rule's
    multiple); None without a gap.

    >>> gap_band(PayGap("salary", "a", Decimal(5000), 12))
    'clear'
    """
    if gap is None:
        return None
    if gap.higher is None:
        return "equal"
    if gap.times is not None:
        return "times"
    return next((band for limit, band in GAP_BANDS if gap.pct < limit), "wide")


@dataclass(frozen=True, slots=True)
class Size:
    """How the two occupations' employment compares."""

    bigger: Side | None  # None: about as many (ratio under ABOUT_AS_MANY)
    ratio: float  # bigger / smaller, >= 1
    pct: int = 0  # how many more, in percent of the smaller count (the ratio rule)
    times: Decimal | None = None  # the ratio rule's multiple; None: said as "pct% more"


def size(a: Job, b: Job) -> Size | None:
    """Which occupation employs more people, and how many times more; None without both
    counts (or with a zero).

    >>> from narrator.schema import Job
    >>> size(Job(id="x", title="x", jobs=3300), Job(id="y", title="y", jobs=100))
    Size(bigger='a', ratio=33.0, pct=3200, times=Decimal('33'))
    """
    if not a.jobs or not b.jobs:
        return None
    high, low = Decimal(max(a.jobs, b.jobs)), Decimal(min(a.jobs, b.jobs))
    ratio = float(high / low)
    pct = percent_more(high, low) or 0
    if ratio < ABOUT_AS_MANY:
        return Size(None, ratio, pct)
    return Size("a" if a.jobs > b.jobs else "b", ratio, pct, times_as_much(high, low))


def size_band(sz: Size | None) -> str | None:
    """How different the jobs' sizes read: "about_as_many" (ratio < 1.1), "more" (said "N%
    more"), "times" (a multiple below 10), "far" (a whole multiple, 10 or more); None without
    both counts.

    >>> size_band(Size("a", 12.0, 1100, Decimal(12))), size_band(Size("b", 1.5, 50))
    ('far', 'more')
    """
    if sz is None:
        return None
    if sz.bigger is None:
        return "about_as_many"
    if sz.times is None:
        return "more"
    return "times" if sz.times < WHOLE_TIMES_FROM else "far"


_UNSET: object = object()


def pay_and_size(a: Job, b: Job, gap: PayGap | object | None = _UNSET,
                 sz: Size | object | None = _UNSET) -> Literal["same", "opposite"] | None:
    """Whether the better-paid job is also the one with more jobs ("same") or the one with
    fewer ("opposite"); None unless both a pay gap and a size difference are known."""
    gap = pay_gap(a, b) if gap is _UNSET else gap  # a renderer passes the ones it computed
    sz = size(a, b) if sz is _UNSET else sz
    if not isinstance(gap, PayGap) or not isinstance(sz, Size):
        return None
    if gap.higher is None or gap.about_the_same or sz is None or sz.bigger is None:
        return None
    return "same" if gap.higher == sz.bigger else "opposite"


def means_disagree(a: Job, b: Job, gap: PayGap | object | None = _UNSET) -> Side | None:
    """The job with the higher average (mean) where the means order the two jobs the other way
    from the medians a gap compares, both gaps at least ABOUT_THE_SAME_PCT as printed: a page
    that leads with the medians then says so (its table shows both). None otherwise.

    >>> a = Job(id="a", title="a", salary=60000, median_salary=50000)
    >>> means_disagree(a, Job(id="b", title="b", salary=48000, median_salary=52000))
    'a'
    """
    gap = pay_gap(a, b) if gap is _UNSET else gap
    if (not isinstance(gap, PayGap) or gap.stat != "median" or gap.higher is None
            or gap.about_the_same):
        return None
    va, vb = getattr(a, gap.measure), getattr(b, gap.measure)
    if va is None or vb is None:
        return None
    places = 0 if gap.measure == "salary" else 2
    sa, sb = shown(va, places), shown(vb, places)
    high, low = max(sa, sb), min(sa, sb)
    side: Side = "a" if sa > sb else "b"
    if sa == sb or side == gap.higher or (percent_more(high, low) or 0) < ABOUT_THE_SAME_PCT:
        return None
    return side


def range_overlap(a: Job, b: Job, gap: PayGap | object | None = _UNSET
                  ) -> Literal["apart", "past_average", "overlap"] | None:
    """How the two pay ranges (10th to 90th percentile) meet: "apart" (the lower-paid job's 90th
    percentile is below the other's 10th), "past_average" (it is above the other's middle: the
    median the gap compares, else the mean), else "overlap" (between the two); None without
    both ranges, that middle figure and an annual gap, or when that 90th percentile equals, as
    printed, the other's 10th percentile or middle.

    >>> from narrator.schema import SalaryRange
    >>> hi = Job(id="h", title="h", salary=100, salary_range=SalaryRange(min=80, max=120))
    >>> lo = Job(id="l", title="l", salary=50, salary_range=SalaryRange(min=30, max=70))
    >>> range_overlap(hi, lo)
    'apart'
    """
    gap = pay_gap(a, b) if gap is _UNSET else gap
    if (not isinstance(gap, PayGap) or gap.higher is None or gap.measure != "salary"
            or a.currency != b.currency or a.salary_range is None or b.salary_range is None):
        return None
    high, low = (a, b) if gap.higher == "a" else (b, a)
    middle = high.median_salary if gap.stat == "median" else high.salary
    assert high.salary_range is not None and low.salary_range is not None and middle
    top, floor, centre = (shown(low.salary_range.max), shown(high.salary_range.min),
                          shown(middle))
    if top < floor:
        return "apart"
    if top == floor or top == centre:  # neither above nor below as printed: no claim
        return None
    return "past_average" if top > centre else "overlap"


#: Two pay ranges whose widths (in money) are within this factor of each other are "about as
#: wide"; otherwise the wider one is named, with both widths.
SAME_SPREAD = 1.1


def range_width(job: Job) -> float | None:
    """How widely a job's pay varies, in money: its 90th percentile minus its 10th (the range
    the chart draws); None without a range or with a top-coded 90th percentile (only a lower
    bound).

    >>> from narrator.schema import SalaryRange
    >>> range_width(Job(id="x", title="x", salary_range=SalaryRange(min=56020, max=144090)))
    88070
    """
    r = job.salary_range
    if r is None or r.max_top_coded:
        return None
    return r.max - r.min


def wider_spread(a: Job, b: Job) -> Literal["a", "b", "same"] | None:
    """Whose pay range is wider in money ("a", "b"), "same" when the two widths are within
    SAME_SPREAD of each other, or None (no width, two currencies, a zero width).

    >>> from narrator.schema import SalaryRange
    >>> wide = Job(id="w", title="w", salary_range=SalaryRange(min=30, max=120))
    >>> wider_spread(wide, Job(id="n", title="n", salary_range=SalaryRange(min=50, max=100)))
    'a'
    """
    wa, wb = range_width(a), range_width(b)
    if wa is None or wb is None or a.currency != b.currency or min(wa, wb) <= 0:
        return None
    if max(wa, wb) / min(wa, wb) < SAME_SPREAD:
        return "same"
    return "a" if wa > wb else "b"


#: "What they have in common": at most this many shared activities listed, and this many said
#: of each job alone.
COMMON_SHOWN, OWN_SHOWN = 5, 2


@dataclass(frozen=True, slots=True)
class CommonGround:
    """The work two jobs share, by their O*NET detailed work activities (``Job.activities``)."""

    count: int  # how many activities both jobs have
    shared: tuple[str, ...]  # up to COMMON_SHOWN of them, the most central to both first
    only_a: tuple[str, ...]  # up to OWN_SHOWN activities of a's that b lacks, a's order
    only_b: tuple[str, ...]


def common_ground(a: Job, b: Job) -> CommonGround | None:
    """What two jobs have in common: the activities both have, ordered by the sum of their
    places in the two profiles (each profile lists the activity its tasks share most first),
    then a's order; and each job's first activities the other lacks. None without a shared
    activity (or without activities).

    >>> from narrator.schema import Activity
    >>> def job(*ids): return Job(id="x", title="x", activities=[
    ...     Activity(id=f"4.A.1.a.1.I01.D0{i}", text=f"do {i}") for i in ids])
    >>> common_ground(job(1, 2, 3), job(3, 4, 1))
    CommonGround(count=2, shared=('do 1', 'do 3'), only_a=('do 2',), only_b=('do 4',))
    """
    if not a.activities or not b.activities:
        return None
    place_b = {x.id: i for i, x in enumerate(b.activities)}
    shared = sorted((i + place_b[x.id], i, x.text) for i, x in enumerate(a.activities)
                    if x.id in place_b)
    if not shared:
        return None
    in_a = {x.id for x in a.activities}
    return CommonGround(
        len(shared), tuple(text for *_, text in shared[:COMMON_SHOWN]),
        tuple(x.text for x in a.activities if x.id not in place_b)[:OWN_SHOWN],
        tuple(x.text for x in b.activities if x.id not in in_a)[:OWN_SHOWN])


def same_place(x: object, y: object) -> Literal["same", "different", "a", "b"] | None:
    """Whether two jobs give the same value (a place, a time to qualify): "same",
    "different", only "a" or "b", or None.

    >>> same_place("Texas", "Texas"), same_place("Texas", None), same_place(None, None)
    ('same', 'a', None)
    """
    if x is None and y is None:
        return None
    if y is None:
        return "a"
    if x is None:
        return "b"
    return "same" if x == y else "different"


def places(a: Job, b: Job) -> dict[str, str | None]:
    """For each place fact, whether the two jobs share it (``same_place``): the best-paying
    state (with a wage) and metro area, the state with most jobs, the state where the job is
    most concentrated, and the industry employing the most."""
    def name(p: object) -> str | None:
        return getattr(p, "name", None)

    def conc(job: Job) -> str | None:
        c = job.most_concentrated_state
        return None if c is None or c.location_quotient is None else c.name

    return {
        "state": same_place(a.highest_paying_state if a.highest_paying_state_pay else None,
                            b.highest_paying_state if b.highest_paying_state_pay else None),
        "city": same_place(a.highest_paying_city if a.highest_paying_city_pay else None,
                           b.highest_paying_city if b.highest_paying_city_pay else None),
        "jobs_state": same_place(name(a.most_jobs_state), name(b.most_jobs_state)),
        "conc_state": same_place(conc(a), conc(b)),
        "industry": same_place(name(a.most_jobs_industry), name(b.most_jobs_industry)),
    }


#: USPS codes of the 50 states, to tell whether a metro area ("Trenton-Princeton, NJ";
#: "New York-Newark-Jersey City, NY-NJ") lies in a state.
STATE_CODES = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA",
    "Colorado": "CO", "Connecticut": "CT", "Delaware": "DE", "Florida": "FL", "Georgia": "GA",
    "Hawaii": "HI", "Idaho": "ID", "Illinois": "IL", "Indiana": "IN", "Iowa": "IA",
    "Kansas": "KS", "Kentucky": "KY", "Louisiana": "LA", "Maine": "ME", "Maryland": "MD",
    "Massachusetts": "MA", "Michigan": "MI", "Minnesota": "MN", "Mississippi": "MS",
    "Missouri": "MO", "Montana": "MT", "Nebraska": "NE", "Nevada": "NV", "New Hampshire": "NH",
    "New Jersey": "NJ", "New Mexico": "NM", "New York": "NY", "North Carolina": "NC",
    "North Dakota": "ND", "Ohio": "OH", "Oklahoma": "OK", "Oregon": "OR", "Pennsylvania": "PA",
    "Rhode Island": "RI", "South Carolina": "SC", "South Dakota": "SD", "Tennessee": "TN",
    "Texas": "TX", "Utah": "UT", "Vermont": "VT", "Virginia": "VA", "Washington": "WA",
    "West Virginia": "WV", "Wisconsin": "WI", "Wyoming": "WY",
}


def city_in_state(city: str | None, state: str | None) -> bool | None:
    """Whether a metro area ("Medford, OR") lies (at least partly) in a state; None if either
    is unknown or the area names no state codes.

    >>> city_in_state("New York-Newark-Jersey City, NY-NJ", "New Jersey")
    True
    """
    if not city or not state or state not in STATE_CODES or ", " not in city:
        return None
    codes = city.rsplit(", ", 1)[1].split("-")
    if not all(len(c) == 2 and c.isupper() for c in codes):
        return None
    return STATE_CODES[state] in codes


def qualify_order(a: Job, b: Job) -> Literal["same", "different", "a", "b"] | None:
    """How the times to qualify compare: "same", "different", only "a"/"b" known, or None."""
    return same_place(a.time_to_qualify, b.time_to_qualify)


def top_skills(job: Job, n: int = TOP_SKILLS) -> list[str]:
    """The first ``n`` skills (records list them most important first), duplicates dropped."""
    seen: list[str] = []
    for skill in job.skills or ():
        if skill.casefold() not in (s.casefold() for s in seen):
            seen.append(skill)
        if len(seen) == n:
            break
    return seen


def table_rows(rows: Sequence[tuple[T, object, object]]) -> list[tuple[T, object, object]]:
    """The rows a comparison table shows; empty when no row has data.

    A row is ``(label, a, b)``, a value of None being missing. Mostly full tables keep every
    row; sparse ones keep only rows with data, so thin records don't produce tables of "-".
    """
    filled = [r for r in rows if r[1] is not None or r[2] is not None]
    if len(filled) == len(rows) or not filled:
        return filled
    if len(rows) - len(filled) <= MAX_EMPTY_ROW_SHARE * len(rows):
        return list(rows)
    return filled


def decide(a: Job, b: Job) -> dict[str, object]:
    """Every decision an article rests on, as plain data (snapshotted apart from the wording)."""
    gap, sz = pay_gap(a, b), size(a, b)
    return {
        "pay": pay_order(a, b),
        "pay_gap": None if gap is None else {
            "measure": gap.measure, "higher": gap.higher, "diff": str(gap.diff), "pct": gap.pct,
            "about_the_same": gap.about_the_same},
        "pay_times": None if gap is None or gap.times is None else str(gap.times),
        "size": None if sz is None else {"bigger": sz.bigger, "ratio": round(sz.ratio, 2)},
        "size_times": None if sz is None or sz.times is None else str(sz.times),
        "gap_band": gap_band(gap),
        "size_band": size_band(sz),
        "pay_and_size": pay_and_size(a, b),
        "range_overlap": range_overlap(a, b),
        "wider_spread": wider_spread(a, b),
        "places": places(a, b),
        "city_in_state": {side: city_in_state(job.highest_paying_city, job.highest_paying_state)
                          for side, job in (("a", a), ("b", b))},
        "qualify": qualify_order(a, b),
        "top_skills": {"a": top_skills(a), "b": top_skills(b)},
        "known": {side: [name for name in job.__struct_fields__
                         if name not in ("id", "title") and getattr(job, name) is not None]
                  for side, job in (("a", a), ("b", b))},
    }
