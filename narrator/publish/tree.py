"""The output tree as publishing sees it: one entry per article of ``index.jsonl``.

An entry carries what a sync decides with, without opening the article: its id and slug, the
``key`` of its inputs, the sha256 of its JSON file (the published post is a function of that
file, so an unchanged hash means an unchanged post) and its earlier ids (redirect lines).
The JSON file itself is read only for articles that are to be written.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import files
from ..batch.index import INDEX
from . import PublishError


@dataclass
class Entry:
    id: str
    slug: str
    title: str
    key: str
    path: Path  # the JSON article
    sha256: str
    aliases: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)  # the slugs its related links go to
    links: list[str] = field(default_factory=list)  # ... those that are posts (``plan``)


def read_tree(out: Path) -> list[Entry]:
    """Every article of the tree at ``out``, in index order, with its aliases."""
    index = out / INDEX
    try:
        lines = files.read_text(index).splitlines()
    except FileNotFoundError:
        raise PublishError("no index.jsonl: render the articles first (narrate --all "
                           "--format json --out DIR)", file=str(out)) from None
    except (OSError, UnicodeDecodeError) as err:
        raise PublishError(f"cannot read: {getattr(err, 'strerror', None) or err}",
                           file=str(index)) from None
    entries: dict[str, Entry] = {}
    slugs: dict[str, str] = {}
    for n, line in enumerate(lines, 1):
        where = f"{index}:{n}"
        try:
            item = json.loads(line)
        except ValueError:
            raise PublishError("not a JSON line (a damaged index: run narrate --all again)",
                               file=where) from None
        if not isinstance(item, dict):
            raise PublishError("not a JSON object", file=where)
        if "redirect" in item:
            target = entries.get(str(item.get("to")))
            if target is not None and isinstance(item["redirect"], str):
                target.aliases.append(item["redirect"])
            continue
        entry = _entry(out, item, where)
        if entry.slug in slugs:
            raise PublishError(f"slug '{entry.slug}' is used by two articles: {slugs[entry.slug]} "
                               f"and {entry.id}", file=where)
        slugs[entry.slug] = entry.id
        entries[entry.id] = entry
    return list(entries.values())


def _entry(out: Path, item: dict[str, Any], where: str) -> Entry:
    rid, slug, key = item.get("id"), item.get("slug"), item.get("key")
    if not (isinstance(rid, str) and rid and isinstance(slug, str) and slug
            and isinstance(key, str) and key):
        raise PublishError("an index line needs id, slug and key", file=where)
    files = item.get("files")
    if not isinstance(files, list):
        files = []
    found = [f for f in files if isinstance(f, dict) and f.get("format") == "json"]
    if not found or not isinstance(found[0].get("path"), str):
        raise PublishError(f"{rid}: no JSON article in the tree (render with --format json)",
                           file=where)
    name = found[0]["path"]
    if "/" in name or name.startswith("."):
        raise PublishError(f"{rid}: not a file name in the tree: {name!r}", file=where)
    related = item.get("related")
    return Entry(id=rid, slug=slug, title=str(item.get("title", "")), key=key,
                 path=out / name, sha256=str(found[0].get("sha256", "")),
                 related=[s for s in related if isinstance(s, str)]
                 if isinstance(related, list) else [])


def read_article(entry: Entry) -> dict[str, Any]:
    """The entry's JSON article, checked against the index's sha256 (a tree changed since it
    was indexed is not published half old, half new)."""
    try:
        raw = files.read_bytes(entry.path)
    except OSError as err:
        raise PublishError(f"cannot read: {err.strerror} (run narrate --all again)",
                           file=str(entry.path)) from None
    if hashlib.sha256(raw).hexdigest() != entry.sha256:
        raise PublishError("changed since index.jsonl was written (run narrate --all again)",
                           file=str(entry.path))
    try:
        article = json.loads(raw)
    except ValueError:
        raise PublishError("not JSON", file=str(entry.path)) from None
    if not isinstance(article, dict) or article.get("slug") != entry.slug:
        raise PublishError(f"its slug does not match index.jsonl ('{entry.slug}')",
                           file=str(entry.path))
    return article
