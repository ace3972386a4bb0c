"""`narrate publish wordpress`: sync a rendered tree into a WordPress site over its REST API.

One post per article, matched by slug and marked with narrator's post meta (``narrator_id``,
``narrator_key``, ``narrator_hash``; registered by ``wordpress/narrator.php``, the companion
mu-plugin). The sync is planned from one listing of the site's posts:

- no post has the slug: **create** (a slug WordPress changed to ``slug-2`` in a race is undone
  and reported as a conflict);
- narrator's post for the article: **unchanged** when its ``narrator_hash`` (the JSON file's
  sha256 + the publishing options) is the same, else **update**;
- a post narrator did not make holds the slug: a **conflict**, reported, never touched;
- the article was renamed (its old id is an alias) and narrator's post for the old id is
  still there: that post is **renamed** to the new slug (WordPress keeps the old slug and
  redirects it), and every alias is stored as an old slug of the post;
- ``prune``: narrator's posts whose articles are gone are **trashed** (never deleted).

Writes go through ``/batch/v1`` in batches of the server's own limit. A batch that fails in a
way that may pass is retried after listing the site again, so a retry never creates twice; a
run killed half way is finished by running it again.
"""

from __future__ import annotations

import hashlib
import html
import re
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .http import Client
from .links import site_links
from .site import Post, Site, body_message
from .tree import Entry, read_article, read_tree

# Bump when what a post is made of changes (its content, its meta): every post is rewritten.
PAYLOAD_VERSION = "3"


@dataclass(frozen=True)
class Settings:
    url: str
    user: str
    password: str
    status: str | None = None  # None: new posts as drafts, existing ones keep theirs
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    prune: bool = False
    dry_run: bool = False
    batch_size: int | None = None  # None: the server's own limit
    timeout: float = 60.0
    retries: int = 5
    parallel: int = 2  # batches in flight at once
    allow_http: bool = False  # plain http to a host that is not this machine


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    renamed: int = 0
    unchanged: int = 0
    trashed: int = 0
    keys: int = 0  # unchanged posts whose narrator_key (the inputs' hash) was refreshed
    status_changes: Counter[str] = field(default_factory=Counter)  # "draft -> publish": n
    conflicts: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False

    def line(self) -> str:
        verb = "would be " if self.dry_run else ""
        renamed = f" ({self.renamed} renamed)" if self.renamed else ""
        changes = ", ".join(f"{n} {change}" for change, n in sorted(self.status_changes.items()))
        status = f" (status: {changes})" if changes else ""
        # A key refresh writes one meta field, not the post: it counts as unchanged.
        keys = f" ({self.keys} {verb}given the new inputs' key)" if self.keys else ""
        return (f"{self.created} {verb}created, {self.updated} {verb}updated{renamed}{status}, "
                f"{self.unchanged + self.keys} unchanged{keys}, {self.trashed} {verb}trashed, "
                f"{len(self.conflicts)} conflicts, {len(self.failed)} failed")


@dataclass
class Op:
    kind: str  # create | update | rename | key (meta only) | trash
    entry: Entry | None
    post: Post | None = None


DEFAULT_STATUS = "draft"


def publish_hash(entry: Entry, settings: Settings) -> str:
    """What a post is made of, as one hash: the JSON article (its sha256 in the index) and the
    options that shape the post. Equal hashes: no content to write. The status is not part of
    it: a post's own status is compared with ``--status`` where one is given."""
    parts = [PAYLOAD_VERSION, entry.sha256, "|".join(sorted(settings.categories)),
             "|".join(sorted(settings.tags)), ",".join(entry.aliases)]
    if entry.related:  # its links go to the site's posts, of the articles linked to
        parts += [settings.url.rstrip("/"), ",".join(entry.links)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


_WRAPPER = re.compile(r"\A<article>\n<h1>.*?</h1>\n(.*)</article>\n?\Z", re.S)


def post_content(article: dict[str, Any], entry: Entry | None = None, url: str = "") -> str:
    """The article's HTML body without its <article> wrapper and H1 (the theme shows the
    title), as one Custom HTML block: WordPress then leaves it as it is (no wpautop, which
    would break the inline SVG chart with <br> and <p> tags). Related links go to the site's
    posts of ``entry.links`` (see ``links``)."""
    html = str(article.get("body_html", ""))
    m = _WRAPPER.match(html)
    body = m.group(1) if m else html
    if entry is not None and entry.related:
        body = site_links(body, entry.related, set(entry.links), url)
    body = body.replace("[", "&#91;")  # no [shortcode] in record text runs on the site
    return f"<!-- wp:html -->\n{body}<!-- /wp:html -->"


def inert(text: str) -> str:
    """Plain text as WordPress stores and themes print it: ``<``, ``>`` and ``&`` as entities
    (an editor's or admin's field is stored unfiltered, and themes print titles as they are),
    and ``[`` as ``&#91;``, so no shortcode in record text is live."""
    return html.escape(text, quote=False).replace("[", "&#91;")


def payload(entry: Entry, article: dict[str, Any], settings: Settings, terms: dict[str, list[int]],
            status: str) -> dict[str, Any]:
    # Every field WordPress keeps as HTML gets record text made inert (``inert``); the body
    # is narrator's HTML (record text escaped), with shortcode brackets made inert too.
    plain_title = str(article.get("title", entry.title))
    title = inert(plain_title)
    seo_title = inert(str(article.get("seo_title") or plain_title))
    description = inert(str(article.get("meta_description", "")))
    return {
        "title": title, "slug": entry.slug, "status": status,
        "content": post_content(article, entry, settings.url), "excerpt": description,
        "categories": terms["categories"], "tags": terms["tags"],
        "meta": {
            "narrator_id": entry.id, "narrator_key": entry.key,
            "narrator_hash": publish_hash(entry, settings),
            "narrator_aliases": ",".join(entry.aliases),
            "narrator_seo_title": seo_title, "narrator_description": description,
            "_yoast_wpseo_title": seo_title, "_yoast_wpseo_metadesc": description,
            "rank_math_title": seo_title, "rank_math_description": description,
        },
    }


LIVE = ("publish", "future", "draft", "pending", "private")


def plan(entries: list[Entry], posts: list[Post], settings: Settings,
         report: Report) -> list[Op]:
    """What to write. Unchanged articles and conflicts go straight into ``report``."""
    ours: dict[str, Post] = {}
    by_slug: dict[str, list[Post]] = {}
    for p in posts:
        if p.narrator_id and p.narrator_id not in ours:  # the oldest post for an id wins
            ours[p.narrator_id] = p
        if p.status in LIVE and p.slug:
            by_slug.setdefault(p.slug, []).append(p)
    wanted = {e.id for e in entries}
    taken: set[int] = set()  # posts renamed by this plan
    ops = []

    def holders(e: Entry) -> list[Post]:  # posts other than narrator's own with its slug
        post = ours.get(e.id)
        return [p for p in by_slug.get(e.slug, ()) if post is None or p.id != post.id]

    def rewrite(kind: str, e: Entry, post: Post) -> None:  # counting a status it changes
        ops.append(Op(kind, e, post))
        new = status_of(post, settings)
        if post.status not in ("trash", new):
            report.status_changes[f"{post.status} -> {new}"] += 1

    # Related links go only to articles of this tree that get a post (not those in conflict).
    linkable = {e.slug for e in entries if not holders(e)}
    for e in entries:
        e.links = [slug for slug in e.related if slug in linkable]
    for e in entries:
        post = ours.get(e.id)
        if held := holders(e):
            who = held[0]
            whose = (f"narrator's post for '{who.narrator_id}'" if who.narrator_id
                     else "a post narrator did not make")
            report.conflicts.append(f"{e.slug}: post {who.id} ({who.status}) holds this slug, "
                                    f"{whose}; left alone, article not published")
            continue
        if post is None:
            old = next((ours[a] for a in e.aliases if a in ours and a not in wanted
                        and ours[a].id not in taken), None)
            if old is not None:
                taken.add(old.id)
                rewrite("rename", e, old)
            else:
                ops.append(Op("create", e))
        elif (post.narrator_hash == publish_hash(e, settings) and post.slug == e.slug
              and post.status == status_of(post, settings)):
            if post.narrator_key is not None and post.narrator_key != e.key:
                ops.append(Op("key", e, post))  # same post, new inputs' key: meta only
            else:
                report.unchanged += 1
        else:
            rewrite("update", e, post)
    gone = [p for nid, p in sorted(ours.items())
            if nid not in wanted and p.status != "trash" and p.id not in taken]
    if settings.prune:
        ops += [Op("trash", None, p) for p in gone]
    elif gone:
        report.notes.append(f"{len(gone)} post(s) narrator made have no article in the tree "
                            f"(--prune trashes them)")
    return ops


def status_of(post: Post | None, settings: Settings) -> str:
    """The status a post gets: ``--status`` where given; else a new (or trashed) post a
    draft, and an existing one keeps its own (a re-sync never unpublishes a site)."""
    if settings.status is not None:
        return settings.status
    if post is None or post.status == "trash":
        return DEFAULT_STATUS
    return post.status


def publish_wordpress(out: Path, settings: Settings, *,
                      progress: Callable[[int], None] | None = None,
                      client: Client | None = None,
                      on_plan: Callable[[int], None] | None = None) -> Report:
    """Sync the tree at ``out`` into the site; returns what was done. ``on_plan`` hears how
    many writes there are, ``progress`` how many more are done."""
    entries = read_tree(out)
    site = Site(client or Client(settings.url, settings.user, settings.password,
                                 timeout=settings.timeout, retries=settings.retries,
                                 allow_http=settings.allow_http))
    site.check()
    report = Report(dry_run=settings.dry_run)
    ops = plan(entries, site.posts(), settings, report)
    if on_plan is not None:
        on_plan(len(ops))
    if settings.dry_run:
        _count_dry(ops, report)
        return report
    terms = {"categories": site.terms("categories", settings.categories, create=True),
             "tags": site.terms("tags", settings.tags, create=True)}
    size = max(1, min(settings.batch_size or site.batch_size, site.batch_size))
    chunks = [ops[i:i + size] for i in range(0, len(ops), size)]
    _apply(chunks, site, settings, terms, report, progress,
           parallel=1 if client is not None else settings.parallel)
    return report


def _apply(chunks: list[list[Op]], site: Site, settings: Settings, terms: dict[str, list[int]],
           report: Report, progress: Callable[[int], None] | None, *, parallel: int) -> None:
    """Send the batches, ``parallel`` at a time (each thread with its own connection)."""
    lock = threading.Lock()
    if parallel <= 1:
        sync = _Sync(site, settings, terms, report, lock)
        for chunk in chunks:
            sync.run(chunk)
            if progress is not None:
                progress(len(chunk))
        return
    local = threading.local()

    def work(chunk: list[Op]) -> int:
        if not hasattr(local, "sync"):
            own = Site(Client(settings.url, settings.user, settings.password,
                              timeout=settings.timeout, retries=settings.retries,
                              allow_http=settings.allow_http))
            local.sync = _Sync(own, settings, terms, report, lock)
        local.sync.run(chunk)
        return len(chunk)

    pool = ThreadPoolExecutor(max_workers=parallel)
    try:
        pending = {pool.submit(work, chunk) for chunk in chunks}
        while pending:
            done, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in done:
                n = future.result()  # a PublishError stops the run (the rest is cancelled)
                if progress is not None:
                    progress(n)
    finally:  # on an error or Ctrl-C: batches under way finish, the others are not sent
        pool.shutdown(wait=True, cancel_futures=True)


def _count_dry(ops: list[Op], report: Report) -> None:
    for op in ops:
        if op.kind == "create":
            report.created += 1
        elif op.kind == "trash":
            report.trashed += 1
        elif op.kind == "key":
            report.keys += 1
        else:
            report.updated += 1
            report.renamed += op.kind == "rename"


class _Sync:
    """Applies planned writes, one batch at a time."""

    def __init__(self, site: Site, settings: Settings, terms: dict[str, list[int]],
                 report: Report, lock: threading.Lock) -> None:
        self.site, self.settings, self.terms, self.report = site, settings, terms, report
        self.lock = lock  # the report is shared by the threads that send batches
        self.chart_checked = False

    def run(self, ops: list[Op]) -> None:
        state = {"ops": ops}

        def attempt() -> list[tuple[int, Any]]:
            return self.site.batch([self._request(op) for op in state["ops"]])

        def replan() -> None:  # the batch may have been applied: look before writing again
            entries = [op.entry for op in state["ops"] if op.entry is not None]
            trash = {op.post.id for op in state["ops"] if op.kind == "trash" and op.post}
            scratch = Report()
            posts = self.site.posts()
            fresh = plan(entries, posts, replace(self.settings, prune=False), scratch)
            with self.lock:
                self.report.unchanged += scratch.unchanged
                self.report.conflicts += scratch.conflicts
            fresh += [Op("trash", None, p) for p in posts if p.id in trash and p.status != "trash"]
            state["ops"] = fresh

        results = self.site.client.retrying(attempt, what="POST /batch/v1", between=replan)
        with self.lock:
            undo = self._record(state["ops"], results)
        if undo:
            self.site.client.retrying(lambda: self.site.batch(undo), what="POST /batch/v1")

    def _request(self, op: Op) -> dict[str, Any]:
        fields = "?_fields=id,slug,status"
        if op.kind == "trash":
            assert op.post is not None
            return {"method": "DELETE", "path": f"/wp/v2/posts/{op.post.id}{fields}"}
        assert op.entry is not None
        if op.kind == "key":  # the post as it is; its inputs' key refreshed
            assert op.post is not None
            return {"method": "POST", "path": f"/narrator/v1/posts/{op.post.id}/key",
                    "body": {"key": op.entry.key}}
        body = payload(op.entry, read_article(op.entry), self.settings, self.terms,
                       status_of(op.post, self.settings))
        if op.kind == "create":
            return {"method": "POST", "path": f"/wp/v2/posts{fields}", "body": body}
        assert op.post is not None
        return {"method": "POST", "path": f"/wp/v2/posts/{op.post.id}{fields}", "body": body}

    def _record(self, ops: list[Op], results: list[tuple[int, Any]]) -> list[dict[str, Any]]:
        """Count what was done; returns the deletes that undo posts WordPress renamed."""
        undo = []
        for op, (status, body) in zip(ops, results):
            name = op.entry.slug if op.entry else (op.post.slug if op.post else "?")
            if status not in (200, 201):
                self.report.failed.append(f"{name}: HTTP {status}: {body_message(body)}")
                continue
            if (op.entry is not None and isinstance(body, dict)
                    and body.get("slug") != op.entry.slug):
                # WordPress made the slug unique (a post took it since we listed): undo ours.
                undo.append({"method": "DELETE",
                             "path": f"/wp/v2/posts/{body.get('id')}?force=true"})
                self.report.conflicts.append(f"{op.entry.slug}: another post took this slug "
                                             f"during the sync; article not published")
                continue
            if op.kind == "create":
                self.report.created += 1
            elif op.kind == "trash":
                self.report.trashed += 1
            elif op.kind == "key":
                self.report.keys += 1
            else:
                self.report.updated += 1
                self.report.renamed += op.kind == "rename"
            if not self.chart_checked and op.entry is not None and isinstance(body, dict):
                self._check_chart(op.entry, int(body["id"]))
        return undo

    def _check_chart(self, entry: Entry, post_id: int) -> None:
        """Once a run: did the inline SVG chart survive WordPress's HTML filter (kses)?"""
        if "pay_chart_svg" not in read_article(entry):
            return
        self.chart_checked = True
        resp = self.site.client.call("GET", f"/wp/v2/posts/{post_id}",
                                     params={"context": "edit", "_fields": "content"})
        data = resp.data if isinstance(resp.data, dict) else {}
        raw = (data.get("content") or {}).get("raw", "")
        if "<svg" not in raw:
            self.report.notes.append("the site removed the inline pay chart (SVG) from the "
                                     "posts: the user needs the unfiltered_html capability "
                                     "(an administrator on a single site has it)")
