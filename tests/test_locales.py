"""Articles in every supported locale: precise rows for the seed, plus a smoke test."""

from __future__ import annotations

import pytest

from narrator import api
from narrator.formatting import SUPPORTED_LOCALES
from tests.conftest import RECORDS, ROOT

SEED = ROOT / "data" / "records" / "lead-technician-vs-software-support-technician.json"
NB, NNB = "\u00a0", "\u202f"


@pytest.mark.parametrize("locale,salary,hourly,jobs,share", [
    ("en_US", "$90,615", "$43.56", "250,590", "83.4%"),
    ("en_GB", "US$90,615", "US$43.56", "250,590", "83.4%"),
    ("en_IN", "$90,615", "$43.56", "2,50,590", "83.4%"),
    ("de_DE", f"90.615{NB}$", f"43,56{NB}$", "250.590", f"83,4{NB}%"),
    ("fr_FR", f"90{NNB}615{NB}$US", f"43,56{NB}$US", f"250{NNB}590", f"83,4{NB}%"),
    ("es_ES", f"90.615{NB}US$", f"43,56{NB}US$", "250.590", f"83,4{NB}%"),
    ("ja_JP", "$90,615", "$43.56", "250,590", "83.4%"),
])
def test_seed_numbers_per_locale(locale, salary, hourly, jobs, share):
    md = api.narrate(SEED, locale=locale)
    assert f"| Yearly salary | {salary} |" in md
    assert f"| Hourly rate | {hourly} |" in md
    assert f"| Number of jobs | {jobs} |" in md
    assert f"| Gender ratio | Male, {share} " in md
    assert f"average salary of {salary}, which is higher" in md


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
@pytest.mark.parametrize("path", RECORDS, ids=[p.stem for p in RECORDS])
def test_smoke_every_record_every_locale(path, locale):
    for fmt in ("md", "html", "txt", "json"):
        assert api.narrate(path, locale=locale, format=fmt)


def test_locale_spelling_with_hyphen():
    assert api.narrate(SEED, locale="de-DE") == api.narrate(SEED, locale="de_DE")
