"""The reports: a DiffReport as text for a terminal and as one self-contained HTML page."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ...pages import render_page
from .changes import DELETE, EQUAL, INSERT, DiffReport, Group, Span, _mark

SHOWN = 5           # article names per group in the text report
GROUPS = 100        # groups in the text report
SHOWN_HTML = 1000   # article names per list, and groups, in the HTML report
EXAMPLE_UNITS = 20  # changed units shown for a group's example

LEGEND = ("⟨job⟩/⟨jobs⟩ = one of the article's two job titles, singular/plural; a(n) = a or an "
          "before it; ⟨n⟩ = a number that is the same before and after")


# -- reports ---------------------------------------------------------------------------------

def wdiff(spans: Iterable[Span]) -> str:
    """Spans as one line with ``[-deleted-]{+inserted+}`` marks."""
    parts: list[str] = []
    after_delete = False
    for span in spans:
        text = span.text if span.kind == EQUAL else _mark(*(
            (span.text, "") if span.kind == DELETE else ("", span.text)))
        if span.kind == INSERT and after_delete:
            parts[-1] += text
        else:
            parts.append(text)
        after_delete = span.kind == DELETE
    return " ".join(parts)


def _names(names: Sequence[str], shown: int) -> str:
    more = f" and {len(names) - shown:,} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def _articles(n: int) -> str:
    return f"{n:,} article{'' if n == 1 else 's'}"


def _counts(report: DiffReport) -> list[tuple[str, int]]:
    return [("changed", report.changed), ("added", len(report.added)),
            ("removed", len(report.removed)), ("unchanged", report.unchanged)]


def to_text(report: DiffReport) -> str:
    """The report for a terminal: counts, then each group with its names and example."""
    lines = [f"narrate diff: {report.old} -> {report.new} (*{report.suffix})",
             ", ".join(f"{label} {n:,}" for label, n in _counts(report))]
    if any("⟨" in g.edit for g in report.groups):
        lines.append(f"(in edits: {LEGEND})")
    for n, group in enumerate(report.groups[:GROUPS], 1):
        size = len(group.articles)
        lines += ["", f"[{n}] this edit changed {_articles(size)}"
                  + (" the same way" if size > 1 else "") + f": {group.edit}",
                  f"    articles: {_names(group.articles, SHOWN)}",
                  f"    example: {group.articles[0]}"]
        lines += [f"      {wdiff(spans)}" for spans in group.example[:EXAMPLE_UNITS]]
        if len(group.example) > EXAMPLE_UNITS:
            lines.append(f"      … and {len(group.example) - EXAMPLE_UNITS} more changed units")
    rest = report.groups[GROUPS:]
    if rest:
        names = sorted(name for group in rest for name in group.articles)
        lines += ["", (f"… and {len(rest):,} more edits, changing {_articles(len(names))} "
                       f"(see --html): {_names(names, 2 * SHOWN)}")]
    listed = [f"{label} ({len(names):,}): {_names(names, 2 * SHOWN)}"
              for label, names in (("added", report.added), ("removed", report.removed)) if names]
    lines += ["", *listed] if listed else []
    return _visible("\n".join(lines)) + "\n"


# Control characters (an ESC starts a terminal command) and bidi overrides (they reorder what
# is shown): an article edited by hand may hold any, and the report goes to a terminal.
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(text: str) -> str:
    """``text`` with its unsafe characters shown as escapes (``\\x1b``, ``\\u202e``)."""
    return _UNSAFE.sub(lambda m: ascii(m.group())[1:-1], text)


@dataclass(frozen=True, slots=True)
class _Listing:
    """Article names as the page lists them: the first SHOWN_HTML, and how many more."""

    shown: Sequence[str]
    more: str | None  # "1,234", or None when every name is shown


def _listing(names: Sequence[str]) -> _Listing:
    more = len(names) - SHOWN_HTML
    return _Listing(names[:SHOWN_HTML], f"{more:,}" if more > 0 else None)


@dataclass(frozen=True, slots=True)
class _GroupView:
    """A group as the page shows it: its number and heading, its example's first changed
    units, how many more there are, and its articles."""

    n: int
    group: Group
    heading: str
    units: Sequence[Sequence[Span]]
    more_units: int
    summary: str  # the <details> summary: "the 3 articles"
    names: _Listing


def _group_view(n: int, group: Group) -> _GroupView:
    size = len(group.articles)
    heading = f"{n}. this edit changed {_articles(size)}" + (" the same way" if size > 1 else "")
    return _GroupView(n, group, heading, group.example[:EXAMPLE_UNITS],
                      max(0, len(group.example) - EXAMPLE_UNITS), f"the {_articles(size)}",
                      _listing(group.articles))


def to_html(report: DiffReport) -> str:
    """One self-contained page (narrator/pages/diff.html.j2: inline CSS, no scripts, nothing
    fetched); article text escaped by the page's autoescape."""
    rest = report.groups[SHOWN_HTML:]
    others = sorted(name for group in rest for name in group.articles)
    more = {"edits": f"{len(rest):,}", "articles": _articles(len(others)),
            "names": _listing(others)} if rest else None
    title = f"narrate diff: {report.changed:,} changed, {len(report.added):,} added, " \
            f"{len(report.removed):,} removed"
    return render_page(
        "diff.html.j2", title=title, old=str(report.old), new=str(report.new),
        suffix=report.suffix, counts=[(label, f"{n:,}") for label, n in _counts(report)],
        legend=LEGEND if any("⟨" in g.edit for g in report.groups) else None,
        groups=[_group_view(n, g) for n, g in enumerate(report.groups[:SHOWN_HTML], 1)],
        more=more, lists=[(label, _articles(len(names)), _listing(names))
                          for label, names in (("added", report.added), ("removed", report.removed))
                          if names])
