"""The output directory's index, line by line: what a rerun reads of the old one (look-ahead,
damaged and foreign lines, redirects an --only run carries), what a stopped run's journal
replaces, and the one-line errors of reading and writing it."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from narrator.batch import index
from narrator.batch.index import (
    IndexWriter,
    OldIndex,
    indexed_files,
    merge_journal,
    redirect_line,
    usable_entry,
)
from narrator.errors import InputError, NarratorError


def entry(rid: str, *paths: str, key: str = "k") -> str:
    """An index line in narrator's own layout (the id first)."""
    files = [{"format": p.rsplit(".", 1)[1], "path": p, "sha256": "0"} for p in paths]
    return json.dumps({"id": rid, "slug": rid, "title": rid, "files": files, "key": key})


def write_index(path: Path, *lines: str | bytes) -> Path:
    path.write_bytes(b"".join((x if isinstance(x, bytes) else x.encode()) + b"\n" for x in lines))
    return path


# --- indexed_files: the files a tree's index lists for its articles ---

@pytest.mark.parametrize("lines, names", [
    ([redirect_line("old", "a"), "", entry("a", "a.md"), redirect_line("x", "a"),
      entry("b", "b.md", "b.json")], {"a.md", "b.md", "b.json"}),
    # a redirect written another way (no id) is passed over, and what follows is read
    (['{"to": "a", "redirect": "old"}', entry("a", "a.md")], {"a.md"}),
    ([redirect_line("old", "a"), ""], None),  # no article: not a tree narrate --all wrote
    ([], None),
])
def test_rule_an_index_names_the_files_of_its_articles_only(tmp_path, lines, names):
    write_index(tmp_path / "index.jsonl", *lines)
    assert indexed_files(tmp_path) == (None if names is None else frozenset(names))


def test_no_index_is_no_tree():
    assert indexed_files(Path("/nonexistent-narrator-tree")) is None


@pytest.mark.parametrize("make, message", [
    (lambda p: p.mkdir(), "cannot read: not a regular file (a folder)"),
    (lambda p: p.write_bytes(b"\xff{}"), "cannot read: 'utf-8' codec can't decode byte 0xff in "
                                         "position 0: invalid start byte"),
])
def test_an_index_that_cannot_be_read_is_one_line(tmp_path, make, message):
    make(tmp_path / "index.jsonl")
    with pytest.raises(InputError) as err:
        indexed_files(tmp_path)
    assert str(err.value) == f"{tmp_path / 'index.jsonl'}: {message}"


# --- OldIndex: the previous run's index, read in step with the new work ---

def test_rule_every_entry_is_found_past_redirects_and_damaged_lines(tmp_path):
    path = write_index(tmp_path / "index.jsonl",
                       redirect_line("before-any", "a"), entry("a", "a.md"),
                       redirect_line("old-a", "a"), b"\xff\xfe not UTF-8",
                       '{"id": "no-key", "files": []}', entry("b", "b.md"),
                       '{"slug": "b", "id": "c", "files": [], "key": "k"}',  # parsed: id not first
                       '{"id": "no-files", "key": "k"}', entry("d", "d.md"))
    old = OldIndex(path)
    found = old.take(["d", "a", "c", "b", "missing", "no-key", "no-files"])
    assert sorted(found) == ["a", "b", "c", "d"]
    assert found["a"] == entry("a", "a.md")  # as read, without its newline
    assert old.damaged == "line 4"  # the first damaged line
    old.close()


def test_a_clean_index_is_not_damaged(tmp_path):
    old = OldIndex(write_index(tmp_path / "index.jsonl", entry("a", "a.md"),
                               redirect_line("x", "a")))
    assert old.take(["a", "b"]).keys() == {"a"} and old.damaged is None
    assert OldIndex(None).take(["a"]) == {} and OldIndex(tmp_path / "none").take(["a"]) == {}


def test_rule_an_only_run_keeps_each_entry_not_taken_with_its_redirects(tmp_path):
    (tmp_path / "a.md").write_text("a")
    (tmp_path / "c.md").write_text("c")
    path = write_index(tmp_path / "index.jsonl", redirect_line("orphan", "a"),
                       entry("a", "a.md"), redirect_line("a1", "a"), redirect_line("a2", "a"),
                       entry("b", "b.md"), redirect_line("b1", "b"),
                       entry("gone", "gone.md"), redirect_line("g1", "gone"),
                       entry("c", "c.md"), redirect_line("c1", "c"))
    old = OldIndex(path, keep_rest=True)
    assert old.take(["b"]).keys() == {"b"}
    names = frozenset({"a.md", "b.md", "c.md"})  # gone.md is not on disk: not kept
    assert list(old.rest(names)) == [entry("a", "a.md"), redirect_line("a1", "a"),
                                     redirect_line("a2", "a"), entry("c", "c.md"),
                                     redirect_line("c1", "c")]
    plain = OldIndex(path)  # a whole run reads redirects but keeps none
    assert plain.take(["c"]).keys() == {"c"}


@pytest.mark.parametrize("whole, found", [(0, False), (1, True)])
def test_rule_a_big_index_is_searched_only_so_far_ahead(tmp_path, monkeypatch, whole, found):
    """Up to READ_WHOLE bytes the index is read whole (any order finds every entry); past it,
    an entry more than LOOKAHEAD entries ahead is taken for new."""
    path = write_index(tmp_path / "index.jsonl", *(entry(f"r{n}", f"r{n}.md") for n in range(4)))
    monkeypatch.setattr(index, "LOOKAHEAD", 2)
    monkeypatch.setattr(OldIndex, "READ_WHOLE", path.stat().st_size - 1 + whole)
    old = OldIndex(path)
    assert ("r2" in old.take(["r2"])) == found  # two entries ahead of r2: r0, r1
    assert "r1" in old.take(["r1"])  # within the look-ahead either way


# --- a line's id and whether an old entry is usable ---

@pytest.mark.parametrize("line, rid", [
    (entry("a", "a.md"), "a"),
    ('{"key": "k", "id": "b"}', "b"),  # not narrator's layout: parsed
    ('{"id": 5}', None), ("[1]", None), ("not json", None),
])
def test_a_lines_id(line, rid):
    assert index._line_id(line) == rid


@pytest.mark.parametrize("line", [
    "[1]", "not json", '{"key": 1, "files": [{"path": "a.md"}]}', '{"key": "k"}',
    '{"key": "k", "files": []}', '{"key": "k", "files": "a.md"}', '{"key": "k", "files": [1]}',
    '{"key": "k", "files": [{"path": 1}]}', '{"key": "k", "files": [{"path": "gone.md"}]}',
    '{"key": "k", "files": [{"path": "a.md"}, {"path": "gone.md"}]}',
])
def test_rule_an_old_entry_is_trusted_only_in_narrators_shape_with_its_files_there(line):
    assert usable_entry(line, {"a.md"}) is None


def test_a_usable_entry():
    assert usable_entry(entry("a", "a.md", "a.json"), {"a.md", "a.json"}) == json.loads(
        entry("a", "a.md", "a.json"))


# --- merge_journal: a stopped run's finished articles over the old index ---

def test_rule_a_journal_entry_replaces_the_old_entry_and_its_redirects(tmp_path):
    old = write_index(tmp_path / "index.jsonl", entry("a", "a.md"), redirect_line("a0", "a"),
                      entry("b", "b.md", key="old"), redirect_line("b0", "b"), entry("c", "c.md"))
    journal = tmp_path / ".index.jsonl.partial"
    journal.write_text(entry("b", "b.md", key="new") + "\n" + redirect_line("b1", "b") + "\n"
                       + entry("d", "d.md") + "\n" + '{"id": "e", "cut sho')  # a crash
    os.utime(journal, ns=(10**18, 10**18))
    into = tmp_path / "merged.jsonl"
    merge_journal(old, journal, into)
    assert into.read_text().splitlines() == [
        entry("a", "a.md"), redirect_line("a0", "a"), entry("c", "c.md"),
        entry("b", "b.md", key="new"), redirect_line("b1", "b"), entry("d", "d.md")]
    assert into.stat().st_mtime_ns == 10**18  # the journal's time: see _untouched
    assert not journal.exists() and not (tmp_path / "merged.jsonl.tmp").exists()


@pytest.mark.parametrize("old", [None, "missing"])
def test_a_journal_without_an_old_index_is_the_index(tmp_path, old):
    journal = tmp_path / ".index.jsonl.partial"
    journal.write_text(entry("a", "a.md") + "\n")
    merge_journal(None if old is None else tmp_path / old, journal, tmp_path / "index.jsonl")
    assert (tmp_path / "index.jsonl").read_text() == entry("a", "a.md") + "\n"


# --- IndexWriter: streamed to a temporary file, in place only when the run ends ---

class Full:
    def writelines(self, lines):
        raise OSError(errno.EDQUOT, os.strerror(errno.EDQUOT))

    def close(self):
        pass


def test_a_full_disk_while_writing_the_index_is_one_line(tmp_path):
    writer = IndexWriter(tmp_path / "index.jsonl")
    writer.f.close()
    writer.f = Full()
    with pytest.raises(NarratorError) as err:
        writer.write(["x"])
    assert str(err.value) == (f"{tmp_path / 'index.jsonl'}: cannot write: Disk quota exceeded "
                              f"(the run stops here; every file written is complete)")


def test_an_index_that_cannot_be_put_in_place_is_one_line(tmp_path):
    (tmp_path / "index.jsonl").mkdir()
    (tmp_path / "index.jsonl" / "x").write_text("x")  # a folder in the way, not empty
    writer = IndexWriter(tmp_path / "index.jsonl")
    writer.write([entry("a", "a.md")])
    with pytest.raises(NarratorError) as err:
        writer.commit()
    assert str(err.value).startswith(f"{tmp_path / 'index.jsonl'}: cannot write: ")


def test_a_stopped_run_keeps_its_lines_as_the_journal_never_as_the_index(tmp_path):
    writer = IndexWriter(tmp_path / "index.jsonl")
    writer.write([entry("a", "a.md")])
    writer.stop()
    assert (tmp_path / ".index.jsonl.partial").read_text() == entry("a", "a.md") + "\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".index.jsonl.partial"]
    gone = IndexWriter(tmp_path / "index.jsonl")
    gone.tmp.unlink()  # removed under it: stopping still says nothing
    (tmp_path / ".index.jsonl.partial").unlink()
    gone.stop()
    assert list(tmp_path.iterdir()) == []


def test_a_journal_over_damaged_bytes_and_a_leading_redirect(tmp_path):
    """Bytes that are not UTF-8 (a line cut by a crash, a damaged disk) are kept as
    replacement characters, never a traceback; a redirect before any entry stays."""
    old = write_index(tmp_path / "index.jsonl", redirect_line("orphan", "a"), b"\xff damaged",
                      entry("a", "a.md"))
    journal = tmp_path / ".index.jsonl.partial"
    journal.write_bytes(entry("b", "b.md").encode() + b"\n\xfe also damaged\n")
    merge_journal(old, journal, tmp_path / "index.jsonl")
    assert (tmp_path / "index.jsonl").read_text(encoding="utf-8").splitlines() == [
        redirect_line("orphan", "a"), "\ufffd damaged", entry("a", "a.md"),
        entry("b", "b.md"), "\ufffd also damaged"]


def test_a_line_without_an_id_is_damaged(tmp_path):
    path = write_index(tmp_path / "index.jsonl", entry("a", "a.md"),
                       '{"slug": "x", "key": "k", "files": [{"path": "x.md"}]}')
    old = OldIndex(path)
    assert old.take(["a", "x"]).keys() == {"a"} and old.damaged == "line 2"
    old.close()
