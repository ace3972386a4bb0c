"""The fact audit's table of claim shapes (tests/fact_audit.py reads them): each sentence shape
the editorial style writes with a figure in it, and the checks the sentence asserts ("hi J1":
J1 is the better-paid job; "more p1": p1 is the pay gap in % of the lower figure; ...; see
fact_audit.CHECKS). A new wording needs its shape here, or the audit reports it unrecognised.

{J1} a job, {P1} a place, {$1} money, {n1} a count, {%1} a percentage, {x1} a multiple
("twice", "2.7 times"), {q1} a decimal, {per}/{unit1} "a year" or "an hour"; {avg} "at the
median" or "on average", {stat} "median"/"average", {astat} "a median"/"an average" (checked
against the figures the gap compares).
"""

from __future__ import annotations

PAY = [  # the intro's pay sentences, the meta description's and the SEO title's
    ("{J1} earn the same as {J2} {avg}: {$1} {per}.", "equal; avg J1 m1; avg J2 m1; per per"),
    ("There is no pay gap: {J1} earn {$1} {per} {avg}, exactly as much as {J2}.",
     "equal; avg J1 m1; per per"),
    ("{J1} earn about as much as {J2}: the gap in {stat} pay is {$1} {per} ({%1}) in favor of "
     "{J3}.",
     "about; diff m1; per per; more p1; hi J3"),
    ("Pay is close: {J1} earn {$1} ({%1}) more {per} than {J2} {avg}.",
     "about; hi J1; lo J2; diff m1; more p1; per per"),
    ("{J1} make only {$1} {per} more than {J2} {avg}, a gap of {%1}.",
     "about; hi J1; lo J2; diff m1; more p1; per per"),
    ("{J1} earn {x1} as much as {J2} {avg}: {$1} {per} against {$2}.",
     "hi J1; lo J2; times x1; avg J1 m1; avg J2 m2; per per"),
    ("The pay gap is very wide: {J1} earn {astat} of {$1} {per}, {x1} the {$2} of {J2}.",
     "hi J1; lo J2; times x1; avg J1 m1; avg J2 m2; per per"),
    ("At {astat} of {$1} {per}, {J1} earn {x1} as much as {J2} ({$2}).",
     "hi J1; lo J2; times x1; avg J1 m1; avg J2 m2; per per"),
    ("{J1} earn {$1} ({%1}) more {per} than {J2} {avg}.",
     "hi J1; lo J2; diff m1; more p1; per per"),
    ("{J1} earn {$1} ({%1}) more {per} than {J2} {avg}, comparing hourly wages.",
     "hi J1; lo J2; diff m1; more p1; per per"),
    ("{J1} earn {$1} ({%1}) less {per} than {J2} {avg}.",
     "lo J1; hi J2; diff m1; less p1; per per"),
    ("The pay gap is modest: {J1} earn {$1} ({%1}) less {per} than {J2} {avg}.",
     "lo J1; hi J2; diff m1; less p1; per per"),
    ("The gap in pay is large: {J1} earn {$1} ({%1}) less {per} than {J2} {avg}.",
     "lo J1; hi J2; diff m1; less p1; per per"),
    ("{J1} have a small edge in pay: {astat} of {$1} {per} against {$2} for {J2}.",
     "hi J1; lo J2; avg J1 m1; avg J2 m2; per per"),
    ("The pay gap is modest: {J1} earn {$1} less {per} than {J2} {avg} ({$2} against {$3}).",
     "lo J1; hi J2; diff m1; avg J1 m2; avg J2 m3; per per"),
    ("{avg}, {J1} are paid {$1} more {per} than {J2}, a gap of {%1}.",
     "hi J1; lo J2; diff m1; more p1; per per"),
    ("{J1} out-earn {J2} by {%1}: {astat} of {$1} {per} against {$2}.",
     "hi J1; lo J2; more p1; avg J1 m1; avg J2 m2; per per"),
    ("{J1} earn considerably more than {J2}: {astat} of {$1} {per} against {$2}, a gap of {$3} "
     "({%1}).", "hi J1; lo J2; avg J1 m1; avg J2 m2; diff m3; more p1; per per"),
    ("The gap in pay is large: {J1} earn {$1} less {per} than {J2} {avg} ({$2} against {$3}).",
     "lo J1; hi J2; diff m1; avg J1 m2; avg J2 m3; per per"),
    ("{J1} earn far more than {J2}, {%1} more {avg}: {$1} {per} against {$2}.",
     "hi J1; lo J2; more p1; avg J1 m1; avg J2 m2; per per"),
    ("Pay differs widely: at {astat} of {$1} {per}, {J1} earn {$2} more than {J2} ({$3}).",
     "hi J1; lo J2; avg J1 m1; diff m2; avg J2 m3; per per"),
    ("{J1} earn {$1} a year {avg}; there is no annual figure for {J2} to compare it with.",
     "only J1 m1 J2"),
    ("{J1} earn {astat} of {$1} a year; there is no annual figure for {J2} to compare it with.",
     "only J1 m1 J2"),
    ("The averages (means) point the other way: {J1} earn {$1} {per} on average against {$2}.",
     "mean_flip J1 m1 m2; per per"),
    # meta description
    ("{J1} earn about as much as {J2}.", "about"),
    ("{J1} earn {%1} more than {J2} ({$1} vs {$2}).",
     "hi J1; lo J2; more p1; avg J1 m1; avg J2 m2; mean"),
    ("{J1} earn {x1} as much as {J2} ({$1} vs {$2}).",
     "hi J1; lo J2; times x1; avg J1 m1; avg J2 m2; mean"),
    ("{J1} earn {%1} more than {J2} ({$1} vs {$2} {per}).",
     "hi J1; lo J2; more p1; avg J1 m1; avg J2 m2; per per; mean"),
    ("{J1} earn {x1} as much as {J2} ({$1} vs {$2} {per}).",
     "hi J1; lo J2; times x1; avg J1 m1; avg J2 m2; per per; mean"),
    ("{J1} earn {%1} more than {J2} ({stat} {$1} vs {$2}).",
     "hi J1; lo J2; more p1; avg J1 m1; avg J2 m2"),
    ("{J1} earn {x1} as much as {J2} ({stat} {$1} vs {$2}).",
     "hi J1; lo J2; times x1; avg J1 m1; avg J2 m2"),
    ("{J1} earn {%1} more than {J2} ({stat} {$1} vs {$2} {per}).",
     "hi J1; lo J2; more p1; avg J1 m1; avg J2 m2; per per"),
    ("{J1} earn {x1} as much as {J2} ({stat} {$1} vs {$2} {per}).",
     "hi J1; lo J2; times x1; avg J1 m1; avg J2 m2; per per"),
    ("{J1} earn {%1} more than {J2}.", "hi J1; lo J2; more p1"),
    ("{J1} earn {x1} as much as {J2}.", "hi J1; lo J2; times x1"),
    ("{J1} hold {%1} more jobs.", "bigger J1; jratio p1"),
    ("{J1} hold {x1} as many jobs.", "bigger J1; jratio x1"),
    # SEO title
    ("{J1} vs {J2}: {J3} Earns {%1} More", "hi J3; more p1"),
    ("{J1} vs {J2}: {%1} Pay Gap", "more p1"),
    ("{J1} vs {J2}: {J3} Earns {x1} the Pay", "hi J3; times x1"),
    ("{J1} vs {J2}: {x1} the Pay", "times x1"),
    ("{J1} vs {J2}: {J3} Earns {q1}× the Pay", "hi J3; times q1"),
    ("{J1} vs {J2}: {q1}× the Pay", "times q1"),
    ("{J1} vs {J2}: Similar Pay", "similar"),
]
SIZE = [
    ("There are {%1} more {J1} than {J2}: {n1} jobs against {n2}.", "big J1 n1 J2 n2; jratio p1"),
    ("{J1} outnumber {J2} by {%1}: {n1} jobs against {n2}.", "big J1 n1 J2 n2; jratio p1"),
    ("With {n1} jobs, {J1} are {%1} more numerous than {J2} ({n2}).",
     "big J1 n1 J2 n2; jratio p1"),
    ("There are {x1} as many {J1} as {J2}: {n1} jobs against {n2}.", "big J1 n1 J2 n2; jratio x1"),
    ("{J1} hold {n1} jobs, {x1} as many as {J2} ({n2}).", "big J1 n1 J2 n2; jratio x1"),
    ("{J1} are the larger group: {n1} jobs, {x1} as many as {J2} ({n2}).",
     "big J1 n1 J2 n2; jratio x1"),
    ("{J1} far outnumber {J2}: {n1} jobs against only {n2}.", "big J1 n1 J2 n2; far"),
    ("For every {J2} there are about {n3} {J1}: {n1} jobs against {n2}.",
     "big J1 n1 J2 n2; every n3"),
    ("For every {J2} there are about {n3} {J1} ({n1} jobs against {n2}).",
     "big J1 n1 J2 n2; every n3"),
    ("There are about as many {J1} as {J2}: {n1} jobs against {n2}.",
     "as_many; jobs J1 n1; jobs J2 n2"),
    ("The two jobs employ about as many people: {n1} {J1} against {n2} {J2}.",
     "as_many; jobs J1 n1; jobs J2 n2"),
    ("The better-paid job is also the larger one.", "pay_size larger"),
    ("{J1} are both better paid and more numerous.", "pay_size larger; hi J1"),
    ("Higher pay and more jobs go together here: both favor {J1}.", "pay_size larger; hi J1"),
    ("The better-paid job is the smaller one.", "pay_size smaller"),
    ("{J1} are more numerous but earn less.", "pay_size smaller; lo J1"),
    ("Fewer people do the better-paid job.", "pay_size smaller"),
]
RANGES = [
    ("The ranges do not overlap: the 90th percentile of {J1} ({$1}) is below the 10th percentile "
     "of {J2} ({$2}).", "p90 J1 m1; p10 J2 m2; lt m1 m2"),
    ("Even at the 90th percentile, {J1} earn {$1}, less than the {$2} that marks the 10th "
     "percentile of {J2}.", "p90 J1 m1; p10 J2 m2; lt m1 m2"),
    ("The ranges overlap widely: the 90th percentile of {J1} ({$1}) is above {$2}, the {stat} "
     "for {J2}.", "p90 J1 m1; avg J2 m2; gt m1 m2"),
    ("The top of the range for {J1} ({$1}) lies above the {stat} pay of {J2} ({$2}).",
     "p90 J1 m1; avg J2 m2; gt m1 m2"),
    ("The ranges overlap: the 90th percentile of {J1} ({$1}) lies between the 10th percentile of "
     "{J2} ({$2}) and their {stat} ({$3}).",
     "p90 J1 m1; p10 J2 m2; avg J2 m3; gt m1 m2; lt m1 m3"),
    ("At the 90th percentile, {J1} earn {$1}: more than the lowest-paid tenth of {J2} ({$2}), but "
     "less than their {stat} ({$3}).", "p90 J1 m1; p10 J2 m2; avg J2 m3; gt m1 m2; lt m1 m3"),
    ("Pay is spread about as widely in both jobs: {$1} separate the 10th and 90th percentiles for "
     "{J1}, {$2} for {J2}.", "width J1 m1; width J2 m2; same_width m1 m2"),
    ("Both ranges are about as wide: {$1} from the 10th to the 90th percentile for {J1}, {$2} for "
     "{J2}.", "width J1 m1; width J2 m2; same_width m1 m2"),
    ("Pay varies more among {J1}: {$1} separate their 10th and 90th percentiles, against {$2} for "
     "{J2}.", "width J1 m1; width J2 m2; gt m1 m2"),
    ("{J2} are paid more evenly: their range spans {$2} from the 10th to the 90th percentile, "
     "against {$1} for {J1}.", "width J1 m1; width J2 m2; gt m1 m2"),
    ("The range is wider for {J1}, whose 10th and 90th percentiles are {$1} apart; for {J2} they "
     "are {$2} apart.", "width J1 m1; width J2 m2; gt m1 m2"),
]
PLACES = [
    ("Both jobs pay best in {P1}: {J1} earn {$1} {unit1} on average there, {J2} {$2} {unit2}.",
     "place J1 P1 state m1; place J2 P1 state m2; unit J1 unit1; unit J2 unit2"),
    ("{P1} is the best-paying state for both: {$1} {unit1} on average for {J1}, {$2} {unit2} for "
     "{J2}.", "place J1 P1 state m1; place J2 P1 state m2; unit J1 unit1; unit J2 unit2"),
    ("{J1} earn the most in {P1} ({$1} {unit1} on average), {J2} in {P2} ({$2} {unit2}).",
     "place J1 P1 state m1; place J2 P2 state m2; unit J1 unit1; unit J2 unit2"),
    ("The best-paying state for {J1} is {P1}, at {$1} {unit1} on average; for {J2} it is {P2}, at "
     "{$2} {unit2}.", "place J1 P1 state m1; place J2 P2 state m2; unit J1 unit1; unit J2 unit2"),
    ("{P1} pays {J1} best ({$1} {unit1} on average), while {J2} earn the most in {P2} ({$2} "
     "{unit2}).", "place J1 P1 state m1; place J2 P2 state m2; unit J1 unit1; unit J2 unit2"),
    ("{J1} earn the most in {P1}, at {$1} {unit1} on average.",
     "place J1 P1 state m1; unit J1 unit1"),
    ("Among metro areas, {P1} pays both best: {$1} for {J1}, {$2} for {J2}.",
     "place J1 P1 city m1; place J2 P1 city m2"),
    ("Among metro areas, {P1} pays {J1} best ({$1}), {P2} {J2} ({$2}).",
     "place J1 P1 city m1; place J2 P2 city m2"),
    ("The best-paying metro areas are {P1} for {J1} ({$1}) and {P2} for {J2} ({$2}).",
     "place J1 P1 city m1; place J2 P2 city m2"),
    ("By metro area, pay is highest for {J1} in {P1} ({$1}) and for {J2} in {P2} ({$2}).",
     "place J1 P1 city m1; place J2 P2 city m2"),
    ("Among metro areas, {P1} pays {J1} best ({$1}).", "place J1 P1 city m1"),
    ("{P1} has more of both jobs than any other state: {n1} {J1}, {n2} {J2}.",
     "place J1 P1 jobs_state n1; place J2 P1 jobs_state n2"),
    ("Both jobs are most common in {P1}, with {n1} {J1} and {n2} {J2}.",
     "place J1 P1 jobs_state n1; place J2 P1 jobs_state n2"),
    ("{P1} employs the most {J1} ({n1}), {P2} the most {J2} ({n2}).",
     "place J1 P1 jobs_state n1; place J2 P2 jobs_state n2"),
    ("The state with the most {J1} is {P1} ({n1} jobs); for {J2} it is {P2} ({n2}).",
     "place J1 P1 jobs_state n1; place J2 P2 jobs_state n2"),
    ("{P1} employs the most {J1} ({n1} jobs).", "place J1 P1 jobs_state n1"),
    ("Both jobs are most concentrated in {P1}, where their shares of local employment are {q1} and "
     "{q2} times the national shares.", "place J1 P1 conc q1; place J2 P1 conc q2"),
    ("{J1} are most concentrated in {P1} ({q1} times their national share of jobs), {J2} in {P2} "
     "({q2} times).", "place J1 P1 conc q1; place J2 P2 conc q2"),
    ("{J1} are most concentrated in {P1}, where their share of local employment is {q1} times the "
     "national share.", "place J1 P1 conc q1"),
    ("Relative to its workforce, {P1} has the most {J1}: {q1} times their share of jobs "
     "nationwide.",
     "place J1 P1 conc q1"),
    ("{J1} are most concentrated in {P1}, where they hold {q1} times their national share of jobs.",
     "place J1 P1 conc q1"),
    ("{P1} is the industry employing the most of both: {n1} {J1}, {n2} {J2}.",
     "place J1 P1 industry n1; place J2 P1 industry n2"),
    ("Both jobs are found most in {P1}, which employs {n1} {J1} and {n2} {J2}.",
     "place J1 P1 industry n1; place J2 P1 industry n2"),
    ("The industry employing the most {J1} is {P1} ({n1} jobs); for {J2} it is {P2} ({n2}).",
     "place J1 P1 industry n1; place J2 P2 industry n2"),
    ("{P1} employs more {J1} than any other industry ({n1}), {P2} more {J2} ({n2}).",
     "place J1 P1 industry n1; place J2 P2 industry n2"),
    ("The industry employing the most {J1} is {P1} ({n1} jobs).", "place J1 P1 industry n1"),
]
#: Sentences with figures that are definitions, not claims (the percentiles a range shows).
DEFINITIONS = frozenset({
    "The range runs from the 10th to the 90th percentile of yearly pay: one worker in ten earns "
    "less than its lower figure, one in ten more than its upper one.",
    "Each range runs from the 10th to the 90th percentile of yearly pay: a tenth of workers earn "
    "less than the first figure, and a tenth earn more than the second.",
    "The figures below are the 10th and 90th percentiles of yearly pay, so the middle 80% of "
    "workers earn between them.",
})
