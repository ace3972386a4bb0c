"""Crashes lose nothing: SIGKILL at random points, Ctrl-C, and a rerun that finishes the job."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, profile_set, tree

pytestmark = pytest.mark.slow  # whole runs of narrate --all, many times over

PAIRS = 1000
# An override that writes the same title as the built-in one, after a loop of ~10,000 steps:
# a few milliseconds an article, so a run lasts seconds on any machine and the tests can act
# at a point they choose (so many articles written) while it is surely under way.
SLOW_TITLE = ("{% for i in range(100) %}{% for j in range(100) %}{% endfor %}{% endfor %}"
              '{% include "narrator/comparison/title.txt.j2" %}')


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    """Real jobs and the first thousand real pairs, and the slow title override beside them."""
    top = tmp_path_factory.mktemp("data")
    profile_set(top / "bls", pairs=slice(PAIRS), style=True)
    (top.parent / f"{top.name}-slow" / "comparison").mkdir(parents=True)
    (top.parent / f"{top.name}-slow" / "comparison" / "title.txt.j2").write_text(SLOW_TITLE)
    return top


def _default_sigint() -> None:
    # pytest started in the background (`pytest &`) passes SIGINT on ignored; a terminal's
    # Ctrl-C reaches a foreground run, which is what these tests act out
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def narrate(*args: str, **kw) -> subprocess.Popen:
    data = Path(args[args.index("--data") + 1])
    return subprocess.Popen([sys.executable, "-m", "narrator.cli", "--all", *args,
                             "-t", str(data.parent / f"{data.name}-slow"), "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, cwd=ROOT, preexec_fn=_default_sigint,
                            **kw)


def hold_at_articles(proc: subprocess.Popen, out: Path, n: int) -> None:
    """Until the run has written ``n`` Markdown articles, then hold it there: its whole
    process group is stopped (SIGSTOP) while it is still running, so what the test does next
    meets a run under way, however fast the machine (``go_on`` lets it continue)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if out.is_dir() and sum(1 for _ in out.glob("*.md")) >= n:
            os.killpg(proc.pid, signal.SIGSTOP)
            assert proc.poll() is None and not (out / "index.jsonl").exists(), \
                "the run ended before it was held"
            return
        time.sleep(0.002)
    raise AssertionError(f"the run ended (or stalled) before writing {n} articles: "
                         f"{proc.poll()}")


def go_on(proc: subprocess.Popen) -> None:
    """Let a held run continue (what is left of its group: a killed main's workers are gone)."""
    try:
        os.killpg(proc.pid, signal.SIGCONT)
    except ProcessLookupError:
        pass


@pytest.fixture(scope="module")
def reference(data, tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("reference")
    proc = narrate("--data", str(data), "--out", str(out), "--format", "md", "--format", "json")
    assert proc.wait() == 0, proc.stderr.read()
    return tree(out)


def assert_consistent(out: Path, reference: dict[str, bytes]) -> None:
    """Every visible file is complete; an index, if present, lists only complete files."""
    files = tree(out)
    for name, content in files.items():
        if name.startswith("."):
            continue   # temporary files: never renamed into place, removed by the next run
        if name != "index.jsonl":
            assert content == reference[name], f"{name} is partial or wrong"
    if "index.jsonl" in files:
        for line in files["index.jsonl"].decode().splitlines():
            for f in json.loads(line)["files"]:
                assert hashlib.sha256(files[f["path"]]).hexdigest() == f["sha256"]


@pytest.mark.parametrize("victim", ["the whole group", "the main process alone"])
def test_sigkill_at_random_points_loses_nothing(data, reference, tmp_path, victim):
    out = tmp_path / "out"
    rng = random.Random(20261126)
    for _ in range(3):
        proc = narrate("--data", str(data), "--out", str(out), "--format", "md", "--format", "json")
        hold_at_articles(proc, out, rng.randrange(1, PAIRS // 2))
        workers = _children(proc.pid)
        if victim == "the whole group":
            os.killpg(proc.pid, signal.SIGKILL)
        else:  # its workers die with it (PR_SET_PDEATHSIG), holding no lock or pipe after
            os.kill(proc.pid, signal.SIGKILL)
            go_on(proc)
        assert proc.wait() == -signal.SIGKILL  # killed mid-run, not finished
        deadline = time.monotonic() + 10
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not any(_alive(w) for w in workers)
        assert not (out / "index.jsonl").exists()  # a run that ended would have written it
        assert len(list(out.glob("*.md"))) < PAIRS
        assert_consistent(out, reference)
    proc = narrate("--data", str(data), "--out", str(out), "--format", "md", "--format", "json")
    assert proc.wait() == 0
    assert tree(out) == reference
    assert "unchanged (skipped)" in proc.stderr.read()


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] not in ("Z", "X")
    except OSError:
        return False


def test_ctrl_c_stops_cleanly_with_a_summary(data, reference, tmp_path):
    out = tmp_path / "out"
    proc = narrate("--data", str(data), "--out", str(out), "--format", "md", "--format", "json")
    hold_at_articles(proc, out, 50)
    os.killpg(proc.pid, signal.SIGINT)       # what a terminal sends to the foreground group
    go_on(proc)
    code = proc.wait()
    err = proc.stderr.read()
    assert code == 130, err
    assert "Traceback" not in err
    assert "narrate: interrupted:" in err and "run again to finish" in err
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    done = len(list(out.glob("*.md")))
    assert not (out / "index.jsonl").exists() and done < PAIRS
    assert f"interrupted: {done} written" in err  # the summary counts what is on disk
    assert_consistent(out, reference)
    again = narrate("--data", str(data), "--out", str(out), "--format", "md", "--format", "json")
    assert again.wait() == 0
    # resumed: what the stopped run finished is recorded (its journal), not rendered again
    assert f", {done} unchanged (skipped)" in again.stderr.read()
    assert tree(out) == reference


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for task in os.listdir(f"/proc/{pid}/task")
                for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
    except OSError:
        return []


def test_a_killed_worker_is_one_line_and_a_rerun_finishes(data, reference, tmp_path):
    """The OOM killer takes one worker: an error line (no traceback), exit 1, nothing partial."""
    out = tmp_path / "out"
    proc = narrate("--data", str(data), "--out", str(out), "--format", "md", "--format", "json")
    hold_at_articles(proc, out, 20)
    os.kill(_children(proc.pid)[0], signal.SIGKILL)
    go_on(proc)
    code, err = proc.wait(), proc.stderr.read()
    assert code == 1, err
    assert err == ("narrate: error: a worker process stopped unexpectedly (killed, or out of "
                   "memory); every file written is complete: run again to finish\n")
    assert_consistent(out, reference)
    again = narrate("--data", str(data), "--out", str(out), "--format", "md", "--format", "json")
    assert again.wait() == 0
    assert tree(out) == reference
