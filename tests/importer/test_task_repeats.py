"""The task picker leaves out a task that repeats the description (issue 22, item 6): the
rule (``tasks.repeats``) on its own, in the pick, and over the committed ``data/bls``."""

from __future__ import annotations

import json

from narrator.importer.tasks import TASK_RULE, Task, pick_tasks, repeats
from tests.conftest import ROOT

DESCRIPTION = "Recruit and hire seasonal or temporary agricultural laborers. May transport workers."


def _task(n: int, statement: str, gwa: str) -> Task:
    return Task(n, "45-1011.00", statement, (f"{gwa}.D01",), frozenset({gwa}))


def test_a_task_made_of_the_descriptions_words_repeats_it() -> None:
    assert repeats("Recruit and hire agricultural workers.", DESCRIPTION)  # 4 of 4 long words


def test_eighty_percent_is_enough_and_less_is_not() -> None:
    # long words: recruit, hire, seasonal, agricultural, drivers -> 4 of 5 = 80%
    assert repeats("Recruit and hire seasonal agricultural drivers.", DESCRIPTION)
    # recruit, hire, seasonal, drivers, cooks -> 3 of 5 = 60%
    assert not repeats("Recruit and hire seasonal drivers and cooks.", DESCRIPTION)


def test_short_tasks_and_short_words_do_not_count() -> None:
    assert not repeats("Hire laborers.", DESCRIPTION)  # two long words: too few to judge
    assert not repeats("Recruit and hire agricultural workers.", "")  # no description


def test_case_does_not_matter() -> None:
    assert repeats("RECRUIT and HIRE Agricultural Workers.", DESCRIPTION)


def test_the_pick_leaves_a_repeating_task_out_and_fills_from_the_rest() -> None:
    tasks = [_task(1, "Recruit and hire agricultural workers.", "4.A.1"),
             _task(2, "Negotiate contracts with growers.", "4.A.2"),
             _task(3, "Pay wages to crew members.", "4.A.3"),
             _task(4, "Keep records of hours worked.", "4.A.4")]
    assert pick_tasks(tasks) == ["recruit and hire agricultural workers",
                                 "negotiate contracts with growers",
                                 "pay wages to crew members", "keep records of hours worked"]
    assert pick_tasks(tasks, DESCRIPTION) == ["negotiate contracts with growers",
                                              "pay wages to crew members",
                                              "keep records of hours worked"]


def test_the_rule_is_stated() -> None:
    assert "80% of them are in the description" in TASK_RULE


def test_no_published_task_repeats_its_description() -> None:
    found = []
    for line in (ROOT / "data/bls/jobs.jsonl").read_text(encoding="utf-8").splitlines():
        job = json.loads(line)
        found += [(job["id"], t) for t in job.get("tasks", ())
                  if repeats(t, job.get("description") or "")]
    assert found == []
