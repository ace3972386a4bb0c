"""The command line: output, options, and one clean line for every kind of bad input."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from narrator import api
from tests.conftest import RECORDS, ROOT, cli

SEED = ROOT / "data" / "records" / "lead-technician-vs-software-support-technician.json"


def seed_raw() -> dict:
    return json.loads(SEED.read_text(encoding="utf-8"))


def write(tmp_path: Path, raw: object, name: str = "rec.json") -> Path:
    path = tmp_path / name
    path.write_text(raw if isinstance(raw, str) else json.dumps(raw), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["md", "html", "txt", "json"])
def test_cli_matches_library(fmt):
    code, out, _ = cli(str(SEED), "--format", fmt)
    assert code == 0
    assert out == api.narrate(SEED, format=fmt)


def test_output_file(tmp_path):
    target = tmp_path / "sub" / "article.md"
    code, out, _ = cli(str(SEED), "-o", str(target))
    assert code == 0 and out == ""
    assert target.read_text(encoding="utf-8") == api.narrate(SEED)
    assert [p.name for p in target.parent.iterdir()] == ["article.md"]  # no temp file left


def test_locale_changes_numbers():
    code, out, _ = cli(str(SEED), "--locale", "de_DE")
    assert code == 0
    assert "90.615\u00a0$" in out


def test_schema_lists_every_job_field():
    code, out, _ = cli("schema")
    assert code == 0
    job = json.loads(out)["$defs"]["Job"]
    assert job["additionalProperties"] is False
    assert {"salary", "time_to_qualify", "race_pct", "description"} <= set(job["properties"])
    assert job["required"] == ["id", "title"]


def _mutate(path: str, value: object) -> dict:
    raw = seed_raw()
    *parents, last = path.split(".")
    target = raw
    for p in parents:
        target = target[p]
    target[last] = value
    return raw


# (what is wrong, the record, words the one-line error must contain)
BAD_RECORDS = [
    ("malformed JSON", '{"id": "x", "a": {', ["malformed JSON at line 1"]),
    ("empty file", "", ["empty file"]),
    ("not an object", "[1]", ["record 1", "(record)", "expected object"]),
    ("NaN literal", '{"id": "x", "a": {"id": "a", "title": "a", "salary": NaN}}', ["NaN"]),
    ("string salary", _mutate("a.salary", "90,615"),
     ["lead-technician-vs-software-support-technician", "a.salary", "got str"]),
    ("negative salary", _mutate("a.salary", -5), ["a.salary", ">= 0"]),
    ("bool count", _mutate("b.jobs", True), ["b.jobs", "got bool"]),
    ("unknown field", _mutate("a.salry", 5), ["a.salry", "unknown field", "did you mean 'salary'"]),
    ("unknown nested field", _mutate("a.degree.percent", 5), ["a.degree.percent", "unknown field"]),
    ("missing title", {"id": "x", "a": {"id": "a"}, "b": {"id": "b", "title": "b"}},
     ["x", "a", "title"]),
    ("bad unit", _mutate("a.time_to_qualify.unit", "weeks"), ["a.time_to_qualify.unit"]),
    ("max below min", _mutate("a.salary_range.max", 1), ["a.salary_range", "less than min"]),
    ("bad skill type", _mutate("b.skills", ["java", 3]), ["b.skills[1]"]),
    ("bad currency code", _mutate("a.currency", "dollars"), ["a.currency"]),
    ("unknown currency", _mutate("a.currency", "XYZ"), ["a.currency", "XYZ"]),
    ("unsafe id", _mutate("id", "../etc/passwd"), ["id"]),
]


@pytest.mark.parametrize("case,raw,needles", BAD_RECORDS, ids=[c[0] for c in BAD_RECORDS])
def test_bad_record_is_one_line_error(tmp_path, case, raw, needles):
    path = write(tmp_path, raw)
    code, out, err = cli(str(path))
    assert code == 1, err
    assert out == ""
    assert err.count("\n") == 1 and err.startswith(f"narrate: error: {path}: ")
    for needle in needles:
        assert needle in err


def test_non_utf8_file(tmp_path):
    path = tmp_path / "rec.json"
    path.write_bytes(b'{"id": "\xff"}')
    code, _, err = cli(str(path))
    assert code == 1 and "not UTF-8" in err


@pytest.mark.parametrize("name,body,needle", [
    ("rec.yaml", "id: x\na: [unclosed", "malformed YAML at line"),
    ("rec.txt", "{}", "unknown record format '.txt'"),
])
def test_other_reader_errors(tmp_path, name, body, needle):
    code, _, err = cli(str(write(tmp_path, body, name)))
    assert code == 1 and needle in err


def test_yaml_record_renders_like_json(tmp_path):
    import yaml

    path = write(tmp_path, yaml.safe_dump(seed_raw(), sort_keys=False), "rec.yaml")
    assert cli(str(path))[1] == api.narrate(SEED)


@pytest.mark.parametrize("args,needle", [
    (["--locale", "xx_YY"], "xx_YY"),
    (["--locale", "not a locale"], "not a locale"),
])
def test_bad_options_exit_2(args, needle):
    code, _, err = cli(str(SEED), *args)
    assert code == 2 and needle in err and err.count("\n") == 1


def test_a_missing_templates_folder_exits_1():
    code, _, err = cli(str(SEED), "--templates", "/nonexistent-dir")
    assert code == 1 and "/nonexistent-dir" in err and err.count("\n") == 1


def test_missing_file_and_bad_format():
    code, _, err = cli("no-such-file.json")
    assert code == 1 and "no-such-file.json: no such file" in err
    code, _, err = cli(str(SEED), "--format", "pdf")
    assert code == 2 and "pdf" in err


def test_output_not_written_on_error(tmp_path):
    target = tmp_path / "article.md"
    target.write_text("previous", encoding="utf-8")
    code, _, _ = cli(str(write(tmp_path, _mutate("a.salary", -1))), "-o", str(target))
    assert code == 1 and target.read_text(encoding="utf-8") == "previous"


def test_help_documents_every_option():
    _, out, _ = cli("render", "--help")
    for opt in ("--format", "--locale", "--output", "--templates", "--record"):
        assert opt in out
    assert "md|html|txt|json" in out


def test_cold_start_does_not_import_inflect():
    """inflect costs ~1.7 s to import; shipped titles must not need it."""
    code = (f"import sys; from narrator import api; api.narrate({str(SEED)!r}); "
            "print('inflect' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- one article of a profile set, and -r that validates only its record (issue 24) ------------

@pytest.mark.parametrize("where", [ROOT / "data" / "bls", ROOT / "data" / "bls" / "pairs.jsonl"])
def test_one_pair_of_a_profile_set_by_id(where: Path) -> None:
    code, out, err = cli(where, "-r", "registered-nurse-vs-nurse-practitioner")
    assert code == 0 and out.startswith("# Registered nurse vs nurse practitioner\n"), err
    assert "at the median" in out  # the set's own style (editorial), from its narrator.json


@pytest.mark.parametrize(("args", "message"), [
    ((ROOT / "data" / "bls",), "a profile set holds many pairs; choose one with --record ID"),
    ((ROOT / "data" / "bls", "-r", "nope"), "no pair with id 'nope'"),
    ((ROOT / "data" / "records",), "a folder, but not a profile set"),
])
def test_a_profile_set_without_a_known_pair_is_one_line(args: tuple, message: str) -> None:
    code, out, err = cli(*args)
    assert code == 1 and out == "" and message in err and len(err.splitlines()) == 1


def test_record_option_validates_only_the_record_it_renders(tmp_path: Path) -> None:
    good = json.loads((RECORDS[0]).read_text(encoding="utf-8"))
    bad = {**good, "id": "bad-one", "a": {**good["a"], "salary": "lots"}}
    records = tmp_path / "two.jsonl"
    records.write_text(json.dumps(bad) + "\n" + json.dumps(good) + "\n", encoding="utf-8")
    code, out, err = cli(records, "-r", good["id"])
    assert code == 0 and out.startswith("# "), err
    code, _, err = cli(records, "-r", "bad-one")
    assert code == 1 and "bad-one" in err and "salary" in err


def test_a_single_editorial_article_gets_its_chart_beside_it(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    code, _, err = cli(ROOT / "data" / "bls", "-r", "art-director-vs-graphic-designer", "-o", page)
    assert code == 0, err
    chart = tmp_path / "art-director-vs-graphic-designer.pay.svg"
    assert "](art-director-vs-graphic-designer.pay.svg)" in page.read_text(encoding="utf-8")
    assert chart.read_text(encoding="utf-8").startswith("<svg")
    # nothing beside what is not a regular file (a FIFO here, as /dev/null would be)
    fifo = tmp_path / "sub" / "pipe.md"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.DEVNULL)
    code, _, err = cli(ROOT / "data" / "bls", "-r", "art-director-vs-graphic-designer", "-o", fifo)
    reader.wait(timeout=30)
    assert code == 0, err
    assert sorted(p.name for p in fifo.parent.iterdir()) == ["pipe.md"]


# -- typos, bad values, render-time template errors, help (issue 24, item 5) --------------------

@pytest.mark.parametrize(("args", "message"), [
    (["reprot", "out"], "no such command or record file 'reprot'; did you mean 'report'?"),
    (["varaints"], "did you mean 'variants'?"),
    (["frobnicate"], "no such command or record file 'frobnicate'"),
    ([RECORDS[0], "-l", "en_ZZ"], "unknown locale 'en_ZZ'"),  # Babel alone would take it
    ([RECORDS[0], "-l", "xx_QQ"], "unknown locale 'xx_QQ'"),
    ([RECORDS[0], "-f", "pdf"], "'pdf' is not one of"),
])
def test_bad_commands_and_values_exit_2_in_one_line(args: list, message: str) -> None:
    code, out, err = cli(*args)
    assert code == 2 and out == "" and message in err, err
    assert len(err.splitlines()) == 1 and err.startswith("narrate: error: ")


def test_check_reports_an_unknown_locale_with_the_rest() -> None:
    code, _, err = cli("check", "--data", ROOT / "data" / "records", "-l", "en_ZZ")
    assert code == 1 and "--locale: unknown locale 'en_ZZ'" in err


def test_a_locale_cldr_has_still_works() -> None:
    code, out, _ = cli(RECORDS[0], "-l", "de_DE")
    assert code == 0 and out.startswith("# ")


def test_help_lists_each_command_once() -> None:
    code, out, _ = cli("--help")
    assert code == 0
    for command in ("check", "diff", "import-bls", "publish", "report", "schema", "variants"):
        assert len(re.findall(rf"^\s+(?:narrate )?{command}\b", out, re.M)) == 1, command


@pytest.mark.parametrize(("template", "source", "message"), [
    ("intro.md.j2", '{% extends "narrator/comparison/intro.md.j2" %}\n{% block differences %}\n'
     "{{ a.salry }}{% endblock %}\n", "intro.md.j2:3: UndefinedError: a job (a, b, job) has no "
     "value 'salry' (did you mean 'salary'?)"),
    ("meta.txt.j2", "\n{{ gap.nope }}\n", "meta.txt.j2:2: UndefinedError: gap has no value"),
])
def test_a_template_error_at_render_time_names_the_file_and_line(
        tmp_path: Path, template: str, source: str, message: str) -> None:
    (tmp_path / "comparison").mkdir()
    (tmp_path / "comparison" / template).write_text(source, encoding="utf-8")
    code, out, err = cli(ROOT / "data" / "bls", "-r", "art-director-vs-graphic-designer", "-t",
                         tmp_path)
    assert code == 1 and out == "" and len(err.splitlines()) == 1
    assert f"{tmp_path / 'comparison'}/{message}" in err, err
