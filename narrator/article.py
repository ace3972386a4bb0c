"""The rendered article: what writers, output formats and publishers take from the renderer."""

from __future__ import annotations

from dataclasses import dataclass


def chart_file(article_id: str) -> str:
    """The pay chart's file name, beside the Markdown article that links to it."""
    return f"{article_id}.pay.svg"


def link_file(slug: str) -> str:
    """Where a Markdown article links to a related page: its Markdown file, a sibling in the
    output tree (HTML output links to ``<slug>.html`` instead: see ``formats``)."""
    return f"{slug}.md"


@dataclass(frozen=True, slots=True)
class Link:
    """A related page of the run (see ``narrator.related``): its id, slug and title (plain
    text: the title that page has, made from its two jobs' names), and the id of the job of
    this page it is listed under."""

    id: str
    slug: str
    title: str
    job: str


@dataclass(frozen=True, slots=True)
class Article:
    """A rendered article: Markdown per section, in order; empty sections are left out."""

    id: str
    slug: str
    title: str
    meta_description: str
    sections: tuple[tuple[str, str], ...]
    aliases: tuple[str, ...] = ()  # earlier ids (slugs) that should redirect here
    seo_title: str = ""  # a <title> for search engines (<= 60 characters); "" if the style has none
    chart: str | None = None  # the pay chart (SVG) the Markdown links to as chart_file(id)
    tags: tuple[str, ...] = ()  # the two jobs' short titles, as the record gives them
    # the variant each {% variants %} slot chose (1-based), by slot; a slot of a section about
    # one job is named "slot.a" or "slot.b"
    variants: tuple[tuple[str, int], ...] = ()
    related: tuple[Link, ...] = ()  # other pages of the run, shown in the "related" section

    def markdown(self) -> str:
        body = "\n\n".join(md for _, md in self.sections)
        return f"# {self.title}\n\n{body}\n"
