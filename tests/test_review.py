"""The review set: one Markdown snapshot and one facts snapshot per article.

The set is every standalone record under data/, the rule-branch records in tests/records/,
and the real pairs listed (with the branch each covers) in tests/review_pairs.txt. A copy
edit shows up as a plain diff of the .md files; a rule change as a diff of the .json files.
Accept an intended change with `pytest --snapshot-update` and review the snapshot diff.
"""

from __future__ import annotations

import json

import pytest

from narrator import api, facts, schema
from narrator.batch import discover
from narrator.render import Renderer

from .conftest import ROOT

BLS = ROOT / "data" / "bls"


def _review_set() -> list[schema.Comparison]:
    found = []
    for folder in (ROOT / "data", ROOT / "tests" / "records"):
        for kind, path in discover(folder):
            if kind == "records":
                found += list(api.load(path))
    jobs = {}
    for n, line in enumerate((BLS / "jobs.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        job = schema.to_job(json.loads(line), file="jobs.jsonl", where=f"line {n}")
        jobs[job.id] = job
    pairs = {}
    for line in (BLS / "pairs.jsonl").read_text(encoding="utf-8").splitlines():
        p = json.loads(line)
        pairs[p["id"]] = p
    listed = (ROOT / "tests" / "review_pairs.txt").read_text(encoding="utf-8").splitlines()
    for line in listed:
        pid = line.split("#")[0].strip()
        if pid:
            p = pairs[pid]
            found.append(schema.Comparison(id=pid, a=jobs[p["a"]], b=jobs[p["b"]]))
    return found


REVIEW = _review_set()


@pytest.fixture(scope="module")
def renderer():
    return Renderer(locale="en_US")


def test_review_set_is_big_enough():
    assert len(REVIEW) >= 60 and len({r.id for r in REVIEW}) == len(REVIEW)


@pytest.mark.parametrize("rec", REVIEW, ids=[r.id for r in REVIEW])
def test_article(rec, renderer, md_snapshot):
    assert renderer.render(rec).markdown() == md_snapshot


@pytest.mark.parametrize("rec", REVIEW, ids=[r.id for r in REVIEW])
def test_facts(rec, renderer, json_snapshot):
    decided = facts.decide(rec.a, rec.b)
    decided["sections"] = [sid for sid, _ in renderer.render(rec).sections]
    assert json.dumps(decided, indent=2, ensure_ascii=False) + "\n" == json_snapshot
