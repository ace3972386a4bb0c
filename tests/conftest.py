"""Shared fixtures: the shipped records and a Markdown snapshot per article; and the markers.

A test that needs a program outside Python carries `browser`, `wordpress` or `hugo`; each of
them is also `integration`, so `pytest -m "not integration and not slow"` runs without root,
Chromium, Hugo or WordPress (markers are listed in pyproject.toml, and --strict-markers)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from narrator.cli import main
from narrator.schema import Job

ROOT = Path(__file__).resolve().parent.parent


def copy_records(folder: Path, n: int | None = None) -> Path:
    """``folder`` holding the first ``n`` shipped records (all of them when None)."""
    folder.mkdir(parents=True)
    for p in sorted((ROOT / "data" / "records").glob("*.json"))[:n]:
        shutil.copy(p, folder)
    return folder


def profile_set(folder: Path, *, jobs: int | None = None, pairs: slice | None = None,
                style: bool = False) -> Path:
    """``folder`` as a BLS profile set: the first ``jobs`` real jobs (all, byte for byte, when
    None); the real pairs.jsonl lines ``pairs`` selects, or, without ``pairs``, a pair for
    every two of the jobs; and with ``style`` the data set's narrator.json."""
    bls = ROOT / "data" / "bls"
    folder.mkdir(parents=True)
    if jobs is None:
        shutil.copy(bls / "jobs.jsonl", folder)
    else:
        lines = (bls / "jobs.jsonl").read_text(encoding="utf-8").splitlines()[:jobs]
        (folder / "jobs.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if pairs is None:
        ids = [json.loads(j)["id"] for j in (folder / "jobs.jsonl").read_text("utf-8").splitlines()]
        every = [{"id": f"{a}-vs-{b}", "a": a, "b": b}
                 for i, a in enumerate(ids) for b in ids[i + 1:]]
        text = "".join(json.dumps(p) + "\n" for p in every)
    else:
        text = "".join((bls / "pairs.jsonl").read_text(encoding="utf-8").splitlines(True)[pairs])
    (folder / "pairs.jsonl").write_text(text, encoding="utf-8")
    if style:
        shutil.copy(bls / "narrator.json", folder)
    return folder


def small_data_set(tmp_path: Path, records: int, jobs: int) -> Path:
    """``tmp_path``/data: the first ``records`` shipped records in records/, and in bls/ a
    profile set of the first ``jobs`` real BLS jobs with a pair for every two of them."""
    d = tmp_path / "data"
    copy_records(d / "records", records)
    profile_set(d / "bls", jobs=jobs)
    return d


def tree(out: Path) -> dict[str, bytes]:
    """Every file under ``out`` (a run's --out folder), by its path inside it: its bytes."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def job(id: str = "x", title: str = "x", **fields: Any) -> Job:
    return Job(id=id, title=title, **fields)


def cli(*args: object) -> tuple[int, str, str]:
    """``narrate ARGS`` in this process: exit code, stdout, stderr. An exception other than
    the exit is re-raised, so its traceback shows: the CLI lets only bugs through."""
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


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


def pytest_configure(config: pytest.Config) -> None:
    """The template cache (narrator/render/cache.py) of the whole run in a folder of its own,
    never the user's ~/.cache: the suite renders through it, warm after the first use."""
    import os
    import tempfile

    if "NARRATOR_CACHE_DIR" not in os.environ:
        os.environ["NARRATOR_CACHE_DIR"] = tempfile.mkdtemp(prefix="narrator-test-cache-")


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
