"""The model and the algorithm: reading two trees, aligning and pairing the units of each
changed article, diffing them word by word, and the keys that group identical edits."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from ...batch.index import indexed_files
from ...errors import InputError
from .titles import Token, _Titles, _tokens

EQUAL, DELETE, INSERT = "equal", "delete", "insert"
WINDOW = 8          # new units considered for each old unit when pairing a replaced block
ALIKE = 0.5         # word similarity at which two units are shown as one edited unit

_SENTENCE_END = re.compile(r"(?<=[.?!:])\s+(?=[A-Z\u00c0-\u00de\"“(])")
_NUMBER = re.compile(r"\d(?:[\d,.]*\d)?")

Key = tuple[tuple[str, str], ...]


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
    both = (*old_names, *new_names)
    suffix = next((x for x in (".md", ".txt", ".json") if any(n.endswith(x) for n in both)),
                  None)
    if suffix is None:
        raise InputError("no articles (.md, .txt or .json) in either tree to compare",
                         file=f"{old}, {new}")
    olds = {n[: -len(suffix)]: n for n in old_names if n.endswith(suffix)}
    news = {n[: -len(suffix)]: n for n in new_names if n.endswith(suffix)}
    found: dict[Key, tuple[list[str], tuple[tuple[Span, ...], ...]]] = {}
    unchanged = 0
    for name in sorted(olds.keys() & news.keys()):
        before, after = _read(Path(old, olds[name])), _read(Path(new, news[name]))
        if before == after:
            unchanged += 1
            continue
        read = _from_json if suffix == ".json" else _decode
        key, changes = article_changes(read(before), read(after))
        found.setdefault(key, ([], changes))[0].append(name)
    groups = [Group(key, tuple(names), example) for key, (names, example) in found.items()]
    groups.sort(key=lambda g: (-len(g.articles), g.edit, g.edits))
    return DiffReport(Path(old), Path(new), suffix, tuple(sorted(news.keys() - olds.keys())),
                      tuple(sorted(olds.keys() - news.keys())), unchanged, tuple(groups))


def _listing(tree: Path) -> list[str]:
    if not tree.exists():
        raise InputError("no such directory", file=str(tree))
    if not tree.is_dir():
        raise InputError("not a directory", file=str(tree))
    listed = indexed_files(tree)  # where there is an index, only the files it lists
    try:
        with os.scandir(tree) as entries:
            return [e.name for e in entries
                    if e.name.endswith((".md", ".txt", ".json")) and e.is_file()
                    and e.name[0] != "." and (listed is None or e.name in listed)]
    except OSError as err:
        raise InputError(f"cannot read the directory: {err.strerror}", file=str(tree)) from None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror}", file=str(path)) from None


def _decode(data: bytes) -> str:
    return data.decode("utf-8", errors="replace").replace("\r\n", "\n")


#: A JSON article's fields compared besides its body, each as a line of its own.
JSON_FIELDS = (("title", "Title"), ("seo_title", "SEO title"),
               ("meta_description", "Meta description"))


def _from_json(data: bytes) -> str:
    """A JSON article (``narrate --all -f json``) as the text compared: its title, SEO title
    and meta description as lines, then its body (``body_markdown``: the sections, lists and
    tables as Markdown). Anything not narrator's JSON is compared as it is."""
    text = _decode(data)
    try:
        article = json.loads(text)
    except ValueError:
        return text
    if not isinstance(article, dict) or not isinstance(article.get("body_markdown"), str):
        return text
    head = [f"{label}: {article[key]}" for key, label in JSON_FIELDS
            if isinstance(article.get(key), str)]
    return "\n\n".join([*head, article["body_markdown"]])


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


# -- keys as text ----------------------------------------------------------------------------

def edit_text(key: Key) -> str:
    """A key as wdiff marks, edits joined by ' … '."""
    if not key:
        return "(whitespace or line breaks only)"
    return " … ".join(_mark(d, i) for d, i in key)


def _mark(deleted: str, inserted: str) -> str:
    return (f"[-{deleted}-]" if deleted else "") + (f"{{+{inserted}+}}" if inserted else "")
