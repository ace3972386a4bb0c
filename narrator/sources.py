"""What there is to render under ``--data``, read as a stream of small chunks.

A directory holding ``jobs.jsonl`` and ``pairs.jsonl`` is a profile set (each pair line names
two job ids; other files there are documentation and are ignored); every other
``.json``/``.jsonl``/``.yaml``/``.yml`` file holds standalone comparison records. Items travel
as text (cheap to send to a worker); ``Resolver`` turns one into a comparison and the hash of
its inputs.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

import msgspec

from . import records, schema
from .dataset import CONFIG, Dataset, read_dataset
from .errors import InputError, NarratorError, RecordError

CHUNK = 500  # items per unit of work
# A unit of work: (source kind, path, [(where, raw text of the item)]).
Chunk = tuple[str, str, list[tuple[str, str]]]


def discover(data: Path | Sequence[Path]) -> list[tuple[str, Path]]:
    """The sources under ``data`` (one directory or several, in order), each sorted:
    ("pairs", dir) for a profile set and ("records", file) for a record file."""
    if not isinstance(data, Path):
        return [s for d in data for s in discover(Path(d))]
    if not data.is_dir():
        raise InputError("data directory not found", file=str(data))
    found: list[tuple[str, Path]] = []
    for dirpath, dirnames, filenames in os.walk(data):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        here = Path(dirpath)
        if "jobs.jsonl" in filenames and "pairs.jsonl" in filenames:
            for name in ("jobs.jsonl", "pairs.jsonl"):
                try:
                    mode = os.stat(here / name).st_mode
                except OSError as err:  # a broken link, or a loop of links
                    raise records.unreadable(err, here / name) from None
                if not stat.S_ISREG(mode):  # a FIFO blocks; a link to /dev/zero never ends
                    raise InputError("not a regular file (a FIFO, device or socket): a "
                                     "profile set's files must be files", file=str(here / name))
            found.append(("pairs", here))
            continue
        found += [("records", here / f) for f in sorted(filenames)
                  if Path(f).suffix.lower() in records.SUFFIXES and not f.startswith(".")
                  and f != CONFIG and not _special(here / f)]
    if not found:  # most likely a wrong path: say so rather than write nothing and succeed
        kinds = ", ".join(sorted(records.SUFFIXES))
        raise InputError(f"no record files ({kinds}) or profile sets (jobs.jsonl + "
                         f"pairs.jsonl) in this directory", file=str(data))
    return found


def _special(path: Path) -> bool:
    """A FIFO, socket or device: reading one would block or never end, so it is no record
    file. (A broken symlink is kept, to be reported as missing.)"""
    return path.exists() and not path.is_file()


def digest(*parts: bytes) -> str:
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        h.update(len(p).to_bytes(8, "little"))
        h.update(p)
    return h.hexdigest()


def iter_chunks(sources: Sequence[tuple[str, Path]]) -> Iterator[Chunk]:
    """The items of ``sources`` in order, at most CHUNK at a time, each as (where, text)."""
    for kind, path in sources:
        if kind == "records" and path.suffix.lower() == ".jsonl":
            yield from _line_chunks(path)
            continue
        if kind == "records":
            items = []
            try:
                for where, raw in records.read_raw(path):
                    try:
                        items.append((where, json.dumps(raw, ensure_ascii=False)))
                    except RecursionError:  # read at a shallower stack than this
                        items.append(_error_item(where, RecordError("nested too deeply")))
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


def _error_item(where: str, err: NarratorError) -> tuple[str, str]:
    return where, json.dumps({"__error__": [err.message, err.record, err.field]})


def _line_chunks(path: Path) -> Iterator[Chunk]:
    """A ``.jsonl`` file in chunks of lines, as read: workers parse them (kind "lines"), so a
    big file is spread over every worker and never held whole. A line that can't be read is
    a failed item of its own; the file's other lines go on."""
    batch: list[tuple[str, str]] = []
    try:
        for n, line in records.iter_lines(path):
            if isinstance(line, NarratorError):
                if batch:
                    yield "lines", str(path), batch
                    batch = []
                yield "records", str(path), [_error_item(f"line {n}", line)]
                continue
            batch.append((f"line {n}", line))
            if len(batch) == CHUNK:
                yield "lines", str(path), batch
                batch = []
    except NarratorError as err:  # the file as a whole is unreadable: one failed item
        if batch:
            yield "lines", str(path), batch
            batch = []
        yield "records", str(path), [_error_item("file", err)]
    if batch:
        yield "lines", str(path), batch


SHARED_JOBS = 4096  # distinct jobs of standalone records remembered per process (see _shared)
_ENCODE = msgspec.json.Encoder().encode


class JobTable:
    """A profile set's jobs.jsonl, by id, without holding it: an index of where each job's line
    is (built once, in the main process, and shared with forked workers), and the jobs last
    used parsed. 100,000 jobs cost a few MB here instead of ~340 MB of parsed records per
    process; a pair reads its two jobs' lines with one ``pread`` each when not cached."""

    CACHED = 4096  # parsed jobs kept per process (a chunk of pairs reuses few jobs)

    def __init__(self, path: Path) -> None:
        self.path = path
        self._where: dict[str, tuple[int, int, int]] = {}  # id -> (offset, length, line)
        self._parsed: dict[str, tuple[schema.Job | RecordError, bytes]] = {}
        self._error: RecordError | None = None  # the file as a whole is unreadable
        # Lines that can't be read (their job's id unknown): each reported once by the run;
        # pairs naming a job that isn't there fail on their own.
        self.bad: list[RecordError] = []
        self._fd: int | None = None
        self._pid = 0
        self._dup: set[str] = set()  # ids on more than one line: no pair may use them
        try:
            self._scan()
        except RecordError as err:
            self._error = err

    def _scan(self) -> None:
        offset = 0
        for n, data in enumerate(_read_lines(self.path), 1):
            start, length = offset, len(data)
            offset += length
            text = data[3:] if n == 1 and data.startswith(b"\xef\xbb\xbf") else data
            if n == 1:
                start, length = start + len(data) - len(text), len(text)
            if not text.strip():
                continue
            rid = records.leading_id(text.decode("utf-8", "replace"))
            if rid is None:  # not our own layout: parse it, as strictly as a record file
                try:
                    raw = records.parse_line(text.decode("utf-8").rstrip("\n"), self.path, n)
                except UnicodeDecodeError as err:
                    self.bad.append(RecordError(f"not UTF-8 text (bad byte at offset "
                                                f"{start + err.start})", file=f"{self.path}:{n}"))
                    continue
                except RecordError as err:
                    self.bad.append(err)
                    continue
                rid = schema.record_id(raw) or f"line {n}"
            if rid in self._where:  # which of the two is meant can't be known: neither
                first = self._where[rid][2]
                self.bad.append(RecordError(f"job id '{rid}' is on line {first} and line {n}",
                                            file=f"{self.path}:{n}"))
                self._dup.add(rid)
            self._where[rid] = (start, length, n)

    def __contains__(self, jid: str) -> bool:
        if self._error is not None:
            raise self._error
        return jid in self._where and jid not in self._dup

    def repeated(self, jid: str) -> bool:
        """Whether ``jid`` is the id of more than one line (then no pair may use it)."""
        return jid in self._dup

    def get(self, jid: str) -> tuple[schema.Job | RecordError, bytes]:
        """The job and its line's text (for the incremental key); KeyError if there is none."""
        if self._error is not None:
            raise self._error
        hit = self._parsed.get(jid)
        if hit is None:
            hit = self._load(jid)
            if len(self._parsed) >= self.CACHED:
                self._parsed.clear()
            self._parsed[jid] = hit
        return hit

    def _load(self, jid: str) -> tuple[schema.Job | RecordError, bytes]:
        start, length, n = self._where[jid]
        if self._fd is None or self._pid != os.getpid():  # a forked worker opens its own
            self._fd, self._pid = os.open(self.path, os.O_RDONLY), os.getpid()
        data = os.pread(self._fd, length, start)
        where = f"line {n}"
        try:
            raw = records.parse_line(data.decode("utf-8").rstrip("\n"), self.path, n)
            job: schema.Job | RecordError = schema.to_job(raw, file=str(self.path), where=where)
        except UnicodeDecodeError as err:
            raw, job = None, RecordError(f"not UTF-8 text (bad byte at offset {start + err.start})",
                                         file=str(self.path), record=where)
        except RecordError as err:
            raw, job = None, err
        text = json.dumps(raw, ensure_ascii=False).encode() if raw is not None else data
        return job, text


def _read_lines(path: Path) -> Iterator[bytes]:
    try:
        with path.open("rb") as f:
            yield from f
    except OSError as err:
        raise records.unreadable(err, path) from None


class Resolver:
    """Turns work items into comparisons; job profiles are loaded once per profile set."""

    def __init__(self, key: bytes = b"") -> None:
        self.key = key
        self._jobs: dict[str, JobTable] = {}
        self._seen_jobs: dict[bytes, schema.Job] = {}  # see _shared
        self._datasets: dict[str, tuple[Dataset, bytes]] = {}

    def _shared(self, rec: schema.Comparison) -> schema.Comparison:
        """The record with each job replaced by the equal job of an earlier record, if any.
        Standalone records repeat their jobs in full (a job in many pairs); a renderer
        prepares a job's values once per job object, so equal jobs must be one object."""
        a, b = self._job(rec.a), self._job(rec.b)
        return rec if a is rec.a and b is rec.b else msgspec.structs.replace(rec, a=a, b=b)

    def _job(self, job: schema.Job) -> schema.Job:
        key = _ENCODE(job)
        found = self._seen_jobs.get(key)
        if found is None:
            if len(self._seen_jobs) >= SHARED_JOBS:
                self._seen_jobs.clear()
            found = self._seen_jobs[key] = job
        return found

    def dataset(self, kind: str, path: str) -> tuple[Dataset, bytes]:
        """The settings of the data folder an item comes from (``narrator.json``), and their
        bytes; a profile set is its own folder, a record file belongs to the one it is in."""
        folder = path if kind == "pairs" else os.path.dirname(path)
        if folder not in self._datasets:
            self._datasets[folder] = read_dataset(Path(folder))
        return self._datasets[folder]

    def jobs(self, folder: str) -> JobTable:
        if folder not in self._jobs:
            self._jobs[folder] = JobTable(Path(folder) / "jobs.jsonl")
        return self._jobs[folder]

    def peek(self, kind: str, path: str, text: str) -> tuple[str, str, list | None] | None:
        """(id, input key, raw aliases) of an item, read without validating it, or None when
        they can't be read that way: the cheap first look of a rerun, where an item whose key is
        unchanged was valid when it was rendered (the key covers narrator's code too)."""
        try:
            raw = json.loads(text)
            rid = raw["id"]
            if kind != "pairs":
                parts = [text.encode()]
            else:
                jobs = self.jobs(path)
                parts = [text.encode(), jobs.get(raw["a"])[1], jobs.get(raw["b"])[1]]
        except (ValueError, KeyError, TypeError, RecursionError):
            return None
        aliases = raw.get("aliases")
        if not isinstance(rid, str) or not (aliases is None or isinstance(aliases, list)):
            return None
        return rid, digest(self.key, *parts, self.dataset(kind, path)[1]), aliases

    def comparison(self, kind: str, path: str, where: str, text: str
                   ) -> tuple[schema.Comparison, str]:
        """The item's comparison and the hash of its inputs."""
        if kind == "lines":  # a .jsonl line as read (see _line_chunks)
            raw = records.parse_line(text, Path(path), int(where.split()[1]))
            return (self._shared(schema.to_comparison(raw, file=path, where=where)),
                    digest(self.key, text.encode(), self.dataset(kind, path)[1]))
        if kind == "records":
            try:
                raw = json.loads(text)  # as the main process wrote it, but a worker's stack is
            except RecursionError:     # deeper: the same nesting can be past its limit
                raise RecordError("nested too deeply", file=path, record=where) from None
            if isinstance(raw, dict) and "__error__" in raw:
                message, record, field = raw["__error__"]
                raise RecordError(message, file=path, record=record, field=field)
            return (self._shared(schema.to_comparison(raw, file=path, where=where)),
                    digest(self.key, text.encode(), self.dataset(kind, path)[1]))
        pairs_file = os.path.join(path, "pairs.jsonl")  # per pair: cheaper than a Path
        try:
            pair = json.loads(text)
            pid, a_id, b_id = pair["id"], pair["a"], pair["b"]
        except (ValueError, KeyError, TypeError):
            raise RecordError("expected {\"id\": ..., \"a\": JOB ID, \"b\": JOB ID}",
                              file=pairs_file, record=where) from None
        if not isinstance(pair, dict):
            raise RecordError("expected {\"id\": ..., \"a\": JOB ID, \"b\": JOB ID}",
                              file=pairs_file, record=where)
        if unknown := sorted(set(pair) - PAIR_KEYS):
            raise RecordError(f"unknown key{'s' if len(unknown) > 1 else ''} "
                              f"{', '.join(map(repr, unknown))} (a pair line has "
                              f"{', '.join(sorted(PAIR_KEYS))})", file=pairs_file,
                              record=str(pid), field=unknown[0])
        if a_id == b_id:
            raise RecordError(f"compares job '{a_id}' with itself", file=pairs_file,
                              record=str(pid), field="b")
        jobs = self.jobs(path)
        sides = []
        for side, jid in (("a", a_id), ("b", b_id)):
            if isinstance(jid, str) and jobs.repeated(jid):
                raise RecordError(f"job '{jid}' is on more than one line of jobs.jsonl",
                                  file=pairs_file, record=str(pid), field=side)
            if not isinstance(jid, str) or jid not in jobs:
                raise RecordError(f"no job '{jid}' in jobs.jsonl", file=pairs_file,
                                  record=str(pid), field=side)
            job, job_text = jobs.get(jid)
            if isinstance(job, RecordError):
                raise job
            sides.append((job, job_text))
        try:
            msgspec.convert(pid, schema.Slug)
        except msgspec.ValidationError as err:
            raise RecordError(str(err).lower(), file=pairs_file, record=where, field="id") from None
        if problem := schema.reserved_slug(pid):
            raise RecordError(problem, file=pairs_file, record=where, field="id")
        aliases = pair.get("aliases")
        if aliases is not None:
            aliases = schema.to_aliases(aliases, file=pairs_file, record=pid)
        rec = schema.Comparison(id=pid, a=sides[0][0], b=sides[1][0], aliases=aliases)
        return rec, digest(self.key, text.encode(), sides[0][1], sides[1][1],
                           self.dataset(kind, path)[1])


#: The keys of a pairs.jsonl line (``score``: the importer's relatedness, for related links).
PAIR_KEYS = frozenset({"id", "a", "b", "aliases", "score"})


def item_ids(chunk: Chunk) -> list[str | None]:
    """The article id of each item in a chunk (None where it has none), read cheaply."""
    out: list[str | None] = []
    for _, text in chunk[2]:
        if (rid := records.leading_id(text)) is not None:
            out.append(rid)
            continue
        try:
            rid = json.loads(text).get("id")
        except (ValueError, AttributeError):
            rid = None
        out.append(rid if isinstance(rid, str) else None)
    return out


def read_ids(path: Path) -> frozenset[str]:
    """Ids listed in a file, one per line; ``#`` starts a comment."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()  # a BOM is no part of an id
    except OSError as err:
        raise InputError(f"cannot read the id list: {err.strerror}", file=str(path)) from None
    except UnicodeDecodeError as err:
        raise InputError(f"cannot read the id list: not UTF-8 (byte {err.start})",
                         file=str(path)) from None
    return frozenset(i for line in lines if (i := line.split("#", 1)[0].strip()))


def iter_comparisons(data: Path | Sequence[Path], only: frozenset[str] | None = None
                     ) -> Iterator[tuple[schema.Comparison, Dataset]]:
    """Every comparison under ``data`` (restricted to ``only`` ids) with the settings of its
    data set, e.g. for a review set."""
    resolver = Resolver()
    for chunk in iter_chunks(discover(data)):
        for (where, text), rid in zip(chunk[2], item_ids(chunk)):
            if only is None or rid in only:
                yield (resolver.comparison(chunk[0], chunk[1], where, text)[0],
                       resolver.dataset(chunk[0], chunk[1])[0])


def first_places(sources: Sequence[tuple[str, Path]], wanted: set[str]) -> dict[str, str]:
    """Where each of the ``wanted`` ids first appears (one more pass over the sources)."""
    first: dict[str, str] = {}
    if not wanted:
        return first
    for chunk in iter_chunks(sources):
        for (where, _), rid in zip(chunk[2], item_ids(chunk)):
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
        elif path.suffix.lower() == ".jsonl":  # counted, not parsed: it may be big
            try:
                total += max(1, sum(1 for _ in records.iter_lines(path)))
            except NarratorError:
                total += 1
        else:
            try:
                total += sum(1 for _ in records.read_raw(path))
            except NarratorError:
                total += 1
    return total
