"""The editorial tasks lead-ins claim no frequency the data lacks (issue 22, item 6).

O*NET's task statements say what a job involves, not how often: a lead-in may say "typically"
(O*NET's own word for its task lists) but never a period ("in a typical week", "daily") or a
"may" that turns a listed task into a guess."""

from __future__ import annotations

import re
from pathlib import Path

from narrator.render.variants import read

TEMPLATE = Path(__file__).parents[2] / "templates/editorial/comparison/description.md.j2"
FREQUENCY = re.compile(r"\b(?:week|weekly|day|daily|month|monthly|hour|hourly|often|"
                       r"usually|always|every|may)\b", re.I)


def _lead_ins() -> list[str]:
    reading = read(TEMPLATE.read_text(encoding="utf-8"))
    slot = next(s for s in reading.slots if s.slot == "tasks_lead_in")
    return [w.text for w in reading.written(slot)]


def test_six_lead_ins_none_claims_a_frequency() -> None:
    lead_ins = _lead_ins()
    assert len(lead_ins) == 6
    assert [t for t in lead_ins if FREQUENCY.search(t)] == []


def test_the_frequency_rule_catches_the_old_lead_in() -> None:
    assert FREQUENCY.search("In a typical week, {{ job.plural }} may:")


def test_the_replacement_lead_in_is_completed_by_a_verb_phrase() -> None:
    assert "Among other things, {{ job.short_plural }}:" in _lead_ins()
