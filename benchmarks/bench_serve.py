"""narrate serve: from a template save to the open page's new HTML, and to the list of what
changed across the BLS set, beside an incremental `narrate --all` of the same edit.

    python benchmarks/bench_serve.py [--runs 5]

Starts `narrate serve -d data/bls -t TMP` (an override folder with a copy of the editorial intro),
waits until it has read every article, then for each run: edits one sentence of the override,
times (1) until the open article's page holds the new sentence, and (2) until /changes lists
every changed article. Beside it, the same edit through `narrate --all --data data/bls -t TMP`
on a tree rendered before the edit (an incremental run). Medians of the runs.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NARRATE = str(Path(sys.executable).parent / "narrate")
PAGE = "civil-engineer-vs-electrical-engineer"
INTRO = ROOT / "templates" / "editorial" / "comparison" / "intro.md.j2"


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read().decode()


def until(predicate, timeout: float = 120.0) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    while not predicate():
        if time.perf_counter() - start > timeout:
            raise SystemExit("timed out")
        time.sleep(0.005)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tpl = Path(tmp) / "tpl" / "comparison"
        tpl.mkdir(parents=True)
        source = INTRO.read_text(encoding="utf-8")
        (tpl / "intro.md.j2").write_text(source, encoding="utf-8")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        url = f"http://127.0.0.1:{port}"
        out = Path(tmp) / "out"
        subprocess.run([NARRATE, "--all", "--data", str(ROOT / "data" / "bls"), "-t",
                        str(tpl.parent), "--out", str(out)], check=True, capture_output=True)
        proc = subprocess.Popen([NARRATE, "serve", "-d", str(ROOT / "data" / "bls"), "-t",
                                 str(tpl.parent), "--port", str(port)],
                                stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            until(lambda: _ok(url + "/changes", "No article has changed"), 300)
            page_s, list_s, all_s, counts = [], [], [], []
            for i in range(args.runs):
                marker = f"Edited sentence number {i}."
                version = get(url + "/version")
                # an edit to text every editorial page has: its first line after the H1
                (tpl / "intro.md.j2").write_text(
                    source.replace("{% block differences %}",
                                   "{% block differences %}" + marker + " ", 1), encoding="utf-8")
                start = time.perf_counter()
                until(lambda v=version: get(url + "/version") != v)
                until(lambda m=marker: m in get(f"{url}/a/{PAGE}"))
                page_s.append(time.perf_counter() - start)
                now = get(url + "/version")
                until(lambda n=now: f'data-changes-at="{n}"' in get(url + "/changes"))
                list_s.append(time.perf_counter() - start)
                counts.append(_changed(url))
                t = time.perf_counter()
                subprocess.run([NARRATE, "--all", "--data", str(ROOT / "data" / "bls"), "-t",
                                str(tpl.parent), "--out", str(out)], check=True,
                               capture_output=True)
                all_s.append(time.perf_counter() - t)
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
    print(f"articles changed by the edit: {counts[-1]}")
    print(f"save -> open page shows it      median {statistics.median(page_s):6.3f} s")
    print(f"save -> /changes lists them     median {statistics.median(list_s):6.3f} s")
    print(f"incremental narrate --all       median {statistics.median(all_s):6.3f} s")


def _ok(url: str, text: str) -> bool:
    try:
        return text in get(url)
    except OSError:
        return False


def _changed(url: str) -> int:
    return get(url + "/changes").count('href="/a/')


if __name__ == "__main__":
    main()
