"""Related links in a published post: each goes to the post of that article on the site.

The JSON article's ``body_html`` links its related pages (``related`` in the JSON) to their
HTML files, ``<slug>.html``, siblings in the output tree; on a site they are posts. A link is
rewritten to ``URL/?name=SLUG``, which WordPress answers under any permalink setting (with
pretty permalinks it redirects to the post's own address), and only to the articles of the tree
being published that are not in conflict: a link to any other is left out (a job whose links
are all left out loses its lead-in, a page with none left loses the section).
"""

from __future__ import annotations

import re
from collections.abc import Collection

from ..formats import html_file

_SECTION = re.compile(r'<section id="related">\n.*?</section>\n', re.S)
_ITEM = re.compile(r'<li><a href="([^"]*)">(.*?)</a></li>\n')
_EMPTY_GROUP = re.compile(r"<p>[^\n]*</p>\n<ul>\n</ul>\n")


def post_href(url: str, slug: str) -> str:
    """The address of the post with ``slug`` on the site at ``url``.

    >>> post_href("https://careers.example.com/", "a-vs-b")
    'https://careers.example.com/?name=a-vs-b'
    """
    return f"{url.rstrip('/')}/?name={slug}"


def site_links(html: str, related: Collection[str], linkable: Collection[str], url: str) -> str:
    """``html`` with its related links (to the ``related`` slugs) pointing at the site's posts,
    those not ``linkable`` left out."""
    files = {html_file(slug): slug for slug in related}

    def item(m: re.Match[str]) -> str:
        slug = files.get(m[1])
        if slug is None:
            return m[0]
        return f'<li><a href="{post_href(url, slug)}">{m[2]}</a></li>\n' if slug in linkable \
            else ""

    def section(m: re.Match[str]) -> str:
        text = _EMPTY_GROUP.sub("", _ITEM.sub(item, m[0]))
        return text if "<li>" in text else ""

    return _SECTION.sub(section, html)
