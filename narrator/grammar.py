"""English forms for job titles: plural, a/an, possessive, list joining, casing.

Pure, memoised functions.  The plural of a head word comes from our corrections
(IRREGULAR), then the shipped table ``data/inflections.json`` (inflect's answers with our
corrections, built by ``tools/build_inflections.py``), then our suffix rules, and only for a
word none of those answers from inflect itself, imported lazily: ``import inflect`` costs
~1.6 s, which a one-article CLI run cannot pay.  a/an never uses inflect.  Titles are singular prose forms ("lead technician", "SEO specialist"); only the
head word(s) change and the case of every other word is kept.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["display_title", "indefinite_article", "join", "plural", "possessive",
           "sentence_case", "with_article"]

TABLE_PATH = Path(__file__).with_name("data") / "inflections.json"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- word lists --------------------------------------------------------------------------
# Corrections to inflect, and words it gets wrong.  Our answer wins over the table.
IRREGULAR: dict[str, str] = {
    "data": "data", "media": "media", "staff": "staff", "personnel": "personnel",
    "clergy": "clergy", "police": "police", "cattle": "cattle", "swine": "swine",
    "people": "people", "software": "software", "hardware": "hardware", "thief": "thieves",
    "passerby": "passersby", "matrix": "matrices", "vertex": "vertices", "fungus": "fungi",
    "cactus": "cacti", "radius": "radii", "corpus": "corpora", "person": "people",
    "ox": "oxen", "faculty": "faculty", "alumnus": "alumni", "alumna": "alumnae",
    "mine": "mines", "wildlife": "wildlife", "golf": "golfs",  # "ours", "wildlives", "golves"
}
# -o nouns that take -es; every other -o noun takes -s (inflect says "maestroes", "egoes").
O_ES = _words("buffalo cargo domino echo embargo hero mango mosquito motto potato tomato "
              "tornado torpedo veto volcano")
CH_K = _words("tech monarch matriarch patriarch oligarch hierarch epoch stomach eunuch czech "
              "loch psych")
NOT_MAN = _words("human shaman talisman caiman cayman ottoman german roman norman walkman "
                 "dolman ataman ceriman desman farman harman hetman leman")
# Person nouns the suffix test below misses.
PERSON = _words(
    "clerk aide guard chef cook nurse pilot copilot judge chief agent associate delegate "
    "advocate magistrate candidate laureate representative detective operative specialist "
    "coach model host hostess waitress actress seamstress stewardess governess heiress "
    "princess duchess mistress maid nanny valet diplomat bishop priest pastor rabbi imam monk "
    "nun deacon chaplain cardinal king queen prince duke lord lady knight marshal sheriff "
    "bailiff deputy captain colonel admiral commodore corporal cadet ensign mate medic "
    "paramedic mechanic cleric critic midwife orderly vet intern fellow scholar registrar "
    "bursar vicar czar tsar dean provost counsel attorney notary secretary actuary emissary "
    "missionary dignitary functionary beneficiary surgeon athlete umpire jockey caddie caddy "
    "lifeguard bodyguard steward farmhand deckhand stagehand groom bride escort guide scout "
    "spy cop clergy staff crew personnel boss barista concierge bellhop busboy cowboy cowgirl "
    "expert apprentice novice artisan envoy consul sentry recruit veteran analyst son jack "
    "roustabout paralegal patient lead faculty alumnus alumna dj emt president superintendent "
    "correspondent regent")
# Ambiguous: a person only in a conjunct of two or more words ("chief executive and
# legislator" vs "executive and administrative assistant").
AMBIGUOUS = _words("executive general official principal professional graduate marine head "
                   "customer member partner user consumer student resident academic")
NOT_PERSON = _words(
    "computer water paper power center centre quarter order border chapter matter letter "
    "number river timber laser container other under after corner cancer weather winter "
    "summer leather rubber copper silver fiber fibre filter finger powder theater theatre "
    "tower trailer transfer liver heater boiler scanner meter register shelter blender "
    "cluster transformer printer poster banner polymer cyber super upper lower inner outer "
    "former hammer ladder lumber plaster merger answer cover lever dryer freezer cooler "
    "router adapter barrier frontier premier tier pier interior exterior floor door indoor "
    "outdoor color colour labor labour harbor harbour major minor senior junior error "
    "mirror sector vector vapor flavor favor honor humor tumor manor factor motor tractor "
    "elevator generator reactor sensor conveyor compressor semiconductor escalator "
    "calculator simulator ventilator radiator refrigerator incubator client human "
    "restaurant plant pollutant coolant lubricant giant elephant warrant implant sealant "
    "instant quadrant variant covenant pageant constant relevant grant chant slant want "
    "ant pant rant distant vacant infant median meridian list checklist playlist waitlist "
    "wishlist shortlist blacklist whitelist twist wrist mist fist gist assist exist insist "
    "resist persist consist schist coffee committee tree fee free knee degree toffee levee "
    "pedigree decree spree three marquee entree puree settee jamboree filigree disorder "
    "counter drier hoist joist moist")
POSTPOSITIVE = _words("general public laureate apparent presumptive elect designate "
                      "emeritus errant")
RANKS = _words("lieutenant major brigadier")  # "major generals": here "general" is the noun
PERSON_ACRONYMS = _words("CEO CFO CTO COO CIO CMO CPO CISO CRO CDO VP SVP EVP AVP GM RN "
                         "LPN LVN CNA EMT APRN CRNA NP PA MD DJ MC TA RA CPA DBA SRE SDE "
                         "SDET SME PI")
_PERSON_SUFFIXES = ("er", "or", "ist", "ant", "ian", "ee", "eur", "man", "woman", "person",
                    "wright", "smith", "mason", "yst")
_REGULAR_S = ("er", "or", "ist", "ian", "ant", "ee", "eur", "wright", "smith", "mason", "yst",
              "ing", "ment", "tion", "sion", "ship", "ure", "ism")
PREPOSITIONS = _words("of in for to at on with from by without within except including "
                      "excluding de du")
_HYPHEN_PREPS = _words("in at of de on by up to")
MINOR = _words("a an the and or nor but of in on at to for by with from as per via vs vs. "
               "de du")

_COORD = re.compile(r"(,\s+(?:and|or|&)\s+|,\s+|\s+(?:and|or|&)\s+)")
_LEVEL = re.compile(r"^(?:[IVX]+|\d+)$")
_PAREN = re.compile(r"^(.*?)\s*\(([^()]*)\)$")
_ACRONYM = re.compile(r"[A-Z0-9]*[A-Z][A-Z0-9]+s?")
# A word whose last letter is not Latin ("软件工程师", "Σίσυφος"): it has no English plural.
_NON_LATIN_END = re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f\u1e00-\u1eff][\W\d_]*$")


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
    import inflect  # deliberately lazy: ~1.6 s

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


# --- a / an ------------------------------------------------------------------------------
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


# --- possessive, lists, casing -----------------------------------------------------------
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


def _cap(segment: str) -> str:
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
    out = []
    for n, word in enumerate(words):
        if any(c.isupper() for c in word):
            out.append(word)
            continue
        edge = n in (0, len(words) - 1)
        segs = re.split(r"([-/])", word)
        out.append("".join(
            s if s in "-/" or (s in MINOR and not (edge and k in (0, len(segs) - 1)))
            else _cap(s) for k, s in enumerate(segs)))
    return " ".join(out)
