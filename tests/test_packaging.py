"""An installed (non-editable) narrator carries its templates and data: the package as
setuptools builds it from pyproject.toml renders the seed from any working directory."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

SEED = ROOT / "data" / "records" / "lead-technician-vs-software-support-technician.json"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """narrator as a wheel would hold it (setuptools' build_py: the wheel's file list)."""
    lib = tmp_path_factory.mktemp("build") / "lib"
    result = subprocess.run([sys.executable, "-c", "from setuptools import setup; setup()", "-q",
                             "build_py", "--build-lib", str(lib)],
                            cwd=ROOT, check=True, capture_output=True, text=True)
    (lib.parent / "build.log").write_text(result.stderr, encoding="utf-8")
    return lib


def test_every_template_ships_inside_the_package(built):
    shipped = built / "narrator" / "_builtin_templates"
    sources = sorted(p.relative_to(ROOT / "templates") for p in (ROOT / "templates").rglob("*")
                     if p.is_file())
    assert sources, "templates/ is empty"
    for rel in sources:
        assert (shipped / rel).read_bytes() == (ROOT / "templates" / rel).read_bytes(), rel
    assert (built / "narrator" / "data" / "inflections.json").is_file()


def test_every_page_template_ships(built):
    """narrator's own HTML pages (article page, review pages) are package data, not modules:
    a pattern missing from package-data leaves them out of a wheel without a warning."""
    sources = sorted(p.relative_to(ROOT) for p in (ROOT / "narrator").rglob("*.html.j2"))
    assert sources, "no page templates found"
    for rel in sources:
        assert (built / rel).read_bytes() == (ROOT / rel).read_bytes(), rel


def test_the_built_package_renders_the_seed_from_elsewhere(built, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(built)}
    where = subprocess.run(
        [sys.executable, "-c",
         "import narrator.render.environment as t; print(t.BUILTIN_TEMPLATES)"],
        cwd=tmp_path, env=env, check=True, capture_output=True, text=True).stdout.strip()
    assert where == str(built / "narrator" / "_builtin_templates")
    article = subprocess.run([sys.executable, "-m", "narrator.cli", str(SEED)],
                             cwd=tmp_path, env=env, check=True, capture_output=True, text=True)
    expected = subprocess.run([sys.executable, "-m", "narrator.cli", str(SEED)],
                              cwd=ROOT, check=True, capture_output=True, text=True)
    assert article.stdout == expected.stdout and article.stdout.startswith("# Lead technician vs")
    page = subprocess.run([sys.executable, "-m", "narrator.cli", str(SEED), "--format", "html"],
                          cwd=tmp_path, env=env, check=True, capture_output=True, text=True)
    assert page.stdout.startswith("<!DOCTYPE html>") and "<h1>Lead technician vs" in page.stdout


def test_every_module_ships_as_a_listed_package(built):
    """pyproject lists packages by hand (templates/ is mapped into the package). setuptools
    still copies a subpackage left out of that list, as data, with a warning that this will
    stop: the warning is the failure."""
    sources = {p.relative_to(ROOT) for p in (ROOT / "narrator").rglob("*.py")}
    shipped = {p.relative_to(built) for p in (built / "narrator").rglob("*.py")}
    assert sources - shipped == set()
    log = (built.parent / "build.log").read_text(encoding="utf-8")
    assert "please list it in `packages`" not in log, log
