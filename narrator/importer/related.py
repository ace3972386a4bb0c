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

import math
from collections import Counter
from collections.abc import Iterable, Mapping

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
