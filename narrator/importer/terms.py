"""Dated or offensive terms in the O*NET text the pages publish, and their reviewed replacements.

O*NET's statements were written over decades; a few published ones still say "mentally
retarded", "the handicapped" or name equipment nobody uses ("typewriter", "pagers",
"mimeographs"). Each row of ``TERM_REPLACEMENTS`` is a whole phrase as O*NET writes it, checked
in its sentence, and the phrase that replaces it, by one of two rules:

* ``person-first``: a term for people that is now offensive becomes the person-first wording
  current style guides use ("with intellectual disabilities"), rephrased so the sentence still
  reads (the phrase is the whole noun phrase, not the adjective alone);
* ``obsolete-alternative``: an obsolete device listed beside current ones is left out of the
  list; nothing is added. A statement that is only about an obsolete device would instead be
  left unpicked (none of the published ones is);
* ``grammar``: a work activity title out of step with the others (one is in the past tense) is
  put in their present-tense form.

The replacement is applied to the occupation's O*NET description (before ``duties``) and to its
picked task statements and work activity titles; each use is kept in ``provenance.json``
(``term_replacements``: job id, field, original, replacement), so the O*NET wording stays on
record. A row no published text
uses is an error caught by the tests (a new O*NET release that rewords a statement shows up).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Replacement:
    original: str  # a whole phrase, as O*NET writes it (case-sensitive)
    replacement: str
    rule: str  # "person-first", "obsolete-alternative" or "grammar"
    reason: str


TERM_REPLACEMENTS: tuple[Replacement, ...] = (
    Replacement("mentally ill, emotionally disturbed, or mentally retarded patients",
                "patients with mental illness, emotional disturbances, or intellectual "
                "disabilities", "person-first",
                "'mentally retarded' is a slur; 'intellectual disability' is the current term "
                "(US Rosa's Law, 2010)"),
    Replacement("mentally impaired or emotionally disturbed patients",
                "patients with mental impairments or emotional disturbances", "person-first",
                "'emotionally disturbed' as a label for people is dated; person-first wording"),
    Replacement("schools for the handicapped", "schools for students with disabilities",
                "person-first", "'the handicapped' is dated; the schools' people are students"),
    Replacement("using typewriter or personal computer", "using a computer",
                "obsolete-alternative", "typewriters are no longer a medical secretary's tool"),
    Replacement("word processor, computer, or typewriter", "word processor or computer",
                "obsolete-alternative", "typewriters are no longer a word processor's tool"),
    Replacement("wireless phones, pagers, or radio telephones",
                "wireless phones or radio telephones", "obsolete-alternative",
                "pagers are obsolete outside a few hospitals"),
    Replacement("computer scanning equipment, addressographs, mimeographs, optical character "
                "readers", "computer scanning equipment, optical character readers",
                "obsolete-alternative",
                "addressographs and mimeographs left mail processing decades ago"),
    Replacement("inspected printed materials or other images to verify quality",
                "inspect printed materials or other images to verify quality", "grammar",
                "the one O*NET work activity titled in the past tense; the others read as "
                "present-tense duties (\"… operate printing equipment\")"),
)

RULE = ("O*NET phrases that are offensive or name obsolete equipment are replaced by the "
        "reviewed table in narrator/importer/terms.py (person-first wording; an obsolete device "
        "listed beside current ones is left out; a work activity title in the past tense is "
        "put in the present like the others); each use is listed under term_replacements with "
        "the original text")

#: Terms no published text may contain after the replacement (tested over data/bls).
DATED_TERMS = re.compile(
    r"\b(?:retard\w*|handicap\w*|crippled?|typewrit\w*|pagers?|mimeograph\w*|addressograph\w*|"
    r"stenograph\w*|emotionally disturbed|the disabled|the blind|the deaf)\b", re.I)


def replace_terms(text: str,
                  table: tuple[Replacement, ...] = TERM_REPLACEMENTS
                  ) -> tuple[str, list[Replacement]]:
    """``text`` with every row's phrase replaced, and the rows used, in table order."""
    used = []
    for row in table:
        if row.original in text:
            text = text.replace(row.original, row.replacement)
            used.append(row)
    return text, used
