"""Descriptions for the OEWS aggregate occupations O*NET has no row for.

OEWS publishes 12 aggregates of detailed SOC occupations (13-1020 buyers and purchasing agents
= 13-1021, 13-1022 and 13-1023); O*NET describes only the detailed ones, so the aggregate has
no description of its own. As the task import does (``tasks.tasks_for_socs``), the aggregate
takes the O*NET occupations of its SOC broad group (the same first five digits) that OEWS does
not publish itself, which is BLS's own definition of the aggregate. The description says what
each of them does, in SOC order, with the first sentence of its O*NET description that says
what the work is (a classification note, such as an "All Other" code's, is left out): the
first gets the subject "Some <plural>", the next ones "Others" (SOC occupations do not
overlap). Nothing else is added: "Some buyers and purchasing agents purchase farm products
either for further processing or resale. Others buy merchandise or commodities, …". A member
whose sentence cannot take a subject (it has one of its own) is left out; with no member
left, the aggregate gets no description. ``provenance.json`` lists the O*NET codes each
pooled description is made of (``pooled_descriptions``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from .duties import _NOTE, _with_subject, sentences

RULE = ("an OEWS aggregate without an O*NET description (such as 13-1020, buyers and "
        "purchasing agents) is described by the O*NET occupations of its SOC broad group that "
        "OEWS does not publish (as for its tasks): the first sentence of each one's description, "
        "the first with the subject 'Some <plural>', the next with 'Others'")


def members(soc: str, descriptions: Mapping[str, str], published: Collection[str]) -> list[str]:
    """The 6-digit SOC codes whose O*NET descriptions describe the aggregate ``soc``."""
    return sorted(code for code in descriptions
                  if code[:5] == soc[:5] and code != soc and code not in published)


def pooled_description(soc: str, plural: str, descriptions: Mapping[str, str],
                       published: Collection[str],
                       verbs: Collection[str]) -> tuple[str, list[str]] | None:
    """The aggregate's description and the SOC codes it is made of, or None (see above)."""
    out: list[str] = []
    used: list[str] = []
    for code in members(soc, descriptions, published):
        first = next((s for s in sentences(descriptions[code]) if not _NOTE.search(s)), None)
        if first is None:
            continue
        subject = f"some {plural}" if not out else "others"
        rewritten = _with_subject(first, subject, verbs)
        if rewritten is None:
            continue
        out.append(rewritten)
        used.append(code)
    return (" ".join(out), used) if out else None
