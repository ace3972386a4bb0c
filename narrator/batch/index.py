"""The output directory's index and the run's bookkeeping for `narrate --all`.

``index.jsonl`` lists every article written (id, slug, title, files with sha256, and the
``key`` of its inputs), and after an article a redirect entry for each of its earlier ids
(``{"redirect": OLD, "to": ID}``: a CMS maps old URLs to new ones). While a run is under way
the old index is set aside, so an index, when present, always describes the files on disk; a
rerun reads the old one in step with the new work to skip what has not changed.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import WriteError, write_error
from ..records import leading_id

INDEX = "index.jsonl"
REDIRECT = '{"redirect": '  # how a redirect entry's line starts (it has no "id")


def redirect_line(old_id: str, new_id: str) -> str:
    """``{"redirect": OLD, "to": ID}``; ids are validated slugs ([a-z0-9._-]), so they need no
    JSON escaping (json.dumps per line would be a large share of a no-change rerun)."""
    return f'{REDIRECT}"{old_id}", "to": "{new_id}"}}'



# How far ahead in the old index to look for an article before calling it new.
LOOKAHEAD = 5000


class OldIndex:
    """The previous run's index, read in step with the new work (bounded look-ahead).

    An index small enough (the usual case) is read whole, so reordering the records does not
    make most of them look new. A line that is not narrator's (random bytes, cut inside a
    character, not JSON, no id, key or files) is passed over: its article is rendered again,
    and ``damaged`` says where the first one was, for one warning.
    """

    READ_WHOLE = 64 << 20  # bytes (~200,000 articles)

    def __init__(self, path: Path | None, keep_rest: bool = False) -> None:
        self._file = None
        # --only: entries not taken are carried into the new index (see ``rest``), each with
        # the redirect lines that follow it.
        self._redirects: dict[str, list[str]] | None = {} if keep_rest else None
        self._last: str | None = None
        self._limit = LOOKAHEAD
        if path is not None and path.is_file():
            self._file = path.open("rb")
            if os.fstat(self._file.fileno()).st_size <= self.READ_WHOLE:
                self._limit = 1 << 62
        self._lines: Iterator[bytes] = self._file if self._file is not None else iter(())
        self._ahead: dict[str, str] = {}
        self._n = 0
        self.damaged: str | None = None

    def close(self) -> None:
        if self._file is not None:
            self._file.close()

    def _next(self) -> bool:
        """Read one more line into the look-ahead; False at the end."""
        raw = next(self._lines, None)
        if raw is None:
            return False
        self._n += 1
        try:
            line = raw.decode("utf-8").rstrip("\n")
        except UnicodeDecodeError:
            line = None
        if line is not None and line.startswith(REDIRECT):  # rewritten from the records
            if self._redirects is not None and self._last is not None:
                self._redirects.setdefault(self._last, []).append(line)
            return True
        old_id = None if line is None else _line_id(line)
        if old_id is None or '"key": "' not in line or '"files": [' not in line:  # type: ignore[operator]
            if self.damaged is None:
                self.damaged = f"line {self._n}"
            return True
        self._ahead[old_id] = line  # type: ignore[assignment]
        self._last = old_id
        return True

    def rest(self, names: frozenset[str]) -> Iterator[str]:
        """Every entry not taken, whose files are still as written (``names``, as for
        ``usable_entry``), with its redirect lines: what an --only run keeps listed."""
        while self._next():
            pass
        redirects = self._redirects or {}
        for rid, line in self._ahead.items():
            if usable_entry(line, names) is not None:
                yield line
                yield from redirects.get(rid, ())

    def take(self, ids: Iterable[str]) -> dict[str, str]:
        """The old index lines of ``ids`` (as read: the worker checks them, see ``entry``)."""
        found = {}
        for rid in ids:
            while rid not in self._ahead and len(self._ahead) < self._limit and self._next():
                pass
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


def lock_out(out: Path) -> int:
    """Take ``out`` for this run: an exclusive ``flock`` on the folder itself (returns its
    descriptor, to close when the run ends; no lock file is left in the tree). Two runs into one
    folder would delete each other's temporary files and index; the second is refused. The
    kernel drops the lock of a process that dies, however it dies, so a crashed run never
    blocks the next one."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as err:
        raise WriteError(f"cannot prepare the output directory: {err.strerror}",
                         file=str(out)) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as err:
        if err.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
            return fd  # a file system without locks (some network mounts): run unlocked
        os.close(fd)
        raise WriteError("another narrate run is writing into this directory; wait for it "
                         "to end, or choose another --out", file=str(out)) from None
    return fd


def clear_temporary(out: Path) -> None:
    """Remove the temporary files a stopped run left in ``out`` (only those narrator makes)."""
    for stale in out.glob(".*.tmp"):
        if _OUR_TEMP.match(stale.name) and stale.is_file():
            stale.unlink(missing_ok=True)


def prepare_out(out: Path) -> tuple[Path | None, str | None]:
    """Clear what a killed run left (temporary files) and set the old index aside; returns
    where the old index now is (None: there is none to use) and a warning, if any.

    While a run is under way there is no ``index.jsonl``: the index, when present, describes
    exactly the files on disk. The previous one is kept as ``.index.jsonl.prev`` for skipping
    unchanged articles, until the new one is in place.
    """
    prev = out / f".{INDEX}.prev"
    warning = None
    try:
        out.mkdir(parents=True, exist_ok=True)
        clear_temporary(out)
        if (os.path.lexists(prev) and not prev.is_file()) or prev.is_symlink():
            # Not narrator's (a folder, a link): left alone, and not read. Without an old
            # index every article is rendered again; the index itself is still written.
            warning = (f"{prev} is not narrator's index (remove it): every article is "
                       f"rendered again")
            (out / INDEX).unlink(missing_ok=True)
            return None, warning
        index = out / INDEX
        if os.path.lexists(index):
            if index.is_file() and not index.is_symlink():
                os.replace(index, prev)
            else:
                warning = f"{index} is not a file narrator wrote: every article is rendered again"
                if index.is_dir():
                    raise WriteError("is a folder, where the index is written (remove it)",
                                     file=str(index))
                index.unlink()
    except OSError as err:
        raise WriteError(f"cannot prepare the output directory: {err.strerror}",
                         file=str(out)) from None
    return (prev if prev.is_file() else None), warning


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
