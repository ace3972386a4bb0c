"""The per-item pipeline of a run: read a record (or skip it, unchanged), render it in its
data set's style, write its files atomically, and return its index lines."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import schema
from ..api import renderer_for
from ..article import chart_file
from ..dataset import DEFAULT_STYLE
from ..errors import NarratorError, OutputError
from ..formats import EXTENSIONS, FORMATS
from ..frontmatter import markdown_with_front_matter
from ..markdown import unescape
from ..related import RelatedIndex, read_related
from ..render import slots
from ..render.limits import TooSlow, alarm, limited, memory, too_big
from ..render.renderer import Renderer
from ..sources import Chunk, Resolver, digest
from ..writers import encode, write_atomic
from .index import redirect_line, usable_entry
from .keys import run_keys

if TYPE_CHECKING:
    from .runner import Options


class Worker:
    """Per-process state: the run's renderers (from ``api.renderer_for``, the one cache of
    compiled templates) and one resolver for the whole run."""

    def __init__(self, opts: Options, key: bytes, styles: Sequence[str] = (),
                 table: dict[str, tuple[str, ...]] | None = None,
                 only: frozenset[str] | None = None) -> None:
        self.opts = opts
        self.resolver = Resolver(key)
        self.only = only  # the run's --only ids: related pages link only among them
        self._related: dict[str, RelatedIndex] = {}  # by profile set (see ``related``)
        # slot -> each variant's body hash, as the key was made (see run_keys)
        self.table = run_keys(opts)[1] if table is None else table
        # Made here, they fail early on a bad locale or template, and workers forked from
        # this process inherit them compiled.
        with limited(opts.time_limit, "compiling the templates", opts.memory_limit):
            for style in [opts.style] if opts.style else [*styles] or [DEFAULT_STYLE]:
                self.renderer_for(style)
        self.names: frozenset[str] = frozenset()  # what --out holds (see `narrate_all`)
        # Set to 1 when the run is interrupted (see ``pool``): read before each article
        self.stop: Any = None

    def renderer_for(self, style: str) -> Renderer:
        opts = self.opts
        return renderer_for(opts.locale, tuple(map(Path, opts.template_dirs)), style,
                            opts.variation)

    def related(self, folder: str) -> RelatedIndex:
        """The related-pages index of a profile set in this run, read once (in the main
        process before the workers fork, see ``narrate_all``)."""
        found = self._related.get(folder)
        if found is None:
            found = self._related[folder] = read_related(Path(folder), self.resolver.jobs(folder),
                                                         self.only)
        return found

    def run(self, chunk: Chunk, old: dict[str, str]) -> tuple[list[str], int, list[str]]:
        """Render a chunk; returns (index lines, skipped count, error messages). ``old`` has
        the previous index line of each item that had one."""
        kind, path, items = chunk
        lines: list[str] = []
        errors: list[str] = []
        skipped = 0
        with alarm(self.opts.time_limit) as limit, memory(self.opts.memory_limit):
            for where, text in items:
                if self.stop is not None and self.stop.value:  # interrupted: the index is
                    break                              # not written, so stop here
                try:
                    with limit():
                        item_lines, unchanged = self._one(kind, path, where, text, old)
                    lines.extend(item_lines)
                    skipped += unchanged
                except TooSlow:
                    errors.append(f"{path}: {where}: took more than {self.opts.time_limit:g} s "
                                  f"to render (a template that loops?); skipped")
                except MemoryError:
                    errors.append(f"{path}: {where}: {too_big(self.opts.memory_limit)}; skipped")
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
            key = self._with_related(kind, path, rid, key)
            prev = usable_entry(old[rid], self.names)
            if prev is not None and prev["key"] == key and prev.get("id") == rid and \
                    self._same_variants(prev):
                try:
                    earlier = () if aliases is None else schema.to_aliases(
                        aliases, file=path, record=rid)
                    redirects = [redirect_line(old_id, rid) for old_id in earlier]
                except NarratorError:
                    pass  # rendered below, where the error is reported
                else:
                    return [old[rid], *redirects], True
        rec, key = self.resolver.comparison(kind, path, where, text)
        key = self._with_related(kind, path, rec.id, key)
        related = self.related(path).links(rec.id) if kind == "pairs" else ()
        # A redirect has no "id": readers of the index that look up articles pass over it.
        redirects = [redirect_line(old_id, rec.id) for old_id in rec.aliases or ()]
        dataset = self.resolver.dataset(kind, path)[0]
        article = self.renderer_for(self.opts.style or dataset.style).render(rec, dataset, related)
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
        entry: dict[str, object] = {"id": rec.id, "slug": article.slug,
                                    "title": unescape(article.title), "files": files, "key": key}
        if article.related:  # the slugs it links to (a publisher links only those it has)
            entry["related"] = [x.slug for x in article.related]
        if article.variants:  # which {% variants %} each slot chose: `narrate variants OUT`
            variants = dict(article.variants)
            entry["variants"] = variants
            entry["vkey"] = slots.vkey(variants, self.table)  # their bodies' hash
        return [json.dumps(entry, ensure_ascii=False), *redirects], False

    def _with_related(self, kind: str, path: str, rid: str, key: str) -> str:
        """The input key with the page's related links in it: a page whose links change is
        rendered again (one without links keeps the key it had)."""
        links = self.related(path).key(rid) if kind == "pairs" else b""
        return digest(key.encode(), links) if links else key

    def _same_variants(self, prev: dict) -> bool:
        """Whether the variant bodies an old entry's page chose are as they were. The key
        leaves them out; an entry that chose none (the seed style) has neither field, and one
        with choices but no vkey (an older index, a hand edit) is rendered again."""
        if "variants" not in prev and "vkey" not in prev:
            return True
        found = prev.get("vkey")
        return isinstance(found, str) and found == slots.vkey(prev.get("variants"), self.table)
