"""A whole sync against an in-memory WordPress: what each post holds afterwards and what the
report says, for every kind of write, lost answers, refusals, a slug taken during the sync,
the chart check and parallel batches. The same rules are checked against a real site in
publish/test_publish_wordpress.py (integration); these run in the quick suite."""

from __future__ import annotations

import html
import json
import shutil
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from narrator.publish import PublishError
from narrator.publish import wordpress as wp
from narrator.publish.http import Client, Response, Transient
from narrator.publish.tree import read_tree
from narrator.publish.wordpress import Settings, payload, publish_hash, publish_wordpress
from tests.wordpress import render

URL = "http://127.0.0.1:9"
IDS = ["field-service-technician-vs-repair-technician", "actor-vs-broadcast-announcer",
       "actor-vs-dancer", "bartender-vs-waiter-or-waitress"]
NOT_YOURS = {"code": "rest_cannot_edit", "message": "Sorry, you are not allowed to edit this post."}


class Store:
    """The site's data, shared by every client a sync opens (one per thread)."""

    def __init__(self, *, max_items: int = 2, kses: bool = False) -> None:
        self.posts: dict[int, dict[str, Any]] = {}
        self.terms: dict[str, dict[str, int]] = {"categories": {}, "tags": {}}
        self.next_term = {"categories": 10, "tags": 100}  # apart: a mix-up shows
        self.max_items, self.kses = max_items, kses
        self.refuse: set[str] = set()  # slugs whose writes answer 403
        self.taken_meanwhile: set[str] = set()  # slugs another post takes during the sync
        self.faults: dict[int, tuple[Transient, bool]] = {}  # batch n: raise (after applying?)
        self.batches: list[list[dict]] = []
        self.reads: list[tuple[str, dict | None]] = []  # GET /wp/v2/posts/ID and its params
        self.clients: list[tuple[Any, ...]] = []
        self.slept: list[float] = []  # the waits between retries
        self.hold: threading.Barrier | None = None  # the first batches wait for each other
        self.logged_out: set[int] = set()  # batch n answers 401
        self.slow = 0.0  # seconds each batch after the first takes
        self.in_flight = 0
        self.odd_read = False  # GET /wp/v2/posts/ID answers a list, not an object
        self.lock = threading.Lock()

    def post(self, slug: str, status: str = "publish", **meta: Any) -> int:
        pid = max(self.posts, default=0) + 1
        self.posts[pid] = {"slug": slug, "status": status, "title": slug, "content": "as it was",
                           "meta": dict(meta)}
        return pid

    def by_slug(self, slug: str) -> dict[str, Any]:
        [post] = [p for p in self.posts.values() if p["slug"] == slug]
        return post

    def client(self, *args: Any, **kwargs: Any) -> MemoryWordPress:
        """Stands in for ``Client(...)``: records how it was made."""
        self.clients.append((*args, tuple(sorted(kwargs.items()))))
        return MemoryWordPress(self)


class MemoryWordPress(Client):
    """The REST routes the publisher uses, as WordPress answers them; anything else is 404."""

    def __init__(self, store: Store) -> None:
        super().__init__(URL, "u", "p", retries=3, sleep=store.slept.append)
        self.store = store

    def once(self, method, route, *, params=None, body=None, auth=True) -> Response:
        s = self.store
        if (method, route) == ("GET", "/wp/v2/users/me"):
            return Response(200, {"slug": "u", "capabilities": {"edit_posts": True}}, {})
        if (method, route) == ("OPTIONS", "/batch/v1"):
            return Response(200, {"endpoints": [{"args": {"requests": {
                "maxItems": s.max_items}}}]}, {})
        if (method, route) == ("GET", "/narrator/v1/posts"):
            with s.lock:
                return Response(200, {"posts": [
                    {"id": i, "slug": p["slug"], "status": p["status"],
                     **{k: p["meta"].get(k) for k in ("narrator_id", "narrator_hash",
                                                      "narrator_key")}}
                    for i, p in sorted(s.posts.items())]}, {})
        if method == "GET" and route.startswith("/wp/v2/posts/"):
            s.reads.append((route, params))
            if s.odd_read:
                return Response(200, [], {})
            post = s.posts[int(route.rsplit("/", 1)[1])]
            params = params or {}
            # the raw (stored) content only in the edit context; else the rendered one
            shown = ({"raw": post["content"]} if params.get("context") == "edit"
                     else {"rendered": "<p>rendered</p>"})
            wanted = params.get("_fields", "content").split(",")
            return Response(200, {k: v for k, v in {"id": 1, "content": shown}.items()
                                  if k in wanted}, {})
        if route in ("/wp/v2/categories", "/wp/v2/tags"):
            taxonomy = route.rsplit("/", 1)[1]
            known = s.terms[taxonomy]
            if method == "GET":
                return Response(200, [{"id": i, "name": html.escape(n)} for n, i in known.items()
                                      if params["search"].lower() in n.lower()], {})
            known[body["name"]] = s.next_term[taxonomy]
            s.next_term[taxonomy] += 1
            return Response(201, {"id": known[body["name"]]}, {})
        if (method, route) == ("POST", "/batch/v1"):
            return self._batch(body["requests"])
        return Response(404, {"code": "rest_no_route", "message": "No route"}, {})

    def _batch(self, requests: list[dict]) -> Response:
        s = self.store
        if s.hold is not None:
            s.hold.wait()
        with s.lock:
            s.batches.append(requests)
            n = len(s.batches)
            fault = s.faults.get(n)
            if n in s.logged_out:
                return Response(401, {"code": "rest_not_logged_in", "message": "No"}, {})
            s.in_flight += 1
        if n > 1 and s.slow:
            time.sleep(s.slow)
        with s.lock:
            s.in_flight -= 1
            if fault and not fault[1]:
                raise fault[0]
            answers = [self._one(r) for r in requests]
        if fault:
            raise fault[0]
        return Response(207, {"responses": answers}, {})

    def _one(self, request: dict) -> dict:
        s = self.store
        method, path = request.get("method"), request.get("path", "")
        route, _, query = path.partition("?")
        body = request.get("body") or {}
        parts = route.split("/")
        if method == "POST" and route == "/wp/v2/posts":
            if body["slug"] in s.refuse:
                return {"status": 403, "body": NOT_YOURS}
            slug = body["slug"]
            if slug in s.taken_meanwhile:
                s.post(slug)
            if any(p["slug"] == slug and p["status"] != "trash" for p in s.posts.values()):
                slug += "-2"  # WordPress makes a slug unique
            pid = max(s.posts, default=0) + 1
            s.posts[pid] = {**body, "slug": slug, "content": self._stored(body["content"])}
            return {"status": 201, "body": {"id": pid, "slug": slug, "status": body["status"]}}
        if route.startswith("/narrator/v1/posts/") and route.endswith("/key") and method == "POST":
            post = s.posts[int(parts[4])]
            post["meta"]["narrator_key"] = body["key"]
            return {"status": 200, "body": {"id": int(parts[4]), "slug": post["slug"],
                                            "status": post["status"]}}
        if route.startswith("/wp/v2/posts/") and method in ("POST", "DELETE"):
            pid = int(parts[4])
            post = s.posts[pid]
            if post["slug"] in s.refuse:
                return {"status": 403, "body": NOT_YOURS}
            if method == "DELETE":
                if query == "force=true":
                    del s.posts[pid]
                else:
                    post["status"] = "trash"
                return {"status": 200, "body": {"id": pid, "slug": post["slug"]}}
            meta = {**post["meta"], **body.get("meta", {})}
            post.update({**body, "meta": meta})
            if "content" in body:
                post["content"] = self._stored(body["content"])
            return {"status": 200, "body": {"id": pid, "slug": post["slug"],
                                            "status": post["status"]}}
        return {"status": 404, "body": {"code": "rest_no_route", "message": "No route"}}

    def _stored(self, content: str) -> str:
        if self.store.kses:  # a user without unfiltered_html: the SVG is filtered out
            start, end = content.find("<svg"), content.find("</svg>")
            if start >= 0:
                content = content[:start] + content[end + len("</svg>"):]
        return content


@pytest.fixture(scope="module")
def four(tmp_path_factory) -> Path:
    return render(tmp_path_factory.mktemp("t") / "out", ids=IDS)


@pytest.fixture
def tree(four, tmp_path) -> Path:
    """A copy the test may add redirects to."""
    shutil.copytree(four, tmp_path / "out")
    return tmp_path / "out"


def sync(store: Store, tree: Path, **options: Any) -> wp.Report:
    settings = Settings(url=URL, user="u", password="p", **options)
    return publish_wordpress(tree, settings, client=MemoryWordPress(store))


def article(tree: Path, rid: str) -> dict[str, Any]:
    return json.loads((tree / f"{rid}.json").read_text(encoding="utf-8"))


def test_rule_a_post_holds_the_article_its_options_and_its_keys(tree):
    store = Store()
    report = sync(store, tree, status="publish", categories=("Careers",), tags=("Pay", "Jobs"))
    assert report.line() == "4 created, 0 updated, 0 unchanged, 0 trashed, 0 conflicts, 0 failed"
    assert store.terms == {"categories": {"Careers": 10}, "tags": {"Pay": 100, "Jobs": 101}}
    index = {e.id: e for e in read_tree(tree)}
    for rid in IDS:
        art, post = article(tree, rid), store.by_slug(index[rid].slug)
        seo = art.get("seo_title", art["title"])  # the reference record has none: its title
        description = art["meta_description"]
        assert (post["title"], post["status"], post["excerpt"]) == (art["title"], "publish",
                                                                    description)
        assert (post["categories"], post["tags"]) == ([10], [100, 101])
        assert post["content"].startswith("<!-- wp:html -->\n")
        assert post["content"].endswith("<!-- /wp:html -->")
        assert f"<h1>{art['title']}</h1>" not in post["content"]
        for slug in index[rid].related:  # related links go to the site's posts
            assert f'href="{URL}/?name={slug}"' in post["content"]
        meta = post["meta"]
        assert (meta["narrator_id"], meta["narrator_key"], meta["narrator_aliases"]) == (
            rid, index[rid].key, ",".join(index[rid].aliases))  # the tree's redirects
        assert [meta[k] for k in ("narrator_seo_title", "_yoast_wpseo_title",
                                  "rank_math_title")] == [seo] * 3
        assert [meta[k] for k in ("narrator_description", "_yoast_wpseo_metadesc",
                                  "rank_math_description")] == [description] * 3
    assert sync(store, tree, status="publish", categories=("Careers",),
                tags=("Pay", "Jobs")).line() == (
        "0 created, 0 updated, 4 unchanged, 0 trashed, 0 conflicts, 0 failed")


def test_rule_an_article_without_seo_fields_falls_back_to_its_title():
    entry = wp.Entry(id="x", slug="x", title="X", key="k", path=Path("x.json"), sha256="s")
    body = payload(entry, {"title": "A & B [c]"}, Settings(url=URL, user="u", password="p"),
                   {"categories": [], "tags": []}, "draft")
    assert body["title"] == body["meta"]["narrator_seo_title"] == "A &amp; B &#91;c]"
    assert body["excerpt"] == body["meta"]["narrator_description"] == ""
    assert body["content"] == "<!-- wp:html -->\n<!-- /wp:html -->"
    untitled = payload(entry, {}, Settings(url=URL, user="u", password="p"),
                       {"categories": [], "tags": []}, "draft")
    assert untitled["title"] == "X"  # the index's title


def hash_now(entry: wp.Entry, settings: Settings, linkable: set[str]) -> str:
    """The hash a sync computes, its related links going to ``linkable`` slugs only."""
    entry.links = [slug for slug in entry.related if slug in linkable]
    return publish_hash(entry, settings)


def _seed(store: Store, tree: Path) -> dict[str, int]:
    """One post of each kind of write, for IDS[0..3] and a post with no article:
    0 stale (update, draft -> publish), 1 under an old id (rename), 2 only its key old,
    3 none (create), and 'gone' (trash with --prune)."""
    settings = Settings(url=URL, user="u", password="p", status="publish")
    entries = {e.id: e for e in read_tree(tree)}
    with open(tree / "index.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps({"redirect": "old-name", "to": IDS[1]}) + "\n")
    e2 = entries[IDS[2]]
    return {
        "stale": store.post(entries[IDS[0]].slug, "draft", narrator_id=IDS[0],
                            narrator_hash="old", narrator_key="k"),
        "renamed": store.post("old-name", "pending", narrator_id="old-name", narrator_hash="old"),
        "key": store.post(e2.slug, narrator_id=IDS[2], narrator_key="an old key",
                          narrator_hash=hash_now(e2, settings, {e.slug for e in entries.values()})),
        "gone": store.post("gone", narrator_id="gone", narrator_hash="x"),
    }


def test_rule_a_sync_counts_each_kind_of_write_as_its_dry_run_said(tree):
    store = Store()
    ids = _seed(store, tree)
    before = json.dumps(store.posts, sort_keys=True)
    planned: list[int] = []
    dry = sync(store, tree, status="publish", prune=True, dry_run=True)
    assert json.dumps(store.posts, sort_keys=True) == before and store.batches == []
    assert dry.line() == ("1 would be created, 2 would be updated (1 renamed) (status: 1 draft "
                          "-> publish, 1 pending -> publish), 1 unchanged (1 would be given the "
                          "new inputs' key), 1 would be trashed, 0 conflicts, 0 failed")
    done: list[int] = []
    settings = Settings(url=URL, user="u", password="p", status="publish", prune=True)
    report = publish_wordpress(tree, settings, client=MemoryWordPress(store),
                               progress=done.append, on_plan=planned.append)
    assert report.line() == ("1 created, 2 updated (1 renamed) (status: 1 draft -> publish, "
                             "1 pending -> publish), 1 unchanged (1 given the new inputs' key), "
                             "1 trashed, 0 conflicts, 0 failed")
    assert planned == [5] and sum(done) == 5
    entries = {e.id: e for e in read_tree(tree)}
    posts = store.posts
    assert posts[ids["stale"]]["status"] == "publish"
    assert posts[ids["stale"]]["content"].startswith("<!-- wp:html -->")
    assert (posts[ids["renamed"]]["slug"], posts[ids["renamed"]]["meta"]["narrator_id"]) == (
        entries[IDS[1]].slug, IDS[1])
    assert posts[ids["renamed"]]["meta"]["narrator_aliases"].split(",")[-1] == "old-name"
    assert posts[ids["key"]]["meta"]["narrator_key"] == entries[IDS[2]].key
    assert posts[ids["key"]]["content"] == "as it was"  # a key refresh leaves the post alone
    assert posts[ids["gone"]]["status"] == "trash"
    assert store.by_slug(entries[IDS[3]].slug)["meta"]["narrator_id"] == IDS[3]
    again = sync(store, tree, status="publish", prune=True)
    assert again.line() == "0 created, 0 updated, 4 unchanged, 0 trashed, 0 conflicts, 0 failed"


LOST = [  # (the batch whose answer is lost, applied first?, the report)
    (1, True, "0 created, 0 updated, 3 unchanged, 1 trashed, 1 conflicts, 0 failed"),
    (1, False, "1 created, 1 updated, 1 unchanged, 1 trashed, 1 conflicts, 0 failed"),
    (2, True, "1 created, 1 updated, 1 unchanged, 0 trashed, 1 conflicts, 0 failed"),
    (2, False, "1 created, 1 updated, 1 unchanged, 1 trashed, 1 conflicts, 0 failed"),
]


@pytest.mark.parametrize("lost, applied, line", LOST)
def test_rule_a_lost_batch_is_planned_again_from_the_site_never_written_twice(tree, lost,
                                                                              applied, line):
    """Batch 1 updates a post and creates one, batch 2 trashes one (--prune); one answer is
    lost. The retry looks at the site again: a write that took effect is not made again (a
    post it wrote counts as unchanged), one that did not is; the counts and conflicts of the
    first plan are kept, and nothing is trashed but what the lost batch trashed."""
    store = Store(max_items=2)
    e = read_tree(tree)
    settings = Settings(url=URL, user="u", password="p", status="publish")
    hand = store.post(e[0].slug)  # a post narrator did not make: a conflict
    kept = store.post(e[1].slug, narrator_id=e[1].id, narrator_key=e[1].key,
                      narrator_hash=hash_now(e[1], settings, {x.slug for x in e[1:]}))
    stale = store.post(e[2].slug, narrator_id=e[2].id, narrator_hash="old")
    gone = store.post("gone", narrator_id="gone", narrator_hash="x")
    store.faults = {lost: (Transient("no answer within 60 s"), applied)}
    assert sync(store, tree, status="publish", prune=True).line() == line
    assert store.posts[hand]["meta"] == {}
    assert [store.posts[i]["status"] for i in (kept, stale, gone)] == ["publish", "publish",
                                                                       "trash"]
    slugs = sorted(p["slug"] for p in store.posts.values())
    assert slugs == sorted(["gone", *(x.slug for x in e)])  # each once: no "-2"


@pytest.mark.parametrize("status, was, becomes", [
    (None, "publish", "publish"), (None, "pending", "pending"),  # a re-sync never unpublishes
    (None, "trash", "draft"),  # restored from the trash as a draft
    ("publish", "draft", "publish"), ("draft", "publish", "draft"),
])
def test_rule_an_updated_post_keeps_its_status_unless_one_is_given(tree, status, was, becomes):
    store = Store()
    e = read_tree(tree)
    pid = store.post(e[0].slug, was, narrator_id=e[0].id, narrator_hash="old")
    assert sync(store, tree, status=status).updated == 1
    assert store.posts[pid]["status"] == becomes


def test_rule_a_refused_write_is_reported_by_its_post_and_the_rest_go_on(tree):
    store = Store(max_items=5)
    e = read_tree(tree)
    store.post("gone", narrator_id="gone", narrator_hash="x")
    store.refuse = {e[1].slug, "gone"}
    report = sync(store, tree, prune=True)
    assert report.failed == [f"{e[1].slug}: HTTP 403: rest_cannot_edit: Sorry, you are not "
                             f"allowed to edit this post.",
                             "gone: HTTP 403: rest_cannot_edit: Sorry, you are not allowed to "
                             "edit this post."]
    assert report.line() == "3 created, 0 updated, 0 unchanged, 0 trashed, 0 conflicts, 2 failed"
    assert {x.slug for x in e} - {p["slug"] for p in store.posts.values()} == {e[1].slug}


def test_rule_a_slug_taken_during_the_sync_is_a_conflict_and_our_post_is_undone(tree):
    """WordPress gives our post "slug-2" when another took the slug since the listing: that
    post is deleted for good, and the article reported, not published under another URL."""
    store = Store(max_items=5)
    e = read_tree(tree)
    store.taken_meanwhile = {e[2].slug}
    report = sync(store, tree)
    assert report.conflicts == [f"{e[2].slug}: another post took this slug during the sync; "
                                f"article not published"]
    assert report.line() == "3 created, 0 updated, 0 unchanged, 0 trashed, 1 conflicts, 0 failed"
    # posts 1, 2: ours; 3: the other's, made just before ours, 4, which is undone; 5: ours
    assert store.batches[-1] == [{"method": "DELETE", "path": "/wp/v2/posts/4?force=true"}]
    assert sorted(store.posts) == [1, 2, 3, 5]
    assert [p["slug"] for p in store.posts.values() if p["slug"].startswith(e[2].slug)] == [
        e[2].slug]
    assert store.by_slug(e[2].slug)["meta"] == {}  # the other post, left alone


def test_an_undo_the_site_never_answers_is_one_line(tree):
    store = Store(max_items=5)
    e = read_tree(tree)
    store.taken_meanwhile = {e[0].slug}
    store.faults = {n: (Transient("no answer within 60 s"), False) for n in range(2, 6)}
    with pytest.raises(PublishError, match=r"^http://127.0.0.1:9: POST /batch/v1: no answer "
                                           r"within 60 s after 4 tries; the site is struggling"):
        sync(store, tree)


@pytest.mark.parametrize("kses, notes", [
    (False, []),
    (True, ["the site removed the inline pay chart (SVG) from the posts: the user needs the "
            "unfiltered_html capability (an administrator on a single site has it)"]),
])
def test_rule_the_chart_check_reads_one_stored_post_once_a_run(tree, kses, notes):
    store = Store(max_items=1, kses=kses)
    report = sync(store, tree)
    assert report.notes == notes and report.created == 4
    assert len(store.reads) == 1
    assert store.reads[0][1] == {"context": "edit", "_fields": "content"}


def test_a_tree_without_a_chart_is_never_read_back(tmp_path):
    out = render(tmp_path / "out", ids=IDS[:1])
    assert "pay_chart_svg" not in article(out, IDS[0])
    store = Store(kses=True)
    assert sync(store, out).notes == [] and store.reads == []


def test_rule_parallel_batches_each_open_a_connection_made_with_every_setting(tree, monkeypatch):
    """With --parallel 2 and no client given, each of the two threads opens its own
    connection with the user's settings; the first two batches are held until both are under
    way, so the test fails if they are sent one after the other."""
    store = Store(max_items=1)
    store.hold = threading.Barrier(2, timeout=10)
    monkeypatch.setattr(wp, "Client", store.client)
    settings = Settings(url=URL, user="someone", password="secret", timeout=7.5, retries=2,
                        parallel=2, allow_http=True, status="publish")
    done: list[int] = []
    report = publish_wordpress(tree, settings, progress=done.append)
    store.hold = None
    assert report.line() == "4 created, 0 updated, 0 unchanged, 0 trashed, 0 conflicts, 0 failed"
    assert sorted(done) == [1, 1, 1, 1]
    made = (URL, "someone", "secret", (("allow_http", True), ("retries", 2), ("timeout", 7.5)))
    assert store.clients == [made] * 3  # the sync's own, and one per thread


def test_an_odd_answer_to_the_chart_check_is_no_traceback(tree):
    store = Store()
    store.odd_read = True
    assert sync(store, tree).created == 4


def test_rule_a_failed_batch_stops_the_sync_after_the_batches_under_way(tree, monkeypatch):
    """Batch 1 is refused (the password was revoked); batch 2, under way on the other
    thread, finishes before the error is reported; the batches not yet sent never are."""
    store = Store(max_items=1)
    store.logged_out, store.slow = {1}, 1.0
    monkeypatch.setattr(wp, "Client", store.client)
    settings = Settings(url=URL, user="u", password="p", parallel=2)
    with pytest.raises(PublishError, match="authentication failed during the sync"):
        publish_wordpress(tree, settings)
    assert store.in_flight == 0  # none still being sent when the error is said
    assert 2 <= len(store.batches) <= 3 < len(read_tree(tree))  # at most one more per thread


def test_rule_each_write_counts_once_however_many_of_its_kind(tree):
    """Two key refreshes and two trashes in one sync count two each, as its dry run says."""
    store = Store(max_items=5)
    e = read_tree(tree)
    settings = Settings(url=URL, user="u", password="p", status="publish", prune=True)
    slugs = {x.slug for x in e}
    for x in e[:2]:
        store.post(x.slug, narrator_id=x.id, narrator_key="old",
                   narrator_hash=hash_now(x, settings, slugs))
    for x in e[2:]:
        store.post(x.slug, narrator_id=x.id, narrator_key=x.key,
                   narrator_hash=hash_now(x, settings, slugs))
    store.post("gone", narrator_id="gone", narrator_hash="x")
    store.post("gone-too", narrator_id="gone-too", narrator_hash="x")
    dry = publish_wordpress(tree, replace(settings, dry_run=True), client=MemoryWordPress(store))
    assert dry.line() == ("0 would be created, 0 would be updated, 4 unchanged (2 would be given "
                          "the new inputs' key), 2 would be trashed, 0 conflicts, 0 failed")
    report = publish_wordpress(tree, settings, client=MemoryWordPress(store))
    assert report.line() == ("0 created, 0 updated, 4 unchanged (2 given the new inputs' key), "
                             "2 trashed, 0 conflicts, 0 failed")


def test_a_dry_run_counts_every_planned_write_by_its_kind():
    e = wp.Entry(id="x", slug="x", title="x", key="k", path=Path("x.json"), sha256="s")
    post = wp.Post(1, "x", "publish", "x", "h")
    ops = [wp.Op(kind, e, post) for kind in
           ("create", "create", "trash", "trash", "key", "key", "update", "update", "rename")]
    report = wp.Report(dry_run=True)
    wp._count_dry(ops, report)
    assert (report.created, report.trashed, report.keys, report.updated, report.renamed) == (
        2, 2, 2, 3, 1)


def test_a_status_change_is_counted_per_post():
    settings = Settings(url=URL, user="u", password="p", status="publish")
    entries = [wp.Entry(id=x, slug=x, title=x, key="k", path=Path(f"{x}.json"), sha256="s")
               for x in ("a", "b", "c")]
    posts = [wp.Post(1, "a", "draft", "a", "old"), wp.Post(2, "b", "draft", "b", "old"),
             wp.Post(3, "c", "pending", "c", "old")]
    report = wp.Report()
    wp.plan(entries, posts, settings, report)
    assert report.status_changes == {"draft -> publish": 2, "pending -> publish": 1}


def test_rate_limiting_waits_as_told_then_gives_one_line(tree):
    store = Store()
    store.faults = {n: (Transient("HTTP 429", wait=7, status=429), False) for n in range(1, 5)}
    with pytest.raises(PublishError, match=r"^http://127.0.0.1:9: POST /batch/v1: HTTP 429 after "
                                           r"4 tries; the site is rate-limiting us"):
        sync(store, tree)
    assert store.slept == [7, 7, 7] and store.posts == {}
