"""`narrate --all` removes the files an earlier run wrote that this run no longer produces
(issue 24, item 1), and nothing else."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.conftest import cli, copy_records


def run(data: Path, out: Path, *args: object) -> tuple[int, str]:
    code, _, err = cli("--all", "--data", data, "--out", out, *args)
    return code, err


def names(out: Path) -> set[str]:
    return {p.name for p in out.iterdir()}


def test_a_dropped_format_and_a_dropped_record_lose_their_files(tmp_path: Path) -> None:
    data, out = copy_records(tmp_path / "data", 3), tmp_path / "out"
    assert run(data, out, "-f", "md", "-f", "html")[0] == 0
    dropped = sorted(data.iterdir())[0]
    rid = json.loads(dropped.read_text(encoding="utf-8"))["id"]
    dropped.unlink()
    code, err = run(data, out, "-f", "md")
    assert code == 0 and "4 stale file(s) of an earlier run removed" in err  # 3 html, 1 md
    assert not any(n.endswith(".html") for n in names(out))
    assert f"{rid}.md" not in names(out) and len(names(out)) == 3  # 2 articles + the index
    code, err = run(data, out, "-f", "md")  # nothing more to remove
    assert code == 0 and "removed" not in err


def test_what_narrator_did_not_write_or_a_failed_article_keeps_its_files(tmp_path: Path) -> None:
    data, out = copy_records(tmp_path / "data", 2), tmp_path / "out"
    assert run(data, out)[0] == 0
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    broken = sorted(data.iterdir())[0]
    record = json.loads(broken.read_text(encoding="utf-8"))
    broken.write_text(json.dumps({**record, "a": {**record["a"], "salary": "lots"}}),
                      encoding="utf-8")
    code, err = run(data, out)
    assert code == 1 and "removed" not in err  # the bad record fails; its last page stays
    assert {"notes.txt", f"{record['id']}.md"} <= names(out)


def test_a_link_in_place_of_an_old_file_is_not_followed(tmp_path: Path) -> None:
    data, out = copy_records(tmp_path / "data", 2), tmp_path / "out"
    assert run(data, out, "-f", "md", "-f", "txt")[0] == 0
    target = tmp_path / "precious.txt"
    target.write_text("keep", encoding="utf-8")
    old = sorted(out.glob("*.txt"))[0]
    old.unlink()
    old.symlink_to(target)
    code, err = run(data, out, "-f", "md")
    assert code == 0 and "1 stale file(s)" in err  # the other .txt; the link is left alone
    assert old.is_symlink() and target.read_text(encoding="utf-8") == "keep"


def test_an_only_run_removes_nothing(tmp_path: Path) -> None:
    data, out = copy_records(tmp_path / "data", 2), tmp_path / "out"
    assert run(data, out, "-f", "md", "-f", "txt")[0] == 0
    first = json.loads(sorted(data.iterdir())[0].read_text(encoding="utf-8"))["id"]
    only = tmp_path / "only.txt"
    only.write_text(first + "\n", encoding="utf-8")
    before = names(out)
    code, err = run(data, out, "-f", "md", "--only", only)
    assert code == 0 and "removed" not in err and names(out) == before


def test_report_and_diff_read_the_articles_the_index_lists(tmp_path: Path) -> None:
    """A file beside the run's articles that its index does not list (left by hand, or by a
    --only run that removes nothing) is not counted by report or diff; a folder without an
    index is read whole."""
    data = copy_records(tmp_path / "data", 3)
    old, new = tmp_path / "old", tmp_path / "new"
    assert run(data, old)[0] == 0 and run(data, new)[0] == 0
    stray = next(iter(sorted(new.glob("*.md")))).read_text(encoding="utf-8")
    (new / "left-over-vs-page.md").write_text(stray.replace("# ", "# Old: ", 1),
                                              encoding="utf-8")
    code, out, _ = cli("report", new, "--json")
    assert code == 0 and json.loads(out)["pages"] == 3
    code, out, _ = cli("diff", old, new)
    assert code == 0 and "changed 0, added 0, removed 0, unchanged 3" in out, out
    (new / "index.jsonl").unlink()  # not a tree of narrate --all: every article file counts
    code, out, _ = cli("report", new, "--json")
    assert code == 0 and json.loads(out)["pages"] == 4
    code, out, _ = cli("diff", old, new)
    assert code == 0 and "changed 0, added 1, removed 0, unchanged 3" in out, out


def test_an_index_that_is_not_one_is_one_line(tmp_path: Path) -> None:
    data, out = copy_records(tmp_path / "data", 1), tmp_path / "out"
    assert run(data, out)[0] == 0
    (out / "index.jsonl").write_text("not json\n", encoding="utf-8")
    code, _, err = cli("report", out)
    assert code == 1 and err == (f"narrate: error: {out / 'index.jsonl'}: line 1: not an "
                                 f"article entry of narrate --all\n")


def test_an_article_edited_with_its_old_time_put_back_is_written_again(tmp_path: Path) -> None:
    """touch -r, cp -p and rsync -a restore the modification time; the change time can't be."""
    data, out = copy_records(tmp_path / "data", 2), tmp_path / "out"
    assert run(data, out)[0] == 0
    page = sorted(out.glob("*.md"))[0]
    good, before = page.read_bytes(), page.stat()
    page.write_bytes(good.replace(b"# ", b"# Edited by hand: ", 1))
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    code, err = run(data, out)
    assert code == 0 and "1 written" in err, err
    assert page.read_bytes() == good
