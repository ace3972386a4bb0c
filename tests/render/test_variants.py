"""{% variants %}: syntax, weights and conditions, the --no-variation switch, and the promises
of rendezvous hashing (a page keeps its wording whatever else changes; adding a variant moves
about 1/n of the pages, all to the new variant)."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import traceback
from collections import Counter

import jinja2
import pytest

from narrator.formatting import NumberFormat
from narrator.render.environment import environment
from narrator.render.renderer import Renderer
from narrator.render.variants import Variation, choose, read
from narrator.schema import Comparison, Job
from tests.conftest import ROOT

KEYS = [f"job-{i}-vs-job-{i * 7 % 1000}" for i in range(6000)]


@pytest.fixture(scope="module")
def env() -> jinja2.Environment:
    return environment(NumberFormat("en_US"))


_COMPILED: dict[str, jinja2.Template] = {}


def render(env: jinja2.Environment, source: str, key: str, first: bool = False,
           **values) -> tuple[str, dict]:
    variation = Variation(key, first=first)
    template = _COMPILED.get(source) or _COMPILED.setdefault(source, env.from_string(source))
    return template.render(variation=variation, **values), variation.chosen


THREE = '{% variants "lead" %}one{% or %}two{% or %}three{% endvariants %}'


def test_every_variant_is_used_and_recorded(env) -> None:
    seen = Counter(render(env, THREE, k)[0] for k in KEYS[:600])
    assert set(seen) == {"one", "two", "three"} and min(seen.values()) > 150
    text, chosen = render(env, THREE, "baker-vs-cook")
    assert chosen == {"lead": ["one", "two", "three"].index(text) + 1}


def test_weights(env) -> None:
    source = '{% variants "lead" %}one{% or weight=3 %}three{% or weight=0 %}never{% endvariants %}'
    seen = Counter(render(env, source, k)[0] for k in KEYS[:4000])
    assert "never" not in seen and 0.70 < seen["three"] / 4000 < 0.80


def test_conditions(env) -> None:
    source = ('{% variants "gap" if big %}large{% or if big %}huge'
              '{% or if not big %}small{% endvariants %}')
    assert {render(env, source, k, big=False)[0] for k in KEYS[:50]} == {"small"}
    assert {render(env, source, k, big=True)[0] for k in KEYS[:50]} == {"large", "huge"}
    assert render(env, '{% variants "x" if no %}a{% endvariants %}', "k", no=False) == ("", {})


def test_no_variation_gives_the_first_eligible(env) -> None:
    assert {render(env, THREE, k, first=True)[0] for k in KEYS[:50]} == {"one"}
    source = '{% variants "gap" if big %}large{% or %}plain{% or %}other{% endvariants %}'
    assert {render(env, source, k, first=True, big=False)[0] for k in KEYS[:50]} == {"plain"}
    assert env.from_string(THREE).render() == "one"  # outside a renderer: no variation


def test_other_slots_do_not_move_a_page(env) -> None:
    alone = [render(env, THREE, k)[0] for k in KEYS[:300]]
    busy = '{% variants "intro" %}a{% or %}b{% endvariants %} ' + THREE + \
        ' {% variants "outro" %}c{% or %}d{% or %}e{% endvariants %}'
    assert [render(env, busy, k)[0].split()[1] for k in KEYS[:300]] == alone


@pytest.mark.parametrize(("before", "added"),
                         [([1, 1, 1], 1), ([1, 1], 2), ([1, 1, 1, 1, 1, 1, 1, 1], 1)])
def test_adding_a_variant_moves_about_1_over_n_all_to_it(before, added) -> None:
    eligible = [True] * (len(before) + 1)
    old = [choose(k, "lead", before, eligible) for k in KEYS]
    new = [choose(k, "lead", [*before, added], eligible) for k in KEYS]
    moved = [n for o, n in zip(old, new) if o != n]
    assert set(moved) == {len(before)}  # every page that moved went to the new variant
    expected = added / (sum(before) + added)
    assert abs(len(moved) / len(KEYS) - expected) < 0.025


def test_choices_ignore_the_hash_seed() -> None:
    code = ("from narrator.render.variants import choose; print([choose(f'k{i}', 's', [1, 2, 1], "
            "[True] * 3) for i in range(40)])")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}, cwd=ROOT).stdout
            for seed in ("0", "1", "12345")}
    assert len(runs) == 1


@pytest.mark.parametrize("weights", ["", " weight=2"], ids=["equal weights", "unequal weights"])
def test_rule_two_slots_on_one_page_choose_independently(env, weights: str) -> None:
    """Through the path pages take (a template's slots, the page's Variation): two slots with
    the same variants on one page agree about as often as chance says, and every pair of
    choices occurs; a slot's name is part of what it draws."""
    slot = '{% variants "NAME" %}1{% or' + weights + ' %}2{% or %}3{% endvariants %}'
    source = slot.replace("NAME", "first") + " " + slot.replace("NAME", "second")
    pairs = Counter(tuple(render(env, source, k)[0].split()) for k in KEYS[:3000])
    assert len(pairs) == 9
    agree = sum(n for (x, y), n in pairs.items() if x == y) / 3000
    chance = sum((n / 3000) ** 2 for n in Counter(x for x, _ in pairs.elements()).values())
    assert abs(agree - chance) < 0.04, (agree, chance)


def test_rule_a_page_reads_the_same_under_any_hash_seed(tmp_path) -> None:
    """Pages rendered as a run renders them (editorial style, its {% variants %} slots), in
    two processes with different PYTHONHASHSEED values, choose the same variants."""
    ids = [line.split('"')[3] for line in
           (ROOT / "data" / "bls" / "pairs.jsonl").read_text().splitlines()[:40:4]]
    code = ("import sys; from narrator.api import narrate_article; "
            "[print(a.variants, a.markdown()) for a in (narrate_article(sys.argv[1], record_id=i) "
            "for i in sys.argv[2:])]")
    runs = {subprocess.run([sys.executable, "-c", code, str(ROOT / "data" / "bls"), *ids],
                           capture_output=True, text=True, check=True, cwd=tmp_path,
                           env={**os.environ, "PYTHONHASHSEED": seed,
                                "NARRATOR_CACHE_DIR": ""}).stdout
            for seed in ("0", "12345")}
    assert len(runs) == 1
    assert next(iter(runs)).count("(('") == len(ids)  # every page chose variants


@pytest.mark.parametrize("source", [
    '{% variants "Bad Name" %}a{% endvariants %}',
    '{% variants "x" colour=2 %}a{% endvariants %}',
    '{% variants "x" %}a{% or weight=x %}b{% endvariants %}',
    '{% variants "x" %}a',
])
def test_syntax_errors(env, source) -> None:
    with pytest.raises(jinja2.TemplateSyntaxError):
        env.from_string(source)


@pytest.mark.parametrize("source, line, message", [
    ('{% variants "Bad Name" %}a{% endvariants %}', 1,
     "a variants slot is named in lower case letters, digits and _, not 'Bad Name'"),
    ('{% variants "Bad Name"\n%}a{% endvariants %}', 1,  # the name's line, not the tag end's
     "a variants slot is named in lower case letters, digits and _, not 'Bad Name'"),
    ('\n\n{% variants "x" colour=2 %}a{% endvariants %}', 3,
     "expected weight=N or if CONDITION in a variants tag"),
    ('{% variants "x" %}a\n{% or weight=2 colour %}b{% endvariants %}', 2,
     "expected weight=N or if CONDITION in a variants tag"),
])
def test_rule_a_bad_variants_tag_says_what_is_expected_and_where(env, source, line,
                                                                  message) -> None:
    with pytest.raises(jinja2.TemplateSyntaxError) as err:
        env.from_string(source)
    assert (err.value.message, err.value.lineno) == (message, line)


@pytest.mark.parametrize("source, written", [
    ('{% variants "x" %}a{% or weight=3 %}b{% or if big %}c{% or weight=2 if big and small %}d'
     '{% or if a.pay > 3 weight=4 %}e{% endvariants %}',
     [(1, None, "a"), (3, None, "b"), (1, "big", "c"), (2, "big and small", "d"),
      (4, "a.pay > 3", "e")]),
    ('{% variants "x" weight=0x10 %}\none\n{% or weight=0 %}\ntwo\n{% endvariants %}',
     [(16, None, "one"), (0, None, "two")]),
    ('{%- variants "x" if (p or q) -%} one {%- or -%} two {%- endvariants -%}',
     [(1, "(p or q)", " one "), (1, None, " two ")]),  # spaces kept, newlines around not
    ('{% variants "x" %}X{% or %}\nXX\n{% endvariants %}', [(1, None, "X"), (1, None, "XX")]),
    # Jinja reads "\r\n" and "\r" as "\n"
    ('{% variants "x" %}\r\none\r\ntwo\r\n{% or %}b\rc{% endvariants %}',
     [(1, None, "one\ntwo"), (1, None, "b\nc")]),
    # text repeating a tag's tokens after it: each token is found where it is, not at a copy
    ('x{% variants "s" %}A{% or %}B{% endvariants %} "s" %}', [(1, None, "A"), (1, None, "B")]),
    # "weight" without "=", and "name=" in a call, are part of the condition
    ('{% variants "x" if weight > 2 %}a{% or if a|default(boolean=true) %}b{% endvariants %}',
     [(1, "weight > 2", "a"), (1, "a|default(boolean=true)", "b")]),
])
def test_rule_narrate_variants_reads_each_tag_as_the_extension_does(env, source,
                                                                     written) -> None:
    """A slot's weights, conditions and texts as `narrate variants` and the run key read them
    from the source: what the extension compiles (checked by rendering with the weights)."""
    found = read(source)
    assert [(w.weight, w.condition, w.text) for w in found.written(found.slots[0])] == written
    env.from_string(source)  # and the extension takes the same source


def test_rule_a_weight_that_is_not_a_number_is_refused_when_read() -> None:
    with pytest.raises(jinja2.TemplateSyntaxError) as err:
        found = read('{% variants "x" %}a\n\n{% or weight=x %}b{% endvariants %}')
        found.written(found.slots[0])
    assert (err.value.message, err.value.lineno) == ("expected weight=N", 3)


@pytest.mark.parametrize("tag, weight", [
    ("{% or colour=2 weight=3 size=4 %}", 3),
    ("{% or if %}", 1),
    ("{% or if weight=2 %}", 2),
], ids=["another name=", "if without an expression", "if then weight="])
def test_rule_read_takes_only_weight_n_and_if_expr_from_a_tag_jinja_refuses(env, tag,
                                                                            weight) -> None:
    """`narrate variants` reads templates without compiling them: a tag the extension
    refuses still reads as its weight=N, and an ``if`` with no expression as no condition."""
    source = '{% variants "x" %}a' + tag + 'b{% endvariants %}'
    with pytest.raises(jinja2.TemplateSyntaxError):
        env.from_string(source)
    found = read(source)
    assert [(w.weight, w.condition) for w in found.written(found.slots[0])] == [
        (1, None), (weight, None)]


@pytest.mark.parametrize("source, message, line", [
    ("a\n{% if a %}x{% endif\n\nb", "a tag is not closed", 4),  # the template's last line
    ("x\n{% variants %}a{% endvariants %}", "a variants tag names its slot in quotes", 2),
    ("x\n{% variants x %}a{% endvariants %}", "a variants tag names its slot in quotes", 2),
    ("a\n{% or %}", "'or' outside a variants tag", 2),
    ('{% variants "s" %}{% if a %}x\n{% or %}y{% endif %}{% endvariants %}',
     "'or' outside a variants tag", 2),
    ("{% if a %}\n{% endfor %}", "'endfor' does not close the tag open here", 2),
    ("{% if a %}{% for b in c %}{% filter upper %}\n\n{{ z\n}}", "'filter' is never closed", 4),
])
def test_rule_tags_that_do_not_nest_are_refused_when_read_saying_what_and_where(
        source, message, line) -> None:
    """What `narrate variants` reports for a template it cannot read (and the run key hashes
    whole)."""
    with pytest.raises(jinja2.TemplateSyntaxError) as err:
        read(source)
    assert (err.value.message, err.value.lineno) == (message, line)


def test_rule_a_tag_is_named_by_its_first_word_or_empty() -> None:
    assert [t.name for t in read('{% %}{% "x" %}{% if a %}{% endif %}').tags] == [
        "", "", "if", "endif"]


NESTED = ('{% variants "outer" %}A {% variants "inner" weight=2 %}x{% or if b %}y'
          '{% endvariants %}{% or weight=3 if a %}B{% endvariants %}')


def compiled_slots(env: jinja2.Environment, source: str) -> list[tuple[str, tuple[int, ...]]]:
    """(slot, weights) of each {% variants %} as the extension compiles it, in source order."""
    from jinja2 import nodes

    from narrator.render.variants import FILTER

    return [(n.node.value, n.args[0].value) for n in env.parse(source).find_all(nodes.Filter)
            if n.name == FILTER]


def read_slots(source: str) -> list[tuple[str, tuple[int, ...]]]:
    reading = read(source)
    return [(s.slot, tuple(w.weight for w in reading.written(s))) for s in reading.slots]


def test_the_source_reader_finds_what_the_extension_compiles(env) -> None:
    """``read`` (behind the run key, `narrate variants` and check) and the Jinja extension see
    the same slots and weights: in a nested slot and in every shipped template."""
    assert read_slots(NESTED) == compiled_slots(env, NESTED) == [("outer", (1, 3)),
                                                                 ("inner", (2, 1))]
    shipped = sorted((ROOT / "templates").rglob("*.j2"))
    assert len(shipped) > 10
    for path in shipped:
        source = path.read_text(encoding="utf-8")
        assert read_slots(source) == compiled_slots(env, source), path


def test_a_nested_slot_renders_both_choices(env) -> None:
    text, chosen = render(env, NESTED, "baker-vs-cook", a=True, b=True)
    assert set(chosen) == ({"outer", "inner"} if text.startswith("A ") else {"outer"})
    assert {render(env, NESTED, k, a=True, b=True)[0] for k in KEYS[:200]} == {"A x", "A y", "B"}


def pair(i: int) -> Comparison:
    return Comparison(id=f"baker-{i}-vs-cook",
                      a=Job(id=f"baker-{i}", title="baker", salary=50000 + i),
                      b=Job(id="cook", title="cook", salary=40000))


def test_a_page_reads_the_same_whatever_else_is_rendered() -> None:
    """The editorial renderer, two orders and two renderers: every page identical."""
    recs = [pair(i) for i in range(60)]
    first, second = Renderer(style="editorial"), Renderer(style="editorial")
    one = {r.id: first.render(r).markdown() for r in recs}
    two = {r.id: second.render(r).markdown() for r in reversed(recs)}
    assert one == two


def test_seed_style_has_no_variants() -> None:
    for path in (ROOT / "templates" / "comparison").glob("*.j2"):
        assert "{% variants" not in path.read_text(encoding="utf-8"), path.name


def test_no_variation_cli_and_run_key(tmp_path) -> None:
    """--no-variation renders every slot's first variant, and is part of the run key: a rerun
    with the switch flipped renders every article again."""
    from click.testing import CliRunner

    from narrator.batch.keys import run_keys
    from narrator.batch.runner import Options
    from narrator.cli import main

    data = tmp_path / "data"
    data.mkdir()
    (data / "narrator.json").write_text('{"style": "editorial"}', encoding="utf-8")
    lines = [f'{{"id": "baker-{i}-vs-cook", "a": {{"id": "baker-{i}", "title": "baker", '
             f'"salary": {60000 + i}}}, "b": {{"id": "cook", "title": "cook", "salary": 48000}}}}'
             for i in range(30)]
    (data / "pairs.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    runner = CliRunner()
    out = tmp_path / "out"
    varied = runner.invoke(main, ["--all", "--data", str(data), "--out", str(out), "--jobs", "1"])
    assert varied.exit_code == 0, varied.output
    texts = {p.name: p.read_text(encoding="utf-8") for p in out.glob("*.md")}
    assert len({t.split("\n\n")[1].split(":")[0] for t in texts.values()}) > 1  # several wordings
    plain = runner.invoke(main, ["--all", "--data", str(data), "--out", str(out), "--jobs", "1",
                                 "--no-variation"])
    assert plain.exit_code == 0 and "30 written" in plain.output
    for p in out.glob("*.md"):
        assert "more a year than cooks on average." in p.read_text(encoding="utf-8")
    assert run_keys(Options(out=out))[0] != run_keys(Options(out=out, variation=False))[0]


# -- the draw, as documented: what keeps a page's wording the same from release to release -------

def _b64(text: str) -> int:
    import hashlib

    return int(hashlib.blake2b(text.encode(), digest_size=8).hexdigest(), 16)


_M64 = (1 << 64) - 1


def _reference_draw(key: str, slot: str, position: int) -> int:
    """The documented draw, written out independently: splitmix64's finaliser of the xor of
    two blake2b-64 digests (big-endian), the page key's and "slot<US>position"'s."""
    x = _b64(key) ^ _b64(f"{slot}\x1f{position}")
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _M64
    return x ^ (x >> 31)


def _unmix(y: int) -> int:
    """The inverse of splitmix64's finaliser: the seed ^ constant that draws ``y``."""
    def unshift(v: int, s: int) -> int:  # inverse of v ^ (v >> s)
        x = v
        for _ in range(64 // s + 1):
            x = v ^ (x >> s)
        return x

    y = unshift(y, 31)
    y = (y * pow(0x94D049BB133111EB, -1, 1 << 64)) & _M64
    y = unshift(y, 27)
    y = (y * pow(0xBF58476D1CE4E5B9, -1, 1 << 64)) & _M64
    return unshift(y, 30)


def _reference_choice(key: str, slot: str, weights: list[int], eligible: list[bool]) -> int:
    """Of the eligible variants of weight above 0, the highest ``w / -ln(u)`` (-1: none)."""
    live = [i for i, (w, ok) in enumerate(zip(weights, eligible)) if ok and w > 0]
    return max(live, default=-1, key=lambda i: weights[i] / -math.log(
        (_reference_draw(key, slot, i) + 0.5) / 2.0**64))


def test_rule_the_mixer_is_splitmix64s_finaliser() -> None:
    from narrator.render.variants import _mix

    # splitmix64 seeded with 0: its first output is the finaliser of the golden gamma
    assert _mix(0x9E3779B97F4A7C15) == 0xE220A8397B1DCDAF
    assert _mix(0) == 0


@pytest.mark.parametrize("slot", ["lead", "pay_gap", "tasks_lead_in.a"])
def test_rule_a_pages_draws_are_the_documented_function_of_key_slot_and_position(slot) -> None:
    from narrator.render.variants import _digest64, draws

    for key in KEYS[:200]:
        assert draws(_digest64(key.encode()), slot, 4) == [
            _reference_draw(key, slot, i) for i in range(4)]


def test_rule_rendezvous_scores_are_weight_over_minus_log_u() -> None:
    from narrator.render.variants import scores

    for key in KEYS[:100]:
        expected = [w / -math.log((_reference_draw(key, "lead", i) + 0.5) / 2.0**64) if w else 0.0
                    for i, w in enumerate([1, 3, 0, 2])]
        assert scores(key, "lead", [1, 3, 0, 2]) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("weights, eligible, first", [
    ([1, 1, 1], [False] * 3, True), ([1, 1, 1], [False] * 3, False),
    ([0, 0], [True, True], True), ([0, 0], [True, True], False),
    ([2, 1, 1], [False] * 3, False), ([0, 2, 0], [True, False, True], False),
])
def test_rule_no_eligible_variant_of_weight_above_0_is_minus_1(weights, eligible, first) -> None:
    assert {choose(k, "lead", weights, eligible, first) for k in KEYS[:200]} == {-1}


@pytest.mark.parametrize("weights", [[1, 1, 1, 1], [1, 3, 1, 2]], ids=["equal", "unequal"])
def test_rule_only_eligible_variants_of_weight_above_0_are_chosen(weights) -> None:
    eligible = [True, False, True, False]
    for w in (weights, [0, *weights[1:]]):
        allowed = {i for i, (x, ok) in enumerate(zip(w, eligible)) if ok and x > 0}
        chosen = {choose(k, "lead", w, eligible) for k in KEYS[:500]}
        assert chosen == allowed
        assert {choose(k, "lead", w, eligible, first=True) for k in KEYS[:50]} == {min(allowed)}


def test_rule_the_highest_score_wins() -> None:
    from narrator.render.variants import scores

    weights = [1, 3, 2]
    for key in KEYS[:300]:
        s = scores(key, "lead", weights)
        assert choose(key, "lead", weights, [True] * 3) == s.index(max(s))


def test_rule_a_draw_is_scaled_into_0_1_as_documented() -> None:
    """u = (draw + 0.5) / 2**64, exactly: checked on a page whose draw is small (k389442's for
    "lead" is under 2**45, where another offset changes the score by some 1e-15)."""
    from narrator.render.variants import scores

    d = _reference_draw("k389442", "lead", 0)
    assert d < 2**45
    assert scores("k389442", "lead", [2]) == [2 / -math.log((d + 0.5) / 2.0**64)]


@pytest.mark.parametrize("weights, draw, expected", [
    # equal weights: the largest draw wins, compared as integers (this one's u rounds to 1)
    ([1, 1, 1], _M64, 0),
    # unequal weights: its u is the largest float below 1 (1.0's log would divide by zero)
    ([1, 2], _M64, 0),
    # a draw of 0 is u = 2**-65: 360 / 45.05 = 7.99 loses to the other's 1 / 0.1236 = 8.09
    ([360, 1], 0, 1),
], ids=["the largest draw", "the largest draw, weighted", "a draw of 0"])
def test_rule_a_draw_at_either_end_of_its_range_is_scored_as_documented(weights, draw,
                                                                        expected) -> None:
    seed = _b64("lead\x1f0") ^ _unmix(draw)  # a page (its seed) whose position 0 draws `draw`
    assert choose(seed, "lead", weights, [True] * len(weights)) == expected


@pytest.mark.parametrize("options, weights, eligible", [
    (["", "", ""], [1, 1, 1], [True] * 3),
    (["", " weight=3", " weight=0"], [1, 3, 0], [True] * 3),
    (["", " weight=3"], [1, 3], [True] * 2),
    ([" weight=2", " weight=2 if no", " weight=2"], [2, 2, 2], [True, False, True]),
    ([" weight=0", " weight=0"], [0, 0], [True, True]),
], ids=["equal", "unequal", "two weights", "equal, one not eligible", "all weight 0"])
def test_rule_a_template_gives_each_page_the_variant_of_the_highest_score(env, options, weights,
                                                                          eligible) -> None:
    """What a compiled {% variants %} chooses (its own path for equal weights) is the
    documented choice, page by page; compiled here, not taken from a cache."""
    source = ('{% variants "lead"' + options[0] + " %}1"
              + "".join(f"{{% or{o} %}}{i + 2}" for i, o in enumerate(options[1:]))
              + "{% endvariants %}")
    template = env.from_string(source)
    for key in KEYS[:300]:
        variation = Variation(key)
        text = template.render(variation=variation, no=False)
        n = _reference_choice(key, "lead", weights, eligible) + 1
        assert (text, variation.chosen) == ((str(n), {"lead": n}) if n else ("", {})), key


def test_rule_an_error_in_a_variants_condition_is_reported_at_its_line(env) -> None:
    """The line narrator reports for a user's template that fails (environment._guarded)."""
    template = env.from_string('a\n\n{% variants "x" %}one{% or if 1 // z %}two{% endvariants %}')
    with pytest.raises(ZeroDivisionError) as err:
        template.render(z=0, variation=Variation("k"))
    assert tuple(traceback.extract_tb(err.value.__traceback__)[-1])[:2] == ("<template>", 3)
