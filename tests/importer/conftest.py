"""The importer's tests: those that need the real import (the ``built`` fixture: every BLS
and O*NET source file read, ~5 s of CPU) are slow, so the quick run leaves them out."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A conftest's hook sees every item of the session: only this folder's, by the fixture.
    for item in items:
        if HERE in item.path.parents and "built" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
