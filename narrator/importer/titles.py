"""BLS occupation titles -> prose forms for sentences, residual detection, slugs.

BLS titles are plural and qualified ("Cooks, Fast Food"; "Architects, Except Landscape and
Naval"). ``prose_forms`` makes the singular and plural prose used in sentences: it lower-cases
(keeping "English" and acronyms), drops "Except"/"Including" qualifiers, moves a trailing
qualifier in front ("fast food cook"), singularises only the head noun of each conjunct
("human resources manager", "accountant and auditor"), writes "All Other" residuals as
"miscellaneous ...", and "Helpers--X" as "X helper" / "helper to X"; ``TITLE_OVERRIDES`` holds
the hand-made forms where the rules do not read well. ``display_title`` keeps BLS's wording.

``read_title_table`` reads the reviewed title table (``data/bls/titles.tsv``, one row per
occupation, keyed by SOC code) that replaces the rule output: the primary role only for
multi-role titles ("accountant", not "accountant and auditor"), a ``short`` form for the H1,
an un-inverted table ``header`` and the ``old_id`` slugs for redirects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

import inflect

from ..errors import SourceError

MAX_SLUG = 98  # keeps "<a>-vs-<b>" pair ids within the contract's 200 characters

#: Words that end a conjunct of a BLS title and look plural but are not person nouns: they
#: modify the head ("Sales and Related Workers", "Securities, Commodities, and ... Agents") or
#: belong to a qualifier ("Farm, Ranch, and Aquacultural Animals"). Never singularised.
NON_PERSON_PLURALS = frozenset({
    "activities", "animals", "benefits", "bus", "claims", "commodities", "communications",
    "economics", "electronics", "engines", "fibers", "gas", "glass", "materials", "mathematics",
    "news", "occupations", "operations", "physics", "products", "programs", "relations",
    "resources", "sales", "sciences", "securities", "services", "sports", "studies",
    "surfaces", "systems", "tiles", "trades", "utilities", "vehicles", "vessels",
})

#: Words kept capitalised in prose (proper nouns); all-capital tokens (acronyms) are kept too.
PROPER_WORDS = frozenset({"English"})

#: Hand-made (singular, plural) prose where the rules do not read well; keyed by BLS title.
TITLE_OVERRIDES: dict[str, tuple[str, str]] = {
    "Clergy": ("clergy member", "clergy members"),
    "Computer Occupations, All Other": (
        "miscellaneous computer worker", "miscellaneous computer workers"),
    "Mathematical Science Occupations, All Other": (
        "miscellaneous mathematical science worker", "miscellaneous mathematical science workers"),
    "Entertainers and Performers, Sports and Related Workers, All Other": (
        "miscellaneous entertainer, performer, or sports worker",
        "miscellaneous entertainers, performers, and sports workers"),
    "Dentists, All Other Specialists": (
        "miscellaneous dental specialist", "miscellaneous dental specialists"),
    "Physicians, Pathologists": ("pathologist", "pathologists"),
    "Transit and Railroad Police": (
        "transit and railroad police officer", "transit and railroad police officers"),
    "Directors, Religious Activities and Education": (
        "director of religious activities and education",
        "directors of religious activities and education"),
    "Education and Childcare Administrators, Preschool and Daycare": (
        "preschool and daycare administrator", "preschool and daycare administrators"),
    "Education Administrators, Kindergarten through Secondary": (
        "K-12 education administrator", "K-12 education administrators"),
    "Tax Examiners and Collectors, and Revenue Agents": (
        "tax examiner, collector, and revenue agent",
        "tax examiners, collectors, and revenue agents"),
    "Waiters and Waitresses": ("waiter or waitress", "waiters and waitresses"),
    "Hosts and Hostesses, Restaurant, Lounge, and Coffee Shop": (
        "restaurant, lounge, and coffee shop host or hostess",
        "restaurant, lounge, and coffee shop hosts and hostesses"),
    "Lifeguards, Ski Patrol, and Other Recreational Protective Service Workers": (
        "lifeguard, ski patroller, or other recreational protective service worker",
        "lifeguards, ski patrollers, and other recreational protective service workers"),
    "First-Line Supervisors of Protective Service Workers, All Other": (
        "first-line supervisor of miscellaneous protective service workers",
        "first-line supervisors of miscellaneous protective service workers"),
    "Sales Representatives of Services, Except Advertising, Insurance, Financial Services, "
    "and Travel": ("services sales representative", "services sales representatives"),
    "Sales Representatives, Wholesale and Manufacturing, Technical and Scientific Products": (
        "technical and scientific products sales representative",
        "technical and scientific products sales representatives"),
    "Door-to-Door Sales Workers, News and Street Vendors, and Related Workers": (
        "door-to-door sales worker, news vendor, or street vendor",
        "door-to-door sales workers, news and street vendors, and related workers"),
    "Farmworkers, Farm, Ranch, and Aquacultural Animals": (
        "farm, ranch, and aquacultural animal farmworker",
        "farm, ranch, and aquacultural animal farmworkers"),
    "Laborers and Freight, Stock, and Material Movers, Hand": (
        "laborer and freight, stock, and material mover",
        "laborers and freight, stock, and material movers"),
    "Electronic Equipment Installers and Repairers, Motor Vehicles": (
        "motor vehicle electronic equipment installer and repairer",
        "motor vehicle electronic equipment installers and repairers"),
    "Meter Readers, Utilities": ("utility meter reader", "utility meter readers"),
    "Eligibility Interviewers, Government Programs": (
        "government program eligibility interviewer",
        "government program eligibility interviewers"),
    "Cleaners of Vehicles and Equipment": (
        "vehicle and equipment cleaner", "vehicle and equipment cleaners"),
    "Adult Basic Education, Adult Secondary Education, and English as a Second Language "
    "Instructors": ("adult basic and secondary education and ESL instructor",
                    "adult basic and secondary education and ESL instructors"),
    "Metal Workers and Plastic Workers, All Other": (
        "miscellaneous metal and plastic worker", "miscellaneous metal and plastic workers"),
}

@lru_cache(maxsize=1)
def _inflect() -> inflect.engine:
    return inflect.engine()


def _lower(text: str) -> str:
    """Lowercase prose, keeping proper nouns and acronyms ("English", "HVAC", "K-12")."""
    out = []
    for word in text.split(" "):
        bare = word.strip(",()")
        keep = bare in PROPER_WORDS or (len(bare) > 1 and bare.split("-")[0].isupper())
        out.append(word if keep else word.lower())
    return " ".join(out)


def _is_person_plural(word: str) -> bool:
    w = word.lower()
    if w in NON_PERSON_PLURALS or not w.endswith("s"):
        return False
    return bool(_inflect().singular_noun(w))


def _singularise_heads(phrase: str) -> str:
    """Singularise the last word of each conjunct that is a plural person noun.

    ``phrase`` is a coordination of noun phrases ("Nursing Instructors and Teachers",
    "Airline Pilots, Copilots, and Flight Engineers"); words inside a conjunct are modifiers
    and stay as they are ("Human Resources Managers" -> "Human Resources Manager").
    """
    words = phrase.split(" ")
    out = []
    for i, word in enumerate(words):
        comma = word.endswith(",")
        bare = word.rstrip(",")
        final = comma or i == len(words) - 1 or words[i + 1] in ("and", "or")
        if final and _is_person_plural(bare):
            bare = _inflect().singular_noun(bare) or bare
        out.append(bare + ("," if comma else ""))
    return " ".join(out)


def _ends_in_person(segment: str) -> bool:
    return _is_person_plural(segment.split(" ")[-1])


def _convert(title: str) -> tuple[str, str]:
    text = title.replace(" & ", " and ")
    segs = text.split(", ")
    residual = segs[-1] == "All Other"
    if residual:
        segs.pop()
    for i, seg in enumerate(segs):
        if i and seg.startswith(("Except ", "Including ")):
            segs = segs[:i]
            break
    text = ", ".join(segs)

    if text.startswith("Helpers--"):
        rest = text[len("Helpers--"):]
        heads = [w for w in rest.split(" ") if _is_person_plural(w.rstrip(","))]
        if len(heads) == 1:  # "Helpers--Carpenters" -> "carpenter helper"
            one = _lower(_singularise_heads(rest))
            singular, plural = f"{one} helper", f"{one} helpers"
        else:  # a list of trades: "helper to painters, paperhangers, ..."
            singular, plural = f"helper to {_lower(rest)}", f"helpers to {_lower(rest)}"
    else:
        head, _, object_ = text.partition(" of ")
        segs = head.split(", ")
        # The person list runs to the last ", and ..." segment that ends in a person noun;
        # the segments after it qualify the head ("Cooks, Fast Food"; "..., Metal and Plastic").
        main_end = 0
        for i, seg in enumerate(segs):
            if i and seg.startswith(("and ", "or ")) and _ends_in_person(seg):
                main_end = i
        main = ", ".join(segs[: main_end + 1])
        quals = ", ".join(segs[main_end + 1:])
        if quals and object_:
            raise ValueError(f"title with both a qualifier and an object: {title!r}")
        singular = _lower(_singularise_heads(main))
        # "farmer, rancher, or other agricultural manager": one person is one of them
        singular = singular.replace(" and other ", " or other ")
        plural = _lower(main)
        if quals:
            singular, plural = f"{_lower(quals)} {singular}", f"{_lower(quals)} {plural}"
        if object_:
            singular, plural = f"{singular} of {_lower(object_)}", f"{plural} of {_lower(object_)}"
    if residual:
        singular, plural = f"miscellaneous {singular}", f"miscellaneous {plural}"
    return singular, plural


def prose_forms(title: str) -> tuple[str, str]:
    """BLS occupation title -> (singular prose, plural prose) for use inside a sentence."""
    override = TITLE_OVERRIDES.get(title)
    return override if override is not None else _convert(title)


def is_residual(title: str) -> bool:
    """An "All Other" (or "Miscellaneous ...") catch-all: no pairs are made with it."""
    return ", All Other" in title or title.startswith("Miscellaneous ")


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by "-" ("police and sheriff's" -> "police-and-sheriffs")."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")
    if len(slug) > MAX_SLUG:  # none of the 830 titles is this long; drop the small words first
        small = {"a", "an", "and", "of", "or", "the"}
        slug = "-".join(w for w in slug.split("-") if w not in small)
    if len(slug) > MAX_SLUG:  # at the last "-" that keeps it short enough, else mid-word
        head = slug[:MAX_SLUG + 1]
        slug = head.rsplit("-", 1)[0] if "-" in head else slug[:MAX_SLUG]
    return slug


# ---------------------------------------------------------------------------------------------
# The reviewed title table
# ---------------------------------------------------------------------------------------------

DEFAULT_TITLE_TABLE = Path("data/bls/titles.tsv")


@dataclass(frozen=True)
class TitleRow:
    """One occupation's reviewed names: prose forms, H1 form, table header, old slug, tags."""

    soc: str  # "13-2011"
    bls_title: str  # BLS's name, as ``display_title`` ("Accountants and Auditors")
    singular: str  # prose in sentences ("accountant")
    plural: str  # "accountants"
    article: str  # "a" or "an" for ``singular``
    short: str  # the singular used in the H1; ``singular`` unless that is long
    header: str  # table header, un-inverted title case ("Mechanical Insulation Workers")
    old_id: str  # the job's earlier ids, oldest first, space-separated: for redirects
    rule: str  # comma-separated tags of what was applied ("primary-role,short")


TITLE_TABLE_COLUMNS = tuple(f.name for f in fields(TitleRow))
_SOC = re.compile(r"\d\d-\d{4}")


def read_title_table(path: Path) -> dict[str, TitleRow]:
    """The title table at ``path`` keyed by SOC code; any problem raises SourceError.

    UTF-8, tab-separated, the header line ``TITLE_TABLE_COLUMNS``, then one row per occupation:
    nine non-empty fields without surrounding spaces, ``article`` "a" or "an", SOC codes and
    old ids (``old_id`` holds one or more, space-separated) unique.
    """
    def fail(n: int, what: str) -> SourceError:
        return SourceError(f"line {n}: {what}", file=str(path))

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise SourceError(f"not UTF-8 text ({err.reason} at byte {err.start})",
                          file=str(path)) from None
    except OSError as err:
        raise SourceError(f"cannot read: {err.strerror}", file=str(path)) from None
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    if not lines:
        raise fail(1, "empty file; expected the header line")
    if tuple(lines[0].split("\t")) != TITLE_TABLE_COLUMNS:
        expected = "\t".join(TITLE_TABLE_COLUMNS)
        raise fail(1, f"header must be {expected!r}, got {lines[0]!r}")
    rows: dict[str, TitleRow] = {}
    old_ids: dict[str, int] = {}
    socs: dict[str, int] = {}
    for n, line in enumerate(lines[1:], start=2):
        values = line.split("\t")
        if len(values) != len(TITLE_TABLE_COLUMNS):
            raise fail(n, f"{len(values)} fields, expected {len(TITLE_TABLE_COLUMNS)}")
        for name, value in zip(TITLE_TABLE_COLUMNS, values):
            if not value:
                raise fail(n, f"{name} is empty")
            if value != value.strip():
                raise fail(n, f"{name} has leading or trailing spaces: {value!r}")
        row = TitleRow(*values)
        if not _SOC.fullmatch(row.soc):
            raise fail(n, f"soc must look like 13-2011, got {row.soc!r}")
        if row.article not in ("a", "an"):
            raise fail(n, f"article must be 'a' or 'an', got {row.article!r}")
        if row.soc in socs:
            raise fail(n, f"duplicate soc {row.soc} (first on line {socs[row.soc]})")
        for old in row.old_id.split():  # as the importer splits them (profiles.py)
            if old in old_ids:
                raise fail(n, f"duplicate old_id {old} (first on line {old_ids[old]})")
            old_ids[old] = n
        socs[row.soc] = n
        rows[row.soc] = row
    return rows
