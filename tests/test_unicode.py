"""Unicode titles and descriptions: every format, every supported locale, and the grammar.

Decisions (the English rules only know Latin-script words):

* plural: a head word whose last letter is not Latin ("软件工程师", "مهندس برمجيات", "Σίσυφος")
  is left as it is, never given a glued-on "s" (inflect even says "软件工程师S"); Latin words
  with accents are pluralised as usual ("técnicos de reparación");
* a/an: judged by the first letter as English reads it ("an école teacher", "a Zürich
  engineer"); a first word in another script gets "a";
* possessive: "'s" (or "'" after a plural in s), whatever the script;
* capitals: ``str.title()`` on the first letter, so "ﬁle" -> "File" (not "FIle"), "ǆ" -> "ǅ";
  a first letter with no case (CJK, Arabic, emoji) leaves the text as it is;
* text is never normalised: "e" + U+0301 stays two code points; joiners and direction marks
  are kept;
* plain text tables count East Asian wide characters as two columns and combining marks and
  zero-width format characters (ZWJ, LRM/RLM) as none. An emoji ZWJ sequence counts as the sum
  of its parts (terminals differ), and right-to-left text is aligned in logical order.
"""

from __future__ import annotations

import copy
import json
import unicodedata
from html import escape as html_escape
from typing import Any

import pytest

from narrator import api, grammar
from narrator.formats import FORMATS, _blocks, _text_table, _width, to_text
from narrator.formatting import SUPPORTED_LOCALES
from narrator.markdown import Block
from narrator.render.renderer import Renderer
from tests.conftest import ROOT

SEED = ROOT / "data" / "records" / "lead-technician-vs-software-support-technician.json"
SEED_RAW: dict[str, Any] = json.loads(SEED.read_text(encoding="utf-8"))

TITLES = {
    "accents": "técnico de reparación",
    "umlaut": "Zürich engineer",
    "cjk": "软件工程师",
    "japanese": "ソフトウェアエンジニア",
    "arabic": "مهندس برمجيات",
    "hebrew": "מהנדס תוכנה",
    "emoji": "🚀 engineer",
    "zwj emoji": "👩\u200d💻 developer",
    "combining": "e\u0301cole teacher",
    "zero-width joiner": "a\u200db technician",
    "rtl mark": "engineer \u200fمهندس",
    "greek": "Σίσυφος",
    "ligature": "ﬁle clerk",
    "fullwidth": "ｆｕｌｌｗｉｄｔｈ worker",
}
DESCRIPTIONS = ["Técnicos de reparación trabajan en Zürich.", "软件工程师设计、开发和测试软件。",
                "يقوم مهندس البرمجيات بتصميم البرامج.", "מהנדס תוכנה כותב קוד.",
                "🚀 Ships code 👩\u200d💻 daily.", "Cafe\u0301 owners, na\u0308ive baristas."]


@pytest.fixture(scope="module")
def renderers() -> dict[str, Renderer]:
    return {loc: Renderer(locale=loc) for loc in SUPPORTED_LOCALES}


def record(title_a: str, title_b: str = "software support technician",
           description: str | None = None, city: str | None = None) -> dict:
    raw = copy.deepcopy(SEED_RAW)
    raw["a"]["title"], raw["b"]["title"] = title_a, title_b
    if description is not None:
        raw["a"]["description"] = description
    if city is not None:
        raw["a"]["highest_paying_city"] = city
    return raw


def formats(tmp_path, raw: dict, renderer: Renderer) -> dict[str, str]:
    path = tmp_path / "rec.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    article = api.render(api.load_one(path), renderer, source=str(path))
    return {fmt: write(article) for fmt, write in FORMATS.items()}


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
@pytest.mark.parametrize("key", TITLES)
def test_titles_render_in_every_format_and_locale(tmp_path, renderers, key, locale):
    title = TITLES[key]
    other = "مهندس برمجيات" if key != "arabic" else "软件工程师"
    out = formats(tmp_path,
                  record(title, other, DESCRIPTIONS[len(key) % len(DESCRIPTIONS)], "東京"),
                  renderers[locale])
    heading = f"{grammar.sentence_case(title)} vs {other}"
    assert out["md"].startswith(f"# {heading}\n")
    assert f"<h1>{html_escape(heading, quote=False)}</h1>" in out["html"]
    assert out["txt"].startswith(f"{heading}\n{'=' * _width(heading)}\n")
    data = json.loads(out["json"])
    assert data["title"] == heading
    for text in out.values():
        assert title in text or grammar.sentence_case(title) in text  # no normalisation
        assert "東京" in text
        text.encode("utf-8")
    assert data["sections"][3]["paragraphs"] == [DESCRIPTIONS[len(key) % len(DESCRIPTIONS)]]
    if key in ("cjk", "japanese", "arabic", "hebrew", "greek"):  # no "s" glued on in prose
        assert f"between {title} and {other}" in out["md"]
        assert f"{title}s" not in out["md"] and f"{title}S" not in out["md"]


def test_text_is_never_normalised(tmp_path, renderers):
    out = formats(tmp_path, record("e\u0301cole teacher"), renderers["en_US"])
    assert "E\u0301cole teacher vs" in out["md"]
    assert "\u00c9" not in out["md"] and "\u00e9" not in out["md"]


# --- grammar -----------------------------------------------------------------------------
GRAMMAR = [
    # title, plural, a/an, sentence case, display title
    ("técnico de reparación", "técnicos de reparación", "a", "Técnico de reparación",
     "Técnico de Reparación"),
    ("Zürich engineer", "Zürich engineers", "a", "Zürich engineer", "Zürich Engineer"),
    ("école teacher", "école teachers", "an", "École teacher", "École Teacher"),
    ("e\u0301cole teacher", "e\u0301cole teachers", "an", "E\u0301cole teacher",
     "E\u0301cole Teacher"),
    ("软件工程师", "软件工程师", "a", "软件工程师", "软件工程师"),
    ("ソフトウェアエンジニア", "ソフトウェアエンジニア", "a", "ソフトウェアエンジニア",
     "ソフトウェアエンジニア"),
    ("مهندس برمجيات", "مهندس برمجيات", "a", "مهندس برمجيات", "مهندس برمجيات"),
    ("מהנדס תוכנה", "מהנדס תוכנה", "a", "מהנדס תוכנה", "מהנדס תוכנה"),
    ("Σίσυφος", "Σίσυφος", "a", "Σίσυφος", "Σίσυφος"),
    ("инженер", "инженер", "a", "Инженер", "Инженер"),
    ("🚀 engineer", "🚀 engineers", "a", "🚀 engineer", "🚀 Engineer"),
    ("👩\u200d💻 developer", "👩\u200d💻 developers", "a", "👩\u200d💻 developer",
     "👩\u200d💻 Developer"),
    ("engineer 软件", "engineer 软件", "an", "Engineer 软件", "Engineer 软件"),
    ("软件 engineer", "软件 engineers", "a", "软件 engineer", "软件 Engineer"),
    ("a\u200db technician", "a\u200db technicians", "an", "A\u200db technician",
     "A\u200db Technician"),
    ("ﬁle clerk", "ﬁle clerks", "a", "File clerk", "File Clerk"),
    ("ǆungla guide", "ǆungla guides", "a", "ǅungla guide", "ǅungla Guide"),
    ("İstanbul guide", "İstanbul guides", "an", "İstanbul guide", "İstanbul Guide"),
]


@pytest.mark.parametrize("title,plural,article,sentence,display", GRAMMAR,
                         ids=[g[0] for g in GRAMMAR])
def test_grammar_on_unicode(title, plural, article, sentence, display):
    assert grammar.plural(title) == plural
    assert grammar.indefinite_article(title) == article
    assert grammar.sentence_case(title) == sentence
    assert grammar.display_title(title) == display
    assert grammar.with_article(title) == f"{article} {title}"
    assert grammar.possessive(title) == title + "'s"
    expected = plural + ("'" if plural.endswith("s") and plural != title else "'s")
    assert grammar.possessive(plural) == expected


def test_no_ascii_s_is_glued_to_another_script():
    for title in ("软件工程师", "مهندس برمجيات", "מהנדס תוכנה", "Σίσυφος", "инженер", "エンジニア"):
        assert grammar.plural(title) == title
        assert not grammar.plural(title).endswith(("s", "S"))


# --- plain text tables --------------------------------------------------------------------
@pytest.mark.parametrize("text,width", [
    ("abc", 3), ("软件", 4), ("ソフト", 6), ("ｆｕｌｌ", 8), ("e\u0301", 1), ("🚀", 2),
    ("\u200d", 0), ("\u200f", 0), ("\u200b", 0), ("مهندس", 5), ("מהנדס", 5), ("Zürich", 6),
    ("👩\u200d💻", 4), ("", 0),
])
def test_width(text, width):
    assert _width(text) == width


def columns(line: str, cells: list[str]) -> list[int]:
    """The display column where each cell starts in a rendered table line."""
    starts, pos = [], 0
    for cell in cells:
        idx = line.index(cell, pos)
        starts.append(_width(line[:idx]))
        pos = idx + len(cell)
    return starts


def test_text_table_aligns_wide_and_zero_width_characters():
    """Columns start at the same display column in every row (measured with ``_width``, whose
    own answers are pinned by ``test_width``)."""
    block = Block("table", header=["", "软件工程师", "e\u0301cole teacher"], rows=[
        ["Yearly salary", "$90,615", "¥9,061,500"],
        ["City", "東京", "Zu\u0308rich"],
        ["Company", "👩\u200d💻 Co", "ACME\u200f"],
        ["Race ratio", "白人, 53.6%", "-"],
    ])
    lines = _text_table(block)
    rows = [block.header, *block.rows]
    starts = [columns(line, [c for c in row if c]) for line, row in zip(lines, rows, strict=True)]
    assert len({tuple(s[-2:]) for s in starts}) == 1, "\n" + "\n".join(lines)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_article_tables_align_in_text(tmp_path, renderers, locale):
    path = tmp_path / "rec.json"
    path.write_text(json.dumps(record("软件工程师", "مهندس برمجيات", city="東京都"),
                               ensure_ascii=False),
                    encoding="utf-8")
    article = api.render(api.load_one(path), renderers[locale], source=str(path))
    text = to_text(article)
    tables = [b for _, blocks in _blocks(article) for b in blocks if b.kind == "table"]
    assert tables
    for b in tables:
        lines = _text_table(b)
        for line in lines:
            assert line in text
        second = {columns(line, row)[1]
                  for line, row in zip(lines, [b.header, *b.rows], strict=True)
                  if row[1]}
        assert len(second) == 1, "\n" + "\n".join(lines)


def test_every_char_category_is_measured():
    """No character makes _width fail; controls never reach it (the contract refuses them)."""
    for cp in range(0x20, 0x30000, 7):
        ch = chr(cp)
        if unicodedata.category(ch) != "Cs":
            assert _width(ch) in (0, 1, 2)
