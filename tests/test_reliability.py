"""Small reliability fixes from issue 13, each with the input that used to go wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from narrator import check
from narrator.cli import MAX_JOBS, main
from narrator.records import read_raw
from narrator.sources import read_ids

from .conftest import ROOT

RECORD = {"id": "baker-vs-cook", "a": {"id": "baker", "title": "baker"},
          "b": {"id": "cook", "title": "cook"}}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stderr


def test_jsonl_keeps_unicode_line_separators_inside_a_line(tmp_path: Path) -> None:
    rec = {**RECORD, "a": {"id": "baker", "title": "baker", "description": "One\u2028two\x85three"}}
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    assert "\u2028" in path.read_text(encoding="utf-8")
    [(where, raw)] = list(read_raw(path))
    assert where == "line 1" and raw["a"]["description"] == "One\u2028two\x85three"


def test_only_file_with_a_bom_matches_its_first_id(tmp_path: Path) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_bytes("\ufeffbaker-vs-cook\n# comment\nother\n".encode())
    assert read_ids(ids) == {"baker-vs-cook", "other"}


def test_a_format_given_twice_is_written_once(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "r.json").write_text(json.dumps(RECORD))
    code, err = run("--all", "--data", str(tmp_path / "d"), "--out", str(tmp_path / "o"),
                    "-f", "md", "-f", "md", "-f", "txt")
    assert code == 0, err
    [entry] = [json.loads(line) for line in (tmp_path / "o" / "index.jsonl").read_text().splitlines()]
    assert [f["format"] for f in entry["files"]] == ["md", "txt"]


def test_jobs_has_an_upper_bound() -> None:
    code, err = run("--all", "--jobs", str(MAX_JOBS + 1))
    assert code == 2 and f"{MAX_JOBS + 1} is not in the range 1<=x<={MAX_JOBS}" in err


def test_check_reports_a_bom_and_a_latin1_template_and_knows_jinjas_names(tmp_path: Path) -> None:
    (tmp_path / "comparison").mkdir()
    (tmp_path / "comparison" / "pay.md.j2").write_bytes(
        "\ufeff{% extends 'narrator/comparison/pay.md.j2' %}".encode())
    (tmp_path / "comparison" / "intro.md.j2").write_bytes("Caf\xe9 {{ a.title }}".encode("latin-1"))
    (tmp_path / "comparison" / "meta.txt.j2").write_text(
        "{% extends 'narrator/comparison/meta.txt.j2' %}{% block x %}{{ super() }}"
        "{% for s in a.skills %}{{ loop.index }}{% endfor %}{% endblock %}"
        "{% macro m() %}{{ caller() if caller else '' }}{{ varargs }}{{ kwargs }}{% endmacro %}")
    problems = check.check(ROOT / "data" / "records", template_dirs=[tmp_path])
    assert problems == [
        f"{tmp_path / 'comparison' / 'intro.md.j2'}:1: not UTF-8 (byte 3); save the template as UTF-8",
        f"{tmp_path / 'comparison' / 'pay.md.j2'}:1: starts with a UTF-8 byte order mark; "
        f"save it without one",
    ]


def test_a_rerun_deletes_only_its_own_temporary_files(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "r.json").write_text(json.dumps(RECORD))
    out = tmp_path / "o"
    out.mkdir()
    ours = [".baker-vs-cook.md.k3j_9xq2.tmp", ".index.jsonl.tmp", ".a.pay.svg.abcdefgh.tmp"]
    theirs = [".notes.tmp", ".x.md.tmp", ".backup.md.TOOLONG99.tmp"]
    for name in ours + theirs:
        (out / name).write_text("x")
    (out / ".dir.md.abcdefgh.tmp").mkdir()  # a folder named like ours is not ours
    code, err = run("--all", "--data", str(tmp_path / "d"), "--out", str(out))
    assert code == 0, err
    left = {p.name for p in out.iterdir() if p.name.startswith(".")}
    assert left == {*theirs, ".dir.md.abcdefgh.tmp"}


def _slow_run(tmp_path: Path) -> "subprocess.Popen[bytes]":
    """`narrate --all` over 8 records whose override template loops a few tenths of a second each:
    a run that is surely under way in its workers when the test acts on it."""
    import subprocess
    import sys
    import time

    data, tpl = tmp_path / "d", tmp_path / "t" / "comparison"
    data.mkdir()
    tpl.mkdir(parents=True)
    for i in range(8):
        (data / f"r{i}.json").write_text(json.dumps({**RECORD, "id": f"r{i}"}))
    (tpl / "title.txt.j2").write_text(
        # nested: the sandbox refuses one range over 100,000
        "{% for i in range(1000) %}{% for j in range(300) %}{% endfor %}{% endfor %}"
        "{{ a.title }} vs {{ b.title }}")
    proc = subprocess.Popen([sys.executable, "-m", "narrator.cli", "--all", "--data", str(data),
                             "--out", str(tmp_path / "o"), "-t", str(tpl.parent), "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # wait until both workers run and have written
        if len(children.read_text().split()) >= 2 and any((tmp_path / "o").glob("*.md")):
            return proc
        time.sleep(0.05)
    raise AssertionError("the workers never started")


def test_workers_die_with_a_killed_main_process(tmp_path: Path) -> None:
    import os
    import signal
    import time

    proc = _slow_run(tmp_path)
    workers = [int(p) for p in
               Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    alive = workers
    while alive and time.monotonic() < deadline:
        alive = [w for w in workers if Path(f"/proc/{w}").exists()
                 and "Z" not in Path(f"/proc/{w}/stat").read_text().split()[2]]
        time.sleep(0.05)
    assert alive == []
    # the caller's pipe is closed once the workers are gone: `narrate --all | cat` ends
    assert proc.stdout is not None and proc.stdout.read() == b""


def test_sigterm_ends_a_run_like_ctrl_c(tmp_path: Path) -> None:
    import signal

    proc = _slow_run(tmp_path)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert b"interrupted:" in err and b"Traceback" not in err


@pytest.mark.parametrize(("name", "text", "message"), [
    ("r.json", '{"id": "x", "id": "y", "a": {}, "b": {}}',
     "r.json: malformed JSON: the key 'id' is given twice in one object"),
    ("r.jsonl", '{"id": "x", "a": {"id": "a", "title": "t"}, "b": {"id": "b", "title": "t"}}\n'
                '{"id": "y", "a": {"id": "a", "title": "t", "title": "u"}, "b": {}}\n',
     "r.jsonl: malformed JSON at line 2: the key 'title' is given twice in one object"),
    ("r.yaml", "id: x\na:\n  id: a\n  salary: 1\n  salary: 2\nb: {id: b, title: t}\n",
     "r.yaml: malformed YAML at line 5, column 3: the key 'salary' is given twice in one mapping"),
])
def test_a_key_given_twice_is_reported(tmp_path: Path, name: str, text: str, message: str) -> None:
    (tmp_path / name).write_text(text)
    code, err = run(str(tmp_path / name), "--record", "y") if name.endswith("l") else run(
        str(tmp_path / name))
    assert code == 1 and message in err and len(err.splitlines()) == 1, err


def _profile_set(tmp_path: Path) -> Path:
    """Four real BLS jobs and their six pairs, two of them with old ids (aliases)."""
    d = tmp_path / "data"
    d.mkdir()
    jobs = (ROOT / "data" / "bls" / "jobs.jsonl").read_text(encoding="utf-8").splitlines()[:4]
    ids = [json.loads(j)["id"] for j in jobs]
    pairs = [{"id": f"{a}-vs-{b}", "a": a, "b": b} for i, a in enumerate(ids) for b in ids[i + 1:]]
    pairs[0]["aliases"] = ["old-name-one"]
    pairs[3]["aliases"] = ["old-name-two", "old-name-three"]
    (d / "jobs.jsonl").write_text("\n".join(jobs) + "\n", encoding="utf-8")
    (d / "pairs.jsonl").write_text("".join(json.dumps(p) + "\n" for p in pairs), encoding="utf-8")
    return d


def _tree(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


def test_an_unchanged_rerun_keeps_the_index_redirects_included(tmp_path: Path) -> None:
    data, out = _profile_set(tmp_path), tmp_path / "out"
    assert run("--all", "--data", str(data), "--out", str(out), "-f", "md", "-f", "json")[0] == 0
    first = _tree(out)
    assert sum('"redirect"' in line for line in first["index.jsonl"].decode().splitlines()) == 3
    code, err = run("--all", "--data", str(data), "--out", str(out), "-f", "md", "-f", "json")
    assert code == 0 and "0 written, 6 unchanged" in err
    assert _tree(out) == first


@pytest.mark.parametrize("damage", [
    "garbage",          # not JSON at all
    "not an object",    # JSON, not an entry
    "no key",           # an entry without its input key
    "path escapes",     # a file outside --out
    "path in subdir",   # a file path that is not a plain name
    "files not a list",
    "other id",         # the line names one id, its JSON another
])
def test_a_damaged_old_index_line_means_render_again(tmp_path: Path, damage: str) -> None:
    """An index is narrator's own file but lives beside the articles where anyone can edit
    it: a line that is not what narrator writes is never trusted, only re-rendered."""
    data, out = _profile_set(tmp_path), tmp_path / "out"
    assert run("--all", "--data", str(data), "--out", str(out), "-f", "md")[0] == 0
    first = _tree(out)
    index = out / "index.jsonl"
    lines = index.read_text(encoding="utf-8").splitlines()
    entry = json.loads(lines[0])
    (tmp_path / "outside.md").write_text("not narrator's")
    if damage == "garbage":
        lines[0] = '{"id": "' + entry["id"] + '", nonsense'
    elif damage == "not an object":
        lines[0] = json.dumps([entry["id"]])
    elif damage == "no key":
        del entry["key"]
        lines[0] = json.dumps(entry)
    elif damage == "path escapes":
        entry["files"][0]["path"] = "../outside.md"
        lines[0] = json.dumps(entry)
    elif damage == "path in subdir":
        entry["files"][0]["path"] = "sub/" + entry["files"][0]["path"]
        lines[0] = json.dumps(entry)
    elif damage == "files not a list":
        entry["files"] = "all of them"
        lines[0] = json.dumps(entry)
    elif damage == "other id":
        lines[0] = lines[0].replace(f'"slug": "{entry["id"]}"', f'"slug": "{entry["id"]}", "id": "x"')
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, err = run("--all", "--data", str(data), "--out", str(out), "-f", "md")
    assert code == 0, err
    assert "Traceback" not in err
    assert "1 written, 5 unchanged" in err
    assert _tree(out) == first
    assert (tmp_path / "outside.md").read_text() == "not narrator's"


@pytest.mark.parametrize("replace", ["edited", "truncated", "symlink", "fifo", "directory"])
def test_an_article_changed_on_disk_is_written_again(tmp_path: Path, replace: str) -> None:
    """A rerun skips an article only when its file is byte for byte what the index says."""
    import os

    data, out = _profile_set(tmp_path), tmp_path / "out"
    assert run("--all", "--data", str(data), "--out", str(out), "-f", "md")[0] == 0
    first = _tree(out)
    victim = out / sorted(n for n in first if n.endswith(".md"))[0]
    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_text("someone else's file")
    if replace == "edited":
        victim.write_bytes(victim.read_bytes().replace(b"# ", b"# Our ", 1))
        assert victim.read_bytes() != first[victim.name]
    elif replace == "truncated":
        victim.write_bytes(victim.read_bytes()[:10])
    elif replace == "symlink":
        victim.unlink()
        victim.symlink_to(elsewhere)
    elif replace == "fifo":
        victim.unlink()
        os.mkfifo(victim)
    else:
        victim.unlink()
        victim.mkdir()
    code, err = run("--all", "--data", str(data), "--out", str(out), "-f", "md")
    if replace == "directory":  # a directory can't be renamed over: that one item fails
        assert code == 1 and victim.name in err and "Traceback" not in err
        return
    assert code == 0, err
    assert "1 written, 5 unchanged" in err
    assert _tree(out) == first
    assert victim.is_file() and not victim.is_symlink()
    assert elsewhere.read_text() == "someone else's file"
