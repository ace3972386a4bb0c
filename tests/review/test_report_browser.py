"""The `narrate report --html` page in a real headless Chromium: it loads, shows the corpus
figures and the most widespread lines, and shows page text as text (never markup)."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrator.review import report
from tests.browser import chromium

pytestmark = pytest.mark.browser

try:
    from selenium.webdriver.common.by import By
except ImportError:  # chromium() reports it
    By = None  # type: ignore[assignment,misc]


def test_report_page_in_a_browser(tmp_path: Path) -> None:
    pages = [(f"p{i}", f"# Baker{i} vs cook\n\nEvery page says this. Bakers earn ${i} more. "
                       f"<script>document.title = 'pwned'</script> Line {i} is its own.\n")
             for i in range(4)]
    path = tmp_path / "report.html"
    path.write_text(report.to_html(report.analyse(pages)), encoding="utf-8")
    with chromium(tmp_path / "profile") as browser:
        browser.get(path.as_uri())
        assert browser.title == "narrate report: 4 pages"
        summary = browser.find_element(By.ID, "summary")
        assert summary.is_displayed() and "Mean boilerplate share" in summary.text
        assert browser.find_element(By.ID, "fig-0").text == "4"
        top = browser.find_element(By.ID, "top")
        rows = [tr.text for tr in top.find_elements(By.TAG_NAME, "tr")]
        assert "heading 4 100.0% <job> vs <job>" in rows
        assert "sentence 4 100.0% Every page says this." in rows
        assert "<script>document.title = 'pwned'</script>" in top.text
        assert browser.find_elements(By.TAG_NAME, "script") == []
        assert browser.find_element(By.ID, "pairs").is_displayed()
        assert browser.execute_script(
            "return performance.getEntriesByType('resource').length") == 0
