"""YAML front matter for static-site CMSs (Hugo, Jekyll, Eleventy, Astro ...), written above
the Markdown article by ``narrate --all --front-matter``::

    ---
    title: "Accountant vs auditor"
    slug: "accountant-vs-auditor"
    description: "Accountants earn ..."
    date: "2026-05-15"
    tags: ["accountant", "auditor"]
    aliases: ["/accountant-vs-old-name/"]
    related: ["accountant-vs-budget-analyst", "auditor-vs-tax-examiner"]
    ---

Values are written as JSON strings, which YAML reads as they are (no quoting rules to get
wrong: a title with a colon, a quote or "no" stays a string). ``date`` is the data release of
the article's data set (``released`` in its narrator.json), left out when it has none;
``aliases`` are the article's earlier ids as site paths, which Hugo turns into redirects;
``related`` the slugs of the related pages of the run (``narrator.related``), in their order,
for a theme to list (where there are some). The
Markdown below has no ``# title`` line then: the site's theme shows the title.
"""

from __future__ import annotations

import json
import re

from .article import Article
from .markdown import unescape

# What YAML may not hold as it is in a quoted string: what is outside its printable set (C0
# and C1 controls, DEL, surrogates, U+FFFE, U+FFFF), and the line breaks it would fold to a
# space (NEL, U+2028, U+2029).
_NOT_YAML = re.compile("[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd"
                       "\U00010000-\U0010ffff]")


def _s(value: str) -> str:
    """A YAML double-quoted string (JSON's escapes are YAML's), with what YAML can't hold
    raw written as an escape: any text a record may carry reads back the same."""
    return _NOT_YAML.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value,
                                                                          ensure_ascii=False))


def front_matter(article: Article, released: str | None = None) -> str:
    """The front matter block of ``article``, ending with its closing ``---`` line."""
    lines = ["---", f"title: {_s(unescape(article.title))}", f"slug: {_s(article.slug)}",
             f"description: {_s(unescape(article.meta_description))}"]
    if article.seo_title:
        lines.append(f"seo_title: {_s(unescape(article.seo_title))}")
    if released:
        lines.append(f"date: {_s(released)}")
    if article.tags:
        lines.append(f"tags: [{', '.join(_s(t) for t in article.tags)}]")
    if article.aliases:
        lines.append(f"aliases: [{', '.join(_s(f'/{a}/') for a in article.aliases)}]")
    if article.related:
        lines.append(f"related: [{', '.join(_s(x.slug) for x in article.related)}]")
    return "\n".join([*lines, "---", ""])


def markdown_with_front_matter(article: Article, released: str | None = None) -> str:
    """Front matter, then the body without its ``# title`` line: a static site's theme shows
    the front matter's title as the page's H1."""
    return front_matter(article, released) + "\n\n".join(md for _, md in article.sections) + "\n"
