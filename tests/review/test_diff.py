"""narrate diff: counts, grouping of identical edits, word marks, errors, an escaped HTML page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from narrator import api
from narrator.cli import main
from narrator.errors import NarratorError
from narrator.review import diff as diffing
from tests.conftest import RECORDS, ROOT


def article(a: str, b: str, *, detail: str = "a few details", extra: str = "",
            salary: str = "$56,760", rows: str = "") -> str:
    """A small article in the shape `narrate --all` writes (job titles as the renderer has them)."""
    return (f"# {a[0].upper() + a[1:]} vs {b}\n\n"
            f"The differences between {a}s and {b}s can be seen in {detail}. "
            f"Each job has different responsibilities and duties.{extra}\n\n"
            f"## {a[0].upper() + a[1:]} vs {b} overview\n\n"
            f"| | {a.title()}s | {b.title()}s |\n| --- | --- | --- |\n"
            f"| Yearly salary | $38,480 | {salary} |\n{rows}")


def tree(root: Path, name: str, files: dict[str, str]) -> Path:
    path = root / name
    path.mkdir()
    for file, text in files.items():
        (path / file).write_text(text, encoding="utf-8")
    return path


def trees(tmp_path: Path, old: dict[str, str], new: dict[str, str]) -> tuple[Path, Path]:
    return tree(tmp_path, "old", old), tree(tmp_path, "new", new)


@pytest.fixture
def two_edits(tmp_path):
    """A template edit in two articles, a salary change in one, one unchanged, one added and
    one removed."""
    return trees(tmp_path, {
        "baker-vs-welder.md": article("baker", "welder"),
        "cook-vs-baker.md": article("cook", "baker"),
        "welder-vs-cook.md": article("welder", "cook"),
        "same.md": article("same", "other"),
        "gone.md": article("gone", "other"),
        "index.jsonl": "{}\n",
    }, {
        "baker-vs-welder.md": article("baker", "welder", detail="a few key details"),
        "cook-vs-baker.md": article("cook", "baker", detail="a few key details"),
        "welder-vs-cook.md": article("welder", "cook", salary="$57,000"),
        "same.md": article("same", "other"),
        "fresh.md": article("fresh", "other"),
        "index.jsonl": "{\"changed\": true}\n",
    })


def test_counts_and_groups(two_edits):
    report = diffing.compare(*two_edits)
    assert (report.changed, report.added, report.removed, report.unchanged) == (
        3, ("fresh",), ("gone",), 1)
    assert [(g.edit, g.articles) for g in report.groups] == [
        ("{+key+}", ("baker-vs-welder", "cook-vs-baker")),
        ("[-$56,760-]{+$57,000+}", ("welder-vs-cook",)),
    ]


def test_text_report(two_edits):
    old, new = two_edits
    assert diffing.to_text(diffing.compare(old, new)) == f"""\
narrate diff: {old} -> {new} (*.md)
changed 3, added 1, removed 1, unchanged 1

[1] this edit changed 2 articles the same way: {{+key+}}
    articles: baker-vs-welder, cook-vs-baker
    example: baker-vs-welder
      The differences between bakers and welders can be seen in a few {{+key+}} details.

[2] this edit changed 1 article: [-$56,760-]{{+$57,000+}}
    articles: welder-vs-cook
    example: welder-vs-cook
      | Yearly salary | $38,480 | [-$56,760-]{{+$57,000+}} |

added (1): fresh
removed (1): gone
"""


def test_cli_prints_the_text_report_and_writes_the_page(two_edits, tmp_path):
    old, new = two_edits
    page = tmp_path / "report" / "diff.html"
    result = CliRunner().invoke(main, ["diff", str(old), str(new), "--html", str(page)])
    assert result.exit_code == 0, result.output
    report = diffing.compare(old, new)
    assert result.stdout == diffing.to_text(report)
    assert page.read_text(encoding="utf-8") == diffing.to_html(report)


def test_the_articles_own_titles_do_not_split_a_group(tmp_path):
    """The same template edit reads "a baker has" in one article and "a budget analyst has" in
    another: one group, the titles shown as placeholders."""
    old, new = trees(tmp_path, {
        "budget-analyst-vs-welder.md": article("budget analyst", "welder",
                                               extra=" Additionally, a budget analyst has more."),
        "welder-vs-baker.md": article("welder", "baker", extra=" Additionally, a baker has more."),
        "welder-vs-accountant.md": article("welder", "accountant",
                                           extra=" Additionally, an accountant has more."),
    }, {
        "budget-analyst-vs-welder.md": article("budget analyst", "welder",
                                               extra=" Additionally, budget analysts earn more."),
        "welder-vs-baker.md": article("welder", "baker", extra=" Additionally, bakers earn more."),
        "welder-vs-accountant.md": article("welder", "accountant",
                                           extra=" Additionally, accountants earn more."),
    })
    report = diffing.compare(old, new)
    assert [(g.edit, len(g.articles)) for g in report.groups] == [
        ("[-a(n) ⟨job⟩ has-]{+⟨jobs⟩ earn+}", 3)]
    text = diffing.to_text(report)
    assert "(in edits: ⟨job⟩/⟨jobs⟩ = one of the article's two job titles" in text
    assert "      Additionally, [-a budget analyst has-]{+budget analysts earn+} more.\n" in text


def test_numbers_same_on_both_sides_are_set_aside_but_changed_numbers_are_not(tmp_path):
    old = {f"job{n}-vs-welder.md": article(f"job{n}", "welder", salary=s, extra=f" It pays {s}.")
           for n, s in enumerate(["$1,000", "$2,000", "$56,760", "$56,760", "$56,760"])}
    new = {name: text.replace(" It pays ", " It pays about ").replace(".\n", " a year.\n", 1)
           for name, text in old.items()}
    new["job2-vs-welder.md"] = new["job2-vs-welder.md"].replace("| $56,760 |", "| $58,000 |")
    new["job3-vs-welder.md"] = new["job3-vs-welder.md"].replace("| $56,760 |", "| $57,000 |")
    new["job4-vs-welder.md"] = new["job4-vs-welder.md"].replace("| $56,760 |", "| $57,000 |")
    report = diffing.compare(*trees(tmp_path, old, new))
    assert [(g.edit, g.articles) for g in report.groups] == [
        ("[-$⟨n⟩.-]{+about $⟨n⟩ a year.+}", ("job0-vs-welder", "job1-vs-welder")),
        ("[-$⟨n⟩.-]{+about $⟨n⟩ a year.+} … [-$56,760-]{+$57,000+}",
         ("job3-vs-welder", "job4-vs-welder")),
        ("[-$⟨n⟩.-]{+about $⟨n⟩ a year.+} … [-$56,760-]{+$58,000+}", ("job2-vs-welder",)),
    ]
    assert diffing.wdiff(report.groups[0].example[0]) == \
        "It pays [-$1,000.-]{+about $1,000 a year.+}"


def test_long_article_lists_are_capped(tmp_path):
    names = [f"job{n}-vs-welder.md" for n in range(7)]
    report = diffing.compare(*trees(
        tmp_path, {n: article(n[:4], "welder") for n in names},
        {n: article(n[:4], "welder", detail="some details") for n in names}))
    text = diffing.to_text(report)
    assert "this edit changed 7 articles the same way: [-a few-]{+some+}\n" in text
    assert ("    articles: job0-vs-welder, job1-vs-welder, job2-vs-welder, job3-vs-welder, "
            "job4-vs-welder and 2 more\n") in text
    assert "      The differences between job0s and welders can be seen in [-a few-]{+some+} " \
           "details.\n" in text


def test_many_groups_are_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(diffing.report, "GROUPS", 1)
    monkeypatch.setattr(diffing.report, "SHOWN_HTML", 1)
    report = diffing.compare(*trees(
        tmp_path, {f"{n}.md": article(n, "x") for n in "abc"},
        {f"{n}.md": article(n, "x", salary=f"${n}") for n in "abc"}))
    assert len(report.groups) == 3
    text = diffing.to_text(report)
    assert text.count("this edit changed") == 1
    assert text.endswith("\n… and 2 more edits, changing 2 articles (see --html): b, c\n")
    page = diffing.to_html(report)
    assert page.count('<section class="group"') == 1
    assert ('<section id="more"><h2>2 more edits, changing 2 articles</h2>'
            '<ul class="names"><li>b</li></ul><p class="muted">and 1 more</p></section>') in page


@pytest.mark.parametrize("lines, expected", [
    (["# A vs B"], ["# A vs B"]),
    (["| Salary | $1. A | $2 |"], ["| Salary | $1. A | $2 |"]),
    (["One. Two? Three! Four: Five"], ["One.", "Two?", "Three!", "Four:", "Five"]),
    (["Between 1. and 2. lower case."], ["Between 1. and 2. lower case."]),
    (["  spaced \t out  ", "", "Next line."], ["spaced out", "Next line."]),
    ([], []),
])
def test_units(lines, expected):
    assert diffing.units(lines) == expected


@pytest.mark.parametrize("old, new, marked", [
    ("seen in a few details.", "seen in a few key details.", "seen in a few {+key+} details."),
    ("a b c", "a c", "a [-b-] c"),
    ("a b c", "a x c", "a [-b-]{+x+} c"),
    ("a b c", "x b y", "[-a-]{+x+} b [-c-]{+y+}"),
    ("same words", "same   words", "same words"),
    ("", "all new", "{+all new+}"),
])
def test_word_marks(old, new, marked):
    assert diffing.wdiff(diffing.word_spans(old, new)) == marked


def test_sentences_inserted_removed_and_rewritten(tmp_path):
    base = "# A vs b\n\nFirst one here. Second one here. Third one here.\n"
    old, new = trees(tmp_path, {"x.md": base}, {
        "x.md": "# A vs b\n\nFirst one here. A brand new sentence. Third one, here. "
                "Totally fresh.\n",
    })
    [group] = diffing.compare(old, new).groups
    assert [diffing.wdiff(spans) for spans in group.example] == [
        "[-Second one here.-]",
        "{+A brand new sentence.+}",
        "Third [-one-]{+one,+} here.",
        "{+Totally fresh.+}",
    ]


def test_a_row_added_in_many_articles_is_one_group(tmp_path):
    old = {f"j{n}-vs-k.md": article(f"j{n}", "k") for n in range(3)}
    new = {f"j{n}-vs-k.md": article(f"j{n}", "k", rows=f"| Growth rate | {n}% | 1{n}% |\n")
           for n in range(3)}
    [group] = diffing.compare(*trees(tmp_path, old, new)).groups
    assert (group.edit, len(group.articles)) == ("{+| Growth rate | ⟨n⟩% | ⟨n⟩% |+}", 3)


def test_whitespace_only_changes(tmp_path):
    old, new = trees(tmp_path, {"x.md": "# A vs b\n\nOne. Two.\n"},
                     {"x.md": "# A vs b\r\n\r\nOne.  Two. \n\n"})
    report = diffing.compare(old, new)
    assert [(g.edit, g.articles, g.example) for g in report.groups] == [
        ("(whitespace or line breaks only)", ("x",), ())]


def test_plain_text_trees_are_compared_when_there_is_no_markdown(tmp_path):
    old, new = trees(tmp_path, {"x.txt": "A vs b\n\nOne.\n", "x.html": "<p>One.</p>"},
                     {"x.txt": "A vs b\n\nTwo.\n", "x.html": "<p>Two.</p>"})
    report = diffing.compare(old, new)
    assert (report.suffix, report.changed, [g.edit for g in report.groups]) == (
        ".txt", 1, ["[-One.-]{+Two.+}"])


def test_json_trees_are_compared_by_their_fields_and_body(tmp_path):
    """Two trees written with --format json only (issue 24, item 9): the title, SEO title,
    meta description and Markdown body are what is compared; index.jsonl is not an article."""
    def page(word: str, meta: str) -> str:
        return json.dumps({"id": "x", "title": "A vs b", "seo_title": "A vs B: Pay",
                           "meta_description": meta, "sections": [],
                           "body_markdown": f"# A vs b\n\nThe {word} one.\n"})
    old, new = trees(tmp_path, {"x.json": page("old", "Same."), "index.jsonl": "{}\n"},
                     {"x.json": page("new", "Changed."), "index.jsonl": "{}\n"})
    report = diffing.compare(old, new)
    assert (report.suffix, report.changed, report.unchanged) == (".json", 1, 0)
    assert [g.edit for g in report.groups] == ["[-Same.-]{+Changed.+} … [-old-]{+new+}"]
    assert "(*.json)" in diffing.to_text(report).splitlines()[0]


def test_trees_without_articles_are_an_error(tmp_path):
    old, new = trees(tmp_path, {"notes.html": "<p>x</p>"}, {"notes.html": "<p>y</p>"})
    with pytest.raises(NarratorError, match="no articles"):
        diffing.compare(old, new)


def test_identical_trees(tmp_path):
    files = {"a.md": article("a", "b"), "b.md": article("b", "c")}
    report = diffing.compare(*trees(tmp_path, files, files))
    assert (report.changed, report.unchanged, report.groups) == (0, 2, ())
    assert diffing.to_text(report).splitlines()[1] == "changed 0, added 0, removed 0, unchanged 2"


def test_missing_directory_is_a_narrator_error(tmp_path):
    missing = tmp_path / "yesterday"
    with pytest.raises(NarratorError) as caught:
        diffing.compare(missing, tree(tmp_path, "new", {}))
    assert caught.value.file == str(missing)
    assert str(caught.value) == f"{missing}: no such directory"


def test_file_given_for_a_directory(tmp_path):
    file = tmp_path / "out.md"
    file.write_text("x", encoding="utf-8")
    with pytest.raises(NarratorError, match="not a directory") as caught:
        diffing.compare(tree(tmp_path, "old", {}), file)
    assert caught.value.file == str(file)


def test_unreadable_article(tmp_path, monkeypatch):
    old, new = trees(tmp_path, {"x.md": "a"}, {"x.md": "b"})
    real = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path.parent == new:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(NarratorError) as caught:
        diffing.compare(old, new)
    assert str(caught.value) == f"{new / 'x.md'}: cannot read: Permission denied"


def test_cli_error_is_one_line(tmp_path):
    missing = tmp_path / "nope"
    result = CliRunner().invoke(main, ["diff", str(missing), str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == f"narrate: error: {missing}: no such directory\n"


def test_html_escapes_article_text_and_names(tmp_path):
    hostile = "Use <script>alert(1)</script> & <b>bold</b> here."
    old, new = trees(tmp_path, {"<i>x.md": f"# A vs b\n\n{hostile}\n"},
                     {"<i>x.md": f"# A vs b\n\n{hostile.replace('(1)', '(2)')}\n"})
    page = diffing.to_html(diffing.compare(old, new))
    assert "<script" not in page and "<b>" not in page and "<i>" not in page
    assert ("Use &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt; here."
            not in page)  # the changed word is marked, so the sentence is split by tags
    assert "<del>&lt;script&gt;alert(1)&lt;/script&gt;</del>" in page
    assert "<ins>&lt;script&gt;alert(2)&lt;/script&gt;</ins>" in page
    assert "<code>&lt;i&gt;x</code>" in page
    for external in ("http:", "https:", "src=", "<link", "@import", "url("):
        assert external not in page


def test_html_page_shape(two_edits):
    page = diffing.to_html(diffing.compare(*two_edits))
    assert page.startswith("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
    assert "<title>narrate diff: 3 changed, 1 added, 1 removed</title>" in page
    assert '<div class="count" id="count-changed"><dt>changed</dt><dd>3</dd></div>' in page
    assert ("<p class=\"unit\">The differences between bakers and welders can be seen in a few "
            "<ins>key</ins> details.</p>") in page
    assert "<li>fresh</li>" in page and "<li>gone</li>" in page


def test_end_to_end_template_edit_is_one_group(tmp_path):
    """Real articles, then the same articles with one word of the intro template changed."""
    intro = (ROOT / "templates" / "comparison" / "intro.md.j2").read_text(encoding="utf-8")
    edited = intro.replace("a few details", "a few key details")
    assert edited != intro
    override = tmp_path / "tpl" / "comparison"
    override.mkdir(parents=True)
    (override / "intro.md.j2").write_text(edited, encoding="utf-8")
    records = RECORDS[:4]
    for name, dirs in (("old", ()), ("new", (tmp_path / "tpl",))):
        (tmp_path / name).mkdir()
        for record in records:
            text = api.narrate(record, template_dirs=dirs)
            (tmp_path / name / f"{record.stem}.md").write_text(text, encoding="utf-8")
    report = diffing.compare(tmp_path / "old", tmp_path / "new")
    assert (report.changed, report.unchanged, len(report.groups)) == (len(records), 0, 1)
    assert report.groups[0].edit == "{+key+}"
    assert f"this edit changed {len(records)} articles the same way: {{+key+}}\n" in \
        diffing.to_text(report)
