"""What enters the run key (``batch/keys.py``), input by input: narrator's own files, every
file of a template folder, the variants table of the shipped templates, and the one-line
error for a template that cannot be read. Whole reruns are in test_run_keys.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from narrator.batch import keys
from narrator.batch.keys import run_keys
from narrator.batch.runner import Options
from narrator.errors import TemplateError
from tests.conftest import ROOT


def key(tmp_path: Path, **options) -> bytes:
    return run_keys(Options(out=tmp_path / "out", **options))[0]


@pytest.mark.parametrize("name, shapes", [
    ("render/code.py", True), ("data/table.json", True),  # narrator's code and its data
    ("notes.txt", False), ("README.md", False),
])
def test_rule_narrators_own_code_and_data_are_in_the_key(tmp_path, monkeypatch, name, shapes):
    package = tmp_path / "narrator"
    for f in ("render/code.py", "data/table.json", "notes.txt", "README.md"):
        (package / f).parent.mkdir(parents=True, exist_ok=True)
        (package / f).write_text("one")
    monkeypatch.setattr(keys, "_HERE", package)
    before = key(tmp_path)
    (package / name).write_text("two")
    assert (key(tmp_path) != before) == shapes


def test_rule_every_file_of_a_template_folder_is_in_the_key(tmp_path):
    """Not only *.j2: a template may include any file ({% include "comparison/note.md" %})."""
    tpl = tmp_path / "tpl" / "comparison"
    tpl.mkdir(parents=True)
    (tpl / "note.md").write_text("one")
    before = key(tmp_path, template_dirs=(tmp_path / "tpl",))
    (tpl / "note.md").write_text("two")
    assert key(tmp_path, template_dirs=(tmp_path / "tpl",)) != before


def test_rule_every_slot_of_the_shipped_templates_is_in_the_table():
    """Each slot's bodies are hashed, so a rerun knows which pages a variant's edit touches;
    a slot missing from the table would make every page that met it render again."""
    shipped = {m for p in (ROOT / "templates").rglob("*.j2")
               for m in re.findall(r'{%-?\s*variants\s+"(\w+)"', p.read_text(encoding="utf-8"))}
    assert len(shipped) > 10
    table = run_keys(Options(out=Path("out")))[1]
    assert set(table) == shipped
    assert all(len(hashes) >= 2 for hashes in table.values())


def test_a_template_that_cannot_be_read_is_one_line(tmp_path, monkeypatch):
    tpl = tmp_path / "tpl" / "comparison"
    tpl.mkdir(parents=True)
    (tpl / "intro.md.j2").write_text("x")
    real = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self.name == "intro.md.j2" and self.parent == tpl:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(TemplateError) as err:
        key(tmp_path, template_dirs=(tmp_path / "tpl",))
    assert str(err.value) == f"{tpl / 'intro.md.j2'}: cannot read: Permission denied"
