"""The reliability rule for places, the medians and quartiles, and the industry label table:
as tables of cases, and over the committed data/bls."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narrator import schema
from narrator.errors import SourceError
from narrator.importer import Counts, Estimate, profiles
from narrator.importer.labels import INDUSTRY_LABELS, reader_label

DATA = Path(__file__).resolve().parents[2] / "data" / "bls"
TOP = frozenset({"5"})
ONLY = frozenset({"4"})


def _jobs() -> list[dict]:
    with (DATA / "jobs.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def _row(jobs: float | None, rse: float | None, annual: float | None = 50000.0,
         hourly: float | None = 24.04) -> dict:
    def est(v: float | None) -> Estimate:
        return Estimate(None, frozenset({"8"})) if v is None else Estimate(v)
    return {"01": est(jobs), "05": est(rse), "04": est(annual), "03": est(hourly)}


@pytest.mark.parametrize(("jobs", "rse", "ok"), [
    (1000, 10.0, True),  # both at the limit
    (999, 1.0, False),  # too few jobs
    (50000, 10.1, False),  # wage RSE too high
    (None, 1.0, False),  # employment not published
    (5000, None, False),  # RSE not published
])
def test_reliable(jobs: float | None, rse: float | None, ok: bool) -> None:
    assert profiles.reliable(_row(jobs, rse)) is ok


@pytest.mark.parametrize(("rows", "national", "expected"), [
    # the best-paying state rests on 110 jobs: the next reliable one is named
    ({"Mississippi": _row(110, 3.0, 90000.0), "Ohio": _row(4000, 2.0, 70000.0),
      "Utah": _row(3000, 2.0, 65000.0)}, 60000.0, ("Ohio", "")),
    # Louisiana: 40 jobs, RSE 31.9%
    ({"Louisiana": _row(40, 31.9, 400000.0), "Texas": _row(2000, 4.0, 300000.0)}, 250000.0,
     ("Texas", "")),
    # Ohio is the only state BLS published, and it pays less than the nation
    ({"Ohio": _row(1200, 5.0, 35990.0)}, 63670.0, (None, "below_national")),
    ({"Ohio": _row(1200, 5.0, 63670.0)}, 63670.0, (None, "below_national")),  # equal: not more
    ({"Ohio": _row(300, 5.0, 90000.0)}, 63670.0, (None, "unreliable")),
    ({}, 63670.0, (None, "no_data")),
    # a top-coded state that is reliable could pay the most: no claim
    ({"Ohio": _row(5000, 2.0, 90000.0), "Utah": _row(5000, 2.0) | {"04": Estimate(None, TOP)}},
     60000.0, (None, "top_coded")),
    # ... one that is not reliable can't be named, and doesn't stop the claim
    ({"Ohio": _row(5000, 2.0, 90000.0), "Utah": _row(50, 2.0) | {"04": Estimate(None, TOP)}},
     60000.0, ("Ohio", "")),
])
def test_best_paying(rows: dict, national: float, expected: tuple) -> None:
    assert profiles._best_paying(rows, "04", national) == expected


@pytest.mark.parametrize(("nat", "expected"), [
    ({"08": Estimate(24.5), "13": Estimate(50960.0), "07": Estimate(18.0),
      "09": Estimate(31.255), "12": Estimate(37440.4), "14": Estimate(65010.0)},
     {"median_hourly_rate": 24.5, "median_salary": 50960,
      "hourly_quartiles": {"p25": 18.0, "p75": 31.25}, "salary_quartiles": {"p25": 37440,
                                                                             "p75": 65010}}),
    # paid by the hour only (footnote 4): no annual figure
    ({"08": Estimate(24.5), "13": Estimate(None, ONLY), "07": Estimate(18.0),
      "09": Estimate(31.0), "12": Estimate(None, ONLY), "14": Estimate(None, ONLY)},
     {"median_hourly_rate": 24.5, "hourly_quartiles": {"p25": 18.0, "p75": 31.0}}),
    # a top-coded 75th percentile: no quartiles (the median stays)
    ({"13": Estimate(200000.0), "12": Estimate(150000.0), "14": Estimate(None, TOP)},
     {"median_salary": 200000}),
])
def test_percentiles(nat: dict, expected: dict) -> None:
    job: dict = {}
    counts = Counts()
    profiles._add_percentiles(job, nat, counts)
    assert job == expected
    assert counts.with_median_salary == ("median_salary" in expected)


def test_reader_label_needs_a_row() -> None:
    assert reader_label("Retail Trade") == "Retail trade"
    with pytest.raises(SourceError, match="no reader label"):
        reader_label("Sector 99 - Something New")


def test_every_sector_in_the_database_has_a_label_and_every_label_a_sector() -> None:
    from narrator.importer import locate_sources, open_oews
    from narrator.importer.oews import _sector_title

    oews = open_oews(locate_sources())
    try:
        names = {_sector_title(n) for (n,) in oews.connection.execute(
            "SELECT industry_name FROM industry WHERE display_level = 2 "
            "AND industry_name LIKE 'Sector%'")}
    finally:
        oews.connection.close()
    assert names == set(INDUSTRY_LABELS)


def test_no_raw_bls_industry_name_reaches_the_data() -> None:
    shown = set()
    for job in _jobs():
        if "best_paying_industry" in job:
            shown.add(job["best_paying_industry"])
        if "most_jobs_industry" in job:
            shown.add(job["most_jobs_industry"]["name"])
    assert shown <= set(INDUSTRY_LABELS.values())
    assert not shown & (set(INDUSTRY_LABELS) - set(INDUSTRY_LABELS.values()))
    provenance = json.loads((DATA / "provenance.json").read_text(encoding="utf-8"))
    assert provenance["industry_labels"]["table"] == INDUSTRY_LABELS


def test_named_places_in_the_data_meet_the_rule() -> None:
    for job in _jobs():
        hourly_only = "salary" not in job
        national = job.get("hourly_rate") if hourly_only else job.get("salary")
        for key in ("highest_paying_state_pay", "highest_paying_city_pay",
                    "best_paying_industry_pay"):
            if key in job:
                pay = job[key]
                assert pay["jobs"] >= profiles.MIN_PLACE_JOBS, (job["id"], key)
                assert pay["wage_rse"] <= profiles.MAX_WAGE_RSE, (job["id"], key)
                figure = pay.get("hourly_rate") if hourly_only else pay.get("salary")
                assert figure is not None and national is not None and figure > national
        for key in ("most_jobs_state", "most_concentrated_state", "most_jobs_industry"):
            if key in job:
                assert job[key]["jobs"] >= profiles.MIN_PLACE_JOBS, (job["id"], key)


def test_medians_and_quartiles_in_the_data_are_ordered() -> None:
    jobs = _jobs()
    assert sum("median_salary" in j for j in jobs) == 825
    assert sum("median_hourly_rate" in j for j in jobs) == 830 - 58  # none without an hourly wage
    for job in jobs:
        q, r = job.get("salary_quartiles"), job.get("salary_range")
        if q and r:
            assert r["min"] <= q["p25"] <= job["median_salary"] <= q["p75"] <= r["max"]
        h = job.get("hourly_quartiles")
        if h:
            assert h["p25"] <= job["median_hourly_rate"] <= h["p75"]
        schema.to_job(job, file="jobs.jsonl", where=job["id"])


def test_provenance_states_the_rule() -> None:
    text = (DATA / "PROVENANCE.md").read_text(encoding="utf-8")
    assert f"at least {profiles.MIN_PLACE_JOBS:,} jobs" in text
    assert f"at most {profiles.MAX_WAGE_RSE:g}%" in text
