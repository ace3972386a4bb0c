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

from .conftest import ROOT

PAIRS = 3000


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    """Real jobs and the first few thousand real pairs: a run of a second or two."""
    d = tmp_path_factory.mktemp("data") / "bls"
    d.mkdir()
    (d / "jobs.jsonl").write_bytes((ROOT / "data" / "bls" / "jobs.jsonl").read_bytes())
    lines = (ROOT / "data" / "bls" / "pairs.jsonl").read_text(encoding="utf-8").splitlines(True)
    (d / "pairs.jsonl").write_text("".join(lines[:PAIRS]), encoding="utf-8")
    return d.parent


def narrate(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "narrator.cli", "--all", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, cwd=ROOT, **kw)


def tree(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


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


def test_sigkill_at_random_points_loses_nothing(data, reference, tmp_path):
    out = tmp_path / "out"
    rng = random.Random(20261126)
    for _ in range(5):
        proc = narrate("--data", str(data), "--out", str(out), "--format", "md", "--format", "json")
        time.sleep(rng.uniform(0.3, 1.5))
        os.killpg(proc.pid, signal.SIGKILL)   # the whole tree, workers included
        proc.wait()
        assert_consistent(out, reference)
    proc = narrate("--data", str(data), "--out", str(out), "--format", "md", "--format", "json")
    assert proc.wait() == 0
    assert tree(out) == reference
    assert "unchanged (skipped)" in proc.stderr.read()


def test_ctrl_c_stops_cleanly_with_a_summary(data, reference, tmp_path):
    out = tmp_path / "out"
    proc = narrate("--data", str(data), "--out", str(out), "--format", "md", "--format", "json")
    time.sleep(1.0)
    os.killpg(proc.pid, signal.SIGINT)       # what a terminal sends to the foreground group
    code = proc.wait()
    err = proc.stderr.read()
    if code == 0:
        pytest.skip("the run finished before Ctrl-C arrived")
    assert code == 130
    assert "Traceback" not in err
    assert "narrate: interrupted:" in err and "run again to finish" in err
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    assert_consistent(out, reference)
    again = narrate("--data", str(data), "--out", str(out), "--format", "md", "--format", "json")
    assert again.wait() == 0
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
    proc = narrate("--data", str(data), "--out", str(out), "--format", "md", "--format", "json",
                   "--jobs", "2")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        if out.is_dir() and sum(1 for _ in out.glob("*.md")) >= 20 and _children(proc.pid):
            os.kill(_children(proc.pid)[0], signal.SIGKILL)
            break
        time.sleep(0.005)
    code, err = proc.wait(), proc.stderr.read()
    assert code == 1, err
    assert err == ("narrate: error: a worker process stopped unexpectedly (killed, or out of "
                   "memory); every file written is complete: run again to finish\n")
    assert_consistent(out, reference)
    again = narrate("--data", str(data), "--out", str(out), "--format", "md", "--format", "json")
    assert again.wait() == 0
    assert tree(out) == reference
