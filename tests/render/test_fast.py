"""The speed layer (``narrator.render.fast``) changes no byte: pages rendered with it and with
plain Jinja (``fast=False``) are the same in every output format.

Like ``formatting._Compiled`` against Babel: the fast path is tested against the reference it
replaces, over real pages (the shipped reference records, a seeded sample of BLS pairs), in both
styles, with and without variation. The constructs a template might use around a fast-path
read are compared one by one in ``test_sandbox.py``; blocks written in place in
``test_templates.py``.
"""

from __future__ import annotations

import json
import random

import pytest

from narrator import formats
from narrator.formatting import NumberFormat
from narrator.render import environment, fast
from narrator.render.renderer import Renderer
from narrator.sources import iter_comparisons
from tests.conftest import ROOT

BLS = ROOT / "data" / "bls"
SAMPLE = 400  # BLS pairs per style: every kind of page shows up in a few hundred
SEED = 21  # the sample is the same on every run


def bls_sample() -> frozenset[str]:
    lines = (BLS / "pairs.jsonl").read_text(encoding="utf-8").splitlines()
    return frozenset(random.Random(SEED).sample([json.loads(p)["id"] for p in lines], SAMPLE))


def pages():
    """(record, data set) of every reference record and of the BLS sample."""
    return [*iter_comparisons(ROOT / "data" / "records"), *iter_comparisons(BLS, bls_sample())]


@pytest.mark.slow  # 1,640 pages a mode, rendered twice
@pytest.mark.parametrize("style", ["seed", "editorial"])
@pytest.mark.parametrize("variation", [True, False], ids=["variation", "no-variation"])
def test_fast_and_plain_jinja_write_the_same_bytes(style, variation):
    if not fast.SUPPORTED:
        pytest.skip("the installed Jinja is not one the fast path was written for")
    quick = Renderer(style=style, variation=variation)
    plain = Renderer(style=style, variation=variation, fast=False)
    assert quick.fast and not plain.fast
    found = pages()
    assert len(found) == 10 + SAMPLE
    for rec, dataset in found:
        ours, theirs = quick.render(rec, dataset), plain.render(rec, dataset)
        assert ours == theirs, rec.id
        for name, write in formats.FORMATS.items():
            assert write(ours).encode() == write(theirs).encode(), (rec.id, name)


@pytest.mark.parametrize(("version", "fits"), [
    ("3.1.0", True), ("3.1.6", True), ("3.1.7.dev0", True),
    ("3.0.3", False), ("3.2.0", False), ("4.0.0", False), ("", False), ("main", False),
])
def test_the_versions_the_fast_path_was_written_for(version, fits):
    assert fast.supports(version) is fits


def test_another_jinja_falls_back_to_plain_jinja(monkeypatch):
    """Outside those versions the overrides may not fit Jinja's internals: plain Jinja then,
    whatever ``fast`` says, and the same pages."""
    monkeypatch.setattr(fast, "SUPPORTED", False)
    env = environment.environment(NumberFormat("en_US"), fast=True)
    assert not isinstance(env, fast.FastPath)
    renderer = Renderer()
    assert not renderer.fast
    rec, dataset = next(iter_comparisons(ROOT / "data" / "records"))
    monkeypatch.setattr(fast, "SUPPORTED", True)
    assert Renderer().render(rec, dataset) == renderer.render(rec, dataset)
