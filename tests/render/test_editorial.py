"""The editorial style: which sentence each fact gives, as a table, and corpus-wide rules over
real BLS pairs (SEO titles fit, meta descriptions promise only what the page has, every page
ends with its sources)."""

from __future__ import annotations

import json
import re
from itertools import islice

import pytest

from narrator import formats
from narrator.dataset import Dataset, read_dataset
from narrator.render.renderer import Renderer
from narrator.schema import Comparison, Job, Pay, Place, SalaryRange
from narrator.sources import iter_comparisons
from tests.conftest import ROOT, job

SOURCE = Dataset("editorial", None, ("Source: test data.",))


@pytest.fixture(scope="module")
def editorial() -> Renderer:
    return Renderer(style="editorial")


@pytest.fixture(scope="module")
def plain() -> Renderer:
    """Every {% variants %} slot's first variant: the tables below name the data-driven
    sentence; the other phrasings of each are checked over real pairs and in test_variants."""
    return Renderer(style="editorial", variation=False)


def pair(a: Job, b: Job) -> Comparison:
    return Comparison(id=f"{a.id}-vs-{b.id}", a=a, b=b)


# a, b, a sentence the intro must hold
INTRO = [
    (job("x", "baker", salary=60000), job("y", "cook", salary=48000),
     "Bakers earn $12,000 (25%) more a year than cooks on average."),
    (job("x", "baker", salary=48000), job("y", "cook", salary=60000),
     "Cooks earn $12,000 (25%) more a year than bakers on average."),
    (job("x", "baker", salary=50000), job("y", "cook", salary=51000),
     "Bakers earn about as much as cooks: the gap in average pay is $1,000 a year (2%) in favor "
     "of cooks."),
    # medians lead where both jobs have one, and can reverse the means' order
    (job("x", "baker", salary=60000, median_salary=50000),
     job("y", "cook", salary=48000, median_salary=52000),
     "Cooks earn $2,000 (4%) more a year than bakers at the median."),
    (job("x", "baker", salary=60000, median_salary=50000),
     job("y", "cook", salary=48000, median_salary=52000),
     "The averages (means) point the other way: bakers earn $60,000 a year on average against "
     "$48,000."),
    (job("x", "baker", salary=60000, median_salary=50000), job("y", "cook", salary=48000),
     "Bakers earn $12,000 (25%) more a year than cooks on average."),
    (job("x", "baker", salary=50000, median_salary=41000, hourly_rate=24.04,
         median_hourly_rate=19.71), job("y", "cook", hourly_rate=20.5, median_hourly_rate=18.5),
     "Bakers earn $1.21 (7%) more an hour than cooks at the median, comparing hourly wages."),
    (job("x", "actor", salary=50000, median_salary=45000), job("y", "dancer"),
     "Actors earn a median of $45,000 a year; there is no annual figure for dancers to compare "
     "it with."),
    (job("x", "baker", salary=90615.4), job("y", "cook", salary=90614.6),
     "Bakers earn the same as cooks on average: $90,615 a year."),
    (job("x", "surgeon", salary=346490), job("y", "chiropractor", salary=90520),
     "Surgeons earn 3.8 times as much as chiropractors on average: $346,490 a year against "
     "$90,520."),
    (job("x", "actor", hourly_rate=58.29), job("y", "producer", salary=113300, hourly_rate=54.47),
     "Actors earn $3.82 (7%) more an hour than producers on average, comparing hourly wages."),
    (job("x", "actor", salary=50000), job("y", "dancer"),
     "Actors earn $50,000 a year on average; there is no annual figure for dancers to compare "
     "it with."),
    (job("x", "baker", jobs=3300), job("y", "cook", jobs=100),
     "There are 33 times as many bakers as cooks: 3,300 jobs against 100."),
    (job("x", "baker", jobs=100), job("y", "cook", jobs=254),
     "There are 2.5 times as many cooks as bakers: 254 jobs against 100."),
    (job("x", "baker", jobs=145), job("y", "cook", jobs=100),
     "There are 45% more bakers than cooks: 145 jobs against 100."),
    (job("x", "baker", jobs=104), job("y", "cook", jobs=100),
     "There are about as many bakers as cooks: 104 jobs against 100."),
]


@pytest.mark.parametrize(("a", "b", "sentence"), INTRO, ids=[s[:40] for *_, s in INTRO])
def test_intro_says_what_the_data_says(plain: Renderer, a: Job, b: Job, sentence: str) -> None:
    intro = dict(plain.render(pair(a, b), SOURCE).sections)["intro"]
    assert sentence in intro
    assert "higher than the" not in intro and " and " + b.title not in intro  # no "A and B"


@pytest.mark.parametrize(("a", "b"), [
    # the means agree with the medians; they disagree by under 3%; the medians are 2% apart
    (job("x", "baker", salary=60000, median_salary=54000), job("y", "cook", salary=48000,
                                                                median_salary=50000)),
    (job("x", "baker", salary=49000, median_salary=50000), job("y", "cook", salary=48000,
                                                                median_salary=52000)),
    (job("x", "baker", salary=60000, median_salary=51000), job("y", "cook", salary=48000,
                                                                median_salary=52000)),
])
def test_no_means_sentence_unless_they_reverse_the_medians(plain: Renderer, a: Job,
                                                           b: Job) -> None:
    assert "averages (means)" not in dict(plain.render(pair(a, b), SOURCE).sections)["intro"]


@pytest.mark.parametrize(("a", "b"), [
    (job("x", "baker"), job("y", "cook")),
    (job("x", "baker", salary=1, currency="EUR"), job("y", "cook", salary=2)),
])
def test_no_pay_sentence_without_comparable_pay(editorial: Renderer, a: Job, b: Job) -> None:
    article = editorial.render(pair(a, b), SOURCE)
    assert "intro" not in dict(article.sections)
    assert "earn" not in article.meta_description


BEST = dict(highest_paying_state="New York", highest_paying_state_pay=Pay(salary=114070),
            highest_paying_city="San Jose-Sunnyvale-Santa Clara, CA",
            highest_paying_city_pay=Pay(salary=128520),
            most_jobs_state=Place(name="California", jobs=175360),
            most_concentrated_state=Place(name="Delaware", jobs=3000, location_quotient=1.45),
            most_jobs_industry=Place(name="Utilities", jobs=4000))
OTHER = dict(highest_paying_state="Virginia", highest_paying_state_pay=Pay(salary=112310),
             highest_paying_city="Albany, NY", highest_paying_city_pay=Pay(salary=99000),
             most_jobs_state=Place(name="Texas", jobs=4160),
             most_jobs_industry=Place(name="Utilities", jobs=900))

# a's and b's place facts, a table row the places section must hold (or None: no section);
# tests/render/test_where.py has the rest of the where table's rules
PLACES = [
    (BEST, {}, "| Best-paying state (average pay) | New York: $114,070 a year | not named |"),
    (BEST, {}, "| Best-paying metro area (average pay) | San Jose-Sunnyvale-Santa Clara, CA: "
               "$128,520 a year | not named |"),
    (BEST, {}, "| State with the most jobs | California: 175,360 jobs | not named |"),
    (BEST, {}, "| Most concentrated in | Delaware: 1.45 times the national share of jobs | "
               "not named |"),
    (BEST, {}, "| Industry with the most jobs | Utilities: 4,000 jobs | not named |"),
    (BEST, OTHER, "| Best-paying state (average pay) | New York: $114,070 a year | Virginia: "
                  "$112,310 a year |"),
    (BEST, OTHER, "| Best-paying metro area (average pay) | San Jose-Sunnyvale-Santa Clara, CA: "
                  "$128,520 a year | Albany, NY: $99,000 a year |"),
    (BEST, OTHER, "| State with the most jobs | California: 175,360 jobs | Texas: 4,160 jobs |"),
    (BEST, OTHER, "| Industry with the most jobs | Utilities: 4,000 jobs | Utilities: 900 jobs |"),
    ({}, {"most_concentrated_state": Place(name="Delaware", location_quotient=2.5)},
     "| Most concentrated in | not named | Delaware: 2.5 times the national share of jobs |"),
    ({}, {}, None),
]


@pytest.mark.parametrize(("fa", "fb", "sentence"), PLACES, ids=[str(s)[:40] for *_, s in PLACES])
def test_places(plain: Renderer, fa: dict, fb: dict, sentence: str | None) -> None:
    a = job("accountant", "accountant", salary=94750, **fa)
    sections = dict(plain.render(pair(a, job("y", "cook", **fb)), SOURCE).sections)
    assert "places_a" not in sections and "places_b" not in sections  # one section for both
    if sentence is None:
        assert "places" not in sections
    else:
        assert sentence in sections["places"]
        assert sections["places"].startswith(
            "## Accountant vs cook: where they work and earn the most")


def baker(salary: int, low: int, high: int) -> Job:
    return job("x", "baker", salary=salary, salary_range=SalaryRange(min=low, max=high))


def cook(salary: int, low: int, high: int) -> Job:
    return job("y", "cook", salary=salary, salary_range=SalaryRange(min=low, max=high))


# a, b: a sentence the pay section must hold (how the ranges meet, how widely pay varies)
RANGES = [
    (baker(100000, 80000, 130000), cook(50000, 30000, 70000),
     "The ranges do not overlap: the 90th percentile of cooks ($70,000) is below the 10th "
     "percentile of bakers ($80,000)."),
    (baker(100000, 60000, 130000), cook(80000, 50000, 110000),
     "The ranges overlap widely: the 90th percentile of cooks ($110,000) is above $100,000, "
     "the average for bakers."),
    (baker(100000, 60000, 130000), cook(70000, 50000, 90000),
     "The ranges overlap: the 90th percentile of cooks ($90,000) lies between the 10th "
     "percentile of bakers ($60,000) and their average ($100,000)."),
    (baker(100000, 40000, 160000), cook(70000, 50000, 90000),
     "Pay varies more among bakers: $120,000 separate their 10th and 90th percentiles, "
     "against $40,000 for cooks."),
    (baker(100000, 50000, 100000), cook(70000, 30000, 76000),
     "Pay is spread about as widely in both jobs: $50,000 separate the 10th and 90th "
     "percentiles for bakers, $46,000 for cooks."),
    # the same 90th/10th ratio is not "about as wide" in money: $50,000 against $32,000
    (baker(100000, 50000, 100000), cook(70000, 30000, 62000),
     "Pay varies more among bakers: $50,000 separate their 10th and 90th percentiles, "
     "against $32,000 for cooks."),
]


@pytest.mark.parametrize(("a", "b", "sentence"), RANGES, ids=[s[:40] for *_, s in RANGES])
def test_pay_ranges_compared(plain: Renderer, a: Job, b: Job, sentence: str) -> None:
    assert sentence in dict(plain.render(pair(a, b), SOURCE).sections)["pay"]


def test_no_range_claim_rests_on_a_top_code(plain: Renderer) -> None:
    a = baker(100000, 80000, 130000)
    b = job("y", "cook", salary=50000, salary_range=SalaryRange(min=30000, max=70000,
                                                                 max_top_coded=True))
    pay = dict(plain.render(pair(a, b), SOURCE).sections)["pay"]
    assert "overlap" not in pay and "varies more" not in pay


# a, b: the sentence saying whether the better-paid job is also the bigger one
PAY_AND_SIZE = [
    (job("x", "baker", salary=60000, jobs=3000), job("y", "cook", salary=40000, jobs=1000),
     "The better-paid job is also the larger one."),
    (job("x", "baker", salary=60000, jobs=1000), job("y", "cook", salary=40000, jobs=3000),
     "The better-paid job is the smaller one."),
    (job("x", "baker", salary=50000, jobs=1000), job("y", "cook", salary=50500, jobs=3000), None),
]


@pytest.mark.parametrize(("a", "b", "sentence"), PAY_AND_SIZE,
                         ids=[str(s)[:30] for *_, s in PAY_AND_SIZE])
def test_pay_and_size(plain: Renderer, a: Job, b: Job, sentence: str | None) -> None:
    intro = dict(plain.render(pair(a, b), SOURCE).sections)["intro"]
    if sentence is None:
        assert "better-paid" not in intro
    else:
        assert intro.endswith(" " + sentence)


def test_pay_range_is_labelled_and_top_code_hedged(plain: Renderer) -> None:
    a = job("x", "baker", salary=60000, salary_range=SalaryRange(min=40000, max=239200,
                                                                  max_top_coded=True))
    pay = dict(plain.render(pair(a, job("y", "cook")), SOURCE).sections)["pay"]
    assert "| Pay range (10th to 90th percentile) | $40,000 to $239,200 or more | - |" in pay
    assert "10th to the 90th percentile" in pay and "![" in pay


def test_chart_in_every_format(editorial: Renderer) -> None:
    a = baker(60000, 40000, 80000)
    b = cook(50000, 30000, 70000)
    article = editorial.render(pair(a, b), SOURCE)
    assert article.chart and article.chart.startswith("<svg")
    assert "](x-vs-y.pay.svg)" in article.markdown()
    html = formats.to_html(article)
    assert html.count("<svg") == 1 and "<figure>" in html and "pay.svg" not in html
    data = json.loads(formats.to_json(article))
    assert data["pay_chart_svg"] == article.chart
    assert "![" not in formats.to_text(article) and "\n\n\n" not in formats.to_text(article)
    without = editorial.render(pair(job("x", "baker"), job("y", "cook")), SOURCE)
    assert without.chart is None and "pay_chart_svg" not in json.loads(formats.to_json(without))


@pytest.mark.parametrize(("a", "b", "seo"), [
    (job("x", "baker", salary=60000), job("y", "cook", salary=48000),
     "Baker vs Cook: Baker Earns 25% More"),
    (job("x", "baker", salary=200000), job("y", "cook", salary=50000),
     "Baker vs Cook: Baker Earns 4× the Pay"),  # the ratio rule, not "4x More"
    (job("x", "baker", salary=100000), job("y", "cook", salary=50000),
     "Baker vs Cook: Baker Earns Twice the Pay"),
    (job("x", "baker", salary=50000), job("y", "cook", salary=50500), "Baker vs Cook: Similar Pay"),
    (job("x", "baker"), job("y", "cook"), "Baker vs Cook: Pay and Duties"),
    (job("x", "computer and information systems manager", short_title="IT manager"),
     job("y", "cook"), "IT Manager vs Cook: Pay and Duties"),
    (job("x", "middle school special education teacher"),
     job("y", "secondary school special education teacher"),
     "Middle School Special Education Teacher vs Secondary School Special Education Teacher"),
])  # the last: names longer than 60 characters are kept whole, never cut mid-name
def test_seo_title(editorial: Renderer, a: Job, b: Job, seo: str) -> None:
    article = editorial.render(pair(a, b), SOURCE)
    assert article.seo_title == seo and (len(seo) <= 60 or ":" not in seo)
    assert "…" not in seo
    assert json.loads(formats.to_json(article))["seo_title"] == seo
    assert f"<title>{seo}</title>" in formats.to_html(article)


def test_seed_style_writes_no_seo_title_or_chart() -> None:
    seed = Renderer()
    a = baker(60000, 40000, 80000)
    article = seed.render(pair(a, job("y", "cook", salary=1)))
    assert article.seo_title == "" and article.chart is None
    assert "seo_title" not in json.loads(formats.to_json(article))


# The promises a meta description can make, and how the page keeps each.
PROMISES = {"number of jobs": "| Wage and salary jobs (self-employed not counted) |",
            "duties": "\n## What does ",
            "tasks": "\n\n- ", "where each pays best": "where they work and earn the most"}


def bls_sample(n: int = 1500, step: int = 12):
    return list(islice(iter_comparisons([ROOT / "data" / "bls"]), 0, n * step, step))


@pytest.mark.slow
def test_bls_pages_keep_their_promises(editorial: Renderer) -> None:
    dataset, _ = read_dataset(ROOT / "data" / "bls")
    metas, seos = set(), set()
    for rec, ds in bls_sample():
        assert ds == dataset
        article = editorial.render(rec, ds)
        md = article.markdown()
        seo = article.seo_title  # whole names past 60 characters, never cut
        assert (len(seo) <= 60 or ":" not in seo) and "…" not in seo, seo
        assert md.rstrip().endswith("tested these modifications."), rec.id  # sources last
        promised = article.meta_description.rpartition("Compare ")[2]
        for promise, evidence in PROMISES.items():
            if promise in promised:
                assert evidence in md or (
                    promise == "where each pays best"
                    and "\n## Where each job pays best: " in md), (rec.id, promise)
        for claim in re.findall(r"\(\$[\d,]+ vs \$[\d,]+\)", article.meta_description):
            low, high = claim[1:-1].split(" vs ")
            assert low in md and high in md  # the figures the meta quotes are on the page
        intro = dict(article.sections).get("intro", "")
        assert " and " + rec.b.title not in intro, rec.id  # never "A and B" (any variant)
        for sentence in re.split(r"(?<=[.:]) (?=[A-Z])", md):  # every variant reads as written
            assert "  " not in sentence and " ." not in sentence and " ," not in sentence, rec.id
        metas.add(article.meta_description)
        seos.add(article.seo_title)
    assert len(metas) > 0.9 * len(bls_sample()) and len(seos) > 0.9 * len(bls_sample())
