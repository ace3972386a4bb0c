"""`narrate publish wordpress` into a throw-away WordPress (wordpress/test-site, as root).

    .venv/bin/python benchmarks/bench_publish.py [--limit N] [--tree DIR] [--workers 4]

Renders every article as JSON (or uses ``--tree``, a tree rendered with ``--format json``),
starts an empty site on 127.0.0.1, and times, each in a fresh ``narrate`` process:

* the full sync into the empty site (every article created);
* a no-change re-sync (nothing written: one listing, the plan, no batch);
* a sync after one template edit (``comparison/demographics.md.j2`` extended in an override
  folder: it changes the reference records only, so a handful of posts are updated).

``--limit N`` publishes the first N articles only (a sub-tree of links to the same files), to
measure on a loaded machine; the per-post figure then says what the whole set would take.
The site's posts are counted at the end (exactly the tree's articles, none twice).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NARRATE = [sys.executable, "-m", "narrator.cli"]
SCRIPT = ROOT / "wordpress" / "test-site"


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run([*NARRATE, *args], cwd=ROOT, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    if proc.returncode not in (0,):
        sys.exit(f"narrate {' '.join(args[:2])} failed:\n{proc.stderr[-2000:]}")
    return wall, proc.stderr.strip().splitlines()[-1]


def sub_tree(tree: Path, dest: Path, limit: int) -> Path:
    """The last ``limit`` articles of ``tree`` (the reference records, which the template
    edit changes, come last) as a tree of symlinks."""
    dest.mkdir(parents=True, exist_ok=True)
    lines = []
    for line in (tree / "index.jsonl").read_text().splitlines()[::-1]:
        entry = json.loads(line)
        if "id" not in entry:
            continue
        if len(lines) == limit:
            break
        lines.insert(0, line)
        for f in entry["files"]:
            link = dest / f["path"]
            link.unlink(missing_ok=True)
            link.symlink_to(tree / f["path"])
    (dest / "index.jsonl").write_text("\n".join(lines) + "\n")
    return dest


def render(out: Path, *extra: str) -> None:
    wall, line = run(["all", "--format", "json", "--out", str(out), *extra])
    print(f"render {out.name}: {wall:.1f} s ({line})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=0, help="publish the first N articles only")
    parser.add_argument("--tree", type=Path, help="a tree rendered with --format json")
    parser.add_argument("--workers", default="4", help="php -S workers (PHP_CLI_SERVER_WORKERS)")
    parser.add_argument("--parallel", default="2", help="narrate publish --parallel")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-publish-"))
    tree = args.tree or work / "tree"
    if args.tree is None:
        render(tree)
    edited_templates = work / "templates" / "comparison"
    edited_templates.mkdir(parents=True)
    (edited_templates / "demographics.md.j2").write_text(
        '{% extends "narrator/comparison/demographics.md.j2" %}\n'
        '{% block lead_in %}{{ super() }} (2024 survey){% endblock %}\n')
    edited = work / "edited"
    # The edited tree: a copy of the tree rerendered with the override (incremental: only
    # what the edit touches is written; the rest is linked from the tree as it is).
    subprocess.run(["cp", "-al", str(tree), str(edited)], check=True)
    render(edited, "--templates", str(work / "templates"))
    if args.limit:
        tree = sub_tree(tree, work / "tree-limit", args.limit)
        edited = sub_tree(edited, work / "edited-limit", args.limit)
    n = sum(1 for line in (tree / "index.jsonl").read_text().splitlines() if '"id"' in line[:6])

    state = work / "site"
    up = subprocess.run([str(SCRIPT), "up", str(state)], capture_output=True, text=True,
                        env={**os.environ, "WP_WORKERS": args.workers})
    if up.returncode:
        sys.exit(up.stderr)
    try:
        site = dict(line.split("=", 1) for line in (state / "site.env").read_text().splitlines())
        env = {**os.environ, "NARRATOR_WP_URL": site["WP_URL"], "NARRATOR_WP_USER": site["WP_USER"]}
        publish = ["publish", "wordpress", "--password-file", site["WP_PASSWORD_FILE"],
                   "--status", "publish", "--parallel", args.parallel]
        print(f"{n} articles -> {site['WP_URL']} (php -S, {args.workers} workers, "
              f"--parallel {args.parallel})", flush=True)
        for name, out in (("full sync", tree), ("no-change re-sync", tree),
                          ("after a template edit", edited)):
            wall, line = run([*publish, "--out", str(out)], env)
            per = f", {wall / n * 1000:.1f} ms an article" if name == "full sync" else ""
            print(f"{name:>24}: {wall:7.1f} s{per}   {line}", flush=True)
        count = subprocess.run(
            ["mariadb", "--no-defaults", f"--socket={state}/mysqld.sock", "-uroot", "-N", "-e",
             "SELECT COUNT(*), COUNT(DISTINCT post_name) FROM wordpress.wp_posts p JOIN "
             "wordpress.wp_postmeta m ON m.post_id = p.ID AND m.meta_key = 'narrator_id' "
             "WHERE post_type = 'post' AND post_status = 'publish'"],
            capture_output=True, text=True).stdout.split()
        print(f"narrator's posts on the site: {count[0]} ({count[1]} distinct slugs; "
              f"articles: {n})")
    finally:
        subprocess.run([str(SCRIPT), "down", str(state)], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
