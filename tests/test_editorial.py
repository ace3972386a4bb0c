"""The editorial style: which sentence each fact gives, as a table, and corpus-wide rules over
real BLS pairs (SEO titles fit, meta descriptions promise only what the page has, every page
ends with its sources)."""

from __future__ import annotations

import json
import re
from itertools import islice

import pytest

from narrator import writers
from narrator.dataset import Dataset, read_dataset
from narrator.render import Renderer
from narrator.schema import Comparison, Job, Pay, Place, SalaryRange
from narrator.sources import iter_comparisons

from .conftest import ROOT

SOURCE = Dataset("editorial", None, ("Source: test data.",))


@pytest.fixture(scope="module")
def editorial() -> Renderer:
    return Renderer(style="editorial")


def job(id_: str, title: str, **kw) -> Job:
    return Job(id=id_, title=title, **kw)


def pair(a: Job, b: Job) -> Comparison:
    return Comparison(id=f"{a.id}-vs-{b.id}", a=a, b=b)


# a, b, a sentence the intro must hold
INTRO = [
    (job("x", "baker", salary=60000), job("y", "cook", salary=48000),
     "Bakers earn $12,000 (25%) more a year than cooks on average."),
    (job("x", "baker", salary=48000), job("y", "cook", salary=60000),
     "Cooks earn $12,000 (25%) more a year than bakers on average."),
    (job("x", "baker", salary=50000), job("y", "cook", salary=51000),
     "Bakers earn about as much as cooks: the gap is $1,000 a year (2%) in favor of cooks."),
    (job("x", "baker", salary=90615.4), job("y", "cook", salary=90614.6),
     "Bakers earn the same as cooks on average: $90,615 a year."),
    (job("x", "surgeon", salary=346490), job("y", "chiropractor", salary=90520),
     "Surgeons earn 3.8 times as much as chiropractors on average: $346,490 a year against $90,520."),
    (job("x", "actor", hourly_rate=58.29), job("y", "producer", salary=113300, hourly_rate=54.47),
     "Actors earn $3.82 (7%) more an hour than producers on average, comparing hourly wages."),
    (job("x", "actor", salary=50000), job("y", "dancer"),
     "Actors earn $50,000 a year on average; there is no annual figure for dancers to compare it with."),
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
def test_intro_says_what_the_data_says(editorial: Renderer, a: Job, b: Job, sentence: str) -> None:
    intro = dict(editorial.render(pair(a, b), SOURCE).sections)["intro"]
    assert sentence in intro
    assert "higher than the" not in intro and " and " + b.title not in intro  # no "A and B"


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

# a's place facts, a sentence its section must hold (or None: no section)
PLACES = [
    (BEST, "Accountants earn the most in New York, at $114,070 a year on average; among metro "
           "areas, San Jose-Sunnyvale-Santa Clara, CA pays best ($128,520), although it lies "
           "outside New York."),
    ({**BEST, "highest_paying_city": "Albany, NY"}, "Albany, NY pays best ($128,520)."),
    (BEST, "Most of them work in California (175,360 jobs), while the job is most concentrated "
           "in Delaware, where its share of local employment is 1.45 times the national share."),
    ({**BEST, "most_jobs_state": Place(name="New York", jobs=9)},
     "New York is also where most of them work (9 jobs)"),
    ({"most_jobs_industry": Place(name="Utilities", jobs=4000)},
     "The industry employing the most accountants is Utilities (4,000 jobs)."),
    ({"most_concentrated_state": Place(name="Delaware", location_quotient=2.5)},
     "Accountants are most concentrated in Delaware, where their share of local employment is "
     "2.5 times the national share."),
    ({}, None),
]


@pytest.mark.parametrize(("facts", "sentence"), PLACES, ids=[str(s)[:40] for _, s in PLACES])
def test_places(editorial: Renderer, facts: dict, sentence: str | None) -> None:
    a = job("accountant", "accountant", salary=94750, **facts)
    sections = dict(editorial.render(pair(a, job("y", "cook")), SOURCE).sections)
    if sentence is None:
        assert "places_a" not in sections
    else:
        assert sentence in sections["places_a"]
        assert sections["places_a"].startswith("## Where accountants work and earn the most")


def test_pay_range_is_labelled_and_top_code_hedged(editorial: Renderer) -> None:
    a = job("x", "baker", salary=60000, salary_range=SalaryRange(min=40000, max=239200,
                                                                  max_top_coded=True))
    pay = dict(editorial.render(pair(a, job("y", "cook")), SOURCE).sections)["pay"]
    assert "| Pay range (10th to 90th percentile) | $40,000 to $239,200 or more | - |" in pay
    assert "10th to the 90th percentile" in pay and "![" in pay


def test_chart_in_every_format(editorial: Renderer) -> None:
    a = job("x", "baker", salary=60000, salary_range=SalaryRange(min=40000, max=80000))
    b = job("y", "cook", salary=50000, salary_range=SalaryRange(min=30000, max=70000))
    article = editorial.render(pair(a, b), SOURCE)
    assert article.chart and article.chart.startswith("<svg")
    assert "](x-vs-y.pay.svg)" in article.markdown()
    html = writers.to_html(article)
    assert html.count("<svg") == 1 and "<figure>" in html and "pay.svg" not in html
    data = json.loads(writers.to_json(article))
    assert data["pay_chart_svg"] == article.chart
    assert "![" not in writers.to_text(article) and "\n\n\n" not in writers.to_text(article)
    without = editorial.render(pair(job("x", "baker"), job("y", "cook")), SOURCE)
    assert without.chart is None and "pay_chart_svg" not in json.loads(writers.to_json(without))


@pytest.mark.parametrize(("a", "b", "seo"), [
    (job("x", "baker", salary=60000), job("y", "cook", salary=48000),
     "Baker vs Cook: Baker Earns 25% More"),
    (job("x", "baker", salary=200000), job("y", "cook", salary=50000),
     "Baker vs Cook: Baker Earns 4x More"),
    (job("x", "baker", salary=50000), job("y", "cook", salary=50500), "Baker vs Cook: Similar Pay"),
    (job("x", "baker"), job("y", "cook"), "Baker vs Cook: Pay and Duties"),
    (job("x", "computer and information systems manager", short_title="IT manager"),
     job("y", "cook"), "IT Manager vs Cook: Pay and Duties"),
    (job("x", "middle school special education teacher"),
     job("y", "secondary school special education teacher"),
     "Middle School Special Education Teacher vs Secondary…"),
])
def test_seo_title(editorial: Renderer, a: Job, b: Job, seo: str) -> None:
    article = editorial.render(pair(a, b), SOURCE)
    assert article.seo_title == seo and len(article.seo_title) <= 60
    assert json.loads(writers.to_json(article))["seo_title"] == seo
    assert f"<title>{seo}</title>" in writers.to_html(article)


def test_seed_style_writes_no_seo_title_or_chart() -> None:
    seed = Renderer()
    a = job("x", "baker", salary=60000, salary_range=SalaryRange(min=40000, max=80000))
    article = seed.render(pair(a, job("y", "cook", salary=1)))
    assert article.seo_title == "" and article.chart is None
    assert "seo_title" not in json.loads(writers.to_json(article))


# The promises a meta description can make, and how the page keeps each.
PROMISES = {"number of jobs": "| Number of jobs |", "duties": "\n## What does ",
            "typical tasks": "typically do the following:", "where each pays best": " earn the most in "}


def bls_sample(n: int = 1500, step: int = 12):
    return list(islice(iter_comparisons([ROOT / "data" / "bls"]), 0, n * step, step))


def test_bls_pages_keep_their_promises(editorial: Renderer) -> None:
    dataset, _ = read_dataset(ROOT / "data" / "bls")
    metas, seos = set(), set()
    for rec, ds in bls_sample():
        assert ds == dataset
        article = editorial.render(rec, ds)
        md = article.markdown()
        assert len(article.seo_title) <= 60, article.seo_title
        assert md.rstrip().endswith("tested these modifications."), rec.id  # sources last
        promised = article.meta_description.rpartition("Compare ")[2]
        for promise, evidence in PROMISES.items():
            if promise in promised:
                assert evidence in md, (rec.id, promise)
        for claim in re.findall(r"\(\$[\d,]+ vs \$[\d,]+\)", article.meta_description):
            low, high = claim[1:-1].split(" vs ")
            assert low in md and high in md  # the figures the meta quotes are on the page
        metas.add(article.meta_description)
        seos.add(article.seo_title)
    assert len(metas) > 0.9 * len(bls_sample()) and len(seos) > 0.9 * len(bls_sample())
