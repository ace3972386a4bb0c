"""Read a rendered tree the way a content team would: how publishable are its pages?

    python benchmarks/corpus.py OUT [--data DIR] [--json]

OUT is a `narrate --all` output folder (Markdown articles). Per page it looks at:

* the "What does … do?" sections: the share of their first paragraphs that open with a bare
  verb ("Examine, analyze, …"), a verb being a word O*NET opens a task statement or a duty
  description with (read from the importer's source packages when installed, else from the
  tree itself: the first words of its description paragraphs that are not the job's title);
* those headings' job titles: the share that name several roles as one person ("an accountant
  and auditor"): two person nouns joined by "and" or a comma (a person noun ends in -er, -or,
  -ist, … and is not a modifier such as "health" or "computer"; a heuristic, stated below);
* the H1: the share over 60 characters;
* the intro's "between X and Y" (the seed style's): the share with three or more "and"s (an
  and-chain); and, for any style, the share of intros whose first sentence has three or more;
* words per page (prose, list items and table cells; Markdown markup not counted);
* the share of pages that end with a source line (a "Sources" section);
* related links (the "Related comparisons" section: list items that are one link each):
  links per page (mean, min, max over every page) and how many pages no other page links to;
* with the JSON articles beside the Markdown (`--format md --format json`): the share of pages
  whose meta description promises something the page lacks ("skills", "education", "duties",
  "typical tasks", "where each pays best", "number of jobs"), and of SEO titles over 60
  characters;
* with ``--data`` (the profile set the tree was rendered from): a data desk's review, one row
  per kind of claim the data doesn't support or a reader can't trust, each figure recomputed
  from the set's ``jobs.jsonl`` with code of its own (``corpus_facts.py`` states each rule).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from pathlib import Path

import corpus_facts  # beside this file

from narrator.markdown import parse

PERSON_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent", "man", "woman", "ess", "ee", "eon",
                   "aide", "clerk", "agent", "cook", "chef", "guard", "pilot", "mate", "judge",
                   "nurse", "host", "therapist", "planner", "officer", "architect", "economist",
                   "engineer", "hostler", "smith", "wright", "keeper", "hand", "staff")
#: Words with a person-like ending that modify the head noun ("computer and information …").
NOT_PERSONS = frozenset({"computer", "other", "water", "power", "paper", "timber", "rubber",
                         "fiber", "silver", "laser", "motor", "elevator", "after", "under",
                         "interior", "exterior", "transportation", "patient", "government",
                         "equipment", "management", "entertainment", "environment",
                         "investment", "development", "employment", "treatment", "content",
                         "event", "art", "plant", "restaurant", "weather", "meter", "poster",
                         "theater", "tractor", "trailer", "boiler", "tower", "river", "harbor",
                         "sector", "labor", "floor", "door", "interpreter", "layer", "liquor",
                         # read in this data: modifiers, not roles ("counter and rental clerk")
                         "career", "counter", "hoist", "amusement", "drier", "teller",
                         "compressor", "disorder", "garment"})
_BETWEEN = re.compile(r"The differences between (.*?) can be seen")
_WHAT = re.compile(r"^What does an? (.*) do\?$")
#: Sentences may open with a phrase before their subject ("Under supervision, aides …").
OPENERS = frozenset({"under", "in", "using", "with", "as", "for", "when", "following", "at",
                     "on", "within", "through", "during", "after", "before", "by"})
_WORD = re.compile(r"[\w'’-]+")


def _person(word: str) -> bool:
    w = word.lower().strip(",")
    return w not in NOT_PERSONS and w.endswith(PERSON_SUFFIXES)


def names_several_roles(title: str) -> bool:
    """True for "accountant and auditor", "rail yard engineer, dinkey operator, and hostler";
    False for "health and safety engineer", "accountant or auditor" (one person, either)."""
    words = title.split(" ")
    for i, word in enumerate(words[:-1]):
        joined = word.endswith(",") or words[i + 1] == "and"
        if joined and _person(word) and any(_person(w) for w in words[i + 1:]):
            return True
    return False


def onet_verbs() -> frozenset[str] | None:
    """Opening words of O*NET's task statements and descriptions, if the packages are here."""
    try:
        from narrator.importer.duties import verbs_of
        from narrator.importer.oews import read_descriptions
        from narrator.importer.sources import locate_sources, read_verified
        from narrator.importer.tasks import read_task_statements
        sources = locate_sources()
    except Exception:
        return None
    descriptions = read_descriptions(read_verified(sources.onet), sources.onet.path)
    statements = read_task_statements(read_verified(sources.tasks), sources.tasks.path)
    return verbs_of([*descriptions.values(), *statements])


#: What a meta description may promise -> how to tell the page has it.
PROMISES = {
    "skills": lambda md: "skill" in md.split("\n## ", 1)[0] or " skills " in md,
    "education": lambda md: " education\n" in md or "Most common degree" in md,
    "duties": lambda md: "\n## What does " in md,
    # any list under a "What does … do?" heading: the styles word its lead-in differently
    "typical tasks": lambda md: bool(re.search(r"\n## What does [^\n]*\n(?:[^#][^\n]*\n)*- ", md)),
    "where each pays best": lambda md: "Highest paying" in md or " earn the most in " in md
    or "pays best" in md or bool(re.search(r"\n\| Best-paying [^|\n]*\|[^\n]*: \$", md)),
    "number of jobs": lambda md: ("| Number of jobs |" in md or "| Wage and salary jobs" in md),
}


def meta_stats(md: str, meta: str) -> list[str]:
    """The promises of a meta description ("… compare on pay, skills …", "Compare duties, …")
    that the page does not keep."""
    _, word, promised = meta.lower().rpartition("compare")
    if not word:  # no list of sections: a job's name ("K-12 education administrators") is none
        return []
    return [p for p, has in PROMISES.items() if p in promised and not has(md)]


def page_stats(md: str) -> dict:
    blocks = parse(md)
    h1 = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), "")
    words = 0
    for b in blocks:
        if b.kind in ("heading", "paragraph"):
            words += len(_WORD.findall(b.text))
        elif b.kind == "list":
            words += sum(len(_WORD.findall(i)) for i in b.items)
        elif b.kind == "table":
            words += sum(len(_WORD.findall(c)) for row in [b.header, *b.rows] for c in row)
    descriptions = []  # (job title, first word of the first paragraph)
    for i, b in enumerate(blocks):
        m = _WHAT.match(b.text) if b.kind == "heading" else None
        if m and i + 1 < len(blocks) and blocks[i + 1].kind == "paragraph":
            descriptions.append((m[1], blocks[i + 1].text.split(" ", 1)[0].rstrip(",")))
    titles = [m[1] for b in blocks if b.kind == "heading" and (m := _WHAT.match(b.text))]
    # a description opening with the first word of a table header names the job (BLS's full
    # name: "Adhesive bonding machine operators …" under "What does a bonding machine operator
    # do?"), or several ("Some clinical laboratory technologists … Others …"): not a verb
    subjects = {"some"} | {c.split(" ", 1)[0].strip(",").lower()
                           for b in blocks if b.kind == "table" for c in b.header if c}
    descriptions = [(t, "" if f.lower() in subjects else f) for t, f in descriptions]
    intro = next((b.text for b in blocks if b.kind == "paragraph"), "")
    between = _BETWEEN.search(intro)
    return {
        "h1_chars": len(h1),
        "words": words,
        "descriptions": descriptions,
        "titles": titles,
        "ands": between[1].split(" ").count("and") if between else 0,
        "first_ands": intro.split(". ", 1)[0].split(" ").count("and"),
        "source": any(b.kind == "heading" and b.text == "Sources" for b in blocks),
        "links": [h for b in blocks if b.kind == "list" for h in b.hrefs if h],
    }


def corpus(out: Path, verbs: frozenset[str] | None = None) -> dict:
    pages, broken, seo_long, with_json = [], 0, 0, 0
    inbound: set[str] = set()  # pages another page links to (by file name)
    for p in sorted(out.glob("*.md")):
        md = p.read_text(encoding="utf-8")
        pages.append(page_stats(md))
        inbound.update(h for h in pages[-1]["links"] if h != p.name)
        data_file = p.with_suffix(".json")
        if data_file.is_file():
            data = json.loads(data_file.read_text(encoding="utf-8"))
            with_json += 1
            broken += bool(meta_stats(md, data["meta_description"]))
            seo_long += len(data.get("seo_title") or data["title"]) > 60
    if not pages:
        raise SystemExit(f"{out}: no .md articles")
    if verbs is None:  # the tree's own description openers that are not the job's title
        verbs = frozenset(first.lower() for p in pages for title, first in p["descriptions"]
                          if first and first.lower() != title.split(" ")[0].strip(",").lower())
    descs = [(t, f) for p in pages for t, f in p["descriptions"]]
    bare = sum(bool(f) and f.lower() in verbs and f.lower() not in OPENERS
               and f.lower() != t.split(" ")[0].strip(",").lower() for t, f in descs)
    titles = [t for p in pages for t in p["titles"]]
    several = sum(names_several_roles(t) for t in titles)
    pages_several = sum(any(names_several_roles(t) for t in p["titles"]) for p in pages)
    words = [p["words"] for p in pages]
    links = [len(p["links"]) for p in pages]
    names = {p.name for p in out.glob("*.md")}

    def share(n: int, d: int) -> float:
        return round(100 * n / d, 1) if d else 0.0

    return {
        "pages": len(pages),
        "description_paragraphs": len(descs),
        "bare_verb_descriptions_pct": share(bare, len(descs)),
        "several_roles_titles_pct": share(several, len(titles)),
        "several_roles_pages_pct": share(pages_several, len(pages)),
        "h1_over_60_pct": share(sum(p["h1_chars"] > 60 for p in pages), len(pages)),
        "and_chain_3plus_pct": share(sum(p["ands"] >= 3 for p in pages), len(pages)),
        "and_chain_2plus_pct": share(sum(p["ands"] >= 2 for p in pages), len(pages)),
        "intro_3plus_and_pct": share(sum(p["first_ands"] >= 3 for p in pages), len(pages)),
        "words_per_page_mean": round(statistics.fmean(words), 1),
        "words_per_page_median": statistics.median(words),
        "words_per_page_min": min(words),
        "source_line_pct": share(sum(p["source"] for p in pages), len(pages)),
        "related_links_per_page_mean": round(statistics.fmean(links), 2),
        "related_links_per_page_min": min(links),
        "related_links_per_page_max": max(links),
        "pages_without_inbound_link": len(names - inbound),
        **({"meta_promises_missing_pct": share(broken, with_json),
            "seo_title_over_60_pct": share(seo_long, with_json)} if with_json else {}),
    }


LABELS = {
    "pages": "pages",
    "description_paragraphs": "description paragraphs",
    "bare_verb_descriptions_pct": "description paragraphs opening with a bare verb, %",
    "several_roles_titles_pct": "'What does …' titles naming several roles as one person, %",
    "several_roles_pages_pct": "pages with such a title, %",
    "h1_over_60_pct": "H1 over 60 characters, %",
    "and_chain_3plus_pct": "intros with 3+ 'and' in 'between X and Y', %",
    "and_chain_2plus_pct": "intros with 2+ 'and' in 'between X and Y', %",
    "intro_3plus_and_pct": "intros whose first sentence has 3+ 'and', %",
    "words_per_page_mean": "words per page, mean",
    "words_per_page_median": "words per page, median",
    "words_per_page_min": "words per page, min",
    "source_line_pct": "pages ending with a source line, %",
    "related_links_per_page_mean": "related links per page, mean",
    "related_links_per_page_min": "related links per page, min",
    "related_links_per_page_max": "related links per page, max",
    "pages_without_inbound_link": "pages no other page links to",
    "meta_promises_missing_pct": "meta descriptions promising a missing section, %",
    "seo_title_over_60_pct": "SEO titles (or titles) over 60 characters, %",
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="a narrate --all output folder")
    ap.add_argument("--data", type=Path, help="the profile set the tree was rendered from: "
                    "adds the data desk's rows (see corpus_facts.py)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    figures = corpus(args.out, onet_verbs())
    checks = corpus_facts.corpus(args.out, args.data) if args.data else {}
    if args.json:
        print(json.dumps({**figures, **({"data_desk": checks} if checks else {})}, indent=2))
        return 0
    for key, value in figures.items():
        print(f"{LABELS[key]:<62} {value}")
    for row, label in corpus_facts.ROWS.items() if checks else ():
        print(f"{checks[row]:>62}  {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
