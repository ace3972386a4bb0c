"""Publishing without a site: the plan (what a sync writes), the tree reader's errors and the
CLI's one-line errors. Whole syncs against an in-memory site (retries included) are in
publish/test_sync.py, the real-site tests in publish/test_publish_wordpress.py."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from narrator.publish import PublishError
from narrator.publish.tree import Entry, read_tree
from narrator.publish.wordpress import (
    Post,
    Report,
    Settings,
    _count_dry,
    plan,
    post_content,
    publish_hash,
)
from tests.wordpress import NARRATE, render

SETTINGS = Settings(url="http://127.0.0.1:9", user="u", password="p")


def entry(rid: str, sha: str = "s", aliases: tuple[str, ...] = ()) -> Entry:
    return Entry(id=rid, slug=rid, title=rid, key="k", path=Path(f"{rid}.json"), sha256=sha,
                 aliases=list(aliases))


def ours(pid: int, rid: str, *, sha: str = "s", status: str = "publish", slug: str | None = None,
         settings: Settings = SETTINGS, key: str | None = "k") -> Post:
    """narrator's post for ``rid``, published as it is now (``status``)."""
    return Post(pid, slug or rid, status, rid, publish_hash(entry(rid, sha), settings), key)


def kinds(ops) -> list[tuple[str, str | None, int | None]]:
    return [(op.kind, op.entry.id if op.entry else None, op.post.id if op.post else None)
            for op in ops]


@pytest.mark.parametrize("posts,expected,unchanged,conflicts", [
    ([], [("create", "a", None)], 0, 0),
    ([ours(1, "a")], [], 1, 0),
    ([ours(1, "a", sha="old")], [("update", "a", 1)], 0, 0),
    ([ours(1, "a", status="trash")], [("update", "a", 1)], 0, 0),  # restored, not duplicated
    ([Post(7, "a", "publish", None, None)], [], 0, 1),  # hand-made: conflict
    ([Post(7, "a", "draft", None, None)], [], 0, 1),  # a draft holds its slug too
    ([Post(7, "a", "trash", None, None)], [("create", "a", None)], 0, 0),  # a trashed one doesn't
    ([ours(1, "a"), ours(2, "a", sha="x")], [], 0, 1),  # a duplicate (never made): reported
])
def test_plan_one_article(posts, expected, unchanged, conflicts):
    report = Report()
    assert kinds(plan([entry("a")], posts, SETTINGS, report)) == expected
    assert (report.unchanged, len(report.conflicts)) == (unchanged, conflicts)


# Each publishing option changed alone between two syncs: those that shape a post rewrite it,
# the others leave it as it is (the status has its own rule, below).
SHAPING = {"categories": ("Careers",), "tags": ("pay",), "url": "https://elsewhere.example"}
NOT_SHAPING = {"user": "v", "password": "q", "prune": True, "dry_run": True, "batch_size": 3,
               "timeout": 5.0, "retries": 1, "parallel": 1, "allow_http": True}


@pytest.mark.parametrize("option", sorted(SHAPING) + sorted(NOT_SHAPING))
def test_rule_an_option_that_shapes_a_post_rewrites_it_when_changed_alone(option):
    # a page linking to another (the URL shapes its links), both posted as SETTINGS made them
    tree = [Entry(id="a", slug="a", title="a", key="k", path=Path("a.json"), sha256="s",
                  related=["b"]), entry("b")]
    plan(tree, [], SETTINGS, Report())  # decides the links
    assert tree[0].links == ["b"]
    posts = [Post(i, e.id, "publish", e.id, publish_hash(e, SETTINGS), "k")
             for i, e in enumerate(tree, 1)]
    changed = Settings(**{**SETTINGS.__dict__, option: {**SHAPING, **NOT_SHAPING}[option]})
    report = Report()
    ops = [op for op in plan(tree, posts, changed, report) if op.kind != "trash"]
    rewritten = ([("update", "a", 1)] if option == "url"  # b has no links: no URL in it
                 else [("update", "a", 1), ("update", "b", 2)])
    assert kinds(ops) == (rewritten if option in SHAPING else []), option


def test_rule_every_publishing_option_is_known_to_shape_a_post_or_not():
    import dataclasses

    assert {f.name for f in dataclasses.fields(Settings)} == \
        set(SHAPING) | set(NOT_SHAPING) | {"status"}


def test_rule_a_trailing_slash_on_the_url_is_the_same_site():
    tree = [Entry(id="a", slug="a", title="a", key="k", path=Path("a.json"), sha256="s",
                  related=["b"]), entry("b")]
    plan(tree, [], SETTINGS, Report())
    slashed = Settings(**{**SETTINGS.__dict__, "url": SETTINGS.url + "/"})
    assert publish_hash(tree[0], slashed) == publish_hash(tree[0], SETTINGS)
    for other in ("http://127.0.0.1:9/X", "http://127.0.0.1:9/blog"):  # only "/" is dropped
        moved = Settings(**{**SETTINGS.__dict__, "url": other})
        assert publish_hash(tree[0], moved) != publish_hash(tree[0], SETTINGS)


@pytest.mark.parametrize("holder, whose", [
    (Post(7, "a", "publish", None, None), "a post narrator did not make"),
    (Post(7, "a", "draft", "b", "h", "k"), "narrator's post for 'b'"),
])
def test_rule_a_conflict_names_the_post_holding_the_slug_and_whose_it_is(holder, whose):
    report = Report()
    assert plan([entry("a")], [holder], SETTINGS, report) == []
    assert report.conflicts == [f"a: post 7 ({holder.status}) holds this slug, {whose}; "
                                f"left alone, article not published"]


def test_rule_a_trashed_post_is_restored_without_counting_a_status_change():
    report = Report()
    changed = Settings(**{**SETTINGS.__dict__, "status": "publish"})
    ops = plan([entry("a")], [ours(1, "a", status="trash")], changed, report)
    assert kinds(ops) == [("update", "a", 1)] and dict(report.status_changes) == {}


def test_rule_posts_already_in_the_trash_are_not_gone_again():
    report = Report()
    pruning = Settings(**{**SETTINGS.__dict__, "prune": True})
    ops = plan([entry("a")], [ours(1, "a"), ours(2, "old", status="trash"), ours(3, "older")],
               pruning, report)
    assert kinds(ops) == [("trash", None, 3)]
    plan([entry("a")], [ours(1, "a"), ours(2, "old", status="trash")], SETTINGS, report)
    assert report.notes == []  # nothing left to trash: no note either


def test_rule_record_text_is_inert_but_keeps_its_quotes():
    from narrator.publish.wordpress import inert

    assert inert('Tom & "Jerry\'s" <b>[gallery]</b>') == \
        "Tom &amp; \"Jerry's\" &lt;b&gt;&#91;gallery]&lt;/b&gt;"


def test_plan_status_change_rewrites():
    report = Report()
    ops = plan([entry("a")], [ours(1, "a", status="draft")],
               Settings(**{**SETTINGS.__dict__, "status": "publish"}), report)
    assert kinds(ops) == [("update", "a", 1)]
    assert dict(report.status_changes) == {"draft -> publish": 1}
    assert "(status: 1 draft -> publish)" in report.line()


def test_without_status_a_resync_keeps_each_posts_status():
    """A re-sync without --status never unpublishes: published and private posts stay as
    they are, a changed article is rewritten in its own status, a new one is a draft."""
    posts = [ours(1, "a"), ours(2, "b", status="private"), ours(3, "c", sha="old")]
    report = Report()
    ops = plan([entry("a"), entry("b"), entry("c"), entry("d")], posts, SETTINGS, report)
    assert kinds(ops) == [("update", "c", 3), ("create", "d", None)]
    assert report.unchanged == 2 and not report.status_changes


def test_a_new_key_alone_refreshes_the_key_not_the_post():
    report = Report(dry_run=True)
    ops = plan([entry("a")], [ours(1, "a", key="the-old-key")], SETTINGS, report)
    assert kinds(ops) == [("key", "a", 1)] and report.unchanged == 0
    _count_dry(ops, report)
    assert "0 would be updated, 1 unchanged (1 would be given the new inputs' key)" in report.line()
    assert kinds(plan([entry("a")], [ours(1, "a", key=None)], SETTINGS, Report())) == []


def test_a_sync_without_prune_counts_the_posts_without_an_article():
    report = Report()
    plan([entry("a")], [ours(1, "a"), ours(2, "gone"), ours(3, "also-gone")], SETTINGS, report)
    assert report.notes == ["2 post(s) narrator made have no article in the tree (--prune "
                            "trashes them)"]


def test_plan_renamed_article_renames_its_post_and_prune_spares_it():
    posts = [ours(1, "old-name"), ours(2, "gone"), Post(3, "mine", "publish", None, None)]
    report = Report()
    pruning = Settings(**{**SETTINGS.__dict__, "prune": True})
    ops = plan([entry("new-name", aliases=("old-name",))], posts, pruning, report)
    assert kinds(ops) == [("rename", "new-name", 1), ("trash", None, 2)]


@pytest.fixture(scope="module")
def small_tree(tmp_path_factory) -> Path:
    return render(tmp_path_factory.mktemp("t") / "out", ids=[
        "field-service-technician-vs-repair-technician", "actor-vs-broadcast-announcer",
        "actor-vs-dancer"])


def test_post_content_drops_the_wrapper_and_h1():
    html = "<article>\n<h1>A vs B</h1>\n<section id=\"x\">\n<p>t</p>\n</section>\n</article>\n"
    assert post_content({"body_html": html}) == (
        "<!-- wp:html -->\n<section id=\"x\">\n<p>t</p>\n</section>\n<!-- /wp:html -->")
    # no [shortcode] from record text runs on the site
    assert post_content({"body_html": html.replace("<p>t</p>", "<p>[gallery] t</p>")}) == (
        "<!-- wp:html -->\n<section id=\"x\">\n<p>&#91;gallery] t</p>\n</section>\n"
        "<!-- /wp:html -->")


def test_tree_errors(tmp_path):
    with pytest.raises(PublishError, match=r"no index\.jsonl: render the articles first"):
        read_tree(tmp_path)
    (tmp_path / "index.jsonl").write_text(json.dumps(
        {"id": "a", "slug": "a", "title": "A", "files": [{"format": "md", "path": "a.md"}],
         "key": "k"}) + "\n")
    with pytest.raises(PublishError, match="a: no JSON article in the tree"):
        read_tree(tmp_path)


def test_cli_without_a_password_is_one_line(small_tree, monkeypatch):
    monkeypatch.delenv("NARRATOR_WP_APP_PASSWORD", raising=False)
    run = subprocess.run([str(NARRATE), "publish", "wordpress", "--out", str(small_tree),
                          "--url", "http://127.0.0.1:9", "--user", "u"],
                         capture_output=True, text=True)
    assert (run.returncode, run.stderr) == (1, "narrate: error: publish: no application "
                                               "password: set NARRATOR_WP_APP_PASSWORD or pass "
                                               "--password-file FILE\n")


def test_cli_unreachable_site_is_one_line(small_tree, monkeypatch):
    monkeypatch.setenv("NARRATOR_WP_APP_PASSWORD", "secret-password")
    run = subprocess.run([str(NARRATE), "publish", "wordpress", "--out", str(small_tree),
                          "--url", "http://127.0.0.1:9", "--user", "u"],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert run.stderr == ("narrate: error: http://127.0.0.1:9: connection refused: is the site "
                          "up at this address?\n")


class FakeServer:
    """A tiny HTTP server on 127.0.0.1 that answers every request with ``answer(path)``:
    (status, headers, JSON body)."""

    def __init__(self, answer) -> None:
        import http.server
        import threading

        class Handler(http.server.BaseHTTPRequestHandler):
            def _reply(self) -> None:
                status, headers, body = answer(self.path)
                data = json.dumps(body).encode()
                self.send_response(status)
                for k, v in {**headers, "Content-Type": "application/json"}.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_OPTIONS = _reply

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def __enter__(self) -> FakeServer:
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def publish_cli(tree: Path, url: str, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(NARRATE), "publish", "wordpress", "--out", str(tree), "--url", url,
                           "--user", "u", *extra], capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ,
                               "NARRATOR_WP_APP_PASSWORD": "secret-password"})


def test_a_stripped_authorization_header_is_one_line(small_tree):
    def answer(path):
        if "users%2Fme" in path:
            return 401, {"X-Narrator-Auth": "missing"}, {"code": "rest_not_logged_in"}
        return 200, {}, {"authentication": {"application-passwords": {}}}

    with FakeServer(answer) as server:
        run = publish_cli(small_tree, server.url)
    assert run.returncode == 1
    assert run.stderr == (f"narrate: error: {server.url}: the Authorization header was stripped "
                          f"by the server before it reached WordPress (Apache with CGI/FastCGI: "
                          f"add `SetEnvIf Authorization \"(.*)\" HTTP_AUTHORIZATION=$1` to "
                          f".htaccess)\n")


def test_application_passwords_off_is_one_line(small_tree):
    def answer(path):
        if "users%2Fme" in path:
            return 401, {"X-Narrator-Auth": "received"}, {"code": "rest_not_logged_in"}
        return 200, {}, {"authentication": []}  # plain HTTP on a production site

    with FakeServer(answer) as server:
        run = publish_cli(small_tree, server.url)
    assert (run.returncode, run.stderr.count("\n")) == (1, 1)
    assert "application passwords are not available on this site" in run.stderr


def test_rate_limiting_over_http_is_one_line(small_tree):
    with FakeServer(lambda path: (429, {"Retry-After": "0"}, {"code": "too_many"})) as server:
        run = publish_cli(small_tree, server.url, "--retries", "2")
    assert run.returncode == 1
    assert run.stderr == (f"narrate: error: {server.url}: GET /wp/v2/users/me: HTTP 429 after 3 "
                          f"tries; the site is rate-limiting us; try again later or with a "
                          f"smaller --batch-size\n")


def test_tls_problems_are_one_line(small_tree):
    with FakeServer(lambda path: (200, {}, {})) as server:  # plain HTTP where https is asked
        run = publish_cli(small_tree, server.url.replace("http:", "https:"))
    assert run.returncode == 1 and run.stderr.count("\n") == 1
    assert run.stderr.startswith(f"narrate: error: {server.url.replace('http:', 'https:')}: TLS: "
                                 f"handshake with 127.0.0.1 failed")
    assert "secret-password" not in run.stderr


# Related links on the site (issue 23, item 5): to the posts of the tree, by ?name=SLUG.

_RELATED = ('<section id="related">\n<h2>Related comparisons</h2>\n'
            '<p>More comparisons with cooks:</p>\n<ul>\n'
            '<li><a href="a-vs-b.html">A vs b</a></li>\n'
            '<li><a href="a-vs-c.html">A vs c</a></li>\n</ul>\n'
            '<p>More comparisons with bakers:</p>\n<ul>\n'
            '<li><a href="d-vs-e.html">D vs e</a></li>\n</ul>\n</section>\n')


@pytest.mark.parametrize("linkable, hrefs, leads", [
    ({"a-vs-b", "a-vs-c", "d-vs-e"}, ["a-vs-b", "a-vs-c", "d-vs-e"], 2),
    ({"a-vs-c", "d-vs-e"}, ["a-vs-c", "d-vs-e"], 2),  # one link left out
    ({"a-vs-b", "a-vs-c"}, ["a-vs-b", "a-vs-c"], 1),  # a job's only link: its lead-in goes too
    (set(), [], 0),  # none: no section
], ids=["all", "one missing", "a job's all missing", "none"])
def test_post_links_go_to_the_sites_posts(linkable, hrefs, leads):
    from narrator.publish.links import site_links
    html = "<p>Intro.</p>\n" + _RELATED
    got = site_links(html, ["a-vs-b", "a-vs-c", "d-vs-e"], linkable, "https://x.example/")
    assert got.startswith("<p>Intro.</p>\n")
    assert re.findall(r'href="([^"]+)"', got) == [f"https://x.example/?name={s}" for s in hrefs]
    assert got.count("More comparisons") == leads
    assert ('<section id="related">' in got) == bool(hrefs)


def test_plan_links_only_articles_of_the_tree_not_in_conflict():
    a, b, c = entry("a-vs-b"), entry("a-vs-c"), entry("a-vs-d")
    a.related = ["a-vs-c", "a-vs-d", "a-vs-gone"]
    hand_made = Post(7, "a-vs-d", "publish", None, None, None)
    plan([a, b, c], [hand_made], SETTINGS, Report())
    assert a.links == ["a-vs-c"]
    # the links are part of the post's hash: a link that comes or goes rewrites the post
    before = publish_hash(a, SETTINGS)
    plan([a, b, c], [], SETTINGS, Report())
    assert a.links == ["a-vs-c", "a-vs-d"] and publish_hash(a, SETTINGS) != before
    other = Settings(url="https://elsewhere.example", user="u", password="p")
    assert publish_hash(a, other) != publish_hash(a, SETTINGS)
    assert publish_hash(b, other) == publish_hash(b, SETTINGS)  # no links: the URL is no input


# -- answers narrator can't use, and URLs it refuses (issue 26, item 4) -----------------------

ME = {"slug": "u", "capabilities": {"edit_posts": True}}
BATCH_OPTIONS = {"endpoints": [{"args": {"requests": {"maxItems": 25}}}]}


def site_answering(listing=None, batch=None, me=ME):
    """A fake site whose listing and batch answers are the ones given."""
    def answer(path):
        if "users%2Fme" in path:
            return 200, {}, me
        if "narrator%2Fv1%2Fposts" in path:
            return 200, {}, listing if listing is not None else {"plugin": 3, "posts": []}
        if "batch%2Fv1" in path:
            return (207, {}, batch) if batch is not None else (200, {}, BATCH_OPTIONS)
        if "categories" in path or "tags" in path:
            return 200, {}, []
        return 200, {}, {}
    return answer


@pytest.mark.parametrize(("answer", "message"), [
    (site_answering(listing={"posts": [{"id": "7", "slug": "x", "status": "publish"}]}),
     "GET /narrator/v1/posts: an answer narrator can't use (expected `int`, got `str`"),
    (site_answering(listing={"posts": [{"id": 1e400, "slug": "x", "status": "publish"}]}),
     "GET /narrator/v1/posts: an answer narrator can't use (expected `int`, got `float`"),
    (site_answering(listing={"plugin": 3}),
     "GET /narrator/v1/posts: an answer narrator can't use (object missing required field "
     "`posts`)"),
    (site_answering(listing={"posts": "none"}),
     "GET /narrator/v1/posts: an answer narrator can't use (expected `array`, got `str`"),
    (site_answering(me={"slug": "u", "capabilities": ["edit_posts"]}),
     "user 'u' may not edit posts on this site"),
    (site_answering(batch={"responses": [5, 6]}),
     "POST /batch/v1: an answer narrator can't use (expected `object`, got `int`"),
    (site_answering(batch={"responses": [{"status": 201, "body": {"slug": "x"}}] * 3}),
     "POST /batch/v1: an answer narrator can't use (object missing required field `id`)"),
    (site_answering(batch={"responses": []}),
     "POST /batch/v1: the site answered 0 of 3 requests; run again to finish"),
])
def test_an_answer_narrator_cant_use_is_one_line(small_tree, answer, message):
    with FakeServer(answer) as server:
        run = publish_cli(small_tree, server.url)
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert run.stderr.startswith(f"narrate: error: {server.url}: {message}"), run.stderr
    assert run.stderr.count("\n") == 1


def test_json_nested_too_deep_is_one_line(small_tree):
    import http.server
    import threading

    class Deep(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            data = b"[" * 200_000 + b"]" * 200_000
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Deep)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        run = publish_cli(small_tree, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
    assert run.returncode == 1 and "JSON nested too deeply" in run.stderr, run.stderr


def test_a_server_that_trickles_is_cut_off_at_the_deadline(small_tree):
    import socket
    import threading
    import time

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         b"Content-Length: 100000\r\n\r\n")
            try:
                while not stop.is_set():
                    conn.sendall(b" ")  # a byte a second: no recv ever times out
                    time.sleep(1)
            except OSError:
                pass
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    started = time.monotonic()
    try:
        run = publish_cli(small_tree, f"http://127.0.0.1:{port}", "--timeout", "3",
                          "--retries", "0")
    finally:
        stop.set()
        listener.close()
    assert time.monotonic() - started < 30
    assert run.returncode == 1 and "no answer within 3 s" in run.stderr, run.stderr


@pytest.mark.parametrize(("url", "message"), [
    ("http://127.0.0.1:99999", "--url: not a valid URL (Port out of range 0-65535)"),
    ("http://[::1", "--url: not a valid URL (Invalid IPv6 URL)"),
    ("https://admin:hunter2@example.com", "--url: the URL holds a user name or password"),
    ("http://example.com", "http://example.com: plain http to example.com would send the "
                           "application password in clear"),
])
def test_a_url_narrator_refuses_is_one_line_and_never_echoes_a_password(small_tree, url,
                                                                        message):
    run = publish_cli(small_tree, url)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.startswith(f"narrate: error: {message}"), run.stderr
    assert "hunter2" not in run.stderr and "secret-password" not in run.stderr
