"""How related two occupations are, by the work O*NET says they do (issue 23).

Each job's activity profile (``tasks.activity_profile``) is a set of O*NET detailed work
activities (DWAs, about 2,000 in all). A DWA ID carries its place in O*NET's hierarchy:
``4.A.2.a.4.I09.D03`` is DWA D03 of the intermediate work activity (IWA) ``4.A.2.a.4.I09``, of
the generalized work activity (GWA) ``4.A.2.a.4`` (37 in all). Two jobs that share DWAs do the
same specific work (brickmasons and cement masons both "install masonry materials"); jobs that
share only IWAs or GWAs do the same kind of work.

``relatedness`` is the weighted sum, over the three levels, of the two jobs' weighted cosine
overlap: each activity weighs its inverse document frequency, log(jobs / jobs having it), so
work that few jobs share ("install masonry materials") says more than work most do ("maintain
records"); the overlap is the shared weight over the geometric mean of the two jobs' weights
(1 for the same set, 0 for nothing in common, not inflated by a long profile). DWAs count 0.6,
IWAs 0.3, GWAs 0.1: the specific work most, the broad kind of work as a tiebreak. Rounded to 3
decimals; 0 when either job has no activities. Symmetric and deterministic.
"""

from __future__ import annotations

import heapq
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

#: (level, weight): the share of the score each level of O*NET's activity hierarchy carries.
WEIGHTS = (("dwa", 0.6), ("iwa", 0.3), ("gwa", 0.1))
SCORE_RULE = ("relatedness = 0.6 x DWA overlap + 0.3 x IWA overlap + 0.1 x GWA overlap; each "
              "overlap a cosine over the two jobs' activity sets, an activity weighted by "
              "log(jobs / jobs having it) squared (0 to 1); rounded to 3 decimals")

Profile = dict[str, frozenset[str]]
Weights = dict[str, dict[str, float]]


def levels(dwas: Iterable[str]) -> Profile:
    """A job's DWA IDs, and the IWAs and GWAs they belong to."""
    ids = frozenset(dwas)
    return {"dwa": ids,
            "iwa": frozenset(d.rsplit(".", 1)[0] for d in ids),
            "gwa": frozenset(".".join(d.split(".")[:5]) for d in ids)}


def weights(profiles: Iterable[Profile]) -> Weights:
    """Per level, each activity's inverse document frequency over ``profiles``, squared."""
    profiles = list(profiles)
    jobs = len(profiles)
    return {level: {k: math.log(jobs / n) ** 2
                    for k, n in Counter(x for p in profiles for x in p[level]).items()}
            for level, _ in WEIGHTS}


def _overlap(x: frozenset[str], y: frozenset[str], w: Mapping[str, float]) -> float:
    norm = math.sqrt(sum(w[k] for k in x) * sum(w[k] for k in y))
    return sum(w[k] for k in x & y) / norm if norm else 0.0


def relatedness(a: Profile, b: Profile, w: Weights) -> float:
    """``SCORE_RULE`` for two jobs' ``levels``, by the ``weights`` of the whole set.

    >>> mason = levels(["4.A.3.a.3.I04.D01", "4.A.3.a.3.I04.D02", "4.A.2.b.1.I01.D05"])
    >>> clerk = levels(["4.A.2.b.1.I01.D05", "4.A.1.a.1.I02.D01"])
    >>> w = weights([mason, clerk, levels(["4.A.1.a.1.I02.D01"]), levels(["4.A.4.a.1.I01.D01"])])
    >>> relatedness(mason, mason, w), relatedness(mason, levels([]), w)
    (1.0, 0.0)
    >>> relatedness(mason, clerk, w) == relatedness(clerk, mason, w) == 0.268
    True
    """
    return round(sum(k * _overlap(a[level], b[level], w[level]) for level, k in WEIGHTS), 3)


# ---------------------------------------------------------------------------------------------
# Which pairs to publish (importer --pairs related)
# ---------------------------------------------------------------------------------------------

#: Each job's most related jobs, ranked by relatedness plus TITLE_WEIGHT x the overlap of their
#: titles' words; a pair is kept when it is among either job's PER_JOB best and ranks >= FLOOR.
PER_JOB = 6
FLOOR = 0.2
TITLE_WEIGHT = 0.3
PAIR_RULE = (f"each job's {PER_JOB} best-ranked other jobs (rank = relatedness + {TITLE_WEIGHT} "
             f"x title overlap, the overlap a cosine over the two titles' words weighted like "
             f"the activities), across SOC groups, when the rank is at least {FLOOR}; "
             f"residual 'all other' occupations left out; each pair once, the job with the "
             f"lower SOC code first")

_STOP = frozenset("and or of the all other except in for to with on at by as including".split())


def title_words(title: str) -> frozenset[str]:
    """The words of a job title that can name its line of work ("Dental Hygienists" ->
    dental, hygienist): lower case, crude singular, no connectives."""
    words = (w.lower() for w in re.findall(r"[A-Za-z]+", title))
    return frozenset(w[:-1] if w.endswith("s") and not w.endswith("ss") else w
                     for w in words if len(w) > 2 and w not in _STOP)


def choose_pairs(ids: Sequence[str], profiles: Mapping[str, Profile], w: Weights,
                 titles: Mapping[str, str]) -> list[tuple[str, str]]:
    """``PAIR_RULE`` over ``ids`` (in SOC order), relatedness by the ``weights`` ``w``: the pairs
    (a, b), a before b in ``ids``, in that order."""
    words = {i: title_words(titles[i]) for i in ids}
    df = Counter(x for i in ids for x in words[i])
    tw = {x: math.log(len(ids) / n) ** 2 for x, n in df.items()}
    norms = {i: {level: sum(w[level][k] for k in profiles[i][level]) for level, _ in WEIGHTS}
             | {"title": sum(tw[x] for x in words[i])} for i in ids}

    def share(x: frozenset[str], y: frozenset[str], wl: Mapping[str, float], nx: float,
              ny: float) -> float:
        return sum(wl[k] for k in x & y) / math.sqrt(nx * ny) if nx and ny else 0.0

    best: dict[int, list[tuple[float, int]]] = {i: [] for i in range(len(ids))}
    for (i, a), (j, b) in itertools.combinations(enumerate(ids), 2):
        pa, pb, na, nb = profiles[a], profiles[b], norms[a], norms[b]
        s = round(sum(k * share(pa[lv], pb[lv], w[lv], na[lv], nb[lv]) for lv, k in WEIGHTS), 3)
        rank = s + TITLE_WEIGHT * share(words[a], words[b], tw, na["title"], nb["title"])
        if rank >= FLOOR:
            best[i].append((-rank, j))
            best[j].append((-rank, i))
    kept = {(min(i, j), max(i, j)) for i, ranked in best.items()
            for _, j in heapq.nsmallest(PER_JOB, ranked)}
    return [(ids[i], ids[j]) for i, j in sorted(kept)]
