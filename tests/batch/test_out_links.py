"""Nothing a run writes goes outside --out (issue 26, item 1): a link, a FIFO or a file
planted at a name narrator writes itself is removed or replaced, never followed, never waited
on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copy_records

NARRATE = Path(sys.executable).parent / "narrate"
SEED = "field-service-technician-vs-repair-technician"
NAMES = [".index.jsonl.tmp", ".index.jsonl.prev.tmp", f"{SEED}.md", "index.jsonl",
         ".index.jsonl.partial", ".index.jsonl.prev"]


def run(data: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(NARRATE), "--all", "--data", str(data), "--out", str(out)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("kind", ["dangling link", "link to a file", "fifo"])
def test_a_planted_entry_is_never_followed(tmp_path: Path, name: str, kind: str) -> None:
    data, out = copy_records(tmp_path / "data", 2), tmp_path / "out"
    assert run(data, out).returncode == 0  # an earlier run: its index, its articles
    if name == ".index.jsonl.prev.tmp":  # written when a stopped run's journal is merged
        (out / ".index.jsonl.partial").write_text(
            (out / "index.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    target = tmp_path / "outside" / "victim"
    target.parent.mkdir()
    planted = out / name
    planted.unlink(missing_ok=True)
    if kind == "fifo":
        os.mkfifo(planted)
    else:
        if kind == "link to a file":
            target.write_text("keep me\n")
        planted.symlink_to(target)
    done = run(data, out)  # a FIFO read or written would hang here (timeout)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    if kind == "link to a file":
        assert target.read_text() == "keep me\n"
    else:
        assert not target.exists()
    index = out / "index.jsonl"
    assert index.is_file() and not index.is_symlink()
    entries = [json.loads(line) for line in index.read_text().splitlines()]
    assert len([e for e in entries if "id" in e]) == 2
    for entry in entries:
        for f in entry.get("files", ()):
            path = out / f["path"]
            assert path.is_file() and not path.is_symlink(), path
    assert not [p for p in out.iterdir() if p.is_symlink() or p.is_fifo()
                if p.name not in (".index.jsonl.prev",)]
