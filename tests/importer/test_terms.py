"""narrator.importer.terms: the reviewed table of dated or offensive O*NET terms (issue 22,
item 6), checked on its own and over the committed ``data/bls``."""

from __future__ import annotations

import json

from narrator.importer.terms import (
    DATED_TERMS,
    TERM_REPLACEMENTS,
    Replacement,
    replace_terms,
)
from tests.conftest import ROOT

BLS = ROOT / "data" / "bls"

RULES = ("person-first", "obsolete-alternative", "grammar")


def _published() -> list[tuple[str, str, str]]:
    """(job id, field, text) of every description, task and work activity in jobs.jsonl."""
    out = []
    for line in (BLS / "jobs.jsonl").read_text(encoding="utf-8").splitlines():
        job = json.loads(line)
        if job.get("description"):
            out.append((job["id"], "description", job["description"]))
        out += [(job["id"], "tasks", t) for t in job.get("tasks", ())]
        out += [(job["id"], "activities", a["text"]) for a in job.get("activities", ())]
    return out


def test_a_phrase_is_replaced_whole_and_reported() -> None:
    text = ("provide care to mentally ill, emotionally disturbed, or mentally retarded patients "
            "in hospitals")
    new, used = replace_terms(text)
    assert new == ("provide care to patients with mental illness, emotional disturbances, or "
                   "intellectual disabilities in hospitals")
    assert [r.rule for r in used] == ["person-first"]


def test_an_obsolete_alternative_is_left_out_of_its_list() -> None:
    new, used = replace_terms("compile reports, using typewriter or personal computer")
    assert new == "compile reports, using a computer"
    assert [r.rule for r in used] == ["obsolete-alternative"]


def test_text_without_a_table_phrase_is_unchanged() -> None:
    text = "operate telephone switchboard to answer calls"
    assert replace_terms(text) == (text, [])


def test_matching_is_on_the_whole_phrase_as_written() -> None:
    table = (Replacement("the handicapped", "people with disabilities", "person-first", "x"),)
    assert replace_terms("The Handicapped", table) == ("The Handicapped", [])


def test_every_row_is_reviewed_and_says_why() -> None:
    assert len({r.original for r in TERM_REPLACEMENTS}) == len(TERM_REPLACEMENTS)
    for row in TERM_REPLACEMENTS:
        assert row.rule in RULES, row
        assert row.reason and row.replacement and row.replacement != row.original, row
        assert not DATED_TERMS.search(row.replacement), row
        if row.rule == "grammar":  # a past-tense verb put in the present, nothing else
            verb, rest = row.original.split(" ", 1)
            assert verb.endswith("ed") and row.replacement == f"{verb[:-2]} {rest}", row
        else:
            assert DATED_TERMS.search(row.original), row  # only dated wording is changed


def test_no_work_activity_reads_in_the_past_tense() -> None:
    past = [(i, t) for i, f, t in _published()
            if f == "activities" and t.split(" ")[0].endswith("ed") and t.split(" ")[0] != "feed"]
    assert past == []


def test_no_published_text_has_a_dated_term() -> None:
    found = [(i, f, m.group(0)) for i, f, text in _published()
             for m in DATED_TERMS.finditer(text)]
    assert found == []


def test_provenance_keeps_every_original_and_every_row_is_used() -> None:
    p = json.loads((BLS / "provenance.json").read_text(encoding="utf-8"))["term_replacements"]
    applied = p["applied"]
    assert {u["original"] for u in applied} == {r.original for r in TERM_REPLACEMENTS}
    published = {(i, f): text for i, f, text in _published() if f == "description"}
    lists = {(i, f, t) for i, f, t in _published() if f != "description"}
    for use in applied:
        assert use["rule"] in RULES
        if use["field"] == "description":
            assert use["replacement"] in published[(use["id"], "description")]
        else:
            assert any((i, f) == (use["id"], use["field"]) and use["replacement"] in t
                       for i, f, t in lists), use
    assert [r["original"] for r in p["table"]] == [r.original for r in TERM_REPLACEMENTS]


def test_the_page_source_line_says_terms_were_replaced() -> None:
    source = json.loads((BLS / "narrator.json").read_text(encoding="utf-8"))["source"]
    assert any("a few dated terms replaced" in line for line in source)
