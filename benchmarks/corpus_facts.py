"""The rows of a data desk's review of a rendered BLS tree: which pages say something the data
doesn't support, or say it in a way a reader can't trust (issue 22's table).

    python benchmarks/corpus_facts.py OUT [--data data/bls] [--json]

OUT is a `narrate --all --format md --format json` folder over a profile set; ``--data`` is that
profile set (its ``jobs.jsonl`` and ``pairs.jsonl``), read here with code of its own (nothing
from ``narrator.facts``). Each row counts pages; the rules are stated beside each row in
``ROWS``. A row that needs data the set doesn't have (a place's employment or its wage RSE)
reads "n/a".
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

ROWS = {
    "pct_less_wrong": "'$X (N%) less' where N is not X as a share of the higher figure",
    "best_state_below_national": "a best-paying state that pays less than the job's national "
                                 "average",
    "best_metro_below_national": "a best-paying metro area that pays less than the job's "
                                 "national average",
    "best_place_few_jobs": "a best-paying state with fewer than 1,000 jobs there, or no "
                           "published count (n/a without the data)",
    "about_as_wide_but_not": "'about as wide(ly)' while the dollar widths of the 10th-90th "
                             "ranges differ by more than 25%",
    "tenth_claim": "'the best-paid tenth of X earn less than the lowest-paid tenth of Y'",
    "about_decimal": "'about N.N' (a rounded figure said with a decimal)",
    "counts_without_self_employed": "states job counts and never says the self-employed are "
                                    "left out",
    "long_name_8_times": "a BLS name of 40+ characters said 8 or more times",
    "gapped_two_place": "a two-place sentence with its verb left out ('…best ($X), P Y ($Z).')",
    "raw_bls_label": "a raw BLS industry/ownership label ('excl.', ' & ')",
    "dash_cell": "a '-' table cell",
    "onet_dated_term": "a dated or offensive term ('retarded', 'handicapped', 'crippled', "
                       "'typewriter', 'pager', 'mimeograph', …)",
    "typical_week": "'In a typical week' (a frequency the data doesn't have)",
    "task_repeats_description": "a task of 4+ longer words, 80% of them in the description",
    "no_description": "a job with no description",
    "meta_over_155": "meta description over 155 characters",
    "meta_closing_most_common": "share of pages whose meta description ends with the most "
                                "common closing sentence",
    "meta_pct_vs_times": "meta says 'N% more' where the title or intro says 'N times as "
                         "much' (or 'Nx')",
    "seo_cut": "SEO title cut with '…'",
    "seo_x_more": "SEO title saying 'N.Nx More'",
    "chart_fixed_width": "pay chart with a fixed pixel width",
    "chart_label_cut": "pay chart with a label cut with '…'",
    # issue 23: comparisons readers look for
    "shares_no_activity": "a pair whose jobs share no O*NET detailed work activity (by the "
                          "DWA IDs of jobs.jsonl; n/a without them)",
    "common_section": "a page with a 'what they have in common' section (its lead names the "
                      "shared O*NET work activities)",
    "common_missing": "a page whose jobs share an activity but that says nothing of it",
}
_COMMON = re.compile(r"^(?:O\\\*NET links .* to both jobs|The two jobs share .* O\\\*NET's "
                     r"detailed work activities|Both jobs' tasks are linked to .* O\\\*NET work "
                     r"activities)", re.M)

_MONEY = r"\$([\d,]+(?:\.\d+)?)"
_LESS = re.compile(_MONEY + r" \((\d+)%\) less")
_SENTENCE = re.compile(r"[^.!?\n]*(?:\.(?=\d)[^.!?\n]*)*[.!?]")
_DATED = re.compile(r"\b(?:(?:mentally )?retarded|handicapped|crippled|the disabled|"
                    r"typewriters?|pagers?|stenograph\w*|addressographs?|mimeographs?)\b", re.I)
_GAPPED = re.compile(r"best \(" + _MONEY + r"\), [^.()]+ \(" + _MONEY + r"\)\.")
_WORDS = re.compile(r"[a-z][a-z'-]+")
_ABOUT_DECIMAL = re.compile(r"\babout \d+\.\d")
_TIMES = re.compile(r"\b\d+(?:\.\d+)? times (?:as much|the pay|more)\b|\b\d+(?:\.\d+)?x\b",
                    re.I)


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _pct(part: Decimal, whole: Decimal) -> int:
    return int((part * 100 / whole).quantize(Decimal(1), ROUND_HALF_EVEN))


def _load(data: Path) -> tuple[dict[str, dict], dict[str, tuple[str, str]]]:
    jobs = {}
    with open(data / "jobs.jsonl", encoding="utf-8") as f:
        for line in f:
            job = json.loads(line)
            jobs[job["id"]] = job
    pairs = {}
    with open(data / "pairs.jsonl", encoding="utf-8") as f:
        for line in f:
            pair = json.loads(line)
            pairs[pair["id"]] = (pair["a"], pair["b"])
    return jobs, pairs


def _sentences(md: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(md)]


def _figures(job: dict) -> list[Decimal]:
    return [Decimal(str(job[k])) for k in ("salary", "hourly_rate") if job.get(k) is not None]


def page_rows(md: str, data: dict, jobs: tuple[dict, dict]) -> set[str]:
    """The rows this page counts in."""
    found_common: set[str] = set()
    ids = [{x["id"] for x in job.get("activities") or ()} for job in jobs]
    if all(ids) and not ids[0] & ids[1]:
        found_common.add("shares_no_activity")
    if _COMMON.search(md):
        found_common.add("common_section")
    elif ids[0] & ids[1]:
        found_common.add("common_missing")
    found: set[str] = found_common
    # what a page says: its sentences, and its table rows (the where table names places too)
    sentences = _sentences(md) + [line for line in md.splitlines() if line.startswith("| ")]
    best_of = [s for s in sentences if "best" in s.lower()]
    a, b = jobs
    for m in _LESS.finditer(md):
        diff, stated = _number(m[1]), int(m[2])
        for fa, fb in zip(_figures(a), _figures(b)):
            if abs(fa - fb) == diff and max(fa, fb):
                if stated != _pct(diff, max(fa, fb)):
                    found.add("pct_less_wrong")
    for job in jobs:
        national = job.get("salary")
        for key, row in (("highest_paying_state", "best_state_below_national"),
                         ("highest_paying_city", "best_metro_below_national")):
            place, pay = job.get(key), (job.get(f"{key}_pay") or {}).get("salary")
            if place and pay is not None and national is not None and pay < national and any(
                    place in s for s in best_of):
                found.add(row)
        state = job.get("highest_paying_state")
        if state and any(state in s for s in best_of):
            jobs_there = (job.get("highest_paying_state_pay") or {}).get("jobs")
            if jobs_there is None or jobs_there < 1000:
                found.add("best_place_few_jobs")
        name = job.get("display_title") or ""
        if len(name) >= 40 and md.count(name) + md.count(name.lower()) >= 8:
            found.add("long_name_8_times")
        if not job.get("description"):
            found.add("no_description")
        desc = set(_WORDS.findall((job.get("description") or "").lower()))
        for task in job.get("tasks") or ():
            words = [w for w in _WORDS.findall(task.lower()) if len(w) > 3]
            if desc and len(words) >= 4 and sum(w in desc for w in words) >= 0.8 * len(words):
                found.add("task_repeats_description")
    ra, rb = a.get("salary_range"), b.get("salary_range")
    if ra and rb and ra.get("max") and rb.get("max") and any(
            "about as wide" in s for s in sentences):
        wa, wb = ra["max"] - ra["min"], rb["max"] - rb["min"]
        if max(wa, wb) > 1.25 * min(wa, wb):
            found.add("about_as_wide_but_not")
    if re.search(r"best-paid tenth of .+? earn less than the lowest-paid tenth", md):
        found.add("tenth_claim")
    if _ABOUT_DECIMAL.search(md):
        found.add("about_decimal")
    counts = ("| Number of jobs |" in md or "| Wage and salary jobs" in md
              or " jobs against " in md or "For every " in md)
    if counts and "self-employed" not in md:
        found.add("counts_without_self_employed")
    if _GAPPED.search(md):
        found.add("gapped_two_place")
    if "excl." in md or " & " in md:
        found.add("raw_bls_label")
    if re.search(r"\| -(?= \|)|\| - *$", md, re.M):
        found.add("dash_cell")
    if _DATED.search(md):
        found.add("onet_dated_term")
    if "In a typical week" in md:
        found.add("typical_week")
    meta, seo = data.get("meta_description", ""), data.get("seo_title") or ""
    if len(meta) > 155:
        found.add("meta_over_155")
    if re.search(r"\d+% more than", meta) and (_TIMES.search(data.get("title", "")) or
                                          _TIMES.search(md.split("\n## ", 1)[0])):
        found.add("meta_pct_vs_times")
    if seo.endswith("…"):
        found.add("seo_cut")
    if re.search(r"\d(?:\.\d+)?x More", seo):
        found.add("seo_x_more")
    svg = data.get("pay_chart_svg") or ""
    head = svg.split(">", 1)[0]
    if re.search(r' width="\d+"', head) and "width:100%" not in head.replace(" ", ""):
        found.add("chart_fixed_width")
    if svg and re.search(r"<text[^>]*>[^<]*…", svg):
        found.add("chart_label_cut")
    return found


def closing(meta: str) -> str:
    parts = _sentences(meta)
    return parts[-1] if parts else meta


def corpus(out: Path, data: Path) -> dict[str, object]:
    jobs, pairs = _load(data)
    counts: Counter[str] = Counter()
    closings: Counter[str] = Counter()
    pages = 0
    for p in sorted(out.glob("*.json")):
        if p.name == "index.jsonl":
            continue
        article = json.loads(p.read_text(encoding="utf-8"))
        pair = pairs.get(article.get("id", ""))
        md_file = p.with_suffix(".md")
        if pair is None or not md_file.is_file():
            continue  # not a page of this profile set
        pages += 1
        md = md_file.read_text(encoding="utf-8")
        counts.update(page_rows(md, article, (jobs[pair[0]], jobs[pair[1]])))
        closings[closing(article.get("meta_description", ""))] += 1
    if not pages:
        raise SystemExit(f"{out}: no JSON + Markdown articles of the pairs in {data}")
    has_place_jobs = any("jobs" in (j.get("highest_paying_state_pay") or {})
                         for j in jobs.values())
    has_activities = any(j.get("activities") for j in jobs.values())
    figures: dict[str, object] = {"pages": pages}
    for row in ROWS:
        if row == "meta_closing_most_common":
            figures[row] = f"{100 * closings.most_common(1)[0][1] / pages:.1f}%"
        elif (row == "best_place_few_jobs" and not has_place_jobs) or (
                row == "shares_no_activity" and not has_activities):
            figures[row] = "n/a"
        else:
            figures[row] = f"{counts[row]} ({100 * counts[row] / pages:.1f}%)"
    return figures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="a narrate --all -f md -f json output folder")
    ap.add_argument("--data", type=Path, default=Path("data/bls"),
                    help="the profile set the tree was rendered from")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    figures = corpus(args.out, args.data)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"{'pages':<50} {figures['pages']}")
        for row, label in ROWS.items():
            print(f"{row:<28} {figures[row]!s:>14}  {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
