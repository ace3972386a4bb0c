"""The output directory's index (``index.jsonl``) for `narrate --all`.

``index.jsonl`` lists every article written (id, slug, title, files with sha256, and the
``key`` of its inputs), and after an article a redirect entry for each of its earlier ids
(``{"redirect": OLD, "to": ID}``: a CMS maps old URLs to new ones). While a run is under way
the old index is set aside, so an index, when present, always describes the files on disk; a
rerun reads the old one in step with the new work to skip what has not changed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from .. import files
from ..errors import InputError, write_error
from ..records import leading_id
from ..writers import open_new

INDEX = "index.jsonl"
REDIRECT = '{"redirect": '  # how a redirect entry's line starts (it has no "id")
#: The index lines of a stopped run: its finished articles, for the next run to skip.
JOURNAL = f".{INDEX}.partial"


def redirect_line(old_id: str, new_id: str) -> str:
    """``{"redirect": OLD, "to": ID}``; ids are validated slugs ([a-z0-9._-]), so they need no
    JSON escaping (json.dumps per line would be a large share of a no-change rerun)."""
    return f'{REDIRECT}"{old_id}", "to": "{new_id}"}}'



def indexed_files(tree: Path) -> frozenset[str] | None:
    """The file names the index of ``tree`` lists for its articles, or None when the tree has
    no index or it lists no article (a folder not written by ``narrate --all``). Files beside
    them that the index does not list (left by hand, or by another tool) are not the run's
    articles."""
    path = tree / INDEX
    try:
        lines = files.read_text(path).splitlines()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read: {getattr(err, 'strerror', None) or err}",
                         file=str(path)) from None
    names: set[str] = set()
    any_article = False
    for n, line in enumerate(lines, 1):
        if line.startswith(REDIRECT) or not line.strip():
            continue
        try:
            entry = json.loads(line)
            if isinstance(entry, dict) and "id" not in entry:
                continue  # not an article (a redirect written another way)
            names.update(f["path"] for f in entry["files"])
        except (ValueError, KeyError, TypeError):
            raise InputError(f"line {n}: not an article entry of narrate --all",
                             file=str(path)) from None
        any_article = True
    return frozenset(names) if any_article else None


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
            self._file = files.open_regular(path)
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
        if line is None or old_id is None or '"key": "' not in line or '"files": [' not in line:
            if self.damaged is None:
                self.damaged = f"line {self._n}"
            return True
        self._ahead[old_id] = line
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


def merge_journal(old: Path | None, journal: Path, into: Path) -> None:
    """The old index (``old``: None for none) with a stopped run's journal over it, written to
    ``into``: each journal entry (a complete line, with its redirects) replaces the old entry
    of its id. ``into`` takes the journal's modification time: a file of the stopped run is
    trusted as written if it is no newer than the journal's last line (see ``_untouched``)."""
    with journal.open("rb") as f:
        lines = f.read().decode("utf-8", errors="replace").split("\n")
    lines.pop()  # after the last newline: empty, or a line cut by a crash
    fresh = {rid for line in lines if (rid := _line_id(line)) is not None}
    kept: list[str] = []
    if old is not None and old.is_file():
        skipping = False
        with old.open("rb") as f:
            for raw in f:
                line = raw.decode("utf-8", errors="replace").rstrip("\n")
                if line.startswith(REDIRECT):
                    if not skipping:
                        kept.append(line)
                    continue
                skipping = _line_id(line) in fresh
                if not skipping:
                    kept.append(line)
    tmp = into.with_name(into.name + ".tmp")
    with open_new(tmp) as f:
        f.write("".join(line + "\n" for line in [*kept, *lines]))
    when = journal.stat().st_mtime_ns
    os.utime(tmp, ns=(when, when))
    os.replace(tmp, into)
    journal.unlink()


class IndexWriter:
    """Index lines streamed to a temporary file, renamed into place only when the run ends."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(f".{path.name}.tmp")
        try:
            self.f = open_new(self.tmp)  # never through a link planted at this name
        except OSError as err:
            raise write_error(err, str(path)) from None

    def write(self, lines: list[str]) -> None:
        try:
            self.f.writelines(line + "\n" for line in lines)
            self.f.flush()  # the journal of a run that is stopped (see ``stop``)
        except OSError as err:
            raise write_error(err, str(self.path)) from None

    def commit(self) -> None:
        try:
            self.f.close()
            os.replace(self.tmp, self.path)
        except OSError as err:
            raise write_error(err, str(self.path)) from None

    def stop(self) -> None:
        """The run stopped (Ctrl-C, SIGTERM, an error): what it listed is kept as the journal
        the next run resumes from (``outdir.prepare_out``), never as the index."""
        try:
            self.f.close()
            os.replace(self.tmp, self.path.with_name(JOURNAL))
        except OSError:
            self.tmp.unlink(missing_ok=True)  # the next run renders those articles again
