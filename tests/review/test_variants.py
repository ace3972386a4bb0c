"""`narrate variants`: every slot with its variants, weights and conditions; counts from a
tree's index.jsonl; and the review set holds at least one page per variant, so a copy edit to
one variant fails only the snapshots that use it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from narrator.cli import main
from narrator.dataset import STYLES
from narrator.render.renderer import Renderer
from narrator.review import variants as review
from narrator.sources import iter_comparisons, read_ids
from tests.browser import chromium
from tests.conftest import ROOT

try:
    from selenium.webdriver.common.by import By
except ImportError:  # chromium() reports it
    By = None  # type: ignore[assignment,misc]

SOURCE = """x {% variants "lead" %}One {{ a }}.
{%- or weight=2 %}Two.
{%- or weight=0 if b.c == "d" %}Three.
{%- endvariants %} y {% variants "tail" if z %}T{% endvariants %}"""


def test_slots_in() -> None:
    slots = review.slots_in(SOURCE, "comparison/x.md.j2", "x.md.j2")
    assert [(s.name, s.line) for s in slots] == [("lead", 1), ("tail", 4)]
    lead = slots[0].variants
    assert [(v.n, v.text, v.weight, v.condition) for v in lead] == [
        (1, "One {{ a }}.", 1, None), (2, "Two.", 2, None), (3, "Three.", 0, 'b.c == "d"')]
    assert slots[1].variants[0].condition == "z"


def test_nested_slots_are_all_listed() -> None:
    """A slot inside a variant renders too: both are listed, the outer first, its variant's
    text holding the inner slot's tags (a reader by regular expression lost the outer one)."""
    source = ('{% variants "outer" %}A {% variants "inner" %}x{% or if b %}y{% endvariants %}\n'
              '{%- or weight=3 if a %}B{% endvariants %}')
    slots = review.slots_in(source, "comparison/x.md.j2", "x.md.j2")
    assert [(s.name, s.line, len(s.variants)) for s in slots] == [("outer", 1, 2), ("inner", 1, 2)]
    outer, inner = (s.variants for s in slots)
    assert [(v.text, v.weight, v.condition) for v in outer] == [
        ('A {% variants "inner" %}x{% or if b %}y{% endvariants %}', 1, None), ("B", 3, "a")]
    assert [(v.text, v.condition) for v in inner] == [("x", None), ("y", "b")]


def test_every_editorial_slot_is_listed() -> None:
    slots = review.style_slots("editorial")
    names = [s.name for s in slots]
    assert len(names) == len(set(names)) >= 15
    assert {"pay_gap", "tasks_lead_in", "where_not_named"} <= set(names)
    assert review.style_slots("seed") == []  # the seed style has no variation


def review_variants() -> set[tuple[str, int]]:
    listed = read_ids(ROOT / "tests" / "review_set.txt")
    renderers = {style: Renderer(style=style) for style in STYLES}
    used = set()
    for rec, ds in iter_comparisons([ROOT / "data", ROOT / "tests" / "records"], only=listed):
        for name, n in renderers[ds.style].render(rec, ds).variants:
            used.add((name.split(".")[0], n))
    return used


def test_review_set_has_a_page_per_variant() -> None:
    """Every variant of every editorial slot is on at least one review-set page (add one to
    tests/review_set.txt: `narrate variants OUT` names two pages per variant)."""
    every = {(s.name, v.n) for s in review.style_slots("editorial") for v in s.variants
             if v.weight > 0}
    assert sorted(every - review_variants()) == []


def test_cli_counts_a_tree(tmp_path: Path) -> None:
    (tmp_path / "index.jsonl").write_text("\n".join(json.dumps(e) for e in [
        {"id": "p1", "variants": {"pay_gap": 1, "tasks_lead_in.a": 2, "tasks_lead_in.b": 2}},
        {"id": "p2", "variants": {"pay_gap": 1, "tasks_lead_in.a": 3}},
        {"id": "p3", "variants": {"pay_gap": 1}},
        {"redirect": "old", "to": "p1"}]) + "\n", encoding="utf-8")
    out = CliRunner().invoke(main, ["variants", str(tmp_path)])
    assert out.exit_code == 0, out.output
    assert "3 pages (e.g. p1, p2)" in out.output  # pay_gap 1
    tasks = out.output.split("tasks_lead_in")[1]
    assert "2. [weight 1, 1 pages (e.g. p1)]" in tasks  # .a and .b count one page
    assert "3 articles read" in out.output


def test_cli_errors(tmp_path: Path) -> None:
    out = CliRunner().invoke(main, ["variants", str(tmp_path)])
    assert out.exit_code == 1 and out.output.startswith("narrate: error:")
    assert "Traceback" not in out.output


@pytest.mark.browser
def test_html_in_a_browser(tmp_path: Path) -> None:
    path = tmp_path / "variants.html"
    out = CliRunner().invoke(main, ["variants", "--html", str(path)])
    assert out.exit_code == 0
    with chromium(tmp_path / "profile") as browser:
        browser.get(path.as_uri())
        assert browser.title.startswith("narrate variants: ")
        section = browser.find_element(By.ID, "slot-pay_gap")
        assert section.is_displayed() and 'gap.band == "small"' in section.text
        assert "{{ gap.higher.short_plural|cap }}" in section.text  # template source shown as text
        assert browser.find_elements(By.TAG_NAME, "script") == []


def test_check_reports_a_slot_name_used_twice(tmp_path: Path) -> None:
    from narrator.review.check import check

    over = tmp_path / "over" / "comparison"
    over.mkdir(parents=True)
    (over / "title.txt.j2").write_text(
        '{% variants "pay_gap" %}{{ a.short|cap }} vs {{ b.short }}{% endvariants %}',
        encoding="utf-8")
    problems = check([], template_dirs=[tmp_path / "over"])
    assert any("variants slot 'pay_gap' is already used at" in p for p in problems), problems
    assert check([]) == []


def test_check_reports_a_nested_slot_name_used_twice(tmp_path: Path) -> None:
    """The outer slot of nested variants is a slot like any other: its name used again is
    reported (a regular-expression reader missed it)."""
    from narrator.review.check import check

    over = tmp_path / "over" / "comparison"
    over.mkdir(parents=True)
    (over / "title.txt.j2").write_text(
        '{% variants "pay_gap" %}{{ a.short|cap }} {% variants "title_vs" %}vs{% or %}or'
        '{% endvariants %} {{ b.short }}{% or %}{{ a.short|cap }} and {{ b.short }}'
        '{% endvariants %}', encoding="utf-8")
    problems = check([], template_dirs=[tmp_path / "over"])
    assert [p.split(" is already")[0] for p in problems if "variants slot" in p] == [
        f"{over / 'title.txt.j2'}:1: variants slot 'pay_gap'"], problems
