"""Record + facts + locale -> Article. Values are prepared once per job; templates choose words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2.runtime import Context

from . import facts, grammar
from .errors import NarratorError, RecordError, TemplateError
from .formatting import NumberFormat, check_currency
from .markdown import escape
from .schema import Comparison, Job
from .templates import environment, extends, get_template

KIND = "comparison"
MAX_CACHED_JOBS = 20_000
# (section id, template, extra context): the article's order. Descriptions share a template.
SECTIONS: tuple[tuple[str, str, str | None], ...] = (
    ("intro", "intro.md.j2", None),
    ("skills", "skills.md.j2", None),
    ("overview", "overview.md.j2", None),
    ("description_a", "description.md.j2", "a"),
    ("description_b", "description.md.j2", "b"),
    ("pay", "pay.md.j2", None),
    ("education", "education.md.j2", None),
    ("demographics", "demographics.md.j2", None),
)
TEMPLATE_NAMES = tuple(dict.fromkeys([f"{KIND}/{t}" for _, t, _ in SECTIONS]
                                     + [f"{KIND}/title.txt.j2", f"{KIND}/meta.txt.j2"]))


@dataclass(frozen=True, slots=True)
class JobView:
    """One job's values as templates see them: Markdown-escaped text, None when unknown."""

    id: str
    title: str
    short: str
    plural: str
    a_title: str
    display: str
    plural_possessive: str
    currency: str
    salary: str | None
    hourly_rate: str | None
    growth: str | None
    jobs: str | None
    satisfaction: str | None
    degree: str | None
    average_age: str | None
    experience_years: str | None
    qualify: str | None
    skills: tuple[str, ...]
    salary_min: str | None
    salary_max: str | None
    salary_max_top_coded: bool
    city: str | None
    state: str | None
    company: str | None
    industry: str | None
    major: str | None
    college: str | None
    gender: str | None
    race: str | None
    lgbt: str | None
    description: str | None
    tasks: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Article:
    """A rendered article: Markdown per section, in order; empty sections are left out."""

    id: str
    slug: str
    title: str
    meta_description: str
    sections: tuple[tuple[str, str], ...]
    aliases: tuple[str, ...] = ()  # earlier ids (slugs) that should redirect here

    def markdown(self) -> str:
        body = "\n\n".join(md for _, md in self.sections)
        return f"# {self.title}\n\n{body}\n"


def _opt(value: str | None) -> str | None:
    return None if value is None else escape(value)


class Renderer:
    """Renders comparisons for one locale and template set; caches per-job work across pairs."""

    def __init__(self, *, locale: str = "en_US", template_dirs: Sequence[Path] = ()) -> None:
        self.locale = locale
        self.fmt = NumberFormat(locale)
        self.env = environment(self.fmt, template_dirs, trusted=(JobView,))
        self.templates = {name: get_template(self.env, name) for name in TEMPLATE_NAMES}
        # Blocks of templates that don't extend another: {% extends %} is the one thing that
        # adds to a Context's blocks, so the others' can be shared between renders.
        self._blocks = {t.name: None if extends(self.env, t.name)
                        else {k: [v] for k, v in t.blocks.items()} for t in self.templates.values()}
        self._plan = tuple((sid, self.templates[f"{KIND}/{name}"], side) for sid, name, side in SECTIONS)
        self._title = self.templates[f"{KIND}/title.txt.j2"]
        self._meta = self.templates[f"{KIND}/meta.txt.j2"]
        self._views: dict[int, tuple[Job, JobView]] = {}
        self._one_job: dict[tuple[str, int], tuple[JobView, str]] = {}

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
        rng, deg = job.salary_range, job.degree
        v = JobView(
            id=job.id,
            title=escape(job.title),
            short=escape(job.short_title or job.title),
            plural=escape(plural),
            a_title=escape(f"{article} {job.title}"),
            display=escape(job.display_title or grammar.display_title(job.title)),
            plural_possessive=escape(grammar.possessive(plural, plural=True)),
            currency=cur,
            salary=None if job.salary is None else fmt.money(job.salary, cur),
            hourly_rate=None if job.hourly_rate is None else fmt.money(job.hourly_rate, cur, cents=True),
            growth=None if job.growth_pct is None else fmt.percent(job.growth_pct),
            jobs=None if job.jobs is None else fmt.integer(job.jobs),
            satisfaction=None if job.satisfaction is None else fmt.decimal(job.satisfaction),
            degree=None if deg is None else escape(deg.name) + (
                "" if deg.pct is None else f", {fmt.percent(deg.pct)}"),
            average_age=None if job.average_age is None else fmt.decimal(job.average_age),
            experience_years=None if job.experience_years is None else fmt.decimal(job.experience_years),
            qualify=self._qualify(job),
            skills=tuple(escape(s) for s in facts.top_skills(job)),
            salary_min=None if rng is None else fmt.money(rng.min, cur),
            salary_max=None if rng is None else fmt.money(rng.max, cur),
            salary_max_top_coded=bool(rng and rng.max_top_coded),
            city=_opt(job.highest_paying_city),
            state=_opt(job.highest_paying_state),
            company=_opt(job.best_paying_company),
            industry=_opt(job.best_paying_industry),
            major=_opt(job.major),
            college=_opt(job.college),
            gender=self._shares(job.gender_pct),
            race=self._shares(job.race_pct),
            lgbt=None if job.lgbt_pct is None else fmt.percent(job.lgbt_pct),
            description=_opt(job.description),
            tasks=tuple(escape(t) for t in job.tasks or ()),
        )
        self._views[id(job)] = (job, v)
        return v

    def _context(self, values: dict[str, object]) -> Context:
        """One Jinja Context for all the templates of an article (see ``_render``). ``values``
        already holds the globals, so it is shared, not copied: ``Template.new_context``
        re-lists the globals on every call."""
        return self.env.context_class(self.env, values, None, {})

    def _render(self, template: jinja2.Template, context: Context) -> str:
        """Render one template in the article's Context, reset to what a new Context for the
        template holds: its own blocks, no variables. Making a Context per template was a
        fifth of an article's render time."""
        context.vars, context.exported_vars, context.name = {}, set(), template.name
        blocks = self._blocks[template.name]
        context.blocks = {k: [v] for k, v in template.blocks.items()} if blocks is None else blocks
        try:
            return "".join(template.root_render_func(context)).strip()
        except jinja2.TemplateError as err:
            raise TemplateError(f"{err.__class__.__name__}: {err}", file=template.name) from None

    def render(self, rec: Comparison) -> Article:
        """Render one comparison record into an Article."""
        try:
            a, b = self.view(rec.a, "a"), self.view(rec.b, "b")
        except NarratorError as err:
            err.record = err.record or rec.id
            raise
        pay = facts.pay_order(rec.a, rec.b)
        ctx = self._context({
            **self.env.globals,
            "a": a, "b": b, "pay": pay, "qualify": facts.qualify_order(rec.a, rec.b),
            "higher": b if pay == "b" else a, "lower": a if pay == "b" else b,
        })
        sections = []
        for sid, template, side in self._plan:
            if side:  # a section about one job (it sees only `job`) is rendered once per job
                view = ctx.parent[side]
                hit = self._one_job.get((template.name, id(view)))
                if hit is None or hit[0] is not view:
                    md = self._render(template, self._context({**self.env.globals, "job": view}))
                    hit = self._one_job[(template.name, id(view))] = (view, md)
                md = hit[1]
            else:
                md = self._render(template, ctx)
            if md:
                sections.append((sid, md))
        return Article(
            id=rec.id, slug=rec.id,
            title=self._render(self._title, ctx),
            meta_description=self._render(self._meta, ctx),
            sections=tuple(sections),
            aliases=tuple(rec.aliases or ()),
        )
