"""An adversarial probe of issue 26's kinds, end to end through the CLI: prints each case,
whether it held, and the count held/tried per kind.

    python benchmarks/probe.py

Every narrate run is capped at 3 GB of address space, a safety net above narrate's own limit
(2 GB over the process's size), so a probe that finds a hole cannot take the machine down. A
case holds when narrate ends within its time limit, says what is wrong in one line (or does
the right thing), writes nothing outside its output folder and prints no traceback. Kinds:
writes outside --out, templates that kill a run, publish answers, special files, silent wrong
data. (Record text in WordPress needs the real test site: tests/publish covers it.)
"""

from __future__ import annotations

import http.server
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NARRATE = str(Path(sys.executable).parent / "narrate")
SEED = ROOT / "data" / "records" / "field-service-technician-vs-repair-technician.json"
LIMIT = 60.0


def _cap_memory() -> None:
    # a template that builds a string without bound meets this cap (a MemoryError in the
    # run), not the machine's memory: the probe must not take the machine down
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


MEMORY = 3 << 30


def narrate(*args: object, env: dict[str, str] | None = None,
            timeout: float = LIMIT) -> subprocess.CompletedProcess | None:
    try:
        return subprocess.run([NARRATE, *map(str, args)], capture_output=True, text=True,
                              timeout=timeout, env={**os.environ, **(env or {})},
                              preexec_fn=_cap_memory)
    except subprocess.TimeoutExpired:
        return None  # a hang


def one_line(run: subprocess.CompletedProcess | None, *, code: int = 1) -> bool:
    return (run is not None and run.returncode == code and "Traceback" not in run.stderr
            and run.stderr.count("\n") >= 1)


def records(tmp: Path, n: int = 2) -> Path:
    d = tmp / "data"
    d.mkdir()
    for p in sorted((ROOT / "data" / "records").glob("*.json"))[:n]:
        shutil.copy(p, d)
    return d


# -- writes outside --out ---------------------------------------------------------------------

def planted(name: str, kind: str) -> Callable[[Path], bool]:
    def case(tmp: Path) -> bool:
        data, out = records(tmp), tmp / "out"
        narrate("--all", "--data", data, "--out", out)
        target = tmp / "outside"
        (out / name).unlink(missing_ok=True)
        if kind == "fifo":
            os.mkfifo(out / name)
        else:
            (out / name).symlink_to(target)
        run = narrate("--all", "--data", data, "--out", out)
        return run is not None and run.returncode == 0 and not target.exists() \
            and not (out / "index.jsonl").is_symlink()
    return case


# -- templates that kill a run ------------------------------------------------------------------

def template(expr: str, *, all_: bool = False) -> Callable[[Path], bool]:
    """An override running ``expr``: one line of narrate's own and exit 1 (the article is
    refused; a MemoryError named means the probe's cap caught it, not narrate's limit), or, for
    dead code, the article written. ``all_``: in a ``--all`` run of two records (both reported
    and skipped, the run ends)."""
    dead = "if false" in expr

    def case(tmp: Path) -> bool:
        tpl = tmp / "tpl" / "comparison"
        tpl.mkdir(parents=True)
        (tpl / "intro.md.j2").write_text('{% extends "narrator/comparison/intro.md.j2" %}\n'
                                         "{% block qualify %}" + expr + "{% endblock %}\n")
        if all_:
            run = narrate("--all", "--data", records(tmp), "--out", tmp / "out",
                          "-t", tmp / "tpl", timeout=30)
            if run is None:
                return False
            summary = "0 written, 0 unchanged (skipped), 2 failed"
            ok = one_line(run, code=0 if dead else 1) and (dead or summary in run.stderr)
        else:
            run = narrate(SEED, "-t", tmp / "tpl", timeout=30)
            if run is None:
                return False
            ok = (run.returncode == 0 and not run.stderr) if dead else \
                one_line(run) and run.stderr.count("\n") == 1
        return ok and "MemoryError" not in run.stderr
    return case


def link_out(tmp: Path) -> bool:
    secret = tmp / "secret"
    secret.write_text("TOP SECRET")
    tpl = tmp / "tpl" / "comparison"
    tpl.mkdir(parents=True)
    (tpl / "intro.md.j2").symlink_to(secret)
    run = narrate(SEED, "-t", tmp / "tpl")
    return one_line(run) and "TOP SECRET" not in (run.stdout if run else "")


# -- publish answers --------------------------------------------------------------------------

def fake(answer: Callable[[str], tuple[int, object]]) -> tuple[http.server.HTTPServer, str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def _reply(self) -> None:
            status, body = answer(self.path)
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_OPTIONS = _reply

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def publish_answer(listing: object = None, batch: object = None,
                   me: object = None) -> Callable[[Path], bool]:
    def answer(path: str) -> tuple[int, object]:
        if "users%2Fme" in path:
            return 200, me if me is not None else {"slug": "u",
                                                   "capabilities": {"edit_posts": True}}
        if "narrator%2Fv1%2Fposts" in path:
            return 200, listing if listing is not None else {"posts": []}
        if "batch%2Fv1" in path:
            return (207, batch) if batch is not None else (200, {})
        return 200, []

    def case(tmp: Path) -> bool:
        data, out = records(tmp), tmp / "out"
        narrate("--all", "--data", data, "--out", out, "-f", "json")
        server, url = fake(answer)
        try:
            run = narrate("publish", "wordpress", "--out", out, "--url", url, "--user", "u",
                          env={"NARRATOR_WP_APP_PASSWORD": "pw"})
        finally:
            server.shutdown()
        return one_line(run)
    return case


def publish_url(url: str) -> Callable[[Path], bool]:
    def case(tmp: Path) -> bool:
        data, out = records(tmp), tmp / "out"
        narrate("--all", "--data", data, "--out", out, "-f", "json")
        run = narrate("publish", "wordpress", "--out", out, "--url", url, "--user", "u",
                      env={"NARRATOR_WP_APP_PASSWORD": "pw"})
        return one_line(run) and "hunter2" not in (run.stderr if run else "")
    return case


# -- special files ----------------------------------------------------------------------------

def fifo_as(where: str) -> Callable[[Path], bool]:
    def case(tmp: Path) -> bool:
        data, out = records(tmp), tmp / "out"
        narrate("--all", "--data", data, "--out", out)
        if where == "narrator.json":
            os.mkfifo(data / "narrator.json")
            return one_line(narrate("--all", "--data", data, "--out", tmp / "o2"))
        if where == "template":
            tpl = tmp / "tpl" / "comparison"
            tpl.mkdir(parents=True)
            os.mkfifo(tpl / "intro.md.j2")
            return one_line(narrate("check", "--data", data, "-t", tmp / "tpl"))
        if where == "report page":
            page = sorted(out.glob("*.md"))[0]
            page.unlink()
            os.mkfifo(page)
            return one_line(narrate("report", out))
        (out / "index.jsonl").unlink()
        os.mkfifo(out / "index.jsonl")
        return one_line(narrate("variants", out))
    return case


# -- silent wrong data ------------------------------------------------------------------------

def touched_back(tmp: Path) -> bool:
    data, out = records(tmp), tmp / "out"
    narrate("--all", "--data", data, "--out", out)
    page = sorted(out.glob("*.md"))[0]
    good, st = page.read_bytes(), page.stat()
    page.write_bytes(good + b"edited")
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))
    narrate("--all", "--data", data, "--out", out)
    return page.read_bytes() == good


def profile(tmp: Path, pairs: list[dict], extra_job: dict | None = None) -> Path:
    d = tmp / "bls"
    d.mkdir()
    jobs = (ROOT / "data" / "bls" / "jobs.jsonl").read_text().splitlines()[:3]
    if extra_job is not None:
        jobs.append(json.dumps(extra_job))
    (d / "jobs.jsonl").write_text("\n".join(jobs) + "\n")
    (d / "pairs.jsonl").write_text("".join(json.dumps(p) + "\n" for p in pairs))
    return d


def bad_pairs(kind: str) -> Callable[[Path], bool]:
    def case(tmp: Path) -> bool:
        ids = [json.loads(j)["id"] for j in
               (ROOT / "data" / "bls" / "jobs.jsonl").read_text().splitlines()[:3]]
        pair = {"id": f"{ids[0]}-vs-{ids[1]}", "a": ids[0], "b": ids[1]}
        if kind == "self":
            pair["b"] = ids[0]
        elif kind == "typo":
            pair["scroe"] = 1
        twin = None
        if kind == "duplicate job":
            twin = json.loads((ROOT / "data" / "bls" / "jobs.jsonl").read_text()
                              .splitlines()[0])
        d = profile(tmp, [pair], twin)
        run = narrate("--all", "--data", d, "--out", tmp / "out")
        return one_line(run)
    return case


def yaml_merge(tmp: Path) -> bool:
    path = tmp / "m.yaml"
    path.write_text("id: m-vs-n\na: &pay {id: m, title: mason, salary: 50000}\n"
                    "b:\n  <<: *pay\n  id: n\n  title: nurse\n")
    run = narrate(path)
    return run is not None and run.returncode == 0 and "Mason vs nurse" in run.stdout


def front_matter_fffe(tmp: Path) -> bool:
    import yaml

    rec = json.loads(SEED.read_text())
    rec["a"]["title"] = "field \uffff service technician"
    d = tmp / "d"
    d.mkdir()
    (d / "r.json").write_text(json.dumps(rec))
    narrate("--all", "--data", d, "--out", tmp / "o", "--front-matter")
    head = next((tmp / "o").glob("*.md")).read_text().split("---\n")[1]
    try:
        yaml.safe_load(head)
    except yaml.YAMLError:
        return False
    return True


KINDS: dict[str, list[tuple[str, Callable[[Path], bool]]]] = {
    "writes outside --out": [(f"{kind} at {name}", planted(name, kind))
                             for name in (".index.jsonl.tmp", "index.jsonl",
                                          ".index.jsonl.partial")
                             for kind in ("dangling link", "fifo")],
    "templates that kill a run": [
        ("format width", template("{{ '%0600000000d'|format(1) }}")),
        ("format width in dead code", template(
            "{% if false %}{{ '%0600000000d'|format(1) }}{% endif %}")),
        ("format width in dead code, --all", template(
            "{% if false %}{{ '%0600000000d'|format(1) }}{% endif %}", all_=True)),
        ("str.format width", template("{{ '{:>600000000}'.format(1) }}")),
        ("~ doubling", template("{% set ns = namespace(s='x') %}{% for i in range(40) %}"
                                "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}")),
        ("~ doubling, --all", template("{% set ns = namespace(s='x') %}{% for i in range(40) %}"
                                       "{% set ns.s = ns.s ~ ns.s %}{% endfor %}", all_=True)),
        ("+ doubling", template("{% set ns = namespace(s=['x']) %}{% for i in range(40) %}"
                                "{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s|length }}")),
        ("replace growth", template("{{ ('x' * 1000)|replace('x', 'x' * 1000000) }}")),
        ("join growth", template("{{ (['x' * 1000000] * 1000)|join }}")),
        ("a loop writing a long string", template(
            "{% for i in range(100000) %}{{ 'x' * 1000000 }}{% endfor %}")),
        ("a huge value (memory)", template(
            "{{ ([['x' * 1000000] * 1000] * 1000)|string|length }}")),
        ("a huge value (memory), --all", template(
            "{{ ([['x' * 1000000] * 1000] * 1000)|string|length }}", all_=True)),
        ("power", template("{{ 7 ** 100000000 }}")),
        ("a link out of the folder", link_out),
    ],
    "publish answers": [
        ("id not an int", publish_answer(listing={"posts": [{"id": "x", "slug": "s",
                                                               "status": "publish"}]})),
        ("id 1e400", publish_answer(listing={"posts": [{"id": 1e400, "slug": "s",
                                                          "status": "publish"}]})),
        ("posts missing", publish_answer(listing={})),
        ("capabilities a list", publish_answer(me={"capabilities": ["edit_posts"]})),
        ("batch answers numbers", publish_answer(batch={"responses": [1, 2]})),
        ("batch answers short", publish_answer(batch={"responses": []})),
        ("port 99999", publish_url("http://127.0.0.1:99999")),
        ("bad IPv6", publish_url("http://[::1")),
        ("password in the URL", publish_url("https://u:hunter2@example.com")),
        ("plain http elsewhere", publish_url("http://example.com")),
    ],
    "special files": [(f"a FIFO as {w}", fifo_as(w))
                      for w in ("narrator.json", "template", "report page", "index.jsonl")],
    "silent wrong data": [
        ("mtime put back", touched_back),
        ("pair of one job", bad_pairs("self")),
        ("misspelt pair key", bad_pairs("typo")),
        ("job id on two lines", bad_pairs("duplicate job")),
        ("YAML merge key", yaml_merge),
        ("U+FFFF in front matter", front_matter_fffe),
    ],
}


def main() -> None:
    total_held = total = 0
    for kind, cases in KINDS.items():
        held = 0
        for name, case in cases:
            with tempfile.TemporaryDirectory() as tmp:
                try:
                    ok = case(Path(tmp))
                except Exception as err:  # a probe that crashes did not hold
                    ok = False
                    name += f" ({err.__class__.__name__})"
            held += ok
            print(f"  {'held ' if ok else 'FAILED'}  {kind}: {name}")
        print(f"{kind}: {held}/{len(cases)} held")
        total_held, total = total_held + held, total + len(cases)
    print(f"all: {total_held}/{total} held")


if __name__ == "__main__":
    main()
