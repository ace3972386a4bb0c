"""Plurals and possessives of job titles: only the head noun(s) change.

The plural of a head word comes from our corrections (IRREGULAR), then the shipped table
``data/inflections.json`` (inflect's answers with our corrections, built by
``tools/build_inflections.py``), then our suffix rules, and only for a word none of those
answers from inflect itself, imported lazily: ``import inflect`` takes over a second, which a
one-article CLI run cannot pay.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

from .words import (
    _ACRONYM,
    _COORD,
    _HYPHEN_PREPS,
    _LEVEL,
    _NON_LATIN_END,
    _PAREN,
    _PERSON_SUFFIXES,
    _REGULAR_S,
    AMBIGUOUS,
    CH_K,
    IRREGULAR,
    NOT_MAN,
    NOT_PERSON,
    O_ES,
    PERSON,
    PERSON_ACRONYMS,
    POSTPOSITIVE,
    PREPOSITIONS,
    RANKS,
    _words,
)

TABLE_PATH = Path(__file__).resolve().parent.parent / "data" / "inflections.json"


# --- the table ---------------------------------------------------------------------------
@functools.cache
def _table() -> dict[str, str]:
    with TABLE_PATH.open(encoding="utf-8") as f:
        table: dict[str, str] = json.load(f)
    return table


@functools.cache
def _plural_values() -> frozenset[str]:
    return frozenset(_table().values()) | frozenset(IRREGULAR.values())


@functools.cache
def _engine() -> Any:
    import inflect  # deliberately lazy: a slow import (see the module docstring)

    return inflect.engine()


def inflect_plural(word: str) -> str:
    """inflect's plural of a lower-case word, with its known faults corrected."""
    result: str = _engine().plural_noun(word)
    if word.endswith("s") and result == word + "s":  # "sales" -> "saless", "ethicss"
        return word
    if word.endswith("o") and result == word + "es" and word not in O_ES:
        return word + "s"  # "maestroes", "egoes"
    if word in CH_K:
        return word + "s"  # "teches"
    if word.endswith("man") and result == word + "s" and word not in NOT_MAN:
        return word[:-3] + "men"  # "cattlemans", "middlemans"
    return result


def rule_plural(word: str) -> str | None:
    """Our own plural of a lower-case word, or None when it must be looked up."""
    if word in IRREGULAR:
        return IRREGULAR[word]
    if word.endswith("person"):
        return word[:-6] + "people"
    if word.endswith("man") and word not in NOT_MAN:
        return word[:-3] + "men"
    if word.endswith(_REGULAR_S) or word in CH_K:
        return word + "s"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if word.endswith(("sh", "ss", "x", "z")):
        return word + "es"
    return None


def _singular_guess(word: str) -> str:
    if word.endswith("people"):
        return word[:-6] + "person"
    if word.endswith("men") and word[:-3] + "man" not in NOT_MAN:
        return word[:-3] + "man"
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") else word


def _is_plural(word: str) -> bool:
    if _ACRONYM.fullmatch(word) or not word.isalpha():  # "RNs", "CEOs"; "RN"
        return word.endswith("s") and not word.isupper()
    lw = word.lower()
    if lw in _plural_values():
        return lw not in _table() or _table()[lw] == lw
    sg = _singular_guess(lw)
    if sg != lw and (rule_plural(sg) == lw or _table().get(sg) == lw):
        return True
    return lw.endswith("s") and (lw[:-1] in _table() or lw[:-1] in IRREGULAR)  # "persons"


def _word_plural(word: str) -> str:
    """Plural of one word, keeping its case ("Salesperson" -> "Salespeople", "RN" -> "RNs")."""
    if "/" in word:  # "cook/chef": every person part, and the last part
        parts = word.split("/")
        return "/".join(_word_plural(p) if i == len(parts) - 1 or _is_person(p, False) else p
                        for i, p in enumerate(parts))
    if "-" in word.strip("-"):
        return _hyphen_plural(word)
    if (not word or "'" in word or "\u2019" in word or not word[0].isalnum()
            or _NON_LATIN_END.search(word)):
        return word
    if _ACRONYM.fullmatch(word) or not word.isalpha():  # "RN" -> "RNs", never "RNS"
        lw = word.lower()
        if len(word) > 4 and word.isupper() and lw in _table():
            return _table()[lw].upper()  # a shouted word, not an acronym
        return word if word.endswith("s") and not word.isupper() else word + "s"
    lw = word.lower()
    result = rule_plural(lw) if lw in IRREGULAR else _table().get(lw)
    if result is None:
        result = lw if _is_plural(lw) else (rule_plural(lw) or inflect_plural(lw))
    if word == lw:
        return result  # a lower-case word (most are): nothing of its case to keep
    k = 0
    while k < min(len(lw), len(result)) and lw[k] == result[k]:
        k += 1
    return word[:k] + result[k:]


def _hyphen_plural(word: str) -> str:
    segs = word.split("-")
    low = [s.lower() for s in segs]
    for i in range(1, len(segs)):
        if low[i] in _HYPHEN_PREPS and _is_person(segs[i - 1], False):  # "editor-in-chief"
            segs[i - 1] = _word_plural(segs[i - 1])
            return "-".join(segs)
    if (len(segs) > 1 and low[-1] in POSTPOSITIVE and low[-2] not in RANKS
            and _is_person(segs[-2], False)):  # "secretary-general"
        segs[-2] = _word_plural(segs[-2])
    else:
        segs[-1] = _word_plural(segs[-1])
    return "-".join(segs)


def _is_person(word: str, multiword: bool) -> bool:
    """Is ``word`` (singular or plural) a noun for a person ("auditor", "nurses", "RN")?"""
    if _ACRONYM.fullmatch(word):
        return word.removesuffix("s") in PERSON_ACRONYMS or word in PERSON_ACRONYMS
    lw = word.lower().split("-")[-1].split("/")[-1]
    if lw in AMBIGUOUS:
        return multiword
    for w in (lw, _singular_guess(lw)):
        if w in PERSON:
            return True
        if w not in NOT_PERSON and w.endswith(_PERSON_SUFFIXES) and w not in NOT_MAN:
            return True
    return False


def _head_index(words: list[str]) -> tuple[int, bool]:
    """Index of the head word of one conjunct, and whether a prepositional phrase follows."""
    end, has_pp = len(words), False
    for i in range(1, len(words)):
        if words[i].lower() in PREPOSITIONS:
            end, has_pp = i, True
            break
    head = end - 1
    while head > 0 and _LEVEL.match(words[head]):  # "engineer II"
        head -= 1
    low = words[head].lower()
    if (head > 0 and low in POSTPOSITIVE and words[head - 1].lower() not in RANKS
            and _is_person(words[head - 1], False)):
        head -= 1  # "attorney general", "notary public"
    elif head > 0 and low == "major" and words[head - 1].lower() in ("sergeant", "sergeants"):
        head -= 1
    return head, has_pp


_MACHINE = _words("automated automatic robotic")  # "automated teller" is a machine


def _parse(title: str) -> tuple[list[list[str]], list[str], list[int], list[bool], int, int]:
    """Split a title into conjuncts and find what to pluralise.

    Returns (conjunct words, separators, head indices, person-headed flags, tail, final):
    conjuncts from ``tail`` on are a qualifier after a bare comma (", general"); conjunct
    ``final`` is always pluralised (the first with a post-modifier, else the last before the
    tail); those after it belong to its post-modifier ("of mechanics, installers, and ...").
    """
    parts = _COORD.split(title)
    conjs, seps = [c.split(" ") for c in parts[0::2]], parts[1::2]
    heads, persons, pps = [], [], []
    for words in conjs:
        h, has_pp = _head_index(words)
        heads.append(h)
        pps.append(has_pp)
        persons.append(_is_person(words[h], len(words) > 1)
                       and not (h > 0 and words[h - 1].lower() in _MACHINE))
    tail = next((j for j in range(1, len(conjs))
                 if seps[j - 1].strip() == "," and not any(persons[j:])), len(conjs))
    final = next((i for i in range(tail) if pps[i]), tail - 1)
    return conjs, seps, heads, persons, tail, final


@functools.lru_cache(maxsize=4096)
def plural(title: str) -> str:
    """The plural of a job title in singular prose form; only the head noun(s) change.

    >>> plural("lead technician")
    'lead technicians'
    >>> plural("accountant and auditor")
    'accountants and auditors'
    >>> plural("service and repair technician")
    'service and repair technicians'
    >>> plural("first-line supervisor of retail sales workers")
    'first-line supervisors of retail sales workers'
    >>> plural("attorney general"), plural("RN"), plural("salesperson")
    ('attorneys general', 'RNs', 'salespeople')
    """
    title = " ".join(title.split())
    if not title:
        raise ValueError("plural() needs a non-empty title")
    m = _PAREN.match(title)
    if m and m.group(1):  # "registered nurse (RN)" -> "registered nurses (RNs)"
        inner = m.group(2)
        inner = plural(inner) if inner.isupper() and " " not in inner else inner
        return f"{plural(m.group(1))} ({inner})"
    conjs, seps, heads, persons, tail, final = _parse(title)
    for i, words in enumerate(conjs[:tail]):
        h = heads[i]
        if i == final or (persons[i] and (i < final or not _is_plural(words[h]))):
            words[h] = _word_plural(words[h])
    return "".join(" ".join(w) + sep for w, sep in zip(conjs, [*seps, ""], strict=True))


def _is_plural_phrase(phrase: str) -> bool:
    m = _PAREN.match(phrase)
    conjs, _, heads, _, _, final = _parse(m.group(1) if m and m.group(1) else phrase)
    return _is_plural(conjs[final][heads[final]])


@functools.lru_cache(maxsize=4096)
def possessive(noun_phrase: str, *, plural: bool | None = None) -> str:
    """The possessive: "'" after a plural ending in s, "'s" otherwise.

    ``plural=None`` detects it from the head noun, so ``possessive(plural(title))`` is the
    plural possessive.

    >>> possessive("boss"), possessive("lead technicians"), possessive("salespeople")
    ("boss's", "lead technicians'", "salespeople's")
    >>> possessive("attorneys general"), possessive("director of operations")
    ("attorneys general's", "director of operations's")
    """
    phrase = noun_phrase.strip()
    if not phrase:
        raise ValueError("possessive() needs a non-empty noun phrase")
    is_plural = _is_plural_phrase(phrase) if plural is None else plural
    return phrase + ("'" if is_plural and phrase.endswith("s") else "'s")
