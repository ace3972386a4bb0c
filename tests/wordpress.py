"""A real WordPress for the publishing tests: `wordpress/test-site` brings up Debian's
WordPress, MariaDB and PHP on 127.0.0.1 once per test session (installing the packages first
when they are missing, as root) and stops them, process groups included, at the end.

The review set here is small: the ten reference records and five BLS pairs, rendered once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from narrator.publish.http import Client
from tests.conftest import ROOT

SCRIPT = ROOT / "wordpress" / "test-site"
NARRATE = Path(sys.executable).with_name("narrate")
BLS_PAIRS = ["chief-executive-vs-purchasing-manager", "actor-vs-broadcast-announcer",
             "actor-vs-dancer", "bartender-vs-waiter-or-waitress",
             "business-professor-vs-economics-professor"]


@dataclass
class WordPress:
    url: str
    user: str
    password_file: Path
    state: Path | None = None  # the test site's folder (site.env, admin-login, the database)

    def client(self) -> Client:
        return Client(self.url, self.user, self.password_file.read_text().strip(), retries=2)

    def posts(self, status: str = "any") -> list[dict]:
        """Every post of the site (``status`` any, or trash), with narrator's meta."""
        out, page = [], 1
        while True:
            resp = self.client().call("GET", "/wp/v2/posts", params={
                "status": status, "context": "edit", "per_page": 100, "page": page,
                "_fields": "id,slug,status,title,meta,modified_gmt,content,link,excerpt,"
                           "categories,tags"})
            if resp.status == 400 or not resp.data:  # past the last page
                return out
            out += resp.data
            page += 1

    def clear(self) -> None:
        """Delete every post for good (trashed ones too): each test starts on an empty site."""
        c = self.client()
        ids = [p["id"] for status in ("any", "trash") for p in self.posts(status)]
        for i in range(0, len(ids), 25):
            resp = c.call("POST", "/batch/v1", body={"requests": [
                {"method": "DELETE", "path": f"/wp/v2/posts/{pid}?force=true"}
                for pid in ids[i:i + 25]]})
            assert resp.status == 207, resp.data

    def publish(self, out: Path, *args: str, password_file: Path | None = None,
                **popen: object) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(NARRATE), "publish", "wordpress", "--out", str(out), "--url", self.url,
             "--user", self.user, "--password-file", str(password_file or self.password_file),
             *args], capture_output=True, text=True, timeout=300, **popen)


@pytest.fixture(scope="session")
def wordpress(tmp_path_factory: pytest.TempPathFactory):
    state = tmp_path_factory.mktemp("wordpress")
    up = subprocess.run([str(SCRIPT), "up", str(state)], capture_output=True, text=True,
                        timeout=1200)
    try:
        assert up.returncode == 0, f"wordpress/test-site up failed:\n{up.stderr}"
        env = dict(line.split("=", 1) for line in (state / "site.env").read_text().splitlines())
        yield WordPress(env["NARRATOR_WP_URL"], env["NARRATOR_WP_USER"],
                        Path(env["NARRATOR_WP_PASSWORD_FILE"]), state)
    finally:
        subprocess.run([str(SCRIPT), "down", str(state)], capture_output=True, timeout=120)


@pytest.fixture
def site(wordpress: WordPress) -> WordPress:
    wordpress.clear()
    return wordpress


def render(out: Path, *extra: str, ids: list[str] | None = None) -> Path:
    """The review set (or ``ids`` of it) rendered as JSON (and Markdown) into ``out``."""
    only = out.parent / f"{out.name}.only"
    records = sorted(p.stem for p in (ROOT / "data" / "records").glob("*.json"))
    only.write_text("\n".join(ids if ids is not None else [*records, *BLS_PAIRS]) + "\n")
    run = subprocess.run([str(NARRATE), "--all", "--data", str(ROOT / "data"), "--only", str(only),
                          "--out", str(out), "--format", "json", "--format", "md", "--jobs", "1",
                          *extra], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "NO_COLOR": "1"})
    assert run.returncode == 0, run.stderr
    return out


@pytest.fixture(scope="session")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(tmp_path_factory.mktemp("tree") / "out")
