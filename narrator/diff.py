"""narrate diff: what changed between two output trees, sentence by sentence, word by word.

Articles (``*.md``, or ``*.txt`` when neither tree has Markdown) are matched by file name;
identical bytes are skipped at once. A changed article is split into units (sentences, table
rows, headings), old and new units are aligned, replaced units are paired when they are alike,
and each pair is diffed word by word. The article's edits (the words deleted and inserted, with
the article's own job titles and any number found on both sides set aside) are its key:
articles with the same key form one group, read once through its first article.

>>> wdiff(word_spans("seen in a few details.", "seen in a few key details."))
'seen in a few {+key+} details.'
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup, escape

from .errors import NarratorError

EQUAL, DELETE, INSERT = "equal", "delete", "insert"
SHOWN = 5           # article names per group in the text report
GROUPS = 100        # groups in the text report
SHOWN_HTML = 1000   # article names per list, and groups, in the HTML report
EXAMPLE_UNITS = 20  # changed units shown for a group's example
WINDOW = 8          # new units considered for each old unit when pairing a replaced block
ALIKE = 0.5         # word similarity at which two units are shown as one edited unit

_SENTENCE_END = re.compile(r"(?<=[.?!:])\s+(?=[A-Z\u00c0-\u00de\"“(])")
_NUMBER = re.compile(r"\d(?:[\d,.]*\d)?")
_LEAD, _TRAIL = "([\"'“‘*_", ")]\"'”’.,;:!?*_"
_POSSESSIVE = frozenset(["'s", "’s"])

Key = tuple[tuple[str, str], ...]
LEGEND = ("⟨job⟩/⟨jobs⟩ = one of the article's two job titles, singular/plural; a(n) = a or an "
          "before it; ⟨n⟩ = a number that is the same before and after")


@dataclass(frozen=True, slots=True)
class Span:
    """A run of words that is kept, deleted or inserted."""

    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class Group:
    """Articles changed the same way: the shared edit, their names, the first one's changes."""

    edits: Key
    articles: tuple[str, ...]
    example: tuple[tuple[Span, ...], ...]

    @property
    def edit(self) -> str:
        """The shared edits as wdiff marks, joined by ' … '."""
        return edit_text(self.edits)


@dataclass(frozen=True, slots=True)
class DiffReport:
    """Two trees compared: articles added and removed (names), unchanged (a count), and the
    changed ones in groups, largest first."""

    old: Path
    new: Path
    suffix: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int
    groups: tuple[Group, ...]

    @property
    def changed(self) -> int:
        return sum(len(g.articles) for g in self.groups)


# -- trees -----------------------------------------------------------------------------------

def compare(old: Path, new: Path) -> DiffReport:
    """Compare the articles of two output trees written by ``narrate --all``."""
    old_names, new_names = _listing(Path(old)), _listing(Path(new))
    suffix = ".md" if any(n.endswith(".md") for n in (*old_names, *new_names)) else ".txt"
    olds = {n[: -len(suffix)]: n for n in old_names if n.endswith(suffix)}
    news = {n[: -len(suffix)]: n for n in new_names if n.endswith(suffix)}
    found: dict[Key, tuple[list[str], tuple[tuple[Span, ...], ...]]] = {}
    unchanged = 0
    for name in sorted(olds.keys() & news.keys()):
        before, after = _read(Path(old, olds[name])), _read(Path(new, news[name]))
        if before == after:
            unchanged += 1
            continue
        key, changes = article_changes(_decode(before), _decode(after))
        found.setdefault(key, ([], changes))[0].append(name)
    groups = [Group(key, tuple(names), example) for key, (names, example) in found.items()]
    groups.sort(key=lambda g: (-len(g.articles), g.edit, g.edits))
    return DiffReport(Path(old), Path(new), suffix, tuple(sorted(news.keys() - olds.keys())),
                      tuple(sorted(olds.keys() - news.keys())), unchanged, tuple(groups))


def _listing(tree: Path) -> list[str]:
    if not tree.exists():
        raise NarratorError("no such directory", file=str(tree))
    if not tree.is_dir():
        raise NarratorError("not a directory", file=str(tree))
    try:
        with os.scandir(tree) as entries:
            return [e.name for e in entries
                    if e.name.endswith((".md", ".txt")) and e.is_file() and e.name[0] != "."]
    except OSError as err:
        raise NarratorError(f"cannot read the directory: {err.strerror}", file=str(tree)) from None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise NarratorError(f"cannot read: {err.strerror}", file=str(path)) from None


def _decode(data: bytes) -> str:
    return data.decode("utf-8", errors="replace").replace("\r\n", "\n")


# -- one article -----------------------------------------------------------------------------

def units(lines: Iterable[str]) -> list[str]:
    """Headings, table rows, and the sentences of every other line, whitespace collapsed.

    >>> units(["# A vs B", "", "One. Two? three.", "| x | 1 |"])
    ['# A vs B', 'One.', 'Two? three.', '| x | 1 |']
    """
    found: list[str] = []
    for line in lines:
        line = " ".join(line.split())
        if line.startswith(("#", "|")):
            found.append(line)
        elif line:
            found.extend(_SENTENCE_END.split(line))
    return found


def article_changes(old: str, new: str) -> tuple[Key, tuple[tuple[Span, ...], ...]]:
    """The key of an article's edits, and its changed units as marked spans.

    Lines are aligned first (cheap: most are equal), then the units of changed lines.
    """
    old_lines, new_lines = old.split("\n"), new.split("\n")
    old_titles, new_titles = _Titles.of(old_lines), _Titles.of(new_lines)
    key: list[tuple[str, str]] = []
    changes: list[tuple[Span, ...]] = []
    for i1, i2, j1, j2 in _changed(old_lines, new_lines):
        old_units, new_units = units(old_lines[i1:i2]), units(new_lines[j1:j2])
        for u1, u2, v1, v2 in _changed(old_units, new_units):
            for before, after in _pair(old_units[u1:u2], new_units[v1:v2]):
                spans, edits = _unit_diff(_tokens(before, old_titles),
                                          _tokens(after, new_titles))
                if edits:
                    changes.append(spans)
                    key.extend(edits)
    return tuple(key), tuple(changes)


def _changed(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int, int, int]]:
    """The (old start, old end, new start, new end) of every block that is not equal."""
    start, end = 0, 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    middle = SequenceMatcher(None, old[start:len(old) - end], new[start:len(new) - end],
                             autojunk=False)
    return [(start + i1, start + i2, start + j1, start + j2)
            for tag, i1, i2, j1, j2 in middle.get_opcodes() if tag != EQUAL]


def _pair(olds: Sequence[str], news: Sequence[str]) -> list[tuple[str, str]]:
    """Old and new units of a replaced block, in order; an unpaired one is paired with "".

    As many old units as new: paired in order (if each pair shares some words). Otherwise
    each old unit goes with the most alike new one ahead of it, if they are alike enough.
    """
    if len(olds) == len(news) and (len(olds) == 1 or all(
            _likeness(a, b) >= ALIKE / 2 for a, b in zip(olds, news))):
        return list(zip(olds, news))
    pairs: list[tuple[str, str]] = []
    j = 0
    for before in olds:
        best, best_ratio = -1, ALIKE
        for k in range(j, min(len(news), j + WINDOW)):
            ratio = _likeness(before, news[k])
            if ratio > best_ratio or (best < 0 and ratio == best_ratio):
                best, best_ratio = k, ratio
                if ratio > 0.9:
                    break
        if best < 0:
            pairs.append((before, ""))
            continue
        pairs.extend(("", after) for after in news[j:best])
        pairs.append((before, news[best]))
        j = best + 1
    pairs.extend(("", after) for after in news[j:])
    return pairs


def _likeness(old: str, new: str) -> float:
    return SequenceMatcher(None, old.split(), new.split(), autojunk=False).ratio()


Token = tuple[str, str]  # (text as written, text with the article's job titles replaced)


@dataclass(frozen=True, slots=True)
class _Title:
    """A job title as bare lower-case words, and the forms each word may take."""

    words: tuple[str, ...]
    display: bool  # from a table header: matched as written, and read as a plural
    forms: tuple[frozenset[str], ...]


@lru_cache(maxsize=4096)
def _title(text: str, display: bool) -> _Title:
    words = tuple(_split(word)[1].lower() for word in text.split())
    forms = (frozenset([w]) for w in words) if display else map(_plurals, words)
    return _Title(words, display, tuple(forms))


@dataclass(frozen=True, slots=True)
class _Titles:
    """An article's job titles, longest first, and the words one may start with."""

    titles: tuple[_Title, ...] = ()
    firsts: frozenset[str] = frozenset()

    @classmethod
    def of(cls, lines: Sequence[str]) -> _Titles:
        """The two sides of the title heading (``X vs Y``), matched with plural endings too,
        and the display titles in the first table's header."""
        heading = next((line.strip() for line in lines if line.strip()), "")
        if heading.count(" vs ") != 1 or heading.startswith("|"):
            return cls()
        header = next((line for line in lines if line.startswith("| |")), "")
        shown = [cell.strip() for cell in header.strip("|").split("|")[1:]] if header else []
        found = [_title(text, False) for text in heading.removeprefix("# ").split(" vs ")]
        found += [t for t in (_title(text, True) for text in shown[:2] if text)
                  if t.words not in {f.words for f in found}]
        found.sort(key=lambda t: -len(t.words))
        return cls(tuple(found), frozenset().union(*(t.forms[0] for t in found if t.words)))


def _plurals(word: str) -> frozenset[str]:
    """A word and the plural forms it may take (enough to recognise a plural job title)."""
    forms = {word, word + "s", word + "es"}
    for singular, plural in (("y", "ies"), ("man", "men"), ("fe", "ves"), ("f", "ves")):
        if word.endswith(singular):
            forms.add(word[: -len(singular)] + plural)
    return frozenset(forms)


def _split(word: str) -> tuple[str, str, str]:
    """Leading punctuation, the word, and trailing punctuation with any possessive 's."""
    core = word.lstrip(_LEAD)
    bare = core.rstrip(_TRAIL)
    if bare[-2:] in _POSSESSIVE:
        bare = bare[:-2]
    return word[: len(word) - len(core)], bare, core[len(bare):]


def _tokens(unit: str, titles: _Titles) -> list[Token]:
    """The unit's words; a job title (however many words) is one token."""
    words = unit.split()
    tokens: list[Token] = []
    i = 0
    while i < len(words):
        word = words[i].lower()
        maybe = word in titles.firsts or (
            (word[0] in _LEAD or word[-1] in _TRAIL or word[-1] == "s")
            and _split(word)[1] in titles.firsts)
        found = _title_at(words, i, titles.titles) if maybe else None
        if found and tokens and tokens[-1][0].lower() in ("a", "an"):
            tokens[-1] = (tokens[-1][0], tokens[-1][0][0] + "(n)")
        tokens.append(found[1] if found else (words[i], words[i]))
        i += found[0] if found else 1
    return tokens


def _title_at(words: list[str], i: int, titles: Sequence[_Title]) -> tuple[int, Token] | None:
    """The longest job title at word ``i``: its length in words, and its token."""
    first = _split(words[i])
    for title in titles:
        n = len(title.words)
        if not n or i + n > len(words) or first[1].lower() not in title.forms[0]:
            continue
        parts = [first, *map(_split, words[i + 1:i + n])]
        bare = tuple(part[1].lower() for part in parts)
        if not all(w in f for w, f in zip(bare, title.forms)):
            continue
        name = "jobs" if title.display or bare != title.words else "job"
        return n, (" ".join(words[i:i + n]), f"{parts[0][0]}⟨{name}⟩{parts[-1][2]}")
    return None


def word_spans(old: str, new: str) -> tuple[Span, ...]:
    """Two units diffed word by word, as marked spans."""
    return _unit_diff(_tokens(old, _Titles()), _tokens(new, _Titles()))[0]


def _unit_diff(old: list[Token], new: list[Token]
               ) -> tuple[tuple[Span, ...], list[tuple[str, str]]]:
    """Marked spans of one unit pair, and its edits as key parts."""
    spans: list[Span] = []
    edits: list[tuple[str, str]] = []
    matcher = SequenceMatcher(None, [t for t, _ in old], [t for t, _ in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == EQUAL:
            spans.append(Span(EQUAL, " ".join(t for t, _ in old[i1:i2])))
            continue
        deleted, inserted = old[i1:i2], new[j1:j2]
        if deleted:
            spans.append(Span(DELETE, " ".join(t for t, _ in deleted)))
        if inserted:
            spans.append(Span(INSERT, " ".join(t for t, _ in inserted)))
        edits.append(_edit_key(deleted, inserted, whole=not old or not new))
    return tuple(spans), edits


def _edit_key(deleted: list[Token], inserted: list[Token], *, whole: bool) -> tuple[str, str]:
    """What an edit did, apart from this article: titles as placeholders, and the numbers found
    on both sides (or anywhere in a unit added or removed whole) as ⟨n⟩; a changed number stays."""
    before = " ".join(n for _, n in deleted)
    after = " ".join(n for _, n in inserted)
    if before == after:  # the edit is inside a title: only the written words tell it apart
        return " ".join(t for t, _ in deleted), " ".join(t for t, _ in inserted)
    kept = None if whole else set(_NUMBER.findall(before)) & set(_NUMBER.findall(after))
    if kept is None or kept:
        def mark(m: re.Match[str]) -> str:
            return "⟨n⟩" if kept is None or m[0] in kept else m[0]
        before, after = _NUMBER.sub(mark, before), _NUMBER.sub(mark, after)
    return before, after


# -- reports ---------------------------------------------------------------------------------

def edit_text(key: Key) -> str:
    """A key as wdiff marks, edits joined by ' … '."""
    if not key:
        return "(whitespace or line breaks only)"
    return " … ".join(_mark(d, i) for d, i in key)


def _mark(deleted: str, inserted: str) -> str:
    return (f"[-{deleted}-]" if deleted else "") + (f"{{+{inserted}+}}" if inserted else "")


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
    return "\n".join(lines) + "\n"


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
