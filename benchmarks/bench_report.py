"""`narrate report` on a rendered tree: wall and CPU time, per stage.

    .venv/bin/narrate --all --data data/bls --out /tmp/bls
    .venv/bin/python benchmarks/bench_report.py /tmp/bls [--jobs N]

Scaling: reading a page (units, masking, shingles, signature) is linear in pages and runs in
--jobs processes; the LSH Forest is built once (linear) and queried per page (about log n),
in --jobs processes; memory is the shingle hashes (~7 KB a page) and signatures (1 KB).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from narrator.review import report  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("tree", type=Path)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    wall, cpu = time.perf_counter(), time.process_time()
    pages = report.read_tree(args.tree)
    read = time.perf_counter()
    result = report.analyse(pages, jobs=args.jobs)
    end = time.perf_counter()
    # (the workers are the fork server's children: their CPU time is not ours to read; run
    # this under /usr/bin/time for the whole)
    print(f"{result.pages} pages: read files {read - wall:.1f} s, analyse {end - read:.1f} s, "
          f"wall {end - wall:.1f} s; CPU {time.process_time() - cpu:.1f} s in this process; "
          f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"boilerplate {result.boilerplate_mean:.3f}, "
          f"top sentence {result.top_sentence_share:.3f}, NN median {result.nn_median:.3f}")


if __name__ == "__main__":
    main()
