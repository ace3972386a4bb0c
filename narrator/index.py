"""The output directory's index and the run's bookkeeping for `narrate --all`.

``index.jsonl`` lists every article written (id, slug, title, files with sha256, and the
``key`` of its inputs), and after an article a redirect entry for each of its earlier ids
(``{"redirect": OLD, "to": ID}``: a CMS maps old URLs to new ones). While a run is under way
the old index is set aside, so an index, when present, always describes the files on disk; a
rerun reads the old one in step with the new work to skip what has not changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import NarratorError, write_error
from .records import leading_id

INDEX = "index.jsonl"
REDIRECT = '{"redirect": '  # how a redirect entry's line starts (it has no "id")


def redirect_line(old_id: str, new_id: str) -> str:
    """``{"redirect": OLD, "to": ID}``; ids are validated slugs ([a-z0-9._-]), so they need no
    JSON escaping (json.dumps per line was a tenth of a no-change rerun)."""
    return f'{REDIRECT}"{old_id}", "to": "{new_id}"}}'



# How far ahead in the old index to look for an article before calling it new.
LOOKAHEAD = 5000


class OldIndex:
    """The previous run's index, read in step with the new work (bounded look-ahead)."""

    def __init__(self, path: Path) -> None:
        self._file = path.open(encoding="utf-8") if path.is_file() else None
        self._lines: Iterator[str] = self._file if self._file is not None else iter(())
        self._ahead: dict[str, dict] = {}

    def close(self) -> None:
        if self._file is not None:
            self._file.close()

    def take(self, ids: Iterable[str]) -> dict[str, str]:
        """The old index lines of ``ids`` (as read: the worker checks them, see ``entry``)."""
        found = {}
        for rid in ids:
            while rid not in self._ahead and len(self._ahead) < LOOKAHEAD:
                line = next(self._lines, None)
                if line is None:
                    break
                if line.startswith(REDIRECT):  # rewritten from the records, not looked up
                    continue
                old_id = _line_id(line)
                if old_id is not None:
                    self._ahead[old_id] = line.rstrip("\n")
            if rid in self._ahead:
                found[rid] = self._ahead.pop(rid)
        return found


def _line_id(line: str) -> str | None:
    """The id an index line is for: cut out of narrator's own layout, else parsed."""
    if (rid := leading_id(line)) is not None:
        return rid
    try:
        rid = json.loads(line).get("id")
    except (ValueError, AttributeError):
        return None
    return rid if isinstance(rid, str) else None


def usable_entry(line: str, names: frozenset[str] | set[str]) -> dict | None:
    """An old index line as a usable entry, or None: not narrator's shape (a hand-edited or
    damaged index), or a file it lists is not a plain name in ``--out`` that is there now
    (``names``). None means "render again", never trust."""
    try:
        found = json.loads(line)
    except ValueError:
        return None
    if not isinstance(found, dict) or not isinstance(found.get("key"), str):
        return None
    files = found.get("files")
    if not isinstance(files, list) or not files:
        return None
    for f in files:
        if not isinstance(f, dict) or not isinstance(f.get("path"), str) or f["path"] not in names:
            return None
    return found


class IndexWriter:
    """Index lines streamed to a temporary file, renamed into place only when the run ends."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(f".{path.name}.tmp")
        try:
            self.f = self.tmp.open("w", encoding="utf-8", newline="\n")
        except OSError as err:
            raise write_error(err, str(path)) from None

    def write(self, lines: list[str]) -> None:
        try:
            self.f.writelines(line + "\n" for line in lines)
        except OSError as err:
            raise write_error(err, str(self.path)) from None

    def commit(self) -> None:
        try:
            self.f.close()
            os.replace(self.tmp, self.path)
        except OSError as err:
            raise write_error(err, str(self.path)) from None

    def abandon(self) -> None:
        try:
            self.f.close()  # may fail to flush on a full disk: the file is removed anyway
        except OSError:
            pass
        self.tmp.unlink(missing_ok=True)


# write_atomic's temporary files (mkstemp: ".<file>.<8 of [a-z0-9_]>.tmp") and the index's.
_OUR_TEMP = re.compile(r"^\.(?:.+\.(?:md|html|txt|json|svg)\.[a-z0-9_]{8}|index\.jsonl)\.tmp$")


def prepare_out(out: Path) -> Path:
    """Clear what a killed run left (temporary files) and set the old index aside.

    While a run is under way there is no ``index.jsonl``: the index, when present, describes
    exactly the files on disk. The previous one is kept as ``.index.jsonl.prev`` for skipping
    unchanged articles, until the new one is in place.
    """
    try:
        out.mkdir(parents=True, exist_ok=True)
        for stale in out.glob(".*.tmp"):
            if _OUR_TEMP.match(stale.name) and stale.is_file():  # only what narrator makes
                stale.unlink()
        prev = out / f".{INDEX}.prev"
        if (out / INDEX).is_file():
            os.replace(out / INDEX, prev)
    except OSError as err:
        raise NarratorError(f"cannot prepare the output directory: {err.strerror}", file=str(out)) from None
    return prev


class SeenIds:
    """The ids met so far, in fixed memory (a Bloom filter), so a run of any size stays flat.

    ``add`` answers False when the id may have been met before; such rare items are held back
    and settled exactly once the run is over (1e-8 false alarms at 200,000 ids).
    """

    BITS = 1 << 26  # 8 MiB

    def __init__(self) -> None:
        self.bits = b""  # allocated on first use: after the worker processes are forked

    def add(self, rid: str) -> bool:
        if not self.bits:
            self.bits = bytearray(self.BITS // 8)
        digest = hashlib.blake2b(rid.encode(), digest_size=16).digest()
        new = False
        for i in (0, 4, 8, 12):
            bit = int.from_bytes(digest[i:i + 4], "little") % self.BITS
            byte, mask = bit >> 3, 1 << (bit & 7)
            if not self.bits[byte] & mask:
                new = True
                self.bits[byte] |= mask
        return new
