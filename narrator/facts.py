"""The rules: what an article says, decided from two jobs. Pure functions, no wording.

Every function answers ``None`` when the data cannot support a claim; templates then leave
the sentence out rather than write around a hole.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, TypeVar

from .schema import Job

Side = Literal["a", "b"]
T = TypeVar("T")

TOP_SKILLS = 3
# A table keeps its fixed layout (a "-" for a missing cell, even a row of "-") while at most one
# row in eight is empty, as on the seed page; past that it drops its empty rows instead.
MAX_EMPTY_ROW_SHARE = 0.125


def pay_order(a: Job, b: Job) -> Literal["a", "b", "equal"] | None:
    """Which job pays more on average: "a", "b", "equal", or None if not comparable.

    >>> from narrator.schema import Job
    >>> pay_order(Job(id="x", title="x", salary=2), Job(id="y", title="y", salary=1))
    'a'
    """
    if a.salary is None or b.salary is None or a.currency != b.currency:
        return None
    if a.salary == b.salary:
        return "equal"
    return "a" if a.salary > b.salary else "b"


def qualify_order(a: Job, b: Job) -> Literal["same", "different", "a", "b"] | None:
    """How the times to qualify compare: "same", "different", only "a"/"b" known, or None."""
    ta, tb = a.time_to_qualify, b.time_to_qualify
    if ta is None and tb is None:
        return None
    if ta is None:
        return "b"
    if tb is None:
        return "a"
    return "same" if ta == tb else "different"


def top_skills(job: Job, n: int = TOP_SKILLS) -> list[str]:
    """The first ``n`` skills (records list them most important first), duplicates dropped."""
    seen: list[str] = []
    for skill in job.skills or ():
        if skill.casefold() not in (s.casefold() for s in seen):
            seen.append(skill)
        if len(seen) == n:
            break
    return seen


def table_rows(rows: Sequence[tuple[T, object, object]]) -> list[tuple[T, object, object]]:
    """The rows a comparison table shows; empty when no row has data.

    A row is ``(label, a, b)``, a value of None being missing. Mostly full tables keep every
    row; sparse ones keep only rows with data, so thin records don't produce tables of "-".
    """
    filled = [r for r in rows if r[1] is not None or r[2] is not None]
    if len(filled) == len(rows) or not filled:
        return filled
    if len(rows) - len(filled) <= MAX_EMPTY_ROW_SHARE * len(rows):
        return list(rows)
    return filled


def decide(a: Job, b: Job) -> dict[str, object]:
    """Every decision an article rests on, as plain data (snapshotted apart from the wording)."""
    return {
        "pay": pay_order(a, b),
        "qualify": qualify_order(a, b),
        "top_skills": {"a": top_skills(a), "b": top_skills(b)},
        "known": {side: [name for name in job.__struct_fields__
                         if name not in ("id", "title") and getattr(job, name) is not None]
                  for side, job in (("a", a), ("b", b))},
    }
