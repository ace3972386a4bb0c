"""Record text is inert in every format: it is shown, never obeyed.

Markdown is checked with a real CommonMark parser (markdown-it-py, GFM tables on): record text
adds no heading, list, quote, rule, code, emphasis, link, image or raw HTML, and every table
row keeps its three cells. HTML is checked with the standard library's parser: the tags are
exactly the seed article's. JSON loads and gives the record's strings back, whitespace runs
collapsed to one space (the one change record text goes through). Titles also go through
grammar (plural, a/an, possessive, title case), which must not crash on them.
"""

from __future__ import annotations

import copy
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from narrator import api, grammar, schema
from narrator.errors import RecordError
from narrator.formats import FORMATS
from narrator.markdown import escape, parse, unescape
from narrator.render.renderer import Renderer
from tests.conftest import ROOT

SEED = ROOT / "data" / "records" / "lead-technician-vs-software-support-technician.json"
SEED_RAW: dict[str, Any] = json.loads(SEED.read_text(encoding="utf-8"))
MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])

HOSTILE = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "<a href='javascript:alert(1)'>x</a>",
    "[x](javascript:alert(1))", "![img](http://evil)", "<http://evil>", "<a@b.c>", "[x]: http://evil",
    "[x][y]", "[^1]", "# heading", "## heading", "#", "* star", "- dash", "+ plus", "1. one",
    "1) one", "2020. year", "> quote", "    indented code", "```", "~~~", "`code`", "***", "---",
    "___", "=", "x\n===", "x\n---", "*emph*", "_emph_", "**strong**", "__strong__", "~~del~~",
    "a | b", "|", "||", "| --- |", "a\\|b", "\\", "a\\", "a  \nb", "line\nbreak", "a\r\nb",
    "tab\there", "a\u2028b", "&lt;script&gt;", "&amp;", "&#60;b&#62;", "&#x3C;i&#x3E;", "&#124;",
    "&vert;", "&nbsp;", "&", "<!-- comment -->", "<div>block</div>", "<<>>", "!", "\\# x",
    "\\\\# x", "{{ 7*7 }}", "{% raw %}", "${7*7}", "'; DROP TABLE jobs; --", '"quoted"',
    "\u00a0# nbsp heading", "\u3000- ideographic", "x" * 199,
]
FIELDS = ["a.description", "a.title", "b.title", "a.display_title", "a.plural",
          "a.highest_paying_city", "a.best_paying_company", "a.major", "b.college",
          "a.degree.name", "a.skills.0", "b.skills.2"]


def put(raw: dict, field: str, value: object) -> dict:
    raw = copy.deepcopy(raw)
    *parents, last = field.split(".")
    target: Any = raw
    for p in parents:
        target = target[p]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return raw


def one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


def article_formats(tmp_path: Path, raw: dict, renderer: Renderer) -> dict[str, str]:
    """What ``api.narrate(path, format=f)`` gives for every format (one Renderer for all)."""
    path = tmp_path / "rec.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    article = api.render(api.load_one(path), renderer, source=str(path))
    return {fmt: write(article) for fmt, write in FORMATS.items()}


# --- Markdown ----------------------------------------------------------------------------
STRUCTURE = {"heading_open", "bullet_list_open", "ordered_list_open", "blockquote_open", "hr",
             "code_block", "fence", "html_block", "table_open", "paragraph_open"}
INLINE = {"link_open", "image", "html_inline", "code_inline", "em_open", "strong_open", "s_open",
          "hardbreak"}


def md_shape(md: str) -> tuple[list[str], list[str], list[int]]:
    """(block tokens, inline markup tokens, cells per table row) as CommonMark reads ``md``."""
    blocks, inline, cells, row = [], [], [], 0
    for tok in MD.parse(md):
        if tok.type in STRUCTURE:
            blocks.append(tok.type if tok.type != "heading_open" else tok.tag)
        if tok.type == "tr_open":
            row = 0
        elif tok.type in ("th_open", "td_open"):
            row += 1
        elif tok.type == "tr_close":
            cells.append(row)
        for child in tok.children or ():
            if child.type in INLINE:
                inline.append(child.type)
    return blocks, inline, cells


SEED_MD = api.narrate(SEED)
SEED_SHAPE = md_shape(SEED_MD)


def check_markdown(md: str) -> None:
    blocks, inline, cells = md_shape(md)
    assert blocks == SEED_SHAPE[0], "record text changed the block structure"
    assert inline == [], f"record text made inline markup: {inline}"
    assert set(cells) == {3}
    for line in md.splitlines():
        if line.startswith("|"):
            assert len(re.findall(r"(?<!\\)\|", line)) == 4, line


# --- HTML --------------------------------------------------------------------------------
class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def html_tags(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    parser.close()
    return parser


SEED_TAGS = html_tags(api.narrate(SEED, format="html")).tags
SEED_BODY_TAGS = html_tags(json.loads(api.narrate(SEED, format="json"))["body_html"]).tags


# --- the checks --------------------------------------------------------------------------
def check_all(out: dict[str, str], field: str, value: str) -> None:
    shown = one_line(value)
    check_markdown(out["md"])
    page = html_tags(out["html"])
    assert page.tags == SEED_TAGS
    assert "<script" not in out["html"] and "<img" not in out["html"] and "<a " not in out["html"]
    assert shown in "".join(page.text) or field.endswith(("plural", "display_title"))
    data = json.loads(out["json"])
    assert html_tags(data["body_html"]).tags == SEED_BODY_TAGS
    check_markdown(data["body_markdown"])
    assert shown in out["txt"] or field.endswith(("plural", "display_title"))
    if field == "a.description":
        assert data["sections"][3]["paragraphs"] == [shown]
    if field == "a.highest_paying_city":
        pay = next(s for s in data["sections"] if s["id"] == "pay")
        assert ["Highest paying City", shown, "San Francisco, CA"] in pay["tables"][0]["rows"]
    if field == "a.display_title":
        assert data["sections"][2]["tables"][0]["header"][0] == shown
    if field == "b.title":
        assert data["title"] == f"Lead technician vs {shown}"


@pytest.mark.parametrize("value", HOSTILE, ids=repr)
@pytest.mark.parametrize("field", FIELDS)
def test_record_text_is_inert(tmp_path, renderer, field, value):
    raw = put(SEED_RAW, field, value)
    check_all(article_formats(tmp_path, raw, renderer), field, value)


def test_script_title_is_text_in_html(tmp_path):
    path = tmp_path / "rec.json"
    path.write_text(json.dumps(put(SEED_RAW, "a.title", "<script>alert(1)</script>")))
    html = api.narrate(path, format="html")
    assert ("<title>&lt;script&gt;alert(1)&lt;/script&gt; vs software support technician"
            "</title>") in html
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt; vs software support technician</h1>" in html
    assert "script" not in html_tags(html).tags


def test_every_page_template_autoescapes():
    """narrator's own pages (narrator/pages/*.html.j2) escape every value they are handed:
    select_autoescape(["html"]) alone would not match their names."""
    from narrator.pages import PAGES, environment

    names = sorted(p.name for p in PAGES.glob("*.html.j2"))
    assert "article.html.j2" in names and "diff.html.j2" in names
    env = environment()
    for name in names:
        assert env.autoescape(name) is True, name
    assert env.from_string("{{ x }}").render(x="<b>&'\"") == "&lt;b&gt;&amp;&#39;&#34;"


def test_description_in_markdown_reads_back_as_written(tmp_path, renderer):
    value = "1. [x](javascript:alert(1)) | *a* <b>&amp; # ![i](http://evil)"
    out = article_formats(tmp_path, put(SEED_RAW, "a.description", value), renderer)
    escaped = r"1\. \[x\](javascript:alert(1)) \| \*a\* \<b\>\&amp; # !\[i\](http://evil)"
    assert f"\n{escaped}\n" in out["md"]
    runs = [[(c.type, c.content) for c in t.children]
            for t in MD.parse(out["md"]) if t.type == "inline"]
    assert [("text", value)] in runs  # one plain text run, exactly the record's words


# --- property: any text, any field --------------------------------------------------------
MARKUP = st.sampled_from([*"#*_-+=>|[](){}<>!`~\\&;:/.0123456789 \n\t\"'",
                          "&amp;", "&#60;", "javascript:", "http://", "<script>", "    ", "\r\n",
                          "1. ", "- ", "> ", "```", "---", "a", "Z", "é", "软", "\u200d"])
MARKUP_TEXT = st.lists(MARKUP, min_size=1, max_size=30).map("".join).filter(lambda s: s.strip())


@pytest.mark.slow
@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(field=st.sampled_from(FIELDS), value=MARKUP_TEXT)
def test_any_markup_is_inert(renderer, field, value):
    limit = 20_000 if field.endswith("description") else 200
    raw = put(SEED_RAW, field, value[:limit])
    rec = schema.to_comparison(raw, file="x", where="record 1")
    article = api.render(rec, renderer)
    out = {fmt: write(article) for fmt, write in FORMATS.items()}
    check_all(out, field, value[:limit])


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(value=MARKUP_TEXT)
def test_escape_round_trips(value):
    """escape() gives one line CommonMark reads as exactly the text; unescape() inverts it."""
    md = escape(value)
    assert "\n" not in md
    assert unescape(md) == one_line(value)
    tokens = MD.parse(md)
    if one_line(value):
        assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
        assert [(c.type, c.content) for c in tokens[1].children] == [("text", one_line(value))]
        assert [(b.kind, b.text) for b in parse(md)] == [("paragraph", one_line(value))]


# --- grammar on hostile titles ------------------------------------------------------------
@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(title=st.one_of(MARKUP_TEXT, st.text(min_size=1, max_size=60).filter(lambda s: s.strip()),
                       st.lists(st.sampled_from(["and", "or", "of", ",", "(", ")", "-", "/", "'s",
                                                 "&", "man", "RN", "II", "in", "general", "vs.",
                                                 "8", "1st", "x", "é", "软件"]),
                                min_size=1, max_size=8).map(" ".join)))
def test_grammar_takes_any_title(title):
    """Every grammar function gives a str for any non-blank title (the schema refuses blank)."""
    for fn in (grammar.plural, grammar.indefinite_article, grammar.possessive,
               grammar.display_title, grammar.sentence_case, grammar.with_article):
        assert isinstance(fn(title), str)
    assert grammar.indefinite_article(title) in ("a", "an")
    assert isinstance(grammar.possessive(grammar.plural(title)), str)


@pytest.mark.parametrize("title", [" ", "\u00a0", "\t\n", "\u3000"], ids=repr)
def test_blank_titles_are_refused_by_the_contract_not_grammar(tmp_path, title):
    path = tmp_path / "rec.json"
    path.write_text(json.dumps(put(SEED_RAW, "a.title", title)), encoding="utf-8")
    with pytest.raises(RecordError) as info:
        api.narrate(path)
    assert info.value.field == "a.title"
    assert "visible character" in info.value.message


@pytest.mark.parametrize("value", ["a\x1b]0;pwned\x07", "\x00", "a\x7fb", "\x9b31m", "\ud800"],
                         ids=repr)
def test_control_characters_never_reach_output(tmp_path, value):
    """A terminal escape in a title would reach the terminal through md and txt output."""
    path = tmp_path / "rec.json"
    path.write_text(json.dumps(put(SEED_RAW, "a.title", value)), encoding="utf-8")
    with pytest.raises(RecordError) as info:
        api.narrate(path)
    assert info.value.field == "a.title"


# escape() skips its four substitutions for text with nothing to escape: that shortcut must
# give exactly what the substitutions would, on real record text and on anything at all.

def _bls_texts() -> list[str]:
    texts = []
    for line in (ROOT / "data" / "bls" / "jobs.jsonl").read_text(encoding="utf-8").splitlines():
        job = json.loads(line)
        texts += [job["title"], job.get("description") or "", *(job.get("tasks") or [])]
    return texts


@pytest.mark.parametrize("text", [
    "Lead Technician", " leading space", "trailing space ", "two  spaces", "tab\there",
    "1. numbered", "1) numbered", "12.5 percent", "# heading", "> quote", "- item", "+ item",
    "= setext", "a & b", "&amp;", "AT&T", "x\u2028y", "x\x85y", "\u00a0nbsp", "é café",
    "snake_case", "a|b", "[link](x)", "<b>", "`code`", "~strike~", "back\\slash", "",
    "\u0661. numbered", "\u0661\u0662) x", "x\x1cy", "x\x1fy", "12", "1 2", "-5", "5 - 4",
    "Mañana 2", "x\u3000y", "x\u200by", "x.", "(x)",
])
def test_escape_shortcut_matches_the_full_escape(text: str) -> None:
    from narrator.markdown import _escape
    assert escape(text) == _escape(text)


def test_escape_shortcut_on_every_bls_text() -> None:
    from narrator.markdown import _escape
    texts = _bls_texts()
    assert len(texts) > 5000
    assert [escape(t) for t in texts] == [_escape(t) for t in texts]


@pytest.mark.slow
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
@settings(max_examples=2000, suppress_health_check=[HealthCheck.too_slow])
def test_escape_shortcut_on_any_text(text: str) -> None:
    from narrator.markdown import _escape
    assert escape(text) == _escape(text)
