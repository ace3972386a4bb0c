"""Rendering rules as tables: a record situation and the words the article must (not) have."""

from __future__ import annotations

import re

import pytest

from narrator.render.renderer import Renderer
from narrator.schema import Comparison, Job, TimeToQualify
from tests.conftest import job


def pair(a: dict, b: dict) -> Comparison:
    return Comparison(id="a-vs-b", a=job("a", "lead technician", **a),
                      b=job("b", "software support technician", **b))


@pytest.fixture(scope="module")
def renderer():
    return Renderer(locale="en_US")


Y12 = TimeToQualify(min=1, max=2)
M612 = TimeToQualify(min=6, max=12, unit="months")
Y1 = TimeToQualify(min=1, max=1)

CASES = [
    ("higher paid first", {"salary": 1000}, {"salary": 2000},
     "Additionally, a software support technician has an average salary of $2,000, which is "
     "higher than the $1,000 average annual salary of a lead technician."),
    ("equal pay", {"salary": 1000}, {"salary": 1000},
     "Additionally, a lead technician and a software support technician both have an average "
     "salary of $1,000."),
    ("one salary", {}, {"salary": 1000},
     "Additionally, a software support technician has an average salary of $1,000."),
    ("two currencies", {"salary": 1000, "currency": "EUR"}, {"salary": 2000},
     "Additionally, a lead technician has an average salary of €1,000, while a software support "
     "technician earns $2,000 on average."),
    ("same time", {"time_to_qualify": Y12}, {"time_to_qualify": Y12},
     "It typically takes 1-2 years to become both a lead technician and a software support "
     "technician."),
    ("different time", {"time_to_qualify": M612}, {"time_to_qualify": Y12},
     "While it typically takes 6-12 months to become a lead technician, becoming a software "
     "support technician usually requires 1-2 years."),
    ("one year", {"time_to_qualify": Y1}, {},
     "It typically takes 1 year to become a lead technician."),
    ("one skill each", {"skills": ["java"]}, {"skills": ["sql"]},
     "The top skill for a lead technician is java. The most important skill for a software "
     "support technician is sql."),
    ("two skills", {"skills": ["java", "sql"]}, {},
     "The top two skills for a lead technician include java and sql."),
    ("only b has skills", {}, {"skills": ["a", "b", "c", "d"]},
     "The most important skills for a software support technician are a, b, and c."),
    ("top-coded range", {"salary_range": {"min": 80000, "max": 239200, "max_top_coded": True}}, {},
     "| Salary range | Between $80,000 And More Than $239,200 | - |"),
]


@pytest.mark.parametrize("case,a,b,expected", CASES, ids=[c[0] for c in CASES])
def test_wording(renderer, case, a, b, expected):
    import msgspec

    rec = msgspec.convert({"id": "a-vs-b", "a": {"id": "a", "title": "lead technician", **a},
                           "b": {"id": "b", "title": "software support technician", **b}},
                          Comparison)
    md = renderer.render(rec).markdown()
    assert expected in " ".join(md.split(" \n"))


def test_titles_only_gives_a_short_finished_article(renderer):
    art = renderer.render(pair({}, {}))
    assert [sid for sid, _ in art.sections] == ["intro"]
    assert art.markdown() == (
        "# Lead technician vs software support technician\n\n"
        "The differences between lead technicians and software support technicians can be seen "
        "in a few details. Each job has different responsibilities and duties.\n")


@pytest.mark.parametrize("field,value,section", [
    ("description", "Does things.", "description_a"),
    ("major", "Physics", "education"),
    ("lgbt_pct", 5, "demographics"),
    ("best_paying_company", "Acme", "pay"),
    ("jobs", 10, "overview"),
])
def test_a_section_appears_with_its_first_fact(renderer, field, value, section):
    import msgspec

    rec = msgspec.convert({"id": "a-vs-b", "a": {"id": "a", "title": "x", field: value},
                           "b": {"id": "b", "title": "y"}}, Comparison)
    sections = dict(renderer.render(rec).sections)
    assert set(sections) == {"intro", section}
    assert "| - | - |" not in sections[section]   # sparse tables drop empty rows


def test_no_holes_in_sparse_articles(renderer):
    """Whatever subset of facts is present, no sentence has a hole or a doubled space."""
    fields = {"salary": 5, "hourly_rate": 1.5, "growth_pct": -4, "skills": ["x"],
              "time_to_qualify": Y12, "description": "Text."}
    keys = list(fields)
    for mask in range(1 << len(keys)):
        a = {k: fields[k] for i, k in enumerate(keys) if mask >> i & 1}
        b = {k: fields[k] for i, k in enumerate(keys) if not mask >> i & 1}
        md = renderer.render(pair(a, b)).markdown()
        assert not re.search(r"None|  | \.|\{|\}|,,|\n\n\n", md), md


def test_job_values_are_prepared_once(renderer):
    job = Job(id="x", title="x", salary=1)
    assert renderer.view(job) is renderer.view(job)


def test_job_cache_is_bounded(renderer, monkeypatch):
    from narrator.render import renderer as render

    monkeypatch.setattr(render, "MAX_CACHED_JOBS", 3)
    jobs = [Job(id=f"j{i}", title="x") for i in range(10)]
    for j in jobs:
        renderer.view(j)
    assert len(renderer._views) <= 3
    assert renderer.view(jobs[-1]).id == "j9"


# markdown.table: the rows a template hands it, as GFM. Labels are template wording, escaped
# once and remembered; cells arrive escaped; None is "-".
TABLES = [
    ("plain", ("Pay", "$1", "$2"), "| Pay | $1 | $2 |"),
    ("missing cell", ("Pay", None, "$2"), "| Pay | - | $2 |"),
    ("pipe in a label", ("Pay | bonus", "$1", "$2"), "| Pay \\| bonus | $1 | $2 |"),
    ("markup in a label", ("*Pay* <b>", "$1", "$2"), "| \\*Pay\\* \\<b\\> | $1 | $2 |"),
]


@pytest.mark.parametrize("case,row,line", TABLES, ids=[t[0] for t in TABLES])
def test_table_rows(case, row, line):
    from narrator.markdown import table

    for _ in range(2):  # the second time the label comes from the memo
        assert table("A", "B", [row]) == f"| | A | B |\n| --- | --- | --- |\n{line}"


def test_a_table_with_no_data_is_empty():
    from narrator.markdown import table

    assert table("A", "B", [("Pay", None, None), ("Age", None, None)]) == ""


def test_templates_see_exactly_the_listed_context_names(tmp_path):
    """``CONTEXT_NAMES`` (which ``narrate check`` reads) is what a render hands the templates:
    a name added to the render but not to the list would be reported as a typo by check."""
    from jinja2 import pass_context

    from narrator.render.renderer import CONTEXT_NAMES, JOB_CONTEXT_NAMES
    from narrator.render.variants import CONTEXT_NAME as VARIATION

    over = tmp_path / "t" / "comparison"
    over.mkdir(parents=True)
    for name in ("intro.md.j2", "description.md.j2"):  # a pair's section, a job's section
        (over / name).write_text("{{ names() }}", encoding="utf-8")
    renderer = Renderer(template_dirs=[over.parent])
    shared = set(renderer.env.globals) | {"names", VARIATION}
    renderer.env.globals["names"] = pass_context(
        lambda context: " ".join(sorted(set(context.get_all()) - shared)))
    sections = dict(renderer.render(pair({"description": "Does things."}, {})).sections)
    assert sections["intro"].split() == sorted(CONTEXT_NAMES)
    assert sections["description_a"].split() == sorted(JOB_CONTEXT_NAMES)
