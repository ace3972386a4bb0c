"""Duties in the third person: the importer's rules (narrator/importer/duties.py) as a table,
and every description in data/bls checked for a sentence that opens with a bare verb."""

from __future__ import annotations

import json

import pytest

from narrator.importer.duties import DESCRIPTION_OVERRIDES, sentences, third_person
from tests.conftest import ROOT

VERBS = frozenset({"examine", "analyze", "install", "plan", "perform", "supervise", "cut",
                   "conduct", "work", "teach", "collect", "record", "order", "assist", "manage"})

# O*NET text | plural | expected | notes dropped
CASES = [
    ("Examine, analyze, and interpret accounting records. Install or advise on systems.",
     "accountants",
     "Accountants examine, analyze, and interpret accounting records. They install or advise "
     "on systems.", 0),
    ("Plan budgets. May audit accounts. Must hold a license.", "auditors",
     "Auditors plan budgets. They may audit accounts. They must hold a license.", 0),
    ("May, in some cases, perform surgery.", "dentists",
     "Dentists may, in some cases, perform surgery.", 0),
    ("Teach courses in law. Includes both teachers primarily engaged in teaching and those who "
     "do a combination of teaching and research.", "law professors",
     "Law professors teach courses in law.", 1),
    ("Supervise workers. Excludes First-Line Supervisors.", "managers",
     "Managers supervise workers.", 1),
    ("Perform duties. Psychiatric orderlies are included in Psychiatric Aides.", "orderlies",
     "Orderlies perform duties.", 1),
    ("All education administrators not listed separately.",
     "miscellaneous education administrators",
     "", 1),
    ("Under close supervision of a therapist, perform only delegated tasks.", "aides",
     "Under close supervision of a therapist, aides perform only delegated tasks.", 0),
    ("Perform tasks. In schools, conduct tests.", "psychologists",
     "Psychologists perform tasks. In schools, they conduct tests.", 0),
    ("Using knowledge of science, may collect data.", "scientists",
     "Using knowledge of science, scientists may collect data.", 0),
    # "using" opens a description in O*NET, so it is among the verbs: an opener wins
    ("Using climbing techniques, cut away branches.", "tree trimmers",
     "Using climbing techniques, tree trimmers cut away branches.", 0),
    ("Directly supervise correctional officers.", "supervisors",
     "Supervisors directly supervise correctional officers.", 0),
    ("Plan meals. Usually manage staff through subordinates.", "chefs",
     "Chefs plan meals. They usually manage staff through subordinates.", 0),
    ("Plan work. Responsible for the life cycle of a product.", "logisticians",
     "Logisticians plan work. They are responsible for the life cycle of a product.", 0),
    # a sentence with a subject of its own stays; "Work" is a noun before "may"
    ("Supervise staff. Work may involve directing counselors. Duties include filing.", "managers",
     "Managers supervise staff. Work may involve directing counselors. Duties include filing.", 0),
    # the subject keeps an acronym's capitals; "U.S." does not end a sentence
    ("Command ships. Required to hold license issued by U.S. Coast Guard.", "captains",
     "Captains command ships. They must hold a license issued by the U.S. Coast Guard.", 0),
    ("Install HVAC systems.", "HVAC mechanics", "HVAC mechanics install HVAC systems.", 0),
    ("Order supplies.", "order clerks", "Order clerks order supplies.", 0),
]


@pytest.mark.parametrize(("text", "plural", "expected", "dropped"), CASES,
                         ids=[c[2][:40] or "dropped" for c in CASES])
def test_third_person(text: str, plural: str, expected: str, dropped: int) -> None:
    assert third_person(text, plural, VERBS | {"command", "install", "using"}) == (
        expected, dropped)


@pytest.mark.parametrize(("text", "expected"), [
    ("One. Two.", ["One.", "Two."]),
    ("Issued by U.S. Coast Guard. Next.", ["Issued by U.S. Coast Guard.", "Next."]),
    ("Such as e.g. Cats. Dogs.", ["Such as e.g. Cats.", "Dogs."]),
    ("No end", ["No end"]),
])
def test_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def _bls_jobs() -> list[dict]:
    with (ROOT / "data/bls/jobs.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def _onet_verbs() -> frozenset[str]:
    """Every word O*NET opens a task statement or a description with: its imperative verbs."""
    pytest.importorskip("narrator.importer.tasks")
    from narrator.importer.duties import verbs_of
    from narrator.importer.oews import read_descriptions
    from narrator.importer.sources import locate_sources, read_verified
    from narrator.importer.tasks import read_task_statements
    s = locate_sources()
    descriptions = read_descriptions(read_verified(s.onet), s.onet.path)
    return verbs_of([*descriptions.values(), *read_task_statements(read_verified(s.tasks),
                                                                   s.tasks.path)])


# Sentences of data/bls that open with a word O*NET also uses as a verb, read and found to
# have a subject of their own (the word is a noun there).
OWN_SUBJECT = ("Work ", "Equipment ")


def test_no_description_sentence_opens_with_a_bare_verb() -> None:
    verbs = _onet_verbs()
    bare = []
    for job in _bls_jobs():
        subject = job["plural"][0].upper() + job["plural"][1:]
        for sentence in sentences(job.get("description", "")):
            if sentence.startswith((subject + " ", "They ", *OWN_SUBJECT)):
                continue
            if f", {job['plural']} " in sentence or ", they " in sentence:
                continue  # "Under close supervision …, aides perform …"
            words = sentence.split(" ")
            first = words[0].rstrip(",;:").lower()
            if first in verbs or (first.endswith("ly") and words[1].lower() in verbs):
                bare.append(f"{job['id']}: {sentence}")
    assert bare == []


def test_every_description_names_its_subject_first() -> None:
    """The first sentence that gets a subject names the job; "They" comes only after it."""
    for job in _bls_jobs():
        text = job.get("description")
        if text and " they " not in text.lower().split(".")[0]:
            assert not text.startswith("They "), job["id"]


def test_overrides_are_all_used() -> None:
    """Each override is keyed by an exact O*NET sentence: one O*NET rewords is reported."""
    from narrator.importer.oews import read_descriptions
    from narrator.importer.sources import locate_sources, read_verified
    s = locate_sources()
    found = {sent for d in read_descriptions(read_verified(s.onet), s.onet.path).values()
             for sent in sentences(d)}
    assert sorted(set(DESCRIPTION_OVERRIDES) - found) == []
