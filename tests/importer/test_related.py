"""Activity profiles and the relatedness score (issue 23): O*NET's detailed work activities
(DWAs) per job, and how much two jobs' work overlaps."""

from __future__ import annotations

import itertools
import json

import pytest

from narrator.errors import SourceError
from narrator.importer.related import (
    FLOOR,
    PER_JOB,
    TITLE_WEIGHT,
    choose_pairs,
    levels,
    relatedness,
    title_words,
    weights,
)
from narrator.importer.tasks import Task, activity_profile, read_activity_titles
from tests.conftest import ROOT

HEADER = "O*NET-SOC Code,Title,Task ID,Task,DWA ID,DWA Title,Date,Domain Source,GWA\r\n"


def task(n: int, *dwas: str) -> Task:
    return Task(n, "47-2021.00", f"task {n}", tuple(sorted(dwas)),
                frozenset(".".join(d.split(".")[:5]) for d in dwas))


D1, D2, D3 = "4.A.3.a.3.I04.D01", "4.A.3.a.3.I04.D02", "4.A.2.b.1.I01.D05"
TITLES = {D1: "Install masonry materials.", D2: "Mix substances.", D3: "Review blueprints."}


def test_the_profile_puts_the_activity_most_tasks_share_first() -> None:
    profile = activity_profile([task(1, D3, D2), task(2, D2), task(3, D1, D2)], TITLES)
    assert profile == [{"id": D2, "text": "mix substances"},  # three tasks
                       {"id": D3, "text": "review blueprints"},  # one each: by DWA ID
                       {"id": D1, "text": "install masonry materials"}]


def test_activity_titles_are_read_and_a_second_title_is_an_error(tmp_path) -> None:
    row = '47-2021.00,Brickmasons,1,"Lay brick.",{},"{}",07/2014,x,4.A.3.a.3\r\n'
    data = (HEADER + row.format(D1, "Install masonry materials.")).encode("utf-8-sig")
    assert read_activity_titles(data) == {D1: "Install masonry materials."}
    clash = data + row.format(D1, "Something else.").encode()
    with pytest.raises(SourceError, match=f"DWA {D1} has two titles"):
        read_activity_titles(clash, tmp_path / "Task_DWA.csv")


OTHER = "4.A.1.a.1.I02.D01"
# a toy set of four jobs: D1 and D2 (one IWA) each in one profile, D3 and OTHER in two
SET = [levels([D1, D2, D3]), levels([D3, OTHER]), levels([OTHER]), levels(["4.A.4.a.1.I01.D01"])]


@pytest.mark.parametrize(("a", "b", "score"), [
    ([D1, D2, D3], [D1, D2, D3], 1.0),  # the same work
    ([D1, D2, D3], [], 0.0),  # no profile: no claim of relatedness
    ([D1], [OTHER], 0.0),  # nothing shared at any level
    ([D1], [D2], 0.4),  # another DWA of the same IWA and GWA: 0.3 x 1 + 0.1 x 1
    ([D1, D2, D3], [D3, OTHER], 0.268),  # D3 shared: weight ln(4/2)^2 against ln(4/1)^2
])
def test_relatedness(a, b, score) -> None:
    w = weights(SET)
    assert relatedness(levels(a), levels(b), w) == relatedness(levels(b), levels(a), w) == score


def test_shared_rare_work_counts_more_than_shared_common_work() -> None:
    """x shares a rare activity with y and a common one (in ten profiles) with z: y is nearer."""
    common, rare = "4.A.2.b.1.I01.D05", "4.A.3.a.3.I04.D01"
    x = levels([common, rare, "4.A.1.a.1.I01.D01"])
    y = levels([rare, "4.A.1.a.2.I01.D01", "4.A.1.a.3.I01.D01"])
    z = levels([common, "4.A.1.a.4.I01.D01", "4.A.1.b.1.I01.D01"])
    w = weights([x, y, z, *(levels([common, f"4.A.4.a.1.I01.D0{i}"]) for i in range(1, 9))])
    assert relatedness(x, y, w) > relatedness(x, z, w) > 0


def test_real_pairs_are_scored_by_shared_work() -> None:
    """On the shipped data: masons score high with each other, low with chief executives; the
    score on each pair line is the score of its two jobs' profiles."""
    jobs = {j["id"]: j for j in map(json.loads, open(ROOT / "data/bls/jobs.jsonl"))}
    pairs = {p["id"]: p for p in map(json.loads, open(ROOT / "data/bls/pairs.jsonl"))}
    profile = {i: levels(a["id"] for a in jobs[i].get("activities", ())) for i in jobs}
    w = weights(profile.values())
    for pair in list(pairs.values())[::17]:
        assert pair["score"] == relatedness(profile[pair["a"]], profile[pair["b"]], w)
    mine = sorted((p["score"], i) for i, p in pairs.items() if "brickmason" in (p["a"], p["b"]))
    assert mine[-1][1] == "brickmason-vs-tile-and-stone-setter"
    assert "brickmason-vs-stonemason" in [i for _, i in mine]
    masons = relatedness(profile["brickmason"], profile["cement-mason-or-concrete-finisher"], w)
    assert masons > 3 * relatedness(profile["brickmason"], profile["chief-executive"], w)
    shared = ({a["text"] for a in jobs["brickmason"]["activities"]}
              & {a["text"] for a in jobs["cement-mason-or-concrete-finisher"]["activities"]})
    assert "install masonry materials" in shared
    with_profile = sum(bool(j.get("activities")) for j in jobs.values())
    assert with_profile >= 770  # the jobs with O*NET tasks (783) less those without DWAs


# --- which pairs are published -----------------------------------------------------------
A, B, C, E = "4.A.3.a.3.I04.D01", "4.A.3.a.3.I04.D02", "4.A.2.b.1.I01.D05", "4.A.1.a.1.I02.D01"


@pytest.mark.parametrize(("title", "words"), [
    ("Dental Hygienists", {"dental", "hygienist"}),
    ("Cement Masons and Concrete Finishers", {"cement", "mason", "concrete", "finisher"}),
    ("Buyers, except farm products, all other", {"buyer", "farm", "product"}),
    ("Glass Blowers, Molders, Benders, and Finishers", {"glass", "blower", "molder", "bender",
                                                        "finisher"}),
    ("Business Process Analyst", {"business", "process", "analyst"}),  # -ss is not a plural
    ("IT Managers", {"manager"}),  # a word of two letters names no line of work
    ("Art Directors", {"art", "director"}),  # one of three may
])
def test_title_words(title, words) -> None:
    assert title_words(title) == words


def choose(jobs: dict[str, tuple[list[str], str]]) -> list[tuple[str, str]]:
    ids = list(jobs)
    profiles = {i: levels(dwas) for i, (dwas, _) in jobs.items()}
    return choose_pairs(ids, profiles, weights(profiles.values()),
                        {i: title for i, (_, title) in jobs.items()})


def test_pairs_above_the_floor_only_and_in_set_order() -> None:
    chosen = choose({"mason": ([A, B, C], "Brickmasons"), "setter": ([A, B], "Tile Setters"),
                     "clerk": ([E], "File Clerks"), "typist": ([E, C], "Typists"),
                     "pilot": (["4.A.4.a.1.I01.D01"], "Pilots")})
    assert chosen == [("mason", "setter"), ("mason", "typist"), ("clerk", "typist")]


def test_a_shared_title_word_lifts_a_pair_over_the_floor() -> None:
    """Two jobs whose work overlaps a little: their pair is published when their titles share a
    rare word (dental hygienists and dental assistants), not otherwise."""
    others = {f"other{i}": ([f"4.A.4.b.{i % 9 + 1}.I0{i // 9 + 1}.D01"], f"Worker{letter}s")
              for i, letter in enumerate("bcdefghij", 1)}
    apart = {"hyg": ([A, B, C, "4.A.4.a.2.I01.D01"], "Hygienists"),
             "asst": ([E, "4.A.4.a.2.I01.D02"], "Assistants"), **others}
    named = {"hyg": (apart["hyg"][0], "Dental Hygienists"),
             "asst": (apart["asst"][0], "Dental Assistants"), **others}
    profiles = {i: levels(d) for i, (d, _) in apart.items()}
    score = relatedness(profiles["hyg"], profiles["asst"], weights(profiles.values()))
    assert 0 < score < FLOOR < score + TITLE_WEIGHT
    assert ("hyg", "asst") not in choose(apart)
    assert ("hyg", "asst") in choose(named)


def test_each_job_keeps_its_best_and_a_pair_needs_only_one_side() -> None:
    """Ten jobs sharing some work, beside five that share none: a job's pairs are its PER_JOB
    nearest, plus any pair in which it is among the other job's nearest."""
    names = "Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa".split()
    pool = [f"4.A.{g}.a.1.I01.D0{k}" for g in (1, 2, 3) for k in (1, 2)]
    combos = list(itertools.combinations(pool, 3))  # each job does three of six activities
    jobs = {name: (list(combos[i * 7 % 20]), name + "s") for i, name in enumerate(names)}
    jobs |= {f"out{i}": ([f"4.A.4.b.{i}.I01.D01"], f"Outs{'vwxyz'[i]}") for i in range(5)}
    chosen = choose(jobs)
    profiles = {i: levels(d) for i, (d, _) in jobs.items()}
    w = weights(profiles.values())
    score = {(i, j): relatedness(profiles[i], profiles[j], w) for i in jobs for j in jobs}
    nearest = {i: [j for j in sorted(names, key=lambda j: (-score[i, j], names.index(j)))
                   if j != i and score[i, j] >= FLOOR][:PER_JOB] for i in names}
    expected = {tuple(sorted((i, j), key=list(jobs).index)) for i in names for j in nearest[i]}
    assert set(chosen) == expected and len(chosen) == 35  # of 45
    assert any((j in nearest[i]) != (i in nearest[j]) for i, j in chosen)  # one side wants it


def test_title_words_weigh_their_rarity_squared() -> None:
    """Ten jobs sharing no work; "dental" is in two titles, "worker" and "helper" in four each.
    Dental workers and dental helpers overlap ln(10/2)^2 / (ln(10/2)^2 + ln(10/4)^2) = 2.590 /
    3.430 = 0.755, ranking 0.3 x 0.755 = 0.227 >= FLOOR (unsquared, 0.637 and 0.191 would not);
    farm and mill workers share only the common word: 0.840 / 6.142 = 0.137, ranking 0.041."""
    titles = ["Dental Workers", "Dental Helpers", "Farm Workers", "Mill Workers", "Road Workers",
              "Kitchen Helpers", "Stage Helpers", "Lab Helpers", "Tailors", "Jewelers"]
    chosen = choose({f"j{n}": ([f"4.A.{n // 5 + 1}.a.{n % 5 + 1}.I01.D01"], title)
                     for n, title in enumerate(titles)})
    assert chosen == [("j0", "j1")]


def test_the_floor_holds_at_exactly_floor_after_rounding_to_3_places() -> None:
    """a does IWA I (GWA G); b does I and J (GWA H), no DWA in common. Of ten jobs, I is in 4, J
    in 3, G in 8 (four more do IWA I2 of G), H in 3: IWA overlap sqrt(ln(10/4)^2 /
    (ln(10/4)^2 + ln(10/3)^2)) = sqrt(0.8396 / 2.2891) = 0.6056, GWA overlap sqrt(0.0498 /
    1.4993) = 0.1822; 0.3 x 0.6056 + 0.1 x 0.1822 = 0.19991, rounded 0.2: the pair is kept."""
    i, i2, j = "4.A.1.a.1.I01", "4.A.1.a.1.I02", "4.A.2.a.1.I01"
    jobs = {"a": [f"{i}.D01"], "b": [f"{i}.D02", f"{j}.D01"],
            "i1": [f"{i}.D10"], "i2": [f"{i}.D11"], "j1": [f"{j}.D10"], "j2": [f"{j}.D11"],
            **{f"g{k}": [f"{i2}.D1{k}"] for k in range(4)}}
    words = "Alphas Betas Gammas Deltas Epsilons Zetas Etas Thetas Iotas Kappas".split()
    chosen = choose({name: (dwas, word) for (name, dwas), word in zip(jobs.items(), words)})
    assert ("a", "b") in chosen


def test_a_job_without_activities_is_in_no_pair() -> None:
    """No activities: an overlap of 0 with every job (not 1, and no division by zero)."""
    chosen = choose({"mason": ([A, B, C], "Brickmasons"), "setter": ([A, B], "Tile Setters"),
                     "idle": ([], "Idlers")})
    assert chosen == [("mason", "setter")]
