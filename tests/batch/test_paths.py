"""A record id names its output files: it can never write outside --out or collide."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narrator.batch.runner import Options, narrate_all
from tests.conftest import ROOT

SEED = json.loads((ROOT / "data" / "records"
                   / "lead-technician-vs-software-support-technician.json")
                  .read_text(encoding="utf-8"))


def run_with_id(tmp_path: Path, rid: str):
    data = tmp_path / "data"
    data.mkdir()
    (data / "r.json").write_text(json.dumps({**SEED, "id": rid}), encoding="utf-8")
    out = tmp_path / "out"
    return narrate_all(data, Options(out=out), jobs=1), out


BAD_IDS = ["../escape", "/etc/passwd", "a/b", "a\\b", "a\x00b", "x" * 201, ".", "..", "",
           "con", "CON", "nul", "com1", "lpt9", "con.anything", "Mixed-Case", "trailing-",
           "-leading", "double--dash", "space here", "é", "a..b", "~home"]


@pytest.mark.parametrize("rid", BAD_IDS, ids=[repr(i)[:30] for i in BAD_IDS])
def test_unsafe_id_is_an_error_naming_the_field(tmp_path, rid):
    summary, out = run_with_id(tmp_path, rid)
    assert summary.failed == 1 and summary.written == 0
    assert ": id: " in summary.errors[0]
    assert sorted(p.name for p in out.iterdir()) == ["index.jsonl"]
    assert not (tmp_path / "escape.md").exists()


@pytest.mark.parametrize("rid", ["con-artist", "a.b", "x" * 200, "0", "a_b-c.d"])
def test_safe_ids_write_inside_out(tmp_path, rid):
    summary, out = run_with_id(tmp_path, rid)
    assert summary.written == 1 and (out / f"{rid}.md").is_file()


def test_pair_ids_are_checked_too(tmp_path):
    data = tmp_path / "data" / "set"
    data.mkdir(parents=True)
    jobs = [{"id": "x", "title": "x"}, {"id": "y", "title": "y"}]
    (data / "jobs.jsonl").write_text("".join(json.dumps(j) + "\n" for j in jobs))
    (data / "pairs.jsonl").write_text(json.dumps({"id": "../../x", "a": "x", "b": "y"}) + "\n"
                                      + json.dumps({"id": "aux", "a": "x", "b": "y"}) + "\n")
    summary = narrate_all(tmp_path / "data", Options(out=tmp_path / "out"), jobs=1)
    assert summary.failed == 2 and all(": id: " in e for e in summary.errors)
