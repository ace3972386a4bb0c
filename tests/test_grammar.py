"""Table tests for narrator.grammar; every expected value is written by hand."""

from __future__ import annotations

import doctest
import json
import subprocess
import sys
from collections.abc import Callable

import pytest

from narrator import grammar
from narrator.grammar import (
    articles,
    display_title,
    indefinite_article,
    join,
    nouns,
    plural,
    possessive,
    sentence_case,
    text,
    with_article,
)
from tests.conftest import ROOT

# title | plural | a/an | plural possessive | display title
TITLES = [
    ("lead technician", "lead technicians", "a", "lead technicians'", "Lead Technician"),
    ("salesperson", "salespeople", "a", "salespeople's", "Salesperson"),
    ("fireman", "firemen", "a", "firemen's", "Fireman"),
    ("alumnus", "alumni", "an", "alumni's", "Alumnus"),
    ("RN", "RNs", "an", "RNs'", "RN"),
    ("CEO", "CEOs", "a", "CEOs'", "CEO"),
    ("UX designer", "UX designers", "a", "UX designers'", "UX Designer"),
    ("attorney general", "attorneys general", "an", "attorneys general's", "Attorney General"),
    ("first-line supervisor of retail sales workers",
     "first-line supervisors of retail sales workers", "a",
     "first-line supervisors of retail sales workers'",
     "First-Line Supervisor of Retail Sales Workers"),
    ("secretary of state", "secretaries of state", "a", "secretaries of state's",
     "Secretary of State"),
    ("director of operations", "directors of operations", "a", "directors of operations'",
     "Director of Operations"),
    ("mother-in-law", "mothers-in-law", "a", "mothers-in-law's", "Mother-in-Law"),
    ("accountant and auditor", "accountants and auditors", "an", "accountants and auditors'",
     "Accountant and Auditor"),
    ("airline pilot, copilot, and flight engineer",
     "airline pilots, copilots, and flight engineers", "an",
     "airline pilots, copilots, and flight engineers'",
     "Airline Pilot, Copilot, and Flight Engineer"),
    ("baker or cook", "bakers or cooks", "a", "bakers or cooks'", "Baker or Cook"),
    ("service and repair technician", "service and repair technicians", "a",
     "service and repair technicians'", "Service and Repair Technician"),
    ("heating and cooling mechanic", "heating and cooling mechanics", "a",
     "heating and cooling mechanics'", "Heating and Cooling Mechanic"),
    ("sales and marketing manager", "sales and marketing managers", "a",
     "sales and marketing managers'", "Sales and Marketing Manager"),
    ("information technology/support technician",
     "information technology/support technicians", "an",
     "information technology/support technicians'",
     "Information Technology/Support Technician"),
    ("technician's helper", "technician's helpers", "a", "technician's helpers'",
     "Technician's Helper"),
    ("notary public", "notaries public", "a", "notaries public's", "Notary Public"),
    ("court reporter and simultaneous captioner",
     "court reporters and simultaneous captioners", "a",
     "court reporters and simultaneous captioners'",
     "Court Reporter and Simultaneous Captioner"),
    ("computer and information systems manager",
     "computer and information systems managers", "a",
     "computer and information systems managers'",
     "Computer and Information Systems Manager"),
    ("general and operations manager", "general and operations managers", "a",
     "general and operations managers'", "General and Operations Manager"),
    ("chief executive and legislator", "chief executives and legislators", "a",
     "chief executives and legislators'", "Chief Executive and Legislator"),
    ("executive and administrative assistant", "executive and administrative assistants",
     "an", "executive and administrative assistants'", "Executive and Administrative Assistant"),
    ("water and wastewater treatment plant operator",
     "water and wastewater treatment plant operators", "a",
     "water and wastewater treatment plant operators'",
     "Water and Wastewater Treatment Plant Operator"),
    ("hoist and winch operator", "hoist and winch operators", "a",
     "hoist and winch operators'", "Hoist and Winch Operator"),
    ("counter and rental clerk", "counter and rental clerks", "a",
     "counter and rental clerks'", "Counter and Rental Clerk"),
    ("paralegal and legal assistant", "paralegals and legal assistants", "a",
     "paralegals and legal assistants'", "Paralegal and Legal Assistant"),
    ("substance abuse, behavioral disorder, and mental health counselor",
     "substance abuse, behavioral disorder, and mental health counselors", "a",
     "substance abuse, behavioral disorder, and mental health counselors'",
     "Substance Abuse, Behavioral Disorder, and Mental Health Counselor"),
    ("first-line supervisor of mechanics, installers, and repairers",
     "first-line supervisors of mechanics, installers, and repairers", "a",
     "first-line supervisors of mechanics, installers, and repairers'",
     "First-Line Supervisor of Mechanics, Installers, and Repairers"),
    ("captain, mate, and pilot of water vessels",
     "captains, mates, and pilots of water vessels", "a",
     "captains, mates, and pilots of water vessels'",
     "Captain, Mate, and Pilot of Water Vessels"),
    ("office clerk, general", "office clerks, general", "an", "office clerks, general's",
     "Office Clerk, General"),
    ("bus driver, transit and intercity", "bus drivers, transit and intercity", "a",
     "bus drivers, transit and intercity's", "Bus Driver, Transit and Intercity"),
    ("tax examiner and collector, and revenue agent",
     "tax examiners and collectors, and revenue agents", "a",
     "tax examiners and collectors, and revenue agents'",
     "Tax Examiner and Collector, and Revenue Agent"),
    ("bus and truck mechanic and diesel engine specialist",
     "bus and truck mechanics and diesel engine specialists", "a",
     "bus and truck mechanics and diesel engine specialists'",
     "Bus and Truck Mechanic and Diesel Engine Specialist"),
    ("tool and die maker", "tool and die makers", "a", "tool and die makers'",
     "Tool and Die Maker"),
    ("jeweler and precious stone and metal worker",
     "jewelers and precious stone and metal workers", "a",
     "jewelers and precious stone and metal workers'",
     "Jeweler and Precious Stone and Metal Worker"),
    ("waiter and waitress", "waiters and waitresses", "a", "waiters and waitresses'",
     "Waiter and Waitress"),
    ("police and sheriff's patrol officer", "police and sheriff's patrol officers", "a",
     "police and sheriff's patrol officers'", "Police and Sheriff's Patrol Officer"),
    ("editor-in-chief", "editors-in-chief", "an", "editors-in-chief's", "Editor-in-Chief"),
    ("runner-up", "runners-up", "a", "runners-up's", "Runner-Up"),
    ("surgeon general", "surgeons general", "a", "surgeons general's", "Surgeon General"),
    ("lieutenant general", "lieutenant generals", "a", "lieutenant generals'",
     "Lieutenant General"),
    ("sergeant major", "sergeants major", "a", "sergeants major's", "Sergeant Major"),
    ("president-elect", "presidents-elect", "a", "presidents-elect's", "President-Elect"),
    ("chief of staff", "chiefs of staff", "a", "chiefs of staff's", "Chief of Staff"),
    ("director of finance and accountant", "directors of finance and accountants", "a",
     "directors of finance and accountants'", "Director of Finance and Accountant"),
    ("cook/chef", "cooks/chefs", "a", "cooks/chefs'", "Cook/Chef"),
    ("driver/sales worker", "driver/sales workers", "a", "driver/sales workers'",
     "Driver/Sales Worker"),
    ("software engineer II", "software engineers II", "a", "software engineers II's",
     "Software Engineer II"),
    ("SEO specialist", "SEO specialists", "an", "SEO specialists'", "SEO Specialist"),
    ("Java developer", "Java developers", "a", "Java developers'", "Java Developer"),
    ("HVAC technician", "HVAC technicians", "an", "HVAC technicians'", "HVAC Technician"),
    ("iOS developer", "iOS developers", "an", "iOS developers'", "iOS Developer"),
    ("MRI technologist", "MRI technologists", "an", "MRI technologists'", "MRI Technologist"),
    ("pharmacy tech", "pharmacy techs", "a", "pharmacy techs'", "Pharmacy Tech"),
    ("nurse midwife", "nurse midwives", "a", "nurse midwives'", "Nurse Midwife"),
    ("sous chef", "sous chefs", "a", "sous chefs'", "Sous Chef"),
    ("chef de cuisine", "chefs de cuisine", "a", "chefs de cuisine's", "Chef de Cuisine"),
    ("ombudsperson", "ombudspeople", "an", "ombudspeople's", "Ombudsperson"),
    ("longshoreman", "longshoremen", "a", "longshoremen's", "Longshoreman"),
    ("fire chief", "fire chiefs", "a", "fire chiefs'", "Fire Chief"),
    ("deputy sheriff", "deputy sheriffs", "a", "deputy sheriffs'", "Deputy Sheriff"),
    ("orderly", "orderlies", "an", "orderlies'", "Orderly"),
    ("nanny", "nannies", "a", "nannies'", "Nanny"),
    ("usher, lobby attendant, and ticket taker", "ushers, lobby attendants, and ticket takers",
     "an", "ushers, lobby attendants, and ticket takers'",
     "Usher, Lobby Attendant, and Ticket Taker"),
    ("utility meter reader", "utility meter readers", "a", "utility meter readers'",
     "Utility Meter Reader"),
    ("umpire, referee, or other sports official",
     "umpires, referees, or other sports officials", "an",
     "umpires, referees, or other sports officials'",
     "Umpire, Referee, or Other Sports Official"),
    ("hostess", "hostesses", "a", "hostesses'", "Hostess"),
    ("x-ray technician", "x-ray technicians", "an", "x-ray technicians'", "X-Ray Technician"),
    ("8th grade teacher", "8th grade teachers", "an", "8th grade teachers'",
     "8th Grade Teacher"),
    ("18-wheeler driver", "18-wheeler drivers", "an", "18-wheeler drivers'",
     "18-Wheeler Driver"),
    ("honors program coordinator", "honors program coordinators", "an",
     "honors program coordinators'", "Honors Program Coordinator"),
    ("European studies professor", "European studies professors", "a",
     "European studies professors'", "European Studies Professor"),
    ("one-stop center manager", "one-stop center managers", "a", "one-stop center managers'",
     "One-Stop Center Manager"),
    ("university registrar", "university registrars", "a", "university registrars'",
     "University Registrar"),
    ("Uber driver", "Uber drivers", "an", "Uber drivers'", "Uber Driver"),
    ("NASA engineer", "NASA engineers", "a", "NASA engineers'", "NASA Engineer"),
    ("maid and housekeeping cleaner", "maids and housekeeping cleaners", "a",
     "maids and housekeeping cleaners'", "Maid and Housekeeping Cleaner"),
    ("vice president of sales", "vice presidents of sales", "a", "vice presidents of sales'",
     "Vice President of Sales"),
    ("VP of engineering", "VPs of engineering", "a", "VPs of engineering's",
     "VP of Engineering"),
    ("head of people", "heads of people", "a", "heads of people's", "Head of People"),
    ("laborer and freight, stock, and material mover, hand",
     "laborers and freight, stock, and material movers, hand", "a",
     "laborers and freight, stock, and material movers, hand's",
     "Laborer and Freight, Stock, and Material Mover, Hand"),
    ("door-to-door sales worker", "door-to-door sales workers", "a",
     "door-to-door sales workers'", "Door-to-Door Sales Worker"),
    ("medical and health services manager", "medical and health services managers", "a",
     "medical and health services managers'", "Medical and Health Services Manager"),
    ("midwife", "midwives", "a", "midwives'", "Midwife"),
    ("assistant to the director", "assistants to the director", "an",
     "assistants to the director's", "Assistant to the Director"),
    ("attorney-at-law", "attorneys-at-law", "an", "attorneys-at-law's", "Attorney-at-Law"),
    ("welder, cutter, solderer, and brazer", "welders, cutters, solderers, and brazers", "a",
     "welders, cutters, solderers, and brazers'", "Welder, Cutter, Solderer, and Brazer"),
    ("furnace, kiln, oven, drier, and kettle operator and tender",
     "furnace, kiln, oven, drier, and kettle operators and tenders", "a",
     "furnace, kiln, oven, drier, and kettle operators and tenders'",
     "Furnace, Kiln, Oven, Drier, and Kettle Operator and Tender"),
    ("cleaner of vehicles and equipment", "cleaners of vehicles and equipment", "a",
     "cleaners of vehicles and equipment's", "Cleaner of Vehicles and Equipment"),
    ("computer, automated teller, and office machine repairer",
     "computer, automated teller, and office machine repairers", "a",
     "computer, automated teller, and office machine repairers'",
     "Computer, Automated Teller, and Office Machine Repairer"),
    ("registered nurse (RN)", "registered nurses (RNs)", "a", "registered nurses (RNs)'s",
     "Registered Nurse (RN)"),
    ("Lead Technician", "Lead Technicians", "a", "Lead Technicians'", "Lead Technician"),
]
IDS = [row[0] for row in TITLES]


@pytest.mark.parametrize(("title", "expected", "_a", "_poss", "_display"), TITLES, ids=IDS)
def test_plural(title: str, expected: str, _a: str, _poss: str, _display: str) -> None:
    assert plural(title) == expected
    assert plural(expected) == expected  # a plural is left alone


@pytest.mark.parametrize(("title", "_plural", "article", "_poss", "_display"), TITLES, ids=IDS)
def test_article(title: str, _plural: str, article: str, _poss: str, _display: str) -> None:
    assert indefinite_article(title) == article
    assert with_article(title) == f"{article} {title}"


@pytest.mark.parametrize(("title", "_plural", "_a", "expected", "_display"), TITLES, ids=IDS)
def test_plural_possessive(title: str, _plural: str, _a: str, expected: str,
                           _display: str) -> None:
    assert possessive(plural(title)) == expected


@pytest.mark.parametrize(("title", "_plural", "_a", "_poss", "expected"), TITLES, ids=IDS)
def test_display_title(title: str, _plural: str, _a: str, _poss: str, expected: str) -> None:
    assert display_title(title) == expected


@pytest.mark.parametrize(("phrase", "expected"), [
    # acronyms: spelled out unless said as a word
    ("UX designer", "a"), ("UI designer", "a"), ("URL", "a"), ("SEO specialist", "an"),
    ("RN", "an"), ("RNs", "an"), ("MRI technologist", "an"), ("LED", "an"), ("LLMs", "an"),
    ("HVAC technician", "an"), ("HR manager", "an"), ("IT specialist", "an"),
    ("FBI agent", "an"), ("EMT", "an"), ("LPN", "an"), ("MBA", "an"), ("MSc", "an"),
    ("NYPD officer", "an"), ("NCLEX", "an"), ("SQL developer", "an"), ("CPA", "a"),
    ("QA engineer", "a"), ("CEO", "a"), ("USDA inspector", "a"), ("UNIX admin", "a"),
    ("NASA engineer", "a"), ("SWAT officer", "a"), ("NATO liaison", "a"),
    ("FEMA coordinator", "a"), ("NICU nurse", "a"), ("HIPAA officer", "a"),
    ("STEM teacher", "a"), ("SaaS founder", "a"), ("SOC analyst", "a"), ("PhD", "a"),
    # letters and numerals
    ("x-ray technician", "an"), ("X-ray technician", "an"), ("A-list", "an"),
    ("T-shirt", "a"), ("F1 driver", "an"), ("8th grade teacher", "an"),
    ("11th grade teacher", "an"), ("18-wheeler driver", "an"), ("1st grade teacher", "a"),
    ("80-hour week", "an"), ("800-hour", "an"), ("8", "an"), ("11,000", "an"),
    ("18,000", "an"), ("1,800", "a"), ("100-year", "a"), ("3D artist", "a"), ("$80 fee", "an"),
    # mixed case
    ("iOS developer", "an"), ("iPhone repairer", "an"), ("eBay seller", "an"),
    ("e-commerce manager", "an"), ("IoT engineer", "an"), ("McKinsey consultant", "a"),
    # silent h, u said "you", eu, one
    ("hour", "an"), ("hourly worker", "an"), ("honest broker", "an"), ("heir", "an"),
    ("honorary consul", "an"), ("hospital porter", "a"), ("historian", "a"),
    ("usher", "an"), ("Uber driver", "an"), ("umpire", "an"), ("undertaker", "an"),
    ("upholsterer", "an"), ("urban planner", "an"), ("ultrasound technician", "an"),
    ("unicorn", "a"), ("university professor", "a"), ("union steward", "a"),
    ("user experience designer", "a"), ("urologist", "a"), ("utility worker", "a"),
    ("Ukrainian translator", "a"), ("European", "a"), ("eucalyptus", "a"), ("ewe", "a"),
    ("one-time fee", "a"), ("oncologist", "an"), ("owner", "an"), ("Xbox tester", "an"),
    ("yoga instructor", "a"), ("engineer", "an"), ('"honest" broker', "an"),
])
def test_indefinite_article(phrase: str, expected: str) -> None:
    assert indefinite_article(phrase) == expected


@pytest.mark.parametrize(("items", "oxford", "conj", "expected"), [
    ([], False, "and", ""), ([], True, "and", ""),
    (["nurses"], False, "and", "nurses"), (["nurses"], True, "and", "nurses"),
    (["nurses", "doctors"], False, "and", "nurses and doctors"),
    (["nurses", "doctors"], True, "and", "nurses and doctors"),
    (["a", "b", "c"], False, "and", "a, b and c"), (["a", "b", "c"], True, "and", "a, b, and c"),
    (["a", "b", "c", "d"], False, "and", "a, b, c and d"),
    (["a", "b", "c", "d"], True, "and", "a, b, c, and d"),
    (["a", "b"], False, "or", "a or b"), (["a", "b", "c"], True, "or", "a, b, or c"),
    (("Python", "SQL", "Excel"), False, "and", "Python, SQL and Excel"),
    (["lead technicians'", "software support technicians'"], True, "and",
     "lead technicians' and software support technicians'"),
])
def test_join(items: list[str], oxford: bool, conj: str, expected: str) -> None:
    assert join(items, oxford=oxford, conj=conj) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("lead technicians and nurses", "Lead technicians and nurses"),
    ("iOS developers earn more", "iOS developers earn more"),
    ("eBay sellers", "eBay sellers"),
    ("UX designers", "UX designers"),
    ("McKinsey consultants", "McKinsey consultants"),
    ("x-ray technicians", "X-ray technicians"),
    ("8th grade teachers", "8th grade teachers"),
    ('"quoted" words', '"Quoted" words'),
    ("élan", "Élan"),
    ("a", "A"),
    ("", ""),
])
def test_sentence_case(text: str, expected: str) -> None:
    assert sentence_case(text) == expected


@pytest.mark.parametrize(("phrase", "flag", "expected"), [
    ("boss", None, "boss's"), ("actress", None, "actress's"), ("bosses", None, "bosses'"),
    ("salesperson", None, "salesperson's"), ("salespeople", None, "salespeople's"),
    ("director of operations", None, "director of operations's"),
    ("attorney general", None, "attorney general's"), ("RN", None, "RN's"),
    ("technician's helper", None, "technician's helper's"), ("children", None, "children's"),
    ("gambling change persons", None, "gambling change persons'"),
    ("boss", False, "boss's"), ("sales", True, "sales'"), ("people", True, "people's"),
    ("lead technicians", False, "lead technicians's"),
])
def test_possessive(phrase: str, flag: bool | None, expected: str) -> None:
    assert possessive(phrase, plural=flag) == expected


@pytest.mark.parametrize(("title", "expected"), [
    ("speech-language pathologist", "Speech-Language Pathologist"),
    ("point-of-sale clerk", "Point-of-Sale Clerk"),
    ("over-the-road truck driver", "Over-the-Road Truck Driver"),
    ("editor in chief", "Editor in Chief"),
    ("K-12 education administrator", "K-12 Education Administrator"),
    ("e-commerce manager", "E-Commerce Manager"),
    ("head of people and culture", "Head of People and Culture"),
    ("software engineer (backend)", "Software Engineer (Backend)"),
    ("DevOps engineer", "DevOps Engineer"),
    ("of counsel", "Of Counsel"),
])
def test_display_title_more(title: str, expected: str) -> None:
    assert display_title(title) == expected


@pytest.mark.parametrize(("word", "expected"), [
    ("thief", "thieves"), ("staff", "staff"), ("personnel", "personnel"), ("data", "data"),
    ("boss", "bosses"), ("coach", "coaches"), ("tech", "techs"), ("hero", "heroes"),
    ("maestro", "maestros"), ("sheriff", "sheriffs"), ("chief", "chiefs"),
    ("secretary", "secretaries"), ("attorney", "attorneys"), ("matrix", "matrices"),
    ("analysis", "analyses"), ("mine", "mines"), ("golf", "golfs"), ("fish", "fish"),
    ("cattleman", "cattlemen"), ("human", "humans"), ("Salary", "Salaries"),
    ("Salesperson", "Salespeople"), ("NURSE", "NURSES"), ("DJ", "DJs"), ("HVACs", "HVACs"),
    ("busboy", "busboys"), ("caddie", "caddies"), ("protégé", "protégés"),
])
def test_plural_words(word: str, expected: str) -> None:
    assert plural(word) == expected


@pytest.mark.parametrize("function", [plural, indefinite_article, possessive, display_title])
@pytest.mark.parametrize("empty", ["", "   "])
def test_empty_input_is_a_programming_error(function: Callable[[str], str],
                                             empty: str) -> None:
    with pytest.raises(ValueError):
        function(empty)


def test_untabled_word_falls_back_to_inflect() -> None:
    assert "portmanteau" not in json.loads(grammar.TABLE_PATH.read_text(encoding="utf-8"))
    assert plural("portmanteau") == grammar.inflect_plural("portmanteau")
    assert plural("kibbutz") == "kibbutzes"  # our own rule, no inflect needed


def test_cold_start_does_not_import_inflect() -> None:
    code = ("import sys, narrator.grammar as g; g.plural('lead technician'); "
            "g.with_article('HVAC technician'); g.possessive(g.plural('accountant and auditor')); "
            "g.display_title('lead technician'); assert 'inflect' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_shipped_table() -> None:
    raw = grammar.TABLE_PATH.read_bytes()
    assert len(raw) < 300_000
    table = json.loads(raw)
    assert list(table) == sorted(table) and len(table) > 2000
    assert all(k.isalpha() and k == k.lower() and v for k, v in table.items())
    assert table["technician"] == "technicians" and table["criterion"] == "criteria"
    assert "datas" not in table.values() and "staffs" not in table.values()


@pytest.mark.slow
def test_shipped_table_is_up_to_date() -> None:
    script = ROOT / "tools" / "build_inflections.py"
    result = subprocess.run([sys.executable, str(script), "--check"], capture_output=True,
                            text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("module", [nouns, articles, text])
def test_docstring_examples(module) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
