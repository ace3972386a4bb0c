"""The review set: one Markdown snapshot and one facts snapshot per article.

The set is listed, with the branch of the rules each article covers, in tests/review_set.txt:
the records under data/records/, the rule-branch records in tests/records/, and 60 real pairs. A copy
edit shows up as a plain diff of the .md files; a rule change as a diff of the .json files.
Accept an intended change with `pytest --snapshot-update` and review the snapshot diff.
"""

from __future__ import annotations

import json

import pytest

from narrator import facts
from narrator.sources import iter_comparisons, read_ids
from narrator.render import Renderer

from .conftest import ROOT

LISTED = read_ids(ROOT / "tests" / "review_set.txt")
REVIEW = sorted(iter_comparisons([ROOT / "data", ROOT / "tests" / "records"], only=LISTED),
                key=lambda r: r.id)


@pytest.fixture(scope="module")
def renderer():
    return Renderer(locale="en_US")


def test_review_set_is_complete():
    assert {r.id for r in REVIEW} == LISTED and len(REVIEW) == len(LISTED) >= 60


@pytest.mark.parametrize("rec", REVIEW, ids=[r.id for r in REVIEW])
def test_article(rec, renderer, md_snapshot):
    assert renderer.render(rec).markdown() == md_snapshot


@pytest.mark.parametrize("rec", REVIEW, ids=[r.id for r in REVIEW])
def test_facts(rec, renderer, json_snapshot):
    decided = facts.decide(rec.a, rec.b)
    decided["sections"] = [sid for sid, _ in renderer.render(rec).sections]
    assert json.dumps(decided, indent=2, ensure_ascii=False) + "\n" == json_snapshot
