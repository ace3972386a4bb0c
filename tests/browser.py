"""Headless Debian Chromium through selenium, for the tests that look at a page in a real
browser (the diff report, the pay chart). A missing browser or driver fails the test rather
than skipping it: `.ci/run` installs both."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
except ImportError:  # reported by chromium(), as a failure
    webdriver = None  # type: ignore[assignment]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
# Without the background-networking flags Chromium keeps trying this machine's closed network.
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync"]


@contextmanager
def chromium(profile: Path, extra_flags: tuple[str, ...] = ()) -> Iterator[Any]:
    """A selenium Chrome driver on a fresh profile folder, quit on exit."""
    if webdriver is None:
        pytest.fail("selenium is not installed: pip install selenium (it is in the test extra)")
    for program, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not Path(program).is_file():
            pytest.fail(f"{program} not found: apt-get install -y {package}")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*FLAGS, *extra_flags, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
