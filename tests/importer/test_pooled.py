"""narrator.importer.pooled: a description for an OEWS aggregate O*NET has no row for
(issue 22, item 6), made only of the O*NET descriptions of the occupations it is made of."""

from __future__ import annotations

import json

from narrator.importer.duties import sentences
from narrator.importer.pooled import RULE, members, pooled_description
from tests.conftest import ROOT

BLS = ROOT / "data" / "bls"
VERBS = frozenset({"purchase", "buy", "appraise"})
DESCRIPTIONS = {
    "131021": "Purchase farm products for resale. Includes grain buyers. May negotiate.",
    "131022": "Buy merchandise for resale to consumers.",
    "131023": "Purchase machinery or supplies.",
    "131029": "All buyers not listed separately.",  # a note only
    "131031": "Investigate claims.",  # another broad group
    "131041": "Purchase things.",  # an OEWS occupation of its own (below)
}


def test_members_are_the_broad_groups_unpublished_onet_occupations() -> None:
    assert members("131020", DESCRIPTIONS, {"131020", "131041"}) == [
        "131021", "131022", "131023", "131029"]


def test_each_member_says_its_first_sentence_of_work_with_some_then_others() -> None:
    text, used = pooled_description("131020", "buyers", DESCRIPTIONS, {"131020"}, VERBS) or ("", [])
    assert text == ("Some buyers purchase farm products for resale. Others buy merchandise for "
                    "resale to consumers. Others purchase machinery or supplies.")
    assert used == ["131021", "131022", "131023"]  # the note-only member adds nothing


def test_no_usable_member_means_no_description() -> None:
    assert pooled_description("131020", "buyers", {"131029": "All others."}, set(), VERBS) is None
    assert pooled_description("131020", "buyers", {"131022": "Buyers buy."}, set(),
                              VERBS) is None  # a sentence with its own subject


def test_a_member_left_out_does_not_end_the_description() -> None:
    """A note-only member and one whose sentence has its own subject are skipped; the members
    after them still count, the first of those taking "Some <plural>"."""
    descriptions = {"131021": "All buyers not listed separately.", "131022": "Buyers buy.",
                    "131023": "Purchase machinery or supplies."}
    assert pooled_description("131020", "buyers", descriptions, set(), VERBS) == (
        "Some buyers purchase machinery or supplies.", ["131023"])


def test_every_pair_page_job_has_a_description() -> None:
    jobs = {}
    for line in (BLS / "jobs.jsonl").read_text(encoding="utf-8").splitlines():
        job = json.loads(line)
        jobs[job["id"]] = job
    in_pairs = set()
    for line in (BLS / "pairs.jsonl").read_text(encoding="utf-8").splitlines():
        pair = json.loads(line)
        in_pairs |= {pair["a"], pair["b"]}
    assert sorted(i for i in in_pairs if not jobs[i].get("description")) == []


def test_pooled_descriptions_are_recorded_and_said_on_the_page() -> None:
    p = json.loads((BLS / "provenance.json").read_text(encoding="utf-8"))
    pooled = p["pooled_descriptions"]
    assert pooled["rule"] == RULE
    assert pooled["jobs"]["buyer"] == ["13-1021", "13-1022", "13-1023"]
    assert len(pooled["jobs"]) == 12 == p["counts"]["with_pooled_description"]
    jobs = {json.loads(x)["id"]: json.loads(x)
            for x in (BLS / "jobs.jsonl").read_text(encoding="utf-8").splitlines()}
    for job_id, codes in pooled["jobs"].items():
        said = sentences(jobs[job_id]["description"])
        assert len(said) == len(codes), job_id
        assert said[0].startswith("Some " + jobs[job_id]["plural"] + " "), job_id
        assert all(s.startswith("Others ") for s in said[1:]), job_id
    source = json.loads((BLS / "narrator.json").read_text(encoding="utf-8"))["source"]
    assert any("the first sentence of each description" in line for line in source)
