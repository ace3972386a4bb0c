"""a or an, judged by how a phrase's first word is said; never inflect."""

from __future__ import annotations

import functools
import re

from .words import _words

_AN_LETTERS = frozenset("aefhilmnorsx")  # letter names said with a vowel: "an F", "an H"
SILENT_H = ("hour", "honest", "honor", "honour", "heir")
WORD_ACRONYMS = _words("SIM SAS SOC RAM ROM LAN NOC HUD SHRM MOOC")  # said as words
_SAID_AS_WORD = re.compile(r"^(?:[FHLMNRSX][AEIOU]|S[CKLMNPTW][AEIOUY]|"
                           r"S(?:CR|PR|TR|PL|HR|QU|CH|PH)[AEIOUY]|F[LR][AEIOUY]|RH[AEIOUY])")
_ONSETS = ("fl", "fr", "fj", "sc", "sk", "sl", "sm", "sn", "sp", "st", "sw", "sh", "sq", "rh")


def _number_article(number: str) -> str:
    """ "an 8th", "an 11th", "an 18-wheeler", "an 80-hour", "a 1st", "a 100-year"."""
    head = number.split(".")[0]
    group = head.split(",")[0] if "," in head else head[: len(head) % 3 or 3]
    return "an" if group.startswith("8") or group in ("11", "18") else "a"


def _word_article(w: str) -> str:
    """a/an for a lower-case word read as a word."""
    if w.startswith(SILENT_H) or w.startswith("uber"):
        return "an"
    if w in ("one", "once", "onetime") or w.startswith(("eu", "ew")):
        return "a"  # "a one-time", "a European", "a ewe"
    if w.startswith("uni"):
        return "an" if w[3:4] in ("n", "m", "d") and not w.startswith("unimo") else "a"
    if w.startswith("u"):
        return "a" if re.match(r"u(?:[bcfghjkqrstvz][aeiouy]|kr)", w) else "an"
    if w[0] in "aeiouàáâäèéêëìíîïòóôöùúûü":
        return "an"
    if w[0] == "x":  # "an Xbox", but "a xylophone"
        return "a" if w[1:2] in ("", *"aeiouy") else "an"
    if (w[0] in _AN_LETTERS and len(w) <= 5 and w[1:2].isalpha() and w[1] not in "aeiouy"
            and not w.startswith(_ONSETS)):
        return "an"  # a lower-case abbreviation read as letters: "an hvac", "an mba"
    return "a"


@functools.lru_cache(maxsize=4096)
def indefinite_article(phrase: str) -> str:
    """ "a" or "an" for ``phrase``, judged by how its first word is said.

    Acronyms are spelled out unless they read as words (NASA, SWAT); numerals are read
    aloud; silent h, "u" said "you", "eu", "one" and "x-" are handled.

    >>> [indefinite_article(p) for p in ("UX designer", "SEO specialist", "NASA engineer")]
    ['a', 'an', 'a']
    >>> [indefinite_article(p) for p in ("hour", "usher", "university", "8th grade", "x-ray")]
    ['an', 'an', 'a', 'an', 'an']
    """
    words = phrase.split()
    if not words:
        raise ValueError("indefinite_article() needs a non-empty phrase")
    word = words[0].lstrip("\"'\u201c\u2018([{$\u00a3\u20ac")
    seg = re.split(r"[-/\u2013]", word)[0] or word
    if not seg or not seg[0].isalnum():
        return "a"
    if seg[0].isdigit():
        m = re.match(r"\d[\d,]*(?:\.\d+)?", seg)
        return _number_article(m.group(0) if m else seg)
    if len(seg) == 1 or not seg[1].isalpha() or (seg[0].islower() and seg[1].isupper()):
        return "an" if seg[0].lower() in _AN_LETTERS else "a"  # "an x-ray", "an iOS"
    run = re.match(r"[A-Z]+", seg)
    caps = run.group(0) if run else ""
    if len(caps) >= 2:  # an acronym, maybe with a plural or lower-case tail: "RNs", "MSc"
        said_as_word = caps in WORD_ACRONYMS or (len(caps) >= 4 and _SAID_AS_WORD.match(caps))
        if not said_as_word:
            return "an" if caps[0].lower() in _AN_LETTERS else "a"
    return _word_article(seg.lower())


@functools.lru_cache(maxsize=4096)
def with_article(phrase: str) -> str:
    """``phrase`` with its indefinite article.

    >>> with_article("operations support technician"), with_article("HVAC technician")
    ('an operations support technician', 'an HVAC technician')
    """
    return f"{indefinite_article(phrase)} {phrase}"
