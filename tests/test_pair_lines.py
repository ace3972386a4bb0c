"""Pair lines and job lines that can only be wrong (issue 26, item 6): a pair of a job with
itself, a key no pair line has, a job id on two lines. Each is one line naming the file, the
record and the field; the other pairs render."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import cli, profile_set


def _set(tmp_path: Path) -> tuple[Path, list[dict], list[str]]:
    folder = profile_set(tmp_path / "bls", jobs=4)
    pairs = [json.loads(line) for line in (folder / "pairs.jsonl").read_text().splitlines()]
    jobs = (folder / "jobs.jsonl").read_text().splitlines()
    return folder, pairs, jobs


def _write(folder: Path, pairs: list[dict]) -> None:
    (folder / "pairs.jsonl").write_text("".join(json.dumps(p) + "\n" for p in pairs))


@pytest.mark.parametrize(("change", "message"), [
    (lambda p: p.update(b=p["a"]), "compares job '{a}' with itself"),
    (lambda p: p.update(scroe=0.5), "unknown key 'scroe' (a pair line has a, aliases, b, id, "
                                    "score)"),
])
def test_a_bad_pair_line_is_one_line(tmp_path: Path, change, message: str) -> None:
    folder, pairs, _ = _set(tmp_path)
    bad = pairs[0]
    change(bad)
    _write(folder, pairs)
    code, _, err = cli("--all", "--data", folder, "--out", tmp_path / "out")
    lines = err.splitlines()
    assert code == 1 and "Traceback" not in err
    assert any(bad["id"] in line and message.format(a=bad["a"]) in line for line in lines), err
    assert lines[-1].startswith(f"narrate: {len(pairs) - 1} written")


def test_a_job_id_on_two_lines_is_an_error_naming_both(tmp_path: Path) -> None:
    folder, pairs, jobs = _set(tmp_path)
    twin = json.loads(jobs[1])
    twin["salary"] = 1
    (folder / "jobs.jsonl").write_text("\n".join([*jobs, json.dumps(twin)]) + "\n")
    code, _, err = cli("--all", "--data", folder, "--out", tmp_path / "out")
    assert code == 1 and "Traceback" not in err
    assert f"job id '{twin['id']}' is on line 2 and line 5" in err
    using = [p["id"] for p in pairs if twin["id"] in (p["a"], p["b"])]
    assert using and all(
        any(pid in line and "is on more than one line of jobs.jsonl" in line
            for line in err.splitlines()) for pid in using)
    assert not any("$1 " in p.read_text() for p in (tmp_path / "out").glob("*.md"))


def test_yaml_merge_keys_work_and_a_key_of_the_mapping_overrides(tmp_path: Path) -> None:
    path = tmp_path / "merge.yaml"
    path.write_text("id: m-vs-n\n"
                    "a: &pay {id: m, title: mason, salary: 50000, hourly_rate: 24}\n"
                    "b:\n  <<: *pay\n  id: n\n  title: nurse\n  salary: 60000\n")
    code, out, err = cli(path)
    assert code == 0, err
    assert out.startswith("# Mason vs nurse\n") and "$60,000" in out and "$50,000" in out
    path.write_text("id: m-vs-n\na: {id: m, title: mason, id: again}\nb: {id: n, title: x}\n")
    code, _, err = cli(path)
    assert code == 1 and "the key 'id' is given twice in one mapping" in err
