"""The record contract: typed, frozen comparison records and their JSON Schema.

A comparison record is ``{"id": ..., "a": JOB, "b": JOB}``. Only ids and titles are required;
every other fact may be absent or null, and an unknown field is an error (a typo must not
silently drop a fact). The same types give the published JSON Schema (``narrate schema``).
"""

from __future__ import annotations

import difflib
import re
from typing import Annotated, Any, Literal

import msgspec

from .errors import RecordError

# Bounds double as NaN/inf guards: NaN fails every comparison, inf fails the upper bound.
Money = Annotated[float, msgspec.Meta(ge=0, le=1e12, description="amount in `currency`")]
Count = Annotated[int, msgspec.Meta(ge=0, le=10**12)]
Share = Annotated[float, msgspec.Meta(ge=0, le=100, description="percent, 0-100")]
Growth = Annotated[float, msgspec.Meta(ge=-100, le=10**6, description="percent change")]
Years = Annotated[float, msgspec.Meta(ge=0, le=150)]
# Text a reader sees: some visible character; no control characters (they would reach a
# terminal or a page raw) and no lone surrogates (from "\ud800" in JSON: no UTF-8 writer takes one).
PROSE = r"^(?=\s*\S)[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]*$"
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=PROSE)]
LongText = Annotated[str, msgspec.Meta(min_length=1, max_length=20_000, pattern=PROSE)]
Task = Annotated[str, msgspec.Meta(
    min_length=1, max_length=1000, pattern=PROSE,
    description="what holders of the job do, as a verb phrase in the third person plural that "
                "completes a sentence whose subject is the job's plural "
                "(\"review operating budgets\")")]
Slug = Annotated[str, msgspec.Meta(
    pattern=r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$", max_length=200,
    description="lower-case slug: letters, digits and single - _ . between them")]
Currency = Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{3}$", description="ISO 4217 code")]
Aliases = Annotated[list[Slug], msgspec.Meta(
    max_length=100, description="earlier ids of this article: index.jsonl lists each as a "
                                "redirect to `id`")]


# Subclasses say frozen=True again: msgspec inherits it, but mypy reads each class on its own
# ("non-frozen dataclass cannot inherit from a frozen dataclass").
class _Struct(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    pass


class Degree(_Struct, frozen=True):
    name: Text
    pct: Share | None = None


class TimeToQualify(_Struct, frozen=True):
    min: Years
    max: Years
    unit: Literal["years", "months"] = "years"

    def __post_init__(self) -> None:
        if self.max < self.min:
            raise ValueError(f"max ({self.max:g}) is less than min ({self.min:g})")


class SalaryRange(_Struct, frozen=True):
    min: Money
    max: Money
    # BLS top-codes wages at $239,200: the true value is at least `max`, so the text hedges.
    max_top_coded: bool = False

    def __post_init__(self) -> None:
        if self.max < self.min:
            raise ValueError(f"max ({self.max:g}) is less than min ({self.min:g})")


class Quartiles(_Struct, frozen=True):
    """The 25th and 75th percentiles of pay: a quarter earn less than `p25`, a quarter more
    than `p75`."""

    p25: Money
    p75: Money

    def __post_init__(self) -> None:
        if self.p75 < self.p25:
            raise ValueError(f"p75 ({self.p75:g}) is less than p25 ({self.p25:g})")


class Pay(_Struct, frozen=True):
    """Mean pay in one place or industry: a year (`salary`) and an hour (`hourly_rate`), with
    the job's employment there (`jobs`) and the relative standard error of the wage estimate
    (`wage_rse`), which say how reliable the figure is."""

    salary: Money | None = None
    hourly_rate: Money | None = None
    jobs: Annotated[Count, msgspec.Meta(description="the job's employment there")] | None = None
    wage_rse: Annotated[float, msgspec.Meta(
        ge=0, le=1000, description="relative standard error of the mean wage there, percent "
                                   "(BLS: the smaller, the more reliable)")] | None = None


LocationQuotient = Annotated[float, msgspec.Meta(
    ge=0, le=1000,
    description="the job's share of the place's employment over its share of national "
                "employment (1 = as common as nationally)")]


class Place(_Struct, frozen=True):
    """A state or industry where a job is done, with its figures there."""

    name: Text
    jobs: Annotated[Count, msgspec.Meta(description="the job's employment there")] | None = None
    location_quotient: LocationQuotient | None = None


class Activity(_Struct, frozen=True):
    """One O*NET detailed work activity (DWA) of a job."""

    id: Annotated[str, msgspec.Meta(
        pattern=r"^\d\.[A-Z]\.\d\.[a-z]\.\d+\.I\d+\.D\d+$",
        description="O*NET DWA ID (\"4.A.2.a.4.I09.D03\"); its first five parts name the "
                    "generalized work activity, its first six the intermediate one")]
    text: Task


class Job(_Struct, frozen=True):
    id: Slug
    title: Text
    plural: Text | None = None
    article: Literal["a", "an"] | None = None
    display_title: Text | None = None
    short_title: Annotated[Text, msgspec.Meta(
        description="a shorter singular for headlines; `title` when absent")] | None = None
    salary: Money | None = None
    hourly_rate: Money | None = None
    currency: Currency = "USD"
    growth_pct: Growth | None = None
    jobs: Count | None = None
    satisfaction: Annotated[float, msgspec.Meta(ge=0, le=100)] | None = None
    degree: Degree | None = None
    average_age: Years | None = None
    experience_years: Years | None = None
    time_to_qualify: TimeToQualify | None = None
    skills: list[Text] | None = None
    salary_range: SalaryRange | None = None
    median_salary: Annotated[Money, msgspec.Meta(
        description="annual median wage (50th percentile): half earn less, half more"),
    ] | None = None
    median_hourly_rate: Annotated[Money, msgspec.Meta(
        description="hourly median wage (50th percentile)")] | None = None
    salary_quartiles: Annotated[Quartiles | None, msgspec.Meta(
        description="annual 25th and 75th percentiles")] = None
    hourly_quartiles: Annotated[Quartiles | None, msgspec.Meta(
        description="hourly 25th and 75th percentiles")] = None
    highest_paying_city: Text | None = None
    highest_paying_state: Text | None = None
    best_paying_company: Text | None = None
    best_paying_industry: Text | None = None
    # (The description goes on the optional type: msgspec drops it from a bare struct's $ref.)
    highest_paying_state_pay: Annotated[Pay | None, msgspec.Meta(
        description="mean pay in `highest_paying_state`")] = None
    highest_paying_city_pay: Annotated[Pay | None, msgspec.Meta(
        description="mean pay in `highest_paying_city`")] = None
    best_paying_industry_pay: Annotated[Pay | None, msgspec.Meta(
        description="mean pay in `best_paying_industry`")] = None
    most_jobs_state: Annotated[Place | None, msgspec.Meta(
        description="the state employing the most people in the job, with `jobs`")] = None
    most_concentrated_state: Annotated[Place | None, msgspec.Meta(
        description="the state where the job is most concentrated, with `location_quotient` "
                    "(and `jobs`)")] = None
    most_jobs_industry: Annotated[Place | None, msgspec.Meta(
        description="the industry employing the most people in the job, with `jobs`")] = None
    major: Text | None = None
    college: Text | None = None
    gender_pct: dict[Text, Share] | None = None
    race_pct: dict[Text, Share] | None = None
    lgbt_pct: Share | None = None
    description: LongText | None = None
    tasks: Annotated[list[Task], msgspec.Meta(max_length=50)] | None = None
    activities: Annotated[list[Activity], msgspec.Meta(
        max_length=500, description="the work the job does: O*NET detailed work activities "
                                    "linked to its tasks, the most linked first; pages say what "
                                    "two jobs have in common from them")] | None = None


class Comparison(_Struct, frozen=True):
    id: Slug
    a: Job
    b: Job
    aliases: Aliases | None = None


_AT = re.compile(r"^(?P<msg>.*?)(?: - at (?P<key>`key` in )?`\$(?P<path>[^`]*)`)?$", re.S)
_UNKNOWN = re.compile(r"^Object contains unknown field `(?P<name>.*)`$", re.S)
_MISSING = re.compile(r"^Object missing required field `(?P<name>.*)`$", re.S)
_PATTERN_WORDS = {f"matching regex {PROSE!r}": "with a visible character and no control characters"}
_MAX_MESSAGE = 200


def shown(name: str) -> str:
    """A field name from the record as it can appear in a one-line message."""
    name = name if name.isprintable() else repr(name)[1:-1]
    return name if len(name) <= 60 else name[:57] + "..."


def _fields_at(path: list[str]) -> tuple[str, ...]:
    """The field names allowed at a dotted path inside a Comparison ("", "a", "a.degree" ...)."""
    typ: Any = Comparison
    for part in path:
        if part.startswith("["):
            continue
        hint = msgspec.structs.fields(typ)
        field = next(f for f in hint if f.name == part)
        inner = [t for t in getattr(field.type, "__args__", (field.type,)) if t is not type(None)]
        typ = inner[0]
    return tuple(f.name for f in msgspec.structs.fields(typ))


def _explain(err: msgspec.ValidationError) -> tuple[str, str]:
    """Turn msgspec's message into (field path, message) in our own words."""
    m = _AT.match(str(err))
    assert m is not None
    msg, path = m["msg"], (m["path"] or "").lstrip(".")
    path = re.sub(r"\.?\[(\d+)\]", r"[\1]", path)
    unknown, missing = _UNKNOWN.match(msg), _MISSING.match(msg)
    if missing:
        msg = "required field missing"
        path = f"{path}.{shown(missing['name'])}" if path else shown(missing["name"])
    elif unknown:
        name = unknown["name"]
        parts = [p for p in re.split(r"\.|(?=\[)", path) if p]
        try:
            allowed = _fields_at(parts)
        except (StopIteration, TypeError):
            allowed = ()
        hint = difflib.get_close_matches(name, allowed, n=1)
        msg = "unknown field" + (f" (did you mean '{hint[0]}'?)" if hint else "")
        path = f"{path}.{shown(name)}" if path else shown(name)
    else:
        for regex, words in _PATTERN_WORDS.items():
            msg = msg.replace(regex, words)
        msg = msg[0].lower() + msg[1:]
        msg = msg.replace("`", "")
        if m["key"]:
            msg = "a key: " + msg
        if len(msg) > _MAX_MESSAGE:  # an enum value quoted back, say
            msg = msg[:_MAX_MESSAGE - 3] + "..."
    return path or "(record)", msg


_SURROGATE = "a string holds a lone surrogate (\\ud800-\\udfff), which is not a character"


def record_id(raw: object) -> str | None:
    """The record's id if it has a usable one, for error messages before validation."""
    if isinstance(raw, dict):
        rid = raw.get("id")
        if isinstance(rid, str) and rid and len(rid) <= 200 and rid.isprintable():
            return rid
    return None


# Device names Windows refuses as file names, whatever the extension ("con.md", "con.x.md").
RESERVED_NAMES = frozenset(["con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                            *(f"lpt{i}" for i in range(10))])


def reserved_slug(slug: str) -> str | None:
    """Why a comparison id can't be a file name on every system, or None if it can."""
    if slug.split(".", 1)[0] in RESERVED_NAMES:
        return f"'{slug}' is a reserved file name on Windows; choose another id"
    return None


def to_comparison(raw: object, *, file: str, where: str) -> Comparison:
    """Validate one raw record (``where`` names it when it has no id, e.g. "record 3").

    The id names the output files, so it must also be a safe file name everywhere.
    """
    try:
        rec = msgspec.convert(raw, Comparison)
        problem = reserved_slug(rec.id)
        if problem:
            raise RecordError(problem, file=file, record=where, field="id")
        return rec
    except msgspec.ValidationError as err:
        field, msg = _explain(err)
        raise RecordError(msg, file=file, record=record_id(raw) or where, field=field) from None
    except UnicodeEncodeError:  # msgspec encodes keys and enum values: a lone surrogate
        raise RecordError(_SURROGATE, file=file, record=record_id(raw) or where) from None


def to_job(raw: object, *, file: str, where: str) -> Job:
    """Validate one raw job profile (a line of a jobs file)."""
    try:
        return msgspec.convert(raw, Job)
    except msgspec.ValidationError as err:
        field, msg = _explain(err)
        raise RecordError(msg, file=file, record=record_id(raw) or where, field=field) from None
    except UnicodeEncodeError:
        raise RecordError(_SURROGATE, file=file, record=record_id(raw) or where) from None


def to_aliases(raw: object, *, file: str, record: str) -> list[str]:
    """Validate the ``aliases`` of a pair line (a profile set's pairs carry their old ids)."""
    try:
        return msgspec.convert(raw, Aliases)
    except msgspec.ValidationError as err:
        field, msg = _explain(err)
        where = "aliases" if field == "(record)" else f"aliases{field}"
        raise RecordError(msg, file=file, record=record, field=where) from None


def json_schema() -> dict[str, Any]:
    """The record contract as a JSON Schema document (draft 2020-12)."""
    schema = msgspec.json.schema(Comparison)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "narrator comparison record", **schema}
