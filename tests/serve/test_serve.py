"""narrate serve (issue 25): the preview renders what --all writes, every route answers, nothing
outside the data is reachable, and a save shows in an open page without a reload."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from narrator.batch.runner import Options, narrate_all
from narrator.serve.app import create_app
from narrator.serve.preview import Preview
from tests.browser import chromium
from tests.conftest import ROOT, copy_records, profile_set


def wait_for(predicate, timeout: float = 10.0) -> bool:
    """Poll ``predicate`` until it holds, or ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return bool(predicate())


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # starlette's TestClient

NARRATE = Path(sys.executable).parent / "narrate"
SEED = "field-service-technician-vs-repair-technician"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("data")
    copy_records(d / "records")
    profile_set(d / "bls", pairs=slice(None, None, 25), style=True)
    return d


@pytest.fixture(scope="module")
def client(data: Path):
    with TestClient(create_app(Preview([data]), watch=False)) as c:
        yield c


def test_the_preview_is_what_narrate_all_writes(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary = narrate_all(data, Options(out=out, formats=("md", "html", "txt", "json")), jobs=1)
    assert summary.failed == 0
    preview = Preview([data])
    assert len(preview.items) == summary.written > 100
    for rid in preview.items:
        for fmt, text in preview.formats(rid).items():
            assert (out / f"{rid}.{fmt}").read_text(encoding="utf-8") == text, (rid, fmt)


def test_home_counts_searches_filters_and_pages(client: TestClient, data: Path) -> None:
    pairs = len((data / "bls" / "pairs.jsonl").read_text().splitlines())
    home = client.get("/").text
    assert f"{pairs + 10} articles" in home and f"{pairs} from {data / 'bls'}" in home
    assert 'rel="next"' in home and "page 1 of" in home
    assert 'rel="prev"' in client.get("/?page=2").text
    nurse = client.get("/?q=nurse").text
    assert "registered-nurse-vs" in nurse or "nurse" in nurse.split('id="found"')[1]
    seed = client.get("/?style=seed").text
    assert "10 found" in seed and f"/a/{SEED}" in seed
    hourly = client.get("/?fact=hourly-only").text.split('id="articles"')[1]
    assert all("actor" in line or "dancer" in line or "musician" in line or "</ul>" in line
               or not line.strip() or "<li>" not in line for line in hourly.splitlines()[:3])
    assert "0 found" in client.get("/?variant=no_such_slot=1").text
    assert client.get("/?page=abc").status_code == 200  # a bad page number is page 1


def test_an_article_as_it_will_be_published(client: TestClient) -> None:
    page = client.get(f"/a/{SEED}").text
    assert '<h1 id="title">' in page and 'id="seo"' in page and "characters)" in page
    assert "<!-- wp:html -->" in page  # the post body exactly as publish wordpress sends it
    assert 'id="markdown"' in page and 'id="json"' in page and 'id="record"' in page
    de = client.get(f"/a/{SEED}?locale=de_DE").text
    assert de != page and "de_DE" in de
    assert client.get(f"/a/{SEED}?locale=xx_YY").status_code == 400


@pytest.mark.parametrize("path", ["/a/nope", "/a/..%2F..%2Fetc%2Fpasswd", "/etc/passwd",
                                  "/static/../../etc/passwd", "/a/%2e%2e/records"])
def test_nothing_outside_the_data_is_served(client: TestClient, path: str) -> None:
    resp = client.get(path)
    assert resp.status_code == 404 and "root:" not in resp.text


def test_record_text_is_escaped(tmp_path: Path) -> None:
    d = copy_records(tmp_path / "data", 1)
    rec_file = next(d.iterdir())
    rec = json.loads(rec_file.read_text())
    rec["a"]["description"] = "<script>alert(1)</script> escapes"
    rec_file.write_text(json.dumps(rec))
    with TestClient(create_app(Preview([d]), watch=False)) as c:
        page = c.get(f"/a/{rec['id']}").text
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


def test_a_broken_template_is_shown_and_the_server_stays_up(data: Path, tmp_path: Path) -> None:
    tpl = tmp_path / "tpl" / "comparison"
    tpl.mkdir(parents=True)
    intro = tpl / "intro.md.j2"
    intro.write_text('{% extends "narrator/comparison/intro.md.j2" %}\n'
                     '{% block qualify %}{{ a.salry }}{% endblock %}\n')
    preview = Preview([data / "records"], [tmp_path / "tpl"])
    with TestClient(create_app(preview, watch=False)) as c:
        page = c.get(f"/a/{SEED}").text
        assert 'id="error"' in page and "intro.md.j2:2: UndefinedError" in page
        assert "did you mean &#39;salary&#39;" in page
        intro.write_text('{% extends "narrator/comparison/intro.md.j2" %}\n'
                         '{% block qualify %}FIXED{% endblock %}\n')
        c.portal.call(c.app.state.changed, False)
        assert "FIXED" in c.get(f"/a/{SEED}").text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read().decode()


@pytest.fixture
def server(data: Path, tmp_path: Path):
    tpl = tmp_path / "tpl" / "comparison"
    tpl.mkdir(parents=True)
    shutil.copy(ROOT / "templates" / "comparison" / "meta.txt.j2", tpl / "meta.txt.j2")
    port = _free_port()
    proc = subprocess.Popen([str(NARRATE), "serve", "-d", str(data), "-t", str(tmp_path / "tpl"),
                             "--port", str(port)], stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return _get(url + "/version") == "0"
        except OSError:
            return False

    try:
        assert wait_for(up, 60), proc.stderr.read() if proc.poll() is not None else "not up"
        yield url, tpl
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def _intro(tpl: Path, text: str) -> None:
    (tpl / "intro.md.j2").write_text('{% extends "narrator/comparison/intro.md.j2" %}\n'
                                     '{% block qualify %}' + text + '{% endblock %}\n')


@pytest.mark.browser
def test_a_save_shows_in_the_open_page_without_a_reload(server, tmp_path: Path) -> None:
    url, tpl = server
    with chromium(tmp_path / "profile") as driver:
        driver.get(f"{url}/a/{SEED}")
        driver.execute_script("window.notReloaded = true")
        _intro(tpl, "A SENTENCE FROM THE EDITOR.")
        assert wait_for(lambda: "A SENTENCE FROM THE EDITOR." in driver.page_source, 15)
        _intro(tpl, "{{ a.salry }}")
        assert wait_for(lambda: "UndefinedError" in driver.page_source, 15)
        _intro(tpl, "FIXED AGAIN.")
        assert wait_for(lambda: "FIXED AGAIN." in driver.page_source, 15)
        assert driver.execute_script("return window.notReloaded") is True  # never reloaded


def test_what_changed_names_exactly_the_affected_articles(server, data: Path) -> None:
    url, tpl = server
    assert wait_for(lambda: "No article has changed" in _get(url + "/changes"), 60)
    _intro(tpl, '{{ super() }}{% if "field service" in a.title %} FIELD SERVICE NOTE.'
                '{% endif %}')
    # the articles this edit changes, found by rendering the data with and without it
    before, after = Preview([data]), Preview([data], [tpl.parent])
    expected = sorted(rid for rid in before.items
                      if before.formats(rid)["md"] != after.formats(rid)["md"])
    assert 0 < len(expected) < len(before.items)
    assert wait_for(lambda: all(rid in _get(url + "/changes") for rid in expected), 60)
    listed = [line.split('href="/a/')[1].split('"')[0]
              for line in _get(url + "/changes").splitlines() if 'href="/a/' in line]
    assert listed == expected


def test_not_loopback_warns(tmp_path: Path) -> None:
    port = _free_port()
    proc = subprocess.Popen([str(NARRATE), "serve", "-d", str(copy_records(tmp_path / "d", 1)),
                             "--host", "0.0.0.0", "--port", str(port)], stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        first = proc.stderr.readline() if proc.stderr else ""
        assert first.startswith("narrate: warning: listening on 0.0.0.0")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    time.sleep(0)


def test_report_and_variants_are_pages_of_the_app(client: TestClient) -> None:
    report = client.get("/report")
    assert report.status_code == 200 and "<table" in report.text and "pages" in report.text
    variants = client.get("/variants")
    assert variants.status_code == 200 and "pay_gap" in variants.text
    bls = next(line.split('href="/a/')[1].split('"')[0]
               for line in client.get("/?style=editorial").text.splitlines()
               if 'href="/a/' in line)
    page = client.get(f"/a/{bls}").text.split('id="variants"')[1].split("</details>")[0]
    assert page.count('class="chosen"') >= 1 and page.count("<code>") > page.count("chosen:")


def test_what_changed_against_an_earlier_tree(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert narrate_all(data / "records", Options(out=out), jobs=1).failed == 0
    edited = out / f"{SEED}.md"
    edited.write_text(edited.read_text().replace("# ", "# An older title: ", 1))
    preview = Preview([data / "records"])
    preview.start_baseline(out)
    assert [c.id for c in preview.changes] == [SEED]


def test_a_data_file_replaced_or_broken_while_it_runs(tmp_path: Path) -> None:
    """The server rereads the data on a change, lists a record it can't read, and stays up."""
    d = copy_records(tmp_path / "d", 2)
    port = _free_port()
    proc = subprocess.Popen([str(NARRATE), "serve", "-d", str(d), "--port", str(port)],
                            stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(lambda: _up(url), 60)
        assert "2 articles" in _get(url + "/")
        victim = sorted(d.iterdir())[0]
        rec = json.loads(victim.read_text())
        rec["a"]["description"] = "A description changed on disk."
        tmp = victim.with_suffix(".new")
        tmp.write_text(json.dumps(rec))
        tmp.replace(victim)  # replaced in one step, as editors' tools save
        assert wait_for(lambda: "changed on disk" in _get(f"{url}/a/{rec['id']}"), 30)
        (d / "broken.json").write_text("{ not json")
        assert wait_for(lambda: "broken.json" in _get(url + "/"), 30)
        assert "2 articles" in _get(url + "/") and proc.poll() is None
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def _up(url: str) -> bool:
    try:
        return _get(url + "/version").isdigit()
    except OSError:
        return False
