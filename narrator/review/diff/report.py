"""The reports: a DiffReport as text for a terminal and as one self-contained HTML page."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from markupsafe import Markup, escape

from .changes import DELETE, EQUAL, INSERT, DiffReport, Group, Key, Span, _mark, edit_text

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


_CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:70rem;padding:0 1rem;color:#1f2328;background:#fff}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:0 0 .5rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
.trees{color:#59636e;margin:0 0 1rem}
.summary{display:flex;flex-wrap:wrap;gap:.75rem;margin:0 0 1.5rem;padding:0}
.count{border:1px solid #d1d9e0;border-radius:6px;padding:.5rem 1rem;min-width:8rem}
.count dt{color:#59636e;font-size:.85rem}.count dd{margin:0;font-size:1.4rem;font-weight:600}
section{border:1px solid #d1d9e0;border-radius:6px;padding:1rem;margin:0 0 1rem}
.edit,.unit{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9rem;
white-space:pre-wrap;overflow-wrap:anywhere}
.unit{margin:.25rem 0;padding:.25rem .5rem;background:#f6f8fa;border-radius:4px}
del{background:#ffcecb;color:#82071e;text-decoration:line-through}
ins{background:#aceebb;color:#055d20;text-decoration:none}
.names{columns:20rem;margin:.25rem 0;padding-left:1.25rem}.muted{color:#59636e}
"""


def to_html(report: DiffReport) -> str:
    """One self-contained page (inline CSS, no scripts, nothing fetched); article text escaped."""
    counts = "".join(Markup('<div class="count" id="count-{0}"><dt>{0}</dt><dd>{1}</dd></div>')
                     .format(label, f"{n:,}") for label, n in _counts(report))
    body = [Markup("<h1>What changed</h1>"),
            Markup('<p class="trees">old <code>{}</code> → new <code>{}</code> (*{} files)</p>')
            .format(str(report.old), str(report.new), report.suffix),
            Markup('<dl class="summary" id="summary">{}</dl>').format(Markup(counts))]
    if any("⟨" in g.edit for g in report.groups):
        body.append(Markup('<p class="muted">In edits: {}.</p>').format(LEGEND))
    body += [_html_group(n, group) for n, group in enumerate(report.groups[:SHOWN_HTML], 1)]
    rest = report.groups[SHOWN_HTML:]
    if rest:
        others = sorted(name for group in rest for name in group.articles)
        body.append(Markup('<section id="more"><h2>{} more edits, changing {}</h2>{}</section>')
                    .format(f"{len(rest):,}", _articles(len(others)), _html_names(others)))
    for label, names in (("added", report.added), ("removed", report.removed)):
        if names:
            body.append(Markup('<section id="{0}"><h2>{1} {0}</h2>{2}</section>')
                        .format(label, _articles(len(names)), _html_names(names)))
    title = f"narrate diff: {report.changed:,} changed, {len(report.added):,} added, " \
            f"{len(report.removed):,} removed"
    return str(Markup('<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
                      '<meta name="viewport" content="width=device-width, initial-scale=1">'
                      "<title>{}</title><style>{}</style></head>\n<body>\n{}\n</body></html>\n")
               .format(title, Markup(_CSS), Markup("\n").join(body)))


def _html_group(n: int, group: Group) -> Markup:
    size = len(group.articles)
    heading = f"{n}. this edit changed {_articles(size)}" + (" the same way" if size > 1 else "")
    units = Markup("").join(Markup('<p class="unit">{}</p>').format(_html_spans(s))
                            for s in group.example[:EXAMPLE_UNITS])
    if len(group.example) > EXAMPLE_UNITS:
        units += Markup('<p class="muted">… and {} more changed units</p>').format(
            len(group.example) - EXAMPLE_UNITS)
    return Markup('<section class="group" id="group-{}"><h2>{}</h2>'
                  '<p class="edit">edit: {}</p><p>example: <code>{}</code></p>{}'
                  "<details><summary>{}</summary>{}</details></section>").format(
        n, heading, _html_key(group.edits), group.articles[0], units,
        f"the {_articles(size)}", _html_names(group.articles))


def _html_spans(spans: Iterable[Span]) -> Markup:
    tags = {EQUAL: "{}", DELETE: "<del>{}</del>", INSERT: "<ins>{}</ins>"}
    return Markup(" ").join(Markup(tags[s.kind]).format(s.text) for s in spans)


def _html_key(edits: Key) -> Markup:
    """A key as <del>/<ins> marks, edits joined by ' … '."""
    if not edits:
        return escape(edit_text(edits))
    marks = ([Markup("<del>{}</del>").format(d)] * bool(d) + [Markup("<ins>{}</ins>").format(i)]
             * bool(i) for d, i in edits)
    return Markup(" … ").join(Markup(" ").join(pair) for pair in marks)


def _html_names(names: Sequence[str]) -> Markup:
    items = Markup("").join(Markup("<li>{}</li>").format(n) for n in names[:SHOWN_HTML])
    more = Markup('<p class="muted">and {} more</p>').format(f"{len(names) - SHOWN_HTML:,}") \
        if len(names) > SHOWN_HTML else Markup("")
    return Markup('<ul class="names">{}</ul>{}').format(items, more)
