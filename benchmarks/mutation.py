"""Mutation testing of the rule modules: how many small bugs (mutants) the tests catch, per group.

    .venv/bin/pip install -e '.[mutation]'
    .venv/bin/python benchmarks/mutation.py [GROUP ...] [--jobs 2] [--keep DIR]

For each group, a copy of the working tree (the files git tracks, as they are on disk) gets a
``[tool.mutmut]`` section naming the group's modules and the tests that guard them, and
``mutmut run`` mutates one thing at a time (an operator, a constant, a comparison, a call's
argument) and runs the tests that reach the mutated function (the quick ones: not the tests
marked slow or integration, whose quick stand-ins run instead, such as the fact audit's
sample). A mutant is killed when a test fails, survives when none does. Printed per group:
killed, survived, timeouts, no tests, and the score, (killed + timeouts) / (mutants - declared
equivalents); the survivors' names go to ``DIR/GROUP-survivors.txt`` with their diffs.

``benchmarks/mutation_equivalent.txt`` lists the survivors that are equivalent (no test could
tell them from the original: a cache size, a message's wording that only a person reads), one
per line as ``mutant-name  reason``; they are left out of the score and listed apart.

Slow (minutes per group, each mutant a test run), so not part of CI; the figures go in the
closing note of a change to the rules.
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
MUTMUT = str(Path(sys.executable).parent / "mutmut")
EQUIVALENT = ROOT / "benchmarks" / "mutation_equivalent.txt"

#: group -> (modules mutated, tests run against them)
GROUPS: dict[str, tuple[list[str], list[str]]] = {
    "facts": (["narrator/facts.py"],
              ["tests/test_facts.py", "tests/test_fact_audit.py", "tests/test_api.py",
               "tests/render/test_review_set.py"]),
    "variants": (["narrator/render/variants.py", "narrator/render/slots.py"],
                 ["tests/render/test_variants.py", "tests/batch/test_run_keys.py",
                  "tests/review/test_variants.py"]),
    "run keys and index": (["narrator/batch/keys.py", "narrator/batch/index.py"],
                           ["tests/batch/test_index.py", "tests/batch/test_keys.py",
                            "tests/batch/test_run_keys.py", "tests/batch/test_stale.py",
                            "tests/batch/test_runner.py", "tests/batch/test_determinism.py"]),
    "publish planning": (["narrator/publish/wordpress.py"],
                         ["tests/publish/test_publish.py", "tests/publish/test_sync.py"]),
    "check": (["narrator/review/check.py"],
              ["tests/review/test_check.py", "tests/test_reliability.py"]),
    "sandbox limits": (["narrator/render/environment.py", "narrator/render/codegen.py",
                        "narrator/render/limits.py"],
                       ["tests/render/test_environment.py", "tests/render/test_sandbox.py",
                        "tests/render/test_template_fuzz.py",
                        # the limits' tests of test_reliability only: the file's other tests
                        # (runs, locks, imports) would double the group's time
                        "tests/test_reliability.py::test_values_built_too_big_at_run_time_are_one_line",
                        "tests/test_reliability.py::test_a_single_article_has_a_time_limit_too",
                        "tests/test_reliability.py::test_compiling_has_a_time_limit",
                        "tests/test_reliability.py::"
                        "test_an_override_folder_inside_the_built_in_one_is_still_the_users"]),
    "importer rules": (["narrator/importer/related.py", "narrator/importer/titles.py",
                        "narrator/importer/pooled.py", "narrator/importer/terms.py"],
                       ["tests/importer"]),
}


def _tracked_copy(dest: Path) -> None:
    """The files git tracks, as they are in the working tree (edits not yet committed too)."""
    names = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                           check=True).stdout.decode().split("\0")
    for name in filter(None, names):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)


def _config(modules: list[str], tests: list[str]) -> str:
    def toml_list(items: list[str]) -> str:
        return "[" + ", ".join(json.dumps(i) for i in items) + "]"
    return (f"\n[tool.mutmut]\nsource_paths = [\"narrator/\"]\n"
            f"only_mutate = {toml_list(modules)}\n"
            f"pytest_add_cli_args_test_selection = {toml_list(tests)}\n"
            f"pytest_add_cli_args = [\"-p\", \"no:cacheprovider\", \"-q\", \"-m\", "
            f"\"not integration and not slow\"]\n"
            f"also_copy = [\"data/\", \"templates/\", \"wordpress/\", \"README.md\"]\n")


def equivalents() -> dict[str, str]:
    found = {}
    if EQUIVALENT.is_file():
        for line in EQUIVALENT.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                name, _, reason = line.strip().partition(" ")
                found[name] = reason.strip()
    return found


def run_group(name: str, work: Path, jobs: int, out: Path) -> dict[str, object]:
    modules, tests = GROUPS[name]
    tree = work / name.replace(" ", "-")
    _tracked_copy(tree)
    with open(tree / "pyproject.toml", "a", encoding="utf-8") as f:
        f.write(_config(modules, tests))
    env = {**os.environ, "NARRATOR_CACHE_DIR": str(work / "cache")}
    start = time.monotonic()
    subprocess.run([MUTMUT, "run", "--max-children", str(jobs)], cwd=tree, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run([MUTMUT, "export-cicd-stats"], cwd=tree, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    stats = json.loads((tree / "mutants" / "mutmut-cicd-stats.json").read_text())
    listed = subprocess.run([MUTMUT, "results"], cwd=tree, env=env, capture_output=True,
                            text=True).stdout
    survivors = [line.split(":")[0].strip() for line in listed.splitlines()
                 if line.strip().endswith(": survived")]
    known = equivalents()
    declared = [s for s in survivors if s in known]
    with open(out / f"{tree.name}-survivors.txt", "w", encoding="utf-8") as f:
        for s in survivors:
            shown = subprocess.run([MUTMUT, "show", s], cwd=tree, env=env, capture_output=True,
                                   text=True).stdout
            f.write(f"# {s}{'  (equivalent: ' + known[s] + ')' if s in known else ''}\n"
                    f"{shown}\n")
    scored = stats["total"] - len(declared)
    caught = stats["killed"] + stats["timeout"]  # a mutant that loops is caught by the limit
    return {**stats, "equivalent": len(declared), "seconds": round(time.monotonic() - start),
            "score": caught / scored if scored else 1.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("groups", nargs="*", metavar="GROUP",
                        help=f"groups to run (default: all): {', '.join(GROUPS)}")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", type=Path, help="keep the copies and survivor lists here")
    args = parser.parse_args()
    if unknown := [g for g in args.groups if g not in GROUPS]:
        parser.error(f"unknown group(s) {', '.join(unknown)} (choose from {', '.join(GROUPS)})")
    work = args.keep or Path(tempfile.mkdtemp(prefix="narrator-mutation-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"{'group':<22}{'killed':>8}{'survived':>10}{'timeout':>9}{'no tests':>10}"
          f"{'equiv.':>8}{'score':>8}{'time':>8}")
    for name in args.groups or list(GROUPS):
        r = run_group(name, work, args.jobs, work)
        print(f"{name:<22}{r['killed']:>8}{r['survived']:>10}{r['timeout']:>9}"
              f"{r['no_tests']:>10}{r['equivalent']:>8}{r['score']:>8.1%}{r['seconds']:>7}s",
              flush=True)
    print(f"survivors and their diffs: {work}/*-survivors.txt")
    if not args.keep:
        for tree in work.iterdir():
            if tree.is_dir():
                shutil.rmtree(tree, ignore_errors=True)


if __name__ == "__main__":
    main()
