"""The fact audit (issue 22): every BLS page rendered in-process, every figure it states
recomputed by tests/fact_audit.py, a second implementation that shares no code with
narrator/facts.py or the renderer's views. All 3,054 pages, not a sample."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narrator.formats import to_data
from narrator.render.renderer import Renderer
from narrator.sources import iter_comparisons
from tests import fact_audit
from tests.fact_audit import BLS, audit_page, read_jobs

SHOW = 20  # problems listed in a failure message (the count says how many there are)


def audit(renderer: Renderer, only: frozenset[str] | None = None) -> list[fact_audit.Page]:
    jobs, pairs = read_jobs()
    sources = json.loads((BLS / "narrator.json").read_text(encoding="utf-8"))["source"]
    return [audit_page(to_data(renderer.render(rec, dataset)), jobs, pairs, sources)
            for rec, dataset in iter_comparisons([BLS], only=only)]


@pytest.fixture(scope="module")
def pages() -> list[fact_audit.Page]:
    return audit(Renderer(locale="en_US", style="editorial"))


def _report(found: list[str], what: str) -> str:
    return f"{len(found)} {what}; the first:\n" + "\n".join(found[:SHOW])


@pytest.mark.slow  # all 3,054 BLS pages; the planted-bug test below stays quick
def test_every_page_is_audited(pages: list[fact_audit.Page]) -> None:
    _, pairs = read_jobs()
    assert len(pages) == len(pairs) > 2_500


@pytest.mark.slow  # all 3,054 BLS pages; the planted-bug test below stays quick
def test_every_figure_matches_the_data(pages: list[fact_audit.Page]) -> None:
    found = [p for page in pages for p in page.problems]
    assert not found, _report(found, "claims disagree with data/bls")


@pytest.mark.slow  # all 3,054 BLS pages; the planted-bug test below stays quick
def test_every_number_bearing_sentence_is_recognised(pages: list[fact_audit.Page]) -> None:
    found = [u for page in pages for u in page.unrecognised]
    assert not found, _report(found, "sentences with figures no claim shape of the audit matches "
                                     "(add the shape and its checks to tests/fact_audit.py)")


@pytest.mark.slow  # all 3,054 BLS pages; the planted-bug test below stays quick
def test_the_audit_reads_claims(pages: list[fact_audit.Page]) -> None:
    """A sanity check that the name tokens and shapes work: every page has its pay, size, range
    and place claims recognised (at least six a page on average, SEO title and meta included)."""
    assert sum(page.claims for page in pages) > 6 * len(pages)
    assert all(page.claims for page in pages)


def test_a_sample_of_pages_states_only_what_the_data_says() -> None:
    """Every 25th BLS page, audited as above: the quick run's guard (-m "not slow", and each
    mutant of benchmarks/mutation.py), which the whole audit backs in CI."""
    _, pairs = read_jobs()
    only = frozenset(sorted(pairs)[::25])
    sample = audit(Renderer(locale="en_US", style="editorial"), only)
    assert len(sample) == len(only) > 100
    found = [p for page in sample for p in page.problems]
    assert not found, _report(found, "claims disagree with data/bls")
    assert not [u for page in sample for u in page.unrecognised]
    assert all(page.claims for page in sample)


PLANTED_LESS = """{% extends "narrator/comparison/intro.md.j2" %}
{% block differences %}{% if gap and gap.higher and not gap.multiple and not gap.about_the_same
%}{{ gap.lower.plural|cap }} earn {{ gap.diff }} ({{ gap.pct }}) less {{ "an hour" if gap.hourly
else "a year" }} than {{ gap.higher.plural }} at the median.{% endif %}{% endblock %}
{% block qualify %}{% endblock %}
{% block pay %}{% endblock %}
"""


def test_the_audit_catches_the_old_percent_less(tmp_path: Path) -> None:
    """Plant the old bug (a "% less" taken of the lower figure, as 1,740+ pages had it) in the
    intro of 300 pages: the audit names the page, the claim and the true figure."""
    (tmp_path / "comparison").mkdir()
    (tmp_path / "comparison" / "intro.md.j2").write_text(PLANTED_LESS, encoding="utf-8")
    _, pairs = read_jobs()
    only = frozenset(sorted(pairs)[:300]) | {"accountant-vs-tax-preparer"}
    renderer = Renderer(locale="en_US", style="editorial", template_dirs=(tmp_path,))
    wrong = [p for page in audit(renderer, only) for p in page.problems if "% less" in p]
    assert len(wrong) > 150
    # medians: $28,760 is 52% of the tax preparers' $54,920 but 34% of the accountants' $83,680
    assert ("accountant-vs-tax-preparer: intro: pay gap in % less (of the higher figure): "
            "page says 52, data gives 34") in wrong


PLANTED_MEAN_WORDS = """{% extends "narrator/comparison/intro.md.j2" %}
{% block differences %}{% if gap and gap.higher and not gap.multiple and not gap.about_the_same
%}{{ gap.higher.plural|cap }} earn {{ gap.diff }} ({{ gap.pct }}) more {{ "an hour" if gap.hourly
else "a year" }} than {{ gap.lower.plural }} on average.{% endif %}{% endblock %}
{% block qualify %}{% endblock %}
{% block pay %}{% endblock %}
"""


def test_the_audit_catches_medians_called_averages(tmp_path: Path) -> None:
    """The median-first rule: a sentence giving the medians' gap but saying "on average" (as
    every page did before medians led) is a wrong claim, named as such."""
    (tmp_path / "comparison").mkdir()
    (tmp_path / "comparison" / "intro.md.j2").write_text(PLANTED_MEAN_WORDS, encoding="utf-8")
    _, pairs = read_jobs()
    renderer = Renderer(locale="en_US", style="editorial", template_dirs=(tmp_path,))
    wrong = [p for page in audit(renderer, frozenset(sorted(pairs)[:100])) for p in page.problems]
    assert wrong and all("the compared figures named (avg): page says 'on average', data gives "
                         "'at the median'" in p for p in wrong)
