"""`narrate --all`: every comparison under a data directory, in parallel, incrementally.

What there is to render comes from ``sources``. Work is streamed in chunks to a process
pool, so memory does not grow with the number of pairs. Workers render and write files
themselves (atomically) and send back only index lines. The index (``index.jsonl``) lists
every article written, in source order, with a ``key``: a hash of everything that went into it
(record text, templates, narrator's code and libraries, locale). A rerun reads the old index
alongside the new work and skips articles whose key is unchanged (templates enter the key
without their variants' bodies; the entry's ``vkey`` covers the bodies its page chose: see
``slots``). An article that runs past ``Options.time_limit`` (an override template that
loops) is reported and skipped.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import json
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import schema
from ..api import renderer_for
from ..article import chart_file
from ..dataset import DEFAULT_STYLE, STYLES, read_dataset, template_files
from ..errors import ConfigError, NarratorError, OutputError, RunError, TemplateError
from ..frontmatter import markdown_with_front_matter
from ..markdown import unescape
from ..render import slots
from ..render.environment import BUILTIN_TEMPLATES
from ..render.limits import TIME_LIMIT, TooSlow, alarm, limited
from ..render.renderer import TEMPLATE_NAMES, Renderer
from ..sources import Chunk, Resolver, digest, discover, first_places, item_ids, iter_chunks
from ..writers import EXTENSIONS, FORMATS, encode, write_atomic
from .index import (
    INDEX,
    REDIRECT,
    IndexWriter,
    OldIndex,
    SeenIds,
    clear_temporary,
    lock_out,
    prepare_out,
    redirect_line,
    usable_entry,
)

_HERE = Path(__file__).resolve().parent.parent  # the narrator package


@dataclass(frozen=True)
class Options:
    out: Path
    formats: tuple[str, ...] = ("md",)
    locale: str = "en_US"
    template_dirs: tuple[Path, ...] = ()
    style: str | None = None  # None: each data set's own (narrator.json), else the seed style
    time_limit: float = TIME_LIMIT  # seconds per article, and for compiling (see limits)
    front_matter: bool = False  # YAML front matter above the Markdown (static-site CMSs)
    variation: bool = True  # False (--no-variation): every {% variants %} slot's first variant


@dataclass
class Summary:
    written: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# Libraries whose release can change an article (CLDR data, inflections, escaping, parsing).
SHAPING_LIBRARIES = ("babel", "inflect", "jinja2", "markupsafe", "msgspec", "pyyaml")


def run_keys(opts: Options) -> tuple[bytes, dict[str, tuple[str, ...]]]:
    """Everything outside the record that shapes an article: code and the versions of the
    libraries it uses, templates, locale, formats; and the table of variant bodies.

    Templates enter the key with their variants' bodies masked: which body a page used is in
    its index entry, checked against the table (``slots.vkey``), so editing one variant's text
    re-renders only the pages that chose it (see ``slots``)."""
    parts = [f"{name}=={metadata.version(name)}".encode() for name in SHAPING_LIBRARIES]
    templates: list[tuple[str, bool, bytes]] = []
    names: list[bytes] = []
    # Names relative to their root (and the roots' order): moving a checkout keeps the keys.
    try:
        for p in sorted(_HERE.rglob("*.py")) + sorted(_HERE.rglob("*.json")):
            if p.is_file():
                parts.append(f"0:{p.relative_to(_HERE).as_posix()}".encode() + p.read_bytes())
        # Every file a run in any style may load (not only *.j2: {% include "x.md" %}): the
        # user's folders, each style's, narrator's own. A style's files count as narrator's,
        # named by their path in its folder (as ``slots`` expects).
        users = len(opts.template_dirs)
        roots = (*map(Path, opts.template_dirs),
                 *dict.fromkeys(d for dirs in STYLES.values() for d in dirs), BUILTIN_TEMPLATES)
        for f in template_files(roots, "*"):
            builtin = f.root >= users
            rel = (f.path.relative_to(BUILTIN_TEMPLATES).as_posix()
                   if builtin and f.path.is_relative_to(BUILTIN_TEMPLATES) else f.name)
            names.append(f"{f.root + 1}:{rel}".encode())
            templates.append((rel, builtin, f.path.read_bytes()))
    except OSError as err:  # an override folder or template this user can't read
        raise TemplateError(f"cannot read: {err.strerror}", file=err.filename) from None
    skeletons, table = slots.analyse(templates, TEMPLATE_NAMES)
    parts += [name + skeleton for name, skeleton in zip(names, skeletons)]
    return digest(*parts, opts.locale.encode(), ",".join(opts.formats).encode(),
                  (opts.style or "").encode(), b"front-matter" if opts.front_matter else b"",
                  b"" if opts.variation else b"no-variation").encode(), table


class Worker:
    """Per-process state: the run's renderers (from ``api.renderer_for``, the one cache of
    compiled templates) and one resolver for the whole run."""

    def __init__(self, opts: Options, key: bytes, styles: Sequence[str] = (),
                 table: dict[str, tuple[str, ...]] | None = None) -> None:
        self.opts = opts
        self.resolver = Resolver(key)
        # slot -> each variant's body hash, as the key was made (see run_keys)
        self.table = run_keys(opts)[1] if table is None else table
        # Made here, they fail early on a bad locale or template, and workers forked from
        # this process inherit them compiled.
        with limited(opts.time_limit, "compiling the templates"):
            for style in [opts.style] if opts.style else [*styles] or [DEFAULT_STYLE]:
                self.renderer_for(style)
        self.names: frozenset[str] = frozenset()  # what --out holds (see `narrate_all`)

    def renderer_for(self, style: str) -> Renderer:
        opts = self.opts
        return renderer_for(opts.locale, tuple(map(Path, opts.template_dirs)), style,
                            opts.variation)

    def run(self, chunk: Chunk, old: dict[str, str]) -> tuple[list[str], int, list[str]]:
        """Render a chunk; returns (index lines, skipped count, error messages). ``old`` has
        the previous index line of each item that had one."""
        kind, path, items = chunk
        lines: list[str] = []
        errors: list[str] = []
        skipped = 0
        with alarm(self.opts.time_limit) as limit:
            for where, text in items:
                if _stop is not None and _stop.value:  # the run was interrupted: its index is
                    break                              # not written, so stop here
                try:
                    with limit():
                        item_lines, unchanged = self._one(kind, path, where, text, old)
                    lines.extend(item_lines)
                    skipped += unchanged
                except TooSlow:
                    errors.append(f"{path}: {where}: took more than {self.opts.time_limit:g} s "
                                  f"to render (a template that loops?); skipped")
                except OutputError:
                    raise  # nothing more can be written: the run stops
                except NarratorError as err:
                    if err.file is None:
                        err.file = path
                    errors.append(str(err))
                except Exception as err:
                    errors.append(f"{path}: {where}: cannot be rendered: "
                                  f"{err.__class__.__name__}: {err}")
        return lines, skipped, errors

    def _one(self, kind: str, path: str, where: str, text: str,
             old: dict[str, str]) -> tuple[list[str], bool]:
        """One item's index lines (its entry, then a redirect entry per earlier id), and whether
        it was unchanged (its files kept as they are)."""
        # A rerun first: an item whose input key and files are as the index says is kept
        # without parsing it into a record (most of a no-change rerun's time).
        seen = self.resolver.peek(kind, path, text) if old else None
        if seen is not None and seen[0] in old:
            rid, key, aliases = seen
            prev = usable_entry(old[rid], self.names)
            if prev is not None and prev["key"] == key and prev.get("id") == rid and \
                    self._same_variants(prev):
                try:
                    redirects = [redirect_line(old_id, rid) for old_id in (
                        () if aliases is None else schema.to_aliases(aliases, file=path, record=rid))]
                except NarratorError:
                    pass  # rendered below, where the error is reported
                else:
                    return [old[rid], *redirects], True
        rec, key = self.resolver.comparison(kind, path, where, text)
        # A redirect has no "id": readers of the index that look up articles pass over it.
        redirects = [redirect_line(old_id, rec.id) for old_id in rec.aliases or ()]
        dataset = self.resolver.dataset(kind, path)[0]
        article = self.renderer_for(self.opts.style or dataset.style).render(rec, dataset)
        files = []
        outputs = [(fmt, f"{article.slug}.{EXTENSIONS[fmt]}",
                    markdown_with_front_matter(article, dataset.released)
                    if fmt == "md" and self.opts.front_matter else FORMATS[fmt](article))
                   for fmt in self.opts.formats]
        if article.chart and "md" in self.opts.formats:  # the Markdown links to it
            outputs.append(("svg", chart_file(article.slug), article.chart + "\n"))
        for fmt, name, text_out in outputs:
            try:
                data = encode(text_out)
            except NarratorError as err:
                err.file, err.record = path, rec.id
                raise
            write_atomic(self.opts.out / name, data, make_dirs=False)  # prepare_out made it
            files.append({"format": fmt, "path": name, "sha256": hashlib.sha256(data).hexdigest()})
        entry = {"id": rec.id, "slug": article.slug, "title": unescape(article.title),
                 "files": files, "key": key}
        if article.variants:  # which {% variants %} each slot chose: `narrate variants OUT`
            entry["variants"] = dict(article.variants)
            entry["vkey"] = slots.vkey(entry["variants"], self.table)  # their bodies' hash
        return [json.dumps(entry, ensure_ascii=False), *redirects], False

    def _same_variants(self, prev: dict) -> bool:
        """Whether the variant bodies an old entry's page chose are as they were. The key
        leaves them out; an entry that chose none (the seed style) has neither field, and one
        with choices but no vkey (an older index, a hand edit) is rendered again."""
        if "variants" not in prev and "vkey" not in prev:
            return True
        found = prev.get("vkey")
        return isinstance(found, str) and found == slots.vkey(prev.get("variants"), self.table)


_worker: Worker | None = None


# Set to 1 when the run is interrupted: shared memory the workers read per article (a plain
# read; an Event takes a lock per article, a large share of a no-change rerun's work)
_stop: Any = None


def _init(opts: Options, key: bytes, ignore_sigint: bool = True, parent: int = 0,
          stop: Any = None, table: dict[str, tuple[str, ...]] | None = None) -> None:
    """A worker process's set-up. Forked, it already has the main process's Worker (renderers
    compiled, profile sets read); started any other way it makes its own."""
    global _worker, _stop
    _stop = stop
    if ignore_sigint:  # Ctrl-C is the parent's to handle: it lets running chunks finish
        # (forked while the parent held SIGINT and SIGTERM off: its mask is inherited)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        # The CLI turns SIGTERM into an interrupt in the main process; a worker inherits that
        # handler on fork, but must die of SIGTERM (the pool terminates workers with it).
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if parent:
        _die_with_parent(parent)
    if _worker is None or _worker.opts != opts:
        _worker = Worker(opts, key, table=table)


def _die_with_parent(parent: int) -> None:
    """Linux: have the kernel SIGKILL this worker when the run's main process dies (SIGKILL,
    the OOM killer), so no worker outlives it holding the caller's pipes (`narrate --all | cat`
    would never end). Files are written atomically, so a killed worker leaves no half file."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: a worker ends when its pipe closes
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


_PR_SET_PDEATHSIG = 1


_STOPS = {signal.SIGINT, signal.SIGTERM}


def _parallel(chunks: Iterator[tuple[Chunk, dict[str, str]]], n: int, opts: Options,
              key: bytes, collect: Any, table: dict[str, tuple[str, ...]] | None = None) -> None:
    """Run chunks on ``n`` processes, at most 2n in flight, results collected in order.

    Ctrl-C and SIGTERM (a KeyboardInterrupt, see the CLI) are held off except while waiting
    for a result: one that landed while the pool was starting a worker or queueing work left
    it half-made, and shutting it down then could hang. Caught while waiting, the running
    chunks stop after their current article and the rest is cancelled.
    """
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)

    def result(fut: Future) -> Any:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        try:
            return fut.result()
        finally:
            signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)

    pool = None
    stop = multiprocessing.RawValue("b", 0)
    try:
        pool = ProcessPoolExecutor(n, initializer=_init,
                                   initargs=(opts, key, True, os.getpid(), stop, table))
        for fut in [pool.submit(int) for _ in range(n)]:  # start every worker before any work
            result(fut)
        pending: deque[tuple[Future, int]] = deque()
        for chunk, previous in chunks:
            pending.append((pool.submit(_run, chunk, previous), len(chunk[2])))
            if len(pending) >= 2 * n:
                fut, size = pending.popleft()
                collect(result(fut), size)
        while pending:
            fut, size = pending.popleft()
            collect(result(fut), size)
        pool.shutdown(wait=True)
    except BrokenProcessPool:  # the OOM killer, or someone, killed a worker
        pool.shutdown(wait=True, cancel_futures=True)  # type: ignore[union-attr]
        raise RunError("a worker process stopped unexpectedly (killed, or out of memory); "
                       "every file written is complete: run again to finish") from None
    except KeyboardInterrupt:
        stop.value = 1  # running chunks end after their current article
        pool.shutdown(wait=True, cancel_futures=True)  # type: ignore[union-attr]
        raise
    except OSError as err:  # starting the workers: too many processes or open files
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
            proc.kill()
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        if err.errno in (errno.EMFILE, errno.ENFILE, errno.EAGAIN, errno.ENOMEM):
            raise RunError(f"cannot start {n} worker processes: {err.strerror} (see ulimit "
                           f"-n and -u); use fewer --jobs") from None
        raise
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _untouched(out: Path, index: Path) -> frozenset[str]:
    """The regular files in ``out`` not modified since ``index`` (the last run's index, written
    after every file it lists) was: an article edited, truncated or replaced by hand (or by a
    symlink, FIFO or folder) is written again. One directory scan and a stat per entry, no
    reads: a file replaced by one with an older timestamp (``cp -p``) is the case missed."""
    try:
        since = index.stat().st_mtime_ns
    except OSError:
        return frozenset()
    names = set()
    with os.scandir(out) as entries:
        for e in entries:
            try:
                if e.is_file(follow_symlinks=False) and \
                        e.stat(follow_symlinks=False).st_mtime_ns <= since:
                    names.add(e.name)
            except OSError:
                continue
    return frozenset(names)


def _style_of(folder: Path) -> str | None:
    try:
        return read_dataset(folder)[0].style
    except NarratorError:
        return None  # each of the folder's items reports it


def _run(chunk: Chunk, old: dict[str, str]) -> tuple[list[str], int, list[str]]:
    assert _worker is not None
    return _worker.run(chunk, old)


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
    global _worker
    sources = discover(data)
    key, table = run_keys(opts)
    styles = sorted({style for kind, p in sources
                     if (style := _style_of(p if kind == "pairs" else p.parent))})
    # Templates may have changed since a renderer in the cache was compiled (in this process,
    # by an earlier run or an api call): a run renders what the key was made from.
    renderer_for.cache_clear()
    local = Worker(opts, key, styles, table)  # fails early on a bad locale or template, before any work
    prev, warning = prepare_out(opts.out)
    summary.warnings += [warning] if warning else []
    # One listing of --out, for every worker: which old articles' files are still as written.
    local.names = _untouched(opts.out, prev) if prev else frozenset()
    for kind, path in sources:  # each profile set's job index, built once, shared on fork
        if kind == "pairs":
            bad = local.resolver.jobs(str(path)).bad  # each reported once, not once per pair
            summary.failed += len(bad)
            summary.errors += map(str, bad)
    _worker = local  # forked workers start from it
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
            progress.update(n_items)  # type: ignore[attr-defined]

    listed_found: set[str] = set()
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
            _init(opts, key, ignore_sigint=False)
            for chunk, previous in chunks:
                collect(_run(chunk, previous), len(chunk[2]))
        else:
            _parallel(chunks, n, opts, key, collect, table)
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
        index.abandon()
        try:
            clear_temporary(opts.out)  # what stopped workers were writing
        except OSError:
            pass  # the next run clears them
        raise
    finally:
        old.close()
    index.commit()
    if prev is not None:
        prev.unlink(missing_ok=True)
    if old.damaged:
        summary.warnings.append(f"{opts.out / INDEX}: the last run's index is damaged "
                                f"({old.damaged} and maybe others): its articles are rendered again")
    for rid in sorted((only or frozenset()) - listed_found):
        summary.failed += 1
        summary.errors.append(f"{rid}: listed in --only but not found under the data")
    return summary


