"""Article -> text in each output format: md, html, txt, json.

Markdown is what templates produce; HTML, plain text and JSON are read back from it
(``markdown.parse``), so every format says exactly the same thing.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from .article import Article, link_file
from .markdown import Block, parse, unescape
from .pages import render_page

EXTENSIONS = {"md": "md", "html": "html", "txt": "txt", "json": "json"}


def _blocks(article: Article) -> list[tuple[str, list[Block]]]:
    return [(sid, parse(md)) for sid, md in article.sections]


def html_file(slug: str) -> str:
    """Where an HTML article links to a related page: its HTML file, a sibling in the tree."""
    return f"{slug}.html"


def _html_blocks(article: Article) -> list[tuple[str, list[Block]]]:
    """The article's blocks for HTML: links to related pages go to their ``.html`` files (the
    Markdown links to the ``.md`` ones); the pay chart's image only where there is a chart."""
    files = {link_file(x.slug): html_file(x.slug) for x in article.related}
    sections = []
    for sid, blocks in _blocks(article):
        for b in blocks:
            b.hrefs = [files.get(h, h) for h in b.hrefs]
        sections.append((sid, [b for b in blocks if b.kind != "image" or article.chart]))
    return sections


def _html_values(article: Article) -> dict[str, Any]:
    """What the article body template shows: the H1 and each section's blocks."""
    chart = article.chart
    return {
        "heading": unescape(article.title),
        "sections": _html_blocks(article),
        # chart.pay_chart writes the SVG with every text XML-escaped and nothing active in it
        # (narrator/chart.py): HTML to inline as it is, so the page needs no other file.
        "chart": Markup(chart) if chart else None,
    }


def html_body(article: Article) -> str:
    """The article as an HTML fragment (``<article>``), every record string escaped."""
    return render_page("article_body.html.j2", **_html_values(article))


def to_html(article: Article) -> str:
    return render_page("article.html.j2", title=unescape(article.seo_title or article.title),
                        description=unescape(article.meta_description),
                        **_html_values(article))


def _width(text: str) -> int:
    """Columns a string takes in a terminal: wide East Asian characters count twice, combining
    marks and zero-width format characters (joiners, direction marks) not at all."""
    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.category(ch) in ("Mn", "Me", "Cf")
               else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _text_table(b: Block) -> list[str]:
    rows = [b.header, *b.rows]
    widths = [max(_width(r[i]) for r in rows if i < len(r)) for i in range(len(b.header))]
    return ["  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths)).rstrip() for r in rows]


def to_text(article: Article) -> str:
    title = unescape(article.title)
    lines = [title, "=" * _width(title)]
    for _, blocks in _blocks(article):
        for b in blocks:
            lines.append("")
            if b.kind == "heading":
                lines += [b.text, "-" * _width(b.text)]
            elif b.kind == "paragraph":
                lines.append(b.text)
            elif b.kind == "list":
                lines += [f"- {i}" for i in b.items]
            elif b.kind == "image":
                lines.pop()  # no chart in plain text, and no blank line for it
            else:
                lines += _text_table(b)
    return "\n".join(lines) + "\n"


def to_data(article: Article) -> dict[str, Any]:
    """The article as data for a CMS: sections with paragraphs and tables, plus whole bodies."""
    sections = []
    for sid, blocks in _blocks(article):
        heading = next((b.text for b in blocks if b.kind == "heading"), None)
        section: dict[str, Any] = {
            "id": sid,
            "heading": heading,
            "paragraphs": [b.text for b in blocks if b.kind == "paragraph"],
            "tables": [{"header": b.header[1:], "rows": b.rows}
                       for b in blocks if b.kind == "table"],
        }
        lists = [b.items for b in blocks if b.kind == "list"]
        if lists:  # only where there are: older articles' JSON stays byte for byte the same
            section["lists"] = lists
        sections.append(section)
    data: dict[str, Any] = {
        "id": article.id,
        "slug": article.slug,
        "title": unescape(article.title),
    }
    if article.seo_title:  # styles that write one (older articles' JSON stays the same)
        data["seo_title"] = unescape(article.seo_title)
    data.update({
        "meta_description": unescape(article.meta_description),
        "sections": sections,
        "body_markdown": article.markdown(),
        "body_html": html_body(article),
    })
    if article.chart:
        data["pay_chart_svg"] = article.chart
    if article.aliases:
        data["aliases"] = list(article.aliases)
    if article.related:  # the related pages as data, for a CMS to link its own way
        data["related"] = [{"id": x.id, "slug": x.slug, "title": x.title, "job": x.job}
                           for x in article.related]
    return data


def to_json(article: Article) -> str:
    return json.dumps(to_data(article), ensure_ascii=False, indent=2) + "\n"


FORMATS: dict[str, Callable[[Article], str]] = {
    "md": Article.markdown,
    "html": to_html,
    "txt": to_text,
    "json": to_json,
}
