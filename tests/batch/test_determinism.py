"""Byte-identical output across runs, --jobs, PYTHONHASHSEED and the machine's LANG/LC_ALL."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, copy_records, profile_set, tree

pytestmark = pytest.mark.slow  # whole runs of narrate --all, many times over


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("data")
    copy_records(d / "records")
    shutil.copytree(ROOT / "tests" / "records", d / "more")
    profile_set(d / "bls", pairs=slice(None, None, 10))
    return d


def run(data: Path, out: Path, jobs: str, **env: str) -> dict[str, bytes]:
    full = {**os.environ, **env}
    subprocess.run([sys.executable, "-m", "narrator.cli", "--all", "--data", str(data),
                    "--out", str(out), "--jobs", jobs, "-f", "md", "-f", "html", "-f", "txt",
                    "-f", "json", "--locale", "de_DE"],
                   cwd=ROOT, env=full, check=True, capture_output=True)
    return tree(out)


VARIANTS = [
    ("1", {"PYTHONHASHSEED": "0", "LANG": "C", "LC_ALL": "C"}),
    ("2", {"PYTHONHASHSEED": "12345", "LANG": "de_DE.UTF-8", "LC_ALL": "de_DE.UTF-8"}),
    ("2", {"PYTHONHASHSEED": "random", "LANG": "ja_JP.UTF-8", "LC_ALL": "fr_FR.UTF-8"}),
    ("3", {"PYTHONHASHSEED": "99", "TZ": "Asia/Kolkata", "LC_NUMERIC": "de_DE.UTF-8"}),
]


def test_every_variant_gives_the_same_tree(data, tmp_path):
    trees = [run(data, tmp_path / f"out{i}", jobs, **env) for i, (jobs, env) in enumerate(VARIANTS)]
    assert len(trees[0]) > 4 * 300
    for other in trees[1:]:
        assert other == trees[0]
