"""Render throughput in one process, beside its two references measured in the same run.

    .venv/bin/python benchmarks/bench_render.py [--seconds 3]

* narrator, warm: ``Renderer.render`` on the seed record, job values prepared once per job (as
  in a batch, where each job appears in many pairs);
* narrator, per-job cache cleared: the renderer's prepared job values dropped before every
  article, but the number, grammar and chart caches kept (every pair has two jobs never seen
  before, with numbers and titles seen elsewhere);
* narrator, cold: every cache cleared before every article (the renderer's, the number
  formats', grammar's, facts' and the chart's): what a record with new jobs, new titles and
  new numbers costs, as a CMS's own standalone records do;
* over the real BLS pairs: every pair of ``data/bls`` rendered once (thin articles);
* naive, per use: the same templates and libraries used the obvious way, each job wrapped in
  an object whose properties call inflect and Babel afresh every time a template reads a value
  (the issue's "fresh inflect and Babel calls for every value");
* naive, once per article: a stricter reference, already one step from naive: every value is
  computed once per article into a dict per job (fresh library calls per article, not per use);
* f-string bound: the seed article written by hand-coded f-strings from prepared values,
  checked to be byte-identical to narrator's: the upper bound for any template engine.

Then what the speed layer (``narrator/render/fast.py``) is worth: narrator with it and with plain
Jinja (``Renderer(fast=False)``), measured alternately in the same run, warm on the seed record
and over the BLS pairs in the editorial style, as a ratio.

Then where an article's time goes (microseconds of CPU, each step adding to the one before):
the seed with every value prepared, with its two jobs' values prepared again, with their numbers
never formatted before, with nothing seen before (the cold rate); and for the BLS pairs in the
editorial style, the time outside templates (facts, views, chart, the Article) and the chart's
share of it. These say which throughput a change to one stage can reach at most.

Each rate is CPU time of this process: the best of five windows for the seed measurements, the
median chunk of 1,000 pairs for the BLS passes (see ``rate`` and ``once_each``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from narrator import api, schema  # noqa: E402
from narrator.article import Article  # noqa: E402
from narrator.dataset import read_dataset  # noqa: E402
from narrator.render.renderer import SECTIONS, Renderer  # noqa: E402
from narrator.render.views import JobView  # noqa: E402

SEED = ROOT / "data" / "records" / "lead-technician-vs-software-support-technician.json"


def rate(fn, seconds: float, windows: int = 5) -> float:
    """Calls per second of ``fn``: the best of ``windows`` windows of about ``seconds /
    windows`` each, in CPU time of this process (after one warm-up call). On a shared VM one
    long wall-clock window swung +-40% between runs; the best window of CPU time is what the
    code costs when nothing else interferes."""
    fn()
    best = 0.0
    for _ in range(windows):
        n, start = 0, time.process_time()
        while (elapsed := time.process_time() - start) < seconds / windows:
            for _ in range(50):
                fn()
            n += 50
        best = max(best, n / elapsed)
    return best


def once_each(fn, items: list, chunk: int = 1000) -> float:
    """Items per second of ``fn`` over ``items``, each once: per chunk of ``chunk`` items in
    CPU time, the whole pass's rate from its median chunk (robust to a burst of interference,
    while every item is still rendered)."""
    rates = []
    for i in range(0, len(items), chunk):
        part = items[i:i + chunk]
        start = time.process_time()
        for item in part:
            fn(item)
        rates.append(len(part) / max(time.process_time() - start, 1e-9))
    return sorted(rates)[len(rates) // 2]


def rates_side_by_side(fns: list, seconds: float, windows: int = 5) -> list[float]:
    """``rate`` of each of ``fns``, their windows taken in turn (a, b, a, b, ...), so that
    interference from the rest of a shared machine falls on all of them alike."""
    for fn in fns:
        fn()
    best = [0.0] * len(fns)
    for _ in range(windows):
        for i, fn in enumerate(fns):
            n, start = 0, time.process_time()
            while (elapsed := time.process_time() - start) < seconds / windows:
                for _ in range(50):
                    fn()
                n += 50
            best[i] = max(best[i], n / elapsed)
    return best


def once_each_side_by_side(fns: list, items: list, chunk: int = 1000) -> list[float]:
    """``once_each`` of each of ``fns`` over the same ``items``, chunk by chunk in turn."""
    rates: list[list[float]] = [[] for _ in fns]
    for i in range(0, len(items), chunk):
        part = items[i:i + chunk]
        for fn, found in zip(fns, rates):
            start = time.process_time()
            for item in part:
                fn(item)
            found.append(len(part) / max(time.process_time() - start, 1e-9))
    return [sorted(r)[len(r) // 2] for r in rates]


def fast_vs_plain(rec: schema.Comparison, pairs: list[schema.Comparison], style: str,
                  dataset, seconds: float) -> dict[str, tuple[float, float]]:
    """Articles/s with the speed layer and with plain Jinja: the seed record warm, and every
    BLS pair once in the data set's ``style`` (both renderers warmed on the same pairs)."""
    seed = [Renderer(locale="en_US", fast=fast) for fast in (True, False)]
    styled = [Renderer(locale="en_US", style=style, fast=fast) for fast in (True, False)]
    assert seed[0].fast and not seed[1].fast, "the fast path must be on for this comparison"
    for r in styled:
        for p in pairs[:2000]:
            r.render(p, dataset)
    return {
        "seed, per-job values cached": tuple(rates_side_by_side(
            [lambda r=r: r.render(rec).markdown() for r in seed], seconds)),
        f"all {len(pairs):,} BLS pairs once, {style} style + chart": tuple(
            once_each_side_by_side([lambda p, r=r: r.render(p, dataset).markdown()
                                    for r in styled], pairs)),
    }


def naive_renderer(renderer: Renderer, per_use: bool):
    """The same templates with the libraries used the obvious way: each job wrapped in an
    object whose properties call inflect and Babel afresh on every read (``per_use``), or that
    object's values read once per article into a dict per job."""
    import inflect
    from babel.numbers import format_currency, format_decimal, format_percent

    eng = inflect.engine()
    loc = "en_US"

    def pct(v, pattern="#,##0.#%"):
        return format_percent(v / 100, pattern, locale=loc)

    def money(v, cur, cents=False):
        return format_currency(v, cur, locale=loc, format=None if cents else "¤#,##0",
                               currency_digits=cents)

    def shares(d):
        return " ".join(f"{k}, {pct(v)}" for k, v in d.items()) if d else None

    def opt(fn, v, *args):
        return None if v is None else fn(v, *args)

    class Job:
        def __init__(self, job: schema.Job) -> None:
            self.j = job
            self.title, self.currency = job.title, job.currency
            self.skills = list((job.skills or [])[:3])
            self.salary_max_top_coded = bool(job.salary_range and job.salary_range.max_top_coded)
            self.city, self.state = job.highest_paying_city, job.highest_paying_state
            self.company, self.industry = job.best_paying_company, job.best_paying_industry
            self.major, self.college, self.description = job.major, job.college, job.description
            self.short, self.tasks = job.short_title or job.title, list(job.tasks or ())
            self.headline = self.short.title()
            # place facts: the seed templates don't show them
            self.state_pay = self.city_pay = self.industry_pay = self.city_in_state = None
            self.jobs_state = self.jobs_state_count = self.conc_state = self.conc_lq = None
            self.jobs_industry = self.jobs_industry_count = None
            self.pay_unit = "a year"
            self.spread = None  # the pay spread sentence: editorial only
            # percentiles, medians and place counts: the BLS pages', not the seed templates'
            self.range_width = self.state_jobs = self.city_jobs = self.industry_jobs = None
            self.median_salary = self.median_hourly_rate = None
            self.salary_p25 = self.salary_p75 = self.hourly_p25 = self.hourly_p75 = None

        plural = property(lambda s: eng.plural_noun(s.j.title))
        short_plural = property(lambda s: eng.plural_noun(s.short))
        a_short = property(lambda s: eng.a(s.short))
        a_title = property(lambda s: eng.a(s.j.title))
        display = property(lambda s: s.j.title.title())
        plural_possessive = property(lambda s: eng.plural_noun(s.j.title) + "'")
        salary = property(lambda s: opt(money, s.j.salary, s.j.currency))
        hourly_rate = property(lambda s: opt(money, s.j.hourly_rate, s.j.currency, True))
        growth = property(lambda s: opt(pct, s.j.growth_pct))
        jobs = property(lambda s: opt(format_decimal, s.j.jobs, None, loc))
        satisfaction = property(lambda s: opt(format_decimal, s.j.satisfaction, None, loc))
        degree = property(lambda s: s.j.degree
                          and f"{s.j.degree.name}, {pct(s.j.degree.pct, '#,##0%')}")
        average_age = property(lambda s: opt(format_decimal, s.j.average_age, None, loc))
        experience_years = property(lambda s: opt(format_decimal, s.j.experience_years, None, loc))
        qualify = property(lambda s: s.j.time_to_qualify and (
            f"{format_decimal(s.j.time_to_qualify.min, locale=loc)}-"
            f"{format_decimal(s.j.time_to_qualify.max, locale=loc)} {s.j.time_to_qualify.unit}"))
        salary_min = property(lambda s: s.j.salary_range
                              and money(s.j.salary_range.min, s.j.currency))
        salary_max = property(lambda s: s.j.salary_range
                              and money(s.j.salary_range.max, s.j.currency))
        gender = property(lambda s: shares(s.j.gender_pct))
        race = property(lambda s: shares(s.j.race_pct))
        lgbt = property(lambda s: opt(pct, s.j.lgbt_pct, "#,##0%"))

    fields = [f for f in JobView.__slots__ if f not in ("id", "plural_possessive")]

    def view(job: schema.Job) -> Job | dict:
        if per_use:
            return Job(job)
        values = {f: getattr(Job(job), f) for f in fields}
        return {**values, "plural_possessive": values["plural"] + "'"}

    def render(rec: schema.Comparison) -> str:
        a, b = view(rec.a), view(rec.b)
        higher, lower = (a, b) if rec.a.salary >= rec.b.salary else (b, a)
        ctx = {"a": a, "b": b, "pay": "a", "qualify": "same", "higher": higher, "lower": lower,
               "source": (), "related": ()}
        parts = []
        for _, name, side in SECTIONS:
            t = renderer.templates[f"comparison/{name}"]
            parts.append(t.render({**ctx, "job": ctx[side]} if side else ctx).strip())
        return "\n\n".join(p for p in parts if p)

    return render


def fstring_seed(a: JobView, b: JobView) -> str:
    """The seed article from prepared values, by hand: what no template engine can beat."""
    def row(label, x, y):
        return f"| {label} | {x if x is not None else '-'} | {y if y is not None else '-'} |"

    head = f"| | {a.display} | {b.display} |\n| --- | --- | --- |\n"
    cap = a.title[0].upper() + a.title[1:]
    return (
        f"# {cap} vs {b.title}\n\n"
        f"The differences between {a.plural} and {b.plural} can be seen in a few details. "
        f"Each job has different responsibilities and duties. It typically takes {a.qualify} to "
        f"become both {a.a_title} and {b.a_title}. Additionally, {a.a_title} has an average salary "
        f"of {a.salary}, which is higher than the {b.salary} average annual salary of "
        f"{b.a_title}.\n\n"
        f"The top three skills for {a.a_title} include {a.skills[0]}, {a.skills[1]} and "
        f"{a.skills[2]}. The most important skills for {b.a_title} are {b.skills[0]}, "
        f"{b.skills[1]}, and {b.skills[2]}.\n\n"
        f"## {cap} vs {b.title} overview\n\n" + head + "\n".join([
            row("Yearly salary", a.salary, b.salary),
            row("Hourly rate", a.hourly_rate, b.hourly_rate),
            row("Growth rate", a.growth, b.growth), row("Number of jobs", a.jobs, b.jobs),
            row("Job satisfaction", a.satisfaction, b.satisfaction),
            row("Most common degree", a.degree, b.degree),
            row("Average age", a.average_age, b.average_age),
            row("Years of experience", a.experience_years, b.experience_years)]) + "\n\n"
        f"## What does {a.a_title} do?\n\n{a.description}\n\n"
        f"## What does {b.a_title} do?\n\n{b.description}\n\n"
        f"## {cap} vs {b.title} salary\n\n{a.plural[0].upper() + a.plural[1:]} and {b.plural} have "
        f"different pay scales, as shown below.\n\n" + head + "\n".join([
            row("Average salary", a.salary, b.salary),
            row("Salary range", f"Between {a.salary_min} And {a.salary_max}",
                f"Between {b.salary_min} And {b.salary_max}"),
            row("Highest paying City", a.city, b.city),
            row("Highest paying state", a.state, b.state),
            row("Best paying company", a.company, b.company),
            row("Best paying industry", a.industry, b.industry)]) + "\n\n"
        f"## {cap} vs {b.title} education\n\nThere are a few differences between {a.a_title} and "
        f"{b.a_title} in terms of educational background:\n\n" + head + "\n".join([
            row("Most common degree", a.degree, b.degree),
            row("Most common major", a.major, b.major),
            row("Most common college", a.college, b.college)]) + "\n\n"
        f"## {cap} vs {b.title} demographics\n\nHere are the differences between "
        f"{a.plural_possessive} and {b.plural_possessive} demographics:\n\n" + head + "\n".join([
            row("Average age", a.average_age, b.average_age),
            row("Gender ratio", a.gender, b.gender),
            row("Race ratio", a.race, b.race), row("LGBT Percentage", a.lgbt, b.lgbt)]) + "\n"
    )


def number_caches(renderer: Renderer) -> list:
    """The clear() of the renderer's number formats' memos."""
    fmt = renderer.fmt
    return [fmt._money_cache.clear, fmt._integer_cache.clear, fmt._decimal_cache.clear,
            fmt._percent_cache.clear]


def every_cache(renderer: Renderer) -> list:
    """The clear() of every cache a render can hit: the renderer's own dicts, its number
    formats' memos, and every ``functools`` cache in narrator's modules (grammar, facts,
    chart). Found by walking the modules, so a cache added later is cleared too."""
    import importlib
    import pkgutil

    import narrator

    found = [renderer._views.clear, renderer._one_job.clear, renderer._bars.clear,
             renderer._sources.clear, *number_caches(renderer)]
    for info in pkgutil.walk_packages(narrator.__path__, "narrator."):
        if info.name.startswith(("narrator.importer", "narrator.review.diff", "narrator.api")):
            continue  # not on the render path (and the importer needs its optional data)
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            # a bounded lru_cache memoises values; an unbounded functools.cache loads a table
            # or an engine once per process (start-up cost, not a record's), so it stays
            if callable(getattr(value, "cache_clear", None)) and \
                    getattr(value, "__module__", "").startswith("narrator") and \
                    value.cache_parameters()["maxsize"] is not None:
                found.append(value.cache_clear)
    return found


def bls_pairs(renderer: Renderer) -> list[schema.Comparison]:
    bls = ROOT / "data" / "bls"
    jobs = {}
    for line in (bls / "jobs.jsonl").read_text(encoding="utf-8").splitlines():
        job = schema.to_job(json.loads(line), file="jobs.jsonl", where="")
        jobs[job.id] = job
    pairs = [json.loads(line)
             for line in (bls / "pairs.jsonl").read_text(encoding="utf-8").splitlines()]
    return [schema.Comparison(id=p["id"], a=jobs[p["a"]], b=jobs[p["b"]]) for p in pairs]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=3.0, help="time per measurement")
    args = ap.parse_args()

    rec = api.load_one(SEED)
    renderer = Renderer(locale="en_US")
    a, b = renderer.view(rec.a, "a"), renderer.view(rec.b, "b")
    expected = renderer.render(rec).markdown()
    assert fstring_seed(a, b) == expected, "the f-string bound must write the same article"
    naive = naive_renderer(renderer, per_use=False)
    naive_per_use = naive_renderer(renderer, per_use=True)
    body = expected.split("\n\n", 1)[1].rstrip("\n")
    assert naive(rec) == body and naive_per_use(rec) == body, "the naive references must agree"

    def fresh() -> Article:
        renderer._views.clear()
        renderer._one_job.clear()
        return renderer.render(rec)

    caches = every_cache(renderer)

    def cold() -> Article:
        for clear in caches:
            clear()
        return renderer.render(rec)

    results = {
        "narrator, seed, per-job values cached":
            rate(lambda: renderer.render(rec).markdown(), args.seconds),
        "narrator, seed, per-job cache cleared": rate(lambda: fresh().markdown(), args.seconds),
        "narrator, seed, cold (every cache cleared)": rate(lambda: cold().markdown(), args.seconds),
        "naive, values once per article, seed": rate(lambda: naive(rec), args.seconds),
        "naive, library calls per use, seed": rate(lambda: naive_per_use(rec), args.seconds),
        "f-string bound, seed": rate(lambda: fstring_seed(a, b), args.seconds),
    }
    pairs = bls_pairs(renderer)
    results[f"narrator, all {len(pairs):,} BLS pairs once, seed style"] = once_each(
        lambda p: renderer.render(p).markdown(), pairs)
    # The BLS pages' own style (data/bls/narrator.json), chart included, as `--all` renders them.
    bls_set, _ = read_dataset(ROOT / "data" / "bls")
    editorial = Renderer(locale="en_US", style=bls_set.style)
    for p in pairs[:2000]:  # warm: templates compiled, first jobs prepared
        editorial.render(p, bls_set)
    results[f"narrator, all {len(pairs):,} BLS pairs once, {bls_set.style} style + chart"] = (
        once_each(lambda p: editorial.render(p, bls_set).markdown(), pairs))

    # Where the time goes. Each step clears more than the one before it.
    numbers = number_caches(renderer)

    def new_numbers() -> Article:
        for clear in numbers:
            clear()
        return fresh()

    def outside_templates(chart: bool) -> float:
        """Microseconds per BLS article in the editorial style with every template replaced by
        an empty one (and, unless ``chart``, no chart drawn): what the templates don't cost."""
        uses_chart = editorial._uses_chart
        editorial._render = lambda template, context: ""  # an instance attribute: undone below
        editorial._uses_chart = chart and uses_chart
        try:
            return 1e6 / once_each(lambda p: editorial.render(p, bls_set), pairs)
        finally:
            del editorial._render
            editorial._uses_chart = uses_chart

    steps = {
        "seed, every value prepared (warm)": 1e6 / results["narrator, seed, per-job values cached"],
        "  + its two jobs' values prepared again":
            1e6 / results["narrator, seed, per-job cache cleared"],
        "  + their numbers never formatted before":
            1e6 / rate(lambda: new_numbers().markdown(), args.seconds),
        "  + nothing seen before (cold)":
            1e6 / results["narrator, seed, cold (every cache cleared)"],
        "BLS editorial + chart, whole article":
            1e6 / results[f"narrator, all {len(pairs):,} BLS pairs once, "
                          f"{bls_set.style} style + chart"],
        "  outside templates (facts, views, chart, Article)": outside_templates(chart=True),
        "  outside templates, no chart": outside_templates(chart=False),
    }

    ours = results["narrator, seed, per-job values cached"]
    uncached = results["narrator, seed, cold (every cache cleared)"]
    for name, r in results.items():
        print(f"{name:45s} {r:12,.0f} articles/s")
    print(f"narrator vs naive, library calls per use: "
          f"{ours / results['naive, library calls per use, seed']:.1f}x faster")
    print(f"narrator vs naive, values prepared once per article: "
          f"{ours / results['naive, values once per article, seed']:.1f}x faster")
    print(f"narrator cold vs naive, library calls per use (both uncached): "
          f"{uncached / results['naive, library calls per use, seed']:.1f}x faster")
    print(f"narrator cold vs naive, values prepared once per article (both uncached): "
          f"{uncached / results['naive, values once per article, seed']:.1f}x faster")
    print(f"f-string bound is {results['f-string bound, seed'] / ours:.1f}x narrator (warm)")
    print("where an article's time goes (CPU microseconds per article):")
    for name, us in steps.items():
        print(f"  {name:58s} {us:8.1f} us  ({1e6 / us:8,.0f}/s)")

    import jinja2

    print(f"the speed layer (render/fast.py) against plain Jinja {jinja2.__version__}, "
          "measured alternately:")
    for name, (fast, plain) in fast_vs_plain(rec, pairs, bls_set.style, bls_set,
                                             args.seconds).items():
        print(f"  {name:50s} {fast:9,.0f} vs {plain:9,.0f} articles/s: {fast / plain:.2f}x")


if __name__ == "__main__":
    main()
