"""`narrate variants`: every {% variants %} slot of a style's templates, each variant's text,
weight and condition, and, for a tree written by `narrate --all`, how many of its pages use each
variant, with two example page ids (read from the tree's index.jsonl, where each article lists
the variant each slot chose)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .. import files
from ..dataset import style_search_path, template_files
from ..errors import InputError, TemplateError
from ..pages import render_page
from ..render.variants import read


@dataclass
class Variant:
    n: int  # 1-based position
    text: str  # the variant's template source
    weight: int
    condition: str | None
    pages: int = 0
    examples: list[str] = field(default_factory=list)


@dataclass
class Slot:
    name: str
    template: str  # the template's name ("comparison/intro.md.j2")
    file: str
    line: int
    variants: list[Variant]


def slots_in(source: str, template: str, file: str) -> list[Slot]:
    """The slots of one template's source, in order (an outer slot before those in its
    variants), read as the run key reads them (``render.variants.read``). Raises Jinja's
    TemplateSyntaxError for a template whose tags do not nest."""
    reading = read(source)
    return [Slot(found.slot, template, file, found.line,
                 [Variant(n, w.text, w.weight, w.condition)
                  for n, w in enumerate(reading.written(found), 1)])
            for found in reading.slots]


def style_slots(style: str, template_dirs: Sequence[Path] = (), *,
                strict: bool = True) -> list[Slot]:
    """Every slot of the templates a run in ``style`` uses (an override hides what it replaces).
    A template that cannot be read or parsed is a TemplateError, or passed over if not
    ``strict`` (`narrate check` reports it as that template's own problem)."""
    seen: dict[str, Path] = {}
    for found in template_files(style_search_path(style, template_dirs)):
        seen.setdefault(found.name, found.path)
    out: list[Slot] = []
    for name, path in sorted(seen.items()):
        try:
            out += slots_in(files.read_text(path), name, str(path))
        except (OSError, UnicodeDecodeError) as err:
            if strict:
                reason = err.strerror if isinstance(err, OSError) else "not UTF-8"
                raise TemplateError(f"cannot read: {reason}", file=str(path)) from None
        except jinja2.TemplateSyntaxError as err:
            if strict:
                raise TemplateError(f"line {err.lineno}: {err.message}", file=str(path)) from None
    return out


def count_tree(slots: list[Slot], tree: Path) -> int:
    """Fill each variant's page count and two example ids from ``tree``/index.jsonl; the
    number of articles read."""
    index = tree / "index.jsonl"
    try:
        lines = files.read_text(index).splitlines()
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror} (expected a tree written by "
                         f"narrate --all)", file=str(index)) from None
    by_name = {s.name: {v.n: v for v in s.variants} for s in slots}
    articles = 0
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if not isinstance(entry, dict) or "id" not in entry:
            continue  # a redirect
        articles += 1
        chosen = entry.get("variants") or {}
        if not isinstance(chosen, dict):
            continue  # a damaged line: passed over, as --all passes over it
        used = {(name.split(".")[0], n) for name, n in chosen.items()
                if isinstance(name, str) and isinstance(n, int)}
        for slot, n in sorted(used):
            variant = by_name.get(slot, {}).get(n)
            if variant is not None:
                variant.pages += 1
                if len(variant.examples) < 2:
                    variant.examples.append(entry["id"])
    return articles


def to_text(slots: list[Slot], articles: int | None) -> str:
    out = []
    for s in slots:
        out.append(f"{s.name}  ({s.template}:{s.line}, {len(s.variants)} variants)")
        for v in s.variants:
            meta = f"weight {v.weight}" + (f", if {v.condition}" if v.condition else "")
            usage = "" if articles is None else \
                f", {v.pages} pages" + (f" (e.g. {', '.join(v.examples)})" if v.examples else "")
            out.append(f"  {v.n}. [{meta}{usage}] {v.text}")
        out.append("")
    total = sum(len(s.variants) for s in slots)
    out.append(f"{len(slots)} slots, {total} variants" +
               ("" if articles is None else f"; {articles} articles read"))
    return "\n".join(out) + "\n"


def to_html(slots: list[Slot], articles: int | None) -> str:
    """A self-contained review page (narrator/pages/variants.html.j2): each slot's variants,
    with their page counts and examples when ``articles`` were read from a tree."""
    return render_page("variants.html.j2", slots=slots, articles=articles,
                       counted=articles is not None)
