"""Shared fixtures: the shipped records and a Markdown snapshot per article; and the markers.

A test that needs a program outside Python carries `browser`, `wordpress` or `hugo`; each of
them is also `integration`, so `pytest -m "not integration and not slow"` runs without root,
Chromium, Hugo or WordPress (markers are listed in pyproject.toml, and --strict-markers)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

ROOT = Path(__file__).resolve().parent.parent


def small_data_set(tmp_path: Path, records: int, jobs: int) -> Path:
    """``tmp_path``/data: the first ``records`` shipped records in records/, and in bls/ a
    profile set of the first ``jobs`` real BLS jobs with a pair for every two of them."""
    d = tmp_path / "data"
    (d / "records").mkdir(parents=True)
    for p in sorted((ROOT / "data" / "records").glob("*.json"))[:records]:
        shutil.copy(p, d / "records")
    lines = (ROOT / "data" / "bls" / "jobs.jsonl").read_text(encoding="utf-8").splitlines()[:jobs]
    ids = [json.loads(j)["id"] for j in lines]
    (d / "bls").mkdir()
    (d / "bls" / "jobs.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    pairs = [{"id": f"{a}-vs-{b}", "a": a, "b": b} for i, a in enumerate(ids) for b in ids[i + 1:]]
    (d / "bls" / "pairs.jsonl").write_text("".join(json.dumps(p) + "\n" for p in pairs), "utf-8")
    return d
RECORDS = sorted((ROOT / "data" / "records").glob("*.json"))
SHARED = ROOT.parent / "shared"


class MarkdownSnapshot(SingleFileSnapshotExtension):
    """One plain .md file per article, so a copy edit reads as an ordinary diff."""

    _write_mode = WriteMode.TEXT
    file_extension = "md"


class JsonSnapshot(SingleFileSnapshotExtension):
    """The facts behind an article, apart from its wording."""

    _write_mode = WriteMode.TEXT
    file_extension = "json"


INTEGRATION = ("browser", "wordpress", "hugo")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(item.get_closest_marker(name) for name in INTEGRATION):
            item.add_marker(pytest.mark.integration)


@pytest.fixture
def md_snapshot(snapshot):
    return snapshot.use_extension(MarkdownSnapshot)


@pytest.fixture
def json_snapshot(snapshot):
    return snapshot.use_extension(JsonSnapshot)
