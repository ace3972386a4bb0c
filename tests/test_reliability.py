"""Small reliability fixes from issue 13, each with the input that used to go wrong."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from narrator.cli import MAX_JOBS, main
from narrator.records import read_raw
from narrator.review import check
from narrator.sources import read_ids
from tests.conftest import ROOT, copy_records, profile_set, tree

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
    [entry] = [json.loads(line)
               for line in (tmp_path / "o" / "index.jsonl").read_text().splitlines()]
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
        f"{tmp_path / 'comparison' / 'intro.md.j2'}:1: not UTF-8 (byte 3); "
        f"save the template as UTF-8",
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


def _held_run(tmp_path: Path) -> subprocess.Popen[bytes]:
    """`narrate --all` over 400 records, held at a known point: once both workers run and one
    article is written, the run's whole process group is stopped (SIGSTOP), so it is under way
    in its workers for as long as the test needs; ``_release`` lets it go on. (Polling a
    window of a run that may end first made these tests fail 2 runs in 3.) The override
    template loops a little per article, so the 400 cannot all be written between the check
    and the stop."""
    import subprocess
    import sys
    import time

    data, tpl = tmp_path / "d", tmp_path / "t" / "comparison"
    data.mkdir()
    tpl.mkdir(parents=True)
    (data / "r.jsonl").write_text("".join(json.dumps({**RECORD, "id": f"r{i}"}) + "\n"
                                          for i in range(400)))
    (tpl / "title.txt.j2").write_text(
        # nested: the sandbox refuses one range over 100,000
        "{% for i in range(1000) %}{% for j in range(300) %}{% endfor %}{% endfor %}"
        "{{ a.title }} vs {{ b.title }}")
    proc = subprocess.Popen([sys.executable, "-m", "narrator.cli", "--all", "--data", str(data),
                             "--out", str(tmp_path / "o"), "-t", str(tpl.parent), "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)  # its own group: stopped and let go whole
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until both workers run and have written
        if len(children.read_text().split()) >= 2 and any((tmp_path / "o").glob("*.md")):
            os.killpg(proc.pid, signal.SIGSTOP)
            written = len(list((tmp_path / "o").glob("*.md")))
            assert written < 400, "the run ended before it was held"
            return proc
        time.sleep(0.02)
    proc.kill()
    raise AssertionError("the workers never started")


def _release(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGCONT)


def test_workers_die_with_a_killed_main_process(tmp_path: Path) -> None:
    import os
    import signal
    import time

    proc = _held_run(tmp_path)
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

    proc = _held_run(tmp_path)
    proc.send_signal(signal.SIGTERM)  # pending until the run goes on
    _release(proc)
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
    d = profile_set(tmp_path / "data", jobs=4)
    pairs = [json.loads(line)
             for line in (d / "pairs.jsonl").read_text(encoding="utf-8").splitlines()]
    pairs[0]["aliases"] = ["old-name-one"]
    pairs[3]["aliases"] = ["old-name-two", "old-name-three"]
    (d / "pairs.jsonl").write_text("".join(json.dumps(p) + "\n" for p in pairs), encoding="utf-8")
    return d


def test_an_unchanged_rerun_keeps_the_index_redirects_included(tmp_path: Path) -> None:
    data, out = _profile_set(tmp_path), tmp_path / "out"
    assert run("--all", "--data", str(data), "--out", str(out), "-f", "md", "-f", "json")[0] == 0
    first = tree(out)
    assert sum('"redirect"' in line for line in first["index.jsonl"].decode().splitlines()) == 3
    code, err = run("--all", "--data", str(data), "--out", str(out), "-f", "md", "-f", "json")
    assert code == 0 and "0 written, 6 unchanged" in err
    assert tree(out) == first


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
    first = tree(out)
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
        lines[0] = lines[0].replace(f'"slug": "{entry["id"]}"',
                                    f'"slug": "{entry["id"]}", "id": "x"')
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, err = run("--all", "--data", str(data), "--out", str(out), "-f", "md")
    assert code == 0, err
    assert "Traceback" not in err
    assert "1 written, 5 unchanged" in err
    assert tree(out) == first
    assert (tmp_path / "outside.md").read_text() == "not narrator's"


@pytest.mark.parametrize("replace", ["edited", "truncated", "symlink", "fifo", "directory"])
def test_an_article_changed_on_disk_is_written_again(tmp_path: Path, replace: str) -> None:
    """A rerun skips an article only when its file is byte for byte what the index says."""
    import os

    data, out = _profile_set(tmp_path), tmp_path / "out"
    assert run("--all", "--data", str(data), "--out", str(out), "-f", "md")[0] == 0
    first = tree(out)
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
    assert tree(out) == first
    assert victim.is_file() and not victim.is_symlink()
    assert elsewhere.read_text() == "someone else's file"


# --- round two: the lock, whole-index damage, --only, special files, streams, check, limits ---


def _records(tmp_path: Path, n: int = 3) -> Path:
    data = tmp_path / "d"
    data.mkdir(parents=True)
    for i in range(n):
        (data / f"r{i}.json").write_text(json.dumps({**RECORD, "id": f"r{i}"}))
    return data


def test_a_second_run_into_the_same_folder_is_refused_until_the_first_ends(tmp_path: Path) -> None:
    import os
    import signal
    import time

    proc = _held_run(tmp_path)  # holds tmp_path/"o"
    code, err = run("--all", "--data", str(_records(tmp_path / "x")), "--out", str(tmp_path / "o"))
    assert code == 1
    assert err == (f"narrate: error: {tmp_path / 'o'}: another narrate run is writing into this "
                   f"directory; wait for it to end, or choose another --out\n")
    os.kill(proc.pid, signal.SIGKILL)  # a crashed run: its lock must not outlive it
    proc.wait()
    data, deadline = _records(tmp_path / "y"), time.monotonic() + 10
    while True:  # the workers die with it (they share the lock's open folder)
        code, err = run("--all", "--data", str(data), "--out", str(tmp_path / "o"))
        if code == 0 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert code == 0, err


def test_the_lock_is_per_folder_and_leaves_no_file(tmp_path: Path) -> None:
    import os

    from narrator.batch.outdir import lock_out
    from narrator.errors import NarratorError

    fd = lock_out(tmp_path / "a")
    try:
        with pytest.raises(NarratorError, match="another narrate run"):
            lock_out(tmp_path / "a")
        os.close(lock_out(tmp_path / "b"))  # another folder: free
    finally:
        os.close(fd)
    os.close(lock_out(tmp_path / "a"))  # released with its descriptor
    assert list((tmp_path / "a").iterdir()) == []


@pytest.mark.parametrize("damage", ["random bytes", "cut inside a character", "no key",
                                    "files is 5", "prev is a folder", "index is a symlink"])
def test_a_damaged_old_index_file_means_render_again_with_one_warning(tmp_path: Path,
                                                                       damage: str) -> None:
    data, out = _profile_set(tmp_path), tmp_path / "out"
    assert run("--all", "--data", str(data), "--out", str(out), "-f", "md")[0] == 0
    first = tree(out)
    index = out / "index.jsonl"
    text = index.read_bytes()
    (tmp_path / "elsewhere").write_bytes(text)
    if damage == "random bytes":
        index.write_bytes(bytes(range(256)) * 8)
    elif damage == "cut inside a character":
        index.write_bytes(text[:text.index(b"\n") // 2] + "é".encode()[:1])
    elif damage == "no key":
        index.write_bytes(text.replace(b'"key"', b'"kee"'))
    elif damage == "files is 5":
        index.write_text("".join(json.dumps({**json.loads(line), "files": 5}) + "\n"
                                 for line in text.decode().splitlines()
                                 if '"redirect"' not in line))
    elif damage == "prev is a folder":
        (out / ".index.jsonl.prev").mkdir()
    else:
        index.unlink()
        index.symlink_to(tmp_path / "elsewhere")
    for attempt in range(2):  # the next run renders all; the one after trusts its own index
        code, err = run("--all", "--data", str(data), "--out", str(out), "-f", "md")
        assert code == 0 and "Traceback" not in err, err
        warnings = [line for line in err.splitlines() if line.startswith("narrate: warning:")]
        if attempt == 0 or damage == "prev is a folder":  # that folder is the user's: left
            assert len(warnings) == 1 and "6 written, 0 unchanged" in err, err
        else:
            assert warnings == [] and "0 written, 6 unchanged" in err, err
        assert {k: v for k, v in tree(out).items() if k != "index.jsonl"} == \
            {k: v for k, v in first.items() if k != "index.jsonl"}
        assert (out / "index.jsonl").read_bytes() == first["index.jsonl"]
    assert (tmp_path / "elsewhere").read_bytes() == text


def test_an_only_run_keeps_the_other_articles_listed(tmp_path: Path) -> None:
    data, out = _profile_set(tmp_path), tmp_path / "out"
    assert run("--all", "--data", str(data), "--out", str(out), "-f", "md")[0] == 0
    first = (out / "index.jsonl").read_text().splitlines()
    ids = [json.loads(line)["id"] for line in first if '"redirect"' not in line]
    (tmp_path / "only.txt").write_text(ids[3] + "\n")
    tpl = tmp_path / "t" / "comparison"
    tpl.mkdir(parents=True)
    (tpl / "title.txt.j2").write_text("{{ a.title }} or {{ b.title }}")
    code, err = run("--all", "--data", str(data), "--out", str(out), "-f", "md", "--only",
                    str(tmp_path / "only.txt"), "-t", str(tpl.parent))
    assert code == 0 and "1 written, 0 unchanged" in err, err
    after = (out / "index.jsonl").read_text().splitlines()
    mine = [line for line in after if f'"id": "{ids[3]}"' in line]
    assert len(mine) == 1 and mine[0] not in first  # rendered again, with its new key
    assert sorted(set(after) - set(mine)) == sorted(
        line for line in first if f'"id": "{ids[3]}"' not in line)
    assert sum('"redirect"' in line for line in after) == 3  # every article's redirects kept
    code, err = run("--all", "--data", str(data), "--out", str(out), "-f", "md")
    assert code == 0 and "1 written, 5 unchanged" in err, err  # the others stayed as indexed


def test_reordered_pairs_are_all_unchanged(tmp_path: Path) -> None:
    data, out = _profile_set(tmp_path), tmp_path / "out"
    assert run("--all", "--data", str(data), "--out", str(out), "-f", "md")[0] == 0
    pairs = data / "pairs.jsonl"
    pairs.write_text("".join(reversed(pairs.read_text().splitlines(True))))
    code, err = run("--all", "--data", str(data), "--out", str(out), "-f", "md")
    assert code == 0 and "0 written, 6 unchanged" in err, err


def _one_record(tmp_path: Path) -> Path:
    path = tmp_path / "r.json"
    path.write_text(json.dumps(RECORD))
    return path


def _cli(*args: str, **kw) -> subprocess.CompletedProcess[bytes]:
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "narrator.cli", *args], cwd=ROOT,
                          capture_output=kw.pop("capture_output", True), timeout=120, **kw)


@pytest.mark.parametrize("target", ["symlink to a file", "fifo", "char device", "dev stdout"])
def test_output_to_what_is_not_a_regular_file_is_written_through(tmp_path: Path,
                                                                 target: str) -> None:
    import os
    import stat
    import subprocess
    import sys
    import threading

    record = _one_record(tmp_path)
    expected = _cli(str(record)).stdout
    out = tmp_path / "target"
    if target == "symlink to a file":
        (tmp_path / "real.md").write_text("old")
        out.symlink_to(tmp_path / "real.md")
        assert _cli(str(record), "-o", str(out)).returncode == 0
        assert out.is_symlink() and (tmp_path / "real.md").read_bytes() == expected
    elif target == "fifo":
        os.mkfifo(out)
        got: list[bytes] = []
        reader = threading.Thread(target=lambda: got.append(out.read_bytes()))
        reader.start()
        assert _cli(str(record), "-o", str(out)).returncode == 0
        reader.join(30)
        assert got == [expected] and stat.S_ISFIFO(os.stat(out).st_mode)
    elif target == "char device":  # our own /dev/null, made in the temp folder
        if os.geteuid() != 0:
            pytest.skip("mknod of a device needs root")
        os.mknod(out, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        assert _cli(str(record), "-o", str(out)).returncode == 0
        assert stat.S_ISCHR(os.stat(out).st_mode)  # still the device, not a file
    else:  # /dev/stdout: the symlink to this process's own stdout, here a pipe of ours
        result = subprocess.run([sys.executable, "-m", "narrator.cli", str(record), "-o",
                                 "/dev/stdout"], cwd=ROOT, capture_output=True, timeout=120)
        assert result.returncode == 0 and result.stdout == expected


@pytest.mark.parametrize("stream", ["stdout closed", "stdout full", "stderr closed"])
def test_closed_or_full_standard_streams(tmp_path: Path, stream: str) -> None:
    import os
    import stat
    import subprocess

    record = _one_record(tmp_path)
    if stream == "stderr closed":  # `narrate --all 2>&-`: the articles are still written
        result = _cli("--all", "--data", str(_records(tmp_path)), "--out", str(tmp_path / "o"),
                      capture_output=False, stdout=subprocess.PIPE, preexec_fn=lambda: os.close(2))
        assert result.returncode == 0
        assert sorted(p.name for p in (tmp_path / "o").iterdir()) == [
            "index.jsonl", "r0.md", "r1.md", "r2.md"]
        return
    if stream == "stdout closed":
        result = _cli(str(record), capture_output=False, stderr=subprocess.PIPE,
                      preexec_fn=lambda: os.close(1))
        message = b"standard output: cannot write: standard output is closed"
    else:  # our own /dev/full, made in the temp folder
        if os.geteuid() != 0:
            pytest.skip("mknod of a device needs root")
        full = tmp_path / "full"
        os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
        with full.open("wb") as f:
            result = _cli(str(record), capture_output=False, stdout=f,
                          stderr=subprocess.PIPE)
        message = b"standard output: cannot write: No space left on device"
    assert result.returncode == 1
    assert result.stderr.count(b"\n") == 1 and message in result.stderr, result.stderr


def test_a_template_that_writes_a_lone_surrogate_fails_its_articles_only(tmp_path: Path) -> None:
    data = _records(tmp_path)
    tpl = tmp_path / "t" / "comparison"
    tpl.mkdir(parents=True)
    (tpl / "title.txt.j2").write_text('{{ a.title }}{{ "\\ud800" if a.title == "x" else "" }}')
    (data / "r0.json").write_text(json.dumps({**RECORD, "id": "r0",
                                              "a": {"id": "x", "title": "x"}}))
    code, err = run("--all", "--data", str(data), "--out", str(tmp_path / "o"), "-t",
                    str(tpl.parent), "--jobs", "2")
    assert code == 1 and "Traceback" not in err
    assert (f"{data / 'r0.json'}: r0: cannot write: the text holds '\\ud800', "
            f"a lone surrogate") in err
    assert "2 written, 0 unchanged (skipped), 1 failed" in err


def test_json_nested_deeply_fails_its_item_in_a_worker_too(tmp_path: Path) -> None:
    data = _records(tmp_path)
    deep = "[" * 970 + "]" * 970  # as text: pytest's own stack is too deep to dump it
    (data / "r1.json").write_text(json.dumps({**RECORD, "id": "r1", "a": {
        "id": "a", "title": "a", "skills": "SKILLS"}}).replace('"SKILLS"', deep))
    for jobs in ("1", "2"):
        code, err = run("--all", "--data", str(data), "--out", str(tmp_path / f"o{jobs}"),
                        "--jobs", jobs)
        assert code == 1 and "Traceback" not in err and "2 written" in err, err
        assert str(data / "r1.json") in err


def test_an_override_folder_inside_the_built_in_one_is_still_the_users(tmp_path: Path,
                                                                      monkeypatch) -> None:
    """``-t templates/mine``: its {{ 1/0 }} is the template's error, with its line."""
    import shutil

    from narrator.errors import TemplateError
    from narrator.render import environment as templates
    from narrator.render.renderer import Renderer

    builtin = tmp_path / "templates"
    shutil.copytree(templates.BUILTIN_TEMPLATES, builtin)
    mine = builtin / "mine" / "comparison"
    mine.mkdir(parents=True)
    (mine / "intro.md.j2").write_text("ok\n{{ 1/0 }}")
    monkeypatch.setattr(templates, "BUILTIN_TEMPLATES", builtin)
    renderer = Renderer(template_dirs=[mine.parent])
    from narrator.api import load_one

    record = load_one(sorted((ROOT / "data" / "records").glob("*.json"))[0])
    with pytest.raises(TemplateError, match=r"intro.md.j2: line 2: ZeroDivisionError"):
        renderer.render(record)


@pytest.mark.parametrize(("source", "problem"), [
    # constants too big to compute: refused, never folded while compiling
    ("{{ 7 ** 100000000 > 1 }}", "7 ** 100000000 is too big to compute"),
    ('{{ "x" * 100000000000 }}', "a repeated string or list would be too long"),
    ('{{ "%0999999999d" % 1 }}', "a % format with a width that large, or from an argument (*)"),
    # issue 26: the filters, str.format, `~`, `+` and joins build strings as big; refused when
    # they run, and by `check` where the operands are constants
    ("{{ '%0600000000d'|format(1) }}", "a |format width that large, or from an argument (*)"),
    ("{{ '%*d'|format(600000000, 1) }}", "a |format width that large, or from an argument (*)"),
    ("{{ '{:>600000000}'.format(1) }}", "a str.format width that large, or from an argument"),
    ("{{ '{:>{}}'.format(1, 600000000) }}", "a str.format width that large, or from an argument"),
    ("{{ ('x' * 1000)|replace('x', 'x' * 1000000) }}",
     "a |replace whose result would be too long"),
    ("{{ 'x'|center(600000000) }}", "a |center width that large"),
    ("{{ ('a\\n' * 1000)|indent(1000000) }}", "an |indent whose result would be too long"),
    ("{{ ('x' * 1000000) ~ ('x' * 100000) }}", "a ~ whose result would be too long"),
    ("{{ ('x' * 1000000) + ('x' * 100000) }}", "a + whose result would be too long"),
    ("{{ ('x' * 100000) + ('x' * 1000000) }}", "a + whose result would be too long"),
    ("{{ (['x'] * 1000000) + (['x'] * 100000) }}", "a + whose result would be too long"),
    ("{{ (['x' * 100000] * 11)|join }}", "a |join whose result would be too long"),
    ("{{ ['x' * 600000, 'x' * 600000]|join }}", "a |join whose result would be too long"),
    ("{{ ['x', 'y']|join('-' * 1048576) }}", "a |join whose result would be too long"),
    # dead code: Jinja would have computed it while compiling, before any time limit
    ("{% if false %}{{ '%0600000000d'|format(1) }}{% endif %}",
     "a |format width that large, or from an argument (*)"),
])
def test_strings_built_too_big_are_one_line(tmp_path: Path, source: str, problem: str) -> None:
    tpl = tmp_path / "comparison"
    tpl.mkdir()
    (tpl / "intro.md.j2").write_text(source)
    assert check.check(ROOT / "data" / "records", template_dirs=[tmp_path]) == [
        f"{tpl / 'intro.md.j2'}:1: {problem}"]
    code, err = run(str(sorted((ROOT / "data" / "records").glob("*.json"))[0]), "-t", str(tmp_path))
    if "false" in source:  # never run: the article is written
        assert code == 0, err
    else:
        assert code == 1 and problem in err and err.count("\n") == 1, err


@pytest.mark.parametrize(("source", "problem"), [
    # arguments by keyword are computed too
    ("{{ 'x'|center(width=60000000 * 10) }}", "a |center width that large"),
    ("{{ ('a\\n' * 1000)|indent(width=1000000) }}", "an |indent whose result would be too long"),
    ("{{ ['x', 'y']|join(d='-' * 1048576) }}", "a |join whose result would be too long"),
    # what check cannot compute, it leaves to the render: arguments spread from a sequence or
    # mapping, a value it does not know
    ("{{ 'x'|center(600000000, **{}) }}", None),
    ("{{ 'x'|center(*[600000000]) }}", None),
    ("{{ a.title|center(600000000) }}", None),
])
def test_rule_check_reports_exactly_what_it_can_compute(tmp_path: Path, source: str,
                                                       problem: str | None) -> None:
    tpl = tmp_path / "comparison"
    tpl.mkdir()
    (tpl / "intro.md.j2").write_text(source)
    found = check.check(ROOT / "data" / "records", template_dirs=[tmp_path])
    assert found == ([] if problem is None else [f"{tpl / 'intro.md.j2'}:1: {problem}"])


@pytest.mark.parametrize(("source", "problem"), [
    # not constant: only the render sees them
    ("{% set ns = namespace(x=a.title) %}{% for i in range(40) %}{% set ns.x = ns.x ~ ns.x %}"
     "{% endfor %}", "a ~ whose result would be too long"),
    ("{% for i in range(100000) %}{{ a.title[:1] * 100000 }}{% endfor %}",
     "writes more than 1,048,576 characters (a loop writing a long value?)"),
    ("{{ ([[a.title[:1] * 1000000] * 1000] * 1000)|string|length }}",
     "line 1: needed more memory than the limit (a template building a huge value?)"),
])
def test_values_built_too_big_at_run_time_are_one_line(tmp_path: Path, source: str,
                                                       problem: str) -> None:
    tpl = tmp_path / "comparison"
    tpl.mkdir()
    (tpl / "intro.md.j2").write_text(source)
    data = copy_records(tmp_path / "data", 2)
    assert check.check(data, template_dirs=[tmp_path]) == []
    code, err = run(str(sorted(data.glob("*.json"))[0]), "-t", str(tmp_path))
    assert code == 1 and problem in err and err.count("\n") == 1, err
    # in a run, each worker: the article is reported and skipped, the run goes on
    code, err = run("--all", "--data", str(data), "--out", str(tmp_path / "o"), "-t", str(tmp_path),
                    "--jobs", "2")
    assert code == 1 and problem in err and "Traceback" not in err, err
    assert err.splitlines()[-1].startswith("narrate: 0 written, 0 unchanged (skipped), 2 failed")


def test_small_powers_repeats_and_formats_still_work(tmp_path: Path) -> None:
    tpl = tmp_path / "comparison"
    tpl.mkdir()
    (tpl / "intro.md.j2").write_text(
        '{{ 2 ** 10 }} {{ "ab" * 3 }} {{ "%05d" % 42 }} {{ 1.5 ** 2 }} '
        "{{ '%04d'|format(7) }} {{ '{:>5}'.format('x') }} {{ 'aXa'|replace('X', 'YY') }} "
        "[{{ 'ab'|center(6) }}] {{ 'p\nq'|indent(2) }}")
    record = sorted((ROOT / "data" / "records").glob("*.json"))[0]
    result = CliRunner().invoke(main, [str(record), "-t", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "1024 ababab 00042 2.25 0007     x aYYa [  ab  ] p\n  q" in result.stdout


def test_a_single_article_has_a_time_limit_too(tmp_path: Path) -> None:
    from narrator import api
    from narrator.errors import TemplateError

    tpl = tmp_path / "comparison"
    tpl.mkdir()
    (tpl / "intro.md.j2").write_text(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
    record = sorted((ROOT / "data" / "records").glob("*.json"))[0]
    with pytest.raises(TemplateError, match=r"rendering took more than 0.5 s"):
        api.narrate(record, template_dirs=[tmp_path], time_limit=0.5)


def test_compiling_has_a_time_limit(monkeypatch) -> None:
    import time

    from narrator.errors import TemplateError
    from narrator.render.limits import limited

    with pytest.raises(TemplateError, match=r"compiling the templates took more than 0\.2 s"):
        with limited(0.2, "compiling the templates"):
            time.sleep(5)


@pytest.mark.parametrize("kind", ["fifo", "link to a device"])
@pytest.mark.parametrize("name", ["pairs.jsonl", "jobs.jsonl"])
def test_special_files_in_a_profile_set_are_refused(tmp_path: Path, kind: str, name: str) -> None:
    import os

    data = _profile_set(tmp_path)
    (data / name).unlink()
    if kind == "fifo":
        os.mkfifo(data / name)
    else:  # our own link, to a device that never ends (reading it would fill memory)
        (data / name).symlink_to("/dev/zero")
    for args in (["--all", "--data", str(data), "--out", str(tmp_path / "o")],
                 ["check", "--data", str(data)]):
        result = _cli(*args)  # in a subprocess: a regression would block, not hang the suite
        assert result.returncode == 1
        assert f"{data / name}: not a regular file" in result.stderr.decode()


def test_too_many_workers_for_the_open_file_limit_is_one_line(tmp_path: Path) -> None:
    import resource

    data = _records(tmp_path)
    result = _cli("--all", "--data", str(data), "--out", str(tmp_path / "o"), "--jobs", "64",
                  preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (40, 40)))
    assert result.returncode == 1
    assert result.stderr.decode() == ("narrate: error: cannot start 64 worker processes: Too "
                                      "many open files (see ulimit -n and -u); use fewer --jobs\n")


def test_diff_shows_control_characters_as_escapes(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    (old / "a.md").write_text("# A\n\nPlain text.\n")
    (new / "a.md").write_text("# A\n\nPlain \x1b[2Jtext\u202e.\n")
    result = CliRunner().invoke(main, ["diff", str(old), str(new)])
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "\\x1b[2J" in result.stdout and "\\u202e" in result.stdout


def test_import_refuses_a_folder_of_records_and_swaps_a_profile_set_whole(tmp_path: Path,
                                                                          monkeypatch) -> None:
    from narrator.errors import NarratorError
    from narrator.importer import profiles

    records = _records(tmp_path)
    outputs = {"jobs.jsonl": b"new jobs\n", "pairs.jsonl": b"new pairs\n"}
    with pytest.raises(NarratorError, match="holds files an import does not write"):
        profiles._replace_folder(records, outputs)
    assert sorted(p.name for p in records.iterdir()) == ["r0.json", "r1.json", "r2.json"]
    target = tmp_path / "set"
    profiles._replace_folder(target, {"jobs.jsonl": b"old jobs\n", "pairs.jsonl": b"old pairs\n"})
    real_write = profiles.write_atomic

    def failing(path: Path, data: bytes, **kw) -> None:
        if path.name == "pairs.jsonl":
            raise NarratorError("cannot write: No space left on device", file=str(path))
        real_write(path, data, **kw)

    monkeypatch.setattr(profiles, "write_atomic", failing)
    with pytest.raises(NarratorError, match="No space left"):
        profiles._replace_folder(target, outputs)
    assert tree(target) == {"jobs.jsonl": b"old jobs\n", "pairs.jsonl": b"old pairs\n"}
    monkeypatch.setattr(profiles, "write_atomic", real_write)
    profiles._replace_folder(target, outputs)
    assert tree(target) == outputs
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d", "set"]  # no folder left aside


@pytest.mark.parametrize(("files", "expected"), [
    ({"comparison/intro.md.j2": '{% include "comparison/intro.md.j2" %}'},
     ["comparison/intro.md.j2:1: includes or extends itself (every article would fail)"]),
    ({"comparison/intro.md.j2": '{% extends "comparison/intro.md.j2" %}'},
     ["comparison/intro.md.j2:1: includes or extends itself (every article would fail)"]),
    ({"comparison/pay.md.j2": 'x\n{% include "parts/a.j2" %}',
      "parts/a.j2": '{% import "parts/b.j2" as b %}',
      "parts/b.j2": '{% include "parts/a.j2" %}'},
     ["parts/a.j2:1: is part of a cycle: parts/a.j2 -> parts/b.j2 -> parts/a.j2 (every article "
      "would fail)"]),
    ({"intro.md.j2": "x"},
     ["intro.md.j2:1: not used: no article renders 'intro.md.j2' (did you mean "
      "'comparison/intro.md.j2'?); an override must have the path of the template it replaces, "
      "relative to the folder given to --templates"]),
    ({"comparison/payy.md.j2": "x"},
     ["comparison/payy.md.j2:1: not used: no article renders 'comparison/payy.md.j2' (did you "
      "mean 'comparison/pay.md.j2'?); an override must have the path of the template it "
      "replaces, relative to the folder given to --templates"]),
    ({"comparison/intro.md": "x"},
     ["comparison/intro.md:1: not used: templates end in .j2 (did you mean "
      "'comparison/intro.md.j2'?)"]),
    # two cycles, each reported once, at the line of its first include
    ({"comparison/pay.md.j2": 'x\n{% include "parts/a.j2" %}{% include "parts/self.j2" %}',
      "parts/a.j2": 'a\n\n{% include "parts/b.j2" %}',
      "parts/b.j2": 'b\n{% include "parts/a.j2" %}',
      "parts/self.j2": 'one\ntwo\n{% include "parts/self.j2" %}'},
     ["parts/a.j2:3: is part of a cycle: parts/a.j2 -> parts/b.j2 -> parts/a.j2 (every article "
      "would fail)",
      "parts/self.j2:3: includes or extends itself (every article would fail)"]),
    ({"zzzz.j2": "x"},  # no name close enough to suggest
     ["zzzz.j2:1: not used: no article renders 'zzzz.j2'; an override must have the path of "
      "the template it replaces, relative to the folder given to --templates"]),
    # no false alarms: a partial an override includes, the README's own extends example
    ({"comparison/pay.md.j2": '{% extends "narrator/comparison/pay.md.j2" %}{% block x %}'
                              '{{ super() }}{% include "parts/note.j2" %}{% endblock %}',
      "parts/note.j2": "{{ a.title }}"}, []),
    # a partial of unknown use may see a job; an include named by an expression is the run's
    ({"comparison/pay.md.j2": '{% include "parts/" ~ a.id ~ ".j2" %}{% include "parts/job.j2" %}',
      "parts/job.j2": "{{ job.title }}"}, []),
])
def test_check_finds_cycles_and_unused_overrides(tmp_path: Path, files: dict[str, str],
                                                 expected: list[str]) -> None:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    problems = check.check(ROOT / "data" / "records", template_dirs=[tmp_path])
    assert problems == [f"{tmp_path}/{line}" for line in expected]


def test_check_and_runs_refuse_an_unreadable_override_folder() -> None:
    import os
    import subprocess
    import sys
    import tempfile

    if os.geteuid() != 0:
        pytest.skip("needs root, to read the folder as another user")
    with tempfile.TemporaryDirectory() as top:  # pytest's own temp folders are private
        base = Path(top)
        base.chmod(0o755)
        tpl = base / "t"
        (tpl / "comparison").mkdir(parents=True)
        (tpl / "comparison" / "intro.md.j2").write_text("Our intro.")
        (tpl / "comparison").chmod(0)
        record = base / "d" / "r.json"
        record.parent.mkdir()
        record.write_text(json.dumps(RECORD))
        (base / "o").mkdir(mode=0o777)
        (base / "o").chmod(0o777)
        as_nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        if subprocess.run([*as_nobody, sys.executable, "-c", "import narrator.cli"], cwd=ROOT,
                          capture_output=True, timeout=60).returncode:
            pytest.skip("this checkout is not readable by another user")
        for args in (["check", "--data", str(record.parent)], [str(record)],
                     ["--all", "--data", str(record.parent), "--out", str(base / "o")]):
            result = subprocess.run([*as_nobody, sys.executable, "-m", "narrator.cli", *args,
                                     "-t", str(tpl)], cwd=ROOT, capture_output=True, timeout=120)
            assert result.returncode == 1, args
            err = result.stderr.decode()
            assert f"{tpl / 'comparison'}: cannot read" in err and "Permission denied" in err, err
            assert "Traceback" not in err and err.count("\n") == 2 if args[0] == "check" else 1
        (tpl / "comparison").chmod(0o755)


@pytest.mark.parametrize("damage", ["garbage", "cut short", "not UTF-8"])
def test_a_bad_job_line_is_reported_once_and_the_other_pairs_render(tmp_path: Path,
                                                                    damage: str) -> None:
    data = _profile_set(tmp_path)
    jobs = (data / "jobs.jsonl").read_bytes().splitlines()
    bad_id = json.loads(jobs[1])["id"]
    jobs[1] = {"garbage": b"garbage", "cut short": jobs[1][:60],
               "not UTF-8": b"\xff" + jobs[1]}[damage]
    (data / "jobs.jsonl").write_bytes(b"\n".join(jobs) + b"\n")
    code, err = run("--all", "--data", str(data), "--out", str(tmp_path / "o"))
    assert code == 1 and "Traceback" not in err
    lines = err.splitlines()
    about_line = [m for m in lines if f"{data / 'jobs.jsonl'}" in m]
    assert len(about_line) == 1 and ("line 2" in about_line[0] or ":2:" in about_line[0]), err
    if damage == "cut short":  # its id, first on the line, still reads: its 3 pairs fail with
        # the line's own error, said once for all three
        assert about_line[0].endswith("(3 items)"), err
        assert lines[-1].startswith("narrate: 3 written, 0 unchanged (skipped), 3 failed")
        return
    assert sum(f"no job '{bad_id}'" in m for m in lines) == 3  # the pairs that use it
    assert lines[-1].startswith("narrate: 3 written, 0 unchanged (skipped), 4 failed")


def test_a_profile_set_file_that_is_a_loop_of_links_is_one_line(tmp_path: Path) -> None:
    data = _profile_set(tmp_path)
    (data / "pairs.jsonl").unlink()
    (data / "pairs.jsonl").symlink_to(data / "pairs.jsonl")
    for args in (["--all", "--data", str(data), "--out", str(tmp_path / "o")],
                 ["check", "--data", str(data)]):
        code, err = run(*args)
        assert code == 1 and "Traceback" not in err
        assert f"{data / 'pairs.jsonl'}: cannot read: Too many levels of symbolic links" in err


def test_check_computes_nested_constants_as_the_sandbox_would(tmp_path: Path) -> None:
    tpl = tmp_path / "comparison"
    tpl.mkdir()
    (tpl / "intro.md.j2").write_text(
        "{{ 10 ** 10 ** 10 }}\n{{ (2 ** 100000) * 2 }}\n{{ a.title * 3 }}")
    assert check.check(ROOT / "data" / "records", template_dirs=[tmp_path]) == [
        # (Jinja's ** is left-associative)
        f"{tpl / 'intro.md.j2'}:2: 2 ** 100000 is too big to compute"]
