"""narrate diff: what changed between two output trees, sentence by sentence, word by word.

Articles (``*.md``; else ``*.txt``; else ``*.json``, compared as their title, SEO title, meta
description and Markdown body) are matched by file name;
identical bytes are skipped at once. A changed article is split into units (sentences, table
rows, headings), old and new units are aligned, replaced units are paired when they are alike,
and each pair is diffed word by word. The article's edits (the words deleted and inserted, with
the article's own job titles and any number found on both sides set aside) are its key:
articles with the same key form one group, read once through its first article.

>>> wdiff(word_spans("seen in a few details.", "seen in a few key details."))
'seen in a few {+key+} details.'

The parts:

* ``changes``: the model (``Span``, ``Group``, ``DiffReport``), reading the trees, units,
  aligning and pairing them, word spans, and the keys that group identical edits;
* ``titles``: an article's job titles, recognised in its words as one token each;
* ``report``: ``to_text`` and ``to_html``.
"""

from __future__ import annotations

# The limits are read where they are defined: patch diff.report.GROUPS, not diff.GROUPS.
from .changes import (
                      ALIKE,
                      DELETE,
                      EQUAL,
                      INSERT,
                      WINDOW,
                      DiffReport,
                      Group,
                      Key,
                      Span,
                      article_changes,
                      compare,
                      edit_text,
                      units,
                      word_spans,
)
from .report import EXAMPLE_UNITS, GROUPS, LEGEND, SHOWN, SHOWN_HTML, to_html, to_text, wdiff
from .titles import Token

__all__ = [
    "ALIKE", "DELETE", "EQUAL", "EXAMPLE_UNITS", "GROUPS", "INSERT", "LEGEND", "SHOWN",
    "SHOWN_HTML", "WINDOW", "DiffReport", "Group", "Key", "Span", "Token", "article_changes",
    "compare", "edit_text", "to_html", "to_text", "units", "wdiff", "word_spans",
]
