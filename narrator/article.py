"""The rendered article: what writers, output formats and publishers take from the renderer."""

from __future__ import annotations

from dataclasses import dataclass


def chart_file(article_id: str) -> str:
    """The pay chart's file name, beside the Markdown article that links to it."""
    return f"{article_id}.pay.svg"


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

    def markdown(self) -> str:
        body = "\n\n".join(md for _, md in self.sections)
        return f"# {self.title}\n\n{body}\n"
