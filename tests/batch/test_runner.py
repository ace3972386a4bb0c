"""`narrate --all`: a whole data set, parallel, incremental, failures isolated."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from narrator.batch.runner import Options, narrate_all
from narrator.cli import main
from tests.conftest import ROOT, small_data_set, tree

BLS = ROOT / "data" / "bls"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """Two standalone records and a profile set of five real BLS jobs with their pairs."""
    d = small_data_set(tmp_path, records=2, jobs=5)
    (d / "bls" / "PROVENANCE.md").write_text("ignored", encoding="utf-8")
    return d


def test_writes_every_article_and_an_index(data, tmp_path):
    out = tmp_path / "out"
    s = narrate_all(data, Options(out=out, formats=("md", "json")), jobs=1)
    assert (s.written, s.skipped, s.failed) == (12, 0, 0)   # 2 records + C(5, 2) pairs
    index = [json.loads(line) for line in (out / "index.jsonl").read_text().splitlines()]
    assert len(index) == 12
    for entry in index:
        assert [f["format"] for f in entry["files"]] == ["md", "json"]
        for f in entry["files"]:
            assert hashlib.sha256((out / f["path"]).read_bytes()).hexdigest() == f["sha256"]
    assert len(tree(out)) == 12 * 2 + 1   # no temporary files left behind


def test_parallel_and_serial_runs_are_byte_identical(data, tmp_path):
    narrate_all(data, Options(out=tmp_path / "one"), jobs=1)
    narrate_all(data, Options(out=tmp_path / "two"), jobs=2)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_rerun_renders_only_what_changed(data, tmp_path):
    opts = Options(out=tmp_path / "out")
    narrate_all(data, opts, jobs=1)
    before = tree(opts.out)
    again = narrate_all(data, opts, jobs=1)
    assert (again.written, again.skipped) == (0, 12)
    assert tree(opts.out) == before

    jobs_file = data / "bls" / "jobs.jsonl"
    lines = jobs_file.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first["jobs"] += 1
    lines[0] = json.dumps(first)
    jobs_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    changed = narrate_all(data, opts, jobs=1)
    assert (changed.written, changed.skipped) == (4, 8)   # the four pairs with the first job

    (opts.out / "lead-technician-vs-software-support-technician.md").unlink(missing_ok=True)
    for p in sorted(opts.out.glob("*.md"))[:1]:
        p.unlink()
    assert narrate_all(data, opts, jobs=1).written == 1   # a deleted output is written again


def test_template_change_rerenders_everything(data, tmp_path):
    opts = Options(out=tmp_path / "out")
    narrate_all(data, opts, jobs=1)
    override = tmp_path / "tpl" / "comparison"
    override.mkdir(parents=True)
    (override / "title.txt.j2").write_text("{{ a.title|cap }} versus {{ b.title }}\n")
    s = narrate_all(data, Options(out=opts.out, template_dirs=(tmp_path / "tpl",)), jobs=1)
    assert (s.written, s.skipped) == (12, 0)
    assert " versus " in next(opts.out.glob("*.md")).read_text(encoding="utf-8")


@pytest.mark.parametrize("library", ["babel", "jinja2", "inflect"])
def test_a_library_upgrade_rerenders_everything(data, tmp_path, monkeypatch, library):
    """A new Babel can change a number's format (new CLDR data): its version is in the key."""
    from narrator.batch import keys

    opts = Options(out=tmp_path / "out")
    narrate_all(data, opts, jobs=1)
    real = keys.metadata.version
    monkeypatch.setattr(keys.metadata, "version",
                        lambda name: "999.0" if name == library else real(name))
    s = narrate_all(data, opts, jobs=1)
    assert (s.written, s.skipped) == (12, 0)


def test_bad_records_are_isolated(data, tmp_path):
    jobs_file = data / "bls" / "jobs.jsonl"
    lines = jobs_file.read_text(encoding="utf-8").splitlines()
    bad = json.loads(lines[1])
    bad["salary"] = "lots"
    lines[1] = json.dumps(bad)
    jobs_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with (data / "bls" / "pairs.jsonl").open("a") as f:
        f.write(json.dumps({"id": "x-vs-y", "a": "nobody", "b": bad["id"]}) + "\n")
    (data / "broken.json").write_text("{", encoding="utf-8")

    result = CliRunner().invoke(main, ["--all", "--data", str(data), "--out", str(tmp_path / "o"),
                                       "--jobs", "1"])
    assert result.exit_code == 1
    err = result.stderr.splitlines()
    # the bad job fails its four pairs with one message, printed once with the count
    assert f"narrate: error: {jobs_file}: {bad['id']}: salary: expected float | null, got str " \
           f"(4 items)" in err
    assert any("broken.json: malformed JSON" in line for line in err)
    assert any("pairs.jsonl: x-vs-y: a: no job 'nobody'" in line for line in err)
    assert err[-1].startswith("narrate: 8 written, 0 unchanged (skipped), 6 failed")
    assert "Traceback" not in result.output


def test_duplicate_ids_name_both_places(data, tmp_path):
    src = next((data / "records").glob("*.json"))
    shutil.copy(src, data / "records" / "copy.json")
    s = narrate_all(data, Options(out=tmp_path / "out"), jobs=1)
    assert s.failed == 1
    assert "also used by" in s.errors[0] and src.name in s.errors[0] and "copy.json" in s.errors[0]


def _stderr_of_run(data: Path, out: Path, tty: bool) -> str:
    import os
    import pty
    import subprocess
    import sys

    if tty:
        leader, follower = pty.openpty()
        proc = subprocess.Popen([sys.executable, "-m", "narrator.cli", "--all", "--data", str(data),
                                 "--out", str(out)], cwd=ROOT, stderr=follower,
                                stdout=subprocess.DEVNULL)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        proc.wait()
        os.close(leader)
        return b"".join(chunks).decode()
    return subprocess.run([sys.executable, "-m", "narrator.cli", "--all", "--data", str(data),
                           "--out", str(out)], cwd=ROOT, capture_output=True, text=True).stderr


def test_progress_bar_only_on_a_terminal(data, tmp_path):
    quiet = _stderr_of_run(data, tmp_path / "a", tty=False)
    assert quiet == f"narrate: 12 written, 0 unchanged (skipped), 0 failed -> {tmp_path / 'a'}\n"
    shown = _stderr_of_run(data, tmp_path / "b", tty=True)
    assert "narrate  [" in shown and "100%" in shown
    assert "12 written" in shown


def test_batch_output_equals_single_article_output(tmp_path):
    """`narrate --all` writes exactly what `narrate RECORD` prints, record by record."""
    from narrator import api

    records = sorted((ROOT / "data" / "records").glob("*.json"))
    narrate_all(ROOT / "data" / "records", Options(out=tmp_path, formats=("md", "html")), jobs=1)
    for path in records:
        rid = json.loads(path.read_text(encoding="utf-8"))["id"]
        assert (tmp_path / f"{rid}.md").read_text(encoding="utf-8") == api.narrate(path)
        assert (tmp_path / f"{rid}.html").read_text(encoding="utf-8") == api.narrate(
            path, format="html")


def test_only_renders_listed_ids_and_reports_unknown_ones(data, tmp_path):
    ids = tmp_path / "ids.txt"
    first = json.loads(next((data / "records").glob("*.json")).read_text())["id"]
    ids.write_text(f"# a comment\n{first}  # why\nno-such-id\n", encoding="utf-8")
    from narrator.sources import read_ids

    s = narrate_all(data, Options(out=tmp_path / "out"), jobs=1, only=read_ids(ids))
    assert (s.written, s.failed) == (1, 1)
    assert s.errors == ["no-such-id: listed in --only but not found under the data"]


def test_duplicate_filter_false_alarms_are_settled_exactly(data, tmp_path, monkeypatch):
    """With a tiny filter every id looks seen before; each is still written once, correctly."""
    from narrator.batch import runner

    normal = tmp_path / "normal"
    narrate_all(data, Options(out=normal), jobs=1)
    monkeypatch.setattr(runner.SeenIds, "BITS", 8)
    crowded = tmp_path / "crowded"
    s = narrate_all(data, Options(out=crowded), jobs=2)
    assert (s.written, s.failed) == (12, 0)
    a, b = tree(normal), tree(crowded)
    assert sorted(a.pop("index.jsonl").splitlines()) == sorted(b.pop("index.jsonl").splitlines())
    assert a == b


@pytest.mark.parametrize("setup", [
    lambda d: None,
    lambda d: (d / "notes.txt").write_text("x"),
    lambda d: (d / ".hidden").mkdir() or (d / ".hidden" / "r.json").write_text("{}"),
], ids=["empty", "other files", "hidden records"])
def test_a_data_directory_without_records_is_an_error_and_out_is_untouched(tmp_path, setup):
    """Most likely a wrong path: an error naming the directory, not "0 written" and exit 0."""
    empty, out = tmp_path / "empty", tmp_path / "out"
    empty.mkdir()
    setup(empty)
    out.mkdir()
    (out / "kept.md").write_text("kept", encoding="utf-8")
    result = CliRunner().invoke(main, ["--all", "--data", str(empty), "--out", str(out)])
    assert result.exit_code == 1
    assert result.stderr == (f"narrate: error: {empty}: no record files (.json, .jsonl, .yaml, "
                             f".yml) or profile sets (jobs.jsonl + pairs.jsonl) in this "
                             f"directory\n")
    assert tree(out) == {"kept.md": b"kept"}


def test_a_fifo_named_like_a_record_is_not_read(tmp_path):
    """Reading a FIFO blocks until someone writes to it: --all and check must not hang."""
    import os
    import subprocess
    import sys

    d = tmp_path / "data"
    d.mkdir()
    shutil.copy(sorted((ROOT / "data" / "records").glob("*.json"))[0], d)
    os.mkfifo(d / "pipe.json")
    for args in (["--all", "--data", str(d), "--out", str(tmp_path / "out")],
                 ["check", "--data", str(d)]):
        result = subprocess.run([sys.executable, "-m", "narrator.cli", *args], cwd=ROOT,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "out").glob("*.md"))) == 1


@pytest.mark.parametrize("code,fatal", [("ENOSPC", True), ("EROFS", True), ("EDQUOT", True),
                                        ("ENAMETOOLONG", False), ("EACCES", False)])
def test_write_errors_that_stop_a_run(code, fatal):
    import errno

    from narrator.errors import NarratorError, OutputError, write_error

    err = write_error(OSError(getattr(errno, code), os.strerror(getattr(errno, code))), "out/x.md")
    assert isinstance(err, NarratorError) and isinstance(err, OutputError) is fatal
    assert str(err).startswith(f"out/x.md: cannot write: {os.strerror(getattr(errno, code))}")


def test_a_full_disk_stops_the_run_with_one_line_and_nothing_partial(data, tmp_path, monkeypatch):
    import errno

    from narrator import writers

    real, calls = writers.tempfile.mkstemp, []

    def mkstemp(*args, **kwargs):
        calls.append(1)
        if len(calls) > 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(writers.tempfile, "mkstemp", mkstemp)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["--all", "--data", str(data), "--out", str(out),
                                       "--jobs", "1"])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("narrate: error: ")
    assert "No space left on device (the run stops here" in result.stderr
    articles = sorted(p.name for p in out.glob("*.md"))
    # complete files; no index, no temporary files; the journal a rerun resumes from lists
    # only files that are there
    assert sorted(p.name for p in out.iterdir()) == sorted([*articles, ".index.jsonl.partial"])
    assert len(articles) == 3
    for line in (out / ".index.jsonl.partial").read_text(encoding="utf-8").splitlines():
        assert all(f["path"] in articles for f in json.loads(line)["files"])


def test_an_index_that_cannot_be_opened_is_an_error_not_a_traceback(tmp_path):
    from narrator.batch.index import IndexWriter
    from narrator.errors import NarratorError

    with pytest.raises(NarratorError, match=r"missing/index\.jsonl: cannot write"):
        IndexWriter(tmp_path / "missing" / "index.jsonl")


@pytest.mark.parametrize("where", ["out inside data", "same", "data inside out"])
def test_overlapping_output_and_data_directories_are_refused(data, tmp_path, where):
    """JSON articles and index.jsonl under --data would be read back as records next run; data
    under --out would be taken for old files (53,688 failures once)."""
    if where == "data inside out":
        out = tmp_path / "o"
        data = Path(shutil.copytree(data, out / "data"))
    else:
        out = data / "out" if where == "out inside data" else data
    result = CliRunner().invoke(main, ["--all", "--data", str(data), "--out", str(out),
                                       "--format", "json", "--jobs", "1"])
    assert result.exit_code == 1
    assert result.stderr == (f"narrate: error: {out}: the output directory and the data "
                             f"directory {data} overlap: articles would be read as records by "
                             f"the next run (or records taken for old files); choose an --out "
                             f"apart from --data\n")
    assert not (data / "out").exists() and not (data / "index.jsonl").exists()
    assert not (out / "index.jsonl").exists()


@pytest.mark.parametrize("content,words", [(None, "No such file or directory"),
                                           (b"\xff\xfe", "not UTF-8 (byte 0)")])
def test_an_unreadable_only_list_is_one_line(data, tmp_path, content, words):
    ids = tmp_path / "ids.txt"
    if content is not None:
        ids.write_bytes(content)
    result = CliRunner().invoke(main, ["--all", "--data", str(data), "--out", str(tmp_path / "o"),
                                       "--only", str(ids)])
    assert result.exit_code == 1
    assert result.stderr == f"narrate: error: {ids}: cannot read the id list: {words}\n"


LOOP = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}x"


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_article_past_the_time_limit_is_reported_and_the_run_goes_on(tmp_path, jobs):
    """An override that loops (10^10 steps) must not stall the run: the article is skipped."""
    import signal

    records = tmp_path / "data"
    records.mkdir()
    for p in sorted((ROOT / "data" / "records").glob("*.json"))[:2]:
        shutil.copy(p, records)
    (tmp_path / "tpl" / "comparison").mkdir(parents=True)
    (tmp_path / "tpl" / "comparison" / "skills.md.j2").write_text(
        "{% if a.title.startswith('field') %}" + LOOP + "{% endif %}", encoding="utf-8")
    handler = signal.getsignal(signal.SIGALRM)
    opts = Options(out=tmp_path / "out", template_dirs=(tmp_path / "tpl",), time_limit=0.3)
    s = narrate_all(records, opts, jobs=jobs)
    assert (s.written, s.failed) == (1, 1)
    assert s.errors == [f"{records}/field-service-technician-vs-repair-technician.json: record 1: "
                        f"took more than 0.3 s to render (a template that loops?); skipped"]
    assert [p.name for p in (tmp_path / "out").glob("*.md")] == [
        "hardware-technician-vs-information-technology-support-technician.md"]
    assert signal.getsignal(signal.SIGALRM) is handler  # restored after the run


def _records_jsonl(path: Path, n: int) -> list[str]:
    """``n`` standalone records made from the seed record, one per line, ids numbered."""
    seed = json.loads((ROOT / "data" / "records" /
                       "lead-technician-vs-software-support-technician.json").read_text("utf-8"))
    lines = []
    for i in range(n):
        rec = {**seed, "id": f"pair-{i:05d}", "a": {**seed["a"], "salary": 50_000 + i}}
        lines.append(json.dumps(rec, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lines


@pytest.mark.slow
def test_a_big_jsonl_is_split_across_workers_with_the_same_result(tmp_path):
    """One .jsonl of 1,234 records is three chunks of lines (not one unit of work): run on two
    workers it gives the same bytes as one process, every record once."""
    from narrator.sources import CHUNK, discover, iter_chunks

    data = tmp_path / "data"
    data.mkdir()
    _records_jsonl(data / "all.jsonl", 1234)
    chunks = list(iter_chunks(discover(data)))
    assert [(kind, len(items)) for kind, _, items in chunks] == \
        [("lines", CHUNK), ("lines", CHUNK), ("lines", 1234 - 2 * CHUNK)]
    one = narrate_all(data, Options(out=tmp_path / "one"), jobs=1)
    two = narrate_all(data, Options(out=tmp_path / "two"), jobs=2)
    assert (one.written, two.written, one.failed, two.failed) == (1234, 1234, 0, 0)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_bad_lines_of_a_jsonl_fail_alone_with_their_line_numbers(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    lines = _records_jsonl(data / "all.jsonl", 6)
    raw = [line.encode() for line in lines]
    raw[1] = b'{"id": "broken", '                               # line 2: malformed
    raw[3] = raw[3].replace(b'"id": "pair-00003"', b'"id": "pair-\xff"')  # line 4: not UTF-8
    bad = json.loads(lines[4])
    bad["a"]["salary"] = "lots"
    raw[4] = json.dumps(bad).encode()                          # line 5: wrong type
    (data / "all.jsonl").write_bytes(b"\xef\xbb\xbf" + b"\n".join(raw) + b"\n")  # and a BOM
    result = CliRunner().invoke(main, ["--all", "--data", str(data), "--out",
                                       str(tmp_path / "o"), "--jobs", "2"])
    assert result.exit_code == 1
    err = result.stderr.splitlines()
    path = data / "all.jsonl"
    assert f"narrate: error: {path}: malformed JSON at line 2, column 18: Expecting property " \
           f"name enclosed in double quotes" in err
    assert f"narrate: error: {path}: line 4: not UTF-8 text (bad byte at column 14)" in err
    assert f"narrate: error: {path}: pair-00004: a.salary: expected float | null, got str" in err
    assert err[-1].startswith("narrate: 3 written, 0 unchanged (skipped), 3 failed")
    assert sorted(p.name for p in (tmp_path / "o").glob("*.md")) == \
        ["pair-00000.md", "pair-00002.md", "pair-00005.md"]
    assert "Traceback" not in result.output


def test_job_table_reads_lines_by_offset(tmp_path):
    """jobs.jsonl is indexed, not held: any layout of a line, a BOM, blank lines, a repeated
    id (the last line wins) and a broken line that only its own pairs notice."""
    from narrator.sources import JobTable

    jobs = [json.loads(line) for line in
            (BLS / "jobs.jsonl").read_text(encoding="utf-8").splitlines()[:3]]
    reordered = {k: jobs[1][k] for k in sorted(jobs[1], reverse=True)}  # "id" not first
    assert next(iter(reordered)) != "id"
    again = {**jobs[0], "title": "Second Line Title"}
    lines = [json.dumps(jobs[0]), "", json.dumps(reordered), "   ",
             '{"id": "broken", "title": ', json.dumps(again)]
    path = tmp_path / "jobs.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode() + b"\n")
    table = JobTable(path)
    assert jobs[1]["id"] in table and "broken" in table and "nobody" not in table
    first, text = table.get(jobs[0]["id"])
    assert first.title == "Second Line Title"
    assert json.loads(text)["title"] == "Second Line Title"
    assert table.get(jobs[1]["id"])[0].id == jobs[1]["id"]
    err, _ = table.get("broken")
    assert str(err).startswith(f"{path}: malformed JSON at line 5")
    with pytest.raises(KeyError):
        table.get("nobody")


def test_a_job_line_that_cannot_be_read_is_one_error_and_the_pairs_render(data, tmp_path):
    jobs_file = data / "bls" / "jobs.jsonl"
    jobs_file.write_text("not json\n" + jobs_file.read_text(encoding="utf-8"), encoding="utf-8")
    s = narrate_all(data, Options(out=tmp_path / "out"), jobs=2)
    assert (s.written, s.failed) == (12, 1)
    [error] = s.errors
    assert error.startswith(f"{jobs_file}: malformed JSON at line 1")


def test_equal_jobs_of_standalone_records_become_one_object(tmp_path):
    """The renderer prepares a job's values once per job object: standalone records that
    repeat a job in full must hand it the same object, and a different job a different one."""
    from narrator.sources import Resolver

    lines = _records_jsonl(tmp_path / "r.jsonl", 3)
    resolver = Resolver()
    recs = [resolver.comparison("lines", str(tmp_path / "r.jsonl"), f"line {n}", line)[0]
            for n, line in enumerate(lines, 1)]
    assert recs[0].b is recs[1].b is recs[2].b               # the same "b" job in every record
    assert recs[0].a is not recs[1].a and recs[0].a != recs[1].a   # "a" differs by salary
    assert [r.a.salary for r in recs] == [50_000, 50_001, 50_002]
