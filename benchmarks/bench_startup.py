"""One article from the command line, against the floor of importing its libraries.

    python benchmarks/bench_startup.py [--runs 15]

Runs, alternating so the machine's noise falls on all alike: the import floor (``python -c
"import jinja2, babel.numbers, click, msgspec, yaml, markupsafe"``), ``narrate`` on the seed
record (seed style) and on one BLS pair by id (editorial style), each with a warm template
cache, and the two articles again with the cache off (``NARRATOR_CACHE_DIR=``) and with a cold
one (an empty folder each time). Prints each command's median CPU time (user + system, from
the child's rusage) and its ratio to the floor's. Issue 24's targets: seed <= 1.5x, editorial
<= 2x the floor, warm.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FLOOR = [sys.executable, "-c", "import jinja2, babel.numbers, click, msgspec, yaml, markupsafe"]
SEED = [str(BIN / "narrate"),
        str(ROOT / "data/records/field-service-technician-vs-repair-technician.json")]
EDITORIAL = [str(BIN / "narrate"), str(ROOT / "data/bls"), "-r",
             "civil-engineer-vs-electrical-engineer"]


def cpu(cmd: list[str], env: dict[str, str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        warm = {**os.environ, "NARRATOR_CACHE_DIR": str(Path(tmp) / "warm")}
        off = {**os.environ, "NARRATOR_CACHE_DIR": ""}
        for cmd in (SEED, EDITORIAL):  # fill the warm cache
            cpu(cmd, warm)
        cases = {"floor (imports only)": (FLOOR, warm), "seed, warm cache": (SEED, warm),
                 "editorial, warm cache": (EDITORIAL, warm), "seed, no cache": (SEED, off),
                 "editorial, no cache": (EDITORIAL, off)}
        times: dict[str, list[float]] = {name: [] for name in cases}
        times |= {"seed, cold cache": [], "editorial, cold cache": []}
        for i in range(args.runs):
            for name, (cmd, env) in cases.items():
                times[name].append(cpu(cmd, env))
            for name, cmd in (("seed, cold cache", SEED), ("editorial, cold cache", EDITORIAL)):
                cold = {**os.environ, "NARRATOR_CACHE_DIR": str(Path(tmp) / f"cold{i}{name[0]}")}
                times[name].append(cpu(cmd, cold))
    floor = statistics.median(times["floor (imports only)"])
    print(f"{'median CPU of ' + str(args.runs) + ' runs':<28} {'seconds':>8} {'x floor':>8}")
    for name, values in times.items():
        m = statistics.median(values)
        print(f"{name:<28} {m:>8.3f} {m / floor:>8.2f}")


if __name__ == "__main__":
    main()
