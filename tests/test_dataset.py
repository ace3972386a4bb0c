"""A data set's narrator.json (style and source lines), --style, and `narrate check` over every
style; the index's redirect lines and the chart file of `narrate --all`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narrator import dataset
from narrator.dataset import read_dataset
from narrator.review import check
from tests.conftest import ROOT, cli

RECORD = {"id": "baker-vs-cook",
          "a": {"id": "baker", "title": "baker", "salary": 60000,
                "salary_range": {"min": 40000, "max": 80000}},
          "b": {"id": "cook", "title": "cook", "salary": 48000}}


@pytest.mark.parametrize(("config", "message"), [
    ('{"style": "fancy"}',
     "narrator.json: style: unknown style 'fancy' (expected one of: seed, editorial)"),
    ('{"styel": "seed"}', "narrator.json: object contains unknown field styel"),
    ('{"source": "one line"}', "narrator.json: source: expected array, got str"),
    ('{"released": "May 2025"}', "narrator.json: released: expected a date like 2026-05-15"),
    ('{"style": ', "narrator.json: malformed JSON"),
])
def test_a_bad_config_is_one_line_naming_the_file_and_field(tmp_path: Path, config: str,
                                                             message: str) -> None:
    (tmp_path / "narrator.json").write_text(config)
    (tmp_path / "r.json").write_text(json.dumps(RECORD))
    code, out, err = cli(str(tmp_path / "r.json"))
    assert code == 1 and out == "" and message in err and len(err.splitlines()) == 1, err


def test_no_config_is_the_seed_style(tmp_path: Path) -> None:
    assert read_dataset(tmp_path) == (dataset.NONE, b"")


def test_the_folder_names_the_style_and_style_overrides_it(tmp_path: Path) -> None:
    (tmp_path / "r.json").write_text(json.dumps(RECORD))
    _, seed, _ = cli(str(tmp_path / "r.json"))
    assert "have different pay scales" in seed and "## Sources" not in seed
    (tmp_path / "narrator.json").write_text('{"style": "editorial", "source": ["From *us*."]}')
    _, editorial, _ = cli(str(tmp_path / "r.json"))
    assert "Bakers earn $12,000 (25%) more a year than cooks" in editorial
    assert editorial.rstrip().endswith("## Sources\n\nFrom \\*us\\*.")  # escaped once
    _, forced, _ = cli(str(tmp_path / "r.json"), "--style", "seed")
    assert "have different pay scales" in forced and "From \\*us\\*." in forced


def test_all_renders_each_set_in_its_style_writes_the_chart_and_redirects(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "bls").mkdir(parents=True)
    (data / "bls" / "narrator.json").write_text('{"style": "editorial"}')
    (data / "bls" / "jobs.jsonl").write_text(
        json.dumps(RECORD["a"]) + "\n" + json.dumps(RECORD["b"]) + "\n")
    (data / "bls" / "pairs.jsonl").write_text(json.dumps(
        {"id": "baker-vs-cook", "a": "baker", "b": "cook", "aliases": ["old-baker-vs-cook"]})
        + "\n")
    (data / "records").mkdir()
    (data / "records" / "r.json").write_text(json.dumps({**RECORD, "id": "seed-one"}))
    out = tmp_path / "out"
    code, _, err = cli("--all", "--data", str(data), "--out", str(out))
    assert code == 0 and "2 written" in err, err  # redirect lines are not articles
    assert "Bakers earn $12,000" in (out / "baker-vs-cook.md").read_text()
    assert "(baker-vs-cook.pay.svg)" in (out / "baker-vs-cook.md").read_text()
    assert (out / "baker-vs-cook.pay.svg").read_text().startswith("<svg")
    assert "have different pay scales" in (out / "seed-one.md").read_text()
    assert not (out / "seed-one.pay.svg").exists()
    lines = [json.loads(line) for line in (out / "index.jsonl").read_text().splitlines()]
    assert {"redirect": "old-baker-vs-cook", "to": "baker-vs-cook"} in lines
    entry = next(line for line in lines if line.get("id") == "baker-vs-cook")
    assert [f["format"] for f in entry["files"]] == ["md", "svg"]
    # unchanged: everything skipped, redirects written again; a style change re-renders
    code, _, err = cli("--all", "--data", str(data), "--out", str(out))
    assert "0 written, 2 unchanged" in err
    assert (out / "index.jsonl").read_text().count('"redirect"') == 1
    code, _, err = cli("--all", "--data", str(data), "--out", str(out), "--style", "seed")
    assert "2 written" in err
    assert "have different pay scales" in (out / "baker-vs-cook.md").read_text()


def test_narrator_json_is_not_a_record(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "narrator.json").write_text('{"style": "seed"}')
    (tmp_path / "d" / "r.json").write_text(json.dumps(RECORD))
    code, _, err = cli("--all", "--data", str(tmp_path / "d"), "--out", str(tmp_path / "o"))
    assert code == 0 and "1 written" in err


def test_check_covers_every_style(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    style = tmp_path / "house" / "comparison"
    style.mkdir(parents=True)
    (style / "intro.md.j2").write_text(
        '{% extends "narrator/comparison/intro.md.j2" %}\n'
        "{% block pay %}{{ super() }} {{ gap.diff if gap else '' }}{{ a.salry }}{% endblock %}\n")
    monkeypatch.setitem(dataset.STYLES, "house", (tmp_path / "house",))
    problems = check.check(ROOT / "data" / "records")
    assert problems == [f"{style / 'intro.md.j2'}:2: 'a' has no value 'salry' "
                        f"(did you mean 'salary'?)"]
    monkeypatch.delitem(dataset.STYLES, "house")
    assert check.check(ROOT / "data" / "records") == []
