"""`narrate variants`: every {% variants %} slot of a style's templates, each variant's text,
weight and condition, and, for a tree written by `narrate --all`, how many of its pages use each
variant, with two example page ids (read from the tree's index.jsonl, where each article lists
the variant each slot chose)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..dataset import STYLES, style_dirs
from ..errors import NarratorError, TemplateError
from ..pages import render_page
from ..render.environment import BUILTIN_TEMPLATES

_TAG = re.compile(r"\{%[-+]?\s*(variants|or|endvariants)\b(.*?)[-+]?%\}", re.DOTALL)
_SLOT = re.compile(r'\s*"([^"]*)"(.*)', re.DOTALL)
_WEIGHT = re.compile(r"\bweight\s*=\s*(\d+)")
_COND = re.compile(r"\bif\s+(.+)$", re.DOTALL)


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
    """The slots of one template's source, in order."""
    found: list[Slot] = []
    current: Slot | None = None
    start = 0
    options = ""
    for m in _TAG.finditer(source):
        tag, rest = m.group(1), m.group(2)
        if current is not None:
            body = source[start:m.start()].strip("\n")
            weight = _WEIGHT.search(options)
            cond = _COND.search(options.strip())
            current.variants.append(Variant(len(current.variants) + 1, body,
                                            int(weight.group(1)) if weight else 1,
                                            cond.group(1).strip() if cond else None))
        if tag == "variants":
            slot = _SLOT.match(rest)
            name, options = (slot.group(1), slot.group(2)) if slot else (rest.strip(), "")
            current = Slot(name, template, file, source.count("\n", 0, m.start()) + 1, [])
        elif tag == "or" and current is not None:
            options = rest
        elif tag == "endvariants" and current is not None:
            found.append(current)
            current = None
        start = m.end()
    return found


def style_slots(style: str, template_dirs: Sequence[Path] = ()) -> list[Slot]:
    """Every slot of the templates a run in ``style`` uses (an override hides what it replaces)."""
    dirs = [*template_dirs, *style_dirs(style), BUILTIN_TEMPLATES]
    seen: dict[str, Path] = {}
    for d in dirs:
        for path in sorted(Path(d).rglob("*.j2")):
            name = path.relative_to(d).as_posix()
            if d == BUILTIN_TEMPLATES and "/" in name and name.split("/")[0] in STYLES:
                continue  # another style's folder
            seen.setdefault(name, path)
    out: list[Slot] = []
    for name, path in sorted(seen.items()):
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            reason = err.strerror if isinstance(err, OSError) else "not UTF-8"
            raise TemplateError(f"cannot read: {reason}", file=str(path)) from None
        out += slots_in(source, name, str(path))
    return out


def count_tree(slots: list[Slot], tree: Path) -> int:
    """Fill each variant's page count and two example ids from ``tree``/index.jsonl; the
    number of articles read."""
    index = tree / "index.jsonl"
    try:
        lines = index.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise NarratorError(f"cannot read: {err.strerror} (expected a tree written by "
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
        used = {(name.split(".")[0], n) for name, n in (entry.get("variants") or {}).items()}
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
