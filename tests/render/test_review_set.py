"""The review set: one Markdown snapshot and one facts snapshot per article.

The set is listed, with the branch of the rules each article covers, in tests/review_set.txt:
the records under data/records/, the rule-branch records in tests/records/, and 60 real pairs.
A copy edit shows up as a plain diff of the .md files; a rule change as a diff of the .json files.
Accept an intended change with `pytest --snapshot-update` and review the snapshot diff.
"""

from __future__ import annotations

import json

import pytest

from narrator import facts
from narrator.dataset import STYLES
from narrator.render.renderer import Renderer
from narrator.sources import iter_comparisons, read_ids
from tests.conftest import ROOT

LISTED = read_ids(ROOT / "tests" / "review_set.txt")
# Each article in its data set's style, as `narrate --all` renders it: the BLS pairs in the
# editorial style (data/bls/narrator.json), the records in the seed style.
REVIEW = sorted(iter_comparisons([ROOT / "data", ROOT / "tests" / "records"], only=LISTED),
                key=lambda item: item[0].id)
IDS = [rec.id for rec, _ in REVIEW]


@pytest.fixture(scope="module")
def renderers():
    return {style: Renderer(locale="en_US", style=style) for style in STYLES}


def test_review_set_is_complete():
    assert set(IDS) == LISTED and len(REVIEW) == len(LISTED) >= 60


@pytest.mark.parametrize("item", REVIEW, ids=IDS)
def test_article(item, renderers, md_snapshot):
    rec, dataset = item
    assert renderers[dataset.style].render(rec, dataset).markdown() == md_snapshot


@pytest.mark.parametrize("item", REVIEW, ids=IDS)
def test_facts(item, renderers, json_snapshot):
    rec, dataset = item
    decided = facts.decide(rec.a, rec.b)
    article = renderers[dataset.style].render(rec, dataset)
    decided["style"] = dataset.style
    decided["sections"] = [sid for sid, _ in article.sections]
    decided["variants"] = dict(article.variants)  # the variant each wording slot chose
    assert json.dumps(decided, indent=2, ensure_ascii=False) + "\n" == json_snapshot
