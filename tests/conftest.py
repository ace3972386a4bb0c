"""Shared fixtures: the shipped records and a Markdown snapshot per article."""

from __future__ import annotations

from pathlib import Path

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

ROOT = Path(__file__).resolve().parent.parent
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


@pytest.fixture
def md_snapshot(snapshot):
    return snapshot.use_extension(MarkdownSnapshot)


@pytest.fixture
def json_snapshot(snapshot):
    return snapshot.use_extension(JsonSnapshot)
