"""View models: one job, the pay gap, the sizes and the places as templates see them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class JobView:
    """One job's values as templates see them: Markdown-escaped text, None when unknown.

    Not frozen, and made with positional arguments (``Renderer.view``): freezing and keywords
    would cost more than the rest of preparing a job whose values are cached; templates cannot
    assign attributes, and narrator's code treats a view as read-only."""

    id: str
    title: str
    short: str
    headline: str  # the short title in title case ("IT Manager"), for SEO titles
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
    range_width: str | None  # 90th minus 10th percentile ("$88,070"), see facts.range_width
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
    # Where the job pays best, with the wage there (a year, or an hour for hourly-only jobs)
    state_pay: str | None
    city_pay: str | None
    industry_pay: str | None
    pay_unit: str  # "a year" or "an hour": what the *_pay figures are
    city_in_state: bool | None  # the best-paying metro area lies in the best-paying state
    jobs_state: str | None  # the state employing the most
    jobs_state_count: str | None
    conc_state: str | None  # the state where the job is most concentrated
    conc_lq: str | None  # its location quotient ("2.4")
    jobs_industry: str | None  # the industry employing the most
    jobs_industry_count: str | None
    # The job's employment where it pays best (the *_pay places above)
    state_jobs: str | None
    city_jobs: str | None
    industry_jobs: str | None
    # Medians and quartiles (the 50th, 25th and 75th percentiles), a year and an hour
    median_salary: str | None
    median_hourly_rate: str | None
    salary_p25: str | None
    salary_p75: str | None
    hourly_p25: str | None
    hourly_p75: str | None
    short_plural: str  # the plural of the short name ("landscaping supervisors"): meta, chart
    a_short: str  # the short name with its article ("an IT manager")


@dataclass(frozen=True, slots=True)
class GapView:
    """The pay gap as templates see it (``facts.pay_gap``), in the article's own figures."""

    higher: JobView | None  # None when equal as printed
    lower: JobView | None
    hourly: bool  # compared by hourly wage (no annual figure on one side)
    median: bool  # compares the medians (facts.pay_figures), else the means ("average")
    equal: bool
    about_the_same: bool  # a gap under facts.ABOUT_THE_SAME_PCT
    diff: str  # "$14,260"
    pct: str  # "25%"
    higher_figure: str  # the higher (or, when equal, the common) figure, formatted
    lower_figure: str
    times: str | None  # "3.8", "2": the ratio rule's multiple (facts.times_as_much), else None
    multiple: str | None  # the same in words: "3.8 times", "twice"
    band: str  # facts.gap_band: equal, about_the_same, small, clear, large, wide, times
    # where the means order the jobs the other way from the medians (facts.means_disagree):
    mean_higher: JobView | None = None  # the job with the higher mean, else None
    mean_higher_figure: str = ""  # its mean and the other's, formatted
    mean_lower_figure: str = ""


@dataclass(frozen=True, slots=True)
class SizeView:
    """How the occupations' sizes compare (``facts.size``)."""

    bigger: JobView | None  # None: about as many
    smaller: JobView | None
    times: bool  # said as a multiple ("33 times as many"; the ratio rule) rather than "45% more"
    amount: str  # "33 times as many", "2.5 times as many", "twice as many", "45% more"
    band: str = "about_as_many"  # facts.size_band: about_as_many, more, times, far
    ratio: str = ""  # "33", "2.5" (times), "45%" (more); whole from 10 ("for every ... 33")


@dataclass(frozen=True, slots=True)
class PlacesView:
    """Whether the two jobs share each place fact (``facts.places``): "same", "different",
    "a" or "b" (only that job has it), or None."""

    state: str | None
    city: str | None
    jobs_state: str | None
    conc_state: str | None
    industry: str | None


@dataclass(frozen=True, slots=True)
class CommonView:
    """What the two jobs have in common (``facts.common_ground``), Markdown-escaped."""

    count: str  # how many O*NET work activities both have, formatted ("12")
    n: int  # the same as a number, for the wording ("one activity")
    shared: tuple[str, ...]  # verb phrases ("install masonry materials")
    only_a: tuple[str, ...]
    only_b: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LinkView:
    """A related page as templates see it: its title (Markdown-escaped) and where the
    Markdown links to (``article.link_file``: the page's file beside this one)."""

    title: str
    href: str


@dataclass(frozen=True, slots=True)
class RelatedView:
    """The related pages listed under one of the page's jobs (``narrator.related``)."""

    job: JobView
    links: tuple[LinkView, ...]
