"""`narrate --all --front-matter`: YAML front matter a static-site CMS reads, checked by
building the review set with Hugo (Debian's `hugo`; `.ci/run` installs it)."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from narrator.frontmatter import _s
from tests.conftest import ROOT
from tests.wordpress import render

HUGO = shutil.which("hugo") or "/usr/bin/hugo"
# earlier: farmer-rancher-or-other-agricultural-manager-vs-...
RENAMED = "farmer-vs-food-service-manager"

LAYOUT = """<!DOCTYPE html>
<html><head><title>{{ .Title }}</title><meta name="description" content="{{ .Description }}">
</head><body><h1>{{ .Title }}</h1><time>{{ .Date.Format "2006-01-02" }}</time>
<ul class="tags">{{ range .Params.tags }}<li>{{ . }}</li>{{ end }}</ul>
{{ RELATED }}
{{ .Content }}</body></html>
""".replace("{{ RELATED }}", (  # the theme lists the related pages of the front matter
    '<ul class="related">{{ range .Params.related }}'
    '{{ with $.Site.GetPage (printf "/jobs/%s" .) }}'
    '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}</ul>'))


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    ids = [p.stem for p in sorted((ROOT / "data" / "records").glob("*.json"))]
    return render(tmp_path_factory.mktemp("fm") / "out", "--front-matter",
                  ids=[*ids, RENAMED, "actor-vs-broadcast-announcer", "actor-vs-dancer"])


def test_front_matter_fields(tree: Path):
    text = (tree / f"{RENAMED}.md").read_text()
    _, head, body = text.split("---\n", 2)
    meta = yaml.safe_load(head)
    article = json.loads((tree / f"{RENAMED}.json").read_text())
    assert meta == {
        "title": article["title"], "slug": RENAMED, "description": article["meta_description"],
        "seo_title": article["seo_title"], "date": "2026-05-15",
        "tags": ["farmer", "food service manager"],
        "aliases": [f"/{a}/" for a in article["aliases"]],
    }
    assert not body.startswith("# ")  # the theme shows the title
    seed = yaml.safe_load((tree / "field-service-technician-vs-repair-technician.md")
                          .read_text().split("---\n", 2)[1])
    assert "date" not in seed  # its data set names no release


@pytest.mark.hugo
def test_hugo_builds_the_review_set(tree: Path, tmp_path: Path):
    if not Path(HUGO).is_file():
        pytest.fail("hugo not found: apt-get install -y hugo (.ci/run does)")
    site = tmp_path / "site"
    (site / "content" / "jobs").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "config.toml").write_text('baseURL = "http://example.invalid/"\ntitle = "t"\n'
                                      'disableKinds = ["RSS", "sitemap", "taxonomy", "term"]\n')
    (site / "layouts" / "_default" / "single.html").write_text(LAYOUT)
    (site / "layouts" / "_default" / "list.html").write_text(
        "{{ range .Pages }}{{ .Title }}{{ end }}")
    for md in tree.glob("*.md"):
        shutil.copy(md, site / "content" / "jobs" / md.name)
    run = subprocess.run([HUGO, "--quiet", "--source", str(site)], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    page = (site / "public" / "jobs" / RENAMED / "index.html").read_text()
    assert "<title>Farmer vs food service manager</title>" in page
    assert "<time>2026-05-15</time>" in page
    assert '<li>farmer</li><li>food service manager</li>' in page
    assert re.search(r"<table>\s*<thead>\s*<tr>\s*<th", page)  # the Markdown tables rendered
    assert page.count("<h1>") == 1
    description = html.unescape(re.search(r'name="description" content="([^"]*)"', page)[1])
    assert description.startswith(  # the medians (issue 22): $20,510 more is 30% of $69,390
        "Farmers earn 30% more than food service managers (median $89,900 vs $69,390)")
    # the related pages, listed by the theme from the front matter (issue 23, item 5)
    actor = (site / "public" / "jobs" / "actor-vs-broadcast-announcer" / "index.html").read_text()
    link = '<li><a href="/jobs/actor-vs-dancer/">Actor vs dancer</a></li>'
    assert f'<ul class="related">{link}</ul>' in actor
    assert yaml.safe_load((tree / "actor-vs-broadcast-announcer.md").read_text().split("---\n", 2)[
        1])["related"] == ["actor-vs-dancer"]
    old = site / "public" / "farmer-rancher-or-other-agricultural-manager-vs-food-service-manager"
    assert f"/jobs/{RENAMED}/" in (old / "index.html").read_text()  # Hugo's alias redirect


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Cs",))))
def test_any_record_text_is_valid_yaml_that_reads_back_the_same(text: str) -> None:
    """Front matter strings hold any text a record may carry (U+FFFF, controls, NEL, ...)."""
    assert yaml.safe_load(f"title: {_s(text)}\n") == {"title": text}
