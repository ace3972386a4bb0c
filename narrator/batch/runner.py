"""`narrate --all`: every comparison under a data directory, in parallel, incrementally.

What there is to render comes from ``sources``. Work is streamed in chunks to a process
pool (``pool``), so memory does not grow with the number of pairs. Workers render and write
files themselves (``worker``) and send back only index lines. The index (``index.jsonl``)
lists every article written, in source order, with a ``key``: a hash of everything that went
into it (the record, and the run key of ``keys``: templates, narrator's code and libraries,
locale). A rerun reads the old index alongside the new work and skips articles whose key is
unchanged. An item whose id an earlier item has is reported, not written (``SeenIds``). An
article that runs past ``Options.time_limit`` (an override template that loops) is reported
and skipped.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..api import renderer_for
from ..dataset import read_dataset
from ..errors import ConfigError, NarratorError, write_error
from ..formats import FORMATS
from ..render.limits import MEMORY_LIMIT, TIME_LIMIT
from ..sources import Chunk, discover, first_places, item_ids, iter_chunks
from . import pool
from .index import INDEX, REDIRECT, IndexWriter, OldIndex
from .keys import run_keys
from .outdir import clear_temporary, lock_out, prepare_out
from .worker import Worker


@dataclass(frozen=True)
class Options:
    out: Path
    formats: tuple[str, ...] = ("md",)
    locale: str = "en_US"
    template_dirs: tuple[Path, ...] = ()
    style: str | None = None  # None: each data set's own (narrator.json), else the seed style
    time_limit: float = TIME_LIMIT  # seconds per article, and for compiling (see limits)
    memory_limit: int = MEMORY_LIMIT  # bytes an article, or compiling, may add (see limits)
    front_matter: bool = False  # YAML front matter above the Markdown (static-site CMSs)
    variation: bool = True  # False (--no-variation): every {% variants %} slot's first variant


@dataclass
class Summary:
    written: int = 0
    skipped: int = 0
    failed: int = 0
    removed: int = 0  # files an earlier run wrote that this one no longer produces
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class SeenIds:
    """The ids met so far, in fixed memory (a Bloom filter), so a run of any size stays flat.

    ``add`` answers False when the id may have been met before; such rare items are held back
    and settled exactly once the run is over (1e-8 false alarms at 200,000 ids).
    """

    BITS = 1 << 26  # 8 MiB

    def __init__(self) -> None:
        self.bits = bytearray()  # allocated on first use: after the workers are forked

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


def _untouched(out: Path, index: Path) -> frozenset[str]:
    """The regular files in ``out`` not modified since ``index`` (the last run's index, written
    after every file it lists) was: an article edited, truncated or replaced by hand (or by a
    symlink, FIFO or folder) is written again. One directory scan and a stat per entry, no
    reads. A file's change time (``st_ctime``, which no copy tool can set back: ``touch -r``,
    ``cp -p`` and ``rsync -a`` restore the modification time only) and its modification time
    must both be no later than the index's last write (its modification time: the index's own
    change time moves when the next run sets it aside; a merged journal's index takes the
    journal's last write, see merge_journal)."""
    try:
        since = index.stat().st_mtime_ns
    except OSError:
        return frozenset()
    names = set()
    with os.scandir(out) as entries:
        for e in entries:
            try:
                if e.is_file(follow_symlinks=False):
                    fs = e.stat(follow_symlinks=False)
                    if fs.st_mtime_ns <= since and fs.st_ctime_ns <= since:
                        names.add(e.name)
            except OSError:
                continue
    return frozenset(names)


def _files_by_id(index: Path) -> dict[str, list[str]]:
    """The files an index lists, by article id (lines that aren't narrator's are passed over)."""
    found: dict[str, list[str]] = {}
    with index.open("rb") as f:
        for raw in f:
            try:
                entry = json.loads(raw)
            except ValueError:
                continue
            if isinstance(entry, dict) and isinstance(entry.get("id"), str) and isinstance(
                    entry.get("files"), list):
                found[entry["id"]] = [x["path"] for x in entry["files"]
                                      if isinstance(x, dict) and isinstance(x.get("path"), str)]
    return found


def remove_stale(out: Path, old: Path, new: Path, in_run: set[str]) -> int:
    """Delete the files the last run's index (``old``) lists that this run's (``new``) does not,
    where the article is still written (a format dropped, no chart any more) or gone from the
    data (a record dropped, a pair that left the set); an article that failed this time keeps
    its files. Only plain names in ``out`` that are regular files: never a file narrator's
    index did not list, never through a link. Returns how many were removed."""
    before, now = _files_by_id(old), _files_by_id(new)
    kept = {path for paths in now.values() for path in paths}
    removed = 0
    for rid, paths in before.items():
        if rid not in now and rid in in_run:
            continue  # failed this run: its last good files stay
        for name in paths:
            target = out / name
            if (name in kept or "/" in name or name.startswith(".") or target.is_symlink()
                    or not target.is_file()):
                continue
            try:
                target.unlink()
            except OSError as err:
                raise write_error(err, str(target)) from None
            removed += 1
    return removed


def _style_of(folder: Path) -> str | None:
    try:
        return read_dataset(folder)[0].style
    except NarratorError:
        return None  # each of the folder's items reports it


def narrate_all(data: Path | Sequence[Path], opts: Options, *, jobs: int | None = None,
                progress: object = None, summary: Summary | None = None,
                only: frozenset[str] | None = None) -> Summary:
    """Render every comparison under ``data`` into ``opts.out``; see the module docstring.

    Pass ``summary`` to keep the counts of a run that is interrupted (KeyboardInterrupt
    propagates after the workers have stopped; the new index is then not written).
    """
    for fmt in opts.formats:
        if fmt not in FORMATS:
            raise ConfigError(f"unknown format '{fmt}' (expected one of: {', '.join(FORMATS)})")
    out = opts.out.resolve()
    for d in [data] if isinstance(data, Path) else data:
        if out.is_relative_to(Path(d).resolve()) or Path(d).resolve().is_relative_to(out):
            raise ConfigError(f"the output directory and the data directory {d} overlap: "
                              f"articles would be read as records by the next run (or records "
                              f"taken for old files); choose an --out apart from --data",
                              file=str(opts.out))
    lock = lock_out(opts.out)
    try:
        return _narrate(data, opts, jobs, progress,
                        summary if summary is not None else Summary(), only)
    finally:
        os.close(lock)  # the lock goes with it (forked workers that still hold it are ending)


def _narrate(data: Path | Sequence[Path], opts: Options, jobs: int | None, progress: object,
             summary: Summary, only: frozenset[str] | None) -> Summary:
    sources = discover(data)
    key, table = run_keys(opts)
    styles = sorted({style for kind, p in sources
                     if (style := _style_of(p if kind == "pairs" else p.parent))})
    # Templates may have changed since a renderer in the cache was compiled (in this process,
    # by an earlier run or an api call): a run renders what the key was made from.
    renderer_for.cache_clear()
    # made before any work, it fails early on a bad locale or template
    local = Worker(opts, key, styles, table, only)
    prev, warning = prepare_out(opts.out)
    summary.warnings += [warning] if warning else []
    # One listing of --out, for every worker: which old articles' files are still as written.
    local.names = _untouched(opts.out, prev) if prev else frozenset()
    for kind, source in sources:  # each profile set's job index, built once, shared on fork
        if kind == "pairs":
            bad = local.resolver.jobs(str(source)).bad  # each reported once, not once per pair
            summary.failed += len(bad)
            summary.errors += map(str, bad)
            local.related(str(source))  # the pages of the run, by job: read once, shared
    pool.use(local)  # forked workers start from it
    old = OldIndex(prev, keep_rest=only is not None)
    index = IndexWriter(opts.out / INDEX)

    def collect(result: tuple[list[str], int, list[str]], n_items: int) -> None:
        lines, skipped, errors = result
        summary.skipped += skipped
        summary.written += sum(not line.startswith(REDIRECT) for line in lines) - skipped
        summary.failed += len(errors)
        summary.errors += errors
        index.write(lines)
        if progress is not None:
            progress.update(n_items)  # type: ignore[attr-defined]  # a click progress bar

    listed_found: set[str] = set()
    in_run: set[str] = set()  # every id the data holds now (a failed one keeps its old files)
    seen = SeenIds()
    held: list[tuple[str, str, str, str, str]] = []  # (id, kind, path, where, text)

    def unique(chunk: Chunk) -> tuple[Chunk, dict[str, str]]:
        """Drop items whose id an earlier item has (one file, one owner); find old entries."""
        kind, path, items = chunk
        kept, ids = [], []
        for (where, text), rid in zip(items, item_ids(chunk)):
            if only is not None:
                if rid not in only:
                    continue
                listed_found.add(rid)
            if rid is not None:
                in_run.add(rid)
                if not seen.add(rid):  # maybe a duplicate: settled exactly after the run
                    held.append((rid, kind, path, where, text))
                    continue
                ids.append(rid)
            kept.append((where, text))
        return (kind, path, kept), old.take(ids)

    chunks = map(unique, iter_chunks(sources))
    n = jobs or os.cpu_count() or 1
    try:
        if n == 1:
            pool.init(opts, key, ignore_sigint=False, only=only)
            for chunk, previous in chunks:
                collect(pool.run_chunk(chunk, previous), len(chunk[2]))
        else:
            pool.parallel(chunks, n, opts, key, collect, table, only)
        first = first_places(sources, {rid for rid, *_ in held})
        for rid, kind, path, where, text in held:
            here = f"{path}: {where}"
            if first[rid] == here:  # the filter's false alarm: the id's first appearance
                collect(local.run((kind, path, [(where, text)]), {}), 1)
            else:
                summary.failed += 1
                summary.errors.append(f"{here}: {rid}: id: also used by {first[rid]}; skipped")
        if only is not None:  # the articles not listed stay in the index, as they are on disk
            old.take(rid for rid, *_ in held)
            index.write(list(old.rest(local.names)))
    except BaseException:
        index.stop()
        try:
            clear_temporary(opts.out)  # what stopped workers were writing
        except OSError:
            pass  # the next run clears them
        raise
    finally:
        old.close()
    index.commit()
    if prev is not None:
        if only is None:  # a whole run: what it no longer writes goes (--only keeps the rest)
            summary.removed = remove_stale(opts.out, prev, opts.out / INDEX, in_run)
        prev.unlink(missing_ok=True)
    if old.damaged:
        summary.warnings.append(f"{opts.out / INDEX}: the last run's index is damaged "
                                f"({old.damaged} and maybe others): its articles are rendered "
                                f"again")
    for rid in sorted((only or frozenset()) - listed_found):
        summary.failed += 1
        summary.errors.append(f"{rid}: listed in --only but not found under the data")
    return summary
