"""Record + facts + locale -> Article. Values are prepared once per job; templates choose words."""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from jinja2.debug import rewrite_traceback_stack

from .. import facts, grammar
from ..article import Article, Link, chart_file, link_file
from ..chart import Bar, pay_chart
from ..dataset import DEFAULT_STYLE, Dataset, style_dirs
from ..dataset import NONE as NO_DATASET
from ..errors import NarratorError, RecordError, TemplateError
from ..formatting import NumberFormat, check_currency
from ..markdown import escape
from ..schema import Comparison, Job, Pay, Place
from .environment import always_empty, environment, get_template, used_names
from .fast import FastPath, Sections
from .variants import CONTEXT_NAME as VARIATION
from .variants import Variation
from .views import CommonView, GapView, JobView, LinkView, PlacesView, RelatedView, SizeView

KIND = "comparison"

MAX_CACHED_JOBS = 20_000
# (section id, template, side): the article's order. A section about one job (a side) sees only
# `job` and is rendered once per job; descriptions and places share a template between sides.
SECTIONS: tuple[tuple[str, str, str | None], ...] = (
    ("intro", "intro.md.j2", None),
    ("skills", "skills.md.j2", None),
    ("overview", "overview.md.j2", None),
    ("common", "common.md.j2", None),  # the work both jobs do (editorial; empty in the seed)
    ("description_a", "description.md.j2", "a"),
    ("description_b", "description.md.j2", "b"),
    ("pay", "pay.md.j2", None),
    ("places_a", "places.md.j2", "a"),  # where each job pays best: empty in the seed style
    ("places_b", "places.md.j2", "b"),
    ("places", "where.md.j2", None),  # the same, both jobs at once (editorial: compared)
    ("education", "education.md.j2", None),
    ("demographics", "demographics.md.j2", None),
    ("source", "source.md.j2", None),  # the data set's source lines (attribution)
    ("related", "related.md.j2", None),  # other pages of the run (narrate --all's profile sets)
)
#: The names a comparison's templates are rendered with (besides the environment's globals and
#: the page's Variation), in the order ``Renderer.render`` sets them; ``narrate check`` takes a
#: name not listed here for a typo (tests/test_render.py ties the list to a render).
CONTEXT_NAMES = ("a", "b", "pay", "qualify", "higher", "lower", "source", "gap", "size",
                 "places", "overlap", "pay_size", "spread", "chart", "common", "related")
#: ... and those of a section about one job (a side in SECTIONS).
JOB_CONTEXT_NAMES = ("job",)
TEMPLATE_NAMES = tuple(dict.fromkeys([f"{KIND}/{t}" for _, t, _ in SECTIONS]
                                     + [f"{KIND}/title.txt.j2", f"{KIND}/meta.txt.j2",
                                        f"{KIND}/seo_title.txt.j2"]))

# JobView's fields from state_pay to industry_jobs (see Renderer._places)
_PlaceFacts = tuple[str | None, str | None, str | None, str, bool | None, str | None, str | None,
                    str | None, str | None, str | None, str | None, str | None, str | None,
                    str | None]
# JobView's fields from median_salary on (see Renderer._percentiles)
_Percentiles = tuple[str | None, str | None, str | None, str | None, str | None, str | None]
# (template name, id(job)) -> (job, Markdown, its slots' choices as named on side a, on b)
_OneJobCache = dict[tuple[str | None, int],
                    tuple[JobView, str, dict[str, tuple[tuple[str, int], ...]]]]


def _opt(value: str | None) -> str | None:
    return None if value is None else escape(value)


class _PlainSections:
    """Sections rendered by plain Jinja (``Renderer(fast=False)``): ``Template.render`` from the
    article's values, each template loaded as Jinja loads it. The reference for
    ``fast.Sections``, which has the same methods."""

    load = None  # get_template loads through the environment

    def add(self, template: jinja2.Template) -> None:
        pass

    def context(self, values: dict[str, Any]) -> dict[str, Any]:
        return values

    def render(self, template: jinja2.Template, values: dict[str, Any]) -> str:
        return template.render(values)


class Renderer:
    """Renders comparisons for one locale and template set; caches per-job work across pairs.

    ``fast``: with narrator's speed layer (``fast.py``, when the installed Jinja is one it was
    written for; ``self.fast`` says whether it is on); False: plain Jinja. The articles are the
    same either way."""

    def __init__(self, *, locale: str = "en_US", template_dirs: Sequence[Path] = (),
                 style: str = DEFAULT_STYLE, variation: bool = True, fast: bool = True) -> None:
        self.locale = locale
        self.variation = variation  # False: every {% variants %} slot's first eligible variant
        self.fmt = NumberFormat(locale)
        # A style is template folders between the user's overrides and the seed templates.
        self.env = environment(self.fmt, template_dirs, style_dirs(style),
                               trusted=(JobView, GapView, SizeView, PlacesView, CommonView,
                                        RelatedView, LinkView),
                               fast=fast)
        self.fast = isinstance(self.env, FastPath)
        self._sections = Sections(self.env) if self.fast else _PlainSections()
        self.templates = {name: get_template(self.env, name, compile=self._sections.load)
                          for name in TEMPLATE_NAMES}
        for template in self.templates.values():
            self._sections.add(template)
        # A section whose template writes nothing (places.md.j2) is left out of the plan.
        self._plan = tuple((sid, self.templates[f"{KIND}/{name}"], side)
                           for sid, name, side in SECTIONS
                           if not always_empty(self.env, f"{KIND}/{name}"))
        self._title = self.templates[f"{KIND}/title.txt.j2"]
        self._meta = self.templates[f"{KIND}/meta.txt.j2"]
        self._seo_title = self.templates[f"{KIND}/seo_title.txt.j2"]
        self._sources: dict[tuple[str, ...], tuple[str, ...]] = {}
        used = used_names(self.env, TEMPLATE_NAMES)
        self._uses_gap, self._uses_size = "gap" in used, "size" in used
        self._uses_chart = "chart" in used
        self._uses_places = "places" in used
        self._uses_overlap = "overlap" in used
        self._uses_pay_size = "pay_size" in used
        self._needs_gap = self._uses_gap or self._uses_overlap or self._uses_pay_size
        self._needs_size = self._uses_size or self._uses_pay_size
        self._uses_spread = "spread" in used
        self._uses_common = "common" in used
        self._money: dict[str, functools.partial[str]] = {}
        self._bars: dict[int, tuple[Job, Bar | None]] = {}
        self._views: dict[int, tuple[Job, JobView]] = {}
        self._one_job: _OneJobCache = {}

    def _shares(self, shares: dict[str, float] | None) -> str | None:
        if not shares:
            return None
        return " ".join(f"{escape(k)}, {self.fmt.percent(v)}" for k, v in shares.items())

    def _qualify(self, job: Job) -> str | None:
        t = job.time_to_qualify
        if t is None:
            return None
        unit = t.unit if t.max != 1 else t.unit.rstrip("s")
        span = self.fmt.decimal(t.min) if t.min == t.max else \
            f"{self.fmt.decimal(t.min)}-{self.fmt.decimal(t.max)}"
        return f"{span} {unit}"

    def view(self, job: Job, side: str = "a") -> JobView:
        """The job's prepared values, computed once per job object."""
        hit = self._views.get(id(job))
        if hit is not None and hit[0] is job:
            return hit[1]
        if len(self._views) >= MAX_CACHED_JOBS:  # standalone records bring new jobs each time
            self._views.clear()
            self._one_job.clear()
        try:
            check_currency(job.currency)
        except NarratorError as err:
            raise RecordError(err.message, field=f"{side}.currency") from None
        fmt, cur = self.fmt, job.currency
        plural = job.plural or grammar.plural(job.title)
        article = job.article or grammar.indefinite_article(job.title)
        rng, deg, short = job.salary_range, job.degree, job.short_title or job.title
        width = facts.range_width(job)
        # Positional, in JobView's field order (each line names its field).
        v = JobView(
            job.id,  # id
            escape(job.title),  # title
            escape(short),  # short
            escape(grammar.display_title(short)),  # headline
            escape(plural),  # plural
            escape(f"{article} {job.title}"),  # a_title
            escape(job.display_title or grammar.display_title(job.title)),  # display
            escape(grammar.possessive(plural, plural=True)),  # plural_possessive
            cur,  # currency
            None if job.salary is None else fmt.money(job.salary, cur),  # salary
            None if job.hourly_rate is None  # hourly_rate
            else fmt.money(job.hourly_rate, cur, cents=True),
            None if job.growth_pct is None else fmt.percent(job.growth_pct),  # growth
            None if job.jobs is None else fmt.integer(job.jobs),  # jobs
            None if job.satisfaction is None else fmt.decimal(job.satisfaction),  # satisfaction
            None if deg is None else escape(deg.name) + (  # degree
                "" if deg.pct is None else f", {fmt.percent(deg.pct)}"),
            None if job.average_age is None else fmt.decimal(job.average_age),  # average_age
            None if job.experience_years is None  # experience_years
            else fmt.decimal(job.experience_years),
            self._qualify(job),  # qualify
            tuple(escape(s) for s in facts.top_skills(job)),  # skills
            None if rng is None else fmt.money(rng.min, cur),  # salary_min
            None if rng is None else fmt.money(rng.max, cur),  # salary_max
            bool(rng and rng.max_top_coded),  # salary_max_top_coded
            None if width is None else fmt.money(width, cur),  # range_width
            _opt(job.highest_paying_city),  # city
            _opt(job.highest_paying_state),  # state
            _opt(job.best_paying_company),  # company
            _opt(job.best_paying_industry),  # industry
            _opt(job.major),  # major
            _opt(job.college),  # college
            self._shares(job.gender_pct),  # gender
            self._shares(job.race_pct),  # race
            None if job.lgbt_pct is None else fmt.percent(job.lgbt_pct),  # lgbt
            _opt(job.description),  # description
            tuple(escape(t) for t in job.tasks or ()),  # tasks
            *self._places(job),  # state_pay ... industry_jobs
            *self._percentiles(job),  # median_salary ... hourly_p75
            escape(chart_name(job)),  # short_plural
            escape(f"{grammar.indefinite_article(short)} {short}"  # a_short
                   if job.short_title else f"{article} {job.title}"),
        )
        self._views[id(job)] = (job, v)
        return v

    def _places(self, job: Job) -> _PlaceFacts:
        """The place facts of a job, in JobView's order from state_pay: wages where it pays
        best, where it is done most."""
        hourly_only = job.salary is None and job.hourly_rate is not None
        fmt, cur = self.fmt, job.currency

        def pay(p: Pay | None) -> str | None:
            if p is None:
                return None
            if hourly_only:
                return None if p.hourly_rate is None else fmt.money(p.hourly_rate, cur, cents=True)
            return None if p.salary is None else fmt.money(p.salary, cur)

        def count(place: Place | Pay | None) -> str | None:
            return None if place is None or place.jobs is None else fmt.integer(place.jobs)

        top, conc, ind = job.most_jobs_state, job.most_concentrated_state, job.most_jobs_industry
        lq = None if conc is None else conc.location_quotient
        return (
            pay(job.highest_paying_state_pay),  # state_pay
            pay(job.highest_paying_city_pay),  # city_pay
            pay(job.best_paying_industry_pay),  # industry_pay
            "an hour" if hourly_only else "a year",  # pay_unit
            facts.city_in_state(job.highest_paying_city, job.highest_paying_state),
            None if top is None else escape(top.name),  # jobs_state
            count(top),  # jobs_state_count
            None if conc is None or lq is None else escape(conc.name),  # conc_state
            None if lq is None else fmt.decimal(lq),  # conc_lq
            None if ind is None else escape(ind.name),  # jobs_industry
            count(ind),  # jobs_industry_count
            count(job.highest_paying_state_pay),  # state_jobs
            count(job.highest_paying_city_pay),  # city_jobs
            count(job.best_paying_industry_pay),  # industry_jobs
        )

    def _percentiles(self, job: Job) -> _Percentiles:
        """The medians and quartiles, formatted like the means (whole units a year, cents an
        hour), in JobView's order from median_salary."""
        fmt, cur = self.fmt, job.currency
        sq, hq = job.salary_quartiles, job.hourly_quartiles

        def money(value: float | None, cents: bool = False) -> str | None:
            return None if value is None else fmt.money(value, cur, cents=cents)

        return (
            money(job.median_salary),  # median_salary
            money(job.median_hourly_rate, True),  # median_hourly_rate
            None if sq is None else money(sq.p25),  # salary_p25
            None if sq is None else money(sq.p75),  # salary_p75
            None if hq is None else money(hq.p25, True),  # hourly_p25
            None if hq is None else money(hq.p75, True),  # hourly_p75
        )

    def _gap(self, rec: Comparison, a: JobView, b: JobView,
             gap: facts.PayGap | None) -> GapView | None:
        if gap is None:
            return None
        hourly, median = gap.measure == "hourly_rate", gap.stat == "median"
        if median:
            fa, fb = ((a.median_hourly_rate, b.median_hourly_rate) if hourly
                      else (a.median_salary, b.median_salary))
        else:
            fa, fb = (a.hourly_rate, b.hourly_rate) if hourly else (a.salary, b.salary)
        higher, lower = {"a": (a, b), "b": (b, a), None: (None, None)}[gap.higher]
        return GapView(
            higher=higher, lower=lower, hourly=hourly, median=median, equal=gap.higher is None,
            about_the_same=gap.about_the_same,
            diff=self.fmt.money(float(gap.diff), rec.a.currency, cents=hourly),
            pct=self.fmt.percent(gap.pct),
            higher_figure=(fb if gap.higher == "b" else fa) or "",
            lower_figure=(fa if gap.higher == "b" else fb) or "",
            times=None if gap.times is None else self.fmt.decimal(float(gap.times)),
            multiple=None if gap.times is None else self._multiple(gap.times),
            band=facts.gap_band(gap) or "", **self._mean_flip(rec, a, b, gap))

    @staticmethod
    def _mean_flip(rec: Comparison, a: JobView, b: JobView,
                   gap: facts.PayGap) -> dict[str, Any]:
        side = facts.means_disagree(rec.a, rec.b, gap)
        if side is None:
            return {}
        hourly = gap.measure == "hourly_rate"
        fa, fb = (a.hourly_rate, b.hourly_rate) if hourly else (a.salary, b.salary)
        return {"mean_higher": a if side == "a" else b,
                "mean_higher_figure": (fa if side == "a" else fb) or "",
                "mean_lower_figure": (fb if side == "a" else fa) or ""}

    def _common(self, rec: Comparison) -> CommonView | None:
        common = facts.common_ground(rec.a, rec.b)
        if common is None:
            return None
        return CommonView(self.fmt.integer(common.count), common.count,
                          *(tuple(escape(t) for t in texts)
                            for texts in (common.shared, common.only_a, common.only_b)))

    def _multiple(self, times: Decimal) -> str:
        """A multiple in words, by the ratio rule: "twice", "2.7 times", "52 times"."""
        return "twice" if times == 2 else f"{self.fmt.decimal(float(times))} times"

    def _size(self, rec: Comparison, a: JobView, b: JobView,
              size: facts.Size | None) -> SizeView | None:
        if size is None:
            return None
        band = facts.size_band(size) or ""
        if size.bigger is None:
            return SizeView(None, None, False, "about as many", band)
        bigger, smaller = (a, b) if size.bigger == "a" else (b, a)
        if size.times is not None:
            return SizeView(bigger, smaller, True, f"{self._multiple(size.times)} as many", band,
                            self.fmt.decimal(float(size.times)))
        more = self.fmt.percent(size.pct)
        return SizeView(bigger, smaller, False, f"{more} more", band, more)

    def _context(self, values: dict[str, Any]) -> Any:
        """What the templates of an article render from (``values`` holds the globals too)."""
        return self._sections.context(values)

    def _render(self, template: jinja2.Template, context: Any) -> str:
        """One template of the article, as its section's text."""
        try:
            return self._sections.render(template, context).strip()
        except jinja2.TemplateError as err:
            where, message = _template_line(rewrite_traceback_stack()), str(err)
            if (m := _NO_ATTRIBUTE.fullmatch(message)) and m[1] in _VIEWS:  # as `check` says
                what, view = _VIEWS[m[1]]
                names = [f.name for f in dataclasses.fields(view)]
                close = difflib.get_close_matches(m[2], names, n=1)
                message = f"{what} has no value '{m[2]}'" + (
                    f" (did you mean '{close[0]}'?)" if close else "")
            raise TemplateError(f"{err.__class__.__name__}: {message}",
                                file=where or template.name) from None

    def render(self, rec: Comparison, dataset: Dataset = NO_DATASET,
               related: tuple[Link, ...] = ()) -> Article:
        """Render one comparison record (of ``dataset``) into an Article; ``related``: the
        other pages of the run to link to (``narrator.related``), none for a page on its own."""
        try:
            a, b = self.view(rec.a, "a"), self.view(rec.b, "b")
        except NarratorError as err:
            err.record = err.record or rec.id
            raise
        pay = facts.pay_order(rec.a, rec.b)
        # each comparison once, and only if some template of the style uses it (not the seed)
        gap = facts.pay_gap(rec.a, rec.b) if self._needs_gap else None
        size = facts.size(rec.a, rec.b) if self._needs_size else None
        variation = Variation(rec.id, first=not self.variation)
        values: dict[str, Any] = {
            VARIATION: variation,
            **self.env.globals,
            "a": a, "b": b, "pay": pay, "qualify": facts.qualify_order(rec.a, rec.b),
            "higher": b if pay == "b" else a, "lower": a if pay == "b" else b,
            "source": self._source(dataset.source),
            # comparisons only the templates that use them pay for (the seed style doesn't)
            "gap": self._gap(rec, a, b, gap) if self._uses_gap else None,
            "size": self._size(rec, a, b, size) if self._uses_size else None,
            "places": PlacesView(**facts.places(rec.a, rec.b)) if self._uses_places else None,
            "overlap": facts.range_overlap(rec.a, rec.b, gap) if self._uses_overlap else None,
            "pay_size": (facts.pay_and_size(rec.a, rec.b, gap, size) if self._uses_pay_size
                         else None),
            "spread": facts.wider_spread(rec.a, rec.b) if self._uses_spread else None,
            "common": self._common(rec) if self._uses_common else None,
            "related": _related(related, a, b),
        }
        svg = self._chart(rec) if self._uses_chart else None
        values["chart"] = chart_file(rec.id) if svg else None
        ctx = self._context(values)
        sections = []
        chosen = variation.chosen
        for sid, template, side in self._plan:
            if side:  # a section about one job (it sees only `job`) is rendered once per job
                view = values[side]
                hit = self._one_job.get((template.name, id(view)))
                if hit is None or hit[0] is not view:
                    # keyed by the job: the section reads the same on every page of the job
                    own = Variation(view.id, first=not self.variation)
                    md = self._render(template, self._context(
                        {**self.env.globals, "job": view, VARIATION: own}))
                    named = {s: tuple((f"{slot}.{s}", n) for slot, n in own.chosen.items())
                             for s in ("a", "b")}
                    hit = self._one_job[(template.name, id(view))] = (view, md, named)
                md = hit[1]
                chosen.update(hit[2][side])
            else:
                md = self._render(template, ctx)
            if md:
                sections.append((sid, md))
        title = self._render(self._title, ctx)
        meta = self._render(self._meta, ctx)
        seo = self._render(self._seo_title, ctx)
        return Article(
            id=rec.id, slug=rec.id,
            title=title,
            meta_description=meta,
            sections=tuple(sections),
            aliases=tuple(rec.aliases or ()),
            seo_title=seo,
            chart=svg,
            tags=(rec.a.short_title or rec.a.title, rec.b.short_title or rec.b.title),
            variants=tuple(sorted(chosen.items())),
            related=related,
        )

    def _chart(self, rec: Comparison) -> str | None:
        """Both jobs' pay ranges as an SVG, or None unless at least one has a range (and, with
        two, the same currency)."""
        bars = [bar for bar in (self._bar(rec.a), self._bar(rec.b)) if bar is not None]
        if not bars or (len(bars) == 2 and rec.a.currency != rec.b.currency):
            return None
        job = rec.a if rec.a.salary_range else rec.b
        money = self._money.get(job.currency)
        if money is None:  # one function per currency: the chart's parts are cached by it
            money = self._money[job.currency] = functools.partial(self.fmt.money,
                                                                  currency=job.currency)
        names = [chart_name(job) for job in (rec.a, rec.b) if job.salary_range]
        title = grammar.sentence_case(names[0]) + (
            f" vs {names[1]}" if len(names) == 2 else "") + ": annual pay"
        return pay_chart(bars[0], bars[1] if len(bars) == 2 else None, money=money, title=title,
                         id_prefix=f"pay-chart-{rec.id[:80]}")

    def _bar(self, job: Job) -> Bar | None:
        """The job's chart bar, made once per job object (like its view)."""
        hit = self._bars.get(id(job))
        if hit is not None and hit[0] is job:
            return hit[1]
        r = job.salary_range
        # The short name, on a line of its own above the bar (chart.py wraps it, never cuts it).
        bar = None if r is None else Bar(grammar.sentence_case(chart_name(job)), r.min, r.max,
                                         job.salary, r.max_top_coded, job.median_salary)
        if len(self._bars) >= MAX_CACHED_JOBS:
            self._bars.clear()
        self._bars[id(job)] = (job, bar)
        return bar

    def _source(self, lines: tuple[str, ...]) -> tuple[str, ...]:
        hit = self._sources.get(lines)
        if hit is None:
            hit = self._sources[lines] = tuple(escape(line) for line in lines)
        return hit


def _related(links: tuple[Link, ...], a: JobView, b: JobView) -> tuple[RelatedView, ...]:
    """The related links as templates see them: one group per job that has some, a first."""
    return tuple(RelatedView(view, tuple(LinkView(escape(x.title), link_file(x.slug))
                                         for x in links if x.job == view.id))
                 for view in (a, b) if any(x.job == view.id for x in links))


_VIEWS = {"JobView": ("a job (a, b, job)", JobView), "GapView": ("gap", GapView),
          "SizeView": ("size", SizeView), "PlacesView": ("places", PlacesView),
          "CommonView": ("common", CommonView), "RelatedView": ("related", RelatedView),
          "LinkView": ("a related link", LinkView)}
_NO_ATTRIBUTE = re.compile(r"'narrator\.render\.views\.(\w+) object' has no attribute '(\w+)'")


def _template_line(err: BaseException) -> str | None:
    """"file:line" of the template line that raised ``err``: the innermost frame of a template
    in its traceback, rewritten by Jinja to the template's file and line; None if none."""
    found = None
    tb = err.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            found = f"{name}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found


def chart_name(job: Job) -> str:
    """The plural of the job's short name (the chart's label, the editorial text's name after
    the table header): of its short title where it has one ("landscaping supervisors"), else
    the plural the record gives. Where that plural joins two roles with "and" that the singular
    joins with "or" ("waiters and waitresses"), the short one does too ("restaurant hosts and
    hostesses", not "... hosts or hostesses")."""
    plural = job.plural or grammar.plural(job.title)
    if not job.short_title or job.short_title == job.title:
        return plural
    short = grammar.plural(job.short_title)
    if " or " in job.short_title and " or " in job.title and " or " not in plural:
        short = short.replace(" or ", " and ")
    return short
