"""The README documents every command and option (sqlite-utils style)."""

from __future__ import annotations

import pytest

from narrator.cli import main

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
OPTIONS = [(name, opt) for name, cmd in sorted(main.commands.items())
           for p in cmd.params for opt in p.opts if opt.startswith("--") and opt != "--help"]


@pytest.mark.parametrize("command", sorted(main.commands))
def test_command_documented(command):
    assert f"narrate {command}" in README or (command == "render" and "narrate RECORD" in README)


@pytest.mark.parametrize("command,option", OPTIONS, ids=[f"{c} {o}" for c, o in OPTIONS])
def test_option_documented(command, option):
    assert f"`{option}`" in README or f"[{option}" in README or f" {option} " in README
