"""O*NET descriptions as reader-ready prose: duties in the third person.

O*NET writes an occupation's duties as subjectless imperatives ("Examine, analyze, and
interpret accounting records…. May audit …. Excludes First-Line Supervisors."). Under "What
does an accountant do?" a reader wants "Accountants examine, analyze, and interpret …. They may
audit …". The rules, applied sentence by sentence (``third_person``):

* a classification note ("Includes …", "Excludes …", "… are included in …", "All … not listed
  separately") is dropped: it names BLS categories, not work;
* a sentence opening with a base-form verb gets a subject: the occupation's plural the first
  time, "They" after that. O*NET's verbs are base forms, which agree with a plural subject, so
  no verb changes. A verb is a word O*NET itself opens a task statement with (``verbs``), unless
  the next word shows it is a noun ("Work may involve …");
* a modal opener ("May …", "Must …") gets "They"; an adverb opener ("Directly supervise …")
  gets the subject before it; an opening phrase ending in a comma ("Under close supervision of
  a therapist, perform …") gets the subject after the comma;
* sentences with a subject of their own ("Duties may include …") stay as they are.

``DESCRIPTION_OVERRIDES`` holds the reviewed sentences the rules can't handle (a verb in the
third person singular without a subject, "Requires …"); each is keyed by the exact O*NET
sentence, so a new O*NET release that rewords one shows up as an unused override (tested).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

#: Sentence -> reader-ready sentence ("" drops it), reviewed by hand.
DESCRIPTION_OVERRIDES: dict[str, str] = {
    "Works off the ground in the tree canopy and may use truck-mounted lifts.":
        "They work off the ground in the tree canopy and may use truck-mounted lifts.",
    "Generally requires formal training.": "The work generally requires formal training.",
    "Licensing or registration required.": "Licensing or registration is required.",
    "Requires Federal Air Transport certificate and rating for specific aircraft type used.":
        "They need a Federal Air Transport certificate and a rating for the specific aircraft "
        "type they fly.",
    "Required to hold license issued by U.S. Coast Guard.":
        "They must hold a license issued by the U.S. Coast Guard.",
    "Usually requires specific training and state or federal certification.":
        "The work usually requires specific training and state or federal certification.",
    "Generally receives orders via mail, phone, fax, or other electronic means.":
        "They generally receive orders via mail, phone, fax, or other electronic means.",
    "Requires Commercial Pilot certificate.": "They need a Commercial Pilot certificate.",
    "Requires commercial drivers' license.": "They need a commercial driver's license.",
    "Licensing required.": "A license is required.",
}

#: Base-form verbs O*NET opens a duty sentence with but no task statement (reviewed).
EXTRA_VERBS = frozenset({"abstract", "accustom", "assume", "compete", "narrate", "originate",
                         "rehearse", "subject", "time-stamp"})

#: Words after which a sentence does not end ("U.S. Coast Guard").
_ABBREVIATIONS = ("U.S.", "e.g.", "i.e.", "etc.", "Dr.", "St.", "Jr.", "Inc.", "vs.")
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"(])")
_NOTE = re.compile(r"^(?:Includes?|Excludes?)\b"
                   r"|\b(?:are|is) (?:included|classified) (?:in|with|under)\b"
                   r"|^All .* not listed separately(?: above)?\.$|\bshould be reported in\b")
_MODALS = frozenset({"may", "must", "can", "might", "should", "will", "could", "often"})
#: A word after the first that shows the first is a noun subject ("Work may involve …").
_FINITE = frozenset({"may", "might", "can", "must", "will", "should", "is", "are", "was", "were",
                     "include", "includes", "involve", "involves", "require", "requires",
                     "consist", "consists", "vary", "varies"})
_OPENERS = frozenset({"under", "in", "using", "with", "as", "for", "when", "following", "at",
                      "on", "within", "through", "during", "after", "before", "by", "depending"})


def sentences(text: str) -> list[str]:
    """Split prose into sentences, keeping "U.S. Coast Guard" whole."""
    parts: list[str] = []
    for piece in _SPLIT.split(text.strip()):
        if parts and parts[-1].endswith(_ABBREVIATIONS):
            parts[-1] += " " + piece
        else:
            parts.append(piece)
    return parts


def _word(token: str) -> str:
    return token.rstrip(",;:").lower()


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    return text if first.rstrip(",;:").isupper() and len(first) > 1 else text[0].lower() + text[1:]


def _with_subject(sentence: str, subject: str, verbs: Collection[str]) -> str | None:
    """The sentence with ``subject`` put where it belongs, or None if it has a subject already."""
    words = sentence.split(" ")
    first, second = _word(words[0]), _word(words[1]) if len(words) > 1 else ""
    front = subject[0].upper() + subject[1:]
    if first in _MODALS:
        return f"{front} {_lower_first(sentence)}"
    if first == "responsible":
        return f"{front} are {_lower_first(sentence)}"
    if first.endswith("ly") and second in verbs:  # "Directly supervise …"
        return f"{front} {_lower_first(sentence)}"
    if first in verbs and first not in _OPENERS and second not in _FINITE:
        return f"{front} {_lower_first(sentence)}"
    if first in _OPENERS:  # "Under close supervision …, perform …"
        head, sep, rest = sentence.partition(", ")
        while sep:
            after = _word(rest.split(" ", 1)[0])
            if after in verbs or after in _MODALS:
                return f"{head}, {subject[0].lower()}{subject[1:]} {rest}"
            more_head, sep, rest = rest.partition(", ")
            head = f"{head}, {more_head}"
    return None


def verbs_of(statements: Iterable[str]) -> frozenset[str]:
    """The lower-case words that open imperative statements (O*NET tasks), plus EXTRA_VERBS."""
    return frozenset(_word(s.split(" ", 1)[0]) for s in statements if s) | EXTRA_VERBS


def third_person(description: str, plural: str, verbs: Collection[str]) -> tuple[str, int]:
    """The description in the third person, and how many classification notes were dropped.

    ``plural`` is the occupation's plural prose ("accountants"); ``verbs`` the lower-case words
    O*NET opens its task statements with.
    """
    out: list[str] = []
    dropped = 0
    named = False
    for sentence in sentences(description):
        if sentence in DESCRIPTION_OVERRIDES:
            sentence = DESCRIPTION_OVERRIDES[sentence]
            if sentence:
                out.append(sentence)
                named = named or sentence.startswith("They ")
            continue
        if _NOTE.search(sentence):
            dropped += 1
            continue
        # lower case: put inside a sentence after an opening phrase; capitalised in front
        subject = "they" if named else plural
        rewritten = _with_subject(sentence, subject, verbs)
        if rewritten is not None:
            named = True
            sentence = rewritten
        out.append(sentence)
    return " ".join(out), dropped
