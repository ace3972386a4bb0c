"""Related comparisons: for each page of a run, other pages of the run about its two jobs.

A fact decided here, worded by ``templates/comparison/related.md.j2``. For each of a page's
two jobs (a first, then b): the other pairs of the run that have that job, ranked by their
``score`` (relatedness, 0..1, from ``pairs.jsonl``) from the highest, ties by pair id; at most
``PER_JOB`` per job (a job with fewer other pages in the run gets what there is). The best
``PER_JOB - 1`` always; when the job has more, the last place goes to one of the rest in turn
(by this page's place in the job's ranking), so a page ranked low for both its jobs is still
linked from another page. A page listed under job a is not listed again under job b. A pair
without a numeric score ranks after every scored one.

"The run" is what ``narrate --all`` renders of a profile set: every valid pair line of the
set (the first line of an id; both jobs found in ``jobs.jsonl`` and valid), restricted to the
``--only`` ids when there are some. Links never leave the profile set. A page rendered on its
own (``narrate RECORD``, standalone record files) has none.

>>> index = RelatedIndex([("x-vs-y", "x", "y", 0.5), ("x-vs-z", "x", "z", 0.2),
...                       ("y-vs-z", "y", "z", 0.9)], {"x": "x", "y": "y", "z": "z"})
>>> [(link.id, link.job) for link in index.links("x-vs-y")]
[('x-vs-z', 'x'), ('y-vs-z', 'y')]
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path

import msgspec

from . import grammar, schema
from .article import Link
from .errors import RecordError
from .sources import JobTable, digest

PER_JOB = 5  # links per job at most

# (pair id, job a, job b, score or None)
Candidate = tuple[str, str, str, float | None]


def link_title(short_a: str, short_b: str) -> str:
    """The title of a page of two jobs, as the built-in ``title.txt.j2`` writes it
    (``{{ a.short|cap }} vs {{ b.short }}``), from the jobs' short titles (plain text), without
    rendering that page.

    >>> link_title("brickmason", "cement mason")
    'Brickmason vs cement mason'
    """
    return f"{grammar.sentence_case(short_a)} vs {short_b}"


class RelatedIndex:
    """The pairs of one run of one profile set, by job, ranked; ``links`` answers per page."""

    def __init__(self, candidates: Iterable[Candidate], titles: Mapping[str, str]) -> None:
        """``titles``: each job's short title (plain text), for the link titles."""
        self._pairs: dict[str, tuple[str, str]] = {}
        by_job: dict[str, list[tuple[float, str]]] = {}
        self._titles: dict[str, str] = {}
        for pid, a, b, score in candidates:
            if pid in self._pairs or a == b:
                continue  # a repeated id is not written (the first line wins); a job with itself
            self._pairs[pid] = (a, b)
            self._titles[pid] = link_title(titles[a], titles[b])
            rank = -score if score is not None else math.inf  # no score: after every scored one
            for job in (a, b):
                by_job.setdefault(job, []).append((rank, pid))
        self._by_job = {job: [pid for _, pid in sorted(ranked)] for job, ranked in by_job.items()}

    def __contains__(self, pid: str) -> bool:
        return pid in self._pairs

    def __len__(self) -> int:
        return len(self._pairs)

    def links(self, pid: str) -> tuple[Link, ...]:
        """The page's related links: job a's, then job b's; () for a page not in the run."""
        jobs = self._pairs.get(pid)
        if jobs is None:
            return ()
        taken = {pid}
        found: list[Link] = []
        for job in jobs:
            ranked = self._by_job[job]
            free = [other for other in ranked if other not in taken]
            if len(free) > PER_JOB:  # the last place rotates through the lower-ranked rest
                rest = free[PER_JOB - 1:]
                free = [*free[:PER_JOB - 1], rest[ranked.index(pid) % len(rest)]]
            for other in free:
                taken.add(other)
                found.append(Link(other, other, self._titles[other], job))
        return tuple(found)

    def key(self, pid: str) -> bytes:
        """The page's links as bytes, for its incremental key (b"" when it has none)."""
        links = self.links(pid)
        if not links:
            return b""
        return digest(*(f"{x.id}\0{x.slug}\0{x.title}\0{x.job}".encode() for x in links)).encode()


def _score(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def read_related(folder: Path, jobs: JobTable, only: frozenset[str] | None = None
                 ) -> RelatedIndex:
    """The run's related-pages index of the profile set in ``folder``: its valid pair lines
    (restricted to ``only`` when given). A line that can't be read is passed over here: the
    run reports it with its page."""
    candidates: list[Candidate] = []
    titles: dict[str, str] = {}
    path = folder / "pairs.jsonl"
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            lines = f.readlines()
    except OSError:
        return RelatedIndex((), {})  # reported by the run
    for line in lines:
        try:
            pair = json.loads(line)
            pid, a, b = pair["id"], pair["a"], pair["b"]
        except (ValueError, KeyError, TypeError, RecursionError):
            continue
        if not (isinstance(pid, str) and isinstance(a, str) and isinstance(b, str)):
            continue
        if only is not None and pid not in only:
            continue
        if not _valid_id(pid) or not all(_title(jobs, j, titles) for j in (a, b)):
            continue
        candidates.append((pid, a, b, _score(pair.get("score"))))
    return RelatedIndex(candidates, titles)


def _valid_id(pid: str) -> bool:
    try:
        msgspec.convert(pid, schema.Slug)
    except msgspec.ValidationError:
        return False
    return schema.reserved_slug(pid) is None


def _title(jobs: JobTable, jid: str, titles: dict[str, str]) -> bool:
    """Whether the job is there and valid; its short title goes into ``titles``."""
    if jid in titles:
        return True
    try:
        if jid not in jobs:
            return False
        job = jobs.get(jid)[0]
    except RecordError:
        return False
    if isinstance(job, RecordError):
        return False
    titles[jid] = job.short_title or job.title
    return True
