"""The fact audit's second implementation: every figure a BLS page states, recomputed from
data/bls/jobs.jsonl with code of its own (it imports nothing of narrator's: not facts.py, not
the renderer's views, not its formatting), so a wrong rule in narrator can't hide behind the
same wrong rule here.

A page is read as narrator's JSON format writes it (``formats.to_data``: title, SEO title,
meta description, sections, and the Markdown body). Names are replaced by tokens first (⟨a⟩,
⟨b⟩ for the two jobs, ⟨@Ohio⟩ for a place), so a name holding a digit ("K-12") is no number.
Then every sentence is matched against CLAIMS, a table of the sentence shapes the style writes,
each with the checks it asserts; a sentence holding a digit that no shape matches is reported
as unrecognised, so new wording can't slip through unaudited. Tables are checked cell by cell,
descriptions and tasks against the O*NET text, sources against narrator.json, and the Markdown
body must state the same numbers as the sections.

The rules it checks, written from the data desk's rules (not from facts.py):
- a pay gap compares annual figures where both jobs have one, else hourly ones, as printed; of
  those the medians where both jobs have one (said "at the median", "a median of"), else the
  means (said "on average", "an average of"); a range is set against the same figure;
- "N% more" is of the lower figure and only while N < 100; from twice on a multiple is said,
  one decimal below 10, whole from 10, and 2 is "twice" (never "2 times"); "N% less" would be
  of the higher figure;
- "about as much" is a gap under 3%; "about as many" jobs a ratio under 1.1; "for every X there
  are about N Y" needs a whole N; "far outnumber" ten times or more;
- a claim on pay ranges rests on the percentiles only (a 90th percentile against a 10th or an
  average); "about as wide" means the dollar widths (90th minus 10th) are within 10%.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

from tests.fact_audit_claims import DEFINITIONS, PAY, PLACES, RANGES, SIZE

ROOT = Path(__file__).resolve().parent.parent
BLS = ROOT / "data" / "bls"
# The reliability rule the README and the data set's source line state, written out again here
MIN_PLACE_JOBS, MAX_WAGE_RSE = 1000, 10
NOT_NAMED = "not named"  # a where-table cell for a place the reliability rule withholds
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def read_jobs(data: Path = BLS) -> tuple[dict[str, dict[str, Any]], dict[str, tuple[str, str]]]:
    """The jobs by id, and each pair's (a, b) by page id, as the files hold them."""
    with open(data / "jobs.jsonl", encoding="utf-8") as f:
        jobs = {j["id"]: j for j in map(json.loads, f)}
    with open(data / "pairs.jsonl", encoding="utf-8") as f:
        pairs = {p["id"]: (p["a"], p["b"]) for p in map(json.loads, f)}
    return jobs, pairs


# -- formatting, our own ------------------------------------------------------------------------

def rounded(value: float | Decimal, places: int = 0) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_EVEN)


def dollars(value: float | Decimal | None, hourly: bool = False) -> str | None:
    if value is None:
        return None
    return "$" + format(rounded(value, 2 if hourly else 0), ",")


def whole(n: int | None) -> str | None:
    return None if n is None else format(n, ",")


def short_decimal(value: float) -> str:
    text = format(rounded(value, 2), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def ratio_words(high: Decimal, low: Decimal) -> tuple[str, int]:
    """("66%" or "twice" or "2.7 times", the percentage more) by the ratio rule."""
    pct = int(rounded((high - low) * 100 / low))
    if pct < 100:
        return f"{pct}%", pct
    r = high / low
    n = rounded(r, 1) if rounded(r, 1) < 10 else rounded(r)
    return ("twice" if n == 2 else f"{short_decimal(float(n)) if n < 10 else whole(int(n))} times"
            ), pct


# -- the page's expected values -----------------------------------------------------------------

@dataclass
class Page:
    id: str
    a: dict[str, Any]
    b: dict[str, Any]
    problems: list[str] = field(default_factory=list)
    unrecognised: list[str] = field(default_factory=list)
    ratio_claims: list[tuple[str, str]] = field(default_factory=list)
    where: str = ""
    places: dict[str, str] = field(default_factory=dict)  # place tokens' names
    claims: int = 0  # sentences matched to a claim shape and checked

    def job(self, side: str) -> dict[str, Any]:
        return self.a if side == "a" else self.b

    def problem(self, claim: str, got: object, expected: object) -> None:
        self.problems.append(f"{self.id}: {self.where}: {claim}: page says {got!r}, "
                             f"data gives {expected!r}")

    def check(self, claim: str, got: object, expected: object) -> None:
        if got != expected:
            self.problem(claim, got, expected)

    # the pay gap, from the two medians (else the two means) as printed
    def _field(self) -> tuple[str, str] | None:
        """(measure, the field compared): "salary"/"hourly_rate" and that or its median."""
        for m, median in (("salary", "median_salary"), ("hourly_rate", "median_hourly_rate")):
            if self.a.get(median) is not None and self.b.get(median) is not None:
                return m, median
            if self.a.get(m) is not None and self.b.get(m) is not None:
                return m, m
        return None

    def measure(self) -> str | None:
        f = self._field()
        return f and f[0]

    def median(self) -> bool:
        f = self._field()
        return bool(f and f[1].startswith("median"))

    def averages(self) -> tuple[Decimal, Decimal]:
        f = self._field()
        assert f is not None, self.id
        places = 2 if f[0] == "hourly_rate" else 0
        return rounded(self.a[f[1]], places), rounded(self.b[f[1]], places)

    def higher(self) -> str | None:
        va, vb = self.averages()
        return None if va == vb else "a" if va > vb else "b"

    def avg(self, side: str) -> str | None:
        """The figure a pay sentence gives for ``side`` (the compared one)."""
        f = self._field()
        m = f[1] if f else "median_salary" if self.job(side).get("median_salary") else "salary"
        return dollars(self.job(side).get(m), hourly="hourly" in m)


def hourly_only(job: dict[str, Any]) -> bool:
    return job.get("salary") is None and job.get("hourly_rate") is not None


def place_pay(job: dict[str, Any], key: str) -> str | None:
    pay = job.get(key) or {}
    if hourly_only(job):
        return dollars(pay.get("hourly_rate"), hourly=True)
    return dollars(pay.get("salary"))


def as_number(text: str) -> Decimal:
    return Decimal(text.lstrip("$").replace(",", ""))


# -- the checks a claim asserts: "name arg arg" -------------------------------------------------

def _gap_ratio(page: Page) -> tuple[str, int] | None:
    va, vb = page.averages()
    hi, lo = max(va, vb), min(va, vb)
    return None if lo == 0 or hi == lo else ratio_words(hi, lo)


def _size(page: Page) -> tuple[str, str, Decimal] | None:
    ja, jb = page.a.get("jobs"), page.b.get("jobs")
    if not ja or not jb:
        return None
    big, small = ("a", "b") if ja > jb else ("b", "a")
    return big, small, Decimal(max(ja, jb)) / Decimal(min(ja, jb))


def _width(job: dict[str, Any]) -> Decimal | None:
    r = job.get("salary_range")
    if not r or r.get("max_top_coded"):
        return None
    return rounded(r["max"]) - rounded(r["min"])


def _chk_hi(p: Page, g: dict[str, str], j: str) -> None:
    p.check(f"{g[j]} is the better-paid job", g[j], p.higher())


def _chk_lo(p: Page, g: dict[str, str], j: str) -> None:
    p.check(f"{g[j]} is the lower-paid job", g[j], {"a": "b", "b": "a"}.get(p.higher() or ""))


def _chk_avg(p: Page, g: dict[str, str], j: str, m: str) -> None:
    p.check(f"average pay of {g[j]}", g[m], p.avg(g[j]))


def _chk_diff(p: Page, g: dict[str, str], m: str) -> None:
    va, vb = p.averages()
    p.check("pay gap in money", g[m], dollars(abs(va - vb), p.measure() == "hourly_rate"))


def _chk_per(p: Page, g: dict[str, str], k: str) -> None:
    p.check("unit of the pay gap", g[k], "an hour" if p.measure() == "hourly_rate" else "a year")


def _chk_more(p: Page, g: dict[str, str], k: str) -> None:
    expected = _gap_ratio(p)
    p.ratio_claims.append((p.where, g[k] + "%"))
    p.check("pay gap in % more (of the lower figure)", g[k] + "%", expected and expected[0])


def _chk_less(p: Page, g: dict[str, str], k: str) -> None:
    va, vb = p.averages()
    hi, lo = max(va, vb), min(va, vb)
    p.check("pay gap in % less (of the higher figure)", int(g[k]),
            int(rounded((hi - lo) * 100 / hi)))


def _chk_times(p: Page, g: dict[str, str], k: str) -> None:
    expected = _gap_ratio(p)
    got = g[k].lower()
    if re.fullmatch(r"[\d.]+", got):  # "2.7× the Pay"
        got += " times"
    p.ratio_claims.append((p.where, got))
    p.check("pay ratio (the ratio rule)", got, expected and expected[0])


def _chk_equal(p: Page, g: dict[str, str]) -> None:
    p.check("equal pay", p.higher(), None)


def _chk_about(p: Page, g: dict[str, str]) -> None:
    r = _gap_ratio(p)
    p.check("about the same pay (< 3%)", r is not None and r[1] < 3, True)


def _chk_similar(p: Page, g: dict[str, str]) -> None:
    r = _gap_ratio(p)
    p.check("similar pay (equal or < 3%)", r is None or r[1] < 3, True)


def _chk_only(p: Page, g: dict[str, str], j: str, m: str, o: str) -> None:
    job = p.job(g[j])
    median = job.get("median_salary") is not None
    p.check(f"annual figure of {g[j]} (the median where known)", g[m],
            dollars(job.get("median_salary" if median else "salary")))
    p.check(f"{g[j]}'s figure named for what it is", g.get("astat", g.get("avg")),
            "a median" if median else "on average")
    p.check(f"{g[o]} has no annual figure", p.job(g[o]).get("salary"), None)


def _chk_big(p: Page, g: dict[str, str], j: str, n: str, o: str, n2: str) -> None:
    s = _size(p)
    p.check(f"{g[j]} are the more numerous", g[j], s and s[0])
    p.check(f"jobs of {g[j]}", g[n], whole(p.job(g[j]).get("jobs")))
    p.check(f"jobs of {g[o]}", g[n2], whole(p.job(g[o]).get("jobs")))


def _chk_mean_flip(p: Page, g: dict[str, str], j: str, m1: str, m2: str) -> None:
    """"The averages (means) point the other way: J1 earn $m1 on average against $m2": the
    page compares medians, J1's is the lower one, J1's mean is the higher one, both gaps 3% or
    more as printed."""
    f, other = p._field(), {"a": "b", "b": "a"}[g[j]]
    measure = f[0] if f else "salary"
    places = 2 if measure == "hourly_rate" else 0
    mine, theirs = (rounded(p.job(s)[measure], places) for s in (g[j], other))
    p.check("the mean-flip sentence follows a median comparison", p.median(), True)
    p.check(f"{g[j]} has the lower median", p.higher(), other)
    p.check(f"{g[j]} has the higher mean (3% or more)", mine >= theirs * Decimal("1.03")
            or int(rounded((mine - theirs) * 100 / theirs)) >= 3, True)
    p.check(f"mean of {g[j]}", g[m1], dollars(mine, measure == "hourly_rate"))
    p.check(f"mean of {other}", g[m2], dollars(theirs, measure == "hourly_rate"))
    va, vb = p.averages()
    p.check("median gap 3% or more", int(rounded(abs(va - vb) * 100 / min(va, vb))) >= 3, True)


def _chk_stat_words(p: Page, g: dict[str, str]) -> None:
    """"at the median", "median", "a median" where the gap compares medians, else "on
    average", "average", "an average": a sentence names the figures it compares."""
    median = p.median()
    for word, says in (("avg", ("at the median", "on average")), ("stat", ("median", "average")),
                       ("astat", ("a median", "an average"))):
        if word in g:
            p.check(f"the compared figures named ({word})", g[word].lower(),
                    says[0 if median else 1])


def _chk_bigger(p: Page, g: dict[str, str], j: str) -> None:
    s = _size(p)
    p.check(f"{g[j]} are the more numerous", g[j], s and s[0])


def _chk_jobs(p: Page, g: dict[str, str], j: str, n: str) -> None:
    p.check(f"jobs of {g[j]}", g[n], whole(p.job(g[j]).get("jobs")))


def _chk_jratio(p: Page, g: dict[str, str], k: str) -> None:
    s = _size(p)
    got = g[k] + "%" if k.startswith("p") else g[k].lower()
    expected = None if s is None else ratio_words(s[2], Decimal(1))[0]
    p.check("job-count ratio (the ratio rule)", got, expected)


def _chk_every(p: Page, g: dict[str, str], k: str) -> None:
    s = _size(p)
    p.check("'for every X, about N Y': a whole N", g[k], s and whole(int(rounded(s[2]))))
    p.check("'for every X, about N Y' only from ten times", bool(s and rounded(s[2]) >= 10), True)


def _chk_far(p: Page, g: dict[str, str]) -> None:
    s = _size(p)
    p.check("'far outnumber': ten times or more", bool(s and rounded(s[2]) >= 10), True)


def _chk_as_many(p: Page, g: dict[str, str]) -> None:
    s = _size(p)
    p.check("'about as many' jobs (ratio < 1.1)", bool(s and s[2] < Decimal("1.1")), True)


def _chk_pay_size(p: Page, g: dict[str, str], how: str) -> None:
    s, hi = _size(p), p.higher()
    p.check(f"better-paid job is the {how} one", (s and hi and s[0] == hi), how == "larger")


def _chk_pct(p: Page, g: dict[str, str], j: str, m: str, which: str) -> None:
    r = p.job(g[j]).get("salary_range") or {}
    p.check(f"{which}th percentile of {g[j]}", g[m],
            dollars(r.get("min" if which == "10" else "max")))


def _chk_lt(p: Page, g: dict[str, str], m1: str, m2: str) -> None:
    p.check(f"{g[m1]} below {g[m2]}", as_number(g[m1]) < as_number(g[m2]), True)


def _chk_width(p: Page, g: dict[str, str], j: str, m: str) -> None:
    w = _width(p.job(g[j]))
    p.check(f"range width of {g[j]}", g[m], None if w is None else dollars(w))


def _chk_same_width(p: Page, g: dict[str, str], m1: str, m2: str) -> None:
    x, y = as_number(g[m1]), as_number(g[m2])
    p.check("'about as wide': widths within 10%", max(x, y) / min(x, y) < Decimal("1.1"), True)


def _chk_place(p: Page, g: dict[str, str], j: str, pl: str, kind: str, v: str = "") -> None:
    job = p.job(g[j])
    where, value = {
        "state": (job.get("highest_paying_state"), place_pay(job, "highest_paying_state_pay")),
        "city": (job.get("highest_paying_city"), place_pay(job, "highest_paying_city_pay")),
        "jobs_state": ((job.get("most_jobs_state") or {}).get("name"),
                       whole((job.get("most_jobs_state") or {}).get("jobs"))),
        "industry": ((job.get("most_jobs_industry") or {}).get("name"),
                     whole((job.get("most_jobs_industry") or {}).get("jobs"))),
        "conc": ((job.get("most_concentrated_state") or {}).get("name"),
                 short_decimal((job.get("most_concentrated_state") or {})
                               .get("location_quotient") or 0)),
    }[kind]
    p.check(f"{kind} of {g[j]}", p.places.get(g[pl]), where)
    if v:
        p.check(f"{kind} figure of {g[j]} ({g[pl]})", g[v], value)


def _chk_unit(p: Page, g: dict[str, str], j: str, u: str) -> None:
    p.check(f"unit of {g[j]}'s place pay", g[u],
            "an hour" if hourly_only(p.job(g[j])) else "a year")


def _chk_tasks(p: Page, g: dict[str, str], j: str, k: str) -> None:
    n = {"three": 3, "four": 4, "five": 5}[g[k].lower()]
    p.check(f"number of tasks of {g[j]}", n, len(p.job(g[j]).get("tasks") or ()))


CHECKS: dict[str, Callable[..., None]] = {
    "hi": _chk_hi, "lo": _chk_lo, "avg": _chk_avg, "diff": _chk_diff, "per": _chk_per,
    "more": _chk_more, "less": _chk_less, "times": _chk_times, "equal": _chk_equal,
    "about": _chk_about, "similar": _chk_similar, "only": _chk_only, "big": _chk_big,
    "jobs": _chk_jobs, "bigger": _chk_bigger,
    "jratio": _chk_jratio, "every": _chk_every, "far": _chk_far, "as_many": _chk_as_many,
    "pay_size": _chk_pay_size, "p10": lambda p, g, j, m: _chk_pct(p, g, j, m, "10"),
    "p90": lambda p, g, j, m: _chk_pct(p, g, j, m, "90"), "lt": _chk_lt,
    "gt": lambda p, g, m1, m2: _chk_lt(p, g, m2, m1), "width": _chk_width,
    "same_width": _chk_same_width, "place": _chk_place, "unit": _chk_unit, "tasks": _chk_tasks,
    "mean_flip": _chk_mean_flip,
    "mean": lambda p, g: p.check("figures not named 'median' are means", p.median(), False),
}


# -- the sentence shapes and what each asserts --------------------------------------------------
# {J1} a job, {P1} a place, {$1} money, {n1} a count, {%1} a percentage, {x1} a multiple
# ("twice", "2.7 times"), {q1} a decimal, {per} "a year"/"an hour", {w1} a word.
TOKENS = {"J": r"⟨(?P<J{}>[ab])⟩", "P": r"⟨@(?P<P{}>[A-Z]+)⟩",
          "$": r"(?P<m{}>\$\d[\d,]*(?:\.\d\d)?)",
          "n": r"(?P<n{}>\d[\d,]*)", "%": r"(?P<p{}>\d+)%", "q": r"(?P<q{}>\d+(?:\.\d+)?)",
          "x": r"(?P<x{}>[Tt]wice|\d[\d,]*(?:\.\d+)? times)", "w": r"(?P<w{}>[A-Za-z]+)"}
SPAN = re.compile(r"\{(?:(per|unit\d|avg|stat|astat)|([JP$n%qxw])(\d))\}")
WORDS = {"per": "a year|an hour", "avg": "[Oo]n average|[Aa]t the median", "stat": "average|median",
         "astat": "an average|a median"}

def _compile(shape: str) -> re.Pattern[str]:
    out, at = [], 0
    for m in SPAN.finditer(shape):
        out.append(re.escape(shape[at:m.start()]))
        word, kind, n = m.groups()
        if word:
            out.append(rf"(?P<{word}>{WORDS.get(word, WORDS['per'])})")
        else:
            out.append(TOKENS[kind].format(n))
        at = m.end()
    out.append(re.escape(shape[at:]))
    return re.compile("".join(out))


def _key(text: str) -> str:
    """What a sentence (or a shape) starts with: a token, money, or its first three letters."""
    first = text[:1]
    return "⟨" if first in "⟨{" and not text.startswith("{$") else "$" if first == "$" or \
        text.startswith("{$") else text[:3]


CLAIMS = [(_compile(shape), [c.split() for c in checks.split("; ")])
          for shape, checks in PAY + SIZE + RANGES + PLACES]
BY_START: dict[str, list[tuple[re.Pattern[str], list[list[str]]]]] = {}
for (_shape, _), _claim in zip(PAY + SIZE + RANGES + PLACES, CLAIMS):
    for _start in (["At ", "On "] if _shape.startswith("{avg}") else [_key(_shape)]):
        BY_START.setdefault(_start, []).append(_claim)
TASK_LEAD_IN = re.compile(r"(?P<w1>Three|Four|Five) things ⟨(?P<J1>[ab])⟩ typically do:")



# -- reading a page -----------------------------------------------------------------------------

def names(job: dict[str, Any]) -> set[str]:
    forms = {job.get(k) for k in ("plural", "title", "short_title", "display_title")}
    return {f for f in forms if f} | short_plurals(job.get("short_title"))


def short_plurals(short: str | None) -> set[str]:
    """The forms the plural of a short name can take (the meta description and the chart name
    the jobs by it): one word of it made plural in English's regular ways ("supervisors of",
    "secretaries", "firemen"). Only to tell the jobs apart, so a spare form does no harm."""
    if not short:
        return set()
    words, found = short.split(" "), set()
    for i, w in enumerate(words):
        found |= {" ".join([*words[:i], f, *words[i + 1:]]) for f in _plural_forms(w)}
    for i, w in enumerate(words[1:-1], 1):  # "hosts or hostesses": both sides of an "or"
        if w in ("or", "and"):  # (two roles: "hosts and hostesses")
            found |= {" ".join([*words[:i - 1], f, c, g, *words[i + 2:]])
                      for f in _plural_forms(words[i - 1]) for g in _plural_forms(words[i + 1])
                      for c in ("or", "and")}
    return found


def _plural_forms(w: str) -> set[str]:
    forms = {w + "s", w + "es"}
    if w.endswith("y"):
        forms.add(w[:-1] + "ies")
    if w.endswith("man"):
        forms.add(w[:-3] + "men")
    return forms


def places_of(job: dict[str, Any]) -> set[str]:
    found = {job.get("highest_paying_state"), job.get("highest_paying_city")}
    for key in ("most_jobs_state", "most_concentrated_state", "most_jobs_industry"):
        found.add((job.get(key) or {}).get("name"))
    return {p for p in found if p}


class Tokens:
    """Replaces the page's names with tokens: ⟨a⟩, ⟨b⟩ (a name both jobs share: ⟨?⟩), and the
    places with ⟨@A⟩, ⟨@B⟩... (``places`` gives their names back). Longest names first, case
    ignored (titles and headings capitalise them), whole words only."""

    def __init__(self, a: dict[str, Any], b: dict[str, Any]) -> None:
        na, nb = names(a), names(b)
        token = {n.lower(): ("⟨a⟩" if n in na and n not in nb else
                             "⟨b⟩" if n in nb and n not in na else "⟨?⟩") for n in na | nb}
        self.places: dict[str, str] = {}
        for p in sorted(places_of(a) | places_of(b)):
            key = "".join(chr(65 + int(d)) for d in str(len(self.places)))
            if token.setdefault(p.lower(), f"⟨@{key}⟩") == f"⟨@{key}⟩":
                self.places[key] = p
        self.names = sorted(token.items(), key=lambda item: -len(item[0]))

    def __call__(self, text: str) -> str:
        low = text.lower()
        assert len(low) == len(text)
        spans: list[tuple[int, int, str]] = []
        taken = bytearray(len(text))
        for name, token in self.names:
            at = low.find(name)
            while at >= 0:
                end = at + len(name)
                if (not any(taken[at:end]) and (at == 0 or not _word(low[at - 1]))
                        and (end == len(low) or not _word(low[end]))):
                    spans.append((at, end, token))
                    taken[at:end] = b"\1" * (end - at)
                at = low.find(name, at + 1)
        out, last = [], 0
        for at, end, token in sorted(spans):
            out += [text[last:at], token]
            last = end
        out.append(text[last:])
        return "".join(out)


def _word(char: str) -> bool:
    return char.isalnum() or char in "-_"


SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z⟨$\d])")


def audit_sentence(page: Page, text: str) -> None:
    """Check a sentence (names already tokens) against the claim shapes; one with a digit that
    no shape matches is unrecognised."""
    if text in DEFINITIONS:
        return
    for pattern, checks in BY_START.get(_key(text), ()):
        m = pattern.fullmatch(text)
        if m:
            # a sentence about both jobs ("their shares ... 2.66 and 5.78") names a, then b
            groups = {"J1": "a", "J2": "b",
                      **{k: v for k, v in m.groupdict().items() if v is not None}}
            for name, *args in checks:
                CHECKS[name](page, groups, *args)
            if not any(c[0] == "only" for c in checks):
                _chk_stat_words(page, groups)
            page.claims += 1
            return
    if NUMBER.search(text):
        page.unrecognised.append(f"{page.id}: {page.where}: {text}")


def audit_text(page: Page, tokens: Tokens, text: str, where: str) -> None:
    page.where = where
    for sentence in SENTENCE_END.split(tokens(text).strip()):
        audit_sentence(page, sentence)


def audit_table(page: Page, table: dict[str, Any], where: str) -> None:
    page.where = where
    a, b = page.a, page.b
    page.check("table header", table["header"], [a["display_title"], b["display_title"]])

    def pay_range(job: dict[str, Any]) -> str:
        r = job.get("salary_range")
        if not r:
            return "-"
        return f"{dollars(r['min'])} to {dollars(r['max'])}" + (
            " or more" if r.get("max_top_coded") else "")

    def best(place: str) -> Callable[[dict[str, Any]], str]:
        """A best-paying place, its pay (in the page's unit) and the jobs there."""
        def cell(job: dict[str, Any]) -> str:
            name, pay = job.get(place), place_pay(job, f"{place}_pay")
            if not name or pay is None:
                return NOT_NAMED
            unit = "an hour" if hourly_only(job) else "a year"
            figures = job.get(f"{place}_pay") or {}
            there, rse = figures.get("jobs"), figures.get("wage_rse")
            measure = "hourly_rate" if hourly_only(job) else "salary"
            page.check(f"{place} of {job['id']} is reliable (>= {MIN_PLACE_JOBS:,} jobs, wage "
                       f"RSE <= {MAX_WAGE_RSE}%, pays more than the nation)",
                       there is not None and there >= MIN_PLACE_JOBS and rse is not None
                       and rse <= MAX_WAGE_RSE and figures[measure] > job[measure], True)
            return f"{name}: {pay} {unit}" + (f" ({whole(there)} jobs)" if there else "")
        return cell

    def most(key: str, figure: str, form: str) -> Callable[[dict[str, Any]], str]:
        """The place with the most jobs (or the highest concentration), with its figure."""
        def cell(job: dict[str, Any]) -> str:
            place = job.get(key) or {}
            if not place.get("name"):
                return NOT_NAMED
            value = place.get(figure)
            if value is None:
                return place["name"]
            shown = whole(value) if figure == "jobs" else short_decimal(value)
            return f"{place['name']}: " + form.format(shown)
        return cell

    expected: dict[str, Callable[[dict[str, Any]], str | None]] = {
        "Best-paying state (average pay)": best("highest_paying_state"),
        "Best-paying metro area (average pay)": best("highest_paying_city"),
        "Best-paying industry (average pay)": best("best_paying_industry"),
        "State with the most jobs": most("most_jobs_state", "jobs", "{} jobs"),
        "Most concentrated in": most("most_concentrated_state", "location_quotient",
                                     "{} times the national share of jobs"),
        "Industry with the most jobs": most("most_jobs_industry", "jobs", "{} jobs"),
        "Median salary": lambda j: dollars(j.get("median_salary")),
        "Median hourly wage": lambda j: dollars(j.get("median_hourly_rate"), hourly=True),
        "Average (mean) salary": lambda j: dollars(j.get("salary")),
        "Average (mean) hourly wage": lambda j: dollars(j.get("hourly_rate"), hourly=True),
        "Wage and salary jobs (self-employed not counted)": lambda j: whole(j.get("jobs")),
        "Most jobs in": lambda j: (j.get("most_jobs_state") or {}).get("name"),
        "Pay range (10th to 90th percentile)": pay_range,
    }
    for label, *cells in table["rows"]:
        if label not in expected:
            if any(NUMBER.search(c) for c in cells):
                page.unrecognised.append(f"{page.id}: {where}: table row {label!r}: {cells}")
            continue
        want = [expected[label](j) or "-" for j in (a, b)]
        page.check(f"table row {label!r}", cells, want)


def audit_description(page: Page, section: dict[str, Any], tokens: Tokens) -> None:
    page.where = section["id"]
    job = page.job(section["id"][-1])
    paras = section["paragraphs"]
    if job.get("description"):
        page.check("description (O*NET text)", paras[0], job["description"])
        paras = paras[1:]
    page.check("tasks (O*NET text)", section.get("lists", [[]])[0] if job.get("tasks") else [],
               job.get("tasks") or [])
    for text in paras:  # the lead-in to the tasks
        m = TASK_LEAD_IN.fullmatch(tokens(text))
        if m:
            _chk_tasks(page, m.groupdict(), "J1", "w1")
        elif NUMBER.search(tokens(text)):
            page.unrecognised.append(f"{page.id}: {page.where}: {text}")


COMMON_LEAD = re.compile(
    r"(?:O\*NET links (?P<n>\d[\d,]*|one) of the same detailed work activities to both jobs"
    r"|The two jobs share (?P<n2>\d[\d,]*) of O\*NET's detailed work activities"
    r"|Both jobs' tasks are linked to (?P<n3>\d[\d,]*) of the same O\*NET work activities)"
    r"(?P<among>, among them)?:")
COMMON_LISTED, OWN_SAID = 5, 2  # the section's stated limits, written out again here


def audit_common(page: Page, section: dict[str, Any], tokens: Tokens) -> None:
    """"What they have in common": the count of O*NET work activities (DWA IDs) both jobs'
    profiles hold, the listed ones among them (the most central to both: the lowest sum of
    their places in the two profiles), and each job's first activities the other lacks."""
    page.where = "common"
    acts_a, acts_b = page.a.get("activities") or [], page.b.get("activities") or []
    where_b = {x["id"]: i for i, x in enumerate(acts_b)}
    both = sorted((i + where_b[x["id"]], i, x["text"]) for i, x in enumerate(acts_a)
                  if x["id"] in where_b)
    lead, *rest = section["paragraphs"]
    m = COMMON_LEAD.fullmatch(lead)
    if not m:
        page.unrecognised.append(f"{page.id}: common: {lead}")
        return
    n = m["n"] or m["n2"] or m["n3"]
    said = 1 if n == "one" else int(n.replace(",", ""))
    page.check("activities both jobs have", said, len(both))
    page.check("the shared activities listed", section["lists"][0],
               [text for *_, text in both[:COMMON_LISTED]])
    page.check("'among them' when not all are listed", bool(m["among"]),
               len(both) > COMMON_LISTED)
    for text in rest:
        own = [(side, [x["text"] for x in acts if x["id"] not in other][:OWN_SAID])
               for side, acts, other in (("a", acts_a, where_b),
                                         ("b", acts_b, {x["id"] for x in acts_a}))]
        # (a job's name inside an activity, "supervise cooks", is a token on the page too)
        parts = [f"⟨{side}⟩ " + tokens(" and ".join(texts)) for side, texts in own if texts]
        page.check("activities linked to only one job",
                   tokens(text), "Linked to only one of them: " + "; ".join(parts) + ".")


ONLY_ONE_WAGE = re.compile(r"BLS publishes only an (hourly|annual) wage for ⟨([ab])⟩")


def audit_only_one_wage(page: Page, text: str) -> None:
    """"BLS publishes only an hourly (annual) wage for X": X has that figure and not the other
    (the note under a table with a "-" cell)."""
    for unit, side in ONLY_ONE_WAGE.findall(text):
        job = page.job(side)
        has, lacks = ("hourly_rate", "salary") if unit == "hourly" else ("salary", "hourly_rate")
        page.check(f"only an {unit} wage for {side}",
                   (job.get(has) is not None, job.get(lacks) is None), (True, True))


def numbers(text: str) -> Counter[str]:
    return Counter(NUMBER.findall(text))


def audit_page(data: dict[str, Any], jobs: dict[str, dict[str, Any]],
               pairs: dict[str, tuple[str, str]], sources: Iterable[str]) -> Page:
    """Every claim of one page (narrator's JSON format, as a dict), checked against the data."""
    a_id, b_id = pairs[data["id"]]
    page = Page(data["id"], jobs[a_id], jobs[b_id])
    tokens = Tokens(page.a, page.b)
    page.places = tokens.places
    audit_text(page, tokens, data["title"], "title")
    if data.get("seo_title") and not data["seo_title"].endswith("…"):
        audit_text(page, tokens, data["seo_title"], "seo_title")
    audit_text(page, tokens, data["meta_description"], "meta_description")
    stated = numbers(data["title"])
    for section in data["sections"]:
        sid = section["id"]
        stated += numbers(section["heading"] or "")
        stated += numbers(" ".join(section["paragraphs"]))
        stated += numbers(" ".join(" ".join(row) for t in section["tables"] for row in t["rows"]))
        stated += numbers(" ".join(" ".join(t["header"]) for t in section["tables"]))
        stated += numbers(" ".join(" ".join(items) for items in section.get("lists", [])))
        if section["heading"]:
            audit_text(page, tokens, section["heading"], f"{sid} heading")
        if sid.startswith("description_"):
            audit_description(page, section, tokens)
            continue
        if sid == "common":
            audit_common(page, section, tokens)
            continue
        if sid == "source":
            page.where = "source"
            page.check("source lines (narrator.json)", section["paragraphs"], list(sources))
            continue
        for text in section["paragraphs"]:
            if not text.startswith("!["):
                audit_text(page, tokens, text, sid)
                audit_only_one_wage(page, tokens(text))
        for table in section["tables"]:
            audit_table(page, table, sid)
    page.where = "markdown body"
    body = "\n".join(line for line in data["body_markdown"].splitlines()
                     if not line.startswith("![") and not set(line) <= set("|- "))
    body = re.sub(r"\\(.)", r"\1", body)
    page.check("numbers of the Markdown body = numbers of the sections", numbers(body), stated)
    said = {claim for _, claim in page.ratio_claims}
    if len(said) > 1:
        page.problem("the pay ratio, said alike in SEO title, meta and body",
                     sorted(page.ratio_claims), "one wording")
    return page
