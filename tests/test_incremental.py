"""The incremental key: each input that shapes an article, changed alone, re-renders exactly the
articles it shapes, and nothing else (a copy edit that left stale pages would go unnoticed)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from narrator import batch
from narrator.batch import Options, narrate_all

from .conftest import ROOT, small_data_set

BLS = ROOT / "data" / "bls"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """Three standalone records, and a profile set of four real BLS jobs (six pairs) in the
    editorial style."""
    d = small_data_set(tmp_path, records=3, jobs=4)
    shutil.copy(BLS / "narrator.json", d / "bls")
    return d


def keys(out: Path) -> dict[str, str]:
    return {e["id"]: e["key"] for e in map(json.loads, (out / "index.jsonl").read_text().splitlines())
            if "id" in e}


def job_ids(data: Path) -> list[str]:
    return [json.loads(line)["id"] for line in (data / "bls" / "jobs.jsonl").read_text().splitlines()]


def pairs_with(data: Path, job: str) -> set[str]:
    return {p["id"] for p in map(json.loads, (data / "bls" / "pairs.jsonl").read_text().splitlines())
            if job in (p["a"], p["b"])}


def records(data: Path) -> list[Path]:
    return sorted((data / "records").glob("*.json"))


def edit_record(data: Path, opts: Options, mp: pytest.MonkeyPatch) -> tuple[Options, set[str]]:
    path = records(data)[1]
    raw = json.loads(path.read_text())
    raw["a"]["description"] = raw["a"].get("description", "") + " It changed."
    path.write_text(json.dumps(raw))
    return opts, {raw["id"]}


def edit_job(data: Path, opts: Options, mp: pytest.MonkeyPatch) -> tuple[Options, set[str]]:
    jobs = data / "bls" / "jobs.jsonl"
    lines = jobs.read_text().splitlines()
    job = json.loads(lines[2])
    job["salary"] = job["salary"] + 1000
    lines[2] = json.dumps(job)
    jobs.write_text("\n".join(lines) + "\n")
    return opts, pairs_with(data, job["id"])


def edit_pair(data: Path, opts: Options, mp: pytest.MonkeyPatch) -> tuple[Options, set[str]]:
    pairs = data / "bls" / "pairs.jsonl"
    lines = pairs.read_text().splitlines()
    pair = json.loads(lines[4])
    lines[4] = json.dumps({**pair, "aliases": ["an-old-name"]})
    pairs.write_text("\n".join(lines) + "\n")
    return opts, {pair["id"]}


def edit_dataset(data: Path, opts: Options, mp: pytest.MonkeyPatch) -> tuple[Options, set[str]]:
    config = data / "bls" / "narrator.json"
    raw = json.loads(config.read_text())
    raw["source"] = [line.replace("BLS", "The BLS", 1) for line in raw["source"]]
    config.write_text(json.dumps(raw))
    return opts, {rid for job in job_ids(data) for rid in pairs_with(data, job)}  # the set's


def edit_override(data: Path, opts: Options, mp: pytest.MonkeyPatch) -> tuple[Options, set[str]]:
    [tpl] = opts.template_dirs
    path = tpl / "comparison" / "title.txt.j2"
    path.write_text(path.read_text().replace(" vs ", " or "))
    return opts, ALL


def edit_builtin(data: Path, opts: Options, mp: pytest.MonkeyPatch) -> tuple[Options, set[str]]:
    copy = data.parent / "builtin"
    shutil.copytree(batch.BUILTIN_TEMPLATES, copy)
    (copy / "comparison" / "source.md.j2").write_text(
        (copy / "comparison" / "source.md.j2").read_text() + "\n")
    mp.setattr(batch, "BUILTIN_TEMPLATES", copy)
    return opts, ALL


def edit_code(data: Path, opts: Options, mp: pytest.MonkeyPatch) -> tuple[Options, set[str]]:
    copy = data.parent / "code"
    shutil.copytree(batch._HERE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "facts.py").write_text((copy / "facts.py").read_text() + "\n# an edit\n")
    mp.setattr(batch, "_HERE", copy)
    return opts, ALL


def upgrade_babel(data: Path, opts: Options, mp: pytest.MonkeyPatch) -> tuple[Options, set[str]]:
    real = batch.metadata.version
    mp.setattr(batch.metadata, "version", lambda name: "99.0" if name == "babel" else real(name))
    return opts, ALL


def change(**kw: object) -> Callable[..., tuple[Options, set[str]]]:
    def apply(data: Path, opts: Options, mp: pytest.MonkeyPatch) -> tuple[Options, set[str]]:
        return Options(**{**opts.__dict__, **kw}), ALL
    return apply


ALL = {"*"}  # every article


@pytest.mark.parametrize("edit", [
    lambda data, opts, mp: (opts, set()),
    edit_record, edit_job, edit_pair, edit_dataset, edit_override, edit_builtin, edit_code,
    upgrade_babel, change(locale="en_GB"), change(formats=("md", "json")), change(style="seed"),
], ids=["nothing", "a record", "a job", "a pair line", "the data set's narrator.json",
        "an override's text", "a built-in template", "narrator's code", "a library version",
        "the locale", "the formats", "the style"])
def test_exactly_the_articles_an_input_shapes_are_rendered_again(data, tmp_path, monkeypatch,
                                                                 edit) -> None:
    tpl = tmp_path / "t" / "comparison"
    tpl.mkdir(parents=True)
    (tpl / "title.txt.j2").write_text("{{ a.title }} vs {{ b.title }}")
    opts = Options(out=tmp_path / "out", template_dirs=(tpl.parent,))
    first = narrate_all(data, opts, jobs=1)
    assert (first.written, first.failed) == (9, 0), first.errors
    before = keys(opts.out)
    opts, expected = edit(data, opts, monkeypatch)
    expected = set(before) if expected == ALL else expected
    assert expected <= set(before)
    again = narrate_all(data, opts, jobs=1)
    after = keys(opts.out)
    changed = {rid for rid in after if after[rid] != before[rid]}
    assert changed == expected
    assert (again.written, again.skipped, again.failed) == (len(expected), 9 - len(expected), 0)
