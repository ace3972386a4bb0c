"""No FIFO, device or link blocks or leaks through a command (issue 26, items 3 and 5): what
narrator reads must be a regular file, and an override template must be one inside its folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, copy_records

NARRATE = Path(sys.executable).parent / "narrate"


def run(*args: object, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([str(NARRATE), *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def fifo(path: Path) -> Path:
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    return path


def test_a_fifo_as_a_data_sets_settings(tmp_path: Path) -> None:
    data = copy_records(tmp_path / "data", 1)
    fifo(data / "narrator.json")
    done = run("--all", "--data", data, "--out", tmp_path / "out")
    assert done.returncode != 0 and "not a regular file (a FIFO)" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("command", [["check"], ["variants"], ["render"]])
def test_a_fifo_as_an_override_template(tmp_path: Path, command: list[str]) -> None:
    tpl = tmp_path / "tpl" / "comparison"
    tpl.mkdir(parents=True)
    fifo(tpl / "intro.md.j2")
    args = {"check": ["check", "--data", ROOT / "data" / "records", "-t", tmp_path / "tpl"],
            "variants": ["variants", "-t", tmp_path / "tpl"],
            "render": [ROOT / "data" / "records" / "field-service-technician-vs-repair-"
                       "technician.json", "-t", tmp_path / "tpl"]}[command[0]]
    done = run(*args)  # never blocked on the FIFO (the timeout would say so)
    assert "Traceback" not in done.stderr
    if command == ["variants"]:  # it lists the templates' slots: the FIFO is not a template
        assert done.returncode == 0 and "slots" in done.stdout
        return
    assert done.returncode != 0
    assert "intro.md.j2" in done.stderr and "not a regular file" in done.stderr, done.stderr


def test_a_link_out_of_the_template_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    tpl = tmp_path / "tpl" / "comparison"
    tpl.mkdir(parents=True)
    (tpl / "intro.md.j2").symlink_to(secret)
    done = run(ROOT / "data" / "records" / "field-service-technician-vs-repair-technician.json",
               "-t", tmp_path / "tpl")
    assert done.returncode != 0 and "TOP SECRET" not in done.stdout
    assert "a link that leaves the template folder" in done.stderr, done.stderr
    inside = tmp_path / "tpl" / "shared.md.j2"  # a link to a file inside the folder is fine
    inside.write_text('{% extends "narrator/comparison/intro.md.j2" %}\n')
    (tpl / "intro.md.j2").unlink()
    (tpl / "intro.md.j2").symlink_to(inside)
    ok = run(ROOT / "data" / "records" / "field-service-technician-vs-repair-technician.json",
             "-t", tmp_path / "tpl")
    assert ok.returncode == 0, ok.stderr


def test_a_fifo_as_a_page_or_an_index(tmp_path: Path) -> None:
    data, out = copy_records(tmp_path / "data", 2), tmp_path / "out"
    assert run("--all", "--data", data, "--out", out).returncode == 0
    page = sorted(out.glob("*.md"))[0]
    fifo(page)
    done = run("report", out)
    assert done.returncode == 1 and "not a regular file (a FIFO)" in done.stderr, done.stderr
    fifo(out / "index.jsonl")
    for args in (["variants", out], ["report", out],
                 ["publish", "wordpress", "--out", out, "--url", "http://127.0.0.1:9",
                  "--user", "u", "--dry-run"]):
        done = subprocess.run([str(NARRATE), *map(str, args)], capture_output=True, text=True,
                              timeout=60, env={**os.environ, "NARRATOR_WP_APP_PASSWORD": "x"})
        assert done.returncode != 0 and "Traceback" not in done.stderr, (args, done.stderr)
        assert "not a regular file (a FIFO)" in done.stderr, (args, done.stderr)


def test_a_fifo_as_a_jsonl_record_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    fifo(data / "records.jsonl")
    (data / "one.json").write_text(json.dumps(json.loads(
        (ROOT / "data" / "records" / "field-service-technician-vs-repair-technician.json")
        .read_text())))
    done = run("--all", "--data", data, "--out", tmp_path / "out")  # passed over, not read
    assert done.returncode == 0 and "1 written" in done.stderr, done.stderr


@pytest.mark.parametrize("line", [
    '{"id": "x", "variants": [1, 2]}', '{"id": "x", "variants": {"pay_gap": "two"}}',
    '{"id": "x", "variants": {"1": 1}}', '[1, 2]', '"text"', '{"id": "x", "variants": null}',
    '{"id": "x", "variants": {"pay_gap": 99}}', "not json"])
def test_variants_reads_a_damaged_index_without_a_traceback(tmp_path: Path, line: str) -> None:
    (tmp_path / "index.jsonl").write_text(line + "\n")
    done = run("variants", tmp_path)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
