"""Whole articles: the reference pages' expectations, and every format saying the same."""

from __future__ import annotations

import html
import json
import re

import pytest

from narrator import api
from narrator.formats import FORMATS
from tests.conftest import ROOT

EXPECTED = ROOT / "tests" / "expected"


def _prose_and_rows(md: str) -> tuple[str, list[list[str]]]:
    """What a reader sees: prose with white space folded, and table rows as cell lists."""
    prose, rows = [], []
    for line in md.splitlines():
        if line.startswith("|"):
            rows.append([c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]])
        elif line.strip():
            prose.append(line.lstrip("# ").strip())
    return " ".join(" ".join(prose).split()), rows


MINOR = {"and", "or", "of", "the", "in", "for", "to", "a", "an", "at", "on", "by"}


def _title_key(cells: list[str]) -> list[str]:
    """Display titles compare exactly, except minor words may be lower case (as pagecheck)."""
    return [" ".join(w.lower() if i and w.lower() in MINOR else w for i, w in enumerate(c.split()))
            for c in cells]


@pytest.mark.parametrize("path", sorted(EXPECTED.glob("*.json")), ids=lambda p: p.stem)
def test_reference_page_reproduced(path):
    """Every sentence, paragraph and table row the real page shows is in our article."""
    expected = json.loads(path.read_text(encoding="utf-8"))
    prose, rows = _prose_and_rows(api.narrate(ROOT / "data" / "records" / path.name))
    for sentence in expected["sentences"] + expected.get("paragraphs", []):
        assert " ".join(sentence.split()) in prose
    headers = [_title_key(r) for r in rows]
    for table in expected["tables"]:
        assert _title_key(["", *table["header"]]) in headers
        for row in table["rows"]:
            assert row in rows


SEED = ROOT / "data" / "records" / "lead-technician-vs-software-support-technician.json"


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_says_the_same(fmt):
    """The seed's facts appear in every format (HTML and JSON are read back from Markdown)."""
    text = api.narrate(SEED, format=fmt)
    if fmt == "html":
        text = html.unescape(text)
    elif fmt == "json":
        text = json.loads(text)["body_markdown"]
    for needle in ("Lead Technician", "$90,615", "Between $67,000 And $121,000", "83.4%",
                   "lead technicians' and software support technicians' demographics"):
        assert needle in text
