"""`narrate --all` on the real data: wall time, CPU time and peak RSS of the whole process tree.

    .venv/bin/python benchmarks/bench_all.py [--jobs N] [--scale 10]

Runs, each in a fresh process: cold (empty --out), incremental with nothing changed, after
touching one template (through an override directory, so the shipped templates stay as they
are), and a cold run over the data set repeated ``--scale`` times (pair ids suffixed) to show
that peak memory does not grow with the number of pairs. Peak RSS is sampled every 20 ms
over the process and all its workers, and summed; CPU is user and system time of the tree.
Beside the cold run, its reference: the same files written again by plain ``write_bytes``
(the filesystem's own cost, which on a VM disk varies several-fold from minute to minute).
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--scale", type=int, default=10,
                    help="also a cold run over the pairs repeated this many times (memory)")
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, {os.uname().machine}, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        out = tmp_path / "out"
        base = ["--all", "--data", str(ROOT / "data"), "--out", str(out), "--jobs", str(args.jobs)]
        rows = [("cold", measure(base))]
        rows.append(("reference: plain write of those files", plain_write(out, tmp_path / "floor")))
        shutil.rmtree(tmp_path / "floor")
        rows.append(("incremental, nothing changed", measure(base)))
        tpl = tmp_path / "tpl" / "comparison"
        tpl.mkdir(parents=True)
        text = (ROOT / "templates" / "comparison" / "intro.md.j2").read_text(encoding="utf-8")
        (tpl / "intro.md.j2").write_text(text.replace("a few details", "a few key details"), "utf-8")
        touched = [*base, "--templates", str(tmp_path / "tpl")]
        rows.append(("after touching one template", measure(touched)))
        for scale in sorted({1, args.scale}):
            data = tmp_path / f"data{scale}"
            n = scaled_data(ROOT / "data", data, scale)
            o = tmp_path / f"out{scale}"
            rows.append((f"cold, {scale}x pairs ({n:,})",
                         measure(["--all", "--data", str(data), "--out", str(o), "--jobs", str(args.jobs)])))
            shutil.rmtree(o)
    for name, r in rows:
        rss = "-" if r["peak_rss_mb"] is None else f"{r['peak_rss_mb']:.1f} MB"
        print(f"{name:38s} wall {r['wall_s']:6.2f} s  user {r['user_s']:6.2f} s  "
              f"sys {r['sys_s']:6.2f} s  peak rss {rss:>9s}   [{r['summary']}]")


if __name__ == "__main__":
    main()
