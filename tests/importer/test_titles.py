"""The reviewed title table (data/bls/titles.tsv) and its loader, read_title_table().

The table replaces the rule output of prose_forms() for the 830 BLS occupations: one role per
singular ("accountant", not "accountant and auditor"), a short form that keeps the H1 within 60
characters, an un-inverted table header and the old job id for redirects.
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

import inflect
import pytest

from narrator.errors import NarratorError
from narrator.importer.titles import (
    DEFAULT_TITLE_TABLE,
    MAX_SLUG,
    TitleRow,
    _ends_in_person,
    _lower,
    _singularise_heads,
    is_residual,
    prose_forms,
    read_title_table,
    slugify,
)
from tests.conftest import ROOT

BLS = ROOT / "data" / "bls"
TABLE = ROOT / DEFAULT_TITLE_TABLE
HEADER = "soc\tbls_title\tsingular\tplural\tarticle\tshort\theader\told_id\trule"
TAGS = frozenset({"rules", "primary-role", "or-reading", "uninverted", "helper",
                  "postsecondary", "short", "residual", "hand", "both-roles"})
H1_LIMIT = 60
H1_SHARE = 0.93


@cache
def rows() -> dict[str, TitleRow]:
    return read_title_table(TABLE)


@cache
def soc_codes() -> dict[str, str]:
    """job id -> SOC code, from provenance.json."""
    return json.loads((BLS / "provenance.json").read_text(encoding="utf-8"))["soc_codes"]


@cache
def jobs_by_soc() -> dict[str, dict]:
    codes = soc_codes()
    jobs = [json.loads(line) for line in (BLS / "jobs.jsonl").read_text("utf-8").splitlines()]
    return {codes[job["id"]]: job for job in jobs}


def new_ids() -> dict[str, str]:
    """SOC -> the job id the importer gives from the table (slug, SOC suffix on a clash)."""
    base = {soc: slugify(row.singular) for soc, row in rows().items()}
    clashes = {s for s, n in Counter(base.values()).items() if n > 1}
    return {soc: f"{s}-{soc}" if s in clashes else s for soc, s in base.items()}


def row_for_id() -> dict[str, TitleRow]:
    """Old and new job ids -> row, so the checks hold before and after the ids change."""
    out = {row.old_id: row for row in rows().values()}
    for soc, new in new_ids().items():
        assert out.setdefault(new, rows()[soc]) is rows()[soc], f"{new} is another job's old id"
    return out


def pairs() -> list[dict[str, str]]:
    return [json.loads(line) for line in (BLS / "pairs.jsonl").read_text("utf-8").splitlines()]


def h1(a: TitleRow, b: TitleRow) -> str:
    return f"{a.short[0].upper()}{a.short[1:]} vs {b.short}"


# ---------------------------------------------------------------------------------------------
# Coverage: one row per occupation, matching today's records
# ---------------------------------------------------------------------------------------------


def test_table_covers_exactly_the_soc_codes_in_soc_order() -> None:
    table = rows()
    assert len(table) == 830
    assert set(table) == set(soc_codes().values())
    assert list(table) == sorted(table)
    assert TABLE.read_text(encoding="utf-8").split("\n", 1)[0] == HEADER


def test_old_id_and_bls_title_match_the_records() -> None:
    codes, jobs, new = soc_codes(), jobs_by_soc(), new_ids()
    for soc, row in rows().items():
        assert codes[new[soc]] == soc, row  # the importer applied the table
        assert jobs[soc]["id"] == new[soc], row
        assert (jobs[soc]["title"], jobs[soc]["plural"], jobs[soc]["display_title"]) == (
            row.singular, row.plural, row.header), row


def test_ids_from_the_table_stay_distinct() -> None:
    slugs = Counter(slugify(row.singular) for row in rows().values())
    assert [s for s, n in slugs.items() if n > 1] == []
    shorts = Counter(row.short for row in rows().values())
    assert [s for s, n in shorts.items() if n > 1] == []
    row_for_id()  # no new id is another job's old id, so redirects are unambiguous


# ---------------------------------------------------------------------------------------------
# One role per singular
# ---------------------------------------------------------------------------------------------

PERSON_SUFFIXES = ("er", "or", "ist", "yst", "ian", "ant", "ent", "man", "person")
PERSON_WORDS = frozenset({
    "agent", "aide", "architect", "athlete", "captain", "chef", "clerk", "coach", "cook",
    "detective", "guard", "guide", "host", "hostess", "judge", "maid", "magistrate", "mason",
    "mate", "mechanic", "model", "nurse", "paralegal", "pilot", "scout", "secretary",
    "surgeon", "waitress", "warden",
})
#: Coordinated modifiers that look like person nouns: "health and safety engineer",
#: "computer and information systems manager", "hoist and winch operator".
MODIFIERS = frozenset({
    "amusement", "career", "compressor", "computer", "counter", "development", "disorder",
    "drier", "elevator", "entertainment", "equipment", "floor", "garment", "health", "hoist",
    "human", "instrument", "motor", "paper", "plant", "power", "restaurant", "safety", "sales",
    "teller", "tower", "tractor", "water",
})
#: Gendered pairs that are one role: "waiter or waitress"; their plurals take "and".
GENDERED = frozenset({("waiter", "waitress"), ("host", "hostess")})
_SEP = re.compile(r",? (?:and|or) |, ")
_inflect = inflect.engine()


def _is_person(word: str) -> bool:
    w = word.lower()
    return w not in MODIFIERS and (w in PERSON_WORDS or w.endswith(PERSON_SUFFIXES))


def coordinated_roles(phrase: str, *, plural: bool = False) -> list[str]:
    """Person nouns that ``phrase`` coordinates with a following conjunct ("accountant and
    auditor" -> ["accountant"]). Whatever follows "of" is the object ("supervisor of police
    and detectives") and is not looked at."""
    head = phrase.split(" of ")[0]
    found = []
    for m in _SEP.finditer(head):
        before = head[:m.start()].split(" ")[-1]
        after = head[m.end():].split(" ")[0]
        if plural:
            before = _inflect.singular_noun(before) or before
            after = _inflect.singular_noun(after) or after
        if (before, after) in GENDERED and (plural or " or " in m.group(0)):
            continue
        if _is_person(before):
            found.append(before)
    return found


@pytest.mark.parametrize(("phrase", "roles"), [
    ("accountant and auditor", ["accountant"]),
    ("butcher and meat cutter", ["butcher"]),
    ("rail yard engineer, dinkey operator, and hostler", ["engineer", "operator"]),
    ("claims adjuster, examiner, and investigator", ["adjuster", "examiner"]),
    ("chef and head cook", ["chef"]),
    ("farmer, rancher, or other agricultural manager", ["farmer", "rancher"]),
    ("waiter and waitress", ["waiter"]),
    ("general and operations manager", []),
    ("health and safety engineer", []),
    ("computer and information systems manager", []),
    ("first-line supervisor of police and detectives", []),
    ("furnace, kiln, oven, drier, and kettle operator", []),
    ("waiter or waitress", []),
    ("accountant", []),
])
def test_the_role_check_itself(phrase: str, roles: list[str]) -> None:
    assert coordinated_roles(phrase) == roles


def both_roles(row: TitleRow) -> bool:
    """A reviewed row naming two roles because the one a primary-role name would drop is the
    bigger or the searched-for one (issue 22): "a reporter or news analyst"."""
    return "both-roles" in row.rule.split(",")


def test_no_singular_names_several_roles() -> None:
    offenders = {soc: row.singular for soc, row in rows().items() if not both_roles(row)
                 and (coordinated_roles(row.singular) or coordinated_roles(row.short))}
    assert offenders == {}


def test_no_plural_coordinates_roles_except_gendered_pairs() -> None:
    offenders = {soc: row.plural for soc, row in rows().items()
                 if not both_roles(row) and coordinated_roles(row.plural, plural=True)}
    assert offenders == {}


def test_two_roles_are_one_person_or_the_other() -> None:
    """A both-roles row says one worker is one role *or* the other ("a clinical laboratory
    technologist or technician"), never both; its plural joins them with "and"; the table header
    keeps BLS's name, and the id the row had before stays an alias."""
    reviewed = [row for row in rows().values() if both_roles(row)]
    assert len(reviewed) >= 20
    for row in reviewed:
        assert " and " not in row.singular.replace(" and operations ", " ").replace(
            " and electronic ", " ").replace(" and mechatronics ", " "), row
        assert " or " in row.singular or row.singular == "private investigator", row
        assert " or " not in row.plural, row
        assert len(row.old_id.split()) == 2, row  # before the table, and before this review
        assert "primary-role" not in row.rule, row

def test_pages_naming_several_roles_as_one_person() -> None:
    """Before: today's rule output on about half the pages; after: none."""
    old = {soc: bool(coordinated_roles(prose_forms(row.bls_title)[0]))
           for soc, row in rows().items()}
    new = {soc: bool(coordinated_roles(row.singular)) and not both_roles(row)
           for soc, row in rows().items()}
    by_id, all_pairs = row_for_id(), pairs()
    before = after = 0
    for pair in all_pairs:
        a, b = by_id[pair["a"]].soc, by_id[pair["b"]].soc
        before += old[a] or old[b]
        after += new[a] or new[b]
    assert before / len(all_pairs) > 0.4
    assert after == 0


# ---------------------------------------------------------------------------------------------
# Known rows: every class of change
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("soc", "singular", "plural", "short", "header"), [
    # several roles -> the primary (first) one; the full name stays in the header
    ("13-2011", "accountant", "accountants", "accountant", "Accountants and Auditors"),
    ("51-3021", "butcher", "butchers", "butcher", "Butchers and Meat Cutters"),
    ("53-4013", "rail yard engineer", "rail yard engineers", "rail yard engineer",
     "Rail Yard Engineers, Dinkey Operators, and Hostlers"),
    ("13-1031", "claims adjuster", "claims adjusters", "claims adjuster",
     "Claims Adjusters, Examiners, and Investigators"),
    ("13-1020", "buyer", "buyers", "buyer", "Buyers and Purchasing Agents"),
    ("11-9013", "farmer", "farmers", "farmer",
     "Farmers, Ranchers, and Other Agricultural Managers"),
    ("49-9021", "HVAC mechanic", "HVAC mechanics", "HVAC mechanic",
     "Heating, Air Conditioning, and Refrigeration Mechanics and Installers"),
    # gendered pairs: one role, "or" reading
    ("35-3031", "waiter or waitress", "waiters and waitresses", "waiter or waitress",
     "Waiters and Waitresses"),
    ("35-9031", "restaurant, lounge, and coffee shop host or hostess",
     "restaurant, lounge, and coffee shop hosts and hostesses", "restaurant host or hostess",
     "Restaurant, Lounge, and Coffee Shop Hosts and Hostesses"),
    # one role with coordinated modifiers: unchanged
    ("11-1021", "general and operations manager", "general and operations managers",
     "general and operations manager", "General and Operations Managers"),
    ("17-2111", "health and safety engineer", "health and safety engineers",
     "health and safety engineer",
     "Health and Safety Engineers (Except Mining Safety Engineers and Inspectors)"),
    ("11-3021", "computer and information systems manager",
     "computer and information systems managers", "IT manager",
     "Computer and Information Systems Managers"),
    # inverted qualifiers
    ("47-2132", "mechanical insulation worker", "mechanical insulation workers",
     "mechanical insulation worker", "Mechanical Insulation Workers"),
    ("35-2011", "fast food cook", "fast food cooks", "fast food cook", "Fast Food Cooks"),
    ("17-1011", "architect", "architects", "architect",
     "Architects (Except Landscape and Naval)"),
    ("27-2091", "disc jockey", "disc jockeys", "disc jockey", "Disc Jockeys (Except Radio)"),
    ("43-5041", "utility meter reader", "utility meter readers", "utility meter reader",
     "Utility Meter Readers"),
    # helpers
    ("47-3012", "carpenter helper", "carpenter helpers", "carpenter helper",
     "Carpenter Helpers"),
    ("47-3014", "painter helper", "painter helpers", "painter helper",
     "Helpers to Painters, Paperhangers, Plasterers, and Stucco Masons"),
    ("47-5081", "extraction worker helper", "extraction worker helpers",
     "extraction worker helper", "Extraction Worker Helpers"),
    # postsecondary teachers
    ("25-1011", "business professor", "business professors", "business professor",
     "Postsecondary Business Teachers"),
    ("25-1072", "nursing professor", "nursing professors", "nursing professor",
     "Postsecondary Nursing Instructors and Teachers"),
    # short H1 forms
    ("41-1011", "first-line supervisor of retail sales workers",
     "first-line supervisors of retail sales workers", "retail sales supervisor",
     "First-Line Supervisors of Retail Sales Workers"),
    ("11-9031", "preschool and daycare administrator", "preschool and daycare administrators",
     "preschool and daycare administrator",
     "Preschool and Daycare Education and Childcare Administrators"),
    # residual
    ("15-1299", "miscellaneous computer worker", "miscellaneous computer workers",
     "miscellaneous computer worker", "Miscellaneous Computer Occupations"),
])
def test_known_rows(soc: str, singular: str, plural: str, short: str, header: str) -> None:
    row = rows()[soc]
    assert (row.singular, row.plural, row.short, row.header) == (singular, plural, short, header)


def test_rule_tags() -> None:
    for row in rows().values():
        tags = row.rule.split(",")
        assert set(tags) <= TAGS and len(set(tags)) == len(tags), row
        unchanged = (row.singular, row.plural) == prose_forms(row.bls_title)
        assert ("rules" in tags) == unchanged, row
        assert ("short" in tags) == (row.short != row.singular), row
        assert ("residual" in tags) == is_residual(row.bls_title), row
        assert ("helper" in tags) == row.bls_title.startswith("Helpers"), row


def test_residual_and_postsecondary_rows_are_consistent() -> None:
    for row in rows().values():
        if is_residual(row.bls_title):
            assert "miscellaneous " in row.singular and "miscellaneous " in row.plural, row
            assert row.header.startswith(("Miscellaneous ", "First-Line ")), row
        if ", Postsecondary" in row.bls_title and "Teachers" in row.bls_title:
            assert row.singular.endswith(("professor", "instructor")), row
            assert "postsecondary" in row.rule, row
            assert "Postsecondary" in row.header, row


# ---------------------------------------------------------------------------------------------
# Forms: case, shortness, headers, H1 length, articles
# ---------------------------------------------------------------------------------------------

ACRONYMS = frozenset({"CNC", "CTE", "English", "ESL", "HVAC", "IT", "K-12", "MRI", "QA", "RV"})


def test_prose_is_lower_case_but_for_proper_nouns_and_acronyms() -> None:
    for row in rows().values():
        for form in (row.singular, row.plural, row.short):
            capitals = {w.strip(",") for w in form.split(" ") if w != w.lower()}
            assert capitals <= ACRONYMS, (row.soc, form)


def test_short_is_never_longer_than_the_singular() -> None:
    for row in rows().values():
        assert len(row.short) <= len(row.singular), row


SMALL_WORDS = frozenset({"a", "and", "as", "of", "or", "the", "through", "to"})


def inverted(header: str) -> bool:
    """BLS's inverted form: "Helpers--X", or a trailing ", Qualifier" outside parentheses."""
    if "--" in header:
        return True
    bare = re.sub(r" \(.*\)$", "", header)
    return ", " in bare and not bare.rsplit(", ", 1)[1].startswith(("and ", "or "))


@pytest.mark.parametrize(("header", "expected"), [
    ("Insulation Workers, Mechanical", True),
    ("Helpers--Extraction Workers", True),
    ("Disc Jockeys, Except Radio", True),
    ("Business Teachers, Postsecondary", True),
    ("Mechanical Insulation Workers", False),
    ("Claims Adjusters, Examiners, and Investigators", False),
    ("Architects (Except Landscape and Naval)", False),
    ("Sales Representatives of Services (Except Advertising, Insurance, Financial Services, "
     "and Travel)", False),
])
def test_the_inversion_check_itself(header: str, expected: bool) -> None:
    assert inverted(header) is expected


def test_headers_are_uninverted_title_case() -> None:
    for row in rows().values():
        assert not inverted(row.header), row
        for word in row.header.replace("(", "").split(" "):
            assert word in SMALL_WORDS or word[0].isupper() or not word[0].isalpha(), row


def test_h1_fits_on_most_pages() -> None:
    by_id = row_for_id()
    all_pairs = pairs()
    fit = sum(len(h1(by_id[p["a"]], by_id[p["b"]])) <= H1_LIMIT for p in all_pairs)
    assert len(all_pairs) > 2_500
    assert fit / len(all_pairs) >= H1_SHARE, f"{fit / len(all_pairs):.1%}"


def expected_article(phrase: str) -> str:
    """a/an by how the first word is said, written independently of narrator.grammar."""
    word = phrase.split(" ")[0]
    if len(word) > 1 and word[:2].isupper():  # an acronym, spelled out: "an HVAC", "a CNC"
        return "an" if word[0] in "AEFHILMNORSX" else "a"
    if word.startswith(("uni", "usa", "use", "usu", "uti", "eu", "one")):
        return "a"  # said "you-", "one"
    if word.startswith(("hour", "honest", "honor", "heir")):
        return "an"
    return "an" if word[0].lower() in "aeiou" else "a"


@pytest.mark.parametrize(("soc", "article", "singular"), [
    ("13-2011", "an", "accountant"),
    ("49-9021", "an", "HVAC mechanic"),
    ("43-5041", "a", "utility meter reader"),
    ("39-3031", "an", "usher"),
    ("19-3051", "an", "urban and regional planner"),
    ("27-2023", "an", "umpire or referee"),
    ("29-1218", "an", "obstetrician-gynecologist"),
    ("15-1232", "a", "computer user support specialist"),
    ("11-9032", "a", "K-12 education administrator"),
    ("11-3051", "an", "industrial production manager"),
    ("13-1020", "a", "buyer"),
])
def test_known_articles(soc: str, article: str, singular: str) -> None:
    row = rows()[soc]
    assert (row.article, row.singular) == (article, singular)


@pytest.mark.parametrize(("phrase", "article"), [
    ("user experience designer", "a"), ("usher", "an"), ("utility worker", "a"),
    ("HVAC mechanic", "an"), ("CNC tool operator", "a"), ("umpire", "an"),
    ("one-stop clerk", "a"), ("hour worker", "an"),
])
def test_the_article_rule_itself(phrase: str, article: str) -> None:
    assert expected_article(phrase) == article


def test_every_article_is_right() -> None:
    wrong = {soc: (row.article, row.singular) for soc, row in rows().items()
             if row.article != expected_article(row.singular)}
    assert wrong == {}


# ---------------------------------------------------------------------------------------------
# The rules behind prose_forms() and slugify()
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "lowered"), [
    ("Fast  Food Cooks", "fast  food cooks"),  # only the case changes; spacing as given
    ("English, Spanish", "English, spanish"),  # a proper noun is known without its comma
    ("(English) Tutors", "(English) tutors"),  # ... or its brackets
    ("A Workers", "a workers"),  # one capital letter is not an acronym
    ("IT Managers", "IT managers"),  # two are
    ("UX Designers", "UX designers"),
    ("HVAC-Certified Mechanics", "HVAC-Certified mechanics"),  # the part before "-" decides
    ("K-12 Teachers", "K-12 teachers"),
])
def test_lower_keeps_proper_nouns_and_acronyms(text: str, lowered: str) -> None:
    assert _lower(text) == lowered


@pytest.mark.parametrize(("phrase", "singular"), [
    ("Pilots or Copilots", "Pilot or Copilot"),  # "or" ends a conjunct as "and" does
    ("UX Designers", "UX Designer"),  # only a trailing comma is taken off a word
    (" Bakers", " Baker"),  # words are what single spaces separate; spacing is kept
])
def test_singularise_heads_rule(phrase: str, singular: str) -> None:
    assert _singularise_heads(phrase) == singular


@pytest.mark.parametrize(("segment", "person"), [
    ("and Bakers", True),
    ("and Bakers ", False),  # the last word is what follows the last space: here none
])
def test_a_segment_ends_in_a_person_by_its_last_space_separated_word(segment: str,
                                                                      person: bool) -> None:
    assert _ends_in_person(segment) is person


@pytest.mark.parametrize(("bls", "singular", "plural"), [
    # ", or ..." ends the person list as ", and ..." does; what follows is a qualifier
    ("Painters, Sculptors, or Illustrators, Fine Arts",
     "fine arts painter, sculptor, or illustrator",
     "fine arts painters, sculptors, or illustrators"),
    # one person noun after "Helpers--" makes "X helper"; only a trailing comma comes off a
    # word before the person check ("OSX" is not "OS")
    ("Helpers--OSX Technicians", "OSX technician helper", "OSX technician helpers"),
    # heads are counted over space-separated words, as _singularise_heads splits them: one here
    ("Helpers--Painters\tPlasterers", "painters\tplasterer helper", "painters\tplasterer helpers"),
])
def test_prose_form_rules(bls: str, singular: str, plural: str) -> None:
    assert prose_forms(bls) == (singular, plural)


def test_a_title_with_both_a_qualifier_and_an_object_is_refused() -> None:
    with pytest.raises(ValueError) as info:
        prose_forms("Cooks, Fast Food of Restaurants")
    assert str(info.value) == ("title with both a qualifier and an object: "
                               "'Cooks, Fast Food of Restaurants'")


C10 = "contractor"  # ten letters: nine of them joined by "-" make MAX_SLUG (98) characters


@pytest.mark.parametrize(("text", "slug"), [
    ("(sales) worker.", "sales-worker"),  # no "-" at either end
    # exactly MAX_SLUG: kept whole, small words and all
    ("cook and " + "b" * 89, "cook-and-" + "b" * 89),
    # longer: the small words go first (113 -> 94 characters), nothing else
    ("the art of a cook or an aide and " + "b" * 80, "art-cook-aide-" + "b" * 80),
    # MAX_SLUG + 1 without small words: the last word goes
    (f"{C10} " * 8 + "electrician", "-".join([C10] * 8)),
    # the cut lands on a "-": the 98 characters before it are whole words and stay
    (f"{C10} " * 10, "-".join([C10] * 9)),
    # a word ends at character 99: it is one too many
    (f"{C10} " * 8 + "electrician " + C10, "-".join([C10] * 8)),
    # no "-" to cut at: cut mid-word, never longer than MAX_SLUG
    ("b" * 120, "b" * 98), ("b" * 120 + " c", "b" * 98),
])
def test_slugify_cuts_at_max_slug_dropping_small_words_first(text: str, slug: str) -> None:
    assert MAX_SLUG == 98
    assert slugify(text) == slug


# ---------------------------------------------------------------------------------------------
# The loader
# ---------------------------------------------------------------------------------------------

GOOD = ("13-2011\tAccountants and Auditors\taccountant\taccountants\tan\taccountant\t"
        "Accountants and Auditors\taccountant-and-auditor\tprimary-role")
OTHER = ("13-2031\tBudget Analysts\tbudget analyst\tbudget analysts\ta\tbudget analyst\t"
         "Budget Analysts\tbudget-analyst\trules")


def test_loader_reads_a_small_table(tmp_path: Path) -> None:
    path = tmp_path / "titles.tsv"
    path.write_text(f"{HEADER}\r\n{GOOD}\r\n{OTHER}\r\n", encoding="utf-8")
    table = read_title_table(path)
    assert list(table) == ["13-2011", "13-2031"]
    assert table["13-2011"] == TitleRow(
        "13-2011", "Accountants and Auditors", "accountant", "accountants", "an", "accountant",
        "Accountants and Auditors", "accountant-and-auditor", "primary-role")
    with pytest.raises(AttributeError):
        table["13-2011"].singular = "x"  # type: ignore[misc]


#: GOOD and OTHER with two old ids each, the second the same
TWO_OLD = (GOOD.replace("\taccountant-and-auditor\t", "\tcpa accountant-and-auditor\t") + "\n"
           + OTHER.replace("\tbudget-analyst\t", "\tbudget-analyst accountant-and-auditor\t"))


@pytest.mark.parametrize(("text", "line", "what"), [
    ("soc\tbls_title\tsingular\n" + GOOD, 1,
     f"header must be {HEADER!r}, got 'soc\\tbls_title\\tsingular'"),
    (HEADER.replace("\t", " ") + "\n" + GOOD, 1, "header must be"),  # tabs, not any space
    (HEADER.replace("\trule", "") + "\n" + GOOD, 1, "header must be"),
    ("", 1, "empty file"),
    (f"{HEADER}\n{OTHER}\n" + GOOD.rsplit("\t", 1)[0], 3, "8 fields, expected 9"),
    (f"{HEADER}\n{GOOD}\textra", 2, "10 fields, expected 9"),
    (f"{HEADER}\n" + GOOD.replace("\tprimary-role", "\t"), 2, "rule is empty"),
    (f"{HEADER}\n" + GOOD.replace("\taccountants\t", "\t\t"), 2, "plural is empty"),
    (f"{HEADER}\n" + GOOD.replace("\tan\t", "\tAn\t"), 2, "article must be 'a' or 'an'"),
    (f"{HEADER}\n" + GOOD.replace("\tan\t", "\tthe\t"), 2, "article must be 'a' or 'an'"),
    (f"{HEADER}\n{GOOD}\n{OTHER}\n{GOOD.replace('accountant-and', 'x')}", 4,
     "duplicate soc 13-2011 (first on line 2)"),
    (f"{HEADER}\n{GOOD}\n{OTHER.replace('budget-analyst', 'accountant-and-auditor')}", 3,
     "duplicate old_id accountant-and-auditor (first on line 2)"),
    (f"{HEADER}\n{TWO_OLD}", 3, "duplicate old_id accountant-and-auditor (first on line 2)"),
    # old ids split on any white space, as the importer splits them
    (f"{HEADER}\n" + TWO_OLD.replace("budget-analyst accountant", "budget-analyst\u00a0accountant"),
     3, "duplicate old_id accountant-and-auditor (first on line 2)"),
    (f"{HEADER}\n" + GOOD.replace("\taccountant\t", "\taccountant \t", 1), 2,
     "singular has leading or trailing spaces"),
    (f"{HEADER}\n" + GOOD.replace("13-2011", "132011"), 2, "soc must look like 13-2011"),
    (f"{HEADER}\n{GOOD}\n\n{OTHER}", 3, "1 fields, expected 9"),
])
def test_loader_errors_name_file_and_line(tmp_path: Path, text: str, line: int,
                                          what: str) -> None:
    path = tmp_path / "titles.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(NarratorError) as info:
        read_title_table(path)
    assert info.value.file == str(path)
    assert str(info.value).startswith(f"{path}: line {line}: {what}"), str(info.value)


def test_loader_unreadable_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.tsv"
    with pytest.raises(NarratorError, match="cannot read") as info:
        read_title_table(missing)
    assert info.value.file == str(missing)
    latin = tmp_path / "latin.tsv"
    latin.write_bytes(HEADER.encode() + b"\n" + GOOD.encode().replace(b"auditor", b"\xe9"))
    with pytest.raises(NarratorError, match="not UTF-8"):
        read_title_table(latin)
    latin.write_bytes(b"soc\t\xff")  # 0xff never starts a UTF-8 character
    with pytest.raises(NarratorError) as info:
        read_title_table(latin)
    assert info.value.file == str(latin)
    assert str(info.value) == f"{latin}: not UTF-8 text (invalid start byte at byte 4)"


def test_loader_reads_utf8_whatever_the_locale(tmp_path: Path, monkeypatch) -> None:
    """The table is UTF-8 where the locale's default encoding is not (LANG=C, Windows)."""
    path = tmp_path / "titles.tsv"
    path.write_bytes(f"{HEADER}\n{GOOD.replace('Auditors', 'Auditørs', 1)}\n".encode())
    # read_text(encoding=None) asks io.text_encoding for the locale's: make that ASCII
    monkeypatch.setattr(io, "text_encoding", lambda encoding, stacklevel=2: encoding or "ascii")
    assert read_title_table(path)["13-2011"].bls_title == "Accountants and Auditørs"
