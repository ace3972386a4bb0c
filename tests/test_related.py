"""Related comparisons (issue 23, item 5): the rule on hand-made pairs, then whole runs."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from narrator.article import Link
from narrator.batch.runner import Options, narrate_all
from narrator.formats import to_data, to_html, to_text
from narrator.frontmatter import front_matter
from narrator.related import PER_JOB, RelatedIndex, link_title, read_related
from narrator.render.renderer import Renderer
from narrator.sources import JobTable
from tests.conftest import ROOT, copy_records, job, profile_set

TITLES = {j: j for j in "abcdefghijkl"}


def ids(index: RelatedIndex, pid: str) -> list[tuple[str, str]]:
    return [(x.id, x.job) for x in index.links(pid)]


@pytest.mark.parametrize("pairs, page, expected", [
    # by score, the highest first
    ([("a-b", "a", "b", 0.1), ("a-c", "a", "c", 0.3), ("a-d", "a", "d", 0.2)], "a-b",
     [("a-c", "a"), ("a-d", "a")]),
    # equal scores: by pair id
    ([("a-b", "a", "b", 0.1), ("a-d", "a", "d", 0.2), ("a-c", "a", "c", 0.2)], "a-b",
     [("a-c", "a"), ("a-d", "a")]),
    # job a's links, then job b's
    ([("a-b", "a", "b", 0.1), ("b-c", "b", "c", 0.9), ("a-d", "a", "d", 0.2)], "a-b",
     [("a-d", "a"), ("b-c", "b")]),
    # a page listed under job a is not listed again under job b (the same pair id twice: the
    # first line wins)
    ([("a-b", "a", "b", 0.1), ("a-c", "a", "c", 0.5), ("a-c", "c", "b", 0.5)], "a-b",
     [("a-c", "a")]),
    # no score ranks after every scored page, ties by id
    ([("a-b", "a", "b", 0.1), ("a-z", "a", "z", None), ("a-c", "a", "c", 0.0),
      ("a-y", "a", "y", None)], "a-b", [("a-c", "a"), ("a-y", "a"), ("a-z", "a")]),
    # a page with no other page of its jobs in the run; a page not in the run
    ([("a-b", "a", "b", 0.1), ("c-d", "c", "d", 0.1)], "a-b", []),
    ([("a-b", "a", "b", 0.1)], "x-y", []),
    # a pair of a job with itself is left out
    ([("a-b", "a", "b", 0.1), ("a-a", "a", "a", 0.9)], "a-b", []),
], ids=["score", "ties by id", "a then b", "no repeats", "no score last", "none", "not in run",
        "same job"])
def test_ranking(pairs, page, expected) -> None:
    titles = {**TITLES, "z": "z", "y": "y"}
    assert ids(RelatedIndex(pairs, titles), page) == expected


def test_at_most_five_per_job_and_fewer_when_there_are_fewer() -> None:
    pairs = [("a-b", "a", "b", 0.0)]
    pairs += [(f"a-{c}", "a", c, i / 10) for i, c in enumerate("cdefghi")]
    pairs += [(f"b-{c}", "b", c, i / 10) for i, c in enumerate("jk")]
    links = ids(RelatedIndex(pairs, {**TITLES, "i": "i"}), "a-b")
    assert [x for x in links if x[1] == "a"] == [(f"a-{c}", "a") for c in "ihgfe"][:PER_JOB]
    assert [x for x in links if x[1] == "b"] == [("b-k", "b"), ("b-j", "b")]
    # the last place turns over the lower-ranked rest (e, b, c for a-d, 6th of a's 8 pages)
    index = RelatedIndex(pairs, {**TITLES, "i": "i"})
    assert [x for x in ids(index, "a-d") if x[1] == "a"] == [
        ("a-i", "a"), ("a-h", "a"), ("a-g", "a"), ("a-f", "a"), ("a-c", "a")]


@pytest.mark.parametrize("n", [6, 7, 9, 12, 20])
def test_every_page_is_linked_from_another(n: int) -> None:
    """A job with n pages, each of whose other jobs has no other page: the pages ranked low
    are still linked, from the pages above them."""
    pairs = [(f"hub-{i:02}", "hub", f"j{i:02}", round(1 - i / n, 3)) for i in range(n)]
    index = RelatedIndex(pairs, {"hub": "hub", **{f"j{i:02}": f"j{i}" for i in range(n)}})
    linked = {x.id for pid, *_ in pairs for x in index.links(pid)}
    assert linked == {pid for pid, *_ in pairs}
    assert all(len(index.links(pid)) == min(PER_JOB, n - 1) for pid, *_ in pairs)


def test_link_title_is_the_page_title() -> None:
    """The link's title is the title the page itself has (title.txt.j2 on both jobs' short
    titles), for jobs with and without a short title."""
    renderer = Renderer()
    from narrator.schema import Comparison
    for a, b in [(job("a", "brickmason"), job("b", "cement mason")),
                 (job("a", "information technology manager", short_title="IT manager"),
                  job("b", "iOS developer"))]:
        page = renderer.render(Comparison(id="a-vs-b", a=a, b=b))
        assert link_title(a.short_title or a.title, b.short_title or b.title) == page.title


def test_escaped_in_markdown_and_html() -> None:
    """A title is record text: escaped in the Markdown link and in the HTML."""
    from narrator.schema import Comparison
    links = (Link("x-vs-y", "x-vs-y", "A](evil.md) <b>*x*</b>", "a"),)
    page = Renderer().render(Comparison(id="a-vs-b", a=job("a", "cook"), b=job("b", "baker")),
                             related=links)
    md = dict(page.sections)["related"]
    assert "- [A\\](evil.md) \\<b\\>\\*x\\*\\</b\\>](x-vs-y.md)" in md
    assert '<li><a href="x-vs-y.html">A](evil.md) &lt;b&gt;*x*&lt;/b&gt;</a></li>' in to_html(page)
    assert "- A](evil.md) <b>*x*</b>" in to_text(page)
    assert to_data(page)["related"] == [{"id": "x-vs-y", "slug": "x-vs-y",
                                         "title": "A](evil.md) <b>*x*</b>", "job": "a"}]
    assert 'related: ["x-vs-y"]' in front_matter(page)


def test_read_related_passes_over_lines_it_cannot_link_to(tmp_path: Path) -> None:
    folder = profile_set(tmp_path / "bls", jobs=3)
    a, b, c = (json.loads(line)["id"] for line in (folder / "jobs.jsonl").read_text().splitlines())
    lines = [{"id": "p1", "a": a, "b": b, "score": 0.5}, {"id": "p2", "a": a, "b": c},
             {"id": "p3", "a": a, "b": "no-such-job", "score": 0.9},
             {"id": "Not A Slug", "a": a, "b": c, "score": 0.9},
             {"id": "p4", "a": a, "b": c, "score": True}]
    (folder / "pairs.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines) + "{bad\n")
    index = read_related(folder, JobTable(folder / "jobs.jsonl"))
    assert [x.id for x in index.links("p1")] == ["p2", "p4"]  # no score: by id
    assert "p3" not in index and "Not A Slug" not in index
    only = read_related(folder, JobTable(folder / "jobs.jsonl"), frozenset({"p1", "p4"}))
    assert [x.id for x in only.links("p1")] == ["p4"]


# Whole runs: eight real BLS jobs, a pair for every two (28 pages, seven per job), scored.

def scored_set(tmp_path: Path, records: int = 0) -> Path:
    data = tmp_path / "data"
    copy_records(data / "records", records)
    folder = profile_set(data / "bls", jobs=8, style=True)
    pairs = [json.loads(line) for line in (folder / "pairs.jsonl").read_text().splitlines()]
    for i, pair in enumerate(pairs):
        pair["score"] = round((i * 37 % 29) / 29, 3)
    (folder / "pairs.jsonl").write_text("".join(json.dumps(p) + "\n" for p in pairs))
    return data


def index_of(out: Path) -> dict[str, dict]:
    return {e["id"]: e for e in map(json.loads, (out / "index.jsonl").read_text().splitlines())
            if "id" in e}


def test_a_run_links_pages_of_the_run_in_every_format(tmp_path: Path) -> None:
    data = scored_set(tmp_path, records=2)
    out = tmp_path / "out"
    summary = narrate_all(data, Options(out=out, formats=("md", "html", "json")), jobs=1)
    assert summary.failed == 0, summary.errors
    entries = index_of(out)
    pages = {rid for rid, e in entries.items() if (out / f"{rid}.json").exists()}
    records = {p.stem for p in (data / "records").glob("*.json")}
    for rid in pages:
        article = json.loads((out / f"{rid}.json").read_text())
        md = (out / f"{rid}.md").read_text()
        html = (out / f"{rid}.html").read_text()
        if rid in records:  # a standalone record: no section, no data
            assert "related" not in article and "Related comparisons" not in md
            continue
        related = article["related"]
        assert 6 <= len(related) <= 2 * PER_JOB  # 6 other pages per job, 5 shown
        assert entries[rid]["related"] == [x["slug"] for x in related]
        for x in related:
            assert x["slug"] in pages and x["slug"] not in records and x["slug"] != rid
            assert x["title"] == entries[x["slug"]]["title"]  # the linked page's own title
        hrefs = re.findall(r'<a href="([^"]+)">', html)
        assert hrefs == [f"{x['slug']}.html" for x in related]
        assert all((out / h).is_file() for h in hrefs)
        md_links = re.findall(r"^- \[.*\]\(([^()]+)\)$", md, re.M)
        assert md_links == [f"{x['slug']}.md" for x in related]
        assert md.rstrip().splitlines()[-1] == f"- [{related[-1]['title']}]({md_links[-1]})"


def test_only_links_within_the_listed_pages(tmp_path: Path) -> None:
    data = scored_set(tmp_path)
    listed = sorted(json.loads(line)["id"]
                    for line in (data / "bls" / "pairs.jsonl").read_text().splitlines())[:9]
    only = frozenset(listed)
    out = tmp_path / "out"
    summary = narrate_all(data, Options(out=out, formats=("json",)), jobs=1, only=only)
    assert summary.failed == 0, summary.errors
    linked = {x["slug"] for rid in listed
              for x in json.loads((out / f"{rid}.json").read_text()).get("related", [])}
    assert linked and linked <= only


def test_front_matter_lists_the_related_slugs(tmp_path: Path) -> None:
    data = scored_set(tmp_path)
    out = tmp_path / "out"
    narrate_all(data, Options(out=out, formats=("md", "json"), front_matter=True), jobs=1)
    for rid in index_of(out):
        slugs = [x["slug"] for x in json.loads((out / f"{rid}.json").read_text())["related"]]
        head = (out / f"{rid}.md").read_text().split("---\n")[1]
        assert f"related: {json.dumps(slugs)}" in head


def test_a_rerun_renders_again_only_the_pages_whose_links_changed(tmp_path: Path) -> None:
    data = scored_set(tmp_path)
    out = tmp_path / "out"
    opts = Options(out=out, formats=("md", "json"))
    narrate_all(data, opts, jobs=1)
    before = index_of(out)
    folder = data / "bls"
    jobs = JobTable(folder / "jobs.jsonl")
    old = read_related(folder, jobs)
    # one pair's score moves to the top: it is the one line that changed
    pairs = [json.loads(line) for line in (folder / "pairs.jsonl").read_text().splitlines()]
    moved = min((p for p in pairs), key=lambda p: p["score"])
    moved["score"] = 1.0
    (folder / "pairs.jsonl").write_text("".join(json.dumps(p) + "\n" for p in pairs))
    new = read_related(folder, jobs)
    changed = {p["id"] for p in pairs if old.links(p["id"]) != new.links(p["id"])}
    expected = changed | {moved["id"]}
    assert 0 < len(expected) < len(pairs)
    again = narrate_all(data, opts, jobs=1)
    assert (again.written, again.skipped, again.failed) == (
        len(expected), len(pairs) - len(expected), 0)
    after = index_of(out)
    assert {rid for rid in after if after[rid]["key"] != before[rid]["key"]} == expected
    assert {rid for rid in changed if after[rid]["files"] != before[rid]["files"]} == changed
    # and a run over the same data renders nothing
    assert narrate_all(data, opts, jobs=1).written == 0


def test_a_parallel_run_writes_the_same_tree(tmp_path: Path) -> None:
    data = scored_set(tmp_path)
    one, two = tmp_path / "one", tmp_path / "two"
    narrate_all(data, Options(out=one, formats=("md", "json")), jobs=1)
    narrate_all(data, Options(out=two, formats=("md", "json")), jobs=2)
    for path in sorted(one.iterdir()):
        assert (two / path.name).read_bytes() == path.read_bytes(), path.name


def test_a_single_article_has_no_related_section(tmp_path: Path) -> None:
    from tests.conftest import cli
    folder = profile_set(tmp_path / "bls", jobs=4, style=True)
    pid = json.loads((folder / "pairs.jsonl").read_text().splitlines()[0])["id"]
    code, stdout, _ = cli(folder, "-r", pid)
    assert code == 0 and "Related comparisons" not in stdout


def test_the_shipped_records_have_no_related_section(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "records", data / "records")
    narrate_all(data, Options(out=tmp_path / "out", formats=("md", "json")), jobs=1)
    for path in (tmp_path / "out").glob("*.json"):
        assert "related" not in json.loads(path.read_text())
