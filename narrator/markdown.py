"""The small Markdown dialect articles are written in, and its reading back into blocks.

Templates write headings, paragraphs, bullet lists ("- " items), GFM pipe tables, an image
on a line of its own (the pay chart: ``![alt](file)``) and links, each a list item of its own
(the related pages: ``- [title](file)``); nothing else. Record text is
escaped on the way in, so reading an article back (for HTML, text and JSON) is exact.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .facts import table_rows

MISSING = "-"

_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
# What would open a block at the start of a line; the backslash goes before its last character
# ("1\\. x": "\\1. x" would show the backslash and still be a list item).
_BLOCK_START = re.compile(r"^\s*(?:\d+[.)](?=\s|$)|[#>+=-])")
_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_SPACE = re.compile(r"\s+")
# Text escape() leaves as it is: runs of characters neither markup nor space, one space apart.
_PLAIN = re.compile(r"[^\s\\`*_\[\]<>|~&]+(?: [^\s\\`*_\[\]<>|~&]+)*")
# Only templates write images: escape() turns a record's "[" into "\[", so no "![" comes from one.
_IMAGE = re.compile(r"^!\[((?:\\.|[^\]\\])*)\]\(([^()\s]+)\)$")
# ... and links, a whole list item each (the same way: no unescaped "[" comes from a record).
_LINK = re.compile(r"^\[((?:\\.|[^\]\\])*)\]\(([^()\s]+)\)$")


def escape(text: str) -> str:
    """Make record text inert in Markdown: one line, no markup, no structure.

    >>> escape("# A | B *c*")
    '\\\\# A \\\\| B \\\\*c\\\\*'
    """
    return text if _plain(text) else _escape(text)


# Markup characters, and the ASCII whitespace other than " " (str.isspace, as the regexes' \s).
_ASCII_SPECIALS = tuple("\\`*_[]<>|~&\t\n\v\f\r\x1c\x1d\x1e\x1f")
_OPENERS = frozenset("#>+=-0123456789")  # what _BLOCK_START can begin with, after no space


def _plain(text: str) -> bool:
    """Whether escape() leaves *text* as it is (``_PLAIN``, and nothing opens a block).

    Most record text passes, and str methods tell that sooner than the regexes: ``_PLAIN``
    runs only on text that is not ASCII, ``_BLOCK_START`` only when the first character could
    open a block."""
    if not text or text[0] == " " or text[-1] == " " or "  " in text:
        return False
    if text.replace(" ", "").isalnum():
        return True  # letters and digits: no markup, and nothing that opens a block
    if text.isascii():
        for c in _ASCII_SPECIALS:
            if c in text:
                return False
    elif not _PLAIN.fullmatch(text):
        return False
    first = text[0]  # \d in _BLOCK_START is any digit: "١. x" opens a list too
    return (first.isascii() and first not in _OPENERS) or not _BLOCK_START.match(text)


def _escape(text: str) -> str:
    text = _SPACE.sub(" ", text).strip()
    text = _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", text))
    return _BLOCK_START.sub(lambda m: m[0][:-1] + "\\" + m[0][-1], text)


def unescape(text: str) -> str:
    """Plain text of escaped Markdown (the inverse of ``escape`` on one line)."""
    return _UNESCAPE.sub(r"\1", text)


def table(header_a: str, header_b: str, rows: Sequence[tuple[str, str | None, str | None]]) -> str:
    """A GFM pipe table of two jobs, or "" when no row has data (the template drops the section).

    Cells are already-escaped strings or None ("-"); labels are template wording.
    """
    shown = table_rows(rows)
    if not shown:
        return ""
    lines = [f"| | {header_a} | {header_b} |", "| --- | --- | --- |"]
    for label, a, b in shown:
        cell = _LABELS.get(label) or _label(label)
        lines.append(f"| {cell} | {MISSING if a is None else a} | {MISSING if b is None else b} |")
    return "\n".join(lines)


_LABELS: dict[str, str] = {}  # labels are template wording: a handful, escaped once


def _label(label: str) -> str:
    cell = escape(label)
    if len(_LABELS) < 1024:
        _LABELS[label] = cell
    return cell


@dataclass
class Block:
    """One block of an article: a heading, a paragraph, a list or a table (plain text)."""

    kind: str  # "heading" | "paragraph" | "list" | "table" | "image" (text: alt, src)
    text: str = ""
    level: int = 0
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    src: str = ""
    hrefs: list[str] = field(default_factory=list)  # a list's links: one per item, "" for none


def _cells(line: str) -> list[str]:
    inner = line.strip()[1:]
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [unescape(c.strip()) for c in re.split(r"(?<!\\)\|", inner)]


def parse(md: str) -> list[Block]:
    """Read our Markdown back into blocks. Paragraph lines are joined with a space."""
    blocks: list[Block] = []
    para: list[str] = []
    table_: Block | None = None
    list_: Block | None = None

    for line in [*md.splitlines(), ""]:
        s = line.strip()
        image = _IMAGE.match(s)
        if para and (not s or s.startswith(("#", "|", "- ")) or image):
            blocks.append(Block("paragraph", unescape(" ".join(para))))
            para = []
        if not s.startswith("|"):
            table_ = None
        if not s.startswith("- "):
            list_ = None
        if not s:
            continue
        if s.startswith("#"):
            level = len(s) - len(s.lstrip("#"))
            blocks.append(Block("heading", unescape(s[level:].strip()), level=level))
        elif s.startswith("|"):
            cells = _cells(s)
            if table_ is None:
                table_ = Block("table", header=cells)
                blocks.append(table_)
            elif not all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                table_.rows.append(cells)
        elif image:
            blocks.append(Block("image", unescape(image[1]), src=image[2]))
        elif s.startswith("- "):  # record text can't start one: escape() makes it "\-"
            if list_ is None:
                list_ = Block("list")
                blocks.append(list_)
            item = s[2:].strip()
            link = _LINK.match(item)
            list_.items.append(unescape(link[1] if link else item))
            list_.hrefs.append(link[2] if link else "")
        else:
            para.append(s)
    return blocks
