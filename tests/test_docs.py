"""The README documents every command and option (sqlite-utils style), and `.ci/run` runs
exactly the README's test command."""

from __future__ import annotations

import re

import click
import pytest

from narrator.cli import main
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, cmd in sorted(group.commands.items()):
        found.append((f"{prefix}{name}", cmd))
        if isinstance(cmd, click.Group):
            found += _commands(cmd, f"{prefix}{name} ")
    return found


COMMANDS = _commands(main)
OPTIONS = [(name, opt) for name, cmd in COMMANDS
           for p in cmd.params for opt in p.opts if opt.startswith("--") and opt != "--help"]


@pytest.mark.parametrize("command", [name for name, _ in COMMANDS])
def test_command_documented(command):
    assert f"narrate {command}" in README or (command == "render" and "narrate RECORD" in README)


@pytest.mark.parametrize("command,option", OPTIONS, ids=[f"{c} {o}" for c, o in OPTIONS])
def test_option_documented(command, option):
    assert f"`{option}`" in README or f"[{option}" in README or f" {option} " in README


# A path the README names, in prose or in a command: the repository's own folders only
# (out/ is what a run writes). Template names in {% extends "narrator/..." %} are loader names.
PATHS = sorted({m.rstrip(".,:;") for m in re.findall(
    r"(?<![\w/\"'.-])((?:\.ci|benchmarks|data|narrator|templates|tests)/[\w./*-]*)", README)
    if not m.startswith(("narrator/comparison/", "narrator/editorial/",
                         "narrator/_builtin_templates"))})  # (that one is inside a wheel)


def test_the_readme_names_paths_to_check():
    assert "tests/review_set.txt" in PATHS and len(PATHS) > 10


@pytest.mark.parametrize("path", PATHS)
def test_every_path_the_readme_names_exists(path):
    assert list(ROOT.glob(path)) if "*" in path else (ROOT / path).exists(), path


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert f"\n    {ci}\n" in README


def _layout() -> set[str]:
    """The paths the README's Layout section lists: a top-level row names its path whole, an
    indented row a file of the package above it."""
    section = README.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    paths, package = set(), ""
    for line in section.splitlines():
        top = re.match(r"    (narrator/\S*|[a-z.]\S*/\S*)\s", line)
        inner = re.match(r"      (\S+)\s", line)
        if top:
            package = top.group(1)
            paths.add(package)
        elif inner and package.endswith("/"):
            paths.add(package + inner.group(1))
    return paths


def test_the_layout_section_names_every_module():
    """A newcomer reads the tree from the README: every module of the package is listed (or
    lies in a package listed as a whole), and every listed path exists."""
    listed = _layout()
    assert {"narrator/render/renderer.py", "narrator/batch/index.py"} <= listed
    assert [p for p in sorted(listed) if not (ROOT / p).exists()] == []
    wholes = {p for p in listed if p.endswith("/") and not any(
        q != p and q.startswith(p) for q in listed)}
    missing = [str(path.relative_to(ROOT)) for path in sorted((ROOT / "narrator").rglob("*.py"))
               if path.name not in ("__init__.py", "__main__.py")
               and str(path.relative_to(ROOT)) not in listed
               and not any(str(path.relative_to(ROOT)).startswith(w) for w in wholes)]
    assert missing == []
