"""Every BLS page's pay chart, as the renderer draws it (every pair with a pay range has a chart):
no label is cut, none passes the chart's edge (by chart.py's conservative width estimate; the
browser test measures the real widths of every job's label in Chromium), the names are the
jobs' short names, whole, the axis starts at $0 and the words are the article's.

The renderer's chart step (``Renderer._chart``) is called directly: the same SVG a page gets
(tests/render/test_editorial.py checks that it reaches every format), without rendering 3,054
pages of text."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import msgspec
import pytest

from narrator import grammar
from narrator.chart import NAME_SIZE, PAD, SMALL_SIZE, WIDTH, text_width, wrap
from narrator.render.renderer import Renderer, chart_name
from narrator.schema import Job
from narrator.sources import iter_comparisons
from tests.conftest import ROOT

SVG = "{http://www.w3.org/2000/svg}"
BLS = ROOT / "data" / "bls"


@pytest.fixture(scope="module")
def charts() -> list[tuple[str, tuple[str, ...], ET.Element]]:
    """(pair id, the charted jobs' expected names, the parsed SVG) for every BLS pair."""
    renderer = Renderer(locale="en_US", style="editorial")
    out = []
    for rec, _ in iter_comparisons([Path(BLS)]):
        svg = renderer._chart(rec)
        if svg is None:
            continue
        assert "\u2026" not in svg, rec.id  # no ellipsis anywhere: nothing was cut
        names = tuple(grammar.sentence_case(chart_name(job)) for job in (rec.a, rec.b)
                      if job.salary_range)
        out.append((rec.id, names, ET.fromstring(svg)))
    return out


@pytest.mark.slow  # every BLS pair's chart
def test_every_pair_with_a_pay_range_has_a_chart(charts):
    ranged = {j["id"] for j in map(json.loads, open(BLS / "jobs.jsonl", encoding="utf-8"))
              if j.get("salary_range")}
    pairs = [json.loads(line) for line in open(BLS / "pairs.jsonl", encoding="utf-8")]
    expected = [p["id"] for p in pairs if p["a"] in ranged or p["b"] in ranged]
    assert [rec_id for rec_id, _, _ in charts] == expected and len(expected) > 2_500


@pytest.mark.slow  # every BLS pair's chart
def test_no_label_is_cut_squeezed_or_past_the_edge(charts):
    lines = Counter()
    for pair, names, root in charts:
        texts = root.findall(f"{SVG}text")
        for t in texts:
            assert t.get("textLength") is None, (pair, t.text)  # nothing squeezed either
            size = float(t.get("font-size") or SMALL_SIZE)
            width = text_width(t.text, size)
            if t.get("text-anchor") == "middle":  # a tick label, centred on its x
                x = float(t.get("x"))
                assert x - width / 2 >= 0 and x + width / 2 <= WIDTH, (pair, t.text)
            else:
                assert float(t.get("x")) + width <= WIDTH - PAD, (pair, t.text)
        # each job's name, whole, in the larger font, on one line (two at most)
        bars = [r for r in root.findall(f"{SVG}rect") if r.get("height") == "20"]
        top = 0.0
        shown = []
        for bar in bars:
            own = [t for t in texts if t.get("font-size") == str(NAME_SIZE)
                   and top < float(t.get("y")) < float(bar.get("y"))]
            shown.append(" ".join(t.text for t in own))
            lines[len(own)] += 1
            top = float(bar.get("y"))
        assert tuple(shown) == names, pair
    assert set(lines) <= {1, 2}, lines


def bls_jobs() -> list[Job]:
    with open(BLS / "jobs.jsonl", encoding="utf-8") as f:
        return [msgspec.json.decode(line, type=Job) for line in f]


def test_every_job_name_wraps_whole_within_the_chart():
    """All 830 jobs (758 are in a pair): the name line(s) the chart would draw."""
    jobs = bls_jobs()
    assert len(jobs) == 830
    lines = Counter()
    for job in jobs:
        name = grammar.sentence_case(chart_name(job))
        wrapped = wrap(name, NAME_SIZE)
        assert " ".join(wrapped) == name  # broken at spaces only, nothing dropped
        assert all(PAD + text_width(line, NAME_SIZE) <= WIDTH - PAD for line in wrapped)
        lines[len(wrapped)] += 1
    assert lines == Counter({1: 818, 2: 12})


def test_names_are_the_short_names():
    jobs = {job.id: job for job in bls_jobs()}
    supervisors = jobs[
        "first-line-supervisor-of-landscaping-lawn-service-and-groundskeeping-workers"]
    assert chart_name(supervisors) == "landscaping supervisors"  # not 79 characters
    shortened = [job for job in jobs.values() if job.short_title and job.short_title != job.title]
    assert len(shortened) > 100
    for job in shortened:
        plural = grammar.plural(job.short_title)
        if " or " in job.title and " or " not in (job.plural or ""):  # two roles: "and" in plural
            plural = plural.replace(" or ", " and ")
        assert chart_name(job) == plural
        assert len(chart_name(job)) <= len(job.plural or grammar.plural(job.title))
    # the plural joins two roles as the table's plural does, not as the singular does
    assert chart_name(jobs["software-quality-assurance-analyst-or-tester"]) == (
        "software QA analysts and testers")
    assert chart_name(jobs["restaurant-lounge-and-coffee-shop-host-or-hostess"]) == (
        "restaurant hosts and hostesses")


@pytest.mark.slow  # every BLS pair's chart
def test_one_axis_rule_and_the_article_words(charts):
    starts = Counter()
    for pair, _, root in charts:
        ticks = [t.text for t in root.findall(f"{SVG}text") if t.get("text-anchor") == "middle"]
        starts[ticks[0]] += 1
        words = " ".join(t.text or "" for t in root.iter())
        assert " mean " not in words, pair
        assert "average" in root.find(f"{SVG}desc").text, pair
    assert starts == Counter({"$0": len(charts)})
