"""`narrate --all`: every comparison under a data directory, in parallel, incrementally.

Sources under ``--data``: a directory holding ``jobs.jsonl`` and ``pairs.jsonl`` is a profile
set (each pair line names two job ids; other files there are documentation and are ignored);
every other ``.json``/``.jsonl``/``.yaml``/``.yml`` file holds standalone comparison records.

Work is streamed in chunks to a process pool, so memory does not grow with the number of
pairs. Workers render and write files themselves (atomically) and send back only index lines.
The index (``index.jsonl``) lists every article written, in source order, with a ``key``: a
hash of everything that went into it (record text, templates, narrator's code, locale). A
rerun reads the old index alongside the new work and skips articles whose key is unchanged.
"""

from __future__ import annotations

import hashlib
import json
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

import msgspec

from . import records, schema
from .errors import NarratorError, OutputError, RecordError
from .index import INDEX, IndexWriter, OldIndex, SeenIds, prepare_out
from .markdown import unescape
from .render import Renderer
from .templates import BUILTIN_TEMPLATES
from .writers import EXTENSIONS, FORMATS, write_atomic

CHUNK = 500
_HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Options:
    out: Path
    formats: tuple[str, ...] = ("md",)
    locale: str = "en_US"
    template_dirs: tuple[Path, ...] = ()


@dataclass
class Summary:
    written: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


# A unit of work: (source kind, path, [(where, raw text of the item)]).
Chunk = tuple[str, str, list[tuple[str, str]]]


def discover(data: Path | Sequence[Path]) -> list[tuple[str, Path]]:
    """The sources under ``data`` (one directory or several, in order), each sorted:
    ("pairs", dir) for a profile set and ("records", file) for a record file."""
    if not isinstance(data, Path):
        return [s for d in data for s in discover(Path(d))]
    if not data.is_dir():
        raise NarratorError("data directory not found", file=str(data))
    found: list[tuple[str, Path]] = []
    for dirpath, dirnames, filenames in os.walk(data):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        here = Path(dirpath)
        if "jobs.jsonl" in filenames and "pairs.jsonl" in filenames:
            found.append(("pairs", here))
            continue
        found += [("records", here / f) for f in sorted(filenames)
                  if Path(f).suffix.lower() in records.SUFFIXES and not f.startswith(".")
                  and not _special(here / f)]
    if not found:  # most likely a wrong path: say so rather than write nothing and succeed
        kinds = ", ".join(sorted(records.SUFFIXES))
        raise NarratorError(f"no record files ({kinds}) or profile sets (jobs.jsonl + "
                            f"pairs.jsonl) in this directory", file=str(data))
    return found


def _special(path: Path) -> bool:
    """A FIFO, socket or device: reading one would block or never end, so it is no record
    file. (A broken symlink is kept, to be reported as missing.)"""
    return path.exists() and not path.is_file()


def _digest(*parts: bytes) -> str:
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        h.update(len(p).to_bytes(8, "little"))
        h.update(p)
    return h.hexdigest()


# Libraries whose release can change an article (CLDR data, inflections, escaping, parsing).
SHAPING_LIBRARIES = ("babel", "inflect", "jinja2", "markupsafe", "msgspec", "pyyaml")


def run_key(opts: Options) -> bytes:
    """Everything outside the record that shapes an article: code and the versions of the
    libraries it uses, templates, locale, formats."""
    parts = [f"{name}=={metadata.version(name)}".encode() for name in SHAPING_LIBRARIES]
    # Names relative to their root (and the roots' order): moving a checkout keeps the keys.
    for i, root in enumerate((_HERE, *map(Path, opts.template_dirs), BUILTIN_TEMPLATES)):
        pattern = "*.py" if root == _HERE else "*"
        files = sorted(root.rglob(pattern)) + (sorted(root.rglob("*.json")) if root == _HERE else [])
        parts += [f"{i}:{p.relative_to(root).as_posix()}".encode() + p.read_bytes()
                  for p in files if p.is_file()]
    return _digest(*parts, opts.locale.encode(), ",".join(opts.formats).encode()).encode()


def _chunks(sources: Sequence[tuple[str, Path]]) -> Iterator[Chunk]:
    for kind, path in sources:
        if kind == "records":
            items = []
            try:
                for where, raw in records.read_raw(path):
                    items.append((where, json.dumps(raw, ensure_ascii=False)))
            except NarratorError as err:  # the file as a whole is unreadable: one failed item
                items = [("file", json.dumps({"__error__": [err.message, err.record, err.field]}))]
            yield kind, str(path), items
            continue
        pairs = path / "pairs.jsonl"
        with pairs.open(encoding="utf-8", errors="replace") as f:
            batch: list[tuple[str, str]] = []
            for n, line in enumerate(f, 1):
                if line.strip():
                    batch.append((f"line {n}", line))
                if len(batch) == CHUNK:
                    yield kind, str(path), batch
                    batch = []
            if batch:
                yield kind, str(path), batch


class Resolver:
    """Turns work items into comparisons; job profiles are loaded once per profile set."""

    def __init__(self, key: bytes = b"") -> None:
        self.key = key
        self._jobs: dict[str, dict[str, tuple[schema.Job | RecordError, bytes]]] = {}

    def jobs(self, folder: str) -> dict[str, tuple[schema.Job | RecordError, bytes]]:
        if folder not in self._jobs:
            path = Path(folder) / "jobs.jsonl"
            table: dict[str, tuple[schema.Job | RecordError, bytes]] = {}
            for where, raw in records.read_raw(path):
                rid = schema.record_id(raw) or where
                try:
                    job: schema.Job | RecordError = schema.to_job(raw, file=str(path), where=where)
                except RecordError as err:
                    job = err
                text = json.dumps(raw, ensure_ascii=False).encode()
                table[rid] = (job, text)
            self._jobs[folder] = table
        return self._jobs[folder]

    def comparison(self, kind: str, path: str, where: str, text: str) -> tuple[schema.Comparison, str]:
        """The item's comparison and the hash of its inputs."""
        if kind == "records":
            raw = json.loads(text)
            if isinstance(raw, dict) and "__error__" in raw:
                message, record, field = raw["__error__"]
                raise RecordError(message, file=path, record=record, field=field)
            return schema.to_comparison(raw, file=path, where=where), _digest(self.key, text.encode())
        pairs_file = os.path.join(path, "pairs.jsonl")  # per pair: cheaper than a Path
        try:
            pair = json.loads(text)
            pid, a_id, b_id = pair["id"], pair["a"], pair["b"]
        except (ValueError, KeyError, TypeError):
            raise RecordError("expected {\"id\": ..., \"a\": JOB ID, \"b\": JOB ID}",
                              file=pairs_file, record=where) from None
        jobs = self.jobs(path)
        sides = []
        for side, jid in (("a", a_id), ("b", b_id)):
            if not isinstance(jid, str) or jid not in jobs:
                raise RecordError(f"no job '{jid}' in jobs.jsonl", file=pairs_file,
                                  record=str(pid), field=side)
            job, job_text = jobs[jid]
            if isinstance(job, RecordError):
                raise job
            sides.append((job, job_text))
        try:
            msgspec.convert(pid, schema.Slug)
        except msgspec.ValidationError as err:
            raise RecordError(str(err).lower(), file=pairs_file, record=where, field="id") from None
        if problem := schema.reserved_slug(pid):
            raise RecordError(problem, file=pairs_file, record=where, field="id")
        rec = schema.Comparison(id=pid, a=sides[0][0], b=sides[1][0])
        return rec, _digest(self.key, text.encode(), sides[0][1], sides[1][1])


class Worker:
    """Per-process state: one renderer and one resolver for the whole run."""

    def __init__(self, opts: Options, key: bytes) -> None:
        self.opts = opts
        self.resolver = Resolver(key)
        self.renderer = Renderer(locale=opts.locale, template_dirs=opts.template_dirs)

    def run(self, chunk: Chunk, old: dict[str, dict]) -> tuple[list[str], int, list[str]]:
        """Render a chunk; returns (index lines, skipped count, error messages)."""
        kind, path, items = chunk
        lines: list[str] = []
        errors: list[str] = []
        skipped = 0
        for where, text in items:
            try:
                rec, key = self.resolver.comparison(kind, path, where, text)
                prev = old.get(rec.id)
                if prev and prev["key"] == key and all(
                        (self.opts.out / f["path"]).is_file() for f in prev["files"]):
                    lines.append(json.dumps(prev, ensure_ascii=False))
                    skipped += 1
                    continue
                article = self.renderer.render(rec)
                files = []
                for fmt in self.opts.formats:
                    text_out = FORMATS[fmt](article)
                    name = f"{article.slug}.{EXTENSIONS[fmt]}"
                    write_atomic(self.opts.out / name, text_out)
                    files.append({"format": fmt, "path": name,
                                  "sha256": hashlib.sha256(text_out.encode()).hexdigest()})
                entry = {"id": rec.id, "slug": article.slug, "title": unescape(article.title),
                         "files": files, "key": key}
                lines.append(json.dumps(entry, ensure_ascii=False))
            except OutputError:
                raise  # nothing more can be written: the run stops
            except NarratorError as err:
                if err.file is None:
                    err.file = path
                errors.append(str(err))
        return lines, skipped, errors


_worker: Worker | None = None


def _init(opts: Options, key: bytes, ignore_sigint: bool = True) -> None:
    global _worker
    if ignore_sigint:  # Ctrl-C is the parent's to handle: it lets running chunks finish
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker = Worker(opts, key)


def _parallel(chunks: Iterator[tuple[Chunk, dict[str, dict]]], n: int, opts: Options,
              key: bytes, collect: Any) -> None:
    """Run chunks on ``n`` processes, at most 2n in flight, results collected in order."""
    pool = ProcessPoolExecutor(n, initializer=_init, initargs=(opts, key))
    try:
        for fut in [pool.submit(int) for _ in range(n)]:  # start every worker before any work
            fut.result()
        pending: deque[tuple[Future, int]] = deque()
        for chunk, previous in chunks:
            pending.append((pool.submit(_run, chunk, previous), len(chunk[2])))
            if len(pending) >= 2 * n:
                fut, size = pending.popleft()
                collect(fut.result(), size)
        while pending:
            fut, size = pending.popleft()
            collect(fut.result(), size)
    except BrokenProcessPool:  # the OOM killer, or someone, killed a worker
        raise NarratorError("a worker process stopped unexpectedly (killed, or out of memory); "
                            "every file written is complete: run again to finish") from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _run(chunk: Chunk, old: dict[str, dict]) -> tuple[list[str], int, list[str]]:
    assert _worker is not None
    return _worker.run(chunk, old)


def _ids(chunk: Chunk) -> list[str | None]:
    """The article id of each item in a chunk (None where it has none), read cheaply."""
    out: list[str | None] = []
    for _, text in chunk[2]:
        try:
            rid = json.loads(text).get("id")
        except (ValueError, AttributeError):
            rid = None
        out.append(rid if isinstance(rid, str) else None)
    return out


def read_ids(path: Path) -> frozenset[str]:
    """Ids listed in a file, one per line; ``#`` starts a comment."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise NarratorError(f"cannot read the id list: {err.strerror}", file=str(path)) from None
    except UnicodeDecodeError as err:
        raise NarratorError(f"cannot read the id list: not UTF-8 (byte {err.start})",
                            file=str(path)) from None
    return frozenset(i for line in lines if (i := line.split("#", 1)[0].strip()))


def iter_comparisons(data: Path | Sequence[Path], only: frozenset[str] | None = None
                     ) -> Iterator[schema.Comparison]:
    """Every comparison under ``data`` (restricted to ``only`` ids), e.g. for a review set."""
    resolver = Resolver()
    for chunk in _chunks(discover(data)):
        for (where, text), rid in zip(chunk[2], _ids(chunk)):
            if only is None or rid in only:
                yield resolver.comparison(chunk[0], chunk[1], where, text)[0]


def narrate_all(data: Path | Sequence[Path], opts: Options, *, jobs: int | None = None,
                progress: object = None, summary: Summary | None = None,
                only: frozenset[str] | None = None) -> Summary:
    """Render every comparison under ``data`` into ``opts.out``; see the module docstring.

    Pass ``summary`` to keep the counts of a run that is interrupted (KeyboardInterrupt
    propagates after the workers have stopped; the new index is then not written).
    """
    for fmt in opts.formats:
        if fmt not in FORMATS:
            raise NarratorError(f"unknown format '{fmt}' (expected one of: {', '.join(FORMATS)})")
    for d in [data] if isinstance(data, Path) else data:
        if opts.out.resolve().is_relative_to(Path(d).resolve()):
            raise NarratorError(f"the output directory is inside the data directory {d}: its "
                                f"articles would be read as records by the next run; choose "
                                f"an --out outside --data", file=str(opts.out))
    sources = discover(data)
    key = run_key(opts)
    local = Worker(opts, key)  # fails early on a bad locale or template, before any work
    prev = prepare_out(opts.out)
    old = OldIndex(prev)
    summary = summary if summary is not None else Summary()
    index = IndexWriter(opts.out / INDEX)

    def collect(result: tuple[list[str], int, list[str]], n_items: int) -> None:
        lines, skipped, errors = result
        summary.skipped += skipped
        summary.written += len(lines) - skipped
        summary.failed += len(errors)
        summary.errors += errors
        index.write(lines)
        if progress is not None:
            progress.update(n_items)  # type: ignore[attr-defined]

    listed_found: set[str] = set()
    seen = SeenIds()
    held: list[tuple[str, str, str, str, str]] = []  # (id, kind, path, where, text)

    def unique(chunk: Chunk) -> tuple[Chunk, dict[str, dict]]:
        """Drop items whose id an earlier item has (one file, one owner); find old entries."""
        kind, path, items = chunk
        kept, ids = [], []
        for (where, text), rid in zip(items, _ids(chunk)):
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

    chunks = map(unique, _chunks(sources))
    n = jobs or os.cpu_count() or 1
    try:
        if n == 1:
            _init(opts, key, ignore_sigint=False)
            for chunk, previous in chunks:
                collect(_run(chunk, previous), len(chunk[2]))
        else:
            _parallel(chunks, n, opts, key, collect)
        first = _first_places(sources, {rid for rid, *_ in held})
        for rid, kind, path, where, text in held:
            here = f"{path}: {where}"
            if first[rid] == here:  # the filter's false alarm: the id's first appearance
                collect(local.run((kind, path, [(where, text)]), {}), 1)
            else:
                summary.failed += 1
                summary.errors.append(f"{here}: {rid}: id: also used by {first[rid]}; skipped")
    except BaseException:
        index.abandon()
        raise
    finally:
        old.close()
    index.commit()
    prev.unlink(missing_ok=True)
    for rid in sorted((only or frozenset()) - listed_found):
        summary.failed += 1
        summary.errors.append(f"{rid}: listed in --only but not found under the data")
    return summary


def _first_places(sources: Sequence[tuple[str, Path]], wanted: set[str]) -> dict[str, str]:
    """Where each of the ``wanted`` ids first appears (one more pass over the sources)."""
    first: dict[str, str] = {}
    if not wanted:
        return first
    for chunk in _chunks(sources):
        for (where, _), rid in zip(chunk[2], _ids(chunk)):
            if rid in wanted and rid not in first:
                first[rid] = f"{chunk[1]}: {where}"
        if len(first) == len(wanted):
            break
    return first


def count_items(data: Path | Sequence[Path]) -> int:
    """How many articles ``data`` holds (for a progress bar): pair lines plus records."""
    total = 0
    for kind, path in discover(data):
        if kind == "pairs":
            with (path / "pairs.jsonl").open("rb") as f:
                total += sum(1 for line in f if line.strip())
        else:
            try:
                total += sum(1 for _ in records.read_raw(path))
            except NarratorError:
                total += 1
    return total
