"""Job titles in an article's words: recognised, however written, as one token each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

_LEAD, _TRAIL = "([\"'“‘*_", ")]\"'”’.,;:!?*_"
_POSSESSIVE = frozenset(["'s", "’s"])

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
