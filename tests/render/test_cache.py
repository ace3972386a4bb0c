"""The template cache (narrator/render/cache.py, issue 24 item 10): what it keeps is never
stale, runs sharing it never read half an entry, and a folder others can write is not used."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from narrator import api
from narrator.render import cache
from narrator.render.renderer import Renderer
from tests.conftest import ROOT, cli

SEED = ROOT / "data" / "records" / "field-service-technician-vs-repair-technician.json"
NARRATE = Path(os.sys.executable).parent / "narrate"  # type: ignore[attr-defined]


def entries(folder: Path) -> set[str]:
    return {p.name for p in (folder / "templates").iterdir()}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def render(*args: object) -> str:
    """``narrate ARGS`` in this process, as a new process would: no renderer kept from an
    earlier call (api.renderer_for keeps them for the process)."""
    api.renderer_for.cache_clear()
    code, out, err = cli(*args)
    assert code == 0, err
    return out


def test_a_warm_cache_renders_what_no_cache_renders(folder: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    cold = render(SEED)
    made = entries(folder)
    assert any(n.endswith(".jinja") for n in made) and any(n.endswith(".json") for n in made)
    warm = render(SEED)
    assert warm == cold and entries(folder) == made  # read back, nothing new written
    monkeypatch.setenv(cache.ENV, "")
    assert render(SEED) == cold
    bls = render(ROOT / "data" / "bls", "-r", "civil-engineer-vs-electrical-engineer")
    monkeypatch.setenv(cache.ENV, str(folder))
    assert render(ROOT / "data" / "bls", "-r", "civil-engineer-vs-electrical-engineer") == bls


def test_an_edited_template_is_compiled_again(folder: Path, tmp_path: Path) -> None:
    override = tmp_path / "templates" / "comparison"
    override.mkdir(parents=True)
    intro = override / "intro.md.j2"
    intro.write_text('{% extends "narrator/comparison/intro.md.j2" %}\n'
                     '{% block qualify %}FIRST{% endblock %}\n', encoding="utf-8")
    assert "FIRST" in render(SEED, "-t", tmp_path / "templates")
    stat = intro.stat()
    intro.write_text('{% extends "narrator/comparison/intro.md.j2" %}\n'
                     '{% block qualify %}AGAIN{% endblock %}\n', encoding="utf-8")
    os.utime(intro, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime
    out = render(SEED, "-t", tmp_path / "templates")
    assert "AGAIN" in out and "FIRST" not in out


def test_new_narrator_code_is_a_new_key(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The key covers the code generator (narrator.render's source), Jinja's and narrator's
    versions: entries of other code are never read."""
    Renderer()
    before = entries(folder)
    monkeypatch.setattr(cache, "_code_fingerprint", lambda: "another version of narrator")
    Renderer()
    assert entries(folder) - before  # compiled again, under new keys
    assert len(entries(folder)) == 2 * len(before)


def test_a_damaged_entry_is_compiled_again(folder: Path) -> None:
    first = render(SEED)
    for path in (folder / "templates").iterdir():
        path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2] + b"\x00garbage")
    assert render(SEED) == first


def test_runs_filling_one_cache_at_once_agree(folder: Path) -> None:
    env = {**os.environ, cache.ENV: str(folder)}
    procs = [subprocess.Popen([str(NARRATE), str(SEED)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=env) for _ in range(6)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 6, outs[0][1]
    assert len({out for out, _ in outs}) == 1 and outs[0][0].decode() == render(SEED)
    assert not [n for n in entries(folder) if n.endswith(".tmp")]  # every write renamed into place


@pytest.mark.parametrize("make", [
    lambda p: p.chmod(0o777),  # anyone may write its code
    lambda p: p.chmod(0o770),  # the group may
])
def test_a_folder_others_can_write_is_not_used(folder: Path, make) -> None:
    (folder / "templates").mkdir(parents=True)
    make(folder / "templates")
    assert cache.folder() is None
    render(SEED)
    assert entries(folder) == set()


def test_an_unwritable_folder_is_passed_over(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(cache.ENV, str(blocker))
    assert cache.folder() is None
    assert render(SEED) == render(SEED)
