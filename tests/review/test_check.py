"""`narrate check`: every problem in templates, records and locale, at once, before any run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from narrator.cli import main
from narrator.review import check as check_module
from narrator.review.check import check
from tests.conftest import ROOT


def override(tmp_path: Path, name: str, text: str) -> Path:
    d = tmp_path / "tpl"
    (d / "comparison").mkdir(parents=True, exist_ok=True)
    (d / "comparison" / name).write_text(text, encoding="utf-8")
    return d


def test_shipped_data_and_templates_are_clean():
    assert check(ROOT / "data") == []


# (template text, the one problem it must produce, at line 2)
BAD_TEMPLATES = [
    ("{{ a.plurl }}", "'a' has no value 'plurl' (did you mean 'plural'?)"),
    ("{{ b.title|plurl }}", "unknown filter 'plurl' (did you mean 'plural'?)"),
    ("{{ salary }}", "undefined variable 'salary'"),
    ("{{ job.title }}", "undefined variable 'job'"),      # intro is not given a job
    ("{% if a.title is nmber %}x{% endif %}", "unknown test 'nmber' (did you mean 'number'?)"),
    ("{% include 'comparison/nope.md.j2' %}", "template 'comparison/nope.md.j2' not found"),
    ("{{ a.title }", "unexpected '}'"),
    ("{% if a.title %}", "Unexpected end of template"),
]


@pytest.mark.parametrize("text,problem", BAD_TEMPLATES, ids=[t for t, _ in BAD_TEMPLATES])
def test_bad_template_is_caught_with_file_and_line(tmp_path, text, problem):
    tpl = override(tmp_path, "intro.md.j2", "The differences\n" + text + "\n")
    problems = check(ROOT / "data" / "records", template_dirs=[tpl])
    path = tpl / "comparison" / "intro.md.j2"
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:2: ") or problems[0].startswith(f"{path}:3: ")
    assert problem in problems[0]


def _typo(field: str) -> str:
    return field[:-1] if len(field) > 2 else field + "x"  # salary -> salar, id -> idx


# every name a template receives that holds a job, in a template that receives it
_JOB_NAMES = [(name, "intro.md.j2") for name in ("a", "b", "higher", "lower")] + [
    ("job", next(t.split("/")[1] for t in sorted(check_module._ONLY_JOB)))]


@pytest.mark.parametrize("name, template", _JOB_NAMES)
def test_rule_an_attribute_typo_is_reported_on_every_job_name(tmp_path, name, template):
    """`check` knows a job's values on every name a template receives one under, and only
    those: each field misspelt is reported with its correction, each field spelt right is not."""
    from narrator.render.views import JobView

    fields = [f for f in JobView.__slots__ if not f.startswith("_")]
    lines = [f"{{{{ {name}.{_typo(f)} }}}}" for f in fields]
    tpl = override(tmp_path, template, "\n".join(lines) + "\n")
    problems = check(ROOT / "data" / "records", template_dirs=[tpl])
    reported = [p.split(": ", 1)[1] for p in problems]
    for f, line in zip(fields, lines):
        if _typo(f) in fields:
            continue  # the misspelling is itself a field (none today)
        assert any(r.startswith(f"'{name}' has no value '{_typo(f)}'") for r in reported), line
    assert len(problems) == len(fields)
    right = override(tmp_path / "right", template,
                     "\n".join(f"{{{{ {name}.{f} }}}}" for f in fields) + "\n")
    assert [p for p in check(ROOT / "data" / "records", template_dirs=[right])
            if "has no value" in p] == []


def test_names_a_template_defines_itself_are_fine(tmp_path):
    tpl = override(tmp_path, "intro.md.j2",
                   "{% set x = a.title %}{% for s in a.skills %}{{ s }}{% endfor %}{{ x }}\n"
                   "{% macro m(v) %}{{ v }}{% endmacro %}{{ m(b.title) }}\n"
                   "{% extends 'narrator/comparison/intro.md.j2' %}")
    assert check(ROOT / "data" / "records", template_dirs=[tpl]) == []


def test_everything_is_reported_at_once(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "records", data / "records")
    bad = json.loads((data / "records" / "lead-technician-vs-software-support-technician.json")
                     .read_text())
    bad["a"]["salry"] = 1
    bad["b"]["currency"] = "XYZ"
    (data / "records" / "bad.json").write_text(json.dumps(bad))
    good = json.loads((data / "records" / "field-service-technician-vs-repair-technician.json")
                      .read_text())
    good["b"]["currency"] = "XYZ"
    good["id"] = "other"
    (data / "records" / "bad2.json").write_text(json.dumps(good))
    (data / "bls").mkdir()
    (data / "bls" / "jobs.jsonl").write_text('{"id": "x", "title": "x"}\n{"id": "y"}\n')
    (data / "bls" / "pairs.jsonl").write_text('{"id": "x-vs-z", "a": "x", "b": "z"}\nnot json\n')
    tpl = override(tmp_path, "skills.md.j2", "{{ a.skils }}\n")
    result = CliRunner().invoke(main, ["check", "--data", str(data), "--templates", str(tpl),
                                       "--locale", "xx_YY"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines == [
        "--locale: unknown locale 'xx_YY' (use a code such as en_US, de_DE, fr_FR)",
        f"{tpl}/comparison/skills.md.j2:1: 'a' has no value 'skils' (did you mean 'skills'?)",
        f"{data}/bls/jobs.jsonl:2: y: title: required field missing",
        f"{data}/bls/pairs.jsonl:1: x-vs-z: b: no job 'z' in jobs.jsonl",
        f"{data}/bls/pairs.jsonl:2: expected {{\"id\": ..., \"a\": JOB ID, \"b\": JOB ID}}",
        f"{data}/records/bad.json: lead-technician-vs-software-support-technician: a.salry: "
        f"unknown field (did you mean 'salary'?)",
        f"{data}/records/bad2.json: other: b.currency: unknown currency 'XYZ' (expected an "
        f"ISO 4217 code such as USD, EUR, GBP)",
        "narrate: 7 problem(s)",
    ]


def test_check_writes_nothing(tmp_path):
    before = sorted(p for p in ROOT.rglob("*") if ".venv" not in p.parts)
    assert CliRunner().invoke(main, ["check"]).exit_code == 0
    assert sorted(p for p in ROOT.rglob("*") if ".venv" not in p.parts) == before


def test_pairs_are_checked_as_a_run_resolves_them(tmp_path):
    data = tmp_path / "set"
    data.mkdir()
    (data / "jobs.jsonl").write_text('{"id": "x", "title": "x"}\n{"id": "y", "title": "y"}\n')
    (data / "pairs.jsonl").write_text('{"id": "aux", "a": "x", "b": "y"}\n'
                                      '{"id": "x-vs-y", "a": "x", "b": "y"}\n')
    assert check(tmp_path) == [
        f"{data}/pairs.jsonl:1: id: 'aux' is a reserved file name on Windows; choose another id"]


def test_rule_problems_in_one_template_are_listed_in_line_order(tmp_path):
    """Line 10 after line 2: by number, not as text."""
    # found by kind (names before attributes), listed by line
    tpl = override(tmp_path, "intro.md.j2", "x\n{{ a.tite }}\n" + "x\n" * 7 + "{{ salry }}\n")
    path = tpl / "comparison" / "intro.md.j2"
    assert check(ROOT / "data" / "records", template_dirs=[tpl]) == [
        f"{path}:2: 'a' has no value 'tite' (did you mean 'title'?)",
        f"{path}:10: undefined variable 'salry'"]


def test_a_missing_template_folder_is_the_one_problem_reported(tmp_path):
    assert check(ROOT / "data" / "records", template_dirs=[tmp_path / "gone"]) == [
        f"{tmp_path / 'gone'}: template directory not found"]


def test_rule_a_style_is_checked_with_its_own_search_path(tmp_path, monkeypatch):
    """A style's template may include a partial only that style has."""
    house = tmp_path / "house" / "comparison"
    house.mkdir(parents=True)
    (house / "intro.md.j2").write_text('{% include "comparison/house_note.md.j2" %}\n')
    (house / "house_note.md.j2").write_text("{{ a.title }}\n")
    from narrator import dataset

    styles = {**dataset.STYLES, "house": (tmp_path / "house",)}
    monkeypatch.setattr(dataset, "STYLES", styles)
    monkeypatch.setattr(check_module, "STYLES", styles)
    assert check(ROOT / "data" / "records") == []


def test_a_slot_name_used_twice_is_reported_once_where_it_is(tmp_path):
    """Every style's check sees the user's folder; the duplicate is still one problem."""
    tpl = override(tmp_path, "title.txt.j2",
                   '{% variants "pay_gap" %}{{ a.short|cap }} vs {{ b.short }}{% endvariants %}')
    problems = check([], template_dirs=[tpl])
    twice = [p for p in problems if "variants slot" in p]
    assert len(twice) == 1, problems
    assert twice[0].startswith(f"{tpl}/comparison/title.txt.j2:1: variants slot 'pay_gap' is "
                               f"already used at {ROOT}/templates/")
    assert twice[0].endswith("; give each slot its own name")


def _record(**changes: object) -> dict:
    rec = json.loads((ROOT / "data" / "records" /
                      "lead-technician-vs-software-support-technician.json").read_text())
    rec.update(changes)
    return rec


def test_every_record_file_is_checked_past_an_unreadable_one(tmp_path):
    (tmp_path / "a.json").write_text("{not json")
    no_id = _record()
    del no_id["id"]
    (tmp_path / "b.json").write_text(json.dumps(no_id))
    assert check(tmp_path) == [
        f"{tmp_path}/a.json: malformed JSON at line 1, column 2: Expecting property name "
        f"enclosed in double quotes",
        f"{tmp_path}/b.json: record 1: id: required field missing"]


def test_a_profile_set_is_checked_line_by_line(tmp_path):
    """Each job and pair line at its own line number, said once; a blank line or a pair
    naming a bad job does not end the check; bytes that are not UTF-8 are not a crash."""
    (tmp_path / "jobs.jsonl").write_text('{"id": "x", "title": "x", "currency": "XYZ"}\n'
                                         '{"title": "y"}\n{"id": "z", "title": "z"}\n'
                                         '{"id": "u"}\n')
    # the pair naming the bad job u is not reported again: its job line is
    (tmp_path / "pairs.jsonl").write_bytes(b'{"id": "z-vs-u", "a": "z", "b": "u"}\n\n'
                                           b'{"id": "z-vs-w\xff", "a": "z", "b": "w"}\n'
                                           b'{"id": "z-vs-v", "a": "z", "b": "v"}\n')
    jobs, pairs = tmp_path / "jobs.jsonl", tmp_path / "pairs.jsonl"
    assert check(tmp_path) == [
        f"{jobs}:1: x: currency: unknown currency 'XYZ' (expected an ISO 4217 code such as "
        f"USD, EUR, GBP)",
        f"{jobs}:2: id: required field missing",
        f"{jobs}:4: u: title: required field missing",
        f"{pairs}:3: z-vs-w\ufffd: b: no job 'w' in jobs.jsonl",
        f"{pairs}:4: z-vs-v: b: no job 'v' in jobs.jsonl"]


def test_an_unreadable_jobs_file_is_one_problem(tmp_path):
    (tmp_path / "jobs.jsonl").write_text("{bad\n")
    (tmp_path / "pairs.jsonl").write_text("")
    assert check(tmp_path) == [
        f"{tmp_path}/jobs.jsonl: malformed JSON at line 1, column 2: Expecting property name "
        f"enclosed in double quotes"]


def test_check_reads_utf8_whatever_the_locale(tmp_path, monkeypatch):
    """Templates and pair lines are UTF-8 where the locale's default is not (LANG=C)."""
    import io

    tpl = override(tmp_path, "intro.md.j2", "Auditørs: {{ a.title }}\n")
    data = tmp_path / "set"
    data.mkdir()
    (data / "jobs.jsonl").write_text('{"id": "x", "title": "x"}\n', encoding="utf-8")
    (data / "pairs.jsonl").write_text('{"id": "x-vs-ø", "a": "x", "b": "ø"}\n', encoding="utf-8")
    # open() and read_text() without an encoding ask io.text_encoding: make that ASCII
    monkeypatch.setattr(io, "text_encoding", lambda encoding, stacklevel=2: encoding or "ascii")
    assert check(tmp_path, template_dirs=[tpl]) == [
        f"{data}/pairs.jsonl:1: x-vs-ø: b: no job 'ø' in jobs.jsonl"]
