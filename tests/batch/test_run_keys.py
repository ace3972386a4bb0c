"""The incremental key: each input that shapes an article, changed alone, re-renders exactly the
articles it shapes, and nothing else (a copy edit that left stale pages would go unnoticed)."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from jinja2.ext import Extension

from narrator.batch import keys as batch
from narrator.batch.runner import Options, narrate_all
from narrator.render import slots
from tests.conftest import ROOT, small_data_set

BLS = ROOT / "data" / "bls"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """Three standalone records, and a profile set of four real BLS jobs (six pairs) in the
    editorial style."""
    d = small_data_set(tmp_path, records=3, jobs=4)
    shutil.copy(BLS / "narrator.json", d / "bls")
    return d


def keys(out: Path) -> dict[str, str]:
    return {e["id"]: e["key"]
            for e in map(json.loads, (out / "index.jsonl").read_text().splitlines())
            if "id" in e}


def job_ids(data: Path) -> list[str]:
    return [json.loads(line)["id"]
            for line in (data / "bls" / "jobs.jsonl").read_text().splitlines()]


def pairs_with(data: Path, job: str) -> set[str]:
    return {p["id"]
            for p in map(json.loads, (data / "bls" / "pairs.jsonl").read_text().splitlines())
            if job in (p["a"], p["b"])}


def records(data: Path) -> list[Path]:
    return sorted((data / "records").glob("*.json"))


def edit_record(data: Path, opts: Options, mp: pytest.MonkeyPatch) -> tuple[Options, set[str]]:
    path = records(data)[1]
    raw = json.loads(path.read_text())
    raw["a"]["description"] = raw["a"].get("description", "") + " It changed."
    path.write_text(json.dumps(raw))
    return opts, {raw["id"]}


def edit_job(data: Path, opts: Options, mp: pytest.MonkeyPatch) -> tuple[Options, set[str]]:
    jobs = data / "bls" / "jobs.jsonl"
    lines = jobs.read_text().splitlines()
    job = json.loads(lines[2])
    job["salary"] = job["salary"] + 1000
    lines[2] = json.dumps(job)
    jobs.write_text("\n".join(lines) + "\n")
    return opts, pairs_with(data, job["id"])


def edit_pair(data: Path, opts: Options, mp: pytest.MonkeyPatch) -> tuple[Options, set[str]]:
    pairs = data / "bls" / "pairs.jsonl"
    lines = pairs.read_text().splitlines()
    pair = json.loads(lines[4])
    lines[4] = json.dumps({**pair, "aliases": ["an-old-name"]})
    pairs.write_text("\n".join(lines) + "\n")
    return opts, {pair["id"]}


def edit_dataset(data: Path, opts: Options, mp: pytest.MonkeyPatch) -> tuple[Options, set[str]]:
    config = data / "bls" / "narrator.json"
    raw = json.loads(config.read_text())
    raw["source"] = [line.replace("BLS", "The BLS", 1) for line in raw["source"]]
    config.write_text(json.dumps(raw))
    return opts, {rid for job in job_ids(data) for rid in pairs_with(data, job)}  # the set's


def edit_override(data: Path, opts: Options, mp: pytest.MonkeyPatch) -> tuple[Options, set[str]]:
    [tpl] = opts.template_dirs
    path = tpl / "comparison" / "title.txt.j2"
    path.write_text(path.read_text().replace(" vs ", " or "))
    return opts, ALL


def edit_builtin(data: Path, opts: Options, mp: pytest.MonkeyPatch) -> tuple[Options, set[str]]:
    copy = data.parent / "builtin"
    shutil.copytree(batch.BUILTIN_TEMPLATES, copy)
    (copy / "comparison" / "source.md.j2").write_text(
        (copy / "comparison" / "source.md.j2").read_text() + "\n")
    mp.setattr(batch, "BUILTIN_TEMPLATES", copy)
    return opts, ALL


def edit_code(data: Path, opts: Options, mp: pytest.MonkeyPatch) -> tuple[Options, set[str]]:
    copy = data.parent / "code"
    shutil.copytree(batch._HERE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "facts.py").write_text((copy / "facts.py").read_text() + "\n# an edit\n")
    mp.setattr(batch, "_HERE", copy)
    return opts, ALL


def upgrade_babel(data: Path, opts: Options, mp: pytest.MonkeyPatch) -> tuple[Options, set[str]]:
    real = batch.metadata.version
    mp.setattr(batch.metadata, "version", lambda name: "99.0" if name == "babel" else real(name))
    return opts, ALL


def change(**kw: object) -> Callable[..., tuple[Options, set[str]]]:
    def apply(data: Path, opts: Options, mp: pytest.MonkeyPatch) -> tuple[Options, set[str]]:
        return Options(**{**opts.__dict__, **kw}), ALL
    return apply


ALL = {"*"}  # every article


@pytest.mark.parametrize("edit", [
    lambda data, opts, mp: (opts, set()),
    edit_record, edit_job, edit_pair, edit_dataset, edit_override, edit_builtin, edit_code,
    upgrade_babel, change(locale="en_GB"), change(formats=("md", "json")), change(style="seed"),
    change(front_matter=True), change(variation=False),
], ids=["nothing", "a record", "a job", "a pair line", "the data set's narrator.json",
        "an override's text", "a built-in template", "narrator's code", "a library version",
        "the locale", "the formats", "the style", "--front-matter", "--no-variation"])
def test_exactly_the_articles_an_input_shapes_are_rendered_again(data, tmp_path, monkeypatch,
                                                                 edit) -> None:
    tpl = tmp_path / "t" / "comparison"
    tpl.mkdir(parents=True)
    (tpl / "title.txt.j2").write_text("{{ a.title }} vs {{ b.title }}")
    opts = Options(out=tmp_path / "out", template_dirs=(tpl.parent,))
    first = narrate_all(data, opts, jobs=1)
    assert (first.written, first.failed) == (9, 0), first.errors
    before = keys(opts.out)
    opts, expected = edit(data, opts, monkeypatch)
    expected = set(before) if expected == ALL else expected
    assert expected <= set(before)
    again = narrate_all(data, opts, jobs=1)
    after = keys(opts.out)
    changed = {rid for rid in after if after[rid] != before[rid]}
    assert changed == expected
    assert (again.written, again.skipped, again.failed) == (len(expected), 9 - len(expected), 0)


# Options a rerun may change without rendering again: where, and within what limits.
NOT_SHAPING = {"out", "time_limit", "memory_limit"}
# The options the table above changes, one at a time (template_dirs: "an override's text").
CHANGED = {"locale", "formats", "style", "front_matter", "variation", "template_dirs"}


def test_rule_every_option_that_shapes_an_article_is_in_the_run_key() -> None:
    """A new option must be changed alone in the table above, or declared not to shape the
    article: an option left out of the key makes a rerun with it write nothing."""
    import dataclasses

    assert {f.name for f in dataclasses.fields(Options)} == CHANGED | NOT_SHAPING


# Variants: editing one variant's text re-renders only the pages that chose it (issue 11).

def entries(out: Path) -> dict[str, dict]:
    return {e["id"]: e for e in map(json.loads, (out / "index.jsonl").read_text().splitlines())
            if "id" in e}


def edit_variant(path: Path, slot: str, pos: int, prefix: str = "Edited: ") -> None:
    """Put ``prefix`` in front of the text of variant ``pos`` (1-based) of ``slot``."""
    text = path.read_text()
    tag = re.search(r'\{%-? variants "' + slot + r'"[^%]*%\}', text)
    assert tag, slot
    region = text[tag.end():text.index("endvariants", tag.end())]
    starts = [0] + [m.end() for m in re.finditer(r"\{%-? or\b[^%]*%\}", region)]
    at = tag.end() + starts[pos - 1]
    path.write_text(text[:at] + prefix + text[at:])


def using(found: dict[str, dict], slot: str, pos: int) -> set[str]:
    """The pages whose recorded choice for ``slot`` (or its one-job slot.a/.b) is ``pos``."""
    return {rid for rid, e in found.items()
            if any(name.split(".")[0] == slot and n == pos
                   for name, n in e.get("variants", {}).items())}


@pytest.fixture
def editorial(tmp_path: Path) -> tuple[Path, Options]:
    """Eight BLS jobs (28 pairs) in the editorial style, its templates copied as overrides."""
    data = small_data_set(tmp_path, records=0, jobs=8)
    shutil.copy(BLS / "narrator.json", data / "bls")
    shutil.copytree(batch.BUILTIN_TEMPLATES / "editorial", tmp_path / "t")
    return data, Options(out=tmp_path / "out", template_dirs=(tmp_path / "t",))


def rerun(data: Path, opts: Options, expected: set[str], total: int) -> dict[str, dict]:
    before = entries(opts.out)
    again = narrate_all(data, opts, jobs=1)
    after = entries(opts.out)
    assert (again.written, again.skipped, again.failed) == (
        len(expected), total - len(expected), 0), \
        again.errors
    changed = {rid for rid in after if after[rid]["files"] != before[rid]["files"]}
    assert changed == expected  # each re-rendered page's text changed; no other page's did
    return after


@pytest.mark.parametrize("pair, only", [(True, None), (False, None), (True, "pay_gap")],
                         ids=["a pair slot", "a one-job slot (.a/.b)", "a slot with if conditions"])
def test_editing_one_variant_renders_only_the_pages_that_chose_it(editorial, pair, only) -> None:
    data, opts = editorial
    first = narrate_all(data, opts, jobs=1)
    assert (first.written, first.failed) == (28, 0), first.errors
    found = entries(opts.out)
    assert all("vkey" in e for e in found.values())
    # the variant the most pages chose, short of all of them (others keep theirs)
    counts = {(name.split(".")[0], n): len(using(found, name.split(".")[0], n))
              for e in found.values() for name, n in e["variants"].items()
              if ("." in name) != pair and name.split(".")[0] == (only or name.split(".")[0])}
    (slot, pos), _ = max(((sp, c) for sp, c in counts.items() if c < len(found)),
                         key=lambda x: (x[1], x[0]))
    expected = using(found, slot, pos)
    assert 0 < len(expected) < 28
    path = next(p for p in (opts.template_dirs[0] / "comparison").glob("*.j2")
                if f'variants "{slot}"' in p.read_text())
    edit_variant(path, slot, pos)
    after = rerun(data, opts, expected, 28)
    for rid in expected:
        assert "Edited: " in (opts.out / f"{rid}.md").read_text()
        assert after[rid]["vkey"] != found[rid]["vkey"] and after[rid]["key"] == found[rid]["key"]
    rerun(data, opts, set(), 28)  # and then nothing


@pytest.mark.parametrize("edit", [
    ("intro.md.j2", '{%- or if gap.band == "small" %}', '{%- or if gap.band == "small" and gap %}'),
    ("pay.md.j2", '{% variants "pay_heading" %}', '{% variants "pay_heading" weight=1 %}'),
    ("pay.md.j2", "Pay range (10th to 90th percentile)", "Pay range (10th-90th percentile)"),
    ("where.md.j2", "{% variants", "{%- variants"),
], ids=["a variant's if", "a weight", "text outside any variant", "a tag's whitespace control"])
def test_editing_what_chooses_a_variant_renders_every_page(editorial, edit) -> None:
    data, opts = editorial
    narrate_all(data, opts, jobs=1)
    name, old, new = edit
    path = opts.template_dirs[0] / "comparison" / name
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))
    before = keys(opts.out)
    narrate_all(data, opts, jobs=1)  # counts not checked: equal wordings keep their files
    after = keys(opts.out)
    assert all(after[rid] != before[rid] for rid in before)


def test_a_variant_reading_a_new_name_renders_every_page(editorial) -> None:
    """The renderer computes some values (the chart, places) only if a template reads them."""
    data, opts = editorial
    narrate_all(data, opts, jobs=1)
    before = keys(opts.out)
    edit_variant(opts.template_dirs[0] / "comparison" / "pay.md.j2", "pay_heading", 2,
                 "{{ spread }} ")
    narrate_all(data, opts, jobs=1)
    assert all(k != before[rid] for rid, k in keys(opts.out).items())


@pytest.mark.parametrize("damage", ["no vkey", "another vkey", "another choice"])
def test_an_entry_whose_vkey_does_not_check_is_rendered_again(editorial, damage) -> None:
    data, opts = editorial
    narrate_all(data, opts, jobs=1)
    index = opts.out / "index.jsonl"
    lines = index.read_text().splitlines()
    entry = json.loads(lines[3])
    if damage == "no vkey":  # an index written before vkey (or by hand)
        del entry["vkey"]
    elif damage == "another vkey":
        entry["vkey"] = "0" * 16
    else:
        slot = next(iter(entry["variants"]))
        entry["variants"][slot] = 1 if entry["variants"][slot] != 1 else 2
    lines[3] = json.dumps(entry)
    index.write_text("\n".join(lines) + "\n")
    again = narrate_all(data, opts, jobs=1)
    assert (again.written, again.skipped) == (1, 27)
    assert (entries(opts.out)[entry["id"]]["variants"] != entry["variants"]
            or damage != "another choice")


def test_the_lexer_sees_templates_as_the_renderer_does() -> None:
    from narrator.render import variants
    from narrator.render.renderer import Renderer

    env = Renderer(style="editorial").env
    for name in variants.LEXER_SETTINGS:
        assert getattr(variants.LEXER, name) == getattr(env, name), name
    assert not any(type(e).preprocess is not Extension.preprocess or
                   type(e).filter_stream is not Extension.filter_stream
                   for e in env.extensions.values())


def analysed(**templates: str) -> tuple[bytes, dict[str, tuple[str, ...]]]:
    """The key part of ``templates`` (name -> text, in a user folder) and the slot table."""
    skeletons, table = slots.analyse([(f"comparison/{name}.md.j2", False, text.encode())
                                      for name, text in templates.items()], ())
    return b"\0".join(skeletons), table


VARIANTS = '{% variants "s" %}one {{ a.x }}{% or %}two {{ a.x }}{% endvariants %}'
IF_SLOT = '{% variants "s" %}one{% or if a %}two{% endvariants %}'


@pytest.mark.parametrize("template, masked", [
    (VARIANTS, True),
    ('{% if a %}' + VARIANTS + '{% endif %}', True),
    ('{% variants "s" %}one{% or %}{% set z = 1 %}two{% endvariants %}', False),
    ('{% variants "s" %}one{% or %}{% block b %}two{% endblock %}{% endvariants %}', False),
    ('{% variants "s" %}one{% or %}{% macro m() %}x{% endmacro %}two{% endvariants %}', False),
    ('{% import "m.j2" as m %}' + VARIANTS, False),
    ('{% from "m.j2" import x %}' + VARIANTS, False),
    ('{% if a %}' + VARIANTS, False),  # does not parse: hashed whole
    # a slot after a one-variant slot (one masked body before it)
    ('{% variants "a" %}one{% endvariants %}' + VARIANTS, True),
    # a body holding every tag a masked body may hold
    ('{% variants "s" %}{% if a %}one{% elif b %}uno{% else %}ein{% endif %}{% or %}two'
     '{% endvariants %}', True),
    # an outer body is masked whole, the slot inside it with it: text after that slot too
    ('{% variants "o" %}{% variants "i" %}one{% or %}uno{% endvariants %} two{% or %}three'
     '{% endvariants %}', True),
])
def test_which_bodies_are_left_out_of_the_key(template, masked) -> None:
    key, _ = analysed(t=template)
    edited, _ = analysed(t=template.replace("two", "TWO"))
    assert (key == edited) == masked


@pytest.mark.parametrize("template, old, new", [
    ("x " + VARIANTS, "x ", "y "),  # text before the first slot
    ('{% variants "s" %}one{% or weight=2 %}two{% endvariants %}', "weight=2", "weight=3"),
    ('{% variants "s" %}one{% or if a %}two{% endvariants %}', "if a", "if not a"),
], ids=["text before a slot", "a weight", "a condition"])
def test_what_decides_a_choice_or_lies_outside_the_bodies_stays_in_the_key(template, old,
                                                                           new) -> None:
    assert analysed(t=template)[0] != analysed(t=template.replace(old, new))[0]


def test_a_template_that_is_not_utf8_is_hashed_whole_and_others_are_still_masked() -> None:
    """Jinja cannot load it (the run fails there), so it masks nothing of its own."""
    data = b"\xff" + VARIANTS.encode()
    skeletons, _ = slots.analyse([("comparison/x.md.j2", False, data),
                                  ("comparison/t.md.j2", False, VARIANTS.encode())], ())
    assert skeletons[0] == data
    assert skeletons[1] == analysed(t=VARIANTS.replace("two", "TWO"))[0] != VARIANTS.encode()
    # a file scanned without saying whose it is counts as a user's
    assert [o.builtin for o in slots.scan("comparison/t.md.j2", VARIANTS.encode()).occurrences
            ] == [False]


def test_the_names_a_masked_body_reads_stay_in_the_key_but_not_attributes() -> None:
    key, _ = analysed(t=VARIANTS)
    assert analysed(t=VARIANTS.replace("two {{ a.x }}", "two {{ a.y }}"))[0] == key
    assert analysed(t=VARIANTS.replace("two {{ a.x }}", "two {{ a.x }}{{ b }}"))[0] != key
    assert analysed(t=VARIANTS.replace("two {{ a.x }}", "two {{ a.x|upper }}"))[0] != key


@pytest.mark.parametrize("template, exact", [
    (VARIANTS, True),
    ('{% variants "s" %}one{% or if a %}two{% endvariants %}', True),
    ('{% for x in a %}{% variants "s" %}one{% or %}two{% endvariants %}{% endfor %}', True),
    ('{% for x in a %}{% variants "s" %}one{% or if x %}two{% endvariants %}{% endfor %}', False),
    ('{% macro m(x) %}{% variants "s" %}one{% or if x %}two{% endvariants %}{% endmacro %}', False),
    ('{% variants "s" %}one{% or if a %}two{% endvariants %}{{ self.b() }}', False),
    ('{% variants "s" %}one{% or if a %}two{% endvariants %}{% include "x.j2" %}', False),
    (IF_SLOT + "{{ super() }}", False),
    (IF_SLOT + "{% include %}", False),  # no name (Jinja refuses it): any template
    ("{% extends name %}" + IF_SLOT, False),  # a computed name: any template, itself too
    ("{% for x in a %}{% block b %}{% endblock %}{% endfor %}" + IF_SLOT, False),
    # blocks inside blocks and ifs render once
    ("{% if a %}{% block b %}{% block c %}{% endblock %}{% endblock %}{% endif %}" + IF_SLOT,
     True),
    ('{% if a %}{% block b %}{% variants "o" %}' + IF_SLOT + "{% endvariants %}{% endblock %}"
     "{% endif %}", True),
])
def test_a_slot_that_may_run_twice_on_a_page_counts_every_body(template, exact) -> None:
    """The index records one choice per slot: the last. A slot whose runs on one page may
    choose differently makes any edit to it render every page that met it; otherwise an edit
    to one variant changes only its own position's hash."""
    _, table = analysed(t=template)
    assert (len(set(table["s"])) == 2) == exact
    _, edited = analysed(t=template.replace("one", "ONE"))
    assert [a != b for a, b in zip(table["s"], edited["s"])] == [True, not exact]


@pytest.mark.parametrize("files, names, expected", [
    # a user's template that another extends may run with it
    ([("comparison/t.md.j2", False, '{% extends "comparison/u.md.j2" %}'),
      ("comparison/u.md.j2", False, IF_SLOT)], (), "every"),
    # narrator's, loaded by its path below a style's folder, or as "narrator/..."
    ([("comparison/t.md.j2", False, '{% extends "comparison/u.md.j2" %}'),
      ("editorial/comparison/u.md.j2", True, IF_SLOT)], (), "every"),
    ([("comparison/t.md.j2", False, '{% extends "narrator/comparison/u.md.j2" %}'),
      ("comparison/u.md.j2", True, IF_SLOT)], (), "every"),
    # narrator's, that the renderer loads by name (below a style's folder or not) ...
    ([("editorial/comparison/u.md.j2", True, IF_SLOT)], ("comparison/u.md.j2",), "exact"),
    ([("comparison/u.md.j2", True, IF_SLOT)], ("comparison/u.md.j2",), "exact"),
    # ... unless a user's template of that name shadows it; or that nothing loads
    ([("comparison/u.md.j2", False, "plain"), ("editorial/comparison/u.md.j2", True, IF_SLOT)],
     ("comparison/u.md.j2",), "absent"),
    ([("editorial/comparison/u.md.j2", True, IF_SLOT)], (), "absent"),
], ids=["extended", "a style's, extended", "narrator/...", "loaded by name in a style",
        "loaded by name", "shadowed", "never loaded"])
def test_which_templates_slots_count_and_how(files, names, expected) -> None:
    """A slot in a template another loads may run more than once on a page (every body
    counts); one in a template of narrator's that nothing loads never runs (left out)."""
    _, table = slots.analyse([(path, builtin, text.encode()) for path, builtin, text in files],
                             names)
    found = "absent" if "s" not in table else "exact" if len(set(table["s"])) == 2 else "every"
    assert found == expected


def test_a_slot_named_twice_counts_every_body_unless_every_run_draws_alike() -> None:
    alike = '{% variants "s" %}one{% or %}two{% endvariants %}'
    _, table = analysed(t=alike, u=alike.replace("one", "uno"))
    assert len(set(table["s"])) == 2
    differ = '{% variants "s" %}one{% or if a %}two{% endvariants %}'
    _, table = analysed(t=differ, u=differ.replace("one", "uno"))
    assert len(set(table["s"])) == 1


@pytest.mark.parametrize("chosen", [None, [], "s=1", {1: 1}, {"s": "1"}, {"s": True}, {"s": 1.0}])
def test_a_record_of_choices_that_is_not_narrators_has_no_vkey(chosen) -> None:
    assert slots.vkey(chosen, {"s": ("a", "b")}) is None


def test_a_vkey_depends_on_the_bodies_its_choices_name_and_no_others() -> None:
    table = {"s": ("a", "b")}
    assert slots.vkey({"s": 1}, table) == slots.vkey({"s": 1}, {"s": ("a", "x")})
    assert slots.vkey({"s.a": 2}, table) != slots.vkey({"s.a": 2}, {"s": ("a", "x")})
    # a position the slot no longer has, or a slot gone, never matches: hashed as "?"
    for chosen in ({"s": 0}, {"s": 3}, {"s": -1}, {"gone": 1}, {"gone.a": 1}):
        assert slots.vkey(chosen, table) == slots.vkey(chosen, {"s": ("c", "d")}) \
            == slots.vkey(chosen, {}), chosen
