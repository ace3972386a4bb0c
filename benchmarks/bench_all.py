"""`narrate --all` on the real data: wall time, CPU time and peak RSS of the whole process tree.

    .venv/bin/python benchmarks/bench_all.py [--jobs N] [--scale 10]

Runs, each in a fresh process:

* the shipped data: cold (empty --out), incremental with nothing changed, and after editing
  one template (a copy of ``comparison/title.txt.j2`` in an override folder that every run
  uses, edited in place between runs: is an edit noticed, and what does it cost);
* the BLS profile set cold, again with nothing changed, and after editing the text of one
  variant of one ``{% variants %}`` slot (in a verbatim copy of the editorial intro in an
  override folder): only the pages that chose that variant are rendered again;
* the same BLS comparisons as standalone records in one ``.jsonl`` (the shape a CMS's
  own data comes in), cold, beside the profile-set shape of the same pages;
* a ~200 MB ``.jsonl`` of standalone records (ids suffixed), cold;
* a profile set of 100,000 jobs and 5,000,000 pairs rendered with ``--only`` 2,000 ids;
* the data set's pairs repeated ``--scale`` times (pair ids suffixed), cold, to show that peak
  memory does not grow with the number of pairs.

Peak RSS is sampled every 20 ms over the process and all its workers, and summed; CPU is
user and system time of the tree (CPU/wall near the number of cores: every core busy).
Beside the cold run, its reference: the same files written again by plain ``write_bytes``
(the filesystem's own cost, which on a VM disk varies several-fold from minute to minute).
``--quick`` leaves out the 200 MB file and the 100k-job set.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NARRATE = [sys.executable, "-m", "narrator.cli"]


def _tree_rss_kb(pid: int) -> int:
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    stack += [int(c) for c in f.read().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def measure(args: list[str]) -> dict[str, float]:
    """Wall, CPU (user+sys of the tree) and peak summed RSS of one narrate run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen([*NARRATE, *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_kb(proc.pid))
        time.sleep(0.02)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"narrate failed ({proc.returncode}): {err}")
    user, sys_ = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
    return {"wall_s": wall, "user_s": user, "sys_s": sys_, "peak_rss_mb": peak / 1024,
            "summary": err.strip().splitlines()[-1]}


def plain_write(src: Path, dst: Path) -> dict[str, float]:
    """The filesystem's floor: the files of ``src`` written again with plain ``write_bytes``
    in this process (no rendering, no temporary files, no index)."""
    files = [(p.relative_to(src), p.read_bytes()) for p in sorted(src.rglob("*")) if p.is_file()]
    before, start = os.times(), time.perf_counter()
    for rel, data in files:
        (dst / rel).parent.mkdir(parents=True, exist_ok=True)
        (dst / rel).write_bytes(data)
    after = os.times()
    return {"wall_s": time.perf_counter() - start, "user_s": after.user - before.user,
            "sys_s": after.system - before.system, "peak_rss_mb": None,
            "summary": f"{len(files)} files"}


def scaled_data(src: Path, dst: Path, scale: int) -> int:
    """The data set with its pairs repeated ``scale`` times under new ids."""
    shutil.copytree(src / "records", dst / "records")
    (dst / "bls").mkdir(parents=True)
    shutil.copy(src / "bls" / "jobs.jsonl", dst / "bls" / "jobs.jsonl")
    shutil.copy(src / "bls" / "narrator.json", dst / "bls" / "narrator.json")
    pairs = (src / "bls" / "pairs.jsonl").read_text(encoding="utf-8").splitlines()
    n = 0
    with (dst / "bls" / "pairs.jsonl").open("w", encoding="utf-8") as f:
        for k in range(scale):
            for line in pairs:
                p = json.loads(line)
                p["id"] = p["id"] if k == 0 else f"{p['id']}-{k}"
                f.write(json.dumps(p) + "\n")
                n += 1
    return n


def bls_records(src: Path, dst: Path, *, target_mb: float = 0) -> int:
    """The BLS comparisons as standalone records in ``dst/records.jsonl`` (the profile set's
    narrator.json beside it, so the pages are the same). With ``target_mb``, repeated with ids
    suffixed until the file is that big."""
    dst.mkdir(parents=True)
    shutil.copy(src / "narrator.json", dst / "narrator.json")
    jobs = {}
    for line in (src / "jobs.jsonl").read_text(encoding="utf-8").splitlines():
        jobs[json.loads(line)["id"]] = line
    pairs = [json.loads(line) for line in (src / "pairs.jsonl").read_text("utf-8").splitlines()]
    n, size, k = 0, 0, 0
    with (dst / "records.jsonl").open("w", encoding="utf-8") as f:
        while True:
            for p in pairs:
                rid = p["id"] if k == 0 else f"{p['id']}-{k}"
                aliases = ("" if "aliases" not in p or k
                           else f', "aliases": {json.dumps(p["aliases"])}')
                line = (f'{{"id": "{rid}", "a": {jobs[p["a"]]}, "b": {jobs[p["b"]]}{aliases}}}\n')
                f.write(line)
                size += len(line.encode())
                n += 1
            k += 1
            if size >= target_mb * 1e6:
                return n


def big_profile_set(src: Path, dst: Path, n_jobs: int, n_pairs: int, n_only: int) -> Path:
    """``n_jobs`` jobs (the BLS jobs copied under new ids) and ``n_pairs`` pairs of them, and an
    --only file of ``n_only`` pair ids spread over the whole file. Returns the --only file."""
    import random

    dst.mkdir(parents=True)
    shutil.copy(src / "narrator.json", dst / "narrator.json")
    base = [json.loads(line) for line in (src / "jobs.jsonl").read_text("utf-8").splitlines()]
    ids = []
    with (dst / "jobs.jsonl").open("w", encoding="utf-8") as f:
        for i in range(n_jobs):
            job = dict(base[i % len(base)])
            job["id"] = f"{job['id']}-{i}"
            ids.append(job["id"])
            f.write(json.dumps(job, ensure_ascii=False) + "\n")
    rng = random.Random(14)
    step = n_pairs // n_only
    only = []
    with (dst / "pairs.jsonl").open("w", encoding="utf-8") as f:
        for i in range(n_pairs):
            a, b = rng.randrange(n_jobs), rng.randrange(n_jobs - 1)
            b += b >= a
            f.write(f'{{"id": "p{i}", "a": "{ids[a]}", "b": "{ids[b]}"}}\n')
            if i % step == 0 and len(only) < n_only:
                only.append(f"p{i}")
    (dst.parent / "only.txt").write_text("\n".join(only) + "\n", encoding="utf-8")
    return dst.parent / "only.txt"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--scale", type=int, default=10,
                    help="also a cold run over the pairs repeated this many times (memory)")
    ap.add_argument("--quick", action="store_true",
                    help="leave out the 200 MB file and the 100k-job set")
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, {os.uname().machine}, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        out = tmp_path / "out"
        jobs = ["--jobs", str(args.jobs)]
        tpl = tmp_path / "tpl" / "comparison"
        tpl.mkdir(parents=True)
        title = ROOT / "templates" / "comparison" / "title.txt.j2"
        shutil.copy(title, tpl / "title.txt.j2")
        base = ["--all", "--data", str(ROOT / "data"), "--out", str(out), *jobs,
                "--templates", str(tpl.parent)]
        rows = [("cold", measure(base))]
        rows.append(("reference: plain write of those files", plain_write(out, tmp_path / "floor")))
        shutil.rmtree(tmp_path / "floor")
        rows.append(("incremental, nothing changed", measure(base)))
        text = title.read_text(encoding="utf-8")
        assert " vs " in text
        (tpl / "title.txt.j2").write_text(text.replace(" vs ", " vs. ", 1), encoding="utf-8")
        rows.append(("after editing one template", measure(base)))
        shutil.rmtree(out)

        bls = ROOT / "data" / "bls"
        # The editorial intro, copied verbatim into an override folder (the same pages), so
        # one variant's text can be edited: only the pages that chose it should be rendered.
        vtpl = tmp_path / "vtpl" / "comparison"
        vtpl.mkdir(parents=True)
        intro = ROOT / "templates" / "editorial" / "comparison" / "intro.md.j2"
        shutil.copy(intro, vtpl / "intro.md.j2")
        pset = ["--all", "--data", str(bls), "--out", str(tmp_path / "p"), *jobs,
                "--templates", str(vtpl.parent)]
        rows.append(("BLS as a profile set, cold", measure(pset)))
        rows.append(("BLS, incremental, nothing changed", measure(pset)))
        text = intro.read_text(encoding="utf-8")
        variant = "{%- or %}Pay is close: "
        assert text.count(variant) == 1  # variant 2 of pay_about_the_same
        (vtpl / "intro.md.j2").write_text(text.replace(variant, variant + "Close: "),
                                          encoding="utf-8")
        chose = sum(1 for line in (tmp_path / "p" / "index.jsonl").open(encoding="utf-8")
                    if json.loads(line).get("variants", {}).get("pay_about_the_same") == 2)
        rows.append((f"BLS, after editing one variant ({chose:,} pages chose it)",
                     measure(pset)))
        shutil.rmtree(tmp_path / "p")
        n = bls_records(bls, tmp_path / "standalone")
        rows.append((f"BLS as {n:,} standalone records, cold", measure(
            ["--all", "--data", str(tmp_path / "standalone"), "--out", str(tmp_path / "s"),
             *jobs])))
        shutil.rmtree(tmp_path / "s")
        if not args.quick:
            n = bls_records(bls, tmp_path / "big", target_mb=200)
            mb = (tmp_path / "big" / "records.jsonl").stat().st_size / 1e6
            rows.append((f"{mb:.0f} MB .jsonl ({n:,} records), cold", measure(
                ["--all", "--data", str(tmp_path / "big"), "--out", str(tmp_path / "b"), *jobs])))
            shutil.rmtree(tmp_path / "b")
            shutil.rmtree(tmp_path / "big")
            only = big_profile_set(bls, tmp_path / "huge" / "set", 100_000, 5_000_000, 2_000)
            rows.append(("100k jobs + 5M pairs, --only 2,000", measure(
                ["--all", "--data", str(tmp_path / "huge" / "set"), "--out", str(tmp_path / "h"),
                 "--only", str(only), *jobs])))
            shutil.rmtree(tmp_path / "huge")
        for scale in sorted({1, args.scale}):
            data = tmp_path / f"data{scale}"
            n = scaled_data(ROOT / "data", data, scale)
            o = tmp_path / f"out{scale}"
            rows.append((f"cold, {scale}x pairs ({n:,})",
                         measure(["--all", "--data", str(data), "--out", str(o), *jobs])))
            shutil.rmtree(o)
            shutil.rmtree(data)
    for name, r in rows:
        rss = "-" if r["peak_rss_mb"] is None else f"{r['peak_rss_mb']:.1f} MB"
        busy = (r["user_s"] + r["sys_s"]) / r["wall_s"]
        print(f"{name:40s} wall {r['wall_s']:6.2f} s  user {r['user_s']:6.2f} s  "
              f"sys {r['sys_s']:6.2f} s  cpu/wall {busy:4.2f}  peak rss {rss:>9s}   "
              f"[{r['summary']}]")


if __name__ == "__main__":
    main()
