"""Template overrides: a team's own wording without forking narrator."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from narrator import api
from narrator.errors import TemplateError
from tests.conftest import ROOT

SEED = ROOT / "data" / "records" / "lead-technician-vs-software-support-technician.json"


def tpl(root: Path, name: str, text: str) -> Path:
    (root / "comparison").mkdir(parents=True, exist_ok=True)
    (root / "comparison" / name).write_text(text, encoding="utf-8")
    return root


def test_override_replaces_the_builtin(tmp_path):
    d = tpl(tmp_path / "team", "title.txt.j2", "{{ a.display }} or {{ b.display }}?")
    md = api.narrate(SEED, template_dirs=[d])
    assert md.startswith("# Lead Technician or Software Support Technician?\n")


def test_override_extends_the_builtin_it_replaces(tmp_path):
    d = tpl(tmp_path / "team", "intro.md.j2",
            '{% extends "narrator/comparison/intro.md.j2" %}'
            "{% block pay %} Pay: {{ higher.display }} earns more.{% endblock %}")
    md = api.narrate(SEED, template_dirs=[d])
    default = api.narrate(SEED)
    assert ("It typically takes 1-2 years to become both a lead technician and a software support "
            "technician. Pay: Lead Technician earns more.\n") in md
    assert "which is higher than" not in md
    # only that block changed
    assert md.split("\n", 3)[3] == default.split("\n", 3)[3]


def test_super_keeps_the_original_words(tmp_path):
    d = tpl(tmp_path / "team", "pay.md.j2",
            '{% extends "narrator/comparison/pay.md.j2" %}'
            "{% block lead_in %}{{ super() }} All figures are yearly.{% endblock %}")
    assert "as shown below. All figures are yearly." in api.narrate(SEED, template_dirs=[d])


def test_first_directory_wins(tmp_path):
    first = tpl(tmp_path / "first", "title.txt.j2", "First")
    second = tpl(tmp_path / "second", "title.txt.j2", "Second")
    assert api.narrate(SEED, template_dirs=[first, second]).startswith("# First\n")


def test_undefined_name_in_an_override_is_a_template_error(tmp_path):
    d = tpl(tmp_path / "team", "title.txt.j2", "{{ a.nickname }}")
    with pytest.raises(TemplateError, match=r"comparison/title\.txt\.j2.*nickname"):
        api.narrate(SEED, template_dirs=[d])


def test_sections_share_nothing_but_the_values_they_are_given(tmp_path):
    """An article's templates render in one Context (render._render resets it): a variable
    set or a block replaced in one section is not seen by the next."""
    d = tmp_path / "team"
    tpl(d, "intro.md.j2", "{% set secret = 'intro' %}{% set t = 'x' %}Intro.")
    tpl(d, "skills.md.j2", "secret={{ secret is defined }} t={{ t is defined }}")
    tpl(d, "pay.md.j2", '{% extends "narrator/comparison/pay.md.j2" %}'
                        "{% block heading %}Pay{% endblock %}")
    md = api.narrate(SEED, template_dirs=[d])
    default = api.narrate(SEED)
    assert "\n\nIntro.\n\nsecret=False t=False\n\n" in md
    assert "\n## Pay\n" in md
    # the sections after the extending one keep their own headings
    assert md.split("## Lead technician vs software support technician education")[1] == \
        default.split("## Lead technician vs software support technician education")[1]
    assert md.count("## Lead technician vs software support technician") == 3  # overview, edu, demo


def test_repeated_renders_with_an_extending_override_stay_the_same(tmp_path):
    """Blocks are shared between renders only for templates that don't extend another
    ({% extends %} adds the parent's blocks to the Context it renders in)."""
    from narrator.render.renderer import Renderer

    d = tpl(tmp_path / "team", "pay.md.j2", '{% extends "narrator/comparison/pay.md.j2" %}'
                                            "{% block heading %}Pay{% endblock %}")
    # a block that binds a name stays a block (see inline_blocks)
    tpl(d, "skills.md.j2", '{% block s %}{% set w = "Skills." %}{{ w }}{% endblock %}')
    renderer = Renderer(template_dirs=[d])
    rec = api.load_one(SEED)
    first = renderer.render(rec)
    assert all(renderer.render(rec) == first for _ in range(3))
    assert "## Pay" in first.markdown() and "\n\nSkills.\n\n" in first.markdown()
    blocks = renderer._sections.blocks  # the fast path's, shared between renders
    assert blocks["comparison/pay.md.j2"] is None
    assert blocks["comparison/skills.md.j2"] == {"s": [renderer.templates[
        "comparison/skills.md.j2"].blocks["s"]]}


# --- blocks written in place (fast.inline_blocks) ---------------------------------------------
# A template rendered as it is has its blocks written in place when nothing can tell; each case
# renders the same source with them inlined and with plain Jinja (Renderer(fast=False)).

INLINE_CASES = [
    # (template source, blocks that must stay blocks)
    ("A{% block x %}B{{ a.title }}{% endblock %}C", set()),
    ("{% if pay %}{% block x %}[{{ higher.title }}]{% endblock %}{% else %}-{% endif %}", set()),
    ("{% if not pay %}-{% elif a %}{% block x %}{{ a.plural }}{% endblock +%}\n!{% endif %}",
     set()),
    ("{% block x %}{% set t = a.title %}{{ t }}{% endblock %}|{{ t is defined }}", {"x"}),
    ("{% set t = 1 %}{% block x %}{{ t }}{% endblock %}{% set t = 2 %}{{ t }}", set()),
    ("{% for i in [1, 2] %}{% block x %}{{ i is defined }}{% endblock %}{% endfor %}", {"x"}),
    ("{% block x scoped %}{{ a.title }}{% endblock %}", {"x"}),
    ("{% block x %}X{% endblock %}{{ self.x() }}", {"x"}),
    ("{% block x %}{% variants \"inline_test\" %}one {{ a.title }}{% or %}two{% endvariants %}"
     "{% endblock %}", set()),
    ("{% block x %}{% block y %}Y{% endblock %}X{% endblock %}", {"x", "y"}),
]


@pytest.mark.parametrize(("source", "kept"), INLINE_CASES)
def test_inlined_blocks_render_the_same(tmp_path, source, kept):
    from narrator.render.fast import inline_blocks
    from narrator.render.renderer import Renderer

    d = tpl(tmp_path / "team", "title.txt.j2", source)
    renderer = Renderer(template_dirs=[d])
    inlined = renderer.templates["comparison/title.txt.j2"]
    assert set(inlined.blocks) == kept
    original = renderer.env.get_template("comparison/title.txt.j2")
    assert inline_blocks(renderer.env, original.name) is not None or not (
        set(original.blocks) - kept)
    plain = Renderer(template_dirs=[d], fast=False)  # Jinja's own compilation, blocks kept
    assert set(plain.templates["comparison/title.txt.j2"].blocks) == set(original.blocks)
    rec = api.load_one(SEED)
    assert renderer.render(rec).title == plain.render(rec).title


def test_an_error_in_an_inlined_block_names_its_line(tmp_path):
    d = tpl(tmp_path / "team", "title.txt.j2", "A\n{% block x %}\nB {{ 1 / 0 }}{% endblock %}")
    with pytest.raises(TemplateError) as info:
        api.narrate(SEED, template_dirs=[d])
    assert str(info.value) == (f"{d / 'comparison' / 'title.txt.j2'}: line 3: ZeroDivisionError: "
                               f"division by zero")  # the file's path, not its template name


def test_an_extended_template_keeps_its_blocks(tmp_path):
    """An override extending the built-in intro renders through the built-in's blocks (the
    built-in loaded as "narrator/...", never inlined), so its own blocks still replace them."""
    from narrator.render.renderer import Renderer

    d = tpl(tmp_path / "team", "intro.md.j2",
            '{% extends "narrator/comparison/intro.md.j2" %}'
            '{% block differences %}D.{% endblock %}')
    renderer = Renderer(template_dirs=[d])
    assert renderer.env.get_template("narrator/comparison/intro.md.j2").blocks.keys() >= {
        "differences", "qualify", "pay"}
    assert renderer.render(api.load_one(SEED)).sections[0][1].startswith("D. It typically takes")


@pytest.mark.parametrize(("source", "expected"), [
    # table() in a block that stays one, and in a loop: Jinja adds _block_vars/_loop_vars to
    # such a call (they reached table() as keywords: a TypeError before)
    ('{% block x %}{% set q = 1 %}{{ table("A", "B", [("L", "1", None)]) }}{% endblock %}',
     "| | A | B |\n| --- | --- | --- |\n| L | 1 | - |"),
    ('{% for i in [1] %}{{ table("A", "B", [("L", i ~ "", "2")]) }}{% endfor %}',
     "| | A | B |\n| --- | --- | --- |\n| L | 1 | 2 |"),
    # a call in the arguments: the sandbox's call path
    ('{{ table("A", "B", [("L", range(2)|list|length ~ "", "2")]) }}',
     "| | A | B |\n| --- | --- | --- |\n| L | 2 | 2 |"),
    # the name rebound by the template: not narrator's function, so the sandbox's call
    ("{% set table = range %}{{ table(3)|list }}", "[0, 1, 2]"),
    ('{% set table = "x".upper %}{{ table() }}', "X"),
])
def test_table_calls(tmp_path, source, expected):
    d = tpl(tmp_path / "team", "skills.md.j2", source)
    md = api.narrate(SEED, template_dirs=[d])
    assert f"\n\n{expected}\n\n" in md


def test_a_rebound_table_name_is_still_sandboxed(tmp_path):
    d = tpl(tmp_path / "team", "skills.md.j2",
            "{% set table = ''.__class__ %}{{ table.__subclasses__() }}")
    with pytest.raises(TemplateError):
        api.narrate(SEED, template_dirs=[d])


# -- the sandbox's size limits, whichever side the big operand is on ----------------------------

LIMIT = 1 << 20  # the sandbox's MAX_LENGTH, restated


def _sandboxed(fast: bool):
    from narrator.formatting import NumberFormat
    from narrator.render.environment import environment

    env = environment(NumberFormat("en_US"), fast=fast)
    env.bytecode_cache = None
    return env


# (expression, what it is refused as); `big` has LIMIT characters (`tup` items), `n` repeats
# two items past LIMIT, `one` is one character (or item)
_BOTH_ORDERS = [
    (expr, refused)
    for left, right, refused in [
        ("'ab'", "n", "a repeated string or list would be too long"),
        ("['a', 'b']", "n", "a repeated string or list would be too long"),
        ("('a', 'b')", "n", "a repeated string or list would be too long"),
    ] for expr in (f"{left} * {right}", f"{right} * {left}")
] + [
    (expr, refused)
    for op, big, one, refused in [
        ("+", "big", "'y'", "a + whose result would be too long"),
        ("+", "(big|list)", "['y']", "a + whose result would be too long"),
        ("+", "tup", "('y',)", "a + whose result would be too long"),
        ("~", "big", "'y'", "a ~ whose result would be too long"),
        ("~", "big", "1", "a ~ whose result would be too long"),
    ] for expr in (f"{big} {op} {one}", f"{one} {op} {big}")
]


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "plain"])
@pytest.mark.parametrize("expr, refused", _BOTH_ORDERS)
def test_rule_size_limits_hold_whichever_side_the_big_operand_is_on(expr, refused, fast):
    from jinja2.sandbox import SecurityError

    template = _sandboxed(fast).from_string(f"{{{{ ({expr})|length }}}}")
    with pytest.raises(SecurityError) as err:
        template.render(big="x" * LIMIT, tup=("x",) * LIMIT, n=LIMIT // 2 + 1)
    assert str(err.value) == refused
    # one less and it is built: the limit is the length, not the operator
    smaller = _sandboxed(fast).from_string(f"{{{{ ({expr})|length }}}}")
    assert int(smaller.render(big="x" * (LIMIT - 1), tup=("x",) * (LIMIT - 1),
                              n=LIMIT // 2)) <= LIMIT


# (template, values): built at the sandbox's length limit, refused one step past it
_AT_THE_BOUND = [
    ("{{ 'x'|center(w)|length }}", {"w": LIMIT}, {"w": LIMIT + 1}, "a |center width that large"),
    # 'ab\nc': two lines of indent and 4 characters: 2 * 524286 + 4 == LIMIT
    ("{{ s|indent(w)|length }}", {"s": "ab\nc", "w": 524286}, {"s": "ab\nc", "w": 524287},
     "an |indent whose result would be too long"),
    ("{{ s|indent(' ' * w)|length }}", {"s": "ab\nc", "w": 524286},
     {"s": "ab\nc", "w": 524287}, "an |indent whose result would be too long"),
]


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "plain"])
@pytest.mark.parametrize("source, allowed, refused, message", _AT_THE_BOUND)
def test_rule_a_size_checked_filter_is_refused_just_past_the_limit(source, allowed, refused,
                                                                   message, fast):
    from jinja2.sandbox import SecurityError

    env = _sandboxed(fast)
    assert int(env.from_string(source).render(**allowed)) <= LIMIT
    with pytest.raises(SecurityError) as err:
        env.from_string(source).render(**refused)
    assert str(err.value) == message


POWER_BITS = 1 << 16  # the sandbox's MAX_BITS, restated


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "plain"])
@pytest.mark.parametrize("source, values, refused", [
    ("{{ 2 ** n > 1 }}", {"n": POWER_BITS}, None),  # 65,537 bits: 19,729 digits
    ("{{ 2 ** n > 1 }}", {"n": POWER_BITS + 1}, "2 ** 65537 is too big to compute"),
    ("{{ -2 ** n > 1 }}", {"n": POWER_BITS + 1}, "-2 ** 65537 is too big to compute"),
    # a big number already, and a power too big to print: named by its size
    ("{{ big ** 1 > 1 }}", {"big": 2 ** (POWER_BITS + 1)},
     "a 65,538-bit number ** 1 is too big to compute"),
    ("{{ 3 ** big > 1 }}", {"big": 2 ** 70}, "3 ** a 71-bit number is too big to compute"),
    ("{{ big ** n > 1 }}", {"big": 2 ** 63, "n": 2 ** 11},  # 64 bits: still printed
     "9223372036854775808 ** 2048 is too big to compute"),
    ("{{ big ** n > 1 }}", {"big": 2 ** 64, "n": 2 ** 11},
     "a 65-bit number ** 2048 is too big to compute"),
    ("{{ 1 ** n > 0 }}", {"n": 10 ** 9}, None),  # 1 and -1 never grow
    ("{{ big ** 0 > 0 }}", {"big": 2 ** (POWER_BITS + 1)}, None),
])
def test_rule_a_power_is_refused_past_its_result_size(source, values, refused, fast):
    from jinja2.sandbox import SecurityError

    template = _sandboxed(fast).from_string(source)
    if refused:
        with pytest.raises(SecurityError) as err:
            template.render(**values)
        assert str(err.value) == refused
    else:
        assert template.render(**values) == "True"


def test_rule_nothing_a_template_says_runs_while_it_compiles():
    """Not a filter in dead code, not a constant output: both run when the article renders."""
    calls = []
    env = _sandboxed(True)
    env.filters["counted"] = lambda v: calls.append(v) or v
    template = env.from_string("{% if false %}{{ 'dead'|counted }}{% endif %}{{ 'x'|counted }}")
    assert calls == []
    assert template.render() == "x" and calls == ["x"]


# -- what a renderer learns of its templates before rendering ----------------------------------

def _user_env(tmp_path, monkeypatch, cache: bool, **files: str):
    from narrator.formatting import NumberFormat
    from narrator.render.environment import environment

    for name, text in files.items():
        tpl(tmp_path / "tpl", name, text)
    monkeypatch.setenv("NARRATOR_CACHE_DIR", str(tmp_path / "cache") if cache else "")
    return environment(NumberFormat("en_US"), [tmp_path / "tpl"])


CHAIN = {
    "a.md.j2": "{% include 'comparison/b.md.j2' %}{{ x }}{% set y = 1 %}{{ y }}",
    "b.md.j2": "{% include 'comparison/c.md.j2' %}{{ z }}{% include 'comparison/a.md.j2' %}",
    "c.md.j2": "{{ w.attr }}",
    "d.md.j2": "{{ q }}",
    "bad.md.j2": "{{ x",
}


def test_rule_the_names_templates_read_follow_their_includes(tmp_path, monkeypatch):
    """A renderer computes a value only if some template of its set reads it: every name read
    along the include chain (a cycle, a missing or broken template on the way)."""
    from narrator.render.environment import used_names

    env = _user_env(tmp_path, monkeypatch, False, **CHAIN)
    names = [f"comparison/{n}" for n in ("d.md.j2", "a.md.j2", "bad.md.j2", "missing.md.j2")]
    assert used_names(env, names) == {"q", "x", "z", "w"}


@pytest.mark.parametrize("cache", [False, True], ids=["no cache", "cache"])
def test_what_parsing_a_template_tells(tmp_path, monkeypatch, cache):
    from narrator.render.environment import template_facts

    env = _user_env(tmp_path, monkeypatch, cache, **CHAIN,
                    **{"e.md.j2": "{% extends 'narrator/comparison/intro.md.j2' %}"})
    assert template_facts(env, "comparison/a.md.j2") == {
        "reads": ["x"], "refers_to": ["comparison/b.md.j2"], "extends": False}
    assert template_facts(env, "comparison/e.md.j2")["extends"] is True
    assert template_facts(env, "comparison/bad.md.j2") is None
    assert template_facts(env, "comparison/missing.md.j2") is None


def test_what_parsing_a_template_tells_is_kept_in_the_cache_per_source(tmp_path, monkeypatch):
    from narrator.render.environment import template_facts

    env = _user_env(tmp_path, monkeypatch, True, **CHAIN)
    first = template_facts(env, "comparison/d.md.j2")
    monkeypatch.setattr(env, "parse", lambda *a, **k: pytest.fail("parsed again"))
    assert template_facts(env, "comparison/d.md.j2") == first  # read from the cache
    monkeypatch.undo()
    env = _user_env(tmp_path, monkeypatch, True, **{"d.md.j2": "{{ r }}"})
    assert template_facts(env, "comparison/d.md.j2")["reads"] == ["r"]  # an edit is a new key


@pytest.mark.parametrize("source, empty", [
    ("", True), ("\n\n", True), ("{# a comment #}\n", True),
    ("text", False), ("{# a comment #} text", False), ("{{ x }}", False),
    ("{% if x %}{% endif %}", False), ("{% if x %}\n{% endif %}", False),
])
def test_a_template_that_only_ever_writes_white_space(tmp_path, monkeypatch, source, empty):
    from narrator.render.environment import always_empty

    env = _user_env(tmp_path, monkeypatch, False, **{"t.md.j2": source})
    assert always_empty(env, "comparison/t.md.j2") is empty


def test_an_override_folder_is_checked_for_templates_only(tmp_path):
    """A FIFO named like a template is refused (it would block the run); the same file not
    named *.j2, or hidden (an editor's), is not narrator's to check."""
    from narrator.render.environment import _check_override_folder

    d = tmp_path / "tpl" / "comparison"
    d.mkdir(parents=True)
    os.mkfifo(d / "notes.txt")
    (d / ".intro.md.j2").symlink_to(tmp_path / "nowhere")
    _check_override_folder(tmp_path / "tpl")
    os.mkfifo(d / "intro.md.j2")
    with pytest.raises(TemplateError) as err:
        _check_override_folder(tmp_path / "tpl")
    assert str(err.value) == f"{d / 'intro.md.j2'}: not a regular file (a FIFO or a device)"
    (d / "file").write_text("x")
    with pytest.raises(TemplateError) as err:
        _check_override_folder(d / "file")  # a walk that cannot read its folder says so
    assert str(err.value) == f"{d / 'file'}: cannot read the template folder: Not a directory"


@pytest.mark.parametrize("extra, refused", [("", False), ("x", True)])
def test_rule_an_override_writes_at_most_the_length_limit(tmp_path, extra, refused):
    """1,024 times 1,024 characters is exactly the limit; one more is refused, by file."""
    d = tpl(tmp_path / "team", "intro.md.j2",
            "{% for i in range(1024) %}{{ 'x' * 1024 }}{% endfor %}" + extra)
    if not refused:
        assert "x" * LIMIT in api.narrate(SEED, template_dirs=[d])
        return
    with pytest.raises(TemplateError) as err:
        api.narrate(SEED, template_dirs=[d])
    assert str(err.value) == (f"{d / 'comparison' / 'intro.md.j2'}: writes more than 1,048,576 "
                              f"characters (a loop writing a long value?)")


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "plain"])
@pytest.mark.parametrize("source, message", [
    ("{{ '%0999999d' % 1 }}", "a % format with a width that large, or from an argument (*)"),
    ("{{ '%*d' % (9, 1) }}", "a % format with a width that large, or from an argument (*)"),
    ("{{ '%0999999d'|format(1) }}", "a |format width that large, or from an argument (*)"),
    ("{{ '{:0999999}'.format(1) }}", "a str.format width that large, or from an argument"),
])
def test_rule_a_format_width_that_builds_a_huge_string_is_refused(source, message, fast):
    from jinja2.sandbox import SecurityError

    with pytest.raises(SecurityError) as err:
        _sandboxed(fast).from_string(source).render()
    assert str(err.value) == message


# -- the environment itself: narrator's filters, Jinja's settings, the folders it searches -----

@pytest.mark.parametrize("source, expected", [
    ("{{ ['a', 'b', 'c']|and_list }}", "a, b and c"),
    ("{{ ['a', 'b', 'c']|and_list(oxford=true) }}", "a, b, and c"),
    ("{{ 1234.5|money('USD') }}", "$1,234"),
    ("{{ 1234.5|money_cents('USD') }}", "$1,234.50"),
    ("{{ 'xab'|replace('x', 'y') }}", "yab"),
    ("{{ 1234.5|decimal }}", "1,234.5"),
    ("{{ 25|percent }}", "25%"),
    # the checked filters do what Jinja's do, defaults included; indent's first (the first
    # line too) and blank (empty lines too) as Jinja documents them
    ("{{ 'ab'|center|length }}", "80"),
    ("{{ 'ab'|center(6) }}", "  ab  "),
    ("{{ 'a\nb'|indent }}", "a\n    b"),
    ("{{ 'a\n\nb'|indent(2) }}", "a\n\n  b"),
    ("{{ 'a\n\nb'|indent(2, true) }}", "  a\n\n  b"),
    ("{{ 'a\n\nb'|indent(2, false, true) }}", "a\n  \n  b"),
    ("{{ 'a\n\nb'|indent(2, first=true, blank=true) }}", "  a\n  \n  b"),
    ("{{ '%(a)s-%(b)s'|format(a=1, b=2) }}", "1-2"),  # format's keyword form
    ("{{ '%s-%s'|format(1, 2) }}", "1-2"),
    # Markdown, not HTML: nothing escaped; blocks take their line with them; no last newline
    ("{{ '<a & b>' }}", "<a & b>"),
    ("a\n  {% if true %}\nb\n  {% endif %}\nc\n", "a\nb\nc"),
])
def test_narrators_filters_and_jinjas_settings(source, expected):
    assert _sandboxed(True).from_string(source).render() == expected


def test_rule_a_replace_past_the_length_limit_is_refused():
    from jinja2.sandbox import SecurityError

    template = _sandboxed(True).from_string("{{ s|replace('x', 'yy')|length }}")
    assert template.render(s="x" * (LIMIT // 2)) == str(LIMIT)
    with pytest.raises(SecurityError) as err:
        template.render(s="x" * (LIMIT // 2 + 1))
    assert str(err.value) == "a |replace whose result would be too long"


def test_a_style_is_searched_before_narrators_own_templates():
    from narrator.dataset import STYLES
    from narrator.formatting import NumberFormat
    from narrator.render.environment import environment

    env = environment(NumberFormat("en_US"), [], STYLES["editorial"])
    _, filename, _ = env.loader.get_source(env, "comparison/intro.md.j2")
    assert Path(filename) == STYLES["editorial"][0] / "comparison" / "intro.md.j2"


def test_a_template_folder_that_is_not_one_is_one_line(tmp_path):
    from narrator.formatting import NumberFormat
    from narrator.render.environment import environment

    (tmp_path / "p").write_text("a file")  # so p/tpl cannot be looked at
    for folder, message in [(tmp_path / "gone", "template directory not found"),
                            (tmp_path / "p" / "tpl",
                             "cannot read the template folder: Not a directory")]:
        with pytest.raises(TemplateError) as err:
            environment(NumberFormat("en_US"), [folder])
        assert str(err.value) == f"{folder}: {message}"


def test_a_template_that_does_not_parse_or_is_missing_is_one_line(tmp_path, monkeypatch):
    from narrator.render.environment import get_template

    env = _user_env(tmp_path, monkeypatch, False, **{"bad.md.j2": "x\n{{ a"})
    with pytest.raises(TemplateError) as err:
        get_template(env, "comparison/bad.md.j2")
    assert str(err.value) == (f"{tmp_path / 'tpl' / 'comparison' / 'bad.md.j2'}: line 2: "
                              f"unexpected end of template, expected 'end of print statement'.")
    with pytest.raises(TemplateError) as err:
        get_template(env, "comparison/nope.md.j2")
    assert str(err.value) == "comparison/nope.md.j2: template not found"


@pytest.mark.parametrize("target, message", [
    ("nowhere", "a link to nothing, or a loop of links"),
    ("outside.txt", "a link that leaves the template folder (to {}): copy the file in instead"),
])
def test_a_template_linked_out_of_its_folder_is_refused(tmp_path, target, message):
    from narrator.render.environment import _check_override_folder

    (tmp_path / "outside.txt").write_text("secret")
    d = tmp_path / "tpl" / "comparison"
    d.mkdir(parents=True)
    (d / "intro.md.j2").symlink_to(tmp_path / target)
    with pytest.raises(TemplateError) as err:
        _check_override_folder(tmp_path / "tpl")
    assert str(err.value) == f"{d / 'intro.md.j2'}: " + message.format(tmp_path / target)


def test_an_error_in_an_imported_macro_names_the_macros_file_and_line(tmp_path):
    d = tpl(tmp_path / "team", "intro.md.j2", "{% import 'comparison/m.j2' as m %}\nx {{ m.f() }}")
    tpl(d, "m.j2", "{% macro f() %}\n{{ 1 // 0 }}{% endmacro %}")
    with pytest.raises(TemplateError) as err:
        api.narrate(SEED, template_dirs=[d])
    assert str(err.value) == (f"{d / 'comparison' / 'm.j2'}: line 2: ZeroDivisionError: "
                              f"integer division or modulo by zero")


@pytest.mark.parametrize("budget, said", [(1 << 30, "1 GB"), (3 << 29, "1.5 GB")])
def test_running_out_of_the_memory_budget_is_one_line(budget, said):
    """What compiling (or a worker) says when the budget's MemoryError comes."""
    from narrator.render import limits

    with pytest.raises(TemplateError) as err:
        with limits.limited(5, "compiling", budget):
            raise MemoryError
    assert str(err.value) == (f"compiling needed more than {said} of memory (a template "
                              f"building a huge value?); stopped")
