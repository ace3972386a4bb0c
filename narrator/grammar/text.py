"""Lists and casing: joining items as prose, sentence case, display titles."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from .words import MINOR


@functools.lru_cache(maxsize=4096)
def _join(items: tuple[str, ...], oxford: bool, conj: str) -> str:
    if len(items) < 3:
        return f" {conj} ".join(items)
    return ", ".join(items[:-1]) + ("," if oxford else "") + f" {conj} {items[-1]}"


def join(items: Sequence[str], *, oxford: bool, conj: str = "and") -> str:
    """Join items as English prose, with or without the Oxford comma.

    >>> join(["a", "b", "c"], oxford=False), join(["a", "b", "c"], oxford=True, conj="or")
    ('a, b and c', 'a, b, or c')
    >>> join(["a", "b"], oxford=True), join(["a"], oxford=True), join([], oxford=True)
    ('a and b', 'a', '')
    """
    return _join(tuple(items), oxford, conj)


@functools.lru_cache(maxsize=4096)
def sentence_case(text: str) -> str:
    """Upper-case the first letter only; leave a first word with a capital inside alone.

    Opening quotes or brackets are skipped; a leading digit leaves the text unchanged.

    >>> sentence_case("lead technicians and nurses"), sentence_case("iOS developers")
    ('Lead technicians and nurses', 'iOS developers')
    """
    i = 0
    while i < len(text) and text[i] in "\"'\u201c\u2018([{\u00bf\u00a1":
        i += 1
    first_word = text[i:].split(" ", 1)[0]
    if i >= len(text) or not text[i].isalpha() or any(c.isupper() for c in first_word[1:]):
        return text
    return text[:i] + text[i].title() + text[i + 1:]  # title(): "ǅ", "Fi" (not "FI" from "ﬁ")


_PARTS = re.compile(r"([-/])")


def _cap(segment: str) -> str:
    if segment[:1].isalnum():
        return segment[:1].title() + segment[1:]
    i = 0
    while i < len(segment) and not segment[i].isalnum():
        i += 1
    return segment[:i] + segment[i:i + 1].title() + segment[i + 1:]


@functools.lru_cache(maxsize=4096)
def display_title(title: str) -> str:
    """Title case for table headers; minor words lower-case, acronyms and "iOS" kept.

    Each part after "-" or "/" is capitalised too; never "Technician'S".

    >>> display_title("first-line supervisor of retail sales workers")
    'First-Line Supervisor of Retail Sales Workers'
    >>> display_title("technician's helper"), display_title("iOS developer")
    ("Technician's Helper", 'iOS Developer')
    """
    words = title.split()
    if not words:
        raise ValueError("display_title() needs a non-empty title")
    out, last = [], len(words) - 1
    for n, word in enumerate(words):
        if not word.islower() and any(c.isupper() for c in word):
            out.append(word)
            continue
        edge = n == 0 or n == last
        if "-" not in word and "/" not in word:  # one segment (most words): no split
            out.append(word if word in MINOR and not edge else _cap(word))
            continue
        segs = _PARTS.split(word)
        out.append("".join(
            s if s in "-/" or (s in MINOR and not (edge and k in (0, len(segs) - 1)))
            else _cap(s) for k, s in enumerate(segs)))
    return " ".join(out)
