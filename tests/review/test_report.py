"""`narrate report`: masking, sentence units, shares, similarity, the outputs and the CLI, and
the review set's repetitiveness against its committed baseline (tests/report_baseline.json)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from narrator.cli import main
from narrator.dataset import STYLES
from narrator.render.renderer import Renderer
from narrator.review import report
from narrator.sources import iter_comparisons, read_ids
from tests.conftest import ROOT

BASELINE = ROOT / "tests" / "report_baseline.json"
#: How much more repetitive than its baseline the review set may read before a test fails.
MARGIN = {"boilerplate_mean": 0.02, "nn_median": 0.02, "top_sentence_share": 0.03,
          "unique_mean": -0.02}


def regressions(now: dict[str, object], baseline: dict[str, object]) -> list[str]:
    """The figures in which ``now`` reads more repetitive than ``baseline`` by more than
    ``MARGIN`` (a negative margin: a figure that may not fall by more than that)."""
    found = []
    for name, margin in MARGIN.items():
        new, old = float(now[name]), float(baseline[name])  # type: ignore[arg-type]
        worse = new < old + margin if margin < 0 else new > old + margin
        if worse:
            found.append(f"{name}: {new:.4f} against the baseline's {old:.4f} "
                         f"(margin {abs(margin):.2f})")
    return found


@pytest.mark.parametrize(("text", "masked"), [
    ("Bakers earn $12,000 (25%) more a year than cooks on average.",
     "<job> earn # (#) more a year than <job> on average."),
    ("There are 2.5 times as many cooks as bakers: 254 jobs against 100.",
     "There are # times as many <job> as <job>: # jobs against #."),
    ("It takes an hour to become a baker or an apprentice cook.",
     "It takes an hour to become a(n) <job> or a(n) <job>."),
    ("Most of them work in New York (9 jobs).", "Most of them work in <name> (# jobs)."),
    ("The industry is Federal, State, and Local Government, excl. State & Local Schools (3 jobs).",
     "The industry is <name> (# jobs)."),
    ("Apprentice cooks earn the most in San Jose-Sunnyvale-Santa Clara, CA.",
     "<job> earn the most in <name>."),
])
def test_mask(text: str, masked: str) -> None:
    assert report.masker(["apprentice cooks", "apprentice cook", "bakers", "baker", "cooks",
                          "cook"])(text) == masked


def test_title_forms_come_from_the_page() -> None:
    md = ("# Baker vs line cook\n\n## What does a baker do?\n\nBakers bake.\n\n"
          "| | Bakers | Cooks, Restaurant |\n| --- | --- | --- |\n")
    forms = report.title_forms(md)
    assert {"baker", "bakers", "line cook", "line cooks", "cooks, restaurant"} <= set(forms)
    assert forms == sorted(forms, key=lambda f: (-len(f), f))


def test_units() -> None:
    md = ("# A vs B\n\nFirst one. Second, excl. Third Part here. Third!\n\n- a task\n\n"
          "| | A | B |\n| --- | --- | --- |\n\n![chart](x.svg)\n\n"
          "## Sources\n\nLine one. Still one.\n")
    assert report.units(md) == [
        report.Unit("heading", "A vs B"), report.Unit("sentence", "First one."),
        report.Unit("sentence", "Second, excl. Third Part here."),
        report.Unit("sentence", "Third!"), report.Unit("sentence", "a task"),
        report.Unit("heading", "Sources"), report.Unit("source", "Line one. Still one.")]


def page(title_a: str, title_b: str, *sentences: str) -> str:
    return f"# {title_a} vs {title_b}\n\n" + " ".join(sentences) + "\n"


def test_shares_and_neighbours_on_a_small_tree() -> None:
    common = "Both jobs are listed here."
    pages = [
        ("a", page("Baker", "cook", common, "Bakers earn $5 more.", "Bakers rise early.")),
        ("b", page("Welder", "nurse", common, "Welders earn $7 more.",
                   "Nurses care for patients.")),
        ("c", page("Pilot", "judge", common, "Judges rule on cases and write long opinions.")),
    ]
    r = report.analyse(pages)
    by_id = {p.id: p for p in r.per_page}
    # "<job> earn # more." is on 2 of 3 pages (>= half): boilerplate, like the common sentence
    assert by_id["a"].boilerplate == pytest.approx(2 / 3, abs=1e-4)
    assert by_id["c"].boilerplate == pytest.approx(1 / 2, abs=1e-4)
    # the common sentence is on every page
    assert by_id["a"].unique == pytest.approx(2 / 3, abs=1e-4)
    assert report.Line("sentence", common, 3, 1.0) in r.top[:2]
    assert r.top_sentence_share == 1.0 and r.method == "exact"
    assert by_id["a"].neighbour in {"b", "c"} and 0 < by_id["a"].jaccard < 1
    assert r.nn_max == max(p.jaccard for p in r.per_page)


WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
         "juliet", "kilo", "lima", "mike", "november", "oscar", "papa"]


@pytest.mark.parametrize("n", [4, 6, 8, 16])  # (on 2, any line is on half)
def test_rule_a_sentence_on_exactly_half_the_pages_is_boilerplate(n: int) -> None:
    """BOILERPLATE_SHARE is "at least half": on even-sized trees a sentence on exactly n/2
    pages counts, one on n/2 - 1 does not."""
    half, fewer = "This line is on half of them.", "This line is on one page fewer."
    pages = [(f"p{i:02}", page(f"Job{WORDS[i]}", "cook", f"Only {WORDS[i]} says this.",
                               *([half] if i < n // 2 else []),
                               *([fewer] if i < n // 2 - 1 else [])))
             for i in range(n)]
    r = report.analyse(pages)
    for i, stats in enumerate(r.per_page):
        has_half, has_fewer = i < n // 2, i < n // 2 - 1
        sentences = 1 + has_half + has_fewer
        assert stats.boilerplate == pytest.approx(has_half / sentences, abs=1e-4), (i, stats)


@pytest.mark.parametrize("method, exact_max", [("exact", 600), ("minhash-lsh-forest", 3)])
@pytest.mark.parametrize("n", [2, 5, 8])
def test_rule_every_page_has_its_nearest_page_as_neighbour(monkeypatch, method: str,
                                                          exact_max: int, n: int) -> None:
    """Each page of a tree of twins (page i and its near-copy) has its twin as neighbour: the
    first page, the last, and every one between, in both search methods."""
    monkeypatch.setattr(report, "EXACT_MAX", exact_max)
    rng = np.random.default_rng(n)
    vocabulary = [f"w{i}" for i in range(5000)]
    pages = []
    for i in range(n):
        body = " ".join(rng.choice(vocabulary, 300))
        pages += [(f"p{i:02}a", f"# P{i} vs q\n\n{body}.\n"),
                  (f"p{i:02}b", f"# P{i} vs q\n\n{body} and one more line here.\n")]
    r = report.analyse(pages, jobs=1)
    assert r.method == method
    twin = {f"p{i:02}{x}": f"p{i:02}{y}" for i in range(n) for x, y in ("ab", "ba")}
    assert {p.id: p.neighbour for p in r.per_page} == twin


def test_identical_pages_are_each_others_neighbours() -> None:
    text = page("Baker", "cook", "Bakers knead dough every morning before dawn.")
    r = report.analyse([("x", text), ("y", text),
                        ("z", page("A", "b", "Something else entirely here now."))])
    assert r.worst_pairs[0] == ("x", "y", 1.0)


def test_minhash_finds_near_duplicates_on_a_large_tree(monkeypatch) -> None:
    """Above EXACT_MAX pages the neighbours come from MinHash + LSH Forest; a page and its
    near-copy must still find each other, with their exact Jaccard."""
    monkeypatch.setattr(report, "EXACT_MAX", 20)
    rng = np.random.default_rng(7)
    words = [f"w{i}" for i in range(5000)]
    pages = []
    for i in range(30):
        body = " ".join(rng.choice(words, 300))
        pages.append((f"p{i:02}", f"# P{i} vs q\n\n{body}.\n"))
    pages.append(("copy", pages[3][1].replace("# P3", "# P3 copy")))
    r = report.analyse(pages, jobs=1)
    assert r.method == "minhash-lsh-forest"
    by_id = {p.id: p for p in r.per_page}
    assert by_id["copy"].neighbour == "p03" and by_id["copy"].jaccard > 0.9
    exact = report.jaccard(report.shingles(pages[3][1]), report.shingles(pages[-1][1]))
    assert by_id["copy"].jaccard == round(exact, 4)
    assert by_id["p10"].jaccard < 0.1


def test_same_report_whatever_the_jobs(monkeypatch) -> None:
    monkeypatch.setattr(report, "EXACT_MAX", 10)
    pages = [(f"p{i:02}", page(f"Job{i}", "cook", f"Cooks earn ${i} more.", "A fixed line here."))
             for i in range(24)]
    one, two = report.analyse(pages, jobs=1), report.analyse(pages, jobs=2)
    assert report.to_json(one) == report.to_json(two)


def test_regressions() -> None:
    base = {"boilerplate_mean": 0.3, "nn_median": 0.3, "top_sentence_share": 0.3,
            "unique_mean": 0.2}
    assert regressions(dict(base), base) == []
    assert regressions({**base, "boilerplate_mean": 0.31}, base) == []
    worse = regressions({**base, "boilerplate_mean": 0.33, "unique_mean": 0.1}, base)
    assert [w.split(":")[0] for w in worse] == ["boilerplate_mean", "unique_mean"]


def review_pages(renderer_for=None) -> list[tuple[str, str]]:
    listed = read_ids(ROOT / "tests" / "review_set.txt")
    renderers = {style: Renderer(style=style) for style in STYLES}
    items = iter_comparisons([ROOT / "data", ROOT / "tests" / "records"], only=listed)
    return sorted((rec.id, renderers[ds.style].render(rec, ds).markdown()) for rec, ds in items)


@pytest.fixture(scope="module")
def review() -> list[tuple[str, str]]:
    return review_pages()


def test_review_set_no_more_repetitive_than_its_baseline(review) -> None:
    """Fails when a change makes the review set read more repetitive than the committed
    baseline by more than MARGIN. After an intended improvement, lower the baseline:
    `narrate --all --data data --data tests/records --only tests/review_set.txt --out DIR` and
    `narrate report DIR --json`, and copy the corpus figures into tests/report_baseline.json."""
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    now = report.analyse(review).summary()
    assert regressions(now, baseline) == []


def test_the_baseline_test_can_fail(review) -> None:
    """The same pages with one more template sentence each read more repetitive."""
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    padded = [(pid, md.replace(
                  "\n## ", "\nEvery page says this same thing again. And this.\n\n## ", 3))
              for pid, md in review]
    assert regressions(report.analyse(padded).summary(), baseline)


def test_cli(tmp_path: Path) -> None:
    for name, md in (("a-vs-b", page("A", "b", "One line here.")),
                     ("c-vs-d", page("C", "d", "One line here.", "Another one."))):
        (tmp_path / f"{name}.md").write_text(md, encoding="utf-8")
    runner = CliRunner()
    out = runner.invoke(main, ["report", str(tmp_path)])
    assert out.exit_code == 0 and "pages: 2" in out.output
    data = json.loads(runner.invoke(main, ["report", str(tmp_path), "--json"]).output)
    assert data["pages"] == 2 and [p["id"] for p in data["per_page"]] == ["a-vs-b", "c-vs-d"]
    out = runner.invoke(main, ["report", str(tmp_path), "--html", str(tmp_path / "r.html")])
    assert out.exit_code == 0 and "<table" in (tmp_path / "r.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("make", [lambda p: p / "missing", lambda p: p])
def test_cli_errors_are_one_line(tmp_path: Path, make) -> None:
    out = CliRunner().invoke(main, ["report", str(make(tmp_path))])
    assert out.exit_code in (1, 2) and "Traceback" not in out.output
