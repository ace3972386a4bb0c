"""What ``narrate serve`` shows, without the web: the data sets' articles rendered as
``narrate --all`` renders them, kept up to date with the files, and what an edit changed.

No second rendering path: an article is ``Renderer.render(record, dataset, related)`` and its
formats are ``formats.FORMATS``, the calls ``batch.worker`` makes, with the related links of the
whole data set (a run without ``--only``). ``tests/serve`` compares the preview with an
``--all`` tree byte for byte.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from .. import formats, schema
from ..article import Article
from ..dataset import Dataset
from ..errors import NarratorError
from ..related import RelatedIndex, read_related
from ..render.renderer import Renderer
from ..review.diff.changes import article_changes, edit_text
from ..review.variants import Slot, style_slots
from ..sources import Resolver, discover, iter_chunks


@dataclass
class Item:
    """One article of the data: its record and where it comes from."""

    id: str
    record: schema.Comparison
    dataset: Dataset
    folder: str  # its profile set's folder, "" for a standalone record
    source: str  # the file (or profile set) it was read from

    @property
    def names(self) -> str:
        return f"{self.record.a.title} {self.record.b.title} {self.id}".lower()

    @property
    def hourly_only(self) -> bool:
        return any(job.salary is None and job.hourly_rate is not None
                   for job in (self.record.a, self.record.b))


@dataclass
class Rendered:
    article: Article | None
    error: str = ""  # a template or record error, one line, as `check` words it


@dataclass
class Change:
    id: str
    edits: list[str] = field(default_factory=list)  # each distinct edit, in words


class Preview:
    """The articles of ``data`` in ``style`` (default: each data set's own) and ``locale``,
    with ``templates`` searched first; ``reload()`` after files change."""

    def __init__(self, data: list[Path], templates: list[Path] | None = None,
                 style: str | None = None, locale: str = "en_US") -> None:
        self.data, self.templates = list(data), list(templates or [])
        self.style, self.locale = style, locale
        self.lock = threading.RLock()
        self.version = 0  # bumped on every reload: pages and the browser compare it
        self.items: dict[str, Item] = {}
        self.errors: list[str] = []  # records that can't be read
        self._renderers: dict[tuple[str, str], Renderer | str] = {}
        self._related: dict[str, RelatedIndex] = {}
        self._rendered: dict[tuple[str, str], Rendered] = {}
        self.baseline: dict[str, str | Rendered] = {}  # id -> its Markdown at the start
        self.changes: list[Change] = []
        self.changes_at = 0  # the version ``changes`` describes
        self.load()

    # -- data ------------------------------------------------------------------------------

    def load(self) -> None:
        """Read every record of the data folders (again)."""
        items: dict[str, Item] = {}
        errors: list[str] = []
        resolver = Resolver()
        try:
            sources = discover(self.data)
        except NarratorError as err:
            sources, errors = [], [str(err)]
        for chunk in iter_chunks(sources):
            kind, path = chunk[0], chunk[1]
            for where, text in chunk[2]:
                try:
                    rec, _ = resolver.comparison(kind, path, where, text)
                    dataset = resolver.dataset(kind, path)[0]
                except NarratorError as err:
                    errors.append(str(err))
                    continue
                if rec.id not in items:  # the first of a repeated id, as --all keeps it
                    items[rec.id] = Item(rec.id, rec, dataset,
                                         path if kind == "pairs" else "", path)
        related = {}
        for folder in {i.folder for i in items.values() if i.folder}:
            related[folder] = read_related(Path(folder), resolver.jobs(folder))
        with self.lock:
            self.items, self.errors, self._related = items, errors, related
            self._rendered.clear()

    def search(self, query: str = "", style: str = "", fact: str = "",
               variant: str = "") -> list[Item]:
        """Items whose job titles or id hold every word of ``query``, in ``style``, with the
        ``fact`` (``hourly-only``, ``withheld``) and the ``variant`` (``slot=n``) chosen."""
        words = query.lower().split()
        found = []
        for item in self.items.values():
            if words and not all(w in item.names for w in words):
                continue
            if style and self.style_of(item) != style:
                continue
            if fact == "hourly-only" and not item.hourly_only:
                continue
            if fact or variant:
                done = self.render(item.id)
                art = done.article
                if art is None:
                    continue
                if fact == "withheld" and "not named" not in art.markdown():
                    continue
                if variant and variant not in {f"{s.split('.')[0]}={n}" for s, n in art.variants}:
                    continue
            found.append(item)
        return found

    # -- rendering -------------------------------------------------------------------------

    def style_of(self, item: Item) -> str:
        return self.style or item.dataset.style

    def renderer(self, style: str, locale: str) -> Renderer | str:
        """The renderer for ``style`` and ``locale``, or the template error that stops one."""
        key = (style, locale)
        with self.lock:
            if key not in self._renderers:
                try:
                    self._renderers[key] = Renderer(locale=locale, template_dirs=self.templates,
                                                    style=style)
                except NarratorError as err:
                    self._renderers[key] = str(err)
            return self._renderers[key]

    def render(self, rid: str, locale: str | None = None) -> Rendered:
        locale = locale or self.locale
        with self.lock:
            hit = self._rendered.get((rid, locale))
            if hit is not None:
                return hit
            item = self.items[rid]
            renderer = self.renderer(self.style_of(item), locale)
            if isinstance(renderer, str):
                done = Rendered(None, renderer)
            else:
                related = (self._related[item.folder].links(rid) if item.folder else ())
                try:
                    done = Rendered(renderer.render(item.record, item.dataset, related))
                except NarratorError as err:
                    err.file = err.file or item.source
                    done = Rendered(None, str(err))
            self._rendered[(rid, locale)] = done
            return done

    def formats(self, rid: str, locale: str | None = None) -> dict[str, str]:
        """The article in every format ``--all`` writes (empty when it can't be rendered)."""
        art = self.render(rid, locale).article
        return {} if art is None else {fmt: fn(art) for fmt, fn in formats.FORMATS.items()}

    # -- files changed ---------------------------------------------------------------------

    def reload(self, data_changed: bool = True) -> None:
        """Templates or data changed: drop what was rendered (and reread the data)."""
        with self.lock:
            self._renderers.clear()
            self._rendered.clear()
            if data_changed:
                self.load()
            self.version += 1

    def markdown_of_all(self) -> dict[str, str | Rendered]:
        """Each article's Markdown, or what stops it from rendering."""
        out: dict[str, str | Rendered] = {}
        for rid in list(self.items):
            done = self.render(rid)
            out[rid] = done.article.markdown() if done.article is not None else done
        return out

    def start_baseline(self, tree: Path | None = None) -> None:
        """What every article says now, or in ``tree`` (an earlier ``--all`` run's output,
        its ``.md`` files as its index lists them): ``changes`` are counted against it."""
        if tree is None:
            self.baseline = self.markdown_of_all()
        else:
            from ..review.report import read_tree

            self.baseline = dict(read_tree(tree))
            self.compare()
        self.changes_at = self.version

    def slots(self, style: str) -> list[Slot]:
        """The ``{% variants %}`` slots of ``style``'s templates (an unreadable one left out)."""
        return style_slots(style, self.templates, strict=False)

    def variant_counts(self) -> tuple[list[Slot], int]:
        """Every slot of the styles in use, each variant with its pages and two examples."""
        styles = sorted({self.style_of(i) for i in self.items.values()})
        slots = [slot for style in styles for slot in self.slots(style)]
        by_name = {s.name: {v.n: v for v in s.variants} for s in slots}
        articles = 0
        for rid in list(self.items):
            art = self.render(rid).article
            if art is None:
                continue
            articles += 1
            for slot, n in sorted({(name.split(".")[0], n) for name, n in art.variants}):
                variant = by_name.get(slot, {}).get(n)
                if variant is not None:
                    variant.pages += 1
                    if len(variant.examples) < 2:
                        variant.examples.append(rid)
        return slots, articles

    def compare(self) -> list[Change]:
        """The articles whose Markdown differs from the baseline, with each edit in words."""
        version = self.version
        now = self.markdown_of_all()
        changes = []
        for rid in sorted(now.keys() | self.baseline.keys()):
            old, new = self.baseline.get(rid), now.get(rid)
            if old == new:
                continue
            if old is None or new is None:
                changes.append(Change(rid, ["added" if old is None else "removed"]))
                continue
            if isinstance(new, Rendered) or isinstance(old, Rendered):
                changes.append(Change(rid, [f"cannot be rendered: {new.error}"
                                            if isinstance(new, Rendered) else "renders again"]))
                continue
            key, _ = article_changes(old, new)
            changes.append(Change(rid, [edit_text(key)]))
        with self.lock:
            self.changes, self.changes_at = changes, version
        return changes

