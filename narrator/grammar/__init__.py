"""English forms for job titles: plural, a/an, possessive, list joining, casing.

Pure, memoised functions. Titles are singular prose forms ("lead technician", "SEO
specialist"); only the head word(s) change and the case of every other word is kept.
``nouns`` holds plurals and possessives (inflect, through a shipped table, plus our rules),
``articles`` a/an (never inflect), ``text`` lists and casing, ``words`` the word lists.
"""

from __future__ import annotations

from .articles import indefinite_article, with_article
from .nouns import TABLE_PATH, inflect_plural, plural, possessive, rule_plural
from .text import display_title, join, sentence_case
from .words import IRREGULAR

__all__ = ["IRREGULAR", "TABLE_PATH", "display_title", "indefinite_article", "inflect_plural",
           "join", "plural", "possessive", "rule_plural", "sentence_case", "with_article"]
