"""The `narrate diff --html` page in a real headless Chromium: it loads, shows the counts, and
marks deleted and inserted words visibly. Needs Debian's `chromium` and `chromium-driver` and
the `selenium` package; without them this test fails (CI installs them), it never skips."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from narrator.review import diff as diffing
from tests.browser import chromium

pytestmark = pytest.mark.browser

try:
    from selenium.webdriver.common.by import By
except ImportError:  # chromium() reports it
    By = None  # type: ignore[assignment,misc]

TRANSPARENT = {"transparent", "rgba(0, 0, 0, 0)"}

ARTICLE = """# Baker vs welder

The differences between bakers and welders <script>document.title = "pwned"</script> can be \
seen in {detail}. Each job has different responsibilities and duties.

| | Bakers | Welders |
| --- | --- | --- |
| Yearly salary | $38,480 | {salary} |
"""


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    with chromium(tmp_path / "profile") as driver:
        yield driver


@pytest.fixture
def page(tmp_path: Path) -> Path:
    for name, detail, salary in (("old", "a few details", "$56,760"),
                                 ("new", "a few key details", "$57,000")):
        (tmp_path / name).mkdir()
        for stem in ("baker-vs-welder", "cook-vs-welder"):
            text = ARTICLE.format(detail=detail, salary=salary)
            (tmp_path / name / f"{stem}.md").write_text(text, encoding="utf-8")
    (tmp_path / "new" / "fresh.md").write_text("# Fresh vs new\n", encoding="utf-8")
    path = tmp_path / "report.html"
    report = diffing.compare(tmp_path / "old", tmp_path / "new")
    path.write_text(diffing.to_html(report), encoding="utf-8")
    return path


def test_report_page_in_a_browser(browser, page):
    browser.get(page.as_uri())
    assert browser.title == "narrate diff: 2 changed, 1 added, 0 removed"
    summary = browser.find_element(By.ID, "summary")
    assert summary.is_displayed()
    counts = {label: browser.find_element(By.ID, f"count-{label}").text.split()
              for label in ("changed", "added", "removed", "unchanged")}
    assert counts == {"changed": ["changed", "2"], "added": ["added", "1"],
                      "removed": ["removed", "0"], "unchanged": ["unchanged", "0"]}

    group = browser.find_element(By.ID, "group-1")
    assert "this edit changed 2 articles the same way" in group.text
    inserted = group.find_element(By.CSS_SELECTOR, ".unit ins")
    deleted = group.find_element(By.CSS_SELECTOR, ".unit del")
    assert (inserted.text, deleted.text) == ("key", "$56,760")
    for mark in (inserted, deleted):
        assert mark.is_displayed() and mark.size["width"] > 0
        assert mark.value_of_css_property("background-color") not in TRANSPARENT
    assert "line-through" in deleted.value_of_css_property("text-decoration")
    assert "line-through" not in inserted.value_of_css_property("text-decoration")
    # the article's markup is shown as text, never run (the title above is still ours)
    assert '<script>document.title = "pwned"</script>' in group.text
    assert browser.find_elements(By.TAG_NAME, "script") == []
    assert browser.execute_script(
        "return performance.getEntriesByType('resource').length") == 0  # nothing fetched
