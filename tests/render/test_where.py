"""The editorial "where" section: a small table of the places the importer named (its
reliability rule), the jobs beside the pay, a note that states the rule and explains every
"not named" cell, and never the gapped two-place sentences of the old paragraph."""

from __future__ import annotations

import json
import re

import pytest

from narrator.importer import profiles
from narrator.importer.labels import INDUSTRY_LABELS
from narrator.render.renderer import Renderer
from narrator.schema import Comparison, Pay, Place
from tests.conftest import ROOT, job
from tests.render.test_editorial import SOURCE, bls_sample


@pytest.fixture(scope="module")
def plain() -> Renderer:
    return Renderer(style="editorial", variation=False)


def _where(renderer: Renderer, a: dict, b: dict) -> str:
    rec = Comparison(id="x-vs-y", a=job("x", "baker", salary=50000, **a),
                     b=job("y", "cook", hourly_rate=20.0, **b))
    return dict(renderer.render(rec, SOURCE).sections).get("places", "")


def test_jobs_beside_the_pay_and_the_unit_of_each_job(plain: Renderer) -> None:
    md = _where(plain, {"highest_paying_state": "Ohio",
                        "highest_paying_state_pay": Pay(salary=61000, jobs=1230, wage_rse=2.5)},
                {"highest_paying_state": "Utah",
                 "highest_paying_state_pay": Pay(hourly_rate=24.5, jobs=3400)})
    # the cook has no annual wage: its pay is hourly and says so
    assert ("| Best-paying state (average pay) | Ohio: $61,000 a year (1,230 jobs) | "
            "Utah: $24.50 an hour (3,400 jobs) |") in md


def test_sources_state_the_importers_rule() -> None:
    """The rule is the same on every page: it is one of the data set's source lines."""
    lines = json.loads((ROOT / "data" / "bls" / "narrator.json").read_text())["source"]
    rule = next(line for line in lines if line.startswith("Places: "))
    assert f"at least {profiles.MIN_PLACE_JOBS:,} jobs" in rule
    assert f"relative standard error of {profiles.MAX_WAGE_RSE:g}% or less" in rule
    assert "self-employed are not counted" in rule


def test_a_not_named_cell_is_explained_for_its_job(plain: Renderer) -> None:
    md = _where(plain, {"most_jobs_state": Place(name="Ohio", jobs=4000)}, {})
    assert "| State with the most jobs | Ohio: 4,000 jobs | not named |" in md
    assert "Where a place is not named for cooks, none meets the reliability rule" in md
    md = _where(plain, {"most_jobs_state": Place(name="Ohio", jobs=4000)},
                {"most_jobs_industry": Place(name="Retail trade", jobs=4000)})
    assert "not named for bakers or cooks, none meets" in md  # the first variant (plain)


def test_no_explanation_without_a_not_named_cell(plain: Renderer) -> None:
    md = _where(plain, {"most_jobs_state": Place(name="Ohio", jobs=4000)},
                {"most_jobs_state": Place(name="Utah", jobs=900)})
    assert "not named" not in md.lower()


def test_no_section_without_places(plain: Renderer) -> None:
    assert _where(plain, {}, {}) == ""


GAPPED = re.compile(r"\), [A-Z][^.()]*, [A-Z]{2} [a-z][^.()]* \(\$")  # "…), El Centro, CA x ($"
RAW_LABELS = [bls for bls, label in INDUSTRY_LABELS.items() if bls != label]


@pytest.mark.slow
def test_bls_where_sections(plain: Renderer) -> None:
    seen = 0
    for rec, ds in bls_sample(600, 5):
        md = dict(plain.render(rec, ds).sections).get("places", "")
        if not md:
            continue
        seen += 1
        assert "\n| | " in md and not GAPPED.search(md), rec.id
        assert not any(f"| {raw}: " in md for raw in RAW_LABELS), rec.id
        assert " - |" not in md and "| - " not in md, rec.id  # no unexplained "-" cell
    assert seen > 500
