"""`narrate report`: how repetitive a rendered tree reads, per page and for the corpus.

A page is read as units: its **sentences** (paragraph sentences and list items), its headings
and its source lines (the paragraphs of the "Sources" section, one unit each); tables and
images are not prose and are left out. Each sentence is also read *masked*: the page's job
titles (every form the page uses: singular, plural, with a/an) become ``<job>`` and every
number or amount of money becomes ``#``, so "Bakers earn $12,000 (25%) more a year than cooks"
and "Welders earn $3,100 (6%) more a year than nurses" are the same masked sentence.

* **boilerplate share** of a page: the share of its sentences whose masked form is on at least
  half of all pages (``BOILERPLATE_SHARE``);
* **unique share**: the share of its sentences (as written) found on no other page;
* **nearest neighbour**: the Jaccard similarity of the page's word 5-shingles to the most
  similar other page. Exact (every pair) for trees of up to ``EXACT_MAX`` pages; above that,
  MinHash signatures (datasketch) indexed in an LSH Forest give each page its ``CANDIDATES``
  likeliest neighbours, whose exact Jaccard is then computed;
* the masked sentences, headings and source lines found on the most pages.

Everything is deterministic: files are read in sorted order, words get ids in order of first
appearance, shingles are hashed with fixed constants (no ``hash()``), MinHash uses a fixed seed.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np

from .. import files
from ..batch.index import indexed_files
from ..errors import InputError
from ..pages import render_page

#: A masked sentence on at least this share of pages is boilerplate.
BOILERPLATE_SHARE = 0.5
#: Word n-grams compared between pages.
SHINGLE = 5
#: Up to this many pages every pair is compared exactly; above it, MinHash + LSH Forest.
EXACT_MAX = 600
CANDIDATES = 6
TOP = 25
JOB, NUM, NAME = "<job>", "#", "<name>"

# Fixed odd multipliers combining a shingle's word ids into one 64-bit value.
_MULT = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                  0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD], dtype=np.uint64)
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_NUMBER = re.compile(r"[$€£¥]?\d(?:[\d,.]*\d)?(?:%|x\b)?")
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9$(\"'])")
_ABBREV = re.compile(r"(?:\b(?:excl|incl|approx|vs|St|Inc|Co|Corp|etc|No)"
                     r"|\b[A-Z]\.[A-Z]|e\.g|i\.e)\.$")
# A capitalised word after a sentence's first word is a name (a state, a metro area, an
# industry); a run of them joined by commas, "and", "&", "of", "excl." is one name.
_NAMEWORD = r"[A-Z](?:[\w'&*-]|\.(?=\w))*"
_CAPITAL = re.compile(rf"(?<=\S ){_NAMEWORD}"
                      rf"(?:(?:,? (?:and|&|of|the|excl\.|in|for)|,)? {_NAMEWORD})*")
_AN = re.compile(r"\b(?:a|an) " + re.escape(JOB), re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Unit:
    kind: str  # "sentence", "heading" or "source"
    text: str


@dataclass(frozen=True, slots=True)
class PageStats:
    id: str
    sentences: int
    boilerplate: float  # share of its sentences that are boilerplate (0 without sentences)
    unique: float  # share of its sentences on no other page
    neighbour: str | None  # the most similar other page
    jaccard: float  # word 5-shingle Jaccard to it (0 when alone)


@dataclass(frozen=True, slots=True)
class Line:
    kind: str
    text: str  # masked
    pages: int
    share: float


@dataclass
class Report:
    pages: int
    method: str  # "exact" or "minhash-lsh-forest"
    boilerplate_mean: float
    unique_mean: float
    nn_median: float
    nn_p95: float
    nn_max: float
    top_sentence_share: float  # the most widespread masked sentence (not heading, not source)
    worst_pairs: list[tuple[str, str, float]]
    top: list[Line]
    per_page: list[PageStats] = field(repr=False)

    def summary(self) -> dict[str, object]:
        """The corpus figures (no per-page rows): what a baseline keeps."""
        return {"pages": self.pages, "method": self.method,
                "boilerplate_mean": self.boilerplate_mean, "unique_mean": self.unique_mean,
                "nn_median": self.nn_median, "nn_p95": self.nn_p95, "nn_max": self.nn_max,
                "top_sentence_share": self.top_sentence_share}


# -- reading a page ------------------------------------------------------------------------

def read_tree(tree: Path) -> list[tuple[str, str]]:
    """(id, Markdown) of every ``*.md`` article in ``tree``, sorted by id: those its
    ``index.jsonl`` lists, where it has one (a file an earlier run left is not counted)."""
    if not tree.is_dir():
        raise InputError("not a directory (expected a tree written by narrate --all)",
                         file=str(tree))
    listed = indexed_files(tree)
    pages = []
    for path in sorted(tree.glob("*.md")):
        if listed is not None and path.name not in listed:
            continue
        try:
            pages.append((path.stem, files.read_text(path)))
        except (OSError, UnicodeDecodeError) as err:
            raise InputError(f"cannot read: {err}", file=str(path)) from None
    if not pages:
        raise InputError("no *.md articles here", file=str(tree))
    return pages


def units(markdown: str) -> list[Unit]:
    """A page's sentences, headings and source lines, in order (tables and images left out)."""
    out: list[Unit] = []
    in_sources = False
    for line in markdown.splitlines():
        line = line.strip()
        if not line or line.startswith(("|", "![", "<")):
            continue
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
            in_sources = heading == "Sources"
            out.append(Unit("heading", heading))
        elif in_sources:
            out.append(Unit("source", line))
        else:
            text = line[2:] if line.startswith(("- ", "* ")) else line
            out += [Unit("sentence", s) for s in split_sentences(text)]
    return out


def split_sentences(text: str) -> list[str]:
    """Sentences of one paragraph; abbreviations ("excl.", "U.S.") don't end one."""
    parts: list[str] = []
    for piece in _SPLIT.split(text):
        if parts and _ABBREV.search(parts[-1]):
            parts[-1] += " " + piece
        else:
            parts.append(piece)
    return [p for p in parts if p]


_H1 = re.compile(r"^# (.+?) vs (.+)$", re.MULTILINE)
_WHAT = re.compile(r"^## What does an? (.+) do\?$", re.MULTILINE)
_PLURALS = (re.compile(r"^## Where (.+) work and earn the most$", re.MULTILINE),
            re.compile(r"^(\S.*?) typically do the following:$", re.MULTILINE))


def title_forms(markdown: str) -> list[str]:
    """Every form of the two job titles the page shows (H1, "What does a … do?", the plural
    headings, the table header) with their plurals, longest first."""
    from .. import grammar  # inflect: only a report pays for it

    singular: set[str] = set()
    plural: set[str] = set()
    if m := _H1.search(markdown):
        singular |= {m.group(1), m.group(2)}
    singular |= set(_WHAT.findall(markdown))
    for pattern in _PLURALS:
        plural |= set(pattern.findall(markdown))
    header = next((ln for ln in markdown.splitlines() if ln.startswith("| |")), None)
    if header:
        singular |= {c.strip() for c in header.strip("|").split("|")[1:] if c.strip()}
    singular = {s.replace("\\", "") for s in singular if s}
    # as written ("MRI technologist") and in lower case ("Accountants and Auditors" in a header)
    starts = {s[:1].lower() + s[1:] for s in singular}
    plural = {p.replace("\\", "") for p in plural if p} | {grammar.plural(s) for s in starts}
    forms = {v for f in singular | starts | plural for v in (f, f.lower())}
    return sorted(forms, key=lambda f: (-len(f), f))


def masker(forms: Sequence[str]) -> Callable[[str], str]:
    """A function masking the titles (``forms``, longest first), numbers and money
    of one page's text. Titles are replaced as written, capitalised and in title case (plain
    string replacement: a regular expression per page costs more than the rest of the page)."""
    cased: list[str] = []
    for f in forms:
        cased += dict.fromkeys((f, f[:1].upper() + f[1:], f.title()))
    cased.sort(key=lambda f: (-len(f), f))

    def mask(text: str) -> str:
        text = text.replace("\\", "")
        for f in cased:
            if f in text:
                text = text.replace(f, JOB)
        return _mask_rest(text)
    return mask


@functools.lru_cache(maxsize=1 << 16)  # source lines and O*NET text recur on many pages
def _mask_rest(text: str) -> str:
    """Numbers, money and names masked (titles already are), a/an before a title unified."""
    if JOB in text:
        text = _AN.sub("a(n) " + JOB, text)
    text = _NUMBER.sub(NUM, text)
    text = _CAPITAL.sub(NAME, text)
    return text[:1].upper() + text[1:]


# -- shingles and similarity ------------------------------------------------------------------

_WORDS: dict[str, int] = {}  # word -> its 64-bit hash (per process)


def _word_hash(word: str) -> int:
    h = _WORDS[word] = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(),
                                      "little")
    return h


def shingles(text: str) -> np.ndarray:
    """The sorted distinct 64-bit hashes of the text's word 5-shingles (lower-cased ``\\w+``
    words; a page shorter than a shingle is one shingle)."""
    get = _WORDS.get
    words = [get(w) or _word_hash(w) for w in _WORD.findall(text.lower())]
    if len(words) < SHINGLE:
        words += [0] * (SHINGLE - len(words))
    arr = np.asarray(words, dtype=np.uint64)
    n = len(arr) - SHINGLE + 1
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(SHINGLE):
            h = (h ^ arr[k:k + n]) * _MULT[k]  # wraps mod 2**64 on purpose
            h ^= h >> np.uint64(29)
    return np.unique(h)


def jaccard(x: np.ndarray, y: np.ndarray) -> float:
    """Exact Jaccard of two sorted arrays of distinct values."""
    inter = len(np.intersect1d(x, y, assume_unique=True))
    union = len(x) + len(y) - inter
    return inter / union if union else 0.0


_BINS_BITS = 7
NUM_PERM = 1 << _BINS_BITS
_EMPTY = np.uint64(2**64 - 1)
_STARTS = (np.arange(NUM_PERM, dtype=np.uint64) << np.uint64(64 - _BINS_BITS))


def signature(s: np.ndarray) -> np.ndarray:
    """A MinHash signature of NUM_PERM values by one-permutation hashing: the shingle hashes,
    mixed once more, fall into NUM_PERM bins by their top bits; each bin keeps its least value
    (an empty bin keeps the largest). One pass instead of NUM_PERM."""
    with np.errstate(over="ignore"):
        h = np.sort((s ^ (s >> np.uint64(31))) * np.uint64(0xBF58476D1CE4E5B9))
    first = np.searchsorted(h, _STARTS)
    found = first < len(h)
    sig = np.full(NUM_PERM, _EMPTY, dtype=np.uint64)
    vals = h[np.minimum(first, len(h) - 1)]
    ok = found & ((vals >> np.uint64(64 - _BINS_BITS)) == np.arange(NUM_PERM, dtype=np.uint64))
    sig[ok] = vals[ok]
    return sig


_FOREST: tuple[Any, np.ndarray, Sequence[np.ndarray]] | None = None  # Any: datasketch's forest


def _neighbour(i: int) -> tuple[int, float]:
    """Page i's nearest other page among its LSH Forest candidates, with its exact Jaccard."""
    from datasketch import LeanMinHash

    forest, sigs, sets = _FOREST  # type: ignore[misc]  # nearest() sets it before calling
    h = LeanMinHash(seed=1, hashvalues=sigs[i], scheme="legacy")
    cands = sorted(c for c in forest.query(h, CANDIDATES + 1) if c != i)
    if not cands:
        return -1, 0.0
    # The candidates' estimated similarity picks the few worth an exact comparison.
    est = (sigs[cands] == sigs[i]).mean(axis=1)
    order = sorted(range(len(cands)), key=lambda k: (-est[k], cands[k]))[:3]
    s, j = max((jaccard(sets[i], sets[cands[k]]), -cands[k]) for k in order)
    return -j, s


def nearest(sets: Sequence[np.ndarray], sigs: np.ndarray | None = None, jobs: int = 1
            ) -> tuple[list[tuple[int, float]], str]:
    """For each page, (index of its nearest other page, exact Jaccard): every pair on small
    trees, else the best of its LSH Forest candidates. -1 for a page alone."""
    n = len(sets)
    best: list[tuple[int, float]] = [(-1, 0.0)] * n
    if n <= EXACT_MAX:
        for i in range(n):
            for j in range(i + 1, n):
                s = jaccard(sets[i], sets[j])
                if s > best[i][1] or best[i][0] < 0:
                    best[i] = (j, s)
                if s > best[j][1] or best[j][0] < 0:
                    best[j] = (i, s)
        return best, "exact"
    from datasketch import LeanMinHash, MinHashLSHForest

    global _FOREST
    sigs = np.stack([signature(s) for s in sets]) if sigs is None else sigs
    forest = MinHashLSHForest(num_perm=NUM_PERM)
    for i, sig in enumerate(sigs):
        forest.add(i, LeanMinHash(seed=1, hashvalues=sig, scheme="legacy"))
    forest.index()
    try:
        if jobs <= 1:
            _FOREST = (forest, sigs, sets)
            best = [_neighbour(i) for i in range(n)]
        else:
            with _pool(jobs, _set_forest, (forest, sigs, sets)) as pool:
                best = list(pool.map(_neighbour, range(n), chunksize=512))
    finally:
        _FOREST = None
    return best, "minhash-lsh-forest"


def _set_forest(forest: Any, sigs: np.ndarray, sets: Sequence[np.ndarray]) -> None:
    global _FOREST
    _FOREST = (forest, sigs, sets)


def _pool(jobs: int, initializer: Callable[..., None] | None = None,
          initargs: tuple[Any, ...] = ()) -> Any:
    """The report's worker processes. Started from a fork server (a fresh single-threaded
    process), not forked from the caller: a process forked while another of the caller's
    threads holds a lock (a library caller's, a test runner's) inherits that lock held, and
    a worker that needs it waits for ever. What a worker needs comes by ``initargs``."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("forkserver")
    # the server loads these once; each worker forks from it with them loaded
    context.set_forkserver_preload([__name__, "datasketch"])
    return ProcessPoolExecutor(jobs, mp_context=context, initializer=initializer,
                               initargs=initargs)


# -- the report ---------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Page:
    id: str
    masked: list[tuple[str, str]]  # (kind, masked text) of each unit
    sentences: list[str]  # as written
    shingles: np.ndarray
    signature: np.ndarray | None


def _read_page(item: tuple[str, str], with_signature: bool = True) -> _Page:
    pid, md = item
    mask = masker(title_forms(md))
    us = units(md)
    sh = shingles(md)
    return _Page(pid, [(u.kind, mask(u.text)) for u in us],
                 [u.text for u in us if u.kind == "sentence"], sh,
                 signature(sh) if with_signature else None)


def _read_pages(pages: Sequence[tuple[str, str]], jobs: int) -> list[_Page]:
    big = len(pages) > EXACT_MAX
    if jobs <= 1 or not big:
        return [_read_page(p, big) for p in pages]
    with _pool(jobs) as pool:  # results come back in order
        return list(pool.map(_read_page, pages, chunksize=256))


def analyse(pages: Iterable[tuple[str, str]], *, jobs: int | None = None) -> Report:
    """The report on ``(id, markdown)`` pages, read by ``jobs`` processes (default: one per
    CPU) when there are more than EXACT_MAX of them."""
    read = _read_pages(list(pages), jobs or os.cpu_count() or 1)
    ids = [p.id for p in read]
    masked = [p.masked for p in read]
    raw = [p.sentences for p in read]
    sets = [p.shingles for p in read]
    # every page has a signature, or none has (_read_pages decides for all)
    sigs = (np.stack(cast(list[np.ndarray], [p.signature for p in read]))
            if read and read[0].signature is not None else None)
    del read
    n = len(ids)
    if n == 0:
        raise InputError("no pages to report on")
    on_pages: dict[tuple[str, str], int] = {}
    for page in masked:
        for key in set(page):
            on_pages[key] = on_pages.get(key, 0) + 1
    written: dict[str, int] = {}
    for sentences in raw:
        for s in set(sentences):
            written[s] = written.get(s, 0) + 1
    floor = BOILERPLATE_SHARE * n
    best, method = nearest(sets, sigs, jobs or os.cpu_count() or 1)
    stats = []
    for i, pid in enumerate(ids):
        keys = [k for k in masked[i] if k[0] == "sentence"]
        count = len(keys)
        boiler = sum(on_pages[k] >= floor for k in keys) / count if count else 0.0
        unique = sum(written[s] == 1 for s in raw[i]) / count if count else 0.0
        j, sim = best[i]
        stats.append(PageStats(pid, count, round(boiler, 4), round(unique, 4),
                               ids[j] if j >= 0 else None, round(sim, 4)))
    sims = sorted(p.jaccard for p in stats)
    pairs = sorted({(min(p.id, p.neighbour), max(p.id, p.neighbour), p.jaccard)
                    for p in stats if p.neighbour}, key=lambda t: (-t[2], t[0], t[1]))
    top = sorted(on_pages.items(), key=lambda kv: (-kv[1], kv[0]))
    sentence_top = next((c for (kind, _), c in top if kind == "sentence"), 0)
    return Report(
        pages=n, method=method,
        boilerplate_mean=round(statistics.fmean(p.boilerplate for p in stats), 4),
        unique_mean=round(statistics.fmean(p.unique for p in stats), 4),
        nn_median=round(statistics.median(sims), 4),
        nn_p95=round(sims[min(n - 1, int(0.95 * n))], 4), nn_max=round(sims[-1], 4),
        top_sentence_share=round(sentence_top / n, 4),
        worst_pairs=pairs[:10],
        top=[Line(kind, text, c, round(c / n, 4)) for (kind, text), c in top[:TOP]],
        per_page=stats)


def report_tree(tree: Path, *, jobs: int | None = None) -> Report:
    return analyse(read_tree(tree), jobs=jobs)


# -- output ------------------------------------------------------------------------------------

def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def to_text(r: Report) -> str:
    out = [f"pages: {r.pages} (nearest neighbours: {r.method})",
           f"boilerplate share (masked sentence on >= {BOILERPLATE_SHARE:.0%} of pages): "
           f"mean {_pct(r.boilerplate_mean)}",
           f"unique share (sentence on no other page): mean {_pct(r.unique_mean)}",
           f"nearest-neighbour Jaccard (word {SHINGLE}-shingles): median {r.nn_median:.3f}, "
           f"p95 {r.nn_p95:.3f}, max {r.nn_max:.3f}",
           f"most widespread sentence: on {_pct(r.top_sentence_share)} of pages", "",
           "most similar pairs:"]
    out += [f"  {s:.3f}  {a}  ~  {b}" for a, b, s in r.worst_pairs]
    out += ["", "masked lines on the most pages (kind, pages, share):"]
    out += [f"  {ln.kind:<8} {ln.pages:>6}  {_pct(ln.share):>6}  {ln.text}" for ln in r.top]
    return "\n".join(out) + "\n"


def to_json(r: Report) -> str:
    data = {**r.summary(), "worst_pairs": [list(p) for p in r.worst_pairs],
            "top": [asdict(ln) for ln in r.top], "per_page": [asdict(p) for p in r.per_page]}
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def to_html(r: Report) -> str:
    """A self-contained page (narrator/pages/report.html.j2): the corpus figures, the masked
    lines on the most pages, the most similar pairs and the pages with the most boilerplate."""
    worst = sorted(r.per_page, key=lambda p: (-p.boilerplate, p.id))[:25]
    figures = [("Pages", str(r.pages)), ("Mean boilerplate share", _pct(r.boilerplate_mean)),
               ("Mean unique share", _pct(r.unique_mean)),
               ("Nearest-neighbour Jaccard, median", f"{r.nn_median:.3f}"),
               ("Nearest-neighbour Jaccard, p95", f"{r.nn_p95:.3f}"),
               ("Nearest-neighbour Jaccard, max", f"{r.nn_max:.3f}"),
               ("Most widespread sentence", _pct(r.top_sentence_share))]
    return render_page(
        "report.html.j2", pages=r.pages, method=r.method, job=JOB, number=NUM, name=NAME,
        boilerplate_share=f"{BOILERPLATE_SHARE:.0%}", shingle=SHINGLE, figures=figures,
        top=[(ln.kind, ln.pages, _pct(ln.share), ln.text) for ln in r.top],
        pairs=[(f"{s:.3f}", a, b) for a, b, s in r.worst_pairs],
        boilerplate_pages=[(p.id, p.sentences, _pct(p.boilerplate), _pct(p.unique),
                            f"{p.jaccard:.3f}", p.neighbour or "") for p in worst])

